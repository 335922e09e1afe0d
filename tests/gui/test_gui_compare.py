"""The compare view: the model's comparison on screen, updated in place, computed only when seen, off the GUI thread
when slow, and readable in a window of 1440×900 and in the right-hand side of one of 1280×720."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication

from gui.compare.table import CELL_LEFT, CELL_RIGHT, DIRECTION_ROLE, _shown_diff, wrap_lines
from gui.compare.view import CompareView, render_compare_png
from model.core import formatting
from model.core.compare import METRICS, compare
from model.core.overrides import BASE, Alternative, Override, ScenarioBook, row_key
from model.core.results import SECTOR
from model.defaults.alternatives import default_book
from tests.sample_scenarios import sample_scenario

BEAR = "Bear: 3-year GPUs, half the growth"
UNWIND = "Circular deals unwind"
CLOUD = "Cloud rates hold"
FILERS = "Filers' 6-year servers"


@pytest.fixture(scope="module")
def book() -> ScenarioBook:
    return default_book()


@pytest.fixture
def view(qtbot):
    widget = CompareView()
    qtbot.addWidget(widget)
    widget.resize(1440, 900)
    yield widget
    widget.wait_idle()


def shown(qtbot, view: CompareView, book: ScenarioBook) -> CompareView:
    view.show()
    qtbot.waitExposed(view)
    with qtbot.waitSignal(view.compared, timeout=20_000):
        view.show_book(book)
    view.wait_idle()
    return view


def edited(book: ScenarioBook, value: float) -> ScenarioBook:
    return book.with_base(book.base.with_cell("Capex", 0, "2026", value))


def assert_shows(view: CompareView, book: ScenarioBook, names: tuple[str, ...]) -> None:
    """Every cell of the table is the model's text and difference; the columns are the scenarios in order."""
    expected = compare(book, names)
    assert view.comparison is not None and view.comparison.names == expected.names
    assert view.table.names == expected.names
    assert view.table.header_texts() == expected.names
    for entity in expected.entities():
        for metric in METRICS:
            for name in expected.names:
                assert view.cell_text(entity, metric.key, name) == (
                    expected.text(name, entity, metric.key), expected.difference_text(name, entity, metric.key)), \
                    (entity, metric.key, name)


# -- the numbers ----------------------------------------------------------------------------------------------------

def test_the_table_shows_the_models_comparison_of_every_entity_measure_and_scenario(qtbot, view, book):
    shown(qtbot, view, book)
    assert_shows(view, book, book.names)
    # Better and worse read the right way: a lower NPV and a higher score are worse, a higher coverage better.
    table = view.table
    direction = {}
    for entity, metric, name in ((SECTOR, "npv", BEAR), (SECTOR, "score", BEAR), (SECTOR, "coverage", FILERS),
                                 (SECTOR, "score", FILERS), ("Oracle", "payback", BEAR), (SECTOR, "npv", FILERS)):
        item = table.items.item(table.row_of((entity, metric)), 1 + table.names.index(name))
        direction[(entity, metric, name)] = item.data(DIRECTION_ROLE)
    assert direction == {(SECTOR, "npv", BEAR): -1, (SECTOR, "score", BEAR): -1, (SECTOR, "coverage", FILERS): 1,
                         (SECTOR, "score", FILERS): 1, ("Oracle", "payback", BEAR): 0, (SECTOR, "npv", FILERS): 0}
    # Oracle pays back in neither: the difference is how much deeper its shortfall at 2035 is (the model's text)
    assert view.cell_text("Oracle", "payback", BEAR)[1] == compare(book, [BEAR]).difference_text(BEAR, "Oracle", "payback")
    assert view.cell_text("Oracle", "payback", BEAR)[1].endswith("at 2035")
    # The tooltip: the scenario's description and the numbers against the base.
    tip = table.items.item(table.row_of((SECTOR, "npv")), 1 + table.names.index(BEAR)).toolTip()
    assert book.alternative(BEAR).description in tip
    # The model's numbers (tests/test_like_for_like.py and test_compare.py check them): the tooltip shows the Bear's
    # NPV, the base's and their difference as the comparison gives them.
    expected = compare(book, [BEAR])
    now, then = (expected.value(n, SECTOR, "npv") for n in (BEAR, BASE))
    assert formatting.money(now) in tip and formatting.money(then) in tip
    assert formatting.money(now - then).lstrip("−") in tip      # the difference as its sign and amount


