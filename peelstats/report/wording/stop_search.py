"""The words of the stop-and-search section: heading, introduction, findings, the
change on the year before, disproportionality and its bounds, the outcome test, the monthly
trend and the methods note.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from peelstats.report.wording.caveats import caveat
from peelstats.report.wording.cells import (
    DASH,
    cell_count,
    cell_number,
    flag_notes,
    fmt_p,
    group_label,
    months_label,
)
from peelstats.report.wording.common import (
    capitalise,
    coverage_phrase,
    definition_words,
    end_words,
    join_and,
    months_words,
    people,
    unrecorded_bounds_words,
    year_words,
)
from peelstats.report.wording.funnels import FUNNELS_HEADING, funnel_method_words, funnel_sentence
from peelstats.report.wording.numbers import (
    ci,
    ci_pct,
    ci_short,
    conf,
    estimate_and_ci,
    fixed,
    interval_digits,
    pct,
    pct_pair,
    signed,
    whole,
)
from peelstats.vocabulary import (
    ALL,
    COMPARED_GROUPS,
    GROUPS,
    REFERENCE_GROUP,
    UNKNOWN,
    parse_period,
)

# ----------------------------------------------------------------------------- stop and search


def stop_search_heading(r) -> str:
    return f"Stop and search: {year_words(r.period)}"


def stop_search_intro(r) -> str:
    """What the section covers: period, comparison, ethnicity definition and base."""
    if r.coverage.missing and r.coverage.present:
        parts = [
            f"{r.force_name}, {year_words(r.period)}. The data covers "
            f"{len(r.coverage.present)} of the 12 months ({months_words(r.coverage.present)}), "
            "compared with the same months a year earlier. "
        ]
    else:
        parts = [f"{r.force_name}, {year_words(r.period)}, compared with the 12 months before. "]
    parts.append(f"Ethnicity: {definition_words(r.definition)}. ")
    if r.population_base == "residents":
        parts.append("Rates per 1,000 use Census 2021 usual residents of the force area. ")
    parts.append(f"Intervals are {conf(r.confidence)} confidence intervals.")
    return "".join(parts)


def searches_sentence(r) -> str:
    total = r.figure("searches", ALL)
    return (
        f"{capitalise(coverage_phrase(r.coverage, r.period))}, {r.force_name} carried out "
        f"{whole(total.estimate)} stop and "
        f"{'search' if total.estimate == 1 else 'searches'}."
    )


def _change_digits(fig) -> int:
    """Decimals at which a percent change and its interval print in agreement with the verdict
    (a significant change's interval printed clear of 0)."""
    return interval_digits(fig.lower, fig.upper, 1, null=0.0, significant=fig.significant,
                           estimate=fig.estimate)  # fmt: skip


def _change_amount(value: float, digits: int = 1) -> str:
    return f"{fixed(abs(value), digits)} percent {'more' if value > 0 else 'fewer'}"


def _change_interval(fig, digits: int | None = None) -> str:
    d = _change_digits(fig) if digits is None else digits
    lo, hi = fig.lower, fig.upper
    if lo >= 0:
        inner = f"{fixed(lo, d)} to {fixed(hi, d)} percent more"
    elif hi <= 0:
        inner = f"{fixed(-hi, d)} to {fixed(-lo, d)} percent fewer"
    else:
        inner = f"{fixed(-lo, d)} percent fewer to {fixed(hi, d)} percent more"
    return f"{conf(fig.confidence)} confidence interval {inner}"


def change_words(fig) -> tuple[str, str]:
    """A percent change and its interval, printed alike: ('10.6 percent fewer', '95%
    confidence interval 5.1 to 15.8 percent fewer')."""
    d = _change_digits(fig)
    return _change_amount(fig.estimate, d), _change_interval(fig, d)


def few_searches_sentence(figures, what: str) -> str | None:
    """One sentence for every group whose comparison rests on few searches, instead of the same
    warning after each: 'Searches of Asian people (24), Black people (11) and people of Other
    ethnicity (4) are too few to show any but a large difference in {what}.'"""
    small = [f for f in figures if f is not None and f.flagged("small_numbers")
             and f.numerator is not None and f.estimate is not None]  # fmt: skip
    if not small:
        return None
    listed = join_and(f"{people(f.group)} ({whole(f.numerator)})" for f in small)
    return (
        f"Searches of {listed} are too few to show any but a large difference in {what}: "
        "their intervals are wide, and a difference the data cannot show may still exist."
    )


def change_sentence(fig, period_label: str) -> str:
    """The change in searches on the year before, over the months both years have."""
    previous = year_words(parse_period(period_label).previous.label)
    cov = fig.coverage
    if cov is not None and not cov.complete:
        k = len(cov.present)
        scope = (
            f"Over the {k} {'month' if k == 1 else 'months'} with data in both years "
            f"({months_words(cov.present)}, against the same months a year earlier), searches "
            f"were"
        )
    else:
        scope = "Searches were"
    d = _change_digits(fig)
    if fig.estimate == 0:
        amount = "unchanged on"
        compared = f"{scope} {amount} {previous}"
    else:
        compared = f"{scope} {_change_amount(fig.estimate, d)} than in {previous}"
    if fig.significant:
        verdict = (
            "a statistically significant " + ("increase" if fig.direction == "increase"
                                              else "reduction")
        )  # fmt: skip
    else:
        verdict = "not a statistically significant change"
    return f"{compared} ({_change_interval(fig, d)}): {verdict}."


def ratio_sentence(fig, r) -> str | None:
    """Disproportionality of one group against White people, or None when withheld."""
    group = fig.group
    when = coverage_phrase(fig.coverage, r.period) if fig.coverage else f"in {year_words(r.period)}"
    basis = f"Census 2021 residents and {definition_words(r.definition)} ethnicity"
    if fig.flagged("ethnicity_not_recorded") or fig.flagged("officer_group_not_used"):
        return None  # the caveat says why the group is not compared
    if fig.numerator == 0:
        return (
            f"No stop and searches of {people(group)} ({definition_words(r.definition)} "
            f"ethnicity) were recorded {when}, so no ratio can be given; this may reflect how "
            "ethnicity was recorded rather than who was searched."
        )
    if fig.estimate is None or not fig.has_interval:
        return None
    value, interval = estimate_and_ci(
        fig.estimate, fig.lower, fig.upper, fig.confidence, null=1.0, significant=fig.significant
    )
    if fig.significant and fig.direction == "increase":
        return (
            f"Based on {basis}, {people(group)} were {value} times as likely as "
            f"White people to be stopped and searched {when} ({interval}): a statistically "
            "significant difference."
        )
    if fig.significant and fig.direction == "decrease":
        return (
            f"Based on {basis}, {people(group)} were {value} times as likely as "
            f"White people to be stopped and searched {when} ({interval}): statistically "
            "significantly less likely."
        )
    return (
        f"Based on {basis}, the rate of stop and search of {people(group)} was "
        f"{value} times that of White people {when} ({interval}); the data cannot "
        "show that the two rates differ (not statistically significant)."
    )


def find_rate_sentence(r) -> str | None:
    fig = r.figure("linked_find_rate", ALL)
    if fig is None:
        return None
    if fig.estimate is None:
        return None  # withheld: the caveat says why
    bound = fig.flagged("linked_lower_bound")
    return (
        f"Officers found the object they were looking for (a linked find) in "
        f"{'at least ' if bound else ''}{pct(fig.estimate)} of searches "
        f"({ci_pct(fig.lower, fig.upper, fig.confidence)})"
        + (", a lower bound because the linked field was often left blank." if bound else ".")
    )


def group_difference_sentence(rate, white, diff, what: str) -> str | None:
    """The outcome test for one group: its rate against White people's."""
    if diff is None or diff.estimate is None or rate.estimate is None or white.estimate is None:
        return None
    mine, theirs = pct_pair(rate.estimate, white.estimate)
    gap, interval = estimate_and_ci(
        diff.estimate, diff.lower, diff.upper, diff.confidence, scale=100, null=0.0,
        significant=diff.significant, sign=True,
    )  # fmt: skip
    words = (
        f"The {what} for searches of {people(rate.group)} was {mine} against {theirs} for White "
        f"people (difference {gap} percentage points, {interval})"
    )
    if diff.significant:
        words += ": a statistically significant difference."
    else:
        words += ": not a statistically significant difference."
    if rate.flagged("linked_lower_bound"):
        words += (
            " Both rates are lower bounds (the linked field was often left blank), so the "
            "difference may reflect how the field was filled in rather than what was found."
        )
    return words


def trend_sentence(trend, period_label: str) -> str | None:
    if trend is None or trend.estimate is None:
        return None
    cov = trend.coverage
    end = end_words(period_label)
    if cov.complete:
        scope = f"Over the {len(cov.expected)} months to {end}"
    else:
        scope = (
            f"Over the {len(cov.present)} months with data of the {len(cov.expected)} months to "
            f"{end} (the data has no file for {months_words(cov.missing)})"
        )
    shown, interval = estimate_and_ci(
        trend.estimate, trend.lower, trend.upper, trend.confidence, " percent", null=0.0,
        significant=trend.significant, sign=True,
    )  # fmt: skip
    if trend.significant:
        verdict = "a statistically significant " + (
            "rise" if trend.direction == "increase" else "fall"
        )
    else:
        verdict = "no statistically significant trend"
    agree = trend.kendall_significant == trend.significant and (
        not trend.significant or trend.kendall_direction == trend.direction
    )
    return (
        f"{scope}, monthly searches changed by {shown} percent a month "
        f"({interval}): {verdict}. A second test, which uses only the order of the months, "
        f"{'agrees' if agree else 'does not agree'}."
    )


def stop_search_findings(r) -> list[tuple[str, list[str]]]:
    """Key findings of the stop-and-search section, grouped under sub-headings."""
    if r.status == "no_data":
        return [("Searches", [caveat(c, r) for c in r.caveats])]
    groups: list[tuple[str, list[str]]] = []
    volume = [searches_sentence(r)]
    change = r.figure("searches_change_vs_previous_year_percent", ALL)
    if change is not None and change.estimate is not None:
        volume.append(change_sentence(change, r.period))
    elif not r.previous_coverage.present:
        volume.append(
            f"The data has no records for {year_words(parse_period(r.period).previous.label)}, "
            "so no change on the year before can be given."
        )
    groups.append(("Searches", volume))
    ratios = []
    for group in COMPARED_GROUPS:
        fig = r.figure("search_rate_ratio_vs_white", group)
        if fig is not None:
            text = ratio_sentence(fig, r)
            if text:
                ratios.append(text)
    few = few_searches_sentence(
        [r.figure("search_rate_ratio_vs_white", g) for g in COMPARED_GROUPS if ratios],
        "rates of stop and search",
    )
    if few:
        ratios.append(few)
    bounds = bounds_sentence(r, "Black")
    if bounds and ratios:
        ratios.append(bounds)
    if ratios:
        groups.append(("Disproportionality", ratios))
    outcome = []
    find = find_rate_sentence(r)
    if find:
        outcome.append(find)
    for measure, what in (("linked_find_rate", "linked find rate"), ("arrest_rate", "arrest rate")):
        white = r.figure(measure, REFERENCE_GROUP)
        for group in COMPARED_GROUPS:
            rate = r.figure(measure, group)
            diff = r.figure(f"{measure}_difference_vs_white", group)
            if rate is None or white is None:
                continue
            text = group_difference_sentence(rate, white, diff, what)
            if text:
                outcome.append(text)
    small = []
    for group in COMPARED_GROUPS:
        diff = r.figure("linked_find_rate_difference_vs_white", group) or r.figure(
            "arrest_rate_difference_vs_white", group
        )
        rate = r.figure("arrest_rate", group)
        if diff is not None and diff.flagged("small_numbers") and rate is not None:
            small.append(replace(rate, numerator=rate.denominator, flags=("small_numbers",)))
    few = few_searches_sentence(small, "find or arrest rates") if outcome else None
    if few:
        outcome.append(few)
    if outcome:
        groups.append(("The outcome test", outcome))
    trend = trend_sentence(r.trend, r.period)
    if trend:
        groups.append(("Monthly trend", [trend]))
    funnels = [
        funnel_sentence(f, r.force_name, "forces with a complete year of data") for f in r.funnels
    ]
    if funnels:
        groups.append((FUNNELS_HEADING, [f for f in funnels if f]))
    notes = [caveat(c, r) for c in r.caveats]
    if notes:
        groups.append(("What the figures cannot show", notes))
    return groups


def stop_search_methods(r) -> str:
    words = definition_words(r.definition)
    parts = [
        f"Methods ({conf(r.confidence)} confidence intervals throughout). Counts: exact "
        "Poisson intervals (natural variation; the records are complete, not a sample).",
    ]
    if r.population_base == "residents":
        parts.append(
            "Rates per 1,000: exact Poisson (Garwood) intervals on Census 2021 usual residents "
            f"by self-defined ethnic group; searches by {words} ethnicity; not annualised."
            " Ratios against White people: exact conditional (binomial) interval and test."
        )
    parts.append(
        "Linked find and arrest rates: Wilson score intervals; differences against White "
        "people: Newcombe hybrid score intervals, with the pooled score test."
    )
    parts.append(
        "Change on the year before: exact conditional Poisson rate ratio over the months the "
        "data has in both years."
    )
    if r.trend is not None:
        dispersion = (
            f" (dispersion {fixed(r.trend.dispersion)})" if r.trend.dispersion is not None else ""
        )
        parts.append(
            "Monthly trend: quasi-Poisson regression of monthly counts on time"
            f"{dispersion}, with the Mann-Kendall test beside it; months without data keep "
            'their place in time. Process control: XmR chart with NHS "Making Data Count" '
            "rules (a point beyond the limits, 7 points on one side of the centre line, 7 "
            "rising or falling)."
        )
    for f in r.funnels:
        if f.tau2 is not None:
            parts.append(funnel_method_words(f))
    return " ".join(parts)


# ----------------------------------------------------------------------------- unknown ethnicity


def bounds_sentence(r, group: str = "Black") -> str | None:
    """How far the searches with no recorded ethnicity could move one group's ratio: all of
    them White (the lowest) or all in the group (the highest); proportional allocation leaves
    the ratio as it is. Says whether the conclusion could change."""
    main = r.figure("search_rate_ratio_vs_white", group)
    low = r.figure("search_rate_ratio_vs_white_min", group)
    high = r.figure("search_rate_ratio_vs_white_max", group)
    unknown = r.figure("searches", UNKNOWN)
    if None in (main, low, high, unknown) or main.estimate is None or not main.has_interval:
        return None
    if low.estimate is None or high.estimate is None or not (low.has_interval and
                                                             high.has_interval):  # fmt: skip
        return None

    change = unrecorded_bounds_words(main, low, high)
    return (
        f"{whole(unknown.estimate)} searches had no recorded ethnicity. Had they all been of "
        f"White people, {people(group)} would have been {fixed(low.estimate, 2)} times as likely "
        f"as White people to be searched ({ci(low.lower, low.upper, low.confidence, '', 2)}); "
        f"had they all been of {people(group)}, {fixed(high.estimate, 2)} times "
        f"({ci(high.lower, high.upper, high.confidence, '', 2)}): {change}. Shared out in "
        "proportion to the recorded groups, they leave the ratio as it is."
    )


# ----------------------------------------------------------------------------- the section's parts


def months_note(r) -> str:
    """' (8 of 12 months)' after a heading when the data lacks months, else ''."""
    return "" if r.coverage.complete else f" ({len(r.coverage.present)} of 12 months)"


COUNTS_HEADING = "Searches by ethnic group{months}"
COUNTS_CAPTION = "Stop and searches by ethnic group"
RATES_HEADING = "Searches and rates per 1,000 residents{months}"
RATES_UNIT = "searches per 1,000 residents"
RATES_WHAT = "Searches per 1,000 residents"


def rates_caption(r) -> str:
    return f"Stop and searches per 1,000 residents by ethnic group, {year_words(r.period)}"


RATIOS_HEADING = "Disproportionality"
RATIOS_INTRO = (
    "Each group's rate of stop and search divided by the rate for White people. A ratio of 1 "
    "means equally likely."
)
RATIOS_CAPTION = "Rate of stop and search relative to White people"
RATIOS_WHAT = "Rate relative to White people"
RATIOS_ALT = (
    "Rate of stop and search relative to White people, by ethnic group (a dashed line marks 1, "
    "the same rate)"
)
OUTCOME_TEST_HEADING = "The outcome test"
OUTCOME_TEST_INTRO = (
    "If searches of one group find what officers were looking for less often, the grounds for "
    "searching that group may be weaker. A linked find is an outcome linked to the object of "
    'the search that is not "no further action".'
)
LINKED_FINDS = "Linked finds"
ARRESTS = "Arrests"
LINKED_CAPTION = "Linked find rate by ethnic group"
ARREST_CAPTION = "Arrest rate by ethnic group"
LINKED_CHART_WHAT = "Linked find rate by ethnic group"
PERCENT_OF_SEARCHES = "percent of searches"
MONTHLY_HEADING = "Monthly searches: trend and process control"
SPC_TITLE = "Stop and searches a month (XmR chart)"
SPC_UNIT = "searches"
#: the XmR chart's legend: its centre line and its limits (the words of its data table)
SPC_LINES = ("centre line", "control limits")
FINDINGS_HEADING = "Key findings: stop and search"
SOURCE = "police.uk stop and search data; ONS Census 2021 (TS021)"


# ----------------------------------------------------------------------------- tables


def counts_table(r) -> pd.DataFrame:
    rows = [r.figure("searches", g) for g in [*GROUPS, UNKNOWN, ALL]]
    rows = [f for f in rows if f is not None]
    c = conf(r.confidence)
    return pd.DataFrame(
        {
            "Ethnic group": [group_label(f.group) for f in rows],
            f"Searches{months_label(r.coverage)}": [cell_count(f.estimate) for f in rows],
            f"{c} CI (natural variation)": [ci_short(f.lower, f.upper, 0) for f in rows],
            "Notes": [flag_notes(f.flags) for f in rows],
        }
    )


def rates_table(r) -> pd.DataFrame:
    rows = [r.figure("search_rate_per_1000", g) for g in [*GROUPS, ALL]]
    rows = [f for f in rows if f is not None]
    c = conf(r.confidence)
    months = months_label(r.coverage)
    per = "Searches per 1,000" + (f"{months}, not annualised" if months else "")
    return pd.DataFrame(
        {
            "Ethnic group": [group_label(f.group) for f in rows],
            f"Searches{months}": [cell_count(f.numerator) for f in rows],
            "Residents (Census 2021)": [cell_count(f.denominator) for f in rows],
            per: [cell_number(f.estimate) for f in rows],
            f"{c} CI": [ci_short(f.lower, f.upper, 2) for f in rows],
            "Notes": [flag_notes(f.flags) for f in rows],
        }
    )


def ratio_table(r) -> pd.DataFrame:
    rows = [r.figure("search_rate_ratio_vs_white", g) for g in GROUPS if g != REFERENCE_GROUP]
    rows = [f for f in rows if f is not None]
    c = conf(r.confidence)
    return pd.DataFrame(
        {
            "Ethnic group": [f.group for f in rows],
            "Searches": [cell_count(f.numerator) for f in rows],
            "Times as likely as White people": [cell_number(f.estimate) for f in rows],
            f"{c} CI": [ci_short(f.lower, f.upper, 2) for f in rows],
            "p": [fmt_p(f.p_value) for f in rows],
            f"If unrecorded ethnicity were all White ({c} CI)": [
                _bound(r, "search_rate_ratio_vs_white_min", f.group) for f in rows
            ],
            f"If all in the group ({c} CI)": [
                _bound(r, "search_rate_ratio_vs_white_max", f.group) for f in rows
            ],  # fmt: skip
            "Notes": [flag_notes(f.flags) for f in rows],
        }
    )


def _bound(r, measure: str, group: str) -> str:
    """'1.21 (0.62 to 2.21)': one bound on a ratio with its interval."""
    f = r.figure(measure, group)
    if f is None or f.estimate is None:
        return DASH
    return f"{cell_number(f.estimate)} ({ci_short(f.lower, f.upper, 2)})"


def outcome_table(r, measure: str, label: str) -> pd.DataFrame:
    """The outcome test for one measure: rate by group and the difference against White."""
    c = conf(r.confidence)
    groups = [*GROUPS, UNKNOWN, ALL]
    rows = []
    for group in groups:
        rate = r.figure(measure, group)
        if rate is None:
            continue
        diff = r.figure(f"{measure}_difference_vs_white", group)
        not_recorded = rate.flagged("not_recorded")
        if rate.denominator == 0:
            shown, interval = "no searches", DASH
        elif rate.estimate is None:
            shown, interval = ("not recorded" if not_recorded else "not shown"), DASH
        else:
            bound = "at least " if rate.flagged("linked_lower_bound") else ""
            shown = bound + pct(rate.estimate, word=False)
            interval = ci_short(rate.lower, rate.upper, 1, 100, "%")
        count = "not recorded" if not_recorded else cell_count(rate.numerator)
        has_diff = diff is not None and diff.estimate is not None
        rows.append(
            {
                "Ethnic group": group_label(group),
                "Searches": cell_count(rate.denominator),
                label: count,
                "Rate": shown,
                f"{c} CI": interval,
                "Difference from White (points)": signed(diff.estimate * 100) if has_diff else DASH,
                f"{c} CI of the difference": ci_short(diff.lower, diff.upper, 1, 100)
                if has_diff
                else DASH,
                "p": fmt_p(diff.p_value) if has_diff else DASH,
                "Notes": flag_notes(rate.flags),
            }
        )
    return pd.DataFrame(rows)


def trend_verdict_words(trend) -> str:
    """'a statistically significant rise', 'no statistically significant trend'."""
    if trend.significant:
        return "a statistically significant " + (
            "rise" if trend.direction == "increase" else "fall"
        )
    return "no statistically significant trend"
