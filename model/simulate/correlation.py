"""Correlation matrices: the nearest valid one, and rank correlation imposed on a sample (Iman–Conover)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from scipy import stats

Array = npt.NDArray[np.float64]
EIGEN_FLOOR = 1e-8      # a floor on eigenvalues, so that the repaired matrix has a Cholesky factor


def is_valid_correlation(c: Array, tol: float = 1e-10) -> bool:
    """Symmetric, unit diagonal, positive semi-definite."""
    return bool(np.allclose(c, c.T) and np.allclose(np.diag(c), 1.0)
                and np.linalg.eigvalsh(c).min() >= -tol)


def _psd_part(a: Array, floor: float) -> Array:
    w, v = np.linalg.eigh((a + a.T) / 2)
    return np.asarray((v * np.maximum(w, floor)) @ v.T, dtype=float)


def nearest_correlation(a: Array, tol: float = 1e-10, max_iterations: int = 500) -> Array:
    """The nearest correlation matrix to ``a`` in the Frobenius norm: Higham, "Computing the nearest correlation
    matrix — a problem from finance", IMA J. Numer. Anal. 22 (2002), alternating projections with Dykstra's
    correction. A valid matrix comes back unchanged; eigenvalues end at least EIGEN_FLOOR (then unit diagonal)."""
    a = np.asarray(a, dtype=float)
    if is_valid_correlation(a) and np.linalg.eigvalsh(a).min() >= EIGEN_FLOOR:
        return a.copy()
    y = a.copy()
    correction = np.zeros_like(a)
    for _ in range(max_iterations):
        r = y - correction
        x = _psd_part(r, 0.0)
        correction = x - r
        y_new = x.copy()
        np.fill_diagonal(y_new, 1.0)
        done = float(np.linalg.norm(y_new - y, "fro")) <= tol * max(1.0, float(np.linalg.norm(y, "fro")))
        y = y_new
        if done:
            break
    y = _psd_part(y, EIGEN_FLOOR)
    d = np.sqrt(np.diag(y))
    y = y / np.outer(d, d)
    np.fill_diagonal(y, 1.0)
    return np.asarray((y + y.T) / 2, dtype=float)


def spearman_to_normal_pearson(rho: Array) -> Array:
    """The Pearson correlation of normal scores that gives rank correlation ``rho``: r = 2 sin(π ρ / 6)
    (Pearson, 1907; the relation for the bivariate normal)."""
    return np.asarray(2.0 * np.sin(np.pi * np.asarray(rho) / 6.0), dtype=float)


def iman_conover(u: Array, rank_correlation: Array, rng: np.random.Generator) -> Array:
    """``u`` with each column reordered so that the columns' rank correlations approach ``rank_correlation``;
    every column keeps its values (so a Latin hypercube stays one). Iman & Conover, "A distribution-free approach
    to inducing rank correlation among input variables", Commun. Stat. B 11 (1982): van der Waerden scores,
    randomly permuted, decorrelated by their own Cholesky factor and correlated by the target's; each column of
    ``u`` takes the ranks of its scores."""
    n, k = u.shape
    if k < 2 or n < 3 or np.allclose(rank_correlation, np.eye(k)):
        return u.copy()
    target = nearest_correlation(spearman_to_normal_pearson(nearest_correlation(rank_correlation)))
    scores = stats.norm.ppf(np.arange(1, n + 1) / (n + 1))
    s = np.column_stack([rng.permutation(scores) for _ in range(k)])
    e = np.corrcoef(s, rowvar=False)
    q = np.linalg.cholesky(nearest_correlation(e))
    p = np.linalg.cholesky(target)
    t = s @ np.linalg.inv(q).T @ p.T
    # each column of u in the order of its scores' ranks (the inverse permutation of the scores' sort)
    order = np.argsort(t, axis=0, kind="stable")
    out = np.empty_like(u)
    np.put_along_axis(out, order, np.sort(u, axis=0), axis=0)
    return out


def rank_correlation(x: Array) -> Array:
    """Spearman's rank correlation between the columns of ``x`` (ties take their average rank)."""
    return np.atleast_2d(np.asarray(stats.spearmanr(x).statistic, dtype=float))
