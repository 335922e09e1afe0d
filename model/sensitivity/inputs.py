"""The inputs a sensitivity analysis moves, declared once: what each is, which cells it changes, how far it may go.

An ``Input`` is one number an analyst would name ("Amazon's cash margin", "the discount rate", "the hyperscalers'
growth") and the cells of the scenario it stands for. It has one position ``x``:

- an input of one cell (a margin, an assumption, a deal's amount or recycled share) is that cell's value;
- an input of several cells (a company's capex in every year, its growth in every year, a group's growth) is a
  multiplier of the entered values, 1 being the scenario as entered.

Moving ``x`` returns a new immutable scenario (``Input.apply``); nothing else changes, so ``compute()`` on it is the
model's own answer. The allowed range of ``x`` is the template's own bounds for every cell it changes (a margin stays
in (0, 100%], a growth above −100%), with multipliers kept non-negative and, where the template sets no upper bound
(money: only the largest sensible amount, $1,000,000B), at most ``MAX_FACTOR`` times the entered value.

The declarations below are data: adding an input (the AI share of capex, a base revenue) is one entry.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from model.core import formatting as fmt
from model.core import schema
from model.core.scenario import Scenario, Table
from model.core.schema import Column, Kind

YEARS = "years"          # CompanyInput.column: every year column of the company's row
MAX_FACTOR = 5.0         # the largest multiplier of a quantity the template does not bound above (capex, amounts)


@dataclass(frozen=True)
class CompanyInput:
    """One input per company: a column of its Capex or Revenue row, or all its year columns together."""

    name: str           # key suffix: "amazon.capex"
    label: str          # "capex" -> "Amazon's capex"
    sheet: str
    column: str         # a column key, or YEARS


@dataclass(frozen=True)
class AssumptionInput:
    name: str           # "discount-rate"
    assumption: str     # the Assumptions row it changes: "Discount rate"


@dataclass(frozen=True)
class DealInput:
    name: str           # key suffix: "deal.nvidia-openai-2026-vendor-financing.amount"
    label: str
    column: str


@dataclass(frozen=True)
class CompanySet:
    """A group of companies moved together by one multiplier ("the hyperscalers' growth")."""

    name: str
    label: str
    members: Callable[[Scenario], tuple[str, ...]]


def _in_sector(scenario: Scenario) -> tuple[str, ...]:
    return tuple(str(c) for c, flag in zip(scenario.capex.column_values("company"),
                                           scenario.capex.column_values("in_sector"), strict=True)
                 if c and flag is not False)


def _counterparties(scenario: Scenario) -> tuple[str, ...]:
    inside = set(_in_sector(scenario))
    return tuple(c for c in scenario.companies if c not in inside)


# -- the declarations -------------------------------------------------------------------------------------------------
COMPANY_INPUTS: tuple[CompanyInput, ...] = (
    CompanyInput("capex", "capex", "Capex", YEARS),
    CompanyInput("growth", "growth", "Revenue", YEARS),
    CompanyInput("margin", "cash margin", "Revenue", "cash_margin"),
    # Counted only where the template has the column (the like-for-like AI share of capex, issue 12).
    CompanyInput("ai-share", "AI share", "Capex", "ai_share"),
)
ASSUMPTION_INPUTS: tuple[AssumptionInput, ...] = (
    AssumptionInput("useful-life", "Useful life"),
    AssumptionInput("discount-rate", "Discount rate"),
    AssumptionInput("terminal-growth", "Terminal growth"),
)
DEAL_INPUTS: tuple[DealInput, ...] = (
    DealInput("amount", "amount", "amount"),
    DealInput("recycled-share", "recycled share", "recycled_share"),
)
COMPANY_SETS: tuple[CompanySet, ...] = (
    CompanySet("hyperscalers", "the hyperscalers", _in_sector),
    CompanySet("counterparties", "the counterparties", _counterparties),
)

# Two company inputs an output may read only as their product (names of COMPANY_INPUTS, and what the product is):
# the AI capex the model pays back is capex × AI share (docs/methodology.md), so for the NPV, the cash flows and
# coverage a move of either by one factor is the same move; the tornado says so when their bars coincide.
PRODUCTS: tuple[tuple[str, str, str], ...] = (("capex", "ai-share", "the AI capex (capex × AI share)"),)


@dataclass(frozen=True)
class CellRef:
    sheet: str
    row: int
    key: str


@dataclass(frozen=True)
class Input:
    """One input and the cells it moves. ``x`` is the cell's value (one cell) or a multiplier (several)."""

    key: str                            # how the command line names it: "amazon.margin", "discount-rate"
    label: str                          # how an analyst says it: "Amazon's cash margin"
    cells: tuple[CellRef, ...]
    values: tuple[float, ...]           # the entered values of those cells
    column: Column                      # the cells' column (kind, unit, bounds)
    lowest: float                       # the allowed range of x
    highest: float
    in_tornado: bool = True             # group multipliers move inputs the tornado already shows one by one
    # Every cell set to x (an Uncertainty row that gives several cells one value, model.sensitivity.ranges): x is a
    # value, not a multiplier, and there is no entered x unless every cell holds the same value.
    one_value: bool = False

    @property
    def is_multiplier(self) -> bool:
        return len(self.cells) != 1 and not self.one_value

    @property
    def base(self) -> float:
        """x as entered (NaN for an input of one value over cells entered with different values: none is)."""
        if self.is_multiplier:
            return 1.0
        return self.values[0] if all(v == self.values[0] for v in self.values) else math.nan

    def cell_values(self, x: float) -> tuple[float, ...]:
        """The value of each cell with this input at ``x``: the entered values times ``x``, or ``x`` itself."""
        return tuple(v * x for v in self.values) if self.is_multiplier else (x,) * len(self.cells)

    def clamp(self, x: float) -> float:
        return min(self.highest, max(self.lowest, x))

    def apply(self, scenario: Scenario, x: float) -> Scenario:
        """The scenario with this input at ``x`` (each cell's value, or the entered values times ``x``).

        ``scenario`` must have the rows this input was read from (the scenario itself, or one changed only in
        values).
        """
        new = self.cell_values(x)
        by_sheet: dict[str, list[tuple[CellRef, float]]] = {}
        for ref, value in zip(self.cells, new, strict=True):
            by_sheet.setdefault(ref.sheet, []).append((ref, value))
        out = scenario
        for sheet, cells in by_sheet.items():
            table = out.table(sheet)
            rows = list(table.rows)
            for ref, value in cells:
                i = table.column_index(ref.key)
                row = rows[ref.row]
                rows[ref.row] = row[:i] + (value,) + row[i + 1:]
            out = out.with_table(table.with_rows(rows))
        return out

    def text(self, x: float) -> str:
        """``x`` as an analyst reads it: "48.0%", "4 years", "$80.0B", or "×1.2 the entered growth"."""
        if math.isnan(x):
            return "as entered"
        if self.is_multiplier:
            return f"×{_factor(x)} the entered {_lower(self.column.header)}"
        return value_text(self.column, x)

    def range_text(self) -> str:
        """The allowed range: "0.0%–100.0%", "×0–×5 the entered capex"."""
        if self.is_multiplier:
            return f"×{_factor(self.lowest)}–×{_factor(self.highest)} the entered {_lower(self.column.header)}"
        return f"{value_text(self.column, self.lowest)}–{value_text(self.column, self.highest)}"


