"""The Simulation tab: runs off the GUI thread, shows the same picture for the same seed, and Cancel leaves the
document untouched."""

from __future__ import annotations

import pytest

from gui.document import Document
from gui.main_window import MainWindow
from model.defaults.scenario import default_scenario
from model.simulate.run import simulate


@pytest.fixture
def scenario():
    return default_scenario()


def test_a_run_shows_the_models_figures_and_the_same_seed_the_same_picture(qtbot, window: MainWindow,
                                                                          document: Document) -> None:
    view = window.simulation
    window.answer.setCurrentWidget(view)
    view.paths.setValue(40)
    view.seed.setValue(321)
    with qtbot.waitSignal(view.runner.finished, timeout=120_000):
        assert view.run()
    first = view.fan_data()
    expected = simulate(document.book, ("Base",), paths=40, seed=321).scenario()
    assert first == expected.fans["cumulative_cash_flow"]
    assert "seed 321" in view.status.text() and f"{expected.probabilities[0].p:.0%}" in view.headline.text()
    assert view.bar.value() == view.bar.maximum()
    with qtbot.waitSignal(view.runner.finished, timeout=120_000):
        view.run()
    assert view.fan_data() == first


def test_cancel_leaves_the_document_untouched(qtbot, window: MainWindow, document: Document) -> None:
    view = window.simulation
    book, scenario, index = document.book, document.scenario, document.undo_stack.index()
    view.paths.setValue(5000)
    with qtbot.waitSignal(view.runner.progress, timeout=120_000):
        assert view.run()
    assert view.cancel_button.isEnabled() and not view.run_button.isEnabled()
    with qtbot.waitSignal(view.runner.cancelled, timeout=120_000):
        view.cancel_button.click()
    assert view.simulation is None and "Cancelled" in view.status.text()
    assert document.book is book and document.scenario is scenario
    assert document.undo_stack.index() == index and document.undo_stack.isClean()
    assert view.run_button.isEnabled() and not view.cancel_button.isEnabled()


def test_a_scenario_without_ranges_says_so(qtbot, window: MainWindow, document: Document) -> None:
    from dataclasses import replace

    from model.core.scenario import Table
    document.load(replace(document.scenario, uncertainty=Table("Uncertainty"), correlations=Table("Correlations")))
    view = window.simulation
    with qtbot.waitSignal(view.runner.failed, timeout=60_000):
        view.run()
    assert "nothing is uncertain" in view.status.text()


def test_an_unreachable_dask_scheduler_is_a_message_not_a_crash(qtbot, window: MainWindow,
                                                                document: Document) -> None:
    pytest.importorskip("distributed")
    view = window.simulation
    view.paths.setValue(20)
    view.dask.setText("tcp://127.0.0.1:9")
    book = document.book
    with qtbot.waitSignal(view.runner.failed, timeout=60_000):
        view.run()
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in view.status.text()
    assert document.book is book and view.run_button.isEnabled()
