"""Textbook measures against hand-worked oracles and against numpy-financial."""

from __future__ import annotations

import math
from decimal import Decimal, getcontext

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from model.core import finance
from model.core.results import NOT_WITHIN_HORIZON, Payback

# ---------------------------------------------------------------------------------------------------------------
# Simple payback


def test_payback_interpolates_inside_the_year() -> None:
    """CF = [-100, 60, 60]. Cumulative at the end of each year: -100, -40, +20.

    The gap left at the start of year 2 is 40, and year 2 brings 60, so it closes 40/60 = 2/3 of the way into
    year 2: payback = 2 + 2/3 = 2.6667 years from the start of year 0.
    """
    assert finance.payback_years(np.array([-100.0, 60.0, 60.0])) == pytest.approx(2 + 2 / 3, abs=1e-12)


def test_payback_exactly_on_a_year_boundary() -> None:
    """CF = [-100, 50, 50]. Cumulative: -100, -50, 0. The gap of 50 at the start of year 2 is closed by year 2's
    50 exactly at its end: 2 + 50/50 = 3.0 years. Likewise [-100, 100] -> cumulative -100, 0 -> 1 + 1 = 2.0."""
    assert finance.payback_years(np.array([-100.0, 50.0, 50.0])) == 3.0
    assert finance.payback_years(np.array([-100.0, 100.0])) == 2.0


def test_payback_after_a_positive_start_counts_from_year_zero() -> None:
    """CF = [0, -100, 150]. Cumulative: 0, -100, 50. First negative in year 1; year 2 closes 100 of its 150:
    2 + 100/150 = 2.6667 years (measured from the start of year 0, not from the first negative year)."""
    assert finance.payback_years(np.array([0.0, -100.0, 150.0])) == pytest.approx(2 + 2 / 3, abs=1e-12)


def test_payback_not_within_horizon_is_none_and_says_so() -> None:
    """CF = [-100, 10, 10]: cumulative -100, -90, -80 never reaches 0 -> None, shown as 'not within horizon'."""
    years = finance.payback_years(np.array([-100.0, 10.0, 10.0]))
    assert years is None
    payback = Payback(years, 2024)
    assert payback.text() == NOT_WITHIN_HORIZON == "not within horizon"
    assert not payback.within_horizon
    assert payback.calendar_year is None


def test_payback_text_and_calendar_year_when_within_horizon() -> None:
    """2 + 2/3 years from the start of 2024 is calendar 2026.667, shown with one decimal: '2.7 years'."""
    payback = Payback(2 + 2 / 3, 2024)
    assert payback.within_horizon
    assert payback.text() == "2.7 years"
    assert payback.calendar_year == pytest.approx(2026 + 2 / 3)


def test_payback_of_a_series_never_negative_is_zero() -> None:
    """Cumulative [0, 5, 15] and [0, 0] are never below 0: nothing to pay back -> 0.0 (not None)."""
    assert finance.payback_years(np.array([0.0, 5.0, 10.0])) == 0.0
    assert finance.payback_years(np.array([0.0, 0.0])) == 0.0


def test_discounted_payback() -> None:
    """CF = [-100, 60, 60] at r = 10%, discounted to year 0: [-100, 60/1.1, 60/1.21] = [-100, 54.5454, 49.5868].
    Cumulative: -100, -45.4545, +4.1322. The gap at the start of year 2 is 50/1.1 and year 2 brings 60/1.21:
    fraction = (50/1.1)/(60/1.21) = 50·1.1/60 = 11/12, so discounted payback = 2 + 11/12 = 2.91667 years
    (later than the simple 2.6667)."""
    cf = np.array([-100.0, 60.0, 60.0])
    discounted = cf / 1.1 ** np.arange(3)
    assert finance.payback_years(discounted) == pytest.approx(2 + 11 / 12, abs=1e-12)


