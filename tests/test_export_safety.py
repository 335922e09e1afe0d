"""The export is safe: labels from an imported file never become formulas, and writes are atomic."""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from pathlib import Path

import pytest
import xlsxwriter.workbook
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

import model.export.writer
from model.core import values
from model.export.book import Book
from model.export.writer import export_results
from model.io.atomic import SaveError
from tests.scenario_builders import flat_company, make_scenario
from tests.test_export import load, rich_scenario

HOSTILE = ('=HYPERLINK("http://evil.example","click me")', "+1", "-2", "@SUM(A1)", "\t=2+2", "=1+2",
           "=cmd|' /C calc'!A0", "0.5", "2025")


def hostile_scenario():  # type: ignore[no-untyped-def]
    """Every hostile text as a company name, a source and a deal note."""
    names = HOSTILE
    s = make_scenario(
        capex={n: {2024: 10.0 + i, 2025: 20.0} for i, n in enumerate(names)},
        revenue={n: flat_company(2024, 5.0, 0.5, {2025: 0.3}) for n in names},
        deals=[{"investor": names[0], "investee": names[1], "year": 2025, "amount": 4.0, "recycled_share": 0.5,
                "note": names[2], "source": names[3]}],
        market=[{"input": "Operating cash flow", "company": names[0], "year": 2025, "value": 40.0,
                 "source": names[4]}],
    )
    for i, n in enumerate(names):
        s = s.with_cell("Capex", i, "source", n).with_cell("Revenue", i, "source", n)
    return s


def test_hostile_labels_are_written_as_text_everywhere(tmp_path: Path) -> None:
    path = tmp_path / "hostile.xlsx"
    export_results(hostile_scenario(), path)
    wb = load(path)
    seen = {label: 0 for label in HOSTILE}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value in seen:
                    assert c.data_type == "s", (ws.title, c.coordinate, c.value)
                    seen[c.value] += 1
                if c.data_type == "f":
                    text = str(c.value)
                    assert not any(label in text for label in HOSTILE if len(label) > 4), (ws.title, c.coordinate)
    # each appears as a company on the input sheets, the derived sheets and Sources
    assert all(count >= 5 for count in seen.values()), seen
    values_wb = load(path, data_only=True)
    assert values_wb["Summary"].cell(9, 1).value == HOSTILE[0]
    assert values_wb["Capex"]["A2"].value == HOSTILE[0] and values_wb["Capex"]["A2"].data_type == "s"


def test_charts_name_their_series_by_reference_never_by_label(tmp_path: Path) -> None:
    path = tmp_path / "hostile.xlsx"
    export_results(hostile_scenario(), path)
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/"))
    refs = re.findall(r"<c:f>([^<]*)</c:f>", xml)
    assert refs
    for ref in refs:
        assert re.fullmatch(r"('[A-Za-z ]+'|[A-Za-z]+)!\$[A-Z]+\$\d+(:\$[A-Z]+\$\d+)?", ref), ref


def test_the_writer_never_converts_strings() -> None:
    with tempfile.TemporaryDirectory() as folder:
        book = Book(Path(folder) / "x.xlsx")
        wb = book.workbook
        assert (wb.strings_to_formulas, wb.strings_to_numbers, wb.strings_to_urls) == (False, False, False)
        book.close()


def _usable(text: str) -> bool:
    return not values.is_blank(text) and text.strip().lower() != "other"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(min_size=1, max_size=60).filter(_usable))
def test_any_label_is_written_as_text(label: str) -> None:
    s = make_scenario(capex={label: {2025: 10.0}, "Other": {2025: 5.0}},
                      revenue={label: flat_company(2025, 3.0, 0.5), "Other": flat_company(2025, 1.0, 0.4)},
                      deals=[{"investor": label, "investee": "Other", "year": 2025, "amount": 1.0,
                              "recycled_share": 0.5, "note": label, "source": label}])
    s = s.with_cell("Capex", 0, "source", label)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "any.xlsx"
        export_results(s, path)
        wb = load(path)
    expected = ILLEGAL_CHARACTERS_RE.sub("", label).replace("\r\n", "\n").replace("\r", "\n")
    cells = [wb["Capex"]["A2"], wb["Capex"]["E2"], wb["Summary"]["A9"], wb["Investments"]["I2"],
             wb["Investments"]["J2"], wb["Cash flows"]["A5"]]
    for cell in cells:
        if expected == "":      # only characters Excel cannot store: nothing is written
            assert cell.value is None
            continue
        assert cell.data_type == "s", (cell.parent.title, cell.coordinate)
        assert cell.value == expected, (cell.parent.title, cell.coordinate)


