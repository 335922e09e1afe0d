"""The one schema-driven table model: Qt's model tester, formats, units, sources, and change notifications."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt

from gui import commands
from gui.inputs.table_model import RAW_ROLE, ScenarioTableModel
from model.core.schema import SHEETS

Display, Edit, Tip = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole


@pytest.mark.parametrize("sheet", [s.name for s in SHEETS])
def test_model_tester_passes_on_every_sheet(qtmodeltester, document, sheet):
    model = ScenarioTableModel(document, sheet)
    qtmodeltester.check(model, force_py=True)


@pytest.mark.parametrize("sheet", ["Capex", "Investments", "Market"])
def test_model_tester_through_row_insertion_and_removal(qtmodeltester, qtbot, document, sheet):
    model = ScenarioTableModel(document, sheet)
    qtmodeltester.check(model, force_py=True)
    rows = model.rowCount()
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        assert model.insertRows(1, 2)
    assert inserted.args[1:] == [1, 2]
    assert model.rowCount() == rows + 2
    with qtbot.waitSignal(model.rowsRemoved):
        assert model.removeRows(0, 1)
    assert model.rowCount() == rows + 1
    with qtbot.waitSignal(model.rowsInserted):   # undo of the removal re-inserts the row
        document.undo_stack.undo()
    with qtbot.waitSignal(model.rowsRemoved):    # undo of the insertion removes both rows
        document.undo_stack.undo()
    assert model.rowCount() == rows
    assert model.table is document.scenario.table(sheet)


def test_model_tester_through_year_columns_with_the_cpp_tester(qtmodeltester, qtbot, document, qtlog):
    model = ScenarioTableModel(document, "Capex")
    qtmodeltester.check(model)            # Qt's own QAbstractItemModelTester, warnings reported through qtlog
    columns = model.columnCount()
    with qtbot.waitSignal(model.columnsInserted):
        assert commands.add_year(document, "Capex", 2029)
    assert model.columnCount() == columns + 1
    assert model.headerData(model.table.column_index("2029"), Qt.Orientation.Horizontal) == "2029\n$B"
    with qtbot.waitSignal(model.columnsRemoved):
        document.undo_stack.undo()
    assert model.columnCount() == columns
    assert not [r for r in qtlog.records if "QAbstractItemModelTester" in r.message or "FAIL" in r.message]


def test_adapter_holds_no_data_of_its_own(document):
    model = ScenarioTableModel(document, "Revenue")
    assert model.table is document.scenario.revenue
    assert commands.edit_cells(document, "Revenue", [commands.CellInput(0, "base_revenue", "99")])
    assert model.table is document.scenario.revenue
    assert model.index(0, model.table.column_index("base_revenue")).data(RAW_ROLE) == 99.0


def test_formats_units_and_sources(document):
    capex = ScenarioTableModel(document, "Capex")
    col_2025 = capex.table.column_index("2025")
    assert capex.headerData(col_2025, Qt.Orientation.Horizontal) == "2025\n$B"
    assert capex.index(0, col_2025).data(Display) == "23.0"                  # $B with one decimal
    assert "Source: test fixture" in capex.index(0, 0).data(Tip)              # the row's source, on every cell
    assert capex.index(0, capex.table.column_index("in_sector")).data(Display) == "yes"
    revenue = ScenarioTableModel(document, "Revenue")
    margin = revenue.table.column_index("cash_margin")
    assert revenue.headerData(margin, Qt.Orientation.Horizontal) == "Cash margin\n%"
    assert revenue.index(0, margin).data(Display) == "60.0%"
    assert revenue.index(0, margin).data(Edit) == "60%"                      # edits in percent, with the sign
    assert revenue.index(0, revenue.table.column_index("base_year")).data(Display) == "2024"   # no separator
    assumptions = ScenarioTableModel(document, "Assumptions")
    names = assumptions.table.column_values("name")
    value = assumptions.table.column_index("value")
    assert assumptions.index(names.index("Horizon end"), value).data(Display) == "2035"
    assert assumptions.index(names.index("Discount rate"), value).data(Display) == "10.0%"
    assert assumptions.index(names.index("GDP"), value).data(Display) == "30,000.0"
    numbers = assumptions.index(0, value).data(Qt.ItemDataRole.TextAlignmentRole)
    assert numbers & int(Qt.AlignmentFlag.AlignRight)


def test_cell_edit_emits_data_changed_for_that_cell_only(qtbot, document):
    model = ScenarioTableModel(document, "Capex")
    col = model.table.column_index("2026")
    with qtbot.waitSignal(model.dataChanged) as changed:
        assert model.setData(model.index(2, col), "77.5")
    top_left, bottom_right = changed.args[:2]
    assert (top_left.row(), top_left.column(), bottom_right.row(), bottom_right.column()) == (2, col, 2, col)
    assert model.index(2, col).data(Display) == "77.5"


def test_no_children_and_invalid_parents(document):
    model = ScenarioTableModel(document, "Capex")
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.columnCount(model.index(0, 0)) == 0
    assert not model.insertRows(0, 1, model.index(0, 0))
    assert not model.removeRows(0, 99)
    assert model.data(QModelIndex()) is None
