"""Workbooks made by hand, as analysts make them: every way a header, a column or a sheet can be misread is either
read as the author meant it or refused (or warned about) at its cell. Each workbook is built here with openpyxl;
where a case needs raw XML (a ``nan`` stored in a numeric cell) the sheet part is patched.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
import xlsxwriter

from model.core import values
from model.core.problems import Problem, TemplateError
from model.io.workbook import check_template, read_template
from tests.test_import import (
    CAPEX_HEAD,
    minimal,
    one,
    patch_member,
    problems_at,
    sheet_member,
    write_xlsx,
)
from tests.test_import import capex_rows as shared_capex_rows
from tests.test_import import revenue_rows as shared_revenue_rows


def capex_rows(*extra: list[object]) -> list[list[object]]:
    """test_import's rows, every row a fresh list: the tests here edit headers in place."""
    return [list(r) for r in shared_capex_rows(*extra)]


def revenue_rows(*extra: list[object]) -> list[list[object]]:
    return [list(r) for r in shared_revenue_rows(*extra)]


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


# -- year headers ------------------------------------------------------------------------------------------------

def test_year_headers_stored_as_dates_formatted_as_years_are_read_as_years(tmp_path: Path) -> None:
    """A fill series of years often leaves dates formatted yyyy: the year shown is the year read, with a warning."""
    head = ["Company", "In sector", dt.datetime(2024, 12, 31), dt.datetime(2025, 12, 31), "Source"]
    path = write_xlsx(tmp_path / "t.xlsx", {"Capex": [head, *capex_rows()[1:]], "Revenue": revenue_rows()},
                      formats={("Capex", "C1"): "yyyy", ("Capex", "D1"): "yyyy"})
    s = read_template(path)
    assert s.capex.years == (2024, 2025)
    assert s.capex.value(0, "2025") == 80.0
    w = one(s.warnings, "Capex", "D1", "warning")
    assert w.message == "the header '2025' is read as the year 2025"
    assert w.value == "2025"                                     # as Excel shows it, not 2025-12-31 00:00:00


def test_a_date_header_with_a_full_date_format_shows_the_date(tmp_path: Path) -> None:
    head = ["Company", "In sector", 2024, dt.datetime(2025, 6, 30), "Source"]
    path = write_xlsx(tmp_path / "t.xlsx", {"Capex": [head, *capex_rows()[1:]], "Revenue": revenue_rows()},
                      formats={("Capex", "D1"): "yyyy-mm-dd"})
    s = read_template(path)
    assert s.capex.years == (2024, 2025)
    assert one(s.warnings, "Capex", "D1", "warning").message == "the header '2025-06-30' is read as the year 2025"


def test_a_year_typed_into_a_date_formatted_cell_is_refused(tmp_path: Path) -> None:
    """2025 typed into a cell formatted yyyy holds day 2025 of 1900: Excel shows 1905. Neither reading is safe."""
    path = write_xlsx(tmp_path / "t.xlsx", {"Capex": capex_rows(), "Revenue": revenue_rows()},
                      formats={("Capex", "D1"): "yyyy"})
    p = one(check_template(path), "Capex", "D1")
    assert p.message == ("the header '1905' is not read as a year: the cell holds 2025 but its date format shows "
                         "it as 1905: format the cell as a number (or General) so that it shows the year")


@pytest.mark.parametrize("header, shown", [("2025E", "2025E"), ("2025e", "2025e"), ("FY2025", "FY2025"),
                                           ("FY 2025", "FY 2025"), ("FY25", "FY25"), ("CY2025", "CY2025"),
                                           ("2025A", "2025A"), ("2025F", "2025F"), ("2025 (E)", "2025 (E)"),
                                           ("2025 est.", "2025 est."), ("FY'25", "FY'25")])
