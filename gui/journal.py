"""The window's side of the edit journal: nothing typed is lost to a crash, a kill or a power cut.

Each open document has a journal in the application's data folder (``QStandardPaths.AppDataLocation``/journals,
or ``$BUBBLESCOPE_DATA_DIR``/journals): the book as opened or last saved, then one line per accepted change —
cell edits, pastes, rows, years, companies, scenario operations, undo and redo all reach it, because they all go
through ``Document._swap`` and it tells the journal before any view sees the change. A line is written at once
(the operating system has it when the edit returns, so a killed program loses nothing) and fsynced on a worker
thread within about a second, and when the window loses focus (so a power cut loses at most that second).
The line format and its reading are ``model/io/journal.py``.

A ``QLockFile`` beside each journal tells a crashed owner from a live one: at start, a journal whose lock can be
taken belongs to a program that is gone. Its changes are put back into the document as one undoable step, the
document is marked unsaved, and a bar says so ("Recovered 12 unsaved changes from 14:32 — Keep · Discard"); the
journal carries on as this document's journal, and is deleted only when the analyst discards or saves. A journal
that fails its checksum or comes from another format version is refused with its reason, renamed ``….refused``
and kept; nothing of it is applied.

Save writes the workbook atomically and then retires the journal. When the journal cannot be written (a full
disk, a folder that is read-only…), editing goes on as usual, a bar warns that recovery is off, and the keeper
tries again every few seconds; the next line it writes holds every change since the last one on disk.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QPushButton, QSizePolicy, QToolBar, QWidget

from gui.document import Document, State, state_of
from model.io.journal import (
    SUFFIX,
    JournalRefused,
    JournalWriter,
    Recovered,
    changes_between,
    read_about,
    read_journal,
)

DATA_FOLDER_ENV = "BUBBLESCOPE_DATA_DIR"     # where journals go instead of the user's data folder (tests, CI)
SYNC_DELAY_MS = 1000                         # a written line is fsynced at most this long after
RETRY_MS = 5000                              # a journal that could not be written is tried again this often
REFUSED_SUFFIX = ".refused"


def data_folder() -> Path:
    """``$BUBBLESCOPE_DATA_DIR`` if set, else the application's data folder (QStandardPaths.AppDataLocation)."""
    override = os.environ.get(DATA_FOLDER_ENV)
    if override:
        return Path(override)
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))


def journal_folder() -> Path:
    return data_folder() / "journals"


def same_file(a: str, b: str) -> bool:
    return bool(a) and bool(b) and os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


@dataclass(frozen=True)
class Recovery:
    """A journal put back into the document: what the bar says, and where the journal is."""

    journal: Path
    recovered: Recovered

    @property
    def message(self) -> str:
        n = self.recovered.changes
        text = f"Recovered {n} unsaved change{'s' if n != 1 else ''}"
        when = self.recovered.last_change
        if when is not None:
            stamp = time.localtime(when)
            same_day = time.strftime("%Y%m%d", stamp) == time.strftime("%Y%m%d")
            text += " from " + time.strftime("%H:%M" if same_day else "%d %b %H:%M", stamp)
        if self.recovered.torn:
            text += " (an incomplete last change, never finished, was dropped)"
        return text


def _lock_for(journal: Path) -> QLockFile:
    lock = QLockFile(str(journal) + ".lock")
    lock.setStaleLockTime(0)    # never "stale" by age: a live owner keeps its lock however long it runs
    return lock


def _forget(document: Document, keeper: JournalKeeper) -> None:
    if document.journal is keeper:
        document.journal = None


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return f"{type(exc).__name__}: {exc}"


