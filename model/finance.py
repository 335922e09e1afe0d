"""Textbook cash-flow measures on one series: payback, NPV, IRR, capital recovery.

Each function works on plain numpy arrays of yearly values, the first element being year 0 (the model's first year).
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def capital_recovery_factor(rate: float, life: float) -> float:
    """CRF = r / (1 - (1 + r)^-L): the constant yearly cash that repays 1 over L years at return r.

    Source: any corporate-finance text (annuity factor); the domain brief, 'Required revenue'. r = 0 gives 1/L.
    """
    if life <= 0:
        raise ValueError("useful life must be positive")
    if rate == 0:
        return 1.0 / life
    return rate / (1.0 - (1.0 + rate) ** -life)


def in_service_weights(n_years: int, life: float) -> FloatArray:
    """W[v, t]: the share of year t during which capex of year v is still in service.

    A vintage enters service in its own year and serves ``life`` years: clamp(L - (t - v), 0, 1) for t >= v, so a
    5.5-year life serves 5 full years and half of the sixth.
    """
    age = np.arange(n_years)[None, :] - np.arange(n_years)[:, None]
    weights = np.clip(life - age, 0.0, 1.0)
    weights[age < 0] = 0.0
    return weights


def payback_years(cash_flow: FloatArray) -> float | None:
    """Years from the start of year 0 until cumulative cash flow first turns non-negative, interpolated linearly
    inside the year in which it does; ``None`` when it never does within the series ("not within horizon").

    A series whose cumulative sum is never negative has nothing to pay back: 0.0. Source: the domain brief.
    """
    cumulative = np.cumsum(cash_flow)
    negative = cumulative < 0
    if not negative.any():
        return 0.0
    first_negative = int(np.argmax(negative))
    after = np.flatnonzero(~negative[first_negative:])
    if after.size == 0:
        return None
    t = first_negative + int(after[0])
    before = cumulative[t - 1]
    # cumulative[t - 1] < 0 <= cumulative[t], so cash_flow[t] > 0: the fraction of year t needed to close the gap.
    return float(t + (-before / cash_flow[t]))


def npv(rate: float, cash_flow: FloatArray) -> float:
    """NPV at year 0 of year-end flows, year 0 undiscounted (numpy-financial's convention)."""
    discount = (1.0 + rate) ** -np.arange(len(cash_flow), dtype=float)
    return float(np.dot(cash_flow, discount))


def irr(cash_flow: FloatArray) -> float | None:
    """The rate that sets NPV to 0; ``None`` when there is none (no sign change).

    As numpy-financial: the roots of the NPV polynomial in 1/(1+r), keeping real positive ones and, when several
    exist, the rate closest to zero; then a few Newton steps polish the root to machine precision.
    """
    values = np.asarray(cash_flow, dtype=float)
    nonzero = np.flatnonzero(values)
    if nonzero.size == 0 or (values.max() <= 0) or (values.min() >= 0):
        return None
    roots = np.roots(values[::-1])
    scale = np.abs(roots) + 1.0
    real = roots[(np.abs(roots.imag) <= 1e-9 * scale) & (roots.real > 0)].real
    if real.size == 0:
        return None
    rates = 1.0 / real - 1.0
    rate = float(rates[np.argmin(np.abs(rates))])
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
        rate -= step
        if abs(step) < 1e-15 * max(1.0, abs(rate)):
            break
    return rate
