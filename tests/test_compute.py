"""compute(): revenue path, required revenue, coverage, deal cash, payback, validation — hand-worked oracles."""

from __future__ import annotations

import numpy as np
import numpy_financial as npf
import pytest

from model.core import finance
from model.core.compute import compute
from model.core.problems import TemplateError
from model.core.results import SECTOR
from model.core.scenario import blank_scenario
from model.core.validation import validate
from tests.scenario_builders import flat_company, make_scenario

CRF_10_5 = 0.1 / (1 - 1.1 ** -5)          # 0.2637974807947...
CRF_10_55 = 0.1 / (1 - 1.1 ** -5.5)


def _series(results, name: str, measure: str) -> list[float]:  # type: ignore[no-untyped-def]
    return results.series_of(name, measure).tolist()


# ---------------------------------------------------------------------------------------------------------------
# Revenue path


def test_revenue_path_backward_and_forward_from_a_base_year_in_the_middle() -> None:
    """Base year 2026 with R = 100; growth into 2025: 50%, 2026: 20%, 2027: 10%, 2028: 30%; terminal 3%.

    Forward:  R2027 = 100 · 1.1 = 110;  R2028 = 110 · 1.3 = 143;
              R2029 = 143 · 1.03 = 147.29 and R2030 = 147.29 · 1.03 = 151.7087 (past the last growth column:
              terminal growth).
    Backward: R2025 = R2026 / (1 + g2026) = 100 / 1.2 = 83.3333;  R2024 = R2025 / (1 + g2025) = 83.3333 / 1.5
              = 55.5556.
    """
    s = make_scenario(
        capex={"A": {2024: 10.0}},
        revenue={"A": flat_company(2026, 100.0, 0.5, {2025: 0.5, 2026: 0.2, 2027: 0.1, 2028: 0.3})},
        assumptions={"Horizon end": 2030, "Terminal growth": 0.03},
    )
    r = compute(s)
    assert r.years == (2024, 2025, 2026, 2027, 2028, 2029, 2030)
    expected = [100 / 1.2 / 1.5, 100 / 1.2, 100.0, 110.0, 143.0, 143 * 1.03, 143 * 1.03 ** 2]
    assert _series(r, "A", "organic_revenue") == pytest.approx(expected, rel=1e-12)
    # No deals: reported revenue is the organic revenue.
    assert _series(r, "A", "revenue") == pytest.approx(expected, rel=1e-12)
    assert _series(r, "A", "recycled_revenue") == [0.0] * 7


def test_revenue_momentum_in_the_first_model_year_reads_the_year_before() -> None:
    """Score year 2024 = the first model year. The year before (2023) is on the backward path.

    No growth column for 2024: the sheet says nothing about growth into 2024, and a back-cast at the terminal 3%
    would be a momentum the model invented (scoring 3% as a bubble reading): no data. With a 2024 growth column
    of 40%: R2023 = R2024 / 1.4, momentum 40%. Score year 2027 (growth into 2027: 10%): momentum 10%.
    """
    growth = {2025: 0.5, 2026: 0.2, 2027: 0.1}
    for growth_cols, score_year, momentum in (
        (growth, 2024, None),
        ({2024: 0.4, **growth}, 2024, 0.4),
        (growth, 2027, 0.1),
    ):
        s = make_scenario(capex={"A": {2024: 10.0}}, revenue={"A": flat_company(2026, 100.0, 0.5, growth_cols)},
                          assumptions={"Horizon end": 2030, "Terminal growth": 0.03, "Score year": score_year})
        r = compute(s)
        for entity in ("A", SECTOR):
            ind = r.entity(entity).score.indicator("Revenue momentum")
            if momentum is None:
                assert (ind.value, ind.score) == (None, None), (growth_cols, score_year, entity)
                assert ind.note == "the first model year: no growth into it on the Revenue sheet"
            else:
                assert ind.value == pytest.approx(momentum, rel=1e-12), (growth_cols, score_year, entity)


def test_base_year_after_the_horizon_is_computed_or_refused_cleanly() -> None:
    """Horizon 2035, base year 2036 with R = 40, terminal growth 3%: the revenue of 2035 is R2036 / 1.03 = 38.835
    on the backward path. Either compute() gives that, or validation refuses the base year with a located error;
    it must not crash."""
    s = make_scenario(capex={"A": {2034: 10.0}}, revenue={"A": flat_company(2036, 40.0, 0.5)},
                      assumptions={"Horizon end": 2035, "Terminal growth": 0.03})
    try:
        r = compute(s)
    except TemplateError as exc:
        assert any(p.sheet == "Revenue" and p.column == "Base year" for p in exc.problems)
    else:
        assert r.value("A", "organic_revenue", 2035) == pytest.approx(40 / 1.03, rel=1e-12)


