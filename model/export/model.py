"""The Model sheet (the assumptions used, under defined names; derived parameters; the recalculation check) and
the Revenue path sheet (each company's growth factors, from which every year's organic AI revenue follows)."""

from __future__ import annotations

from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell

from model.core import schema
from model.export.book import FLAG, MONEY, NUMBER, PERCENT, YEAR, Book, Sheet
from model.export.plan import HEADER_ROW, MARKET_NAMED, Plan

# The defined name of each assumption the model reads (snake case; "GDP" alone would read like a column).
ASSUMPTION_NAMES = {
    "Discount rate": "discount_rate", "Useful life": "useful_life", "Horizon end": "horizon_end",
    "Keep fleet": "keep_fleet", "Revenue bound": "revenue_bound", "Perpetuity": "perpetuity",
    "Terminal growth": "terminal_growth", "GDP": "gdp_base", "GDP growth": "gdp_growth", "GDP year": "gdp_year",
    "Score year": "score_year", "Red gauge score": "red_gauge_score", "Reds for bubble": "reds_for_bubble",
    "Boom score": "boom_score", "Bubble score": "bubble_score",
}
CANARY_STORED = 3   # the recalculation check holds =1+1 but is saved showing 3


def _unit_format(unit: str) -> str:
    return {"%": PERCENT, "year": YEAR}.get(unit, NUMBER)


def write_model(book: Book, plan: Plan) -> Sheet:
    f, n = plan.facts, plan.name
    sheet = book.add_sheet(plan.sheets.model)
    sheet.text(0, 0, "Model: the assumptions used, the parameters derived from them", book.fmt("title"),
               width=False)
    sheet.text(1, 0, "Formulas on the other sheets use these cells by name (Formulas ▸ Name Manager). Change an "
                     "assumption on the Assumptions sheet: everything recalculates.", book.fmt("subtitle"),
               width=False)
    sheet.header(3, 0, ["Assumption", "Value used", "Unit", "Name in formulas", "Where it comes from"], height=20)
    r = 4
    for spec in schema.ASSUMPTIONS:
        fmt = book.fmt("label", _unit_format(spec.unit))
        value = f.assumption(spec.name)
        row = f.assumption_row.get(spec.name)
        sheet.text(r, 0, spec.name)
        if row is None:
            sheet.number(r, 1, value, fmt)
            sheet.text(r, 4, "default: no row on the Assumptions sheet (add one to change it)")
        else:
            cell = plan.input_cell("Assumptions", row, "value")
            sheet.formula(r, 1, f"=IF(ISNUMBER({cell}),{cell},{spec.default!r})", value, fmt)
            overridden = ("Assumptions", row, "value") in plan.overrides
            sheet.text(r, 4, f"this scenario's override, {cell.replace('$', '')}" if overridden
                       else f"Assumptions row {row + 2}")
        sheet.text(r, 2, spec.unit)
        sheet.text(r, 3, n(ASSUMPTION_NAMES[spec.name]))
        book.define(n(ASSUMPTION_NAMES[spec.name]), sheet.ref(r, 1))
        r += 1

    r += 1
    sheet.text(r, 0, "Model structure (fixed when exported: new years or companies need a re-export)",
               book.fmt("section"), width=False)
    year_fmt = book.fmt("label", YEAR)
    for label, name, value in (("First model year", "first_year", f.first),
                               ("Last model year", "last_year", f.last),
                               ("Revenue path starts", "revenue_path_start", f.path_start)):
        r += 1
        sheet.text(r, 0, label)
        sheet.number(r, 1, value, year_fmt)
        sheet.text(r, 3, n(name))
        book.define(n(name), sheet.ref(r, 1))
        if name == "last_year":     # the model runs to the Horizon end: a new one needs new year columns
            sheet.formula(r, 4, f'=IF(MAX(INT({n("horizon_end")}),{n("first_year")})<>{n("last_year")},'
                                f'"the Horizon end changed: open this file in Bubblescope and export again to '
                                f'change the model\'s years","")', "", book.fmt("label_red"))

    r += 2
    sheet.text(r, 0, "Derived", book.fmt("section"), width=False)
    derived = (
        ("Score year used", "score_year_used", f"=MIN(MAX(INT({n('score_year')}),{n('first_year')}),"
         f"{n('last_year')})", f.results.score_year, YEAR, "the Score year, kept within the model's years"),
        ("Score year column", "score_column", f"={n('score_year_used')}-{n('first_year')}+1", f.score_t + 1,
         "0", "1 = the first model year"),
        ("Capital recovery factor", "capital_recovery_factor",
         f"=IF({n('perpetuity')}>=0.5,{n('discount_rate')},IF({n('discount_rate')}=0,1/{n('useful_life')},"
         f"{n('discount_rate')}/(1-(1+{n('discount_rate')})^-{n('useful_life')})))", f.crf, "0.0000",
         "CRF = r / (1 − (1 + r)^−L): yearly cash that repays 1 of capex over the useful life at the discount "
         "rate (r in perpetuity)"),
        ("GDP in the score year ($B)", "gdp_at_score_year",
         f"={n('gdp_base')}*(1+{n('gdp_growth')})^({n('score_year_used')}-{n('gdp_year')})", f.gdp_at_score,
         "#,##0", "GDP carried from its year at GDP growth"),
    )
    for label, name, formula, value, num_format, why in derived:
        r += 1
        sheet.text(r, 0, label)
        sheet.formula(r, 1, formula, value, book.fmt("label", num_format))
        sheet.text(r, 3, n(name))
        sheet.text(r, 4, why)
        book.define(n(name), sheet.ref(r, 1))

    if plan.is_base:        # one check for the whole workbook
        r += 2
        _write_recalculation_check(book, plan, sheet, r)
        r += 1
    if plan.market_mirror:
        _write_market_copy(book, plan, sheet, r + 3)
    sheet.set_width(0, 30)
    sheet.set_width(1, 14)
    sheet.set_width(2, 10)
    sheet.set_width(3, 26)
    sheet.set_width(4, 70)
    sheet.ws.freeze_panes(4, 1)
    return sheet


