"""Issue 12: AI revenue against AI capex, the score in every year, the vintage's payback, and the edge rules.

Every expected value is worked out by hand in the docstring (r = 10%, L = 5: CRF = 0.1 / (1 − 1.1^−5) = 0.2637975).
"""

from __future__ import annotations

import json
import math

import pytest

from model.core.compare import compare
from model.core.compute import compute
from model.core.overrides import BASE
from model.core.results import SECTOR
from model.core.validation import validate
from model.defaults.alternatives import default_book
from tests.scenario_builders import flat_company, make_scenario

CRF = 0.1 / (1 - 1.1 ** -5)
BEAR = "Bear: 3-year GPUs, half the growth"


def test_payback_npv_and_required_revenue_use_ai_capex_and_the_gauges_total_capex() -> None:
    """A spends 100 in 2024, 40% of it on AI; revenue 20 a year at a 50% margin; horizon 2028; OCF 200 in 2024.

    AI capex 40. Cash flow: 2024 10 − 40 = −30, then +10 a year: cumulative −30, −20, −10, 0, +10, so payback =
    3 + 10/10 = 4.0 years. NPV = −30 + 10 · (1/1.1 + 1/1.1² + 1/1.1³ + 1/1.1⁴) = −30 + 31.6987 = 1.6987.
    Required revenue = 40 · CRF / 0.5 = 21.1038, coverage = 20 / 21.1038 = 0.94770. Capex intensity reads the whole
    capex: 100 / 200 = 50%; macro weight 100 / (30,000 / 1.04) = 0.34667%.
    """
    s = make_scenario(capex={"A": {2024: 100.0}}, revenue={"A": flat_company(2024, 20.0, 0.5)},
                      market=[{"input": "Operating cash flow", "company": "A", "year": 2024, "value": 200.0}],
                      assumptions={"Horizon end": 2028, "Terminal growth": 0.0, "Score year": 2024},
                      ai_share={"A": 0.4})
    r = compute(s)
    a = r.entity("A")
    assert r.value("A", "capex", 2024) == 100.0 and r.value("A", "ai_capex", 2024) == pytest.approx(40.0)
    assert a.payback.years == pytest.approx(4.0, abs=1e-12)
    assert a.npv == pytest.approx(-30 + 10 * sum(1.1 ** -k for k in range(1, 5)), abs=1e-9)
    assert a.npv == pytest.approx(1.6987, abs=1e-4)
    assert r.value("A", "required_revenue", 2024) == pytest.approx(40 * CRF / 0.5, rel=1e-12)
    assert a.coverage == pytest.approx(20 / (40 * CRF / 0.5), rel=1e-12)
    assert a.score.indicator("capex_intensity").value == pytest.approx(0.5)
    assert r.sector.score.indicator("macro_weight").value == pytest.approx(100 / (30000 / 1.04), rel=1e-12)
    assert not [p for p in validate(s) if "AI share" in p.column]


def test_a_blank_ai_share_reads_100_percent_with_one_warning() -> None:
    s = make_scenario(capex={"A": {2024: 100.0}, "B": {2024: 10.0}},
                      revenue={"A": flat_company(2024, 20.0, 0.5), "B": flat_company(2024, 5.0, 0.5)},
                      ai_share={"B": 0.5})
    warned = [p for p in validate(s) if p.column == "AI share"]
    assert len(warned) == 1 and warned[0].severity == "warning" and warned[0].sheet == "Capex"
    assert "no AI share for A:" in warned[0].message and "B" not in warned[0].message.split(":")[0]
    r = compute(s)
    assert r.value("A", "ai_capex", 2024) == 100.0 and r.value("B", "ai_capex", 2024) == 5.0


