"""validate() on crafted bad scenarios: every problem, in order, with its exact text and cell.

The expected lists are pinned: they are what ``validate`` reported before it was made faster (it reads key and
required columns by index now, not every row as a dict), so a change of order, wording or cell shows up here.
"""

from __future__ import annotations

import pytest

from bench.generate import generate
from model.core.problems import Problem
from model.core.scenario import Scenario, Table
from model.core.validation import validate
from tests.scenario_builders import assumptions_table, table


def bad_rows() -> Scenario:
    """Duplicates (by case and spaces), missing required cells, unknown and self-investing companies."""
    capex = table("Capex", [
        {"company": "Alpha", "2024": 10.0, "2025": 20.0},
        {"company": " alpha ", "2024": 1.0},                 # a duplicate of Alpha
        {"company": "Beta", "2025": 5.0},                    # capex but no Revenue row
        {"company": None, "2024": 3.0},                      # the company is required
        {"company": "Gamma", "2024": 2.0},
    ], years=(2024, 2025))
    revenue = table("Revenue", [
        {"company": "Alpha", "base_year": 2024, "base_revenue": 5.0, "cash_margin": 0.5},
        {"company": "Gamma", "base_year": None, "base_revenue": 1.0, "cash_margin": None},   # two required cells
        {"company": "ALPHA", "base_year": 2024, "base_revenue": 2.0, "cash_margin": 0.4},     # duplicate
        {"company": "Delta", "base_year": 2024, "base_revenue": 2.0, "cash_margin": 0.4},
    ], years=(2025,))
    deals = table("Investments", [
        {"investor": "Alpha", "investee": "Gamma", "year": 2025, "amount": 4.0, "kind": "equity"},
        {"investor": "alpha", "investee": "gamma ", "year": 2025, "amount": 1.0, "kind": "equity"},  # dup; unknown
        {"investor": "Alpha", "investee": "Zeta", "year": 2023, "amount": 1.0, "kind": "equity"},    # unknown; early
        {"investor": "Gamma", "investee": "Gamma", "year": 2025, "amount": 2.0, "kind": "cloud credits"},  # self
        {"investor": "Delta", "investee": "", "year": 2025, "amount": None, "kind": "equity"},       # required
        {"investor": None, "investee": None, "year": None, "amount": None, "kind": None},            # a blank row
        {"investor": "Alpha", "investee": "Gamma", "year": 2025, "amount": 4.0, "kind": "equity"},   # dup again
    ])
    return Scenario(capex=capex, revenue=revenue, investments=deals, assumptions=assumptions_table(),
                    market=table("Market", []), thresholds=Table("Thresholds"), name="bad rows")


def bad_sheets() -> Scenario:
    """Assumptions out of range, a horizon before the first year, Market and Thresholds rows that do not fit."""
    capex = table("Capex", [{"company": "Alpha", "2024": 10.0}, {"company": "Gamma", "2024": 2.0}], years=(2024,))
    revenue = table("Revenue", [
        {"company": "Alpha", "base_year": 2024, "base_revenue": 5.0, "cash_margin": 0.5},
        {"company": "Gamma", "base_year": 2024, "base_revenue": 1.0, "cash_margin": 0.3},
    ])
    assumptions = table("Assumptions", [
        {"name": "Useful life", "value": -2.0},
        {"name": "Horizon end", "value": 2020.0},
        {"name": "Score year", "value": 2025.5},
        {"name": "Warp factor", "value": 9.0},
        {"name": " useful life ", "value": 4.0},                  # a duplicate
        {"name": "Discount rate", "value": None},                  # required
    ])
    market = table("Market", [
        {"input": "Operating cash flow", "company": "Alpha", "year": 2025, "value": 10.0},
        {"input": "operating cash flow", "company": "alpha", "year": 2025, "value": 11.0},   # dup; unknown company
        {"input": "Operating cash flow", "company": None, "year": 2025, "value": 1.0},       # needs a company
        {"input": "Forward P/E of AI leaders", "company": "Gamma", "year": 2025, "value": 30.0},
        {"input": "Forward P/E of AI leaders", "company": None, "year": 2025, "value": 30.0},
        {"input": None, "company": None, "year": 2025, "value": None},                        # required
    ])
    thresholds = table("Thresholds", [
        {"indicator": "Forward P/E of AI leaders", "healthy": 20.0, "bubble": 20.0, "weight": 1.0},
        {"indicator": "Moon phase", "healthy": 0.0, "bubble": 1.0, "weight": 1.0},
        {"indicator": "forward p/e of ai leaders", "healthy": 20.0, "bubble": 40.0, "weight": 1.0},   # dup
        {"indicator": "", "healthy": None, "bubble": None, "weight": None},                         # required
    ])
    return Scenario(capex=capex, revenue=revenue, investments=table("Investments", []), assumptions=assumptions,
                    market=market, thresholds=thresholds, name="bad sheets")


