"""The summary at the top of a report: at most six sentences, each from a saved result."""

from __future__ import annotations

from peelstats.report.wording.audits import audit_records_words
from peelstats.report.wording.common import (
    capitalise,
    coverage_phrase,
    definition_words,
    months_words,
    people,
    published_words,
    year_words,
)
from peelstats.report.wording.numbers import ci, ci_pct, fixed, pct, share_words, signed, whole
from peelstats.report.wording.stop_search import _change_amount, _change_interval
from peelstats.vocabulary import ALL, COMPARED_GROUPS

# ----------------------------------------------------------------------------- summary


def _summary_stop_search(r) -> list[str]:
    if r is None:
        return []
    if r.status == "no_data":
        return [
            f"The data has no stop-and-search records for {r.force_name} in {year_words(r.period)}."
        ]
    out = []
    total = r.figure("searches", ALL)
    first = (
        f"{capitalise(coverage_phrase(r.coverage, r.period))}, {r.force_name} carried out "
        f"{whole(total.estimate)} stop and searches"
    )
    change = r.figure("searches_change_vs_previous_year_percent", ALL)
    if change is not None and change.estimate is not None:
        scope = "" if change.coverage is None or change.coverage.complete else (
            " over the months with data in both years")  # fmt: skip
        if change.significant:
            first += (
                f", {_change_amount(change.estimate)} than the year before{scope} "
                f"({_change_interval(change)}), a statistically significant "
                f"{'increase' if change.direction == 'increase' else 'reduction'}"
            )
        else:
            first += (
                f"; the change on the year before{scope} ({signed(change.estimate)} percent, "
                f"{_change_interval(change)}) is not statistically significant"
            )
    out.append(first + ".")
    black = r.figure("search_rate_ratio_vs_white", "Black")
    if black is not None and black.estimate is not None and black.has_interval:
        interval = ci(black.lower, black.upper, black.confidence)
        when = " in that year" if r.coverage.complete else " in those months"
        if black.significant:
            relation = "more" if black.direction == "increase" else "less"
            out.append(
                f"Black people were {fixed(black.estimate)} times as likely as White people to "
                f"be stopped and searched{when} ({interval}; Census 2021 residents, "
                f"{definition_words(r.definition)} ethnicity): statistically significantly "
                f"{relation} likely."
            )
        else:
            out.append(
                f"Black people were {fixed(black.estimate)} times as likely as White people to "
                f"be stopped and searched{when} ({interval}; Census 2021 residents, "
                f"{definition_words(r.definition)} ethnicity), but with "
                f"{whole(black.numerator)} searches of Black people the data cannot show that "
                "the two rates differ."
            )
    elif r.population_base == "none":
        out.append(
            f"{r.force_name} has no resident population, so no rates per resident or ratios "
            "between ethnic groups' rates can be given."
        )
    elif r.population_base == "unrepresentative":
        out.append(
            "Rates per resident and ratios between ethnic groups are not given for "
            f"{r.force_name}: its residents are not the people it polices."
        )
    elif r.ethnicity is not None and r.ethnicity.status == "not_recorded":
        out.append(
            f"{capitalise(definition_words(r.definition))} ethnicity was not recorded for "
            f"{share_words(r.ethnicity.share)} of searches, so no comparison between ethnic "
            "groups can be made."
        )
    find = r.figure("linked_find_rate", ALL)
    if find is not None and find.estimate is not None:
        bound = "at least " if find.flagged("linked_lower_bound") else ""
        when = "that year" if r.coverage.complete else "those months"
        out.append(
            f"In {when}, officers found what they were looking for in {bound}"
            f"{pct(find.estimate)} of searches "
            f"({ci_pct(find.lower, find.upper, find.confidence)})."
        )
    elif r.linked is not None and r.linked.status == "not_recorded":
        out.append(
            "The linked find rate cannot be measured: the force left the linked field blank "
            f"for {share_words(r.linked.share)} of searches that ended in action."
        )
    return out


