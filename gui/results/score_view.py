"""The bubble score: the composite, its reading, and one bar per indicator showing what it contributes."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QHelpEvent, QPainter, QPaintEvent, QPalette, QPen, QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolTip, QVBoxLayout, QWidget

from gui import theme
from gui.results.score_history import ScoreHistoryChart
from model.core import formatting
from model.core.results import BubbleScore, IndicatorScore, Results


@dataclass(frozen=True)
class BarRow:
    name: str
    value: str          # the indicator's value in its unit, or "no data"
    contribution: str   # points added to the composite
    tooltip: str


def indicator_tooltip(ind: IndicatorScore, red: float) -> str:
    lines = [f"<b>{ind.name}</b> = {ind.formula}", f"Value: {formatting.indicator_value(ind)}"]
    direction = "≤" if ind.bubble > ind.healthy else "≥"
    opposite = "≥" if direction == "≤" else "≤"
    lines.append(f"Healthy {direction} {formatting.threshold(ind, ind.healthy)} (score 0), "
                 f"bubble {opposite} {formatting.threshold(ind, ind.bubble)} (score 100)")
    if ind.available:
        lines.append(f"Score: {formatting.score(ind.score)} / 100{' — red gauge' if ind.is_red(red) else ''}")
        lines.append(f"Weight: {ind.weight:g} ({ind.weight_share:.0%} of the weights with data)")
        lines.append(f"Contribution: {ind.contribution:.1f} points of the composite")
    else:
        lines.append(f"Weight: {ind.weight:g} — not scored: {ind.note or 'no data'}; the other weights are renormalised")
    if ind.note and ind.available:
        lines.append(ind.note)
    return "<br>".join(lines)


def bar_rows(score: BubbleScore) -> list[BarRow]:
    return [BarRow(i.name, formatting.indicator_value(i), f"{i.contribution:.1f}" if i.available else "–",
                   indicator_tooltip(i, score.red_threshold)) for i in score.indicators]


class IndicatorBars(QWidget):
    """One row per indicator: name, value, a track as wide as its weight share and a fill as long as its
    contribution (so the fills add up to the composite), and the points it contributes."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.score: BubbleScore | None = None
        self.rows: list[BarRow] = []
        self.paint_count = 0
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_score(self, score: BubbleScore | None) -> None:
        rows = bar_rows(score) if score is not None else []
        if len(rows) != len(self.rows):
            self.updateGeometry()
        self.score, self.rows = score, rows
        self.update()

    def _row_height(self) -> int:
        return self.fontMetrics().height() + 6

    def sizeHint(self) -> QSize:
        return QSize(360, self._row_height() * max(len(self.rows), 9) + 4)

    def minimumSizeHint(self) -> QSize:
        # every indicator stays readable, at the tightest row _geometry paints (a line of text and 2 px): the
        # score-by-year chart below gives up its height first, then these rows their padding
        return QSize(240, (self.fontMetrics().height() + 2) * max(len(self.rows), 5) + 4)

    def _geometry(self) -> tuple[float, float, float, float, float]:
        fm = self.fontMetrics()
        width = self.width()
        name_w = min(max((fm.horizontalAdvance(r.name) for r in self.rows), default=0) + 8, width * 0.42)
        value_w = fm.horizontalAdvance("100.0%  ") + 4
        points_w = fm.horizontalAdvance("00.0") + 6
        bar_x = name_w + value_w
        bar_w = max(width - bar_x - points_w - 4, 10)
        row_h = min(self._row_height() * 1.0, max(self.height() / max(len(self.rows), 1), fm.height() + 2))
        return name_w, value_w, bar_x, bar_w, row_h

    def paintEvent(self, _event: QPaintEvent) -> None:
        self.paint_count += 1
        if self.score is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        muted = theme.muted(palette)
        track = theme.grid_color(palette)
        fm = self.fontMetrics()
        name_w, value_w, bar_x, bar_w, row_h = self._geometry()
        indicators = self.score.indicators
        max_share = max((i.weight_share for i in indicators if i.available), default=1.0) * 100.0
        for k, (ind, row) in enumerate(zip(indicators, self.rows, strict=True)):
            y = k * row_h
            baseline_rect = QRectF(0, y, name_w - 6, row_h)
            painter.setPen(text if ind.available else muted)
            painter.drawText(baseline_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                             fm.elidedText(row.name, Qt.TextElideMode.ElideRight, int(name_w - 6)))
            painter.setPen(muted)
            painter.drawText(QRectF(name_w, y, value_w - 8, row_h),
                             Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, row.value)
            bar_h = max(row_h * 0.5, 4)
            bar_y = y + (row_h - bar_h) / 2
            if ind.available:
                share_w = bar_w * (ind.weight_share * 100.0) / max_share
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(track)
                painter.drawRoundedRect(QRectF(bar_x, bar_y, share_w, bar_h), 2, 2)
                fill_w = bar_w * ind.contribution / max_share
                painter.setBrush(_score_color(ind.score or 0.0, self.score.red_threshold))
                painter.drawRoundedRect(QRectF(bar_x, bar_y, fill_w, bar_h), 2, 2)
                painter.setPen(text)
                painter.drawText(QRectF(bar_x + bar_w, y, self.width() - bar_x - bar_w, row_h),
                                 Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, row.contribution)
            else:
                painter.setPen(QPen(track, 1, Qt.PenStyle.DashLine))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRoundedRect(QRectF(bar_x, bar_y, bar_w * 0.15, bar_h), 2, 2)
        painter.end()

    def row_at(self, y: float) -> int | None:
        if not self.rows:
            return None
        row = int(y // self._geometry()[4])
        return row if 0 <= row < len(self.rows) else None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            row = self.row_at(event.position().y() if hasattr(event, "position") else event.pos().y())
            if row is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.rows[row].tooltip, self)
            return True
        return super().event(event)


