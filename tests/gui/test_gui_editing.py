"""Editing through the views: one edit path, exact results, paste as one step, undo/redo, refusals."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLineEdit

from gui.results.payback_table import COLUMNS
from model.core import formatting
from model.core.compute import compute
from model.core.results import Results


def cell_index(view, key: str, row: int):
    """The view's (proxy) index of a cell of the underlying table."""
    source = view.source.index(row, view.source.table.column_index(key))
    return view.proxy.mapFromSource(source)


def type_into(qtbot, view, index, text: str) -> None:
    """Select a cell and type over it as an analyst does: the first key opens the editor, Enter commits."""
    view.setFocus()
    view.setCurrentIndex(index)
    qtbot.keyClick(view, text[0])
    editor = view.findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)


def shown_payback(window, results: Results) -> dict[str, tuple[str, ...]]:
    table = window.payback.payback
    return {name: tuple(table.index(table.row_of(name), c).data() for c in range(len(COLUMNS)))
            for name in results.entities}


def expected_payback(results: Results) -> dict[str, tuple[str, ...]]:
    return {s.name: tuple(fmt(s) for _, _, fmt in COLUMNS) for s in results.summaries}


def test_typing_a_capex_cell_shows_exactly_the_new_results(qtbot, window, document, scenario):
    view = window.inputs.show_sheet("Capex")
    before = shown_payback(window, document.results)
    with qtbot.waitSignal(document.resultsChanged, timeout=5000):
        type_into(qtbot, view, cell_index(view, "2026", 1), "5")
    expected = compute(scenario.with_cell("Capex", 1, "2026", 5.0))
    assert document.scenario.capex.value(1, "2026") == 5.0
    assert shown_payback(window, expected) == expected_payback(expected)
    assert shown_payback(window, expected) != before
    assert view.currentIndex() == cell_index(view, "2026", 2)       # Enter moved down, as in a spreadsheet
    # The score view follows the company being edited (Microsoft), then the sector when asked.
    for entity in ("Microsoft", ""):
        window.selection.set(entity)
        score = expected.entity(entity or expected.sector.name).score
        assert window.score.entity == (entity or expected.sector.name)
        assert window.score.composite.text() == formatting.score(score.composite)
        assert window.score.reading.text() == score.label
        assert [r.contribution for r in window.score.bars.rows] == \
            [f"{i.contribution:.1f}" if i.available else "–" for i in score.indicators]


def test_tab_commits_and_moves_right(qtbot, window, document):
    view = window.inputs.show_sheet("Capex")
    view.setFocus()
    view.setCurrentIndex(cell_index(view, "2024", 0))
    qtbot.keyClick(view, "7")
    editor = view.findChild(QLineEdit)
    with qtbot.waitSignal(document.resultsChanged):
        qtbot.keyClick(editor, Qt.Key.Key_Tab)
    assert document.scenario.capex.value(0, "2024") == 7.0
    assert view.currentIndex() == cell_index(view, "2025", 0)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert view.currentIndex() == cell_index(view, "2025", 1)


def test_an_invalid_value_is_refused_with_its_reason_and_nothing_recomputes(qtbot, window, document):
    view = window.inputs.show_sheet("Capex")
    scenario, count, steps = document.scenario, document.recompute_count, document.undo_stack.count()
    index = cell_index(view, "2025", 0)
    with qtbot.assertNotEmitted(document.resultsChanged), qtbot.assertNotEmitted(document.scenarioChanged), \
            qtbot.waitSignal(document.refused) as refused:
        type_into(qtbot, view, index, "lots")
    assert "an amount in $B" in refused.args[0].message
    assert document.scenario is scenario and document.recompute_count == count
    assert document.undo_stack.count() == steps
    assert index.data(Qt.ItemDataRole.DisplayRole) == "23.0"                    # the old value, not coerced
    assert "Not changed" in index.data(Qt.ItemDataRole.ToolTipRole)              # the reason, at the cell
    assert "an amount in $B" in window.statusBar().currentMessage()             # and in the status bar


def test_a_negative_capex_is_refused_and_a_bare_percentage_is_excel_percent_entry(qtbot, window, document):
    capex = window.inputs.models["Capex"]
    with qtbot.assertNotEmitted(document.resultsChanged):
        assert not capex.setData(capex.index(0, capex.table.column_index("2025")), "-5")
    revenue = window.inputs.models["Revenue"]
    index = revenue.index(0, revenue.table.column_index("2026"))
    with qtbot.waitSignal(document.resultsChanged):
        assert revenue.setData(index, "8")                                      # 8 in a percent cell: 8%
    assert index.data(Qt.ItemDataRole.DisplayRole) == "8.0%"
    with qtbot.waitSignal(document.resultsChanged):
        assert revenue.setData(index, "0.09")                                   # and 0.09 is 9%
    assert index.data(Qt.ItemDataRole.DisplayRole) == "9.0%"


