"""Properties of compute() on generated scenarios (hypothesis): monotone payback, scores on their scale, the
composite as a weighted mean, sector sums, cumulative sums, cash identities, numpy-financial agreement."""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from model.core import schema
from model.core.compute import compute
from model.core.results import MEASURES, Results
from model.defaults.scenario import default_scenario
from tests.scenario_builders import make_scenario

FIRST = 2024
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MONEY = st.one_of(st.just(0.0), st.floats(min_value=0.1, max_value=500.0, allow_nan=False))
# Capex a notch below revenue, so that about half the paybacks fall within the horizon (the monotone-payback
# properties say little about two "not within horizon" answers).
CAPEX = st.one_of(st.just(0.0), st.floats(min_value=0.1, max_value=150.0, allow_nan=False))
# coverage is a ratio, a vintage's payback a time and the score a weighted mean: not sums
ADDITIVE = [m for m in MEASURES if m not in ("coverage", "vintage_payback", "score")]


@st.composite
def specs(draw: st.DrawFn) -> dict[str, Any]:
    """The keyword arguments of make_scenario: 1-4 companies, 1-8 capex years from 2024, a horizon up to 5
    years past them, base years from 2022 to the horizon, sparse growth columns, 0-6 deals, market inputs."""
    n = draw(st.integers(min_value=1, max_value=4))
    names = [f"C{i}" for i in range(n)]
    n_capex_years = draw(st.integers(min_value=1, max_value=8))
    horizon = FIRST + n_capex_years - 1 + draw(st.integers(min_value=0, max_value=5))
    # A big first vintage, as in the build-out: the cumulative cash flow starts negative and may recover.
    capex = {c: {FIRST + k: draw(st.floats(min_value=20.0, max_value=600.0) if k == 0 else CAPEX)
                 for k in range(n_capex_years)} for c in names}
    growth_years = draw(st.lists(st.integers(min_value=FIRST - 2, max_value=horizon + 1), unique=True, max_size=6))
    growth = st.floats(min_value=-0.5, max_value=1.5, allow_nan=False)
    revenue = {c: {"base_year": draw(st.integers(min_value=FIRST - 2, max_value=horizon)),
                   "base_revenue": draw(MONEY),
                   "cash_margin": draw(st.floats(min_value=0.05, max_value=0.9)),
                   "growth": {y: draw(growth) for y in growth_years if draw(st.booleans())}}
               for c in names}
    deals = []
    if n >= 2:
        for _ in range(draw(st.integers(min_value=0, max_value=6))):
            investor, investee = draw(st.permutations(names))[:2]
            deals.append({"investor": investor, "investee": investee,
                          "year": draw(st.integers(min_value=FIRST - 1, max_value=horizon + 1)),
                          "amount": draw(MONEY), "kind": draw(st.sampled_from(schema.DEAL_KIND_NAMES)),
                          "recycled_share": draw(st.sampled_from([0.0, 0.25, 0.5, 1.0])),
                          "spread_years": draw(st.sampled_from([1.0, 2.0, 2.5, 4.0]))})
    # The Investments key (investor, investee, year, kind) must be unique.
    seen: set[tuple[Any, ...]] = set()
    deals = [d for d in deals if not ((k := (d["investor"], d["investee"], d["year"], d["kind"])) in seen
                                      or seen.add(k))]  # type: ignore[func-returns-value]
    market = []
    years = st.integers(min_value=FIRST, max_value=horizon)
    for c in names:
        if draw(st.booleans()):
            market.append({"input": "Operating cash flow", "company": c, "year": draw(years),
                           "value": draw(st.floats(min_value=1.0, max_value=800.0))})
        if draw(st.booleans()):
            market.append({"input": "Debt raised", "company": c, "year": draw(years), "value": draw(MONEY)})
    if draw(st.booleans()):
        market.append({"input": "Forward P/E of AI leaders", "year": draw(years),
                       "value": draw(st.floats(min_value=5.0, max_value=120.0))})
    assumptions = {
        "Horizon end": horizon,
        "Discount rate": draw(st.sampled_from([0.0, 0.05, 0.1, 0.2])),
        "Useful life": draw(st.sampled_from([1.0, 2.5, 3.0, 5.0, 5.5, 6.0, 10.0])),
        "Terminal growth": draw(st.floats(min_value=-0.3, max_value=0.3)),
        "Score year": draw(st.integers(min_value=FIRST - 1, max_value=horizon + 1)),
    }
    in_sector = {c: draw(st.booleans()) for c in names}
    return {"capex": capex, "revenue": revenue, "deals": deals, "market": market, "assumptions": assumptions,
            "in_sector": in_sector}


