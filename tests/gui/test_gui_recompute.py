"""Recompute off the GUI thread when it is slow, and never show a stale result."""

from __future__ import annotations

from gui import commands
from gui.document import Document
from gui.recompute import Recomputer
from model.core.compute import compute
from model.core.edit import CellInput


def test_quick_scenarios_recompute_on_the_gui_thread(qtbot, scenario):
    recomputer = Recomputer()
    with qtbot.waitSignal(recomputer.finished) as done:
        recomputer.request(scenario)
    assert not done.args[0].in_worker
    assert done.args[0].results.to_dict() == compute(scenario).to_dict()


def test_slow_scenarios_recompute_in_a_worker_and_stale_results_are_dropped(qtbot, scenario):
    recomputer = Recomputer(budget_ms=-1.0)            # as if the last compute took longer than a frame
    versions = [scenario.with_cell("Capex", 0, "2025", float(v)) for v in (100, 200, 300, 400)]
    delivered = []
    recomputer.finished.connect(delivered.append)
    with qtbot.waitSignal(recomputer.busyChanged) as busy:
        for version in versions:
            recomputer.request(version)
    assert busy.args == [True]
    qtbot.waitUntil(lambda: not recomputer.busy and bool(delivered))
    assert len(delivered) == 1 and delivered[0].in_worker
    assert delivered[0].generation == recomputer.generation == 4
    assert delivered[0].results.to_dict() == compute(versions[-1]).to_dict()
    assert recomputer.stale_dropped >= 1


def test_document_edits_while_a_worker_runs_end_on_the_last_edit(qtbot, scenario):
    document = Document(scenario, "", recomputer=Recomputer(budget_ms=-1.0))
    with qtbot.waitSignal(document.resultsChanged, timeout=10_000):
        document.recompute()
    for value in ("1", "2", "3"):
        assert commands.edit_cells(document, "Capex", [CellInput(0, "2024", value)])
    qtbot.waitUntil(lambda: not document.recomputer.busy and document.results is not None
                    and document.results.value("Amazon", "capex", 2024) == 3.0, timeout=10_000)
    assert document.results.to_dict() == compute(document.scenario).to_dict()


def test_a_scenario_with_errors_is_not_computed_and_says_why(qtbot, scenario):
    broken = scenario.with_cell("Investments", 0, "investee", "Microsoft")   # invests in itself
    document = Document(broken, "")
    with qtbot.waitSignal(document.computeFailed) as failed:
        document.recompute()
    assert document.results is None
    assert any("cannot invest in itself" in p.message for p in failed.args[0])
