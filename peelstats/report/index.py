"""outputs/<period>/index.html: every force with its status, headline figures and link.

Plain HTML with inline CSS and no scripts: opens offline, makes no network request. Every piece
of text that comes from data is HTML-escaped.
"""

from __future__ import annotations

import html
import os
from pathlib import Path

from peelstats import __version__
from peelstats.config import OGL_ATTRIBUTION

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 64rem; margin: 2rem auto; padding: 0 1rem;
       color: #1d1d1d; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { border-bottom: 1px solid #ddd; padding: 0.45rem 0.5rem; text-align: left;
         vertical-align: top; }
th { background: #f3f4f6; }
.succeeded { color: #1b6e3a; font-weight: 600; }
.failed { color: #b3261e; font-weight: 600; }
.skipped { color: #6b6b6b; font-weight: 600; }
.note { color: #555; font-size: 12px; }
"""


def _force_name(force: str) -> str:
    try:
        from peelstats.data.forces import get_force

        return get_force(force).name
    except Exception:  # noqa: BLE001 - an unknown force still gets a row, by its id
        return force


def render_index(period: str, results, with_report: set[str] | None = None) -> str:
    """The page; ``with_report`` names the forces whose report.html exists (all if None)."""
    e = html.escape
    counts = {s: sum(r.status == s for r in results) for s in ("succeeded", "skipped", "failed")}
    rows = []
    for r in results:
        name = e(_force_name(r.force))
        linked = r.force in with_report if with_report is not None else r.status != "skipped"
        link = f'<a href="{e(r.force)}/report.html">{name}</a>' if linked else name
        h = r.headline
        skipped = [nb.name.replace("_", " ") for nb in r.notebooks if nb.status == "skipped"]
        notes = [
            f"<strong>{e(nb.name.replace('_', ' '))} failed:</strong> {e(nb.reason)}"
            for nb in r.notebooks
            if nb.status == "failed"
        ]
        if h.get("coverage"):
            notes.append(f"<strong>{e(h['coverage'])}</strong>")
        if skipped:
            notes.append(f"no data for: {e(', '.join(skipped))}")
        rows.append(
            "<tr>"
            f"<td>{link}</td>"
            f'<td class="{e(r.status)}">{e(r.status)}</td>'
            f"<td>{e(h.get('searches', '–'))}</td>"
            f"<td>{e(h.get('change', '–'))}</td>"
            f"<td>{e(h.get('black_white_ratio', '–'))}</td>"
            f"<td>{e(h.get('linked_find_rate', '–'))}</td>"
            f'<td class="note">{"<br>".join(notes)}</td>'
            "</tr>"
        )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>peelstats: every force, {e(period)}</title>
<style>{_CSS}</style></head>
<body>
<h1>Stop and search by force, {e(period)}</h1>
<p>{counts["succeeded"]} succeeded, {counts["skipped"]} skipped, {counts["failed"]} failed.
Figures in brackets are 95% confidence intervals. The ratio compares the rate of stop and search
per 1,000 Black residents with the rate per 1,000 White residents (Census 2021, self-defined
ethnicity); the change compares searches with the previous 12 months.</p>
<table>
<thead><tr><th>Force</th><th>Status</th><th>Searches (12 months)</th>
<th>Change on previous year</th><th>Black / White rate ratio</th><th>Linked find rate</th>
<th>Notes</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table>
<p class="note">{e(OGL_ATTRIBUTION)} Produced with peelstats {e(__version__)}.</p>
</body></html>
"""


def write_index(period: str, results, out_root: Path) -> Path:
    folder = Path(out_root) / period
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".index.html.{os.getpid()}"
    with_report = {r.force for r in results if (folder / r.force / "report.html").is_file()}
    tmp.write_text(render_index(period, results, with_report), encoding="utf-8")
    tmp.replace(folder / "index.html")
    return folder / "index.html"
