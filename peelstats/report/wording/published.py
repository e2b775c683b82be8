"""The words of the inspectorate's published figures set beside this report's own, and of its
published outcome rates.
"""

from __future__ import annotations

import pandas as pd

from peelstats.report.wording.cells import DASH
from peelstats.report.wording.common import (
    capitalise,
    definition_words,
    join_and,
    months_words,
    people,
    plural,
    possessive,
    published_words,
    span_words,
    twelve_months_words,
    year_words,
)
from peelstats.report.wording.numbers import (
    as_published,
    ci_pct,
    ci_short,
    conf,
    estimate_and_ci,
    fixed,
    pct,
    whole,
)
from peelstats.report.wording.stop_search import change_words
from peelstats.vocabulary import ALL

# ----------------------------------------------------------------------------- published


_PUBLISHED_WHAT = {
    "searches": "stop and searches",
    "searches_change_vs_previous_year_percent": "change in searches on the year before",
    "search_rate_per_1000": "searches per 1,000 residents",
    "search_rate_ratio_vs_white": "times as likely as White people to be stopped and searched",
    "linked_find_rate": "linked find rate",
    "arrest_rate": "arrest rate",
}


#: this report's source and definitions, beside the inspectorate's
OUR_SOURCE = "police.uk's monthly stop-and-search files"
OUR_DEFINITIONS = {
    "linked_find_rate": (
        "searches whose outcome was linked to the object of the search and was not 'no further "
        "action'"
    ),
    "searches": "stop and searches recorded in police.uk's monthly files",
}


def published_value(pub) -> str:
    if pub.unit == "count":
        return whole(pub.value)
    if pub.unit == "percent":
        shown = as_published(pub.value)
        if pub.measure.endswith("_rate"):
            return f"{shown} percent"
        return f"{'+' if pub.value > 0 else ''}{shown} percent"
    if pub.unit == "ratio":
        return f"{as_published(pub.value)} times"
    return f"{as_published(pub.value)} per 1,000"


def our_value(fig) -> str:
    if fig.measure == "searches":
        return whole(fig.estimate)
    if fig.measure == "linked_find_rate":
        return f"{pct(fig.estimate)} ({ci_pct(fig.lower, fig.upper, fig.confidence)})"
    if fig.measure == "searches_change_vs_previous_year_percent":
        amount, interval = change_words(fig)
        return f"{amount} ({interval})"
    if fig.measure == "search_rate_ratio_vs_white":
        value, interval = estimate_and_ci(fig.estimate, fig.lower, fig.upper, fig.confidence,
                                          null=1.0, significant=fig.significant)  # fmt: skip
        return f"{value} times ({interval})"
    return fixed(fig.estimate, 2)


def published_period(pub) -> str:
    return twelve_months_words(pub.period_from, pub.period_to)


def _published_claim(pub) -> str:
    """What the inspectorate published, as a clause: 'published 2,231 stop and searches'."""
    where = " across England and Wales" if pub.group == "England and Wales" else ""
    if pub.measure == "searches":
        return f"published {published_value(pub)} stop and searches{where}"
    if pub.measure == "searches_change_vs_previous_year_percent":
        return f"published a change of {published_value(pub)} on the year before{where}"
    if pub.measure == "search_rate_ratio_vs_white":
        return (
            f"published that {people(pub.group)} were {published_value(pub)} as likely as "
            f"White people to be stopped and searched{where}"
        )
    if pub.measure == "search_rate_per_1000":
        return f"published {published_value(pub)} searches per 1,000 residents{where}"
    return f"published a {_PUBLISHED_WHAT[pub.measure]} of {published_value(pub)}{where}"


def difference_words(b) -> list[str]:
    """Why the published figure and ours differ, each in a few words (only real differences)."""
    pub = b.published
    out = []
    if "period" in b.differences:
        out.append(
            f"period ({b.overlap} of its 12 months in this report's year)"
            if b.overlap
            else "period (no month in common with this report's year)"
        )
    if "source" in b.differences:
        out.append(f"source ({pub.data_source}, not {OUR_SOURCE})")
    if "population_base" in b.differences:
        theirs = pub.population_base or "a base not stated"
        out.append(
            f"population base (theirs {theirs}; ours Census 2021 residents by "
            f"{definition_words(b.definition)} ethnicity)"
        )
    return out


def position_words(b) -> str:
    """Where the published figure lies against this report's interval (allowing for its
    rounding), or ''."""
    if not b.position or b.ours is None or b.published.unit == "count":
        return ""
    level = conf(b.ours.confidence)
    if b.position == "inside":
        return f"theirs lies inside this report's {level} confidence interval"
    return f"theirs lies {b.position} this report's {level} confidence interval"


def beside_summary_sentence(b) -> str | None:
    """The inspectorate's figure beside ours in one sentence for the summary: what it
    published, for when, where it placed the force, why the two differ and whether theirs lies
    inside our interval."""
    pub = b.published
    if b.ours is None:
        return None
    text = f"The inspectorate {_published_claim(pub)} for {published_period(pub)}"
    if pub.standing:
        text += f", {pub.standing}"
    why = difference_words(b)
    if why:
        text += f"; the two differ in {join_and(why)}"
    where = position_words(b)
    if where:
        text += f"; {where}"
    return text + "."


