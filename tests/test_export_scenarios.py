"""The export of a book: every scenario's sheets, the Comparison sheet, the Scenarios sheet, and the round trip.

LibreOffice's recalculation of the same workbooks (every formula cell of every scenario, and edits that prove the
base's inputs flow into the alternatives): test_export_libreoffice.py.
"""

from __future__ import annotations

import functools
import math
import re
import zipfile
from pathlib import Path

import numpy as np
import pytest

from model.core import formatting, schema
from model.core.compare import METRICS, Comparison, compare
from model.core.compute import compute
from model.core.overrides import Alternative, Override, ScenarioBook, row_key
from model.core.problems import TemplateError
from model.core.results import NOT_WITHIN_HORIZON, SECTOR
from model.defaults.alternatives import default_book
from model.export.book import MAX_SHEET_NAME
from model.export.comparison import PAYBACK_METRICS, SAME, SHOWN, displayed_entities, layout_of
from model.export.facts import gather
from model.export.plan import CASH_FLOW_SECTIONS, SUMMARY_COLUMNS, Plan, summary_row
from model.export.scenarios import LABEL_ROOM, build_lineup, compare_for_export, short_labels
from model.export.writer import ExportSummary, export_results
from model.io.workbook import read_book
from tests.test_export import DERIVED_SHEETS, rich_scenario
from tests.test_export import load as load_workbook

load = functools.lru_cache(maxsize=8)(load_workbook)     # the tests only read the workbooks

BOOK_SHEETS = ("Summary", *DERIVED_SHEETS)      # each alternative's own sheets, in this order


def rich_book() -> ScenarioBook:
    """The rich scenario with alternatives down every path of the export: a Market override (the score reads a
    copy of the Market sheet), a longer horizon (more model years than the base), a flag, a blank growth cell,
    deal cells, a later override of the same cell, a dangling override, and two names sharing a long prefix."""
    base = rich_scenario()
    market, deals = base.market, base.investments

    def market_key(company: str | None, year: int) -> tuple[str, ...]:
        for i, rec in enumerate(market.records()):
            if rec["company"] == company and rec["year"] == year:
                return row_key(market, i)
        raise KeyError((company, year))

    mood = Alternative("Market mood: P/E 60, less cash", "Forward P/E at 60 and Hyper A's 2026 cash flow cut.", (
        Override("Market", market_key(None, 2025), "value", 60.0, "a frothier market"),
        Override("Market", market_key("Hyper A", 2026), "value", 90.0),
        Override("Market", market_key("Hyper B", 2026), "year", 2025, "debt raised a year earlier"),
    ))
    longer = Alternative("Longer horizon, Hyper B out", "", (
        Override("Assumptions", ("Horizon end",), "value", 2034.0),
        Override("Assumptions", ("Score year",), "value", 2027.0),
        Override("Capex", ("Hyper B",), "in_sector", False),
        Override("Revenue", ("Hyper A",), "2026", None, "blank: the terminal growth"),
        Override("Capex", ("Hyper A",), "2025", 90.0),
        Override("Capex", ("Hyper A",), "2025", 70.0, "a later override of the same cell wins"),
        Override("Capex", ("Nobody",), "2025", 5.0, "dangling: no such company"),
    ))
    rewired = Alternative("Deals rewired one", "", (
        Override("Investments", row_key(deals, 2), "kind", "equity"),
        Override("Investments", row_key(deals, 0), "spread_years", 1.0),
        Override("Investments", row_key(deals, 0), "recycled_share", 0.0),
        Override("Investments", row_key(deals, 3), "amount", 12.0),
        Override("Assumptions", ("Discount rate",), "value", 0.0),
    ))
    rewired_too = Alternative("Deals rewired two", "The same prefix as the one before.", (
        Override("Investments", row_key(deals, 1), "status", "in talks"),
        Override("Revenue", ("Lab D",), "cash_margin", 0.6),
    ))
    return ScenarioBook(base, (mood, longer, rewired, rewired_too))


@pytest.fixture(scope="module")
def default_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[ScenarioBook, Path, ExportSummary]:
    book = default_book()
    path = tmp_path_factory.mktemp("book") / "default-book.xlsx"
    return book, path, export_results(book, path)


