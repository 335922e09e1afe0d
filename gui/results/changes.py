"""What an edit changed, in one status-bar line: the sector's (and the selected company's) payback, coverage and
score before → after. The payback table tints the cells that changed; this says by how much."""

from __future__ import annotations

from model.core import formatting
from model.core.results import EntityResult, Results


def _readings(entity: EntityResult) -> dict[str, str]:
    return {"payback": formatting.payback_years(entity.payback),
            "coverage": formatting.percent(entity.coverage, 0),
            "score": f"{formatting.score(entity.score.composite)} {entity.score.label}"}


MAX_NAMED = 3     # entities named in the status line; the rest are counted


def what_changed(old: Results | None, new: Results, company: str = "") -> str:
    """``Sector: coverage 28% → 30%, score 47 Boom → 45 Boom · Oracle: payback 9.4 → 9.0``: the sector and the
    selected company first, then any other whose payback, coverage or score moved; empty when nothing moved or the
    two results are of different companies (a new file, not an edit)."""
    if old is None or old.companies != new.companies:
        return ""
    parts = []
    for name in dict.fromkeys((new.sector.name, company, *new.companies)):
        if not name:
            continue
        a, b = old.entity(name), new.entity(name)
        if (a.payback, a.coverage, a.score.composite, a.score.label) == (b.payback, b.coverage, b.score.composite,
                                                                         b.score.label):
            continue        # the common case, without formatting (hundreds of companies in a large scenario)
        before, after = _readings(a), _readings(b)
        moved = [f"{key} {before[key]} → {after[key]}" for key in after if before[key] != after[key]]
        if moved:
            parts.append(f"{name}: {', '.join(moved)}")
    more = f" · {len(parts) - MAX_NAMED} more in the table" if len(parts) > MAX_NAMED else ""
    return " · ".join(parts[:MAX_NAMED]) + more
