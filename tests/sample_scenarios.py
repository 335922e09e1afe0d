"""Small scenarios built from tables, for tests that must not depend on the bundled template."""

from __future__ import annotations

import numpy as np

from model.core.scenario import Scenario, Table, blank_scenario

COMPANIES = ("Amazon", "Microsoft", "Alphabet", "Meta", "Oracle", "OpenAI")
YEARS = (2024, 2025, 2026, 2027, 2028)


def sample_scenario() -> Scenario:
    """Five hyperscalers and OpenAI, a few circular deals; every row sourced as a test fixture."""
    capex_rows = []
    revenue_rows = []
    for k, name in enumerate(COMPANIES):
        in_sector = name != "OpenAI"
        base = 20.0 + 12.0 * k
        capex = tuple(round(base * 1.15**t, 1) for t in range(len(YEARS)))
        capex_rows.append((name, in_sector, 1.0, *capex, "test fixture"))
        growth = tuple(round(0.6 - 0.08 * t, 2) for t in range(len(YEARS)))
        revenue_rows.append((name, 2024, 12.0 + 6.0 * k - (8.0 if k == 2 else 0.0), 0.6 - 0.02 * k, *growth, "test fixture"))
    deals = (
        ("Microsoft", "OpenAI", 2024, 13.0, "equity", 0.8, 3.0, "closed", "test fixture", None),
        ("Amazon", "OpenAI", 2025, 10.0, "vendor financing", 0.9, 2.0, "in talks", "test fixture", None),
        ("OpenAI", "Oracle", 2026, 60.0, "compute commitment", 0.0, 5.0, "announced", "test fixture", None),
        ("Oracle", "Meta", 2025, 5.0, "debt", 0.2, 1.0, "announced", "test fixture", None),
    )
    market = (
        ("Operating cash flow", "Amazon", 2025, 140.0, "$B", "test fixture"),
        ("Operating cash flow", "Microsoft", 2025, 150.0, "$B", "test fixture"),
        ("Debt raised", "Meta", 2025, 30.0, "$B", "test fixture"),
        ("Forward P/E of AI leaders", None, 2025, 32.0, "x", "test fixture"),
        ("Top-7 share of S&P 500", None, 2025, 0.35, "%", "test fixture"),
    )
    base = blank_scenario()
    return Scenario(
        capex=Table("Capex", YEARS, tuple(capex_rows)),
        revenue=Table("Revenue", YEARS, tuple(revenue_rows)),
        investments=Table("Investments", (), deals),
        assumptions=base.assumptions,
        market=Table("Market", (), market),
        thresholds=base.thresholds,
        name="Test",
    )


def large_scenario(companies: int = 500, years: int = 30, deals: int = 2000, seed: int = 1) -> Scenario:
    """A scenario the size of the stress benchmark, random but valid."""
    rng = np.random.default_rng(seed)
    names = tuple(f"Company {i:03d}" for i in range(companies))
    year_range = tuple(range(2020, 2020 + years))
    capex = rng.uniform(0.5, 50.0, (companies, years)).round(1)
    capex_rows = tuple((n, bool(i % 3), 1.0, *map(float, capex[i]), "generated") for i, n in enumerate(names))
    growth = rng.uniform(0.0, 0.5, (companies, years)).round(3)
    revenue_rows = tuple((n, 2020, float(rng.uniform(1, 40)), float(rng.uniform(0.2, 0.7)), *map(float, growth[i]),
                          "generated") for i, n in enumerate(names))
    kinds = ("equity", "debt", "vendor financing", "compute commitment", "cloud credits")
    seen = set()
    deal_rows = []
    while len(deal_rows) < deals:
        a, b = rng.integers(0, companies, 2)
        year = int(rng.integers(2020, 2020 + years))
        kind = kinds[int(rng.integers(0, len(kinds)))]
        if a == b or (a, b, year, kind) in seen:
            continue
        seen.add((a, b, year, kind))
        deal_rows.append((names[a], names[b], year, round(float(rng.uniform(0.1, 20)), 1), kind,
                          round(float(rng.uniform(0, 0.8)), 2), float(rng.integers(1, 5)), "announced", "generated", None))
    base = blank_scenario()
    assumptions = base.assumptions
    horizon_row = [i for i, r in enumerate(assumptions.rows) if r[0] == "Horizon end"][0]
    assumptions = assumptions.with_cell(horizon_row, "value", 2020 + years + 5)
    score_row = [i for i, r in enumerate(assumptions.rows) if r[0] == "Score year"][0]
    assumptions = assumptions.with_cell(score_row, "value", 2025)
    return Scenario(
        capex=Table("Capex", year_range, capex_rows),
        revenue=Table("Revenue", year_range, revenue_rows),
        investments=Table("Investments", (), tuple(deal_rows)),
        assumptions=assumptions,
        market=Table("Market", (), ()),
        thresholds=base.thresholds,
        name="Large",
    )
