"""Small scenarios for tests, written as dicts and turned into correctly ordered ``Table`` rows.

    make_scenario(
        capex={"A": {2024: 100.0, 2025: 50.0}},
        revenue={"A": {"base_year": 2024, "base_revenue": 40.0, "cash_margin": 0.5, "growth": {2025: 0.1}}},
        deals=[{"investor": "A", "investee": "B", "year": 2025, "amount": 10.0, "recycled_share": 1.0}],
        assumptions={"Horizon end": 2030, "Terminal growth": 0.0},
    )

Every row is laid out by ``SheetSchema.layout(years)``, the same way the importer lays it out, so the model reads
the values the test wrote and nothing else. Unset columns take the schema's defaults.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from model.core import schema
from model.core.scenario import Scenario, Table


def table(sheet: str, records: Iterable[Mapping[str, Any]], years: Sequence[int] = ()) -> Table:
    """A Table of ``sheet`` with one row per record (column key -> value; year columns keyed by the int year)."""
    years = tuple(sorted(set(years)))
    empty = Table(sheet, years)
    rows = []
    for rec in records:
        rec = {str(k): v for k, v in rec.items()}
        unknown = set(rec) - set(empty.keys)
        if unknown:
            raise KeyError(f"{sheet} has no column(s) {sorted(unknown)}")
        rows.append(tuple(rec.get(c.key, c.default) for c in empty.columns))
    return Table(sheet, years, tuple(rows))


def capex_table(capex: Mapping[str, Mapping[int, float]], in_sector: Mapping[str, bool] | None = None,
                ai_share: Mapping[str, float] | None = None) -> Table:
    years = sorted({y for by_year in capex.values() for y in by_year})
    in_sector = in_sector or {}
    ai_share = ai_share or {}
    records = []
    for company, by_year in capex.items():
        rec: dict[str, Any] = {"company": company, "in_sector": in_sector.get(company, True),
                               "ai_share": ai_share.get(company), "source": "test"}
        rec.update({str(y): float(v) for y, v in by_year.items()})
        records.append(rec)
    return table("Capex", records, years)


def revenue_table(revenue: Mapping[str, Mapping[str, Any]]) -> Table:
    """``revenue``: company -> {base_year, base_revenue, cash_margin, growth: {year: g}} (growth optional)."""
    years = sorted({y for spec in revenue.values() for y in spec.get("growth", {})})
    records = []
    for company, spec in revenue.items():
        rec: dict[str, Any] = {"company": company, "base_year": int(spec["base_year"]),
                               "base_revenue": float(spec["base_revenue"]),
                               "cash_margin": float(spec["cash_margin"]), "source": "test"}
        rec.update({str(y): float(g) for y, g in spec.get("growth", {}).items()})
        records.append(rec)
    return table("Revenue", records, years)


def deals_table(deals: Iterable[Mapping[str, Any]]) -> Table:
    """Each deal: investor, investee, year, amount; optional kind (default equity), recycled_share, spread_years,
    status, source, note."""
    records = []
    for d in deals:
        rec = {"kind": "equity", "recycled_share": 0.0, "spread_years": 1.0, "status": "closed", "source": "test"}
        rec.update(d)
        records.append(rec)
    return table("Investments", records)


# The small scenarios' hand-worked oracles count single vintages on their growth path: their build-out stops after
# its last Capex column and revenue follows the path, unless a test says otherwise (the template's defaults keep
# the fleet and bound revenue by capacity: "Keep fleet" 1, "Revenue bound" 1).
BUILDER_DEFAULTS = {"Keep fleet": 0.0, "Revenue bound": 0.0}


def assumptions_table(overrides: Mapping[str, float] | None = None) -> Table:
    """Every assumption the model reads, at its default (the stopping build-out of BUILDER_DEFAULTS) unless
    overridden (by exact name)."""
    overrides = {**BUILDER_DEFAULTS, **(overrides or {})}
    known = {a.name for a in schema.ASSUMPTIONS}
    unknown = set(overrides) - known
    if unknown:
        raise KeyError(f"not an assumption: {sorted(unknown)}")
    rows = [{"name": a.name, "value": overrides.get(a.name, a.default), "unit": a.unit, "source": "test"}
            for a in schema.ASSUMPTIONS]
    return table("Assumptions", rows)


def market_table(rows: Iterable[Mapping[str, Any]]) -> Table:
    """Each row: input, year, value; optional company (blank for market-wide), unit, source."""
    return table("Market", ({"source": "test", **r} for r in rows))


def thresholds_table(rows: Iterable[tuple[str, float, float, float]] | None = None) -> Table:
    """(indicator, healthy, bubble, weight) rows; by default the brief's calibration (schema defaults)."""
    if rows is None:
        return Table("Thresholds", rows=schema.default_threshold_rows())
    return table("Thresholds", ({"indicator": n, "healthy": h, "bubble": b, "weight": w, "source": "test"}
                                for n, h, b, w in rows))


def make_scenario(capex: Mapping[str, Mapping[int, float]] | None = None,
                  revenue: Mapping[str, Mapping[str, Any]] | None = None,
                  deals: Iterable[Mapping[str, Any]] = (),
                  assumptions: Mapping[str, float] | None = None,
                  market: Iterable[Mapping[str, Any]] = (),
                  thresholds: Iterable[tuple[str, float, float, float]] | None = None,
                  in_sector: Mapping[str, bool] | None = None,
                  name: str = "Test",
                  ai_share: Mapping[str, float] | None = None) -> Scenario:
    return Scenario(
        capex=capex_table(capex or {}, in_sector, ai_share),
        revenue=revenue_table(revenue or {}),
        investments=deals_table(deals),
        assumptions=assumptions_table(assumptions),
        market=market_table(market),
        thresholds=thresholds_table(thresholds),
        name=name,
    )


def flat_company(base_year: int, base_revenue: float, cash_margin: float,
                 growth: Mapping[int, float] | None = None) -> dict[str, Any]:
    """A Revenue spec: shorthand for the dict ``make_scenario`` takes."""
    return {"base_year": base_year, "base_revenue": base_revenue, "cash_margin": cash_margin,
            "growth": dict(growth or {})}
