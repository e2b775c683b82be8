"""Crime data integrity audits (crimes correctly recorded): ``build(rows, params)``.

For each category the latest audit (by ``published`` where given, else the first listed) is
reported, and compared with the earlier audit of the same category only where the table says
the two can be compared: HMICFRS's own CDI audits since the 2023 Home Office Counting Rules
change cannot be. HMICFRS's CDI samples are weighted and their sizes unpublished, so any sample
size is an inference from the published margin, labelled as such. See
:mod:`peelstats.analysis.audits`.
"""

from __future__ import annotations

from peelstats.analysis.audits import (
    AuditResult,
    audit_change,
    audit_figure,
    change_row,
    figure_rows,
)
from peelstats.analysis.inspection import InspectionData
from peelstats.analysis.params import Params

MEASURE = "crime_recording_rate"
CHANGE_MEASURE = "crime_recording_change"


def build(data: InspectionData, params: Params) -> AuditResult:
    """Every crime-recording figure for ``params.force`` (rows already read and validated)."""
    rows, confidence = data.rows("crime_data_integrity.csv"), params.confidence
    audits = list(dict.fromkeys(rows["audit"]))
    dated = {a: max(rows.loc[rows["audit"] == a, "published"], default="") for a in audits}
    if any(dated.values()):
        audits.sort(key=lambda a: dated[a], reverse=True)  # stable: undated keep their order
    latest = audits[0] if audits else ""
    subjects, changes = [], []
    for category in dict.fromkeys(rows["category"]):
        cat = rows[rows["category"] == category]
        by_audit = {r["audit"]: r for _, r in cat.iterrows()}
        if latest not in by_audit:
            continue
        row = by_audit[latest]
        now = audit_figure(row, f"{category} ({latest})", category,
                           ("crimes_recorded", "crimes_reviewed"),
                           confidence)  # fmt: skip
        subjects.append(now)
        earlier = [a for a in audits[1:] if a in by_audit]
        if earlier:
            before_row = by_audit[earlier[0]]
            before = audit_figure(before_row, f"{category} ({earlier[0]})", category,
                                  ("crimes_recorded", "crimes_reviewed"), confidence)  # fmt: skip
            changes.append(
                audit_change(category, before, now, row["comparable_with_previous"],
                             row["comparability_note"], confidence)
            )  # fmt: skip
    figures = [f for s in subjects for f in figure_rows(s, MEASURE)]
    figures += [change_row(c, CHANGE_MEASURE) for c in changes]
    return AuditResult(
        section="crime_data_integrity",
        force=params.force,
        force_name=params.force_name,
        period=params.period.label,
        confidence=confidence,
        audit=latest,
        published=dated.get(latest, ""),
        subjects=tuple(subjects),
        changes=tuple(changes),
        figures=tuple(figures),
        sources=tuple(dict.fromkeys(rows["source"])),
        caveats=(),
    )
