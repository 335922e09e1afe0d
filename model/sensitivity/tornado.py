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
from dataclasses import dataclass, replace

import numpy as np

from model.core.compute import compute, compute_paths
from model.core.draws import CellAddress, Draws, is_number
from model.core.problems import Problem
from model.core.results import Results
from model.core.scenario import Scenario
from model.core.validation import validate
from model.sensitivity.inputs import PRODUCTS, Input, inputs_of
from model.sensitivity.metrics import Metric

DEFAULT_SWING = 0.20
SPIDER_STEPS = (-0.30, -0.20, -0.10, 0.0, 0.10, 0.20, 0.30)
SPIDER_INPUTS = 8
BATCH_CELLS = 250_000          # company-years × paths computed at once: 2 MB a series, ~100 MB for the batch
# A changed scenario computed as a path of a batch costs 0.025 (60 companies × 10 years) to 0.044 (500 × 30) of
# one compute() (process time of Evaluator.values on 200 moves); the budget counts 0.1, to spare.
PATH_SHARE = 0.1


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
        """``value`` of each (input, x) at once: one path of ``compute_paths`` per move, in batches of at most
        BATCH_CELLS company-years (a large scenario's arrays stay small). A move that sets a blank cell (which
        has no number to keep on the other paths) is computed on its own."""
        out: list[float | None] = [self.base] * len(moves)
        batched: list[int] = []
        for k, (item, x) in enumerate(moves):
            if x == item.base:
                continue
            if all(is_number(self.scenario.table(ref.sheet).value(ref.row, ref.key)) for ref in item.cells):
                batched.append(k)
            else:
                out[k] = self.value(item, x)
        size = max(1, BATCH_CELLS // max(1, len(self.scenario.companies) * len(self.results.years)))
        for start in range(0, len(batched), size):
            chunk = batched[start:start + size]
            cells: dict[CellAddress, np.ndarray] = {}
            for p, k in enumerate(chunk):
                item, x = moves[k]
                for ref, value in zip(item.cells, item.cell_values(x), strict=True):
                    address = (ref.sheet, ref.row, ref.key)
                    if address not in cells:
                        entered = self.scenario.table(ref.sheet).value(ref.row, ref.key)
                        cells[address] = np.full(len(chunk), float(entered))  # type: ignore[arg-type]
                    cells[address][p] = value
            results = compute_paths(self.scenario, Draws(len(chunk), cells), self.problems,
                                    entities=(self.metric.entity,))
            self.computes += len(chunk)
            for k, read in zip(chunk, self.metric.values(results), strict=True):
                out[k] = read
        return out

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
    swing_used: str = ""            # "±20%", or where the analyst's range came from: "Uncertainty range 20% to 60%"
    from_range: bool = False        # the analyst's range, not the default swing
    note: str = ""                  # how the range was applied, or why the bar equals another's

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
    notes: tuple[str, ...] = ()     # how the analyst's ranges met the inputs (model.sensitivity.ranges)

    @property
    def ranged(self) -> int:
        """How many bars swing over the analyst's range rather than the default swing."""
        return sum(b.from_range for b in self.bars)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready: a value without a number (a payback beyond the horizon) is None."""
        return {
            "metric": self.metric.key, "label": self.metric.label, "unit": self.metric.unit,
            "base": finite(self.base), "base_text": self.base_text, "swing": self.swing, "note": self.note,
            "notes": list(self.notes),
            "bars": [{"input": b.input.key, "label": b.input.label, "swing_used": b.swing_used,
                      "from_range": b.from_range, "bar_note": b.note, "low_input": b.low_x, "high_input": b.high_x,
                      "low_input_text": b.low_input, "high_input_text": b.high_input,
                      "low": finite(b.low), "high": finite(b.high), "low_text": b.low_text, "high_text": b.high_text,
                      "swing": b.swing} for b in self.bars],
        }


def finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


@dataclass(frozen=True)
class Swing:
    """The analyst's range for one input: its low and high x, and how its bar says where they come from."""

    low: float
    high: float
    text: str = ""                  # "Uncertainty range 20% to 60%" (default: "range LOW to HIGH")
    note: str = ""                  # how the range met the input ("moves 2026–2032 only …")


Ranges = Mapping[str, "tuple[float, float] | Swing"]


def _ends(given: tuple[float, float] | Swing) -> tuple[float, float]:
    return (given.low, given.high) if isinstance(given, Swing) else (given[0], given[1])


def swing_range(item: Input, swing: float, ranges: Ranges | None = None) -> tuple[float, float]:
    """The low and high x of an input: the analyst's range for it when there is one, else its entered x ∓ swing
    (relative), kept within the input's allowed range."""
    if ranges and item.key in ranges:
        lo, hi = _ends(ranges[item.key])
    else:
        lo, hi = item.base * (1.0 - swing), item.base * (1.0 + swing)
    lo, hi = item.clamp(min(lo, hi)), item.clamp(max(lo, hi))
    return lo, hi


def swing_used(item: Input, swing: float, ranges: Ranges | None, lo: float, hi: float) -> tuple[str, bool, str]:
    """Which swing a bar used, as its tooltip and table say it ("±20%", "Uncertainty range 20% to 60%"), whether it
    is the analyst's, and the range's note; a range cut at the input's allowed range says where."""
    given = ranges.get(item.key) if ranges else None
    if given is None:
        text = f"±{swing:.0%}"
        if item.base == 0:
            return f"{text} of 0: the input does not move", False, ""
        wanted = sorted((item.base * (1.0 - swing), item.base * (1.0 + swing)))
        cut = [item.text(x) for x, w in ((lo, wanted[0]), (hi, wanted[1])) if x != w]
        return (f"{text}, cut at {' and '.join(cut)} (the template's bounds)" if cut else text), False, ""
    want_lo, want_hi = sorted(_ends(given))
    text = given.text if isinstance(given, Swing) and given.text else \
        f"range {item.text(want_lo)} to {item.text(want_hi)}"
    if (lo, hi) != (want_lo, want_hi):
        text += f", kept within {item.range_text()} (the template's bounds)"
    return text, True, given.note if isinstance(given, Swing) else ""


def tornado(scenario: Scenario, metric: Metric, swing: float = DEFAULT_SWING,
            ranges: Ranges | None = None, problems: list[Problem] | None = None,
            inputs: Sequence[Input] | None = None, budget_ms: float | None = None) -> Tornado:
    """The tornado of ``metric``: every input of the scenario low and high, ranked by swing.

    ``ranges``: input key → (low x, high x), or a ``Swing`` saying where it comes from, for the inputs the analyst
    gave a range (``model.sensitivity.ranges.ranged_tornado`` reads them from the Uncertainty sheet); ``problems``: the
    scenario's ``validate()`` when the caller has it. ``budget_ms``: when moving every input would take longer (two
    paths each, at PATH_SHARE of the base's compute time a path), only the model-wide inputs and the group
    multipliers move — none when even those would — and ``note`` says so. Raises TemplateError when the scenario has errors.
    """
    start = time.perf_counter()
    ev = Evaluator(scenario, metric, problems)
    base_ms = (time.perf_counter() - start) * 1000.0
    every = inputs_of(ev.scenario) if inputs is None else tuple(inputs)
    chosen = [i for i in every if i.in_tornado]
    note = ""
    def cost_ms(inputs: Sequence[Input]) -> float:
        """Two moves an input, each a path of a batch at about PATH_SHARE of one compute."""
        return 2 * len(inputs) * PATH_SHARE * base_ms

    if budget_ms is not None and cost_ms(chosen) > budget_ms:
        coarse = [i for i in every if not i.in_tornado or i.cells[0].sheet == "Assumptions"]
        whole = f"moving {len(chosen)} inputs would take about {cost_ms(chosen) / 1000:.0f} s"
        if cost_ms(coarse) > budget_ms:
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
        used, ranged, why = swing_used(item, swing, ranges, lo, hi)
        bars.append(Bar(item, lo, hi, low, high, ev.position(low), ev.position(high), ev.text(low), ev.text(high),
                        used, ranged, why))
    bars.sort(key=lambda b: -b.swing)      # stable: equal swings keep the declarations' order
    return Tornado(metric, ev.base, ev.position(ev.base), ev.text(ev.base), explain_twins(bars, metric), swing,
                   ev.computes, (time.perf_counter() - start) * 1000.0, note)


def explain_twins(bars: Sequence[Bar], metric: Metric) -> tuple[Bar, ...]:
    """Bars of two inputs an output reads only through their product (``inputs.PRODUCTS``: capex and AI share, the
    AI capex) that come out identical say why, so that the analyst is not left wondering which one is wrong.

    The NPV, cash flows, payback and coverage read a company's capex only as its AI capex, capex × AI share: the
    same relative move of either gives the same outputs. The bubble score also reads the total capex (capex
    intensity, macro weight), so there the two differ and nothing is said."""
    by_key = {b.input.key: i for i, b in enumerate(bars)}
    out = list(bars)
    for i, bar in enumerate(bars):
        stem, _, name = bar.input.key.rpartition(".")
        for first, second, product in PRODUCTS:
            if name != first or f"{stem}.{second}" not in by_key:
                continue
            j = by_key[f"{stem}.{second}"]
            other = bars[j]
            if bar.swing == 0 or not (_same(bar.low, other.low) and _same(bar.high, other.high)):
                continue
            why = (f"the {metric.label} reads both only through {product}, which the same factor on either moves "
                   f"alike (the bubble score also reads the whole capex and tells them apart)")
            for k, twin in ((i, other), (j, bar)):
                said = f"Same outputs as {twin.input.label}: {why}."
                out[k] = replace(out[k], note=f"{out[k].note} {said}".strip())
    return tuple(out)


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


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
    """The inputs of the ``n`` largest swings, leaving out those that do not move the output at all and those with
    no entered value to move from (one value over cells entered differently: an Uncertainty row's)."""
    return tuple(b.input for b in result.bars if b.swing > 0 and math.isfinite(b.input.base))[:n]
