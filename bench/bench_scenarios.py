"""Benchmark recomputing every scenario of a book after one edit to its base, as the window does.

    .venv/bin/python bench/bench_scenarios.py            # the full run (< 60 s)
    .venv/bin/python bench/bench_scenarios.py --quick    # fewer repeats
    .venv/bin/python bench/bench_scenarios.py --profile  # also cProfile the large book's recompute

Two books, each with one base cell edited (a 2026 capex cell raised by 10%) before it is timed:

- the default book (``model.defaults.alternatives.default_book()``): the bundled scenario and its four alternatives;
- a large book: the generated 500 companies × 30 years × 2,000 deals scenario (``bench.generate``) and 20
  alternatives made from it with a fixed seed, 50 overrides each: 24 Capex cells, 12 Revenue growth cells,
  12 Investments recycled shares and two assumptions (Useful life, Discount rate).

For each it prints the median (and min) of repeated runs of ``compare(book)`` — every alternative's overrides
applied to the new base and every scenario computed, the base included — the cost per scenario, and the same time
split into applying the overrides (``apply_overrides``), validating (``validate``, which ``compute`` runs first)
and computing. Then the ratio large / default. Nothing is asserted: the numbers are for reading.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_compute import timed  # noqa: E402
from bench.generate import generate  # noqa: E402
from model.core.compare import compare  # noqa: E402
from model.core.compute import compute  # noqa: E402
from model.core.overrides import Alternative, Override, ScenarioBook, apply_overrides, row_key  # noqa: E402
from model.core.scenario import Scenario  # noqa: E402
from model.core.validation import validate  # noqa: E402

EDITED_YEAR = "2026"
N_ALTERNATIVES = 20
CAPEX_OVERRIDES, GROWTH_OVERRIDES, DEAL_OVERRIDES = 24, 12, 12


def edit_base(book: ScenarioBook) -> ScenarioBook:
    """The book with its first company's 2026 capex raised by 10%: one edit to the base."""
    base = book.base
    old = base.capex.value(0, EDITED_YEAR)
    new = (old if isinstance(old, int | float) else 0.0) * 1.1 + 1.0
    return book.with_base(base.with_cell("Capex", 0, EDITED_YEAR, new))


def large_book(base: Scenario, n_alternatives: int = N_ALTERNATIVES, seed: int = 1) -> ScenarioBook:
    """``n_alternatives`` alternatives of ``base``, the same ones for the same seed: what-ifs on capex cells,
    growth rates, recycled shares and two assumptions, each override computed from the base's own value."""
    rng = np.random.default_rng(seed)
    capex, revenue, deals = base.capex, base.revenue, base.investments
    capex_years, growth_years = [str(y) for y in capex.years], [str(y) for y in revenue.years]
    alternatives = []
    for j in range(n_alternatives):
        overrides: list[Override] = []
        for _ in range(CAPEX_OVERRIDES):
            i, year = int(rng.integers(len(capex))), capex_years[int(rng.integers(len(capex_years)))]
            old = capex.value(i, year)
            value = round((old if isinstance(old, int | float) else 0.0) * float(rng.uniform(0.5, 1.5)), 3)
            overrides.append(Override("Capex", row_key(capex, i), year, value, "bench: capex what-if"))
        for _ in range(GROWTH_OVERRIDES):
            i, year = int(rng.integers(len(revenue))), growth_years[int(rng.integers(len(growth_years)))]
            overrides.append(Override("Revenue", row_key(revenue, i), year, round(float(rng.uniform(-0.1, 0.5)), 4),
                                      "bench: growth what-if"))
        for _ in range(DEAL_OVERRIDES):
            i = int(rng.integers(len(deals)))
            overrides.append(Override("Investments", row_key(deals, i), "recycled_share",
                                      float(rng.choice([0.0, 0.25, 0.5, 1.0])), "bench: recycling what-if"))
        overrides.append(Override("Assumptions", ("Useful life",), "value", float(rng.integers(3, 8)),
                                  "bench: hardware life"))
        overrides.append(Override("Assumptions", ("Discount rate",), "value", round(float(rng.uniform(0.06, 0.14)), 3),
                                  "bench: cost of capital"))
        alternatives.append(Alternative(f"Alternative {j + 1:02d}", "bench: generated", tuple(overrides)))
    return ScenarioBook(base, tuple(alternatives))


def apply_all(book: ScenarioBook) -> list[Scenario]:
    """Every alternative applied to the base (what ``compare`` does before computing)."""
    out = []
    for alt in book.alternatives:
        scenario, problems = apply_overrides(book.base, alt.overrides, alt.name)
        if problems:
            raise RuntimeError(f"{alt.name}: dangling overrides in the bench book: {problems[0].message}")
        out.append(scenario)
    return out


def measure(label: str, book: ScenarioBook, repeats: int) -> dict[str, float]:
    """Time ``compare`` of ``book`` after one edit to its base. Each timed run gets its own edit (a new base
    table, as in the window), so nothing computed for the previous run's base is reused."""
    n = len(book.names)
    n_overrides = sum(len(a.overrides) for a in book.alternatives)
    edited = edit_base(book)
    scenarios = [edited.base] + apply_all(edited)
    fresh = iter([edit_base(book) for _ in range(2 * (repeats + 1))])
    full, full_min = timed(lambda: compare(next(fresh)), repeats)
    apply, _ = timed(lambda: apply_all(next(fresh)), repeats)
    valid, _ = timed(lambda: [validate(s) for s in scenarios], repeats)
    comp, _ = timed(lambda: [compute(s) for s in scenarios], repeats)
    print(label)
    print(f"  {n} scenarios (the base and {n - 1} alternatives), {n_overrides:,} overrides; {repeats} runs each")
    print(f"  compare(book) after one base edit: median {full:9.2f} ms  min {full_min:9.2f} ms  "
          f"= {full / n:7.2f} ms per scenario")
    print(f"    apply overrides   (all alternatives)  median {apply:9.2f} ms  "
          f"({apply * 1e3 / max(n_overrides, 1):6.1f} µs per override)")
    print(f"    compute           (all scenarios)     median {comp:9.2f} ms  ({comp / n:7.2f} ms per scenario)")
    print(f"      of which validate                   median {valid:9.2f} ms  ({valid / n:7.2f} ms per scenario)")
    return {"full": full, "per_scenario": full / n, "apply": apply, "compute": comp, "validate": valid}


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    ap.add_argument("--profile", action="store_true", help="cProfile the large book's compare()")
    args = ap.parse_args(argv)
    small_repeats, large_repeats = (5, 1) if args.quick else (50, 5)

    wall = time.perf_counter()
    from model.defaults.alternatives import default_book
    default = measure("default book (the bundled scenario and its alternatives)", default_book(), small_repeats)
    print()
    base = generate()
    big = large_book(base)
    large = measure(f"large book ({base.name}, {N_ALTERNATIVES} generated alternatives)", big, large_repeats)

    print()
    print(f"ratio large / default: compare x{large['full'] / default['full']:.1f}, "
          f"per scenario x{large['per_scenario'] / default['per_scenario']:.1f}, "
          f"apply overrides x{large['apply'] / max(default['apply'], 1e-9):.1f}")
    print(f"\nwall time {time.perf_counter() - wall:.1f} s")

    if args.profile:
        prof = cProfile.Profile()
        edited = edit_base(big)
        prof.enable()
        compare(edited)
        prof.disable()
        out = io.StringIO()
        pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(20)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
