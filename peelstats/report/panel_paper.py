"""The Panel paper: panel-paper.docx and panel-paper.pdf, the few pages a Police and Crime Panel
reads, with the full statistical report as its appendix.

In the shape of the papers Panels already read (a heading block with the Panel, the date, who
reports and a contact; Purpose; Background; the findings in numbered paragraphs; questions the
Panel may wish to ask; a Recommendation; the appendices), built from the report's saved results
and the analyst's ``panel-paper.toml`` (:mod:`peelstats.report.paper_settings`). Every word is
:mod:`peelstats.report.wording.paper`'s. The PDF is the same content as HTML printed by headless
Chromium with "Page N of M" in the footer; the Word document is built on the restylable
template, with the same footer as page-number fields.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from peelstats.files import atomic_write, write_optional
from peelstats.report.display import cell_kind
from peelstats.report.wording import paper as wp


@dataclass(frozen=True)
class PanelPaper:
    """Everything a Panel paper says, in order."""

    title: str
    heading: tuple[tuple[str, str], ...]
    purpose: str
    background: str
    findings: tuple[str, ...]
    glance: pd.DataFrame | None
    since: tuple[str, ...]
    questions: tuple[str, ...]
    recommendation: str
    appendix: str
    date: dt.date | None
    author: str


def build_paper(force_name: str, period: str, results: dict, settings, since=None,
                extra_questions=()) -> PanelPaper:  # fmt: skip
    """The paper for one force and period from its saved results."""
    return PanelPaper(
        title=wp.paper_title(force_name, period),
        heading=tuple(wp.heading_block(settings)),
        purpose=wp.purpose(force_name, period),
        background=wp.background(results),
        findings=tuple(wp.findings(results)),
        glance=wp.glance_table(results),
        since=tuple(wp.since_paragraphs(since)),
        questions=tuple(wp.panel_questions(results, extra_questions)),
        recommendation=wp.recommendation(force_name, period),
        appendix=wp.appendix_line(),
        date=settings.date,
        author=settings.organisation,
    )


# ----------------------------------------------------------------------------- HTML (for the PDF)

_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm; }
body { font-family: Arial, Helvetica, sans-serif; font-size: 11pt; line-height: 1.45;
       color: #1d1d1d; max-width: 48rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 18pt; margin: 0.2rem 0 0.8rem; color: #1f2a44; }
h2 { font-size: 13pt; margin: 1.1rem 0 0.4rem; color: #1f2a44; break-after: avoid; }
table { border-collapse: collapse; width: 100%; font-size: 10pt; margin: 0.4rem 0 0.8rem; }
caption { text-align: left; font-weight: 600; padding: 0.2rem 0; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.4rem; text-align: left;
         vertical-align: top; }
thead th { background: #eef0f4; }
td.num, td.interval { text-align: right; }
td.interval { white-space: nowrap; }
table.heading th { width: 10rem; background: #eef0f4; }
ol li { margin-bottom: 0.45rem; }
tr, li, .closing { break-inside: avoid; }
.appendix { font-size: 10pt; color: #333; }
.source { font-size: 9pt; color: #555; }
"""


