"""The Scenarios sheet: alternatives survive write -> read exactly; bad and dangling rows are reported at cells."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from model.compute import compute
from model.default_alternatives import default_book
from model.overrides import Alternative, Override, ScenarioBook
from model.problems import TemplateError
from model.template_writer import write_template
from model.templates import DEFAULT_TEMPLATE
from model.workbook import read_book, read_template


def test_the_default_template_carries_its_alternatives_exactly() -> None:
    book = read_book(DEFAULT_TEMPLATE)
    expected = default_book()
    assert book.names == expected.names
    assert book.alternatives == expected.alternatives
    assert book.base.inputs_equal(expected.base)
    for name in book.names:
        scenario, problems = book.scenario(name)
        assert problems == [], name
    # read_template still gives the base alone
    assert read_template(DEFAULT_TEMPLATE).inputs_equal(expected.base)


def test_alternatives_move_the_results_the_way_they_say() -> None:
    book = default_book()
    base = compute(book.base)
    bear = compute(book.scenario("Bear: 3-year GPUs, half the growth")[0])
    unwind = compute(book.scenario("Circular deals unwind")[0])
    six = compute(book.scenario("Filers' 6-year servers")[0])
    assert bear.assumptions["Useful life"] == 3.0 and six.assumptions["Useful life"] == 6.0
    # Shorter life -> higher capital charge -> more revenue required; longer life -> less.
    assert bear.sector.coverage < base.sector.coverage < six.sector.coverage
    # No recycled revenue survives the unwind, and the sector earns less (organic revenue is unchanged).
    assert unwind.series["recycled_revenue"].sum() == 0.0
    assert base.series["recycled_revenue"].sum() > 0.0
    assert unwind.sector.npv < base.sector.npv


def test_round_trip_of_a_book_with_every_kind_of_value(tmp_path: Path) -> None:
    base = default_book().base
    alt = Alternative("Mixed", "one override of each kind", (
        Override("Capex", ("Amazon",), "2027", 250.5, "a money cell"),
        Override("Capex", ("Meta",), "in_sector", False, "a flag"),
        Override("Revenue", ("Oracle",), "cash_margin", 0.375, "a percentage"),
        Override("Revenue", ("Alphabet",), "base_year", 2025, "a year"),
        Override("Investments", ("Nvidia", "OpenAI", "2026", "vendor financing"), "status", "closed", "a choice"),
        Override("Assumptions", ("Discount rate",), "value", 0.085, ""),
        Override("Thresholds", ("Circularity",), "weight", 30.0, "text =SUM(A1) stays text"),
    ))
    book = ScenarioBook(base, (alt,))
    path = tmp_path / "book.xlsx"
    write_template(book, path)
    again = read_book(path)
    assert again.alternatives == book.alternatives
    scenario, problems = again.scenario("Mixed")
    assert problems == []
    assert scenario.capex.value(0, "2027") == 250.5
    assert compute(scenario).assumptions["Discount rate"] == 0.085


def test_bad_value_is_an_error_at_its_cell_and_dangling_overrides_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsx"
    write_template(default_book(), path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Scenarios"]
    last = ws.max_row
    ws.append(["Typos", "Capex", "Amazon", "2027", "lots", "not a number"])
    ws.append(["Typos", "Capex", "Amazn", "2027", 10, "no such company"])
    ws.append(["Typos", "Revenue", "Amazon", "Margin!", 0.5, "no such column"])
    wb.save(path)
    with pytest.raises(TemplateError) as caught:
        read_book(path)
    errors = [p for p in caught.value.problems if p.severity == "error"]
    assert [(p.sheet, p.cell, p.column, p.value) for p in errors] == [("Scenarios", f"E{last + 1}", "Value", "lots")]
    assert "an amount in $B" in errors[0].expected

    ws.delete_rows(last + 1)
    wb.save(path)
    book = read_book(path)
    dangling = [w for w in book.base.warnings if w.sheet == "Scenarios"]
    assert [w.cell for w in dangling] == [f"C{last + 1}", f"C{last + 2}"]
    assert "'Amazn'" in dangling[0].message and "Margin!" in dangling[1].message
    # Kept in the book (a save keeps them), and reported again when the scenario is computed.
    typos = book.alternative("Typos")
    assert len(typos.overrides) == 2
    assert len(book.scenario("Typos")[1]) == 2
