"""What an edit changed, in one status-bar line: the sector's (and the selected company's) payback, coverage and
score before → after. The payback table tints the cells that changed; this says by how much."""

from __future__ import annotations

from model.core import formatting
from model.core.results import EntityResult, Results


def _readings(entity: EntityResult) -> dict[str, str]:
    return {"payback": formatting.payback_years(entity.payback),
            "coverage": formatting.percent(entity.coverage, 0),
            "score": f"{formatting.score(entity.score.composite)} {entity.score.label}"}


def what_changed(old: Results | None, new: Results, company: str = "") -> str:
    """``Sector: coverage 28% → 30%, score 47 Boom → 45 Boom · Amazon: payback not within horizon → 9.8``; empty
    when nothing shown changed or the two results are of different companies (a new file, not an edit)."""
    if old is None or old.companies != new.companies:
        return ""
    parts = []
    for name in dict.fromkeys(n for n in (new.sector.name, company) if n):
        before, after = _readings(old.entity(name)), _readings(new.entity(name))
        moved = [f"{key} {before[key]} → {after[key]}" for key in after if before[key] != after[key]]
        if moved:
            parts.append(f"{name}: {', '.join(moved)}")
    return " · ".join(parts)
