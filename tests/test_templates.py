"""The shipped workbooks are exactly what their Python definitions say (regenerate: python -m model.io.templates)."""

from __future__ import annotations

from model.core.scenario import blank_scenario
from model.defaults.alternatives import default_book
from model.defaults.scenario import default_scenario
from model.io.paths import BLANK_TEMPLATE, DEFAULT_TEMPLATE
from model.io.workbook import read_book, read_template


def test_default_template_is_the_default_scenario() -> None:
    scenario = read_template(DEFAULT_TEMPLATE)
    assert scenario.inputs_equal(default_scenario())
    assert scenario.warnings == ()


def test_default_template_reads_back_as_the_whole_default_book() -> None:
    """The window starts on default_book() without reading the workbook: the two must be the same book, base and
    alternatives, value for value."""
    assert read_book(DEFAULT_TEMPLATE) == default_book()


def test_blank_template_is_the_blank_scenario() -> None:
    scenario = read_template(BLANK_TEMPLATE)
    assert scenario.inputs_equal(blank_scenario())
    assert len(scenario.capex) == 0 and len(scenario.thresholds) == 10     # 8 derived + 2 market gauges
