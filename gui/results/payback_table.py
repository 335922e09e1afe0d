"""Payback per company and for the sector: simple, discounted, organic, against useful life, coverage, score."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QResizeEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget

from gui import theme
from gui.layouts import fitted_table
from model.core import formatting
from model.core.results import NOT_WITHIN_HORIZON, EntityResult, Results


def _cells(r: EntityResult) -> tuple[str, ...]:
    return tuple(fmt(r) for _, _, fmt in COLUMNS)


COLUMNS: tuple[tuple[str, str, Callable[[EntityResult], str]], ...] = (
    ("Company", "", lambda r: r.name),
    ("Payback\nyears", "Years from the start of the first model year until cumulative cash flow turns positive "
                       "(reported revenue, with deals).", lambda r: formatting.payback_years(r.payback)),
    ("Discounted\nyears", "The same on cash flows discounted at the discount rate.",
     lambda r: formatting.payback_years(r.discounted_payback)),
    ("Organic\nyears", "Payback without the recycled revenue from circular deals: the gap to 'Payback' is how much "
                       "the deals flatter the picture.", lambda r: formatting.payback_years(r.organic_payback)),
    ("Payback ÷\nlife", "Above 1 the hardware is scrapped before it has paid for itself.",
     lambda r: formatting.payback_to_life(r.payback, r.payback_to_life)),
    ("Coverage\n%", "AI revenue ÷ required revenue in the score year.", lambda r: formatting.percent(r.coverage, 0)),
    ("NPV\n$B", "Net present value of the cash flows at the discount rate, $B.", lambda r: formatting.amount(r.npv)),
    ("IRR\n%", "Internal rate of return of the cash flows ('–': none, e.g. no sign change).",
     lambda r: formatting.percent(r.irr, 1) if r.irr is not None else "–"),
    ("Score\n0–100", "The bubble score (a company's: company-level indicators only) and its reading: "
                      "Healthy, Boom or Bubble.", lambda r: f"{formatting.score(r.score.composite)} {r.score.label}"),
)


def _ordered(results: Results) -> list[EntityResult]:
    """The sector first (the answer to the question), then the companies in sheet order."""
    return [results.sector, *results.summaries[:-1]]


_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

# Shown when there is room; their values are also in each row's tooltip.
OPTIONAL = ("NPV", "IRR")


class PaybackModel(QStandardItemModel):
    """The results as text in items. A read-only view of results (not an input adapter): items keep repaints in
    C++, where a Python ``data()`` would be asked a dozen roles per cell on every repaint."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.results: Results | None = None
        self._rows: list[tuple[str, ...]] = []
        for c, (title, tip, _fmt) in enumerate(COLUMNS):
            header = QStandardItem(title)
            if tip:
                header.setToolTip(tip)
            self.setHorizontalHeaderItem(c, header)

    def set_results(self, results: Results | None) -> None:
        entities = _ordered(results) if results is not None else []
        rows = [_cells(e) for e in entities]
        if [r[0] for r in rows] != [r[0] for r in self._rows]:
            self.removeRows(0, self.rowCount())
            for k in range(len(rows)):
                items = [QStandardItem() for _ in COLUMNS]
                for c, item in enumerate(items):
                    item.setEditable(False)
                    item.setTextAlignment(_LEFT if c == 0 else _RIGHT)
                    if k == 0:
                        font = item.font()
                        font.setBold(True)
                        item.setFont(font)
                self.appendRow(items)
            self._rows = [("",) * len(COLUMNS)] * len(rows)
        self.results = results
        for r, (entity, row) in enumerate(zip(entities, rows, strict=True)):
            old = self._rows[r]
            for c, text in enumerate(row):
                if old[c] != text:
                    item = self.item(r, c)
                    item.setText(text)
                    if c == len(COLUMNS) - 1:
                        item.setForeground(theme.label_color(entity.score.label))
            if old != row:
                self.item(r, 0).setToolTip(_tooltip(entity))
        self._rows = rows

    def row_texts(self, row: int) -> tuple[str, ...]:
        return self._rows[row]

    def entity_at(self, row: int) -> str:
        return self._rows[row][0] if 0 <= row < len(self._rows) else ""

    def row_of(self, entity: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r[0] == entity), -1)

    def text(self, entity: str, column: str) -> str:
        """What the table shows for an entity under a column header's first line."""
        col = next(i for i, c in enumerate(COLUMNS) if c[0].split("\n")[0] == column)
        return self._rows[self.row_of(entity)][col]


