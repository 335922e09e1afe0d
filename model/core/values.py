"""Turn what an analyst typed into a number, forgivingly, or say what was expected.

Each parser takes the raw cell value (``str``, ``int``, ``float``, ``bool``, ``None``) and returns the clean value
or raises :class:`ValueError` whose text is *what was expected* (it ends up in the problem report). The window's
editor, the paste and the importer all go through these functions, so a value reads the same wherever it is typed.

Every parser looks at a bounded prefix of a text: no number, percentage, year, flag or header is longer than
``MAX_VALUE_CHARS`` characters, so a longer text is refused (or matches no header) without being scanned. A cell
that points at a 1 MB string therefore costs the same as any other (a hostile file cannot stall the importer).
"""

from __future__ import annotations

import math
import re

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# Thousands separators: groups of exactly three digits after a comma, so "1,5" (a decimal comma) is refused rather
# than read as 15, and "1,234.5" is 1234.5.
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
_SPACE_GROUPED = re.compile(r"^[+-]?\d{1,3}( \d{3})+(\.\d*)?$")
_SIGN_SPACE = re.compile(r"^([+-]) +(?=\d|\.)")
# A leading currency sign is noise for a column whose unit is $B; a trailing "B"/"bn" likewise.
_CURRENCY = re.compile(r"^\$|(?<=\d)\s*(bn|b)$", re.IGNORECASE)

MAX_VALUE_CHARS = 200        # longer than any number, percentage, year, flag, choice or header a template holds
MAX_TEXT_CHARS = 32_767      # Excel's own limit on the text of a cell
QUOTE_CHARS = 60             # a value quoted in a message is cut to this many characters, ending in "…"


class UnreadableNumber(float):
    """A number stored in a file that no float can hold (``nan``, ``inf``, 5,000 digits): NaN, with its text.

    The importer gets it in place of openpyxl's exception, so that the problem is reported at its cell.
    """

    text: str

    def __new__(cls, text: str) -> UnreadableNumber:
        obj = super().__new__(cls, math.nan)
        obj.text = cut(str(text), QUOTE_CHARS)
        return obj

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__


def cut(text: str, limit: int = QUOTE_CHARS) -> str:
    """``text`` cut to ``limit`` characters, the last one "…" when anything was dropped."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(value: object, limit: int = QUOTE_CHARS) -> str:
    """A value as a message quotes it: ``'Amazon'``, ``12.5``; at most about ``limit`` characters."""
    if isinstance(value, str):
        return repr(cut(value, limit))
    try:
        text = repr(value)
    except ValueError:              # an int past Python's digit limit for text
        text = "a number too long to show"
    return cut(text, limit)


def is_blank(raw: object) -> bool:
    """None, or a text of spaces only (str.isspace knows every space above). A text past Excel's cell limit is
    never blank: it is refused as too long without being scanned."""
    return raw is None or (isinstance(raw, str) and len(raw) <= MAX_TEXT_CHARS and not raw.strip())


def _check_finite(value: float, expected: str) -> float:
    if not math.isfinite(value):
        raise ValueError(expected)
    return value


def parse_number(raw: object, expected: str = "a number") -> float:
    """Accept numbers, and text such as ``"1,234.5"``, ``" 12 "``, ``"1\u00a0234"``, ``"(1,000)"``, ``"$12B"``.

    Refused: a text longer than ``MAX_VALUE_CHARS``, a number no float can hold (``nan``, ``inf``, ``1e400``, a
    400-digit integer), a decimal comma (``"1,5"``), a sign inside brackets (``"(-5)"``), booleans.
    """
    if isinstance(raw, bool):
        raise ValueError(expected)
    if isinstance(raw, int | float):
        try:
            value = float(raw)
        except OverflowError:       # an integer with hundreds of digits
            raise ValueError(expected) from None
    elif isinstance(raw, str):
        value = _parse_number_text(raw, expected)
    else:
        raise ValueError(expected)
    return _check_finite(value, expected)


def _parse_number_text(raw: str, expected: str) -> float:
    if len(raw) > MAX_VALUE_CHARS:
        raise ValueError(expected)
    text = _SPACES.sub(" ", raw).strip()
    negative = False
    text = text.replace("\u2212", "-")  # the typographic minus Excel users paste from reports
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
        if text[:1] in "+-":             # "(-5)": which sign was meant? Refused, not silently read as +5
            raise ValueError(expected)
    text = _CURRENCY.sub("", text).strip()
    if _GROUPED.match(text):
        text = text.replace(",", "")
    text = _SIGN_SPACE.sub(r"\1", text)     # "- 5", "+ 5"
    if " " in text:
        # a space separates thousands ("1 234", French Excel), in groups of three: "1 2" is not read as 12
        if not _SPACE_GROUPED.match(text):
            raise ValueError(expected)
        text = text.replace(" ", "")
    if not _NUMBER.match(text):
        raise ValueError(expected)
    value = float(text)
    return -value if negative else value


PERCENT_EXPECTED = "a percentage such as 24% or 0.24"


def percent_entry(value: float) -> float:
    """A plain number typed into a percentage cell, read as Excel's automatic percent entry does.

    Excel (Options → Advanced → "Enable automatic percent entry"): in a percentage cell a number above 1 is a
    percentage and a smaller one the fraction itself, so 8 and 0.08 are both 8%; -5 and -0.05 are both -5%.

    Exactly 1 (or -1) is the fraction: 100%. Excel reads a typed 1 as 1%, but the template stores fractions, 100%
    is the top of Cash margin and Recycled share, and a file or a paste of fractions writes 1 for all of it; 1% is
    typed ``1%`` or ``0.01``.
    """
    return value / 100.0 if abs(value) > 1 else value


def percent_is_ambiguous(typed: float, minimum: float | None = None, maximum: float | None = None,
                         minimum_inclusive: bool = True) -> bool:
    """True when a plain number typed into a percentage cell reads sensibly both ways: ``typed``% (the entry rule)
    and ``typed`` as the fraction itself (1.5 → 1.5% or 150%), within the cell's bounds and at most 1000%."""
    if not 1 < abs(typed) <= 10:
        return False
    above = minimum is None or typed > minimum or (minimum_inclusive and typed == minimum)
    return above and (maximum is None or typed <= maximum)


