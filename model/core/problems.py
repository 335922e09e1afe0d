"""Problems found in a template or an edit: one record per cell, errors and warnings alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from model.core.values import quoted

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious) in the inputs, located as precisely as we can.

    ``cell`` is an A1 reference such as ``"C7"`` when the problem sits in a workbook cell; edits made in the
    window have no cell, and a few problems (a missing sheet, a refused file) concern no cell at all.
    """

    severity: Severity
    message: str
    sheet: str = ""
    cell: str = ""
    column: str = ""
    value: object = None
    expected: str = ""

    @property
    def shown_value(self) -> str:
        """The value found, as messages quote it: cut to about 60 characters with "…" (a cell may hold 32,767)."""
        return "" if self.value is None or self.value == "" else quoted(self.value)

    @property
    def location(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet

    def __str__(self) -> str:
        parts = [self.severity.upper()]
        if self.location:
            parts.append(self.location)
        if self.column:
            parts.append(f"[{self.column}]")
        text = " ".join(parts) + ": " + self.message
        if self.value is not None and self.value != "":
            text += f" (found {self.shown_value}"
            text += f"; expected {self.expected})" if self.expected else ")"
        elif self.expected:
            text += f" (expected {self.expected})"
        return text


class TemplateError(Exception):
    """The template cannot be used. ``problems`` lists every error found (and the warnings beside them)."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...], summary: str = "") -> None:
        self.problems = tuple(problems)
        n_errors = sum(p.severity == "error" for p in self.problems)
        self.summary = summary or f"{n_errors} error(s) in the template"
        super().__init__(self.summary)

    def report(self) -> str:
        return self.summary + "\n" + "\n".join(f"  {p}" for p in self.problems)


class FileRefused(TemplateError):
    """The file is not something we will parse at all (not an .xlsx, macros, a zip bomb...). One-line reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__([Problem("error", reason)], summary=f"{path}: refused: {reason}")
        self.reason = reason
