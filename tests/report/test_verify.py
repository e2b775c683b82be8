"""`peelstats verify`: a reviewer re-executes a report's notebooks and compares every output;
it works from any folder, writes nothing into the report folder, and labels a difference's
sides "published" and "re-run"."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def _peelstats(*args, cwd):
    return subprocess.run([sys.executable, "-m", "peelstats", *args], cwd=cwd,
                          capture_output=True, text=True)  # fmt: skip


def _snapshot(folder):
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*")) if p.is_file()
    }  # fmt: skip


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    run = _peelstats("run", "--force", "durham", "--period", "2021Q3", "--out", str(out),
                     cwd=out)  # fmt: skip
    assert run.returncode == 0, run.stderr
    return out / "2021Q3" / "durham"


def test_an_untouched_report_verifies_from_another_folder(report, tmp_path):
    before = _snapshot(report)
    run = _peelstats("verify", str(report), cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "every output matches" in run.stdout
    assert _snapshot(report) == before  # nothing written into the report folder
    assert list(tmp_path.iterdir()) == []  # nor where it was run


def test_a_changed_published_figure_is_shown_as_published_against_rerun(report, tmp_path):
    copy = tmp_path / "durham"
    shutil.copytree(report, copy)
    path = copy / "stop_search.ipynb"
    text = path.read_text(encoding="utf-8")
    assert "2,068" in text
    path.write_text(text.replace("2,068", "2,099"), encoding="utf-8")
    json.loads(path.read_text(encoding="utf-8"))  # still a notebook
    run = _peelstats("verify", str(copy), cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "outputs differ" in run.stdout
    assert "--- published" in run.stdout and "+++ re-run" in run.stdout
    published = [line for line in run.stdout.splitlines() if line.startswith("-")]
    rerun = [line for line in run.stdout.splitlines() if line.startswith("+")]
    assert any("2,099" in line for line in published)  # the tampered figure is "published"
    assert any("2,068" in line for line in rerun) and not any("2,099" in x for x in rerun)


def test_a_folder_without_notebooks_is_one_line(tmp_path):
    run = _peelstats("verify", str(tmp_path), cwd=tmp_path)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.count("\n") == 1 and "no executed notebooks" in run.stderr
