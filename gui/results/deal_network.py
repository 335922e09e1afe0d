"""The deal network: companies on a circle, deals as arrows from investor to investee.

Thickness is the amount, colour the kind of deal; deals that lie on a cycle of money (funding out, purchases back)
are haloed. Each company is labelled with the share of its AI revenue that is recycled from its own deals.
Items are kept per company and per (investor, investee, kind) and updated in place when results change.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPainterPathStroker,
    QPalette,
    QPen,
    QPolygonF,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from gui import theme
from gui.results import palette_map
from model.core import formatting
from model.core.results import DealFlow, Results
from model.core.schema import DEAL_KIND_NAMES

MAX_NODES = 14   # more labels than this do not fit around a circle in a quarter of the window
NODE = 9.0
LABEL_GAP = NODE + 4
CAPTION = ("on a cycle of money", "width: amount", "n%: revenue recycled")
NO_LEGEND = "hover a line: its deal"     # said instead of the legend when the view is too small for both


@dataclass
class EdgeData:
    investor: str
    investee: str
    kind: str
    amount: float = 0.0
    in_cycle: bool = False
    deals: list[DealFlow] = field(default_factory=list)


def edges_of(results: Results, shown: set[str]) -> dict[tuple[str, str, str], EdgeData]:
    edges: dict[tuple[str, str, str], EdgeData] = {}
    for deal in results.deals.deals:
        if deal.investor not in shown or deal.investee not in shown:
            continue
        key = (deal.investor, deal.investee, deal.kind)
        edge = edges.setdefault(key, EdgeData(*key))
        edge.amount += deal.amount
        edge.in_cycle = edge.in_cycle or deal.in_cycle
        edge.deals.append(deal)
    return edges


def hub_of(edges: dict[tuple[str, str, str], EdgeData], names: list[str]) -> str:
    """The company most others deal with, drawn in the centre of the circle when it deals with at least half
    of them (OpenAI in the default scenario): its deals then run as spokes instead of chords crossing the
    circle. '' when no company stands out that much, or there are too few to form a ring."""
    if len(names) < 5:
        return ""
    partners: dict[str, set[str]] = {name: set() for name in names}
    for investor, investee, _ in edges:
        partners[investor].add(investee)
        partners[investee].add(investor)
    best = max(names, key=lambda name: (len(partners[name]), -names.index(name)))
    return best if len(partners[best]) >= max(3, (len(names) - 1) / 2) else ""


def nodes_of(results: Results) -> list[str]:
    """Companies with deals, the largest deal volumes first when there are too many to draw."""
    volume: dict[str, float] = {}
    for deal in results.deals.deals:
        for name in (deal.investor, deal.investee):
            volume[name] = volume.get(name, 0.0) + deal.amount
    names = [c for c in results.companies if c in volume]
    if len(names) > MAX_NODES:
        keep = set(sorted(names, key=lambda n: -volume[n])[:MAX_NODES])
        names = [n for n in names if n in keep]
    return names


class EdgeItem(QGraphicsPathItem):
    def __init__(self) -> None:
        super().__init__()
        self.halo = QGraphicsPathItem(self)
        self.halo.setFlag(QGraphicsItem.GraphicsItemFlag.ItemStacksBehindParent)
        self.head = QGraphicsPathItem(self)
        self.setAcceptHoverEvents(True)

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(max(self.pen().widthF(), 8.0))
        return stroker.createStroke(self.path())


class NodeItem(QGraphicsEllipseItem):
    def __init__(self, name: str) -> None:
        super().__init__(-NODE, -NODE, 2 * NODE, 2 * NODE)
        self.name = name
        self.backdrop = QGraphicsRectItem(self)    # first child, so drawn under the labels: edges pass behind them
        self.backdrop.setPen(Qt.PenStyle.NoPen)
        self.label = QGraphicsSimpleTextItem(self)
        self.share = QGraphicsSimpleTextItem(self)
        self.setAcceptHoverEvents(True)
        self.setZValue(5)


class DealNetwork(QGraphicsView):
    companyClicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setMinimumSize(220, 160)
        self.results: Results | None = None
        self.selected = ""
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[tuple[str, str, str], EdgeItem] = {}
        self.edge_data: dict[tuple[str, str, str], EdgeData] = {}
        self.positions: dict[str, QPointF] = {}
        self.order: list[str] = []
        self.note = ""
        self.center = QPointF(0, 0)
        self.legend: list[tuple[str, QPointF]] = []
        self.legend_on_right = False
        self.compact = False      # room for the names only (the recycled shares go to the tooltips)
        self.small_ring = False   # the hub's label below it reaches the ring: one line, drawn over the ring
        self.hub = ""             # the company drawn in the centre (hub_of)
        self.update_count = 0
        self._restyle()

    # -- data -----------------------------------------------------------------------------------------------------
    def show_results(self, results: Results) -> None:
        previous, self.results = self.results, results
        self.update_count += 1
        if (previous is not None and previous.deals == results.deals and previous.companies == results.companies
                and all(results.entity(n).in_sector == previous.entity(n).in_sector for n in self.nodes)):
            return   # an edit that moves no money between companies (e.g. capex) leaves the network as drawn
        names = nodes_of(results)
        with_deals = {d.investor for d in results.deals.deals} | {d.investee for d in results.deals.deals}
        self.note = (f"{len(names)} of {len(with_deals)} companies with deals (largest volumes)"
                     if len(names) < len(with_deals) else "")
        self.order = names
        scene = self.scene()
        for gone in set(self.nodes) - set(names):
            scene.removeItem(self.nodes.pop(gone))
        for name in names:
            if name not in self.nodes:
                node = self.nodes[name] = NodeItem(name)
                scene.addItem(node)
        self.edge_data = edges_of(results, set(names))
        for stale in set(self.edges) - set(self.edge_data):
            scene.removeItem(self.edges.pop(stale))
        for key in self.edge_data:
            if key not in self.edges:
                edge = self.edges[key] = EdgeItem()
                scene.addItem(edge)
        self.refresh()

    def set_selected(self, company: str) -> None:
        self.selected = company
        if self.results is not None:
            self.refresh()

    def refresh(self) -> None:
        results = self.results
        assert results is not None
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text)
        highlight = palette.color(QPalette.ColorRole.Highlight)
        colors = palette_map.company_colors(results)
        shares = results.deals.recycled_share_of_revenue
        small = self._small_font()
        self._layout_circle(small)
        backdrop = QColor(palette.color(QPalette.ColorRole.Base))
        backdrop.setAlpha(200)
        for name, node in self.nodes.items():
            pos = self.positions[name]
            node.setPos(pos)
            chosen = name == self.selected
            node.setBrush(QBrush(palette_map.color_of(colors, name)))
            node.setPen(QPen(highlight if chosen else palette.color(QPalette.ColorRole.Base), 3.5 if chosen else 1.5))
            share = shares.get(name, 0.0)
            node.label.setText(name)
            node.label.setFont(theme.heading_font(self, 0.95, bold=chosen))
            node.label.setBrush(text)
            # With room for two lines "12% recycled" goes under the name; without, "12%" beside it (the legend
            # says what the percentage is): never dropped.
            percent = formatting.percent(share, 0 if share >= 0.1 or share == 0 else 1)
            # On a small ring the hub's label is one line, "OpenAI 0%", drawn over the ring's lowest nodes: two
            # lines reached the nodes beside the hub too, and under them the label could not be read.
            inline = self.compact or (self.small_ring and name == self.hub)
            node.share.setText(percent if inline else f"{percent} recycled")
            node.share.setFont(small)
            node.share.setBrush(theme.muted(palette) if share == 0 else QColor(theme.DEAL_KIND_COLORS["vendor financing"]))
            _place_labels(node, pos - self.center, inline=inline)
            node.backdrop.setBrush(backdrop)
            node.setZValue(6 if inline and name == self.hub else 5)
            node.setToolTip(f"<b>{name}</b><br>Recycled share of AI revenue over the horizon: "
                            f"{formatting.percent(share, 1)}<br>{_deal_totals(results, name)}")
        _separate_labels(list(self.nodes.values()), self.viewport().height())
        amounts = [e.amount for e in self.edge_data.values()]
        top = max(amounts, default=1.0) or 1.0
        pairs: dict[frozenset[str], list[tuple[str, str, str]]] = {}
        for key in self.edge_data:
            pairs.setdefault(frozenset(key[:2]), []).append(key)
        for key, edge in self.edges.items():
            data = self.edge_data[key]
            siblings = sorted(pairs[frozenset(key[:2])])
            bend = (siblings.index(key) - (len(siblings) - 1) / 2) * 22.0 + (10.0 if len(siblings) > 1 else 0.0)
            width = 1.0 + 7.0 * math.sqrt(data.amount / top)
            faded = bool(self.selected) and self.selected not in key[:2]
            color = theme.deal_color(data.kind)
            if faded:
                color.setAlpha(60)
            path, head = _arrow(self.positions[key[0]], self.positions[key[1]], bend, width)
            edge.setPath(path)
            edge.setPen(QPen(color, width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.FlatCap))
            edge.head.setPath(head)
            edge.head.setBrush(color)
            edge.head.setPen(Qt.PenStyle.NoPen)
            halo = QColor(highlight)
            halo.setAlpha(70 if faded else 120)
            edge.halo.setPath(path)
            edge.halo.setPen(QPen(halo, width + 7, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
            edge.halo.setVisible(data.in_cycle)
            edge.setZValue(2 if not faded else 1)
            edge.setToolTip(_edge_tooltip(data))
        self.viewport().update()

    # -- layout and painting ----------------------------------------------------------------------------------------
    def _layout_circle(self, small: QFont) -> None:
        """Node positions in viewport pixels on an ellipse filling what the title and the legend leave free, with
        room around it for the labels (the view is never scaled, so text stays at the window's font size)."""
        width, height = max(self.viewport().width(), 100), max(self.viewport().height(), 100)
        top = self.fontMetrics().height() + 12
        self.hub = hub_of(self.edge_data, self.order)
        ring = [name for name in self.order if name != self.hub]
        n = max(len(ring), 1)
        # The legend goes where it leaves the larger ring: a column on the right, or lines at the bottom. When
        # neither leaves a ring whose nodes stay apart (a 1024x640 window), the legend gives way to a line saying
        # the lines' tooltips name each deal: nodes drawn over each other and over the labels say nothing.
        layouts = []
        for on_right in (False, True):
            legend = self._legend_layout(width, height, on_right)
            area = QRectF(0, top, width, height - top)
            if on_right:
                area.setRight(legend[0][1].x() - 8)
            else:
                area.setBottom(legend[0][1].y() - 4)
            rx, ry, compact = self._ring_in(area, small)
            layouts.append((min(rx, ry), on_right, legend, area, rx, ry, compact))
        best = max(layouts, key=lambda x: x[:2])
        # The ring must also hold the labels: about half the nodes' labels stack down each side of it.
        label_h = self.fontMetrics().height() * (1 if best[6] else 2) + 4
        if best[0] < max(_apart(n), (n / 2 - 1) * label_h / 2):
            area = QRectF(0, top, width, height - top - QFontMetrics(small).height() - 4)
            rx, ry, compact = self._ring_in(area, small)
            if min(rx, ry) > best[0]:
                best = (min(rx, ry), False, [], area, rx, ry, compact)
        _, self.legend_on_right, self.legend, area, rx, ry, self.compact = best
        self.small_ring = min(rx, ry) < 3 * LABEL_GAP + NODE
        self.center = area.center()
        self.positions = {name: QPointF(self.center.x() + rx * math.cos(-math.pi / 2 + 2 * math.pi * k / n),
                                        self.center.y() + ry * math.sin(-math.pi / 2 + 2 * math.pi * k / n))
                          for k, name in enumerate(ring)}
        if self.hub:
            self.positions[self.hub] = QPointF(self.center)
        self.setSceneRect(0, 0, width, height)

    def _small_font(self) -> QFont:
        """The recycled shares and the legend: a step below the window's font."""
        small = QFont(self.font())
        small.setPointSizeF(max(self.font().pointSizeF() * 0.85, 7.0))
        return small

    def _ring_in(self, area: QRectF, small: QFont) -> tuple[float, float, bool]:
        """The ring's radii (x, y) in ``area``, leaving room for the labels around it, and whether only the names
        fit (compact)."""
        fm = self.fontMetrics()
        small_fm = QFontMetrics(small)
        name_h = QFontMetrics(theme.heading_font(self, 0.95, bold=True)).height()
        share_h = small_fm.height() - 2            # the share line sits 2 px into the name's line
        # A label above or below a node starts LABEL_GAP from its centre. Too little room for two label lines
        # (a 1280 x 720 window): the name only; the recycled share stays in the node's tooltip.
        compact = area.height() / 2 - LABEL_GAP - name_h - share_h - 2 < 2.2 * fm.height()
        if compact:     # the share beside the name
            label_w = max((fm.horizontalAdvance(n) for n in self.order), default=0) + small_fm.horizontalAdvance(
                " 00%") + NODE + 8
        else:
            share_w = small_fm.horizontalAdvance("00.0% recycled")
            label_w = max((max(fm.horizontalAdvance(n), share_w) for n in self.order), default=0) + NODE + 8
        label_w = min(label_w, area.width() * 0.36)
        rx = max(20.0, area.width() / 2 - label_w - 4)
        ry = max(20.0, area.height() / 2 - LABEL_GAP - name_h - (0 if compact else share_h) - 2)
        return rx, ry, compact

    def _legend_layout(self, width: int, height: int, on_right: bool) -> list[tuple[str, QPointF]]:
        """Where each legend entry goes: a column on the right, or lines at the bottom."""
        fm = QFontMetrics(self._small_font())
        entries = [*DEAL_KIND_NAMES, *CAPTION]
        entry_w = [18 + fm.horizontalAdvance(e) for e in entries]
        column_w = max(entry_w) + 12
        if on_right:
            right = float(width - column_w)
            y0 = max(fm.height() + 12, height - len(entries) * fm.height() - 6)
            return [(e, QPointF(right, y0 + k * fm.height())) for k, e in enumerate(entries)]
        rows: list[list[int]] = [[]]
        x = 8.0
        for k, w in enumerate(entry_w):
            if rows[-1] and x + w + 12 > width:
                rows.append([])
                x = 8.0
            rows[-1].append(k)
            x += w + 12
        out = []
        y = height - len(rows) * fm.height() - 4
        for row in rows:
            x = 8.0
            for k in row:
                out.append((entries[k], QPointF(x, y)))
                x += entry_w[k] + 12
            y += fm.height()
        return out

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.results is not None:
            self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._restyle()
            if self.results is not None:
                self.refresh()

    def _restyle(self) -> None:
        self.setBackgroundBrush(self.palette().color(QPalette.ColorRole.Base))

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        """Title, legend and note, in viewport pixels."""
        painter.save()
        painter.resetTransform()
        palette = self.palette()
        fm = self.fontMetrics()
        width = self.viewport().width()
        painter.setFont(theme.heading_font(self, 1.0))
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(8, fm.ascent() + 6, "Deal network")
        painter.setFont(self.font())
        painter.setPen(theme.muted(palette))
        if self.note:
            painter.drawText(QRectF(0, 6, width - 8, fm.height()), Qt.AlignmentFlag.AlignRight, self.note)
        if not self.nodes:
            painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, "No deals between companies")
        small = self._small_font()
        painter.setFont(small)
        fm = QFontMetrics(small)
        if self.nodes and not self.legend:
            hint = f"{CAPTION[2]} · {NO_LEGEND}" if self.compact or self.small_ring else NO_LEGEND
            painter.drawText(QRectF(0, self.viewport().height() - fm.height() - 2, width - 8, fm.height()),
                             Qt.AlignmentFlag.AlignRight, fm.elidedText(hint, Qt.TextElideMode.ElideLeft, width - 16))
        for entry, pos in self.legend:
            x, y = pos.x(), pos.y()
            if entry == CAPTION[2]:
                if not (self.compact or self.small_ring):    # every label says "12% recycled": no key needed
                    continue
                painter.setPen(QColor(theme.DEAL_KIND_COLORS["vendor financing"]))
                painter.drawText(QPointF(x, y + fm.ascent()), "n%")
                painter.setPen(theme.muted(palette))
                painter.drawText(QPointF(x + 18, y + fm.ascent()), entry.removeprefix("n%: "))
                continue
            if entry in CAPTION:
                if entry == CAPTION[0]:
                    halo = QColor(palette.color(QPalette.ColorRole.Highlight))
                    halo.setAlpha(120)
                    painter.fillRect(QRectF(x, y + fm.height() / 2 - 5, 14, 10), halo)
                else:
                    painter.fillRect(QRectF(x, y + fm.height() / 2 - 1, 14, 2), theme.muted(palette))
                    painter.fillRect(QRectF(x + 4, y + fm.height() / 2 - 3, 6, 6), theme.muted(palette))
                painter.setPen(theme.muted(palette))
            else:
                painter.fillRect(QRectF(x, y + fm.height() / 2 - 3, 14, 6), theme.deal_color(entry))
                painter.setPen(palette.color(QPalette.ColorRole.Text))
            painter.drawText(QPointF(x + 18, y + fm.ascent()), entry)
        painter.restore()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        item = self.itemAt(event.position().toPoint())
        while item is not None and not isinstance(item, NodeItem):
            item = item.parentItem()
        self.companyClicked.emit(item.name if isinstance(item, NodeItem) and item.name != self.selected else "")
        super().mousePressEvent(event)