# ---------------------------------------------------------------------------------------------------------------
# Required revenue and coverage


def test_required_revenue_from_two_vintages_five_year_life() -> None:
    """Capex 100 in 2024 and 50 in 2026; r = 10%, L = 5, CRF = 0.2637975; cash margin 50%.

    In service: the 2024 vintage in 2024-2028, the 2026 vintage in 2026-2030. Capex in service by year:
    2024: 100, 2025: 100, 2026-2028: 150, 2029-2030: 50, 2031-2032: 0.
    Capital charge = in service · CRF: 26.380, 26.380, 39.570 ×3, 13.190 ×2, 0, 0.
    Required revenue = charge / 0.5: 52.759, 52.759, 79.139 ×3, 26.380 ×2, 0, 0.
    """
    s = make_scenario(capex={"A": {2024: 100.0, 2026: 50.0}}, revenue={"A": flat_company(2024, 40.0, 0.5)},
                      assumptions={"Horizon end": 2032, "Discount rate": 0.10, "Useful life": 5,
                                   "Terminal growth": 0.0})
    r = compute(s)
    in_service = [100, 100, 150, 150, 150, 50, 50, 0, 0]
    assert _series(r, "A", "capital_charge") == pytest.approx([k * CRF_10_5 for k in in_service], rel=1e-12)
    assert _series(r, "A", "required_revenue") == pytest.approx([k * CRF_10_5 / 0.5 for k in in_service],
                                                                 rel=1e-12)


def test_required_revenue_with_a_fractional_life() -> None:
    """Same vintages, L = 5.5: 1.1^-5.5 = exp(-5.5 · ln 1.1) = exp(-0.524213) = 0.592025, so
    CRF(10%, 5.5) = 0.1 / (1 - 0.592025) = 0.1 / 0.407975 = 0.245113.

    The 2024 vintage serves 2024-2028 in full and half of 2029; the 2026 vintage 2026-2030 and half of 2031.
    In service: 100, 100, 150, 150, 150, 50 + 0.5·100 = 100, 50, 0.5·50 = 25, 0.
    """
    s = make_scenario(capex={"A": {2024: 100.0, 2026: 50.0}}, revenue={"A": flat_company(2024, 40.0, 0.5)},
                      assumptions={"Horizon end": 2032, "Discount rate": 0.10, "Useful life": 5.5,
                                   "Terminal growth": 0.0})
    r = compute(s)
    in_service = [100, 100, 150, 150, 150, 100, 50, 25, 0]
    assert abs(CRF_10_55 - 0.245113) < 1e-6
    assert _series(r, "A", "required_revenue") == pytest.approx([k * CRF_10_55 / 0.5 for k in in_service],
                                                                 rel=1e-12)


def test_required_revenue_at_zero_discount_rate_is_straight_line() -> None:
    """r = 0, L = 4: CRF = 1/4. Capex 100 in 2024, margin 25%: charge 25 in 2024-2027, required 25 / 0.25 = 100."""
    s = make_scenario(capex={"A": {2024: 100.0}}, revenue={"A": flat_company(2024, 10.0, 0.25)},
                      assumptions={"Horizon end": 2029, "Discount rate": 0.0, "Useful life": 4})
    r = compute(s)
    assert _series(r, "A", "required_revenue") == pytest.approx([100, 100, 100, 100, 0, 0], rel=1e-12)


def test_coverage_is_revenue_over_required_revenue() -> None:
    """Revenue 40 flat (terminal growth 0); required in 2024 = 100 · CRF / 0.5 = 52.7595 -> coverage 0.75816;
    in 2026-2028 required = 150 · CRF / 0.5 = 79.1392 -> coverage 0.50544; in 2031 nothing is in service:
    required 0, coverage undefined (NaN in the series, None as the entity's coverage at that score year)."""
    for score_year, coverage in ((2024, 40 / (100 * CRF_10_5 / 0.5)), (2027, 40 / (150 * CRF_10_5 / 0.5)),
                                 (2031, None)):
        s = make_scenario(capex={"A": {2024: 100.0, 2026: 50.0}}, revenue={"A": flat_company(2024, 40.0, 0.5)},
                          assumptions={"Horizon end": 2032, "Terminal growth": 0.0, "Score year": score_year})
        r = compute(s)
        if coverage is None:
            assert r.entity("A").coverage is None
            assert np.isnan(r.value("A", "coverage", 2031))
            assert r.entity("A").score.indicator("Revenue coverage").score is None
            assert "Revenue coverage" in r.entity("A").score.missing
        else:
            assert r.entity("A").coverage == pytest.approx(coverage, rel=1e-12)
            assert r.entity("A").score.indicator("Revenue coverage").value == pytest.approx(coverage, rel=1e-12)
    assert abs(40 / (100 * CRF_10_5 / 0.5) - 0.75816) < 1e-5


