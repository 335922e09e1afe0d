"""Where everything goes in the export: sheet names, defined names and the row of every (measure, company).

Positions depend only on counts (companies, years, deals, indicators), so they are fixed before a cell is
written and any sheet can refer to any other. One ``Plan`` per scenario: the base's sheets and names are plain
(``Cash flows``, ``discount_rate``); an alternative's carry its label (``Cash flows (Bear)``,
``discount_rate.bear``) and read the base's input sheets except where it overrides a cell, where they read the
override's Value cell on the Scenarios sheet (``Plan.overrides``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xlsxwriter.utility import quote_sheetname, xl_rowcol_to_cell

from model.core.results import MEASURES
from model.export.book import sheet_name
from model.export.facts import Facts
from model.io import template_layout

MARKET_NAMED = ("input", "company", "year", "value")    # the Market columns the score's formulas read by name
HEADER_ROW = 2          # 0-based row of the year header on every year grid (row 3 in Excel)
FIRST_YEAR_COL = 2      # column C: the first model year; A is the company, B whether it is in the sector

# Sections of the Cash flows sheet, top to bottom: (key, title). The last three are payback helpers.
CASH_FLOW_SECTIONS: tuple[tuple[str, str], ...] = tuple(
    (key, f"{MEASURES[key][0]} ({MEASURES[key][1]})") for key in (
        "organic_revenue", "recycled_revenue", "revenue", "capex", "ai_capex", "investment_outflows",
        "funding_received",
        "cash_flow", "cumulative_cash_flow", "discounted_cash_flow", "cumulative_discounted_cash_flow",
        "organic_cash_flow", "cumulative_organic_cash_flow")
) + (
    ("paid_back", "Helper for payback: 1 once cumulative cash flow is ≥ 0 after a deficit"),
    ("paid_back_discounted", "Helper for discounted payback: 1 once cumulative discounted cash flow is ≥ 0 "
                             "after a deficit"),
    ("paid_back_organic", "Helper for organic payback: 1 once cumulative organic cash flow is ≥ 0 after a deficit"),
)
REQUIRED_SECTIONS: tuple[tuple[str, str], ...] = (
    ("capital_charge", f"{MEASURES['capital_charge'][0]} ($B): CRF × AI capex still in service"),
    ("required_revenue", f"{MEASURES['required_revenue'][0]} ($B): capital charge ÷ cash margin"),
    ("coverage", "Coverage: AI revenue ÷ required AI revenue"),
)


@dataclass(frozen=True)
class SheetNames:
    summary: str
    cash_flows: str
    required: str
    score: str
    deals: str
    circularity: str
    revenue_path: str
    model: str
    sources: str

    @classmethod
    def for_suffix(cls, suffix: str = "") -> SheetNames:
        return cls(*(sheet_name(base, suffix) for base in (
            "Summary", "Cash flows", "Required revenue", "Bubble score", "Deals", "Circularity", "Revenue path",
            "Model", "Sources")))


def name_key_of(label: str) -> str:
    """The part of an alternative's defined names after the dot: its label in lower-case ASCII letters, digits
    and underscores (``Cloud rates`` -> ``cloud_rates``); ``scenario`` when nothing is left."""
    return re.sub(r"[^0-9a-z]+", "_", label.casefold()).strip("_") or "scenario"


@dataclass(frozen=True)
class Grid:
    """A sheet of stacked sections, companies down and model years across, under one year header."""

    sheet: str
    sections: tuple[str, ...]
    n_companies: int
    n_years: int

    def title_row(self, section: str) -> int:
        return HEADER_ROW + 1 + self.sections.index(section) * (self.n_companies + 3)

    def row(self, section: str, entity: int) -> int:
        """Row of company ``entity`` (0-based) in the section; ``entity == n_companies`` is the Sector row."""
        return self.title_row(section) + 1 + entity

    @property
    def end_row(self) -> int:
        return HEADER_ROW + 1 + len(self.sections) * (self.n_companies + 3)

    @staticmethod
    def col(t: int) -> int:
        return FIRST_YEAR_COL + t

    @property
    def last_col(self) -> int:
        return FIRST_YEAR_COL + self.n_years - 1

    def cell(self, section: str, entity: int, t: int) -> str:
        """The absolute reference of one cell, with its sheet: ``'Cash flows'!$E$7``."""
        a1 = xl_rowcol_to_cell(self.row(section, entity), self.col(t), True, True)
        return f"{quote_sheetname(self.sheet)}!{a1}"

    def span(self, section: str, entity: int) -> str:
        """The whole year row of one company (or the Sector) in a section: ``'Cash flows'!$C$7:$N$7``."""
        row = self.row(section, entity)
        a = xl_rowcol_to_cell(row, self.col(0), True, True)
        z = xl_rowcol_to_cell(row, self.last_col, True, True)
        return f"{quote_sheetname(self.sheet)}!{a}:{z}"

    @staticmethod
    def year_ref(t: int) -> str:
        """The year header of column t, relative in column: ``C$3``."""
        return xl_rowcol_to_cell(HEADER_ROW, FIRST_YEAR_COL + t, True, False)


@dataclass(frozen=True)
class Plan:
    facts: Facts
    sheets: SheetNames
    suffix: str
    cash: Grid
    required: Grid
    score: ScoreLayout
    name_key: str = ""          # "" for the base; an alternative's defined names end in "." + name_key
    # (sheet, table row, column key) -> the cell holding this scenario's value of an input it overrides
    overrides: dict[tuple[str, int, str], str] = field(default_factory=dict)
    market_mirror: bool = False  # the scenario overrides Market cells: its market_* names read a copy (Model sheet)

    @classmethod
    def build(cls, facts: Facts, suffix: str = "", name_key: str = "",
              overrides: dict[tuple[str, int, str], str] | None = None) -> Plan:
        names = SheetNames.for_suffix(suffix)
        n, n_years = facts.n, len(facts.years)
        blocks = tuple(len(s.score.indicators) for s in facts.results.summaries)
        overrides = dict(overrides or {})
        if suffix and not name_key:
            name_key = name_key_of(suffix)
        return cls(facts, names, suffix,
                   Grid(names.cash_flows, tuple(k for k, _ in CASH_FLOW_SECTIONS), n, n_years),
                   Grid(names.required, tuple(k for k, _ in REQUIRED_SECTIONS), n, n_years),
                   ScoreLayout(n, blocks), name_key, overrides,
                   any(sheet == "Market" and key in MARKET_NAMED for sheet, _, key in overrides))

    @property
    def is_base(self) -> bool:
        return not self.suffix

    def input_cell(self, sheet: str, row: int, key: str) -> str:
        """The absolute reference of an input: row ``row`` of the table, column ``key`` (``"2025"`` for a year),
        on its input sheet (``Capex!$C$2``) — or, where this scenario overrides that cell, the override's Value
        cell on the Scenarios sheet (``Scenarios!$E$7``)."""
        override = self.overrides.get((sheet, row, key))
        if override is not None:
            return override
        table = self.facts.scenario.table(sheet)
        a1 = xl_rowcol_to_cell(row + template_layout.HEADER_ROW, table.column_index(key), True, True)
        return f"{quote_sheetname(sheet)}!{a1}"

    def name(self, base: str) -> str:
        """A defined name for this scenario: ``discount_rate``, or ``discount_rate.bear`` for an alternative (a
        base name never holds a dot, so an alternative's names cannot meet the base's)."""
        return f"{base}.{self.name_key}" if self.name_key else base

    # Rows of the per-company sheets -------------------------------------------------------------------------
    @staticmethod
    def path_row(i: int) -> int:
        """Row of company i on the Revenue path sheet."""
        return HEADER_ROW + 1 + i

    def path_factor_col(self, year: int) -> int:
        """Column of the growth factor of ``year`` on the Revenue path sheet (years path_start+1 .. path_end)."""
        return 3 + (year - self.facts.path_start - 1)

    def in_sector_ref(self, i: int) -> str:
        """Company i's in-sector flag (1/0) on the Revenue path sheet."""
        return f"{quote_sheetname(self.sheets.revenue_path)}!{xl_rowcol_to_cell(self.path_row(i), 1, True, True)}"

    def in_sector_flags(self) -> str:
        """Every company's in-sector flag: the column of them on the Revenue path sheet (needs a company)."""
        return f"{self.in_sector_ref(0)}:{xl_rowcol_to_cell(self.path_row(self.facts.n - 1), 1, True, True)}"

    @staticmethod
    def deal_row(j: int) -> int:
        return HEADER_ROW + 1 + j


