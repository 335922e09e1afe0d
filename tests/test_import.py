"""The template importer: every rule of the import, each asserted at its sheet and cell."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook

from model.core import schema
from model.core.problems import FileRefused, Problem, TemplateError
from model.io.workbook import check_template, read_template

# -- building workbooks by hand ---------------------------------------------------------------------------------

CAPEX_HEAD = ["Company", "In sector", 2024, 2025, "Source"]
REVENUE_HEAD = ["Company", "Base year", "Base AI revenue", "Cash margin", 2025, 2026, "Source"]
DEALS_HEAD = ["Investor", "Investee", "Year", "Amount", "Kind", "Recycled share", "Spread years", "Status",
              "Source", "Note"]


def capex_rows(*extra: Sequence[object]) -> list[list[object]]:
    return [CAPEX_HEAD,
            ["Microsoft", "yes", 50, 80, "10-K"],
            ["OpenAI", "no", 5, 10, "press"],
            *map(list, extra)]


def revenue_rows(*extra: Sequence[object]) -> list[list[object]]:
    return [REVENUE_HEAD,
            ["Microsoft", 2024, 13, 0.4, 0.5, 0.4, "earnings call"],
            ["OpenAI", 2024, 4, 0.1, 1.0, 0.8, "press"],
            *map(list, extra)]


def write_xlsx(path: Path, sheets: dict[str, Iterable[Sequence[object]]],
               formats: dict[tuple[str, str], str] | None = None,
               merges: dict[str, Iterable[str]] | None = None) -> Path:
    """A workbook with one sheet per entry (rows written from A1), cell number formats and merged ranges."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    ws.cell(row=r, column=c, value=value)
        for ref in (merges or {}).get(name, ()):
            ws.merge_cells(ref)
    for (sheet, ref), fmt in (formats or {}).items():
        wb[sheet][ref].number_format = fmt
    wb.save(path)
    return path


def minimal(path: Path, **sheets: Iterable[Sequence[object]]) -> Path:
    """Capex and Revenue of two companies, plus or instead of the given sheets."""
    content: dict[str, Iterable[Sequence[object]]] = {"Capex": capex_rows(), "Revenue": revenue_rows()}
    content.update(sheets)
    return write_xlsx(path, content)


