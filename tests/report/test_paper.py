"""The paper outputs of the shared batch (five forces with ``--paper``, panel-paper.toml filled
in): the Panel paper (panel-paper.docx and .pdf), the full report (report.docx and a tagged A4
report.pdf) and estimates.xlsx. Expected values are read from report.html, the section CSVs and
the settings file, not from the writers; the layout is read back from the PDFs' text layer."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from reporthelpers import PERIOD, pdf_pages

pytestmark = pytest.mark.slow
FORCES = ("durham", "west-midlands", "humberside", "cumbria", "north-yorkshire")


def folder(out, force="durham"):
    return out / "main" / PERIOD / force


# ----------------------------------------------------------------------------- the Panel paper


def test_every_panel_paper_is_at_most_six_pages_with_page_numbers(out, chromium):
    for force in FORCES:
        pages = pdf_pages(folder(out, force) / "panel-paper.pdf")
        assert 1 <= len(pages) <= 6, force
        for number, page in enumerate(pages, start=1):
            assert f"Page {number} of {len(pages)}" in page["footer"], (force, page["footer"])


def test_the_panel_paper_has_its_parts_in_order(out, chromium):
    from docx import Document

    page = BeautifulSoup((folder(out) / "panel-paper.html").read_text(encoding="utf-8"),
                         "html.parser")  # fmt: skip
    heading = {th.get_text(strip=True): th.find_next("td").get_text(strip=True)
               for th in page.select("table.heading th")}  # fmt: skip
    assert heading == {
        "Panel": "Police and Crime Panel",
        "Date": "10 December 2026",
        "Report of": "the Police and Crime Commissioner",
        "Contact officer": "A. N. Analyst, Performance Analyst, 0123 456 7890, analyst@example.org",
    }
    titles = [h.get_text(strip=True) for h in page.find_all("h2")]
    expected = ["Purpose", "Background", "Key findings", "Since the last paper",
                "Questions the Panel may wish to ask", "Recommendation", "Appendices"]  # fmt: skip
    assert [re.sub(r"^\d+\. ", "", t) for t in titles] == expected
    lists = page.find_all("ol")
    findings, questions = lists[0].find_all("li"), lists[1].find_all("li")
    assert 1 <= len(findings) <= 6 and 3 <= len(questions) <= 6
    said = " ".join(li.get_text(" ") for li in findings)
    for figure in ("2.4 times", "12.7 percent", "77.2 percent", "89.5 percent"):
        assert figure in said  # the inspectorate's figures beside ours
    assert any("fall of 10.6 percent" in q.get_text() for q in questions)
    assert page.find(string=re.compile("The Panel is asked to note"))
    assert page.find(string=re.compile(r"report\.pdf and report\.docx.*estimates\.xlsx"))
    doc = Document(str(folder(out) / "panel-paper.docx"))
    texts = [p.text for p in doc.paragraphs]
    assert any(t.endswith("Questions the Panel may wish to ask") for t in texts)
    assert sum(p.style.name == "List Bullet" for p in doc.paragraphs) == len(questions)


def test_questions_are_drawn_from_each_forces_own_findings(out, chromium):
    asked = {}
    for force in FORCES:
        page = BeautifulSoup((folder(out, force) / "panel-paper.html").read_text(
            encoding="utf-8"), "html.parser")  # fmt: skip
        questions = [li.get_text(" ", strip=True) for li in page.find_all("ol")[1].find_all("li")]
        assert 3 <= len(questions) <= 6, force
        asked[force] = questions
    assert len({tuple(q) for q in asked.values()}) == len(FORCES)  # not a fixed list
    assert any("not recorded" in q for q in asked["north-yorkshire"])  # 96% unrecorded


def test_since_the_last_paper_tests_the_quarter_gained_against_the_quarter_dropped(out, chromium):
    page = (folder(out) / "panel-paper.html").read_text(encoding="utf-8")
    text = " ".join(BeautifulSoup(page, "html.parser").get_text(" ").split())
    assert "The last paper covered the year ending 30 June 2021" in text
    assert "adds July to September 2021 and drops July to September 2020" in text
    for force in ("cumbria", "humberside"):  # no earlier paper of theirs in the folder
        assert "Since the last paper" not in (folder(out, force) / "panel-paper.html").read_text()


# ----------------------------------------------------------------------------- Word


def test_word_documents_have_page_numbers_dates_and_true_properties(out):
    import datetime as dt

    from docx import Document

    for name in ("report.docx", "panel-paper.docx"):
        doc = Document(str(folder(out) / name))
        footer = doc.sections[0].footer._element.xml
        assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer, name
        props = doc.core_properties
        assert props.created.date() == dt.date(2026, 12, 10), name
        assert props.author == "Office of the Police and Crime Commissioner", name
        assert props.title.startswith(("Durham", "Stop and search in Durham")), name
    texts = [p.text for p in Document(str(folder(out) / "report.docx")).paragraphs]
    assert texts[1] == "10 December 2026"  # the date of the paper on page 1


def test_word_report_has_real_tables_alt_text_and_summary_first(out):
    from docx import Document

    doc = Document(str(folder(out) / "report.docx"))
    assert len(doc.tables) >= 3
    xml = doc.element.xml
    pictures = xml.count("<pic:pic")
    described = re.findall(r'<wp:docPr [^>]*descr="([^"]+)"', xml)
    assert pictures >= 5 and len(described) == pictures
    assert all(len(d) > 40 for d in described)
    assert "<w:tblHeader" in xml and "<w:noWrap/>" in xml  # header rows; intervals unwrapped
    styles = [p.style.name for p in doc.paragraphs]
    texts = [p.text for p in doc.paragraphs]
    assert styles[0] == "Title"
    soup = BeautifulSoup((folder(out) / "report.html").read_text(encoding="utf-8"), "html.parser")
    summary = [li.get_text(" ", strip=True) for li in soup.select("ul.peelstats-summary li")]
    assert summary and texts.index(summary[0]) < texts.index(
        soup.find("h2", id="stop-search").get_text(" ", strip=True)
    )
    assert all(styles[texts.index(s)] == "List Number" for s in summary)
    headings = [t for t, s in zip(texts, styles, strict=True) if s.startswith("Heading")]
    assert "Summary" in headings and len(headings) > 8


# ----------------------------------------------------------------------------- spreadsheet


def test_spreadsheet_has_a_sheet_per_section_with_percentages(out):
    from openpyxl import load_workbook

    book = load_workbook(folder(out) / "estimates.xlsx")
    sections = sorted(p.stem for p in (folder(out) / "tables").glob("*.csv")
                      if p.stem != "estimates")  # fmt: skip
    assert len(book.sheetnames) == len(sections) + 3  # About, Trends, Funnel plots
    sheet = book["Stop and search"]
    header = [c.value for c in sheet[1]]
    assert {"Estimate", "Lower limit", "Upper limit", "Unit", "Notes"} <= set(header)
    csv = pd.read_csv(folder(out) / "tables" / "stop_search.csv")
    row = csv[(csv["measure"] == "linked_find_rate") & (csv["group"] == "all")].iloc[0]
    for cells in sheet.iter_rows(min_row=2):
        values = {h: c for h, c in zip(header, cells, strict=True)}
        if values["Measure"].value == "linked_find_rate" and values["Group"].value == "all":
            assert values["Estimate"].value == pytest.approx(row["estimate"])
            assert values["Lower limit"].value == pytest.approx(row["lower"])
            assert "%" in values["Estimate"].number_format
            break
    else:
        pytest.fail("linked_find_rate for all people not in the sheet")
    counts = [r for r in sheet.iter_rows(min_row=2) if r[header.index("Measure")].value ==
              "searches"]  # fmt: skip
    assert counts and all("%" not in r[header.index("Estimate")].number_format for r in counts)


# ----------------------------------------------------------------------------- PDF


def test_pdf_is_tagged_a4(out, chromium):
    for name in ("report.pdf", "panel-paper.pdf"):
        data = (folder(out) / name).read_bytes()
        assert data.startswith(b"%PDF")
        assert b"/StructTreeRoot" in data  # tagged: it has a structure tree
        boxes = set(re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data))
        assert boxes and all(abs(float(w) - 595) < 1 and abs(float(h) - 842) < 1 for w, h in boxes)


def _labels(html_path, selector="h1, h2, h3, h4, table > caption"):
    soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    return [" ".join(tag.get_text(" ", strip=True).split())
            for tag in soup.select(selector)]  # fmt: skip


def _is_label(line, labels):
    return any(lab == line or (len(line) >= 12 and lab.endswith(line)) for lab in labels)


def _table_lines(html_path) -> dict[str, int]:
    """Each table's caption and the lines its whole table takes (header and body rows)."""
    soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    return {" ".join(t.caption.get_text(" ", strip=True).split()): len(t.find_all("tr"))
            for t in soup.find_all("table") if t.caption}  # fmt: skip


