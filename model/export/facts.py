"""What the export writes besides ``Results``: where each input sits, and the helper values of helper cells.

Every *result* cell of the export (revenue, cash flow, payback, required revenue, coverage, indicator values,
scores, labels...) carries the value of ``compute()``'s Results. A few formula cells are steps the model takes
internally but does not return — a growth factor, an in-service weight, the capital recovery factor, the
debt-like deal funding at the score year, the market input the score reads. Their values come from the model's
own functions (``finance``, ``deals.analyse_deals``) or are the inputs themselves, looked up the way
``compute._Scorer`` looks them up; the LibreOffice test checks every one against a real recalculation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from model.core import finance, schema
from model.core.deals import analyse_deals
from model.core.results import Results
from model.core.scenario import Scenario

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Facts:
    scenario: Scenario
    results: Results
    companies: tuple[str, ...]
    years: tuple[int, ...]
    path_start: int                      # the revenue path's first year (the year before the first, or earlier)
    path_end: int                        # its last year (the last model year, or a later base year)
    capex_row: dict[str, int]            # company -> row index in the Capex table
    revenue_row: dict[str, int]          # company -> row index in the Revenue table
    in_sector: tuple[bool, ...]          # per company, as the model counts it
    factors: FloatArray                  # (companies, years path_start+1..path_end): 1 + growth used
    revenue_before_first: FloatArray     # organic AI revenue in the year before the first model year
    weights: FloatArray                  # W[vintage, year]: in-service share (finance.in_service_weights)
    crf: float
    external_at_score: FloatArray        # debt-like deal funding received in the score year
    ocf_year: FloatArray                 # latest Operating cash flow year <= score year (0: none)
    ocf: FloatArray                      # its value (0: none)
    debt_raised: FloatArray              # Debt raised rows of the score year, summed
    has_debt_data: npt.NDArray[np.bool_]  # a Debt raised row of the score year, or debt-like deal funding in it
    gdp_at_score: float
    assumption_row: dict[str, int]       # assumption name -> row of the Assumptions table the model reads

    @property
    def n(self) -> int:
        return len(self.companies)

    @property
    def first(self) -> int:
        return self.years[0]

    @property
    def last(self) -> int:
        return self.years[-1]

    @property
    def score_t(self) -> int:
        return self.results.score_year - self.first

    def series(self, measure: str) -> FloatArray:
        return self.results.series[measure]

    def assumption(self, name: str) -> float:
        return float(self.results.assumptions[name])


def gather(scenario: Scenario, results: Results) -> Facts:
    companies = results.companies
    years = results.years
    first, last = years[0], years[-1]
    n = len(companies)
    a = results.assumptions
    capex_row = _rows_by_company(scenario.capex.column_values("company"))
    revenue_row = _rows_by_company(scenario.revenue.column_values("company"))

    revenue = scenario.revenue
    base_years = [y for y in revenue.column_values("base_year") if isinstance(y, int)]
    path_start = min([first - 1] + base_years)
    path_end = max([last] + base_years)     # a base year past the horizon still anchors the path (compute)
    factors = np.full((n, path_end - path_start), 1.0 + a["Terminal growth"])
    for i, company in enumerate(companies):
        row = revenue_row.get(company)
        if row is None:
            continue
        for y in revenue.years:
            g = revenue.value(row, str(y))
            if path_start < y <= path_end and isinstance(g, int | float):
                factors[i, y - path_start - 1] = 1.0 + g
    organic = results.series["organic_revenue"][:n]
    revenue_before_first = organic[:, 0] / factors[:, first - path_start - 1]

    rate, life = a["Discount rate"], a["Useful life"]
    t = results.score_year - first
    flows = analyse_deals(scenario.investments, companies, first, last, organic)
    external = flows.external_financing[:, t].copy()
    ocf_year, ocf, debt, has_debt_input = _market_lookups(scenario, companies, results.score_year)
    gdp = a["GDP"] * (1.0 + a["GDP growth"]) ** (results.score_year - int(a["GDP year"]))
    return Facts(
        scenario=scenario, results=results, companies=companies, years=years, path_start=path_start,
        path_end=path_end,
        capex_row=capex_row, revenue_row=revenue_row,
        in_sector=tuple(results.entity(c).in_sector for c in companies),
        factors=factors, revenue_before_first=revenue_before_first,
        weights=finance.in_service_weights(len(years), life, a["Perpetuity"] >= 0.5),
        crf=finance.capital_recovery_factor(rate, life, a["Perpetuity"] >= 0.5),
        external_at_score=external, ocf_year=ocf_year, ocf=ocf, debt_raised=debt,
        has_debt_data=has_debt_input | (np.abs(external) > 0), gdp_at_score=gdp,
        assumption_row=_assumption_rows(scenario),
    )


def _rows_by_company(names: list[object]) -> dict[str, int]:
    out: dict[str, int] = {}
    for i, name in enumerate(names):
        if isinstance(name, str) and name:
            out.setdefault(name, i)
    return out


def _assumption_rows(scenario: Scenario) -> dict[str, int]:
    """The row the model reads for each assumption (validation.read_assumptions: a numeric value; the last wins)."""
    out: dict[str, int] = {}
    for i, rec in enumerate(scenario.assumptions.records()):
        spec = schema.ASSUMPTION_BY_NAME.get(str(rec["name"] or "").strip().lower())
        if spec is not None and isinstance(rec["value"], int | float):
            out[spec.name] = i
    return out


def _market_lookups(scenario: Scenario, companies: tuple[str, ...], score_year: int) \
        -> tuple[FloatArray, FloatArray, FloatArray, npt.NDArray[np.bool_]]:
    """Per company, as compute's scorer reads the Market sheet: the latest Operating cash flow up to the score
    year, the Debt raised of the score year, and whether the score year has a Debt raised row."""
    index = {c: i for i, c in enumerate(companies)}
    n = len(companies)
    ocf_year, ocf = np.zeros(n), np.zeros(n)
    debt = np.zeros(n)
    has_debt = np.zeros(n, dtype=bool)
    ocf_name, debt_name = schema.OPERATING_CASH_FLOW.lower(), schema.DEBT_RAISED.lower()
    for rec in scenario.market.records():
        name = str(rec["input"]).strip().lower()
        company, year, value = rec["company"], rec["year"], rec["value"]
        if company not in index:
            continue
        i = index[company]
        if not isinstance(year, int) or not isinstance(value, int | float) or year > score_year:
            continue
        if name == ocf_name and year > ocf_year[i]:
            ocf_year[i], ocf[i] = year, float(value)
        if name == debt_name and year == score_year:
            debt[i] += float(value)
            has_debt[i] = True
    return ocf_year, ocf, debt, has_debt


def finite_or(value: float | None, text: str) -> float | str:
    """A result as a cell value: the number, or the text the formula shows when there is none."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return text
    return float(value)
