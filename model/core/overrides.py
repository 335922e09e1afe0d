"""Scenarios as diffs from the base: a named list of overrides (sheet, row key, column, value, note).

Computing a scenario applies its overrides to the base, in order (a later override of the same cell wins), and
calls the same ``compute``. An override whose row or column no longer exists in the base is reported with its
sheet, key and column — never dropped silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from model.core import schema, values
from model.core.problems import Problem
from model.core.scenario import Cell, Scenario, Table

BASE = "Base"
KEY_SEPARATOR = " | "


@dataclass(frozen=True)
class Override:
    sheet: str
    key: tuple[str, ...]        # the row's key values as text, e.g. ("Amazon",) or ("Nvidia", "OpenAI", "2025", "equity")
    column: str                 # column key: "recycled_share", or a year "2027"
    value: Cell                 # already parsed by the column's schema
    note: str = ""

    @property
    def key_text(self) -> str:
        return KEY_SEPARATOR.join(self.key)

    def header(self, table: Table | None = None) -> str:
        if self.column.isdigit():
            return self.column
        return schema.sheet(self.sheet).column(self.column).header


@dataclass(frozen=True)
class Alternative:
    """A scenario other than the base: its name, why it exists, and how it differs."""

    name: str
    description: str = ""
    overrides: tuple[Override, ...] = ()

    def with_override(self, override: Override) -> Alternative:
        """Set one cell: replaces an override of the same cell, else appends."""
        kept = tuple(o for o in self.overrides if not _same_cell(o, override))
        return replace(self, overrides=kept + (override,))

    def without_override(self, sheet: str, key: tuple[str, ...], column: str) -> Alternative:
        probe = Override(sheet, key, column, None)
        return replace(self, overrides=tuple(o for o in self.overrides if not _same_cell(o, probe)))


def _norm(text: str) -> str:
    return values.normalise_header(text)


def _same_cell(a: Override, b: Override) -> bool:
    return (a.sheet == b.sheet and a.column == b.column
            and tuple(map(_norm, a.key)) == tuple(map(_norm, b.key)))


def key_text_of(value: Cell) -> str:
    """How one key value reads in an override: years and numbers without a decimal point, text as is."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def row_key(table: Table, row: int) -> tuple[str, ...]:
    return tuple(key_text_of(v) for v in table.row_key(row))


def _norm_key(key: Iterable[str]) -> tuple[str, ...]:
    return tuple(map(_norm, key))


def _key_index(table: Table, rows: Sequence[Sequence[Cell]]) -> dict[tuple[str, ...], int]:
    """Each normalised row key of ``rows`` (laid out as ``table``'s) -> the first row that has it: ``find_row``'s
    answer for that key, found in one pass instead of one scan per look-up."""
    positions = [table.column_index(k) for k in table.schema.key]
    normalised: dict[Cell, str] = {}        # key values repeat (a company in many deals): normalise each once
    index: dict[tuple[str, ...], int] = {}
    for i, row in enumerate(rows):
        parts = []
        for p in positions:
            v = row[p]
            if isinstance(v, bool):         # True == 1 as a dict key, but they read "True" and "1": not memoised
                parts.append(_norm(key_text_of(v)))
                continue
            n = normalised.get(v)
            if n is None:
                n = normalised[v] = _norm(key_text_of(v))
            parts.append(n)
        index.setdefault(tuple(parts), i)
    return index


# Row-key indexes of recently seen tables, by identity. A Table and its rows are immutable, so an index stays right
# for as long as the table lives; the entry holds the table, so its id cannot be reused while it is cached. Small:
# it serves the base a book's alternatives are all applied to, and the tables the window looks rows up in.
_INDEX_CACHE: dict[int, tuple[Table, dict[tuple[str, ...], int]]] = {}
_INDEX_CACHE_SIZE = 16


def _index_of(table: Table) -> dict[tuple[str, ...], int]:
    hit = _INDEX_CACHE.get(id(table))
    if hit is not None and hit[0] is table:
        return hit[1]
    index = _key_index(table, table.rows)
    if len(_INDEX_CACHE) >= _INDEX_CACHE_SIZE:
        _INDEX_CACHE.clear()
    _INDEX_CACHE[id(table)] = (table, index)
    return index


def find_row(table: Table, key: tuple[str, ...]) -> int | None:
    """The first row of ``table`` whose key matches ``key`` case- and whitespace-insensitively, else None."""
    return _index_of(table).get(_norm_key(key))


