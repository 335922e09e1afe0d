"""Edits an analyst makes in the window, as pure functions from a scenario to a new scenario.

The window's undo commands call these; each either returns the edited scenario or raises ``EditRefused`` with the
reason, so the window never has to decide what a valid edit is. Cross-row checks stay in ``validation``:
``new_errors`` says which errors an edit would introduce.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from model.core import schema, values
from model.core.problems import Problem
from model.core.scenario import Cell, Scenario, Table
from model.core.validation import read_assumptions


class EditRefused(ValueError):
    """An edit that cannot be made: which cell (row -1: the whole table) and why."""

    def __init__(self, sheet: str, row: int, key: str, message: str) -> None:
        super().__init__(message)
        self.sheet, self.row, self.key, self.message = sheet, row, key, message


@dataclass(frozen=True)
class CellInput:
    """A raw value typed or pasted into a cell: row index in the table, column key, raw text or value."""

    row: int
    key: str
    raw: object


def parse_cell(table: Table, key: str, raw: object, row: int | None = None) -> Cell:
    """The clean value of a typed cell, by the column's schema. Raises ValueError(what was expected).

    A percentage follows Excel's automatic percent entry (``values.percent_entry``: 8 and 0.08 are both 8%), in a
    percentage column and, given the ``row``, in the Value of a row that holds a percentage (a Discount rate).
    """
    column = table.columns[table.column_index(key)]
    if (row is not None and key in schema.MIXED_UNIT_KEYS.get(table.sheet, ()) and not values.is_blank(raw)
            and 0 <= row < len(table.rows)
            and schema.row_holds_percent(table.sheet, dict(zip(table.keys, table.rows[row], strict=True)))):
        try:
            return values.parse_percent(raw, entry=True)
        except ValueError:
            raise ValueError(values.PERCENT_EXPECTED) from None
    return column.parse(raw)


def set_cells(scenario: Scenario, sheet: str, cells: Iterable[CellInput]) -> Scenario:
    """Parse and set every cell, all or nothing. Renaming a company renames it in every sheet (one edit)."""
    table = scenario.table(sheet)
    renames: dict[str, str] = {}
    rows = [list(r) for r in table.rows]
    for cell in cells:
        if not 0 <= cell.row < len(rows):
            raise EditRefused(sheet, cell.row, cell.key, f"row {cell.row + 1} is outside the table")
        if cell.key not in table.keys:
            raise EditRefused(sheet, cell.row, cell.key, f"{sheet} has no column {cell.key!r}")
        try:
            value = parse_cell(table, cell.key, cell.raw, cell.row)
        except ValueError as exc:
            raise EditRefused(sheet, cell.row, cell.key,
                              f"{cell_name(table, cell.row, cell.key)}: {_shown(cell.raw)} is not {exc}") from None
        col = table.column_index(cell.key)
        old = rows[cell.row][col]
        if (sheet in ("Capex", "Revenue") and cell.key == "company" and isinstance(old, str) and old
                and isinstance(value, str) and value and value != old):
            renames[old] = value
        rows[cell.row][col] = value
    edited = scenario.with_table(table.with_rows(rows))
    for old, new in renames.items():
        edited = rename_company(edited, old, new, skip=sheet)
    return edited


def _shown(raw: object) -> str:
    text = "" if raw is None else str(raw)
    return values.quoted(text) if text.strip() else "a blank"


def cell_name(table: Table, row: int, key: str) -> str:
    """A cell in the analyst's words: ``Amazon, capex 2026``; ``Discount rate, Value``; a deal by its key."""
    column = table.columns[table.column_index(key)]
    label = column.header
    if key.isdigit() and table.schema.years is not None:
        label = f"{table.schema.years.template.header} {key}"
    if not 0 <= row < len(table.rows):
        return label
    parts = [values.cut(str(v), 40) for v in table.row_key(row) if v not in (None, "")]
    name = " | ".join(parts) if parts else f"row {row + 1}"
    return f"{name}, {label}"


def rename_company(scenario: Scenario, old: str, new: str, skip: str = "") -> Scenario:
    """Rename a company in every sheet that names it (except ``skip``, already edited)."""
    out = scenario
    for sheet, keys in (("Capex", ("company",)), ("Revenue", ("company",)), ("Investments", ("investor", "investee")),
                        ("Market", ("company",))):
        if sheet == skip:
            continue
        table = out.table(sheet)
        index = [table.column_index(k) for k in keys]
        rows = [tuple(new if i in index and v == old else v for i, v in enumerate(r)) for r in table.rows]
        out = out.with_table(table.with_rows(rows))
    # Ranges on a company's Capex or Revenue row name it in their Row cell.
    ranges = out.uncertainty
    s, r = ranges.column_index("sheet"), ranges.column_index("row")
    out = out.with_table(ranges.with_rows(
        tuple(new if i == r and row[s] in ("Capex", "Revenue") and v == old else v for i, v in enumerate(row))
        for row in ranges.rows))
    return out


