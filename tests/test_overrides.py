"""Scenario overrides: applied in order, the last one for a cell wins, dangling ones are reported with their key."""

from __future__ import annotations

import pytest

from model.compute import compute
from model.overrides import (
    BASE,
    Alternative,
    Override,
    ScenarioBook,
    apply_overrides,
    differs_from_base,
    row_key,
)
from model.scenario import Scenario, Table, blank_scenario


def small_base() -> Scenario:
    s = blank_scenario()
    s = s.with_table(Table("Capex", years=(2024, 2025), rows=(("A", True, 10.0, 20.0, "src"),
                                                              ("B", True, 5.0, 5.0, "src"))))
    s = s.with_table(Table("Revenue", years=(2025,), rows=(("A", 2024, 5.0, 0.5, 0.5, "src"),
                                                          ("B", 2024, 2.0, 0.6, 0.2, "src"))))
    return s.with_table(Table("Investments", rows=(
        ("A", "B", 2025, 4.0, "equity", 0.5, 1.0, "conditional", "src", ""),)))


def test_overrides_apply_in_order_and_last_wins() -> None:
    base = small_base()
    overrides = [
        Override("Capex", ("A",), "2025", 30.0),
        Override("Capex", ("a",), "2025", 40.0),        # key matches case-insensitively; later wins
        Override("Revenue", ("B",), "cash_margin", 0.3),
    ]
    scenario, problems = apply_overrides(base, overrides, "Bear")
    assert problems == []
    assert scenario.name == "Bear"
    assert scenario.capex.value(0, "2025") == 40.0
    assert scenario.revenue.value(1, "cash_margin") == 0.3
    # Everything else is the base's, and the base itself is untouched.
    assert scenario.capex.value(1, "2025") == 5.0
    assert base.capex.value(0, "2025") == 20.0


def test_override_addresses_deals_by_their_full_key() -> None:
    base = small_base()
    assert row_key(base.investments, 0) == ("A", "B", "2025", "equity")
    scenario, problems = apply_overrides(base, [Override("Investments", ("A", "B", "2025", "equity"),
                                                         "recycled_share", 0.0)])
    assert problems == []
    assert scenario.investments.value(0, "recycled_share") == 0.0
    # The results move as the model says: no recycled revenue left for A.
    assert compute(scenario).series_of("A", "recycled_revenue").sum() == 0.0
    assert compute(base).series_of("A", "recycled_revenue").sum() == pytest.approx(2.0)


def test_dangling_overrides_are_reported_with_sheet_key_and_column() -> None:
    base = small_base()
    scenario, problems = apply_overrides(base, [
        Override("Capex", ("Nvidia",), "2025", 1.0),        # no such row
        Override("Capex", ("A",), "2031", 1.0),             # no such column
        Override("Capex", ("B",), "2024", 7.0),             # fine, still applied
    ], "Bull")
    assert len(problems) == 2
    row_problem, column_problem = problems
    assert (row_problem.sheet, row_problem.value, row_problem.column) == ("Capex", "Nvidia", "2025")
    assert "Bull" in row_problem.message and "'Nvidia'" in row_problem.message
    assert (column_problem.sheet, column_problem.value) == ("Capex", "2031")
    assert "row A" in column_problem.message
    assert scenario.capex.value(1, "2024") == 7.0


def test_book_names_switching_and_marking() -> None:
    base = small_base()
    alt = Alternative("Three-year hardware", "GPUs last 3 years").with_override(
        Override("Assumptions", ("Useful life",), "value", 3.0))
    book = ScenarioBook(base, (alt,))
    assert book.names == (BASE, "Three-year hardware")
    three, problems = book.scenario("Three-year hardware")
    assert problems == []
    assert compute(three).assumptions["Useful life"] == 3.0
    assert compute(book.scenario(BASE)[0]).assumptions["Useful life"] == 5.0
    row = next(i for i, n in enumerate(base.assumptions.column_values("name")) if n == "Useful life")
    assert differs_from_base(alt, "Assumptions", base.assumptions, row, "value") is not None
    assert differs_from_base(alt, "Assumptions", base.assumptions, row + 1, "value") is None
    reset = alt.without_override("Assumptions", ("useful life",), "value")
    assert reset.overrides == ()
    # Setting the same cell twice keeps one override.
    twice = alt.with_override(Override("Assumptions", ("Useful life",), "value", 4.0))
    assert len(twice.overrides) == 1 and twice.overrides[0].value == 4.0


def test_book_rename_refuses_a_taken_name() -> None:
    book = ScenarioBook(small_base(), (Alternative("Bull"), Alternative("Bear")))
    with pytest.raises(ValueError, match="exists already"):
        book.renamed("Bull", "Bear")
    assert book.renamed("Bull", "Optimist").names == (BASE, "Optimist", "Bear")
    assert book.without_alternative("Bull").names == (BASE, "Bear")
