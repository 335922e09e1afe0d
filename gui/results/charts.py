"""The three charts: cumulative cash flow with the payback points, AI revenue against required revenue, capex.

Each chart creates its plot items once and updates them in place (``setData`` / ``setOpts``) when results arrive;
items are only added or removed when a company appears or disappears. Hovering shows the values of the year under
the cursor; the selected company is drawn on top, the others faded.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QContextMenuEvent, QCursor, QPalette, QPen, QResizeEvent
from PySide6.QtWidgets import QGraphicsItem, QGraphicsTextItem, QToolTip, QWidget

from gui import theme
from gui.results import palette_map
from gui.results.chart_export import chart_menu
from model.core import formatting
from model.core.results import Results

# Antialiasing where it shows (sloped lines, round dots), not on bars and fills: about 1 ms less per edit.
pg.setConfigOptions(antialias=False)


def _faded(color: QColor, alpha: int = 70) -> QColor:
    out = QColor(color)
    out.setAlpha(alpha)
    return out


def nice_range(low: float, high: float) -> tuple[float, float]:
    """The data's range, padded and rounded outward to a round step (1, 2 or 5 × 10^k).

    Charts keep their axes still while an edit moves the data a little: steadier to read, and the axes are not
    re-rendered on every keystroke.
    """
    low, high = min(low, 0.0), max(high, 0.0)
    span = high - low
    if not np.isfinite(span) or span <= 0:
        return (low - 1.0, high + 1.0)
    raw = span / 5.0
    magnitude = 10.0 ** np.floor(np.log10(raw))
    step = next(m * magnitude for m in (1.0, 2.0, 5.0, 10.0) if m * magnitude >= raw)
    return (float(np.floor(low / step) * step), float(np.ceil(high / step) * step))


def drop_items(plot: pg.PlotItem, items: dict[str, pg.GraphicsObject], keep: Collection[str]) -> None:
    """Remove from ``plot`` (and ``items``) the items of the names no longer shown."""
    kept = set(keep)
    for gone in [name for name in items if name not in kept]:
        plot.removeItem(items.pop(gone))


def sync_curve(plot: pg.PlotItem, curves: dict[str, pg.PlotDataItem], key: str, x: np.ndarray, y: np.ndarray,
               pen: QPen, **options: object) -> pg.PlotDataItem:
    """``curves[key]`` showing ``y`` over ``x`` with ``pen``: created (and added to ``plot``) the first time, after
    that re-set only where it changed, so the view repaints just the curves that moved."""
    curve = curves.get(key)
    if curve is None:
        curve = curves[key] = pg.PlotDataItem(x, y, pen=pen, antialias=True, **options)
        plot.addItem(curve)
    else:
        if curve.yData is None or not np.array_equal(curve.yData, y) or not np.array_equal(curve.xData, x):
            curve.setData(x, y)
        if curve.opts["pen"] != pen:
            curve.setPen(pen)
    return curve


def _title_sets_no_minimum_width(label: pg.LabelItem) -> None:
    """pyqtgraph's title asks for its text's width as the plot's minimum: on a chart narrower than a long title the
    plot then ran past the widget's edge, cutting off the title's end and the last years. The title keeps its
    height; its width is the chart's business (``Chart.set_title`` picks a wording that fits)."""
    def update_min() -> None:
        bounds = label.itemRect()
        label.setMinimumWidth(0)
        label.setMinimumHeight(bounds.height())
        label._sizeHint = {
            Qt.SizeHint.MinimumSize: (0, bounds.height()),
            Qt.SizeHint.PreferredSize: (0, bounds.height()),
            Qt.SizeHint.MaximumSize: (-1, -1),
            Qt.SizeHint.MinimumDescent: (0, 0),
        }
        label.updateGeometry()

    label.updateMin = update_min
    update_min()


def _swatch(color: str) -> str:
    return f"<span style='color:{color}'>■</span>"


class ValueAxis(pg.AxisItem):
    """Tick labels as an analyst writes them: 1,500 and 0.5, never 1.5e+03."""

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        decimals = 0 if spacing >= 1 else min(int(np.ceil(-np.log10(spacing))), 6)
        return [f"{v * scale:,.{decimals}f}" for v in values]


