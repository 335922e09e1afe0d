"""``simulate(book, ...)``: one correlated sample, every chosen scenario evaluated on it in batches, the batches'
summaries merged into percentiles, probabilities, rank correlations and standard errors.

Batches run in-process (``LocalRunner``) or on a Dask cluster (``model.simulate.cluster.DaskRunner``); both
merge the same summaries in the same order, so a seed gives the same figures wherever it runs.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from model.core import values
from model.core.compute import compute
from model.core.overrides import BASE, KEY_SEPARATOR, ScenarioBook
from model.core.problems import Problem, TemplateError
from model.core.scenario import Scenario
from model.core.uncertainty import UncertainInput, read_uncertainty
from model.simulate.evaluate import (
    HEADLINE,
    SCORED,
    YEARLY,
    Evaluator,
    PathOutputs,
    Samples,
    evaluate,
    outputs_of,
    without_ranges,
)
from model.simulate.sampling import DEFAULT_PATHS, DEFAULT_SEED, Sample, draw, input_values
from model.simulate.summary import (
    PERCENTILES,
    BatchSummary,
    contribution_to_variance,
    merge,
    percentile,
    percentiles_by_column,
    rank_sums,
    spearman_from_sums,
    standard_error_of_mean,
    standard_error_of_percentile,
    standard_error_of_probability,
    summarise,
)

Array = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
# Paths computed at once (compute_paths): large enough that numpy's per-call costs vanish, small enough that a
# batch's arrays stay a few MB. The figures do not depend on it.
DEFAULT_BATCH = 2000
Progress = Callable[[int, int], bool]      # (batches done, batches in all) -> go on?


class Cancelled(Exception):
    """The caller's progress callback asked to stop: nothing was produced."""


class Runner(Protocol):
    """Runs one scenario's batches and returns the merged summary and the summed input × output rank products."""

    where: str

    def run(self, scenario: Scenario, batches: list[Samples], ranks: list[IntArray], evaluator: Evaluator,
            progress: Callable[[], bool]) -> tuple[BatchSummary, IntArray]: ...


class LocalRunner:
    """In this process, one batch after another (no Dask imported)."""

    where = "local"

    def run(self, scenario: Scenario, batches: list[Samples], ranks: list[IntArray], evaluator: Evaluator,
            progress: Callable[[], bool]) -> tuple[BatchSummary, IntArray]:
        outputs: list[PathOutputs] = []
        for batch in batches:
            outputs.append(evaluator(scenario, batch))
            if not progress():
                raise Cancelled()
        merged = merge([summarise(o) for o in outputs])
        sums = np.asarray(np.sum([rank_sums(o, r, merged.headline) for o, r in zip(outputs, ranks, strict=True)],
                                 axis=0), dtype=np.int64)
        return merged, sums


# -- the figures ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class InputSummary:
    name: str
    where: str                  # "Revenue [Amazon] growth 2026-2032"
    distribution: str
    source: str
    p5: float
    p50: float
    p95: float


@dataclass(frozen=True)
class Headline:
    key: str
    label: str
    unit: str
    deterministic: float        # compute() of the scenario as entered
    p5: float
    p50: float
    p95: float
    se_p50: float
    mean: float                 # NaN when a path has no finite value (a payback not within the horizon)
    se_mean: float


@dataclass(frozen=True)
class Probability:
    label: str
    p: float
    se: float


@dataclass(frozen=True)
class PaybackDistribution:
    """The sector's payback year: paths paying back during each model year, those that never do, and
    P(payback by the end of year T)."""

    years: tuple[int, ...]
    counts: tuple[int, ...]
    never: int
    by_year: tuple[float, ...]


@dataclass(frozen=True)
class ScenarioSimulation:
    name: str
    paths: int
    years: tuple[int, ...]
    score_years: tuple[int, ...]
    fans: dict[str, dict[str, list[float]]]        # yearly output -> "P5".."P95" -> value by year
    score_fan: dict[str, list[float]]               # "P5".."P95" -> score by score year (every model year)
    bubble: tuple[Probability, ...]                 # P(score in Bubble), by score year (every model year)
    payback: PaybackDistribution
    headlines: tuple[Headline, ...]
    probabilities: tuple[Probability, ...]
    rank_correlation: dict[str, list[float]]        # headline key -> Spearman ρ per input
    contribution: dict[str, list[float]]            # headline key -> ρ² normalised, per input
    deterministic_fans: dict[str, list[float]]      # compute() of the scenario as entered, by year

    def headline(self, key: str) -> Headline:
        return next(h for h in self.headlines if h.key == key)


