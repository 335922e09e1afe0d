"""A list of problems (a refused import, the warnings of a scenario): every sheet, cell, value and expectation,
in a table the analyst can sort and copy into a mail or a ticket."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from model.core.problems import Problem
from model.core.values import cut

HEADERS = ("Severity", "Sheet", "Cell", "Column", "Value", "Expected", "Problem")


def problem_cells(p: Problem) -> tuple[str, ...]:
    value = "" if p.value is None else cut(str(p.value))     # a cell may hold 32,767 characters
    return (p.severity, p.sheet, p.cell, p.column, value, p.expected, p.message)


def problems_text(problems: Sequence[Problem]) -> str:
    """Tab-separated, with a header row: pastes into a spreadsheet as a table."""
    rows = [HEADERS, *(problem_cells(p) for p in problems)]
    return "\n".join("\t".join(c.replace("\t", " ").replace("\n", " ") for c in row) for row in rows) + "\n"


class ProblemsDialog(QDialog):
    def __init__(self, title: str, summary: str, problems: Sequence[Problem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        # A problem the summary already says (a refused file's one reason) is not listed a second time.
        self.problems = tuple(p for p in problems if not (p.message and p.message in summary and not p.cell))
        self.summary = QLabel(summary)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(len(self.problems), len(HEADERS), self)
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(True)
        for r, p in enumerate(self.problems):
            for c, text in enumerate(problem_cells(p)):
                item = QTableWidgetItem(text)
                item.setToolTip(str(p))
                self.table.setItem(r, c, item)
        header = self.table.horizontalHeader()
        for c in range(len(HEADERS) - 1):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
            # A column no problem fills (a refused file has no cell, column or value) is left out.
            self.table.setColumnHidden(c, all(not problem_cells(p)[c] for p in self.problems))
        header.setSectionResizeMode(len(HEADERS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.setSortingEnabled(True)
        self.table.setVisible(bool(self.problems))
        copy = QPushButton("Copy all")
        copy.setToolTip("Copy every problem as a tab-separated table (pastes into Excel)")
        copy.clicked.connect(self.copy_all)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Copy), self).activated.connect(self.copy_selected)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        copy.setVisible(bool(self.problems))
        self.resize(*self._fitted_size())

    def _fitted_size(self) -> tuple[int, int]:
        """As large as the list needs, within 980 × 520: a one-line message gets a small dialog."""
        char = self.fontMetrics().averageCharWidth()
        if not self.problems:
            return min(max(60 * char, self.summary.sizeHint().width() + 40), 640), 10
        self.table.resizeColumnsToContents()
        shown = [c for c in range(len(HEADERS)) if not self.table.isColumnHidden(c)]
        width = sum(min(self.table.columnWidth(c), 60 * char) for c in shown) + 48
        rows = self.table.verticalHeader().defaultSectionSize() * min(len(self.problems), 12)
        height = rows + self.table.horizontalHeader().sizeHint().height() + self.summary.sizeHint().height() + 110
        return max(min(width, 980), 420), min(height, 520)

    def copy_all(self) -> None:
        QGuiApplication.clipboard().setText(problems_text(self.problems))

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def copy_selected(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        if not rows:
            self.copy_all()
            return
        lines = ["\t".join(self._text(r, c) for c in range(len(HEADERS))) for r in rows]
        QGuiApplication.clipboard().setText("\n".join(lines) + "\n")