def test_revenue_equal_to_required_revenue_reads_healthy_on_payback_vs_life() -> None:
    """A continuing build-out: 100 of capex every year 2024-2030, revenue exactly its required revenue
    (CRF · 100 · vintages in service / 50%: growth 2025 +100%, 2026 +50%, 2027 +33.3%, 2028 +25%, then 0).

    Coverage is 100% every year. Each vintage earns CRF · 100 a year, so it pays back in 1 / CRF = 3.7908 years,
    0.758 of its 5-year life: at or below the healthy 0.8, it scores 0. The programme's payback is not within the
    horizon (cumulative −40.5 in 2030), which the old programme-based gauge scored 100.
    """
    base = CRF * 100 / 0.5
    growth = {2025: 1.0, 2026: 0.5, 2027: 1 / 3, 2028: 0.25}
    s = make_scenario(capex={"A": {y: 100.0 for y in range(2024, 2031)}},
                      revenue={"A": flat_company(2024, base, 0.5, growth)},
                      assumptions={"Horizon end": 2030, "Terminal growth": 0.0}, ai_share={"A": 1.0})
    r = compute(s)
    for entity in ("A", SECTOR):
        e = r.entity(entity)
        assert e.payback.years is None                          # the programme: not within horizon
        for score in e.score_history:
            assert r.value(entity, "coverage", score.year) == pytest.approx(1.0, rel=1e-9)
            gauge = score.indicator("payback_vs_life")
            assert gauge.value == pytest.approx(1 / CRF / 5, rel=1e-9), score.year
            assert gauge.value == pytest.approx(0.7582, abs=1e-4)
            assert gauge.score == 0.0
        assert e.vintage_payback == pytest.approx(1 / CRF, rel=1e-9)


def test_a_change_from_2026_moves_the_score_from_2026_only() -> None:
    """A spends 100 in 2025 and 2026; OCF 200 in 2025; revenue 50 in 2025, +20% into 2026, margin 50%.

    Operating cash flow in 2026 = 200 + 0.5 · (60 − 50) = 205 (the AI cash gained since the last report). Capex
    intensity 2026 = 100 / 205 = 48.8% (score 0); with 2026's capex edited to 300: 300 / 205 = 146% (score 100).
    2025 reads the same in both.
    """
    def scenario(capex_2026: float):  # type: ignore[no-untyped-def]
        return make_scenario(capex={"A": {2025: 100.0, 2026: capex_2026}},
                             revenue={"A": flat_company(2025, 50.0, 0.5, {2026: 0.2})},
                             market=[{"input": "Operating cash flow", "company": "A", "year": 2025, "value": 200.0}],
                             assumptions={"Horizon end": 2030, "Terminal growth": 0.0}, ai_share={"A": 1.0})
    before, after = compute(scenario(100.0)), compute(scenario(300.0))
    for r, capex in ((before, 100.0), (after, 300.0)):
        gauge = r.entity("A").score_history[1].indicator("capex_intensity")
        assert gauge.value == pytest.approx(capex / 205.0, rel=1e-12)
        assert gauge.score == (0.0 if capex == 100.0 else 100.0)
    assert before.entity("A").score_by_year[2025] == after.entity("A").score_by_year[2025]
    assert after.entity("A").score_by_year[2026] > before.entity("A").score_by_year[2026]  # type: ignore[operator]


def test_the_bear_scenario_moves_the_score_from_2026() -> None:
    """The Bear halves growth from 2026. Meta has no deals, so its momentum is its growth: 2025 +80% in both;
    2026 +50% in the base (score 0) and +25% in the Bear: 100 · (0.25 − 0.5) / (0.15 − 0.5) = 71.43."""
    c = compare(default_book(), [BEAR])
    base, bear = c.results[BASE], c.results[BEAR]
    for r in (base, bear):
        assert r.entity("Meta").score_history[1].indicator("momentum").value == pytest.approx(0.8, rel=1e-12)
    assert base.entity("Meta").score_history[2].indicator("momentum").value == pytest.approx(0.5, rel=1e-12)
    meta = bear.entity("Meta").score_history[2].indicator("momentum")
    assert meta.value == pytest.approx(0.25, rel=1e-12)
    assert meta.score == pytest.approx(100 * (0.25 - 0.5) / (0.15 - 0.5), rel=1e-12)
    base_years, bear_years = base.sector.score_by_year, bear.sector.score_by_year
    assert all(bear_years[y] > base_years[y] for y in range(2026, 2033))  # type: ignore[operator]


