"""The export's writing layer: XlsxWriter with every label written as text and every formula with its value.

Nothing here knows the model. ``Book`` owns the workbook, its formats and its defined names; ``Sheet`` writes
cells through four doors only (``text``, ``number``, ``formula``, ``value``), so a company name such as
``=HYPERLINK(...)`` or ``+1`` can only ever land in a cell as a string (XlsxWriter's ``strings_to_formulas``,
``strings_to_numbers`` and ``strings_to_urls`` are off as well, in case someone calls ``write`` later).
"""

from __future__ import annotations

import io
import math
import os
import re
import tempfile
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import xlsxwriter
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from model.export import limits

EXCEL_TEXT_LIMIT = 32_767
MAX_SHEET_NAME = 31
_URL = re.compile(r"^https?://[^\s\"<>{}|\\^`]+$")
MAX_URL_LENGTH = 255          # older Excel versions refuse longer links; longer sources stay plain text
MAX_URLS_PER_SHEET = 65_000   # Excel's limit is 65,530

NAVY = "#1F3864"
PALE = "#D9E1F2"
GREY = "#595959"

MONEY = '#,##0.0;[Red]-#,##0.0;"–"'
PERCENT = "0.0%"
YEAR = "0"
YEARS = "0.0"
SCORE = "0"
RATIO = '0.00"×";-0.00"×";"–"'    # 0 only when there is nothing to pay back: '–', as in the report
FLAG = '"yes";"yes";"no"'
NUMBER = "#,##0.00"

# Named cell styles. Each is a dict of XlsxWriter format properties; ``Book.fmt`` caches the Format objects.
STYLES: dict[str, dict[str, Any]] = {
    "title": {"bold": True, "font_size": 15, "font_color": NAVY},
    "subtitle": {"italic": True, "font_color": GREY},
    "note_italic": {"italic": True, "font_color": GREY, "text_wrap": True, "valign": "top"},
    "note": {"font_color": GREY, "text_wrap": True, "valign": "top"},
    # the template writer's header: bold on pale blue, wrapped (model/io/template_writer.py)
    "header": {"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top", "bottom": 1,
               "bottom_color": "#8EA9DB"},
    "header_right": {"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top", "bottom": 1,
                     "bottom_color": "#8EA9DB", "align": "right"},
    "header_center": {"bold": True, "bg_color": "#DDEBF7", "text_wrap": True, "valign": "top", "bottom": 1,
                      "bottom_color": "#8EA9DB", "align": "center"},
    "section": {"bold": True, "bg_color": PALE, "font_color": NAVY},
    "label": {},
    "label_red": {"font_color": "#C00000", "bold": True},
    "num": {"align": "right"},
    "flag": {"align": "center"},
    "kicker": {"bold": True, "font_size": 12, "font_color": NAVY},
    "label_bold": {"bold": True, "top": 1},
    "wrap": {"text_wrap": True, "valign": "top"},
    "big": {"bold": True, "font_size": 26, "font_color": NAVY, "align": "left", "valign": "vcenter",
            "num_format": SCORE},
    "big_label": {"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"},
    "aside": {"font_color": GREY, "valign": "vcenter"},
    "link": {"font_color": "#0563C1", "underline": 1},
    "link_wrap": {"font_color": "#0563C1", "underline": 1, "text_wrap": True, "valign": "top"},
    "link_top": {"font_color": "#0563C1", "underline": 1, "valign": "top", "align": "center"},
    "delta": {"align": "right", "font_color": "#404040", "bg_color": "#F2F2F2"},
    "canary": {"bg_color": "#FFF2CC", "num_format": "0"},
}


class RowsAlreadyStreamed(RuntimeError):
    """A sheet writer came back to rows already streamed to disk: a fault in the writer's order (tests catch it),
    never something the analyst's input can cause."""


