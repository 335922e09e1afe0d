"""The template format, defined once.

The importer, the blank template, the template writer, the window's table model and the docs all derive from the
sheets declared here, so they cannot drift. ``docs/template-format.md`` describes the same thing for analysts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from enum import Enum

from model.core import values


class Kind(Enum):
    TEXT = "text"
    COMPANY = "company"      # a company name; in deals it must name a company of the Capex or Revenue sheet
    CHOICE = "choice"        # one of Column.choices
    MONEY = "money"          # $B
    PERCENT = "percent"      # a fraction, shown as %
    YEAR = "year"
    NUMBER = "number"
    FLAG = "flag"            # yes / no


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    kind: Kind
    unit: str = ""
    required: bool = False
    default: object = None
    minimum: float | None = None
    maximum: float | None = None
    minimum_inclusive: bool = True
    whole: bool = False          # a count: 2.5 is refused, not cut down to 2
    choices: tuple[str, ...] = ()
    description: str = ""
    width: int = 14

    @property
    def excel_format(self) -> str:
        return {
            Kind.MONEY: '#,##0.0;-#,##0.0;"–"',
            Kind.PERCENT: "0.0%",
            Kind.YEAR: "0",
            Kind.NUMBER: "#,##0.00",
        }.get(self.kind, "@")

    @property
    def expected(self) -> str:
        """What a valid value looks like, in the words of the problem report."""
        what = {
            Kind.TEXT: "text",
            Kind.COMPANY: "a company name",
            Kind.CHOICE: "one of: " + ", ".join(self.choices),
            Kind.MONEY: "an amount in $B",
            Kind.PERCENT: "a percentage such as 24% or 0.24",
            Kind.YEAR: "a year such as 2025",
            Kind.NUMBER: "a whole number" if self.whole else "a number",
            Kind.FLAG: "yes or no",
        }[self.kind]
        bounds = _bounds_text(self)
        return f"{what} {bounds}".strip()

    def parse(self, raw: object, *, percent_formatted: bool = False) -> object:
        """The clean value of a cell, or ``None`` for a blank. Raises ValueError(expected) on bad input.

        A plain number in a percentage column follows Excel's automatic percent entry (8 and 0.08 are both 8%,
        ``values.percent_entry``), unless ``percent_formatted``: then it is the fraction a %-formatted cell stores
        (or a value already parsed).
        """
        if values.is_blank(raw):
            if self.required:
                raise ValueError(self.expected + " (required)")
            return self.default
        try:
            value = _PARSERS[self.kind](self, raw, percent_formatted)
        except ValueError as exc:
            if self.kind in (Kind.TEXT, Kind.COMPANY):     # only a text past Excel's cell limit is refused
                raise ValueError(str(exc)) from None
            raise ValueError(self.expected) from None
        if isinstance(value, float | int) and not isinstance(value, bool):
            if self.out_of_range(value) is not None:
                raise ValueError(self.expected)
            if self.whole and value != int(value):
                raise ValueError(self.expected)
        return value

    def unbounded(self) -> Column:
        """This column without its bounds: reads what a cell holds, so that out_of_range can say what is wrong."""
        return replace(self, minimum=None, maximum=None, required=False)

    def show(self, value: float) -> str:
        """A value of this column as a problem report quotes it: ``24%``, ``1,000,000``, ``0.5``."""
        if self.kind is Kind.PERCENT:
            return f"{value * 100:.6g}%"
        return _plain(value)

    def out_of_range(self, value: float, label: str = "") -> str | None:
        """Why ``value`` is outside this column's bounds, in words (``Capex 2026 2e+308 is above 1,000,000: …``);
        None when it is inside. The one place the bounds are checked: ``parse`` and the importer both ask here.

        A percentage is quoted as read: a plain number typed in a percentage cell is already a percentage (Excel's
        percent entry, ``values.percent_entry``), so 150 is "150% is above 100%" and no other reading is offered."""
        label = label or self.header
        lo, hi = self.minimum, self.maximum
        if lo is not None and (value < lo or (value == lo and not self.minimum_inclusive)):
            if not self.minimum_inclusive:
                return f"{label} {self.show(value)} is at or below {self.show(lo)}"
            if lo == 0:
                return f"{label} {self.show(value)} is negative"
            return f"{label} {self.show(value)} is below {self.show(lo)}{_beyond_sense(self, lo)}"
        if hi is not None and value > hi:
            return f"{label} {self.show(value)} is above {self.show(hi)}{_beyond_sense(self, hi)}"
        return None


# The largest figures a template may hold. They are far beyond any real input — an amount of $1,000,000B is ten
# times the world's yearly GDP — and far below what would overflow: summed over the caps' 100,000 rows and compounded
# by the model they stay finite, so no result prints ``inf`` or a 300-digit figure. A cell above one is refused at
# the cell with the bound stated.
LARGEST_AMOUNT = 1e6        # $B, any money column (capex, revenue, a deal, GDP)
LARGEST_NUMBER = 1e6        # a mixed-unit value (an assumption, a market input, a threshold, a weight)
# Growth compounds: a company's AI revenue carried by its growth over the model's years may not pass this ($B, ten
# thousand times the world's yearly GDP). Far above any bullish path, far below an overflow (model/core/validation.py).
LARGEST_REVENUE_PATH = 1e9


def _beyond_sense(col: Column, bound: float) -> str:
    """Why a largest-sensible bound is where it is, for the problem report."""
    if col.kind is Kind.MONEY and bound == LARGEST_AMOUNT:
        return ": no real amount comes near $1,000,000B (ten times the world's yearly GDP)"
    if col.kind is Kind.NUMBER and abs(bound) == LARGEST_NUMBER:
        return ": no assumption, market input, threshold or weight comes near a million"
    return ""


def _plain(x: float) -> str:
    """1,000,000 rather than 1e+06 for a whole million or more; ``:.6g`` for the rest (2e+308 stays short)."""
    if float(x).is_integer() and 1e6 <= abs(x) < 1e15:
        return f"{x:,.0f}"
    return f"{x:.6g}"


def _bounds_text(col: Column) -> str:
    def show(x: float) -> str:
        return f"{x:.0%}" if col.kind is Kind.PERCENT else _plain(x)

    lo, hi = col.minimum, col.maximum
    if lo is not None and hi is not None:
        if not col.minimum_inclusive:
            return f"above {show(lo)} and at most {show(hi)}"
        return f"between {show(lo)} and {show(hi)}"
    if lo is not None:
        return f"{'at least' if col.minimum_inclusive else 'above'} {show(lo)}"
    if hi is not None:
        return f"at most {show(hi)}"
    return ""


def _parse_choice(col: Column, raw: object, _: bool) -> str:
    text = values.normalise_header(raw)
    for choice in col.choices:
        if values.normalise_header(choice) == text:
            return choice
    raise ValueError(col.expected)


_PARSERS: dict[Kind, Callable[[Column, object, bool], object]] = {
    Kind.TEXT: lambda c, raw, _: values.parse_text(raw),
    Kind.COMPANY: lambda c, raw, _: values.parse_text(raw),
    Kind.CHOICE: _parse_choice,
    Kind.MONEY: lambda c, raw, _: values.parse_number(raw, c.expected),
    Kind.PERCENT: lambda c, raw, stored: values.parse_percent(raw, stored, entry=True),
    Kind.YEAR: lambda c, raw, _: values.parse_year(raw),
    # Plain numbers take "35%" too: Assumptions, Market and Thresholds mix units in one Value column.
    Kind.NUMBER: lambda c, raw, _: values.parse_percent(raw),
    Kind.FLAG: lambda c, raw, _: values.parse_flag(raw),
}


@dataclass(frozen=True)
class YearColumns:
    """A run of one column per year, headed by the year itself (typed as a number or as text)."""

    template: Column            # kind, unit, bounds and description shared by every year column
    after: str                  # key of the fixed column the years follow


@dataclass(frozen=True)
class SheetSchema:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]        # the columns that identify a row (duplicates are errors; overrides address rows by it)
    description: str
    years: YearColumns | None = None
    example_rows: tuple[tuple[object, ...], ...] = field(default=())

    def column(self, key: str) -> Column:
        for col in self.columns:
            if col.key == key:
                return col
        raise KeyError(f"{self.name} has no column {key!r}")

    def year_column(self, year: int) -> Column:
        if self.years is None:
            raise KeyError(f"{self.name} has no year columns")
        t = self.years.template
        return Column(
            key=str(year), header=str(year), kind=t.kind, unit=t.unit, minimum=t.minimum, maximum=t.maximum,
            minimum_inclusive=t.minimum_inclusive, description=t.description, width=t.width,
        )

    def layout(self, years: tuple[int, ...]) -> tuple[Column, ...]:
        """The sheet's columns in order, with the year columns in place."""
        out: list[Column] = []
        for col in self.columns:
            out.append(col)
            if self.years is not None and col.key == self.years.after:
                out.extend(self.year_column(y) for y in years)
        return tuple(out)


