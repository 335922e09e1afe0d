"""``compute(scenario) -> Results``: payback, required revenue, circular revenue and the bubble score.

Pure: the same scenario always gives the same results, and nothing here touches files or Qt. Every formula is
written out, with its source, in docs/methodology.md.

The arithmetic runs over a leading paths axis: ``compute_paths(scenario, draws)`` computes many variants of one
scenario at once — the simulation's paths, the tornado's low and high values — as arrays (paths × companies ×
years), and ``compute(scenario)`` is its single path, the scenario as entered (``Draws()``), with the notes,
the deal analysis and the per-entity summaries an analyst reads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import numpy.typing as npt

from model.core import finance, schema
from model.core.deals import DealCash, deal_analysis, deal_cash, deal_numbers, deal_rows
from model.core.draws import Draws
from model.core.problems import Problem, TemplateError
from model.core.results import SECTOR, DealAnalysis, EntityResult, Payback, Results, ScoreHistory
from model.core.scenario import Scenario, Table
from model.core.score import Labels, Threshold, composite_scores, score_histories
from model.core.validation import read_assumptions, validate

Matrix = npt.NDArray[np.float64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
Assumed = dict[str, FloatArray]        # assumption name -> its value on each path
# A note per indicator cell: an object array whose cells point at a few shared str objects (a few distinct notes
# over companies × years: 8 bytes a cell, where a str array takes 4 bytes per character of the longest note).
Notes = npt.NDArray[np.object_]


def _text(note: str) -> npt.NDArray[np.object_]:
    """A note as a 0-d object array: np.where over it keeps references to this one str."""
    out = np.empty((), dtype=object)
    out[()] = note
    return out


@dataclass(frozen=True)
class _Inputs:
    companies: tuple[str, ...]
    in_sector: BoolArray
    years: npt.NDArray[np.int64]
    capex: Matrix               # (paths, companies, years): all capex, as reported
    ai_share: FloatArray        # (paths, companies): the share of its capex that builds AI capacity
    organic_revenue: Matrix     # (paths, companies, years)
    revenue_before_start: FloatArray  # (paths, companies): organic revenue in the year before the first model year
    margin: FloatArray          # (paths, companies)
    first_growth_stated: BoolArray    # (companies,): the Revenue sheet gives growth into the first model year
    last_capex_t: int | None = None   # index of the last Capex column within the model's years

    @property
    def ai_capex(self) -> Matrix:
        return self.capex * self.ai_share[:, :, None]


@dataclass(frozen=True)
class PathResults:
    """compute()'s figures on every path of a ``Draws``: arrays with a leading paths axis, for the ``entities``
    asked for (by default the companies then the sector). ``series`` holds every key of results.MEASURES."""

    years: tuple[int, ...]
    entities: tuple[str, ...]
    score_year: int
    series: dict[str, Matrix]   # name -> (paths, entities, years)
    bubble: BoolArray           # (paths, entities, years): the score reads Bubble
    payback: Matrix             # (paths, entities): years from the first year's start; NaN: not within the horizon
    npv: Matrix                 # (paths, entities)

    @property
    def paths(self) -> int:
        return int(self.npv.shape[0])


@dataclass
class _Computed:
    """The arithmetic of one scenario over its paths, shared by ``compute`` and ``compute_paths``."""

    inputs: _Inputs
    entities: list[int]         # the rows of ``series``: company indices, the sector as len(companies)
    a: Assumed
    series: dict[str, Matrix]
    discount: Matrix            # (paths, years)
    scorer: _Scorer
    score_year: int
    warnings: tuple[Problem, ...]
    deals: DealAnalysis | None


def compute(scenario: Scenario, problems: list[Problem] | None = None) -> Results:
    """Compute every result of the scenario.

    Raises TemplateError listing every error when the scenario has any (a compute on bad inputs would be a
    number nobody could trust). ``problems`` may pass in an already-run ``validate(scenario)`` to save its cost.
    """
    warnings = _checked(scenario, problems)
    c = _compute(scenario, Draws(), warnings, analyse=True)
    inputs, series, a = c.inputs, c.series, c.a
    years = inputs.years
    n_comp = len(inputs.companies)
    life = float(a["Useful life"][0])
    first_year = int(years[0])
    entities = inputs.companies + (SECTOR,)
    histories = c.scorer.histories(entities, series["vintage_payback"])
    flat = {name: m[0] for name, m in series.items()}
    flat["score"] = np.array([h.composite for h in histories]).reshape(len(entities), len(years))
    t_score = c.score_year - first_year
    vintages = flat["vintage_payback"]

    cash = flat["cash_flow"]
    organic_cash = flat["organic_cash_flow"]
    discount = c.discount[0]
    paybacks = _paybacks(cash, first_year)
    discounted_paybacks = _paybacks(flat["discounted_cash_flow"], first_year)
    organic_paybacks = _paybacks(organic_cash, first_year)
    organic_discounted_paybacks = _paybacks(organic_cash * discount, first_year)
    npvs = net_present_values(series["cash_flow"], c.discount)[0]
    organic_npvs = net_present_values(series["organic_cash_flow"], c.discount)[0]
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
            coverage=_at(flat["coverage"][i], years, c.score_year),
            score=histories[i].at(t_score),
            vintage_payback=None if math.isnan(vintages[i, t_score]) else float(vintages[i, t_score]),
            history=histories[i],
        ))

    assert c.deals is not None
    return Results(
        years=tuple(int(y) for y in years),
        entities=entities,
        series=flat,
        summaries=tuple(summaries),
        deals=c.deals,
        assumptions={spec.name: float(a[spec.name][0]) for spec in schema.ASSUMPTIONS},
        score_year=c.score_year,
        warnings=c.warnings,
    )


def compute_paths(scenario: Scenario, draws: Draws, problems: list[Problem] | None = None,
                  entities: tuple[str, ...] | None = None) -> PathResults:
    """``compute()`` of every path of ``draws`` at once: the scenario with each path's cells set.

    The scenario is validated as entered (``problems`` may pass that in); the draws must keep every cell within
    its column's allowed range (UncertainInput.clip, Input.clamp do), which is all a path can change. Path p's
    figures equal ``compute()`` of the scenario with path p's cells typed in (tests/test_compute_paths.py).
    ``entities``: the companies (by name) and the sector (results.SECTOR) whose figures are wanted, None for all:
    the companies are computed whatever is asked (the sector sums them), but a simulation that reads the sector
    alone skips the rest, which is most of the cost.
    """
    companies = scenario.companies
    rows = None if entities is None else [len(companies) if e == SECTOR else companies.index(e) for e in entities]
    c = _compute(scenario, draws, _checked(scenario, problems), rows)
    names = c.inputs.companies + (SECTOR,)
    series = c.series
    composite, bubble = c.scorer.composites(series["vintage_payback"])
    series["score"] = composite
    paths, n_entities, n_years = series["cash_flow"].shape
    payback = finance.payback_years_rows(series["cash_flow"].reshape(-1, n_years)).reshape(paths, n_entities)
    npv = net_present_values(series["cash_flow"], c.discount)
    return PathResults(tuple(int(y) for y in c.inputs.years), tuple(names[e] for e in c.entities), c.score_year,
                       series, bubble, payback, npv)


def net_present_values(cash_flow: Matrix, discount: Matrix) -> Matrix:
    """(paths, entities): Σ_t cash flow × discount factor, year 0 undiscounted (finance.npv, on every row)."""
    return np.einsum("pet,pt->pe", cash_flow, discount)


def _checked(scenario: Scenario, problems: list[Problem] | None) -> tuple[Problem, ...]:
    """The scenario's warnings; TemplateError listing every error when it has any."""
    if problems is None:
        problems = validate(scenario)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise TemplateError(errors + [p for p in problems if p.severity == "warning"])
    return tuple(scenario.warnings) + tuple(p for p in problems if p.severity == "warning")