# ---------------------------------------------------------------------------------------------------------------
# Deals: recycled revenue and its cash effect


def _vendor_deal_scenario(with_deal: bool, **deal: object):  # type: ignore[no-untyped-def]
    deals = [{"investor": "A", "investee": "B", "year": 2025, "amount": 10.0, "kind": "vendor financing",
              "recycled_share": 1.0, "spread_years": 2.0, **deal}] if with_deal else []
    return make_scenario(capex={"A": {2024: 50.0}},
                         revenue={"A": flat_company(2024, 20.0, 0.6), "B": flat_company(2024, 5.0, 0.5)},
                         deals=deals, assumptions={"Horizon end": 2028, "Terminal growth": 0.0})


def test_recycled_revenue_spread_over_two_years_returns_only_the_margin() -> None:
    """A pays B $10B in 2025 spread over 2 years; B spends all of it (recycled share 100%) back with A.

    Payments: 5 in 2025, 5 in 2026 (A's outflows, B's funding received).
    A's recycled revenue: 5, 5 — its reported revenue is 20 + 5 = 25 in those years.
    Cash effect for A, margin 60%: 0.6 · 5 - 5 = -2 in each year; -4 in all = 0.6 · 10 - 10.
    Paying a customer $10B to buy $10B of your chips returns only margin × $10B: A is $4B worse off.
    """
    with_deal, without = compute(_vendor_deal_scenario(True)), compute(_vendor_deal_scenario(False))
    assert _series(with_deal, "A", "recycled_revenue") == [0.0, 5.0, 5.0, 0.0, 0.0]
    assert _series(with_deal, "A", "investment_outflows") == [0.0, 5.0, 5.0, 0.0, 0.0]
    assert _series(with_deal, "A", "revenue") == [20.0, 25.0, 25.0, 20.0, 20.0]
    assert _series(with_deal, "A", "organic_revenue") == [20.0] * 5
    assert _series(with_deal, "B", "funding_received") == [0.0, 5.0, 5.0, 0.0, 0.0]
    effect = with_deal.series_of("A", "cash_flow") - without.series_of("A", "cash_flow")
    assert effect.tolist() == pytest.approx([0.0, -2.0, -2.0, 0.0, 0.0], abs=1e-12)
    assert effect.sum() == pytest.approx(0.6 * 10 - 10, abs=1e-12)
    # The investee's cash flow is untouched: funding received is not operating cash (domain brief, CF_t).
    assert with_deal.series_of("B", "cash_flow").tolist() == without.series_of("B", "cash_flow").tolist()
    flow = with_deal.deals.deals[0]
    assert (flow.paid_within_horizon, flow.recycled_revenue) == (10.0, 10.0)


def test_cloud_credits_fully_consumed_cost_the_non_margin_share() -> None:
    """Cloud credits of 10 in 2025, all consumed (recycled 100%), margin 60%: cash effect 0.6·10 - 10 = -4,
    i.e. the cost of serving the credits, (1 - margin) · 10."""
    with_deal = compute(_vendor_deal_scenario(True, kind="cloud credits", spread_years=1.0))
    without = compute(_vendor_deal_scenario(False))
    effect = with_deal.series_of("A", "cash_flow") - without.series_of("A", "cash_flow")
    assert effect.tolist() == pytest.approx([0.0, -4.0, 0.0, 0.0, 0.0], abs=1e-12)


def _organic_vs_reported():  # type: ignore[no-untyped-def]
    return make_scenario(
        capex={"A": {2024: 100.0}},
        revenue={"A": flat_company(2024, 40.0, 0.5), "B": flat_company(2024, 1.0, 0.5)},
        deals=[{"investor": "A", "investee": "B", "year": 2025, "amount": 20.0, "kind": "vendor financing",
                "recycled_share": 0.5}],
        assumptions={"Horizon end": 2030, "Terminal growth": 0.0, "Discount rate": 0.10, "Score year": 2025},
    )


