"""The full report in Word and PDF, and the Word and Chromium helpers the Panel paper shares
(:mod:`peelstats.report.documents` writes every paper output of a report folder).

- ``report.docx`` (python-docx) follows report.html, summary first, in the shape of a Police and
  Crime Panel paper: a Purpose paragraph, the summary as numbered paragraphs, each section under
  Word heading styles with real Word tables (captions above) and the charts as images with their
  text alternative (each chart's SVG rasterised to PNG as the document is written), and a
  Recommendation. It is built on ``templates/panel_paper.docx``, which
  an analyst may restyle in Word with the force's house style (the styles are what is used).
- ``report.pdf``: report.html printed by headless Chromium through the DevTools protocol
  (``Page.printToPDF`` with ``generateTaggedPDF``), A4, with print CSS that keeps headings with
  what follows them. Where no Chromium is found, one line says how to install it.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from peelstats.files import atomic_write
from peelstats.processes import tied
from peelstats.safe_text import xml_text

TEMPLATE = Path(__file__).parent / "templates" / "panel_paper.docx"
INSTALL_CHROMIUM = (
    "report.pdf not written: no Chromium found (install the Debian package with "
    "'apt-get install chromium', or set PEELSTATS_CHROMIUM to a Chromium binary)"
)


# ----------------------------------------------------------------------------- Word


def _docx_alt(picture, text: str) -> None:
    """Set an inline picture's alternative text (wp:docPr descr), which python-docx lacks."""
    inline = picture._inline
    doc_pr = inline.docPr
    doc_pr.set("descr", text)
    doc_pr.set("title", text[:120])


def _xml_safe_soup(soup):
    """``soup`` with every text and attribute value passed through
    :func:`peelstats.safe_text.xml_text`: text from data (an audit label, a source) may carry
    control characters that a Word document (XML) cannot hold, and python-docx refuses them."""
    from bs4 import NavigableString

    for string in list(soup.find_all(string=True)):
        clean = xml_text(str(string))
        if clean != string:
            string.replace_with(NavigableString(clean))
    for tag in soup.find_all(True):
        for key, value in list(tag.attrs.items()):
            if isinstance(value, str):
                tag[key] = xml_text(value)
            elif isinstance(value, list):
                tag[key] = [xml_text(v) if isinstance(v, str) else v for v in value]
    return soup


def _element(name: str, **attrs):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    element = OxmlElement(name)
    for key, value in attrs.items():
        element.set(qn(key), value)
    return element


def set_properties(document, title: str, author: str, date: dt.date | None) -> None:
    """True document properties: the title, the author (the organisation from the paper
    settings, or none), and the paper's date as created (else the day it is written)."""
    when = dt.datetime.combine(date, dt.time(9, 0)) if date else dt.datetime.now().replace(
        microsecond=0)  # fmt: skip
    props = document.core_properties
    props.title = title
    props.author = author or ""
    props.last_modified_by = author or ""
    props.created = props.modified = when
    props.revision = 1
    props.comments = ""


def page_number_footer(document, title: str) -> None:
    """'<title> - Page N of M' in every footer, as Word fields (PAGE, NUMPAGES)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for section in document.sections:
        footer = section.footer
        paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
        paragraph.text = ""
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(f"{title} - Page ")
        paragraph._p.append(_field("PAGE"))
        paragraph.add_run(" of ")
        paragraph._p.append(_field("NUMPAGES"))


def _field(instruction: str):
    """A simple Word field (its shown value is filled in when the document is opened)."""
    field = _element("w:fldSimple", **{"w:instr": instruction})
    run = _element("w:r")
    text = _element("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    return field


def heading(document, text: str, level: int = 1):
    """A heading kept on the same page as what follows it."""
    paragraph = document.add_heading(text, level=level)
    paragraph.paragraph_format.keep_with_next = True
    return paragraph


def _format_cell(cell, text: str, bold: bool = False) -> None:
    """A table cell's text, aligned by what it holds (numbers right, text left) and, for an
    interval, never wrapped."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from peelstats.report.display import cell_kind

    cell.text = text
    paragraph = cell.paragraphs[0]
    kind = cell_kind(text)
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if kind in ("num", "interval") else (
        WD_ALIGN_PARAGRAPH.LEFT)  # fmt: skip
    if kind == "interval":
        cell._tc.get_or_add_tcPr().append(_element("w:noWrap"))
    if bold:
        for run in paragraph.runs:
            run.bold = True