def _assumed(table: Table, draws: Draws) -> Assumed:
    """Each assumption's value on every path: as entered (or its default), or as the draws set it."""
    a = read_assumptions(table)
    out = {spec.name: np.full(draws.paths, a[spec.name]) for spec in schema.ASSUMPTIONS}
    if draws.sets(table.sheet):
        for row, name in enumerate(table.column_values("name")):
            spec = schema.ASSUMPTION_BY_NAME.get(str(name or "").strip().lower())
            drawn = draws.cells.get((table.sheet, row, "value"))
            if spec is not None and drawn is not None:
                out[spec.name] = np.asarray(drawn, dtype=float)
    return out


def _compute(scenario: Scenario, draws: Draws, warnings: tuple[Problem, ...],
             wanted: list[int] | None = None, analyse: bool = False) -> _Computed:
    """The arithmetic over the paths; ``analyse``: also the deals' analysis (cycles...) on the first path."""
    a = _assumed(scenario.assumptions, draws)
    # Whole numbers and years take no range (model.core.uncertainty): they are the same on every path.
    perpetual = bool(a["Perpetuity"][0] >= 0.5)
    rate, life = a["Discount rate"], a["Useful life"]
    market = _MarketRows(scenario.market, draws)
    inputs = _read_inputs(scenario, draws, a["Terminal growth"], int(a["Horizon end"][0]))
    weights = finance.in_service_weights(len(inputs.years), life, perpetual)     # (paths, vintages, years)
    inputs = after_the_capex_years(inputs, bool(a["Keep fleet"][0] >= 0.5), bool(a["Revenue bound"][0] >= 0.5),
                                   weights, market.sales_from_capex(inputs.companies))
    years = inputs.years
    paths, n_comp, n_years = inputs.capex.shape
    organic = inputs.organic_revenue

    deals = deal_rows(scenario.investments, inputs.companies, int(years[0]))
    # Deals no path changes move the same cash on every path: computed once, read on each.
    deal_draws = draws if draws.sets(scenario.investments.sheet) else Draws()
    numbers = deal_numbers(scenario.investments, deals, deal_draws)
    flows = deal_cash(deals, *numbers, n_comp, n_years)
    analysis = deal_analysis(inputs.companies, deals, numbers, flows, organic[0]) if analyse else None
    if deal_draws is not draws:
        flows = DealCash(*(np.broadcast_to(m, (paths,) + m.shape[1:]) for m in (
            flows.outflows, flows.recycled_revenue, flows.funding_received, flows.external_financing,
            flows.paid_within_horizon)))

    # -- per company; the series hold the entities wanted (by default every company, then the sector) --------
    recycled = flows.recycled_revenue
    revenue = organic + recycled
    # Like for like: AI revenue pays for AI capex. Payback, NPV and required revenue use capex × AI share; the
    # whole capex stays in capex intensity, macro weight and external financing (all of it is cash spent).
    ai_capex = inputs.ai_capex
    outflows = flows.outflows
    margin = inputs.margin[:, :, None]
    cash_flow = margin * revenue - ai_capex - outflows
    organic_cash_flow = margin * organic - ai_capex - outflows
    charge = (ai_capex @ weights) \
        * finance.capital_recovery_factors(rate, life, perpetual)[:, None, None]
    required = charge / margin

    sector_rows = np.flatnonzero(inputs.in_sector).tolist()
    entities = list(range(n_comp + 1)) if wanted is None else wanted

    def with_sector(m: Matrix) -> Matrix:
        """(paths, entities wanted, years): a company's row, or the sector's sum over its companies."""
        out = np.empty((paths, len(entities), n_years))
        for j, e in enumerate(entities):
            out[:, j] = m[:, e] if e < n_comp else sector_sum(m, sector_rows)
        return out

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
    discount = (1.0 + rate[:, None]) ** -np.arange(n_years, dtype=float)
    series["discounted_cash_flow"] = series["cash_flow"] * discount[:, None, :]
    series["cumulative_cash_flow"] = np.cumsum(series["cash_flow"], axis=2)
    series["cumulative_discounted_cash_flow"] = np.cumsum(series["discounted_cash_flow"], axis=2)
    series["cumulative_organic_cash_flow"] = np.cumsum(series["organic_cash_flow"], axis=2)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        series["coverage"] = np.where(series["required_revenue"] > 0,
                                      series["revenue"] / series["required_revenue"], np.nan)

    first_year = int(years[0])
    asked = int(a["Score year"][0])
    score_year = min(max(asked, first_year), int(years[-1]))
    if score_year != asked:
        warnings += (Problem("warning", f"the score year {asked} lies outside the model's years; "
                                        f"{score_year} is used", "Assumptions", column="Value"),)
    members = [[e] if e < n_comp else sector_rows for e in entities]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        company_coverage = np.where(required > 0, revenue / required, np.nan)
    series["vintage_payback"] = vintage_paybacks(ai_capex, company_coverage, rate, life, members, perpetual)
    scorer = _Scorer(scenario, draws, inputs, entities, series, revenue, flows.external_financing, a, market)
    return _Computed(inputs, entities, a, series, discount, scorer, score_year, warnings, analysis)


