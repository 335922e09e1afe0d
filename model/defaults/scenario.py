"""The bundled default scenario: the numbers Bubblescope opens on.

Every row carries its Source: a seed article of ``shared/seeds/`` by file name and title, a URL or the name of a
public report ("estimate ⚠" marks figures seen only in secondary reporting, or estimates), or
``assumption: why``. The figures come from ``shared/brief/figures.md``; where the brief had none, the assumption
says what it rests on, so an analyst can argue with each number one by one.

Conventions, stated once:

- Money in $B, percentages as fractions, calendar years.
- **Capex is reported total capex** (incl. finance leases where the source includes them), read as AI capex, as
  the seeds and the press do. It overstates the AI-only build-out (docs/methodology.md, *Known limits*).
- **Fiscal years are calendarised by months**: Microsoft's year ends in June, so calendar year t =
  ½ FY t + ½ FY t+1; Oracle's ends in May, so calendar year t = 5/12 FY t + 7/12 FY t+1. Nvidia's ends in late
  January: FY t+1 is read as calendar year t. Operating cash flow is entered for the year a fiscal year ends in.
- **Capex after the 2026 guidance is held flat** to 2032: a plateau, neither the bulls' further growth nor a
  bust; at a 5-year life a flat rate is what it costs to keep the 2026 fleet replaced. The horizon runs to
  2035, so 2033-2035 are harvest years with no capex while the last vintages serve out their lives
  (docs/methodology.md, *Known limits*).
- **AI revenue is organic**: the Revenue sheet holds revenue paid with the buyer's own money. The part of a
  buyer's spend funded by the seller's own deal (Microsoft's money spent on Azure by OpenAI) comes from the
  Investments sheet as recycled revenue and is taken out of the base. Contracted compute commitments (OpenAI's
  $300B with Oracle) sit in the seller's growth path, not on top (docs/methodology.md).
- **Counterparties** (OpenAI, Anthropic, Nvidia, AMD, Broadcom, CoreWeave) have no Capex row: they are outside the sector
  and present for their deals, so their "payback" only weighs deal outflows against their revenue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from model.core import schema
from model.core.scenario import Cell, Scenario, Table

# ---------------------------------------------------------------------------------------------------------------
# Sources used more than once.



def seed(stem: str, title: str, where: str) -> str:
    """A seed article cited by its file name and its title (translated), never by an id alone."""
    return f'seed article {stem}.txt, "{title}" ({where})'


# Amazon $200B 2026 plan; AWS +24% vs Google Cloud +48%
SEED_AMAZON_200B = seed("000_3066a508bbc4ba49", "Amazon's $200 billion gamble: the winning move of the AI war, or a "
                        "swamp of over-investment?", "Korean blog post, 2026")
# Amazon -> OpenAI ~$10B conditional on Trainium (Dec 2025); OpenAI's ~$1.4T of commitments
SEED_AMAZON_OPENAI = seed("001_6e24f4539b3cd40d", "The real reason Jim Cramer warned of the dot-com bubble over "
                          "Amazon's 14-trillion-won investment", "Korean press, Dec 2025")
# Microsoft -> OpenAI > $13B; Nvidia margin; top-7 chart
SEED_CIRCULAR = seed("002_5b4479258eb5875f", "How did AI put the whole world inside a bubble?", "Sleepy.txt, Nov 2025")
# FT: H1 2024 capex; Microsoft $13B for 49%; OpenAI 2024
SEED_FT_CAPEX = seed("003_58cf1f0b8eaf24cd", "A know-it-all that makes no money... is the party over? AI bubble "
                     "talk spreads", "JoongAng Ilbo Factpl, 7 Aug 2024")
# WSJ: ~$90B of IG bonds; Meta $30B; Anthropic $15B
SEED_AI_DEBT = seed("004_afff2bcf0b5a5b4d", "[Global Biz Briefing] The 'AI debt' time bomb: Wall Street tense over "
                    "a flood of AI bonds", "SBS Biz, 25 Nov 2025")
SHERWOOD = "https://sherwood.news/tech/how-the-big-tech-companies-are-spending-their-huge-capex-budgets"
BUNTZ = "https://brianbuntz.github.io/ai_spend_analysis_2026"
SEQUOIA = "https://sequoiacap.com/article/ais-600b-question"
MSFT_AI_RUN_RATE = ("https://news.themarketisopen.com/microsoft-surpasses-40-billion-in-cloud-revenue-for-"
                    "first-time-ai-business-hits-13-billion-annual-run-rate")
AMD_OPENAI = "https://www.nasdaq.com/articles/openai-deploy-6-gigawatts-amd-gpus"
ORACLE_GUIDE = ("https://www.econotimes.com/Oracle-Stock-Surges-on-Strong-AI-Driven-Cloud-Growth-Outlook-"
                "1720156")
META_2025 = ("https://www.prnewswire.com/news-releases/meta-reports-fourth-quarter-and-full-year-2025-results-"
             "302673127.html")

FIRST_YEAR = 2024
LAST_CAPEX_YEAR = 2032
CAPEX_YEARS = tuple(range(FIRST_YEAR, LAST_CAPEX_YEAR + 1))
GROWTH_YEARS = tuple(range(FIRST_YEAR + 1, LAST_CAPEX_YEAR + 1))
HYPERSCALERS = ("Amazon", "Microsoft", "Alphabet", "Meta", "Oracle")
COUNTERPARTIES = ("OpenAI", "Anthropic", "Nvidia", "AMD", "Broadcom", "CoreWeave")


def microsoft_calendar_year(fy_this: float, fy_next: float) -> float:
    """Microsoft's FY t runs July t-1 to June t: calendar t is the second half of FY t and the first of FY t+1."""
    return 0.5 * fy_this + 0.5 * fy_next


def oracle_calendar_year(fy_this: float, fy_next: float) -> float:
    """Oracle's FY t runs June t-1 to May t: calendar year t is 5 months of FY t and 7 months of FY t+1."""
    return 5.0 / 12.0 * fy_this + 7.0 / 12.0 * fy_next


def _flat_after_2026(by_year: Mapping[int, float]) -> dict[int, float]:
    """Fill 2027..2032 with the 2026 value (the plateau assumption)."""
    out = dict(by_year)
    for year in range(2027, LAST_CAPEX_YEAR + 1):
        out[year] = out[2026]
    return out


