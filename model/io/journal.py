"""The edit journal: every accepted change to an open scenario book, one line each, so that a crash loses nothing.

A journal is a text file of lines::

    bubblescope-journal 1                      the format and its version
    0 1c2f3a4b {"path": …, "untitled": …, "created": …}          about the document
    1 9e8d7c6b {"book": …, "active": "Base"}                     the book as last opened or saved
    2 0a1b2c3d {"at": 1733412345.1, "changes": [["rows", "Capex", [[3, […]]]]]}
    …

Each line after the first is ``<sequence number> <CRC-32 of "<sequence number> <payload>", 8 hex digits> <JSON>``;
sequence numbers count up from 0 without gaps. A change line holds what differs from the line before it: the rows
of a table that changed (when rows were added or removed, the run of rows between the unchanged start and the
unchanged end; when a year column was added, its cells; when one was removed, just the years), the alternatives
that changed (an unchanged one by its position, a changed one by the run of its overrides that changed), the
scenario on screen. Diffs keep each line small: appending one costs well under a millisecond even on a
500-company, 2,000-deal book (``bench/bench_journal.py``).

Reading is all or nothing: a journal from another format version, a line that fails its checksum or a sequence
number out of place refuses the whole journal (``JournalRefused``: nothing is applied, the file is left to the
caller). The one exception is the last line: a crash in the middle of an append leaves it without its newline, so
it is dropped and counted (``Recovered.torn``) — that change was never acknowledged.

Pure Python: the window's side (where journals live, the lock that tells a crashed owner from a live one, when to
fsync, the recovery bar) is ``gui/journal.py``.
"""

from __future__ import annotations

import contextlib
import json
import os
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from operator import itemgetter
from typing import Any

from model.core import schema
from model.core.overrides import BASE, Alternative, Override, ScenarioBook
from model.core.problems import Problem
from model.core.scenario import Cell, Scenario, Table

MAGIC = "bubblescope-journal"
FORMAT_VERSION = 1
SUFFIX = ".journal"

Change = list[Any]    # one JSON array: ["rows" | "splice" | "table" | "base" | "alternatives" | "active", …]


