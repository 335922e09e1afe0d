"""Benchmark the sensitivity analysis of the bundled scenario: the full tornado and goal seeks.

    .venv/bin/python bench/bench_sensitivity.py            # the full run (< 1 min)
    .venv/bin/python bench/bench_sensitivity.py --quick    # fewer repeats

Targets (issue 13): the default scenario's full tornado ≤ 150 ms median, a goal seek ≤ 100 ms median. A tornado
computes its changed scenarios (two per input) at once, as the paths of one compute_paths; the run prints beside it
the time of the same scenarios computed one by one with compute() ("one by one"), measured interleaved in the same
run, and the ratio.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_compute import default_scenario, timed  # noqa: E402
from model.core.compute import compute  # noqa: E402
from model.core.validation import validate  # noqa: E402
from model.sensitivity.goal_seek import goal_seek  # noqa: E402
from model.sensitivity.inputs import find_input, inputs_of  # noqa: E402
from model.sensitivity.metrics import parse_metric  # noqa: E402
from model.sensitivity.ranges import ranged_tornado, uncertainty_ranges  # noqa: E402
from model.sensitivity.tornado import spider, top_inputs, tornado  # noqa: E402

TORNADO_TARGET_MS = 150.0
GOAL_SEEK_TARGET_MS = 100.0
GOALS = (("npv", 0.0, "hyperscalers.growth"), ("payback", 2035.0, "hyperscalers.growth"),
         ("coverage@2027", 1.0, "amazon.margin"), ("score", 40.0, "useful-life"))


def interleaved(fn: Callable[[], object], floor: Callable[[], object], repeats: int) -> tuple[float, float, float]:
    """(median, min) of ``fn`` and the median of ``floor``, run alternately: on a shared machine whose load changes
    from one second to the next, a ratio of two medians taken minutes apart means little."""
    fn()
    samples: list[float] = []
    floors: list[float] = []
    for _ in range(repeats):
        for f, out in ((fn, samples), (floor, floors)):
            gc.collect()
            gc.disable()
            start = time.perf_counter()
            f()
            out.append((time.perf_counter() - start) * 1e3)
            gc.enable()
    return statistics.median(samples), min(samples), statistics.median(floors)


def cpu_median(fn: Callable[[], object], repeats: int) -> float:
    """Median process CPU time (time.process_time) of ``fn``, in ms."""
    samples = []
    for _ in range(repeats):
        gc.collect()
        start = time.process_time()
        fn()
        samples.append((time.process_time() - start) * 1e3)
    return statistics.median(samples)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    args = ap.parse_args(argv)
    compute_repeats, repeats = (20, 3) if args.quick else (200, 15)
    wall = time.perf_counter()
    label, scenario = default_scenario()
    problems = validate(scenario)
    inputs = inputs_of(scenario)
    print(label)
    print(f"  {len(inputs)} inputs, {sum(i.in_tornado for i in inputs)} in the tornado "
          f"(the others are group multipliers, for goal seek)")

    one, _ = timed(lambda: compute(scenario), compute_repeats)
    only, _ = timed(lambda: compute(scenario, problems), compute_repeats)
    print(f"  one compute: median {one:.2f} ms; without validation (as the tornado's changed copies): {only:.2f} ms")

    print(f"\nfull tornado, {repeats} runs each (target ≤ {TORNADO_TARGET_MS:.0f} ms median)")
    npv_median = 0.0
    for spec in ("npv", "payback", "coverage", "score"):
        metric = parse_metric(spec, scenario)
        result = tornado(scenario, metric, problems=problems)
        med, mn, floor = interleaved(lambda m=metric: tornado(scenario, m, problems=problems),  # type: ignore[misc]
                                     lambda n=result.computes: [compute(scenario, problems) for _ in range(n)],
                                     repeats)
        verdict = "ok" if med <= TORNADO_TARGET_MS else "MISSED"
        print(f"  {metric.label:32} median {med:7.1f} ms  min {mn:7.1f} ms  {result.computes} scenarios  "
              f"one by one {floor:6.1f} ms (×{med / floor:.2f})  {verdict}")
        if spec == "npv":
            npv_median = med
            cpu = cpu_median(lambda m=metric: tornado(scenario, m, problems=problems), repeats)  # type: ignore[misc]
            print(f"  {'  the same, process CPU time':32} median {cpu:7.1f} ms  (time on a core, without the waits "
                  f"for one on a shared machine)")
            ranged = ranged_tornado(scenario, metric, problems=problems)
            r_med, _ = timed(lambda m=metric: ranged_tornado(scenario, m, problems=problems), repeats)  # type: ignore[misc]
            m_med, _ = timed(lambda m=metric: uncertainty_ranges(scenario, m), repeats)  # type: ignore[misc]
            print(f"  {'  with the Uncertainty ranges':32} median {r_med:7.1f} ms  ({ranged.ranged} bars over a "
                  f"range; reading and mapping the rows: {m_med:.1f} ms of it)")
            lines = top_inputs(result)
            s_med, _ = timed(lambda m=metric, i=lines: spider(scenario, m, i, problems=problems), repeats)  # type: ignore[misc]
            print(f"  {'spider of the top 8 (−30%..+30%)':32} median {s_med:7.1f} ms")

    print(f"\ngoal seek, {repeats} runs each (target ≤ {GOAL_SEEK_TARGET_MS:.0f} ms median)")
    seek_medians = []
    for spec, target, name in GOALS:
        metric = parse_metric(spec, scenario)
        item = find_input(inputs, name)
        result = goal_seek(scenario, metric, target, item, problems=problems)
        med, mn = timed(lambda m=metric, t=target, i=item: goal_seek(scenario, m, t, i, problems=problems),  # type: ignore[misc]
                        repeats)
        seek_medians.append(med)
        verdict = "ok" if med <= GOAL_SEEK_TARGET_MS else "MISSED"
        reached = "reached" if result.reached else "unreachable"
        print(f"  {metric.label} = {target:g} by {item.label}: median {med:6.1f} ms  min {mn:6.1f} ms  "
              f"{result.computes} computes, {reached}  {verdict}")

    print(f"\nsummary: tornado (sector NPV) {npv_median:.1f} ms vs ≤ {TORNADO_TARGET_MS:.0f}; "
          f"slowest goal seek {max(seek_medians):.1f} ms vs ≤ {GOAL_SEEK_TARGET_MS:.0f}")
    print(f"wall time {time.perf_counter() - wall:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
