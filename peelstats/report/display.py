"""What a notebook shows: tables, sentences, caveats and charts, rendered deterministically.

Tables are plain HTML built here (no pandas Styler ids), so a committed notebook's outputs are
byte-stable for nbval. Charts use altair's ``html`` renderer in committed notebooks and ``svg``
(vl-convert, offline) in report runs.
"""

from __future__ import annotations

import html
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
from IPython.display import HTML, Markdown, display

RENDERERS = ("html", "svg")


def use_renderer(name: str) -> None:
    """Enable an altair renderer ('html' for committed notebooks, 'svg' for offline reports)."""
    if name not in RENDERERS:
        raise ValueError(f"chart_renderer must be one of {RENDERERS}, not {name!r}")
    _ = alt.renderers.enable(name)


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
    head = "".join(f'<th scope="col">{html.escape(str(c))}</th>' for c in frame.columns)
    rows = "".join(
        "<tr>"
        + "".join(
            (f'<th scope="row">{html.escape(str(v))}</th>' if i == 0 else
             f"<td>{html.escape(str(v))}</td>")
            for i, v in enumerate(row)
        )
        + "</tr>"
        for row in frame.itertuples(index=False)
    )  # fmt: skip
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    display(
        HTML(
            f'<table class="peelstats-table">{cap}<thead><tr>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table>"
        )
    )


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


def show_chart(chart: alt.TopLevelMixin, name: str, output_dir: str | Path | None = None) -> None:
    """Display a chart and, in report runs, save it as SVG and PNG under output_dir/charts."""
    if output_dir is None:
        display(chart)
        return
    from peelstats.report.charts import render

    charts = Path(output_dir) / "charts"
    charts.mkdir(parents=True, exist_ok=True)
    svg, png = render(chart)
    (charts / f"{name}.svg").write_text(svg, encoding="utf-8")
    (charts / f"{name}.png").write_bytes(png)
    if alt.renderers.active == "svg":  # show the SVG just written instead of rendering again
        # raw: IPython's SVG() would parse the whole document with minidom (slow, no gain)
        display({"image/svg+xml": svg}, raw=True)
    else:
        display(chart)
