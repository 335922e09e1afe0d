"""The deals between companies: the cash they move, the revenue that comes back, and the cycles they form.

A deal pays ``amount`` from the investor to the investee, spread evenly over ``spread years`` from its year; the
investee spends ``recycled share`` of it back with the investor, booked as the investor's *recycled* revenue in the
same years. Paying a customer $10B to buy $10B of your chips therefore returns only margin × $10B of cash.
"""

from __future__ import annotations

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
    all_recs = list(table.records())
    rows = [i for i, r in enumerate(all_recs) if r["investor"] in index and r["investee"] in index]
    recs = [all_recs[i] for i in rows]
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
    C buys from A). A deal lies on some cycle exactly when both parties sit in one strongly connected component
    (networkx), which is exact whatever the listing below leaves out.
    """
    graph = nx.DiGraph()
    live = amount > 0
    graph.add_edges_from(zip(investor[live].tolist(), investee[live].tolist(), strict=True))
    back = live & (share > 0)
    graph.add_edges_from(zip(investee[back].tolist(), investor[back].tolist(), strict=True))
    component: dict[int, int] = {}
    for k, nodes in enumerate(nx.strongly_connected_components(graph)):
        for node in nodes:
            component[node] = k
    same = np.array([live[j] and component.get(int(investor[j])) == component.get(int(investee[j]))
                     for j in range(len(investor))], dtype=bool)
    adjacency = {u: sorted(v for v in graph.successors(u) if component[v] == component[u]) for u in graph}
    found, truncated = shortest_cycles(adjacency, MAX_CYCLE_LENGTH, MAX_CYCLES)
    named = sorted((tuple(companies[c] for c in cycle) for cycle in found), key=lambda c: (len(c), c))
    return tuple(named), truncated, same


MAX_SEARCH_STEPS = 200_000


def shortest_cycles(adjacency: dict[int, list[int]], max_length: int, max_count: int
                    ) -> tuple[list[tuple[int, ...]], bool]:
    """Every simple cycle of at most ``max_length`` nodes, shortest first, up to ``max_count`` of them.

    Each cycle is found once, from its smallest node, by a depth-first search over larger nodes only, one length
    at a time (so a cut keeps the shortest cycles). ``truncated`` is True when cycles were left out: the count was
    reached or the search used up MAX_SEARCH_STEPS (which bounds the time on dense graphs).
    """
    found: list[tuple[int, ...]] = []
    steps = 0
    for length in range(2, max_length + 1):
        for start in sorted(adjacency):
            # Paths start, n1, ..., n_{length-1}, each n_i > start, then an edge back to start.
            stack: list[tuple[int, tuple[int, ...]]] = [(start, (start,))]
            while stack:
                node, path = stack.pop()
                steps += 1
                if steps > MAX_SEARCH_STEPS:
                    return found, True
                if len(path) == length:
                    if start in adjacency[node]:
                        found.append(path)
                        if len(found) > max_count:
                            return found[:max_count], True
                    continue
                for nxt in reversed(adjacency[node]):
                    if nxt > start and nxt not in path:
                        stack.append((nxt, path + (nxt,)))
    return found, False
