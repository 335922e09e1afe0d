"""Every scenario of a book in one export: a Plan per scenario, the Scenarios sheet, and where each override lives.

An alternative is the base plus its overrides (model/core/overrides.py), and its export says exactly that: its derived
sheets (``Cash flows (Bear)`` …) read the base's input sheets, except the cells it overrides, which they read
from the override's own Value cell on the Scenarios sheet. So a colleague who edits a base input in Excel moves
every scenario that does not override it, and one who edits an override's Value moves that scenario; the
Scenarios sheet is the template's, so the export re-imports as the same book.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell

from model.core import schema
from model.core.compare import Comparison
from model.core.compute import compute
from model.core.overrides import BASE, Alternative, ScenarioBook, find_row
from model.core.problems import TemplateError
from model.core.results import Results
from model.core.scenario import Scenario, Table
from model.export.book import MAX_SHEET_NAME, Book, Sheet, clean_text, sheet_text
from model.export.facts import gather
from model.export.inputs import write_input_sheet
from model.export.plan import Plan, SheetNames, name_key_of
from model.io import template_layout
from model.io.scenario_sheet import scenarios_table
from model.io.template_layout import sheet_layout

SCENARIOS_SHEET = schema.SCENARIOS.name
COMPARISON_SHEET = "Comparison"
# An alternative's label goes in brackets after the longest derived sheet name: "Required revenue (Cloud rates)".
LABEL_ROOM = MAX_SHEET_NAME - max(len(n) for n in SheetNames.for_suffix().__dict__.values()) - 3
_VALUE_COL = Table(SCENARIOS_SHEET).column_index("value")
# Tab colours: the base's result sheets, then one per alternative (cycled).
BASE_TAB = "#1F3864"
TABS = ("#C55A11", "#548235", "#7030A0", "#BF9000", "#2E75B6", "#A50021", "#00827F", "#7F6000")


@dataclass(frozen=True)
class Lineup:
    """The scenarios of one export, the base first: their plans, and the comparison their numbers come from."""

    book: ScenarioBook
    comparison: Comparison
    plans: tuple[Plan, ...]
    scenarios_table: Table

    @property
    def names(self) -> tuple[str, ...]:
        return self.comparison.names

    @property
    def has_alternatives(self) -> bool:
        return len(self.plans) > 1

    def description(self, k: int) -> str:
        return "" if k == 0 else self.book.alternatives[k - 1].description

    def override_count(self, k: int) -> int:
        return 0 if k == 0 else len(self.book.alternatives[k - 1].overrides)

    def tab_colour(self, k: int) -> str:
        return BASE_TAB if k == 0 else TABS[(k - 1) % len(TABS)]


def compare_for_export(book: ScenarioBook, results: Results | Comparison | None = None) -> Comparison:
    """What ``model.core.compare.compare(book)`` gives — every scenario computed, the base first — reusing the results
    the caller has: the base's ``Results`` or a whole ``Comparison``. An alternative whose inputs do not compute
    raises TemplateError naming it (nothing is written)."""
    if isinstance(results, Comparison) and set(book.names) <= set(results.names):
        return Comparison(book.names, {n: results.results[n] for n in book.names},
                          {n: results.problems.get(n, []) for n in book.names})
    computed: dict[str, Results] = {}
    problems = {}
    for name in book.names:
        scenario, dangling = book.scenario(name)
        problems[name] = dangling
        if name == BASE and isinstance(results, Results):
            computed[name] = results
            continue
        try:
            computed[name] = compute(scenario)
        except TemplateError as exc:
            if name == BASE:
                raise
            raise TemplateError(exc.problems, summary=f"scenario {name!r}: {exc.summary}") from exc
    return Comparison(book.names, computed, problems)


def build_lineup(book: ScenarioBook, comparison: Comparison) -> Lineup:
    base = Plan.build(gather(book.base, comparison.results[BASE]))
    table = scenarios_table(book)
    plans = [base]
    labels = short_labels([a.name for a in book.alternatives])
    keys = _unique([name_key_of(label) for label in labels], "_", 64)
    first_row = 0
    for alt, label, key in zip(book.alternatives, labels, keys, strict=True):
        cells, applied = override_cells(book.base, alt, first_row)
        expected, _ = book.scenario(alt.name)
        if not applied.inputs_equal(expected):       # the export reads the very cells compute() was given
            raise RuntimeError(f"the export's overrides of {alt.name!r} differ from the model's")
        plans.append(Plan.build(gather(expected, comparison.results[alt.name]), label, key, cells))
        first_row += 1 + len(alt.overrides)
    if len(table) != first_row:
        raise RuntimeError("the Scenarios sheet does not hold one row per override and per scenario")
    return Lineup(book, comparison, tuple(plans), table)


def override_cells(base: Scenario, alt: Alternative, first_row: int) -> tuple[dict[tuple[str, int, str], str],
                                                                              Scenario]:
    """Where the alternative's value of each input cell it overrides lives: the Value cell of the override's row
    on the Scenarios sheet (the last override of a cell wins, as in ``apply_overrides``); and the scenario the
    overrides give. ``first_row`` is the alternative's description row in the Scenarios table; its overrides
    follow in order. Overrides that fit no base cell change nothing, here as in the model."""
    cells: dict[tuple[str, int, str], str] = {}
    scenario = base
    for j, o in enumerate(alt.overrides):
        if o.sheet not in (s.name for s in schema.SHEETS):
            continue
        table = scenario.table(o.sheet)
        row = find_row(table, o.key)
        if row is None or o.column not in table.keys:
            continue
        excel_row = first_row + 1 + j + template_layout.HEADER_ROW     # 0-based: the header is Excel row 1
        cells[(o.sheet, row, o.column)] = (f"{quote_sheetname(SCENARIOS_SHEET)}!"
                                           f"{xl_rowcol_to_cell(excel_row, _VALUE_COL, True, True)}")
        scenario = scenario.with_cell(o.sheet, row, o.column, o.value)
    return cells, scenario


def short_labels(names: Sequence[str]) -> list[str]:
    """A short label per alternative for its sheet names, unique ignoring case, at most LABEL_ROOM characters:
    the name up to its first ``:``, ``,``, ``;`` or bracket, cut at a word (``Bear: 3-year GPUs`` -> ``Bear``,
    ``Circular deals unwind`` -> ``Circular``); a numbered variant where two would meet."""
    out = []
    for k, name in enumerate(names, start=1):
        text = re.sub(r"\s+", " ", clean_text(name)).strip()
        head = sheet_text(re.split(r"[:,;()\[\]]| - | — | – ", text)[0]) or sheet_text(text)
        out.append(_cut(head, LABEL_ROOM) or f"Scenario {k}")
    return _unique(out, " ", LABEL_ROOM)


def _cut(text: str, room: int) -> str:
    if len(text) <= room:
        return text
    words = text[: room + 1].rsplit(" ", 1)[0].strip()
    return words if 0 < len(words) <= room else text[:room].strip()


def _unique(labels: list[str], sep: str, room: int) -> list[str]:
    """Distinct labels (ignoring case): a repeat gets ``2``, ``3``… (cut to fit ``room``)."""
    seen: set[str] = set()
    out = []
    for label in labels:
        candidate, k = label, 1
        while candidate.casefold() in seen:
            k += 1
            tag = f"{sep}{k}"
            candidate = label[: room - len(tag)].rstrip(" _") + tag
        seen.add(candidate.casefold())
        out.append(candidate)
    return out


def write_scenarios_sheet(book: Book, lineup: Lineup) -> Sheet:
    """The Scenarios sheet exactly as the template writer lays it out: the importer reads the same alternatives
    back, and the alternatives' formulas read their overridden cells from its Value column."""
    note = ("\n\nIn this export each alternative's sheets read the inputs it overrides from this column: change a "
            "value here and that scenario's results move.")
    return write_input_sheet(book, sheet_layout(lineup.scenarios_table),
                             {_VALUE_COL: note} if lineup.has_alternatives else None)
