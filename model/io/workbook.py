"""Read an Excel template into a :class:`~model.core.scenario.Scenario`, reporting every problem at its cell.

``read_template(path)`` returns the scenario or raises :class:`~model.core.problems.TemplateError` listing every problem
(errors and warnings) at once; ``check_template(path)`` returns the same problems and never raises for bad content.
Files we will not parse at all raise :class:`~model.core.problems.FileRefused` (see :mod:`model.io.safety`).

How a sheet is read (``docs/template-format.md`` says the same for analysts):

* Sheets are found by name, case- and whitespace-insensitively. Capex and Revenue are required; a missing
  Investments or Market sheet means no rows; a missing Assumptions or Thresholds sheet means the standard rows of the
  blank template. A missing sheet with a sheet of a similar name present ("Revenue 2025") is one error naming both,
  and the errors that only follow from a required sheet not read are dropped. Other sheets are ignored with a warning.
* The header row is the row, among the first ``HEADER_SCAN_ROWS``, that holds the most recognised headers (the
  first such row on a tie), so title rows, merged or not, may sit above it. Rows above the header are ignored.
  A header cell covered by a merged range takes the value of the range's top-left cell when that cell is in the
  same column (a header merged down over two rows); a header merged across columns heads its first column only.
* Headers match case- and whitespace-insensitively; columns may come in any order; unknown columns are ignored with
  a warning; a missing required column is an error. Year columns are headed by the year ("2025", 2025.0); a date
  shown as a year, 2025E, FY2025 or FY25 are read with a warning quoting the header as displayed; any other header
  naming a year is an error (its column would otherwise be dropped). A gap in the Capex years or a Capex sheet
  without year columns is an error (Revenue: a warning). Hidden columns and rows are read, with a warning.
* Every row below the header whose recognised cells are all blank is skipped (trailing, formatted-but-empty or
  blank rows in the middle). Other rows are parsed cell by cell by the schema (``Column.parse``).
* Values are read as stored (``data_only``): a formula counts with its saved result; a formula saved without a
  result (files written by scripts) is an error at its cell. A number no float holds (``nan``, 400 digits) is an
  error at its cell (openpyxl's cast is wrapped, see ``_cast_number``). A plain number in a percentage cell
  follows Excel's percent entry (``values.percent_entry``), as in the window.
* After the cells, :func:`model.core.validation.validate` checks the scenario as a whole with a locator that maps each
  (sheet, row, column) to the cell it came from, so cross-row problems carry the real cell too.

The scenario's ``warnings`` hold the warnings of reading (unknown sheets and columns, suspicious percentages...).
Validation warnings are not stored there, because ``compute`` runs ``validate`` again and would list them twice;
``check_template`` and ``TemplateError`` report both.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import itertools
import os
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import openpyxl.worksheet._reader as _openpyxl_reader
from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_from_string, get_column_letter, range_boundaries
from openpyxl.utils.datetime import to_excel

from model.core import schema, values
from model.core.overrides import ScenarioBook
from model.core.problems import FileRefused, Problem, Severity, TemplateError
from model.core.scenario import Scenario, Table
from model.core.validation import validate
from model.io import damage, safety
from model.io.scenario_sheet import alternatives_from_table

HEADER_SCAN_ROWS = 20
REQUIRED_SHEETS = ("Capex", "Revenue")
# Sheets that, when missing, take the blank template's rows rather than none.
DEFAULT_ROWS = {
    "Assumptions": schema.default_assumption_rows,
    "Thresholds": schema.default_threshold_rows,
}
# Sheets a template may leave out without a word: the simulation's ranges (docs/template-format.md, Uncertainty).
OPTIONAL_SHEETS = (schema.UNCERTAINTY.name, schema.CORRELATIONS.name)
_MAX_MERGES = 10_000

FORMULA_WITHOUT_VALUE = ("a formula with no stored value (the file was saved by a program that does not "
                         "calculate): open it in Excel or LibreOffice and save it, or type the value")


# openpyxl turns a numeric cell's text into a number with int()/float() and lets a failure end the whole sheet
# ("invalid literal for int() with base 10: 'nan'", "Exceeds the limit (4300 digits)"). A number no float can hold
# becomes an UnreadableNumber instead, reported at its cell like any other value that cannot be read.
_openpyxl_cast_number = _openpyxl_reader._cast_number


def _cast_number(text: str) -> object:
    if len(text) > values.MAX_VALUE_CHARS:
        return values.UnreadableNumber(text)
    try:
        return _openpyxl_cast_number(text)
    except (ValueError, OverflowError):
        return values.UnreadableNumber(text)


_openpyxl_reader._cast_number = _cast_number


def read_template(path: str | os.PathLike[str]) -> Scenario:
    """The scenario in the template at ``path``.

    Raises FileRefused (one-line reason) for a file we will not parse, TemplateError listing every problem when any
    error is found. On success the scenario's ``warnings`` hold the warnings found while reading.
    """
    result = _read(path)
    problems = result.problems()
    if any(p.severity == "error" for p in problems):
        raise TemplateError(problems)
    warned = tuple(p for p in _sorted(result.read_problems) if p.severity == "warning")
    return replace(result.scenario, warnings=warned)


def read_book(path: str | os.PathLike[str]) -> ScenarioBook:
    """The base scenario and its alternatives (the Scenarios sheet). Errors as ``read_template``; an override whose
    row or column is not in the base is kept and reported among the base's warnings."""
    result = _read(path)
    problems = result.problems()
    if any(p.severity == "error" for p in problems):
        raise TemplateError(problems)
    warned = tuple(p for p in _sorted(result.read_problems + [p for p in result.validation_problems
                                                              if p.sheet == "Scenarios"])
                   if p.severity == "warning")
    return result.book.with_base(replace(result.scenario, warnings=warned))