# ---------------------------------------------------------------------------------------------------------------
# Deal kinds: how a deal moves cash. Documented in docs/template-format.md and docs/methodology.md.

@dataclass(frozen=True)
class DealKind:
    name: str
    external_financing: bool    # counts as debt-like funding of the investee (External financing indicator)
    description: str


DEAL_KINDS: tuple[DealKind, ...] = (
    DealKind("equity", False, "The investor buys shares of the investee for cash."),
    DealKind("debt", True, "The investor lends the investee cash (bonds, loans, credit lines)."),
    DealKind("vendor financing", True,
             "A supplier funds a customer (loan, guarantee, warrant or equity) so that it buys the supplier's products."),
    DealKind("compute commitment", False,
             "The investor commits to buy compute or capacity from the investee (e.g. a capacity backstop); paid as spent."),
    DealKind("cloud credits", False,
             "The investor pays in kind with credits on its own cloud; what the investee consumes is booked as the "
             "investor's revenue."),
)
DEAL_KIND_NAMES = tuple(k.name for k in DEAL_KINDS)
DEAL_STATUSES = ("closed", "announced", "conditional", "in talks")

# ---------------------------------------------------------------------------------------------------------------
# Assumptions: the names the model reads. Other rows are kept (and warned about) so nothing typed is lost.

