"""The result views: selection across views, in-place chart updates, score breakdown, warnings, palette."""

from __future__ import annotations

import re

import numpy as np
import pytest
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from gui import commands
from gui.document import Document
from gui.main_window import MainWindow
from gui.results.headline import headline_text
from gui.results.payback_table import wrapped_lines
from model.core import formatting
from model.core.edit import CellInput
from model.core.results import NOTHING_TO_PAY_BACK, Payback
from tests.sample_scenarios import COMPANIES, YEARS


def test_selecting_a_company_highlights_it_everywhere(qtbot, window, document):
    table = window.payback
    with qtbot.waitSignal(window.selection.changed) as changed:
        table.selectRow(table.payback.row_of("Meta"))
    assert changed.args == ["Meta"]
    assert window.score.entity == "Meta" and "Meta" in window.score.title.text()
    assert window.revenue.entity == "Meta"
    widths = {name: curve.opts["pen"].widthF() for name, curve in window.cash_flow.curves.items()}
    assert widths["Meta"] > max(w for name, w in widths.items() if name != "Meta")
    faded = window.cash_flow.curves["Amazon"].opts["pen"].color().alpha()
    assert faded < 255 == window.cash_flow.curves["Meta"].opts["pen"].color().alpha()
    assert window.capex.bars["Meta"].opts["pen"].widthF() > window.capex.bars["Amazon"].opts["pen"].widthF()
    assert window.network.nodes["Meta"].pen().widthF() > window.network.nodes["Amazon"].pen().widthF()
    assert window.legend.selected == "Meta"
    capex_view = window.inputs.views["Capex"]
    assert capex_view.source.table.value(capex_view.source_index(capex_view.currentIndex()).row(), "company") == "Meta"
    assert "Meta" in window.headline.text()
    window.selection.set("")                                   # back to the sector
    assert window.revenue.entity == "Sector" and window.score.entity == "Sector"


