"""The Excel export: the sheets, the input sheets in the template format, values from compute(), live formulas,
defined names, charts and formats. LibreOffice recalculation: test_export_libreoffice.py; hostile text and atomic
writes: test_export_safety.py."""

from __future__ import annotations

import re
import warnings
import zipfile
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from model.core import formatting, schema
from model.core.compute import compute
from model.core.problems import TemplateError
from model.core.results import NOT_WITHIN_HORIZON, SECTOR, Results
from model.core.scenario import Scenario, blank_scenario
from model.export.plan import CASH_FLOW_SECTIONS, SUMMARY_COLUMNS, Plan, summary_row
from model.export.writer import ExportSummary, export_results
from model.io import safety, workbook
from model.io.template_layout import scenario_layout
from tests.scenario_builders import flat_company, make_scenario

DERIVED_SHEETS = ("Cash flows", "Required revenue", "Bubble score", "Deals", "Circularity", "Revenue path", "Model",
                  "Score by year")
# A scenario alone is a book without alternatives: no Comparison, an empty Scenarios sheet (the template's).
SHEETS = ("Summary", *(s.name for s in schema.SHEETS), "Scenarios", *DERIVED_SHEETS, "Sensitivity", "Sources")


# -- scenarios ---------------------------------------------------------------------------------------------------

def rich_scenario() -> Scenario:
    """Every path of the export: deals of each kind (a fractional spread, one before the first year, one running
    past the horizon, a cycle), a 5.5-year life, growth gaps, base years before and after the first year, a
    company outside the sector and one with no Capex row, market inputs found in earlier years, a missing one.

    Paybacks: Hyper A never (not within horizon), Hyper B interpolated (~5.9 years), Chips C and Lab D at 0."""
    return make_scenario(
        capex={"Hyper A": {2024: 100.0, 2025: 150.0, 2026: 180.0, 2027: 120.0},
               "Hyper B": {2024: 60.0, 2025: 80.0, 2026: 90.0},
               "Chips C": {2024: 10.0, 2025: 12.0}},
        revenue={"Hyper A": flat_company(2025, 40.0, 0.6, {2026: 0.5, 2028: 0.3}),
                 "Hyper B": flat_company(2022, 30.0, 0.5, {2023: 0.8, 2025: 0.4}),
                 "Chips C": flat_company(2024, 50.0, 0.7),
                 "Lab D": flat_company(2024, 4.0, 0.3, {2025: 1.0, 2026: 0.8})},
        deals=[{"investor": "Hyper A", "investee": "Lab D", "year": 2025, "amount": 13.0, "kind": "cloud credits",
                "recycled_share": 0.9, "spread_years": 2.5},
               {"investor": "Chips C", "investee": "Lab D", "year": 2023, "amount": 10.0,
                "kind": "vendor financing", "recycled_share": 1.0, "spread_years": 3.0},
               {"investor": "Hyper B", "investee": "Lab D", "year": 2026, "amount": 8.0, "kind": "debt"},
               {"investor": "Lab D", "investee": "Hyper A", "year": 2026, "amount": 5.0,
                "kind": "compute commitment", "recycled_share": 0.5, "spread_years": 4.0},
               {"investor": "Hyper A", "investee": "Hyper B", "year": 2031, "amount": 3.0, "kind": "equity",
                "spread_years": 5.0}],
        assumptions={"Useful life": 5.5, "Horizon end": 2032, "Terminal growth": 0.04, "Score year": 2026},
        market=[{"input": "Operating cash flow", "company": "Hyper A", "year": 2025, "value": 120.0, "unit": "$B"},
                {"input": "Operating cash flow", "company": "Hyper A", "year": 2026, "value": 150.0, "unit": "$B"},
                {"input": "Operating cash flow", "company": "Hyper B", "year": 2024, "value": 70.0, "unit": "$B"},
                {"input": "Debt raised", "company": "Hyper B", "year": 2026, "value": 20.0, "unit": "$B"},
                {"input": "Debt raised", "company": "Hyper A", "year": 2024, "value": 5.0, "unit": "$B"},
                {"input": "Forward P/E of AI leaders", "year": 2025, "value": 38.0, "unit": "x"}],
        in_sector={"Chips C": False},
        name="Rich",
    )


