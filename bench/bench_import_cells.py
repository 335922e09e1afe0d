"""Benchmark the importer on cells that point at huge text: the work per cell is bounded.

    .venv/bin/python bench/bench_import_cells.py            # 5 repeats
    .venv/bin/python bench/bench_import_cells.py --quick    # 3 repeats

Each case is a file under 1 MB built here: 2,000 header cells (20 rows x 100) of a sheet named Capex pointing at
one shared string of n characters, for n from 10 to 1,000,000, and the same with 2,000 number cells. Prints the
median (and min) of ``check_template`` per case and the ratio to the 10-character case: a bounded reader keeps the
ratio near 1 whatever n (before the bound, the 1 MB case took over 2 minutes). Budget: every case <= 2 s (tested in
tests/test_import_odd_workbooks.py).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.io.workbook import check_template  # noqa: E402

REVENUE_HEAD = ["Company", "Base year", "Base AI revenue", "Cash margin", 2025, 2026, "Source"]


def build(path: Path, text: str, where: str) -> Path:
    """A workbook whose Capex header cells (``where="header"``) or number cells point at one shared ``text``."""
    book = xlsxwriter.Workbook(str(path))
    capex = book.add_worksheet("Capex")
    if where == "header":
        for r in range(20):
            for c in range(100):
                capex.write_string(r, c, "PLACEHOLDER")
    else:
        capex.write_row(0, 0, ["Company", "In sector", 2024, 2025])
        for r in range(1, 1001):
            capex.write_row(r, 0, [f"Company {r}", "yes", "PLACEHOLDER", "PLACEHOLDER"])
    book.add_worksheet("Revenue").write_row(0, 0, REVENUE_HEAD)
    book.close()
    with zipfile.ZipFile(path) as z:
        parts = [(info, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in parts:
            if info.filename == "xl/sharedStrings.xml":
                data = data.replace(b"PLACEHOLDER", text.encode())
            z.writestr(info, data)
    return path


def timed(path: Path, repeats: int) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        check_template(path)
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    repeats = 3 if parser.parse_args().quick else 5
    with tempfile.TemporaryDirectory() as tmp:
        for where in ("header", "number"):
            base = None
            print(f"\n2,000 {where} cells pointing at one shared string of n characters")
            print(f"{'n':>10} {'file':>9} {'median':>9} {'min':>9} {'ratio':>7}")
            for n in (10, 1_000, 100_000, 999_999):
                text = ("Capex 2025 " * (n // 11 + 1))[:n] if where == "header" else " " * n
                path = build(Path(tmp) / f"{where}-{n}.xlsx", text, where)
                median, best = timed(path, repeats)
                base = base or median
                print(f"{n:>10,} {path.stat().st_size:>8,}B {median * 1000:>7.0f}ms {best * 1000:>7.0f}ms "
                      f"{median / base:>6.1f}x")


if __name__ == "__main__":
    main()
