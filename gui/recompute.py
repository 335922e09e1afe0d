"""Run a pure function on the GUI thread when it is quick, in a worker when it is not; never show a stale result.

``JobRunner`` does it for any pure function of immutable arguments (running it in another thread is then safe).
Every request gets a generation number; a result that arrives after a newer request was made is stale and dropped,
so the views only ever show the results of what is on screen. At most one worker runs: while it does, only the
newest waiting request is kept (intermediate scenarios of a fast typist are never computed at all).

``Recomputer`` recomputes the document's scenario with it; the compare view compares a book's scenarios with it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal

from model.core.compute import compute
from model.core.problems import Problem, TemplateError
from model.core.results import Results
from model.core.scenario import Scenario

# A frame at 60 Hz is 16.7 ms; leave room for the views' own repaint.
FRAME_BUDGET_MS = 12.0


class Timed(Protocol):
    """What a job returns: the generation it was asked for, and how long it took."""

    @property
    def generation(self) -> int: ...

    @property
    def elapsed_ms(self) -> float: ...


# work(generation, *args, in_worker=...) -> its outcome (a Timed)
Work = Callable[..., Any]


class _Carrier(QObject):
    """Lives in the GUI thread; the worker emits through it, so the slot runs queued on the GUI thread."""

    done = Signal(object)


@dataclass(frozen=True)
class JobFailed:
    """What a job that raised hands back instead of its outcome: the runner is free again, and says why."""

    generation: int
    message: str
    elapsed_ms: float
    in_worker: bool


def _run_safely(work: Work, generation: int, args: tuple[Any, ...], in_worker: bool) -> Any:
    """``work``'s outcome, or a ``JobFailed`` when it raises: a job always ends with something to deliver."""
    start = time.perf_counter()
    try:
        return work(generation, *args, in_worker=in_worker)
    except Exception as exc:  # a bug in the job must not leave the runner busy forever
        return JobFailed(generation, f"{type(exc).__name__}: {exc}", (time.perf_counter() - start) * 1000.0,
                         in_worker)


class _Job(QRunnable):
    def __init__(self, carrier: _Carrier, work: Work, generation: int, args: tuple[Any, ...]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._carrier, self._work, self._generation, self._args = carrier, work, generation, args

    def run(self) -> None:
        self._carrier.done.emit(_run_safely(self._work, self._generation, self._args, True))


class JobRunner(QObject):
    """``request(*args)`` → ``finished(outcome)`` once, for the newest request only; ``errored(JobFailed)``
    instead when that job raised (the runner takes requests again either way).

    ``work(generation, *args, in_worker=...)`` runs on the GUI thread when it is predicted to take at most
    ``budget_ms`` (by default: as long as the last run took), else in a worker of ``pool`` (a pool of its own when
    none is given: waiting for it does not wait for anyone else's jobs).
    """

    finished = Signal(object)
    errored = Signal(object)             # JobFailed: the newest request's job raised
    busyChanged = Signal(bool)           # a worker started (True) or the last one finished (False)

    def __init__(self, work: Work, parent: QObject | None = None, budget_ms: float = FRAME_BUDGET_MS,
                 pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self.budget_ms = budget_ms
        self.last_ms = 0.0
        self.generation = 0
        self.stale_dropped = 0
        self._work = work
        self._pool = pool or QThreadPool(self)
        self._carrier = _Carrier(self)
        self._carrier.done.connect(self._on_done)
        self._running = False
        self._waiting: tuple[int, tuple[Any, ...]] | None = None

    @property
    def busy(self) -> bool:
        return self._running

    def predicted_ms(self, *args: Any) -> float:
        """How long ``work`` is expected to take on ``args``."""
        return self.last_ms

    def measure(self, outcome: Timed) -> None:
        """Learn from a run's time (every run, stale or not)."""
        self.last_ms = outcome.elapsed_ms

    def request(self, *args: Any, force_worker: bool = False) -> int:
        self.generation += 1
        if not force_worker and not self._running and self.predicted_ms(*args) <= self.budget_ms:
            self._deliver(_run_safely(self._work, self.generation, args, False))
        elif self._running:
            self._waiting = (self.generation, args)
        else:
            self._start(self.generation, args)
        return self.generation

    def _start(self, generation: int, args: tuple[Any, ...]) -> None:
        if not self._running:
            self.busyChanged.emit(True)
        self._running = True
        self._pool.start(_Job(self._carrier, self._work, generation, args))

    def _on_done(self, outcome: Timed) -> None:
        if self._waiting is not None:
            waiting, self._waiting = self._waiting, None
            if not isinstance(outcome, JobFailed):
                self.measure(outcome)
            self.stale_dropped += 1
            self._start(*waiting)
            return
        self._running = False
        self.busyChanged.emit(False)
        self._deliver(outcome)

    def _deliver(self, outcome: Timed) -> None:
        if isinstance(outcome, JobFailed):
            if outcome.generation == self.generation:
                self.errored.emit(outcome)
            else:
                self.stale_dropped += 1
            return
        self.measure(outcome)
        if outcome.generation != self.generation:
            self.stale_dropped += 1
            return
        self.finished.emit(outcome)

    def wait_idle(self, timeout_ms: int = 30_000) -> bool:
        """For tests and the screenshot: block until no worker runs (its result is then queued to this thread)."""
        return self._pool.waitForDone(timeout_ms)

    def wait_delivered(self, timeout_ms: int = 30_000) -> bool:
        """Block until no worker runs and its result has been delivered (``finished`` emitted, or dropped)."""
        deadline = time.monotonic() + timeout_ms / 1000.0
        while True:
            remaining = int((deadline - time.monotonic()) * 1000)
            if remaining <= 0 or not self._pool.waitForDone(remaining):
                return False
            QCoreApplication.sendPostedEvents()      # the worker's result, queued to this thread
            if not self._running:
                return True


# -- the document's scenario -------------------------------------------------------------------------------------------

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


class Recomputer(JobRunner):
    """``request(scenario)`` → ``finished(Outcome)`` once, for the newest request only; in a worker of the global
    pool when the last compute took longer than ``budget_ms``."""

    def __init__(self, parent: QObject | None = None, budget_ms: float = FRAME_BUDGET_MS,
                 pool: QThreadPool | None = None) -> None:
        super().__init__(run_compute, parent, budget_ms, pool or QThreadPool.globalInstance())

    def request(self, scenario: Scenario, problems: list[Problem] | None = None, *,  # type: ignore[override]
                force_worker: bool = False) -> int:
        return super().request(scenario, problems, force_worker=force_worker)