def variant_scenario() -> Scenario:
    """The other branches: the score year is the first model year (momentum reads the revenue path's year
    before), a zero discount rate (CRF = 1 / life), a negative operating cash flow (capex intensity ∞), a base
    year past the horizon, no market-wide inputs, a threshold naming no input."""
    thresholds = [(t[0], t[1], t[2], t[3]) for t in schema.default_threshold_rows()] + [("Mystery gauge", 1, 2, 5)]
    return make_scenario(
        capex={"Hyper A": {2024: 100.0, 2025: 150.0}, "Hyper B": {2024: 60.0, 2025: 80.0, 2026: 90.0}},
        revenue={"Hyper A": flat_company(2026, 40.0, 0.6, {2025: 0.5, 2024: 0.2}),
                 "Hyper B": flat_company(2024, 30.0, 0.5),
                 "Late C": flat_company(2033, 9.0, 0.4, {2031: 0.5, 2033: 0.2})},
        deals=[{"investor": "Hyper A", "investee": "Hyper B", "year": 2024, "amount": 20.0, "kind": "debt",
                "recycled_share": 0.5, "spread_years": 1.5}],
        assumptions={"Discount rate": 0.0, "Horizon end": 2030, "Score year": 2020},
        market=[{"input": "Operating cash flow", "company": "Hyper B", "year": 2023, "value": -5.0}],
        thresholds=thresholds, name="Variant")


def example_scenarios() -> dict[str, Scenario]:
    """The scenarios the export tests run on; the bundled default scenario when it exists."""
    out = {"rich": rich_scenario(), "variant": variant_scenario(), "blank": blank_scenario()}
    try:
        from model.defaults.scenario import default_scenario
    except ImportError:
        return out
    return {"default": default_scenario(), **out}


def load(path: Path, data_only: bool = False) -> openpyxl.Workbook:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # openpyxl: "data validation extension is not supported" and alike
        return openpyxl.load_workbook(path, data_only=data_only)


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scenario, Results, Path, ExportSummary]:
    s = rich_scenario()
    r = compute(s)
    path = tmp_path_factory.mktemp("export") / "rich.xlsx"
    return s, r, path, export_results(s, path, r)


@pytest.fixture(scope="module")
def books(exported: tuple[Scenario, Results, Path, ExportSummary]) -> tuple[openpyxl.Workbook, openpyxl.Workbook]:
    path = exported[2]
    return load(path), load(path, data_only=True)


def plan_of(s: Scenario, r: Results) -> Plan:
    from model.export.facts import gather
    return Plan.build(gather(s, r))


# -- the workbook ------------------------------------------------------------------------------------------------

def test_sheets_in_order_summary_first(exported, books) -> None:  # type: ignore[no-untyped-def]
    _, _, path, summary = exported
    assert tuple(books[0].sheetnames) == SHEETS
    assert summary.sheets == SHEETS
    assert summary.path == path and summary.scenario == "Rich" and summary.charts == 4
    assert summary.scenarios == ("Base",) and "scenarios" not in str(summary)
    assert [c.value for c in books[0]["Scenarios"][1]] == [c.header for c in schema.SCENARIOS.columns]
    assert books[0]["Scenarios"].max_row == 1
    assert summary.formula_cells > 1000
    assert "live formulas" in str(summary)


def test_the_export_is_a_file_the_importer_accepts(exported) -> None:  # type: ignore[no-untyped-def]
    package = safety.inspect(exported[2])
    assert [p.name for p in package.sheets] == list(SHEETS)


