"""The Sensitivity tab: which inputs move an output (tornado, spider), and what would it take (goal seek).

It follows the document: after every edit the scenario on screen is analysed again in a worker (a newer edit drops
the older analysis), but only while the tab is shown — a hidden tab remembers it is out of date and catches up when
shown. A goal seek's answer becomes a new scenario through the document's command path (undoable), noted with how it
was found; an answer for inputs that have changed since is not applied.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QThreadPool, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gui import commands
from gui.document import Document
from gui.layouts import column
from gui.recompute import JobFailed, JobRunner
from gui.sensitivity.charts import SpiderChart, TornadoChart
from gui.sensitivity.runner import GoalSeekOutcome, SensitivityOutcome, run_goal_seek, run_sensitivity
from model.core.results import Results
from model.core.values import parse_percent
from model.sensitivity.inputs import inputs_of
from model.sensitivity.metrics import Metric, metrics_for

DEFAULT_METRIC = "npv"
DEFAULT_GOAL = ("payback", "hyperscalers.growth")


class SensitivityView(QWidget):
    analysed = Signal(object)        # SensitivityOutcome shown (tests wait on it)
    sought = Signal(object)          # GoalSeekOutcome shown

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._pool = QThreadPool(self)
        # budget 0: never on the GUI thread, however quick the last one was (force_worker on every request too).
        self.runner = JobRunner(run_sensitivity, self, budget_ms=0.0, pool=self._pool)
        self.seeker = JobRunner(run_goal_seek, self, budget_ms=0.0, pool=self._pool)
        self.runner.finished.connect(self._on_analysed)
        self.runner.errored.connect(self._on_failed)
        self.seeker.finished.connect(self._on_sought)
        self.seeker.errored.connect(self._on_failed)
        self.stale = True
        self.outcome: SensitivityOutcome | None = None
        self.answer: GoalSeekOutcome | None = None
        self._metric_keys: tuple[str, ...] = ()
        self._metrics: dict[str, Metric] = {}
        self._input_keys: tuple[str, ...] = ()
        self._inputs_stale = True

        self.output = QComboBox()
        self.output.setToolTip("The output whose sensitivity the charts show")
        _compact(self.output, 20)
        self.output_year = _year_combo("The year of a coverage or score (default: the score year)")
        self.status = QLabel("")
        self.status.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("Output:"))
        top.addWidget(self.output)
        top.addWidget(self.output_year)
        top.addWidget(self.status, 1)

        self.tornado = TornadoChart(self)
        self.spider = SpiderChart(self)
        self.spider_legend = QLabel("")
        self.spider_legend.setWordWrap(True)
        # Wrapped to the chart's width; its text never widens the splitter's side.
        self.spider_legend.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.charts = QSplitter()
        self.charts.addWidget(self.tornado)
        self.charts.addWidget(column(self.spider, self.spider_legend, grow=self.spider))
        self.charts.setChildrenCollapsible(False)
        self.charts.setStretchFactor(0, 3)
        self.charts.setStretchFactor(1, 2)
        self.charts.setSizes([600, 400])

        self.goal_metric = QComboBox()
        _compact(self.goal_metric, 14)
        self.goal_year = _year_combo("The year of a coverage or score (default: the score year)")
        self.target = QLineEdit()
        self.target.setPlaceholderText("e.g. 2035, 0, 100%")
        self.target.setToolTip("The value to reach: a year for a payback, $B for an NPV or a cash position, a "
                               "percentage for coverage, points for the score")
        self.target.setMaximumWidth(100)
        self.goal_input = QComboBox()
        _compact(self.goal_input, 16)
        self.seek_button = QPushButton("Seek")
        self.seek_button.setToolTip("Find the input value that gives the target (Brent's method, within the "
                                    "input's allowed range)")
        self.apply_button = QPushButton("Apply as new scenario")
        self.apply_button.setToolTip("Add the answer as a new scenario (undoable), noted with how it was found")
        self.apply_button.setEnabled(False)
        self.goal_answer = QLabel("")
        self.goal_answer.setWordWrap(True)
        # Two short rows rather than one long one: the tab must fit the right-hand side of a 1024-pixel window.
        form = QGridLayout()
        form.addWidget(QLabel("Set"), 0, 0)
        form.addWidget(self.goal_metric, 0, 1)
        form.addWidget(self.goal_year, 0, 2)
        form.addWidget(QLabel("to"), 0, 3)
        form.addWidget(self.target, 0, 4)
        form.addWidget(QLabel("by changing"), 1, 0)
        form.addWidget(self.goal_input, 1, 1, 1, 2)
        form.addWidget(self.seek_button, 1, 4)
        form.setColumnStretch(5, 1)
        answer_row = QHBoxLayout()
        answer_row.addWidget(self.goal_answer, 1)
        answer_row.addWidget(self.apply_button)
        goal = QGroupBox("Goal seek: what would it take?")
        goal_layout = QVBoxLayout(goal)
        goal_layout.addLayout(form)
        goal_layout.addLayout(answer_row)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.charts, 1)
        layout.addWidget(goal)

        self.output.currentIndexChanged.connect(lambda _i: self._changed())
        self.output_year.currentIndexChanged.connect(lambda _i: self._changed())
        self.goal_metric.currentIndexChanged.connect(lambda _i: self._enable_years())
        self.seek_button.clicked.connect(self.seek)
        self.target.returnPressed.connect(self.seek)
        self.apply_button.clicked.connect(self.apply)
        document.resultsChanged.connect(self._on_results)
        document.computeFailed.connect(self._on_compute_failed)
        self._fill_choices()
        self._fill_inputs()          # built when first shown (main_window): the goal seek's inputs at once
        if document.results is not None:
            self._on_results(document.results)

    # -- choices -------------------------------------------------------------------------------------------------------
    def _fill_choices(self) -> None:
        """Metric and input choosers for the scenario on screen, keeping what was chosen."""
        scenario = self.document.scenario
        metrics = metrics_for(scenario)
        keys = tuple(m.key for m in metrics)
        if keys != self._metric_keys:
            self._metric_keys = keys
            self._metrics = {m.key: m for m in metrics}
            for combo, default in ((self.output, DEFAULT_METRIC), (self.goal_metric, DEFAULT_GOAL[0])):
                _refill(combo, [(_metric_text(m), m.key) for m in metrics], default)
        results = self.document.results
        years = [("score year", None)] + [(str(y), y) for y in (results.years if results is not None else ())]
        for combo in (self.output_year, self.goal_year):
            _refill(combo, years, None)
        self._enable_years()
        # The goal seek's inputs: inputs_of reads every row (170 ms on 500 companies × 30 years), so a hidden view
        # only marks them out of date; showing it, or seeking, reads them.
        self._inputs_stale = True
        if self.isVisible():
            self._fill_inputs()

    def _fill_inputs(self) -> None:
        if not self._inputs_stale:
            return
        self._inputs_stale = False
        inputs = inputs_of(self.document.scenario)
        keys = tuple(i.key for i in inputs)
        if keys != self._input_keys:
            self._input_keys = keys
            _refill(self.goal_input, [(i.label, i.key) for i in inputs], DEFAULT_GOAL[1])

    def _enable_years(self) -> None:
        for combo, year in ((self.output, self.output_year), (self.goal_metric, self.goal_year)):
            metric = self._metrics.get(str(combo.currentData()))
            year.setEnabled(metric is not None and metric.kind.takes_year)

    def _key(self, combo: QComboBox, year: QComboBox) -> str:
        """The chosen metric's name, with its year when it takes one and one is chosen ("coverage@2027")."""
        key = str(combo.currentData() or DEFAULT_METRIC)
        metric = self._metrics.get(key)
        if metric is not None and metric.kind.takes_year and year.currentData() is not None:
            return f"{key}@{year.currentData()}"
        return key

    @property
    def metric_key(self) -> str:
        return self._key(self.output, self.output_year)

    @property
    def goal_metric_key(self) -> str:
        return self._key(self.goal_metric, self.goal_year)

    def set_metric(self, key: str, goal: bool = False) -> None:
        """Choose the output by its name, "Amazon:coverage@2027" (the goal seek's when ``goal``)."""
        combo, year_combo = (self.goal_metric, self.goal_year) if goal else (self.output, self.output_year)
        name, _, year = key.partition("@")
        year_combo.blockSignals(True)
        year_combo.setCurrentIndex(max(year_combo.findData(int(year)) if year else 0, 0))
        year_combo.blockSignals(False)
        index = combo.findData(name)
        if index >= 0 and index != combo.currentIndex():
            combo.setCurrentIndex(index)
        else:
            self._enable_years()
            if not goal:
                self._changed()

    # -- analysis ------------------------------------------------------------------------------------------------------
    def _on_results(self, _results: Results) -> None:
        self._fill_choices()
        if self.answer is not None and not self.answer.scenario.inputs_equal(self.document.scenario):
            self.apply_button.setEnabled(False)
            if self.answer.result is not None:
                self.goal_answer.setText(self.answer.result.message + "  (The inputs have changed since: seek again.)")
        self._changed()

    def _changed(self) -> None:
        self._enable_years()
        self.stale = True
        if self.isVisible():
            self.refresh()

    def _on_compute_failed(self, _problems: object) -> None:
        self.stale = True
        self.outcome = None
        self.apply_button.setEnabled(False)
        self.status.setText("The scenario has errors: fix them to see what moves the output.")

    def refresh(self) -> None:
        """Analyse the scenario on screen for the chosen output, in a worker."""
        if self.document.results is None:
            return
        self.stale = False
        self.status.setText("Recomputing the tornado in the background…")
        self.runner.request(self.document.scenario, self.document.validation, self.metric_key, force_worker=True)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fill_inputs()
        if self.stale:
            self.refresh()

    def wait_idle(self) -> None:
        self.runner.wait_delivered()
        self.seeker.wait_delivered()

    def _on_analysed(self, outcome: SensitivityOutcome) -> None:
        self.outcome = outcome
        if outcome.tornado is None or outcome.spider is None:
            self.status.setText(f"No tornado: {outcome.error}")
        else:
            t = outcome.tornado
            note = f" {t.note}." if t.note else ""
            moved = (f"{t.ranged} of {len(t.bars)} inputs over their Uncertainty range, the others ±{t.swing:.0%}"
                     if t.ranged else f"{len(t.bars)} inputs each moved ±{t.swing:.0%}")
            self.status.setText(f"{t.metric.label[:1].upper()}{t.metric.label[1:]}: {t.base_text}. "
                                f"{moved}, {t.computes} computes in {outcome.elapsed_ms:.0f} ms.{note} Hover a bar "
                                f"for its values.")
            self.status.setToolTip("<br>".join(html.escape(n) for n in t.notes))
            self.tornado.show_tornado(t)
            self.spider.show_spider(outcome.spider)
            self.spider_legend.setText(self.spider.legend_html())
        self.analysed.emit(outcome)

    def _on_failed(self, failure: JobFailed) -> None:
        self.status.setText(f"The analysis failed: {failure.message}")

    # -- goal seek -----------------------------------------------------------------------------------------------------
    def seek(self) -> None:
        text = self.target.text().strip()
        try:
            target = parse_percent(text)
        except ValueError:
            self.goal_answer.setText(f"The target {text!r} is not a number: type a year (2035), $B (0) or a "
                                     "percentage (100%)." if text else "Type the value to reach.")
            return
        self._fill_inputs()
        self.apply_button.setEnabled(False)
        self.goal_answer.setText("Seeking…")
        self.seeker.request(self.document.scenario, self.document.validation, self.goal_metric_key, target,
                            str(self.goal_input.currentData()), force_worker=True)

    def _on_sought(self, outcome: GoalSeekOutcome) -> None:
        self.answer = outcome
        if outcome.result is None:
            self.goal_answer.setText(f"No answer: {outcome.error}")
        else:
            self.goal_answer.setText(outcome.result.message)
            current = outcome.scenario.inputs_equal(self.document.scenario)
            self.apply_button.setEnabled(outcome.result.reached and current)
        self.sought.emit(outcome)

    def apply(self) -> bool:
        answer = self.answer
        if answer is None or answer.result is None or not answer.result.reached:
            return False
        if not answer.scenario.inputs_equal(self.document.scenario):
            self.goal_answer.setText("The inputs have changed since this answer: seek again.")
            self.apply_button.setEnabled(False)
            return False
        done = commands.apply_goal_seek(self.document, answer.result)
        if done:
            self.apply_button.setEnabled(False)
        return done


def _metric_text(metric: Metric) -> str:
    label = metric.label
    return label[:1].upper() + label[1:]


def _year_combo(tip: str) -> QComboBox:
    combo = QComboBox()
    combo.setToolTip(tip)
    _compact(combo, 9)
    return combo


def _compact(combo: QComboBox, chars: int) -> None:
    """As wide as ``chars`` characters whatever its items (a deal's label would widen the whole window)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)


def _refill(combo: QComboBox, items: Sequence[tuple[str, object]], default: object) -> None:
    """Replace the items, keeping the choice (else ``default``; ``None`` is the first item) — without a signal."""
    current = combo.currentData() if combo.count() else default
    combo.blockSignals(True)
    combo.clear()
    for text, data in items:
        combo.addItem(text, data)
    index = combo.findData(current) if current is not None else 0
    if index < 0:
        index = max(combo.findData(default), 0) if default is not None else 0
    combo.setCurrentIndex(index)
    combo.blockSignals(False)
