"""The export of a template that imports is itself importable, links stay within Excel's limit per sheet, and an
export past its size cap is refused before it runs out of memory, leaving the previous file and no temporary one.

The caps are scaled down here (monkeypatch) so that files at them take seconds; bench/bench_limits.py runs the real
ones."""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from bench.generate import generate
from model.core.overrides import ScenarioBook
from model.export import book as export_book
from model.export import limits
from model.export.writer import export_results
from model.io import safety
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


def test_an_export_past_its_size_cap_is_refused_and_leaves_the_previous_file(tmp_path: Path,
                                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"previous")
    scenario = generate(20, 10, 100, seed=2)
    monkeypatch.setattr(limits, "MAX_EXPORT_CELLS", 8_000)      # more than its lower bound, less than the export
    assert limits.lower_bound(ScenarioBook(scenario)) < 8_000
    with pytest.raises(limits.ExportTooLarge) as info:
        export_results(scenario, path)
    assert "more than 8,000 cells" in str(info.value) and "1 GB" in str(info.value)
    assert path.read_bytes() == b"previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.xlsx"]
    # surely past the cap: refused before anything is computed or written
    monkeypatch.setattr(limits, "MAX_EXPORT_CELLS", 100)
    monkeypatch.setattr("model.export.writer.compare_for_export", _forbidden)
    with pytest.raises(limits.ExportTooLarge):
        export_results(scenario, path)
    assert path.read_bytes() == b"previous"


def _forbidden(*args: object, **kwargs: object) -> None:
    raise AssertionError("the export computed a book it should have refused at once")
