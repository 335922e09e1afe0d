"""The deals between companies: the cash they move, the revenue that comes back, and the cycles they form.

A deal pays ``amount`` from the investor to the investee, spread evenly over ``spread years`` from its year; the
investee spends ``recycled share`` of it back with the investor, booked as the investor's *recycled* revenue in the
same years. Paying a customer $10B to buy $10B of your chips therefore returns only margin × $10B of cash.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from model.core import schema
from model.core.draws import Draws
from model.core.results import DealAnalysis, DealFlow
from model.core.scenario import Cell, Table

Matrix = npt.NDArray[np.float64]
MAX_CYCLE_LENGTH = 6
MAX_CYCLES = 200
_EXTERNAL = {k.name for k in schema.DEAL_KINDS if k.external_financing}
_COLUMNS = ("investor", "investee", "year", "amount", "kind", "recycled_share", "spread_years", "status")


@dataclass(frozen=True)
class DealFlows:
    outflows: Matrix             # (companies, years): paid by each investor
    recycled_revenue: Matrix     # booked by each investor as revenue
    funding_received: Matrix     # received by each investee
    external_financing: Matrix   # the debt-like part of funding received (debt, vendor financing)
    analysis: DealAnalysis


@dataclass(frozen=True)
class DealRows:
    """The deals the model reads — both parties are companies of the scenario — column by column."""

    rows: list[int]                     # row index in the Investments table
    deal: dict[str, list[Cell]]         # the cells of those rows, by column key
    investor: npt.NDArray[np.int64]     # company index
    investee: npt.NDArray[np.int64]
    start: npt.NDArray[np.int64]        # the first model year it pays in (a deal before the model starts: year 0)
    external: npt.NDArray[np.bool_]     # debt-like (counts as external financing of the investee)


def deal_rows(table: Table, companies: tuple[str, ...], first_year: int) -> DealRows:
    index = {c: i for i, c in enumerate(companies)}
    columns = {key: table.column_values(key) for key in _COLUMNS}
    rows = [i for i, (a, b) in enumerate(zip(columns["investor"], columns["investee"], strict=True))
            if a in index and b in index]
    deal = {key: [values[i] for i in rows] for key, values in columns.items()}   # the deals, column by column
    m = len(rows)
    return DealRows(
        rows, deal,
        np.fromiter((index[c] for c in deal["investor"]), dtype=np.int64, count=m),  # type: ignore[index]
        np.fromiter((index[c] for c in deal["investee"]), dtype=np.int64, count=m),  # type: ignore[index]
        np.fromiter((max(int(y), first_year) - first_year for y in deal["year"]),  # type: ignore[call-overload]
                    dtype=np.int64, count=m),
        np.fromiter((k in _EXTERNAL for k in deal["kind"]), dtype=bool, count=m))


@dataclass(frozen=True)
class DealCash:
    """The cash the deals move on each path: (paths, companies, years), and each deal's payments in the horizon."""

    outflows: Matrix
    recycled_revenue: Matrix
    funding_received: Matrix
    external_financing: Matrix
    paid_within_horizon: Matrix         # (paths, deals)


def deal_cash(d: DealRows, amount: Matrix, share: Matrix, spread: Matrix, n: int, n_years: int) -> DealCash:
    """Each deal's ``amount`` (paths, deals) paid evenly over ``spread`` years from its start (a fractional last
    year getting its fraction), ``share`` of each payment coming back to the investor as recycled revenue."""
    paths, m = amount.shape
    cells = n * n_years
    out = np.zeros((4, paths, cells))
    paid_in_horizon = np.zeros((paths, m))
    offset = (np.arange(paths) * cells)[:, None]

    def scatter(target: npt.NDArray[np.int64], values: Matrix) -> Matrix:
        index = (offset + target[None, :]).ravel()
        summed = np.bincount(index, weights=values.ravel(), minlength=paths * cells)
        return np.asarray(summed, dtype=np.float64).reshape(paths, cells)

    max_spread = int(math.ceil(spread.max())) if m else 0
    for k in range(max_spread):
        t = d.start + k
        inside = t < n_years
        if not inside.any():
            continue
        weight = np.clip(spread - k, 0.0, 1.0) / spread * inside    # even spread; none past the horizon
        paid = amount * weight
        paid_in_horizon += paid
        year = np.minimum(t, n_years - 1)
        by_investor, by_investee = d.investor * n_years + year, d.investee * n_years + year
        out[0] += scatter(by_investor, paid)
        out[1] += scatter(by_investor, paid * share)
        out[2] += scatter(by_investee, paid)
        out[3] += scatter(by_investee, paid * d.external)
    shaped = out.reshape(4, paths, n, n_years)
    return DealCash(shaped[0], shaped[1], shaped[2], shaped[3], paid_in_horizon)


def deal_numbers(table: Table, d: DealRows, draws: Draws) -> tuple[Matrix, Matrix, Matrix]:
    """(paths, deals) amount, recycled share (blank: 0) and spread years (blank or 0: 1) of the deals read."""
    amount = draws.column(table, "amount", 0.0)[:, d.rows]
    share = draws.column(table, "recycled_share", 0.0)[:, d.rows]
    spread = draws.column(table, "spread_years", 1.0)[:, d.rows]
    return amount, share, np.where(spread == 0, 1.0, spread)


