"""Temporary files never outlive their save, even a save killed outright; a symbolic link is written through."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from model.core.scenario import blank_scenario
from model.io import atomic
from model.io.atomic import SaveError, atomic_write
from model.io.template_writer import write_template
from model.io.workbook import read_template

ROOT = Path(__file__).resolve().parents[1]

# A child that saves the same file over and over: an export, or a template (the two savers of the app).
SAVER = """
import sys
from pathlib import Path
from model.defaults.scenario import default_scenario
from model.export.writer import export_results
from model.io.template_writer import write_template
s = default_scenario()
target, what = Path(sys.argv[1]), sys.argv[2]
while True:
    if what == "export":
        export_results(s, target)
    else:
        write_template(s, target)
"""


def temporaries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX")
@pytest.mark.parametrize("what", ["export", "template"])
def test_a_save_killed_midway_leaves_no_temporary_file_after_the_next_save(tmp_path: Path, what: str) -> None:
    target = tmp_path / "out.xlsx"
    write_template(blank_scenario(), target)
    stranded = 0
    for _ in range(3):
        child = subprocess.Popen([sys.executable, "-c", SAVER, str(target), what], cwd=ROOT,
                                 env={**os.environ, "PYTHONPATH": str(ROOT)}, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 60
            while not temporaries(tmp_path):        # kill it while a temporary file exists: mid-save
                assert child.poll() is None, child.stderr.read() if child.stderr else ""
                assert time.monotonic() < deadline, "the child never started a save"
                time.sleep(0.002)
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
            if child.stderr:
                child.stderr.close()
        stranded += len(temporaries(tmp_path))
        # the target is whole whatever the moment of the kill: the previous file or the new one
        assert read_template(target).capex is not None
        # the next save sweeps what the killed one left
        write_template(blank_scenario(), target)
        assert temporaries(tmp_path) == []
    assert stranded >= 1, "no kill landed during a save: the test proved nothing"


def test_a_running_saves_temporary_file_is_not_swept(tmp_path: Path) -> None:
    """A temporary file of a live process (this one) is left alone, only a dead writer's goes."""
    target = tmp_path / "out.xlsx"
    live = tmp_path / f".out.xlsx.{os.getpid()}-abc123.tmp"
    live.write_bytes(b"in progress")
    dead_pid = _a_dead_pid()
    dead = tmp_path / f".out.xlsx.{dead_pid}-xyz789.tmp"
    dead.write_bytes(b"stranded")
    other = tmp_path / f".other.xlsx.{dead_pid}-xyz789.tmp"     # another file's: not ours to sweep
    other.write_bytes(b"stranded")
    assert atomic.sweep(target) == [dead]
    assert live.exists() and other.exists() and not dead.exists()


def _a_dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_saving_onto_a_symbolic_link_writes_the_file_it_points_to(tmp_path: Path) -> None:
    real_folder = tmp_path / "real"
    real_folder.mkdir()
    real = real_folder / "book.xlsx"
    real.write_bytes(b"old")
    link = tmp_path / "link.xlsx"
    link.symlink_to(real)
    atomic_write(link, lambda tmp: tmp.write_bytes(b"new"))
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_bytes() == b"new"
    assert temporaries(tmp_path) == [] and temporaries(real_folder) == []


def test_a_failure_says_why_in_words_never_an_empty_reason(tmp_path: Path) -> None:
    def fail(tmp: Path) -> None:
        raise MemoryError()
    with pytest.raises(SaveError) as info:
        atomic_write(tmp_path / "x.xlsx", fail)
    assert "not enough memory" in str(info.value)

    def silent(tmp: Path) -> None:
        raise RuntimeError()
    with pytest.raises(SaveError) as info:
        atomic_write(tmp_path / "x.xlsx", silent)
    assert ": ;" not in str(info.value) and "RuntimeError" not in str(info.value)
    assert temporaries(tmp_path) == []
