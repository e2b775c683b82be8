"""The writers of a report's tables and Panel paper meet hostile text and a full disk.

- Every CSV (tables/*.csv, estimates.csv, all_forces.csv) and every spreadsheet cell follows one
  safe-cell rule (peelstats.data.safe_csv): a text a spreadsheet would run as a formula is
  written with a leading quote, estimates.xlsx stores it as text, never as a formula, and the
  loaders give the text back exactly.
- Control characters from data (which XML cannot hold) reach report.docx, estimates.xlsx and
  the charts as U+FFFD instead of stopping the writer or the process.
- A full disk while the paper is written leaves the earlier report.docx, estimates.xlsx and
  report.pdf as they were, and stops the job (it does not publish a report without them).
"""

from __future__ import annotations

import errno
import io
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from peelstats.analysis.schema import ESTIMATE_COLUMNS, read_estimates, write_estimates
from peelstats.report.wording import sheets

#: labels a spreadsheet would run as formulas (OWASP's list of first characters), and their
#: neighbours that must stay as they are
HOSTILE = [
    '=HYPERLINK("http://x.example/","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "'=already quoted",
]
HARMLESS = ["2022 records", "-5", "+1.5", "'quoted", "all"]


def _frame(groups) -> pd.DataFrame:
    rows = [
        {"force": "durham", "period": "2021Q3", "measure": "reasonable_grounds_rate",
         "group": g, "period_start": "2022-01", "period_end": "2022-12", "numerator": 11,
         "denominator": 14, "estimate": 0.7857142857, "lower": 0.52, "upper": 0.92,
         "method": "proportion, Wilson score interval", "confidence": 0.95, "flags": ""}
        for g in groups
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=ESTIMATE_COLUMNS)


def test_estimates_csv_neutralises_formulas_and_reads_back_exactly(tmp_path):
    path = tmp_path / "reasonable_grounds.csv"
    write_estimates(_frame(HOSTILE + HARMLESS), path)
    written = pd.read_csv(path, dtype=str, keep_default_na=False)["group"].tolist()
    for label, cell in zip(HOSTILE, written, strict=False):
        assert cell == "'" + label, (label, cell)
    assert written[len(HOSTILE) :] == HARMLESS
    assert read_estimates(path, dtype={"group": str})["group"].tolist() == HOSTILE + HARMLESS


def test_a_table_without_text_in_an_object_column_is_written(tmp_path):
    """A section with no figures of a kind has columns of numbers and None as objects (a force
    with no stop-and-search data): the rule leaves them as they are."""
    frame = _frame(["all"]).astype(object)
    frame["flags"] = [None]
    write_estimates(frame, tmp_path / "t.csv")
    back = read_estimates(tmp_path / "t.csv")
    assert back["numerator"].tolist() == [11] and back["group"].tolist() == ["all"]


def test_the_job_s_estimates_csv_neither_loses_nor_doubles_the_quote(tmp_path):
    """estimates.csv is built by reading the sections' tables back: the text goes through the
    rule once, not twice."""
    from types import SimpleNamespace

    from peelstats.run.execute import write_report

    (tmp_path / "tables").mkdir()
    write_estimates(_frame(HOSTILE), tmp_path / "tables" / "reasonable_grounds.csv")
    write_report(tmp_path, SimpleNamespace(), None, None, executed=[])
    estimates = tmp_path / "tables" / "estimates.csv"
    cells = pd.read_csv(estimates, dtype=str, keep_default_na=False)["group"].tolist()
    assert cells == ["'" + label for label in HOSTILE]
    assert read_estimates(estimates, dtype={"group": str})["group"].tolist() == HOSTILE


def test_all_forces_csv_neutralises_and_reads_back(tmp_path, monkeypatch):
    from peelstats.analysis import funnels
    from peelstats.run import shared

    summary = pd.DataFrame({c: [1, 2] for c in funnels.SUMMARY_COLUMNS})
    summary["force"] = ["=cmd", "durham"]
    summary["linked_status"] = ["@x", "recorded"]
    summary["ethnicity_status"] = ["recorded", "recorded"]
    monkeypatch.setattr(shared, "all_forces_summary", lambda *a: summary)
    monkeypatch.setattr(shared.SearchData, "load", staticmethod(lambda source: None))
    folder = shared.write_shared("2021Q3", tmp_path)
    text = (folder / "all_forces.csv").read_text()
    assert "\n'=cmd," in text and ",'@x," in text
    back = funnels.read_all_forces(folder / "all_forces.csv")
    assert back["force"].tolist() == ["=cmd", "durham"]
    assert back["linked_status"].tolist() == ["@x", "recorded"]