def _table(sheet: str, records: Sequence[Mapping[str, Cell]], years: Sequence[int] = ()) -> Table:
    """A Table whose rows follow ``SheetSchema.layout(years)`` exactly; unset columns take the schema default."""
    empty = Table(sheet, tuple(years))
    keys = set(empty.keys)
    rows = []
    for rec in records:
        unknown = set(rec) - keys
        if unknown:
            raise KeyError(f"{sheet} has no column(s) {sorted(unknown)}")
        rows.append(tuple(rec.get(c.key, c.default) for c in empty.columns))
    return Table(sheet, tuple(years), tuple(rows))


# ---------------------------------------------------------------------------------------------------------------
# Capex ($B, calendar years).

MICROSOFT_FY = {2024: 55.7, 2025: 88.0, 2026: (116.0 + 145.0) / 2}  # FY26: midpoint of analysts' 116-145
ORACLE_FY = {2024: 6.87, 2025: 21.2, 2026: 50.0}                     # FY24 10-K; FY25 21.2; FY26 guide ~50


def _microsoft_capex() -> dict[int, float]:
    fy = dict(MICROSOFT_FY)
    fy[2027] = fy[2026]                                   # FY27 held at FY26: the plateau assumption
    cy = {y: round(microsoft_calendar_year(fy[y], fy[y + 1]), 2) for y in (2024, 2025, 2026)}
    return _flat_after_2026(cy)


def _oracle_capex() -> dict[int, float]:
    fy = dict(ORACLE_FY)
    fy[2027] = fy[2026]
    cy = {y: round(oracle_calendar_year(fy[y], fy[y + 1]), 2) for y in (2024, 2025, 2026)}
    return _flat_after_2026(cy)


PLATEAU = "assumption: 2027-2032 held flat at the 2026 level (plateau: replacing a 5-year fleet at that rate)"

CAPEX: tuple[tuple[str, bool, dict[int, float], str], ...] = (
    ("Amazon", True, _flat_after_2026({2024: 83.0, 2025: 131.8, 2026: 200.0}),
     f"{SHERWOOD} (2024 83.0, 2025 131.8); {SEED_AMAZON_200B} (2026 plan ~$200B, +60% y/y, 'on AI "
     f"infrastructure' per the seed); total capex (incl. logistics, Kuiper) read as AI capex; {PLATEAU}"),
    ("Microsoft", True, _microsoft_capex(),
     "Microsoft filings: FY24 55.7; FY25 ~88 incl. finance leases, estimate ⚠ (FY25 10-K lease note: $20.5B "
     f"of finance-lease assets); FY26 130.5 = midpoint of analysts' 116-145, estimate ⚠ ({BUNTZ}); calendarised, "
     "CY t = ½ FY t + ½ FY t+1 (FY ends June): 2024 = (55.7+88)/2, 2025 = (88+130.5)/2; assumption: no formal "
     "guide, FY27 and 2027-2032 held flat at FY26 (plateau)"),
    ("Alphabet", True, _flat_after_2026({2024: 52.5, 2025: 91.4, 2026: (175.0 + 185.0) / 2}),
     f"{SHERWOOD} (2024 52.5, 2025 91.4, 2026 guide 175-185: midpoint 180); {PLATEAU}"),
    ("Meta", True, _flat_after_2026({2024: 39.2, 2025: 72.2, 2026: (115.0 + 135.0) / 2}),
     f"{SHERWOOD} (incl. finance leases: 2024 39.2, 2025 72.2, 2026 guide 115-135: midpoint 125); {PLATEAU}"),
    ("Oracle", True, _oracle_capex(),
     f"Oracle FY24 10-K (6.87); FY25 21.2 and FY26 guide ~50 ({BUNTZ}); calendarised, CY t = 5/12 FY t + "
     "7/12 FY t+1 (FY ends May): 2024 = 15.2, 2025 = 38.0; assumption: FY27 and 2027-2032 held flat at ~50 "
     "(plateau; Oracle leases most data-centre shells, so its capex is mainly equipment - delivering its OCI "
     "guide may need more)"),
)


# The share of each company's capex that builds AI capacity (data centres, servers, networking for AI). Payback,
# NPV and required revenue set AI revenue against capex × this share; capex intensity and macro weight keep the
# whole capex. None of the five reports the split: each share is an estimate ⚠ from what management said.
AI_SHARE: dict[str, tuple[float, str]] = {
    "Amazon": (0.75, "AI share 75%, estimate ⚠: Amazon Q4 2024 earnings call (6 Feb 2025), A. Jassy: 'the vast "
                     "majority of that capex spend is on AI for AWS'; the rest is fulfilment, transport and Kuiper "
                     "(~$20-30B a year by analysts' estimates)"),
    "Microsoft": (0.90, "AI share 90%, estimate ⚠: B. Smith, 'The Golden Opportunity for American AI' (Microsoft "
                        "On the Issues blog, 3 Jan 2025): ~$80B on AI-enabled datacenters in FY25, of ~$88B of "
                        "capex incl. finance leases"),
    "Alphabet": (0.80, "AI share 80%, estimate ⚠: Alphabet Q4 2024 earnings call (4 Feb 2025): the majority of "
                       "capex is technical infrastructure, ~60% servers and ~40% data centres and networking, "
                       "driven by AI; offices and non-AI compute are the rest"),
    "Meta": (0.80, "AI share 80%, estimate ⚠: Meta Q4 2024 earnings call (29 Jan 2025): 2025 capex growth is "
                   "'driven by' generative AI and core AI ranking servers and data centres; Reality Labs, offices "
                   "and non-AI servers are the rest"),
    "Oracle": (0.90, "AI share 90%, estimate ⚠: Oracle FY25 Q4 call (Jun 2025): capex goes to OCI data-centre "
                     "equipment for AI training and inference demand; Oracle leases most shells"),
}


def capex_table() -> Table:
    records = []
    for company, in_sector, by_year, source in CAPEX:
        share, share_source = AI_SHARE[company]
        rec: dict[str, Cell] = {"company": company, "in_sector": in_sector, "ai_share": share,
                                "source": f"{source}; {share_source}"}
        rec.update({str(y): float(v) for y, v in by_year.items()})
        records.append(rec)
    return _table("Capex", records, CAPEX_YEARS)