def test_a_new_cross_row_error_is_refused(qtbot, window, document):
    deals = window.inputs.models["Investments"]
    scenario = document.scenario
    with qtbot.assertNotEmitted(document.resultsChanged), qtbot.waitSignal(document.refused) as refused:
        assert not deals.setData(deals.index(0, deals.table.column_index("investee")), "Microsoft")
    assert refused.args[0].message == ("Microsoft | OpenAI | 2024 | equity, Investee: a company cannot invest in "
                                       "itself (expected a different company from the investor)")
    assert document.scenario is scenario
    capex = window.inputs.models["Capex"]
    with qtbot.waitSignal(document.refused) as refused:
        assert not capex.setData(capex.index(1, 0), "Amazon")                    # a duplicate company
    assert "duplicate" in refused.args[0].message


def test_renaming_a_company_renames_it_in_every_sheet_as_one_step(qtbot, window, document):
    capex = window.inputs.models["Capex"]
    with qtbot.waitSignal(document.resultsChanged):
        assert capex.setData(capex.index(1, 0), "MSFT")
    assert "MSFT" in document.scenario.revenue.column_values("company")
    assert document.scenario.investments.value(0, "investor") == "MSFT"
    assert "MSFT" in document.results.companies
    document.undo_stack.undo()
    assert document.scenario.investments.value(0, "investor") == "Microsoft"


def test_pasting_a_3x4_block_is_one_undo_step(qtbot, window, document):
    view = window.inputs.show_sheet("Capex")
    original = document.scenario
    steps = document.undo_stack.count()
    block = [[f"{10 * r + c + 0.5}" for c in range(4)] for r in range(3)]
    QGuiApplication.clipboard().setText("\n".join("\t".join(row) for row in block) + "\n")   # as Excel puts it
    view.setCurrentIndex(cell_index(view, "2025", 1))
    with qtbot.waitSignal(document.resultsChanged):
        assert view.paste()
    table = document.scenario.capex
    years = ("2025", "2026", "2027", "2028")
    assert [[table.value(1 + r, y) for y in years] for r in range(3)] == \
        [[10 * r + c + 0.5 for c in range(4)] for r in range(3)]
    assert document.undo_stack.count() == steps + 1
    with qtbot.waitSignal(document.resultsChanged):
        document.undo_stack.undo()
    assert document.scenario is original                                           # all 12 cells restored
    assert [[document.scenario.capex.value(1 + r, y) for y in years] for r in range(3)] == \
        [[original.capex.value(1 + r, y) for y in years] for r in range(3)]


def test_a_paste_with_one_bad_cell_changes_nothing(qtbot, window, document):
    view = window.inputs.show_sheet("Capex")
    original = document.scenario
    view.setCurrentIndex(cell_index(view, "2025", 0))
    with qtbot.assertNotEmitted(document.resultsChanged), qtbot.waitSignal(document.refused) as refused:
        assert not view.paste_text("1\t2\n3\tnope\n")
    assert document.scenario is original
    assert "'nope'" in refused.args[0].message
    with qtbot.waitSignal(document.refused) as refused:
        assert not view.paste_text("\n".join(["1"] * 50))                        # does not fit
    assert "only 6 × 5 fit from here" in refused.args[0].message


def test_copy_puts_a_tab_separated_block_that_pastes_back(qtbot, window, document):
    view = window.inputs.show_sheet("Revenue")
    first, last = cell_index(view, "base_revenue", 0), cell_index(view, "cash_margin", 1)
    view.selectionModel().select(view.proxy.index(first.row(), first.column()),
                                 view.selectionModel().SelectionFlag.Select)
    view.selectionModel().select(view.proxy.index(last.row(), last.column()),
                                 view.selectionModel().SelectionFlag.Select)
    view.copy()
    assert QGuiApplication.clipboard().text() == "12\t60%\n18\t58%\n"
    view.setCurrentIndex(cell_index(view, "base_revenue", 2))
    with qtbot.waitSignal(document.resultsChanged):
        assert view.paste()
    assert document.scenario.revenue.value(2, "base_revenue") == 12.0
    assert document.scenario.revenue.value(3, "cash_margin") == 0.58


