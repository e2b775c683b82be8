"""What officers searched for and who they searched, for one force and 12-month period.

The questions Panels and the inspectorate ask beyond the headline rates: the share of searches
by object and by legislation (and s60, without reasonable suspicion, with its change on the
year before), the linked find rate by object, an outcome test that allows for what each group
was searched for (Mantel-Haenszel across objects), strip searches by ethnic group and age with
their own outcome test, and searches by age range and gender. Every figure is a
:class:`~peelstats.analysis.results.Figure` with its interval and method; the words are
written by :mod:`peelstats.report.wording`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from peelstats import stats
from peelstats.analysis.params import Params
from peelstats.analysis.results import Caveat, Figure, find, num, register
from peelstats.analysis.searches import (
    ETHNICITY_COLUMN,
    ETHNICITY_UNUSABLE,
    SearchData,
    coverage_for,
    group_counts,
    linked_recording,
    matched_months,
)
from peelstats.vocabulary import ALL, GROUPS, REFERENCE_GROUP, Caveats, Coverage, Methods

S60 = "CJPOA s60"
STRIP_YES, STRIP_NO = "yes", "no"
NOT_RECORDED = "Not recorded"
#: police.uk's age ranges, youngest first
AGE_ORDER = ("under 10", "10-17", "18-24", "25-34", "over 34", NOT_RECORDED)
#: share of searches with the strip-search field blank above which strip-search shares are
#: withheld (the field is not used), and above which they carry a caveat
STRIP_UNUSABLE = 0.5
STRIP_PARTLY = 0.1


@register
@dataclass(frozen=True)
class AdjustedComparison:
    """One group's linked find odds against White's, pooled over objects of search
    (Mantel-Haenszel), with the crude odds ratio and Breslow-Day homogeneity p-value."""

    group: str
    estimate: float | None
    lower: float | None
    upper: float | None
    p_value: float | None
    crude: float | None
    homogeneity_p_value: float | None
    strata: int
    searches: int
    significant: bool | None
    direction: str | None


@register
@dataclass(frozen=True)
class SearchDetailResult:
    """Every search-detail figure for one force and period."""

    section: str
    force: str
    force_name: str
    period: str
    months: tuple[str, ...]
    definition: str
    confidence: float
    status: str  # 'ok' or 'no_data'
    coverage: Coverage
    previous_coverage: Coverage
    figures: tuple[Figure, ...]
    adjusted: tuple[AdjustedComparison, ...]
    strip_recorded_share: float | None
    linked_status: str
    caveats: tuple[Caveat, ...]

    def figure(self, measure: str, group: str = ALL) -> Figure | None:
        return find(self.figures, measure, group)

    def measure(self, measure: str) -> list[Figure]:
        return [f for f in self.figures if f.measure == measure]


def _share_figures(measure, counts: pd.Series, total: int, coverage, confidence, flags=(),
                   method=Methods.SHARE):  # fmt: skip
    """Each category's share of ``total`` (Wilson score interval)."""
    if total <= 0 or counts.empty:
        return []
    ci = stats.proportion_ci(counts.to_numpy(), np.full(len(counts), total), confidence=confidence)
    frame = ci.to_frame()
    out = []
    for i, (label, x) in enumerate(counts.items()):
        row = frame.iloc[i]
        out.append(
            Figure(
                measure, str(label), num(row["estimate"]), num(row["lower"]), num(row["upper"]),
                numerator=float(x), denominator=float(total),
                method=method, confidence=confidence,
                flags=tuple(dict.fromkeys([*coverage.flags, *flags,
                                           *(["small_numbers"] if row["small_numbers"] else [])])),
                coverage=coverage,
            )
        )  # fmt: skip
    return out


def _rate_figures(measure, x: pd.Series, n: pd.Series, coverage, confidence, flags=(),
                  method=Methods.PROPORTION):  # fmt: skip
    """x/n per category (Wilson score interval); categories with n = 0 left out."""
    keep = n > 0
    if not keep.any():
        return []
    x, n = x[keep], n[keep]
    frame = stats.proportion_ci(x.to_numpy(), n.to_numpy(), confidence=confidence).to_frame()
    out = []
    for i, label in enumerate(x.index):
        row = frame.iloc[i]
        out.append(
            Figure(
                measure, str(label), num(row["estimate"]), num(row["lower"]), num(row["upper"]),
                numerator=float(x.iloc[i]), denominator=float(n.iloc[i]), method=method,
                confidence=confidence,
                flags=tuple(dict.fromkeys([*coverage.flags, *flags,
                                           *(["small_numbers"] if row["small_numbers"] else [])])),
                coverage=coverage,
            )
        )  # fmt: skip
    return out


