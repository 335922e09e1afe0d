"""The Cash flows sheet (revenue, capex, deal cash, cash flow, cumulative and discounted, per company and year)
and the Required revenue sheet (capital charge, required revenue, coverage, and the in-service weights).

Both are year grids (``export_plan.Grid``): one section per measure, a row per company and a Sector row that
sums the companies in the sector. Every cell is a formula on the input sheets carrying compute()'s value.
"""

from __future__ import annotations

import numpy as np
from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell

from model.core import schema
from model.export.book import FLAG, MONEY, PERCENT, YEAR, Book, Sheet
from model.export.deals import deal_weight
from model.export.facts import FloatArray
from model.export.model import organic_revenue_formula
from model.export.plan import CASH_FLOW_SECTIONS, HEADER_ROW, REQUIRED_SECTIONS, Grid, Plan

_CUMULATIVE = {"cumulative_cash_flow": "cash_flow", "cumulative_discounted_cash_flow": "discounted_cash_flow",
               "cumulative_organic_cash_flow": "organic_cash_flow"}
_PAID_BACK = {"paid_back": "cumulative_cash_flow", "paid_back_discounted": "cumulative_discounted_cash_flow",
              "paid_back_organic": "cumulative_organic_cash_flow"}


def paid_back_flags(cumulative: FloatArray) -> FloatArray:
    """1 where the cumulative series is ≥ 0 after having been negative: the first 1 is the payback year."""
    deficit_before = np.minimum.accumulate(cumulative, axis=-1) < 0
    return ((cumulative >= 0) & deficit_before).astype(float)


def _grid_sheet(book: Book, plan: Plan, grid: Grid, title: str, subtitle: str,
                sections: tuple[tuple[str, str], ...], more_bands: tuple[int, ...] = ()) -> Sheet:
    """A year grid's sheet with its titles and each section's band; the rows of each section are written top to
    bottom by the caller (``_row_labels`` then the year cells), so each section is a band the sheet streams."""
    f = plan.facts
    sheet = book.add_sheet(grid.sheet, bands=(*(grid.title_row(key) for key, _ in sections), *more_bands))
    sheet.text(0, 0, title, book.fmt("title"), width=False)
    sheet.text(1, 0, subtitle, book.fmt("subtitle"), width=False)
    sheet.header(HEADER_ROW, 0, ["Company", "In sector", *f.years], height=20)
    band = book.fmt("section")
    for key, label in sections:
        top = grid.title_row(key)
        sheet.text(top, 0, label, band, width=False)
        for c in range(1, grid.last_col + 1):
            sheet.ws.write_blank(top, c, None, band)
    for t in range(len(f.years)):
        sheet.set_width(grid.col(t), 9)
    sheet.set_width(1, 8)
    sheet.ws.freeze_panes(HEADER_ROW + 1, 2)
    sheet.ws.repeat_rows(HEADER_ROW)
    return sheet


def _row_labels(book: Book, plan: Plan, sheet: Sheet, grid: Grid, key: str, i: int) -> None:
    """Column A and B of company i's row in a section: its name and its in-sector flag; or the Sector row's."""
    f = plan.facts
    if i < f.n:
        sheet.text(grid.row(key, i), 0, f.companies[i])
        sheet.formula(grid.row(key, i), 1, f"={plan.in_sector_ref(i)}", 1.0 if f.in_sector[i] else 0.0,
                      book.fmt("flag", FLAG))
    else:
        sheet.text(grid.row(key, f.n), 0, "Sector", book.fmt("label", bold=True))
        sheet.ws.write_blank(grid.row(key, f.n), 1, None, book.fmt("label", bold=True))


def _sector_sum(grid: Grid, key: str, t: int) -> str | None:
    """Sum over the companies in the sector: SUMPRODUCT(in-sector flags, the column); None without companies."""
    if grid.n_companies == 0:
        return None
    top, bottom = grid.row(key, 0), grid.row(key, grid.n_companies - 1)
    c = grid.col(t)
    flags = f"{xl_rowcol_to_cell(top, 1, True, True)}:{xl_rowcol_to_cell(bottom, 1, True, True)}"
    col = f"{xl_rowcol_to_cell(top, c)}:{xl_rowcol_to_cell(bottom, c)}"
    return f"=SUMPRODUCT({flags},{col})"


