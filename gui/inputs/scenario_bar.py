"""The scenario list above the input sheets: which scenario is on screen, and new / duplicate / rename / delete.

Switching shows another scenario (the inputs, every result view); the operations are undoable commands.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui import commands
from gui.document import Document
from gui.inputs.panel import ElidedLabel
from model.core.overrides import BASE, ScenarioBook

BASE_DESCRIPTION = "The base: every input as the template gives it, each with its source."


def item_text(book: ScenarioBook, name: str) -> str:
    if name == BASE:
        return BASE
    n = len(book.alternative(name).overrides)
    return f"{name}  ({n} change{'s' if n != 1 else ''})"


class ScenarioBar(QWidget):
    message = Signal(str)

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.combo = QComboBox(self)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.setMinimumContentsLength(8)
        self.combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.combo.setToolTip("The scenario on screen: the base, or an alternative kept as its differences from the base")
        self.combo.activated.connect(self._on_activated)
        label = QLabel("Scenario:", self)
        label.setBuddy(self.combo)
        self.buttons: dict[str, QToolButton] = {}
        row = QHBoxLayout()
        row.setContentsMargins(4, 4, 4, 0)
        row.setSpacing(2)
        row.addWidget(label)
        row.addWidget(self.combo, 1)
        for key, text, tip, slot in (
                ("new", "New", "A new scenario: the base as it stands, to change cell by cell", self.new),
                ("duplicate", "Duplicate", "A copy of the scenario on screen", self.duplicate),
                ("rename", "Rename…", "Rename the scenario on screen", self.rename),
                ("delete", "Delete", "Delete the scenario on screen (Ctrl+Z undoes)", self.delete)):
            button = QToolButton(self)
            button.setText(text)
            button.setToolTip(tip)
            button.setAutoRaise(True)
            button.clicked.connect(slot)
            self.buttons[key] = button
            row.addWidget(button)
        self.description = ElidedLabel("", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 2)
        layout.setSpacing(0)
        layout.addLayout(row)
        desc_row = QHBoxLayout()
        desc_row.setContentsMargins(8, 0, 4, 0)
        desc_row.addWidget(self.description, 1)
        layout.addLayout(desc_row)
        document.bookChanged.connect(lambda _book: self.refresh())
        document.activeChanged.connect(lambda _name: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        book, active = self.document.book, self.document.active
        self.combo.blockSignals(True)
        self.combo.clear()
        for name in book.names:
            self.combo.addItem(item_text(book, name), name)
            description = BASE_DESCRIPTION if name == BASE else book.alternative(name).description
            self.combo.setItemData(self.combo.count() - 1, description or name, Qt.ItemDataRole.ToolTipRole)
        self.combo.setCurrentIndex(book.names.index(active))
        self.combo.blockSignals(False)
        on_base = active == BASE
        self.buttons["rename"].setEnabled(not on_base)
        self.buttons["delete"].setEnabled(not on_base)
        if on_base:
            text = BASE_DESCRIPTION
        else:
            described = book.alternative(active).description
            text = (f"{described} — " if described else "") + "Changed cells are marked; right-click one to reset it."
        self.description.setText(text)
        self.description.setToolTip(text)

    def names(self) -> list[str]:
        return [str(self.combo.itemData(i)) for i in range(self.combo.count())]

    # -- actions ----------------------------------------------------------------------------------------------------
    def _on_activated(self, index: int) -> None:
        self.document.switch(str(self.combo.itemData(index)))

    def new(self) -> bool:
        ok = commands.new_scenario(self.document)
        if ok:
            self.message.emit(f"New scenario {self.document.active!r}: edits now change it, not the base")
        return ok

    def duplicate(self) -> bool:
        return commands.duplicate_scenario(self.document)

    def rename(self) -> bool:
        old = self.document.active
        if old == BASE:
            return False
        new, ok = QInputDialog.getText(self, "Rename scenario", "Name:", text=old)
        return bool(ok) and commands.rename_scenario(self.document, old, new)

    def delete(self) -> bool:
        name = self.document.active
        ok = commands.delete_scenario(self.document, name)
        if ok:
            self.message.emit(f"Deleted scenario {name!r} (Ctrl+Z undoes)")
        return ok
