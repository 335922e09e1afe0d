"""The bubble score over time: the composite of every model year on the Healthy / Boom / Bubble bands, with the
score-year control.

The numbers are the model's (``EntityResult.score_by_year``, ``ScoreHistory.labels``); the bands are the
Assumptions' Boom and Bubble scores. Choosing a year in the control asks for the Score year assumption to change
(``yearChosen``): the window turns it into an ordinary, undoable edit of the Assumptions sheet.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QResizeEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from gui import theme
from model.core import formatting
from model.core.edit import CellInput, EditRefused, set_cells
from model.core.results import EntityResult, Results
from model.core.scenario import Scenario

SCORE_YEAR = "Score year"


def bands(results: Results) -> tuple[tuple[float, float, str], ...]:
    """(low, high, label) of the three readings, from the Assumptions' cut-offs."""
    boom, bubble = results.assumptions["Boom score"], results.assumptions["Bubble score"]
    return ((0.0, boom, "Healthy"), (boom, bubble, "Boom"), (bubble, 100.0, "Bubble"))


def history_caption(entity: EntityResult, last_year: int) -> str:
    """The line under the chart: when the reading first turns Bubble, or that it does not."""
    year = entity.first_year_labelled("Bubble")
    who = "The sector" if entity.is_sector else entity.name
    if year is None:
        return f"{who} reads Bubble in no year up to {last_year}"
    return f"{who} first reads Bubble in {year}"


def with_score_year(scenario: Scenario, year: int) -> Scenario:
    """The scenario with its Score year assumption set to ``year`` (raises EditRefused without that row)."""
    table = scenario.assumptions
    for i, name in enumerate(table.column_values("name")):
        if isinstance(name, str) and name.strip().lower() == SCORE_YEAR.lower():
            return set_cells(scenario, "Assumptions", [CellInput(i, "value", str(year))])
    raise EditRefused("Assumptions", -1, "name", "the Assumptions sheet has no 'Score year' row to set")


