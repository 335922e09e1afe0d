"""``python main.py report|check|export``: the model from the command line. Every failure is a message."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from model.problems import Problem, TemplateError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python main.py", description="Bubblescope: does the AI build-out pay back?")
    sub = p.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="print payback, coverage and the bubble score of a template")
    rep.add_argument("template", type=Path)
    rep.add_argument("--json", action="store_true", help="print the full results as JSON")
    chk = sub.add_parser("check", help="print the validation report (exit 0 when clean, 1 on errors)")
    chk.add_argument("template", type=Path)
    exp = sub.add_parser("export", help="write the results workbook (formulas with their values, charts)")
    exp.add_argument("template", type=Path)
    exp.add_argument("-o", "--output", type=Path, required=True)
    return p


def run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            return _check(args.template)
        if args.command == "report":
            return _report(args.template, args.json)
        return _export(args.template, args.output)
    except TemplateError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except Exception as exc:  # the promise: a message, never a traceback
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1


def _load(path: Path):  # type: ignore[no-untyped-def]
    from model.workbook import read_template

    if not path.exists():
        raise TemplateError([Problem("error", "no such file")], summary=f"{path}: no such file")
    return read_template(path)


def _check(path: Path) -> int:
    from model.workbook import check_template

    if not path.exists():
        print(f"{path}: no such file", file=sys.stderr)
        return 1
    problems = check_template(path)
    errors = [p for p in problems if p.severity == "error"]
    warnings = [p for p in problems if p.severity == "warning"]
    for p in errors + warnings:
        print(p)
    print(f"{path}: {len(errors)} error(s), {len(warnings)} warning(s)")
    return 1 if errors else 0


def _report(path: Path, as_json: bool) -> int:
    from model.compute import compute
    from model.report import render

    results = compute(_load(path))
    if as_json:
        print(json.dumps(results.to_dict(), indent=1, ensure_ascii=False))
    else:
        print(render(results, str(path)))
    return 0


def _export(path: Path, output: Path) -> int:
    from model.export import export_results

    scenario = _load(path)
    export_results(scenario, output)
    print(f"wrote {output}")
    return 0
