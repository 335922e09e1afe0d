"""The export recalculated by a real spreadsheet engine.

LibreOffice (headless, a fresh profile whose registry sets Calc's OOXML load mode to "always recalculate")
converts the exported workbooks xlsx → xlsx; every formula cell's recalculated value must equal the value the
export stored from compute() (1e-6 relative; text equal). A canary cell saved deliberately stale (=1+1 showing 3)
proves the recalculation happened, and an input edited in the file proves the formulas are live: the derived
cells move to what compute() gives for the edited scenario.

Skips when ``soffice`` is missing, except with CI=true, where it fails: CI must run it (.ci/system-deps installs
LibreOffice).
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from model.compute import compute
from model.export import ExportSummary, export_results
from model.export_facts import gather
from model.export_model import CANARY_STORED
from model.export_plan import Plan, summary_row
from model.results import NOT_WITHIN_HORIZON
from model.scenario import Scenario
from tests.test_export import example_scenarios, load, rich_scenario

pytestmark = pytest.mark.libreoffice

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
REL, ABS = 1e-6, 1e-9      # ABS: values that are zero up to rounding (a sector sum that cancels)

# Tools ▸ Options ▸ LibreOffice Calc ▸ Formula ▸ "Recalculation on file load" ▸ Excel 2007 and newer: Always.
RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""

EDIT = ("Capex", 0, "2025", 60.0)      # Hyper A's 2025 capex, 150 -> 60: the sector now pays back


def require_soffice() -> str:
    if SOFFICE is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but LibreOffice (soffice) is not installed: the export's recalculation check "
                        "must run in CI (.ci/system-deps installs libreoffice-calc-nogui)")
        pytest.skip("LibreOffice (soffice) is not installed: apt-get install libreoffice-calc-nogui to run the "
                    "export's recalculation check")
    return SOFFICE


def recalculate(files: list[Path], out: Path, profile: Path, always: bool = True) -> dict[str, Path]:
    """Open and save each file with LibreOffice headless, in a fresh profile; the converted files by name."""
    soffice = require_soffice()
    (profile / "user").mkdir(parents=True, exist_ok=True)
    if always:
        (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
    out.mkdir(parents=True, exist_ok=True)
    run = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                          "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out),
                          *map(str, files)], capture_output=True, text=True, timeout=300)
    converted = {f.stem: out / f.name for f in files}
    missing = [str(p) for p in converted.values() if not p.exists()]
    assert run.returncode == 0 and not missing, f"LibreOffice failed ({run.returncode}): {run.stderr[-2000:]}"
    return converted


@dataclass
class Recalculated:
    scenarios: dict[str, Scenario]
    summaries: dict[str, ExportSummary]
    exported: dict[str, Path]
    recalculated: dict[str, Path]
    control: Path                    # the rich export converted without the always-recalculate setting
    edited_scenario: Scenario


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Recalculated:
    require_soffice()
    root = tmp_path_factory.mktemp("libreoffice")
    scenarios = example_scenarios()
    exported, summaries = {}, {}
    for name, s in scenarios.items():
        exported[name] = root / "in" / f"{name}.xlsx"
        exported[name].parent.mkdir(exist_ok=True)
        summaries[name] = export_results(s, exported[name])

    # A colleague changes an input in the file: Hyper A's 2025 capex.
    sheet, row, column, value = EDIT
    rich = rich_scenario()
    edited_scenario = rich.with_cell(sheet, row, column, value)
    wb = load(exported["rich"])
    col = rich.table(sheet).column_index(column) + 1
    assert wb[sheet].cell(row + 2, col).value == rich.table(sheet).value(row, column)
    wb[sheet].cell(row + 2, col).value = value
    exported["edited"] = root / "in" / "edited.xlsx"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb.save(exported["edited"])

    recalculated = recalculate(list(exported.values()), root / "out", root / "profile")
    control = recalculate([exported["rich"]], root / "control", root / "profile-default", always=False)
    return Recalculated(scenarios, summaries, exported, recalculated, control["rich"], edited_scenario)


def same(a: object, b: object) -> bool:
    if a == "":
        a = None      # a formula giving "" comes back from LibreOffice as an empty cell
    if b == "":
        b = None
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return math.isclose(a, b, rel_tol=REL, abs_tol=ABS)
    return a == b


def canary_cells(wb: openpyxl.Workbook) -> dict[str, tuple[str, str]]:
    out = {}
    for name in ("recalculation_check", "recalculation_status"):
        sheet, cell = wb.defined_names[name].attr_text.split("!")
        out[name] = (sheet.strip("'"), cell.replace("$", ""))
    return out


def compare(exported: Path, recalculated: Path) -> tuple[int, list[str]]:
    """(formula cells compared, mismatches) between the stored values and LibreOffice's, canaries excluded."""
    formulas, stored, fresh = load(exported), load(exported, data_only=True), load(recalculated, data_only=True)
    skip = set(canary_cells(formulas).values())
    compared, bad = 0, []
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f" or (ws.title, cell.coordinate) in skip:
                    continue
                compared += 1
                a, b = stored[ws.title][cell.coordinate].value, fresh[ws.title][cell.coordinate].value
                if not same(a, b):
                    bad.append(f"{ws.title}!{cell.coordinate}: stored {a!r}, LibreOffice {b!r}  {cell.value[:120]}")
    return compared, bad