def test_input_sheets_are_the_template_layout_cell_by_cell(exported, books) -> None:  # type: ignore[no-untyped-def]
    s, _, _, _ = exported
    wb = books[0]
    for layout in scenario_layout(s):
        ws = wb[layout.name]
        assert [c.value for c in ws[1]] == list(layout.headers), layout.name
        assert ws.max_row == 1 + len(layout.rows)
        for i, row in enumerate(layout.rows, start=2):
            got = [ws.cell(i, j + 1).value for j in range(len(layout.columns))]
            assert got == list(row), (layout.name, i)
            assert all(ws.cell(i, j + 1).data_type != "f" for j in range(len(layout.columns)))
        assert ws.freeze_panes == "B2"


def test_round_trip_read_template_gives_the_same_scenario_and_results(exported) -> None:  # type: ignore[no-untyped-def]
    for name, s in example_scenarios().items():
        path = exported[2].parent / f"round-{name}.xlsx"
        export_results(s, path)
        back = workbook.read_template(path)
        assert back.inputs_equal(s), name
        a, b = compute(s), compute(back)
        assert a.years == b.years and a.entities == b.entities and a.summaries == b.summaries, name
        for key in a.series:
            np.testing.assert_array_equal(a.series[key], b.series[key])
        assert a.deals == b.deals
        # the derived sheets are ignored by the importer (with one warning each, today)
        # (and a growth year missing between two others, which reads as the terminal growth, is said at its header)
        assert {p.sheet for p in back.warnings if "years jump" not in p.message} <= {"Summary", "Sources",
                                                                                    *DERIVED_SHEETS}


def test_re_export_of_an_imported_export_lists_no_sheet_warnings(tmp_path: Path) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    export_results(rich_scenario(), first)
    export_results(workbook.read_template(first), second)
    ws = load(second)["Summary"]
    texts = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert not [t for t in texts if "is not part of the template" in t]


# -- values: compute()'s, in formula cells -----------------------------------------------------------------------

def test_every_year_grid_cell_is_a_formula_storing_computes_value(exported, books) -> None:  # type: ignore[no-untyped-def]
    s, r, _, _ = exported
    formulas, values = books[0]["Cash flows"], books[1]["Cash flows"]
    plan = plan_of(s, r)
    for key, _ in CASH_FLOW_SECTIONS:
        if key.startswith("paid_back"):
            continue
        for e, entity in enumerate(r.entities):
            for t, _year in enumerate(r.years):
                row, col = plan.cash.row(key, e) + 1, plan.cash.col(t) + 1
                assert values.cell(row, col).value == float(r.series[key][e, t]), (key, entity, t)
                cell = formulas.cell(row, col)
                # no deal touches a company's capex: only capex of a year without a Capex column is a constant
                if key not in ("capex",):
                    assert cell.data_type == "f", (key, entity, t)


def test_summary_table_values_are_the_results(exported, books) -> None:  # type: ignore[no-untyped-def]
    _, r, _, _ = exported
    formulas, values = books[0]["Summary"], books[1]["Summary"]
    header = [c.value for c in formulas[summary_row(-1) + 1]][: len(SUMMARY_COLUMNS)]
    assert header == list(SUMMARY_COLUMNS)
    for e, entity in enumerate(r.summaries):
        row = summary_row(e) + 1
        cells = {h: values.cell(row, j + 1).value for j, h in enumerate(SUMMARY_COLUMNS)}
        assert cells["Company"] == entity.name
        for column, payback in (("Payback (years)", entity.payback),
                                ("Discounted payback (years)", entity.discounted_payback),
                                ("Organic payback (years)", entity.organic_payback)):
            # beyond the horizon, the words of every other view (issue 12): "−$1.2T at 2035; ≈ 2041, beyond …"
            assert cells[column] == (formatting.beyond_horizon(payback) if payback.years is None else payback.years)
            assert formulas.cell(row, SUMMARY_COLUMNS.index(column) + 1).data_type == "f"
        assert cells["NPV ($B)"] == entity.npv
        assert cells["Bubble score"] == entity.score.composite
        assert cells["Label"] == entity.score.label
    # the brief's three shapes of payback are all there
    assert values.cell(summary_row(0) + 1, 3).value == formatting.beyond_horizon(r.summaries[0].payback)
    assert values.cell(summary_row(0) + 1, 3).value.startswith("−$")
    assert f" at {r.years[-1]}" in values.cell(summary_row(0) + 1, 3).value
    assert 5 < values.cell(summary_row(1) + 1, 3).value < 7
    assert values.cell(summary_row(2) + 1, 3).value == 0
    # ... and its payback ÷ life is '–' (nothing to measure), never a healthy-looking 0
    ratio = values.cell(summary_row(2) + 1, SUMMARY_COLUMNS.index("Payback ÷ useful life") + 1)
    assert ratio.value == "–"
    assert values["A5"].value == r.sector.score.composite and values["B5"].value == r.sector.score.label


