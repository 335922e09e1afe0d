"""The bubble score: each indicator mapped to 0-100 between its healthy and bubble values, then a weighted mean.

Source: the domain brief ('Bubble score'); red gauges and the three-reds rule follow Exponential View's
boom-or-bubble gauges (Azhar & Warren, Sep 2025).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from model.core.results import BubbleScore, IndicatorScore, ScoreHistory

FloatArray = npt.NDArray[np.float64]


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
    key: str            # the indicator's stable key (schema.IndicatorSpec.key; a market input's folded name)
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
        share = th.weight / total_weight if score is not None and total_weight > 0 else 0.0
        indicators.append(IndicatorScore(th.name, th.formula, th.unit, value, th.healthy, th.bubble, th.weight,
                                         score, contribution, note, key=th.key, weight_share=share))
    # fsum and the clamp keep a composite of all-red gauges at exactly 100, not 100.00000000000003.
    composite = min(100.0, max(0.0, math.fsum(i.contribution for i in indicators))) if total_weight > 0 else None
    reds = sum(1 for i in indicators if i.score is not None and i.score >= labels.red_score)
    return BubbleScore(entity, year, tuple(indicators), composite, reds, labels.label(composite, reds),
                       labels.red_score)


def indicator_scores(values: FloatArray, healthy: float, bubble: float) -> FloatArray:
    """``indicator_score`` of every element of an array at once; NaN (no data) stays NaN."""
    if healthy == bubble:
        raise ValueError("healthy and bubble values must differ")
    with np.errstate(invalid="ignore"):
        raw = np.clip(100.0 * (values - healthy) / (bubble - healthy), 0.0, 100.0)
    worse_when_larger = bubble > healthy
    infinite = np.isinf(values)
    raw[infinite] = np.where((values[infinite] > 0) == worse_when_larger, 100.0, 0.0)
    return raw


def composite_scores(values: FloatArray, healthy: FloatArray, bubble: FloatArray, weight: FloatArray,
                     scored: npt.NDArray[np.bool_], red_score: FloatArray) -> tuple[FloatArray, npt.NDArray[np.int64]]:
    """The composite and the red gauges of every entity in every year on every path, by the rules of
    ``bubble_score``: ``values[k, p, e, t]`` (NaN: no data), the thresholds ``healthy``, ``bubble``, ``weight``
    (indicators, paths), ``scored[k, e]``, the red-gauge score per path. Returns (paths, entities, years) each."""
    composite, reds, _, _, _ = _scores(values, healthy, bubble, weight, scored, red_score)
    return composite, reds


def _scores(values: FloatArray, healthy: FloatArray, bubble: FloatArray, weight: FloatArray,
            scored: npt.NDArray[np.bool_], red_score: FloatArray
            ) -> tuple[FloatArray, npt.NDArray[np.int64], FloatArray, npt.NDArray[np.bool_], FloatArray]:
    h, b = healthy[:, :, None, None], bubble[:, :, None, None]
    if np.any(h == b):
        raise ValueError("healthy and bubble values must differ")
    with np.errstate(invalid="ignore"):
        scores = np.clip(100.0 * (values - h) / (b - h), 0.0, 100.0)
    # Infinity (a payback that never comes) scores 100 when larger values are worse, 0 otherwise.
    infinite = np.isinf(values)
    if infinite.any():
        scores = np.where(infinite, np.where((values > 0) == (b > h), 100.0, 0.0), scores)
    available = ~np.isnan(scores) & scored[:, None, :, None]
    known = np.where(available, scores, 0.0)
    weights = weight[:, :, None, None] * available
    total = weights.sum(axis=0)
    has = total > 0
    contributions = weights * known / np.where(has, total, 1.0)
    # the clamp keeps a composite of all-red gauges at exactly 100, as bubble_score's fsum and clamp do
    composite = np.where(has, np.clip(contributions.sum(axis=0), 0.0, 100.0), np.nan)
    reds = (available & (known >= red_score[None, :, None, None])).sum(axis=0)
    return composite, reds, scores, available, contributions


SCORE_BLOCK = 1024          # entities scored at once by score_histories


def score_histories(entities: tuple[str, ...], years: tuple[int, ...], thresholds: list[Threshold],
                    scored: npt.NDArray[np.bool_], values: FloatArray, notes: npt.NDArray[np.object_],
                    labels: Labels) -> list[ScoreHistory]:
    """The bubble score of every entity in every year at once, by the rules of ``bubble_score``.

    ``values[k, e, t]``: indicator k's value for entity e in year t (NaN: no data; ``notes[k, e, t]`` says why, or
    qualifies a value). ``scored[k, e]``: whether entity e is scored on indicator k at all (a company is not
    scored on the sector-only ones).
    """
    def per_indicator(field: str) -> FloatArray:
        return np.array([[getattr(th, field)] for th in thresholds], dtype=float).reshape(len(thresholds), 1)

    limits = (per_indicator("healthy"), per_indicator("bubble"), per_indicator("weight"))
    out = []
    # In blocks of entities: the scoring's intermediate arrays stay a few MB whatever the number of companies.
    for start in range(0, len(entities), SCORE_BLOCK):
        block = slice(start, start + SCORE_BLOCK)
        composite_p, reds_p, scores_p, available_p, contributions_p = _scores(
            values[:, None, block], *limits, scored[:, block], np.array([labels.red_score]))
        composite, reds = composite_p[0], reds_p[0]
        scores, available, contributions = scores_p[:, 0], available_p[:, 0], contributions_p[:, 0]
        for j, entity in enumerate(entities[block]):
            e = start + j
            rows = np.flatnonzero(scored[:, e])
            label = tuple(labels.label(None if math.isnan(c) else float(c), int(r))
                          for c, r in zip(composite[j].tolist(), reds[j].tolist(), strict=True))
            out.append(ScoreHistory(entity, years, tuple(thresholds[k] for k in rows), values[rows, e],
                                    notes[rows, e], np.where(available[rows, j], scores[rows, j], np.nan),
                                    contributions[rows, j], composite[j], reds[j], label, labels.red_score))
    return out
