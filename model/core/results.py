"""What ``compute`` returns: immutable, plain numbers, ready for the window, the export and JSON."""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, replace
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
    "capex": ("Capex (all)", "$B"),
    "ai_capex": ("AI capex", "$B"),
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
    "vintage_payback": ("Payback of the year's capex vintage (years)", "years"),
    "score": ("Bubble score", "score"),
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
    # Not within the horizon: the cumulative cash flow at the horizon's end (negative) and its year, and the year
    # the last year's cash flow, continued, would close the gap (None when that cash flow is not positive).
    shortfall: float | None = None
    horizon_year: int | None = None
    beyond: float | None = None

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
    key: str = ""                # the indicator's stable key (schema.IndicatorSpec.key); the name is for display
    weight_share: float = 0.0    # weight ÷ the weights of the indicators with data (renormalised); 0 without data

    @property
    def available(self) -> bool:
        return self.score is not None

    def is_red(self, red_threshold: float) -> bool:
        """A red gauge: scored at or above the red-gauge score (Exponential View's rule)."""
        return self.score is not None and self.score >= red_threshold


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

    @property
    def scored(self) -> int:
        """How many indicators have data."""
        return sum(1 for i in self.indicators if i.available)

    def is_red(self, indicator: IndicatorScore) -> bool:
        return indicator.is_red(self.red_threshold)

    def indicator(self, name: str) -> IndicatorScore:
        """An indicator by its key or its display name (case ignored)."""
        for ind in self.indicators:
            if ind.key == name or ind.name.lower() == name.lower():
                return ind
        raise KeyError(name)


