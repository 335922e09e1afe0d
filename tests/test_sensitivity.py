"""Tornado, spider and goal seek (model/sensitivity): every output they report is compute() of a scenario built
here cell by cell (Scenario.with_cell), not through the code under test."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.core.compute import compute
from model.core.edit import CellInput, set_cells
from model.core.scenario import Scenario
from model.core.validation import validate
from model.defaults.alternatives import default_book
from model.defaults.scenario import default_scenario
from model.io.templates import DEFAULT_TEMPLATE
from model.io.workbook import read_book
from model.sensitivity.goal_seek import TargetOutOfReach, as_scenario, goal_seek
from model.sensitivity.inputs import Input, UnknownInput, find_input, inputs_of
from model.sensitivity.metrics import UnknownMetric, format_value, parse_metric
from model.sensitivity.tornado import spider, tornado

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def base() -> Scenario:
    return default_scenario()


def moved(scenario: Scenario, item: Input, x: float) -> Scenario:
    """The scenario with the input at x, set cell by cell (each value computed here from the entered one)."""
    out = scenario
    for ref, entered in zip(item.cells, item.values, strict=True):
        assert out.table(ref.sheet).value(ref.row, ref.key) == entered
        out = out.with_cell(ref.sheet, ref.row, ref.key, entered * x if item.is_multiplier else x)
    return out


def test_inputs_are_read_from_the_scenario_with_their_template_bounds(base: Scenario) -> None:
    inputs = {i.key: i for i in inputs_of(base)}
    margin = inputs["amazon.margin"]
    assert (margin.label, margin.values, margin.base) == ("Amazon's cash margin", (0.6,), 0.6)
    assert 0.0 < margin.lowest < 1e-6 and margin.highest == 1.0          # Cash margin: above 0%, at most 100%
    capex = inputs["amazon.capex"]
    assert capex.is_multiplier and capex.base == 1.0 and len(capex.cells) == 9     # 2024..2032
    assert capex.values[:3] == (83.0, 131.8, 200.0)
    assert (capex.lowest, capex.highest) == (0.0, 5.0)                    # no upper bound: at most 5× entered
    # Anthropic's 2025 growth of 650% may grow to 1000% (the column's maximum): a multiplier up to 10/6.5.
    assert inputs["anthropic.growth"].highest == pytest.approx(10 / 6.5)
    assert inputs["discount-rate"].label == "the discount rate"
    assert (inputs["discount-rate"].lowest, inputs["discount-rate"].highest) == (0.0, 1.0)
    # An amount's only upper bound is the template's largest sensible one ($1,000,000B): like an unbounded
    # quantity it goes to at most 5× entered, not to $1,000,000B.
    deal = inputs["deal.nvidia-openai-2026-vendor-financing.amount"]
    assert deal.values == (100.0,) and (deal.lowest, deal.highest) == (0.0, 500.0)
    assert deal.range_text() == "$0.0B–$500.0B"
    hyperscalers = inputs["hyperscalers.growth"]
    assert not hyperscalers.in_tornado and len(hyperscalers.cells) == 5 * 8
    # The Capex sheet's AI share (issue 12): one input per hyperscaler, a share in [0%, 100%].
    share = inputs["amazon.ai-share"]
    assert (share.label, share.values, share.lowest, share.highest) == ("Amazon's AI share", (0.75,), 0.0, 1.0)
    assert {k for k in inputs if k.endswith(".ai-share")} == {
        "amazon.ai-share", "microsoft.ai-share", "alphabet.ai-share", "meta.ai-share", "oracle.ai-share",
        "hyperscalers.ai-share"}
    group = inputs["hyperscalers.ai-share"]       # Microsoft's and Oracle's 90% may grow to 100%: ×1/0.9 at most
    assert group.highest == pytest.approx(1 / 0.9)
    assert group.range_text() == "×0–×1.11 the entered AI share"


def test_the_ai_share_input_moves_the_ai_capex_the_model_pays_back(base: Scenario) -> None:
    """Amazon's AI share 75% ± 20% (60%, 90%): less of its capex is AI capex, so the sector NPV rises, by the
    same amount as setting the cell by hand; Oracle's 90% × 1.2 stops at 100%."""
    result = tornado(base, parse_metric("npv", base))
    bar = next(b for b in result.bars if b.input.key == "amazon.ai-share")
    assert (bar.low_x, bar.high_x) == (pytest.approx(0.6), pytest.approx(0.9))
    row = base.capex.column_values("company").index("Amazon")
    assert bar.low == compute(base.with_cell("Capex", row, "ai_share", 0.75 * 0.8)).sector.npv
    assert bar.high == compute(base.with_cell("Capex", row, "ai_share", 0.75 * 1.2)).sector.npv
    assert bar.low > result.base > bar.high
    # NPV reads the AI capex, capex × AI share, alone: the share ×0.8 is Amazon's capex ×0.8.
    capex = next(b for b in result.bars if b.input.key == "amazon.capex")
    assert (bar.low, bar.high) == (pytest.approx(capex.low, abs=1e-9), pytest.approx(capex.high, abs=1e-9))
    oracle = next(b for b in result.bars if b.input.key == "oracle.ai-share")
    assert oracle.high_x == 1.0


