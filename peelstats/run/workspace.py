"""Where jobs write: hidden work folders, the swap into place, stale work and the run lock.

- A job writes into ``.<force>.partial-<host>-<pid>`` beside its final folder and swaps it in
  when complete. On Linux the swap is one ``renameat2(RENAME_EXCHANGE)``, so the final folder
  is never absent; elsewhere two renames, and a kill between them is repaired on the next start
  (the previous report is put back).
- :func:`remove_stale_work` removes work left by processes of this host that no longer run;
  work named with another host (a cluster worker on a shared filesystem) is never touched.
- :func:`run_lock` lets one run at a time write a period's folder; the second stops with one
  line naming the folder and the process that holds it.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
from pathlib import Path

from peelstats.errors import BusyError, EnvironmentFault
from peelstats.files import atomic_write, swap_folder

LOCK_NAME = ".peelstats.lock"
_WORK = re.compile(
    r"^\.(?P<name>.+)\.(?P<kind>partial|old)-(?:(?P<host>[A-Za-z0-9_.]+(?:-[A-Za-z0-9_.]+)*?)-)?"
    r"(?P<pid>\d+)$"
)
#: a file being written (:func:`peelstats.files.atomic_open`, or a writer's own temporary name)
_TMP_FILE = re.compile(r"^\.[\w.-]+\.(?P<pid>\d+)(?:-\w+\.tmp)?$")


def host() -> str:
    """This machine's name as it appears in work-folder names."""
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", socket.gethostname() or "host")
    return name.strip("-") or "host"


def work_name(name: str, kind: str = "partial") -> str:
    return f".{name}.{kind}-{host()}-{os.getpid()}"


def shown(path: Path) -> str:
    """A path as a user would type it: relative to the current folder when inside it."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(Path(path).absolute()) if relative.startswith("..") else relative


# ----------------------------------------------------------------------------- the swap


def swap_into_place(work: Path, final: Path) -> None:
    """Replace ``final`` with ``work``; readers see the old or the new folder, never none
    (:func:`peelstats.files.swap_folder`; a previous report parked between two renames is named
    with this host and process, so :func:`remove_stale_work` puts it back)."""
    swap_folder(work, final, old=final.with_name(work_name(final.name, "old")))


# ----------------------------------------------------------------------------- stale work


def alive(pid: int) -> bool:
    """Whether a process runs with this id here. A zombie (killed, not yet reaped) does not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True  # no /proc (not Linux): trust kill(0)
    return state not in ("Z", "X")


def remove_stale_work(period_dir: Path, shared: str = "_shared") -> list[Path]:
    """Remove unfinished work left in ``period_dir`` by processes of this host that no longer
    run: a job's partial folder is deleted; a previous report caught mid-swap (``.old-...``
    with no final folder) is put back, else deleted; temporary files are deleted. Work of a
    live process, or of another host, is left alone."""
    removed: list[Path] = []
    if not period_dir.is_dir():
        return removed
    candidates = list(period_dir.iterdir())
    if (period_dir / shared).is_dir():
        candidates += list((period_dir / shared).iterdir())
    here = host()
    for entry in sorted(candidates):
        match = _WORK.match(entry.name) or _TMP_FILE.match(entry.name)
        if not match or entry.name == LOCK_NAME:
            continue
        groups = match.groupdict()
        if groups.get("host") not in (None, here):
            continue  # another machine's work on a shared filesystem
        pid = int(groups["pid"])
        if pid != os.getpid() and alive(pid):
            continue
        if groups.get("kind") == "old" and entry.is_dir() and not entry.is_symlink():
            final = entry.with_name(groups["name"])
            if not final.exists():
                entry.rename(final)
                continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed


# ----------------------------------------------------------------------------- writability


def check_writable(folder: Path) -> None:
    """Stop with one line if ``folder`` cannot be written (exit 1), before any job runs."""
    probe = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".peelstats-probe-{os.getpid()}"
        probe.write_bytes(b"x" * 4096)
    except (FileExistsError, NotADirectoryError):
        raise EnvironmentFault(
            f"cannot write to {shown(folder)}: it, or a folder above it, is a file, not a folder"
        ) from None
    except OSError as exc:
        raise EnvironmentFault(f"cannot write to {shown(folder)}: {exc.strerror or exc}") from None
    finally:
        if probe is not None:
            with contextlib.suppress(OSError):
                probe.unlink()


# ----------------------------------------------------------------------------- the run lock


@contextlib.contextmanager
def run_lock(folders: list[Path], what: str = "batch"):
    """Hold every folder's lock for the block (sorted, so two runs never deadlock); if any is
    held, stop with "another peelstats batch is writing outputs/2021Q3 (pid N)"."""
    from filelock import FileLock, Timeout

    held = []
    try:
        for folder in sorted({Path(f) for f in folders}):
            folder.mkdir(parents=True, exist_ok=True)
            lock = FileLock(str(folder / LOCK_NAME), timeout=0)
            try:
                lock.acquire()
            except Timeout:
                pid = _holder(folder)
                by = f" (pid {pid})" if pid else ""
                raise BusyError(
                    f"another peelstats {what} is writing {shown(folder)}{by}"
                ) from None
            held.append((folder, lock))
            atomic_write(folder / f"{LOCK_NAME}.pid", f"{os.getpid()} {what}\n")
        yield
    finally:
        for folder, lock in reversed(held):
            with contextlib.suppress(OSError):
                (folder / f"{LOCK_NAME}.pid").unlink()
            lock.release()


def _holder(folder: Path) -> str:
    try:
        return (folder / f"{LOCK_NAME}.pid").read_text().split()[0]
    except (OSError, IndexError):
        return ""