def sector_sum(m: Matrix, rows: list[int]) -> Matrix:
    """(paths, years): the sum of rows ``rows`` of m (paths, companies, years), added in row order."""
    if not rows:
        return np.zeros((m.shape[0], m.shape[2]))
    total = m[:, rows[0]].copy()
    for i in rows[1:]:
        total += m[:, i]
    return total


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


def _read_inputs(scenario: Scenario, draws: Draws, terminal_growth: FloatArray, horizon_end: int) -> _Inputs:
    companies = scenario.companies
    index = {c: i for i, c in enumerate(companies)}
    n, paths = len(companies), draws.paths
    capex_table, revenue_table = scenario.capex, scenario.revenue

    base_years = [y for y in revenue_table.column_values("base_year") if isinstance(y, int)]
    deal_years = [y for y in scenario.investments.column_values("year") if isinstance(y, int)]
    first = min(capex_table.years or tuple(base_years) or tuple(deal_years) or (horizon_end,))
    last = max(horizon_end, first)
    years = np.arange(first, last + 1)
    n_years = len(years)

    # Each table row fills its company's row of the matrices (validation refuses a company listed twice).
    capex = np.zeros((paths, n, n_years))
    in_sector = np.zeros(n, dtype=bool)
    capex_rows = [index[c] for c in capex_table.column_values("company")]  # type: ignore[index]
    in_sector[capex_rows] = [v is not False for v in capex_table.column_values("in_sector")]
    ai_share = np.ones((paths, n))       # a blank AI share is 100% (validation warns)
    if "ai_share" in capex_table.keys:
        ai_share[:, capex_rows] = draws.column(capex_table, "ai_share", 1.0)
    capex_years = [y for y in capex_table.years if first <= y <= last]
    capex[:, np.array(capex_rows, dtype=np.int64)[:, None], np.array(capex_years, dtype=np.int64)[None, :] - first] \
        = _year_columns(draws, capex_table, capex_years, 0.0)

    # Revenue: R_t = R_{t-1}(1 + g_t) forward from the base year and backward before it. The path runs over an
    # extended range [lo, last] so that years before the model start (momentum, base years before it) are known.
    lo = min([first - 1] + base_years)
    hi = max([last] + base_years)          # a base year past the horizon still anchors the path
    ext_years = hi - lo + 1
    growth = np.empty((paths, n, ext_years))
    growth[:] = terminal_growth[:, None, None]
    base_revenue = np.zeros((paths, n))
    base_offset = np.full(n, first - lo)
    margin = np.full((paths, n), np.nan)
    revenue_rows = [index[c] for c in revenue_table.column_values("company")]  # type: ignore[index]
    base_revenue[:, revenue_rows] = draws.column(revenue_table, "base_revenue", 0.0)
    base_offset[revenue_rows] = [int(v) - lo for v in revenue_table.column_values("base_year")]  # type: ignore[call-overload]
    margin[:, revenue_rows] = draws.column(revenue_table, "cash_margin", np.nan)
    growth_years = [y for y in revenue_table.years if lo <= y <= hi]
    growth[:, np.array(revenue_rows, dtype=np.int64)[:, None], np.array(growth_years, dtype=np.int64)[None, :] - lo] \
        = _year_columns(draws, revenue_table, growth_years, terminal_growth)
    first_growth_stated = np.zeros(n, dtype=bool)
    if first in revenue_table.years:
        first_growth_stated[revenue_rows] = draws.stated(revenue_table, str(first))
    # ... or its base year is the year before, so the revenue before the first year is a figure, not a back-cast
    first_growth_stated[revenue_rows] |= np.array([v == first - 1 for v in revenue_table.column_values("base_year")],
                                                  dtype=bool)
    growth[:, :, 0] = 0.0  # the path's first year has no growth into it
    path = np.cumprod(1.0 + growth, axis=2)
    revenue_ext = base_revenue[:, :, None] * path / path[:, np.arange(n), base_offset][:, :, None]
    start = first - lo
    return _Inputs(companies, in_sector, years, capex, ai_share, revenue_ext[:, :, start:start + n_years],
                   revenue_ext[:, :, start - 1], margin, first_growth_stated,
                   max(capex_years) - first if capex_years else None)


