"""The command line's readable summary of a scenario's results."""

from __future__ import annotations

from typing import TYPE_CHECKING

from model.core import formatting as fmt
from model.core.compare import METRICS, Comparison
from model.core.results import BubbleScore, EntityResult, Results

if TYPE_CHECKING:
    from model.sensitivity.tornado import Tornado


def _table(header: list[str], rows: list[list[str]], align: str) -> list[str]:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        out = []
        for cell, w, a in zip(cells, widths, align, strict=True):
            out.append(cell.ljust(w) if a == "<" else cell.rjust(w))
        return "  ".join(out).rstrip()

    return [line(header), line(["─" * w for w in widths])] + [line(r) for r in rows]


def score_lines(score: BubbleScore) -> list[str]:
    header = ["Indicator", "Value", "Healthy", "Bubble", "Weight", "Score", "Contribution", "Note"]
    rows = []
    for ind in sorted(score.indicators, key=lambda i: -i.contribution):
        red = " ●" if ind.score is not None and ind.score >= score.red_threshold else ""
        rows.append([ind.name, fmt.indicator_value(ind), fmt.threshold(ind, ind.healthy),
                     fmt.threshold(ind, ind.bubble), f"{ind.weight:g}", fmt.score(ind.score) + red,
                     f"{ind.contribution:.1f}" if ind.available else "–", ind.note])
    return _table(header, rows, "<>>>>>><")


def headline(score: BubbleScore) -> str:
    n = len(score.indicators)
    missing = f"; no data: {', '.join(score.missing)}" if score.missing else ""
    return (f"{fmt.score(score.composite)} / 100 — {score.label} "
            f"({score.red_count} red gauge{'s' if score.red_count != 1 else ''} of {n}{missing})")


def bubble_year_text(entity: EntityResult, last_year: int) -> str:
    """The headline's answer to "when": the first model year the reading is Bubble, or that none is."""
    year = entity.first_year_labelled("Bubble")
    if year is None:
        return f"no year reads Bubble up to {last_year}"
    return f"first reads Bubble in {year}"


trajectory_line = fmt.trajectory


def render(results: Results, title: str) -> str:
    a = results.assumptions
    out = [
        f"Bubblescope — {title}",
        f"Years {results.years[0]}–{results.years[-1]} · score year {results.score_year} · "
        f"discount rate {fmt.percent(a['Discount rate'], 1)} · useful life {a['Useful life']:g} years",
        "",
        f"Sector bubble score: {headline(results.sector.score)}; {bubble_year_text(results.sector, results.years[-1])}",
        *("  " + line for line in score_lines(results.sector.score)),
        "",
        "Bubble score by year (● reads Bubble)",
        *(f"  {e.name + ':':<11} {trajectory_line(e)}" for e in results.summaries if e.in_sector),
        "",
        f"Payback per company (years from the start of {results.years[0]}; coverage in {results.score_year})",
    ]
    header = ["Company", "Payback", "Discounted", "Organic", "÷ life", "NPV", "IRR", "Coverage", "Score", "Label"]
    rows = []
    for e in results.summaries:
        name = f"{e.name} (in-sector total)" if e.is_sector else (e.name if e.in_sector else f"{e.name} *")
        rows.append([name, fmt.years(e.payback), fmt.years(e.discounted_payback), fmt.years(e.organic_payback),
                     fmt.payback_to_life(e.payback, e.payback_to_life), fmt.money(e.npv), fmt.percent(e.irr, 1),
                     fmt.percent(e.coverage), fmt.score(e.score.composite), e.score.label])
    out += ["  " + line for line in _table(header, rows, "<<<<>>>>><")]
    if any(not e.in_sector for e in results.summaries):
        out.append("  * counterparty, outside the sector totals")

    deals = results.deals
    out += ["", f"Deals: {len(deals.deals)}, of which {sum(d.in_cycle for d in deals.deals)} lie on a cycle of money"]
    for cycle in deals.cycles[:12]:
        out.append("  " + " → ".join(cycle + cycle[:1]))
    if len(deals.cycles) > 12 or deals.cycles_truncated:
        out.append(f"  … {'more than ' if deals.cycles_truncated else ''}{len(deals.cycles)} cycles in all")
    if deals.recycled_share_of_revenue:
        shares = sorted(deals.recycled_share_of_revenue.items(), key=lambda kv: -kv[1])
        out.append("Recycled share of AI revenue over the horizon: "
                   + ", ".join(f"{k} {fmt.percent(v, 1)}" for k, v in shares))
    if results.warnings:
        out += ["", f"{len(results.warnings)} warning(s):"] + [f"  {w}" for w in results.warnings]
    return "\n".join(out)


def render_comparison(comparison: Comparison, title: str) -> str:
    """Every scenario side by side: the sector's measures with the difference to the base, then payback per
    company."""
    names = comparison.names
    out = [f"Bubblescope — {title}: {len(names)} scenarios compared with {names[0]}", ""]
    sector = comparison.entities()[-1]
    header = ["Sector", *names]
    rows = []
    for m in METRICS:
        row = [m.label]
        for n in names:
            diff = comparison.difference_text(n, sector, m.key)
            row.append(comparison.text(n, sector, m.key) + (f" ({diff})" if diff and diff != "=" else ""))
        rows.append(row)
    rows.append(["Label"] + [comparison.results[n].sector.score.label for n in names])
    rows.append(["First Bubble year"] + [str(comparison.results[n].sector.first_year_labelled("Bubble") or "none")
                                         for n in names])
    out += _table(header, rows, "<" + ">" * len(names))
    out += ["", "Sector bubble score by year (● reads Bubble)"]
    out += [f"  {n}: {trajectory_line(comparison.results[n].sector)}" for n in names]
    out += ["", "Payback per company"]
    rows = [[e] + [comparison.text(n, e, "payback") for n in names] for e in comparison.entities()[:-1]]
    out += _table(["Company", *names], rows, "<" + ">" * len(names))
    for n in names:
        out += [str(p) for p in comparison.problems[n]]     # each message names its scenario
    return "\n".join(out)


def render_tornado(result: Tornado, title: str) -> str:
    """The tornado as a table: each input low and high, the output at each, the swing; largest swing first."""
    out = [f"Bubblescope — {title}",
           f"Sensitivity of {result.metric.label} (base {result.base_text}): {swing_summary(result)} (within its "
           f"allowed range), ranked by swing",
           ""]
    header = ["Input", "Low input", "High input", "Output at low", "Output at high", "Swing", "Swing used"]
    rows = [[b.input.label, b.low_input, b.high_input, b.low_text, b.high_text, _swing_text(result, b.swing),
             b.swing_used] for b in result.bars]
    out += ["  " + line for line in _table(header, rows, "<<<>>><")]
    notes = [f"{b.input.label}: {b.note}" for b in result.bars if b.note] + list(result.notes)
    if result.note:
        notes.insert(0, result.note)
    if notes:
        out += ["", "Notes:"] + [f"  - {n}" for n in notes]
    return "\n".join(out)


def swing_summary(result: Tornado) -> str:
    """"each input ±20%", or "each input over its Uncertainty range (16 inputs), ±20% elsewhere"."""
    if not result.ranged:
        return f"each input ±{result.swing:.0%}"
    return (f"each input over its range on the Uncertainty sheet ({result.ranged} of {len(result.bars)}), "
            f"±{result.swing:.0%} elsewhere")


def _swing_text(result: Tornado, swing: float) -> str:
    unit = result.metric.unit
    if unit == "%":
        return f"{swing * 100:.1f} pts"
    if unit == "$B":
        return fmt.money(swing)
    return f"{swing:.1f}"
