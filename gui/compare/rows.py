"""What the compare view's tables show, as text: a comparison (``model.core.compare``) turned into rows of cells, each a
scenario's value, its difference to the base, which way that is (better or worse) and a tooltip.

No widgets here: the rows are built with the comparison (in a worker when it is slow) and the tables only lay them
out. The numbers and their text are ``model.core.compare``'s and ``model.core.formatting``'s.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import dataclass, field

from gui import theme
from gui.results.score_view import indicator_tooltip
from model.core import formatting
from model.core.compare import METRIC_BY_KEY, METRICS, Comparison
from model.core.overrides import BASE, ScenarioBook
from model.core.results import SECTOR, Results

BASE_DESCRIPTION = "The base: every input as the template gives it, each with its source."

METRIC_HELP = {
    "payback": "Years from the start of the first model year until cumulative cash flow turns positive.",
    "discounted_payback": "The same on cash flows discounted at the discount rate.",
    "organic_payback": "Payback without the revenue recycled through circular deals.",
    "payback_to_life": "Payback ÷ the hardware's useful life: above 1 it is scrapped before it has paid for itself.",
    "npv": "Net present value of the cash flows at the discount rate.",
    "coverage": "AI revenue ÷ the revenue the capex requires, in the score year.",
    "score": "The bubble score, 0 (healthy) to 100 (bubble).",
}


def descriptions_of(book: ScenarioBook) -> dict[str, str]:
    return {BASE: BASE_DESCRIPTION, **{a.name: a.description for a in book.alternatives}}


@dataclass(frozen=True)
class Cell:
    text: str
    diff: str = ""           # the difference to the base ('' in the base's column)
    direction: int = 0       # +1 better than the base, −1 worse, 0 the same or not comparable
    tooltip: str = ""
    color: str = ""          # a text colour of its own (the score's reading)


@dataclass(frozen=True)
class Row:
    key: tuple[str, ...]
    label: str
    cells: dict[str, Cell] = field(default_factory=dict)
    group: bool = False      # an entity's heading: the label spans the row
    tooltip: str = ""
    entity: str = ""         # the entity the row is about (a click chooses it)


def direction(metric: str, difference: float | None) -> int:
    """+1 when the scenario is better than the base on this measure, −1 when worse, 0 when the same."""
    if difference is None or difference == 0 or (math.isfinite(difference) and abs(difference) < 1e-12):
        return 0
    if METRIC_BY_KEY[metric].higher_is_better:
        if math.isinf(difference):          # one side has no data: not a better or worse
            return 0
        return 1 if difference > 0 else -1
    return 1 if difference < 0 else -1


def _guard(fn: Callable[[str, str, str], str], name: str, entity: str, metric: str, default: str = "–") -> str:
    try:
        return fn(name, entity, metric)
    except (KeyError, ValueError):   # an entity an override renamed away in that scenario
        return default


def esc(text: str) -> str:
    """Text inside rich text (tooltips, titles, labels): quotes read as quotes."""
    return html.escape(text, quote=False)


def entity_label(results: Results, entity: str) -> str:
    if entity == SECTOR:
        return "Sector — the companies marked 'In sector'"
    try:
        in_sector = results.entity(entity).in_sector
    except ValueError:
        return entity
    return entity if in_sector else f"{entity} — not in the sector"


def ordered_entities(comparison: Comparison) -> tuple[str, ...]:
    """The sector first (the answer to the question), then the companies in sheet order."""
    entities = comparison.entities()
    return tuple(e for e in entities if e == SECTOR) + tuple(e for e in entities if e != SECTOR)


def metric_rows(comparison: Comparison, descriptions: dict[str, str]) -> list[Row]:
    """One heading per entity, then one row per measure; a cell per compared scenario."""
    rows: list[Row] = []
    base = comparison.names[0]
    for entity in ordered_entities(comparison):
        rows.append(Row((entity,), entity_label(comparison.base, entity), group=True, entity=entity))
        for metric in METRICS:
            cells = {}
            base_text = _guard(comparison.text, base, entity, metric.key)
            for name in comparison.names:
                text = _guard(comparison.text, name, entity, metric.key)
                diff = _guard(comparison.difference_text, name, entity, metric.key, default="" if name == base else "–")
                try:
                    way = 0 if name == base else direction(metric.key, comparison.difference(name, entity, metric.key))
                except (KeyError, ValueError):
                    way = 0
                tip = [f"<b>{esc(name)}</b>"]
                if descriptions.get(name):
                    tip.append(f"<i>{esc(descriptions[name])}</i>")
                tip.append(f"{esc(entity)} · {esc(metric.label)}: <b>{esc(text)}</b>")
                if name != base:
                    tip.append(f"{esc(base)}: {esc(base_text)}")
                    tip.append(f"Difference to {esc(base)}: <b>{esc(diff)}</b>"
                               + {1: " (better)", -1: " (worse)"}.get(way, ""))
                cells[name] = Cell(text, diff, way, "<br>".join(tip))
            rows.append(Row((entity, metric.key), metric.label, cells, tooltip=METRIC_HELP.get(metric.key, ""),
                            entity=entity))
        rows.append(trajectory_row(comparison, entity))
    return rows


def trajectory_row(comparison: Comparison, entity: str) -> Row:
    """When the entity's score first reads Bubble, per scenario, with its score in every model year in the
    tooltip (the whole trajectory: the Score by year chart beside it, the window's and the export's draw it)."""
    cells = {}
    base = comparison.names[0]
    try:
        then = comparison.results[base].entity(entity).first_year_labelled("Bubble")
    except ValueError:
        then = None
    for name in comparison.names:
        try:
            e = comparison.results[name].entity(entity)
        except ValueError:          # an entity an override renamed away in that scenario
            cells[name] = Cell("–", "" if name == base else "–")
            continue
        first = e.first_year_labelled("Bubble")
        diff, way = "", 0
        if name != base:
            diff = "=" if first == then else f"{base}: {then or 'never'}"
            if first != then:       # later (or never) is better
                way = 1 if (first is None or (then is not None and first > then)) else -1
        cells[name] = Cell(str(first) if first else "never", diff, way,
                           f"<b>{esc(name)}</b><br>{esc(entity)} · bubble score by year (● Bubble):<br>"
                           f"{esc(formatting.trajectory(e))}")
    return Row((entity, "first_bubble_year"), "First Bubble year", cells,
               tooltip="The first model year whose reading is Bubble; the tooltip of each cell gives the score of "
                       "every year", entity=entity)


LABEL_ORDER = {"Healthy": 0, "Boom": 1, "Bubble": 2}


def breakdown_rows(comparison: Comparison, entity: str) -> list[Row]:
    """The chosen entity's score: each indicator's points per scenario, then the composite and its reading."""
    base_name = comparison.names[0]
    base = comparison.base.entity(entity).score
    rows: list[Row] = []
    for base_ind in base.indicators:
        cells = {}
        for name in comparison.names:
            try:
                score = comparison.results[name].entity(entity).score
                ind = score.indicator(base_ind.name)
            except (KeyError, ValueError):
                cells[name] = Cell("–", "" if name == base_name else "–")
                continue
            text = formatting.points(ind.contribution) if ind.available else "no data"
            diff, way = "", 0
            if name != base_name:
                if ind.available and base_ind.available:
                    delta = ind.contribution - base_ind.contribution
                    diff = formatting.points_change(delta)
                    way = direction("score", delta)
                elif ind.available != base_ind.available:
                    diff = "now scored" if ind.available else "no data now"
                else:
                    diff = "="
            tip = f"<b>{esc(name)}</b><br>" + indicator_tooltip(ind, score.red_threshold)
            cells[name] = Cell(text, diff, way, tip)
        rows.append(Row(("indicator", base_ind.name), base_ind.name, cells,
                        tooltip=f"{esc(base_ind.name)} = {esc(base_ind.formula)}", entity=entity))
    composite, reading, reds = {}, {}, {}
    for name in comparison.names:
        other = name != base_name
        text = comparison.text(name, entity, "score")
        diff = comparison.difference_text(name, entity, "score") if other else ""
        way = direction("score", comparison.difference(name, entity, "score")) if other else 0
        composite[name] = Cell(text, diff, way, f"<b>{esc(name)}</b><br>Bubble score {esc(text)}"
                               + (f", {esc(diff)} against {esc(base_name)}" if other else ""))
        score = comparison.results[name].entity(entity).score
        moved = other and score.label != base.label
        way = 0
        if moved:
            way = 1 if LABEL_ORDER.get(score.label, 1) < LABEL_ORDER.get(base.label, 1) else -1
        reading[name] = Cell(score.label, f"{base_name}: {base.label}" if moved else ("=" if other else ""), way,
                             color=theme.LABEL_COLORS.get(score.label, theme.OTHERS))
        scored = score.scored
        reds_moved = other and score.red_count != base.red_count
        reds[name] = Cell(f"{score.red_count} of {scored}",
                          f"{base_name}: {base.red_count}" if reds_moved else ("=" if other else ""),
                          (1 if score.red_count < base.red_count else -1) if reds_moved else 0,
                          f"Indicators scoring {formatting.score(score.red_threshold)} or more (red gauges); "
                          f"three or more read as a bubble whatever the composite")
    rows.append(Row(("composite",), "Composite (0–100)", composite, tooltip=METRIC_HELP["score"], entity=entity))
    rows.append(Row(("reading",), "Reading", reading, tooltip="Healthy, Boom or Bubble", entity=entity))
    rows.append(Row(("reds",), "Red gauges", reds, entity=entity))
    return rows


def problem_lines(comparison: Comparison | None, failures: dict[str, str]) -> list[str]:
    """The warnings above the tables: the scenarios left out and why, and those with overrides that no longer fit
    the base (each with the first of them)."""
    lines = []
    for name, why in failures.items():
        lines.append(f"<b>{esc(name)}</b> cannot be computed and is left out: {esc(why)}")
    if comparison is not None:
        for name in comparison.names:
            problems = comparison.problems.get(name, [])
            if problems:
                first = problems[0].message
                first = first.split(": ", 1)[1] if first.startswith(f"{name}: ") else first
                more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
                lines.append(f"<b>{esc(name)}</b>: {len(problems)} override{'s' if len(problems) != 1 else ''} "
                             f"no longer fit the base and are ignored — {esc(first)}{more}")
    return lines