def check_template(path: str | os.PathLike[str]) -> list[Problem]:
    """Every problem of the template (errors and warnings); a refused file is one error. Never raises for content."""
    try:
        return _read(path).problems()
    except TemplateError as exc:   # FileRefused included
        return list(exc.problems)


# -- reading -------------------------------------------------------------------------------------------------------

@dataclass
class _SheetRead:
    """Where one sheet's values came from: the locator of validation problems."""

    header_row: int
    column_of: dict[str, int]                       # column key -> 1-based column in the file
    row_numbers: list[int] = field(default_factory=list)   # table row index -> Excel row
    missing: set[str] = field(default_factory=set)  # headers of required columns missing from the file

    def cell(self, row: int, key: str) -> str:
        col = self.column_of.get(key)
        if col is None:
            return ""
        if row < 0:
            return f"{get_column_letter(col)}{self.header_row}"
        if row >= len(self.row_numbers):
            return ""
        return f"{get_column_letter(col)}{self.row_numbers[row]}"


@dataclass
class _Result:
    scenario: Scenario
    read_problems: list[Problem]
    validation_problems: list[Problem]
    book: ScenarioBook

    def problems(self) -> list[Problem]:
        return _sorted(self.read_problems + self.validation_problems)


def _read(path: str | os.PathLike[str]) -> _Result:
    package = safety.inspect(path, reads=_is_template_sheet)
    name = str(path)
    problems: list[Problem] = []
    reads: dict[str, _SheetRead] = {}
    tables: dict[str, Table] = {}

    with contextlib.ExitStack() as stack, warnings.catch_warnings():
        # openpyxl warns about what it drops (data validation extensions, slicers...): none of it is an input
        warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")
        def load(data_only: bool) -> Any:
            try:
                wb = load_workbook(package.open(), read_only=True, data_only=data_only, keep_links=False)
            except Exception as exc:
                raise FileRefused(name, damage.describe(exc)) from exc
            stack.callback(wb.close)
            return wb

        wb_values = load(data_only=True)

        worksheets = {part.name: part for part in package.sheets}
        found: dict[str, str] = {}      # schema sheet -> tab name in the file
        by_norm = {values.normalise_header(s.name): s.name for s in schema.SHEETS + (schema.SCENARIOS,)}
        unknown: list[str] = []
        for tab in wb_values.sheetnames:
            known = by_norm.get(values.normalise_header(tab))
            if known is None and _is_result_sheet(tab):
                continue
            if known is None:
                unknown.append(tab)
            elif known in found:
                problems.append(Problem("warning", f"a second sheet named like {known} ({tab!r}) is ignored; "
                                        f"{found[known]!r} is read", tab))
            elif tab not in worksheets:
                problems.append(Problem("error", f"{tab!r} is a chart sheet, not a table", known,
                                        expected=schema.sheet(known).description))
                found[known] = tab
            else:
                found[known] = tab
        # A template sheet that is missing while a sheet of a similar name is present ("Revenue 2025"): the
        # importer cannot know whether that is the one, so it asks rather than read the standard rows or none.
        renamed = _similar_sheets([s.name for s in schema.SHEETS + (schema.SCENARIOS,) if s.name not in found],
                                  unknown)
        for known, tabs in renamed.items():
            which = f"is {tabs[0]!r} it? Rename it" if len(tabs) == 1 else (
                "is one of " + ", ".join(repr(t) for t in tabs) + " it? Rename that one")
            problems.append(Problem("error", f"no sheet {known} — {which} {known!r} to have it read", tabs[0], "",
                                    "", ", ".join(tabs), f"a sheet named {known}: {schema.sheet(known).description}"))
        for tab in found.values():
            state = getattr(wb_values[tab], "sheet_state", "visible") if tab in worksheets else "visible"
            if state != "visible":          # read, as hidden columns are: its numbers count though nobody sees them
                problems.append(Problem("warning", f"the sheet {tab!r} is hidden in the workbook; it is read", tab,
                                        expected="unhide it to see what is read"))
        suggested = {t for tabs in renamed.values() for t in tabs}
        for tab in unknown:
            if tab not in suggested:
                problems.append(Problem("warning", f"the sheet {tab!r} is not part of the template; ignored",
                                        tab, expected="sheets: " + ", ".join(s.name for s in schema.SHEETS)))

        scans = {}
        for spec in schema.SHEETS + (schema.SCENARIOS,):
            tab = found.get(spec.name)
            if tab in worksheets:
                try:
                    scans[spec.name] = _scan_sheet(package, worksheets[tab].path)
                except Exception as exc:
                    raise FileRefused(name, damage.describe(exc, tab)) from exc
        # A second, formula-text pass finds formulas saved without a value; only sheets with formulas need it.
        wb_formulas = load(data_only=False) if any(scan.has_formulas for scan in scans.values()) else None

        for spec in schema.SHEETS:
            tab = found.get(spec.name)
            if tab is None or spec.name not in scans:
                tables[spec.name] = _missing_sheet(spec, problems, present=tab is not None or spec.name in renamed)
                continue
            scan = scans[spec.name]
            try:
                formulas = wb_formulas[tab] if scan.has_formulas and wb_formulas is not None else None
                table, read = _read_sheet(spec, wb_values[tab], formulas, scan, problems, name)
            except TemplateError:
                raise
            except Exception as exc:
                raise FileRefused(name, damage.describe(exc, tab)) from exc
            tables[spec.name] = table
            reads[spec.name] = read

        scenarios_table = Table("Scenarios")
        if "Scenarios" in scans:
            scan = scans["Scenarios"]
            tab = found["Scenarios"]
            formulas = wb_formulas[tab] if scan.has_formulas and wb_formulas is not None else None
            try:
                scenarios_table, reads["Scenarios"] = _read_sheet(schema.SCENARIOS, wb_values[tab], formulas,
                                                                  scan, problems, name)
            except TemplateError:
                raise
            except Exception as exc:
                raise FileRefused(name, damage.describe(exc, tab)) from exc

    scenario = Scenario()
    for table in tables.values():
        scenario = scenario.with_table(table)

    def locate(sheet: str, row: int, key: str) -> str:
        read = reads.get(sheet)
        return read.cell(row, key) if read is not None else ""

    checked = validate(scenario, locate)
    # A cell whose value could not be read holds None: validation would call it missing. A required column missing
    # from the file is reported once, not once per row. A required sheet that was not read (missing, renamed, no
    # header row) is one error: companies then miss from it, which is not the analyst's mistake to hunt.
    error_cells = {(p.sheet, p.cell) for p in problems if p.severity == "error" and p.cell}
    unread = [s for s in REQUIRED_SHEETS if s not in reads or not reads[s].column_of]
    kept = []
    for p in checked:
        if p.cell and (p.sheet, p.cell) in error_cells:
            continue
        if unread and any(phrase in p.message for phrase in _FOLLOW_ON):
            continue
        where = reads.get(p.sheet)
        if not p.cell and where is not None and p.column in where.missing:
            continue
        kept.append(p)
    scenarios_read = reads.get("Scenarios")
    alternatives, scenario_problems = alternatives_from_table(
        scenarios_table, scenario,
        lambda row, key: scenarios_read.cell(row, key) if scenarios_read is not None else "",
        locate, problems + kept)
    return _Result(scenario, problems, kept + scenario_problems, ScenarioBook(scenario, alternatives))


