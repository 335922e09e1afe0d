"""The Bubble score sheet: per company and for the sector, each indicator's value at the score year, its score
between the healthy and bubble thresholds, its weight and its contribution to the composite.

Top to bottom: the scores (composite, label, red gauges); the indicators, one block per entity; the inputs each
indicator reads at the score year; the sector aggregates. Every cell is a formula carrying compute()'s value.
The texts shown for missing data are the model's own notes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell

from model.core import schema
from model.core.compute import commitments_outstanding
from model.core.results import IndicatorScore
from model.export.book import FLAG, MONEY, NUMBER, PERCENT, RATIO, SCORE, Book, Sheet
from model.export.deals import deal_weight
from model.export.facts import Facts, FloatArray
from model.export.plan import Plan

NO_DATA = "no data"
INPUT_COLUMNS = ("Entity", "In sector", "AI revenue ($B)", "AI revenue the year before ($B)",
                 "Required AI revenue ($B)", "Recycled AI revenue ($B)", "Capex, all ($B)",
                 "Operating cash flow: latest reported year", "Operating cash flow in the score year ($B)",
                 "Debt raised in the score year ($B)", "Debt data in the score year", "Debt-like deal funding ($B)",
                 "Payback of the score year's AI capex vintage (years; a value: see docs/export.md)",
                 "AI capex of the score year ($B)", "Growth into the first model year stated (1/0)",
                 "Compute commitments outstanding at the year's end ($B)", "Signed a compute commitment (1/0)")
AGGREGATES = ("Sector companies with an Operating cash flow input",
              "Their capex ($B)",
              "Their operating cash flow ($B)",
              "Debt raised + debt-like deal funding of sector companies with debt data ($B)",
              "Capex of all the sector's companies ($B)",
              "Sector companies with debt data in the score year")
VINTAGE_NEVER = "not within its life"
_VINTAGE_NOTE = '"the year\'s vintage is not paid back within its useful life"'   # the score year's vintage is not paid back within its useful life
INFINITE = "∞"      # an indicator the model reads as infinitely bad (capex with no positive operating cash flow)
INDICATOR_COLUMNS = ("Entity", "Indicator", "Formula", "Value", "Healthy", "Bubble", "Weight", "Score",
                     "Weight counted", "Contribution", "Red gauge", "Why no value")
SCORE_COLUMNS = ("Entity", "Composite score", "Label", "Red gauges", "Indicators without data")


def _unit_format(unit: str) -> str:
    return {"%": PERCENT, "x": RATIO}.get(unit, NUMBER)


def indicator_cell_value(ind: IndicatorScore) -> float | str:
    """The indicator's value as its cell shows it: the number, "no data", or "not within horizon" for a payback
    that never comes (the model's infinity)."""
    if ind.value is None:
        return NO_DATA
    if math.isinf(ind.value):
        return VINTAGE_NEVER if ind.key == "payback_vs_life" else INFINITE
    return float(ind.value)


def write_score(book: Book, plan: Plan) -> Sheet:
    lay = plan.score
    # Four bands, each written top to bottom (streamed): the scores, the indicators, their inputs, the aggregates.
    sheet = book.add_sheet(plan.sheets.score, bands=(lay.indicators_title, lay.inputs_title, lay.aggregates_title))
    sheet.text(0, 0, "Bubble score: each indicator between its healthy and its bubble value, weighted",
               book.fmt("title"), width=False)
    sheet.text(1, 0, "Score = clamp(100 × (value − healthy) ÷ (bubble − healthy), 0, 100). Composite = weighted mean "
                     "of the indicators with data. A gauge at or above the red score is red; enough reds label a "
                     "bubble whatever the mean. Values at the score year (Model sheet).", book.fmt("subtitle"),
               width=False)
    _write_inputs(book, plan, sheet)
    _write_indicators(book, plan, sheet)
    _write_scores(book, plan, sheet)
    sheet.set_width(0, 16)
    sheet.set_width(1, 24)
    sheet.set_width(2, 32)
    for c in range(3, len(INPUT_COLUMNS)):
        sheet.set_width(c, 13)
    sheet.set_width(3, 17)      # an indicator's value: room for "not within horizon"
    sheet.set_width(len(INDICATOR_COLUMNS) - 1, 48)
    sheet.ws.freeze_panes(plan.score.SCORES_HEADER + 1, 1)
    return sheet


def _write_inputs(book: Book, plan: Plan, sheet: Sheet) -> None:
    f, lay, n = plan.facts, plan.score, plan.name
    t = f.score_t
    sheet.text(lay.inputs_title, 0, "What the indicators read at the score year", book.fmt("section"), width=False)
    sheet.header(lay.inputs_title + 1, 0, list(INPUT_COLUMNS), height=45)
    money, year = book.fmt("label", MONEY), book.fmt("label", '0;-0;"–"')
    flag, years = book.fmt("flag", FLAG), book.fmt("label", "0.0")
    col = n("score_column")
    s = f.results.series
    ocf_name, debt_name = schema.OPERATING_CASH_FLOW, schema.DEBT_RAISED
    m_in, m_co, m_yr, m_val = (n(f"market_{k}") for k in ("input", "company", "year", "value"))
    has_deals = bool(f.results.deals.deals)
    # each once for every entity: per entity they made the sheet quadratic in the companies
    ocf_now, outstanding, signed = _ocf_in_score_year(f), _outstanding_values(f), _signed(f)
    for e, entity in enumerate(f.results.summaries):
        r = lay.input_row(e)
        is_sector = e == f.n
        bold = book.fmt("label", bold=True) if is_sector else None
        sheet.text(r, 0, entity.name, bold)
        name = xl_rowcol_to_cell(r, 0, True, True)

        def index(section: str, offset: int = 0, e: int = e) -> str:
            grid = plan.required if section == "required_revenue" else plan.cash
            return f"INDEX({grid.span(section, e)},1,{col}{offset:+d})" if offset else \
                f"INDEX({grid.span(section, e)},1,{col})"

        for c, key in ((2, "revenue"), (4, "required_revenue"), (5, "recycled_revenue"), (6, "capex")):
            sheet.formula(r, c, f"={index(key)}", float(s[key][e, t]), money)
        if is_sector and f.n == 0:
            first_before, first_value = "0", 0.0
        elif is_sector:
            flags = plan.in_sector_flags()
            before = f"{_path_col(plan, 0, 2)}:{xl_rowcol_to_cell(plan.path_row(f.n - 1), 2, True, True)}"
            first_before = f"SUMPRODUCT({flags},{before})"
            first_value = float(sum(v for v, m in zip(f.revenue_before_first, f.in_sector, strict=True) if m))
        else:
            first_before = _path_col(plan, e, 2)
            first_value = float(f.revenue_before_first[e])
        stated = xl_rowcol_to_cell(r, 14, True, True)
        stated_value = _stated(f, e)
        sheet.formula(r, 3, f'=IF({col}>1,{index("revenue", -1)},IF({stated}=1,{first_before},"{NO_DATA}"))',
                      float(s["revenue"][e, t - 1]) if t > 0 else (first_value if stated_value else NO_DATA), money)
        vintage = entity.vintage_payback
        sheet.number(r, 12, vintage, years) if vintage is not None and math.isfinite(vintage) else \
            sheet.text(r, 12, NO_DATA if vintage is None else VINTAGE_NEVER)
        sheet.formula(r, 13, f"={index('ai_capex')}", float(s["ai_capex"][e, t]), money)
        _write_stated(book, plan, sheet, r, e, stated_value)
        _write_commitments(book, plan, sheet, r, e, has_deals, outstanding[e], signed[e])
        if is_sector:
            # the sector's In sector cell counts its companies (Macro weight has no data without any)
            if f.n:
                sheet.formula(r, 1, f"=SUM({plan.in_sector_flags()})", float(sum(f.in_sector)), book.fmt("label", "0"))
            else:
                sheet.number(r, 1, 0.0, book.fmt("label", "0"))
            continue
        sheet.formula(r, 1, f"={plan.in_sector_ref(e)}", 1.0 if f.in_sector[e] else 0.0, flag)
        ocf_year = xl_rowcol_to_cell(r, 7)
        sheet.formula(r, 7, f'=SUMPRODUCT(MAX(({m_in}="{ocf_name}")*({m_co}={name})*({m_yr}<={n("score_year_used")})'
                            f'*{m_yr}))', float(f.ocf_year[e]), year)
        # the latest report, plus the cash margin on the AI revenue gained since (compute._Scorer)
        rev_row = f.revenue_row.get(entity.name)
        margin = plan.input_cell("Revenue", rev_row, "cash_margin") if rev_row is not None else "0"
        revenue_span = plan.cash.span("revenue", e)
        gained = (f"IF({ocf_year}>={n('first_year')},{margin}*({index('revenue')}-INDEX({revenue_span},1,"
                  f"{ocf_year}-{n('first_year')}+1)),0)")
        ocf_value = float(ocf_now[e])
        sheet.formula(r, 8, f'=IF({ocf_year}>0,SUMPRODUCT(({m_in}="{ocf_name}")*({m_co}={name})*({m_yr}={ocf_year})'
                            f'*{m_val})+{gained},0)', ocf_value, money)
        sheet.formula(r, 9, f'=SUMPRODUCT(({m_in}="{debt_name}")*({m_co}={name})*({m_yr}={n("score_year_used")})'
                            f'*{m_val})', float(f.debt_raised[e]), money)
        debt_like = xl_rowcol_to_cell(r, 11)
        score_rows = f'SUMPRODUCT(({m_in}="{debt_name}")*({m_co}={name})*({m_yr}={n("score_year_used")}))'
        sheet.formula(r, 10, f"=IF(OR({score_rows}>0,{debt_like}<>0),1,0)", 1.0 if f.has_debt_data[e] else 0.0,
                      flag)
        if has_deals:
            sheet.formula(r, 11, f"=SUMPRODUCT(({n('deal_investee')}={name})*{n('deal_debt_like')}*{n('deal_amount')}"
                                 f"*{deal_weight(plan, n('score_year_used'))})", float(f.external_at_score[e]), money)
        else:
            sheet.number(r, 11, 0.0, money)

    # Sector aggregates: sums over the companies in the sector that have the data.
    sheet.text(lay.aggregates_title, 0, "Sector aggregates at the score year", book.fmt("section"), width=False)
    rows = [lay.input_row(0), lay.input_row(f.n - 1)]

    def column(c: int) -> str:
        return f"{xl_rowcol_to_cell(rows[0], c, True, True)}:{xl_rowcol_to_cell(rows[1], c, True, True)}"

    values = _aggregate_values(f)
    formulas = (f"=SUMPRODUCT({column(1)}*({column(7)}>0))",
                f"=SUMPRODUCT({column(1)}*({column(7)}>0)*{column(6)})",
                f"=SUMPRODUCT({column(1)}*({column(7)}>0)*{column(8)})",
                f"=SUMPRODUCT({column(1)}*{column(10)}*{column(9)})+SUMPRODUCT({column(1)}*{column(10)}*{column(11)})",
                f"=SUMPRODUCT({column(1)},{column(6)})",
                f"=SUMPRODUCT({column(1)},{column(10)})")
    for k, (label, formula, value) in enumerate(zip(AGGREGATES, formulas, values, strict=True)):
        r = lay.aggregate_row(k)
        sheet.text(r, 0, label, width=False)
        if f.n == 0:
            sheet.number(r, 4, value, money)
        else:
            sheet.formula(r, 4, formula, value, money)


def _aggregate_values(f: Facts) -> tuple[float, ...]:
    """As compute's scorer sums them for the sector."""
    t = f.score_t
    capex = f.results.series["capex"][: f.n, t]
    members = list(f.in_sector)
    has_ocf = [m and y > 0 for m, y in zip(members, f.ocf_year, strict=True)]
    has_debt = [m and bool(d) for m, d in zip(members, f.has_debt_data, strict=True)]
    return (float(sum(has_ocf)), float(_pick(capex, has_ocf).sum()), float(_pick(_ocf_in_score_year(f), has_ocf).sum()),
            float(_pick(f.debt_raised, has_debt).sum() + _pick(f.external_at_score, has_debt).sum()),
            float(_pick(capex, members).sum()), float(sum(has_debt)))


def _ocf_in_score_year(f: Facts) -> FloatArray:
    """Operating cash flow as the score reads it in the score year: the latest report plus the cash margin on the
    AI revenue gained since."""
    out = np.asarray(f.ocf, dtype=float).copy()
    revenue, t = f.results.series["revenue"], f.score_t
    for i, company in enumerate(f.companies):
        row = f.revenue_row.get(company)
        if row is not None and f.ocf_year[i] >= f.first:
            margin = float(f.scenario.revenue.value(row, "cash_margin"))  # type: ignore[arg-type]
            out[i] += margin * float(revenue[i, t] - revenue[i, int(f.ocf_year[i]) - f.first])
    return out


def _stated(f: Facts, e: int) -> bool:
    """Whether the Revenue sheet states the growth into the first model year (or the base year is the year
    before it), for company e; for the sector, for all its companies (compute._read_inputs)."""
    revenue = f.scenario.revenue
    first = str(f.first)

    def company(i: int) -> bool:
        row = f.revenue_row.get(f.companies[i])
        if row is None:
            return False
        g = revenue.value(row, first) if first in revenue.keys else None
        return (isinstance(g, int | float) and not isinstance(g, bool)) or revenue.value(row, "base_year") == f.first - 1

    if e < f.n:
        return company(e)
    members = [i for i in range(f.n) if f.in_sector[i]]
    return bool(members) and all(company(i) for i in members)


def _write_commitments(book: Book, plan: Plan, sheet: Sheet, r: int, e: int, has_deals: bool,
                       outstanding: float, signed: bool) -> None:
    """The compute commitments the entity has signed and not paid by the score year's end (``outstanding``), and
    whether it signed any (compute.commitments_outstanding): amount × (1 − the share paid through the year, clamped
    to 0-1)."""
    f, n = plan.facts, plan.name
    money, flag = book.fmt("label", MONEY), book.fmt("flag", FLAG)
    if e == f.n:
        if f.n == 0:
            sheet.number(r, 15, 0.0, money)
            sheet.number(r, 16, 0.0, flag)
            return
        top, bottom = plan.score.input_row(0), plan.score.input_row(f.n - 1)

        def col(c: int) -> str:
            return f"{xl_rowcol_to_cell(top, c, True, True)}:{xl_rowcol_to_cell(bottom, c, True, True)}"

        sheet.formula(r, 15, f"=SUMPRODUCT({col(1)},{col(15)})", outstanding, money)
        sheet.formula(r, 16, f"=IF(SUMPRODUCT({col(1)},{col(16)})>0,1,0)", 1.0 if signed else 0.0, flag)
        return
    if not has_deals:
        sheet.number(r, 15, 0.0, money)
        sheet.number(r, 16, 0.0, flag)
        return
    name = xl_rowcol_to_cell(r, 0, True, True)
    mine = f'({n("deal_investor")}={name})*({n("deal_kind")}="compute commitment")'
    p = f"(({n('score_year_used')}-{n('deal_start')}+1)/{n('deal_spread')})"
    paid = f"(({p}>0)*({p}<1)*{p}+({p}>=1))"
    sheet.formula(r, 15, f"=SUMPRODUCT({mine}*{n('deal_amount')}*(1-{paid}))", outstanding, money)
    sheet.formula(r, 16, f"=IF(SUMPRODUCT({mine})>0,1,0)", 1.0 if signed else 0.0, flag)


def _signed(f: Facts) -> list[bool]:
    """Whether each entity (the sector: any of its companies) is the investor of a compute commitment."""
    signers = {d.investor for d in f.results.deals.deals if d.kind == "compute commitment"}
    companies = [c in signers for c in f.companies]
    return companies + [any(s and m for s, m in zip(companies, f.in_sector, strict=True))]


def _outstanding_values(f: Facts) -> list[float]:
    """compute.commitments_outstanding at the score year, for every entity (computed once: per entity it made the
    sheet quadratic in the companies)."""
    values, _ = commitments_outstanding(f.scenario.investments, f.companies, np.array(f.in_sector, dtype=bool),
                                        list(f.years))
    return [float(v) for v in values[:, f.score_t].tolist()]


def _write_stated(book: Book, plan: Plan, sheet: Sheet, r: int, e: int, value: bool) -> None:
    """The 'growth into the first model year stated' flag of the inputs table: the revenue momentum of the first
    model year has data only then (no back-cast of a year the Revenue sheet says nothing about)."""
    f = plan.facts
    flag = book.fmt("flag", FLAG)
    if e == f.n:
        if f.n == 0:
            sheet.number(r, 14, 0.0, flag)
            return
        top, bottom = plan.score.input_row(0), plan.score.input_row(f.n - 1)
        flags = f"{xl_rowcol_to_cell(top, 1, True, True)}:{xl_rowcol_to_cell(bottom, 1, True, True)}"
        stated = f"{xl_rowcol_to_cell(top, 14, True, True)}:{xl_rowcol_to_cell(bottom, 14, True, True)}"
        sheet.formula(r, 14, f"=IF(AND(SUM({flags})>0,SUMPRODUCT({flags},1-{stated})=0),1,0)", 1.0 if value else 0.0,
                      flag)
        return
    row = f.revenue_row.get(f.companies[e])
    if row is None:
        sheet.number(r, 14, 0.0, flag)
        return
    base = plan.input_cell("Revenue", row, "base_year")
    condition = f"{base}={plan.name('first_year')}-1"
    if str(f.first) in f.scenario.revenue.keys:
        condition = f"OR(ISNUMBER({plan.input_cell('Revenue', row, str(f.first))}),{condition})"
    sheet.formula(r, 14, f"=IF({condition},1,0)", 1.0 if value else 0.0, flag)


def _pick(values: object, mask: list[bool]) -> FloatArray:
    return np.asarray(values, dtype=float)[np.asarray(mask, dtype=bool)]


def _write_indicators(book: Book, plan: Plan, sheet: Sheet) -> None:
    f, lay, n = plan.facts, plan.score, plan.name
    sheet.text(lay.indicators_title, 0, "Indicators", book.fmt("section"), width=False)
    sheet.header(lay.indicators_header, 0, list(INDICATOR_COLUMNS), height=20)
    thresholds = {schema.indicator_key(str(r["indicator"] or "")): i for i, r in enumerate(f.scenario.thresholds.records())}
    score_fmt, contrib = book.fmt("label", SCORE), book.fmt("label", "0.0")
    flag = book.fmt("flag", FLAG)
    for e, entity in enumerate(f.results.summaries):
        start, size = lay.block_start(e), lay.block_sizes[e]
        if size == 0:
            continue
        counted = f"{xl_rowcol_to_cell(start, 8, True, True)}:{xl_rowcol_to_cell(start + size - 1, 8, True, True)}"
        ref = _InputRefs(plan, e)
        for k, ind in enumerate(entity.score.indicators):
            r = start + k
            th = thresholds[ind.key]
            value_fmt = book.fmt("label", _unit_format(ind.unit))
            sheet.text(r, 0, entity.name)
            sheet.text(r, 1, ind.name)
            sheet.text(r, 2, ind.formula)
            rule = _rule(plan, ind, ref, plan.input_cell("Thresholds", th, "indicator"))
            sheet.formula(r, 3, rule.value_formula(), indicator_cell_value(ind), value_fmt)
            sheet.formula(r, 11, rule.note_formula(), ind.note, book.fmt("subtitle"))
            for c, key, value in ((4, "healthy", ind.healthy), (5, "bubble", ind.bubble), (6, "weight", ind.weight)):
                sheet.formula(r, c, "=" + plan.input_cell("Thresholds", th, key), value,
                              value_fmt if c < 6 else score_fmt)
            d, h_, b_, w_, s_ = (xl_rowcol_to_cell(r, c) for c in (3, 4, 5, 6, 7))
            sheet.formula(r, 7, f'=IF(ISNUMBER({d}),MIN(100,MAX(0,100*({d}-{h_})/({b_}-{h_}))),'
                                f'IF(OR({d}="{VINTAGE_NEVER}",{d}="{INFINITE}"),IF({b_}>{h_},100,0),"{NO_DATA}"))',
                          NO_DATA if ind.score is None else ind.score, score_fmt)
            sheet.formula(r, 8, f"=IF(ISNUMBER({s_}),{w_},0)", ind.weight if ind.available else 0.0, score_fmt)
            sheet.formula(r, 9, f"=IF(ISNUMBER({s_}),IF(SUM({counted})>0,{w_}*{s_}/SUM({counted}),0),0)",
                          ind.contribution, contrib)
            red = ind.score is not None and ind.score >= entity.score.red_threshold
            sheet.formula(r, 10, f"=IF(ISNUMBER({s_}),IF({s_}>={n('red_gauge_score')},1,0),0)",
                          1.0 if red else 0.0, flag)


class _InputRefs:
    """The cells of one entity's row of the inputs table, and the sector aggregates."""

    def __init__(self, plan: Plan, e: int) -> None:
        self.row = plan.score.input_row(e)
        self.plan = plan

    def __getitem__(self, col: int) -> str:
        return xl_rowcol_to_cell(self.row, col, True, True)

    def aggregate(self, k: int) -> str:
        return xl_rowcol_to_cell(self.plan.score.aggregate_row(k), 4, True, True)


@dataclass(frozen=True)
class _Rule:
    """How an indicator's value is read: checks in order (condition, the model's note when it fails), then the
    value. ``missing`` is what the value cell shows when a check fails."""

    checks: tuple[tuple[str, str], ...]     # (condition, note as an Excel expression)
    value: str
    missing: str = NO_DATA
    note: str = '""'                        # the note when every check passes

    def value_formula(self) -> str:
        out = self.value
        for condition, _ in reversed(self.checks):
            out = f'IF({condition},{out},"{self.missing}")'
        return "=" + out

    def note_formula(self) -> str:
        out = self.note
        for condition, note in reversed(self.checks):
            out = f"IF({condition},{out},{note})"
        return "=" + out


def _text(note: str) -> str:
    return '"' + note.replace('"', '""') + '"'


def _rule(plan: Plan, ind: IndicatorScore, c: _InputRefs, name_cell: str) -> _Rule:
    """The model's reading of each indicator (compute._Scorer.score), as formulas on the inputs table."""
    n = plan.name
    is_sector = c.row == plan.score.input_row(plan.facts.n)
    key = ind.key
    rev, before, req, rec, capex = c[2], c[3], c[4], c[5], c[6]
    if key == "coverage":
        return _Rule(((f"{req}>0", _text("no capital charge in the year")),), f"{rev}/{req}")
    if key == "capex_intensity":
        # capex ÷ operating cash flow; with none (or a negative one) any capex is the worst case
        # (compute._Scorer.values, worst_case)
        if is_sector:
            has, spend, ocf = f"{c.aggregate(0)}>0", c.aggregate(1), c.aggregate(2)
            why = "no Operating cash flow input for the sector's companies"
        else:
            has, spend, ocf, why = f"{c[7]}>0", capex, c[8], "no Operating cash flow input"
        return _Rule(((has, _text(why)),), f'IF({ocf}>0,{spend}/{ocf},IF({spend}>0,"{INFINITE}",0))',
                     note=f'IF({ocf}>0,"",IF({spend}>0,{_text("operating cash flow is zero or negative")},'
                          f'{_text("no capex and no operating cash flow")}))')
    if key == "external_financing":
        # debt-like funding ÷ capex; debt with no capex is the worst case, neither is 0
        # (compute._Scorer.values, worst_case)
        if is_sector:
            has, debt, why = f"{c.aggregate(5)}>0", c.aggregate(3), "no Debt raised input or debt-like deal for the sector"
            spend = c.aggregate(4)
        else:
            has, debt, why = f"{c[10]}=1", f"({c[9]}+{c[11]})", "no Debt raised input or debt-like deal"
            spend = capex
        return _Rule(((has, _text(why)),), f'IF({spend}>0,{debt}/{spend},IF({debt}>0,"{INFINITE}",0))',
                     note=f'IF({spend}>0,"",IF({debt}>0,{_text("debt raised with no capex in the year")},'
                          f'{_text("no capex and no debt in the year")}))')
    if key == "macro_weight":
        gdp = n("gdp_at_score_year")
        checks = ((f"{c[1]}>0", _text("no company is marked In sector")),) if is_sector else ()
        return _Rule((*checks, (f"{gdp}>0", _text("no GDP"))), f"{capex}/{gdp}")
    if key == "momentum":
        return _Rule(((f"ISNUMBER({before})", _text("the first model year: no growth into it on the Revenue sheet")),
                      (f"{before}>0", _text("no AI revenue the year before"))), f"{rev}/{before}-1")
    if key == "circularity":
        return _Rule(((f"{rev}>0", _text("no AI revenue in the year")),), f"{rec}/{rev}")
    if key == "commitments":
        out, signed = c[15], c[16]
        return _Rule(((f"{signed}=1", _text("no compute commitment on the Investments sheet")),),
                     f'IF({rev}>0,{out}/{rev},IF({out}>0,"{INFINITE}",0))',
                     note=f'IF({rev}>0,"",IF({out}>0,{_text("commitments with no AI revenue in the year")},'
                          f'{_text("no commitments and no AI revenue")}))')
    if key == "payback_vs_life":
        # the score year's vintage: its payback (a value, docs/export.md) over the useful life
        return _Rule(((f"{c[13]}>0", _text("no AI capex in the year: no vintage to pay back")),),
                     f'IF(ISNUMBER({c[12]}),{c[12]}/{n("useful_life")},"{VINTAGE_NEVER}")',
                     note=f'IF(ISNUMBER({c[12]}),"",{_VINTAGE_NOTE})')
    # A market-wide input: the latest Market row named like the indicator, with no company, up to the score year.
    m_in, m_co, m_yr, m_val = (n(f"market_{k}") for k in ("input", "company", "year", "value"))
    sy = n("score_year_used")
    match = f'({m_in}={name_cell})*({m_co}="")'
    year = f"SUMPRODUCT(MAX({match}*({m_yr}<={sy})*{m_yr}))"
    note = f'"no Market input named \'"&{name_cell}&"\' up to "&{sy}'
    return _Rule(((f"{year}>0", note),), f"SUMPRODUCT({match}*({m_yr}={year})*{m_val})")


def _write_scores(book: Book, plan: Plan, sheet: Sheet) -> None:
    f, lay, n = plan.facts, plan.score, plan.name
    sheet.header(lay.SCORES_HEADER, 0, list(SCORE_COLUMNS), height=30)
    score_fmt, count = book.fmt("label", "0.0"), book.fmt("label", "0")
    for e, entity in enumerate(f.results.summaries):
        r = lay.score_row(e)
        bold = e == f.n
        sheet.text(r, 0, entity.name, book.fmt("label", bold=True) if bold else None)
        score = entity.score
        start, size = lay.block_start(e), lay.block_sizes[e]
        if size == 0:
            sheet.text(r, 1, NO_DATA)
            sheet.text(r, 2, score.label)
            sheet.number(r, 3, 0, count)
            sheet.number(r, 4, 0, count)
            continue

        def block(c: int, start: int = start, size: int = size) -> str:
            return f"{xl_rowcol_to_cell(start, c, True, True)}:{xl_rowcol_to_cell(start + size - 1, c, True, True)}"

        comp, reds = xl_rowcol_to_cell(r, 1), xl_rowcol_to_cell(r, 3)
        sheet.formula(r, 1, f'=IF(SUM({block(8)})>0,SUM({block(9)}),"{NO_DATA}")',
                      NO_DATA if score.composite is None else score.composite,
                      book.fmt("label", "0.0", bold=bold) if bold else score_fmt)
        sheet.formula(r, 2, f'=IF({reds}>=INT({n("reds_for_bubble")}),"Bubble",IF(NOT(ISNUMBER({comp})),"No data",'
                            f'IF({comp}>={n("bubble_score")},"Bubble",IF({comp}>={n("boom_score")},"Boom","Healthy"))))',
                      score.label, book.fmt("label", bold=True) if bold else None)
        sheet.formula(r, 3, f"=SUM({block(10)})", score.red_count, count)
        sheet.formula(r, 4, f'=COUNTIF({block(7)},"{NO_DATA}")', len(score.missing), count)


def _path_col(plan: Plan, e: int, col: int) -> str:
    return f"{_quote(plan.sheets.revenue_path)}!{xl_rowcol_to_cell(plan.path_row(e), col, True, True)}"


def _quote(name: str) -> str:
    return quote_sheetname(name)
