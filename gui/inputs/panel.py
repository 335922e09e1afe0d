"""The input sheets as tabs, each a spreadsheet view over the one schema-driven table model."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from gui import commands, theme
from gui.document import Document
from gui.inputs.sheet_view import SheetView
from gui.inputs.table_model import ScenarioTableModel
from model.core import schema
from model.core.edit import EditRefused
from model.core.overrides import BASE

TAB_TITLES = {"Capex": "Capex", "Revenue": "Revenue growth", "Investments": "Investments",
              "Assumptions": "Assumptions", "Market": "Market", "Thresholds": "Thresholds",
              "Uncertainty": "Ranges", "Correlations": "Correlations"}
# Sheets that share one tab, one above the other: the simulation's ranges and their correlations (two sheets of
# the template, one subject; a tab each would not fit the window's width with the six model sheets).
SHARED_TABS = {"Uncertainty": ("Uncertainty", "Correlations")}
_COMPANY_SHEETS = ("Capex", "Revenue")


def row_noun(sheet: str) -> str:
    return "company" if sheet in _COMPANY_SHEETS else ("deal" if sheet == "Investments" else "row")


class ElidedLabel(QLabel):
    """Secondary text that ends in '…' when the panel is narrow, instead of being cut mid-word."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(20)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(theme.muted(self.palette()))
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.width())
        painter.drawText(self.rect(), int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text)


