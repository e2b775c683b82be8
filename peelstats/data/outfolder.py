"""The folder ``prepare`` writes: which folders it may replace, and its lock.

``prepare`` replaces its output folder as a whole, so it must never be pointed at something
else. :func:`check_out` refuses (one line, exit 2) a target that is a file, that is or holds an
input (the archive, the Census folder, the outcomes file, ``data/raw``) or lies inside one, and
an existing folder that does not carry the :data:`MARKER` file ``prepare`` writes into every
output folder (an empty folder, or one holding only ``.gitkeep``, is accepted).

:func:`prepare_lock` lets one ``prepare`` at a time write a folder: a second one stops with
"another peelstats prepare is writing <folder> (pid N)" and exit code 1. The lock file
(``.<name>.lock``, from the ``filelock`` package) stays beside the folder after use; the
holder's process id is kept in ``.<name>.lock.pid`` while it holds the lock.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from peelstats.errors import BusyError, EnvironmentFault, ParameterError

#: written into every folder ``prepare`` writes; only a folder carrying it is replaced
MARKER = ".peelstats-prepared"
MARKER_TEXT = (
    "This folder was written by `peelstats prepare`. The next prepare into it replaces it as a "
    "whole: keep nothing else here.\n"
)
#: entries of an existing folder that do not stop a first prepare into it
_HARMLESS = {".gitkeep"}


def real(path: Path) -> Path:
    """``path`` with every symlink resolved (the path need not exist)."""
    return Path(os.path.realpath(path))


def check_out(out: Path, inputs: Iterable[Path | None]) -> Path:
    """Refuse an output folder ``prepare`` must not replace; return its real path."""
    shown = str(out)
    if out.exists() and not out.is_dir():
        raise ParameterError(f"--out {shown} is a file, not a folder: give a folder for the tables")
    target = real(out)
    for given in inputs:
        if given is None:
            continue
        source = real(given)
        if target == source:
            raise ParameterError(
                f"--out {shown} is the input {given} itself: prepare would replace its own input"
            )
        if source.is_relative_to(target):
            raise ParameterError(
                f"--out {shown} contains the input {given}: prepare replaces its output folder "
                "as a whole, so give a folder of its own"
            )
        if target.is_relative_to(source):
            raise ParameterError(
                f"--out {shown} lies inside the input {given}: inputs are only read, so give a "
                "folder outside them"
            )
    if target.is_dir():
        try:
            names = {p.name for p in target.iterdir()}
        except OSError as exc:
            raise EnvironmentFault(f"cannot read --out {shown}: {exc.strerror or exc}") from None
        if MARKER not in names and names - _HARMLESS:
            raise ParameterError(
                f"--out {shown} is a folder that peelstats prepare did not write (it has no "
                f"{MARKER} file) and is not empty: prepare replaces its output folder as a "
                "whole, so give a new or empty folder"
            )
    return target


def lock_path(target: Path) -> Path:
    return target.with_name(f".{target.name}.lock")


@contextlib.contextmanager
def prepare_lock(target: Path, shown: str | None = None) -> Iterator[None]:
    """Hold ``target``'s prepare lock for the block, or stop with one line (exit 1)."""
    from filelock import FileLock, Timeout

    shown = shown or str(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise EnvironmentFault(f"cannot create {target.parent}: {exc.strerror or exc}") from None
    path = lock_path(target)
    pid_file = path.with_name(path.name + ".pid")
    lock = FileLock(str(path), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        try:
            pid = pid_file.read_text().split()[0]
        except (OSError, IndexError):
            pid = ""
        by = f" (pid {pid})" if pid else ""
        raise BusyError(f"another peelstats prepare is writing {shown}{by}") from None
    except OSError as exc:
        raise EnvironmentFault(f"cannot lock {shown} for writing: {exc.strerror or exc}") from None
    try:
        try:
            pid_file.write_text(f"{os.getpid()}\n")
        except OSError as exc:
            raise EnvironmentFault(f"cannot write beside {shown}: {exc.strerror or exc}") from None
        yield
    finally:
        with contextlib.suppress(OSError):
            pid_file.unlink()
        lock.release()