class Chart(pg.PlotWidget):
    """A themed plot with year ticks, a $B axis without SI prefixes, and a hover readout."""

    def __init__(self, title: str, y_label: str, x_label: str = "", parent: QWidget | None = None) -> None:
        self._ready = False
        super().__init__(parent, axisItems={"left": ValueAxis("left")})
        self.results: Results | None = None
        self.selected = ""
        self.update_count = 0
        self.title = title                  # the full title (what the chart says); shown_title is what fits
        self.shown_title = ""
        self._titles: tuple[str, ...] = (title,)
        self._title_widths: dict[tuple[str, str], float] = {}
        plot = self.getPlotItem()
        _title_sets_no_minimum_width(plot.titleLabel)
        # the room for the title is what the left axis leaves: it widens and narrows with its tick labels
        plot.getAxis("left").geometryChanged.connect(self._fit_title)
        plot.setLabel("left", y_label)
        if x_label:   # the year ticks speak for themselves; a label only when it adds something
            plot.setLabel("bottom", x_label)
        # The first and last year's labels may reach past the plot's ends by half their width (into the empty
        # corner under the left axis): hidden otherwise on a narrow chart, which then started at its second year.
        plot.getAxis("bottom").setStyle(hideOverlappingLabels=self.fontMetrics().horizontalAdvance("2024") // 2 + 4)
        for name in ("left", "bottom"):
            axis = plot.getAxis(name)
            axis.enableAutoSIPrefix(False)
            # Rendered once into a pixmap and reused until the axis changes: ranges are kept still (nice_range),
            # so an edit repaints the curves, not the tick labels.
            axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        plot.titleLabel.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        plot.showGrid(x=False, y=True, alpha=0.2)
        plot.setMouseEnabled(x=False, y=False)
        # Ranges are set from the data by each chart (see nice_range): pyqtgraph's lazy auto-range would repaint
        # every chart a second time after each update.
        plot.disableAutoRange()
        self._years: tuple[int, ...] = ()
        self._y_range: tuple[float, float] = (0.0, 0.0)
        plot.hideButtons()
        plot.setMenuEnabled(False)
        self.zero = pg.InfiniteLine(pos=0, angle=0, movable=False)
        plot.addItem(self.zero, ignoreBounds=True)
        # 150 px: title, plot and year axis stay whole; with two rows of charts, the legend and the payback table's
        # header and sector row, that still fits a 1024x640 window
        self.setMinimumSize(220, 150)
        self.scene().sigMouseMoved.connect(self._hover)
        self._ready = True
        self.restyle()

    # -- theme ----------------------------------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._ready:
            self.restyle()

    def set_title(self, html: str, *shorter: str) -> None:
        """The title, or on a chart too narrow for it the first of ``shorter`` (the same facts in fewer words,
        shortest last) that fits; the shortest when none does."""
        self.title = html
        self._titles = (html, *shorter)
        self._fit_title()

    def _title_size(self) -> str:
        size = self.font().pointSizeF()
        return f"{size if size > 0 else 9:.1f}pt"

    def _title_width(self, html: str) -> float:
        """The drawn width of a title, measured as pyqtgraph's LabelItem lays it out (remembered per font size)."""
        size = self._title_size()
        width = self._title_widths.get((html, size))
        if width is None:
            item = QGraphicsTextItem()
            item.setFont(self.getPlotItem().titleLabel.item.font())
            item.setHtml(f"<span style='font-size: {size}'>{html}</span>")
            width = self._title_widths[(html, size)] = item.boundingRect().width()
        return width

    def _fit_title(self) -> None:
        # The title sits over the plot area, right of the left axis (the plot's margins are 1 px each side).
        if not self._ready:
            return
        plot = self.getPlotItem()
        left = plot.getAxis("left")
        room = self.viewport().width() - (left.width() if left.isVisible() else 0) - 4
        fits = next((t for t in self._titles if self._title_width(t) <= room), self._titles[-1])
        if fits == self.shown_title and plot.titleLabel.text:
            return
        self.shown_title = fits
        plot.setTitle(fits, color=self.palette().color(QPalette.ColorRole.Text).name(), size=self._title_size())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_title()

    def restyle(self) -> None:
        theme.style_plot(self, self.palette())
        self.shown_title = ""
        self._fit_title()
        self.zero.setPen(pg.mkPen(theme.muted(self.palette()), width=1, style=Qt.PenStyle.DashLine))
        self.getPlotItem().showGrid(x=False, y=True, alpha=0.25)

    # -- data -----------------------------------------------------------------------------------------------------
    def show_results(self, results: Results) -> None:
        self.results = results
        self.update_count += 1
        self._set_year_ticks(self.x_years(results))
        self.refresh()

    def set_selected(self, company: str) -> None:
        self.selected = company
        if self.results is not None:
            self.refresh()

    def refresh(self) -> None:
        raise NotImplementedError

    def x_years(self, results: Results) -> tuple[int, ...]:
        return results.years

    def set_y_range(self, low: float, high: float) -> None:
        """The data's round range (nice_range): still while an edit moves the data within a step, and back where
        it was when the edit is undone (a range that only grew stayed at −2,500 after an undo)."""
        target = nice_range(low, high)
        if target == self._y_range:
            return
        self._y_range = target
        self.getPlotItem().setYRange(*self._y_range, padding=0.03)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        name = self.__class__.__name__.removesuffix("Chart").lower() or "chart"
        chart_menu(self, name).exec(event.globalPos())

    def _set_year_ticks(self, years: tuple[int, ...]) -> None:
        if not years or years == self._years:
            return
        self._years = years
        step = max(1, int(np.ceil(len(years) / 8)))
        major = [(float(y), str(y)) for y in years if (y - years[0]) % step == 0]
        self.getPlotItem().getAxis("bottom").setTicks([major, []])
        self.getPlotItem().setXRange(years[0] - 0.6, years[-1] + 0.6, padding=0)

    # -- hover ------------------------------------------------------------------------------------------------------
    def readout(self, year: int) -> str:
        return ""

    def _hover(self, pos: QPointF) -> None:
        plot = self.getPlotItem()
        if self.results is None or not plot.sceneBoundingRect().contains(pos):
            return
        x = plot.vb.mapSceneToView(pos).x()
        years = self.x_years(self.results)
        if not years:
            return
        year = int(round(min(max(x, years[0]), years[-1])))
        text = self.readout(year)
        if text:
            QToolTip.showText(QCursor.pos(), text, self)


class CashFlowChart(Chart):
    """Cumulative cash flow per company to each year's end; a dot where it crosses zero (the payback)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Cumulative cash flow, sector companies &nbsp; ● payback", "Cumulative ($B)",
                         "", parent)
        self.curves: dict[str, pg.PlotDataItem] = {}
        self.paybacks = pg.ScatterPlotItem(size=10, pxMode=True, antialias=True)
        self.paybacks.setZValue(20)
        self._payback_key: list[tuple[object, ...]] = []
        self.getPlotItem().addItem(self.paybacks)

    def refresh(self) -> None:
        results = self.results
        assert results is not None
        colors = palette_map.company_colors(results)
        # The sector's companies: a seller with revenue and no capex (a chip maker) would run off the scale and
        # flatten every hyperscaler's curve. A company outside the sector shows when it is selected.
        shown = [c for c in results.companies
                 if (c in colors and results.entity(c).in_sector) or c == self.selected]
        plot = self.getPlotItem()
        drop_items(plot, self.curves, shown)
        x = np.asarray(results.years, dtype=float)
        spots = []
        for name in shown:
            color = palette_map.color_of(colors, name)
            emphasis = not self.selected or name == self.selected
            pen = pg.mkPen(color if emphasis else _faded(color), width=3.2 if name == self.selected else 1.8)
            y = results.series_of(name, "cumulative_cash_flow")
            curve = sync_curve(plot, self.curves, name, x, y, pen, name=name)
            curve.setZValue(10 if name == self.selected else 1)
            payback = results.entity(name).payback
            if payback.years is not None and not payback.nothing_to_pay_back:    # no crossing to mark
                spots.append({"pos": (results.years[0] + payback.years - 1.0, 0.0),
                              "brush": pg.mkBrush(color if emphasis else _faded(color)),
                              "pen": pg.mkPen(self.palette().color(QPalette.ColorRole.Base), width=1.5),
                              "data": name})
        # The "● payback" key only when a dot is drawn; otherwise the title says none pays back.
        if spots:
            self.set_title("Cumulative cash flow, sector companies &nbsp; ● payback",
                           "Cumulative cash flow &nbsp; ● payback", "Cash flow &nbsp; ● payback")
        else:
            last = results.years[-1]
            self.set_title(f"Cumulative cash flow, sector companies · none pays back by {last}",
                           f"Cumulative cash flow · none pays back by {last}", f"None pays back by {last}")
        key: list[tuple[object, ...]] = [(s["pos"], s["data"], s["brush"].color().rgba()) for s in spots]
        if key != self._payback_key:   # re-adding scatter points is costly; most edits do not move them
            self._payback_key = key
            self.paybacks.setData(spots)
        values = [self.curves[n].yData for n in shown if self.curves[n].yData is not None and len(self.curves[n].yData)]
        if values:
            stacked = np.concatenate(values)
            self.set_y_range(float(np.nanmin(stacked)), float(np.nanmax(stacked)))
        else:       # no company: a small range around zero, not the last model's
            self.set_y_range(0.0, 0.0)

    def readout(self, year: int) -> str:
        results = self.results
        assert results is not None
        t = results.years.index(year)
        lines = [f"<b>End of {year}</b> — cumulative cash flow"]
        for name in self.curves:
            payback = results.entity(name).payback
            value = results.series_of(name, "cumulative_cash_flow")[t]
            mark = "<b>" if name == self.selected else ""
            lines.append(f"{mark}{name}: {formatting.money(value)}{'</b>' if mark else ''} "
                         f"(payback {formatting.payback_years(payback)}{' yrs' if payback.years is not None else ''})")
        return "<br>".join(lines)


class RevenueChart(Chart):
    """Organic and recycled AI revenue, stacked, against the revenue the capex requires."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("AI revenue vs required · Sector", "AI revenue ($B)", "", parent)
        plot = self.getPlotItem()
        # The organic area fills down to zero from its own curve (a FillBetweenItem needs two drawn curves, and
        # a pen-less zero line is hidden, so a fill against it never drew).
        self.organic = pg.PlotDataItem(pen=pg.mkPen(theme.SERIES[0], width=2), antialias=True, fillLevel=0.0,
                                       fillBrush=_faded(QColor(theme.SERIES[0]), 110))
        self.total = pg.PlotDataItem(pen=pg.mkPen(theme.SERIES[1], width=1), antialias=True)
        self.recycled_fill = pg.FillBetweenItem(self.organic, self.total, brush=_faded(QColor(theme.SERIES[1]), 170))
        self.required = pg.PlotDataItem(pen=pg.mkPen(theme.SERIES[2], width=2.5, style=Qt.PenStyle.DashLine),
                                        antialias=True)
        for item in (self.recycled_fill, self.organic, self.total, self.required):
            plot.addItem(item)
        self.entity = ""
        self.restyle()

    def entity_name(self) -> str:
        results = self.results
        assert results is not None
        return self.selected if self.selected in results.companies else results.sector.name

    def refresh(self) -> None:
        results = self.results
        assert results is not None
        name = self.entity_name()
        self.entity = name
        label = "Sector" if name == results.sector.name else name
        dashes = f"<span style='color:{theme.SERIES[2]}'><b>╌╌</b></span> required"
        own, recycled = f"{_swatch(theme.SERIES[0])} organic", f"{_swatch(theme.SERIES[1])} recycled"
        small = f"{(self.font().pointSizeF() if self.font().pointSizeF() > 0 else 9) * 0.85:.1f}pt"
        self.set_title(f"AI revenue vs required · <b>{label}</b><br>{own} {recycled} from deals {dashes}",
                       f"AI revenue vs required · <b>{label}</b><br>{own} {recycled} {dashes}",
                       f"Revenue vs required · <b>{label}</b><br>"
                       f"<span style='font-size: {small}'>{own} {recycled} {dashes}</span>")
        x = np.asarray(results.years, dtype=float)
        organic = results.series_of(name, "organic_revenue")
        total = organic + results.series_of(name, "recycled_revenue")
        self.organic.setData(x, organic)
        self.total.setData(x, total)
        required = results.series_of(name, "required_revenue")
        self.required.setData(x, required)
        self.set_y_range(0.0, float(np.nanmax(np.concatenate([total, required]))) if len(x) else 1.0)

    def readout(self, year: int) -> str:
        results = self.results
        assert results is not None
        name = self.entity
        def at(m: str) -> float:
            return results.value(name, m, year)
        coverage = at("coverage")
        return (f"<b>{year}</b> · {'Sector' if name == results.sector.name else name}<br>"
                f"Organic AI revenue: {formatting.money(at('organic_revenue'))}<br>"
                f"Recycled from deals: {formatting.money(at('recycled_revenue'))}<br>"
                f"Reported AI revenue: {formatting.money(at('revenue'))}<br>"
                f"Required revenue: {formatting.money(at('required_revenue'))}<br>"
                f"Coverage: {formatting.percent(coverage if np.isfinite(coverage) else None, 0)}")


class CapexChart(Chart):
    """AI capex per year, stacked by company (the largest companies; the rest as one grey band)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("AI capex by company (stacked)", "AI capex ($B)", "", parent)
        self.bars: dict[str, pg.BarGraphItem] = {}
        self.zero.hide()

    def refresh_title(self, results: Results) -> None:
        """The same years as the other charts (their axes line up); the title says where the capex stops."""
        capex = results.series["ai_capex"][: len(results.companies)]
        active = np.flatnonzero(np.abs(capex).sum(axis=0) > 0)
        last = results.years[int(active[-1])] if active.size else None
        note = "" if last is None or last == results.years[-1] else f" · no capex after {last}"
        self.set_title(f"AI capex by company (stacked){note}", f"AI capex by company{note}", f"AI capex{note}")

    def stacks(self) -> list[tuple[str, np.ndarray]]:
        results = self.results
        assert results is not None
        colors = palette_map.company_colors(results)
        years = self.x_years(results)
        t0 = results.years.index(years[0])
        capex = results.series["ai_capex"][: len(results.companies), t0: t0 + len(years)]
        # Companies with no capex (the deal counterparties) get no bar: nothing to draw, to update or to list.
        spends = np.abs(capex).sum(axis=1) > 0
        out = [(name, capex[i]) for i, name in enumerate(results.companies) if name in colors and spends[i]]
        others = [i for i, name in enumerate(results.companies) if name not in colors and spends[i]]
        if others:
            out.append((palette_map.OTHERS, capex[others].sum(axis=0)))
        return out

    def refresh(self) -> None:
        results = self.results
        assert results is not None
        self.refresh_title(results)
        colors = palette_map.company_colors(results)
        x = np.asarray(self.x_years(results), dtype=float)
        stacks = self.stacks()
        plot = self.getPlotItem()
        drop_items(plot, self.bars, {n for n, _ in stacks})
        base = np.zeros_like(x)
        line = self.palette().color(QPalette.ColorRole.Base)
        for name, height in stacks:
            color = palette_map.color_of(colors, name)
            emphasis = not self.selected or name == self.selected
            brush = pg.mkBrush(color if emphasis else _faded(color, 80))
            pen = pg.mkPen(self.palette().color(QPalette.ColorRole.Text), width=1.5) if name == self.selected \
                else pg.mkPen(line, width=0.5)
            bar = self.bars.get(name)
            if bar is None:
                bar = self.bars[name] = pg.BarGraphItem(x=x, y0=base.copy(), height=height, width=0.75, brush=brush,
                                                        pen=pen)
                plot.addItem(bar)
            else:
                o = bar.opts
                same = (np.array_equal(o["x"], x) and np.array_equal(o["y0"], base) and np.array_equal(o["height"], height)
                        and o["brush"] == brush and o["pen"] == pen)
                if not same:
                    bar.setOpts(x=x, y0=base.copy(), height=height, brush=brush, pen=pen)
            base = base + height
        self.set_y_range(0.0, float(base.max()) if base.size else 1.0)

    def readout(self, year: int) -> str:
        results = self.results
        assert results is not None
        years = self.x_years(results)
        if year not in years:
            return ""
        t = years.index(year)
        stacks = self.stacks()
        total = sum(float(h[t]) for _, h in stacks)
        lines = [f"<b>{year}</b> · AI capex {formatting.money(total)}"]
        for name, height in reversed(stacks):
            mark = name == self.selected
            lines.append(f"{'<b>' if mark else ''}{name}: {formatting.money(float(height[t]))}"
                         f"{'</b>' if mark else ''}")
        return "<br>".join(lines)
