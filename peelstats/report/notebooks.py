"""The notebooks a report is made of, and when each applies to a force and period.

A notebook that has no data for a force is skipped with the reason recorded, not failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from peelstats.config import paths


@dataclass
class RunContext:
    """What the applicability checks need to know, loaded lazily and at most once."""

    force: str
    period: str
    source: str = "default"

    @cached_property
    def force_name(self) -> str:
        from peelstats.data.forces import get_force

        return get_force(self.force).name

    @cached_property
    def period_obj(self):
        from peelstats.analysis.periods import parse_period

        return parse_period(self.period)

    @property
    def period_words(self) -> str:
        return self.period_obj.description

    @cached_property
    def searches_months(self) -> set[str]:
        from peelstats.data import load_searches

        table = load_searches(self.source)
        return set(table.loc[table["force"] == self.force, "month"].unique())

    @cached_property
    def outcome_forces(self) -> set[str]:
        from peelstats.data import load_crime_outcomes

        return set(load_crime_outcomes(self.source)["force"].dropna().unique())


def _stop_search(ctx: RunContext) -> str | None:
    if not ctx.searches_months & set(ctx.period_obj.months):
        return f"no police.uk stop-and-search records for this force in {ctx.period_words}"
    return None


def _audit(table: str, what: str) -> Callable[[RunContext], str | None]:
    def check(ctx: RunContext) -> str | None:
        from peelstats.data.audits import audit_rows

        if audit_rows(table, ctx.force).empty:
            return f"no {what} recorded for this force in data/raw/audits/{table}"
        return None

    return check


def _outcomes(ctx: RunContext) -> str | None:
    if ctx.force not in ctx.outcome_forces:
        return "no Home Office crime outcomes data for this force"
    return None


@dataclass(frozen=True)
class NotebookSpec:
    name: str
    title: str
    skip_reason: Callable[[RunContext], str | None]

    @property
    def path(self) -> Path:
        return paths().notebooks / f"{self.name}.ipynb"


NOTEBOOKS: tuple[NotebookSpec, ...] = (
    NotebookSpec("stop_search", "Stop and search", _stop_search),
    NotebookSpec(
        "reasonable_grounds",
        "Stop-and-search record audit",
        _audit("reasonable_grounds.csv", "reasonable-grounds audit"),
    ),
    NotebookSpec(
        "crime_data_integrity",
        "Crime data integrity",
        _audit("crime_data_integrity.csv", "crime data integrity audit"),
    ),
    NotebookSpec("outcomes", "Crime outcomes", _outcomes),
)
