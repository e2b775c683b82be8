"""Every sentence a report, a notebook or the index shows, written from frozen results.

This is the only module that turns results into English. Its rules:

- a sentence claims only what its result shows: "statistically significant" exactly when the
  result's interval excludes no difference, the direction from the result, the confidence level
  the result carries (the run's, or the inspectorate's 95% for published margins);
- every count, rate or sentence over a period says which months it covers when the data lacks
  some ("the data has no file for ..."); rates over part of a year are not annualised;
- no audit change is judged where the audit table says the audits cannot be compared;
- intervals are given by both limits; a "+/-" is only ever the inspectorate's, and says so;
- method names belong in each section's methods note, not in the findings;
- nothing missing is written as a number: no "nan", no "-0.0", and a blank field is "not
  recorded", never 0.
"""

from __future__ import annotations

import math

from peelstats.vocabulary import (
    ALL,
    COMPARED_GROUPS,
    DEFINITIONS,
    GROUPS,
    REFERENCE_GROUP,
    UNKNOWN,
    Coverage,
    month_name,
    month_period,
    month_runs,
    parse_period,
)

# ----------------------------------------------------------------------------- numbers


class WordingError(ValueError):
    """A number that must not be written (missing or not finite) reached a sentence."""


def _finite(value, what: str = "value") -> float:
    if value is None:
        raise WordingError(f"{what} is missing")
    x = float(value)
    if not math.isfinite(x):
        raise WordingError(f"{what} is not finite ({value!r})")
    return x


def fixed(value, digits: int = 1) -> str:
    """A number with ``digits`` decimals; never '-0.0'."""
    x = _finite(value)
    text = f"{x:,.{digits}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]
    return text


def signed(value, digits: int = 1) -> str:
    """+1.2 / -1.2, and 0.0 rather than -0.0 or +0.0."""
    text = fixed(value, digits)
    if float(text.replace(",", "")) == 0:
        return text
    return text if text.startswith("-") else "+" + text


def whole(value) -> str:
    """2,068."""
    return f"{int(round(_finite(value))):,}"


def conf(confidence) -> str:
    """0.95 -> '95%'; 0.995 -> '99.5%'."""
    c = _finite(confidence, "confidence") * 100
    return f"{round(c, 4):g}%"


def share_words(share) -> str:
    """0.562 -> '56%' (a share of records, for caveats)."""
    x = _finite(share) * 100
    if 0 < x < 1:
        return "less than 1%"
    if 99 < x < 100:
        return "more than 99%"
    return f"{x:.0f}%"


def _digits_for(*values, base: int = 1, most: int = 3) -> int:
    """Decimals (from ``base`` up to ``most``) at which distinct values print distinctly and
    non-zero values do not print as zero."""
    xs = [_finite(v) for v in values]
    for digits in range(base, most + 1):
        texts = [fixed(x, digits) for x in xs]
        zero_shown = any(
            x != 0 and float(t.replace(",", "")) == 0 for x, t in zip(xs, texts, strict=True)
        )
        clash = len(set(texts)) < len(set(xs))
        if not zero_shown and not clash:
            return digits
    return most


def _pct_text(x: float, d: int, unit: str) -> str:
    """x (in percent) with d decimals; a non-zero value too small to show is 'less than'."""
    text = fixed(x, d)
    if x != 0 and float(text.replace(",", "")) == 0:
        return f"less than {10**-d:.{d}f}{unit}"
    return text + unit


def pct(p, digits: int | None = None, word: bool = True) -> str:
    """0.7717 -> '77.2 percent' (or '77.2%'); enough decimals that a non-zero share never
    prints as 0.0 (below 0.001 percent it is 'less than 0.001 percent')."""
    x = _finite(p) * 100
    d = _digits_for(x) if digits is None else digits
    return _pct_text(x, d, " percent" if word else "%")


def pct_pair(a, b, word: bool = True) -> tuple[str, str]:
    """Two shares written with enough decimals to tell them apart."""
    d = _digits_for(_finite(a) * 100, _finite(b) * 100)
    unit = " percent" if word else "%"
    return _pct_text(a * 100, d, unit), _pct_text(b * 100, d, unit)


def ci(lower, upper, confidence, unit: str = "", digits: int = 1, scale: float = 1.0) -> str:
    """'95% confidence interval 71.6 to 81.9 percent' (both limits, never '+/-')."""
    lo, hi = _finite(lower) * scale, _finite(upper) * scale
    return (
        f"{conf(confidence)} confidence interval {fixed(lo, digits)} to {fixed(hi, digits)}{unit}"
    )


def ci_pct(lower, upper, confidence, digits: int | None = None) -> str:
    d = _digits_for(_finite(lower) * 100, _finite(upper) * 100) if digits is None else digits
    return ci(lower, upper, confidence, " percent", d, 100)


def pct_digits(*shares) -> int:
    """Decimals at which every share (0-1) prints distinctly and none non-zero prints as 0."""
    return _digits_for(*(_finite(x) * 100 for x in shares))


def ci_short(lower, upper, digits: int = 1, scale: float = 1.0, unit: str = "") -> str:
    """'71.6 to 81.9' for tables; an en dash when there is no interval."""
    if lower is None or upper is None:
        return "–"
    return f"{fixed(lower * scale, digits)} to {fixed(upper * scale, digits)}{unit}"


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


# ----------------------------------------------------------------------------- caveats


