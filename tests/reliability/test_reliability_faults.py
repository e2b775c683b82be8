"""Fault isolation: one force's corrupt data fail that force's job only.

The batch completes every other force, records the failure (first line of the error) in
outputs/<period>/index.html and in the summary, keeps the failed executed notebook as
``<name>.failed.ipynb`` in that force's folder, and exits 1.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import nbformat
import pandas as pd
import pytest
from relhelpers import (
    FORCES,
    PERIOD,
    complete_reports,
    copy_data,
    peelstats,
    pool_workers,
    run_env,
)

from peelstats.config import PROJECT_ROOT

pytestmark = pytest.mark.slow


def test_corrupt_force_fails_alone(tmp_path):
    data_dir = copy_data(tmp_path / "data")
    folder = tmp_path / "corrupt"
    shutil.copytree(PROJECT_ROOT / "data" / "default", folder)
    (table,) = folder.glob("searches.csv*")
    searches = pd.read_csv(table, keep_default_na=False)
    hit = searches.index[(searches["force"] == "cumbria") & (searches["month"] == "2021-03")][0]
    searches.loc[hit, "searches"] = -50  # a negative count, in cumbria's 12 months only
    searches.to_csv(table, index=False, lineterminator="\n")
    out = tmp_path / "outputs"

    proc = peelstats(
        "batch", "--forces", FORCES, "--periods", PERIOD, "--workers", "2", "--no-progress",
        "--data", str(folder), "--out", str(out), env=run_env(data_dir),
    )  # fmt: skip

    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout.startswith("peelstats: 1 succeeded, 0 skipped, 1 failed")
    failed = [line for line in proc.stderr.splitlines() if line.lstrip().startswith("FAILED")]
    assert len(failed) == 1
    assert failed[0].startswith(f"  FAILED  cumbria {PERIOD}: stop_search: ValueError: ")
    assert "must be at least 0" in failed[0]
    assert f"executed notebook kept in {out / PERIOD / 'cumbria'}" in proc.stderr

    statuses = complete_reports(out / PERIOD)
    assert statuses["dyfed-powys"]["status"] == "succeeded"
    assert statuses["cumbria"]["status"] == "failed"
    first_error = failed[0].split(": stop_search: ", 1)[1]
    failed_nb = out / PERIOD / "cumbria" / "stop_search.failed.ipynb"
    errors = [
        o
        for cell in nbformat.read(failed_nb, as_version=4).cells
        for o in cell.get("outputs", [])
        if o.get("output_type") == "error"
    ]
    assert errors and errors[0]["ename"] == "ValueError"
    assert not (out / PERIOD / "cumbria" / "stop_search.ipynb").exists()
    # the force's other notebooks still ran and made a (partial) report
    assert (out / PERIOD / "cumbria" / "outcomes.ipynb").is_file()

    index = (out / PERIOD / "index.html").read_text(encoding="utf-8")
    assert "1 succeeded, 0 skipped, 1 failed." in index
    assert '<td class="failed">failed</td>' in index
    assert "stop search failed:</strong> " + html.escape(first_error) in index
    status = json.loads((out / PERIOD / "cumbria" / "status.json").read_text())
    assert status["notebooks"][0] == {
        "name": "stop_search",
        "status": "failed",
        "reason": first_error,
    }


def test_worker_killed_from_outside_fails_only_its_job(tmp_path):
    """A pool worker killed by another process (e.g. the out-of-memory killer) fails the job it
    was running, recorded as such, without a traceback; the pool starts another worker and
    every other job completes; the batch exits 1."""
    data_dir = copy_data(tmp_path / "data")
    out = tmp_path / "outputs"
    forces = f"{FORCES},north-yorkshire,durham"
    proc = subprocess.Popen(
        [sys.executable, "-m", "peelstats", "batch", "--forces", forces, "--periods", PERIOD,
         "--workers", "2", "--no-progress", "--out", str(out)],
        cwd=PROJECT_ROOT,
        env={**os.environ, **run_env(data_dir)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 120
        while not list((out / PERIOD).glob(".*.partial-*")) if (out / PERIOD).exists() else True:
            assert time.monotonic() < deadline and proc.poll() is None
            time.sleep(0.05)
        workers = pool_workers(proc.pid)
        assert workers
        # the worker whose job is under way (a work folder is named by its writer's pid), not
        # one that may be idle between jobs
        running = [int(p.name.rsplit("-", 1)[1]) for p in (out / PERIOD).glob(".*.partial-*")]
        os.kill(next((pid for pid in running if pid in workers), min(workers)), signal.SIGKILL)
        stdout, stderr = proc.communicate(timeout=300)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    assert proc.returncode == 1, stderr
    assert "Traceback" not in stderr
    assert stdout.splitlines()[0].startswith("peelstats: 3 succeeded, 0 skipped, 1 failed")
    assert "the process running this job was killed" in stderr
    statuses = complete_reports(out / PERIOD)  # whatever is visible is complete
    assert sum(s["status"] == "succeeded" for s in statuses.values()) == 3
    assert "the process running this job was killed" in (out / PERIOD / "index.html").read_text()