# ---------------------------------------------------------------------------------------------------------------
# Revenue: organic AI revenue, cash margin before capex, growth into each year.

def _oracle_oci_calendar() -> dict[int, float]:
    """OCI revenue by calendar year from Oracle's fiscal-year guide (Sep 2025): FY26 18, FY27 32, FY28 73,
    FY29 114, FY30 144. FY25 = 18 / 1.77 (the guided +77%); FY24 ~6.8 (FY25 growth ~50%, estimate);
    FY31 +10%, FY32 and FY33 +5% are assumptions (growth fading after the guide)."""
    fy = {2024: 6.8, 2025: 18.0 / 1.77, 2026: 18.0, 2027: 32.0, 2028: 73.0, 2029: 114.0, 2030: 144.0}
    fy[2031] = fy[2030] * 1.10
    fy[2032] = fy[2031] * 1.05
    fy[2033] = fy[2032] * 1.05
    return {y: oracle_calendar_year(fy[y], fy[y + 1]) for y in range(2024, 2033)}


def _growth_from_levels(levels: Mapping[int, float]) -> dict[int, float]:
    return {y: levels[y] / levels[y - 1] - 1.0 for y in GROWTH_YEARS if y in levels and y - 1 in levels}


ORACLE_OCI = _oracle_oci_calendar()

# (company, base year, base organic AI revenue, cash margin, growth into each year, source)
REVENUE: tuple[tuple[str, int, float, float, dict[int, float], str], ...] = (
    ("Amazon", 2024, 4.0, 0.60,
     {2025: 1.50, 2026: 0.90, 2027: 0.70, 2028: 0.50, 2029: 0.40, 2030: 0.30, 2031: 0.25, 2032: 0.20},
     "assumption: AWS AI revenue 2024 ~$6B ('a multi-billion-dollar run-rate growing triple digits', Amazon "
     "Q3 2024 call, estimate ⚠) less ~$2B of Anthropic's AWS spend paid with Amazon's own $8B (booked as "
     "recycled) = 4; 2025 +150% to ~10 organic (~8% of AWS's $128.7B; Bedrock and Trainium each a "
     f"'multi-billion' run-rate, Amazon Q4 2025 call); AWS grows 24% vs Google Cloud's 48% ({SEED_AMAZON_200B}), "
     "so growth fades from +90% in 2026 to +20% in 2032 (~$130B, ~30% of a ~$450B AWS); cash margin 60% ~ AWS "
     "operating margin ~35% plus D&A (cash before capex)"),
    ("Microsoft", 2024, 5.0, 0.60,
     {2025: 2.00, 2026: 1.00, 2027: 0.70, 2028: 0.50, 2029: 0.40, 2030: 0.30, 2031: 0.25, 2032: 0.20},
     f"{MSFT_AI_RUN_RATE} (AI run-rate > $13B in Jan 2025, +175% y/y, so ~$4.7B a year earlier: CY2024 ≈ 9) "
     "less ~3.9 of OpenAI's Azure spend paid with Microsoft's own investment (booked as recycled) = 5 organic; "
     "assumption: 2025 +200% (the run-rate doubling again as AI drove Azure to +39%), 2026 +100% as OpenAI's "
     "$250B and Anthropic's $30B Azure commitments start to be consumed (they sit here, not on top), fading to "
     "+20% by 2032 (~$210B); cash margin 60% ~ cloud operating margin plus D&A, Copilot's software margin "
     "offset by AI's lower gross margin"),
    ("Alphabet", 2024, 12.0, 0.60,
     {2025: 1.00, 2026: 0.80, 2027: 0.60, 2028: 0.45, 2029: 0.35, 2030: 0.28, 2031: 0.22, 2032: 0.18},
     "assumption: ~¼ of Google Cloud's 2024 $43B plus Gemini subscriptions ≈ 12 (Sequoia allowed Google $10B "
     f"of AI revenue, {SEQUOIA}); 2025 +100% to ~24 (~⅓ of Cloud's ~$59B; Cloud +48% in Q4, {SEED_AMAZON_200B}, "
     "'led by' AI infrastructure and solutions and a > $70B run-rate, Alphabet Q4 2025 release); fades from "
     "+80% in 2026 to +18% by 2032 (~$250B); AI's lift to Search ads not counted (unmeasurable); cash margin "
     "60% as cloud peers"),
    ("Meta", 2024, 10.0, 0.60,
     {2025: 0.80, 2026: 0.50, 2027: 0.40, 2028: 0.30, 2029: 0.25, 2030: 0.20, 2031: 0.15, 2032: 0.15},
     "assumption: Meta sells no compute; its AI revenue is the ad revenue AI ranking and ad tools add: $10B in "
     f"2024 (Sequoia's allowance for Meta, {SEQUOIA}); 2025 +80% to 18, about half of 2025's $35.5B growth in "
     f"ad revenue ({META_2025}); fades to +15% (~$100B by 2032, ~20% of Meta's revenue); counting every "
     "AI-ranked ad instead would multiply this several times - the bulls' case; cash margin 60% (incremental "
     "ad revenue costs little, but AI staff and power are opex)"),
    ("Oracle", 2025, ORACLE_OCI[2025], 0.35, _growth_from_levels(ORACLE_OCI),
     f"Oracle FY26 Q1 results (Sep 2025, {ORACLE_GUIDE}): OCI revenue +77% to $18B in FY26, then $32B, $73B, "
     "$114B, $144B in FY27-FY30, calendarised (5/12 + 7/12); FY31 +10%, FY32 +5% are assumptions. OCI, nearly "
     "all AI build-out by now, includes OpenAI's $300B contract (RPO $455B): this is management's guide, the "
     "most bullish path in the sheet. Cash margin 35%: Oracle's own target of 30-35% gross margin on AI "
     "infrastructure over a contract's life (Oracle financial analyst meeting, Oct 2025, in press reporting, "
     "estimate ⚠), used as the cash margin - a gross margin after depreciation is a floor for cash before "
     "capex, but Oracle leases most data-centre shells and rents GPUs at thin margins today: ~14% gross margin on "
     "Nvidia GPU rentals (The Information, Oct 2025, estimate ⚠), the bear case to try"),
    ("OpenAI", 2025, 13.1, 0.30,
     {2025: 13.1 / 3.7 - 1.0, 2026: 1.00, 2027: 0.60, 2028: 0.45, 2029: 0.35, 2030: 0.30, 2031: 0.25,
      2032: 0.20},
     "press reporting, estimate ⚠: revenue ~3.7 (2024), ~13.1 (2025), > $20B run-rate at end 2025 "
     f"({SEED_FT_CAPEX}: 2024 revenue 3.5-4.5, costs ~8.5); assumption: 2026 +100% (the year-end run-rate alone "
     "gives +55%), fading to +20% by 2032 (~$160B, below OpenAI's own ambitions); cash margin 30% before "
     "compute (assumption: staff, sales and overheads; compute is paid through the commitments in Investments "
     "- compute bought outside them is not modelled, which flatters OpenAI); no Capex row: OpenAI rents its "
     "compute"),
    ("Anthropic", 2025, 4.5, 0.30,
     {2025: 6.50, 2026: 2.00, 2027: 0.80, 2028: 0.50, 2029: 0.35, 2030: 0.30, 2031: 0.25, 2032: 0.20},
     "press reporting, estimate ⚠: run-rate ~$1B (Jan 2025), ~7 (Oct 2025), ~9 (end 2025); assumption: 2025 "
     "revenue ≈ the year's average run-rate ≈ 4.5, 2024 ≈ 0.6 (the run-rate reached ~$1B by its end); 2026 "
     "+200% (the year-end run-rate alone gives +100%), fading to +20%; cash margin 30% before compute as "
     f"OpenAI; no Capex row (its $50B US infrastructure plan, {SEED_AI_DEBT}, is built by partners)"),
    ("Nvidia", 2025, 193.7, 0.60,
     {2025: 193.7 / 115.2 - 1.0, 2026: 0.40, 2027: 0.15, 2028: 0.05, 2029: 0.0, 2030: 0.0, 2031: 0.0,
      2032: 0.0},
     "Nvidia filings: data-centre revenue FY25 115.2, FY26 193.7 (estimate ⚠), FY t+1 (ending Jan t+1) read as "
     "calendar t; assumption: then it follows its buyers' capex - +40% in 2026 (sector capex +55% here, less "
     "the TPU/Trainium/AMD share), +15%, +5%, then flat with the capex plateau; cash margin 60% (assumption: "
     f"operating margin ~60-70% - {SEED_CIRCULAR} says > 70%, estimate ⚠ - less cash tax); no Capex row: "
     "fabless"),
    ("AMD", 2024, 5.0, 0.35,
     {2025: 0.30, 2026: 0.80, 2027: 0.60, 2028: 0.40, 2029: 0.25, 2030: 0.15, 2031: 0.10, 2032: 0.05},
     "AMD Q4 2024 call: Instinct data-centre GPU revenue > $5B in 2024, estimate ⚠; assumption: 2025 +30% "
     f"(MI350 ramp, MI308 China ban), 2026 +80% as MI450 ships for OpenAI's first GW in H2 2026 ({AMD_OPENAI}; "
     f"{SEED_AMAZON_200B} related headline), fading to +5%; cash margin 35% (assumption: AMD's margins are well "
     "below Nvidia's); no Capex row: fabless"),
    ("Broadcom", 2024, 12.2, 0.45,
     {2025: 20.0 / 12.2 - 1.0, 2026: 0.60, 2027: 0.15, 2028: 0.05, 2029: 0.0, 2030: 0.0, 2031: 0.0, 2032: 0.0},
     "Broadcom Q4 FY2024 results release (12 Dec 2024): AI revenue $12.2B in FY24 (+220%); Q4 FY2025 results "
     "release (11 Dec 2025): AI semiconductor revenue ~$20B in FY25 (+65%), estimate ⚠; fiscal years end in early "
     "November, read as calendar years; assumption: then it follows its buyers' capex as Nvidia - +60% in 2026 "
     "(sector capex +55% here, and OpenAI's first custom accelerators from H2 2026), +15%, +5%, then flat with the "
     "capex plateau; cash margin 45% (assumption: below its semiconductor segment's operating margin, ~57% in the "
     "FY24 10-K, as custom accelerators carry lower gross margins); no Capex row: fabless"),
    ("CoreWeave", 2025, 5.1, 0.60,
     {2025: 5.1 / 1.92 - 1.0, 2026: 1.00, 2027: 0.50, 2028: 0.30, 2029: 0.20, 2030: 0.10, 2031: 0.05,
      2032: 0.05},
     "CoreWeave filings: 2024 revenue 1.92 (prospectus); 2025 guide 5.05-5.15 (Nov 2025, midpoint 5.1), "
     "estimate ⚠; assumption: 2026 +100% on a $55.6B backlog (OpenAI $22.4B, Meta), fading to +5%; cash "
     "margin 60% ~ its adjusted EBITDA margin (~62% in 2025 results) before ~$1.2B a year of interest; no "
     "Capex row: kept out of the sector (2025 capex guide $12-14B, 2026 'well in excess of double')"),
)