def caveat(c, result) -> str:
    """The sentence of a caveat code (see peelstats.analysis.*.build)."""
    p = c.params
    name = getattr(result, "force_name", "The force")
    code = c.code
    if code == "no_data":
        return (
            f"The data has no stop-and-search records for {name} in "
            f"{year_words(result.period)}, so no stop-and-search figures can be given."
        )
    if code == "months_missing":
        cov = result.coverage
        k = len(cov.present)
        return (
            f"The data has no file for {months_words(cov.missing)}, so the figures for "
            f"{year_words(result.period)} cover {k} of its 12 months "
            f"({months_words(cov.present)}). Counts and rates per 1,000 are for those months "
            "only and are not annualised; they cannot be compared with full years."
        )
    if code == "months_repaired":
        return (
            f"The file for {months_words(p['months'])} listed every record twice; each record "
            "was counted once."
        )
    if code == "officer_defined_vs_census":
        return (
            "Rates by ethnic group here divide searches by officer-defined ethnicity (the "
            "officer's view) by Census 2021 residents by self-defined ethnicity (how people "
            "describe themselves). The two can differ, so rates and ratios by group are "
            "approximate."
        )
    if code == "officer_group_not_used":
        groups = join_and(people(g) for g in p["groups"])
        return (
            f"None of {possessive(name)} searches in the data records "
            f"{join_and(p['groups'])} as the officer-defined ethnicity, although some of the "
            f"people searched described themselves as {join_and(p['groups'])}: the force does "
            "not appear to use that officer-defined category, so no rates, ratios or outcome "
            f"comparisons are given for {groups}."
        )
    if code == "no_resident_population":
        railways = " (it polices the railways)" if result.force == "btp" else ""
        return (
            f"{name} has no resident population{railways}, so rates per 1,000 residents, "
            "ratios between ethnic groups' rates of stop and search, and the funnel plot of "
            "search rates cannot be computed. Counts, the outcome test and the monthly trend "
            "are given."
        )
    if code == "residents_unrepresentative":
        months = p["months"]
        yearly = p["searches"] * 12 / months / p["residents"] * 1000 if months else 0
        return (
            f"{name} has {whole(p['residents'])} residents (Census 2021) but carried out "
            f"{whole(p['searches'])} stop and searches in {months} months, about "
            f"{whole(yearly)} a year per 1,000 residents: the people it polices are mostly not "
            "its residents (workers, commuters and visitors). Rates per resident, and ratios "
            "between ethnic groups' rates, would mislead and are not shown."
        )
    if code == "ethnicity_not_recorded":
        words = definition_words(p["definition"])
        other = "officer" if p["definition"] == "self" else "self"
        return (
            f"{capitalise(words)} ethnicity was not recorded for {share_words(p['share'])} of "
            "searches, so rates, ratios and outcome comparisons by ethnic group would describe "
            "a small, possibly unrepresentative part of the searches and are not shown. "
            f"Re-run with {definition_words(other)} ethnicity (--ethnicity {other}) for a "
            "comparison."
        )
    if code in ("ethnicity_partly_recorded", "ethnicity_some_unrecorded"):
        words = definition_words(p["definition"])
        return (
            f"{capitalise(words)} ethnicity was not recorded for {share_words(p['share'])} of "
            "searches. Those searches count in the total but in no group's figures, so each "
            "group's rate may be understated."
        )
    if code == "linked_not_recorded":
        return (
            "The force left 'outcome linked to object of search' blank for "
            f"{share_words(p['share'])} of the searches that ended in an arrest or other "
            "action, so its linked find rate cannot be measured and is not shown."
        )
    if code == "linked_lower_bound":
        return (
            "The force left 'outcome linked to object of search' blank for "
            f"{share_words(p['share'])} of the searches that ended in an arrest or other "
            "action. Those count as not linked, so the linked find rates are lower bounds."
        )
    if code == "small_sample":
        return (
            f"The figure for {p['label']} rests on only {whole(p['n'])} records, so its "
            "interval is wide; compare it with other figures only with that in mind."
        )
    raise WordingError(f"no wording for caveat {code!r}")


# ----------------------------------------------------------------------------- stop and search


def stop_search_heading(r) -> str:
    return f"Stop and search: {year_words(r.period)}"


def stop_search_intro(r) -> str:
    """What the section covers: period, comparison, ethnicity definition and base."""
    parts = [
        f"{r.force_name}, {year_words(r.period)} ({r.period}), compared with the year before. "
    ]
    if r.coverage.missing and r.coverage.present:
        parts.append(
            f"The data covers {len(r.coverage.present)} of the 12 months "
            f"({months_words(r.coverage.present)}). "
        )
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


def _change_amount(value: float) -> str:
    return f"{fixed(abs(value))} percent {'more' if value > 0 else 'fewer'}"


def _change_interval(fig) -> str:
    lo, hi = fig.lower, fig.upper
    if lo >= 0:
        inner = f"{fixed(lo)} to {fixed(hi)} percent more"
    elif hi <= 0:
        inner = f"{fixed(-hi)} to {fixed(-lo)} percent fewer"
    else:
        inner = f"{fixed(-lo)} percent fewer to {fixed(hi)} percent more"
    return f"{conf(fig.confidence)} confidence interval {inner}"


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
    if fig.estimate == 0:
        amount = "unchanged on"
        compared = f"{scope} {amount} {previous}"
    else:
        compared = f"{scope} {_change_amount(fig.estimate)} than in {previous}"
    if fig.significant:
        verdict = (
            "a statistically significant " + ("increase" if fig.direction == "increase"
                                              else "reduction")
        )  # fmt: skip
    else:
        verdict = "not a statistically significant change"
    return f"{compared} ({_change_interval(fig)}): {verdict}."


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
    interval = ci(fig.lower, fig.upper, fig.confidence)
    small = " The numbers are small, so the interval is wide." if fig.flagged(
        "small_numbers") else ""  # fmt: skip
    if fig.significant and fig.direction == "increase":
        return (
            f"Based on {basis}, {people(group)} were {fixed(fig.estimate)} times as likely as "
            f"White people to be stopped and searched {when} ({interval}): a statistically "
            f"significant difference.{small}"
        )
    if fig.significant and fig.direction == "decrease":
        return (
            f"Based on {basis}, {people(group)} were {fixed(fig.estimate)} times as likely as "
            f"White people to be stopped and searched {when} ({interval}): statistically "
            f"significantly less likely.{small}"
        )
    return (
        f"Based on {basis}, the rate of stop and search of {people(group)} was "
        f"{fixed(fig.estimate)} times that of White people {when} ({interval}); the data cannot "
        f"show that the two rates differ (not statistically significant).{small}"
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
    words = (
        f"The {what} for searches of {people(rate.group)} was {mine} against {theirs} for White "
        f"people (difference {signed(diff.estimate * 100)} percentage points, "
        f"{ci(diff.lower, diff.upper, diff.confidence, '', 1, 100)})"
    )
    if diff.significant:
        words += ": a statistically significant difference."
    else:
        words += ": not a statistically significant difference."
    if diff.flagged("small_numbers"):
        words += " The numbers are small, so the interval is wide."
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
    interval = ci(trend.lower, trend.upper, trend.confidence, " percent")
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
        f"{scope}, monthly searches changed by {signed(trend.estimate)} percent a month "
        f"({interval}): {verdict}. A second test, which uses only the order of the months, "
        f"{'agrees' if agree else 'does not agree'}."
    )


