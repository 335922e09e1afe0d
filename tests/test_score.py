"""The bubble score: indicator scores, the weighted composite, red gauges and labels — hand-worked oracles."""

from __future__ import annotations

import math

import pytest

from model.core.compute import compute
from model.core.results import SECTOR
from model.core.score import Labels, Threshold, bubble_score, indicator_score
from tests.scenario_builders import flat_company, make_scenario, thresholds_table

CRF_10_5 = 0.1 / (1 - 1.1 ** -5)


def th(name: str, healthy: float, bubble: float, weight: float) -> Threshold:
    return Threshold(name.lower(), name, healthy, bubble, weight, "formula", "%")


# ---------------------------------------------------------------------------------------------------------------
# One indicator


@pytest.mark.parametrize(("value", "healthy", "bubble", "expected"), [
    # Capex intensity, h = 60%, b = 100%: 100 · (0.9 - 0.6) / 0.4 = 75
    (0.9, 0.6, 1.0, 75.0),
    (0.6, 0.6, 1.0, 0.0),          # at healthy: 0
    (1.0, 0.6, 1.0, 100.0),        # at bubble: 100
    (0.5, 0.6, 1.0, 0.0),          # healthier than healthy: clamped to 0 (raw -25)
    (1.3, 0.6, 1.0, 100.0),        # past bubble: clamped to 100 (raw 175)
    # 'Higher is healthier' (b < h). Coverage h = 100%, b = 20%: 100 · (0.6 - 1) / (0.2 - 1) = 100 · 0.4/0.8 = 50
    (0.6, 1.0, 0.2, 50.0),
    (1.5, 1.0, 0.2, 0.0),          # raw -62.5 -> 0
    (0.1, 1.0, 0.2, 100.0),        # raw 112.5 -> 100
    # Momentum h = 50%, b = 15%: 100 · (0.3 - 0.5) / (0.15 - 0.5) = 100 · 0.2/0.35 = 57.142857
    (0.3, 0.5, 0.15, 100 * 0.2 / 0.35),
])
def test_indicator_score(value: float, healthy: float, bubble: float, expected: float) -> None:
    assert indicator_score(value, healthy, bubble) == pytest.approx(expected, abs=1e-12)


def test_infinity_scores_by_direction() -> None:
    """Payback not within horizon is +inf: payback ÷ life (h 0.5, b 1.0, larger is worse) -> 100.
    +inf where larger is healthier -> 0; -inf where larger is worse -> 0, where larger is healthier -> 100."""
    assert indicator_score(math.inf, 0.5, 1.0) == 100.0
    assert indicator_score(math.inf, 1.0, 0.2) == 0.0
    assert indicator_score(-math.inf, 0.5, 1.0) == 0.0
    assert indicator_score(-math.inf, 1.0, 0.2) == 100.0


def test_equal_healthy_and_bubble_is_refused() -> None:
    with pytest.raises(ValueError):
        indicator_score(1.0, 0.5, 0.5)


# ---------------------------------------------------------------------------------------------------------------
# The composite


def test_composite_is_the_weighted_mean_over_available_indicators() -> None:
    """Coverage 0.6 (h 1.0, b 0.2, w 20) -> 50; Capex intensity: no data (w 15); Payback ÷ life 0.9
    (h 0.5, b 1.0, w 10) -> 100 · 0.4/0.5 = 80.

    Weights renormalised over the available ones: 20 + 10 = 30 (the 15 of the missing one drops out).
    Composite = (20 · 50 + 10 · 80) / 30 = 1800 / 30 = 60.
    Contributions: 20 · 50 / 30 = 33.333 and 10 · 80 / 30 = 26.667 (sum 60); the missing one contributes 0.
    Reds (score >= 80): the payback gauge, exactly 80 -> 1. Label: 60 >= boom 40, < bubble 70 -> Boom.
    """
    score = bubble_score("A", 2025, [
        (th("Revenue coverage", 1.0, 0.2, 20), 0.6, ""),
        (th("Capex intensity", 0.6, 1.0, 15), None, "no Operating cash flow input"),
        (th("Payback vs life", 0.5, 1.0, 10), 0.9, ""),
    ], Labels())
    assert score.composite == pytest.approx(60.0, abs=1e-12)
    coverage, intensity, payback = score.indicators
    assert coverage.score == pytest.approx(50.0) and coverage.contribution == pytest.approx(100 / 3)
    assert payback.score == pytest.approx(80.0) and payback.contribution == pytest.approx(80 / 3)
    assert intensity.score is None and intensity.value is None and intensity.contribution == 0.0
    assert intensity.note == "no Operating cash flow input"
    assert score.missing == ("Capex intensity",)
    assert math.fsum(i.contribution for i in score.indicators) == pytest.approx(score.composite, abs=1e-12)
    assert score.red_count == 1
    assert score.label == "Boom"


