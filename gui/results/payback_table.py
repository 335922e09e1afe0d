"""Payback per company and for the sector: simple, discounted, organic, against useful life, coverage, score."""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QResizeEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import QAbstractItemView, QMenu, QTableView, QToolButton, QWidget

from gui import theme
from gui.layouts import fitted_table
from model.core import formatting
from model.core.results import NOT_WITHIN_HORIZON, NOTHING_TO_PAY_BACK, EntityResult, Payback, Results


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


# Beyond the horizon sorts after every payback year; among those rows, the shallower shortfall (the figure the cell
# shows, "−$31B at 2035") first, as nearer to paying back; without its figure, last.
_BEYOND = 1e12


def _payback_key(payback: Payback) -> float:
    """Sooner first; nothing to pay back before any payback, not within the horizon after all (by its shortfall)."""
    if payback.years is None:
        return _BEYOND - payback.shortfall if payback.shortfall is not None else math.inf
    return -1.0 if payback.nothing_to_pay_back else payback.years


def _number_key(value: float | None) -> float:
    return -math.inf if value is None or not math.isfinite(value) else value


def _sort_keys(r: EntityResult) -> tuple[object, ...]:
    """What each column sorts by: the numbers behind the text ("not within horizon" after every year)."""
    ratio = -1.0 if r.payback.nothing_to_pay_back else (math.inf if r.payback_to_life is None else r.payback_to_life)
    return (r.name.lower(), _payback_key(r.payback), _payback_key(r.discounted_payback),
            _payback_key(r.organic_payback), ratio, _number_key(r.coverage), _number_key(r.npv),
            _number_key(r.irr), _number_key(r.score.composite))


def _ordered(results: Results) -> list[EntityResult]:
    """The sector first (the answer to the question), then the companies in sheet order."""
    return [results.sector, *results.summaries[:-1]]


_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

# Shown when there is room; their values are also in each row's tooltip. When they are left out, a button at the
# header's end names them and brings them back (the table then scrolls sideways).
OPTIONAL = ("NPV", "IRR")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
# The long words of the payback columns, as they wrap onto two lines when the width is short.
WRAPPED = {NOT_WITHIN_HORIZON: ("not within", "horizon"), NOTHING_TO_PAY_BACK: ("nothing to", "pay back")}
_AT = " at "     # a payback beyond the horizon reads "−$1.1T at 2035" (formatting.beyond_horizon)
_THEN = "; "     # ... and, where the last cash flow would close the gap, "; ≈ 2041, beyond the horizon"


def wrapped_lines(text: str, lines: int = 2) -> tuple[str, ...]:
    """A payback cell's text as it wraps on a short width, in at most ``lines`` lines: the long words on two lines;
    a shortfall beyond the horizon as its amount over "at 2035" or, when it has an extrapolated year, over
    "≈ 2041, beyond the horizon" (on three lines: "≈ 2041, beyond" over "the horizon"); any other text on one
    line."""
    if text in WRAPPED:
        return WRAPPED[text]
    shortfall, then, when = text.partition(_THEN)
    if then:
        head, _, tail = when.rpartition(" the ")
        return (shortfall + ";", when) if lines < 3 or not head else (shortfall + ";", head, "the " + tail)
    amount, at, year = text.partition(_AT)
    return (amount, at.strip() + " " + year) if at and amount.startswith(("−$", "-$", "$")) else (text,)