def _chart_texts(html_path) -> set[str]:
    """The text drawn inside the report's SVG charts (titles, axes), which pdfium also reads."""
    import base64

    soup = BeautifulSoup(html_path.read_text(encoding="utf-8"), "html.parser")
    texts = set()
    for img in soup.find_all("img", src=re.compile(r"^data:image/svg\+xml;base64,")):
        svg = BeautifulSoup(base64.b64decode(img["src"].split(",", 1)[1]), "html.parser")
        texts |= {" ".join(t.get_text(" ", strip=True).split()) for t in svg.find_all("text")}
    return texts


def test_no_page_ends_in_a_heading_or_a_heading_with_one_paragraph(out, chromium):
    """From pdfium's text layer: no page but the last ends with a heading, a caption or a
    glossary term without its definition, or with a heading followed only by a paragraph of a
    few lines, its table or chart left to the next page (a caption followed by its whole table
    is not stranded)."""
    for force in FORCES:
        for name in ("report.pdf", "panel-paper.pdf"):
            html = folder(out, force) / name.replace(".pdf", ".html")
            labels = [lab for lab in _labels(html) if lab]
            terms = [lab for lab in _labels(html, "dt") if lab]
            whole = _table_lines(html)
            drawn = _chart_texts(html)
            pages = pdf_pages(folder(out, force) / name)
            stranded = []
            for number, page in enumerate(pages[:-1], start=1):
                lines = page["lines"]
                if lines and _is_label(lines[-1], terms):
                    stranded.append((number, lines[-1], []))
                heads = [i for i, line in enumerate(lines)
                         if line not in drawn and _is_label(line, labels)]  # fmt: skip
                if not heads:
                    continue
                after = lines[heads[-1] + 1 :]
                if whole.get(lines[heads[-1]], 0) and len(after) >= whole[lines[heads[-1]]]:
                    continue  # a short table, whole under its caption
                if len(after) <= 3 and sum(len(a) for a in after) < 330:
                    stranded.append((number, lines[heads[-1]], after))
            assert not stranded, (force, name, stranded)


