"""F1: the methodology (docs/methodology.md) in a help viewer, with its links to the other docs followed inside it.

The docs travel with the code: in the source tree and in the packaged app (packaging/bubblescope.spec) they sit in
``docs/`` next to ``gui/``.
"""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

DOCS = Path(__file__).resolve().parents[1] / "docs"
METHODOLOGY = DOCS / "methodology.md"


def version() -> str:
    """The installed package's version (pyproject.toml's), or a plain word when it is run from an uninstalled
    copy of the source."""
    try:
        return metadata.version("bubblescope")
    except metadata.PackageNotFoundError:
        return "(version unknown: not installed)"


class HelpViewer(QDialog):
    def __init__(self, parent: QWidget | None = None, page: Path = METHODOLOGY) -> None:
        super().__init__(parent)
        self.setWindowTitle("Bubblescope — methodology")
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)
        self.browser.setSearchPaths([str(DOCS)])
        if page.exists():
            self.browser.setSource(QUrl.fromLocalFile(str(page)))
        else:
            self.browser.setPlainText(f"The documentation is missing: {page} was not found.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        back = buttons.addButton("Back", QDialogButtonBox.ButtonRole.ActionRole)
        back.clicked.connect(self.browser.backward)
        self.browser.backwardAvailable.connect(back.setEnabled)
        back.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        width = self.fontMetrics().averageCharWidth() * 118
        self.resize(width, int(width * 0.8))
