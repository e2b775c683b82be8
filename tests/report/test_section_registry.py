"""A new section is an analysis module, a wording module and one registry line: a toy section
registered in the test process appears in report.html, report.docx and estimates.xlsx of a
report run in this process, with no other file of the package changed."""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest

from peelstats.analysis.results import Figure, register
from peelstats.config import paths
from peelstats.report import sections
from peelstats.report.sections import Section

TOY_HEADING = "A toy section for the registry test"
TOY_SHEET = "Toy section"


@register
@dataclass(frozen=True)
class ToyResult:
    section: str
    force: str
    force_name: str
    period: str
    confidence: float
    figures: tuple


def _toy_build(data, params) -> ToyResult:
    figure = Figure("toy_measure", "all", float(data), method="count", confidence=0.95)
    return ToyResult("toy", params.force, params.force_name, params.period.label,
                     params.confidence, (figure,))  # fmt: skip


def _toy_present(result, output_dir) -> None:
    from peelstats.report import display, present

    display.show_heading(TOY_HEADING, 2, "toy")
    display.show_text(f"The toy counted {result.figures[0].estimate:.0f} things.")
    present.save(result, output_dir, "toy")


def _toy_notebook(path: Path) -> None:
    params = nbformat.v4.new_code_cell(
        'force = "durham"\nperiod = "2021Q3"\nconfidence = 0.95\noutput_dir = None'
    )
    params.metadata["tags"] = ["parameters"]
    run = nbformat.v4.new_code_cell(
        textwrap.dedent(
            """\
            from peelstats.report import sections

            p = sections.start(globals())
            toy = sections.run("toy", p)"""
        )
    )
    notebook = nbformat.v4.new_notebook(cells=[params, run])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}  # fmt: skip
    nbformat.write(notebook, path)


@pytest.fixture
def toy_section(tmp_path, monkeypatch):
    folder = tmp_path / "notebooks"
    shutil.copytree(paths().notebooks, folder)
    _toy_notebook(folder / "toy.ipynb")
    monkeypatch.setenv("PEELSTATS_NOTEBOOKS_DIR", str(folder))
    sections.register(Section("toy", "toy", lambda p: 7, _toy_build, _toy_present, TOY_SHEET))
    yield
    sections.unregister("toy")


def test_a_registered_section_reaches_html_word_and_xlsx(toy_section, tmp_path):
    from docx import Document
    from openpyxl import load_workbook

    from peelstats.run.execute import InProcess, run_job
    from peelstats.run.jobs import Job, Settings

    assert "toy" in sections.notebook_names()
    job = Job("durham", "2021Q3", Settings(paper=True), tmp_path / "out")
    result = run_job(job, InProcess())
    assert result.status == "succeeded", result.notebooks
    folder = job.final
    assert TOY_HEADING in (folder / "report.html").read_text(encoding="utf-8")
    headings = [p.text for p in Document(str(folder / "report.docx")).paragraphs]
    assert TOY_HEADING in headings
    book = load_workbook(folder / "estimates.xlsx")
    assert TOY_SHEET in book.sheetnames
    values = [c.value for row in book[TOY_SHEET].iter_rows() for c in row]
    assert "toy_measure" in values and 7 in values