def _has_percent_sign(raw: object) -> bool:
    return isinstance(raw, str) and len(raw) <= MAX_VALUE_CHARS and _SPACES.sub("", raw).endswith(("%", "%)"))


def parse_percent(raw: object, is_percent_formatted: bool = False, *, entry: bool = False) -> float:
    """A share as a fraction, from ``"24%"``, ``"(24%)"`` (−24%), or a plain number.

    A plain number in a %-formatted cell of a file is the fraction Excel stored (the cell shows it times 100). With
    ``entry`` a plain number otherwise follows :func:`percent_entry` (8 and 0.08 are both 8%); without it, it is
    taken as it is (the Value columns of Assumptions, Market and Thresholds, whose unit is the row's).
    """
    expected = PERCENT_EXPECTED
    if _has_percent_sign(raw):
        assert isinstance(raw, str)
        text = _SPACES.sub("", raw)
        if text.startswith("(") and text.endswith("%)"):     # "(24%)", an accountant's negative
            inner = text[1:-2].replace("\u2212", "-")
            if inner[:1] in "+-":                            # "(-24%)": refused, as "(-5)", not read as +24%
                raise ValueError(expected)
            return -parse_number(inner, expected) / 100.0
        return parse_number(text[:-1], expected) / 100.0
    value = parse_number(raw, expected)
    return percent_entry(value) if entry and not is_percent_formatted else value


YEAR_EXPECTED = "a year such as 2025"


def parse_year(raw: object) -> int:
    expected = YEAR_EXPECTED
    if isinstance(raw, str) and len(raw) > MAX_VALUE_CHARS:
        raise ValueError(expected)
    value = parse_number(raw, expected)     # "2 025" (grouped) is 2025; "20 25" is refused, not read as 2025
    if value != int(value) or not 1900 <= value <= 2200:
        raise ValueError(expected)
    return int(value)


def parse_text(raw: object) -> str:
    """Text with spaces at either end and repeated spaces dropped. Refused: more than Excel's 32,767 characters."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, str) and len(raw) > MAX_TEXT_CHARS:
        raise ValueError(f"text of at most {MAX_TEXT_CHARS:,} characters (Excel's limit for a cell)")
    return _SPACES.sub(" ", str(raw)).strip()


_YES = {"yes", "y", "true", "1", "x", "✓"}
_NO = {"no", "n", "false", "0", ""}


def parse_flag(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and len(raw) > MAX_VALUE_CHARS:
        raise ValueError("yes or no")
    text = parse_text(raw).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError("yes or no")


def normalise_header(raw: object) -> str:
    """Headers match case- and whitespace-insensitively: ``" AI  capex "`` == ``"ai capex"``.

    A text longer than ``MAX_VALUE_CHARS`` is normalised on its first characters and marked with its length, so it
    matches no header and costs no more than a short one.
    """
    if isinstance(raw, str) and len(raw) > MAX_VALUE_CHARS:
        return _SPACES.sub(" ", raw[:MAX_VALUE_CHARS]).strip().lower() + f"…({len(raw)} characters)"
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return _SPACES.sub(" ", str(raw)).strip().lower()