def test_organic_and_reported_payback_differ_by_the_recycled_effect() -> None:
    """A: capex 100 in 2024, organic revenue 40 flat at 50% margin (20 of cash a year). In 2025 A pays B 20
    (vendor financing) and B spends half of it (10) back with A: recycled revenue 10 in 2025.

    Organic CF  = 0.5 · 40 - capex - outflows: 2024: 20 - 100 = -80; 2025: 20 - 20 = 0; 2026-2030: 20.
      Cumulative: -80, -80, -60, -40, -20, 0 (2029). The gap of 20 at the start of 2029 (t = 5) closes exactly
      at its end: organic payback = 5 + 20/20 = 6.0 years.
    Reported CF = 0.5 · (40 + 10) - 20 = 5 in 2025, otherwise the same.
      Cumulative: -80, -75, -55, -35, -15, +5. The gap of 15 at the start of 2029 closes 15/20 = 0.75 into it:
      reported payback = 5.75 years (calendar 2029.75, shown as "5.8 years").
    The two differ by exactly the recycled effect: CF - organic CF = margin · recycled = 0.5 · 10 = 5 in 2025,
    and 5 of cash at 20 a year is 5/20 = 0.25 years: 6.0 - 5.75.
    """
    r = compute(_organic_vs_reported())
    a = r.entity("A")
    assert _series(r, "A", "organic_cash_flow") == [-80.0, 0.0, 20.0, 20.0, 20.0, 20.0, 20.0]
    assert _series(r, "A", "cash_flow") == [-80.0, 5.0, 20.0, 20.0, 20.0, 20.0, 20.0]
    diff = r.series_of("A", "cash_flow") - r.series_of("A", "organic_cash_flow")
    assert diff.tolist() == (0.5 * r.series_of("A", "recycled_revenue")).tolist() == [0, 5, 0, 0, 0, 0, 0]
    assert a.organic_payback.years == 6.0
    assert a.payback.years == pytest.approx(5.75, abs=1e-12)
    assert a.organic_payback.years - a.payback.years == pytest.approx(5 / 20, abs=1e-12)
    assert a.payback.calendar_year == pytest.approx(2029.75)
    assert a.payback.text() == "5.8 years"
    assert a.payback_to_life == pytest.approx(5.75 / 5)


def test_npv_irr_and_discounted_series_on_the_compute_path() -> None:
    """EntityResult.npv is npf.npv(rate, cash_flow) (year 0 = first model year, undiscounted); organic_npv the
    same on the organic cash flow; irr is npf.irr; the discounted series is CF_t / 1.1^t and the discounted
    payback is the payback of that series. By hand for A's reported CF [-80, 5, 20, 20, 20, 20, 20] at 10%:
    1/1.1^2 + ... + 1/1.1^6 = 0.826446 + 0.751315 + 0.683013 + 0.620921 + 0.564474 = 3.446170, so
    NPV = -80 + 5/1.1 + 20 · 3.446170 = -80 + 4.545455 + 68.923396 = -6.531150."""
    r = compute(_organic_vs_reported())
    cf = r.series_of("A", "cash_flow")
    ocf = r.series_of("A", "organic_cash_flow")
    a = r.entity("A")
    hand = -80 + 5 / 1.1 + sum(20 / 1.1 ** t for t in range(2, 7))
    assert a.npv == pytest.approx(hand, rel=1e-12)
    assert a.npv == pytest.approx(-6.531150, abs=1e-6)
    assert a.npv == pytest.approx(npf.npv(0.10, cf), rel=1e-12)
    assert a.organic_npv == pytest.approx(npf.npv(0.10, ocf), rel=1e-12)
    assert a.irr == pytest.approx(npf.irr(cf), rel=1e-9)
    assert r.series_of("A", "discounted_cash_flow").tolist() == pytest.approx((cf / 1.1 ** np.arange(7)).tolist())
    assert a.discounted_payback.years == finance.payback_years(cf / 1.1 ** np.arange(7))
    # The discounted cumulative never closes by 2030 (NPV < 0): not within horizon.
    assert a.discounted_payback.years is None and a.discounted_payback.text() == "not within horizon"
    assert a.npv < 0