def test_sector_external_financing_counts_all_its_capex() -> None:
    """A: capex 100, Debt raised 30. B: capex 100, no Debt raised row. The sector reads 30 / 200 = 15%, the same
    as with B's row of 0 debt; before, B dropped out of the denominator (30 / 100 = 30%), so deleting a row of
    zero debt made the sector look twice as indebted. C raises 10 with no capex: infinite (the capex-intensity
    rule for a zero denominator), D neither: 0."""
    capex = {"A": {2025: 100.0}, "B": {2025: 100.0}, "C": {2025: 0.0}, "D": {2025: 0.0}}
    revenue = {c: flat_company(2025, 10.0, 0.5) for c in capex}

    def debt(rows: dict[str, float]) -> list[dict[str, object]]:
        return [{"input": "Debt raised", "company": c, "year": 2025, "value": v} for c, v in rows.items()]

    without = compute(make_scenario(capex=capex, revenue=revenue, market=debt({"A": 30.0, "C": 10.0, "D": 0.0}),
                                    in_sector={"C": False, "D": False}))
    with_zero = compute(make_scenario(capex=capex, revenue=revenue,
                                      market=debt({"A": 30.0, "B": 0.0, "C": 10.0, "D": 0.0}),
                                      in_sector={"C": False, "D": False}))
    for r in (without, with_zero):
        assert r.sector.score.indicator("external_financing").value == pytest.approx(0.15)
    c = without.entity("C").score.indicator("external_financing")
    assert c.value == math.inf and c.score == 100.0 and c.note == "debt raised with no capex in the year"
    d = without.entity("D").score.indicator("external_financing")
    assert d.value == 0.0 and d.score == 0.0


def test_json_has_score_by_year_and_no_healthy_looking_zero() -> None:
    """`report --json`: score_by_year per entity keyed by year; payback ÷ life null for nothing to pay back."""
    s = make_scenario(capex={"A": {2024: 100.0}},
                      revenue={"A": flat_company(2024, 50.0, 0.5), "B": flat_company(2024, 10.0, 0.5)},
                      assumptions={"Horizon end": 2027, "Terminal growth": 0.0}, in_sector={"B": False},
                      ai_share={"A": 1.0})
    r = compute(s)
    data = json.loads(json.dumps(r.to_dict()))
    entities = {e["name"]: e for e in data["entities"]}
    assert list(entities["Sector"]["score_by_year"]) == ["2024", "2025", "2026", "2027"]
    assert entities["Sector"]["score_by_year"]["2024"] == pytest.approx(r.sector.score_by_year[2024])
    assert entities["B"]["payback_to_life"] is None
    assert entities["A"]["payback_to_life"] == pytest.approx(4.0 / 5)    # 1 + 75/25 years


def test_the_report_names_the_first_bubble_year_and_prints_the_trajectory() -> None:
    """A two-year sector: 2024 capex 100 against revenue 2 (margin 50%) reads Bubble: coverage 2 / 52.76 = 3.8%,
    the vintage earns CRF · 100 · coverage ≈ 11 a year at most (never paid back in 5 years) and capex with zero
    operating cash flow is ∞: three red gauges. 2025 (revenue ×11 = 22, nothing spent): coverage 41.7%, no
    vintage, capex intensity 0 — no Bubble. The headline names 2024."""
    from model.report import render
    s = make_scenario(capex={"A": {2024: 100.0}},
                      revenue={"A": flat_company(2024, 2.0, 0.5, {2025: 10.0})},
                      market=[{"input": "Operating cash flow", "company": "A", "year": 2024, "value": 0.0}],
                      assumptions={"Horizon end": 2025, "Terminal growth": 0.0, "Score year": 2025},
                      ai_share={"A": 1.0})
    r = compute(s)
    assert [h.label for h in r.sector.score_history] == ["Bubble", "Healthy"]
    assert r.sector.score_history[0].red_count == 3
    assert r.sector.first_year_labelled("Bubble") == 2024
    text = render(r, "t")
    assert "first reads Bubble in 2024" in text
    assert f"2024 {r.sector.score_by_year[2024]:.0f}●" in text


