"""What each template sheet holds, cell by cell, whatever library writes it.

The template writer (openpyxl: Save, the blank template) and the export (XlsxWriter) both lay input sheets out
from here, so a saved file and an export are the same template format.
"""

from __future__ import annotations

from dataclasses import dataclass

from model.core.scenario import Cell, Scenario, Table
from model.core.schema import Column, Kind

HEADER_ROW = 1          # 1-based Excel row of the headers; data start on the row below


@dataclass(frozen=True)
class SheetLayout:
    name: str
    columns: tuple[Column, ...]
    headers: tuple[object, ...]           # str, or int for a year column (typed as a number, as analysts do)
    rows: tuple[tuple[object, ...], ...]  # Excel-ready values: numbers, text, or None for a blank cell
    description: str


def excel_value(column: Column, value: Cell) -> object:
    """The value as it goes into a cell: flags as yes/no, everything else as is (percent stays a fraction)."""
    if value is None:
        return None
    if column.kind is Kind.FLAG:
        return "yes" if value else "no"
    return value


def sheet_layout(table: Table) -> SheetLayout:
    columns = table.columns
    headers = tuple(int(c.key) if c.key.isdigit() else c.header for c in columns)
    rows = tuple(tuple(excel_value(c, v) for c, v in zip(columns, row, strict=True)) for row in table.rows)
    return SheetLayout(table.sheet, columns, headers, rows, table.schema.description)


def scenario_layout(scenario: Scenario) -> tuple[SheetLayout, ...]:
    return tuple(sheet_layout(t) for t in scenario.tables)
