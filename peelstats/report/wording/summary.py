"""The summary at the top of a report: at most six short paragraphs, each from a saved result.

Each headline figure carries its interval, its months and its base; where the inspectorate
published a figure for the same measure, the paragraph sets it beside ours, says in a few words
why the two differ (period, source, base) and whether theirs lies inside our interval. Data from
an older year says how much older it is.
"""

from __future__ import annotations

from peelstats.report.wording.audits import audit_records_words, change_points
from peelstats.report.wording.common import (
    capitalise,
    coverage_phrase,
    definition_words,
    months_words,
    people,
    published_words,
    year_words,
)
from peelstats.report.wording.numbers import (
    as_published,
    ci_pct,
    conf,
    estimate_and_ci,
    fixed,
    pct,
    share_words,
    whole,
)
from peelstats.report.wording.outcomes import older_data_words
from peelstats.report.wording.published import beside_summary_sentence
from peelstats.report.wording.stop_search import change_words
from peelstats.vocabulary import ALL, COMPARED_GROUPS

#: at most this many paragraphs
MOST = 6


def _beside(results, measure: str, group: str = ALL) -> str:
    """' The inspectorate published ...' for a measure, or ''."""
    p = results.get("published_figures")
    if p is None:
        return ""
    for b in p.rows:
        if b.published.measure == measure and b.published.group == group:
            sentence = beside_summary_sentence(b)
            return f" {sentence}" if sentence else ""
    return ""


def _searches(r, results) -> str:
    total = r.figure("searches", ALL)
    text = (
        f"{capitalise(coverage_phrase(r.coverage, r.period))}, {r.force_name} carried out "
        f"{whole(total.estimate)} stop and searches"
    )
    change = r.figure("searches_change_vs_previous_year_percent", ALL)
    if change is not None and change.estimate is not None:
        scope = "" if change.coverage is None or change.coverage.complete else (
            " over the months with data in both years")  # fmt: skip
        amount, interval = change_words(change)
        if change.significant:
            text += (
                f", {amount} than the year before{scope} ({interval}), a statistically "
                f"significant {'increase' if change.direction == 'increase' else 'reduction'}"
            )
        else:
            text += (
                f"; the change on the year before{scope} ({amount}, {interval}) is not "
                "statistically significant"
            )
    return text + "." + _beside(results, "searches")


def _ratio(r, results) -> str | None:
    black = r.figure("search_rate_ratio_vs_white", "Black")
    if black is not None and black.estimate is not None and black.has_interval:
        value, interval = estimate_and_ci(
            black.estimate, black.lower, black.upper, black.confidence, null=1.0,
            significant=black.significant,
        )  # fmt: skip
        when = " in that year" if r.coverage.complete else " in those months"
        base = f"Census 2021 residents, {definition_words(r.definition)} ethnicity"
        if black.significant:
            relation = "more" if black.direction == "increase" else "less"
            text = (
                f"Black people were {value} times as likely as White people to be stopped and "
                f"searched{when} ({interval}; {base}): statistically significantly {relation} "
                "likely."
            )
        else:
            text = (
                f"Black people were {value} times as likely as White people to be stopped and "
                f"searched{when} ({interval}; {base}), but with {whole(black.numerator)} "
                "searches of Black people the data cannot show that the two rates differ."
            )
        return text + _beside(results, "search_rate_ratio_vs_white", "Black")
    if r.population_base == "none":
        return (
            f"{r.force_name} has no resident population, so no rates per resident or ratios "
            "between ethnic groups' rates can be given."
        )
    if r.population_base == "unrepresentative":
        return (
            "Rates per resident and ratios between ethnic groups are not given for "
            f"{r.force_name}: its residents are not the people it polices."
        )
    if r.ethnicity is not None and r.ethnicity.status == "not_recorded":
        return (
            f"{capitalise(definition_words(r.definition))} ethnicity was not recorded for "
            f"{share_words(r.ethnicity.share)} of searches, so no comparison between ethnic "
            "groups can be made."
        )
    return None


def _find_rate(r, results) -> str | None:
    find = r.figure("linked_find_rate", ALL)
    if find is not None and find.estimate is not None:
        bound = "at least " if find.flagged("linked_lower_bound") else ""
        when = "that year" if r.coverage.complete else "those months"
        return (
            f"In {when}, officers found what they were looking for in {bound}"
            f"{pct(find.estimate)} of searches "
            f"({ci_pct(find.lower, find.upper, find.confidence)})."
            + _beside(results, "linked_find_rate")
        )
    if r.linked is not None and r.linked.status == "not_recorded":
        return (
            "The linked find rate cannot be measured: the force left the linked field blank "
            f"for {share_words(r.linked.share)} of searches that ended in action."
        )
    return None


def _stop_search(results) -> list[str]:
    r = results.get("stop_search")
    if r is None:
        return []
    if r.status == "no_data":
        return [
            f"The data has no stop-and-search records for {r.force_name} in {year_words(r.period)}."
        ]
    out = [_searches(r, results), _ratio(r, results), _find_rate(r, results)]
    return [s for s in out if s]


