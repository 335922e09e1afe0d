"""Goal seek: "set OUTPUT to TARGET by changing INPUT", as Excel's Goal Seek, with a bracketing root finder.

Method (docs/methodology.md, 'Sensitivity'): the output is read at ``GRID`` evenly spaced values of the input over
its allowed range and at its entered value ±20% and ±50% (all at once: the paths of one compute_paths). Where neighbours straddle the target,
``scipy.optimize.brentq`` finds the input value between them that gives the target (Brent 1973: bisection, secant
and inverse quadratic steps, always inside the bracket). The output is called monotone in the input when the grid
never turns back; when it does, there may be several answers and the one nearest the entered value is given, said
so. When no neighbours straddle the target, the extremum next to the grid value closest to it is refined (bounded
Brent minimisation, ``scipy.optimize.minimize_scalar``) in case the grid stepped over a dip; if that still does not
reach the target, no value found does, and the answer is the best reachable value, in the analyst's words:
"even at 100.0%, Amazon's coverage in 2027 peaks at 62.0%".

A payback beyond the horizon sits just past the horizon's end (``Metric.position``), so "pays back by 2035" is a
target the payback year can be brought to from either side.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import brentq, minimize_scalar

from model.core.overrides import BASE, Alternative, ScenarioBook
from model.core.problems import Problem
from model.core.scenario import Scenario
from model.core.scenario_edit import as_overrides, unused_name
from model.sensitivity.inputs import Input
from model.sensitivity.metrics import Metric, format_value
from model.sensitivity.tornado import Evaluator, finite

GRID = 9
NEAR = (-0.5, -0.2, 0.0, 0.2, 0.5)     # relative steps around the entered value added to the grid
X_TOLERANCE = 1e-12


class TargetOutOfReach(ValueError):
    """A target the output can never take (a payback year beyond the horizon)."""


@dataclass(frozen=True)
class GoalSeek:
    metric: Metric
    input: Input
    target: float
    reached: bool
    x: float                    # the input's value (or multiplier) that gives the target; when not reached, the best
    value: float | None         # the output at x
    value_text: str
    monotone: bool
    message: str                # the answer, in the analyst's words
    computes: int
    elapsed_ms: float

    @property
    def note(self) -> str:
        """How the answer was found: the note of the scenario it becomes."""
        return (f"Goal seek: {self.metric.label} set to {self.target_text} by changing {self.input.label} to "
                f"{self.input.text(self.x)} (from {self.input.text(self.input.base)}); Brent's method on the "
                f"model's own compute, output {self.value_text}.")

    @property
    def target_text(self) -> str:
        return format_value(self.metric.unit, self.target) if self.metric.unit != "year" else f"{self.target:g}"

    def to_dict(self) -> dict[str, object]:
        return {"metric": self.metric.key, "input": self.input.key, "target": self.target, "reached": self.reached,
                "input_value": self.x, "input_text": self.input.text(self.x), "value": finite(self.value),
                "value_text": self.value_text, "monotone": self.monotone, "message": self.message,
                "computes": self.computes}


def goal_seek(scenario: Scenario, metric: Metric, target: float, item: Input,
              problems: list[Problem] | None = None) -> GoalSeek:
    """The value of ``item`` that sets ``metric`` to ``target``, or the best reachable one and why not.

    Raises TemplateError when the scenario has errors.
    """
    start = time.perf_counter()
    ev = Evaluator(scenario, metric, problems)
    if metric.unit == "year" and not ev.results.years[0] <= target <= ev.results.years[-1] + 1:
        raise TargetOutOfReach(f"a payback year can be sought from {ev.results.years[0]} to "
                               f"{ev.results.years[-1] + 1} (the end of the horizon): the model has no payback "
                               f"beyond it; seek the cash position at the horizon instead")
    lo, hi = item.lowest, item.highest
    # An even grid over the range, and the entered value with a few near it (where answers usually are).
    near = {item.clamp(item.base * (1.0 + step)) for step in NEAR}
    grid = sorted(set(np.linspace(lo, hi, GRID).tolist()) | near)

    def position(x: float) -> float:
        p = ev.position(ev.value(item, x))
        return math.nan if p is None else p

    on_grid = [ev.position(v) for v in ev.values([(item, x) for x in grid])]     # the grid at once (one batch)
    points = [(x, p) for x, p in zip(grid, on_grid, strict=True) if p is not None and math.isfinite(p)]
    scale = max([abs(p) for _, p in points] + [1.0])
    monotone = _monotone(points, scale)

    exact = [x for x, p in points if p == target]
    brackets = [(a[0], b[0]) for a, b in zip(points, points[1:], strict=False)
                if (a[1] - target) * (b[1] - target) < 0]
    closest = min(range(len(points)), key=lambda i: abs(points[i][1] - target)) if points else 0
    # A monotone grid closest at an end of the range has its extremum there; otherwise look between the grid
    # values for a dip (or peak) it stepped over.
    if not exact and not brackets and len(points) > 1 and (0 < closest < len(points) - 1 or not monotone):
        refined = _refine(points, target, position)
        if refined is not None:
            points = sorted(points + [refined])
            brackets = [(a[0], b[0]) for a, b in zip(points, points[1:], strict=False)
                        if (a[1] - target) * (b[1] - target) < 0]
            monotone = _monotone(points, scale)
    x: float | None = None
    if exact:
        x = min(exact, key=lambda v: abs(v - item.base))
    elif brackets:
        a, b = min(brackets, key=lambda ab: _distance(ab, item.base))
        x = float(brentq(lambda v: position(v) - target, a, b, xtol=X_TOLERANCE, rtol=4 * np.finfo(float).eps,
                         maxiter=200))
    if x is not None:
        value = ev.value(item, x)
        text = ev.text(value)
        several = "" if monotone else (" The output is not monotone in this input over its range: other values may "
                                       "reach the target too; this is the one nearest the entered value.")
        entered = "" if item.is_multiplier else f" (entered: {item.text(item.base)})"
        if x == item.base:
            message = _sentence(f"{metric.label} is {_target_text(metric, target)} already, with {item.label} as "
                                f"entered ({item.text(x)}).")
        else:
            message = _sentence(f"{metric.label} reaches {_target_text(metric, target)} with {item.label} at "
                                f"{item.text(x)}{entered}.{several}")
        return GoalSeek(metric, item, target, True, x, value, text, monotone, message, ev.computes,
                        (time.perf_counter() - start) * 1000.0)
    if not points:
        raise ValueError(f"{metric.label} has no value anywhere in the range of {item.label}")
    best_x, best = min(points, key=lambda xp: abs(xp[1] - target))
    value = ev.value(item, best_x)
    text = ev.text(value)
    within = f"by changing {item.label} within {item.range_text()}"
    if max(p for _, p in points) - min(p for _, p in points) <= 1e-12 * scale:
        message = _sentence(f"{metric.label} cannot reach {_target_text(metric, target)} {within}: it does not "
                            f"depend on {item.label} (it stays at {text}).")
    else:
        verb = "peaks" if best < target else "bottoms out"
        message = _sentence(f"{metric.label} cannot reach {_target_text(metric, target)} {within}: even at "
                            f"{item.text(best_x)}, it {verb} at {text}.")
    return GoalSeek(metric, item, target, False, best_x, value, text, monotone, message, ev.computes,
                    (time.perf_counter() - start) * 1000.0)


def _monotone(points: list[tuple[float, float]], scale: float) -> bool:
    """The sampled output never turns back (up to rounding)."""
    diffs = [b[1] - a[1] for a, b in zip(points, points[1:], strict=False)]
    return all(d >= -1e-12 * scale for d in diffs) or all(d <= 1e-12 * scale for d in diffs)


def _refine(points: list[tuple[float, float]], target: float, position: Callable[[float], float]
            ) -> tuple[float, float] | None:
    """The extremum between the grid's closest value to the target and its neighbours (bounded Brent
    minimisation): a dip or a peak the grid stepped over. None when it finds nothing closer."""
    k = min(range(len(points)), key=lambda i: abs(points[i][1] - target))
    a, b = points[max(k - 1, 0)][0], points[min(k + 1, len(points) - 1)][0]
    sign = 1.0 if points[k][1] > target else -1.0          # above the target: look for a minimum, else a maximum
    found = minimize_scalar(lambda v: sign * position(v), bounds=(a, b), method="bounded",
                            options={"xatol": 1e-7 * max(1.0, abs(b - a)), "maxiter": 25})
    x = float(found.x)
    p = position(x)
    return (x, p) if math.isfinite(p) and abs(p - target) < abs(points[k][1] - target) else None


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def _distance(bracket: tuple[float, float], x: float) -> float:
    a, b = bracket
    return 0.0 if a <= x <= b else min(abs(a - x), abs(b - x))


def _target_text(metric: Metric, target: float) -> str:
    return f"{target:g}" if metric.unit == "year" else format_value(metric.unit, target)


def as_scenario(book: ScenarioBook, scenario_name: str, result: GoalSeek, name: str = "") -> Alternative:
    """The answer as a new scenario of ``book``: the scenario goal seek ran on (``scenario_name``) with the input at
    the answer, every changed cell an override noting how it was found."""
    shown, _ = book.scenario(scenario_name)
    # Applied to the scenario as shown: a score sought in another year leaves the scenario's own score year alone.
    candidate = result.input.apply(shown, result.x)
    start = Alternative(name or unused_name(book, f"Goal seek: {result.metric.label} {result.target_text}"), result.note,
                        () if scenario_name == BASE else book.alternative(scenario_name).overrides)
    alt = as_overrides(book.base, start, shown, candidate)
    before = {(o.sheet, o.key, o.column): o.value for o in start.overrides}
    overrides = tuple(o if before.get((o.sheet, o.key, o.column), _UNSET) == o.value else replace(o, note=result.note)
                      for o in alt.overrides)
    return replace(alt, overrides=overrides)


_UNSET = object()
