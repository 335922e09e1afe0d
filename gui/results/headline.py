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
    if entity.is_sector and not results.companies:
        text = ("The model has no companies yet: add them, with their capex, in the Capex sheet (or open a "
                "template with File → Open)")
    else:
        payback = entity.payback
        pays = html.escape(formatting.payback_phrase(payback, results.years[-1]))
        if payback.years is None:
            pays = pays.replace("not", "<b>not</b>", 1)
        elif not payback.nothing_to_pay_back:
            pays = pays.replace(f"{payback.years:.1f} years", f"<b>{payback.years:.1f} years</b>", 1)
            if entity.payback_to_life is not None and entity.payback_to_life > 1:
                pays += f", <b>{entity.payback_to_life:.1f}×</b> the hardware's useful life"
        revenue = results.value(name, "revenue", year)
        required = results.value(name, "required_revenue", year)
        recycled = results.value(name, "recycled_revenue", year)
        text = f"{who} {pays}. " + html.escape(formatting.coverage_phrase(year, revenue, required, entity.coverage))
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