def test_year_headers_with_a_suffix_or_a_fiscal_prefix_are_read_with_a_warning(tmp_path: Path, header: str,
                                                                              shown: str) -> None:
    head = ["Company", "In sector", 2024, header, "Source"]
    s = read_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": [head, *capex_rows()[1:]],
                                                       "Revenue": revenue_rows()}))
    assert s.capex.years == (2024, 2025)
    assert s.capex.value(0, "2025") == 80.0 and s.capex.value(1, "2025") == 10.0
    w = one(s.warnings, "Capex", "D1", "warning")
    assert w.message == f"the header {shown!r} is read as the year 2025" and w.column == "2025"


@pytest.mark.parametrize("header", [2025, 2025.0, "2025", " 2025 ", "2025\u00a0"])
def test_a_plain_year_is_read_without_a_word(tmp_path: Path, header: object) -> None:
    head = ["Company", "In sector", 2024, header, "Source"]
    s = read_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": [head, *capex_rows()[1:]],
                                                       "Revenue": revenue_rows()}))
    assert s.capex.years == (2024, 2025) and s.capex.value(0, "2025") == 80.0
    assert not problems_at(s.warnings, "Capex", "D1")


@pytest.mark.parametrize("header, reason", [
    ("2025 (estimate, unaudited)", "it names a year in a form the importer does not read"),
    ("Capex 2025", "it names a year in a form the importer does not read"),
    ("Q4 2025", "it names a year in a form the importer does not read"),
    ("2025-26", "it names a year in a form the importer does not read"),
    (2025.5, "2025.5 is not a whole year"),
])
def test_a_header_that_names_a_year_we_cannot_read_is_an_error_at_its_cell(tmp_path: Path, header: object,
                                                                          reason: str) -> None:
    """Ignoring the column would read that year's capex as 0: the importer cannot know, so it says so."""
    head = ["Company", "In sector", 2024, header, "Source"]
    problems = check_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": [head, *capex_rows()[1:]],
                                                               "Revenue": revenue_rows()}))
    p = one(problems, "Capex", "D1")
    assert p.message.endswith(f"is not read as a year: {reason}")
    assert p.expected.startswith("a year such as 2026")


def test_the_same_year_in_two_forms_is_an_error(tmp_path: Path) -> None:
    head = ["Company", "In sector", 2024, 2025, "FY2025", "Source"]
    rows = [head, ["Microsoft", "yes", 50, 80, 81, "10-K"], ["OpenAI", "no", 5, 10, 11, "press"]]
    problems = check_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": rows, "Revenue": revenue_rows()}))
    assert one(problems, "Capex", "E1").message == "the year 2025 heads two columns (D1 and E1)"


# -- year columns: gaps and absence ------------------------------------------------------------------------------

def test_a_gap_in_the_capex_years_is_an_error_at_the_header_after_it(tmp_path: Path) -> None:
    head = ["Company", "In sector", 2024, 2026, 2027, "Source"]
    rows = [head, ["Microsoft", "yes", 50, 80, 90, "10-K"], ["OpenAI", "no", 5, 10, 12, "press"]]
    problems = check_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": rows, "Revenue": revenue_rows()}))
    p = one(problems, "Capex", "D1")
    assert p.message == "the years jump from 2024 to 2026: 2025 is missing and would read as no capex"
    assert p.expected == "one column per year from 2024 to 2027 (blank cells for none)"
    assert len(errors(problems)) == 1


def test_a_gap_of_several_years_names_them_all(tmp_path: Path) -> None:
    head = ["Company", "In sector", 2024, 2028, "Source"]
    rows = [head, ["Microsoft", "yes", 50, 80, "10-K"], ["OpenAI", "no", 5, 10, "press"]]
    p = one(check_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": rows, "Revenue": revenue_rows()})),
            "Capex", "D1")
    assert p.message == "the years jump from 2024 to 2028: 2025–2027 are missing and would read as no capex"


