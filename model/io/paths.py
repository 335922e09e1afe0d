"""Where the project's own files are: the shipped templates and the template format's documentation."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]     # the project folder: model/io/paths.py
TEMPLATES = ROOT / "templates"
DEFAULT_TEMPLATE = TEMPLATES / "default-scenario.xlsx"
BLANK_TEMPLATE = TEMPLATES / "blank-template.xlsx"
TEMPLATE_DOC = ROOT / "docs" / "template-format.md"