def revenue_table() -> Table:
    records = []
    for company, base_year, base, margin, growth, source in REVENUE:
        rec: dict[str, Cell] = {"company": company, "base_year": base_year, "base_revenue": float(base),
                                "cash_margin": margin, "source": source}
        rec.update({str(y): float(g) for y, g in growth.items()})
        records.append(rec)
    return _table("Revenue", records, GROWTH_YEARS)


# ---------------------------------------------------------------------------------------------------------------
# Investments: the circular web.

INVESTMENTS: tuple[dict[str, Cell], ...] = (
    {"investor": "Microsoft", "investee": "OpenAI", "year": 2024, "amount": 13.0, "kind": "equity",
     "recycled_share": 0.9, "spread_years": 3.0, "status": "closed",
     "source": f"{SEED_CIRCULAR}; {SEED_FT_CAPEX} (> $13B for a 49% economic interest)",
     "note": "Paid 2019-2023 ($1B 2019, $2B 2021, $10B from 2023 in tranches, much of it as Azure credits per "
             "press, estimate ⚠). The model starts in 2024, so the deal is entered in 2024 and spread over "
             "2024-2026, the years OpenAI consumed it on Azure, instead of a pre-2024 lump (counted in 2024 "
             "with a warning). This puts cash that partly left earlier inside the window: conservative for "
             "Microsoft. Recycled 90%: credits can only be spent on Azure and OpenAI's Azure bills exceed the "
             "investment; 10% left for other uses. Microsoft keeps ~27% of OpenAI after the Oct 2025 "
             "recapitalisation."},
    {"investor": "Nvidia", "investee": "OpenAI", "year": 2026, "amount": 100.0, "kind": "vendor financing",
     "recycled_share": 0.8, "spread_years": 5.0, "status": "conditional",
     "source": "OpenAI and Nvidia joint release, 'OpenAI and NVIDIA announce strategic partnership to deploy 10 "
               "gigawatts of NVIDIA systems' (22 Sep 2025): letter of intent, up to $100B paid $10B per GW "
               "deployed, 10 GW",
     "note": "Vendor financing: Nvidia funds its customer so that it buys Nvidia systems. Paid per GW from the "
             "first GW in H2 2026; assumption: 10 GW over 2026-2030 (5 years). Recycled 80%: each GW carries "
             "far more Nvidia content than $10B, but the GPUs are bought through partners (Oracle, Microsoft, "
             "CoreWeave) and part of the money pays for power, shells and staff. Conditional: a letter of "
             "intent."},
    {"investor": "AMD", "investee": "OpenAI", "year": 2026, "amount": 30.0, "kind": "vendor financing",
     "recycled_share": 1.0, "spread_years": 5.0, "status": "conditional",
     "source": f"{AMD_OPENAI} (6 GW; warrant for 160M AMD shares at $0.01, Oct 2025); value estimate ⚠",
     "note": "Value is a judgment: 160M shares x ~$190 (between AMD's ~$165 close before and ~$200+ after the "
             "announcement) ≈ $30B, ignoring the vesting hurdles (tranches vest with GW deployed and AMD share "
             "prices up to $600: lower if they fail, higher if they vest at the hurdle). Non-cash for AMD "
             "(dilution borne by its shareholders) but entered as an outflow so that the circular value shows. "
             "Vests with deployments from H2 2026; assumption: over 5 years. Recycled 100%: it only vests as "
             "OpenAI buys AMD GPUs, worth far more than the warrant."},
    {"investor": "OpenAI", "investee": "Broadcom", "year": 2026, "amount": 300.0, "kind": "compute commitment",
     "recycled_share": 0.0, "spread_years": 4.0, "status": "announced",
     "source": "OpenAI and Broadcom joint release, 'OpenAI and Broadcom announce strategic collaboration to deploy "
               "10 gigawatts of OpenAI-designed AI accelerators' (13 Oct 2025); value estimate ⚠: 10 GW x ~$30B, "
               "the per-GW share of seed 001's ~$1.4T as in the OpenAI -> Nvidia row",
     "note": "Custom accelerators and Ethernet racks deployed from H2 2026 to the end of 2029: assumption, evenly "
             "over 2026-2029. Not added to Broadcom's revenue (its growth path follows the sector's capex). "
             "Recycled 0. With Oracle, Azure, AWS, CoreWeave, Nvidia and AMD it makes $1,390.4B of seed 001's "
             "~$1.4T."},
    {"investor": "OpenAI", "investee": "Oracle", "year": 2027, "amount": 300.0, "kind": "compute commitment",
     "recycled_share": 0.0, "spread_years": 5.0, "status": "announced",
     "source": "WSJ, 'Oracle, OpenAI Sign $300 Billion Computing Deal, Among Biggest in History' (10 Sep 2025), "
               "via press, estimate ⚠: ~$300B of compute over 5 years from 2027, 4.5 GW",
     "note": "OpenAI buys compute from Oracle, paid as used. Not added to Oracle's revenue by the model: "
             "Oracle's OCI growth path already contains it (its RPO jumped to $455B). Nothing comes back to "
             "OpenAI: recycled 0. Cancelling this row removes OpenAI's cost, not Oracle's revenue - lower "
             "Oracle's growth too in such a scenario."},
    {"investor": "OpenAI", "investee": "Microsoft", "year": 2026, "amount": 250.0, "kind": "compute commitment",
     "recycled_share": 0.0, "spread_years": 7.0, "status": "announced",
     "source": "Microsoft and OpenAI release, 'The next chapter of the Microsoft-OpenAI partnership' (28 Oct "
               "2025): OpenAI commits an incremental $250B to Azure; Microsoft keeps ~27%",
     "note": "Term undisclosed; assumption: consumed evenly over 2026-2032. In Microsoft's growth path, not on "
             "top. Recycled 0 (the revenue share Microsoft pays OpenAI is not modelled)."},
    {"investor": "OpenAI", "investee": "CoreWeave", "year": 2025, "amount": 22.4, "kind": "compute commitment",
     "recycled_share": 0.0, "spread_years": 5.0, "status": "closed",
     "source": "CoreWeave releases and filings, via press reporting: contracts of $11.9B (Mar 2025), $4B (May "
               "2025) and $6.5B (Sep 2025)",
     "note": "Assumption: consumed over 2025-2029 (the first contract ran five years). CoreWeave also gave "
             "OpenAI $350M of shares at its IPO (not entered: small)."},
    {"investor": "OpenAI", "investee": "Amazon", "year": 2025, "amount": 38.0, "kind": "compute commitment",
     "recycled_share": 0.0, "spread_years": 7.0, "status": "closed",
     "source": "Amazon press release 'AWS and OpenAI announce multi-year strategic partnership' (3 Nov 2025): "
               f"$38B over seven years of EC2 UltraServers with Nvidia GB200/GB300; part of the ~$1.4T in "
               f"{SEED_AMAZON_OPENAI}",
     "note": "Signed Nov 2025, capacity deployed by the end of 2026; assumption: consumed evenly over 2025-2031 "
             "(the seven years). In Amazon's growth path (AWS), not on top. Recycled 0: nothing comes back to "
             "OpenAI."},
    {"investor": "OpenAI", "investee": "Nvidia", "year": 2026, "amount": 300.0, "kind": "compute commitment",
     "recycled_share": 0.0, "spread_years": 5.0, "status": "announced",
     "source": "OpenAI and Nvidia joint release, 'OpenAI and NVIDIA announce strategic partnership to deploy 10 "
               "gigawatts of NVIDIA systems' (letter of intent, 22 Sep 2025); value estimate ⚠: 10 GW x ~$30B, the "
               f"part of the ~$1.4T of commitments in {SEED_AMAZON_OPENAI} left after the deals priced in dollars "
               "(Oracle 300, Azure 250, AWS 38, CoreWeave 22.4: 610.4), spread over the 26 GW of chip deals "
               "(Nvidia 10, AMD 6, Broadcom 10): 789.6 / 26 = 30.4",
     "note": "The systems OpenAI commits to deploy, the other side of Nvidia's investment above. ~$30B a GW is "
             "below Nvidia's own ~$35B of content in a $50-60B gigawatt (J. Huang, Nvidia Q2 FY26 call, Aug 2025, "
             "estimate ⚠). Assumption: 2 GW a year over 2026-2030, as the investment row. Not added to Nvidia's "
             "revenue: its growth path follows the sector's capex (Market: sales from capex), and part of these "
             "systems stand in Oracle's and Microsoft's data centres, so seed 001's tally counts some capacity "
             "twice - entered as the seed counts it, for the commitments gauge. Recycled 0."},
    {"investor": "OpenAI", "investee": "AMD", "year": 2026, "amount": 180.0, "kind": "compute commitment",
     "recycled_share": 0.0, "spread_years": 5.0, "status": "announced",
     "source": f"{AMD_OPENAI} (6 GW of AMD Instinct GPUs from H2 2026, Oct 2025); value estimate ⚠: 6 GW x ~$30B, "
               "the per-GW share of seed 001's ~$1.4T as in the OpenAI -> Nvidia row",
     "note": "The GPUs OpenAI commits to buy, against which AMD's warrant above vests. Assumption: over "
             "2026-2030, as the warrant. Not added to AMD's revenue (its growth path, as Nvidia's). Recycled 0."},
    {"investor": "Nvidia", "investee": "CoreWeave", "year": 2026, "amount": 6.3, "kind": "compute commitment",
     "recycled_share": 0.0, "spread_years": 7.0, "status": "conditional",
     "source": "CoreWeave filings (8-K, Sep 2025), via press reporting: Nvidia backstops $6.3B of CoreWeave's "
               "unused capacity to 2032",
     "note": "A capacity backstop: Nvidia pays only for capacity CoreWeave cannot sell. Entered at its maximum, "
             "spread 2026-2032: the upper bound of Nvidia's cost. Recycled 0: the payment buys capacity already "
             "built with Nvidia GPUs and triggers no new purchase (the backstop's real effect, making "
             "CoreWeave's GPU purchases financeable, has no cash figure)."},
    {"investor": "Microsoft", "investee": "Anthropic", "year": 2026, "amount": 5.0, "kind": "equity",
     "recycled_share": 0.9, "spread_years": 1.0, "status": "announced",
     "source": f"{SEED_AI_DEBT} ($15B from Microsoft and Nvidia at a $350B valuation); press: Microsoft up to "
               "$5B",
     "note": "Announced Nov 2025; assumption: funded in 2026. Recycled 90%: Anthropic commits $30B to Azure, "
             "six times the investment, so nearly all of it comes back as Azure revenue."},
    {"investor": "Nvidia", "investee": "Anthropic", "year": 2026, "amount": 10.0, "kind": "vendor financing",
     "recycled_share": 0.8, "spread_years": 2.0, "status": "announced",
     "source": f"{SEED_AI_DEBT} ($15B from Microsoft and Nvidia); press: Nvidia up to $10B",
     "note": "Anthropic commits to up to 1 GW of Nvidia systems (run on Azure): a supplier funding its "
             "customer. Assumption: funded over 2026-2027. Recycled 80% as Nvidia -> OpenAI (the GPUs are "
             "bought through Azure)."},
    {"investor": "Anthropic", "investee": "Microsoft", "year": 2026, "amount": 30.0, "kind": "compute commitment",
     "recycled_share": 0.0, "spread_years": 5.0, "status": "announced",
     "source": "Microsoft release, 'Microsoft, NVIDIA and Anthropic announce strategic partnerships' (18 Nov "
               "2025): Anthropic commits $30B to Azure compute",
     "note": "Term undisclosed; assumption: 2026-2030. In Microsoft's growth path, not on top."},
    {"investor": "Amazon", "investee": "Anthropic", "year": 2024, "amount": 8.0, "kind": "equity",
     "recycled_share": 0.8, "spread_years": 3.0, "status": "closed",
     "source": "Amazon releases (Sep 2023, Mar 2024; 'Amazon and Anthropic deepen strategic collaboration', 22 "
               "Nov 2024): Amazon invested $8B ($4B Sep 2023-Mar 2024, $4B Nov 2024)",
     "note": "About $1.25B was paid in 2023; entered in 2024 (the model's first year) and spread over "
             "2024-2026, the years Anthropic spent it on AWS (its primary cloud and training partner: "
             "Trainium, Project Rainier). Recycled 80%: most goes to AWS compute, the rest to staff."},
    {"investor": "Amazon", "investee": "OpenAI", "year": 2026, "amount": 10.0, "kind": "vendor financing",
     "recycled_share": 0.9, "spread_years": 2.0, "status": "in talks",
     "source": f"{SEED_AMAZON_OPENAI} (~$10B, conditional on OpenAI using Trainium, Dec 2025); "
               f"{SEED_AMAZON_200B} (talks up to $50B)",
     "note": "Under discussion, and conditional on OpenAI using Amazon's Trainium chips: a supplier funding its "
             "customer, hence vendor financing (Cramer: 'sham-like'). The later talks of up to $50B (seed 000) "
             "would supersede it, not add to it: raise the amount in a scenario. Assumption: 2026-2027. "
             "Recycled 90%: the condition ties the money to AWS/Trainium spend."},
)


