"""What a new analyst meets in the first hour (issue 16): a window that shows every result column or says which it
leaves out, a sortable and copyable results table, outputs that show what an edit changed, results that stay on the
company being edited, charts that export, help on F1, and the small words right."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QMessageBox

from gui import commands
from gui.compare.view import CompareView
from gui.document import Document
from gui.files import default_scenario, new_scenario
from gui.main_window import MainWindow
from gui.problems_dialog import ProblemsDialog
from gui.results import chart_export
from gui.results.chart_export import export_chart
from gui.results.headline import headline_text
from gui.results.payback_table import COLUMNS, OPTIONAL
from model.core import formatting
from model.core.edit import CellInput
from model.core.overrides import Alternative
from model.core.problems import Problem
from model.core.results import Payback
from model.defaults.alternatives import default_book


@pytest.fixture
def default_window(qtbot, settings):
    """The bundled default scenario, as `make app` opens it."""
    document = Document(default_scenario(), "", untitled="Default scenario")
    win = MainWindow(document, settings)
    yield win
    document.recomputer.wait_idle()
    win.compare.wait_idle()
    document.undo_stack.setClean()
    win.close()
    win.deleteLater()


def sized(qtbot, win: MainWindow, width: int, height: int) -> MainWindow:
    win.resize(width, height)
    win.show()
    qtbot.waitExposed(win)
    win.document.recomputer.wait_idle()
    QApplication.processEvents()
    win.apply_default_sizes()
    QApplication.processEvents()
    return win


def titles(table) -> list[str]:
    return [COLUMNS[c][0].split("\n")[0] for c in range(len(COLUMNS))]


# -- every column shown, or said to be left out ------------------------------------------------------------------------
@pytest.mark.parametrize("size", [(1280, 720), (1440, 900), (1920, 1080)])
def test_no_results_column_is_hidden_without_a_sign(qtbot, default_window, size):
    win = sized(qtbot, default_window, *size)
    table = win.payback
    hidden = table.hidden_columns()
    assert set(hidden) <= set(OPTIONAL)           # only NPV and IRR may go, never a payback or the score
    if hidden:
        assert table.more.isVisible()
        assert all(name in table.more.text() for name in hidden)
        # The sign sits right of the last column, inside the table: not over a column, not outside the view.
        shown = sum(table.columnWidth(c) for c in range(len(COLUMNS)) if not table.isColumnHidden(c))
        assert table.more.geometry().left() >= table.frameWidth() + shown - 1
        assert table.more.geometry().right() <= table.width()
    else:
        assert not table.more.isVisible()
    # What is shown fits: no column runs off the right edge without a scroll bar.
    shown = sum(table.columnWidth(c) for c in range(len(COLUMNS)) if not table.isColumnHidden(c))
    assert shown <= table.viewport().width() or table.horizontalScrollBar().isVisible()


def test_at_1280x720_the_left_out_columns_come_back_on_a_click(qtbot, default_window):
    table = sized(qtbot, default_window, 1280, 720).payback
    assert table.hidden_columns() == list(OPTIONAL)      # this size has no room for them: the case under test
    assert table.more.text() == "+ NPV, IRR"
    qtbot.mouseClick(table.more, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    assert table.hidden_columns() == []
    shown = sum(table.columnWidth(c) for c in range(len(COLUMNS)))
    assert shown <= table.viewport().width() or table.horizontalScrollBar().isVisible()
    # The way back: in the header strip when everything fits (rows wrap), else at the scroll bar's end.
    back = table.less if table.horizontalScrollBar().isVisible() else table.more
    assert back.isVisible() and back.text() == "− NPV, IRR"
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    QApplication.processEvents()
    assert table.hidden_columns() == list(OPTIONAL) and table.more.text() == "+ NPV, IRR"
    assert not table.less.isVisible()


def test_when_the_table_must_scroll_the_way_back_is_at_the_scroll_bar(qtbot, default_window):
    win = sized(qtbot, default_window, 1280, 720)
    win.main.setSizes([900, 380])             # a very narrow answer side: even wrapped, NPV and IRR do not fit
    QApplication.processEvents()
    table = win.payback
    table.all_columns = True
    table.fit_columns()
    QApplication.processEvents()
    assert table.hidden_columns() == [] and table.horizontalScrollBar().isVisible()
    assert table.less.isVisible() and not table.more.isVisible()


def test_ctrl_c_on_the_results_copies_the_table(qtbot, default_window):
    table = sized(qtbot, default_window, 1440, 900).payback
    QGuiApplication.clipboard().clear()
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text().startswith("Company\tPayback years\t")


def test_at_1920x1080_no_column_is_stretched(qtbot, default_window):
    table = sized(qtbot, default_window, 1920, 1080).payback
    assert table.hidden_columns() == []
    widths = [table.columnWidth(c) for c in range(len(COLUMNS))]
    natural = table._widths(1)
    assert all(w - n <= 48 for w, n in zip(widths, natural, strict=True))   # spare width is shared, a little each
    assert widths[-1] < 200


def test_the_payback_table_shows_whole_rows(qtbot, default_window):
    table = sized(qtbot, default_window, 1280, 720).payback
    top = table.horizontalHeader().height() + table.frameWidth()
    bottoms = [table.rowViewportPosition(r) + table.rowHeight(r) for r in range(table.sorted.rowCount())]
    visible = table.viewport().height()
    assert all(b <= visible or table.rowViewportPosition(r) >= visible for r, b in enumerate(bottoms))
    assert top > 0


# -- sorting and copying -----------------------------------------------------------------------------------------------
def test_sorting_by_coverage_keeps_the_sector_on_top(qtbot, default_window):
    win = sized(qtbot, default_window, 1440, 900)
    table, results = win.payback, win.document.results
    column = titles(table).index("Coverage")
    table.sortByColumn(column, Qt.SortOrder.DescendingOrder)
    order = [table.sorted.index(r, 0).data() for r in range(table.sorted.rowCount())]
    assert order[0] == results.sector.name
    coverage = {e.name: e.coverage for e in results.summaries[:-1]}
    expected = sorted(coverage, key=lambda n: -math.inf if coverage[n] is None else coverage[n], reverse=True)
    assert [coverage[n] for n in order[1:]] == [coverage[n] for n in expected]
    # Clicking a row of the sorted table still selects that company.
    with qtbot.waitSignal(win.selection.changed) as changed:
        table.selectRow(1)
    assert changed.args == [order[1]]
    table.sortByColumn(column, Qt.SortOrder.AscendingOrder)
    assert table.sorted.index(0, 0).data() == results.sector.name
    table.sheet_order()
    assert [table.sorted.index(r, 0).data() for r in range(table.sorted.rowCount())] == [
        results.sector.name, *results.companies]


def test_payback_sorts_by_years_not_by_text(qtbot, default_window):
    win = sized(qtbot, default_window, 1440, 900)
    document = win.document
    # Two paybacks within the horizon to order: in the default only Anthropic's (3.3 years; Oracle's is beyond the
    # horizon since issue 12), so Oracle's 2026-2028 capex falls to $20B a year: it then pays back in ~8.6 years,
    # which as text ("8.6") sorts after "3.3" but before "11.x" would not.
    row = document.scenario.table("Capex").column_values("company").index("Oracle")
    with qtbot.waitSignal(document.resultsChanged):
        assert commands.edit_cells(document, "Capex", [CellInput(row, y, "20") for y in ("2026", "2027", "2028")])
    table, results = win.payback, document.results
    assert results.entity("Oracle").payback.years is not None
    table.sortByColumn(titles(table).index("Payback"), Qt.SortOrder.AscendingOrder)
    names = [table.sorted.index(r, 0).data() for r in range(1, table.sorted.rowCount())]
    paybacks = [results.entity(n).payback for n in names]
    kinds = [0 if p.nothing_to_pay_back else (2 if p.years is None else 1) for p in paybacks]
    assert kinds == sorted(kinds)                  # nothing to pay back, then years, then not within horizon
    years = [p.years for p, k in zip(paybacks, kinds, strict=True) if k == 1]
    assert years == sorted(years) and len(years) >= 2
    # Beyond the horizon, the cells read the shortfall at its end ("−$749B at 2035; …"): the shallowest first, by
    # the amount, not by the text ("−$1.1T" would sort before "−$231B" as text).
    shortfalls = [p.shortfall for p, k in zip(paybacks, kinds, strict=True) if k == 2]
    assert len(shortfalls) >= 2 and None not in shortfalls
    assert shortfalls == sorted(shortfalls, reverse=True)


def test_copy_the_table_as_text(qtbot, default_window):
    win = sized(qtbot, default_window, 1280, 720)
    table, results = win.payback, win.document.results
    text = table.copy_table()
    assert QGuiApplication.clipboard().text() == text
    lines = text.rstrip("\n").split("\n")
    assert lines[0].split("\t") == [t.replace("\n", " ") for t, _tip, _f in COLUMNS]     # NPV and IRR too
    assert len(lines) == 1 + 1 + len(results.companies)
    amazon = next(line.split("\t") for line in lines if line.startswith("Amazon\t"))
    assert amazon[lines[0].split("\t").index("NPV $B")] == formatting.amount(results.entity("Amazon").npv)


# -- what an edit changed ----------------------------------------------------------------------------------------------
def test_an_edit_flashes_what_it_changed_and_says_by_how_much(qtbot, default_window):
    win = sized(qtbot, default_window, 1440, 900)
    document = win.document
    before = document.results.entity("Amazon").coverage
    with qtbot.waitSignal(document.resultsChanged):
        assert commands.edit_cells(document, "Capex", [CellInput(0, "2025", "20")])
    after = document.results.entity("Amazon").coverage
    assert before != after
    flashing = win.payback.payback.flashing()
    row = win.payback.payback.row_of("Amazon")
    column = titles(win.payback).index("Coverage")
    assert (row, column) in flashing and (row, 0) not in flashing
    sector_row = win.payback.payback.row_of(document.results.sector.name)
    assert (sector_row, column) in flashing                           # the sector's coverage moved too
    assert win.payback.payback.item(row, column).toolTip() == f"was {formatting.percent(before, 0)}"
    message = win.statusBar().currentMessage()
    sector_before = formatting.percent(win._shown.sector.coverage, 0)
    assert message.startswith("Changed — Sector: ") and f"→ {sector_before}" in message
    qtbot.waitUntil(lambda: not win.payback.payback.flashing(), timeout=5000)   # and it fades


def test_a_change_to_a_company_not_on_screen_is_flashed_and_named(qtbot, default_window):
    """The sector's readings do not move when Oracle's 2026 capex falls, but Oracle's payback does: tinted, and
    named in the status bar although neither the sector nor a selected company changed."""
    win = sized(qtbot, default_window, 1280, 720)
    document = win.document
    before = formatting.payback_years(document.results.entity("Oracle").payback)
    row = document.scenario.table("Capex").column_values("company").index("Oracle")
    with qtbot.waitSignal(document.resultsChanged):
        assert commands.edit_cells(document, "Capex", [CellInput(row, "2026", "20")])
    after = formatting.payback_years(document.results.entity("Oracle").payback)
    assert before != after
    table = win.payback.payback
    assert (table.row_of("Oracle"), titles(win.payback).index("Payback")) in table.flashing()
    assert f"Oracle: payback {before} → {after}" in win.statusBar().currentMessage()


def test_a_new_file_flashes_nothing(qtbot, default_window):
    win = sized(qtbot, default_window, 1440, 900)
    with qtbot.waitSignal(win.document.resultsChanged):
        win.document.load(new_scenario(), "", untitled="New scenario")
    assert win.payback.payback.flashing() == []
    assert not win.statusBar().currentMessage().startswith("Changed")


def test_the_cash_flow_axis_returns_after_an_undo(qtbot, default_window):
    win = sized(qtbot, default_window, 1440, 900)
    document = win.document
    original = win.cash_flow._y_range
    with qtbot.waitSignal(document.resultsChanged):
        assert commands.edit_cells(document, "Capex", [CellInput(0, "2026", "900")])
    assert win.cash_flow._y_range[0] < original[0]
    with qtbot.waitSignal(document.resultsChanged):
        document.undo_stack.undo()
    assert win.cash_flow._y_range == original
    low = win.cash_flow.getPlotItem().viewRange()[1][0]
    assert low > original[0] - 0.1 * (original[1] - original[0])
    with qtbot.waitSignal(document.resultsChanged):     # an empty model: a small range around zero
        document.load(new_scenario(), "", untitled="New scenario")
    assert win.cash_flow._y_range == (-1.0, 1.0)


def test_enter_after_an_edit_keeps_the_results_on_the_edited_company(qtbot, default_window):
    win = sized(qtbot, default_window, 1440, 900)
    view = win.inputs.show_sheet("Capex")
    column = next(c for c in range(view.source.columnCount()) if view.source.column(c).key == "2026")
    index = view.proxy.mapFromSource(view.source.index(0, column))
    view.setFocus()
    view.setCurrentIndex(index)
    assert win.selection.company == "Amazon"
    view.edit(index)
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not view
    editor.selectAll()
    qtbot.keyClicks(editor, "250")
    with qtbot.waitSignal(win.document.resultsChanged):
        qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert view.source_index(view.currentIndex()).row() == 1     # the cursor moved down, as in a spreadsheet
    assert win.selection.company == "Amazon"                      # the results did not
    assert "Amazon" in win.headline.text() and win.revenue.entity == "Amazon"
    qtbot.keyClick(view, Qt.Key.Key_Down)                        # moving on with the arrows follows the cursor
    assert win.selection.company == view.source.table.value(2, "company")


# -- words ---------------------------------------------------------------------------------------------------------
def test_payback_phrases():
    assert formatting.payback_phrase(Payback(None, 2024), 2035) == "does not pay back by 2035"
    # Beyond the horizon with its figures (issue 12): the shortfall at the horizon's end, and the year the last
    # cash flow, continued, closes it (2040.2 -> during 2041); without a positive last cash flow, the shortfall alone.
    short = Payback(None, 2024, shortfall=-1234.0, horizon_year=2035, beyond=2040.2)
    assert formatting.payback_phrase(short, 2035) == "does not pay back by 2035 (−$1.2T at 2035; ≈ 2041, beyond the horizon)"
    assert formatting.payback_phrase(Payback(None, 2024, shortfall=-31.4, horizon_year=2035), 2035) == (
        "does not pay back by 2035 (−$31B at 2035)")
    assert formatting.payback_phrase(Payback(4.25, 2024), 2035) == "pays back in 4.2 years (during 2028)"
    nothing = formatting.payback_phrase(Payback(0.0, 2024, nothing_to_pay_back=True), 2035)
    assert nothing.startswith("has nothing to pay back") and "0.0" not in nothing
    assert formatting.coverage_phrase(2025, 10.0, 0.0, None) == (
        "In 2025 it earns $10.0B of AI revenue with no capital charge to cover")
    assert formatting.coverage_phrase(2025, 0.0, 0.0, None) == "In 2025 it has neither AI revenue nor a capital charge"
    assert formatting.coverage_phrase(2025, 25.0, 100.0, 0.25) == (
        "In 2025 it earns $25.0B of AI revenue against $100.0B required (25% coverage)")


def test_a_company_with_nothing_to_pay_back_is_not_said_to_pay_back_in_zero_years(qtbot, default_window):
    win = sized(qtbot, default_window, 1440, 900)
    results = win.document.results
    assert results.entity("Nvidia").payback.nothing_to_pay_back        # a seller: no capex in the default
    win.selection.set("Nvidia")
    text = win.headline.text()
    assert text.startswith("Nvidia has nothing to pay back") and "0.0 years" not in text
    assert "$0.0B required" not in text and "– coverage" not in text
    assert "Nvidia" not in {s.data() for s in win.cash_flow.paybacks.points()}   # no dot at "year 0"


def test_an_empty_model_says_so(qtbot, default_window):
    win = sized(qtbot, default_window, 1440, 900)
    with qtbot.waitSignal(win.document.resultsChanged):
        win.document.load(new_scenario(), "", untitled="New scenario")
    text = headline_text(win.document.results)
    assert text == win.headline.text()
    assert "pays back" not in text and "no companies yet" in text
    assert "none pays back" in win.cash_flow.title and "● payback" not in win.cash_flow.title


def test_title_menus_and_counts(qtbot, default_window, monkeypatch):
    win = sized(qtbot, default_window, 1440, 900)
    with qtbot.waitSignal(win.document.resultsChanged):
        assert commands.edit_cells(win.document, "Capex", [CellInput(0, "2026", "210")])
    assert win.windowTitle().startswith("Default scenario [*] — ")      # Qt shows "Default scenario * — …"
    assert win.windowHandle().title().startswith("Default scenario * — ")
    win.show_warnings()
    assert win.warnings_dialog.summary.text().startswith("No problems in the scenario")
    win.warnings_dialog.close()
    assert "workbook" in win.save_as_action.toolTip()
    texts: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", staticmethod(lambda parent, title, text: texts.append(text)))
    win.about()
    from gui.help import version
    assert version()[0].isdigit() and version() in texts[0]


def test_clearing_one_cell_says_cell(qtbot, default_window):
    win = sized(qtbot, default_window, 1440, 900)
    view = win.inputs.show_sheet("Capex")
    column = next(c for c in range(view.source.columnCount()) if view.source.column(c).key == "2030")
    view.setCurrentIndex(view.proxy.mapFromSource(view.source.index(0, column)))
    with qtbot.waitSignal(win.document.resultsChanged):
        assert view.clear_selection_cells()
    assert win.document.undo_stack.undoText() == "Clear 1 cell in Capex"


def test_ctrl_tab_steps_through_the_input_sheets(qtbot, default_window):
    win = sized(qtbot, default_window, 1440, 900)
    tabs = win.inputs.tabs
    tabs.setCurrentIndex(0)
    win.inputs.current_view().setFocus()
    qtbot.keyClick(win.inputs.current_view(), Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    assert tabs.currentIndex() == 1
    qtbot.keyClick(win.inputs.current_view(), Qt.Key.Key_Backtab,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert tabs.currentIndex() == 0
    win.previous_sheet_action.trigger()
    assert tabs.currentIndex() == tabs.count() - 1


# -- help and export -----------------------------------------------------------------------------------------------
def test_f1_opens_the_methodology(qtbot, default_window):
    win = sized(qtbot, default_window, 1440, 900)
    assert win.help_action.shortcut().toString() == "F1"
    win.help_action.trigger()
    viewer = win.help_viewer
    assert viewer is not None and viewer.isVisible()
    text = viewer.browser.toPlainText()
    assert text.startswith("Methodology") and "Recycled (circular) revenue" in text
    viewer.close()


@pytest.mark.parametrize("chart", ["cash_flow", "revenue", "capex", "network"])
def test_charts_export_to_png_and_svg(qtbot, default_window, tmp_path, chart):
    win = sized(qtbot, default_window, 1440, 900)
    widget = getattr(win, chart)
    png = export_chart(widget, tmp_path / f"{chart}.png")
    image = QImage(str(png))
    assert image.width() >= widget.width() and image.height() > 100
    colors = {image.pixel(x, y) for x in range(0, image.width(), 7) for y in range(0, image.height(), 7)}
    assert len(colors) > 8                                       # drawn, not a blank rectangle
    svg = export_chart(widget, tmp_path / f"{chart}.svg").read_text(encoding="utf-8")
    assert "<svg" in svg and ("<path" in svg or "<polyline" in svg)
    if chart != "network":     # pyqtgraph's own exporter, not the fallback (it needed Qt 6.11's "Z" taught)
        assert chart_export._pyqtgraph_svg(widget.getPlotItem(), tmp_path / "direct.svg")


def test_closing_a_path_is_written_as_a_line_back():
    d = "M0,0 L408.259,0 L408.259,167.5 L0,167.5 L0,0 Z M5,5 L6,6 Z"
    assert chart_export._close_explicitly(d) == (
        "M0,0 L408.259,0 L408.259,167.5 L0,167.5 L0,0 L0,0 M5,5 L6,6 L5,5")


def test_export_says_where_and_offers_to_open(qtbot, window, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    out = tmp_path / "results.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    with qtbot.waitSignal(window.files.exported):
        assert window.files.export()
    assert QApplication.overrideCursor() is None                  # the busy cursor is gone again
    box = window.files.last_export_box
    assert box is not None and box.isVisible() and str(out) in box.text()
    assert {b.text() for b in box.buttons()} >= {"Open", "Show folder"}
    assert str(out) in window.statusBar().currentMessage()
    box.close()


def test_a_file_refused_at_start_does_not_claim_the_screen_was_kept(qtbot, window, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_text("not a workbook")
    window.files.show_failure(str(path), ValueError("broken"), at_start=True)
    text = window.files.last_dialog.summary.text()
    assert "default scenario is shown instead" in text and "unchanged" not in text
    window.files.last_dialog.close()


def test_the_problems_dialog_leaves_out_empty_columns(qtbot):
    problems = [Problem("error", "not an amount", "Capex", "C4", "2025", "lots", "a number"),
                Problem("warning", "past the horizon", "Capex", "N1")]
    dialog = ProblemsDialog("Problems", "2 problems", problems)
    qtbot.addWidget(dialog)
    hidden = [dialog.table.horizontalHeaderItem(c).text() for c in range(dialog.table.columnCount())
              if dialog.table.isColumnHidden(c)]
    assert hidden == []
    dialog2 = ProblemsDialog("Problems", "1 problem", [Problem("warning", "past the horizon", "Capex", "N1")])
    qtbot.addWidget(dialog2)
    hidden = [dialog2.table.horizontalHeaderItem(c).text() for c in range(dialog2.table.columnCount())
              if dialog2.table.isColumnHidden(c)]
    assert hidden == ["Column", "Value", "Expected"]


# -- compare: identical scenarios ----------------------------------------------------------------------------------
def test_identical_scenarios_are_dotted_and_named(qtbot):
    book = default_book()
    twin = "Same as the base"
    book = book.with_alternative(Alternative(twin, "no changes"))
    view = CompareView()
    qtbot.addWidget(view)
    view.resize(1440, 900)
    view.show()
    qtbot.waitExposed(view)
    view.picker.show_book(book, view.palette())
    with qtbot.waitSignal(view.compared, timeout=20_000):
        view.show_book(book)
    view.wait_idle()
    if view.comparison is None or twin not in view.comparison.names:
        with qtbot.waitSignal(view.compared, timeout=20_000):
            view.picker.set_chosen((*view.comparison.names, twin))  # type: ignore[union-attr]
        view.wait_idle()
    chart = view.cash_flow
    assert chart.identical.get(twin) == view.comparison.names[0]
    assert chart.curves[twin].opts["pen"].style() == Qt.PenStyle.DotLine
    assert f"{twin} = " in chart.title
    others = [n for n in view.comparison.names[1:] if n not in chart.identical]
    assert all(chart.curves[n].opts["pen"].style() == Qt.PenStyle.SolidLine for n in others)
    _x, base_y = chart.curves[view.comparison.names[0]].getData()
    _x, twin_y = chart.curves[twin].getData()
    np.testing.assert_array_equal(base_y, twin_y)


def test_the_compare_payback_key_only_with_a_dot(qtbot):
    view = CompareView()
    qtbot.addWidget(view)
    view.resize(1440, 900)
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.compared, timeout=20_000):
        view.show_book(default_book())
    view.wait_idle()
    chart = view.cash_flow
    assert chart.paybacks.points().size == 0              # the sector pays back in no scenario
    assert "● payback" not in chart.title and "no scenario pays back by 2035" in chart.title
    # Anthropic pays back within the horizon in every default scenario (Oracle, the example before issue 12, no
    # longer does: −$31B at 2035): one dot per scenario shown, on the zero line, and the key with them.
    view.set_entity("Anthropic")
    shown = view.comparison.names
    assert all(view.comparison.results[n].entity("Anthropic").payback.years is not None for n in shown)
    dots = chart.paybacks.points()
    assert sorted(d.data() for d in dots) == sorted(shown) and all(d.pos().y() == 0.0 for d in dots)
    assert "● payback" in chart.title
    view.set_entity("Oracle")                               # beyond the horizon in every scenario: no dot, no key
    assert chart.paybacks.points().size == 0 and "● payback" not in chart.title


# -- the score panel and the inputs share the left column ------------------------------------------------------------
def test_the_score_by_year_chart_gives_way_before_the_indicator_bars(qtbot, default_window):
    """Issue 12's score-by-year chart under the bars (issue 16's window): the window still fits 1280x720, every
    indicator keeps a readable row, and the chart hides when the score panel is short, back when it has room."""
    win = sized(qtbot, default_window, 1280, 720)
    assert (win.width(), win.height()) == (1280, 720)
    score, bars = win.score, win.score.bars
    line = bars.fontMetrics().height()
    assert len(bars.rows) == 10 and bars.height() >= 10 * (line + 2)
    assert win.inputs_box.height() >= win.inputs_box.minimumSizeHint().height()
    bare, least = score.heights()
    assert least - bare == score.history_room() > 0
    total = sum(win.left.sizes())
    win.left.setSizes([total - bare, bare])               # the least the score panel can have: no chart
    QApplication.processEvents()
    assert score.height() < least and not score.history.isVisible() and bars.height() >= 10 * (line + 2)
    win.left.setSizes([total - least, least])             # room for the chart at its smallest: it is back
    QApplication.processEvents()
    assert score.history.isVisible() and score.history.plot.height() >= score.history.plot.minimumHeight()
    caption, plot = score.history.caption.geometry(), score.history.plot.geometry()
    assert caption.top() >= plot.bottom()                  # the caption under the plot, not over it
