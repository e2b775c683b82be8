"""`peelstats verify`: a reviewer re-executes a report's notebooks and compares every output;
it works from any folder, writes nothing into the report folder, and labels a difference's
sides "published" and "re-run"."""

from __future__ import annotations

import hashlib
import json
import re
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
    run = _peelstats(
        "run", "--force", "durham", "--period", "2021Q3", "--out", str(out), "--no-paper", cwd=out
    )  # the paper is not what verify checks
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


def _tamper_deep_in_a_long_table(path):
    """Change one figure of a long single-line HTML table far past its first 400 characters;
    return (the figure as published now, as a re-run gives it)."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            value = output.get("data", {}).get("text/html")
            html = "".join(value) if isinstance(value, list) else (value or "")
            if not html.startswith("<table") or len(html) < 1000:
                continue
            found = [m for m in re.finditer(r"<td[^>]*>(\d[\d,.]*)</td>", html) if m.start() > 600]
            if not found:
                continue
            figure = found[-1]
            tampered = "987,654"
            assert tampered not in path.read_text(encoding="utf-8")
            html = html[: figure.start(1)] + tampered + html[figure.end(1) :]
            output["data"]["text/html"] = html
            path.write_text(json.dumps(notebook, indent=1), encoding="utf-8")
            return tampered, figure.group(1)
    raise AssertionError("no long table in the notebook")


def test_a_changed_value_deep_in_a_long_output_line_is_shown(report, tmp_path):
    copy = tmp_path / "durham"
    shutil.copytree(report, copy)
    tampered, figure = _tamper_deep_in_a_long_table(copy / "stop_search.ipynb")
    run = _peelstats("verify", str(copy), cwd=tmp_path)
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 cell(s) differ" in run.stdout
    published = [line for line in run.stdout.splitlines() if line.startswith("-")]
    rerun = [line for line in run.stdout.splitlines() if line.startswith("+")]
    assert any(tampered in line for line in published), run.stdout
    assert any(figure in line for line in rerun) and not any(tampered in x for x in rerun)
    assert all(len(line) < 500 for line in published + rerun)


def test_a_long_single_line_difference_is_cut_around_the_change():
    from peelstats.run.verify import CellDifference, _readable

    def table(value):
        rows = "".join(f"<tr><td>row {i}</td><td>{i * 7}</td></tr>" for i in range(60))
        html = f"<table><caption>{'long caption ' * 40}</caption>{rows}"
        html += f"<tr><td>Black</td><td>{value}</td></tr></table>"
        return _readable([{"output_type": "display_data", "data": {"text/html": html}}], [])

    text = CellDifference("x.ipynb", 3, "show()", table("2,099"), table("2,068")).describe()
    assert "-Black | 2,099" in text and "+Black | 2,068" in text
    # one long line (plain text): the changed part and its context are shown
    line = "a" * 5000 + " 2,099 " + "b" * 5000
    text = CellDifference("x.ipynb", 3, "", line, line.replace("2,099", "2,068")).describe()
    minus = next(x for x in text.splitlines() if x.startswith("-") and "2,0" in x)
    plus = next(x for x in text.splitlines() if x.startswith("+") and "2,0" in x)
    assert "2,099" in minus and "2,068" in plus and len(minus) < 500 and len(plus) < 500
    assert minus.startswith("-...") and minus.endswith("...")


def test_a_changed_chart_is_a_changed_line_not_its_bytes():
    from peelstats.run.verify import CellDifference, _readable

    def figure(src):
        html = f'<figure><img src="data:image/svg+xml;base64,{src}" alt="Searches by group">'
        return _readable([{"data": {"text/html": html + "</figure>"}}], [])

    text = CellDifference("x.ipynb", 2, "", figure("A" * 9000), figure("B" * 9000)).describe()
    lines = text.splitlines()
    assert any(x.startswith("-[image: Searches by group (sha256 ") for x in lines)
    assert any(x.startswith("+[image: Searches by group (sha256 ") for x in lines)
    assert "AAAA" not in text and "BBBB" not in text