def test_nan_is_no_data() -> None:
    score = bubble_score("A", 2025, [(th("X", 0, 1, 1), math.nan, ""), (th("Y", 0, 1, 1), 0.25, "")], Labels())
    assert score.missing == ("X",)
    assert score.composite == pytest.approx(25.0)


def test_three_reds_label_a_bubble_whatever_the_mean() -> None:
    """Three gauges at 80, 90, 100 with weight 1 each, seven at 0 with weight 10 each:
    composite = (80 + 90 + 100) / (3 + 70) = 270 / 73 = 3.70 — 'Healthy' by the mean, but 3 reds -> Bubble."""
    obs = [(th(f"red{k}", 0.0, 1.0, 1), v, "") for k, v in enumerate((0.8, 0.9, 1.0))]
    obs += [(th(f"calm{k}", 0.0, 1.0, 10), 0.0, "") for k in range(7)]
    score = bubble_score("S", 2025, obs, Labels())
    assert score.composite == pytest.approx(270 / 73)
    assert score.red_count == 3
    assert score.label == "Bubble"
    # Two reds and the same low mean: Healthy.
    score = bubble_score("S", 2025, obs[1:], Labels())
    assert score.red_count == 2
    assert score.label == "Healthy"
    # A gauge at 79.99 is not red.
    assert bubble_score("S", 2025, [(th("x", 0, 1, 1), 0.7999, "")], Labels()).red_count == 0


@pytest.mark.parametrize(("composite", "reds", "label"), [
    (70.0, 0, "Bubble"), (69.99, 2, "Boom"), (40.0, 0, "Boom"), (39.99, 0, "Healthy"), (0.0, 3, "Bubble"),
    (None, 0, "No data"), (None, 3, "Bubble"),
])
def test_label_rules(composite: float | None, reds: int, label: str) -> None:
    assert Labels().label(composite, reds) == label


def test_labels_follow_the_assumptions() -> None:
    """Red gauge 60, two reds for a bubble, boom from 20, bubble from 50 (the Assumptions sheet's names)."""
    labels = Labels(red_score=60.0, reds_for_bubble=2, boom_score=20.0, bubble_score=50.0)
    obs = [(th("a", 0, 1, 1), 0.6, ""), (th("b", 0, 1, 1), 0.65, ""), (th("c", 0, 1, 98), 0.0, "")]
    score = bubble_score("S", 2025, obs, labels)
    assert score.red_count == 2 and score.label == "Bubble" and score.red_threshold == 60.0
    assert labels.label(20.0, 0) == "Boom" and labels.label(50.0, 0) == "Bubble" and labels.label(19.9, 1) == "Healthy"


def test_no_indicator_with_data_has_no_composite() -> None:
    score = bubble_score("A", 2025, [(th("x", 0, 1, 5), None, "")], Labels())
    assert score.composite is None and score.label == "No data" and score.missing == ("x",)


def test_composite_of_all_red_gauges_is_exactly_100() -> None:
    """Every gauge at 100 with the brief's weights less Macro weight and Top-7 (a company-style subset):
    20, 15, 10, 10, 15, 10, 5 -> sum 85. The mean of 100s is 100, but 2000/85 + 1500/85 + ... summed in
    floating point is 100.00000000000003 > 100: a score outside the scale it is drawn on."""
    weights = (20, 15, 10, 10, 15, 10, 5)
    score = bubble_score("S", 2025, [(th(f"g{k}", 0, 1, w), 1.0, "") for k, w in enumerate(weights)], Labels())
    assert score.composite == 100.0
    assert score.label == "Bubble" and score.red_count == len(weights)


# ---------------------------------------------------------------------------------------------------------------
# Through compute(): every indicator of a company and of the sector, by hand