_FUNNEL_WHAT = {
    "search_rate_per_1000": ("rate of stop and search", "per 1,000 residents"),
    "linked_find_rate": ("linked find rate", ""),
    "black_white_ratio": ("ratio of the Black to the White rate of stop and search", ""),
    "charge_rate": ("charge/summons rate", ""),
}

_FUNNEL_PLURAL = {
    "search_rate_per_1000": "rates of stop and search",
    "linked_find_rate": "linked find rates",
    "black_white_ratio": "ratios of the Black to the White rate",
    "charge_rate": "charge/summons rates",
}

_FUNNEL_ABSENT = {
    "incomplete": "it does not have all 12 months of data for the period",
    "linked_not_recorded": "its linked field is too often blank to compare",
    "too_few_forces": "fewer than 3 forces could be compared",
    "no_outcomes": "the outcomes data has no figures for it",
    "no_population": "it searched no White people, or has no Black residents, in the period",
    "ethnicity_not_recorded": "ethnicity was not recorded for most of its searches",
}


def _funnel_numbers(measure: str, *values) -> list[str]:
    """Values of one funnel measure written alike (enough decimals to tell them apart)."""
    if measure == "search_rate_per_1000":
        d = _digits_for(*values, base=1)
        return [f"{fixed(v, d)} per 1,000 residents" for v in values]
    if measure == "black_white_ratio":
        d = _digits_for(*values, base=1)
        return [fixed(v, d) for v in values]
    d = _digits_for(*(v * 100 for v in values))
    return [_pct_text(v * 100, d, " percent") for v in values]


def _funnel_value(measure: str, value: float, target: float) -> tuple[str, str]:
    a, b = _funnel_numbers(measure, value, target)
    if measure == "search_rate_per_1000":
        b = b.replace(" per 1,000 residents", "")
    return a, b


def funnel_sentence(funnel, force_name: str, population_words: str) -> str | None:
    """Where the force sits on one funnel plot, in words (one judgement per figure)."""
    what, _ = _FUNNEL_WHAT[funnel.measure]
    if funnel.position is None:
        return (
            f"{force_name} is not placed on the funnel plot of the {what}: "
            f"{_FUNNEL_ABSENT.get(funnel.absent, 'it has no comparable figure')}."
        )
    value, target = _funnel_value(funnel.measure, funnel.value, funnel.target)
    position = funnel.position
    levels = sorted(float(v) for v in funnel.levels)
    if position == "within":
        where = (
            f"within the {conf(levels[0])} control limits: consistent with the usual variation "
            "between forces"
        )
    else:
        side, level = position.split("_")
        where = f"{side} the {conf(level)} control limit"
        if float(level) < levels[-1]:
            where += f" but within the {conf(levels[-1])} limit: worth a closer look"
        else:
            where += ": very unlikely to arise from the usual variation between forces"
    left_out = ""
    if funnel.excluded:
        why = (
            "left the linked field blank too often to compare"
            if funnel.measure == "linked_find_rate"
            else "could not be compared"
        )
        left_out = f" ({len(funnel.excluded)} more {why})"
    return (
        f"Among the {funnel.units} {population_words}{left_out}, {possessive(force_name)} {what} "
        f"({value}, against {target} for those forces together) is {where}."
    )


def funnel_reach_sentence(funnel, force_name: str) -> str | None:
    """What the funnel can and cannot flag: the spread between forces beyond chance (tau,
    back-transformed), the inner limits at the force's own size, and how many forces chance
    alone would put outside them. None when the force is not on the funnel."""
    if funnel.position is None or funnel.limit_low is None:
        return None
    parts = []
    if funnel.spread_low is not None and funnel.tau2 is not None and funnel.tau2 > 0:
        lo, hi = _funnel_numbers(funnel.measure, funnel.spread_low, funnel.spread_high)
        spread = (
            f"Beyond chance, the forces' {_FUNNEL_PLURAL[funnel.measure]} typically lie "
            f"between {lo} and {hi}"
        )
        if funnel.scale == "log":
            factor = math.exp(math.sqrt(funnel.tau2))
            spread += f" (forces differ by a factor of about {fixed(factor, 1)})"
        parts.append(spread + ", and the control limits allow for that spread.")
    elif funnel.tau2 is not None:
        parts.append(
            f"The forces' {_FUNNEL_PLURAL[funnel.measure]} vary no more than chance alone "
            "would make them, so the "
            "control limits reflect chance alone."
        )
    low, high = _funnel_numbers(funnel.measure, funnel.limit_low, funnel.limit_high)
    chance = funnel.expected_outside
    inner = conf(min(float(v) for v in funnel.levels))
    chance_words = (
        f"; with {funnel.units} forces, about {fixed(chance, 1)} would fall outside the {inner} "
        "limits by chance alone"
        if chance is not None
        else ""
    )
    parts.append(
        f"At {possessive(force_name)} size, the {inner} limits run from {low} to {high}: only a "
        f"figure outside that range would be flagged{chance_words}."
    )
    return " ".join(parts)


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
    if outcome:
        groups.append(("The outcome test", outcome))
    trend = trend_sentence(r.trend, r.period)
    if trend:
        groups.append(("Monthly trend", [trend]))
    funnels = [
        funnel_sentence(f, r.force_name, "forces with a complete year of data") for f in r.funnels
    ]
    if funnels:
        groups.append(("Among all forces", [f for f in funnels if f]))
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


# ----------------------------------------------------------------------------- audits


def audit_records_words(subject) -> str:
    return span_words(subject.records_from, subject.records_to)


def reasonable_grounds_heading(r) -> str:
    latest = r.subjects[0] if r.subjects else None
    if latest is None:
        return "Reasonable grounds recorded"
    span = audit_records_words(latest)
    return f"Reasonable grounds recorded: the inspectorate's review of records from {span}"


