"""The Panel paper for Durham 2021Q3: report.docx (real tables, alt text, heading styles,
summary first), estimates.xlsx (a sheet per section, percentages as percentages, limits in
their own columns) and a tagged A4 report.pdf; without Chromium, one line and the rest still
written. Expected values are read from report.html and the section CSVs, not from the writers."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pandas as pd
import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    out = tmp_path_factory.mktemp("paper")
    run = subprocess.run(
        [sys.executable, "-m", "peelstats", "run", "--force", "durham", "--period", "2021Q3",
         "--out", str(out)], capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return out / "2021Q3" / "durham"


def test_word_paper_has_real_tables_alt_text_and_summary_first(folder):
    from docx import Document

    doc = Document(str(folder / "report.docx"))
    assert len(doc.tables) >= 3
    xml = doc.element.xml
    pictures = xml.count("<pic:pic")
    described = re.findall(r'<wp:docPr [^>]*descr="([^"]+)"', xml)
    assert pictures >= 5 and len(described) == pictures
    assert all(len(d) > 40 for d in described)
    styles = [p.style.name for p in doc.paragraphs]
    texts = [p.text for p in doc.paragraphs]
    assert styles[0] == "Title" and texts[1] == "Purpose"
    assert "Recommendation" in texts and any(t.startswith("The Panel is asked to note") for t in
                                             texts)  # fmt: skip
    # the summary (as report.html gives it) comes before the first section's heading
    soup = BeautifulSoup((folder / "report.html").read_text(encoding="utf-8"), "html.parser")
    summary = [li.get_text(" ", strip=True) for li in soup.select("ul.peelstats-summary li")]
    assert summary and texts.index(summary[0]) < texts.index(
        soup.find("h2", id="stop-search").get_text(" ", strip=True)
    )
    assert all(styles[texts.index(s)] == "List Number" for s in summary)
    headings = [t for t, s in zip(texts, styles, strict=True) if s.startswith("Heading")]
    assert "Summary" in headings and len(headings) > 8


def test_spreadsheet_has_a_sheet_per_section_with_percentages(folder):
    from openpyxl import load_workbook

    book = load_workbook(folder / "estimates.xlsx")
    sections = sorted(p.stem for p in (folder / "tables").glob("*.csv") if p.stem != "estimates")
    assert len(book.sheetnames) == len(sections)
    sheet = book["Stop and search"]
    header = [c.value for c in sheet[1]]
    assert {"estimate", "lower limit", "upper limit", "notes"} <= set(header)
    csv = pd.read_csv(folder / "tables" / "stop_search.csv")
    row = csv[(csv["measure"] == "linked_find_rate") & (csv["group"] == "all")].iloc[0]
    for cells in sheet.iter_rows(min_row=2):
        values = {h: c for h, c in zip(header, cells, strict=True)}
        if values["measure"].value == "linked_find_rate" and values["group"].value == "all":
            assert values["estimate"].value == pytest.approx(row["estimate"])
            assert values["lower limit"].value == pytest.approx(row["lower"])
            assert "%" in values["estimate"].number_format
            break
    else:
        pytest.fail("linked_find_rate for all people not in the sheet")
    counts = [r for r in sheet.iter_rows(min_row=2) if r[0].value == "searches"]
    assert counts and all("%" not in r[header.index("estimate")].number_format for r in counts)


def test_pdf_is_tagged_a4(folder, chromium):
    data = (folder / "report.pdf").read_bytes()
    assert data.startswith(b"%PDF")
    assert b"/StructTreeRoot" in data  # tagged: it has a structure tree
    boxes = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data))
    assert boxes and all(abs(float(w) - 595) < 1 and abs(float(h) - 842) < 1 for w, h in boxes)


def test_pdf_strands_no_heading_at_a_page_foot(folder, chromium):
    """Rasterise-free check with pdfium's text layer: the last line of each page is not a
    heading or a table caption (or the tail of a wrapped one) from report.html."""
    import pypdfium2 as pdfium

    soup = BeautifulSoup((folder / "report.html").read_text(encoding="utf-8"), "html.parser")
    labels = [
        " ".join(tag.get_text(" ", strip=True).split())
        for tag in soup.select("h1, h2, h3, h4, table > caption")
    ]
    assert len(labels) > 10
    pdf = pdfium.PdfDocument(str(folder / "report.pdf"))
    stranded = []
    for number in range(len(pdf)):
        text = pdf[number].get_textpage().get_text_range().replace("\ufffe", "-")
        lines = [" ".join(line.split()) for line in text.splitlines() if line.strip()]
        last = lines[-1]
        if any(label == last or (len(last) >= 12 and label.endswith(last)) for label in labels):
            stranded.append((number + 1, last))
    assert len(pdf) > 5 and not stranded


def test_without_chromium_one_line_and_the_other_outputs(tmp_path):
    env = {**os.environ, "PEELSTATS_CHROMIUM": ""}
    run = subprocess.run(
        [sys.executable, "-m", "peelstats", "run", "--force", "cumbria", "--period", "2021Q3",
         "--out", str(tmp_path)], capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    notes = [line for line in run.stderr.splitlines() if "report.pdf not written" in line]
    assert len(notes) == 1 and "apt-get install chromium" in notes[0]
    folder = tmp_path / "2021Q3" / "cumbria"
    assert (folder / "report.docx").is_file() and (folder / "estimates.xlsx").is_file()
    assert not (folder / "report.pdf").exists()