def bad_large() -> Scenario:
    """A generated scenario with a few rows spoiled: problems among many good rows, at their rows."""
    s = generate(40, 8, 120, seed=3)
    deals = s.investments
    first = deals.rows[0]
    investor, investee = deals.column_index("investor"), deals.column_index("investee")
    copy = first[:investor] + (str(first[investor]).upper(),) + first[investor + 1:]    # a duplicate by case
    rows = list(deals.rows[:60]) + [copy] + list(deals.rows[60:])
    rows[90] = rows[90][:investee] + ("Co9999",) + rows[90][investee + 1:]               # an unknown investee
    s = s.with_table(deals.with_rows(rows))
    s = s.with_cell("Revenue", 7, "cash_margin", None)
    return s.with_cell("Capex", 12, "company", "co0003")                                  # capex with no revenue row


BAD_ROWS = [
    Problem("error", "Company is required", "Capex", "A5", "Company", None, "a company name"),
    Problem("error", "duplicate Company:  alpha  is already at A2",
            "Capex", "A3", "Company", " alpha ", "each row once (combine or remove the duplicate)"),
    Problem("error", "Base year is required", "Revenue", "B3", "Base year", None, "a year such as 2025"),
    Problem("error", "Cash margin is required",
            "Revenue", "D3", "Cash margin", None,
            "a percentage such as 24% or 0.24 above 0% and at most 100%"),
    Problem("error", "duplicate Company: ALPHA is already at A2",
            "Revenue", "A4", "Company", "ALPHA", "each row once (combine or remove the duplicate)"),
    Problem("error", "Investee is required", "Investments", "B6", "Investee", None, "a company name"),
    Problem("error", "Amount is required", "Investments", "D6", "Amount", None, "an amount in $B between 0 and 1,000,000"),
    Problem("error", "Investor is required", "Investments", "A7", "Investor", None, "a company name"),
    Problem("error", "Investee is required", "Investments", "B7", "Investee", None, "a company name"),
    Problem("error", "Year is required", "Investments", "C7", "Year", None, "a year such as 2025"),
    Problem("error", "Amount is required", "Investments", "D7", "Amount", None, "an amount in $B between 0 and 1,000,000"),
    Problem("error", "Kind is required",
            "Investments", "E7", "Kind", None,
            "one of: equity, debt, vendor financing, compute commitment, cloud credits"),
    Problem("error", "duplicate Investor/Investee/Year/Kind: alpha, gamma , 2025, equity is already at A2",
            "Investments", "A3", "Investor", "alpha, gamma , 2025, equity",
            "each row once (combine or remove the duplicate)"),
    Problem("error", "duplicate Investor/Investee/Year/Kind: Alpha, Gamma, 2025, equity is already at A2",
            "Investments", "A8", "Investor", "Alpha, Gamma, 2025, equity",
            "each row once (combine or remove the duplicate)"),
    Problem("error", " alpha  has capex but no row in the Revenue sheet (did you mean 'ALPHA'? names must "
            "match exactly)",
            "Capex", "A3", "Company", " alpha ",
            "a company that also has a Revenue row (base revenue, margin)"),
    Problem("error", "Beta has capex but no row in the Revenue sheet",
            "Capex", "A4", "Company", "Beta", "a company that also has a Revenue row (base revenue, margin)"),
    Problem("error", "alpha is not a company of the Capex or Revenue sheet (did you mean ' alpha '? names "
            "must match exactly)",
            "Investments", "A3", "Investor", "alpha", "a company listed in the Revenue sheet"),
    Problem("error", "gamma  is not a company of the Capex or Revenue sheet (did you mean 'Gamma'? names "
            "must match exactly)",
            "Investments", "B3", "Investee", "gamma ", "a company listed in the Revenue sheet"),
    Problem("error", "Zeta is not a company of the Capex or Revenue sheet",
            "Investments", "B4", "Investee", "Zeta", "a company listed in the Revenue sheet"),
    Problem("warning", "the deal starts before the first capex year; it is counted from 2024",
            "Investments", "C4", "Year", 2023, ""),
    Problem("error", "a company cannot invest in itself",
            "Investments", "B5", "Investee", "Gamma", "a different company from the investor"),
    Problem("warning", "no AI share for Alpha,  alpha , Beta, Gamma: all of their capex is read as AI capex (100%); "
            "enter the AI share to set AI revenue against AI capex only", "Capex", "", "AI share"),
]