def _entity_rows(results: Results, company: str) -> list[int]:
    """The rows of ``company`` and of the sector when the company is in it."""
    i = results.entities.index(company)
    return [i, len(results.entities) - 1] if results.summaries[i].in_sector else [i]


def _as_inf(years: float | None) -> float:
    return math.inf if years is None else years


PAYBACKS = {"payback": ("cash_flow", 0), "discounted_payback": ("cash_flow", 1),
            "organic_payback": ("organic_cash_flow", 0), "organic_discounted_payback": ("organic_cash_flow", 1)}


def _assert_payback_not_later(before: Results, after: Results, company: str) -> None:
    rate = before.assumptions["Discount rate"]
    discount = (1.0 + rate) ** -np.arange(len(before.years))
    for row in _entity_rows(before, company):
        for attr, (measure, discounted) in PAYBACKS.items():
            cf_before, cf_after = before.series[measure][row], after.series[measure][row]
            if discounted:
                cf_before, cf_after = cf_before * discount, cf_after * discount
            old = _as_inf(getattr(before.summaries[row], attr).years)
            new = _as_inf(getattr(after.summaries[row], attr).years)
            assert new <= old + 1e-9, (attr, before.entities[row], old, new)


@SETTINGS
@given(specs(), st.data())
def test_payback_never_later_when_capex_falls(spec: dict[str, Any], data: st.DataObject) -> None:
    """Lower one capex cell: that company's cash flow rises in that year and no other changes, so every payback
    (simple, discounted, organic) of the company and of the sector is no later (None counts as +inf)."""
    company = data.draw(st.sampled_from(sorted(spec["capex"])))
    year = data.draw(st.sampled_from(sorted(spec["capex"][company])))
    lowered = copy.deepcopy(spec)
    # (A cut to a denormal capex such as 1e-310 makes revenue / required revenue overflow: not a real input.)
    cut = data.draw(st.one_of(st.just(0.0), st.floats(min_value=0.01, max_value=1.0)))
    lowered["capex"][company][year] = spec["capex"][company][year] * cut
    before, after = compute(make_scenario(**spec)), compute(make_scenario(**lowered))
    t = before.years.index(year)
    saved = spec["capex"][company][year] - lowered["capex"][company][year]
    gained = after.series_of(company, "cash_flow") - before.series_of(company, "cash_flow")
    assert gained.tolist() == pytest.approx([saved if k == t else 0.0 for k in range(len(before.years))],
                                            abs=1e-9)
    _assert_payback_not_later(before, after, company)


@SETTINGS
@given(specs(), st.data())
def test_payback_never_later_when_a_growth_rate_rises(spec: dict[str, Any], data: st.DataObject) -> None:
    """Raise one company's growth into a year after its base year: its revenue rises from that year on and is
    unchanged before, so no payback gets later. (Growth into a year at or before the base year works
    backwards — it LOWERS the earlier revenue, R_{t-1} = R_t / (1 + g_t) — so it is not part of the property.)"""
    company = data.draw(st.sampled_from(sorted(spec["revenue"])))
    rev = spec["revenue"][company]
    horizon = spec["assumptions"]["Horizon end"]
    assume(rev["base_year"] < horizon)
    year = data.draw(st.integers(min_value=rev["base_year"] + 1, max_value=horizon))
    raised = copy.deepcopy(spec)
    old = rev["growth"].get(year, spec["assumptions"]["Terminal growth"])
    raised["revenue"][company]["growth"][year] = old + data.draw(st.floats(min_value=0.01, max_value=1.0))
    before, after = compute(make_scenario(**spec)), compute(make_scenario(**raised))
    gained = after.series_of(company, "organic_revenue") - before.series_of(company, "organic_revenue")
    assert (gained >= 0).all()
    _assert_payback_not_later(before, after, company)


def _assert_score_reads_its_value(score: float, value: float, healthy: float, bubble: float) -> None:
    """The scale read backwards, not a copy of indicator_score: a score strictly inside (0, 100) puts the value
    that fraction of the way from healthy to bubble; 0 means at or beyond healthy, 100 at or beyond bubble."""
    toward = bubble - healthy
    if math.isinf(value):
        assert score == (100.0 if (value > 0) == (toward > 0) else 0.0)
    elif score == 0.0:
        assert (value - healthy) * toward <= 1e-12 * abs(toward) * max(1.0, abs(value))
    elif score == 100.0:
        assert (value - bubble) * toward >= -1e-12 * abs(toward) * max(1.0, abs(value))
    else:
        assert healthy + score / 100.0 * toward == pytest.approx(value, rel=1e-9, abs=1e-9)