def _table_html(frame: pd.DataFrame, caption: str, cls: str = "") -> str:
    e = html.escape
    head = "".join(f'<th scope="col">{e(str(c))}</th>' for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(
            f'<th scope="row">{e(str(v))}</th>' if i == 0 else
            f'<td class="{cell_kind(str(v))}">{e(str(v))}</td>'
            for i, v in enumerate(row)
        ) + "</tr>"
        for row in frame.itertuples(index=False)
    )  # fmt: skip
    klass = f' class="{cls}"' if cls else ""
    return (
        f"<table{klass}><caption>{e(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def render_html(paper: PanelPaper) -> str:
    """The paper as one self-contained, offline HTML page (for reading and for the PDF)."""
    from peelstats.config import OGL_ATTRIBUTION

    e = html.escape
    heading = "".join(
        f'<tr><th scope="row">{e(label)}</th><td>{e(value)}</td></tr>'
        for label, value in paper.heading
    )
    parts = [
        f'<h1 id="title">{e(paper.title)}</h1>',
        f'<table class="heading"><caption>About this paper</caption><tbody>{heading}'
        "</tbody></table>",
        f"<h2>1. {e(wp.PURPOSE_HEADING)}</h2><p>{e(paper.purpose)}</p>",
        f"<h2>2. {e(wp.BACKGROUND_HEADING)}</h2><p>{e(paper.background)}</p>",
        f"<h2>3. {e(wp.FINDINGS_HEADING)}</h2>",
        "<ol>" + "".join(f"<li>{e(s)}</li>" for s in paper.findings) + "</ol>",
    ]
    if paper.glance is not None and not paper.glance.empty:
        parts.append(_table_html(paper.glance, wp.GLANCE_CAPTION))
    number = 4
    if paper.since:
        parts.append(f"<h2>{number}. {e(wp.SINCE_HEADING)}</h2>")
        parts += [f"<p>{e(s)}</p>" for s in paper.since]
        number += 1
    parts.append(f"<h2>{number}. {e(wp.QUESTIONS_HEADING)}</h2>")
    parts.append("<ol>" + "".join(f"<li>{e(q)}</li>" for q in paper.questions) + "</ol>")
    parts.append(  # the closing parts are short: printed together, never split by a page
        f'<div class="closing"><h2>{number + 1}. {e(wp.RECOMMENDATION_HEADING)}</h2>'
        f"<p>{e(paper.recommendation)}</p>"
        f"<h2>{number + 2}. {e(wp.APPENDICES_HEADING)}</h2>"
        f'<p class="appendix">{e(paper.appendix)}</p>'
        f'<p class="source">{e(OGL_ATTRIBUTION)}</p></div>'
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(paper.title)}</title><style>{_CSS}</style></head><body><main>"
        + "\n".join(parts)
        + "</main></body></html>\n"
    )


# ----------------------------------------------------------------------------- Word


def render_docx(paper: PanelPaper, target: Path) -> Path:
    """panel-paper.docx on the restylable template (see :mod:`peelstats.report.paper`)."""
    from docx import Document

    from peelstats.config import OGL_ATTRIBUTION
    from peelstats.report import paper as word

    document = Document(str(word.TEMPLATE))
    word.set_properties(document, paper.title, paper.author, paper.date)
    word.page_number_footer(document, paper.title)
    document.add_paragraph(paper.title, style="Title")
    word.add_table(document, pd.DataFrame(list(paper.heading), columns=["", ""]),
                   "About this paper", header=False)  # fmt: skip
    sections = [(wp.PURPOSE_HEADING, [paper.purpose]), (wp.BACKGROUND_HEADING,
                                                        [paper.background])]  # fmt: skip
    number = 1
    for heading, paragraphs in sections:
        word.heading(document, f"{number}. {heading}")
        for text in paragraphs:
            document.add_paragraph(text)
        number += 1
    word.heading(document, f"{number}. {wp.FINDINGS_HEADING}")
    for text in paper.findings:
        document.add_paragraph(text, style="List Number")
    if paper.glance is not None and not paper.glance.empty:
        word.add_table(document, paper.glance, wp.GLANCE_CAPTION)
    number += 1
    if paper.since:
        word.heading(document, f"{number}. {wp.SINCE_HEADING}")
        for text in paper.since:
            document.add_paragraph(text)
        number += 1
    word.heading(document, f"{number}. {wp.QUESTIONS_HEADING}")
    for text in paper.questions:
        document.add_paragraph(text, style="List Bullet")
    word.heading(document, f"{number + 1}. {wp.RECOMMENDATION_HEADING}")
    document.add_paragraph(paper.recommendation)
    word.heading(document, f"{number + 2}. {wp.APPENDICES_HEADING}")
    document.add_paragraph(paper.appendix)
    document.add_paragraph(OGL_ATTRIBUTION, style="Quote")
    buffer = io.BytesIO()
    document.save(buffer)
    atomic_write(target, buffer.getvalue())
    return target


def write_panel_paper(work: Path, paper: PanelPaper, pdf: bool = True) -> list[str]:
    """panel-paper.docx and panel-paper.pdf (and the HTML the PDF is printed from) in
    ``work``; one line per output that could not be written."""
    from peelstats.report import paper as word

    notes = []
    page = work / "panel-paper.html"

    def pdf_step():
        if word.write_pdf(page, work / "panel-paper.pdf", footer=paper.title) is None:
            notes.append(word.INSTALL_CHROMIUM.replace("report.pdf", "panel-paper.pdf"))

    def docx_step():
        atomic_write(page, render_html(paper))
        render_docx(paper, work / "panel-paper.docx")

    write_optional([("panel-paper.docx", docx_step)], notes)
    if pdf and page.is_file():
        write_optional([("panel-paper.pdf", pdf_step)], notes)
    return notes
