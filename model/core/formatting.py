"""How numbers read to an analyst, shared by the command line, the window (table cells, tooltips, the editor's
text) and the export's text cells."""

from __future__ import annotations

import math

from model.core.results import NOT_WITHIN_HORIZON, NOTHING_TO_PAY_BACK, EntityResult, IndicatorScore, Payback
from model.core.scenario import Cell
from model.core.schema import Column, Kind

# A figure this large is written with an exponent (1.2e+17): the schema's bounds keep inputs sensible, but a ratio
# of two of them (coverage with almost no capex) may still be astronomical, and no report prints 300 digits.
_HUGE = 1e15


def _fixed(value: float, decimals: int, grouped: bool = True) -> str:
    if abs(value) >= _HUGE:
        return f"{value:.3g}"
    return f"{value:,.{decimals}f}" if grouped else f"{value:.{decimals}f}"


def money(value: float | None) -> str:
    """$B with one decimal: ``$131.8B``; negatives as ``−$4.2B``."""
    if value is None or not math.isfinite(value):
        return "–"
    sign = "−" if value < 0 else ""
    return f"{sign}${_fixed(abs(value), 1)}B"


def percent(value: float | None, decimals: int = 0) -> str:
    if value is None or not math.isfinite(value):
        return "–"
    return f"{_fixed(value * 100, decimals, grouped=False)}%"


def big_money(value: float) -> str:
    """$B below a trillion, $T above: ``−$548B``, ``−$1.2T``."""
    sign = "−" if value < 0 else ""
    a = abs(value)
    return f"{sign}${a / 1000:,.1f}T" if a >= 999.95 else f"{sign}${a:,.0f}B"


BEYOND_THE_HORIZON = "beyond the horizon"


def shortfall_text(payback: Payback) -> str:
    """The cumulative cash flow at the horizon's end, where the payback is not within it: ``−$1.2T at 2035``."""
    assert payback.shortfall is not None and payback.horizon_year is not None
    return f"{big_money(payback.shortfall)} at {payback.horizon_year}"


def extrapolated_text(payback: Payback) -> str:
    """The year the last year's cash flow, continued, would close the gap: ``≈ 2041, beyond the horizon`` ('' when
    that cash flow is not positive). Straight-line: docs/methodology.md, *Simple payback*."""
    return f"≈ {math.ceil(payback.beyond)}, {BEYOND_THE_HORIZON}" if payback.beyond is not None else ""


def beyond_horizon(payback: Payback) -> str:
    """A payback not within the horizon, as what it is, the one text every table, report and export shows:
    ``−$1.2T at 2035; ≈ 2041, beyond the horizon`` (the shortfall at the horizon's end, and the year the last
    cash flow, continued, would close it), or ``−$1.2T at 2035`` alone when that cash flow is not positive.
    ``not within horizon`` without the figures."""
    if payback.shortfall is None or payback.horizon_year is None:
        return NOT_WITHIN_HORIZON
    when = extrapolated_text(payback)
    return shortfall_text(payback) + (f"; {when}" if when else "")


def years(payback: Payback) -> str:
    """``4.3 y (2028)`` or, beyond the horizon, ``−$1.2T at 2035; ≈ 2041, beyond the horizon``."""
    if payback.years is None:
        return beyond_horizon(payback)
    if payback.nothing_to_pay_back:
        return NOTHING_TO_PAY_BACK
    assert payback.calendar_year is not None
    return f"{payback.years:.1f} y ({math.floor(payback.calendar_year)})"


def payback_years(payback: Payback) -> str:
    """A table cell's payback: ``4.3`` (years), ``−$1.2T at 2035; ≈ 2041, beyond the horizon`` (``beyond_horizon``)
    or ``nothing to pay back`` (no outlay)."""
    if payback.years is None:
        return beyond_horizon(payback)
    return NOTHING_TO_PAY_BACK if payback.nothing_to_pay_back else f"{payback.years:.1f}"


def payback_phrase(payback: Payback, last_year: int) -> str:
    """A payback in a sentence, after its subject: ``pays back in 4.3 years (during 2028)``, ``does not pay back by
    2035 (−$1.2T at 2035, ≈ 2041)`` (the figures of ``beyond_horizon``, when the payback has them; without them
    the sentence already says all that "not within horizon" would) or ``has nothing to pay back`` (its cumulative
    cash flow is never negative: no outlay to recover, which a number of years — 0.0 — would misstate)."""
    if payback.years is None:
        figures = beyond_horizon(payback)
        return f"does not pay back by {last_year}" + ("" if figures == NOT_WITHIN_HORIZON else f" ({figures})")
    if payback.nothing_to_pay_back:
        return "has nothing to pay back: its cumulative cash flow never turns negative"
    return f"pays back in {payback.years:.1f} years (during {math.floor(payback.calendar_year or 0)})"


