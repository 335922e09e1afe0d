"""The edit journal's format (model/io/journal.py): round trips, refusals that apply nothing, torn last lines, and
the property that replaying the journal of any edit sequence gives the very book the edits made."""

from __future__ import annotations

import dataclasses
import json
import zlib
from collections.abc import Sequence
from typing import TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.core import edit
from model.core.edit import CellInput
from model.core.overrides import BASE, Alternative, Override, ScenarioBook
from model.core.problems import Problem
from model.core.scenario import Scenario, Table
from model.defaults.alternatives import default_book
from model.io.journal import (
    FORMAT_VERSION,
    JournalRefused,
    JournalWriter,
    apply_changes,
    book_from_json,
    book_to_json,
    changes_between,
    encode_line,
    header_line,
    parse_journal,
    read_about,
    read_journal,
)

T = TypeVar("T")
BOOK = default_book()
ABOUT = {"path": "/data/ai.xlsx", "untitled": "", "created": 1_700_000_000.0}


def journal_bytes(saved: ScenarioBook, steps: list[tuple[ScenarioBook, str]], at: float = 1_700_000_100.0) -> bytes:
    """A journal written the way JournalWriter writes it, from a list of (book, active) states after the saved one."""
    data = header_line() + encode_line(0, ABOUT) + encode_line(1, {"book": book_to_json(saved), "active": BASE})
    book, active = saved, BASE
    for n, (after, after_active) in enumerate(steps, start=2):
        data += encode_line(n, {"at": at + n, "changes": changes_between(book, active, after, after_active)})
        book, active = after, after_active
    return data


def capex_edit(book: ScenarioBook, row: int, value: str) -> ScenarioBook:
    year = str(book.base.capex.years[1])
    return book.with_base(edit.set_cells(book.base, "Capex", [CellInput(row, year, value)]))


# -- the book as JSON --------------------------------------------------------------------------------------------
def test_the_default_book_round_trips_exactly():
    assert book_from_json(json.loads(json.dumps(book_to_json(BOOK)))) == BOOK


def test_cells_keep_their_type():
    """1 and 1.0 and True are equal in Python but read differently: a recovered book must keep which it was."""
    table = Table("Assumptions", (), (("a", 1, "x", ""), ("b", 1.0, "y", ""), ("c", True, None, "é\n\"q\"")))
    book = ScenarioBook(Scenario(assumptions=table))
    back = book_from_json(json.loads(json.dumps(book_to_json(book)))).base.assumptions.rows
    assert [type(r[1]) for r in back] == [int, float, bool]
    assert back[2][3] == "é\n\"q\"" and back[2][2] is None


def test_the_journal_knows_every_field_of_a_book():
    """A new field of the scenario, a table, an alternative, an override or a problem must be journaled too:
    this fails (and names the field) until model/io/journal.py writes and reads it."""
    known = {
        Scenario: {"capex", "revenue", "investments", "assumptions", "market", "thresholds", "uncertainty",
                   "correlations", "name", "warnings"},
        Table: {"sheet", "years", "rows"},
        ScenarioBook: {"base", "alternatives"},
        Alternative: {"name", "description", "overrides"},
        Override: {"sheet", "key", "column", "value", "note"},
        Problem: {"severity", "message", "sheet", "cell", "column", "value", "expected"},
    }
    for cls, fields in known.items():
        assert {f.name for f in dataclasses.fields(cls)} == fields, cls.__name__