def test_every_tornado_bar_equals_compute_on_the_changed_scenario(base: Scenario) -> None:
    metric = parse_metric("npv", base)
    result = tornado(base, metric)
    assert result.base == compute(base).sector.npv
    assert len(result.bars) == len([i for i in inputs_of(base) if i.in_tornado])
    for bar in result.bars:
        lo = bar.input.base * 0.8
        hi = bar.input.base * 1.2
        assert bar.low_x == min(max(lo, bar.input.lowest), bar.input.highest)
        assert bar.high_x == min(max(hi, bar.input.lowest), bar.input.highest)
        assert bar.low == compute(moved(base, bar.input, bar.low_x)).sector.npv, bar.input.key
        assert bar.high == compute(moved(base, bar.input, bar.high_x)).sector.npv, bar.input.key
    swings = [b.swing for b in result.bars]
    assert swings == sorted(swings, reverse=True)
    assert swings[0] > 400       # ±20% of Alphabet's growth moves the sector NPV by ~$457B
    # Hand check of one bar: Amazon's margin 60% → 48% and 72%.
    margin = next(b for b in result.bars if b.input.key == "amazon.margin")
    assert (margin.low_x, margin.high_x) == (0.48, 0.72)
    assert margin.low_text.startswith("−$") and margin.low_input == "48.0%"


@pytest.mark.parametrize("spec", ["Oracle:payback", "coverage@2027", "score", "Amazon:horizon-cash", "score@2027",
                                  "Amazon:npv", "payback"])
def test_tornado_bars_of_other_metrics_equal_compute(base: Scenario, spec: str) -> None:
    metric = parse_metric(spec, base)
    result = tornado(base, metric)
    whole = base           # the whole scenario, every sheet (the tornado leaves out what its output does not read)
    if spec == "score@2027":
        row = [r["name"] for r in base.assumptions.records()].index("Score year")
        whole = set_cells(base, "Assumptions", [CellInput(row, "value", "2027")])
    for bar in result.bars[:6] + result.bars[-2:]:
        for x, got in ((bar.low_x, bar.low), (bar.high_x, bar.high)):
            results = compute(moved(whole, bar.input, x))
            # score@2027: the score of the scenario whose Score year is 2027 (the tornado reads the year's score)
            expected = results.sector.score.composite if spec == "score@2027" else metric.value(results)
            assert got == expected, (spec, bar.input.key, x)


def test_score_of_another_year_is_the_score_with_that_score_year(base: Scenario) -> None:
    metric = parse_metric("score@2027", base)
    rows = [r for r in base.assumptions.records() if r["name"] == "Score year"]
    assert rows[0]["value"] == 2025
    row = [r["name"] for r in base.assumptions.records()].index("Score year")
    by_hand = set_cells(base, "Assumptions", [CellInput(row, "value", "2027")])
    assert tornado(base, metric).base == compute(by_hand).sector.score.composite


