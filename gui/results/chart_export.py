"""Right-click a chart: export it as PNG or SVG, or copy it as an image.

pyqtgraph charts go through pyqtgraph's own exporters (``ImageExporter`` at twice the on-screen size, and
``SVGExporter``, which writes the curves as vectors); the deal network, a plain ``QGraphicsView``, is rendered with
``QSvgGenerator`` or grabbed. Both are imported on first use: the window starts without them.
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
    if plot_item is not None:
        from pyqtgraph import exporters

        if svg:
            exporters.SVGExporter(plot_item()).export(str(out))
        else:
            exporter = exporters.ImageExporter(plot_item())
            exporter.parameters()["width"] = int(widget.width() * scale)
            exporter.export(str(out))
    elif svg and isinstance(widget, QGraphicsView):
        from PySide6.QtCore import QRect, QSize
        from PySide6.QtGui import QPainter
        from PySide6.QtSvg import QSvgGenerator

        generator = QSvgGenerator()
        generator.setFileName(str(out))
        generator.setSize(QSize(widget.viewport().width(), widget.viewport().height()))
        generator.setViewBox(QRect(0, 0, widget.viewport().width(), widget.viewport().height()))
        painter = QPainter(generator)
        widget.render(painter)
        painter.end()
    elif not widget.grab().save(str(out), "PNG"):
        raise OSError(f"cannot write {out}")
    if not out.exists() or out.stat().st_size == 0:
        raise OSError(f"cannot write {out}")
    return out


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