def _year_columns(draws: Draws, table: Table, years: list[int], blank: float | FloatArray) -> Matrix:
    """(paths, rows, years): the cells of those year columns; a cell without a number reads ``blank``."""
    return draws.block(table, [str(y) for y in years], blank)


def after_the_capex_years(inputs: _Inputs, keep_fleet: bool, bound: bool, weights: Matrix,
                          sales_from_capex: FloatArray) -> _Inputs:
    """The years past the last Capex column: the fleet kept or not, revenue bounded by the capacity earning it.

    - Keep the fleet: each year's capex replaces the capex retiring that year,
      capex_t = Σ_{v<t} capex_v · (w(v, t−1) − w(v, t)), so the capacity in service stays as the last explicit
      year left it. Stop: no capex (the build-out ends and its vintages retire).
    - With ``bound``: a company's organic revenue past that year is at most its last explicit year's revenue times
      the capacity in service now over then (Σ_v AI capex_v · w(v, t)): revenue needs the hardware that earns it;
      and a supplier's share ``sales_from_capex`` of its revenue follows the sector's AI capex from that year on.
    ``weights`` are w(v, t) on each path (finance.in_service_weights: paths, vintages, years); ``sales_from_capex``
    one row per path. Source: docs/methodology.md, 'Past the last Capex column'.
    """
    tl, n_years = inputs.last_capex_t, len(inputs.years)
    if tl is None or tl >= n_years - 1:
        return inputs
    capex = inputs.capex.copy()
    if keep_fleet:
        for t in range(tl + 1, n_years):
            retiring = weights[:, :t, t - 1] - weights[:, :t, t]
            capex[:, :, t] = np.einsum("pcv,pv->pc", capex[:, :, :t], retiring)
    if not bound:
        return replace(inputs, capex=capex)
    ai_capex = capex * inputs.ai_share[:, :, None]
    capacity = ai_capex @ weights
    organic = inputs.organic_revenue.copy()
    later = slice(tl + 1, n_years)
    has = capacity[:, :, tl] > 0
    with np.errstate(divide="ignore", invalid="ignore"):
        ceiling = organic[:, :, tl:tl + 1] * capacity[:, :, later] / np.where(has, capacity[:, :, tl], 1.0)[:, :, None]
    organic[:, :, later] = np.where(has[:, :, None], np.minimum(organic[:, :, later], ceiling), organic[:, :, later])
    sector = ai_capex[:, inputs.in_sector].sum(axis=1)
    share = np.clip(sales_from_capex, 0.0, 1.0)
    follow = (sector[:, tl] > 0) & share.any(axis=1)
    if follow.any():
        ratio = sector[:, later] / np.where(follow, sector[:, tl], 1.0)[:, None]
        follows = organic[:, :, tl:tl + 1] * ratio[:, None, :]
        mixed = (1.0 - share[:, :, None]) * organic[:, :, later] + share[:, :, None] * follows
        organic[:, :, later] = np.where(follow[:, None, None], mixed, organic[:, :, later])
    return replace(inputs, capex=capex, organic_revenue=organic)


class _MarketRows:
    """The Market sheet's rows that carry a number and a year: (input name folded, company, year, value per path)."""

    def __init__(self, market: Table, draws: Draws) -> None:
        values = draws.column(market, "value", np.nan)
        stated = draws.stated(market, "value")
        self.rows: list[tuple[str, Any, int, FloatArray]] = [
            (str(name).strip().lower(), company, year, values[:, r])
            for r, (name, company, year) in enumerate(zip(market.column_values("input"),
                                                          market.column_values("company"),
                                                          market.column_values("year"), strict=True))
            if isinstance(year, int) and stated[r]]
        self.paths = draws.paths

    def sales_from_capex(self, companies: tuple[str, ...]) -> FloatArray:
        """(paths, companies): each company's latest 'Sales from sector capex' input (0 without one)."""
        index = {c: i for i, c in enumerate(companies)}
        out, seen = np.zeros((self.paths, len(companies))), np.full(len(companies), -1)
        name = schema.SALES_FROM_CAPEX.lower()
        for input_name, company, year, value in self.rows:
            if input_name == name and company in index and year > seen[index[company]]:
                i = index[company]
                out[:, i], seen[i] = value, year
        return out


