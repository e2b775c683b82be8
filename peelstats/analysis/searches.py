"""The shared base of the stop-and-search sections: the data they read, the months a force's
data covers, counts by ethnic group, how completely a field was recorded, and the population a
rate can use.

Definitions (docs/methods.md): every figure covers the months the data has of the period
(:class:`~peelstats.vocabulary.Coverage`); searches with no recorded ethnicity count in the
figures for all people but in no group's; a blank linked field is unknown, not "not found".
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from peelstats.analysis.results import register
from peelstats.data import (
    load_coverage,
    load_populations,
    load_searched_people,
    load_searches,
)
from peelstats.vocabulary import (
    ALL,
    COMPARED_GROUPS,
    GROUPS,
    UNKNOWN,
    Coverage,
    Period,
)

ETHNICITY_COLUMN = {"self": "ethnicity_self", "officer": "ethnicity_officer"}
COUNT_COLUMNS = ["searches", "arrests", "linked_finds", "actions", "actions_linked_blank"]
#: Share of searches ending in action with the linked field blank above which the linked find
#: rate is withheld (it cannot be measured), and above which it is a lower bound.
LINKED_UNMEASURABLE = 0.5
LINKED_LOWER_BOUND = 0.05
#: Share of searches with no recorded ethnicity above which group figures are withheld, and
#: above which they carry a caveat.
ETHNICITY_UNUSABLE = 0.5
ETHNICITY_PARTLY = 0.1
#: Searches a year per 1,000 residents above which residents cannot be the people searched
#: (no force policing its own residents comes near; the City of London does).
RESIDENT_RATE_IMPLAUSIBLE = 100.0
#: Forces whose residents are known not to be the population they police.
NOT_RESIDENT_POLICED = ("city-of-london",)


#: one force's cut of the search tables, kept per process: every section of a force's report
#: cuts the same (cached, read-only) national tables again
_CUTS: dict = {}
_CUTS_KEPT = 8


@dataclass(frozen=True)
class SearchData:
    """The tables every stop-and-search figure comes from: searches by force, month, ethnic
    group and outcome; the searched-people table (age, gender, strip search); Census 2021
    populations; the coverage report; and, for the stop-and-search section, the all-forces
    comparison of the period (:func:`peelstats.analysis.funnels.all_forces_summary`)."""

    searches: pd.DataFrame
    populations: pd.DataFrame
    coverage: pd.DataFrame
    people: pd.DataFrame | None = None
    comparison: pd.DataFrame | None = None

    @classmethod
    def load(cls, source="default") -> SearchData:
        return cls(
            load_searches(source),
            load_populations(source),
            load_coverage(source),
            load_searched_people(source),
        )

    def only(self, force: str) -> SearchData:
        """The same data with its tables cut to ``force``'s rows (the all-forces comparison, if
        attached, kept whole). Every figure of one force reads only that force's rows, so it
        is the same from either; cutting the national tables once is cheaper than each figure
        filtering them again."""

        def rows(table: pd.DataFrame | None) -> pd.DataFrame | None:
            return None if table is None else table[table["force"] == force]

        tables = (self.searches, self.populations, self.coverage, self.people)
        key = (tuple(id(t) for t in tables), force)
        hit = _CUTS.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], tables, strict=True)):
            cut = hit[1]
        else:
            cut = tuple(rows(t) for t in tables)
            if len(_CUTS) >= _CUTS_KEPT:
                _CUTS.pop(next(iter(_CUTS)))
            _CUTS[key] = (tables, cut)  # the whole tables kept too: their ids stay theirs
        # each caller gets its own shallow copy: with copy-on-write, a change it makes to its
        # cut copies the data then, and never reaches the kept cut
        searches, populations, coverage, people = (
            None if t is None else t.copy(deep=False) for t in cut
        )
        return dataclasses.replace(
            self, searches=searches, populations=populations, coverage=coverage, people=people
        )

    def with_comparison(self, comparison: pd.DataFrame) -> SearchData:
        """The same data with the all-forces comparison of the period attached."""
        return dataclasses.replace(self, comparison=comparison)

    @property
    def forces(self) -> list[str]:
        return sorted(self.searches["force"].unique())


@register
@dataclass(frozen=True)
class Recording:
    """How completely a field was filled in: ``blank`` of ``total``; ``status`` is
    'recorded', 'partly_recorded' (ethnicity) / 'lower_bound' (linked), or 'not_recorded'."""

    field: str
    total: int
    blank: int
    status: str

    @property
    def share(self) -> float:
        return self.blank / self.total if self.total else 0.0


# ----------------------------------------------------------------------------- coverage


def coverage_for(data: SearchData, force: str, months) -> Coverage:
    """Months of ``months`` with a file for ``force``, and doubled months repaired."""
    table = data.coverage[data.coverage["force"] == force].set_index("month")
    present, repaired = [], []
    for month in months:
        if month not in table.index:
            continue
        row = table.loc[month]
        if bool(row.get("missing", False)) or not bool(row.get("file_present", True)):
            continue
        present.append(month)
        if bool(row.get("doubled", False)):
            repaired.append(month)
    return Coverage(tuple(months), tuple(present), tuple(repaired))


def group_counts(data: SearchData, force: str, months, definition: str) -> pd.DataFrame:
    """Searches, arrests and linked finds by ethnic group (the 5 groups, Unknown and all), and
    the searches ending in action (arrest or other) whose linked field was left blank."""
    column = ETHNICITY_COLUMN[definition]
    rows = data.searches[(data.searches["force"] == force) & data.searches["month"].isin(months)]
    action = rows["outcome_class"].isin(["arrest", "other_action"])
    rows = rows.assign(
        arrests=np.where(rows["outcome_class"] == "arrest", rows["searches"], 0),
        linked_finds=np.where(rows["linked_find"], rows["searches"], 0),
        actions=np.where(action, rows["searches"], 0),
        actions_linked_blank=np.where(action & ~rows["linked_recorded"], rows["searches"], 0),
    )
    order = [*GROUPS, UNKNOWN]
    counts = rows.groupby(column)[COUNT_COLUMNS].sum().reindex(order, fill_value=0)
    counts.loc[ALL] = counts.sum()
    counts.index.name = "group"
    return counts.astype("int64")


def officer_groups_not_used(data: SearchData, force: str) -> tuple[str, ...]:
    """Compared groups the force never records as officer-defined ethnicity in any month of the
    data, although people searched describe themselves so: the force does not use that
    officer-defined category (police.uk's officer-defined Mixed is used by few forces), so a
    zero for it is how ethnicity is recorded, not who was searched."""
    rows = data.searches[data.searches["force"] == force]
    officer = rows.groupby(ETHNICITY_COLUMN["officer"])["searches"].sum()
    self_defined = rows.groupby(ETHNICITY_COLUMN["self"])["searches"].sum()
    return tuple(
        g for g in COMPARED_GROUPS
        if int(officer.get(g, 0)) == 0 and int(self_defined.get(g, 0)) > 0
    )  # fmt: skip


def group_populations(data: SearchData, force: str) -> pd.Series | None:
    """Census 2021 usual residents by group (and 'all') for the force area; None if it has none."""
    table = data.populations[data.populations["force"] == force]
    if table.empty:
        return None
    return table.set_index("group")["population"].reindex([*GROUPS, ALL]).astype("int64")


def ethnicity_recording(counts: pd.DataFrame) -> Recording:
    total, blank = int(counts.loc[ALL, "searches"]), int(counts.loc[UNKNOWN, "searches"])
    share = blank / total if total else 0.0
    status = (
        "not_recorded"
        if share > ETHNICITY_UNUSABLE
        else ("partly_recorded" if share > ETHNICITY_PARTLY else "recorded")
    )
    return Recording("ethnicity", total, blank, status)


def linked_recording(counts: pd.DataFrame) -> Recording:
    total, blank = int(counts.loc[ALL, "actions"]), int(counts.loc[ALL, "actions_linked_blank"])
    share = blank / total if total else 0.0
    status = (
        "not_recorded"
        if share > LINKED_UNMEASURABLE
        else ("lower_bound" if share > LINKED_LOWER_BOUND else "recorded")
    )
    return Recording("linked", total, blank, status)


def population_base(force: str, population: pd.Series | None, searches: int, months: int) -> str:
    """'residents' (a usable base), 'none' (no resident population, e.g. British Transport
    Police) or 'unrepresentative' (residents are not the people policed, e.g. the City of
    London: known, or searches a year above RESIDENT_RATE_IMPLAUSIBLE per 1,000 residents)."""
    if population is None or int(population.loc[ALL]) <= 0:
        return "none"
    if force in NOT_RESIDENT_POLICED:
        return "unrepresentative"
    yearly = searches * 12 / months if months else 0
    if yearly / int(population.loc[ALL]) * 1000 > RESIDENT_RATE_IMPLAUSIBLE:
        return "unrepresentative"
    return "residents"


def matched_months(now: Coverage, before: Coverage, period: Period) -> tuple[list, list]:
    """The months of ``period`` with data whose month a year earlier has data too, and those
    earlier months: a change on the year before compares only these."""
    matched_now, matched_before = [], []
    for current, previous in zip(period.months, period.previous_months, strict=True):
        if current in now.present and previous in before.present:
            matched_now.append(current)
            matched_before.append(previous)
    return matched_now, matched_before
