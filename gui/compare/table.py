"""The compare view's tables: the measures of every entity per scenario, and the chosen entity's score breakdown.

Rows (``gui.compare.rows``) down, the compared scenarios across. Each cell draws a scenario's value and its
difference to the base in green (better) or red (worse); each column header carries the scenario's colour, the
charts' line colour. The items are created when the rows or the scenarios change, and only re-set afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRect, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QPainter,
    QPalette,
    QResizeEvent,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from gui import theme
from gui.compare.rows import Cell, Row
from gui.layouts import fitted_table

DIFF_ROLE = Qt.ItemDataRole.UserRole + 1        # the difference to the base, as text
DIRECTION_ROLE = Qt.ItemDataRole.UserRole + 2   # +1 better than the base, −1 worse, 0 the same


def wrap_text(text: str, fm: QFontMetrics, width: int, max_lines: int = 4) -> str:
    """Words onto lines no wider than ``width`` pixels (a word wider than that keeps a line of its own)."""
    lines: list[str] = []
    for word in text.split():
        if lines and fm.horizontalAdvance(lines[-1] + " " + word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [fm.elidedText(" ".join(lines[max_lines - 1:]), Qt.TextElideMode.ElideRight,
                                                        width)]
    return "\n".join(lines)


def _shown_diff(diff: str) -> str:
    """The difference as drawn: none when the scenario equals the base (its value is greyed instead)."""
    return "" if diff in ("", "=") else diff


def wrap_width(text: str, fm: QFontMetrics, lines: int = 3) -> int:
    """The narrowest width at which ``text`` wraps onto at most ``lines`` lines."""
    low = max((fm.horizontalAdvance(w) for w in text.split()), default=0)
    high = max(fm.horizontalAdvance(text), low)
    while low < high:
        mid = (low + high) // 2
        if wrap_text(text, fm, mid, max_lines=99).count("\n") < lines:
            high = mid
        else:
            low = mid + 1
    return low


VALUE_LINES = 3     # a value may wrap onto three lines ("−$486B at 2035;" "≈ 2097, beyond" "the horizon")
DIFF_LINES = 2      # a difference onto two


def wrap_lines(text: str, fm: QFontMetrics, width: int, max_lines: int = DIFF_LINES) -> list[str]:
    """``text`` on one line when it fits, else on up to ``max_lines`` (a narrow column: 'nothing to' over 'pay
    back')."""
    if not text:
        return []
    if fm.horizontalAdvance(text) <= width:
        return [text]
    return wrap_text(text, fm, width, max_lines=max_lines).split("\n")


class DiffDelegate(QStyledItemDelegate):
    """A scenario's value and its difference to the base in green (better) or red (worse): beside the value when
    every column has room, else under it (and a long text wraps in a narrow column). A value equal to the base's
    is greyed, with no difference."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.one_line = False
        self.slots: dict[int, int] = {}      # column -> the width kept for the differences (one-line layout)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
              ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        palette = opt.palette
        foreground = index.data(Qt.ItemDataRole.ForegroundRole)
        pen = foreground.color() if isinstance(foreground, QBrush) else palette.color(QPalette.ColorRole.Text)
        rect = opt.rect.adjusted(CELL_LEFT, 0, -CELL_RIGHT, 0)
        fm = opt.fontMetrics
        painter.save()
        painter.setFont(opt.font)
        if index.column() == 0:
            painter.setPen(pen)
            painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             fm.elidedText(text, Qt.TextElideMode.ElideRight, rect.width()))
            painter.restore()
            return
        raw = index.data(DIFF_ROLE) or ""
        diff = _shown_diff(raw)
        way = index.data(DIRECTION_ROLE) or 0
        right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        muted = theme.muted(palette)
        diff_color = (theme.label_color("Healthy") if way > 0 else theme.label_color("Bubble") if way < 0 else muted)
        value_pen = muted if raw == "=" and not isinstance(foreground, QBrush) else pen
        if self.one_line:
            slot = self.slots.get(index.column(), 0)
            value_rect = rect.adjusted(0, 0, -(slot + DIFF_GAP), 0) if slot else rect
            painter.setPen(value_pen)
            painter.drawText(value_rect, right, text)
            if diff:
                painter.setPen(diff_color)
                painter.drawText(rect, right, diff)
        else:
            lines = [(line, value_pen) for line in wrap_lines(text, fm, rect.width(), VALUE_LINES)]
            lines += [(line, diff_color) for line in wrap_lines(diff, fm, rect.width())]
            height = fm.height()
            top = rect.top() + (rect.height() - height * len(lines)) // 2
            for k, (line, color) in enumerate(lines):
                painter.setPen(color)
                painter.drawText(QRect(rect.left(), top + k * height, rect.width(), height), right, line)
        painter.restore()


DIFF_GAP = 10
CELL_LEFT, CELL_RIGHT = 6, 7
CELL_PAD = CELL_LEFT + CELL_RIGHT + 3


class ScenarioHeader(QHeaderView):
    """Column headers with the scenario's colour as a strip along the bottom (the charts' line colour)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.colors: dict[int, QColor] = {}

    STRIP = 7

    def paintSection(self, painter: QPainter, rect: QRect, logical: int) -> None:
        # The name above, the strip below it: the strip never covers a wrapped name's last line.
        painter.save()
        painter.fillRect(QRect(rect.left(), rect.bottom() - self.STRIP, rect.width(), self.STRIP + 1),
                         self.palette().color(QPalette.ColorRole.Button))
        painter.restore()
        super().paintSection(painter, rect.adjusted(0, 0, 0, -self.STRIP), logical)
        color = self.colors.get(logical)
        if color is not None:
            painter.save()
            height = 5 if logical == 1 else 3
            painter.fillRect(QRect(rect.left() + 2, rect.bottom() - height, rect.width() - 4, height), color)
            painter.restore()