@dataclass(frozen=True)
class AssumptionSpec:
    name: str
    kind: Kind
    unit: str
    default: float
    minimum: float | None
    maximum: float | None
    source: str
    minimum_inclusive: bool = True
    whole: bool = False

    def column(self) -> Column:
        return Column(self.name, self.name, self.kind, unit=self.unit, minimum=self.minimum, maximum=self.maximum,
                      minimum_inclusive=self.minimum_inclusive, whole=self.whole)


ASSUMPTIONS: tuple[AssumptionSpec, ...] = (
    AssumptionSpec("Discount rate", Kind.PERCENT, "%", 0.10, 0.0, 1.0,
                   "assumption: 10%, the return JPMorgan (Nov 2025) uses for the build-out's required revenue"),
    AssumptionSpec("Useful life", Kind.NUMBER, "years", 5.0, 0.0, 30.0,
                   "assumption: 5 years, between the server lives in company filings (5-6 years: Microsoft and "
                   "Alphabet 6, Oracle 5, 10-Ks) and critics' 1-3 (press reporting)",
                   minimum_inclusive=False),
    AssumptionSpec("Horizon end", Kind.YEAR, "year", 2035, 1900, 2200,
                   "assumption: 2035 lets the 2032 vintage run most of a 5-year life"),
    AssumptionSpec("Perpetuity", Kind.NUMBER, "1/0", 0.0, 0.0, 1.0,
                   "assumption: 0 = capital recovered over the useful life (CRF); 1 = in perpetuity, CRF = r and "
                   "the capex never retires (JPMorgan's framing, Nov 2025: revenue in perpetuity for a 10% return)",
                   whole=True),
    AssumptionSpec("Keep fleet", Kind.NUMBER, "1/0", 1.0, 0.0, 1.0,
                   "assumption: 1 = after the last Capex column the fleet is kept (each retiring vintage replaced "
                   "at its cost); 0 = the build-out stops there and its vintages retire",
                   whole=True),
    AssumptionSpec("Revenue bound", Kind.NUMBER, "1/0", 1.0, 0.0, 1.0,
                   "assumption: 1 = after the last Capex column revenue is at most the last explicit year's times "
                   "the capacity in service now over then, and suppliers' sales follow the sector's capex; 0 = the "
                   "growth path alone", whole=True),
    AssumptionSpec("Terminal growth", Kind.PERCENT, "%", 0.03, -0.99, 10.0,
                   "assumption: growth after the last growth column, near long-run nominal GDP growth"),
    AssumptionSpec("GDP", Kind.MONEY, "$B", 30000.0, 0.0, LARGEST_AMOUNT,
                   "US GDP 2025 ~$30T (BEA), the denominator of the Macro weight indicator", minimum_inclusive=False),
    AssumptionSpec("GDP growth", Kind.PERCENT, "%", 0.04, -0.5, 1.0,
                   "assumption: nominal US GDP growth to carry GDP to other years"),
    AssumptionSpec("GDP year", Kind.YEAR, "year", 2025, 1900, 2200, "the year the GDP figure is for"),
    AssumptionSpec("Score year", Kind.YEAR, "year", 2025, 1900, 2200,
                   "assumption: the latest year with reported figures; the bubble score reads indicators in it"),
    AssumptionSpec("Red gauge score", Kind.NUMBER, "score", 80.0, 0.0, 100.0,
                   "Exponential View boom-or-bubble gauges (Azhar & Warren, Sep 2025): a gauge at or above this is red"),
    AssumptionSpec("Reds for bubble", Kind.NUMBER, "gauges", 3.0, 1.0, 50.0,
                   "Exponential View (Sep 2025): this many red gauges label the reading a bubble whatever the mean",
                   whole=True),
    AssumptionSpec("Boom score", Kind.NUMBER, "score", 40.0, 0.0, 100.0,
                   "assumption: a composite at or above this reads as a boom (below: healthy)"),
    AssumptionSpec("Bubble score", Kind.NUMBER, "score", 70.0, 0.0, 100.0,
                   "assumption: a composite at or above this reads as a bubble even with few red gauges"),
)
ASSUMPTION_BY_NAME = {a.name.lower(): a for a in ASSUMPTIONS}

