"""The Simulation and Sensitivity tabs are built on first show: the window starts without them (and without scipy),
and the first click on either tab shows the real view, with its title and tooltip, at once."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication

from gui.main_window import SENSITIVITY_TAB, SIMULATION_TAB, MainWindow
from gui.sensitivity.view import SensitivityView
from gui.simulate.view import SimulationView


def test_the_tabs_are_placeholders_until_shown_then_the_real_views(qtbot, window: MainWindow) -> None:
    tabs = window.answer
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Results", "Compare scenarios", "Simulation",
                                                             "Sensitivity"]
    tips = [tabs.tabToolTip(i) for i in range(tabs.count())]
    assert not isinstance(tabs.widget(SIMULATION_TAB), SimulationView)
    assert not isinstance(tabs.widget(SENSITIVITY_TAB), SensitivityView)

    # The analyst clicks the Sensitivity tab: its view is on screen, and analyses the scenario as it always did.
    tabs.tabBar().setCurrentIndex(SENSITIVITY_TAB)
    view = tabs.currentWidget()
    assert isinstance(view, SensitivityView) and view is window.sensitivity and view.isVisible()
    qtbot.waitUntil(lambda: view.outcome is not None, timeout=30_000)
    assert not isinstance(tabs.widget(SIMULATION_TAB), SimulationView)       # still not built: never shown

    # Asked for by code (a test, a menu): built in place, not shown.
    simulation = window.simulation
    assert tabs.widget(SIMULATION_TAB) is simulation and tabs.currentWidget() is view
    assert [tabs.tabText(i) for i in range(tabs.count())] == ["Results", "Compare scenarios", "Simulation",
                                                             "Sensitivity"]
    assert [tabs.tabToolTip(i) for i in range(tabs.count())] == tips
    assert window.simulation is simulation and window.sensitivity is view      # built once
    tabs.setCurrentIndex(0)
    QApplication.processEvents()
    assert not view.isVisible()


def test_the_window_starts_without_scipy(tmp_path: Path) -> None:
    """scipy (~0.4 s to import) is for the simulation, the goal seek and the sensitivity's helpers, not the first
    screen: the window and its first compute never import it."""
    code = ("import os, sys; os.environ['QT_QPA_PLATFORM'] = 'offscreen'\n"
            "from PySide6.QtWidgets import QApplication; app = QApplication([])\n"
            "from gui.document import Document; from gui.files import default_scenario\n"
            "from gui.main_window import MainWindow; from PySide6.QtCore import QSettings\n"
            f"settings = QSettings({str(tmp_path / 'settings.ini')!r}, QSettings.Format.IniFormat)\n"
            "w = MainWindow(Document(default_scenario(), ''), settings); w.show(); app.processEvents()\n"
            "assert w.document.results is not None\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'scipy')[:3])\n"
            "w.document.undo_stack.setClean(); w.close()\n")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "BUBBLESCOPE_DATA_DIR": str(tmp_path / "data")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=Path(__file__).resolve().parents[2], env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "[]"
