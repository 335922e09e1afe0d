"""The template writer: formatting, exact round trips, the blank template and the analysts' doc."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from model.core import schema, values
from model.core.scenario import Scenario, Table, blank_scenario
from model.core.validation import validate
from model.io import template_writer
from model.io.atomic import SaveError
from model.io.template_writer import build_workbook, write_blank_template, write_template
from model.io.workbook import read_template
from tests.scenario_builders import flat_company, make_scenario

ROOT = Path(__file__).resolve().parent.parent


def sample() -> Scenario:
    return make_scenario(
        capex={"Microsoft": {2024: 55.6, 2025: 80.0}, "OpenAI": {2025: 7.5}},
        revenue={"Microsoft": flat_company(2024, 13.0, 0.45, {2025: 0.6, 2026: 0.35}),
                 "OpenAI": flat_company(2024, 3.7, 0.05, {2025: 9.5})},
        deals=[{"investor": "Microsoft", "investee": "OpenAI", "year": 2024, "amount": 13.0,
                "kind": "vendor financing", "recycled_share": 0.8, "spread_years": 3.0, "note": "=not a formula"}],
        market=[{"input": "Operating cash flow", "company": "Microsoft", "year": 2025, "value": 136.2, "unit": "$B"},
                {"input": "Top-7 share of S&P 500", "year": 2025, "value": 0.35, "unit": "%"}],
        in_sector={"OpenAI": False},
    )


def cell_values(path: Path) -> dict[str, list[tuple[object, ...]]]:
    wb = load_workbook(path)
    return {ws.title: [tuple(c.value for c in row) for row in ws.iter_rows()] for ws in wb.worksheets}


# -- formatting ----------------------------------------------------------------------------------------------------

def test_header_row_formatting(tmp_path: Path) -> None:
    path = tmp_path / "s.xlsx"
    write_template(sample(), path)
    wb = load_workbook(path)
    assert wb.sheetnames == [s.name for s in schema.SHEETS] + ["Scenarios"]
    for spec in schema.SHEETS:
        ws = wb[spec.name]
        assert ws.freeze_panes == "B2"
        table = sample().table(spec.name)
        for c, col in enumerate(table.columns, start=1):
            head = ws.cell(row=1, column=c)
            assert head.font.b and head.fill.fill_type == "solid"
            assert head.fill.fgColor.rgb == template_writer.HEADER_FILL.fgColor.rgb
            assert head.comment is not None and col.expected in head.comment.text
            if col.description:
                assert col.description in head.comment.text
            letter = head.column_letter
            assert ws.column_dimensions[letter].width == col.width
            assert ws.column_dimensions[letter].number_format == col.excel_format
    capex = wb["Capex"]
    assert [c.value for c in capex[1]] == ["Company", "In sector", "AI share", 2024, 2025, "Source"]
    assert isinstance(capex["D1"].value, int)                             # year headers are numbers
    assert capex["D2"].value == 55.6 and capex["D2"].number_format == '#,##0.0;-#,##0.0;"–"'
    assert capex["B3"].value == "no"
    assert schema.CAPEX.description in capex["A1"].comment.text
    revenue = wb["Revenue"]
    assert revenue["D2"].value == 0.45 and revenue["D2"].number_format == "0.0%"      # a fraction shown as %
    assert revenue["E3"].value == 9.5 and revenue["E3"].number_format == "0.0%"
    deals = wb["Investments"]
    assert deals["J2"].value == "=not a formula" and deals["J2"].data_type == "s"
    assert {str(dv.sqref) for dv in deals.data_validations.dataValidation} == {"E2:E5001", "H2:H5001"}
    assumptions = wb["Assumptions"]
    formats = {row[0].value: row[1].number_format for row in assumptions.iter_rows(min_row=2)}
    assert formats["Discount rate"] == "0.0%" and formats["Horizon end"] == "0"
    assert formats["Useful life"] == "#,##0.00"
    market = wb["Market"]
    assert market["D3"].value == 0.35 and market["D3"].number_format == "0.0%"
    assert market["D2"].number_format == "#,##0.00"


def test_sample_round_trip(tmp_path: Path) -> None:
    s = sample()
    path = tmp_path / "s.xlsx"
    write_template(s, path)
    back = read_template(path)
    assert back.inputs_equal(s)
    assert back.warnings == ()            # no unknown column, no suspicious percentage (9.5 is in a % cell)


def test_write_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.xlsx"
    write_template(sample(), path)
    before = path.read_bytes()

    def broken(self: Workbook, filename: str) -> None:
        Path(filename).write_bytes(b"half a file")
        raise OSError("disk full")
    monkeypatch.setattr(Workbook, "save", broken)
    with pytest.raises(SaveError, match="disk full"):
        write_template(blank_scenario(), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["s.xlsx"]


def test_doubles_that_need_17_digits_read_back_exactly(tmp_path: Path) -> None:
    tricky = 2.8167077230086957e-201
    assert float(f"{tricky:.16g}") != tricky
    s = sample().with_cell("Capex", 0, "2024", tricky).with_cell("Capex", 1, "2025", 0.1 + 0.2)
    path = tmp_path / "s.xlsx"
    write_template(s, path)
    back = read_template(path)
    assert back.capex.value(0, "2024") == tricky and back.capex.value(1, "2025") == 0.1 + 0.2
    assert load_workbook(path)["Capex"]["D2"].value == tricky      # A company, B in sector, C AI share


def test_illegal_characters_are_dropped(tmp_path: Path) -> None:
    s = sample().with_cell("Capex", 0, "source", "10-K\x01\x02 p. 3")
    path = tmp_path / "s.xlsx"
    write_template(s, path)
    assert read_template(path).capex.value(0, "source") == "10-K p. 3"


# -- the blank template ------------------------------------------------------------------------------------------

def test_blank_template_round_trip_is_exact(tmp_path: Path) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_blank_template(first)
    s = read_template(first)
    assert s.inputs_equal(blank_scenario())
    write_template(s, second)
    assert read_template(second).inputs_equal(s)
    assert cell_values(first) == cell_values(second)


def test_the_shipped_blank_template_is_current(tmp_path: Path) -> None:
    """templates/blank-template.xlsx is what write_blank_template writes (regenerate: python -m
    model.io.template_writer)."""
    fresh = tmp_path / "fresh.xlsx"
    write_blank_template(fresh)
    shipped = ROOT / "templates" / "blank-template.xlsx"
    assert cell_values(shipped) == cell_values(fresh)
    a, b = load_workbook(shipped), load_workbook(fresh)
    for name in a.sheetnames:
        for ra, rb in zip(a[name].iter_rows(), b[name].iter_rows(), strict=True):
            for ca, cb in zip(ra, rb, strict=True):
                assert (ca.number_format, ca.font.b, ca.comment and ca.comment.text) == \
                    (cb.number_format, cb.font.b, cb.comment and cb.comment.text), ca.coordinate
    assert read_template(shipped).inputs_equal(blank_scenario())


def test_build_workbook_needs_no_file() -> None:
    wb = build_workbook(blank_scenario())
    assert wb["Thresholds"].max_row == 1 + len(schema.default_threshold_rows())


# -- random scenarios round trip exactly ---------------------------------------------------------------------------

def _clean(text: str) -> bool:
    return text != "" and values.parse_text(text) == text


TEXT = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")), min_size=1, max_size=30).filter(_clean)
NAMES = st.lists(TEXT, min_size=1, max_size=5, unique_by=lambda s: s.strip().lower())
MONEY = st.floats(min_value=0, max_value=schema.LARGEST_AMOUNT, allow_nan=False, allow_infinity=False)
SOURCE = st.one_of(st.none(), TEXT, st.just("=SUM(A1:A2)"), st.just("_x0041_ literally"))


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    companies = draw(NAMES)
    # years run without a gap, and Capex has at least one (validation refuses a gap and a Capex without years)
    first_capex, first_growth = draw(st.integers(2000, 2032)), draw(st.integers(1990, 2197))
    capex_years = tuple(range(first_capex, first_capex + draw(st.integers(1, 4))))
    growth_years = tuple(range(first_growth, first_growth + draw(st.integers(0, 3))))
    capex = Table("Capex", capex_years, tuple(
        (name, draw(st.booleans()), draw(st.one_of(st.none(), st.floats(0, 1))),
         *(draw(st.one_of(st.none(), MONEY)) for _ in capex_years), draw(SOURCE))
        for name in companies))
    # growth down to -90%: nearer -100% the revenue before the base year grows past any bound (validation refuses it)
    growth = st.one_of(st.none(), st.floats(min_value=-0.9, max_value=10, allow_nan=False))
    revenue = Table("Revenue", growth_years, tuple(
        # base revenue up to $10,000B: growth compounded over 300 years stays within schema.LARGEST_REVENUE_PATH
        (name, draw(st.integers(1900, 2200)), draw(st.floats(0, 1e4)), draw(st.floats(0, 1, exclude_min=True)),
         *(draw(growth) for _ in growth_years), draw(SOURCE))
        for name in companies))
    deals = []
    if len(companies) > 1:
        keys = set()
        for _ in range(draw(st.integers(0, 4))):
            investor, investee = draw(st.permutations(companies))[:2]
            year, kind = draw(st.integers(2000, 2035)), draw(st.sampled_from(schema.DEAL_KIND_NAMES))
            if (investor.lower(), investee.lower(), year, kind) in keys:
                continue
            keys.add((investor.lower(), investee.lower(), year, kind))
            deals.append((investor, investee, year, draw(MONEY), kind, draw(st.floats(0, 1)),
                          draw(st.floats(1, 50)), draw(st.sampled_from(schema.DEAL_STATUSES)), draw(SOURCE),
                          draw(st.one_of(st.none(), TEXT))))
    market = [(schema.OPERATING_CASH_FLOW, name, 2025, draw(st.floats(-1e6, 1e6)), "$B", draw(SOURCE))
              for name in companies]
    market.append(("Top-7 share of S&P 500", None, 2025, draw(st.floats(0, 1)), "%", None))
    blank = blank_scenario()
    return Scenario(capex=capex, revenue=revenue, investments=Table("Investments", rows=tuple(deals)),
                    assumptions=blank.assumptions, market=Table("Market", rows=tuple(market)),
                    thresholds=blank.thresholds)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_random_scenarios_round_trip_exactly(s: Scenario) -> None:
    assert not [p for p in validate(s) if p.severity == "error"], "the strategy makes valid scenarios"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.xlsx"
        write_template(s, path)
        back = read_template(path)
    for sheet in schema.SHEETS:
        assert back.table(sheet.name) == s.table(sheet.name), sheet.name
    assert back.inputs_equal(s)
    # percentages were written with their % format: nothing looks like a percentage typed without its sign
    assert not [p for p in back.warnings if "did you mean" in p.message]


# -- the analysts' doc -------------------------------------------------------------------------------------------

DOC = ROOT / "docs" / "template-format.md"


def test_doc_generated_section_is_current() -> None:
    text = DOC.read_text(encoding="utf-8")
    start = text.index(template_writer.DOC_BEGIN) + len(template_writer.DOC_BEGIN)
    end = text.index(template_writer.DOC_END)
    assert text[start:end].strip() == template_writer.sheets_markdown().strip(), \
        "run: python -m model.io.template_writer"


def test_doc_mentions_every_header_kind_assumption_and_input() -> None:
    text = DOC.read_text(encoding="utf-8")
    for spec in schema.SHEETS:
        assert f"### {spec.name}" in text
        for col in spec.columns:
            assert f"| {col.header} |" in text, (spec.name, col.header)
    for kind in schema.DEAL_KINDS:
        assert f"| {kind.name} |" in text and kind.description in text
    for a in schema.ASSUMPTIONS:
        assert f"| {a.name} |" in text
    for name in schema.COMPANY_MARKET_INPUTS + tuple(i.name for i in schema.MARKET_INDICATOR_DEFAULTS):
        assert name in text
    for status in schema.DEAL_STATUSES:
        assert status in text
    for words in ("vbaProject.bin", "<!DOCTYPE", "zip bomb", "A1:XFD1048576", "type 600% if you meant 600%",
                  "is 100%", "no sheet Revenue — is", "the years jump", ".xls"):
        assert words in text
