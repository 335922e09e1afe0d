"""Benchmark the simulation on the default scenario: end to end, against a raw-numpy kernel, its memory, and
optionally beside a Dask LocalCluster of two processes (issue 14, point 7).

    .venv/bin/python bench/bench_simulate.py              # 10,000 paths ×5, 100,000 paths ×3 (~1 min)
    .venv/bin/python bench/bench_simulate.py --quick      # fewer repeats
    .venv/bin/python bench/bench_simulate.py --dask       # also the same run on a LocalCluster (2 processes)

Prints medians from one run:

* **10,000 paths end to end** — ``simulate()``: the Latin hypercube and Iman–Conover, the inverse CDFs, every
  batch through ``compute_paths`` (the model over a paths axis), the summaries, percentiles and rank
  correlations. Target ≤ 500 ms.
* **100,000 paths: the model against a raw-numpy kernel of the same arrays.** The kernel below is the economic core
  written for this scenario alone, with no generality: it starts from the model's input arrays (capex, AI share,
  organic revenue paths, margins, lives, rates, the deals' flows — read once, outside the timing) and computes
  the fleet kept past the last Capex column, the revenue bound, AI capex, the capital charge, required revenue,
  cash flows, the sector's coverage, cumulative cash flow, NPV and payback. ``compute_paths`` does all of that
  from the draws *plus* reading them into arrays, the vintage paybacks and the bubble score of every year, so the
  ratio is an upper bound on the cost of the model's generality. Target ≤ 3×.
* **Peak memory** of a 100,000-path ``simulate()`` (tracemalloc: numpy's arrays included).
* The **reference evaluator** (``compute()`` path by path, what ``compute_paths`` is tested against) for scale.
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
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.core import compute as model  # noqa: E402
from model.core.compute import compute_paths  # noqa: E402
from model.core.deals import deal_cash, deal_numbers, deal_rows  # noqa: E402
from model.core.results import SECTOR  # noqa: E402
from model.core.uncertainty import read_uncertainty  # noqa: E402
from model.defaults.scenario import default_scenario  # noqa: E402
from model.simulate.evaluate import Samples, draws_of, evaluate_one_by_one, without_ranges  # noqa: E402
from model.simulate.run import DEFAULT_BATCH, simulate  # noqa: E402
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


def kernel_arrays(scenario: Any, draws: Any) -> dict[str, Any]:
    """The model's input arrays for these draws, read once (not timed): what the kernel starts from."""
    a = model._assumed(scenario.assumptions, draws)
    inputs = model._read_inputs(scenario, draws, a["Terminal growth"], int(a["Horizon end"][0]))
    n, n_years = len(inputs.companies), len(inputs.years)
    deals = deal_rows(scenario.investments, inputs.companies, int(inputs.years[0]))
    flows = deal_cash(deals, *deal_numbers(scenario.investments, deals, draws), n, n_years)
    market = model._MarketRows(scenario.market, draws)
    return {"capex": inputs.capex, "ai_share": inputs.ai_share, "organic": inputs.organic_revenue,
            "margin": inputs.margin, "life": a["Useful life"], "rate": a["Discount rate"],
            "in_sector": inputs.in_sector, "last": inputs.last_capex_t, "outflows": flows.outflows,
            "recycled": flows.recycled_revenue, "sales": market.sales_from_capex(inputs.companies)}


