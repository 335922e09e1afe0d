"""Edits made while an alternative is on screen become overrides of the base (model.core.scenario_edit)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_overrides import small_base

from model.core import edit
from model.core.edit import CellInput, EditRefused
from model.core.overrides import BASE, Alternative, Override, ScenarioBook
from model.core.scenario_edit import (
    as_overrides,
    check_name,
    duplicate,
    overridden_cells,
    reset_cells,
    unused_name,
)


def shown(base, alt):
    return ScenarioBook(base, (alt,)).scenario(alt.name)[0]


def test_a_changed_cell_becomes_an_override_and_the_base_stays() -> None:
    base = small_base()
    alt = Alternative("Bear", "why", (Override("Capex", ("A",), "2024", 12.0, "older note"),))
    before = shown(base, alt)
    candidate = edit.set_cells(before, "Capex", [CellInput(1, "2025", "7.5"), CellInput(0, "2024", "13")])
    after = as_overrides(base, alt, before, candidate)
    assert after.name == "Bear" and after.description == "why"
    by_cell = {(o.key, o.column): o for o in after.overrides}
    assert by_cell[(("B",), "2025")].value == 7.5
    assert by_cell[(("A",), "2024")] == Override("Capex", ("A",), "2024", 13.0, "older note")   # note kept
    assert len(after.overrides) == 2
    # Applying the new overrides to the untouched base gives exactly what the analyst sees.
    assert ScenarioBook(base, (after,)).scenario("Bear")[0].inputs_equal(candidate)
    assert base.capex.value(1, "2025") == 5.0


def test_typing_the_base_value_back_drops_the_override() -> None:
    base = small_base()
    alt = Alternative("Bear", "", (Override("Capex", ("A",), "2024", 12.0), Override("Revenue", ("B",), "cash_margin", 0.3)))
    before = shown(base, alt)
    candidate = edit.set_cells(before, "Capex", [CellInput(0, "2024", "10")])   # the base's value
    after = as_overrides(base, alt, before, candidate)
    assert after.overrides == (Override("Revenue", ("B",), "cash_margin", 0.3),)


def test_structure_and_keys_belong_to_the_base() -> None:
    base = small_base()
    alt = Alternative("Bear")
    before = shown(base, alt)
    with pytest.raises(EditRefused, match="add or remove companies"):
        as_overrides(base, alt, before, edit.add_company(before, "C"))
    with pytest.raises(EditRefused, match="add or remove companies"):
        as_overrides(base, alt, before, edit.add_year(before, "Capex", 2026))
    with pytest.raises(EditRefused, match="rename it in the Base") as refused:
        as_overrides(base, alt, before, before.with_cell("Investments", 0, "year", 2026))
    assert (refused.value.sheet, refused.value.row, refused.value.key) == ("Investments", 0, "year")


def test_reset_and_marks() -> None:
    base = small_base()
    alt = Alternative("Bear", "", (Override("Capex", ("b",), "2025", 9.0), Override("Capex", ("A",), "2024", 1.0),
                                   Override("Capex", ("Z",), "2024", 1.0)))      # Z: dangling, marks nothing
    before = shown(base, alt)
    marks = overridden_cells(alt, before.capex)
    assert set(marks) == {(1, "2025"), (0, "2024")}
    assert overridden_cells(alt, before.revenue) == {} and overridden_cells(None, before.capex) == {}
    after = reset_cells(alt, before, "Capex", [(1, "2025"), (1, "2024")])    # (1, 2024) is not overridden
    assert [o.key for o in after.overrides] == [("A",), ("Z",)]


def test_names() -> None:
    book = ScenarioBook(small_base(), (Alternative("Bear"), Alternative("New scenario")))
    assert unused_name(book, "New scenario") == "New scenario 2"
    assert unused_name(book, "Bull") == "Bull"
    assert check_name(book, "  Bull   case ") == "Bull case"
    for bad, reason in (("", "needs a name"), ("base", "base scenario itself"), ("BEAR", "exists already")):
        with pytest.raises(ValueError, match=reason):
            check_name(book, bad)
    assert check_name(book, "bear", current="Bear") == "bear"      # renaming a scenario to another case
    copy = duplicate(book.with_alternative(Alternative("Bear", "d", (Override("Capex", ("A",), "2024", 1.0),))),
                     "Bear")
    assert (copy.name, copy.description, len(copy.overrides)) == ("Bear (copy)", "d", 1)
    assert duplicate(book, BASE).overrides == () and duplicate(book, BASE).name == "Base (copy)"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([("Capex", 0, "2024"), ("Capex", 1, "2025"), ("Revenue", 0, "cash_margin"),
                                           ("Revenue", 1, "2025"), ("Investments", 0, "recycled_share")]),
                          st.sampled_from([0.0, 0.1, 0.5, 5.0, 10.0, 20.0])), min_size=1, max_size=8))
def test_any_sequence_of_cell_edits_is_exactly_its_overrides(edits) -> None:
    """Whatever the analyst types, in whatever order, the alternative recomputed from the base shows exactly
    what was typed, and it holds at most one override per cell, none equal to the base."""
    base = small_base()
    alt = Alternative("Bear")
    screen = shown(base, alt)
    for (sheet, row, column), value in edits:
        value = min(value, 1.0) if column in ("cash_margin", "recycled_share") else value
        candidate = screen.with_cell(sheet, row, column, value)
        alt = as_overrides(base, alt, screen, candidate)
        screen = shown(base, alt)
        assert screen.inputs_equal(candidate)
    cells = [(o.sheet, o.key, o.column) for o in alt.overrides]
    assert len(cells) == len(set(cells))
    for o in alt.overrides:
        table = base.table(o.sheet)
        row = [i for i in range(len(table)) if str(table.value(i, table.schema.key[0])) == o.key[0]][0]
        assert table.value(row, o.column) != o.value
