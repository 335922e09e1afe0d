"""The Score by year sheet: the bubble score of every entity in every model year, its reading, each indicator's
score per year, each payback beyond the horizon as its shortfall and extrapolated year, and (on the base's sheet,
when the book has alternatives) the sector's score per scenario.

Values, not formulas: the Bubble score sheet recomputes the score year live, but a live score for every year
would repeat its whole block of inputs and indicators per year (docs/export.md). The numbers are compute()'s
(``EntityResult.score_by_year``, ``ScoreHistory``).
"""

from __future__ import annotations

import math

from model.core import formatting
from model.core.results import EntityResult
from model.export.book import MONEY, Book, Sheet, sheet_name
from model.export.plan import Plan
from model.export.scenarios import Lineup

SHEET = "Score by year"
NO_DATA = "–"


def _score(value: float | None) -> float | str:
    return NO_DATA if value is None or not math.isfinite(value) else float(value)


def _score_row(sheet: Sheet, row: int, label: str, entity: EntityResult, years: list[int] | tuple[int, ...],
               score_fmt: object, label_fmt: object = None) -> None:
    """One row of scores by year: the label, the first year reading Bubble, the composite of every year."""
    sheet.text(row, 0, label, label_fmt)
    sheet.text(row, 1, first_bubble_text(entity))
    by_year = entity.score_by_year
    for t, year in enumerate(years):
        value = _score(by_year.get(year))
        if isinstance(value, float):
            sheet.number(row, 2 + t, value, score_fmt)
        else:
            sheet.text(row, 2 + t, value)


def first_bubble_text(entity: EntityResult) -> str:
    year = entity.first_year_labelled("Bubble")
    return "none" if year is None else str(year)


def _indicator_scores(e: EntityResult, k: int) -> list[float | None]:
    """Indicator k's score in every model year (None: no data), read from the history's arrays: building each
    year's BubbleScore (``score_history``) would hold millions of objects at a large export."""
    if e.history is None:
        return [e.score.indicators[k].score]
    return [None if math.isnan(v) else v for v in e.history.scores[k].tolist()]


def write_score_history(book: Book, plan: Plan, lineup: Lineup | None = None) -> Sheet:
    results = plan.facts.results
    years = results.years
    sheet = book.add_sheet(sheet_name(SHEET, plan.suffix))
    sheet.text(0, 0, "Score by year: the bubble score of every company and the sector in each model year",
               book.fmt("title"), width=False)
    sheet.text(1, 0, f"Values as Bubblescope computed them (the Bubble score sheet recomputes the score year, "
                     f"{results.score_year}, with live formulas). '–': no indicator with data that year.",
               book.fmt("subtitle"), width=False)
    score_fmt = book.fmt("label", "0.0")
    row = 3
    sheet.header(row, 0, ["Composite score", "First year reading Bubble", *years], height=20)
    for e in results.summaries:
        row += 1
        _score_row(sheet, row, e.name, e, years, score_fmt, book.fmt("label", bold=True) if e.is_sector else None)

    row += 2
    sheet.header(row, 0, ["Reading", "", *years], height=20)
    for e in results.summaries:
        row += 1
        sheet.text(row, 0, e.name)
        labels = e.history.labels if e.history is not None else (e.score.label,)
        for t, label in enumerate(labels):
            sheet.text(row, 2 + t, label)

    row += 2
    sheet.header(row, 0, ["Indicator score (0–100)", "Indicator", *years], height=20)
    for e in results.summaries:
        for k, ind in enumerate(e.score.indicators):
            row += 1
            sheet.text(row, 0, e.name)
            sheet.text(row, 1, ind.name)
            for t, score in enumerate(_indicator_scores(e, k)):
                value = _score(score)
                if isinstance(value, float):
                    sheet.number(row, 2 + t, value, score_fmt)
                else:
                    sheet.text(row, 2 + t, value)

    row += 2
    sheet.header(row, 0, ["Payback beyond the horizon", "Reads", f"Cumulative cash flow at {years[-1]} ($B)",
                          "≈ year the last cash flow would close the gap"], height=30)
    for e in results.summaries:
        row += 1
        sheet.text(row, 0, e.name)
        sheet.text(row, 1, formatting.years(e.payback))
        if e.payback.shortfall is not None:
            sheet.number(row, 2, e.payback.shortfall, book.fmt("label", MONEY))
            if e.payback.beyond is not None:
                sheet.number(row, 3, float(math.ceil(e.payback.beyond)), book.fmt("label", "0"))
            else:
                sheet.text(row, 3, NO_DATA)
        else:
            sheet.text(row, 2, NO_DATA)
            sheet.text(row, 3, NO_DATA)

    if lineup is not None and lineup.has_alternatives:
        row += 2
        sheet.header(row, 0, ["Sector score by scenario", "First year reading Bubble", *years], height=20)
        for name in lineup.names:
            sector = lineup.comparison.results[name].sector
            row += 1
            _score_row(sheet, row, name, sector, years, score_fmt)
    sheet.set_width(0, 30)
    sheet.set_width(1, 24)
    for t in range(len(years)):
        sheet.set_width(2 + t, 8)
    sheet.ws.freeze_panes(4, 2)
    return sheet
