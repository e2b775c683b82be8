"""The page ``outputs/<period>/index.html``: every force with a report for the period.

Each row is written from the force's job status and its saved stop-and-search result, never
from figures derived again; the words come from :mod:`peelstats.report.wording`, so labels
follow the options each report was made with. Plain HTML with inline CSS and no scripts: opens
offline, makes no network request. Every piece of text that comes from data is HTML-escaped.
"""

from __future__ import annotations

import html

from peelstats import __version__
from peelstats.config import OGL_ATTRIBUTION
from peelstats.report import wording as w
from peelstats.report.wording import index as wi
from peelstats.report.wording import report as wr

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem;
       color: #1d1d1d; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
caption { text-align: left; font-weight: 600; padding: 0.4rem 0; }
th, td { border-bottom: 1px solid #ddd; padding: 0.45rem 0.5rem; text-align: left;
         vertical-align: top; }
thead th { background: #f3f4f6; }
tbody th { font-weight: 600; }
.succeeded { color: #1b6e3a; font-weight: 600; }
.failed { color: #b3261e; font-weight: 600; }
.skipped, .no-data { color: #595959; font-weight: 600; }
.note { color: #454545; font-size: 12px; }
.shared { background: #f3f4f6; padding: 0.5rem 0.8rem; border-left: 4px solid #4c6a92; }
figure.chart { margin: 1rem 0 1.5rem; }
figure.chart img { max-width: 100%; height: auto; }
figure.chart table { font-size: 12px; width: auto; }
td.num, td.interval { text-align: right; white-space: nowrap; }
"""


def _force_name(force: str) -> str:
    try:
        from peelstats.data.forces import get_force

        return get_force(force).name
    except Exception:  # noqa: BLE001 - an unknown force still gets a row, by its id
        return force


def _notes(job, cells) -> list[tuple[str, bool]]:
    """A row's notes as (text, is_html_safe_strong) pairs, before shared ones are lifted out."""
    notes = [
        (f"{nb.name.replace('_', ' ')} failed: {nb.reason}", True)
        for nb in job.notebooks
        if nb.status == "failed"
    ]
    if getattr(job, "reason", ""):
        notes.insert(0, (f"{job.status}: {job.reason}", True))
    if cells.get("coverage"):
        notes.append((cells["coverage"], True))
    notes += [
        (f"{wr.PART_NAMES.get(nb.name, nb.name.replace('_', ' '))} not included: {nb.reason}",
         False)
        for nb in job.notebooks
        if nb.status == "skipped"
    ]  # fmt: skip
    return notes


def _note_html(text: str, strong: bool) -> str:
    """A note as HTML; a strong note's label (up to its first colon) in bold."""
    e = html.escape
    if not strong:
        return e(text)
    label, sep, rest = text.partition(": ")
    if not sep:
        return f"<strong>{e(text)}</strong>"
    return f"<strong>{e(label + sep.rstrip())}</strong> {e(rest)}"


def _chart_rows(rows, measure: str, group: str):
    """(force name, estimate, lower, upper) of every force with the figure, sorted by value."""
    from peelstats.vocabulary import ALL

    out = []
    for job, ss, _ in rows:
        if ss is None or ss.status != "ok":
            continue
        fig = ss.figure(measure, ALL if measure != "search_rate_ratio_vs_white" else group)
        if fig is None or fig.estimate is None or not fig.has_interval:
            continue
        if measure == "search_rate_per_1000" and not ss.coverage.complete:
            continue  # a part-year's rate is not annualised: not set beside full years
        scale = 100.0 if measure == "linked_find_rate" else 1.0
        out.append((_force_name(job.force), fig.estimate * scale, fig.lower * scale,
                    fig.upper * scale, fig.confidence))  # fmt: skip
    return sorted(out, key=lambda r: r[1])


def _charts_html(rows) -> str:
    """A dot-and-interval chart for each headline measure across forces, with its alt text and
    the numbers behind it."""
    import base64

    import pandas as pd

    from peelstats.report import charts
    from peelstats.report.display import _table_html

    e = html.escape
    parts = []
    for measure, (title, axis) in wi.INDEX_CHARTS.items():
        data = _chart_rows(rows, measure, "Black")
        if len(data) < 2:
            continue
        frame = pd.DataFrame(
            {"group": [d[0] for d in data], "estimate": [d[1] for d in data],
             "lower": [d[2] for d in data], "upper": [d[3] for d in data]}
        )  # fmt: skip
        levels = sorted({w.conf(d[4]) for d in data})
        level = " and ".join(levels)
        reference = 1.0 if "ratio" in measure else (0.0 if "change" in measure else None)
        chart = charts.interval_chart(frame, title, axis, reference=reference)
        svg = charts.render(chart)
        encoded = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        alt = wi.index_chart_alt(title, len(data), level, data[-1][0], data[0][0])
        digits = 1 if measure != "search_rate_ratio_vs_white" else 2
        table = pd.DataFrame(
            {"Force": frame["group"], w.capitalise(axis): [w.fixed(v, digits) for v in
                                                           frame["estimate"]],
             f"{level} CI": [w.ci_short(lo, hi, digits) for lo, hi in
                             zip(frame["lower"], frame["upper"], strict=True)]}
        )  # fmt: skip
        parts.append(
            f'<figure class="chart" id="chart-{e(measure)}"><img src="data:image/svg+xml;base64,'
            f'{encoded}" alt="{e(alt, quote=True)}">'
            + _table_html(table, caption=f"Data behind the chart: {title}")
            + "</figure>"
        )
    if not parts:
        return ""
    return (
        f'<h2 id="charts">{e(wi.INDEX_CHARTS_HEADING)}</h2><p>{e(wi.INDEX_CHARTS_INTRO)}</p>'
        + "".join(parts)
    )


def render_index(period: str, rows) -> str:
    """The page for ``rows`` as returned by ``peelstats.run.index.collect``: a note that holds
    for most forces said once above the table, a chart across forces for each headline
    measure, then one row per force."""
    e = html.escape
    jobs = [job for job, _, _ in rows]
    counts = {s: sum(j.status == s for j in jobs) for s in ("succeeded", "skipped", "failed")}
    labels = w.run_labels([ss for _, ss, _ in rows])
    cells_of = {job.force: (w.index_cells(ss) if ss is not None else {}) for job, ss, _ in rows}
    notes_of = {job.force: _notes(job, cells_of[job.force]) for job, _, _ in rows}
    tally: dict[str, int] = {}
    for notes in notes_of.values():
        for text, _ in dict.fromkeys(notes):
            tally[text] = tally.get(text, 0) + 1
    shared = [t for t, n in tally.items() if n >= 2 and n > len(rows) / 2]
    body = []
    for job, ss, has_report in rows:
        name = e(_force_name(job.force))
        link = f'<a href="{e(job.force)}/report.html">{name}</a>' if has_report else name
        cells = cells_of[job.force]
        status, css = job.status, job.status
        if ss is not None and ss.status == "no_data":
            status, css = f"{job.status}: no stop-and-search data", "no-data"
        notes = [_note_html(text, strong) for text, strong in notes_of[job.force]
                 if text not in shared]  # fmt: skip
        body.append(
            "<tr>"
            f'<th scope="row">{link}</th>'
            f'<td class="{e(css)}">{e(status)}</td>'
            f"<td>{e(cells.get('searches', '–'))}</td>"
            f"<td>{e(cells.get('change', '–'))}</td>"
            f"<td>{e(cells.get('ratio', '–'))}</td>"
            f"<td>{e(cells.get('linked', '–'))}</td>"
            f'<td class="note">{"<br>".join(notes)}</td>'
            "</tr>"
        )
    year = w.year_words(period)
    head = "".join(f'<th scope="col">{e(c)}</th>' for c in wi.INDEX_COLUMNS)
    shared_html = "".join(
        f'<p class="shared">{e(wi.shared_note(t, tally[t], len(rows)))}</p>' for t in shared
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(wi.index_title(period))}</title>
<style>{_CSS}</style></head>
<body><main>
<h1>{e(wi.index_title(period))}</h1>
<p>{e(wi.index_intro(counts, labels))}</p>
{shared_html}
{_charts_html(rows)}
<h2 id="forces">Every force</h2>
<table>
<caption>Every force with a report for {e(year)}</caption>
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(body)}
</tbody></table>
<p class="note">{e(OGL_ATTRIBUTION)} Produced with peelstats {e(__version__)}.</p>
</main></body></html>
"""
