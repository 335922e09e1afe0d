"""Scenarios in the window: the list, edits that become overrides, marked cells, reset to base, undo of it all."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog
from test_gui_editing import cell_index, expected_payback, shown_payback, type_into

from gui import commands, theme
from gui.document import Document
from gui.main_window import MainWindow
from model.core.compute import compute
from model.core.edit import CellInput
from model.core.overrides import BASE, Alternative, Override, ScenarioBook
from model.io.workbook import read_book

BEAR = "Bear: half the growth"


@pytest.fixture
def book(scenario) -> ScenarioBook:
    return ScenarioBook(scenario, (
        Alternative(BEAR, "Growth halves", (Override("Capex", ("Meta",), "2026", 999.0, "a bigger build"),
                                            Override("Revenue", ("Amazon",), "cash_margin", 0.25))),
        Alternative("Bull", "", (Override("Capex", ("Amazon",), "2027", 1.0),)),
    ))


@pytest.fixture
def document(book) -> Document:      # overrides conftest's: the document holds a book
    doc = Document(book, "")
    yield doc
    doc.recomputer.wait_idle()


def switch(qtbot, window, name: str) -> None:
    combo = window.scenarios.combo
    with qtbot.waitSignal(window.document.resultsChanged):
        combo.setCurrentIndex(window.scenarios.names().index(name))
        combo.activated.emit(combo.currentIndex())


def test_the_list_shows_every_scenario_and_switching_shows_its_results(qtbot, window, document, book):
    assert window.scenarios.names() == [BASE, BEAR, "Bull"]
    assert window.scenarios.combo.itemText(1) == f"{BEAR}  (2 changes)"
    switch(qtbot, window, BEAR)
    expected = compute(book.scenario(BEAR)[0])
    assert document.active == BEAR and BEAR in window.windowTitle() and BEAR in window.headline.text()
    assert shown_payback(window, expected) == expected_payback(expected)
    assert document.scenario.capex.value(3, "2026") == 999.0
    assert not document.dirty                                    # looking is not editing


def test_changed_cells_are_marked_with_the_base_value_in_the_tooltip(qtbot, window, document):
    capex = window.inputs.models["Capex"]
    meta_2026 = capex.index(3, capex.table.column_index("2026"))
    assert capex.data(meta_2026, Qt.ItemDataRole.BackgroundRole) is None
    switch(qtbot, window, BEAR)
    assert capex.is_changed_in_scenario(3, capex.table.column_index("2026"))
    assert capex.data(meta_2026, Qt.ItemDataRole.BackgroundRole) == theme.override_tint(QApplication.palette())
    assert capex.data(meta_2026, Qt.ItemDataRole.FontRole).bold()
    tip = capex.data(meta_2026, Qt.ItemDataRole.ToolTipRole)
    assert f"Changed in “{BEAR}” — the base has {capex.base_text(3, capex.column(capex.table.column_index('2026')))}" in tip
    assert "a bigger build" in tip
    assert capex.changed_count == 1 and window.inputs.models["Revenue"].changed_count == 1
    assert window.inputs.tabs.tabText(0).endswith("•") and not window.inputs.tabs.tabText(2).endswith("•")
    switch(qtbot, window, BASE)
    assert capex.changed_count == 0 and capex.data(meta_2026, Qt.ItemDataRole.BackgroundRole) is None


def test_typing_in_a_scenario_changes_the_scenario_not_the_base(qtbot, window, document, book):
    switch(qtbot, window, BEAR)
    view = window.inputs.show_sheet("Capex")
    with qtbot.waitSignal(document.resultsChanged):
        type_into(qtbot, view, cell_index(view, "2025", 1), "77")
    assert document.book.base is book.base                         # the base is untouched
    bear = document.book.alternative(BEAR)
    assert Override("Capex", ("Microsoft",), "2025", 77.0) in bear.overrides and len(bear.overrides) == 3
    expected = compute(document.book.scenario(BEAR)[0])
    assert document.scenario.capex.value(1, "2025") == 77.0
    assert shown_payback(window, expected) == expected_payback(expected)
    assert window.inputs.models["Capex"].is_changed_in_scenario(1, window.inputs.models["Capex"].table.column_index("2025"))
    # Typing the base's value back makes the cell the base's again.
    base_value = book.base.capex.value(1, "2025")
    with qtbot.waitSignal(document.resultsChanged):
        assert commands.edit_cells(document, "Capex", [CellInput(1, "2025", str(base_value))])
    assert document.book.alternative(BEAR) == book.alternative(BEAR)


def test_structure_and_names_are_refused_in_a_scenario_and_nothing_recomputes(qtbot, window, document):
    switch(qtbot, window, BEAR)
    count, book = document.recompute_count, document.book
    with qtbot.waitSignal(document.refused) as refused:
        assert not commands.add_company(document, "Tesla")
    assert "in the Base scenario" in refused.args[0].message
    with qtbot.waitSignal(document.refused) as refused:
        assert not commands.edit_cells(document, "Capex", [CellInput(0, "company", "Amazon Web Services")])
    assert "rename it in the Base" in refused.args[0].message
    assert document.recompute_count == count and document.book is book and document.undo_stack.count() == 0
    assert not window.inputs.structure_buttons[0].isEnabled() and not window.add_row_action.isEnabled()


def test_reset_to_base_is_one_undoable_step(qtbot, window, document, book):
    switch(qtbot, window, BEAR)
    view = window.inputs.show_sheet("Capex")
    view.setCurrentIndex(cell_index(view, "2026", 3))
    with qtbot.waitSignal(document.resultsChanged):
        assert window.inputs.reset_to_base()
    assert [o.column for o in document.book.alternative(BEAR).overrides] == ["cash_margin"]
    assert document.scenario.capex.value(3, "2026") == book.base.capex.value(3, "2026")
    assert compute(document.scenario).sector.npv == document.results.sector.npv
    with qtbot.waitSignal(document.resultsChanged):
        document.undo_stack.undo()
    assert document.book == book and document.scenario.capex.value(3, "2026") == 999.0


def test_new_duplicate_rename_delete_and_undo_of_each(qtbot, window, document, book, monkeypatch):
    states = [document.book]
    with qtbot.waitSignal(document.resultsChanged):
        assert window.scenarios.new()
    assert document.active == "New scenario" and document.book.alternative("New scenario").overrides == ()
    states.append(document.book)
    switch(qtbot, window, BEAR)
    with qtbot.waitSignal(document.resultsChanged):
        assert window.scenarios.duplicate()
    assert document.active == f"{BEAR} (copy)"
    assert document.book.alternative(f"{BEAR} (copy)").overrides == book.alternative(BEAR).overrides
    states.append(document.book)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("Bear, copied", True)))
    assert window.scenarios.rename()
    assert document.active == "Bear, copied" and "Bear, copied" in window.scenarios.names()
    states.append(document.book)
    with qtbot.waitSignal(document.resultsChanged):
        assert window.scenarios.delete()
    assert document.active == BASE and "Bear, copied" not in document.book.names
    assert document.dirty
    # Undo walks back through every operation, each restoring the book exactly; redo walks forward again.
    for expected in reversed(states):
        document.undo_stack.undo()
        assert document.book == expected
    assert not document.dirty
    for _ in range(4):
        document.undo_stack.redo()
    assert "Bear, copied" not in document.book.names and "New scenario" in document.book.names


def test_a_bad_name_is_refused_with_the_reason(qtbot, window, document, monkeypatch):
    switch(qtbot, window, BEAR)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("bull", True)))
    with qtbot.waitSignal(document.refused) as refused:
        assert not window.scenarios.rename()
    assert "exists already" in refused.args[0].message and document.active == BEAR
    assert not commands.delete_scenario(document, BASE) and BASE in document.book.names


def test_undo_of_an_edit_in_another_scenario_shows_that_scenario(qtbot, window, document):
    switch(qtbot, window, BEAR)
    with qtbot.waitSignal(document.resultsChanged):
        assert commands.edit_cells(document, "Capex", [CellInput(0, "2025", "1")])
    switch(qtbot, window, BASE)
    with qtbot.waitSignal(document.resultsChanged):
        document.undo_stack.undo()
    assert document.active == BEAR and window.scenarios.combo.currentData() == BEAR


def test_a_base_edit_flows_into_every_scenario_that_does_not_override_it(qtbot, window, document):
    with qtbot.waitSignal(document.resultsChanged):
        assert commands.edit_cells(document, "Capex", [CellInput(0, "2026", "321")])
    switch(qtbot, window, BEAR)
    assert document.scenario.capex.value(0, "2026") == 321.0        # not overridden in Bear
    assert document.scenario.capex.value(3, "2026") == 999.0        # overridden in Bear


def test_save_keeps_every_scenario_and_its_edits(qtbot, window, document, monkeypatch, tmp_path):
    switch(qtbot, window, BEAR)
    with qtbot.waitSignal(document.resultsChanged):
        assert commands.edit_cells(document, "Revenue", [CellInput(2, "cash_margin", "35%")])
    path = tmp_path / "saved.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "")))
    assert window.files.save_as()
    saved = read_book(path)
    assert saved.names == document.book.names
    assert saved.scenario(BEAR)[0].inputs_equal(document.book.scenario(BEAR)[0])
    assert Override("Revenue", ("Alphabet",), "cash_margin", 0.35) in saved.alternative(BEAR).overrides


def test_a_dangling_override_is_a_warning_of_that_scenario(qtbot, document, settings):
    book = document.book.with_alternative(Alternative("Gone", "", (Override("Capex", ("Tesla",), "2025", 5.0),)))
    document.load(book)
    window = MainWindow(document, settings)
    with qtbot.waitSignal(document.resultsChanged):
        document.switch("Gone")
    assert any("Tesla" in p.message and p.severity == "warning" for p in document.problems)
    assert window.warnings_button.text().startswith("⚠")
    document.undo_stack.setClean()
    window.close()


def test_the_compare_tab_shows_the_models_comparison_and_follows_edits(qtbot, window, document):
    from model.core.compare import METRICS, compare

    with qtbot.waitSignal(window.compare.compared):
        window.show_compare()
    with qtbot.waitSignal(window.compare.compared):
        assert commands.edit_cells(document, "Capex", [CellInput(0, "2026", "50")])   # Amazon spends far less
    window.compare.wait_idle()
    expected = compare(document.book)
    assert window.compare.comparison.names == expected.names == (BASE, BEAR, "Bull")
    for entity in ("Sector", "Amazon", "Meta"):
        for metric in METRICS:
            for name in expected.names:
                shown = window.compare.cell_text(entity, metric.key, name)
                assert shown[0] == expected.text(name, entity, metric.key)
                assert shown[1] == expected.difference_text(name, entity, metric.key)
    # Choosing a company in the comparison selects it in the whole window, and back.
    window.selection.set("Meta")
    assert window.compare.entity == "Meta"
