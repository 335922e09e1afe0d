"""Turn what an analyst typed into a number, forgivingly, or say what was expected.

Each parser takes the raw cell value (``str``, ``int``, ``float``, ``bool``, ``None``) and returns the clean value
or raises :class:`ValueError` whose text is *what was expected* (it ends up in the problem report).
"""

from __future__ import annotations

import math
import re

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d*)?$")
# A leading currency sign is noise for a column whose unit is $B; a trailing "B"/"bn" likewise.
_CURRENCY = re.compile(r"^\$|(?<=\d)\s*(bn|b)$", re.IGNORECASE)


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and _SPACES.sub("", raw) == "")


def parse_number(raw: object, expected: str = "a number") -> float:
    """Accept numbers, and text such as ``"1,234.5"``, ``" 12 "``, ``"1\u00a0234"``, ``"(1,000)"``, ``"$12B"``."""
    if isinstance(raw, bool):
        raise ValueError(expected)
    if isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str):
        value = _parse_number_text(raw, expected)
    else:
        raise ValueError(expected)
    if not math.isfinite(value):
        raise ValueError(expected)
    return value


def _parse_number_text(raw: str, expected: str) -> float:
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
    text = text.replace(" ", "")
    if not _NUMBER.match(text):
        raise ValueError(expected)
    value = float(text)
    return -value if negative else value


def parse_percent(raw: object, is_percent_formatted: bool = False) -> float:
    """A share as a fraction: ``0.24`` (typed as 24% in a %-formatted cell), ``"24%"`` or ``"0.24"``.

    A plain number is taken as the fraction itself, as Excel stores it; the caller may warn when it looks like a
    percentage typed without its sign (|x| >= 5 would be 500%).
    """
    expected = "a percentage such as 24% or 0.24"
    if isinstance(raw, str):
        text = _SPACES.sub("", raw)
        if text.startswith("(") and text.endswith("%)"):     # "(24%)", an accountant's negative
            return -parse_number(text[1:-2], expected) / 100.0
        if text.endswith("%"):
            return parse_number(text[:-1], expected) / 100.0
    return parse_number(raw, expected)


def parse_year(raw: object) -> int:
    expected = "a year such as 2025"
    if isinstance(raw, str):
        raw = _SPACES.sub("", raw)
    try:
        value = parse_number(raw, expected)
    except ValueError:
        raise ValueError(expected) from None
    if value != int(value) or not 1900 <= value <= 2200:
        raise ValueError(expected)
    return int(value)


def parse_text(raw: object) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return _SPACES.sub(" ", str(raw)).strip()


_YES = {"yes", "y", "true", "1", "x", "✓"}
_NO = {"no", "n", "false", "0", ""}


def parse_flag(raw: object) -> bool:
    if isinstance(raw, bool):
        return raw
    text = parse_text(raw).lower()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValueError("yes or no")


def normalise_header(raw: object) -> str:
    """Headers match case- and whitespace-insensitively: ``" AI  capex "`` == ``"ai capex"``."""
    return _SPACES.sub(" ", parse_text(raw)).strip().lower()
