"""The cluster runner: a LocalCluster of two worker processes gives exactly the local run's figures."""

from __future__ import annotations

import pytest

from model.defaults.alternatives import default_book
from model.simulate.run import simulate

distributed = pytest.importorskip("distributed")


def test_a_local_cluster_of_two_processes_equals_the_local_run() -> None:
    from model.simulate.cluster import DaskRunner

    book = default_book()
    scenarios = ("Base", book.names[1])
    local = simulate(book, scenarios, paths=48, seed=12, batch_size=10)
    with distributed.LocalCluster(processes=True, n_workers=2, threads_per_worker=1, dashboard_address=None) \
            as cluster, distributed.Client(cluster) as client:
        runner = DaskRunner(client=client)
        remote = simulate(book, scenarios, paths=48, seed=12, batch_size=10, runner=runner)
        workers = client.scheduler_info()["workers"]
    assert len(workers) == 2
    assert remote.where.startswith("dask tcp://")
    a, b = local.to_dict(), remote.to_dict()
    for d in (a, b):
        d.pop("seconds"), d.pop("where")
    assert a == b