def test_no_block_kept_together_leaves_a_third_of_a_page_blank(out, chromium):
    for force in FORCES:
        for name in ("report.pdf", "panel-paper.pdf"):
            pages = pdf_pages(folder(out, force) / name)
            blank = [(i, round(p["blank"], 2)) for i, p in enumerate(pages[:-1], start=1)
                     if p["blank"] > 1 / 3]  # fmt: skip
            assert not blank, (force, name, blank)


def test_without_chromium_one_line_and_the_other_outputs(tmp_path):
    env = {**os.environ, "PEELSTATS_CHROMIUM": ""}
    run = subprocess.run(
        [sys.executable, "-m", "peelstats", "run", "--force", "cumbria", "--period", "2021Q3",
         "--out", str(tmp_path)], capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    notes = [line for line in run.stderr.splitlines() if "pdf not written" in line]
    assert len(notes) == 2 and all("apt-get install chromium" in n for n in notes)
    folder_ = tmp_path / "2021Q3" / "cumbria"
    for name in ("report.docx", "estimates.xlsx", "panel-paper.docx"):
        assert (folder_ / name).is_file()
    assert not (folder_ / "report.pdf").exists() and not (folder_ / "panel-paper.pdf").exists()


def test_a_question_the_inspectorate_would_contradict_is_asked_with_its_figure(out, chromium):
    """Durham's police.uk linked find rate (25.3%) is above the range among the forces compared,
    while the inspectorate calls its 12.7% the lowest in England and Wales: one question sets
    the two side by side, never the funnel's alone. Outcome types are named, not only coded."""
    page = BeautifulSoup((folder(out) / "panel-paper.html").read_text(encoding="utf-8"),
                         "html.parser")  # fmt: skip
    questions = [li.get_text(" ", strip=True) for li in page.find_all("ol")[1].find_all("li")]
    about_finds = [q for q in questions if "linked find rate" in q]
    assert len(about_finds) == 1
    assert "25.3 percent" in about_finds[0] and "12.7 percent" in about_finds[0]
    assert "lowest linked find rate in England and Wales" in about_finds[0]
    outcomes = [q for q in questions if "2017/18" in q]
    assert all(not re.search(r"outcome types? [\d ,and]+ were", q) for q in outcomes)
