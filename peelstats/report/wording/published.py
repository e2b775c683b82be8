"""The words of the inspectorate's published figures set beside this report's own, and of its
published outcome rates.
"""

from __future__ import annotations

import pandas as pd

from peelstats.report.wording.cells import DASH
from peelstats.report.wording.common import (
    months_words,
    people,
    possessive,
    published_words,
    span_words,
    year_words,
)
from peelstats.report.wording.numbers import ci, ci_pct, ci_short, conf, fixed, pct, signed, whole
from peelstats.report.wording.stop_search import _change_amount, _change_interval
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


def published_value(pub) -> str:
    if pub.unit == "count":
        return whole(pub.value)
    if pub.unit == "percent":
        return f"{fixed(pub.value)} percent" if pub.measure.endswith("_rate") else (
            f"{signed(pub.value)} percent")  # fmt: skip
    if pub.unit == "ratio":
        return f"{fixed(pub.value)} times"
    return f"{fixed(pub.value, 2)} per 1,000"


def our_value(fig) -> str:
    if fig.measure == "searches":
        return whole(fig.estimate)
    if fig.measure == "linked_find_rate":
        return f"{pct(fig.estimate)} ({ci_pct(fig.lower, fig.upper, fig.confidence)})"
    if fig.measure == "searches_change_vs_previous_year_percent":
        return f"{_change_amount(fig.estimate)} ({_change_interval(fig)})"
    if fig.measure == "search_rate_ratio_vs_white":
        return f"{fixed(fig.estimate)} times ({ci(fig.lower, fig.upper, fig.confidence)})"
    return fixed(fig.estimate, 2)


def published_period(pub) -> str:
    return span_words(pub.period_from, pub.period_to)


def _published_claim(pub) -> str:
    """What the inspectorate published, as a clause: 'published 2,231 stop and searches'."""
    where = " across England and Wales" if pub.group == "England and Wales" else ""
    if pub.measure == "searches":
        return f"published {published_value(pub)} stop and searches{where}"
    if pub.measure == "searches_change_vs_previous_year_percent":
        return f"published a change of {published_value(pub)} on the year before{where}"
    if pub.measure == "search_rate_ratio_vs_white":
        return (
            f"published that {people(pub.group)} were {fixed(pub.value)} times as likely as "
            f"White people to be stopped and searched{where}"
        )
    if pub.measure == "search_rate_per_1000":
        return f"published {published_value(pub)} searches per 1,000 residents{where}"
    return f"published a {_PUBLISHED_WHAT[pub.measure]} of {published_value(pub)}{where}"


def beside_sentence(b, report_period: str) -> str:
    """A published figure beside this report's nearest figure, the differences named."""
    pub = b.published
    theirs = f"The inspectorate {_published_claim(pub)} for {published_period(pub)}"
    if b.ours is None:
        scope = "England and Wales" if pub.group == "England and Wales" else "it"
        return f"{theirs}; this report has no figure of its own for {scope}."
    cov = b.ours.coverage
    ours_when = months_words(cov.present) if cov else year_words(report_period)
    text = f"{theirs}; this report's nearest figure is {our_value(b.ours)} for {ours_when}."
    diffs = []
    if "period" in b.differences:
        diffs.append(
            f"period ({b.overlap} of their 12 months are in ours)"
            if b.overlap
            else "period (no months in common)"
        )
    if "source" in b.differences:
        diffs.append(f"source ({pub.data_source}, against {b.our_source})")
    if "definition" in b.differences:
        diffs.append(f"definition ({pub.definition}, against {b.our_definition})")
    if diffs:
        text += " The two differ in " + "; ".join(diffs) + "."
    if b.our_population_base:
        text += (
            f" Population base: theirs {pub.population_base or 'not stated'}; ours "
            f"{b.our_population_base}."
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


def published_outcome_sentence(row, p) -> str | None:
    """The inspectorate's outcome figure against England and Wales, with our check of the
    difference: chance alone (the published rate's implied count), not the usual differences
    between forces, so it is worded as that and no more."""
    if row.versus == "not_different":
        return None
    when = p.period_words or span_words(p.period_from, p.period_to)
    if when.lower().startswith("year ending"):
        when = "the " + when
    mine, theirs = (
        f"{fixed(row.force_percent)} percent",
        f"{fixed(row.england_wales_percent)} percent",
    )
    return (
        f"In {when}, {p.force_name} assigned {mine} of its {whole(row.crimes)} victim-based "
        f"crimes outcome {row.outcome_types.replace(';', ' and ')} ({row.outcome_label}), "
        f"against {theirs} for England and Wales (the inspectorate's figures). Allowing for "
        f"chance alone, not for the usual differences between forces, "
        f"{possessive(p.force_name)} rate is statistically significantly {row.versus} "
        f"({conf(p.confidence)} confidence interval "
        f"{ci_short(row.lower, row.upper, 2, 100, ' percent')}, from the count the published "
        "rate implies)."
    )


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
                "Differences": ", ".join(b.differences) if b.differences else DASH,
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
