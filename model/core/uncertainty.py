"""The Uncertainty and Correlations sheets: ranges on inputs, as analysts write them, checked cell by cell.

A row of the Uncertainty sheet names the cells one draw sets (sheet, row key, column, years) and a distribution:

* ``lo to hi`` — a 90% range: P5 = lo and P95 = hi. Lognormal when both ends are above zero, otherwise normal
  (the reading of Guesstimate and Squiggle: ln X ~ N((ln lo + ln hi)/2, (ln hi − ln lo)/(2 × 1.6449))).
* ``PERT min, most likely, max`` — the beta-PERT (Vose, *Risk Analysis*, 2008): α = 1 + 4(m − a)/(b − a),
  β = 1 + 4(b − m)/(b − a) on [a, b].
* ``triangular min, most likely, max`` and ``uniform lo to hi``.
* a single number — fixed (a range whose ends are equal is fixed too).

``read_uncertainty(scenario)`` resolves every row against the scenario and returns the inputs, the requested
rank-correlation matrix and every problem at its cell. ``validate`` reports the same problems, so the importer
and the window refuse what the simulation could not use.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from model.core import schema, values
from model.core.overrides import KEY_SEPARATOR, find_row
from model.core.problems import Problem
from model.core.scenario import Scenario, Table

Locate = Callable[[str, int, str], str]
Array = npt.NDArray[np.float64]

# A 90% range spans ±Z95 standard deviations: the standard normal's 95th percentile, scipy.stats.norm.ppf(0.95)
# written out (tests/test_uncertainty.py checks it against scipy and the standard library). Importing scipy.stats
# here cost the window ~0.3 s of its cold start, for a module every edit's validation imports but only a
# simulation samples from: scipy is imported where a distribution is sampled.
Z95 = 1.6448536269514722
EXPECTED_DISTRIBUTION = ("a distribution such as 20% to 60% (a 90% range), PERT 3, 5, 6, triangular 3, 5, 6, "
                         "uniform 4 to 6, or a single number")
AMBIGUOUS_PERCENT = 5.0                  # as model.core.edit: 30 in a percentage means 30%, typed without its sign
_NUMERIC = (schema.Kind.MONEY, schema.Kind.PERCENT, schema.Kind.NUMBER)
_THREE = re.compile(r"^(pert|triangular|triangle)\s*\(?(.*?)\)?$", re.IGNORECASE)
_UNIFORM = re.compile(r"^uniform\s*\(?(.*?)\)?$", re.IGNORECASE)
_TO = re.compile(r"\s+to\s+", re.IGNORECASE)
_YEAR_RANGE = re.compile(r"^\s*(\d{4})\s*(?:-|–|—|to)\s*(\d{4})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Distribution:
    """One uncertain quantity. ``form``: range (a 90% range), pert, triangular, uniform or fixed."""

    form: str
    low: float
    high: float
    mode: float | None = None
    percent_typed: bool = False      # a % sign was typed (a percentage column needs it for numbers >= 5)

    @property
    def family(self) -> str:
        """The distribution actually drawn from: lognormal or normal for a range."""
        if self.form == "range":
            return "lognormal" if self.low > 0 else "normal"
        return self.form

    @property
    def fixed(self) -> bool:
        return self.form == "fixed" or self.low == self.high

    def quantile(self, u: Array) -> Array:
        """The values at probabilities ``u`` (0 < u < 1): the inverse CDF, so a Latin hypercube stays one."""
        # Imported here, not at the top: only sampling needs scipy (see Z95)
        from scipy import stats

        u = np.asarray(u, dtype=float)
        lo, hi = self.low, self.high
        if self.fixed:
            return np.full(u.shape, lo)
        if self.form == "range":
            if lo > 0:
                mu, sigma = (math.log(lo) + math.log(hi)) / 2, (math.log(hi) - math.log(lo)) / (2 * Z95)
                return np.asarray(np.exp(mu + sigma * stats.norm.ppf(u)), dtype=float)
            return np.asarray((lo + hi) / 2 + (hi - lo) / (2 * Z95) * stats.norm.ppf(u), dtype=float)
        if self.form == "uniform":
            return lo + (hi - lo) * u
        mode = float(self.mode if self.mode is not None else (lo + hi) / 2)
        if self.form == "triangular":
            return np.asarray(stats.triang.ppf(u, (mode - lo) / (hi - lo), loc=lo, scale=hi - lo), dtype=float)
        a = 1 + 4 * (mode - lo) / (hi - lo)
        b = 1 + 4 * (hi - mode) / (hi - lo)
        return np.asarray(lo + (hi - lo) * stats.beta.ppf(u, a, b), dtype=float)

    def text(self) -> str:
        def show(x: float) -> str:
            return f"{x:.4g}"
        if self.fixed:
            return f"fixed at {show(self.low)}"
        if self.form == "range":
            return f"{self.family}, 90% between {show(self.low)} and {show(self.high)}"
        if self.form == "uniform":
            return f"uniform between {show(self.low)} and {show(self.high)}"
        return f"{self.form} {show(self.low)}, {show(self.mode or 0.0)}, {show(self.high)}"


def parse_distribution(raw: object) -> Distribution:
    """The distribution an analyst typed; ValueError naming the forms accepted (and what is wrong) otherwise."""
    if isinstance(raw, str):
        return _parse_text(raw)
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        x = float(raw)
        if not math.isfinite(x):
            raise ValueError(EXPECTED_DISTRIBUTION)
        return Distribution("fixed", x, x)
    return _parse_text(values.parse_text(raw))


@functools.lru_cache(maxsize=1024)
def _parse_text(raw: str) -> Distribution:
    """Memoised: the window validates on every edit, and the same texts come back each time."""
    text = values.parse_text(raw)
    if not text:
        raise ValueError(EXPECTED_DISTRIBUTION)
    percent = "%" in text
    m = _THREE.match(text)
    if m:
        form = "pert" if m.group(1).lower() == "pert" else "triangular"
        numbers = _numbers(m.group(2), 3)
        lo, mode, hi = numbers
        if not lo <= mode <= hi:
            raise ValueError(f"min ≤ most likely ≤ max ({_show_all(numbers)} is not in order)")
        return Distribution(form, lo, hi, mode, percent)
    m = _UNIFORM.match(text)
    if m:
        body = m.group(1)
        lo, hi = _numbers(body if _TO.search(body) else body, 2)
        if lo > hi:
            raise ValueError(f"the low end first: uniform {hi:g} to {lo:g}")
        return Distribution("uniform", lo, hi, None, percent)
    parts = _TO.split(text)
    if len(parts) == 2:
        lo, hi = (_number(p) for p in parts)
        if lo > hi:
            raise ValueError(f"the low end first ({_show_all((lo, hi))} runs backwards)")
        return Distribution("range", lo, hi, None, percent)
    if len(parts) == 1:
        x = _number(text)
        return Distribution("fixed", x, x, None, percent)
    raise ValueError(EXPECTED_DISTRIBUTION)


def _numbers(body: str, count: int) -> list[float]:
    body = body.strip()
    separator = ";" if ";" in body else ","
    pieces = _TO.split(body) if count == 2 and _TO.search(body) else body.split(separator)
    if len(pieces) != count:
        raise ValueError(EXPECTED_DISTRIBUTION)
    return [_number(p) for p in pieces]


def _number(text: str) -> float:
    try:
        return values.parse_percent(text.strip())
    except ValueError:
        raise ValueError(EXPECTED_DISTRIBUTION) from None


def _show_all(numbers: tuple[float, ...] | list[float]) -> str:
    return ", ".join(f"{x:g}" for x in numbers)


# -- resolved against a scenario -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class UncertainInput:
    """One row of the Uncertainty sheet, resolved: the cells a draw sets and the bounds they must respect."""

    name: str
    sheet: str
    row: int                     # row index in the sheet's table
    columns: tuple[str, ...]     # column keys one draw sets
    distribution: Distribution
    multiplier: bool             # a draw multiplies each cell's value (else it is the value)
    lower: float | None
    upper: float | None
    lower_inclusive: bool = True
    source: str = ""

    def describe(self) -> str:
        how = "× the cell" if self.multiplier else ""
        return f"{self.distribution.text()} {how}".strip()

    def clip(self, x: Array) -> Array:
        """Values kept inside the cell's allowed range (a lognormal tail past a margin of 100% is cut at 100%);
        docs/methodology.md says so."""
        lo = -np.inf if self.lower is None else self.lower
        if self.lower is not None and not self.lower_inclusive:
            lo = np.nextafter(self.lower, np.inf)
        hi = np.inf if self.upper is None else self.upper
        return np.clip(x, lo, hi)


@dataclass(frozen=True)
class UncertaintySpec:
    inputs: tuple[UncertainInput, ...]
    correlation: Array            # (k, k) requested rank correlations, 1 on the diagonal, 0 where none is given
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(i.name for i in self.inputs)


def _default_locate(scenario: Scenario) -> Locate:
    def locate(sheet: str, row: int, key: str) -> str:
        table = scenario.table(sheet)
        col = table.column_index(key) if key in table.keys else 0
        letters, n = "", col + 1
        while n:
            n, rem = divmod(n - 1, 26)
            letters = chr(65 + rem) + letters
        return f"{letters}{row + 2 if row >= 0 else 1}"
    return locate


def read_uncertainty(scenario: Scenario, locate: Locate | None = None) -> UncertaintySpec:
    """Every row of the Uncertainty sheet resolved against ``scenario``, the Correlations as a matrix, and every
    problem (a row with an error is left out of ``inputs``)."""
    loc = locate or _default_locate(scenario)
    problems: list[Problem] = []

    def add(severity: str, sheet: str, row: int, key: str, message: str, value: object, expected: str) -> None:
        header = schema.sheet(sheet).column(key).header
        problems.append(Problem(severity, message, sheet, loc(sheet, row, key), header, value, expected))  # type: ignore[arg-type]

    inputs: list[UncertainInput] = []
    for i, rec in enumerate(scenario.uncertainty.records()):
        if not rec["input"] or not rec["sheet"] or not rec["row"] or not rec["column"] or rec["distribution"] in (
                None, ""):
            continue    # a required cell is blank: validation's required check reports it
        found = _resolve(scenario, i, rec, add)
        if found is not None:
            inputs.append(found)

    by_name = {_normalised(str(x.name)): k for k, x in enumerate(inputs)}
    all_names = {_normalised(str(n)) for n in scenario.uncertainty.column_values("input") if n}
    corr = np.eye(len(inputs))
    seen: dict[frozenset[int], int] = {}
    for i, rec in enumerate(scenario.correlations.records()):
        pair = []
        for key in ("first", "second"):
            name = rec[key]
            if not name:
                continue
            k = by_name.get(_normalised(str(name)))
            if k is None and _normalised(str(name)) not in all_names:
                add("error", "Correlations", i, key, f"{name!r} is not an Input of the Uncertainty sheet", name,
                    "the Input of an Uncertainty row")
            elif k is not None:
                pair.append(k)
        value = rec["correlation"]
        if len(pair) != 2 or not isinstance(value, int | float):
            continue
        a, b = pair
        if a == b:
            add("error", "Correlations", i, "second", "an input is correlated with itself", rec["second"],
                "a different Input from the first")
            continue
        if frozenset(pair) in seen:
            add("error", "Correlations", i, "first", f"the pair {rec['first']} / {rec['second']} is already at "
                f"{loc('Correlations', seen[frozenset(pair)], 'first')}", rec["first"], "each pair once")
            continue
        seen[frozenset(pair)] = i
        corr[a, b] = corr[b, a] = float(value)
    if len(inputs) > 1:
        smallest = float(np.linalg.eigvalsh(corr).min())
        if smallest < -1e-10:
            add("warning", "Correlations", -1, "correlation",
                f"the correlations are not a valid correlation matrix (smallest eigenvalue {smallest:.3f}): the "
                "simulation uses the nearest valid one (Higham, 2002)", None,
                "correlations that can hold together (e.g. A~B 0.9 and B~C 0.9 need A~C above 0.6)")
    return UncertaintySpec(tuple(inputs), corr, tuple(problems))


def uncertainty_problems(scenario: Scenario, locate: Locate | None = None) -> list[Problem]:
    """The problems of the Uncertainty and Correlations sheets (``validate`` adds them to its own).

    With the default cell references (``locate`` None) the last answer is reused while what ``read_uncertainty``
    reads is unchanged (``_what_it_reads``): the window validates every edit's candidate, and an edit of a capex or
    revenue figure changes none of it (~0.45 ms of each edit of the default scenario, ~0.05 ms to compare).
    """
    global _LAST
    if not len(scenario.uncertainty) and not len(scenario.correlations):
        return []
    if locate is not None:
        return list(read_uncertainty(scenario, locate).problems)
    reads = _what_it_reads(scenario)
    last = _LAST
    if last is not None and last[0] == reads:
        return list(last[1])
    problems = read_uncertainty(scenario).problems
    _LAST = (reads, problems)      # one tuple, swapped whole: safe when a worker thread validates too
    return list(problems)


_LAST: tuple[tuple[object, ...], tuple[Problem, ...]] | None = None


def _what_it_reads(scenario: Scenario) -> tuple[object, ...]:
    """Everything ``read_uncertainty`` looks at, comparable with ==: the Uncertainty and Correlations tables
    themselves (immutable: the same object reads the same), and of each sheet they name its columns, its key
    cells (which rows the keys find; an assumption's name) and whether each other cell holds a number (a
    multiplier that scales nothing is warned about). No other value of those sheets is read."""
    parts: list[object] = [scenario.uncertainty, scenario.correlations]
    for name in sorted({str(n) for n in scenario.uncertainty.column_values("sheet") if n}):
        if name not in Scenario._ATTR:
            parts.append((name, None))
            continue
        table = scenario.table(name)
        key = [k in table.schema.key for k in table.keys]
        parts.append((name, table.keys, tuple(
            tuple(v if is_key else isinstance(v, int | float) for is_key, v in zip(key, row, strict=True))
            for row in table.rows)))
    return tuple(parts)


def _resolve(scenario: Scenario, i: int, rec: dict[str, object],
             add: Callable[[str, str, int, str, str, object, str], None]) -> UncertainInput | None:
    sheet_name = str(rec["sheet"])
    table = scenario.table(sheet_name)
    ok = True
    try:
        dist = parse_distribution(rec["distribution"])
    except ValueError as exc:
        why = "" if str(exc) == EXPECTED_DISTRIBUTION else f": {exc}"
        add("error", "Uncertainty", i, "distribution", f"the distribution cannot be read{why}", rec["distribution"],
            EXPECTED_DISTRIBUTION)
        ok = False
    key_text = str(rec["row"])
    row = find_row(table, tuple(part.strip() for part in key_text.split(KEY_SEPARATOR.strip())))
    if row is None:
        headers = KEY_SEPARATOR.join(table.schema.column(k).header for k in table.schema.key)
        add("error", "Uncertainty", i, "row", f"no row {key_text!r} in the {sheet_name} sheet", key_text,
            f"a row key of {sheet_name}: {headers}")
        return None
    columns = _columns(table, i, rec, add)
    if columns is None or not ok:
        return None
    multiplier = rec["applies_as"] == "multiplier"
    template = table.columns[table.column_index(columns[0])]
    lower, upper, inclusive = template.minimum, template.maximum, template.minimum_inclusive
    kind = template.kind
    if sheet_name == "Assumptions":
        spec = schema.ASSUMPTION_BY_NAME.get(str(table.value(row, "name")).strip().lower())
        if spec is None:
            add("error", "Uncertainty", i, "row", f"{key_text!r} is not an assumption the model reads", key_text,
                ", ".join(a.name for a in schema.ASSUMPTIONS if a.kind is not schema.Kind.YEAR and not a.whole))
            return None
        if spec.kind is schema.Kind.YEAR or spec.whole:
            add("error", "Uncertainty", i, "row", f"{spec.name} is a whole number: it takes no range", key_text,
                "an assumption with a continuous value (Discount rate, Useful life, growth...)")
            return None
        lower, upper, inclusive, kind = spec.minimum, spec.maximum, spec.minimum_inclusive, spec.kind
    assert dist is not None
    if (kind is schema.Kind.PERCENT and not multiplier and not dist.percent_typed
            and max(abs(dist.low), abs(dist.high)) >= AMBIGUOUS_PERCENT):
        add("error", "Uncertainty", i, "distribution", "a percentage typed without its sign",
            rec["distribution"], f"{dist.low:g}% to {dist.high:g}% with the sign, or "
            f"{dist.low / 100:g} to {dist.high / 100:g} as fractions")
        return None
    if multiplier:
        # A blank cell keeps its own reading (no capex; the terminal growth) on every path: scaling leaves it
        # blank. Only a multiplier with nothing at all to scale is pointless, and said so.
        if not any(isinstance(table.value(row, c), int | float) for c in columns):
            add("warning", "Uncertainty", i, "applies_as", f"a multiplier scales nothing: every cell it names is "
                f"blank ({key_text}, {', '.join(columns)})", rec["applies_as"],
                "value (the draw is the cell's value), or fill the cells first")
        if dist.low < 0:
            add("error", "Uncertainty", i, "distribution", "a multiplier below zero would flip the sign",
                rec["distribution"], "a multiplier range above zero, such as 0.8 to 1.2")
            return None
    return UncertainInput(str(rec["input"]), sheet_name, row, columns, dist, multiplier, lower, upper, inclusive,
                          str(rec["source"] or ""))


def _columns(table: Table, i: int, rec: dict[str, object],
             add: Callable[[str, str, int, str, str, object, str], None]) -> tuple[str, ...] | None:
    """The column keys the row sets: a header, a year, or the year columns' name with its Years."""
    wanted = values.normalise_header(rec["column"])
    spec = table.schema
    years_text = values.parse_text(rec["years"])
    if spec.years is not None and wanted == _normalised(spec.years.template.header):
        years = _years(years_text, table.years)
        if years is None:
            add("error", "Uncertainty", i, "years", f"the years are not {table.sheet} year columns", rec["years"],
                f"a year or a span such as {table.years[0] if table.years else 2026}-"
                f"{table.years[-1] if table.years else 2030} among the sheet's years, or blank for all")
            return None
        return tuple(str(y) for y in years)
    if wanted.isdigit() and wanted in table.keys:
        return (wanted,)
    for col in spec.columns:
        if _normalised(col.header) == wanted:
            if col.kind not in _NUMERIC or col.key in spec.key:
                add("error", "Uncertainty", i, "column", f"{col.header} holds no number a range could set",
                    rec["column"], _numeric_headers(table))
                return None
            return (col.key,)
    add("error", "Uncertainty", i, "column", f"{table.sheet} has no column {rec['column']!r}", rec["column"],
        _numeric_headers(table))
    return None


@functools.lru_cache(maxsize=4096)
def _normalised(header: str) -> str:
    return values.normalise_header(header)


def _numeric_headers(table: Table) -> str:
    spec = table.schema
    names = [c.header for c in spec.columns if c.kind in _NUMERIC and c.key not in spec.key]
    if spec.years is not None:
        names.append(f"{spec.years.template.header} (with Years) or a year")
    return "one of: " + ", ".join(names)


def _years(text: str, available: tuple[int, ...]) -> tuple[int, ...] | None:
    if not text:
        return available or None
    chosen: list[int] = []
    for part in text.replace(";", ",").split(","):
        m = _YEAR_RANGE.match(part)
        try:
            span = range(int(m.group(1)), int(m.group(2)) + 1) if m else range(values.parse_year(part),
                                                                              values.parse_year(part) + 1)
        except ValueError:
            return None
        if not span or any(y not in available for y in span):
            return None
        chosen.extend(span)
    return tuple(dict.fromkeys(chosen)) or None
