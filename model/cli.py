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
    sim = sub.add_parser("simulate", help="Monte Carlo over the Uncertainty sheet: percentiles, P(payback), "
                                          "P(Bubble), contribution to variance")
    sim.add_argument("template", type=Path)
    sim.add_argument("--paths", type=int, default=None, help="paths to draw (default 2,000)")
    sim.add_argument("--seed", type=int, default=None, help="the sample's seed (default 20251205); shown")
    sim.add_argument("--scenario", metavar="NAME", action="append",
                     help="simulate this scenario (repeat for several, on one sample; default: the base)")
    sim.add_argument("--batch", type=int, default=None, help="paths per batch (default 250)")
    sim.add_argument("--json", action="store_true", help="print the figures as JSON")
    sim.add_argument("--dask", metavar="ADDRESS", help="run the batches on this dask.distributed scheduler")
    sim.add_argument("-o", "--output", type=Path, help="also write the results workbook with a Simulation sheet")
    sim.add_argument("--samples", action="store_true", help="with -o: add the raw input draws, one row a path")
    return p


def run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            return _check(args.template)
        if args.command == "report":
            return _report(args.template, args.json, args.scenario, args.all_scenarios)
        if args.command == "simulate":
            return _simulate(args)
        return _export(args.template, args.output)
    except BrokenPipeError:        # piped into `head`: the reader left, nothing is wrong
        sys.stderr.close()
        return 0
    except TemplateError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    except Exception as exc:  # the promise: a message, never a traceback
        print(f"error: {type(exc).__name__}: {exc}", file=sys.stderr)
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
            print(json.dumps({n: comparison.results[n].to_dict() for n in comparison.names}, indent=1,
                             ensure_ascii=False))
        else:
            print(render_comparison(comparison, str(path)))
        return 0
    name = scenario_name or "Base"
    if name not in book.names:
        print(f"{path}: no scenario named {name!r}; the workbook has: {', '.join(book.names)}", file=sys.stderr)
        return 1
    scenario, dangling = book.scenario(name)
    results = compute(scenario)
    if as_json:
        print(json.dumps(results.to_dict(), indent=1, ensure_ascii=False))
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


def _simulate(args: argparse.Namespace) -> int:
    from model.simulate.run import DEFAULT_BATCH, DEFAULT_PATHS, DEFAULT_SEED, Runner, simulate
    from model.simulate.text import render_simulation

    book = _load(args.template)
    names = tuple(args.scenario or ("Base",))
    unknown = [n for n in names if n not in book.names]
    if unknown:
        print(f"{args.template}: no scenario named {unknown[0]!r}; the workbook has: {', '.join(book.names)}",
              file=sys.stderr)
        return 1
    paths = DEFAULT_PATHS if args.paths is None else args.paths
    batch = DEFAULT_BATCH if args.batch is None else args.batch
    if paths < 1 or batch < 1:
        print("--paths and --batch take a whole number of at least 1", file=sys.stderr)
        return 1
    if args.samples and args.output is None:
        print("--samples goes with -o OUT.xlsx (the raw draws are a sheet of the workbook)", file=sys.stderr)
        return 1
    runner: Runner | None = None
    if args.dask:
        from model.simulate.cluster import DaskRunner  # imports Dask: only when asked for

        runner = DaskRunner(args.dask)
    try:
        sim = simulate(book, names, paths=paths, seed=DEFAULT_SEED if args.seed is None else args.seed,
                       batch_size=batch, runner=runner, keep_draws=args.samples)
    finally:
        if runner is not None and hasattr(runner, "close"):
            runner.close()
    if args.json:
        print(json.dumps(sim.to_dict(), indent=1, ensure_ascii=False))
    else:
        print(render_simulation(sim, str(args.template)))
    if args.output is not None:
        from model.export.writer import export_results

        summary = export_results(book, args.output, simulation=sim)
        print(summary if not args.json else "", file=sys.stderr if args.json else sys.stdout)
    return 0
