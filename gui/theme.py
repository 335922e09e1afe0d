"""Colours and fonts, derived from the system palette so the window follows light and dark mode.

Only the data colours are fixed (a company keeps its colour in every chart); they are mid-tone hues chosen to read on
both a light and a dark background. Everything else is a palette role.
"""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

# Tableau 10: distinct, colour-blind-aware, readable on light and dark backgrounds.
SERIES = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f",
          "#bab0ac")
OTHERS = "#8c8c8c"

DEAL_KIND_COLORS = {
    "equity": "#4e79a7",
    "debt": "#e15759",
    "vendor financing": "#f28e2b",
    "compute commitment": "#b07aa1",
    "cloud credits": "#59a14f",
}

LABEL_COLORS = {"Healthy": "#3a9a4a", "Boom": "#d9a21b", "Bubble": "#d64541", "No data": OTHERS}


def company_color(index: int) -> QColor:
    return QColor(SERIES[index % len(SERIES)])


def deal_color(kind: str) -> QColor:
    return QColor(DEAL_KIND_COLORS.get(kind, OTHERS))


def label_color(label: str) -> QColor:
    return QColor(LABEL_COLORS.get(label, OTHERS))


def blend(a: QColor, b: QColor, t: float) -> QColor:
    """``a`` moved a fraction ``t`` towards ``b``."""
    return QColor(round(a.red() + (b.red() - a.red()) * t), round(a.green() + (b.green() - a.green()) * t),
                  round(a.blue() + (b.blue() - a.blue()) * t))


def error_tint(palette: QPalette) -> QColor:
    return blend(palette.color(QPalette.ColorRole.Base), QColor("#e15759"), 0.35)


def override_tint(palette: QPalette) -> QColor:
    """A cell the scenario on screen changes (it differs from the base)."""
    return blend(palette.color(QPalette.ColorRole.Base), QColor("#edc948"), 0.45)


def muted(palette: QPalette) -> QColor:
    """Secondary text: between the text and the background."""
    return blend(palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Window), 0.4)


def grid_color(palette: QPalette) -> QColor:
    return blend(palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Text), 0.15)


def style_plot(widget: pg.PlotWidget, palette: QPalette | None = None) -> None:
    """Background, axes and text of a chart from the palette (re-run on a palette change)."""
    palette = palette or QApplication.palette()
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    widget.setBackground(base)
    plot = widget.getPlotItem()
    font = QApplication.font()
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setPen(pg.mkPen(grid_color(palette)))
        axis.setTextPen(pg.mkPen(text))
        axis.setTickFont(font)
        axis.label.setFont(font)
    legend = plot.legend
    if legend is not None:
        legend.setLabelTextColor(text)
        legend.setBrush(pg.mkBrush(QColor(base.red(), base.green(), base.blue(), 210)))
        legend.setPen(pg.mkPen(grid_color(palette)))


def heading_font(widget: QWidget, scale: float = 1.0, bold: bool = True) -> QFont:
    font = QFont(widget.font())
    if font.pointSizeF() > 0:
        font.setPointSizeF(font.pointSizeF() * scale)
    else:
        font.setPixelSize(round(font.pixelSize() * scale))
    font.setBold(bold)
    return font
