"""Which inputs decide an output: the tornado (each input low and high) and the spider (each input along a range).

Method (docs/methodology.md, 'Sensitivity'): one-at-a-time sensitivity as @RISK's and Crystal Ball's tornado
charts draw it. Every input moves from its entered value to a low and a high value — ±20% by default, or the range
the analyst gave for it — every other input staying as entered, and the output is ``compute()`` of that scenario.
Bars are ranked by swing, |output at high − output at low|.

Each changed scenario is the scenario with one input moved inside its template bounds (``Input.apply``): it
cannot have a cross-row error its base does not have (keys, companies, years are untouched), so it is computed
with the base's validation instead of validating it again. All of a tornado's (or spider's) changed scenarios are
computed at once, as the paths of one ``compute_paths`` (each path one input moved; path by path equal to
``compute()`` of ``Input.apply``'s scenario). An input whose moved value equals the entered one (a recycled share
of 0 moved by ±20%) is the base scenario itself, and reads the base's output.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from model.core.compute import compute, compute_paths
from model.core.draws import CellAddress, Draws
from model.core.problems import Problem
from model.core.results import Results
from model.core.scenario import Scenario
from model.core.validation import validate
from model.sensitivity.inputs import Input, inputs_of
from model.sensitivity.metrics import Metric

DEFAULT_SWING = 0.20
SPIDER_STEPS = (-0.30, -0.20, -0.10, 0.0, 0.10, 0.20, 0.30)
SPIDER_INPUTS = 8


class Evaluator:
    """``compute()`` of a scenario with one input moved, read by one metric; counts its computes."""

    def __init__(self, scenario: Scenario, metric: Metric, problems: list[Problem] | None = None) -> None:
        self.metric = metric
        self.scenario = metric.prepare(scenario)
        if problems is None or self.scenario is not scenario:
            problems = validate(self.scenario)
        self.problems = problems
        self.results: Results = compute(self.scenario, problems)     # raises TemplateError on a scenario with errors
        self.base = metric.value(self.results)
        self.computes = 1

    def value(self, item: Input, x: float) -> float | None:
        if x == item.base:
            return self.base
        self.computes += 1
        return self.metric.value(compute(item.apply(self.scenario, x), self.problems))

    def values(self, moves: Sequence[tuple[Input, float]]) -> list[float | None]:
        """``value`` of each (input, x) at once: one path of ``compute_paths`` per move."""
        moving = [(item, x) for item, x in moves if x != item.base]
        out: list[float | None] = [self.base] * len(moves)
        if not moving:
            return out
        paths = len(moving)
        cells: dict[CellAddress, np.ndarray] = {}
        for p, (item, x) in enumerate(moving):
            new = [x] if not item.is_multiplier else [v * x for v in item.values]
            for ref, value in zip(item.cells, new, strict=True):
                address = (ref.sheet, ref.row, ref.key)
                if address not in cells:
                    cells[address] = np.full(paths, float(self.scenario.table(ref.sheet).value(ref.row, ref.key)))  # type: ignore[arg-type]
                cells[address][p] = value
        results = compute_paths(self.scenario, Draws(paths, cells), self.problems, entities=(self.metric.entity,))
        self.computes += paths
        moved = iter(self.metric.values(results))
        return [self.base if x == item.base else next(moved) for item, x in moves]

    def position(self, value: float | None) -> float | None:
        return self.metric.position(self.results, value)

    def text(self, value: float | None) -> str:
        return self.metric.text(self.results, value)


@dataclass(frozen=True)
class Bar:
    input: Input
    low_x: float
    high_x: float
    low: float | None               # the output with the input at low_x
    high: float | None
    low_position: float | None      # where they sit on the axis (a payback beyond the horizon: just past it)
    high_position: float | None
    low_text: str
    high_text: str

    @property
    def swing(self) -> float:
        if self.low_position is None or self.high_position is None:
            return 0.0
        return abs(self.high_position - self.low_position)

    @property
    def low_input(self) -> str:
        return self.input.text(self.low_x)

    @property
    def high_input(self) -> str:
        return self.input.text(self.high_x)


@dataclass(frozen=True)
class Tornado:
    metric: Metric
    base: float | None
    base_position: float | None
    base_text: str
    bars: tuple[Bar, ...]           # largest swing first
    swing: float                    # the default relative move (0.2)
    computes: int
    elapsed_ms: float
    note: str = ""                  # what was left out, when the scenario was too large to move every input


    def to_dict(self) -> dict[str, object]:
        """JSON-ready: a value without a number (a payback beyond the horizon) is None."""
        return {
            "metric": self.metric.key, "label": self.metric.label, "unit": self.metric.unit,
            "base": finite(self.base), "base_text": self.base_text, "swing": self.swing, "note": self.note,
            "bars": [{"input": b.input.key, "label": b.input.label, "low_input": b.low_x, "high_input": b.high_x,
                      "low_input_text": b.low_input, "high_input_text": b.high_input,
                      "low": finite(b.low), "high": finite(b.high), "low_text": b.low_text, "high_text": b.high_text,
                      "swing": b.swing} for b in self.bars],
        }


def finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def swing_range(item: Input, swing: float, ranges: Mapping[str, tuple[float, float]] | None = None
                ) -> tuple[float, float]:
    """The low and high x of an input: the analyst's range for it when there is one, else its entered x ∓ swing
    (relative), kept within the input's allowed range."""
    if ranges and item.key in ranges:
        lo, hi = ranges[item.key]
    else:
        lo, hi = item.base * (1.0 - swing), item.base * (1.0 + swing)
    lo, hi = item.clamp(min(lo, hi)), item.clamp(max(lo, hi))
    return lo, hi


