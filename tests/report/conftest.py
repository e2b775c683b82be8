"""Reports shared by the report tests: one batch and the option runs, made once per session
(they take minutes), read by every test that reads reports as a Panel member would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from reporthelpers import PERIOD, cli

from peelstats.config import paths

SETTINGS = """panel = "Police and Crime Panel"
date = 2026-12-10
report_of = "the Police and Crime Commissioner"
organisation = "Office of the Police and Crime Commissioner"
contact_officer = "A. N. Analyst"
job_title = "Performance Analyst"
telephone = "0123 456 7890"
email = "analyst@example.org"
"""


def _shared_once(tmp_path_factory, worker_id, name: str, make) -> Path:
    """A folder made once per test run by ``make(folder)``: the test workers (pytest-xdist)
    share it, the first to ask making it while the others wait; the tests only read it."""
    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        base = base.parent  # the folder every worker of this run shares
    root = base / name
    with FileLock(str(base / f"{name}.lock")):
        if not (root / "complete").is_file():
            if root.exists():
                shutil.rmtree(root)
            root.mkdir()
            make(root)
            (root / "complete").write_text("ok", encoding="utf-8")
    return root


@pytest.fixture(scope="session")
def out(tmp_path_factory, worker_id):
    """One batch with the paper outputs (panel-paper.toml filled in), the previous quarter for
    Durham (so its paper says what moved since), and three reports at 99% with officer-defined
    ethnicity. Made once per test run, shared by the test workers."""
    return _shared_once(tmp_path_factory, worker_id, "claims-shared", _make_claims)


def _make_claims(root):
    import os
    import subprocess
    import sys

    settings = root / "panel-paper.toml"
    settings.write_text(SETTINGS, encoding="utf-8")
    env = {**os.environ, "PEELSTATS_PAPER_SETTINGS": str(settings)}
    # the option runs need nothing of the others: made alongside them
    options = subprocess.Popen(
        [sys.executable, "-m", "peelstats", "batch", "--forces", "durham,west-midlands,cumbria",
         "--periods", PERIOD, "--out", str(root / "options"), "--no-progress", "--workers", "1",
         "--paper", "--confidence", "0.99", "--ethnicity", "officer"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        run = cli("run", "--force", "durham", "--period", "2021Q2", "--out", str(root / "main"),
                  "--no-paper", env=env)  # fmt: skip
        assert run.returncode == 0, run.stderr
        forces = "durham,west-midlands,humberside,cumbria,north-yorkshire"
        run = cli("batch", "--forces", forces, "--periods", PERIOD, "--out", str(root / "main"),
                  "--no-progress", "--workers", "2", "--paper", env=env)  # fmt: skip
        assert run.returncode == 0, run.stderr
    finally:
        _, stderr = options.communicate()
    assert options.returncode == 0, stderr


@pytest.fixture(scope="session")
def relabelled(tmp_path_factory, worker_id):
    """A data folder where British Transport Police and the City of London carry Durham's
    searches (so the only difference is their population base), and Kent has none; their
    reports, made once per test run."""
    root = _shared_once(tmp_path_factory, worker_id, "relabelled-shared", _make_relabelled)
    return root / "out" / PERIOD


def _make_relabelled(root):
    data = root / "data"
    shutil.copytree(paths().default, data)
    searches = pd.read_csv(data / "searches.csv.gz", dtype=str, keep_default_na=False)
    coverage = pd.read_csv(data / "coverage.csv", dtype=str, keep_default_na=False)
    for force in ("btp", "city-of-london"):
        searches = pd.concat(
            [searches, searches[searches["force"] == "durham"].assign(force=force)]
        )
        coverage = pd.concat(
            [coverage, coverage[coverage["force"] == "durham"].assign(force=force)]
        )
    searches.to_csv(data / "searches.csv.gz", index=False)
    coverage.to_csv(data / "coverage.csv", index=False)
    run = cli("batch", "--forces", "btp,city-of-london,kent", "--periods", PERIOD, "--data",
              str(data), "--out", str(root / "out"), "--no-progress", "--workers", "2")  # fmt: skip
    assert run.returncode == 0, run.stderr