def _summary_reasonable_grounds(r) -> list[str]:
    if r is None or not r.subjects:
        return []
    s = r.subjects[0]
    when = f" (published {published_words(s.published)})" if s.published else ""
    if s.as_published:
        if s.published_margin is None:
            text = (
                f"In the inspectorate's latest record review{when}, {fixed(s.published_percent)}"
                " percent of stop-and-search records had reasonable grounds recorded"
            )
        else:
            text = (
                f"In the inspectorate's latest record review{when}, "
                f"{fixed(s.published_percent)} percent of stop-and-search records had "
                f"reasonable grounds recorded (its confidence interval: +/- "
                f"{fixed(s.published_margin)} percent)"
            )
    else:
        text = (
            f"In the inspectorate's review of {whole(s.n)} stop-and-search records from "
            f"{audit_records_words(s)}{when}, {pct(s.estimate)} had reasonable grounds recorded "
            f"({ci_pct(s.lower, s.upper, s.confidence)})"
        )
    for c in r.changes:
        years = audit_records_words(c.earlier)
        before = fixed(c.earlier.published_percent if c.earlier.published_percent is not None
                       else c.earlier.estimate * 100)  # fmt: skip
        if c.tested and c.significant:
            text += (
                f", a statistically significant {c.verdict} from {before} percent in its review "
                f"of records from {years}"
            )
        elif c.tested:
            text += (
                f", not a statistically significant change from {before} percent in its review "
                f"of records from {years}"
            )
        elif c.comparable == "no":
            text += f"; it cannot be compared with the previous review ({before} percent)"
    return [text + "."]


def _summary_crime_data_integrity(r) -> list[str]:
    if r is None or not r.subjects:
        return []
    s = r.subjects[0]
    when = f" (published {published_words(r.published)})" if r.published else ""
    if s.as_published and s.published_margin is not None:
        text = (
            f"In its crime data integrity audit{when}, the inspectorate estimated that "
            f"{fixed(s.published_percent)} percent of {s.group} was recorded (its confidence "
            f"interval: +/- {fixed(s.published_margin)} percent)"
        )
    elif s.as_published:
        text = (
            f"In its crime data integrity audit{when}, the inspectorate published "
            f"{fixed(s.published_percent)} percent of {s.group} as recorded"
        )
    else:
        text = (
            f"In its crime data integrity audit{when}, {pct(s.estimate)} of the "
            f"{whole(s.n)} crimes it reviewed ({s.group}) were recorded "
            f"({ci_pct(s.lower, s.upper, s.confidence)})"
        )
    changes = [c for c in r.changes if c.later.label == s.label]
    for c in changes:
        if c.comparable == "no":
            text += "; the inspectorate says it cannot be compared with previous audits"
        elif c.tested and c.significant:
            text += f", a statistically significant {c.verdict} on the previous audit"
        elif c.tested:
            text += ", not a statistically significant change on the previous audit"
    return [text + "."]


def _summary_limits(results) -> list[str]:
    """What cannot be said, most important first (one sentence)."""
    r = results.get("stop_search")
    if r is not None and r.status == "ok":
        if r.coverage.missing:
            return [
                f"The data has no file for {months_words(r.coverage.missing)}, so this year's "
                "stop-and-search figures cover part of the year only and are not annualised."
            ]
        small = [
            r.figure("searches", g) for g in COMPARED_GROUPS
            if r.figure("search_rate_ratio_vs_white", g) is not None
            and r.figure("search_rate_ratio_vs_white", g).flagged("small_numbers")
            and not r.figure("search_rate_ratio_vs_white", g).flagged("officer_group_not_used")
        ]  # fmt: skip
        if small and r.ethnicity is not None and r.ethnicity.status != "not_recorded":
            listed = ", ".join(
                f"{whole(f.estimate)} {'search' if f.estimate == 1 else 'searches'} of "
                f"{people(f.group)}"
                for f in small
                if f is not None
            )
            return [
                f"Figures for some ethnic groups rest on few searches ({listed}), so their "
                "intervals are wide and small differences cannot be detected."
            ]
    p = results.get("published_figures")
    if p is not None and p.rows:
        return [
            "The inspectorate's own stop-and-search figures are for a different period and "
            "come from a different source, so they differ from this report's (see Latest "
            "inspection findings)."
        ]
    return []


def summary(results: dict) -> list[str]:
    """At most 6 sentences: headline figures with intervals, what changed, what cannot be said."""
    sentences = _summary_stop_search(results.get("stop_search"))
    sentences += _summary_reasonable_grounds(results.get("reasonable_grounds"))
    sentences += _summary_crime_data_integrity(results.get("crime_data_integrity"))
    sentences += _summary_limits(results)
    return sentences[:6]
