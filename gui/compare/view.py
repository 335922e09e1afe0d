"""Scenarios side by side: every measure per scenario with its difference to the base, the score's breakdown, and
the chosen company's (or the sector's) cash flow and revenue with one line per scenario.

The numbers and their text come from ``model.core.compare`` (the command line's and the export's comparison read the
same) and ``model.core.formatting``; this view only lays them out. Like the result views it updates in place: the
table's items and the charts' curves are created when a scenario or company appears, and only re-set afterwards.

A comparison computes every chosen scenario. It runs only while the view is visible (a hidden view remembers the
book and compares when shown), on the GUI thread when it is quick, in a worker when it is not; a comparison that
arrives after a newer request is dropped (``gui.compare.runner``, the document's ``gui.recompute`` machinery).

The parts: ``compare_picker`` (which scenarios, in which colours), ``compare_rows`` (the tables' text),
``compare_table`` (the tables), ``compare_charts`` (the overlay charts: cash flow, revenue, the score by year).
"""

from __future__ import annotations

import html
import os
import sys
from dataclasses import replace

import pyqtgraph as pg
from PySide6.QtCore import QEvent, Qt, QThreadPool, Signal
from PySide6.QtGui import QColor, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gui import theme
from gui.compare.charts import CashFlowOverlay, RevenueOverlay, ScoreOverlay
from gui.compare.picker import ScenarioPicker
from gui.compare.rows import Row, breakdown_rows, esc, ordered_entities, problem_lines
from gui.compare.runner import CompareOutcome, CompareRunner
from gui.compare.table import CompareTable
from gui.layouts import column
from gui.recompute import FRAME_BUDGET_MS, JobFailed
from model.core.compare import Comparison
from model.core.overrides import BASE, ScenarioBook
from model.core.results import SECTOR

# From this width the compare view has room for the score-by-year chart beside the cash-flow and revenue charts
# (three charts of ~560 px, where the titles' notes keep the scenarios' names whole).
SCORE_INLINE_WIDTH = 1700