def test_a_gap_in_the_growth_years_is_a_warning(tmp_path: Path) -> None:
    """A missing growth year reads as the terminal growth, as a blank growth cell does: said, not refused."""
    head = ["Company", "Base year", "Base AI revenue", "Cash margin", 2025, 2027, "Source"]
    rows = [head, ["Microsoft", 2024, 13, 0.4, 0.5, 0.4, None], ["OpenAI", 2024, 4, 0.1, 0.9, 0.8, None]]
    s = read_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": capex_rows(), "Revenue": rows}))
    w = one(s.warnings, "Revenue", "F1", "warning")
    assert w.message == "the years jump from 2025 to 2027: 2026 is missing and would read as the terminal growth"


def test_capex_whose_year_columns_moved_to_another_sheet_is_an_error(tmp_path: Path) -> None:
    rows = [["Company", "In sector", "Source"], ["Microsoft", "yes", "10-K"], ["OpenAI", "no", "press"]]
    moved = [["Company", 2024, 2025], ["Microsoft", 50, 80], ["OpenAI", 5, 10]]
    problems = check_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": rows, "Revenue": revenue_rows(),
                                                               "Capex figures": moved}))
    p = one(problems, "Capex", "C1")          # where the year columns belong: after In sector
    assert p.message == "Capex has 2 rows but no year columns in its header row 1: every year would read as no capex"
    assert p.expected == "one column per year, headed by the year, after In sector"
    assert len(errors(problems)) == 1
    # with the AI share column (issue 12) the years belong after it, and the error says so at D1
    rows = [["Company", "In sector", "AI share", "Source"], ["Microsoft", "yes", 0.5, "10-K"],
            ["OpenAI", "no", 1, "press"]]
    problems = check_template(write_xlsx(tmp_path / "u.xlsx", {"Capex": rows, "Revenue": revenue_rows(),
                                                               "Capex figures": moved}))
    p = one(problems, "Capex", "D1")
    assert p.message == "Capex has 2 rows but no year columns in its header row 1: every year would read as no capex"
    assert p.expected == "one column per year, headed by the year, after AI share"
    assert len(errors(problems)) == 1


# -- sheets -------------------------------------------------------------------------------------------------------

def test_a_renamed_required_sheet_is_one_error_naming_both(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "t.xlsx", {"Capex": capex_rows(), "Revenue 2025": revenue_rows(),
                                            "Investments": [["Investor", "Investee", "Year", "Amount", "Kind"],
                                                            ["Microsoft", "OpenAI", 2024, 13, "equity"]]})
    problems = check_template(path)
    assert [str(p) for p in errors(problems)] == [
        "ERROR Revenue 2025: no sheet Revenue — is 'Revenue 2025' it? Rename it 'Revenue' to have it read "
        "(found 'Revenue 2025'; expected a sheet named Revenue: AI revenue per company: a base year, its revenue "
        "and cash margin, and growth per year.)"]
    assert not [p for p in problems if "not part of the template" in p.message]


@pytest.mark.parametrize("tab", ["revenue growth", "Revnue", "Old revenue", "Revenue (2)"])
def test_sheet_names_like_the_missing_one_are_suggested(tmp_path: Path, tab: str) -> None:
    problems = check_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": capex_rows(), tab: revenue_rows()}))
    (p,) = errors(problems)
    assert p.message == f"no sheet Revenue — is {tab!r} it? Rename it 'Revenue' to have it read"


def test_two_candidates_are_both_named(tmp_path: Path) -> None:
    problems = check_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": capex_rows(), "Revenue 2024": revenue_rows(),
                                                               "Revenue 2025": revenue_rows()}))
    (p,) = errors(problems)
    assert p.message == ("no sheet Revenue — is one of 'Revenue 2024', 'Revenue 2025' it? Rename that one 'Revenue' "
                         "to have it read")


def test_a_renamed_optional_sheet_is_an_error_not_the_standard_rows(tmp_path: Path) -> None:
    """Without it the blank template's thresholds would be used silently in place of the analyst's."""
    thresholds = [["Indicator", "Healthy", "Bubble", "Weight"], ["Circularity", 0.05, 0.3, 15]]
    problems = check_template(minimal(tmp_path / "t.xlsx", **{"Thresholds (old)": thresholds}))
    (p,) = errors(problems)
    assert p.sheet == "Thresholds (old)" and p.message.startswith("no sheet Thresholds — is 'Thresholds (old)' it?")