def _reasonable_grounds(results) -> list[str]:
    r = results.get("reasonable_grounds")
    if r is None or not r.subjects:
        return []
    s = r.subjects[0]
    when = f" (published {published_words(s.published)})" if s.published else ""
    margin = (
        f", with its confidence interval of +/- {as_published(s.published_margin)} percentage "
        "points (at 95%)"
        if s.published_margin is not None
        else ""
    )
    if s.published_percent is not None:
        reviewed = f" of {whole(s.n)} stop-and-search records" if s.n is not None else ""
        text = (
            f"In the inspectorate's review{reviewed} from {audit_records_words(s)}{when}, "
            f"{as_published(s.published_percent)} percent had reasonable grounds recorded{margin}"
        )
    else:
        text = (
            f"In the inspectorate's review of {whole(s.n)} stop-and-search records from "
            f"{audit_records_words(s)}{when}, {pct(s.estimate)} had reasonable grounds recorded "
            f"({ci_pct(s.lower, s.upper, s.confidence)}, this report's interval)"
        )
    for c in r.changes:
        years = audit_records_words(c.earlier)
        before = (
            as_published(c.earlier.published_percent)
            if c.earlier.published_percent is not None
            else fixed(c.earlier.estimate * 100)
        )
        points = change_points(c)
        if c.tested and c.significant:
            text += (
                f": a statistically significant {c.verdict} from {before} percent in its review "
                f"of records from {years}{points}"
            )
        elif c.tested:
            text += (
                f": not a statistically significant change from {before} percent in its review "
                f"of records from {years}{points}"
            )
        elif c.comparable == "no":
            text += f"; it cannot be compared with the previous review ({before} percent)"
    return [text + "."]


def _crime_data_integrity(results) -> list[str]:
    r = results.get("crime_data_integrity")
    if r is None or not r.subjects:
        return []
    s = r.subjects[0]
    when = f" (published {published_words(r.published)})" if r.published else ""
    if s.as_published and s.published_margin is not None:
        text = (
            f"In its crime data integrity audit{when}, the inspectorate estimated that "
            f"{as_published(s.published_percent)} percent of {s.group} was recorded, with its "
            f"confidence interval of +/- {as_published(s.published_margin)} percentage points "
            "(at 95%)"
        )
    elif s.as_published:
        text = (
            f"In its crime data integrity audit{when}, the inspectorate published "
            f"{as_published(s.published_percent)} percent of {s.group} as recorded"
        )
    else:
        text = (
            f"In its crime data integrity audit{when}, {pct(s.estimate)} of the "
            f"{whole(s.n)} crimes it reviewed ({s.group}) were recorded "
            f"({ci_pct(s.lower, s.upper, s.confidence)})"
        )
    for c in (c for c in r.changes if c.later.label == s.label):
        if c.comparable == "no":
            text += "; the inspectorate says it cannot be compared with previous audits"
        elif c.tested and c.significant:
            text += f", a statistically significant {c.verdict} on the previous audit"
        elif c.tested:
            text += ", not a statistically significant change on the previous audit"
    return [text + "."]


def _outcomes(results) -> list[str]:
    """The charge/summons rate on its funnel, with how much older its data is."""
    o = results.get("outcomes")
    ss = results.get("stop_search")
    if o is None or o.status != "ok" or o.charge_funnel is None:
        return []
    f = o.charge_funnel
    if f.position is None or f.value is None:
        return []
    older = older_data_words(o.year, ss.period if ss is not None else o.period)
    where = (
        "within the usual variation between forces"
        if f.position == "within"
        else f"{f.position.split('_')[0]} the {conf(float(f.position.split('_')[1]))} limit "
        "of the usual variation between forces"
    )
    return [
        f"In {o.year} ({older}), {pct(f.value)} of {possessive_name(o.force_name)} "
        f"victim-based crimes ended in a charge or summons, against {pct(f.target)} for the "
        f"{f.units} territorial forces together: {where}."
    ]


def possessive_name(name: str) -> str:
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def _limits(results) -> list[str]:
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
                f"Figures for some ethnic groups rest on few searches ({listed}), too few to "
                "show any but a large difference."
            ]
    return []


def _use_of_force(results) -> list[str]:
    """The use-of-force headline in one paragraph, labelled with its (older) financial year."""
    from peelstats.report.wording.use_of_force import summary_sentences

    sentences = summary_sentences(results.get("use_of_force"))
    return [" ".join(sentences)] if sentences else []


def summary(results: dict) -> list[str]:
    """At most six paragraphs, most important first: stop and search with the inspectorate's
    figures beside it, the inspectorate's audits, use of force (its own, older year), crime
    outcomes (older still), and what cannot be said."""
    paragraphs = _stop_search(results)
    paragraphs += _reasonable_grounds(results)
    paragraphs += _crime_data_integrity(results)
    paragraphs += _use_of_force(results)
    paragraphs += _outcomes(results)
    if len(paragraphs) < MOST:
        paragraphs += _limits(results)
    return paragraphs[:MOST]
