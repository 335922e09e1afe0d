"""Scenarios side by side: the same measures for each scenario, and each one's difference to the base.

The command line's comparison table, the export's comparison sheet and the window's compare view all read this,
so they show the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from model.core import formatting as fmt
from model.core.compute import compute
from model.core.overrides import BASE, ScenarioBook
from model.core.problems import Problem
from model.core.results import EntityResult, Results


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    value: Callable[[EntityResult], float | None]    # a number for differences; None = not within horizon / no data
    text: Callable[[EntityResult], str]
    unit: str                                        # "years", "$B", "%", "score"
    higher_is_better: bool = False                   # which way is better: a higher NPV, a shorter payback


def _years(attr: str) -> Callable[[EntityResult], float | None]:
    return lambda e: getattr(e, attr).years


METRICS: tuple[Metric, ...] = (
    Metric("payback", "Payback", _years("payback"), lambda e: fmt.years(e.payback), "years"),
    Metric("discounted_payback", "Discounted payback", _years("discounted_payback"),
           lambda e: fmt.years(e.discounted_payback), "years"),
    Metric("organic_payback", "Organic payback", _years("organic_payback"),
           lambda e: fmt.years(e.organic_payback), "years"),
    Metric("payback_to_life", "Payback ÷ life", lambda e: e.payback_to_life, lambda e: fmt.payback_to_life(e.payback, e.payback_to_life),
           "x"),
    Metric("npv", "NPV", lambda e: e.npv, lambda e: fmt.money(e.npv), "$B", higher_is_better=True),
    Metric("coverage", "Coverage", lambda e: e.coverage, lambda e: fmt.percent(e.coverage), "%",
           higher_is_better=True),
    Metric("score", "Bubble score", lambda e: e.score.composite, lambda e: fmt.score(e.score.composite), "score"),
)
METRIC_BY_KEY = {m.key: m for m in METRICS}


@dataclass(frozen=True)
class Comparison:
    names: tuple[str, ...]                 # the base first when it is compared
    results: dict[str, Results]
    problems: dict[str, list[Problem]]     # dangling overrides per scenario

    @property
    def base(self) -> Results:
        return self.results[self.names[0]]

    def entities(self) -> tuple[str, ...]:
        return self.base.entities

    def value(self, name: str, entity: str, metric: str) -> float | None:
        return METRIC_BY_KEY[metric].value(self.results[name].entity(entity))

    def text(self, name: str, entity: str, metric: str) -> str:
        return METRIC_BY_KEY[metric].text(self.results[name].entity(entity))

    def difference(self, name: str, entity: str, metric: str) -> float | None:
        """Scenario minus base; ``math.inf``/``-inf`` when only one of them pays back; None when neither does."""
        now, then = self.value(name, entity, metric), self.value(self.names[0], entity, metric)
        if now is None and then is None:
            return None
        if now is None:
            return math.inf
        if then is None:
            return -math.inf
        return now - then

    def _shortfall_difference(self, name: str, entity: str, metric: str) -> str:
        """Neither pays back within the horizon: how much deeper (−) or shallower (+) the shortfall at its end is."""
        now = _shortfall(self.results[name].entity(entity), metric)
        then = _shortfall(self.results[self.names[0]].entity(entity), metric)
        if now is None or then is None or abs(now - then) < 0.05:
            return "="
        return f"{'+' if now > then else '−'}{fmt.big_money(abs(now - then))} at {self.base.years[-1]}"

    def difference_text(self, name: str, entity: str, metric: str) -> str:
        if name == self.names[0]:
            return ""
        d = self.difference(name, entity, metric)
        unit = METRIC_BY_KEY[metric].unit
        if d is None and unit == "years":
            return self._shortfall_difference(name, entity, metric)
        if d is None:
            return "="
        if math.isinf(d):
            return "never pays back" if d > 0 else "now pays back"
        if abs(d) < 1e-12:
            return "="
        sign = "+" if d > 0 else "−"
        if unit == "$B":
            return sign + fmt.money(abs(d))
        if unit == "%":
            return f"{sign}{abs(d) * 100:.0f} pts"
        if unit == "years":
            return f"{sign}{abs(d):.1f} y"
        if unit == "x":
            return f"{sign}{abs(d):.2f}×"
        return f"{sign}{abs(d):.1f}"


def _shortfall(e: EntityResult, metric: str) -> float | None:
    return getattr(e, metric).shortfall if metric in ("payback", "discounted_payback", "organic_payback") else None


def compare(book: ScenarioBook, names: Sequence[str] | None = None) -> Comparison:
    """Compute each named scenario (default: all, the base first)."""
    chosen = tuple(names) if names else book.names
    if BASE not in chosen:
        chosen = (BASE,) + chosen
    elif chosen[0] != BASE:
        chosen = (BASE,) + tuple(n for n in chosen if n != BASE)
    results, problems = {}, {}
    for name in chosen:
        scenario, dangling = book.scenario(name)
        results[name] = compute(scenario)
        problems[name] = dangling
    return Comparison(chosen, results, problems)
