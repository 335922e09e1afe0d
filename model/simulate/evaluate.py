"""The seam between the sample and the model: ``evaluate(scenario, samples) -> PathOutputs``.

``evaluate`` computes every path of a batch at once: the draws become a ``Draws`` (each drawn cell's value on
every path) and ``compute_paths`` runs the model's arithmetic over a leading paths axis (paths × companies ×
years). ``evaluate_one_by_one`` is the reference it is tested against: each path's draws typed into the scenario
(immutable edits: ``Scenario.with_table``) and ``compute()`` run on it — the model itself, a few ms a path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from model.core.compute import compute, compute_paths
from model.core.draws import CellAddress, Draws, is_number
from model.core.problems import Problem
from model.core.results import SECTOR, Results
from model.core.scenario import Cell, Scenario, Table
from model.core.uncertainty import UncertainInput
from model.core.validation import validate

Array = npt.NDArray[np.float64]

# What every path reports. Yearly: (label, unit) of a sector series by year; scored: the sector's score in every
# model year (EntityResult.score_by_year); headline: one figure.
YEARLY: dict[str, tuple[str, str]] = {
    "cumulative_cash_flow": ("Cumulative cash flow, sector", "$B"),
    "coverage": ("Coverage (AI revenue ÷ required revenue), sector", "%"),
}
SCORED: dict[str, tuple[str, str]] = {
    "score": ("Composite bubble score, sector", "score"),
}
HEADLINE: dict[str, tuple[str, str]] = {
    "payback_year": ("Sector payback year (never: not within the horizon)", "year"),
    "npv": ("Sector NPV at the discount rate", "$B"),
    "final_cumulative_cash_flow": ("Sector cumulative cash flow at the horizon end", "$B"),
    "score": ("Sector bubble score in the score year", "score"),
}
BUBBLE = "Bubble"


@dataclass(frozen=True)
class Samples:
    """The draws of a batch of paths: one column per input, in the order of ``inputs``."""

    inputs: tuple[UncertainInput, ...]
    values: Array                   # (paths, inputs)

    @property
    def paths(self) -> int:
        return int(self.values.shape[0])


@dataclass(frozen=True)
class PathOutputs:
    """Per path: the sector's yearly series, its score and whether it reads Bubble in each score year (every model
    year: the results' score in every year) and its headline figures (the score in the Score year)."""

    years: tuple[int, ...]
    score_years: tuple[int, ...]
    yearly: dict[str, Array] = field(default_factory=dict)      # name -> (paths, years)
    scored: dict[str, Array] = field(default_factory=dict)      # name -> (paths, score years)
    bubble: npt.NDArray[np.bool_] = field(default_factory=lambda: np.zeros((0, 0), dtype=bool))
    headline: dict[str, Array] = field(default_factory=dict)    # name -> (paths,)

    @property
    def paths(self) -> int:
        return int(self.bubble.shape[0])


Evaluator = Callable[[Scenario, Samples], PathOutputs]


def without_ranges(scenario: Scenario) -> Scenario:
    """The scenario the model computes: the Uncertainty and Correlations sheets play no part in compute()."""
    return replace(scenario, uncertainty=Table("Uncertainty"), correlations=Table("Correlations"))


def apply_draws(scenario: Scenario, inputs: tuple[UncertainInput, ...], draws: Array) -> Scenario:
    """``scenario`` with one path's draws set: a value draw replaces each cell it names, a multiplier draw scales
    it; either is kept within the column's allowed range (UncertainInput.clip)."""
    tables: dict[str, list[list[Cell]]] = {}
    for item, x in zip(inputs, draws, strict=True):
        rows = tables.get(item.sheet)
        if rows is None:
            rows = tables[item.sheet] = [list(r) for r in scenario.table(item.sheet).rows]
        table = scenario.table(item.sheet)
        row = rows[item.row]
        for key in item.columns:
            i = table.column_index(key)
            base = row[i]
            if not item.multiplier:
                value = float(x)
            elif isinstance(base, int | float):
                value = float(x) * float(base)
            else:
                continue                 # a blank cell keeps its reading (no capex, the terminal growth)
            row[i] = float(item.clip(np.asarray(value)))
    out = scenario
    for sheet, rows in tables.items():
        out = out.with_table(scenario.table(sheet).with_rows(rows))
    return out


