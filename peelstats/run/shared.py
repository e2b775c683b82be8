"""Work shared by every force in a period, done once per period in a batch.

The all-forces comparison (funnel plots) needs every force's totals for the period; a batch
computes it once and hands each force's notebook the file, instead of each notebook recomputing
it.
"""

from __future__ import annotations

from pathlib import Path

from peelstats.analysis.funnels import all_forces_summary
from peelstats.analysis.searches import SearchData
from peelstats.data.safe_csv import csv_text
from peelstats.files import atomic_write
from peelstats.vocabulary import parse_period


def write_shared(
    period: str, folder: Path, source: str = "default", definition: str = "self"
) -> Path:
    """Write ``all_forces.csv`` for a period into ``folder`` (atomically, text a spreadsheet would
    run as a formula neutralised) and return the folder."""
    summary = all_forces_summary(SearchData.load(source), parse_period(period), definition)
    folder.mkdir(parents=True, exist_ok=True)  # only now: bad data leaves no empty folder
    atomic_write(folder / "all_forces.csv", csv_text(summary, index=False, lineterminator="\n"))
    return folder
