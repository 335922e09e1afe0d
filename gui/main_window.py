"""The main window: inputs on the left, the answer on the right, wired to one Document.

Layout: the input sheets (tabs) | a one-line answer, the bubble score and the payback table above four charts
(cumulative cash flow, revenue vs required, capex, the deal network). Every view listens to the document's
``resultsChanged`` and to the shared ``Selection``; none of them computes anything.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSettings, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QIcon,
    QKeySequence,
    QPainter,
    QPalette,
    QPen,
    QPixmap,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStyle,
    QTabWidget,
    QToolButton,
    QWidget,
)

from gui.compare.view import CompareView
from gui.document import Document, Selection
from gui.files import FileController
from gui.inputs.panel import InputsPanel
from gui.inputs.scenario_bar import ScenarioBar
from gui.layouts import SteadyBox, column
from gui.problems_dialog import ProblemsDialog
from gui.results.changes import what_changed
from gui.results.charts import CapexChart, CashFlowChart, RevenueChart
from gui.results.company_legend import CompanyLegend
from gui.results.deal_network import DealNetwork
from gui.results.headline import Headline
from gui.results.payback_table import PaybackTable
from gui.results.score_history import with_score_year
from gui.results.score_view import ScoreView
from model.core.edit import EditRefused
from model.core.overrides import BASE
from model.core.problems import Problem
from model.core.results import Results

if TYPE_CHECKING:     # built on first show (see MainWindow.simulation): the first screen needs neither
    from gui.sensitivity.view import SensitivityView
    from gui.simulate.view import SimulationView

APP_NAME = "Bubblescope"
SIMULATION_TAB, SENSITIVITY_TAB = 2, 3      # in the answer's tabs: Results, Compare scenarios, Simulation, Sensitivity


class MainWindow(QMainWindow):
    def __init__(self, document: Document | None = None, settings: QSettings | None = None) -> None:
        super().__init__()
        self.document = document or Document(parent=self)
        self.selection = Selection(self)
        self.files = FileController(self, self.document, settings)
        self.warnings_dialog: ProblemsDialog | None = None
        self.help_viewer: QDialog | None = None
        self._shown: Results | None = None     # the results on screen, to tell what the next ones change
        self._sized = False
        self.setAcceptDrops(True)

        self.scenarios = ScenarioBar(self.document, self)
        self.inputs = InputsPanel(self.document, self)
        self.headline = Headline(self)
        self.score = ScoreView(self)
        self.payback = PaybackTable(self)
        self.legend = CompanyLegend(self)
        self.cash_flow = CashFlowChart(self)
        self.revenue = RevenueChart(self)
        self.capex = CapexChart(self)
        self.network = DealNetwork(self)
        self.compare = CompareView(self)
        self._simulation: SimulationView | None = None
        self._sensitivity: SensitivityView | None = None
        self._build_layout()
        self._build_status_bar()
        self._build_actions()
        self._connect()
        self._update_title()
        if self.document.results is not None:
            self._on_results(self.document.results)
        else:
            self.document.recompute()

    # -- construction ------------------------------------------------------------------------------------------------
    def _build_layout(self) -> None:
        # Left: the inputs and, under them, the score they calibrate. Right: the answer — one line, the payback
        # table, the charts.
        self.inputs_box = column(self.scenarios, self.inputs, grow=self.inputs)
        self.left = QSplitter(Qt.Orientation.Vertical)
        self.left.addWidget(self.inputs_box)
        self.left.addWidget(self.score)
        self.charts_top = QSplitter(Qt.Orientation.Horizontal)
        self.charts_top.addWidget(self.cash_flow)
        self.charts_top.addWidget(self.revenue)
        self.charts_bottom = QSplitter(Qt.Orientation.Horizontal)
        self.charts_bottom.addWidget(self.capex)
        self.charts_bottom.addWidget(self.network)
        self.charts = QSplitter(Qt.Orientation.Vertical)
        self.charts.addWidget(self.charts_top)
        self.charts.addWidget(self.charts_bottom)
        charts_box = column(self.legend, self.charts, grow=self.charts)
        self.right = QSplitter(Qt.Orientation.Vertical)
        self.right.addWidget(self.payback)
        self.right.addWidget(charts_box)
        # The answer's text changes on every edit: in a SteadyBox it relays out the window only when its height does
        right_box = column(SteadyBox(self.headline), self.right, grow=self.right)
        # The answer for the scenario on screen, or the scenarios side by side.
        self.answer = QTabWidget()
        self.answer.setDocumentMode(True)
        self.answer.addTab(right_box, "Results")
        self.answer.addTab(self.compare, "Compare scenarios")
        self.answer.setTabToolTip(1, "The chosen scenarios side by side: payback, coverage, the score and its "
                                     "breakdown, with the difference to the base")
        # The Simulation and Sensitivity tabs hold a placeholder until first shown (or asked for): building them,
        # and importing scipy for them, was a fifth of the cold start, for tabs the first screen does not show.
        self.answer.addTab(QWidget(), "Simulation")
        self.answer.setTabToolTip(SIMULATION_TAB, "The Ranges tab's inputs drawn together: fan chart, P(payback), "
                                                  "P(Bubble), what drives the spread")
        self.answer.addTab(QWidget(), "Sensitivity")
        self.answer.setTabToolTip(SENSITIVITY_TAB, "Which inputs move an output most (tornado, spider), and what it "
                                                   "would take to reach a target (goal seek)")
        self.answer.currentChanged.connect(self._on_answer_tab)
        self.main = QSplitter(Qt.Orientation.Horizontal)
        self.main.addWidget(self.left)
        self.main.addWidget(self.answer)
        for splitter in (self.main, self.left, self.right, self.charts, self.charts_top, self.charts_bottom):
            splitter.setChildrenCollapsible(False)
            splitter.setHandleWidth(6)
        self.setCentralWidget(self.main)

    @property
    def simulation(self) -> SimulationView:
        """The Simulation tab's view, built the first time it is shown or asked for."""
        if self._simulation is None:
            from gui.simulate.view import SimulationView

            self._simulation = SimulationView(self.document, self)
            self._put_in_tab(SIMULATION_TAB, self._simulation)
        return self._simulation

    @property
    def sensitivity(self) -> SensitivityView:
        """The Sensitivity tab's view, built the first time it is shown or asked for. Built after a compute that
        failed, it is told so (it missed the computeFailed signal)."""
        if self._sensitivity is None:
            from gui.sensitivity.view import SensitivityView

            view = self._sensitivity = SensitivityView(self.document, self)
            if self.document.results is None and self.document.recompute_count:
                view._on_compute_failed(self.document.problems)
            self._put_in_tab(SENSITIVITY_TAB, view)
        return self._sensitivity

    def _on_answer_tab(self, index: int) -> None:
        if index == SIMULATION_TAB:
            _ = self.simulation
        elif index == SENSITIVITY_TAB:
            _ = self.sensitivity

    def _put_in_tab(self, index: int, view: QWidget) -> None:
        """``view`` in place of the tab's placeholder, with its title and tooltip; shown at once when the
        placeholder was the tab on screen (no other tab is shown in between)."""
        tabs = self.answer
        placeholder = tabs.widget(index)
        assert placeholder is not None
        current = tabs.currentIndex() == index
        blocked = tabs.blockSignals(True)
        try:
            tabs.insertTab(index + 1, view, tabs.tabText(index))
            tabs.setTabToolTip(index + 1, tabs.tabToolTip(index))
            if current:
                tabs.setCurrentIndex(index + 1)
            tabs.removeTab(index)
        finally:
            tabs.blockSignals(blocked)
        placeholder.deleteLater()

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.compute_label = QLabel("")
        self.compute_label.setToolTip("How long the last recompute took; large scenarios recompute in the background")
        # A fixed size: a label that grows and shrinks with its text relayouts the status bar (and the window's
        # layout under it) on every edit; fixed in both directions, its new text asks for no layout at all.
        longest = max(("Recomputing in the background… ", "Recomputed in 8888.8 ms in the background "),
                      key=self.compute_label.fontMetrics().horizontalAdvance)
        self.compute_label.setFixedSize(self.compute_label.fontMetrics().horizontalAdvance(longest) + 8,
                                        self.compute_label.fontMetrics().height() + 4)
        self.warnings_button = QToolButton()
        self.warnings_button.setAutoRaise(True)
        self.warnings_button.setToolTip("Show the list")
        self.warnings_button.clicked.connect(self.show_warnings)
        bar.addPermanentWidget(self.warnings_button)
        bar.addPermanentWidget(self.compute_label)

    def _action(self, text: str, slot: object, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
                icon: QStyle.StandardPixmap | None = None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_actions(self) -> None:
        Key, Pix = QKeySequence.StandardKey, QStyle.StandardPixmap
        files = self.files
        self.new_action = self._action("&New", files.new, Key.New, Pix.SP_FileIcon, "Start from the blank template")
        self.open_action = self._action("&Open…", files.open, Key.Open, Pix.SP_DialogOpenButton,
                                        "Open a scenario workbook (.xlsx); you can also drop one on the window")
        self.save_action = self._action("&Save", files.save, Key.Save, Pix.SP_DialogSaveButton,
                                        "Save the scenario as a template workbook")
        self.save_as_action = self._action("Save &As…", files.save_as, Key.SaveAs, None,
                                           "Save the workbook (the base and every scenario) under a new name")
        self.export_action = self._action("&Export results…", files.export, "Ctrl+E", None,
                                          "Write the results, with formulas and sources, to a workbook")
        self.export_action.setIcon(export_icon(self))
        self.quit_action = self._action("&Quit", self.close, Key.Quit)
        self.undo_action: QAction = self.document.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(Key.Undo))
        self.undo_action.setIcon(self.style().standardIcon(Pix.SP_ArrowBack))
        self.redo_action: QAction = self.document.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcuts([QKeySequence(Key.Redo), QKeySequence("Ctrl+Y")])
        self.redo_action.setIcon(self.style().standardIcon(Pix.SP_ArrowForward))
        self.copy_action = self._action("&Copy", lambda: self.inputs.current_view().copy(), Key.Copy)
        self.paste_action = self._action("&Paste", lambda: self.inputs.current_view().paste(), Key.Paste)
        for action in (self.copy_action, self.paste_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.inputs.addAction(action)
        self.add_row_action = self._action("Add row / company / deal", self.inputs.add_row, "Ctrl+Shift+=")
        self.remove_row_action = self._action("Remove selected rows", self.inputs.remove_rows, "Ctrl+-")
        self.add_year_action = self._action("Add year column", self.inputs.add_year)
        self.remove_year_action = self._action("Remove year column", self.inputs.remove_year)
        self.reset_action = self._action("Reset to &base", lambda: self.inputs.reset_to_base(), None, None,
                                         "The selected cells of the scenario on screen read as the base again")
        self.new_scenario_action = self._action("&New scenario", self.scenarios.new, "Ctrl+Shift+N")
        self.duplicate_scenario_action = self._action("&Duplicate scenario", self.scenarios.duplicate)
        self.rename_scenario_action = self._action("&Rename scenario…", self.scenarios.rename)
        self.delete_scenario_action = self._action("De&lete scenario", self.scenarios.delete)
        self.compare_action = self._action("&Compare scenarios", self.show_compare, "Ctrl+K", None,
                                           "The scenarios side by side, with the difference to the base")
        self.sector_action = self._action("Show the &sector", lambda: self.selection.set(""), "Ctrl+0")
        self.warnings_action = self._action("&Warnings…", self.show_warnings)
        self.next_sheet_action = self._action("Next input sheet", lambda: self._step_sheet(1), "Ctrl+Tab")
        self.previous_sheet_action = self._action("Previous input sheet", lambda: self._step_sheet(-1),
                                                  "Ctrl+Shift+Tab")
        self.help_action = self._action("&Methodology", self.show_help, Key.HelpContents, None,
                                        "Every formula, threshold and source (docs/methodology.md)")

        menu = self.menuBar().addMenu("&File")
        for action in (self.new_action, self.open_action):
            menu.addAction(action)
        self.recent_menu = menu.addMenu("Open &Recent")
        menu.addSeparator()
        for action in (self.save_action, self.save_as_action, self.export_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.quit_action)
        menu = self.menuBar().addMenu("&Edit")
        edit_actions: tuple[QAction | None, ...] = (
            self.undo_action, self.redo_action, None, self.copy_action, self.paste_action, None,
            self.add_row_action, self.remove_row_action, self.add_year_action, self.remove_year_action, None,
            self.reset_action)
        for item in edit_actions:
            menu.addSeparator() if item is None else menu.addAction(item)
        menu = self.menuBar().addMenu("&Scenario")
        for action in (self.new_scenario_action, self.duplicate_scenario_action, self.rename_scenario_action,
                       self.delete_scenario_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.compare_action)
        menu = self.menuBar().addMenu("&View")
        menu.addAction(self.sector_action)
        menu.addAction(self.warnings_action)
        menu.addSeparator()
        menu.addAction(self.next_sheet_action)
        menu.addAction(self.previous_sheet_action)
        menu = self.menuBar().addMenu("&Help")
        menu.addAction(self.help_action)
        menu.addAction(self._action("&About Bubblescope", self.about))

        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        tools: tuple[QAction | None, ...] = (self.new_action, self.open_action, self.save_action, None,
                                              self.undo_action, self.redo_action, None, self.export_action)
        for item in tools:
            toolbar.addSeparator() if item is None else toolbar.addAction(item)
        self._rebuild_recent()

    def _connect(self) -> None:
        doc = self.document
        doc.resultsChanged.connect(self._on_results)
        doc.computeFailed.connect(self._on_compute_failed)
        doc.problemsChanged.connect(self._on_problems)
        doc.refused.connect(self._on_refused)
        doc.failed.connect(lambda text: self.statusBar().showMessage(text, 15000))
        doc.pathChanged.connect(lambda _path: self._update_title())
        doc.activeChanged.connect(lambda _name: self._update_title())
        doc.bookChanged.connect(lambda _book: self._update_title())
        self.scenarios.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        doc.undo_stack.cleanChanged.connect(lambda _clean: self._update_title())
        doc.recomputer.busyChanged.connect(self._on_busy)
        self.files.recentChanged.connect(self._rebuild_recent)
        self.selection.changed.connect(self._on_selection)
        self.inputs.companyActivated.connect(self.selection.set)
        self.inputs.message.connect(lambda text: self.statusBar().showMessage(text, 6000))
        self.payback.entitySelected.connect(self.selection.set)
        doc.bookChanged.connect(lambda book: self.compare.show_book(book, self.document.last_compute_ms))
        self.compare.show_book(doc.book, doc.last_compute_ms)
        self.compare.entityChosen.connect(self.selection.set)
        self.compare.busyChanged.connect(self._on_compare_busy)
        self.legend.companyClicked.connect(self.selection.set)
        self.score.yearChosen.connect(self._on_score_year)
        self.network.companyClicked.connect(self.selection.set)

    # -- document → views ------------------------------------------------------------------------------------------
    def _on_results(self, results: Results) -> None:
        company = self.selection.company if self.selection.company in results.companies else ""
        if company != self.selection.company:
            self.selection.company = company
        self.headline.show_results(results, company, self.document.active)
        self.score.show_results(results, company)
        # What the edit changed: the payback table tints the cells for a moment, the status bar says by how much.
        changed = what_changed(self._shown, results, company)
        same_rows = self._shown is not None and self._shown.companies == results.companies
        self._shown = results
        self.payback.show_results(results, flash=same_rows)
        if changed:
            self.statusBar().showMessage("Changed — " + changed, 8000)
        self.payback.select_entity(company)
        self.legend.show_results(results)
        self.legend.set_selected(company)
        for view in (self.cash_flow, self.revenue, self.capex):
            view.selected = company
            view.show_results(results)
        self.network.selected = company
        self.network.show_results(results)
        where = " in the background" if self.document.recomputer.last_ms > self.document.recomputer.budget_ms else ""
        self.compute_label.setText(f"Recomputed in {self.document.last_compute_ms:.1f} ms{where}")

    def _on_compute_failed(self, problems: tuple[Problem, ...]) -> None:
        self._shown = None
        self.headline.show_results(None)
        self.score.show_results(None)
        self.payback.show_results(None)
        self.compute_label.setText("Not computed")

    def _on_problems(self, problems: tuple[Problem, ...]) -> None:
        errors = sum(p.severity == "error" for p in problems)
        warnings = len(problems) - errors
        parts = []
        if errors:
            parts.append(f"{errors} error{'s' if errors != 1 else ''}")
        if warnings:
            parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
        self.warnings_button.setText("⚠ " + ", ".join(parts) if parts else "No warnings")
        self.warnings_button.setEnabled(bool(parts))

    def _on_busy(self, busy: bool) -> None:
        if busy:
            self.compute_label.setText("Recomputing in the background…")

    def _on_compare_busy(self, busy: bool) -> None:
        bar, text = self.statusBar(), "Comparing the scenarios in the background…"
        if busy:
            if not bar.currentMessage():        # never over what the last edit changed
                bar.showMessage(text)
        elif bar.currentMessage() == text:
            bar.clearMessage()

    def _on_selection(self, company: str) -> None:
        results = self.document.results
        self.compare.set_entity(company)
        self.inputs.select_company(company)
        self.payback.select_entity(company)
        self.legend.set_selected(company)
        if results is None:
            return
        self.headline.show_results(results, company, self.document.active)
        self.score.show_results(results, company)
        for view in (self.cash_flow, self.revenue, self.capex, self.network):
            view.set_selected(company)

    def _on_score_year(self, year: int) -> None:
        """The score-year control: an ordinary, undoable edit of the Score year assumption."""
        try:
            self.document.change(with_score_year(self.document.scenario, year), f"Score year {year}")
        except EditRefused as refusal:
            self.document.refuse(refusal)

    def _on_refused(self, refusal: EditRefused) -> None:
        where = f"{refusal.sheet}: " if refusal.sheet else ""
        self.statusBar().showMessage(f"Not changed — {where}{refusal.message}", 10000)

    def _update_title(self) -> None:
        active = self.document.active
        scenario = "" if active == BASE else f" — {active}"
        self.setWindowTitle(f"{self.files.display_name()}{scenario} [*] — {APP_NAME}")
        on_base = active == BASE
        self.rename_scenario_action.setEnabled(not on_base)
        self.delete_scenario_action.setEnabled(not on_base)
        self.reset_action.setEnabled(not on_base)
        for action in (self.add_row_action, self.remove_row_action, self.add_year_action, self.remove_year_action):
            action.setEnabled(on_base)
        self.setWindowModified(self.document.dirty)

    def _rebuild_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.files.recent()
        for path in recent:
            action = self.recent_menu.addAction(Path(path).name)
            action.setToolTip(path)
            action.setStatusTip(path)
            action.triggered.connect(lambda _=False, p=path: self.files.open_path(p))
        if recent:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction("Clear the list", self.files.clear_recent)
        self.recent_menu.setEnabled(bool(recent))

    def show_compare(self) -> None:
        self.answer.setCurrentWidget(self.compare)

    def show_warnings(self) -> None:
        problems = self.document.problems or tuple(self.document.validation)
        count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}" if problems else "No problems"
        self.warnings_dialog = ProblemsDialog("Warnings and errors", f"{count} in the scenario on screen. Warnings "
                                              "do not stop the computation; errors do.", problems, self)
        self.warnings_dialog.open()

    def show_help(self) -> None:
        from gui.help import HelpViewer  # on first use: the window starts without it

        if self.help_viewer is None:
            self.help_viewer = HelpViewer(self)
        self.help_viewer.show()
        self.help_viewer.raise_()
        self.help_viewer.activateWindow()

    def about(self) -> None:
        from gui.help import version

        QMessageBox.about(self, f"About {APP_NAME}",
                          f"<b>{APP_NAME}</b> {version()} — does the AI infrastructure build-out pay back, or is "
                          "it a bubble?<p>Every input carries its source; every threshold of the bubble score is "
                          "editable in the Thresholds sheet. F1 opens the methodology: every formula and where "
                          "each default comes from.</p>")

    def _step_sheet(self, step: int) -> None:
        """Ctrl+Tab / Ctrl+Shift+Tab: the next or previous input sheet, wrapping round."""
        tabs = self.inputs.tabs
        tabs.setCurrentIndex((tabs.currentIndex() + step) % tabs.count())
        self.inputs.current_view().setFocus()

    # -- window events ---------------------------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._sized:
            self._sized = True
            self.apply_default_sizes()
            QTimer.singleShot(0, self.apply_default_sizes)

    def apply_default_sizes(self) -> None:
        """Inputs and score about a third of the width (never narrower than the sheet tabs), the answer the
        rest; the score with its chart by year when the inputs keep their minimum height; the payback table as tall
        as its rows allow up to ~40%; charts in equal quarters."""
        width = max(self.main.width(), 800) - self.main.handleWidth()
        left = max(int(width * (0.34 if width >= 1400 else 0.36)), self.inputs.minimumSizeHint().width())
        self.main.setSizes([left, width - left])
        height = max(self.left.height(), 400) - self.left.handleWidth()
        # The score with its score-by-year chart (as roomy as the inputs' minimum height allows) when the inputs
        # keep at least that minimum beside it; else the score without the chart (it hides, see ScoreView.resizeEvent) and the inputs
        # take the rest: the rows of the sheet matter more than the chart, which comes back as the splitter gives
        # it room.
        bare, least = self.score.heights()          # without the chart, and with the chart at its smallest
        want = max(min(int(height * 0.68), self.score.sizeHint().height() + 20), least)
        inputs = self.inputs_box.minimumSizeHint().height()
        score = max(min(want, height - inputs), least) if height - least >= inputs else bare
        self.left.setSizes([height - score, score])
        height = max(self.right.height(), 400) - self.right.handleWidth()
        # The charts keep at least their minimum height under the legend as it wraps at this width (its own minimum
        # counts one line): at 1024x640 a third of the height for the table squeezed the charts below theirs, and
        # their axes were cut off at the bottom. The table gives way first (it scrolls).
        width = self.right.width()
        legend = self.legend.heightForWidth(width) if self.legend.hasHeightForWidth() else self.legend.sizeHint().height()
        charts = max(legend, self.legend.minimumSizeHint().height()) + self.charts.minimumSizeHint().height()
        table = self.payback.whole_rows_height(min(int(height * (0.40 if height > 700 else 0.36)), height - charts))
        self.right.setSizes([table, height - table])
        self.charts.setSizes([1, 1])
        self.charts_top.setSizes([1, 1])
        self.charts_bottom.setSizes([1, 1])

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.files.maybe_save("closing"):
            # A worker still computing would deliver into widgets being destroyed: let it finish first.
            self.document.recomputer.wait_idle()
            if self._simulation is not None:
                self._simulation.runner.cancel()
                self._simulation.runner.wait_idle()
            self.compare.runner.wait_idle()
            if self._sensitivity is not None:
                self._sensitivity.wait_idle()
            event.accept()
        else:
            event.ignore()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_workbook(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        path = _dropped_workbook(event)
        if path is not None:
            event.acceptProposedAction()
            # After the drop returns: a modal prompt inside a drop handler blocks the source application.
            QTimer.singleShot(0, lambda: self.files.open_path(path))


def export_icon(widget: QWidget) -> QIcon:
    """A sheet with an arrow leaving it: the style's arrow alone reads as a drop-down."""
    size = widget.style().pixelMetric(QStyle.PixelMetric.PM_ToolBarIconSize)
    pixmap = QPixmap(size * 2, size * 2)      # drawn at twice the size: crisp on high-DPI screens
    pixmap.fill(Qt.GlobalColor.transparent)
    pixmap.setDevicePixelRatio(2.0)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    text = widget.palette().color(QPalette.ColorRole.WindowText)
    s = size
    painter.setPen(QPen(text, max(1.0, s / 14)))
    painter.setBrush(widget.palette().color(QPalette.ColorRole.Base))
    painter.drawRect(QRectF(s * 0.12, s * 0.1, s * 0.5, s * 0.78))          # the sheet
    for k in range(3):                                                          # its rows
        y = s * (0.3 + 0.17 * k)
        painter.drawLine(QPointF(s * 0.22, y), QPointF(s * 0.5, y))
    painter.setPen(QPen(QColor("#3a9a4a"), max(1.5, s / 9), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
    painter.drawLine(QPointF(s * 0.45, s * 0.6), QPointF(s * 0.9, s * 0.6))      # the arrow leaving it
    painter.drawLine(QPointF(s * 0.9, s * 0.6), QPointF(s * 0.76, s * 0.46))
    painter.drawLine(QPointF(s * 0.9, s * 0.6), QPointF(s * 0.76, s * 0.74))
    painter.end()
    return QIcon(pixmap)


def _dropped_workbook(event: QDragEnterEvent | QDropEvent) -> str | None:
    mime = event.mimeData()
    if not mime.hasUrls():
        return None
    for url in mime.urls():
        if url.isLocalFile() and url.toLocalFile().lower().endswith(".xlsx"):
            return url.toLocalFile()
    return None

