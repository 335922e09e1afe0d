"""Layout helpers the views share: a column of widgets edge to edge, a flow of widgets that wraps, a box that keeps
a changing label from relaying out the window, and the set-up of a read-only table whose code sizes its columns and
rows."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLayout,
    QLayoutItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)


def column(*items: QWidget | QLayout, grow: QWidget, spacing: int = 0) -> QWidget:
    """A widget with ``items`` one above the other, edge to edge; ``grow`` takes the spare height."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(spacing)
    for item in items:
        if isinstance(item, QLayout):
            layout.addLayout(item)
        else:
            layout.addWidget(item, 1 if item is grow else 0)
    return box


class SteadyBox(QWidget):
    """``child`` filling a box that passes a change of its geometry on to the layout only when the room it needs
    changed.

    A QLabel's setText always asks its parent's layout to run again, and through the splitters that relays out the
    whole window: for the one-line answer, whose text changes on every edit, that was ~1.5 ms of every edit. The box
    has no layout of its own: the child's request ends here, and goes on only when the room the child needs (its height
    at the box's width, or its size hints) differs from before.
    """

    def __init__(self, child: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.child = child
        child.setParent(self)
        self.setSizePolicy(child.sizePolicy())
        self._needs = self._room()

    def _room(self) -> tuple[object, ...]:
        """What the layout asks of the child: its height at the box's width when that follows the width (a wrapping
        label: asking its size hints too would lay its text out twice more), else its size hint and minimum."""
        child = self.child
        if child.hasHeightForWidth():
            return (child.heightForWidth(self.width()),)
        return child.sizeHint(), child.minimumSizeHint()

    def sizeHint(self) -> QSize:
        return self.child.sizeHint()

    def minimumSizeHint(self) -> QSize:
        return self.child.minimumSizeHint()

    def hasHeightForWidth(self) -> bool:
        return self.child.hasHeightForWidth()

    def heightForWidth(self, width: int) -> int:
        return self.child.heightForWidth(width)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.child.setGeometry(self.rect())
        self._needs = self._room()

    def showEvent(self, event: QShowEvent) -> None:
        # While hidden the child's requests were not posted (Qt posts them to visible parents only): whatever it
        # became meanwhile, the layout asks again now.
        super().showEvent(event)
        if self.sizePolicy() != self.child.sizePolicy():
            self.setSizePolicy(self.child.sizePolicy())
        self._needs = self._room()
        self.updateGeometry()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:       # posted by the child's updateGeometry
            if self.sizePolicy() != self.child.sizePolicy():  # a wrapping QLabel sets its policy's heightForWidth
                self.setSizePolicy(self.child.sizePolicy())
            needs = self._room()
            if needs != self._needs:
                self._needs = needs
                self.updateGeometry()
            return True
        return super().event(event)


def fitted_table(table: QTableView, row_height: int, stretch_last: bool = False) -> None:
    """Set up ``table`` read-only with its columns and rows sized by its own code (a ``fit_columns``): no row
    numbers, rows at least ``row_height`` tall, fixed sections, headers centred and never highlighted."""
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    rows = table.verticalHeader()
    rows.hide()
    rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    rows.setMinimumSectionSize(row_height)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
    header.setHighlightSections(False)
    header.setStretchLastSection(stretch_last)


class FlowLayout(QLayout):
    """Widgets left to right, wrapping onto a new line when the width runs out."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, move: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and line > 0:
                x, y, line = rect.x(), y + line + self._spacing // 2, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing * 2
            line = max(line, hint.height())
        return y + line - rect.y()
