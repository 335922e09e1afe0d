"""Deal analysis: payment schedules, recycled revenue, cycles of money, in_cycle flags, recycled share."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from model.core.compute import compute
from model.core.deals import MAX_CYCLES, analyse_deals
from model.core.validation import validate
from tests.scenario_builders import deals_table, flat_company, make_scenario


def _scenario(deals: list[dict[str, Any]], companies: tuple[str, ...] = ("A", "B", "C"), horizon: int = 2026,
              base_revenue: float = 10.0):  # type: ignore[no-untyped-def]
    """Each company has capex 1 in 2024 and flat revenue (terminal growth 0), so the model runs 2024..horizon."""
    return make_scenario(
        capex={c: {2024: 1.0} for c in companies},
        revenue={c: flat_company(2024, base_revenue, 0.5) for c in companies},
        deals=[{"kind": "equity", **d} for d in deals],
        assumptions={"Horizon end": horizon, "Terminal growth": 0.0},
    )


def _deal(investor: str, investee: str, amount: float = 10.0, year: int = 2025, **extra: Any) -> dict[str, Any]:
    return {"investor": investor, "investee": investee, "year": year, "amount": amount, **extra}


def test_recycled_deal_is_a_two_company_cycle() -> None:
    """A funds B and B spends 50% back with A: money runs A → B → A. One cycle (A, B); the deal is in it."""
    r = compute(_scenario([_deal("A", "B", recycled_share=0.5)]))
    assert r.deals.cycles == (("A", "B"),)
    assert [d.in_cycle for d in r.deals.deals] == [True]
    assert not r.deals.cycles_truncated


def test_mutual_funding_is_a_two_company_cycle() -> None:
    """A funds B, B funds A (no recycled share): A → B → A."""
    r = compute(_scenario([_deal("A", "B"), _deal("B", "A")]))
    assert r.deals.cycles == (("A", "B"),)
    assert [d.in_cycle for d in r.deals.deals] == [True, True]
    assert r.deals.recycled_share_of_revenue == {}


def test_three_company_cycle_without_recycled_share() -> None:
    """A funds B, B funds C, C funds A: one cycle A → B → C → A, listed from A in flow order; every deal is on
    it; nobody books recycled revenue."""
    r = compute(_scenario([_deal("A", "B"), _deal("B", "C"), _deal("C", "A")]))
    assert r.deals.cycles == (("A", "B", "C"),)
    assert [d.in_cycle for d in r.deals.deals] == [True, True, True]
    assert r.deals.recycled_share_of_revenue == {}
    assert all(d.recycled_revenue == 0.0 for d in r.deals.deals)


def test_cycle_direction_is_the_flow_order() -> None:
    """A funds C, C funds B, B funds A: the cycle is A → C → B (not A, B, C)."""
    r = compute(_scenario([_deal("A", "C"), _deal("C", "B"), _deal("B", "A")]))
    assert r.deals.cycles == (("A", "C", "B"),)


def test_a_chain_has_no_cycle() -> None:
    """A funds B, B funds C, no recycled share: no money comes back. No cycle, no deal flagged."""
    r = compute(_scenario([_deal("A", "B"), _deal("B", "C")]))
    assert r.deals.cycles == ()
    assert [d.in_cycle for d in r.deals.deals] == [False, False]


def test_in_cycle_flags_only_the_deals_on_a_cycle() -> None:
    """A → B with 30% recycled is a cycle; C → A feeds it but nothing returns to C; a zero-amount B → C deal
    with a recycled share moves no money, so it forms no edge (and no B → C → B cycle).
    Flags: True, False, False. Cycles: only (A, B)."""
    r = compute(_scenario([_deal("A", "B", recycled_share=0.3), _deal("C", "A"),
                           _deal("B", "C", amount=0.0, recycled_share=1.0)]))
    assert [d.in_cycle for d in r.deals.deals] == [True, False, False]
    assert r.deals.cycles == (("A", "B"),)


def test_several_cycles_are_listed_shortest_first() -> None:
    """A ⇄ B (recycled) and A → B → C → A: cycles (A, B) and (A, B, C), the two-company one first."""
    r = compute(_scenario([_deal("A", "B", recycled_share=0.2), _deal("B", "C"), _deal("C", "A")]))
    assert r.deals.cycles == (("A", "B"), ("A", "B", "C"))


def test_recycled_share_of_revenue() -> None:
    """Years 2024-2026; A's organic revenue 10 a year -> 30 over the horizon.
    A → B, 2025, 20 with 50% recycled: A books 10 of recycled revenue. Share = 10 / (30 + 10) = 25%.
    B → C, 2025, 8 with 25% recycled: B books 2; B's share = 2 / (30 + 2) = 6.25%. C books none: absent."""
    r = compute(_scenario([_deal("A", "B", amount=20.0, recycled_share=0.5),
                           _deal("B", "C", amount=8.0, recycled_share=0.25)]))
    assert r.deals.recycled_share_of_revenue == pytest.approx({"A": 0.25, "B": 2 / 32})
    assert set(r.deals.recycled_share_of_revenue) == {"A", "B"}
    assert r.deals.cycles == (("A", "B"), ("B", "C"))


