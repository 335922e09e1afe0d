"""The Comparison sheet: every scenario of the export side by side, each with its difference to the base.

Top: the sector under each scenario (bubble score, label, payback, NPV, coverage, the overrides, a link to the
scenario's Summary) and two native charts (the sector's cumulative cash flow under each scenario; its bubble score
under each). Below, one block per metric of ``model.core.compare.METRICS`` and the label: the sector and each company
down, the scenarios across, each followed by its difference to the base. Last, the score trajectories: the bubble
score of every model year, per entity and scenario, and a native chart of the sector's on the Healthy / Boom /
Bubble bands.

Every value is a formula on that scenario's Summary sheet (where a payback beyond the horizon reads as
``formatting.beyond_horizon`` says it), and every difference a formula on the values
beside it, so they stay live; each stores what ``compare(book)`` gives (tests/test_export_scenarios.py checks it).
The trajectories are values, as on the Score by year sheet: the Bubble score sheets recompute the score year live.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell

from model.core import formatting
from model.core.compare import METRICS, Comparison
from model.core.results import NOT_WITHIN_HORIZON, SECTOR, Payback
from model.export.book import PERCENT, RATIO, Book, Sheet
from model.export.facts import finite_or
from model.export.plan import HEADER_ROW, SUMMARY_COLUMNS, Plan, summary_row
from model.export.scenarios import COMPARISON_SHEET, Lineup
from model.export.summary import CHART_HEIGHT, PAYBACK, colour_labels, style_chart

NO_DATA, NOT_AVAILABLE = "no data", "n/a"
SAME = "="
LABEL = "label"     # the block after the metrics: each scenario's label


@dataclass(frozen=True)
class Shown:
    """How one metric appears: its title, the Summary column it is read from, the text a cell shows without a
    value, the differences' texts when only the scenario / only the base lacks a value, and number formats."""

    title: str
    summary_column: str
    missing: str
    lost: str          # the scenario has no value, the base has one (compare's difference is +inf)
    gained: str        # the base has none, the scenario has one (-inf)
    value_format: str
    delta_format: str


_YEARS_DELTA = '+0.0" y";"−"0.0" y";"="'
SHOWN: dict[str, Shown] = {
    "payback": Shown("Payback (years)", "Payback (years)", NOT_WITHIN_HORIZON, "never pays back", "now pays back",
                     PAYBACK, _YEARS_DELTA),
    "discounted_payback": Shown("Discounted payback (years)", "Discounted payback (years)", NOT_WITHIN_HORIZON,
                                "never pays back", "now pays back", PAYBACK, _YEARS_DELTA),
    "organic_payback": Shown("Organic payback (years)", "Organic payback (years)",
                             NOT_WITHIN_HORIZON, "never pays back", "now pays back", PAYBACK, _YEARS_DELTA),
    "payback_to_life": Shown("Payback ÷ useful life", "Payback ÷ useful life",
                             NOT_WITHIN_HORIZON, "never pays back", "now pays back", RATIO,
                             '+0.00"×";"−"0.00"×";"="'),
    "npv": Shown("NPV ($B)", "NPV ($B)", NO_DATA,
                 "now no value", "now a value", '$#,##0.0"B";[Red]-$#,##0.0"B"',
                 '+$#,##0.0"B";[Red]"−"$#,##0.0"B";"="'),
    "coverage": Shown("Coverage in the score year (Δ in % points)",
                      "Coverage in the score year", NOT_AVAILABLE, "now n/a", "was n/a", PERCENT,
                      '+0.0%;"−"0.0%;"="'),
    "score": Shown("Bubble score (0–100)", "Bubble score", NO_DATA, "now no data", "was no data",
                   "0.0", '+0.0;"−"0.0;"="'),
}
assert set(SHOWN) == {m.key for m in METRICS}
LABEL_COLUMN = SUMMARY_COLUMNS.index("Label")

GLANCE_TOP = 3              # the section title; the table's header below it
GLANCE_COLUMNS = ("Scenario", "Payback (years)", "Bubble score", "Label", "NPV ($B)", "Coverage in the score year",
                  "Overrides", "Its sheets")
_GLANCE_READS = (None, "payback", "score", LABEL, "npv", "coverage")
GLANCE_SCORE_COL = _GLANCE_READS.index("score")
CHART_ROWS = (CHART_HEIGHT + 30) // 20 + 1
CHART_WIDTH = 600       # pixels: the two charts side by side span the blocks' width


