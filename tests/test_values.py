"""model.core.values, the parser every typed, pasted and imported value goes through: every accepted form and every
refusal, pinned one per line, with round-trip properties.

Each expected value is written out by hand; none is computed by the code under test.
"""

from __future__ import annotations

import math
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from model.core import formatting, schema, values

# -- numbers -------------------------------------------------------------------------------------------------------

NUMBERS = [
    # (raw, value)
    (12, 12.0),
    (12.5, 12.5),
    (-3, -3.0),
    ("12", 12.0),
    (" 12 ", 12.0),
    ("+12", 12.0),
    ("-12", -12.0),
    (".5", 0.5),
    ("5.", 5.0),
    ("1e3", 1000.0),
    ("1E-2", 0.01),
    ("1,234", 1234.0),                 # thousands separators: groups of three
    ("1,234.5", 1234.5),
    ("12,345,678", 12345678.0),
    ("-1,234", -1234.0),
    ("1 234", 1234.0),                 # a space as separator, in groups of three
    ("1 234 567.5", 1234567.5),
    ("- 5", -5.0),
    ("+ 5", 5.0),
    ("1\u00a0234", 1234.0),            # a non-breaking space (French Excel)
    ("1\u202f234", 1234.0),            # a narrow non-breaking space
    ("(1,000)", -1000.0),              # an accountant's negative
    ("( 12 )", -12.0),
    ("\u22125", -5.0),                 # the typographic minus of reports
    ("\u22121,234.5", -1234.5),
    ("$12", 12.0),                     # a currency sign is noise for a $B column
    ("$12B", 12.0),
    ("12B", 12.0),
    ("12b", 12.0),
    ("12bn", 12.0),
    ("12 bn", 12.0),
    ("12BN", 12.0),
    ("$1,234.5B", 1234.5),
    ("($5B)", -5.0),
    ("١٢", 12.0),                      # Arabic-Indic digits are digits
    ("１２", 12.0),                     # full-width digits (an East Asian input method)
]


@pytest.mark.parametrize("raw, value", NUMBERS)
def test_a_number_is_read(raw: object, value: float) -> None:
    assert values.parse_number(raw) == value


REFUSED_NUMBERS = [
    "1,5",            # a decimal comma: not 15
    "1,50",           # not 150
    "1,2345",         # not a group of three
    "12,34,567",      # Indian grouping is not read
    "1.234,5",        # a European number
    ",123",
    "(-5)",           # which sign was meant?
    "(+5)",
    "--5",
    "5-",
    "abc",
    "12 apples",
    "B12",
    "12 $",
    "$",
    "",
    "   ",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "1e400",          # past a float
    "9" * 400,        # 400 digits
    "1" + "0" * 199,  # 200 digits: finite, but longer than any number a template holds is refused unread below
    "1 2 3 4" * 40,
    "1 2",            # not 12: a space separates groups of three only
    "12 5",
    "1 2345",
    "1 234,5",
    "- - 5",
    "0x10",
    "1_000",
    "½",
]


@pytest.mark.parametrize("raw", REFUSED_NUMBERS)
def test_a_text_that_is_not_a_number_is_refused(raw: str) -> None:
    if raw == "1" + "0" * 199:
        assert values.parse_number(raw) == 1e199       # 200 characters: still read (the bound is 200)
        return
    with pytest.raises(ValueError, match="^an amount$"):
        values.parse_number(raw, "an amount")


@pytest.mark.parametrize("raw", [True, False, None, [1], {"a": 1}, math.nan, math.inf, -math.inf, 10**400,
                                 values.UnreadableNumber("nan"), values.UnreadableNumber("9" * 5000)])
def test_a_value_that_is_not_a_number_is_refused(raw: object) -> None:
    with pytest.raises(ValueError, match="^a number$"):
        values.parse_number(raw)


def test_a_number_longer_than_the_bound_is_refused_unread() -> None:
    assert values.parse_number("1" * values.MAX_VALUE_CHARS) == float("1" * values.MAX_VALUE_CHARS)
    with pytest.raises(ValueError):
        values.parse_number("1" * (values.MAX_VALUE_CHARS + 1))


def test_a_one_megabyte_text_costs_no_more_than_a_short_one() -> None:
    huge = "1" + " " * 1_000_000
    start = time.perf_counter()
    for _ in range(2000):
        for parse in (values.parse_number, values.parse_percent, values.parse_year, values.parse_flag):
            with pytest.raises(ValueError):
                parse(huge)
        assert values.normalise_header(huge).endswith("…(1000001 characters)")
        assert not values.is_blank(huge)
    assert time.perf_counter() - start < 1.0       # 10,000 parses of a 1 MB text: bounded work per cell


