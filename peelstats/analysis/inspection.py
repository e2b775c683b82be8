"""The inspectorate's findings for a force: the audit and published tables of
``data/raw/audits/`` (docs/audits.md), read once into :class:`InspectionData`, from which each
inspection section builds its result (reasonable grounds, crime data integrity, published
stop-and-search figures, published outcomes).

Each part keeps its own period: an audit of 2022 records, a 2023 crime data integrity audit,
stop-and-search figures for the year ending March 2022. The report shows them together in one
clearly labelled part, never as figures for the report's own year.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from peelstats.data.audits import audit_rows

TABLES = (
    "reasonable_grounds.csv",
    "crime_data_integrity.csv",
    "published_figures.csv",
    "published_outcomes.csv",
)


@dataclass(frozen=True)
class InspectionData:
    """One force's rows of every audit and published table, and this report's own
    stop-and-search result (``ours``, or None) to set the published figures beside."""

    force: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    ours: object | None = None

    @classmethod
    def load(cls, force: str, ours=None) -> InspectionData:
        return cls(force, {name: audit_rows(name, force) for name in TABLES}, ours)

    def rows(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def has_findings(force: str) -> bool:
    """Whether any audit or published table has rows for the force."""
    return any(not audit_rows(name, force).empty for name in TABLES)
