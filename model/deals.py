"""The deals between companies: the cash they move, the revenue that comes back, and the cycles they form.

A deal pays ``amount`` from the investor to the investee, spread evenly over ``spread years`` from its year; the
investee spends ``recycled share`` of it back with the investor, booked as the investor's *recycled* revenue in the
same years. Paying a customer $10B to buy $10B of your chips therefore returns only margin × $10B of cash.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import networkx as nx
import numpy as np
import numpy.typing as npt

from model import schema
from model.results import DealAnalysis, DealFlow
from model.scenario import Table

Matrix = npt.NDArray[np.float64]
MAX_CYCLE_LENGTH = 6
MAX_CYCLES = 200
_EXTERNAL = {k.name for k in schema.DEAL_KINDS if k.external_financing}


@dataclass(frozen=True)
class DealFlows:
    outflows: Matrix             # (companies, years): paid by each investor
    recycled_revenue: Matrix     # booked by each investor as revenue
    funding_received: Matrix     # received by each investee
    external_financing: Matrix   # the debt-like part of funding received (debt, vendor financing)
    analysis: DealAnalysis


def analyse_deals(table: Table, companies: tuple[str, ...], first_year: int, last_year: int,
                  organic_revenue: Matrix) -> DealFlows:
    index = {c: i for i, c in enumerate(companies)}
    n, n_years = len(companies), last_year - first_year + 1
    recs = [r for r in table.records() if r["investor"] in index and r["investee"] in index]
    rows = [i for i, r in enumerate(table.records()) if r["investor"] in index and r["investee"] in index]
    m = len(recs)
    investor = np.fromiter((index[r["investor"]] for r in recs), dtype=np.int64, count=m)  # type: ignore[index]
    investee = np.fromiter((index[r["investee"]] for r in recs), dtype=np.int64, count=m)  # type: ignore[index]
    start = np.fromiter((max(int(r["year"]), first_year) - first_year for r in recs),  # type: ignore[call-overload]
                        dtype=np.int64, count=m)
    amount = np.fromiter((float(r["amount"]) for r in recs), dtype=float, count=m)  # type: ignore[arg-type]
    share = np.fromiter((float(r["recycled_share"] or 0.0) for r in recs), dtype=float, count=m)  # type: ignore[arg-type]
    spread = np.fromiter((float(r["spread_years"] or 1.0) for r in recs), dtype=float, count=m)  # type: ignore[arg-type]
    external = np.fromiter((r["kind"] in _EXTERNAL for r in recs), dtype=bool, count=m)

    outflows = np.zeros((n, n_years))
    recycled = np.zeros((n, n_years))
    received = np.zeros((n, n_years))
    external_m = np.zeros((n, n_years))
    paid_in_horizon = np.zeros(m)
    max_spread = int(math.ceil(spread.max())) if m else 0
    for k in range(max_spread):
        weight = np.clip(spread - k, 0.0, 1.0) / spread   # even spread; a fractional last year gets its fraction
        t = start + k
        ok = (weight > 0) & (t < n_years)
        if not ok.any():
            continue
        paid = amount[ok] * weight[ok]
        paid_in_horizon[ok] += paid
        np.add.at(outflows, (investor[ok], t[ok]), paid)
        np.add.at(recycled, (investor[ok], t[ok]), paid * share[ok])
        np.add.at(received, (investee[ok], t[ok]), paid)
        ext = ok & external
        np.add.at(external_m, (investee[ext], t[ext]), amount[ext] * weight[ext])

    cycles, truncated, same_component = _cycles(companies, investor, investee, amount, share)
    flows = tuple(
        DealFlow(row=rows[j], investor=str(r["investor"]), investee=str(r["investee"]), year=int(r["year"]),  # type: ignore[call-overload]
                 amount=float(amount[j]), kind=str(r["kind"]), recycled_share=float(share[j]),
                 spread_years=float(spread[j]), status=str(r["status"] or ""),
                 paid_within_horizon=float(paid_in_horizon[j]),
                 recycled_revenue=float(paid_in_horizon[j] * share[j]), in_cycle=bool(same_component[j]))
        for j, r in enumerate(recs)
    )
    total_recycled = recycled.sum(axis=1)
    total_revenue = organic_revenue.sum(axis=1) + total_recycled
    shares = {companies[i]: float(total_recycled[i] / total_revenue[i])
              for i in np.flatnonzero(total_recycled > 0) if total_revenue[i] > 0}
    return DealFlows(outflows, recycled, received, external_m,
                     DealAnalysis(flows, cycles, truncated, shares))


def _cycles(companies: tuple[str, ...], investor: npt.NDArray[np.int64], investee: npt.NDArray[np.int64],
            amount: Matrix, share: Matrix) -> tuple[tuple[tuple[str, ...], ...], bool, npt.NDArray[np.bool_]]:
    """Cycles of money: funding runs investor → investee, purchases back run investee → investor.

    Each deal with a recycled share is a two-step cycle by itself; longer ones chain deals (A funds B, B funds C,
    C buys from A). Listed up to MAX_CYCLES cycles of at most MAX_CYCLE_LENGTH companies (Johnson's algorithm, as
    networkx implements it). A deal lies on some cycle exactly when both parties sit in one strongly connected
    component, which is exact whatever the listing cut.
    """
    graph = nx.DiGraph()
    live = amount > 0
    graph.add_edges_from(zip(investor[live].tolist(), investee[live].tolist(), strict=True))
    back = live & (share > 0)
    graph.add_edges_from(zip(investee[back].tolist(), investor[back].tolist(), strict=True))
    component = {}
    for k, nodes in enumerate(nx.strongly_connected_components(graph)):
        for node in nodes:
            component[node] = k
    same = np.array([live[j] and component.get(int(investor[j])) == component.get(int(investee[j]))
                     for j in range(len(investor))], dtype=bool)
    found = list(itertools.islice(nx.simple_cycles(graph, length_bound=MAX_CYCLE_LENGTH), MAX_CYCLES + 1))
    truncated = len(found) > MAX_CYCLES
    named = []
    for cycle in found[:MAX_CYCLES]:
        # Start each cycle at its first company in sheet order, so the listing is stable.
        start = min(range(len(cycle)), key=lambda k: cycle[k])
        rotated = cycle[start:] + cycle[:start]
        named.append(tuple(companies[c] for c in rotated))
    named.sort(key=lambda c: (len(c), c))
    return tuple(named), truncated, same