class JournalRefused(Exception):
    """The journal cannot be used: nothing of it was applied. ``reason`` says what is wrong and where."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path, self.reason = path, reason


@dataclass(frozen=True)
class Recovered:
    """What a journal holds: the book as last saved, and as it stood after the last journaled change."""

    path: str                  # the workbook the document came from ("" when it had no file yet)
    untitled: str              # its title without a file ("Default scenario", …)
    created: float             # when the journal was started (seconds since the epoch)
    saved: ScenarioBook        # the book as opened or last saved: the clean state
    book: ScenarioBook         # after every change
    active: str                # the scenario on screen after every change
    changes: int               # lines that changed the book (switching the scenario on screen is not a change)
    last_change: float | None  # when the last change was made (seconds since the epoch)
    last_sequence: int
    torn: int                  # incomplete last lines dropped: 0 or 1
    good_length: int           # bytes up to the end of the last complete line: where appending resumes


# -- values ------------------------------------------------------------------------------------------------------
def _dumps(payload: object) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=True)


def _problem(p: Problem) -> list[Any]:
    value = p.value if p.value is None or isinstance(p.value, str | int | float) else str(p.value)
    return [p.severity, p.message, p.sheet, p.cell, p.column, value, p.expected]


def _table(t: Table) -> dict[str, Any]:
    return {"years": list(t.years), "rows": [list(r) for r in t.rows]}


def _override(o: Override) -> list[Any]:
    return [o.sheet, list(o.key), o.column, o.value, o.note]


def _alternative(a: Alternative) -> dict[str, Any]:
    return {"name": a.name, "description": a.description, "overrides": [_override(o) for o in a.overrides]}


def _scenario(s: Scenario) -> dict[str, Any]:
    return {"name": s.name, "warnings": [_problem(p) for p in s.warnings],
            "tables": {t.sheet: _table(t) for t in s.tables}}


def book_to_json(book: ScenarioBook) -> dict[str, Any]:
    """The whole book as JSON values: cells keep their type (text, integer, number, true/false, blank)."""
    return {"base": _scenario(book.base), "alternatives": [_alternative(a) for a in book.alternatives]}


def _row(values: Sequence[Cell]) -> tuple[Cell, ...]:
    return tuple(values)


def _make_table(sheet: str, data: dict[str, Any]) -> Table:
    return Table(sheet, tuple(int(y) for y in data["years"]), tuple(_row(r) for r in data["rows"]))


def _make_problem(data: Sequence[Any]) -> Problem:
    severity, message, sheet, cell, column, value, expected = data
    return Problem(severity, message, sheet, cell, column, value, expected)


def _make_override(data: Sequence[Any]) -> Override:
    sheet, key, column, value, note = data
    return Override(str(sheet), tuple(str(k) for k in key), str(column), value, str(note))


def _make_alternative(data: dict[str, Any]) -> Alternative:
    return Alternative(str(data["name"]), str(data["description"]),
                       tuple(_make_override(o) for o in data["overrides"]))


def _make_scenario(data: dict[str, Any]) -> Scenario:
    scenario = Scenario(name=str(data["name"]), warnings=tuple(_make_problem(p) for p in data["warnings"]))
    tables = data["tables"]
    for sheet in schema.SHEETS:
        if sheet.name in tables:
            scenario = scenario.with_table(_make_table(sheet.name, tables[sheet.name]))
    return scenario


def book_from_json(data: dict[str, Any]) -> ScenarioBook:
    """``book_to_json`` read back: the same book, equal field by field."""
    return ScenarioBook(_make_scenario(data["base"]), tuple(_make_alternative(a) for a in data["alternatives"]))


# -- changes -----------------------------------------------------------------------------------------------------
def _common_ends(old: Sequence[Any], new: Sequence[Any]) -> tuple[int, int]:
    """How many items are the same at the start, and after that at the end (identity first: cheap)."""
    n = min(len(old), len(new))
    start = 0
    while start < n and (old[start] is new[start] or old[start] == new[start]):
        start += 1
    end = 0
    while end < n - start and (old[-1 - end] is new[-1 - end] or old[-1 - end] == new[-1 - end]):
        end += 1
    return start, end


def _table_changes(old: Table, new: Table) -> Change | None:
    if old is new or old.rows is new.rows and old.years == new.years:
        return None
    if old.years != new.years:
        return _year_changes(old, new) or ["table", new.sheet, list(new.years), [list(r) for r in new.rows]]
    if len(old.rows) == len(new.rows):
        changed = [[i, list(b)] for i, (a, b) in enumerate(zip(old.rows, new.rows, strict=True))
                   if a is not b and a != b]
        return ["rows", new.sheet, changed] if changed else None
    start, end = _common_ends(old.rows, new.rows)
    inserted = new.rows[start:len(new.rows) - end]
    return ["splice", new.sheet, start, len(old.rows) - start - end, [list(r) for r in inserted]]


def _year_changes(old: Table, new: Table) -> Change | None:
    """A year column added or removed, every other cell as it was: the new years and the added columns' cells
    (not the whole table: a year of a 500-company sheet is one short line). None when more than that changed."""
    if len(old.rows) != len(new.rows):
        return None
    common = [k for k in new.keys if k in old.keys]
    if not common:
        return None
    in_new = itemgetter(*[new.column_index(k) for k in common])
    in_old = itemgetter(*[old.column_index(k) for k in common])
    if not all(in_new(a) == in_old(b) for a, b in zip(new.rows, old.rows, strict=True)):
        return None
    added = {k: [row[new.column_index(k)] for row in new.rows] for k in new.keys if k not in old.keys}
    return ["years", new.sheet, list(new.years), added]


def _with_years(table: Table, years: Sequence[int], added: dict[str, list[Any]]) -> Table:
    layout = Table(table.sheet, tuple(int(y) for y in years))
    sources = [(True, table.column_index(k)) if k in table.keys else (False, k) for k in layout.keys]
    for key, column in added.items():
        if len(column) != len(table.rows) or key in table.keys:
            raise ValueError(f"{table.sheet}: the added column {key!r} does not fit the table")
    rows = tuple(tuple(row[where] if kept else added[where][i] for kept, where in sources)   # type: ignore[index]
                 for i, row in enumerate(table.rows))
    return Table(table.sheet, layout.years, rows)


def _alternative_change(old: tuple[Alternative, ...], new: Alternative) -> Any:
    """An unchanged alternative by its old position; a changed one by the run of its overrides that changed."""
    for j, a in enumerate(old):
        if a is new:
            return j
    source = next((j for j, a in enumerate(old) if a.name == new.name), None)
    if source is None:     # a renamed or duplicated one shares its overrides with the original
        source = next((j for j, a in enumerate(old) if a.overrides is new.overrides), None)
    if source is None:
        return _alternative(new)
    was = old[source]
    start, end = _common_ends(was.overrides, new.overrides)
    inserted = new.overrides[start:len(new.overrides) - end]
    return {"from": source, "name": new.name, "description": new.description, "start": start,
            "delete": len(was.overrides) - start - end, "overrides": [_override(o) for o in inserted]}


def changes_between(before: ScenarioBook, before_active: str, after: ScenarioBook, after_active: str) -> list[Change]:
    """What turns ``before`` (with ``before_active`` on screen) into ``after``: the lines of one journal entry.

    Cost grows with the rows compared, and only for the tables that are not the very same object (an edit copies
    one table, the others are shared), so a cell edit of a 2,000-deal book stays well under a millisecond."""
    out: list[Change] = []
    if after is not before:
        old_base, new_base = before.base, after.base
        if old_base is not new_base:
            if old_base.name != new_base.name or old_base.warnings != new_base.warnings:
                out.append(["base", new_base.name, [_problem(p) for p in new_base.warnings]])
            for old_table, new_table in zip(old_base.tables, new_base.tables, strict=True):
                change = _table_changes(old_table, new_table)
                if change is not None:
                    out.append(change)
        if before.alternatives is not after.alternatives and before.alternatives != after.alternatives:
            out.append(["alternatives", [_alternative_change(before.alternatives, a) for a in after.alternatives]])
    if after_active != before_active:
        out.append(["active", after_active])
    return out


def _splice(items: tuple[Any, ...], start: int, delete: int, inserted: Sequence[Any]) -> tuple[Any, ...]:
    if not (0 <= start <= len(items) and 0 <= delete <= len(items) - start):
        raise IndexError(f"a change of items {start}…{start + delete} of {len(items)}")
    return items[:start] + tuple(inserted) + items[start + delete:]


def apply_changes(book: ScenarioBook, active: str, changes: Sequence[Change]) -> tuple[ScenarioBook, str]:
    """``changes_between``'s result applied: the book and scenario on screen after one journal entry.
    Raises KeyError, IndexError, ValueError or TypeError on a change that does not fit the book."""
    base = book.base
    alternatives = book.alternatives
    for change in changes:
        kind = change[0]
        if kind == "active":
            active = str(change[1])
        elif kind == "base":
            base = replace(base, name=str(change[1]), warnings=tuple(_make_problem(p) for p in change[2]))
        elif kind == "table":
            base = base.with_table(_make_table(change[1], {"years": change[2], "rows": change[3]}))
        elif kind == "years":
            base = base.with_table(_with_years(base.table(change[1]), change[2], change[3]))
        elif kind == "rows":
            table = base.table(change[1])
            rows = list(table.rows)
            for i, row in change[2]:
                if not 0 <= i < len(rows):
                    raise IndexError(f"{table.sheet} has no row {i + 1}")
                rows[i] = _row(row)
            base = base.with_table(Table(table.sheet, table.years, tuple(rows)))
        elif kind == "splice":
            table = base.table(change[1])
            spliced = _splice(table.rows, change[2], change[3], [_row(r) for r in change[4]])
            base = base.with_table(Table(table.sheet, table.years, spliced))
        elif kind == "alternatives":
            alternatives = tuple(_apply_alternative(alternatives, entry) for entry in change[1])
        else:
            raise ValueError(f"an unknown change {kind!r}")
    return ScenarioBook(base, alternatives), active


def _apply_alternative(old: tuple[Alternative, ...], entry: Any) -> Alternative:
    if isinstance(entry, int):
        return old[entry]
    if "from" not in entry:
        return _make_alternative(entry)
    was = old[entry["from"]]
    overrides = _splice(was.overrides, entry["start"], entry["delete"],
                        [_make_override(o) for o in entry["overrides"]])
    return Alternative(str(entry["name"]), str(entry["description"]), overrides)


# -- lines -------------------------------------------------------------------------------------------------------
def header_line() -> bytes:
    return f"{MAGIC} {FORMAT_VERSION}\n".encode()


def encode_line(sequence: int, payload: object) -> bytes:
    """One journal line: sequence number, checksum, JSON, newline."""
    body = f"{sequence} {_dumps(payload)}"
    crc = zlib.crc32(body.encode())
    number, _, data = body.partition(" ")
    return f"{number} {crc:08x} {data}\n".encode()


def decode_line(line: bytes, expected_sequence: int) -> Any:
    """The payload of one complete line (without its newline). Raises ValueError saying what is wrong."""
    try:
        text = line.decode()
        number, crc, data = text.split(" ", 2)
        sequence = int(number)
        checksum = int(crc, 16)
    except ValueError:
        raise ValueError("is not a journal line") from None
    if zlib.crc32(f"{number} {data}".encode()) != checksum:
        raise ValueError("fails its checksum")
    if sequence != expected_sequence:
        raise ValueError(f"has sequence number {sequence}, expected {expected_sequence}")
    try:
        return json.loads(data)
    except ValueError:
        raise ValueError("is not valid JSON") from None


def read_about(path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The journal's description of its document (path, title, when it was started) without reading its changes;
    None when the journal has none yet. Raises ``JournalRefused`` as ``read_journal`` does for those lines."""
    name = os.fspath(path)
    with open(name, "rb") as file:
        first, second = file.readline(), file.readline()
    if not second.endswith(b"\n"):
        return None
    parts = first.decode(errors="replace").split()
    if len(parts) != 2 or parts[0] != MAGIC or not parts[1].isdigit():
        raise JournalRefused(name, "line 1: not a Bubblescope journal; nothing of it was applied")
    if int(parts[1]) != FORMAT_VERSION:
        raise JournalRefused(name, f"line 1: journal format version {parts[1]}; this version of Bubblescope "
                                   f"reads version {FORMAT_VERSION} only; nothing of the journal was applied")
    try:
        about = decode_line(second[:-1], 0)
    except ValueError as exc:
        raise JournalRefused(name, f"line 2 {exc}; nothing of the journal was applied") from None
    if not isinstance(about, dict):
        raise JournalRefused(name, "line 2: not the journal's description of its document")
    return about