def crime_data_integrity_heading(r) -> str:
    when = f", published {published_words(r.published)}" if r.published else ""
    return f"Crime data integrity: the {r.audit} audit{when}"


def _theirs(subject) -> str:
    return (
        f"{fixed(subject.published_percent)} percent with, in its words, a confidence interval "
        f"of +/- {fixed(subject.published_margin)} percent (the inspectorate's own figure, at 95%)"
    )


def audit_subject_sentence(subject, what: str, unit: str = "records") -> str:
    """One audited proportion. ``what`` completes 'had/were ...' (e.g. 'had reasonable grounds
    recorded'); ``unit`` is what was reviewed: 'records' of people by group (stop and search),
    or 'crimes' of a category (crime data integrity)."""
    if not subject.as_published:
        records = audit_records_words(subject)
        frm = f" from {records}" if records else ""
        if unit == "crimes":
            who = f"crimes ({subject.group})"
        else:
            who = "records" if subject.group == "all" else f"records of {subject.group} people"
        text = (
            f"The inspectorate reviewed {whole(subject.n)} {who}{frm}; {whole(subject.successes)} "
            f"of them ({pct(subject.estimate)}; "
            f"{ci_pct(subject.lower, subject.upper, subject.confidence)}) {what}."
        )
        if subject.published_percent is not None and subject.published_margin is not None:
            text += f" The inspectorate published {_theirs(subject)}."
        if subject.fpc_lower is not None:
            text += (
                f" Allowing for the sample being drawn from {whole(subject.sampled_from)} records"
                f", the interval is {ci_short(subject.fpc_lower, subject.fpc_upper, 1, 100)} "
                "percent."
            )
        return text
    subject_words = subject.group
    if subject.published_margin is None:
        return (
            f"The inspectorate published {fixed(subject.published_percent)} percent for "
            f"{subject_words}, with no sample size or margin, so no interval can be given."
        )
    implied = ""
    if subject.implied_n is not None:
        implied = (
            f" Its sample size was not published; the margin implies about "
            f"{whole(subject.implied_n)} (an inference, not a published figure"
            + (f": {subject.sample_note.lower()}" if subject.sample_note else "")
            + ")."
        )
    return f"For {subject_words}, the inspectorate estimated {_theirs(subject)}.{implied}"


def audit_change_sentence(change, noun: str = "records") -> str:
    """The change between two audits, judged only where they can be compared."""
    earlier = change.earlier
    years = audit_records_words(earlier)
    earlier_words = f"its review of {noun} from {years}" if years else "the previous audit"
    before = fixed(earlier.published_percent if earlier.published_percent is not None
                   else earlier.estimate * 100)  # fmt: skip
    if change.comparable == "no":
        note = change.comparability_note.strip()
        why = f' In the inspectorate\'s words: "{note}"' if note else ""
        return (
            f"No change from {earlier_words} ({before} percent) is given: the audits cannot "
            f"be compared.{why}"
        )
    if change.comparable != "yes":
        return (
            f"The audit table does not say whether this audit can be compared with "
            f"{earlier_words} ({before} percent), so no change is given."
        )
    if not change.tested:
        text = (
            f"{capitalise(earlier_words)} ({before} percent) published neither its sample size "
            "nor its margin, so whether the figure changed cannot be tested"
        )
        if change.significant_from is not None:
            text += (
                f"; the difference would be statistically significant if that audit had "
                f"sampled at least {whole(change.significant_from)} {noun}"
            )
        return text + "."
    diff = (
        f"difference {signed(change.estimate * 100)} percentage points, "
        f"{ci(change.lower, change.upper, change.confidence, '', 1, 100)}"
    )
    if change.significant:
        verdict = {
            "improvement": "a statistically significant improvement",
            "deterioration": "a statistically significant deterioration",
        }[change.verdict]
        text = (
            f"This is {verdict} compared with {earlier_words}, when the figure was {before} "
            f"percent ({diff})."
        )
    else:
        text = (
            f"This is not a statistically significant change compared with {earlier_words}, "
            f"when the figure was {before} percent ({diff})."
        )
    if change.earlier_n == "implied":
        text += (
            f" That audit's sample size was not published: the test uses the about "
            f"{whole(earlier.implied_n)} {noun} its margin implies"
        )
        if change.significant_from is not None and change.significant:
            text += (
                f", and the change is statistically significant for any earlier sample of "
                f"{whole(change.significant_from)} {noun} or more, so the verdict does not "
                "depend on it"
            )
        text += "."
    return text


def reasonable_grounds_findings(r) -> list[str]:
    out = [audit_subject_sentence(s, "had reasonable grounds recorded") for s in r.subjects
           if s.group != "all" or s is r.subjects[0]]  # fmt: skip
    out += [audit_change_sentence(c, "records") for c in r.changes]
    out += [caveat(c, r) for c in r.caveats]
    return out


def crime_data_integrity_findings(r) -> list[str]:
    out = []
    by_label = {c.later.label: c for c in r.changes}
    quoted: set[str] = set()
    for s in r.subjects:
        out.append(audit_subject_sentence(s, "were recorded", unit="crimes"))
        change = by_label.get(s.label)
        if change is None:
            continue
        note = change.comparability_note.strip()
        if change.comparable == "no" and note and note in quoted:
            before = fixed(change.earlier.published_percent if change.earlier.published_percent
                           is not None else change.earlier.estimate * 100)  # fmt: skip
            out.append(
                f"No change from the previous audit ({before} percent) is given, for the same "
                "reason: the audits cannot be compared."
            )
            continue
        quoted.add(note)
        out.append(audit_change_sentence(change, "crimes"))
    return out


def audit_methods(r) -> str:
    return (
        f"Methods: where the inspectorate published counts, the interval is ours: a Wilson "
        f"score interval at {conf(r.confidence)}. Where it published only a percent and a "
        '"+/-", the figure and its 95% interval are kept as published, and the sample size '
        "the margin implies (z squared times p(1 - p) over the margin squared) is an inference. "
        "A change between audits is tested (Newcombe hybrid score interval for the "
        "difference; two-sided pooled score test) only where the audit table says the audits "
        "can be compared."
    )


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