def add_table(document, frame, caption: str | None, header: bool = True) -> None:
    """A Word table from a frame of text: caption kept with it, header row repeated and read
    as headers, rows never split across pages."""
    if caption:
        document.add_paragraph(caption, style="Caption").paragraph_format.keep_with_next = True
    rows = ([list(map(str, frame.columns))] if header else []) + [
        [str(v) for v in row] for row in frame.itertuples(index=False)
    ]
    _fill_table(document, rows, header)


def _fill_table(document, rows: list[list[str]], header: bool) -> None:
    width = max(len(r) for r in rows)
    table = document.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    for i, values in enumerate(rows):
        cells = table.add_row().cells
        for j, text in enumerate(values):
            _format_cell(cells[j], text, bold=(header and i == 0) or j == 0)
        table.rows[i]._tr.get_or_add_trPr().append(_element("w:cantSplit"))
    if header:
        table.rows[0]._tr.get_or_add_trPr().append(_element("w:tblHeader", **{"w:val": "true"}))


def _table(document, table_tag, caption: str | None) -> None:
    rows = table_tag.find_all("tr")
    if not rows:
        return
    if caption:
        document.add_paragraph(caption, style="Caption").paragraph_format.keep_with_next = True
    _fill_table(document, [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
                           for tr in rows], header=True)  # fmt: skip


def _chart_png(svg: Path, folder: Path) -> str:
    """A chart's PNG for Word, rasterised from its SVG now (only a Word document needs one),
    written under ``folder`` with the chart's name (the name Word keeps for the picture)."""
    from peelstats.report.charts import to_png

    png = folder / f"{svg.stem}.png"
    png.write_bytes(to_png(svg.read_text(encoding="utf-8")))
    return str(png)


def write_docx(report_html: Path, charts: Path, target: Path, title: str, *,
               author: str = "", date: dt.date | None = None) -> Path:  # fmt: skip
    """report.docx, the full statistical report, from report.html: every section under Word
    heading styles, real Word tables (header rows, numbers right, intervals unwrapped), the
    charts with their text alternative and the numbers behind them, the glossary, page numbers
    and true document properties."""
    from bs4 import BeautifulSoup
    from docx import Document
    from docx.shared import Cm

    from peelstats.report.wording.paper import date_words

    soup = _xml_safe_soup(BeautifulSoup(report_html.read_text(encoding="utf-8"), "html.parser"))
    title = xml_text(title)
    document = Document(str(TEMPLATE))
    set_properties(document, title, author, date)
    page_number_footer(document, title)
    document.add_paragraph(title, style="Title")
    if date is not None:
        document.add_paragraph(date_words(date))
    body = soup.body or soup
    previous = None
    pictures = Path(tempfile.mkdtemp(prefix="peelstats-docx-"))
    try:
        for element in body.find_all(["h2", "h3", "p", "li", "table", "figure", "dt", "dd"]):
            if element.find_parent("table") is not None:
                continue
            if element.name == "li" and element.find_parent("figure") is not None:
                continue
            text = element.get_text(" ", strip=True)
            if element.name == "h2":
                heading(document, text, 1)
            elif element.name == "h3":
                heading(document, text, 2)
            elif element.name == "li":
                parent = element.find_parent("ul")
                numbered = parent is not None and "peelstats-summary" in (parent.get("class") or [])
                document.add_paragraph(text, style="List Number" if numbered else "List Bullet")
            elif element.name == "p":
                if element.find_parent("li") is not None or not text:
                    continue
                classes = element.get("class") or []
                style = "Quote" if "peelstats-methods" in classes or "peelstats-source" in classes \
                    else None  # fmt: skip
                paragraph = document.add_paragraph(text, style=style)
                if previous is not None and previous.style.name.startswith("Heading"):
                    paragraph.paragraph_format.keep_with_next = True  # with its table or chart
            elif element.name == "dt":
                paragraph = document.add_paragraph()
                paragraph.add_run(text).bold = True
                paragraph.paragraph_format.keep_with_next = True
            elif element.name == "dd":
                document.add_paragraph(text)
            elif element.name == "table":
                caption = element.find("caption")
                _table(document, element, caption.get_text(" ", strip=True) if caption else None)
            elif element.name == "figure":
                img = element.find("img")
                name = (element.get("id") or "").removeprefix("chart-")
                svg = charts / f"{name}.svg"
                if img is None or not svg.is_file():
                    continue
                picture = document.add_picture(_chart_png(svg, pictures), width=Cm(16))
                _docx_alt(picture, img.get("alt", ""))
            previous = document.paragraphs[-1] if document.paragraphs else None
    finally:
        shutil.rmtree(pictures, ignore_errors=True)
    buffer = io.BytesIO()
    document.save(buffer)
    atomic_write(target, buffer.getvalue())
    return target