def test_undo_and_redo_restore_results_exactly(qtbot, window, document):
    before = document.results
    capex = window.inputs.models["Capex"]
    with qtbot.waitSignal(document.resultsChanged):
        capex.setData(capex.index(0, capex.table.column_index("2027")), "400")
    edited = document.results
    with qtbot.waitSignal(document.resultsChanged):
        document.undo_stack.undo()
    assert document.results.to_dict() == before.to_dict()
    assert shown_payback(window, before) == expected_payback(before)
    with qtbot.waitSignal(document.resultsChanged):
        document.undo_stack.redo()
    assert document.results.to_dict() == edited.to_dict()
    for measure, values in edited.series.items():
        np.testing.assert_array_equal(document.results.series[measure], values)
    assert window.score.composite.text() == formatting.score(edited.sector.score.composite)


def test_add_and_remove_companies_years_and_deals(qtbot, window, document):
    panel = window.inputs
    companies = len(document.scenario.companies)
    panel.show_sheet("Capex")
    with qtbot.waitSignal(document.resultsChanged):
        assert panel.add_row()
    assert len(document.scenario.companies) == companies + 1
    assert "New company" in document.results.companies
    assert len(document.scenario.revenue) == companies + 1                          # a company is both rows
    view = panel.current_view()
    view.setCurrentIndex(cell_index(view, "company", 0))
    with qtbot.waitSignal(document.resultsChanged):
        assert panel.remove_rows()
    assert "Amazon" not in document.scenario.companies
    assert all("Amazon" not in (d["investor"], d["investee"]) for d in document.scenario.investments.records())
    with qtbot.waitSignal(document.resultsChanged):
        assert panel.add_year()
    assert document.scenario.capex.years[-1] == 2029
    view.setCurrentIndex(cell_index(view, "2024", 0))
    with qtbot.waitSignal(document.resultsChanged):
        assert panel.remove_year()
    assert 2024 not in document.scenario.capex.years
    panel.show_sheet("Investments")
    deals = len(document.scenario.investments)
    with qtbot.waitSignal(document.resultsChanged):
        assert panel.add_row()
    assert len(document.scenario.investments) == deals + 1
    for _ in range(5):
        document.undo_stack.undo()
    assert document.scenario.inputs_equal(window.document.undo_stack.command(0)._before.scenario)


def test_delete_clears_cells_and_required_cells_are_refused(qtbot, window, document):
    view = window.inputs.show_sheet("Capex")
    view.setCurrentIndex(cell_index(view, "2024", 0))
    with qtbot.waitSignal(document.resultsChanged):
        qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert document.scenario.capex.value(0, "2024") is None                        # blank capex is 0
    view.setCurrentIndex(cell_index(view, "company", 0))
    with qtbot.assertNotEmitted(document.resultsChanged), qtbot.waitSignal(document.refused) as refused:
        qtbot.keyClick(view, Qt.Key.Key_Delete)
    assert "required" in refused.args[0].message


def test_sorting_by_a_column_sorts_numbers_as_numbers_and_edits_land_in_the_right_row(qtbot, window, document):
    view = window.inputs.show_sheet("Capex")
    column = view.source.table.column_index("2028")
    view.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    shown = [view.proxy.index(r, column).data() for r in range(view.proxy.rowCount())]
    assert shown == sorted(shown, key=float, reverse=True)
    top = view.proxy.index(0, 0).data()                          # the company with the most capex in 2028
    with qtbot.waitSignal(document.resultsChanged):
        type_into(qtbot, view, view.proxy.index(0, view.source.table.column_index("2024")), "1")
    row = document.scenario.capex.column_values("company").index(top)
    assert document.scenario.capex.value(row, "2024") == 1.0


def test_an_assumption_out_of_range_is_refused_and_a_valid_one_recomputes(qtbot, window, document):
    model = window.inputs.models["Assumptions"]
    row = model.table.column_values("name").index("Discount rate")
    value = model.table.column_index("value")
    with qtbot.assertNotEmitted(document.resultsChanged), qtbot.waitSignal(document.refused) as refused:
        assert not model.setData(model.index(row, value), "150%")
    assert "Discount rate is out of range" in refused.args[0].message
    with qtbot.waitSignal(document.resultsChanged):
        assert model.setData(model.index(row, value), "12%")
    assert document.results.assumptions["Discount rate"] == 0.12
    assert model.index(row, value).data() == "12.0%"
