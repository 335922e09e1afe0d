"""Textbook cash-flow measures on one series: payback, NPV, IRR, capital recovery.

Each function works on plain numpy arrays of yearly values, the first element being year 0 (the model's first year).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
Roots = npt.NDArray[np.inexact[Any]]     # eigvals gives real roots when all are real, else complex ones


def capital_recovery_factor(rate: float, life: float, perpetual: bool = False) -> float:
    """CRF = r / (1 - (1 + r)^-L): the constant yearly cash that repays 1 over L years at return r.

    ``perpetual``: the limit L → ∞, CRF = r (the return on capital that never wears out: JPMorgan's "revenue in
    perpetuity" framing, Nov 2025).

    Source: any corporate-finance text (annuity factor); the domain brief, 'Required revenue'. r = 0 gives 1/L.
    The denominator is computed as -expm1(-L·log1p(r)) so tiny rates keep full precision.
    """
    if life <= 0:
        raise ValueError("useful life must be positive")
    if perpetual:
        return rate
    if rate == 0:
        return 1.0 / life
    return rate / -math.expm1(-life * math.log1p(rate))


def capital_recovery_factors(rate: FloatArray, life: FloatArray, perpetual: bool = False) -> FloatArray:
    """``capital_recovery_factor`` of each (rate, life) pair of two arrays (one per path), by the same formula."""
    rates, lives = np.asarray(rate, dtype=float), np.asarray(life, dtype=float)
    if np.any(lives <= 0):
        raise ValueError("useful life must be positive")
    if perpetual:
        return rates.copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(rates == 0, 1.0 / lives, rates / -np.expm1(-lives * np.log1p(rates)))


def in_service_weights(n_years: int, life: float | FloatArray, perpetual: bool = False) -> FloatArray:
    """W[v, t]: the share of year t during which capex of year v is still in service.

    A vintage enters service in its own year and serves ``life`` years: clamp(L - (t - v), 0, 1) for t >= v, so a
    5.5-year life serves 5 full years and half of the sixth. ``perpetual``: it never leaves service. With one life
    per path (an array), W[p, v, t].
    """
    age = np.arange(n_years)[None, :] - np.arange(n_years)[:, None]
    lives = np.asarray(life, dtype=float)[..., None, None]
    weights = np.ones(lives.shape[:-2] + (n_years, n_years)) if perpetual else np.clip(lives - age, 0.0, 1.0)
    weights[..., age < 0] = 0.0
    return weights


def payback_years(cash_flow: FloatArray) -> float | None:
    """Years from the start of year 0 until the cumulative cash flow turns non-negative *for good* (it stays >= 0
    to the end of the series), interpolated linearly inside the year it crosses; ``None`` when the cumulative
    ends negative ("not within horizon"). A cumulative never negative has nothing to pay back: 0.0.

    Source: the domain brief ("first time cumulative CF >= 0"). We take the last crossing rather than the first:
    the two agree whenever the cumulative crosses zero once, and when a later capex wave drags it below zero again
    a payback already "reached" is not one an analyst would quote. This makes payback monotone: less capex or more
    revenue never gives a later payback.
    """
    result = payback_years_rows(np.asarray(cash_flow, dtype=float)[None, :])[0]
    return None if math.isnan(result) else float(result)


def payback_years_rows(cash_flow: FloatArray) -> FloatArray:
    """``payback_years`` for every row of a (rows, years) array at once; NaN means not within horizon."""
    n, n_years = cash_flow.shape
    result = np.full(n, np.nan)
    if n_years == 0:
        return np.zeros(n)
    cumulative = np.cumsum(cash_flow, axis=1)
    negative = cumulative < 0
    any_negative = negative.any(axis=1)
    result[~any_negative] = 0.0
    last_negative = n_years - 1 - np.argmax(negative[:, ::-1], axis=1)
    crosses = any_negative & (last_negative < n_years - 1)
    rows = np.flatnonzero(crosses)
    k = last_negative[rows]
    # cumulative[k] < 0 <= cumulative[k + 1], so cash_flow[k + 1] > 0: the fraction of year k + 1 that closes the gap.
    result[rows] = k + 1 + (-cumulative[rows, k] / cash_flow[rows, k + 1])
    return result


def npv(rate: float, cash_flow: FloatArray) -> float:
    """NPV at year 0 of year-end flows, year 0 undiscounted (numpy-financial's convention)."""
    discount = (1.0 + rate) ** -np.arange(len(cash_flow), dtype=float)
    return float(np.dot(cash_flow, discount))


def irr(cash_flow: FloatArray) -> float | None:
    """The rate that sets NPV to 0; ``None`` when there is none.

    As numpy-financial: among the real positive roots x of the NPV polynomial Σ v_t x^t (x = 1/(1+r)), the rate
    closest to zero. With one sign change in the flows there is exactly one such root (Descartes), found by
    bisection; otherwise by ``np.roots``. Either way a few Newton steps polish it to machine precision.
    """
    return irr_rows(np.asarray(cash_flow, dtype=float)[None, :])[0]


_X_LOW, _X_HIGH = 1.0 / (1.0 + 1e4), 1.0 / (1.0 - 0.9999)    # rates from -99.99% to +1,000,000%


def irr_rows(cash_flow: FloatArray) -> list[float | None]:
    """``irr`` for every row of a (rows, years) array; single-sign-change rows are solved together."""
    values = np.asarray(cash_flow, dtype=float)
    n, n_years = values.shape
    out: list[float | None] = [None] * n
    if n_years < 2:
        return out
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        return _irr_rows(values, out)


def _irr_rows(values: FloatArray, out: list[float | None]) -> list[float | None]:
    n, n_years = values.shape
    finite = np.isfinite(values).all(axis=1)    # an overflowed series (absurd growth) has no IRR to speak of
    # Sign changes, zeros skipped: each zero takes the sign of the last non-zero value before it (leading
    # zeros stay 0), so a change is two neighbours of different non-zero signs.
    signs = np.sign(values)
    last_nonzero = np.maximum.accumulate(np.where(signs != 0, np.arange(n_years), 0), axis=1)
    filled = np.take_along_axis(signs, last_nonzero, axis=1)
    changes = np.count_nonzero((filled[:, 1:] != filled[:, :-1]) & (filled[:, :-1] != 0), axis=1)
    changes[~finite] = 0
    t = np.arange(n_years, dtype=float)
    single = np.flatnonzero(changes == 1)
    by_roots: list[int] = []      # the rows solved by np.roots' method
    if single.size:
        v = values[single]
        lo = np.full(single.size, math.log(_X_LOW))
        hi = np.full(single.size, math.log(_X_HIGH))
        f_lo = (v * np.exp(lo[:, None] * t)).sum(axis=1)
        f_hi = (v * np.exp(hi[:, None] * t)).sum(axis=1)
        sign_lo = np.sign(f_lo)      # never changes: lo only moves to a mid of that sign
        bracketed = sign_lo != np.sign(f_hi)
        for _ in range(40):      # u = log x to ~1e-11, then Newton squares the error twice
            mid = 0.5 * (lo + hi)
            f_mid = (v * np.exp(mid[:, None] * t)).sum(axis=1)
            same = np.sign(f_mid) == sign_lo
            lo = np.where(same, mid, lo)
            hi = np.where(same, hi, mid)
        u = 0.5 * (lo + hi)
        for _ in range(3):
            terms = v * np.exp(u[:, None] * t)
            f, df = terms.sum(axis=1), (terms * t).sum(axis=1)      # d/du of Σ v_t e^{u t}
            with np.errstate(divide="ignore", invalid="ignore"):
                step = np.where(df != 0, f / df, 0.0)
            u = np.where(np.isfinite(step) & (np.abs(step) < hi - lo + 1e-9), u - step, u)
        rates = np.exp(-u) - 1.0
        for row, ok, rate in zip(single.tolist(), bracketed.tolist(), rates.tolist(), strict=True):
            if ok and math.isfinite(rate):
                out[row] = rate
            else:
                by_roots.append(row)
    by_roots += np.flatnonzero(changes > 1).tolist()
    for row, roots in zip(by_roots, _roots_rows(values, by_roots), strict=True):
        out[row] = None if roots is None else _irr_by_roots(values[row], roots)
    return out


def _roots_rows(values: FloatArray, rows: list[int]) -> list[Roots | None]:
    """The roots of each row's NPV polynomial, None when they cannot be computed.

    As ``np.roots(values[::-1])``: the eigenvalues of the companion matrix. The matrices of one size go to
    ``eigvals`` in one call, which runs the same LAPACK routine on each (so the same roots) without numpy's
    per-call overhead. Roots at 0 (trailing zeros of the polynomial) are left out: they are never a rate.
    """
    by_size: dict[int, list[int]] = {}
    companions: list[FloatArray] = []
    for j, row in enumerate(rows):
        p = values[row][::-1]
        nonzero = np.flatnonzero(p)
        p = p[nonzero[0]:nonzero[-1] + 1]
        companion = np.diag(np.ones(len(p) - 2), -1)
        companion[0, :] = -p[1:] / p[0]
        companions.append(companion)
        by_size.setdefault(len(p), []).append(j)
    out: list[Roots | None] = [None] * len(rows)
    for group in by_size.values():
        try:
            roots = np.linalg.eigvals(np.stack([companions[j] for j in group]))
            for j, r in zip(group, roots, strict=True):
                out[j] = r
        except np.linalg.LinAlgError:      # one matrix fails the whole call: solve them one by one
            for j in group:
                try:
                    out[j] = np.linalg.eigvals(companions[j])
                except np.linalg.LinAlgError:      # coefficients spanning more than float64 can hold
                    out[j] = None
    return out


def _irr_by_roots(values: FloatArray, roots: Roots) -> float | None:
    """Among the real positive roots x = 1/(1+r), the rate closest to zero, polished."""
    scale = np.abs(roots) + 1.0
    real = roots[(np.abs(roots.imag) <= 1e-9 * scale) & (roots.real > 0)].real
    if real.size == 0:
        return None
    rates = 1.0 / real - 1.0
    return _polish(values, float(rates[np.argmin(np.abs(rates))]))


def _polish(values: FloatArray, rate: float) -> float:
    t = np.arange(len(values), dtype=float)
    for _ in range(8):
        base = 1.0 + rate
        if base <= 0:
            break
        f = float(np.dot(values, base ** -t))
        df = float(np.dot(-t * values, base ** (-t - 1.0)))
        if df == 0 or not math.isfinite(f):
            break
        step = f / df
        if not math.isfinite(step) or 1.0 + rate - step <= 0:
            break
        rate -= step
        if abs(step) < 1e-15 * max(1.0, abs(rate)):
            break
    return rate
