"""Stop-and-search record audits (reasonable grounds recorded): ``build(rows, params)``.

Each row of ``reasonable_grounds.csv`` for the force becomes an audited proportion; the latest
audit of all records (group ``all``, by ``records_from``) is compared with the one before when
the table says the two can be compared. See :mod:`peelstats.analysis.audits`.
"""

from __future__ import annotations

import pandas as pd

from peelstats.analysis.audits import (
    AuditResult,
    audit_change,
    audit_figure,
    change_row,
    figure_rows,
)
from peelstats.analysis.inspection import InspectionData
from peelstats.analysis.params import Params
from peelstats.analysis.results import Caveat

MEASURE = "reasonable_grounds_rate"
CHANGE_MEASURE = "reasonable_grounds_change"


def _label(row: pd.Series) -> str:
    years = row["records_from"][:4]
    if row["records_to"][:4] != years:
        years = f"{years}-{row['records_to'][:4]}"
    prefix = "" if row["group"] == "all" else f"{row['group']}, "
    return f"{prefix}{years} records"


def build(data: InspectionData, params: Params) -> AuditResult:
    """Every reasonable-grounds figure for ``params.force`` (rows already read and validated)."""
    rows, confidence = data.rows("reasonable_grounds.csv"), params.confidence
    ordered = rows.sort_values(["records_from", "records_to"], kind="stable", ascending=False)
    subjects = [
        audit_figure(row, _label(row), row["group"], ("grounds_recorded", "records_reviewed"),
                     confidence)
        for _, row in ordered.iterrows()
    ]  # fmt: skip
    overall = [
        (s, row) for s, (_, row) in zip(subjects, ordered.iterrows(), strict=True)
        if row["group"] == "all"
    ]  # fmt: skip
    changes = []
    if len(overall) >= 2:
        (later, later_row), (earlier, _) = overall[0], overall[1]
        changes.append(
            audit_change(
                "all records", earlier, later, later_row["comparable_with_previous"],
                later_row["comparability_note"], confidence,
            )
        )  # fmt: skip
    figures = [f for s in subjects for f in figure_rows(s, MEASURE)]
    figures += [change_row(c, CHANGE_MEASURE) for c in changes]
    caveats = tuple(
        Caveat("small_sample", {"label": s.label, "n": s.n})
        for s in subjects
        if s.small_numbers and s.n is not None
    )
    latest = subjects[0] if subjects else None
    return AuditResult(
        section="reasonable_grounds",
        force=params.force,
        force_name=params.force_name,
        period=params.period.label,
        confidence=confidence,
        audit=latest.audit if latest else "",
        published=latest.published if latest else "",
        subjects=tuple(subjects),
        changes=tuple(changes),
        figures=tuple(figures),
        sources=tuple(dict.fromkeys(rows["source"])),
        caveats=caveats,
    )