def test_an_analyst_range_replaces_the_default_swing(base: Scenario) -> None:
    result = tornado(base, parse_metric("npv", base), ranges={"amazon.margin": (0.9, 0.5)})
    bar = next(b for b in result.bars if b.input.key == "amazon.margin")
    assert (bar.low_x, bar.high_x) == (0.5, 0.9)
    assert bar.high == compute(moved(base, bar.input, 0.9)).sector.npv


def test_moved_inputs_bring_no_validation_error(base: Scenario) -> None:
    """Why the tornado may skip validating its changed copies: at either end of its range no input adds an error."""
    for item in inputs_of(base):
        for x in (item.lowest, item.highest):
            errors = [p for p in validate(item.apply(base, x)) if p.severity == "error"]
            assert not errors, (item.key, x, errors)


def test_spider_lines_equal_compute(base: Scenario) -> None:
    metric = parse_metric("npv", base)
    top = tornado(base, metric).bars[:8]
    result = spider(base, metric, [b.input for b in top])
    assert len(result.lines) == 8
    line = result.lines[0]
    assert line.changes == (-0.3, -0.2, -0.1, 0.0, 0.1, 0.2, 0.3)
    for x, value in zip(line.xs, line.values, strict=True):
        assert value == compute(moved(base, line.input, x)).sector.npv
    assert line.values[3] == result.base
    # Amazon's margin only lives up to 100%: from 60%, +30% is 78%, within; the steps are all there.
    margin = spider(base, metric, [find_input(inputs_of(base), "amazon.margin")]).lines[0]
    assert margin.xs[0] == pytest.approx(0.42) and margin.xs[-1] == pytest.approx(0.78)


def test_goal_seek_hits_its_target(base: Scenario) -> None:
    inputs = inputs_of(base)
    metric = parse_metric("npv", base)
    result = goal_seek(base, metric, 0.0, find_input(inputs, "hyperscalers.growth"))
    assert result.reached and result.monotone
    assert 1.0 < result.x < 2.0
    assert abs(compute(moved(base, result.input, result.x)).sector.npv) < 1e-6
    assert result.message == (f"Sector NPV reaches $0.0B with the hyperscalers' growth at "
                              f"×{result.x:.3g} the entered growth.")

    payback = goal_seek(base, parse_metric("payback", base), 2035.0, find_input(inputs, "hyperscalers.growth"))
    assert payback.reached
    sector = compute(moved(base, payback.input, payback.x)).sector.payback
    assert sector.calendar_year == pytest.approx(2035.0, abs=1e-6)

    life = goal_seek(base, parse_metric("score", base), 40.0, find_input(inputs, "the useful life"))
    assert life.reached and not life.input.is_multiplier
    assert compute(moved(base, life.input, life.x)).sector.score.composite == pytest.approx(40.0, abs=1e-6)


def test_an_unreachable_target_says_so_with_the_best_reachable_value(base: Scenario) -> None:
    metric = parse_metric("coverage@2027", base)
    result = goal_seek(base, metric, 1.0, find_input(inputs_of(base), "Amazon's cash margin"))
    assert not result.reached
    assert result.x == 1.0                                       # a 100% margin: the most coverage there is
    best = compute(moved(base, result.input, 1.0)).value("Sector", "coverage", 2027)
    assert result.value == best
    assert result.message == ("Sector coverage in 2027 cannot reach 100.0% by changing Amazon's cash margin within "
                              f"0.0%–100.0%: even at 100.0%, it peaks at {best * 100:.1f}%.")
    flat = goal_seek(base, parse_metric("horizon-cash", base), 0.0, find_input(inputs_of(base), "discount-rate"))
    assert not flat.reached and "does not depend on the discount rate" in flat.message


