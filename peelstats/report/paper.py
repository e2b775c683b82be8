"""The Panel paper: report.docx, estimates.xlsx and a tagged A4 report.pdf.

- ``report.docx`` (python-docx) follows report.html, summary first, in the shape of a Police and
  Crime Panel paper: a Purpose paragraph, the summary as numbered paragraphs, each section under
  Word heading styles with real Word tables (captions above) and the charts as images with their
  text alternative (each chart's SVG rasterised to PNG as the document is written), and a
  Recommendation. It is built on ``templates/panel_paper.docx``, which
  an analyst may restyle in Word with the force's house style (the styles are what is used).
- ``estimates.xlsx`` (openpyxl): one sheet per section from ``tables/<section>.csv``; shares and
  rates that are proportions formatted as percentages; interval limits in their own columns;
  the flags kept as notes.
- ``report.pdf``: report.html printed by headless Chromium through the DevTools protocol
  (``Page.printToPDF`` with ``generateTaggedPDF``), A4, with print CSS that keeps headings with
  what follows them. Where no Chromium is found, one line says how to install it.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pandas as pd

from peelstats.config import OGL_ATTRIBUTION
from peelstats.files import atomic_write

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


def _table(document, table_tag, caption: str | None) -> None:
    rows = table_tag.find_all("tr")
    if not rows:
        return
    if caption:
        document.add_paragraph(caption, style="Caption")
    width = max(len(r.find_all(["th", "td"])) for r in rows)
    table = document.add_table(rows=0, cols=width)
    table.style = "Table Grid"
    for i, tr in enumerate(rows):
        cells = tr.find_all(["th", "td"])
        row = table.add_row().cells
        for j, cell in enumerate(cells):
            row[j].text = cell.get_text(" ", strip=True)
            if i == 0 or cell.name == "th":
                for run in row[j].paragraphs[0].runs:
                    run.bold = True
    _repeat_header(table)


def _repeat_header(table) -> None:
    """Mark the first row as a header row (repeats on each page; read as headers)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def _chart_png(svg: Path, folder: Path) -> str:
    """A chart's PNG for Word, rasterised from its SVG now (only a Word document needs one),
    written under ``folder`` with the chart's name (the name Word keeps for the picture)."""
    from peelstats.report.charts import to_png

    png = folder / f"{svg.stem}.png"
    png.write_bytes(to_png(svg.read_text(encoding="utf-8")))
    return str(png)


def write_docx(report_html: Path, charts: Path, target: Path, title: str, force_name: str,
               period_words: str) -> Path:  # fmt: skip
    """report.docx from report.html (see the module docstring)."""
    from bs4 import BeautifulSoup
    from docx import Document
    from docx.shared import Cm

    soup = BeautifulSoup(report_html.read_text(encoding="utf-8"), "html.parser")
    document = Document(str(TEMPLATE))
    document.core_properties.title = title
    document.core_properties.author = "peelstats"
    document.add_paragraph(title, style="Title")
    document.add_heading("Purpose", level=1)
    document.add_paragraph(
        f"To inform the Panel how {force_name} used stop and search in {period_words}, and what "
        "the inspectorate's latest findings say, with every figure's confidence interval and "
        "method.",
        style="List Number",
    )
    with tempfile.TemporaryDirectory(prefix="peelstats-docx-") as pictures_dir:
        pictures = Path(pictures_dir)
        seen_summary = False
        body = soup.body or soup
        for element in body.find_all(["h2", "h3", "p", "li", "table", "figure"]):
            if element.find_parent(["table", "details"]) is not None:
                continue
            if element.name == "li" and element.find_parent("figure") is not None:
                continue
            text = element.get_text(" ", strip=True)
            if element.name == "h2":
                seen_summary = seen_summary or element.get("id") == "summary"
                document.add_heading(text, level=1)
            elif element.name == "h3":
                document.add_heading(text, level=2)
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
                document.add_paragraph(text, style=style)
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
    document.add_heading("Recommendation", level=1)
    document.add_paragraph(
        f"The Panel is asked to note this report on {force_name}'s use of stop and search in "
        f"{period_words}.",
        style="List Number",
    )
    document.add_paragraph(OGL_ATTRIBUTION, style="Quote")
    buffer = io.BytesIO()
    document.save(buffer)
    atomic_write(target, buffer.getvalue())
    return target


# ----------------------------------------------------------------------------- spreadsheet

#: estimate columns written as percentages when the figure is a proportion
PERCENT_METHODS = ("proportion", "share of searches", "difference in proportions")


