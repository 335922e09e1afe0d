"""The analyst's ranges in the tornado: each row of the Uncertainty sheet as the low and high of the input it covers.

Issue 13: "Default swing ±20%; where the analyst has entered a range for that input (the Uncertainty sheet), that
range." A row's low and high are its distribution's P5 and P95 (``model.core.uncertainty``: a "20% to 60%" range is
by definition P5 = 20%, P95 = 60%; PERT, triangular and uniform give their 5th and 95th percentiles; a single number
is both ends), taken as the cells' value or as a multiplier of each cell, as the row says ("Applies as").

A row names cells (sheet, row, columns); so does each input of the tornado (``model.sensitivity.inputs``). They meet
as follows (docs/methodology.md, 'Sensitivity'):

- the row names exactly an input's cells: that input's bar swings over the row's range;
- it names some of an input's cells (Amazon's growth in 2026–2032, of 2025–2032): the bar moves only those, over the
  range, the other cells staying as entered — the cells the simulation draws; its label names the years and its note
  says so;
- it names cells no input of the tornado moves (an assumption other than the three, a base revenue, a deal's spread,
  a Market value): a bar of its own, named as the row names it;
- a value given to several cells sets each of them to it, as the simulation does;
- a row whose cells hold no number, or on a sheet the output does not read (Market and Thresholds are read by the
  bubble score only), is left out, and the tornado's notes say why.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from model.core import schema
from model.core.problems import Problem
from model.core.scenario import Scenario
from model.core.schema import Column
from model.core.uncertainty import Distribution, UncertainInput, read_uncertainty
from model.sensitivity.inputs import CellRef, Input, allowed_range, inputs_of, slug, value_text
from model.sensitivity.metrics import Metric
from model.sensitivity.tornado import DEFAULT_SWING, Swing, Tornado, tornado

P5, P95 = 0.05, 0.95


@dataclass(frozen=True)
class AnalystRanges:
    inputs: tuple[Input, ...]           # the inputs to swing: those a row covers replaced by the row's cells
    ranges: dict[str, Swing]            # input key → the row's P5 and P95 as the input's x
    notes: tuple[str, ...]              # rows left out or given a bar of their own, and why


def ends(dist: Distribution) -> tuple[float, float]:
    """P5 and P95 of a distribution: a 90% range's own ends (exactly as typed), else its quantiles."""
    if dist.fixed:
        return dist.low, dist.low
    if dist.form == "range":
        return dist.low, dist.high
    q = dist.quantile(np.array([P5, P95]))
    return float(q[0]), float(q[1])


def ranged_tornado(scenario: Scenario, metric: Metric, *, use_ranges: bool = True, swing: float = DEFAULT_SWING,
                   problems: list[Problem] | None = None, budget_ms: float | None = None) -> Tornado:
    """The tornado an analyst sees (command line, export, window): each input over its Uncertainty row's P5–P95
    where it has one, ±``swing`` elsewhere (``use_ranges=False``: ±``swing`` everywhere)."""
    if not use_ranges or not len(scenario.uncertainty):
        return tornado(scenario, metric, swing, problems=problems, budget_ms=budget_ms)
    found = uncertainty_ranges(scenario, metric)
    result = tornado(scenario, metric, swing, ranges=found.ranges, problems=problems, inputs=found.inputs,
                     budget_ms=budget_ms)
    return replace(result, notes=found.notes + result.notes)


def uncertainty_ranges(scenario: Scenario, metric: Metric) -> AnalystRanges:
    """The tornado's inputs with the Uncertainty sheet's rows applied (module docstring: how a row meets them).

    Rows with an error are not there (``read_uncertainty`` leaves them out; validation refuses the scenario)."""
    prepared = metric.prepare(scenario)
    every = inputs_of(prepared)
    swung = [i for i in every if i.in_tornado]
    owner_of = {cell: i for i in swung for cell in i.cells}
    replacements: dict[str, list[Input]] = {}
    own: list[Input] = []
    ranges: dict[str, Swing] = {}
    notes: list[str] = []
    for row in read_uncertainty(scenario).inputs:
        name = f"'{row.name}'"
        if row.row >= len(prepared.table(row.sheet).rows):
            notes.append(f"{name} (Uncertainty sheet) is left out: the {metric.label} does not read the "
                         f"{row.sheet} sheet.")
            continue
        table = scenario.table(row.sheet)
        cells = [(CellRef(row.sheet, row.row, key), float(v)) for key in row.columns
                 for v in (table.value(row.row, key),)
                 if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)]
        if not cells:
            notes.append(f"{name} (Uncertainty sheet) is left out: the cells it names are blank.")
            continue
        refs = {c for c, _ in cells}
        owners = {owner_of[c].key: owner_of[c] for c in refs if c in owner_of}
        column = _column(scenario, row)
        if len(owners) == 1 and refs <= set(next(iter(owners.values())).cells):
            owner = next(iter(owners.values()))
            item, note = _within(owner, row, cells, column)
            placed = replacements.setdefault(owner.key, [])
        else:
            item = _make(f"uncertainty.{slug(row.name)}", row.name, row, cells, column)
            note = (f"No input of the tornado moves the cells of {name}: a bar of its own." if not owners else
                    f"{name} names cells of {', '.join(o.label for o in owners.values())} and others: a bar of its "
                    f"own (those inputs' bars move their cells too).")
            notes.append(note)
            placed = own
        if item.key in ranges:          # two rows on the same cells: each its own bar, named after its row
            item = replace(item, key=f"{item.key}.{slug(row.name)}", label=f"{item.label} ({row.name})")
        low, high = ends(row.distribution)
        x_low, x_high = (low * item.values[0], high * item.values[0]) if row.multiplier and not item.is_multiplier \
            else (low, high)
        ranges[item.key] = Swing(x_low, x_high, _swing_text(row, item, column, low, high), note)
        placed.append(item)
    inputs: list[Input] = []
    for i in every:
        inputs.extend(replacements.get(i.key, [i]))
    return AnalystRanges(tuple(inputs + own), ranges, tuple(notes))