@dataclass(frozen=True)
class Simulation:
    seed: int
    paths: int
    batch_size: int
    where: str
    inputs: tuple[InputSummary, ...]
    correlation: Array                             # the rank correlations imposed (after any repair)
    repaired: bool
    scenarios: tuple[ScenarioSimulation, ...]
    warnings: tuple[str, ...] = ()
    seconds: float = 0.0
    draws: Array | None = field(default=None)      # the base's input draws (paths × inputs), when asked

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.inputs)

    def scenario(self, name: str = BASE) -> ScenarioSimulation:
        return next(s for s in self.scenarios if s.name == name)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: infinity and NaN become None ('never' / no value)."""
        def clean(x: Any) -> Any:
            if isinstance(x, dict):
                return {str(k): clean(v) for k, v in x.items()}
            if isinstance(x, list | tuple):
                return [clean(v) for v in x]
            if isinstance(x, np.ndarray):
                return clean(x.tolist())
            if isinstance(x, float | np.floating):
                return float(x) if math.isfinite(x) else None
            if isinstance(x, np.integer):
                return int(x)
            if hasattr(x, "__dataclass_fields__"):
                return clean({k: getattr(x, k) for k in x.__dataclass_fields__})
            return x
        out = clean({k: getattr(self, k) for k in ("seed", "paths", "batch_size", "where", "repaired",
                                                    "warnings", "seconds")})
        out["inputs"] = clean(list(self.inputs))
        out["correlation"] = clean(self.correlation)
        out["scenarios"] = [clean(s) for s in self.scenarios]
        return out


# -- running ----------------------------------------------------------------------------------------------------------

def _where(item: UncertainInput, scenario: Scenario) -> str:
    table = scenario.table(item.sheet)
    key = KEY_SEPARATOR.join(values.parse_text(v) for v in table.row_key(item.row))
    cols = item.columns
    cells = cols[0] if len(cols) == 1 else f"{cols[0]}-{cols[-1]}"
    if not cols[0].isdigit():
        cells = table.columns[table.column_index(cols[0])].header
    return f"{item.sheet} [{key}] {cells}"


def _spec_inputs(scenario: Scenario, names: tuple[str, ...] | None) -> tuple[tuple[UncertainInput, ...], Array,
                                                                            list[Problem]]:
    spec = read_uncertainty(scenario)
    if spec.errors:
        raise TemplateError(list(spec.problems), summary=f"{scenario.name}: the Uncertainty sheet has "
                                                         f"{len(spec.errors)} error(s)")
    if names is not None and tuple(n.lower() for n in spec.names) != tuple(n.lower() for n in names):
        raise TemplateError([Problem("error", f"the scenario {scenario.name!r} changes the Uncertainty sheet's "
                                              "inputs; a simulation compares scenarios on one sample",
                                     "Uncertainty")])
    return spec.inputs, spec.correlation, list(spec.problems)


def simulate(book: ScenarioBook | Scenario, scenarios: tuple[str, ...] = (BASE,), paths: int = DEFAULT_PATHS,
             seed: int = DEFAULT_SEED, batch_size: int = DEFAULT_BATCH, runner: Runner | None = None,
             evaluator: Evaluator = evaluate, keep_draws: bool = False,
             progress: Progress | None = None) -> Simulation:
    """Simulate ``scenarios`` of ``book`` on one sample of ``paths`` paths drawn with ``seed``.

    Raises TemplateError when the Uncertainty sheet has errors or no rows, KeyError for an unknown scenario and
    Cancelled when ``progress`` returns False."""
    start = time.perf_counter()
    book = book if isinstance(book, ScenarioBook) else ScenarioBook(book)
    runner = runner or LocalRunner()
    if batch_size < 1:
        raise ValueError("a batch holds at least one path")
    inputs, correlation, problems = _spec_inputs(book.base, None)
    if not inputs:
        nothing = "the Uncertainty sheet has no rows: nothing is uncertain"
        raise TemplateError([Problem("error", nothing, "Uncertainty",
                                     expected="a row per uncertain input (docs/template-format.md)")],
                            summary=f"{book.base.name}: {nothing}")
    names = tuple(i.name for i in inputs)
    sample = draw(names, correlation, paths, seed)
    ranks = sample.ranks()
    warnings = [str(p) for p in problems if p.severity == "warning"]
    bounds = [(s, min(s + batch_size, paths)) for s in range(0, paths, batch_size)]
    total, done = len(bounds) * len(scenarios), 0

    def step() -> bool:
        nonlocal done
        done += 1
        return progress(done, total) if progress is not None else True

    results = []
    base_values: Array | None = None
    for name in scenarios:
        scenario, dangling = book.scenario(name)
        warnings += [str(p) for p in dangling]
        own_inputs, _, _ = _spec_inputs(scenario, names)
        drawn = input_values(own_inputs, sample)
        if name == scenarios[0]:
            base_values = drawn
        batches = [Samples(own_inputs, drawn[a:b]) for a, b in bounds]
        merged, sums = runner.run(scenario, batches, [ranks[a:b] for a, b in bounds], evaluator, step)
        results.append(_figures(name, scenario, merged, sums, tuple(i.distribution.fixed for i in own_inputs)))
    summaries = tuple(InputSummary(i.name, _where(i, book.base), i.describe(), i.source,
                                   *(percentile(np.sort(base_values[:, j]), q) for q in (5, 50, 95)))
                      for j, i in enumerate(inputs)) if base_values is not None else ()
    if sample.repaired:
        warnings.append("the correlations were not a valid correlation matrix: the nearest valid one was used "
                        "(Higham, 2002)")
    return Simulation(seed, paths, batch_size, runner.where, summaries, sample.correlation, sample.repaired,
                      tuple(results), tuple(dict.fromkeys(warnings)), time.perf_counter() - start,
                      base_values if keep_draws else None)


def _figures(name: str, scenario: Scenario, merged: BatchSummary, sums: IntArray,
             fixed: tuple[bool, ...]) -> ScenarioSimulation:
    n = merged.paths
    entered = compute(without_ranges(scenario))
    det_yearly, det_scored, _, det_headline = outputs_of(entered)
    fans = {key: percentiles_by_column(merged.yearly[key]) for key in YEARLY}
    score_fan = percentiles_by_column(merged.scored["score"])
    bubble = tuple(Probability(f"P(score in Bubble) in {y}", c / n, standard_error_of_probability(c / n, n))
                   for y, c in zip(merged.score_years, merged.bubble_count.tolist(), strict=True))
    payback = merged.headline["payback_year"]
    finite = payback[np.isfinite(payback)]
    first = merged.years[0]
    during = np.maximum(np.ceil(finite) - 1, first).astype(int)
    counts = tuple(int(np.sum(during == y)) for y in merged.years)
    by_year = tuple(float(np.sum(during <= y)) / n for y in merged.years)
    headlines = []
    for key, (label, unit) in HEADLINE.items():
        v = merged.headline[key]
        mean, se_mean = standard_error_of_mean(v)
        headlines.append(Headline(key, label, unit, float(det_headline[key]), percentile(v, 5), percentile(v, 50),
                                  percentile(v, 95), standard_error_of_percentile(v, 50), mean, se_mean))
    within = len(finite) / n
    # The headline probabilities: payback, and a bubble in the Score year (every year's is in ``bubble``).
    probabilities = (Probability(f"P(sector payback by {merged.years[-1]})", within,
                                 standard_error_of_probability(within, n)),) + tuple(
        b for y, b in zip(merged.score_years, bubble, strict=True) if y == entered.score_year)
    rho = spearman_from_sums(sums, n, merged.headline, fixed)
    share = contribution_to_variance(rho)
    keys = list(HEADLINE)
    return ScenarioSimulation(
        name, n, merged.years, merged.score_years, fans, score_fan, bubble,
        PaybackDistribution(merged.years, counts, n - len(finite), by_year), tuple(headlines), probabilities,
        {k: rho[:, m].tolist() for m, k in enumerate(keys)}, {k: share[:, m].tolist() for m, k in enumerate(keys)},
        {k: det_yearly[k].tolist() for k in YEARLY} | {"score": det_scored["score"].tolist()})


__all__ = ["DEFAULT_BATCH", "DEFAULT_PATHS", "DEFAULT_SEED", "PERCENTILES", "SCORED", "Cancelled", "LocalRunner",
           "Runner", "Sample", "Simulation", "simulate"]
