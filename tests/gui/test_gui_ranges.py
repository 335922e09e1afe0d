"""The Uncertainty and Correlations sheets share the Ranges tab: each edits like any other sheet."""

from __future__ import annotations

import pytest

from gui.document import Document
from gui.main_window import MainWindow
from model.defaults.scenario import default_scenario


@pytest.fixture
def scenario():
    return default_scenario()


def test_the_ranges_tab_holds_both_sheets_and_its_buttons_act_on_their_own(qtbot, window: MainWindow,
                                                                            document: Document) -> None:
    panel = window.inputs
    titles = [panel.tabs.tabText(i) for i in range(panel.tabs.count())]
    assert titles == ["Capex", "Revenue growth", "Investments", "Assumptions", "Market", "Thresholds", "Ranges"]
    assert panel.show_sheet("Correlations") is panel.views["Correlations"] and panel.sheet == "Correlations"
    panel.show_sheet("Uncertainty")
    assert panel.sheet == "Uncertainty"
    before = len(document.scenario.uncertainty), len(document.scenario.correlations)
    with qtbot.waitSignal(document.resultsChanged):
        assert panel.add_row()
    assert (len(document.scenario.uncertainty), len(document.scenario.correlations)) == (before[0] + 1, before[1])
    panel.show_sheet("Correlations")
    with qtbot.waitSignal(document.resultsChanged):
        assert panel.add_row()
    assert len(document.scenario.correlations) == before[1] + 1
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert (len(document.scenario.uncertainty), len(document.scenario.correlations)) == before


def test_a_bad_distribution_typed_in_the_window_is_refused_with_the_reason(qtbot, window: MainWindow,
                                                                         document: Document) -> None:
    model = window.inputs.models["Uncertainty"]
    before = document.scenario
    with qtbot.waitSignal(document.refused) as refused:
        model.setData(model.index(0, model.table.column_index("distribution")), "6 to 4")
    assert refused.args[0].sheet == "Uncertainty" and "the low end first" in refused.args[0].message
    assert document.scenario is before