def _put(sheet: Sheet, row: int, col: int, formula: str | None, value: float, fmt: object) -> None:
    """A formula with its value, or the value alone where there is nothing to compute from (no deals, no Capex
    column for the year, no companies)."""
    if formula is None:
        sheet.number(row, col, value, fmt)
    else:
        sheet.formula(row, col, formula, value, fmt)


def write_cash_flows(book: Book, plan: Plan) -> Sheet:
    f, g = plan.facts, plan.cash
    sheet = _grid_sheet(book, plan, g, "Cash flows: AI revenue, capex and deal cash per company and year ($B)",
                        "Cash flow = cash margin × AI revenue − AI capex (capex × AI share) − investments paid out. "
                        "Recycled revenue returns only its margin. The Sector sums the companies in the sector.",
                        CASH_FLOW_SECTIONS)
    money, flag = book.fmt("label", MONEY), book.fmt("label", "0")
    money_b, flag_b = book.fmt("label", MONEY, bold=True), book.fmt("label", "0", bold=True)
    capex_years = set(f.scenario.capex.years)
    last_capex = max((y for y in capex_years if f.first <= y <= f.last), default=None)
    has_deals = bool(f.results.deals.deals)
    n = plan.name
    values = {key: f.series(key) for key, _ in CASH_FLOW_SECTIONS if key not in _PAID_BACK}
    for key, source in _PAID_BACK.items():
        values[key] = paid_back_flags(values[source])

    def at(key: str, i: int, t: int) -> str:
        return xl_rowcol_to_cell(g.row(key, i), g.col(t))

    # The payback helpers are plumbing: grouped and collapsed under the last section.
    helper = {"level": 1, "hidden": True}
    for key in _PAID_BACK:
        sheet.ws.set_row(g.title_row(key), None, None, helper)
    for i, company in enumerate(f.companies + ("Sector",)):
        is_sector = i == f.n
        for key, _ in CASH_FLOW_SECTIONS:
            _row_labels(book, plan, sheet, g, key, i)
            if key in _PAID_BACK:
                sheet.ws.set_row(g.row(key, i), None, None, helper)
        fmt, flag_fmt = (money_b, flag_b) if is_sector else (money, flag)
        rev_row = f.revenue_row.get(company)
        margin = plan.input_cell("Revenue", rev_row, "cash_margin") if rev_row is not None else "0"
        capex_row = f.capex_row.get(company)
        ai_share = "1"          # a blank AI share, or no Capex row, reads 100% (compute._read_inputs)
        if capex_row is not None and "ai_share" in f.scenario.capex.keys:
            share_cell = plan.input_cell("Capex", capex_row, "ai_share")
            ai_share = f"IF(ISNUMBER({share_cell}),{share_cell},1)"
        for t, year in enumerate(f.years):
            y = g.year_ref(t)
            formulas: dict[str, str | None] = {}
            if is_sector:
                for key in ("organic_revenue", "recycled_revenue", "revenue", "capex", "ai_capex",
                            "investment_outflows", "funding_received", "cash_flow", "organic_cash_flow"):
                    formulas[key] = _sector_sum(g, key, t)
            else:
                formulas["organic_revenue"] = organic_revenue_formula(plan, company, y)
                if last_capex is not None and year > last_capex and formulas["organic_revenue"]:
                    formulas["organic_revenue"] = _bounded_revenue(plan, i, t, last_capex - f.first,
                                                                   formulas["organic_revenue"][1:])
                inv, who = n("deal_investor"), n("deal_investee")
                amount, share, w = n("deal_amount"), n("deal_share"), deal_weight(plan, y)

                def name_cell(key: str, i: int = i) -> str:
                    return xl_rowcol_to_cell(g.row(key, i), 0, True, True)

                formulas["recycled_revenue"] = (
                    f"=SUMPRODUCT(({inv}={name_cell('recycled_revenue')})*{amount}*{share}*{w})" if has_deals
                    else None)
                formulas["investment_outflows"] = (
                    f"=SUMPRODUCT(({inv}={name_cell('investment_outflows')})*{amount}*{w})" if has_deals else None)
                formulas["funding_received"] = (
                    f"=SUMPRODUCT(({who}={name_cell('funding_received')})*{amount}*{w})" if has_deals else None)
                formulas["revenue"] = f"={at('organic_revenue', i, t)}+{at('recycled_revenue', i, t)}"
                formulas["capex"] = ("=" + plan.input_cell("Capex", capex_row, str(year))
                                     if capex_row is not None and year in capex_years else None)
                if last_capex is not None and year > last_capex:
                    formulas["capex"] = _replacement(plan, i, t)
                formulas["ai_capex"] = f"={at('capex', i, t)}*{ai_share}"
                formulas["cash_flow"] = (f"={margin}*{at('revenue', i, t)}-{at('ai_capex', i, t)}"
                                         f"-{at('investment_outflows', i, t)}")
                formulas["organic_cash_flow"] = (f"={margin}*{at('organic_revenue', i, t)}-{at('ai_capex', i, t)}"
                                                 f"-{at('investment_outflows', i, t)}")
            formulas["discounted_cash_flow"] = (f"={at('cash_flow', i, t)}/(1+{n('discount_rate')})"
                                                f"^({y}-{n('first_year')})")
            for key, flow in _CUMULATIVE.items():
                formulas[key] = (f"={at(flow, i, t)}" if t == 0
                                 else f"={at(key, i, t - 1)}+{at(flow, i, t)}")
            for key, cumulative in _PAID_BACK.items():
                start = xl_rowcol_to_cell(g.row(cumulative, i), g.col(0), False, True)
                here = at(cumulative, i, t)
                formulas[key] = f"=IF(AND({here}>=0,MIN({start}:{here})<0),1,0)"
            for key, formula in formulas.items():
                _put(sheet, g.row(key, i), g.col(t), formula, float(values[key][i, t]),
                     flag_fmt if key in _PAID_BACK else fmt)
    for key in _PAID_BACK:
        sheet.ws.set_row(g.row(key, f.n) + 1, None, None, helper)
    return sheet


