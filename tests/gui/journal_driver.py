"""Runs the real app (``gui.app.run_app``: its start-up, its recovery, its window) and edits through the window,
printing what it does, for the crash tests (test_gui_journal.py) to kill at random moments.

    QT_QPA_PLATFORM=offscreen BUBBLESCOPE_DATA_DIR=… python tests/gui/journal_driver.py FILE SEED [EDITS]

Prints, flushed line by line:

    START <fingerprint> <recovered changes> <active>     the document as the app started (after any recovery)
    OP <n> <json>                                         edit n, about to be made (the test mirrors it)
    ACK <n> <fingerprint> <active>                        edit n made: the window's command returned
    WARNING <text>                                        the warning bar under the toolbar, when shown
    IDLE                                                  after EDITS edits (none: edits until killed)

The fingerprint is a hash of ``repr(book)``: equal books, equal fingerprints, without the journal's own code.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from model.core.overrides import BASE, ScenarioBook  # noqa: E402


def fingerprint(book: ScenarioBook) -> str:
    return hashlib.sha256(repr(book).encode()).hexdigest()[:20]


def say(*parts: object) -> None:
    print(*parts, flush=True)


def choose(rng: random.Random, document: object) -> dict[str, object]:
    """One edit of the kinds an analyst makes, valid for the document as it stands."""
    scenario = document.scenario           # type: ignore[attr-defined]
    book = document.book                   # type: ignore[attr-defined]
    kind = rng.choices(["cell", "paste", "add_row", "remove_row", "add_year", "new_scenario", "switch", "undo",
                        "redo", "delete_scenario"], weights=[25, 8, 8, 6, 3, 3, 6, 8, 5, 3])[0]
    if kind in ("cell", "paste"):
        sheet = rng.choice(["Capex", "Revenue", "Investments"])
        table = scenario.table(sheet)
        keys = {"Capex": [str(y) for y in table.years], "Revenue": ["base_revenue"], "Investments": ["amount"]}[sheet]
        cells = [[rng.randrange(len(table.rows)), rng.choice(keys), f"{rng.uniform(0, 300):.2f}"]
                 for _ in range(1 if kind == "cell" else rng.randint(2, 4))]
        return {"op": kind, "sheet": sheet, "cells": cells}
    if kind == "add_row":
        return {"op": kind, "sheet": "Investments", "at": rng.randint(0, len(scenario.investments.rows))}
    if kind == "remove_row":
        return {"op": kind, "sheet": "Investments", "row": rng.randrange(len(scenario.investments.rows))}
    if kind == "add_year":
        return {"op": kind, "sheet": "Capex", "year": max(scenario.capex.years) + 1}
    if kind == "switch":
        return {"op": kind, "name": BASE if rng.random() < 0.6 else rng.choice(book.names)}   # rows: base only
    if kind == "delete_scenario":
        names = [n for n in book.names if n != BASE]
        return {"op": kind, "name": rng.choice(names)} if names else {"op": "undo"}
    return {"op": kind}


def make(window: object, op: dict[str, object]) -> None:
    """Through the window: its table models, its scenario bar, its undo and redo actions."""
    from gui import commands
    from model.core.edit import CellInput

    document = window.document              # type: ignore[attr-defined]
    inputs = window.inputs                  # type: ignore[attr-defined]
    kind = op["op"]
    if kind == "cell":
        model = inputs.models[op["sheet"]]
        row, key, text = op["cells"][0]     # type: ignore[index]
        model.setData(model.index(row, model.table.column_index(key)), text)
    elif kind == "paste":
        inputs.models[op["sheet"]].set_block([CellInput(r, k, t) for r, k, t in op["cells"]])  # type: ignore[attr-defined]
    elif kind == "add_row":
        inputs.models[op["sheet"]].insertRows(op["at"], 1)
    elif kind == "remove_row":
        inputs.models[op["sheet"]].removeRows(op["row"], 1)
    elif kind == "add_year":
        commands.add_year(document, str(op["sheet"]), int(op["year"]))    # what Edit ▸ Add year column calls
    elif kind == "new_scenario":
        window.scenarios.new()              # type: ignore[attr-defined]
    elif kind == "switch":
        document.switch(op["name"])
    elif kind == "delete_scenario":
        commands.delete_scenario(document, str(op["name"]))
    elif kind == "undo":
        window.undo_action.trigger()        # type: ignore[attr-defined]
    elif kind == "redo":
        window.redo_action.trigger()        # type: ignore[attr-defined]


def main(path: str, seed: int, edits: int | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    rng = random.Random(seed)
    count = 0

    def window_of() -> object:
        from gui.main_window import MainWindow

        return next(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow))

    def start() -> None:
        window = window_of()
        document = window.document          # type: ignore[attr-defined]
        recovery = document.journal.recovery
        say("START", fingerprint(document.book), recovery.recovered.changes if recovery else 0,
            json.dumps(document.active))
        bar = document.journal.warning_bar
        if bar.isVisible():
            say("WARNING", bar.text)
        QTimer.singleShot(0, step)

    def step() -> None:
        nonlocal count
        if edits is not None and count >= edits:
            say("IDLE")
            return
        window = window_of()
        document = window.document          # type: ignore[attr-defined]
        count += 1
        op = choose(rng, document)
        say("OP", count, json.dumps(op))
        make(window, op)
        say("ACK", count, fingerprint(document.book), json.dumps(document.active))
        QTimer.singleShot(0, step)

    QTimer.singleShot(0, start)
    QTimer.singleShot(300_000, lambda: os._exit(3))    # never outlive a test that failed before killing it
    from gui.app import run_app

    assert app is not None
    return run_app([path])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else None))