def kernel(x: dict[str, Any]) -> dict[str, np.ndarray]:
    """The economic core on plain arrays (paths, companies, years): the reference of 'raw numpy'."""
    capex, organic = x["capex"].copy(), x["organic"].copy()
    life, rate, tl = x["life"], x["rate"], x["last"]
    n_years = capex.shape[2]
    age = np.arange(n_years)[None, :] - np.arange(n_years)[:, None]
    w = np.clip(life[:, None, None] - age, 0.0, 1.0) * (age >= 0)
    for t in range(tl + 1, n_years):                          # the fleet kept: retiring capex replaced
        capex[:, :, t] = np.einsum("pcv,pv->pc", capex[:, :, :t], w[:, :t, t - 1] - w[:, :t, t])
    ai = capex * x["ai_share"][:, :, None]
    capacity = ai @ w
    later = slice(tl + 1, n_years)
    ceiling = organic[:, :, tl:tl + 1] * capacity[:, :, later] / np.maximum(capacity[:, :, tl:tl + 1], 1e-300)
    organic[:, :, later] = np.minimum(organic[:, :, later], ceiling)
    sector_ai = ai[:, x["in_sector"]].sum(axis=1)
    share = x["sales"][:, :, None]
    organic[:, :, later] = (1 - share) * organic[:, :, later] \
        + share * organic[:, :, tl:tl + 1] * (sector_ai[:, None, later] / sector_ai[:, None, tl:tl + 1])
    revenue = organic + x["recycled"]
    crf = rate / -np.expm1(-life * np.log1p(rate))
    required = capacity * crf[:, None, None] / x["margin"][:, :, None]
    cash = x["margin"][:, :, None] * revenue - ai - x["outflows"]
    s = x["in_sector"]
    cash_s, revenue_s, required_s = cash[:, s].sum(axis=1), revenue[:, s].sum(axis=1), required[:, s].sum(axis=1)
    cumulative = np.cumsum(cash_s, axis=1)
    npv = (cash_s * (1.0 + rate[:, None]) ** -np.arange(n_years)).sum(axis=1)
    negative = cumulative < 0
    last_negative = n_years - 1 - np.argmax(negative[:, ::-1], axis=1)
    k = np.minimum(last_negative, n_years - 2)
    rows = np.arange(len(k))
    payback = np.where(~negative.any(axis=1), 0.0, np.where(last_negative < n_years - 1, k + 1 + (
        -cumulative[rows, k] / cash_s[rows, k + 1]), np.nan))
    return {"coverage": revenue_s / required_s, "cumulative": cumulative, "npv": npv, "payback": payback}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--dask", action="store_true")
    args = parser.parse_args()
    repeats = 3 if args.quick else 5
    scenario = default_scenario()
    spec = read_uncertainty(scenario)
    print(f"default scenario: {len(spec.inputs)} uncertain inputs, batches of {DEFAULT_BATCH:,} paths, "
          f"medians of {repeats}")

    ten = timed(lambda: simulate(scenario, paths=10_000, seed=1), repeats)
    print(f"  10,000 paths end to end:               {ten * 1e3:8.0f} ms   (target 500 ms) "
          f"= {10_000 / ten:,.0f} paths/s")

    big = 100_000
    base = without_ranges(scenario)
    values = input_values(spec.inputs, draw(spec.names, spec.correlation, big, 1))
    batches = [draws_of(base, spec.inputs, values[a:a + DEFAULT_BATCH]) for a in range(0, big, DEFAULT_BATCH)]
    prepared = [kernel_arrays(base, d) for d in batches]
    problems: list[Any] = []

    def model_run() -> None:
        for d in batches:
            compute_paths(base, d, problems, entities=(SECTOR,))

    def kernel_run() -> None:
        for x in prepared:
            kernel(x)

    check = compute_paths(base, batches[0], problems, entities=(SECTOR,))
    reference = kernel(prepared[0])
    assert np.allclose(check.npv[:, -1], reference["npv"]), "the kernel and the model disagree on NPV"
    assert np.allclose(check.series["cumulative_cash_flow"][:, -1], reference["cumulative"])
    model_s = timed(model_run, max(1, repeats // 2))
    kernel_s = timed(kernel_run, max(1, repeats // 2))
    print(f"  100,000 paths, compute_paths:          {model_s * 1e3:8.0f} ms")
    print(f"  100,000 paths, raw-numpy kernel:       {kernel_s * 1e3:8.0f} ms   (same arrays; no score)")
    print(f"  ratio model / kernel:                  {model_s / kernel_s:8.2f}x  (target ≤ 3x)")

    gc.collect()
    tracemalloc.start()
    simulate(scenario, paths=big, seed=1)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    print(f"  100,000 paths end to end, peak memory: {peak / 2**20:8.0f} MiB")

    few = Samples(spec.inputs, values[:200])
    one_by_one = timed(lambda: evaluate_one_by_one(scenario, few), 1)
    print(f"  reference evaluator (compute() a path): {200 / one_by_one:8,.0f} paths/s")

    if args.dask:
        from distributed import Client, LocalCluster

        from model.simulate.cluster import DaskRunner
        with LocalCluster(processes=True, n_workers=2, threads_per_worker=1, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            runner = DaskRunner(client=client)
            local_s = timed(lambda: simulate(scenario, paths=big, seed=1), 1)
            dask_s = timed(lambda: simulate(scenario, paths=big, seed=1, runner=runner), 1)
        print(f"  100,000 paths, local:                  {local_s:8.2f} s")
        print(f"  100,000 paths, Dask LocalCluster (2):  {dask_s:8.2f} s   local / cluster = {local_s / dask_s:.2f}x")


if __name__ == "__main__":
    main()
