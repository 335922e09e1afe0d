"""Benchmark the edit journal: what it adds to an edit's time on the GUI thread (budget: 1 ms).

    .venv/bin/python bench/bench_journal.py            # default book and 500 x 30 x 2,000, every kind of edit
    .venv/bin/python bench/bench_journal.py --quick    # fewer edits

Each edit goes through ``gui.commands`` on a ``Document`` as the window's would (recompute switched off: it is the
same with or without a journal, and runs in the worker on large books). Timed per edit, in one run:
- ``journal``: the time inside ``JournalKeeper.swapped`` — the diff against the last journaled state, the line's
  JSON and checksum, and its ``write`` (the fsync runs on a worker thread a second later);
- ``edit``: the whole command (candidate, validation, undo step, journal) with the journal, and the same edits on
  a document without one; their medians' difference is the journal's share seen from outside.
Also: the cost of starting a journal (writing the whole book), paid when a file is opened or saved, not per edit.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication  # noqa: E402

import gui  # noqa: E402,F401  (the PySide6 6.12.0 workaround)
from bench.generate import generate  # noqa: E402
from gui import commands  # noqa: E402
from gui.document import Document  # noqa: E402
from gui.files import default_scenario, settle_memory  # noqa: E402
from gui.journal import JournalKeeper  # noqa: E402
from model.core.edit import CellInput  # noqa: E402
from model.core.overrides import BASE, ScenarioBook  # noqa: E402

BUDGET_MS = 1.0
Edit = Callable[[Document, int], object]


def edits_of(doc: Document) -> dict[str, Edit]:
    capex = doc.scenario.capex
    year = str(capex.years[len(capex.years) // 2])
    deals = len(doc.scenario.investments)
    rows = len(capex)

    def toggle(edit: Edit) -> Edit:       # an edit, then its undo: rows and years would pile up otherwise
        def run(d: Document, k: int) -> object:
            return edit(d, k) if k % 2 == 0 else d.undo_stack.undo()
        return run

    return {
        "capex cell": lambda d, k: commands.edit_cells(d, "Capex", [CellInput(k % rows, year, f"{50 + k % 97}.5")]),
        "deal amount": lambda d, k: commands.edit_cells(d, "Investments",
                                                        [CellInput((7 * k) % deals, "amount", f"{1 + k % 13}.25")]),
        "paste 20 cells": lambda d, k: commands.edit_cells(d, "Capex", [
            CellInput((k + i) % rows, str(capex.years[i % len(capex.years)]), f"{10 + k + i}") for i in range(20)]),
        "add deal / undo": toggle(lambda d, k: commands.insert_rows(d, "Investments", deals // 2, 1)),
        "add year / undo": toggle(lambda d, k: commands.add_year(d, "Capex", capex.years[-1] + 1)),
        "undo / redo": lambda d, k: d.undo_stack.undo() if k % 2 == 0 else d.undo_stack.redo(),
    }


def scenario_edits(doc: Document) -> dict[str, Edit]:
    """On an alternative: each edit becomes an override."""
    capex = doc.scenario.capex
    year = str(capex.years[len(capex.years) // 2])
    return {"override (alternative cell)": lambda d, k: commands.edit_cells(
        d, "Capex", [CellInput(k % len(capex), year, f"{70 + k % 89}.5")])}


def run(book: ScenarioBook, n: int, folder: Path, journal: bool) -> dict[str, tuple[list[float], list[float]]]:
    """Per kind of edit: (whole-edit ms, journal ms) for each of n edits."""
    out: dict[str, tuple[list[float], list[float]]] = {}
    doc = Document(book, "")
    doc.recompute = lambda **_: 0      # type: ignore[method-assign]  # the same with or without a journal
    settle_memory()                   # as the app does after opening a file
    spent: list[float] = []
    keeper = None
    if journal:
        keeper = JournalKeeper(doc, folder)
        real = keeper.swapped

        def timed(state: object) -> None:
            start = time.perf_counter()
            real(state)                   # type: ignore[arg-type]
            spent.append((time.perf_counter() - start) * 1000.0)
        keeper.swapped = timed            # type: ignore[method-assign]
    kinds = edits_of(doc)
    for name, edit in [*kinds.items(), ("__switch__", None), *scenario_edits(doc).items()]:
        if edit is None:
            commands.new_scenario(doc)    # the following edits are overrides of this alternative
            continue
        edit_ms, journal_ms = [], []
        for k in range(n):
            spent.clear()
            start = time.perf_counter()
            edit(doc, k)
            edit_ms.append((time.perf_counter() - start) * 1000.0)
            journal_ms.append(sum(spent))
        out[name] = (edit_ms, journal_ms)
    if keeper is not None:
        assert keeper.path is not None and not keeper.problem
        keeper.close()
    doc.switch(BASE)
    return out


def start_cost(book: ScenarioBook, folder: Path, n: int = 5) -> float:
    doc = Document(book, "")
    doc.recompute = lambda **_: 0      # type: ignore[method-assign]
    times = []
    for _ in range(n):
        start = time.perf_counter()
        keeper = JournalKeeper(doc, folder)
        times.append((time.perf_counter() - start) * 1000.0)
        keeper.close()
    return statistics.median(times)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    QApplication.instance() or QApplication([])
    n = 20 if args.quick else 100
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        books = [("default book", default_scenario()), ("500 x 30 x 2,000", ScenarioBook(generate(500, 30, 2000)))]
        for title, book in books:
            without = run(book, n, folder, journal=False)
            with_journal = run(book, n, folder, journal=True)
            print(f"{title}: {n} edits of each kind, medians (ms) — journal's own time | edit with | without")
            for name, (edit_ms, journal_ms) in with_journal.items():
                own = statistics.median(journal_ms)
                worst = max(worst, own)
                print(f"  {name:28s} journal {own:6.3f} (max {max(journal_ms):6.3f}) | edit "
                      f"{statistics.median(edit_ms):7.2f} | {statistics.median(without[name][0]):7.2f}")
            print(f"  starting a journal (the whole book, at open and save): {start_cost(book, folder):.1f} ms")
    print(f"journal per edit, worst median: {worst:.3f} ms [budget {BUDGET_MS:.0f} ms: "
          f"{'met' if worst <= BUDGET_MS else 'MISSED'}]")
    return 0 if worst <= BUDGET_MS else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