def investments_table() -> Table:
    return _table("Investments", INVESTMENTS)


# ---------------------------------------------------------------------------------------------------------------
# Assumptions: every name the model reads, the schema's defaults and sources, with these values.

ASSUMPTION_OVERRIDES: dict[str, tuple[float, str]] = {
    "Useful life": (5.0, "assumption: 5 years: server lives in company filings 5-6 years (10-Ks: Microsoft and "
                         "Alphabet 6, Oracle 5, Amazon 5-6, Meta 5.5), critics 1-3, analysts ~5; GPU economic "
                         "life CoreWeave 6, Lambda 5, Nebius 4 (press reporting); 3 and 6 are the sensitivity "
                         "range"),
    "GDP": (30000.0, "BEA (US Bureau of Economic Analysis), national accounts: US GDP 2025 ~$30T, the "
                     "denominator of the Macro weight indicator"),
    "GDP year": (2025.0, "BEA: the year of the GDP figure above (2025)"),
}


def assumptions_table() -> Table:
    rows = []
    for spec in schema.ASSUMPTIONS:
        value, source = ASSUMPTION_OVERRIDES.get(spec.name, (spec.default, spec.source))
        rows.append({"name": spec.name, "value": float(value), "unit": spec.unit, "source": source})
    return _table("Assumptions", rows)


