"""Scenario overrides: applied in order, the last one for a cell wins, dangling ones are reported with their key."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from model.core import schema, values
from model.core.compute import compute
from model.core.overrides import (
    BASE,
    Alternative,
    Override,
    ScenarioBook,
    apply_overrides,
    find_row,
    row_key,
)
from model.core.scenario import Scenario, Table, blank_scenario
from model.core.scenario_edit import overridden_cells


def small_base() -> Scenario:
    s = blank_scenario()
    s = s.with_table(Table("Capex", years=(2024, 2025), rows=(("A", True, 1.0, 10.0, 20.0, "src"),
                                                              ("B", True, 1.0, 5.0, 5.0, "src"))))
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
    marks = overridden_cells(alt, base.assumptions)     # what the window tints
    assert set(marks) == {(row, "value")}
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


# -- apply_overrides looks rows up in an index built once per sheet: the same answers as one scan per override --

def reference_apply(base: Scenario, overrides: list[Override], name: str = "") -> tuple[Scenario, list]:
    """What apply_overrides does, the slow obvious way: scan every row for each override, copy per cell."""
    def norm(parts: tuple[object, ...]) -> tuple[str, ...]:
        return tuple(values.normalise_header(p) for p in parts)

    scenario, problems = base, []
    for o in overrides:
        if o.sheet not in schema.SHEET_BY_NAME:
            problems.append(("sheet", o))
            continue
        table = scenario.table(o.sheet)
        row = next((i for i in range(len(table)) if norm(row_key(table, i)) == norm(o.key)), None)
        if row is None:
            problems.append(("row", o))
        elif o.column not in table.keys:
            problems.append(("column", o))
        else:
            scenario = scenario.with_cell(o.sheet, row, o.column, o.value)
    return replace(scenario, name=name or base.name), problems


def deal_base() -> Scenario:
    """Deals whose keys repeat up to case and spaces, so the first matching row is the one that counts."""
    return small_base().with_table(Table("Investments", rows=(
        ("A", "B", 2025, 4.0, "equity", 0.5, 1.0, "conditional", "src", ""),
        ("a", " B", 2025.0, 1.0, "Equity", 0.0, 1.0, "closed", "src", ""),     # the same key as row 0
        ("B", "A", 2026, 2.0, "debt", 0.0, 2.0, "closed", "src", ""),
        ("B", "A", 2026, 3.0, "equity", 0.0, 2.0, "closed", "src", ""),
    )))


def test_overriding_a_key_cell_repoints_the_later_overrides_of_that_row() -> None:
    base = deal_base()
    overrides = [
        Override("Investments", ("A", "B", "2025", "equity"), "amount", 9.0),        # row 0 (the first match)
        Override("Investments", ("A", "B", "2025", "equity"), "kind", "debt"),       # row 0 is now A/B/2025/debt
        Override("Investments", ("A", "B", "2025", "equity"), "amount", 7.0),        # now finds row 1
        Override("Investments", ("a", "b", "2025", "DEBT"), "recycled_share", 1.0),  # row 0 by its new key
        Override("Investments", ("B", "A", "2026", "debt"), "kind", "equity"),       # row 2 now repeats row 3's key
        Override("Investments", ("B", "A", "2026", "equity"), "amount", 5.0),        # so the first (row 2) wins
        Override("Investments", ("B", "A", "2026", "debt"), "amount", 1.0),          # dangles: no debt row left
        Override("Capex", ("A",), "company", "Z"),                                   # Capex row A is now Z
        Override("Capex", ("A",), "2025", 1.0),                                      # dangles
        Override("Capex", ("z",), "2025", 2.0),
    ]
    scenario, problems = apply_overrides(base, overrides, "Keys")
    deals = scenario.investments
    assert [deals.value(i, "amount") for i in range(4)] == [9.0, 7.0, 5.0, 3.0]
    assert deals.value(0, "kind") == "debt" and deals.value(0, "recycled_share") == 1.0
    assert deals.value(2, "kind") == "equity"
    assert scenario.capex.value(0, "company") == "Z" and scenario.capex.value(0, "2025") == 2.0
    assert [(p.sheet, p.value) for p in problems] == [("Investments", "B | A | 2026 | debt"), ("Capex", "A")]
    expected, reference_problems = reference_apply(base, overrides, "Keys")
    assert scenario == expected and len(problems) == len(reference_problems)


def test_the_same_scenario_and_problems_as_one_scan_per_override() -> None:
    base = deal_base()
    rng = random.Random(7)
    cells: list[tuple[str, tuple[str, ...], str, object]] = [
        ("Capex", ("A",), "2024", 1.0), ("Capex", (" b ",), "2025", 2.0), ("Capex", ("A",), "company", "B"),
        ("Capex", ("B",), "company", "A"), ("Capex", ("C",), "2024", 3.0), ("Capex", ("A",), "2099", 4.0),
        ("Revenue", ("A",), "cash_margin", 0.1), ("Revenue", ("b",), "2025", 0.9), ("Revenue", ("A",), "company", "b"),
        ("Investments", ("A", "B", "2025", "equity"), "kind", "debt"),
        ("Investments", ("A", "B", "2025", "debt"), "kind", "equity"),
        ("Investments", ("A", "B", "2025", "equity"), "amount", 6.0),
        ("Investments", ("B", "A", "2026", "debt"), "year", 2025),
        ("Investments", ("B", "A", "2025", "debt"), "amount", 8.0),
        ("Investments", ("B", "A", "2026", "equity"), "investee", "a"),
        ("Investments", ("B", "a", "2026", "equity"), "recycled_share", 0.25),
        ("Investments", ("A", "B", "2025"), "amount", 1.0),                  # a key too short: dangles
        ("Assumptions", ("useful  life",), "value", 3.0), ("Assumptions", ("Useful life",), "name", "Life"),
        ("Assumptions", ("life",), "value", 4.0), ("Nowhere", ("A",), "x", 1.0),
    ]
    for _ in range(300):
        overrides = [Override(*rng.choice(cells)) for _ in range(rng.randint(0, 12))]
        scenario, problems = apply_overrides(base, overrides, "Random")
        expected, reference_problems = reference_apply(base, overrides, "Random")
        assert scenario == expected
        assert [(p.sheet, p.column, p.value) for p in problems] == [
            ("Scenarios", "Sheet", o.sheet) if kind == "sheet"
            else (o.sheet, o.column, o.key_text if kind == "row" else o.column)
            for kind, o in reference_problems]


def test_find_row_answers_for_the_table_it_is_given() -> None:
    base = deal_base()
    deals = base.investments
    assert find_row(deals, ("a", "b", "2025", "EQUITY")) == 0
    assert find_row(deals, ("B", "A", "2026", "equity")) == 3
    assert find_row(deals, ("B", "A", "2026")) is None
    changed = deals.with_cell(0, "kind", "debt")              # a new table: looked up afresh, not from the old one
    assert find_row(changed, ("a", "b", "2025", "EQUITY")) == 1
    assert find_row(changed, ("A", "B", "2025", "debt")) == 0
    assert find_row(deals, ("A", "B", "2025", "debt")) is None
