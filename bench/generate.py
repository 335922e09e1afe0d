"""A large, seeded, deterministic scenario for benchmarks: N companies × Y years × D deals.

    from bench.generate import generate
    scenario = generate()                        # 500 companies × 30 years × 2,000 deals, seed 0
    scenario = generate(250, 30, 1000, seed=1)

The same arguments always give the same Scenario (``inputs_equal``). The shape mimics the real one: capex that
ramps up, AI revenue with a base year around 2025 and a growth column per year (some blank: terminal growth),
deals of every kind with recycled shares and multi-year spreads, per-company Operating cash flow and Debt raised,
market-wide gauges and the standard thresholds. It passes validation with no errors.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from model.core import schema  # noqa: E402
from model.core.scenario import Scenario, Table  # noqa: E402

FIRST_YEAR = 2024


def _rows(sheet: str, years: tuple[int, ...], records: list[dict[str, object]]) -> Table:
    empty = Table(sheet, years)
    cols = empty.columns
    return Table(sheet, years, tuple(tuple(rec.get(c.key, c.default) for c in cols) for rec in records))


def generate(n_companies: int = 500, n_years: int = 30, n_deals: int = 2000, seed: int = 0) -> Scenario:
    rng = np.random.default_rng(seed)
    years = tuple(range(FIRST_YEAR, FIRST_YEAR + n_years))
    horizon = years[-1]
    names = [f"Co{i:04d}" for i in range(n_companies)]

    # Capex: a ramp from a base level, with noise; some companies stop investing after a while.
    base = rng.lognormal(mean=2.5, sigma=1.0, size=n_companies)
    ramp = 1.0 + rng.uniform(0.0, 0.25, size=n_companies)
    stop = rng.integers(n_years // 3, n_years + 1, size=n_companies)
    t = np.arange(n_years)
    capex = base[:, None] * ramp[:, None] ** t[None, :] * rng.uniform(0.8, 1.2, size=(n_companies, n_years))
    capex[t[None, :] >= stop[:, None]] = 0.0
    in_sector = rng.random(n_companies) < 0.3
    capex_records: list[dict[str, object]] = []
    for i, name in enumerate(names):
        rec: dict[str, object] = {"company": name, "in_sector": bool(in_sector[i]), "ai_share": 1.0 - 0.1 * (i % 4),
                                  "source": "bench: generated"}
        rec.update({str(y): round(float(capex[i, k]), 3) for k, y in enumerate(years)})
        capex_records.append(rec)

    # Revenue: base year 2024-2026, growth per year (10% blank -> terminal growth).
    base_year = rng.integers(FIRST_YEAR, FIRST_YEAR + 3, size=n_companies)
    base_revenue = base * rng.uniform(0.1, 1.5, size=n_companies)
    margin = rng.uniform(0.2, 0.7, size=n_companies)
    growth = np.clip(rng.normal(0.25, 0.2, size=(n_companies, n_years)) * np.exp(-t / 12.0)[None, :], -0.5, 2.0)
    blank = rng.random((n_companies, n_years)) < 0.1
    revenue_records: list[dict[str, object]] = []
    for i, name in enumerate(names):
        rec = {"company": name, "base_year": int(base_year[i]), "base_revenue": round(float(base_revenue[i]), 3),
               "cash_margin": round(float(margin[i]), 4), "source": "bench: generated"}
        rec.update({str(y): (None if blank[i, k] else round(float(growth[i, k]), 4)) for k, y in enumerate(years)})
        revenue_records.append(rec)

    # Deals: distinct (investor, investee, year, kind) keys; a third with a recycled share.
    kinds = schema.DEAL_KIND_NAMES
    deal_records: list[dict[str, object]] = []
    seen: set[tuple[int, int, int, int]] = set()
    while len(deal_records) < n_deals:
        a, b = (int(x) for x in rng.integers(0, n_companies, size=2))
        year = int(rng.integers(FIRST_YEAR, horizon + 1))
        kind = int(rng.integers(0, len(kinds)))
        if a == b or (a, b, year, kind) in seen:
            continue
        seen.add((a, b, year, kind))
        deal_records.append({
            "investor": names[a], "investee": names[b], "year": year,
            "amount": round(float(rng.lognormal(1.5, 1.0)), 3), "kind": kinds[kind],
            "recycled_share": float(rng.choice([0.0, 0.0, 0.25, 0.5, 1.0])),
            "spread_years": float(rng.choice([1.0, 1.0, 2.0, 3.0, 4.5])),
            "status": "announced", "source": "bench: generated",
        })

    # Market: Operating cash flow and Debt raised per company for a few years; two market-wide gauges.
    market_records: list[dict[str, object]] = []
    for i, name in enumerate(names):
        for y in (2024, 2025, 2026):
            market_records.append({"input": schema.OPERATING_CASH_FLOW, "company": name, "year": y,
                                   "value": round(float(base[i] * rng.uniform(1.0, 3.0)), 3), "unit": "$B",
                                   "source": "bench: generated"})
        if rng.random() < 0.5:
            market_records.append({"input": schema.DEBT_RAISED, "company": name, "year": 2025,
                                   "value": round(float(base[i] * rng.uniform(0.0, 1.0)), 3), "unit": "$B",
                                   "source": "bench: generated"})
    for y in (2024, 2025):
        market_records.append({"input": "Forward P/E of AI leaders", "company": None, "year": y,
                               "value": 30.0 + y - 2024, "unit": "x", "source": "bench: generated"})
        market_records.append({"input": "Top-7 share of S&P 500", "company": None, "year": y,
                               "value": 0.33 + (y - 2024) / 100, "unit": "%", "source": "bench: generated"})

    assumptions = [{"name": a.name, "value": a.default, "unit": a.unit, "source": a.source}
                   for a in schema.ASSUMPTIONS]
    for rec in assumptions:
        if rec["name"] == "Horizon end":
            rec["value"] = horizon

    return Scenario(
        capex=_rows("Capex", years, capex_records),
        revenue=_rows("Revenue", years, revenue_records),
        investments=_rows("Investments", (), deal_records),
        assumptions=_rows("Assumptions", (), assumptions),
        market=_rows("Market", (), market_records),
        thresholds=Table("Thresholds", rows=schema.default_threshold_rows()),
        name=f"generated {n_companies}x{n_years}x{n_deals} seed {seed}",
    )


def small() -> Scenario:
    """The stand-in for the bundled scenario when model.defaults.scenario is missing: 10 × 12 × 15."""
    return generate(10, 12, 15, seed=0)


if __name__ == "__main__":
    s = generate()
    print(s.name, len(s.capex), "companies,", len(s.capex.years), "years,", len(s.investments), "deals,",
          len(s.market), "market rows")