def test_the_score_breakdown_is_each_scenarios_score(qtbot, view, book):
    shown(qtbot, view, book)
    for entity in (SECTOR, "Oracle"):
        view.set_entity(entity)
        comparison = compare(book, book.names)
        base = comparison.base.entity(entity).score
        assert view.breakdown_title.text().startswith(f"Bubble score breakdown · {entity}")
        for name in comparison.names:
            score = comparison.results[name].entity(entity).score
            for ind, base_ind in zip(score.indicators, base.indicators, strict=True):
                text = formatting.points(ind.contribution) if ind.available else "no data"
                diff = "" if name == BASE else expected_difference(ind, base_ind)
                assert view.breakdown_text(ind.name, name) == (text, diff), (entity, name, ind.name)
            assert view.breakdown_text("composite", name) == (comparison.text(name, entity, "score"),
                                                              comparison.difference_text(name, entity, "score"))
            assert view.breakdown_text("reading", name)[0] == score.label
        # The composite's points add up from the rows' (as the model's contributions do).
        assert sum(i.contribution for i in base.indicators) == pytest.approx(base.composite)
    bear = compare(book, book.names).results[BEAR].entity("Oracle").score
    assert view.breakdown_text("Revenue coverage", BEAR)[1].startswith("+")
    assert bear.indicator("Revenue coverage").contribution > \
        compare(book, book.names).base.entity("Oracle").score.indicator("Revenue coverage").contribution


def expected_difference(ind, base_ind) -> str:
    """The breakdown's rule, written out: points moved when both are scored, else which side lost its data."""
    if ind.available and base_ind.available:
        return formatting.points_change(ind.contribution - base_ind.contribution)
    if ind.available != base_ind.available:
        return "now scored" if ind.available else "no data now"
    return "="


def test_the_score_chart_draws_each_scenarios_trajectory_on_the_bands(qtbot, view, book):
    """Point 4 of issue 12: the compare view shows the score of every year per scenario. The lines are each
    scenario's composite by year (a year with no data a gap), the bands the base's Boom / Bubble cut-offs, and
    Bear (half the growth from 2026) lies above the base from 2026 on, as its own compute says."""
    shown(qtbot, view, book)
    comparison = compare(book, book.names)
    for entity in (SECTOR, "Microsoft"):
        view.set_entity(entity)
        for name in comparison.names:
            by_year = comparison.results[name].entity(entity).score_by_year
            curve = view.curves(name)["score"]
            assert list(curve.xData) == [float(y) for y in by_year]
            np.testing.assert_allclose(curve.yData, [np.nan if v is None else v for v in by_year.values()])
        first = comparison.results[BASE].entity(entity).first_year_labelled("Bubble")
        assert "first Bubble year" in view.score.title and str(first or "never") in view.score.title
    boom, bubble = (comparison.base.assumptions[n] for n in ("Boom score", "Bubble score"))
    assert [tuple(r.getRegion()) for r in view.score.band_items] == [(0.0, boom), (boom, bubble), (bubble, 100.0)]
    assert [t.toPlainText().split()[0] for t in view.score.band_labels] == ["Healthy", "Boom", "Bubble"]
    view.set_entity(SECTOR)
    base = view.curves(BASE)["score"].yData
    bear = view.curves(BEAR)["score"].yData
    years = list(view.curves(BASE)["score"].xData)
    later = years.index(2026.0)
    assert np.all(bear[later:] > base[later:])        # half the growth from 2026 scores worse in every later year
    readout = view.score.readout(2030)
    assert BEAR in readout and formatting.score(comparison.results[BEAR].sector.score_by_year[2030]) in readout