# ---------------------------------------------------------------------------------------------------------------
# Market inputs read per company by the derived indicators. Any other market input without a company becomes an
# indicator of its own when the Thresholds sheet names it (e.g. "Forward P/E of AI leaders").

OPERATING_CASH_FLOW = "Operating cash flow"
DEBT_RAISED = "Debt raised"
# The share (0-1) of a supplier's AI revenue that is the sector's capex (GPUs, accelerators): past the last Capex
# column that share follows the sector's capex rather than the growth path.
SALES_FROM_CAPEX = "Sales from sector capex"
COMPANY_MARKET_INPUTS = (OPERATING_CASH_FLOW, DEBT_RAISED, SALES_FROM_CAPEX)


@dataclass(frozen=True)
class IndicatorSpec:
    """A bubble indicator the model knows. ``key`` is its stable identity (the computation, JSON and the export
    use it); ``name`` is what the Thresholds sheet and the window show, and may be reworded freely."""

    key: str
    name: str
    formula: str
    unit: str                   # "%", "x", "ratio"
    healthy: float
    bubble: float
    weight: float
    company_level: bool         # also scored per company (else sector only)
    source: str


# Thresholds are calibration, not estimates: each source says what the cut-off rests on.
CALIBRATION = "calibration (Bubblescope's default cut-off, editable on this sheet)"
SEED_000 = ('seed article 000_3066a508bbc4ba49.txt, "Amazon\'s $200 billion gamble: the winning move of the AI war, '
            'or a swamp of over-investment?" (Korean blog post, 2026)')
SEED_002 = 'seed article 002_5b4479258eb5875f.txt, "How did AI put the whole world inside a bubble?" (Sleepy.txt, Nov 2025)'

