"""A corpus of malformed workbooks, one per family of damage, built here from the shipped default template: each is refused
in an analyst's words — what is damaged (the sheet and row when known), how, what to do — and never with the
text or the class name of what zipfile, openpyxl or the XML parser raised on it."""

from __future__ import annotations

import io
import re
import struct
import time
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from model.core.problems import FileRefused
from model.io.workbook import check_template, read_template

LIMIT_SECONDS = 2.0
DEFAULT = Path(__file__).resolve().parents[1] / "templates" / "default-scenario.xlsx"
SHEET = "xl/worksheets/sheet1.xml"      # its Capex sheet

# What must never reach an analyst: Python / library exception text or class names.
RAW = re.compile(r"Error\b|BadZipFile|NotImplemented|__init__|invalid literal|list index|base 10|"
                 r"\('rId|keyword argument|<class|Traceback|could not convert|object has no attribute|"
                 r"Unable to read workbook|There is no item named|unclosed token|no element found", re.I)


@pytest.fixture(scope="module")
def members() -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(DEFAULT) as z:
        return [(i.filename, z.read(i)) for i in z.infolist()]


def build(members: list[tuple[str, bytes]], edit: Callable[[str, bytes], bytes | None] | None = None,
          add: list[tuple[str, bytes]] | None = None) -> bytes:
    """The default template with ``edit(name, data)`` applied to each part (None drops it), then ``add`` appended
    (a name already present makes a duplicate entry)."""
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # zipfile warns about a duplicate name, which is the point
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in members:
                new = edit(name, data) if edit else data
                if new is not None:
                    z.writestr(name, new)
            for name, data in add or ():
                z.writestr(name, data)
    return buf.getvalue()


def in_part(part: str, old: bytes, new: bytes) -> Callable[[str, bytes], bytes | None]:
    def edit(name: str, data: bytes) -> bytes | None:
        if name != part:
            return data
        assert old in data, f"{old!r} not in {part}"
        return data.replace(old, new, 1)
    return edit


def drop(part: str) -> Callable[[str, bytes], bytes | None]:
    return lambda name, data: None if name == part else data