def test_the_answer_becomes_a_scenario_noted_with_how_it_was_found() -> None:
    book = default_book()
    metric = parse_metric("npv", book.base)
    result = goal_seek(book.base, metric, 0.0, find_input(inputs_of(book.base), "amazon.growth"))
    alt = as_scenario(book, "Base", result)
    assert alt.name == "Goal seek: sector NPV $0.0B"
    assert len(alt.overrides) == 8 and all(o.note == result.note for o in alt.overrides)
    assert "Brent" in alt.description and "Amazon's growth" in alt.description
    scenario, dangling = book.with_alternative(alt).scenario(alt.name)
    assert not dangling and abs(compute(scenario).sector.npv) < 1e-6
    # From an alternative: its own overrides stay, the goal seek's are added.
    bear = book.names[1]
    start, _ = book.scenario(bear)
    from_bear = goal_seek(start, metric, 0.0, find_input(inputs_of(start), "amazon.growth"))
    alt = as_scenario(book, bear, from_bear)
    assert len(alt.overrides) >= len(book.alternative(bear).overrides)
    assert abs(compute(book.with_alternative(alt).scenario(alt.name)[0]).sector.npv) < 1e-6


def test_names_that_do_not_exist_say_what_does(base: Scenario) -> None:
    with pytest.raises(UnknownInput, match="amazon.margin"):
        find_input(inputs_of(base), "Amazon's charm")
    with pytest.raises(UnknownMetric, match="npv, payback"):
        parse_metric("profit", base)
    with pytest.raises(UnknownMetric, match="Amazon, Microsoft"):
        parse_metric("Amazone:npv", base)
    with pytest.raises(UnknownMetric, match="outside the model's years"):
        parse_metric("coverage@2050", base)


# -- the command line ---------------------------------------------------------------------------------------------------
def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def test_goal_seek_writes_a_workbook_whose_report_reproduces_the_target(tmp_path: Path) -> None:
    out = tmp_path / "answer.xlsx"
    done = run("goal-seek", str(DEFAULT_TEMPLATE), "--metric", "payback", "--target", "2035",
               "--input", "hyperscalers.growth", "--write", str(out))
    assert done.returncode == 0, done.stderr
    assert "Sector payback year reaches 2035" in done.stdout
    name = "Goal seek: sector payback year 2035"
    assert name in read_book(out).names
    report = run("report", str(out), "--scenario", name, "--json")
    assert report.returncode == 0, report.stderr
    sector = next(e for e in json.loads(report.stdout)["entities"] if e["name"] == "Sector")
    assert abs(sector["payback"]["first_year"] + sector["payback"]["years"] - 2035.0) <= 1e-6

    out2 = tmp_path / "npv.xlsx"
    done = run("goal-seek", str(DEFAULT_TEMPLATE), "--metric", "Amazon:npv", "--target", "-700",
               "--input", "Amazon's cash margin", "--write", str(out2))
    assert done.returncode == 0, done.stderr
    name = read_book(out2).names[-1]
    amazon = next(e for e in json.loads(run("report", str(out2), "--scenario", name, "--json").stdout)["entities"]
                  if e["name"] == "Amazon")
    assert abs(amazon["npv"] - (-700.0)) <= 1e-6


def test_goal_seek_that_cannot_reach_exits_2_with_the_reason() -> None:
    done = run("goal-seek", str(DEFAULT_TEMPLATE), "--metric", "coverage@2027", "--target", "100%",
               "--input", "amazon.margin")
    assert done.returncode == 2
    assert "cannot reach 100.0%" in done.stdout and "even at 100.0%, it peaks at" in done.stdout


def test_sensitivity_prints_the_ranked_tornado_and_json() -> None:
    done = run("sensitivity", str(DEFAULT_TEMPLATE))
    assert done.returncode == 0, done.stderr
    # The default's sector NPV since issue 12 (like-for-like AI capex, the kept fleet, Oracle's 35% margin).
    assert "Sensitivity of sector NPV (base −$1,966.2B)" in done.stdout
    assert f"{compute(read_book(DEFAULT_TEMPLATE).base).sector.npv:,.1f}" == "-1,966.2"
    lines = done.stdout.splitlines()
    assert lines[5].strip().startswith("Alphabet's growth")
    data = json.loads(run("sensitivity", str(DEFAULT_TEMPLATE), "--metric", "coverage", "--json").stdout)
    assert data["metric"] == "coverage" and data["scenario"] == "Base"
    assert data["bars"][0]["swing"] >= data["bars"][-1]["swing"]
    bad = run("sensitivity", str(DEFAULT_TEMPLATE), "--metric", "profit")
    assert bad.returncode == 1 and "no metric 'profit'" in bad.stderr
    bad = run("goal-seek", str(DEFAULT_TEMPLATE), "--metric", "npv", "--target", "0", "--input", "charm")
    assert bad.returncode == 1 and "amazon.margin" in bad.stderr and "Traceback" not in bad.stderr