class JournalKeeper(QObject):
    """Keeps the journal of one document (``Document.journal``), recovers crashed ones, fsyncs, warns."""

    statusChanged = Signal(str)     # why recovery is off ("" when it is on)
    recovered = Signal(object)      # Recovery: a crashed journal was put back into the document
    refused = Signal(str)           # a journal that cannot be used, and why (it is kept)

    def __init__(self, document: Document, folder: str | os.PathLike[str] | None = None,
                 parent: QObject | None = None) -> None:
        super().__init__(parent or document)
        self.document = document
        self.folder = Path(folder) if folder is not None else journal_folder()
        self.problem = ""                           # why recovery is off, shown in the window
        self.recovery: Recovery | None = None       # the recovery the bar offers to keep or discard
        self._writer: JournalWriter | None = None
        self._lock: QLockFile | None = None
        self._saved: State = document.state         # the clean state: the journal's first book
        self._last: State = document.state          # the state the journal on disk ends with
        self._path, self._untitled = document.path, document.untitled
        self._adopting = False
        self.bar: NoticeBar | None = None           # the recovery bar and the warning bar, once attached
        self.warning_bar: NoticeBar | None = None
        self._unsynced = False
        self._retry_at = 0.0
        self._syncer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="journal-fsync")
        self._sync_pending: Future[None] | None = None
        self._sync_timer = QTimer(self)
        self._sync_timer.setSingleShot(True)
        self._sync_timer.setInterval(SYNC_DELAY_MS)
        self._sync_timer.timeout.connect(self.sync)
        self._retry_timer = QTimer(self)
        self._retry_timer.setSingleShot(True)
        self._retry_timer.setInterval(RETRY_MS)
        self._retry_timer.timeout.connect(self._catch_up)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._on_application_state)
            app.focusWindowChanged.connect(self._on_focus_window)
        document.journal = self
        # Gone with its window (the document may outlive it): the document stops calling it.
        self.destroyed.connect(lambda _=None, k=self: _forget(document, k))
        self._open()

    # -- where the journal is ----------------------------------------------------------------------------------------
    @property
    def path(self) -> Path | None:
        """The journal being written, None while recovery is off."""
        return Path(self._writer.path) if self._writer is not None else None

    @property
    def active(self) -> bool:
        return self._writer is not None and not self.problem

    def _new_name(self) -> str:
        stem = Path(self._path).stem if self._path else self._untitled or "untitled"
        stem = re.sub(r"[^\w\- ]+", "_", stem).strip()[:40] or "untitled"
        return f"{stem}-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{uuid.uuid4().hex[:6]}{SUFFIX}"

    def _open(self) -> bool:
        """Start a journal holding the clean state; the current state is appended by the caller's catch-up."""
        path = self.folder / self._new_name()
        lock: QLockFile | None = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            lock = _lock_for(path)
            if not lock.tryLock(0):
                raise OSError(f"cannot create the lock file {path.name}.lock ({lock.error().name})")
            about = {"path": os.path.abspath(self._path) if self._path else "", "untitled": self._untitled,
                     "created": time.time()}
            self._writer = JournalWriter.create(path, about, self._saved.book, self._saved.active)
        except (OSError, TypeError, ValueError) as exc:
            if lock is not None:
                lock.unlock()
            self._failed(exc)
            return False
        self._lock, self._last = lock, self._saved
        return True

    # -- what the document tells -----------------------------------------------------------------------------------
    def started(self, state: State, path: str, untitled: str) -> None:
        """A document was loaded (New, Open, Discard): the old journal goes, a new one starts from this state."""
        self._saved, self._path, self._untitled = state, path, untitled
        if self._adopting:
            return
        self._end_recovery()
        self._retire()
        self._open()
        if path:      # opening a file whose unsaved changes were lost in a crash: bring them back
            QTimer.singleShot(0, self, lambda: self.recover(path))

    def swapped(self, state: State) -> None:
        """The document's state changed: one line on disk before the views see it. Never raises."""
        if self._adopting:
            return
        try:
            if self._writer is None and (time.monotonic() < self._retry_at or not self._open()):
                return
            changes = changes_between(self._last.book, self._last.active, state.book, state.active)
            if changes:
                self._writer.append(changes, time.time())       # type: ignore[union-attr]
                self._last = state
                self._unsynced = True
                if not self._sync_timer.isActive():
                    self._sync_timer.start()
            if self.problem:          # the journal on disk ends with the state on screen: recovery is on
                self._set_problem("")
        except Exception as exc:  # noqa: BLE001 - the edit is made whatever happens to its journal line
            with contextlib.suppress(Exception):
                self._failed(exc)

    def saved(self, state: State, path: str) -> None:
        """The workbook was written (atomically, fsynced): its journal is no longer needed."""
        self._saved, self._path = state, path
        self._end_recovery()
        self._retire()
        self._open()

    # -- durability --------------------------------------------------------------------------------------------------
    def sync(self) -> None:
        """fsync what was written, on a worker thread (a slow disk never stalls the window)."""
        self._sync_timer.stop()
        self._check_sync()
        if self._writer is None or not self._unsynced:
            return
        self._unsynced = False
        self._sync_pending = self._syncer.submit(self._writer.sync)

    def wait_synced(self) -> None:
        """Wait for the fsync in flight (tests; closing)."""
        if self._sync_pending is not None:
            with contextlib.suppress(Exception):
                self._sync_pending.result()
        self._check_sync()

    def _check_sync(self) -> None:
        pending = self._sync_pending
        if pending is not None and pending.done():
            self._sync_pending = None
            error = pending.exception()
            if error is not None:
                self._failed(error)

    def _on_application_state(self, state: Qt.ApplicationState) -> None:
        if state != Qt.ApplicationState.ApplicationActive:
            self.sync()

    def _on_focus_window(self, _window: object) -> None:
        self.sync()

    # -- failures ----------------------------------------------------------------------------------------------------
    def _failed(self, exc: BaseException) -> None:
        self._retry_at = time.monotonic() + RETRY_MS / 1000
        if not self._retry_timer.isActive():
            self._retry_timer.start()
        self._set_problem(f"Recovery is off: the edit journal cannot be written in {self.folder} ({_reason(exc)}). "
                          "Editing works as usual, but a crash would lose the changes since: save your work.")

    def _catch_up(self) -> None:
        self._retry_at = 0.0
        self.swapped(self.document.state)

    def _set_problem(self, text: str) -> None:
        if text != self.problem:
            self.problem = text
            self.statusChanged.emit(text)

    # -- ending ------------------------------------------------------------------------------------------------------
    def _retire(self) -> None:
        """Delete the journal: its changes are saved, or the analyst chose to drop them."""
        writer, lock = self._writer, self._lock
        self._writer, self._lock, self._unsynced = None, None, False
        self.wait_synced()
        if writer is not None:
            writer.close()
            with contextlib.suppress(OSError):
                os.unlink(writer.path)
        if lock is not None:
            lock.unlock()

    def close(self) -> None:
        """The window closed after Save or Discard: nothing is left to recover."""
        self._retry_timer.stop()
        self._sync_timer.stop()
        self._retire()
        self._syncer.shutdown(wait=True)
        if self.document.journal is self:
            self.document.journal = None

    # -- recovery ----------------------------------------------------------------------------------------------------
    def orphans(self) -> list[tuple[Path, QLockFile]]:
        """Journals whose owner is gone (their lock could be taken: the caller holds it now), newest first."""
        own = self.path
        found = []
        try:
            candidates = sorted(self.folder.glob("*" + SUFFIX), key=lambda p: p.stat().st_mtime, reverse=True)
        except OSError:
            return []
        for journal in candidates:
            if own is not None and journal == own:
                continue
            lock = _lock_for(journal)
            if lock.tryLock(0):
                found.append((journal, lock))
        return found

    def recover(self, path: str | None = None) -> bool:
        """Put back the changes of a crashed journal: the one of ``path`` (any, newest first, when None).

        Never over unsaved work. Journals that cannot be used are refused (and kept); empty ones, left by a program
        stopped while it created them, hold nothing typed and are deleted."""
        if self.document.dirty:
            return False
        chosen: tuple[Path, QLockFile, Recovered] | None = None
        for journal, held in self.orphans():
            lock: QLockFile | None = held
            try:
                if chosen is not None:
                    continue
                about = read_about(journal)
                if about is None:
                    self._delete(journal)
                    continue
                if path is not None and not same_file(str(about.get("path", "")), path):
                    continue
                recovered = read_journal(journal)
                if recovered is None or recovered.changes == 0:
                    self._delete(journal)
                    continue
                chosen = (journal, held, recovered)
                lock = None    # kept: the journal becomes this document's
            except JournalRefused as refusal:
                self._refuse(journal, refusal.reason)
            except OSError as exc:
                self._refuse(journal, _reason(exc), rename=False)
            finally:
                if lock is not None:
                    lock.unlock()
        if chosen is None:
            return False
        self._adopt(*chosen)
        return True

    def _adopt(self, journal: Path, lock: QLockFile, recovered: Recovered) -> None:
        self._retire()
        self._adopting = True
        try:
            self.document.load(recovered.saved, recovered.path, recovered.untitled or "Recovered scenario")
        finally:
            self._adopting = False
        after = state_of(recovered.book, recovered.active)
        try:
            self._writer, self._lock = JournalWriter.resume(journal, recovered), lock
            self._last = after
        except OSError:       # cannot append to it: keep it as it is, and journal the recovered state anew
            lock.unlock()
            self._open()
        n = recovered.changes
        self.document.push(after, f"Recover {n} unsaved change{'s' if n != 1 else ''}")
        self.recovery = Recovery(journal, recovered)
        self.recovered.emit(self.recovery)

    def _end_recovery(self) -> None:
        """Saved, or another document loaded: the recovery bar has nothing left to offer."""
        self.recovery = None
        if self.bar is not None:
            self.bar.hide()

    def keep(self) -> None:
        """The analyst keeps the recovered changes: they stay unsaved, and the journal keeps protecting them."""
        self.recovery = None

    def discard(self) -> None:
        """The analyst drops the recovered changes: the document as last saved, and the journal deleted."""
        recovery, self.recovery = self.recovery, None
        if recovery is not None:
            rec = recovery.recovered
            self.document.load(rec.saved, rec.path, rec.untitled or "Recovered scenario")

    def _delete(self, journal: Path) -> None:
        with contextlib.suppress(OSError):
            journal.unlink()

    def _refuse(self, journal: Path, reason: str, rename: bool = True) -> None:
        kept = journal
        if rename:
            kept = journal.with_name(journal.name + REFUSED_SUFFIX)
            try:
                journal.rename(kept)
            except OSError:
                kept = journal
        self.refused.emit(f"A recovery journal could not be used: {reason}. It is kept as {kept}.")

    # -- the window --------------------------------------------------------------------------------------------------
    def attach(self, window: QMainWindow) -> None:
        """Show what the journal has to say in ``window``: bars under the toolbar, never a modal dialog."""
        bar = self.bar = NoticeBar(window)
        warning_bar = self.warning_bar = NoticeBar(window)
        self.recovered.connect(lambda recovery: bar.show_notice(
            recovery.message, [("Keep", "Keep the recovered changes (they stay unsaved until you save)", self.keep),
                               ("Discard", "Go back to the scenario as last saved: the recovered changes (and any made since) are dropped",
                                self.discard)]))
        self.refused.connect(lambda text: warning_bar.show_notice(text, [("Dismiss", "", None)]))
        self.statusChanged.connect(self._show_status)
        if self.problem:
            self._show_status(self.problem)

    def _show_status(self, text: str) -> None:
        if self.warning_bar is None:
            return
        if text:
            self.warning_bar.show_notice(text, [("Dismiss", "Hide this warning (recovery stays off until the "
                                                            "journal can be written)", None)])
        elif self.warning_bar.text.startswith("Recovery is off"):
            self.warning_bar.hide()
            window = self.warning_bar.parent()
            if isinstance(window, QMainWindow):
                window.statusBar().showMessage("Recovery is on again: the edit journal is written", 8000)


