"""Benchmark the Excel export: the bundled scenario, the bundled book (the base and its four alternatives) and a
large scenario (500 companies × 30 years × 2,000 deals).

    .venv/bin/python bench/bench_export.py            # default and book ×7, large ×3
    .venv/bin/python bench/bench_export.py --quick    # default and book ×3, large ×1

Prints the median (and min) wall time of ``export_results(scenario_or_book, path)`` — compute() of every scenario
included, as the command line runs it — and of the write alone (results passed in, as the window calls it), the
ratio large/default, the number of live formulas and the file size. Targets: default < 1 s median, book < 2 s.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate import generate  # noqa: E402
from model.core.compare import compare  # noqa: E402
from model.core.compute import compute  # noqa: E402
from model.core.overrides import ScenarioBook  # noqa: E402
from model.core.scenario import Scenario  # noqa: E402
from model.export.writer import ExportSummary, export_results  # noqa: E402

DEFAULT_TARGET_S = 1.0
BOOK_TARGET_S = 2.0


def default_scenario() -> tuple[str, Scenario]:
    try:
        from model.defaults.scenario import default_scenario as bundled
    except ImportError:
        return "generated 10 x 12 x 15 (model.defaults.scenario missing)", generate(10, 12, 15)
    s = bundled()
    return f"default scenario ({len(s.revenue)} companies, {len(s.investments)} deals)", s


def timed(fn: Callable[[], object], repeats: int) -> tuple[float, float]:
    """(median, min) in seconds over ``repeats`` runs."""
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def default_book() -> tuple[str, ScenarioBook] | None:
    try:
        from model.defaults.alternatives import default_book as bundled
    except ImportError:
        return None
    book = bundled()
    return f"default book ({len(book.names)} scenarios: the base and {len(book.alternatives)} alternatives)", book


def bench(label: str, scenario: Scenario | ScenarioBook, repeats: int, folder: Path) -> float:
    path = folder / "export.xlsx"
    results = compare(scenario) if isinstance(scenario, ScenarioBook) else compute(scenario)
    summary: list[ExportSummary] = []
    full = timed(lambda: summary.append(export_results(scenario, path)), repeats)
    write = timed(lambda: export_results(scenario, path, results), repeats)
    s = summary[-1]
    print(f"{label}\n  export incl. compute: median {full[0]:.3f} s (min {full[1]:.3f} s)   write only: median "
          f"{write[0]:.3f} s   {s.formula_cells:,} live formulas, {path.stat().st_size / 1e6:.1f} MB")
    return full[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    small_repeats, large_repeats = (3, 1) if args.quick else (7, 3)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        label, scenario = default_scenario()
        default = bench(label, scenario, small_repeats, folder)
        bundled = default_book()
        book = bench(*bundled, small_repeats, folder) if bundled else 0.0
        large = bench("generated 500 companies x 30 years x 2,000 deals", generate(500, 30, 2000), large_repeats,
                      folder)
    print(f"ratio large / default: {large / default:.0f}x")
    ok = default < DEFAULT_TARGET_S and book < BOOK_TARGET_S
    print(f"default target < {DEFAULT_TARGET_S:.0f} s, book target < {BOOK_TARGET_S:.0f} s: "
          f"{'OK' if ok else 'SLOWER THAN TARGET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
