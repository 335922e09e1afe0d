"""The simulation as text, for ``python main.py simulate``."""

from __future__ import annotations

import math

from model.simulate.evaluate import HEADLINE, YEARLY
from model.simulate.run import Simulation
from model.simulate.summary import PERCENTILES

NEVER = "never"


def _num(x: float, unit: str) -> str:
    if math.isnan(x):
        return "–"
    if math.isinf(x):
        return NEVER if unit == "year" else ("∞" if x > 0 else "-∞")
    if unit == "%":
        return f"{x:.1%}"
    if unit == "year":
        return f"{x:.1f}"
    if unit == "score":
        return f"{x:.1f}"
    return f"{x:,.0f}"


def render_simulation(sim: Simulation, title: str) -> str:
    lines = [f"Simulation of {title}: {sim.paths:,} paths, seed {sim.seed} (Latin hypercube, Iman–Conover rank "
             f"correlations), {sim.where}, {sim.seconds:.1f} s"]
    if sim.repaired:
        lines.append("  the correlations were repaired to the nearest valid matrix (Higham)")
    lines += ["", f"Uncertain inputs ({len(sim.inputs)}): draws P5 / P50 / P95"]
    width = max((len(i.name) for i in sim.inputs), default=10)
    for i in sim.inputs:
        lines.append(f"  {i.name:<{width}}  {i.where:<38} {i.distribution:<52} "
                     f"{i.p5:.3g} / {i.p50:.3g} / {i.p95:.3g}")
    for s in sim.scenarios:
        lines += ["", f"== Scenario {s.name} =="]
        lines += ["Headline figures: P50 ± its standard error   [P5 … P95]   (as entered)"]
        for h in s.headlines:
            se = "" if math.isnan(h.se_p50) else (" ± ?" if math.isinf(h.se_p50) else f" ± {_num(h.se_p50, h.unit if h.unit != 'year' else '')}")
            lines.append(f"  {h.label} [{h.unit}]: {_num(h.p50, h.unit)}{se}   [{_num(h.p5, h.unit)} … "
                         f"{_num(h.p95, h.unit)}]   ({_num(h.deterministic, h.unit)})")
            if not math.isnan(h.mean):
                lines.append(f"      mean {_num(h.mean, h.unit)} ± {_num(h.se_mean, h.unit if h.unit != 'year' else '')}")
        lines += ["Probabilities (± standard error)"]
        for p in s.probabilities:
            lines.append(f"  {p.label}: {p.p:.1%} ± {p.se:.1%}")
        pb = s.payback
        lines += [f"Sector payback year: paths paying back in each year, P(payback by the end of it); "
                  f"never within the horizon: {pb.never / s.paths:.1%}"]
        for y, c, by in zip(pb.years, pb.counts, pb.by_year, strict=True):
            lines.append(f"  {y}  {c:>6,}  {by:6.1%}  {'#' * round(40 * c / s.paths)}")
        for key, (label, unit) in YEARLY.items():
            lines += [f"{label} [{unit}] by year: " + "  ".join(f"P{q}" for q in PERCENTILES)]
            fan = s.fans[key]
            for t, y in enumerate(s.years):
                lines.append(f"  {y}  " + "  ".join(f"{_num(fan[f'P{q}'][t], unit):>8}" for q in PERCENTILES))
        lines += ["Sector bubble score by year: " + "  ".join(f"P{q}" for q in PERCENTILES) + "  P(Bubble)"]
        for t, y in enumerate(s.score_years):
            lines.append(f"  {y}  " + "  ".join(f"{s.score_fan[f'P{q}'][t]:>6.1f}" for q in PERCENTILES)
                         + f"  {s.bubble[t].p:>8.1%}")
        for key in ("final_cumulative_cash_flow", "score"):
            lines += [f"Contribution to variance of {HEADLINE[key][0].lower()} (ρ² normalised; Spearman ρ)"]
            order = sorted(range(len(sim.inputs)), key=lambda j: -s.contribution[key][j])
            for j in order[:8]:
                share, rho = s.contribution[key][j], s.rank_correlation[key][j]
                lines.append(f"  {sim.inputs[j].name:<{width}}  {share:6.1%}  ρ {rho:+.2f}  {'█' * round(30 * share)}")
    for w in sim.warnings:
        lines.append(f"  {w}")
    return "\n".join(lines)