BAD_SHEETS = [
    Problem("error", "Value is required", "Assumptions", "B7", "Value", None, "a number between -1,000,000 and 1,000,000"),
    Problem("error", "duplicate Name:  useful life  is already at A2",
            "Assumptions", "A6", "Name", " useful life ", "each row once (combine or remove the duplicate)"),
    Problem("error", "Input is required", "Market", "A7", "Input", None, "text"),
    Problem("error", "Value is required", "Market", "D7", "Value", None, "a number between -1,000,000 and 1,000,000"),
    Problem("error", "duplicate Input/Company/Year: operating cash flow, alpha, 2025 is already at A2",
            "Market", "A3", "Input", "operating cash flow, alpha, 2025",
            "each row once (combine or remove the duplicate)"),
    Problem("error", "Indicator is required", "Thresholds", "A5", "Indicator", None, "text"),
    Problem("error", "Healthy is required", "Thresholds", "B5", "Healthy", None, "a number between -1,000,000 and 1,000,000"),
    Problem("error", "Bubble is required", "Thresholds", "C5", "Bubble", None, "a number between -1,000,000 and 1,000,000"),
    Problem("error", "Weight is required", "Thresholds", "D5", "Weight", None, "a number between 0 and 1,000,000"),
    Problem("error", "duplicate Indicator: forward p/e of ai leaders is already at A2",
            "Thresholds", "A4", "Indicator", "forward p/e of ai leaders",
            "each row once (combine or remove the duplicate)"),
    Problem("error", "the horizon ends before the first capex year 2024",
            "Assumptions", "B3", "Value", 2020, "a year from 2024 on"),
    Problem("warning", "capex of 2024 lies past the horizon end 2020 and is ignored",
            "Capex", "D1", "2024", 2024, ""),       # A company, B in sector, C AI share
    Problem("warning", "no AI share for Alpha, Gamma: all of their capex is read as AI capex (100%); enter the AI "
            "share to set AI revenue against AI capex only", "Capex", "", "AI share"),
    Problem("error", "Useful life is out of range",
            "Assumptions", "B2", "Value", -2.0, "a number above 0 and at most 30"),
    Problem("error", "Score year is out of range",
            "Assumptions", "B4", "Value", 2025.5, "a year such as 2025 between 1900 and 2200"),
    Problem("error", "Score year must be a whole year", "Assumptions", "B4", "Value", 2025.5, "a year"),
    Problem("warning", "'Warp factor' is not an assumption the model reads; kept as is",
            "Assumptions", "A5", "Name", "Warp factor",
            "Discount rate, Useful life, Horizon end, Perpetuity, Keep fleet, Revenue bound, Terminal growth, GDP, "
            "GDP growth, GDP year, Score year, Red gauge score, Reds for bubble, Boom score, Bubble score"),
    Problem("warning", "Perpetuity is missing; the default 0 is used", "Assumptions", "A1", "Name", None, "Perpetuity"),
    Problem("warning", "Keep fleet is missing; the default 1 is used", "Assumptions", "A1", "Name", None, "Keep fleet"),
    Problem("warning", "Revenue bound is missing; the default 1 is used",
            "Assumptions", "A1", "Name", None, "Revenue bound"),
    Problem("warning", "Terminal growth is missing; the default 0.03 is used",
            "Assumptions", "A1", "Name", None, "Terminal growth"),
    Problem("warning", "GDP is missing; the default 30000 is used", "Assumptions", "A1", "Name", None, "GDP"),
    Problem("warning", "GDP growth is missing; the default 0.04 is used",
            "Assumptions", "A1", "Name", None, "GDP growth"),
    Problem("warning", "GDP year is missing; the default 2025 is used",
            "Assumptions", "A1", "Name", None, "GDP year"),
    Problem("warning", "Red gauge score is missing; the default 80 is used",
            "Assumptions", "A1", "Name", None, "Red gauge score"),
    Problem("warning", "Reds for bubble is missing; the default 3 is used",
            "Assumptions", "A1", "Name", None, "Reds for bubble"),
    Problem("warning", "Boom score is missing; the default 40 is used",
            "Assumptions", "A1", "Name", None, "Boom score"),
    Problem("warning", "Bubble score is missing; the default 70 is used",
            "Assumptions", "A1", "Name", None, "Bubble score"),
    Problem("error", "alpha is not a company of the Capex or Revenue sheet (did you mean 'Alpha'? names "
            "must match exactly)",
            "Market", "B3", "Company", "alpha",
            "a company listed in the Revenue sheet, or blank for a market-wide input"),
    Problem("error", "Operating cash flow needs the company it belongs to",
            "Market", "B4", "Company", None, "a company name"),
    Problem("warning", "'Forward P/E of AI leaders' is not a per-company input the model reads; ignored",
            "Market", "A5", "Input", "Forward P/E of AI leaders",
            "Operating cash flow or Debt raised or Sales from sector capex"),
    Problem("error", "Forward P/E of AI leaders: the bubble value equals the healthy value",
            "Thresholds", "C2", "Bubble", 20.0, "a value different from Healthy"),
    Problem("warning", "'Moon phase' is neither a derived indicator nor a market-wide input: it has no data "
            "and is not scored",
            "Thresholds", "A3", "Indicator", "Moon phase",
            "a derived indicator or a Market input with no company"),
]


