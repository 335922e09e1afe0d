"""The export recalculated by a real spreadsheet engine.

LibreOffice (headless, a fresh profile whose registry sets Calc's OOXML load mode to "always recalculate")
converts the exported workbooks xlsx → xlsx; every formula cell's recalculated value must equal the value the
export stored from compute() (1e-6 relative; text equal) — in books, every cell of every scenario's sheets and of
the Comparison sheet. A canary cell saved deliberately stale (=1+1 showing 3) proves the recalculation happened,
and inputs edited in the file prove the formulas are live: the derived cells move to what compute() gives for the
edited scenario, and an edit of a base input moves every alternative that does not override it.

Skips when ``soffice`` is missing, except with CI=true, where it fails: CI must run it (.ci/system-deps installs
LibreOffice).
"""

from __future__ import annotations

import functools
import math
import os
import re
import shutil
import subprocess
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest

from model.core import formatting
from model.core.compute import compute
from model.core.overrides import ScenarioBook
from model.core.scenario import Scenario
from model.defaults.alternatives import default_book
from model.export.facts import gather
from model.export.model import CANARY_STORED
from model.export.plan import Plan, summary_row
from model.export.writer import ExportSummary, export_results
from tests.test_export import load as load_workbook
from tests.test_export import rich_scenario, variant_scenario
from tests.test_export_scenarios import rich_book

pytestmark = pytest.mark.libreoffice
load = functools.lru_cache(maxsize=8)(load_workbook)    # read only, except the two loaded to be edited (below)

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
# In the default book: a base input no alternative overrides (Amazon's 2026 capex, +50%), and the Value of the
# Bear's useful-life override on the Scenarios sheet (3 -> 4 years).
BOOK_EDIT = ("Capex", "Amazon", "2026", 1.5)
BEAR_LIFE = ("Bear: 3-year GPUs, half the growth", "Useful life", 4.0)


def exports() -> dict[str, Scenario | ScenarioBook]:
    """What the recalculation runs on: four scenarios alone and two books (the default one with its four
    alternatives; the rich one, whose alternatives take every path of the scenario export). "perpetual" is the
    default scenario in perpetuity with its build-out stopped after 2032: the other branches of the capital
    recovery, in-service and past-the-capex-years formulas."""
    from model.core.scenario import blank_scenario

    return {"rich": rich_scenario(), "variant": variant_scenario(), "blank": blank_scenario(),
            "default-book": default_book(), "rich-book": rich_book(), "perpetual": _perpetual()}


def _perpetual() -> Scenario:
    base = default_book().base
    table = base.assumptions
    rows = {str(name): i for i, name in enumerate(table.column_values("name"))}
    return base.with_cell("Assumptions", rows["Perpetuity"], "value", 1.0) \
        .with_cell("Assumptions", rows["Keep fleet"], "value", 0.0)


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
    exported_as: dict[str, Scenario | ScenarioBook]
    summaries: dict[str, ExportSummary]
    exported: dict[str, Path]
    recalculated: dict[str, Path]
    control: Path                    # the rich export converted without the always-recalculate setting
    edited_scenario: Scenario
    edited_book: ScenarioBook        # the default book with BOOK_EDIT and BEAR_LIFE applied
    expected_book: Path              # edited_book exported by Bubblescope


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Recalculated:
    require_soffice()
    root = tmp_path_factory.mktemp("libreoffice")
    (root / "in").mkdir()
    exported_as = exports()
    exported, summaries = {}, {}
    for name, s in exported_as.items():
        exported[name] = root / "in" / f"{name}.xlsx"
        summaries[name] = export_results(s, exported[name])

    # A colleague changes an input in the file: Hyper A's 2025 capex.
    sheet, row, column, value = EDIT
    rich = rich_scenario()
    edited_scenario = rich.with_cell(sheet, row, column, value)
    wb = load_workbook(exported["rich"])
    col = rich.table(sheet).column_index(column) + 1
    assert wb[sheet].cell(row + 2, col).value == rich.table(sheet).value(row, column)
    wb[sheet].cell(row + 2, col).value = value
    exported["edited"] = root / "in" / "edited.xlsx"
    save(wb, exported["edited"])

    # ... and in the book: a base input every scenario reads, and one override's value.
    edited_book, wb = edit_book(default_book(), load_workbook(exported["default-book"]))
    exported["edited-book"] = root / "in" / "edited-book.xlsx"
    save(wb, exported["edited-book"])
    expected_book = root / "expected-book.xlsx"
    export_results(edited_book, expected_book)

    recalculated = recalculate(list(exported.values()), root / "out", root / "profile")
    control = recalculate([exported["rich"]], root / "control", root / "profile-default", always=False)
    return Recalculated(exported_as, summaries, exported, recalculated, control["rich"], edited_scenario,
                        edited_book, expected_book)