@dataclass(frozen=True)
class ComparisonLayout:
    n_scenarios: int
    n_entities: int                 # companies + the sector

    def glance_row(self, k: int) -> int:
        return GLANCE_TOP + 2 + k

    @property
    def chart_row(self) -> int:
        return self.glance_row(self.n_scenarios) + 1

    @property
    def blocks_top(self) -> int:
        return self.chart_row + CHART_ROWS + 1

    def block_top(self, m: int) -> int:
        """The header row of block ``m`` (0..6: METRICS, 7: the label)."""
        return self.blocks_top + m * (self.n_entities + 2)

    @property
    def trajectory_top(self) -> int:
        """The header row of the score trajectories, after the label block."""
        return self.block_top(len(METRICS) + 1) + 1

    def trajectory_row(self, d: int, k: int) -> int:
        """Row of displayed entity ``d``'s trajectory under scenario ``k``."""
        return self.trajectory_top + 1 + d * self.n_scenarios + k

    @property
    def bands_top(self) -> int:
        """The three rows of the chart's Healthy / Boom / Bubble bands, below the trajectories."""
        return self.trajectory_row(self.n_entities, 0) + 1

    @property
    def trajectory_chart_row(self) -> int:
        return self.bands_top + 4

    def row(self, m: int, d: int) -> int:
        """Row of displayed entity ``d`` (0: the sector, then the companies in the base's order) in block m."""
        return self.block_top(m) + 1 + d

    @staticmethod
    def value_col(k: int) -> int:
        """Column of scenario k's value (0: the base, in B); the difference to the base follows it."""
        return 1 if k == 0 else 2 * k

    @staticmethod
    def delta_col(k: int) -> int:
        return 2 * k + 1


def layout_of(lineup: Lineup) -> ComparisonLayout:
    return ComparisonLayout(len(lineup.plans), len(lineup.comparison.entities()))


def displayed_entities(comparison: Comparison) -> tuple[str, ...]:
    """The sector first, then the companies in the base's order."""
    entities = comparison.entities()
    return (SECTOR,) + tuple(e for e in entities if e != SECTOR)


PAYBACK_METRICS = ("payback", "discounted_payback", "organic_payback")


def cell_value(comparison: Comparison, name: str, entity: str, metric: str) -> float | str:
    """What a value cell shows: compare()'s number, or the metric's text where there is none ("–" for payback ÷
    life when there is nothing to pay back, as the Summary shows it; a payback beyond the horizon as
    ``formatting.beyond_horizon``, the text of every other view)."""
    e = comparison.results[name].entity(entity)
    if metric == "payback_to_life" and e.payback.nothing_to_pay_back:
        return "–"
    value = comparison.value(name, entity, metric)
    if metric in PAYBACK_METRICS and value is None:
        payback: Payback = getattr(e, metric)
        return formatting.beyond_horizon(payback)
    return finite_or(value, SHOWN[metric].missing)


def delta_value(now: float | str, then: float | str, metric: str) -> float | str:
    """The difference cell's value, as its formula computes it from the two cells."""
    shown = SHOWN[metric]
    if isinstance(now, float) and isinstance(then, float):
        return now - then
    if isinstance(then, float):
        return shown.lost
    return shown.gained if isinstance(now, float) else SAME


def write_comparison(book: Book, lineup: Lineup) -> Sheet:
    lay = layout_of(lineup)
    sheet = book.add_sheet(COMPARISON_SHEET, bands=None)  # a row per scenario; its chart, added last, reads them
    sheet.ws.set_tab_color(lineup.tab_colour(0))
    sheet.text(0, 0, "Scenarios compared: the same results under each scenario", book.fmt("title"), width=False)
    last_col = lay.delta_col(lay.n_scenarios - 1)
    sheet.ws.merge_range(1, 0, 1, last_col, "", book.fmt("note_italic"))
    sheet.text(1, 0, "Each scenario is the base with the overrides listed on the Scenarios sheet, computed on its own "
                     "sheets (Summary, Cash flows … with its name in brackets). Every number here is a formula on "
                     "those sheets; Δ = the scenario minus the base (= where nothing changes). Change a base input "
                     "and every scenario that does not override it moves.", book.fmt("note_italic"), width=False)
    sheet.ws.set_row(1, 32)
    _glance(book, lineup, sheet, lay)
    _charts(book, lineup, sheet, lay)
    for m, metric in enumerate(METRICS):
        _metric_block(book, lineup, sheet, lay, m, metric.key)
    _label_block(book, lineup, sheet, lay, len(METRICS))
    _trajectories(book, lineup, sheet, lay)
    sheet.set_width(0, 30)
    for k in range(lay.n_scenarios):
        sheet.set_width(lay.value_col(k), 18)      # "not within horizon", "nothing to pay back"
        if k:
            sheet.set_width(lay.delta_col(k), 14)
    sheet.ws.freeze_panes(0, 1)
    sheet.ws.hide_gridlines(2)
    return sheet