# -- percentages ------------------------------------------------------------------------------------------------

PERCENTS = [
    # (raw, entry, value): entry = Excel's automatic percent entry (a percentage column)
    ("24%", True, 0.24),
    ("24%", False, 0.24),
    (" 24 % ", True, 0.24),
    ("(24%)", True, -0.24),
    ("-24%", True, -0.24),
    ("\u221224%", True, -0.24),
    ("1,200%", True, 12.0),
    ("0.5%", True, 0.005),
    ("100%", True, 1.0),
    ("1%", True, 0.01),
    ("(24)%", True, -0.24),
    (8, True, 0.08),                   # 8 and 0.08 are both 8%
    (0.08, True, 0.08),
    ("8", True, 0.08),
    ("0.08", True, 0.08),
    (150, True, 1.5),
    (-5, True, -0.05),
    (-0.05, True, -0.05),
    (1, True, 1.0),                    # exactly 1 is the fraction: 100% (see values.percent_entry)
    (-1, True, -1.0),
    (1.0000001, True, 0.010000001),    # just above 1: percent
    (0, True, 0.0),
    (8, False, 8.0),                   # a Value column (Assumptions, Market, Thresholds): as it is
    ("8", False, 8.0),
    (0.08, False, 0.08),
]


@pytest.mark.parametrize("raw, entry, value", PERCENTS)
def test_a_percentage_is_read(raw: object, entry: bool, value: float) -> None:
    assert values.parse_percent(raw, entry=entry) == pytest.approx(value, rel=1e-15, abs=0)


def test_a_percent_formatted_cell_holds_the_fraction_itself() -> None:
    assert values.parse_percent(8, True, entry=True) == 8.0         # Excel shows 800%: that is what was typed
    assert values.parse_percent(0.08, True, entry=True) == 0.08
    assert values.parse_percent("8", True, entry=True) == 8.0       # (a text in a %-formatted cell: as the cell)


@pytest.mark.parametrize("raw", ["24 %%", "%", "24%%", "24% off", "abc%", "(-24%)", "(\u221224%)", "(+24%)", True, None, "1,5%"])
def test_a_text_that_is_not_a_percentage_is_refused(raw: object) -> None:
    with pytest.raises(ValueError, match="^a percentage such as 24% or 0.24$"):
        values.parse_percent(raw, entry=True)


@pytest.mark.parametrize("typed, lo, hi, inclusive, ambiguous", [
    (6, -1.0, 10.0, False, True),      # growth 6: 6% or 600%?
    (10, -1.0, 10.0, False, True),
    (10.5, -1.0, 10.0, False, False),  # 1050% is past the maximum: surely 10.5%
    (24, 0.0, 1.0, True, False),       # a cash margin of 24: 2400% is impossible
    (1, 0.0, 1.0, True, False),        # exactly 1 is 100%, never a question
    (1.5, 0.0, 1.0, True, False),      # 150% margin impossible
    (-1.5, -1.0, 10.0, False, False),  # -150% growth impossible
    (-1.5, None, None, True, True),
    (0.5, None, None, True, False),
    (30, None, None, True, False),     # 3000% is past any sensible share
])
def test_which_plain_numbers_read_both_ways(typed: float, lo: float | None, hi: float | None, inclusive: bool,
                                            ambiguous: bool) -> None:
    assert values.percent_is_ambiguous(typed, lo, hi, inclusive) is ambiguous


# -- years, flags, text, headers --------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, year", [(2025, 2025), (2025.0, 2025), ("2025", 2025), (" 2025 ", 2025),
                                       ("2 025", 2025), ("2025.0", 2025), (1900, 1900), (2200, 2200)])
def test_a_year_is_read(raw: object, year: int) -> None:
    assert values.parse_year(raw) == year


@pytest.mark.parametrize("raw", [2025.5, 1899, 2201, "25", "2025E", "FY2025", "year", True, None, math.nan,
                                 "2,025.5", "2" * 300, "20 25", "202 5"])
def test_a_value_that_is_not_a_year_is_refused(raw: object) -> None:
    with pytest.raises(ValueError, match="^a year such as 2025$"):
        values.parse_year(raw)


@pytest.mark.parametrize("raw, flag", [("yes", True), ("Y", True), ("TRUE", True), ("1", True), (1, True),
                                       ("x", True), ("✓", True), (True, True), ("no", False), ("N", False),
                                       ("false", False), ("0", False), (0, False), ("", False), (None, False),
                                       (False, False), (" Yes ", True)])
def test_a_flag_is_read(raw: object, flag: bool) -> None:
    assert values.parse_flag(raw) is flag


