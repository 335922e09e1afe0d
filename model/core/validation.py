"""Checks that span rows and sheets: duplicates, unknown companies, assumptions out of range...

Cell-level parsing is the schema's job (``Column.parse``); this module checks a parsed scenario as a whole, so the
importer and the window's edit path refuse the same things.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter

import numpy as np

from model.core import schema, values
from model.core.problems import Problem
from model.core.scenario import Cell, Scenario, Table
from model.core.uncertainty import uncertainty_problems

# (sheet, row index in the table, column key) -> A1 cell reference. The importer knows where each value came from;
# for a scenario edited in the window the default layout (header on row 1, data from row 2) is used.
Locate = Callable[[str, int, str], str]


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def layout_locator(scenario: Scenario) -> Locate:
    def locate(sheet: str, row: int, key: str) -> str:
        table = scenario.table(sheet)
        col = table.column_index(key) if key in table.keys else 0
        return f"{column_letter(col)}{row + 2}" if row >= 0 else f"{column_letter(col)}1"
    return locate


@dataclass(frozen=True)
class AssumptionValues:
    """The assumptions the model reads, with defaults filled in where a row is missing."""

    values: dict[str, float]

    def __getitem__(self, name: str) -> float:
        return self.values[name.lower()]


def read_assumptions(table: Table) -> AssumptionValues:
    found: dict[str, float] = {}
    for rec in table.records():
        name = str(rec["name"] or "").strip().lower()
        spec = schema.ASSUMPTION_BY_NAME.get(name)
        if spec is not None and isinstance(rec["value"], int | float):
            found[name] = float(rec["value"])
    for spec in schema.ASSUMPTIONS:
        found.setdefault(spec.name.lower(), float(spec.default))
    return AssumptionValues(found)


def validate(scenario: Scenario, locate: Locate | None = None) -> list[Problem]:
    """Every cross-row and cross-sheet problem of the scenario, errors and warnings."""
    loc = locate or layout_locator(scenario)
    problems: list[Problem] = []

    def add(severity: str, sheet: str, row: int, key: str, message: str, value: object = None,
            expected: str = "") -> None:
        table = scenario.table(sheet)
        header = next((c.header for c in table.columns if c.key == key), key)
        problems.append(Problem(severity, message, sheet, loc(sheet, row, key), header, value, expected))  # type: ignore[arg-type]

    for table in scenario.tables:
        _check_required(table, add)
        _check_duplicates(table, add, loc)

    companies = set(scenario.companies)
    revenue_companies = {str(c) for c in scenario.revenue.column_values("company") if c}
    for i, name in enumerate(scenario.capex.column_values("company")):
        if name and name not in revenue_companies:
            add("error", "Capex", i, "company",
                f"{_cut(name)} has capex but no row in the Revenue sheet{_did_you_mean(name, revenue_companies)}", name,
                "a company that also has a Revenue row (base revenue, margin)")

    assumptions = read_assumptions(scenario.assumptions)
    first_year = scenario.capex.years[0] if scenario.capex.years else None
    horizon = int(assumptions["Horizon end"])
    if first_year is not None and horizon < first_year:
        row = _row_of(scenario.assumptions, "name", "Horizon end")
        add("error", "Assumptions", row, "value", f"the horizon ends before the first capex year {first_year}",
            horizon, f"a year from {first_year} on")
    for y in scenario.capex.years:
        if y > horizon:
            add("warning", "Capex", -1, str(y), f"capex of {y} lies past the horizon end {horizon} and is ignored", y)

    def unknown_company(i: int, key: str, name: object) -> None:
        add("error", "Investments", i, key, f"{_cut(name)} is not a company of the Capex or Revenue sheet"
            f"{_did_you_mean(name, companies)}", name, "a company listed in the Revenue sheet")

    deals = scenario.investments
    for i, (investor, investee, year) in enumerate(zip(_column(deals, "investor"), _column(deals, "investee"),
                                                       _column(deals, "year"), strict=True)):
        if investor and investor not in companies:
            unknown_company(i, "investor", investor)
        if investee and investee not in companies:
            unknown_company(i, "investee", investee)
        if investor and investor == investee:
            add("error", "Investments", i, "investee", "a company cannot invest in itself", investee,
                "a different company from the investor")
        if isinstance(year, int) and first_year is not None and year < first_year:
            add("warning", "Investments", i, "year",
                f"the deal starts before the first capex year; it is counted from {first_year}", year)

    _check_ai_share(scenario.capex, problems)
    _check_assumptions(scenario.assumptions, add)
    _check_market(scenario, companies, add)
    _check_thresholds(scenario, add)
    problems.extend(uncertainty_problems(scenario, locate))    # None: the default references, as loc's
    _check_revenue_paths(scenario, assumptions, add)
    return problems


def _cut(name: object) -> str:
    """A name as a message quotes it: at most about 60 characters (a cell may hold 32,767)."""
    return values.cut(str(name))


def _check_ai_share(capex: Table, problems: list[Problem]) -> None:
    """A blank AI share reads 100%: say so once, naming the companies, so total capex is not taken for AI capex
    unnoticed (a template from before the AI share column has it blank on every row)."""
    if "ai_share" not in capex.keys:
        return
    blank = [str(name) for name, share in zip(_column(capex, "company"), _column(capex, "ai_share"), strict=True)
             if name and (share is None or share == "")]
    if blank:
        problems.append(Problem(
            "warning", f"no AI share for {', '.join(blank)}: all of {'its' if len(blank) == 1 else 'their'} capex "
                       "is read as AI capex (100%); enter the AI share to set AI revenue against AI capex only",
            "Capex", column="AI share"))


def _did_you_mean(name: object, known: set[str]) -> str:
    """Company names match exactly; a near miss in case or spacing gets a hint rather than silent matching."""
    wanted = " ".join(str(name).split()).lower()
    for k in sorted(known):
        if " ".join(k.split()).lower() == wanted:
            return f" (did you mean {_cut(k)!r}? names must match exactly)"
    return ""


def _row_of(table: Table, key: str, value: str) -> int:
    for i, v in enumerate(table.column_values(key)):
        if isinstance(v, str) and v.strip().lower() == value.lower():
            return i
    return -1


def _check_required(table: Table, add: Callable[..., None]) -> None:
    required = [(table.column_index(c.key), c) for c in table.schema.columns if c.required]
    columns = [_column(table, c.key) for _, c in required]
    if not any(None in values or "" in values for values in columns):    # the usual case, decided at C speed
        return
    for i, row in enumerate(table.rows):
        for pos, col in required:
            if row[pos] is None or row[pos] == "":
                add("error", table.sheet, i, col.key, f"{col.header} is required", None, col.expected)


def _check_duplicates(table: Table, add: Callable[..., None], loc: Locate) -> None:
    key_cols = table.schema.key
    # Key values compared as text ignoring case and surrounding spaces, column by column (read once, by index).
    columns = [_folded(_column(table, k)) for k in key_cols]
    seen: dict[tuple[object, ...], int] = {}
    for i, key in enumerate(zip(*columns, strict=True)):
        first = key[0]
        if (first is None or first == "") and all(k is None or k == "" for k in key):
            continue
        if key in seen:
            shown = ", ".join(str(v) for v in table.row_key(i) if v not in (None, ""))
            add("error", table.sheet, i, key_cols[0],
                f"duplicate {'/'.join(table.schema.column(k).header for k in key_cols)}: {_cut(shown)} "
                f"is already at {loc(table.sheet, seen[key], key_cols[0])}", shown,
                "each row once (combine or remove the duplicate)")
        else:
            seen[key] = i


def _column(table: Table, key: str) -> list[Cell]:
    """A column's values, read by index (``Table.column_values`` at C speed)."""
    return list(map(itemgetter(table.column_index(key)), table.rows))