def tornado(scenario: Scenario, metric: Metric, swing: float = DEFAULT_SWING,
            ranges: Mapping[str, tuple[float, float]] | None = None, problems: list[Problem] | None = None,
            inputs: Sequence[Input] | None = None, budget_ms: float | None = None) -> Tornado:
    """The tornado of ``metric``: every input of the scenario low and high, ranked by swing.

    ``ranges``: input key → (low x, high x) the analyst entered (an Uncertainty sheet); ``problems``: the
    scenario's ``validate()`` when the caller has it. ``budget_ms``: when moving every input one by one would take
    longer (two computes each, at the base's compute time), only the model-wide inputs and the group multipliers
    move — none when even those would — and ``note`` says so. Raises TemplateError when the scenario has errors.
    """
    start = time.perf_counter()
    ev = Evaluator(scenario, metric, problems)
    base_ms = (time.perf_counter() - start) * 1000.0
    every = inputs_of(ev.scenario) if inputs is None else tuple(inputs)
    chosen = [i for i in every if i.in_tornado]
    note = ""
    if budget_ms is not None and 2 * len(chosen) * base_ms > budget_ms:
        coarse = [i for i in every if not i.in_tornado or i.cells[0].sheet == "Assumptions"]
        whole = f"{len(chosen)} inputs one by one would take about {2 * len(chosen) * base_ms / 1000:.0f} s"
        if 2 * len(coarse) * base_ms > budget_ms:
            note = f"{whole}, and even the model-wide inputs too long: no input is moved"
            chosen = []
        else:
            note = f"{whole}: only the model-wide assumptions and the group multipliers are moved"
            chosen = coarse
    bars = []
    spans = [swing_range(item, swing, ranges) for item in chosen]
    outputs = ev.values([(item, x) for item, span in zip(chosen, spans, strict=True) for x in span])
    for k, (item, (lo, hi)) in enumerate(zip(chosen, spans, strict=True)):
        low, high = outputs[2 * k], outputs[2 * k + 1]
        bars.append(Bar(item, lo, hi, low, high, ev.position(low), ev.position(high), ev.text(low), ev.text(high)))
    bars.sort(key=lambda b: -b.swing)      # stable: equal swings keep the declarations' order
    return Tornado(metric, ev.base, ev.position(ev.base), ev.text(ev.base), tuple(bars), swing, ev.computes,
                   (time.perf_counter() - start) * 1000.0, note)


@dataclass(frozen=True)
class SpiderLine:
    input: Input
    changes: tuple[float, ...]          # relative moves of x: −0.3 … +0.3 (those outside its range left out)
    xs: tuple[float, ...]
    values: tuple[float | None, ...]
    positions: tuple[float | None, ...]


@dataclass(frozen=True)
class Spider:
    metric: Metric
    base: float | None
    lines: tuple[SpiderLine, ...]


def spider(scenario: Scenario, metric: Metric, inputs: Sequence[Input], steps: Sequence[float] = SPIDER_STEPS,
           problems: list[Problem] | None = None) -> Spider:
    """The output as each input moves by each relative step (x·(1 + step)); a step beyond the input's allowed range
    is left out of its line rather than drawn at the bound."""
    ev = Evaluator(scenario, metric, problems)
    points = [[(step, item.base * (1.0 + step)) for step in steps if item.clamp(item.base * (1.0 + step))
               == item.base * (1.0 + step)] for item in inputs]
    outputs = iter(ev.values([(item, x) for item, line in zip(inputs, points, strict=True) for _, x in line]))
    lines = []
    for item, line in zip(inputs, points, strict=True):
        values = [next(outputs) for _ in line]
        lines.append(SpiderLine(item, tuple(step for step, _ in line), tuple(x for _, x in line), tuple(values),
                                tuple(ev.position(v) for v in values)))
    return Spider(metric, ev.base, tuple(lines))


def top_inputs(result: Tornado, n: int = SPIDER_INPUTS) -> tuple[Input, ...]:
    """The inputs of the ``n`` largest swings, leaving out those that do not move the output at all."""
    return tuple(b.input for b in result.bars[:n] if b.swing > 0)