# Validation messages that only follow from a required sheet that was not read.
_FOLLOW_ON = ("no row in the Revenue sheet", "is not a company of the Capex or Revenue sheet")


def _similar_sheets(missing: list[str], unknown: list[str]) -> dict[str, list[str]]:
    """For each missing template sheet, the unknown tabs whose name is like it ("Revenue 2025", "Old capex",
    "Thresholds (2)", "Revnue")."""
    out: dict[str, list[str]] = {}
    for name in missing:
        wanted = values.normalise_header(name)
        like = []
        for tab in unknown:
            text = values.normalise_header(tab)
            words = re.split(r"[^a-z]+", text)
            if wanted in words or difflib.SequenceMatcher(None, wanted, text).ratio() >= 0.8:
                like.append(tab)
        if like:
            out[name] = like
    return out


def _is_template_sheet(tab: str) -> bool:
    """A sheet the importer reads (an input sheet or Scenarios); any other is skipped without being parsed."""
    return values.normalise_header(tab) in _TEMPLATE_SHEETS


_TEMPLATE_SHEETS = {values.normalise_header(s.name) for s in schema.SHEETS + (schema.SCENARIOS,)}


def _is_result_sheet(tab: str) -> bool:
    base = re.sub(r"\s*\(.*\)\s*$", "", tab)
    return values.normalise_header(base) in {values.normalise_header(n) for n in schema.RESULT_SHEETS}


def _missing_sheet(spec: schema.SheetSchema, problems: list[Problem], present: bool) -> Table:
    if present:     # a chart sheet with the name: already reported
        return Table(spec.name)
    if spec.name in REQUIRED_SHEETS:
        problems.append(Problem("error", f"the required sheet {spec.name} is missing", spec.name,
                                expected=f"a sheet named {spec.name}: {spec.description}"))
        return Table(spec.name)
    if spec.name in DEFAULT_ROWS:
        problems.append(Problem("warning", f"no {spec.name} sheet: the blank template's standard rows are used",
                                spec.name))
        return Table(spec.name, rows=DEFAULT_ROWS[spec.name]())
    if spec.name not in OPTIONAL_SHEETS:
        problems.append(Problem("warning", f"no {spec.name} sheet: it is read as empty", spec.name))
    return Table(spec.name)


# -- one sheet -----------------------------------------------------------------------------------------------------

_Cell = Any     # openpyxl ReadOnlyCell or EmptyCell


def _rows(ws_values: Any, ws_formulas: Any, min_row: int, max_row: int | None, max_col: int,
          file_name: str) -> Iterator[tuple[int, tuple[_Cell, ...], tuple[_Cell, ...]]]:
    """(Excel row, value cells, formula cells) in lockstep, padded to max_col, capped at safety.MAX_SHEET_ROWS."""
    ws_values.reset_dimensions()        # a wrong <dimension> must not hide rows
    it_v = ws_values.iter_rows(min_row=min_row, max_row=max_row, max_col=max_col)
    if ws_formulas is None:             # the sheet holds no formula: a data_only cell is never one
        it_v, it_f = itertools.tee(it_v)
    else:
        ws_formulas.reset_dimensions()
        it_f = ws_formulas.iter_rows(min_row=min_row, max_row=max_row, max_col=max_col)
    rows = zip(it_v, it_f, strict=False)
    number = min_row
    while True:
        try:
            cells_v, cells_f = next(rows)
        except StopIteration:
            return
        except Exception as exc:    # openpyxl on a damaged row: said at the row, in words (model/io/damage.py)
            raise FileRefused(file_name, damage.describe(exc, ws_values.title, number)) from exc
        if number > safety.MAX_SHEET_ROWS:
            raise FileRefused(file_name, f"the sheet {ws_values.title!r} has more than {safety.MAX_ROWS:,} rows")
        yield number, cells_v, cells_f
        number += 1