# -- reading and writing -----------------------------------------------------------------------------------------
def test_a_written_journal_reads_back_to_the_last_change(tmp_path):
    path = tmp_path / "a.journal"
    writer = JournalWriter.create(path, ABOUT, BOOK)
    one = capex_edit(BOOK, 0, "101")
    two = capex_edit(one, 2, "7.5")
    writer.append(changes_between(BOOK, BASE, one, BASE), 1_700_000_200.0)
    writer.append(changes_between(one, BASE, two, "Bear case"), 1_700_000_300.0)
    writer.append(changes_between(two, "Bear case", two, BASE), 1_700_000_400.0)   # a switch: not a change
    writer.sync()
    writer.close()
    recovered = read_journal(path)
    assert recovered is not None
    assert recovered.saved == BOOK and recovered.book == two and recovered.active == BASE
    assert recovered.changes == 2 and recovered.last_change == 1_700_000_300.0
    assert recovered.torn == 0 and recovered.last_sequence == 4 and recovered.good_length == path.stat().st_size
    assert recovered.path == "/data/ai.xlsx"
    assert read_about(path) == ABOUT


def test_each_line_is_a_sequence_number_a_crc32_and_json():
    line = encode_line(7, {"at": 1.0, "changes": [["active", "Base"]]})
    number, crc, data = line.decode().rstrip("\n").split(" ", 2)
    assert number == "7" and line.endswith(b"\n") and line.count(b"\n") == 1
    assert int(crc, 16) == zlib.crc32(f"7 {data}".encode())      # the checksum of "<n> <json>", independently
    assert json.loads(data) == {"at": 1.0, "changes": [["active", "Base"]]}


def test_a_journal_that_fails_its_checksum_is_refused_whole():
    one = capex_edit(BOOK, 0, "101")
    data = journal_bytes(BOOK, [(one, BASE), (capex_edit(one, 1, "5"), BASE)])
    lines = data.split(b"\n")
    lines[3] = lines[3].replace(b"101", b"102")           # the first change, altered on disk
    with pytest.raises(JournalRefused) as refusal:
        parse_journal(b"\n".join(lines), "ai.journal")
    assert "line 4 fails its checksum" in refusal.value.reason and "nothing" in refusal.value.reason


def test_a_journal_of_another_format_version_is_refused():
    data = journal_bytes(BOOK, [(capex_edit(BOOK, 0, "101"), BASE)]).replace(
        f"bubblescope-journal {FORMAT_VERSION}".encode(), f"bubblescope-journal {FORMAT_VERSION + 1}".encode())
    with pytest.raises(JournalRefused) as refusal:
        parse_journal(data)
    assert f"format version {FORMAT_VERSION + 1}" in refusal.value.reason


def test_a_missing_line_is_refused():
    one = capex_edit(BOOK, 0, "101")
    lines = journal_bytes(BOOK, [(one, BASE), (capex_edit(one, 1, "5"), BASE)]).split(b"\n")
    del lines[3]
    with pytest.raises(JournalRefused, match="sequence number 3, expected 2"):
        parse_journal(b"\n".join(lines))


def test_a_change_that_does_not_fit_is_refused():
    lines = [header_line(), encode_line(0, ABOUT), encode_line(1, {"book": book_to_json(BOOK), "active": BASE}),
             encode_line(2, {"at": 1.0, "changes": [["rows", "Capex", [[10_000, []]]]]})]
    with pytest.raises(JournalRefused, match="line 4: a change that does not fit"):
        parse_journal(b"".join(lines))


def test_a_torn_last_line_is_dropped_and_counted():
    one = capex_edit(BOOK, 0, "101")
    two = capex_edit(one, 1, "5")
    data = journal_bytes(BOOK, [(one, BASE), (two, BASE)])
    last = data.rstrip(b"\n").rfind(b"\n") + 1
    for cut in (last + 1, last + 12, len(data) - 1):      # the program stopped in the middle of the last write
        recovered = parse_journal(data[:cut])
        assert recovered is not None
        assert recovered.book == one and recovered.changes == 1 and recovered.torn == 1
        assert recovered.good_length == last


def test_a_journal_without_its_book_holds_nothing():
    assert parse_journal(b"") is None
    assert parse_journal(header_line() + encode_line(0, ABOUT)) is None
    assert parse_journal(header_line() + encode_line(0, ABOUT) + b"1 0000") is None


