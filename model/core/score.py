"""The bubble score: each indicator mapped to 0-100 between its healthy and bubble values, then a weighted mean.

Source: the domain brief ('Bubble score'); red gauges and the three-reds rule follow Exponential View's
boom-or-bubble gauges (Azhar & Warren, Sep 2025).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from model.core.results import BubbleScore, IndicatorScore


def indicator_score(value: float, healthy: float, bubble: float) -> float:
    """clamp(100 · (x − h) / (b − h), 0, 100). Works both ways: for 'higher is healthier', b < h.

    Infinity (a payback that never comes) scores 100 when larger values are worse, 0 otherwise.
    """
    if healthy == bubble:
        raise ValueError("healthy and bubble values must differ")
    if math.isinf(value):
        worse_when_larger = bubble > healthy
        return 100.0 if (value > 0) == worse_when_larger else 0.0
    raw = 100.0 * (value - healthy) / (bubble - healthy)
    return min(100.0, max(0.0, raw))


@dataclass(frozen=True)
class Threshold:
    name: str
    healthy: float
    bubble: float
    weight: float
    formula: str
    unit: str


@dataclass(frozen=True)
class Labels:
    red_score: float = 80.0
    reds_for_bubble: int = 3
    boom_score: float = 40.0
    bubble_score: float = 70.0

    def label(self, composite: float | None, reds: int) -> str:
        if reds >= self.reds_for_bubble:
            return "Bubble"
        if composite is None:
            return "No data"
        if composite >= self.bubble_score:
            return "Bubble"
        if composite >= self.boom_score:
            return "Boom"
        return "Healthy"


def bubble_score(entity: str, year: int, observations: list[tuple[Threshold, float | None, str]],
                 labels: Labels) -> BubbleScore:
    """Score every indicator that has data; the composite is the weighted mean over those (weights renormalised).

    ``observations``: (threshold, value or None when there is no data, note). Contributions add up to the composite.
    """
    scored: list[tuple[Threshold, float | None, float | None, str]] = []
    total_weight = 0.0
    for th, value, note in observations:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            scored.append((th, None, None, note or "no data"))
            continue
        s = indicator_score(value, th.healthy, th.bubble)
        scored.append((th, value, s, note))
        total_weight += th.weight
    indicators = []
    for th, value, score, note in scored:
        contribution = 0.0
        if score is not None and total_weight > 0:
            contribution = th.weight * score / total_weight
        indicators.append(IndicatorScore(th.name, th.formula, th.unit, value, th.healthy, th.bubble, th.weight,
                                         score, contribution, note))
    # fsum and the clamp keep a composite of all-red gauges at exactly 100, not 100.00000000000003.
    composite = min(100.0, max(0.0, math.fsum(i.contribution for i in indicators))) if total_weight > 0 else None
    reds = sum(1 for i in indicators if i.score is not None and i.score >= labels.red_score)
    return BubbleScore(entity, year, tuple(indicators), composite, reds, labels.label(composite, reds),
                       labels.red_score)
