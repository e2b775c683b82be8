"""Words shared by every section: periods and months, lists, capitals, possessives, and the
names of ethnic groups and ethnicity definitions.
"""

from __future__ import annotations

from peelstats.vocabulary import (
    ALL,
    DEFINITIONS,
    UNKNOWN,
    Coverage,
    month_name,
    month_period,
    month_runs,
    parse_period,
)

# ----------------------------------------------------------------------------- periods


def possessive(name: str) -> str:
    """'Durham's', but 'West Midlands'' (a name ending in s takes the apostrophe alone)."""
    return f"{name}'" if name.endswith("s") else f"{name}'s"


def year_words(period_label: str) -> str:
    """'2021Q3' -> 'the year ending 30 September 2021'."""
    day, month, year = parse_period(period_label).end_date
    return f"the year ending {day} {month} {year}"


def end_words(period_label: str) -> str:
    day, month, year = parse_period(period_label).end_date
    return f"{day} {month} {year}"


def months_words(months) -> str:
    """['2020-10', ..., '2021-03'] -> 'October 2020 to March 2021'; runs joined with 'and'."""
    parts = []
    for first, last in month_runs(months):
        a, b = month_period(first), month_period(last)
        if first == last:
            parts.append(month_name(first))
        elif a.year == b.year:
            parts.append(f"{month_name(first, year=False)} to {month_name(last)}")
        else:
            parts.append(f"{month_name(first)} to {month_name(last)}")
    if len(parts) <= 1:
        return parts[0] if parts else ""
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def span_words(start: str, end: str) -> str:
    """'2022-01', '2022-12' -> 'January to December 2022'."""
    if not start or not end:
        return ""
    a, b = month_period(start), month_period(end)
    return months_words([str(a + k) for k in range((b - a).n + 1)])


def twelve_months_words(start: str, end: str) -> str:
    """'2021-04', '2022-03' -> 'the year ending 31 March 2022' (any other span as
    :func:`span_words` writes it)."""
    if not start or not end:
        return ""
    a, b = month_period(start), month_period(end)
    if (b - a).n == 11:
        return f"the year ending {b.days_in_month} {b.strftime('%B')} {b.year}"
    return span_words(start, end)


def published_words(published: str) -> str:
    """'2023-11' -> 'November 2023'."""
    return month_name(published) if published else ""


def coverage_phrase(coverage: Coverage, period_label: str) -> str:
    """The period a figure covers: 'in the year ending ...' or, with months missing,
    'in the 6 months of the year ending ... that the data covers (October 2020 to March 2021;
    the data has no file for April to September 2021)'."""
    year = year_words(period_label)
    if coverage.complete:
        return f"in {year}"
    k = len(coverage.present)
    return (
        f"in the {k} {'month' if k == 1 else 'months'} of {year} that the data covers "
        f"({months_words(coverage.present)}; the data has no file for "
        f"{months_words(coverage.missing)})"
    )


def coverage_short(coverage: Coverage | None) -> str:
    """'6 of 12 months: Oct 2020 to Mar 2021' for tables and the index; '' when complete."""
    if coverage is None or coverage.complete:
        return ""
    return (
        f"{len(coverage.present)} of {len(coverage.expected)} months: "
        f"{months_words(coverage.present)}"
    )


def join_and(items) -> str:
    """['a'] -> 'a'; ['a', 'b', 'c'] -> 'a, b and c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def number_words(n: int) -> str:
    """A whole number as a Panel would say it: 'one' to 'nine', then figures ('12', '1,466')."""
    n = int(n)
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else f"{n:,}"


def plural(n, singular: str, many: str | None = None) -> str:
    """The noun for ``n`` things: 'quarter' for 1, 'quarters' otherwise (or ``many``)."""
    return singular if n == 1 else (many or singular + "s")


def count_words(n, singular: str, many: str | None = None) -> str:
    """'1 complete quarter', '6 complete quarters', '2,068 searches'."""
    return f"{int(n):,} {plural(n, singular, many)}"


# ----------------------------------------------------------------------------- groups

_PEOPLE = {
    "Asian": "Asian people",
    "Black": "Black people",
    "Mixed": "people of Mixed ethnicity",
    "White": "White people",
    "Other": "people of Other ethnicity",
    UNKNOWN: "people whose ethnicity was not recorded",
    ALL: "all people",
}


def people(group: str) -> str:
    return _PEOPLE.get(group, f"people in the group {group}")


def definition_words(definition: str) -> str:
    return DEFINITIONS[definition]


#: why a notebook is left out of a force's report (status.json, the index and "About this report")
SKIP_REASONS = {
    "no_inspection_findings": "no published inspection findings for this force are held here",
    "no_outcomes": "the Home Office crime outcomes data has no figures for this force",
    "no_use_of_force": "the Home Office use of force tables have no figures for this force",
    "no_use_of_force_tables": "the data has no Home Office use of force tables",
}


def skip_reason(code: str) -> str:
    return SKIP_REASONS[code]


def no_data_reason(force_name: str, period_label: str) -> str:
    """Why a force's job is skipped when the data has none of its searches in the period
    (status.json, the summary line and the index)."""
    return (
        f"no stop-and-search data: the data has no stop-and-search records for {force_name} "
        f"in {year_words(period_label)}"
    )


# ----------------------------------------------------------------------------- shared labels

#: the ratio every section compares groups by, in a table header or chart title
RATIO_NAME = "Black/White rate ratio"
#: a ratio's unit on a chart axis or in a table header
TIMES_AS_LIKELY = "times as likely as White people"
#: where a dashed line at 1 means the same rate
SAME_RATE = "a dashed line marks 1, the same rate"
OGL = "Contains public sector information licensed under the Open Government Licence v3.0."


def source_line(*sources: str, licence: bool = True) -> str:
    """'Source: a; b. <licence line>'."""
    text = "Source: " + "; ".join(sources)
    return f"{text}. {OGL}" if licence else text


def chart_title_with_intervals(what: str, confidence) -> str:
    from peelstats.report.wording.numbers import conf

    return f"{what}, with {conf(confidence)} confidence intervals"


def unrecorded_bounds_words(main, low, high) -> str:
    """Whether allocating the unrecorded ethnicity all to White (``low``) or all to the group
    (``high``) could change the verdict on the ratio ``main`` against 1 (each with an
    interval): the clause that ends the bounds sentence."""

    def verdict(f) -> str:
        return "above" if f.lower > 1 else ("below" if f.upper < 1 else "unclear")

    ends = {verdict(low), verdict(high)}
    if ends == {verdict(main)} and verdict(main) != "unclear":
        return "either way the conclusion stands"
    if ends == {"unclear"} and verdict(main) == "unclear":
        return "either way the data cannot show that the rates differ"
    return "so the missing ethnicity could change the conclusion"