# ----------------------------------------------------------------------------- outcomes


def outcomes_heading(r) -> str:
    return (
        f"Crime outcomes: financial year {r.year} (Home Office open data; the latest year of "
        "outcomes data here, not the report's year)"
    )


def outcome_sentence(row, r) -> str | None:
    """One judgement per figure: the charge rate is judged on the funnel (elsewhere); other
    outcome types against the rest of England and Wales, allowing for chance only."""
    if row.judged_by != "rest" or not row.significant or row.rate is None:
        return None
    d = pct_digits(row.rate, row.rest_rate, row.lower, row.upper)
    mine, theirs = pct(row.rate, d), pct(row.rest_rate, d)
    side = "higher" if row.direction == "increase" else "lower"
    return (
        f"In {r.year}, {mine} of {possessive(r.force_name)} victim-based crimes were assigned "
        f"outcome {row.label} ({ci_pct(row.lower, row.upper, r.confidence, d)}): statistically "
        f"significantly {side} than the rest of England and Wales ({theirs}), a comparison that "
        "allows for chance alone, not for the usual differences between forces."
    )


def outcomes_findings(r) -> list[str]:
    if r.status == "no_data":
        return [f"The outcomes data ({r.year}) has no figures for {r.force_name}."]
    out = [s for s in (outcome_sentence(row, r) for row in r.rows) if s]
    quiet = [
        row.label.split(":")[0] for row in r.rows if row.judged_by == "rest" and not row.significant
    ]
    if quiet:
        kind = "outcome type" if len(quiet) == 1 else "outcome types"
        out.append(
            f"For {kind} {join_and(quiet)}, {possessive(r.force_name)} rate is not statistically "
            "significantly different from the rest of England and Wales."
        )
    if r.charge_funnel is not None:
        out.append(
            funnel_sentence(r.charge_funnel, r.force_name, f"territorial forces in {r.year}")
        )
    return out


def outcomes_methods(r) -> str:
    funnel = ""
    if r.charge_funnel is not None and r.charge_funnel.tau2 is not None:
        funnel = " " + funnel_method_words(r.charge_funnel)
    return (
        "Methods: rate = victim-based crimes assigned the outcome / all victim-based crimes "
        f"recorded in the year; Wilson score intervals ({conf(r.confidence)}). Each outcome "
        "type but the charge/summons rate is compared with the rest of England and Wales "
        "pooled (Newcombe hybrid score interval; pooled score test). The charge/summons rate is "
        f"judged on a funnel plot among the territorial forces.{funnel}"
    )


_SCALE_WORDS = {
    "log": "the log scale",
    "sqrt": "the arcsine square-root scale",
    "natural": "the natural scale",
}


def funnel_method_words(f) -> str:
    """How one funnel's limits were drawn: additive random effects (Spiegelhalter 2005) on the
    stated scale, tau^2 after winsorising 10% at each end, as FunnelPlotR does."""
    what = _FUNNEL_WHAT[f.measure][0]
    base = {
        "search_rate_per_1000": "each force's searches against its residents",
        "linked_find_rate": "each force's linked finds out of its searches",
        "black_white_ratio": (
            "each force's searches of Black people against the number expected at its own "
            "White rate (Black residents x White searches / White residents)"
        ),
        "charge_rate": "each force's charges/summonses out of its victim-based crimes",
    }[f.measure]
    if f.overdispersion == "additive":
        spread = (
            f"tau = {fixed(math.sqrt(f.tau2), 3)} on {_SCALE_WORDS.get(f.scale, f.scale)}"
            if f.tau2 and f.tau2 > 0
            else "tau = 0: no spread beyond chance"
        )
        how = (
            f"additive random-effects limits on {_SCALE_WORDS.get(f.scale, f.scale)} "
            "(Spiegelhalter 2005; between-force variance by DerSimonian-Laird after "
            f"winsorising 10% at each end, as FunnelPlotR does; {spread})"
        )
    else:
        how = f"limits widened multiplicatively (phi = {fixed(f.phi)})"
    return (
        f"Funnel plot of the {what}: {base}; {join_and(conf(v) for v in sorted(f.levels))} "
        "control limits around the pooled "
        f"value of the {f.units} forces, {how}."
    )


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


GLOSSARY = {
    "confidence interval": "",
    "statistically significant": (
        "A difference is statistically significant when its confidence interval excludes no "
        "difference, so chance alone is an unlikely explanation. It says nothing about whether "
        "the difference matters."
    ),
    "rate ratio": (
        "One group's rate of stop and search per 1,000 residents divided by White people's: "
        "2.0 means twice as likely, 1.0 equally likely."
    ),
    "linked find rate": (
        "The share of searches in which officers found what they were looking for: the outcome "
        "was linked to the object of the search and was not 'no further action'."
    ),
    "funnel plot": (
        "A chart placing each force's figure against its size, with control limits that narrow "
        "as forces get larger; a force outside the limits differs by more than the usual "
        "variation between forces."
    ),
    "special cause": (
        "On a process control chart, a point or run of points (beyond the limits, 7 on one "
        "side of the centre line, or 7 rising or falling) unlikely to arise from the usual "
        "month-to-month variation."
    ),
    "percentage points": (
        "The difference between two percentages: from 20% to 25% is 5 percentage points."
    ),
}


def glossary(text: str, confidence: float = 0.95) -> list[tuple[str, str]]:
    """The glossary entries for the terms that ``text`` uses (always the first five); the
    confidence interval's entry speaks of the run's level."""
    low = text.lower()
    level = conf(confidence)
    times = round(_finite(confidence) * 100, 2)
    meanings = dict(GLOSSARY)
    meanings["confidence interval"] = (
        "The range within which the true value is likely to lie, given the play of chance: a "
        f"{level} confidence interval would contain the true value in {times:g} of 100 "
        "repetitions."
    )
    always = ("confidence interval", "rate ratio", "linked find rate", "funnel plot",
              "special cause")  # fmt: skip
    return [(term, meaning) for term, meaning in meanings.items() if term in always or term in low]


# ----------------------------------------------------------------------------- index