DERIVED_INDICATORS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("coverage", "Revenue coverage", "AI revenue ÷ required revenue", "%", 1.00, 0.20, 20, True,
                  f"{CALIBRATION}: revenue that covers the capital charge of the AI capex is healthy; a fifth of "
                  "it is Sequoia's 2024 picture, ~$100B earned against $600B required (D. Cahn, 'AI's $600B "
                  "Question', Sequoia Capital, Jun 2024)"),
    IndicatorSpec("capex_intensity", "Capex intensity", "capex ÷ operating cash flow", "%", 0.60, 1.00, 15, True,
                  f"{CALIBRATION}: up to 60% of operating cash flow leaves room for a downturn; at 100% all of it "
                  "goes to capex; JPMorgan (Nov 2025, in press reporting) puts hyperscalers at ~70% in 2025"),
    IndicatorSpec("macro_weight", "Macro weight", "sector capex ÷ GDP", "%", 0.005, 0.02, 10, False,
                  f"{CALIBRATION}: telecom peaked near 1% of GDP, railways 3.6% (Exponential View, Azhar & "
                  "Warren, 'Boom or bubble?', Sep 2025)"),
    IndicatorSpec("momentum", "Revenue momentum", "AI revenue growth year on year", "%", 0.50, 0.15, 10, True,
                  f"{CALIBRATION}: revenue growing 50% a year keeps pace with a capex stock that more than "
                  "doubles in two years (the sector's 2024-2026 capex here); 15% is below the slowest hyperscale "
                  f"cloud's growth in Q4 2025 (AWS +24%, {SEED_000})"),
    IndicatorSpec("external_financing", "External financing", "(debt + vendor financing) ÷ capex", "%", 0.15,
                  0.50, 10, True,
                  f"{CALIBRATION}; telecom 1996-2001: ~$300B of $444B debt-financed (Los Angeles Times, "
                  "'Telecom's pied piper', 30 Jun 2002)"),
    IndicatorSpec("circularity", "Circularity", "recycled revenue ÷ AI revenue", "%", 0.05, 0.30, 15, True,
                  f"{CALIBRATION}: up to 5% of revenue paid with the seller's own money is incidental (credits, "
                  "co-marketing); at 30% close to a third of it is, the circular financing described in "
                  f"{SEED_002}"),
    IndicatorSpec("commitments", "Commitments", "compute commitments outstanding ÷ AI revenue", "x", 1.0, 5.0, 20,
                  True,
                  "calibration: commitments a year's revenue covers are healthy; beyond five years of revenue (a "
                  "hardware life) the buyer needs outside money to honour them; weighted as revenue coverage, the "
                  "other test of whether revenue pays for the compute. OpenAI: ~$1.4T of commitments against ~$13B "
                  "of 2025 revenue (seed article 001_6e24f4539b3cd40d.txt, \"The real reason Jim Cramer warned of "
                  "the dot-com bubble over Amazon's 14-trillion-won investment\" (Korean press, Dec 2025))"),
    IndicatorSpec("payback_vs_life", "Payback vs life", "the score year's vintage: payback ÷ useful life", "x",
                  0.8, 1.0, 10, True,
                  "calibration: at r = 10% and a 5-year life, a vintage earning exactly its required revenue "
                  "pays back in 1/CRF = 3.8 years, 0.76 of its life: up to 0.8 is healthy; at 1.0 the hardware is "
                  "scrapped before it has paid for itself"),
)
MARKET_INDICATOR_DEFAULTS: tuple[IndicatorSpec, ...] = (
    IndicatorSpec("forward_pe", "Forward P/E of AI leaders", "market input", "x", 25, 50, 5, False,
                  f"{CALIBRATION}: 25x is a growth premium a leader's earnings can carry; at 50x the price "
                  "assumes a decade of that growth; Cisco traded at ~100-150x at the 2000 peak (press reporting)"),
    IndicatorSpec("top7_share", "Top-7 share of S&P 500", "market input", "%", 0.25, 0.40, 5, False,
                  f"{CALIBRATION}: 25% is about the top 7's weight at the 2000 peak; ~35% in 2025, ~10 points "
                  f"above it (press reporting; Sparkline chart in {SEED_002})"),
)
DERIVED_BY_NAME = {i.name.lower(): i for i in DERIVED_INDICATORS}
DERIVED_BY_KEY = {i.key: i for i in DERIVED_INDICATORS}


def derived_indicator(name: str) -> IndicatorSpec | None:
    """The derived indicator a Thresholds row names: by its name or by its key (case and spaces ignored)."""
    folded = " ".join(name.split()).lower()
    return DERIVED_BY_NAME.get(folded) or DERIVED_BY_KEY.get(folded.replace(" ", "_"))


def indicator_key(name: str) -> str:
    """The key a Thresholds row's indicator resolves to: a known indicator's own key, else (a market-wide input
    the analyst added) its name folded to lower case."""
    spec = derived_indicator(name)
    if spec is None:
        folded = " ".join(name.split()).lower()
        spec = next((m for m in MARKET_INDICATOR_DEFAULTS if m.name.lower() == folded), None)
    return spec.key if spec is not None else " ".join(name.split()).lower()

# ---------------------------------------------------------------------------------------------------------------
# The sheets.

SOURCE = Column("source", "Source", Kind.TEXT, width=48,
                description="Where the number comes from: a publication (title, date) or URL, a seed article by file "
                            "name and title, or 'assumption: why'.")