def test_a_missing_required_sheet_without_a_similar_one_gives_no_follow_on_errors(tmp_path: Path) -> None:
    problems = check_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": capex_rows(), "Notes": [["x"]]}))
    assert [p.message for p in errors(problems)] == ["the required sheet Revenue is missing"]


def test_an_unrelated_sheet_is_still_only_a_warning(tmp_path: Path) -> None:
    s = read_template(minimal(tmp_path / "t.xlsx", Notes=[["anything"]]))
    assert any(p.sheet == "Notes" and "not part of the template" in p.message for p in s.warnings)


# -- thresholds -----------------------------------------------------------------------------------------------

def test_weights_that_are_all_zero_are_an_error(tmp_path: Path) -> None:
    thresholds = [["Indicator", "Healthy", "Bubble", "Weight"], ["Circularity", 0.05, 0.3, 0],
                  ["Capex intensity", 0.6, 1.0, 0]]
    problems = check_template(minimal(tmp_path / "t.xlsx", Thresholds=thresholds))
    p = one(problems, "Thresholds", "D2")
    assert p.message == "every weight is 0: the bubble score would weigh nothing and read 'no data'"
    assert p.expected == "a weight above 0 on at least one indicator"


def test_one_weight_above_zero_is_enough(tmp_path: Path) -> None:
    thresholds = [["Indicator", "Healthy", "Bubble", "Weight"], ["Circularity", 0.05, 0.3, 0],
                  ["Capex intensity", 0.6, 1.0, 1]]
    assert not errors(check_template(minimal(tmp_path / "t.xlsx", Thresholds=thresholds)))


# -- values no float can hold, and huge cells --------------------------------------------------------------------

@pytest.mark.parametrize("stored", ["nan", "NaN", "inf", "-inf", "1e400", "9" * 400, "9" * 5000, "1.2.3"])
def test_a_number_no_float_can_hold_is_an_error_at_its_cell(tmp_path: Path, stored: str) -> None:
    path = write_xlsx(tmp_path / "t.xlsx", {"Capex": capex_rows(), "Revenue": revenue_rows()})
    patch_member(path, sheet_member(path, "Capex"),
                 lambda xml: xml.replace('<c r="D2" t="n"><v>80</v></c>', f'<c r="D2" t="n"><v>{stored}</v></c>'))
    problems = check_template(path)
    p = one(problems, "Capex", "D2")
    assert p.column == "2025" and p.expected == "an amount in $B between 0 and 1,000,000"
    shown = str(p)
    assert shown.startswith("ERROR Capex!D2 [2025]: ") and len(shown) < 300
    assert "Exceeds" not in shown and "invalid literal" not in shown and "int too large" not in shown
    assert len(errors(problems)) == 1                     # the rest of the sheet is read: one error, at the cell
    assert values.cut(stored) in shown or stored in ("1e400",)


def test_a_huge_integer_typed_as_text_is_an_error_at_its_cell(tmp_path: Path) -> None:
    rows = capex_rows()
    rows[1][3] = "9" * 400
    p = one(check_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": rows, "Revenue": revenue_rows()})),
            "Capex", "D2")
    assert p.message == "cannot read capex 2025 as an amount in $B"
    assert str(p).count("9") < 80                          # quoted, cut to about 60 characters


def test_a_ten_thousand_character_cell_is_quoted_cut_to_sixty(tmp_path: Path) -> None:
    rows = capex_rows()
    rows[1][3] = "x" * 10_000
    p = one(check_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": rows, "Revenue": revenue_rows()})),
            "Capex", "D2")
    assert f"(found '{'x' * 59}…';" in str(p) and len(str(p)) < 200