def coverage_phrase(year: int, revenue: float, required: float, coverage: float | None) -> str:
    """The score year's revenue against the revenue its capital requires, in a sentence: ``In 2025 it earns $87.8B
    of AI revenue against $317.5B required (28% coverage)``; without a capital charge there is nothing to cover."""
    if required > 0:
        return (f"In {year} it earns {money(revenue)} of AI revenue against {money(required)} required "
                f"({percent(coverage, 0)} coverage)")
    if revenue > 0:
        return f"In {year} it earns {money(revenue)} of AI revenue with no capital charge to cover"
    return f"In {year} it has neither AI revenue nor a capital charge"


def ratio(value: float | None) -> str:
    if value is None:
        return "never"
    return f"{value:.2f}×"


def payback_to_life(payback: Payback, value: float | None) -> str:
    """Payback ÷ useful life: ``1.89×``, ``never`` (not within horizon), ``–`` (nothing to pay back)."""
    return "–" if payback.nothing_to_pay_back else ratio(value)


def score(value: float | None) -> str:
    return "–" if value is None or not math.isfinite(value) else f"{value:.0f}"


def points(value: float | None) -> str:
    """Points an indicator adds to the bubble score's composite: ``18.1``; ``–`` without data."""
    return "–" if value is None or not math.isfinite(value) else f"{value:.1f}"


def points_change(delta: float | None) -> str:
    """A change in points, written as a comparison writes the composite's: ``+1.9``, ``−0.6``, ``=``."""
    if delta is None or not math.isfinite(delta):
        return "–"
    if abs(delta) < 1e-12:
        return "="
    return f"{'+' if delta > 0 else '−'}{abs(delta):.1f}"


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
        return f"{v:.2f}×" if abs(v) < 10 else f"{_fixed(v, 1)}×"
    return f"{v:,.3g}"


def threshold(ind: IndicatorScore, value: float) -> str:
    if ind.unit == "%":
        return percent(value, 1)
    if ind.unit == "x":
        return f"{value:g}×"
    return f"{value:g}"


def amount(value: float | None) -> str:
    """An amount in a $B table cell, one decimal and no unit: ``1,234.5``."""
    if value is None or not math.isfinite(value):
        return "–"
    return _fixed(value, 1)


def number(value: float, unit: str = "") -> str:
    """A value of a mixed-unit column (Assumptions, Market, Thresholds), by its row's unit."""
    unit = unit.strip().lower()
    if unit == "%":
        return percent(value, 2 if abs(value) < 0.01 and value else 1)
    if unit in ("year", "years") and float(value).is_integer():
        return f"{value:.0f}"
    if unit == "$b":
        return amount(value)
    if unit == "x":
        return f"{_fixed(value, 1)}×"
    if float(value).is_integer():
        return _fixed(value, 0)
    if abs(value) < 1e-3:
        return f"{value:.3g}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")


def cell(column: Column, value: Cell, unit: str = "") -> str:
    """A cell as displayed: $B with one decimal, %, years without separators, yes/no."""
    if value is None or value == "":
        return ""
    kind = column.kind
    if kind is Kind.FLAG:
        return "yes" if value else "no"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if kind is Kind.MONEY:
        return amount(float(value))
    if kind is Kind.PERCENT:
        return percent(float(value), 1)
    if kind is Kind.YEAR:
        return f"{int(value)}"
    if column.unit == "years" and unit == "":
        unit = "years"
    return number(float(value), unit or column.unit)


def edit_text(column: Column, value: Cell, unit: str = "") -> str:
    """A cell as the editor and the clipboard show it: full precision, and it parses back to the same value."""
    if value is None:
        return ""
    if column.kind is Kind.FLAG:
        return "yes" if value else "no"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if column.kind is Kind.YEAR:
        return f"{int(value)}"
    if column.kind is Kind.PERCENT or (column.kind is Kind.NUMBER and unit.strip() == "%"):
        return f"{float(value) * 100:.15g}%"
    return f"{float(value):.15g}"


def trajectory(entity: EntityResult, years: bool = True) -> str:
    """The composite in every model year: ``2024 44 · 2025 46 · 2026 65● …`` (● reads Bubble); without the years
    when ``years`` is false (``44 · 46 · 65● …``, under a header that names them)."""
    labels = dict(zip(entity.history.years, entity.history.labels, strict=True)) if entity.history else {}
    return " · ".join(f"{f'{y} ' if years else ''}{score(v)}{'●' if labels.get(y) == 'Bubble' else ''}"
                      for y, v in entity.score_by_year.items())
