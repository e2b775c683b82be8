"""The words of the last 8 quarters."""

from __future__ import annotations

import pandas as pd

from peelstats.report.wording.cells import DASH, cell_count, cell_number, cell_share, flag_notes
from peelstats.report.wording.common import capitalise, count_words, definition_words, join_and
from peelstats.report.wording.numbers import ci_short, conf, estimate_and_ci
from peelstats.report.wording.search_detail import p_value_words
from peelstats.vocabulary import month_name

# ----------------------------------------------------------------------------- quarters


def quarter_words(label: str) -> str:
    """'2021Q3' -> 'July to September 2021'."""
    year, quarter = int(label[:4]), int(label[-1])
    first = month_name(f"{year}-{3 * quarter - 2:02d}", year=False)
    return f"{first} to {month_name(f'{year}-{3 * quarter:02d}')}"


def quarter_short(label: str) -> str:
    """'2021Q3' -> 'Jul to Sep 2021' (a chart's axis label)."""
    year, quarter = int(label[:4]), int(label[-1])
    first = month_name(f"{year}-{3 * quarter - 2:02d}", year=False)[:3]
    last = month_name(f"{year}-{3 * quarter:02d}", year=False)[:3]
    return f"{first} to {last} {year}"


def quarters_span(q) -> str:
    """'October 2019 to September 2021' for the last 8 quarters."""
    first, last = q.quarters[0], q.quarters[-1]
    start = month_name(f"{first[:4]}-{3 * int(first[-1]) - 2:02d}")
    end = month_name(f"{last[:4]}-{3 * int(last[-1]):02d}")
    return f"{start} to {end}"


def quarters_heading(q) -> str:
    return f"Quarter by quarter: {quarters_span(q)}"


def quarters_sentences(q) -> list[str]:
    if q.status != "ok":
        return [f"The data has no stop-and-search records for {q.force_name}."]
    out = []
    empty = [f.group for f in q.measure("searches_in_quarter") if f.estimate is None]
    part = [f.group for f in q.measure("searches_in_quarter")
            if f.estimate is not None and f.flagged("part_quarter")]  # fmt: skip
    if empty:
        out.append(
            f"The data has no file for any month of {join_and(quarter_words(e) for e in empty)}, "
            "so no figures are given "
            f"for {'that quarter' if len(empty) == 1 else 'those quarters'}."
        )
    if part:
        out.append(
            f"{capitalise(join_and(quarter_words(p) for p in part))} "
            f"{'is' if len(part) == 1 else 'are'} missing a month of data: "
            "their counts are for the months the data has and are not comparable with full "
            "quarters."
        )
    t = q.trend
    if t is None:
        complete = sum(1 for f in q.measure("searches_in_quarter")
                       if f.estimate is not None and not f.flagged("part_quarter"))  # fmt: skip
        out.append(
            f"With {count_words(complete, 'complete quarter')}, too few to test, no trend in "
            "quarterly searches is given."
        )
    elif t.percent_per_quarter is not None and t.lower is not None:
        shown, interval = estimate_and_ci(
            t.percent_per_quarter, t.lower, t.upper, t.confidence, " percent", null=0.0,
            significant=t.significant, sign=True,
        )  # fmt: skip
        if t.significant:
            side = "increase" if t.direction == "increase" else "decrease"
            out.append(
                f"Over the {count_words(t.quarters_used, 'complete quarter')}, searches changed "
                f"by {shown} percent a quarter ({interval}): a statistically significant {side}."
            )
        else:
            out.append(
                f"Over the {count_words(t.quarters_used, 'complete quarter')}, the data cannot "
                f"show a trend in quarterly searches ({shown} percent a quarter; {interval})."
            )
    if q.population_base != "residents":
        out.append(
            "The Black/White rate ratio is not given: this force's residents are not a usable "
            "base for rates."
        )
    elif not q.ethnicity_usable:
        out.append(
            f"The Black/White rate ratio is not given: {definition_words(q.definition)} "
            "ethnicity was not recorded for most searches in the year, so no comparison between "
            "ethnic groups can be made."
        )
    return out


def quarters_methods(q) -> str:
    return (
        f"Methods: searches in each quarter with a Poisson interval ({conf(q.confidence)}); the "
        "Black/White rate ratio against Census 2021 residents (exact conditional interval; "
        f"{definition_words(q.definition)} ethnicity; not annualised, so a quarter's rates "
        "compare with other quarters, not with years); linked find and arrest rates with "
        "Wilson score intervals. Trend: quasi-Poisson regression of quarterly searches on the "
        "quarter's position, with quarters missing a month left out but keeping their place; "
        + (
            f"the Mann-Kendall test beside it (p = {p_value_words(q.trend.kendall_p_value)})."
            if q.trend is not None and q.trend.kendall_p_value is not None
            else "the Mann-Kendall test beside it where there are enough complete quarters."
        )
    )


# ----------------------------------------------------------------------------- the section's parts


def quarters_caption(q) -> str:
    return f"The last 8 quarters, {quarters_span(q)}"


QUARTERS_CHART_TITLE = "Black/White rate ratio by quarter"
QUARTERS_CHART_ALT = (
    "Black/White rate ratio in each of the last 8 quarters (a dashed line marks 1, the same rate)"
)
QUARTERS_FINDINGS_HEADING = "Key findings: quarter by quarter"
QUARTERS_SOURCE = "police.uk stop and search data; ONS Census 2021 (TS021)"


# ----------------------------------------------------------------------------- tables


def quarters_table(q) -> pd.DataFrame:
    c = conf(q.confidence)
    by = {}
    for f in q.figures:
        by.setdefault(f.group, {})[f.measure] = f
    rows = []
    for label in q.quarters:
        figs = by.get(label, {})
        n = figs.get("searches_in_quarter")
        ratio = figs.get("search_rate_ratio_vs_white_in_quarter")
        find = figs.get("linked_find_rate_in_quarter")
        arrest = figs.get("arrest_rate_in_quarter")
        cov = n.coverage if n is not None else None
        notes = set()
        for f in (n, ratio, find, arrest):
            if f is not None:
                notes.update(f.flags)
        rows.append(
            {
                "Quarter": quarter_words(label),
                "Months with data": f"{len(cov.present)} of 3" if cov else DASH,
                "Searches": cell_count(n.estimate) if n is not None else DASH,
                "Black/White ratio": cell_number(ratio.estimate) if ratio else DASH,
                f"Ratio, {c} CI": ci_short(ratio.lower, ratio.upper, 2) if ratio else DASH,
                "Linked find rate": cell_share(find.estimate) if find else DASH,
                f"Find rate, {c} CI": ci_short(find.lower, find.upper, 1, 100, "%")
                if find else DASH,
                "Arrest rate": cell_share(arrest.estimate) if arrest else DASH,
                f"Arrest rate, {c} CI": ci_short(arrest.lower, arrest.upper, 1, 100, "%")
                if arrest else DASH,
                "Notes": flag_notes(sorted(notes)),
            }
        )  # fmt: skip
    return pd.DataFrame(rows)
