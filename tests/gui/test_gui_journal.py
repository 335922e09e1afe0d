"""The edit journal in the window (gui/journal.py): nothing typed is lost.

The crash test runs the real app in subprocesses (tests/gui/journal_driver.py), edits through the window, SIGKILLs
it at random moments, restarts it and checks the recovered book against an independent mirror of the same edits
(gui.commands on a Document in this process): every acknowledged edit comes back. Then: two windows on one file, a
full disk, an unwritable data folder, save, Keep and Discard, a refused journal, fsync on focus loss.
"""

from __future__ import annotations

import errno
import json
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from journal_driver import fingerprint
from PySide6.QtCore import QLockFile, Qt
from PySide6.QtWidgets import QApplication, QFileDialog

from gui import commands
from gui.document import Document, state_of
from gui.files import read_workbook
from gui.journal import DATA_FOLDER_ENV, JournalKeeper
from gui.main_window import MainWindow
from model.core.edit import CellInput
from model.core.overrides import BASE, ScenarioBook
from model.io.journal import JournalWriter, changes_between, read_journal
from model.io.templates import DEFAULT_TEMPLATE

DRIVER = Path(__file__).with_name("journal_driver.py")
# Wall-clock budget of the random-kill loop (each iteration starts the app once). CI: the default; longer locally:
# BUBBLESCOPE_CRASH_SECONDS=600.
CRASH_SECONDS = float(os.environ.get("BUBBLESCOPE_CRASH_SECONDS", "40"))
START_TIMEOUT = 90.0


# -- the subprocess and its mirror -------------------------------------------------------------------------------
class Child:
    """The app run by the driver; its stdout lines arrive in a queue (a thread reads them)."""

    running: list[Child] = []

    def __init__(self, workbook: Path, seed: int, data: Path, edits: int | None = None) -> None:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", DATA_FOLDER_ENV: str(data), "PYTHONUNBUFFERED": "1"}
        args = [sys.executable, str(DRIVER), str(workbook), str(seed)] + ([str(edits)] if edits is not None else [])
        self.log = open(data.parent / f"child-{seed}.log", "w")  # noqa: SIM115 - closed in kill()
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log, text=True, env=env)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        Child.running.append(self)

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            if line.endswith("\n"):       # a line cut short by the kill was never printed: the edit is not acked
                self.lines.put(line[:-1])
        self.lines.put(None)

    def wait_for(self, word: str, timeout: float = START_TIMEOUT) -> list[str]:
        """Lines up to and including the first that starts with ``word``."""
        seen = []
        deadline = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            assert line is not None, f"the app ended before {word}: {seen[-3:]}"
            seen.append(line)
            if line.startswith(word):
                return seen

    def kill(self) -> list[str]:
        """SIGKILL; every line it printed before."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        if self in Child.running:
            Child.running.remove(self)
        self.reader.join(timeout=30)
        assert self.proc.stdout is not None
        self.proc.stdout.close()
        self.log.close()
        rest = []
        while True:
            line = self.lines.get_nowait() if not self.lines.empty() else None
            if line is None:
                return rest
            rest.append(line)


class Mirror:
    """The same edits made with gui.commands on a Document of this process: what the child's book must be."""

    def __init__(self, book: ScenarioBook, path: str) -> None:
        self.original, self.path = book, path
        self.document = Document(book, path)
        self.after: dict[int, tuple[str, str, ScenarioBook]] = {}
        self._mark(0)

    def _mark(self, n: int) -> None:
        doc = self.document
        self.after[n] = (fingerprint(doc.book), doc.active, doc.book)

    def restart(self, book: ScenarioBook, active: str, recovered: int) -> None:
        """As the app starts: the file's book, then the recovered changes as one undoable step."""
        self.document.load(self.original, self.path)
        if recovered:
            self.document.push(state_of(book, active), "Recover")
        self.after = {}
        self._mark(0)

    def apply(self, n: int, op: dict) -> None:
        doc, kind = self.document, op["op"]
        if kind in ("cell", "paste"):
            commands.edit_cells(doc, op["sheet"], [CellInput(r, k, t) for r, k, t in op["cells"]])
        elif kind == "add_row":
            commands.insert_rows(doc, op["sheet"], op["at"], 1)
        elif kind == "remove_row":
            commands.remove_rows(doc, op["sheet"], [op["row"]])
        elif kind == "add_year":
            commands.add_year(doc, op["sheet"], op["year"])
        elif kind == "new_scenario":
            commands.new_scenario(doc)
        elif kind == "switch":
            doc.switch(op["name"])
        elif kind == "delete_scenario":
            commands.delete_scenario(doc, op["name"])
        elif kind == "undo":
            doc.undo_stack.undo()
        elif kind == "redo":
            doc.undo_stack.redo()
        self._mark(n)

    def follow(self, lines: list[str]) -> tuple[int, int]:
        """Mirror every OP line, check every ACK against the mirror; (last acknowledged, last begun) edit."""
        acked = begun = 0
        for line in lines:
            word, _, rest = line.partition(" ")
            if word == "OP":
                n, op = rest.split(" ", 1)
                begun = int(n)
                self.apply(begun, json.loads(op))
            elif word == "ACK":
                n, fp, active = rest.split(" ", 2)
                acked = int(n)
                assert (fp, json.loads(active)) == self.after[acked][:2], f"edit {n}: the window and the commands differ"
        return acked, begun