FLASH_MS = 1600      # how long a cell an edit changed stays tinted


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

    def set_results(self, results: Results | None, flash: bool = False) -> list[tuple[int, int]]:
        """Show ``results``; returns the cells whose text changed (row, column), tinted for a moment when
        ``flash`` (an edit's outcome; a new set of rows is never flashed)."""
        entities = _ordered(results) if results is not None else []
        rows = [_cells(e) for e in entities]
        changed: list[tuple[int, int]] = []
        rebuilt = [r[0] for r in rows] != [r[0] for r in self._rows]
        if rebuilt:
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
        Role = Qt.ItemDataRole
        tint = self._tint() if flash and not rebuilt else None
        for r, (entity, row) in enumerate(zip(entities, rows, strict=True)):
            old = self._rows[r]
            if old == row:
                continue
            keys = _sort_keys(entity)
            for c, text in enumerate(row):
                if old[c] == text and not rebuilt:
                    continue      # its sort key moves with its text (both from one value): left as it is
                # One call per cell: one dataChanged through the sorting proxy, not one per role.
                roles: dict[int, object] = {Role.DisplayRole: text, SORT_ROLE: keys[c]}
                if c == len(COLUMNS) - 1:
                    roles[Role.ForegroundRole] = theme.label_color(entity.score.label)
                if c == 0:
                    roles[Role.ToolTipRole] = _tooltip(entity)
                elif not rebuilt:
                    changed.append((r, c))
                    roles[Role.ToolTipRole] = f"was {old[c] or '–'}"
                    if tint is not None:
                        roles[Role.BackgroundRole] = tint
                self.setItemData(self.index(r, c), roles)
            if not rebuilt and old[0] == row[0] and old != row:
                self.item(r, 0).setToolTip(_tooltip(entity))
        self._rows = rows
        if tint is not None and changed:
            marked = [QPersistentModelIndex(self.index(r, c)) for r, c in changed]
            QTimer.singleShot(FLASH_MS, lambda: self._unflash(marked))
        return changed

    def _tint(self) -> QBrush:
        palette = QGuiApplication.palette()
        return QBrush(theme.blend(palette.color(QPalette.ColorRole.Base), QColor("#edc948"), 0.55))

    def _unflash(self, marked: list[QPersistentModelIndex]) -> None:
        for index in marked:
            if index.isValid():
                self.setItemData(self.index(index.row(), index.column()),
                                 {Qt.ItemDataRole.BackgroundRole: None, Qt.ItemDataRole.ToolTipRole: ""})

    def flashing(self) -> list[tuple[int, int]]:
        """The cells tinted now (for tests)."""
        return [(r, c) for r in range(self.rowCount()) for c in range(self.columnCount())
                if self.item(r, c).data(Qt.ItemDataRole.BackgroundRole) is not None]

    def as_text(self, rows: list[int] | None = None) -> str:
        """The table as tab-separated text with its header, every column (hidden ones too): pastes into a sheet."""
        header = "\t".join(title.replace("\n", " ") for title, _t, _f in COLUMNS)
        picked = range(len(self._rows)) if rows is None else rows
        return "\n".join([header, *("\t".join(self._rows[r]) for r in picked)]) + "\n"

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


class SectorFirst(QSortFilterProxyModel):
    """Sorts by the numbers behind the text (SORT_ROLE); the sector row stays on top in either direction."""

    def lessThan(self, left: QModelIndex | QPersistentModelIndex,
                 right: QModelIndex | QPersistentModelIndex) -> bool:
        ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
        if left.row() == 0 or right.row() == 0:      # source row 0 is the sector
            return (left.row() == 0) == ascending
        a, b = left.data(SORT_ROLE), right.data(SORT_ROLE)
        return bool(a < b) if a is not None and b is not None else False


