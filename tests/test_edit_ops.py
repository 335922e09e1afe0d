"""model.core.edit, the pure edits behind the window's commands: tested without Qt."""

from __future__ import annotations

import pytest

from model.core import edit
from model.core.edit import CellInput, EditRefused
from model.core.problems import Problem
from model.core.scenario import Scenario
from model.core.validation import validate
from tests.sample_scenarios import sample_scenario


@pytest.fixture
def scenario() -> Scenario:
    return sample_scenario()


def test_set_cells_parses_by_the_schema_all_or_nothing(scenario):
    out = edit.set_cells(scenario, "Revenue", [CellInput(0, "cash_margin", "45%"), CellInput(1, "2026", "0.3")])
    assert out.revenue.value(0, "cash_margin") == 0.45 and out.revenue.value(1, "2026") == 0.3
    with pytest.raises(EditRefused) as refused:
        edit.set_cells(scenario, "Revenue", [CellInput(0, "cash_margin", "45%"), CellInput(1, "base_year", "soon")])
    assert refused.value.row == 1 and refused.value.key == "base_year" and "a year such as 2025" in str(refused.value)


@pytest.mark.parametrize("typed, fraction", [("7", 0.07), ("0.07", 0.07), ("7%", 0.07), ("150", 1.5),
                                              ("1", 1.0), ("1%", 0.01), ("-5", -0.05), ("-0.05", -0.05)])
def test_a_plain_number_in_a_percentage_cell_follows_excel_percent_entry(scenario, typed, fraction):
    """8 and 0.08 both mean 8%, as Excel's automatic percent entry; 1 is 100% (the fraction), 1% is typed 1%."""
    out = edit.set_cells(scenario, "Revenue", [CellInput(0, "2025", typed)])
    assert out.revenue.value(0, "2025") == pytest.approx(fraction, rel=1e-15)


def test_the_value_of_a_percentage_row_follows_the_same_entry(scenario):
    row = scenario.assumptions.column_values("name").index("Discount rate")
    out = edit.set_cells(scenario, "Assumptions", [CellInput(row, "value", "8")])
    assert out.assumptions.value(row, "value") == 0.08
    life = scenario.assumptions.column_values("name").index("Useful life")
    assert edit.set_cells(scenario, "Assumptions", [CellInput(life, "value", "8")]).assumptions.value(life, "value") == 8


def test_a_refusal_names_the_company_and_the_year(scenario):
    with pytest.raises(EditRefused) as refused:
        edit.set_cells(scenario, "Capex", [CellInput(0, "2026", "lots")])
    assert refused.value.message == "Amazon, capex 2026: 'lots' is not an amount in $B between 0 and 1,000,000"
    with pytest.raises(EditRefused) as refused:
        edit.set_cells(scenario, "Capex", [CellInput(0, "2026", "x" * 500)])
    assert refused.value.message.startswith("Amazon, capex 2026: 'xxxxx") and "…' is not" in refused.value.message
    assert len(refused.value.message) < 140


def test_removing_a_capex_year_between_two_others_is_refused(scenario):
    years = scenario.capex.years
    with pytest.raises(EditRefused, match="gap"):
        edit.remove_year(scenario, "Capex", years[1])
    assert edit.remove_year(scenario, "Capex", years[-1]).capex.years == years[:-1]


def test_renaming_and_removing_a_company_reaches_every_sheet(scenario):
    renamed = edit.set_cells(scenario, "Revenue", [CellInput(5, "company", "OAI")])
    assert "OAI" in renamed.capex.column_values("company")
    assert {"OAI"} <= {r["investee"] for r in renamed.investments.records()}
    assert not [p for p in validate(renamed) if p.severity == "error"]
    removed = edit.remove_rows(scenario, "Capex", [5])
    assert "OpenAI" not in removed.companies
    assert all("OpenAI" not in (r["investor"], r["investee"]) for r in removed.investments.records())
    assert not [p for p in validate(removed) if p.severity == "error"]


@pytest.mark.parametrize("sheet", ["Capex", "Revenue", "Investments", "Assumptions", "Market", "Thresholds"])
def test_inserted_rows_are_valid_at_once(scenario, sheet):
    out = edit.insert_rows(scenario, sheet, 1, 2)
    assert len(out.table(sheet)) == len(scenario.table(sheet)) + 2
    assert not edit.new_errors(validate(scenario), validate(out))


def test_new_errors_ignore_errors_that_only_moved(scenario):
    old = [Problem("error", "x is required", "Market", "C5", "Value")]
    moved = [Problem("error", "x is required", "Market", "C6", "Value")]
    assert edit.new_errors(old, moved) == []
    assert edit.new_errors([], moved) == moved


def test_years_are_added_and_removed_by_value(scenario):
    out = edit.add_year(scenario, "Revenue", 2029)
    assert out.revenue.years[-1] == 2029
    with pytest.raises(EditRefused, match="already has a 2029 column"):
        edit.add_year(out, "Revenue", 2029)
    assert edit.remove_year(out, "Revenue", 2029).inputs_equal(scenario)