def test_inputs_lists_the_workbook_inputs_with_their_ranges() -> None:
    done = run("sensitivity", str(DEFAULT_TEMPLATE), "--inputs")
    assert done.returncode == 0, done.stderr
    lines = dict(line.split("\t", 1) for line in done.stdout.splitlines())
    assert lines["amazon.margin"] == "Amazon's cash margin\t0.0%–100.0%"
    assert lines["hyperscalers.growth"] == "the hyperscalers' growth\t×0–×5 the entered growth"
    assert len(lines) == len(inputs_of(default_scenario()))


def test_help_lists_the_metrics_and_the_inputs() -> None:
    for command in ("sensitivity", "goal-seek"):
        done = run(command, "--help")
        assert done.returncode == 0
        text = " ".join(done.stdout.split())
        for name in ("npv", "payback", "horizon-cash", "coverage[@YEAR]", "score[@YEAR]", "COMPANY.margin",
                     "hyperscalers.growth", "discount-rate", "useful-life", "terminal-growth", ".recycled-share"):
            assert name in text, (command, name)


def test_metric_values_have_no_nan(base: Scenario) -> None:
    for spec in ("npv", "payback", "horizon-cash", "coverage", "score"):
        value = parse_metric(spec, base).value(compute(base))
        assert value is None or math.isfinite(value)


def test_the_export_has_a_sensitivity_sheet_with_the_tornado_and_a_bar_chart(tmp_path: Path, base: Scenario) -> None:
    import zipfile

    import openpyxl

    from model.export.writer import export_results

    path = tmp_path / "out.xlsx"
    export_results(base, path)
    ws = openpyxl.load_workbook(path)["Sensitivity"]
    assert [ws.cell(5, c).value for c in range(1, 4)] == ["Rank", "Input", "Swing used"]
    # The largest swing: Alphabet's growth over its Uncertainty row, ×0.6 to ×1.6 in 2026–2032 (the years it names).
    assert ws["B6"].value == "Alphabet's growth, 2026–2032"
    assert ws["C6"].value == "Uncertainty range ×0.6 to ×1.6 ('Alphabet growth')"
    assert ws["K6"].value.startswith("Only 2026–2032 moves")
    row = base.revenue.column_values("company").index("Alphabet")
    low_scenario, high_scenario = base, base
    for year in range(2026, 2033):
        entered = base.revenue.value(row, str(year))
        low_scenario = low_scenario.with_cell("Revenue", row, str(year), entered * 0.6)
        high_scenario = high_scenario.with_cell("Revenue", row, str(year), entered * 1.6)
    low, high = compute(low_scenario).sector.npv, compute(high_scenario).sector.npv
    base_npv = compute(base).sector.npv
    assert (ws["F6"].value, ws["G6"].value) == (low, high)
    assert ws["H6"].value == low - base_npv and ws["J6"].value == abs(high - low)
    rows = [r for r in ws.iter_rows(min_row=6, values_only=True) if r[0] is not None]
    assert len(rows) == len([i for i in inputs_of(base) if i.in_tornado])
    rate = next(r for r in rows if r[1] == "the discount rate")
    assert rate[2] == "±20%"
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    tornado_chart = next(c for c in charts if "Sensitivity!$H$6" in c)
    assert "<c:barDir val=\"bar\"/>" in tornado_chart and "Sensitivity!$B$6:$B$20" in tornado_chart
    again = read_book(path).base
    assert again.inputs_equal(base)                          # the sheet is skipped on re-import, quietly
    assert not any("Sensitivity" in str(w) for w in again.warnings)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(key=st.sampled_from(["amazon.margin", "alphabet.growth", "meta.capex", "hyperscalers.growth",
                            "the discount rate", "openai.margin"]),
       metric_spec=st.sampled_from(["npv", "Amazon:npv", "horizon-cash", "coverage@2028"]),
       share=st.floats(0.05, 0.95))
