"""How numbers read to an analyst, shared by the command line, the window and the export's text cells."""

from __future__ import annotations

import math

from model.results import NOT_WITHIN_HORIZON, NOTHING_TO_PAY_BACK, IndicatorScore, Payback


def money(value: float | None) -> str:
    """$B with one decimal: ``$131.8B``; negatives as ``−$4.2B``."""
    if value is None or not math.isfinite(value):
        return "–"
    sign = "−" if value < 0 else ""
    return f"{sign}${abs(value):,.1f}B"


def percent(value: float | None, decimals: int = 0) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return f"{value * 100:.{decimals}f}%"


def years(payback: Payback) -> str:
    """``4.3 y (2028)`` or ``not within horizon``."""
    if payback.years is None:
        return NOT_WITHIN_HORIZON
    if payback.nothing_to_pay_back:
        return NOTHING_TO_PAY_BACK
    assert payback.calendar_year is not None
    return f"{payback.years:.1f} y ({math.floor(payback.calendar_year)})"


def ratio(value: float | None) -> str:
    if value is None:
        return "never"
    return f"{value:.2f}×"


def score(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def indicator_value(ind: IndicatorScore) -> str:
    """An indicator's value in its unit: ``68%``, ``31.0×``, ``1.24×``."""
    v = ind.value
    if v is None:
        return "no data"
    if math.isinf(v):
        return "never" if ind.name.lower() == "payback vs life" else "∞"
    if ind.unit == "%":
        return percent(v, 1)
    if ind.unit == "x":
        return f"{v:.2f}×" if abs(v) < 10 else f"{v:.1f}×"
    return f"{v:,.3g}"


def threshold(ind: IndicatorScore, value: float) -> str:
    if ind.unit == "%":
        return percent(value, 1)
    if ind.unit == "x":
        return f"{value:g}×"
    return f"{value:g}"
