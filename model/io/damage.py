"""What openpyxl, zipfile and the XML parsers raise on a damaged file, said in an analyst's words.

The safety checks (model/io/safety.py) refuse what they can see in the zip directory and the parts' first bytes;
whatever else is wrong inside a part only shows when openpyxl parses it, as whatever exception the library
happens to raise there: ``KeyError('rId999')``, ``TypeError("Pane.__init__() got an unexpected keyword argument
'ySplic'")``, ``IndexError('list index out of range')``, ``ValueError("invalid literal for int()…")``,
``lxml.etree.XMLSyntaxError``… None of that text means anything to an analyst, and none of it reaches one:
:func:`describe` names the part of the workbook that is damaged (found from where in openpyxl the error was
raised) and the kind of damage, and says what to do. The exception itself stays chained for a developer.
"""

from __future__ import annotations

import re
import traceback
import zipfile
import zlib
from xml.etree.ElementTree import ParseError

REPAIR = "open it in Excel or LibreOffice and save it again as .xlsx"

# Where in openpyxl an error was raised -> the part of the workbook it was reading. First match wins, so the more
# specific modules come first.
_WHERE: tuple[tuple[str, str], ...] = (
    ("openpyxl/styles", "its styles (xl/styles.xml)"),
    ("openpyxl/worksheet/views", "its view settings (frozen panes, selection)"),
    ("openpyxl/worksheet/_read_only", "its cells"),
    ("openpyxl/worksheet/_reader", "its cells"),
    ("openpyxl/cell", "its cells"),
    ("openpyxl/worksheet", "its sheet settings"),
    ("openpyxl/packaging/relationship", "the links between its parts (relationships)"),
    ("openpyxl/packaging/manifest", "its list of parts ([Content_Types].xml)"),
    ("openpyxl/packaging", "its document properties"),
    ("openpyxl/workbook", "its list of sheets and names (xl/workbook.xml)"),
    ("openpyxl/reader/strings", "its shared text (xl/sharedStrings.xml)"),
    ("openpyxl/chartsheet", "a chart sheet"),
    ("openpyxl/chart", "a chart"),
    ("openpyxl/drawing", "a drawing"),
    ("openpyxl/comments", "a cell comment"),
    ("openpyxl/pivot", "a pivot table"),
    ("openpyxl/reader", "its workbook part"),
)
_KEYWORD = re.compile(r"unexpected keyword argument '([^']{1,40})'")
_LINE = re.compile(r"line (\d+)")


# openpyxl builds each XML element as an object of a class named after it: the class an error names tells the part.
_CLASS_PART = {
    "Pane": "its view settings (frozen panes, selection)", "Selection": "its view settings (frozen panes, selection)",
    "SheetView": "its view settings (frozen panes, selection)", "SheetViewList": "its view settings",
    "CellStyle": "its styles (xl/styles.xml)", "_NamedCellStyle": "its styles (xl/styles.xml)",
    "NamedCellStyle": "its styles (xl/styles.xml)", "CellStyleList": "its styles (xl/styles.xml)",
    "Font": "its styles (xl/styles.xml)", "Fill": "its styles (xl/styles.xml)",
    "PatternFill": "its styles (xl/styles.xml)", "Border": "its styles (xl/styles.xml)",
    "NumberFormat": "its styles (xl/styles.xml)", "Stylesheet": "its styles (xl/styles.xml)",
    "Relationship": "the links between its parts (relationships)",
    "WorkbookPackage": "its list of sheets and names (xl/workbook.xml)",
    "DefinedName": "its defined names (xl/workbook.xml)", "ChildSheet": "its list of sheets (xl/workbook.xml)",
    "ColumnDimension": "its column widths", "RowDimension": "its row heights",
    "DataValidation": "its drop-down lists (data validation)", "ConditionalFormatting": "its conditional formats",
    "PrintOptions": "its print settings", "PageMargins": "its print settings", "PageSetup": "its print settings",
}
_CLASS = re.compile(r"\b(\w+)\.__init__\(\)|<class '[\w.]*?\.(\w+)'>")


def where(exc: BaseException) -> str:
    """The part of the workbook openpyxl was reading when ``exc`` was raised ('' when it cannot be told)."""
    named = _CLASS.search(str(exc))
    if named:
        part = _CLASS_PART.get(named.group(1) or named.group(2))
        if part:
            return part
    frames = [f.filename.replace("\\", "/") for f in traceback.extract_tb(exc.__traceback__)]
    for filename in reversed(frames):          # the innermost openpyxl frame that says something
        for module, part in _WHERE:
            if module in filename and part:
                return part
    return ""


def _is_xml_error(exc: BaseException) -> bool:
    if isinstance(exc, ParseError | SyntaxError):
        return True
    name = type(exc).__name__
    return name in {"XMLSyntaxError", "ExpatError", "DefusedXmlException", "DTDForbidden", "EntitiesForbidden"}


def kind_of_damage(exc: BaseException) -> str:
    """What is wrong, in words: never the exception's text or class name (a quoted name from the file at most)."""
    if isinstance(exc, MemoryError):
        return "it is too large to read in the memory available"
    if isinstance(exc, zipfile.BadZipFile | zlib.error | EOFError):
        return "its zip archive is truncated or corrupt"
    if isinstance(exc, NotImplementedError):
        return "its zip archive uses a format version or compression Excel never writes"
    if _is_xml_error(exc):
        line = _LINE.search(str(exc))
        return "its XML is broken" + (f" (line {line.group(1)})" if line else "") + ": the file is truncated or corrupt"
    if isinstance(exc, KeyError):
        missing = str(exc.args[0]) if exc.args else ""
        if missing.startswith("There is no item named"):
            return "a part it needs is missing from the archive"
        return "it refers to a part or an entry that is not in the file"
    if isinstance(exc, TypeError):
        keyword = _KEYWORD.search(str(exc))
        if keyword:
            return f"it holds a setting Excel does not write ({keyword.group(1)!r})"
        return "it holds a setting of the wrong type"
    if isinstance(exc, IndexError):
        return "it refers to an entry that does not exist (a style or text number out of range)"
    if isinstance(exc, OverflowError):
        return "it holds a number too large to represent"
    if isinstance(exc, ValueError):
        return "it holds a value that is not valid where it stands (a number, a cell reference or a size)"
    if isinstance(exc, OSError):
        return "it could not be read from the disk"
    return "it is damaged in a way we cannot describe"


def describe(exc: BaseException, sheet: str = "", row: int | None = None) -> str:
    """One line for an analyst: what is damaged (the sheet and row when known), how, and what to do."""
    part = where(exc)
    at = f"the sheet {sheet!r}" if sheet else "the workbook"
    near = f" near row {row:,}" if row else ""
    inside = f" in {part}" if part else ""
    return f"{at} is damaged{near}{inside}: {kind_of_damage(exc)}; {REPAIR}"