@dataclass(frozen=True)
class _Header:
    column: schema.Column
    year: int | None = None
    shown: str = ""     # a year read from another form (2026E, FY2026, a date): the header as displayed


# Year headers beyond a plain number: 2026E / 2026A / 2026F (estimate, actual, forecast), FY2026, CY2026, FY26.
_SUFFIX = r"(?:e|a|f|p|est\.?|\(e\)|\(est\.?\)|\(a\)|\(f\)|estimate|forecast|actual)?"
_YEAR_TEXT = re.compile(r"^(?:(?:fy|cy)\s*'?\s*)?((?:19|20|21)\d{2})\s*" + _SUFFIX + "$", re.IGNORECASE)
_YEAR_SHORT = re.compile(r"^(?:fy|cy)\s*'?\s*(\d{2})\s*" + _SUFFIX + "$", re.IGNORECASE)
_YEARISH = re.compile(r"(?<!\d)(?:19|20|21)\d{2}(?!\d)")
_FORMAT_NOISE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')
YEAR_FORMS = "a year such as 2026 (also read: 2026E, FY2026, FY26, a date shown as its year)"


def _date_shown(value: dt.date, number_format: str | None) -> str:
    """A date header as Excel shows it: only its year under a year format (yyyy, yy), else the date itself."""
    fmt = _FORMAT_NOISE.sub("", str(number_format or "")).lower()
    if "y" in fmt and not any(ch in fmt for ch in "dmhs"):
        return f"{value.year}" if "yyy" in fmt else f"{value.year % 100:02d}"
    return value.isoformat() if not isinstance(value, dt.datetime) else value.date().isoformat()


def _year_header(spec: schema.SheetSchema, raw: object, number_format: str | None) -> _Header | str | None:
    """A year header in any form we read (with ``shown`` set when it is not a plain year), the reason a header that
    looks like a year is not read as one, or None for a header that is no year at all."""
    if isinstance(raw, dt.time | dt.timedelta):
        return None
    if isinstance(raw, dt.date):
        day = raw.date() if isinstance(raw, dt.datetime) else raw
        serial = to_excel(dt.datetime(day.year, day.month, day.day))
        if 1900 <= serial <= 2200 and float(serial).is_integer():
            return (f"the cell holds {int(serial)} but its date format shows it as {_date_shown(day, number_format)}: "
                    f"format the cell as a number (or General) so that it shows the year")
        if not 1900 <= day.year <= 2200:
            return None
        return _Header(spec.year_column(day.year), day.year, _date_shown(day, number_format))
    if isinstance(raw, int | float):
        if 1900 <= raw <= 2200 and not float(raw).is_integer():
            return f"{raw:g} is not a whole year"
        try:
            year = values.parse_year(raw)
        except ValueError:
            return None
        return _Header(spec.year_column(year), year)
    if not isinstance(raw, str) or len(raw) > values.MAX_VALUE_CHARS:
        return None
    try:
        year = values.parse_year(raw)
        return _Header(spec.year_column(year), year)
    except ValueError:
        pass
    text = " ".join(raw.split())
    unit = None if _YEAR_TEXT.match(text) or _YEAR_SHORT.match(text) else _WITH_UNIT.match(text)
    if (unit is not None and _YEARISH.search(unit.group(1)) and _UNITISH.search(unit.group(2))
            and spec.years is not None):
        template = spec.years.template
        if unit.group(2).lower() not in _UNITS.get(template.unit, set()):
            return (f"its unit {unit.group(2)!r} is not the unit of {template.header} ({template.unit}): its "
                    f"values would be read as {template.unit}")
        text = unit.group(1)            # "2025 ($B)": the year, in the column's unit
    m = _YEAR_TEXT.match(text)
    if m:
        year = int(m.group(1))
    else:
        m = _YEAR_SHORT.match(text)
        if m is None:
            return "it names a year in a form the importer does not read" if _YEARISH.search(text) else None
        year = 2000 + int(m.group(1))
    return _Header(spec.year_column(year), year, text)


def _shown_header(raw: object, number_format: str | None) -> str:
    """A header as the analyst sees it (a date as its format shows it), on a bounded prefix of a long text."""
    if isinstance(raw, dt.date):
        return _date_shown(raw, number_format)
    if isinstance(raw, str):
        return " ".join(raw[: values.MAX_VALUE_CHARS + 1].split())
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


# A header with its unit: "Base AI revenue ($B)", "Cash margin [%]". The unit must be the column's: "Amount ($M)"
# read as $B would be off by a thousand.
_WITH_UNIT = re.compile(r"^(.*?)\s*[(\[]\s*([^()\[\]]*?)\s*[)\]]$")
_UNITISH = re.compile(r"[$%€£]|\b(?:usd|eur|bn|mn|m|k|b|billion|million|thousand|percent|pct)\b", re.IGNORECASE)
_UNITS = {"$B": {"$b", "$bn", "usd b", "usd bn", "bn", "b", "$ b", "billion", "$ billion", "usd billion"},
          "%": {"%", "percent", "pct"}, "years": {"years", "year", "y", "yrs"}}


def _header_with_unit(col: schema.Column, unit: str) -> _Header | str:
    accepted = _UNITS.get(col.unit, set())
    if not col.unit or unit.lower() in accepted:
        return _Header(col)
    return (f"its unit {unit!r} is not the unit of {col.header} ({col.unit}): its values would be read as "
            f"{col.unit}; convert them and head the column {col.header!r}")