def vintage_paybacks(ai_capex: Matrix, coverage: Matrix, rate: FloatArray, life: FloatArray,
                     members: list[list[int]], perpetual: bool = False) -> Matrix:
    """Payback (years) of each year's capex vintage against the revenue attributable to it, per entity and path.

    A vintage's share of an entity's AI revenue in year t is its share of the capital charge of year t, so the
    cash it earns is margin · revenue_t · CRF·K_v·w(v,t) / charge_t = CRF · K_v · w(v,t) · coverage_t: the
    capital recovery it needs, times coverage. Its payback is the first time that cash adds up to K_v, interpolated
    inside the year (capex and its first year's cash both in year v, as the programme's payback counts them).
    Years past the horizon hold the last year's coverage (``coverage``: of each company). ``members[e]`` lists the
    company rows an entity sums (a company: itself; the sector: its companies). Arrays carry a leading paths axis
    (``rate``, ``life``: one per path). Result (paths, entities, years): NaN without AI capex in the year, math.inf when the vintage is not paid
    back within its useful life. Source: the capital-recovery reading of required revenue (docs/methodology.md,
    'Vintage payback').
    """
    paths, n_comp, n_years = ai_capex.shape
    span = int(math.ceil(float(life.max())))
    k = np.arange(span)
    crf = finance.capital_recovery_factors(rate, life, perpetual)   # in perpetuity: r, and in service all its life
    # w(v, v + k): within its life (ceil(L) years in perpetuity: the vintage's payback is read within its life)
    service = (k[None, :] < np.ceil(life)[:, None]).astype(float) if perpetual \
        else np.clip(life[:, None] - k[None, :], 0.0, 1.0)
    cov = np.where(np.isfinite(coverage), coverage, 0.0)     # no requirement (NaN) earns nothing
    extended = np.concatenate([cov, np.repeat(cov[:, :, -1:], span, axis=2)], axis=2)   # held past the horizon
    # cash[p, c, v, k]: the cash company c's vintage v earns in its k-th year of service (the companies needed)
    needed = sorted({c for rows in members for c in rows})
    at = {c: j for j, c in enumerate(needed)}
    idx = np.arange(n_years)[:, None] + k[None, :]
    cash = (crf[:, None] * service)[:, None, None, :] * ai_capex[:, needed, :, None] * extended[:, needed][:, :, idx]
    out = np.full((paths, len(members), n_years), np.nan)
    p_index, v_index = np.arange(paths)[:, None], np.arange(n_years)[None, :]
    for e, rows in enumerate(members):
        outlay = ai_capex[:, rows].sum(axis=1)                  # (paths, vintages)
        earned = cash[:, [at[c] for c in rows]].sum(axis=1)     # (paths, vintages, span)
        cumulative = np.cumsum(earned, axis=2) - outlay[:, :, None]
        crossed = cumulative >= -1e-9 * outlay[:, :, None]
        spent = outlay > 0
        paid = crossed.any(axis=2) & spent
        first = np.argmax(crossed, axis=2)                      # the first year of service it is paid back in
        before = np.where(first == 0, outlay, -cumulative[p_index, v_index, np.maximum(first - 1, 0)])
        in_year = earned[p_index, v_index, first]
        with np.errstate(divide="ignore", invalid="ignore"):
            fraction = np.where(in_year > 0, np.minimum(1.0, before / np.where(in_year > 0, in_year, 1.0)), 0.0)
        out[:, e] = np.where(paid, first + fraction, np.where(spent, np.inf, np.nan))
    return out


def commitments_outstanding(deals: Table, companies: tuple[str, ...], in_sector: BoolArray, years: list[int],
                            draws: Draws | None = None) -> tuple[Matrix, BoolArray]:
    """Per company (and the sector, last row) and year: the compute commitments it has signed and not yet paid at
    the year's end, amount × (1 − min(1, max(0, t − start + 1) / spread)) — the share paid through year t of an even
    spread (a fractional last year getting its fraction). The sheet has no signing date: a commitment counts from
    the first model year until paid. Source: docs/methodology.md, 'Commitments'. Also returns, per entity, whether
    it signed any (one that signed none is not a buyer of compute: the gauge has nothing to measure).

    With ``draws``, the amounts (paths, entities, years) on each of its paths; without, the scenario as entered
    (entities, years)."""
    one = draws is None
    d = Draws() if draws is None else draws
    index = {c: i for i, c in enumerate(companies)}
    out = np.zeros((d.paths, len(companies) + 1, len(years)))
    signed = np.zeros(len(companies) + 1, dtype=bool)
    t = np.array(years, dtype=float)
    amounts = d.column(deals, "amount", np.nan)
    spreads = d.column(deals, "spread_years", 0.0)
    stated = d.stated(deals, "amount")
    for r, (investor, kind, year) in enumerate(zip(deals.column_values("investor"), deals.column_values("kind"),
                                                   deals.column_values("year"), strict=True)):
        if kind != "compute commitment" or investor not in index or not isinstance(year, int) or not stated[r]:
            continue
        n = np.where(spreads[:, r] != 0, spreads[:, r], 1.0)
        start = max(year, years[0])
        paid = np.clip((t[None, :] - start + 1.0) / n[:, None], 0.0, 1.0)
        out[:, index[investor]] += amounts[:, r, None] * (1.0 - paid)
        signed[index[investor]] = True
    out[:, -1] = out[:, :-1][:, in_sector].sum(axis=1)
    signed[-1] = bool(signed[:-1][in_sector].any())
    return (out[0] if one else out), signed


