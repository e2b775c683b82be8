"""Helpers of the report tests that read real reports as a Panel member would."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
from bs4 import BeautifulSoup

PERIOD = "2021Q3"


def cli(*args, cwd=None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "peelstats", *args], capture_output=True, text=True, cwd=cwd,
        env=env,
    )  # fmt: skip


def text(path: Path) -> str:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["style", "script", "title"]):
        tag.decompose()
    return re.sub(r"\s+", " ", soup.get_text(" "))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def raw_searches(folder: Path, force: str, months) -> int:
    """Searches in the raw police.uk files, counted with the csv module: one per record, a month
    file in which every record appears exactly twice counted once (../shared/data/README.md)."""
    import collections
    import csv

    total = 0
    for month in months:
        path = folder / "police-uk-archive" / month / f"{month}-{force}-stop-and-search.csv"
        if not path.is_file():
            continue
        with open(path, newline="", encoding="utf-8") as fh:
            records = [tuple(row) for row in csv.reader(fh)][1:]  # the header row left out
        counts = collections.Counter(records)
        doubled = bool(counts) and all(n == 2 for n in counts.values())
        total += len(records) // 2 if doubled else len(records)
    return total


def report(out, force, run="main"):
    return out / run / PERIOD / force / "report.html"


def estimates(out, force, run="main"):
    return pd.read_csv(out / run / PERIOD / force / "tables" / "estimates.csv")


def pdf_pages(path: Path) -> list[dict]:
    """Each page of a PDF as pdfium reads it: its text lines (the footer band left out), the
    footer's text, and how much of the page is left blank below its content (0 to 1)."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    out = []
    for number in range(len(pdf)):
        page = pdf[number]
        width, height = page.get_size()
        textpage = page.get_textpage()
        footer_top = 30.0  # points: the footer line sits low in the bottom margin (about 15-21)
        text = textpage.get_text_bounded(0, footer_top, width, height).replace("\ufffe", "-")
        footer = textpage.get_text_bounded(0, 0, width, footer_top - 8)
        rects = [textpage.get_rect(i) for i in range(textpage.count_rects())]
        bottoms = [r[1] for r in rects if r[1] > footer_top]
        bottoms += [o.get_bounds()[1] for o in page.get_objects() if o.get_bounds()[1] > footer_top]
        low = min(bottoms) if bottoms else height
        usable = height - 2 * footer_top
        out.append({
            "lines": [" ".join(line.split()) for line in text.splitlines() if line.strip()],
            "footer": " ".join(footer.split()),
            "blank": max(0.0, (low - footer_top) / usable),
        })  # fmt: skip
    return out
