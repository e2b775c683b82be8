"""The notebooks a report is made of (those of the registered sections), and when each applies
to a force and period.

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
from peelstats.report.sections import notebook_names
from peelstats.report.wording import skip_reason


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
    def use_of_force_forces(self) -> set[str] | None:
        """Forces with incidents in the use of force tables (None: the data has none)."""
        from peelstats.data import load_use_of_force

        tables = load_use_of_force(self.source)
        if tables is None:
            return None
        return set(tables.incidents.dropna(subset=["incidents"])["force"])

    @cached_property
    def outcome_forces(self) -> set[str]:
        from peelstats.data import load_crime_outcomes

        return set(load_crime_outcomes(self.source)["force"].dropna().unique())


def _always(ctx: RunContext) -> str | None:
    return None


def _inspection(ctx: RunContext) -> str | None:
    from peelstats.analysis.inspection import has_findings

    return None if has_findings(ctx.force) else skip_reason("no_inspection_findings")


def _outcomes(ctx: RunContext) -> str | None:
    return None if ctx.force in ctx.outcome_forces else skip_reason("no_outcomes")


def _use_of_force(ctx: RunContext) -> str | None:
    forces = ctx.use_of_force_forces
    if forces is None:
        return skip_reason("no_use_of_force_tables")
    return None if ctx.force in forces else skip_reason("no_use_of_force")


#: when a notebook is left out of a force's report; a notebook not named here always runs
SKIP_RULES: dict[str, Callable[[RunContext], str | None]] = {
    "inspection": _inspection,
    "outcomes": _outcomes,
    "use_of_force": _use_of_force,
}


@dataclass(frozen=True)
class NotebookSpec:
    name: str
    skip_reason: Callable[[RunContext], str | None]

    @property
    def path(self) -> Path:
        return paths().notebooks / f"{self.name}.ipynb"


def notebooks() -> tuple[NotebookSpec, ...]:
    """The notebooks of a report, in order: those of the registered sections
    (:func:`peelstats.report.sections.notebook_names`)."""
    return tuple(NotebookSpec(name, SKIP_RULES.get(name, _always)) for name in notebook_names())