def test_goal_seek_reaches_any_value_the_output_takes_in_the_range(base: Scenario, key: str, metric_spec: str,
                                                                   share: float) -> None:
    """A target taken from the output itself at some x of the input's range (computed here) is reached, to 1e-6."""
    item = find_input(inputs_of(base), key)
    metric = parse_metric(metric_spec, base)
    lo, hi = item.base * 0.5, min(item.highest, item.base * 1.5)
    x = lo + share * (hi - lo)
    target = metric.value(compute(moved(base, item, x)))
    assert target is not None
    result = goal_seek(base, metric, target, item)       # (an output the input does not move: its value already)
    assert result.reached, result.message
    assert abs(metric.value(compute(moved(base, item, result.x))) - target) <= 1e-6 * max(1.0, abs(target))


def test_a_payback_beyond_the_horizon_cannot_be_sought_and_a_met_target_says_so(base: Scenario) -> None:
    item = find_input(inputs_of(base), "amazon.growth")
    with pytest.raises(TargetOutOfReach, match="from 2024 to 2036"):
        goal_seek(base, parse_metric("payback", base), 2040.0, item)
    npv = compute(base).sector.npv
    done = goal_seek(base, parse_metric("npv", base), npv, find_input(inputs_of(base), "discount-rate"))
    assert done.reached and done.x == 0.1
    assert done.message == f"Sector NPV is {format_value('$B', npv)} already, with the discount rate as entered (10.0%)."


def test_an_output_that_turns_back_gives_the_answer_nearest_the_entered_value_and_says_so(base: Scenario) -> None:
    """Oracle's bubble score against a multiplier of its capex: more capex lowers its coverage (a higher score) but
    also the share of the capex financed from outside, whose indicator leaves its bubble end at about ×0.95. The
    score rises from ~59.1 at ×0.8 to ~61.5 near ×0.95, then falls to ~59.2 at ×2: 60 is reached twice, near
    ×0.85 and near ×1.46; the answer is the one nearer ×1 (the capex as entered)."""
    capex = find_input(inputs_of(base), "oracle.capex")
    score = parse_metric("Oracle:score", base)
    at = {x: compute(moved(base, capex, x)).entity("Oracle").score.composite for x in (0.8, 1.0, 2.0)}
    assert at[0.8] < 60 < at[1.0] and at[2.0] < 60                  # two crossings, by hand
    result = goal_seek(base, score, 60.0, capex)
    assert result.reached and not result.monotone and 0.8 < result.x < 1.0
    assert abs(compute(moved(base, capex, result.x)).entity("Oracle").score.composite - 60.0) < 1e-6
    assert "not monotone" in result.message and "nearest the entered value" in result.message


def test_a_tornado_over_its_budget_moves_fewer_inputs_and_says_so(tmp_path: Path, base: Scenario) -> None:
    from model.export.book import Book
    from model.export.sensitivity import write_sensitivity

    result = tornado(base, parse_metric("npv", base), budget_ms=0.0)
    assert result.bars == () and result.computes == 1
    # 67: per company capex, growth, margin (5 + 11 + 11), the hyperscalers' AI share (5), 3 assumptions,
    # 16 deals × amount and recycled share (32: OpenAI's commitments to AWS, Nvidia, AMD and Broadcom joined the 12)
    assert len([i for i in inputs_of(base) if i.in_tornado]) == 5 + 11 + 11 + 5 + 3 + 2 * len(base.investments.rows)
    assert "moving 67 inputs would take about" in result.note and "no input is moved" in result.note
    book = Book(tmp_path / "s.xlsx")
    write_sensitivity(book, result)
    book.close()
    import openpyxl

    ws = openpyxl.load_workbook(tmp_path / "s.xlsx")["Sensitivity"]
    assert ws["A3"].value == result.note and ws["A6"].value is None and book.charts == 0