def _lower(header: str) -> str:
    """A header in a sentence: "growth", "AI share" (an acronym keeps its capitals)."""
    return " ".join(w if w.isupper() else w.lower() for w in header.split())


def _factor(x: float) -> str:
    """A multiplier as read: 1.37, 0.8, and 0 for the sliver above 0 an exclusive bound keeps."""
    return "0" if abs(x) < 1e-6 else f"{x:.3g}"


def value_text(column: Column, value: float) -> str:
    if column.kind is Kind.PERCENT:
        return fmt.percent(value, 1 if abs(value) < 10 else 0)
    if column.kind is Kind.MONEY:
        return fmt.money(value)
    unit = f" {column.unit}" if column.unit else ""
    return f"{value:.3g}{unit}"


# -- reading the inputs of a scenario ---------------------------------------------------------------------------------
def slug(text: object) -> str:
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "x"


def _numbers(table: Table, row: int, keys: Sequence[str]) -> list[tuple[str, float]]:
    out = []
    for key in keys:
        v = table.value(row, key)
        if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v):
            out.append((key, float(v)))
    return out


def _sense_limit(column: Column, bound: float | None) -> bool:
    """Whether ``bound`` is only the template's largest sensible figure (an amount of $1,000,000B, a number of a
    million: schema.LARGEST_AMOUNT / LARGEST_NUMBER), which guards against typos and overflow rather than saying
    how far the quantity can really go."""
    if bound is None:
        return False
    return ((column.kind is Kind.MONEY and abs(bound) == schema.LARGEST_AMOUNT)
            or (column.kind is Kind.NUMBER and abs(bound) == schema.LARGEST_NUMBER))


