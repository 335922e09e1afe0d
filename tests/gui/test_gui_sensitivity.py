"""The Sensitivity tab: the model's tornado and spider on screen, recomputed off the GUI thread after every edit while
the tab is shown, hover tooltips with both ends, and a goal seek whose answer becomes an undoable scenario."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QToolTip

from gui import commands
from gui.sensitivity.view import SensitivityView
from model.core.compute import compute
from model.core.edit import CellInput
from model.core.overrides import BASE
from model.sensitivity.metrics import parse_metric
from model.sensitivity.ranges import ranged_tornado


def shown(qtbot, window) -> SensitivityView:  # type: ignore[no-untyped-def]
    view = window.sensitivity
    with qtbot.waitSignal(view.analysed, timeout=30_000):
        window.answer.setCurrentWidget(view)
    return view


def assert_chart_is_the_model(view: SensitivityView, scenario) -> None:  # type: ignore[no-untyped-def]
    metric = parse_metric(view.metric_key, scenario)
    expected = ranged_tornado(scenario, metric)     # the Uncertainty sheet's ranges, ±20% elsewhere
    shown_result = view.tornado.result
    assert shown_result is not None
    assert shown_result.base == expected.base == metric.value(compute(scenario))
    assert [b.input.key for b in shown_result.bars] == [b.input.key for b in expected.bars]
    assert [(b.low, b.high) for b in shown_result.bars] == [(b.low, b.high) for b in expected.bars]
    # The drawn bars: from the base to each end, the largest swing on row 0 (percentages drawn in points).
    k = 100.0 if metric.unit == "%" else 1.0
    n = view.tornado.bars
    base = expected.base_position * k
    for item, attr in ((view.tornado.low, "low_position"), (view.tornado.high, "high_position")):
        ends = np.array([getattr(b, attr) for b in expected.bars[:n]]) * k
        assert np.allclose(item.opts["x0"], np.minimum(ends, base))
        assert np.allclose(item.opts["width"], np.abs(ends - base))
        assert list(item.opts["y"]) == list(range(n))
    assert view.tornado.base_line.value() == base


def test_the_tab_shows_the_model_and_follows_an_edit(qtbot, window, document) -> None:  # type: ignore[no-untyped-def]
    view = window.sensitivity
    assert view.runner.generation == 0           # nothing computed while the tab was never shown
    view = shown(qtbot, window)
    assert view.outcome is not None and view.outcome.in_worker        # off the GUI thread
    assert_chart_is_the_model(view, document.scenario)
    moving = [b for b in view.tornado.result.bars[:8] if b.swing > 0]
    assert view.spider.line_count() == len(moving) == len(view.outcome.spider.lines) > 0
    assert [line.input.key for line in view.outcome.spider.lines] == [b.input.key for b in moving]
    before = view.tornado.result.base

    with qtbot.waitSignal(view.analysed, timeout=30_000):
        assert commands.edit_cells(document, "Capex", [CellInput(0, "2026", "400")])
    assert view.outcome.scenario.inputs_equal(document.scenario)
    assert view.tornado.result.base != before
    assert_chart_is_the_model(view, document.scenario)

    # Two quick edits: the view ends on the last one (an older analysis is dropped, never shown last).
    with qtbot.waitSignal(view.analysed, timeout=30_000):
        commands.edit_cells(document, "Capex", [CellInput(1, "2026", "300")])
        commands.edit_cells(document, "Capex", [CellInput(2, "2026", "250")])
    qtbot.waitUntil(lambda: view.outcome.scenario.inputs_equal(document.scenario), timeout=30_000)
    view.wait_idle()
    assert_chart_is_the_model(view, document.scenario)

    # Another output, in another year.
    assert not view.output_year.isEnabled()                 # an NPV has no year
    with qtbot.waitSignal(view.analysed, timeout=30_000):
        view.set_metric("Amazon:coverage@2027")
    assert view.output_year.isEnabled() and view.output_year.currentText() == "2027"
    assert view.tornado.result.metric.key == "Amazon:coverage@2027"
    assert_chart_is_the_model(view, document.scenario)


def test_hovering_a_bar_gives_both_inputs_and_outputs(qtbot, window, document) -> None:  # type: ignore[no-untyped-def]
    view = shown(qtbot, window)
    bar = view.tornado.result.bars[0]
    text = view.tornado.tooltip(0)
    for part in (bar.input.label.replace("'", "&#x27;"), bar.low_input, bar.high_input, bar.low_text, bar.high_text):
        assert part in text
    vb = view.tornado.getPlotItem().vb
    pos = vb.mapViewToScene(QPointF(bar.high_position or 0.0, 0.0))
    assert view.tornado.row_at(pos) == 0
    view.tornado._hover(pos)
    assert QToolTip.isVisible() and QToolTip.text() == text
    assert view.tornado.row_at(vb.mapViewToScene(QPointF(view.tornado.result.base_position, 2.1))) == 2


def test_hidden_tab_waits_and_catches_up(qtbot, window, document) -> None:  # type: ignore[no-untyped-def]
    view = shown(qtbot, window)
    window.answer.setCurrentIndex(0)
    generation = view.runner.generation
    commands.edit_cells(document, "Revenue", [CellInput(0, "cash_margin", "50%")])
    qtbot.waitUntil(lambda: document.results is not None and view.stale, timeout=10_000)
    assert view.runner.generation == generation          # hidden: no work
    with qtbot.waitSignal(view.analysed, timeout=30_000):
        window.answer.setCurrentWidget(view)
    assert_chart_is_the_model(view, document.scenario)


def test_goal_seek_answer_becomes_an_undoable_scenario(qtbot, window, document) -> None:  # type: ignore[no-untyped-def]
    view = shown(qtbot, window)
    view.goal_metric.setCurrentIndex(view.goal_metric.findData("npv"))
    view.goal_input.setCurrentIndex(view.goal_input.findData("hyperscalers.growth"))
    base_npv = compute(document.scenario).sector.npv
    view.target.setText(f"{base_npv + 50:.6f}")
    with qtbot.waitSignal(view.sought, timeout=30_000):
        view.seek()
    answer = view.answer.result
    assert answer is not None and answer.reached and view.apply_button.isEnabled()
    assert view.goal_answer.text() == answer.message
    names = document.book.names
    assert view.apply()
    assert document.active not in names and document.active == document.book.names[-1]
    alt = document.book.alternative(document.active)
    assert "Goal seek" in alt.description and all(o.note == answer.note for o in alt.overrides)
    assert compute(document.scenario).sector.npv == answer.value
    assert abs(answer.value - (base_npv + 50)) < 1e-6
    document.undo_stack.undo()
    assert document.book.names == names and document.active == BASE


def test_an_answer_for_changed_inputs_is_not_applied(qtbot, window, document) -> None:  # type: ignore[no-untyped-def]
    view = shown(qtbot, window)
    view.target.setText("not a number")
    view.seek()
    assert "is not a number" in view.goal_answer.text()
    view.goal_metric.setCurrentIndex(view.goal_metric.findData("npv"))
    view.goal_input.setCurrentIndex(view.goal_input.findData("amazon.margin"))
    view.target.setText(f"{compute(document.scenario).sector.npv + 10:.3f}")
    with qtbot.waitSignal(view.sought, timeout=30_000):
        view.seek()
    assert view.apply_button.isEnabled()
    with qtbot.waitSignal(view.analysed, timeout=30_000):
        commands.edit_cells(document, "Capex", [CellInput(0, "2026", "123")])
    assert not view.apply_button.isEnabled() and "seek again" in view.goal_answer.text()
    names = document.book.names
    assert not view.apply() and document.book.names == names


def test_a_scenario_with_errors_says_so_and_computes_nothing(qtbot, settings) -> None:  # type: ignore[no-untyped-def]
    from gui.document import Document
    from gui.main_window import MainWindow
    from tests.sample_scenarios import sample_scenario

    broken = sample_scenario()
    broken = broken.with_table(broken.revenue.with_rows(broken.revenue.rows[1:]))   # Amazon: capex, no revenue
    document = Document(broken, "")
    window = MainWindow(document, settings)
    window.show()
    qtbot.waitExposed(window)
    window.answer.setCurrentWidget(window.sensitivity)
    view = window.sensitivity
    assert document.results is None
    assert view.runner.generation == 0 and "errors" in view.status.text()
    document.undo_stack.setClean()
    window.close()


def test_goal_seek_of_a_year_says_when_the_target_is_out_of_reach(qtbot, window, document) -> None:  # type: ignore[no-untyped-def]
    view = shown(qtbot, window)
    view.set_metric("coverage@2027", goal=True)
    view.goal_input.setCurrentIndex(view.goal_input.findData("amazon.margin"))
    assert view.goal_metric_key == "coverage@2027" and view.goal_year.isEnabled()
    view.target.setText("100%")
    with qtbot.waitSignal(view.sought, timeout=30_000):
        view.seek()
    result = view.answer.result
    assert result is not None and not result.reached and not view.apply_button.isEnabled()
    best = compute(document.scenario.with_cell("Revenue", 0, "cash_margin", 1.0)).value("Sector", "coverage", 2027)
    assert result.value == best
    assert view.goal_answer.text().startswith("Sector coverage in 2027 cannot reach 100.0% by changing Amazon's "
                                              "cash margin") and f"peaks at {best * 100:.1f}%" in view.goal_answer.text()


def test_a_range_on_the_uncertainty_sheet_sets_its_bar_and_the_tooltip_says_so(qtbot, settings) -> None:  # type: ignore[no-untyped-def]
    """A row on the Uncertainty sheet: its bar swings over the row's range (and follows an edit of it), the tooltip
    says which swing each bar used."""
    from gui.document import Document
    from gui.main_window import MainWindow
    from tests.sample_scenarios import sample_scenario

    plain = sample_scenario()
    row = {"input": "Amazon growth", "sheet": "Revenue", "row": "Amazon", "column": "growth",
           "distribution": "0.5 to 1.5", "applies_as": "multiplier"}
    table = plain.uncertainty
    scenario = plain.with_table(table.with_rows([tuple(row.get(k) for k in table.keys)]))
    document = Document(scenario, "")
    window = MainWindow(document, settings)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    view = shown(qtbot, window)
    assert_chart_is_the_model(view, document.scenario)
    result = view.tornado.result
    rows = {b.input.key: k for k, b in enumerate(result.bars)}
    growth = result.bars[rows["amazon.growth"]]          # the row names every year: the input itself
    assert (growth.low_x, growth.high_x) == (0.5, 1.5)
    assert growth.low == compute(_scaled_growth(plain, 0.5)).sector.npv
    assert growth.high == compute(_scaled_growth(plain, 1.5)).sector.npv
    assert rows["amazon.growth"] < view.tornado.bars                 # drawn, among the largest swings
    assert "swing: Uncertainty range ×0.5 to ×1.5 (&#x27;Amazon growth&#x27;)" in view.tornado.tooltip(
        rows["amazon.growth"])
    plain_row = next(k for k, b in enumerate(result.bars[:view.tornado.bars]) if not b.from_range)
    assert "swing: ±20%" in view.tornado.tooltip(plain_row)
    assert "1 of" in view.status.text() and "Uncertainty range" in view.status.text()

    with qtbot.waitSignal(view.analysed, timeout=30_000):
        assert commands.edit_cells(document, "Uncertainty", [CellInput(0, "distribution", "0.7 to 1.2")])
    growth = next(b for b in view.tornado.result.bars if b.input.key == "amazon.growth")
    assert (growth.low_x, growth.high_x) == (0.7, 1.2)
    assert growth.high == compute(_scaled_growth(plain, 1.2)).sector.npv
    assert_chart_is_the_model(view, document.scenario)
    document.undo_stack.setClean()
    window.close()


def _scaled_growth(scenario, factor: float):  # type: ignore[no-untyped-def]
    out = scenario
    for key in (str(y) for y in scenario.revenue.years):
        value = scenario.revenue.value(0, key)
        if isinstance(value, float | int):
            out = out.with_cell("Revenue", 0, key, value * factor)
    return out


def test_the_spider_axis_labels_never_touch_and_the_titles_fit(qtbot, window, document) -> None:  # type: ignore[no-untyped-def]
    """At any width the change axis labels every 10%, 20% or 30%, whichever leaves the labels apart; a long
    title is cut to the plot's width rather than widening the plot past its widget."""
    from PySide6.QtGui import QFontMetricsF

    view = shown(qtbot, window)
    axis = view.spider.getPlotItem().getAxis("bottom")
    for pixels in (160.0, 230.0, 300.0, 420.0, 900.0):
        (step, values), = axis.tickValues(-36.0, 36.0, pixels)
        labels = axis.tickStrings(values, 1.0, step)
        font = axis.style["tickFont"] or axis.font()
        widest = max(QFontMetricsF(font).horizontalAdvance(t) for t in labels)
        gap = step * pixels / 72.0 - widest                # space between two neighbouring labels
        assert gap > 0 or step == 30, (pixels, step, gap)
        assert 0.0 in values and values == sorted(values) and min(values) >= -30 and max(values) <= 30
    assert axis.tickValues(-36.0, 36.0, 900.0)[0][0] == 10          # wide: every 10%
    for width in (420, 1200):
        view.charts.setSizes([width, 400])
        qtbot.waitUntil(lambda: view.tornado.getPlotItem().width() <= view.tornado.width() + 0.5, timeout=5_000)
        plot = view.tornado.getPlotItem()
        assert plot.titleLabel.sceneBoundingRect().right() <= view.tornado.width() + 0.5


def test_a_hidden_tab_reads_the_goal_seek_inputs_only_when_shown(qtbot, window, document,
                                                                 monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Reading the inputs takes every row (170 ms on 500 companies × 30 years): not on every edit of a hidden tab."""
    import gui.sensitivity.view as view_module
    view = shown(qtbot, window)
    window.answer.setCurrentIndex(0)                     # the Results tab: the Sensitivity tab is hidden
    calls: list[object] = []
    real = view_module.inputs_of
    monkeypatch.setattr(view_module, "inputs_of", lambda scenario: calls.append(scenario) or real(scenario))
    with qtbot.waitSignal(document.resultsChanged, timeout=30_000):
        assert commands.edit_cells(document, "Capex", [CellInput(0, "2026", "410")])
    assert calls == []
    with qtbot.waitSignal(view.analysed, timeout=30_000):
        window.answer.setCurrentWidget(view)
    assert len(calls) == 1 and calls[0] is document.scenario
    assert view.goal_input.findData("hyperscalers.growth") >= 0
