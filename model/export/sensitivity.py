"""The Sensitivity sheet: the base's tornado of the sector NPV as a table and a native bar chart.

The numbers are the model's (``model.sensitivity.tornado``: compute() of each changed scenario), written as values:
a tornado is many whole recomputes, which a formula on this sheet cannot be. docs/export.md describes the sheet.
"""

from __future__ import annotations

from model.core.problems import Problem
from model.core.results import Results
from model.core.scenario import Scenario
from model.export.book import Book, Sheet
from model.export.summary import style_chart
from model.sensitivity.metrics import KIND_BY_NAME, Metric
from model.sensitivity.ranges import ranged_tornado
from model.sensitivity.tornado import DEFAULT_SWING, Tornado

SHEET = "Sensitivity"
CHART_BARS = 15                   # the chart shows the largest swings; the table lists every input
EXPORT_BUDGET_MS = 10_000.0       # a scenario too large to move every input one by one moves its coarse inputs
LARGEST_TORNADO = 250_000         # entities × years: beyond, one compute takes seconds (4,000 × 30 still moves some)
HEADER = ("Rank", "Input", "Swing used", "Low input", "High input", "Sector NPV at low ($B)",
          "Sector NPV at high ($B)", "Low − base ($B)", "High − base ($B)", "Swing ($B)", "Note")
LOW_DELTA, HIGH_DELTA = 7, 8      # the columns the chart draws
NOTE_WIDTH = 150                  # characters


def sector_npv_tornado(scenario: Scenario, problems: list[Problem] | None = None,
                       results: Results | None = None) -> Tornado:
    """What the sheet shows: each input over its Uncertainty sheet range (P5 to P95) where it has one, ±20%
    elsewhere, against the sector's NPV.

    Past LARGEST_TORNADO company-years (with ``results``, the export's compute() of ``scenario``) no input is moved:
    there one compute takes seconds, so the time budget would move none anyway, and the tornado's own compute of
    the base, beside the results the export holds, is what would take its memory past 1 GB at the import caps."""
    metric = Metric(KIND_BY_NAME["npv"])
    if results is not None and len(results.entities) * len(results.years) > LARGEST_TORNADO:
        base = metric.value(results)
        return Tornado(metric, base, metric.position(results, base), metric.text(results, base), (), DEFAULT_SWING, 0,
                       0.0, f"{len(results.entities) - 1:,} companies × {len(results.years)} years: too large to move "
                            "inputs within the export; run `main.py sensitivity FILE` for this tornado")
    return ranged_tornado(scenario, metric, problems=problems, budget_ms=EXPORT_BUDGET_MS)


def write_sensitivity(book: Book, result: Tornado) -> Sheet:
    sheet = book.add_sheet(SHEET, bands=None)     # a short sheet whose chart, added last, reads its rows
    ws = sheet.ws
    sheet.text(0, 0, f"Sensitivity: which inputs move the {result.metric.label}", book.fmt("title"), width=False)
    moved = (f"Each input moved over its range on the Uncertainty sheet (its P5 to P95: {result.ranged} inputs) or, "
             f"without one, {result.swing:.0%} down and up" if result.ranged else
             f"Each input moved {result.swing:.0%} down and up")
    sheet.text(1, 0, f"{moved} (within the template's bounds), every other input as entered; ranked by swing; "
                     f"'Swing used' says which. Base {result.metric.label}: {result.base_text}. Values computed by "
                     f"the model (docs/methodology.md, 'Sensitivity'); they do not recalculate.",
               book.fmt("subtitle"), width=False)
    notes = " ".join(n for n in (result.note, *result.notes) if n)
    if notes:
        sheet.text(2, 0, notes, book.fmt("subtitle"), width=False)
    top = 4
    sheet.header(top, 0, HEADER, height=32)
    money = book.fmt("num", "#,##0.0;[Red]-#,##0.0")
    base = result.base_position if result.base_position is not None else 0.0
    for k, bar in enumerate(result.bars):
        r = top + 1 + k
        sheet.number(r, 0, k + 1, book.fmt("num", "0"))
        sheet.text(r, 1, bar.input.label)
        sheet.text(r, 2, bar.swing_used)
        sheet.text(r, 3, bar.low_input, book.fmt("num"))
        sheet.text(r, 4, bar.high_input, book.fmt("num"))
        for col, value in ((5, bar.low_position), (6, bar.high_position)):
            sheet.number(r, col, value if value is not None else 0.0, money)
        sheet.number(r, LOW_DELTA, (bar.low_position or 0.0) - base, money)
        sheet.number(r, HIGH_DELTA, (bar.high_position or 0.0) - base, money)
        sheet.number(r, 9, bar.swing, money)
        if bar.note:
            sheet.text(r, 10, bar.note)
    used = min(max((len(b.swing_used) for b in result.bars), default=10) + 2, NOTE_WIDTH)
    for col, width in ((0, 6), (1, 44), (2, used), (3, 22), (4, 22)):
        sheet.set_width(col, width)
    for col in range(5, 10):
        sheet.set_width(col, 13)
    # The notes as wide as the longest (within reason), the chart after them: a note cut at the chart said little.
    sheet.set_width(10, min(max((len(b.note) for b in result.bars), default=10) + 2, NOTE_WIDTH))
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
    for col, name, colour in ((LOW_DELTA, "Input low", "#2F5597"), (HIGH_DELTA, "Input high", "#C55A11")):
        chart.add_series({"name": name, "categories": [sheet.name, first, 1, last, 1],
                          "values": [sheet.name, first, col, last, col], "fill": {"color": colour},
                          "overlap": 100, "gap": 40})
    style_chart(chart, f"Change in the {result.metric.label} from its base {result.base_text} ($B)", "$B",
                value_axis="x")
    chart.set_y_axis({"reverse": True, "label_position": "low", "num_font": {"size": 8}})
    sheet.ws.insert_chart(top, 12, chart, {"x_scale": 760 / 480, "y_scale": max(300, 26 * n + 90) / 288})
    book.charts += 1
