"""Batches of paths on a ``dask.distributed`` cluster. Only this module imports Dask, and only when used:
install it with ``pip install bubblescope[cluster]`` (or ``pip install "dask[distributed]"``); every worker needs
Bubblescope installed too, as it runs the model.

Each batch is evaluated on a worker and *stays there*: the driver gathers its summary (sorted outputs and counts),
merges them, sends the merged order statistics back, and gathers each batch's rank sums. Paths never travel;
the merge is the local one, in the same order, so the figures equal the local run's for the same seed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from model.core.scenario import Scenario
from model.simulate.evaluate import Evaluator, Samples
from model.simulate.run import Cancelled
from model.simulate.summary import BatchSummary, merge, rank_sums, summarise

IntArray = npt.NDArray[np.int64]


class DaskRunner:
    """Runs batches on the cluster at ``address`` (``tcp://host:8786``), or on a ``distributed.Client`` given."""

    def __init__(self, address: str | None = None, client: Any = None) -> None:
        if client is None:
            try:
                from distributed import Client
            except ImportError as exc:      # the optional extra is not installed
                raise RuntimeError("--dask needs dask.distributed: pip install 'bubblescope[cluster]' "
                                   "(or pip install 'dask[distributed]')") from exc
            try:
                client = Client(address, timeout="10s")
            except OSError as exc:
                raise RuntimeError(f"cannot reach the Dask scheduler at {address} ({exc})") from exc
            self._own = True
        else:
            self._own = False
        self.client = client
        self.where = f"dask {address or client.scheduler.address}"

    def close(self) -> None:
        if self._own:
            self.client.close()

    def run(self, scenario: Scenario, batches: list[Samples], ranks: list[IntArray], evaluator: Evaluator,
            progress: Callable[[], bool]) -> tuple[BatchSummary, IntArray]:
        from distributed import as_completed

        client = self.client
        [shared] = client.scatter([scenario], broadcast=True)
        outputs = [client.submit(evaluator, shared, batch, pure=False) for batch in batches]
        summaries = [client.submit(summarise, out, pure=False) for out in outputs]
        try:
            for _ in as_completed(summaries):
                if not progress():
                    raise Cancelled()
            merged = merge(client.gather(summaries))
            [headline] = client.scatter([merged.headline], broadcast=True)
            sums = client.gather([client.submit(rank_sums, out, r, headline, pure=False)
                                  for out, r in zip(outputs, ranks, strict=True)])
        finally:
            client.cancel(outputs + summaries)
        return merged, np.asarray(np.sum(sums, axis=0), dtype=np.int64)