def _header_matcher(spec: schema.SheetSchema) -> Any:
    by_norm = {values.normalise_header(c.header): c for c in spec.columns}

    def match(raw: object, number_format: str | None = None) -> _Header | str | None:
        """The column a header names; for a header whose unit or year cannot be read, the reason."""
        if values.is_blank(raw) or isinstance(raw, bool):
            return None
        norm = values.normalise_header(raw)
        col = by_norm.get(norm)
        if col is not None:
            return _Header(col)
        m = _WITH_UNIT.match(" ".join(raw.split())) if isinstance(raw, str) and len(raw) <= 100 else None
        if m is not None and values.normalise_header(m.group(1)) in by_norm:
            return _header_with_unit(by_norm[values.normalise_header(m.group(1))], m.group(2))
        if spec.years is not None:
            return _year_header(spec, raw, number_format)
        return None
    return match


def _read_sheet(spec: schema.SheetSchema, ws_values: Any, ws_formulas: Any, scan: _Scan,
                problems: list[Problem], file_name: str) -> tuple[Table, _SheetRead]:
    sheet = spec.name
    merges = scan.merges
    match = _header_matcher(spec)

    # -- the header ----------------------------------------------------------------------------------------------
    head = list(_rows(ws_values, ws_formulas, 1, HEADER_SCAN_ROWS, safety.MAX_COLUMNS, file_name))
    grid = {(r, c): cell.value for r, cells, _ in head for c, cell in enumerate(cells, start=1)
            if cell.value is not None}
    formulas = {(r, c): cell.value for r, _, cells in head for c, cell in enumerate(cells, start=1)
                if cell.data_type == "f"}
    # a date's number format says how Excel shows it (a fill series of years is often dates formatted yyyy)
    date_formats = {(r, c): cell.number_format for r, cells, _ in head for c, cell in enumerate(cells, start=1)
                    if isinstance(cell.value, dt.date)}

    # a cell under the top-left cell of a merged range, in its column, reads the top-left cell's value
    merged_from: dict[tuple[int, int], tuple[int, int]] = {}
    for min_col, min_row, _max_col, max_row in merges:
        for r in range(min_row + 1, min(max_row, HEADER_SCAN_ROWS) + 1):
            merged_from.setdefault((r, min_col), (min_row, min_col))

    def effective(r: int, c: int) -> object:
        value = grid.get((r, c))
        if value is None and (r, c) in merged_from:
            return grid.get(merged_from[(r, c)])
        return value

    def header_at(r: int, c: int) -> _Header | str | None:
        at = merged_from.get((r, c), (r, c)) if grid.get((r, c)) is None else (r, c)
        return match(effective(r, c), date_formats.get(at))

    width = max((c for _, c in grid), default=0)
    best_row, best_score = 0, 0
    for r, _, _ in head:
        score = sum(1 for c in range(1, width + 1) if isinstance(header_at(r, c), _Header))
        if score > best_score:
            best_row, best_score = r, score

    read = _SheetRead(header_row=best_row or 1, column_of={})
    if best_score == 0:
        problems.append(Problem("error", f"no header row found in the first {HEADER_SCAN_ROWS} rows", sheet,
                                expected="a row of headers: " + ", ".join(c.header for c in spec.columns)))
        read.missing = {c.header for c in spec.columns if c.required}
        return Table(sheet), read

    h = best_row
    years: dict[int, int] = {}               # year -> column
    columns: dict[int, _Header] = {}         # file column -> header
    unheaded: list[int] = []
    last_header = 0
    for c in range(1, width + 1):
        raw = effective(h, c)
        ref = f"{get_column_letter(c)}{h}"
        if values.is_blank(raw):
            if (h, c) in formulas:
                problems.append(Problem("error", FORMULA_WITHOUT_VALUE, sheet, ref, "", formulas[(h, c)],
                                        "a header typed as text or a number"))
            unheaded.append(c)
            continue
        last_header = c
        header = header_at(h, c)
        if isinstance(header, str):
            # a header that names a year or a unit we cannot read: ignoring its column, or reading it in another
            # unit, would change the numbers silently
            shown = _shown_header(raw, date_formats.get((h, c)))
            if header.startswith("its unit"):
                problems.append(Problem("error", f"the header {values.quoted(shown)} is not read: {header}", sheet,
                                        ref, "", raw, "the header as in the template, or with the column's unit"))
            else:
                problems.append(Problem("error", f"the header {values.quoted(shown)} is not read as a year: "
                                        f"{header}", sheet, ref, "", raw, YEAR_FORMS))
            continue
        if header is None:
            shown = _shown_header(raw, date_formats.get((h, c)))
            problems.append(Problem("warning", f"unknown column {values.quoted(shown)} ignored", sheet, ref,
                                    values.cut(shown), raw, _known_headers(spec)))
            continue
        key = header.column.key
        if header.year is not None:
            if header.year in years:
                first = f"{get_column_letter(years[header.year])}{h}"
                problems.append(Problem("error", f"the year {header.year} heads two columns ({first} and {ref})",
                                        sheet, ref, str(header.year), raw, "each year once"))
                continue
            if header.shown:
                problems.append(Problem("warning", f"the header {header.shown!r} is read as the year {header.year}",
                                        sheet, ref, str(header.year), header.shown,
                                        "a year typed as a number, such as 2026"))
            years[header.year] = c
        elif key in read.column_of:
            first = f"{get_column_letter(read.column_of[key])}{h}"
            problems.append(Problem("warning", f"a second {header.column.header} column is ignored; {first} is read",
                                    sheet, ref, header.column.header, raw, "each column once"))
            continue
        read.column_of[key] = c
        columns[c] = header

    # Hidden columns are read (their values are the file's), but the analyst may not know they are there.
    for c in sorted(set(columns) & scan.hidden_columns):
        label = columns[c].column.header if columns[c].year is None else str(columns[c].year)
        problems.append(Problem("warning", f"column {get_column_letter(c)} ({label}) is hidden in the workbook; "
                                "its values are read", sheet, f"{get_column_letter(c)}{h}", label, None,
                                "unhide it to see what is read, or delete it"))

    for col in spec.columns:
        if col.required and col.key not in read.column_of:
            read.missing.add(col.header)
            problems.append(Problem("error", f"the required column {col.header} is missing (headers read from "
                                    f"row {h})", sheet, "", col.header, None,
                                    f"a column headed {col.header!r}: {col.description or col.expected}"))

    # -- the rows ------------------------------------------------------------------------------------------------
    table = Table(sheet, tuple(sorted(years)))
    layout = table.columns
    rows: list[tuple[object, ...]] = []
    unheaded_seen: set[int] = set()
    unheaded_set = {c for c in unheaded if c <= last_header}
    for r, cells_v, cells_f in _rows(ws_values, ws_formulas, h + 1, None, max(last_header, 1),
                                     file_name):
        found: dict[str, object] = {}
        raws: dict[str, object] = {}
        typed_percent: dict[str, bool] = {}
        cell_problems: list[Problem] = []
        blank = True
        for c, header in columns.items():
            cv, cf = cells_v[c - 1], cells_f[c - 1]
            raw = cv.value
            col = header.column
            ref = f"{get_column_letter(c)}{r}"
            if raw is None and cf.data_type == "f" and cv.data_type != "str":
                blank = False
                cell_problems.append(Problem("error", FORMULA_WITHOUT_VALUE, sheet, ref, col.header,
                                             _formula_text(cf.value), "a value (a formula saved with its result is "
                                             "fine)"))
                continue
            if values.is_blank(raw):
                found[col.key] = None if col.required else col.default
                continue
            blank = False
            if cv.data_type == "e":
                cell_problems.append(Problem("error", f"the cell shows the Excel error {raw}", sheet, ref,
                                             col.header, raw, col.expected))
                continue
            pct = _percent_typed(raw, cv.number_format)
            typed_percent[col.key] = pct
            raws[col.key] = raw
            if (spec is schema.SCENARIOS and col.key == "value" and pct and isinstance(raw, int | float)
                    and not isinstance(raw, bool)):
                # The Value column is text, but a number in a %-formatted cell is the fraction Excel stored: kept as
                # a number, which model.io.scenario_sheet parses without the percent entry of typed text.
                found[col.key] = float(raw)
                continue
            label = col.header if header.year is None else f"{spec.years.template.header} {header.year}"  # type: ignore[union-attr]
            if col.kind is schema.Kind.YEAR and isinstance(raw, dt.date):
                raw, problem = _year_of_date(raw, cv.number_format, label, col, sheet, ref)
                if problem is not None:
                    cell_problems.append(problem)
                if raw is None:
                    found[col.key] = None
                    continue
            value, problem = _parse(col, label, raw, pct, sheet, ref)
            if problem is not None:
                cell_problems.append(problem)
            found[col.key] = value
        if blank:
            continue
        for c in unheaded_set - unheaded_seen:
            if not values.is_blank(cells_v[c - 1].value):
                unheaded_seen.add(c)
                problems.append(Problem("warning", f"column {get_column_letter(c)} has values but no header; ignored",
                                        sheet, f"{get_column_letter(c)}{r}", "", cells_v[c - 1].value,
                                        _known_headers(spec)))
        problems.extend(cell_problems)
        _row_percent(spec, found, raws, typed_percent, read, r, problems)
        rows.append(tuple(found.get(col.key, col.default) for col in layout))
        read.row_numbers.append(r)
    hidden = [r for r in read.row_numbers if r in scan.hidden_rows]
    if hidden:
        shown = ", ".join(str(r) for r in hidden[:10]) + (f" and {len(hidden) - 10} more" if len(hidden) > 10 else "")
        problems.append(Problem("warning", f"row{'s' if len(hidden) > 1 else ''} {shown} "
                                f"{'are' if len(hidden) > 1 else 'is'} hidden (or filtered out) in the workbook; "
                                f"{'they are' if len(hidden) > 1 else 'it is'} read", sheet, f"A{hidden[0]}", "",
                                None, "unhide them to see what is read, or delete them"))
    _check_years(spec, years, len(rows), read, problems)
    return table.with_rows(rows), read


