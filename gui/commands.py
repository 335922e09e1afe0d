"""Undoable edits, as the analyst names them. Each builds a candidate scenario with ``model.core.edit`` and hands it to ``Document.change``;
scenario operations build a new book with ``model.core.overrides``/``model.core.scenario_edit`` and hand it to
``Document.change_book``.

A command only swaps immutable states (book, scenario on screen, validation), so undo and redo restore the exact
inputs — and therefore the exact results — of before.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from model.core import edit, scenario_edit
from model.core.edit import CellInput, EditRefused
from model.core.overrides import BASE, Alternative
from model.core.scenario import Scenario

if TYPE_CHECKING:
    from gui.document import Document
    from model.sensitivity.goal_seek import GoalSeek


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


# -- scenario operations ------------------------------------------------------------------------------------------
def _refused(document: Document, message: str) -> bool:
    document.refuse(EditRefused("", -1, "", message))
    return False


def new_scenario(document: Document, name: str = "", description: str = "") -> bool:
    """A scenario with no changes yet (the base, as it stands), shown at once."""
    book = document.book
    try:
        name = scenario_edit.check_name(book, name) if name else scenario_edit.unused_name(book, "New scenario")
    except ValueError as exc:
        return _refused(document, str(exc))
    document.change_book(book.with_alternative(Alternative(name, description)), f"New scenario {name!r}", name)
    return True


def duplicate_scenario(document: Document, name: str | None = None) -> bool:
    name = document.active if name is None else name
    copy = scenario_edit.duplicate(document.book, name)
    document.change_book(document.book.with_alternative(copy), f"Duplicate {name!r}", copy.name)
    return True


def rename_scenario(document: Document, old: str, new: str) -> bool:
    if old == BASE:
        return _refused(document, "the base keeps its name: it is what every scenario changes")
    try:
        new = scenario_edit.check_name(document.book, new, current=old)
    except ValueError as exc:
        return _refused(document, str(exc))
    if new == old:
        return True
    active = new if document.active == old else document.active
    document.change_book(document.book.renamed(old, new), f"Rename {old!r} to {new!r}", active)
    return True


def delete_scenario(document: Document, name: str) -> bool:
    if name == BASE:
        return _refused(document, "the base cannot be deleted: every scenario is a change of it")
    active = BASE if document.active == name else document.active
    document.change_book(document.book.without_alternative(name), f"Delete scenario {name!r}", active)
    return True


def reset_to_base(document: Document, sheet: str, cells: Sequence[tuple[int, str]]) -> bool:
    """Drop the active scenario's changes of these cells: they read as the base again. One undo step."""
    alt = document.alternative
    if alt is None:
        return _refused(document, "the base is the reference: only a scenario's changed cells can be reset")
    reset = scenario_edit.reset_cells(alt, document.scenario, sheet, cells)
    if reset == alt:
        return True
    n = len(alt.overrides) - len(reset.overrides)
    document.change_book(document.book.with_alternative(reset),
                         f"Reset {n} cell{'s' if n != 1 else ''} of {sheet} to the base")
    return True


def apply_goal_seek(document: Document, result: GoalSeek) -> bool:
    """A goal seek's answer as a new scenario — the scenario on screen with the input at the answer, each changed
    cell noted with how it was found — shown at once. One undo step, like any scenario operation."""
    # Imported here: goal_seek brings scipy.optimize (~0.1 s), which the window's start does not need.
    from model.sensitivity.goal_seek import as_scenario as as_goal_seek_scenario

    if not result.reached:
        return _refused(document, "the goal seek found no value that reaches the target")
    try:
        alt = as_goal_seek_scenario(document.book, document.active, result)
    except EditRefused as refusal:
        document.refuse(refusal)
        return False
    document.change_book(document.book.with_alternative(alt), f"Goal seek: new scenario {alt.name!r}", alt.name)
    return True