def test_the_overlay_curves_are_each_scenarios_series(qtbot, view, book):
    shown(qtbot, view, book)
    comparison = compare(book, book.names)
    for entity in (SECTOR, "Oracle"):
        view.set_entity(entity)
        for name in comparison.names:
            results = comparison.results[name]
            curves = view.curves(name)
            assert set(curves) == {"cumulative_cash_flow", "revenue", "required_revenue", "score"}
            for measure, curve in curves.items():
                np.testing.assert_array_equal(curve.xData, np.asarray(results.years, dtype=float))
                np.testing.assert_array_equal(curve.yData, results.series_of(entity, measure))
        assert entity.replace(SECTOR, "Sector") in view.cash_flow.title and entity in view.revenue.title
    pens = {name: view.curves(name)["cumulative_cash_flow"].opts["pen"] for name in comparison.names}
    assert pens[BASE].widthF() > max(p.widthF() for n, p in pens.items() if n != BASE)       # the base thick
    colors = {name: pen.color().name() for name, pen in pens.items()}
    assert len(set(colors.values())) == len(colors)                                          # distinct
    for name in comparison.names:
        revenue, required = view.curves(name)["revenue"].opts["pen"], view.curves(name)["required_revenue"].opts["pen"]
        assert revenue.color().name() == required.color().name() == colors[name]              # one colour each
        if name in view.revenue.identical:     # its lines lie on another scenario's: dotted, named in the title
            assert revenue.style() == required.style() == Qt.PenStyle.DotLine and name in view.revenue.title
        else:
            assert revenue.style() == Qt.PenStyle.SolidLine and required.style() == Qt.PenStyle.DashLine
        column = 1 + view.table.names.index(name)
        assert view.table.header.colors[column].name() == colors[name]                         # the header's too
        assert view.breakdown.header.colors[column].name() == colors[name]
    for chart, unit in ((view.cash_flow, "$B"), (view.revenue, "$B")):
        plot = chart.getPlotItem()
        assert unit in plot.getAxis("left").labelText and plot.getAxis("bottom").labelText == "Year"
    readout = view.cash_flow.readout(2030)
    value = comparison.results[BEAR].value("Oracle", "cumulative_cash_flow", 2030)
    assert BEAR in readout and formatting.money(value) in readout
    readout = view.revenue.readout(2030)
    assert all(name in readout for name in comparison.names)
    assert formatting.money(comparison.results[CLOUD].value("Oracle", "required_revenue", 2030)) in readout


# -- choosing scenarios -------------------------------------------------------------------------------------------

def test_unchecking_a_scenario_removes_its_column_and_curves(qtbot, view, book):
    shown(qtbot, view, book)
    curves = dict(view.cash_flow.curves)
    with qtbot.waitSignal(view.compared):
        view.boxes[UNWIND].setChecked(False)
    names = tuple(n for n in book.names if n != UNWIND)
    assert_shows(view, book, names)
    assert UNWIND not in view.cash_flow.curves and UNWIND not in view.revenue.revenue_curves
    assert UNWIND not in view.revenue.required_curves and UNWIND not in view.breakdown.names
    assert UNWIND not in view.legend.text()
    assert all(view.cash_flow.curves[n] is curves[n] for n in names)        # the others stay as they were
    # The base cannot be unticked: its box is disabled and set_checked ignores it.
    assert view.boxes[BASE].isChecked() and not view.boxes[BASE].isEnabled()
    view.set_checked(BASE, False)
    assert view.chosen_names()[0] == BASE and view.comparison.names[0] == BASE
    with qtbot.waitSignal(view.compared, timeout=20_000):
        view.boxes[UNWIND].setChecked(True)
    view.wait_idle()
    assert_shows(view, book, book.names)
    assert UNWIND in view.cash_flow.curves


def test_choices_survive_edits_renames_deletions_and_new_scenarios(qtbot, view, book):
    shown(qtbot, view, book)
    view.set_checked(CLOUD, False)
    color = view.color_of(FILERS).name()
    book = edited(book, 999.0)
    with qtbot.waitSignal(view.compared, timeout=20_000):
        view.show_book(book)
    view.wait_idle()
    assert CLOUD not in view.comparison.names and not view.boxes[CLOUD].isChecked()
    renamed = book.renamed(CLOUD, "Cloud holds")                    # a rename keeps the choice and the colour
    cloud_color = view.color_of(CLOUD).name()
    with qtbot.waitSignal(view.compared, timeout=20_000):
        view.show_book(renamed)
    view.wait_idle()
    assert "Cloud holds" in view.boxes and not view.boxes["Cloud holds"].isChecked()
    assert view.color_of("Cloud holds").name() == cloud_color and CLOUD not in view.boxes
    fewer = renamed.without_alternative(BEAR)
    with qtbot.waitSignal(view.compared, timeout=20_000):
        view.show_book(fewer)
    view.wait_idle()
    assert BEAR not in view.boxes and BEAR not in view.comparison.names and BEAR not in view.cash_flow.curves
    assert view.color_of(FILERS).name() == color                      # the others keep their colours
    more = fewer.with_alternative(Alternative("Sixty", "a sixty in 2026",
                                              (Override("Capex", ("Amazon",), "2026", 60.0),)))
    with qtbot.waitSignal(view.compared, timeout=20_000):
        view.show_book(more)
    view.wait_idle()
    assert view.boxes["Sixty"].isChecked()
    assert_shows(view, more, (BASE, UNWIND, FILERS, "Sixty"))
    assert view.color_of("Sixty").name() not in {view.color_of(n).name() for n in (BASE, UNWIND, FILERS)}