@SETTINGS
@given(specs())
def test_scores_composites_and_labels(spec: dict[str, Any]) -> None:
    """Every indicator score lies in [0, 100] and reads its value on the healthy → bubble scale; the composite is the
    weighted mean of the available indicators (recomputed here from the IndicatorScore fields), lies in
    [0, 100] (fsum and a clamp keep all-red at exactly 100) and equals the sum of the contributions; `missing` lists the
    indicators without data; the red count and the label follow the brief's rules."""
    results = compute(make_scenario(**spec))
    a = results.assumptions
    for summary in results.summaries:
        score = summary.score
        available = [i for i in score.indicators if i.score is not None]
        for ind in score.indicators:
            if ind.score is None:
                assert ind.value is None and ind.contribution == 0.0
                continue
            assert ind.value is not None
            assert 0.0 <= ind.score <= 100.0
            _assert_score_reads_its_value(ind.score, ind.value, ind.healthy, ind.bubble)
        total = sum(i.weight for i in available)
        if total > 0:
            mean = sum(i.weight * i.score for i in available) / total  # type: ignore[operator]
            assert score.composite == pytest.approx(mean, abs=1e-9)
            assert -1e-9 <= score.composite <= 100.0 + 1e-9  # type: ignore[operator]
            assert math.fsum(i.contribution for i in score.indicators) == pytest.approx(score.composite, abs=1e-9)
        else:
            assert score.composite is None
        assert score.missing == tuple(i.name for i in score.indicators if i.score is None)
        reds = sum(1 for i in available if i.score >= a["Red gauge score"])  # type: ignore[operator]
        assert score.red_count == reds
        if reds >= a["Reds for bubble"]:
            assert score.label == "Bubble"
        elif score.composite is None:
            assert score.label == "No data"
        elif score.composite >= a["Bubble score"]:
            assert score.label == "Bubble"
        elif score.composite >= a["Boom score"]:
            assert score.label == "Boom"
        else:
            assert score.label == "Healthy"


@SETTINGS
@given(specs())
def test_series_identities(spec: dict[str, Any]) -> None:
    """Sector = sum of the in-sector companies for every additive measure; cumulative = cumsum; revenue =
    organic + recycled; CF = margin·revenue − AI capex − outflows; CF − organic CF = margin·recycled; AI capex ≤ capex; discounted
    CF = CF/(1+r)^t; deal money is conserved (paid out = received = paid within horizon)."""
    results = compute(make_scenario(**spec))
    margins = np.array([spec["revenue"][c]["cash_margin"] for c in results.companies])
    _assert_identities(results, margins)


def _margins(scenario: Any, companies: tuple[str, ...]) -> np.ndarray:
    by_company = dict(zip(scenario.revenue.column_values("company"), scenario.revenue.column_values("cash_margin"),
                          strict=True))
    return np.array([by_company[c] for c in companies], dtype=float)


@pytest.mark.parametrize("which", ["bundled", "generated"])
def test_series_identities_on_real_sized_scenarios(which: str) -> None:
    """The same identities on the bundled default scenario and on a generated 40 x 15 x 120 one."""
    if which == "bundled":
        scenario = default_scenario()
    else:
        from bench.generate import generate
        scenario = generate(40, 15, 120, seed=3)
    results = compute(scenario)
    _assert_identities(results, _margins(scenario, results.companies))
    for summary in results.summaries:
        assert summary.score.composite is None or -1e-9 <= summary.score.composite <= 100 + 1e-9


