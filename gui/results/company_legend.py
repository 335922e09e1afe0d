"""One legend of company colours for all the charts; a click on a company selects it everywhere.

Painted rather than built from buttons so that it wraps onto a second line instead of forcing the window wider.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from gui import theme
from gui.results import palette_map
from model.core.results import Results

_SWATCH = 10
_GAP = 14


class CompanyLegend(QWidget):
    companyClicked = Signal(str)    # '' for the sector

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[tuple[str, QColor | None]] = []   # (name, colour); '' is the sector
        self.hidden = 0
        self.selected = ""
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setToolTip("Click a company to select it in every view; click Sector to go back")

    def show_results(self, results: Results) -> None:
        colors = palette_map.company_colors(results)
        entries = [("", None), *colors.items()]
        hidden = len(results.companies) - len(colors)
        if entries == self.entries and hidden == self.hidden:
            return   # nothing to repaint (a relayout here would repaint the whole window on every edit)
        self.entries, self.hidden = entries, hidden
        self.updateGeometry()
        self.update()

    def set_selected(self, company: str) -> None:
        if company != self.selected:
            self.selected = company
            self.update()

    # -- layout ---------------------------------------------------------------------------------------------------
    def _label(self, name: str) -> str:
        return name or "Sector"

    def _rects(self, width: int) -> list[QRectF]:
        fm = self.fontMetrics()
        bold = QFont(self.font())
        bold.setBold(True)
        line_h = fm.height() + 6
        x, y = 6.0, 2.0
        rects: list[QRectF] = []
        caption = fm.horizontalAdvance("Companies:") + 8
        x += caption
        for name, _color in self.entries:
            w = _SWATCH + 5 + fm.horizontalAdvance(self._label(name)) * 1.08 + _GAP
            if x + w > width - 4 and rects:
                x, y = 6.0 + caption, y + line_h
            rects.append(QRectF(x, y, w, line_h))
            x += w
        return rects

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        rects = self._rects(width)
        return int(max((r.bottom() for r in rects), default=self.fontMetrics().height() + 8) + 2)

    def sizeHint(self) -> QSize:
        width = max(self.width(), 400)
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(120, self.fontMetrics().height() + 8)

    # -- painting and clicks ----------------------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        fm = self.fontMetrics()
        text = palette.color(QPalette.ColorRole.WindowText)
        painter.setPen(theme.muted(palette))
        line_h = fm.height() + 6
        painter.drawText(QRectF(6, 2, 200, line_h), int(Qt.AlignmentFlag.AlignVCenter), "Companies:")
        bold = QFont(self.font())
        bold.setBold(True)
        for (name, color), rect in zip(self.entries, self._rects(self.width()), strict=True):
            chosen = name == self.selected
            x = rect.x()
            if color is not None:
                painter.fillRect(QRectF(x, rect.center().y() - _SWATCH / 2, _SWATCH, _SWATCH), color)
                x += _SWATCH + 5
            painter.setFont(bold if chosen else self.font())
            painter.setPen(text)
            painter.drawText(QRectF(x, rect.y(), rect.right() - x, rect.height()),
                             int(Qt.AlignmentFlag.AlignVCenter), self._label(name))
            if chosen:
                underline = QColor(color) if color is not None else palette.color(QPalette.ColorRole.Highlight)
                painter.fillRect(QRectF(rect.x(), rect.bottom() - 3, rect.width() - _GAP, 2), underline)
        if self.hidden > 0:
            rects = self._rects(self.width())
            last = rects[-1] if rects else QRectF(6, 2, 0, line_h)
            painter.setFont(self.font())
            painter.setPen(theme.muted(palette))
            painter.drawText(QRectF(last.right(), last.y(), max(self.width() - last.right(), 0), last.height()),
                             int(Qt.AlignmentFlag.AlignVCenter), f"+{self.hidden} more in grey")
        painter.end()

    def entry_at(self, x: float, y: float) -> str | None:
        for (name, _color), rect in zip(self.entries, self._rects(self.width()), strict=True):
            if rect.contains(x, y):
                return name
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        name = self.entry_at(event.position().x(), event.position().y())
        if name is not None:
            self.companyClicked.emit(name)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        hit = self.entry_at(event.position().x(), event.position().y()) is not None
        self.setCursor(Qt.CursorShape.PointingHandCursor if hit else Qt.CursorShape.ArrowCursor)