def write_xlsx(tables: Path, target: Path) -> Path:
    """estimates.xlsx: one sheet per section (see the module docstring)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    columns = ["measure", "group", "period_start", "period_end", "months_with_data",
               "months_in_period", "numerator", "denominator", "estimate", "lower", "upper",
               "confidence", "p_value", "method", "flags"]  # fmt: skip
    headers = {"flags": "notes", "p_value": "p-value", "lower": "lower limit",
               "upper": "upper limit"}  # fmt: skip
    from peelstats.report.sections import all_sections

    for name, sheet_name in ((s.name, s.sheet) for s in all_sections()):
        path = tables / f"{name}.csv"
        if not path.is_file():
            continue
        frame = pd.read_csv(path, keep_default_na=False, na_values={
            c: [""] for c in ("numerator", "denominator", "estimate", "lower", "upper",
                              "confidence", "p_value", "months_with_data", "months_in_period")
        })  # fmt: skip
        sheet = book.create_sheet(sheet_name)
        sheet.append([headers.get(c, c.replace("_", " ")) for c in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for _, row in frame.reindex(columns=columns).iterrows():
            values = []
            for c in columns:
                v = row[c]
                if isinstance(v, float) and pd.isna(v):
                    v = None
                elif c == "flags":
                    v = str(v).replace(";", "; ") if v else ""
                values.append(v)
            sheet.append(values)
            method = str(row["method"]).lower()
            if method.startswith(PERCENT_METHODS):
                r = sheet.max_row
                for c in ("estimate", "lower", "upper"):
                    sheet.cell(r, columns.index(c) + 1).number_format = "0.0%"
        for i, c in enumerate(columns, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = 40 if c == "method" else 14
    if not book.sheetnames:
        book.create_sheet("No figures")
    buffer = io.BytesIO()
    book.save(buffer)
    atomic_write(target, buffer.getvalue())
    return target


# ----------------------------------------------------------------------------- PDF


def find_chromium() -> str | None:
    """PEELSTATS_CHROMIUM when set (and executable), else chromium on PATH, else None."""
    chosen = os.environ.get("PEELSTATS_CHROMIUM")
    if chosen is not None:
        return chosen if chosen and os.access(chosen, os.X_OK) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def write_pdf(report_html: Path, target: Path, timeout: float = 120) -> Path | None:
    """report.pdf: A4, tagged, printed by headless Chromium (None, and no file, when no
    Chromium is found)."""
    import websocket

    chromium = find_chromium()
    if chromium is None:
        return None
    with tempfile.TemporaryDirectory(prefix="peelstats-pdf-", ignore_cleanup_errors=True) as tmp:
        proc = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update",
             "--remote-debugging-port=0", f"--user-data-dir={tmp}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            start_new_session=True,
        )  # fmt: skip
        try:
            url = None
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and url is None:
                match = re.search(r"DevTools listening on (ws://\S+)", proc.stderr.readline())
                url = match.group(1) if match else None
            if url is None:
                raise RuntimeError("Chromium did not start its DevTools endpoint")
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
            call("Page.navigate", {"url": report_html.resolve().as_uri()}, session=session)
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
            pdf = call(
                "Page.printToPDF",
                {"paperWidth": 8.27, "paperHeight": 11.69, "marginTop": 0.6,
                 "marginBottom": 0.6, "marginLeft": 0.6, "marginRight": 0.6,
                 "printBackground": True, "preferCSSPageSize": True,
                 "generateTaggedPDF": True, "generateDocumentOutline": True},
                session=session,
            )["data"]  # fmt: skip
            ws.close()
        finally:
            try:
                os.killpg(proc.pid, 15)
                proc.wait(10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
    atomic_write(target, base64.b64decode(pdf))
    return target


# ----------------------------------------------------------------------------- all


def write_paper(work: Path, title: str, force_name: str, period_words: str,
                pdf: bool = True) -> list[str]:  # fmt: skip
    """Every Panel-paper output for one report folder; returns one line per output that could
    not be written (the others are still written)."""
    notes = []
    report = work / "report.html"
    steps = [
        ("report.docx", lambda: write_docx(report, work / "charts", work / "report.docx", title,
                                           force_name, period_words)),
        ("estimates.xlsx", lambda: write_xlsx(work / "tables", work / "estimates.xlsx")),
    ]  # fmt: skip
    for name, step in steps:
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - one optional output never sinks the others
            notes.append(f"{name} not written: {type(exc).__name__}: {exc}")
    if pdf and report.is_file():
        try:
            if write_pdf(report, work / "report.pdf") is None:
                notes.append(INSTALL_CHROMIUM)
        except Exception as exc:  # noqa: BLE001
            notes.append(f"report.pdf not written: {type(exc).__name__}: {exc}")
    return notes
