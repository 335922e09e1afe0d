"""Which scenarios the compare view compares: a box per scenario of the book, in the scenario's colour (the
charts' line and the table header's strip), wrapping onto more lines when the width runs out."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QCheckBox, QSizePolicy, QWidget

from gui import theme
from gui.compare.rows import descriptions_of, esc
from gui.layouts import FlowLayout
from model.core.overrides import BASE, ScenarioBook


def swatch(color: QColor, thick: bool = False, size: int = 14) -> QIcon:
    """A legend's line sample: thick for the base."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(color)
    h = 6 if thick else 4
    painter.drawRoundedRect(0, (size - h) // 2, size, h, 1.5, 1.5)
    painter.end()
    icon = QIcon(pixmap)
    icon.addPixmap(pixmap, QIcon.Mode.Disabled)     # the base's box cannot be unticked, its colour still reads
    return icon



class ScenarioPicker(QWidget):
    """``show_book(book, palette)`` after every change of the book; ``chosen_names()`` are the scenarios ticked, the
    base always (every difference is measured from it). Each alternative keeps its choice and colour while it
    exists, through a rename too. The colours are read against the compare view's ``palette``."""

    changed = Signal()       # the analyst (or set_checked) ticked or unticked a scenario

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.book: ScenarioBook | None = None
        self.unchecked: set[str] = set()
        self.colors: dict[str, QColor] = {}
        self.boxes: dict[str, QCheckBox] = {}
        self._slots: dict[str, int] = {}         # alternative -> its colour's index in theme.SERIES
        self._book_names: tuple[str, ...] = ()
        self.flow = FlowLayout(self)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def show_book(self, book: ScenarioBook, palette: QPalette) -> None:
        self.book = book
        names = book.names
        old = self._book_names
        if names == old:
            self._refresh_boxes(palette)
            return
        # A rename keeps the scenario's choice and colour: one name gone and one new at the same place.
        if len(names) == len(old):
            changed = [(a, b) for a, b in zip(old, names, strict=True) if a != b]
            if len(changed) == 1 and changed[0][1] not in old:
                before, after = changed[0]
                if before in self.unchecked:
                    self.unchecked.add(after)
                if before in self._slots:
                    self._slots[after] = self._slots.pop(before)
        self.unchecked &= set(names)
        self._book_names = names
        self._assign_colors(names, palette)
        self._rebuild_boxes(palette)

    def restyle(self, palette: QPalette) -> None:
        """The view's palette changed: the base's colour and the boxes follow it."""
        if self.book is not None:
            self._assign_colors(self._book_names, palette)
            self._refresh_boxes(palette)

    def chosen_names(self) -> tuple[str, ...]:
        if self.book is None:
            return ()
        return tuple(n for n in self.book.names if n == BASE or n not in self.unchecked)

    def set_checked(self, name: str, checked: bool) -> None:
        """Compare the scenario ``name`` or not (the base is always compared)."""
        if name == BASE or (name in self.unchecked) == (not checked):
            return
        if checked:
            self.unchecked.discard(name)
        else:
            self.unchecked.add(name)
        box = self.boxes.get(name)
        if box is not None and box.isChecked() != checked:
            box.blockSignals(True)
            box.setChecked(checked)
            box.blockSignals(False)
        self.changed.emit()

    def _assign_colors(self, names: tuple[str, ...], palette: QPalette) -> None:
        """Each alternative keeps its colour while it exists (unchecking or deleting another repaints nothing);
        the base is drawn in the text's colour, the reference the others are read against."""
        for gone in [n for n in self._slots if n not in names]:
            del self._slots[gone]
        for name in names:
            if name != BASE and name not in self._slots:
                used = set(self._slots.values())
                self._slots[name] = next((k for k in range(len(theme.SERIES)) if k not in used),
                                         len(self._slots) % len(theme.SERIES))
        base = theme.blend(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.12)
        self.colors = {name: base if name == BASE else QColor(theme.SERIES[self._slots[name]]) for name in names}

    def color_of(self, name: str) -> QColor:
        return self.colors.get(name, QColor(theme.OTHERS))

    def description_of(self, name: str) -> str:
        if self.book is None:
            return ""
        return descriptions_of(self.book).get(name, "")

    def _rebuild_boxes(self, palette: QPalette) -> None:
        for box in self.boxes.values():
            self.flow.removeWidget(box)
            box.deleteLater()
        self.boxes = {}
        for name in self._book_names:
            box = QCheckBox(name, self)
            box.setChecked(name == BASE or name not in self.unchecked)
            if name == BASE:
                box.setEnabled(False)        # always compared: the differences are measured from it
            box.toggled.connect(lambda on, n=name: self.set_checked(n, on))
            self.flow.addWidget(box)
            self.boxes[name] = box
        self._refresh_boxes(palette)
        self.updateGeometry()

    def _refresh_boxes(self, palette: QPalette) -> None:
        if self.book is None:
            return
        for name, box in self.boxes.items():
            box.setIcon(swatch(self.color_of(name), thick=name == BASE))
            box.setToolTip(self.tip(name))
            if name == BASE:     # disabled (always compared), but it reads as compared, not greyed out
                own = QPalette(palette)
                own.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText,
                             own.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText))
                box.setPalette(own)

    def tip(self, name: str, problems: int = 0) -> str:
        """A scenario's tooltip: its name, description, how many changes and, if any, the overrides that no longer
        fit the base."""
        assert self.book is not None
        lines = [f"<b>{esc(name)}</b>", esc(self.description_of(name))]
        if name == BASE:
            lines.append("Always compared: every difference is measured from it.")
        else:
            n = len(self.book.alternative(name).overrides)
            lines.append(f"{n} change{'s' if n != 1 else ''} from the base")
        if problems:
            lines.append(f"⚠ {problems} override{'s' if problems != 1 else ''} no longer fit the base")
        return "<br>".join(x for x in lines if x)
