"""Scenario comparison: values are each scenario's own results, differences are scenario minus base."""

from __future__ import annotations

import math

import pytest

from model.core.compare import compare
from model.core.compute import compute
from model.core.overrides import BASE
from model.defaults.alternatives import default_book


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
    comparison = compare(default_book(), ["Bear: 3-year GPUs, half the growth"])
    bear = "Bear: 3-year GPUs, half the growth"
    # Oracle pays back in the base (2033) but not when growth halves.
    assert comparison.value(BASE, "Oracle", "payback") is not None
    assert comparison.value(bear, "Oracle", "payback") is None
    assert comparison.difference(bear, "Oracle", "payback") == math.inf
    assert comparison.difference_text(bear, "Oracle", "payback") == "never pays back"
    assert comparison.difference(bear, "Amazon", "payback") is None        # neither pays back
    # sector coverage in 2025: 33.7% in the base, 22.1% with 3-year GPUs (a larger capital charge): −11.6 points
    assert comparison.value(BASE, "Sector", "coverage") == pytest.approx(0.33710, abs=5e-5)
    assert comparison.value(bear, "Sector", "coverage") == pytest.approx(0.22115, abs=5e-5)
    assert comparison.difference_text(bear, "Sector", "coverage") == "−12 pts"