class InputsPanel(QWidget):
    companyActivated = Signal(str)
    message = Signal(str)

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.setUsesScrollButtons(False)
        self.tabs.setElideMode(Qt.TextElideMode.ElideNone)
        # The style's default tab padding needs ~600 px for the seven tab names; a narrower padding keeps them
        # whole, and the results their width, down to a 1280-pixel-wide window.
        self.tabs.tabBar().setStyleSheet("QTabBar::tab { padding: 4px 3px; }")
        self.models: dict[str, ScenarioTableModel] = {}
        self.views: dict[str, SheetView] = {}
        self.structure_buttons: list[QToolButton] = []   # rows and years: the base's, disabled on a scenario
        shared = {s for group in SHARED_TABS.values() for s in group[1:]}
        self.pages: list[tuple[str, ...]] = []      # the sheets of each tab, in tab order
        self._focused: dict[int, str] = {}          # tab -> the sheet of a shared tab the analyst works in
        for sheet in schema.SHEETS:
            model = ScenarioTableModel(document, sheet.name, self)
            view = SheetView(model)
            view.companyActivated.connect(self.companyActivated)
            view.message.connect(self.message)
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.customContextMenuRequested.connect(lambda pos, v=view: self._context_menu(v, pos))
            self.models[sheet.name], self.views[sheet.name] = model, view
        for sheet in schema.SHEETS:
            if sheet.name in shared:
                continue
            group = SHARED_TABS.get(sheet.name, (sheet.name,))
            self.pages.append(group)
            page = self._page(schema.sheet(group[0]), self.views[group[0]]) if len(group) == 1 else \
                self._shared_page(len(self.pages) - 1, group)
            index = self.tabs.addTab(page, TAB_TITLES[sheet.name])
            self.tabs.setTabToolTip(index, "\n".join(schema.sheet(s).description for s in group))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        document.activeChanged.connect(self._on_active_changed)
        document.scenarioChanged.connect(lambda _scenario: self._mark_tabs())   # after the models (connected first)
        self._on_active_changed(document.active)
        self._mark_tabs()

    def _shared_page(self, tab: int, sheets: tuple[str, ...]) -> QWidget:
        """Several sheets one above the other; the buttons and the edit actions act on the one last worked in."""
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        for name in sheets:
            view = self.views[name]
            splitter.addWidget(self._page(schema.sheet(name), view, tab))
            view.selectionModel().currentChanged.connect(lambda *_, t=tab, s=name: self._focused.__setitem__(t, s))
        return splitter

    def _page(self, sheet: schema.SheetSchema, view: SheetView, tab: int | None = None) -> QWidget:
        page = QWidget()
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 4, 4, 0)
        bar.setSpacing(2)
        noun = row_noun(sheet.name)
        buttons = [(f"+ {noun.capitalize()}", f"Add a {noun} below the current row", self.add_row),
                   (f"− {noun.capitalize()}", f"Remove the selected {noun}s" + (
                       " (with their deals and market inputs)" if noun == "company" else ""), self.remove_rows)]
        if sheet.years is not None:
            buttons += [("+ Year", "Add the year after the last year column", self.add_year),
                        ("− Year", "Remove the year column of the current cell", self.remove_year)]
        for text, tip, slot in buttons:
            button = QToolButton(page)
            button.setText(text)
            button.setToolTip(tip)
            button.setAutoRaise(True)
            if tab is not None:     # in a shared tab a button acts on its own sheet
                button.clicked.connect(lambda *_, t=tab, s=sheet.name: self._focused.__setitem__(t, s))
            button.clicked.connect(slot)
            button.setProperty("tip", tip)
            self.structure_buttons.append(button)
            bar.addWidget(button)
        hint = ElidedLabel(sheet.description, page)
        hint.setToolTip(sheet.description)
        bar.addSpacing(8)
        bar.addWidget(hint, 1)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(view, 1)
        return page

    # -- where the analyst is ----------------------------------------------------------------------------------------
    @property
    def sheet(self) -> str:
        tab = self.tabs.currentIndex()
        return self._focused.get(tab, self.pages[tab][0])

    def current_view(self) -> SheetView:
        return self.views[self.sheet]

    def show_sheet(self, sheet: str) -> SheetView:
        tab = next(i for i, group in enumerate(self.pages) if sheet in group)
        self.tabs.setCurrentIndex(tab)
        if len(self.pages[tab]) > 1:
            self._focused[tab] = sheet
        return self.views[sheet]

    def select_company(self, company: str) -> None:
        for sheet in _COMPANY_SHEETS:
            self.views[sheet].select_company(company)

    # -- row and column operations -------------------------------------------------------------------------------------
    def add_row(self) -> bool:
        view, sheet = self.current_view(), self.sheet
        current = view.currentIndex()
        at = view.source_index(current).row() + 1 if current.isValid() else view.source.rowCount()
        if not view.source.insertRows(at, 1):
            return False
        index = view.proxy.mapFromSource(view.source.index(at, 0))
        view.setCurrentIndex(index)
        view.scrollTo(index)
        self.message.emit(f"Added a {row_noun(sheet)}: type over the placeholders (Ctrl+Z undoes)")
        return True

    def remove_rows(self) -> bool:
        view, sheet = self.current_view(), self.sheet
        rows = sorted({view.source_index(i).row() for i in view.selectionModel().selectedIndexes()})
        if not rows and view.currentIndex().isValid():
            rows = [view.source_index(view.currentIndex()).row()]
        if not rows:
            self.message.emit(f"Select the {row_noun(sheet)}s to remove first")
            return False
        ok = commands.remove_rows(self.document, sheet, rows)
        if ok:
            self.message.emit(f"Removed {len(rows)} {row_noun(sheet)}{'s' if len(rows) > 1 else ''} (Ctrl+Z undoes)")
        return ok

    def add_year(self) -> bool:
        sheet = self.sheet
        table = self.document.scenario.table(sheet)
        if table.years:
            year = table.years[-1] + 1
        else:
            year = int(self.document.results.score_year) if self.document.results is not None else 2025
        return commands.add_year(self.document, sheet, year)

    def remove_year(self) -> bool:
        view, sheet = self.current_view(), self.sheet
        current = view.currentIndex()
        year = view.source.year_of(current.column()) if current.isValid() else None
        if year is None:
            self.document.refuse(EditRefused(sheet, -1, "", "select a cell in the year column to remove"))
            return False
        return commands.remove_year(self.document, sheet, year)

    # -- scenarios ----------------------------------------------------------------------------------------------------
    def _on_active_changed(self, active: str) -> None:
        on_base = active == BASE
        for button in self.structure_buttons:
            button.setEnabled(on_base)
            button.setToolTip(str(button.property("tip")) if on_base else
                              f"{button.property('tip')} — in the Base scenario: a scenario changes cells only")

    def _mark_tabs(self) -> None:
        """A sheet the scenario on screen changes is marked "Revenue growth •"; its tooltip says how many cells."""
        for i, group in enumerate(self.pages):
            n = sum(self.models[s].changed_count for s in group)
            title = TAB_TITLES[group[0]] + (" •" if n else "")
            if self.tabs.tabText(i) != title:
                self.tabs.setTabText(i, title)
                self.tabs.setTabToolTip(i, "\n".join(schema.sheet(s).description for s in group) + (
                    f"\n{n} cell{'s' if n != 1 else ''} differ from the base in “{self.document.active}”" if n else ""))

    def selected_cells(self, view: SheetView | None = None) -> list[tuple[int, str]]:
        """The selected cells of a view (the current sheet's by default) as (row, column key) of the table."""
        view = view or self.current_view()
        indexes = view.selectionModel().selectedIndexes() or [view.currentIndex()]
        cells = []
        for index in indexes:
            if index.isValid():
                source = view.source_index(index)
                cells.append((source.row(), view.source.key_of(source.column())))
        return cells

    def reset_to_base(self, view: SheetView | None = None) -> bool:
        """The selected cells read as the base again (the scenario's changes to them are dropped)."""
        view = view or self.current_view()
        model = view.source
        changed = [(r, k) for r, k in self.selected_cells(view) if model.is_changed_in_scenario(r, model.table.column_index(k))]
        if not changed:
            self.message.emit("None of the selected cells differs from the base")
            return False
        ok = commands.reset_to_base(self.document, model.sheet, changed)
        if ok:
            self.message.emit(f"Reset {len(changed)} cell{'s' if len(changed) != 1 else ''} to the base (Ctrl+Z undoes)")
        return ok

    def _context_menu(self, view: SheetView, pos: QPoint) -> None:
        menu = QMenu(view)
        model = view.source
        changed = any(model.is_changed_in_scenario(r, model.table.column_index(k)) for r, k in self.selected_cells(view))
        reset = menu.addAction("Reset to base", lambda: self.reset_to_base(view))
        reset.setEnabled(changed)
        menu.addSeparator()
        for action in self.actions():   # copy and paste, added by the window
            menu.addAction(action)
        menu.popup(view.viewport().mapToGlobal(pos))
        self.context_menu = menu
