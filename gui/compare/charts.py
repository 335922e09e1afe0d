"""The compare view's charts: the chosen entity's (or the sector's) cumulative cash flow, its AI revenue against
the revenue its capex requires, and its bubble score by year on the Healthy / Boom / Bubble bands, with one line per
compared scenario in the scenario's colour (the base thick).

Like the result charts (``gui.results.charts``) they create a curve when a scenario appears and only re-set it afterwards.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QResizeEvent
from PySide6.QtWidgets import QWidget

from gui import theme
from gui.compare.rows import esc
from gui.results.charts import Chart, drop_items, sync_curve
from gui.results.score_history import bands
from model.core import formatting
from model.core.compare import Comparison
from model.core.results import SECTOR, Results


def _dot(color: QColor) -> str:
    return f"<span style='color:{color.name()}'>■</span>"


class ScenarioChart(Chart):
    """A chart of one entity with a line (or two) per compared scenario, in the scenario's colour."""

    def __init__(self, title: str, y_label: str, parent: QWidget | None = None) -> None:
        self.comparison: Comparison | None = None
        self.entity = SECTOR
        self.colors: dict[str, QColor] = {}
        self.identical: dict[str, str] = {}     # scenario -> the scenario whose line it equals, drawn dotted
        super().__init__(title, y_label, "Year", parent)

    def show_comparison(self, comparison: Comparison, entity: str, colors: dict[str, QColor]) -> None:
        self.comparison, self.entity, self.colors = comparison, entity, dict(colors)
        self.results = comparison.base          # the years, for the ticks and the hover
        self.update_count += 1
        self._set_year_ticks(comparison.base.years)
        self.refresh()

    def clear_comparison(self) -> None:
        self.comparison = None
        self.results = None
        self.refresh()

    def show_results(self, results: Results) -> None:   # a comparison, not one scenario's results
        raise TypeError("use show_comparison")

    def set_selected(self, company: str) -> None:
        self.entity = company or SECTOR
        if self.comparison is not None:
            self.refresh()

    def color_of(self, name: str) -> QColor:
        return self.colors.get(name, QColor(theme.OTHERS))

    def pen_width(self, name: str) -> float:
        assert self.comparison is not None
        return 3.6 if name == self.comparison.names[0] else 1.8

    def series(self, name: str, measure: str) -> tuple[np.ndarray, np.ndarray]:
        assert self.comparison is not None
        results = self.comparison.results[name]
        if self.entity not in results.entities:
            return np.zeros(0), np.zeros(0)
        return np.asarray(results.years, dtype=float), results.series_of(self.entity, measure)

    def sync(self, curves: dict[str, pg.PlotDataItem], measure: str, style: Qt.PenStyle = Qt.PenStyle.SolidLine
             ) -> list[np.ndarray]:
        """One curve per compared scenario in ``curves``: created when a scenario appears, re-set otherwise."""
        plot = self.getPlotItem()
        names = self.comparison.names if self.comparison is not None else ()
        drop_items(plot, curves, names)
        values = []
        for k, name in enumerate(names):
            x, y = self.series(name, measure)
            line = Qt.PenStyle.DotLine if name in self.identical else style
            pen = pg.mkPen(self.color_of(name), width=self.pen_width(name), style=line)
            curve = sync_curve(plot, curves, name, x, y, pen)
            # The base underneath: an alternative that equals it shows as a thin line on the thick one.
            curve.setZValue(1 if k == 0 else 2 + k)
            if len(y):
                values.append(y)
        return values

    def find_identical(self, *measures: str) -> None:
        """The scenarios whose lines (every one of ``measures``) equal those of a scenario listed before them: they
        would hide under it, so they are drawn dotted and named in the title."""
        self.identical = {}
        names = self.comparison.names if self.comparison is not None else ()
        drawn: list[tuple[str, list[np.ndarray]]] = []
        for name in names:
            ys = [self.series(name, m)[1] for m in measures]
            if all(len(y) for y in ys):
                twin = next((other for other, seen in drawn if all(
                    len(a) == len(b) and np.allclose(a, b, rtol=0, atol=1e-9) for a, b in zip(seen, ys, strict=True))),
                    None)
                if twin is not None:
                    self.identical[name] = twin
            drawn.append((name, ys))

    def identical_note(self, used: str = "") -> str:
        """`` ┄ Cloud rates hold = Base`` (dotted) for the scenarios whose lines lie on another's, the names
        shortened with "…" to what the chart's width leaves after ``used`` (the rest of the title's line)."""
        if not self.identical:
            return ""
        fm = self.fontMetrics()
        room = self.width() - 90 - fm.horizontalAdvance(used)
        each = max(room // len(self.identical) - fm.horizontalAdvance(" ┄  =  "), 4 * fm.averageCharWidth())
        pairs = []
        for a, b in self.identical.items():
            b_text = fm.elidedText(b, Qt.TextElideMode.ElideRight, each // 3)
            a_text = fm.elidedText(a, Qt.TextElideMode.ElideRight, each - fm.horizontalAdvance(b_text))
            pairs.append(f"<span style='color:{self.color_of(a).name()}'>┄</span> {esc(a_text)} = {esc(b_text)}")
        return " &nbsp; " + ", ".join(pairs)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.identical and self.comparison is not None:    # the shortened names follow the width
            self.refresh()

    def entity_title(self) -> str:
        return "Sector" if self.entity == SECTOR else esc(self.entity)

    def set_range(self, values: list[np.ndarray], floor_zero: bool = False) -> None:
        finite = [v[np.isfinite(v)] for v in values]
        finite = [v for v in finite if v.size]
        if not finite:
            return
        stacked = np.concatenate(finite)
        self.set_y_range(0.0 if floor_zero else float(stacked.min()), float(stacked.max()))

    def scenario_readout(self, heading: str, year: int, line: Callable[[Results], str]) -> str:
        """The hover text: ``heading``, then a line per compared scenario that has the entity in ``year``."""
        comparison = self.comparison
        if comparison is None:
            return ""
        lines = [heading]
        for name in comparison.names:
            results = comparison.results[name]
            if self.entity not in results.entities or year not in results.years:
                continue
            lines.append(f"{_dot(self.color_of(name))} {esc(name)}: {line(results)}")
        return "<br>".join(lines)


class CashFlowOverlay(ScenarioChart):
    """The chosen entity's cumulative cash flow, one line per scenario (the base thick); a dot at each payback."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Cumulative cash flow", "Cumulative cash flow ($B)", parent)
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.paybacks = pg.ScatterPlotItem(size=10, pxMode=True, antialias=True)
        self.paybacks.setZValue(50)
        self.getPlotItem().addItem(self.paybacks)

    def refresh(self) -> None:
        self.find_identical("cumulative_cash_flow")
        values = self.sync(self.curves, "cumulative_cash_flow")
        spots = []
        comparison = self.comparison
        if comparison is not None:
            for name in comparison.names:
                results = comparison.results[name]
                if self.entity not in results.entities:
                    continue
                payback = results.entity(self.entity).payback
                if payback.years is not None and not payback.nothing_to_pay_back:
                    spots.append({"pos": (results.years[0] + payback.years - 1.0, 0.0),
                                  "brush": pg.mkBrush(self.color_of(name)),
                                  "pen": pg.mkPen(self.palette().color(QPalette.ColorRole.Base), width=1.5),
                                  "data": name})
            # The "● payback" key only when a dot is drawn.
            if spots:
                key = "● payback" if self.identical else "● payback (crosses zero)"
            else:
                key = f"no scenario pays back by {comparison.base.years[-1]}"
            self.set_title(f"Cumulative cash flow · <b>{self.entity_title()}</b><br>{key}"
                           + self.identical_note(key))
        self.paybacks.setData(spots)
        self.set_range(values)

    def readout(self, year: int) -> str:
        def line(results: Results) -> str:
            payback = results.entity(self.entity).payback
            value = results.value(self.entity, "cumulative_cash_flow", year)
            return f"<b>{formatting.money(value)}</b> (payback {esc(formatting.years(payback))})"

        heading = f"<b>End of {year}</b> · {self.entity_title()} — cumulative cash flow"
        return self.scenario_readout(heading, year, line)


class RevenueOverlay(ScenarioChart):
    """The chosen entity's AI revenue (solid) against the revenue its capex requires (dashed), per scenario."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("AI revenue vs required", "AI revenue ($B)", parent)
        self.revenue_curves: dict[str, pg.PlotDataItem] = {}
        self.required_curves: dict[str, pg.PlotDataItem] = {}
        self.zero.hide()

    def refresh(self) -> None:
        self.find_identical("revenue", "required_revenue")
        values = self.sync(self.revenue_curves, "revenue")
        values += self.sync(self.required_curves, "required_revenue", Qt.PenStyle.DashLine)
        if self.comparison is not None:
            self.set_title(f"AI revenue vs required · <b>{self.entity_title()}</b><br>── AI revenue (reported) "
                           "&nbsp; ╌╌ required revenue" + self.identical_note("── AI revenue ╌╌ required revenue"))
        self.set_range(values, floor_zero=True)

    def readout(self, year: int) -> str:
        def line(results: Results) -> str:
            coverage = results.value(self.entity, "coverage", year)
            return (f"<b>{formatting.money(results.value(self.entity, 'revenue', year))}</b> / "
                    f"{formatting.money(results.value(self.entity, 'required_revenue', year))} "
                    f"({formatting.percent(coverage if math.isfinite(coverage) else None)})")

        heading = f"<b>{year}</b> · {self.entity_title()} — AI revenue / required (coverage)"
        return self.scenario_readout(heading, year, line)


class ScoreOverlay(ScenarioChart):
    """The chosen entity's bubble score in every model year, one line per scenario, over the Healthy / Boom /
    Bubble bands of the base's Assumptions (the window's score-by-year chart, ``gui.results.score_history``, for
    one scenario)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Bubble score by year", "Bubble score (0–100)", parent)
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.band_items: list[pg.LinearRegionItem] = []
        self.band_labels: list[pg.TextItem] = []
        self.band_cuts: tuple[tuple[float, float, str], ...] = ()
        self.zero.hide()
        self.getPlotItem().setYRange(0, 100, padding=0.06)     # room for the 0 and 100 tick labels

    def _sync_bands(self) -> None:
        """The three readings as tinted bands with their name at the right edge; re-made only when the cut-offs
        change (an Assumptions edit)."""
        assert self.comparison is not None
        cuts = bands(self.comparison.base)
        if cuts == self.band_cuts:
            return
        self.band_cuts = cuts
        plot = self.getPlotItem()
        for item in [*self.band_items, *self.band_labels]:
            plot.removeItem(item)
        self.band_items, self.band_labels = [], []
        last = self.comparison.base.years[-1] + 0.55
        for low, high, label in cuts:
            color = QColor(theme.LABEL_COLORS[label])
            fill = QColor(color)
            fill.setAlpha(34)
            region = pg.LinearRegionItem((low, high), orientation="horizontal", movable=False, brush=fill,
                                         pen=pg.mkPen(None))
            region.setZValue(-10)
            plot.addItem(region)
            self.band_items.append(region)
            text = pg.TextItem(f"{label} {low:g}–{high:g}", color=color, anchor=(1.0, 0.0 if high >= 100 else 0.5))
            text.setPos(last, high if high >= 100 else (low + high) / 2)
            text.setZValue(-5)
            plot.addItem(text, ignoreBounds=True)
            self.band_labels.append(text)
        plot.getAxis("left").setTicks([[(v, f"{v:g}") for v in (0.0, cuts[0][1], cuts[1][1], 100.0)], []])

    def refresh(self) -> None:
        self.find_identical("score")
        self.sync(self.curves, "score")
        comparison = self.comparison
        if comparison is not None:
            self._sync_bands()
            # the scenarios' dots grouped by the year they first read Bubble: "■■■■ 2026 · ■ never"
            firsts: dict[str, list[str]] = {}
            for name in comparison.names:
                results = comparison.results[name]
                if self.entity in results.entities:
                    year = results.entity(self.entity).first_year_labelled("Bubble")
                    firsts.setdefault(str(year or "never"), []).append(_dot(self.color_of(name)))
            key = "first Bubble year " + " · ".join(f"{''.join(dots)} {year}" for year, dots in firsts.items())
            used = "first Bubble year " + " · ".join(f"{'■' * len(dots)} {year}" for year, dots in firsts.items())
            self.set_title(f"Bubble score by year · <b>{self.entity_title()}</b><br>{key}" + self.identical_note(used))
        self.getPlotItem().setYRange(0, 100, padding=0.06)     # room for the 0 and 100 tick labels

    def readout(self, year: int) -> str:
        def line(results: Results) -> str:
            e = results.entity(self.entity)
            value = e.score_by_year.get(year)
            labels = dict(zip(e.history.years, e.history.labels, strict=True)) if e.history else {}
            return f"<b>{formatting.score(value)}</b> {esc(labels.get(year, ''))}"

        heading = f"<b>{year}</b> · {self.entity_title()} — bubble score"
        return self.scenario_readout(heading, year, line)