# -- atomic writes ---------------------------------------------------------------------------------------------

@pytest.fixture()
def previous(tmp_path: Path) -> Path:
    path = tmp_path / "results.xlsx"
    path.write_bytes(b"the previous export")
    return path


def _only(path: Path) -> None:
    """The folder holds the target and nothing else: no temporary file was left behind."""
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_a_failure_midway_leaves_the_previous_file(previous: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object) -> None:
        raise RuntimeError("the score sheet broke")
    monkeypatch.setattr(model.export.writer, "write_score", broken)
    with pytest.raises(SaveError, match="the score sheet broke"):
        export_results(rich_scenario(), previous)
    assert previous.read_bytes() == b"the previous export"
    _only(previous)


def test_a_failure_while_saving_leaves_the_previous_file(previous: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(self: object) -> None:
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(xlsxwriter.workbook.Workbook, "close", full)
    with pytest.raises(SaveError, match="No space left"):
        export_results(rich_scenario(), previous)
    assert previous.read_bytes() == b"the previous export"
    _only(previous)


def test_a_locked_target_is_a_clear_save_error(previous: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What Windows does to a file open in Excel, and what a read-only file does to a non-root user."""
    def locked(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(os, "replace", locked)
    with pytest.raises(SaveError, match="locked or read-only"):
        export_results(rich_scenario(), previous)
    assert previous.read_bytes() == b"the previous export"
    _only(previous)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root ignores file permissions; test_a_locked_target_is_a_clear_save_error covers it")
def test_a_read_only_file_is_a_clear_save_error(previous: Path) -> None:
    previous.chmod(0o444)
    try:
        with pytest.raises(SaveError, match="read-only"):
            export_results(rich_scenario(), previous)
        assert previous.read_bytes() == b"the previous export"
        _only(previous)
    finally:
        previous.chmod(0o644)


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0,
                    reason="root ignores folder permissions; test_a_locked_target_is_a_clear_save_error covers it")
def test_a_read_only_folder_is_a_clear_save_error(previous: Path) -> None:
    folder = previous.parent
    folder.chmod(0o555)
    try:
        with pytest.raises(SaveError, match="cannot write in"):
            export_results(rich_scenario(), previous)
    finally:
        folder.chmod(0o755)
    assert previous.read_bytes() == b"the previous export"
    _only(previous)


def test_a_missing_folder_is_a_clear_save_error(tmp_path: Path) -> None:
    with pytest.raises(SaveError, match="cannot write in"):
        export_results(rich_scenario(), tmp_path / "no such folder" / "results.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_sources_link_plain_web_addresses_and_keep_the_text(tmp_path: Path) -> None:
    s = rich_scenario()
    s = s.with_cell("Capex", 0, "source", "10-K p. 41, https://example.com/10k?p=41 (accessed 2025)")
    s = s.with_cell("Capex", 1, "source", "javascript:alert(1)")
    s = s.with_cell("Capex", 2, "source", "=HYPERLINK(\"https://evil.example\")")
    path = tmp_path / "links.xlsx"
    export_results(s, path)
    ws = load(path)["Sources"]
    rows = {r[2].value: r for r in ws.iter_rows(min_row=4) if r[0].value == "Capex"}
    linked = rows["Hyper A"][3]
    assert linked.data_type == "s" and linked.value.startswith("10-K p. 41")
    assert linked.hyperlink.target == "https://example.com/10k?p=41"
    assert rows["Hyper B"][3].data_type == "s" and rows["Hyper B"][3].hyperlink is None     # not a web link
    # a formula-looking source stays text; only the plain web address inside it is linked
    assert rows["Chips C"][3].data_type == "s" and rows["Chips C"][3].value.startswith("=HYPERLINK")
    assert rows["Chips C"][3].hyperlink.target == "https://evil.example"
