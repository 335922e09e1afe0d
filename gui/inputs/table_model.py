"""One schema-driven table model for every input sheet: an adapter over the document's current Table.

It owns no data. It keeps a reference to the immutable Table it last showed, so that when the document swaps in a
new scenario it can tell the views precisely what changed (cells, rows inserted or removed, a year column added or
removed) and fall back to a reset only when the change is not one of those. Columns, headers, units, formats and
validation all come from ``model.core.schema``; edits go through ``gui.commands`` like every other change.
"""

from __future__ import annotations

import math

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from gui import commands, theme
from gui.document import Document
from model.core import formatting, schema
from model.core.edit import CellInput, EditRefused
from model.core.overrides import find_row, row_key
from model.core.scenario import Scenario, Table
from model.core.scenario_edit import overridden_cells

RAW_ROLE = Qt.ItemDataRole.UserRole
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
_NUMERIC = (schema.Kind.MONEY, schema.Kind.PERCENT, schema.Kind.YEAR, schema.Kind.NUMBER)
_THRESHOLD_UNITS = {s.name.lower(): s.unit for s in schema.DERIVED_INDICATORS + schema.MARKET_INDICATOR_DEFAULTS}
AnyIndex = QModelIndex | QPersistentModelIndex


class ScenarioTableModel(QAbstractTableModel):
    refusedAt = Signal(int, int, str)    # row, column, reason: an edit of this sheet that was not made

    def __init__(self, document: Document, sheet: str, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.document, self.sheet = document, sheet
        self._table: Table = document.scenario.table(sheet)
        self._refusal: tuple[int, int, str] | None = None
        self._marks = overridden_cells(document.alternative, self._table)
        document.scenarioChanged.connect(self._on_scenario_changed)
        document.refused.connect(self._on_refused)

    @property
    def table(self) -> Table:
        return self._table

    # -- shape --------------------------------------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._table.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._table.columns)

    def column(self, index: int) -> schema.Column:
        return self._table.columns[index]

    def key_of(self, column: int) -> str:
        return self._table.keys[column]

    def year_of(self, column: int) -> int | None:
        key = self._table.keys[column]
        return int(key) if key.isdigit() else None

    # -- data ---------------------------------------------------------------------------------------------------
    def row_unit(self, row: int) -> str:
        """Assumptions, Market and Thresholds mix units in one value column: the row says which."""
        table = self._table
        if "unit" in table.keys:
            return str(table.value(row, "unit") or "")
        if table.sheet == "Thresholds":
            return _THRESHOLD_UNITS.get(str(table.value(row, "indicator") or "").strip().lower(), "")
        return ""

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        column = self._table.columns[col]
        value = self._table.rows[row][col]
        if role == Qt.ItemDataRole.DisplayRole:
            return formatting.cell(column, value, self._value_unit(row, column))
        if role == Qt.ItemDataRole.EditRole:
            return formatting.edit_text(column, value, self._value_unit(row, column))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, col, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            numeric = column.kind in _NUMERIC
            horizontal = Qt.AlignmentFlag.AlignRight if numeric else Qt.AlignmentFlag.AlignLeft
            return int(horizontal | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if self._refusal is not None and self._refusal[:2] == (row, col):
                return theme.error_tint(QApplication.palette())
            if self._marks and (row, column.key) in self._marks:
                return theme.override_tint(QApplication.palette())
            return None
        if role == Qt.ItemDataRole.FontRole:
            if self._marks and (row, column.key) in self._marks:
                font = QFont(QApplication.font())
                font.setBold(True)
                return font
            return None
        if role == RAW_ROLE:
            return value
        if role == SORT_ROLE:
            return _sort_key(value)
        return None

    def _value_unit(self, row: int, column: schema.Column) -> str:
        return self.row_unit(row) if column.key in ("value", "healthy", "bubble") else ""

    def _tooltip(self, row: int, col: int, column: schema.Column) -> str:
        lines = []
        if self._refusal is not None and self._refusal[:2] == (row, col):
            lines.append(f"Not changed: {self._refusal[2]}")
        override = self._marks.get((row, column.key)) if self._marks else None
        if override is not None:
            lines.append(f"Changed in “{self.document.active}” — the base has {self.base_text(row, column)}"
                         + (f"\nWhy: {override.note}" if override.note else "")
                         + "\n(right-click → Reset to base)")
        if "source" in self._table.keys:
            source = self._table.value(row, "source")
            lines.append(f"Source: {source}" if source else "Source: (none given)")
        if column.description:
            lines.append(column.description)
        return "\n".join(lines)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        if not 0 <= section < len(self._table.columns):
            return None
        column = self._table.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            unit = column.unit if column.unit not in ("", "years") or column.kind is not schema.Kind.NUMBER else ""
            return f"{column.header}\n{unit}" if unit else f"{column.header}\n"
        if role == Qt.ItemDataRole.ToolTipRole:
            text = column.description or column.header
            return f"{text}\nExpected: {column.expected}"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    # -- edits: all through the document's one edit path ------------------------------------------------------
    def setData(self, index: AnyIndex, value: object, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.EditRole:
            return False
        cell = CellInput(index.row(), self._table.keys[index.column()], value)
        return commands.edit_cells(self.document, self.sheet, [cell])

    def set_block(self, cells: list[CellInput], text: str = "") -> bool:
        return commands.edit_cells(self.document, self.sheet, cells, text)

    def insertRows(self, row: int, count: int, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or count < 1 or not 0 <= row <= self.rowCount():
            return False
        return commands.insert_rows(self.document, self.sheet, row, count)

    def removeRows(self, row: int, count: int, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or count < 1 or row < 0 or row + count > self.rowCount():
            return False
        return commands.remove_rows(self.document, self.sheet, list(range(row, row + count)))

    # -- following the document ---------------------------------------------------------------------------------
    def _on_refused(self, refusal: EditRefused) -> None:
        if refusal.sheet != self.sheet or not 0 <= refusal.row < len(self._table.rows):
            return
        col = self._table.keys.index(refusal.key) if refusal.key in self._table.keys else 0
        self._clear_refusal()
        self._refusal = (refusal.row, col, refusal.message)
        index = self.index(refusal.row, col)
        self.dataChanged.emit(index, index)
        self.refusedAt.emit(refusal.row, col, refusal.message)

    def _clear_refusal(self) -> None:
        if self._refusal is not None:
            row, col, _ = self._refusal
            self._refusal = None
            if row < self.rowCount() and col < self.columnCount():
                index = self.index(row, col)
                self.dataChanged.emit(index, index)

    @property
    def changed_count(self) -> int:
        """How many cells of this sheet the scenario on screen changes."""
        return len(self._marks)

    def is_changed_in_scenario(self, row: int, column: int) -> bool:
        """True when the scenario on screen sets this cell (it differs from the base)."""
        return (row, self._table.keys[column]) in self._marks

    def base_text(self, row: int, column: schema.Column) -> str:
        """The base's value of a cell of the scenario on screen, as displayed."""
        base = self.document.book.base.table(self.sheet)
        base_row = find_row(base, row_key(self._table, row))
        if base_row is None or column.key not in base.keys:
            return "no such cell"
        value = base.value(base_row, column.key)
        return formatting.cell(column, value, self._value_unit(row, column)) or "a blank"

    def _on_scenario_changed(self, scenario: Scenario) -> None:
        new = scenario.table(self.sheet)
        old = self._table
        if new is not old:
            self._clear_refusal()
            if new.years != old.years:
                self._change_columns(old, new)
            else:
                self._change_rows(old, new)
        marks = overridden_cells(self.document.alternative, new)
        if marks != self._marks:
            changed = (marks.keys() ^ self._marks.keys()) | {
                cell for cell in marks.keys() & self._marks.keys() if marks[cell] != self._marks[cell]}
            self._marks = marks
            rows = [r for r, _ in changed if r < len(new.rows)]
            cols = [new.keys.index(k) for _, k in changed if k in new.keys]
            if rows and cols:
                self.dataChanged.emit(self.index(min(rows), min(cols)), self.index(max(rows), max(cols)))

    def _change_columns(self, old: Table, new: Table) -> None:
        added = set(new.years) - set(old.years)
        removed = set(old.years) - set(new.years)
        if len(new.rows) != len(old.rows) or len(added) + len(removed) != 1:
            self._reset(new)
            return
        if added:
            pos = new.column_index(str(added.pop()))
            self.beginInsertColumns(QModelIndex(), pos, pos)
            self._table = new
            self.endInsertColumns()
        else:
            pos = old.column_index(str(removed.pop()))
            self.beginRemoveColumns(QModelIndex(), pos, pos)
            self._table = new
            self.endRemoveColumns()
        if new.rows and any(_strip(o, old, new) != n for o, n in zip(old.rows, new.rows, strict=True)):
            self.dataChanged.emit(self.index(0, 0), self.index(len(new.rows) - 1, len(new.columns) - 1))

    def _change_rows(self, old: Table, new: Table) -> None:
        a, b = old.rows, new.rows
        limit = min(len(a), len(b))
        prefix = 0
        while prefix < limit and (a[prefix] is b[prefix] or a[prefix] == b[prefix]):
            prefix += 1
        suffix = 0
        while (suffix < limit - prefix
               and (a[len(a) - 1 - suffix] is b[len(b) - 1 - suffix] or a[len(a) - 1 - suffix] == b[len(b) - 1 - suffix])):
            suffix += 1
        if len(b) > len(a) and prefix + suffix == len(a):
            self.beginInsertRows(QModelIndex(), prefix, prefix + len(b) - len(a) - 1)
            self._table = new
            self.endInsertRows()
        elif len(b) < len(a) and prefix + suffix == len(b):
            self.beginRemoveRows(QModelIndex(), prefix, prefix + len(a) - len(b) - 1)
            self._table = new
            self.endRemoveRows()
        elif len(a) == len(b):
            self._table = new
            if prefix < len(b):
                last = len(b) - 1 - suffix
                cols = [c for r in range(prefix, last + 1) for c in range(len(a[r])) if a[r][c] != b[r][c]]
                first_col, last_col = (min(cols), max(cols)) if cols else (0, len(new.columns) - 1)
                self.dataChanged.emit(self.index(prefix, first_col), self.index(last, last_col))
        else:
            self._reset(new)

    def _reset(self, new: Table) -> None:
        self.beginResetModel()
        self._table = new
        self.endResetModel()


def _strip(row: tuple[object, ...], old: Table, new: Table) -> tuple[object, ...]:
    """An old row laid out in the new table's columns (a year column added gets its blank)."""
    keys = old.keys
    return tuple(row[keys.index(k)] if k in keys else None for k in new.keys)


def _sort_key(value: object) -> tuple[int, object]:
    """Blanks last, numbers by value, text case-insensitively; never compares a number with text."""
    if value is None or value == "":
        return (2, 0)
    if isinstance(value, bool):
        return (0, float(value))
    if isinstance(value, int | float):
        return (0, float(value) if not math.isnan(value) else math.inf)
    return (1, str(value).lower())


class SortProxy(QSortFilterProxyModel):
    """Sorts on the model's typed sort key (numbers as numbers, blanks last) rather than on display text."""

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:
        model = self.sourceModel()
        return bool(model.data(left, SORT_ROLE) < model.data(right, SORT_ROLE))
