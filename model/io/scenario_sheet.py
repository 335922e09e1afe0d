"""The Scenarios sheet ⇄ the alternatives of a ScenarioBook.

Each row sets one cell of the base: Scenario | Sheet | Row (the row's key, parts joined by " | ") | Column (the
header) | Value | Note. A row with only Scenario and Note describes the scenario. Values are parsed by the
target column's schema, so a scenario cell obeys the same rules as the base cell it replaces.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from model.core import schema, validation, values
from model.core.overrides import (
    KEY_SEPARATOR,
    Alternative,
    Applied,
    Override,
    ScenarioBook,
    apply_overrides_traced,
)
from model.core.problems import Problem
from model.core.scenario import Scenario, Table
from model.io.template_layout import excel_value

Locate = Callable[[int, str], str]      # (row index of the Scenarios table, column key) -> A1 cell


def target_column(base: Scenario, sheet: str, header: str) -> schema.Column | None:
    """The column of ``sheet`` whose header (or year) is ``header``, matched as headers are."""
    wanted = values.normalise_header(header)
    for col in base.table(sheet).columns:
        if values.normalise_header(col.header) == wanted:
            return col
    return None


def alternatives_from_table(table: Table, base: Scenario, locate: Locate,
                            base_locate: validation.Locate | None = None,
                            base_problems: Sequence[Problem] = ()) -> tuple[tuple[Alternative, ...], list[Problem]]:
    """Every alternative of the sheet, in order of first appearance; problems located at their cells.

    A value that does not parse for its target column is an error. An override whose row or column is not in the
    base is kept (it stays in the file) and reported as a warning with its sheet, key and column. Each alternative
    is validated as the base is (``base_locate`` says where the base's cells are in the file): an error that the
    overrides bring in (a useful life of 0, a horizon before the first capex year) is reported at the override's
    row, so a file whose scenario cannot be computed does not get past ``check``. When the base has errors of its
    own, they are reported once, not once more per alternative.
    """
    problems: list[Problem] = []
    order: list[str] = []
    descriptions: dict[str, str] = {}
    overrides: dict[str, list[Override]] = {}
    rows_of: dict[str, list[int]] = {}      # each alternative's overrides -> their rows in the Scenarios table

    def problem(severity: str, i: int, key: str, message: str, value: object = None, expected: str = "") -> None:
        header = schema.SCENARIOS.column(key).header
        problems.append(Problem(severity, message, "Scenarios", locate(i, key), header, value, expected))  # type: ignore[arg-type]

    for i, rec in enumerate(table.records()):
        name = str(rec["scenario"] or "").strip()
        if not name:
            continue
        if name.lower() == "base":
            problem("error", i, "scenario", "'Base' is the base scenario itself; name the alternative differently",
                    name, "another name")
            continue
        if name not in overrides:
            order.append(name)
            overrides[name] = []
            rows_of[name] = []
        sheet, row, header, raw = rec["sheet"], rec["row"], rec["column"], rec["value"]
        if not sheet and not row and not header:
            descriptions[name] = str(rec["note"] or "")
            continue
        if not sheet or not row or not header:
            missing = [h for h, v in (("Sheet", sheet), ("Row", row), ("Column", header)) if not v]
            problem("error", i, "sheet" if not sheet else ("row" if not row else "column"),
                    f"{name}: an override needs Sheet, Row and Column ({', '.join(missing)} missing)", None,
                    "Sheet, Row and Column, or only Scenario and Note for a description")
            continue
        col = target_column(base, str(sheet), str(header))
        key = tuple(part.strip() for part in str(row).split(KEY_SEPARATOR.strip()))
        if col is None:
            column_key = str(header).strip()
        else:
            column_key = col.key
            try:
                # a number is what a %-formatted cell stored; text follows the percent entry of typed values
                parsed = col.parse(raw, percent_formatted=isinstance(raw, float))
            except ValueError as exc:
                problem("error", i, "value", f"{name}: not a valid {sheet} {col.header}", raw, str(exc))
                continue
            if col.kind is schema.Kind.PERCENT and isinstance(raw, str) and not raw.strip().endswith(("%", "%)")):
                typed = values.parse_number(raw)       # parsed above: a plain number
                if values.percent_is_ambiguous(typed, col.minimum, col.maximum, col.minimum_inclusive):
                    label = f"growth {col.key}" if col.key.isdigit() else col.header
                    problem("warning", i, "value", f"{name}: {sheet} {label} {typed:g} read as {typed:g}% — "
                            f"type {typed * 100:g}% if you meant {typed * 100:g}%", raw,
                            f"{typed:g}% or {typed * 100:g}%, typed with the % sign")
            raw = parsed
        overrides[name].append(Override(str(sheet), key, column_key, raw, str(rec["note"] or "")))
        rows_of[name].append(i)

    alternatives = tuple(Alternative(n, descriptions.get(n, ""), tuple(overrides[n])) for n in order)
    base_errors = any(p.severity == "error" for p in base_problems)
    known: set[tuple[str, str, str, str]] = {(p.severity, p.sheet, p.cell, p.message) for p in base_problems}
    for alt in alternatives:
        rows = rows_of[alt.name]
        applied = apply_overrides_traced(base, alt.overrides, alt.name)
        # Dangling overrides: reported at their own rows, kept in the book.
        for j, at, d in applied.dangling:
            problems.append(Problem("warning", d.message + "; kept, but it changes nothing", "Scenarios",
                                    locate(rows[j], at), schema.SCENARIOS.column(at).header, d.value, d.expected))
        if not base_errors:
            problems += _new_errors(alt, applied, base_locate or validation.layout_locator(base), known, rows,
                                    locate)
    return alternatives, problems


def _new_errors(alt: Alternative, applied: Applied, base_locate: validation.Locate,
                known: set[tuple[str, str, str, str]], rows: list[int], locate: Locate) -> list[Problem]:
    """The errors of the alternative that the base does not have, each at the override that set its cell (its
    row of the Scenarios table: ``rows[j]`` for override j), or (a cross-row error, such as two rows given one
    key) at the scenario's first row."""
    where: dict[tuple[str, str], tuple[int, str]] = {}      # (sheet, A1 cell) -> (row, column key)

    def recording(sheet: str, row: int, key: str) -> str:
        cell = base_locate(sheet, row, key)
        if cell:
            where[(sheet, cell)] = (row, key)
        return cell

    out = []
    for p in validation.validate(applied.scenario, recording):
        if p.severity != "error" or (p.severity, p.sheet, p.cell, p.message) in known:
            continue
        target = where.get((p.sheet, p.cell))
        j = applied.targets.get((p.sheet, *target)) if target is not None else None
        cell = f"{p.sheet}!{p.cell}" if p.cell else p.sheet
        if j is not None:
            out.append(Problem("error", f"{alt.name}: {p.message} (this override sets {cell} of the base)",
                               "Scenarios", locate(rows[j], "value"), schema.SCENARIOS.column("value").header, p.value,
                               p.expected))
        else:
            out.append(Problem("error", f"{alt.name}: {p.message} (at {cell}, once the scenario's overrides are "
                                        f"applied)", "Scenarios", locate(rows[0], "scenario") if rows else "",
                               schema.SCENARIOS.column("scenario").header, p.value, p.expected))
    return out


def scenarios_table(book: ScenarioBook) -> Table:
    """The Scenarios sheet of a book: a description row per alternative, then one row per override."""
    rows: list[tuple[object, ...]] = []
    for alt in book.alternatives:
        rows.append((alt.name, None, None, None, None, alt.description or None))
        for o in alt.overrides:
            base_table = book.base.table(o.sheet)
            col = next((c for c in base_table.columns if c.key == o.column), None)
            header = col.header if col is not None else o.column
            value = excel_value(col, o.value) if col is not None else o.value
            rows.append((alt.name, o.sheet, o.key_text, header, value, o.note or None))
    return Table("Scenarios", rows=tuple(rows))
