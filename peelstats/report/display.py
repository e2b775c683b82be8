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
from IPython.display import HTML, SVG, Markdown, display

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


def show_table(frame: pd.DataFrame, caption: str | None = None) -> None:
    """Display a table as escaped HTML (values already formatted as text by the caller)."""
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in frame.columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
        for row in frame.itertuples(index=False)
    )
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


def show_findings(sentences: list[str]) -> None:
    """The Key findings list that ends every notebook."""
    items = "".join(f"<li>{html.escape(s)}</li>" for s in sentences)
    display(HTML(f'<ul class="peelstats-findings">{items}</ul>'))


def show_source(text: str) -> None:
    display(HTML(f'<p class="peelstats-source">{html.escape(text)}</p>'))


def show_chart(chart: alt.TopLevelMixin, name: str, output_dir: str | Path | None = None) -> None:
    """Display a chart and, in report runs, save it as SVG and PNG under output_dir/charts."""
    if output_dir is None:
        display(chart)
        return
    charts = Path(output_dir) / "charts"
    charts.mkdir(parents=True, exist_ok=True)
    chart.save(str(charts / f"{name}.svg"))
    if alt.renderers.active == "svg":  # show the SVG just written instead of rendering again
        display(SVG(data=(charts / f"{name}.svg").read_text(encoding="utf-8")))
    else:
        display(chart)
    chart.save(str(charts / f"{name}.png"), scale_factor=1.5)