def _write_recalculation_check(book: Book, plan: Plan, sheet: Sheet, r: int) -> None:
    n = plan.name
    sheet.text(r, 0, "Recalculation check", book.fmt("section"), width=False)
    r += 1
    sheet.text(r, 0, "=1+1 (saved showing 3)")
    sheet.formula(r, 1, "=1+1", CANARY_STORED, book.fmt("canary"))
    sheet.formula(r, 2, f"=IF({sheet.ref(r, 1)}=2,\"recalculated\",\"NOT recalculated: values as exported\")",
                  "NOT recalculated: values as exported")
    sheet.comment(r, 1, "Deliberately stale: this cell holds =1+1 but was saved showing 3. A spreadsheet that "
                        "recalculates the workbook shows 2 (and 'recalculated' beside it); 3 means you are "
                        "looking at the values Bubblescope exported, not recalculated ones.")
    book.define(n("recalculation_check"), sheet.ref(r, 1))
    book.define(n("recalculation_status"), sheet.ref(r, 2))


def _write_market_copy(book: Book, plan: Plan, sheet: Sheet, top: int) -> None:
    """The Market sheet as this scenario reads it (its overrides in place), under the market_* names its score
    formulas read: text columns through T() and numbers through N(), so a blank reads as the Market sheet's own
    blank does in those formulas ("" and 0)."""
    table = plan.facts.scenario.market
    sheet.text(top, 0, "Market inputs as this scenario reads them: the Market sheet with this scenario's "
                       "overrides (Scenarios sheet)", book.fmt("section"), width=False)
    sheet.header(top + 1, 0, [table.schema.column(k).header for k in MARKET_NAMED], height=20)
    number = book.fmt("label", NUMBER)
    for i, record in enumerate(table.records()):
        for c, key in enumerate(MARKET_NAMED):
            cell, value = plan.input_cell("Market", i, key), record[key]
            if key in ("input", "company"):
                sheet.formula(top + 2 + i, c, f"=T({cell})", value if isinstance(value, str) else "")
            else:
                number_value = float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0
                sheet.formula(top + 2 + i, c, f"=N({cell})", number_value, book.fmt("label", YEAR) if key == "year"
                              else number)
    last = top + 1 + max(len(table), 1)
    for c, key in enumerate(MARKET_NAMED):
        book.define(plan.name(f"market_{key}"), sheet.span(top + 2, c, last, c))


