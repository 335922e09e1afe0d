"""What ``compute`` returns: immutable, plain numbers, ready for the window, the export and JSON."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from model.core.problems import Problem

SECTOR = "Sector"
NOT_WITHIN_HORIZON = "not within horizon"
NOTHING_TO_PAY_BACK = "nothing to pay back"

# Yearly measures held for every company and the sector: key -> (label, unit).
MEASURES: dict[str, tuple[str, str]] = {
    "organic_revenue": ("Organic AI revenue", "$B"),
    "recycled_revenue": ("Recycled AI revenue (from deals)", "$B"),
    "revenue": ("AI revenue (reported)", "$B"),
    "capex": ("AI capex", "$B"),
    "investment_outflows": ("Investments paid out", "$B"),
    "funding_received": ("Funding received from deals", "$B"),
    "cash_flow": ("Cash flow", "$B"),
    "cumulative_cash_flow": ("Cumulative cash flow", "$B"),
    "discounted_cash_flow": ("Discounted cash flow", "$B"),
    "cumulative_discounted_cash_flow": ("Cumulative discounted cash flow", "$B"),
    "organic_cash_flow": ("Organic cash flow", "$B"),
    "cumulative_organic_cash_flow": ("Cumulative organic cash flow", "$B"),
    "capital_charge": ("Capital charge", "$B"),
    "required_revenue": ("Required AI revenue", "$B"),
    "coverage": ("Coverage (revenue ÷ required)", "%"),
}


@dataclass(frozen=True)
class Payback:
    """Years from the start of the model's first year; ``years is None`` means not within the horizon.

    ``nothing_to_pay_back``: the cumulative cash flow is never negative (a counterparty with no capex), so the
    payback is 0 years but reads as what it is.
    """

    years: float | None
    first_year: int
    nothing_to_pay_back: bool = False

    @property
    def within_horizon(self) -> bool:
        return self.years is not None

    @property
    def calendar_year(self) -> float | None:
        return None if self.years is None else self.first_year + self.years

    def text(self) -> str:
        if self.years is None:
            return NOT_WITHIN_HORIZON
        if self.nothing_to_pay_back:
            return NOTHING_TO_PAY_BACK
        return f"{self.years:.1f} years"


@dataclass(frozen=True)
class IndicatorScore:
    name: str
    formula: str
    unit: str
    value: float | None          # None: no data. math.inf for payback not within horizon.
    healthy: float
    bubble: float
    weight: float
    score: float | None          # 0-100, None without data
    contribution: float          # share of the composite: weight x score / sum of available weights
    note: str = ""

    @property
    def available(self) -> bool:
        return self.score is not None


@dataclass(frozen=True)
class BubbleScore:
    entity: str
    year: int
    indicators: tuple[IndicatorScore, ...]
    composite: float | None
    red_count: int
    label: str
    red_threshold: float

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.indicators if not i.available)

    def indicator(self, name: str) -> IndicatorScore:
        for ind in self.indicators:
            if ind.name.lower() == name.lower():
                return ind
        raise KeyError(name)


@dataclass(frozen=True)
class EntityResult:
    """Payback and score of one company, or of the sector."""

    name: str
    is_sector: bool
    in_sector: bool
    payback: Payback
    discounted_payback: Payback
    organic_payback: Payback
    organic_discounted_payback: Payback
    npv: float
    organic_npv: float
    irr: float | None
    payback_to_life: float | None    # None when payback is not within horizon (the hardware never pays back)
    coverage: float | None           # at the score year
    score: BubbleScore


@dataclass(frozen=True)
class DealFlow:
    row: int                         # row of the Investments sheet (0-based)
    investor: str
    investee: str
    year: int
    amount: float
    kind: str
    recycled_share: float
    spread_years: float
    status: str
    paid_within_horizon: float
    recycled_revenue: float          # booked as the investor's revenue within the horizon
    in_cycle: bool


@dataclass(frozen=True)
class DealAnalysis:
    deals: tuple[DealFlow, ...]
    cycles: tuple[tuple[str, ...], ...]   # each as company names in flow order, first name not repeated
    cycles_truncated: bool
    recycled_share_of_revenue: dict[str, float]  # per seller with recycled revenue: recycled ÷ AI revenue, horizon


@dataclass(frozen=True)
class Results:
    years: tuple[int, ...]
    entities: tuple[str, ...]                       # the companies, then SECTOR
    series: dict[str, npt.NDArray[np.float64]]      # measure -> (len(entities), len(years))
    summaries: tuple[EntityResult, ...]
    deals: DealAnalysis
    assumptions: dict[str, float]
    score_year: int
    warnings: tuple[Problem, ...] = field(default=())

    @property
    def companies(self) -> tuple[str, ...]:
        return self.entities[:-1]

    @property
    def sector(self) -> EntityResult:
        return self.summaries[-1]

    def entity(self, name: str) -> EntityResult:
        return self.summaries[self.entities.index(name)]

    def series_of(self, name: str, measure: str) -> npt.NDArray[np.float64]:
        return self.series[measure][self.entities.index(name)]

    def value(self, name: str, measure: str, year: int) -> float:
        return float(self.series[measure][self.entities.index(name), self.years.index(year)])

    def to_dict(self) -> dict[str, Any]:
        """Everything, JSON-ready: NaN and infinity become None."""
        return _clean({
            "years": list(self.years),
            "score_year": self.score_year,
            "assumptions": self.assumptions,
            "entities": [
                {**asdict(s), "series": {m: self.series[m][i].tolist() for m in MEASURES}}
                for i, s in enumerate(self.summaries)
            ],
            "deals": asdict(self.deals),
            "warnings": [str(w) for w in self.warnings],
        })


    def json_chunks(self) -> Iterator[str]:
        """``to_dict()`` as JSON text, one entity per line, made as it is written: at the import caps (24,000
        companies × 30 years) the whole dict and its text would take gigabytes, one entity takes kilobytes."""
        def dump(obj: Any) -> str:
            return json.dumps(_clean(obj), ensure_ascii=False)

        yield "{\n"
        head = {"years": list(self.years), "score_year": self.score_year, "assumptions": self.assumptions}
        for key, value in head.items():
            yield f" {dump(key)}: {dump(value)},\n"
        yield ' "entities": ['
        for i, s in enumerate(self.summaries):
            entity = {**asdict(s), "series": {m: self.series[m][i].tolist() for m in MEASURES}}
            yield ("\n  " if i == 0 else ",\n  ") + dump(entity)
        yield "\n ],\n"
        yield f' "deals": {dump(asdict(self.deals))},\n'
        yield f' "warnings": {dump([str(w) for w in self.warnings])}\n}}'


def _clean(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {str(k): _clean(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_clean(v) for v in obj]
    if isinstance(obj, float | np.floating):
        return float(obj) if math.isfinite(obj) else None
    if isinstance(obj, np.integer):
        return int(obj)
    return obj
