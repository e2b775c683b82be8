"""The inspectorate's findings for a force: ``build(params)`` gathers every audit and published
table of ``data/raw/audits/`` into one :class:`InspectionFindings`.

Each part keeps its own period: an audit of 2022 records, a 2023 crime data integrity audit,
stop-and-search figures for the year ending March 2022. The report shows them together in one
clearly labelled part, never as figures for the report's own year.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from peelstats.analysis import crime_data_integrity, published, reasonable_grounds
from peelstats.analysis.audits import AuditResult
from peelstats.analysis.published import PublishedOutcomes, PublishedStopSearch
from peelstats.data.audits import audit_rows

TABLES = (
    "reasonable_grounds.csv",
    "crime_data_integrity.csv",
    "published_figures.csv",
    "published_outcomes.csv",
)


@dataclass(frozen=True)
class InspectionFindings:
    reasonable_grounds: AuditResult
    crime_data_integrity: AuditResult
    published_figures: PublishedStopSearch
    published_outcomes: PublishedOutcomes

    def __iter__(self):
        return iter(
            (
                self.reasonable_grounds,
                self.crime_data_integrity,
                self.published_figures,
                self.published_outcomes,
            )
        )

    @property
    def empty(self) -> bool:
        return all(part.status == "no_data" for part in self)


def has_findings(force: str) -> bool:
    """Whether any audit or published table has rows for the force."""
    return any(not audit_rows(name, force).empty for name in TABLES)


def _ours(params, rows: pd.DataFrame):
    """This report's own stop-and-search figures, to set beside published ones."""
    if rows.empty:
        return None
    from peelstats.analysis import stop_search

    data = stop_search.StopSearchData.load(params.data_source)
    empty = pd.DataFrame(columns=stop_search.SUMMARY_COLUMNS)
    return stop_search.build(data, params, all_forces=empty)


def build(params) -> InspectionFindings:
    force = params.force
    figures = audit_rows("published_figures.csv", force)
    return InspectionFindings(
        reasonable_grounds=reasonable_grounds.build(
            audit_rows("reasonable_grounds.csv", force), params
        ),
        crime_data_integrity=crime_data_integrity.build(
            audit_rows("crime_data_integrity.csv", force), params
        ),
        published_figures=published.build_stop_search(figures, _ours(params, figures), params),
        published_outcomes=published.build_outcomes(
            audit_rows("published_outcomes.csv", force), params
        ),
    )
