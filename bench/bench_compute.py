"""Benchmark compute(): the bundled scenario and generated ones of growing size.

    .venv/bin/python bench/bench_compute.py            # the full run (< 60 s)
    .venv/bin/python bench/bench_compute.py --quick    # fewer repeats
    .venv/bin/python bench/bench_compute.py --profile  # also cProfile the 500 x 30 x 2,000 recompute

Prints the median (and min) of repeated runs timed with time.perf_counter, the ratio large/default, and the cost
per unit of input as the size doubles: a model whose cost grows no faster than its input keeps that per-unit cost
flat. Targets: default < 5 ms median, 500 x 30 x 2,000 < 250 ms median.

compute() validates the scenario first (as the window does on every edit), so the times include validation;
the "compute only" line passes the validation problems in, as ``compute(scenario, problems)`` allows.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate import generate, small  # noqa: E402
from model.core.compute import compute  # noqa: E402
from model.core.scenario import Scenario  # noqa: E402
from model.core.validation import validate  # noqa: E402

DEFAULT_TARGET_MS = 5.0
LARGE_TARGET_MS = 250.0


def default_scenario() -> tuple[str, Scenario]:
    try:
        from model.defaults.scenario import default_scenario as bundled
    except ImportError:
        return "hand-built 10 x 12 x 15 (model.defaults.scenario missing)", small()
    s = bundled()
    return (f"default scenario ({len(s.capex)} capex rows, {len(s.revenue)} companies, {len(s.capex.years)} capex "
            f"years, {len(s.investments)} deals)"), s


def timed(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """(median, min) in ms over ``repeats`` runs, after one warm-up run. The cyclic GC is paused inside each
    timed run (it may run between runs), so a collection of the benchmark's own garbage is not billed to one run."""
    fn()
    gc.collect()
    samples = []
    for _ in range(repeats):
        gc.disable()
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1e3)
        gc.enable()
    return statistics.median(samples), min(samples)


def input_size(s: Scenario) -> int:
    """Input cells that drive the work: capex and growth cells, plus deal rows."""
    return len(s.capex) * len(s.capex.years) + len(s.revenue) * len(s.revenue.years) + len(s.investments)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    ap.add_argument("--profile", action="store_true", help="cProfile the 500 x 30 x 2,000 recompute")
    args = ap.parse_args(argv)
    small_repeats, large_repeats = (20, 3) if args.quick else (200, 15)

    wall = time.perf_counter()
    label, default = default_scenario()
    print(f"{label}")
    d_med, d_min = timed(lambda: compute(default), small_repeats)
    problems = validate(default)
    d_only, _ = timed(lambda: compute(default, problems), small_repeats)
    verdict = "ok" if d_med < DEFAULT_TARGET_MS else "MISSED"
    print(f"  compute: median {d_med:8.3f} ms  min {d_min:8.3f} ms  ({small_repeats} runs)  "
          f"target < {DEFAULT_TARGET_MS} ms: {verdict}")
    print(f"  compute only (validation passed in): median {d_only:8.3f} ms")

    sizes = [(250, 30, 1000), (500, 30, 2000), (1000, 30, 4000)]
    rows = []
    for n, y, k in sizes:
        s = generate(n, y, k)
        med, mn = timed(lambda s=s: compute(s), large_repeats)  # type: ignore[misc]
        probs = validate(s)
        only, _ = timed(lambda s=s, p=probs: compute(s, p), max(3, large_repeats // 3))  # type: ignore[misc]
        rows.append((n, y, k, input_size(s), med, mn, only))

    print(f"\ngenerated scenarios (seed 0), {large_repeats} runs each")
    print(f"  {'size':>18} {'input cells':>12} {'median ms':>10} {'min ms':>9} {'compute-only':>13} "
          f"{'µs / input cell':>16}")
    for n, y, k, size, med, mn, only in rows:
        print(f"  {f'{n} x {y} x {k}':>18} {size:>12,} {med:>10.1f} {mn:>9.1f} {only:>13.1f} "
              f"{med * 1e3 / size:>16.3f}")
    large = next(r for r in rows if r[:3] == (500, 30, 2000))
    verdict = "ok" if large[4] < LARGE_TARGET_MS else "MISSED"
    print(f"\n  500 x 30 x 2,000 median {large[4]:.1f} ms, target < {LARGE_TARGET_MS} ms: {verdict}")
    print(f"  ratio large / default: {large[4] / d_med:.1f}x for {large[3] / input_size(default):.0f}x the input")
    # The min is the steadier estimate on a shared machine; the verdict uses it.
    for (n0, _, _, s0, m0, lo0, _), (n1, _, _, s1, m1, lo1, _) in zip(rows, rows[1:], strict=False):
        grows = "grows no faster than the input" if lo1 / lo0 <= 1.1 * s1 / s0 else "grows FASTER than the input"
        print(f"  {n0} -> {n1} companies: input x{s1 / s0:.2f}, time x{m1 / m0:.2f} (median) "
              f"x{lo1 / lo0:.2f} (min): {grows}")
    print(f"\nwall time {time.perf_counter() - wall:.1f} s")

    if args.profile:
        s = generate()
        compute(s)
        prof = cProfile.Profile()
        prof.enable()
        for _ in range(3):
            compute(s)
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(20)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