def _write_xlsx(tables: Path, target: Path) -> Path:
    from peelstats.report.spreadsheet import write_xlsx

    return write_xlsx(tables, target, force_name="F", period_words="the year", results={},
                      confidence=0.95)  # fmt: skip


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(
            z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/")
        )


def test_spreadsheet_stores_hostile_text_as_text_never_as_a_formula(tmp_path):
    from openpyxl import load_workbook

    tables = tmp_path / "tables"
    tables.mkdir()
    write_estimates(_frame(HOSTILE + HARMLESS), tables / "reasonable_grounds.csv")
    _write_xlsx(tables, tmp_path / "estimates.xlsx")
    assert "<f>" not in _sheet_xml(tmp_path / "estimates.xlsx")  # no formula anywhere
    sheet = load_workbook(tmp_path / "estimates.xlsx")["Reasonable grounds"]
    header = [c.value for c in sheet[1]]
    cells = [row[header.index(sheets.COLUMNS["group"])] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "s" for c in cells)
    values = [c.value for c in cells]
    assert values[: len(HOSTILE)] == ["'" + label for label in HOSTILE]
    assert values[len(HOSTILE) :] == HARMLESS
    column = header.index(sheets.COLUMNS["estimate"])
    estimates = [row[column].value for row in sheet.iter_rows(min_row=2)]
    assert all(isinstance(v, float) for v in estimates)  # numbers stay numbers


# ----------------------------------------------------------------------------- control characters

#: every C0 control XML cannot hold, an escape sequence among them
CONTROL = "ethnic\x0bminority \x00\x01\x08\x0c\x0e\x1b[31m\x1f end"


def test_spreadsheet_replaces_control_characters(tmp_path):
    from openpyxl import load_workbook

    tables = tmp_path / "tables"
    tables.mkdir()
    write_estimates(_frame([CONTROL, "=\x0b"]), tables / "reasonable_grounds.csv")
    _write_xlsx(tables, tmp_path / "estimates.xlsx")
    sheet = load_workbook(tmp_path / "estimates.xlsx")["Reasonable grounds"]
    header = [c.value for c in sheet[1]]
    values = [
        row[header.index(sheets.COLUMNS["group"])].value for row in sheet.iter_rows(min_row=2)
    ]
    assert values == [
        "ethnic\ufffdminority \ufffd\ufffd\ufffd\ufffd\ufffd\ufffd[31m\ufffd end",
        "'=\ufffd",
    ]


def _report_html(folder: Path, text: str) -> Path:
    import html

    e = html.escape(text)
    page = (
        f"<html><body><h2 id='summary'>Summary {e}</h2><ul class='peelstats-summary'><li>{e}</li>"
        f"</ul><h3>{e}</h3><p>{e}</p><table><caption>{e}</caption><tr><th>{e}</th></tr>"
        f"<tr><td>{e}</td></tr></table></body></html>"
    )
    path = folder / "report.html"
    path.write_text(page, encoding="utf-8")
    return path


def test_word_paper_replaces_control_characters(tmp_path):
    from docx import Document

    from peelstats.report.paper import write_docx

    report = _report_html(tmp_path, CONTROL)
    write_docx(report, tmp_path, tmp_path / "report.docx", f"Title {CONTROL}")
    document = Document(str(tmp_path / "report.docx"))
    texts = [p.text for p in document.paragraphs] + [
        c.text for t in document.tables for r in t.rows for c in r.cells
    ]
    shown = "ethnic\ufffdminority"
    assert sum(shown in t for t in texts) >= 6
    assert not any(ch in t for t in texts for ch in "\x00\x01\x0b\x1b")