def test_payback_ignores_a_break_even_that_is_lost_again() -> None:
    """CF = [-10, 20, -110, 300] (a small first vintage, then a big second one).

    Cumulative: -10, +10, -100, +200. The money is not recovered until the big vintage has paid back:
    the gap of 100 at the start of year 3 closes 100/300 into year 3 -> 3.3333 years. A first-crossing rule
    would answer 1 + 10/20 = 1.5 years, although the cumulative is -100 at the end of year 2.

    Cutting year-0 capex by 10 (CF = [0, 20, -110, 300], cumulative 0, 20, -90, 210) would then make that
    payback LATER: 3 + 90/300 = 3.3 instead of 1.5. The payback that is monotone (less capex, never later) is
    the time after which cumulative cash flow stays >= 0 to the horizon, the model's: 3.3333 and 3.3 here.
    """
    assert finance.payback_years(np.array([-10.0, 20.0, -110.0, 300.0])) == pytest.approx(3 + 1 / 3)
    assert finance.payback_years(np.array([0.0, 20.0, -110.0, 300.0])) == pytest.approx(3.3)


# ---------------------------------------------------------------------------------------------------------------
# Capital recovery


def test_capital_recovery_factor_oracles() -> None:
    """CRF = r / (1 - (1+r)^-L).
    r = 10%, L = 5: 1.1^5 = 1.61051, 1.1^-5 = 0.6209213, 1 - 0.6209213 = 0.3790787, 0.1 / 0.3790787 = 0.2637975.
    r = 0: the limit 1/L (0.2 for L = 5; 1/5.5 = 0.181818 for L = 5.5)."""
    assert finance.capital_recovery_factor(0.10, 5) == pytest.approx(0.26379748079474, rel=1e-12)
    assert finance.capital_recovery_factor(0.0, 5) == 0.2
    assert finance.capital_recovery_factor(0.0, 5.5) == pytest.approx(1 / 5.5, rel=1e-15)
    # The annuity repays exactly 1 at r: the present value of L payments of CRF is 1.
    crf = finance.capital_recovery_factor(0.07, 6)
    assert sum(crf / 1.07 ** k for k in range(1, 7)) == pytest.approx(1.0, rel=1e-12)
    # Near r = 0 it tends to 1/L: at r = 1e-4, 1e-4 / (1 - 1.0001^-5) = 0.2000600039998 (50-digit Decimal).
    getcontext().prec = 50
    exact = Decimal("1e-4") / (1 - (1 + Decimal("1e-4")) ** -5)
    assert finance.capital_recovery_factor(1e-4, 5) == pytest.approx(float(exact), rel=1e-12)


@pytest.mark.parametrize("life", [0.0, -1.0])
def test_capital_recovery_factor_refuses_a_non_positive_life(life: float) -> None:
    with pytest.raises(ValueError):
        finance.capital_recovery_factor(0.1, life)


def test_in_service_weights_fractional_life() -> None:
    """Life 5.5: a vintage serves its own year and the next 4 in full, half of the 6th, none after.
    Life 2: two full years. Nothing serves before its own year."""
    w = finance.in_service_weights(8, 5.5)
    assert w[0].tolist() == [1, 1, 1, 1, 1, 0.5, 0, 0]
    assert w[2].tolist() == [0, 0, 1, 1, 1, 1, 1, 0.5]
    assert finance.in_service_weights(4, 2.0)[1].tolist() == [0, 1, 1, 0]
    assert np.all(np.tril(w, -1) == 0)


# ---------------------------------------------------------------------------------------------------------------
# NPV and IRR against numpy-financial

FIXED_CASES = [
    [-100.0, 39.0, 59.0, 55.0, 20.0],       # numpy-financial's own example: IRR 0.28095
    [-100.0, 0.0, 0.0, 74.0],               # negative IRR -0.0955
    [-100.0, 100.0, 0.0, 7.0],              # 0.06206
    [-5.0, 10.5, 1.0, -8.0, 1.0],           # two sign changes; npf picks the root closest to 0: 0.0886
    [-80.0, 10.0, 20.0, 20.0, 20.0, 20.0, 20.0],
    [-1000.0, 50.0, 80.0, 120.0, 300.0, 400.0, 450.0, 500.0],
    [-250.0] + [30.0] * 29,
]