CAPEX = SheetSchema(
    name="Capex",
    description="AI capital expenditure per company and year, in $B.",
    columns=(
        Column("company", "Company", Kind.COMPANY, required=True, width=16, description="The company."),
        Column("in_sector", "In sector", Kind.FLAG, default=True, width=9,
               description="yes: the company is part of the sector totals and sector score (the hyperscalers)."),
        Column("ai_share", "AI share", Kind.PERCENT, unit="%", minimum=0.0, maximum=1.0, width=9,
               description="Share of the capex that builds AI capacity: payback, NPV and required revenue use "
                           "capex × AI share; capex intensity and macro weight use the whole capex. Blank: 100% "
                           "(with a warning)."),
        SOURCE,
    ),
    years=YearColumns(
        Column("capex", "capex", Kind.MONEY, unit="$B", minimum=0.0, maximum=LARGEST_AMOUNT, width=9,
               description="Capex in the year (all of it, AI and not), $B. Blank is 0."),
        after="ai_share",
    ),
    key=("company",),
)

REVENUE = SheetSchema(
    name="Revenue",
    description="AI revenue per company: a base year, its revenue and cash margin, and growth per year.",
    columns=(
        Column("company", "Company", Kind.COMPANY, required=True, width=16, description="The company."),
        Column("base_year", "Base year", Kind.YEAR, required=True, width=10,
               description="The year the base AI revenue is for."),
        Column("base_revenue", "Base AI revenue", Kind.MONEY, unit="$B", required=True, minimum=0.0,
               maximum=LARGEST_AMOUNT, width=12,
               description="AI revenue in the base year, $B (organic: without deal revenue)."),
        Column("cash_margin", "Cash margin", Kind.PERCENT, unit="%", required=True, minimum=0.0, maximum=1.0,
               minimum_inclusive=False, width=11,
               description="Share of AI revenue left as operating cash before capex."),
        SOURCE,
    ),
    years=YearColumns(
        Column("growth", "growth", Kind.PERCENT, unit="%", minimum=-1.0, maximum=10.0, minimum_inclusive=False,
               width=9,
               description="AI revenue growth into the year. Blank: the terminal growth assumption."),
        after="cash_margin",
    ),
    key=("company",),
)

INVESTMENTS = SheetSchema(
    name="Investments",
    description="Deals between companies: who funds whom, and how much comes back as purchases.",
    columns=(
        Column("investor", "Investor", Kind.COMPANY, required=True, width=14, description="Who pays."),
        Column("investee", "Investee", Kind.COMPANY, required=True, width=14, description="Who is funded."),
        Column("year", "Year", Kind.YEAR, required=True, width=7, description="First year of the payment."),
        Column("amount", "Amount", Kind.MONEY, unit="$B", required=True, minimum=0.0, maximum=LARGEST_AMOUNT,
               width=9,
               description="Total paid by the investor, $B."),
        Column("kind", "Kind", Kind.CHOICE, required=True, choices=DEAL_KIND_NAMES, width=18,
               description="How the deal moves cash: " + "; ".join(f"{k.name}: {k.description}" for k in DEAL_KINDS)),
        Column("recycled_share", "Recycled share", Kind.PERCENT, unit="%", default=0.0, minimum=0.0, maximum=1.0,
               width=10, description="Part of the amount the investee spends back with the investor (booked as "
                                     "the investor's recycled revenue)."),
        Column("spread_years", "Spread years", Kind.NUMBER, unit="years", default=1.0, minimum=1.0, maximum=50.0,
               width=8, description="Years over which the payment and the purchases back are spread evenly."),
        Column("status", "Status", Kind.CHOICE, default="announced", choices=DEAL_STATUSES, width=11,
               description="closed, announced, conditional or in talks (informational; scenarios may cancel)."),
        SOURCE,
        Column("note", "Note", Kind.TEXT, width=40, description="Anything an analyst should know."),
    ),
    key=("investor", "investee", "year", "kind"),
)

ASSUMPTIONS_SHEET = SheetSchema(
    name="Assumptions",
    description="Model-wide assumptions. Names the model reads: " + ", ".join(a.name for a in ASSUMPTIONS) + ".",
    columns=(
        Column("name", "Name", Kind.TEXT, required=True, width=18),
        Column("value", "Value", Kind.NUMBER, required=True, minimum=-LARGEST_NUMBER, maximum=LARGEST_NUMBER,
               width=10, description="Percentages may be typed as 10% or 0.10."),
        Column("unit", "Unit", Kind.TEXT, width=8),
        SOURCE,
    ),
    key=("name",),
)