def _score_color(score: float, red: float) -> QColor:
    """Green at 0, amber at 50, red from the red-gauge score (IndicatorScore.is_red: the model's rule)."""
    green, amber, redc = QColor("#3a9a4a"), QColor("#e0a526"), QColor("#d64541")
    if score >= red:      # the same comparison as IndicatorScore.is_red, on the score being painted
        return redc
    t = score / max(red, 1.0)
    return theme.blend(green, amber, t * 2) if t < 0.5 else theme.blend(amber, redc, (t - 0.5) * 2)


class ScoreView(QWidget):
    """The composite for the sector, or for the company selected elsewhere."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entity = ""
        self.title = QLabel("Bubble score")
        self.title.setFont(theme.heading_font(self, 1.0))
        self.composite = QLabel("–")
        self.composite.setFont(theme.heading_font(self, 2.6))
        self.composite.setAlignment(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft)
        self.reading = QLabel("")
        self.reading.setFont(theme.heading_font(self, 1.35))
        self.detail = QLabel("")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.bars = IndicatorBars(self)
        self.axis = QLabel("bar: points contributed · track: the indicator's weight")
        self.axis.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.axis.setWordWrap(True)
        self.history = ScoreHistoryChart(self)
        self.yearChosen = self.history.yearChosen

        head = QHBoxLayout()
        head.setSpacing(12)
        head.addWidget(self.composite)
        right = QVBoxLayout()
        right.setSpacing(0)
        right.addWidget(self.reading)
        right.addWidget(self.detail)
        head.addLayout(right, 1)
        layout = self.column = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 4)
        layout.setSpacing(4)
        layout.addWidget(self.title)
        layout.addLayout(head)
        layout.addWidget(self.bars)
        layout.addWidget(self.axis)
        layout.addWidget(self.history, 1)
        self._restyle()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()
        super().changeEvent(event)

    def sizeHint(self) -> QSize:
        # with room for a readable score-by-year chart (its own hint: the plot at 150 px), whether or not it is
        # hidden for lack of height now
        base = super().sizeHint()
        hidden = 0 if self.history.isVisibleTo(self) else self.history.sizeHint().height() + self.column.spacing()
        return QSize(base.width(), base.height() + hidden)

    def minimumSizeHint(self) -> QSize:
        # The indicator bars are the score's substance; the score-by-year chart gives way to them on a short window
        # (1280x720: the inputs keep their rows). So the minimum leaves the chart out, and resizeEvent hides it
        # while the height is short of its room, shows it again once there is.
        return QSize(super().minimumSizeHint().width(), self.heights()[0])

    def heights(self, width: int = 0) -> tuple[int, int]:
        """The least height without the score-by-year chart and with it, at ``width`` (else the current width):
        the wrapping labels (the gauges' count, the axis note) need more lines on a narrow panel."""
        layout = self.column
        width = width or self.width()
        total = (layout.minimumHeightForWidth(width) if layout.hasHeightForWidth() and width > 0
                 else layout.minimumSize().height())
        room = self.history_room()
        return (total - room, total) if self.history.isVisibleTo(self) else (total, total + room)

    def history_room(self) -> int:
        """The height the score-by-year chart needs below the axis note: its minimum and the spacing before it."""
        return self.history.minimumSizeHint().height() + self.column.spacing()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        hidden = not self.history.isVisibleTo(self)
        fits = event.size().height() >= self.heights(event.size().width())[1]
        if fits == hidden:       # only on a change: setVisible relayouts
            self.history.setVisible(fits)
            self.updateGeometry()

    def _restyle(self) -> None:
        muted = theme.muted(self.palette()).name()
        self.detail.setStyleSheet(f"color: {muted}")
        self.axis.setStyleSheet(f"color: {muted}; font-size: {max(self.font().pointSizeF() * 0.85, 7):.1f}pt")

    def show_results(self, results: Results | None, entity: str = "") -> None:
        if results is None:
            self.composite.setText("–")
            self.reading.setText("not computed")
            self.detail.setText("The inputs have errors: see the status bar.")
            self.bars.set_score(None)
            self.history.show_entity(None)
            return
        name = entity if entity in results.companies else results.sector.name
        self.entity = name
        score = results.entity(name).score
        who = "Sector" if name == results.sector.name else name
        _set_text(self.title, f"Bubble score · {who} · {score.year}")
        _set_text(self.composite, formatting.score(score.composite))
        _set_text(self.reading, score.label)
        style = f"color: {theme.label_color(score.label).name()}"
        if self.composite.styleSheet() != style:   # a style sheet change re-polishes (and relayouts) the label
            self.composite.setStyleSheet(style)
            self.reading.setStyleSheet(style)
        detail = f"{score.red_count} red gauge{'s' if score.red_count != 1 else ''} of {score.scored} scored"
        if score.missing:
            detail += f" · no data: {', '.join(score.missing)}"
        _set_text(self.detail, detail)
        self.detail.setToolTip(detail)
        self.bars.set_score(score)
        self.history.show_entity(results, name)


def _set_text(label: QLabel, text: str) -> None:
    if label.text() != text:
        label.setText(text)
