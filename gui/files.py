"""New, Open, Save, Save As, Export, recent files, and the unsaved-changes prompt.

Reading and writing workbooks is model-side code (``model.io.workbook``, ``model.io.template_writer``, ``model.export.writer``);
this module only asks the analyst where, and says what went wrong. A file that cannot be read leaves the open
document exactly as it was.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QMainWindow, QMessageBox, QWidget

from gui.document import Document
from gui.problems_dialog import ProblemsDialog
from model.core.overrides import BASE, ScenarioBook
from model.core.problems import FileRefused, Problem, TemplateError
from model.core.scenario import Scenario, blank_scenario
from model.defaults.alternatives import default_book
from model.io.paths import BLANK_TEMPLATE

XLSX_FILTER = "Excel workbooks (*.xlsx)"
MAX_RECENT = 8


# The workbook readers and writers (openpyxl) are imported on first use: a start on the default scenario needs
# neither (~0.25 s of a cold start, more on a busy machine).


def read_workbook(path: str | os.PathLike[str]) -> ScenarioBook:
    """The workbook's base scenario and its alternatives (its Scenarios sheet)."""
    from model.io.workbook import read_book

    return read_book(path)


def default_scenario() -> ScenarioBook:
    """The bundled scenario and its alternatives, built from their definitions in code: the shipped
    templates/default-scenario.xlsx is written from the same code and reads back equal to it
    (tests/test_templates.py), so the start skips reading the workbook."""
    return default_book()


def new_scenario() -> Scenario:
    from model.io.workbook import read_template

    if BLANK_TEMPLATE.exists():
        try:
            return read_template(BLANK_TEMPLATE)
        except (TemplateError, OSError):
            pass
    return blank_scenario()


def settle_memory() -> None:
    """After a scenario is loaded: move what is alive now out of the cyclic collector's way.

    A large scenario is hundreds of thousands of long-lived tuples; without this every full collection walks them
    all, and a collection that lands during an edit shows as a pause (bench/bench_gui.py: worst edit 90 → 50 ms
    on 500 × 30 × 2,000). Objects still go when nothing refers to them; only cycle detection skips them.
    """
    gc.collect()
    gc.freeze()


def describe_failure(exc: BaseException) -> tuple[str, tuple[Problem, ...]]:
    if isinstance(exc, FileRefused):
        return exc.summary, exc.problems
    if isinstance(exc, TemplateError):
        return exc.summary, exc.problems
    if isinstance(exc, OSError):
        return f"The file could not be read: {exc.strerror or exc}", ()
    if isinstance(exc, MemoryError):
        return "The file could not be read: not enough memory for it", ()
    return f"The file could not be read: {str(exc).strip() or 'an unexpected failure inside Bubblescope'}", ()