def _summary_cell(plan: Plan, entity: str, column: int) -> str | None:
    """The absolute reference of an entity's cell on a scenario's Summary table; None if it has no such entity."""
    names = plan.facts.results.entities
    if entity not in names:
        return None
    e = names.index(entity)
    return f"{quote_sheetname(plan.sheets.summary)}!{xl_rowcol_to_cell(summary_row(e), column, True, True)}"


def _glance(book: Book, lineup: Lineup, sheet: Sheet, lay: ComparisonLayout) -> None:
    sheet.text(GLANCE_TOP, 0, "The sector under each scenario", book.fmt("kicker"), width=False)
    sheet.header(GLANCE_TOP + 1, 0, list(GLANCE_COLUMNS[:1]), height=30)
    label_col, count_col, link_col = _GLANCE_READS.index(LABEL), len(_GLANCE_READS), len(_GLANCE_READS) + 1
    for c, title in enumerate(GLANCE_COLUMNS[1:], start=1):
        style = {label_col: "header_center", count_col: "header_center", link_col: "header"}.get(c, "header_right")
        sheet.text(GLANCE_TOP + 1, c, title, book.fmt(style), width=False)
    comparison = lineup.comparison
    link = book.fmt("link")
    for k, (name, plan) in enumerate(zip(lineup.names, lineup.plans, strict=True)):
        r = lay.glance_row(k)
        sheet.text(r, 0, name, book.fmt("wrap", bold=False) if k else book.fmt("label", bold=False))
        description = lineup.description(k)
        if description:
            sheet.comment(r, 0, description)
        for c, metric in enumerate(_GLANCE_READS[1:], start=1):
            if metric == LABEL:
                ref = _summary_cell(plan, SECTOR, LABEL_COLUMN)
                sheet.formula(r, c, f"={ref}", comparison.results[name].sector.score.label, book.fmt("flag"))
                continue
            shown = SHOWN[metric]
            ref = _summary_cell(plan, SECTOR, SUMMARY_COLUMNS.index(shown.summary_column))
            fmt = "0.0" if metric == "score" else shown.value_format
            sheet.formula(r, c, f"={ref}", cell_value(comparison, name, SECTOR, metric), book.fmt("num", fmt))
        sheet.number(r, count_col, lineup.override_count(k), book.fmt("flag", "0"))
        sheet.internal_link(r, link_col, f"{quote_sheetname(plan.sheets.summary)}!A1", plan.sheets.summary, link,
                            width=False)
    colour_labels(book, sheet, lay.glance_row(0), label_col, lay.glance_row(lay.n_scenarios - 1), label_col)


def _charts(book: Book, lineup: Lineup, sheet: Sheet, lay: ComparisonLayout) -> None:
    wb = book.workbook
    line = wb.add_chart({"type": "scatter", "subtype": "straight"})
    for k, plan in enumerate(lineup.plans):
        cash, grid = plan.sheets.cash_flows, plan.cash
        r = grid.row("cumulative_cash_flow", plan.facts.n)
        line.add_series({"name": [COMPARISON_SHEET, lay.glance_row(k), 0],
                         "categories": [cash, HEADER_ROW, grid.col(0), HEADER_ROW, grid.last_col],
                         "values": [cash, r, grid.col(0), r, grid.last_col],
                         "line": {"color": lineup.tab_colour(k), "width": 2.75 if k == 0 else 2.0}})
    style_chart(line, "The sector's cumulative cash flow under each scenario", "$B")
    first_year = min(plan.facts.first for plan in lineup.plans)
    last_year = max(plan.facts.last for plan in lineup.plans)
    line.set_x_axis({"num_format": "0", "major_gridlines": {"visible": False}, "num_font": {"rotation": -45},
                     "label_position": "low", "major_unit": 1, "min": first_year, "max": last_year})
    sheet.ws.insert_chart(lay.chart_row, 0, line, {"x_scale": CHART_WIDTH / 480, "y_scale": CHART_HEIGHT / 288})
    book.charts += 1

    bars = wb.add_chart({"type": "column"})
    first, last = lay.glance_row(0), lay.glance_row(lay.n_scenarios - 1)
    bars.add_series({"name": [COMPARISON_SHEET, GLANCE_TOP + 1, GLANCE_SCORE_COL],
                     "categories": [COMPARISON_SHEET, first, 0, last, 0],
                     "values": [COMPARISON_SHEET, first, GLANCE_SCORE_COL, last, GLANCE_SCORE_COL],
                     "points": [{"fill": {"color": lineup.tab_colour(k)}} for k in range(lay.n_scenarios)],
                     "data_labels": {"value": True, "num_format": "0"}, "gap": 80})
    style_chart(bars, "The sector's bubble score under each scenario (0 healthy – 100 bubble)", "")
    bars.set_legend({"none": True})
    bars.set_y_axis({"min": 0, "max": 100, "major_unit": 25})
    bars.set_x_axis({"num_font": {"size": 8}})
    sheet.ws.insert_chart(lay.chart_row, 0, bars, {"x_scale": CHART_WIDTH / 480, "y_scale": CHART_HEIGHT / 288,
                                                   "x_offset": CHART_WIDTH + 16})
    book.charts += 1