def allowed_range(column: Column, values: Sequence[float], multiplier: bool) -> tuple[float, float]:
    """The allowed range of x: every cell within its column's bounds (an exclusive bound kept just inside).

    A bound that is only the template's largest sensible figure does not set the range of one cell: like a
    quantity with no bound, it goes to at most ``MAX_FACTOR`` times its entered value (a $100B deal to $500B, not
    to $1,000,000B), and never past that limit."""
    lo_bound, hi_bound = column.minimum, column.maximum
    inside = 1e-9

    if not multiplier:
        v = values[0]
        if lo_bound is None or _sense_limit(column, lo_bound):
            lo = min(v, 0.0) * MAX_FACTOR
            lo = lo if lo_bound is None else max(lo, lo_bound)
        else:
            lo = lo_bound + (0.0 if column.minimum_inclusive else inside)
        if hi_bound is None or _sense_limit(column, hi_bound):
            hi = max(v, 0.0) * MAX_FACTOR
            hi = hi if hi_bound is None else min(hi, hi_bound)
        else:
            hi = hi_bound
        return lo, max(lo, hi)
    lo, hi = 0.0, MAX_FACTOR
    for v in values:
        if v > 0:
            if hi_bound is not None:
                hi = min(hi, hi_bound / v)
            if lo_bound is not None and lo_bound > 0:
                lo = max(lo, lo_bound / v)
        elif v < 0 and lo_bound is not None:     # v·x >= lo_bound (lo_bound < 0) caps the multiplier
            cap = lo_bound / v
            hi = min(hi, cap * (1.0 - inside) if not column.minimum_inclusive else cap)
    if not column.minimum_inclusive and lo_bound == 0.0 and any(v > 0 for v in values):
        lo = max(lo, inside)
    return lo, max(lo, hi)