def test_not_within_horizon_is_text_not_an_error(books) -> None:  # type: ignore[no-untyped-def]
    values = books[1]
    shown = [c for ws in values.worksheets for row in ws.iter_rows() for c in row if c.value == NOT_WITHIN_HORIZON]
    assert shown and all(c.data_type == "s" for c in shown)
    errors = [f"{ws.title}!{c.coordinate}" for ws in values.worksheets for row in ws.iter_rows() for c in row
              if isinstance(c.value, str) and c.value.startswith("#")]
    assert errors == []


def test_score_sheet_shows_each_indicator_and_why_one_has_no_value(exported, books) -> None:  # type: ignore[no-untyped-def]
    _, r, _, _ = exported
    ws = books[1]["Bubble score"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    sector = [row for row in rows if row[0] == SECTOR and isinstance(row[1], str) and row[2]]
    names = [row[1] for row in sector]
    assert names == [i.name for i in r.sector.score.indicators]
    top7 = next(row for row in sector if row[1] == "Top-7 share of S&P 500")
    assert top7[3] == "no data" and top7[7] == "no data"
    assert top7[11] == "no Market input named 'Top-7 share of S&P 500' up to 2026"
    payback = next(row for row in sector if row[1] == "Payback vs life")
    assert payback[3] == "not within its life" and payback[7] == 100     # the score year's vintage
    assert sum(row[9] for row in sector) == pytest.approx(r.sector.score.composite, rel=1e-12)


def test_capex_without_operating_cash_flow_reads_as_infinite(tmp_path: Path) -> None:
    s = variant_scenario()
    r = compute(s)
    assert r.entity("Hyper B").score.indicator("Capex intensity").value == float("inf")
    export_results(s, tmp_path / "v.xlsx", r)
    rows = [[c.value for c in row] for row in load(tmp_path / "v.xlsx", data_only=True)["Bubble score"].iter_rows()]
    b = next(row for row in rows if row[0] == "Hyper B" and row[1] == "Capex intensity")
    assert b[3] == "∞" and b[7] == 100 and b[11] == "operating cash flow is zero or negative"
    a = next(row for row in rows if row[0] == "Hyper A" and row[1] == "Capex intensity")
    assert a[3] == "no data" and a[11] == "no Operating cash flow input"


def test_circularity_lists_the_cycles_as_values_with_a_comment(exported, books) -> None:  # type: ignore[no-untyped-def]
    _, r, _, _ = exported
    ws = books[0]["Circularity"]
    cells = [c for row in ws.iter_rows() for c in row]
    cycles = [c.value for c in cells if isinstance(c.value, str) and " → " in c.value]
    assert cycles == [" → ".join((*cycle, cycle[0])) for cycle in r.deals.cycles]
    assert any(c.comment and "Not a formula" in c.comment.text for c in cells)
    shares = {row[0].value: row[3] for row in ws.iter_rows(min_row=4, max_row=3 + len(r.deals.recycled_share_of_revenue))}
    values = books[1]["Circularity"]
    for seller, share in r.deals.recycled_share_of_revenue.items():
        assert shares[seller].data_type == "f"
        assert values[shares[seller].coordinate].value == share


def test_deals_sheet_carries_the_model_flows(exported, books) -> None:  # type: ignore[no-untyped-def]
    _, r, _, _ = exported
    ws = books[1]["Deals"]
    for d in r.deals.deals:
        row = [c.value for c in ws[4 + d.row]]
        assert row[1:5] == [d.investor, d.investee, d.year, d.amount]
        assert row[11] == d.paid_within_horizon and row[12] == d.recycled_revenue
        assert row[13] == ("yes" if d.in_cycle else "no")
    assert r.deals.deals[-1].paid_within_horizon < r.deals.deals[-1].amount     # runs past the horizon


# -- formulas ----------------------------------------------------------------------------------------------------

FORBIDDEN = re.compile(r"\b(OFFSET|INDIRECT|NOW|TODAY|RAND|RANDBETWEEN|CELL|INFO|LET|LAMBDA|FILTER|SORT|UNIQUE|"
                       r"SEQUENCE|XLOOKUP|MAXIFS|MINIFS|TEXTJOIN|CONCAT|IFS|SWITCH)\(|_xlfn|_xlws", re.I)


def test_formulas_avoid_volatile_dynamic_and_new_functions(books) -> None:  # type: ignore[no-untyped-def]
    used = set()
    for ws in books[0].worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    text = str(c.value)
                    assert not FORBIDDEN.search(text), (ws.title, c.coordinate, text)
                    used.update(re.findall(r"\b([A-Z][A-Z0-9.]*)\(", text))
    assert used <= {"IF", "SUMPRODUCT", "INDEX", "MATCH", "ISNA", "ISNUMBER", "ISBLANK", "COUNTIF", "SUM", "MIN",
                    "MAX", "INT", "AND", "OR", "NOT", "N", "T", "PRODUCT", "IRR", "IFERROR",
                    "FIXED"}, used     # FIXED (Excel 97, LibreOffice): a payback's shortfall in words


def test_key_assumptions_have_defined_names(books) -> None:  # type: ignore[no-untyped-def]
    wb = books[0]
    names = set(wb.defined_names)
    assert {"discount_rate", "useful_life", "terminal_growth", "horizon_end", "score_year", "score_year_used",
            "capital_recovery_factor", "first_year", "last_year", "deal_amount", "market_value"} <= names
    ref = wb.defined_names["discount_rate"].attr_text
    assert ref.startswith("Model!$B$")
    sheet, cell = ref.split("!")
    assert books[1][sheet][cell.replace("$", "")].value == 0.10


def test_revenue_formulas_read_the_growth_inputs(exported, books) -> None:  # type: ignore[no-untyped-def]
    s, r, _, _ = exported
    grid = plan_of(s, r).cash
    organic = books[0]["Cash flows"].cell(grid.row("organic_revenue", 0) + 1, grid.col(0) + 1).value
    assert "PRODUCT(INDEX(" in organic and "Revenue!$B$2" in organic
    path = books[0]["Revenue path"]
    assert any("terminal_growth" in str(c.value) for row in path.iter_rows() for c in row)


# -- looks ----------------------------------------------------------------------------------------------------------

def test_formats_freeze_panes_and_widths(books) -> None:  # type: ignore[no-untyped-def]
    wb = books[0]
    summary = wb["Summary"]
    npv = summary.cell(summary_row(0) + 1, SUMMARY_COLUMNS.index("NPV ($B)") + 1)
    assert "$" in npv.number_format and '"B"' in npv.number_format
    assert summary.cell(summary_row(0) + 1, SUMMARY_COLUMNS.index("IRR") + 1).number_format == "0.0%"
    cash = wb["Cash flows"]
    assert cash["C3"].value == 2024 and cash["C3"].number_format == "0"     # years without separators
    assert cash["C5"].number_format.startswith("#,##0.0")
    for name in DERIVED_SHEETS:
        assert wb[name].freeze_panes is not None, name
    assert summary.freeze_panes == f"B{summary_row(0) + 1}"
    assert cash.column_dimensions["A"].width >= len("Hyper A")


def test_charts_are_native_and_read_the_sheets(exported) -> None:  # type: ignore[no-untyped-def]
    with zipfile.ZipFile(exported[2]) as z:
        charts = sorted(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        xml = {n: z.read(n).decode() for n in charts}
    assert len(charts) == 4                             # Summary's three, the Sensitivity sheet's tornado
    text = "".join(xml.values())
    assert "Sensitivity!$H$6" in text and "Sensitivity!$I$6" in text       # the tornado: low and high − base
    assert "'Cash flows'!$C$3:$K$3" in text             # the years
    assert "'Required revenue'!" in text and "'Bubble score'!" in text
    assert "<c:lineChart>" in text and "<c:barChart>" in text and 'val="stacked"' in text


def test_minimal_scenario_without_deals_or_market(tmp_path: Path) -> None:
    s = make_scenario(capex={"Solo": {2025: 10.0}}, revenue={"Solo": flat_company(2025, 1.0, 0.5)})
    summary = export_results(s, tmp_path / "solo.xlsx")
    values = load(tmp_path / "solo.xlsx", data_only=True)
    assert values["Summary"].cell(summary_row(0) + 1, 1).value == "Solo"
    assert summary.formula_cells > 100


def test_a_scenario_with_errors_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    bad = make_scenario(capex={"A": {2025: 10.0}}, revenue={})     # capex without a Revenue row
    with pytest.raises(TemplateError):
        export_results(bad, tmp_path / "bad.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_command_line_export(tmp_path: Path) -> None:
    from model.cli import run
    from model.io.template_writer import write_template

    template, out = tmp_path / "t.xlsx", tmp_path / "results.xlsx"
    write_template(rich_scenario(), template)
    assert run(["export", str(template), "-o", str(out)]) == 0
    assert load(out).sheetnames[0] == "Summary"


def test_sources_wrap_in_rows_tall_enough_to_read(tmp_path: Path) -> None:
    """The Sources sheet of the default scenario: long sources and notes wrap in fixed columns and their rows are
    made taller (no reader grows a row to wrapped text on opening), so the sheet reads and prints at a normal
    size instead of as one line spilling across the page."""
    from model.defaults.scenario import default_scenario
    from model.export.inputs import NOTE_WIDTH, SOURCE_WIDTH, _lines

    s = default_scenario()
    path = tmp_path / "default.xlsx"
    export_results(s, path, compute(s))
    ws = load(path)["Sources"]
    widths = {c: ws.column_dimensions[c].width for c in "CDE"}
    assert widths["D"] == pytest.approx(SOURCE_WIDTH, abs=1) and widths["E"] == pytest.approx(NOTE_WIDTH, abs=1)
    long_rows = [row for row in ws.iter_rows(min_row=4) if len(str(row[3].value or "")) > 200
                 and row[3].hyperlink is None]
    assert long_rows
    for row in long_rows:
        r = row[0].row
        assert row[3].alignment.wrap_text
        assert ws.row_dimensions[r].height >= 15 * _lines(str(row[3].value), SOURCE_WIDTH) > 15


def test_wrapped_lines_are_counted_at_spaces_and_inside_long_words() -> None:
    from model.export.inputs import _lines

    assert _lines("", 40) == 1 and _lines("short", 40) == 1
    assert _lines("word " * 10, 8) == 5                  # 10 words, 2 to a line of 10 letters
    assert _lines("x" * 25, 8) == 3                      # a 25-letter URL breaks inside: 10 + 10 + 5