def _assert_identities(results: Results, margins: np.ndarray) -> None:
    s = results.series
    n = len(results.companies)
    members = np.array([results.summaries[i].in_sector for i in range(n)], dtype=bool)
    for m in ADDITIVE:
        assert s[m].shape == (n + 1, len(results.years)), m
        np.testing.assert_allclose(s[m][-1], s[m][:n][members].sum(axis=0), rtol=1e-12, atol=1e-9, err_msg=m)
    for cumulative, base in (("cumulative_cash_flow", "cash_flow"),
                             ("cumulative_discounted_cash_flow", "discounted_cash_flow"),
                             ("cumulative_organic_cash_flow", "organic_cash_flow")):
        np.testing.assert_allclose(s[cumulative], np.cumsum(s[base], axis=1), rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(s["revenue"], s["organic_revenue"] + s["recycled_revenue"], rtol=1e-12, atol=1e-12)
    margin = margins[:, None]
    np.testing.assert_allclose(s["cash_flow"][:n], margin * s["revenue"][:n] - s["ai_capex"][:n]
                               - s["investment_outflows"][:n], rtol=1e-12, atol=1e-9)
    assert (s["ai_capex"] <= s["capex"] + 1e-12).all()
    np.testing.assert_allclose((s["cash_flow"] - s["organic_cash_flow"])[:n], margin * s["recycled_revenue"][:n],
                               rtol=1e-9, atol=1e-9)
    rate = results.assumptions["Discount rate"]
    np.testing.assert_allclose(s["discounted_cash_flow"],
                               s["cash_flow"] / (1 + rate) ** np.arange(len(results.years)), rtol=1e-12, atol=1e-12)
    paid = sum(d.paid_within_horizon for d in results.deals.deals)
    total = max(1.0, paid)
    assert s["investment_outflows"][:n].sum() == pytest.approx(paid, rel=1e-12, abs=1e-9 * total)
    assert s["funding_received"][:n].sum() == pytest.approx(paid, rel=1e-12, abs=1e-9 * total)
    recycled = sum(d.recycled_revenue for d in results.deals.deals)
    assert s["recycled_revenue"][:n].sum() == pytest.approx(recycled, rel=1e-12, abs=1e-9 * total)


def _one_sign_change(values: np.ndarray) -> bool:
    signs = np.sign(values[values != 0])
    return signs.size > 1 and int((np.diff(signs) != 0).sum()) == 1


@SETTINGS
@given(specs())
def test_npv_and_irr_on_the_compute_path_match_numpy_financial(spec: dict[str, Any]) -> None:
    """EntityResult.npv = npf.npv(rate, cash_flow), organic_npv likewise; irr = npf.irr where the cash flow
    changes sign exactly once (a unique IRR) and npf finds it."""
    results = compute(make_scenario(**spec))
    rate = results.assumptions["Discount rate"]
    for i, summary in enumerate(results.summaries):
        cf, ocf = results.series["cash_flow"][i], results.series["organic_cash_flow"][i]
        scale = 1e-9 * max(1.0, float(np.abs(cf).sum()))
        assert summary.npv == pytest.approx(npf.npv(rate, cf), rel=1e-9, abs=scale)
        assert summary.organic_npv == pytest.approx(npf.npv(rate, ocf), rel=1e-9, abs=scale)
        if _one_sign_change(cf):
            expected = npf.irr(cf)
            if not math.isnan(expected):
                assert summary.irr == pytest.approx(expected, rel=1e-9, abs=1e-9)
        elif cf.max() <= 0 or cf.min() >= 0:
            assert summary.irr is None


@settings(max_examples=25, deadline=None)
@given(specs())
def test_compute_is_deterministic(spec: dict[str, Any]) -> None:
    scenario = make_scenario(**spec)
    assert compute(scenario).to_dict() == compute(scenario).to_dict()


def test_less_capex_never_gives_a_later_payback_through_compute() -> None:
    """A: revenue 40 flat at 50% margin (20 of cash a year), horizon 2031, capex 30 in 2024 and 130 in 2026.
    CF = [-10, 20, -110, 20, 20, 20, 20, 20]; cumulative -10, +10, -100, -80, -60, -40, -20, 0.
    A first-crossing rule answers 1 + 10/20 = 1.5 years (a break-even lost in 2026); the money is back only at
    the end of 2031 (8.0 years, the model's answer). Cut 2024 capex to 20: CF [0, 20, -110, 20 ...], cumulative
    0, 20, -90, ..., -10, +10 -> 7 + 10/20 = 7.5 years by either rule. The first-crossing rule would give less
    capex a payback 6 years later; the model's last crossing gives it an earlier one (7.5 <= 8.0)."""
    def payback(capex_2024: float) -> float | None:
        s = make_scenario(capex={"A": {2024: capex_2024, 2026: 130.0}},
                          revenue={"A": {"base_year": 2024, "base_revenue": 40.0, "cash_margin": 0.5}},
                          assumptions={"Horizon end": 2031, "Terminal growth": 0.0})
        return compute(s).entity("A").payback.years
    assert payback(30.0) == pytest.approx(8.0, abs=1e-12)
    assert payback(20.0) == pytest.approx(7.5, abs=1e-12)
