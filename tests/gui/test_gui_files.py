"""Files: the unsaved-changes prompt, open (also by drag and drop), failed imports, save, export, recent files."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QFileDialog, QMessageBox

from gui import commands
from model.core.edit import CellInput
from model.io.template_writer import write_template
from model.io.workbook import read_template

Button = QMessageBox.StandardButton


def make_dirty(qtbot, document) -> None:
    with qtbot.waitSignal(document.resultsChanged):
        assert commands.edit_cells(document, "Capex", [CellInput(0, "2025", "99")])
    assert document.dirty


def answer(monkeypatch, button) -> list[str]:
    asked: list[str] = []

    def question(parent, title, text, buttons, default):
        asked.append(text)
        return button

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    return asked


def save_to(monkeypatch, path: Path) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(path), "")))


@pytest.fixture
def workbook(tmp_path, scenario) -> Path:
    path = tmp_path / "saved.xlsx"
    write_template(scenario, path)
    return path


def test_closing_with_unsaved_changes_and_save(qtbot, window, document, monkeypatch, tmp_path):
    make_dirty(qtbot, document)
    assert window.isWindowModified() and "[*]" in window.windowTitle()
    asked = answer(monkeypatch, Button.Save)
    save_to(monkeypatch, tmp_path / "mine")
    assert window.close()
    assert asked and "Save the changes" in asked[0]
    saved = tmp_path / "mine.xlsx"
    assert read_template(saved).inputs_equal(document.scenario)
    assert not document.dirty and document.path == str(saved)


def test_closing_with_unsaved_changes_and_discard(qtbot, window, document, monkeypatch, tmp_path):
    make_dirty(qtbot, document)
    answer(monkeypatch, Button.Discard)
    assert window.close()
    assert not list(tmp_path.glob("*.xlsx"))


def test_closing_with_unsaved_changes_and_cancel(qtbot, window, document, monkeypatch):
    make_dirty(qtbot, document)
    scenario = document.scenario
    answer(monkeypatch, Button.Cancel)
    assert not window.close()
    assert window.isVisible() and document.dirty and document.scenario is scenario


def test_save_that_is_cancelled_in_the_file_dialog_keeps_the_window_open(qtbot, window, document, monkeypatch):
    make_dirty(qtbot, document)
    answer(monkeypatch, Button.Save)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    assert not window.close()
    assert document.dirty


def test_opening_another_file_asks_first(qtbot, window, document, monkeypatch, workbook):
    make_dirty(qtbot, document)
    scenario = document.scenario
    answer(monkeypatch, Button.Cancel)
    assert not window.files.open_path(str(workbook))
    assert document.scenario is scenario
    answer(monkeypatch, Button.Discard)
    with qtbot.waitSignal(document.resultsChanged):
        assert window.files.open_path(str(workbook))
    assert document.path == str(workbook) and not document.dirty
    assert window.windowTitle().startswith("saved.xlsx") and not window.isWindowModified()
    assert window.files.recent()[0] == str(workbook.resolve())
    assert [a.text() for a in window.recent_menu.actions()][0] == "saved.xlsx"


def failed_open_leaves_document_untouched(qtbot, window, document, path: Path):
    make_dirty(qtbot, document)   # a document with history, to check that none of it moves
    scenario, old_path, index = document.scenario, document.path, document.undo_stack.index()
    results = document.results
    with qtbot.assertNotEmitted(document.scenarioChanged), qtbot.assertNotEmitted(document.resultsChanged):
        assert not window.files.open_path(str(path), ask=False)
    assert document.scenario is scenario and document.path == old_path
    assert document.undo_stack.index() == index and document.results is results and document.dirty
    dialog = window.files.last_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_a_refused_file_leaves_the_document_untouched(qtbot, window, document, tmp_path):
    path = tmp_path / "not-a-workbook.xlsx"
    path.write_text("this is not a spreadsheet")
    dialog = failed_open_leaves_document_untouched(qtbot, window, document, path)
    assert "unchanged" in dialog.summary.text()
    # The one reason is said once, in the summary: no table of six empty columns repeating it.
    assert dialog.summary.text().count("not an Excel workbook") == 1
    assert dialog.table.rowCount() == 0 and not dialog.table.isVisible()
    assert dialog.width() <= 640


def test_a_template_with_errors_lists_every_problem(qtbot, window, document, workbook):
    book = openpyxl.load_workbook(workbook)
    sheet = book["Capex"]
    header = [c.value for c in sheet[1]]
    col = header.index(2025) + 1
    sheet.cell(row=2, column=col, value="lots")          # not an amount
    sheet.cell(row=3, column=col, value=-4)              # below the minimum
    book.save(workbook)
    dialog = failed_open_leaves_document_untouched(qtbot, window, document, workbook)
    rows = [[dialog.table.item(r, c).text() for c in range(dialog.table.columnCount())]
            for r in range(dialog.table.rowCount())]
    letter = openpyxl.utils.get_column_letter(col)
    errors = {(r[1], r[2]) for r in rows if r[0] == "error"}
    assert {("Capex", f"{letter}2"), ("Capex", f"{letter}3")} <= errors
    assert any(r[4] == "lots" and "an amount in $B" in r[5] for r in rows)     # value and expectation
    dialog.copy_all()
    from PySide6.QtGui import QGuiApplication

    copied = QGuiApplication.clipboard().text()
    assert copied.startswith("Severity\tSheet\tCell") and f"Capex\t{letter}2" in copied


def test_save_as_then_save(qtbot, window, document, monkeypatch, tmp_path):
    save_to(monkeypatch, tmp_path / "first.xlsx")
    assert window.files.save_as()
    assert document.path == str(tmp_path / "first.xlsx") and window.windowTitle().startswith("first.xlsx")
    make_dirty(qtbot, document)
    assert window.files.save()                            # to the same file, no dialog
    assert read_template(tmp_path / "first.xlsx").capex.value(0, "2025") == 99.0
    assert not document.dirty and not window.isWindowModified()


def test_a_failed_save_says_why_and_keeps_the_changes(qtbot, window, document, monkeypatch, tmp_path):
    make_dirty(qtbot, document)
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda parent, title, text: warned.append(text)))
    save_to(monkeypatch, tmp_path / "no-such-folder" / "x.xlsx")
    assert not window.files.save_as()
    assert warned and "was not saved" in warned[0]
    assert document.dirty and document.path == ""


def test_dropping_a_workbook_opens_it(qtbot, window, document, workbook):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(workbook))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    qtbot.waitUntil(lambda: document.path == str(workbook))
    assert document.scenario.inputs_equal(read_template(workbook))


def test_new_starts_from_the_blank_template(qtbot, window, document, monkeypatch):
    make_dirty(qtbot, document)
    answer(monkeypatch, Button.Discard)
    assert window.files.new()
    assert document.scenario.companies == () and document.path == "" and not document.dirty
    qtbot.waitUntil(lambda: window.payback.payback.rowCount() <= 1)     # the recompute may run off the GUI thread


def test_export_results(qtbot, window, document, monkeypatch, tmp_path):
    save_to(monkeypatch, tmp_path / "results")
    assert window.files.export()
    assert (tmp_path / "results.xlsx").stat().st_size > 0
    assert "Summary" in openpyxl.load_workbook(tmp_path / "results.xlsx", read_only=True).sheetnames