def _check_years(spec: schema.SheetSchema, years: dict[int, int], n_rows: int, read: _SheetRead,
                 problems: list[Problem]) -> None:
    """Year columns run without a gap, and Capex rows have them: a year missing between two others, or every year,
    would otherwise read as no capex (Revenue: the terminal growth), silently."""
    if spec.years is None:
        return
    h = read.header_row
    what = "no capex" if spec.name == "Capex" else "the terminal growth"
    if not years:
        if n_rows:
            # The years belong after the template's column before them (AI share); a file without that optional
            # column has them after the nearest column before it that the file has (In sector): name that one, the
            # analyst sees it.
            keys = [c.key for c in spec.columns]
            leading = keys[: keys.index(spec.years.after) + 1]
            present = [k for k in leading if k in read.column_of]
            if present:
                at = read.column_of[present[-1]] + 1
                header = spec.column(present[-1]).header
            else:
                at = max(read.column_of.values(), default=0) + 1
                header = spec.column(spec.years.after).header
            severity: Severity = "error" if spec.name == "Capex" else "warning"
            problems.append(Problem(
                severity, f"{spec.name} has {n_rows} row{'s' if n_rows != 1 else ''} but no year columns in its "
                f"header row {h}: every year would read as {what}", spec.name, f"{get_column_letter(at)}{h}", "",
                None, f"one column per year, headed by the year, after {header}"))
        return
    # A Capex gap is an error (the issue it hides is large: a year of no capex); a Revenue gap reads as the terminal
    # growth, which is also what a blank growth cell means, so it is a warning (exports of such scenarios re-import).
    gap: Severity = "error" if spec.name == "Capex" else "warning"
    ordered = sorted(years)
    for before, year in itertools.pairwise(ordered):
        if year - before > 1:
            missing = list(range(before + 1, year))
            shown = str(missing[0]) if len(missing) == 1 else f"{missing[0]}–{missing[-1]}"
            problems.append(Problem(
                gap, f"the years jump from {before} to {year}: {shown} {'is' if len(missing) == 1 else 'are'} "
                f"missing and would read as {what}", spec.name, f"{get_column_letter(years[year])}{h}", str(year),
                year, f"one column per year from {ordered[0]} to {ordered[-1]} (blank cells for none)"))