def read_journal(path: str | os.PathLike[str]) -> Recovered | None:
    """Every change of the journal at ``path`` applied to its saved book; None when the journal holds no book
    yet (it was being created when the program stopped: nothing was typed into it).

    All or nothing: raises ``JournalRefused`` (and applies nothing) for a journal of another format version, a
    line that fails its checksum, a sequence number out of place or a change that does not fit the book. An
    incomplete last line is dropped and counted in ``Recovered.torn``."""
    name = os.fspath(path)
    with open(name, "rb") as file:
        data = file.read()
    return parse_journal(data, name)


def parse_journal(data: bytes, name: str = "journal") -> Recovered | None:
    """``read_journal`` of bytes already read."""
    end = data.rfind(b"\n") + 1
    complete, tail = data[:end], data[end:]
    torn = 1 if tail else 0
    lines = complete.split(b"\n")[:-1]
    if not lines:
        return None
    first = lines[0].decode(errors="replace").split(" ")
    if len(first) != 2 or first[0] != MAGIC or not first[1].isdigit():
        raise JournalRefused(name, "line 1: not a Bubblescope journal; nothing of it was applied")
    if int(first[1]) != FORMAT_VERSION:
        raise JournalRefused(name, f"line 1: journal format version {first[1]}; this version of Bubblescope "
                                   f"reads version {FORMAT_VERSION} only; nothing of the journal was applied")
    if len(lines) < 3:
        return None
    payloads = []
    for sequence, line in enumerate(lines[1:]):
        try:
            payloads.append(decode_line(line, sequence))
        except ValueError as exc:
            raise JournalRefused(name, f"line {sequence + 2} {exc}; nothing of the journal was applied") from None
    about, lineno = payloads[0], 3
    if not isinstance(about, dict):
        raise JournalRefused(name, "line 2: not the journal's description of its document")
    try:
        start = payloads[1]
        saved = book_from_json(start["book"])
        book, active = saved, str(start.get("active", BASE))
        changes, last_change = 0, None
        for lineno, entry in enumerate(payloads[2:], start=4):  # noqa: B007 - the line a refusal names
            book, active = apply_changes(book, active, entry["changes"])
            if any(c[0] != "active" for c in entry["changes"]):
                changes += 1
                last_change = float(entry["at"])
    except (KeyError, IndexError, ValueError, TypeError, AttributeError) as exc:
        what = "the saved book does not read" if lineno == 3 else "a change that does not fit the book"
        raise JournalRefused(name, f"line {lineno}: {what} ({type(exc).__name__}: {exc}); nothing of the "
                                   "journal was applied") from None
    return Recovered(str(about.get("path", "")), str(about.get("untitled", "")), float(about.get("created", 0.0)),
                     saved, book, active, changes, last_change, len(payloads) - 1, torn, end)