def _within(owner: Input, row: UncertainInput, cells: list[tuple[CellRef, float]], column: Column
            ) -> tuple[Input, str]:
    """The bar of an input the row covers: the input itself, or only the cells the row names."""
    if len(cells) == len(owner.cells) and (len(cells) == 1 or row.multiplier):
        return owner, ""
    if len(cells) == len(owner.cells):          # one value for every cell of a group: the row's own input
        return _make(owner.key, owner.label, row, cells, column), ""
    part = _part(row)
    item = _make(f"{owner.key}.{slug(part)}", f"{owner.label}, {part}", row, cells, column)
    rest = "years" if all(c.key.isdigit() for c in owner.cells) else "cells"
    return item, (f"Only {part} moves ({len(cells)} of the {len(owner.cells)} cells of {owner.label}): those the "
                  f"Uncertainty row '{row.name}' names; the other {rest} as entered.")


def _make(key: str, label: str, row: UncertainInput, cells: list[tuple[CellRef, float]], column: Column) -> Input:
    values = tuple(v for _, v in cells)
    one_value = len(cells) > 1 and not row.multiplier
    if one_value:
        lo, hi = allowed_range(column, (max(values, key=abs),), False)
    else:
        lo, hi = allowed_range(column, values, len(cells) > 1)
    return Input(key, label, tuple(c for c, _ in cells), values, column, lo, hi, True, one_value)


def _column(scenario: Scenario, row: UncertainInput) -> Column:
    """The column whose kind and bounds the row's cells share (an assumption's own; the years' template)."""
    table = scenario.table(row.sheet)
    if row.sheet == "Assumptions":
        spec = schema.ASSUMPTION_BY_NAME.get(str(table.value(row.row, "name")).strip().lower())
        if spec is not None:
            return spec.column()
    key = row.columns[0]
    if table.schema.years is not None and key.isdigit():
        return table.schema.years.template
    return table.columns[table.column_index(key)]


def _part(row: UncertainInput) -> str:
    """The cells of a row in words: "2026–2032", "2026, 2028", or the column's name."""
    keys = row.columns
    if all(k.isdigit() for k in keys):
        years = [int(k) for k in keys]
        if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
            return f"{years[0]}–{years[-1]}"
        return ", ".join(keys)
    return ", ".join(keys)


def _swing_text(row: UncertainInput, item: Input, column: Column, low: float, high: float) -> str:
    """How the bar says which swing it used: "Uncertainty range 51.1% to 66.5%: P5–P95 of 'Amazon margin', PERT
    45.0%, 60.0%, 70.0%"; a multiplier of one cell adds the values it gives."""
    def show(x: float) -> str:
        return f"×{x:.3g}" if row.multiplier else value_text(column, x)

    dist = row.distribution
    if dist.fixed:
        head = f"Uncertainty value {show(low)} (fixed, '{row.name}')"
    elif dist.form == "range":
        head = f"Uncertainty range {show(low)} to {show(high)} ('{row.name}')"
    else:
        shape = ", ".join(show(x) for x in (dist.low, dist.mode if dist.mode is not None else dist.low, dist.high)) \
            if dist.form != "uniform" else f"{show(dist.low)} to {show(dist.high)}"
        head = f"Uncertainty range {show(low)} to {show(high)}: P5–P95 of '{row.name}', {dist.form} {shape}"
        head = head.replace(" pert ", " PERT ")
    if row.multiplier and not item.is_multiplier:
        head += f" = {value_text(column, low * item.values[0])} to {value_text(column, high * item.values[0])}"
    return head