def test_a_chart_label_with_control_characters_renders(tmp_path):
    """In a subprocess: before the fix, the renderer aborted the whole process."""
    code = (
        "import pandas as pd\n"
        "from peelstats.report.charts import interval_chart, render, to_png\n"
        "label = 'Controlled\\x0bdrugs \\x1b[31m\\x00'\n"
        "frame = pd.DataFrame({'group': [label, 'b'], 'estimate': [1.0, 2.0],"
        " 'lower': [0.5, 1.5], 'upper': [1.5, 2.5]})\n"
        "svg = render(interval_chart(frame, label, 'x'))\n"
        "png = to_png(svg)\n"
        "import xml.dom.minidom; xml.dom.minidom.parseString(svg)\n"
        "assert png.startswith(b'\\x89PNG') and 'Controlled\\ufffddrugs' in svg\n"
        "print('ok')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr[-2000:]


# ----------------------------------------------------------------------------- disk full


def _full_disk_after(monkeypatch, nbytes: int):
    """Make every atomic write fail with ENOSPC once ``nbytes`` have been written to its
    temporary file, as a full disk does mid-write."""
    import peelstats.files as files

    real = files.os.fdopen

    class Full(io.RawIOBase):
        def __init__(self, fh):
            self.fh, self.left = fh, nbytes

        def write(self, data):
            if len(data) > self.left:
                self.fh.write(bytes(data[: self.left]))
                self.fh.flush()
                raise OSError(errno.ENOSPC, "No space left on device")
            self.left -= len(data)
            return self.fh.write(data)

        def fileno(self):
            return self.fh.fileno()

        def flush(self):
            self.fh.flush()

        def __exit__(self, *exc):
            self.fh.close()

    monkeypatch.setattr(files.os, "fdopen", lambda fd, mode, **kw: Full(real(fd, mode, **kw)))


@pytest.mark.parametrize("name", ["report.docx", "estimates.xlsx", "report.pdf"])
def test_a_full_disk_mid_write_keeps_the_earlier_file(tmp_path, monkeypatch, name):
    from peelstats.report import paper

    earlier = b"the earlier " + name.encode() + b"\n" * 1000
    (tmp_path / name).write_bytes(earlier)
    tables = tmp_path / "tables"
    tables.mkdir()
    write_estimates(_frame(HARMLESS), tables / "stop_search.csv")
    report = _report_html(tmp_path, "text")
    monkeypatch.setattr(paper, "_print_pdf", lambda *args: b"%PDF-1.7\n" * 5000)
    monkeypatch.setattr(paper, "find_chromium", lambda: "chromium")
    _full_disk_after(monkeypatch, 2048)
    write = {
        "report.docx": lambda: paper.write_docx(report, tmp_path, tmp_path / name, "T"),
        "estimates.xlsx": lambda: _write_xlsx(tables, tmp_path / name),
        "report.pdf": lambda: paper.write_pdf(report, tmp_path / name),
    }[name]
    with pytest.raises(OSError) as raised:
        write()
    assert raised.value.errno == errno.ENOSPC
    assert (tmp_path / name).read_bytes() == earlier
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([name, "tables", "report.html"])


def test_a_full_disk_while_writing_the_paper_is_raised_not_noted(tmp_path, monkeypatch):
    """One optional output never sinks the others, but a full disk is not an optional output's
    problem: the job fails, so the earlier report (and its paper) stays published."""
    from peelstats.report import documents

    tables = tmp_path / "tables"
    tables.mkdir()
    write_estimates(_frame(HARMLESS), tables / "stop_search.csv")
    _report_html(tmp_path, "text")
    _full_disk_after(monkeypatch, 2048)
    with pytest.raises(OSError) as raised:
        documents.write_paper(tmp_path, "durham", "F", "2021Q2", pdf=False)
    assert raised.value.errno == errno.ENOSPC


# ----------------------------------------------------------------------------- Chromium


def test_a_chromium_that_never_answers_is_one_note_and_is_stopped(tmp_path):
    """In a subprocess (before the fix it waited for ever): a Chromium that never opens its
    DevTools endpoint costs the PDF, after the start deadline, and is not left running."""
    import os
    import signal
    import time

    pidfile = tmp_path / "chromium.pid"
    fake = tmp_path / "chromium"
    fake.write_text(f'#!/bin/sh\necho $$ > "{pidfile}"\nexec sleep 600\n')
    fake.chmod(0o755)
    _report_html(tmp_path, "text")
    code = (
        "import sys\nfrom pathlib import Path\nfrom peelstats.report import documents, paper\n"
        "paper.CHROMIUM_START = 3\n"
        "notes = documents.write_paper(Path(sys.argv[1]), 'durham', 'F', '2021Q2', pdf=True)\n"
        "print('\\n'.join(notes))\n"
    )
    env = {**os.environ, "PEELSTATS_CHROMIUM": str(fake)}
    try:
        proc = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                              text=True, env=env, timeout=120)  # fmt: skip
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert "report.pdf not written" in proc.stdout and "DevTools" in proc.stdout
        assert (tmp_path / "report.docx").is_file() and not (tmp_path / "report.pdf").exists()
        pid = int(pidfile.read_text())
        deadline = time.monotonic() + 10
        while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not Path(f"/proc/{pid}").exists()
    finally:
        if pidfile.exists() and Path(f"/proc/{int(pidfile.read_text())}").exists():
            os.kill(int(pidfile.read_text()), signal.SIGKILL)
