"""Undoable edits. Each builds a candidate scenario with ``model.edit`` and hands it to ``Document.change``.

A command only swaps immutable scenarios (with their validation), so undo and redo restore the exact inputs —
and therefore the exact results — of before.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from model import edit
from model.edit import CellInput, EditRefused
from model.problems import Problem
from model.scenario import Scenario

if TYPE_CHECKING:
    from gui.document import Document

State = tuple[Scenario, list[Problem]]


class ScenarioCommand(QUndoCommand):
    def __init__(self, document: Document, before: State, after: State, text: str) -> None:
        super().__init__(text)
        self._document, self._before, self._after = document, before, after

    # An exception must not cross back into QUndoStack's C++: report it (the app's excepthook shows it) instead.
    def redo(self) -> None:
        try:
            self._document._swap(*self._after)
        except Exception:
            sys.excepthook(*sys.exc_info())

    def undo(self) -> None:
        try:
            self._document._swap(*self._before)
        except Exception:
            sys.excepthook(*sys.exc_info())


def _attempt(document: Document, build: Callable[[Scenario], Scenario], text: str,
             where: tuple[str, int, str]) -> bool:
    try:
        candidate = build(document.scenario)
    except EditRefused as refusal:
        document.refuse(refusal)
        return False
    return document.change(candidate, text, where)


def edit_cells(document: Document, sheet: str, cells: Sequence[CellInput], text: str = "") -> bool:
    """Set cells from typed or pasted text: all parse and validate, or none change. One undo step."""
    if not cells:
        return True
    first = cells[0]
    if not text:
        column = document.scenario.table(sheet).columns
        header = column[document.scenario.table(sheet).column_index(first.key)].header
        text = f"Edit {sheet} {header}" if len(cells) == 1 else f"Paste {len(cells)} cells into {sheet}"
    return _attempt(document, lambda s: edit.set_cells(s, sheet, cells), text, (sheet, first.row, first.key))


def insert_rows(document: Document, sheet: str, index: int, count: int = 1) -> bool:
    noun = "company" if sheet in ("Capex", "Revenue") else ("deal" if sheet == "Investments" else "row")
    text = f"Add {noun}" if count == 1 else f"Add {count} {noun}s"
    return _attempt(document, lambda s: edit.insert_rows(s, sheet, index, count), text, (sheet, index, ""))


def remove_rows(document: Document, sheet: str, rows: Sequence[int]) -> bool:
    if not rows:
        return True
    if sheet in ("Capex", "Revenue"):
        table = document.scenario.table(sheet)
        names = [str(table.value(r, "company")) for r in sorted(rows) if 0 <= r < len(table)]
        text = f"Remove {', '.join(names[:3])}{'…' if len(names) > 3 else ''}"
    else:
        text = f"Remove {len(rows)} row{'s' if len(rows) > 1 else ''} of {sheet}"
    return _attempt(document, lambda s: edit.remove_rows(s, sheet, rows), text, (sheet, min(rows), ""))


def add_company(document: Document, name: str) -> bool:
    return _attempt(document, lambda s: edit.add_company(s, name), f"Add {name}", ("Capex", -1, "company"))


def add_year(document: Document, sheet: str, year: int) -> bool:
    return _attempt(document, lambda s: edit.add_year(s, sheet, year), f"Add {year} to {sheet}",
                    (sheet, -1, str(year)))


def remove_year(document: Document, sheet: str, year: int) -> bool:
    return _attempt(document, lambda s: edit.remove_year(s, sheet, year), f"Remove {year} from {sheet}",
                    (sheet, -1, str(year)))
