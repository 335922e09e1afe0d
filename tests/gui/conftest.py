"""Fixtures for the window's tests: offscreen Qt, a scenario built from tables, isolated settings, no stray dialogs."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from gui.document import Document  # noqa: E402
from gui.main_window import MainWindow  # noqa: E402
from model.core.scenario import Scenario  # noqa: E402
from tests.sample_scenarios import sample_scenario  # noqa: E402


@pytest.fixture
def scenario() -> Scenario:
    return sample_scenario()


@pytest.fixture
def settings(tmp_path) -> QSettings:
    """Recent files and folders go to a file of this test, never to the user's settings."""
    return QSettings(str(tmp_path / "bubblescope-tests.ini"), QSettings.Format.IniFormat)


@pytest.fixture(autouse=True)
def no_unexpected_dialogs(monkeypatch):
    """A modal dialog nobody answers would hang the run: any test that expects one patches it itself."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"unexpected message box: {args[1:3]}")

    for name in ("question", "warning", "critical", "information", "about"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(refuse))


@pytest.fixture(autouse=True)
def journal_folder(tmp_path, monkeypatch):
    """The edit journal of any window the tests start goes to a temporary folder, never the user's data folder."""
    monkeypatch.setenv("BUBBLESCOPE_DATA_DIR", str(tmp_path / "app-data"))


@pytest.fixture
def document(scenario) -> Document:
    doc = Document(scenario, "")
    yield doc
    doc.recomputer.wait_idle()


@pytest.fixture
def window(qtbot, document, settings) -> MainWindow:
    win = MainWindow(document, settings)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    # Closing a window with unsaved changes asks; tests that care about the prompt test it explicitly. (Not
    # qtbot.addWidget: pytest-qt closes its widgets before fixtures are torn down, i.e. before this line.)
    document.recomputer.wait_idle()
    win.compare.wait_idle()
    document.undo_stack.setClean()
    win.close()
    win.deleteLater()