def test_a_failed_append_leaves_the_journal_as_it_was(tmp_path, monkeypatch):
    """A full disk in the middle of a line: the file is cut back, and the same change can be written later."""
    path = tmp_path / "full.journal"
    writer = JournalWriter.create(path, ABOUT, BOOK)
    size = path.stat().st_size
    one = capex_edit(BOOK, 0, "101")
    real_write = __import__("os").write

    def half_then_full(fd, data):
        if len(data) > 10:
            real_write(fd, bytes(data[:10]))
            raise OSError(28, "No space left on device")
        return real_write(fd, data)

    monkeypatch.setattr("model.io.journal.os.write", half_then_full)
    with pytest.raises(OSError):
        writer.append(changes_between(BOOK, BASE, one, BASE), 1.0)
    assert path.stat().st_size == size and writer.sequence == 1
    monkeypatch.undo()
    writer.append(changes_between(BOOK, BASE, one, BASE), 2.0)
    writer.close()
    recovered = read_journal(path)
    assert recovered is not None and recovered.book == one and recovered.changes == 1


def test_resume_cuts_the_torn_line_and_appends(tmp_path):
    path = tmp_path / "b.journal"
    one = capex_edit(BOOK, 0, "101")
    path.write_bytes(journal_bytes(BOOK, [(one, BASE)]) + b"3 deadbe")
    recovered = read_journal(path)
    assert recovered is not None and recovered.torn == 1
    writer = JournalWriter.resume(path, recovered)
    two = capex_edit(one, 3, "9")
    writer.append(changes_between(recovered.book, recovered.active, two, BASE), 5.0)
    writer.close()
    again = read_journal(path)
    assert again is not None and again.book == two and again.changes == 2 and again.torn == 0


# -- any sequence of edits ---------------------------------------------------------------------------------------
CELL = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                 st.floats(allow_nan=False), st.text(max_size=12))
SHEETS = ("Capex", "Revenue", "Investments", "Market", "Assumptions", "Thresholds")


def pick(draw: st.DrawFn, items: Sequence[T]) -> T:
    """One of ``items``, drawn by its index (sampled_from would put every item in the example's description)."""
    return items[draw(st.integers(0, len(items) - 1))]


def step(draw: st.DrawFn, book: ScenarioBook, active: str, history: list[tuple[ScenarioBook, str]]
         ) -> tuple[ScenarioBook, str]:
    """One change of any kind the window makes: a cell (any value), rows in or out, a year in or out, a scenario
    made, changed, renamed or deleted, a switch of the scenario on screen, or an undo (back to an earlier state)."""
    kind = draw(st.sampled_from(["cell", "cell", "cells", "insert", "remove", "year", "scenario", "override",
                                 "rename", "delete", "switch", "undo"]))
    base = book.base
    if kind in ("cell", "cells"):
        table = base.table(draw(st.sampled_from(SHEETS)))
        if not table.rows:
            return book, active
        for _ in range(1 if kind == "cell" else draw(st.integers(2, 6))):
            row = draw(st.integers(0, len(table.rows) - 1))
            table = table.with_cell(row, draw(st.sampled_from(table.keys)), draw(CELL))
        return book.with_base(base.with_table(table)), active
    if kind == "insert":
        table = base.table(draw(st.sampled_from(SHEETS)))
        at = draw(st.integers(0, len(table.rows)))
        rows = [tuple(draw(CELL) for _ in table.keys) for _ in range(draw(st.integers(1, 3)))]
        return book.with_base(base.with_table(table.with_rows(table.rows[:at] + tuple(rows) + table.rows[at:]))), active
    if kind == "remove":
        table = base.table(draw(st.sampled_from(SHEETS)))
        if not table.rows:
            return book, active
        gone = set(draw(st.lists(st.integers(0, len(table.rows) - 1), min_size=1, max_size=4)))
        return book.with_base(base.with_table(table.with_rows(r for i, r in enumerate(table.rows)
                                                              if i not in gone))), active
    if kind == "year":
        sheet = draw(st.sampled_from(("Capex", "Revenue")))
        table = base.table(sheet)
        if table.years and draw(st.booleans()):
            table = table.with_year_removed(draw(st.sampled_from(table.years)))
        else:
            year = draw(st.integers(2000, 2100).filter(lambda y: y not in table.years))
            table = table.with_year_added(year, draw(CELL))
        return book.with_base(base.with_table(table)), active
    if kind == "scenario":
        name = draw(st.text(min_size=1, max_size=8).filter(lambda n: n not in book.names))
        source = draw(st.sampled_from(book.names))
        overrides = () if source == BASE else book.alternative(source).overrides
        return book.with_alternative(Alternative(name, draw(st.text(max_size=8)), overrides)), name
    if kind == "override":
        if not book.alternatives:
            return book, active
        alt = pick(draw, book.alternatives)
        if alt.overrides and draw(st.booleans()):
            o = pick(draw, alt.overrides)
            alt = alt.without_override(o.sheet, o.key, o.column)
        else:
            alt = alt.with_override(Override(draw(st.sampled_from(SHEETS)), (draw(st.text(max_size=6)),),
                                             draw(st.text(min_size=1, max_size=6)), draw(CELL), draw(st.text(max_size=6))))
        return book.with_alternative(alt), active
    if kind == "rename":
        if not book.alternatives:
            return book, active
        old = pick(draw, book.alternatives).name
        new = draw(st.text(min_size=1, max_size=8).filter(lambda n: n not in book.names))
        return book.renamed(old, new), new if active == old else active
    if kind == "delete":
        if not book.alternatives:
            return book, active
        name = pick(draw, book.alternatives).name
        return book.without_alternative(name), BASE if active == name else active
    if kind == "switch":
        return book, draw(st.sampled_from(book.names))
    return pick(draw, history)        # undo / redo: a state seen before comes back


