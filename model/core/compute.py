"""``compute(scenario) -> Results``: payback, required revenue, circular revenue and the bubble score.

Pure: the same scenario always gives the same results, and nothing here touches files or Qt. Every formula is
written out, with its source, in docs/methodology.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from model.core import finance, schema
from model.core.deals import analyse_deals
from model.core.problems import Problem, TemplateError
from model.core.results import SECTOR, BubbleScore, EntityResult, Payback, Results
from model.core.scenario import Scenario, Table
from model.core.score import Labels, Threshold, bubble_score
from model.core.validation import AssumptionValues, read_assumptions, validate

Matrix = npt.NDArray[np.float64]


@dataclass(frozen=True)
class _Inputs:
    companies: tuple[str, ...]
    in_sector: npt.NDArray[np.bool_]
    years: npt.NDArray[np.int64]
    capex: Matrix               # (companies, years)
    organic_revenue: Matrix
    revenue_before_start: npt.NDArray[np.float64]  # organic revenue in the year before the first model year
    margin: npt.NDArray[np.float64]


def compute(scenario: Scenario, problems: list[Problem] | None = None) -> Results:
    """Compute every result of the scenario.

    Raises TemplateError listing every error when the scenario has any (a compute on bad inputs would be a
    number nobody could trust). ``problems`` may pass in an already-run ``validate(scenario)`` to save its cost.
    """
    if problems is None:
        problems = validate(scenario)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise TemplateError(errors + [p for p in problems if p.severity == "warning"])
    warnings = tuple(scenario.warnings) + tuple(p for p in problems if p.severity == "warning")

    a = read_assumptions(scenario.assumptions)
    rate, life = a["Discount rate"], a["Useful life"]
    inputs = _read_inputs(scenario, a["Terminal growth"], int(a["Horizon end"]))
    years = inputs.years
    n_comp, n_years = inputs.capex.shape

    flows = analyse_deals(scenario.investments, inputs.companies, int(years[0]), int(years[-1]),
                          inputs.organic_revenue)

    # -- per company: rows 0..n-1; the sector is appended as the last row -------------------------------------
    organic = inputs.organic_revenue
    recycled = flows.recycled_revenue
    revenue = organic + recycled
    capex = inputs.capex
    outflows = flows.outflows
    margin = inputs.margin[:, None]
    cash_flow = margin * revenue - capex - outflows
    organic_cash_flow = margin * organic - capex - outflows
    charge = capex @ finance.in_service_weights(n_years, life) * finance.capital_recovery_factor(rate, life)
    required = charge / margin

    def with_sector(m: Matrix) -> Matrix:
        return np.vstack([m, m[inputs.in_sector].sum(axis=0, keepdims=True)])

    series: dict[str, Matrix] = {
        "organic_revenue": with_sector(organic),
        "recycled_revenue": with_sector(recycled),
        "revenue": with_sector(revenue),
        "capex": with_sector(capex),
        "investment_outflows": with_sector(outflows),
        "funding_received": with_sector(flows.funding_received),
        "cash_flow": with_sector(cash_flow),
        "organic_cash_flow": with_sector(organic_cash_flow),
        "capital_charge": with_sector(charge),
        "required_revenue": with_sector(required),
    }
    discount = (1.0 + rate) ** -np.arange(n_years, dtype=float)
    series["discounted_cash_flow"] = series["cash_flow"] * discount
    series["cumulative_cash_flow"] = np.cumsum(series["cash_flow"], axis=1)
    series["cumulative_discounted_cash_flow"] = np.cumsum(series["discounted_cash_flow"], axis=1)
    series["cumulative_organic_cash_flow"] = np.cumsum(series["organic_cash_flow"], axis=1)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        series["coverage"] = np.where(series["required_revenue"] > 0,
                                      series["revenue"] / series["required_revenue"], np.nan)

    entities = inputs.companies + (SECTOR,)
    first_year = int(years[0])
    score_year = min(max(int(a["Score year"]), first_year), int(years[-1]))
    if score_year != int(a["Score year"]):
        warnings += (Problem("warning", f"the score year {int(a['Score year'])} lies outside the model's years; "
                                        f"{score_year} is used", "Assumptions", column="Value"),)
    scorer = _Scorer(scenario, inputs, series, flows.external_financing, a, score_year, life)

    cash = series["cash_flow"]
    organic_cash = series["organic_cash_flow"]
    paybacks = _paybacks(cash, first_year)
    discounted_paybacks = _paybacks(series["discounted_cash_flow"], first_year)
    organic_paybacks = _paybacks(organic_cash, first_year)
    organic_discounted_paybacks = _paybacks(organic_cash * discount, first_year)
    npvs = cash @ discount
    organic_npvs = organic_cash @ discount
    irrs = finance.irr_rows(cash)

    summaries = []
    for i, name in enumerate(entities):
        is_sector = i == n_comp
        payback = paybacks[i]
        summaries.append(EntityResult(
            name=name,
            is_sector=is_sector,
            in_sector=is_sector or bool(inputs.in_sector[i]),
            payback=payback,
            discounted_payback=discounted_paybacks[i],
            organic_payback=organic_paybacks[i],
            organic_discounted_payback=organic_discounted_paybacks[i],
            npv=float(npvs[i]),
            organic_npv=float(organic_npvs[i]),
            irr=irrs[i],
            payback_to_life=None if payback.years is None else payback.years / life,
            coverage=_at(series["coverage"][i], years, score_year),
            score=scorer.score(i, name, payback),
        ))

    return Results(
        years=tuple(int(y) for y in years),
        entities=entities,
        series=series,
        summaries=tuple(summaries),
        deals=flows.analysis,
        assumptions={spec.name: a[spec.name] for spec in schema.ASSUMPTIONS},
        score_year=score_year,
        warnings=warnings,
    )


def _paybacks(cash_flow: Matrix, first_year: int) -> list[Payback]:
    years = finance.payback_years_rows(cash_flow).tolist()
    never_negative = (np.cumsum(cash_flow, axis=1).min(axis=1, initial=0.0) >= 0).tolist()
    return [Payback(None if math.isnan(y) else y, first_year, nothing_to_pay_back=nn)
            for y, nn in zip(years, never_negative, strict=True)]


def _at(row: npt.NDArray[np.float64], years: npt.NDArray[np.int64], year: int) -> float | None:
    value = float(row[year - int(years[0])])
    return value if math.isfinite(value) else None


def _read_inputs(scenario: Scenario, terminal_growth: float, horizon_end: int) -> _Inputs:
    companies = scenario.companies
    index = {c: i for i, c in enumerate(companies)}
    n = len(companies)
    capex_table, revenue_table = scenario.capex, scenario.revenue

    base_years = [y for y in revenue_table.column_values("base_year") if isinstance(y, int)]
    deal_years = [y for y in scenario.investments.column_values("year") if isinstance(y, int)]
    first = min(capex_table.years or tuple(base_years) or tuple(deal_years) or (horizon_end,))
    last = max(horizon_end, first)
    years = np.arange(first, last + 1)
    n_years = len(years)

    # Each table row fills its company's row of the matrices (validation refuses a company listed twice).
    capex = np.zeros((n, n_years))
    in_sector = np.zeros(n, dtype=bool)
    capex_rows = [index[c] for c in capex_table.column_values("company")]  # type: ignore[index]
    in_sector[capex_rows] = [v is not False for v in capex_table.column_values("in_sector")]
    capex_years = [y for y in capex_table.years if first <= y <= last]
    capex[np.ix_(capex_rows, [y - first for y in capex_years])] = _numbers(capex_table, capex_years, 0.0)

    # Revenue: R_t = R_{t-1}(1 + g_t) forward from the base year and backward before it. The path runs over an
    # extended range [lo, last] so that years before the model start (momentum, base years before it) are known.
    lo = min([first - 1] + base_years)
    hi = max([last] + base_years)          # a base year past the horizon still anchors the path
    ext_years = hi - lo + 1
    growth = np.full((n, ext_years), terminal_growth)
    base_revenue = np.zeros(n)
    base_offset = np.full(n, first - lo)
    margin = np.full(n, np.nan)
    revenue_rows = [index[c] for c in revenue_table.column_values("company")]  # type: ignore[index]
    base_revenue[revenue_rows] = [float(v) for v in revenue_table.column_values("base_revenue")]  # type: ignore[arg-type]
    base_offset[revenue_rows] = [int(v) - lo for v in revenue_table.column_values("base_year")]  # type: ignore[call-overload]
    margin[revenue_rows] = [float(v) for v in revenue_table.column_values("cash_margin")]  # type: ignore[arg-type]
    growth_years = [y for y in revenue_table.years if lo <= y <= hi]
    growth[np.ix_(revenue_rows, [y - lo for y in growth_years])] = _numbers(revenue_table, growth_years,
                                                                            terminal_growth)
    growth[:, 0] = 0.0  # the path's first year has no growth into it
    path = np.cumprod(1.0 + growth, axis=1)
    revenue_ext = base_revenue[:, None] * path / path[np.arange(n), base_offset][:, None]
    start = first - lo
    return _Inputs(companies, in_sector, years, capex, revenue_ext[:, start:start + n_years],
                   revenue_ext[:, start - 1], margin)


def _numbers(table: Table, years: list[int], blank: float) -> Matrix:
    """The cells of those year columns as a (rows, years) matrix; a cell without a number reads ``blank``."""
    number = (int, float)     # as int | float, and faster to test
    columns = [[v if isinstance(v, number) else blank for v in table.column_values(str(y))] for y in years]
    return np.array(columns, dtype=float).T.reshape(len(table.rows), len(years))


def _intensity(capex: float, operating_cash_flow: float) -> tuple[float | None, str]:
    """Capex ÷ operating cash flow; with no (or negative) cash flow any capex is the worst case, not missing data."""
    if operating_cash_flow > 0:
        return capex / operating_cash_flow, ""
    if capex > 0:
        return math.inf, "operating cash flow is zero or negative"
    return 0.0, "no capex and no operating cash flow"


class _Scorer:
    """Reads each indicator's value for a company or the sector at the score year, then scores it."""

    def __init__(self, scenario: Scenario, inputs: _Inputs, series: dict[str, Matrix],
                 external_financing: Matrix, a: AssumptionValues, score_year: int, life: float) -> None:
        self.inputs, self.series, self.life = inputs, series, life
        self.t = score_year - int(inputs.years[0])
        self.year = score_year
        n = len(inputs.companies)
        self.external = np.append(external_financing[:, self.t], 0.0)
        self.ocf = np.full(n, np.nan)
        self.debt_raised = np.full(n, np.nan)
        market_wide: dict[str, tuple[int, float]] = {}
        index = {c: i for i, c in enumerate(inputs.companies)}
        market = scenario.market
        names = [str(x).strip().lower() for x in market.column_values("input")]
        rows = list(zip(names, market.column_values("company"), market.column_values("year"),
                        market.column_values("value"), strict=True))
        # Market inputs: the value of the score year, or the latest year before it.
        latest: dict[tuple[str, str], tuple[int, float]] = {}
        for name, company, year, value in rows:
            if not isinstance(year, int) or not isinstance(value, int | float) or year > score_year:
                continue
            key = (name, str(company or ""))
            if key not in latest or latest[key][0] < year:
                latest[key] = (year, float(value))
        for (name, company), (_, value) in latest.items():
            if not company:
                market_wide[name] = (0, value)
            elif company in index and name == schema.OPERATING_CASH_FLOW.lower():
                self.ocf[index[company]] = value
        # Debt raised is a yearly flow: only the score year's own row counts.
        debt_raised = schema.DEBT_RAISED.lower()
        for name, company, year, value in rows:
            if (name == debt_raised and company in index and year == score_year
                    and isinstance(value, int | float)):
                i = index[company]  # type: ignore[index]
                total = self.debt_raised[i]    # NaN: no row yet
                self.debt_raised[i] = (0.0 if math.isnan(total) else total) + float(value)
        self.debt_known = np.nan_to_num(self.debt_raised)
        # Debt data for the score year: a Debt raised row of that year, or debt-like funding received in it. A row
        # of another year says nothing about this one: no data, not zero debt.
        self.has_debt_data = np.append(~np.isnan(self.debt_raised), False) | (np.abs(self.external) > 0)
        self.market_wide = {k: v for k, (_, v) in market_wide.items()}
        self.thresholds: list[Threshold] = []
        for rec in scenario.thresholds.records():
            name = str(rec["indicator"] or "").strip()
            derived = schema.DERIVED_BY_NAME.get(name.lower())
            market_spec = next((m for m in schema.MARKET_INDICATOR_DEFAULTS if m.name.lower() == name.lower()), None)
            unit = derived.unit if derived else (market_spec.unit if market_spec else self._market_unit(scenario, name))
            formula = derived.formula if derived else "market input"
            self.thresholds.append(Threshold(derived.name if derived else name, float(rec["healthy"]),  # type: ignore[arg-type]
                                             float(rec["bubble"]), float(rec["weight"]), formula, unit))  # type: ignore[arg-type]
        # The thresholds scored for the sector (all) and for a company (the company-level derived ones), each as
        # (threshold, its key in the values, whether the model derives it rather than reading a market input).
        self.scored_by_sector: list[tuple[Threshold, str, bool]] = []
        self.scored_by_company: list[tuple[Threshold, str, bool]] = []
        for th in self.thresholds:
            derived = schema.DERIVED_BY_NAME.get(th.name.lower())
            self.scored_by_sector.append((th, th.name.lower(), derived is not None))
            if derived is not None and derived.company_level:
                self.scored_by_company.append((th, th.name.lower(), True))
        get = a.__getitem__
        self.labels = Labels(get("Red gauge score"), int(get("Reds for bubble")), get("Boom score"),
                             get("Bubble score"))
        self.gdp = get("GDP") * (1.0 + get("GDP growth")) ** (score_year - int(get("GDP year")))

    @staticmethod
    def _market_unit(scenario: Scenario, name: str) -> str:
        market = scenario.market
        for input_name, company, unit in zip(market.column_values("input"), market.column_values("company"),
                                             market.column_values("unit"), strict=True):
            if str(input_name).strip().lower() == name.lower() and not company:
                return str(unit or "")
        return ""

    def score(self, i: int, name: str, payback: Payback) -> BubbleScore:
        s, t = self.series, self.t
        is_sector = i == len(self.inputs.companies)
        members = np.append(self.inputs.in_sector, False) if is_sector else None
        revenue = s["revenue"][i, t]
        if t > 0:
            revenue_before = s["revenue"][i, t - 1]
        elif is_sector:
            revenue_before = float(self.inputs.revenue_before_start[self.inputs.in_sector].sum())
        else:
            revenue_before = float(self.inputs.revenue_before_start[i])
        capex = s["capex"][i, t]

        def ratio(num: float, den: float, why: str) -> tuple[float | None, str]:
            return (num / den, "") if den > 0 else (None, why)

        values: dict[str, tuple[float | None, str]] = {}
        values["revenue coverage"] = ratio(revenue, s["required_revenue"][i, t], "no capital charge in the score year")
        if is_sector:
            assert members is not None
            has_ocf = np.append(~np.isnan(self.ocf), False) & members
            ocf_sum = float(np.nansum(np.append(self.ocf, 0.0)[has_ocf]))
            values["capex intensity"] = (None, "no Operating cash flow input for the sector's companies") \
                if not has_ocf.any() else _intensity(float(s["capex"][has_ocf, t].sum()), ocf_sum)
            has_debt = self.has_debt_data & members
            debt = float(np.nansum(np.append(self.debt_raised, 0.0)[has_debt]) + self.external[has_debt].sum())
            values["external financing"] = ratio(debt, float(s["capex"][has_debt, t].sum()),
                                                 "no Debt raised input or debt-like deal for the sector")
            values["macro weight"] = ratio(capex, self.gdp, "no GDP") if members.any() \
                else (None, "no company is marked In sector")
        else:
            values["capex intensity"] = _intensity(capex, float(self.ocf[i])) \
                if not math.isnan(self.ocf[i]) else (None, "no Operating cash flow input")
            if self.has_debt_data[i]:
                debt = float(self.debt_known[i] + self.external[i])
                values["external financing"] = ratio(debt, capex, "no capex in the score year")
            else:
                values["external financing"] = (None, "no Debt raised input or debt-like deal")
        values["revenue momentum"] = ratio(revenue, revenue_before, "no AI revenue the year before")
        if values["revenue momentum"][0] is not None:
            values["revenue momentum"] = (values["revenue momentum"][0] - 1.0, "")  # type: ignore[operator]
        values["circularity"] = ratio(s["recycled_revenue"][i, t], revenue, "no AI revenue in the score year")
        # Nothing invested (no capex, no deal paid out, over the whole horizon) is not a payback of 0 years: the
        # gauge has no data rather than its healthiest reading (an empty sector read 'Healthy' on it).
        invested = bool(s["capex"][i].any() or s["investment_outflows"][i].any())
        if payback.years is None:
            values["payback vs life"] = (math.inf, "payback not within horizon")
        elif not invested:
            values["payback vs life"] = (None, "nothing invested: no capex or deal payments")
        else:
            values["payback vs life"] = (payback.years / self.life, "")

        observations: list[tuple[Threshold, float | None, str]] = []
        for th, key, derived in self.scored_by_sector if is_sector else self.scored_by_company:
            if derived:
                value, note = values.get(key, (None, "no data"))
            else:
                value = self.market_wide.get(key)
                note = "" if value is not None else f"no Market input named {th.name!r} up to {self.year}"
            observations.append((th, value, note))
        return bubble_score(name, self.year, observations, self.labels)