@dataclass(frozen=True, eq=False)
class ScoreHistory:
    """The bubble score of one entity in every model year, held as arrays (indicators × years) so that scoring
    every year costs little; ``at(t)`` gives a year's BubbleScore, built when first asked for."""

    entity: str
    years: tuple[int, ...]
    thresholds: tuple[Any, ...]         # score.Threshold per indicator row
    values: npt.NDArray[np.float64]     # NaN: no data
    notes: npt.NDArray[np.object_]      # (indicators, years): str, shared between cells
    scores: npt.NDArray[np.float64]     # NaN: no data
    contributions: npt.NDArray[np.float64]
    composite: npt.NDArray[np.float64]  # per year; NaN: no indicator with data
    reds: npt.NDArray[np.int64]
    labels: tuple[str, ...]
    red_threshold: float
    _built: dict[int, BubbleScore] = field(default_factory=dict, repr=False)

    def at(self, t: int) -> BubbleScore:
        """The score of model year index t."""
        if t not in self._built:
            indicators = []
            scores = self.scores[:, t].tolist()
            total = sum(th.weight for th, score in zip(self.thresholds, scores, strict=True) if not math.isnan(score))
            for th, value, score, contribution, note in zip(self.thresholds, self.values[:, t].tolist(), scores,
                                                           self.contributions[:, t].tolist(),
                                                           self.notes[:, t].tolist(), strict=True):
                has = not math.isnan(score)
                indicators.append(IndicatorScore(
                    th.name, th.formula, th.unit, value if has else None, th.healthy, th.bubble, th.weight,
                    score if has else None, contribution, note or ("" if has else "no data"), key=th.key,
                    weight_share=th.weight / total if has and total > 0 else 0.0))
            composite = float(self.composite[t])
            self._built[t] = BubbleScore(self.entity, self.years[t], tuple(indicators),
                                         None if math.isnan(composite) else composite, int(self.reds[t]),
                                         self.labels[t], self.red_threshold)
        return self._built[t]

    def all(self) -> tuple[BubbleScore, ...]:
        return tuple(self.at(t) for t in range(len(self.years)))


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
    payback_to_life: float | None    # programme payback ÷ life; None when not within horizon or nothing to pay back
    coverage: float | None           # at the score year
    score: BubbleScore               # at the score year
    # The score year's vintage: years until its capex is paid back by the revenue attributable to it; math.inf when
    # not within its useful life; None when nothing was spent on AI capex that year.
    vintage_payback: float | None = None
    history: ScoreHistory | None = field(default=None, repr=False, compare=False)

    @property
    def score_history(self) -> tuple[BubbleScore, ...]:
        """The bubble score in every model year (the score year's is ``score``)."""
        return self.history.all() if self.history is not None else (self.score,)

    @property
    def score_by_year(self) -> dict[int, float | None]:
        """The composite bubble score in each model year."""
        if self.history is None:
            return {self.score.year: self.score.composite}
        return {y: None if math.isnan(c) else float(c) for y, c in zip(self.history.years, self.history.composite,
                                                                         strict=True)}

    def first_year_labelled(self, label: str) -> int | None:
        """The first model year whose reading is ``label`` ("Bubble"), or None."""
        if self.history is None:
            return self.score.year if self.score.label == label else None
        return next((y for y, lab in zip(self.history.years, self.history.labels, strict=True) if lab == label), None)


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
        head, tail = self._json_head_and_tail()
        return _clean({**head, "entities": list(self._json_entities()), **tail})

    def json_chunks(self) -> Iterator[str]:
        """``to_dict()`` as JSON text, one entity per line, made as it is written: at the import caps (24,000
        companies × 30 years) the whole dict and its text would take gigabytes, one entity takes kilobytes."""
        def dump(obj: Any) -> str:
            return json.dumps(_clean(obj), ensure_ascii=False)

        head, tail = self._json_head_and_tail()
        yield "{\n"
        for key, value in head.items():
            yield f" {dump(key)}: {dump(value)},\n"
        yield ' "entities": ['
        for i, entity in enumerate(self._json_entities()):
            yield ("\n  " if i == 0 else ",\n  ") + dump(entity)
        yield "\n ]"
        for key, value in tail.items():
            yield f",\n {dump(key)}: {dump(value)}"
        yield "\n}"

    # The one layout of the JSON, shared by to_dict and json_chunks: the head, the entities, the tail.
    def _json_head_and_tail(self) -> tuple[dict[str, Any], dict[str, Any]]:
        return ({"years": list(self.years), "score_year": self.score_year, "assumptions": self.assumptions},
                {"deals": asdict(self.deals), "warnings": [str(w) for w in self.warnings]})

    def _json_entities(self) -> Iterator[dict[str, Any]]:
        for i, s in enumerate(self.summaries):
            yield _entity_dict(s, {m: self.series[m][i].tolist() for m in MEASURES if m in self.series})


def _entity_dict(entity: EntityResult, series: dict[str, list[float]]) -> dict[str, Any]:
    """An entity for JSON: its results, the score year's score in full, and the score of every year compactly
    (``score_by_year``: {"2025": 47.3, ...}; ``label_by_year``; each indicator's score by year, by its key)."""
    out = asdict(replace(entity, history=None))
    out.pop("history", None)
    history = entity.history
    if history is None:
        out["score_by_year"] = {str(s.year): s.composite for s in entity.score_history}
        out["label_by_year"] = {str(s.year): s.label for s in entity.score_history}
        out["indicator_scores_by_year"] = {
            ind.key or ind.name: {str(s.year): s.indicators[k].score for s in entity.score_history}
            for k, ind in enumerate(entity.score.indicators)}
    else:   # read off the history's arrays: building every year's BubbleScore would keep them all (gigabytes at the caps)
        years = [str(y) for y in history.years]
        out["score_by_year"] = dict(zip(years, history.composite.tolist(), strict=True))
        out["label_by_year"] = dict(zip(years, history.labels, strict=True))
        out["indicator_scores_by_year"] = {
            ind.key or ind.name: dict(zip(years, history.scores[k].tolist(), strict=True))
            for k, ind in enumerate(entity.score.indicators)}
    out["series"] = series
    return out


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