def _folded(values: list[Cell]) -> list[Cell]:
    """Text as duplicates compare it (stripped, lower case), each distinct text folded once; other values as is."""
    folded: dict[Cell, Cell] = {v: str(v).strip().lower() for v in set(values) if isinstance(v, str)}
    return list(map(folded.get, values, values))     # a value that is not text equals no text: it maps to itself


def _check_assumptions(table: Table, add: Callable[..., None]) -> None:
    present = set()
    for i, rec in enumerate(table.records()):
        name = str(rec["name"] or "").strip()
        spec = schema.ASSUMPTION_BY_NAME.get(name.lower())
        if spec is None:
            if name:
                add("warning", "Assumptions", i, "name", f"{_cut(name)!r} is not an assumption the model reads; kept as is",
                    name, ", ".join(a.name for a in schema.ASSUMPTIONS))
            continue
        present.add(spec.name)
        value = rec["value"]
        if isinstance(value, int | float):
            try:
                spec.column().parse(value, percent_formatted=True)   # already a fraction
            except ValueError as exc:
                add("error", "Assumptions", i, "value", f"{spec.name} is out of range", value, str(exc))
            if spec.kind is schema.Kind.YEAR and value != int(value):
                add("error", "Assumptions", i, "value", f"{spec.name} must be a whole year", value, "a year")
    for spec in schema.ASSUMPTIONS:
        if spec.name not in present:
            add("warning", "Assumptions", -1, "name", f"{spec.name} is missing; the default {spec.default:g} is used",
                None, spec.name)


