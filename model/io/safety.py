"""Refuse hostile or unreadable files before openpyxl parses a byte of them.

``inspect(path)`` reads the file once, looks at the zip archive's directory and at the head of each XML part, and
either raises :class:`~model.core.problems.FileRefused` with a one-line reason or returns the bytes (so the importer
parses exactly what was checked) and the workbook's worksheet parts. Every check is bounded: the file is read
once (at most ``MAX_FILE_BYTES``), nothing is decompressed beyond the first ``PROLOG_LIMIT`` bytes of a part
(small control parts: ``CONTROL_PART_LIMIT``), so a refusal takes well under a second whatever the file claims.

What is refused, and why (``docs/template-format.md`` says the same for analysts):

* not an .xlsx at all: an empty file, plain text (CSV, HTML, XML exports), a legacy .xls / password-protected
  file (an OLE container, magic ``D0 CF 11 E0``), an OpenDocument spreadsheet, a truncated or empty zip;
* macros: a ``vbaProject.bin`` part, Excel 4 macro sheets, or a macro-enabled / binary (.xlsm, .xltm, .xlsb)
  content type: we never open executable content;
* XML entity attacks (billion laughs, external entities): any ``<!DOCTYPE`` / ``<!ENTITY`` declaration in any
  part. openpyxl also parses through defusedxml, but we do not rely on an environment variable to stay safe;
* zip bombs: more than ``MAX_TOTAL_UNCOMPRESSED`` declared uncompressed bytes in the parts that are read (an
  export's result sheets are never decompressed: they do not count), or a part over 1 MiB that claims
  a compression ratio above ``MAX_RATIO``. Python's zipfile never inflates a part past its declared size, so the
  declared sizes are a real bound. Parts openpyxl loads whole (shared strings, styles) are capped at
  ``MAX_LOADED_PART``; worksheets are streamed;
* absurd sheets: a sheet that is read with a ``<dimension>`` beyond ``MAX_SHEET_ROWS`` rows (``MAX_ROWS`` rows of
  data under a header among the first 20) or ``MAX_COLUMNS`` columns (e.g. ``A1:XFD1048576``). The importer also
  stops iterating past ``MAX_SHEET_ROWS`` rows whatever the dimension says.
"""

from __future__ import annotations

import io
import os
import posixpath
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET
from openpyxl.utils.cell import range_boundaries

from model.core.problems import FileRefused
from model.io import damage

MiB = 2**20
# on disk: the file is read whole (the importer parses exactly what was checked). An export at the import caps (24,000
# companies × 30 years) is 282 MB, its result sheets never decompressed: it re-imports (docs/export.md, *Size*).
MAX_FILE_BYTES = 512 * MiB
MAX_TOTAL_UNCOMPRESSED = 200 * MiB    # sum of the parts' declared sizes
MAX_RATIO = 100                       # declared size / compressed size, for parts above RATIO_MIN_SIZE
RATIO_MIN_SIZE = 1 * MiB
MAX_ENTRIES = 5000
MAX_ROWS = 100_000                    # rows of data in one sheet
MAX_SHEET_ROWS = MAX_ROWS + 20        # and above them, a header among the first 20 rows (workbook.HEADER_SCAN_ROWS)
MAX_COLUMNS = 500
PROLOG_LIMIT = 1 * MiB                # an XML declaration + comments longer than this is not a spreadsheet part
CONTROL_PART_LIMIT = 16 * MiB         # [Content_Types].xml, workbook.xml and its relationships
MAX_LOADED_PART = 50 * MiB            # parts openpyxl loads whole even in read-only mode (shared strings, styles)
_HEAD_LIMIT = 256 * 1024              # where a worksheet's <dimension> must be found, if anywhere
_CHUNK = 16 * 1024

OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")   # the stream of a password-protected .xlsx
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"

_SPREADSHEET_MAIN = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
}
_Refuse = Callable[[str], NoReturn]
# content types of the parts openpyxl parses whole (worksheets are streamed row by row)
_LOADED_WHOLE = ("sharedStrings+xml", "styles+xml", "theme+xml", "core-properties+xml", "extended-properties+xml",
                 "custom-properties+xml")

