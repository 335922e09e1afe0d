"""The Scenarios sheet ⇄ the alternatives of a ScenarioBook.

Each row sets one cell of the base: Scenario | Sheet | Row (the row's key, parts joined by " | ") | Column (the
header) | Value | Note. A row with only Scenario and Note describes the scenario. Values are parsed by the
target column's schema, so a scenario cell obeys the same rules as the base cell it replaces.
"""

from __future__ import annotations

from collections.abc import Callable

from model import schema, values
from model.overrides import KEY_SEPARATOR, Alternative, Override, ScenarioBook, apply_overrides
from model.problems import Problem
from model.scenario import Scenario, Table
from model.template_layout import excel_value

Locate = Callable[[int, str], str]      # (row index of the Scenarios table, column key) -> A1 cell


def target_column(base: Scenario, sheet: str, header: str) -> schema.Column | None:
    """The column of ``sheet`` whose header (or year) is ``header``, matched as headers are."""
    wanted = values.normalise_header(header)
    for col in base.table(sheet).columns:
        if values.normalise_header(col.header) == wanted:
            return col
    return None


def alternatives_from_table(table: Table, base: Scenario, locate: Locate) -> tuple[tuple[Alternative, ...],
                                                                                      list[Problem]]:
    """Every alternative of the sheet, in order of first appearance; problems located at their cells.

    A value that does not parse for its target column is an error. An override whose row or column is not in the
    base is kept (it stays in the file) and reported as a warning with its sheet, key and column.
    """
    problems: list[Problem] = []
    order: list[str] = []
    descriptions: dict[str, str] = {}
    overrides: dict[str, list[Override]] = {}

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
                parsed = col.parse(raw)
            except ValueError as exc:
                problem("error", i, "value", f"{name}: not a valid {sheet} {col.header}", raw, str(exc))
                continue
            raw = parsed
        overrides[name].append(Override(str(sheet), key, column_key, raw, str(rec["note"] or "")))

    alternatives = tuple(Alternative(n, descriptions.get(n, ""), tuple(overrides[n])) for n in order)
    # Dangling overrides: reported at their rows, kept in the book.
    for alt in alternatives:
        _, dangling = apply_overrides(base, alt.overrides, alt.name)
        for d in dangling:
            at = _row_of(table, alt.name, d)
            problems.append(Problem("warning", d.message + "; kept, but it changes nothing", "Scenarios",
                                    locate(at, "row") if at is not None else "", "Row", d.value, d.expected))
    return alternatives, problems


def _row_of(table: Table, name: str, p: Problem) -> int | None:
    for i, rec in enumerate(table.records()):
        if str(rec["scenario"] or "").strip() == name and p.sheet == rec["sheet"] and (
                str(p.value) in (str(rec["row"]), str(rec["column"]))):
            return i
    return None


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