def _apart(ring: int) -> float:
    """The least radius at which ``ring`` nodes round a hub keep clear of it and of each other (a few px apart)."""
    clear = 2 * NODE + 4
    return max(clear, clear / 2 / math.sin(math.pi / ring)) if ring > 1 else clear


def _place_labels(node: NodeItem, pos: QPointF, inline: bool = False) -> None:
    """Labels outside the circle: to the right of nodes on the right half, to the left on the left half. The
    recycled share goes under the name, or beside it when ``inline`` (no room for two lines)."""
    angle = math.atan2(pos.y(), pos.x())
    label = node.label.boundingRect()
    share = node.share.boundingRect()
    dx, dy = math.cos(angle), math.sin(angle)
    gap = LABEL_GAP
    if pos.isNull():    # the hub in the centre: its label below it
        dx, dy = 0.0, 1.0
    if inline:
        line_w = label.width() + 3 + share.width()
        if abs(dx) < 0.3:
            x_label = -line_w / 2
            y = -gap - label.height() if dy < 0 else gap
        else:
            x_label = gap if dx > 0 else -gap - line_w
            y = -label.height() / 2
        x_share, y_share = x_label + label.width() + 3, y + (label.height() - share.height()) / 2
    elif abs(dx) < 0.3:   # top or bottom: centred above or below
        x_label, x_share = -label.width() / 2, -share.width() / 2
        y = -gap - label.height() - share.height() if dy < 0 else gap
        y_share = y + label.height() - 2
    else:
        x_label = gap if dx > 0 else -gap - label.width()
        x_share = gap if dx > 0 else -gap - share.width()
        y = -label.height() / 2 - share.height() / 2
        y_share = y + label.height() - 2
    node.label.setPos(x_label, y)
    node.share.setPos(x_share, y_share)
    text = QRectF(x_label, y, label.width(), label.height()).united(
        QRectF(x_share, y_share, share.width(), share.height()))
    node.backdrop.setRect(text.adjusted(-2, 0, 2, 0))