_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


@dataclass(frozen=True)
class SheetPart:
    name: str           # the sheet's tab name
    path: str           # its member in the zip archive, e.g. "xl/worksheets/sheet1.xml"


@dataclass(frozen=True)
class Package:
    """A file that passed every check: its bytes (parse these, not the path again) and its worksheets."""

    data: bytes = field(repr=False)
    sheets: tuple[SheetPart, ...] = ()

    def open(self) -> io.BytesIO:
        return io.BytesIO(self.data)


def inspect(path: str | os.PathLike[str], reads: Callable[[str], bool] | None = None) -> Package:
    """Check the file at ``path``; raise FileRefused with a one-line reason, or return its checked Package.

    ``reads(tab name)`` says which worksheets the caller will parse (default: all). The others — an export's result
    sheets, sheets the template does not know — are never decompressed, so their size is no risk: the dimension
    and total-size checks skip them, and an export as large as the import's caps re-imports."""
    name = str(path)
    p = Path(path)

    def refuse(reason: str) -> NoReturn:
        raise FileRefused(name, reason)

    try:
        if p.is_dir():
            refuse("this is a folder, not an Excel file")
        size = p.stat().st_size
    except FileNotFoundError:
        refuse("the file does not exist")
    except OSError as exc:
        refuse(f"the file cannot be read ({exc.strerror or exc})")
    if size == 0:
        refuse("the file is empty (0 bytes)")
    if size > MAX_FILE_BYTES:
        refuse(f"the file is {size / MiB:.0f} MB; a template, or an export, is at most {MAX_FILE_BYTES // MiB} MB")
    try:
        with open(p, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        refuse(f"the file cannot be read ({exc.strerror or exc})")
    return inspect_bytes(data, name, reads)


def inspect_bytes(data: bytes, name: str = "the file", reads: Callable[[str], bool] | None = None) -> Package:
    """The checks of :func:`inspect` on bytes already read."""

    def refuse(reason: str) -> NoReturn:
        raise FileRefused(name, reason)

    if not data:
        refuse("the file is empty (0 bytes)")
    if len(data) > MAX_FILE_BYTES:
        refuse(f"the file is larger than {MAX_FILE_BYTES // MiB} MB; a template, or an export, is smaller")
    if data.startswith(OLE_MAGIC):
        if _ENCRYPTED_PACKAGE in data:
            refuse("this workbook is protected by a password (encrypted); open it in Excel, remove the password "
                   "(File > Info > Protect Workbook) and save it as .xlsx")
        refuse("this is a legacy Excel 97-2003 workbook (.xls), or another Office 97 file; open it in Excel and "
               "save it as an Excel Workbook (.xlsx)")
    if data.startswith(EMPTY_ZIP_MAGIC):
        refuse("this is an empty zip archive, not an Excel workbook (.xlsx)")
    if not data.startswith(ZIP_MAGIC):
        if _looks_like_text(data[:4096]):
            refuse("this is plain text (a CSV, HTML or XML export?), not an Excel workbook; "
                   "open it in Excel and save it as .xlsx")
        refuse("this is not an Excel workbook (.xlsx): the content is not a zip archive")

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except NotImplementedError:     # zipfile: "zip file version 9.3", an unknown compression
        refuse("the file's zip archive declares a format version Excel never writes: the file is damaged; "
               + damage.REPAIR)
    except Exception:               # BadZipFile, LargeZipFile, struct.error, ValueError, EOFError, IndexError…
        refuse("the file is truncated or damaged: it is not a complete .xlsx (zip) archive")

    with archive:
        _check_entries(infos, refuse)
        names = {i.filename for i in infos}
        for info in infos:
            _check_prolog(archive, info, refuse)
        workbook_path = _workbook_part(archive, names, refuse)
        sheets = _worksheets(archive, names, workbook_path, refuse)
        read = [part for part in sheets if reads is None or reads(part.name)]
        unread = {part.path for part in sheets} - {part.path for part in read}
        if sum(i.file_size for i in infos if i.filename not in unread) > MAX_TOTAL_UNCOMPRESSED:
            refuse(f"the archive declares more than {MAX_TOTAL_UNCOMPRESSED // MiB} MB uncompressed "
                   f"(a possible zip bomb); a template is far smaller")
        _check_ratios(infos, refuse)
        for part in read:
            _check_dimension(archive, part, refuse)
    return Package(data, sheets)


# -- the zip directory -----------------------------------------------------------------------------------------

def _looks_like_text(head: bytes) -> bool:
    """Text in any 8-bit encoding or UTF-16 (with its BOM): no control bytes but tab, newlines and form feed."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    return all(b >= 0x20 or b in b"\t\n\r\f" for b in head)


def _check_entries(infos: list[zipfile.ZipInfo], refuse: _Refuse) -> None:
    if not infos:
        refuse("this is an empty zip archive, not an Excel workbook (.xlsx)")
    if len(infos) > MAX_ENTRIES:
        refuse(f"the archive holds {len(infos):,} parts; an Excel workbook has far fewer (limit {MAX_ENTRIES:,})")
    lower = [i.filename.lower() for i in infos]
    seen: set[str] = set()
    for info, low in zip(infos, lower, strict=True):
        if low in seen:     # two parts of one name: which one Excel and openpyxl read is not defined
            refuse(f"the archive holds the part {info.filename} twice: the file was assembled wrongly or "
                   f"tampered with; {damage.REPAIR}")
        seen.add(low)
    if "xl/workbook.bin" in seen:
        refuse("this is a binary Excel workbook (.xlsb); open it in Excel and save it as an Excel Workbook (.xlsx)")
    if any(n.startswith("index/") and n.endswith(".iwa") for n in lower):
        refuse("this is an Apple Numbers file, not an Excel workbook; export it from Numbers as Excel (.xlsx)")
    if any(n.endswith("vbaproject.bin") for n in lower):
        refuse("the workbook contains macros (vbaProject.bin); save a copy without macros as .xlsx")
    if any(n.startswith(("xl/macrosheets/", "xl/dialogsheets/")) for n in lower):
        refuse("the workbook contains Excel 4 macro sheets; save a copy without macros as .xlsx")
    if "mimetype" in lower and "[content_types].xml" not in lower:
        refuse("this is an OpenDocument file (.ods?), not an Excel workbook; save it as .xlsx")
    # Worksheets are counted once it is known which are read (inspect_bytes); every other part counts now.
    if sum(i.file_size for i in infos if not i.filename.startswith("xl/worksheets/")) > MAX_TOTAL_UNCOMPRESSED:
        refuse(f"the archive declares more than {MAX_TOTAL_UNCOMPRESSED // MiB} MB uncompressed "
               f"(a possible zip bomb); a template is far smaller")
    for info in infos:
        if info.flag_bits & 0x1:
            refuse(f"the archive is encrypted ({info.filename}); save the workbook without a password")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            refuse(f"the part {info.filename} uses a compression Excel never writes; save the workbook as .xlsx")


def _check_ratios(infos: list[zipfile.ZipInfo], refuse: _Refuse) -> None:
    for info in infos:
        if info.file_size > RATIO_MIN_SIZE:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > MAX_RATIO:
                refuse(f"the part {info.filename} compresses {ratio:,.0f}:1 (limit {MAX_RATIO}:1), "
                       f"a possible zip bomb")


# -- XML declarations ----------------------------------------------------------------------------------------

# What may precede the root element: whitespace, the XML declaration and processing instructions, comments.
_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.S)


def _prolog_verdict(head: bytes, complete: bool) -> str | None:
    """"dtd" if a declaration (<!DOCTYPE, <!ENTITY ...) precedes the root element, "ok" once the root element (or
    non-XML content) is reached, None when more bytes are needed to tell."""
    pos = 3 if head.startswith(b"\xef\xbb\xbf") else 0
    while True:
        m = _PROLOG_ITEM.match(head, pos)
        if m is None or m.end() == pos:
            break
        pos = m.end()
    rest = head[pos:pos + 4]
    if rest.startswith(b"<!--") or rest.startswith(b"<?") or len(rest) < 4:
        # an unfinished comment or instruction, or too little to tell
        if complete:
            return "dtd" if rest.startswith(b"<!") else "ok"
        return None
    if rest.startswith(b"<!"):
        return "dtd"
    return "ok"


def _as_utf8(head: bytes) -> bytes:
    """UTF-16 parts (a BOM, or '<' with a zero byte) re-encoded so that the prolog scan sees the same text."""
    for bom, codec in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[2:len(head) - (len(head) % 2)].decode(codec, errors="replace").encode()
    if head.startswith(b"<\x00"):
        return head[:len(head) - (len(head) % 2)].decode("utf-16-le", errors="replace").encode()
    if head.startswith(b"\x00<"):
        return head[:len(head) - (len(head) % 2)].decode("utf-16-be", errors="replace").encode()
    return head


def _check_prolog(archive: zipfile.ZipFile, info: zipfile.ZipInfo, refuse: _Refuse) -> None:
    if info.is_dir() or info.file_size == 0:
        return
    head = b""
    try:
        fh = archive.open(info)
    except Exception as exc:
        refuse(f"the part {info.filename} is damaged: {damage.kind_of_damage(exc)}; {damage.REPAIR}")
    with fh:
        while True:
            try:
                chunk = fh.read(max(_CHUNK, len(head)))    # doubling: the rescans below stay linear overall
            except Exception as exc:  # zipfile.BadZipFile, zlib.error, EOFError: a truncated or corrupt stream
                refuse(f"the part {info.filename} is damaged: {damage.kind_of_damage(exc)}; {damage.REPAIR}")
            head += chunk
            verdict = _prolog_verdict(_as_utf8(head), complete=not chunk)
            if verdict == "dtd":
                refuse(f"the part {info.filename} declares a DOCTYPE or ENTITY (an XML entity attack?); "
                       f"Excel never writes one")
            if verdict == "ok":
                return
            if len(head) > PROLOG_LIMIT:
                refuse(f"the part {info.filename} starts with more than {PROLOG_LIMIT // MiB} MB of XML "
                       f"prolog; Excel never writes that")


# -- the workbook's parts ----------------------------------------------------------------------------------------

def _read_small(archive: zipfile.ZipFile, member: str, refuse: _Refuse) -> bytes:
    info = archive.getinfo(member)
    if info.file_size > CONTROL_PART_LIMIT:
        refuse(f"the part {member} is {info.file_size / MiB:.0f} MB; Excel writes it in kilobytes")
    try:
        with archive.open(info) as fh:
            return fh.read(CONTROL_PART_LIMIT + 1)
    except Exception as exc:  # a corrupt stream; no refusal is raised inside the try
        refuse(f"the part {member} is damaged: {damage.kind_of_damage(exc)}; {damage.REPAIR}")


def _parse(archive: zipfile.ZipFile, member: str, refuse: _Refuse) -> Element:
    data = _read_small(archive, member, refuse)
    try:
        return SafeET.fromstring(data)
    except Exception as exc:
        refuse(f"the part {member} is damaged: {damage.kind_of_damage(exc)}; {damage.REPAIR}")


def _workbook_part(archive: zipfile.ZipFile, names: set[str], refuse: _Refuse) -> str:
    if "[Content_Types].xml" not in names:
        refuse("this zip archive is not an Excel workbook (no [Content_Types].xml); save the file as .xlsx")
    types = _parse(archive, "[Content_Types].xml", refuse)
    content_types = [(el.get("PartName", ""), el.get("ContentType", "")) for el in types.iter(f"{_CT_NS}Override")]
    defaults = [el.get("ContentType", "") for el in types.iter(f"{_CT_NS}Default")]
    every_type = [ct for _, ct in content_types] + defaults
    if any("sheet.binary" in ct.lower() for ct in every_type):     # before macros: .xlsb's type says macroEnabled
        refuse("this is a binary Excel workbook (.xlsb); open it in Excel and save it as an Excel Workbook (.xlsx)")
    if any("macroenabled" in ct.lower() for ct in every_type):
        refuse("the workbook is macro-enabled (.xlsm/.xltm); save a copy without macros as .xlsx")
    for part, ct in content_types:
        member = part.lstrip("/")
        if ct.endswith(_LOADED_WHOLE) and member in names and archive.getinfo(member).file_size > MAX_LOADED_PART:
            size = archive.getinfo(member).file_size / MiB
            refuse(f"the part {member} is {size:,.0f} MB and would be loaded whole (limit "
                   f"{MAX_LOADED_PART // MiB} MB); a template's is a few kilobytes")
    for part, ct in content_types:
        if ct in _SPREADSHEET_MAIN:
            member = part.lstrip("/")
            if member not in names:
                refuse(f"the file is damaged: its workbook part {member} is missing")
            return member
    if any(ct in _SPREADSHEET_MAIN for ct in defaults) and "xl/workbook.xml" in names:
        return "xl/workbook.xml"
    if any("wordprocessingml" in ct for ct in every_type):
        refuse("this is a Word document, not an Excel workbook")
    if any("presentationml" in ct for ct in every_type):
        refuse("this is a PowerPoint presentation, not an Excel workbook")
    refuse("this zip archive is not an Excel workbook (no workbook part); save the file as .xlsx")


def _worksheets(archive: zipfile.ZipFile, names: set[str], workbook: str, refuse: _Refuse) -> tuple[SheetPart, ...]:
    book = _parse(archive, workbook, refuse)
    folder, base = posixpath.split(workbook)
    rels_member = posixpath.join(folder, "_rels", base + ".rels")
    targets: dict[str, str] = {}
    if rels_member in names:
        for rel in _parse(archive, rels_member, refuse).iter(f"{_REL_NS}Relationship"):
            if rel.get("TargetMode") == "External" or not rel.get("Type", "").endswith("/worksheet"):
                continue
            target = rel.get("Target", "")
            member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(folder, target))
            targets[rel.get("Id", "")] = member
    out = []
    for el in book.iter(f"{_MAIN_NS}sheet"):
        part = targets.get(el.get(_R_ID, ""))
        if part is None:
            continue            # a chart sheet or a dangling reference: not a worksheet we could read
        if part not in names:
            refuse(f"the file is damaged: the part of sheet {el.get('name', '?')!r} ({part}) is missing")
        out.append(SheetPart(el.get("name", ""), part))
    return tuple(out)


_DIMENSION = re.compile(rb"<(?:[\w.-]+:)?dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
_SHEET_DATA = re.compile(rb"<(?:[\w.-]+:)?sheetData\b")


def sheet_head(archive: zipfile.ZipFile, member: str, limit: int = _HEAD_LIMIT) -> bytes:
    """The start of a worksheet part: up to its <sheetData> (where <dimension> must come before), at most limit."""
    head = b""
    with archive.open(member) as fh:
        while len(head) < limit:
            chunk = fh.read(_CHUNK)
            if not chunk:
                break
            head += chunk
            if _SHEET_DATA.search(head):
                break
    return _as_utf8(head)


def declared_dimension(head: bytes) -> tuple[int, int, int, int] | None:
    """(min_col, min_row, max_col, max_row) of the sheet's <dimension ref>, or None when it declares none."""
    data_at = _SHEET_DATA.search(head)
    m = _DIMENSION.search(head, 0, data_at.start() if data_at else len(head))
    if m is None:
        return None
    ref = m.group(1).decode("ascii", errors="replace").replace("$", "").strip().upper()
    try:
        bounds = range_boundaries(ref)
    except (ValueError, TypeError):
        return None
    if any(b is None for b in bounds):
        return None
    return bounds


def _check_dimension(archive: zipfile.ZipFile, part: SheetPart, refuse: _Refuse) -> None:
    try:
        head = sheet_head(archive, part.path)
    except Exception as exc:
        refuse(f"the sheet {part.name!r} is damaged: {damage.kind_of_damage(exc)}; {damage.REPAIR}")
    dims = declared_dimension(head)
    if dims is None:
        return
    _, _, max_col, max_row = dims
    if max_row > MAX_SHEET_ROWS or max_col > MAX_COLUMNS:
        refuse(f"the sheet {part.name!r} declares {max_row:,} rows x {max_col:,} columns; "
               f"a template sheet has at most {MAX_ROWS:,} rows and {MAX_COLUMNS} columns")
