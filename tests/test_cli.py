"""The command line: report, check and their failures, run as a user would (a subprocess of main.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from model.core import formatting
from model.core.compute import compute
from model.defaults.scenario import default_scenario
from model.io.paths import DEFAULT_TEMPLATE

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


def test_report_prints_sector_score_and_every_company() -> None:
    done = run("report", str(DEFAULT_TEMPLATE))
    assert done.returncode == 0, done.stderr
    results = compute(default_scenario())
    sector = results.sector.score
    assert f"Sector bubble score: {sector.composite:.0f} / 100 — {sector.label}" in done.stdout
    for name in results.companies:
        assert name in done.stdout
    # the default's sector does not pay back by 2035: the report says its shortfall, the cumulative cash flow then
    shortfall = results.value("Sector", "cumulative_cash_flow", 2035)
    assert shortfall < 0 and f"{formatting.big_money(shortfall)} at 2035" in done.stdout
    assert "Microsoft → OpenAI → Microsoft" in done.stdout


def test_report_json_carries_the_full_results() -> None:
    done = run("report", str(DEFAULT_TEMPLATE), "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    results = compute(default_scenario())
    assert data["years"] == list(results.years)
    by_name = {e["name"]: e for e in data["entities"]}
    amazon = by_name["Amazon"]
    assert amazon["npv"] == pytest.approx(results.entity("Amazon").npv, rel=1e-12)
    assert amazon["series"]["capex"][2] == pytest.approx(200.0)       # 2026 guidance
    assert amazon["payback"]["years"] is None                         # not within horizon -> null, not NaN
    assert by_name["Sector"]["score"]["composite"] == pytest.approx(results.sector.score.composite)


def test_check_is_clean_on_the_default_and_reports_cells_on_a_broken_file(tmp_path: Path) -> None:
    done = run("check", str(DEFAULT_TEMPLATE))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 error(s), 0 warning(s)" in done.stdout

    broken = tmp_path / "broken.xlsx"
    wb = openpyxl.load_workbook(DEFAULT_TEMPLATE)
    capex = wb["Capex"]
    capex["C2"] = -5                       # Amazon 2024 capex negative
    capex["D3"] = "lots"                   # Microsoft 2025 capex not a number
    wb.save(broken)
    done = run("check", str(broken))
    assert done.returncode == 1
    assert "Capex!C2" in done.stdout and "Capex!D3" in done.stdout          # both problems, at once
    assert "'lots'" in done.stdout and "an amount in $B" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr


@pytest.mark.parametrize("content", [b"", b"just text, not a workbook", b"PK\x03\x04truncated"])
def test_failures_are_messages_never_tracebacks(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(content)
    for command in ("report", "check"):
        done = run(command, str(bad))
        assert done.returncode == 1
        assert ("refused" if command == "report" else "ERROR") in done.stdout + done.stderr
        assert "Traceback" not in done.stdout + done.stderr
    done = run("report", str(tmp_path / "missing.xlsx"))
    assert done.returncode == 1 and "no such file" in done.stderr


def test_report_of_one_scenario_and_of_all() -> None:
    from model.core.compare import compare
    from model.defaults.alternatives import default_book

    name = "Bear: 3-year GPUs, half the growth"
    done = run("report", str(DEFAULT_TEMPLATE), "--scenario", name)
    assert done.returncode == 0, done.stderr
    assert f"scenario {name!r}" in done.stdout and "useful life 3 years" in done.stdout

    done = run("report", str(DEFAULT_TEMPLATE), "--all-scenarios")
    assert done.returncode == 0, done.stderr
    comparison = compare(default_book())
    sector_npv = [comparison.text(n, "Sector", "npv") for n in comparison.names]
    npv_line = next(line for line in done.stdout.splitlines() if line.startswith("NPV"))
    for text in sector_npv:
        assert text in npv_line
    assert comparison.difference_text(name, "Sector", "npv") in npv_line      # the bear case's loss vs the base

    done = run("report", str(DEFAULT_TEMPLATE), "--scenario", "Nope")
    assert done.returncode == 1 and "no scenario named 'Nope'" in done.stderr