def test_a_book_edit_updates_the_view_in_place(qtbot, view, book):
    shown(qtbot, view, book)
    curves = {n: dict(view.curves(n)) for n in book.names}
    items = [view.table.items.item(r, c) for r in range(view.table.items.rowCount())
             for c in range(view.table.items.columnCount())]
    count = view.cash_flow.update_count
    changed = edited(book, 999.0)
    with qtbot.waitSignal(view.compared, timeout=20_000):
        view.show_book(changed)
    view.wait_idle()
    assert_shows(view, changed, changed.names)
    assert view.cell_text("Amazon", "npv", BASE) != compare(book, [BASE]).text(BASE, "Amazon", "npv")
    assert view.cash_flow.update_count > count
    for name in book.names:
        assert all(view.curves(name)[k] is curve for k, curve in curves[name].items())
    assert all(a is b for a, b in zip(items, [view.table.items.item(r, c) for r in range(view.table.items.rowCount())
                                               for c in range(view.table.items.columnCount())], strict=True))
    np.testing.assert_array_equal(view.curves(BASE)["cumulative_cash_flow"].yData,
                                  compare(changed, [BASE]).base.series_of(SECTOR, "cumulative_cash_flow"))


def test_a_hidden_view_compares_only_when_shown(qtbot, view, book):
    view.show_book(book)
    assert view.runner.generation == 0 and view.comparison is None
    view.show()
    qtbot.waitUntil(lambda: view.comparison is not None, timeout=20_000)
    view.wait_idle()
    assert_shows(view, book, book.names)
    generation = view.runner.generation
    view.hide()
    changed = edited(book, 999.0)
    view.show_book(changed)
    view.set_checked(BEAR, False)
    assert view.runner.generation == generation                # nothing computed while hidden
    with qtbot.waitSignal(view.compared, timeout=20_000):
        view.show()
    view.wait_idle()
    assert_shows(view, changed, tuple(n for n in changed.names if n != BEAR))


def test_slow_comparisons_run_in_a_worker_and_stale_ones_are_dropped(qtbot, book):
    view = CompareView(budget_ms=-1.0)        # as if every comparison took longer than a frame
    qtbot.addWidget(view)
    view.resize(1280, 720)
    view.show()
    qtbot.waitExposed(view)
    shown_ = []
    view.compared.connect(shown_.append)
    versions = [edited(book, v) for v in (500.0, 600.0, 700.0)]
    with qtbot.waitSignal(view.busyChanged) as busy:
        for version in versions:
            view.show_book(version)
    assert busy.args == [True]
    assert view.wait_idle()
    assert len(shown_) == 1 and shown_[0] is view.comparison
    assert view.last_outcome is not None and view.last_outcome.in_worker
    assert view.last_outcome.generation == view.runner.generation == 3
    assert view.runner.stale_dropped == 1          # the first comparison; 600 was replaced before it started
    assert_shows(view, versions[-1], versions[-1].names)
    np.testing.assert_array_equal(view.curves(BEAR)["revenue"].yData,
                                  compare(versions[-1], [BEAR]).results[BEAR].series_of(SECTOR, "revenue"))


def test_a_scenario_hint_sends_the_first_comparison_to_a_worker(qtbot, book):
    view = CompareView()
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.show_book(book, scenario_ms=50.0)          # the document's compute took 50 ms: 5 scenarios ≈ 250 ms
    assert view.runner.busy and view.comparison is None
    assert view.wait_idle()
    assert view.last_outcome.in_worker
    assert_shows(view, book, book.names)


# -- problems -----------------------------------------------------------------------------------------------------

def test_dangling_overrides_are_shown_as_a_warning(qtbot, view):
    base = sample_scenario()
    stale = Alternative("Stale", "overrides a company that is gone", (Override("Capex", ("Nobody",), "2026", 1.0),
                                                                      Override("Capex", ("Amazon",), "2026", 90.0)))
    book = ScenarioBook(base, (stale, Alternative("Fine", "", (Override("Capex", ("Meta",), "2026", 80.0),))))
    shown(qtbot, view, book)
    assert view.problems_label.isVisibleTo(view)
    text = view.problems_text()
    assert "Stale" in text and "Nobody" in text and "1 override" in text and "Fine" not in text
    assert view.comparison.problems["Stale"] and "Nobody" in view.problems_label.toolTip()
    assert "Stale" in view.table.names                          # still compared, on the overrides that fit
    with qtbot.waitSignal(view.compared):
        view.set_checked("Stale", False)
    assert not view.problems_label.isVisibleTo(view) and view.problems_text() == ""