def test_an_unknown_header_of_ten_thousand_characters_is_quoted_cut(tmp_path: Path) -> None:
    head = [*CAPEX_HEAD, "y" * 10_000]
    s = read_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": [head, *capex_rows()[1:]],
                                                       "Revenue": revenue_rows()}))
    w = one(s.warnings, "Capex", "F1", "warning")
    assert w.message == f"unknown column '{'y' * 59}…' ignored"
    # the header is quoted cut wherever the report shows it (column, message, value found); the bound leaves room
    # for the list of known headers, which grew by "AI share, " with issue 12
    assert "y" * 60 not in str(w) and len(str(w)) < 310


def test_a_one_megabyte_string_in_two_thousand_header_cells_is_read_in_bounded_time(tmp_path: Path) -> None:
    """issue 17: a sheet named Capex whose first rows point 2,000 times at one 1 MB shared string (openpyxl and
    XlsxWriter cut a cell to Excel's 32,767 characters, so the string is put in the shared strings part by hand)."""
    path = tmp_path / "stall.xlsx"
    book = xlsxwriter.Workbook(str(path))
    capex = book.add_worksheet("Capex")
    for r in range(20):
        for c in range(100):
            capex.write_string(r, c, "PLACEHOLDER")
    revenue = book.add_worksheet("Revenue")
    for r, row in enumerate(revenue_rows()):
        revenue.write_row(r, 0, row)
    book.close()
    huge = ("Capex 2025 " * 90_910)[:999_999]              # under 1 MiB, so that the zip-bomb check lets it through
    patch_member(path, "xl/sharedStrings.xml", lambda xml: xml.replace("PLACEHOLDER", huge))
    assert path.stat().st_size < 1_000_000
    start = time.perf_counter()
    problems = check_template(path)
    elapsed = time.perf_counter() - start
    assert elapsed <= 2.0, f"{elapsed:.2f} s"
    assert [p.message for p in errors(problems) if p.sheet == "Capex"] == ["no header row found in the first 20 rows"]


def test_a_megabyte_of_spaces_in_two_thousand_number_cells_is_read_in_bounded_time(tmp_path: Path) -> None:
    """Blank-looking text is not scanned either: each of 2,000 cells is refused at its cell, quickly."""
    path = tmp_path / "spaces.xlsx"
    book = xlsxwriter.Workbook(str(path))
    capex = book.add_worksheet("Capex")
    capex.write_row(0, 0, ["Company", "In sector", 2024, 2025])
    for r in range(1, 1001):
        capex.write_row(r, 0, [f"Company {r}", "yes", "PLACEHOLDER", "PLACEHOLDER"])
    revenue = book.add_worksheet("Revenue")
    revenue.write_row(0, 0, revenue_rows()[0])
    book.close()
    patch_member(path, "xl/sharedStrings.xml", lambda xml: xml.replace("PLACEHOLDER", " " * 999_999))
    assert path.stat().st_size < 1_000_000
    start = time.perf_counter()
    problems = check_template(path)
    assert time.perf_counter() - start <= 2.0
    capex_errors = [p for p in errors(problems) if p.sheet == "Capex" and p.column in ("2024", "2025")]
    assert len(capex_errors) == 2000
    assert all(len(str(p)) < 400 for p in capex_errors)


def test_a_company_name_past_excels_cell_limit_is_an_error_at_its_cell(tmp_path: Path) -> None:
    rows = capex_rows()
    rows[1][0] = "PLACEHOLDER"
    path = write_xlsx(tmp_path / "t.xlsx", {"Capex": rows, "Revenue": revenue_rows()})
    patch_member(path, sheet_member(path, "Capex"), lambda xml: xml.replace("PLACEHOLDER", "M" * 40_000))
    problems = check_template(path)
    p = one(problems, "Capex", "A2")
    assert p.message == "cannot read Company: the cell holds 40,000 characters"
    assert p.expected == "text of at most 32,767 characters (Excel's limit for a cell)"
    assert len(str(p)) < 300


# -- columns and rows the analyst may not see --------------------------------------------------------------------