def _scored_scenario():  # type: ignore[no-untyped-def]
    return make_scenario(
        capex={"A": {2024: 100.0, 2025: 100.0}},
        revenue={"A": flat_company(2024, 20.0, 0.5, {2025: 0.5}), "B": flat_company(2024, 5.0, 0.5),
                 "C": flat_company(2024, 5.0, 0.5)},
        deals=[{"investor": "A", "investee": "B", "year": 2025, "amount": 10.0, "kind": "vendor financing",
                "recycled_share": 0.4},
               {"investor": "C", "investee": "A", "year": 2025, "amount": 20.0, "kind": "debt"}],
        market=[{"input": "Operating cash flow", "company": "A", "year": 2025, "value": 125.0},
                {"input": "Debt raised", "company": "A", "year": 2025, "value": 30.0},
                {"input": "Forward P/E of AI leaders", "year": 2024, "value": 40.0},
                {"input": "Forward P/E of AI leaders", "year": 2025, "value": 35.0},
                {"input": "Forward P/E of AI leaders", "year": 2026, "value": 60.0}],
        assumptions={"Horizon end": 2030, "Terminal growth": 0.0, "Discount rate": 0.10, "Useful life": 5,
                     "Score year": 2025, "GDP": 30000.0, "GDP year": 2025},
    )


def test_company_indicators_by_hand() -> None:
    """A, score year 2025; r 10%, L 5, CRF 0.2637975; margin 50%; terminal growth 0.

    Revenue: organic 20 (2024) -> 30 (2025, +50%); A→B vendor financing 10 with 40% recycled: +4 recycled in
    2025, reported revenue 34. C lends A 20 (debt) in 2025. Market: OCF 125, Debt raised 30.
    - Coverage: required 2025 = (100 + 100) · CRF / 0.5 = 105.5190; 34 / 105.5190 = 0.322217;
      score 100 · (0.322217 - 1) / (0.2 - 1) = 84.72 (red).
    - Capex intensity: 100 / 125 = 0.8; 100 · 0.2 / 0.4 = 50.
    - Momentum: 34 / 20 - 1 = 0.7, healthier than 0.5 -> 0.
    - External financing: (30 + 20) / 100 = 0.5 -> 100 (red).
    - Circularity: 4 / 34 = 0.117647; 100 · (0.117647 - 0.05) / 0.25 = 27.06.
    - Payback vs life, the 2025 vintage (capex 100): it earns CRF · 100 · coverage_t. Coverage 2025 0.322217;
      2026-2028: 30 / 105.519 = 0.284309 (the 2024 vintage still in service, no recycled revenue after 2025);
      2029: 30 / 52.760 = 0.568618. Cash 8.50 + 3 · 7.50 + 15.00 = 46.0 over its 5-year life < 100: not paid
      back within its life -> inf -> 100 (red).
    Composite over weights 20+15+10+10+15+10 = 80:
      (20·84.72 + 15·50 + 10·0 + 10·100 + 15·27.06 + 10·100) / 80. Three reds -> Bubble.
    Macro weight and the market gauges are sector-only: not listed for a company. Commitments: A signed no compute
    commitment, so the gauge has no data (listed as missing, its weight spread over the rest).
    """
    r = compute(_scored_scenario())
    score = r.entity("A").score
    coverage = 34 / (200 * CRF_10_5 / 0.5)
    circularity = 4 / 34
    expected = {
        "Revenue coverage": (coverage, 100 * (coverage - 1) / (0.2 - 1)),
        "Capex intensity": (0.8, 50.0),
        "Revenue momentum": (0.7, 0.0),
        "External financing": (0.5, 100.0),
        "Circularity": (circularity, 100 * (circularity - 0.05) / 0.25),
        "Payback vs life": (math.inf, 100.0),
    }
    assert [i.name for i in score.indicators] == [*list(expected)[:5], "Commitments", "Payback vs life"]
    assert score.missing == ("Commitments",)
    for name, (value, s) in expected.items():
        ind = score.indicator(name)
        assert ind.value == pytest.approx(value, rel=1e-12), name
        assert ind.score == pytest.approx(s, abs=1e-9), name
    assert coverage == pytest.approx(0.322217, abs=1e-6)
    assert score.indicator("Payback vs life").note == "the year's vintage is not paid back within its useful life"
    assert r.entity("A").vintage_payback == math.inf
    weights = {"Revenue coverage": 20, "Capex intensity": 15, "Revenue momentum": 10, "External financing": 10,
               "Circularity": 15, "Payback vs life": 10}
    composite = sum(weights[n] * s for n, (_, s) in expected.items()) / 80
    assert score.composite == pytest.approx(composite, abs=1e-9)
    assert score.red_count == 3
    assert score.label == "Bubble"
    assert r.entity("A").payback.years is None and r.entity("A").payback_to_life is None