@pytest.mark.parametrize("raw", ["maybe", "2", "oui", "yes" * 100])
def test_a_value_that_is_not_a_flag_is_refused(raw: object) -> None:
    with pytest.raises(ValueError, match="^yes or no$"):
        values.parse_flag(raw)


@pytest.mark.parametrize("raw, text", [("  Meta  ", "Meta"), ("Meta\u00a0Platforms", "Meta Platforms"),
                                       ("a \t b", "a b"), (2025.0, "2025"), (12.5, "12.5"), (None, "")])
def test_text_is_tidied(raw: object, text: str) -> None:
    assert values.parse_text(raw) == text


def test_text_past_excels_cell_limit_is_refused() -> None:
    assert values.parse_text("a" * values.MAX_TEXT_CHARS) == "a" * values.MAX_TEXT_CHARS
    with pytest.raises(ValueError, match="32,767"):
        values.parse_text("a" * (values.MAX_TEXT_CHARS + 1))


@pytest.mark.parametrize("raw, norm", [(" AI  capex ", "ai capex"), ("Base\u00a0AI REVENUE", "base ai revenue"),
                                       (2025, "2025"), (2025.0, "2025"), (None, "")])
def test_headers_match_ignoring_case_and_spaces(raw: object, norm: str) -> None:
    assert values.normalise_header(raw) == norm


@pytest.mark.parametrize("raw, blank", [(None, True), ("", True), ("  ", True), ("\u00a0\u2009", True),
                                        (0, False), ("0", False), (" x ", False),
                                        (" " * (values.MAX_TEXT_CHARS + 1), False)])
def test_blank(raw: object, blank: bool) -> None:
    assert values.is_blank(raw) is blank


# -- quoting in messages --------------------------------------------------------------------------------------

def test_a_quoted_value_is_cut_to_sixty_characters() -> None:
    assert values.quoted("Amazon") == "'Amazon'"
    assert values.quoted(12.5) == "12.5"
    long = values.quoted("x" * 10_000)
    assert long == "'" + "x" * 59 + "…'" and len(long) == 62
    assert values.quoted(10**400) == "1" + "0" * 58 + "…"
    assert values.quoted(values.UnreadableNumber("nan")) == "nan"
    assert values.cut("abc", 3) == "abc" and values.cut("abcd", 3) == "ab…"


# -- round trips ------------------------------------------------------------------------------------------------

FINITE = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15)


@given(FINITE)
def test_a_number_as_python_writes_it_reads_back_exactly(x: float) -> None:
    assert values.parse_number(repr(x)) == x


@given(FINITE)
def test_a_number_with_thousands_separators_reads_back_exactly(x: float) -> None:
    assert values.parse_number(f"{x:,}") == x
    assert values.parse_number(f"{x:,.2f}") == float(f"{x:.2f}")


@given(st.floats(min_value=0, max_value=1e15, allow_nan=False))
def test_an_amount_in_brackets_or_with_a_currency_reads_back(x: float) -> None:
    assert values.parse_number(f"({x:,.1f})") == -float(f"{x:.1f}")
    assert values.parse_number(f"${x:,.1f}B") == float(f"{x:.1f}")
    assert values.parse_number(f"\u2212{x!r}") == -x


@given(st.floats(min_value=-0.99, max_value=10, allow_nan=False))
def test_a_percentage_cell_edits_back_to_its_value(x: float) -> None:
    """What the editor and the clipboard show of a percentage parses back to it (to 15 significant digits)."""
    col = schema.REVENUE.year_column(2026)
    shown = formatting.edit_text(col, x)
    assert shown.endswith("%")
    assert col.parse(shown) == pytest.approx(x, rel=1e-14, abs=1e-300)


@given(st.floats(min_value=0, max_value=schema.LARGEST_AMOUNT, allow_nan=False))
def test_an_amount_cell_edits_back_to_its_value(x: float) -> None:
    """Every amount a capex cell accepts (up to the largest sensible amount, issue 17) edits back to itself."""
    col = schema.CAPEX.year_column(2026)
    assert col.parse(formatting.edit_text(col, x)) == pytest.approx(x, rel=1e-14, abs=0)


@given(st.floats(min_value=-10, max_value=10, allow_nan=False).filter(lambda v: abs(v) > 1))
def test_percent_entry_reads_a_plain_number_above_one_as_percent(x: float) -> None:
    assert values.percent_entry(x) == x / 100
    assert values.parse_percent(repr(x), entry=True) == x / 100
    assert values.parse_percent(f"{x!r}%", entry=True) == x / 100


@given(st.floats(min_value=-1, max_value=1, allow_nan=False))
def test_percent_entry_keeps_a_fraction_up_to_one(x: float) -> None:
    assert values.percent_entry(x) == x
    assert values.parse_percent(repr(x), entry=True) == x
