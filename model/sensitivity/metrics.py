"""The outputs a sensitivity analysis watches, declared once, each read from ``compute()``'s Results.

A metric is named ``[COMPANY:]KIND[@YEAR]``: ``npv`` (the sector's NPV), ``Amazon:payback``, ``coverage@2027``,
``score``. The kinds:

- ``npv``: NPV of the cash flows at the discount rate ($B);
- ``payback``: the payback as a calendar year (2031.4 is 40% into 2031); where the cumulative cash flow is still
  negative at the horizon's end it has no year, and reads as its shortfall there ("beyond 2035: −$1.2T short");
- ``horizon-cash``: the cumulative cash flow at the horizon's end ($B; negative: the shortfall at the horizon) — the
  continuous quantity behind the payback;
- ``coverage``: AI revenue ÷ required AI revenue in a year (default: the score year);
- ``score``: the composite bubble score, in the score year or in the year given (read from the results' score in
  every year, ``EntityResult.score_by_year``: the same as the score with the Score year assumption set to that year).

Adding a kind is one entry of ``KINDS``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from model.core import formatting as fmt
from model.core.compute import PathResults
from model.core.results import SECTOR, Results
from model.core.scenario import Scenario
from model.core.validation import read_assumptions

Reader = Callable[[Results, str, int | None], float | None]
# The same reading on every path of compute_paths(..., entities=(entity,)): (paths,), NaN where there is no value.
PathReader = Callable[[PathResults, int | None], npt.NDArray[np.float64]]


def _npv(r: Results, entity: str, year: int | None) -> float | None:
    return r.entity(entity).npv


def _payback(r: Results, entity: str, year: int | None) -> float | None:
    return r.entity(entity).payback.calendar_year


def _horizon_cash(r: Results, entity: str, year: int | None) -> float | None:
    return float(r.series_of(entity, "cumulative_cash_flow")[-1])


def _coverage(r: Results, entity: str, year: int | None) -> float | None:
    year = r.score_year if year is None else year
    if year not in r.years:
        return None
    value = r.value(entity, "coverage", year)
    return value if math.isfinite(value) else None


def _score(r: Results, entity: str, year: int | None) -> float | None:
    if year is None:
        return r.entity(entity).score.composite
    return r.entity(entity).score_by_year.get(year)


def _in_year(r: PathResults, name: str, year: int) -> npt.NDArray[np.float64]:
    if year not in r.years:
        return np.full(r.paths, np.nan)
    return np.asarray(r.series[name][:, 0, r.years.index(year)], dtype=float)


def _npv_paths(r: PathResults, year: int | None) -> npt.NDArray[np.float64]:
    return r.npv[:, 0]


def _payback_paths(r: PathResults, year: int | None) -> npt.NDArray[np.float64]:
    return r.years[0] + r.payback[:, 0]


def _horizon_cash_paths(r: PathResults, year: int | None) -> npt.NDArray[np.float64]:
    return np.asarray(r.series["cumulative_cash_flow"][:, 0, -1], dtype=float)


def _coverage_paths(r: PathResults, year: int | None) -> npt.NDArray[np.float64]:
    value = _in_year(r, "coverage", r.score_year if year is None else year)
    return np.where(np.isfinite(value), value, np.nan)


def _score_paths(r: PathResults, year: int | None) -> npt.NDArray[np.float64]:
    return _in_year(r, "score", r.score_year if year is None else year)


@dataclass(frozen=True)
class Kind:
    name: str
    label: str                      # "NPV", "payback year"
    unit: str                       # "$B", "year", "%", "score"
    read: Reader
    read_paths: PathReader
    takes_year: bool = False
    reads_score: bool = False          # reads the bubble score (and so the Thresholds and Market sheets)


KINDS: tuple[Kind, ...] = (
    Kind("npv", "NPV", "$B", _npv, _npv_paths),
    Kind("payback", "payback year", "year", _payback, _payback_paths),
    Kind("horizon-cash", "cash position at the horizon", "$B", _horizon_cash, _horizon_cash_paths),
    Kind("coverage", "coverage", "%", _coverage, _coverage_paths, takes_year=True),
    Kind("score", "bubble score", "score", _score, _score_paths, takes_year=True, reads_score=True),
)
KIND_BY_NAME = {k.name: k for k in KINDS}


class UnknownMetric(ValueError):
    pass


@dataclass(frozen=True)
class Metric:
    kind: Kind
    entity: str = SECTOR
    year: int | None = None

    @property
    def key(self) -> str:
        stem = self.kind.name if self.entity == SECTOR else f"{self.entity}:{self.kind.name}"
        return stem if self.year is None else f"{stem}@{self.year}"

    @property
    def label(self) -> str:
        """"sector NPV", "Amazon's coverage in 2027"."""
        who = "sector" if self.entity == SECTOR else (f"{self.entity}'" if self.entity.endswith("s")
                                                      else f"{self.entity}'s")
        when = f" in {self.year}" if self.year is not None else ""
        return f"{who} {self.kind.label}{when}"

    @property
    def unit(self) -> str:
        return self.kind.unit

    def prepare(self, scenario: Scenario) -> Scenario:
        """The scenario this metric is read on.

        An output that does not read the bubble score is read without the two sheets only the score reads
        (Thresholds: the indicators' calibration; Market: their market inputs): the same cash flows, payback and
        coverage, about 15% less work per compute, which a tornado does a hundred times. The score of any year is
        in every compute's results (the score in every year), so a score's scenario is the scenario itself.

        The Uncertainty and Correlations sheets go too (compute() never reads them): a range on a Market row would
        otherwise name a row that is no longer there, and the scenario would fail validation.
        """
        if self.kind.reads_score:
            return scenario
        if not scenario.thresholds.rows and not scenario.market.rows:
            return scenario
        out = scenario.with_table(scenario.thresholds.with_rows(())).with_table(scenario.market.with_rows(()))
        return out.with_table(out.uncertainty.with_rows(())).with_table(out.correlations.with_rows(()))

    def value(self, results: Results) -> float | None:
        return self.kind.read(results, self.entity, self.year)

    def values(self, results: PathResults) -> list[float | None]:
        """``value`` on every path of compute_paths(..., entities=(self.entity,)); None where there is none."""
        return [None if math.isnan(v) else v for v in self.kind.read_paths(results, self.year).tolist()]

    def position(self, results: Results, value: float | None) -> float | None:
        """Where a value sits on a chart's axis and in a ranking: a payback beyond the horizon sits just past its
        end (the first year it could still come); other values without a number have no position."""
        if value is None and self.kind.name == "payback":
            return float(results.years[-1] + 1)
        return value

    def text(self, results: Results, value: float | None) -> str:
        """How a value reads: "−$1,873.2B", "2031.4", "62%", "47"; a payback beyond the horizon with its shortfall."""
        unit = self.kind.unit
        if unit == "year":
            if value is None:
                short = float(results.series_of(self.entity, "cumulative_cash_flow")[-1])
                return f"beyond {results.years[-1]}: {fmt.money(short)} at its end"
            return f"{value:.1f}"
        return format_value(unit, value)


def format_value(unit: str, value: float | None) -> str:
    if unit == "$B":
        return fmt.money(value)
    if unit == "%":
        return fmt.percent(value, 1)
    if unit == "score":
        return "–" if value is None else f"{value:.1f}"
    return "–" if value is None else f"{value:.1f}"


def parse_metric(spec: str, scenario: Scenario) -> Metric:
    """``[COMPANY:]KIND[@YEAR]`` → Metric; UnknownMetric says what is allowed."""
    text = spec.strip()
    entity = SECTOR
    if ":" in text:
        who, text = text.rsplit(":", 1)
        names = {c.lower(): c for c in scenario.companies} | {SECTOR.lower(): SECTOR}
        if who.strip().lower() not in names:
            raise UnknownMetric(f"no company {who.strip()!r}; the scenario's companies are: "
                                + ", ".join(scenario.companies))
        entity = names[who.strip().lower()]
    year: int | None = None
    if "@" in text:
        text, year_text = text.split("@", 1)
        try:
            year = int(year_text)
        except ValueError:
            raise UnknownMetric(f"{year_text!r} is not a year (write coverage@2027)") from None
    kind = KIND_BY_NAME.get(text.strip().lower())
    if kind is None:
        raise UnknownMetric(f"no metric {text.strip()!r}; the metrics are: {metric_names_help()}")
    if year is not None:
        if not kind.takes_year:
            raise UnknownMetric(f"{kind.name} takes no year")
        a = read_assumptions(scenario.assumptions)
        first = min(scenario.capex.years or (int(a["Score year"]),))
        last = int(a["Horizon end"])
        if not first <= year <= last:
            raise UnknownMetric(f"{year} lies outside the model's years {first}–{last}")
    return Metric(kind, entity, year)


def metric_lines_help() -> list[str]:
    """The metric names, one line each, from the declarations (the command line's --help)."""
    return [f"  {k.name + ('[@YEAR]' if k.takes_year else ''):<20} {k.label} ({k.unit})" for k in KINDS] + [
        "  COMPANY:KIND[@YEAR]  the same for one company (Amazon:npv, OpenAI:coverage@2027)"]


def metric_names_help() -> str:
    return ", ".join(k.name + ("[@YEAR]" if k.takes_year else "") for k in KINDS) + \
        " — for the sector, or COMPANY:KIND for one company"


def metrics_for(scenario: Scenario) -> tuple[Metric, ...]:
    """The metrics a chooser offers: every kind for the sector, then for each company (years: the score year)."""
    return tuple(Metric(k, entity) for entity in (SECTOR,) + scenario.companies for k in KINDS)