# ---------------------------------------------------------------------------------------------------------------
# Market inputs.

OCF = schema.OPERATING_CASH_FLOW
DEBT = schema.DEBT_RAISED
WSJ_90 = f"part of the ~$90B of IG bonds by Amazon, Alphabet, Meta and Oracle since Sep 2025 in {SEED_AI_DEBT}"

MARKET: tuple[dict[str, Cell], ...] = (
    # Operating cash flow as reported: the denominator of Capex intensity. Cross-check, JPMorgan's ~70% capex/OCF
    # for 2025: these give 443 / 577 = 77% for the five (total capex, so somewhat above).
    {"input": OCF, "company": "Amazon", "year": 2024, "value": 115.9, "unit": "$B",
     "source": "Amazon Q4 2025 results release (Feb 2026): operating cash flow 2024 $115.9B"},
    {"input": OCF, "company": "Amazon", "year": 2025, "value": 139.5, "unit": "$B",
     "source": "Amazon Q4 2025 results release (Feb 2026): operating cash flow 2025 $139.5B; the ~$178B in "
               "press reporting (exceeded by 2026 capex, estimate ⚠) reads as a forward figure: not used"},
    {"input": OCF, "company": "Microsoft", "year": 2024, "value": 118.5, "unit": "$B",
     "source": "Microsoft FY2025 10-K cash-flow statement: net cash from operations FY24 (to June 2024) "
               "$118.5B, entered for the calendar year it ends in"},
    {"input": OCF, "company": "Microsoft", "year": 2025, "value": 136.2, "unit": "$B",
     "source": "Microsoft FY2025 10-K: net cash from operations FY25 (to June 2025) $136.2B, entered as 2025 "
               "(calendar 2025 is likely higher, so Microsoft's capex intensity is slightly overstated)"},
    {"input": OCF, "company": "Alphabet", "year": 2024, "value": 125.3, "unit": "$B",
     "source": "Alphabet 2024 10-K: net cash provided by operating activities $125.3B"},
    {"input": OCF, "company": "Alphabet", "year": 2025, "value": 164.7, "unit": "$B",
     "source": "Alphabet Q4 and fiscal year 2025 results release (4 Feb 2026): operating cash flow $164.7B"},
    {"input": OCF, "company": "Meta", "year": 2024, "value": 91.3, "unit": "$B",
     "source": "Meta 2024 10-K: net cash provided by operating activities $91.3B"},
    {"input": OCF, "company": "Meta", "year": 2025, "value": 115.8, "unit": "$B",
     "source": f"{META_2025} (Meta Q4 2025 results: operating cash flow 2025 $115.8B)"},
    {"input": OCF, "company": "Oracle", "year": 2024, "value": 18.7, "unit": "$B",
     "source": "Oracle FY2024 10-K: operating cash flow FY24 (to May 2024) $18.7B, entered as 2024"},
    {"input": OCF, "company": "Oracle", "year": 2025, "value": 20.8, "unit": "$B",
     "source": "Oracle FY2025 Q4 results release (Jun 2025): operating cash flow FY25 (to May 2025) $20.8B, "
               "entered as 2025"},
    # Debt raised in 2025: the WSJ's ~$90B of investment-grade bonds since September, by issuer.
    {"input": DEBT, "company": "Meta", "year": 2025, "value": 30.0, "unit": "$B",
     "source": f"{SEED_AI_DEBT} ($30B bond, end Oct 2025, at notably higher yields); the off-balance-sheet "
               "Hyperion data-centre financing is not included"},
    {"input": DEBT, "company": "Oracle", "year": 2025, "value": 18.0, "unit": "$B",
     "source": f"press reporting, estimate ⚠: $18B bond (Sep 2025), {WSJ_90}"},
    {"input": DEBT, "company": "Alphabet", "year": 2025, "value": 25.0, "unit": "$B",
     "source": f"press reporting, estimate ⚠: ~$25B of US and euro bonds (Nov 2025), {WSJ_90}"},
    {"input": DEBT, "company": "Amazon", "year": 2025, "value": 15.0, "unit": "$B",
     "source": f"press reporting, estimate ⚠: $15B bond (Nov 2025), {WSJ_90}; the four issues sum to 88"},
    {"input": DEBT, "company": "Microsoft", "year": 2025, "value": 0.0, "unit": "$B",
     "source": f"assumption: no bond in 2025 (none issued in FY25 per its 10-K; not among the issuers in "
               f"{SEED_AI_DEBT}); its finance leases (FY25 $20.5B, inside its capex) are debt-like and an analyst "
               "may count them here. BofA's $121B of 2025 hyperscaler issuance (press, estimate ⚠) exceeds the "
               "88 allocated: the ~$33B rest, mostly before September, has no issuer breakdown here and is left "
               "out, so External financing is a floor"},
    # Suppliers whose AI revenue is the sector's capex: past the last Capex column it follows that capex.
    {"input": schema.SALES_FROM_CAPEX, "company": "Nvidia", "year": 2025, "value": 1.0, "unit": "share",
     "source": "assumption: Nvidia's data-centre revenue (the Revenue row) is systems bought with AI capex; its "
               "growth path already follows the sector's capex to 2032 (Revenue sheet source)"},
    {"input": schema.SALES_FROM_CAPEX, "company": "AMD", "year": 2025, "value": 1.0, "unit": "share",
     "source": "assumption: AMD's Instinct data-centre GPU revenue (the Revenue row) is bought with AI capex"},
    {"input": schema.SALES_FROM_CAPEX, "company": "Broadcom", "year": 2025, "value": 1.0, "unit": "share",
     "source": "assumption: Broadcom's AI semiconductor revenue (custom accelerators, AI networking) is bought "
               "with AI capex"},
    # Market-wide gauges.
    {"input": "Forward P/E of AI leaders", "company": None, "year": 2025, "value": 28.0, "unit": "x",
     "source": f"press reporting: Nvidia forward P/E ~25-31x (midpoint 28), estimate ⚠; the 60x in "
               f"{SEED_CIRCULAR} is a trailing multiple"},
    {"input": "Top-7 share of S&P 500", "company": None, "year": 2025, "value": 0.35, "unit": "%",
     "source": f"press reporting: ~35%, a record ~10 points above the top 7 of 2000 (Sparkline chart in "
               f"{SEED_CIRCULAR})"},
)


