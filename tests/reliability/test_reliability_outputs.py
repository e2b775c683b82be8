"""Outputs are atomic, resumable and idempotent.

- A batch killed midway (SIGTERM or SIGKILL to its whole process group) leaves in
  outputs/<period>/ only complete force folders, plus hidden ``.<force>.partial-<pid>`` work
  folders that nothing reads; no Jupyter kernel outlives it.
- Running the same command again removes the stale work folders, keeps the complete reports
  (same fingerprint) and runs only what is missing.
- Two complete runs on the same inputs give byte-identical tables.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from relhelpers import (
    FORCES,
    PERIOD,
    complete_reports,
    copy_data,
    group_members,
    kernels_of,
    peelstats,
    run_env,
    snapshot,
)

from peelstats.config import PROJECT_ROOT
from peelstats.run.workspace import remove_stale_work

pytestmark = pytest.mark.slow
BATCH = ["batch", "--forces", FORCES, "--periods", PERIOD, "--workers", "2", "--no-progress"]
#: three forces on two workers: when the first report is complete, one job is still running
#: and one is running or pending
KILL_FORCES = f"{FORCES},north-yorkshire"
KILL_BATCH = [*BATCH[:2], KILL_FORCES, *BATCH[3:]]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return copy_data(tmp_path_factory.mktemp("outputs") / "data")


@pytest.fixture(scope="module")
def clean_run(data_dir) -> Path:
    """One complete batch of two forces, run from scratch."""
    out = data_dir.parent / "clean"
    proc = peelstats(*BATCH, "--rerun", "--out", str(out), env=run_env(data_dir))
    assert proc.returncode == 0, proc.stderr
    return out


def tables(out: Path) -> dict[str, str]:
    """Hashes of every table (per force and the shared all-forces comparison)."""
    return {
        name: digest
        for name, digest in snapshot(out / PERIOD).items()
        if name.endswith(".csv") and ("/tables/" in name or name.startswith("_shared/"))
    }


def test_complete_runs_are_byte_identical(clean_run, data_dir):
    again = data_dir.parent / "again"
    proc = peelstats(*BATCH, "--rerun", "--out", str(again), env=run_env(data_dir))
    assert proc.returncode == 0, proc.stderr
    first, second = tables(clean_run), tables(again)
    assert {f"{f}/tables/estimates.csv" for f in FORCES.split(",")} <= set(first)
    assert first == second


def _wait_for_first_report(proc, period_dir: Path, timeout: float = 240) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p.parent.name for p in period_dir.glob("[!.]*/status.json")]
        if done:
            return done[0]
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.1)
    pytest.fail("no report completed in time")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_killed_batch_leaves_no_half_written_output_and_resumes(
    signum, clean_run, data_dir, tmp_path
):
    out = tmp_path / "outputs"
    period_dir = out / PERIOD
    proc = subprocess.Popen(
        [sys.executable, "-m", "peelstats", *KILL_BATCH, "--out", str(out)],
        cwd=PROJECT_ROOT,
        env={**os.environ, **run_env(data_dir)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        first = _wait_for_first_report(proc, period_dir)
        members = group_members(proc.pid)
        os.killpg(proc.pid, signum)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    if signum == signal.SIGTERM:
        # stopped cleanly: one line, no traceback, exit 128 + 15
        assert proc.returncode == 143, stderr
        assert "Traceback" not in stderr
        assert stderr.splitlines() == [stderr.strip()], stderr
        assert stderr.startswith("peelstats: interrupted by SIGTERM: ")
        assert "run the same command again" in stderr
    else:
        assert proc.returncode == -signal.SIGKILL
    deadline = time.monotonic() + 15  # kernels notice their parent is gone within a second
    while kernels_of(members) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not kernels_of(members), "a Jupyter kernel outlived the batch"

    # only complete force folders are visible; anything else is a hidden work folder
    statuses = complete_reports(period_dir)
    assert first in statuses
    kept = {f: (period_dir / f / "status.json").stat().st_mtime_ns for f in statuses}

    proc = peelstats(*KILL_BATCH, "--out", str(out), env=run_env(data_dir))
    assert proc.returncode == 0, proc.stderr
    assert f"{len(kept)} already complete from the same inputs and code" in proc.stdout
    statuses = complete_reports(period_dir)
    assert sorted(statuses) == sorted(KILL_FORCES.split(","))
    assert all(s["status"] == "succeeded" for s in statuses.values())
    hidden = [p for p in period_dir.iterdir() if p.name.startswith(".")]
    assert [p.name for p in hidden] == [".peelstats.lock"]  # stale work removed; the lock stays
    for force, mtime in kept.items():  # complete reports were not run again
        assert (period_dir / force / "status.json").stat().st_mtime_ns == mtime
    resumed, clean = tables(out), tables(clean_run)
    assert {k: v for k, v in resumed.items() if k in clean} == clean  # same as a clean run


def test_stale_work_is_removed_but_live_work_kept(tmp_path):
    period_dir = tmp_path / PERIOD
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # a process id that no longer runs
    live = os.getppid()
    for name in (f".durham.partial-{dead.pid}", f".cumbria.partial-{live}", "durham"):
        (period_dir / name / "tables").mkdir(parents=True)
    # a previous report caught between the two renames of the swap is put back
    (period_dir / f".dyfed-powys.old-{dead.pid}").mkdir()
    (period_dir / f".dyfed-powys.old-{dead.pid}" / "status.json").write_text("{}")
    (period_dir / f".index.html.{dead.pid}").write_text("<html")
    (period_dir / "_shared").mkdir()
    (period_dir / "_shared" / f".all_forces.csv.{dead.pid}").write_text("force")

    remove_stale_work(period_dir)

    assert sorted(p.name for p in period_dir.iterdir()) == sorted(
        [f".cumbria.partial-{live}", "_shared", "durham", "dyfed-powys"]
    )
    assert (period_dir / "dyfed-powys" / "status.json").read_text() == "{}"
    assert not list((period_dir / "_shared").iterdir())