def draws_of(scenario: Scenario, inputs: tuple[UncertainInput, ...], values: Array) -> Draws:
    """The cells ``values`` (paths, inputs) set, by the rules of ``apply_draws`` on every path at once: a value
    draw replaces each cell it names, a multiplier draw scales it (a blank cell stays blank), in the order of
    ``inputs`` (a second row naming a cell scales what the first set), each kept within its column's range."""
    cells: dict[CellAddress, Array] = {}
    for j, item in enumerate(inputs):
        x = np.asarray(values[:, j], dtype=float)
        table = scenario.table(item.sheet)
        for key in item.columns:
            address = (item.sheet, item.row, key)
            current = cells.get(address)
            entered = table.value(item.row, key)
            if not item.multiplier:
                value = x
            elif current is not None:
                value = x * current
            elif is_number(entered):
                value = x * float(entered)  # type: ignore[arg-type]
            else:
                continue                 # a blank cell keeps its reading (no capex, the terminal growth)
            cells[address] = np.asarray(item.clip(value), dtype=float)
    return Draws(int(values.shape[0]), cells)


def outputs_of(results: Results) -> tuple[dict[str, Array], dict[str, Array], npt.NDArray[np.bool_],
                                          dict[str, float]]:
    """One path's figures from compute()'s results: the yearly series, the sector's score and whether it reads
    Bubble in every model year (its score in every year, EntityResult.score_by_year), the headline figures."""
    sector = results.sector
    yearly = {name: np.asarray(results.series[name][-1], dtype=float) for name in YEARLY}
    composite = sector.score.composite
    by_year = sector.score_by_year
    scored = {"score": np.array([np.nan if by_year.get(y) is None else by_year[y] for y in results.years])}
    if sector.history is not None:
        labels = sector.history.labels
    else:           # results without the score in every year: the score year's label only
        labels = tuple(sector.score.label if y == sector.score.year else "" for y in results.years)
    in_bubble = np.array([label == BUBBLE for label in labels], dtype=bool)
    payback = sector.payback.calendar_year
    headline = {
        "payback_year": np.inf if payback is None else float(payback),
        "npv": float(sector.npv),
        "final_cumulative_cash_flow": float(results.series["cumulative_cash_flow"][-1, -1]),
        "score": np.nan if composite is None else float(composite),
    }
    return yearly, scored, in_bubble, headline


_last_validated: list[tuple[Scenario, list[Problem]]] = []


def _validated(scenario: Scenario, base: Scenario) -> list[Problem]:
    """validate(base), once for the batches of one scenario (a simulation evaluates each batch on the same one)."""
    if not _last_validated or _last_validated[0][0] is not scenario:
        _last_validated[:] = [(scenario, validate(base))]
    return _last_validated[0][1]


def evaluate(scenario: Scenario, samples: Samples) -> PathOutputs:
    """Every path of the batch at once: ``compute_paths`` on the draws, the sector's figures read off its arrays
    (the same figures ``outputs_of`` reads from one path's results).

    Raises the scenario's TemplateError if it has errors. Draws are kept within each column's range, so a path
    cannot break a rule of one cell; the reference evaluator also re-validates each path's cross-row rules."""
    base = without_ranges(scenario)
    r = compute_paths(base, draws_of(base, samples.inputs, samples.values), _validated(scenario, base),
                      entities=(SECTOR,))
    t_score = r.score_year - r.years[0]
    payback = r.payback[:, -1]
    headline = {
        "payback_year": np.where(np.isnan(payback), np.inf, r.years[0] + payback),
        "npv": r.npv[:, -1].copy(),
        "final_cumulative_cash_flow": r.series["cumulative_cash_flow"][:, -1, -1].copy(),
        "score": r.series["score"][:, -1, t_score].copy(),
    }
    return PathOutputs(r.years, r.years, {name: r.series[name][:, -1].copy() for name in YEARLY},
                       {name: r.series[name][:, -1].copy() for name in SCORED}, r.bubble[:, -1].copy(), headline)


def evaluate_one_by_one(scenario: Scenario, samples: Samples) -> PathOutputs:
    """The reference evaluator: for each path, the draws set in ``scenario`` and ``compute()`` run on it.

    Raises the path's TemplateError if a path's inputs fail validation (draws are kept within each column's
    range, so only a cross-row rule could)."""
    base = without_ranges(scenario)
    n = samples.paths
    first = compute(base)
    years, score_years = first.years, first.years
    yearly = {name: np.empty((n, len(years))) for name in YEARLY}
    scored = {name: np.empty((n, len(score_years))) for name in SCORED}
    bubble = np.zeros((n, len(score_years)), dtype=bool)
    headline = {name: np.empty(n) for name in HEADLINE}
    for p in range(n):
        results = compute(apply_draws(base, samples.inputs, samples.values[p]))
        y, s, in_bubble, h = outputs_of(results)
        for name, row in y.items():
            yearly[name][p] = row
        for name, row in s.items():
            scored[name][p] = row
        bubble[p] = in_bubble
        for name, value in h.items():
            headline[name][p] = value
    return PathOutputs(years, score_years, yearly, scored, bubble, headline)
