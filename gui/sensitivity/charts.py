"""The tornado (a horizontal bar per input, low and high around the base value) and the spider (the output as each
of the top inputs moves from −30% to +30%). Both draw what ``model.sensitivity`` computed and own no numbers; their
items are created once and re-set when a new analysis arrives."""

from __future__ import annotations

import html

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QCursor, QFont, QFontMetricsF, QPalette, QResizeEvent
from PySide6.QtWidgets import QToolTip, QWidget

from gui import theme
from gui.results.charts import ValueAxis
from model.sensitivity.tornado import Spider, Tornado

LOW_COLOR, HIGH_COLOR = "#4e79a7", "#f28e2b"      # input moved down / up (theme.SERIES' first two)
MAX_BARS = 15
SPIDER_SPAN = 30                  # the spider's moves: −30% … +30% (model.sensitivity.tornado.SPIDER_STEPS)
SPIDER_TICK_STEPS = (10, 20, 30)
LABEL_CHARS = 34


class _Axis(ValueAxis):
    """Tick labels as an analyst writes them (1,500); a year without its thousands separator (2035)."""

    years = False

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        if not self.years:
            return super().tickStrings(values, scale, spacing)
        decimals = 0 if spacing >= 1 else 1
        return [f"{v * scale:.{decimals}f}" for v in values]


class _ChangeAxis(pg.AxisItem):
    """The spider's x axis, the input's change: a label every 10% where the labels fit side by side, else every 20%
    or 30% (at a narrow width "+10%" and "+20%" ran into each other). The labels' own widths decide, so a larger
    font or a narrower chart thins them too."""

    GAP_PX = 5.0                  # at least this much space between two labels

    def label_width(self) -> float:
        font = self.style["tickFont"] or self.font()
        return QFontMetricsF(font).horizontalAdvance("+30%")

    def step_for(self, size: float, span: float) -> int:
        """The tick step (in % points) whose labels do not touch on an axis ``size`` pixels long showing ``span``."""
        per_point = size / span if span > 0 else 0.0
        for step in SPIDER_TICK_STEPS:
            if step * per_point >= self.label_width() + self.GAP_PX:
                return step
        return SPIDER_TICK_STEPS[-1]

    def tickValues(self, minVal: float, maxVal: float, size: float) -> list[tuple[float, list[float]]]:
        step = self.step_for(size, abs(maxVal - minVal))
        ends = SPIDER_SPAN // step
        return [(float(step), [float(k * step) for k in range(-ends, ends + 1)])]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:
        return [f"{v:+.0f}%" if v else "0" for v in values]


def _scale(unit: str) -> float:
    """Percentages are drawn in percent points (62, not 0.62)."""
    return 100.0 if unit == "%" else 1.0


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS - 1] + "…"


def _axis_name(result: Tornado | Spider) -> str:
    unit = result.metric.unit
    return f"{result.metric.label} ({'$B' if unit == '$B' else '%' if unit == '%' else unit})"


class _Plot(pg.PlotWidget):
    def __init__(self, parent: QWidget | None = None, **axes: pg.AxisItem) -> None:
        self._ready = False
        self.title = ""
        super().__init__(parent, axisItems=axes)
        plot = self.getPlotItem()
        plot.setMouseEnabled(x=False, y=False)
        plot.disableAutoRange()         # each chart sets its ranges from its data
        plot.hideButtons()
        plot.setMenuEnabled(False)
        for name in ("left", "bottom"):
            plot.getAxis(name).enableAutoSIPrefix(False)
        self.setMinimumSize(220, 200)
        plot.vb.sigResized.connect(lambda *_: self._show_title() if self.title else None)
        self._ready = True
        self.restyle()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._ready:
            self.restyle()

    def restyle(self) -> None:
        theme.style_plot(self, self.palette())
        self.getPlotItem().showGrid(x=True, y=False, alpha=0.25)

    def set_title(self, text: str) -> None:
        self.title = text
        self._show_title()

    def _show_title(self) -> None:
        """The title cut to the chart's width with an ellipsis: a title label is as wide as its text, and a longer
        one widened the plot past the widget, cutting off its right-hand side."""
        size = self.font().pointSizeF()
        size = size if size > 0 else 9.0
        font = QFont(self.font())
        font.setPointSizeF(size)
        # The title sits over the plot area only, right of the left axis (as wide as its longest label).
        left = self.getPlotItem().getAxis("left")
        room = self.width() - (left.width() if left.isVisible() else 0.0) - 24.0
        shown = QFontMetricsF(font).elidedText(self.title, Qt.TextElideMode.ElideRight, max(60.0, room))
        if shown == self.getPlotItem().titleLabel.text:
            return
        self.getPlotItem().setTitle(html.escape(shown), color=self.palette().color(QPalette.ColorRole.Text).name(),
                                    size=f"{size:.1f}pt")

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._ready and self.title:
            self._show_title()


