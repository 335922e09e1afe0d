"""The answer in one line: does the sector (or the selected company) pay back, and how far is revenue from need."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from gui import theme
from model.core import formatting
from model.core.overrides import BASE
from model.core.results import Results


def headline_text(results: Results, company: str = "", scenario: str = "") -> str:
    name = company if company in results.companies else results.sector.name
    entity = results.entity(name)
    who = "The sector" if entity.is_sector else html.escape(name)
    year = results.score_year
    payback = entity.payback
    if payback.years is None:
        pays = f"does <b>not</b> pay back by {results.years[-1]} ({html.escape(formatting.beyond_horizon(payback))})"
    else:
        pays = f"pays back in <b>{payback.years:.1f} years</b> (during {int(payback.calendar_year or 0)})"
        if entity.payback_to_life is not None and entity.payback_to_life > 1:
            pays += f", <b>{entity.payback_to_life:.1f}×</b> the hardware's useful life"
    revenue = results.value(name, "revenue", year)
    required = results.value(name, "required_revenue", year)
    recycled = results.value(name, "recycled_revenue", year)
    text = (f"{who} {pays}. In {year} it earns {formatting.money(revenue)} of AI revenue against "
            f"{formatting.money(required)} required ({formatting.percent(entity.coverage, 0)} coverage)")
    if recycled > 0:
        text += f"; {formatting.money(recycled)} of it is recycled from its own deals"
    bubble = entity.first_year_labelled("Bubble")
    text += f". Its score first reads <b>Bubble</b> in {bubble}" if bubble else \
        f". Its score reads Bubble in no year to {results.years[-1]}"
    if scenario and scenario != BASE:
        text = f"<i>{html.escape(scenario)}:</i> " + text
    return text + "."


class Headline(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setFont(theme.heading_font(self, 1.08, bold=False))
        self.setContentsMargins(8, 4, 8, 4)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Maximum)

    def show_results(self, results: Results | None, company: str = "", scenario: str = "") -> None:
        if results is None:
            self.setText("The inputs have errors, so nothing is computed: open the error list in the status bar.")
            return
        text = headline_text(results, company, scenario)
        if text != self.text():
            self.setText(text)
