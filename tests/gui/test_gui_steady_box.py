"""SteadyBox: a label whose text changes relays out the window only when the height it needs changes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel, QSizePolicy, QVBoxLayout, QWidget

from gui.layouts import SteadyBox


class LayoutRequests(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.LayoutRequest:
            self.count += 1
        return False


def test_a_new_text_of_the_same_height_asks_for_no_layout_a_taller_one_gets_its_room(qtbot) -> None:
    window = QWidget()
    qtbot.addWidget(window)
    label = QLabel()                     # as the window's headline: wrapping, as wide as it is given
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Maximum)
    box = SteadyBox(label)
    label.setText("The sector pays back in 4.1 years.")
    below = QWidget()
    layout = QVBoxLayout(window)
    layout.addWidget(box)
    layout.addWidget(below, 1)
    window.resize(320, 300)
    window.show()
    qtbot.waitExposed(window)
    QApplication.processEvents()
    one_line = box.height()
    assert box.hasHeightForWidth()
    assert one_line == label.heightForWidth(box.width()) and label.geometry() == box.rect()

    requests = LayoutRequests()
    window.installEventFilter(requests)
    label.setText("The sector pays back in 4.2 years.")           # same height: the window's layout is left alone
    for _ in range(3):            # a request posted while the last ones are handled is handled on the next pass
        QApplication.processEvents()
    assert requests.count == 0 and box.height() == one_line

    label.setText("The sector pays back in 4.2 years; its score first reads Bubble in 2026, and the recycled "
                  "revenue from its own deals is $6.0B of it.")   # wraps: the box grows, the widget below gives way
    qtbot.waitUntil(lambda: box.height() > one_line, timeout=2_000)
    assert requests.count >= 1
    assert box.height() == label.heightForWidth(box.width()) > one_line
    assert label.geometry() == box.rect() and below.geometry().top() >= box.geometry().bottom()
