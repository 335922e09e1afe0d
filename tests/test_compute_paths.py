"""compute_paths — the model over a leading paths axis — equals compute() path by path.

The reference for each path is the scenario with that path's numbers typed into its cells and ``compute()`` run on
it (which re-reads and re-validates every table). Paths draw every kind of number the model reads: capex, AI
share, base revenue, growth, margins, deals (amount, recycled share, spread), assumptions (discount rate, useful
life — so the life, and the span of the vintages, differ from path to path —, terminal growth, GDP, score
labels), market inputs and score thresholds.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.core import schema
from model.core.compute import compute, compute_paths
from model.core.draws import CellAddress, Draws, is_number
from model.core.results import SECTOR
from model.core.scenario import Scenario
from model.core.uncertainty import read_uncertainty
from model.defaults.scenario import default_scenario
from model.simulate.evaluate import Samples, evaluate, evaluate_one_by_one, without_ranges
from model.simulate.sampling import draw, input_values
from tests.sample_scenarios import sample_scenario

ASSUMPTIONS_DRAWN = ("Discount rate", "Useful life", "Terminal growth", "GDP", "GDP growth", "Red gauge score",
                     "Boom score", "Bubble score")


def _bounds(scenario: Scenario, sheet: str, row: int, key: str) -> tuple[float, float]:
    table = scenario.table(sheet)
    if sheet == "Assumptions":
        spec = schema.ASSUMPTION_BY_NAME[str(table.value(row, "name")).strip().lower()]
        lo, hi = spec.minimum, spec.maximum
    else:
        column = table.columns[table.column_index(key)]
        lo, hi = column.minimum, column.maximum
    return (-math.inf if lo is None else float(lo)), (math.inf if hi is None else float(hi))


def _cells(scenario: Scenario) -> list[tuple[CellAddress, float]]:
    """Every number of the scenario a path may change, with its entered value."""
    out: list[tuple[CellAddress, float]] = []

    def add(sheet: str, keys: tuple[str, ...] | list[str]) -> None:
        table = scenario.table(sheet)
        for row in range(len(table)):
            for key in keys:
                value = table.value(row, key)
                if is_number(value):
                    out.append(((sheet, row, key), float(value)))  # type: ignore[arg-type]

    add("Capex", ["ai_share"] + [str(y) for y in scenario.capex.years])
    add("Revenue", ["base_revenue", "cash_margin"] + [str(y) for y in scenario.revenue.years])
    add("Investments", ("amount", "recycled_share", "spread_years"))
    add("Market", ("value",))
    add("Thresholds", ("weight",))
    assumptions = scenario.assumptions
    for row, name in enumerate(assumptions.column_values("name")):
        if str(name) in ASSUMPTIONS_DRAWN and is_number(assumptions.value(row, "value")):
            out.append((("Assumptions", row, "value"), float(assumptions.value(row, "value"))))  # type: ignore[arg-type]
    return out


def _random_draws(scenario: Scenario, paths: int, seed: int, share: float = 0.5) -> Draws:
    """Random multipliers (0.6-1.4) on a random half of the scenario's numbers, kept within each column's bounds.
    Score labels stay in order (Boom below Bubble), as validation requires."""
    rng = np.random.default_rng(seed)
    cells: dict[CellAddress, np.ndarray] = {}
    for address, value in _cells(scenario):
        if rng.random() > share:
            continue
        lo, hi = _bounds(scenario, *address)
        x = value * rng.uniform(0.6, 1.4, paths)
        if address[0] == "Assumptions" and str(scenario.assumptions.value(address[1], "name")) == "Useful life":
            x = rng.uniform(1.5, 9.5, paths)          # lives around and across whole years: spans differ
        cells[address] = np.clip(x, np.nextafter(lo, math.inf) if lo == 0 and address[2] == "value" else lo, hi)
    return Draws(paths, cells)


def _typed(scenario: Scenario, draws: Draws, p: int) -> Scenario:
    out = scenario
    for (sheet, row, key), values in draws.cells.items():
        out = out.with_cell(sheet, row, key, float(values[p]))
    return out


def _assert_path_equal(batch, p: int, scenario: Scenario) -> None:  # type: ignore[no-untyped-def]
    r = compute(scenario)
    for name, matrix in batch.series.items():
        np.testing.assert_allclose(matrix[p], r.series[name], rtol=1e-9, atol=1e-9, equal_nan=True, err_msg=name)
    paybacks = [s.payback.years for s in r.summaries]
    np.testing.assert_allclose(batch.payback[p], [np.nan if y is None else y for y in paybacks], rtol=1e-9,
                               equal_nan=True)
    np.testing.assert_allclose(batch.npv[p], [s.npv for s in r.summaries], rtol=1e-9, atol=1e-9)
    bubble = np.array([[label == "Bubble" for label in s.history.labels] for s in r.summaries])
    assert (batch.bubble[p] == bubble).all()


def test_fifty_random_paths_of_the_default_equal_compute_path_by_path() -> None:
    scenario = without_ranges(default_scenario())
    draws = _random_draws(scenario, 50, seed=2026)
    assert len(draws.cells) > 60           # the test draws many cells of every sheet, not a token few
    assert {sheet for sheet, _, _ in draws.cells} == {"Capex", "Revenue", "Investments", "Market", "Thresholds",
                                                      "Assumptions"}
    batch = compute_paths(scenario, draws)
    assert batch.series["cash_flow"].shape == (50, len(scenario.companies) + 1, len(batch.years))
    for p in range(50):
        _assert_path_equal(batch, p, _typed(scenario, draws, p))
    sector = batch.bubble[:, -1]                 # (paths, years)
    assert (sector.any(axis=0) & ~sector.all(axis=0)).any()   # the draws move the verdict: in some year, some
    #                                                           paths read Bubble and others do not


def test_the_simulation_evaluator_equals_the_reference_on_fifty_paths_of_the_default_uncertainty_sheet() -> None:
    scenario = default_scenario()
    spec = read_uncertainty(scenario)
    sample = draw(spec.names, spec.correlation, 50, seed=11)
    samples = Samples(spec.inputs, input_values(spec.inputs, sample))
    fast, slow = evaluate(scenario, samples), evaluate_one_by_one(scenario, samples)
    for name in slow.yearly:
        np.testing.assert_allclose(fast.yearly[name], slow.yearly[name], rtol=1e-9, equal_nan=True)
    for name in slow.scored:
        np.testing.assert_allclose(fast.scored[name], slow.scored[name], rtol=1e-9, equal_nan=True)
    for name in slow.headline:
        np.testing.assert_allclose(fast.headline[name], slow.headline[name], rtol=1e-9, equal_nan=True)
    assert (fast.bubble == slow.bubble).all()
    assert np.ptp(fast.headline["npv"]) > 100      # the paths differ: $100B+ of NPV between them


def test_one_path_with_nothing_drawn_is_compute_itself() -> None:
    scenario = sample_scenario()
    _assert_path_equal(compute_paths(scenario, Draws()), 0, scenario)


def test_asking_for_the_sector_alone_gives_its_figures_as_they_are_among_all_entities() -> None:
    scenario = without_ranges(default_scenario())
    draws = _random_draws(scenario, 8, seed=3)
    full = compute_paths(scenario, draws)
    sector_only = compute_paths(scenario, draws, entities=(SECTOR,))
    amazon_and_sector = compute_paths(scenario, draws, entities=("Amazon", SECTOR))
    assert sector_only.entities == (SECTOR,) and full.entities[-1] == SECTOR
    amazon = full.entities.index("Amazon")
    for name, matrix in full.series.items():
        assert sector_only.series[name].shape == (8, 1, len(full.years))
        np.testing.assert_array_equal(sector_only.series[name][:, 0], matrix[:, -1], err_msg=name)
        np.testing.assert_array_equal(amazon_and_sector.series[name][:, 0], matrix[:, amazon], err_msg=name)
    assert (sector_only.bubble[:, 0] == full.bubble[:, -1]).all()
    np.testing.assert_array_equal(sector_only.npv[:, 0], full.npv[:, -1])
    np.testing.assert_array_equal(amazon_and_sector.payback[:, 0], full.payback[:, amazon])


def test_draws_must_give_one_value_per_path() -> None:
    with pytest.raises(ValueError, match="3 paths"):
        Draws(3, {("Capex", 0, "2025"): np.ones(2)})


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31 - 1), share=st.floats(0.05, 1.0))
def test_any_random_draws_of_the_sample_scenario_equal_compute_path_by_path(seed: int, share: float) -> None:
    scenario = sample_scenario()
    draws = _random_draws(scenario, 3, seed, share)
    batch = compute_paths(scenario, draws)
    for p in range(3):
        _assert_path_equal(batch, p, _typed(scenario, draws, p))