@pytest.fixture(scope="module")
def rich_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[ScenarioBook, Path, ExportSummary]:
    book = rich_book()
    path = tmp_path_factory.mktemp("book") / "rich-book.xlsx"
    return book, path, export_results(book, path)


def plans_of(book: ScenarioBook) -> tuple[Plan, ...]:
    return build_lineup(book, compare(book)).plans


# -- the round trip --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("which", ["default_export", "rich_export"])
def test_scenarios_survive_export_then_import_exactly(which: str, request: pytest.FixtureRequest) -> None:
    book, path, _ = request.getfixturevalue(which)
    back = read_book(path)
    assert back.alternatives == book.alternatives
    assert back.base.inputs_equal(book.base)
    # the scenarios' own sheets are skipped silently; only a dangling override is worth a warning
    # (and a growth year missing between two others, which reads as the terminal growth, at its header)
    assert all((w.sheet == "Scenarios" and "kept" in w.message) or "years jump" in w.message
               for w in back.base.warnings), back.base.warnings
    for name in book.names:
        a, b = book.scenario(name)[0], back.scenario(name)[0]
        assert a.inputs_equal(b), name


def test_re_export_of_the_imported_book_is_the_same_workbook(default_export, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    book, path, summary = default_export
    again = export_results(read_book(path), tmp_path / "again.xlsx")
    assert again.sheets == summary.sheets and again.formula_cells == summary.formula_cells
    first, second = load(path, data_only=True), load(tmp_path / "again.xlsx", data_only=True)
    for name in ("Comparison", "Scenarios", "Summary (Bear)", "Cash flows (Cloud rates)"):
        rows_a = [[c.value for c in row] for row in first[name].iter_rows()]
        rows_b = [[c.value for c in row] for row in second[name].iter_rows()]
        assert rows_a == rows_b, name


# -- the sheets --------------------------------------------------------------------------------------------------

def test_every_scenario_has_its_sheets_in_order(default_export) -> None:  # type: ignore[no-untyped-def]
    book, path, summary = default_export
    labels = ["Bear", "Circular", "Cloud rates", "Filers"]
    expected = ("Summary", "Comparison", *(s.name for s in schema.SHEETS), "Scenarios", *DERIVED_SHEETS,
                *(f"{sheet} ({label})" for label in labels for sheet in BOOK_SHEETS), "Sensitivity", "Sources")
    assert summary.sheets == expected == tuple(load(path).sheetnames)
    assert summary.scenarios == book.names
    assert summary.charts == 3 * 5 + 3 + 1      # Comparison: cash flow, score, score by year; + the tornado
    assert "(5 scenarios)" in str(summary)
    assert max(map(len, summary.sheets)) <= MAX_SHEET_NAME


def test_short_labels_fit_and_stay_distinct() -> None:
    names = ["Bear: 3-year GPUs", "bear", "Aggressive growth everywhere", "Aggressive growth nowhere",
             "Filers' 6-year servers", "a/b\\c?d*e[f]g:h", "x" * 40, ":::", "Circular deals unwind", "\t\x01 Tab"]
    labels = short_labels(names)
    assert labels[0] == "Bear" and labels[1] == "bear 2"
    assert labels[2] == "Aggressive" and labels[3] == "Aggressive 2"
    assert labels[4] == "Filers" and labels[8] == "Circular" and labels[9] == "Tab"
    assert all(0 < len(label) <= LABEL_ROOM for label in labels)
    assert len({label.casefold() for label in labels}) == len(labels)
    assert not any(re.search(r"[\[\]:*?/\\']", label) for label in labels)


def test_scenarios_sheet_is_the_template_writers(default_export) -> None:  # type: ignore[no-untyped-def]
    from model.io.template_writer import build_workbook

    book, path, _ = default_export
    ours, theirs = load(path)["Scenarios"], build_workbook(book)["Scenarios"]
    assert ours.max_row == theirs.max_row and ours.max_column == theirs.max_column
    for i, (a, b) in enumerate(zip(ours.iter_rows(), theirs.iter_rows(), strict=True)):
        # openpyxl holds a 17-digit number it was given as text until it saves it
        assert [c.value for c in a] == [float(c.value) if c.data_type == "n" and isinstance(c.value, str)
                                        else c.value for c in b]
        if i and b[4].value is not None:    # the Value column's format follows its target: 3 years, 24%
            assert a[4].number_format == b[4].number_format, a[4].coordinate
    assert ours["A1"].font.b and ours.freeze_panes == "B2"


def test_each_alternatives_sheets_store_its_own_results(rich_export) -> None:  # type: ignore[no-untyped-def]
    book, path, _ = rich_export
    values = load(path, data_only=True)
    for plan, name in zip(plans_of(book), book.names, strict=True):
        r = compute(book.scenario(name)[0])
        ws = values[plan.sheets.cash_flows]
        assert [ws.cell(3, plan.cash.col(t) + 1).value for t in range(len(r.years))] == list(r.years)
        for key, _ in CASH_FLOW_SECTIONS:
            if key.startswith("paid_back"):
                continue
            got = np.array([[ws.cell(plan.cash.row(key, e) + 1, plan.cash.col(t) + 1).value
                             for t in range(len(r.years))] for e in range(len(r.entities))], dtype=float)
            np.testing.assert_array_equal(got, r.series[key], err_msg=f"{name} {key}")
        summary = values[plan.sheets.summary]
        sector = summary_row(len(r.companies)) + 1
        assert summary.cell(sector, SUMMARY_COLUMNS.index("NPV ($B)") + 1).value == r.sector.npv, name
        assert summary.cell(sector, SUMMARY_COLUMNS.index("Label") + 1).value == r.sector.score.label, name
        assert summary["A5"].value == r.sector.score.composite, name
    # the longer horizon has two more model years than the base
    assert len(compute(book.scenario("Longer horizon, Hyper B out")[0]).years) == len(compute(book.base).years) + 2


def test_alternatives_read_the_base_inputs_and_their_own_overrides(default_export) -> None:  # type: ignore[no-untyped-def]
    book, path, _ = default_export
    formulas, values = load(path), load(path, data_only=True)
    scenarios = values["Scenarios"]
    # Bear's useful life: its Model sheet reads the override's Value cell, which holds 3
    ref = formulas.defined_names["useful_life.bear"].attr_text
    sheet, cell = ref.split("!")
    formula = formulas[sheet.strip("'")][cell.replace("$", "")].value
    source = re.search(r"Scenarios!\$E\$(\d+)", formula)
    assert source, formula
    row = int(source.group(1))
    assert scenarios[f"A{row}"].value == "Bear: 3-year GPUs, half the growth"
    assert scenarios[f"C{row}"].value == "Useful life" and scenarios[f"E{row}"].value == 3
    assert values[sheet.strip("'")][cell.replace("$", "")].value == 3
    # the base reads the Assumptions sheet, and so does an alternative that does not override it
    assert "Assumptions!" in formulas["Model"][cell.replace("$", "")].value
    circular = formulas.defined_names["useful_life.circular"].attr_text.split("!")
    assert "Assumptions!" in formulas[circular[0].strip("'")][circular[1].replace("$", "")].value
    # every alternative's defined names exist, with a dot that keeps them apart from the base's
    names = set(formulas.defined_names)
    for key in ("bear", "circular", "cloud_rates", "filers"):
        assert {f"discount_rate.{key}", f"capital_recovery_factor.{key}", f"deal_amount.{key}",
                f"market_value.{key}"} <= names
    assert "recalculation_check" in names and not any(n.startswith("recalculation_check.") for n in names)


def test_a_market_override_reads_a_copy_of_the_market_sheet(rich_export) -> None:  # type: ignore[no-untyped-def]
    book, path, _ = rich_export
    formulas, values = load(path), load(path, data_only=True)
    assert formulas.defined_names["market_value.deals"].attr_text.startswith("Market!")   # "Deals rewired one"
    market = book.scenario("Market mood: P/E 60, less cash")[0].market
    columns = {}
    for key in ("input", "company", "year", "value"):
        sheet, cells = formulas.defined_names[f"market_{key}.market_mood"].attr_text.split("!")
        assert sheet == "'Model (Market mood)'"
        first, last = (c.replace("$", "") for c in cells.split(":"))
        columns[key] = [c.value for row in values[sheet.strip("'")][f"{first}:{last}"] for c in row]
        texts = [c.value for row in formulas[sheet.strip("'")][f"{first}:{last}"] for c in row]
        assert all(t.startswith("=T(" if key in ("input", "company") else "=N(") for t in texts)
    for key, got in columns.items():     # a blank company is "" (read back as an empty cell)
        assert got == market.column_values(key), key
    assert 60.0 in columns["value"] and 90.0 in columns["value"]     # the overrides, read from the Scenarios sheet
    overridden = [t for row in formulas["Model (Market mood)"].iter_rows() for c in row
                  if isinstance(t := c.value, str) and "Scenarios!" in t]
    assert len(overridden) == 3


# -- the Comparison sheet ----------------------------------------------------------------------------------------

def _comparison_values(path: Path, book: ScenarioBook, comparison: Comparison) -> None:
    lay = layout_of(build_lineup(book, comparison))
    formulas, values = load(path)["Comparison"], load(path, data_only=True)["Comparison"]
    entities = displayed_entities(comparison)
    assert entities[0] == SECTOR and set(entities) == set(comparison.entities())
    checked = 0
    for m, metric in enumerate(METRICS):
        top = lay.block_top(m) + 1
        assert values.cell(top, 1).value == SHOWN[metric.key].title
        for d, entity in enumerate(entities):
            row = lay.row(m, d) + 1
            assert values.cell(row, 1).value == entity
            for k, name in enumerate(comparison.names):
                cell = values.cell(row, lay.value_col(k) + 1)
                expected = comparison.value(name, entity, metric.key)
                nothing = comparison.results[name].entity(entity).payback.nothing_to_pay_back
                if metric.key == "payback_to_life" and nothing:       # nothing to measure: "–", never 0
                    assert cell.value == "–", (metric.key, entity, name)
                elif expected is None and metric.key in PAYBACK_METRICS:   # the one text of every view (issue 12)
                    payback = getattr(comparison.results[name].entity(entity), metric.key)
                    assert cell.value == formatting.years(payback) != NOT_WITHIN_HORIZON, (metric.key, entity)
                elif expected is None or not math.isfinite(expected):
                    assert cell.value == SHOWN[metric.key].missing, (metric.key, entity, name)
                else:
                    assert cell.value == expected, (metric.key, entity, name)
                assert formulas.cell(row, lay.value_col(k) + 1).data_type == "f"
                checked += 1
                if k == 0:
                    continue
                delta = values.cell(row, lay.delta_col(k) + 1).value
                assert formulas.cell(row, lay.delta_col(k) + 1).data_type == "f"
                expected = comparison.difference(name, entity, metric.key)
                if expected is None:
                    assert delta == SAME
                elif expected == math.inf:
                    assert delta == SHOWN[metric.key].lost
                elif expected == -math.inf:
                    assert delta == SHOWN[metric.key].gained
                else:
                    assert delta == expected, (metric.key, entity, name)
                if metric.key == "payback" and isinstance(expected, float) and math.isinf(expected):
                    assert delta == comparison.difference_text(name, entity, metric.key)
    labels = lay.block_top(len(METRICS)) + 1
    for d, entity in enumerate(entities):
        for k, name in enumerate(comparison.names):
            label = comparison.results[name].entity(entity).score.label
            assert values.cell(labels + 1 + d, lay.value_col(k) + 1).value == label
    assert checked == len(METRICS) * len(entities) * len(comparison.names)


@pytest.mark.parametrize("which", ["default_export", "rich_export"])
def test_comparison_values_are_computes(which: str, request: pytest.FixtureRequest) -> None:
    book, path, _ = request.getfixturevalue(which)
    _comparison_values(path, book, compare(book))


def test_comparison_reads_each_scenarios_summary(default_export) -> None:  # type: ignore[no-untyped-def]
    book, path, _ = default_export
    lay = layout_of(build_lineup(book, compare(book)))
    ws = load(path)["Comparison"]
    npv = [m.key for m in METRICS].index("npv")
    row = lay.row(npv, 0) + 1       # the sector
    sector = summary_row(len(book.base.companies)) + 1
    assert ws.cell(row, lay.value_col(0) + 1).value == f"=Summary!$G${sector}"
    assert ws.cell(row, lay.value_col(1) + 1).value == f"='Summary (Bear)'!$G${sector}"
    delta = ws.cell(row, lay.delta_col(1) + 1).value
    assert delta.startswith("=IF(AND(ISNUMBER(C") and "-B" in delta
    glance = [ws.cell(lay.glance_row(k) + 1, 1).value for k in range(5)]
    assert glance == list(book.names)


def test_comparison_chart_overlays_the_scenarios(default_export) -> None:  # type: ignore[no-untyped-def]
    _, path, _ = default_export
    with zipfile.ZipFile(path) as z:
        xml = [z.read(n).decode() for n in sorted(z.namelist()) if n.startswith("xl/charts/chart")]
    scatter = [x for x in xml if "<c:scatterChart>" in x]
    assert len(scatter) == 1
    for sheet in ("'Cash flows'!", "'Cash flows (Bear)'!", "'Cash flows (Circular)'!", "'Cash flows (Cloud rates)'!",
                  "'Cash flows (Filers)'!"):
        assert sheet in scatter[0]
    assert sum("Comparison!$C$" in x and "<c:barChart>" in x for x in xml) == 1


def test_summary_names_the_scenarios_and_points_to_the_comparison(default_export) -> None:  # type: ignore[no-untyped-def]
    book, path, _ = default_export
    ws = load(path)["Summary"]
    line = ws["A3"].value
    for name in book.names[1:]:
        assert name in line
    assert "Comparison" in line and "Summary (Bear)" in line
    assert ws["K3"].hyperlink is not None and ws["K3"].hyperlink.location == "Comparison!A1"
    bear = load(path)["Summary (Bear)"]
    assert "Bear: 3-year GPUs, half the growth" in bear["A2"].value and "36 overrides" in bear["A2"].value
    assert bear["A3"].value == book.alternatives[0].description


# -- the API ---------------------------------------------------------------------------------------------------

def test_results_passed_in_are_reused(tmp_path: Path) -> None:
    book = rich_book()
    comparison = compare(book)
    assert compare_for_export(book, comparison).results == comparison.results
    reused = compare_for_export(book, comparison.results["Base"])
    assert reused.results["Base"] is comparison.results["Base"] and reused.names == comparison.names
    export_results(book, tmp_path / "a.xlsx", comparison)
    export_results(book, tmp_path / "b.xlsx")
    a, b = load(tmp_path / "a.xlsx", data_only=True), load(tmp_path / "b.xlsx", data_only=True)
    for name in ("Comparison", "Summary (Market mood)"):
        assert [[c.value for c in r] for r in a[name].iter_rows(min_row=3)] == \
               [[c.value for c in r] for r in b[name].iter_rows(min_row=3)]


def test_an_alternative_with_errors_is_refused_by_name_and_nothing_is_written(tmp_path: Path) -> None:
    base = rich_scenario()
    broken = Alternative("Broken", "", (Override("Revenue", ("Hyper A",), "base_revenue", None),))
    with pytest.raises(TemplateError, match="Broken"):
        export_results(ScenarioBook(base, (broken,)), tmp_path / "x.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_hostile_scenario_names_are_text_and_sheet_names_stay_valid(tmp_path: Path) -> None:
    base = rich_scenario()
    names = ('=HYPERLINK("http://evil.example","x")', "'; DROP", "a/b\\c", "Summary", "x" * 80, "+1", "=1+2")
    book = ScenarioBook(base, tuple(Alternative(n, n, (Override("Assumptions", ("Useful life",), "value",
                                                                 float(3 + i)),)) for i, n in enumerate(names)))
    path = tmp_path / "hostile.xlsx"
    summary = export_results(book, path)
    assert len(set(s.casefold() for s in summary.sheets)) == len(summary.sheets)
    assert all(len(s) <= MAX_SHEET_NAME and not re.search(r"[\[\]:*?/\\]", s) for s in summary.sheets)
    wb = load(path)
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.value in names:
                    assert c.data_type == "s", (ws.title, c.coordinate)
                if c.data_type == "f":      # a scenario's name reaches formulas only inside a quoted sheet name
                    text = str(c.value)
                    assert not any(n in text for n in names if len(n) > 4 and not n.isalnum()), (ws.title, c.coordinate)
                    for ref in re.findall(r"'([^']*)'!", text):
                        assert ref in summary.sheets, (ws.title, c.coordinate, ref)
    assert {"Summary (HYPERLINK)", "Summary (DROP)", "Summary (a b c)", "Summary (Summary)", "Summary (1)",
            "Summary (1+2)", "Summary (xxxxxxxxxxxx)"} <= set(summary.sheets)
    back = read_book(path)
    assert back.alternatives == book.alternatives
    _comparison_values(path, book, compare(book))


def test_plan_names_and_labels_of_the_default_book() -> None:
    plans = plans_of(default_book())
    assert [p.suffix for p in plans] == ["", "Bear", "Circular", "Cloud rates", "Filers"]
    assert [p.name("discount_rate") for p in plans] == [
        "discount_rate", "discount_rate.bear", "discount_rate.circular", "discount_rate.cloud_rates",
        "discount_rate.filers"]
    base = Plan.build(gather(default_book().base, compute(default_book().base)))
    assert base.input_cell("Capex", 0, "2025") == plans[1].input_cell("Capex", 0, "2025")


def test_command_line_exports_every_scenario(tmp_path: Path) -> None:
    from model.cli import run
    from model.io.template_writer import write_template

    template, out = tmp_path / "t.xlsx", tmp_path / "results.xlsx"
    write_template(default_book(), template)
    assert run(["export", str(template), "-o", str(out)]) == 0
    assert "Comparison" in load_workbook(out).sheetnames
    assert read_book(out).alternatives == default_book().alternatives


def test_comparison_gives_the_score_trajectories_and_their_chart(default_export) -> None:  # type: ignore[no-untyped-def]
    """Issue 12, point 4: the exported comparison carries the score of every year per entity and scenario (what
    compute gives: score_by_year) and a chart of the sector's, one line per scenario on the three bands."""
    book, path, _ = default_export
    comparison = compare(book)
    lay = layout_of(build_lineup(book, comparison))
    ws = load(path, data_only=True)["Comparison"]
    years = comparison.base.years
    assert [ws.cell(lay.trajectory_top + 1, 2 + t).value for t in range(len(years))] == list(years)
    for d, entity in enumerate(displayed_entities(comparison)):
        for k, name in enumerate(comparison.names):
            row = lay.trajectory_row(d, k) + 1
            assert ws.cell(row, 1).value.startswith(f"{entity} · ")
            by_year = comparison.results[name].entity(entity).score_by_year
            got = [ws.cell(row, 2 + t).value for t in range(len(years))]
            assert got == [("–" if by_year[y] is None else pytest.approx(by_year[y], abs=1e-9)) for y in years]
    bear = [ws.cell(lay.trajectory_row(0, 1) + 1, 2 + t).value for t in range(len(years))]
    base = [ws.cell(lay.trajectory_row(0, 0) + 1, 2 + t).value for t in range(len(years))]
    assert bear[years.index(2026):] != base[years.index(2026):]       # a 2026+ scenario moves those years
    boom, bubble = comparison.base.assumptions["Boom score"], comparison.base.assumptions["Bubble score"]
    widths = [ws.cell(lay.bands_top + 1 + b, 2).value for b in range(3)]
    assert widths == [boom, bubble - boom, 100 - bubble]
    with zipfile.ZipFile(path) as z:
        xml = [z.read(n).decode() for n in sorted(z.namelist()) if n.startswith("xl/charts/chart")]
    combined = [x for x in xml if "<c:areaChart>" in x and "<c:lineChart>" in x]
    assert len(combined) == 1 and combined[0].count("<c:ser>") == 3 + len(comparison.names)
