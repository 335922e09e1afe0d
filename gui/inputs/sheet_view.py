"""A spreadsheet-like view on one input sheet: type to edit, Enter/Tab move, copy and paste blocks as Excel does."""

from __future__ import annotations

import csv
import io

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QTableView,
    QToolTip,
    QWidget,
)

from gui import theme
from gui.inputs.delegates import CellDelegate
from gui.inputs.table_model import ScenarioTableModel, SortProxy
from model.core import schema, values
from model.core.edit import CellInput, EditRefused, cell_name

_Hint = QAbstractItemDelegate.EndEditHint
_RETRY = (_Hint.SubmitModelCache, _Hint.EditNextItem, _Hint.EditPreviousItem)


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


def _is_number(text: str) -> bool:
    try:
        values.parse_number(text)
    except ValueError:
        return False
    return True


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
        self.delegate = CellDelegate(self, model)
        self.setItemDelegate(self.delegate)
        # A refused edit keeps the editor open with the analyst's text, and the reason beside the cell, until the
        # analyst corrects it (Enter again) or gives up (Escape).
        self.reason = QLabel(self.viewport())
        self.reason.setObjectName("refusalReason")
        self.reason.setWordWrap(True)
        self.reason.setFrameShape(QFrame.Shape.Box)
        self.reason.setAutoFillBackground(True)
        self.reason.hide()
        self._refused_now: str | None = None
        self._kept_editor: QWidget | None = None
        model.refusedAt.connect(self._show_refusal)
        model.dataChanged.connect(self._widen_for)
        for signal in (model.modelReset, model.rowsRemoved, model.columnsRemoved, model.layoutChanged):
            signal.connect(self._release_editor)          # Qt drops the editors: drop the kept one too
        self.horizontalScrollBar().valueChanged.connect(self._hide_stray_reason)
        self.verticalScrollBar().valueChanged.connect(self._hide_stray_reason)
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

    def _widen_for(self, top_left: QModelIndex, bottom_right: QModelIndex) -> None:
        """A number typed wider than its column widens the column, as Excel does for a number it can show (what
        still does not fit shows ### rather than a cut number)."""
        if bottom_right.row() - top_left.row() > 200:
            return
        metrics = self.fontMetrics()
        char = metrics.averageCharWidth()
        for c in range(top_left.column(), bottom_right.column() + 1):
            if self.source.column(c).key in ("source", "note"):
                continue
            view_column = self.proxy.mapFromSource(self.source.index(top_left.row(), c)).column()
            needed = max((metrics.horizontalAdvance(str(self.source.index(r, c).data() or "")) + 14
                          for r in range(top_left.row(), bottom_right.row() + 1)), default=0)
            if view_column >= 0 and needed > self.columnWidth(view_column):
                self.setColumnWidth(view_column, int(min(needed, 42 * char)))

    # -- mapping ------------------------------------------------------------------------------------------------
    def source_index(self, index: QModelIndex) -> QModelIndex:
        return self.proxy.mapToSource(index)

    _keep_company = False

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._hide_stray_reason()           # the analyst moved on: the reason stays in the cell's tooltip
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

    def commitData(self, editor: QWidget) -> None:
        self._refused_now = None
        editor.setProperty("committing", True)  # a refusal repaints the cell: the typed text must stay
        try:
            super().commitData(editor)
        finally:
            editor.setProperty("committing", False)
        if self._refused_now is not None:
            self._kept_editor = editor
            editor.setProperty("kept", True)     # the model's repaint must not put the old value back in it
        elif editor is self._kept_editor:
            self._release_editor()

    def closeEditor(self, editor: QWidget, hint: _Hint) -> None:
        # Enter or Tab on a refused value keeps the editor and the reason; Esc, or clicking elsewhere, gives it up
        # (the cell keeps its tint and the reason in its tooltip).
        if editor is self._kept_editor and self._refused_now is not None and hint in _RETRY:
            self._refused_now = None
            editor.setFocus()                    # the typed text stays; the reason is beside the cell
            return
        if editor is self._kept_editor:
            self._release_editor()
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

    def _hide_stray_reason(self) -> None:
        if self._kept_editor is None:
            self.reason.hide()

    def _release_editor(self, *_args: object) -> None:
        if self._kept_editor is not None:
            self._kept_editor.setProperty("kept", False)
        self._kept_editor = None
        self.reason.hide()

    @property
    def editing_refused(self) -> bool:
        """True while a refused edit is kept open in its editor."""
        return self._kept_editor is not None

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
        mismatch = self._paste_mismatch(block, top, left)
        if mismatch is not None:
            at_row, at_key, reason = mismatch
            self.source.document.refuse(EditRefused(self.source.sheet, at_row, at_key, reason))
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

    def _paste_mismatch(self, block: list[list[str]], top: int, left: int) -> tuple[int, str, str] | None:
        """A pasted column of numbers that would land in a text column (Source, Note, a name): the block was
        meant for other columns. Refused at that cell rather than written (numbers pasted into a number column
        are parsed by the schema; text pasted into a number column is refused there by the parse)."""
        width = max(len(r) for r in block)
        for j in range(width):
            column_index = self.source_index(self.proxy.index(top, left + j)).column()
            column = self.source.column(column_index)
            if column.kind not in (schema.Kind.TEXT, schema.Kind.COMPANY):
                continue
            pasted = [r[j] for r in block if j < len(r) and not values.is_blank(r[j])]
            if not pasted or not all(_is_number(v) for v in pasted):
                continue
            first = next(i for i, r in enumerate(block) if j < len(r) and not values.is_blank(r[j]))
            row = self.source_index(self.proxy.index(top + first, left + j)).row()
            numeric = [c for c in range(width) if self.source.column(
                self.source_index(self.proxy.index(top, left + c)).column()).kind not in (schema.Kind.TEXT,
                                                                                         schema.Kind.COMPANY)]
            where = cell_name(self.source.table, row, column.key)
            more = " …" if len(pasted) > 1 else ""
            reason = (f"{where}: the pasted block is {len(block)} × {width} cells; its column {j + 1} holds numbers "
                      f"({values.quoted(pasted[0])}{more}) that would land in {column.header}, a text column"
                      + (f"; only {len(numeric)} column{'s' if len(numeric) != 1 else ''} from here "
                         f"take{'s' if len(numeric) == 1 else ''} numbers" if numeric else "")
                      + ": select where the block goes, or add years first")
            return row, column.key, reason
        return None

    def clear_selection_cells(self) -> bool:
        cells = [CellInput(self.source_index(i).row(), self.source.key_of(i.column()), "")
                 for i in self.selectionModel().selectedIndexes()]
        return self.source.set_block(cells, f"Clear {len(cells)} cell{'s' if len(cells) != 1 else ''} in {self.source.sheet}") if cells else False

    # -- refusals -------------------------------------------------------------------------------------------------
    def _show_refusal(self, row: int, col: int, reason: str) -> None:
        self._refused_now = reason
        index = self.proxy.mapFromSource(self.source.index(row, col))
        if not index.isValid():
            return
        self.scrollTo(index)
        rect = self.visualRect(index)
        text = f"Not changed — {reason}"
        if self.state() == self.State.EditingState or self._kept_editor is not None:
            self._place_reason(rect, text + "\n(Enter to try again, Esc to keep the old value)")
        else:
            self._place_reason(rect, text)
        QToolTip.hideText()

    def _place_reason(self, rect: QRect, text: str) -> None:
        """The reason in a box just below the cell (above it near the bottom edge), as wide as fits."""
        palette = self.reason.palette()
        palette.setColor(self.reason.backgroundRole(), theme.error_tint(self.palette()))
        self.reason.setPalette(palette)
        self.reason.setText(text)
        viewport = self.viewport().rect()
        width = min(max(rect.width(), 360), max(viewport.width() - 8, 120))
        self.reason.setFixedWidth(width)
        self.reason.adjustSize()
        x = min(rect.left(), viewport.right() - width - 4)
        y = rect.bottom() + 2
        if y + self.reason.height() > viewport.bottom():
            y = max(rect.top() - self.reason.height() - 2, 0)
        self.reason.move(max(x, 0), y)
        self.reason.show()
        self.reason.raise_()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._kept_editor is None:
            self.reason.hide()
        super().mousePressEvent(event)