def unique_name(existing: Iterable[object], stem: str) -> str:
    """``stem``, or ``stem 2``, ``stem 3``… — the first not among ``existing`` (case- and space-insensitively)."""
    taken = {str(e).strip().lower() for e in existing if e}
    if stem.lower() not in taken:
        return stem
    n = 2
    while f"{stem} {n}".lower() in taken:
        n += 1
    return f"{stem} {n}"


def add_company(scenario: Scenario, name: str, index: int | None = None) -> Scenario:
    """A company with a Capex row (no capex yet) and a Revenue row (no revenue yet), so that it is valid at once.

    The cash margin starts at the median of the other companies (0.5 when there are none): a placeholder the
    analyst replaces, said so in the Source column.
    """
    if name.strip().lower() in {c.lower() for c in scenario.companies}:
        raise EditRefused("Capex", -1, "company", f"{name} is already a company")
    capex, revenue = scenario.capex, scenario.revenue
    margins = sorted(float(m) for m in revenue.column_values("cash_margin") if isinstance(m, int | float))
    margin = margins[len(margins) // 2] if margins else 0.5
    first_years = capex.years or revenue.years
    base_year = int(read_assumptions(scenario.assumptions)["Score year"]) if not first_years else first_years[0]
    source = "new company: replace the placeholders with sourced figures"
    capex_row = dict(zip(capex.keys, capex.blank_row(), strict=True))
    capex_row.update(company=name, in_sector=True, source=source)
    revenue_row = dict(zip(revenue.keys, revenue.blank_row(), strict=True))
    revenue_row.update(company=name, base_year=base_year, base_revenue=0.0, cash_margin=margin, source=source)
    at = len(capex) if index is None else max(0, min(index, len(capex)))
    capex = capex.with_row_inserted(at, tuple(capex_row[k] for k in capex.keys))
    at_rev = len(revenue) if index is None else max(0, min(index, len(revenue)))
    revenue = revenue.with_row_inserted(at_rev, tuple(revenue_row[k] for k in revenue.keys))
    return scenario.with_table(capex).with_table(revenue)


def remove_companies(scenario: Scenario, names: Sequence[str]) -> Scenario:
    """Remove companies from every sheet, with the deals and market inputs that name them."""
    gone = set(names)
    out = scenario
    for sheet, keys in (("Capex", ("company",)), ("Revenue", ("company",)), ("Investments", ("investor", "investee")),
                        ("Market", ("company",))):
        table = out.table(sheet)
        index = [table.column_index(k) for k in keys]
        out = out.with_table(table.with_rows(r for r in table.rows if not any(r[i] in gone for i in index)))
    # The ranges on a removed company's rows go with it, and their correlations.
    ranges = out.uncertainty
    s, r, n = ranges.column_index("sheet"), ranges.column_index("row"), ranges.column_index("input")
    dropped = {str(row[n]).lower() for row in ranges.rows if row[s] in ("Capex", "Revenue") and row[r] in gone}
    out = out.with_table(ranges.with_rows(row for row in ranges.rows if str(row[n]).lower() not in dropped))
    pairs = out.correlations
    f, g = pairs.column_index("first"), pairs.column_index("second")
    return out.with_table(pairs.with_rows(row for row in pairs.rows
                                          if str(row[f]).lower() not in dropped and str(row[g]).lower() not in dropped))


def new_row(scenario: Scenario, sheet: str) -> tuple[Cell, ...]:
    """A row that is valid as inserted, for the sheets whose rows are not companies.

    Its key is made unique ("New input 2"...), so that inserting it never creates a duplicate.
    """
    table = scenario.table(sheet)
    row = dict(zip(table.keys, table.blank_row(), strict=True))
    a = read_assumptions(scenario.assumptions)
    year = int(a["Score year"])
    if sheet == "Investments":
        companies = scenario.companies
        if len(companies) < 2:
            raise EditRefused(sheet, -1, "investor", "a deal needs two companies: add companies first")
        taken = {(r["investor"], r["investee"], r["year"], r["kind"]) for r in table.records()}
        pairs = ((a_, b_) for a_ in companies for b_ in companies if a_ != b_)
        investor, investee = next((p for p in pairs if (p[0], p[1], year, "equity") not in taken), (None, None))
        if investor is None:
            raise EditRefused(sheet, -1, "investor", "every pair of companies already has an equity deal that year")
        row.update(investor=investor, investee=investee, year=year, amount=0.0, kind="equity",
                   source="new deal: replace the placeholders with sourced figures")
    elif sheet == "Assumptions":
        row.update(name=unique_name(table.column_values("name"), "New assumption"), value=0.0,
                   source="assumption: why")
    elif sheet == "Market":
        names = [r["input"] for r in table.records() if r["year"] == year and not r["company"]]
        row.update(input=unique_name(names, "New input"), year=year, value=0.0, source="where it comes from")
    elif sheet == "Thresholds":
        row.update(indicator=unique_name(table.column_values("indicator"), "New indicator"), healthy=0.0,
                   bubble=1.0, weight=0.0, source="calibration: why")
    elif sheet == "Uncertainty":
        spec = schema.ASSUMPTION_BY_NAME["useful life"]
        row.update(input=unique_name(table.column_values("input"), "New range"), sheet="Assumptions",
                   row=spec.name, column="Value", distribution=f"{a[spec.name]:g} to {a[spec.name]:g}",
                   applies_as="value", source="assumption: why (a range whose ends are equal is fixed)")
    elif sheet == "Correlations":
        ranged = [str(n) for n in scenario.uncertainty.column_values("input") if n]
        paired = {frozenset((str(r["first"]).lower(), str(r["second"]).lower())) for r in table.records()}
        pair = next(((x, y) for i, x in enumerate(ranged) for y in ranged[i + 1:]
                     if frozenset((x.lower(), y.lower())) not in paired), None)
        if pair is None:
            raise EditRefused(sheet, -1, "first", "a correlation needs two Uncertainty rows not yet paired: add "
                                                  "ranges first")
        row.update(first=pair[0], second=pair[1], correlation=0.0, source="assumption: why")
    else:
        raise EditRefused(sheet, -1, "", f"rows of {sheet} are companies: add a company instead")
    return tuple(row[k] for k in table.keys)


def insert_rows(scenario: Scenario, sheet: str, index: int, count: int) -> Scenario:
    """Insert ``count`` valid rows at ``index``: companies on Capex/Revenue, placeholder rows elsewhere."""
    out = scenario
    for k in range(count):
        if sheet in ("Capex", "Revenue"):
            name = unique_name(out.companies, "New company")
            company_index = index + k
            out = add_company(out, name)
            table = out.table(sheet)
            # add_company appends to both sheets; move the row of this sheet where it was asked for.
            rows = list(table.rows)
            rows.insert(min(company_index, len(rows) - 1), rows.pop())
            out = out.with_table(table.with_rows(rows))
        else:
            out = out.with_table(out.table(sheet).with_row_inserted(index + k, new_row(out, sheet)))
    return out


def remove_rows(scenario: Scenario, sheet: str, rows: Iterable[int]) -> Scenario:
    """Remove rows; on Capex/Revenue that removes the companies everywhere (with their deals and inputs)."""
    table = scenario.table(sheet)
    drop = sorted(set(rows))
    for r in drop:
        if not 0 <= r < len(table):
            raise EditRefused(sheet, r, "", f"row {r + 1} is outside the table")
    if sheet in ("Capex", "Revenue"):
        names = [table.value(r, "company") for r in drop]
        return remove_companies(scenario, [n for n in names if isinstance(n, str)])
    keep = set(range(len(table))) - set(drop)
    return scenario.with_table(table.with_rows(table.rows[i] for i in sorted(keep)))


def add_year(scenario: Scenario, sheet: str, year: int) -> Scenario:
    table = scenario.table(sheet)
    try:
        return scenario.with_table(table.with_year_added(year))
    except ValueError as exc:
        raise EditRefused(sheet, -1, str(year), str(exc)) from None


def remove_year(scenario: Scenario, sheet: str, year: int) -> Scenario:
    table = scenario.table(sheet)
    if year not in table.years:
        raise EditRefused(sheet, -1, str(year), f"{sheet} has no {year} column")
    if sheet == "Capex" and table.years[0] < year < table.years[-1]:
        raise EditRefused(sheet, -1, str(year), f"removing {year} would leave a gap between {year - 1} and "
                          f"{year + 1} that reads as no capex: remove the first or the last year, or clear the "
                          f"{year} cells")
    return scenario.with_table(table.with_year_removed(year))


def new_errors(before: Iterable[Problem], after: Iterable[Problem]) -> list[Problem]:
    """Errors of ``after`` that ``before`` did not have, matched without the cell (rows move when rows are added)."""
    def key(p: Problem) -> tuple[object, ...]:
        return (p.sheet, p.column, p.message, repr(p.value))

    seen = Counter(key(p) for p in before if p.severity == "error")
    out = []
    for p in after:
        if p.severity != "error":
            continue
        k = key(p)
        if seen[k] > 0:
            seen[k] -= 1
        else:
            out.append(p)
    return out