class _SheetEdits:
    """One sheet's overrides being applied: the rows as changed so far, and their key index."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.rows: list[tuple[Cell, ...]] | None = None       # copied on the first change
        self._index: dict[tuple[str, ...], int] | None = _index_of(table)
        self._key_columns = frozenset(table.schema.key)

    def find(self, key: tuple[str, ...]) -> int | None:
        if self._index is None:           # a key cell changed: look rows up by their keys as they now read
            self._index = _key_index(self.table, self.table.rows if self.rows is None else self.rows)
        return self._index.get(_norm_key(key))

    def set(self, row: int, column: str, value: Cell) -> None:
        if self.rows is None:
            self.rows = list(self.table.rows)
        i = self.table.column_index(column)
        old = self.rows[row]
        self.rows[row] = old[:i] + (value,) + old[i + 1:]
        if column in self._key_columns:
            self._index = None

    def result(self) -> Table:
        # ``Table.with_rows`` with rows that are tuples already: one copy of the table, whatever the overrides.
        return self.table if self.rows is None else replace(self.table, rows=tuple(self.rows))


def apply_overrides(base: Scenario, overrides: Iterable[Override], name: str = "") -> tuple[Scenario, list[Problem]]:
    """The base with each override applied in order, and a warning for every override that does not fit (it
    changes nothing, and stays in the book until it is fixed or dropped)."""
    applied = apply_overrides_traced(base, overrides, name)
    return applied.scenario, [p for _, _, p in applied.dangling]


@dataclass(frozen=True)
class Applied:
    """An alternative applied to the base, with where each override went: what the Scenarios sheet's reader needs
    to report a problem at the override's own row."""

    scenario: Scenario
    # (index of the override, what does not fit: "sheet", "row" or "column", the warning)
    dangling: list[tuple[int, str, Problem]]
    targets: dict[tuple[str, int, str], int]             # (sheet, row, column key) -> the last override setting it


def apply_overrides_traced(base: Scenario, overrides: Iterable[Override], name: str = "") -> Applied:
    """``apply_overrides``, keeping the index of each override that dangles and the cell each other one set.

    Rows are found through a key index per sheet (rebuilt only after an override of a key cell) and each changed
    sheet is copied once, so the cost grows with the overrides plus the rows, not with their product."""
    sheets: dict[str, _SheetEdits] = {}
    dangling: list[tuple[int, str, Problem]] = []
    targets: dict[tuple[str, int, str], int] = {}
    for j, o in enumerate(overrides):
        where = f"{o.sheet} [{o.key_text}] {o.column}"
        if o.sheet not in schema.SHEET_BY_NAME:
            dangling.append((j, "sheet", Problem(
                "warning", f"{name}: no sheet {o.sheet!r} for the override {where}", "Scenarios", column="Sheet",
                value=o.sheet, expected="a template sheet")))
            continue
        edits = sheets.get(o.sheet)
        if edits is None:
            edits = sheets[o.sheet] = _SheetEdits(base.table(o.sheet))
        table = edits.table
        row = edits.find(o.key)
        if row is None:
            dangling.append((j, "row", Problem(
                "warning", f"{name}: no row {o.key_text!r} in the base's {o.sheet} sheet for the override of its "
                           f"{_column_name(o)} column", o.sheet, column=o.column, value=o.key_text,
                expected=f"a row key of {o.sheet}: "
                         + KEY_SEPARATOR.join(table.schema.column(k).header for k in table.schema.key))))
            continue
        if o.column not in table.keys:
            dangling.append((j, "column", Problem(
                "warning", f"{name}: the override's column {o.column!r} is not in the base's {o.sheet} sheet "
                           f"(row {o.key_text})", o.sheet, column=o.column, value=o.column,
                expected="a column of the sheet")))
            continue
        edits.set(row, o.column, o.value)
        targets[(o.sheet, row, o.column)] = j
    scenario = base
    for edits in sheets.values():
        if edits.rows is not None:
            scenario = scenario.with_table(edits.result())
    return Applied(replace(scenario, name=name or base.name), dangling, targets)


def _column_name(o: Override) -> str:
    """The override's column as its header reads ("2027", "Recycled share"), or as typed when there is none."""
    try:
        return o.header()
    except KeyError:
        return o.column


@dataclass(frozen=True)
class ScenarioBook:
    """The base scenario and its alternatives: what one workbook holds."""

    base: Scenario
    alternatives: tuple[Alternative, ...] = field(default=())

    @property
    def names(self) -> tuple[str, ...]:
        return (BASE,) + tuple(a.name for a in self.alternatives)

    def alternative(self, name: str) -> Alternative:
        for a in self.alternatives:
            if a.name == name:
                return a
        raise KeyError(name)

    def scenario(self, name: str = BASE) -> tuple[Scenario, list[Problem]]:
        if name == BASE:
            return self.base, []
        alt = self.alternative(name)
        return apply_overrides(self.base, alt.overrides, alt.name)

    def with_base(self, base: Scenario) -> ScenarioBook:
        return replace(self, base=base)

    def with_alternative(self, alt: Alternative, index: int | None = None) -> ScenarioBook:
        """Replace the alternative of that name, or add it (at ``index``, default last)."""
        alts = list(self.alternatives)
        for i, a in enumerate(alts):
            if a.name == alt.name:
                alts[i] = alt
                return replace(self, alternatives=tuple(alts))
        alts.insert(len(alts) if index is None else index, alt)
        return replace(self, alternatives=tuple(alts))

    def without_alternative(self, name: str) -> ScenarioBook:
        return replace(self, alternatives=tuple(a for a in self.alternatives if a.name != name))

    def renamed(self, old: str, new: str) -> ScenarioBook:
        if new in self.names:
            raise ValueError(f"a scenario named {new!r} exists already")
        return replace(self, alternatives=tuple(replace(a, name=new) if a.name == old else a
                                                for a in self.alternatives))
