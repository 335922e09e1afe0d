"""How large an export may be, and the refusal when a workbook would be larger.

The export streams: each sheet is written in bands of rows filled top to bottom (model/export/book.py,
``ExactWorksheet``), and finished rows go to a scratch file at once, so its memory does not grow with the number of
cells: it grows with the model's own arrays (companies × years), as ``report`` does. What bounds an export is
Excel's sheet: 1,048,576 rows. The longest sheet is Cash flows, sixteen sections of a row per company (plus three),
so at most 65,530 companies; a template at the import caps (100,000 rows per sheet, at most about 24,000
companies × 30 years within the import's 200 MB) fits. A sheet that would pass Excel's rows (a Bubble score with
thousands of indicators per company...) is refused naming the sheet. ``bench/bench_limits.py`` measures memory and
time at the caps (docs/export.md, *Size*).
"""

from __future__ import annotations

from model.core.overrides import ScenarioBook
from model.io.atomic import SaveError

EXCEL_ROWS = 1_048_576
CASH_FLOW_SECTIONS = 16      # model/export/plan.py, CASH_FLOW_SECTIONS: each a title, a row per company, Sector, gap
MAX_EXPORT_COMPANIES = (EXCEL_ROWS - 3) // CASH_FLOW_SECTIONS - 3


class ExportTooLarge(SaveError):
    """The workbook would not fit in Excel's sheets; nothing was written."""


def too_many_companies(companies: int) -> ExportTooLarge:
    return ExportTooLarge(
        f"the export would need {3 + CASH_FLOW_SECTIONS * (companies + 3):,} rows on the Cash flows sheet for "
        f"{companies:,} companies (sixteen sections of a row per company), more than Excel's {EXCEL_ROWS:,}; it "
        f"holds at most {MAX_EXPORT_COMPANIES:,} companies — export fewer companies (nothing was written; a "
        f"previous file is kept)")


def sheet_too_long(sheet: str) -> ExportTooLarge:
    return ExportTooLarge(
        f"the sheet '{sheet}' would be longer than Excel's {EXCEL_ROWS:,} rows — export fewer companies, "
        f"indicators or deals (nothing was written; a previous file is kept)")


def input_cells(book: ScenarioBook) -> int:
    """The non-blank cells of the input sheets (every one is written to the export): the measure of a template's
    size that bench/bench_limits.py divides the export's time by."""
    base = book.base
    count = sum(sum(1 for row in t.rows for cell in row if cell is not None) for t in base.tables)
    return count + sum(len(alt.overrides) for alt in book.alternatives)


def check_size(book: ScenarioBook) -> None:
    """Refuse at once, before anything is computed, a book whose Cash flows sheet would pass Excel's rows (the
    write refuses any other sheet that would, naming it)."""
    companies = len(book.base.companies)
    if companies > MAX_EXPORT_COMPANIES:
        raise too_many_companies(companies)
