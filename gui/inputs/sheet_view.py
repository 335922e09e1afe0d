"""A spreadsheet-like view on one input sheet: type to edit, Enter/Tab move, copy and paste blocks as Excel does."""

from __future__ import annotations

import csv
import io

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHeaderView,
    QTableView,
    QToolTip,
    QWidget,
)

from gui.inputs.table_model import ScenarioTableModel, SortProxy
from model.core.edit import CellInput, EditRefused

_Hint = QAbstractItemDelegate.EndEditHint


def parse_clipboard(text: str) -> list[list[str]]:
    """Tab-separated rows as Excel puts them on the clipboard (quoted cells may hold tabs and newlines)."""
    text = text.replace("\r\n", "\n").rstrip("\n")
    if not text:
        return []
    return [row for row in csv.reader(io.StringIO(text), delimiter="\t")]


def to_clipboard(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    return out.getvalue()


class SheetView(QTableView):
    companyActivated = Signal(str)     # the company of the current row, for sheets whose rows name one
    message = Signal(str)              # for the status bar

    def __init__(self, model: ScenarioTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.source = model
        self.proxy = SortProxy(self)
        self.proxy.setSourceModel(model)
        self.setModel(self.proxy)
        self.setSortingEnabled(True)
        self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)   # sheet order until the analyst clicks a header
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.horizontalHeader().setHighlightSections(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.horizontalHeader().setStretchLastSection(False)
        model.refusedAt.connect(self._show_refusal)
        model.modelReset.connect(self.fit_columns)
        model.columnsInserted.connect(self.fit_columns)
        self.selectionModel().currentChanged.connect(self._current_changed)
        self.fit_columns()

    # -- layout -------------------------------------------------------------------------------------------------
    def fit_columns(self) -> None:
        """Column widths wide enough for the header's words and the values of the first rows (as displayed),
        at least the schema's width; long free text (sources, notes) stays at the schema's width."""
        char = self.fontMetrics().averageCharWidth()
        metrics = self.fontMetrics()
        header_metrics = self.horizontalHeader().fontMetrics()
        rows = min(self.source.rowCount(), 200)
        for c in range(self.source.columnCount()):
            column = self.source.column(c)
            words = str(self.source.headerData(c, Qt.Orientation.Horizontal)).split("\n")
            width = max(column.width * char * 0.8, max(header_metrics.horizontalAdvance(w) for w in words) + 18)
            texts = {str(self.source.index(r, c).data() or "") for r in range(rows)}
            # The widest text is among the longest: measure only those. Sources and notes too, up to the cap: at
            # the schema's width alone a source read "https://s".
            for text in sorted(texts, key=len, reverse=True)[:8]:
                width = max(width, metrics.horizontalAdvance(text) + 14)
            self.setColumnWidth(c, int(min(width, 42 * char)))

    # -- mapping ------------------------------------------------------------------------------------------------
    def source_index(self, index: QModelIndex) -> QModelIndex:
        return self.proxy.mapToSource(index)

    _keep_company = False

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or self._keep_company:
            return
        table = self.source.table
        row = self.proxy.mapToSource(current).row()
        if "company" in table.keys and table.sheet in ("Capex", "Revenue") and 0 <= row < len(table):
            self.companyActivated.emit(str(table.value(row, "company") or ""))

    def select_company(self, company: str) -> None:
        table = self.source.table
        if "company" not in table.keys or table.sheet not in ("Capex", "Revenue"):
            return
        for r, name in enumerate(table.column_values("company")):
            if name == company:
                index = self.proxy.mapFromSource(self.source.index(r, 0))
                current = self.currentIndex()
                if current.isValid() and self.proxy.mapToSource(current).row() == r:
                    return
                self.selectionModel().setCurrentIndex(
                    index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
                self.scrollTo(index)
                return

    # -- keyboard -------------------------------------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
        elif event.matches(QKeySequence.StandardKey.Paste):
            self.paste()
        elif event.matches(QKeySequence.StandardKey.Cut):
            self.copy()
            self.clear_selection_cells()
        elif event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and self.state() != self.State.EditingState:
            self.clear_selection_cells()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.state() != self.State.EditingState:
            self._move(1 if not event.modifiers() & Qt.KeyboardModifier.ShiftModifier else -1, 0)
        elif event.key() == Qt.Key.Key_Tab and self.state() != self.State.EditingState:
            self._move(0, 1)
        elif event.key() == Qt.Key.Key_Backtab and self.state() != self.State.EditingState:
            self._move(0, -1)
        else:
            super().keyPressEvent(event)

    def focusNextPrevChild(self, next_: bool) -> bool:
        # Tab moves between cells, as in a spreadsheet, instead of leaving the table.
        if self.state() != self.State.EditingState:
            self._move(0, 1 if next_ else -1)
            return True
        return super().focusNextPrevChild(next_)

    def closeEditor(self, editor: QWidget, hint: _Hint) -> None:
        # Enter commits and moves down, Tab commits and moves right (Excel), without opening the next editor.
        moves = {_Hint.SubmitModelCache: (1, 0), _Hint.EditNextItem: (0, 1), _Hint.EditPreviousItem: (0, -1)}
        move = moves.get(hint)
        super().closeEditor(editor, _Hint.NoHint if move else hint)
        if move:
            # The results stay on the company just edited (the one whose outputs change), not the next row's.
            self._keep_company = True
            try:
                self._move(*move)
            finally:
                self._keep_company = False

    def _move(self, d_row: int, d_col: int) -> None:
        current = self.currentIndex()
        if not current.isValid():
            return
        row = min(max(current.row() + d_row, 0), self.proxy.rowCount() - 1)
        col = min(max(current.column() + d_col, 0), self.proxy.columnCount() - 1)
        self.setCurrentIndex(self.proxy.index(row, col))

    # -- clipboard ------------------------------------------------------------------------------------------------
    def selected_block(self) -> tuple[int, int, int, int] | None:
        """(top, left, bottom, right) in view coordinates of the selection's bounding box."""
        indexes = self.selectionModel().selectedIndexes() or ([self.currentIndex()] if self.currentIndex().isValid()
                                                              else [])
        if not indexes:
            return None
        rows = [i.row() for i in indexes]
        cols = [i.column() for i in indexes]
        return min(rows), min(cols), max(rows), max(cols)

    def copy(self) -> None:
        block = self.selected_block()
        if block is None:
            return
        top, left, bottom, right = block
        rows = [[str(self.proxy.index(r, c).data(Qt.ItemDataRole.EditRole) or "") for c in range(left, right + 1)]
                for r in range(top, bottom + 1)]
        QGuiApplication.clipboard().setText(to_clipboard(rows))
        self.message.emit(f"Copied {len(rows)} × {len(rows[0])} cells")

    def paste(self) -> bool:
        return self.paste_text(QGuiApplication.clipboard().text())

    def paste_text(self, text: str) -> bool:
        """Paste a tab-separated block at the selection: validated as a whole, one undo step."""
        block = parse_clipboard(text)
        selection = self.selected_block()
        if not block or selection is None:
            return False
        top, left, bottom, right = selection
        if len(block) == 1 and len(block[0]) == 1 and (bottom > top or right > left):
            # One value pasted over a selection fills it, as in Excel.
            block = [[block[0][0]] * (right - left + 1) for _ in range(bottom - top + 1)]
        height, width = len(block), max(len(r) for r in block)
        if top + height > self.proxy.rowCount() or left + width > self.proxy.columnCount():
            reason = (f"the pasted block is {height} × {width} cells but only {self.proxy.rowCount() - top} × "
                      f"{self.proxy.columnCount() - left} fit from here: add rows or years first")
            source_index = self.source_index(self.proxy.index(top, left))
            self.source.document.refuse(EditRefused(self.source.sheet, source_index.row(),
                                                    self.source.key_of(source_index.column()), reason))
            return False
        cells = []
        for i, row in enumerate(block):
            for j, raw in enumerate(row):
                source_index = self.source_index(self.proxy.index(top + i, left + j))
                cells.append(CellInput(source_index.row(), self.source.key_of(source_index.column()), raw))
        ok = self.source.set_block(cells, f"Paste {height} × {width} cells into {self.source.sheet}")
        if ok:
            self.message.emit(f"Pasted {height} × {width} cells")
        return ok

    def clear_selection_cells(self) -> bool:
        cells = [CellInput(self.source_index(i).row(), self.source.key_of(i.column()), "")
                 for i in self.selectionModel().selectedIndexes()]
        return self.source.set_block(cells, f"Clear {len(cells)} cell{'s' if len(cells) != 1 else ''} in {self.source.sheet}") if cells else False

    # -- refusals -------------------------------------------------------------------------------------------------
    def _show_refusal(self, row: int, col: int, reason: str) -> None:
        index = self.proxy.mapFromSource(self.source.index(row, col))
        if not index.isValid():
            return
        self.scrollTo(index)
        rect = self.visualRect(index)
        QToolTip.showText(self.viewport().mapToGlobal(rect.bottomLeft()), f"Not changed: {reason}", self.viewport(),
                          rect, 8000)
