"""The export's Simulation sheet (and, when asked, Simulation samples): the simulation's figures as values with
native charts — fan charts of the percentiles, the payback-year histogram and CDF, the contribution-to-variance
tornado. Values, not per-path formulas: the paths are not in the workbook (the samples sheet holds the draws, an
audit trail that reproduces the run with the seed shown)."""

from __future__ import annotations

import math
from typing import Any

from model.core.schema import SIMULATION_SHEETS
from model.export.book import Book, Sheet
from model.export.summary import style_chart
from model.simulate.evaluate import HEADLINE, YEARLY
from model.simulate.run import ScenarioSimulation, Simulation
from model.simulate.summary import PERCENTILES

SIMULATION, SAMPLES = SIMULATION_SHEETS
CHART_W, CHART_H = 560, 300
_FORMATS = {"$B": "#,##0;-#,##0", "%": "0.0%", "score": "0.0", "year": "0.0"}
_CHART_ROWS = CHART_H // 20 + 2


def _put(sheet: Sheet, row: int, col: int, value: float, unit: str) -> None:
    book = sheet.book
    if math.isnan(value):
        sheet.text(row, col, "–", book.fmt("num"))
    elif math.isinf(value):
        sheet.text(row, col, "never" if unit == "year" else ("∞" if value > 0 else "-∞"), book.fmt("num"))
    else:
        sheet.number(row, col, value, book.fmt("num", _FORMATS.get(unit, "#,##0.00")))


def write_simulation(book: Book, sim: Simulation) -> None:
    sheet = book.add_sheet(SIMULATION)
    ws = sheet.ws
    sheet.text(0, 0, "Simulation: the Uncertainty sheet's ranges, drawn together", book.fmt("title"), width=False)
    sheet.text(1, 0, f"{sim.paths:,} paths, seed {sim.seed}: Latin hypercube (scipy.stats.qmc) with Iman–Conover "
                     f"rank correlations{' (repaired to the nearest valid matrix, Higham)' if sim.repaired else ''}"
                     f"; one sample for every scenario; run {sim.where}. Percentiles are empirical (a value some "
                     "path had); ± is one standard error. python main.py simulate FILE --paths "
                     f"{sim.paths} --seed {sim.seed} reproduces it.", book.fmt("subtitle"), width=False)
    for j, w in enumerate((50, 11, 11, 11, 11, 11, 11, 11, 11, 11)):
        sheet.set_width(j, w)
    row = 3
    for s in sim.scenarios:
        row = _scenario_block(book, sheet, sim, s, row)
    row = _inputs(book, sheet, sim, row)
    ws.freeze_panes(3, 0)
    if sim.draws is not None:
        _samples(book, sim)


def _section(book: Book, sheet: Sheet, row: int, text: str) -> int:
    sheet.text(row, 0, text, book.fmt("section"), width=False)
    for j in range(1, 10):
        sheet.ws.write_blank(row, j, None, book.fmt("section"))
    return row + 1


def _scenario_block(book: Book, sheet: Sheet, sim: Simulation, s: ScenarioSimulation, row: int) -> int:
    row = _section(book, sheet, row, f"Scenario {s.name}: headline figures")
    sheet.header(row, 0, ["Figure", "Unit", "As entered", "P5", "P50", "± s.e.", "P95", "Mean", "± s.e."])
    row += 1
    for h in s.headlines:
        sheet.text(row, 0, h.label, book.fmt("label"), width=False)
        sheet.text(row, 1, h.unit)
        for j, v in enumerate((h.deterministic, h.p5, h.p50, h.se_p50, h.p95, h.mean, h.se_mean), start=2):
            _put(sheet, row, j, v, h.unit if j != 5 and j != 8 or h.unit != "year" else "")
        row += 1
    row += 1
    sheet.header(row, 0, ["Probability", "", "", "", "P", "± s.e."])
    row += 1
    for p in s.probabilities:
        sheet.text(row, 0, p.label, width=False)
        _put(sheet, row, 4, p.p, "%")
        _put(sheet, row, 5, p.se, "%")
        row += 1
    row += 1
    for key, (label, unit) in YEARLY.items():
        row = _fan(book, sheet, s, key, label, unit, row)
    row = _score(book, sheet, s, row)
    row = _payback(book, sheet, s, row)
    for key in ("final_cumulative_cash_flow", "score"):
        row = _tornado(book, sheet, sim, s, key, row)
    return row


