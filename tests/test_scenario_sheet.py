"""The Scenarios sheet: alternatives survive write -> read exactly; bad and dangling rows are reported at cells."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from model.core.compute import compute
from model.core.overrides import Alternative, Override, ScenarioBook
from model.core.problems import TemplateError
from model.defaults.alternatives import default_book
from model.io.paths import DEFAULT_TEMPLATE
from model.io.template_writer import write_template
from model.io.workbook import read_book, read_template


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


def default_book_with_scenario_rows(tmp_path: Path, rows: list[list[object]],
                                    name: str = "book.xlsx") -> tuple[Path, int]:
    """The default book saved with ``rows`` appended to its Scenarios sheet; and the sheet's last row before them."""
    path = tmp_path / name
    write_template(default_book(), path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Scenarios"]
    last = ws.max_row
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path, last


def test_bad_value_is_an_error_at_its_cell_and_dangling_overrides_a_warning(tmp_path: Path) -> None:
    bad = ["Typos", "Capex", "Amazon", "2027", "lots", "not a number"]
    dangling_rows = [["Typos", "Capex", "Amazn", "2027", 10, "no such company"],
                     ["Typos", "Revenue", "Amazon", "Margin!", 0.5, "no such column"]]
    path, last = default_book_with_scenario_rows(tmp_path, [bad, *dangling_rows])
    with pytest.raises(TemplateError) as caught:
        read_book(path)
    errors = [p for p in caught.value.problems if p.severity == "error"]
    assert [(p.sheet, p.cell, p.column, p.value) for p in errors] == [("Scenarios", f"E{last + 1}", "Value", "lots")]
    assert "an amount in $B" in errors[0].expected

    path, last = default_book_with_scenario_rows(tmp_path, dangling_rows, "dangling.xlsx")
    book = read_book(path)
    dangling = [w for w in book.base.warnings if w.sheet == "Scenarios"]
    # Each at its own row, at the cell that does not fit: the unknown row key (C), the unknown column (D).
    assert [(w.cell, w.column) for w in dangling] == [(f"C{last + 1}", "Row"), (f"D{last + 2}", "Column")]
    assert "'Amazn'" in dangling[0].message and "2027" in dangling[0].message and "Margin!" in dangling[1].message
    # Kept in the book (a save keeps them), and reported again, as warnings, when the scenario is computed.
    typos = book.alternative("Typos")
    assert len(typos.overrides) == 2
    assert [p.severity for p in book.scenario("Typos")[1]] == ["warning", "warning"]


def test_two_dangling_overrides_of_one_row_are_told_apart(tmp_path: Path) -> None:
    """Two overrides naming the same missing company: each warning sits at its own row and names its column."""
    path, last = default_book_with_scenario_rows(tmp_path, [
        ["Tesla enters", "Capex", "Tesla", "2027", 5, ""],
        ["Tesla enters", "Capex", "Tesla", "2028", 6, ""],
    ])
    warnings = [w for w in read_book(path).base.warnings if w.sheet == "Scenarios"]
    assert [w.cell for w in warnings] == [f"C{last + 1}", f"C{last + 2}"]
    assert ["2027" in warnings[0].message, "2028" in warnings[1].message] == [True, True]
    assert warnings[0].message != warnings[1].message


def test_an_override_the_model_cannot_compute_is_an_error_at_its_row(tmp_path: Path) -> None:
    """Each value parses as its column's type (a number, a year), but a useful life of 0 is out of range and a
    horizon ending in 2020 ends before the first capex year: the import stops, naming the scenario, the override's
    Value cell and the base cell it sets, as it would for the base's own cell. (Before, `check` passed such a
    file and the comparison then failed with an error at the base's cell, which holds 5.)"""
    path, last = default_book_with_scenario_rows(tmp_path, [
        ["Broken", "Assumptions", "Useful life", "Value", 0, "no life at all"],
        ["Broken", "Assumptions", "Horizon end", "Value", 2020, "the future is over"],
    ])
    with pytest.raises(TemplateError) as caught:
        read_book(path)
    errors = [p for p in caught.value.problems if p.severity == "error"]
    assert [(p.sheet, p.cell, p.column) for p in errors] == [("Scenarios", f"E{last + 1}", "Value"),
                                                           ("Scenarios", f"E{last + 2}", "Value")]
    life, horizon = errors
    assert life.message.startswith("Broken: Useful life is out of range") and life.value == 0
    assert horizon.message.startswith("Broken: the horizon ends before the first capex year 2024")
    assert horizon.value == 2020
    assert all("sets Assumptions!B" in p.message for p in errors)
    # `check` reports the same errors (exit code 1 in the command line)
    from model.io.workbook import check_template
    assert [p.cell for p in check_template(path) if p.severity == "error"] == [f"E{last + 1}", f"E{last + 2}"]


def test_a_cross_row_error_an_override_brings_in_is_reported_at_its_scenario(tmp_path: Path) -> None:
    """Renaming Amazon's Capex row to Meta gives two Meta rows: no single override cell holds the problem (the
    duplicate is the other row), so it is reported at the scenario's first row, naming the scenario."""
    path, last = default_book_with_scenario_rows(tmp_path, [
        ["Two Metas", "Capex", "Amazon", "Company", "Meta", ""],
    ])
    with pytest.raises(TemplateError) as caught:
        read_book(path)
    errors = [p for p in caught.value.problems if p.severity == "error"]
    assert errors and all(p.sheet == "Scenarios" and p.message.startswith("Two Metas: ") for p in errors)
    assert {p.cell for p in errors} <= {f"A{last + 1}", f"E{last + 1}"}