# -- the Summary table and the Bubble score sheet --------------------------------------------------------------

SUMMARY_HEADER_ROW = 7
SUMMARY_COLUMNS: tuple[str, ...] = (
    "Company", "In sector", "Payback (years)", "Discounted payback (years)", "Organic payback (years)",
    "Payback ÷ useful life", "NPV ($B)", "IRR", "Coverage in the score year", "Bubble score", "Label",
)


def summary_row(entity: int) -> int:
    return SUMMARY_HEADER_ROW + 1 + entity


@dataclass(frozen=True)
class ScoreLayout:
    """Rows of the Bubble score sheet: the scores per entity, the indicators in one block per entity, then the
    inputs each indicator reads at the score year and the sector aggregates."""

    n_companies: int
    block_sizes: tuple[int, ...]            # indicators per entity (companies, then the Sector)

    SCORES_HEADER = 3

    def score_row(self, entity: int) -> int:
        return self.SCORES_HEADER + 1 + entity

    @property
    def indicators_title(self) -> int:
        return self.score_row(self.n_companies) + 2

    @property
    def indicators_header(self) -> int:
        return self.indicators_title + 1

    def block_start(self, entity: int) -> int:
        return self.indicators_header + 1 + sum(self.block_sizes[:entity])

    @property
    def inputs_title(self) -> int:
        return self.block_start(len(self.block_sizes)) + 1

    def input_row(self, entity: int) -> int:
        return self.inputs_title + 2 + entity

    @property
    def aggregates_title(self) -> int:
        return self.input_row(self.n_companies) + 2

    def aggregate_row(self, k: int) -> int:
        return self.aggregates_title + 1 + k
