"""The immutable scenario: one table per template sheet, values already parsed by the schema.

A table is rows of clean values (``str``, ``float``, ``int``, ``bool`` or ``None`` for a blank) in the order of
``SheetSchema.layout(years)``. Every change returns a new table / scenario; nothing is mutated, so the window's
undo stack and the scenario overrides can hold old versions for free.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from model.core import schema
from model.core.problems import Problem
from model.core.schema import Column

Cell = object  # str | float | int | bool | None


@dataclass(frozen=True)
class Table:
    sheet: str
    years: tuple[int, ...] = ()
    rows: tuple[tuple[Cell, ...], ...] = ()

    def __post_init__(self) -> None:
        width = len(self.columns)
        for row in self.rows:
            if len(row) != width:
                raise ValueError(f"{self.sheet}: a row has {len(row)} values, the layout has {width} columns")

    @property
    def schema(self) -> schema.SheetSchema:
        return schema.sheet(self.sheet)

    @cached_property
    def columns(self) -> tuple[Column, ...]:
        return self.schema.layout(self.years)

    @cached_property
    def keys(self) -> tuple[str, ...]:
        return tuple(c.key for c in self.columns)

    @cached_property
    def _index(self) -> dict[str, int]:
        return {k: i for i, k in enumerate(self.keys)}

    def column_index(self, key: str) -> int:
        return self._index[key]

    def __len__(self) -> int:
        return len(self.rows)

    def value(self, row: int, key: str) -> Cell:
        return self.rows[row][self._index[key]]

    def column_values(self, key: str) -> list[Cell]:
        i = self._index[key]
        return [r[i] for r in self.rows]

    def records(self) -> Iterator[dict[str, Cell]]:
        keys = self.keys
        for row in self.rows:
            yield dict(zip(keys, row, strict=True))

    def row_key(self, row: int) -> tuple[Cell, ...]:
        return tuple(self.value(row, k) for k in self.schema.key)

    # -- changes (each returns a new table) -------------------------------------------------------------------
    def with_cell(self, row: int, key: str, value: Cell) -> Table:
        i = self._index[key]
        old = self.rows[row]
        new_row = old[:i] + (value,) + old[i + 1:]
        return replace(self, rows=self.rows[:row] + (new_row,) + self.rows[row + 1:])

    def with_rows(self, rows: Iterable[Sequence[Cell]]) -> Table:
        return replace(self, rows=tuple(tuple(r) for r in rows))

    def with_row_inserted(self, index: int, row: Sequence[Cell] | None = None) -> Table:
        new = tuple(row) if row is not None else self.blank_row()
        return replace(self, rows=self.rows[:index] + (new,) + self.rows[index:])

    def blank_row(self) -> tuple[Cell, ...]:
        return tuple(c.default for c in self.columns)

    def with_year_added(self, year: int, fill: Cell = None) -> Table:
        """Add a year column (kept in year order); existing cells keep their values."""
        if year in self.years:
            raise ValueError(f"{self.sheet} already has a {year} column")
        years = tuple(sorted(self.years + (year,)))
        new = replace(self, years=years, rows=())
        pos = new.column_index(str(year))
        rows = tuple(r[:pos] + (fill,) + r[pos:] for r in self.rows)
        return replace(new, rows=rows)

    def with_year_removed(self, year: int) -> Table:
        pos = self.column_index(str(year))
        years = tuple(y for y in self.years if y != year)
        return replace(self, years=years, rows=tuple(r[:pos] + r[pos + 1:] for r in self.rows))


def _empty(name: str) -> Table:
    return Table(name)


@dataclass(frozen=True)
class Scenario:
    """Everything the model needs, as the analyst entered it. ``compute(scenario)`` turns it into results."""

    capex: Table = field(default_factory=lambda: _empty("Capex"))
    revenue: Table = field(default_factory=lambda: _empty("Revenue"))
    investments: Table = field(default_factory=lambda: _empty("Investments"))
    assumptions: Table = field(default_factory=lambda: _empty("Assumptions"))
    market: Table = field(default_factory=lambda: _empty("Market"))
    thresholds: Table = field(default_factory=lambda: _empty("Thresholds"))
    # Optional: ranges on inputs and their rank correlations, read by the simulation only (compute ignores them).
    uncertainty: Table = field(default_factory=lambda: _empty("Uncertainty"))
    correlations: Table = field(default_factory=lambda: _empty("Correlations"))
    name: str = "Base"
    # Warnings found when the scenario was read (unknown columns, suspicious values...). They travel with it.
    warnings: tuple[Problem, ...] = ()

    _ATTR = {"Capex": "capex", "Revenue": "revenue", "Investments": "investments", "Assumptions": "assumptions",
             "Market": "market", "Thresholds": "thresholds", "Uncertainty": "uncertainty",
             "Correlations": "correlations"}

    def table(self, sheet: str) -> Table:
        return getattr(self, self._ATTR[sheet])

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(self.table(s.name) for s in schema.SHEETS)

    def with_table(self, table: Table) -> Scenario:
        return replace(self, **{self._ATTR[table.sheet]: table})  # type: ignore[arg-type]

    def with_cell(self, sheet: str, row: int, key: str, value: Cell) -> Scenario:
        return self.with_table(self.table(sheet).with_cell(row, key, value))

    def inputs_equal(self, other: Scenario) -> bool:
        """Same inputs, whatever the name and the warnings."""
        return self.tables == other.tables

    @property
    def companies(self) -> tuple[str, ...]:
        """Every company the model knows: the Capex sheet's order first, then the Revenue-only ones."""
        seen: dict[str, None] = {}
        for t in (self.capex, self.revenue):
            for name in t.column_values("company"):
                if isinstance(name, str) and name:
                    seen.setdefault(name, None)
        return tuple(seen)


def blank_scenario() -> Scenario:
    """The blank template's scenario: no companies, the standard assumptions and thresholds."""
    return Scenario(
        assumptions=Table("Assumptions", rows=schema.default_assumption_rows()),
        thresholds=Table("Thresholds", rows=schema.default_threshold_rows()),
    )
