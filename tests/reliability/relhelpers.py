"""Helpers of the reliability tests: the CLI in a subprocess, isolated copies of data/,
snapshots of folders, and checks that an output folder holds only complete reports."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from peelstats.config import PROJECT_ROOT

#: two small forces with no audit rows: two notebooks each, the quickest real jobs
FORCES = "cumbria,dyfed-powys"
PERIOD = "2021Q3"


def peelstats(*args: str, env: dict | None = None, timeout: float = 300):
    """Run ``python -m peelstats ARGS`` as a user would; returns the CompletedProcess."""
    return subprocess.run(
        [sys.executable, "-m", "peelstats", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=PROJECT_ROOT,
        timeout=timeout,
    )


def copy_data(target: Path) -> Path:
    """A private copy of data/raw and data/default, with an empty processed/, at ``target``:
    point PEELSTATS_DATA_DIR at it and nothing touches (or is disturbed by) the project's data."""
    source = PROJECT_ROOT / "data"
    shutil.copytree(source / "raw", target / "raw")
    shutil.copytree(source / "default", target / "default")
    (target / "processed").mkdir()
    return target


def snapshot(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` (hidden ones included), by relative path."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def assert_clean_error(proc, *fragments: str) -> str:
    """Exit 2, exactly one line on stderr naming what and where, no traceback, no stdout."""
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("peelstats: error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    assert proc.stdout == ""
    return lines[0]


def complete_reports(period_dir: Path) -> dict[str, dict]:
    """Check every visible force folder of ``period_dir`` holds a complete report; return each
    force's status.json. Anything hidden must be a ``.<force>.partial-<pid>`` work folder."""
    import nbformat
    import pandas as pd

    statuses = {}
    for entry in sorted(period_dir.iterdir()):
        if entry.name.startswith(".peelstats.lock"):
            continue  # the run lock
        if entry.name.startswith("."):
            assert entry.is_dir() and ".partial-" in entry.name, entry
            continue
        if entry.name in ("_shared", "index.html"):
            continue
        status = json.loads((entry / "status.json").read_text())
        for nb in status["notebooks"]:
            if nb["status"] == "succeeded":
                nbformat.read(entry / f"{nb['name']}.ipynb", as_version=4)
            elif nb["status"] == "failed":
                assert (entry / f"{nb['name']}.failed.ipynb").is_file()
        report = (entry / "report.html").read_text(encoding="utf-8")
        assert report.rstrip().endswith("</html>"), entry
        estimates = pd.read_csv(entry / "tables" / "estimates.csv")
        assert len(estimates) > 0
        assert not [p for p in entry.rglob("*") if p.name.startswith(".")], entry
        statuses[entry.name] = status
    return statuses


def run_env(data_dir: Path) -> dict[str, str]:
    """Environment pointing every data and default-output path at private folders."""
    return {
        "PEELSTATS_DATA_DIR": str(data_dir),
        "PEELSTATS_OUTPUTS_DIR": str(data_dir.parent / "default-outputs"),
    }


def group_members(pgid: int) -> set[int]:
    """Ids of the live processes in process group ``pgid`` (Linux /proc; empty elsewhere)."""
    members = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            members.add(int(stat.parent.name))
    return members


def pool_workers(batch: int) -> set[int]:
    """Ids of a batch's pool workers: the children of its fork server (Linux /proc)."""
    table = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            cmdline = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if fields[0] in ("Z", "X"):
            continue
        table[int(stat.parent.name)] = (int(fields[1]), cmdline)
    servers = {p for p, (ppid, cmd) in table.items() if ppid == batch and b"forkserver" in cmd}
    return {p for p, (ppid, _) in table.items() if ppid in servers}


def kernels_of(parents: set[int]) -> set[int]:
    """Ids of live Jupyter kernels started by any of ``parents`` (their JPY_PARENT_PID).

    jupyter_client starts kernels in a session of their own, so a signal to the batch's process
    group does not reach them: they must exit by themselves when their parent is gone."""
    found = set()
    wanted = {f"JPY_PARENT_PID={pid}".encode() for pid in parents}
    for environ in Path("/proc").glob("[0-9]*/environ"):
        try:
            variables = set(environ.read_bytes().split(b"\0"))
        except OSError:
            continue
        if variables & wanted:
            found.add(int(environ.parent.name))
    return found
