"""Edits while an alternative scenario is on screen: cells become overrides of the base, never base edits.

The window shows an alternative as the base with its overrides applied. An analyst who types into that view
changes the alternative: each changed cell is set as an override (keeping the note it had), and a cell typed back
to the base's value drops its override. Structure (companies, deals, years) and row keys belong to the base — an
override names its row by key, so a key edit would re-point it — and such edits are refused with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable

from model.core import edit, schema, values
from model.core.edit import EditRefused
from model.core.overrides import BASE, Alternative, Override, ScenarioBook, row_key
from model.core.scenario import Cell, Scenario, Table

STRUCTURE_BELONGS_TO_BASE = ("a scenario changes cells of the base; add or remove companies, deals and years "
                             "in the Base scenario")


def _norm_key(key: tuple[str, ...]) -> tuple[str, ...]:
    """Keys match as overrides match them (model.core.overrides): case- and whitespace-insensitively."""
    return tuple(values.normalise_header(part) for part in key)


def _row_index(table: Table) -> dict[tuple[str, ...], int]:
    index: dict[tuple[str, ...], int] = {}
    for i in range(len(table)):
        index.setdefault(_norm_key(row_key(table, i)), i)
    return index


def same_value(a: Cell, b: Cell) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return a == b


def as_overrides(base: Scenario, alternative: Alternative, shown: Scenario, candidate: Scenario) -> Alternative:
    """``alternative`` with every cell where ``candidate`` differs from ``shown`` (the alternative as displayed)
    set as an override; a cell set back to the base's value drops its override. Raises EditRefused for a change
    of structure or of a row key."""
    alt = alternative
    for sheet in schema.SHEETS:
        old, new = shown.table(sheet.name), candidate.table(sheet.name)
        if old is new or (old.years == new.years and old.rows == new.rows):
            continue
        if old.years != new.years or len(old) != len(new):
            raise EditRefused(sheet.name, -1, "", STRUCTURE_BELONGS_TO_BASE)
        base_table = base.table(sheet.name)
        base_rows = _row_index(base_table)
        key_columns = set(sheet.key)
        for r, (before, after) in enumerate(zip(old.rows, new.rows, strict=True)):
            if before is after or before == after:
                continue
            key = row_key(old, r)
            base_row = base_rows.get(_norm_key(key))
            for column, was, now in zip(old.keys, before, after, strict=True):
                if same_value(was, now):
                    continue
                if column in key_columns:
                    header = old.columns[old.column_index(column)].header
                    raise EditRefused(sheet.name, r, column, f"{header} names the row that a scenario's changes "
                                                             "refer to; rename it in the Base scenario")
                if base_row is None:
                    raise EditRefused(sheet.name, r, column, "this row is not in the base")
                if same_value(now, base_table.value(base_row, column)):
                    alt = alt.without_override(sheet.name, key, column)
                else:
                    kept = overridden_cells(alt, old).get((r, column))
                    alt = alt.with_override(Override(sheet.name, key, column, now, kept.note if kept else ""))
    return alt


def reset_cells(alternative: Alternative, shown: Scenario, sheet: str, cells: Iterable[tuple[int, str]]) -> Alternative:
    """``alternative`` without its overrides of these cells (row index in ``shown``'s table, column key)."""
    table = shown.table(sheet)
    alt = alternative
    for row, column in cells:
        alt = alt.without_override(sheet, row_key(table, row), column)
    return alt


def overridden_cells(alternative: Alternative | None, table: Table) -> dict[tuple[int, str], Override]:
    """The cells of ``table`` that ``alternative`` sets, by (row index, column key): the last override wins."""
    if alternative is None or not alternative.overrides:
        return {}
    mine = [o for o in alternative.overrides if o.sheet == table.sheet]
    if not mine:
        return {}
    rows = _row_index(table)
    cells: dict[tuple[int, str], Override] = {}
    for o in mine:
        row = rows.get(_norm_key(o.key))
        if row is not None and o.column in table.keys:
            cells[(row, o.column)] = o
    return cells


def unused_name(book: ScenarioBook, stem: str) -> str:
    """``stem``, or ``stem 2``, ``stem 3``… — the first that no scenario of the book has (case-insensitively)."""
    return edit.unique_name(book.names, stem)


def check_name(book: ScenarioBook, name: str, current: str = "") -> str:
    """A new scenario name, stripped; raises ValueError with the reason when it cannot be used."""
    name = " ".join(name.split())
    if not name:
        raise ValueError("a scenario needs a name")
    if name.lower() == BASE.lower():
        raise ValueError(f"'{BASE}' is the base scenario itself")
    if name.lower() != current.lower() and name.lower() in {n.lower() for n in book.names}:
        raise ValueError(f"a scenario named {name!r} exists already")
    return name


def duplicate(book: ScenarioBook, name: str) -> Alternative:
    """A copy of scenario ``name`` (the base: a scenario with no changes yet) under an unused name."""
    copy_name = unused_name(book, f"{name} (copy)")
    if name == BASE:
        return Alternative(copy_name, "A copy of the base: change cells to make it a scenario.")
    original = book.alternative(name)
    return Alternative(copy_name, original.description, original.overrides)
