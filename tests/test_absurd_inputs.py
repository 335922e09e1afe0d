"""Absurd but well-formed inputs: each is refused at its cell with the largest sensible bound stated, and what the
bounds let through computes and reports without ``inf``, a 300-digit figure or a numpy warning."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from model.core import schema
from model.core.compute import compute
from model.core.scenario import Scenario
from model.core.validation import validate
from model.defaults.scenario import default_scenario
from model.io.template_writer import write_template
from model.io.workbook import check_template
from model.report import render
from tests.test_import import CAPEX_HEAD, errors_of, minimal, one, revenue_rows

ROOT = Path(__file__).resolve().parents[1]
HUGE = 1e308


@pytest.mark.parametrize("value", [HUGE, 1e6 + 1, "1e300"])
def test_a_capex_beyond_any_real_amount_is_refused_at_its_cell(tmp_path: Path, value: object) -> None:
    path = minimal(tmp_path / "t.xlsx", Capex=[CAPEX_HEAD, ["Microsoft", "yes", value, 80, "10-K"],
                                                ["OpenAI", "no", 5, 10, "press"]])
    p = one(errors_of(path), "Capex", "C2")
    assert p.column == "2024" and p.value == value
    assert "is above 1,000,000" in p.message and "$1,000,000B" in p.message
    assert p.expected == "an amount in $B between 0 and 1,000,000"


def test_the_largest_sensible_amount_itself_is_read(tmp_path: Path) -> None:
    path = minimal(tmp_path / "t.xlsx", Capex=[CAPEX_HEAD, ["Microsoft", "yes", 1e6, 80, "10-K"],
                                                ["OpenAI", "no", 5, 10, "press"]])
    assert not [p for p in check_template(path) if p.severity == "error"]


@pytest.mark.parametrize("healthy, bubble, cell", [(-HUGE, 0.5, "B2"), (0.2, HUGE, "C2"), (0.2, -1e7, "C2")])
def test_a_threshold_of_1e308_is_not_a_threshold(tmp_path: Path, healthy: float, bubble: float, cell: str) -> None:
    thresholds = [["Indicator", "Healthy", "Bubble", "Weight"], ["Circularity", healthy, bubble, 10]]
    p = one(errors_of(minimal(tmp_path / "t.xlsx", Thresholds=thresholds)), "Thresholds", cell)
    assert re.search(r"is (above 1,000,000|below -1,000,000): no assumption, market input, threshold or weight",
                     p.message), p.message
    assert p.expected == "a number between -1,000,000 and 1,000,000"


def test_the_schema_is_the_one_place_bounds_are_checked() -> None:
    """parse refuses exactly what out_of_range describes (the importer quotes out_of_range)."""
    col = schema.CAPEX.year_column(2025)
    assert col.out_of_range(1e6) is None and col.parse(1e6) == 1e6
    assert col.out_of_range(2e6) == ("2025 2,000,000 is above 1,000,000: no real amount comes near $1,000,000B "
                                     "(ten times the world's yearly GDP)")
    assert col.out_of_range(HUGE, "Capex 2025").startswith("Capex 2025 1e+308 is above 1,000,000")
    with pytest.raises(ValueError):
        col.parse(2e6)
    assert col.out_of_range(-1.0) == "2025 -1 is negative"
    margin = schema.REVENUE.column("cash_margin")
    # 4000 typed is 4000% (Excel's percent entry, issue 11): quoted as read, with no other reading offered
    assert margin.out_of_range(40.0, "Cash margin") == "Cash margin 4000% is above 100%"


def test_growth_that_compounds_past_any_real_revenue_is_refused_at_the_growth_cell(tmp_path: Path) -> None:
    # 1000% a year is within the growth column's bound. Only 2025 and 2026 are typed here; the terminal growth
    # carries the revenue on past the bound. Typed with the % sign: a plain 10 is 10% (Excel's percent entry).
    revenue = revenue_rows()
    revenue[1] = ["Microsoft", 2024, 500, 0.4, "1000%", "1000%", "earnings call"]
    # 500 × 11 × 11 = 60,500 by 2026: fine; with the terminal growth of 900% after it: 605,000 in 2027, 6.05M in 2028
    # 500 × 11 × 11 = 60,500 in 2026, then × 10 a year: 6.05e8 in 2030, 6.05e9 in 2031
    assumptions = [["Name", "Value"], ["Terminal growth", "900%"], ["Horizon end", 2031]]
    problems = errors_of(minimal(tmp_path / "t.xlsx", Revenue=revenue, Assumptions=assumptions))
    p = one(problems, "Assumptions", "B2")
    assert p.message.startswith("Microsoft's AI revenue, grown from its base year 2024, passes $1,000,000,000B in 2031")
    assert "Terminal growth" in p.message and p.value == 9.0     # 900%, as the fraction read
    # typed growth that does it is named at its own cell: 100,000 × 11^4 = 1.46e9 in 2028, 1.33e8 in 2027
    revenue[0] = ["Company", "Base year", "Base AI revenue", "Cash margin", 2025, 2026, 2027, 2028]
    revenue[1] = ["Microsoft", 2024, 1e5, 0.4, "1000%", "1000%", "1000%", "1000%"]
    revenue[2] = ["OpenAI", 2024, 4, 0.1, 1.0, 0.8, 0.1, 0.1]
    problems = errors_of(minimal(tmp_path / "u.xlsx", Revenue=revenue))
    p = one(problems, "Revenue", "H2")
    assert p.column == "2028" and "passes $1,000,000,000B in 2028" in p.message


def test_growth_backward_from_the_base_year_counts_too() -> None:
    """Years before the base year divide by the growth: -99.99% into the base year makes the year before 10,000
    times as large: $10,000,000,000B from $1,000,000B."""
    s = default_scenario()
    rev = s.revenue
    row = rev.rows[0]
    company = row[0]
    cells = dict(zip(rev.keys, row, strict=True))
    cells.update({"base_year": 2026, "base_revenue": 1e6})
    year = max(y for y in rev.years if y <= 2026)      # the growth into the base year
    cells[str(year)] = -0.9999
    s = s.with_table(rev.with_rows((tuple(cells[k] for k in rev.keys),) + rev.rows[1:]))
    found = [p for p in validate(s) if "passes $1,000,000,000B" in p.message]
    assert len(found) == 1 and found[0].message.startswith(f"{company}'s AI revenue")
    assert found[0].column == str(year)


def _at_the_bounds() -> Scenario:
    """The default scenario with every amount at $1,000,000B, every market value and threshold at ±1,000,000:
    accepted, and the largest figures the model can be asked to compute."""
    s = default_scenario()

    def fill(table, keys, value):  # type: ignore[no-untyped-def]
        rows = []
        for row in table.rows:
            rows.append(tuple(value if key in keys and cell is not None else cell
                              for key, cell in zip(table.keys, row, strict=True)))
        return table.with_rows(rows)

    s = s.with_table(fill(s.capex, {str(y) for y in s.capex.years}, schema.LARGEST_AMOUNT))
    s = s.with_table(fill(s.investments, {"amount"}, schema.LARGEST_AMOUNT))
    s = s.with_table(fill(s.market, {"value"}, schema.LARGEST_NUMBER))
    t = s.thresholds
    s = s.with_table(t.with_rows([(r[0], -schema.LARGEST_NUMBER, schema.LARGEST_NUMBER, schema.LARGEST_NUMBER,
                                   *r[4:]) for r in t.rows]))
    tiny = s.capex.with_rows([tuple(1e-300 if isinstance(c, float) else c for c in s.capex.rows[0])]
                             + list(s.capex.rows[1:]))
    return s.with_table(tiny)


def test_inputs_at_the_bounds_compute_without_warnings_and_print_no_absurd_figure() -> None:
    s = _at_the_bounds()
    assert not [p for p in validate(s) if p.severity == "error"]
    with warnings.catch_warnings():
        warnings.simplefilter("error")      # a numpy overflow or invalid-value warning fails the test
        text = render(compute(s), "bounds")
    assert not re.search(r"\binf\b|\bnan\b", text, re.I)
    longest = max(len(d) for d in re.findall(r"[\d,.]+", text))
    assert longest < 20, longest


def test_the_command_line_prints_no_warning_at_the_bounds(tmp_path: Path) -> None:
    path = tmp_path / "bounds.xlsx"
    write_template(_at_the_bounds(), path)
    for extra in ([], ["--json"]):
        done = subprocess.run([sys.executable, "-W", "error", "main.py", "report", *extra, str(path)], cwd=ROOT,
                              capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
        assert "Infinity" not in done.stdout and "NaN" not in done.stdout
        if extra:
            json.loads(done.stdout)


def test_the_streamed_json_is_the_results_dict() -> None:
    """report --json writes entity by entity (bounded memory at the caps): the same content as to_dict()."""

    for scenario in (default_scenario(), _at_the_bounds()):
        results = compute(scenario)
        assert json.loads("".join(results.json_chunks())) == json.loads(json.dumps(results.to_dict()))


def test_report_json_of_every_scenario_parses(tmp_path: Path) -> None:

    done = subprocess.run([sys.executable, "main.py", "report", "--json", "--all-scenarios",
                           str(ROOT / "templates" / "default-scenario.xlsx")], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert list(data)[0] == "Base" and len(data) == 5
    assert all(len(r["entities"]) > 5 for r in data.values())