def test_a_hidden_year_column_is_read_with_a_warning(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "t.xlsx", {"Capex": capex_rows(), "Revenue": revenue_rows()})
    patch_member(path, sheet_member(path, "Capex"),
                 lambda xml: xml.replace("<sheetData>", '<cols><col min="4" max="4" width="9" hidden="1"/></cols>'
                                                        "<sheetData>", 1))
    s = read_template(path)
    assert s.capex.value(0, "2025") == 80.0
    w = one(s.warnings, "Capex", "D1", "warning")
    assert w.message == "column D (2025) is hidden in the workbook; its values are read"


def test_hidden_rows_are_read_with_one_warning(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "t.xlsx", {"Capex": capex_rows(), "Revenue": revenue_rows()})
    patch_member(path, sheet_member(path, "Capex"), lambda xml: xml.replace('<row r="3"', '<row r="3" hidden="1"'))
    s = read_template(path)
    assert "OpenAI" in s.capex.column_values("company")
    assert one(s.warnings, "Capex", "A3", "warning").message == ("row 3 is hidden (or filtered out) in the workbook; "
                                                                 "it is read")


def test_a_header_merged_across_two_year_columns_heads_the_first_and_warns_of_the_second(tmp_path: Path) -> None:
    head = ["Company", "In sector", 2024, 2025, None, "Source"]
    rows = [head, ["Microsoft", "yes", 50, 80, 81, "10-K"], ["OpenAI", "no", 5, 10, 11, "press"]]
    s = read_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": rows, "Revenue": revenue_rows()},
                                 merges={"Capex": ["D1:E1"]}))
    assert s.capex.years == (2024, 2025) and s.capex.value(0, "2025") == 80.0
    assert one(s.warnings, "Capex", "E2", "warning").message == "column E has values but no header; ignored"


def test_a_header_row_pushed_below_the_scanned_rows_is_an_error(tmp_path: Path) -> None:
    rows = [[f"note {i}"] for i in range(22)] + capex_rows()
    problems = check_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": rows, "Revenue": revenue_rows()}))
    assert [p.message for p in errors(problems)] == ["no header row found in the first 20 rows"]


def test_a_header_row_below_a_title_is_found(tmp_path: Path) -> None:
    rows = [["AI capex, $B"], [], *capex_rows()]
    s = read_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": rows, "Revenue": revenue_rows()}))
    assert s.capex.value(0, "2025") == 80.0


def test_company_names_with_spaces_are_the_same_company_but_another_case_is_not(tmp_path: Path) -> None:
    rows = capex_rows()
    rows[1][0] = "  Microsoft  "
    rows[2][0] = "openai"
    problems = check_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": rows, "Revenue": revenue_rows()}))
    (p,) = errors(problems)
    assert p.cell == "A3" and p.message.startswith("openai has capex but no row in the Revenue sheet (did you mean "
                                                   "'OpenAI'?")


def test_a_read_file_gives_the_numbers_its_author_meant(tmp_path: Path) -> None:
    """Every tolerated oddity at once: the numbers read are the ones typed."""
    head = ["Company", "In sector", dt.datetime(2024, 1, 1), "2025E", "Source"]
    rows = [["Capex, $B, as of today"], head, ["  Microsoft ", "yes", "1,050.5", "$80B", "10-K"],
            ["OpenAI", "no", "(0)", 10, "press"]]
    path = write_xlsx(tmp_path / "t.xlsx", {"Capex": rows, "Revenue": revenue_rows()},
                      formats={("Capex", "C2"): "yyyy"})
    s = read_template(path)
    assert s.capex.years == (2024, 2025)
    assert s.capex.rows[0][:2] == ("Microsoft", True)
    assert (s.capex.value(0, "2024"), s.capex.value(0, "2025")) == (1050.5, 80.0)
    assert (s.capex.value(1, "2024"), s.capex.value(1, "2025")) == (0.0, 10.0)


