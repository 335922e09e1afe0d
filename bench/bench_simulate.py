"""Benchmark the simulation on the default scenario: end to end, against a raw-numpy kernel, its memory, and
optionally beside a Dask LocalCluster of two processes (issue 14, point 7).

    .venv/bin/python bench/bench_simulate.py              # 10,000 paths ×5, 100,000 paths ×3 (~1 min)
    .venv/bin/python bench/bench_simulate.py --quick      # fewer repeats
    .venv/bin/python bench/bench_simulate.py --dask       # also the same run on a LocalCluster (2 processes)

Prints medians from one run:

* **10,000 paths end to end** — ``simulate()``: the Latin hypercube and Iman–Conover, the inverse CDFs, every
  batch through ``compute_paths`` (the model over a paths axis), the summaries, percentiles and rank
  correlations. Target ≤ 500 ms.
* **100,000 paths: the model against a raw-numpy kernel of the same arrays.** The kernel below is the default
  scenario's sector written out for it alone, with no generality: it starts from the model's input arrays (capex,
  AI share, organic revenue paths, margins, lives, rates, the deals' flows, the indicators' market inputs — read
  once, outside the timing) and computes the same figures: the fleet kept past the last Capex column, the revenue
  bound, the capital charge, cash flows, coverage, cumulative cash flow, NPV, payback, the sector's vintage
  payback and its composite score (and Bubble reading) in every year. The run checks that both give the same
  figures on a batch before timing them. ``compute_paths`` also reads the draws into arrays and computes every
  company on the way to the sector; the ratio is the cost of its generality. Target ≤ 3×.
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


def timed(fn: Callable[[], object], repeats: int, clock: Callable[[], float] = time.perf_counter) -> float:
    """Median seconds over ``repeats`` runs after one warm-up (wall time, or ``clock``)."""
    fn()
    out = []
    for _ in range(repeats):
        gc.collect()
        start = clock()
        fn()
        out.append(clock() - start)
    return statistics.median(out)


def cpu(fn: Callable[[], object], repeats: int) -> float:
    """Median process CPU time: the time on a core, without the waits for one on a shared machine."""
    return timed(fn, repeats, time.process_time)


def kernel_arrays(scenario: Any, draws: Any) -> dict[str, Any]:
    """The model's input arrays for these draws, read once (not timed): what the kernel starts from — the same
    arrays compute_paths builds from the draws, and the default scenario's indicator inputs as plain arrays."""
    a = model._assumed(scenario.assumptions, draws)
    inputs = model._read_inputs(scenario, draws, a["Terminal growth"], int(a["Horizon end"][0]))
    companies, years = inputs.companies, [int(y) for y in inputs.years]
    n, n_years = len(companies), len(years)
    deals = deal_rows(scenario.investments, companies, years[0])
    flows = deal_cash(deals, *deal_numbers(scenario.investments, deals, draws), n, n_years)
    market = model._MarketRows(scenario.market, draws)
    index = {c: i for i, c in enumerate(companies)}
    # Operating cash flow: the latest report (value, its year's index) for each company and year; NaN without one.
    report, report_t = np.full((n, n_years), np.nan), np.zeros((n, n_years), dtype=int)
    debt = np.full((n, n_years), np.nan)
    market_wide: dict[str, np.ndarray] = {}
    for name, company, year, value in market.rows:
        if name == "operating cash flow" and company in index:
            for t, y in enumerate(years):
                if year <= y and (np.isnan(report[index[company], t]) or year >= years[0] + report_t[
                        index[company], t]):
                    report[index[company], t], report_t[index[company], t] = float(value[0]), year - years[0]
        elif name == "debt raised" and company in index and years[0] <= year <= years[-1]:
            i, t = index[company], year - years[0]
            debt[i, t] = (0.0 if np.isnan(debt[i, t]) else debt[i, t]) + float(value[0])
        elif not company:              # the default has one row per market-wide gauge: from its year on
            market_wide[name] = np.where(np.array(years) >= year, float(value[0]), np.nan)
    commitments, signed = model.commitments_outstanding(scenario.investments, companies, inputs.in_sector, years)
    thresholds = list(scenario.thresholds.records())
    return {"capex": inputs.capex, "ai_share": inputs.ai_share, "organic": inputs.organic_revenue,
            "margin": inputs.margin, "life": a["Useful life"], "rate": a["Discount rate"],
            "in_sector": inputs.in_sector, "last": inputs.last_capex_t, "outflows": flows.outflows,
            "recycled": flows.recycled_revenue, "external": flows.external_financing[0],
            "sales": market.sales_from_capex(companies), "report": report, "report_t": report_t, "debt": debt,
            "commitments": commitments[-1] if signed[-1] else np.full(n_years, np.nan),
            "gdp": a["GDP"][:, None] * (1 + a["GDP growth"][:, None]) ** (np.array(years) - int(a["GDP year"][0])),
            "before": inputs.revenue_before_start, "first_stated": bool(inputs.first_growth_stated[
                inputs.in_sector].all()),
            "thresholds": [(str(r["indicator"]).lower(), float(r["healthy"]), float(r["bubble"]),
                            float(r["weight"])) for r in thresholds],
            "market_wide": market_wide, "red": float(a["Red gauge score"][0]),
            "reds": int(a["Reds for bubble"][0]), "bubble_at": float(a["Bubble score"][0])}