def _label_rect(node: NodeItem) -> QRectF:
    return node.backdrop.rect().translated(node.pos())


def _separate_labels(nodes: list[NodeItem], height: float) -> None:
    """Push apart labels that overlap (a small ring packs them close): the lower one moves down, the upper one
    up, by half the overlap each, until none overlaps (or enough passes); kept inside the view."""
    def shift(node: NodeItem, dy: float) -> None:
        for item in (node.label, node.share, node.backdrop):
            item.setY(item.y() + dy) if item is not node.backdrop else item.setRect(item.rect().translated(0, dy))

    for _ in range(4 * len(nodes)):      # each pass settles at least one pair; a dozen nodes need more than a few
        moved = False
        for i, a in enumerate(nodes):
            for b in nodes[i + 1:]:
                ra, rb = _label_rect(a), _label_rect(b)
                if not ra.intersects(rb):
                    continue
                overlap = min(ra.bottom(), rb.bottom()) - max(ra.top(), rb.top())
                if overlap <= 0:
                    continue
                upper, lower = (a, b) if ra.center().y() <= rb.center().y() else (b, a)
                up_room = _label_rect(upper).top() - 1
                step = overlap / 2 + 0.5
                shift(upper, -min(step, max(up_room, 0.0)))
                shift(lower, overlap + 1 - min(step, max(up_room, 0.0)))
                moved = True
        if not moved:
            break
    for node in nodes:     # nothing pushed out of the bottom
        below = _label_rect(node).bottom() - (height - 1)
        if below > 0:
            shift(node, -below)


