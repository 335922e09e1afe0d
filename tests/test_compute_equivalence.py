"""Invariants the fast paths of compute() rely on: the deal graph's cycle flags are mutual reachability (on
graphs of any size and shape), and a series' IRR does not depend on the other series solved beside it."""

from __future__ import annotations

from collections import deque
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.core import finance
from model.core.deals import analyse_deals
from tests.scenario_builders import deals_table

SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _reaches(successors: dict[int, set[int]], start: int, goal: int) -> bool:
    seen, todo = {start}, deque([start])
    while todo:
        node = todo.popleft()
        if node == goal:
            return True
        for nxt in successors.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


@st.composite
def deal_graphs(draw: st.DrawFn) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
    """2-14 companies and up to 40 deals between them, some of zero amount (no money moves), some recycled."""
    n = draw(st.integers(min_value=2, max_value=14))
    names = tuple(f"C{i}" for i in range(n))
    deals, seen = [], set()
    for _ in range(draw(st.integers(min_value=0, max_value=40))):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        year = draw(st.integers(2024, 2026))
        if a == b or (a, b, year) in seen:
            continue
        seen.add((a, b, year))
        deals.append({"investor": names[a], "investee": names[b], "year": year,
                      "amount": draw(st.sampled_from([0.0, 1.0, 5.0])),
                      "recycled_share": draw(st.sampled_from([0.0, 0.0, 0.5]))})
    return names, deals


@SETTINGS
@given(deal_graphs())
def test_in_cycle_is_mutual_reachability(graph: tuple[tuple[str, ...], list[dict[str, Any]]]) -> None:
    """A deal is in_cycle exactly when money moves (amount > 0) and its investee reaches back to its investor,
    through funding (investor → investee) and purchases back (investee → investor, recycled share > 0)."""
    names, deals = graph
    flows = analyse_deals(deals_table(deals), names, 2024, 2026, np.zeros((len(names), 3)))
    successors: dict[int, set[int]] = {}
    for d in deals:
        a, b = names.index(d["investor"]), names.index(d["investee"])
        if d["amount"] > 0:
            successors.setdefault(a, set()).add(b)
            if d["recycled_share"] > 0:
                successors.setdefault(b, set()).add(a)
    expected = [d["amount"] > 0 and _reaches(successors, names.index(d["investee"]), names.index(d["investor"]))
                for d in deals]
    assert [f.in_cycle for f in flows.analysis.deals] == expected


def test_in_cycle_on_a_long_chain_and_a_long_ring() -> None:
    """3,000 companies funding the next one: no deal is on a cycle; one more deal closing the ring puts every
    deal on one (a search that recursed once per company would hit Python's recursion limit)."""
    n = 3000
    names = tuple(f"C{i}" for i in range(n))
    chain = [{"investor": names[i], "investee": names[i + 1], "year": 2024, "amount": 1.0} for i in range(n - 1)]
    flows = analyse_deals(deals_table(chain), names, 2024, 2024, np.zeros((n, 1)))
    assert not any(f.in_cycle for f in flows.analysis.deals)
    ring = chain + [{"investor": names[-1], "investee": names[0], "year": 2024, "amount": 1.0}]
    flows = analyse_deals(deals_table(ring), names, 2024, 2024, np.zeros((n, 1)))
    assert all(f.in_cycle for f in flows.analysis.deals)


def test_irr_of_a_series_does_not_depend_on_the_series_beside_it() -> None:
    """irr_rows solves many series at once (bisection side by side, polynomial roots in batches of one
    degree): each answer is bit for bit the one of irr() on that series alone. The batch holds series with one
    sign change and with several, zeros that lower the polynomial's degree, no IRR at all, and a series whose
    roots cannot be computed (its companion matrix overflows) in the same batch as good ones."""
    rng = np.random.default_rng(7)
    rows = [rng.normal(size=8) for _ in range(60)]                              # mostly several sign changes
    rows += [np.concatenate([[-100.0], rng.uniform(5, 40, size=7)]) for _ in range(10)]   # one sign change
    for k in range(10):                                                         # lower degree: zeros at the ends
        row = rng.normal(size=8)
        row[: k % 3] = 0.0
        row[8 - k % 4:] = 0.0
        rows.append(row)
    rows.append(np.array([-1.0, 3.0, -3.0, 1.0, 0.0, 0.0, 0.0, 0.0]))           # a triple root at x = 1
    rows.append(np.full(8, 2.0))                                                # no sign change: no IRR
    rows.append(np.array([1e300, -1e300, 1e300, -1e300, 1e300, -1e300, 1e300, 1e-300]))   # roots overflow
    values = np.array(rows)
    together = finance.irr_rows(values)
    alone = [finance.irr(row) for row in values]
    assert [None if r is None else r.hex() for r in together] == [None if r is None else r.hex() for r in alone]
    assert alone[-1] is None and alone[-2] is None
    assert sum(r is not None for r in alone) > 40