@pytest.fixture(autouse=True)
def no_child_left():
    """A test that fails before killing its app kills it here: a driver left running edits forever."""
    yield
    for child in list(Child.running):
        child.kill()


@pytest.fixture
def workbook(tmp_path) -> Path:
    path = tmp_path / "ai build-out.xlsx"
    shutil.copy(DEFAULT_TEMPLATE, path)
    return path


@pytest.fixture
def data(tmp_path) -> Path:
    return tmp_path / "data"


def started(child: Child) -> tuple[str, str, int, list[str]]:
    lines = child.wait_for("START")
    _, fp, changes, active = lines[-1].split(" ", 3)
    return fp, json.loads(active), int(changes), lines[:-1]


# -- the crash test ----------------------------------------------------------------------------------------------
def test_killed_at_random_moments_the_app_loses_no_acknowledged_edit(qapp, workbook, data, record_property):
    rng = random.Random(20261205)
    mirror = Mirror(read_workbook(workbook), str(workbook))
    allowed = [mirror.after[0]]     # what the next start may show: the last acknowledged state, or the one in flight
    iterations = acknowledged = in_flight = recovered_total = during_start = 0
    deadline = time.monotonic() + CRASH_SECONDS
    while True:
        last = time.monotonic() >= deadline and iterations >= 5
        child = Child(workbook, rng.randrange(10**9), data)
        if not last and rng.random() < 0.15:       # now and then, in the middle of starting up and recovering
            time.sleep(rng.uniform(0.2, 2.0))
            lines = child.kill()
            if not any(line.startswith("START") for line in lines):
                during_start += 1
                iterations += 1
                continue
            before_start = [line for line in lines if line.startswith("START")]
            lines = lines[lines.index(before_start[0]):]
            _, fp, count, text = lines.pop(0).split(" ", 3)
            active, changes = json.loads(text), int(count)
        else:
            fp, active, changes, _ = started(child)
            lines = None
        # The book must be one of them; the scenario on screen too, when changes were recovered (a journal of
        # switches alone holds nothing typed: the app starts on the base).
        matches = [state for state in allowed if state[0] == fp and (not changes or state[1] == active)]
        assert matches, (f"iteration {iterations}: the app started with {fp} on {active!r} ({changes} changes "
                         f"recovered); expected one of {[state[:2] for state in allowed]}")
        recovered_total += changes > 0
        book = matches[0][2]
        mirror.restart(book, active, changes)
        if last:
            child.kill()
            break
        if lines is None:
            # A random moment of a run of edits: after a random number of them (counted as they arrive, so that a
            # slow machine gets as far), then a few milliseconds more — before, during or after the next one.
            lines = []
            for _ in range(rng.choice([0, 1, 2, 3, 5, 8, 13, 21, 34, 55])):
                lines += child.wait_for("ACK")
            time.sleep(rng.uniform(0.0, 0.03))
            lines += child.kill()
        acked, begun = mirror.follow(lines)
        acknowledged += acked
        in_flight += begun > acked
        allowed = [mirror.after[acked], mirror.after[begun]]
        iterations += 1
    record_property("crash_iterations", iterations)
    print(f"\n{iterations} kills ({during_start} during start-up), {acknowledged} acknowledged edits, "
          f"{in_flight} killed mid-edit, {recovered_total} starts recovered: 0 edits lost")
    assert iterations >= 5 and acknowledged > 0 and recovered_total > 0, (iterations, acknowledged, recovered_total)