def test_fractional_spread_and_the_horizon_cut() -> None:
    """A → B, 2025, amount 10, spread 2.5 years, 100% recycled, horizon 2026.
    Even spread: 10/2.5 = 4 in 2025, 4 in 2026, the last half-year 0.5·4 = 2 in 2027 — past the horizon.
    Paid within the horizon: 8, recycled revenue 8. With horizon 2027 all 10 is paid: 4, 4, 2."""
    r = compute(_scenario([_deal("A", "B", spread_years=2.5, recycled_share=1.0)], horizon=2026))
    assert r.series_of("A", "investment_outflows").tolist() == pytest.approx([0, 4, 4])
    flow = r.deals.deals[0]
    assert (flow.paid_within_horizon, flow.recycled_revenue) == pytest.approx((8.0, 8.0))
    r = compute(_scenario([_deal("A", "B", spread_years=2.5, recycled_share=1.0)], horizon=2027))
    assert r.series_of("A", "investment_outflows").tolist() == pytest.approx([0, 4, 4, 2])
    assert r.series_of("A", "recycled_revenue").tolist() == pytest.approx([0, 4, 4, 2])
    assert r.series_of("B", "funding_received").tolist() == pytest.approx([0, 4, 4, 2])


def test_deal_before_the_first_year_is_counted_in_the_first_year_with_a_warning() -> None:
    """A deal dated 2022 in a model starting 2024 is paid in 2024 (and warned about at Investments!C2 [Year])."""
    s = _scenario([_deal("A", "B", year=2022)])
    warnings = [(p.sheet, p.cell, p.column) for p in validate(s) if p.severity == "warning"]
    assert ("Investments", "C2", "Year") in warnings
    r = compute(s)
    assert r.series_of("A", "investment_outflows").tolist() == [10.0, 0.0, 0.0]
    assert r.deals.deals[0].year == 2022


def test_external_financing_counts_debt_like_kinds_only() -> None:
    """B receives 5 of debt, 7 of vendor financing and 11 of equity in 2025: the debt-like part is 12.
    With B's capex 24 in 2025 and no Debt raised input, its External financing indicator = 12 / 24 = 50%."""
    s = make_scenario(
        capex={"A": {2024: 1.0}, "B": {2024: 1.0, 2025: 24.0}},
        revenue={"A": flat_company(2024, 10, 0.5), "B": flat_company(2024, 10, 0.5)},
        deals=[_deal("A", "B", 5.0, kind="debt"), _deal("A", "B", 7.0, kind="vendor financing"),
               _deal("A", "B", 11.0, kind="equity")],
        assumptions={"Horizon end": 2026, "Score year": 2025},
    )
    r = compute(s)
    assert r.value("B", "funding_received", 2025) == 23.0
    assert r.entity("B").score.indicator("External financing").value == pytest.approx(0.5)


def test_analyse_deals_directly_and_companies_outside_the_index_are_skipped() -> None:
    """analyse_deals on a table with a deal naming a company the model does not know: the deal is skipped
    (validation reports it), the other is kept and keeps its sheet row number."""
    table = deals_table([_deal("A", "Z"), _deal("A", "B", 6.0, recycled_share=0.5, year=2024)])
    flows = analyse_deals(table, ("A", "B"), 2024, 2025, np.array([[10.0, 10.0], [0.0, 0.0]]))
    assert [d.row for d in flows.analysis.deals] == [1]
    assert flows.outflows.tolist() == [[6.0, 0.0], [0.0, 0.0]]
    assert flows.recycled_revenue.tolist() == [[3.0, 0.0], [0.0, 0.0]]
    assert flows.analysis.recycled_share_of_revenue == {"A": 3.0 / 23.0}


def test_cycle_listing_is_capped_but_in_cycle_stays_exact() -> None:
    """Seven companies all funding each other: thousands of cycles of length <= 6. The listing stops at
    MAX_CYCLES and says so; every deal is still flagged in_cycle."""
    names = tuple("ABCDEFG")
    deals = [_deal(a, b) for a in names for b in names if a != b]
    r = compute(_scenario(deals, companies=names))
    assert len(r.deals.cycles) == MAX_CYCLES
    assert r.deals.cycles_truncated
    assert all(d.in_cycle for d in r.deals.deals)


def test_a_truncated_cycle_listing_keeps_the_shortest_cycles() -> None:
    """Seven companies all funding each other (42 deals). Cycles by length: 2 companies: C(7,2) = 21;
    3: C(7,3)·2 = 70; 4: C(7,4)·3! = 210; 5: C(7,5)·4! = 504; 6: C(7,6)·5! = 840. Cut at 200, the shortest
    are 21 + 70 = 91 cycles of 2 and 3 companies and 109 of 4. The model lists 1 of the 21 two-company
    cycles, and 116 six-company ones."""
    names = tuple("ABCDEFG")
    r = compute(_scenario([_deal(a, b) for a in names for b in names if a != b], companies=names))
    lengths = [len(c) for c in r.deals.cycles]
    assert r.deals.cycles_truncated and len(lengths) == MAX_CYCLES
    assert lengths.count(2) == 21 and lengths.count(3) == 70 and lengths.count(4) == MAX_CYCLES - 91
