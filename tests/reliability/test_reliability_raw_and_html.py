"""Raw data are only read, and text from data is HTML-escaped in every page.

One module fixture builds a private data folder whose audit tables carry HTML and script in
their labels (group, audit, category, source) for Cumbria, and a small police.uk archive; it
hashes data/raw and the archive, runs ``prepare`` and a ``batch``, and hashes them again.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from datahelpers import row, write_month
from relhelpers import PERIOD, copy_data, peelstats, run_env, snapshot

from peelstats.config import PROJECT_ROOT as ROOT
from peelstats.run.index import render_index
from peelstats.run.jobs import JobResult, NotebookOutcome

pytestmark = pytest.mark.slow

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(2)>"
BOLD = "PEEL <b>2023</b>"
#: every injected string, and how it must appear once escaped
PAYLOADS = {
    SCRIPT: "&lt;script&gt;alert(1)&lt;/script&gt;",
    IMG: "&lt;img src=x onerror=alert(2)&gt;",
    "<i>x</i>": "&lt;i&gt;x&lt;/i&gt;",
    BOLD: None,  # an audit name: not necessarily shown, never as markup
}


def _append(path: Path, rows: list[dict]) -> None:
    with open(path, newline="", encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    with open(path, "a", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, header, lineterminator="\n")
        writer.writerows({**dict.fromkeys(header, ""), **r} for r in rows)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("raw-and-html")
    data_dir = copy_data(root / "data")
    audits = data_dir / "raw" / "audits"
    rg = dict(force="cumbria", records_from="2022-01", records_to="2022-12")
    _append(
        audits / "reasonable_grounds.csv",
        [
            {**rg, "audit": BOLD, "group": "all", "grounds_recorded": "150",
             "records_reviewed": "200", "source": f"{SCRIPT} report"},
            {**rg, "audit": BOLD, "group": SCRIPT, "grounds_recorded": "20",
             "records_reviewed": "30", "source": IMG},
            {**rg, "audit": "PEEL 2021", "records_from": "2020-01", "records_to": "2020-12",
             "group": "all", "grounds_recorded": "120", "records_reviewed": "200",
             "source": SCRIPT},
        ],
    )  # fmt: skip
    _append(
        audits / "crime_data_integrity.csv",
        [
            {"force": "cumbria", "audit": "PEEL <i>x</i>", "category": SCRIPT,
             "crimes_recorded": "90", "crimes_reviewed": "100", "source": IMG},
        ],
    )  # fmt: skip
    archive = root / "archive"
    write_month(archive, "2019-01", "durham", [row(), row(Outcome="Arrest")])
    write_month(archive, "2019-02", "durham", [row(Date="2019-02-03T10:00:00+00:00")])
    write_month(archive, "2019-01", "cleveland", [row(), row()])

    before = {"raw": snapshot(data_dir / "raw"), "archive": snapshot(archive)}
    out = root / "outputs"
    env = run_env(data_dir)
    prepared = peelstats("prepare", "-q", "--archive", str(archive), env=env)
    batch = peelstats(
        "batch", "--forces", "cumbria", "--periods", PERIOD, "--workers", "2", "--no-progress",
        "--out", str(out), env=env,
    )  # fmt: skip
    after = {"raw": snapshot(data_dir / "raw"), "archive": snapshot(archive)}
    return dict(
        data_dir=data_dir, out=out, prepared=prepared, batch=batch, before=before, after=after
    )


def test_raw_data_and_archive_untouched(run):
    assert run["prepared"].returncode == 0, run["prepared"].stderr
    assert run["batch"].returncode == 0, run["batch"].stderr
    assert (run["data_dir"] / "processed" / "searches.parquet").is_file()  # prepare did write
    committed = {p.name for p in (ROOT / "data" / "raw" / "audits").glob("*.csv")}
    assert {name.split("/")[-1] for name in run["before"]["raw"] if name.startswith("audits/")} \
        >= committed  # fmt: skip
    assert len(run["before"]["archive"]) == 3
    assert run["after"] == run["before"]


def _check_escaped(page: str, where: str) -> None:
    lowered = page.lower()
    assert "<script" not in lowered, where
    assert "onerror=alert" not in lowered.replace("&lt;img src=x onerror=alert", ""), where
    for payload in PAYLOADS:
        assert payload not in page, (payload, where)


def test_report_escapes_text_from_data(run):
    assert run["batch"].returncode == 0, run["batch"].stderr
    folder = run["out"] / PERIOD / "cumbria"
    status = (folder / "status.json").read_text()
    assert '"inspection"' in status and '"succeeded"' in status  # the audit notebook ran
    report = (folder / "report.html").read_text(encoding="utf-8")
    _check_escaped(report, "report.html")
    for payload, escaped in PAYLOADS.items():
        if escaped:
            assert escaped in report, payload
    _check_escaped((run["out"] / PERIOD / "index.html").read_text(encoding="utf-8"), "index")


def test_index_escapes_text_from_results():
    """index.html shows failure reasons (which may quote data) and force ids: all escaped."""
    result = JobResult(
        force=f"x{SCRIPT}",
        period=PERIOD,
        status="failed",
        notebooks=[
            NotebookOutcome("stop_search", "failed", f"ValueError: unknown group {SCRIPT}"),
            NotebookOutcome("outcomes", "skipped", IMG),
        ],
    )
    page = render_index(PERIOD, [(result, None, False)])
    _check_escaped(page, "render_index")
    assert "unknown group &lt;script&gt;alert(1)&lt;/script&gt;" in page
