"""The alternatives shipped with the default scenario: the 'what ifs' analysts argue about, each sourced.

Each is a list of overrides of the base (model/defaults/scenario.py), generated from the base's own rows so that
the two cannot drift: halving growth halves whatever growth the base holds.
"""

from __future__ import annotations

from model.core.overrides import Alternative, Override, ScenarioBook, row_key
from model.core.scenario import Scenario
from model.defaults.scenario import HYPERSCALERS, SEED_AMAZON_200B, SEED_AMAZON_OPENAI, default_scenario

SEED_AWS_GCP = SEED_AMAZON_200B   # Q4 2025: AWS +24%, Google Cloud +48% (Azure +39%: company reports)
CLOUD_RATES = {"Amazon": 0.24, "Microsoft": 0.39, "Alphabet": 0.48}
FIRST_PROJECTED_YEAR = 2026


def _growth_overrides(base: Scenario, new_rate: dict[str, float] | None, factor: float, note: str) -> list[Override]:
    out = []
    revenue = base.revenue
    for i in range(len(revenue)):
        company = str(revenue.value(i, "company"))
        if company not in HYPERSCALERS:
            continue
        for year in revenue.years:
            old = revenue.value(i, str(year))
            if year < FIRST_PROJECTED_YEAR or not isinstance(old, float):
                continue
            if new_rate is not None:
                if company not in new_rate:
                    continue
                value = new_rate[company]
            else:
                value = old * factor
            out.append(Override("Revenue", (company,), str(year), value, note))
    return out


def short_life_half_growth(base: Scenario) -> Alternative:
    overrides = [Override("Assumptions", ("Useful life",), "value", 3.0,
                          "critics put GPU economic life at 1-3 years (press reporting); M. Burry "
                          "(Nov 2025): longer book lives understate depreciation by ~$176B over 2026-2028")]
    overrides += _growth_overrides(base, None, 0.5, "assumption: half the base growth from 2026 (bear case)")
    return Alternative("Bear: 3-year GPUs, half the growth",
                       "Hardware is obsolete after three years and the hyperscalers' AI revenue grows half as "
                       "fast as in the base from 2026.", tuple(overrides))


def circular_deals_unwind(base: Scenario) -> Alternative:
    overrides: list[Override] = []
    deals = base.investments
    for i in range(len(deals)):
        key = row_key(deals, i)
        share = deals.value(i, "recycled_share")
        if isinstance(share, float | int) and share > 0:
            overrides.append(Override("Investments", key, "recycled_share", 0.0,
                                      "the investee's purchases back no longer count as the investor's revenue"))
        status = deals.value(i, "status")
        if status in ("conditional", "in talks"):
            why = f"; {SEED_AMAZON_OPENAI}: conditional on OpenAI using Trainium" if key[:2] == ("Amazon", "OpenAI") \
                else ""
            overrides.append(Override("Investments", key, "amount", 0.0,
                                      f"assumption: cancelled, as a deal still {status} in the base may be (see "
                                      f"its Source{why})"))
    return Alternative("Circular deals unwind",
                       "Recycled revenue goes to zero and the conditional or in-talks deals are cancelled: what the "
                       "build-out earns without money the sellers handed to their buyers first. The compute "
                       "commitments OpenAI and Anthropic made to Oracle and Azure stay in the sellers' growth paths: "
                       "to test whether the buyers can pay them, lower those companies' growth as well.",
                       tuple(overrides))


def cloud_rates_hold(base: Scenario) -> Alternative:
    overrides = _growth_overrides(base, CLOUD_RATES, 1.0,
                                  f"Q4 2025 cloud growth held: AWS 24%, Google Cloud 48% ({SEED_AWS_GCP}), "
                                  "Azure 39% (company reports)")
    return Alternative("Cloud rates hold",
                       "AI revenue at Amazon, Microsoft and Alphabet grows at their cloud businesses' Q4 2025 rates "
                       "from 2026 on: the market's growth, not the AI ramp's.", tuple(overrides))


def filers_six_year_servers(base: Scenario) -> Alternative:
    return Alternative("Filers' 6-year servers",
                       "Servers last as long as Microsoft's and Alphabet's filings say: six years.",
                       (Override("Assumptions", ("Useful life",), "value", 6.0,
                                 "server useful lives in company filings (10-Ks): Microsoft 6y, Alphabet 6y"),))


def default_book() -> ScenarioBook:
    base = default_scenario()
    return ScenarioBook(base, (short_life_half_growth(base), circular_deals_unwind(base), cloud_rates_hold(base),
                               filers_six_year_servers(base)))