class States(list):  # type: ignore[type-arg]
    """The states an edit sequence went through, described briefly (hypothesis prints its examples)."""

    def __repr__(self) -> str:
        return f"<{len(self)} states: {[len(b.base.capex.rows) for b, _ in self]} capex rows, {[a for _, a in self]}>"


@st.composite
def edit_sequences(draw: st.DrawFn) -> list[tuple[ScenarioBook, str]]:
    book, active = BOOK, BASE
    states: list[tuple[ScenarioBook, str]] = [(book, active)]
    for _ in range(draw(st.integers(1, 12))):
        book, active = step(draw, book, active, states)
        states.append((book, active))
    return States(states[1:])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(edit_sequences())
def test_replaying_the_journal_of_any_edit_sequence_gives_the_same_book(states):
    """Equal as the document compares scenarios: a cell going from 0 to False or 0.0 to -0.0 is no edit (Document.
    change drops a candidate whose inputs equal the scenario's), so a line need not record it."""
    data = journal_bytes(BOOK, states)
    recovered = parse_journal(data)
    assert recovered is not None
    assert recovered.book == states[-1][0] and recovered.active == states[-1][1]
    # and every change in between: the journal cut after its n-th line holds the n-th state
    book, active = BOOK, BASE
    for after, after_active in states:
        book, active = apply_changes(book, active, changes_between(book, active, after, after_active))
        assert book == after and active == after_active


def test_a_year_column_is_journaled_as_its_cells_not_the_whole_table():
    capex = BOOK.base.capex
    big = BOOK.with_base(BOOK.base.with_table(capex.with_rows(capex.rows * 100)))       # 500 rows
    added = big.with_base(big.base.with_table(big.base.capex.with_year_added(2040, 1.5)))
    removed = big.with_base(big.base.with_table(big.base.capex.with_year_removed(capex.years[0])))
    for after in (added, removed):
        changes = changes_between(big, BASE, after, BASE)
        assert [c[0] for c in changes] == ["years"]
        assert len(encode_line(2, changes)) < len(encode_line(2, book_to_json(after)["base"]["tables"]["Capex"])) / 8
        assert apply_changes(big, BASE, changes)[0] == after