def weight_row(plan: Plan, t: int) -> int:
    """Row of year t's in-service weights (one column per vintage) on the Required revenue sheet."""
    return plan.required.end_row + 2 + t


def _weights(plan: Plan, t: int, last_vintage: int) -> str:
    """Year t's in-service weights of the vintages 0..last_vintage."""
    r = weight_row(plan, t)
    a = xl_rowcol_to_cell(r, plan.required.col(0), True, True)
    z = xl_rowcol_to_cell(r, plan.required.col(last_vintage), True, True)
    return f"{quote_sheetname(plan.sheets.required)}!{a}:{z}"


def _replacement(plan: Plan, i: int, t: int) -> str:
    """Capex past the last Capex column (compute.after_the_capex_years): with the fleet kept, the capex retiring in
    year t, Σ_{v<t} capex_v · (w(v, t−1) − w(v, t)); else nothing."""
    g = plan.cash
    row = g.row("capex", i)
    span = f"{xl_rowcol_to_cell(row, g.col(0), True, True)}:{xl_rowcol_to_cell(row, g.col(t - 1), True, True)}"
    return (f"=IF({plan.name('keep_fleet')}>=0.5,SUMPRODUCT({span},{_weights(plan, t - 1, t - 1)}"
            f"-{_weights(plan, t, t - 1)}),0)")


def _bounded_revenue(plan: Plan, i: int, t: int, tl: int, path: str) -> str:
    """Organic revenue past the last Capex column (compute.after_the_capex_years): with the revenue bound, at most
    the last explicit year's times the capacity in service now over then, and the supplier's share of sales from
    sector capex following the sector's AI capex."""
    g, n = plan.cash, plan.name
    last = plan.facts.n
    ai_row = g.row("ai_capex", i)
    ai_span = (f"{xl_rowcol_to_cell(ai_row, g.col(0), True, True)}:"
               f"{xl_rowcol_to_cell(ai_row, g.last_col, True, True)}")
    full = len(plan.facts.years) - 1
    capacity_now = f"SUMPRODUCT({ai_span},{_weights(plan, t, full)})"
    capacity_then = f"SUMPRODUCT({ai_span},{_weights(plan, tl, full)})"
    revenue_then = xl_rowcol_to_cell(g.row("organic_revenue", i), g.col(tl), False, True)
    capped = (f"IF({capacity_then}>0,MIN({path},{revenue_then}*{capacity_now}/{capacity_then}),{path})")
    sector_now = xl_rowcol_to_cell(g.row("ai_capex", last), g.col(t), False, True)
    sector_then = xl_rowcol_to_cell(g.row("ai_capex", last), g.col(tl), False, True)
    name = xl_rowcol_to_cell(g.row("organic_revenue", i), 0, True, True)
    m_in, m_co, m_yr, m_val = (n(f"market_{k}") for k in ("input", "company", "year", "value"))
    match = f'({m_in}="{schema.SALES_FROM_CAPEX}")*({m_co}={name})'
    share = f"MIN(1,MAX(0,SUMPRODUCT({match}*({m_yr}=SUMPRODUCT(MAX({match}*{m_yr})))*{m_val})))"
    follows = f"IF({sector_then}>0,(1-{share})*{capped}+{share}*{revenue_then}*{sector_now}/{sector_then},{capped})"
    return f"=IF({n('revenue_bound')}>=0.5,{follows},{path})"


