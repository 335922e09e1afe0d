"""Write a scenario in the template format with openpyxl (Save, the blank template).

The layout comes from :func:`model.io.template_layout.scenario_layout`: one sheet per input table, the headers on row 1
(bold, filled, frozen with the first column, each with a comment describing the column), one row per table row.
Percentages are stored as fractions with a % format, years and year headers as numbers, text as text (a text that
starts with "=" stays text, never a formula). Each column also carries its number format as a column style, so a
value typed into a new row of the blank template is formatted (24 typed in a percent column becomes 24%).

``read_template(path)`` of a written file gives back an equal scenario (``inputs_equal``); the tests check it on
random scenarios. The one loss: characters Excel cannot store (control characters other than tab and newline) are
dropped from text.

``python -m model.io.template_writer`` regenerates ``templates/blank-template.xlsx`` and the generated column tables
of ``docs/template-format.md``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from model.core import schema, values
from model.core.overrides import ScenarioBook
from model.core.scenario import Scenario, blank_scenario
from model.io.atomic import atomic_write
from model.io.paths import BLANK_TEMPLATE, ROOT, TEMPLATE_DOC
from model.io.scenario_sheet import scenarios_table
from model.io.template_layout import HEADER_ROW, SheetLayout, scenario_layout, sheet_layout

HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill(fill_type="solid", fgColor="FFDDEBF7")
HEADER_ALIGNMENT = Alignment(vertical="top", wrap_text=True)
PERCENT_FORMAT = schema.Column("_", "_", schema.Kind.PERCENT).excel_format
COMMENT_AUTHOR = "Bubblescope"
VALIDATION_ROWS = 5000      # rows below the header covered by the drop-down lists of choice and flag columns



def write_template(scenario: Scenario | ScenarioBook, path: str | os.PathLike[str]) -> None:
    """Write a scenario (or a book: the base and its alternatives) to ``path`` in the template format, atomically
    (raises SaveError; the old file stays)."""
    workbook = build_workbook(scenario)
    atomic_write(path, lambda tmp: workbook.save(tmp))


def write_blank_template(path: str | os.PathLike[str]) -> None:
    """The blank template: every sheet with its headers, the standard assumptions and thresholds, no companies."""
    write_template(blank_scenario(), path)


def build_workbook(scenario: Scenario | ScenarioBook) -> Workbook:
    book = scenario if isinstance(scenario, ScenarioBook) else ScenarioBook(scenario)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for layout in scenario_layout(book.base) + (sheet_layout(scenarios_table(book)),):
        _write_sheet(workbook.create_sheet(layout.name), layout)
    workbook.active = 0
    return workbook


def _write_sheet(ws: Worksheet, layout: SheetLayout) -> None:
    columns = layout.columns
    for c, (col, header) in enumerate(zip(columns, layout.headers, strict=True), start=1):
        cell = ws.cell(row=HEADER_ROW, column=c, value=header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = HEADER_ALIGNMENT
        text = comment_text(col, layout.description if c == 1 else "")
        comment = Comment(text, COMMENT_AUTHOR)
        comment.width = 320
        comment.height = 40 + 16 * (text.count("\n") + len(text) // 45)
        cell.comment = comment
        letter = get_column_letter(c)
        dim = ws.column_dimensions[letter]
        dim.width = col.width
        dim.number_format = col.excel_format

    for r, row in enumerate(layout.rows, start=HEADER_ROW + 1):
        record = dict(zip((c.key for c in columns), row, strict=True))
        for c, (col, value) in enumerate(zip(columns, row, strict=True), start=1):
            if value is None:
                continue
            cell = ws.cell(row=r, column=c)
            if isinstance(value, str):
                cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cell.data_type = "s"           # "=x" stays text, never a formula
            elif isinstance(value, float) and float(f"{value:.16g}") != value:
                # openpyxl writes 16 significant digits, one short of what some doubles need to read back
                # exactly; the shortest exact form goes into the cell as a number
                cell.value = repr(value)
                cell.data_type = "n"
            else:
                cell.value = value
            cell.number_format = row_format(layout.name, col, record)

    for c, col in enumerate(columns, start=1):
        if col.kind in (schema.Kind.CHOICE, schema.Kind.FLAG):
            choices = col.choices if col.kind is schema.Kind.CHOICE else ("yes", "no")
            dv = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle=col.header,
                                error=f"{col.header}: {col.expected}")
            letter = get_column_letter(c)
            dv.add(f"{letter}{HEADER_ROW + 1}:{letter}{HEADER_ROW + VALIDATION_ROWS}")
            ws.add_data_validation(dv)

    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=2)


def row_format(sheet: str, col: schema.Column, record: dict[str, object]) -> str:
    """The number format of one cell: the column's, except where a Value column holds a percentage or a year on
    this row (Assumptions by the assumption's kind, Market by its Unit, Thresholds by the indicator's unit)."""
    if sheet == "Assumptions" and col.key == "value":
        spec = schema.ASSUMPTION_BY_NAME.get(str(record.get("name") or "").strip().lower())
        if spec is not None:
            return schema.Column("_", "_", spec.kind).excel_format
    if sheet == "Market" and col.key == "value" and str(record.get("unit") or "").strip() == "%":
        return PERCENT_FORMAT
    if sheet == "Scenarios" and col.key == "value" and record.get("sheet") in schema.SHEET_BY_NAME:
        target = schema.sheet(str(record["sheet"]))
        for c in target.columns:
            if values.normalise_header(c.header) == values.normalise_header(str(record.get("column") or "")):
                return row_format(target.name, c, {})
        if str(record.get("column") or "").strip().isdigit() and target.years is not None:
            return target.years.template.excel_format
        return "General"
    if sheet == "Thresholds" and col.key in ("healthy", "bubble"):
        name = str(record.get("indicator") or "").strip().lower()
        units = {i.name.lower(): i.unit for i in schema.DERIVED_INDICATORS + schema.MARKET_INDICATOR_DEFAULTS}
        if units.get(name) == "%":
            return PERCENT_FORMAT
    return col.excel_format


def comment_text(col: schema.Column, sheet_description: str = "") -> str:
    """The header comment: what the column holds and what a valid value looks like."""
    lines = []
    if sheet_description:
        lines += [sheet_description, ""]
    title = col.header + (f" ({col.unit})" if col.unit else "")
    lines.append(title + (" — required" if col.required else ""))
    if col.description:
        lines.append(col.description)
    lines.append("Expected: " + col.expected + ".")
    if col.kind is schema.Kind.PERCENT:
        lines.append("Type 24% (or 0.24).")
    return "\n".join(lines)


# -- the analysts' documentation ----------------------------------------------------------------------------------

DOC_BEGIN = "<!-- BEGIN GENERATED: sheets (python -m model.io.template_writer) -->"
DOC_END = "<!-- END GENERATED: sheets -->"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def sheets_markdown() -> str:
    """The generated part of docs/template-format.md: every sheet and column, the deal kinds, the assumptions,
    the market inputs and the standard thresholds, all from model/core/schema.py so the doc cannot drift."""
    out: list[str] = []
    for spec in schema.SHEETS:
        out += [f"### {spec.name}", "", spec.description, ""]
        if spec.years is not None:
            t = spec.years.template
            after = spec.column(spec.years.after).header
            out += [f"After **{after}** comes one column per year, headed by the year itself (2025, typed as a number "
                    f"or as text): {t.header} in {t.unit}, {t.expected}. {t.description}", ""]
        key = ", ".join(spec.column(k).header for k in spec.key)
        out += [f"Each row is identified by: {key} (two rows alike are an error).", ""]
        out += ["| Column | Required | Expected | Blank means | Description |", "|---|---|---|---|---|"]
        for col in spec.columns:
            default = "—" if col.required else ("blank" if col.default is None else _default_text(col))
            out.append(f"| {_cell(col.header)} | {'yes' if col.required else 'no'} | {_cell(col.expected)} | "
                       f"{_cell(default)} | {_cell(col.description)} |")
        out.append("")

    out += ["### Deal kinds", "", "The Kind column of the Investments sheet takes one of these (any case):", "",
            "| Kind | Counts as external financing | What it means |", "|---|---|---|"]
    for kind in schema.DEAL_KINDS:
        out.append(f"| {kind.name} | {'yes' if kind.external_financing else 'no'} | {_cell(kind.description)} |")
    out += ["", "Status takes one of: " + ", ".join(schema.DEAL_STATUSES) + ".", ""]

    out += ["### Assumptions the model reads", "",
            "Rows of the Assumptions sheet, by Name (any case). A missing row takes its default; any other name is "
            "kept and warned about.", "",
            "| Name | Unit | Default | Allowed | Source of the default |", "|---|---|---|---|---|"]
    for a in schema.ASSUMPTIONS:
        col = a.column()
        allowed = col.expected
        default = f"{a.default:.0%}" if a.kind is schema.Kind.PERCENT else f"{a.default:g}"
        out.append(f"| {a.name} | {_cell(a.unit)} | {default} | {_cell(allowed)} | {_cell(a.source)} |")
    out.append("")

    out += ["### Market inputs", "",
            "Per company (Company filled in), in $B per year: " + ", ".join(schema.COMPANY_MARKET_INPUTS) + ". "
            "With the Company blank, any input is market-wide and becomes a bubble indicator when the Thresholds "
            "sheet names it; the standard ones are:", "",
            "| Input | Unit | Source of the calibration |", "|---|---|---|"]
    for market in schema.MARKET_INDICATOR_DEFAULTS:
        out.append(f"| {market.name} | {_cell(market.unit)} | {_cell(market.source)} |")
    out.append("")

    out += ["### Standard thresholds", "",
            "The Thresholds rows of the blank template: each indicator scores 0 at Healthy and 100 at Bubble, "
            "weighted by Weight. Percentages are stored as fractions (100% = 1).", "",
            "| Indicator | Formula | Healthy | Bubble | Weight | Scored per company |", "|---|---|---|---|---|---|"]
    for ind in schema.DERIVED_INDICATORS + schema.MARKET_INDICATOR_DEFAULTS:
        def show(x: float, unit: str = ind.unit) -> str:
            return f"{x:.1%}".replace(".0%", "%") if unit == "%" else f"{x:g}"
        out.append(f"| {ind.name} | {_cell(ind.formula)} | {show(ind.healthy)} | {show(ind.bubble)} | "
                   f"{ind.weight:g} | {'yes' if ind.company_level else 'no'} |")
    return "\n".join(out).rstrip() + "\n"


def _default_text(col: schema.Column) -> str:
    value = col.default
    if col.kind is schema.Kind.FLAG:
        return "yes" if value else "no"
    if col.kind is schema.Kind.PERCENT and isinstance(value, float):
        return f"{value:.0%}"
    if isinstance(value, float) and value.is_integer():
        return f"{value:g}"
    return str(value)


def update_doc(path: str | os.PathLike[str] = TEMPLATE_DOC) -> bool:
    """Replace the generated section of the template doc; True when it changed."""
    p = Path(path)
    text = p.read_text(encoding="utf-8")
    start, end = text.index(DOC_BEGIN) + len(DOC_BEGIN), text.index(DOC_END)
    new = text[:start] + "\n\n" + sheets_markdown() + "\n" + text[end:]
    if new == text:
        return False
    p.write_text(new, encoding="utf-8")
    return True


def generate(root: str | os.PathLike[str] = ROOT) -> list[Path]:
    """Write the blank template and refresh the doc's generated tables under ``root``; the files written."""
    root = Path(root)
    blank = root / BLANK_TEMPLATE.relative_to(ROOT)
    blank.parent.mkdir(parents=True, exist_ok=True)
    write_blank_template(blank)
    written = [blank]
    doc = root / TEMPLATE_DOC.relative_to(ROOT)
    if doc.exists() and update_doc(doc):
        written.append(doc)
    return written


if __name__ == "__main__":
    for written_path in generate(sys.argv[1] if len(sys.argv) > 1 else ROOT):
        print(f"wrote {written_path}")
