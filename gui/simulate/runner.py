"""One simulation at a time in a worker thread, with progress and Cancel. The book it runs on is immutable, so the
worker reads it safely; nothing it does touches the document (Cancel leaves it exactly as it was)."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from model.core.overrides import ScenarioBook
from model.core.problems import TemplateError
from model.simulate.run import Cancelled, simulate

# Batches of a few tens of ms: progress moves often and Cancel answers within one batch, at little cost to speed
# (the figures do not depend on it).
GUI_BATCH = 500


class _Carrier(QObject):
    """Lives in the GUI thread: the worker emits through it, so the slots run queued on the GUI thread."""

    progress = Signal(int, int)
    done = Signal(object)


class _Job(QRunnable):
    def __init__(self, carrier: _Carrier, stop: threading.Event, book: ScenarioBook, scenario: str, paths: int,
                 seed: int, dask: str) -> None:
        super().__init__()
        self.carrier, self.stop, self.args = carrier, stop, (book, scenario, paths, seed)
        self.dask = dask

    def run(self) -> None:
        book, scenario, paths, seed = self.args
        runner: Any = None

        def progress(done: int, total: int) -> bool:
            self.carrier.progress.emit(done, total)
            return not self.stop.is_set()

        outcome: Any
        try:
            if self.dask:       # the cluster's figures equal a local run's (model.simulate.cluster)
                from model.simulate.cluster import DaskRunner

                runner = DaskRunner(self.dask)
            outcome = simulate(book, (scenario,), paths=paths, seed=seed, batch_size=GUI_BATCH, progress=progress,
                               runner=runner)
        except Cancelled:
            outcome = Cancelled()
        except TemplateError as exc:
            outcome = exc
        except Exception as exc:  # a message in the tab, never a crash
            outcome = RuntimeError(f"{type(exc).__name__}: {exc}")
        finally:
            if runner is not None:
                runner.close()
        self.carrier.done.emit(outcome)


class SimulationRunner(QObject):
    progress = Signal(int, int)          # batches done, batches in all
    finished = Signal(object)            # model.simulate.run.Simulation
    failed = Signal(object)              # TemplateError or RuntimeError: what to tell the analyst
    cancelled = Signal()
    busyChanged = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._carrier = _Carrier(self)
        self._carrier.progress.connect(self.progress)
        self._carrier.done.connect(self._on_done)
        self._stop = threading.Event()
        self.busy = False

    def start(self, book: ScenarioBook, scenario: str, paths: int, seed: int, dask: str = "") -> bool:
        """Simulate ``scenario`` of ``book``; ``dask``: a dask.distributed scheduler's address, or local."""
        if self.busy:
            return False
        self._stop = threading.Event()
        self.busy = True
        self.busyChanged.emit(True)
        self.pool.start(_Job(self._carrier, self._stop, book, scenario, paths, seed, dask.strip()))
        return True

    def cancel(self) -> None:
        self._stop.set()

    def wait_idle(self, timeout_ms: int = 60_000) -> bool:
        return bool(self.pool.waitForDone(timeout_ms))

    def _on_done(self, outcome: object) -> None:
        self.busy = False
        self.busyChanged.emit(False)
        if isinstance(outcome, Cancelled):
            self.cancelled.emit()
        elif isinstance(outcome, Exception):
            self.failed.emit(outcome)
        else:
            self.finished.emit(outcome)