def patch_member(path: Path, member: str, edit) -> None:  # type: ignore[no-untyped-def]
    """Rewrite one part of the zip through ``edit(text) -> text``."""
    with zipfile.ZipFile(path) as zin:
        items = [(info, zin.read(info)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in items:
            if info.filename == member:
                data = edit(data.decode()).encode()
            zout.writestr(info, data)


def sheet_member(path: Path, sheet: str) -> str:
    with zipfile.ZipFile(path) as z:
        book = z.read("xl/workbook.xml").decode()
        names = re.findall(r'<sheet [^>]*name="([^"]+)"', book)
    return f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"


def problems_at(problems: Iterable[Problem], sheet: str, cell: str) -> list[Problem]:
    return [p for p in problems if p.sheet == sheet and p.cell == cell]


def one(problems: Iterable[Problem], sheet: str, cell: str, severity: str = "error") -> Problem:
    found = [p for p in problems_at(problems, sheet, cell) if p.severity == severity]
    assert len(found) == 1, f"expected one {severity} at {sheet}!{cell}, got {found} among {list(problems)}"
    return found[0]


def errors_of(path: Path) -> tuple[Problem, ...]:
    with pytest.raises(TemplateError) as info:
        read_template(path)
    assert not isinstance(info.value, FileRefused), info.value.report()
    return info.value.problems


# -- reading a good workbook -------------------------------------------------------------------------------------

def test_reads_a_plain_workbook(tmp_path: Path) -> None:
    s = read_template(minimal(tmp_path / "t.xlsx"))
    assert s.capex.years == (2024, 2025)
    assert s.capex.rows == (("Microsoft", True, None, 50.0, 80.0, "10-K"), ("OpenAI", False, None, 5.0, 10.0, "press"))
    assert s.revenue.value(1, "cash_margin") == 0.1
    assert s.revenue.value(0, "2026") == 0.4
    # missing optional sheets: no deals, no market inputs; the standard assumptions and thresholds
    assert len(s.investments) == 0 and len(s.market) == 0
    assert s.assumptions.rows == schema.default_assumption_rows()
    assert s.thresholds.rows == schema.default_threshold_rows()
    missing = {p.sheet: p for p in s.warnings if not p.cell}
    assert set(missing) == {"Investments", "Assumptions", "Market", "Thresholds"}
    assert "standard rows" in missing["Assumptions"].message
    assert all(p.severity == "warning" for p in s.warnings)


def test_columns_in_any_order_title_rows_and_unknown_columns(tmp_path: Path) -> None:
    rows = [
        ["AI capex plan, $B"],                                    # merged title over the table
        [None],
        ["Source", 2025, "Analyst note", " company ", "2024", "IN SECTOR"],
        ["10-K", 80, "checked", "Microsoft", 50, "yes"],
        ["press", 10, None, "OpenAI", 5, "no"],
    ]
    path = write_xlsx(tmp_path / "t.xlsx", {"Capex": rows, "Revenue": revenue_rows()},
                      merges={"Capex": ["A1:F1"]})
    s = read_template(path)
    assert s.capex.years == (2024, 2025)
    assert s.capex.rows == (("Microsoft", True, None, 50.0, 80.0, "10-K"), ("OpenAI", False, None, 5.0, 10.0, "press"))
    w = one(s.warnings, "Capex", "C3", "warning")
    assert w.column == "Analyst note" and "unknown column" in w.message
    assert "Company" in w.expected and "a year" in w.expected


def test_cross_row_problems_carry_the_real_cell(tmp_path: Path) -> None:
    """Header on row 3, columns shuffled, an empty row in the middle: validation's cells are the file's cells."""
    deals = [
        ["Deals"],
        [None],
        ["Note", "Kind", "Amount", "Year", "Investee", "Investor"],
        [None, "equity", 13, 2024, "OpenAI", "Microsoft"],
        [None],                                                   # skipped
        [None, "debt", 5, 2025, "Nvidia", "Microsoft"],           # Nvidia is no company of the model
    ]
    path = minimal(tmp_path / "t.xlsx", Investments=deals)
    problems = errors_of(path)
    p = one(problems, "Investments", "E6")
    assert p.column == "Investee" and p.value == "Nvidia"
    assert "not a company" in p.message and "Revenue" in p.expected
    assert [q for q in problems if q.severity == "error"] == [p]


def test_duplicate_company_at_its_cell(tmp_path: Path) -> None:
    path = minimal(tmp_path / "t.xlsx", Capex=capex_rows([" Microsoft ", "yes", 1, 2, "dup"]))
    p = one(errors_of(path), "Capex", "A4")
    assert p.column == "Company" and "duplicate" in p.message and p.value == "Microsoft"
    assert "each row once" in p.expected


def test_deal_naming_an_unknown_company(tmp_path: Path) -> None:
    deals = [DEALS_HEAD, ["Amazon", "OpenAI", 2025, 10, "equity", 0.5, 1, "closed", "press", None]]
    p = one(errors_of(minimal(tmp_path / "t.xlsx", Investments=deals)), "Investments", "A2")
    assert p.column == "Investor" and p.value == "Amazon" and "not a company" in p.message


def test_negative_capex(tmp_path: Path) -> None:
    path = minimal(tmp_path / "t.xlsx", Capex=capex_rows(["Meta", "yes", -3, 40, "10-K"]),
                   Revenue=revenue_rows(["Meta", 2024, 3, 0.3, 0.2, 0.2, None]))
    p = one(errors_of(path), "Capex", "C4")
    assert p.column == "2024" and p.value == -3
    assert p.message == "capex 2024 -3 is negative"
    assert p.expected == "an amount in $B between 0 and 1,000,000"
    assert str(p).startswith("ERROR Capex!C4 [2024]: capex 2024 -3 is negative (found -3; expected an amount")


@pytest.mark.parametrize("growth, shown", [(-100, "-100%"), (-150, "-150%"), ("-100%", "-100%"), (-0.999999, None)])
def test_growth_at_or_below_minus_100_percent(tmp_path: Path, growth: object, shown: str) -> None:
    path = minimal(tmp_path / "t.xlsx", Revenue=revenue_rows(["Meta", 2024, 3, 0.3, 0.2, growth, None]))
    if shown is None:       # -99.9999% is above -100%
        assert read_template(path).revenue.value(2, "2026") == -0.999999
        return
    p = one(errors_of(path), "Revenue", "F4")
    assert p.column == "2026" and p.value == growth
    assert p.message == f"growth 2026 {shown} is at or below -100%"
    assert p.expected == "a percentage such as 24% or 0.24 above -100% and at most 1000%"


@pytest.mark.parametrize("share, message", [
    (150, "Recycled share 150% is above 100%"),
    (-0.1, "Recycled share -10% is negative"),
    ("120%", "Recycled share 120% is above 100%"),
    (3000, "Recycled share 3000% is above 100%"),
])
def test_recycled_share_outside_0_to_100_percent(tmp_path: Path, share: object, message: str) -> None:
    deals = [DEALS_HEAD, ["Microsoft", "OpenAI", 2024, 13, "equity", share, 3, "closed", "10-K", None]]
    p = one(errors_of(minimal(tmp_path / "t.xlsx", Investments=deals)), "Investments", "F2")
    assert p.column == "Recycled share" and p.value == share and p.message == message
    assert p.expected == "a percentage such as 24% or 0.24 between 0% and 100%"


def test_formula_without_a_stored_value(tmp_path: Path) -> None:
    """openpyxl writes formulas without their result, as scripts do: the cell is an error, not a blank."""
    path = minimal(tmp_path / "t.xlsx", Capex=capex_rows(["Meta", "yes", "=C2*2", 40, "10-K"]),
                   Revenue=revenue_rows(["Meta", 2024, 3, 0.3, 0.2, 0.2, None]))
    p = one(errors_of(path), "Capex", "C4")
    assert p.column == "2024" and p.value == "=C2*2"
    assert "formula with no stored value" in p.message and "save it" in p.message
    assert "a value" in p.expected


def test_formula_with_a_stored_value_reads_the_value(tmp_path: Path) -> None:
    path = minimal(tmp_path / "t.xlsx", Capex=capex_rows(["Meta", "yes", 1, 40, "10-K"]),
                   Revenue=revenue_rows(["Meta", 2024, 3, 0.3, 0.2, 0.2, None]))
    member = sheet_member(path, "Capex")
    patch_member(path, member, lambda x: x.replace('<c r="C4" t="n"><v>1</v></c>',
                                                   '<c r="C4"><f>C2*2</f><v>100</v></c>'))
    s = read_template(path)
    assert s.capex.value(2, "2024") == 100.0


def test_formula_returning_empty_text_is_a_blank(tmp_path: Path) -> None:
    path = minimal(tmp_path / "t.xlsx", Capex=capex_rows(["Meta", "yes", 1, 40, "10-K"]),
                   Revenue=revenue_rows(["Meta", 2024, 3, 0.3, 0.2, 0.2, None]))
    patch_member(path, sheet_member(path, "Capex"),
                 lambda x: x.replace('<c r="C4" t="n"><v>1</v></c>', '<c r="C4" t="str"><f>""</f><v></v></c>'))
    assert read_template(path).capex.value(2, "2024") is None


def test_excel_error_value(tmp_path: Path) -> None:
    path = minimal(tmp_path / "t.xlsx")
    patch_member(path, sheet_member(path, "Revenue"),
                 lambda x: x.replace('<c r="C3" t="n"><v>4</v></c>', '<c r="C3" t="e"><v>#DIV/0!</v></c>'))
    p = one(errors_of(path), "Revenue", "C3")
    assert p.column == "Base AI revenue" and p.value == "#DIV/0!" and "Excel error #DIV/0!" in p.message


def test_unreadable_value(tmp_path: Path) -> None:
    deals = [DEALS_HEAD, ["Microsoft", "OpenAI", "soon", "lots", "gift", 0, 1, "closed", None, None]]
    problems = errors_of(minimal(tmp_path / "t.xlsx", Investments=deals))
    year, amount, kind = (one(problems, "Investments", c) for c in ("C2", "D2", "E2"))
    assert (year.column, year.value, year.expected) == ("Year", "soon", "a year such as 2025")
    assert year.message == "cannot read Year as a year such as 2025"
    assert (amount.column, amount.value) == ("Amount", "lots")
    assert amount.message == "cannot read Amount as an amount in $B"
    assert kind.value == "gift" and kind.expected.startswith("one of: equity, debt, vendor financing")
    # a cell that could not be read is not also reported as missing by validation
    assert len(problems_at(problems, "Investments", "C2")) == 1


# -- headers -----------------------------------------------------------------------------------------------------

def test_year_headers_as_numbers_or_text(tmp_path: Path) -> None:
    rows = [["Company", 2024.0, " 2025 ", "2026", "In sector"], ["Microsoft", 1, 2, 3, "y"]]
    s = read_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": rows, "Revenue": revenue_rows()[:2]}))
    assert s.capex.years == (2024, 2025, 2026)
    assert s.capex.rows == (("Microsoft", True, None, 1.0, 2.0, 3.0, None),)


def test_years_in_any_order_are_stored_sorted(tmp_path: Path) -> None:
    rows = [["Company", 2026, 2024, 2025], ["Microsoft", 3, 1, 2]]
    s = read_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": rows, "Revenue": revenue_rows()[:2]}))
    assert s.capex.years == (2024, 2025, 2026)
    assert s.capex.rows[0][3:6] == (1.0, 2.0, 3.0)


def test_the_same_year_twice(tmp_path: Path) -> None:
    rows = [["Company", 2024, "2024"], ["Microsoft", 1, 2]]
    p = one(errors_of(write_xlsx(tmp_path / "t.xlsx", {"Capex": rows, "Revenue": revenue_rows()[:2]})),
            "Capex", "C1")
    assert p.column == "2024" and "A1" not in p.message and "B1 and C1" in p.message


def test_merged_header_cells(tmp_path: Path) -> None:
    """A two-row header: fixed headers merged down over both rows, a group title merged over the years."""
    rows = [
        ["Company", "In sector", "AI capex, $B", None, "Source"],
        [None, None, 2024, 2025, None],
        ["Microsoft", "yes", 50, 80, "10-K"],
    ]
    path = write_xlsx(tmp_path / "t.xlsx", {"Capex": rows, "Revenue": revenue_rows()[:2]},
                      merges={"Capex": ["A1:A2", "B1:B2", "C1:D1", "E1:E2"]})
    s = read_template(path)
    assert s.capex.rows == (("Microsoft", True, None, 50.0, 80.0, "10-K"),)
    assert not problems_at(s.warnings, "Capex", "C2")


def test_header_merged_across_columns_heads_its_first_column(tmp_path: Path) -> None:
    rows = [["Company", 2024, "Source", None], ["Microsoft", 1, "10-K", None]]
    path = write_xlsx(tmp_path / "t.xlsx", {"Capex": rows, "Revenue": revenue_rows()[:2]},
                      merges={"Capex": ["C1:D1"]})
    s = read_template(path)
    assert s.capex.value(0, "source") == "10-K"
    assert not [p for p in s.warnings if p.sheet == "Capex"]


def test_values_without_a_header(tmp_path: Path) -> None:
    rows = [["Company", None, 2024], ["Microsoft", "stray", 1], ["OpenAI", "more", 2]]
    s = read_template(write_xlsx(tmp_path / "t.xlsx", {"Capex": rows, "Revenue": revenue_rows()}))
    w = one(s.warnings, "Capex", "B2", "warning")
    assert "column B has values but no header" in w.message and w.value == "stray"


def test_missing_required_column(tmp_path: Path) -> None:
    rows = [r[:2] + r[3:] for r in revenue_rows()]          # no Base AI revenue
    problems = errors_of(write_xlsx(tmp_path / "t.xlsx", {"Capex": capex_rows(), "Revenue": rows}))
    missing = [p for p in problems if p.sheet == "Revenue" and p.severity == "error"]
    assert len(missing) == 1                                   # once, not once per row
    p = missing[0]
    assert p.column == "Base AI revenue" and "required column Base AI revenue is missing" in p.message
    assert "row 1" in p.message and "'Base AI revenue'" in p.expected


def test_missing_required_sheet(tmp_path: Path) -> None:
    problems = errors_of(write_xlsx(tmp_path / "t.xlsx", {"Capex": capex_rows()[:1]}))
    p = [q for q in problems if q.severity == "error"]
    assert len(p) == 1 and p[0].sheet == "Revenue" and p[0].cell == ""
    assert p[0].message == "the required sheet Revenue is missing"


def test_no_header_row(tmp_path: Path) -> None:
    rows = [["nothing"], ["to", "see"]]
    problems = errors_of(write_xlsx(tmp_path / "t.xlsx", {"Capex": rows, "Revenue": revenue_rows()}))
    p = [q for q in problems if q.sheet == "Capex" and q.severity == "error"]
    assert len(p) == 1 and "no header row found in the first 20 rows" in p[0].message
    assert "Company" in p[0].expected


def test_sheet_names_and_headers_ignore_case_and_spaces(tmp_path: Path) -> None:
    rows = [["  COMPANY", "in   sector ", "2024"], ["Microsoft", "YES", 1]]
    rev = [[h.upper() if isinstance(h, str) else h for h in revenue_rows()[0]], revenue_rows()[1]]
    s = read_template(write_xlsx(tmp_path / "t.xlsx", {" capex ": rows, "REVENUE": rev}))
    assert s.capex.rows == (("Microsoft", True, None, 1.0, None),)
    assert s.revenue.value(0, "base_revenue") == 13.0


def test_unknown_sheets_are_ignored_with_a_warning(tmp_path: Path) -> None:
    path = minimal(tmp_path / "t.xlsx", Notes=[["anything"]])
    w = [p for p in read_template(path).warnings if p.sheet == "Notes"]
    assert len(w) == 1 and w[0].severity == "warning" and "not part of the template" in w[0].message


# -- rows and values ------------------------------------------------------------------------------------------------

def test_empty_rows_are_skipped_and_trailing_formatted_rows_ignored(tmp_path: Path) -> None:
    rows = capex_rows()
    rows.insert(2, [None, " ", None, None, ""])                 # blank in the middle, spaces count as blank
    path = write_xlsx(tmp_path / "t.xlsx", {"Capex": rows, "Revenue": revenue_rows()},
                      formats={("Capex", f"{c}{r}"): "0.0%" for c in "ABCDE" for r in range(5, 40)})
    s = read_template(path)
    assert s.capex.column_values("company") == ["Microsoft", "OpenAI"]
    # the row map skips the empty row: a problem on the second company points at row 4
    bad = minimal(tmp_path / "b.xlsx", Capex=[*rows[:3], ["OpenAI", "no", -1, 10, "press"]])
    assert one(errors_of(bad), "Capex", "C4").value == -1


def test_numbers_stored_as_text(tmp_path: Path) -> None:
    market = [["Input", "Company", "Year", "Value", "Unit"],
              ["Operating cash flow", "Microsoft", 2025, "1,234.5", "$B"],
              ["Debt raised", "Microsoft", 2025, "(1,000)", "$B"],
              ["Operating cash flow", "OpenAI", 2025, "1\u00a0234", "$B"],
              ["Debt raised", "OpenAI", 2025, " 12 ", "$B"]]
    s = read_template(minimal(tmp_path / "t.xlsx", Market=market))
    assert s.market.column_values("value") == [1234.5, -1000.0, 1234.0, 12.0]


def test_a_sign_inside_accounting_brackets_is_refused_at_its_cell(tmp_path: Path) -> None:
    """(1,000) is -1,000; "(-5)" could mean -5 or +5 (it used to read +5, silently flipping the sign typed):
    refused at its cell, as is "(+5)". A percentage in brackets, "(24%)", is the negative -24%."""
    market = [["Input", "Company", "Year", "Value", "Unit"],
              ["Debt raised", "Microsoft", 2025, "(-5)", "$B"],
              ["Debt raised", "OpenAI", 2025, "(+5)", "$B"]]
    problems = errors_of(minimal(tmp_path / "t.xlsx", Market=market))
    assert [(p.cell, p.value) for p in problems if p.sheet == "Market"] == [("D2", "(-5)"), ("D3", "(+5)")]
    rows = revenue_rows()
    rows[1][4] = "(24%)"                 # growth 2025
    s = read_template(write_xlsx(tmp_path / "u.xlsx", {"Capex": capex_rows(), "Revenue": rows}))
    assert s.revenue.value(0, "2025") == -0.24


def test_a_count_assumption_refuses_a_fraction(tmp_path: Path) -> None:
    """'Reds for bubble' counts gauges: 2.5 was cut down to 2 (a Bubble label on two reds); now an error at its
    cell saying a whole number is expected."""
    assumptions = [["Name", "Value"], ["Reds for bubble", 2.5]]
    error = one(errors_of(minimal(tmp_path / "t.xlsx", Assumptions=assumptions)), "Assumptions", "B2")
    assert error.value == 2.5 and error.expected.startswith("a whole number")


def test_percentages_typed_as_percent_or_as_text(tmp_path: Path) -> None:
    rows = revenue_rows()
    rows[1][3] = 0.24                     # typed as 24% in a %-formatted cell: Excel stores 0.24
    rows[2][3] = "24%"
    rows[1][4] = " 150 % "
    path = write_xlsx(tmp_path / "t.xlsx", {"Capex": capex_rows(), "Revenue": rows},
                      formats={("Revenue", "D2"): "0%"})
    s = read_template(path)
    assert s.revenue.column_values("cash_margin") == [0.24, 0.24]
    assert s.revenue.value(0, "2025") == 1.5
    assert not [p for p in s.warnings if p.sheet == "Revenue"]


def test_a_plain_number_in_a_percent_column_follows_excel_percent_entry(tmp_path: Path) -> None:
    """8 and 0.08 both mean 8% (Excel's automatic percent entry); where 800% is possible too, a warning says so."""
    rows = revenue_rows()
    rows[1][5] = 6                         # growth 2026 typed as 6, no % format: 6%
    rows[2][4] = "8"                       # text without a % sign: 8%
    rows[2][5] = 7                         # but in a %-formatted cell 7 is the stored fraction: 700%, as shown
    rows[1][4] = 0.08                      # a fraction: 8%
    rows[1][3] = 24                        # cash margin 24: 24% (2400% is impossible: no warning)
    path = write_xlsx(tmp_path / "t.xlsx", {"Capex": capex_rows(), "Revenue": rows},
                      formats={("Revenue", "F3"): "0.0%"})
    s = read_template(path)
    assert s.revenue.value(0, "2026") == 0.06
    assert s.revenue.value(1, "2025") == 0.08
    assert s.revenue.value(1, "2026") == 7.0
    assert s.revenue.value(0, "2025") == 0.08
    assert s.revenue.value(0, "cash_margin") == 0.24
    w = one(s.warnings, "Revenue", "F2", "warning")
    assert w.column == "2026" and w.value == 6
    assert w.message == "growth 2026 6 read as 6% — type 600% if you meant 600%"
    assert w.expected.startswith("6% or 600%, typed with the % sign")
    assert one(s.warnings, "Revenue", "E3", "warning").message == "growth 2025 8 read as 8% — type 800% if you meant 800%"
    assert not problems_at(s.warnings, "Revenue", "F3")
    assert not problems_at(s.warnings, "Revenue", "D2")
    assert not problems_at(s.warnings, "Revenue", "E2")
    # 2400 is 2400%: past the 1000% a growth rate may be, so an error at its cell
    rows[1][5] = 2400
    path = write_xlsx(tmp_path / "u.xlsx", {"Capex": capex_rows(), "Revenue": rows})
    with pytest.raises(TemplateError) as caught:
        read_template(path)
    error = one(caught.value.problems, "Revenue", "F2", "error")
    assert error.value == 2400 and error.message == "growth 2026 2400% is above 1000%"


def test_percent_entry_on_value_columns(tmp_path: Path) -> None:
    assumptions = [["Name", "Value"], ["Discount rate", 10], ["Terminal growth", 2], ["Useful life", 6],
                   ["GDP growth", "4%"]]
    market = [["Input", "Year", "Value", "Unit"], ["Top-7 share of S&P 500", 2025, 35, "%"],
              ["Forward P/E of AI leaders", 2025, 30, "x"]]
    problems = check_template(minimal(tmp_path / "t.xlsx", Assumptions=assumptions, Market=market))
    assert not problems_at(problems, "Assumptions", "B2")        # 10 is 10% (1000% is past the 100% maximum)
    w = one(problems, "Assumptions", "B3", "warning")            # 2 is 2%, but 200% terminal growth is possible
    assert w.message == "Terminal growth 2 read as 2% — type 200% if you meant 200%"
    assert not problems_at(problems, "Market", "C2")
    assert not problems_at(problems, "Market", "C3")             # a multiple
    assert not problems_at(problems, "Assumptions", "B4")        # Useful life is in years
    s = read_template(minimal(tmp_path / "t.xlsx", Assumptions=assumptions, Market=market))
    values_by_name = dict(zip(s.assumptions.column_values("name"), s.assumptions.column_values("value"), strict=True))
    assert values_by_name["Discount rate"] == 0.10 and values_by_name["Terminal growth"] == 0.02
    assert values_by_name["Useful life"] == 6 and values_by_name["GDP growth"] == 0.04
    assert s.market.value(0, "value") == 0.35 and s.market.value(1, "value") == 30


def test_every_problem_at_once(tmp_path: Path) -> None:
    capex = capex_rows(["Meta", "maybe", -1, "x", None], ["Microsoft", "yes", 1, 1, None])
    revenue = revenue_rows(["Meta", "last year", 3, 150, -200, 0.1, None])     # 150% margin, -200% growth
    deals = [DEALS_HEAD, ["Microsoft", "Nvidia", 2025, 10, "equity", 200, 1, "done", None, None]]
    path = write_xlsx(tmp_path / "t.xlsx", {"Capex": capex, "Revenue": revenue, "Investments": deals})
    problems = errors_of(path)
    errors = {(p.sheet, p.cell) for p in problems if p.severity == "error"}
    assert errors == {
        ("Capex", "B4"), ("Capex", "C4"), ("Capex", "D4"), ("Capex", "A5"),
        ("Revenue", "B4"), ("Revenue", "D4"), ("Revenue", "E4"),
        ("Investments", "B2"), ("Investments", "F2"), ("Investments", "H2"),
    }
    # sorted: sheet by sheet in template order, then row and column
    sheets = [p.sheet for p in problems if p.severity == "error"]
    assert sheets == sorted(sheets, key=["Capex", "Revenue", "Investments"].index)


def test_check_template_never_raises(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_text("Company,2025\nMicrosoft,80\n")
    problems = check_template(bad)
    assert len(problems) == 1 and problems[0].severity == "error" and "plain text" in problems[0].message
    assert check_template(tmp_path / "missing.xlsx")[0].message == "the file does not exist"
    good = check_template(minimal(tmp_path / "t.xlsx"))
    assert good and all(p.severity == "warning" for p in good)


def test_scenario_warnings_are_the_reading_warnings(tmp_path: Path) -> None:
    """Validation warnings are recomputed by compute(); the scenario carries only what reading found."""
    deals = [DEALS_HEAD, ["Microsoft", "OpenAI", 2020, 1, "equity", 0, 1, "closed", None, None]]
    path = minimal(tmp_path / "t.xlsx", Investments=deals, Notes=[["x"]])
    every = check_template(path)
    early = one(every, "Investments", "C2", "warning")
    assert "before the first capex year" in early.message
    s = read_template(path)
    assert early not in s.warnings
    assert any(p.sheet == "Notes" for p in s.warnings)


def test_a_workbook_written_by_xlsxwriter(tmp_path: Path) -> None:
    """Another writer: shared strings, a merged title, formulas stored with their values, an extra sheet."""
    import xlsxwriter

    path = tmp_path / "x.xlsx"
    book = xlsxwriter.Workbook(str(path))
    pct = book.add_format({"num_format": "0%"})
    capex = book.add_worksheet("Capex")
    capex.merge_range("A1:E1", "AI capex, $B", book.add_format({"bold": True}))
    capex.write_row(2, 0, ["Company", "In sector", 2024, 2025, "Source"])
    capex.write_row(3, 0, ["Microsoft", "yes", 50, None, "10-K"])
    capex.write_formula(3, 3, "=C4*1.6", None, 80)
    capex.write_row(4, 0, ["OpenAI", "no", 5, 10, "press"])
    revenue = book.add_worksheet("Revenue")
    revenue.write_row(0, 0, REVENUE_HEAD)
    for r, row in enumerate(revenue_rows()[1:], start=1):
        revenue.write_row(r, 0, row)
        revenue.write(r, 3, row[3], pct)
    book.add_worksheet("Charts").write(0, 0, "not an input")
    book.close()
    s = read_template(path)
    assert s.capex.rows == (("Microsoft", True, None, 50.0, 80.0, "10-K"), ("OpenAI", False, None, 5.0, 10.0, "press"))
    assert s.revenue.column_values("cash_margin") == [0.4, 0.1]
    assert "Charts" in {p.sheet for p in s.warnings if "not part of the template" in p.message}