def _check_market(scenario: Scenario, companies: set[str], add: Callable[..., None]) -> None:
    per_company = {n.lower() for n in schema.COMPANY_MARKET_INPUTS}
    market = scenario.market
    for i, (raw_name, company) in enumerate(zip(_column(market, "input"), _column(market, "company"), strict=True)):
        name = str(raw_name or "").strip()
        if company:
            if company not in companies:
                add("error", "Market", i, "company", f"{_cut(company)} is not a company of the Capex or Revenue sheet"
                    f"{_did_you_mean(str(company), companies)}",
                    company, "a company listed in the Revenue sheet, or blank for a market-wide input")
            elif name.lower() not in per_company:
                add("warning", "Market", i, "input", f"{_cut(name)!r} is not a per-company input the model reads; ignored",
                    name, " or ".join(schema.COMPANY_MARKET_INPUTS))
        elif name.lower() in per_company:
            add("error", "Market", i, "company", f"{_cut(name)} needs the company it belongs to", None, "a company name")


def _check_thresholds(scenario: Scenario, add: Callable[..., None]) -> None:
    market = scenario.market
    market_inputs = {str(name).strip().lower()
                     for name, company in zip(_column(market, "input"), _column(market, "company"), strict=True)
                     if not company}
    # The standard market gauges are known names: without a Market row they are reported as missing data by the
    # score itself, not as a typo here.
    market_inputs |= {i.name.lower() for i in schema.MARKET_INDICATOR_DEFAULTS}
    weights = _column(scenario.thresholds, "weight")
    if weights and all(isinstance(w, int | float) and w == 0 for w in weights):
        add("error", "Thresholds", 0, "weight", "every weight is 0: the bubble score would weigh nothing and read "
            "'no data'", 0.0, "a weight above 0 on at least one indicator")
    for i, rec in enumerate(scenario.thresholds.records()):
        name = str(rec["indicator"] or "").strip()
        healthy, bubble = rec["healthy"], rec["bubble"]
        if isinstance(healthy, float | int) and healthy == bubble:
            add("error", "Thresholds", i, "bubble", f"{_cut(name)}: the bubble value equals the healthy value", bubble,
                "a value different from Healthy")
        if name and schema.derived_indicator(name) is None and name.lower() not in market_inputs:
            add("warning", "Thresholds", i, "indicator",
                f"{_cut(name)!r} is neither a derived indicator nor a market-wide input: it has no data and is not scored",
                name, "a derived indicator or a Market input with no company")


