"""The comparison of a book's chosen scenarios, on the GUI thread when it is quick, in a worker when it is not.

``CompareRunner`` is ``gui.recompute.JobRunner`` with a prediction per scenario: a comparison computes every chosen
scenario, so it is expected to take the last comparison's time per scenario times the scenarios asked for. A
comparison that arrives after a newer request is dropped; a scenario that cannot be computed is left out and said
why.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, QThreadPool

from gui.compare.rows import Row, descriptions_of, metric_rows
from gui.recompute import FRAME_BUDGET_MS, JobRunner
from model.core.compare import Comparison, compare
from model.core.compute import compute
from model.core.overrides import BASE, ScenarioBook
from model.core.problems import TemplateError


@dataclass(frozen=True)
class CompareOutcome:
    generation: int
    names: tuple[str, ...]                  # the scenarios asked for
    comparison: Comparison | None           # None when the base itself cannot be computed
    failures: dict[str, str]                # scenario -> why it cannot be computed (left out of the comparison)
    elapsed_ms: float
    in_worker: bool
    rows: list[Row] = field(default_factory=list)   # the table's rows, built with the comparison (in the worker)


def _failure(exc: BaseException) -> str:
    if isinstance(exc, TemplateError):
        errors = [p for p in exc.problems if p.severity == "error"] or list(exc.problems)
        if errors:
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            return errors[0].message + more
        return exc.summary
    return f"the computation failed: {type(exc).__name__}: {exc}"


def run_compare(generation: int, book: ScenarioBook, names: Sequence[str], in_worker: bool) -> CompareOutcome:
    """``compare(book, names)``; a scenario that cannot be computed is left out and said why."""
    start = time.perf_counter()
    names = tuple(names)
    failures: dict[str, str] = {}
    comparison: Comparison | None
    try:
        comparison = compare(book, names)
    except Exception:  # find which scenarios fail, and compare the others
        usable = []
        for name in (BASE,) + tuple(n for n in names if n != BASE):
            try:
                compute(book.scenario(name)[0])
                usable.append(name)
            except Exception as exc:  # a bug in the model must not take the window down with it
                failures[name] = _failure(exc)
        comparison = None
        if BASE in usable:
            try:
                comparison = compare(book, usable)
            except Exception as exc:
                failures[BASE] = _failure(exc)
    # The table's text too: thousands of cells for a large book, better built here than on the GUI thread.
    rows = metric_rows(comparison, descriptions_of(book)) if comparison is not None else []
    return CompareOutcome(generation, names, comparison, failures, (time.perf_counter() - start) * 1000.0, in_worker,
                          rows)


class CompareRunner(JobRunner):
    """``request(book, names)`` → ``finished(CompareOutcome)`` once, for the newest request only.

    Quick comparisons run on the GUI thread; one predicted to take longer than ``budget_ms`` (the last
    comparison's time per scenario × the scenarios asked for) runs in a worker. A pool of its own unless one is
    given: waiting for it does not wait for the document's recompute.
    """

    def __init__(self, parent: QObject | None = None, budget_ms: float = FRAME_BUDGET_MS,
                 pool: QThreadPool | None = None) -> None:
        super().__init__(run_compare, parent, budget_ms, pool)
        self.per_scenario_ms = 0.0      # the last comparison's time per scenario; a hint may seed it

    def predicted_ms(self, book: ScenarioBook, names: Sequence[str]) -> float:
        return self.per_scenario_ms * max(len(names), 1)

    def measure(self, outcome: CompareOutcome) -> None:  # type: ignore[override]
        super().measure(outcome)
        self.per_scenario_ms = outcome.elapsed_ms / max(len(outcome.names), 1)

    def request(self, book: ScenarioBook, names: Sequence[str], *,  # type: ignore[override]
                force_worker: bool = False) -> int:
        return super().request(book, tuple(names), force_worker=force_worker)
