"""The Uncertainty and Correlations sheets: distributions as analysts write them, each bad entry an error at its
cell with the form expected, the importer and the template writer round trip, and the window's edit helpers."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from model.core import edit
from model.core.problems import TemplateError
from model.core.scenario import Scenario, Table
from model.core.uncertainty import Z95, parse_distribution, read_uncertainty
from model.core.validation import validate
from model.defaults.scenario import default_scenario
from model.io.template_writer import write_template
from model.io.workbook import check_template, read_template

UNCERTAINTY_KEYS = ("input", "sheet", "row", "column", "years", "distribution", "applies_as", "source")


def ranges(*rows: tuple[object, ...], base: Scenario | None = None, correlations: tuple[tuple[object, ...], ...] = ()
           ) -> Scenario:
    """The default scenario with these Uncertainty rows (input, sheet, row, column, years, distribution[, applies])
    and Correlations rows (first, second, correlation)."""
    scenario = base or default_scenario()
    full = [tuple(r) + ("value",) * (7 - len(r)) + ("test",) for r in rows]
    pairs = [tuple(r) + ("test",) for r in correlations]
    return (scenario.with_table(Table("Uncertainty", rows=tuple(full)))
            .with_table(Table("Correlations", rows=tuple(pairs))))


# -- distributions -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "form", "family", "low", "mode", "high"), [
    ("20% to 60%", "range", "lognormal", 0.2, None, 0.6),
    ("600 to 700", "range", "lognormal", 600.0, None, 700.0),
    ("-10% to 30%", "range", "normal", -0.1, None, 0.3),
    ("0 to 4", "range", "normal", 0.0, None, 4.0),
    ("PERT 2, 5, 6", "pert", "pert", 2.0, 5.0, 6.0),
    ("pert(45%; 60%; 70%)", "pert", "pert", 0.45, 0.6, 0.7),
    ("Triangular 1, 2, 4", "triangular", "triangular", 1.0, 2.0, 4.0),
    ("uniform 4 to 6", "uniform", "uniform", 4.0, None, 6.0),
    ("uniform(4, 6)", "uniform", "uniform", 4.0, None, 6.0),
    ("5", "fixed", "fixed", 5.0, None, 5.0),
    (5.0, "fixed", "fixed", 5.0, None, 5.0),
])
def test_the_forms_analysts_write(text: object, form: str, family: str, low: float, mode: float | None,
                                  high: float) -> None:
    d = parse_distribution(text)
    assert (d.form, d.family) == (form, family)
    assert d.low == pytest.approx(low) and d.high == pytest.approx(high)
    assert (d.mode is None) == (mode is None) and (mode is None or d.mode == pytest.approx(mode))


@pytest.mark.parametrize(("text", "says"), [
    ("6 to 4", "the low end first"),
    ("PERT 5, 2, 6", "not in order"),
    ("PERT 1, 2", "a distribution such as"),
    ("about 5", "a distribution such as"),
    ("1 to 2 to 3", "a distribution such as"),
    ("uniform 6 to 4", "the low end first"),
    ("", "a distribution such as"),
])
def test_a_bad_distribution_says_what_is_expected(text: str, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        parse_distribution(text)


def test_a_90_percent_range_has_its_ends_at_p5_and_p95() -> None:
    for text in ("600 to 700", "-10% to 30%"):
        d = parse_distribution(text)
        assert d.quantile(np.array([0.05, 0.95])) == pytest.approx([d.low, d.high], rel=1e-12)
    lognormal = parse_distribution("2 to 8")
    assert lognormal.quantile(np.array([0.5]))[0] == pytest.approx(4.0)          # the geometric mean
    normal = parse_distribution("-2 to 8")
    assert normal.quantile(np.array([0.5]))[0] == pytest.approx(3.0)
    # σ of the normal: (hi − lo) / (2 × 1.6449)
    assert normal.quantile(np.array([0.8413447460685429]))[0] == pytest.approx(3.0 + 10 / (2 * Z95))



def test_z95_is_the_normal_95th_percentile_by_two_independent_routes() -> None:
    """Z95 is written out (so validating a scenario never imports scipy.stats): it must be the standard normal's
    95th percentile by scipy's and by the standard library's inverse CDF."""
    import statistics

    from scipy import stats

    assert float(stats.norm.ppf(0.95)) == Z95
    assert pytest.approx(statistics.NormalDist().inv_cdf(0.95), rel=1e-14) == Z95
    assert 0.5 * math.erfc(-Z95 / math.sqrt(2)) == pytest.approx(0.95, rel=1e-15)     # Φ(Z95) by the error function


def test_validating_a_scenario_does_not_import_scipy() -> None:
    """The window validates on every edit and at start: scipy.stats (~0.3 s to import) only when a simulation
    samples a distribution."""
    import subprocess
    import sys

    code = ("import sys; from model.core.validation import validate; from model.defaults.scenario import "
            "default_scenario; validate(default_scenario()); print(any(m.split('.')[0] == 'scipy' for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1])
    assert out.stdout.strip() == "False"

def test_pert_triangular_and_uniform_match_their_textbook_moments() -> None:
    u = (np.arange(200_000) + 0.5) / 200_000        # a fine grid: the mean of the quantiles is the mean
    pert = parse_distribution("PERT 2, 5, 6")
    assert pert.quantile(u).mean() == pytest.approx((2 + 4 * 5 + 6) / 6, abs=1e-4)     # Vose: (a + 4m + b) / 6
    tri = parse_distribution("triangular 0, 8, 10")
    assert tri.quantile(np.array([0.5]))[0] == pytest.approx(math.sqrt(10 * 8 / 2))   # median, mode above middle
    assert tri.quantile(u).mean() == pytest.approx(6.0, abs=1e-4)                        # (a + m + b) / 3
    assert parse_distribution("uniform 4 to 6").quantile(np.array([0.25]))[0] == pytest.approx(4.5)
    assert np.all(parse_distribution("7 to 7").quantile(u[:10]) == 7.0)


# -- resolved against the scenario ------------------------------------------------------------------------------------

def test_the_default_template_ships_sourced_ranges_for_what_decides_its_verdict() -> None:
    scenario = default_scenario()
    spec = read_uncertainty(scenario)
    assert spec.problems == ()
    assert {i.sheet for i in spec.inputs} == {"Capex", "Revenue", "Assumptions"}
    columns = {c for i in spec.inputs for c in i.columns}
    assert {"cash_margin", "value", "2026", "2032"} <= columns
    assert all(len(i.source) > 40 for i in spec.inputs)
    assert np.linalg.eigvalsh(spec.correlation).min() > 0
    growth = [i for i in spec.inputs if i.name == "Amazon growth"][0]
    assert growth.multiplier and growth.columns == tuple(str(y) for y in range(2026, 2033))


def problems_of(scenario: Scenario) -> list[tuple[str, str, str, object, str]]:
    return [(p.severity, p.cell, p.column, p.value, p.expected) for p in read_uncertainty(scenario).problems]


def test_each_bad_entry_is_an_error_at_its_cell_with_the_form_expected() -> None:
    scenario = ranges(
        ("Good", "Revenue", "Amazon", "Cash margin", None, "PERT 45%, 60%, 70%"),        # row 2
        ("Bad form", "Revenue", "Amazon", "growth", "2026", "about 20%"),                 # row 3
        ("No row", "Capex", "Amazn", "capex", "2026", "0.8 to 1.2", "multiplier"),       # row 4
        ("No column", "Revenue", "Meta", "Margin", None, "50% to 60%"),                   # row 5
        ("Text column", "Revenue", "Meta", "Source", None, "1 to 2"),                     # row 6
        ("Bad years", "Capex", "Meta", "capex", "2040-2041", "0.8 to 1.2", "multiplier"),  # row 7
        ("No sign", "Revenue", "Meta", "Cash margin", None, "40 to 60"),                  # row 8
        ("Blank cells", "Revenue", "Meta", "growth", None, "0.8 to 1.2", "multiplier"),   # row 9
        ("A year", "Assumptions", "Horizon end", "Value", None, "2030 to 2040"),          # row 10
        ("Life", "Assumptions", "Useful life", "Value", None, "3 to 6"),                  # row 11
        correlations=(("Good", "Life", 0.3), ("Good", "Nobody", 0.5), ("Life", "Life", 0.5),
                      ("Life", "Good", 0.2)))
    # A multiplier over nothing but blank cells scales nothing: Meta's growth cells all blanked.
    meta = scenario.revenue
    row = [r for r in range(len(meta)) if meta.value(r, "company") == "Meta"][0]
    for year in meta.years:
        scenario = scenario.with_cell("Revenue", row, str(year), None)
    got = problems_of(scenario)
    errors = {(cell, column) for severity, cell, column, _, _ in got if severity == "error"}
    assert errors == {("F3", "Distribution"), ("C4", "Row"), ("D5", "Column"), ("D6", "Column"), ("E7", "Years"),
                      ("F8", "Distribution"), ("C10", "Row"),
                      ("B3", "Second input"), ("B4", "Second input"), ("A5", "First input")}
    by_cell = {cell: (value, expected) for _, cell, _, value, expected in got}
    assert by_cell["F3"] == ("about 20%", "a distribution such as 20% to 60% (a 90% range), PERT 3, 5, 6, "
                                          "triangular 3, 5, 6, uniform 4 to 6, or a single number")
    assert by_cell["C4"][0] == "Amazn" and "Company" in by_cell["C4"][1]
    assert "Cash margin" in by_cell["D5"][1] and "growth (with Years)" in by_cell["D5"][1]
    assert by_cell["F8"] == ("40 to 60", "40% to 60% with the sign, or 0.4 to 0.6 as fractions")
    blank_rows = [p for p in read_uncertainty(scenario).problems if p.cell == "G9"]
    assert [p.severity for p in blank_rows] == ["warning"] and "scales nothing" in blank_rows[0].message
    assert by_cell["B3"][0] == "Nobody"
    assert "A2" in next(p.message for p in read_uncertainty(scenario).problems if p.cell == "A5")  # where the pair is
    # the good rows are kept for the simulation, the bad ones are not
    assert read_uncertainty(scenario).names == ("Good", "Blank cells", "Life")
    # validate reports them too, so the importer and the window refuse the same things
    assert {(p.cell, p.column) for p in validate(scenario) if p.sheet in ("Uncertainty", "Correlations")
            and p.severity == "error"} == errors


def test_correlations_that_cannot_hold_together_are_a_warning_not_an_error() -> None:
    scenario = ranges(("A", "Revenue", "Amazon", "Cash margin", None, "50% to 60%"),
                      ("B", "Revenue", "Meta", "Cash margin", None, "50% to 60%"),
                      ("C", "Revenue", "Alphabet", "Cash margin", None, "50% to 60%"),
                      correlations=(("A", "B", 0.9), ("B", "C", 0.9), ("A", "C", -0.9)))
    [problem] = read_uncertainty(scenario).problems
    assert problem.severity == "warning" and problem.sheet == "Correlations" and "Higham" in problem.message


# -- the workbook -----------------------------------------------------------------------------------------------------

def test_the_sheets_round_trip_through_the_template(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(default_scenario(), path)
    back = read_template(path)
    assert back.uncertainty == default_scenario().uncertainty
    assert back.correlations == default_scenario().correlations
    assert not [p for p in back.warnings if p.sheet in ("Uncertainty", "Correlations")]


def test_a_template_without_the_optional_sheets_reads_without_a_word(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(default_scenario(), path)
    wb = load_workbook(path)
    del wb["Uncertainty"], wb["Correlations"]
    wb.save(path)
    back = read_template(path)
    assert len(back.uncertainty) == 0 and len(back.correlations) == 0
    assert not [p for p in check_template(path) if p.sheet in ("Uncertainty", "Correlations")]


def test_a_bad_range_in_a_workbook_is_refused_at_its_cell(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    write_template(default_scenario(), path)
    wb = load_workbook(path)
    ws = wb["Uncertainty"]
    headers = [c.value for c in ws[1]]
    ws.cell(row=4, column=headers.index("Distribution") + 1, value="somewhere near 5")
    ws.cell(row=5, column=headers.index("Row") + 1, value="Amazn")
    wb["Correlations"].cell(row=2, column=3, value=1.5)
    wb.save(path)
    with pytest.raises(TemplateError) as caught:
        read_template(path)
    found = {(p.sheet, p.cell, p.column) for p in caught.value.problems if p.severity == "error"}
    assert found == {("Uncertainty", "F4", "Distribution"), ("Uncertainty", "C5", "Row"),
                     ("Correlations", "C2", "Rank correlation")}


# -- the window's edits -----------------------------------------------------------------------------------------------

def test_new_rows_are_valid_as_inserted() -> None:
    scenario = default_scenario()
    for sheet in ("Uncertainty", "Correlations"):
        row = edit.new_row(scenario, sheet)
        table = scenario.table(sheet)
        scenario = scenario.with_table(table.with_row_inserted(len(table), row))
    assert not [p for p in validate(scenario) if p.severity == "error"]
    added = read_uncertainty(scenario).inputs[-1]
    assert added.distribution.fixed and added.distribution.low == 5.0     # the Useful life as it is: a no-op


def test_a_correlation_needs_two_ranges() -> None:
    scenario = ranges(("Only", "Assumptions", "Useful life", "Value", None, "3 to 6"))
    with pytest.raises(edit.EditRefused, match="two Uncertainty rows"):
        edit.new_row(scenario, "Correlations")


def test_renaming_and_removing_a_company_carries_its_ranges() -> None:
    scenario = edit.rename_company(default_scenario(), "Amazon", "AMZN")
    rows = {r["input"]: r["row"] for r in scenario.uncertainty.records()}
    assert rows["Amazon growth"] == "AMZN" and rows["Amazon capex"] == "AMZN"
    assert not [p for p in validate(scenario) if p.severity == "error"]
    removed = edit.remove_companies(default_scenario(), ["Meta"])
    assert not [n for n in removed.uncertainty.column_values("input") if str(n).startswith("Meta")]
    assert not [r for r in removed.correlations.records() if "Meta" in str(r["first"]) + str(r["second"])]
    assert not [p for p in validate(removed) if p.severity == "error"]


# -- the window's reuse of the last check ---------------------------------------------------------------------------

_EDITS = st.lists(st.tuples(
    st.sampled_from(["Capex", "Revenue", "Assumptions", "Uncertainty"]),
    st.integers(0, 40),                                  # row (wrapped to the table's length)
    st.integers(0, 40),                                  # column (wrapped to the table's keys)
    st.one_of(st.none(), st.just(""), st.floats(-5, 500, allow_nan=False), st.sampled_from(
        ["Amazon", "amazon ", "Nobody", "Useful life", "2026-2032", "2040", "multiplier", "value", "0.5 to 2",
         "-1 to 2", "capex", "growth", "Cash margin", "Revenue", "Capex", "text"]))),
    min_size=1, max_size=12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_EDITS)
def test_the_reused_check_equals_a_fresh_one_after_any_edits(edits) -> None:
    """uncertainty_problems reuses its last answer while what it reads is unchanged: after any sequence of edits
    (figures, blanks, text, key cells, the Uncertainty sheet itself) it must say exactly what a fresh
    read_uncertainty says."""
    from model.core.uncertainty import uncertainty_problems

    scenario = default_scenario()
    assert uncertainty_problems(scenario) == list(read_uncertainty(scenario).problems)
    for sheet, row, col, value in edits:
        table = scenario.table(sheet)
        if not len(table):
            continue
        key = table.keys[col % len(table.keys)]
        if sheet == "Uncertainty" and key == "sheet" and value not in ("Capex", "Revenue", "Assumptions"):
            continue      # the sheet column only takes a sheet's name (parsed on the way in; read_uncertainty relies on it)
        scenario = scenario.with_cell(sheet, row % len(table), key, value)
        assert uncertainty_problems(scenario) == list(read_uncertainty(scenario).problems), (sheet, key, value)
        assert uncertainty_problems(scenario) == list(read_uncertainty(scenario).problems)   # the reused answer


def test_a_multiplier_over_cells_blanked_by_an_edit_is_warned_even_after_a_reused_check() -> None:
    """The case a memo could miss: the edit changes only whether a cell holds a number."""
    from model.core.uncertainty import uncertainty_problems

    scenario = default_scenario()
    assert not [p for p in uncertainty_problems(scenario) if "scales nothing" in p.message]
    row = scenario.capex.column_values("company").index("Oracle")
    for year in range(2026, 2033):
        scenario = scenario.with_cell("Capex", row, str(year), None)
    warned = [p for p in uncertainty_problems(scenario) if "scales nothing" in p.message]
    assert len(warned) == 1 and "Oracle" in warned[0].message