class TornadoChart(_Plot):
    """One row per input, the largest swing at the top: a bar from the base value to the output with the input low,
    another to the output with it high. Hovering a row tells both inputs and both outputs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, bottom=_Axis("bottom"))
        self.result: Tornado | None = None
        self.update_count = 0
        plot = self.getPlotItem()
        plot.invertY(True)
        self.low = pg.BarGraphItem(x0=[], y=[], width=[], height=0.62, brush=QColor(LOW_COLOR), pen=pg.mkPen(None))
        self.high = pg.BarGraphItem(x0=[], y=[], width=[], height=0.62, brush=QColor(HIGH_COLOR),
                                    pen=pg.mkPen(None))
        plot.addItem(self.low)
        plot.addItem(self.high)
        self.base_line = pg.InfiniteLine(pos=0, angle=90, movable=False)
        plot.addItem(self.base_line, ignoreBounds=True)
        legend = plot.addLegend(labelTextSize="8pt")
        legend.addItem(self.low, "input low")
        legend.addItem(self.high, "input high")
        # Bottom right: the bars there are the shortest.
        legend.anchor(itemPos=(1, 1), parentPos=(1, 1), offset=(-8, -8))
        self.scene().sigMouseMoved.connect(self._hover)
        self.restyle()
        self.set_title("Which inputs move the output")

    def restyle(self) -> None:
        super().restyle()
        if hasattr(self, "base_line"):
            self.base_line.setPen(pg.mkPen(self.palette().color(QPalette.ColorRole.Text), width=1.5))

    @property
    def bars(self) -> int:
        return 0 if self.result is None else min(MAX_BARS, len(self.result.bars))

    def show_tornado(self, result: Tornado) -> None:
        self.result = result
        self.update_count += 1
        k = self.scale = _scale(result.metric.unit)
        base = (result.base_position or 0.0) * k
        bars = result.bars[:MAX_BARS]
        ys = np.arange(len(bars), dtype=float)

        def spans(values: list[float | None]) -> tuple[np.ndarray, np.ndarray]:
            ends = np.array([base if v is None else v * k for v in values], dtype=float)
            return np.minimum(ends, base), np.abs(ends - base)

        x0, width = spans([b.low_position for b in bars])
        self.low.setOpts(x0=x0, y=ys, width=width, height=0.62)
        x0, width = spans([b.high_position for b in bars])
        self.high.setOpts(x0=x0, y=ys, width=width, height=0.62)
        self.base_line.setPos(base)
        plot = self.getPlotItem()
        plot.getAxis("bottom").years = result.metric.unit == "year"
        plot.getAxis("left").setTicks([[(float(i), _short(b.input.label)) for i, b in enumerate(bars)], []])
        plot.setLabel("bottom", _axis_name(result))
        ends = [base] + [p * k for b in bars for p in (b.low_position, b.high_position) if p is not None]
        lo, hi = min(ends), max(ends)
        pad = (hi - lo) * 0.06 or 1.0
        plot.setXRange(lo - pad, hi + pad, padding=0)
        plot.setYRange(-0.6, max(len(bars), 1) - 0.4, padding=0)
        shown = f"{MAX_BARS} largest swings of {len(result.bars)}" if len(result.bars) > MAX_BARS \
            else f"{len(result.bars)} inputs"
        how = f"range or ±{result.swing:.0%}" if result.ranged else f"each ±{result.swing:.0%}"
        self.set_title(f"{shown} ({how})")

    def tooltip(self, row: int) -> str:
        """The row's input and output at both ends, as the hover shows them."""
        if self.result is None or not 0 <= row < self.bars:
            return ""
        bar = self.result.bars[row]
        e = html.escape
        note = f"<br><i>{e(bar.note)}</i>" if bar.note else ""
        return (f"<b>{e(bar.input.label)}</b><br>"
                f"swing: {e(bar.swing_used)}<br>"
                f"low: {e(bar.low_input)} → {e(bar.low_text)}<br>"
                f"high: {e(bar.high_input)} → {e(bar.high_text)}<br>"
                f"base: {e(bar.input.text(bar.input.base))} → {e(self.result.base_text)}{note}")

    def row_at(self, pos: QPointF) -> int:
        plot = self.getPlotItem()
        if not plot.sceneBoundingRect().contains(pos):
            return -1
        return int(round(plot.vb.mapSceneToView(pos).y()))

    def _hover(self, pos: QPointF) -> None:
        text = self.tooltip(self.row_at(pos))
        if text:
            QToolTip.showText(QCursor.pos(), text, self)


