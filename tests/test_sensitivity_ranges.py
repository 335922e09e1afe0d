"""The analyst's ranges in the tornado (model/sensitivity/ranges.py): a bar whose input has a row on the Uncertainty
sheet swings from that row's P5 to its P95, and its outputs are compute() of a scenario built here cell by cell.

The P5 and P95 are worked out here from the distributions' definitions (a "lo to hi" range is P5 = lo, P95 = hi by
definition; a PERT is a beta on [min, max] with α = 1 + 4(m − a)/(b − a), β = 1 + 4(b − m)/(b − a), Vose 2008), not
read from the code under test."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from model.core.compute import compute
from model.core.scenario import Cell, Scenario
from model.core.validation import validate
from model.defaults.scenario import default_scenario
from model.sensitivity.metrics import parse_metric
from model.sensitivity.ranges import ranged_tornado
from model.sensitivity.tornado import Bar, Tornado

ROOT = Path(__file__).resolve().parents[1]
GROWTH_YEARS = tuple(str(y) for y in range(2026, 2033))
DEFAULT = default_scenario()


@pytest.fixture(scope="module")
def base() -> Scenario:
    return default_scenario()


def pert_p5_p95(least: float, mode: float, most: float) -> tuple[float, float]:
    a = 1 + 4 * (mode - least) / (most - least)
    b = 1 + 4 * (most - mode) / (most - least)
    lo, hi = stats.beta.ppf([0.05, 0.95], a, b)
    return least + (most - least) * float(lo), least + (most - least) * float(hi)


def bar(result: Tornado, key: str) -> Bar:
    return next(b for b in result.bars if b.input.key == key)


def row_of(scenario: Scenario, sheet: str, company: str) -> int:
    return scenario.table(sheet).column_values("company").index(company)


def scaled(scenario: Scenario, sheet: str, row: int, keys: tuple[str, ...], factor: float) -> Scenario:
    out = scenario
    for key in keys:
        value = scenario.table(sheet).value(row, key)
        assert isinstance(value, float | int)
        out = out.with_cell(sheet, row, key, value * factor)
    return out


def with_rows(scenario: Scenario, *rows: dict[str, Cell]) -> Scenario:
    """The scenario with these rows added to its Uncertainty sheet (checked valid, as the window would)."""
    table = scenario.uncertainty
    added = [tuple(r.get(k) for k in table.keys) for r in rows]
    out = scenario.with_table(table.with_rows(list(table.rows) + added))
    errors = [p for p in validate(out) if p.severity == "error"]
    assert not errors, errors
    return out


def test_the_default_ranges_set_the_bars_of_the_inputs_they_cover(base: Scenario) -> None:
    """The default Uncertainty sheet: each hyperscaler's growth ×0.6–×1.6 and capex ×0.75–×1.3 (Oracle ×0.6) in
    2026–2032, margins PERT, the useful life PERT 2, 5, 6 years; everything else ±20%."""
    result = ranged_tornado(base, parse_metric("npv", base))
    assert result.base == compute(base).sector.npv
    assert result.ranged == 5 + 5 + 5 + 1
    npv = {b.input.key: b for b in result.bars}

    # A row naming 2026–2032 of Amazon's growth (2025–2032): only those seven cells move.
    growth = npv["amazon.growth.2026-2032"]
    assert "amazon.growth" not in npv
    assert growth.input.label == "Amazon's growth, 2026–2032"
    assert (growth.low_x, growth.high_x) == (0.6, 1.6)
    row = row_of(base, "Revenue", "Amazon")
    assert growth.low == compute(scaled(base, "Revenue", row, GROWTH_YEARS, 0.6)).sector.npv
    assert growth.high == compute(scaled(base, "Revenue", row, GROWTH_YEARS, 1.6)).sector.npv
    assert growth.swing_used == "Uncertainty range ×0.6 to ×1.6 ('Amazon growth')"
    assert "Only 2026–2032 moves (7 of the 8 cells of Amazon's growth)" in growth.note
    assert "other years as entered" in growth.note

    oracle = npv["oracle.capex.2026-2032"]
    row = row_of(base, "Capex", "Oracle")
    assert (oracle.low_x, oracle.high_x) == (0.6, 1.3)
    assert oracle.low == compute(scaled(base, "Capex", row, GROWTH_YEARS, 0.6)).sector.npv
    assert oracle.high == compute(scaled(base, "Capex", row, GROWTH_YEARS, 1.3)).sector.npv

    # A PERT on a value: P5 and P95 of the beta-PERT, the cell set to each.
    margin = npv["oracle.margin"]
    lo, hi = pert_p5_p95(0.15, 0.35, 0.45)
    assert (margin.low_x, margin.high_x) == (pytest.approx(lo, abs=1e-12), pytest.approx(hi, abs=1e-12))
    row = row_of(base, "Revenue", "Oracle")
    assert margin.low == compute(base.with_cell("Revenue", row, "cash_margin", margin.low_x)).sector.npv
    assert margin.high == compute(base.with_cell("Revenue", row, "cash_margin", margin.high_x)).sector.npv
    assert margin.swing_used.startswith(f"Uncertainty range {lo:.1%} to {hi:.1%}: P5–P95 of 'Oracle margin', PERT")

    life = npv["useful-life"]
    lo, hi = pert_p5_p95(2, 5, 6)
    assert (life.low_x, life.high_x) == (pytest.approx(lo, abs=1e-12), pytest.approx(hi, abs=1e-12))
    names = [r["name"] for r in base.assumptions.records()]
    assert life.high == compute(base.with_cell("Assumptions", names.index("Useful life"), "value",
                                               life.high_x)).sector.npv

    # Inputs without a row keep ±20%, and say so.
    rate = npv["discount-rate"]
    assert (rate.low_x, rate.high_x) == (0.1 * 0.8, 0.1 * 1.2) and (rate.swing_used, rate.from_range) == ("±20%", False)
    assert npv["oracle.ai-share"].swing_used == "±20%, cut at 100.0% (the template's bounds)"
    # Ranked by swing whatever swing each used.
    assert [b.swing for b in result.bars] == sorted((b.swing for b in result.bars), reverse=True)


def test_without_ranges_every_input_moves_twenty_percent(base: Scenario) -> None:
    result = ranged_tornado(base, parse_metric("npv", base), use_ranges=False)
    assert result.ranged == 0 and all(b.swing_used.startswith("±20%") for b in result.bars)
    growth = bar(result, "amazon.growth")
    assert (growth.low_x, growth.high_x) == (0.8, 1.2)


def test_a_multiplier_row_on_one_cell_multiplies_its_value(base: Scenario) -> None:
    scenario = with_rows(base, {"input": "CoreWeave margin", "sheet": "Revenue", "row": "CoreWeave",
                                "column": "Cash margin", "distribution": "0.5 to 1.1", "applies_as": "multiplier"})
    result = ranged_tornado(scenario, parse_metric("CoreWeave:npv", scenario))
    margin = bar(result, "coreweave.margin")
    assert margin.low != margin.high
    assert (margin.low_x, margin.high_x) == (pytest.approx(0.3), pytest.approx(0.66))
    row = row_of(base, "Revenue", "CoreWeave")
    assert margin.low == compute(base.with_cell("Revenue", row, "cash_margin", 0.6 * 0.5)).entity("CoreWeave").npv
    assert margin.high == compute(base.with_cell("Revenue", row, "cash_margin", 0.6 * 1.1)).entity("CoreWeave").npv
    assert margin.swing_used == "Uncertainty range ×0.5 to ×1.1 ('CoreWeave margin') = 30.0% to 66.0%"


def test_a_value_row_on_several_cells_sets_each_to_the_value(base: Scenario) -> None:
    scenario = with_rows(base, {"input": "OpenAI growth 2027-28", "sheet": "Revenue", "row": "OpenAI",
                                "column": "growth", "years": "2027-2028", "distribution": "uniform 20% to 60%",
                                "applies_as": "value"})
    result = ranged_tornado(scenario, parse_metric("OpenAI:npv", scenario))
    item = bar(result, "openai.growth.2027-2028")
    assert item.low != item.high
    assert item.input.one_value and item.input.label == "OpenAI's growth, 2027–2028"
    assert (item.low_x, item.high_x) == (pytest.approx(0.22), pytest.approx(0.58))     # uniform: lo + 5%, 95%
    row = row_of(base, "Revenue", "OpenAI")
    by_hand = base.with_cell("Revenue", row, "2027", item.low_x).with_cell("Revenue", row, "2028", item.low_x)
    assert item.low == compute(by_hand).entity("OpenAI").npv
    assert item.low_input == "22.0%"


def test_a_row_no_input_covers_gets_a_bar_of_its_own_and_an_unread_sheet_is_left_out(base: Scenario) -> None:
    scenario = with_rows(
        base,
        {"input": "Anthropic base revenue", "sheet": "Revenue", "row": "Anthropic", "column": "Base AI revenue",
         "distribution": "3 to 9", "applies_as": "value"},
        {"input": "Amazon OCF 2025", "sheet": "Market", "row": "Operating cash flow | Amazon | 2025",
         "column": "Value", "distribution": "0.9 to 1.1", "applies_as": "multiplier"})
    result = ranged_tornado(scenario, parse_metric("Anthropic:npv", scenario))
    own = bar(result, "uncertainty.anthropic-base-revenue")
    assert own.low != own.high
    assert own.input.label == "Anthropic base revenue" and (own.low_x, own.high_x) == (3.0, 9.0)
    row = row_of(base, "Revenue", "Anthropic")
    assert own.high == compute(base.with_cell("Revenue", row, "base_revenue", 9.0)).entity("Anthropic").npv
    assert any("'Anthropic base revenue'" in n and "a bar of its own" in n for n in result.notes)
    assert any("'Amazon OCF 2025'" in n and "does not read the Market sheet" in n for n in result.notes)
    assert not any("amazon-ocf" in b.input.key for b in result.bars)
    # The score reads the Market sheet: there the row is a bar of its own, computed on the whole scenario.
    score = ranged_tornado(scenario, parse_metric("score", scenario))
    market = bar(score, "uncertainty.amazon-ocf-2025")
    assert market.from_range and market.low != market.high and not any("Market" in n for n in score.notes)
    m = [(r["input"], r["company"], r["year"]) for r in base.market.records()].index(
        ("Operating cash flow", "Amazon", 2025))
    entered = base.market.value(m, "value")
    assert isinstance(entered, float | int)
    assert market.low == compute(scenario.with_cell("Market", m, "value", entered * 0.9)).sector.score.composite


def test_capex_and_ai_share_bars_coincide_for_the_npv_and_say_why_but_not_for_the_score(base: Scenario) -> None:
    """NPV reads capex only as AI capex = capex × AI share, so ±20% on either is the same move; the score also reads
    the total capex (capex intensity, macro weight) and tells them apart."""
    npv = ranged_tornado(base, parse_metric("npv", base), use_ranges=False)
    capex, share = bar(npv, "amazon.capex"), bar(npv, "amazon.ai-share")
    assert (capex.low, capex.high) == (pytest.approx(share.low, abs=1e-9), pytest.approx(share.high, abs=1e-9))
    assert "Same outputs as Amazon's AI share" in capex.note and "capex × AI share" in capex.note
    assert "Same outputs as Amazon's capex" in share.note
    # Oracle's 90% AI share stops at 100% (×1.11), its capex goes to ×1.2: different bars, nothing said.
    assert bar(npv, "oracle.capex").note == "" and bar(npv, "oracle.ai-share").note == ""
    score = ranged_tornado(base, parse_metric("score", base), use_ranges=False)
    capex, share = bar(score, "amazon.capex"), bar(score, "amazon.ai-share")
    assert capex.low != pytest.approx(share.low, abs=1e-6) and capex.note == share.note == ""


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def test_the_command_line_uses_the_ranges_and_says_which_swing(tmp_path: Path) -> None:
    from model.io.templates import DEFAULT_TEMPLATE

    done = run("sensitivity", str(DEFAULT_TEMPLATE), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    bars = {b["input"]: b for b in data["bars"]}
    assert bars["amazon.growth.2026-2032"]["swing_used"] == "Uncertainty range ×0.6 to ×1.6 ('Amazon growth')"
    assert bars["amazon.growth.2026-2032"]["from_range"] and bars["discount-rate"]["swing_used"] == "±20%"
    text = run("sensitivity", str(DEFAULT_TEMPLATE)).stdout
    assert "Swing used" in text and "Uncertainty range ×0.75 to ×1.3 ('Amazon capex')" in text
    # 67 bars: capex of the 5 hyperscalers, growth and margin of the 11 companies, 5 AI shares, 3 assumptions, and
    # amount and recycled share of the 16 deals; the Uncertainty sheet's 16 rows give 16 of them their range.
    assert "over its range on the Uncertainty sheet (16 of 67)" in text
    plain = json.loads(run("sensitivity", str(DEFAULT_TEMPLATE), "--json", "--no-ranges").stdout)
    assert "amazon.growth" in {b["input"] for b in plain["bars"]}
    assert all(b["swing_used"].startswith("±20%") for b in plain["bars"])


@settings(max_examples=10, deadline=None)
@given(company=st.sampled_from(["Amazon", "Microsoft", "Meta", "Oracle"]),
       what=st.sampled_from(["capex", "growth", "margin"]),
       span=st.tuples(st.integers(0, 6), st.integers(0, 6)),
       form=st.sampled_from(["range", "uniform", "pert"]),
       ends=st.tuples(st.floats(0.55, 0.95), st.floats(1.05, 1.45)),
       metric_spec=st.sampled_from(["npv", "Amazon:npv", "coverage@2028", "score@2030"]))
def test_any_row_sets_its_bar_to_its_p5_and_p95_and_compute_agrees(
        company: str, what: str, span: tuple[int, int], form: str, ends: tuple[float, float],
        metric_spec: str) -> None:
    """A row on a company's capex or growth (a multiplier of some of its years) or margin (a value), with a range,
    uniform or PERT: the bar's ends are the distribution's P5 and P95 and its outputs compute() of the scenario with
    exactly the named cells changed (built here), whatever else the Uncertainty sheet holds."""
    base = DEFAULT
    lo, hi = ends
    sheet = "Capex" if what == "capex" else "Revenue"
    years = [y for y in base.table(sheet).years if y >= 2026]
    first, last = sorted(span)
    chosen = years[first:last + 1] if what != "margin" else []
    if what == "margin":
        lo, hi = lo * 0.6, hi * 0.6                                 # a margin value around the entered 60%
    typed = {"range": f"{lo!r} to {hi!r}", "uniform": f"uniform {lo!r} to {hi!r}",
             "pert": f"PERT {lo!r}, {(lo + hi) / 2!r}, {hi!r}"}[form]
    p5, p95 = {"range": (lo, hi), "uniform": (lo + 0.05 * (hi - lo), lo + 0.95 * (hi - lo)),
               "pert": pert_p5_p95(lo, (lo + hi) / 2, hi)}[form]
    # The row replaces the default sheet's row on the same input, so that it is the only range on those cells.
    kept = [r for r in base.uncertainty.records() if r["input"] != f"{company} {what}"]
    table = base.uncertainty
    start = base.with_table(table.with_rows([tuple(r[k] for k in table.keys) for r in kept]))
    row = {"input": f"{company} {what}", "sheet": sheet, "row": company,
           "column": "Cash margin" if what == "margin" else what,
           "years": None if what == "margin" else f"{chosen[0]}-{chosen[-1]}", "distribution": typed,
           "applies_as": "value" if what == "margin" else "multiplier"}
    scenario = with_rows(start, row)
    metric = parse_metric(metric_spec, scenario)
    result = ranged_tornado(scenario, metric)

    key = f"{company.lower()}.{'margin' if what == 'margin' else what}"
    everything = what == "margin" or len(chosen) == len(base.table(sheet).years)
    if not everything:
        key += f".{chosen[0]}-{chosen[-1]}" if len(chosen) > 1 else f".{chosen[0]}"
    found = bar(result, key)
    assert found.from_range and found.swing_used.startswith("Uncertainty range")
    r = row_of(base, sheet, company)
    one_year = what != "margin" and len(chosen) == 1          # one cell: x is its value, the entered one × P5
    entered = float(base.table(sheet).value(r, str(chosen[0]))) if one_year else 1.0  # type: ignore[arg-type]
    assert (found.low_x, found.high_x) == (pytest.approx(p5 * entered, rel=1e-12),
                                           pytest.approx(p95 * entered, rel=1e-12))
    for x, got in ((found.low_x, found.low), (found.high_x, found.high)):
        if what == "margin":
            by_hand = scenario.with_cell("Revenue", r, "cash_margin", x)
        elif one_year:
            by_hand = scenario.with_cell(sheet, r, str(chosen[0]), x)
        else:
            by_hand = scaled(scenario, sheet, r, tuple(str(y) for y in chosen), x)
        results = compute(by_hand)
        if metric_spec == "score@2030":
            assert got == results.sector.score_by_year[2030]
        else:
            assert got == metric.value(results)