def _known_headers(spec: schema.SheetSchema) -> str:
    text = "one of: " + ", ".join(c.header for c in spec.columns)
    return text + ", or a year" if spec.years is not None else text


def _formula_text(value: object) -> str:
    text = getattr(value, "text", value)     # ArrayFormula
    return str(text) if text is not None else "="


_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def percent_formatted(number_format: str | None) -> bool:
    """True when a cell's number format shows the value as a percentage (a % outside quotes and brackets)."""
    return bool(number_format) and "%" in _QUOTED.sub("", str(number_format))


def _percent_typed(raw: object, number_format: str | None) -> bool:
    if isinstance(raw, str):
        return len(raw) <= values.MAX_VALUE_CHARS and raw.strip().endswith("%")   # bounded: see values
    return percent_formatted(number_format)


def _parse(col: schema.Column, label: str, raw: object, pct: bool, sheet: str,
           ref: str) -> tuple[object, Problem | None]:
    """The clean value and the problem of one non-blank cell (an error leaves the value None)."""
    if isinstance(raw, values.UnreadableNumber):
        return None, Problem("error", f"{label}: the file stores {raw.text!r}, which is not a number a spreadsheet "
                             "can hold", sheet, ref, col.header, raw, col.expected)
    try:
        value = col.parse(raw, percent_formatted=pct)
    except ValueError as exc:
        value, reason = None, str(exc)
    if value is not None:
        return value, _ambiguous_percent(col, label, raw, pct, col.header, sheet, ref)
    if col.kind in (schema.Kind.TEXT, schema.Kind.COMPANY):
        return None, Problem("error", f"cannot read {label}: the cell holds {len(str(raw)):,} characters", sheet,
                             ref, col.header, raw, reason)

    loose = col.unbounded()
    try:
        number = loose.parse(raw, percent_formatted=pct)
    except ValueError:
        return None, Problem("error", f"cannot read {label} as {loose.expected}", sheet, ref, col.header, raw,
                             col.expected)
    if not isinstance(number, int | float) or isinstance(number, bool):
        return None, Problem("error", f"cannot read {label} as {loose.expected}", sheet, ref, col.header, raw,
                             col.expected)
    message = col.out_of_range(number, label) or f"{label} {col.show(number)} is not {col.expected}"
    return None, Problem("error", message, sheet, ref, col.header, raw, col.expected)


def _year_of_date(raw: dt.date, number_format: str | None, label: str, col: schema.Column, sheet: str,
                  ref: str) -> tuple[int | None, Problem | None]:
    """A year cell holding a date (a fill series, a date typed for a year): its year, with a warning quoting it as
    Excel shows it; a year typed into a date-formatted cell (2025 shown as 1905) is an error."""
    day = raw.date() if isinstance(raw, dt.datetime) else raw
    shown = _date_shown(day, number_format)
    serial = to_excel(dt.datetime(day.year, day.month, day.day))
    if 1900 <= serial <= 2200 and float(serial).is_integer():
        return None, Problem("error", f"{label}: the cell holds {int(serial)} but its date format shows it as "
                             f"{shown}: format the cell as a number", sheet, ref, col.header, shown, col.expected)
    return day.year, Problem("warning", f"{label} {shown!r} (a date) is read as the year {day.year}", sheet, ref,
                             col.header, shown, "a year typed as a number, such as 2025")


def _plain_number(raw: object) -> float | None:
    """The number of a cell that holds a plain number (or its text), without a % sign; else None."""
    if isinstance(raw, str) and (len(raw) > values.MAX_VALUE_CHARS or raw.strip().endswith(("%", "%)"))):
        return None
    try:
        return values.parse_number(raw)
    except ValueError:
        return None


def _ambiguous_percent(col: schema.Column, label: str, raw: object, pct: bool, header: str, sheet: str,
                       ref: str) -> Problem | None:
    """A plain 1.5 in a percentage cell reads as 1.5% (Excel's percent entry), but 150% is possible too: say so."""
    if col.kind is not schema.Kind.PERCENT or pct:
        return None
    typed = _plain_number(raw)
    if typed is None or not values.percent_is_ambiguous(typed, col.minimum, col.maximum, col.minimum_inclusive):
        return None
    return _percent_read_as(label, header, raw, typed, sheet, ref)


def _percent_read_as(label: str, header: str, raw: object, typed: float, sheet: str, ref: str) -> Problem:
    return Problem("warning", f"{label} {typed:g} read as {typed:g}% — type {typed * 100:g}% if you meant "
                   f"{typed * 100:g}%", sheet, ref, header, raw,
                   f"{typed:g}% or {typed * 100:g}%, typed with the % sign (a plain number above 1 in a "
                   "percentage cell is a percentage, as Excel's automatic percent entry)")