def _possessive(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _company_cells(scenario: Scenario, spec: CompanyInput) -> dict[str, list[tuple[CellRef, float]]]:
    table = scenario.table(spec.sheet)
    if spec.column != YEARS and spec.column not in table.keys:
        return {}
    keys = [str(y) for y in table.years] if spec.column == YEARS else [spec.column]
    out: dict[str, list[tuple[CellRef, float]]] = {}
    for row, company in enumerate(table.column_values("company")):
        if isinstance(company, str) and company:
            out[company] = [(CellRef(spec.sheet, row, k), v) for k, v in _numbers(table, row, keys)]
    return out


def _column(table: Table, spec: CompanyInput) -> Column:
    """The column whose kind, unit and bounds the input's cells share (the year columns' template)."""
    if spec.column == YEARS and table.schema.years is not None:
        return table.schema.years.template
    return table.columns[table.column_index(spec.column)]


def _make(key: str, label: str, cells: Sequence[tuple[CellRef, float]], column: Column, *, multiplier: bool,
          in_tornado: bool = True) -> Input | None:
    if not cells:
        return None
    values = tuple(v for _, v in cells)
    lo, hi = allowed_range(column, values, multiplier or len(cells) != 1)
    return Input(key, label, tuple(c for c, _ in cells), values, column, lo, hi, in_tornado)


def inputs_of(scenario: Scenario) -> tuple[Input, ...]:
    """Every input of the scenario, in the declarations' order: per company, the assumptions, per deal, per group.

    An input with no number to move (a company without growth cells, a missing assumption row) is left out.
    """
    found: list[Input | None] = []
    cells_by_spec = {spec.name: _company_cells(scenario, spec) for spec in COMPANY_INPUTS}
    for company in scenario.companies:
        for spec in COMPANY_INPUTS:
            cells = cells_by_spec[spec.name].get(company, [])
            if not cells:
                continue
            found.append(_make(f"{slug(company)}.{spec.name}", f"{_possessive(company)} {spec.label}", cells,
                               _column(scenario.table(spec.sheet), spec), multiplier=spec.column == YEARS))
    assumptions = scenario.assumptions
    names = [str(n or "").strip().lower() for n in assumptions.column_values("name")]
    for assumption in ASSUMPTION_INPUTS:
        a = schema.ASSUMPTION_BY_NAME[assumption.assumption.lower()]
        if a.name.lower() in names:
            row = names.index(a.name.lower())
            found.append(_make(assumption.name, f"the {a.name.lower()}", [(CellRef("Assumptions", row, "value"), v)
                                                  for _, v in _numbers(assumptions, row, ["value"])],
                               a.column(), multiplier=False))
    deals = scenario.investments
    for row, rec in enumerate(deals.records()):
        stem = f"{rec['investor']} → {rec['investee']} {rec['year']} {rec['kind']}"
        key = f"deal.{slug(rec['investor'])}-{slug(rec['investee'])}-{rec['year']}-{slug(rec['kind'])}"
        for deal in DEAL_INPUTS:
            cells = [(CellRef("Investments", row, k), v) for k, v in _numbers(deals, row, [deal.column])]
            found.append(_make(f"{key}.{deal.name}", f"{stem}: {deal.label}", cells,
                               deals.columns[deals.column_index(deal.column)], multiplier=False))
    for group in COMPANY_SETS:
        members = group.members(scenario)
        for spec in COMPANY_INPUTS:
            by_company = cells_by_spec[spec.name]
            cells = [c for m in members for c in by_company.get(m, [])]
            if len([m for m in members if by_company.get(m)]) < 2:
                continue            # one company: its own input says it already
            found.append(_make(f"{group.name}.{spec.name}", f"{_possessive(group.label)} {spec.label}", cells,
                               _column(scenario.table(spec.sheet), spec), multiplier=True, in_tornado=False))
    return _unique([i for i in found if i is not None])


def _unique(inputs: Iterable[Input]) -> tuple[Input, ...]:
    """Keys made unique (two deals of one pair, year and kind are refused by validation, but a scenario being edited
    may have them for a moment)."""
    seen: dict[str, int] = {}
    out = []
    for i in inputs:
        n = seen.get(i.key, 0)
        seen[i.key] = n + 1
        out.append(i if n == 0 else replace(i, key=f"{i.key}-{n + 1}", label=f"{i.label} ({n + 1})"))
    return tuple(out)


class UnknownInput(KeyError):
    def __str__(self) -> str:
        return str(self.args[0])


def find_input(inputs: Sequence[Input], name: str) -> Input:
    """The input named by its key or its label, case-insensitively; UnknownInput lists the names there are."""
    wanted = " ".join(name.split()).lower()
    for i in inputs:
        if wanted in (i.key.lower(), i.label.lower(), i.label.lower().removeprefix("the ")):
            return i
    raise UnknownInput(f"no input {name!r}; the scenario's inputs are: " + ", ".join(i.key for i in inputs))


def input_names_help() -> list[str]:
    """The input names of any workbook, one line each, from the declarations (the command line's --help)."""
    lines = [f"  COMPANY.{c.name:<16} the company's {c.label}"
             + (" (a multiplier of every year entered)" if c.column == YEARS else "")
             + (" (where the template has the column)" if c.sheet == "Capex" and c.column != YEARS else "")
             for c in COMPANY_INPUTS]
    lines += [f"  {a.name:<24} the {a.assumption.lower()}" for a in ASSUMPTION_INPUTS]
    lines += [f"  deal.INVESTOR-INVESTEE-YEAR-KIND.{d.name}  each deal's {d.label}" for d in DEAL_INPUTS]
    lines += [f"  {g.name}.{c.name:<{23 - len(g.name)}} {_possessive(g.label)} {c.label}, one multiplier"
              for g in COMPANY_SETS for c in COMPANY_INPUTS]
    return lines