def test_a_scenario_that_cannot_be_computed_is_left_out_and_said_why(qtbot, view):
    base = sample_scenario()
    key = row_key(base.investments, 0)                           # Microsoft invests in OpenAI
    broken = Alternative("Self-dealing", "", (Override("Investments", key, "investee", "Microsoft"),))
    fine = Alternative("Fine", "", (Override("Capex", ("Meta",), "2026", 80.0),))
    book = ScenarioBook(base, (broken, fine))
    shown(qtbot, view, book)
    assert view.comparison.names == (BASE, "Fine")
    assert_shows(view, book, (BASE, "Fine"))
    text = view.problems_text()
    assert "Self-dealing" in text and "cannot be computed" in text and "invest in itself" in text
    broken_base = book.with_base(base.with_cell("Investments", 0, "investee", "Microsoft"))
    with qtbot.waitSignal(view.compared, raising=False, timeout=500) as blocker:
        view.show_book(broken_base)
    view.wait_idle()
    assert not blocker.signal_triggered and view.comparison is None     # nothing to compare against
    assert view.table.items.rowCount() == 0 and not view.cash_flow.curves
    assert "Base" in view.problems_text() and "cannot be computed" in view.problems_text()


# -- the entity --------------------------------------------------------------------------------------------------------

def test_the_entity_follows_the_window_and_the_chooser_tells_it(qtbot, view, book):
    shown(qtbot, view, book)
    told = []
    view.entityChosen.connect(told.append)
    view.set_entity("Oracle")                                         # from the window: not echoed back
    assert told == [] and view.entity_box.currentText() == "Oracle" and view.cash_flow.entity == "Oracle"
    assert view.table.highlight == "Oracle"
    view.set_entity("")
    assert view.entity == SECTOR and view.entity_box.currentText() == "Sector" and view.revenue.entity == SECTOR
    view.entity_box.setCurrentIndex(view.entity_box.findText("Meta"))  # the analyst picks one
    assert told == ["Meta"] and view.breakdown_title.text().startswith("Bubble score breakdown · Meta")
    table = view.table
    row = table.row_of(("Alphabet", "npv"))
    table.scrollTo(table.items.index(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualRect(table.items.index(row, 1)).center())
    assert told == ["Meta", "Alphabet"] and view.entity == "Alphabet"
    view.set_entity(SECTOR)
    assert told[-1] == "Alphabet" and view.entity == SECTOR
    view.set_entity("No such company")                                # e.g. a selection the book no longer has
    assert view.entity == SECTOR


# -- readable -------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("size", "wide"), [((1440, 900), True), ((1280, 720), False), ((930, 780), False),
                                            ((820, 640), False)])
