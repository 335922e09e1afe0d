"""The simulation: the sample (Latin hypercube, Iman–Conover, Higham), the reference evaluator, and the figures
merged from batch summaries — each checked against an independent oracle."""

from __future__ import annotations

import math
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from model.core.compute import compute
from model.core.edit import CellInput, set_cells
from model.core.overrides import Alternative, Override, ScenarioBook
from model.core.scenario import Scenario, Table
from model.core.uncertainty import read_uncertainty
from model.defaults.scenario import default_scenario
from model.simulate.correlation import (
    iman_conover,
    is_valid_correlation,
    nearest_correlation,
    rank_correlation,
)
from model.simulate.evaluate import Samples, apply_draws, evaluate, without_ranges
from model.simulate.run import Cancelled, simulate
from model.simulate.sampling import draw, input_values
from model.simulate.summary import (
    merge,
    percentile,
    spearman_from_sums,
    standard_error_of_percentile,
    summarise,
    twice_average_ranks,
)

ROOT = Path(__file__).resolve().parents[1]


def with_ranges(rows: list[tuple[object, ...]], pairs: tuple[tuple[object, ...], ...] = (),
                base: Scenario | None = None) -> Scenario:
    scenario = base or default_scenario()
    full = tuple(tuple(r) + ("value",) * (7 - len(r)) + ("test",) for r in rows)
    return (scenario.with_table(Table("Uncertainty", rows=full))
            .with_table(Table("Correlations", rows=tuple(tuple(p) + ("test",) for p in pairs))))


# -- correlation ------------------------------------------------------------------------------------------------------

def test_higham_finds_the_nearest_correlation_matrix_of_his_paper() -> None:
    """Higham (2002), section 4: the nearest correlation matrix to [[1,1,0],[1,1,1],[0,1,1]]."""
    a = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 1.0], [0.0, 1.0, 1.0]])
    x = nearest_correlation(a)
    assert x == pytest.approx(np.array([[1, 0.7607, 0.1573], [0.7607, 1, 0.7607], [0.1573, 0.7607, 1]]), abs=2e-4)
    assert is_valid_correlation(x)