def market_table() -> Table:
    return _table("Market", MARKET)


def thresholds_table() -> Table:
    return Table("Thresholds", rows=schema.default_threshold_rows())


# ---------------------------------------------------------------------------------------------------------------
# Ranges for the simulation (python main.py simulate): the inputs that decide the verdict. An AI-share range joins
# them once the Revenue sheet has an AI-share column.

GROWTH_RANGE = ("assumption: one draw scales the {name}'s 2026-2032 growth path by 0.6x to 1.6x (90% range, "
                "lognormal, median ~1x): the spread of published growth - AWS +24%, Azure +39%, Google Cloud +48% in "
                f"Q4 2025 ({SEED_AMAZON_200B}; company reports), a factor of two between the slowest and the fastest "
                f"cloud - and Microsoft's AI run-rate +175% y/y ({MSFT_AI_RUN_RATE})")
CAPEX_RANGE = ("assumption: one draw scales {name}'s 2026-2032 capex by {lo} to {hi} (90% range, lognormal): the "
               f"2026 guidance spreads (Alphabet 175-185, Meta 115-135: {SHERWOOD}; Microsoft analysts 116-145: "
               f"{BUNTZ}; +/-3-11%) widened for the 2027-2032 plateau, which is itself an assumption - from the bulls' "
               "further growth to a telecom-2001-style cut")