def test_errors_refuse_the_import(tmp_path: Path) -> None:
    head = ["Company", "In sector", 2024, 2026, "Source"]
    path = write_xlsx(tmp_path / "t.xlsx", {"Capex": [head, *capex_rows()[1:]], "Revenue": revenue_rows()})
    with pytest.raises(TemplateError):
        read_template(path)


def test_a_date_in_a_year_cell_is_read_as_its_year_with_a_warning(tmp_path: Path) -> None:
    rows = revenue_rows()
    rows[1][1] = dt.datetime(2024, 12, 31)
    path = write_xlsx(tmp_path / "t.xlsx", {"Capex": capex_rows(), "Revenue": rows},
                      formats={("Revenue", "B2"): "yyyy"})
    s = read_template(path)
    assert s.revenue.value(0, "base_year") == 2024
    assert one(s.warnings, "Revenue", "B2", "warning").message == "Base year '2024' (a date) is read as the year 2024"


def test_a_date_or_a_flag_in_an_amount_cell_is_an_error(tmp_path: Path) -> None:
    rows = capex_rows()
    rows[1][3] = dt.datetime(2025, 1, 1)
    rows[2][3] = True
    problems = check_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": rows, "Revenue": revenue_rows()}))
    assert one(problems, "Capex", "D2").message == "cannot read capex 2025 as an amount in $B"
    assert one(problems, "Capex", "D3").message == "cannot read capex 2025 as an amount in $B"