def beside_sentence(b, report_period: str) -> str:
    """A published figure beside this report's nearest figure, the differences named."""
    pub = b.published
    theirs = f"The inspectorate {_published_claim(pub)} for {published_period(pub)}"
    if pub.standing:
        theirs += f" ({pub.standing})"
    if b.ours is None:
        scope = "England and Wales" if pub.group == "England and Wales" else "it"
        return f"{theirs}; this report has no figure of its own for {scope}."
    cov = b.ours.coverage
    ours_when = months_words(cov.present) if cov else year_words(report_period)
    text = f"{theirs}; this report's nearest figure is {our_value(b.ours)} for {ours_when}."
    why = difference_words(b)
    if why:
        text += f" The two differ in {join_and(why)}."
    else:
        text += " The two are for the same months, from the same source."
    where = position_words(b)
    if where:
        text += f" {capitalise(where)}."
    if pub.measure in OUR_DEFINITIONS and pub.definition:
        text += (
            f" The inspectorate describes its figure as {pub.definition}; this report counts "
            f"{OUR_DEFINITIONS[pub.measure]}."
        )
    return text


def published_heading(p) -> str:
    rows = [b.published for b in p.rows]
    spans = sorted({published_period(x) for x in rows})
    when = spans[0] if len(spans) == 1 else "their own periods"
    return f"The inspectorate's stop-and-search figures ({when}) beside this report's"


def published_outcomes_heading(p) -> str:
    when = p.period_words or span_words(p.period_from, p.period_to)
    return f"Crime outcomes published by the inspectorate ({when})"


def _outcome_pair(row) -> str:
    types = row.outcome_types.replace(";", " and ")
    return (
        f"{types} ({row.outcome_label}: {as_published(row.force_percent)} against "
        f"{as_published(row.england_wales_percent)} percent)"
    )


def published_outcomes_findings(p) -> list[str]:
    """The inspectorate's outcome rates against England and Wales, grouped: which were higher,
    which lower, allowing for chance and the published figures' rounding only, and what that
    comparison cannot show."""
    when = p.period_words or span_words(p.period_from, p.period_to)
    if when.lower().startswith("year ending"):
        when = "the " + when
    higher = [_outcome_pair(r) for r in p.rows if r.versus == "higher"]
    lower = [_outcome_pair(r) for r in p.rows if r.versus == "lower"]
    same = [r.outcome_types.replace(";", " and ") for r in p.rows if r.versus == "not_different"]
    crimes = max((r.crimes for r in p.rows), default=0)
    out = []
    if higher:
        out.append(
            f"In {when}, the inspectorate's figures put {possessive(p.force_name)} rates above "
            f"England and Wales' for outcome {plural(len(higher), 'type')} {join_and(higher)}."
        )
    if lower:
        out.append(
            f"They put its rates below England and Wales' for outcome "
            f"{plural(len(lower), 'type')} {join_and(lower)}."
        )
    if same:
        out.append(
            f"For outcome {plural(len(same), 'type')} {join_and(same)}, the published figures "
            "cannot be told apart from England and Wales' once their rounding is allowed for."
        )
    if higher or lower:
        out.append(
            f"These comparisons allow for chance and the rounding of the published percents "
            f"only: with {whole(crimes)} crimes, even a difference of a few tenths of a point "
            "clears chance, and the figures do not show how much forces usually differ, so "
            "they say where the force differs from the average, not whether that matters."
        )
    return out


def inspection_heading(published_dates) -> str:
    dates = sorted(d for d in published_dates if d)
    when = f" (published {published_words(dates[-1])})" if dates else ""
    return f"Latest inspection findings{when}"


# ----------------------------------------------------------------------------- the section's parts

BESIDE_CAPTION = "Published figures beside this report's"
OUTCOMES_CAPTION = "Published outcome-type rates"


# ----------------------------------------------------------------------------- tables


def beside_table(p) -> pd.DataFrame:
    rows = []
    for b in p.rows:
        pub = b.published
        ours = b.ours
        rows.append(
            {
                "Figure": _PUBLISHED_WHAT[pub.measure]
                + ("" if pub.group in (ALL, "all") else f" ({pub.group})"),
                "Published": published_value(pub),
                "Their period": published_period(pub),
                "This report": our_value(ours) if ours is not None else DASH,
                "Our period": months_words(ours.coverage.present)
                if ours is not None and ours.coverage is not None
                else DASH,
                "How they differ": "; ".join(difference_words(b)) or "same months and source",
            }
        )
    return pd.DataFrame(rows)


def published_outcomes_table(p) -> pd.DataFrame:
    c = conf(p.confidence)
    return pd.DataFrame(
        {
            "Outcome types": [r.outcome_types.replace(";", " and ") for r in p.rows],
            "Outcome": [r.outcome_label for r in p.rows],
            "Force (published)": [f"{fixed(r.force_percent)}%" for r in p.rows],
            f"{c} CI (implied count)": [ci_short(r.lower, r.upper, 2, 100, "%") for r in p.rows],
            "England and Wales (published)": [f"{fixed(r.england_wales_percent)}%" for r in p.rows],
            "Force against England and Wales": [r.versus.replace("_", " ") for r in p.rows],
        }
    )
