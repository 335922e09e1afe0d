"""The headline figures of a simulation as a compact table: as entered, P5, P50 ± its standard error, P95, and the
mean ± its standard error, for the sector's NPV, horizon cash, payback year and score. The numbers are the model's
(model.simulate.run.Headline); this only writes them."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from model.simulate.run import Headline, ScenarioSimulation

# Row order and the analyst's short names; the model's full label goes in the tooltip.
ROWS: dict[str, str] = {
    "npv": "NPV, $B",
    "final_cumulative_cash_flow": "Horizon cash, $B",
    "payback_year": "Payback year",
    "score": "Score",
}
COLUMNS = ("As entered", "P5", "P50 ± SE", "P95", "Mean ± SE")


def figure(value: float, unit: str) -> str:
    """A headline value: $B whole, a year to one decimal ('never' past the horizon), a score whole."""
    if math.isinf(value) and value > 0 and unit == "year":
        return "never"
    if not math.isfinite(value):
        return "–"
    if unit == "year":
        return f"{value:.1f}"
    return f"{value:,.0f}".replace("-", "−")


def standard_error(se: float, unit: str) -> str:
    """'± 26': one more decimal than the value for a year or a score (their SEs are often below one)."""
    if not math.isfinite(se):
        return "± –"
    return f"± {se:,.0f}" if unit == "$B" else f"± {se:.1f}"


def cells(h: Headline) -> tuple[str, ...]:
    """The row's texts under COLUMNS."""
    return (figure(h.deterministic, h.unit), figure(h.p5, h.unit),
            _with_se(h.p50, h.se_p50, h.unit), figure(h.p95, h.unit),
            _with_se(h.mean, h.se_mean, h.unit))


def _with_se(value: float, se: float, unit: str) -> str:
    """'−1,825 ± 26'; a figure without a finite SE ('never', no mean) alone."""
    if not (math.isfinite(value) and math.isfinite(se)):
        return figure(value, unit)
    return f"{figure(value, unit)} {standard_error(se, unit)}"


class HeadlineTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(len(ROWS), len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(list(COLUMNS))
        self.setVerticalHeaderLabels(list(ROWS.values()))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)   # copy a block to a sheet
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)      # set in resizeEvent: all in view
        header.setMinimumSectionSize(40)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)   # over the figures
        header.setToolTip("P5 / P50 / P95: percentiles of the paths; SE: the standard error of the P50 "
                          "(order statistics) and of the mean (sd ÷ √paths) — how much another seed could move them")
        rows = self.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(self.horizontalHeader().sizeHint().height() + len(ROWS) * rows.defaultSectionSize()
                            + 2 * self.frameWidth())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Each column as wide as its texts, the spare width shared out: '−1,825 ± 26' never elides while the
        window has room for it."""
        header = self.horizontalHeader()
        need = [max(self.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in range(self.columnCount())]
        spare = max(self.viewport().width() - sum(need), 0) // max(self.columnCount(), 1)
        for c, width in enumerate(need):
            self.setColumnWidth(c, width + spare)

    def show_figures(self, s: ScenarioSimulation) -> None:
        for r, key in enumerate(ROWS):
            h = s.headline(key)
            self.verticalHeaderItem(r).setToolTip(h.label)
            for c, text in enumerate(cells(h)):
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if key == "payback_year" and c == 4 and text == "–":
                    item.setToolTip("No mean: some paths never pay back within the horizon")
                self.setItem(r, c, item)
        self._fit_columns()

    def texts(self) -> list[list[str]]:
        """The table as shown (for tests)."""
        return [[_text(self.item(r, c)) for c in range(self.columnCount())] for r in range(self.rowCount())]


def _text(item: QTableWidgetItem | None) -> str:
    return item.text() if item is not None else ""


__all__ = ["COLUMNS", "ROWS", "HeadlineTable", "cells", "figure", "standard_error"]