def save(wb: openpyxl.Workbook, path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb.save(path)


def edit_book(book: ScenarioBook, wb: openpyxl.Workbook) -> tuple[ScenarioBook, openpyxl.Workbook]:
    """BOOK_EDIT and BEAR_LIFE typed into the exported workbook ``wb``; the book they give."""
    from dataclasses import replace

    sheet, company, year, factor = BOOK_EDIT
    table = book.base.table(sheet)
    row = table.column_values("company").index(company)
    old = table.value(row, year)
    assert isinstance(old, float)
    cell = wb[sheet].cell(row + 2, table.column_index(year) + 1)
    assert cell.value == old
    cell.value = old * factor
    base = book.base.with_cell(sheet, row, year, old * factor)

    name, target, life = BEAR_LIFE
    scenarios = wb["Scenarios"]
    hits = [r for r in range(2, scenarios.max_row + 1)
            if scenarios.cell(r, 1).value == name and scenarios.cell(r, 3).value == target]
    assert len(hits) == 1
    scenarios.cell(hits[0], 5).value = life
    alt = book.alternative(name)
    overrides = tuple(replace(o, value=life) if o.key == (target,) else o for o in alt.overrides)
    assert overrides != alt.overrides and all(o.key != (target,) or o.value == life for o in overrides)
    edited = ScenarioBook(base, book.alternatives).with_alternative(replace(alt, overrides=overrides))
    assert all(not any(o.sheet == sheet for o in a.overrides) for a in edited.alternatives)   # none overrides it
    return edited, wb


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


def scenario_of(sheet: str) -> str:
    """Whose cells a sheet holds: ``Cash flows (Bear)`` -> ``Bear``; the base's sheets -> ``Base``."""
    if sheet == "Comparison":
        return "Comparison"
    match = re.fullmatch(r".+ \((.+)\)", sheet)
    return match.group(1) if match else "Base"


def compare(exported: Path, recalculated: Path, expected: Path | None = None) -> tuple[Counter[str], list[str]]:
    """(formula cells compared per scenario, mismatches) between the values stored in ``expected`` (default: the
    export itself) and LibreOffice's recalculation of ``exported``; the canary cells excluded."""
    formulas, fresh = load(exported), load(recalculated, data_only=True)
    stored = load(expected or exported, data_only=True)
    skip = set(canary_cells(formulas).values())
    compared: Counter[str] = Counter()
    bad = []
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f" or (ws.title, cell.coordinate) in skip:
                    continue
                compared[scenario_of(ws.title)] += 1
                a, b = stored[ws.title][cell.coordinate].value, fresh[ws.title][cell.coordinate].value
                if not same(a, b):
                    bad.append(f"{ws.title}!{cell.coordinate}: stored {a!r}, LibreOffice {b!r}  {cell.value[:120]}")
    return compared, bad


@pytest.mark.parametrize("name", sorted(exports()))
def test_every_formula_cell_keeps_its_value_when_recalculated(files: Recalculated, name: str,
                                                              record_property: pytest.RecordProperty) -> None:
    compared, bad = compare(files.exported[name], files.recalculated[name])
    total = sum(compared.values())
    per = ", ".join(f"{k} {v:,}" for k, v in compared.items())
    print(f"\n{name}: {total:,} formula cells compared with LibreOffice's recalculation ({per})")
    record_property("formula_cells_compared", total)          # printed at the end of the run (tests/conftest.py)
    record_property("formula_cells_compared_per_scenario", per)
    assert total + 2 == files.summaries[name].formula_cells      # every formula but the two canary cells
    exported_as = files.exported_as[name]
    if isinstance(exported_as, ScenarioBook):       # every scenario's sheets were compared, and the Comparison
        assert len(compared) == len(exported_as.names) + 1 and all(compared.values())
    assert not bad, f"{len(bad)} of {total} differ:\n" + "\n".join(bad[:30])


def test_a_base_edit_moves_every_scenario_and_an_override_edit_its_own(files: Recalculated) -> None:
    """The default book edited in the file (a base capex cell no alternative overrides; the Bear's useful life
    on the Scenarios sheet) and recalculated by LibreOffice equals the edited book exported by Bubblescope, cell
    by cell: the alternatives read the base's inputs live, and their overrides from the Scenarios sheet."""
    edited, fresh = files.exported["edited-book"], files.recalculated["edited-book"]
    compared, bad = compare(edited, fresh, files.expected_book)
    assert not bad, f"{len(bad)} differ from the edited book's export:\n" + "\n".join(bad[:30])
    # the edits moved every scenario (and the Comparison): cells now differ from the unedited export's values
    _, moved = compare(edited, fresh, files.exported["default-book"])
    by_scenario = Counter(scenario_of(line.split("!")[0]) for line in moved)
    print(f"\ncells moved by the edits: {dict(by_scenario)}")
    assert set(by_scenario) == set(compared), by_scenario
    sheet, cell = load(edited).defined_names["useful_life.bear"].attr_text.split("!")
    assert load(fresh, data_only=True)[sheet.strip("'")][cell.replace("$", "")].value == BEAR_LIFE[2]
    circular = compute(files.edited_book.scenario("Circular deals unwind")[0])
    assert circular.series["capex"][0].sum() == pytest.approx(compute(files.edited_book.base).series["capex"][0].sum())


def test_the_canary_proves_libreoffice_recalculated(files: Recalculated) -> None:
    for name, path in files.recalculated.items():
        names = canary_cells(load(files.exported[name]))
        stored, fresh = load(files.exported[name], data_only=True), load(path, data_only=True)
        sheet, cell = names["recalculation_check"]
        status = names["recalculation_status"]
        if not name.startswith("edited"):        # openpyxl saved the edited files without values
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
    # the sector's payback was beyond the horizon before the edit (its shortfall, in words) and is a number now
    assert before.sector.payback.years is None
    assert original["Summary"].cell(summary_row(sector) + 1, 3).value == formatting.beyond_horizon(before.sector.payback)