def _block_header(book: Book, lineup: Lineup, sheet: Sheet, lay: ComparisonLayout, m: int, title: str) -> None:
    top = lay.block_top(m)
    sheet.text(top, 0, title, book.fmt("header"), width=False)
    fmt = book.fmt("header_right")
    for k, plan in enumerate(lineup.plans):
        sheet.text(top, lay.value_col(k), "Base" if k == 0 else plan.suffix, fmt, width=False)
        if k:
            sheet.text(top, lay.delta_col(k), "Δ vs base", fmt, width=False)
    sheet.ws.set_row(top, 20)


def _metric_block(book: Book, lineup: Lineup, sheet: Sheet, lay: ComparisonLayout, m: int, metric: str) -> None:
    shown = SHOWN[metric]
    comparison = lineup.comparison
    _block_header(book, lineup, sheet, lay, m, shown.title)
    column = SUMMARY_COLUMNS.index(shown.summary_column)
    for d, entity in enumerate(displayed_entities(comparison)):
        r = lay.row(m, d)
        bold = entity == SECTOR
        sheet.text(r, 0, entity, book.fmt("label", bold=bold))
        base_value = cell_value(comparison, lineup.names[0], entity, metric)
        base_cell = xl_rowcol_to_cell(r, lay.value_col(0))
        for k, (name, plan) in enumerate(zip(lineup.names, lineup.plans, strict=True)):
            ref = _summary_cell(plan, entity, column)
            fmt = book.fmt("num", shown.value_format, bold=bold)
            if ref is None:         # a company this scenario does not have (an override renamed it)
                sheet.text(r, lay.value_col(k), "—", fmt)
                continue
            value = cell_value(comparison, name, entity, metric)
            sheet.formula(r, lay.value_col(k), f"={ref}", value, fmt)
            if k == 0:
                continue
            now = xl_rowcol_to_cell(r, lay.value_col(k))
            sheet.formula(r, lay.delta_col(k),
                          f'=IF(AND(ISNUMBER({now}),ISNUMBER({base_cell})),{now}-{base_cell},'
                          f'IF(ISNUMBER({base_cell}),"{shown.lost}",IF(ISNUMBER({now}),"{shown.gained}","{SAME}")))',
                          delta_value(value, base_value, metric), book.fmt("delta", shown.delta_format, bold=bold))


def _label_block(book: Book, lineup: Lineup, sheet: Sheet, lay: ComparisonLayout, m: int) -> None:
    comparison = lineup.comparison
    _block_header(book, lineup, sheet, lay, m, "Label (Healthy / Boom / Bubble)")
    for d, entity in enumerate(displayed_entities(comparison)):
        r = lay.row(m, d)
        bold = entity == SECTOR
        sheet.text(r, 0, entity, book.fmt("label", bold=bold))
        base_cell = xl_rowcol_to_cell(r, lay.value_col(0))
        base_label = comparison.results[lineup.names[0]].entity(entity).score.label
        for k, (name, plan) in enumerate(zip(lineup.names, lineup.plans, strict=True)):
            ref = _summary_cell(plan, entity, LABEL_COLUMN)
            fmt = book.fmt("flag", bold=bold)
            if ref is None:
                sheet.text(r, lay.value_col(k), "—", fmt)
                continue
            label = comparison.results[name].entity(entity).score.label
            sheet.formula(r, lay.value_col(k), f"={ref}", label, fmt)
            if k:
                now = xl_rowcol_to_cell(r, lay.value_col(k))
                sheet.formula(r, lay.delta_col(k), f'=IF({now}={base_cell},"{SAME}",{base_cell}&" → "&{now})',
                              SAME if label == base_label else f"{base_label} → {label}",
                              book.fmt("delta", "", bold=bold))
    for k in range(lay.n_scenarios):
        c = lay.value_col(k)
        colour_labels(book, sheet, lay.row(m, 0), c, lay.row(m, lay.n_entities - 1), c)