def _difference_figures(measure, x: pd.Series, n: pd.Series, coverage, confidence, flags=()):
    """Each ethnic group's proportion against White's: Newcombe hybrid score interval."""
    groups = [g for g in GROUPS if n.get(g, 0) > 0]
    if REFERENCE_GROUP not in groups or len(groups) < 2:
        return []
    result = stats.compare_groups(
        x.reindex(groups).to_numpy(), n.reindex(groups).to_numpy(), groups=groups,
        reference=REFERENCE_GROUP, confidence=confidence,
    ).to_frame()  # fmt: skip
    out = []
    for _, row in result.iterrows():
        if row["group"] == REFERENCE_GROUP:
            continue
        lo, hi = num(row["difference_lower"]), num(row["difference_upper"])
        sig = bool(lo is not None and hi is not None and (lo > 0 or hi < 0))
        out.append(
            Figure(
                f"{measure}_difference_vs_white", row["group"], num(row["difference"]), lo, hi,
                numerator=float(row["successes"]), denominator=float(row["n"]),
                method=Methods.DIFFERENCE,
                confidence=confidence, p_value=num(row["difference_pvalue"]),
                flags=tuple(dict.fromkeys([*coverage.flags, *flags,
                                           *(["small_numbers"] if row["small_numbers"] else [])])),
                coverage=coverage, significant=sig,
                direction=("increase" if lo > 0 else "decrease") if sig else "none",
            )
        )  # fmt: skip
    return out


def adjusted_outcome_test(rows: pd.DataFrame, column: str, confidence: float):
    """Each ethnic group's linked find odds against White's within each object of search,
    pooled by Mantel-Haenszel; one :class:`AdjustedComparison` per group with searches."""
    table = rows.assign(finds=np.where(rows["linked_find"], rows["searches"], 0))
    by = table.groupby([column, "object_of_search"])[["finds", "searches"]].sum()
    out = []
    for group in GROUPS:
        if group == REFERENCE_GROUP or group not in by.index.get_level_values(0):
            continue
        if REFERENCE_GROUP not in by.index.get_level_values(0):
            break
        g = by.loc[group]
        w = by.loc[REFERENCE_GROUP].reindex(g.index, fill_value=0)
        r = stats.stratified_odds_ratio(g["finds"], g["searches"], w["finds"], w["searches"],
                                        confidence=confidence)  # fmt: skip
        est, lo, hi = num(r.estimate), num(r.lower), num(r.upper)
        sig = None if lo is None or hi is None else bool(lo > 1 or hi < 1)
        out.append(
            AdjustedComparison(
                group=group, estimate=est, lower=lo, upper=hi, p_value=num(r.pvalue),
                crude=num(r.extra["crude"]), homogeneity_p_value=num(r.extra["homogeneity_pvalue"]),
                strata=int(r.extra["strata"]), searches=int(g["searches"].sum()),
                significant=sig,
                direction=None if sig is None else
                ("none" if not sig else ("increase" if lo > 1 else "decrease")),
            )
        )  # fmt: skip
    return out


