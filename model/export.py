"""The Excel export an analyst can send to a colleague: results with live formulas *and* their values.

``export_results(scenario, path)`` writes one workbook (XlsxWriter, no Qt):

- ``Summary`` first: the sector's bubble score and label, a table per company, three native charts;
- the six input sheets exactly in the template format, so the export is itself a template;
- derived sheets whose every result is a formula on the input sheets that also stores compute()'s value:
  ``Cash flows``, ``Required revenue``, ``Bubble score``, ``Deals``, ``Circularity``, ``Revenue path``, ``Model``;
- ``Sources``: every input row with its citation.

A colleague who changes an input in Excel sees the results move; a viewer that does not recalculate shows the
model's values. The write is atomic (``model.atomic``): a failure leaves any previous file as it was.
docs/export.md describes the workbook for analysts.

Several scenarios fit the same layout later: each scenario's derived sheets are written by
``_write_scenario_block`` from a ``Plan`` whose sheet names and defined names carry the scenario's suffix.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from model.atomic import atomic_write
from model.compute import compute
from model.export_book import Book
from model.export_deals import write_circularity, write_deals
from model.export_facts import gather
from model.export_flows import write_cash_flows, write_required_revenue
from model.export_inputs import write_input_sheets, write_sources
from model.export_model import write_model, write_revenue_path
from model.export_plan import Plan
from model.export_score import write_score
from model.export_summary import write_summary
from model.results import Results
from model.scenario import Scenario


@dataclass(frozen=True)
class ExportSummary:
    """What was written, for the window's status bar and the command line."""

    path: Path
    scenario: str
    sheets: tuple[str, ...]
    formula_cells: int          # every one stores the value compute() gave it
    charts: int
    seconds: float
    notes: tuple[str, ...] = ()  # anything the analyst should know (a text cut at Excel's limit, cycles not all listed)

    def __str__(self) -> str:
        return (f"wrote {self.path}: {len(self.sheets)} sheets, {self.formula_cells:,} live formulas, "
                f"{self.charts} charts in {self.seconds:.2f} s")


def export_results(scenario: Scenario, path: str | os.PathLike[str], results: Results | None = None) -> ExportSummary:
    """Write the results workbook of ``scenario`` to ``path``.

    ``results`` may pass in the ``compute(scenario)`` the caller already has (the window does); otherwise it is
    computed here. Raises TemplateError when the scenario has errors (there are no results to export) and
    model.atomic.SaveError when the file cannot be written (read-only, locked, folder missing...), in which case
    any previous file at ``path`` is left byte-identical.
    """
    start = time.perf_counter()
    if results is None:
        results = compute(scenario)
    plan = Plan.build(gather(scenario, results))
    written: list[Book] = []

    def write(tmp: Path) -> None:
        book = Book(tmp)
        _write_workbook(book, [plan])
        written.append(book)

    atomic_write(path, write)
    book = written[0]
    return ExportSummary(Path(path), scenario.name, book.sheet_names, book.formula_cells, book.charts,
                         time.perf_counter() - start, tuple(book.notes))


def _write_workbook(book: Book, plans: list[Plan]) -> None:
    """Summary first, the base scenario's input sheets, each scenario's derived sheets, then Sources."""
    base = plans[0]
    write_summary(book, base)
    write_input_sheets(book, base)
    for plan in plans:
        _write_scenario_block(book, plan)
    write_sources(book, base)
    book.close()


def _write_scenario_block(book: Book, plan: Plan) -> None:
    """The derived sheets of one scenario, reading the input sheets (a scenario's overrides will be applied to
    them when several scenarios are exported)."""
    write_cash_flows(book, plan)
    write_required_revenue(book, plan)
    write_score(book, plan)
    write_deals(book, plan)
    write_circularity(book, plan)
    write_revenue_path(book, plan)
    write_model(book, plan)