class CompareTable(QTableView):
    """Rows (an entity's heading, then its measures) down, the compared scenarios across; updated in place."""

    rowClicked = Signal(str)      # the entity of the row clicked

    def __init__(self, first_header: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.first_header = first_header
        self.header = ScenarioHeader(self)
        self.setHorizontalHeader(self.header)
        self.items = QStandardItemModel(self)
        self.setModel(self.items)
        self.delegate = DiffDelegate(self)
        self.setItemDelegate(self.delegate)
        fitted_table(self, self.fontMetrics().height() + 4)
        # No selection highlight: it would hide the greens and reds. The chosen entity's rows are tinted instead.
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWordWrap(False)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)   # no width jump when rows grow
        self.header.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.names: tuple[str, ...] = ()
        self.rows: list[Row] = []
        self.highlight = ""
        self._keys: list[tuple[str, ...]] = []
        self._row_of: dict[tuple[str, ...], int] = {}
        self._colors: dict[str, QColor] = {}
        self._tips: dict[str, str] = {}
        # Text widths and wrapped line counts, kept until the font changes; the columns' measures until the rows do.
        self._advance: dict[str, int] = {}
        self._line_count: dict[tuple[str, int, int], int] = {}
        self._narrowest: dict[tuple[str, int], int] = {}
        self._styled: tuple[str, int] | None = None     # (highlight, rows built) the backgrounds were set for
        self._builds = 0
        self._measured: tuple[int, list[int], list[int], list[int], list[int]] | None = None
        self.clicked.connect(self._on_clicked)

    # -- data -------------------------------------------------------------------------------------------------------
    def set_rows(self, names: Sequence[str], rows: list[Row], colors: dict[str, QColor],
                 header_tips: dict[str, str]) -> None:
        names = tuple(names)
        keys = [r.key for r in rows]
        previous: list[Row] | None = self.rows
        if names != self.names or keys != self._keys:
            self._rebuild(names, rows)
            previous = None
        self.names, self.rows, self._keys = names, rows, keys
        self._colors, self._tips = dict(colors), dict(header_tips)
        self._measured = None
        for r, row in enumerate(rows):
            if row.group:
                continue
            before = previous[r].cells if previous is not None else {}
            for c, name in enumerate(names, start=1):
                cell = row.cells.get(name, Cell("–"))
                if before.get(name) == cell:
                    continue            # most cells of an edit stay as they were: no item is touched
                item = self.items.item(r, c)
                if item.text() != cell.text:
                    item.setText(cell.text)
                if item.data(DIFF_ROLE) != cell.diff:
                    item.setData(cell.diff, DIFF_ROLE)
                if item.data(DIRECTION_ROLE) != cell.direction:
                    item.setData(cell.direction, DIRECTION_ROLE)
                if item.toolTip() != cell.tooltip:
                    item.setToolTip(cell.tooltip)
                if cell.color:
                    if item.data(Qt.ItemDataRole.ForegroundRole) != QBrush(QColor(cell.color)):
                        item.setForeground(QColor(cell.color))
                elif item.data(Qt.ItemDataRole.ForegroundRole) is not None:
                    item.setData(None, Qt.ItemDataRole.ForegroundRole)
        self._style_rows()
        self._set_headers()
        self.fit_columns()

    def _rebuild(self, names: tuple[str, ...], rows: list[Row]) -> None:
        self.names, self.rows = (), []      # nothing to fit while the items are replaced
        self.clearSpans()
        self.items.clear()
        self.items.setColumnCount(1 + len(names))
        self.items.setRowCount(len(rows))
        bold = QFont(self.font())
        bold.setBold(True)
        for r, row in enumerate(rows):
            first = QStandardItem(row.label)
            first.setEditable(False)
            if row.tooltip:
                first.setToolTip(row.tooltip)
            if row.group:
                first.setFont(bold)
            self.items.setItem(r, 0, first)
            for c in range(1, 1 + len(names)):
                item = QStandardItem()
                item.setEditable(False)
                self.items.setItem(r, c, item)
            if row.group:
                self.setSpan(r, 0, 1, 1 + len(names))
        for c, name in enumerate(("",) + names):
            self.items.setHorizontalHeaderItem(c, QStandardItem(self.first_header if c == 0 else name))
        self._row_of = {row.key: r for r, row in enumerate(rows)}
        self._builds += 1

    def set_highlight(self, entity: str) -> None:
        if entity != self.highlight:
            self.highlight = entity
            self._style_rows()

    def _style_rows(self, force: bool = False) -> None:
        """Backgrounds: an entity's heading, and the chosen entity's rows tinted. Set when the rows, the choice or
        the palette change, not on every update."""
        if not force and self._styled == (self.highlight, self._builds):
            return
        self._styled = (self.highlight, self._builds)
        palette = self.palette()
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        group = QBrush(theme.blend(base, text, 0.08))
        chosen_group = QBrush(theme.blend(base, highlight, 0.30))
        chosen = QBrush(theme.blend(base, highlight, 0.07))
        for r, row in enumerate(self.rows):
            mine = bool(self.highlight) and row.entity == self.highlight
            brush = (chosen_group if mine else group) if row.group else chosen if mine else None
            for c in range(self.items.columnCount()):
                item = self.items.item(r, c)
                if item is None:
                    continue
                current = item.data(Qt.ItemDataRole.BackgroundRole)
                if brush is None:
                    if current is not None:
                        item.setData(None, Qt.ItemDataRole.BackgroundRole)
                elif current != brush:
                    item.setBackground(brush)

    def _set_headers(self) -> None:
        colors = {}
        for c, name in enumerate(self.names, start=1):
            item = self.items.horizontalHeaderItem(c)
            if name in self._colors:
                colors[c] = self._colors[name]
            tip = self._tips.get(name, "")
            if item.toolTip() != tip:
                item.setToolTip(tip)
        if colors != self.header.colors:
            self.header.colors = colors
            self.header.viewport().update()

    # -- reading it (tests, the screenshot's checks) ---------------------------------------------------------------
    def cell(self, key: tuple[str, ...], name: str) -> tuple[str, str]:
        """(value, difference) as shown for the row ``key`` and the scenario ``name``."""
        item = self.items.item(self._row_of[key], 1 + self.names.index(name))
        return item.text(), item.data(DIFF_ROLE) or ""

    def header_texts(self) -> tuple[str, ...]:
        """The column headers as shown, lines joined with a space."""
        return tuple(" ".join(self.items.horizontalHeaderItem(c).text().split())
                     for c in range(1, self.items.columnCount()))

    def row_of(self, key: tuple[str, ...]) -> int:
        return self._row_of.get(key, -1)

    # -- layout -------------------------------------------------------------------------------------------------------
    def _measure(self) -> tuple[int, list[int], list[int], list[int], list[int]]:
        """The label column's width; per scenario the narrowest width (long texts on two lines), the width of a
        value over its difference, of a value beside the widest difference (one line), and that difference."""
        if self._measured is not None:
            return self._measured
        fm = self.fontMetrics()
        header_fm = self.header.fontMetrics()
        advance = self._width
        labels = {r.label for r in self.rows if not r.group}
        first = max([header_fm.horizontalAdvance(self.first_header), *map(advance, labels)]) + CELL_PAD
        narrowest = self._narrowest

        def wrapped(text: str, lines: int) -> int:
            if (text, lines) not in narrowest:
                narrowest[(text, lines)] = wrap_width(text, fm, lines)
            return narrowest[(text, lines)]

        mins, twos, ones, slots = [], [], [], []
        for name in self.names:
            cells = [r.cells.get(name, Cell("")) for r in self.rows if not r.group]
            values = {x.text for x in cells}
            diffs = {_shown_diff(x.diff) for x in cells}
            # each value and difference on a line of its own; a value in two parts (a payback beyond the horizon:
            # "−$486B at 2035; ≈ 2097, beyond the horizon") on up to three
            widest = max([*(wrapped(t, VALUE_LINES) if "; " in t else advance(t) for t in values),
                          *map(advance, diffs)], default=0)
            value = max(map(advance, values), default=0)
            slot = max(map(advance, diffs), default=0)
            header = wrap_width(name, header_fm) + 14
            narrow = max([*(wrapped(t, VALUE_LINES) for t in values), *(wrapped(t, DIFF_LINES) for t in diffs)],
                         default=0)
            mins.append(max(narrow + CELL_PAD, header))
            twos.append(max(widest + CELL_PAD, header))
            ones.append(max(value + (DIFF_GAP + slot if slot else 0) + CELL_PAD, header))
            slots.append(slot)
        self._measured = (first, mins, twos, ones, slots)
        return self._measured

    def _width(self, text: str) -> int:
        width = self._advance.get(text)
        if width is None:
            width = self._advance[text] = self.fontMetrics().horizontalAdvance(text)
        return width

    def _lines(self, text: str, width: int, max_lines: int = DIFF_LINES) -> int:
        """How many lines the delegate draws ``text`` on in a column ``width`` pixels wide (inside the padding)."""
        if not text:
            return 0
        if self._width(text) <= width:
            return 1
        key = (text, width, max_lines)
        if key not in self._line_count:
            if len(self._line_count) > 20_000:     # many resizes: start over rather than grow
                self._line_count.clear()
            self._line_count[key] = len(wrap_lines(text, self.fontMetrics(), width, max_lines))
        return self._line_count[key]

    def needed_width(self) -> int:
        """The width that shows every column with each value and difference on a line of its own."""
        if not self.names:
            return 200
        first, _mins, twos, _ones, _slots = self._measure()
        return first + sum(twos) + self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth() + 2

    def fit_columns(self) -> None:
        """The labels as wide as they need, the scenarios share the rest. Each difference beside its value when
        every column has room, else under it in the rows where something differs (those rows grow); in a narrow
        column long texts wrap. Scenario names wrap in the header."""
        if not self.names:
            return
        fm = self.fontMetrics()
        first, mins, twos, ones, slots = self._measure()
        available = self.viewport().width() - first - 1
        one_line = sum(ones) <= available
        if one_line:
            widths = list(ones)
        else:
            widths = list(mins)
            room = available - sum(mins)
            wanted = [t - m for t, m in zip(twos, mins, strict=True)]
            if room > 0 and sum(wanted) > 0:
                share = min(1.0, room / sum(wanted))
                widths = [m + int(w * share) for m, w in zip(mins, wanted, strict=True)]
        # Spare room goes to the scenarios, up to a point: a value far from its label is harder to read.
        extra = max(available - sum(widths), 0)
        widths = [w + min(extra // len(widths), 48) for w in widths]
        self.delegate.one_line = one_line
        self.delegate.slots = {c: slot for c, slot in enumerate(slots, start=1)}
        if self.columnWidth(0) != first:
            self.setColumnWidth(0, first)
        header_fm = self.header.fontMetrics()
        for c, width in enumerate(widths, start=1):
            if self.columnWidth(c) != width:
                self.setColumnWidth(c, width)
            item = self.items.horizontalHeaderItem(c)
            text = wrap_text(self.names[c - 1], header_fm, width - 12)
            if item.text() != text:
                item.setText(text)
        # As tall as the most wrapped name, plus the colour strip under it.
        height = (max(self.header.sectionSizeFromContents(c).height() for c in range(len(widths) + 1))
                  + ScenarioHeader.STRIP)
        if self.header.height() != height:
            self.header.setFixedHeight(height)
        line = fm.height()
        inner = [w - CELL_LEFT - CELL_RIGHT for w in widths]
        for r, row in enumerate(self.rows):
            lines = 1
            if not row.group and not one_line:
                for c, name in enumerate(self.names):
                    cell = row.cells.get(name)
                    if cell is not None:
                        lines = max(lines, self._lines(cell.text, inner[c], VALUE_LINES)
                                    + self._lines(_shown_diff(cell.diff), inner[c]))
            height = lines * line + 10
            if self.rowHeight(r) != height:
                self.setRowHeight(r, height)
        self.viewport().update()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_columns()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.rows:
            self._style_rows(force=True)
        elif event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._advance.clear()
            self._line_count.clear()
            self._narrowest.clear()
            self._measured = None
            self.fit_columns()

    def _on_clicked(self, index: QModelIndex) -> None:
        if 0 <= index.row() < len(self.rows) and self.rows[index.row()].entity:
            self.rowClicked.emit(self.rows[index.row()].entity)

    def scroll_to_entity(self, entity: str) -> None:
        row = self.row_of((entity,))
        if row >= 0:
            self.scrollTo(self.items.index(row, 0), QAbstractItemView.ScrollHint.PositionAtTop)