def build(data: SearchData, params: Params) -> SearchDetailResult:
    """Every search-detail figure for ``params.force`` and ``params.period``."""
    force, period = params.force, params.period
    definition, confidence = params.ethnicity_definition, params.confidence
    column = ETHNICITY_COLUMN[definition]
    coverage = coverage_for(data, force, period.months)
    previous = coverage_for(data, force, period.previous_months)
    rows = data.searches[
        (data.searches["force"] == force) & data.searches["month"].isin(coverage.present)
    ]
    people = data.people[
        (data.people["force"] == force) & data.people["month"].isin(coverage.present)
    ]
    total = int(rows["searches"].sum())
    common = dict(
        section="search_detail", force=force, force_name=params.force_name,
        period=period.label, months=tuple(period.months), definition=definition,
        confidence=confidence, coverage=coverage, previous_coverage=previous,
    )  # fmt: skip
    if coverage.empty or total == 0:
        return SearchDetailResult(
            **common, status="no_data", figures=(), adjusted=(), strip_recorded_share=None,
            linked_status="not_recorded", caveats=(Caveat(Caveats.NO_DATA, {}),),
        )  # fmt: skip
    caveats: list[Caveat] = [Caveat(Caveats.AGE_SEX_NOT_STANDARDISED)]
    figures: list[Figure] = []
    unknown = int(rows.loc[~rows[column].isin(GROUPS), "searches"].sum())
    by_group = unknown / total <= ETHNICITY_UNUSABLE  # else no comparison between groups
    if not by_group:
        caveats.append(Caveat(Caveats.ETHNICITY_NOT_RECORDED,
                              {"share": unknown / total, "definition": definition}))  # fmt: skip

    # what was searched for, and under which power
    objects = rows.groupby("object_of_search")["searches"].sum().sort_values(ascending=False)
    figures += _share_figures("object_share", objects, total, coverage, confidence)
    legislation = rows.groupby("legislation_group")["searches"].sum().sort_values(ascending=False)
    figures += _share_figures("legislation_share", legislation, total, coverage, confidence)
    s60 = int(legislation.get(S60, 0))
    figures += [
        f for f in _share_figures("s60_share", pd.Series({ALL: s60}), total, coverage, confidence)
    ]
    # the change on the year before, over the months with data in both years (as for searches)
    matched_now, matched_before = matched_months(coverage, previous, period)
    mine = data.searches[data.searches["force"] == force]
    before = mine[mine["month"].isin(matched_before)]
    after = mine[mine["month"].isin(matched_now)]
    before_total, after_total = int(before["searches"].sum()), int(after["searches"].sum())
    if before_total > 0 and after_total > 0:
        before_s60 = int(before.loc[before["legislation_group"] == S60, "searches"].sum())
        after_s60 = int(after.loc[after["legislation_group"] == S60, "searches"].sum())
        change = stats.compare_proportions(
            before_s60, before_total, after_s60, after_total, confidence=confidence
        )  # this year minus before
        lo, hi = num(change.lower), num(change.upper)
        sig = bool(lo is not None and hi is not None and (lo > 0 or hi < 0))
        matched = Coverage(tuple(period.months), tuple(matched_now), ())
        flags = [*coverage.flags, *previous.flags]
        if len(matched_now) < len(period.months):
            flags.append("matched_months_only")
        figures.append(
            Figure(
                "s60_share_change_vs_previous_year", ALL, num(change.estimate), lo, hi,
                numerator=float(after_s60), denominator=float(after_total),
                method=Methods.DIFFERENCE_YEAR,
                confidence=confidence, p_value=num(change.pvalue),
                flags=tuple(dict.fromkeys(flags)), coverage=matched,
                period_start=previous.expected[0], period_end=coverage.expected[-1],
                significant=sig,
                direction=("increase" if lo > 0 else "decrease") if sig else "none",
            )
        )  # fmt: skip

    # what was found, by object; and the outcome test allowing for the object
    linked_status = linked_recording(group_counts(data, force, coverage.present, definition)).status
    linked_flags = {"lower_bound": ("linked_lower_bound",), "not_recorded": ()}.get(
        linked_status, ()
    )
    adjusted: list[AdjustedComparison] = []
    if linked_status != "not_recorded":
        finds = rows.assign(f=np.where(rows["linked_find"], rows["searches"], 0))
        by_object = finds.groupby("object_of_search")[["f", "searches"]].sum()
        by_object = by_object.reindex(objects.index)
        figures += _rate_figures(
            "linked_find_rate_by_object",
            by_object["f"],
            by_object["searches"],
            coverage,
            confidence,
            linked_flags,
        )
        adjusted = adjusted_outcome_test(rows, column, confidence) if by_group else []
        for a in adjusted:
            figures.append(
                Figure(
                    "linked_find_rate_adjusted_vs_white", a.group, a.estimate, a.lower, a.upper,
                    numerator=float(a.searches), method=Methods.ODDS_RATIO_MH,
                    confidence=confidence,
                    p_value=a.p_value, flags=tuple(dict.fromkeys([*coverage.flags,
                                                                  *linked_flags])),
                    coverage=coverage, significant=a.significant, direction=a.direction,
                )
            )  # fmt: skip

    # strip searches ("Removal of more than just outer clothing"), of the searches recording it
    strip_rows = people[people["strip_search"].isin([STRIP_YES, STRIP_NO])]
    recorded = int(strip_rows["searches"].sum())
    people_all = int(people["searches"].sum())
    strip_share = recorded / people_all if people_all else 0.0
    strip_flags: tuple[str, ...] = ()
    if strip_share < 1 - STRIP_UNUSABLE:
        caveats.append(Caveat(Caveats.STRIP_NOT_RECORDED, {"share": 1 - strip_share}))
    else:
        if strip_share < 1 - STRIP_PARTLY:
            strip_flags = ("strip_partly_recorded",)
            caveats.append(Caveat(Caveats.STRIP_PARTLY_RECORDED, {"share": 1 - strip_share}))
        strips = strip_rows.assign(
            strip=np.where(strip_rows["strip_search"] == STRIP_YES, strip_rows["searches"], 0),
            finds=np.where(strip_rows["linked_find"], strip_rows["searches"], 0),
        )
        groups_wanted = [*GROUPS] if by_group else []
        method = Methods.SHARE_RECORDING
        strip_by = strips.groupby(column)[["strip", "searches"]].sum()
        strip_by = strip_by.reindex(groups_wanted, fill_value=0)
        strip_by.loc[ALL] = strips[["strip", "searches"]].sum()
        figures += _rate_figures("strip_search_share", strip_by["strip"], strip_by["searches"],
                                 coverage, confidence, strip_flags, method)  # fmt: skip
        if by_group:
            figures += _difference_figures("strip_search_share", strip_by["strip"],
                                           strip_by["searches"], coverage, confidence,
                                           strip_flags)  # fmt: skip
        by_age = strips.groupby("age_range")[["strip", "searches"]].sum()
        by_age = by_age.reindex([a for a in AGE_ORDER if a in by_age.index])
        figures += _rate_figures("strip_search_share_by_age", by_age["strip"],
                                 by_age["searches"], coverage, confidence, strip_flags,
                                 method)  # fmt: skip
        if linked_status != "not_recorded":
            stripped = strips[strips["strip_search"] == STRIP_YES]
            found = stripped.groupby(column)[["finds", "searches"]].sum()
            found = found.reindex(groups_wanted, fill_value=0)
            found.loc[ALL] = stripped[["finds", "searches"]].sum()
            flags = (*strip_flags, *linked_flags)
            figures += _rate_figures(
                "strip_search_linked_find_rate",
                found["finds"],
                found["searches"],
                coverage,
                confidence,
                flags,
            )
            if by_group:
                figures += _difference_figures("strip_search_linked_find_rate",
                                               found["finds"], found["searches"], coverage,
                                               confidence, flags)  # fmt: skip

    # who was searched: age range and gender (shares of all searches)
    # (shares of the people table's own total: the two tables come from the same records,
    # but a table prepared apart from the other must not give a share above 1)
    people_total = int(people["searches"].sum())
    ages = people.groupby("age_range")["searches"].sum()
    ages = ages.reindex([a for a in AGE_ORDER if a in ages.index])
    figures += _share_figures("searches_by_age", ages, people_total, coverage, confidence)
    genders = people.groupby("gender")["searches"].sum().sort_values(ascending=False)
    figures += _share_figures("searches_by_gender", genders, people_total, coverage, confidence)
    # the same shares of the searches that recorded the field: a large unrecorded share is said
    # beside the share of all searches, never hidden in it
    for measure, counts in (("searches_by_age", ages), ("searches_by_gender", genders)):
        recorded = counts.drop(NOT_RECORDED, errors="ignore")
        if int(recorded.sum()) > 0:
            figures += _share_figures(
                f"{measure}_of_recorded",
                recorded,
                int(recorded.sum()),
                coverage,
                confidence,
                method=Methods.SHARE_RECORDING,
            )
    if coverage.missing:
        caveats.insert(0, Caveat(Caveats.MONTHS_MISSING, {"missing": list(coverage.missing),
                                                    "expected": 12}))  # fmt: skip
    return SearchDetailResult(
        **common, status="ok", figures=tuple(figures), adjusted=tuple(adjusted),
        strip_recorded_share=strip_share, linked_status=linked_status, caveats=tuple(caveats),
    )  # fmt: skip