def test_a_long_company_name_is_cut_in_the_messages_that_name_it(tmp_path: Path) -> None:
    rows = capex_rows()
    rows[1][0] = "M" * 10_000
    (p,) = errors(check_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": rows, "Revenue": revenue_rows()})))
    assert p.cell == "A2" and p.message == "M" * 59 + "… has capex but no row in the Revenue sheet"
    assert len(str(p)) < 300


def test_year_headers_filled_by_formulas_and_saved_by_libreoffice(tmp_path: Path) -> None:
    """A fill series by formula (=C1+1) and dates made by formula and formatted yyyy, saved by LibreOffice with
    their values: read as the years shown (a file saved by a script, without values, is refused at the cell)."""
    from tests.test_export_libreoffice import recalculate

    capex = [["Company", "In sector", 2024, "=C1+1", "=D1+1", "Source"],
             ["Microsoft", "yes", 50, 80, 90, "10-K"], ["OpenAI", "no", 5, 10, 12, "press"]]
    revenue = revenue_rows()
    revenue[0][4:6] = ["=DATE(2025,12,31)", "=DATE(2026,12,31)"]
    path = write_xlsx(tmp_path / "formulas.xlsx", {"Capex": capex, "Revenue": revenue},
                      formats={("Revenue", "E1"): "yyyy", ("Revenue", "F1"): "yyyy"})
    unsaved = check_template(path)
    assert {p.cell for p in errors(unsaved) if p.sheet == "Capex"} == {"D1", "E1"}   # no values yet: refused
    saved = recalculate([path], tmp_path / "out", tmp_path / "profile")["formulas"]
    s = read_template(saved)
    assert s.capex.years == (2024, 2025, 2026)
    assert s.capex.value(0, "2026") == 90.0
    assert not problems_at(s.warnings, "Capex", "D1") and not problems_at(s.warnings, "Capex", "E1")
    assert s.revenue.years == (2025, 2026)
    assert s.revenue.value(1, "2026") == 0.8
    assert one(s.warnings, "Revenue", "E1", "warning").message == "the header '2025' is read as the year 2025"


def test_a_scenario_value_follows_the_same_percent_rule(tmp_path: Path) -> None:
    """In the Scenarios sheet a growth typed 6 is 6% (with the same warning), 0.06 is 6%, and a number in a
    %-formatted cell is the fraction it stores (1.5 shown as 150% is 150%)."""
    import openpyxl

    from model.defaults.alternatives import default_book
    from model.io.workbook import read_book
    from tests.test_scenario_sheet import default_book_with_scenario_rows

    y1, y2, y3 = default_book().base.revenue.years[-3:]
    rows = [["Growth typed", "Revenue", "Amazon", str(y1), "6", "typed as text"],
            ["Growth typed", "Revenue", "Amazon", str(y2), 0.06, "a fraction"],
            ["Growth typed", "Revenue", "Amazon", str(y3), 1.5, "150% in a %-formatted cell"]]
    path, last = default_book_with_scenario_rows(tmp_path, rows)
    wb = openpyxl.load_workbook(path)
    wb["Scenarios"][f"E{last + 3}"].number_format = "0%"
    wb.save(path)
    book = read_book(path)
    values_set = {o.column: o.value for o in book.alternative("Growth typed").overrides}
    assert values_set == {str(y1): 0.06, str(y2): 0.06, str(y3): 1.5}
    w = one(book.base.warnings, "Scenarios", f"E{last + 1}", "warning")
    assert w.message == f"Growth typed: Revenue growth {y1} 6 read as 6% — type 600% if you meant 600%"
    assert not problems_at(book.base.warnings, "Scenarios", f"E{last + 2}")
    assert not problems_at(book.base.warnings, "Scenarios", f"E{last + 3}")


@pytest.mark.parametrize("header", ["Base AI revenue ($B)", "Base AI revenue [$bn]", "base ai revenue (USD bn)"])
def test_a_header_with_its_unit_is_read(tmp_path: Path, header: str) -> None:
    rows = revenue_rows()
    rows[0][2] = header
    rows[0][3] = "Cash margin (%)"
    s = read_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": capex_rows(), "Revenue": rows}))
    assert s.revenue.column_values("base_revenue") == [13.0, 4.0]
    assert s.revenue.column_values("cash_margin") == [0.4, 0.1]
    assert not [p for p in s.warnings if p.sheet == "Revenue"]


def test_a_header_in_another_unit_is_an_error(tmp_path: Path) -> None:
    """Amounts in $M read as $B would be a thousand times too large."""
    rows = revenue_rows()
    rows[0][2] = "Base AI revenue ($M)"
    problems = check_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": capex_rows(), "Revenue": rows}))
    p = one(problems, "Revenue", "C1")
    assert p.message == ("the header 'Base AI revenue ($M)' is not read: its unit '$M' is not the unit of Base AI "
                         "revenue ($B): its values would be read as $B; convert them and head the column "
                         "'Base AI revenue'")


def test_a_year_header_with_the_column_unit_is_read_and_another_unit_refused(tmp_path: Path) -> None:
    head = ["Company", "In sector", "2024 ($B)", "FY2025 ($B)", "Source"]
    s = read_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": [head, *capex_rows()[1:]],
                                                       "Revenue": revenue_rows()}))
    assert s.capex.years == (2024, 2025) and s.capex.value(0, "2025") == 80.0
    assert one(s.warnings, "Capex", "C1", "warning").message == "the header '2024' is read as the year 2024"
    head = ["Company", "In sector", 2024, "2025 ($M)", "Source"]
    p = one(check_template(write_xlsx(tmp_path / "u.xlsx", {"Capex": [head, *capex_rows()[1:]],
                                                            "Revenue": revenue_rows()})), "Capex", "D1")
    assert p.message == ("the header '2025 ($M)' is not read: its unit '$M' is not the unit of capex ($B): its "
                         "values would be read as $B")


def test_a_hidden_template_sheet_is_read_with_a_warning(tmp_path: Path) -> None:
    thresholds = [["Indicator", "Healthy", "Bubble", "Weight"], ["Circularity", 0.05, 0.3, 15]]
    path = minimal(tmp_path / "t.xlsx", Thresholds=thresholds)
    import openpyxl

    wb = openpyxl.load_workbook(path)
    wb["Thresholds"].sheet_state = "hidden"
    wb.save(path)
    s = read_template(path)
    assert s.thresholds.column_values("indicator") == ["Circularity"]
    (w,) = [p for p in s.warnings if p.sheet == "Thresholds"]
    assert w.message == "the sheet 'Thresholds' is hidden in the workbook; it is read"