BAD_LARGE = [
    Problem("error", "duplicate Company: co0003 is already at A5",
            "Capex", "A14", "Company", "co0003", "each row once (combine or remove the duplicate)"),
    Problem("error", "Cash margin is required",
            "Revenue", "D9", "Cash margin", None,
            "a percentage such as 24% or 0.24 above 0% and at most 100%"),
    Problem("error", "duplicate Investor/Investee/Year/Kind: CO0027, Co0008, 2030, vendor financing is "
            "already at A2",
            "Investments", "A62", "Investor", "CO0027, Co0008, 2030, vendor financing",
            "each row once (combine or remove the duplicate)"),
    Problem("error", "co0003 has capex but no row in the Revenue sheet (did you mean 'Co0003'? names must "
            "match exactly)",
            "Capex", "A14", "Company", "co0003",
            "a company that also has a Revenue row (base revenue, margin)"),
    Problem("error", "CO0027 is not a company of the Capex or Revenue sheet (did you mean 'Co0027'? names "
            "must match exactly)",
            "Investments", "A62", "Investor", "CO0027", "a company listed in the Revenue sheet"),
    Problem("error", "Co9999 is not a company of the Capex or Revenue sheet",
            "Investments", "B92", "Investee", "Co9999", "a company listed in the Revenue sheet"),
]


@pytest.mark.parametrize(("build", "expected"), [(bad_rows, BAD_ROWS), (bad_sheets, BAD_SHEETS),
                                                 (bad_large, BAD_LARGE)], ids=["rows", "sheets", "large"])
def test_validate_reports_exactly_these_problems_in_this_order(build, expected) -> None:  # type: ignore[no-untyped-def]
    assert validate(build()) == expected


def test_a_key_that_differs_only_in_case_and_outer_spaces_is_a_duplicate_but_inner_spaces_are_not() -> None:
    capex = table("Capex", [{"company": "Big Co"}, {"company": " BIG CO "}, {"company": "Big  Co"}], years=(2024,))
    revenue = table("Revenue", [{"company": n, "base_year": 2024, "base_revenue": 1.0, "cash_margin": 0.5}
                                for n in ("Big Co", " BIG CO ", "Big  Co")])
    s = Scenario(capex=capex, revenue=revenue, assumptions=assumptions_table())
    duplicates = [(p.sheet, p.cell) for p in validate(s) if "duplicate" in p.message]
    assert duplicates == [("Capex", "A3"), ("Revenue", "A3")]


def test_the_generated_benchmark_scenario_has_no_problems() -> None:
    assert validate(generate(50, 10, 200, seed=2)) == []
