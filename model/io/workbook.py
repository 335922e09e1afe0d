"""Read an Excel template into a :class:`~model.core.scenario.Scenario`, reporting every problem at its cell.

``read_template(path)`` returns the scenario or raises :class:`~model.core.problems.TemplateError` listing every problem
(errors and warnings) at once; ``check_template(path)`` returns the same problems and never raises for bad content.
Files we will not parse at all raise :class:`~model.core.problems.FileRefused` (see :mod:`model.io.safety`).

How a sheet is read (``docs/template-format.md`` says the same for analysts):

* Sheets are found by name, case- and whitespace-insensitively. Capex and Revenue are required; a missing
  Investments or Market sheet means no rows; a missing Assumptions or Thresholds sheet means the standard rows of the
  blank template. Other sheets are ignored with a warning.
* The header row is the row, among the first ``HEADER_SCAN_ROWS``, that holds the most recognised headers (the
  first such row on a tie), so title rows, merged or not, may sit above it. Rows above the header are ignored.
  A header cell covered by a merged range takes the value of the range's top-left cell when that cell is in the
  same column (a header merged down over two rows); a header merged across columns heads its first column only.
* Headers match case- and whitespace-insensitively; columns may come in any order; unknown columns are ignored with
  a warning; a missing required column is an error. Year columns are headed by the year, typed as a number or as
  text ("2025", " 2025 ", 2025.0); they are read in any order and stored sorted.
* Every row below the header whose recognised cells are all blank is skipped (trailing, formatted-but-empty or
  blank rows in the middle). Other rows are parsed cell by cell by the schema (``Column.parse``).
* Values are read as stored (``data_only``): a formula counts with its saved result; a formula saved without a
  result (files written by scripts) is an error at its cell.
* After the cells, :func:`model.core.validation.validate` checks the scenario as a whole with a locator that maps each
  (sheet, row, column) to the cell it came from, so cross-row problems carry the real cell too.

The scenario's ``warnings`` hold the warnings of reading (unknown sheets and columns, suspicious percentages...).
Validation warnings are not stored there, because ``compute`` runs ``validate`` again and would list them twice;
``check_template`` and ``TemplateError`` report both.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import re
import warnings
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_from_string, get_column_letter, range_boundaries

from model.core import schema, values
from model.core.overrides import ScenarioBook
from model.core.problems import FileRefused, Problem, TemplateError
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
_MAX_MERGES = 10_000

FORMULA_WITHOUT_VALUE = ("a formula with no stored value (the file was saved by a program that does not "
                         "calculate): open it in Excel or LibreOffice and save it, or type the value")


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
        for tab in wb_values.sheetnames:
            known = by_norm.get(values.normalise_header(tab))
            if known is None and _is_result_sheet(tab):
                continue
            if known is None:
                problems.append(Problem("warning", f"the sheet {tab!r} is not part of the template; ignored",
                                        tab, expected="sheets: " + ", ".join(s.name for s in schema.SHEETS)))
            elif known in found:
                problems.append(Problem("warning", f"a second sheet named like {known} ({tab!r}) is ignored; "
                                        f"{found[known]!r} is read", tab))
            elif tab not in worksheets:
                problems.append(Problem("error", f"{tab!r} is a chart sheet, not a table", known,
                                        expected=schema.sheet(known).description))
                found[known] = tab
            else:
                found[known] = tab

        scans = {}
        for spec in schema.SHEETS + (schema.SCENARIOS,):
            tab = found.get(spec.name)
            if tab in worksheets:
                try:
                    scans[spec.name] = _scan_sheet(package, worksheets[tab].path)
                except Exception as exc:
                    raise FileRefused(name, damage.describe(exc, tab)) from exc
        # A second, formula-text pass finds formulas saved without a value; only sheets with formulas need it.
        wb_formulas = load(data_only=False) if any(f for _, f in scans.values()) else None

        for spec in schema.SHEETS:
            tab = found.get(spec.name)
            if tab is None or spec.name not in scans:
                tables[spec.name] = _missing_sheet(spec, problems, present=tab is not None)
                continue
            merges, has_formulas = scans[spec.name]
            try:
                formulas = wb_formulas[tab] if has_formulas and wb_formulas is not None else None
                table, read = _read_sheet(spec, wb_values[tab], formulas, merges, problems, name)
            except TemplateError:
                raise
            except Exception as exc:
                raise FileRefused(name, damage.describe(exc, tab)) from exc
            tables[spec.name] = table
            reads[spec.name] = read

        scenarios_table = Table("Scenarios")
        if "Scenarios" in scans:
            merges, has_formulas = scans["Scenarios"]
            tab = found["Scenarios"]
            formulas = wb_formulas[tab] if has_formulas and wb_formulas is not None else None
            try:
                scenarios_table, reads["Scenarios"] = _read_sheet(schema.SCENARIOS, wb_values[tab], formulas,
                                                                  merges, problems, name)
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
    # from the file is reported once, not once per row.
    error_cells = {(p.sheet, p.cell) for p in problems if p.severity == "error" and p.cell}
    kept = []
    for p in checked:
        if p.cell and (p.sheet, p.cell) in error_cells:
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


def _header_matcher(spec: schema.SheetSchema) -> Any:
    by_norm = {values.normalise_header(c.header): c for c in spec.columns}

    def match(raw: object) -> _Header | None:
        if values.is_blank(raw) or isinstance(raw, bool):
            return None
        col = by_norm.get(values.normalise_header(raw))
        if col is not None:
            return _Header(col)
        if spec.years is not None and isinstance(raw, int | float | str):
            try:
                year = values.parse_year(raw)
            except ValueError:
                return None
            return _Header(spec.year_column(year), year)
        return None
    return match


def _read_sheet(spec: schema.SheetSchema, ws_values: Any, ws_formulas: Any,
                merges: list[tuple[int, int, int, int]], problems: list[Problem],
                file_name: str) -> tuple[Table, _SheetRead]:
    sheet = spec.name
    match = _header_matcher(spec)

    # -- the header ----------------------------------------------------------------------------------------------
    head = list(_rows(ws_values, ws_formulas, 1, HEADER_SCAN_ROWS, safety.MAX_COLUMNS, file_name))
    grid = {(r, c): cell.value for r, cells, _ in head for c, cell in enumerate(cells, start=1)
            if cell.value is not None}
    formulas = {(r, c): cell.value for r, _, cells in head for c, cell in enumerate(cells, start=1)
                if cell.data_type == "f"}

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

    width = max((c for _, c in grid), default=0)
    best_row, best_score = 0, 0
    for r, _, _ in head:
        score = sum(1 for c in range(1, width + 1) if match(effective(r, c)) is not None)
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
        header = match(raw)
        if header is None:
            problems.append(Problem("warning", f"unknown column {values.parse_text(raw)!r} ignored", sheet, ref,
                                    values.parse_text(raw), raw, _known_headers(spec)))
            continue
        key = header.column.key
        if header.year is not None:
            if header.year in years:
                first = f"{get_column_letter(years[header.year])}{h}"
                problems.append(Problem("error", f"the year {header.year} heads two columns ({first} and {ref})",
                                        sheet, ref, str(header.year), raw, "each year once"))
                continue
            years[header.year] = c
        elif key in read.column_of:
            first = f"{get_column_letter(read.column_of[key])}{h}"
            problems.append(Problem("warning", f"a second {header.column.header} column is ignored; {first} is read",
                                    sheet, ref, header.column.header, raw, "each column once"))
            continue
        read.column_of[key] = c
        columns[c] = header

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
            label = col.header if header.year is None else f"{spec.years.template.header} {header.year}"  # type: ignore[union-attr]
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
        _warn_row_percent(spec, found, typed_percent, read, r, problems)
        rows.append(tuple(found.get(col.key, col.default) for col in layout))
        read.row_numbers.append(r)
    return table.with_rows(rows), read


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
        return raw.strip().endswith("%")
    return percent_formatted(number_format)


def _parse(col: schema.Column, label: str, raw: object, pct: bool, sheet: str,
           ref: str) -> tuple[object, Problem | None]:
    """The clean value and the problem of one non-blank cell (an error leaves the value None)."""
    try:
        value = col.parse(raw, percent_formatted=pct)
    except ValueError:
        value = None
    if value is not None:
        warning = _percent_warning(col, label, raw, value, pct, sheet, ref)
        return value, warning

    loose = col.unbounded()
    try:
        number = loose.parse(raw, percent_formatted=pct)
    except ValueError:
        return None, Problem("error", f"cannot read {label} as {loose.expected}", sheet, ref, col.header, raw,
                             col.expected)
    if not isinstance(number, int | float) or isinstance(number, bool):
        return None, Problem("error", f"cannot read {label} as {loose.expected}", sheet, ref, col.header, raw,
                             col.expected)
    message = col.out_of_range(number, label, percent_typed=pct) or f"{label} {col.show(number)} is not {col.expected}"
    return None, Problem("error", message, sheet, ref, col.header, raw, col.expected)


def _percent_warning(col: schema.Column, label: str, raw: object, value: object, pct: bool, sheet: str,
                     ref: str) -> Problem | None:
    if col.kind is not schema.Kind.PERCENT or pct or not isinstance(value, float | int) or abs(value) < 5:
        return None
    return _suspicious_percent(label, col.header, raw, float(value), sheet, ref)


def _suspicious_percent(label: str, header: str, raw: object, value: float, sheet: str, ref: str) -> Problem:
    return Problem("warning", f"{label} read as {value * 100:.6g}% — did you mean {value:g}%?", sheet, ref, header,
                   raw, f"{value:g}% typed with its % sign, or {value / 100:g}")


def _warn_row_percent(spec: schema.SheetSchema, found: dict[str, object], typed_percent: dict[str, bool],
                      read: _SheetRead, r: int, problems: list[Problem]) -> None:
    """Value columns of Assumptions, Market and Thresholds hold a percentage on some rows: warn there too."""
    keys: tuple[str, ...] = ()
    if spec.name == "Assumptions":
        a = schema.ASSUMPTION_BY_NAME.get(str(found.get("name") or "").strip().lower())
        if a is not None and a.kind is schema.Kind.PERCENT:
            keys, label = ("value",), str(a.name)
    elif spec.name == "Market":
        if str(found.get("unit") or "").strip() == "%":
            keys, label = ("value",), str(found.get("input") or "Value")
    elif spec.name == "Thresholds":
        name = str(found.get("indicator") or "").strip().lower()
        units = {i.name.lower(): i.unit for i in schema.DERIVED_INDICATORS + schema.MARKET_INDICATOR_DEFAULTS}
        if units.get(name) == "%":
            keys, label = ("healthy", "bubble"), str(found.get("indicator"))
    for key in keys:
        value = found.get(key)
        if typed_percent.get(key, True) or not isinstance(value, float | int) or abs(value) < 5:
            continue
        col = spec.column(key)
        shown = f"{label} {col.header.lower()}" if spec.name == "Thresholds" else label
        problems.append(_suspicious_percent(shown, col.header, value, float(value), spec.name,
                                            f"{get_column_letter(read.column_of[key])}{r}"))


# -- merged ranges and formulas, read from the sheet XML ----------------------------------------------------------

_MERGE = re.compile(rb"<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref\s*=\s*[\"']([^\"']+)[\"']")
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f[\s>/]")


def _scan_sheet(package: safety.Package, member: str) -> tuple[list[tuple[int, int, int, int]], bool]:
    """The merged ranges that start in the header scan rows (openpyxl's read-only mode does not report them), and
    whether the sheet holds any formula at all (if not, the formula pass is skipped: half the parsing)."""
    merges: list[tuple[int, int, int, int]] = []
    has_formulas = False
    tail = b""
    first = True
    with zipfile.ZipFile(package.open()) as archive, archive.open(member) as fh:
        while True:
            chunk = fh.read(1 << 16)
            if not chunk:
                break
            if first and chunk.startswith((b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<")):
                return [], True     # a UTF-16 part our byte patterns cannot read: take the safe path
            first = False
            buf = tail + chunk
            has_formulas = has_formulas or _FORMULA.search(buf) is not None
            last = 0
            for m in _MERGE.finditer(buf):
                last = m.end()
                if len(merges) >= _MAX_MERGES:
                    break
                try:
                    bounds = range_boundaries(m.group(1).decode("ascii", errors="replace").replace("$", ""))
                except (ValueError, TypeError):
                    continue
                if None not in bounds and bounds[1] <= HEADER_SCAN_ROWS:  # type: ignore[operator]
                    merges.append(bounds)  # type: ignore[arg-type]
            tail = buf[max(last, len(buf) - 512):]
    return merges, has_formulas


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
