"""outputs/<period>/index.html: every force with a complete report in the folder.

Built from the folder, not from one run: a later ``run`` for one force keeps every other
force's row. Each row reads the force's ``status.json`` and its saved stop-and-search result
(``results/stop_search.json``); the page is written by :mod:`peelstats.report.index_page`.
"""

from __future__ import annotations

from pathlib import Path

from peelstats.analysis import results as res
from peelstats.files import atomic_write
from peelstats.report.index_page import render_index


def collect(period_dir: Path):
    """(JobResult, stop-search result or None, has report) for every force folder with a
    status.json, sorted by force. Hidden work folders are never read."""
    from peelstats.run.jobs import JobResult

    rows = []
    if not period_dir.is_dir():
        return rows
    for folder in sorted(period_dir.iterdir()):
        if folder.name.startswith((".", "_")) or not folder.is_dir() or folder.is_symlink():
            continue
        job = JobResult.from_status(folder / "status.json")
        if job is None:
            continue
        ss = None
        path = folder / "results" / "stop_search.json"
        if path.is_file():
            try:
                ss = res.load(path)
            except (OSError, ValueError, KeyError, TypeError):
                ss = None
        rows.append((job, ss, (folder / "report.html").is_file()))
    return rows


def write_index(period: str, out_root: Path, results=()) -> Path:
    """(Re)write ``<out_root>/<period>/index.html`` from every complete report in the folder,
    plus this run's jobs that left no report (a job whose process was killed)."""
    folder = Path(out_root) / period
    folder.mkdir(parents=True, exist_ok=True)
    rows = collect(folder)
    have = {job.force for job, _, _ in rows}
    rows += [(r, None, False) for r in results if r.period == period and r.force not in have]
    rows.sort(key=lambda row: row[0].force)
    atomic_write(folder / "index.html", render_index(period, rows))
    return folder / "index.html"