def test_the_export_carries_every_years_score_and_each_scenarios_trajectory(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from openpyxl import load_workbook

    from model.export.writer import export_results
    book = default_book()
    path = tmp_path / "book.xlsx"
    export_results(book, path)
    ws = load_workbook(path)["Score by year"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    years = list(rows[3][2:])
    base = compute(book.base)
    assert years == list(base.years)
    sector = next(r for r in rows if r[0] == SECTOR)
    assert sector[1] == "2026"                  # the first year the sector reads Bubble
    assert sector[2:] == pytest.approx([base.sector.score_by_year[y] for y in base.years])
    bear = next(r for r in rows if r[0] == BEAR)
    assert bear[2:] == pytest.approx(list(compare(book, [BEAR]).results[BEAR].sector.score_by_year.values()))
    assert any(n.startswith("Score by year (Bear") for n in load_workbook(path, read_only=True).sheetnames)


@pytest.mark.parametrize(("keep", "share", "capex", "revenue", "supplier"), [
    (1.0, 1.0, [100, 100, 100], [40.0, 40.0, 40.0], [50.0, 50.0, 50.0]),
    (0.0, 1.0, [0, 0, 0], [20.0, 0.0, 0.0], [0.0, 0.0, 0.0]),
    (0.0, 0.5, [0, 0, 0], [20.0, 0.0, 0.0], [27.5, 0.5 * 60.5, 0.5 * 66.55]),
])
def test_past_the_last_capex_column(keep: float, share: float, capex: list[float], revenue: list[float],
                                    supplier: list[float]) -> None:
    """A spends 100 in 2024 and 2025 (the last Capex column), life 2 years, AI revenue 40 in 2025 then +10% a year
    on its path; S (a supplier outside the sector) sells 50 in 2025, +10% on its path, a share of it to the sector's
    capex. Horizon 2028.

    Keep the fleet: capex_2026 = 100 · (w(2024, 2025) − w(2024, 2026)) + 100 · (w(2025, 2025) − w(2025, 2026))
    = 100 · (1 − 0) + 100 · (1 − 1) = 100, and 100 every later year; capacity in service stays 200, so A's
    revenue stays at 40 · 200/200 = 40 (its path would give 44, 48.4, 53.2); S's sales follow the sector's AI
    capex: 50 · 100/100 = 50. Stop: capex 0; capacity 2026 = 100 (the 2025 vintage's last year), so A earns at
    most 40 · 100/200 = 20, then 0; S sells 0 — or, with half its sales from sector capex, 0.5 · 55 + 0.5 · 0.
    """
    s = make_scenario(capex={"A": {2024: 100.0, 2025: 100.0}},
                      revenue={"A": flat_company(2025, 40.0, 0.5), "S": flat_company(2025, 50.0, 0.5)},
                      market=[{"input": "Sales from sector capex", "company": "S", "year": 2025, "value": share}],
                      assumptions={"Horizon end": 2028, "Terminal growth": 0.10, "Useful life": 2.0,
                                   "Keep fleet": keep, "Revenue bound": 1.0},
                      in_sector={"S": False}, ai_share={"A": 1.0})
    r = compute(s)
    assert [r.value("A", "capex", y) for y in (2026, 2027, 2028)] == pytest.approx(capex)
    assert [r.value("A", "organic_revenue", y) for y in (2026, 2027, 2028)] == pytest.approx(revenue)
    assert [r.value("S", "organic_revenue", y) for y in (2026, 2027, 2028)] == pytest.approx(supplier)
    assert r.value("A", "organic_revenue", 2025) == 40.0       # the explicit years are untouched


def test_the_default_keeps_its_fleet_and_its_coverage_past_2032() -> None:
    """The default scenario's capex stops at 2032; the fleet kept, 2033-2035 replace the 2028-2030 vintages
    (the 2026 plateau: Amazon 200 a year) and the sector's coverage holds at its 2032 level instead of the old
    harvest climb to 152%."""
    from model.defaults.scenario import default_scenario
    r = compute(default_scenario())
    assert [r.value("Amazon", "capex", y) for y in (2033, 2034, 2035)] == [200.0, 200.0, 200.0]
    cover = [r.value(SECTOR, "coverage", y) for y in (2032, 2033, 2034, 2035)]
    assert max(cover) - min(cover) < 1e-9
    assert r.value("Nvidia", "organic_revenue", 2035) == pytest.approx(r.value("Nvidia", "organic_revenue", 2032))


def test_commitments_outstanding_over_revenue() -> None:
    """OpenAI in 2025, from the default Investments rows: Oracle $300B from 2027 over 5 years (all unpaid), Azure
    $250B from 2026 over 7 (all unpaid), Nvidia systems $300B and AMD GPUs $180B from 2026 over 5, Broadcom
    accelerators $300B from 2026 over 4 (all unpaid), CoreWeave $22.4B from 2025 over 5 (one fifth paid: 17.92
    left), AWS $38B from 2025 over 7 (one seventh paid: 32.571 left) = 1,380.49 against 13.1 of revenue: 105.4×,
    past the bubble value 5× (score 100; seed 001's ~$1.4T, ~107×). Weighted 20 among OpenAI's scored gauges (momentum 0, circularity 0: weights 10 and
    15), it lifts OpenAI to 100 · 20 / 45 = 44.4, Boom. The hyperscalers signed none: no data, not a healthy 0."""
    from model.defaults.scenario import default_scenario
    r = compute(default_scenario())
    openai = r.entity("OpenAI").score
    gauge = openai.indicator("commitments")
    assert gauge.value == pytest.approx((300 + 250 + 300 + 180 + 300 + 22.4 * 4 / 5 + 38 * 6 / 7) / 13.1, rel=1e-12)
    assert gauge.score == 100.0
    assert openai.composite == pytest.approx(100 * 20 / 45, rel=1e-12) and openai.label == "Boom"
    amazon = r.entity("Amazon").score.indicator("commitments")
    assert amazon.value is None and amazon.note == "no compute commitment on the Investments sheet"


def test_a_commitment_with_a_fractional_spread_is_paid_down_evenly() -> None:
    """B commits 30 from 2025 over 2.5 years: unpaid 30 at the end of 2024, 18 after 2025 (12 paid), 6 after 2026,
    0 after 2027 (the last half-year's 6). Revenue 10 a year: 3.0×, 1.8×, 0.6×, 0."""
    s = make_scenario(capex={"A": {2024: 10.0}},
                      revenue={"A": flat_company(2024, 10.0, 0.5), "B": flat_company(2024, 10.0, 0.5)},
                      deals=[{"investor": "B", "investee": "A", "year": 2025, "amount": 30.0,
                              "kind": "compute commitment", "spread_years": 2.5}],
                      assumptions={"Horizon end": 2027, "Terminal growth": 0.0}, in_sector={"B": False})
    r = compute(s)
    values = [h.indicator("commitments").value for h in r.entity("B").score_history]
    assert values == pytest.approx([3.0, 1.8, 0.6, 0.0])


# -- published estimates, each from its own stated inputs -------------------------------------------------------

def _one_company(capex: dict[int, float], revenue: float, margin: float, assumptions: dict[str, float]):  # type: ignore[no-untyped-def]
    return compute(make_scenario(capex={"AI": capex}, revenue={"AI": flat_company(min(capex), revenue, margin)},
                                 assumptions={"Terminal growth": 0.0, **assumptions}, ai_share={"AI": 1.0}))


@pytest.mark.parametrize(("gpu_run_rate", "ai_revenue", "required", "hole"), [
    (50.0, 75.0, 200.0, 125.0),     # Sequoia, "AI's $200B question" (D. Cahn, Sep 2023)
    (150.0, 100.0, 600.0, 500.0),   # Sequoia, "AI's $600B question" (D. Cahn, Jun 2024)
])
def test_sequoia_from_its_own_inputs(gpu_run_rate: float, ai_revenue: float, required: float, hole: float) -> None:
    """Sequoia: Nvidia's data-centre run-rate × 2 (GPUs are half a data centre's cost) × 2 (a 50% margin for the
    end user) = the revenue required. In the model: capex = 2 × the GPU run-rate in one year, a one-year life,
    r = 0, cash margin 50%: required revenue = capex · 1 / 0.5; the hole = required − AI revenue."""
    r = _one_company({2024: 2 * gpu_run_rate}, ai_revenue, 0.5,
                     {"Useful life": 1.0, "Discount rate": 0.0, "Horizon end": 2024})
    assert r.value("AI", "required_revenue", 2024) == pytest.approx(required)
    assert r.value("AI", "required_revenue", 2024) - r.value("AI", "revenue", 2024) == pytest.approx(hole)


def test_the_default_basis_against_sequoias() -> None:
    """The same $300B of capex a year, steady, on the default basis (L = 5, r = 10%, margin 50%): once five
    vintages are in service the required revenue is 5 · 300 · CRF / 0.5 = $791B a year, 5 · CRF = 1.32 times
    Sequoia's $600B: the default is the stricter basis for a continuing build-out."""
    r = _one_company({y: 300.0 for y in range(2020, 2025)}, 100.0, 0.5,
                     {"Useful life": 5.0, "Discount rate": 0.10, "Horizon end": 2024})
    assert r.value("AI", "required_revenue", 2024) == pytest.approx(5 * 300 * CRF / 0.5)
    assert r.value("AI", "required_revenue", 2024) / 600.0 == pytest.approx(5 * CRF)
    assert pytest.approx(1.319, abs=1e-3) == 5 * CRF


def test_bain_2025_from_its_own_inputs() -> None:
    """Bain (Sep 2025): ~$500B a year of capex by 2030 needs ~$2T of annual revenue. A steady $500B a year at
    L = 5, r = 10% needs 5 · 500 · CRF = $659.5B of cash a year; Bain's $2T is that at a 33% cash margin
    (659.5 / 0.33 = $1,998B). At our hyperscalers' 60% margin it would be $1.1T."""
    r = _one_company({y: 500.0 for y in range(2026, 2031)}, 100.0, 0.33,
                     {"Useful life": 5.0, "Discount rate": 0.10, "Horizon end": 2030})
    assert r.value("AI", "required_revenue", 2030) == pytest.approx(5 * 500 * CRF / 0.33)
    assert r.value("AI", "required_revenue", 2030) == pytest.approx(2000.0, rel=0.01)


def test_jpmorgan_2025_in_perpetuity() -> None:
    """JPMorgan (Nov 2025): ~$650B of annual revenue in perpetuity for a 10% return on the build-out through 2030
    (~$5T, JPMorgan's estimate in the same note). In perpetuity CRF = r: the capital charge on $5T is $500B a year,
    $650B of revenue at a 77% cash margin (500 / 0.77 = $649.4B). The same capex over a 30-year life (the longest
    the model takes without the perpetuity option) needs CRF(10%, 30) = 0.1061: 6% more."""
    capex = {y: 1000.0 for y in range(2026, 2031)}
    perpetual = _one_company(capex, 100.0, 0.77, {"Useful life": 30.0, "Discount rate": 0.10, "Horizon end": 2030,
                                                  "Perpetuity": 1.0})
    assert perpetual.value("AI", "capital_charge", 2030) == pytest.approx(500.0)
    assert perpetual.value("AI", "required_revenue", 2030) == pytest.approx(500.0 / 0.77)
    assert perpetual.value("AI", "required_revenue", 2030) == pytest.approx(650.0, rel=0.002)
    thirty = _one_company(capex, 100.0, 0.77, {"Useful life": 30.0, "Discount rate": 0.10, "Horizon end": 2030})
    crf_30 = 0.1 / (1 - 1.1 ** -30)
    assert thirty.value("AI", "capital_charge", 2030) == pytest.approx(5000.0 * crf_30)
    assert crf_30 / 0.1 == pytest.approx(1.061, abs=1e-3)


def test_beyond_the_horizon_payback_reads_as_its_shortfall_and_an_extrapolated_year() -> None:
    """A spends 100 in 2024 and earns 10 a year at a 50% margin; horizon 2028: cash flow −95, then +5 a year,
    cumulative −75 at 2028. At +5 a year the gap closes in 75 / 5 = 15 more years: ≈ 2043. B's last cash flow is
    negative: the shortfall alone."""
    from model.core import formatting
    s = make_scenario(capex={"A": {2024: 100.0}, "B": {2024: 100.0, 2028: 50.0}},
                      revenue={"A": flat_company(2024, 10.0, 0.5), "B": flat_company(2024, 10.0, 0.5)},
                      assumptions={"Horizon end": 2028, "Terminal growth": 0.0}, ai_share={"A": 1.0, "B": 1.0})
    r = compute(s)
    a = r.entity("A").payback
    assert (a.years, a.shortfall, a.horizon_year, a.beyond) == (None, pytest.approx(-75.0), 2028, pytest.approx(2043.0))
    assert formatting.years(a) == "−$75B at 2028; ≈ 2043, beyond the horizon"
    assert formatting.payback_years(a) == formatting.beyond_horizon(a) == formatting.years(a)     # one text
    assert formatting.payback_phrase(a, 2028) == "does not pay back by 2028 (−$75B at 2028; ≈ 2043, beyond the horizon)"
    b = r.entity("B").payback                          # −95, +5, +5, +5, −45: cumulative −125, last cash flow < 0
    assert b.beyond is None and formatting.years(b) == "−$125B at 2028"
    assert formatting.big_money(-2612.0) == "−$2.6T"


def test_the_export_says_each_payback_beyond_the_horizon(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The Score by year sheet's block: the reading, the cumulative cash flow at the horizon's end, the year."""
    from openpyxl import load_workbook

    from model.core import formatting
    from model.export.writer import export_results
    s = make_scenario(capex={"A": {2024: 100.0}}, revenue={"A": flat_company(2024, 10.0, 0.5)},
                      assumptions={"Horizon end": 2028, "Terminal growth": 0.0}, ai_share={"A": 1.0})
    export_results(s, tmp_path / "a.xlsx")
    rows = [[c.value for c in row] for row in load_workbook(tmp_path / "a.xlsx")["Score by year"].iter_rows()]
    a = next(r for r in rows if r[0] == "A" and r[1] == "−$75B at 2028; ≈ 2043, beyond the horizon")
    assert a[2] == pytest.approx(-75.0) and a[3] == 2043
    assert formatting.years(compute(s).entity("A").payback) == a[1]
