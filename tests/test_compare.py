"""Scenario comparison: values are each scenario's own results, differences are scenario minus base."""

from __future__ import annotations

import math

import pytest

from model.core.compare import compare
from model.core.compute import compute
from model.core.overrides import BASE, Alternative, Override, ScenarioBook
from model.defaults.alternatives import default_book
from tests.scenario_builders import flat_company, make_scenario


def test_values_and_differences_equal_the_models() -> None:
    book = default_book()
    comparison = compare(book, ["Circular deals unwind"])
    assert comparison.names == (BASE, "Circular deals unwind")
    base = compute(book.base)
    unwind = compute(book.scenario("Circular deals unwind")[0])
    for entity in ("Microsoft", "Sector"):
        assert comparison.value(BASE, entity, "npv") == base.entity(entity).npv
        assert comparison.value("Circular deals unwind", entity, "npv") == unwind.entity(entity).npv
        assert comparison.difference("Circular deals unwind", entity, "npv") == pytest.approx(
            unwind.entity(entity).npv - base.entity(entity).npv, abs=1e-9)
        assert comparison.value("Circular deals unwind", entity, "score") == unwind.entity(entity).score.composite
    assert comparison.difference_text(BASE, "Sector", "npv") == ""


def test_payback_differences_read_when_one_side_never_pays_back() -> None:
    # A spends 100 in 2024 and earns 40 a year at 50%: cumulative −80, −60, −40, −20, 0: pays back in 5.0 years
    # by 2028. At a 25% margin (the alternative) it earns 10 a year: −90 … −50 by 2028, never.
    base = make_scenario(capex={"A": {2024: 100.0}}, revenue={"A": flat_company(2024, 40.0, 0.5)},
                         assumptions={"Horizon end": 2028, "Terminal growth": 0.0}, ai_share={"A": 1.0})
    thin = Alternative("Thin", "half the margin", (Override("Revenue", ("A",), "cash_margin", 0.25),))
    small = compare(ScenarioBook(base, (thin,)))
    assert small.value(BASE, "A", "payback") == pytest.approx(5.0)
    assert small.value("Thin", "A", "payback") is None
    assert small.difference("Thin", "A", "payback") == math.inf
    assert small.difference_text("Thin", "A", "payback") == "never pays back"
    comparison = compare(default_book(), ["Bear: 3-year GPUs, half the growth"])
    bear = "Bear: 3-year GPUs, half the growth"
    assert comparison.difference(bear, "Amazon", "payback") is None        # neither pays back
    # sector coverage in 2025: 32.7% in the base, 21.5% with 3-year GPUs: the capital charge of the same capex
    # over 3 years instead of 5 is CRF(10%, 3) / CRF(10%, 5) = 1.524 times larger (the Bear's halved growth starts
    # in 2026), 32.70% / 1.524 = 21.45%
    assert comparison.value(BASE, "Sector", "coverage") == pytest.approx(0.32702, abs=5e-5)
    crf3, crf5 = 0.1 / (1 - 1.1 ** -3), 0.1 / (1 - 1.1 ** -5)
    assert comparison.value(bear, "Sector", "coverage") == pytest.approx(0.32702 * crf5 / crf3, abs=5e-5)
    assert comparison.difference_text(bear, "Sector", "coverage") == "−11 pts"        # −11.25 points


def test_when_neither_pays_back_the_difference_is_the_shortfalls() -> None:
    """A spends 100 in 2024 and earns 10 a year: at a 50% margin 5 of cash a year, cumulative −75 at 2028; at 25%
    2.5 a year, −87.5. Neither pays back, so the difference is said in dollars: $12.5B deeper (shown to the
    dollar billion, Python's rounding of 12.5: "12")."""
    base = make_scenario(capex={"A": {2024: 100.0}}, revenue={"A": flat_company(2024, 10.0, 0.5)},
                         assumptions={"Horizon end": 2028, "Terminal growth": 0.0}, ai_share={"A": 1.0})
    thin = Alternative("Thin", "half the margin", (Override("Revenue", ("A",), "cash_margin", 0.25),))
    c = compare(ScenarioBook(base, (thin,)))
    assert c.difference("Thin", "A", "payback") is None
    # shortfalls: base −100 + 5 · 5 = −75; thin −100 + 5 · 2.5 = −87.5: $12.5B deeper
    assert c.results["Thin"].entity("A").payback.shortfall == pytest.approx(-87.5)
    assert c.difference_text("Thin", "A", "payback") == "−$12B at 2028"