def test_a_click_in_the_legend_or_the_network_selects(qtbot, window):
    legend = window.legend
    name, _color = legend.entries[2]
    rect = legend._rects(legend.width())[2]
    qtbot.mouseClick(legend, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert window.selection.company == name
    network = window.network
    node = network.nodes["Oracle"]
    qtbot.mouseClick(network.viewport(), Qt.MouseButton.LeftButton,
                     pos=network.mapFromScene(node.scenePos()))
    assert window.selection.company == "Oracle"


def test_charts_update_in_place(qtbot, window, document):
    curves = dict(window.cash_flow.curves)
    bars = dict(window.capex.bars)
    nodes = dict(window.network.nodes)
    count = window.cash_flow.update_count
    with qtbot.waitSignal(document.resultsChanged):
        assert commands.edit_cells(document, "Capex", [CellInput(0, "2026", "300")])
    assert window.cash_flow.update_count == count + 1
    assert window.cash_flow.curves == curves and all(window.cash_flow.curves[k] is v for k, v in curves.items())
    assert all(window.capex.bars[k] is v for k, v in bars.items())
    assert all(window.network.nodes[k] is v for k, v in nodes.items())
    _x, y = window.cash_flow.curves["Amazon"].getData()
    np.testing.assert_array_equal(y, document.results.series_of("Amazon", "cumulative_cash_flow"))


def test_payback_points_sit_on_the_zero_crossing(window, document):
    results = document.results
    spots = {s.data(): s.pos() for s in window.cash_flow.paybacks.points()}
    for name, pos in spots.items():
        payback = results.entity(name).payback
        assert pos.x() == results.years[0] + payback.years - 1.0 and pos.y() == 0.0
        x, y = window.cash_flow.curves[name].getData()
        assert np.interp(pos.x(), x, y) == __import__("pytest").approx(0.0, abs=1e-9)


def test_not_within_horizon_is_said_in_words(qtbot, window, document):
    with qtbot.waitSignal(document.resultsChanged):
        assert commands.edit_cells(document, "Capex", [CellInput(2, "2028", "5000")])
    # not within the horizon, said as what it is: the shortfall at the horizon's end and, where the last year's
    # cash flow is positive, the year it would close the gap (formatting.beyond_horizon, tested on numbers there)
    payback = document.results.entity("Alphabet").payback
    assert payback.years is None and payback.shortfall is not None and payback.shortfall < 0
    # the one text of every table, report and export (issue 12, point 8)
    assert window.payback.payback.text("Alphabet", "Payback") == formatting.beyond_horizon(payback)
    assert window.payback.payback.text("Alphabet", "Payback").startswith(
        f"{formatting.big_money(payback.shortfall)} at {document.results.years[-1]}")
    assert window.payback.payback.text("Alphabet", "Payback ÷") == "never"


def test_a_company_with_nothing_to_pay_back_says_so(qtbot, window, document):
    """No capex and no investments: the cumulative cash flow never dips, so there is no payback to count."""
    meta = window.payback.payback
    row = COMPANIES.index("Meta")
    assert document.scenario.table("Capex").value(row, "company") == "Meta"
    with qtbot.waitSignal(document.resultsChanged):
        assert commands.edit_cells(document, "Capex", [CellInput(row, str(y), "0") for y in YEARS])
    assert document.results.entity("Meta").payback.nothing_to_pay_back
    assert meta.text("Meta", "Payback") == NOTHING_TO_PAY_BACK
    assert meta.text("Meta", "Payback ÷") == "–"


def test_score_breakdown_has_a_bar_and_a_tooltip_per_indicator(window, document):
    score = document.results.sector.score
    rows = window.score.bars.rows
    assert [r.name for r in rows] == [i.name for i in score.indicators]
    coverage = rows[0].tooltip
    assert "AI revenue ÷ required revenue" in coverage and "Healthy ≥ 100.0%" in coverage
    assert "bubble ≤ 20.0%" in coverage and "Weight: 20" in coverage and "Contribution" in coverage
    assert window.score.bars.row_at(window.score.bars._geometry()[4] * 1.5) == 1
    assert headline_text(document.results) == window.headline.text()


def test_warnings_are_counted_and_listed(qtbot, window, document):
    assert window.warnings_button.text() == "No warnings"
    with qtbot.waitSignal(document.resultsChanged):   # capex past the horizon is counted, with a warning
        assert commands.add_year(document, "Capex", 2036)
    assert window.warnings_button.text() == "⚠ 1 warning"
    qtbot.mouseClick(window.warnings_button, Qt.MouseButton.LeftButton)
    dialog = window.warnings_dialog
    assert dialog.isVisible() and dialog.table.rowCount() == 1
    assert "past the horizon" in dialog.table.item(0, 6).text()
    dialog.close()


def test_status_bar_shows_the_recompute_time(window, document):
    # "in the background" when the compute took longer than a frame (a loaded machine) and ran off the GUI thread
    assert re.fullmatch(r"Recomputed in \d+\.\d ms( in the background)?", window.compute_label.text())


def test_charts_follow_the_palette(qtbot, window):
    app = QApplication.instance()
    original = app.palette()
    dark = QPalette(original)
    for role, color in ((QPalette.ColorRole.Window, "#202124"), (QPalette.ColorRole.Base, "#17181a"),
                        (QPalette.ColorRole.Text, "#e8eaed"), (QPalette.ColorRole.WindowText, "#e8eaed")):
        dark.setColor(role, QColor(color))
    try:
        app.setPalette(dark)
        qtbot.waitUntil(lambda: window.cash_flow.backgroundBrush().color() == QColor("#17181a"))
        assert window.network.backgroundBrush().color() == QColor("#17181a")
        axis = window.revenue.getPlotItem().getAxis("left")
        assert axis.textPen().color() == QColor("#e8eaed")
    finally:
        app.setPalette(original)


def test_hover_readout_names_the_year_and_values(window, document):
    text = window.revenue.readout(2025)
    assert text.startswith("<b>2025</b> · Sector") and "Required revenue: $" in text
    assert "End of 2026" in window.cash_flow.readout(2026)
    assert "AI capex $" in window.capex.readout(2025)
    window.cash_flow._hover(QPointF(-5, -5))           # outside the plot: nothing, no error


@pytest.mark.parametrize("size", [(1440, 900), (1280, 720)])
def test_the_deal_network_of_the_default_scenario_fits_its_view(qtbot, settings, size):
    """At both window sizes the README promises: every company's label (and its recycled share, when shown) lies
    inside the network's view, none clipped; OpenAI, which deals with most companies, sits in the centre."""
    from model.defaults.scenario import default_scenario

    document = Document(default_scenario(), "")
    win = MainWindow(document, settings)
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: bool(win.network.nodes))
    network = win.network
    assert network.hub == "OpenAI" and network.positions["OpenAI"] == network.center
    view = QRectF(network.viewport().rect())
    for name, node in network.nodes.items():
        for label in (node.label, node.share):
            if label.isVisible():
                rect = label.sceneBoundingRect()
                assert view.contains(rect), (name, label.text(), rect, view)
    # labels do not overlap each other either
    rects = [(n, node.backdrop.sceneBoundingRect()) for n, node in network.nodes.items()]
    for i, (a, ra) in enumerate(rects):
        for b, rb in rects[i + 1:]:
            assert not ra.intersects(rb), (a, b)
    document.recomputer.wait_idle()
    document.undo_stack.setClean()
    win.close()
    win.deleteLater()


def test_the_hub_is_the_company_most_others_deal_with():
    from gui.results.deal_network import EdgeData, hub_of

    def edges(*pairs):
        return {(a, b, "equity"): EdgeData(a, b, "equity") for a, b in pairs}

    names = ["A", "B", "C", "D", "E"]
    assert hub_of(edges(("A", "B"), ("C", "A"), ("A", "D")), names) == "A"         # 3 of 4 partners
    assert hub_of(edges(("A", "B"), ("C", "D"), ("D", "E")), names) == ""          # nobody deals with half
    assert hub_of(edges(("A", "B"), ("A", "C"), ("A", "D")), names[:4]) == ""      # too few for a ring


def test_a_payback_beyond_the_horizon_wraps_at_its_parts():
    """The window's table wraps the one text of a payback beyond the horizon (formatting.beyond_horizon) at its
    parts: the shortfall over the extrapolated year, then on three lines the year over "the horizon"."""
    text = formatting.beyond_horizon(Payback(None, 2024, shortfall=-486.0, horizon_year=2035, beyond=2096.8))
    assert text == "−$486B at 2035; ≈ 2097, beyond the horizon"
    assert wrapped_lines(text) == ("−$486B at 2035;", "≈ 2097, beyond the horizon")
    assert wrapped_lines(text, 3) == ("−$486B at 2035;", "≈ 2097, beyond", "the horizon")
    assert " ".join(wrapped_lines(text, 3)) == text
    alone = formatting.beyond_horizon(Payback(None, 2024, shortfall=-1234.0, horizon_year=2035))
    assert wrapped_lines(alone, 3) == ("−$1.2T", "at 2035")
