"""The Simulation tab's charts show the model's figures for the chosen output, and the live re-run follows the
edits: after a pause, off the GUI thread, a stale run never replacing a newer one, Cancel leaving the document as
it was. The expected figures come from model.simulate.simulate run here on the same book, paths and seed."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gui import commands
from gui.document import Document
from gui.simulate.charts import DRIVER_OUTPUTS, FAN_OUTPUTS
from gui.simulate.figures import cells, figure, standard_error
from gui.simulate.runner import SimulationRunner
from gui.simulate.view import SimulationView
from model.core.compute import compute
from model.core.edit import CellInput
from model.defaults.scenario import default_scenario
from model.simulate.run import Headline, simulate

PATHS, SEED = 200, 7


@pytest.fixture
def scenario():
    return default_scenario()         # it has ranges (the Uncertainty sheet)


@pytest.fixture
def view(qtbot, document: Document):
    widget = SimulationView(document)
    widget.resize(900, 640)
    widget.show()
    qtbot.waitExposed(widget)
    widget.paths.setValue(PATHS)
    widget.seed.setValue(SEED)
    yield widget
    widget.wait_idle()
    widget.close()
    widget.deleteLater()


def run(qtbot, view: SimulationView) -> None:
    with qtbot.waitSignal(view.runner.finished, timeout=120_000):
        assert view.run()


def test_the_fan_shows_the_chosen_output_with_the_entered_line(qtbot, view, document) -> None:
    run(qtbot, view)
    expected = simulate(document.book, ("Base",), paths=PATHS, seed=SEED).scenario()
    assert view.fan.choice is not None
    for key, (_, _, scale) in FAN_OUTPUTS.items():
        view.fan.choice.setCurrentIndex(view.fan.choice.findData(key))
        fan = expected.score_fan if key == "score" else expected.fans[key]
        years = expected.score_years if key == "score" else expected.years
        p50 = np.asarray(fan["P50"], dtype=float)
        keep = np.isfinite(p50)
        x, y = view.fan.median.getData()
        np.testing.assert_array_equal(x, np.asarray(years, dtype=float)[keep])
        np.testing.assert_allclose(y, scale * p50[keep], rtol=1e-12)
        _, entered = view.fan.entered.getData()
        as_entered = np.asarray(expected.deterministic_fans[key], dtype=float)
        np.testing.assert_allclose(entered, scale * as_entered[np.isfinite(as_entered)], rtol=1e-12)
        assert view.fan_data() == fan
    # Coverage is shown in %: the P50 of the last year is 100 × the model's ratio (an independent reading).
    view.fan.choice.setCurrentIndex(view.fan.choice.findData("coverage"))
    assert view.fan.median.getData()[1][-1] == pytest.approx(100.0 * expected.fans["coverage"]["P50"][-1])


def test_the_score_fan_has_the_assumptions_bands(qtbot, view, document) -> None:
    import pyqtgraph as pg

    run(qtbot, view)
    view.fan.choice.setCurrentIndex(view.fan.choice.findData("score"))
    entered = compute(document.scenario)
    regions = [item.getRegion() for item in view.fan.plot.items if isinstance(item, pg.LinearRegionItem)]
    boom, bubble = entered.assumptions["Boom score"], entered.assumptions["Bubble score"]
    assert [tuple(map(float, r)) for r in regions] == [(0.0, boom), (boom, bubble), (bubble, 100.0)]


def test_p_bubble_by_year_is_the_simulations_and_marks_the_score_year(qtbot, view, document) -> None:
    run(qtbot, view)
    expected = simulate(document.book, ("Base",), paths=PATHS, seed=SEED).scenario()
    bars = view.bubble.bars.opts
    np.testing.assert_array_equal(bars["x"], np.asarray(expected.score_years, dtype=float))
    np.testing.assert_allclose(bars["height"], [100.0 * b.p for b in expected.bubble], rtol=1e-12)
    score_year = compute(document.scenario).score_year
    colours = [brush.color().rgba() for brush in bars["brushes"]]
    marked = [y for y, c in zip(expected.score_years, colours, strict=True) if colours.count(c) == 1]
    assert marked == [score_year]
    # The headline keeps the probabilities with their standard errors.
    for p in expected.probabilities:
        assert f"{p.label}: {p.p:.0%}</b> ± {p.se:.1%}" in view.headline.text()


def test_the_tornado_follows_the_chosen_output(qtbot, view, document) -> None:
    run(qtbot, view)
    expected = simulate(document.book, ("Base",), paths=PATHS, seed=SEED)
    names = expected.names
    assert view.drivers.choice is not None
    for key in DRIVER_OUTPUTS:
        view.drivers.choice.setCurrentIndex(view.drivers.choice.findData(key))
        shares = expected.scenario().contribution[key]
        ranked = sorted(zip(names, shares, strict=True), key=lambda t: -t[1])
        assert view.drivers.shown == ranked[:len(view.drivers.shown)]
        assert len(view.drivers.shown) >= 3


def test_the_headline_table_shows_percentiles_with_standard_errors(qtbot, view, document) -> None:
    run(qtbot, view)
    expected = simulate(document.book, ("Base",), paths=PATHS, seed=SEED).scenario()
    rows = view.figures.texts()
    npv = expected.headline("npv")
    assert rows[0][2] == f"{npv.p50:,.0f} ± {npv.se_p50:,.0f}".replace("-", "−")
    assert rows[0][1] == f"{npv.p5:,.0f}".replace("-", "−") and rows[0][3] == f"{npv.p95:,.0f}".replace("-", "−")
    assert rows[3] == list(cells(expected.headline("score")))


def test_headline_cells_read_as_an_analyst_writes_them() -> None:
    h = Headline("payback_year", "Sector payback year", "year", math.inf, 2031.94, math.inf, math.inf, math.inf,
                 math.nan, math.nan)
    assert cells(h) == ("never", "2031.9", "never", "never", "–")
    h = Headline("npv", "Sector NPV", "$B", -1966.2, -2994.4, -1825.3, 415.0, 26.4, -1609.0, 27.2)
    assert cells(h) == ("−1,966", "−2,994", "−1,825 ± 26", "415", "−1,609 ± 27")
    assert figure(46.4, "score") == "46" and standard_error(0.04, "score") == "± 0.0"


# -- live ------------------------------------------------------------------------------------------------------------

def edit_capex(document: Document, value: str) -> None:
    assert commands.edit_cells(document, "Capex", [CellInput(0, "2027", value)])


def test_an_edit_re_runs_the_simulation_of_the_edited_scenario(qtbot, view, document) -> None:
    assert view.live.isChecked()          # the default: the picture follows the edits
    run(qtbot, view)
    before = view.simulation
    with qtbot.waitSignal(view.runner.finished, timeout=120_000):
        edit_capex(document, "400")
        edit_capex(document, "450")       # a burst: one re-run, of the last state
    assert view.live_runs == 1
    expected = simulate(document.book, ("Base",), paths=PATHS, seed=SEED).scenario()
    shown = view.simulation.scenarios[0]
    assert shown.headline("npv") == expected.headline("npv") != before.scenarios[0].headline("npv")
    assert "Out of date" not in view.status.text()
    # Undo back to the first run's scenario re-runs too: the picture is the scenario on screen, whatever happened.
    with qtbot.waitSignal(view.runner.finished, timeout=120_000):
        document.undo_stack.undo()
        document.undo_stack.undo()
    assert view.simulation.scenarios[0].headline("npv") == before.scenarios[0].headline("npv")


def test_no_live_run_before_a_first_run_nor_with_the_box_unticked(qtbot, view, document) -> None:
    edit_capex(document, "400")
    assert not view._debounce.isActive() and not view.runner.busy
    run(qtbot, view)
    view.live.setChecked(False)
    edit_capex(document, "450")
    assert not view._debounce.isActive() and not view.runner.busy
    assert "Out of date" in view.status.text()
    with qtbot.waitSignal(view.runner.finished, timeout=120_000):
        view.live.setChecked(True)        # ticking it brings the picture up to date
    assert "Out of date" not in view.status.text()


def test_a_hidden_tab_re_runs_when_it_shows(qtbot, view, document) -> None:
    run(qtbot, view)
    view.hide()
    edit_capex(document, "400")
    qtbot.waitUntil(lambda: view._live_pending, timeout=10_000)
    assert not view.runner.busy and view.live_runs == 0
    with qtbot.waitSignal(view.runner.finished, timeout=120_000):
        view.show()
    expected = simulate(document.book, ("Base",), paths=PATHS, seed=SEED).scenario()
    assert view.simulation.scenarios[0].headline("npv") == expected.headline("npv")


def test_a_stale_runs_result_never_replaces_a_newer_one(qtbot, document) -> None:
    runner = SimulationRunner()
    shown = []
    runner.finished.connect(shown.append)
    # The first run finishes in its thread; its result is queued to this thread but not delivered yet when the
    # second run starts: it arrives first and must be dropped.
    runner.start(document.book, "Base", 60, 1)
    assert runner.wait_idle()
    with qtbot.waitSignal(runner.finished, timeout=120_000):
        runner.start(document.book, "Base", 60, 2)
    assert runner.wait_idle()
    qtbot.waitUntil(lambda: runner.outstanding == 0, timeout=10_000)
    assert [r.simulation.seed for r in shown] == [2] and runner.dropped == 1
    # A long run overtaken while it is going is stopped and dropped as well.
    with qtbot.waitSignal(runner.finished, timeout=120_000):
        runner.start(document.book, "Base", 50_000, 3)
        runner.start(document.book, "Base", 60, 4)
    qtbot.waitUntil(lambda: runner.outstanding == 0, timeout=60_000)
    assert [r.simulation.seed for r in shown] == [2, 4] and runner.dropped == 2 and not runner.busy


def test_cancel_keeps_the_document_and_the_previous_picture(qtbot, view, document) -> None:
    run(qtbot, view)
    before = view.simulation
    book, index = document.book, document.undo_stack.index()
    view.live.setChecked(False)
    view.paths.setValue(50_000)
    with qtbot.waitSignal(view.runner.progress, timeout=120_000):
        view.run()
    with qtbot.waitSignal(view.runner.cancelled, timeout=120_000):
        view.cancel_button.click()
    assert view.simulation is before and "Cancelled" in view.status.text() and "previous run" in view.status.text()
    assert document.book is book and document.undo_stack.index() == index and document.undo_stack.isClean()


def test_a_new_scenario_on_screen_is_simulated_and_its_edits_follow(qtbot, view, document) -> None:
    run(qtbot, view)
    with qtbot.waitSignal(view.runner.finished, timeout=120_000):
        assert commands.new_scenario(document, "Bear")
    assert view.simulation.scenarios[0].name == "Bear"
    with qtbot.waitSignal(view.runner.finished, timeout=120_000):
        edit_capex(document, "400")         # an edit of the alternative: an override of the base
    expected = simulate(document.book, ("Bear",), paths=PATHS, seed=SEED).scenario("Bear")
    assert view.simulation.scenarios[0].headline("npv") == expected.headline("npv")
    assert view.live_runs == 2


def test_a_failed_re_run_says_the_charts_are_the_previous_runs(qtbot, view, document) -> None:
    from dataclasses import replace

    from model.core.scenario import Table
    run(qtbot, view)
    before = view.simulation
    with qtbot.waitSignal(view.runner.failed, timeout=120_000):
        document.load(replace(document.scenario, uncertainty=Table("Uncertainty"),
                              correlations=Table("Correlations")))
    assert "nothing is uncertain" in view.status.text() and "previous run" in view.status.text()
    assert view.simulation is before


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False))
def test_a_money_figure_reads_back_within_half_a_billion(value: float) -> None:
    text = figure(value, "$B")
    assert "-" not in text                                   # a true minus sign, as in the rest of the window
    assert abs(float(text.replace("−", "-").replace(",", "")) - value) <= 0.5


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_a_year_figure_is_never_only_past_the_horizon(value: float) -> None:
    text = figure(value, "year")
    assert (text == "never") == (value == math.inf)
    if math.isfinite(value) and abs(value) < 1e6:
        assert abs(float(text) - value) <= 0.05 + 1e-9
