"""Recompute off the GUI thread when it is slow, and never show a stale result."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QThreadPool

from gui import commands
from gui.document import Document
from gui.recompute import JobFailed, JobRunner, Recomputer
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
    assert recomputer.stale_dropped == 1           # version 100's; 200 and 300 were replaced before they ran


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


def _raising_work(generation, fail, *, in_worker):
    if fail:
        raise RuntimeError("the model broke")
    return _Done(generation, 0.0)


@dataclass(frozen=True)
class _Done:
    generation: int
    elapsed_ms: float


@pytest.mark.parametrize("budget_ms", [-1.0, 1e9], ids=["in a worker", "on the GUI thread"])
def test_a_job_that_raises_is_reported_and_the_runner_takes_the_next_request(qtbot, budget_ms):
    runner = JobRunner(_raising_work, budget_ms=budget_ms)
    with qtbot.waitSignal(runner.errored, timeout=10_000) as failed:
        runner.request(True)
    failure = failed.args[0]
    assert isinstance(failure, JobFailed) and failure.generation == 1
    assert failure.message == "RuntimeError: the model broke"
    qtbot.waitUntil(lambda: not runner.busy)
    with qtbot.waitSignal(runner.finished, timeout=10_000) as done:     # not parked behind a dead job
        runner.request(False)
    assert done.args[0].generation == 2


def test_a_document_whose_compute_job_raises_shows_the_failure(qtbot, scenario, monkeypatch):
    document = Document(scenario, "", recomputer=Recomputer(budget_ms=-1.0))
    monkeypatch.setattr(document.recomputer, "_work", lambda *a, **k: 1 / 0)
    with qtbot.waitSignal(document.computeFailed, timeout=10_000) as failed:
        document.recompute()
    assert document.results is None
    assert failed.args[0][0].message == "the computation failed: ZeroDivisionError: division by zero"


def test_an_undo_step_that_raises_is_rolled_back_and_dropped(qtbot, scenario, monkeypatch):
    """A swap that raises half way (here: the recompute request, after the state changed and scenarioChanged went
    out) leaves the document in its old state, the undo stack without the step, and says why."""
    document = Document(scenario)
    before = document.state
    real_recompute, calls = document.recompute, []

    def recompute_once_broken(**kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("the recompute could not start")
        return real_recompute(**kwargs)

    monkeypatch.setattr(document, "recompute", recompute_once_broken)
    with qtbot.waitSignal(document.failed) as failed:
        commands.edit_cells(document, "Capex", [CellInput(0, "2025", "123")])
    assert failed.args[0] == "Edit Capex 2025 did not go through: ValueError: the recompute could not start"
    assert document.state is before                         # rolled back, not half applied
    assert document.undo_stack.count() == 0 and not document.dirty
    assert commands.edit_cells(document, "Capex", [CellInput(0, "2025", "124")])      # the next edit goes through
    assert document.scenario.capex.value(0, "2025") == 124.0 and document.undo_stack.count() == 1
    # On a loaded machine the rollback's compute can take longer than a frame, sending this one to a worker: let it
    # deliver before the document goes (it raised 'Signal source has been deleted' into the next test)
    assert document.recomputer.wait_delivered()


def test_closing_the_window_waits_for_a_computation_in_flight(qtbot, scenario, settings):
    """A worker still computing when the window closes would deliver into widgets being destroyed: close waits."""
    from gui.main_window import MainWindow

    document = Document(scenario, "", recomputer=Recomputer(budget_ms=-1.0))
    window = MainWindow(document, settings)
    window.show()
    qtbot.waitExposed(window)
    document.recomputer.wait_delivered()
    release = threading.Event()
    real_work = document.recomputer._work

    def slow_work(*args, **kwargs):
        release.wait(5)
        return real_work(*args, **kwargs)

    document.recomputer._work = slow_work
    assert commands.edit_cells(document, "Capex", [CellInput(0, "2025", "321")])
    assert document.recomputer.busy
    document.undo_stack.setClean()                  # no save prompt
    threading.Timer(0.2, release.set).start()
    assert window.close()
    assert QThreadPool.globalInstance().activeThreadCount() == 0      # the worker finished before close returned
    window.deleteLater()