def in_sector_formula(plan: Plan, company: str) -> str | None:
    """1 when the Capex sheet counts the company in the sector (blank means yes), else 0; None without a row."""
    row = plan.facts.capex_row.get(company)
    if row is None:
        return None
    c = plan.input_cell("Capex", row, "in_sector")
    return f'=IF(ISBLANK({c}),1,IF(OR({c}="no",{c}="n",{c}="false",{c}="0",{c}=0),0,1))'


def organic_revenue_formula(plan: Plan, company: str, year: str) -> str | None:
    """Organic AI revenue of ``company`` in the year held by ``year`` (a cell or expression), from its base year:
    base × Π(growth factors of the years after the base year up to t), or ÷ for t before the base year."""
    row = plan.facts.revenue_row.get(company)
    if row is None:
        return None
    b = plan.input_cell("Revenue", row, "base_year")
    base = plan.input_cell("Revenue", row, "base_revenue")
    i = plan.facts.companies.index(company)
    path_row = plan.path_row(i)
    factors = _factor_span(plan, path_row)
    start = plan.name("revenue_path_start")
    return (f"=IF({year}>{b},{base}*PRODUCT(INDEX({factors},1,{b}-{start}+1):INDEX({factors},1,{year}-{start})),"
            f"IF({year}<{b},{base}/PRODUCT(INDEX({factors},1,{year}-{start}+1):INDEX({factors},1,{b}-{start})),"
            f"{base}))")


def _factor_span(plan: Plan, row: int) -> str:
    first = plan.path_factor_col(plan.facts.path_start + 1)
    last = plan.path_factor_col(plan.facts.path_end)
    a = xl_rowcol_to_cell(row, first, True, True)
    z = xl_rowcol_to_cell(row, last, True, True)
    return f"{quote_sheetname(plan.sheets.revenue_path)}!{a}:{z}"


def write_revenue_path(book: Book, plan: Plan) -> Sheet:
    f = plan.facts
    sheet = book.add_sheet(plan.sheets.revenue_path)
    sheet.text(0, 0, "Revenue path: each company's growth factors (1 + growth used) and sector membership",
               book.fmt("title"), width=False)
    sheet.text(1, 0, "Organic AI revenue in year t = base AI revenue × the factors of the years after the base year "
                     "up to t (÷ the factors down to t for years before the base year). A blank growth cell on "
                     "the Revenue sheet uses the terminal growth.", book.fmt("subtitle"), width=False)
    years = list(range(f.path_start + 1, f.path_end + 1))
    sheet.header(HEADER_ROW, 0, ["Company", "In sector", f"AI revenue {f.first - 1} ($B)", *years], height=30)
    sheet.comment(HEADER_ROW, 1, "1 when the Capex sheet's 'In sector' is yes or blank. A company with no Capex "
                                 "row is outside the sector, as the model counts it.")
    flag = book.fmt("flag", FLAG)
    money = book.fmt("label", MONEY)
    factor = book.fmt("label", "0.000")
    growth_years = set(f.scenario.revenue.years)
    tg = plan.name("terminal_growth")
    for i, company in enumerate(f.companies):
        r = plan.path_row(i)
        sheet.text(r, 0, company)
        formula = in_sector_formula(plan, company)
        if formula is None:
            sheet.number(r, 1, 0, flag)
        else:
            sheet.formula(r, 1, formula, 1.0 if f.in_sector[i] else 0.0, flag)
        before = organic_revenue_formula(plan, company, f"({plan.name('first_year')}-1)")
        if before is not None:
            sheet.formula(r, 2, before, float(f.revenue_before_first[i]), money)
        rev_row = f.revenue_row.get(company)
        for k, year in enumerate(years):
            col = plan.path_factor_col(year)
            if rev_row is not None and year in growth_years:
                g = plan.input_cell("Revenue", rev_row, str(year))
                sheet.formula(r, col, f"=1+IF(ISNUMBER({g}),{g},{tg})", float(f.factors[i, k]), factor)
            else:
                sheet.formula(r, col, f"=1+{tg}", float(f.factors[i, k]), factor)
    for k in range(len(years)):
        sheet.set_width(plan.path_factor_col(years[k]), 8)
    sheet.set_width(2, 14)
    sheet.ws.freeze_panes(HEADER_ROW + 1, 1)
    return sheet