def _trajectories(book: Book, lineup: Lineup, sheet: Sheet, lay: ComparisonLayout) -> None:
    """The bubble score of every model year per entity and scenario (``EntityResult.score_by_year``; "–" for a
    year with no indicator data), and a chart of the sector's trajectories over the base's Healthy / Boom / Bubble
    bands (a stacked area of the band widths under one line per scenario)."""
    comparison = lineup.comparison
    base = comparison.base
    years = base.years
    top = lay.trajectory_top
    sheet.text(top - 1, 0, "The bubble score in every year, under each scenario (values, as computed: the Bubble "
                           "score sheets recompute the score year live)", book.fmt("kicker"), width=False)
    sheet.text(top, 0, "Bubble score by year", book.fmt("header"), width=False)
    for t, year in enumerate(years):
        sheet.number(top, 1 + t, float(year), book.fmt("header_right", "0"))
    sheet.ws.set_row(top, 20)
    for d, entity in enumerate(displayed_entities(comparison)):
        for k, (name, plan) in enumerate(zip(lineup.names, lineup.plans, strict=True)):
            r = lay.trajectory_row(d, k)
            bold = entity == SECTOR
            sheet.text(r, 0, f"{entity} · {'Base' if k == 0 else plan.suffix}", book.fmt("label", bold=bold))
            results = comparison.results[name]
            by_year = results.entity(entity).score_by_year if entity in results.entities else {}
            for t, year in enumerate(years):
                value = by_year.get(year)
                if value is None:
                    sheet.text(r, 1 + t, "–", book.fmt("num", "0.0", bold=bold))
                else:
                    sheet.number(r, 1 + t, float(value), book.fmt("num", "0.0", bold=bold))
    boom, bubble = base.assumptions["Boom score"], base.assumptions["Bubble score"]
    bands = (("Healthy", 0.0, boom, "#C6EFCE"), ("Boom", boom, bubble, "#FFEB9C"),
             ("Bubble", bubble, 100.0, "#FFC7CE"))
    chart = book.workbook.add_chart({"type": "area", "subtype": "stacked"})
    last = len(years)
    categories = [COMPARISON_SHEET, top, 1, top, last]
    for b, (label, low, high, colour) in enumerate(bands):
        r = lay.bands_top + b          # the chart stacks the bands' widths
        sheet.text(r, 0, f"{label} band ({low:g}–{high:g})", book.fmt("label", bold=False))
        for t in range(len(years)):
            sheet.number(r, 1 + t, float(high - low), book.fmt("num", "0"))
        chart.add_series({"name": [COMPARISON_SHEET, r, 0], "categories": categories,
                          "values": [COMPARISON_SHEET, r, 1, r, last], "fill": {"color": colour},
                          "border": {"none": True}})
    lines = book.workbook.add_chart({"type": "line"})
    for k in range(lay.n_scenarios):
        r = lay.trajectory_row(0, k)
        lines.add_series({"name": [COMPARISON_SHEET, r, 0], "categories": categories,
                          "values": [COMPARISON_SHEET, r, 1, r, last],
                          "line": {"color": lineup.tab_colour(k), "width": 2.75 if k == 0 else 2.0},
                          "marker": {"type": "none"}})
    chart.combine(lines)
    style_chart(chart, "The sector's bubble score by year under each scenario (bands: Healthy, Boom, Bubble)", "")
    chart.set_y_axis({"min": 0, "max": 100, "major_unit": 10, "num_format": "0",
                      "major_gridlines": {"visible": False}})
    chart.set_x_axis({"num_font": {"rotation": -45}})
    sheet.ws.insert_chart(lay.trajectory_chart_row, 0, chart,
                          {"x_scale": CHART_WIDTH / 480, "y_scale": CHART_HEIGHT / 288})
    book.charts += 1
