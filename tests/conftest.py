"""Suite-wide: the figures some tests measure are printed at the end of every run, CI's included."""

from __future__ import annotations

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The LibreOffice agreement test's count of formula cells compared (recorded with ``record_property``)."""
    lines = []
    for report in terminalreporter.getreports("passed"):
        properties = dict(report.user_properties)
        if "formula_cells_compared" in properties:
            lines.append(f"{report.nodeid.split('::')[-1]}: {properties['formula_cells_compared']:,} formula cells "
                         f"agree with LibreOffice's recalculation ({properties['formula_cells_compared_per_scenario']})")
    if lines:
        terminalreporter.write_sep("-", "measured")
        for line in lines:
            terminalreporter.write_line(line)
