"""Scenarios as diffs from the base: a named list of overrides (sheet, row key, column, value, note).

Computing a scenario applies its overrides to the base, in order (a later override of the same cell wins), and
calls the same ``compute``. An override whose row or column no longer exists in the base is reported with its
sheet, key and column — never dropped silently.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from model import schema, values
from model.problems import Problem
from model.scenario import Cell, Scenario, Table

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


def find_row(table: Table, key: tuple[str, ...]) -> int | None:
    wanted = tuple(map(_norm, key))
    for i in range(len(table)):
        if tuple(map(_norm, row_key(table, i))) == wanted:
            return i
    return None


def apply_overrides(base: Scenario, overrides: Iterable[Override], name: str = "") -> tuple[Scenario, list[Problem]]:
    """The base with each override applied in order, and a problem for every override that does not fit."""
    scenario = base
    problems: list[Problem] = []
    for o in overrides:
        where = f"{o.sheet} [{o.key_text}] {o.column}"
        if o.sheet not in schema.SHEET_BY_NAME:
            problems.append(Problem("error", f"{name}: no sheet {o.sheet!r} for the override {where}", "Scenarios",
                                    column="Sheet", value=o.sheet, expected="a template sheet"))
            continue
        table = scenario.table(o.sheet)
        row = find_row(table, o.key)
        if row is None:
            problems.append(Problem("error", f"{name}: the override's row {o.key_text!r} is not in the base's "
                                             f"{o.sheet} sheet", o.sheet, column=o.column, value=o.key_text,
                                    expected=f"a row key of {o.sheet}: "
                                             + KEY_SEPARATOR.join(table.schema.column(k).header
                                                                  for k in table.schema.key)))
            continue
        if o.column not in table.keys:
            problems.append(Problem("error", f"{name}: the override's column {o.column!r} is not in the base's "
                                             f"{o.sheet} sheet (row {o.key_text})", o.sheet, column=o.column,
                                    value=o.column, expected="a column of the sheet"))
            continue
        scenario = scenario.with_cell(o.sheet, row, o.column, o.value)
    return replace(scenario, name=name or base.name), problems


def differs_from_base(alternative: Alternative, sheet: str, table: Table, row: int, column: str) -> Override | None:
    """The override that sets this cell in the alternative, if any (the window marks such cells)."""
    key = tuple(map(_norm, row_key(table, row)))
    for o in reversed(alternative.overrides):
        if o.sheet == sheet and o.column == column and tuple(map(_norm, o.key)) == key:
            return o
    return None


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
