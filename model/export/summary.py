"""The Summary sheet: what a colleague sees first — the sector's bubble score and label, a table per company
(payback simple, discounted and organic, payback ÷ useful life, NPV, IRR, coverage, score, label), and three
native charts (cumulative cash flow by company; the sector's AI revenue against the revenue it requires; each
indicator's contribution to the sector score)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import astuple
from typing import TYPE_CHECKING

import numpy as np
from xlsxwriter.chart import Chart
from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell

from model.core import formatting
from model.core.results import NOT_WITHIN_HORIZON, NOTHING_TO_PAY_BACK
from model.export.book import FLAG, PERCENT, RATIO, Book, Sheet
from model.export.facts import finite_or
from model.export.plan import HEADER_ROW, SUMMARY_COLUMNS, SUMMARY_HEADER_ROW, Plan, summary_row

if TYPE_CHECKING:
    from model.export.scenarios import Lineup

COMPARISON_SHEET = "Comparison"

CHART_WIDTH, CHART_HEIGHT = 520, 310   # pixels: two charts side by side span the table's width
IRR_FLOOR = -0.99         # below this an IRR is written as a value: Excel's and LibreOffice's IRR do not reach it
MAX_LINES = 10            # companies drawn in the cumulative cash-flow chart (in-sector, the largest by capex)
_PAYBACKS = (("cumulative_cash_flow", "cash_flow", "paid_back"),
             ("cumulative_discounted_cash_flow", "discounted_cash_flow", "paid_back_discounted"),
             ("cumulative_organic_cash_flow", "organic_cash_flow", "paid_back_organic"))
# A payback of exactly 0 only comes from a cumulative cash flow that is never negative (a recovery after a deficit
# takes at least a year): the format shows it as the model's words, the cell keeps the number.
PAYBACK = f'0.0;-0.0;"{NOTHING_TO_PAY_BACK}"'
_LABEL_COLOURS = {"Bubble": ("#FFC7CE", "#9C0006"), "Boom": ("#FFEB9C", "#9C5700"),
                  "Healthy": ("#C6EFCE", "#006100"), "No data": ("#EDEDED", "#595959")}


def payback_formula(plan: Plan, e: int, kind: int) -> str:
    """Years from the start of the first model year until the cumulative series is ≥ 0 after a deficit, the
    last year interpolated linearly; 0 when there is never a deficit; when it never is, what that is
    (``beyond_horizon_formula``)."""
    cum_key, flow_key, flag_key = _PAYBACKS[kind]
    cum, flow, flags = (plan.cash.span(k, e) for k in (cum_key, flow_key, flag_key))
    m = f"MATCH(1,{flags},0)"
    return (f'=IF(COUNTIF({cum},"<0")=0,0,IF(ISNA({m}),{beyond_horizon_formula(plan, e, kind)},'
            f"{m}-1-INDEX({cum},1,{m}-1)/INDEX({flow},1,{m})))")


def beyond_horizon_formula(plan: Plan, e: int, kind: int) -> str:
    """``formatting.beyond_horizon`` as a formula on the Cash flows sheet: the cumulative at the horizon's end
    (−$1.2T / −$486B, as ``formatting.big_money``) "at" the last year and, where the last cash flow is positive,
    "; ≈ year, beyond the horizon" with year = last year + ⌈shortfall ÷ last cash flow⌉ (compute's straight-line
    year, rounded up: docs/methodology.md, *Simple payback*), the ceiling written −INT(−x)."""
    cum_key, flow_key, _flag = _PAYBACKS[kind]
    grid = plan.cash
    t = grid.n_years - 1
    gap, last = grid.cell(cum_key, e, t), grid.cell(flow_key, e, t)
    year = f"{quote_sheetname(grid.sheet)}!{xl_rowcol_to_cell(HEADER_ROW, grid.last_col, True, True)}"
    # the shortfall is negative; FIXED writes it with the reader's own separators (TEXT's format codes would not
    # read the same in every locale)
    amount = f'IF(-{gap}>=999.95,FIXED(-{gap}/1000,1)&"T",FIXED(-{gap},0)&"B")'
    then = f'IF({last}>0,"; ≈ "&({year}-INT({gap}/{last}))&", {formatting.BEYOND_THE_HORIZON}","")'
    return f'"−$"&{amount}&" at "&{year}&{then}'


def write_summary(book: Book, plan: Plan, lineup: Lineup | None = None, k: int = 0) -> Sheet:
    """The Summary of scenario ``k`` of the lineup (0: the base, whose Summary opens the workbook)."""
    f = plan.facts
    results = f.results
    sheet = book.add_sheet(plan.sheets.summary)
    sheet.ws.fit_to_pages(1, 1)     # the Summary prints on one page: its charts are not cut between two
    ws = sheet.ws
    sheet.text(0, 0, "Bubblescope: does the AI build-out pay back?", book.fmt("title"), width=False)
    when = (f"model years {f.first}–{f.last} · exported {dt.date.today():%d %b %Y} · values computed by "
            f"Bubblescope; every result is a live formula on the input sheets")
    if plan.is_base:
        _wide_note(book, sheet, 1, f"Scenario: {f.scenario.name} · {when}", lines=1)
    else:
        assert lineup is not None
        count = lineup.override_count(k)
        _wide_note(book, sheet, 1, f"Scenario: {f.scenario.name} — the base with {count} override"
                                   f"{'' if count == 1 else 's'} (Scenarios sheet) · {when} and this scenario's "
                                   f"overrides", lines=1 + (len(f.scenario.name) + len(when) > 120))
    if lineup is not None and lineup.has_alternatives:
        _scenarios_line(book, sheet, lineup, k)
    _headline(book, plan, sheet)
    _table(book, plan, sheet)
    end = summary_row(f.n)
    notes = [
        f"Payback: years from the start of {f.first} until cumulative cash flow turns non-negative for good (interpolated "
        f"within the year); when it does not by the end of {f.last}, the shortfall then and, where the last cash flow "
        f"is positive, the year it would close the gap (“−$1.2T at {f.last}; ≈ 2041, {formatting.BEYOND_THE_HORIZON}”); "
        f"“{NOTHING_TO_PAY_BACK}” "
        f"when it is never negative. Discounted: on cash flows discounted at the discount rate. Organic: without "
        f"recycled (circular) revenue.",
        "Payback ÷ useful life above 1: the hardware is scrapped before it has paid for itself. Coverage: AI "
        "revenue ÷ the revenue the capex requires (Required revenue sheet).",
    ]
    for k, note in enumerate(notes):
        _wide_note(book, sheet, end + 2 + k, note, lines=max(2, math.ceil(len(note) / 150)))
    chart_row = end + 2 + len(notes) + 1
    _charts(book, plan, sheet, chart_row)
    r = chart_row + (2 * CHART_HEIGHT + 60) // 20 + 2
    # An export read back as a template warns about its own derived sheets: not news to the reader.
    own = set(astuple(plan.sheets))
    notes_from_model = [w for w in results.warnings if w.sheet not in own]
    if notes_from_model:
        sheet.text(r, 0, "Notes from the model", book.fmt("section"), width=False)
        for k, w in enumerate(notes_from_model, start=1):
            sheet.text(r + k, 0, str(w), width=False)
    ws.freeze_panes(SUMMARY_HEADER_ROW + 1, 1)
    ws.hide_gridlines(2)
    if plan.is_base:
        ws.activate()
    return sheet


def _scenarios_line(book: Book, sheet: Sheet, lineup: Lineup, k: int) -> None:
    """Row 3: which scenarios the workbook holds (on the base's Summary) or what this one assumes (on an
    alternative's), and a link to the Comparison sheet."""
    alternatives = lineup.names[1:]
    if k == 0:
        text = (f"{len(alternatives)} alternative scenario{'' if len(alternatives) == 1 else 's'} in this workbook, "
                f"each the base with the overrides listed on the Scenarios sheet, side by side on the Comparison "
                f"sheet: " + "; ".join(f"{name} ({plan.sheets.summary})"
                                       for name, plan in zip(alternatives, lineup.plans[1:], strict=True)) + ".")
    else:
        text = lineup.description(k) or f"The base with the overrides of {lineup.names[k]!r} (Scenarios sheet)."
    last = len(SUMMARY_COLUMNS) - 1
    fmt = book.fmt("note")
    sheet.ws.merge_range(2, 0, 2, last - 1, "", fmt)
    sheet.text(2, 0, text, fmt, width=False)
    sheet.internal_link(2, last, f"{quote_sheetname(COMPARISON_SHEET)}!A1", "Comparison ▸", book.fmt("link_top"),
                        width=False)
    sheet.ws.set_row(2, 15 * max(2, math.ceil(len(text) / 130)) + 2)


def _headline(book: Book, plan: Plan, sheet: Sheet) -> None:
    f, n = plan.facts, plan.name
    sector = f.results.sector.score
    score_sheet = quote_sheetname(plan.sheets.score)
    row = plan.score.score_row(f.n)
    comp, label, reds, missing = (f"{score_sheet}!{xl_rowcol_to_cell(row, c, True, True)}" for c in (1, 2, 3, 4))
    sheet.text(3, 0, "Sector bubble score", book.fmt("kicker"), width=False)
    sheet.formula(4, 0, f"={comp}", "no data" if sector.composite is None else sector.composite, book.fmt("big"))
    sheet.ws.merge_range(4, 1, 4, 2, "", book.fmt("big_label"))
    sheet.formula(4, 1, f"={label}", sector.label, book.fmt("big_label"))
    colour_labels(book, sheet, 4, 1, 4, 2)
    text = (f"{sector.red_count} red gauge(s) (score ≥ {sector.red_threshold:g}); {len(sector.missing)} "
            f"indicator(s) without data; score year {f.results.score_year}")
    sheet.formula(4, 3, f'={reds}&" red gauge(s) (score ≥ "&{n("red_gauge_score")}&"); "&{missing}&'
                        f'" indicator(s) without data; score year "&{n("score_year_used")}', text, book.fmt("aside"))
    _wide_note(book, sheet, 5, "0 healthy – 100 bubble, the weighted mean of the indicators with data (Bubble score "
                               "sheet). Label: Healthy below the boom score, Boom from it, Bubble from the bubble "
                               "score or with enough red gauges (thresholds on the Model sheet).", lines=2)
    sheet.ws.set_row(4, 40)


def _table(book: Book, plan: Plan, sheet: Sheet) -> None:
    f, n = plan.facts, plan.name
    sheet.header(SUMMARY_HEADER_ROW, 0, list(SUMMARY_COLUMNS), height=46)
    score_sheet = quote_sheetname(plan.sheets.score)
    req = plan.required
    for e, entity in enumerate(f.results.summaries):
        r = summary_row(e)
        bold = e == f.n

        def fmt(num_format: str = "", style: str = "num", bold: bool = bold) -> object:
            return book.fmt(style, num_format, bold=bold)

        sheet.text(r, 0, entity.name, fmt(style="label"))
        if bold:
            sheet.text(r, 1, "", fmt())
        else:
            sheet.formula(r, 1, f"={plan.in_sector_ref(e)}", 1.0 if entity.in_sector else 0.0, fmt(FLAG, "flag"))
        for kind, payback in enumerate((entity.payback, entity.discounted_payback, entity.organic_payback)):
            sheet.formula(r, 2 + kind, payback_formula(plan, e, kind),
                          formatting.beyond_horizon(payback) if payback.years is None else payback.years,
                          fmt(PAYBACK))
        pb = xl_rowcol_to_cell(r, 2)
        # nothing to pay back (payback 0) has no ratio to show: "–", never a healthy-looking 0
        sheet.formula(r, 5, f'=IF(ISNUMBER({pb}),IF({pb}>0,{pb}/{n("useful_life")},"–"),"{NOT_WITHIN_HORIZON}")',
                      "–" if entity.payback.nothing_to_pay_back else
                      finite_or(entity.payback_to_life, NOT_WITHIN_HORIZON), fmt(RATIO))
        npv = plan.cash.cell("cumulative_discounted_cash_flow", e, len(f.years) - 1)
        sheet.formula(r, 6, f"={npv}", entity.npv, fmt('$#,##0.0"B";[Red]-$#,##0.0"B"'))
        # IRR's Newton search starts from the model's IRR: with several roots, Excel and LibreOffice then find
        # the one the model reports (numpy-financial's convention: the root closest to zero).
        if entity.irr is not None and entity.irr <= IRR_FLOOR:
            sheet.number(r, 7, entity.irr, fmt(PERCENT))
            sheet.comment(r, 7, "The model's IRR. A spreadsheet's IRR cannot converge this close to −100% (the "
                                "money never comes back), so this cell holds the value, not a formula.")
        else:
            guess = "" if entity.irr is None else f",{entity.irr:.17G}"
            sheet.formula(r, 7, f'=IFERROR(IRR({plan.cash.span("cash_flow", e)}{guess}),"none")',
                          finite_or(entity.irr, "none"), fmt(PERCENT))
        sheet.formula(r, 8, f'=INDEX({req.span("coverage", e)},1,{n("score_column")})',
                      finite_or(entity.coverage, "n/a"), fmt(PERCENT))
        score_row = plan.score.score_row(e)
        composite = entity.score.composite
        sheet.formula(r, 9, f"={score_sheet}!{xl_rowcol_to_cell(score_row, 1, True, True)}",
                      "no data" if composite is None else composite, fmt("0"))
        sheet.formula(r, 10, f"={score_sheet}!{xl_rowcol_to_cell(score_row, 2, True, True)}", entity.score.label,
                      fmt(style="flag"))
    colour_labels(book, sheet, summary_row(0), 10, summary_row(f.n), 10)
    for c in range(2, len(SUMMARY_COLUMNS)):
        sheet.set_width(c, 12)
    # room for "not within horizon" and, in the payback columns, the longest payback beyond the horizon in words
    longest = max((len(formatting.beyond_horizon(p)) for entity in f.results.summaries
                   for p in (entity.payback, entity.discounted_payback, entity.organic_payback) if p.years is None),
                  default=0)
    for c in (2, 3, 4, 5):
        sheet.set_width(c, max(17, min(longest + 2, 46)) if c < 5 else 17)
    sheet.set_width(1, 9)
    sheet.note_width(0, 14)


def _wide_note(book: Book, sheet: Sheet, row: int, text: str, lines: int) -> None:
    """A note wrapped across the table's width (a long line would widen the printed page)."""
    sheet.ws.merge_range(row, 0, row, len(SUMMARY_COLUMNS) - 1, "", book.fmt("note_italic"))
    sheet.text(row, 0, text, book.fmt("note_italic"), width=False)
    sheet.ws.set_row(row, 15 * lines + 2)


def colour_labels(book: Book, sheet: Sheet, r1: int, c1: int, r2: int, c2: int) -> None:
    for label, (fill, font) in _LABEL_COLOURS.items():
        fmt = book.workbook.add_format({"bg_color": fill, "font_color": font})
        sheet.ws.conditional_format(r1, c1, r2, c2, {"type": "cell", "criteria": "==", "value": f'"{label}"',
                                                     "format": fmt})


def _charts(book: Book, plan: Plan, sheet: Sheet, row: int) -> None:
    f = plan.facts
    cash, years_last = plan.sheets.cash_flows, plan.cash.last_col
    categories: list[object] = [cash, HEADER_ROW, plan.cash.col(0), HEADER_ROW, years_last]
    wb = book.workbook

    # The sector's companies, largest capex first: a counterparty with no capex (Nvidia's +$2T) would flatten the
    # lines the chart is for. With no company in the sector, the largest spenders.
    total_capex = f.series("capex")[: f.n].sum(axis=1)
    in_sector = np.array(f.in_sector, dtype=bool)
    pool = np.flatnonzero(in_sector) if in_sector.any() else np.arange(f.n)
    drawn = sorted(pool[np.argsort(-total_capex[pool], kind="stable")][:MAX_LINES].tolist())
    if drawn:
        _line_chart(book, plan, sheet, row, drawn, categories)

    column = wb.add_chart({"type": "column", "subtype": "stacked"})
    s = f.n
    for key, colour in (("organic_revenue", "#2F5597"), ("recycled_revenue", "#F4B183")):
        r = plan.cash.row(key, s)
        column.add_series({"name": _series_name(key), "categories": categories,
                           "values": [cash, r, plan.cash.col(0), r, years_last], "fill": {"color": colour},
                           "gap": 60})
    required = wb.add_chart({"type": "line"})
    rr = plan.required.row("required_revenue", s)
    required.add_series({"name": "Required AI revenue", "categories": categories,
                         "values": [plan.sheets.required, rr, plan.required.col(0), rr, plan.required.last_col],
                         "line": {"color": "#C00000", "width": 2.5}, "marker": {"type": "none"}})
    column.combine(required)
    style_chart(column, "Sector AI revenue (organic + recycled) vs the revenue the capex requires", "$B")
    column.set_x_axis({"num_font": {"rotation": -45}})
    sheet.ws.insert_chart(row, 0, column, {"x_scale": CHART_WIDTH / 480, "y_scale": CHART_HEIGHT / 288,
                                           "x_offset": CHART_WIDTH + 16})
    book.charts += 1

    start, size = plan.score.block_start(f.n), plan.score.block_sizes[f.n]
    if size:
        bar = wb.add_chart({"type": "bar"})
        score = plan.sheets.score
        bar.add_series({"name": "Contribution (points)", "categories": [score, start, 1, start + size - 1, 1],
                        "values": [score, start, 9, start + size - 1, 9], "fill": {"color": "#2F5597"},
                        "data_labels": {"value": True, "num_format": "0.0"}})
        style_chart(bar, "Each indicator's contribution to the sector score (points)", "", value_axis="x")
        bar.set_legend({"none": True})
        bar.set_y_axis({"reverse": True, "interval_unit": 1, "num_font": {"size": 8}})
        sheet.ws.insert_chart(row, 0, bar, {"x_scale": CHART_WIDTH / 480, "y_scale": (CHART_HEIGHT + 40) / 288,
                                            "y_offset": CHART_HEIGHT + 16})
        book.charts += 1


def _line_chart(book: Book, plan: Plan, sheet: Sheet, row: int, drawn: list[int], categories: list[object]) -> None:
    """Cumulative cash flow of the drawn companies, each series named by its label cell (never by its text)."""
    cash, first, last = plan.sheets.cash_flows, plan.cash.col(0), plan.cash.last_col
    line = book.workbook.add_chart({"type": "line"})
    for i in drawn:
        r = plan.cash.row("cumulative_cash_flow", i)
        line.add_series({"name": [cash, r, 0], "categories": categories, "values": [cash, r, first, r, last],
                         "line": {"width": 2.0}})
    more = f" (the {MAX_LINES} largest by capex)" if plan.facts.n > MAX_LINES else ""
    style_chart(line, f"Cumulative cash flow by company{more}", "$B")
    line.set_x_axis({"name": "", "num_font": {"rotation": -45}, "label_position": "low"})
    sheet.ws.insert_chart(row, 0, line, {"x_scale": CHART_WIDTH / 480, "y_scale": CHART_HEIGHT / 288})
    book.charts += 1


def _series_name(key: str) -> str:
    return {"organic_revenue": "Organic AI revenue", "recycled_revenue": "Recycled AI revenue (from deals)"}[key]


def style_chart(chart: Chart, title: str, unit: str, value_axis: str = "y") -> None:
    """Title, legend below, light gridlines on the value axis (XlsxWriter's x axis for a bar chart)."""
    chart.set_title({"name": title, "name_font": {"size": 11, "bold": True}})
    chart.set_legend({"position": "bottom"})
    axis = {"name": unit, "num_format": "#,##0", "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}}
    (chart.set_x_axis if value_axis == "x" else chart.set_y_axis)(axis)
    chart.set_chartarea({"border": {"none": True}})