ORACLE_CAPEX_NOTE = ("; Oracle's range leans down: the highest-yielding IG tech bonds, rising CDS, the stock -24% "
                     f"in Nov 2025 ({SEED_AI_DEBT}) make it the likeliest to cut")
MARGIN_RANGE = ("assumption: PERT {lo:.0%}, {mode:.0%}, {hi:.0%} around the sheet's margin: the upside is cloud's "
                "operating margin plus D&A; the downside is AI's thinner gross margin - H100 rental prices fell from "
                "> $8/h (2023) to ~$1.70 (Oct 2025), and ~14% gross margin on Oracle's GPU rentals (press reporting, "
                "and The Information, Oct 2025, estimates ⚠)")
LIFE_RANGE = ("company filings (10-Ks) and press reporting: PERT 2, 5, 6 years - critics' 1-3 years (min 2), analysts' ~5 (most likely), the "
              "filings' 5-6 (max 6: Microsoft and Alphabet 6, Oracle and Amazon 5-6); GPU economic lives of CoreWeave "
              "6, Lambda 5, Nebius 4")
CORRELATION_SOURCES = {
    "growth": "assumption: the hyperscalers sell into one AI demand, so their growth moves together, though not in "
              f"lockstep (0.6): Q4 2025 cloud growth ran from AWS +24% to Google Cloud +48% ({SEED_AMAZON_200B})",
    "capex": f"assumption: the hyperscalers match each other's guidance (the 2026 guides all rose together: {SHERWOOD})",
    "margin": "assumption: one GPU rental price sets every seller's AI margin (H100 rental > $8/h in 2023 to ~$1.70 "
              "in Oct 2025, press reporting, estimate ⚠)",
}


def uncertainty_table() -> Table:
    rows: list[dict[str, Cell]] = []
    for name in HYPERSCALERS:
        rows.append({"input": f"{name} growth", "sheet": "Revenue", "row": name, "column": "growth",
                     "years": "2026-2032", "distribution": "0.6 to 1.6", "applies_as": "multiplier",
                     "source": GROWTH_RANGE.format(name=name)})
    for name in HYPERSCALERS:
        lo, hi = ("0.6", "1.3") if name == "Oracle" else ("0.75", "1.3")
        rows.append({"input": f"{name} capex", "sheet": "Capex", "row": name, "column": "capex",
                     "years": "2026-2032", "distribution": f"{lo} to {hi}", "applies_as": "multiplier",
                     "source": CAPEX_RANGE.format(name=name, lo=lo, hi=hi)
                     + (ORACLE_CAPEX_NOTE if name == "Oracle" else "")})
    for name in HYPERSCALERS:
        # Oracle: around its 35% margin, down to the ~14% gross margin on its GPU rentals (rounded to 15%)
        least, mode, most = (0.15, 0.35, 0.45) if name == "Oracle" else (0.45, 0.60, 0.70)
        rows.append({"input": f"{name} margin", "sheet": "Revenue", "row": name, "column": "Cash margin",
                     "years": None, "distribution": f"PERT {least:.0%}, {mode:.0%}, {most:.0%}",
                     "applies_as": "value", "source": MARGIN_RANGE.format(lo=least, mode=mode, hi=most)})
    rows.append({"input": "Useful life", "sheet": "Assumptions", "row": "Useful life", "column": "Value",
                 "years": None, "distribution": "PERT 2, 5, 6", "applies_as": "value", "source": LIFE_RANGE})
    return _table("Uncertainty", rows)


def correlations_table() -> Table:
    rows: list[dict[str, Cell]] = []
    for what, rho in (("growth", 0.6), ("capex", 0.6), ("margin", 0.5)):
        for i, a in enumerate(HYPERSCALERS):
            for b in HYPERSCALERS[i + 1:]:
                rows.append({"first": f"{a} {what}", "second": f"{b} {what}", "correlation": rho,
                             "source": CORRELATION_SOURCES[what]})
    return _table("Correlations", rows)


def default_scenario() -> Scenario:
    """The scenario the app opens on: the five hyperscalers, their counterparties and the circular deals."""
    return Scenario(
        capex=capex_table(),
        revenue=revenue_table(),
        investments=investments_table(),
        assumptions=assumptions_table(),
        market=market_table(),
        thresholds=thresholds_table(),
        uncertainty=uncertainty_table(),
        correlations=correlations_table(),
        name="Base",
    )
