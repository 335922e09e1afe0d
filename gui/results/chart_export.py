"""Right-click a chart: export it as PNG or SVG, or copy it as an image.

pyqtgraph charts go through pyqtgraph's own exporters (``ImageExporter`` at twice the on-screen size, and
``SVGExporter``, which writes the curves as vectors; where it fails on Qt's path data, Qt's ``QSvgGenerator``
renders the chart instead); the deal network, a plain ``QGraphicsView``, is rendered with ``QSvgGenerator`` or
grabbed. Both are imported on first use: the window starts without them.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QGraphicsView, QMenu, QMessageBox, QWidget

FILTERS = "PNG image (*.png);;SVG vector drawing (*.svg)"


def export_chart(widget: QWidget, path: str | os.PathLike[str], scale: float = 2.0) -> Path:
    """Write ``widget`` (a pyqtgraph ``PlotWidget`` or a ``QGraphicsView``) to ``path``: SVG when it ends in .svg,
    else PNG. Raises ``OSError`` when the file cannot be written."""
    out = Path(path)
    svg = out.suffix.lower() == ".svg"
    plot_item = getattr(widget, "getPlotItem", None)
    if plot_item is not None and not svg:
        from pyqtgraph import exporters

        exporter = exporters.ImageExporter(plot_item())
        exporter.parameters()["width"] = int(widget.width() * scale)
        exporter.export(str(out))
    elif plot_item is not None and _pyqtgraph_svg(plot_item(), out):
        pass
    elif svg and isinstance(widget, QGraphicsView):
        _render_svg(widget, out)
    elif not widget.grab().save(str(out), "PNG"):
        raise OSError(f"cannot write {out}")
    if not out.exists() or out.stat().st_size == 0:
        raise OSError(f"cannot write {out}")
    return out


def _close_explicitly(d: str) -> str:
    """SVG path data with each ``Z`` (close the subpath) written as a line back to the subpath's start: Qt 6.11
    writes ``… L0,167.5 L0,0 Z``, and pyqtgraph 0.14's exporter, which reads every token as ``x,y``, fails on
    the ``Z``. The shape drawn is the same."""
    out: list[str] = []
    start = ""
    for token in d.split():
        if token[0] in "Mm":
            start = token[1:]
        if token in ("Z", "z"):
            if start:
                out.append("L" + start)
            continue
        out.append(token)
    return " ".join(out)


def _tolerate_closed_paths() -> None:
    """Teach pyqtgraph's SVG exporter Qt 6.11's closed paths (once; see _close_explicitly)."""
    import importlib

    module = importlib.import_module("pyqtgraph.exporters.SVGExporter")
    original = getattr(module, "correctCoordinates", None)
    if original is None or getattr(original, "closes_paths", False):
        return

    def correct(node, defs, item, options):
        for path in node.getElementsByTagName("path"):
            d = path.getAttribute("d")
            if "Z" in d or "z" in d:
                path.setAttribute("d", _close_explicitly(d))
        return original(node, defs, item, options)

    correct.closes_paths = True  # type: ignore[attr-defined]
    module.correctCoordinates = correct  # type: ignore[attr-defined]


def _pyqtgraph_svg(item: object, out: Path) -> bool:
    """pyqtgraph's SVG exporter; False when it still cannot read the path data Qt hands it, so the caller renders
    the view itself."""
    from pyqtgraph import exporters

    _tolerate_closed_paths()
    try:
        exporters.SVGExporter(item).export(str(out))
    except (ValueError, IndexError):
        return False
    return out.exists() and out.stat().st_size > 0


def _render_svg(view: QGraphicsView, out: Path) -> None:
    """The view as drawn, in vectors (Qt's own SVG generator)."""
    from PySide6.QtCore import QRect, QSize
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgGenerator

    size = view.viewport().size()
    generator = QSvgGenerator()
    generator.setFileName(str(out))
    generator.setSize(QSize(size.width(), size.height()))
    generator.setViewBox(QRect(0, 0, size.width(), size.height()))
    generator.setTitle(out.stem)
    painter = QPainter(generator)
    try:
        view.render(painter)
    finally:
        painter.end()


def chart_menu(widget: QWidget, name: str) -> QMenu:
    menu = QMenu(widget)
    menu.addAction("Export chart as PNG or SVG…", lambda: ask_and_export(widget, name))
    menu.addAction("Copy chart as image", lambda: QGuiApplication.clipboard().setPixmap(widget.grab()))
    return menu


def ask_and_export(widget: QWidget, name: str) -> Path | None:
    settings = QSettings()
    folder = str(settings.value("lastFolder", "") or Path.home())
    path, chosen = QFileDialog.getSaveFileName(widget, "Export chart", os.path.join(folder, f"{name}.png"), FILTERS)
    if not path:
        return None
    if Path(path).suffix.lower() not in (".png", ".svg"):
        path += ".svg" if chosen.startswith("SVG") else ".png"
    try:
        out = export_chart(widget, path)
    except Exception as exc:   # a read-only folder, a full disk: said, and the window goes on
        QMessageBox.warning(widget, "Chart not exported", f"{Path(path).name} was not written.\n{exc}")
        return None
    window = widget.window()
    if hasattr(window, "statusBar"):
        window.statusBar().showMessage(f"Chart exported to {out}", 8000)
    return out