def _tooltip(s: EntityResult) -> str:
    who = "The sector: the companies marked 'In sector'" if s.is_sector else s.name
    return (f"{who}\nNPV {formatting.money(s.npv)}, IRR {formatting.percent(s.irr, 1) if s.irr is not None else '–'}; "
            f"organic NPV {formatting.money(s.organic_npv)}")


class PaybackTable(QTableView):
    entitySelected = Signal(str)    # '' for the sector

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.payback = PaybackModel(self)
        self.setModel(self.payback)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        # "not within horizon" wraps onto two lines rather than widening its column for every row.
        self.setWordWrap(True)
        # Fixed row heights set by fit_columns: ResizeToContents would ask every cell its size on every update.
        fitted_table(self, self.fontMetrics().height() + 6, stretch_last=True)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.selectionModel().currentRowChanged.connect(self._row_changed)
        self._silent = False

    def show_results(self, results: Results | None) -> None:
        self.payback.set_results(results)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Columns as wide as their header or widest cell. When that does not fit, "not within horizon" wraps
        onto two lines (its rows grow) rather than pushing columns out of sight."""
        available = self.viewport().width() - 4
        optional = [c for c, (title, _t, _f) in enumerate(COLUMNS) if title.split("\n")[0] in OPTIONAL]
        for wrap, hide in ((False, False), (False, True), (True, True)):
            widths = self._widths(wrap=wrap)
            if sum(w for c, w in enumerate(widths) if not (hide and c in optional)) <= available:
                break
        stretched = len(widths) - 1 if self.horizontalHeader().stretchLastSection() else -1
        for c, width in enumerate(widths):
            hidden = hide and c in optional
            if self.isColumnHidden(c) != hidden:    # setColumnHidden repaints the table even when nothing changes
                self.setColumnHidden(c, hidden)
            # The stretched last column fills the rest: setting its width (never equal to the stretch) would
            # repaint the whole table on every update.
            if c != stretched and self.columnWidth(c) != width:
                self.setColumnWidth(c, width)
        if self.wordWrap() != wrap:
            self.setWordWrap(wrap)     # wrapping lays out every cell's text: only when it is needed
        line = self.fontMetrics().height()
        for r in range(self.payback.rowCount()):
            wrapped = wrap and NOT_WITHIN_HORIZON in self.payback.row_texts(r)
            height = 2 * line + 6 if wrapped else line + 6
            if self.rowHeight(r) != height:
                self.setRowHeight(r, height)

    def _widths(self, wrap: bool) -> list[int]:
        fm, bold = self.fontMetrics(), _bold_metrics(self)
        header_fm = self.horizontalHeader().fontMetrics()
        rows = [self.payback.row_texts(r) for r in range(self.payback.rowCount())]
        out = []
        for c, (title, _tip, _fmt) in enumerate(COLUMNS):
            width = max(header_fm.horizontalAdvance(line) for line in title.split("\n"))
            texts = {r[c] for r in rows[1:]}
            if wrap and NOT_WITHIN_HORIZON in texts:
                texts = (texts - {NOT_WITHIN_HORIZON}) | {"not within", "horizon"}
            # The widest text is among the longest: measure only those (hundreds of rows in large scenarios).
            for text in sorted(texts, key=len, reverse=True)[:6]:
                width = max(width, fm.horizontalAdvance(text))
            if rows:
                sector = rows[0][c]
                lines = ("not within", "horizon") if wrap and sector == NOT_WITHIN_HORIZON else (sector,)
                width = max(width, *(bold.horizontalAdvance(line) for line in lines))
            out.append(width + 12)
        return out

    def needed_height(self) -> int:
        rows = sum(self.rowHeight(r) for r in range(self.payback.rowCount()))
        rows = max(rows, self.verticalHeader().minimumSectionSize() * self.payback.rowCount())
        return rows + self.horizontalHeader().height() + 2 * self.frameWidth() + 2

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._silent or not current.isValid():
            return
        name = self.payback.entity_at(current.row())
        results = self.payback.results
        self.entitySelected.emit("" if results is not None and name == results.sector.name else name)

    def select_entity(self, company: str) -> None:
        results = self.payback.results
        name = company or (results.sector.name if results is not None else "")
        row = self.payback.row_of(name)
        if row < 0 or self.currentIndex().row() == row:
            return
        self._silent = True
        try:
            self.selectRow(row)
        finally:
            self._silent = False


def _bold_metrics(widget: QWidget) -> QFontMetrics:
    font = QFont(widget.font())
    font.setBold(True)
    return QFontMetrics(font)