@settings(max_examples=40, deadline=None)
@given(st.integers(2, 6).flatmap(lambda k: st.lists(st.floats(-1, 1), min_size=k * (k - 1) // 2,
                                                    max_size=k * (k - 1) // 2).map(lambda v: (k, v))))
def test_the_repair_is_a_valid_correlation_matrix_and_keeps_a_valid_one(kv: tuple[int, list[float]]) -> None:
    k, upper = kv
    a = np.eye(k)
    a[np.triu_indices(k, 1)] = upper
    a = a + np.triu(a, 1).T
    x = nearest_correlation(a)
    assert is_valid_correlation(x, tol=1e-9)
    assert np.diag(x) == pytest.approx(np.ones(k))
    if np.linalg.eigvalsh(a).min() >= 1e-8:
        assert x == pytest.approx(a)


def test_iman_conover_meets_the_target_rank_correlations_at_10000_paths() -> None:
    target = np.array([[1.0, 0.6, 0.6, -0.3],
                       [0.6, 1.0, 0.6, 0.0],
                       [0.6, 0.6, 1.0, 0.2],
                       [-0.3, 0.0, 0.2, 1.0]])
    sample = draw(("a", "b", "c", "d"), target, 10_000, seed=7)
    achieved = rank_correlation(sample.u)
    assert np.abs(achieved - target).max() < 0.05
    # still a Latin hypercube: every column has exactly one point in each of the 10,000 strata
    strata = np.floor(sample.u * 10_000).astype(int)
    for j in range(4):
        assert np.array_equal(np.sort(strata[:, j]), np.arange(10_000))


def test_iman_conover_keeps_each_columns_values() -> None:
    rng = np.random.default_rng(1)
    u = rng.random((500, 3))
    out = iman_conover(u, np.array([[1, 0.5, 0], [0.5, 1, 0], [0, 0, 1.0]]), np.random.default_rng(2))
    for j in range(3):
        assert np.array_equal(np.sort(out[:, j]), np.sort(u[:, j]))


def test_the_default_templates_correlations_are_met() -> None:
    spec = read_uncertainty(default_scenario())
    sample = draw(spec.names, spec.correlation, 10_000, seed=11)
    assert np.abs(rank_correlation(sample.u) - spec.correlation).max() < 0.05
    # a draw is a monotone function of its probability: the draws keep the rank correlations
    drawn = input_values(spec.inputs, sample)
    assert np.abs(rank_correlation(drawn) - spec.correlation).max() < 0.05


def test_the_same_seed_gives_the_same_sample_and_another_seed_another() -> None:
    c = np.array([[1.0, 0.5], [0.5, 1.0]])
    a, b, other = draw(("x", "y"), c, 300, 5), draw(("x", "y"), c, 300, 5), draw(("x", "y"), c, 300, 6)
    assert np.array_equal(a.u, b.u)
    assert not np.array_equal(a.u, other.u)


# -- the evaluator ----------------------------------------------------------------------------------------------------

def test_a_draw_sets_or_scales_the_cells_it_names() -> None:
    scenario = with_ranges([("Capex", "Capex", "Meta", "capex", "2026-2027", "0.5 to 2", "multiplier"),
                            ("Margin", "Revenue", "Meta", "Cash margin", None, "50% to 90%"),
                            ("Life", "Assumptions", "Useful life", "Value", None, "3 to 6")])
    spec = read_uncertainty(scenario)
    set_ = apply_draws(without_ranges(scenario), spec.inputs, np.array([1.5, 1.7, 4.0]))
    capex, row = scenario.capex, [r["company"] for r in scenario.capex.records()].index("Meta")
    assert set_.capex.value(row, "2026") == pytest.approx(1.5 * capex.value(row, "2026"))
    assert set_.capex.value(row, "2027") == pytest.approx(1.5 * capex.value(row, "2027"))
    assert set_.capex.value(row, "2028") == capex.value(row, "2028")
    rev_row = [r["company"] for r in scenario.revenue.records()].index("Meta")
    assert set_.revenue.value(rev_row, "cash_margin") == 1.0          # 170% kept within the column: at most 100%
    life = [r["name"] for r in scenario.assumptions.records()].index("Useful life")
    assert set_.assumptions.value(life, "value") == 4.0


def test_a_multiplier_leaves_a_blank_cell_blank() -> None:
    """Blank capex is no capex and a blank growth the terminal growth: scaling keeps that reading (a multiplier of
    1.5 must not become a capex of $1.5B), while the filled cells of the same row are scaled."""
    base = default_scenario()
    row = base.capex.column_values("company").index("Meta")
    base = base.with_cell("Capex", row, "2027", None)
    scenario = with_ranges([("Capex", "Capex", "Meta", "capex", "2026-2027", "0.5 to 2", "multiplier")], base=base)
    set_ = apply_draws(without_ranges(scenario), read_uncertainty(scenario).inputs, np.array([1.5]))
    assert set_.capex.value(row, "2027") is None
    assert set_.capex.value(row, "2026") == pytest.approx(1.5 * base.capex.value(row, "2026"))


def test_the_reference_evaluator_is_compute_path_by_path() -> None:
    scenario = default_scenario()
    spec = read_uncertainty(scenario)
    sample = draw(spec.names, spec.correlation, 12, seed=3)
    draws = input_values(spec.inputs, sample)
    out = evaluate(scenario, Samples(spec.inputs, draws))
    assert out.score_years == out.years == tuple(range(2024, 2036))        # the score in every model year
    row = [r["name"] for r in scenario.assumptions.records()].index("Score year")
    for p in (0, 5, 11):
        path = apply_draws(without_ranges(scenario), spec.inputs, draws[p])
        results = compute(path)
        assert out.yearly["cumulative_cash_flow"][p] == pytest.approx(results.series["cumulative_cash_flow"][-1])
        assert out.headline["npv"][p] == pytest.approx(results.sector.npv)
        assert out.headline["score"][p] == pytest.approx(results.sector.score.composite)
        # Each year's score and label: the path computed again with the Score year set to that year.
        for t in (0, 1, 6, 11):
            year = out.score_years[t]
            other = compute(set_cells(path, "Assumptions", [CellInput(row, "value", str(year))])).sector.score
            assert other.year == year
            assert out.scored["score"][p, t] == pytest.approx(other.composite)
            assert out.bubble[p, t] == (other.label == "Bubble")


# -- the figures ------------------------------------------------------------------------------------------------------

def test_a_degenerate_range_gives_the_deterministic_value_at_every_percentile() -> None:
    """lo = hi = the value as entered everywhere: P5 = P50 = P95 = compute() of the scenario as entered (an
    independent run)."""
    revenue = default_scenario().revenue
    margin = revenue.value(revenue.column_values("company").index("Oracle"), "cash_margin")
    assert margin == 0.35                  # Oracle's entered margin (issue 12): the range is that value alone
    scenario = with_ranges([("Growth", "Revenue", "Amazon", "growth", "2026-2032", "1 to 1", "multiplier"),
                            ("Capex", "Capex", "Meta", "capex", None, "1 to 1", "multiplier"),
                            ("Margin", "Revenue", "Oracle", "Cash margin", None, "35% to 35%"),
                            ("Life", "Assumptions", "Useful life", "Value", None, "PERT 5, 5, 5")],
                           pairs=(("Growth", "Capex", 0.5),))
    expected = compute(without_ranges(scenario))
    sim = simulate(scenario, paths=30, seed=1, batch_size=7).scenario()
    for key in ("cumulative_cash_flow", "coverage"):
        truth = expected.series[key][-1]
        for q in ("P5", "P25", "P50", "P75", "P95"):
            assert sim.fans[key][q] == pytest.approx(truth, rel=1e-12)
    npv = sim.headline("npv")
    assert npv.p5 == npv.p50 == npv.p95 == pytest.approx(expected.sector.npv, rel=1e-12)
    score = sim.headline("score")
    assert score.p5 == score.p95 == pytest.approx(expected.sector.score.composite)
    by_year = expected.sector.score_by_year
    for q in ("P5", "P50", "P95"):
        assert sim.score_fan[q] == pytest.approx([by_year[y] for y in expected.years])
    first = expected.sector.first_year_labelled("Bubble")
    assert [b.p for b in sim.bubble] == [1.0 if label == "Bubble" else 0.0
                                         for label in (s.label for s in expected.sector.score_history)]
    assert first is not None and sim.bubble[expected.years.index(first)].p == 1.0
    assert sim.probabilities[0].p == (1.0 if expected.sector.payback.within_horizon else 0.0)
    assert all(c == 0 for values in sim.contribution.values() for c in values)   # nothing varies: no driver


def test_a_fixed_seed_gives_identical_figures_and_batches_do_not_matter() -> None:
    scenario = default_scenario()
    a = simulate(scenario, paths=60, seed=9, batch_size=60).to_dict()
    b = simulate(scenario, paths=60, seed=9, batch_size=13).to_dict()
    c = simulate(scenario, paths=60, seed=10, batch_size=60).to_dict()
    for d in (a, b, c):
        d.pop("seconds"), d.pop("batch_size")
    assert a == b
    assert a != c


def test_merged_order_statistics_and_rank_sums_equal_a_direct_computation() -> None:
    """Against scipy: percentiles of all the paths at once, Spearman's ρ of the raw per-path outputs."""
    scenario = default_scenario()
    spec = read_uncertainty(scenario)
    sample = draw(spec.names, spec.correlation, 40, seed=4)
    draws, ranks = input_values(spec.inputs, sample), sample.ranks()
    outs = [evaluate(scenario, Samples(spec.inputs, draws[a:a + 15])) for a in (0, 15, 30)]
    merged = merge([summarise(o) for o in outs])
    npv = np.concatenate([o.headline["npv"] for o in outs])
    assert np.array_equal(merged.headline["npv"], np.sort(npv))
    assert percentile(merged.headline["npv"], 50) == float(np.percentile(npv, 50, method="inverted_cdf"))
    from model.simulate.summary import rank_sums
    sums = np.sum([rank_sums(o, ranks[a:a + 15], merged.headline) for o, a in zip(outs, (0, 15, 30), strict=True)],
                  axis=0)
    rho = spearman_from_sums(sums, 40, merged.headline, tuple(False for _ in spec.inputs))
    for m, key in enumerate(("payback_year", "npv", "final_cumulative_cash_flow", "score")):
        y = np.concatenate([o.headline[key] for o in outs])
        for j in range(len(spec.inputs)):
            expected = stats.spearmanr(draws[:, j], y).statistic
            if np.isnan(expected):
                expected = 0.0
            assert rho[j, m] == pytest.approx(expected, abs=1e-9), (key, spec.names[j])


def test_average_ranks_of_ties() -> None:
    values = np.array([3.0, 1.0, 3.0, np.inf, np.inf])
    assert twice_average_ranks(values, np.sort(values)).tolist() == [5, 2, 5, 9, 9]    # ranks 2.5, 1, 2.5, 4.5, 4.5
    assert (twice_average_ranks(values, np.sort(values)) / 2).tolist() == stats.rankdata(values).tolist()


def test_the_standard_error_of_a_median_matches_the_normal_theory() -> None:
    """For N(0, 1), the median's standard error is √(π/2)/√n ≈ 1.2533/√n."""
    n = 40_000
    x = np.sort(stats.norm.ppf((np.arange(n) + 0.5) / n))
    assert standard_error_of_percentile(x, 50) == pytest.approx(1.2533 / math.sqrt(n), rel=0.02)


def test_scenarios_share_one_sample() -> None:
    """An alternative that changes only a threshold weight (no effect on cash) shows the same cash-flow fan: the
    same draws were used, so a difference between scenarios is never sampling noise."""
    base = default_scenario()
    alt = Alternative("Other weight", overrides=(Override("Thresholds", ("Macro weight",), "weight", 30.0),))
    book = ScenarioBook(base, (alt,))
    sim = simulate(book, ("Base", "Other weight"), paths=24, seed=2, batch_size=8)
    assert sim.scenario("Base").fans == sim.scenario("Other weight").fans
    assert sim.scenario("Base").score_fan != sim.scenario("Other weight").score_fan


def test_the_payback_distribution_adds_up() -> None:
    sim = simulate(default_scenario(), paths=40, seed=8).scenario()
    pb = sim.payback
    assert sum(pb.counts) + pb.never == 40
    assert list(pb.by_year) == sorted(pb.by_year)
    assert pb.by_year[-1] == pytest.approx(1 - pb.never / 40)
    assert sim.probabilities[0].p == pytest.approx(pb.by_year[-1])


def test_cancel_stops_the_run() -> None:
    calls = []

    def progress(done: int, total: int) -> bool:
        calls.append((done, total))
        return done < 2

    with pytest.raises(Cancelled):
        simulate(default_scenario(), paths=40, seed=1, batch_size=10, progress=progress)
    assert calls == [(1, 4), (2, 4)]


def test_no_ranges_is_an_error_that_says_so() -> None:
    from model.core.problems import TemplateError
    with pytest.raises(TemplateError, match="no rows"):
        simulate(replace(default_scenario(), uncertainty=Table("Uncertainty"), correlations=Table("Correlations")),
                 paths=5)


def test_a_local_run_never_imports_dask() -> None:
    code = ("import sys; from model.defaults.scenario import default_scenario; from model.simulate.run import "
            "simulate; simulate(default_scenario(), paths=4); import model.export.writer; "
            "print(any(m.split('.')[0] in ('dask', 'distributed') for m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


# -- the command line and the export -----------------------------------------------------------------------------------

def run_main(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)


def test_simulate_on_the_command_line_shows_its_seed_and_reproduces(tmp_path: Path) -> None:
    from model.io.paths import DEFAULT_TEMPLATE

    done = run_main("simulate", str(DEFAULT_TEMPLATE), "--paths", "30", "--seed", "77")
    assert done.returncode == 0, done.stderr
    assert "30 paths, seed 77" in done.stdout and "P(sector payback by 2035)" in done.stdout
    as_json = run_main("simulate", str(DEFAULT_TEMPLATE), "--paths", "30", "--seed", "77", "--json")
    import json
    figures = json.loads(as_json.stdout)
    again = simulate(ScenarioBook(default_scenario()), paths=30, seed=77).to_dict()
    for d in (figures, again):
        d.pop("seconds")
    assert figures == json.loads(json.dumps(again))      # the file's scenario is the default: the same figures


def test_simulate_refuses_what_it_cannot_do_with_a_message(tmp_path: Path) -> None:
    from model.io.paths import BLANK_TEMPLATE, DEFAULT_TEMPLATE

    cases = [(("--scenario", "Nope"), "no scenario named 'Nope'"),
             (("--samples",), "--samples goes with -o"),
             (("--paths", "0"), "at least 1")]
    for extra, says in cases:
        done = run_main("simulate", str(DEFAULT_TEMPLATE), *extra)
        assert done.returncode == 1 and says in done.stderr, (extra, done.stderr)
        assert "Traceback" not in done.stderr
    blank = run_main("simulate", str(BLANK_TEMPLATE))
    assert blank.returncode == 1 and "no rows: nothing is uncertain" in blank.stderr


def test_the_export_gains_the_simulation_sheets_and_still_reads_back(tmp_path: Path) -> None:
    import openpyxl

    from model.export.writer import export_results
    from model.io.workbook import read_book

    book = ScenarioBook(default_scenario())
    sim = simulate(book, paths=20, seed=3, keep_draws=True)
    path = tmp_path / "out.xlsx"
    summary = export_results(book, path, simulation=sim)
    assert summary.sheets[-2:] == ("Simulation", "Simulation samples")
    wb = openpyxl.load_workbook(path)
    ws = wb["Simulation"]
    cells = {(c.row, c.column): c.value for row in ws.iter_rows() for c in row if c.value is not None}
    texts = [v for v in cells.values() if isinstance(v, str)]
    assert any("seed 3" in t for t in texts)
    # the P50 of the sector NPV, as a value (no per-path formula)
    npv_row = next(r for (r, c), v in cells.items() if v == sim.scenario().headline("npv").label)
    assert cells[(npv_row, 5)] == pytest.approx(sim.scenario().headline("npv").p50)
    assert not any(isinstance(v, str) and v.startswith("=") for v in cells.values())
    assert len(ws._charts) == 5      # two fans, the payback histogram with its CDF, two tornadoes
    samples = wb["Simulation samples"]
    assert samples.max_row == 2 + 20
    assert [samples.cell(2 + 1 + p, 2).value for p in range(3)] == pytest.approx(list(sim.draws[:3, 0]))
    back = read_book(path)                                  # result sheets are skipped: the export is a template
    assert back.base.inputs_equal(book.base)
    assert not [p for p in back.base.warnings if p.sheet.startswith("Simulation")]


def test_payback_and_bubble_probabilities_count_the_paths() -> None:
    """P(payback by the end of T) and P(Bubble) against the raw per-path outputs of the same sample."""
    scenario = with_ranges([("Growth", "Revenue", "Amazon", "growth", None, "0.2 to 3", "multiplier"),
                            ("Life", "Assumptions", "Useful life", "Value", None, "PERT 1, 5, 8"),
                            ("Margin", "Revenue", "Meta", "Cash margin", None, "uniform 10% to 95%")])
    spec = read_uncertainty(scenario)
    sim = simulate(scenario, paths=36, seed=21, batch_size=9).scenario()
    sample = draw(spec.names, spec.correlation, 36, seed=21)
    out = evaluate(scenario, Samples(spec.inputs, input_values(spec.inputs, sample)))
    reached = out.headline["payback_year"]          # first model year + years from its start
    for t, year in enumerate(sim.years):
        assert sim.payback.by_year[t] == pytest.approx(np.mean(reached <= year + 1))
    assert sim.payback.never == int(np.sum(np.isinf(reached)))
    for t in range(len(sim.years)):
        assert sim.bubble[t].p == pytest.approx(np.mean(out.bubble[:, t]))
    score_year = sim.years.index(2025)
    assert sim.probabilities[1] == sim.bubble[score_year] and len(sim.probabilities) == 2
    assert sim.headline("npv").p50 == float(np.percentile(out.headline["npv"], 50, method="inverted_cdf"))


@settings(max_examples=60, deadline=None)
@given(st.floats(0.001, 1e4), st.floats(0.0, 1e4), st.booleans())
def test_a_range_typed_reads_back_as_typed(low: float, width: float, percent: bool) -> None:
    from model.core.uncertainty import parse_distribution
    high = low + width
    text = f"{low * 100!r}% to {high * 100!r}%" if percent else f"{low!r} to {high!r}"
    d = parse_distribution(text)
    assert d.low == pytest.approx(low, rel=1e-12) and d.high == pytest.approx(high, rel=1e-12)
    assert d.family == "lognormal" and d.percent_typed == percent
    if width > 0:
        assert d.quantile(np.array([0.05, 0.95])) == pytest.approx([d.low, d.high], rel=1e-9)
