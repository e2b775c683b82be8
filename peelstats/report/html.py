"""Turn executed notebooks into one offline report.html (nbconvert, no input cells).

The template (``templates/peelstats``) is nbconvert's lab template with every online script
(require.js, MathJax, Mermaid, widgets) removed, so the page renders with no network: charts
are SVG from vl-convert, embedded in the page as data: URIs (one image each,
so the ids inside one chart's SVG cannot clash with another's).
"""

from __future__ import annotations

import copy
import functools
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter, TemplateExporter
from nbconvert.filters.highlight import Highlight2HTML
from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Cells a report leaves out: parameters and each notebook's own title (the report has one h1).
LEFT_OUT = {"parameters", "injected-parameters", "notebook-title"}


def html_cell(markup: str, ident: str):
    """A code cell whose only output is ``markup`` (its input is never shown), with a fixed id
    (``ident``) so that the same report is written byte for byte the same."""
    cell = nbformat.v4.new_code_cell("")
    cell.id = ident
    cell.outputs = [nbformat.v4.new_output("display_data", data={"text/html": markup}, metadata={})]
    return cell


def merge_notebooks(front: str, notebooks: list[nbformat.NotebookNode], back: str = ""):
    """One notebook: the front matter, the cells of each executed notebook, the back matter."""
    merged = nbformat.v4.new_notebook()
    merged.metadata = copy.deepcopy(notebooks[0].metadata) if notebooks else {}
    merged.metadata.pop("papermill", None)
    merged.cells.append(html_cell(front, "peelstats-front"))
    for notebook in notebooks:
        for cell in notebook.cells:
            tags = set(cell.get("metadata", {}).get("tags", []))
            if tags & LEFT_OUT:
                continue
            merged.cells.append(cell)  # the executed notebooks are read for this merge only
    if back:
        merged.cells.append(html_cell(back, "peelstats-back"))
    return merged


def text_of(notebook) -> str:
    """The visible text of a notebook's outputs (for the glossary's choice of terms)."""
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            parts.append(str(data.get("text/html", "")) + str(data.get("text/markdown", "")))
    return "\n".join(parts)


class _ReportExporter(HTMLExporter):
    """nbconvert's HTML exporter without its last pass, which parses the finished page with
    BeautifulSoup and writes it again (two thirds of the export's time) to give an ``img``
    with no alt text a placeholder and every output area ``tabindex="0"``. Every chart here
    has its own alt text (tests/report/test_reader.py holds it for every page), and a
    report's output areas do not scroll, so a keyboard stop on each would only slow a reader
    down."""

    def from_notebook_node(self, nb, resources=None, **kw):
        resources = self._init_resources(resources)
        if "highlight_code" not in self.filters:  # input cells are left out; the template names it
            self.register_filter("highlight_code", Highlight2HTML(parent=self))
        self.register_filter(
            "filter_data_type",
            WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self,
                                  resources=resources),
        )  # fmt: skip
        return TemplateExporter.from_notebook_node(self, nb, resources, **kw)


@functools.lru_cache(maxsize=1)
def _exporter() -> HTMLExporter:
    """One exporter per process: its templates are compiled once, not once per report."""
    return _ReportExporter(
        extra_template_basedirs=[str(TEMPLATES)],
        template_name="peelstats",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        optimistic_validation=True,  # the merged notebook validated once, not after each step
    )


def export_html(notebook, title: str) -> str:
    """nbconvert HTML without input cells, with the offline peelstats template."""
    exporter = _exporter()
    notebook.metadata["title"] = title
    body, _ = exporter.from_notebook_node(notebook)
    return body