class ScoreHistoryChart(QWidget):
    """The composite per year as a line with a dot per year coloured by its reading, over the three bands; a
    vertical line marks the score year, which the combo box beside the title sets."""

    yearChosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("Score by year")
        self.title.setFont(theme.heading_font(self, 0.95))
        self.year_box = QComboBox()
        self.year_box.setToolTip("The Score year: the year whose indicators the bars above show and the headline "
                                 "reads (Assumptions sheet). Changing it is an edit you can undo.")
        self.year_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.year_box.activated.connect(self._on_activated)
        self.caption = QLabel("")
        self.caption.setWordWrap(True)
        self.plot = pg.PlotWidget()
        theme.style_plot(self.plot, self.palette())
        self.plot.setMouseEnabled(False, False)
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.setMinimumHeight(48)
        # the chart takes the height the indicator bars leave, never theirs
        self.plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.plot.setMaximumHeight(150)
        item = self.plot.getPlotItem()
        # Room above the plot for the top tick's label, centred on the plot's top edge ("100" was cut in half)
        item.layout.setContentsMargins(1, self.fontMetrics().height() // 2 + 1, 1, 1)
        item.setYRange(0, 100, padding=0.02)
        item.getAxis("left").setTicks([[(0, "0"), (40, "40"), (70, "70"), (100, "100")]])
        # The three bands are made once and moved when the cut-offs change: adding and removing plot items on
        # every edit cost more than the rest of the score view's update.
        self.band_items: list[pg.LinearRegionItem] = []
        self._cuts: tuple[tuple[float, float, str], ...] = ()
        for label in ("Healthy", "Boom", "Bubble"):
            color = QColor(theme.LABEL_COLORS[label])
            color.setAlpha(38)
            region = pg.LinearRegionItem((0, 0), orientation="horizontal", movable=False, brush=color,
                                         pen=pg.mkPen(None))
            region.setZValue(-10)
            item.addItem(region)
            self.band_items.append(region)
        self._line_color = ""
        self._tooltip = ""
        self.line = pg.PlotDataItem([], [], pen=pg.mkPen(theme.muted(self.palette()), width=2), antialias=True)
        self.dots = pg.ScatterPlotItem(size=8, pen=pg.mkPen(None))
        self.marker = pg.InfiniteLine(angle=90, movable=False,
                                      pen=pg.mkPen(theme.muted(self.palette()), style=Qt.PenStyle.DashLine))
        item.addItem(self.line)
        item.addItem(self.dots)
        item.addItem(self.marker)
        self.years: tuple[int, ...] = ()
        self.values: list[float | None] = []

        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        head.addWidget(self.title)
        head.addStretch(1)
        head.addWidget(QLabel("Score year"))
        head.addWidget(self.year_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(head)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.caption)
        layout.addStretch(0)      # height past the plot's largest goes below the caption, not between them

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        # the band edges as ticks when there is room for them; 0 and 100 alone on a short chart
        cuts = [(0, "0"), (40, "40"), (70, "70"), (100, "100")] if self.plot.height() >= 90 else [(0, "0"), (100, "100")]
        self.plot.getPlotItem().getAxis("left").setTicks([cuts])

    def hasHeightForWidth(self) -> bool:
        # The wrapping caption would make the score view lay this out by height-for-width, which counts the plot
        # (its size policy ignores its hint) as nothing and squeezes it under the caption: lay out by minimum and
        # hint instead (the caption still wraps inside).
        return False

    def sizeHint(self) -> QSize:
        # room for a readable chart when the window has it (the plot itself gives way first when it has not)
        return QSize(360, 150 + 2 * self.fontMetrics().height())

    def _on_activated(self, index: int) -> None:
        if 0 <= index < len(self.years):
            self.yearChosen.emit(self.years[index])

    def _set_bands(self, results: Results) -> None:
        cuts = bands(results)
        if cuts == self._cuts:
            return
        self._cuts = cuts
        for region, (low, high, label) in zip(self.band_items, cuts, strict=True):
            region.setRegion((low, high))
            region.setToolTip(f"{label}: composite {low:g}–{high:g}")

    def show_entity(self, results: Results | None, entity: str = "") -> None:
        if results is None:
            self.line.setData([], [])
            self.dots.setData([], [])
            self.caption.setText("")
            return
        e = results.entity(entity) if entity in results.companies else results.sector
        self._set_bands(results)
        years_changed = results.years != self.years
        self.years = results.years
        by_year = e.score_by_year
        self.values = [by_year.get(y) for y in self.years]
        x = np.array(self.years, dtype=float)
        y = np.array([np.nan if v is None else v for v in self.values], dtype=float)
        self.line.setData(x, y, connect="finite")
        labels = e.history.labels if e.history is not None else (e.score.label,) * len(self.years)
        keep = ~np.isnan(y)
        self.dots.setData(x[keep], y[keep], brush=[pg.mkBrush(theme.LABEL_COLORS.get(lab, theme.OTHERS))
                                                   for lab, k in zip(labels, keep, strict=True) if k])
        tooltip = "<br>".join(f"{year}: {formatting.score(v)} — {lab}"
                              for year, v, lab in zip(self.years, self.values, labels, strict=True))
        if tooltip != self._tooltip:
            self._tooltip = tooltip
            self.dots.setToolTip(tooltip)
        if years_changed:
            self.plot.getPlotItem().setXRange(self.years[0] - 0.5, self.years[-1] + 0.5, padding=0)
        if self.marker.value() != results.score_year:
            self.marker.setValue(results.score_year)
        texts = [str(year) for year in self.years]
        if years_changed and [self.year_box.itemText(i) for i in range(self.year_box.count())] != texts:
            self.year_box.blockSignals(True)
            self.year_box.clear()
            self.year_box.addItems(texts)
            self.year_box.blockSignals(False)
        current = self.years.index(results.score_year)
        if self.year_box.currentIndex() != current:
            self.year_box.blockSignals(True)
            self.year_box.setCurrentIndex(current)
            self.year_box.blockSignals(False)
        who = "Sector" if e.is_sector else e.name
        _set_text(self.title, f"Score by year · {who}")
        _set_text(self.caption, history_caption(e, self.years[-1]))
        color = theme.blend(theme.muted(self.palette()), QColor(theme.LABEL_COLORS.get(e.score.label, theme.OTHERS)),
                            0.5)
        if color.name() != self._line_color:      # a new pen re-renders the curve's path
            self._line_color = color.name()
            self.line.setPen(pg.mkPen(color, width=2))


def _set_text(label: QLabel, text: str) -> None:
    if label.text() != text:
        label.setText(text)