def test_sector_indicators_by_hand() -> None:
    """The sector is A alone (B and C have no Capex row). Same values as A, plus:
    - Macro weight: sector capex 100 / GDP 30,000 (GDP year = score year) = 0.00333 < 0.5% -> 0.
    - Forward P/E: the latest Market row up to 2025 is 35 (the 2026 row is ignored); 100 · (35 - 25)/25 = 40.
    - Top-7 share: no Market row -> missing; its weight 5 drops out: total weight 100 - 5 = 95.
    """
    r = compute(_scored_scenario())
    company, sector = r.entity("A").score, r.sector.score
    assert r.sector.name == SECTOR
    assert sector.indicator("Macro weight").value == pytest.approx(100 / 30000)
    assert sector.indicator("Macro weight").score == 0.0
    assert sector.indicator("Forward P/E of AI leaders").value == 35.0
    assert sector.indicator("Forward P/E of AI leaders").score == pytest.approx(40.0)
    assert sector.missing == ("Commitments", "Top-7 share of S&P 500")     # no compute commitment signed
    scored = [i for i in company.indicators if i.available]
    for ind in scored:
        assert sector.indicator(ind.name).value == pytest.approx(ind.value, rel=1e-12), ind.name
    expected = (sum(i.weight * i.score for i in scored) + 10 * 0.0 + 5 * 40.0) / 95  # type: ignore[operator]
    assert sector.composite == pytest.approx(expected, abs=1e-9)
    assert sector.red_count == 3 and sector.label == "Bubble"


def test_thresholds_are_data_and_a_missing_indicator_renormalises() -> None:
    """Thresholds with only Capex intensity (h 0.6, b 1.0, w 3) and Circularity (h 0.05, b 0.30, w 1).
    A has no OCF input -> Capex intensity missing; Circularity 4/34 -> 27.06 is the whole composite (weight
    1/1). The score lists exactly the two thresholds, in their sheet order."""
    s = _scored_scenario()
    s = s.with_table(s.market.with_rows(r for r in s.market.rows if r[0] != "Operating cash flow"))
    s = s.with_table(thresholds_table([("Capex intensity", 0.6, 1.0, 3.0), ("Circularity", 0.05, 0.30, 1.0)]))
    score = compute(s).entity("A").score
    assert [i.name for i in score.indicators] == ["Capex intensity", "Circularity"]
    assert score.missing == ("Capex intensity",)
    assert score.composite == pytest.approx(100 * (4 / 34 - 0.05) / 0.25, abs=1e-9)
    assert score.label == "Healthy" and score.red_count == 0


def test_capex_intensity_with_negative_operating_cash_flow_is_the_worst_case() -> None:
    """A: capex 100 in 2025, Operating cash flow -5 (the company burns cash before capex). capex ÷ OCF has no
    meaningful finite value, but every dollar of capex is funded from outside: the gauge must read 100 (as a
    payback 'not within horizon' reads 100), not vanish from the composite as missing data."""
    s = make_scenario(capex={"A": {2025: 100.0}}, revenue={"A": flat_company(2025, 20.0, 0.5)},
                      market=[{"input": "Operating cash flow", "company": "A", "year": 2025, "value": -5.0}],
                      assumptions={"Horizon end": 2030, "Score year": 2025})
    r = compute(s)
    for entity in ("A", SECTOR):
        ind = r.entity(entity).score.indicator("Capex intensity")
        assert ind.score == 100.0, entity
        assert "Capex intensity" not in r.entity(entity).score.missing


def test_debt_raised_of_another_year_is_not_zero_debt_in_the_score_year() -> None:
    """A: capex 100 in 2025; Market 'Debt raised' for A only in 2023 (40) and 2026 (60); no debt-like deal.
    Score year 2025 has no Debt raised row: nothing is known about 2025's borrowing. Reading it as 0 would give
    External financing 0 / 100 = 0% -> score 0 (the healthiest value), with full weight. It is missing data
    (listed in `missing`, weight renormalised), as for a company with no Debt raised row."""
    s = make_scenario(capex={"A": {2025: 100.0}}, revenue={"A": flat_company(2025, 20.0, 0.5)},
                      market=[{"input": "Debt raised", "company": "A", "year": 2023, "value": 40.0},
                              {"input": "Debt raised", "company": "A", "year": 2026, "value": 60.0}],
                      assumptions={"Horizon end": 2030, "Score year": 2025})
    score = compute(s).entity("A").score
    assert "External financing" in score.missing