def index_cells(r) -> dict[str, str]:
    """The index row of a force, from its saved stop-and-search result."""
    if r is None:
        return {}
    if r.status == "no_data":
        text = f"no stop-and-search data for {year_words(r.period)}"
        return {"searches": text, "change": "–", "ratio": "–", "linked": "–", "coverage": ""}
    total = r.figure("searches", ALL)
    cells = {"searches": whole(total.estimate)}
    cov = coverage_short(r.coverage)
    cells["coverage"] = (
        f"months missing: the data has no file for {months_words(r.coverage.missing)}; figures "
        f"cover {cov}"
        if cov
        else ""
    )
    if cov:
        cells["searches"] += f" ({len(r.coverage.present)} of 12 months)"
    change = r.figure("searches_change_vs_previous_year_percent", ALL)
    if change is not None and change.estimate is not None:
        scope = "" if change.coverage is None or change.coverage.complete else (
            f"; {len(change.coverage.present)} matched months")  # fmt: skip
        cells["change"] = (
            f"{signed(change.estimate)}% ({conf(change.confidence)} CI {signed(change.lower)} "
            f"to {signed(change.upper)}{scope})"
        )
    else:
        cells["change"] = "no earlier year in the data"
    black = r.figure("search_rate_ratio_vs_white", "Black")
    if black is not None and black.estimate is not None and black.has_interval:
        cells["ratio"] = (
            f"{fixed(black.estimate)} ({conf(black.confidence)} CI {fixed(black.lower)} to "
            f"{fixed(black.upper)})"
        )
    elif black is not None and black.flagged("ethnicity_not_recorded"):
        cells["ratio"] = "not shown: ethnicity mostly not recorded"
    elif black is not None and black.numerator == 0:
        cells["ratio"] = "no searches of Black people recorded"
    elif r.population_base == "none":
        cells["ratio"] = "not computable: no resident population"
    elif r.population_base == "unrepresentative":
        cells["ratio"] = "not shown: residents are not the people policed"
    else:
        cells["ratio"] = "–"
    find = r.figure("linked_find_rate", ALL)
    if find is not None and find.estimate is not None:
        bound = "at least " if find.flagged("linked_lower_bound") else ""
        cells["linked"] = (
            f"{bound}{pct(find.estimate, word=False)} ({conf(find.confidence)} CI "
            f"{ci_short(find.lower, find.upper, 1, 100, '%')})"
        )
    elif r.linked is not None and r.linked.status == "not_recorded":
        cells["linked"] = "not shown: linked field mostly blank"
    else:
        cells["linked"] = "–"
    return cells


def run_labels(results) -> str:
    """'95% confidence intervals; self-defined ethnicity' from the results of a run (the
    distinct options, when runs with different options share a folder)."""
    levels = sorted({conf(r.confidence) for r in results if r is not None})
    definitions = sorted({definition_words(r.definition) for r in results if r is not None})
    if not levels:
        return ""
    return f"{' and '.join(levels)} confidence intervals; {' and '.join(definitions)} ethnicity"


__all__ = [
    "GROUPS",
    "caveat",
    "summary",
    "glossary",
    "index_cells",
    "stop_search_findings",
    "reasonable_grounds_findings",
    "crime_data_integrity_findings",
    "outcomes_findings",
]


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

    def verdict(f) -> str:
        return "above" if f.lower > 1 else ("below" if f.upper < 1 else "unclear")

    ends = {verdict(low), verdict(high)}
    if ends == {verdict(main)} and verdict(main) != "unclear":
        change = "either way the conclusion stands"
    elif ends == {"unclear"} and verdict(main) == "unclear":
        change = "either way the data cannot show that the rates differ"
    else:
        change = "so the missing ethnicity could change the conclusion"
    return (
        f"{whole(unknown.estimate)} searches had no recorded ethnicity. Had they all been of "
        f"White people, {people(group)} would have been {fixed(low.estimate, 2)} times as likely "
        f"as White people to be searched ({ci(low.lower, low.upper, low.confidence, '', 2)}); "
        f"had they all been of {people(group)}, {fixed(high.estimate, 2)} times "
        f"({ci(high.lower, high.upper, high.confidence, '', 2)}): {change}. Shared out in "
        "proportion to the recorded groups, they leave the ratio as it is."
    )


# ----------------------------------------------------------------------------- search detail

S60_WORDS = (
    "section 60 of the Criminal Justice and Public Order Act 1994 (a search without "
    "reasonable suspicion, authorised for an area and time)"
)


def search_detail_heading(r) -> str:
    return f"What officers searched for, and who they searched: {year_words(r.period)}"


def _when(r) -> str:
    return coverage_phrase(r.coverage, r.period)


def _lower_case_object(label: str) -> str:
    return label[0].lower() + label[1:] if label and label[1:2].islower() else label


def object_sentence(r) -> str | None:
    shares = [f for f in r.measure("object_share") if f.estimate is not None]
    if not shares:
        return None
    top = shares[0]
    rest = [f for f in shares[1:3] if f.estimate and f.estimate >= 0.05]
    then = ""
    if rest:
        then = ", then " + join_and(
            [f"{_lower_case_object(f.group)} ({pct(f.estimate, 1)})" for f in rest]
        )
    return (
        f"{capitalise(_when(r))}, officers were most often looking for "
        f"{_lower_case_object(top.group)}: {pct(top.estimate, 1)} of {possessive(r.force_name)} "
        f"{whole(top.denominator)} searches ({ci_pct(top.lower, top.upper, top.confidence, 1)})"
        f"{then}. The table gives every object with its interval."
    )