MARKET = SheetSchema(
    name="Market",
    description=("Market-level inputs. Per company: 'Operating cash flow' and 'Debt raised' ($B), 'Sales from "
                 "sector capex' (a share). With no company: "
                 "any indicator (e.g. 'Forward P/E of AI leaders'); it is scored when Thresholds names it."),
    columns=(
        Column("input", "Input", Kind.TEXT, required=True, width=26),
        Column("company", "Company", Kind.COMPANY, width=14, description="Blank for a market-wide input."),
        Column("year", "Year", Kind.YEAR, required=True, width=7),
        Column("value", "Value", Kind.NUMBER, required=True, minimum=-LARGEST_NUMBER, maximum=LARGEST_NUMBER,
               width=10, description="Percentages may be typed as 35% or 0.35."),
        Column("unit", "Unit", Kind.TEXT, width=8, description="$B, %, x ..."),
        SOURCE,
    ),
    key=("input", "company", "year"),
)

THRESHOLDS = SheetSchema(
    name="Thresholds",
    description="Per bubble indicator: the healthy value (score 0), the bubble value (score 100) and the weight.",
    columns=(
        Column("indicator", "Indicator", Kind.TEXT, required=True, width=26),
        Column("healthy", "Healthy", Kind.NUMBER, required=True, minimum=-LARGEST_NUMBER, maximum=LARGEST_NUMBER,
               width=9),
        Column("bubble", "Bubble", Kind.NUMBER, required=True, minimum=-LARGEST_NUMBER, maximum=LARGEST_NUMBER,
               width=9),
        Column("weight", "Weight", Kind.NUMBER, required=True, minimum=0.0, maximum=LARGEST_NUMBER, width=8),
        SOURCE,
    ),
    key=("indicator",),
)

# -- uncertainty (optional sheets; model/core/uncertainty.py reads them, model/simulate/ samples them) ----------

MODEL_INPUT_SHEETS = ("Capex", "Revenue", "Investments", "Assumptions", "Market", "Thresholds")
DISTRIBUTION_FORMS = ("lo to hi (a 90% range)", "PERT min, most likely, max", "triangular min, most likely, max",
                      "uniform lo to hi", "a single number (fixed)")
APPLIES_AS = ("value", "multiplier")

UNCERTAINTY = SheetSchema(
    name="Uncertainty",
    description=("Optional: ranges on inputs for the simulation (python main.py simulate). One row per uncertain "
                 "input: which cells it sets and its distribution, written as analysts write ranges."),
    columns=(
        Column("input", "Input", Kind.TEXT, required=True, width=26,
               description="A name for the uncertain input, used by the Correlations sheet."),
        Column("sheet", "Sheet", Kind.CHOICE, required=True, choices=MODEL_INPUT_SHEETS, width=12,
               description="The input sheet the range applies to."),
        Column("row", "Row", Kind.TEXT, required=True, width=24,
               description="The row's key, as on the Scenarios sheet: the company; the Name of an assumption; "
                           "Input | Company | Year for a market input; Investor | Investee | Year | Kind for a "
                           "deal; the Indicator of a threshold."),
        Column("column", "Column", Kind.TEXT, required=True, width=12,
               description="The column header (Cash margin, Value...), a year, or capex / growth for the year "
                           "columns named in Years."),
        Column("years", "Years", Kind.TEXT, width=11,
               description="For capex / growth: the year columns one draw sets, e.g. 2026-2032 or 2027 "
                           "(blank: every year column)."),
        Column("distribution", "Distribution", Kind.TEXT, required=True, width=22,
               description="One of: " + "; ".join(DISTRIBUTION_FORMS) + ". A 90% range is lognormal when both "
                           "ends are above zero, else normal. Percentages as 20% to 60%."),
        Column("applies_as", "Applies as", Kind.CHOICE, default="value", choices=APPLIES_AS, width=10,
               description="value: a draw is the cell's value; multiplier: a draw multiplies the cell's value "
                           "(0.8 to 1.2 scales every year of a capex row by one draw)."),
        SOURCE,
    ),
    key=("input",),
)