def kernel(x: dict[str, Any]) -> dict[str, np.ndarray]:
    """The default scenario's sector on plain arrays (paths, companies, years), written for it alone: the
    reference of 'raw numpy' for compute_paths(entities=(SECTOR,)). The same outputs — the fan's series, NPV,
    payback, the vintage payback and the composite score with its Bubble reading in every year."""
    capex, organic = x["capex"].copy(), x["organic"].copy()
    life, rate, tl = x["life"], x["rate"], x["last"]
    paths, _, n_years = capex.shape
    age = np.arange(n_years)[None, :] - np.arange(n_years)[:, None]
    w = np.clip(life[:, None, None] - age, 0.0, 1.0) * (age >= 0)
    for t in range(tl + 1, n_years):                          # the fleet kept: retiring capex replaced
        capex[:, :, t] = np.einsum("pcv,pv->pc", capex[:, :, :t], w[:, :t, t - 1] - w[:, :t, t])
    ai = capex * x["ai_share"][:, :, None]
    capacity = ai @ w
    later = slice(tl + 1, n_years)
    ceiling = organic[:, :, tl:tl + 1] * capacity[:, :, later] / np.maximum(capacity[:, :, tl:tl + 1], 1e-300)
    organic[:, :, later] = np.minimum(organic[:, :, later], ceiling)
    s = x["in_sector"]
    sector_ai = ai[:, s].sum(axis=1)
    share = x["sales"][:, :, None]
    organic[:, :, later] = (1 - share) * organic[:, :, later] \
        + share * organic[:, :, tl:tl + 1] * (sector_ai[:, None, later] / sector_ai[:, None, tl:tl + 1])
    revenue = organic + x["recycled"]
    crf = rate / -np.expm1(-life * np.log1p(rate))
    margin = x["margin"][:, :, None]
    required = capacity * crf[:, None, None] / margin
    cash = margin * revenue - ai - x["outflows"]
    cash_s, revenue_s, required_s = cash[:, s].sum(axis=1), revenue[:, s].sum(axis=1), required[:, s].sum(axis=1)
    cumulative = np.cumsum(cash_s, axis=1)
    npv = (cash_s * (1.0 + rate[:, None]) ** -np.arange(n_years)).sum(axis=1)
    negative = cumulative < 0
    last_negative = n_years - 1 - np.argmax(negative[:, ::-1], axis=1)
    k = np.minimum(last_negative, n_years - 2)
    rows = np.arange(paths)
    payback = np.where(~negative.any(axis=1), 0.0, np.where(last_negative < n_years - 1, k + 1 + (
        -cumulative[rows, k] / cash_s[rows, k + 1]), np.nan))
    coverage = np.where(required_s > 0, revenue_s / np.where(required_s > 0, required_s, 1), np.nan)
    # The sector's vintages: each year's AI capex earns CRF × capex × in service × its companies' coverage.
    span = int(np.ceil(life.max()))
    company_coverage = np.where(required > 0, revenue / np.where(required > 0, required, 1), 0.0)[:, s]
    held = np.concatenate([company_coverage, np.repeat(company_coverage[:, :, -1:], span, axis=2)], axis=2)
    outlay, sector_capex = ai[:, s].sum(axis=1), ai[:, s]
    balance, vintage = -outlay, np.full((paths, n_years), np.inf)
    for j in range(span):
        earned = (sector_capex * held[:, :, j:j + n_years]).sum(axis=1) * (crf * np.clip(life - j, 0, 1))[:, None]
        after = balance + earned
        now = np.isinf(vintage) & (after >= -1e-9 * outlay)
        vintage = np.where(now, j + np.where(earned > 0, np.minimum(1, -balance / np.where(earned > 0, earned, 1)),
                                             0.0), vintage)
        balance = after
    vintage = np.where(outlay > 0, vintage, np.nan)
    # The indicators of the sector, year by year.
    has_report = ~np.isnan(x["report"][s])
    ocf = np.where(has_report, x["report"][s] + x["margin"][:, s, None] * (
        revenue[:, s] - np.take_along_axis(revenue[:, s], np.broadcast_to(x["report_t"][s], revenue[:, s].shape),
                                           axis=2)), 0.0).sum(axis=1)
    spend = (capex[:, s] * has_report).sum(axis=1)
    debt_data = (~np.isnan(x["debt"][s])).any(axis=0) | (np.abs(x["external"][s]) > 0).any(axis=0)
    debt = np.nan_to_num(x["debt"][s]).sum(axis=0) + x["external"][s].sum(axis=0)
    capex_s = capex[:, s].sum(axis=1)
    before = np.concatenate([x["before"][:, s].sum(axis=1)[:, None], revenue_s[:, :-1]], axis=1)

    def worst(num: np.ndarray, den: np.ndarray) -> np.ndarray:
        return np.where(den > 0, num / np.where(den > 0, den, 1), np.where(num > 0, np.inf, 0.0))

    momentum = np.where(before > 0, revenue_s / np.where(before > 0, before, 1), np.nan) - 1
    if not x["first_stated"]:
        momentum[:, 0] = np.nan
    value = {"revenue coverage": coverage,
             "capex intensity": np.where(has_report.any(axis=0), worst(spend, ocf), np.nan),
             "macro weight": capex_s / x["gdp"],
             "revenue momentum": momentum,
             "external financing": np.where(debt_data, worst(np.broadcast_to(debt, capex_s.shape), capex_s), np.nan),
             "circularity": np.where(revenue_s > 0, x["recycled"][:, s].sum(axis=1) / np.where(revenue_s > 0,
                                                                                                revenue_s, 1), np.nan),
             "commitments": np.where(np.isnan(x["commitments"]), np.nan, worst(np.broadcast_to(
                 x["commitments"], revenue_s.shape), revenue_s)),
             "payback vs life": vintage / life[:, None]}
    total, weighted, reds = np.zeros((paths, n_years)), np.zeros((paths, n_years)), np.zeros((paths, n_years))
    for name, healthy, bubble, weight in x["thresholds"]:
        v = value[name] if name in value else np.broadcast_to(x["market_wide"][name], (paths, n_years))
        score = np.clip(100 * (v - healthy) / (bubble - healthy), 0, 100)
        score = np.where(np.isinf(v), np.where((v > 0) == (bubble > healthy), 100.0, 0.0), score)
        has = ~np.isnan(score)
        total += weight * has
        weighted += np.where(has, weight * score, 0.0)
        reds += has & (score >= x["red"])
    composite = np.where(total > 0, weighted / np.where(total > 0, total, 1), np.nan)
    in_bubble = (reds >= x["reds"]) | (composite >= x["bubble_at"])
    return {"coverage": coverage, "cumulative": cumulative, "npv": npv, "payback": payback, "score": composite,
            "bubble": in_bubble, "vintage": vintage}


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
    ten_cpu = cpu(lambda: simulate(scenario, paths=10_000, seed=1), repeats)
    print(f"  10,000 paths end to end:               {ten * 1e3:8.0f} ms   (target 500 ms) "
          f"= {10_000 / ten:,.0f} paths/s; process CPU {ten_cpu * 1e3:.0f} ms")

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
    # The kernel is a reference only if it computes the same figures: checked on the first batch.
    assert np.allclose(check.npv[:, 0], reference["npv"]), "the kernel and the model disagree on NPV"
    assert np.allclose(check.series["cumulative_cash_flow"][:, 0], reference["cumulative"])
    assert np.allclose(check.series["coverage"][:, 0], reference["coverage"], equal_nan=True)
    assert np.allclose(check.series["vintage_payback"][:, 0], reference["vintage"], equal_nan=True)
    assert np.allclose(check.series["score"][:, 0], reference["score"], equal_nan=True)
    assert (check.bubble[:, 0] == reference["bubble"]).all()
    model_s, kernel_s = timed(model_run, max(1, repeats // 2)), timed(kernel_run, max(1, repeats // 2))
    model_cpu, kernel_cpu = cpu(model_run, max(1, repeats // 2)), cpu(kernel_run, max(1, repeats // 2))
    print(f"  100,000 paths, compute_paths:          {model_s * 1e3:8.0f} ms   process CPU {model_cpu * 1e3:6.0f} ms")
    print(f"  100,000 paths, raw-numpy kernel:       {kernel_s * 1e3:8.0f} ms   process CPU {kernel_cpu * 1e3:6.0f} ms  "
          f"(same arrays, same figures)")
    print(f"  ratio model / kernel:                  {model_s / kernel_s:8.2f}x  process CPU {model_cpu / kernel_cpu:.2f}x  "
          f"(target ≤ 3x)")

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