def s60_sentence(r) -> str | None:
    share = r.figure("s60_share")
    if share is None or share.estimate is None:
        return None
    change = r.figure("s60_share_change_vs_previous_year")
    count = int(share.numerator or 0)
    if count == 0:
        text = f"None of the searches {_when(r)} was under {S60_WORDS}."
    else:
        d = pct_digits(share.estimate, share.lower, share.upper)
        when = _when(r)
        text = (
            f"{capitalise(when)}, {whole(count)} of the {whole(share.denominator)} "
            f"searches ({pct(share.estimate, d)}; "
            f"{ci_pct(share.lower, share.upper, share.confidence)}) "
            f"{'was' if count == 1 else 'were'} under {S60_WORDS}."
        )
    if change is not None and change.estimate is not None and change.has_interval:
        dp = _digits_for(change.estimate * 100, change.lower * 100, change.upper * 100)
        points = ci(change.lower * 100, change.upper * 100, change.confidence,
                    " percentage points", dp)  # fmt: skip
        scope = (
            " over the months with data in both years"
            if change.coverage is not None and not change.coverage.complete
            else ""
        )
        if change.significant:
            side = "rise" if change.direction == "increase" else "fall"
            text += (
                f" The share changed by {signed(change.estimate * 100, dp)} percentage points on "
                f"the year before{scope} ({points}): a statistically significant {side}."
            )
        elif count > 0 or (change.numerator or 0) > 0:
            text += (
                f" The change on the year before{scope} ({signed(change.estimate * 100, dp)} "
                f"percentage points; {points}) is not statistically significant."
            )
    return text


def object_find_sentence(r) -> str | None:
    rates = [
        f for f in r.measure("linked_find_rate_by_object")
        if f.estimate is not None and not f.flagged("small_numbers")
    ]  # fmt: skip
    if len(rates) < 2:
        return None
    high = max(rates, key=lambda f: f.estimate)
    low = min(rates, key=lambda f: f.estimate)
    bound = "at least " if high.flagged("linked_lower_bound") else ""
    d = pct_digits(high.estimate, low.estimate)
    when = _when(r)
    return (
        f"{capitalise(when)}, the linked find rate was highest in searches for "
        f"{_lower_case_object(high.group)} "
        f"({bound}{pct(high.estimate, d)}; {ci_pct(high.lower, high.upper, high.confidence)}) "
        f"and lowest in searches for {_lower_case_object(low.group)} ({bound}"
        f"{pct(low.estimate, d)}; {ci_pct(low.lower, low.upper, low.confidence)}), among the "
        "objects with enough searches to compare."
    )


def adjusted_sentence(a, r) -> str | None:
    """One group's linked find odds against White's, allowing for the object of search."""
    if a.estimate is None or a.lower is None or a.upper is None:
        return None
    interval = ci(a.lower, a.upper, r.confidence, "", 2)
    objects = f"{a.strata} object{'s' if a.strata != 1 else ''} of search"
    if a.significant:
        side = "more" if a.direction == "increase" else "less"
        text = (
            f"Allowing for what they were searched for, searches of {people(a.group)} were "
            f"statistically significantly {side} likely than searches of White people to end "
            f"in a linked find: odds ratio {fixed(a.estimate, 2)} ({interval}; pooled across "
            f"{objects})."
        )
    else:
        text = (
            f"Allowing for what they were searched for, the data cannot show that searches of "
            f"{people(a.group)} and of White people differ in how often they end in a linked "
            f"find: odds ratio {fixed(a.estimate, 2)} ({interval}; pooled across {objects})."
        )
    if a.homogeneity_p_value is not None and a.homogeneity_p_value < 1 - r.confidence:
        text += (
            " The gap is not the same for every object (test of homogeneity, p = "
            f"{p_value_words(a.homogeneity_p_value)}), so this single figure hides differences "
            "between objects."
        )
    return text


def p_value_words(p) -> str:
    x = _finite(p)
    return "less than 0.001" if x < 0.001 else f"{x:.3f}"


def strip_sentence(r) -> str | None:
    share = r.figure("strip_search_share", ALL)
    if share is None or share.estimate is None:
        return None
    everything = r.figure("s60_share")
    partly = everything is None or (share.denominator or 0) < (everything.denominator or 0)
    base = "searches that recorded whether it happened" if partly else "searches"
    d = pct_digits(share.estimate, share.lower, share.upper)
    when = _when(r)
    text = (
        f"{capitalise(when)}, {whole(share.numerator)} of the "
        f"{whole(share.denominator)} {base} involved the removal of more than outer clothing "
        f"({pct(share.estimate, d)}; {ci_pct(share.lower, share.upper, share.confidence)})."
    )
    sig = [
        f for f in r.measure("strip_search_share_difference_vs_white")
        if f.significant and f.estimate is not None
    ]  # fmt: skip
    for f in sig:
        rate = r.figure("strip_search_share", f.group)
        white = r.figure("strip_search_share", REFERENCE_GROUP)
        side = "higher" if f.direction == "increase" else "lower"
        text += (
            f" For {people(f.group)} the share was {pct(rate.estimate, d)}, statistically "
            f"significantly {side} than for White people ({pct(white.estimate, d)}; difference "
            f"{ci(f.lower * 100, f.upper * 100, f.confidence, ' percentage points')})."
        )
    if not sig and len(r.measure("strip_search_share_difference_vs_white")):
        text += " The data cannot show that the share differs between ethnic groups."
    return text


def age_gender_sentence(r) -> str | None:
    ages = [f for f in r.measure("searches_by_age") if f.estimate is not None
            and f.group != "Not recorded"]  # fmt: skip
    genders = {f.group: f for f in r.measure("searches_by_gender")}
    if not ages:
        return None
    top = max(ages, key=lambda f: f.estimate)
    young = next((f for f in ages if f.group == "10-17"), None)
    when = _when(r)
    text = (
        f"{capitalise(when)}, the largest share of searches was of people aged "
        f"{top.group}: {pct(top.estimate, 1)} "
        f"({ci_pct(top.lower, top.upper, top.confidence, 1)})"
    )
    if young is not None and young is not top:
        text += (
            f"; searches of children aged 10 to 17 were {pct(young.estimate, 1)} "
            f"({ci_pct(young.lower, young.upper, young.confidence, 1)})"
        )
    text += "."
    male = genders.get("Male")
    if male is not None and male.estimate is not None:
        text += (
            f" {capitalise(pct(male.estimate, 1))} of searches were of "
            f"males ({ci_pct(male.lower, male.upper, male.confidence, 1)})."
        )
    return text


AGE_SEX_NOT_STANDARDISED = (
    "Rates per 1,000 residents by age and sex are not given: the Census 2021 table used here "
    "counts residents by ethnic group only, so searches cannot be set against the population "
    "of each age and sex. The age and gender figures are shares of searches, not rates."
)