def _fan(book: Book, sheet: Sheet, s: ScenarioSimulation, key: str, label: str, unit: str, row: int) -> int:
    row = _section(book, sheet, row, f"{s.name}: {label} by year [{unit}]")
    sheet.header(row, 0, ["Year", *(f"P{q}" for q in PERCENTILES), "As entered"])
    top = row + 1
    for t, year in enumerate(s.years):
        sheet.number(top + t, 0, year, book.fmt("label", "0"))
        for j, q in enumerate(PERCENTILES, start=1):
            _put(sheet, top + t, j, s.fans[key][f"P{q}"][t], unit)
        _put(sheet, top + t, len(PERCENTILES) + 1, s.deterministic_fans[key][t], unit)
    bottom = top + len(s.years) - 1
    chart = book.workbook.add_chart({"type": "line"})
    styles = {5: ("#9DC3E6", "dash", 1.25), 25: ("#2E75B6", "solid", 1.5), 50: ("#1F3864", "solid", 2.5),
              75: ("#2E75B6", "solid", 1.5), 95: ("#9DC3E6", "dash", 1.25)}
    for j, q in enumerate(PERCENTILES, start=1):
        colour, dash, width = styles[q]
        chart.add_series({"name": [sheet.name, row, j], "categories": [sheet.name, top, 0, bottom, 0],
                          "values": [sheet.name, top, j, bottom, j],
                          "line": {"color": colour, "dash_type": dash, "width": width}})
    det = len(PERCENTILES) + 1
    chart.add_series({"name": [sheet.name, row, det], "categories": [sheet.name, top, 0, bottom, 0],
                      "values": [sheet.name, top, det, bottom, det],
                      "line": {"color": "#C00000", "dash_type": "round_dot", "width": 1.5}})
    style_chart(chart, f"{label}: P5-P95 fan", unit if unit != "%" else "")
    if unit == "%":
        chart.set_y_axis({"num_format": "0%", "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    chart.set_x_axis({"num_font": {"rotation": -45}, "label_position": "low"})
    sheet.ws.insert_chart(top, 8, chart, {"x_scale": CHART_W / 480, "y_scale": CHART_H / 288})
    book.charts += 1
    return max(bottom + 2, top + _CHART_ROWS)


def _score(book: Book, sheet: Sheet, s: ScenarioSimulation, row: int) -> int:
    row = _section(book, sheet, row, f"{s.name}: sector bubble score by year")
    sheet.header(row, 0, ["Year", *(f"P{q}" for q in PERCENTILES), "As entered", "P(Bubble)", "± s.e."])
    for t, year in enumerate(s.score_years):
        r = row + 1 + t
        sheet.number(r, 0, year, book.fmt("label", "0"))
        for j, q in enumerate(PERCENTILES, start=1):
            _put(sheet, r, j, s.score_fan[f"P{q}"][t], "score")
        _put(sheet, r, 6, s.deterministic_fans["score"][t], "score")
        _put(sheet, r, 7, s.bubble[t].p, "%")
        _put(sheet, r, 8, s.bubble[t].se, "%")
    return row + len(s.score_years) + 2


def _payback(book: Book, sheet: Sheet, s: ScenarioSimulation, row: int) -> int:
    pb = s.payback
    row = _section(book, sheet, row, f"{s.name}: sector payback year (never within the horizon: "
                                     f"{pb.never:,} paths, {pb.never / s.paths:.1%})")
    sheet.header(row, 0, ["Year", "Paths paying back", "Share of paths", "P(payback by the end of the year)"],
                 height=45)
    top = row + 1
    for t, year in enumerate(pb.years):
        sheet.number(top + t, 0, year, book.fmt("label", "0"))
        sheet.number(top + t, 1, pb.counts[t], book.fmt("num", "#,##0"))
        sheet.number(top + t, 2, pb.counts[t] / s.paths, book.fmt("num", "0.0%"))
        sheet.number(top + t, 3, pb.by_year[t], book.fmt("num", "0.0%"))
    bottom = top + len(pb.years) - 1
    hist = book.workbook.add_chart({"type": "column"})
    hist.add_series({"name": [sheet.name, row, 2], "categories": [sheet.name, top, 0, bottom, 0],
                     "values": [sheet.name, top, 2, bottom, 2], "fill": {"color": "#2E75B6"}, "gap": 40})
    cdf = book.workbook.add_chart({"type": "line"})
    cdf.add_series({"name": [sheet.name, row, 3], "categories": [sheet.name, top, 0, bottom, 0],
                    "values": [sheet.name, top, 3, bottom, 3], "y2_axis": True,
                    "line": {"color": "#C00000", "width": 2.0}})
    hist.combine(cdf)
    style_chart(hist, "Sector payback year: histogram and P(payback by year)", "")
    hist.set_y_axis({"num_format": "0%", "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    cdf.set_y2_axis({"num_format": "0%", "min": 0, "max": 1})
    hist.set_x_axis({"num_font": {"rotation": -45}, "label_position": "low"})
    sheet.ws.insert_chart(top, 8, hist, {"x_scale": CHART_W / 480, "y_scale": CHART_H / 288})
    book.charts += 1
    return max(bottom + 2, top + _CHART_ROWS)


def _tornado(book: Book, sheet: Sheet, sim: Simulation, s: ScenarioSimulation, key: str, row: int) -> int:
    label = HEADLINE[key][0]
    row = _section(book, sheet, row, f"{s.name}: contribution to the variance of {label.lower()}")
    sheet.header(row, 0, ["Input", "Spearman ρ", "Contribution (ρ² normalised)"], height=45)
    order = sorted(range(len(sim.inputs)), key=lambda j: -s.contribution[key][j])   # the largest first
    top = row + 1
    for t, j in enumerate(order):
        sheet.text(top + t, 0, sim.inputs[j].name, width=False)
        sheet.number(top + t, 1, s.rank_correlation[key][j], book.fmt("num", "+0.00;-0.00;0.00"))
        sheet.number(top + t, 2, s.contribution[key][j], book.fmt("num", "0.0%"))
    bottom = top + len(order) - 1
    bar = book.workbook.add_chart({"type": "bar"})
    bar.add_series({"name": [sheet.name, row, 2], "categories": [sheet.name, top, 0, bottom, 0],
                    "values": [sheet.name, top, 2, bottom, 2], "fill": {"color": "#1F3864"}, "gap": 30})
    style_chart(bar, f"What drives it: {label.lower()}", "", value_axis="x")
    bar.set_x_axis({"num_format": "0%", "major_gridlines": {"visible": True, "line": {"color": "#D9D9D9"}}})
    bar.set_legend({"none": True})
    bar.set_y_axis({"reverse": True})       # the largest bar on top, as the table reads
    height = max(CHART_H, 22 * len(order) + 80)
    sheet.ws.insert_chart(top, 8, bar, {"x_scale": CHART_W / 480, "y_scale": height / 288})
    book.charts += 1
    return max(bottom + 2, top + height // 20 + 2)


def _inputs(book: Book, sheet: Sheet, sim: Simulation, row: int) -> int:
    row = _section(book, sheet, row, "The uncertain inputs (sources: the Uncertainty sheet) and their draws")
    sheet.header(row, 0, ["Input", "Draw P5", "Draw P50", "Draw P95", "Cells: distribution"])
    row += 1
    for i in sim.inputs:
        sheet.text(row, 0, i.name, width=False)
        for j, v in enumerate((i.p5, i.p50, i.p95), start=1):
            sheet.number(row, j, v, book.fmt("num", "0.000"))
        sheet.text(row, 4, f"{i.where}: {i.distribution}", width=False)
        row += 1
    row += 1
    row = _section(book, sheet, row, "Rank correlations imposed (Iman–Conover; after any repair to a valid matrix)")
    sheet.header(row, 0, ["Pair of inputs", "Rank ρ"])
    row += 1
    names = [i.name for i in sim.inputs]
    for a in range(len(names)):
        for b in range(a + 1, len(names)):
            if abs(float(sim.correlation[a, b])) > 1e-9:
                sheet.text(row, 0, f"{names[a]} ~ {names[b]}", width=False)
                sheet.number(row, 1, float(sim.correlation[a, b]), book.fmt("num", "0.00"))
                row += 1
    return row + 1


def _samples(book: Book, sim: Simulation) -> None:
    assert sim.draws is not None
    sheet = book.add_sheet(SAMPLES)
    sheet.text(0, 0, f"The draws of every path (seed {sim.seed}): the value set in each cell, or the multiplier "
                     "applied to it, before keeping it within the column's range", book.fmt("subtitle"), width=False)
    sheet.header(1, 0, ["Path", *(i.name for i in sim.inputs)])
    fmt: Any = book.fmt("num", "0.0000")
    for p in range(sim.draws.shape[0]):
        sheet.number(2 + p, 0, p + 1, book.fmt("label", "0"))
        for j in range(sim.draws.shape[1]):
            sheet.ws.write_number(2 + p, 1 + j, float(sim.draws[p, j]), fmt)
    sheet.ws.freeze_panes(2, 1)
    sheet.set_width(0, 8)
    for j in range(sim.draws.shape[1]):
        sheet.set_width(1 + j, 14)


__all__ = ["SAMPLES", "SIMULATION", "write_simulation"]
