"""The export of a template that imports is itself importable, written streaming (its memory does not grow with its
cells), links stay within Excel's limit per sheet, and an export past Excel's rows is refused naming the sheet,
leaving the previous file and no temporary one.

The caps are scaled down here (monkeypatch) so that files at them take seconds; bench/bench_limits.py runs the real
ones."""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from xlsxwriter.worksheet import Worksheet

from bench.generate import generate
from model.core.overrides import ScenarioBook
from model.export import book as export_book
from model.export import limits
from model.export.writer import export_results
from model.io import safety
from model.io.template_writer import write_template
from model.io.workbook import check_template, read_book

N_DEALS = 1500      # a cap of 1,500 rows of data stands for the real 100,000


@pytest.fixture(scope="module")
def large_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[ScenarioBook, Path]:
    scenario = generate(40, 20, N_DEALS, seed=3)
    path = tmp_path_factory.mktemp("export") / "large.xlsx"
    export_results(scenario, path)
    return ScenarioBook(scenario), path


def test_an_export_at_the_row_and_size_caps_re_imports(large_export: tuple[ScenarioBook, Path],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    book, path = large_export
    with zipfile.ZipFile(path) as z:
        sizes = {i.filename: i.file_size for i in z.infolist()}
    # The Investments sheet holds exactly the cap's rows of data under its header; the export's result sheets
    # (Deals, Sources...) hold more rows than that, and most of the archive's bytes.
    monkeypatch.setattr(safety, "MAX_ROWS", N_DEALS)
    monkeypatch.setattr(safety, "MAX_SHEET_ROWS", N_DEALS + 20)
    read_parts = {"xl/worksheets/sheet3.xml", "xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"}
    assert sum(sizes.values()) > 2 * sum(v for k, v in sizes.items() if k in read_parts)
    monkeypatch.setattr(safety, "MAX_TOTAL_UNCOMPRESSED", sum(sizes.values()) // 2)
    back = read_book(path)
    assert back.base.inputs_equal(book.base)
    assert len(back.base.investments) == N_DEALS
    assert not [p for p in check_template(path) if p.severity == "error"]


def test_one_row_past_the_cap_is_still_refused(large_export: tuple[ScenarioBook, Path],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    _, path = large_export
    monkeypatch.setattr(safety, "MAX_ROWS", N_DEALS - 1)
    monkeypatch.setattr(safety, "MAX_SHEET_ROWS", N_DEALS)      # the header and N_DEALS rows: one row too many
    problems = check_template(path)
    assert len(problems) == 1 and "the sheet 'Investments' declares" in problems[0].message


def test_internal_links_stay_within_the_links_per_sheet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sources links each input row to its cell: past the limit the row keeps its text, without a link and
    without XlsxWriter's warning."""
    cap = 100
    monkeypatch.setattr(export_book, "MAX_URLS_PER_SHEET", cap)
    path = tmp_path / "links.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        export_results(generate(30, 10, 400, seed=1), path)
    wb = load_workbook(path)

    def links(ws) -> int:  # type: ignore[no-untyped-def]
        return sum(1 for row in ws.iter_rows() for c in row if c.hyperlink is not None)
    for ws in wb.worksheets:
        assert links(ws) <= cap, ws.title
    sources = wb["Sources"]
    assert links(sources) == cap
    # the rows past the cap still show the row number they would link to, as text
    texts = [sources.cell(r, 2).value for r in range(1, sources.max_row + 1)]
    assert sum(1 for t in texts if isinstance(t, str) and t.isdigit()) > 400


def test_a_large_template_exports_streaming_and_the_export_re_imports(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A template large enough that every long sheet streams: the rows held in memory stay a few blocks per band
    while Cash flows holds thousands, the charts keep their cached values, and the export reads back as the same
    scenario."""
    scenario = generate(200, 12, 300, seed=4)
    template = tmp_path / "large-template.xlsx"
    write_template(scenario, template)
    book = read_book(template)
    held: dict[str, int] = {}
    write_out = export_book.ExactWorksheet._write_out

    def spy(self: export_book.ExactWorksheet, lo: int, hi: int) -> None:
        held[self.name] = max(held.get(self.name, 0), len(self.table))
        write_out(self, lo, hi)

    monkeypatch.setattr(export_book.ExactWorksheet, "_write_out", spy)
    out = tmp_path / "large-export.xlsx"
    export_results(book, out)
    back = read_book(out)
    assert back.base.inputs_equal(scenario) and back.base.inputs_equal(book.base)
    cash_rows = 3 + 16 * (200 + 3)
    assert load_workbook(out, read_only=True)["Cash flows"].max_row == cash_rows
    # Sixteen sections, each holding at most its current block and the one before (32 rows), and the blocks two
    # sections share: far fewer than the sheet's rows, whatever the number of companies.
    assert held["Cash flows"] <= 16 * 3 * 16 < cash_rows / 4
    assert held["Required revenue"] <= 4 * 3 * 16
    assert {"Capex", "Revenue", "Investments", "Bubble score", "Sources", "Deals", "Revenue path"} <= set(held)
    assert max(held.values()) <= 16 * 3 * 16
    with zipfile.ZipFile(out) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    assert charts and all("<c:numCache>" in c and "<c:pt idx=\"0\">" in c for c in charts)


def test_streaming_writes_the_same_workbook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every cell — value, formula, number format, boldness — as without streaming (XlsxWriter holding every cell
    until the file closes)."""
    scenario = generate(60, 10, 120, seed=5)
    streamed, whole = tmp_path / "streamed.xlsx", tmp_path / "whole.xlsx"
    export_results(scenario, streamed)
    monkeypatch.setattr(export_book.ExactWorksheet, "stream", lambda self, bands, chart_rows: None)
    export_results(scenario, whole)
    a, b = load_workbook(streamed), load_workbook(whole)
    assert a.sheetnames == b.sheetnames
    assert a["Cash flows"].max_row > 16 * 60
    cells = 0
    for ws in a.worksheets:
        other = b[ws.title]
        assert (ws.max_row, ws.max_column) == (other.max_row, other.max_column), ws.title
        for row_a, row_b in zip(ws.iter_rows(), other.iter_rows(), strict=True):
            for x, y in zip(row_a, row_b, strict=True):
                cells += 1
                if isinstance(x.value, float) and isinstance(y.value, float):
                    assert x.value == pytest.approx(y.value, rel=1e-12), x.coordinate
                elif x.value != y.value and "would take about" not in str(x.value):   # a timing estimate
                    raise AssertionError(f"{ws.title}!{x.coordinate}: {x.value!r} != {y.value!r}")
                assert (x.number_format, x.font.b, x.fill.fgColor.rgb) == \
                    (y.number_format, y.font.b, y.fill.fgColor.rgb), f"{ws.title}!{x.coordinate}"
        assert ws.merged_cells.ranges == other.merged_cells.ranges
        assert {r: (d.hidden, d.outlineLevel, d.ht) for r, d in ws.row_dimensions.items()} == \
            {r: (d.hidden, d.outlineLevel, d.ht) for r, d in other.row_dimensions.items()}, ws.title
    assert cells > 30_000


def test_a_write_to_a_streamed_row_raises_rather_than_being_lost(tmp_path: Path) -> None:
    book = export_book.Book(tmp_path / "x.xlsx", tmp_path)
    sheet = book.add_sheet("Rows")
    for r in range(100):
        sheet.number(r, 0, float(r))
    sheet.number(85, 1, 1.0)          # row 100's block (16 rows) and the block before it are still in memory
    with pytest.raises(export_book.RowsAlreadyStreamed, match="Rows: row 3 "):
        sheet.number(2, 1, 1.0)
    with pytest.raises(export_book.RowsAlreadyStreamed):
        sheet.ws.set_row(5, 30)
    book.close()
    back = load_workbook(tmp_path / "x.xlsx")["Rows"]
    assert [back.cell(r + 1, 1).value for r in range(100)] == list(range(100))
    assert back.cell(86, 2).value == 1 and back.cell(3, 2).value is None


def test_an_export_past_excels_rows_is_refused_and_leaves_the_previous_file(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"previous")
    scenario = generate(20, 10, 100, seed=2)
    # Cash flows needs 3 + 16 × 23 = 371 rows: with sheets of 200 rows the write stops there, naming the sheet
    init = Worksheet.__init__

    def short_sheets(self: Worksheet) -> None:
        init(self)
        self.xls_rowmax = 200

    monkeypatch.setattr(Worksheet, "__init__", short_sheets)
    with pytest.raises(limits.ExportTooLarge, match="the sheet 'Cash flows' would be longer than Excel's"):
        export_results(scenario, path)
    assert path.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]
    monkeypatch.setattr(Worksheet, "__init__", init)
    # more companies than Cash flows can hold: refused before anything is computed or written
    monkeypatch.setattr(limits, "MAX_EXPORT_COMPANIES", 19)
    monkeypatch.setattr("model.export.writer.compare_for_export", _forbidden)
    with pytest.raises(limits.ExportTooLarge, match="for 20 companies") as info:
        export_results(scenario, path)
    assert "at most 19 companies" in str(info.value)
    assert path.read_bytes() == b"previous"


def _forbidden(*args: object, **kwargs: object) -> None:
    raise AssertionError("the export computed a book it should have refused at once")


def test_past_the_largest_tornado_the_sensitivity_sheet_moves_no_input_and_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """At the import caps the tornado's own compute of the base, beside the results the export holds, took the
    export past 1 GB: past LARGEST_TORNADO entities × years no input is moved, and the sheet says why."""
    import model.export.sensitivity as export_sensitivity
    from model.defaults.scenario import default_scenario

    monkeypatch.setattr(export_sensitivity, "LARGEST_TORNADO", 10)
    calls: list[object] = []
    monkeypatch.setattr(export_sensitivity, "ranged_tornado", lambda *a, **k: calls.append(a))
    out = tmp_path / "big.xlsx"
    export_results(default_scenario(), out)
    ws = load_workbook(out, read_only=True)["Sensitivity"]
    texts = [c for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert calls == []                                   # no tornado computed
    assert any("too large to move inputs within the export" in t and "main.py sensitivity" in t for t in texts)
