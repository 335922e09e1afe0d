"""The open document: the current immutable scenario, its file, its undo stack, and its latest results.

Every change goes one way (house style): an undoable command swaps in a new scenario → ``scenarioChanged`` →
recompute → ``resultsChanged`` → every view refreshes. Nothing else writes ``scenario``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from gui.recompute import Outcome, Recomputer
from model.edit import EditRefused, new_errors
from model.problems import Problem
from model.results import Results
from model.scenario import Scenario, blank_scenario
from model.validation import validate


class Document(QObject):
    scenarioChanged = Signal(object)     # Scenario
    resultsChanged = Signal(object)      # Results
    computeFailed = Signal(object)       # tuple[Problem]: the errors that stop the computation
    problemsChanged = Signal(object)     # tuple[Problem]: warnings (and errors) of the scenario on screen
    pathChanged = Signal(str)
    refused = Signal(object)             # EditRefused: an edit that was not made, and why

    def __init__(self, scenario: Scenario | None = None, path: str = "", parent: QObject | None = None,
                 recomputer: Recomputer | None = None, alternatives: tuple[object, ...] = (),
                 untitled: str = "Untitled") -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.recomputer = recomputer or Recomputer(self)
        self.recomputer.finished.connect(self._on_computed)
        self._scenario = scenario or blank_scenario()
        self._validation: list[Problem] = validate(self._scenario)
        self.path = path
        # The workbook's alternative scenarios (diffs from this base), kept so that Save writes them back.
        self.alternatives = alternatives
        self.untitled = untitled     # the title while the scenario has no file ("Default scenario"...)
        self.results: Results | None = None
        self.problems: tuple[Problem, ...] = ()
        self.last_compute_ms = 0.0
        self.recompute_count = 0

    # -- state ------------------------------------------------------------------------------------------------
    @property
    def scenario(self) -> Scenario:
        return self._scenario

    @property
    def validation(self) -> list[Problem]:
        """validate(scenario) of the scenario on screen, kept so each edit validates only its candidate."""
        return self._validation

    @property
    def dirty(self) -> bool:
        return not self.undo_stack.isClean()

    def load(self, scenario: Scenario, path: str = "", alternatives: tuple[object, ...] = (),
             untitled: str = "Untitled") -> None:
        """A new document in place of the old one: no undo history, clean."""
        self.undo_stack.clear()
        self.path = path
        self.alternatives = alternatives
        self.untitled = untitled
        self._swap(scenario, validate(scenario))
        self.undo_stack.setClean()
        self.pathChanged.emit(path)

    def mark_saved(self, path: str) -> None:
        self.path = path
        self.undo_stack.setClean()
        self.pathChanged.emit(path)

    def recompute(self, *, force_worker: bool = False) -> int:
        return self.recomputer.request(self._scenario, self._validation, force_worker=force_worker)

    # -- the one edit path --------------------------------------------------------------------------------------
    def change(self, candidate: Scenario, text: str, where: tuple[str, int, str] = ("", -1, "")) -> bool:
        """Push ``candidate`` as one undoable step, unless it brings an error the scenario did not have."""
        if candidate is self._scenario or candidate.inputs_equal(self._scenario):
            return True
        problems = validate(candidate)
        added = new_errors(self._validation, problems)
        if added:
            first = added[0]
            message = first.message if first.sheet in ("", where[0]) else f"{first.sheet}: {first.message}"
            if len(added) > 1:
                message += f" (and {len(added) - 1} more)"
            self.refuse(EditRefused(where[0], where[1], where[2], message))
            return False
        from gui.commands import ScenarioCommand  # commands import this module

        self.undo_stack.push(ScenarioCommand(self, (self._scenario, self._validation), (candidate, problems), text))
        return True

    def refuse(self, refusal: EditRefused) -> None:
        self.refused.emit(refusal)

    def _swap(self, scenario: Scenario, problems: list[Problem]) -> None:
        """Called by the undo commands (and load): the only place the scenario changes."""
        self._scenario, self._validation = scenario, problems
        self.scenarioChanged.emit(scenario)
        self.recompute()

    def _on_computed(self, outcome: Outcome) -> None:
        self.recompute_count += 1
        self.last_compute_ms = outcome.elapsed_ms
        if outcome.results is None:
            self.results = None
            self.problems = outcome.problems
            self.problemsChanged.emit(self.problems)
            self.computeFailed.emit(outcome.problems)
            return
        self.results = outcome.results
        self.problems = outcome.results.warnings
        self.resultsChanged.emit(outcome.results)
        self.problemsChanged.emit(self.problems)


class Selection(QObject):
    """The company the analyst is looking at ('' for the sector). View state: not part of the document."""

    changed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.company = ""

    def set(self, company: str) -> None:
        if company != self.company:
            self.company = company
            self.changed.emit(company)
