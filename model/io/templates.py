"""The workbooks the app ships: ``python -m model.io.templates`` rewrites them from their Python definitions.

- ``templates/default-scenario.xlsx``: the bundled scenario (model/defaults/scenario.py), every value sourced,
  and its alternatives (model/defaults/alternatives.py).
- ``templates/blank-template.xlsx``: no companies; the standard assumptions and thresholds (schema.py).

tests/test_templates.py checks the committed files still read back to exactly these scenarios.
"""

from __future__ import annotations

from pathlib import Path

from model.core.scenario import blank_scenario
from model.defaults.alternatives import default_book
from model.io.paths import BLANK_TEMPLATE, DEFAULT_TEMPLATE, TEMPLATES
from model.io.template_writer import write_template


def write_all(folder: Path = TEMPLATES) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, scenario in ((DEFAULT_TEMPLATE.name, default_book()), (BLANK_TEMPLATE.name, blank_scenario())):
        path = folder / name
        write_template(scenario, path)
        written.append(path)
    return written


if __name__ == "__main__":
    for p in write_all():
        print(f"wrote {p}")
