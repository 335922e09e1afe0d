"""``python main.py report|check|export``: the model from the command line. Every failure is a message."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from model.core.problems import Problem, TemplateError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python main.py", description="Bubblescope: does the AI build-out pay back?")
    sub = p.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="print payback, coverage and the bubble score of a template")
    rep.add_argument("template", type=Path)
    rep.add_argument("--json", action="store_true", help="print the full results as JSON")
    which = rep.add_mutually_exclusive_group()
    which.add_argument("--scenario", metavar="NAME", help="report this scenario of the workbook (default: the base)")
    which.add_argument("--all-scenarios", action="store_true", help="compare every scenario side by side")
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
            return _report(args.template, args.json, args.scenario, args.all_scenarios)
        return _export(args.template, args.output)
    except BrokenPipeError:        # piped into `head`: the reader left, nothing is wrong
        sys.stderr.close()
        return 0
    except TemplateError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except MemoryError:
        print("error: not enough memory for this workbook (docs/template-format.md, 'Limits', gives the sizes "
              "measured)", file=sys.stderr)
        return 1
    except Exception as exc:  # the promise: a message, never a traceback nor a class name
        print(f"error: {str(exc).strip() or 'an unexpected failure inside Bubblescope'}", file=sys.stderr)
        return 1


def _load(path: Path):  # type: ignore[no-untyped-def]
    """The workbook's scenario book: the base and every alternative on its Scenarios sheet."""
    from model.io.workbook import read_book

    if not path.exists():
        raise TemplateError([Problem("error", "no such file")], summary=f"{path}: no such file")
    return read_book(path)


def _check(path: Path) -> int:
    from model.io.workbook import check_template

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


def _report(path: Path, as_json: bool, scenario_name: str | None, all_scenarios: bool) -> int:
    from model.core.compare import compare
    from model.core.compute import compute
    from model.report import render, render_comparison
    book = _load(path)
    if all_scenarios:
        comparison = compare(book)
        if as_json:
            sys.stdout.write("{")
            for k, n in enumerate(comparison.names):
                sys.stdout.write(("\n" if k == 0 else ",\n") + json.dumps(n, ensure_ascii=False) + ": ")
                sys.stdout.writelines(comparison.results[n].json_chunks())
            sys.stdout.write("\n}\n")
        else:
            print(render_comparison(comparison, str(path)))
        return 0
    name = scenario_name or "Base"
    if name not in book.names:
        print(f"{path}: no scenario named {name!r}; the workbook has: {', '.join(book.names)}", file=sys.stderr)
        return 1
    scenario, dangling = book.scenario(name)
    results = compute(scenario)
    if as_json:     # written entity by entity: a template at the caps stays within its memory budget
        sys.stdout.writelines(results.json_chunks())
        sys.stdout.write("\n")
    else:
        title = str(path) if name == "Base" else f"{path} — scenario {name!r}"
        print(render(results, title))
        for p in dangling:
            print(f"  {p}")
    return 0


def _export(path: Path, output: Path) -> int:
    from model.export.writer import export_results

    export_results(_load(path), output)
    print(f"wrote {output}")
    return 0
