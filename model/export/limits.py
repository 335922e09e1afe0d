"""How large an export may be, and the refusal when a workbook is larger.

The export holds every cell in memory until the file is closed: its sheets are written block by block (a
company's rows, then its sections' helper rows above...), not row by row, so XlsxWriter's streaming mode, which
needs each sheet's rows in order, cannot be used without rewriting every sheet's writer. What keeps the memory
bounded instead: each sheet's XML goes to a scratch file rather than to memory when the workbook is closed
(``Book``), and the number of cells is capped. ``bench/bench_limits.py`` measures about 270 bytes per cell over
some 40 MB of code and data, so the cap keeps an export under 1 GB of memory; it is about 4,000 companies × 30
years with 2,000 deals, and the Investments cap (100,000 deals) fits (docs/export.md, *Size*).
"""

from __future__ import annotations

from model.core.overrides import ScenarioBook
from model.core.validation import read_assumptions
from model.io.atomic import SaveError

MAX_EXPORT_CELLS = 3_500_000
# The base's derived sheets write at least this many cells per company and model year: Cash flows' ten series and
# three helper sections, Required revenue's charge, requirement and coverage, Revenue path's growth factor.
CELLS_PER_COMPANY_YEAR = 15


class ExportTooLarge(SaveError):
    """The workbook would be larger than the export can write within its memory budget; nothing was written."""


def too_large(cells: int) -> ExportTooLarge:
    return ExportTooLarge(
        f"the export would hold more than {MAX_EXPORT_CELLS:,} cells (at least {cells:,}), more than it can "
        f"write within 1 GB of memory — about 4,000 companies × 30 years with 2,000 deals, or 100,000 deals; "
        f"export fewer scenarios, companies, years or deals (nothing was written; a previous file is kept)")


def lower_bound(book: ScenarioBook) -> int:
    """Cells the export writes at the least, known before anything is computed: the input cells, and the base's
    derived cells per company and model year."""
    base = book.base
    horizon = read_assumptions(base.assumptions)["Horizon end"]
    years = sum(1 for y in base.capex.years if y <= horizon)
    return input_cells(book) + len(base.companies) * years * CELLS_PER_COMPANY_YEAR


def input_cells(book: ScenarioBook) -> int:
    """The non-blank cells of the input sheets: every one is written to the export, so this is a lower bound of
    its size, known before anything is computed."""
    base = book.base
    count = sum(sum(1 for row in t.rows for cell in row if cell is not None) for t in base.tables)
    return count + sum(len(alt.overrides) for alt in book.alternatives)


def check_size(book: ScenarioBook) -> None:
    """Refuse at once a book that surely passes the cap (the count while writing catches the rest)."""
    cells = lower_bound(book)
    if cells > MAX_EXPORT_CELLS:
        raise too_large(cells)