class _Scorer:
    """Reads each indicator's value for a company or the sector in any model year and on every path, then scores
    it. Indicators are matched to their computation by key (schema.IndicatorSpec.key), never by display name.
    """

    def __init__(self, scenario: Scenario, draws: Draws, inputs: _Inputs, entities: list[int],
                 series: dict[str, Matrix], revenue: Matrix, external_financing: Matrix, a: Assumed,
                 market: _MarketRows) -> None:
        """``series`` hold the ``entities`` (company indices, the sector as len(companies)); ``revenue`` is each
        company's AI revenue (paths, companies, years)."""
        self.inputs, self.series, self.life = inputs, series, a["Useful life"]
        self.entities = entities
        self.sector_rows = np.flatnonzero(inputs.in_sector).tolist()
        years = [int(y) for y in inputs.years]
        self.years = years
        first = years[0]
        paths = draws.paths
        n, n_years = len(inputs.companies), len(years)
        self.external = np.concatenate([external_financing, np.zeros((paths, 1, n_years))], axis=1)
        index = {c: i for i, c in enumerate(inputs.companies)}
        rows = market.rows
        ocf_name, debt_name = schema.OPERATING_CASH_FLOW.lower(), schema.DEBT_RAISED.lower()
        # Operating cash flow in year t: the latest reported year y0 <= t, plus the cash margin on the AI revenue
        # gained since y0 (the rest of the business held at its reported level). t = y0 reads the report itself.
        latest_ocf: dict[int, dict[int, FloatArray]] = {}
        for name, company, year, value in rows:
            if name == ocf_name and company in index:
                latest_ocf.setdefault(index[company], {})[year] = value
        self.ocf = np.full((paths, n, n_years), np.nan)
        for i, by_year in latest_ocf.items():
            reported = sorted(by_year)
            latest = {t: max(y for y in reported if y <= year) for t, year in enumerate(years)
                      if reported[0] <= year}
            if not latest:
                continue
            ts = list(latest)
            report = np.stack([by_year[latest[t]] for t in ts], axis=1)                   # (paths, years)
            since = [latest[t] - first for t in ts]
            gained = np.where(np.array(since) >= 0, revenue[:, i, ts] - revenue[:, i, np.maximum(since, 0)], 0.0)
            self.ocf[:, i, ts] = report + inputs.margin[:, i, None] * gained
        # Debt raised is a yearly flow: only the year's own rows count.
        self.debt_raised = np.full((paths, n, n_years), np.nan)
        for name, company, year, value in rows:
            if name == debt_name and company in index and first <= year <= years[-1]:
                i, t = index[company], year - first
                total = self.debt_raised[:, i, t]
                self.debt_raised[:, i, t] = np.where(np.isnan(total), 0.0, total) + value
        # Debt data for a year: a Debt raised row of that year, or debt-like funding received in it. A row of
        # another year says nothing about this one: no data, not zero debt.
        no_company = np.zeros((paths, 1, n_years), dtype=bool)
        self.has_debt_data = np.concatenate([~np.isnan(self.debt_raised), no_company], axis=1) \
            | (np.abs(self.external) > 0)
        self.debt = np.concatenate([np.where(np.isnan(self.debt_raised), 0.0, self.debt_raised),
                                    np.zeros((paths, 1, n_years))], axis=1) \
            + self.external
        # Market-wide gauges: the value of the year, or of the latest year before it.
        self.market_wide: dict[str, list[FloatArray | None]] = {}
        by_name: dict[str, dict[int, FloatArray]] = {}
        for name, company, year, value in rows:
            if not company:
                by_name.setdefault(name, {})[year] = value
        for name, values in by_name.items():
            self.market_wide[name] = [values[max(k)] if (k := [y for y in values if y <= year]) else None
                                      for year in years]
        # Thresholds: the first path's as Threshold records (what compute() shows), every path's as arrays.
        table = scenario.thresholds
        limits = {key: draws.column(table, key, np.nan) for key in ("healthy", "bubble", "weight")}
        self.thresholds: list[tuple[Threshold, bool, bool]] = []    # (threshold, derived, company level)
        self.limits: list[tuple[FloatArray, FloatArray, FloatArray]] = []     # (healthy, bubble, weight) per path
        for r, name_cell in enumerate(table.column_values("indicator")):
            name = str(name_cell or "").strip()
            derived = schema.derived_indicator(name)
            market_spec = next((m for m in schema.MARKET_INDICATOR_DEFAULTS if m.name.lower() == name.lower()), None)
            unit = derived.unit if derived else (market_spec.unit if market_spec else self._market_unit(scenario, name))
            healthy, bubble, weight = (limits[key][:, r] for key in ("healthy", "bubble", "weight"))
            th = Threshold(schema.indicator_key(name), derived.name if derived else name, float(healthy[0]),
                           float(bubble[0]), float(weight[0]), derived.formula if derived else "market input", unit)
            self.thresholds.append((th, derived is not None, derived is not None and derived.company_level))
            self.limits.append((healthy, bubble, weight))
        self.a = a
        self.labels = Labels(float(a["Red gauge score"][0]), int(a["Reds for bubble"][0]), float(a["Boom score"][0]),
                             float(a["Bubble score"][0]))
        commitments, self.has_commitments = commitments_outstanding(
            scenario.investments, inputs.companies, inputs.in_sector, years,
            draws if draws.sets(scenario.investments.sheet) else Draws())
        self.commitments = np.broadcast_to(commitments, (paths,) + commitments.shape[1:])
        self.gdp = a["GDP"][:, None] * (1.0 + a["GDP growth"][:, None]) ** (
            np.array(years, dtype=float)[None, :] - int(a["GDP year"][0]))
        sector_before = inputs.revenue_before_start[:, inputs.in_sector].sum(axis=1, keepdims=True)
        self.revenue_before_start = np.concatenate([inputs.revenue_before_start, sector_before], axis=1)
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

    def _cut(self, m: npt.NDArray[Any]) -> npt.NDArray[Any]:
        """The entities' rows of an array over every company and the sector (paths, companies + 1, ...)."""
        return m if len(self.entities) == m.shape[1] else m[:, self.entities]

    def values(self, vintages: Matrix, notes: bool = False) -> dict[str, tuple[Matrix, Notes | None]]:
        """Every derived indicator's values, (paths, entities, years), NaN where there is no data; with ``notes``
        (every entity only), a note per cell of the first path (why no data, or what an extreme value means).
        Sector-only indicators have NaN on the company rows."""
        s, cut = self.series, self._cut
        n = len(self.inputs.companies)
        paths, n_entities, n_years = s["revenue"].shape
        if notes and n_entities != n + 1:
            raise ValueError("notes are for every entity")
        revenue, capex = s["revenue"], self.inputs.capex
        members = self.inputs.in_sector

        def note(text: Any) -> Notes | None:
            return np.broadcast_to(np.asarray(text, dtype=object), (n_entities, n_years)).copy() if notes else None

        def ratio(num: Matrix, den: Matrix, why: str) -> tuple[Matrix, Notes | None]:
            ok = den > 0
            with np.errstate(divide="ignore", invalid="ignore"):
                value = np.where(ok, num / np.where(ok, den, 1.0), np.nan)
            return value, note(np.where(ok[0], _text(""), _text(why))) if notes else None

        def worst_case(num: Matrix, den: Matrix, has: BoolArray, missing: Any, infinite: str,
                       zero: str) -> tuple[Matrix, Notes | None]:
            """num ÷ den where den > 0; else infinite when num > 0, 0 when not (no data where ``has`` is False)."""
            with np.errstate(divide="ignore", invalid="ignore"):
                value = np.where(den > 0, num / np.where(den > 0, den, 1.0), np.where(num > 0, np.inf, 0.0))
            text = None
            if notes:
                has0 = np.broadcast_to(has, value.shape)[0]
                text = note(np.where(has0, np.where(den[0] > 0, _text(""), np.where(num[0] > 0, _text(infinite),
                                                                                     _text(zero))),
                                     np.asarray(missing, dtype=object)))
            return np.where(has, value, np.nan), text

        def with_sector(company: npt.NDArray[Any], sector: npt.NDArray[Any]) -> npt.NDArray[Any]:
            return cut(np.concatenate([company, sector[:, None, :]], axis=1))

        values: dict[str, tuple[Matrix, Notes | None]] = {}
        values["coverage"] = ratio(revenue, s["required_revenue"], "no capital charge in the year")
        # Capex intensity: a company reads its own operating cash flow; the sector sums capex and cash flow over
        # its companies that have the input.
        has_ocf = ~np.isnan(self.ocf)
        in_ocf = has_ocf & members[None, :, None]
        reported = np.where(has_ocf, self.ocf, 0.0)
        ocf = with_sector(reported, np.where(in_ocf, reported, 0.0).sum(axis=1))
        spend = with_sector(capex, (capex * in_ocf).sum(axis=1))
        missing = np.array([["no Operating cash flow input"]] * n + [["no Operating cash flow input for the "
                                                                     "sector's companies"]])
        values["capex_intensity"] = worst_case(spend, ocf, with_sector(has_ocf, in_ocf.any(axis=1)), missing,
                                               "operating cash flow is zero or negative",
                                               "no capex and no operating cash flow")
        # External financing: the sector's debt-like funding over all its capex: a company without a Debt raised
        # row adds no debt (so deleting a row of zero debt cannot make the sector look more indebted); no data only
        # when none of its companies has any.
        has_debt = with_sector(self.has_debt_data[:, :n],
                               np.any(self.has_debt_data[:, :n] & members[None, :, None], axis=1))
        debt = with_sector(self.debt[:, :n], sector_sum(self.debt[:, :n], self.sector_rows))
        missing = np.array([["no Debt raised input or debt-like deal"]] * n
                           + [["no Debt raised input or debt-like deal for the sector"]])
        values["external_financing"] = worst_case(debt, s["capex"], has_debt, missing,
                                                  "debt raised with no capex in the year",
                                                  "no capex and no debt in the year")
        # Macro weight: the sector's capex over GDP (sector only)
        macro = np.full((paths, n_entities, n_years), np.nan)
        at_sector = [j for j, e in enumerate(self.entities) if e == n]
        if at_sector and members.any():
            with np.errstate(divide="ignore", invalid="ignore"):
                gdp = self.gdp
                macro[:, at_sector] = np.where(gdp > 0, sector_sum(capex, self.sector_rows) / np.where(
                    gdp > 0, gdp, 1.0), np.nan)[:, None, :]
        macro_notes = None
        if notes:
            sector_note = np.where(self.gdp[0] > 0, _text(""), _text("no GDP")) if members.any() \
                else np.full(n_years, _text("no company is marked In sector"), dtype=object)
            macro_notes = np.vstack([np.full((n, n_years), _text("sector only"), dtype=object), sector_note[None, :]])
        values["macro_weight"] = (macro, macro_notes)
        before = np.concatenate([cut(self.revenue_before_start)[:, :, None], revenue[:, :, :-1]], axis=2)
        momentum, momentum_notes = ratio(revenue, before, "no AI revenue the year before")
        unstated = ~self.first_growth_stated[self.entities]   # no back-cast of a year the Revenue sheet is silent on
        momentum[:, unstated, 0] = np.nan
        if momentum_notes is not None:
            momentum_notes[unstated, 0] = "the first model year: no growth into it on the Revenue sheet"
        values["momentum"] = (momentum - 1.0, momentum_notes)
        values["circularity"] = ratio(s["recycled_revenue"], revenue, "no AI revenue in the year")
        values["commitments"] = worst_case(cut(self.commitments), revenue,
                                           self.has_commitments[self.entities][None, :, None],
                                           "no compute commitment on the Investments sheet",
                                           "commitments with no AI revenue in the year",
                                           "no commitments and no AI revenue")
        payback_notes = None
        if notes:
            v0 = vintages[0]
            payback_notes = np.where(np.isnan(v0), _text("no AI capex in the year: no vintage to pay back"),
                                     np.where(np.isinf(v0), _text("the year's vintage is not paid back within its "
                                                                  "useful life"), _text("")))
        values["payback_vs_life"] = (vintages / self.life[:, None, None], payback_notes)
        return values

    def _matrix(self, vintages: Matrix, notes: bool) -> tuple[Matrix, list[Notes], BoolArray]:
        """Every threshold's indicator values (indicators, paths, entities, years), their notes on the first path
        (with ``notes``), and which entities each is scored for (indicators, entities)."""
        values = self.values(vintages, notes)
        n, n_years = len(self.inputs.companies), len(self.years)
        paths, n_entities, _ = vintages.shape
        shape = (paths, n_entities, n_years)
        rows: list[Matrix] = []
        texts: list[Notes] = []
        for th, derived, _ in self.thresholds:
            if derived:
                row, text = values.get(th.key, (np.full(shape, np.nan), np.full(shape[1:], _text("no data"),
                                                                                 dtype=object)))
            else:
                market = self.market_wide.get(th.name.lower(), [None] * n_years)
                by_year = np.array([np.full(paths, np.nan) if v is None else v for v in market]).T    # (paths, years)
                row = np.broadcast_to(by_year[:, None, :], shape)
                text = np.broadcast_to(np.array([
                    "" if v is not None else f"no Market input named {th.name!r} up to {year}"
                    for v, year in zip(market, self.years, strict=True)], dtype=object), shape[1:])
            rows.append(row)
            if notes:
                assert text is not None
                texts.append(text)
        # A company is scored on the company-level indicators; the sector on all of them.
        scored = np.array([[company_level or e == n for e in self.entities] for _, _, company_level in self.thresholds],
                          dtype=bool).reshape(len(self.thresholds), n_entities)
        matrix = np.array(rows, dtype=float).reshape((len(rows),) + shape)
        return matrix, texts, scored

    def histories(self, entities: tuple[str, ...], vintages: Matrix) -> list[ScoreHistory]:
        """The bubble score of every entity in every model year, on the first path, with its notes."""
        matrix, texts, scored = self._matrix(vintages[:1], notes=True)
        n_years = len(self.years)
        text = np.empty((len(texts), len(entities), n_years), dtype=object)
        for k, t in enumerate(texts):
            text[k] = t
        return score_histories(entities, tuple(self.years), [th for th, _, _ in self.thresholds], scored,
                               matrix[:, 0], text, self.labels)

    def composites(self, vintages: Matrix) -> tuple[Matrix, BoolArray]:
        """The composite score (paths, entities, years) and whether it reads Bubble, on every path."""
        matrix, _, scored = self._matrix(vintages, False)
        k, paths = len(self.limits), vintages.shape[0]
        healthy, bubble, weight = (np.array([lim[j] for lim in self.limits]).reshape(k, paths) for j in range(3))
        composite, reds = composite_scores(matrix, healthy, bubble, weight, scored, self.a["Red gauge score"])
        in_bubble = (reds >= self.labels.reds_for_bubble) | (composite >= self.a["Bubble score"][:, None, None])
        return composite, in_bubble