CORRELATIONS = SheetSchema(
    name="Correlations",
    description=("Optional: rank (Spearman) correlations between rows of the Uncertainty sheet. Pairs not listed "
                 "are independent. A set that is not a valid correlation matrix is repaired to the nearest valid "
                 "one (Higham), with a warning."),
    columns=(
        Column("first", "First input", Kind.TEXT, required=True, width=26,
               description="The Input of an Uncertainty row."),
        Column("second", "Second input", Kind.TEXT, required=True, width=26,
               description="The Input of another Uncertainty row."),
        Column("correlation", "Rank correlation", Kind.NUMBER, required=True, minimum=-1.0, maximum=1.0,
               width=11, description="Between -1 and 1, e.g. 0.6."),
        SOURCE,
    ),
    key=("first", "second"),
)

SHEETS: tuple[SheetSchema, ...] = (CAPEX, REVENUE, INVESTMENTS, ASSUMPTIONS_SHEET, MARKET, THRESHOLDS,
                                   UNCERTAINTY, CORRELATIONS)

# Scenarios are not an input table of the model: each row changes one cell of the base (model/core/overrides.py).
SCENARIOS = SheetSchema(
    name="Scenarios",
    description=("Alternatives to the base, as diffs: each row sets one cell of an input sheet. A row with only "
                 "Scenario and Note names a scenario and says why it exists."),
    columns=(
        Column("scenario", "Scenario", Kind.TEXT, required=True, width=36, description="The scenario's name."),
        Column("sheet", "Sheet", Kind.CHOICE, choices=tuple(s.name for s in SHEETS), width=12,
               description="The input sheet the row changes (blank on the scenario's description row)."),
        Column("row", "Row", Kind.TEXT, width=34,
               description="The row's key, as in that sheet: the company; Investor | Investee | Year | Kind for a "
                           "deal; the Name of an assumption; Input | Company | Year for a market input; the "
                           "Indicator of a threshold."),
        Column("column", "Column", Kind.TEXT, width=16,
               description="The column header of that sheet (a year for a Capex or growth column)."),
        Column("value", "Value", Kind.TEXT, width=12, description="The new value, typed as in that sheet."),
        Column("note", "Note", Kind.TEXT, width=60, description="Why: the source or the reasoning."),
    ),
    key=("scenario", "sheet", "row", "column"),
)
SHEET_BY_NAME = {s.name: s for s in SHEETS + (SCENARIOS,)}

# Sheets an export adds beside the template's (also with a scenario suffix, "Cash flows (Bear)"): results, not
# inputs. The importer skips them without a warning, so an export re-imports as a clean template.
# The export's simulation sheets (model/export/uncertainty.py): results too.
SIMULATION_SHEETS = ("Simulation", "Simulation samples")
RESULT_SHEETS: tuple[str, ...] = ("Summary", "Comparison", "Cash flows", "Required revenue", "Bubble score", "Deals",
                                 "Circularity", "Revenue path", "Model", "Sensitivity", "Sources", "Score by year",
                                 *SIMULATION_SHEETS)


def sheet(name: str) -> SheetSchema:
    return SHEET_BY_NAME[name]


def default_threshold_rows() -> tuple[tuple[object, ...], ...]:
    """Thresholds rows of the blank template: the brief's calibration, every row with its source."""
    specs = DERIVED_INDICATORS + MARKET_INDICATOR_DEFAULTS
    return tuple((s.name, s.healthy, s.bubble, float(s.weight), s.source) for s in specs)


def default_assumption_rows() -> tuple[tuple[object, ...], ...]:
    return tuple((a.name, a.default, a.unit, a.source) for a in ASSUMPTIONS)


# The columns of Assumptions, Market and Thresholds whose unit is the row's: a percentage on some rows.
MIXED_UNIT_KEYS = {"Assumptions": ("value",), "Market": ("value",), "Thresholds": ("healthy", "bubble")}
_INDICATOR_UNITS = {i.name.lower(): i.unit for i in DERIVED_INDICATORS + MARKET_INDICATOR_DEFAULTS}


def row_holds_percent(sheet: str, record: dict[str, object]) -> bool:
    """True when the mixed-unit cells of this row hold a percentage: a percentage assumption (by name, else by its
    Unit), a Market row whose Unit is %, a threshold of a percentage indicator."""
    if sheet == "Assumptions":
        spec = ASSUMPTION_BY_NAME.get(str(record.get("name") or "").strip().lower())
        if spec is not None:
            return spec.kind is Kind.PERCENT
        return str(record.get("unit") or "").strip() == "%"
    if sheet == "Market":
        return str(record.get("unit") or "").strip() == "%"
    if sheet == "Thresholds":
        return _INDICATOR_UNITS.get(str(record.get("indicator") or "").strip().lower()) == "%"
    return False
