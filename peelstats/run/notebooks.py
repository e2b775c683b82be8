"""The notebooks a report is made of, and when each applies to a force and period.

A notebook that has no data for a force is skipped with the reason recorded, not failed. The
stop-and-search notebook always runs: with no records in the period it says so ("no
stop-and-search data"), so the report and the index can say it too.
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
    def outcome_forces(self) -> set[str]:
        from peelstats.data import load_crime_outcomes

        return set(load_crime_outcomes(self.source)["force"].dropna().unique())


def _stop_search(ctx: RunContext) -> str | None:
    return None


def _inspection(ctx: RunContext) -> str | None:
    from peelstats.analysis.inspection import has_findings

    if not has_findings(ctx.force):
        return "the audit tables have no inspection findings for this force"
    return None


def _outcomes(ctx: RunContext) -> str | None:
    if ctx.force not in ctx.outcome_forces:
        return "the Home Office crime outcomes data has no figures for this force"
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
    NotebookSpec("inspection", "Latest inspection findings", _inspection),
    NotebookSpec("outcomes", "Crime outcomes", _outcomes),
)
