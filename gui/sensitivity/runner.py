"""The sensitivity jobs, always in a worker (``gui.recompute.JobRunner``): a tornado with its spider after every edit,
a goal seek when asked. A job that arrives after a newer request is dropped; a scenario that cannot be computed
comes back as its reason, never as an exception."""

from __future__ import annotations

import time
from dataclasses import dataclass

from model.core.problems import Problem, TemplateError
from model.core.scenario import Scenario
from model.sensitivity.goal_seek import GoalSeek, goal_seek
from model.sensitivity.inputs import find_input, inputs_of
from model.sensitivity.metrics import parse_metric
from model.sensitivity.ranges import ranged_tornado
from model.sensitivity.tornado import Spider, Tornado, spider, top_inputs

# A tornado that would take longer moves only the model-wide inputs and the group multipliers (it says so).
WINDOW_BUDGET_MS = 3_000.0


@dataclass(frozen=True)
class SensitivityOutcome:
    generation: int
    scenario: Scenario
    tornado: Tornado | None
    spider: Spider | None
    error: str                  # why there is no tornado ("" when there is one)
    elapsed_ms: float
    in_worker: bool


@dataclass(frozen=True)
class GoalSeekOutcome:
    generation: int
    scenario: Scenario          # the scenario it ran on: the answer applies to this one only
    result: GoalSeek | None
    error: str
    elapsed_ms: float
    in_worker: bool


def _reason(exc: Exception) -> str:
    if isinstance(exc, TemplateError):
        errors = [p for p in exc.problems if p.severity == "error"]
        first = errors[0].message if errors else exc.summary
        return f"the scenario has errors: {first}" + (f" (and {len(errors) - 1} more)" if len(errors) > 1 else "")
    return str(exc) if isinstance(exc, KeyError | ValueError) else f"{type(exc).__name__}: {exc}"


def run_sensitivity(generation: int, scenario: Scenario, problems: list[Problem] | None, metric_key: str,
                    in_worker: bool) -> SensitivityOutcome:
    start = time.perf_counter()
    try:
        metric = parse_metric(metric_key, scenario)
        # Each input over its Uncertainty range where the analyst gave one, ±20% elsewhere (each bar says which).
        result = ranged_tornado(scenario, metric, problems=problems, budget_ms=WINDOW_BUDGET_MS)
        lines = spider(scenario, metric, top_inputs(result), problems=problems)
        return SensitivityOutcome(generation, scenario, result, lines, "", (time.perf_counter() - start) * 1000.0,
                                  in_worker)
    except Exception as exc:  # a bad scenario or a bug: said in the view, never a crash
        return SensitivityOutcome(generation, scenario, None, None, _reason(exc),
                                  (time.perf_counter() - start) * 1000.0, in_worker)


def run_goal_seek(generation: int, scenario: Scenario, problems: list[Problem] | None, metric_key: str,
                  target: float, input_key: str, in_worker: bool) -> GoalSeekOutcome:
    start = time.perf_counter()
    try:
        metric = parse_metric(metric_key, scenario)
        item = find_input(inputs_of(scenario), input_key)
        result = goal_seek(scenario, metric, target, item, problems=problems)
        return GoalSeekOutcome(generation, scenario, result, "", (time.perf_counter() - start) * 1000.0, in_worker)
    except Exception as exc:  # a bad scenario or a bug: said in the view, never a crash
        return GoalSeekOutcome(generation, scenario, None, _reason(exc), (time.perf_counter() - start) * 1000.0,
                               in_worker)
