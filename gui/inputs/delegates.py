"""How one input cell is drawn and edited: numbers are never elided, categorical cells edit through a list.

* A number that does not fit its column shows ``###`` as in Excel, never ``1,00…`` (which reads as 1.00).
* Kind, Status, In sector, and the company columns of Investments and Market edit through an editable drop-down of
  their allowed values, with completion; the typed text is still parsed by the schema, so a value outside the list is
  refused with the reason like any other.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QCompleter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from gui.inputs.table_model import ScenarioTableModel
from model.core import schema

AnyIndex = QModelIndex | QPersistentModelIndex
_NUMERIC = (schema.Kind.MONEY, schema.Kind.PERCENT, schema.Kind.YEAR, schema.Kind.NUMBER)
# Company columns that must name a company of the Capex or Revenue sheet (the Capex/Revenue Company column defines
# the name, so it stays free text).
_COMPANY_LISTS = {("Investments", "investor"), ("Investments", "investee"), ("Market", "company")}


def allowed_values(model: ScenarioTableModel, column: int) -> tuple[str, ...]:
    """The values a categorical cell accepts, in the order offered; empty for a free cell."""
    col = model.column(column)
    if col.kind is schema.Kind.CHOICE:
        return col.choices
    if col.kind is schema.Kind.FLAG:
        return ("yes", "no")
    if (model.sheet, col.key) in _COMPANY_LISTS:
        return tuple(model.document.scenario.companies)
    return ()


def fits(text: str, width: int, option: QStyleOptionViewItem) -> bool:
    margin = QApplication.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1
    return option.fontMetrics.horizontalAdvance(text) <= width - 2 * margin


class CellDelegate(QStyledItemDelegate):
    """The delegate of a SheetView: maps view indexes to the schema through the view's proxy."""

    def __init__(self, view: QWidget, model: ScenarioTableModel) -> None:
        super().__init__(view)
        self.view, self.source = view, model
        self.editor_index: dict[QWidget, QPersistentModelIndex] = {}    # each open editor's cell (view index)

    def _source_column(self, index: AnyIndex) -> int:
        proxy = index.model()
        mapped = proxy.mapToSource(index) if hasattr(proxy, "mapToSource") else index
        return int(mapped.column())

    # -- drawing ------------------------------------------------------------------------------------------------
    def initStyleOption(self, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        super().initStyleOption(option, index)
        column = self.source.column(self._source_column(index))
        if column.kind in _NUMERIC and option.text and not fits(option.text, option.rect.width(), option):
            # Excel shows a number too wide for its column as ###: a cut number would read as another number
            hashes = "#"
            while fits(hashes + "#", option.rect.width(), option):
                hashes += "#"
            option.text = hashes

    # -- editing ------------------------------------------------------------------------------------------------
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: AnyIndex) -> QWidget:
        choices = allowed_values(self.source, self._source_column(index))
        if not choices:
            editor = super().createEditor(parent, option, index)
            self.editor_index[editor] = QPersistentModelIndex(index)
            return editor
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.addItems(list(choices))
        completer = QCompleter(list(choices), combo)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        combo.setCompleter(completer)
        combo.setObjectName("choiceEditor")
        self.editor_index[combo] = QPersistentModelIndex(index)
        return combo

    def destroyEditor(self, editor: QWidget, index: AnyIndex) -> None:
        self.editor_index.pop(editor, None)
        super().destroyEditor(editor, index)

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        if editor.property("kept") or editor.property("committing"):
            return                              # a refused edit: the analyst's text stays as typed
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole) or ""))
            return
        super().setEditorData(editor, index)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)
            return
        super().setModelData(editor, model, index)
