"""Atomic file writes: a temporary file beside the target, then one rename. A failure leaves the old file as it was.

Temporary files never outlive their save:

* a save that fails (an exception, a full disk, a locked target) removes its temporary file before it returns;
* a save that is killed outright (SIGKILL, a power cut, the task manager) cannot clean up after itself, so its
  temporary file is **swept by the next save of the same file**: each temporary file's name carries the target's
  name and the process id of its writer (``.RESULTS.xlsx.4242-k3j9.tmp``), and a save removes those of its target
  whose writer is no longer running (or that are more than a day old, in case the id was reused);
* a writer that needs temporary files of its own (XlsxWriter's per-sheet files) gets a scratch folder named
  the same way beside the target (:func:`scratch_folder`), removed when the save ends and swept likewise;
* a target that is a symbolic link is not replaced by a regular file: the file it points to is written (its
  folder holds the temporary file, so the rename stays on one file system).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

STALE_AFTER_S = 24 * 3600     # a temporary file this old is stale even if a process of its writer's id runs


class SaveError(Exception):
    """The file could not be written; the previous file (if any) is untouched."""


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _fsync(path: Path, directory: bool = False) -> None:
    """Make ``path`` (a file, or a folder's entries: the rename) survive a power cut. A folder that cannot be
    opened (Windows) is skipped: its rename is durable once the file is."""
    try:
        fd = os.open(path, os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0))
    except OSError:
        if directory:
            return
        raise
    try:
        os.fsync(fd)
    except OSError:
        if not directory:     # the file is in place already when a folder's fsync fails: not a failed save
            raise
    finally:
        os.close(fd)


def _prefix(target: Path) -> str:
    return f".{target.name}."


_TEMP = re.compile(r"\.(?P<pid>\d+)-[^.]+\.tmp$")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True     # it exists (another user's), or we cannot tell: keep its file until it is a day old
    return True


def sweep(target: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporary files that killed saves of ``target`` left behind; return those removed."""
    target = resolve(target)
    folder = target.parent
    prefix = _prefix(target)
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        if not entry.name.startswith(prefix):
            continue
        m = _TEMP.search(entry.name[len(prefix) - 1:])
        if m is None:
            continue
        with contextlib.suppress(OSError):
            if entry.is_symlink():
                continue
            if _alive(int(m.group("pid"))) and now - entry.stat(follow_symlinks=False).st_mtime < STALE_AFTER_S:
                continue
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)       # a scratch folder (scratch_folder below)
            else:
                os.unlink(entry.path)
            removed.append(Path(entry.path))
    return removed


def resolve(target: str | os.PathLike[str]) -> Path:
    """The file a save of ``target`` writes: the target itself, or the file its symbolic link points to."""
    path = Path(target)
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


def atomic_write(target: str | os.PathLike[str], write: Callable[[Path], None]) -> None:
    """Call ``write(tmp_path)`` to produce the file, then replace ``target`` with it in one step.

    The temporary file lives in the target's folder (a rename across file systems is not atomic). Any exception
    from ``write`` removes the temporary file and leaves ``target`` byte-identical; it is re-raised as SaveError
    with a readable reason. Temporary files of earlier saves of ``target`` that were killed are swept first.
    """
    shown = Path(target)
    target = resolve(target)
    folder = target.parent if str(target.parent) else Path(".")
    if target.exists() and not os.access(target, os.W_OK):
        raise SaveError(f"{shown} is read-only: choose another name or make it writable")
    sweep(target)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f"{_prefix(target)}{os.getpid()}-", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise SaveError(f"cannot write in {folder}: {exc.strerror or exc}") from exc
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        _fsync(tmp)       # on disk before the rename: the edit journal is retired once a save returns
        # mkstemp makes the file private (0600); give it the target's mode, or what a new file would get.
        with contextlib.suppress(OSError):
            os.chmod(tmp, target.stat().st_mode & 0o777 if target.exists() else 0o666 & ~_umask())
        _flush_to_disk(tmp)
        os.replace(tmp, target)
        _fsync(folder, directory=True)
    except SaveError:
        tmp.unlink(missing_ok=True)
        raise
    except PermissionError as exc:
        tmp.unlink(missing_ok=True)
        raise SaveError(f"{shown} is locked or read-only ({exc.strerror or exc}); it was left as it was") from exc
    except MemoryError as exc:
        tmp.unlink(missing_ok=True)
        raise SaveError(f"could not write {shown}: not enough memory; the previous file was left as it was") from exc
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        reason = (exc.strerror if isinstance(exc, OSError) else None) or str(exc).strip() or "the writer stopped"
        raise SaveError(f"could not write {shown}: {reason}; the previous file was left as it was") from exc


@contextlib.contextmanager
def scratch_folder(target: str | os.PathLike[str]) -> Iterator[Path]:
    """A private folder beside ``target`` for a writer's own temporary files (XlsxWriter's, one per sheet), named
    like the save's temporary file so that the next save sweeps it if this one is killed; removed on exit."""
    target = resolve(target)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        path = Path(tempfile.mkdtemp(prefix=f"{_prefix(target)}{os.getpid()}-", suffix=".tmp", dir=folder))
    except OSError as exc:
        raise SaveError(f"cannot write in {folder}: {exc.strerror or exc}") from exc
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _flush_to_disk(path: Path) -> None:
    """The new content reaches the disk before the rename makes it the file (a power cut cannot leave it empty)."""
    with contextlib.suppress(OSError), open(path, "rb+") as fh:
        os.fsync(fh.fileno())