# ----------------------------------------------------------------------------- PDF


def find_chromium() -> str | None:
    """PEELSTATS_CHROMIUM when set (and executable), else chromium on PATH, else None."""
    chosen = os.environ.get("PEELSTATS_CHROMIUM")
    if chosen is not None:
        return chosen if chosen and os.access(chosen, os.X_OK) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


#: run in the page before printing report.html: the notebook cells' outputs laid out as one
#: flat column (so that "keep with next" works between a heading, its lead paragraph and its
#: table or chart), a paragraph after a heading kept with it and with what follows, and the numbers
#: behind each chart printed rather than folded away; a short table (8 rows or fewer, at most about
#: a quarter of a page) is kept on one page, and a longer one keeps its caption and header with its
#: first three rows, so a header never ends a page
_PRINT_FLAT = """
(() => {
  const main = document.querySelector('main') || document.body;
  const outputs = main.querySelectorAll('.jp-RenderedHTMLCommon, .jp-RenderedMarkdown');
  if (outputs.length) {
    const flat = document.createElement('div');
    flat.className = 'peelstats-print';
    outputs.forEach(out => Array.from(out.children).forEach(child => flat.appendChild(child)));
    main.replaceChildren(flat);
  }
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  document.querySelectorAll('table').forEach(t => {
    const head = t.querySelector('thead tr');
    if (head && head.children.length >= 9) { t.classList.add('peelstats-wide'); }
    const rows = t.querySelectorAll('tbody tr');
    if (rows.length <= 8 && t.getBoundingClientRect().height <= 260) {
      t.classList.add('peelstats-short');
    } else {
      Array.from(rows).slice(0, 3).forEach(r => r.classList.add('peelstats-keep'));
    }
  });
  const kids = Array.from(document.querySelectorAll('.peelstats-print > *'));
  kids.forEach((el, i) => {
    const prev = kids[i - 1], next = kids[i + 1];
    if (prev && /^H[1-4]$/.test(prev.tagName) && el.tagName === 'P' && next) {
      el.classList.add('peelstats-lead');
    }
  });
})();
"""
_PRINT_CSS = """
.peelstats-print h1, .peelstats-print h2, .peelstats-print h3, .peelstats-lead,
caption, .peelstats-findings-group { break-after: avoid; page-break-after: avoid; }
.peelstats-print figure { break-inside: auto; }
.peelstats-print img, .peelstats-print tr { break-inside: avoid; }
table.peelstats-short { break-inside: avoid; page-break-inside: avoid; }
.peelstats-print thead { break-after: avoid; page-break-after: avoid; }
table.peelstats-wide { font-size: 11px; }
.peelstats-print td.text { min-width: 7em; }
tr.peelstats-keep { break-before: avoid; page-break-before: avoid; }
.peelstats-print p, .peelstats-print li { orphans: 4; widows: 3; }
.peelstats-findings > li:first-child { break-after: avoid; page-break-after: avoid; }
.peelstats-print img { max-height: 7cm; width: auto; max-width: 100%; }
h2#glossary, dl.peelstats-glossary dt, dl.peelstats-glossary dd:first-of-type {
  break-after: avoid; page-break-after: avoid; }
dl.peelstats-glossary dd { break-inside: avoid; page-break-inside: avoid; }
.peelstats-print details > summary { display: none; }
.peelstats-print details { display: block; }
.peelstats-date { color: #333; }
"""


def _footer(title: str) -> str:
    import html

    return (
        '<div style="font-size:8px; width:100%; text-align:center; color:#444;">'
        f'{html.escape(title)} - Page <span class="pageNumber"></span> of '
        '<span class="totalPages"></span></div>'
    )


def write_pdf(report_html: Path, target: Path, timeout: float = 120, *, footer: str = "",
              date_line: str = "", flat: bool = False) -> Path | None:  # fmt: skip
    """A tagged A4 PDF of an HTML page printed by headless Chromium, "Page N of M" (after
    ``footer``) at the foot of every page, ``date_line`` under the title, and with ``flat`` the
    report's print layout (:data:`_PRINT_FLAT`). None, and no file, when no Chromium is
    found."""
    if find_chromium() is None:
        return None
    atomic_write(target, _print_pdf(report_html, timeout, footer, date_line, flat))
    return target


