"""The Sensitivity sheet: the base's tornado of the sector NPV as a table and a native bar chart.

The numbers are the model's (``model.sensitivity.tornado``: compute() of each changed scenario), written as values:
a tornado is many whole recomputes, which a formula on this sheet cannot be. docs/export.md describes the sheet.
"""

from __future__ import annotations

from model.core.problems import Problem
from model.core.scenario import Scenario
from model.export.book import Book, Sheet
from model.export.summary import style_chart
from model.sensitivity.metrics import KIND_BY_NAME, Metric
from model.sensitivity.tornado import Tornado, tornado

SHEET = "Sensitivity"
CHART_BARS = 15                   # the chart shows the largest swings; the table lists every input
EXPORT_BUDGET_MS = 10_000.0       # a scenario too large to move every input one by one moves its coarse inputs
HEADER = ("Rank", "Input", "Low input", "High input", "Sector NPV at low ($B)", "Sector NPV at high ($B)",
          "Low − base ($B)", "High − base ($B)", "Swing ($B)")


def sector_npv_tornado(scenario: Scenario, problems: list[Problem] | None = None) -> Tornado:
    """What the sheet shows: each input ±20% against the sector's NPV."""
    return tornado(scenario, Metric(KIND_BY_NAME["npv"]), problems=problems, budget_ms=EXPORT_BUDGET_MS)


def write_sensitivity(book: Book, result: Tornado) -> Sheet:
    sheet = book.add_sheet(SHEET, bands=None)     # a short sheet whose chart, added last, reads its rows
    ws = sheet.ws
    sheet.text(0, 0, f"Sensitivity: which inputs move the {result.metric.label}", book.fmt("title"), width=False)
    sheet.text(1, 0, f"Each input moved {result.swing:.0%} down and up (within the template's bounds), every other "
                     f"input as entered; ranked by swing. Base {result.metric.label}: {result.base_text}. Values "
                     f"computed by the model (docs/methodology.md, 'Sensitivity'); they do not recalculate.",
               book.fmt("subtitle"), width=False)
    if result.note:
        sheet.text(2, 0, result.note, book.fmt("subtitle"), width=False)
    top = 4
    sheet.header(top, 0, HEADER, height=32)
    money = book.fmt("num", "#,##0.0;[Red]-#,##0.0")
    base = result.base_position if result.base_position is not None else 0.0
    for k, bar in enumerate(result.bars):
        r = top + 1 + k
        sheet.number(r, 0, k + 1, book.fmt("num", "0"))
        sheet.text(r, 1, bar.input.label)
        sheet.text(r, 2, bar.low_input, book.fmt("num"))
        sheet.text(r, 3, bar.high_input, book.fmt("num"))
        for col, value in ((4, bar.low_position), (5, bar.high_position)):
            sheet.number(r, col, value if value is not None else 0.0, money)
        sheet.number(r, 6, (bar.low_position or 0.0) - base, money)
        sheet.number(r, 7, (bar.high_position or 0.0) - base, money)
        sheet.number(r, 8, bar.swing, money)
    for col, width in ((0, 6), (1, 44), (2, 22), (3, 22)):
        sheet.set_width(col, width)
    for col in range(4, 9):
        sheet.set_width(col, 13)
    ws.freeze_panes(top + 1, 2)
    if result.bars:
        _chart(book, sheet, result, top)
    return sheet


def _chart(book: Book, sheet: Sheet, result: Tornado, top: int) -> None:
    """A tornado as Excel draws one: two bar series (low − base, high − base) overlapping on one row per input,
    the largest swing at the top."""
    n = min(CHART_BARS, len(result.bars))
    first, last = top + 1, top + n
    chart = book.workbook.add_chart({"type": "bar"})
    for col, name, colour in ((6, "Input low", "#2F5597"), (7, "Input high", "#C55A11")):
        chart.add_series({"name": name, "categories": [sheet.name, first, 1, last, 1],
                          "values": [sheet.name, first, col, last, col], "fill": {"color": colour},
                          "overlap": 100, "gap": 40})
    style_chart(chart, f"Change in the {result.metric.label} from its base {result.base_text} ($B)", "$B",
                value_axis="x")
    chart.set_y_axis({"reverse": True, "label_position": "low", "num_font": {"size": 8}})
    sheet.ws.insert_chart(top, 10, chart, {"x_scale": 760 / 480, "y_scale": max(300, 26 * n + 90) / 288})
    book.charts += 1
