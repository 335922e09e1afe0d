"""Simulations in a worker thread, with progress and Cancel. The book a run reads is immutable, so the worker reads
it safely; nothing it does touches the document (Cancel leaves it exactly as it was).

A new run supersedes the one before (the live re-run after an edit starts one while another may be going): the old
run is told to stop at its next batch and whatever it delivers afterwards — figures, a cancellation, an error — is
dropped, so a stale run's picture never replaces a newer one. Runs carry a generation number for that.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from model.core.compute import compute
from model.core.overrides import ScenarioBook
from model.core.problems import TemplateError
from model.simulate.run import Cancelled, Simulation, simulate

# Batches of a few tens of ms: progress moves often and Cancel answers within one batch, at little cost to speed
# (the figures do not depend on it).
GUI_BATCH = 500


@dataclass(frozen=True)
class SimulationRun:
    """A finished run: the simulation, and what the charts need of the scenario as entered — its Score year and
    the Assumptions' Boom and Bubble scores (the bands of the score fan)."""

    simulation: Simulation
    score_year: int
    boom_score: float
    bubble_score: float


class _Carrier(QObject):
    """Lives in the GUI thread: the worker emits through it, so the slots run queued on the GUI thread."""

    progress = Signal(int, int, int)     # generation, batches done, batches in all
    done = Signal(int, object)           # generation, outcome


class _Job(QRunnable):
    def __init__(self, carrier: _Carrier, stop: threading.Event, generation: int, book: ScenarioBook,
                 scenario: str, paths: int, seed: int, dask: str) -> None:
        super().__init__()
        self.carrier, self.stop, self.generation = carrier, stop, generation
        self.args = (book, scenario, paths, seed)
        self.dask = dask

    def run(self) -> None:
        book, scenario, paths, seed = self.args
        runner: Any = None

        def progress(done: int, total: int) -> bool:
            self.carrier.progress.emit(self.generation, done, total)
            return not self.stop.is_set()

        outcome: Any
        try:
            if self.stop.is_set():      # superseded before it started: no work for a picture nobody will see
                raise Cancelled()
            if self.dask:       # the cluster's figures equal a local run's (model.simulate.cluster)
                from model.simulate.cluster import DaskRunner

                runner = DaskRunner(self.dask)
            sim = simulate(book, (scenario,), paths=paths, seed=seed, batch_size=GUI_BATCH, progress=progress,
                           runner=runner)
            entered = compute(book.scenario(scenario)[0])
            outcome = SimulationRun(sim, entered.score_year, float(entered.assumptions["Boom score"]),
                                    float(entered.assumptions["Bubble score"]))
        except Cancelled:
            outcome = Cancelled()
        except TemplateError as exc:
            outcome = exc
        except Exception as exc:  # a message in the tab, never a crash
            outcome = RuntimeError(f"{type(exc).__name__}: {exc}")
        finally:
            if runner is not None:
                runner.close()
        self.carrier.done.emit(self.generation, outcome)


class SimulationRunner(QObject):
    progress = Signal(int, int)          # batches done, batches in all (of the latest run)
    finished = Signal(object)            # SimulationRun of the latest run
    failed = Signal(object)              # TemplateError or RuntimeError: what to tell the analyst
    cancelled = Signal()
    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)       # one run at a time: a superseded one stops within a batch
        self._carrier = _Carrier(self)
        self._carrier.progress.connect(self._on_progress)
        self._carrier.done.connect(self._on_done)
        self._stop = threading.Event()
        self.generation = 0                  # of the latest run started
        self.outstanding = 0                 # runs started whose outcome has not come back yet
        self.dropped = 0                     # outcomes of superseded runs thrown away (for tests and the curious)
        self.busy = False

    def start(self, book: ScenarioBook, scenario: str, paths: int, seed: int, dask: str = "") -> int:
        """Simulate ``scenario`` of ``book``; ``dask``: a dask.distributed scheduler's address, or local. A run
        still going is superseded. Returns the new run's generation (≥ 1)."""
        self._stop.set()
        self._stop = threading.Event()
        self.generation += 1
        self.outstanding += 1
        if not self.busy:
            self.busy = True
            self.busyChanged.emit(True)
        self.pool.start(_Job(self._carrier, self._stop, self.generation, book, scenario, paths, seed,
                             dask.strip()))
        return self.generation

    def cancel(self) -> None:
        self._stop.set()

    def wait_idle(self, timeout_ms: int = 60_000) -> bool:
        return bool(self.pool.waitForDone(timeout_ms))

    def _on_progress(self, generation: int, done: int, total: int) -> None:
        if generation == self.generation:
            self.progress.emit(done, total)

    def _on_done(self, generation: int, outcome: object) -> None:
        self.outstanding -= 1
        if generation != self.generation:       # superseded: the latest run is still to come
            self.dropped += 1
            return
        self.busy = False
        self.busyChanged.emit(False)
        if isinstance(outcome, Cancelled):
            self.cancelled.emit()
        elif isinstance(outcome, Exception):
            self.failed.emit(outcome)
        else:
            self.finished.emit(outcome)


__all__ = ["GUI_BATCH", "SimulationRun", "SimulationRunner"]
