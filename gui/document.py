"""The open document: a scenario book (the base and its alternatives), the scenario on screen, the file, the
undo stack and the latest results.

Every change goes one way (house style): an undoable command swaps in a new immutable ``State`` → the signals →
recompute → ``resultsChanged`` → every view refreshes. Nothing else writes the state. While an alternative is on
screen, an edit becomes overrides of the base (``model.core.scenario_edit``); scenario operations (new, duplicate,
rename, delete) are undoable commands too. Switching scenarios is a view change, not an edit: undoing an edit
made in another scenario switches back to it, so the undone change is always in view.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from gui.recompute import JobFailed, Outcome, Recomputer
from model.core.edit import EditRefused, cell_name, new_errors
from model.core.overrides import BASE, Alternative, ScenarioBook
from model.core.problems import Problem
from model.core.results import Results
from model.core.scenario import Scenario, blank_scenario
from model.core.scenario_edit import as_overrides
from model.core.validation import validate


@dataclass(frozen=True)
class State:
    """What an undo step restores: the book, which scenario is on screen, and that scenario as computed."""

    book: ScenarioBook
    active: str
    scenario: Scenario                 # the base, or the base with the active alternative's overrides applied
    validation: list[Problem]          # validate(scenario)
    dangling: tuple[Problem, ...]      # overrides of the active alternative that no longer fit the base


def state_of(book: ScenarioBook, active: str = BASE, scenario: Scenario | None = None,
             validation: list[Problem] | None = None) -> State:
    """The state showing ``active``; ``scenario``/``validation`` when the caller has them already (the base)."""
    if active not in book.names:
        active = BASE
    dangling: list[Problem] = []
    if scenario is None:
        scenario, dangling = book.scenario(active)     # warnings: computed without them, kept until fixed
    return State(book, active, scenario, validate(scenario) if validation is None else validation, tuple(dangling))


class Journal(Protocol):
    """What the document tells its edit journal (``gui.journal.JournalKeeper``). None of these may raise."""

    def started(self, state: State, path: str, untitled: str) -> None: ...   # a document loaded: a new journal
    def swapped(self, state: State) -> None: ...                             # the state changed: journal it
    def saved(self, state: State, path: str) -> None: ...                    # written to path: retire it


class Document(QObject):
    scenarioChanged = Signal(object)     # Scenario: the scenario on screen
    bookChanged = Signal(object)         # ScenarioBook: the base or an alternative changed, or the list did
    activeChanged = Signal(str)          # the name of the scenario on screen
    resultsChanged = Signal(object)      # Results
    computeFailed = Signal(object)       # tuple[Problem]: the errors that stop the computation
    problemsChanged = Signal(object)     # tuple[Problem]: warnings (and errors) of the scenario on screen
    pathChanged = Signal(str)
    refused = Signal(object)             # EditRefused: an edit that was not made, and why
    failed = Signal(str)                 # an undo step that raised while the views took it in, rolled back

    def __init__(self, source: Scenario | ScenarioBook | None = None, path: str = "",
                 parent: QObject | None = None, recomputer: Recomputer | None = None,
                 untitled: str = "Untitled") -> None:
        super().__init__(parent)
        self.undo_stack = QUndoStack(self)
        self.recomputer = recomputer or Recomputer(self)
        self.recomputer.finished.connect(self._on_computed)
        self.recomputer.errored.connect(self._on_compute_errored)
        self._state = state_of(_as_book(source))
        self.path = path
        self.untitled = untitled     # the title while the scenario has no file ("Default scenario"...)
        self.results: Results | None = None
        self.problems: tuple[Problem, ...] = ()
        self.last_compute_ms = 0.0
        self.recompute_count = 0
        self.journal: Journal | None = None     # set by gui.journal.JournalKeeper: every state goes to disk

    # -- state ------------------------------------------------------------------------------------------------
    @property
    def state(self) -> State:
        return self._state

    @property
    def book(self) -> ScenarioBook:
        return self._state.book

    @property
    def active(self) -> str:
        """The name of the scenario on screen: ``Base`` or an alternative's."""
        return self._state.active

    @property
    def alternative(self) -> Alternative | None:
        """The alternative on screen, None for the base."""
        return None if self.active == BASE else self.book.alternative(self.active)

    @property
    def scenario(self) -> Scenario:
        return self._state.scenario

    @property
    def validation(self) -> list[Problem]:
        """validate(scenario) of the scenario on screen, kept so each edit validates only its candidate."""
        return self._state.validation

    @property
    def dirty(self) -> bool:
        return not self.undo_stack.isClean()

    def load(self, source: Scenario | ScenarioBook, path: str = "", untitled: str = "Untitled") -> None:
        """A new document in place of the old one: the base on screen, no undo history, clean."""
        self.undo_stack.clear()
        self.path = path
        self.untitled = untitled
        state = state_of(_as_book(source))
        if self.journal is not None:
            self.journal.started(state, path, untitled)
        self._swap(state)
        self.undo_stack.setClean()
        self.pathChanged.emit(path)

    def mark_saved(self, path: str) -> None:
        self.path = path
        self.undo_stack.setClean()
        if self.journal is not None:         # the workbook is on disk (atomically): the journal can go
            self.journal.saved(self._state, path)
        self.pathChanged.emit(path)

    def recompute(self, *, force_worker: bool = False) -> int:
        return self.recomputer.request(self.scenario, self.validation, force_worker=force_worker)

    def switch(self, name: str) -> None:
        """Show scenario ``name`` (not an edit: nothing to undo, nothing to save)."""
        if name != self.active and name in self.book.names:
            self._swap(state_of(self.book, name))

    # -- the one edit path --------------------------------------------------------------------------------------
    def change(self, candidate: Scenario, text: str, where: tuple[str, int, str] = ("", -1, "")) -> bool:
        """Push ``candidate`` (the scenario on screen, edited) as one undoable step, unless it brings an error the
        scenario did not have. On an alternative, the edit becomes its overrides."""
        if candidate is self.scenario or candidate.inputs_equal(self.scenario):
            return True
        state = self._state
        if state.active == BASE:
            after = state_of(state.book.with_base(candidate), BASE, candidate, validate(candidate))
        else:
            try:
                alt = as_overrides(state.book.base, self.book.alternative(state.active), state.scenario, candidate)
            except EditRefused as refusal:
                self.refuse(refusal)
                return False
            after = state_of(state.book.with_alternative(alt), state.active)
        added = new_errors(state.validation, after.validation)
        if added:
            first = added[0]
            message = first.message if first.sheet in ("", where[0]) else f"{first.sheet}: {first.message}"
            if first.expected:
                message += f" (expected {first.expected})"
            if len(added) > 1:
                message += f" (and {len(added) - 1} more)"
            sheet, row, key = where
            table = self.scenario.table(sheet) if sheet in Scenario._ATTR else None
            if table is not None and key in table.keys and 0 <= row < len(table):
                message = f"{cell_name(table, row, key)}: {message}"      # the company and the year, not "row 1"
            self.refuse(EditRefused(where[0], where[1], where[2], message))
            return False
        self.push(after, text)
        return True

    def change_book(self, book: ScenarioBook, text: str, active: str | None = None) -> None:
        """A scenario operation (new, duplicate, rename, delete, reset to base) as one undoable step."""
        self.push(state_of(book, self.active if active is None else active), text)

    def push(self, after: State, text: str) -> None:
        self.undo_stack.push(StateCommand(self, self._state, after, text))

    def refuse(self, refusal: EditRefused) -> None:
        self.refused.emit(refusal)

    def _swap(self, state: State) -> None:
        """Called by the undo commands, load and switch: the only place the state changes."""
        before, self._state = self._state, state
        if self.journal is not None:         # on disk before any view sees it: a crash from here on loses nothing
            self.journal.swapped(state)
        if state.book is not before.book:
            self.bookChanged.emit(state.book)
        if state.active != before.active:
            self.activeChanged.emit(state.active)
        self.scenarioChanged.emit(state.scenario)
        self.recompute()

    def _on_compute_errored(self, failure: JobFailed) -> None:
        problem = Problem("error", f"the computation failed: {failure.message}")
        self._on_computed(Outcome(failure.generation, None, (problem,), failure.elapsed_ms, failure.in_worker))

    def _on_computed(self, outcome: Outcome) -> None:
        self.recompute_count += 1
        self.last_compute_ms = outcome.elapsed_ms
        dangling = self._state.dangling
        if outcome.results is None:
            self.results = None
            self.problems = outcome.problems + dangling
            self.problemsChanged.emit(self.problems)
            self.computeFailed.emit(outcome.problems)
            return
        self.results = outcome.results
        self.problems = outcome.results.warnings + dangling
        self.resultsChanged.emit(outcome.results)
        self.problemsChanged.emit(self.problems)


class StateCommand(QUndoCommand):
    """One undo step: swaps a whole immutable ``State`` in (redo) or back (undo).

    A swap notifies every view. If one of them raises, the step did not go through: the document goes back to the
    state it had, the command is marked obsolete (the undo stack then drops it instead of believing in a
    half-applied change), and the error goes to ``Document.failed`` — never back into QUndoStack's C++.
    """

    def __init__(self, document: Document, before: State, after: State, text: str) -> None:
        super().__init__(text)
        self._document, self._before, self._after = document, before, after

    def redo(self) -> None:
        self._apply(self._after, self._before)

    def undo(self) -> None:
        self._apply(self._before, self._after)

    def _apply(self, target: State, current: State) -> None:
        try:
            self._document._swap(target)
        except Exception as exc:
            self.setObsolete(True)
            with contextlib.suppress(Exception):  # the views cannot show the old state either: report the first
                self._document._swap(current)
            self._document.failed.emit(f"{self.text()} did not go through: {type(exc).__name__}: {exc}")


def _as_book(source: Scenario | ScenarioBook | None) -> ScenarioBook:
    if isinstance(source, ScenarioBook):
        return source
    return ScenarioBook(source or blank_scenario())


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