def write_required_revenue(book: Book, plan: Plan) -> Sheet:
    f, g = plan.facts, plan.required
    sheet = _grid_sheet(book, plan, g, "Required revenue: the AI revenue the capex needs, and how much of it comes in",
                        "Capital charge = capital recovery factor × the capex of every vintage still in service "
                        "(weights below). Required revenue = charge ÷ cash margin. Coverage = AI revenue ÷ "
                        "required revenue.", REQUIRED_SECTIONS, more_bands=(g.end_row + 1,))
    n = plan.name
    money, money_b = book.fmt("label", MONEY), book.fmt("label", MONEY, bold=True)
    pct, pct_b = book.fmt("label", PERCENT), book.fmt("label", PERCENT, bold=True)
    years = f.years
    n_years = len(years)
    # In-service weights: a row per year in service, a column per vintage (the header's years).
    w_title = g.end_row + 1
    sheet.text(w_title, 0, "In-service share of each capex vintage (columns) in each year (rows): "
                           "clamp(useful life − (year − vintage), 0, 1)", book.fmt("section"), width=False)
    share = book.fmt("label", "0.00")

    def w_row(t: int) -> int:
        return w_title + 1 + t

    for t, year in enumerate(years):
        sheet.number(w_row(t), 0, year, book.fmt("label", YEAR))
        a = xl_rowcol_to_cell(w_row(t), 0, False, True)
        for v in range(n_years):
            y = g.year_ref(v)
            sheet.formula(w_row(t), g.col(v), f"=IF({a}<{y},0,IF({n('perpetuity')}>=0.5,1,"
                                              f"MAX(0,MIN(1,{n('useful_life')}-({a}-{y})))))",
                          float(f.weights[v, t]), share)
    charge, required, coverage = (f.series(k) for k in ("capital_charge", "required_revenue", "coverage"))
    for i, company in enumerate(f.companies + ("Sector",)):
        is_sector = i == f.n
        for key, _ in REQUIRED_SECTIONS:
            _row_labels(book, plan, sheet, g, key, i)
        rev_row = f.revenue_row.get(company)
        margin = plan.input_cell("Revenue", rev_row, "cash_margin") if rev_row is not None else "0"
        for t in range(n_years):
            at = {key: xl_rowcol_to_cell(g.row(key, i), g.col(t)) for key, _ in REQUIRED_SECTIONS}
            if is_sector:
                f_charge = _sector_sum(g, "capital_charge", t)
                f_required = _sector_sum(g, "required_revenue", t)
            else:
                w_span = (f"{xl_rowcol_to_cell(w_row(t), g.col(0), True, True)}:"
                          f"{xl_rowcol_to_cell(w_row(t), g.last_col, True, True)}")
                f_charge = f"={n('capital_recovery_factor')}*SUMPRODUCT({plan.cash.span('ai_capex', i)},{w_span})"
                f_required = f"={at['capital_charge']}/{margin}"
            revenue = plan.cash.cell("revenue", i, t)
            f_coverage = f'=IF({at["required_revenue"]}>0,{revenue}/{at["required_revenue"]},"n/a")'
            cov = float(coverage[i, t])
            _put(sheet, g.row("capital_charge", i), g.col(t), f_charge, float(charge[i, t]),
                 money_b if is_sector else money)
            _put(sheet, g.row("required_revenue", i), g.col(t), f_required, float(required[i, t]),
                 money_b if is_sector else money)
            sheet.formula(g.row("coverage", i), g.col(t), f_coverage, cov if np.isfinite(cov) else "n/a",
                          pct_b if is_sector else pct)
    return sheet