def _arrow(a: QPointF, b: QPointF, bend: float, width: float) -> tuple[QPainterPath, QPainterPath]:
    """A quadratic curve from a to b bent sideways by ``bend``, ending at b's rim, and its arrow head."""
    dx, dy = b.x() - a.x(), b.y() - a.y()
    length = math.hypot(dx, dy) or 1.0
    ux, uy = dx / length, dy / length
    nx, ny = -uy, ux
    mid = QPointF((a.x() + b.x()) / 2 + nx * bend, (a.y() + b.y()) / 2 + ny * bend)
    start = QPointF(a.x() + ux * NODE, a.y() + uy * NODE)
    # the end is pulled back along the curve's tangent at b so the head sits on the rim
    tx, ty = b.x() - mid.x(), b.y() - mid.y()
    tl = math.hypot(tx, ty) or 1.0
    tx, ty = tx / tl, ty / tl
    head_len = 7.0 + width * 1.2
    tip = QPointF(b.x() - tx * (NODE + 1), b.y() - ty * (NODE + 1))
    end = QPointF(tip.x() - tx * head_len * 0.8, tip.y() - ty * head_len * 0.8)
    path = QPainterPath(start)
    path.quadTo(mid, end)
    half = 3.0 + width * 0.8
    base = QPointF(tip.x() - tx * head_len, tip.y() - ty * head_len)
    head = QPainterPath()
    head.addPolygon(QPolygonF([tip, QPointF(base.x() - ty * half, base.y() + tx * half),
                               QPointF(base.x() + ty * half, base.y() - tx * half), tip]))
    return path, head


def _edge_tooltip(edge: EdgeData) -> str:
    lines = [f"<b>{edge.investor} → {edge.investee}</b> · {edge.kind} · {formatting.money(edge.amount)}"]
    for d in edge.deals[:6]:
        spread = f" over {d.spread_years:g} years" if d.spread_years > 1 else ""
        lines.append(f"{d.year}{spread}: {formatting.money(d.amount)}, {formatting.percent(d.recycled_share, 0)} "
                     f"spent back with {d.investor} ({d.status})")
    if len(edge.deals) > 6:
        lines.append(f"… and {len(edge.deals) - 6} more deals")
    if edge.in_cycle:
        lines.append("On a cycle of money: funding goes out and comes back as purchases.")
    return "<br>".join(lines)


def _deal_totals(results: Results, name: str) -> str:
    out = sum(d.amount for d in results.deals.deals if d.investor == name)
    into = sum(d.amount for d in results.deals.deals if d.investee == name)
    back = sum(d.recycled_revenue for d in results.deals.deals if d.investor == name)
    return (f"Invests {formatting.money(out)}, receives {formatting.money(into)}; "
            f"{formatting.money(back)} comes back as its revenue")