class PaybackTable(QTableView):
    entitySelected = Signal(str)    # '' for the sector

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.payback = PaybackModel(self)
        self.sorted = SectorFirst(self)
        self.sorted.setSourceModel(self.payback)
        self.setModel(self.sorted)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        # "not within horizon" wraps onto two lines rather than widening its column for every row.
        self.setWordWrap(True)
        # Fixed row heights set by fit_columns: ResizeToContents would ask every cell its size on every update.
        fitted_table(self, self.fontMetrics().height() + 6, stretch_last=False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)     # sheet order until a header is clicked
        self.setSortingEnabled(True)
        header.setSortIndicatorShown(True)
        header.setSectionsClickable(True)
        header.setToolTip("Click a column's header to sort by it (the sector stays on top); right-click for "
                          "sheet order and copying")
        header.sortIndicatorChanged.connect(lambda *_: self.fit_columns())    # rows moved: their heights too
        self.selectionModel().currentRowChanged.connect(self._row_changed)
        self._silent = False
        self.all_columns = False       # the analyst asked for the optional columns: scroll rather than hide
        self.more = QToolButton(self)
        self.more.setAutoRaise(True)
        self.more.setCursor(Qt.CursorShape.PointingHandCursor)
        self.more.clicked.connect(self._toggle_all_columns)
        self._more_tip = (f"{' and '.join(OPTIONAL)} are left out for lack of room. Click to show them (rows "
                          "then wrap, or the table scrolls sideways), or widen the window. Each company's tooltip "
                          "also gives them.")
        self.more.hide()
        self.less = QToolButton(self)
        self.less.setAutoRaise(True)
        self.less.setText("− " + ", ".join(OPTIONAL))
        self.less.setToolTip(f"Leave {' and '.join(OPTIONAL)} out again, so that the table needs no scrolling")
        self.less.clicked.connect(self._toggle_all_columns)
        self.addScrollBarWidget(self.less, Qt.AlignmentFlag.AlignRight)
        self.less.hide()

    def show_results(self, results: Results | None, flash: bool = False) -> list[tuple[int, int]]:
        """Show ``results``; with ``flash`` the cells that changed are tinted for a moment. Returns them."""
        changed = self.payback.set_results(results, flash)
        self.fit_columns()
        return changed

    # -- columns ---------------------------------------------------------------------------------------------------
    def hidden_columns(self) -> list[str]:
        return [COLUMNS[c][0].split("\n")[0] for c in range(len(COLUMNS)) if self.isColumnHidden(c)]

    def fit_columns(self) -> None:
        """Columns as wide as their header or widest cell. When that does not fit, NPV and IRR are left out, a
        button at the header's end saying so; a payback beyond the horizon wraps onto two lines (before NPV and IRR go),
        then three (its rows grow).
        Spare width is shared out a little to every column rather than stretching one."""
        optional = [c for c, (title, _t, _f) in enumerate(COLUMNS) if title.split("\n")[0] in OPTIONAL]
        button = self._more_width()
        full = self.viewport().width() - 4
        # (lines a payback cell may wrap onto, optional columns left out): a payback beyond the horizon with its
        # extrapolated year wraps onto two lines before NPV and IRR are left out
        stages = ((1, False), (2, False), (3, False)) if self.all_columns else (
            (1, False), (2, False), (1, True), (2, True), (3, True))
        for lines, hide in stages:
            wrap = lines > 1
            widths = self._widths(lines)
            available = full - (button if hide or self.all_columns else 0)
            if sum(w for c, w in enumerate(widths) if not (hide and c in optional)) <= available:
                break
        shown = [c for c in range(len(widths)) if not (hide and c in optional)]
        spare = available - sum(widths[c] for c in shown)
        if spare > 0 and not wrap:     # wrapped rows are as tall as two lines: keep their columns narrow
            extra = min(spare // max(len(shown), 1), 48)
            widths = [w + extra for w in widths]
        elif spare < 0 and self.all_columns and sum(widths[c] for c in shown) <= full:
            # every column fits but the way back beside them does not: the table scrolls (a little), and the way
            # back sits at the scroll bar's end
            widths[shown[-1]] += self.viewport().width() - sum(widths[c] for c in shown) + 1
        for c, width in enumerate(widths):
            hidden = hide and c in optional
            if self.isColumnHidden(c) != hidden:    # setColumnHidden repaints the table even when nothing changes
                self.setColumnHidden(c, hidden)
            if self.columnWidth(c) != width:
                self.setColumnWidth(c, width)
        self._place_more(hide, sum(widths[c] for c in shown), overflow=spare < 0)
        if spare < 0:
            self.updateGeometries()    # the scroll bar (and the way back on it) now, not after the next layout
        if self.wordWrap() != wrap:
            self.setWordWrap(wrap)     # wrapping lays out every cell's text: only when it is needed
        line = self.fontMetrics().height()
        for r in range(self.payback.rowCount()):
            count = max(len(wrapped_lines(text, lines)) for text in self.payback.row_texts(r)) if wrap else 1
            height = count * line + 6
            view_row = self.sorted.mapFromSource(self.payback.index(r, 0)).row()
            if self.rowHeight(view_row) != height:
                self.setRowHeight(view_row, height)

    def _more_width(self) -> int:
        return self.fontMetrics().horizontalAdvance("+ " + ", ".join(OPTIONAL)) + 10

    def _place_more(self, hidden: bool, used: int, overflow: bool) -> None:
        """The sign that columns are left out, in the header's strip right of the last column (which the widths
        above leave free: never over a column). Once the analyst has brought them back, the same place offers to
        leave them out again, or the end of the scroll bar when the table now scrolls sideways."""
        self.less.setVisible(self.all_columns and overflow)
        if not hidden and not (self.all_columns and not overflow):
            self.more.hide()
            return
        self.more.setText(("+ " if hidden else "− ") + ", ".join(OPTIONAL))
        self.more.setToolTip(self._more_tip if hidden else self.less.toolTip())
        frame = self.frameWidth()
        self.more.setGeometry(frame + used, frame, self._more_width(), self.horizontalHeader().height())
        self.more.show()

    def _toggle_all_columns(self) -> None:
        self.all_columns = not self.all_columns
        self.fit_columns()

    def _widths(self, lines: int) -> list[int]:
        fm, bold = self.fontMetrics(), _bold_metrics(self)
        header_fm = self.horizontalHeader().fontMetrics()
        rows = [self.payback.row_texts(r) for r in range(self.payback.rowCount())]
        out = []
        arrow = self.horizontalHeader().sortIndicatorSection()     # the sorted column's header also shows an arrow
        for c, (title, _tip, _fmt) in enumerate(COLUMNS):
            width = max(header_fm.horizontalAdvance(line) for line in title.split("\n"))
            texts = {r[c] for r in rows[1:]}
            if lines > 1:
                texts = {line for text in texts for line in wrapped_lines(text, lines)}
            # The widest text is among the longest: measure only those (hundreds of rows in large scenarios).
            for text in sorted(texts, key=len, reverse=True)[:6]:
                width = max(width, fm.horizontalAdvance(text))
            if rows:
                sector = rows[0][c]
                parts = wrapped_lines(sector, lines) if lines > 1 else (sector,)
                width = max(width, *(bold.horizontalAdvance(part) for part in parts))
            # 5 px each side: at 1280x720 the shortfalls beyond the horizon ("−$2.8T at 2035", bold on the sector
            # row) then fit on one line beside the "+ NPV, IRR" sign, as "not within horizon" did
            out.append(width + 10 + (16 if c == arrow else 0))
        return out

    def needed_height(self) -> int:
        rows = sum(self.rowHeight(r) for r in range(self.payback.rowCount()))
        rows = max(rows, self.verticalHeader().minimumSectionSize() * self.payback.rowCount())
        return rows + self.horizontalHeader().height() + 2 * self.frameWidth() + 2

    def whole_rows_height(self, limit: int) -> int:
        """The table's height within ``limit``: every row when they fit, else as many whole rows as fit (no row
        cut in half at the bottom; the scroll bar says there are more)."""
        needed = self.needed_height()
        if needed <= limit:
            return needed
        height = self.horizontalHeader().height() + 2 * self.frameWidth()
        if self.horizontalScrollBar().isVisible():
            height += self.horizontalScrollBar().height()
        for r in range(self.sorted.rowCount()):
            if height + self.rowHeight(r) > limit:
                break
            height += self.rowHeight(r)
        return height

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._silent or not current.isValid():
            return
        name = self.payback.entity_at(self.sorted.mapToSource(current).row())
        results = self.payback.results
        self.entitySelected.emit("" if results is not None and name == results.sector.name else name)

    def select_entity(self, company: str) -> None:
        results = self.payback.results
        name = company or (results.sector.name if results is not None else "")
        source = self.payback.row_of(name)
        row = self.sorted.mapFromSource(self.payback.index(source, 0)).row() if source >= 0 else -1
        if row < 0 or self.currentIndex().row() == row:
            return
        self._silent = True
        try:
            self.selectRow(row)
        finally:
            self._silent = False


    # -- copying and sorting ---------------------------------------------------------------------------------------
    def copy_table(self) -> str:
        """The whole table, in the order on screen, to the clipboard as tab-separated text (with its header)."""
        rows = [self.sorted.mapToSource(self.sorted.index(r, 0)).row() for r in range(self.sorted.rowCount())]
        text = self.payback.as_text(rows)
        QGuiApplication.clipboard().setText(text)
        return text

    def sheet_order(self) -> None:
        self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        self.sorted.sort(-1)
        self.fit_columns()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy_table()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        menu.addAction("Copy the table as text", self.copy_table)
        menu.addAction("Sheet order", self.sheet_order)
        menu.addAction("Hide NPV and IRR when there is no room" if self.all_columns else
                       "Always show NPV and IRR", self._toggle_all_columns)
        menu.exec(event.globalPos())


def _bold_metrics(widget: QWidget) -> QFontMetrics:
    font = QFont(widget.font())
    font.setBold(True)
    return QFontMetrics(font)