class CompareView(QWidget):
    """``show_book(book)`` after every change; ``set_entity(name)`` follows the window's selection."""

    compared = Signal(object)        # Comparison: a comparison is on screen
    entityChosen = Signal(str)       # the analyst chose an entity here: '' for the sector, else the company
    busyChanged = Signal(bool)       # a comparison runs in the background

    def __init__(self, parent: QWidget | None = None, budget_ms: float = FRAME_BUDGET_MS,
                 pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.book: ScenarioBook | None = None
        self.comparison: Comparison | None = None
        self.rows: list[Row] = []                # the table's rows for the comparison on screen
        self.last_outcome: CompareOutcome | None = None
        self.entity = SECTOR
        self._stale = False                      # the book changed while the view was hidden
        self._requested_book: ScenarioBook | None = None
        self._shown_book: ScenarioBook | None = None     # the book of the comparison on screen
        self._failures: dict[str, str] = {}
        self._filling = False
        self.runner = CompareRunner(self, budget_ms, pool)
        self.runner.finished.connect(self._on_outcome)
        self.runner.errored.connect(self._on_errored)
        self.runner.busyChanged.connect(self._on_busy)

        # The scenario list and the entity chooser.
        title = QLabel("Compare:")
        title.setFont(theme.heading_font(self))
        self.picker = ScenarioPicker()
        self.picker.changed.connect(self._names_changed)
        self.entity_box = QComboBox()
        self.entity_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.entity_box.setToolTip("The company (or the sector) whose score breakdown and charts are shown, and "
                                   "whose rows the table highlights")
        self.entity_box.currentIndexChanged.connect(self._on_entity_box)
        entity_label = QLabel("Show:")
        entity_label.setBuddy(self.entity_box)
        top = QHBoxLayout()
        top.setSpacing(8)
        top.addWidget(title, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.picker, 1)
        top.addWidget(entity_label, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.entity_box, 0, Qt.AlignmentFlag.AlignTop)

        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextFormat(Qt.TextFormat.RichText)
        self.problems_label.hide()
        self.status_label = QLabel("")
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.key_label = QLabel()
        self.key_label.setTextFormat(Qt.TextFormat.RichText)

        # The measures, and the score's breakdown.
        self.table = CompareTable("Measure")
        self.table.rowClicked.connect(self._on_row_clicked)
        self.breakdown = CompareTable("Indicator (points)")
        self.table_title = QLabel("Each scenario against the base")
        self.table_title.setFont(theme.heading_font(self))
        self.breakdown_title = QLabel("Bubble score breakdown")
        self.breakdown_title.setFont(theme.heading_font(self))
        self.breakdown_note = QLabel("Points each indicator adds to the composite (0–100); hover a cell for the "
                                     "indicator's value and thresholds.")
        self.breakdown_note.setWordWrap(True)

        # The charts.
        self.cash_flow = CashFlowOverlay()
        self.revenue = RevenueOverlay()
        self.score = ScoreOverlay()
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.RichText)

        self._build_layout(top)
        self._restyle()

    # -- construction -------------------------------------------------------------------------------------------------
    def _build_layout(self, top: QHBoxLayout) -> None:
        head = QHBoxLayout()
        head.setSpacing(12)
        head.addWidget(self.table_title)
        head.addStretch(1)
        head.addWidget(self.key_label)
        head.addWidget(self.status_label)
        self.table_box = column(head, self.table, grow=self.table, spacing=2)
        self.breakdown_box = column(self.breakdown_title, self.breakdown, self.breakdown_note, grow=self.breakdown,
                                    spacing=2)
        self.chart_split = QSplitter(Qt.Orientation.Horizontal)
        self.chart_split.addWidget(self.cash_flow)
        self.chart_split.addWidget(self.revenue)
        self.charts_box = column(self.legend, self.chart_split, grow=self.chart_split, spacing=2)
        self.score_legend = QLabel()        # the scenarios' colours when the score chart is a tab of its own
        self.score_legend.setWordWrap(True)
        self.score_legend.setTextFormat(Qt.TextFormat.RichText)
        self.score_box = column(self.score_legend, self.score, grow=self.score, spacing=2)
        # Wide: the table and the breakdown side by side above the charts. Narrow (the window's right-hand side):
        # the table above, the charts and the breakdown as tabs below. The score by year joins the cash-flow and
        # revenue charts when there is room for three, else it is a tab after them.
        self.upper = QSplitter(Qt.Orientation.Horizontal)
        self.upper.addWidget(self.table_box)
        self.lower_tabs = QTabWidget()
        self.lower_tabs.setDocumentMode(True)
        self.lower_box = QWidget()
        self.lower_layout = QVBoxLayout(self.lower_box)
        self.lower_layout.setContentsMargins(0, 0, 0, 0)
        self.lower_layout.addWidget(self.lower_tabs)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.upper)
        self.splitter.addWidget(self.lower_box)
        for splitter in (self.upper, self.chart_split, self.splitter):
            splitter.setChildrenCollapsible(False)
            splitter.setHandleWidth(6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 4)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.splitter, 1)
        self.wide: bool | None = None
        self.score_inline: bool | None = None     # the score chart beside the others (True) or in a tab
        self._sized = False
        self._arrange(False)

    def wide_width(self) -> int:
        """The width from which the table and the breakdown fit side by side."""
        if not self.table.names:
            return 1200
        return self.table.needed_width() + self.breakdown.needed_width() + self.upper.handleWidth() + 16

    def _arrange(self, wide: bool) -> None:
        if wide == self.wide:
            return
        self.wide = wide
        while self.lower_tabs.count():     # out of the tabs first: the tabs hide a page they let go of
            self.lower_tabs.removeTab(0)
        self.lower_tabs.addTab(self.charts_box, "Charts")
        if wide:
            self.upper.addWidget(self.breakdown_box)
            self.breakdown_box.show()
        else:
            self.lower_tabs.addTab(self.breakdown_box, "Score breakdown")
        self.score_inline = None
        self._place_score(self._score_fits())
        self._update_tab_text()
        if self._sized:
            self.apply_default_sizes()

    def _score_fits(self) -> bool:
        """Whether the score-by-year chart fits beside the two others (a view wide enough for three readable
        charts); else it gets a tab of its own after them."""
        return self.width() >= SCORE_INLINE_WIDTH

    def _place_score(self, inline: bool) -> None:
        """The score-by-year chart as the third of the charts (the Charts' legend names the scenarios), or as a
        tab after them with a legend of its own."""
        if inline == self.score_inline:
            return
        self.score_inline = inline
        index = self.lower_tabs.indexOf(self.score_box)
        if index >= 0:
            self.lower_tabs.removeTab(index)
        if inline:
            self.chart_split.addWidget(self.score_box)
            self.score_box.show()
            self.score_legend.hide()
        else:
            self.lower_tabs.insertTab(1, self.score_box, "Score by year")
            self.score_legend.show()
        # wide with the three charts in a row: one page, no tab bar
        self.lower_tabs.tabBar().setVisible(self.lower_tabs.count() > 1)
        self._update_tab_text()
        self.chart_split.setSizes([1] * self.chart_split.count())

    def _update_tab_text(self) -> None:
        who = "Sector" if self.entity == SECTOR else self.entity
        for widget, text in ((self.breakdown_box, "Score breakdown"), (self.score_box, "Score by year")):
            index = self.lower_tabs.indexOf(widget)
            if index >= 0:
                self.lower_tabs.setTabText(index, f"{text} · {who}")

    def _fit_arrangement(self) -> None:
        threshold = self.wide_width()
        width = self.width()
        if self.wide is None or abs(width - threshold) > 12:
            self._arrange(width >= threshold)
        self._place_score(self._score_fits())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_arrangement()

    def _restyle(self) -> None:
        palette = self.palette()
        muted = theme.muted(palette).name()
        self.status_label.setStyleSheet(f"color: {muted}")
        self.breakdown_note.setStyleSheet(f"color: {muted}")
        better, worse = theme.label_color("Healthy").name(), theme.label_color("Bubble").name()
        self.key_label.setText(f"<span style='color:{muted}'>grey: same as the base</span> · "
                               f"<span style='color:{better}'>better</span> · <span style='color:{worse}'>worse</span>")
        warn = theme.blend(palette.color(QPalette.ColorRole.Window), QColor("#edc948"), 0.35).name()
        self.problems_label.setStyleSheet(f"background: {warn}; border-radius: 3px; padding: 3px 6px;")
        if self.book is not None:
            self.picker.restyle(palette)
            if self.comparison is not None:
                self._show(self.comparison, self.rows, announce=False)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "runner"):
            self._restyle()

    # -- the book -----------------------------------------------------------------------------------------------------
    def show_book(self, book: ScenarioBook, scenario_ms: float | None = None) -> None:
        """The book changed. ``scenario_ms``: how long one scenario takes to compute (e.g. the document's last
        compute), a hint that sends even the first comparison of a large book to a worker."""
        if book is self.book and book is self._shown_book and not self._stale and not self.runner.busy:
            return                 # the same book again (an undo stack's no-op): on screen already
        self.book = book
        if scenario_ms is not None and self.runner.per_scenario_ms == 0.0:
            self.runner.per_scenario_ms = scenario_ms
        self.picker.show_book(book, self.palette())
        self._compare_when_seen()

    @property
    def boxes(self) -> dict[str, QCheckBox]:
        """The scenarios' boxes, by name."""
        return self.picker.boxes

    def chosen_names(self) -> tuple[str, ...]:
        return self.picker.chosen_names()

    def set_checked(self, name: str, checked: bool) -> None:
        """Compare the scenario ``name`` or not (the base is always compared)."""
        self.picker.set_checked(name, checked)

    def color_of(self, name: str) -> QColor:
        return self.picker.color_of(name)

    def description_of(self, name: str) -> str:
        return self.picker.description_of(name)

    def request(self, *, force_worker: bool = False) -> int:
        """Compare the chosen scenarios of the book now (the window calls ``show_book``; tests may call this)."""
        self._stale = False
        if self.book is None:
            return self.runner.generation
        self._requested_book = self.book
        return self.runner.request(self.book, self.chosen_names(), force_worker=force_worker)

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """Block until no comparison runs in the background and the newest one is on screen."""
        return self.runner.wait_delivered(timeout_ms)

    def _names_changed(self) -> None:
        """The analyst ticked or unticked a scenario: a subset of what is on screen needs no computing."""
        if self.book is None:
            return
        names = self.chosen_names()
        current = self.comparison
        if (current is not None and self._shown_book is self.book and not self._stale and not self.runner.busy
                and set(names) <= set(current.names)):
            subset = Comparison(names, {n: current.results[n] for n in names},
                                {n: current.problems[n] for n in names})
            rows = [replace(r, cells={n: r.cells[n] for n in names if n in r.cells}) for r in self.rows]
            self._show(subset, rows)
            return
        self._compare_when_seen()

    def _compare_when_seen(self) -> None:
        """Compare now when the view is visible, else when it is shown (``showEvent``)."""
        if self.isVisible():
            self.request()
        else:
            self._stale = True

    # -- results → widgets ------------------------------------------------------------------------------------------
    def _on_outcome(self, outcome: CompareOutcome) -> None:
        self.last_outcome = outcome
        self._shown_book = self._requested_book
        self._failures = outcome.failures
        where = " in the background" if outcome.in_worker else ""
        count = len(outcome.comparison.names) if outcome.comparison is not None else 0
        self.status_label.setText(f"{count} scenario{'s' if count != 1 else ''} compared in "
                                  f"{outcome.elapsed_ms:.0f} ms{where}")
        if outcome.comparison is None:
            self.comparison = None
            self.table.set_rows((), [], {}, {})
            self.breakdown.set_rows((), [], {}, {})
            self.cash_flow.clear_comparison()
            self.revenue.clear_comparison()
            self.score.clear_comparison()
            self._show_problems(None, outcome.failures)
            return
        self._show(outcome.comparison, outcome.rows)

    def _on_errored(self, failure: JobFailed) -> None:
        """The comparison itself raised (a bug, not a scenario with errors): say so and show nothing stale."""
        self.last_outcome = None
        self.comparison, self.rows = None, []
        self.table.set_rows((), [], {}, {})
        self.breakdown.set_rows((), [], {}, {})
        self.cash_flow.clear_comparison()
        self.revenue.clear_comparison()
        self.score.clear_comparison()
        self.status_label.setText(f"The comparison failed: {failure.message}")

    def _on_busy(self, busy: bool) -> None:
        if busy:
            self.status_label.setText("Comparing in the background…")
        self.busyChanged.emit(busy)

    def _show(self, comparison: Comparison, rows: list[Row], announce: bool = True) -> None:
        self.comparison, self.rows = comparison, rows
        entities = ordered_entities(comparison)
        if self.entity not in entities:
            self.entity = SECTOR
        self._fill_entity_box(entities)
        colors, tips = self._headers(comparison)
        self.table.set_rows(comparison.names, rows, colors, tips)
        self.table.set_highlight(self.entity)
        self._show_entity(comparison, colors, tips)
        self._show_legend(comparison)
        self._show_problems(comparison, {n: why for n, why in self._failures.items() if n in self.chosen_names()})
        self._fit_arrangement()
        if not self._sized:
            self._sized = True
            self.apply_default_sizes()
        if announce:
            self.compared.emit(comparison)

    def _headers(self, comparison: Comparison) -> tuple[dict[str, QColor], dict[str, str]]:
        """Each compared scenario's colour, and its header's tooltip."""
        colors = {n: self.color_of(n) for n in comparison.names}
        tips = {n: self.picker.tip(n, len(comparison.problems.get(n, ()))) for n in comparison.names
                if self.book is not None and (n == BASE or n in self.book.names)}
        return colors, tips

    def _show_entity(self, comparison: Comparison, colors: dict[str, QColor], tips: dict[str, str]) -> None:
        entity = self.entity
        who = "Sector" if entity == SECTOR else entity
        self.breakdown_title.setText(f"Bubble score breakdown · {who} · {comparison.base.score_year}")
        self._update_tab_text()
        self.breakdown.set_rows(comparison.names, breakdown_rows(comparison, entity), colors, tips)
        self.cash_flow.show_comparison(comparison, entity, colors)
        self.revenue.show_comparison(comparison, entity, colors)
        self.score.show_comparison(comparison, entity, colors)

    def _show_legend(self, comparison: Comparison) -> None:
        parts = []
        for k, name in enumerate(comparison.names):
            line = "━━" if k == 0 else "──"
            parts.append(f"<span style='color:{self.color_of(name).name()}'><b>{line}</b></span>&nbsp;{esc(name)}")
        text = " &nbsp;&nbsp; ".join(parts)
        for label in (self.legend, self.score_legend):
            if label.text() != text:
                label.setText(text)

    def _show_problems(self, comparison: Comparison | None, failures: dict[str, str]) -> None:
        lines = problem_lines(comparison, failures)
        text = "<br>".join(f"⚠ {line}" for line in lines)
        if self.problems_label.text() != text:
            self.problems_label.setText(text)
        tips = []
        if comparison is not None:
            tips = [f"{esc(str(p))}" for n in comparison.names for p in comparison.problems.get(n, [])]
        self.problems_label.setToolTip("<br>".join(tips))
        self.problems_label.setVisible(bool(lines))

    def problems_text(self) -> str:
        """The warning line as plain text ('' when hidden)."""
        if self.problems_label.isHidden():
            return ""
        doc = self.problems_label.text().replace("<br>", "\n")
        return html.unescape(_strip_tags(doc))

    # -- the entity -----------------------------------------------------------------------------------------------
    def set_entity(self, name: str) -> None:
        """Show ``name``'s breakdown and charts ('' or 'Sector' for the sector): the window's selection."""
        name = name or SECTOR
        if self.comparison is not None and name not in self.comparison.entities():
            name = SECTOR
        if name == self.entity:
            return
        self.entity = name
        self._select_in_box(name)
        if self.comparison is not None:
            self.table.set_highlight(name)
            self.table.scroll_to_entity(name)
            self._show_entity(self.comparison, *self._headers(self.comparison))

    def _fill_entity_box(self, entities: tuple[str, ...]) -> None:
        current = tuple(self.entity_box.itemData(i) for i in range(self.entity_box.count()))
        if current != entities:
            self._filling = True
            self.entity_box.clear()
            for e in entities:
                self.entity_box.addItem("Sector" if e == SECTOR else e, e)
            self._filling = False
        self._select_in_box(self.entity)

    def _select_in_box(self, name: str) -> None:
        index = self.entity_box.findData(name)
        if index >= 0 and index != self.entity_box.currentIndex():
            self._filling = True
            self.entity_box.setCurrentIndex(index)
            self._filling = False

    def _on_entity_box(self, index: int) -> None:
        if self._filling or index < 0:
            return
        name = self.entity_box.itemData(index)
        self.set_entity(name)
        self.entityChosen.emit("" if name == SECTOR else name)

    def _on_row_clicked(self, entity: str) -> None:
        if entity != self.entity:
            self.set_entity(entity)
            self.entityChosen.emit("" if entity == SECTOR else entity)

    # -- reading it (tests) -----------------------------------------------------------------------------------------
    def cell_text(self, entity: str, metric: str, name: str) -> tuple[str, str]:
        """The table's (value, difference to the base) for an entity, a metric key and a scenario."""
        return self.table.cell((entity, metric), name)

    def breakdown_text(self, row: str, name: str) -> tuple[str, str]:
        """The breakdown's (value, difference) for an indicator's name, 'composite', 'reading' or 'reds'."""
        key = (row,) if row in ("composite", "reading", "reds") else ("indicator", row)
        return self.breakdown.cell(key, name)

    def curves(self, name: str) -> dict[str, pg.PlotDataItem]:
        """A scenario's curves: 'cumulative_cash_flow', 'revenue', 'required_revenue', 'score' (absent when not
        compared)."""
        out = {}
        for key, curves in (("cumulative_cash_flow", self.cash_flow.curves), ("revenue", self.revenue.revenue_curves),
                            ("required_revenue", self.revenue.required_curves), ("score", self.score.curves)):
            if name in curves:
                out[key] = curves[name]
        return out

    # -- events -----------------------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.request()

    def apply_default_sizes(self) -> None:
        """Wide: the table as wide as it needs plus half the spare room, the breakdown the rest, both above the
        charts. Narrow: the table above, the tabs below. Charts side by side in equal thirds."""
        height = max(self.splitter.height(), 300)
        upper = int(height * 0.5)
        self.splitter.setSizes([upper, height - upper])
        if self.wide:
            width = max(self.upper.width(), 600) - self.upper.handleWidth()
            table, breakdown = self.table.needed_width(), self.breakdown.needed_width()
            left = table + max(width - table - breakdown, 0) // 2
            self.upper.setSizes([left, width - left])
        self.chart_split.setSizes([1] * self.chart_split.count())


def _strip_tags(text: str) -> str:
    out, inside = [], False
    for ch in text:
        if ch == "<":
            inside = True
        elif ch == ">":
            inside = False
        elif not inside:
            out.append(ch)
    return "".join(out)


# -- a picture of it ----------------------------------------------------------------------------------------------------

def render_compare_png(book: ScenarioBook, path: str, size: tuple[int, int] = (1440, 900), entity: str = "") -> str:
    """Show the comparison of ``book`` in a window of ``size`` (offscreen when there is no display) and save it as a
    PNG. Returns the path."""
    if QApplication.instance() is None and not os.environ.get("QT_QPA_PLATFORM") and not (
            os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or sys.platform in ("win32", "darwin")):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    view = CompareView()
    view.setWindowTitle("Compare scenarios — Bubblescope")
    view.resize(*size)
    view.show()
    view.show_book(book)
    if entity:
        view.set_entity(entity)
    view.wait_idle()
    for _ in range(3):
        app.processEvents()
    view.apply_default_sizes()
    for _ in range(5):       # the charts lay themselves out in posted events
        app.processEvents()
    image = view.grab()
    if not image.save(path):
        raise OSError(f"cannot write {path}")
    view.close()
    view.deleteLater()
    return path
