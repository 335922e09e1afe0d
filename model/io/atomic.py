"""Atomic file writes: a temporary file beside the target, then one rename. A failure leaves the old file as it was."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


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


def atomic_write(target: str | os.PathLike[str], write: Callable[[Path], None]) -> None:
    """Call ``write(tmp_path)`` to produce the file, then replace ``target`` with it in one step.

    The temporary file lives in the target's folder (a rename across file systems is not atomic). Any exception
    from ``write`` removes the temporary file and leaves ``target`` byte-identical; it is re-raised as SaveError
    with a readable reason.
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    if target.exists() and not os.access(target, os.W_OK):
        raise SaveError(f"{target} is read-only: choose another name or make it writable")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix + ".tmp", dir=folder)
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
        os.replace(tmp, target)
        _fsync(folder, directory=True)
    except SaveError:
        tmp.unlink(missing_ok=True)
        raise
    except PermissionError as exc:
        tmp.unlink(missing_ok=True)
        raise SaveError(f"{target} is locked or read-only ({exc.strerror or exc}); it was left as it was") from exc
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        raise SaveError(f"could not write {target}: {exc}; the previous file was left as it was") from exc
