"""Recompute a scenario on the GUI thread when it is quick, in a worker when it is not.

``compute`` is a pure function of an immutable scenario, so running it in another thread is safe. Every request
gets a generation number; a result that arrives after a newer request was made is stale and dropped, so the views
only ever show the results of the scenario on screen. At most one worker runs: while it does, only the newest
waiting request is kept (intermediate scenarios of a fast typist are never computed at all).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from model.compute import compute
from model.problems import Problem, TemplateError
from model.results import Results
from model.scenario import Scenario

# A frame at 60 Hz is 16.7 ms; leave room for the views' own repaint.
FRAME_BUDGET_MS = 12.0


@dataclass(frozen=True)
class Outcome:
    generation: int
    results: Results | None
    problems: tuple[Problem, ...]     # the errors when results is None
    elapsed_ms: float
    in_worker: bool


def run_compute(generation: int, scenario: Scenario, problems: list[Problem] | None, in_worker: bool) -> Outcome:
    start = time.perf_counter()
    try:
        results: Results | None = compute(scenario, problems)
        found: tuple[Problem, ...] = ()
    except TemplateError as exc:
        results, found = None, exc.problems
    except Exception as exc:  # a bug in the model must not take the window down with it
        results, found = None, (Problem("error", f"the computation failed: {type(exc).__name__}: {exc}"),)
    return Outcome(generation, results, found, (time.perf_counter() - start) * 1000.0, in_worker)


class _Carrier(QObject):
    """Lives in the GUI thread; the worker emits through it, so the slot runs queued on the GUI thread."""

    done = Signal(object)


class _Job(QRunnable):
    def __init__(self, carrier: _Carrier, generation: int, scenario: Scenario, problems: list[Problem] | None):
        super().__init__()
        self.setAutoDelete(True)
        self._carrier, self._args = carrier, (generation, scenario, problems)

    def run(self) -> None:
        generation, scenario, problems = self._args
        self._carrier.done.emit(run_compute(generation, scenario, problems, in_worker=True))


class Recomputer(QObject):
    """``request(scenario)`` → ``finished(Outcome)`` once, for the newest request only."""

    finished = Signal(object)
    busyChanged = Signal(bool)           # a worker started (True) or the last one finished (False)

    def __init__(self, parent: QObject | None = None, budget_ms: float = FRAME_BUDGET_MS,
                 pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.budget_ms = budget_ms
        self.last_ms = 0.0
        self.generation = 0
        self.stale_dropped = 0
        self._pool = pool or QThreadPool.globalInstance()
        self._carrier = _Carrier(self)
        self._carrier.done.connect(self._on_done)
        self._running = False
        self._waiting: tuple[int, Scenario, list[Problem] | None] | None = None

    @property
    def busy(self) -> bool:
        return self._running

    def request(self, scenario: Scenario, problems: list[Problem] | None = None, *,
                force_worker: bool = False) -> int:
        self.generation += 1
        if not force_worker and not self._running and self.last_ms <= self.budget_ms:
            self._deliver(run_compute(self.generation, scenario, problems, in_worker=False))
        elif self._running:
            self._waiting = (self.generation, scenario, problems)
        else:
            self._start(self.generation, scenario, problems)
        return self.generation

    def _start(self, generation: int, scenario: Scenario, problems: list[Problem] | None) -> None:
        if not self._running:
            self.busyChanged.emit(True)
        self._running = True
        self._pool.start(_Job(self._carrier, generation, scenario, problems))

    def _on_done(self, outcome: Outcome) -> None:
        if self._waiting is not None:
            waiting, self._waiting = self._waiting, None
            self.last_ms = outcome.elapsed_ms
            self.stale_dropped += 1
            self._start(*waiting)
            return
        self._running = False
        self.busyChanged.emit(False)
        self._deliver(outcome)

    def _deliver(self, outcome: Outcome) -> None:
        self.last_ms = outcome.elapsed_ms
        if outcome.generation != self.generation:
            self.stale_dropped += 1
            return
        self.finished.emit(outcome)

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """For tests and the screenshot: block until no worker runs (its result is then queued to this thread)."""
        return self._pool.waitForDone(timeout_ms)