def test_sector_sums_only_the_companies_in_the_sector() -> None:
    """A (in sector): capex 100 in 2024, revenue 10; B (in sector): capex 50, revenue 30; X (not in sector):
    capex 1000. Margins 50%, terminal growth 0. Sector capex 2024 = 100 + 50 = 150 (X excluded); sector revenue
    = 40; sector cash flow 2024 = 0.5·40 - 150 = -130, then 20 a year: cumulative -130, -110, ..., -10 (2030),
    +10 (2031) -> payback 7 + 10/20 = 7.5 years. Revenue-only companies are not in the sector."""
    s = make_scenario(
        capex={"A": {2024: 100.0}, "B": {2024: 50.0}, "X": {2024: 1000.0}},
        revenue={"A": flat_company(2024, 10.0, 0.5), "B": flat_company(2024, 30.0, 0.5),
                 "X": flat_company(2024, 1.0, 0.5), "R": flat_company(2024, 99.0, 0.5)},
        in_sector={"X": False},
        assumptions={"Horizon end": 2032, "Terminal growth": 0.0},
    )
    r = compute(s)
    assert r.entities == ("A", "B", "X", "R", SECTOR)
    assert [e.in_sector for e in r.summaries] == [True, True, False, False, True]
    assert r.value(SECTOR, "capex", 2024) == 150.0
    assert _series(r, SECTOR, "revenue") == [40.0] * 9
    assert _series(r, SECTOR, "cash_flow")[:2] == [-130.0, 20.0]
    assert r.sector.payback.years == pytest.approx(7.5, abs=1e-12)


def test_blank_scenario_computes_to_an_empty_sector() -> None:
    """Nothing entered is no data, not a healthy reading: an empty sector has no vintage to pay back (Payback vs
    life) and no company in it (Macro weight), so no gauge scores and the label is 'No data'."""
    r = compute(blank_scenario())
    assert r.entities == (SECTOR,)
    score = r.sector.score
    assert score.composite is None and score.label == "No data" and score.red_count == 0
    assert [i.name for i in score.indicators if i.score is not None] == []
    notes = {i.name: i.note for i in score.indicators}
    assert notes["Payback vs life"] == "no AI capex in the year: no vintage to pay back"
    assert notes["Macro weight"] == "no company is marked In sector"


def test_a_company_that_invests_nothing_has_no_payback_gauge() -> None:
    """B has a Revenue row only (no capex, no deals): its payback is 'nothing to pay back', and its Payback vs
    life gauge has no data rather than scoring 0 (the healthiest reading) at full weight; its payback ÷ life is
    None, not 0. A, which invests in 2024 (the score year), keeps its gauge."""
    s = make_scenario(capex={"A": {2024: 100.0}},
                      revenue={"A": flat_company(2024, 50.0, 0.5), "B": flat_company(2024, 10.0, 0.5)},
                      assumptions={"Terminal growth": 0.0, "Score year": 2024}, in_sector={"B": False})
    r = compute(s)
    assert r.entity("B").payback.nothing_to_pay_back
    gauge = {e: next(i for i in r.entity(e).score.indicators if i.name == "Payback vs life") for e in ("A", "B")}
    assert gauge["B"].value is None and gauge["B"].score is None and gauge["B"].contribution == 0.0
    assert gauge["B"].note == "no AI capex in the year: no vintage to pay back"
    assert r.entity("B").payback_to_life is None
    # A's 2024 vintage is its only one, so all its cash is the vintage's: cumulative -75 after 2024, +25 a year
    # after: payback 1 + 75/25 = 4 years, ÷ 5-year life = 0.8, the healthy value: score 0
    assert r.entity("A").vintage_payback == pytest.approx(4.0)
    assert gauge["A"].value == pytest.approx(0.8) and gauge["A"].score == pytest.approx(0.0)
    # in 2025 A spends nothing: no vintage, no data (not the healthiest reading)
    assert r.entity("A").score_history[1].indicator("payback_vs_life").score is None


# ---------------------------------------------------------------------------------------------------------------
# Validation: errors located on the right sheet, cell and column (header row 1, data from row 2)


def _errors(scenario):  # type: ignore[no-untyped-def]
    return [p for p in validate(scenario) if p.severity == "error"]


