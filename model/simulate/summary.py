"""What a batch of paths returns, how batches merge, and the simulation's figures from the merged summaries.

Batches return summaries, never their paths: each output's values *sorted* (the exact order statistics, so
percentiles after a merge equal those of one big run however the paths were split), counts of paths in Bubble,
and — in a second round, once the merged order statistics give every output its global rank — sums of input rank
× output rank, in integers (exact in any order). Spearman's ρ follows from those sums (Spearman, 1904; average
ranks for ties), and contribution to variance is ρ² normalised over the inputs (the @RISK / Crystal Ball
"contribution to variance" tornado).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from model.simulate.evaluate import HEADLINE, YEARLY, PathOutputs

Array = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
PERCENTILES = (5, 25, 50, 75, 95)


@dataclass(frozen=True)
class BatchSummary:
    """One batch's outputs as sorted columns (order statistics) and counts; merge() joins batches exactly."""

    paths: int
    years: tuple[int, ...]
    score_years: tuple[int, ...]
    yearly: dict[str, Array]            # name -> (paths, years), each column sorted
    scored: dict[str, Array]            # name -> (paths, score years), each column sorted
    headline: dict[str, Array]          # name -> (paths,), sorted
    bubble_count: IntArray              # (score years,) paths labelled Bubble


def summarise(outputs: PathOutputs) -> BatchSummary:
    return BatchSummary(
        outputs.paths, outputs.years, outputs.score_years,
        {k: np.sort(v, axis=0) for k, v in outputs.yearly.items()},
        {k: np.sort(v, axis=0) for k, v in outputs.scored.items()},
        {k: np.sort(v) for k, v in outputs.headline.items()},
        np.asarray(outputs.bubble.sum(axis=0), dtype=np.int64),
    )


def merge(batches: list[BatchSummary]) -> BatchSummary:
    """The summary of all the batches' paths together: concatenated and sorted again, counts added."""
    if not batches:
        raise ValueError("no batch to merge")
    first = batches[0]
    for b in batches[1:]:
        if b.years != first.years or b.score_years != first.score_years:
            raise ValueError("batches of different scenarios cannot merge")

    def join(get: str) -> dict[str, Array]:
        names = getattr(first, get)
        return {k: np.sort(np.concatenate([getattr(b, get)[k] for b in batches], axis=0), axis=0) for k in names}

    return BatchSummary(sum(b.paths for b in batches), first.years, first.score_years, join("yearly"),
                        join("scored"), join("headline"),
                        np.sum([b.bubble_count for b in batches], axis=0, dtype=np.int64))


def twice_average_ranks(values: Array, all_sorted: Array) -> IntArray:
    """2 × the average rank (1-based) of each value among ``all_sorted``: an integer, so sums stay exact."""
    left = np.searchsorted(all_sorted, values, side="left")
    right = np.searchsorted(all_sorted, values, side="right")
    return np.asarray(left + right + 1, dtype=np.int64)


def rank_sums(outputs: PathOutputs, input_ranks: IntArray, merged: dict[str, Array]) -> IntArray:
    """Σ over the batch's paths of input rank × 2 × output rank: (inputs, headline outputs), exact integers."""
    out = np.zeros((input_ranks.shape[1], len(HEADLINE)), dtype=np.int64)
    for m, name in enumerate(HEADLINE):
        r_y = twice_average_ranks(outputs.headline[name], merged[name])
        out[:, m] = input_ranks.T @ r_y
    return out


# -- the figures ------------------------------------------------------------------------------------------------------

def percentile(sorted_values: Array, q: float) -> float:
    """The empirical q-th percentile (Hyndman & Fan type 1, the inverted CDF: always a value some path had, so a
    'never' stays never); NaN (no value) paths are left out."""
    valid = sorted_values[~np.isnan(sorted_values)]
    if not len(valid):
        return math.nan
    k = max(int(math.ceil(q / 100.0 * len(valid))) - 1, 0)
    return float(valid[k])


def percentiles_by_column(sorted_columns: Array) -> dict[str, list[float]]:
    return {f"P{q}": [percentile(sorted_columns[:, j], q) for j in range(sorted_columns.shape[1])]
            for q in PERCENTILES}


def standard_error_of_percentile(sorted_values: Array, q: float) -> float:
    """Distribution-free: half the distance between the order statistics one binomial standard deviation either
    side of the percentile (the order-statistic confidence interval, e.g. Conover, *Practical Nonparametric
    Statistics*, 1999). Infinite when either side is 'never'."""
    valid = sorted_values[~np.isnan(sorted_values)]
    n = len(valid)
    if n < 2:
        return math.nan
    p = q / 100.0
    half = math.sqrt(p * (1 - p) / n)
    lo = valid[max(int(math.floor(n * (p - half))) - 1, 0)]
    hi = valid[min(int(math.ceil(n * (p + half))) - 1, n - 1)]
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return math.inf
    return float(hi - lo) / 2.0


def standard_error_of_mean(sorted_values: Array) -> tuple[float, float]:
    """(mean, sd/√n); NaN when any path has no finite value (a 'never' payback has no mean)."""
    if not len(sorted_values) or not np.all(np.isfinite(sorted_values)):
        return math.nan, math.nan
    n = len(sorted_values)
    mean = float(np.mean(sorted_values))
    sd = float(np.std(sorted_values, ddof=1)) if n > 1 else 0.0
    return mean, sd / math.sqrt(n)


def standard_error_of_probability(p: float, n: int) -> float:
    """√(p(1 − p)/n): the binomial standard error (a Latin hypercube's is at most this)."""
    return math.sqrt(p * (1 - p) / n) if n else math.nan


def spearman_from_sums(sums: IntArray, n: int, merged_headline: dict[str, Array],
                       fixed: tuple[bool, ...]) -> Array:
    """Spearman's ρ (inputs × headline outputs) from Σ r_x · 2 r_y: the input ranks are 1..n (no ties), the
    output's average ranks come from the merged order statistics. A fixed input, or an output with one value
    only, correlates with nothing (0)."""
    mean = (n + 1) / 2.0
    sxx = n * (n + 1) * (2 * n + 1) / 6.0 - n * mean * mean
    out = np.zeros(sums.shape)
    for m, name in enumerate(HEADLINE):
        y = merged_headline[name]
        r_y = twice_average_ranks(y, y).astype(float) / 2.0
        syy = float(np.sum(r_y * r_y)) - n * mean * mean
        if syy <= 0 or sxx <= 0:
            continue
        for j in range(sums.shape[0]):
            if fixed[j]:
                continue
            sxy = float(sums[j, m]) / 2.0 - n * mean * mean
            out[j, m] = sxy / math.sqrt(sxx * syy)
    return out


def contribution_to_variance(rho: Array) -> Array:
    """ρ² of each input normalised to sum to 1 per output (0 where no input correlates)."""
    squared = rho * rho
    total = squared.sum(axis=0, keepdims=True)
    return np.divide(squared, total, out=np.zeros_like(squared), where=total > 0)


def yearly_labels() -> dict[str, tuple[str, str]]:
    return dict(YEARLY)
