"""The Simulation tab: paths, seed, Run and Cancel with a progress bar; the headline probabilities and figures with
their standard errors; the fan of a chosen yearly output, P(Bubble) by year, the payback year's histogram and CDF,
and the contribution-to-variance tornado of a chosen headline output. The same seed gives the same picture
(model.simulate is deterministic for a seed).

Live: with "Re-run after each edit" ticked (the default), once the analyst has run a simulation, every change of
the scenario on screen re-runs it — after a short pause, so a burst of edits or undos costs one run; off the GUI
thread; a run an edit overtakes is stopped and its result dropped (SimulationRunner). At the window's path counts a
run takes a fraction of a second, so the picture follows the edits as in Guesstimate; a picture that no longer
matches the scenario (live off, or a failed re-run) says so."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from gui.document import Document
from gui.simulate.charts import BubbleChart, DriversChart, FanChart, PaybackChart
from gui.simulate.figures import HeadlineTable
from gui.simulate.runner import SimulationRun, SimulationRunner
from model.core.problems import TemplateError
from model.core.scenario import Scenario
from model.simulate.run import Simulation
from model.simulate.sampling import DEFAULT_SEED

DEFAULT_GUI_PATHS = 2000
# The pause after an edit before the live re-run: long enough to gather a burst (undo held down, a paste that
# arrives as several steps), short enough to feel immediate.
LIVE_DELAY_MS = 200


class SimulationView(QWidget):
    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.runner = SimulationRunner(self)
        self.last_run: SimulationRun | None = None
        self._subject: tuple[str, Scenario] | None = None      # (scenario name, scenario) of the latest run started
        self._shown: tuple[str, Scenario] | None = None        # ... of the run on screen
        self._following = False          # a run was asked for: from then on, live re-runs follow the edits
        self._live_pending = False       # an edit came while the tab was hidden: re-run when it shows
        self.live_runs = 0               # live re-runs started (for tests and the curious)

        self.paths = QSpinBox()
        self.paths.setRange(10, 200_000)
        self.paths.setSingleStep(500)
        self.paths.setGroupSeparatorShown(True)
        self.paths.setValue(DEFAULT_GUI_PATHS)
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        self.seed.setValue(DEFAULT_SEED)
        for spin in (self.paths, self.seed):
            spin.setKeyboardTracking(False)      # a value when typing is done, not one run per digit
        self.run_button = QPushButton("Run")
        self.run_button.setToolTip("Draw the Ranges tab's inputs together and recompute the scenario on screen on "
                                   "every path (off the window's thread)")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setEnabled(False)
        self.bar = QProgressBar()
        self.bar.setTextVisible(True)
        self.bar.setValue(0)
        # Narrow minimums: the tab shares the window's width with the inputs down to a 1024-pixel-wide window.
        self.bar.setMinimumWidth(40)
        for button in (self.run_button, self.cancel_button):
            button.setMinimumWidth(56)
        controls = QHBoxLayout()
        for widget in (QLabel("Paths"), self.paths, QLabel("Seed"), self.seed, self.run_button, self.cancel_button):
            controls.addWidget(widget)
        controls.addWidget(self.bar, 1)
        self.live = QCheckBox("Re-run after each edit")
        self.live.setChecked(True)
        self.live.setToolTip("Once you have run a simulation, re-run it whenever the scenario on screen, the paths "
                             "or the seed change, so the picture always describes what is on screen. Untick for "
                             "long runs (many paths, a cluster) you would rather start yourself.")
        self.dask = QLineEdit()
        self.dask.setPlaceholderText("Dask: tcp://host:8786 — blank: run here")
        self.dask.setToolTip("Run the batches on a dask.distributed cluster (needs pip install 'bubblescope[cluster]' "
                             "here and on the workers); the figures equal a local run's for the same seed")
        options = QHBoxLayout()
        options.addWidget(self.live)
        options.addWidget(self.dask, 1)
        self.status = QLabel("Ranges on inputs (the Ranges tab) give a probability of payback and of a bubble: "
                             "press Run.")
        self.status.setWordWrap(True)
        self.headline = QLabel("")
        self.headline.setWordWrap(True)
        self.headline.setTextFormat(Qt.TextFormat.RichText)
        self.figures = HeadlineTable(self)
        self.fan = FanChart(self)
        self.bubble = BubbleChart(self)
        self.payback = PaybackChart(self)
        self.drivers = DriversChart(self)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(self.fan)
        top.addWidget(self.bubble)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 2)
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.payback)
        bottom.addWidget(self.drivers)
        self.charts = QSplitter(Qt.Orientation.Vertical)
        self.charts.addWidget(top)
        self.charts.addWidget(bottom)
        for s in (top, bottom, self.charts):
            s.setChildrenCollapsible(False)
            s.setHandleWidth(6)
        layout = QVBoxLayout(self)
        layout.setSpacing(4)
        layout.addLayout(controls)
        layout.addLayout(options)
        layout.addWidget(self.status)
        layout.addWidget(self.headline)
        layout.addWidget(self.figures)
        layout.addWidget(self.charts, 1)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(LIVE_DELAY_MS)
        self._debounce.timeout.connect(self._live_run)
        self.run_button.clicked.connect(self.run)
        self.cancel_button.clicked.connect(self.cancel)
        self.runner.progress.connect(self._on_progress)
        self.runner.finished.connect(self.show_run)
        self.runner.failed.connect(self._on_failed)
        self.runner.cancelled.connect(self._on_cancelled)
        self.runner.busyChanged.connect(self._on_busy)
        self.document.scenarioChanged.connect(self._on_scenario_changed)
        self.paths.valueChanged.connect(self._on_settings_changed)
        self.seed.valueChanged.connect(self._on_settings_changed)
        self.live.toggled.connect(self._on_live_toggled)
        assert self.fan.choice is not None and self.drivers.choice is not None
        self.fan.choice.currentIndexChanged.connect(self._redraw)
        self.drivers.choice.currentIndexChanged.connect(self._redraw)

    @property
    def simulation(self) -> Simulation | None:
        """The simulation on screen."""
        return self.last_run.simulation if self.last_run is not None else None

    # -- running ----------------------------------------------------------------------------------------------------
    def run(self, *, live: bool = False) -> bool:
        """Simulate the scenario on screen (its book and name are read now; later edits do not reach this run,
        they start another). A run still going is superseded."""
        self._debounce.stop()
        self._live_pending = False
        self._following = True
        name = self.document.active
        self._subject = (name, self.document.scenario)
        self.bar.setValue(0)
        where = f" on {self.dask.text().strip()}" if self.dask.text().strip() else ""
        what = f"{self.paths.value():,} paths of {name}, seed {self.seed.value()}{where}…"
        self.status.setText(f"Re-running after the change: {what}" if live else f"Simulating {what}")
        self.runner.start(self.document.book, name, self.paths.value(), self.seed.value(), self.dask.text())
        return True

    def cancel(self) -> None:
        self._debounce.stop()
        self._live_pending = False
        self.runner.cancel()

    def wait_idle(self, timeout_ms: int = 60_000) -> bool:
        """For tests and closing: no live re-run waiting and no run going."""
        self._debounce.stop()
        return self.runner.wait_idle(timeout_ms)

    def _matches_screen(self, subject: tuple[str, Scenario] | None) -> bool:
        if subject is None:
            return False
        name, scenario = subject
        now = self.document.scenario
        return name == self.document.active and (scenario is now or scenario.inputs_equal(now))

    def _on_scenario_changed(self, _scenario: Scenario) -> None:
        if self._matches_screen(self._subject):
            return            # an undo back to what the latest run describes, a switch there and back
        if self.live.isChecked() and self._following:
            self._debounce.start()
        elif self.last_run is not None:
            self.status.setText(self._done_text(self.last_run.simulation) + " Out of date: the scenario has changed "
                                "since this run — press Run.")

    def _on_settings_changed(self) -> None:
        if self.live.isChecked() and self._following:
            self._subject = None                   # same scenario, other paths or seed: a new picture
            self._debounce.start()

    def _on_live_toggled(self, on: bool) -> None:
        if on and self._following and not self._matches_screen(self._subject):
            self._debounce.start()

    def _live_run(self) -> None:
        if not self.isVisible():        # no work for a hidden tab: the run starts when it shows
            self._live_pending = True
            return
        self.live_runs += 1
        self.run(live=True)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._live_pending and self.live.isChecked():
            self._debounce.start()

    def _on_busy(self, busy: bool) -> None:
        self.run_button.setEnabled(not busy)
        self.cancel_button.setEnabled(busy)

    def _on_progress(self, done: int, total: int) -> None:
        self.bar.setMaximum(total)
        self.bar.setValue(done)

    def _on_cancelled(self) -> None:
        kept = " The charts still show the previous run." if self.last_run is not None else ""
        self.status.setText(f"Cancelled: nothing changed.{kept}")

    def _on_failed(self, error: Exception) -> None:
        if isinstance(error, TemplateError):
            text = "\n".join([error.summary] + [str(p) for p in error.problems[:4]])
        else:
            text = f"The simulation failed: {error}"
        if self.last_run is not None:
            text += "\nThe charts still show the previous run: they do not match the scenario on screen."
        self.status.setText(text)

    # -- the picture ------------------------------------------------------------------------------------------------
    def _done_text(self, sim: Simulation) -> str:
        return (f"{sim.paths:,} paths of {sim.scenarios[0].name}, seed {sim.seed} (Latin hypercube, Iman–Conover), "
                f"{sim.where}, {sim.seconds:.1f} s. The same seed gives the same picture.")

    def show_run(self, run: SimulationRun) -> None:
        self.last_run = run
        self._shown = self._subject
        sim = run.simulation
        s = sim.scenarios[0]
        text = self._done_text(sim)
        if not self._matches_screen(self._shown):
            text += " Out of date: the scenario has changed since this run — press Run."
        self.status.setText(text)
        self.headline.setText(" &nbsp;·&nbsp; ".join(f"<b>{p.label}: {p.p:.0%}</b> ± {p.se:.1%}"
                                                     for p in s.probabilities))
        self.figures.show_figures(s)
        self._redraw()

    def _redraw(self) -> None:
        if self.last_run is None:
            return
        run = self.last_run
        s = run.simulation.scenarios[0]
        self.fan.show_run(run, s)
        self.bubble.show_run(run, s)
        self.payback.show_run(run, s)
        self.drivers.show_run(list(run.simulation.names), s)

    def fan_data(self) -> dict[str, list[float]]:
        """The fan chart's output as the model gave it ("P5".."P95" by year), for tests."""
        if self.last_run is None:
            return {}
        s = self.last_run.simulation.scenarios[0]
        key = self.fan.chosen()
        return s.score_fan if key == "score" else s.fans[key]


__all__ = ["DEFAULT_GUI_PATHS", "LIVE_DELAY_MS", "SimulationView"]
