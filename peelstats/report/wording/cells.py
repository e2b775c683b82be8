"""How a table cell shows a number, a share, a group or a missing value: an en dash where
nothing applies, "not recorded" for a blank field, never "nan" or 0."""

from __future__ import annotations

from typing import TYPE_CHECKING

from peelstats.report.wording.numbers import fixed, pct, whole
from peelstats.vocabulary import ALL, UNKNOWN

if TYPE_CHECKING:
    import pandas as pd

DASH = "–"


def cell_count(value) -> str:
    return DASH if value is None else whole(value)


def cell_number(value, digits=2) -> str:
    return DASH if value is None else fixed(value, digits)


def cell_share(value) -> str:
    return DASH if value is None else pct(value, word=False)


def group_label(group: str) -> str:
    return {ALL: "All people", UNKNOWN: "Not recorded"}.get(group, group)


def months_label(coverage) -> str:
    if coverage is None or coverage.complete:
        return ""
    return f" ({len(coverage.present)} of {len(coverage.expected)} months)"


def fmt_p(value) -> str:
    if value is None:
        return DASH
    return "<0.001" if value < 0.001 else fixed(value, 3)


#: the short note a table shows for each flag of tables/estimates.csv
FLAG_NOTES: dict[str, str] = {
    "small_numbers": "small numbers",
    "incomplete_period": "months missing",
    "part_year": "part of the year only",
    "repaired_months": "doubled month repaired",
    "matched_months_only": "matched months only",
    "ethnicity_not_recorded": "ethnicity mostly not recorded",
    "officer_group_not_used": "not an officer-defined category the force uses",
    "linked_not_recorded": "linked field mostly blank",
    "linked_lower_bound": "lower bound (linked field partly blank)",
    "officer_defined_vs_census": "officer-defined ethnicity against self-defined residents",
    "residents_unrepresentative": "residents are not the people policed",
    "no_resident_population": "no resident population",
    "implied_sample_size": "sample size implied, not published",
    "count_implied": "count implied by the published percent",
    "assumed_sample_size": "sample size assumed",
    "as_published": "as published",
    "published_confidence": "published 95% interval",
    "no_interval": "no interval published",
    "not_comparable": "not comparable with the previous audit",
    "comparability_unknown": "comparability not stated",
    "earlier_size_unknown": "earlier sample size unknown",
    "improvement": "improvement",
    "deterioration": "deterioration",
    "no_significant_change": "no significant change",
    "higher_than_rest": "higher than the rest of England and Wales",
    "higher_than_forces": "higher than the usual variation between forces",
    "lower_than_forces": "lower than the usual variation between forces",
    "lower_than_rest": "lower than the rest of England and Wales",
    "higher_than_england_and_wales": "higher than England and Wales",
    "lower_than_england_and_wales": "lower than England and Wales",
    "not_recorded": "not recorded",
    "part_quarter": "part of the quarter only",
    "no_data": "no data",
    "strip_partly_recorded": "of the searches recording the field",
    "unknown_ethnicity_allocated": "unrecorded ethnicity allocated",
    "recording_change": "more likely a change in recording",
    "design_effect": "interval widened: several tactics per incident",
    "ced_summary_only": "summary Taser figures only",
}


#: a table's notes column
NOTES_COLUMN = "Notes"


def lift_shared_notes(frame: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """A table of 3 rows or more whose every row carries the same note: the note said once
    under the table ("Every row above: ..."), not repeated in each row (the notes column is
    dropped when nothing else is left in it). Returns the table and that line ("" if none)."""
    if NOTES_COLUMN not in frame.columns or len(frame) < 3:
        return frame, ""
    cells = [[n for n in str(v).split(", ") if n] for v in frame[NOTES_COLUMN]]
    shared = [n for n in cells[0] if all(n in c for c in cells[1:])]
    if not shared:
        return frame, ""
    out = frame.copy()
    out[NOTES_COLUMN] = [", ".join(n for n in c if n not in shared) for c in cells]
    if not any(out[NOTES_COLUMN]):
        out = out.drop(columns=NOTES_COLUMN)
    return out, f"Every row above: {', '.join(shared)}."


def flag_notes(flags) -> str:
    """The notes a table shows for a row's flags (unknown codes are left out)."""
    codes = flags.split(";") if isinstance(flags, str) else list(flags or ())
    return ", ".join(dict.fromkeys(FLAG_NOTES[f] for f in codes if f in FLAG_NOTES))
