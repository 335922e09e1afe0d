"""``compute(scenario) -> Results``: payback, required revenue, circular revenue and the bubble score.

Pure: the same scenario always gives the same results, and nothing here touches files or Qt. Every formula is
written out, with its source, in docs/methodology.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from model.core import finance, schema
from model.core.deals import analyse_deals
from model.core.problems import Problem, TemplateError
from model.core.results import SECTOR, EntityResult, Payback, Results, ScoreHistory
from model.core.scenario import Scenario, Table
from model.core.score import Labels, Threshold, score_histories
from model.core.validation import AssumptionValues, read_assumptions, validate

Matrix = npt.NDArray[np.float64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class _Inputs:
    companies: tuple[str, ...]
    in_sector: npt.NDArray[np.bool_]
    years: npt.NDArray[np.int64]
    capex: Matrix               # (companies, years): all capex, as reported
    ai_share: npt.NDArray[np.float64]   # per company: the share of its capex that builds AI capacity
    organic_revenue: Matrix
    revenue_before_start: npt.NDArray[np.float64]  # organic revenue in the year before the first model year
    margin: npt.NDArray[np.float64]
    first_growth_stated: npt.NDArray[np.bool_]     # the Revenue sheet gives growth into the first model year
    last_capex_t: int | None = None                # index of the last Capex column within the model's years

    @property
    def ai_capex(self) -> Matrix:
        return self.capex * self.ai_share[:, None]


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
    inputs = after_the_capex_years(inputs, a["Keep fleet"] >= 0.5, a["Revenue bound"] >= 0.5, life,
                                   a["Perpetuity"] >= 0.5,
                                   _sales_from_capex(scenario, inputs.companies))
    years = inputs.years
    n_comp, n_years = inputs.capex.shape

    flows = analyse_deals(scenario.investments, inputs.companies, int(years[0]), int(years[-1]),
                          inputs.organic_revenue)

    # -- per company: rows 0..n-1; the sector is appended as the last row -------------------------------------
    organic = inputs.organic_revenue
    recycled = flows.recycled_revenue
    revenue = organic + recycled
    # Like for like: AI revenue pays for AI capex. Payback, NPV and required revenue use capex × AI share; the
    # whole capex stays in capex intensity, macro weight and external financing (all of it is cash spent).
    ai_capex = inputs.ai_capex
    outflows = flows.outflows
    margin = inputs.margin[:, None]
    cash_flow = margin * revenue - ai_capex - outflows
    organic_cash_flow = margin * organic - ai_capex - outflows
    perpetual = a["Perpetuity"] >= 0.5
    charge = ai_capex @ finance.in_service_weights(n_years, life, perpetual) \
        * finance.capital_recovery_factor(rate, life, perpetual)
    required = charge / margin

    def with_sector(m: Matrix) -> Matrix:
        return np.vstack([m, m[inputs.in_sector].sum(axis=0, keepdims=True)])

    series: dict[str, Matrix] = {
        "organic_revenue": with_sector(organic),
        "recycled_revenue": with_sector(recycled),
        "revenue": with_sector(revenue),
        "capex": with_sector(inputs.capex),
        "ai_capex": with_sector(ai_capex),
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
    members = [[i] for i in range(n_comp)] + [np.flatnonzero(inputs.in_sector).tolist()]
    vintages = vintage_paybacks(ai_capex, series["coverage"], rate, life, members, perpetual)
    series["vintage_payback"] = vintages
    scorer = _Scorer(scenario, inputs, series, flows.external_financing, a, life)
    histories = scorer.histories(entities, vintages)
    series["score"] = np.array([h.composite for h in histories]).reshape(len(entities), n_years)
    t_score = score_year - first_year

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
            payback_to_life=None if payback.years is None or payback.nothing_to_pay_back else payback.years / life,
            coverage=_at(series["coverage"][i], years, score_year),
            score=histories[i].at(t_score),
            vintage_payback=None if math.isnan(vintages[i, t_score]) else float(vintages[i, t_score]),
            history=histories[i],
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
    """Each row's payback; one not within the horizon carries its shortfall at the horizon's end and, when the last
    year's cash flow is positive, the year it would close the gap at that rate: last year + shortfall ÷ last cash
    flow (a straight-line extrapolation, beyond what the model computes)."""
    years = finance.payback_years_rows(cash_flow).tolist()
    cumulative = np.cumsum(cash_flow, axis=1)
    never_negative = (cumulative.min(axis=1, initial=0.0) >= 0).tolist()
    n_years = cash_flow.shape[1]
    last_year = first_year + n_years - 1
    out = []
    for i, (y, nn) in enumerate(zip(years, never_negative, strict=True)):
        if not math.isnan(y) or n_years == 0:
            out.append(Payback(None if math.isnan(y) else y, first_year, nothing_to_pay_back=nn))
            continue
        gap, last = float(cumulative[i, -1]), float(cash_flow[i, -1])
        beyond = last_year + (-gap / last) if last > 0 and math.isfinite(gap) else None
        out.append(Payback(None, first_year, shortfall=gap, horizon_year=last_year, beyond=beyond))
    return out


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
    ai_share = np.ones(n)       # a blank AI share is 100% (validation warns)
    if "ai_share" in capex_table.keys:
        ai_share[capex_rows] = [float(v) if isinstance(v, int | float) and not isinstance(v, bool) else 1.0
                                for v in capex_table.column_values("ai_share")]
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
    first_growth_stated = np.zeros(n, dtype=bool)
    if first in revenue_table.years:
        first_growth_stated[revenue_rows] = [isinstance(v, int | float) and not isinstance(v, bool)
                                             for v in revenue_table.column_values(str(first))]
    # ... or its base year is the year before, so the revenue before the first year is a figure, not a back-cast
    first_growth_stated[revenue_rows] |= np.array([v == first - 1 for v in revenue_table.column_values("base_year")],
                                                  dtype=bool)
    growth[:, 0] = 0.0  # the path's first year has no growth into it
    path = np.cumprod(1.0 + growth, axis=1)
    revenue_ext = base_revenue[:, None] * path / path[np.arange(n), base_offset][:, None]
    start = first - lo
    return _Inputs(companies, in_sector, years, capex, ai_share, revenue_ext[:, start:start + n_years],
                   revenue_ext[:, start - 1], margin, first_growth_stated,
                   max(capex_years) - first if capex_years else None)


def after_the_capex_years(inputs: _Inputs, keep_fleet: bool, bound: bool, life: float, perpetual: bool,
                          sales_from_capex: FloatArray) -> _Inputs:
    """The years past the last Capex column: the fleet kept or not, revenue bounded by the capacity earning it.

    - Keep the fleet: each year's capex replaces the capex retiring that year,
      capex_t = Σ_{v<t} capex_v · (w(v, t−1) − w(v, t)), so the capacity in service stays as the last explicit
      year left it. Stop: no capex (the build-out ends and its vintages retire).
    - With ``bound``: a company's organic revenue past that year is at most its last explicit year's revenue times
      the capacity in service now over then (Σ_v AI capex_v · w(v, t)): revenue needs the hardware that earns it;
      and a supplier's share ``sales_from_capex`` of its revenue follows the sector's AI capex from that year on.
    Source: docs/methodology.md, 'Past the last Capex column'.
    """
    tl, n_years = inputs.last_capex_t, len(inputs.years)
    if tl is None or tl >= n_years - 1:
        return inputs
    weights = finance.in_service_weights(n_years, life, perpetual)
    capex = inputs.capex.copy()
    if keep_fleet:
        for t in range(tl + 1, n_years):
            capex[:, t] = capex[:, :t] @ (weights[:t, t - 1] - weights[:t, t])
    if not bound:
        return replace(inputs, capex=capex)
    ai_capex = capex * inputs.ai_share[:, None]
    capacity = ai_capex @ weights
    organic = inputs.organic_revenue.copy()
    later = slice(tl + 1, n_years)
    has = capacity[:, tl] > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        ceiling = organic[:, tl:tl + 1] * capacity[:, later] / np.where(has, capacity[:, tl], 1.0)[:, None]
    organic[has, later] = np.minimum(organic[has, later], ceiling[has])
    sector = ai_capex[inputs.in_sector].sum(axis=0)
    share = np.clip(sales_from_capex, 0.0, 1.0)
    if sector[tl] > 0 and share.any():
        follows = organic[:, tl:tl + 1] * (sector[later] / sector[tl])[None, :]
        organic[:, later] = (1.0 - share[:, None]) * organic[:, later] + share[:, None] * follows
    return replace(inputs, capex=capex, organic_revenue=organic)


def _sales_from_capex(scenario: Scenario, companies: tuple[str, ...]) -> FloatArray:
    """Per company: its latest 'Sales from sector capex' Market input (0 without one)."""
    index = {c: i for i, c in enumerate(companies)}
    out, seen = np.zeros(len(companies)), np.full(len(companies), -1)
    market = scenario.market
    name = schema.SALES_FROM_CAPEX.lower()
    for input_name, company, year, value in zip(market.column_values("input"), market.column_values("company"),
                                                market.column_values("year"), market.column_values("value"),
                                                strict=True):
        if (str(input_name).strip().lower() == name and company in index and isinstance(year, int)
                and isinstance(value, int | float) and not isinstance(value, bool) and year > seen[index[company]]):
            i = index[company]
            out[i], seen[i] = float(value), year
    return out


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


def _financing(debt: float, capex: float) -> tuple[float | None, str]:
    """Debt-like funding ÷ capex, with the zero-denominator rule of capex intensity: debt raised with no capex to
    fund is the worst case; neither debt nor capex is no debt-financed capex at all (0)."""
    if capex > 0:
        return debt / capex, ""
    if debt > 0:
        return math.inf, "debt raised with no capex in the year"
    return 0.0, "no capex and no debt in the year"


def vintage_paybacks(ai_capex: Matrix, coverage: Matrix, rate: float, life: float,
                     members: list[list[int]], perpetual: bool = False) -> Matrix:
    """Payback (years) of each year's capex vintage against the revenue attributable to it, per entity.

    A vintage's share of an entity's AI revenue in year t is its share of the capital charge of year t, so the
    cash it earns is margin · revenue_t · CRF·K_v·w(v,t) / charge_t = CRF · K_v · w(v,t) · coverage_t: the
    capital recovery it needs, times coverage. Its payback is the first time that cash adds up to K_v, interpolated
    inside the year (capex and its first year's cash both in year v, as the programme's payback counts them).
    Years past the horizon hold the last year's coverage. ``members[e]`` lists the company rows an entity sums
    (a company: itself; the sector: its companies). Result (entities, years): NaN without AI capex in the year,
    math.inf when the vintage is not paid back within its useful life. Source: the capital-recovery reading of
    required revenue (docs/methodology.md, 'Vintage payback').
    """
    n_comp, n_years = ai_capex.shape
    span = int(math.ceil(life))
    crf = finance.capital_recovery_factor(rate, life, perpetual)   # in perpetuity: r, and in service all its life
    service = np.ones(span) if perpetual else np.clip(life - np.arange(span), 0.0, 1.0)      # w(v, v + k)
    cov = np.nan_to_num(coverage[:n_comp], nan=0.0, posinf=0.0)
    extended = np.hstack([cov, np.repeat(cov[:, -1:], span, axis=1)])      # coverage held past the horizon
    # cash[c, v, k]: the cash company c's vintage v earns in its k-th year of service
    idx = np.arange(n_years)[:, None] + np.arange(span)[None, :]
    cash = crf * ai_capex[:, :, None] * service[None, None, :] * extended[:, idx]
    out = np.full((len(members), n_years), np.nan)
    for e, rows in enumerate(members):
        outlay = ai_capex[rows].sum(axis=0)                     # (vintages,)
        earned = cash[rows].sum(axis=0)                         # (vintages, span)
        cumulative = np.cumsum(earned, axis=1) - outlay[:, None]
        crossed = cumulative >= -1e-9 * outlay[:, None]
        spent = outlay > 0
        paid = crossed.any(axis=1) & spent
        k = np.argmax(crossed, axis=1)                          # the first year of service it is paid back in
        v = np.arange(n_years)
        before = np.where(k == 0, outlay, -cumulative[v, np.maximum(k - 1, 0)])
        in_year = earned[v, k]
        with np.errstate(divide="ignore", invalid="ignore"):
            fraction = np.where(in_year > 0, np.minimum(1.0, before / np.where(in_year > 0, in_year, 1.0)), 0.0)
        out[e] = np.where(paid, k + fraction, np.where(spent, np.inf, np.nan))
    return out


def commitments_outstanding(deals: Table, companies: tuple[str, ...], in_sector: npt.NDArray[np.bool_],
                            years: list[int]) -> tuple[Matrix, npt.NDArray[np.bool_]]:
    """Per company (and the sector, last row) and year: the compute commitments it has signed and not yet paid at
    the year's end, amount × (1 − min(1, max(0, t − start + 1) / spread)) — the share paid through year t of an even
    spread (a fractional last year getting its fraction). The sheet has no signing date: a commitment counts from
    the first model year until paid. Source: docs/methodology.md, 'Commitments'. Also returns, per entity, whether
    it signed any (one that signed none is not a buyer of compute: the gauge has nothing to measure)."""
    index = {c: i for i, c in enumerate(companies)}
    out = np.zeros((len(companies) + 1, len(years)))
    signed = np.zeros(len(companies) + 1, dtype=bool)
    t = np.array(years, dtype=float)
    for investor, kind, year, amount, spread in zip(deals.column_values("investor"), deals.column_values("kind"),
                                                    deals.column_values("year"), deals.column_values("amount"),
                                                    deals.column_values("spread_years"), strict=True):
        if kind != "compute commitment" or investor not in index or not isinstance(year, int) \
                or not isinstance(amount, int | float):
            continue
        n = float(spread) if isinstance(spread, int | float) and spread else 1.0
        start = max(year, years[0])
        paid = np.clip((t - start + 1.0) / n, 0.0, 1.0)
        out[index[investor]] += float(amount) * (1.0 - paid)
        signed[index[investor]] = True
    out[-1] = out[:-1][in_sector].sum(axis=0)
    signed[-1] = bool(signed[:-1][in_sector].any())
    return out, signed


class _Scorer:
    """Reads each indicator's value for a company or the sector in any model year, then scores it.

    Indicators are matched to their computation by key (schema.IndicatorSpec.key), never by display name.
    """

    def __init__(self, scenario: Scenario, inputs: _Inputs, series: dict[str, Matrix],
                 external_financing: Matrix, a: AssumptionValues, life: float) -> None:
        self.inputs, self.series, self.life = inputs, series, life
        years = [int(y) for y in inputs.years]
        self.years = years
        first = years[0]
        n, n_years = len(inputs.companies), len(years)
        self.external = np.vstack([external_financing, np.zeros((1, n_years))])
        index = {c: i for i, c in enumerate(inputs.companies)}
        market = scenario.market
        names = [str(x).strip().lower() for x in market.column_values("input")]
        rows = [(name, company, year, float(value)) for name, company, year, value in
                zip(names, market.column_values("company"), market.column_values("year"),
                    market.column_values("value"), strict=True)
                if isinstance(year, int) and isinstance(value, int | float) and not isinstance(value, bool)]
        ocf_name, debt_name = schema.OPERATING_CASH_FLOW.lower(), schema.DEBT_RAISED.lower()
        # Operating cash flow in year t: the latest reported year y0 <= t, plus the cash margin on the AI revenue
        # gained since y0 (the rest of the business held at its reported level). t = y0 reads the report itself.
        latest_ocf: dict[int, dict[int, float]] = {}
        for name, company, year, value in rows:
            if name == ocf_name and company in index:
                latest_ocf.setdefault(index[company], {})[year] = value
        self.ocf = np.full((n, n_years), np.nan)
        revenue = series["revenue"]
        for i, by_year in latest_ocf.items():
            for t, year in enumerate(years):
                known = [y for y in by_year if y <= year]
                if not known:
                    continue
                y0 = max(known)
                gained = revenue[i, t] - revenue[i, y0 - first] if y0 >= first else 0.0
                self.ocf[i, t] = by_year[y0] + inputs.margin[i] * gained
        # Debt raised is a yearly flow: only the year's own rows count.
        self.debt_raised = np.full((n, n_years), np.nan)
        for name, company, year, value in rows:
            if name == debt_name and company in index and first <= year <= years[-1]:
                i, t = index[company], year - first
                total = self.debt_raised[i, t]
                self.debt_raised[i, t] = (0.0 if math.isnan(total) else total) + value
        # Debt data for a year: a Debt raised row of that year, or debt-like funding received in it. A row of
        # another year says nothing about this one: no data, not zero debt.
        self.has_debt_data = np.vstack([~np.isnan(self.debt_raised), np.zeros((1, n_years), dtype=bool)]) \
            | (np.abs(self.external) > 0)
        self.debt = np.vstack([np.nan_to_num(self.debt_raised), np.zeros((1, n_years))]) + self.external
        # Market-wide gauges: the value of the year, or of the latest year before it.
        self.market_wide: dict[str, list[float | None]] = {}
        by_name: dict[str, dict[int, float]] = {}
        for name, company, year, value in rows:
            if not company:
                by_name.setdefault(name, {})[year] = value
        for name, values in by_name.items():
            self.market_wide[name] = [values[max(k)] if (k := [y for y in values if y <= year]) else None
                                      for year in years]
        self.thresholds: list[tuple[Threshold, bool, bool]] = []    # (threshold, derived, company level)
        for rec in scenario.thresholds.records():
            name = str(rec["indicator"] or "").strip()
            derived = schema.derived_indicator(name)
            market_spec = next((m for m in schema.MARKET_INDICATOR_DEFAULTS if m.name.lower() == name.lower()), None)
            unit = derived.unit if derived else (market_spec.unit if market_spec else self._market_unit(scenario, name))
            th = Threshold(schema.indicator_key(name),
                           derived.name if derived else name, float(rec["healthy"]),  # type: ignore[arg-type]
                           float(rec["bubble"]), float(rec["weight"]),  # type: ignore[arg-type]
                           derived.formula if derived else "market input", unit)
            self.thresholds.append((th, derived is not None, derived is not None and derived.company_level))
        get = a.__getitem__
        self.labels = Labels(get("Red gauge score"), int(get("Reds for bubble")), get("Boom score"),
                             get("Bubble score"))
        self.commitments, self.has_commitments = commitments_outstanding(
            scenario.investments, inputs.companies, inputs.in_sector, years)
        self.gdp = np.array([get("GDP") * (1.0 + get("GDP growth")) ** (year - int(get("GDP year"))) for year in years])
        self.revenue_before_start = np.append(inputs.revenue_before_start,
                                              inputs.revenue_before_start[inputs.in_sector].sum())
        self.first_growth_stated = np.append(inputs.first_growth_stated,
                                             bool(inputs.first_growth_stated[inputs.in_sector].all())
                                             and bool(inputs.in_sector.any()))

    @staticmethod
    def _market_unit(scenario: Scenario, name: str) -> str:
        market = scenario.market
        for input_name, company, unit in zip(market.column_values("input"), market.column_values("company"),
                                             market.column_values("unit"), strict=True):
            if str(input_name).strip().lower() == name.lower() and not company:
                return str(unit or "")
        return ""

    def values(self, vintages: Matrix) -> dict[str, tuple[Matrix, npt.NDArray[np.str_]]]:
        """Every derived indicator's values, (entities, years) with the sector as the last row, NaN where there is
        no data, with a note per cell (why no data, or what an extreme value means). Sector-only indicators have
        NaN on the company rows."""
        s = self.series
        n = len(self.inputs.companies)
        shape = s["revenue"].shape
        revenue, capex = s["revenue"], s["capex"]
        members = self.inputs.in_sector

        def ratio(num: Matrix, den: Matrix, why: str) -> tuple[Matrix, npt.NDArray[np.str_]]:
            ok = den > 0
            with np.errstate(divide="ignore", invalid="ignore"):
                return np.where(ok, num / np.where(ok, den, 1.0), np.nan), np.where(ok, "", why)

        def worst_case(num: Matrix, den: Matrix, has: npt.NDArray[np.bool_], missing: npt.NDArray[np.str_] | str,
                       infinite: str, zero: str) -> tuple[Matrix, npt.NDArray[np.str_]]:
            """num ÷ den where den > 0; else infinite when num > 0, 0 when not (compute._intensity's rule)."""
            with np.errstate(divide="ignore", invalid="ignore"):
                value = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.where(num > 0, np.inf, 0.0))
            notes = np.where(has, np.where(den > 0, "", np.where(num > 0, infinite, zero)), missing)
            return np.where(has, value, np.nan), notes

        def with_sector(company: npt.NDArray[Any], sector: npt.NDArray[Any]) -> npt.NDArray[Any]:
            return np.vstack([company, sector[None, :]])

        values: dict[str, tuple[Matrix, npt.NDArray[np.str_]]] = {}
        values["coverage"] = ratio(revenue, s["required_revenue"], "no capital charge in the year")
        # Capex intensity: a company reads its own operating cash flow; the sector sums capex and cash flow over
        # its companies that have the input.
        has_ocf = ~np.isnan(self.ocf)
        in_ocf = has_ocf & members[:, None]
        ocf = with_sector(np.nan_to_num(self.ocf), np.where(in_ocf, np.nan_to_num(self.ocf), 0.0).sum(axis=0))
        spend = with_sector(capex[:n], (capex[:n] * in_ocf).sum(axis=0))
        missing = np.array([["no Operating cash flow input"]] * n + [["no Operating cash flow input for the "
                                                                     "sector's companies"]])
        values["capex_intensity"] = worst_case(spend, ocf, with_sector(has_ocf, in_ocf.any(axis=0)), missing,
                                               "operating cash flow is zero or negative",
                                               "no capex and no operating cash flow")
        # External financing: the sector's debt-like funding over all its capex: a company without a Debt raised
        # row adds no debt (so deleting a row of zero debt cannot make the sector look more indebted); no data only
        # when none of its companies has any.
        has_debt = with_sector(self.has_debt_data[:n], np.any(self.has_debt_data[:n] & members[:, None], axis=0))
        debt = with_sector(self.debt[:n], self.debt[:n][members].sum(axis=0))
        missing = np.array([["no Debt raised input or debt-like deal"]] * n
                           + [["no Debt raised input or debt-like deal for the sector"]])
        values["external_financing"] = worst_case(debt, capex, has_debt, missing,
                                                  "debt raised with no capex in the year",
                                                  "no capex and no debt in the year")
        macro, notes = ratio(capex[-1:], self.gdp[None, :], "no GDP")
        if not members.any():
            macro, notes = np.full_like(macro, np.nan), np.full(notes.shape, "no company is marked In sector")
        values["macro_weight"] = (np.vstack([np.full((n, shape[1]), np.nan), macro]),
                                  np.vstack([np.full((n, shape[1]), "sector only"), notes]))
        before = np.hstack([self.revenue_before_start[:, None], revenue[:, :-1]])
        momentum, notes = ratio(revenue, before, "no AI revenue the year before")
        unstated = ~self.first_growth_stated      # no back-cast of a year the Revenue sheet says nothing about
        momentum[unstated, 0] = np.nan
        notes = notes.astype(object)
        notes[unstated, 0] = "the first model year: no growth into it on the Revenue sheet"
        values["momentum"] = (momentum - 1.0, notes.astype(str))
        values["circularity"] = ratio(s["recycled_revenue"], revenue, "no AI revenue in the year")
        values["commitments"] = worst_case(self.commitments, revenue,
                                           np.broadcast_to(self.has_commitments[:, None], shape),
                                           "no compute commitment on the Investments sheet",
                                           "commitments with no AI revenue in the year",
                                           "no commitments and no AI revenue")
        values["payback_vs_life"] = (vintages / self.life, np.where(
            np.isnan(vintages), "no AI capex in the year: no vintage to pay back",
            np.where(np.isinf(vintages), "the year's vintage is not paid back within its useful life", "")))
        return values

    def histories(self, entities: tuple[str, ...], vintages: Matrix) -> list[ScoreHistory]:
        """The bubble score of every entity in every model year."""
        values = self.values(vintages)
        n, n_years = len(self.inputs.companies), len(self.years)
        shape = (n + 1, n_years)
        rows: list[Matrix] = []
        notes: list[npt.NDArray[np.str_]] = []
        for th, derived, _ in self.thresholds:
            if derived:
                row, note = values.get(th.key, (np.full(shape, np.nan), np.full(shape, "no data")))
            else:
                market = self.market_wide.get(th.name.lower(), [None] * n_years)
                row = np.broadcast_to(np.array([np.nan if v is None else v for v in market], dtype=float), shape)
                note = np.broadcast_to(np.array([
                    "" if v is not None else f"no Market input named {th.name!r} up to {year}"
                    for v, year in zip(market, self.years, strict=True)]), shape)
            rows.append(row)
            notes.append(note)
        # A company is scored on the company-level indicators; the sector on all of them.
        scored = np.array([[company_level] * n + [True] for _, _, company_level in self.thresholds],
                          dtype=bool).reshape(len(self.thresholds), n + 1)
        matrix = np.array(rows, dtype=float).reshape(len(rows), n + 1, n_years)
        text = np.array(notes, dtype=str).reshape(len(rows), n + 1, n_years)   # the widest note sets the width
        return score_histories(entities, tuple(self.years), [th for th, _, _ in self.thresholds], scored, matrix,
                               text, self.labels)