@pytest.mark.parametrize("cash_flow", FIXED_CASES)
@pytest.mark.parametrize("rate", [0.0, 0.05, 0.10, 0.25])
def test_npv_matches_numpy_financial(cash_flow: list[float], rate: float) -> None:
    values = np.array(cash_flow)
    assert finance.npv(rate, values) == pytest.approx(npf.npv(rate, values), rel=1e-12, abs=1e-9)


def test_npv_hand_oracle() -> None:
    """NPV at 10% of [-100, 60, 60], year 0 undiscounted: -100 + 60/1.1 + 60/1.21 = -100 + 54.5455 + 49.5868
    = 4.1322."""
    assert finance.npv(0.10, np.array([-100.0, 60.0, 60.0])) == pytest.approx(-100 + 60 / 1.1 + 60 / 1.21, abs=1e-12)


@pytest.mark.parametrize("cash_flow", FIXED_CASES)
def test_irr_matches_numpy_financial(cash_flow: list[float]) -> None:
    values = np.array(cash_flow)
    expected = npf.irr(values)
    got = finance.irr(values)
    assert got is not None
    assert got == pytest.approx(expected, rel=1e-9, abs=1e-9)
    # And it is a root: NPV at the IRR is ~0 relative to the flows' size.
    assert abs(finance.npv(got, values)) <= 1e-9 * np.abs(values).sum()


def test_irr_hand_oracle_and_no_sign_change() -> None:
    """[-100, 110]: -100 + 110/(1+r) = 0 -> r = 10%. [-100, 0, 121]: (1+r)^2 = 1.21 -> r = 10%.
    All positive or all negative flows have no IRR -> None."""
    assert finance.irr(np.array([-100.0, 110.0])) == pytest.approx(0.10, abs=1e-14)
    assert finance.irr(np.array([-100.0, 0.0, 121.0])) == pytest.approx(0.10, abs=1e-14)
    assert finance.irr(np.array([1.0, 2.0])) is None
    assert finance.irr(np.array([-1.0, -2.0])) is None
    assert finance.irr(np.array([0.0, 0.0])) is None


@st.composite
def investment_series(draw: st.DrawFn) -> np.ndarray:
    """A negative start then non-negative flows (one sign change: exactly one IRR), 2-30 years."""
    n = draw(st.integers(min_value=2, max_value=30))
    outlay = draw(st.floats(min_value=1.0, max_value=1e4, allow_nan=False))
    # Flows are $B: zero, or at least a cent of a billion. (Flows of 1e-15 next to 1 make npf's unpolished
    # polynomial roots wrong in the 6th digit; the model's Newton polish is then the more accurate of the two.)
    flow = st.one_of(st.just(0.0), st.floats(min_value=0.01, max_value=2e3, allow_nan=False))
    returns = draw(st.lists(flow, min_size=n - 1, max_size=n - 1))
    assume(max(returns) > 0.0)
    return np.array([-outlay, *returns])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(investment_series(), st.floats(min_value=0.0, max_value=0.5))
def test_npv_and_irr_match_numpy_financial_on_generated_series(values: np.ndarray, rate: float) -> None:
    expected_npv = npf.npv(rate, values)
    assert finance.npv(rate, values) == pytest.approx(expected_npv, rel=1e-9, abs=1e-9 * np.abs(values).sum())
    expected_irr = npf.irr(values)
    assume(not math.isnan(expected_irr))
    got = finance.irr(values)
    assert got is not None
    assert got == pytest.approx(expected_irr, rel=1e-9, abs=1e-9)