#: how long Chromium may take to open its DevTools endpoint
CHROMIUM_START = 30


def _start_chromium(chromium: str, profile: Path) -> tuple[subprocess.Popen, str]:
    """Start headless Chromium, killed with this process (``peelstats.processes.tied``: a batch
    killed outright leaves no Chromium behind), and return it with its DevTools URL; its log
    goes to a file, so nothing waits on a pipe it does not read."""
    log_path = profile / "chromium.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(
            tied([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--remote-debugging-port=0", f"--user-data-dir={profile / 'profile'}",
                  "about:blank"], os.getpid()),
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=log,
            start_new_session=True,
        )  # fmt: skip
    deadline = time.monotonic() + CHROMIUM_START
    while time.monotonic() < deadline:
        match = re.search(rb"DevTools listening on (ws://\S+)", log_path.read_bytes())
        if match:
            return proc, match.group(1).decode()
        if proc.poll() is not None:
            break
        time.sleep(0.05)
    _stop_chromium(proc)
    raise RuntimeError(f"Chromium did not start its DevTools endpoint within {CHROMIUM_START} s")


def _stop_chromium(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, 15)
        proc.wait(10)
    except (ProcessLookupError, PermissionError, subprocess.TimeoutExpired):
        pass


def _print_pdf(page: Path, timeout: float, footer: str, date_line: str, flat: bool) -> bytes:
    """``page`` printed to PDF by headless Chromium through the DevTools protocol."""
    import websocket

    with tempfile.TemporaryDirectory(prefix="peelstats-pdf-", ignore_cleanup_errors=True) as tmp:
        proc, url = _start_chromium(find_chromium(), Path(tmp))
        try:
            ws = websocket.create_connection(url, timeout=timeout)
            counter = iter(range(1, 1_000_000))

            def call(method, params=None, session=None):
                ident = next(counter)
                message = {"id": ident, "method": method, "params": params or {}}
                if session:
                    message["sessionId"] = session
                ws.send(json.dumps(message))
                while True:
                    reply = json.loads(ws.recv())
                    if reply.get("id") == ident:
                        if "error" in reply:
                            raise RuntimeError(f"{method}: {reply['error'].get('message')}")
                        return reply.get("result", {})

            target_id = call("Target.createTarget", {"url": "about:blank"})["targetId"]
            session = call("Target.attachToTarget", {"targetId": target_id,
                                                     "flatten": True})["sessionId"]  # fmt: skip
            call("Page.enable", session=session)
            call("Page.navigate", {"url": page.resolve().as_uri()}, session=session)
            ready = time.monotonic() + timeout
            while time.monotonic() < ready:
                state = call(
                    "Runtime.evaluate",
                    {"expression": "document.readyState", "returnByValue": True},
                    session=session,
                )
                if state["result"].get("value") == "complete":
                    break
                time.sleep(0.1)
            script = (
                _PRINT_FLAT
                if flat
                else ("document.querySelectorAll('details').forEach(d => { d.open = true; });")
            )
            style = json.dumps(_PRINT_CSS)
            script += (
                f"(() => {{ const s = document.createElement('style'); s.textContent = {style};"
                " document.head.appendChild(s); })();"
            )
            if date_line:
                line = json.dumps(date_line)
                script += (
                    "(() => { const h = document.querySelector('h1'); if (h) { const p = "
                    "document.createElement('p'); p.className = 'peelstats-date'; "
                    f"p.textContent = {line}; h.after(p); }} }})();"
                )
            call("Runtime.evaluate", {"expression": script}, session=session)  # fmt: skip
            pdf = call(
                "Page.printToPDF",
                {"paperWidth": 8.27, "paperHeight": 11.69, "marginTop": 0.6,
                 "marginBottom": 0.75, "marginLeft": 0.6, "marginRight": 0.6,
                 "printBackground": True, "preferCSSPageSize": False,
                 "displayHeaderFooter": True, "headerTemplate": "<span></span>",
                 "footerTemplate": _footer(footer),
                 "generateTaggedPDF": True, "generateDocumentOutline": True},
                session=session,
            )["data"]  # fmt: skip
            ws.close()
        finally:
            _stop_chromium(proc)
    return base64.b64decode(pdf)