def cut(part: str) -> Callable[[str, bytes], bytes | None]:
    return lambda name, data: data[: len(data) // 2] if name == part else data


def central_version(data: bytes, version: int) -> bytes:
    """Set the 'version needed to extract' of the first entry of the central directory (a one-byte change)."""
    out = bytearray(data)
    pos = out.find(b"PK\x01\x02")
    struct.pack_into("<H", out, pos + 6, version)
    return bytes(out)


def refusal(path: Path) -> str:
    start = time.perf_counter()
    with pytest.raises(FileRefused) as info:
        read_template(path)
    assert time.perf_counter() - start < LIMIT_SECONDS
    reason = info.value.reason
    problems = check_template(path)
    assert [p.message for p in problems] == [reason]
    assert "\n" not in reason
    assert not RAW.search(reason), reason
    return reason


# family -> (how to build it from the blank template's parts, words the refusal must hold)
CORPUS: dict[str, tuple[Callable[[list[tuple[str, bytes]]], bytes], tuple[str, ...]]] = {
    "zip version": (lambda m: central_version(build(m), 93), ("zip archive", "format version")),
    "zip cut short": (lambda m: build(m)[:-400], ("truncated or damaged",)),
    "zip entry corrupt": (lambda m: _corrupt_entry(build(m)), ("damaged", "truncated or corrupt")),
    "duplicate entry": (lambda m: build(m, add=[(SHEET, b"<worksheet/>")]), (SHEET, "twice")),
    "missing styles": (lambda m: build(m, drop("xl/styles.xml")), ("sheet 'Capex'", "style")),
    "missing worksheet": (lambda m: build(m, drop(SHEET)), ("'Capex'", "missing")),
    "missing relationships": (lambda m: build(m, drop("xl/_rels/workbook.xml.rels")),
                              ("relationships", "missing")),
    "bad relationship id": (lambda m: build(m, in_part("xl/workbook.xml", b'r:id="rId1"', b'r:id="rId999"')),
                            ("not in the file",)),
    "bad styles attribute": (lambda m: build(m, in_part("xl/styles.xml", b"<cellStyle ",
                                                         b'<cellStyle ZMIENNA_contentFontsCount="1" ')),
                             ("styles (xl/styles.xml)", "'ZMIENNA_contentFontsCount'")),
    "bad styles value": (lambda m: build(m, in_part("xl/styles.xml", b'<numFmt numFmtId="164"',
                                                     b'<numFmt numFmtId="x"')), ("styles (xl/styles.xml)",)),
    "bad sheet view": (lambda m: build(m, in_part(SHEET, b"<pane ", b'<pane ySplic="1" ')),
                       ("sheet 'Capex'", "view settings", "'ySplic'")),
    "broken sheet XML": (lambda m: build(m, cut(SHEET)), ("sheet 'Capex'", "XML is broken")),
    "broken styles XML": (lambda m: build(m, cut("xl/styles.xml")), ("styles", "XML is broken")),
    "broken workbook XML": (lambda m: build(m, cut("xl/workbook.xml")), ("xl/workbook.xml", "XML is broken")),
    "bad cell reference": (lambda m: build(m, in_part(SHEET, b'<c r="A2"', b'<c r="$A$"')),
                           ("sheet 'Capex'", "near row")),
    "bad row number": (lambda m: build(m, in_part(SHEET, b'<row r="2"', b'<row r="x"')), ("sheet 'Capex'",)),
    "bad dimension": (lambda m: build(m, in_part(SHEET, b'<dimension ref="', b'<dimension ref="$A$')),
                      ("damaged",)),
    "binary workbook (.xlsb)": (lambda m: _xlsb(), ("binary Excel workbook (.xlsb)",)),
    "legacy workbook (.xls)": (lambda m: bytes.fromhex("D0CF11E0A1B11AE1") + bytes(2000), ("(.xls)",)),
    "password-protected": (lambda m: bytes.fromhex("D0CF11E0A1B11AE1") + bytes(600)
                           + "EncryptedPackage".encode("utf-16-le") + bytes(600), ("password",)),
    "OpenDocument (.ods)": (lambda m: _zip([("mimetype", b"application/vnd.oasis.opendocument.spreadsheet"),
                                            ("content.xml", b"<office:document-content/>")]), ("OpenDocument",)),
    "CSV renamed": (lambda m: b"Company,2025\nMicrosoft,80\n", ("plain text",)),
    "Apple Numbers": (lambda m: _zip([("Index/Document.iwa", b"\x00" * 50)]), ("Numbers",)),
}


def _zip(items: list[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, data in items:
            z.writestr(name, data)
    return buf.getvalue()


def _xlsb() -> bytes:
    """What Excel writes for a .xlsb: a binary workbook part whose content type also says macroEnabled."""
    types = (b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             b'<Override PartName="/xl/workbook.bin" ContentType="application/vnd.ms-excel.sheet.binary.'
             b'macroEnabled.main"/></Types>')
    return _zip([("[Content_Types].xml", types), ("xl/workbook.bin", b"\x83\x01\x00"),
                 ("xl/worksheets/sheet1.bin", b"\x81\x01\x00")])


def _corrupt_entry(data: bytes) -> bytes:
    """Flip bytes in the middle of the first deflated part: its stream no longer inflates (or fails its CRC)."""
    out = bytearray(data)
    start = 30 + struct.unpack_from("<H", out, 26)[0] + struct.unpack_from("<H", out, 28)[0]
    size = struct.unpack_from("<I", out, 18)[0]
    for i in range(start + size // 3, start + size // 3 + 8):
        out[i] ^= 0xFF
    return bytes(out)


@pytest.mark.parametrize("family", sorted(CORPUS))
def test_each_family_of_damage_is_refused_in_words(tmp_path: Path, members: list[tuple[str, bytes]],
                                                   family: str) -> None:
    make, words = CORPUS[family]
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(make(members))
    reason = refusal(path)
    for word in words:
        assert word in reason, (family, reason)


def test_a_binary_workbook_is_not_called_macro_enabled(tmp_path: Path) -> None:
    path = tmp_path / "book.xlsb"
    path.write_bytes(_xlsb())
    assert "macro" not in refusal(path)


def test_the_untouched_corpus_base_reads(tmp_path: Path, members: list[tuple[str, bytes]]) -> None:
    """The corpus damages a file that is otherwise read: the refusals come from the damage alone."""
    path = tmp_path / "blank.xlsx"
    path.write_bytes(build(members))
    assert not [p for p in check_template(path) if p.severity == "error" and not p.cell]


@pytest.mark.parametrize("seed", range(40))
def test_byte_level_damage_never_leaks_library_text(tmp_path: Path, members: list[tuple[str, bytes]],
                                                    seed: int) -> None:
    """A few bytes changed anywhere in the file: read or refused, never a crash nor library text."""
    import random
    rng = random.Random(seed)
    data = bytearray(build(members))
    for _ in range(rng.randint(1, 6)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    path = tmp_path / "fuzzed.xlsx"
    path.write_bytes(bytes(data))
    for p in check_template(path):
        assert not RAW.search(p.message), p.message
