"""The sample: a seeded Latin hypercube over the uncertain inputs, rank-correlated by Iman–Conover, drawn once
and reused for every scenario (common random numbers: a difference between scenarios is not sampling noise)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.stats import qmc

from model.core.uncertainty import UncertainInput
from model.simulate.correlation import iman_conover, nearest_correlation

Array = npt.NDArray[np.float64]
DEFAULT_SEED = 20251205
DEFAULT_PATHS = 2000


@dataclass(frozen=True)
class Sample:
    """Probabilities in (0, 1), one row per path and one column per uncertain input (in the sheet's order)."""

    seed: int
    names: tuple[str, ...]
    u: Array                        # (paths, inputs)
    correlation: Array              # the rank correlations imposed (after any repair)
    repaired: bool                  # the requested matrix was not valid and was replaced by the nearest one

    @property
    def paths(self) -> int:
        return int(self.u.shape[0])

    def ranks(self) -> npt.NDArray[np.int64]:
        """Each path's rank (1..n) in each input: a Latin hypercube has no ties."""
        return ranks_of(self.u)


def ranks_of(x: Array) -> npt.NDArray[np.int64]:
    """Each row's rank (1..n, ties in row order) within each column: one sort and its inverse permutation (the
    same as argsort of argsort, at half the cost)."""
    order = np.argsort(x, axis=0, kind="stable")
    ranks = np.empty(order.shape, dtype=np.int64)
    np.put_along_axis(ranks, order, np.arange(1, x.shape[0] + 1, dtype=np.int64)[:, None], axis=0)
    return ranks


def draw(names: tuple[str, ...], correlation: Array, paths: int, seed: int = DEFAULT_SEED) -> Sample:
    """A Latin hypercube (McKay, Beckman & Conover, 1979; scipy.stats.qmc) of ``paths`` points, seeded, then
    Iman–Conover for the rank correlations. The same seed gives the same sample, bit for bit."""
    if paths < 1:
        raise ValueError("at least one path")
    k = len(names)
    rng = np.random.default_rng(seed)
    if k == 0:
        return Sample(seed, names, np.empty((paths, 0)), np.eye(0), False)
    u = qmc.LatinHypercube(d=k, seed=rng).random(paths)
    # The hypercube's points lie in [0, 1): keep them off the ends so that every inverse CDF is finite.
    u = np.clip(u, 0.5 / (paths * 1e6), 1.0 - 0.5 / (paths * 1e6))
    requested = np.asarray(correlation, dtype=float)
    repaired_matrix = nearest_correlation(requested)
    repaired = bool(not np.allclose(repaired_matrix, requested, atol=1e-9))
    u = iman_conover(u, repaired_matrix, rng)
    return Sample(seed, names, u, repaired_matrix, repaired)


def input_values(inputs: tuple[UncertainInput, ...], sample: Sample) -> Array:
    """The draws of each input: its inverse CDF at the sample's probabilities (a draw, or a multiplier)."""
    if len(inputs) != sample.u.shape[1]:
        raise ValueError(f"{len(inputs)} inputs for a sample of {sample.u.shape[1]}")
    out = np.empty_like(sample.u)
    for j, item in enumerate(inputs):
        out[:, j] = item.distribution.quantile(sample.u[:, j])
    return out