def _check_revenue_paths(scenario: Scenario, assumptions: AssumptionValues, add: Callable[..., None]) -> None:
    """Growth compounds: 1000% a year (the growth column's bound) over decades takes any revenue past what a float
    holds, and the report would print ``inf`` or a 300-digit figure. Each company's AI revenue path — the base
    revenue carried forward and backward by its growth, a blank growth cell taking the terminal growth, over the
    years compute() reads (model/core/compute.py, ``_read_inputs``) — must stay within schema.LARGEST_REVENUE_PATH. The
    error is put on the growth cell of the first year past it (the Terminal growth row when that year's cell is
    blank, the Base AI revenue cell when the base already is)."""
    revenue = scenario.revenue
    bases = [y for y in revenue.column_values("base_year") if isinstance(y, int)]
    if not revenue.rows or not bases:
        return
    horizon = int(assumptions["Horizon end"])
    years = scenario.capex.years
    first = min(years or tuple(bases))
    lo, hi = min([first - 1, *bases]), max([max(horizon, first), *bases])
    terminal = assumptions["Terminal growth"]
    if terminal <= -1.0:
        return      # out of range: reported at its cell by _check_assumptions
    limit = float(np.log(schema.LARGEST_REVENUE_PATH))
    span = np.arange(lo, hi + 1)
    n = len(revenue.rows)
    growth = np.full((n, len(span)), terminal)
    typed = np.zeros((n, len(span)), dtype=bool)
    for y in (y for y in revenue.years if lo <= y <= hi):
        cells = revenue.column_values(str(y))
        ok = np.array([isinstance(g, int | float) and not isinstance(g, bool) and g > -1.0 for g in cells])
        typed[:, y - lo] = ok
        growth[ok, y - lo] = [float(g) for g, good in zip(cells, ok, strict=True) if good]  # type: ignore[arg-type]
    growth[:, 0] = 0.0
    base = np.array([float(b) if isinstance(b, int | float) and b > 0 else 1.0
                     for b in revenue.column_values("base_revenue")])
    at = np.array([b - lo if isinstance(b, int) else 0 for b in revenue.column_values("base_year")])
    log_path = np.cumsum(np.log1p(growth), axis=1)     # logs: no overflow, whatever the growth
    log_revenue = np.log(base)[:, None] + log_path - log_path[np.arange(n), at][:, None]
    for i in np.flatnonzero((log_revenue > limit).any(axis=1)):
        rec = dict(zip(revenue.keys, revenue.rows[int(i)], strict=True))
        base_year = rec["base_year"]
        if not isinstance(base_year, int):
            continue
        over = span[log_revenue[i] > limit]
        # the crossing nearest the base year: forward, the first year past the bound; backward, the last one
        year = int(over[np.argmin(np.abs(over - base_year))])
        # forward of the base year the growth into the crossing year did it; backward, the growth out of it
        cause = year if year > base_year else year + 1
        message = (f"{rec['company']}'s AI revenue, grown from its base year {base_year}, passes $1,000,000,000B in "
                   f"{year}: no real revenue comes near that (ten thousand times the world's yearly GDP)")
        expected = "growth that keeps AI revenue below $1,000,000,000B over the model's years"
        if year == base_year:
            add("error", "Revenue", int(i), "base_revenue", message, rec["base_revenue"], expected)
        elif lo <= cause <= hi and typed[i, cause - lo]:
            add("error", "Revenue", int(i), str(cause), message, rec[str(cause)], expected)
        else:
            row = _row_of(scenario.assumptions, "name", "Terminal growth")
            add("error", "Assumptions" if row >= 0 else "Revenue", row if row >= 0 else int(i),
                "value" if row >= 0 else "base_revenue", message + " (blank growth cells take the Terminal growth)",
                terminal, expected)
