"""Benchmark the simulation as it exists: the sample, the reference evaluator (compute() path by path) and the
merge, on the default scenario; optionally beside a Dask LocalCluster of two processes.

    .venv/bin/python bench/bench_simulate.py              # 2,000 paths, 3 repeats (~1 min)
    .venv/bin/python bench/bench_simulate.py --quick      # 500 paths, 1 repeat
    .venv/bin/python bench/bench_simulate.py --dask       # also the same run on a LocalCluster (2 processes)

Prints medians from one run: paths/s of the reference evaluator end to end, the share of the sample (Latin
hypercube + Iman–Conover) and of the summaries and merge, peak memory of the sample (tracemalloc), and the ratio of
the local run to the cluster run.

The speed targets of issue 14 — 10,000 paths in ≤ 500 ms, 100,000 paths within 3× a raw-numpy kernel — are for the
vectorised compute over a paths axis, which is not written yet: the reference evaluator calls compute() once per
path (a few ms each), so it is ~100× slower than the target, by design. This bench measures what exists; the
targets wait for the kernel, which will slot in behind ``model.simulate.evaluate.evaluate``.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.core.uncertainty import read_uncertainty  # noqa: E402
from model.defaults.scenario import default_scenario  # noqa: E402
from model.simulate.run import simulate  # noqa: E402
from model.simulate.sampling import draw, input_values  # noqa: E402


def timed(fn: Callable[[], object], repeats: int) -> float:
    """Median seconds over ``repeats`` runs after one warm-up."""
    fn()
    out = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return statistics.median(out)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--dask", action="store_true")
    parser.add_argument("--paths", type=int, default=None)
    args = parser.parse_args()
    paths = args.paths or (500 if args.quick else 2000)
    repeats = 1 if args.quick else 3
    scenario = default_scenario()
    spec = read_uncertainty(scenario)
    print(f"default scenario: {len(spec.inputs)} uncertain inputs, {paths:,} paths, median of {repeats}")

    sample_s = timed(lambda: draw(spec.names, spec.correlation, paths, 1), repeats)
    big = 100_000
    tracemalloc.start()
    sample = draw(spec.names, spec.correlation, big, 1)
    input_values(spec.inputs, sample)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"  sample (LHS + Iman–Conover + inverse CDFs): {sample_s * 1e3:8.1f} ms for {paths:,} paths; "
          f"{big:,} paths peak {peak / 2**20:.0f} MiB")

    run_s = timed(lambda: simulate(scenario, paths=paths, seed=1), repeats)
    print(f"  end to end, reference evaluator:           {run_s:8.2f} s   = {paths / run_s:,.0f} paths/s "
          f"({run_s / paths * 1e3:.2f} ms a path)")
    print(f"  10,000 paths would take ~{10_000 / (paths / run_s):.0f} s (target 0.5 s: waits for the vectorised "
          f"kernel)")

    if args.dask:
        from distributed import Client, LocalCluster

        from model.simulate.cluster import DaskRunner
        with LocalCluster(processes=True, n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            runner = DaskRunner(client=client)
            dask_s = timed(lambda: simulate(scenario, paths=paths, seed=1, runner=runner), repeats)
        print(f"  Dask LocalCluster (2 processes):           {dask_s:8.2f} s   = {paths / dask_s:,.0f} paths/s; "
              f"local / cluster = {run_s / dask_s:.2f}x")


if __name__ == "__main__":
    main()