class FileController(QObject):
    recentChanged = Signal()
    opened = Signal(str)
    exported = Signal(str)

    def __init__(self, window: QWidget, document: Document, settings: QSettings | None = None) -> None:
        super().__init__(window)
        self.window, self.document = window, document
        self.settings = settings or QSettings()
        self.last_dialog: ProblemsDialog | None = None
        self.last_export_box: QMessageBox | None = None

    # -- the prompt ------------------------------------------------------------------------------------------------
    def display_name(self) -> str:
        return Path(self.document.path).name if self.document.path else self.document.untitled

    def maybe_save(self, action: str = "continuing") -> bool:
        """True when it is fine to drop the document: saved, discarded, or nothing to lose. False on Cancel."""
        if not self.document.dirty:
            return True
        Button = QMessageBox.StandardButton
        answer = QMessageBox.question(
            self.window, "Unsaved changes",
            f"Save the changes to {self.display_name()} before {action}?\nDiscarding loses them; Cancel goes back.",
            Button.Save | Button.Discard | Button.Cancel, Button.Save)
        if answer == Button.Save:
            return self.save()
        return answer == Button.Discard

    # -- opening ---------------------------------------------------------------------------------------------------
    def new(self) -> bool:
        if not self.maybe_save("starting a new scenario"):
            return False
        self.document.load(new_scenario(), "", untitled="New scenario")
        return True

    def open(self) -> bool:
        if not self.maybe_save("opening another file"):
            return False
        path, _ = QFileDialog.getOpenFileName(self.window, "Open scenario", self._folder(), XLSX_FILTER)
        return bool(path) and self.open_path(path, ask=False)

    def open_path(self, path: str, ask: bool = True) -> bool:
        if ask and not self.maybe_save("opening another file"):
            return False
        try:
            book = read_workbook(path)
        except Exception as exc:  # every failure is reported; the open document stays as it was
            self.show_failure(path, exc)
            return False
        self.document.load(book, str(path))
        settle_memory()
        self.add_recent(str(path))
        self.opened.emit(str(path))
        return True

    def show_failure(self, path: str, exc: BaseException, at_start: bool = False) -> None:
        """Why ``path`` was not opened; ``at_start``: named on the command line, so the default scenario is what
        the window shows instead (there was no scenario on screen to keep)."""
        summary, problems = describe_failure(exc)
        errors = sum(p.severity == "error" for p in problems)
        kept = "the default scenario is shown instead" if at_start else "the scenario on screen is unchanged"
        text = f"{Path(path).name} was not opened: {kept}.\n{summary}"
        if problems and errors != 1:
            text += f"\n{errors} errors; fix them in Excel and open the file again."
        self.last_dialog = ProblemsDialog("Cannot open " + Path(path).name, text, problems, self.window)
        self.last_dialog.open()

    # -- saving ----------------------------------------------------------------------------------------------------
    def save(self) -> bool:
        if not self.document.path:
            return self.save_as()
        return self._write(self.document.path)

    def save_as(self) -> bool:
        suggested = self.document.path or os.path.join(self._folder(), f"{self.document.untitled}.xlsx")
        path, _ = QFileDialog.getSaveFileName(self.window, "Save workbook as (the base and every scenario)", suggested,
                                              XLSX_FILTER)
        if not path:
            return False
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        return self._write(path)

    def _write(self, path: str) -> bool:
        from model.io.template_writer import write_template

        try:
            write_template(self.document.book, path)
        except Exception as exc:  # SaveError says why; the previous file is untouched (atomic write)
            QMessageBox.warning(self.window, "Not saved", f"{Path(path).name} was not saved.\n{_reason(exc)}")
            return False
        self.document.mark_saved(path)
        self.add_recent(path)
        return True

    def export(self) -> bool:
        base = Path(self.document.path).stem if self.document.path else self.document.untitled
        suggested = os.path.join(self._folder(), f"{base} results.xlsx")
        path, _ = QFileDialog.getSaveFileName(self.window, "Export results", suggested, XLSX_FILTER)
        if not path:
            return False
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        window = self.window
        status = window.statusBar() if isinstance(window, QMainWindow) else None
        if status is not None:
            status.showMessage(f"Exporting to {Path(path).name}…")
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        QApplication.processEvents()     # the cursor and the message show before the work starts
        try:
            from model.export.writer import export_results  # on first export: the window starts without it

            # The results on screen are the base's only while the base is on screen; the rest is computed.
            known = self.document.results if self.document.active == BASE else None
            export_results(self.document.book, path, results=known)
        except Exception as exc:
            QApplication.restoreOverrideCursor()
            if status is not None:
                status.clearMessage()
            QMessageBox.warning(self.window, "Not exported", f"{Path(path).name} was not written.\n{_reason(exc)}")
            return False
        QApplication.restoreOverrideCursor()
        if status is not None:
            status.showMessage(f"Exported to {path}", 10000)
        self.exported.emit(path)
        self._confirm_export(path)
        return True

    def _confirm_export(self, path: str) -> None:
        """Says where the workbook went and offers to open it or its folder (not modal: the window goes on)."""
        box = QMessageBox(QMessageBox.Icon.Information, "Exported", f"The results were written to\n{path}",
                          QMessageBox.StandardButton.Close, self.window)
        open_file = box.addButton("Open", QMessageBox.ButtonRole.ActionRole)
        open_folder = box.addButton("Show folder", QMessageBox.ButtonRole.ActionRole)
        open_file.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(path)))
        open_folder.clicked.connect(lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(Path(path).parent))))
        box.setDefaultButton(open_file)
        self.last_export_box = box
        box.open()

    # -- recent files ----------------------------------------------------------------------------------------------
    def recent(self) -> list[str]:
        value = self.settings.value("recentFiles", [])
        if isinstance(value, str):      # QSettings gives a lone string for a one-item list
            value = [value]
        return [str(v) for v in value] if isinstance(value, list) else []

    def add_recent(self, path: str) -> None:
        path = str(Path(path).resolve())
        files = [path, *(p for p in self.recent() if p != path)][:MAX_RECENT]
        self.settings.setValue("recentFiles", files)
        self.settings.setValue("lastFolder", str(Path(path).parent))
        self.recentChanged.emit()

    def clear_recent(self) -> None:
        self.settings.setValue("recentFiles", [])
        self.recentChanged.emit()

    def _folder(self) -> str:
        folder = self.settings.value("lastFolder", "")
        return str(folder) if folder and Path(str(folder)).is_dir() else str(Path.home())


def _reason(exc: BaseException) -> str:
    """In words, never a class name (model/io/atomic.py's SaveError always has words)."""
    if isinstance(exc, MemoryError):
        return "not enough memory"
    return str(exc).strip() or "an unexpected failure inside Bubblescope"