class ExactWorksheet(Worksheet):
    """XlsxWriter's worksheet, with exact numbers, plain formulas and streaming.

    Numbers: XlsxWriter writes 16 significant digits; a few doubles need 17 to read back exactly (0.1 + 0.2). Those
    get their shortest exact form, so an exported input reads back as the very same number.

    Streaming (``stream``): a sheet is cut into bands of rows (a Cash flows section, the Bubble score's inputs
    table...), each written top to bottom, so a band's rows above the one being written are finished. They are
    turned into XML at once, in whole blocks of 16 rows (the blocks XlsxWriter's row "spans" are computed over), and
    appended to a scratch file; at close the sheet's XML is assembled from the scratch file and the rows still in
    memory, in row order. The memory a sheet holds is then a few blocks per band, whatever its size, and the XML is
    what XlsxWriter writes without streaming (shared strings included, unlike its constant_memory mode, which also
    drops the data charts show before recalculation); only the styles' numbers may differ, XlsxWriter numbering a
    style when a cell using it first becomes XML. A write to a streamed row raises RowsAlreadyStreamed rather than
    being dropped."""

    dim_rowmin: int | None                   # XlsxWriter's, declared for mypy
    dim_rowmax: int | None
    fh: Any
    _bands: list[int] | None = None          # first row of each band, ascending from 0; None: not streamed
    _chart_rows: Callable[[], frozenset[int]] | None = None

    def stream(self, band_starts: Sequence[int], chart_rows: Callable[[], frozenset[int]]) -> None:
        """Stream this sheet's rows to ``tmpdir``, band by band (each band's first row in ``band_starts``).
        ``chart_rows()`` gives the rows a chart reads (their cells are kept for the chart's cached values)."""
        self._bands = sorted({0, *band_starts})
        self._next_block = [0] * len(self._bands)      # per band, the first block not yet streamed
        self._streamed_blocks: set[int] = set()
        self._segments: list[tuple[int, int, int, int]] = []    # (first row, last row, offset, length) on disk
        self._kept: dict[int, dict[int, Any]] = {}
        self._chart_rows = chart_rows
        self._scratch: IO[bytes] | None = None

    def _check_dimensions(self, row: int, col: int, ignore_row: bool = False, ignore_col: bool = False) -> int:
        if not ignore_row and row >= self.xls_rowmax:
            raise limits.sheet_too_long(self.name)
        if self._bands is not None and not ignore_row and row >= 0:
            block = row >> 4
            if block in self._streamed_blocks:
                raise RowsAlreadyStreamed(f"{self.name}: row {row + 1} is written after its rows were streamed")
            band = bisect_right(self._bands, row) - 1
            if block - 1 > self._next_block[band]:      # a block's lag, for a writer that steps back a row or two
                self._stream_band(band, block - 1)
        result: int = super()._check_dimensions(row, col, ignore_row, ignore_col)
        return result

    def _stream_band(self, band: int, stop: int) -> None:
        """Stream the blocks of ``band`` below block ``stop`` that lie wholly in the band (a block shared with the
        next band stays in memory until the sheet is closed)."""
        assert self._bands is not None
        start_row = self._bands[band]
        end_row = self._bands[band + 1] if band + 1 < len(self._bands) else self.xls_rowmax
        first = max(self._next_block[band], -(-start_row // 16))
        last = min(stop, end_row // 16)             # blocks first .. last - 1
        self._next_block[band] = max(self._next_block[band], stop)
        if first >= last:
            return
        self._write_out(first * 16, last * 16)
        self._streamed_blocks.update(range(first, last))

    def _write_out(self, lo: int, hi: int) -> None:
        """Turn rows lo .. hi - 1 into XML on the scratch file and drop them from memory."""
        if self.dim_rowmin is not None and self.dim_rowmax is not None:
            a, b = max(lo, self.dim_rowmin), min(hi, self.dim_rowmax + 1)
            if a < b:
                keep = self._chart_rows() if self._chart_rows is not None else frozenset()
                for r in keep:
                    if a <= r < b and r in self.table:
                        self._kept[r] = self.table[r]
                if self._scratch is None:
                    self._scratch = tempfile.TemporaryFile(dir=self.tmpdir)  # noqa: SIM115 (closed in _write_rows)
                xml = io.StringIO()
                saved = self.fh, self.dim_rowmin, self.dim_rowmax
                self.fh, self.dim_rowmin, self.dim_rowmax = xml, a, b - 1
                try:
                    super()._write_rows()
                finally:
                    self.fh, self.dim_rowmin, self.dim_rowmax = saved
                data = xml.getvalue().encode("utf-8")
                offset = self._scratch.seek(0, os.SEEK_END)
                self._scratch.write(data)
                self._segments.append((a, b - 1, offset, len(data)))
        for r in range(lo, hi):
            self.table.pop(r, None)

    def _write_rows(self) -> None:
        if self._bands is None or not self._segments:
            super()._write_rows()
            return
        # The streamed segments and the rows still in memory (the gaps between them), in row order.
        assert self._scratch is not None and self.dim_rowmin is not None and self.dim_rowmax is not None
        low, high = self.dim_rowmin, self.dim_rowmax
        cursor = low
        try:
            for first, last, offset, length in sorted(self._segments):
                if cursor < first:
                    self.dim_rowmin, self.dim_rowmax = cursor, first - 1
                    super()._write_rows()
                self._scratch.seek(offset)
                self.fh.write(self._scratch.read(length).decode("utf-8"))
                cursor = last + 1
            if cursor <= high:
                self.dim_rowmin, self.dim_rowmax = cursor, high
                super()._write_rows()
        finally:
            self.dim_rowmin, self.dim_rowmax = low, high
            self._scratch.close()

    def release(self) -> None:
        """Close the scratch file (the workbook is written, or abandoned)."""
        if self._bands is not None and self._scratch is not None:
            self._scratch.close()

    def _get_range_data(self, row_start: int, col_start: int, row_end: int, col_end: int) -> Any:
        """A chart's cached values: the streamed rows it reads were kept (``chart_rows``)."""
        if self._bands is not None:
            for r in range(row_start, row_end + 1):
                if r >> 4 in self._streamed_blocks:
                    if r in self._kept:
                        self.table[r] = self._kept[r]
                    elif any(a <= r <= b for a, b, _, _ in self._segments):
                        raise RowsAlreadyStreamed(f"{self.name}: a chart reads row {r + 1}, which was streamed "
                                                  f"before the chart was added")
        return super()._get_range_data(row_start, col_start, row_end, col_end)

    def _xml_number_element(self, number: float, attributes: list[tuple[str, Any]] | None = None) -> None:
        text = f"{number:.16G}"
        if float(text) != number:
            text = repr(float(number))
        attr = "".join(f' {key}="{self._escape_attributes(value)}"' for key, value in attributes or ())
        self.fh.write(f"<c{attr}><v>{text}</v></c>")

    def _prepare_formula(self, formula: str, expand_future_functions: bool = False) -> str:
        """The export's formulas use only functions that Excel 2007 and LibreOffice know (tests/test_export.py
        checks it), so none needs XlsxWriter's ``_xlfn.`` prefixes; its thirty regex passes per formula were most
        of the time of a large export. Only the leading "=" goes."""
        return formula[1:] if formula.startswith("=") else formula


@dataclass
class Book:
    """One export workbook being written."""

    path: Path
    scratch: Path | None = None     # a folder for XlsxWriter's per-sheet files (model.io.atomic.scratch_folder)
    workbook: Workbook = field(init=False)
    formula_cells: int = 0
    cells: int = 0                  # every cell written
    charts: int = 0
    notes: list[str] = field(default_factory=list)
    _formats: dict[tuple[str, str, bool], Any] = field(default_factory=dict)
    _sheets: list[Sheet] = field(default_factory=list)
    _names: set[str] = field(default_factory=set)
    _chart_key: tuple[int, int] = (-1, -1)
    _chart_rows_by_sheet: dict[str, frozenset[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Each sheet's XML goes to a file in the scratch folder when the workbook closes, not to memory: at a large
        # export the XML is several times the size of the cells themselves (model/export/limits.py).
        options: dict[str, Any] = {"strings_to_formulas": False, "strings_to_numbers": False,
                                   "strings_to_urls": False, "in_memory": self.scratch is None}
        if self.scratch is not None:
            options["tmpdir"] = str(self.scratch)
        self.workbook = xlsxwriter.Workbook(str(self.path), options)

    def count(self, cells: int = 1) -> None:
        """Count cells written (for the bench and the tests: the export's memory does not grow with them)."""
        self.cells += cells

    def fmt(self, style: str = "label", num_format: str = "", bold: bool = False) -> Any:
        key = (style, num_format, bold)
        if key not in self._formats:
            props = dict(STYLES[style])
            if num_format:
                props["num_format"] = num_format
            if bold:
                props.update({"bold": True, "top": 1})
            self._formats[key] = self.workbook.add_format(props)
        return self._formats[key]

    def add_sheet(self, name: str, bands: Sequence[int] | None = (0,)) -> Sheet:
        """A new sheet. ``bands``: the first row of each band of rows the writer fills top to bottom, so that
        finished rows are streamed out (``ExactWorksheet.stream``); the default is one band, the whole sheet written
        in row order. None keeps every cell in memory until the workbook closes (a small sheet written in any
        order)."""
        sheet = Sheet(self, self.workbook.add_worksheet(name, worksheet_class=ExactWorksheet), name)
        if bands is not None:
            sheet.ws.stream(bands, lambda: self._chart_rows(name))
        sheet.ws.set_landscape()
        sheet.ws.fit_to_pages(1, 0)     # printed one page wide
        self._sheets.append(sheet)
        return sheet

    def _chart_rows(self, sheet: str) -> frozenset[int]:
        """The rows of ``sheet`` that the charts added so far read: kept in memory for their cached values."""
        charts = self.workbook.charts
        key = (len(charts), sum(len(c.formula_ids) for c in charts))
        if self._chart_key != key:
            rows: dict[str, set[int]] = {}
            for chart in charts:
                for formula in chart.formula_ids:
                    name, cells = self.workbook._get_chart_range(formula)
                    if name is not None and cells:
                        rows.setdefault(name, set()).update(range(cells[0], cells[2] + 1))
            self._chart_rows_by_sheet = {k: frozenset(v) for k, v in rows.items()}
            self._chart_key = key
        return self._chart_rows_by_sheet.get(sheet, frozenset())

    def define(self, name: str, reference: str) -> None:
        """A workbook-level defined name, e.g. ``discount_rate`` -> ``'Model'!$C$5``; each name once."""
        if name.casefold() in self._names:
            raise ValueError(f"the defined name {name!r} is defined twice")
        self._names.add(name.casefold())
        self.workbook.define_name(name, "=" + reference)

    @property
    def sheet_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self._sheets)

    @property
    def sheets(self) -> tuple[Sheet, ...]:
        return tuple(self._sheets)

    def close(self) -> None:
        try:
            for sheet in self._sheets:
                sheet.fit_columns()
            self.workbook.close()
        finally:
            self.release()

    def release(self) -> None:
        """Close every sheet's scratch file: called by ``close``, and by the export when a writer fails."""
        for sheet in self._sheets:
            sheet.ws.release()


@dataclass
class Sheet:
    book: Book
    ws: Worksheet
    name: str
    widths: dict[int, float] = field(default_factory=dict)
    fixed_widths: dict[int, float] = field(default_factory=dict)
    urls: int = 0

    # -- references ------------------------------------------------------------------------------------------
    def ref(self, row: int, col: int, row_abs: bool = True, col_abs: bool = True) -> str:
        """This sheet's cell as seen from any sheet: ``'Cash flows'!$C$5``."""
        return f"{quote_sheetname(self.name)}!{xl_rowcol_to_cell(row, col, row_abs, col_abs)}"

    def span(self, r1: int, c1: int, r2: int, c2: int) -> str:
        a = xl_rowcol_to_cell(r1, c1, True, True)
        b = xl_rowcol_to_cell(r2, c2, True, True)
        return f"{quote_sheetname(self.name)}!{a}:{b}"

    # -- the four doors --------------------------------------------------------------------------------------
    def text(self, row: int, col: int, value: str | None, fmt: Any = None, width: bool = True) -> None:
        """A label, always as a string cell, whatever it looks like (``=1+1``, ``+1``, ``@SUM(A1)``...)."""
        text = "" if value is None else clean_text(str(value))
        if text == "":
            if fmt is not None:
                self.ws.write_blank(row, col, None, fmt)
            return
        self.book.count()
        if self.ws.write_string(row, col, text, fmt) == -2:
            self.book.notes.append(f"{self.name}: a text longer than Excel's {EXCEL_TEXT_LIMIT:,} characters "
                                   f"was cut")
        if width:
            self.note_width(col, _text_width(text))

    def number(self, row: int, col: int, value: float, fmt: Any = None) -> None:
        self.book.count()
        self.ws.write_number(row, col, _finite(value), fmt)

    def formula(self, row: int, col: int, formula: str, value: float | str, fmt: Any = None) -> None:
        """A live formula that also carries the value the model computed (shown before any recalculation)."""
        if isinstance(value, str):
            value = clean_text(value)
        elif not math.isfinite(value):
            value = "#NUM!"     # what Excel shows for a result that overflows (absurd growth over decades)
        else:
            value = float(value)
        self.book.count()
        self.ws.write_formula(row, col, formula, fmt, value)
        self.book.formula_cells += 1

    def value(self, row: int, col: int, value: object, fmt: Any = None) -> None:
        """An input value as the template holds it: a number, a string (always as text) or a blank."""
        if value is None:
            if fmt is not None:
                self.ws.write_blank(row, col, None, fmt)
        elif isinstance(value, bool):
            self.text(row, col, "yes" if value else "no", fmt)
        elif isinstance(value, int | float):
            self.number(row, col, float(value), fmt)
        else:
            self.text(row, col, str(value), fmt)

    def link(self, row: int, col: int, url: str, text: str, fmt: Any) -> bool:
        """A hyperlink cell showing ``text`` (as a string); only plain http(s) links, else nothing (False)."""
        text = clean_text(text)[:EXCEL_TEXT_LIMIT]
        if len(url) > MAX_URL_LENGTH or not _URL.match(url) or self.urls >= MAX_URLS_PER_SHEET or not text:
            return False
        self.book.count()
        if self.ws.write_url(row, col, url, fmt, string=text) != 0:
            return False
        self.urls += 1
        self.note_width(col, _text_width(text))
        return True

    def internal_link(self, row: int, col: int, target: str, text: str, fmt: Any, width: bool = True) -> None:
        """A link to a cell of this workbook (``Capex!A2``); ``target`` is built from our own sheet names. Past
        Excel's limit of links per sheet (MAX_URLS_PER_SHEET, as for web links) the cell keeps its text only."""
        if self.urls >= MAX_URLS_PER_SHEET:
            self.text(row, col, text, fmt, width=width)
            return
        self.book.count()
        self.ws.write_url(row, col, f"internal:{target}", fmt, string=clean_text(text))
        if width:
            self.note_width(col, _text_width(text))
        self.urls += 1

    def comment(self, row: int, col: int, text: str) -> None:
        self.ws.write_comment(row, col, text[:EXCEL_TEXT_LIMIT], {"x_scale": 2.2, "y_scale": 1.6})

    # -- layout -----------------------------------------------------------------------------------------------
    def header(self, row: int, col: int, labels: Sequence[object], height: float | None = None) -> None:
        """A header row in the template's style; a year heads its column as a number, as in the template."""
        fmt = self.book.fmt("header", YEAR)
        for j, label in enumerate(labels):
            if isinstance(label, int):
                self.book.count()
                self.ws.write_number(row, col + j, label, fmt)
            else:
                self.text(row, col + j, str(label), fmt, width=False)
                self.note_width(col + j, min(_text_width(str(label)), 18))
        if height:
            self.ws.set_row(row, height)

    def note_width(self, col: int, chars: float) -> None:
        if chars > self.widths.get(col, 0):
            self.widths[col] = chars

    def set_width(self, col: int, width: float) -> None:
        self.fixed_widths[col] = width

    def fit_columns(self, cap: float = 60) -> None:
        for col, chars in self.widths.items():
            if col not in self.fixed_widths:
                self.ws.set_column(col, col, min(max(chars + 2, 8), cap))
        for col, width in self.fixed_widths.items():
            self.ws.set_column(col, col, width)


def clean_text(text: str) -> str:
    """Text as a cell can hold it: characters Excel cannot store (control characters but tab and newline) are
    dropped, as the template writer drops them (XlsxWriter would escape them into visible "_x0001_" text), and a
    carriage return becomes a newline (XML reads "\r" back as "\n" anyway)."""
    return ILLEGAL_CHARACTERS_RE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _finite(value: float) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"cannot store {value} in a cell")
    return value


def _text_width(text: str) -> float:
    longest = max((len(line) for line in text.splitlines()), default=0)
    return min(longest, 60) * 1.05


_FORBIDDEN_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\']")


def sheet_text(text: str) -> str:
    """Text as a sheet name can hold it — the one cleaning of every tab name the export writes: without the
    characters Excel refuses there (``[ ] : * ? / \\ '``), spaces squeezed, and starting with a letter or digit (a tab
    reads ``Summary (HYPERLINK)``, not ``Summary (=HYPERLINK)``)."""
    text = re.sub(r"\s+", " ", _FORBIDDEN_IN_SHEET_NAME.sub(" ", clean_text(text)))
    return re.sub(r"^[\W_]+", "", text).strip()


def sheet_name(base: str, suffix: str = "") -> str:
    """``Cash flows`` or, for another scenario, ``Cash flows (Bear)``, within Excel's 31 characters and without
    the characters Excel forbids in sheet names."""
    if not suffix:
        return base
    clean = sheet_text(suffix) or "scenario"
    room = MAX_SHEET_NAME - len(base) - 3
    return f"{base} ({clean[:max(room, 1)].strip()})"