def test_two_windows_on_one_file_each_keep_their_own_journal(qapp, workbook, data):
    """A crashed window's journal is recovered; the live window's journal is left alone (its lock is held)."""
    first, second = Child(workbook, 1, data, edits=6), Child(workbook, 2, data, edits=4)
    first_acks = [line for line in first.wait_for("IDLE") if line.startswith("ACK")]
    second_acks = [line for line in second.wait_for("IDLE") if line.startswith("ACK")]
    journals = sorted((data / "journals").glob("*.journal"))
    assert len(journals) == 2       # one per open document
    of_second = next(p for p in journals if f"-{second.proc.pid}-" in p.name)
    before = of_second.read_bytes()
    first.kill()
    third = Child(workbook, 3, data, edits=0)
    fp, _, changes, _ = started(third)
    third.wait_for("IDLE")
    assert fp == first_acks[-1].split(" ", 3)[2] and changes >= 1, "the crashed window's edits came back"
    assert of_second.read_bytes() == before, "the live window's journal was left alone"
    live = read_journal(of_second)
    assert live is not None and fingerprint(live.book) == second_acks[-1].split(" ", 3)[2]
    second.kill()
    third.kill()


def test_the_app_works_and_warns_when_its_data_folder_is_unwritable(qapp, workbook, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where the data folder should be")
    child = Child(workbook, 4, blocker, edits=5)
    lines = child.wait_for("IDLE")
    child.kill()
    warnings = [line for line in lines if line.startswith("WARNING")]
    assert warnings and "Recovery is off" in warnings[0] and str(blocker / "journals") in warnings[0]
    mirror = Mirror(read_workbook(workbook), str(workbook))
    assert mirror.follow(lines) == (5, 5)             # every edit made, as without a journal


# -- in the window ---------------------------------------------------------------------------------------------
@pytest.fixture
def keeper(window, tmp_path) -> JournalKeeper:
    keeper = JournalKeeper(window.document, tmp_path / "journals", parent=window)
    keeper.attach(window)
    yield keeper
    keeper.close()


def capex_edit(window: MainWindow, row: int, text: str) -> bool:
    model = window.inputs.models["Capex"]
    year = str(window.document.scenario.capex.years[1])
    return model.setData(model.index(row, model.table.column_index(year)), text)


def edited_capex(book: ScenarioBook, row: int) -> object:
    """The cell ``capex_edit`` and ``edited`` change (the second year's), found by its year, not its position: the
    Capex sheet's columns before the years change (issue 12 added 'AI share')."""
    return book.base.capex.value(row, str(book.base.capex.years[1]))


def test_every_accepted_change_is_on_disk_when_it_returns(window, keeper):
    doc = window.document
    assert capex_edit(window, 0, "123")
    commands.insert_rows(doc, "Investments", 0, 1)
    window.scenarios.new()
    assert capex_edit(window, 1, "45")              # an override of the new scenario
    window.undo_action.trigger()
    window.redo_action.trigger()
    commands.rename_scenario(doc, doc.active, "Bear")
    recovered = read_journal(keeper.path)
    assert recovered is not None and recovered.book == doc.book and recovered.active == "Bear"
    assert recovered.changes == 7


def test_save_retires_the_journal(window, keeper, tmp_path, monkeypatch):
    assert capex_edit(window, 0, "123")
    old = keeper.path
    target = tmp_path / "saved.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    assert window.files.save_as()
    assert not old.exists() and not Path(str(old) + ".lock").exists()
    fresh = read_journal(keeper.path)
    assert fresh is not None and fresh.changes == 0 and fresh.saved == window.document.book


def crashed_journal(folder: Path, path: str, book: ScenarioBook, edits: list[ScenarioBook], at: float) -> Path:
    """A journal as a killed program leaves it: no live lock."""
    folder.mkdir(parents=True, exist_ok=True)
    journal = folder / "crashed-1.journal"
    writer = JournalWriter.create(journal, {"path": path, "untitled": "", "created": at}, book)
    before = book
    for k, after in enumerate(edits):
        writer.append(changes_between(before, BASE, after, BASE), at + k)
        before = after
    writer.close()
    return journal


def edited(book: ScenarioBook, row: int, value: str) -> ScenarioBook:
    from model.core import edit
    year = str(book.base.capex.years[1])
    return book.with_base(edit.set_cells(book.base, "Capex", [CellInput(row, year, value)]))


def test_a_crashed_journal_comes_back_with_a_bar_keep_keeps_it(window, keeper, tmp_path, qtbot):
    doc = window.document
    saved = doc.book
    one = edited(saved, 0, "111")
    two = edited(one, 1, "222")
    at = time.mktime((2026, 12, 5, 14, 32, 0, 0, 0, -1))
    journal = crashed_journal(keeper.folder, "", saved, [one, two], at)
    assert keeper.recover(None)
    assert doc.book == two and doc.dirty and window.isWindowModified()
    assert keeper.bar.isVisible() and keeper.bar.text == "Recovered 2 unsaved changes from 14:32"
    assert set(keeper.bar.buttons) == {"Keep", "Discard"}
    assert keeper.path == journal                 # the journal carries on as this document's
    assert capex_edit(window, 2, "333")
    qtbot.mouseClick(keeper.bar.buttons["Keep"], Qt.MouseButton.LeftButton)
    assert not keeper.bar.isVisible() and journal.exists()
    recovered = read_journal(journal)
    assert recovered is not None and recovered.book == doc.book and recovered.changes == 3
    window.undo_action.trigger()                   # the edit after recovery
    window.undo_action.trigger()                   # the recovery itself: one undoable step
    assert doc.book == saved


def test_discard_goes_back_to_the_saved_book_and_deletes_the_journal(window, keeper, qtbot):
    doc = window.document
    saved = doc.book
    journal = crashed_journal(keeper.folder, "", saved, [edited(saved, 0, "111")], time.time())
    assert keeper.recover(None)
    assert "Recovered 1 unsaved change from" in keeper.bar.text
    qtbot.mouseClick(keeper.bar.buttons["Discard"], Qt.MouseButton.LeftButton)
    assert doc.book == saved and not doc.dirty and not journal.exists()


def test_saving_recovered_changes_retires_their_journal(window, keeper, tmp_path, monkeypatch):
    saved = window.document.book
    journal = crashed_journal(keeper.folder, "", saved, [edited(saved, 0, "111")], time.time())
    assert keeper.recover(None) and keeper.bar.isVisible()
    target = tmp_path / "kept.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(target), "")))
    assert window.files.save_as()
    assert not journal.exists() and not keeper.bar.isVisible() and not window.document.dirty
    assert edited_capex(read_workbook(target), 0) == 111.0


def test_opening_a_file_brings_back_its_crashed_changes(window, keeper, workbook, qtbot):
    saved = read_workbook(workbook)
    one = edited(saved, 0, "111")
    two = edited(one, 1, "7")
    crashed_journal(keeper.folder, str(workbook), saved, [one, two], 0.0)
    assert window.files.open_path(str(workbook), ask=False)
    qtbot.waitUntil(lambda: keeper.recovery is not None, timeout=3000)
    assert window.document.book == two and window.document.dirty
    assert window.document.path == str(workbook) and keeper.bar.isVisible()


def test_a_journal_with_a_bad_checksum_is_refused_and_kept(window, keeper):
    doc = window.document
    saved = doc.book
    journal = crashed_journal(keeper.folder, "", saved, [edited(saved, 0, "111"), edited(saved, 0, "112")], 0.0)
    data = journal.read_bytes().replace(b"111", b"119")
    journal.write_bytes(data)
    assert not keeper.recover(None)
    assert doc.book == saved and not doc.dirty
    kept = journal.with_name(journal.name + ".refused")
    assert kept.read_bytes() == data and not journal.exists()
    assert keeper.warning_bar.isVisible()
    assert "fails its checksum" in keeper.warning_bar.text and str(kept) in keeper.warning_bar.text


def test_a_live_owners_journal_is_not_recovered(window, keeper):
    saved = window.document.book
    journal = crashed_journal(keeper.folder, "", saved, [edited(saved, 0, "111")], 0.0)
    lock = QLockFile(str(journal) + ".lock")
    lock.setStaleLockTime(0)
    assert lock.tryLock(0)                          # its owner is running (this process)
    try:
        assert not keeper.recover(None) and window.document.book == saved and journal.exists()
    finally:
        lock.unlock()
    assert keeper.recover(None) and window.document.book != saved


def test_a_full_disk_warns_and_loses_nothing_once_it_frees(window, keeper, monkeypatch):
    doc = window.document
    import model.io.journal as journal_module
    real_write = os.write

    def full(fd, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(journal_module.os, "write", full)
    assert capex_edit(window, 0, "123") and capex_edit(window, 1, "124")    # editing goes on
    assert edited_capex(doc.book, 0) == 123.0 and edited_capex(doc.book, 1) == 124.0
    assert keeper.warning_bar.isVisible() and "Recovery is off" in keeper.warning_bar.text
    assert "No space left on device" in keeper.warning_bar.text
    on_disk = read_journal(keeper.path)
    assert on_disk is not None and on_disk.changes == 0 and on_disk.torn == 0     # nothing half written
    monkeypatch.setattr(journal_module.os, "write", real_write)
    keeper._catch_up()                                # what the retry timer does (every few seconds)
    on_disk = read_journal(keeper.path)
    assert on_disk is not None and on_disk.book == doc.book and not keeper.problem
    assert not keeper.warning_bar.isVisible()


def test_an_unwritable_data_folder_warns_and_the_window_works(window, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    keeper = JournalKeeper(window.document, blocker / "journals", parent=window)
    keeper.attach(window)
    try:
        assert keeper.path is None and "Recovery is off" in keeper.problem
        assert keeper.warning_bar.isVisible() and str(blocker / "journals") in keeper.warning_bar.text
        assert capex_edit(window, 0, "321") and edited_capex(window.document.book, 0) == 321.0
    finally:
        keeper.close()


def test_a_change_is_fsynced_within_a_second_and_on_focus_loss(window, keeper, qtbot, monkeypatch):
    synced = []
    writer = keeper._writer
    real = writer.sync
    monkeypatch.setattr(writer, "sync", lambda: (synced.append(time.monotonic()), real()))
    start = time.monotonic()
    assert capex_edit(window, 0, "123")
    qtbot.waitUntil(lambda: bool(synced), timeout=3000)
    assert synced[0] - start < 1.5
    assert capex_edit(window, 0, "124")
    QApplication.instance().applicationStateChanged.emit(Qt.ApplicationState.ApplicationInactive)
    keeper.wait_synced()
    assert len(synced) == 2


def test_the_tests_never_write_to_the_users_data_folder():
    assert os.environ.get(DATA_FOLDER_ENV), "tests/gui/conftest.py points the journal at a temporary folder"
