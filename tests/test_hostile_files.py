"""Hostile and unreadable files are refused with a one-line reason, fast, before openpyxl parses them."""

from __future__ import annotations

import random
import struct
import time
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from model.core.problems import FileRefused, TemplateError
from model.io import safety, workbook
from model.io.template_writer import write_blank_template
from model.io.workbook import check_template, read_template

LIMIT_SECONDS = 2.0


@pytest.fixture
def no_openpyxl(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Refusals happen before openpyxl sees the file."""
    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl was asked to parse a file that should have been refused")
    monkeypatch.setattr(workbook, "load_workbook", forbidden)
    yield


def refused(path: Path) -> str:
    """The one-line reason, checked to come within the time limit."""
    start = time.perf_counter()
    with pytest.raises(FileRefused) as info:
        read_template(path)
    elapsed = time.perf_counter() - start
    assert elapsed < LIMIT_SECONDS, f"refusal took {elapsed:.2f} s"
    reason = info.value.reason
    assert "\n" not in reason and reason
    assert str(info.value) == f"{path}: refused: {reason}"
    problems = check_template(path)
    assert len(problems) == 1 and problems[0].severity == "error" and problems[0].message == reason
    return reason


def blank(tmp_path: Path, name: str = "t.xlsx") -> Path:
    path = tmp_path / name
    write_blank_template(path)
    return path


def rewrite(path: Path, edit: Callable[[str, bytes], bytes | None], add: dict[str, bytes] | None = None) -> Path:
    """Rewrite the zip member by member through ``edit(name, data)`` (None drops the member), then add members."""
    with zipfile.ZipFile(path) as zin:
        items = [(info.filename, zin.read(info)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in items:
            new = edit(name, data)
            if new is not None:
                zout.writestr(name, new)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return path


def patch_directory(data: bytes, member: str, *, size: int | None = None, flags: int | None = None) -> bytes:
    """Change what the zip's central directory (and the local header) declares about ``member``."""
    out = bytearray(data)
    name = member.encode()
    pos = out.find(b"PK\x01\x02")
    while pos != -1:
        n = struct.unpack_from("<H", out, pos + 28)[0]
        if bytes(out[pos + 46:pos + 46 + n]) == name:
            local = struct.unpack_from("<I", out, pos + 42)[0]
            if size is not None:
                struct.pack_into("<I", out, pos + 24, size)
                struct.pack_into("<I", out, local + 22, size)
            if flags is not None:
                struct.pack_into("<H", out, pos + 8, flags)
                struct.pack_into("<H", out, local + 6, flags)
            return bytes(out)
        pos = out.find(b"PK\x01\x02", pos + 4)
    raise KeyError(member)


# -- not an .xlsx ------------------------------------------------------------------------------------------------

@pytest.mark.usefixtures("no_openpyxl")
@pytest.mark.parametrize("content, words", [
    (b"", "the file is empty (0 bytes)"),
    (b"Company,2025\nMicrosoft,80\n", "plain text"),
    ("Société;2025\r\nNestlé;1\r\n".encode("cp1252"), "plain text"),
    (b"<html><table><tr><td>Capex</td></tr></table></html>", "plain text"),
    (bytes.fromhex("D0CF11E0A1B11AE1") + bytes(4000), "legacy Excel 97-2003 workbook (.xls)"),
    (bytes.fromhex("D0CF11E0A1B11AE1") + "EncryptedPackage".encode("utf-16-le") + bytes(4000), "password"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "not a zip archive"),
    (b"PK\x05\x06" + bytes(18), "empty zip archive"),
])
def test_not_an_xlsx(tmp_path: Path, content: bytes, words: str) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(content)
    assert words in refused(path)


@pytest.mark.usefixtures("no_openpyxl")
def test_truncated_zip(tmp_path: Path) -> None:
    path = blank(tmp_path)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    assert "truncated or damaged" in refused(path)


@pytest.mark.usefixtures("no_openpyxl")
def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert refused(tmp_path / "nope.xlsx") == "the file does not exist"
    assert "folder" in refused(tmp_path)


@pytest.mark.usefixtures("no_openpyxl")
@pytest.mark.parametrize("members, words", [
    ({"hello.txt": b"hi"}, "not an Excel workbook (no [Content_Types].xml)"),
    ({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}, "OpenDocument"),
    ({"[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                             b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                             b'officedocument.wordprocessingml.document.main+xml"/></Types>',
      "word/document.xml": b"<w/>"}, "Word document"),
])
def test_other_zip_archives(tmp_path: Path, members: dict[str, bytes], words: str) -> None:
    path = tmp_path / "t.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    assert words in refused(path)


# -- macros -------------------------------------------------------------------------------------------------------

@pytest.mark.usefixtures("no_openpyxl")
def test_vba_project(tmp_path: Path) -> None:
    path = rewrite(blank(tmp_path), lambda n, d: d, add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 macro"})
    assert "contains macros (vbaProject.bin)" in refused(path)


@pytest.mark.usefixtures("no_openpyxl")
def test_macro_enabled_content_type(tmp_path: Path) -> None:
    def edit(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return data.replace(b"spreadsheetml.sheet.main+xml", b"spreadsheetml.sheet.main+xml").replace(
                b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")
        return data
    assert "macro-enabled (.xlsm" in refused(rewrite(blank(tmp_path), edit))


@pytest.mark.usefixtures("no_openpyxl")
def test_excel4_macro_sheet(tmp_path: Path) -> None:
    path = rewrite(blank(tmp_path), lambda n, d: d, add={"xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>"})
    assert "Excel 4 macro sheets" in refused(path)


# -- XML entity attacks -----------------------------------------------------------------------------------------------

LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + str(i - 1 if i > 1 else "") + ";") * 10}">' for i in range(1, 10)) + "]>")
XXE = '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def inject(prolog: str, member: str, *, utf16: bool = False) -> Callable[[str, bytes], bytes]:
    def edit(name: str, data: bytes) -> bytes:
        if name != member:
            return data
        text = data.decode()
        body = text[text.index("?>") + 2:] if text.startswith("<?xml") else text
        new = '<?xml version="1.0" encoding="UTF-8"?>\n<!-- a comment first -->' + prolog + body
        if utf16:
            return ("\ufeff" + new.replace('encoding="UTF-8"', 'encoding="UTF-16"')).encode("utf-16-le")
        return new.encode()
    return edit


@pytest.mark.usefixtures("no_openpyxl")
@pytest.mark.parametrize("prolog, member, utf16", [
    (LAUGHS, "xl/worksheets/sheet1.xml", False),
    (XXE, "xl/worksheets/sheet1.xml", False),
    (LAUGHS, "xl/sharedStrings.xml", False),
    (XXE, "xl/workbook.xml", False),
    (XXE, "[Content_Types].xml", False),
    ("<!ENTITY lol 'x'>", "xl/styles.xml", False),
    (XXE, "xl/worksheets/sheet2.xml", True),
])
def test_entity_declarations(tmp_path: Path, prolog: str, member: str, utf16: bool) -> None:
    path = blank(tmp_path)
    with zipfile.ZipFile(path) as z:
        present = member in z.namelist()
    sst = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>'
    path = rewrite(path, lambda n, d: d, add=None if present else {member: sst})   # openpyxl writes inline strings
    path = rewrite(path, inject(prolog, member, utf16=utf16))
    reason = refused(path)
    assert f"the part {member} declares a DOCTYPE or ENTITY" in reason


@pytest.mark.usefixtures("no_openpyxl")
def test_endless_prolog(tmp_path: Path) -> None:
    noise = random.Random(0).randbytes(safety.PROLOG_LIMIT).hex()      # incompressible: no ratio refusal first
    path = rewrite(blank(tmp_path), inject("<!--" + noise + "-->", "xl/worksheets/sheet1.xml"))
    assert "MB of XML prolog" in refused(path)


# -- zip bombs -------------------------------------------------------------------------------------------------------

@pytest.mark.usefixtures("no_openpyxl")
def test_declared_size_over_the_limit(tmp_path: Path) -> None:
    """A part that claims 300 MB uncompressed: the directory is read, nothing is inflated."""
    path = blank(tmp_path)
    path.write_bytes(patch_directory(path.read_bytes(), "xl/worksheets/sheet1.xml", size=300 * 2**20))
    reason = refused(path)
    assert "declares more than 200 MB uncompressed" in reason and "zip bomb" in reason


@pytest.mark.usefixtures("no_openpyxl")
def test_many_parts_adding_up_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(_lying_archive({f"xl/media/image{i}.png": 60 * 2**20 for i in range(4)}))
    assert "declares more than 200 MB uncompressed" in refused(path)


def _lying_archive(claims: dict[str, int]) -> bytes:
    """Stored members of a few bytes whose directory entries claim ``claims`` bytes each."""
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name in claims:
            z.writestr(name, b"0" * 2000)
    data = buf.getvalue()
    for name, size in claims.items():
        data = patch_directory(data, name, size=size)
    return data


@pytest.mark.usefixtures("no_openpyxl")
def test_shared_strings_too_large_to_load_whole(tmp_path: Path) -> None:
    """Under the total limit and the ratio limit, but openpyxl would hold every string in memory."""
    def edit(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
        return data
    noise = b"<sst>" + random.Random(1).randbytes(700_000)      # incompressible: a plausible 85:1 claim below
    path = rewrite(blank(tmp_path), edit, add={"xl/sharedStrings.xml": noise})
    path.write_bytes(patch_directory(path.read_bytes(), "xl/sharedStrings.xml", size=60 * 2**20))
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/sharedStrings.xml")
        assert info.file_size == 60 * 2**20 and info.file_size / info.compress_size < safety.MAX_RATIO
    assert "the part xl/sharedStrings.xml is 60 MB and would be loaded whole (limit 50 MB)" in refused(path)


@pytest.mark.usefixtures("no_openpyxl")
def test_compression_ratio_over_the_limit(tmp_path: Path) -> None:
    """A real 20 MB part of zeros compresses ~1000:1: refused although it is under the size limit."""
    zeros = b"<row/>" * (20 * 2**20 // 6)
    path = rewrite(blank(tmp_path), lambda n, d: d, add={"xl/worksheets/sheet99.xml": zeros})
    reason = refused(path)
    assert "the part xl/worksheets/sheet99.xml compresses" in reason and "(limit 100:1)" in reason


@pytest.mark.usefixtures("no_openpyxl")
def test_encrypted_member(tmp_path: Path) -> None:
    path = blank(tmp_path)
    path.write_bytes(patch_directory(path.read_bytes(), "xl/styles.xml", flags=0x1))
    assert "encrypted (xl/styles.xml)" in refused(path)


def test_corrupt_compressed_data_is_refused_not_crashed(tmp_path: Path) -> None:
    path = blank(tmp_path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = z.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 2, start + info.compress_size - 2):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))
    assert "damaged" in refused(path) or "could not be read" in refused(path)


# -- absurd sheets ------------------------------------------------------------------------------------------------------

def _set_dimension(path: Path, ref: str, member: str = "xl/worksheets/sheet1.xml") -> Path:
    def edit(name: str, data: bytes) -> bytes:
        if name != member:
            return data
        text = data.decode()
        start = text.index("<dimension ")
        end = text.index("/>", start) + 2
        return (text[:start] + f'<dimension ref="{ref}"/>' + text[end:]).encode()
    return rewrite(path, edit)


@pytest.mark.usefixtures("no_openpyxl")
@pytest.mark.parametrize("ref, words", [
    ("A1:XFD1048576", "declares 1,048,576 rows x 16,384 columns"),
    ("A1:H150000", "declares 150,000 rows x 8 columns"),
    ("B2:WZ10", "declares 10 rows x 624 columns"),
])
def test_absurd_dimension(tmp_path: Path, ref: str, words: str) -> None:
    reason = refused(_set_dimension(blank(tmp_path), ref))
    assert "the sheet 'Capex' " + words in reason and "at most 100,000 rows and 500 columns" in reason


def test_rows_past_the_cap_without_a_dimension(tmp_path: Path) -> None:
    """No <dimension> to warn us: reading stops at the cap instead of iterating a million rows."""
    def edit(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        text = data.decode()
        start = text.index("<dimension ")
        text = text[:start] + text[text.index("/>", start) + 2:]
        far = '<row r="150000"><c r="A150000" t="inlineStr"><is><t>Far away</t></is></c></row>'
        return text.replace("</sheetData>", far + "</sheetData>").replace("<sheetData/>",
                                                                          f"<sheetData>{far}</sheetData>").encode()
    reason = refused(rewrite(blank(tmp_path), edit))
    assert reason == "the sheet 'Capex' has more than 100,000 rows"


def test_a_wrong_small_dimension_hides_no_rows(tmp_path: Path) -> None:
    """Some writers leave <dimension ref="A1"/>; openpyxl's read-only mode would stop there. We read every row."""
    from tests.test_import import minimal
    path = _set_dimension(minimal(tmp_path / "t.xlsx"), "A1")
    assert read_template(path).capex.column_values("company") == ["Microsoft", "OpenAI"]


# -- what passes ------------------------------------------------------------------------------------------------------

def test_the_blank_template_passes_every_check(tmp_path: Path) -> None:
    path = blank(tmp_path)
    package = safety.inspect(path)
    assert [s.name for s in package.sheets] == ["Capex", "Revenue", "Investments", "Assumptions", "Market",
                                                "Thresholds", "Uncertainty", "Correlations", "Scenarios"]
    assert package.data == path.read_bytes()
    read_template(path)


def test_a_large_honest_sheet_is_read(tmp_path: Path) -> None:
    """A compressible but honest sheet (a few thousand rows) is neither a bomb nor too slow."""
    from tests.test_import import DEALS_HEAD, minimal
    deals = [DEALS_HEAD] + [["Microsoft", "OpenAI", 2024 + i % 30, 1.0, "equity", 0, 1, "closed", f"row {i}", None]
                            for i in range(1500)]
    path = minimal(tmp_path / "t.xlsx", Investments=deals)
    start = time.perf_counter()
    with pytest.raises(TemplateError) as info:      # 3000 deals with repeated keys: duplicates, at their cells
        read_template(path)
    assert time.perf_counter() - start < 10
    dup = [p for p in info.value.problems if "duplicate" in p.message]
    assert dup and dup[0].sheet == "Investments" and dup[0].cell == "A32"


def test_ratio_check_does_not_apply_to_small_parts() -> None:
    data = _lying_archive({"[Content_Types].xml": 100_000})
    with pytest.raises(FileRefused) as info:
        safety.inspect_bytes(data)
    assert "compresses" not in info.value.reason


def test_compression_of_the_fixture_is_genuine() -> None:
    """Guard for test_compression_ratio_over_the_limit: the part really is that compressible."""
    zeros = b"<row/>" * (20 * 2**20 // 6)
    assert len(zeros) / len(zlib.compress(zeros)) > safety.MAX_RATIO
