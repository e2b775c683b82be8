"""Turn executed notebooks into one offline report.html (nbconvert, no input cells).

The template (``templates/peelstats``) is nbconvert's lab template with every online script
(require.js, MathJax, Mermaid, widgets) removed, so the page renders with no network: charts
are SVG from vl-convert, embedded in the page as data: URIs (one image each,
so the ids inside one chart's SVG cannot clash with another's).
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter

TEMPLATES = Path(__file__).resolve().parent / "templates"


def merge_notebooks(title_markdown: str, notebooks: list[nbformat.NotebookNode]):
    """One notebook: a title cell, then the cells of each executed notebook in order."""
    merged = nbformat.v4.new_notebook()
    merged.metadata = copy.deepcopy(notebooks[0].metadata) if notebooks else {}
    merged.metadata.pop("papermill", None)
    merged.cells.append(nbformat.v4.new_markdown_cell(title_markdown))
    for notebook in notebooks:
        for cell in notebook.cells:
            tags = cell.get("metadata", {}).get("tags", [])
            if "parameters" in tags or "injected-parameters" in tags:
                continue
            merged.cells.append(copy.deepcopy(cell))
    return merged


def export_html(notebook, title: str) -> str:
    """nbconvert HTML without input cells, with the offline peelstats template."""
    exporter = HTMLExporter(
        extra_template_basedirs=[str(TEMPLATES)],
        template_name="peelstats",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    notebook = copy.deepcopy(notebook)
    notebook.metadata["title"] = title
    body, _ = exporter.from_notebook_node(notebook)
    return body