class NoticeBar(QToolBar):
    """A non-modal message under the main toolbar with a few buttons; each button hides the bar."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__("Notice", window)
        self.setObjectName(f"notice-bar-{id(self)}")
        self.setMovable(False)
        self.setFloatable(False)
        self.toggleViewAction().setVisible(False)
        self.setStyleSheet("QToolBar { background: palette(tooltip-base); border: none; padding: 2px 6px; }"
                           "QLabel { color: palette(tooltip-text); }")
        self.text = ""
        self.label = QLabel()
        self.buttons: dict[str, QWidget] = {}
        window.addToolBarBreak(Qt.ToolBarArea.TopToolBarArea)
        window.addToolBar(Qt.ToolBarArea.TopToolBarArea, self)
        self.hide()

    def show_notice(self, text: str, buttons: list[tuple[str, str, object]]) -> None:
        self.clear()
        self.text = text
        # One widget that takes the bar's width: the text on one line (elided by the window's width, whole in
        # its tooltip), the buttons at the right.
        box = QWidget()
        box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = QHBoxLayout(box)
        layout.setContentsMargins(4, 0, 0, 0)
        self.label = QLabel(text)
        self.label.setToolTip(text)
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.label, 1)
        self.buttons = {}
        for title, tip, slot in buttons:
            button = QPushButton(title)
            button.setToolTip(tip or title)
            if callable(slot):
                button.clicked.connect(slot)
            button.clicked.connect(self.hide)
            layout.addWidget(button)
            self.buttons[title] = button
        self.addWidget(box)
        self.show()
