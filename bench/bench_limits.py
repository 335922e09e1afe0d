"""Files at the import caps: the memory and time of ``check``, ``report``, ``report --json`` and ``export``, each run
as the command line runs it, in a process of its own (its peak resident memory is its own).

    .venv/bin/python bench/bench_limits.py                 # every size below (many minutes, several GB of disk)
    .venv/bin/python bench/bench_limits.py --only deals    # one of them
    .venv/bin/python bench/bench_limits.py --size 300 30 2000 --runs check export   # any size, some commands

The sizes:

- ``companies``: 24,000 companies × 30 years with 2,000 deals, the largest Capex/Revenue sheets that pass the
  import's checks (the case of issue 17);
- ``deals``: 100 companies × 30 years with 100,000 deals, the Investments cap (100,000 rows of data);
- ``mid``: 4,000 companies × 30 years with 2,000 deals, a size whose export still moves the Sensitivity sheet's
  coarse inputs (past 250,000 entity-years it moves none; docs/template-format.md, *Limits*).

Every export is re-imported (``read_book``), as the issue asks of any template that imports.

Budgets (issue 17): export ≤ 1 GB and within 20× the default export's time per input cell; report --json ≤ 1 GB.
The default export's time per input cell is measured in this run, as the ratio's denominator. The figures go in
docs/template-format.md, *Limits*.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SIZES = {
    "companies": (24_000, 30, 2_000),
    "deals": (100, 30, 100_000),
    "mid": (4_000, 30, 2_000),
}
# "writing": the export's writing alone, after read and compute (its peak counts the results it holds)
COMMANDS = ("check", "report", "report --json", "export", "writing")
GB = 2**30


def _child(argv: list[str]) -> None:
    """Run one CLI command in this process and print its wall time, peak memory and exit code as JSON."""
    import contextlib
    import io

    from model.cli import run

    if argv[0] == "writing":
        _child_writing(Path(argv[1]), Path(argv[2]))
        return
    start = time.perf_counter()
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(argv)
    seconds = time.perf_counter() - start
    peak = _peak_bytes()
    print(json.dumps({"seconds": seconds, "peak": peak, "code": code, "stderr": err.getvalue()[-400:]}))


def _child_writing(template: Path, output: Path) -> None:
    """The export's own share: read and compute as the export does, then reset this process's peak memory and time
    the writing alone (the results stay held, as they are while the export writes)."""
    from model.core.compute import compute
    from model.export.writer import export_results
    from model.io.workbook import read_book

    book = read_book(template)
    results = compute(book.base)
    before = _peak_bytes()
    Path("/proc/self/clear_refs").write_text("5")      # VmHWM starts again from the present RSS (Linux)
    start = time.perf_counter()
    export_results(book, output, results=results)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "peak": _peak_bytes(), "code": 0, "stderr": "",
                      "before": before}))


def _peak_bytes() -> int:
    """This process's peak resident memory. Not getrusage's ru_maxrss: Linux carries it across exec, so a child
    forked from a large parent would report the parent's peak; VmHWM belongs to the new address space."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * (1 if sys.platform == "darwin" else 1024)


def measure(command: str, template: Path, output: Path) -> dict[str, Any]:
    argv = command.split()[:1] + [str(template)] + command.split()[1:]
    if command == "export":
        argv += ["-o", str(output)]
    if command == "writing":
        argv = ["writing", str(template), str(output)]
    done = subprocess.run([sys.executable, __file__, "--child", json.dumps(argv)], capture_output=True, text=True,
                          cwd=ROOT)
    if done.returncode != 0 or not done.stdout.strip():
        return {"seconds": float("nan"), "peak": 0, "code": done.returncode, "stderr": done.stderr[-400:]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def default_export_seconds_per_cell() -> tuple[float, int]:
    """The default scenario's export time (median of 5, compute included) per input cell, and its input cells."""
    from model.core.overrides import ScenarioBook
    from model.defaults.scenario import default_scenario
    from model.export.limits import input_cells
    from model.export.writer import export_results

    s = default_scenario()
    cells = input_cells(ScenarioBook(s))
    times = []
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(5):
            start = time.perf_counter()
            export_results(s, Path(folder) / "default.xlsx")
            times.append(time.perf_counter() - start)
    return statistics.median(times) / cells, cells


def run_size(label: str, shape: tuple[int, int, int], commands: tuple[str, ...], per_cell: float,
             folder: Path) -> None:
    from bench.generate import generate
    from model.core.overrides import ScenarioBook
    from model.export.limits import input_cells
    from model.io.template_writer import write_template
    from model.io.workbook import read_book

    n, years, deals = shape
    start = time.perf_counter()
    scenario = generate(n, years, deals)
    template = folder / f"{label}.xlsx"
    write_template(scenario, template)
    cells = input_cells(ScenarioBook(scenario))
    print(f"\n{label}: {n:,} companies × {years} years, {deals:,} deals — {cells:,} input cells, template "
          f"{template.stat().st_size / 2**20:.1f} MB (generated and written in {time.perf_counter() - start:.0f} s)")
    del scenario
    output = folder / f"{label}-export.xlsx"
    for command in commands:
        r = measure(command, template, output)
        seconds, peak = float(r["seconds"]), int(r["peak"])
        line = f"  {command:<14} {seconds:8.1f} s  {peak / 2**20:8.0f} MB  exit {r['code']}"
        if command == "writing":
            line += f"  (read and compute before it peaked at {int(r['before']) / 2**20:.0f} MB)"
        if command == "export":
            ratio = seconds / cells / per_cell
            line += f"  ({ratio:.1f}× the default export's time per input cell; budget 20×)"
        if command in ("export", "report --json"):
            line += "  within 1 GB" if peak <= GB else "  OVER 1 GB"
        print(line)
        if r["code"] and r.get("stderr"):
            print("    " + str(r["stderr"]).strip().replace("\n", "\n    "))
        if command in ("export", "writing") and r["code"] == 0:
            start = time.perf_counter()
            back = read_book(output)
            print(f"  re-import of the export: {len(back.base.companies):,} companies, "
                  f"{len(back.base.investments):,} deals in {time.perf_counter() - start:.1f} s "
                  f"({output.stat().st_size / 2**20:.1f} MB)")
    for path in (template, output):
        path.unlink(missing_ok=True)


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        _child(json.loads(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", choices=sorted(SIZES), action="append")
    parser.add_argument("--size", nargs=3, type=int, metavar=("COMPANIES", "YEARS", "DEALS"))
    parser.add_argument("--runs", nargs="+", default=list(COMMANDS), help="commands among: " + ", ".join(COMMANDS))
    args = parser.parse_args()
    runs = tuple(" ".join(r.split("_")) if r != "json" else "report --json" for r in args.runs)
    per_cell, default_cells = default_export_seconds_per_cell()
    print(f"default export: {per_cell * default_cells:.2f} s for {default_cells:,} input cells "
          f"({per_cell * 1e3:.2f} ms per input cell); {os.cpu_count()} cores")
    sizes = {"custom": tuple(args.size)} if args.size else {k: SIZES[k] for k in (args.only or SIZES)}
    with tempfile.TemporaryDirectory(dir=ROOT / "bench") as folder:
        for label, shape in sizes.items():
            run_size(label, shape, runs, per_cell, Path(folder))


if __name__ == "__main__":
    main()
