"""The Simulation tab: paths, seed, Run and Cancel with a progress bar; the headline probabilities; a fan chart of
the sector's cumulative cash flow, the payback-year histogram with its CDF, and the contribution-to-variance bars.
The same seed gives the same picture (model.simulate is deterministic for a seed)."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gui import theme
from gui.document import Document
from gui.simulate.runner import SimulationRunner
from model.core.problems import TemplateError
from model.simulate.run import Simulation
from model.simulate.sampling import DEFAULT_SEED

DEFAULT_GUI_PATHS = 1000
BAND_OUTER, BAND_INNER, MEDIAN, AS_ENTERED = (QColor(46, 117, 182, 60), QColor(46, 117, 182, 110),
                                              QColor(31, 56, 100), QColor(192, 0, 0))


def _plot(title: str, left: str) -> pg.PlotWidget:
    widget = pg.PlotWidget()
    theme.style_plot(widget)
    plot = widget.getPlotItem()
    plot.setTitle(title, size="9pt")      # short and small: the plots shrink with the window, their titles do not
    plot.setLabel("left", left)
    plot.showGrid(x=False, y=True, alpha=0.3)
    plot.setMenuEnabled(False)
    widget.setMouseEnabled(x=False, y=False)
    widget.setMinimumSize(160, 150)
    return widget


class SimulationView(QWidget):
    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.runner = SimulationRunner(self)
        self.simulation: Simulation | None = None
        self.paths = QSpinBox()
        self.paths.setRange(10, 200_000)
        self.paths.setSingleStep(500)
        self.paths.setGroupSeparatorShown(True)
        self.paths.setValue(DEFAULT_GUI_PATHS)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setValue(DEFAULT_SEED)
        self.run_button = QPushButton("Run")
        self.run_button.setToolTip("Draw the Ranges tab's inputs together and recompute the scenario on screen on "
                                   "every path (off the window's thread)")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.bar = QProgressBar()
        self.bar.setTextVisible(True)
        self.bar.setValue(0)
        # Narrow minimums: the tab shares the window's width with the inputs down to a 1024-pixel-wide window.
        self.bar.setMinimumWidth(40)
        for button in (self.run_button, self.cancel_button):
            button.setMinimumWidth(56)
        controls = QHBoxLayout()
        for widget in (QLabel("Paths"), self.paths, QLabel("Seed"), self.seed, self.run_button, self.cancel_button):
            controls.addWidget(widget)
        controls.addWidget(self.bar, 1)
        self.dask = QLineEdit()
        self.dask.setPlaceholderText("tcp://host:8786 — blank: run here")
        self.dask.setToolTip("Run the batches on a dask.distributed cluster (needs pip install 'bubblescope[cluster]' "
                             "here and on the workers); the figures equal a local run's for the same seed")
        cluster = QHBoxLayout()
        cluster.addWidget(QLabel("Dask scheduler"))
        cluster.addWidget(self.dask, 1)
        self.status = QLabel("Ranges on inputs (the Ranges tab) give a probability of payback and of a bubble: "
                             "press Run.")
        self.status.setWordWrap(True)
        self.headline = QLabel("")
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        self.fan = _plot("Sector cumulative cash flow: P5–P95, P25–P75, P50", "$B")
        self.fan.setToolTip("Bands: P5–P95 and P25–P75 of the paths; dark line: P50; red dashes: as entered")
        self.payback = _plot("Payback year; P(by year)", "%")
        self.payback.setToolTip("Bars: the share of paths paying back in each year; red: P(payback by the year)")
        self.tornado = _plot("Drivers of horizon cash", "")
        self.tornado.setToolTip("Contribution to the variance of the sector's cumulative cash flow at the horizon "
                                "end: squared rank correlations, normalised")
        self.tornado.getPlotItem().getAxis("left").setWidth(110)
        self._items: list[pg.GraphicsObject] = []
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.payback)
        bottom.addWidget(self.tornado)
        charts = QSplitter(Qt.Orientation.Vertical)
        charts.addWidget(self.fan)
        charts.addWidget(bottom)
        for s in (bottom, charts):
            s.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addLayout(cluster)
        layout.addWidget(self.status)
        layout.addWidget(self.headline)
        layout.addWidget(charts, 1)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.runner.cancel)
        self.runner.progress.connect(self._on_progress)
        self.runner.finished.connect(self.show_simulation)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(lambda: self.status.setText("Cancelled: nothing changed."))
        self.runner.busyChanged.connect(self._on_busy)

    def run(self) -> bool:
        """Simulate the scenario on screen (its book and name are read now; later edits do not reach this run)."""
        self._scenario = self.document.active
        self.bar.setValue(0)
        where = f" on {self.dask.text().strip()}" if self.dask.text().strip() else ""
        self.status.setText(f"Simulating {self.paths.value():,} paths of {self._scenario}, seed "
                            f"{self.seed.value()}{where}…")
        return self.runner.start(self.document.book, self._scenario, self.paths.value(), self.seed.value(),
                                 self.dask.text())

    def _on_busy(self, busy: bool) -> None:
        self.run_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)

    def _on_progress(self, done: int, total: int) -> None:
        self.bar.setMaximum(total)
        self.bar.setValue(done)

    def _on_failed(self, error: Exception) -> None:
        if isinstance(error, TemplateError):
            lines = [error.summary] + [str(p) for p in error.problems[:4]]
            self.status.setText("\n".join(lines))
        else:
            self.status.setText(f"The simulation failed: {error}")

    # -- the picture ------------------------------------------------------------------------------------------------
    def show_simulation(self, sim: Simulation) -> None:
        self.simulation = sim
        s = sim.scenarios[0]
        self.status.setText(f"{sim.paths:,} paths of {s.name}, seed {sim.seed} (Latin hypercube, Iman–Conover), "
                            f"{sim.where}, {sim.seconds:.1f} s. The same seed gives the same picture.")
        npv = s.headline("npv")
        parts = [f"<b>{p.label}: {p.p:.0%}</b> ± {p.se:.1%}" for p in s.probabilities]
        parts.append(f"Sector NPV P50 {npv.p50:,.0f} $B [P5 {npv.p5:,.0f} … P95 {npv.p95:,.0f}] ± "
                     f"{npv.se_p50:,.0f}")
        self.headline.setText(" &nbsp;·&nbsp; ".join(parts))
        self._draw_fan(s.years, s.fans["cumulative_cash_flow"], s.deterministic_fans["cumulative_cash_flow"])
        self._draw_payback(s.years, s.payback.counts, s.payback.by_year, s.paths)
        self._draw_tornado([i.name for i in sim.inputs], s.contribution["final_cumulative_cash_flow"])

    def _draw_fan(self, years: tuple[int, ...], fan: dict[str, list[float]], entered: list[float]) -> None:
        plot = self.fan.getPlotItem()
        plot.clear()
        x = np.asarray(years, dtype=float)
        curves = {q: pg.PlotDataItem(x, np.asarray(fan[q], dtype=float), pen=pg.mkPen(BAND_OUTER))
                  for q in ("P5", "P25", "P75", "P95")}
        plot.addItem(pg.FillBetweenItem(curves["P5"], curves["P95"], brush=pg.mkBrush(BAND_OUTER)))
        plot.addItem(pg.FillBetweenItem(curves["P25"], curves["P75"], brush=pg.mkBrush(BAND_INNER)))
        plot.plot(x, np.asarray(fan["P50"], dtype=float), pen=pg.mkPen(MEDIAN, width=2.5))
        plot.plot(x, np.asarray(entered, dtype=float), pen=pg.mkPen(AS_ENTERED, width=1.5,
                                                                     style=Qt.PenStyle.DashLine))
        plot.addLine(y=0, pen=pg.mkPen(theme.grid_color(self.palette()), style=Qt.PenStyle.DashLine))

    def _draw_payback(self, years: tuple[int, ...], counts: tuple[int, ...], by_year: tuple[float, ...],
                      paths: int) -> None:
        plot = self.payback.getPlotItem()
        plot.clear()
        x = np.asarray(years, dtype=float)
        share = 100.0 * np.asarray(counts, dtype=float) / paths
        plot.addItem(pg.BarGraphItem(x=x, height=share, width=0.7, brush=pg.mkBrush(BAND_INNER), pen=None))
        plot.plot(x, 100.0 * np.asarray(by_year), pen=pg.mkPen(AS_ENTERED, width=2), symbol="o", symbolSize=5,
                  symbolBrush=AS_ENTERED)
        plot.setYRange(0, 1.05 * max(100.0 * max(by_year, default=0.0), float(share.max(initial=0.0)), 5.0))

    def _draw_tornado(self, names: list[str], shares: list[float]) -> None:
        plot = self.tornado.getPlotItem()
        plot.clear()
        order = sorted(range(len(names)), key=lambda j: shares[j])[-8:]     # the eight largest, largest on top
        y = np.arange(len(order), dtype=float)
        values = np.asarray([100.0 * shares[j] for j in order])
        plot.addItem(pg.BarGraphItem(x0=0, y=y, height=0.6, width=values, brush=pg.mkBrush(MEDIAN), pen=None))
        plot.getAxis("left").setTicks([[(float(k), names[j]) for k, j in enumerate(order)]])
        plot.setXRange(0, max(float(values.max(initial=0.0)), 1.0) * 1.05)
        plot.setLabel("bottom", "% of variance")

    def fan_data(self) -> dict[str, list[float]]:
        """What the fan chart shows (for tests): the P50 curve's values."""
        if self.simulation is None:
            return {}
        return self.simulation.scenarios[0].fans["cumulative_cash_flow"]


__all__ = ["SimulationView"]
