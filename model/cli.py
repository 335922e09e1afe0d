"""``python main.py report|check|export``: the model from the command line. Every failure is a message."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from model.core.problems import Problem, TemplateError


class UnknownScenario(ValueError):
    pass


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
    _sensitivity_parsers(sub)
    return p


def _sensitivity_parsers(sub: Any) -> None:
    from model.sensitivity.inputs import input_names_help
    from model.sensitivity.metrics import metric_lines_help

    epilog = "\n".join(["metrics (--metric; the sector's unless COMPANY: is given):", *metric_lines_help(), "",
                         "inputs (names depend on the workbook: sensitivity FILE --inputs lists them; a label such "
                         "as \"Amazon's cash margin\" works too):", *input_names_help()])
    raw = argparse.RawDescriptionHelpFormatter
    sens = sub.add_parser("sensitivity", help="tornado: which inputs move an output most (each input ±20%%, or "
                                               "its range on the Uncertainty sheet)",
                          description="Swing every input low and high and rank them by how far they move the output: "
                                      "over the P5 to P95 of its row on the Uncertainty sheet where it has one, ±20%% "
                                      "elsewhere (each bar says which).", epilog=epilog, formatter_class=raw)
    sens.add_argument("template", type=Path)
    sens.add_argument("--scenario", metavar="NAME", help="the scenario of the workbook (default: the base)")
    sens.add_argument("--metric", metavar="M", default="npv", help="the output (default: npv, the sector's NPV)")
    sens.add_argument("--json", action="store_true", help="print the tornado as JSON")
    sens.add_argument("--inputs", action="store_true", help="list the workbook's inputs (name, label, range)")
    sens.add_argument("--no-ranges", action="store_true",
                      help="ignore the Uncertainty sheet: every input ±20%%")
    seek = sub.add_parser("goal-seek", help="set an output to a target by changing one input",
                          description="Set OUTPUT to TARGET by changing INPUT (Brent's method within the input's "
                                      "allowed range).", epilog=epilog, formatter_class=raw)
    seek.add_argument("template", type=Path)
    seek.add_argument("--metric", metavar="M", required=True, help="the output, e.g. npv or payback")
    seek.add_argument("--target", metavar="T", required=True,
                      help="the value to reach: $B for npv, a year for payback, 100%% or 1 for coverage")
    seek.add_argument("--input", metavar="I", required=True, help="the input to change, e.g. hyperscalers.growth")
    seek.add_argument("--scenario", metavar="NAME", help="the scenario to start from (default: the base)")
    seek.add_argument("--write", metavar="OUT.xlsx", type=Path,
                      help="write the workbook with the answer as a new scenario, noted with how it was found")
    seek.add_argument("--json", action="store_true", help="print the answer as JSON")


def run(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "check":
            return _check(args.template)
        if args.command == "report":
            return _report(args.template, args.json, args.scenario, args.all_scenarios)
        if args.command == "simulate":
            return _simulate(args)
        if args.command in ("sensitivity", "goal-seek"):
            return _analysis(args)
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


def _analysis(args: argparse.Namespace) -> int:
    """``sensitivity`` and ``goal-seek``; a name that does not exist says which do (scipy loads only here)."""
    from model.sensitivity.goal_seek import TargetOutOfReach
    from model.sensitivity.inputs import UnknownInput
    from model.sensitivity.metrics import UnknownMetric

    try:
        if args.command == "sensitivity":
            return _sensitivity(args.template, args.scenario, args.metric, args.json, args.inputs,
                                not args.no_ranges)
        return _goal_seek(args)
    except (UnknownMetric, UnknownInput, UnknownScenario, TargetOutOfReach) as exc:
        print(f"{args.template}: {exc}", file=sys.stderr)
        return 1


def _scenario_of(path: Path, name: str | None):  # type: ignore[no-untyped-def]
    book = _load(path)
    name = name or "Base"
    if name not in book.names:
        raise UnknownScenario(f"no scenario named {name!r}; the workbook has: {', '.join(book.names)}")
    return book, name, book.scenario(name)[0]


def _sensitivity(path: Path, scenario_name: str | None, metric_spec: str, as_json: bool, list_inputs: bool,
                 use_ranges: bool = True) -> int:
    from model.report import render_tornado
    from model.sensitivity.inputs import inputs_of
    from model.sensitivity.metrics import parse_metric
    from model.sensitivity.ranges import ranged_tornado

    _, name, scenario = _scenario_of(path, scenario_name)
    if list_inputs:
        for item in inputs_of(scenario):
            print(f"{item.key}\t{item.label}\t{item.range_text()}")
        return 0
    result = ranged_tornado(scenario, parse_metric(metric_spec, scenario), use_ranges=use_ranges)
    if as_json:
        print(json.dumps({"scenario": name, **result.to_dict()}, indent=1, ensure_ascii=False))
    else:
        title = str(path) if name == "Base" else f"{path} — scenario {name!r}"
        print(render_tornado(result, title))
    return 0


def _goal_seek(args: argparse.Namespace) -> int:
    from model.core.values import parse_percent
    from model.sensitivity.goal_seek import as_scenario, goal_seek
    from model.sensitivity.inputs import find_input, inputs_of
    from model.sensitivity.metrics import parse_metric

    book, name, scenario = _scenario_of(args.template, args.scenario)
    metric = parse_metric(args.metric, scenario)
    try:
        target = parse_percent(args.target)
    except ValueError:
        print(f"{args.template}: --target {args.target!r} is not a number", file=sys.stderr)
        return 1
    item = find_input(inputs_of(scenario), args.input)
    result = goal_seek(scenario, metric, target, item)
    if args.json:
        print(json.dumps(result.to_dict(), indent=1, ensure_ascii=False))
    else:
        print(result.message)
    if not result.reached:
        return 2
    if args.write is not None:
        from model.io.template_writer import write_template

        alt = as_scenario(book, name, result)
        write_template(book.with_alternative(alt), args.write)
        print(f"wrote {args.write}: scenario {alt.name!r} "
              f"(python main.py report {args.write} --scenario {json.dumps(alt.name, ensure_ascii=False)})",
              file=sys.stderr if args.json else sys.stdout)
    return 0
