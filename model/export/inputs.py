"""The input sheets, exactly in the template format, and the Sources sheet that lists every input's citation.

The input sheets are laid out by ``template_layout.scenario_layout``, the same function the template writer
uses, so the export is itself a template: opening it in Bubblescope gives back the same scenario.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell

from model.core import schema
from model.core.scenario import Scenario, Table
from model.export.book import Book, Sheet
from model.export.plan import MARKET_NAMED, Plan
from model.io.template_layout import SheetLayout, scenario_layout
from model.io.template_writer import VALIDATION_ROWS, comment_text, row_format

_FIRST_URL = re.compile(r"https?://[^\s\"<>{}|\\^`]+")


def write_input_sheets(book: Book, plan: Plan) -> dict[str, Sheet]:
    sheets = {}
    for layout in scenario_layout(plan.facts.scenario):
        sheets[layout.name] = write_input_sheet(book, layout)
    define_market_names(book, plan)
    return sheets


def write_input_sheet(book: Book, layout: SheetLayout, more_comment: dict[int, str] | None = None) -> Sheet:
    """Headers on row 1 with the template writer's comments (``more_comment``: text added to a column's), one row
    per table row, the template's number formats (a Value column shows % on the rows that hold a percentage) and its
    drop-down lists. Written row by row: the sheet streams."""
    sheet = book.add_sheet(layout.name)
    ws = sheet.ws
    sheet.header(0, 0, list(layout.headers), height=30)
    for j, col in enumerate(layout.columns):
        sheet.set_width(j, col.width)
        sheet.comment(0, j, comment_text(col, layout.description if j == 0 else "") + (more_comment or {}).get(j, ""))
    keys = [c.key for c in layout.columns]
    for i, row in enumerate(layout.rows, start=1):
        record = dict(zip(keys, row, strict=True))
        for j, (col, value) in enumerate(zip(layout.columns, row, strict=True)):
            sheet.value(i, j, value, book.fmt("label", row_format(layout.name, col, record)))
    for j, col in enumerate(layout.columns):
        if col.kind in (schema.Kind.CHOICE, schema.Kind.FLAG):
            choices = list(col.choices) if col.kind is schema.Kind.CHOICE else ["yes", "no"]
            ws.data_validation(1, j, VALIDATION_ROWS, j, {
                "validate": "list", "source": choices, "error_title": col.header[:32],
                "error_message": f"{col.header}: {col.expected}"[:255]})
    ws.freeze_panes(1, 1)
    ws.repeat_rows(0)
    return sheet


def define_market_names(book: Book, plan: Plan) -> None:
    """market_input, market_company, market_year, market_value: the Market sheet's columns, for SUMPRODUCT. An
    alternative that overrides Market cells reads a copy with its overrides instead (export_model)."""
    table = plan.facts.scenario.market
    last = max(len(table), 1)      # an empty sheet still names one (blank) row, so formulas stay valid
    for key in MARKET_NAMED:
        col = table.column_index(key)
        a, z = xl_rowcol_to_cell(1, col, True, True), xl_rowcol_to_cell(last, col, True, True)
        book.define(plan.name(f"market_{key}"), f"{quote_sheetname(schema.MARKET.name)}!{a}:{z}")


def write_sources(book: Book, plan: Plan) -> Sheet:
    """Every input row with its citation: the analyst is accountable for each number."""
    sheet = book.add_sheet(plan.sheets.sources)
    ws = sheet.ws
    sheet.text(0, 0, "Sources: every input row and its citation", book.fmt("title"), width=False)
    sheet.text(1, 0, "Links go to the row on its input sheet. A snapshot at export: edit sources on the input "
                     "sheets.", book.fmt("subtitle"), width=False)
    sheet.header(2, 0, ["Sheet", "Row", "Item", "Source", "Note"], height=20)
    # Sources and notes run to a few hundred characters: wrapped in fixed widths, so the sheet reads, and prints,
    # at a normal size rather than as one line spilling across the page. A source with a link is not counted in
    # its row's height: LibreOffice shows a hyperlink's text on one line, cut at the column's edge (the whole text
    # is in the cell, and the link opens the page).
    link, wrapped, wrapped_link = book.fmt("link_top"), book.fmt("wrap"), book.fmt("link_wrap")
    r = 3
    for table, item, has_note in _source_rows(plan.facts.scenario):
        for i, rec in enumerate(table.records()):
            name = item(rec)
            sheet.text(r, 0, table.sheet, wrapped)
            sheet.internal_link(r, 1, f"{_quoted(table.sheet)}!A{i + 2}", str(i + 2), link)
            sheet.text(r, 2, name, wrapped, width=False)
            source = str(rec.get("source") or "")
            url = _FIRST_URL.search(source)
            linked = bool(url and sheet.link(r, 3, url.group(0).rstrip(").,;"), source, wrapped_link))
            if not linked:
                sheet.text(r, 3, source or "(no source given)", wrapped if source else book.fmt("subtitle"),
                           width=False)
            texts = [(name, ITEM_WIDTH)] + ([] if linked else [(source, SOURCE_WIDTH)])
            if has_note:
                note = str(rec.get("note") or "")
                sheet.text(r, 4, note, wrapped, width=False)
                texts.append((note, NOTE_WIDTH))
            # Neither Excel nor LibreOffice grows a row to its wrapped text on opening a file: the height is set.
            lines = max(_lines(text, width) for text, width in texts)
            if lines > 1:
                ws.set_row(r, 15 * lines)
            r += 1
    sheet.set_width(1, 6)
    sheet.set_width(2, ITEM_WIDTH)
    sheet.set_width(3, SOURCE_WIDTH)
    sheet.set_width(4, NOTE_WIDTH)
    ws.freeze_panes(3, 1)
    return sheet


ITEM_WIDTH, SOURCE_WIDTH, NOTE_WIDTH = 44, 70, 60     # characters of '0'; text of a proportional font fits more


def _lines(text: str, width: float) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (an estimate: ~1.25 letters of
    ordinary text per width unit, breaking at spaces)."""
    per_line = max(int(width * 1.25), 10)
    lines, used = 1, 0
    for word in text.split():
        if used and used + 1 + len(word) > per_line:
            lines, used = lines + 1, 0
        used += len(word) + (1 if used else 0)
        while used > per_line:             # a word longer than the line (a URL) breaks inside
            lines, used = lines + 1, used - per_line
    return lines


def _quoted(name: str) -> str:
    return f"'{name}'" if not name.isalnum() else name


def _money(value: object) -> str:
    return f"${value:,.1f}B" if isinstance(value, int | float) else "?"


def _source_rows(scenario: Scenario) -> Iterator[tuple[Table, Callable[[dict[str, object]], str], bool]]:
    """Each input table, how to name one of its rows, and whether it has a Note column."""
    text = str
    yield from (
        (scenario.capex, lambda r: text(r["company"] or ""), False),
        (scenario.revenue, lambda r: text(r["company"] or ""), False),
        (scenario.investments, lambda r: f"{r['investor']} → {r['investee']}, {r['year']}, {r['kind']}, "
                                         f"{_money(r['amount'])}", True),
        (scenario.assumptions, lambda r: text(r["name"] or ""), False),
        (scenario.market, lambda r: ", ".join(text(v) for v in (r["input"], r["company"], r["year"]) if v), False),
        (scenario.thresholds, lambda r: text(r["indicator"] or ""), False),
    )