# -- writing -----------------------------------------------------------------------------------------------------
class JournalWriter:
    """Appends journal lines to an open file: each line in one ``write`` (unbuffered: the operating system has it
    when ``append`` returns, so a crash of the program loses nothing), ``sync`` to make it survive a power cut.

    A failed append (a full disk…) cuts the file back to its last complete line, so the journal stays readable and
    the caller can append the same change again later."""

    def __init__(self, path: str, fd: int, sequence: int, length: int) -> None:
        self.path, self._fd, self.sequence, self.length = path, fd, sequence, length
        self._folder_synced = False

    @classmethod
    def create(cls, path: str | os.PathLike[str], about: dict[str, Any], book: ScenarioBook,
               active: str = BASE) -> JournalWriter:
        """A new journal (the file must not exist): the about line and the book as saved, in one write."""
        name = os.fspath(path)
        fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | getattr(os, "O_BINARY", 0), 0o600)
        writer = cls(name, fd, -1, 0)
        try:
            writer._write(header_line() + encode_line(0, about)
                          + encode_line(1, {"book": book_to_json(book), "active": active}))
        except BaseException:
            writer.close()
            os.unlink(name)
            raise
        writer.sequence = 1
        return writer

    @classmethod
    def resume(cls, path: str | os.PathLike[str], recovered: Recovered) -> JournalWriter:
        """Append to a journal that was read: an incomplete last line is cut off first."""
        name = os.fspath(path)
        fd = os.open(name, os.O_WRONLY | os.O_APPEND | getattr(os, "O_BINARY", 0))
        try:
            os.ftruncate(fd, recovered.good_length)
        except BaseException:
            os.close(fd)
            raise
        return cls(name, fd, recovered.last_sequence, recovered.good_length)

    def append(self, changes: list[Change], at: float) -> int:
        """Write one change line; its sequence number. Raises OSError (the file is as before) or TypeError."""
        line = encode_line(self.sequence + 1, {"at": at, "changes": changes})
        self._write(line)
        self.sequence += 1
        return self.sequence

    def _write(self, data: bytes) -> None:
        view = memoryview(data)
        try:
            while view:
                written = os.write(self._fd, view)
                view = view[written:]
        except BaseException:
            with contextlib.suppress(OSError):
                os.ftruncate(self._fd, self.length)
            raise
        self.length += len(data)

    def sync(self) -> None:
        """Make what was written survive a power cut (the first time, the file's entry in its folder too)."""
        if self._fd >= 0:
            os.fsync(self._fd)
        if not self._folder_synced:
            self._folder_synced = True
            with contextlib.suppress(OSError):      # a folder cannot be opened on Windows: its entry is durable
                folder = os.open(os.path.dirname(self.path) or ".", os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
                try:
                    os.fsync(folder)
                finally:
                    os.close(folder)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    @property
    def closed(self) -> bool:
        return self._fd < 0
