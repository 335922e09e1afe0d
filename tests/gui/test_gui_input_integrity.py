"""What an analyst types or pastes is what the model uses, or a refusal at the cell: paste into matching columns
only, Excel's percent entry, numbers never elided, a refused edit kept in its editor with the reason beside the
cell, and drop-downs for the categorical columns."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QStyleOptionViewItem

from model.core import schema


def closed(editor) -> bool:
    """The editor is closed: hidden, or already deleted by Qt."""
    return not shiboken6.isValid(editor) or not editor.isVisible()


def cell_index(view, key: str, row: int):
    return view.proxy.mapFromSource(view.source.index(row, view.source.table.column_index(key)))


def open_editor(qtbot, view, index, text: str):
    """Select a cell and type over it: the first key opens the editor."""
    view.setFocus()
    view.setCurrentIndex(index)
    qtbot.keyClick(view, text[0])
    editors = [e for e in view.findChildren(QLineEdit) if e.isVisible()]
    assert len(editors) == 1
    editor = editors[0]
    qtbot.keyClicks(editor, text[1:])
    return editor


# -- paste ---------------------------------------------------------------------------------------------------------

def test_a_block_pasted_past_the_last_year_is_refused_at_the_text_column(qtbot, window, document):
    view = window.inputs.show_sheet("Capex")
    last = document.scenario.capex.years[-1]
    scenario = document.scenario
    view.setCurrentIndex(cell_index(view, str(last), 0))
    with qtbot.assertNotEmitted(document.resultsChanged), qtbot.waitSignal(document.refused) as refused:
        assert not view.paste_text("100\t200\n1\t130.5\n2\t3\n")
    assert document.scenario is scenario                                  # nothing written, Source untouched
    message = refused.args[0].message
    assert refused.args[0].key == "source"
    assert message == ("Amazon, Source: the pasted block is 3 × 2 cells; its column 2 holds numbers ('200' …) that "
                       "would land in Source, a text column; only 1 column from here takes numbers: select where the "
                       "block goes, or add years first")
    assert view.reason.isVisible() and "Source, a text column" in view.reason.text()
    assert "Pasted" not in window.statusBar().currentMessage()


def test_a_block_that_fits_the_year_columns_is_pasted(qtbot, window, document):
    view = window.inputs.show_sheet("Capex")
    years = document.scenario.capex.years
    view.setCurrentIndex(cell_index(view, str(years[-2]), 0))
    with qtbot.waitSignal(document.resultsChanged):
        assert view.paste_text("100\t200\n1\t2\n")
    assert document.scenario.capex.value(0, str(years[-2])) == 100.0
    assert document.scenario.capex.value(1, str(years[-1])) == 2.0


def test_text_pasted_into_a_text_column_is_pasted(qtbot, window, document):
    view = window.inputs.show_sheet("Capex")
    view.setCurrentIndex(cell_index(view, "source", 0))
    with qtbot.waitSignal(document.resultsChanged):
        assert view.paste_text("10-K 2025\n")
    assert document.scenario.capex.value(0, "source") == "10-K 2025"


# -- percent entry -----------------------------------------------------------------------------------------------

def test_typing_8_or_0_08_in_a_percent_cell_gives_8_percent(qtbot, window, document):
    view = window.inputs.show_sheet("Revenue")
    year = str(document.scenario.revenue.years[0])
    for typed in ("8", "0.08", "8%"):
        editor = open_editor(qtbot, view, cell_index(view, year, 0), typed)
        with qtbot.waitSignal(document.resultsChanged):
            qtbot.keyClick(editor, Qt.Key.Key_Return)
        assert document.scenario.revenue.value(0, year) == 0.08, typed
        assert cell_index(view, year, 0).data() == "8.0%"
        document.undo_stack.undo()


def test_a_discount_rate_typed_as_8_is_8_percent(qtbot, window, document):
    view = window.inputs.show_sheet("Assumptions")
    row = document.scenario.assumptions.column_values("name").index("Discount rate")
    editor = open_editor(qtbot, view, cell_index(view, "value", row), "8")
    with qtbot.waitSignal(document.resultsChanged):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert document.scenario.assumptions.value(row, "value") == 0.08


def test_a_refused_discount_rate_states_the_range(qtbot, window, document):
    view = window.inputs.show_sheet("Assumptions")
    row = document.scenario.assumptions.column_values("name").index("Discount rate")
    editor = open_editor(qtbot, view, cell_index(view, "value", row), "150%")
    with qtbot.waitSignal(document.refused) as refused:
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert refused.args[0].message == ("Discount rate, Value: Discount rate is out of range (expected a percentage "
                                       "such as 24% or 0.24 between 0% and 100%)")


# -- a refused edit stays in its editor ----------------------------------------------------------------------

def test_a_refused_edit_keeps_the_typed_text_and_the_reason_beside_the_cell(qtbot, window, document):
    view = window.inputs.show_sheet("Capex")
    year = str(document.scenario.capex.years[1])
    index = cell_index(view, year, 0)
    before = document.scenario
    editor = open_editor(qtbot, view, index, "-5")
    with qtbot.assertNotEmitted(document.resultsChanged), qtbot.waitSignal(document.refused):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert document.scenario is before
    assert editor.isVisible() and editor.text() == "-5"                  # what was typed is still there
    assert view.editing_refused and view.currentIndex() == index          # Enter did not move on
    reason = view.reason
    assert reason.isVisible()
    assert reason.text().startswith(f"Not changed — Amazon, capex {year}: '-5' is not an amount in $B "
                                    "between 0 and 1,000,000")
    cell = view.visualRect(index)
    assert abs(reason.geometry().top() - cell.bottom()) <= 4 or abs(reason.geometry().bottom() - cell.top()) <= 4
    # the analyst corrects it: accepted, the editor closes and the reason goes
    editor.selectAll()
    qtbot.keyClicks(editor, "7")
    with qtbot.waitSignal(document.resultsChanged):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert document.scenario.capex.value(0, year) == 7.0
    assert not view.editing_refused and not reason.isVisible() and closed(editor)


def test_escape_gives_up_a_refused_edit(qtbot, window, document):
    view = window.inputs.show_sheet("Capex")
    year = str(document.scenario.capex.years[1])
    old = document.scenario.capex.value(0, year)
    editor = open_editor(qtbot, view, cell_index(view, year, 0), "lots")
    with qtbot.waitSignal(document.refused):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.isVisible() and editor.text() == "lots"
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not view.reason.isVisible())
    assert not view.editing_refused
    assert document.scenario.capex.value(0, year) == old


# -- numbers are never elided ------------------------------------------------------------------------------------

def shown_text(view, index) -> str:
    option = QStyleOptionViewItem()
    option.initFrom(view.viewport())
    option.rect = view.visualRect(index)
    view.delegate.initStyleOption(option, index)
    return option.text


def test_a_number_too_wide_for_its_column_shows_hashes_as_excel_does(qtbot, window, document):
    view = window.inputs.show_sheet("Capex")
    year = str(document.scenario.capex.years[0])
    # the largest amount a capex cell holds ($1,000,000B, issue 17) is also its widest number
    with qtbot.waitSignal(document.resultsChanged):
        assert view.source.setData(view.source.index(0, view.source.table.column_index(year)), "1000000")
    index = cell_index(view, year, 0)
    view.setColumnWidth(index.column(), 200)
    assert shown_text(view, index) == "1,000,000.0"
    view.setColumnWidth(index.column(), 30)
    text = shown_text(view, index)
    assert text and set(text) == {"#"}                                   # never "123,4…"


def test_columns_fit_the_numbers_they_hold(qtbot, window, document):
    view = window.inputs.show_sheet("Capex")
    year = str(document.scenario.capex.years[0])
    view.fit_columns()
    for row in range(view.source.rowCount()):
        index = cell_index(view, year, row)
        assert "#" not in shown_text(view, index) and "…" not in shown_text(view, index)


# -- drop-downs for categorical columns --------------------------------------------------------------------------

def open_combo(qtbot, view, index) -> QComboBox:
    view.setCurrentIndex(index)
    view.edit(index)
    combos = [c for c in view.findChildren(QComboBox, "choiceEditor") if c.isVisible()]
    assert len(combos) == 1
    return combos[0]


def test_kind_edits_through_a_drop_down_of_the_deal_kinds(qtbot, window, document):
    view = window.inputs.show_sheet("Investments")
    index = cell_index(view, "kind", 0)
    combo = open_combo(qtbot, view, index)
    assert [combo.itemText(i) for i in range(combo.count())] == list(schema.DEAL_KIND_NAMES)
    assert combo.currentText() == document.scenario.investments.value(0, "kind")
    completer = combo.completer()
    assert completer.caseSensitivity() == Qt.CaseSensitivity.CaseInsensitive
    completer.setCompletionPrefix("VENDOR")
    assert completer.currentCompletion() == "vendor financing"
    combo.setCurrentText("vendor financing")
    with qtbot.waitSignal(document.resultsChanged):
        view.commitData(combo)
        view.closeEditor(combo, view.delegate.EndEditHint.NoHint)
    assert document.scenario.investments.value(0, "kind") == "vendor financing"


def test_investor_offers_the_companies_and_in_sector_offers_yes_and_no(qtbot, window, document):
    view = window.inputs.show_sheet("Investments")
    combo = open_combo(qtbot, view, cell_index(view, "investor", 0))
    assert [combo.itemText(i) for i in range(combo.count())] == list(document.scenario.companies)
    view.closeEditor(combo, view.delegate.EndEditHint.RevertModelCache)
    view = window.inputs.show_sheet("Capex")
    combo = open_combo(qtbot, view, cell_index(view, "in_sector", 0))
    assert [combo.itemText(i) for i in range(combo.count())] == ["yes", "no"]
    view.closeEditor(combo, view.delegate.EndEditHint.RevertModelCache)
    view = window.inputs.show_sheet("Investments")
    combo = open_combo(qtbot, view, cell_index(view, "status", 0))
    assert [combo.itemText(i) for i in range(combo.count())] == list(schema.DEAL_STATUSES)
    view.closeEditor(combo, view.delegate.EndEditHint.RevertModelCache)


def test_a_value_outside_the_list_is_refused_and_kept_in_the_drop_down(qtbot, window, document):
    view = window.inputs.show_sheet("Investments")
    combo = open_combo(qtbot, view, cell_index(view, "kind", 0))
    combo.setCurrentText("grant")
    with qtbot.waitSignal(document.refused) as refused:
        view.commitData(combo)
        view.closeEditor(combo, view.delegate.EndEditHint.SubmitModelCache)
    assert "'grant' is not one of: equity, debt" in refused.args[0].message
    assert combo.isVisible() and combo.currentText() == "grant" and view.reason.isVisible()
    view.closeEditor(combo, view.delegate.EndEditHint.RevertModelCache)
    assert not view.reason.isVisible()


def test_the_capex_company_column_stays_free_text(qtbot, window, document):
    view = window.inputs.show_sheet("Capex")
    view.setCurrentIndex(cell_index(view, "company", 0))
    view.edit(cell_index(view, "company", 0))
    assert not [c for c in view.findChildren(QComboBox, "choiceEditor") if c.isVisible()]
    assert [e for e in view.findChildren(QLineEdit) if e.isVisible()]


def test_a_typed_number_wider_than_its_column_widens_it(qtbot, window, document):
    view = window.inputs.show_sheet("Capex")
    year = str(document.scenario.capex.years[0])
    index = cell_index(view, year, 0)
    before = view.columnWidth(index.column())
    with qtbot.waitSignal(document.resultsChanged):    # the largest amount it holds (issue 17), its widest
        assert view.source.setData(view.source.index(0, view.source.table.column_index(year)), "1000000")
    assert view.columnWidth(index.column()) > before
    assert shown_text(view, index) == "1,000,000.0"
    # a wider one is past that bound: refused with the bound said, and the cell keeps its value
    with qtbot.waitSignal(document.refused) as refused:
        assert not view.source.setData(view.source.index(0, view.source.table.column_index(year)), "123456789")
    assert refused.args[0].message.endswith("'123456789' is not an amount in $B between 0 and 1,000,000")
    assert shown_text(view, index) == "1,000,000.0"


def test_clicking_away_gives_up_a_refused_edit_and_the_cell_keeps_the_reason(qtbot, window, document):
    view = window.inputs.show_sheet("Capex")
    year = str(document.scenario.capex.years[1])
    index = cell_index(view, year, 0)
    old = document.scenario.capex.value(0, year)
    editor = open_editor(qtbot, view, index, "-5")
    with qtbot.waitSignal(document.refused):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert view.editing_refused
    other = cell_index(view, year, 3)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualRect(other).center())
    qtbot.waitUntil(lambda: closed(editor))
    assert not view.editing_refused and not view.reason.isVisible()
    assert document.scenario.capex.value(0, year) == old
    tip = index.data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith(f"Not changed: Amazon, capex {year}: '-5' is not an amount in $B between 0 and "
                          "1,000,000")