def search_detail_findings(r) -> list[tuple[str, list[str]]]:
    if r.status != "ok":
        return [("Searches", [caveat(c, r) for c in r.caveats if c.code == "no_data"])]
    groups = []
    what = [s for s in (object_sentence(r), s60_sentence(r)) if s]
    if what:
        groups.append(("What officers searched for", what))
    found = [object_find_sentence(r)] + [adjusted_sentence(a, r) for a in r.adjusted]
    found = [s for s in found if s]
    if r.linked_status == "not_recorded":
        found = ["The linked field was left blank too often to give linked find rates by object."]
    if found:
        groups.append(("What was found", found))
    strip = strip_sentence(r)
    if strip:
        groups.append(("Strip searches", [strip]))
    who = age_gender_sentence(r)
    if who:
        groups.append(("Age and gender", [who, AGE_SEX_NOT_STANDARDISED]))
    return groups


def search_detail_caveats(r) -> list[str]:
    out = []
    for c in r.caveats:
        if c.code == "months_missing":
            out.append(caveat(c, r))
        elif c.code == "ethnicity_not_recorded":
            out.append(
                f"{definition_words(r.definition).capitalize()} ethnicity was not recorded for "
                f"{share_words(c.params['share'])} of searches, so no comparison between ethnic "
                "groups is made here."
            )
        elif c.code == "strip_not_recorded":
            out.append(
                f"The field for the removal of more than outer clothing was blank for "
                f"{share_words(c.params['share'])} of {possessive(r.force_name)} searches, so "
                "strip-search figures are not given."
            )
        elif c.code == "strip_partly_recorded":
            out.append(
                f"The field for the removal of more than outer clothing was blank for "
                f"{share_words(c.params['share'])} of searches; strip-search shares are of the "
                "searches that recorded it."
            )
    return out


def search_detail_methods(r) -> str:
    return (
        f"Methods: shares of searches with Wilson score intervals ({conf(r.confidence)}); the "
        "change in the s60 share on the year before as a difference in proportions (Newcombe "
        "hybrid score interval, score test). The outcome test allowing for the object of "
        "search pools each group's odds of a linked find against White people's over the "
        "objects of search (Mantel-Haenszel odds ratio with the Robins-Breslow-Greenland "
        "interval and the Mantel-Haenszel test; Breslow-Day test, with Tarone's adjustment, of "
        "whether the odds ratio is the same for every object; statsmodels). Strip searches are "
        "police.uk's 'removal of more than just outer clothing', as a share of the searches "
        f"recording that field; ethnicity is {definition_words(r.definition)}."
    )


# ----------------------------------------------------------------------------- quarters


def quarters_heading(q) -> str:
    return f"Quarter by quarter: {q.quarters[0]} to {q.quarters[-1]}"


def quarters_sentences(q) -> list[str]:
    if q.status != "ok":
        return [f"The data has no stop-and-search records for {q.force_name}."]
    out = []
    empty = [f.group for f in q.measure("searches_in_quarter") if f.estimate is None]
    part = [f.group for f in q.measure("searches_in_quarter")
            if f.estimate is not None and f.flagged("part_quarter")]  # fmt: skip
    if empty:
        out.append(
            f"The data has no file for any month of {join_and(empty)}, so no figures are given "
            f"for {'that quarter' if len(empty) == 1 else 'those quarters'}."
        )
    if part:
        out.append(
            f"{join_and(part)} {'is' if len(part) == 1 else 'are'} missing a month of data: "
            "their counts are for the months the data has and are not comparable with full "
            "quarters."
        )
    t = q.trend
    if t is None:
        complete = sum(1 for f in q.measure("searches_in_quarter")
                       if f.estimate is not None and not f.flagged("part_quarter"))  # fmt: skip
        out.append(
            f"With {complete} complete quarters, too few to test, no trend in quarterly "
            "searches is given."
        )
    elif t.percent_per_quarter is not None and t.lower is not None:
        interval = ci(t.lower, t.upper, t.confidence, " percent")
        if t.significant:
            side = "increase" if t.direction == "increase" else "decrease"
            out.append(
                f"Over the {t.quarters_used} complete quarters, searches changed by "
                f"{signed(t.percent_per_quarter)} percent a quarter ({interval}): a "
                f"statistically significant {side}."
            )
        else:
            out.append(
                f"Over the {t.quarters_used} complete quarters, the data cannot show a trend in "
                f"quarterly searches ({signed(t.percent_per_quarter)} percent a quarter; "
                f"{interval})."
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
        "the Mann-Kendall test beside it "
        + (
            f"(p = {p_value_words(q.trend.kendall_p_value)})."
            if q.trend is not None and q.trend.kendall_p_value is not None
            else "."
        )
    )


# ----------------------------------------------------------------------------- chart text


def interval_chart_alt(what: str, r) -> str:
    """Text alternative of an interval chart whose numbers are in the table above it."""
    return (
        f"Chart: {what}, each point with its {conf(r.confidence)} confidence interval as a "
        "line. The numbers are in the table above."
    )


def spc_chart_alt(spc) -> str:
    """Text alternative of the XmR chart: what it shows and how many special causes."""
    present = spc.dropna(subset=["value"])
    special = int(present["special_cause"].sum())
    missing = len(spc) - len(present)
    gaps = f"; {missing} month{'s' if missing != 1 else ''} without data left as gaps" if missing \
        else ""  # fmt: skip
    return (
        f"Process control chart (XmR) of stop and searches in each of {len(spc)} months, with "
        f"the centre line and control limits{gaps}. {special} month"
        f"{'s are' if special != 1 else ' is'} marked as a special cause (a diamond, in red). "
        "The data behind the chart follows it."
    )


def funnel_chart_alt(funnel, force_name: str, title: str) -> str:
    """Text alternative of a funnel plot: what it plots and where the force sits."""
    where = funnel_sentence(funnel, force_name, "forces") or ""
    return (
        f"Funnel plot: {title}. Each force's value is plotted against its size, with "
        f"{join_and(conf(v) for v in sorted(funnel.levels))} control limits around the value "
        f"of all {funnel.units} forces together; "
        f"{force_name} is marked in red. {where} The data behind the chart follows it."
    )
