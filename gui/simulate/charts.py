"""The Simulation tab's four charts, each a panel with a one-line header (a title or a chooser, and a short key) over
the plot: the fan of a yearly output, P(score in Bubble) by year, the payback year's histogram and CDF, and the
contribution-to-variance tornado of a headline output. They draw the model's figures (model.simulate.run) as they
are; the only arithmetic here is scaling to % for display."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from gui import theme
from gui.simulate.runner import SimulationRun
from model.simulate.run import ScenarioSimulation

BAND_OUTER, BAND_INNER, MEDIAN, AS_ENTERED = (QColor(46, 117, 182, 60), QColor(46, 117, 182, 110),
                                              QColor(31, 56, 100), QColor(192, 0, 0))
RAISES, LOWERS = QColor("#4e79a7"), QColor("#e15759")

# The fan's outputs: key -> (chooser text, axis unit, scale to display). Coverage is a ratio, shown in %.
FAN_OUTPUTS: dict[str, tuple[str, str, float]] = {
    "cumulative_cash_flow": ("Cumulative cash flow, $B", "$B", 1.0),
    "coverage": ("Coverage, %", "%", 100.0),
    "score": ("Bubble score", "score", 1.0),
}
# The tornado's outputs, in the analyst's words (keys: model.simulate.evaluate.HEADLINE).
DRIVER_OUTPUTS: dict[str, str] = {
    "npv": "Sector NPV",
    "final_cumulative_cash_flow": "Horizon cash",
    "payback_year": "Payback year",
    "score": "Score (score year)",
}
MOST_DRIVERS = 8


class ElidedLabel(QLabel):
    """One line that shortens with '…' when the panel is narrow (the whole text in its tooltip), instead of
    widening the panel or being clipped mid-letter."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def setText(self, text: str) -> None:  # noqa: N802 (Qt's name)
        super().setText(text)
        self.setToolTip(text)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.width())
        painter.drawText(self.rect(), int(self.alignment() | Qt.AlignmentFlag.AlignVCenter), shown)