def test_no_text_is_clipped_at_the_windows_sizes(qtbot, book, size, wide):
    """1440×900 and 1280×720 whole windows; 930 and 820 wide: the window's right-hand side at those sizes."""
    view = CompareView()
    qtbot.addWidget(view)
    view.resize(*size)
    shown(qtbot, view, book)
    QApplication.processEvents()
    assert view.wide is wide
    # wide: the breakdown beside the table; narrow: a tab below (and the score by year a tab when three charts do
    # not fit in a row, with the scenarios' legend of its own)
    assert (view.lower_tabs.indexOf(view.breakdown_box) >= 0) is not wide
    assert (view.lower_tabs.indexOf(view.score_box) >= 0) is (size[0] < 1700)
    assert view.score_legend.isVisibleTo(view.score_box) is (size[0] < 1700)
    for table in (view.table, view.breakdown):
        if not wide and table is view.breakdown:
            view.lower_tabs.setCurrentIndex(view.lower_tabs.indexOf(view.breakdown_box))
            QApplication.processEvents()
        assert table.horizontalScrollBar().maximum() == 0, "the columns fit the table"
        fm, header_fm = table.fontMetrics(), table.header.fontMetrics()
        for c in range(1, table.items.columnCount()):
            width = table.columnWidth(c)
            header = table.items.horizontalHeaderItem(c).text()
            assert all(header_fm.horizontalAdvance(line) <= width - 8 for line in header.split("\n")), header
            assert table.header.sectionSizeFromContents(c).height() <= table.header.height()
            inner = width - CELL_LEFT - CELL_RIGHT
            for r, row in enumerate(table.rows):
                if row.group:
                    continue
                cell = row.cells[table.names[c - 1]]
                if table.delegate.one_line:
                    slot = table.delegate.slots[c]
                    assert fm.horizontalAdvance(cell.text) + (slot + 10 if slot else 0) <= inner, cell
                    continue
                lines = wrap_lines(cell.text, fm, inner) + wrap_lines(_shown_diff(cell.diff), fm, inner)
                assert all(fm.horizontalAdvance(line) <= inner for line in lines), cell
                assert table.rowHeight(r) >= len(lines) * fm.height(), cell
        labels = [r.label for r in table.rows if not r.group]
        assert max(fm.horizontalAdvance(label) for label in labels) <= table.columnWidth(0) - CELL_LEFT - CELL_RIGHT
    for chart in (view.cash_flow, view.revenue):
        assert chart.getPlotItem().geometry().width() <= chart.width() + 0.5, "the title fits the chart"
        assert chart.width() >= 300 and chart.height() >= 200


def test_the_view_follows_a_dark_palette(qtbot, view, book):
    shown(qtbot, view, book)
    light = view.color_of(BASE)
    palette = QPalette(view.palette())
    for role, color in ((QPalette.ColorRole.Window, "#202124"), (QPalette.ColorRole.Base, "#17181a"),
                        (QPalette.ColorRole.Text, "#e8eaed"), (QPalette.ColorRole.WindowText, "#e8eaed")):
        palette.setColor(role, QColor(color))
    view.setPalette(palette)
    QApplication.processEvents()
    dark = view.color_of(BASE)
    assert dark.lightness() > 128 > light.lightness()                 # the base's line reads on a dark background
    assert view.curves(BASE)["cumulative_cash_flow"].opts["pen"].color().name() == dark.name()


def test_render_compare_png_writes_a_picture_of_the_size(tmp_path):
    path = tmp_path / "compare.png"
    book = ScenarioBook(sample_scenario(), (Alternative("Fine", "", (Override("Capex", ("Meta",), "2026", 80.0),)),))
    assert render_compare_png(book, str(path), (1280, 720)) == str(path)
    image = QImage(str(path))
    assert (image.width(), image.height()) == (1280, 720)


def test_an_indicator_that_loses_its_data_in_a_scenario_says_so(qtbot, view, book):
    """Oracle builds nothing in 'No Oracle build': Payback vs life has no data there (nothing invested), so its
    breakdown cell reads 'no data' and the difference says the data went, not a number of points."""
    row = book.base.capex.column_values("company").index("Oracle")
    key = row_key(book.base.capex, row)
    alt = Alternative("No Oracle build", "Oracle's capex set to zero")
    for year in book.base.capex.years:
        alt = alt.with_override(Override("Capex", key, str(year), 0.0))
    gone = book.with_alternative(alt)
    expected = compare(gone, (BASE, "No Oracle build")).results["No Oracle build"].entity("Oracle").score
    assert not expected.indicator("Payback vs life").available            # the premise
    shown(qtbot, view, gone)
    view.set_entity("Oracle")
    assert view.breakdown_text("Payback vs life", "No Oracle build") == ("no data", "no data now")
    assert view.breakdown_text("Payback vs life", BASE)[1] == ""


def test_the_first_bubble_year_and_the_trajectory_per_scenario(qtbot, view, book):
    """The sector first reads Bubble in 2026 in the base and in the Bear (scores 65.2 and 71.1 in 2026, both
    Bubble by three red gauges or more); the cell's tooltip holds every year's score."""
    shown(qtbot, view, book)
    assert view.cell_text(SECTOR, "first_bubble_year", BASE) == ("2026", "")
    assert view.cell_text(SECTOR, "first_bubble_year", BEAR) == ("2026", "=")
    table = view.table
    tip = table.items.item(table.row_of((SECTOR, "first_bubble_year")), 1 + table.names.index(BEAR)).toolTip()
    bear = compare(book, [BEAR]).results[BEAR].sector
    assert formatting.trajectory(bear).replace("●", "") in tip.replace("●", "")
    assert "2026 71●" in tip
