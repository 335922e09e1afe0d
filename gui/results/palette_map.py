"""Which companies the charts draw, and in which colour: the same answer for every chart.

Up to ``SHOWN`` companies, the largest by capex over the model's years; the others are summed as "Other companies"
where a chart stacks. Colours follow sheet order among the shown companies, so an edit does not repaint every line.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor

from gui import theme
from model.core.results import Results

SHOWN = 8
OTHERS = "Other companies"


def shown_companies(results: Results, limit: int = SHOWN) -> tuple[str, ...]:
    companies = results.companies
    if len(companies) <= max(limit, len(theme.SERIES)):
        return companies
    capex = results.series["capex"][: len(companies)].sum(axis=1)
    top = sorted(np.argsort(-capex, kind="stable")[:limit].tolist())
    return tuple(companies[i] for i in top)


def company_colors(results: Results) -> dict[str, QColor]:
    return {name: theme.company_color(k) for k, name in enumerate(shown_companies(results))}


def color_of(colors: dict[str, QColor], company: str) -> QColor:
    return colors.get(company, QColor(theme.OTHERS))