@pytest.mark.parametrize("name", sorted(example_scenarios()))
def test_every_formula_cell_keeps_its_value_when_recalculated(files: Recalculated, name: str,
                                                              record_property: pytest.RecordProperty) -> None:
    compared, bad = compare(files.exported[name], files.recalculated[name])
    print(f"\n{name}: {compared:,} formula cells compared with LibreOffice's recalculation")
    record_property(f"formula_cells_compared_{name}", compared)
    assert compared + 2 == files.summaries[name].formula_cells      # every formula but the two canary cells
    assert not bad, f"{len(bad)} of {compared} differ:\n" + "\n".join(bad[:30])


def test_the_canary_proves_libreoffice_recalculated(files: Recalculated) -> None:
    for name, path in files.recalculated.items():
        names = canary_cells(load(files.exported[name]))
        stored, fresh = load(files.exported[name], data_only=True), load(path, data_only=True)
        sheet, cell = names["recalculation_check"]
        status = names["recalculation_status"]
        if name != "edited":        # openpyxl saved the edited file without values
            assert stored[sheet][cell].value == CANARY_STORED
            assert stored[status[0]][status[1]].value.startswith("NOT recalculated")
        assert fresh[sheet][cell].value == 2, name
        assert fresh[status[0]][status[1]].value == "recalculated"


def test_without_the_setting_libreoffice_keeps_the_stored_values(files: Recalculated) -> None:
    """The control: a default profile shows the values as exported (what a non-recalculating viewer shows), so
    it is the registry setting that makes the comparison above a real recalculation."""
    sheet, cell = canary_cells(load(files.exported["rich"]))["recalculation_check"]
    value = load(files.control, data_only=True)[sheet][cell].value
    if value == 2:
        pytest.skip("this LibreOffice recalculates OOXML files on load by default; the canary test still holds")
    assert value == CANARY_STORED


def test_an_edited_input_moves_the_results_to_what_compute_gives(files: Recalculated) -> None:
    edited = compute(files.edited_scenario)
    before = compute(rich_scenario())
    plan = Plan.build(gather(files.edited_scenario, edited))
    fresh = load(files.recalculated["edited"], data_only=True)
    original = load(files.exported["rich"], data_only=True)
    t = edited.years.index(2025)
    sector = len(edited.companies)
    checks = [
        ("Cash flows", plan.cash.row("capex", 0), plan.cash.col(t), edited.series["capex"][0, t]),
        ("Cash flows", plan.cash.row("cumulative_cash_flow", sector), plan.cash.last_col,
         edited.series["cumulative_cash_flow"][sector, -1]),
        ("Required revenue", plan.required.row("required_revenue", sector), plan.required.col(t + 1),
         edited.series["required_revenue"][sector, t + 1]),
        ("Summary", summary_row(sector), 2, edited.sector.payback.years),
        ("Summary", summary_row(sector), 9, edited.sector.score.composite),
        ("Bubble score", plan.score.score_row(sector), 1, edited.sector.score.composite),
    ]
    for sheet, row, col, expected in checks:
        cell = fresh[sheet].cell(row + 1, col + 1)
        assert same(cell.value, float(expected)), (sheet, cell.coordinate, cell.value, expected)
        assert not same(original[sheet].cell(row + 1, col + 1).value, cell.value), (sheet, cell.coordinate)
    # the sector's payback was "not within horizon" before the edit and is a number now
    assert before.sector.payback.years is None
    assert original["Summary"].cell(summary_row(sector) + 1, 3).value == NOT_WITHIN_HORIZON