class Panel(QWidget):
    """A header (title or chooser, then a short muted key) over a plot that does not pan or zoom."""

    def __init__(self, title: str, tip: str, choices: dict[str, str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot_widget = pg.PlotWidget()
        theme.style_plot(self.plot_widget)
        self.plot = self.plot_widget.getPlotItem()
        self.plot.showGrid(x=False, y=True, alpha=0.3)
        self.plot.setMenuEnabled(False)
        self.plot_widget.setMouseEnabled(x=False, y=False)
        self.plot_widget.setMinimumSize(150, 110)
        self.plot_widget.setToolTip(tip)
        self.choice: QComboBox | None = None
        header = QHBoxLayout()
        header.setContentsMargins(4, 2, 4, 0)
        header.setSpacing(6)
        self.title = QLabel(title)
        self.title.setFont(theme.heading_font(self, 1.0))
        if title:
            header.addWidget(self.title)
        if choices:
            self.choice = QComboBox()
            for key, text in choices.items():
                self.choice.addItem(text, key)
            self.choice.setToolTip(tip)
            self.choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            header.addWidget(self.choice)
        self.key = ElidedLabel("")
        muted = self.key.palette()
        muted.setColor(self.key.foregroundRole(), theme.muted(muted))
        self.key.setPalette(muted)
        header.addWidget(self.key, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(self.plot_widget, 1)

    def chosen(self) -> str:
        return str(self.choice.currentData()) if self.choice is not None else ""


def _finite(x: np.ndarray, *ys: np.ndarray) -> np.ndarray:
    mask = np.isfinite(x)
    for y in ys:
        mask &= np.isfinite(y)
    return mask


class FanChart(Panel):
    """P5–P95 and P25–P75 bands, the P50 line and the as-entered line of one yearly output by year."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", "Bands: P5–P95 and P25–P75 of the paths by year; dark line: P50; red dashes: the "
                         "scenario as entered. Coverage: 100% is revenue meeting the revenue the capex requires. "
                         "Score: the Healthy / Boom / Bubble bands are the Assumptions' Boom and Bubble scores "
                         "(a year also reads Bubble with enough red gauges).",
                         {k: v[0] for k, v in FAN_OUTPUTS.items()}, parent)
        self.median: pg.PlotDataItem | None = None      # the P50 line drawn (tests read its data)
        self.entered: pg.PlotDataItem | None = None

    def show_run(self, run: SimulationRun, s: ScenarioSimulation) -> None:
        key = self.chosen()
        _, unit, scale = FAN_OUTPUTS[key]
        if key == "score":
            years, fan = s.score_years, s.score_fan
        else:
            years, fan = s.years, s.fans[key]
        self.key.setText("bands: Healthy · Boom · Bubble (Bubble also on enough red gauges)" if key == "score"
                         else "P5–P95 · P25–P75 · P50 · dashed: as entered")
        plot = self.plot
        plot.clear()
        plot.setLabel("left", unit)
        x = np.asarray(years, dtype=float)
        q = {name: scale * np.asarray(fan[name], dtype=float) for name in ("P5", "P25", "P50", "P75", "P95")}
        entered = scale * np.asarray(s.deterministic_fans[key], dtype=float)
        if key == "score":
            for low, high, label in ((0.0, run.boom_score, "Healthy"), (run.boom_score, run.bubble_score, "Boom"),
                                     (run.bubble_score, 100.0, "Bubble")):
                colour = theme.label_color(label)
                colour.setAlpha(40)
                region = pg.LinearRegionItem((low, high), orientation="horizontal", movable=False,
                                             brush=pg.mkBrush(colour), pen=pg.mkPen(None))
                region.setZValue(-20)
                plot.addItem(region)
        ok = _finite(x, *q.values())      # a year without a figure (a score without data) is left out
        xs = x[ok]
        curves = {name: pg.PlotDataItem(xs, q[name][ok], pen=pg.mkPen(BAND_OUTER)) for name in ("P5", "P25",
                                                                                                 "P75", "P95")}
        plot.addItem(pg.FillBetweenItem(curves["P5"], curves["P95"], brush=pg.mkBrush(BAND_OUTER)))
        plot.addItem(pg.FillBetweenItem(curves["P25"], curves["P75"], brush=pg.mkBrush(BAND_INNER)))
        self.median = plot.plot(xs, q["P50"][ok], pen=pg.mkPen(MEDIAN, width=2.5))
        shown = _finite(x, entered)
        self.entered = plot.plot(x[shown], entered[shown], pen=pg.mkPen(AS_ENTERED, width=1.5,
                                                                         style=Qt.PenStyle.DashLine))
        reference = {"cumulative_cash_flow": 0.0, "coverage": 100.0}.get(key)
        if reference is not None:     # break-even: cash back to zero; coverage: revenue meets the requirement
            plot.addLine(y=reference, pen=pg.mkPen(theme.grid_color(self.palette()).darker(140), width=1,
                                                   style=Qt.PenStyle.DashLine))
        if key == "score":
            plot.setYRange(0, 100, padding=0.02)
        else:
            values = np.concatenate([q["P5"][ok], q["P95"][ok], entered[shown]] +
                                    ([np.asarray([reference])] if reference is not None else []))
            if len(values):
                plot.setYRange(float(values.min()), float(values.max()), padding=0.05)
        if len(x):
            plot.setXRange(float(x.min()), float(x.max()), padding=0.02)


class BubbleChart(Panel):
    """P(score in Bubble) in each model year, 0–100%, ± one standard error, the Score year's bar marked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("P(Bubble)", "The share of paths whose sector score reads Bubble in each year, "
                         "with ± 1 standard error; the darker bar is the Score year (the headline's)", None, parent)
        self.bars: pg.BarGraphItem | None = None        # heights in % (tests read them)

    def show_run(self, run: SimulationRun, s: ScenarioSimulation) -> None:
        plot = self.plot
        plot.clear()
        plot.setLabel("left", "%")
        x = np.asarray(s.score_years, dtype=float)
        p = 100.0 * np.asarray([b.p for b in s.bubble], dtype=float)
        se = 100.0 * np.asarray([b.se for b in s.bubble], dtype=float)
        light, dark = theme.label_color("Bubble"), theme.label_color("Bubble").darker(150)
        light.setAlpha(150)
        brushes = [pg.mkBrush(dark if y == run.score_year else light) for y in s.score_years]
        self.bars = pg.BarGraphItem(x=x, height=p, width=0.7, brushes=brushes, pen=None)
        plot.addItem(self.bars)
        plot.addItem(pg.ErrorBarItem(x=x, y=p, top=se, bottom=np.minimum(se, p), beam=0.25,
                                     pen=pg.mkPen(theme.muted(self.palette()), width=1)))
        plot.addLine(x=float(run.score_year), pen=pg.mkPen(dark, width=1, style=Qt.PenStyle.DashLine))
        plot.setYRange(0, 100, padding=0.02)
        if len(x):
            plot.setXRange(float(x.min()) - 0.6, float(x.max()) + 0.6, padding=0)
        at = next((b for y, b in zip(s.score_years, s.bubble, strict=True) if y == run.score_year), None)
        self.key.setText(f"by year · dashed: score year {run.score_year}" if at is not None
                         else f"by year · score year {run.score_year}: outside the model years")


class PaybackChart(Panel):
    """The sector's payback year: the share of paths paying back in each year (bars) and P(payback by the year)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Payback year", "Bars: the share of paths whose sector pays back during each year; red "
                         "line: P(payback by the end of the year), the CDF", None, parent)

    def show_run(self, run: SimulationRun, s: ScenarioSimulation) -> None:
        plot = self.plot
        plot.clear()
        plot.setLabel("left", "%")
        d = s.payback
        x = np.asarray(d.years, dtype=float)
        share = 100.0 * np.asarray(d.counts, dtype=float) / s.paths
        cdf = 100.0 * np.asarray(d.by_year, dtype=float)
        plot.addItem(pg.BarGraphItem(x=x, height=share, width=0.7, brush=pg.mkBrush(BAND_INNER), pen=None))
        plot.plot(x, cdf, pen=pg.mkPen(AS_ENTERED, width=2), symbol="o", symbolSize=5, symbolBrush=AS_ENTERED,
                  symbolPen=None)
        plot.setYRange(0, max(float(cdf.max(initial=0.0)), float(share.max(initial=0.0)), 5.0), padding=0.05)
        if len(x):
            plot.setXRange(float(x.min()) - 0.6, float(x.max()) + 0.6, padding=0)
        last = d.years[-1] if d.years else 0
        self.key.setText(f"never by {last}: {d.never / s.paths:.0%} · bars: in the year · line: by the year")


class DriversChart(Panel):
    """Contribution to variance (ρ² normalised) of the chosen headline output: the largest inputs, largest on
    top, coloured by the sign of the rank correlation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Drivers of", "Contribution to the variance of the chosen output: each input's squared "
                         "Spearman rank correlation with it, normalised to 100%. Blue: the output rises with the "
                         "input; red: it falls.", DRIVER_OUTPUTS, parent)
        self.key.setText("blue: raises · red: lowers")
        self.shown: list[tuple[str, float]] = []     # (input, share) top to bottom, as drawn (tests read it)
        self._last: tuple[list[str], ScenarioSimulation] | None = None

    def show_run(self, names: list[str], s: ScenarioSimulation) -> None:
        self._last = (names, s)
        self._draw()

    def fitting(self) -> int:
        """How many bars' names fit the plot's height without overlapping (at most MOST_DRIVERS, at least 3)."""
        line = self.fontMetrics().height() + 4
        room = self.plot_widget.height() - 40          # the bottom axis and its label
        return max(3, min(MOST_DRIVERS, room // line))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._last is not None and len(self.shown) != min(self.fitting(), len(self._last[0])):
            self._draw()

    def _draw(self) -> None:
        if self._last is None:
            return
        names, s = self._last
        key = self.chosen()
        shares, rho = s.contribution[key], s.rank_correlation[key]
        plot = self.plot
        plot.clear()
        order = sorted(range(len(names)), key=lambda j: shares[j])[-self.fitting():]   # largest last = on top
        y = np.arange(len(order), dtype=float)
        values = np.asarray([100.0 * shares[j] for j in order])
        brushes = [pg.mkBrush(LOWERS if rho[j] < 0 else RAISES) for j in order]
        plot.addItem(pg.BarGraphItem(x0=0, y=y, height=0.6, width=values, brushes=brushes, pen=None))
        axis = plot.getAxis("left")
        axis.setTicks([[(float(k), names[j]) for k, j in enumerate(order)]])
        widest = max((self.fontMetrics().horizontalAdvance(names[j]) for j in order), default=40)
        axis.setWidth(min(widest + 12, 170))
        plot.setXRange(0, max(float(values.max(initial=0.0)), 1.0), padding=0.05)
        plot.setYRange(-0.6, max(len(order), 1) - 0.4, padding=0)
        plot.setLabel("bottom", "% of variance")
        self.shown = [(names[j], shares[j]) for j in reversed(order)]
        if not any(math.isfinite(v) and v > 0 for v in shares):
            self.key.setText("no input moves this output")
        else:
            self.key.setText("blue: raises · red: lowers")


__all__ = ["FAN_OUTPUTS", "DRIVER_OUTPUTS", "BubbleChart", "DriversChart", "FanChart", "PaybackChart", "Panel"]
