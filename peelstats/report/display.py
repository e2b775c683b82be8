"""What a notebook shows: tables, sentences, caveats and charts, rendered deterministically.

Tables are plain HTML built here (no pandas Styler ids), so a committed notebook's outputs are
byte-stable for nbval. Charts (Vega-Lite specs from :mod:`peelstats.report.charts`) are
rendered to SVG by vl-convert (offline, deterministic) and shown as images with a text
alternative, in notebooks and reports alike.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import numpy as np
import pandas as pd
from IPython.display import HTML, Markdown, display

RENDERERS = ("html", "svg")


def use_renderer(name: str) -> None:
    """Check the notebook's ``chart_renderer`` parameter ('html' or 'svg'). Every chart is
    shown as an SVG image rendered offline (:func:`show_chart`), whichever is named."""
    if name not in RENDERERS:
        raise ValueError(f"chart_renderer must be one of {RENDERERS}, not {name!r}")


def fmt_number(value, digits: int = 1) -> str:
    """12,345 for integers; 12.3 for others; an en dash for missing values."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    if isinstance(value, (int, np.integer)) or (float(value).is_integer() and digits == 0):
        return f"{int(value):,}"
    return f"{float(value):,.{digits}f}"


def fmt_p(value) -> str:
    if value is None or np.isnan(value):
        return "–"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def slug(text: str) -> str:
    """An id fragment: lower-case letters, digits and hyphens."""
    out = "".join(ch if ch.isalnum() else "-" for ch in text.lower())
    return "-".join(part for part in out.split("-") if part)


def show_heading(text: str, level: int = 2, anchor: str | None = None) -> None:
    """A heading with an explicit, unique id (``anchor``), so merged reports have no
    duplicate ids and no link text beside headings."""
    ident = f' id="{html.escape(anchor)}"' if anchor else ""
    display(HTML(f"<h{level}{ident}>{html.escape(text)}</h{level}>"))


def show_table(frame: pd.DataFrame, caption: str | None = None) -> None:
    """Display a table as escaped HTML (values already formatted as text by the caller); the
    first column holds row headers."""
    display(HTML(_table_html(frame, caption)))


def show_text(markdown: str) -> None:
    display(Markdown(markdown))


def show_box(sentences: list[str], kind: str = "caveat") -> None:
    """A caveat (amber) or warning (red) box; nothing when there is nothing to say."""
    if not sentences:
        return
    items = "".join(f"<p>{html.escape(s)}</p>" for s in sentences)
    display(HTML(f'<div class="peelstats-{kind}">{items}</div>'))


def show_findings(sentences, heading: str | None = None, anchor: str | None = None) -> None:
    """Key findings: a list of sentences, or (sub-heading, sentences) groups."""
    if heading:
        show_heading(heading, 3, anchor)
    groups = sentences if sentences and isinstance(sentences[0], tuple) else [(None, sentences)]
    parts = []
    for title, items in groups:
        if not items:
            continue
        if title:
            parts.append(f'<p class="peelstats-findings-group">{html.escape(title)}</p>')
        parts.append(
            '<ul class="peelstats-findings">'
            + "".join(f"<li>{html.escape(s)}</li>" for s in items)
            + "</ul>"
        )
    if parts:
        display(HTML("".join(parts)))


def show_note(text: str) -> None:
    """A methods note (small print under a section)."""
    display(HTML(f'<p class="peelstats-methods">{html.escape(text)}</p>'))


def show_source(text: str) -> None:
    display(HTML(f'<p class="peelstats-source">{html.escape(text)}</p>'))


_NUMBER = re.compile(r"^(?:[<>]?[+-]?[\d,]*\.?\d+%?|–|-)$")
_INTERVAL = re.compile(
    r"^(?:[+-]?[\d,]*\.?\d+%? \()?[+-]?[\d,]*\.?\d+%? to [+-]?[\d,]*\.?\d+%?\)?(?: [a-z ]+)?$"
)


def cell_kind(text: str) -> str:
    """'num' for a number (aligned right), 'interval' for 'a to b' (right, never wrapped),
    'text' otherwise (aligned left): the same rule for HTML, PDF and Word tables."""
    text = text.strip()
    if _INTERVAL.match(text):
        return "interval"
    if _NUMBER.match(text):
        return "num"
    return "text"


def _table_html(frame: pd.DataFrame, caption: str | None = None) -> str:
    """A table as HTML; a note every row shares is said once under it
    (:func:`peelstats.report.wording.cells.lift_shared_notes`)."""
    from peelstats.report.wording.cells import lift_shared_notes

    frame, shared = lift_shared_notes(frame)
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    rows = "".join(
        "<tr>"
        + "".join(
            (f'<th scope="row">{html.escape(str(v))}</th>' if i == 0 else
             f'<td class="{cell_kind(str(v))}">{html.escape(str(v))}</td>')
            for i, v in enumerate(row)
        )
        + "</tr>"
        for row in frame.itertuples(index=False)
    )  # fmt: skip
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    note = f'<p class="peelstats-table-note">{html.escape(shared)}</p>' if shared else ""
    return (
        f'<table class="peelstats-table">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table>{note}"
    )


def show_chart(
    chart: dict,
    name: str,
    output_dir: str | Path | None = None,
    alt_text: str = "",
    data: pd.DataFrame | None = None,
) -> None:
    """Display a chart as an image with a text alternative (``alt_text``, what the chart
    shows) and, when given, the numbers behind it as a table under a "Data behind the chart"
    disclosure. ``chart`` is a Vega-Lite spec (:mod:`peelstats.report.charts`), rendered once
    to SVG with vl-convert (no network: it shows offline in JupyterLab and in report.html); in
    report runs also saved as output_dir/charts/<name>.svg (the Word document rasterises the
    SVGs it uses when it is written)."""
    from peelstats.report.charts import render

    svg = render(chart)
    if output_dir is not None:
        charts = Path(output_dir) / "charts"
        charts.mkdir(parents=True, exist_ok=True)
        (charts / f"{name}.svg").write_text(svg, encoding="utf-8")
    encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    alt_attr = html.escape(alt_text or "Chart; the numbers are in the table above.", quote=True)
    table = ""
    if data is not None and not data.empty:
        table = (
            "<details><summary>Data behind the chart</summary>"
            + _table_html(data, caption=f"Data behind the chart: {alt_text.split('.')[0]}")
            + "</details>"
        )
    display(
        HTML(
            f'<figure class="peelstats-chart" id="chart-{html.escape(name)}">'
            f'<img src="data:image/svg+xml;base64,{encoded}" alt="{alt_attr}">'
            f"{table}</figure>"
        )
    )
