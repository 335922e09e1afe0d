"""The results charts at the window sizes the README and the screenshots use: every plot lies inside its chart (a
long title once pushed the cash-flow plot past its edge at 1280x720, cutting off the last years), the title drawn
fits above the plot, and the charts keep their minimum height (at 1024x640 their year axes were cut off)."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QApplication

from gui.document import Document
from gui.main_window import MainWindow
from gui.results.charts import CashFlowChart
from model.defaults.scenario import default_scenario


@pytest.mark.parametrize("size", [(1024, 640), (1280, 720), (1920, 1080)])
def test_each_chart_fits_its_widget_with_a_title_that_fits(qtbot, settings, size) -> None:
    document = Document(default_scenario(), "")
    win = MainWindow(document, settings)
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    QApplication.processEvents()
    win.resize(*size)       # as main.py --screenshot: the size asked for, once laid out
    QApplication.processEvents()
    win.apply_default_sizes()
    QApplication.processEvents()
    assert win.size().toTuple() == size
    # the one-line answer is whole: as tall as its wrapped text (it sits in a SteadyBox, see gui/layouts.py)
    headline = win.headline
    assert headline.height() >= headline.heightForWidth(headline.width()) > 0
    win.selection.set("Microsoft")
    QApplication.processEvents()
    assert "Microsoft" in headline.text() and headline.height() >= headline.heightForWidth(headline.width())
    win.selection.set("")
    QApplication.processEvents()
    for chart in (win.cash_flow, win.revenue, win.capex):
        plot = chart.getPlotItem()
        view = QRectF(chart.viewport().rect())
        inside = plot.sceneBoundingRect()
        assert inside.right() <= view.right() + 1 and inside.bottom() <= view.bottom() + 1, (type(chart), inside, view)
        # the whole year axis is inside the chart: its last tick (the last year but one or the last) is on screen
        axis = plot.mapRectToScene(plot.getAxis("bottom").geometry())
        assert axis.bottom() <= view.bottom() + 1 and axis.right() <= view.right() + 1
        assert plot.vb.viewRange()[0][1] >= document.results.years[-1]
        # the title drawn is one of the chart's wordings, and fits over the plot when any of them does
        room = view.width() - plot.getAxis("left").width() - 4
        assert chart.shown_title in chart._titles and chart.title == chart._titles[0]
        if chart._title_width(chart._titles[-1]) <= room:
            assert plot.titleLabel.itemRect().width() <= room, (type(chart), chart.shown_title)
        assert chart.height() >= chart.minimumHeight()
    if size[0] >= 1920:        # room for the full titles
        assert all(c.shown_title == c.title for c in (win.cash_flow, win.revenue, win.capex))
    if size == (1280, 720):    # the reported case: the cash-flow title no longer runs off the chart
        assert win.cash_flow.shown_title != win.cash_flow.title
    document.recomputer.wait_idle()
    document.undo_stack.setClean()
    win.close()
    win.deleteLater()


def test_a_narrow_chart_draws_a_shorter_title_and_a_wide_one_the_full_title(qtbot) -> None:
    chart = CashFlowChart()
    qtbot.addWidget(chart)
    chart.resize(700, 300)
    chart.show()
    qtbot.waitExposed(chart)
    chart.set_title("Cumulative cash flow, sector companies · none pays back by 2035",
                    "Cumulative cash flow · none pays back by 2035", "None pays back by 2035")
    assert chart.shown_title == chart.title
    chart.resize(300, 300)
    QApplication.processEvents()
    assert chart.shown_title != chart.title and chart.title.startswith("Cumulative cash flow, sector companies")
    assert chart.getPlotItem().sceneBoundingRect().right() <= chart.viewport().width() + 1
    chart.resize(700, 300)
    QApplication.processEvents()
    assert chart.shown_title == chart.title


@pytest.mark.parametrize("size", [(1024, 640), (1280, 720), (1920, 1080)])
def test_the_deal_network_keeps_its_nodes_apart_and_its_labels_whole_on_a_small_window(qtbot, settings, size) -> None:
    """At 1024x640 the legend beside the ring left it 16 px across: nodes on top of each other, labels cut at the
    view's edge. The legend now gives way (the lines' tooltips name each deal) when the ring would not hold."""
    from gui.results.deal_network import NO_LEGEND, NODE

    document = Document(default_scenario(), "")
    win = MainWindow(document, settings)
    win.resize(*size)
    win.show()
    qtbot.waitExposed(win)
    QApplication.processEvents()
    win.resize(*size)
    QApplication.processEvents()
    win.apply_default_sizes()
    QApplication.processEvents()
    network = win.network
    view = QRectF(network.viewport().rect())
    names = list(network.nodes)
    for name in names:
        node = network.nodes[name]
        for label in (node.label, node.share):
            assert view.contains(label.sceneBoundingRect()), (name, label.text())
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            pa, pb = network.positions[a], network.positions[b]
            assert math.hypot(pa.x() - pb.x(), pa.y() - pb.y()) >= 2 * NODE + 2, (a, b)    # nodes clear
            assert not network.nodes[a].backdrop.sceneBoundingRect().intersects(
                network.nodes[b].backdrop.sceneBoundingRect()), (a, b)
    if size == (1024, 640):
        assert network.legend == [] and network.compact      # the hint line instead, with what "n%" means
        assert NO_LEGEND.startswith("hover")
    elif size == (1920, 1080):
        assert network.legend                                # room for the ring, its labels and the legend
    # At 1280x720 the default's 11 companies round OpenAI need the legend's room for their labels: it gives way.
    document.recomputer.wait_idle()
    document.undo_stack.setClean()
    win.close()
    win.deleteLater()