def analyse_deals(table: Table, companies: tuple[str, ...], first_year: int, last_year: int,
                  organic_revenue: Matrix) -> DealFlows:
    """The deals' cash (the scenario as entered) and their analysis: cycles, payments, recycled shares."""
    n, n_years = len(companies), last_year - first_year + 1
    d = deal_rows(table, companies, first_year)
    numbers = deal_numbers(table, d, Draws())
    cash = deal_cash(d, *numbers, n, n_years)
    return DealFlows(cash.outflows[0], cash.recycled_revenue[0], cash.funding_received[0],
                     cash.external_financing[0], deal_analysis(companies, d, numbers, cash, organic_revenue))


def deal_analysis(companies: tuple[str, ...], d: DealRows, numbers: tuple[Matrix, Matrix, Matrix], cash: DealCash,
                  organic_revenue: Matrix) -> DealAnalysis:
    """Each deal's payments within the horizon and whether it lies on a cycle, the cycles, and each company's
    share of revenue that is recycled — on the first path of ``numbers`` and ``cash``."""
    amount, share, spread = (m[0] for m in numbers)
    paid_in_horizon = cash.paid_within_horizon[0]
    deal = d.deal
    cycles, truncated, same_component = _cycles(companies, d.investor, d.investee, amount, share)
    flows = tuple(
        DealFlow(row=row, investor=str(a), investee=str(b), year=int(year), amount=value, kind=str(kind),
                 recycled_share=recycled_share, spread_years=spread_years, status=str(status or ""),
                 paid_within_horizon=paid, recycled_revenue=recycled_paid, in_cycle=in_cycle)
        for row, a, b, year, value, kind, recycled_share, spread_years, status, paid, recycled_paid, in_cycle
        in zip(d.rows, deal["investor"], deal["investee"], deal["year"], amount.tolist(), deal["kind"],
               share.tolist(), spread.tolist(), deal["status"], paid_in_horizon.tolist(),
               (paid_in_horizon * share).tolist(), same_component.tolist(), strict=True)
    )
    total_recycled = cash.recycled_revenue[0].sum(axis=1)
    total_revenue = organic_revenue.sum(axis=1) + total_recycled
    shares = {companies[i]: float(total_recycled[i] / total_revenue[i])
              for i in np.flatnonzero(total_recycled > 0) if total_revenue[i] > 0}
    return DealAnalysis(flows, cycles, truncated, shares)


def _cycles(companies: tuple[str, ...], investor: npt.NDArray[np.int64], investee: npt.NDArray[np.int64],
            amount: Matrix, share: Matrix) -> tuple[tuple[tuple[str, ...], ...], bool, npt.NDArray[np.bool_]]:
    """Cycles of money: funding runs investor → investee, purchases back run investee → investor.

    Each deal with a recycled share is a two-step cycle by itself; longer ones chain deals (A funds B, B funds C,
    C buys from A). A deal lies on some cycle exactly when both parties sit in one strongly connected
    component, which is exact whatever the listing below leaves out.
    """
    live = amount > 0
    back = live & (share > 0)
    successors: dict[int, set[int]] = {}
    for u, v in zip(np.concatenate([investor[live], investee[back]]).tolist(),
                    np.concatenate([investee[live], investor[back]]).tolist(), strict=True):
        successors.setdefault(u, set()).add(v)
        successors.setdefault(v, set())
    component = strongly_connected_components(successors)
    # Both parties of a live deal are nodes of the graph; a company with no live deal is in no component (-1).
    component_of = np.full(len(companies), -1, dtype=np.int64)
    component_of[list(component)] = list(component.values())
    same = live & (component_of[investor] == component_of[investee])
    adjacency = {u: sorted(v for v in vs if component[v] == component[u]) for u, vs in successors.items()}
    found, truncated = shortest_cycles(adjacency, MAX_CYCLE_LENGTH, MAX_CYCLES)
    named = sorted((tuple(companies[c] for c in cycle) for cycle in found), key=lambda c: (len(c), c))
    return tuple(named), truncated, same


def strongly_connected_components(successors: dict[int, set[int]]) -> dict[int, int]:
    """Each node's strongly connected component, numbered from 0: Tarjan's algorithm, iterative (no recursion
    limit on long chains). ``successors`` holds every node as a key, with the nodes its edges lead to."""
    order: dict[int, int] = {}      # node -> its visit number
    low: dict[int, int] = {}        # node -> the lowest visit number reachable from it through its subtree
    component: dict[int, int] = {}
    stack: list[int] = []           # visited nodes not yet given a component, in visit order
    n_components = 0
    for root in successors:
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack.append(root)
        work = [(root, iter(successors[root]))]
        while work:
            node, todo = work[-1]
            for nxt in todo:
                if nxt not in order:                        # a tree edge: visit nxt, then come back to node
                    order[nxt] = low[nxt] = len(order)
                    stack.append(nxt)
                    work.append((nxt, iter(successors[nxt])))
                    break
                if nxt not in component:                    # nxt is still on the stack: same component
                    low[node] = min(low[node], order[nxt])
            else:                                           # every edge of node is done
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == order[node]:                # node is the root of a component: pop it
                    while True:
                        member = stack.pop()
                        component[member] = n_components
                        if member == node:
                            break
                    n_components += 1
    return component


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