class SpiderChart(_Plot):
    """The output as each of the top inputs moves from −30% to +30% of its entered value (one line each)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, left=_Axis("left"), bottom=_ChangeAxis("bottom"))
        self.result: Spider | None = None
        self.curves: list[pg.PlotDataItem] = []
        plot = self.getPlotItem()
        plot.setLabel("bottom", "change of the input (%)")
        # The legend is a wrapped line of text under the chart (legend_html): inside the plot it hid the lines.
        plot.setXRange(-SPIDER_SPAN - 4, SPIDER_SPAN + 4, padding=0)
        plot.vb.sigResized.connect(self._fit_x)
        self.restyle()
        self.set_title("The top inputs, −30% to +30%")

    def restyle(self) -> None:
        super().restyle()
        self.getPlotItem().showGrid(x=True, y=True, alpha=0.2)

    def _fit_x(self, *_args: object) -> None:
        """Room beyond ±30% for half of the end labels: an axis hides a label that would stick out of it (the
        "−30%" and "+30%" went missing in a narrow chart). With ``h`` pixels needed and ``w`` the view's width, a
        margin of p points satisfies p · w / (60 + 2p) ≥ h, i.e. p = 60h / (w − 2h)."""
        plot = self.getPlotItem()
        axis = plot.getAxis("bottom")
        assert isinstance(axis, _ChangeAxis)
        width = plot.vb.width()
        need = axis.label_width() / 2 + 3
        margin = 2 * SPIDER_SPAN * need / (width - 2 * need) if width > 4 * need else SPIDER_SPAN / 2
        margin = max(2.0, margin)
        plot.setXRange(-SPIDER_SPAN - margin, SPIDER_SPAN + margin, padding=0)

    def show_spider(self, result: Spider) -> None:
        self.result = result
        plot = self.getPlotItem()
        k = _scale(result.metric.unit)
        while len(self.curves) > len(result.lines):
            plot.removeItem(self.curves.pop())
        for i, line in enumerate(result.lines):
            x = np.array(line.changes, dtype=float) * 100.0
            y = np.array([np.nan if p is None else p * k for p in line.positions], dtype=float)
            pen = pg.mkPen(theme.company_color(i), width=2)
            if i < len(self.curves):
                self.curves[i].setData(x, y)
                self.curves[i].setPen(pen)
            else:
                curve = pg.PlotDataItem(x, y, pen=pen, symbol="o", symbolSize=5, antialias=True,
                                        symbolBrush=theme.company_color(i), symbolPen=None)
                plot.addItem(curve)
                self.curves.append(curve)
            self.curves[i].setSymbolBrush(theme.company_color(i))
        plot.getAxis("left").years = result.metric.unit == "year"
        plot.setLabel("left", _axis_name(result))
        values = [p * k for line in result.lines for p in line.positions if p is not None]
        if values:
            lo, hi = min(values), max(values)
            pad = (hi - lo) * 0.08 or 1.0
            plot.setYRange(lo - pad, hi + pad, padding=0)
        self.set_title(f"The top {len(result.lines)} inputs, −30% to +30%")

    def line_count(self) -> int:
        return len(self.curves)

    def legend_html(self) -> str:
        """Each line's colour and input, for the label under the chart."""
        if self.result is None:
            return ""
        return "&nbsp;&nbsp; ".join(f"<span style='color:{theme.company_color(i).name()}'>■</span>&nbsp;"
                                    f"{html.escape(line.input.label).replace(' ', '&nbsp;')}" for i, line in enumerate(self.result.lines))

