"""The Excel export an analyst can send to a colleague: results with live formulas *and* their values.

``export_results(scenario_or_book, path)`` writes one workbook (XlsxWriter, no Qt):

- ``Summary`` first: the base's bubble score and label, a table per company, three native charts;
- ``Comparison`` (when the book has alternatives): every scenario side by side with its difference to the base;
- the six input sheets and the Scenarios sheet exactly in the template format, so the export is itself a
  template: ``read_book`` gives back the same base and the same alternatives;
- the base's derived sheets, whose every result is a formula on the input sheets that also stores compute()'s
  value: ``Cash flows``, ``Required revenue``, ``Bubble score``, ``Deals``, ``Circularity``, ``Revenue path``,
  ``Model``;
- each alternative's own Summary and derived sheets, named with its label (``Cash flows (Bear)``): the same
  formulas on the base's input sheets, except the cells the alternative overrides, which they read from the
  override's Value cell on the Scenarios sheet (model/export/scenarios.py);
- ``Sensitivity``: the base's tornado of the sector NPV, a table and a bar chart (model/export/sensitivity.py);
- ``Sources``: every input row with its citation.

A colleague who changes an input in Excel sees the results move, in every scenario that does not override it; a
viewer that does not recalculate shows the model's values. The write is atomic (``model.io.atomic``): a failure
leaves any previous file as it was. docs/export.md describes the workbook for analysts.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from model.core.compare import Comparison
from model.core.overrides import ScenarioBook
from model.core.results import Results
from model.core.scenario import Scenario
from model.export.book import Book
from model.export.comparison import write_comparison
from model.export.deals import write_circularity, write_deals
from model.export.flows import write_cash_flows, write_required_revenue
from model.export.inputs import define_market_names, write_input_sheets, write_sources
from model.export.limits import check_size
from model.export.model import write_model, write_revenue_path
from model.export.plan import Plan
from model.export.scenarios import Lineup, build_lineup, compare_for_export, write_scenarios_sheet
from model.export.score import write_score
from model.export.score_history import write_score_history
from model.export.sensitivity import sector_npv_tornado, write_sensitivity
from model.export.summary import write_summary
from model.export.uncertainty import write_simulation
from model.io.atomic import atomic_write, scratch_folder
from model.simulate.run import Simulation


@dataclass(frozen=True)
class ExportSummary:
    """What was written, for the window's status bar and the command line."""

    path: Path
    scenario: str               # the base's name
    sheets: tuple[str, ...]
    formula_cells: int          # every one stores the value compute() gave it
    charts: int
    seconds: float
    notes: tuple[str, ...] = ()  # anything the analyst should know (a text cut at Excel's limit, cycles not all listed)
    scenarios: tuple[str, ...] = ("Base",)   # every scenario exported, the base first

    def __str__(self) -> str:
        more = f" ({len(self.scenarios)} scenarios)" if len(self.scenarios) > 1 else ""
        return (f"wrote {self.path}{more}: {len(self.sheets)} sheets, {self.formula_cells:,} live formulas, "
                f"{self.charts} charts in {self.seconds:.2f} s")


def export_results(scenario: Scenario | ScenarioBook, path: str | os.PathLike[str],
                   results: Results | Comparison | None = None,
                   simulation: Simulation | None = None) -> ExportSummary:
    """Write the results workbook of ``scenario`` — a Scenario, or a ScenarioBook with its alternatives — to
    ``path``.

    ``results`` may pass in what the caller already has: ``compute()`` of the base (the window does), or
    ``compare(book)``; anything missing is computed here. ``simulation`` (model.simulate) adds the Simulation sheet,
    and the Simulation samples sheet when it kept its draws. Raises TemplateError when a scenario has errors (there
    are no results to export; the message names an alternative) and model.io.atomic.SaveError when the file cannot be
    written (read-only, locked, folder missing...), in which case any previous file at ``path`` is left
    byte-identical; ExportTooLarge (a SaveError) when the workbook would pass the export's size cap
    (model/export/limits.py), found before writing when the inputs alone pass it.
    """
    start = time.perf_counter()
    book = scenario if isinstance(scenario, ScenarioBook) else ScenarioBook(scenario)
    check_size(book)
    lineup = build_lineup(book, compare_for_export(book, results))
    written: list[Book] = []

    def write(tmp: Path) -> None:
        with scratch_folder(path) as scratch:
            out = Book(tmp, scratch)
            try:
                _write_workbook(out, lineup, simulation)
            finally:
                out.release()
        written.append(out)

    atomic_write(path, write)
    out = written[0]
    return ExportSummary(Path(path), book.base.name, out.sheet_names, out.formula_cells, out.charts,
                         time.perf_counter() - start, tuple(out.notes), lineup.names)


def _write_workbook(book: Book, lineup: Lineup, simulation: Simulation | None = None) -> None:
    """Summary and Comparison first, the input sheets and the Scenarios sheet, each scenario's derived sheets (the
    base's, then each alternative's with its Summary), then Sources."""
    base = lineup.plans[0]
    write_summary(book, base, lineup)
    if lineup.has_alternatives:
        write_comparison(book, lineup)
    write_input_sheets(book, base)
    write_scenarios_sheet(book, lineup)
    for k, plan in enumerate(lineup.plans):
        if k:
            first = len(book.sheet_names)
            write_summary(book, plan, lineup, k)
            if not plan.market_mirror:
                define_market_names(book, plan)
        _write_scenario_block(book, plan)
        write_score_history(book, plan, lineup if k == 0 else None)
        if k:
            for sheet in book.sheets[first:]:
                sheet.ws.set_tab_color(lineup.tab_colour(k))
    write_sensitivity(book, sector_npv_tornado(base.facts.scenario, results=base.facts.results))
    write_sources(book, base)
    if simulation is not None:      # the Simulation sheet (model/export/uncertainty.py), after the Sources
        write_simulation(book, simulation)
    book.close()


def _write_scenario_block(book: Book, plan: Plan) -> None:
    """The derived sheets of one scenario, reading the input sheets through ``plan.input_cell`` (an alternative's
    overridden cells: the Scenarios sheet)."""
    write_cash_flows(book, plan)
    write_required_revenue(book, plan)
    write_score(book, plan)
    write_deals(book, plan)
    write_circularity(book, plan)
    write_revenue_path(book, plan)
    write_model(book, plan)
