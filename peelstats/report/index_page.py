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
"""


def _force_name(force: str) -> str:
    try:
        from peelstats.data.forces import get_force

        return get_force(force).name
    except Exception:  # noqa: BLE001 - an unknown force still gets a row, by its id
        return force


def render_index(period: str, rows) -> str:
    """The page for ``rows`` as returned by :func:`collect`."""
    e = html.escape
    jobs = [job for job, _, _ in rows]
    counts = {s: sum(j.status == s for j in jobs) for s in ("succeeded", "skipped", "failed")}
    labels = w.run_labels([ss for _, ss, _ in rows])
    body = []
    for job, ss, has_report in rows:
        name = e(_force_name(job.force))
        link = f'<a href="{e(job.force)}/report.html">{name}</a>' if has_report else name
        cells = w.index_cells(ss) if ss is not None else {}
        status, css = job.status, job.status
        if ss is not None and ss.status == "no_data":
            status, css = f"{job.status}: no stop-and-search data", "no-data"
        notes = [
            f"<strong>{e(nb.name.replace('_', ' '))} failed:</strong> {e(nb.reason)}"
            for nb in job.notebooks
            if nb.status == "failed"
        ]
        if getattr(job, "reason", ""):
            notes.insert(0, f"<strong>{e(job.status)}:</strong> {e(job.reason)}")
        if cells.get("coverage"):
            notes.append(f"<strong>{e(cells['coverage'])}</strong>")
        skipped = [nb for nb in job.notebooks if nb.status == "skipped"]
        notes += [f"{e(nb.name.replace('_', ' '))} not included: {e(nb.reason)}" for nb in skipped]
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
    options = f" Figures in brackets are {e(labels)}." if labels else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>peelstats: every force, {e(period)}</title>
<style>{_CSS}</style></head>
<body>
<h1>Stop and search by force, {e(year)}</h1>
<p>{counts["succeeded"]} succeeded, {counts["skipped"]} skipped, {counts["failed"]} failed.{options}
Searches are counted over the months each force's data covers: a force with months missing
says how many. The change compares searches with the year before, over the months the data has
in both years. The ratio compares the rate of stop and search per 1,000 Black residents with the
rate per 1,000 White residents (Census 2021 usual residents).</p>
<table>
<caption>Every force with a report for {e(year)}</caption>
<thead><tr><th scope="col">Force</th><th scope="col">Status</th>
<th scope="col">Searches in the period</th>
<th scope="col">Change on the year before</th><th scope="col">Black / White rate ratio</th>
<th scope="col">Linked find rate</th><th scope="col">Notes</th></tr></thead>
<tbody>
{chr(10).join(body)}
</tbody></table>
<p class="note">{e(OGL_ATTRIBUTION)} Produced with peelstats {e(__version__)}.</p>
</body></html>
"""