def test_duplicate_company_is_an_error_on_the_second_row() -> None:
    """Capex rows: A (row 2), B (row 3), A again (row 4): the error points at Capex!A4, column Company."""
    s = make_scenario(capex={"A": {2024: 1.0}, "B": {2024: 1.0}},
                      revenue={"A": flat_company(2024, 1, 0.5), "B": flat_company(2024, 1, 0.5)})
    dup = s.capex.with_row_inserted(2, s.capex.rows[0])
    s = s.with_table(dup)
    errors = _errors(s)
    assert [(p.sheet, p.cell, p.column) for p in errors] == [("Capex", "A4", "Company")]
    assert "duplicate" in errors[0].message and "already at A2" in errors[0].message
    with pytest.raises(TemplateError) as info:
        compute(s)
    assert [(p.sheet, p.cell) for p in info.value.problems if p.severity == "error"] == [("Capex", "A4")]


def test_deal_with_an_unknown_company_is_an_error_in_its_column() -> None:
    """Investments row 2 (first data row): investor A (known), investee Z (unknown) -> Investments!B2 [Investee].
    Row 3: investor Y unknown -> Investments!A3 [Investor]."""
    s = make_scenario(capex={"A": {2024: 1.0}}, revenue={"A": flat_company(2024, 1, 0.5)},
                      deals=[{"investor": "A", "investee": "Z", "year": 2024, "amount": 1.0},
                             {"investor": "Y", "investee": "A", "year": 2024, "amount": 1.0}])
    errors = _errors(s)
    assert [(p.sheet, p.cell, p.column, p.value) for p in errors] == [
        ("Investments", "B2", "Investee", "Z"), ("Investments", "A3", "Investor", "Y")]
    with pytest.raises(TemplateError) as info:
        compute(s)
    assert sum(p.severity == "error" for p in info.value.problems) == 2


def test_capex_company_without_a_revenue_row_is_an_error() -> None:
    """Capex rows A (row 2), B (row 3); Revenue has only A -> Capex!A3 [Company], value B."""
    s = make_scenario(capex={"A": {2024: 1.0}, "B": {2024: 1.0}}, revenue={"A": flat_company(2024, 1, 0.5)})
    errors = _errors(s)
    assert [(p.sheet, p.cell, p.column, p.value) for p in errors] == [("Capex", "A3", "Company", "B")]
    with pytest.raises(TemplateError):
        compute(s)


def test_self_investment_and_horizon_before_first_year_are_errors() -> None:
    """A deal from A to A -> Investments!B2 [Investee]. Horizon 2023 before the first capex year 2024 ->
    Assumptions!B{row of 'Horizon end' + 2} [Value]."""
    s = make_scenario(capex={"A": {2024: 1.0}}, revenue={"A": flat_company(2024, 1, 0.5)},
                      deals=[{"investor": "A", "investee": "A", "year": 2024, "amount": 1.0}],
                      assumptions={"Horizon end": 2023})
    horizon_row = [a.lower() for a in s.assumptions.column_values("name")].index("horizon end") + 2
    errors = {(p.sheet, p.cell, p.column) for p in _errors(s)}
    assert errors == {("Investments", "B2", "Investee"), ("Assumptions", f"B{horizon_row}", "Value")}


def test_capex_past_the_horizon_is_a_warning_on_its_header() -> None:
    """Capex columns 2024..2036 with the horizon at 2035: the 2036 column (A Company, B In sector, C AI share,
    D 2024 ... P 2036) is flagged on its header cell P1, and compute() still runs (a warning, not an error). The
    blank AI share is the other warning: read as 100%."""
    s = make_scenario(capex={"A": {y: 1.0 for y in range(2024, 2037)}}, revenue={"A": flat_company(2024, 1, 0.5)},
                      assumptions={"Horizon end": 2035})
    warnings = [p for p in validate(s) if p.severity == "warning"]
    assert [(p.sheet, p.cell, p.column) for p in warnings] == [("Capex", "P1", "2036"), ("Capex", "", "AI share")]
    r = compute(s)
    assert r.years[-1] == 2035
    assert r.value("A", "capex", 2035) == 1.0


def test_a_company_that_never_needs_paying_back() -> None:
    """B has no capex and 1 of revenue at 50% margin: CF = +0.5 every year, cumulative never negative.
    Payback 0.0 years (a real number, not None), flagged as nothing to pay back; A's payback is an ordinary one."""
    r = compute(_organic_vs_reported())
    b = r.entity("B")
    assert b.payback.years == 0.0 and b.payback.within_horizon
    assert b.payback.nothing_to_pay_back and b.payback.text() == "nothing to pay back"
    assert not r.entity("A").payback.nothing_to_pay_back
