"""The index lists every complete report in the period's folder: a later `run` for one force
keeps the rows of the forces a batch wrote before it."""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def _peelstats(*args):
    return subprocess.run([sys.executable, "-m", "peelstats", *args], capture_output=True,
                          text=True)  # fmt: skip


def test_a_later_run_for_one_force_keeps_the_other_rows(tmp_path):
    batch = _peelstats("batch", "--forces", "durham,cumbria", "--periods", "2021Q3",
                       "--workers", "2", "--no-progress", "--out", str(tmp_path))  # fmt: skip
    assert batch.returncode == 0, batch.stderr
    again = _peelstats("run", "--force", "durham", "--period", "2021Q3", "--no-paper",
                       "--confidence", "0.99", "--out", str(tmp_path))  # fmt: skip
    assert again.returncode == 0, again.stderr
    index = (tmp_path / "2021Q3" / "index.html").read_text(encoding="utf-8")
    assert 'href="durham/report.html"' in index and 'href="cumbria/report.html"' in index