def _row_percent(spec: schema.SheetSchema, found: dict[str, object], raws: dict[str, object],
                 typed_percent: dict[str, bool], read: _SheetRead, r: int, problems: list[Problem]) -> None:
    """Value columns of Assumptions, Market and Thresholds hold a percentage on some rows: there a plain number
    follows the same percent entry as a percentage column (8 and 0.08 are both 8%), with the same warning."""
    if spec.name not in schema.MIXED_UNIT_KEYS or not schema.row_holds_percent(spec.name, found):
        return
    bounds: tuple[float | None, float | None, bool] = (None, None, True)
    if spec.name == "Assumptions":
        a = schema.ASSUMPTION_BY_NAME.get(str(found.get("name") or "").strip().lower())
        if a is not None:
            bounds = (a.minimum, a.maximum, a.minimum_inclusive)
        label = str(found.get("name") or "Value")
    elif spec.name == "Market":
        label = str(found.get("input") or "Value")
    else:
        label = str(found.get("indicator") or "")
    for key in schema.MIXED_UNIT_KEYS[spec.name]:
        value = found.get(key)
        if typed_percent.get(key, True) or not isinstance(value, float | int) or isinstance(value, bool):
            continue
        typed = _plain_number(raws.get(key))
        if typed is None:
            continue
        found[key] = values.percent_entry(float(value))
        if values.percent_is_ambiguous(typed, *bounds):
            col = spec.column(key)
            shown = f"{label} {col.header.lower()}" if spec.name == "Thresholds" else label
            problems.append(_percent_read_as(shown, col.header, raws.get(key), typed, spec.name,
                                             f"{get_column_letter(read.column_of[key])}{r}"))


# -- merged ranges and formulas, read from the sheet XML ----------------------------------------------------------

_MERGE = re.compile(rb"<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref\s*=\s*[\"']([^\"']+)[\"']")
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f[\s>/]")
_COL = re.compile(rb"<(?:[\w.-]+:)?col\b([^>]*)>")
_ROW = re.compile(rb"<(?:[\w.-]+:)?row\b([^>]*)>")
_HIDDEN = re.compile(rb"\bhidden\s*=\s*[\"'](?:1|true)[\"']")
_MIN = re.compile(rb"\bmin\s*=\s*[\"'](\d{1,7})[\"']")
_MAX = re.compile(rb"\bmax\s*=\s*[\"'](\d{1,7})[\"']")
_R = re.compile(rb"\br\s*=\s*[\"'](\d{1,7})[\"']")


@dataclass
class _Scan:
    """What openpyxl's read-only mode does not report, read from the sheet XML."""

    merges: list[tuple[int, int, int, int]] = field(default_factory=list)   # starting in the header scan rows
    has_formulas: bool = False       # if not, the formula pass is skipped: half the parsing
    hidden_columns: set[int] = field(default_factory=set)
    hidden_rows: set[int] = field(default_factory=set)


def _scan_sheet(package: safety.Package, member: str) -> _Scan:
    """The merged ranges that start in the header scan rows, whether the sheet holds any formula at all, and its
    hidden columns and rows (read, but worth a warning: the analyst may not know what is there)."""
    scan = _Scan()
    tail = b""
    first = True
    with zipfile.ZipFile(package.open()) as archive, archive.open(member) as fh:
        while True:
            chunk = fh.read(1 << 16)
            if not chunk:
                break
            if first and chunk.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
                return _Scan(has_formulas=True)     # a UTF-16 part our byte patterns cannot read: the safe path
            first = False
            buf = tail + chunk
            scan.has_formulas = scan.has_formulas or _FORMULA.search(buf) is not None
            last = 0
            for m in _MERGE.finditer(buf):
                last = max(last, m.end())
                if len(scan.merges) >= _MAX_MERGES:
                    break
                try:
                    bounds = range_boundaries(m.group(1).decode("ascii", errors="replace").replace("$", ""))
                except (ValueError, TypeError):
                    continue
                if None not in bounds and bounds[1] <= HEADER_SCAN_ROWS:
                    scan.merges.append(bounds)
            for m in _COL.finditer(buf):
                last = max(last, m.end())
                attrs = m.group(1)
                lo, hi = _MIN.search(attrs), _MAX.search(attrs)
                if _HIDDEN.search(attrs) and lo and hi:
                    a, b = int(lo.group(1)), min(int(hi.group(1)), safety.MAX_COLUMNS)
                    scan.hidden_columns.update(range(a, b + 1))
            for m in _ROW.finditer(buf):
                last = max(last, m.end())
                attrs = m.group(1)
                r = _R.search(attrs)
                if r and _HIDDEN.search(attrs) and len(scan.hidden_rows) < safety.MAX_ROWS:
                    scan.hidden_rows.add(int(r.group(1)))
            tail = buf[max(last, len(buf) - 512):]
    return scan


# -- reporting -----------------------------------------------------------------------------------------------------

_SHEET_RANK = {s.name: i for i, s in enumerate(schema.SHEETS)}


def _sorted(problems: list[Problem]) -> list[Problem]:
    """File-level problems first, then sheet by sheet in template order, row by row, column by column."""
    def key(p: Problem) -> tuple[int, int, int]:
        rank = -1 if not p.sheet else _SHEET_RANK.get(p.sheet, len(_SHEET_RANK))
        row = col = 0
        if p.cell:
            with contextlib.suppress(ValueError, TypeError):
                letters, row = coordinate_from_string(p.cell)
                col = sum((ord(ch) - 64) * 26 ** i for i, ch in enumerate(reversed(letters)))
        return rank, row, col
    return sorted(problems, key=key)
