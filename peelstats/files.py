"""Files and folders written so that a reader or a crash never sees half of one.

The one place peelstats writes safely; the data layer, the runner and the paper writers all use
it.

- :func:`atomic_open` / :func:`atomic_write`: a file is written to a temporary file in the same
  folder, flushed to disk (``fsync``) and renamed over the target (``os.replace``), so a reader
  or a crash sees the old file or the new one, never a part of either; on an error (a full
  disk) the temporary file is removed and the old file is left as it was.
- :func:`swap_folder`: a finished folder replaces the previous one. On Linux the two are
  exchanged in one ``renameat2(RENAME_EXCHANGE)``, so the target is never absent; elsewhere two
  renames, and a kill between them leaves the previous folder under a hidden name that
  :func:`recover_folder` (or the runner's stale-work sweep) puts back.
- :func:`describe_os_error`: one phrase for an ``OSError`` (disk full, read-only, no permission);
  :func:`is_disk_fault`: whether it is the disk's fault (full, read-only, failing).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (new names, renames) to disk; a no-op where unsupported."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_open(path: str | Path, mode: str = "wb", **kwargs) -> Iterator[IO]:
    """Open a temporary file beside ``path`` for writing (``.<name>.<pid>-<random>.tmp``, so a
    sweep can tell a dead writer's leftovers); on a clean exit it is fsynced and renamed over
    ``path``. On an exception the temporary file is removed and ``path`` is left
    as it was. ``mode`` is ``"wb"`` or ``"w"`` (text mode takes ``encoding``/``newline``)."""
    if mode not in ("w", "wb"):
        raise ValueError(f"atomic_open writes only ('w' or 'wb'), not {mode!r}")
    path = Path(path)
    fd, tmp = tempfile.mkstemp(
        prefix=f".{path.name}.{os.getpid()}-", suffix=".tmp", dir=path.parent
    )
    try:
        if mode == "w":
            kwargs.setdefault("encoding", "utf-8")
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    fsync_dir(path.parent)


def atomic_write(path: str | Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` atomically (text as UTF-8, line endings as given)."""
    path = Path(path)
    if isinstance(data, str):
        with atomic_open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(data)
    else:
        with atomic_open(path, "wb") as fh:
            fh.write(data)


# ------------------------------------------------------------------------------- folders

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def exchange(a: Path, b: Path) -> bool:
    """Atomically exchange two paths (Linux ``renameat2``); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def new_work_folder(target: Path) -> Path:
    """A fresh, empty work folder beside ``target``, to be filled and passed to
    :func:`swap_folder`."""
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.new-{os.getpid()}-", dir=target.parent))


def old_name(target: Path) -> Path:
    """Where :func:`swap_folder` parks the previous folder between its two renames."""
    return target.with_name(f".{target.name}.old-{os.getpid()}")


def remove(path: Path) -> None:
    """Remove a file, a link or a folder tree; nothing if it is not there."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def swap_folder(
    work: Path, target: Path, *, use_exchange: bool = True, old: Path | None = None
) -> None:
    """Put the finished folder ``work`` in the place of ``target`` and remove the previous one.

    With ``use_exchange`` (and on Linux) the two are exchanged atomically: ``target`` always
    names a complete folder. Otherwise (or when ``target`` is a file or a link) ``target`` is
    renamed aside to ``old`` (default :func:`old_name`), ``work`` is renamed into place and the
    old entry removed; a kill between the two renames leaves the old folder under its hidden
    name, to be put back by :func:`recover_folder`.
    """
    if target.exists() or target.is_symlink():
        is_folder = target.is_dir() and not target.is_symlink()
        if use_exchange and is_folder and exchange(work, target):
            fsync_dir(target.parent)
            shutil.rmtree(work, ignore_errors=True)  # work now holds the previous folder
            return
        old = old or old_name(target)
        target.rename(old)
        try:
            work.rename(target)
        except BaseException:
            old.rename(target)
            raise
        fsync_dir(target.parent)
        remove(old)
        return
    work.rename(target)
    fsync_dir(target.parent)


def _leftovers(target: Path) -> tuple[list[Path], list[Path]]:
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(new|old)-\d+(?:-.*)?$")
    new, old = [], []
    if not target.parent.is_dir():
        return new, old
    for entry in sorted(target.parent.iterdir()):
        m = pattern.match(entry.name)
        if m and entry.is_dir() and not entry.is_symlink():
            (new if m.group(1) == "new" else old).append(entry)
    return new, old


def recover_folder(target: Path) -> list[str]:
    """Repair what an interrupted :func:`swap_folder` or write left beside ``target``; call it
    only while holding ``target``'s lock (so no live process owns the work folders).

    A previous folder parked as ``.<name>.old-<pid>`` while ``target`` is absent is renamed
    back; every other leftover work folder is removed. Returns one sentence per repair.
    """
    notes: list[str] = []
    new, old = _leftovers(target)
    if old and not target.exists() and not target.is_symlink():
        newest = max(old, key=lambda p: p.stat().st_mtime_ns)
        newest.rename(target)
        fsync_dir(target.parent)
        old.remove(newest)
        notes.append(
            f"put back {target} from {newest.name}, left by a prepare that was stopped while "
            "swapping its output into place"
        )
    for leftover in new + old:
        shutil.rmtree(leftover, ignore_errors=True)
        notes.append(f"removed {leftover.name}, left by a prepare that was stopped")
    return notes


# ------------------------------------------------------------------------------- errors


#: errors of the disk rather than of what is written: full (or over quota, or the file too
#: large for it), read-only, failing
DISK_FAULTS = (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO)


def is_disk_fault(exc: BaseException) -> bool:
    """Whether ``exc`` is an OSError of the disk (:data:`DISK_FAULTS`)."""
    return isinstance(exc, OSError) and exc.errno in DISK_FAULTS


def write_optional(steps, notes: list[str]) -> None:
    """Run each ``(name, step)`` that writes an optional output: a step that fails becomes a
    note ("<name> not written: ..."), so one output never sinks the others; a fault of the
    disk is raised (the job fails and publishes nothing)."""
    for name, step in steps:
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - one optional output never sinks the others
            if is_disk_fault(exc):
                raise
            notes.append(f"{name} not written: {type(exc).__name__}: {exc}")


def describe_os_error(exc: OSError) -> str:
    """One phrase for an OSError while writing (disk full, read-only, no permission)."""
    if exc.errno == errno.ENOSPC:
        return "the disk is full"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return exc.strerror or str(exc)
