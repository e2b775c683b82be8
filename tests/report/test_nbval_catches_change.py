"""The strict nbval check of the committed notebooks is not vacuous: change one input count in a
copy of the default data, re-execute the notebook against it, and nbval must fail on the changed
figures; the unchanged copy must pass (so the failure is the change, not the copy)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from peelstats.config import PROJECT_ROOT, paths

pytestmark = pytest.mark.slow


def _nbval(data_dir, notebook="notebooks/stop_search.ipynb"):
    env = {**os.environ, "PEELSTATS_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", notebook, "-p", "no:cacheprovider", "-q"],
        cwd=PROJECT_ROOT, env=env, capture_output=True, text=True,
    )  # fmt: skip


@pytest.fixture()
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(paths().data, target, ignore=shutil.ignore_patterns("processed"))
    return target


def test_unchanged_copy_passes(data_copy):
    run = _nbval(data_copy)
    assert run.returncode == 0, run.stdout[-3000:]


def test_one_changed_count_fails_nbval(data_copy):
    searches = data_copy / "default" / "searches.csv.gz"
    table = pd.read_csv(searches, dtype=str, keep_default_na=False)  # gzip from the extension
    # one Durham record class in June 2021 (White, self-defined): add 5 searches
    hit = table.index[
        (table["force"] == "durham") & (table["month"] == "2021-06")
        & (table["ethnicity_self"] == "White")
    ][0]  # fmt: skip
    table.loc[hit, "searches"] = str(int(table.loc[hit, "searches"]) + 5)
    table.to_csv(
        searches, index=False, lineterminator="\n", compression={"method": "gzip", "mtime": 0}
    )
    run = _nbval(data_copy)
    assert run.returncode == 1, run.stdout[-3000:]
    assert "failed" in run.stdout
    # the failure is a changed output, shown as such
    assert "mismatch" in run.stdout.lower() or "differ" in run.stdout.lower(), run.stdout[-3000:]
