"""The words of the use of force section (Home Office police use of force statistics): heading,
introduction, caveats, tables, findings, the inspectorate's figures beside this report's, the
methods note and the source line; and two self-contained lists for the report's summary and the
Panel paper (:func:`summary_sentences`, :func:`panel_questions`).

Units are kept apart: "incidents" for incidents, "tactics used" for the counts of Table 16 (an
incident can involve several tactics), never "people" for either. Every number comes with its
interval and confidence level, an interval never shows equal ends, and a rate says that it is
per 1,000 Census 2021 usual residents (the Home Office divides by mid-year estimates).
"""

from __future__ import annotations

import math

from peelstats.report.wording.cells import DASH
from peelstats.report.wording.common import join_and, possessive, unrecorded_bounds_words
from peelstats.report.wording.funnels import FUNNELS_HEADING, funnel_method_words, funnel_sentence
from peelstats.report.wording.numbers import (
    WordingError,
    conf,
    fixed,
    interval_digits,
    signed,
    whole,
)
from peelstats.vocabulary import (
    ALL,
    COMPARED_GROUPS,
    REFERENCE_GROUP,
    UNKNOWN,
    Caveats,
    month_name,
)

# ----------------------------------------------------------------------------- numbers


def ci_digits(lower, upper, base: int = 1, null: float | None = None) -> int:
    """Decimals (from ``base``) at which an interval tells the truth
    (:func:`~peelstats.report.wording.numbers.interval_digits`), its verdict read from its ends."""
    significant = None if null is None else bool(lower > null or upper < null)
    return interval_digits(lower, upper, base, null=null, significant=significant)


def ci_words(lower, upper, confidence, unit: str = "", base: int = 1, null=None) -> str:
    """'95% confidence interval 12.42 to 12.98' with ends that differ and agree with the
    verdict."""
    d = ci_digits(lower, upper, base, null)
    return f"{conf(confidence)} confidence interval {fixed(lower, d)} to {fixed(upper, d)}{unit}"


def count_ci(fig) -> str:
    """'95% confidence interval 7,826 to 8,177' (whole counts; decimals only if needed)."""
    d = ci_digits(fig.lower, fig.upper, 0)
    return (
        f"{conf(fig.confidence)} confidence interval {fixed(fig.lower, d)} to {fixed(fig.upper, d)}"
    )


def ci_range(lower, upper, base: int = 1, null=None, scale: float = 1.0, unit: str = "") -> str:
    """'12.42 to 12.98' for tables (an en dash when there is no interval)."""
    if lower is None or upper is None:
        return DASH
    lo, hi = lower * scale, upper * scale
    d = ci_digits(lo, hi, base, None if null is None else null * scale)
    return f"{fixed(lo, d)} to {fixed(hi, d)}{unit}"


def value_digits(fig, base: int = 1, null=None, scale: float = 1.0) -> int:
    return ci_digits(fig.lower * scale, fig.upper * scale, base, null)


def _change_words(fig) -> tuple[str, str]:
    """('16.8 percent more', 'confidence interval words') for a percentage change."""
    d = ci_digits(fig.lower, fig.upper, 1, 0.0)
    lo, hi = fig.lower, fig.upper
    amount = f"{fixed(abs(fig.estimate), d)} percent {'more' if fig.estimate >= 0 else 'fewer'}"
    if lo >= 0:
        inner = f"{fixed(lo, d)} to {fixed(hi, d)} percent more"
    elif hi <= 0:
        inner = f"{fixed(-hi, d)} to {fixed(-lo, d)} percent fewer"
    else:
        inner = f"{fixed(-lo, d)} percent fewer to {fixed(hi, d)} percent more"
    return amount, f"{conf(fig.confidence)} confidence interval {inner}"


def _pct(value, digits: int) -> str:
    return f"{fixed(value * 100, digits)} percent"


def _year_words(year: str) -> str:
    """'2019/20' -> '2019/20 (April 2019 to March 2020)'."""
    start = int(year[:4])
    return f"{year} (April {start} to March {start + 1})"


def _rate_basis() -> str:
    return (
        "per 1,000 Census 2021 usual residents of the force area; the Home Office divides by "
        "mid-year population estimates"
    )


# ----------------------------------------------------------------------------- groups

_RESIDENTS = {
    "Asian": "Asian residents",
    "Black": "Black residents",
    "Mixed": "residents of Mixed ethnicity",
    "White": "White residents",
    "Other": "residents of Other ethnicity",
}
GROUP_LABEL = {UNKNOWN: "Not stated", ALL: "All"}


def _residents(group: str) -> str:
    return _RESIDENTS.get(group, f"residents in the group {group}")


# ----------------------------------------------------------------------------- heading, intro


def use_of_force_heading(r) -> str:
    if not r.year:
        return "Use of force"
    latest = "here" if r.year == r.latest_year else "by the report's period"
    return (
        f"Use of force: financial year {r.year} (Home Office use of force statistics; the "
        f"latest year of that data {latest}, not the report's year)"
    )


def _report_end_words(r) -> str:
    end = r.report_end
    return f"{month_name(end)}"


def use_of_force_intro(r) -> str:
    """What the section covers: the year, the year before, why it is older than the report's
    year, the population base and the confidence level."""
    parts = [
        f"{r.force_name}, financial year {_year_words(r.year)}, compared with {r.previous_year}. "
    ]
    if r.year == r.latest_year:
        parts.append(
            f"{r.year} is the latest year of the Home Office's police use of force statistics "
            "in the data"
        )
    else:
        parts.append(
            f"{r.year} is the latest year of the Home Office's police use of force statistics "
            f"that ends by {_report_end_words(r)}, the end of this report's period (the data "
            f"goes on to {r.latest_year})"
        )
    if f"{int(r.year[:4]) + 1}-03" < r.report_end:
        parts.append(
            f", older than this report's stop-and-search year, which ends in "
            f"{_report_end_words(r)}. "
        )
    else:
        parts.append(". ")
    if r.population_base == "residents":
        parts.append(f"Rates are {_rate_basis()}. ")
    parts.append(f"Intervals are {conf(r.confidence)} confidence intervals.")
    return "".join(parts)


# ----------------------------------------------------------------------------- caveats


def use_of_force_caveat(c, r) -> str:
    """The sentence of a use of force caveat code."""
    p, name, code = c.params, r.force_name, c.code
    if code == Caveats.NO_USE_OF_FORCE_TABLES:
        return (
            "The data has no Home Office use of force tables (prepare it with --use-of-force), "
            "so no use of force figures can be given."
        )
    if code == Caveats.USE_OF_FORCE_NO_YEAR:
        return (
            "The use of force tables in the data begin with "
            f"{p.get('first') or 'a later year'}, which ends after this report's period, so "
            "no use of force figures are given for it."
        )
    if code == Caveats.USE_OF_FORCE_NOT_PUBLISHED:
        return (
            f"The Home Office use of force tables give no incidents for {name} in {p['year']}, "
            "so no use of force figures can be given for it."
        )
    if code == Caveats.USE_OF_FORCE_OLDER_YEAR:
        latest = "" if p["year"] == p.get("latest") else " that ends by this report's period"
        return (
            f"The use of force figures are for {_year_words(p['year'])}, the latest year in "
            f"the data{latest}; they are older than this report's stop-and-search year, so the "
            "two cannot be read as the same year."
        )
    if code == Caveats.RECORDING_CHANGE:
        rec = r.recording
        return (
            f"{name}'s incidents went from {whole(rec.previous_incidents)} in "
            f"{rec.previous_year} to {whole(rec.incidents)} in {rec.year}, "
            f"{_factor_words(rec.ratio)}: a jump that size in one year is more likely a change "
            "in how use of force was recorded than in how often force was used, so it is not "
            "read as a real change."
        )
    if code == Caveats.TACTICS_NOT_PEOPLE:
        return (
            "The Home Office's table by force and ethnicity counts tactics used, not incidents "
            f"or people: {name}'s officers recorded {fixed(p['per_incident'], 2)} tactics per "
            "incident on average, so one incident can count several times. Its intervals are "
            "widened for that (see the methods note)."
        )
    if code == Caveats.TACTICS_NOT_PUBLISHED:
        return (
            f"The {p['year']} tables give no tactics by ethnic group for {name}, so no "
            "comparison between ethnic groups can be made."
        )
    if code == Caveats.OFFICER_PERCEIVED_VS_CENSUS:
        return (
            "Ethnicity in the use of force tables is the officer's perception; Census 2021 "
            "residents describe themselves. The two can differ, so rates and ratios by group are "
            "approximate."
        )
    if code == Caveats.CED_SUMMARY_ONLY:
        return (
            f"{name} sent the Home Office summary Taser (CED) figures for {p['year']}, not "
            "incident by incident: its uses and discharges are counted, but not broken down by "
            "ethnicity."
        )
    if code == Caveats.CED_LEVEL_NOT_STATED:
        return (
            f"{whole(p['not_stated'])} of {possessive(name)} {whole(p['uses'])} Taser (CED) uses "
            "had no level of use recorded: they count among the uses but not among the "
            "discharges."
        )
    if code == Caveats.NO_RESIDENT_POPULATION:
        return (
            f"{name} has no resident population, so no rates per 1,000 residents, no ratios "
            "between ethnic groups and no funnel plot can be given; counts are given."
        )
    if code == Caveats.RESIDENTS_UNREPRESENTATIVE:
        return (
            f"{name} has {whole(p['residents'])} residents (Census 2021) but recorded "
            f"{whole(p['incidents'])} use of force incidents in the year: the people it "
            "polices are mostly not its residents, so rates per resident and ratios between "
            "ethnic groups would mislead and are not shown."
        )
    raise WordingError(f"no wording for use of force caveat {code!r}")


def _factor_words(ratio: float) -> str:
    if ratio >= 1:
        return f"{fixed(ratio, 1)} times as many"
    return f"{fixed(1 / ratio, 1)} times fewer"


def use_of_force_caveats(r) -> list[str]:
    return [use_of_force_caveat(c, r) for c in r.caveats]


# ----------------------------------------------------------------------------- findings


def incidents_sentence(r) -> str | None:
    """The year's incidents and rate per 1,000 residents, each with its interval."""
    n = r.figure("use_of_force_incidents", ALL, r.year)
    if n is None:
        return None
    text = (
        f"In {_year_words(r.year)}, {r.force_name} recorded {whole(n.estimate)} use of force "
        f"incidents ({count_ci(n)})"
    )
    rate = r.figure("use_of_force_rate", ALL, r.year)
    if rate is not None and rate.estimate is not None:
        d = value_digits(rate, 2)
        text += (
            f", {fixed(rate.estimate, d)} incidents per 1,000 residents "
            f"({ci_words(rate.lower, rate.upper, rate.confidence, '', 2)}; Census 2021 usual "
            "residents of the force area, where the Home Office uses mid-year population "
            "estimates)"
        )
    return text + "."


def change_sentence(r) -> str | None:
    """The change in incidents on the year before: its interval and verdict, or, for a jump of
    a factor of two or more, that it is more likely a change in recording."""
    fig = r.figure("use_of_force_change", ALL)
    before = r.figure("use_of_force_incidents", ALL, r.previous_year)
    if fig is None or fig.estimate is None or before is None:
        if r.status == "ok" and before is None:
            return (
                f"The tables give no incidents for {r.force_name} in {r.previous_year}, so no "
                "change on the year before can be given."
            )
        return None
    amount, interval = _change_words(fig)
    compared = (
        f"Incidents in {r.year} were {amount} than in {r.previous_year} "
        f"({whole(before.estimate)} incidents; {interval})"
    )
    if fig.flagged("recording_change"):
        rec = r.recording
        return (
            f"{compared}: {_factor_words(rec.ratio)} in one year, a jump more likely due to a "
            "change in how use of force was recorded than in how often force was used, so it "
            "is not read as a statistically significant change in use."
        )
    if fig.significant:
        verdict = "a statistically significant " + (
            "increase" if fig.direction == "increase" else "reduction"
        )
    else:
        verdict = "not a statistically significant change"
    return f"{compared}: {verdict}."


def ced_sentence(r) -> str | None:
    """Taser (CED) uses and discharges, and the share of uses that were discharges."""
    uses = r.figure("ced_uses", ALL, r.year)
    dis = r.figure("ced_discharges", ALL, r.year)
    if uses is None or dis is None:
        return None
    text = (
        f"In {r.year}, {possessive(r.force_name)} officers used Taser (CED) {whole(uses.estimate)} "
        f"times ({count_ci(uses)}; each incident counted once, at its highest level of "
        f"use), {whole(dis.estimate)} of them discharges ({count_ci(dis)})"
    )
    share = r.figure("ced_discharge_share", ALL, r.year)
    if share is not None and share.estimate is not None:
        d = value_digits(share, 1, scale=100)
        text += (
            f": {_pct(share.estimate, d)} of uses were discharges "
            f"({ci_words(share.lower * 100, share.upper * 100, share.confidence, ' percent')})"
        )
    return text + "."


def ced_change_sentences(r) -> list[str]:
    """The change in Taser uses and in the share discharged on the year before."""
    out = []
    change = r.figure("ced_uses_change", ALL)
    before = r.figure("ced_uses", ALL, r.previous_year)
    if change is not None and change.estimate is not None and before is not None:
        amount, interval = _change_words(change)
        verdict = (
            "a statistically significant "
            + ("increase" if change.direction == "increase" else "reduction")
            if change.significant
            else "not a statistically significant change"
        )
        out.append(
            f"Taser uses in {r.year} were {amount} than in {r.previous_year} "
            f"({whole(before.estimate)} uses; {interval}): {verdict}."
        )
    diff = r.figure("ced_discharge_share_change", ALL)
    earlier = r.figure("ced_discharge_share", ALL, r.previous_year)
    latest = r.figure("ced_discharge_share", ALL)
    if (
        diff is not None
        and diff.estimate is not None
        and earlier is not None
        and latest is not None
    ):
        d = ci_digits(diff.lower * 100, diff.upper * 100, 1, 0.0)
        verdict = (
            "a statistically significant " + ("rise" if diff.direction == "increase" else "fall")
            if diff.significant
            else "not a statistically significant change"
        )
        out.append(
            f"The share of Taser uses that were discharges went from {_pct(earlier.estimate, d)} "
            f"in {r.previous_year} to {_pct(latest.estimate, d)} in {r.year}, a change of "
            f"{signed(diff.estimate * 100, d)} percentage points ({conf(diff.confidence)} "
            f"confidence interval {signed(diff.lower * 100, d)} to {signed(diff.upper * 100, d)}): "
            f"{verdict}."
        )
    return out


def summary_only_sentence(r) -> str | None:
    """Which forces sent summary Taser figures only in the year, named where the tables say."""
    named = [_force_name(f) for f in r.summary_only_forces]
    count = r.summary_only_count
    if not named and not count:
        return None
    if named:
        many = len(named)
        text = (
            f"In {r.year}, {_number_word(many)} {'force' if many == 1 else 'forces'} sent the "
            f"Home Office summary Taser figures only, not incident by incident: "
            f"{join_and(named)}"
        )
        if count is not None and count != many:
            text += f" (the edition's notes say {count})"
        text += "; their uses and discharges are counted but not broken down by ethnicity."
        if r.force in r.summary_only_forces:
            text += f" {r.force_name} is one of them."
        return text
    return (
        f"In {r.year}, {count} forces sent the Home Office summary Taser figures only; the "
        "tables do not name them."
    )


def _number_word(n: int) -> str:
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
    return words[n] if 0 <= n < len(words) else whole(n)


def _force_name(force: str) -> str:
    from peelstats.data.forces import get_force

    return get_force(force).name


def tactics_ratio_sentence(r, group: str) -> str | None:
    """One group's rate of tactics used per 1,000 residents against White residents'."""
    fig = r.figure("use_of_force_tactics_ratio_vs_white", group)
    rate = r.figure("use_of_force_tactics_rate", group)
    white = r.figure("use_of_force_tactics_rate", REFERENCE_GROUP)
    if fig is None or rate is None or white is None:
        return None
    if fig.numerator == 0:
        return (
            f"The tables record no tactics used in {r.year} with the subject perceived as "
            f"{group}, so no ratio can be given for {_residents(group)}."
        )
    if fig.estimate is None or not fig.has_interval:
        return None
    d = ci_digits(rate.estimate, white.estimate, 1)
    interval = ci_words(fig.lower, fig.upper, fig.confidence, "", 2, 1.0)
    head = (
        f"In {r.year}, {possessive(r.force_name)} officers used {fixed(rate.estimate, d)} "
        f"tactics per 1,000 {_residents(group)} and {fixed(white.estimate, d)} per 1,000 White "
        f"residents: {fixed(fig.estimate, 2)} times the White rate ({interval}, widened "
        "because an incident can involve several tactics)"
    )
    if fig.significant and fig.direction == "increase":
        return head + ": a statistically significant difference."
    if fig.significant:
        return head + ": statistically significantly lower."
    return head + ": the data cannot show that the two rates differ."


def tactics_bounds_sentence(r, group: str = "Black") -> str | None:
    """How far the tactics whose ethnicity was not stated could move one group's ratio."""
    main = r.figure("use_of_force_tactics_ratio_vs_white", group)
    low = r.figure("use_of_force_tactics_ratio_vs_white_min", group)
    high = r.figure("use_of_force_tactics_ratio_vs_white_max", group)
    unknown = r.figure("use_of_force_tactics", UNKNOWN)
    figs = (main, low, high, unknown)
    if any(f is None for f in figs) or not all(f.has_interval for f in (main, low, high)):
        return None

    change = unrecorded_bounds_words(main, low, high)
    return (
        f"{whole(unknown.estimate)} tactics used had no perceived ethnicity stated. Had they all "
        f"been in the White group, the rate for {_residents(group)} would have been "
        f"{fixed(low.estimate, 2)} times the White rate "
        f"({ci_words(low.lower, low.upper, low.confidence, '', 2, 1.0)}); had they all been in "
        f"the {group} group, {fixed(high.estimate, 2)} times "
        f"({ci_words(high.lower, high.upper, high.confidence, '', 2, 1.0)}): {change}."
    )


def national_sentence(r) -> str | None:
    """England and Wales incidents, and the Black/White ratio on an incidents basis."""
    total = r.figure("use_of_force_incidents_england_and_wales", ALL)
    if total is None:
        return None
    text = (
        f"Across England and Wales in {r.year}, forces recorded {whole(total.estimate)} use of "
        f"force incidents ({count_ci(total)})"
    )
    black = r.figure("use_of_force_incidents_ratio_vs_white_england_and_wales", "Black")
    if black is not None and black.has_interval:
        text += (
            ". Counted as incidents rather than tactics, the rate of incidents per 1,000 Black "
            f"residents was {fixed(black.estimate, 2)} times the rate per 1,000 White residents "
            f"({ci_words(black.lower, black.upper, black.confidence, '', 2, 1.0)}; Census 2021 "
            "residents of the 43 territorial forces); the tables give incidents by ethnicity "
            "for England and Wales only, not for single forces"
        )
    return text + "."


def funnel_words(r) -> str | None:
    if r.funnel is None:
        return None
    return funnel_sentence(r.funnel, r.force_name, f"territorial forces in {r.year}")


# ----------------------------------------------------------------------------- the inspectorate


def beside_heading(p) -> str:
    return f"The inspectorate's use of force figures ({p.year}) beside this report's ({p.our_year})"


def beside_sentences(r) -> list[str]:
    """The inspectorate's figures as published, what their numbers imply (population, year
    before, year), and why they cannot be compared with this report's directly."""
    p = r.published
    if p is None:
        return []
    incidents = p.get("use_of_force_incidents")
    rate = p.get("use_of_force_rate")
    change = p.get("use_of_force_change")
    first = incidents or rate or change
    claims = []
    if incidents is not None:
        claims.append(f"{whole(incidents.value)} use of force incidents")
    if rate is not None:
        claims.append(f"{fixed(rate.value)} incidents per 1,000 population")
    if change is not None:
        word = "an increase" if change.value >= 0 else "a fall"
        claims.append(f"{word} of {fixed(abs(change.value))} percent on the year before")
    when = _published_when(first, p.year)
    out = [
        f"The inspectorate published {join_and(claims)} for {r.force_name} in {when}; they are "
        f"shown as published, without intervals (source: {first.source})."
    ]
    if incidents is not None and rate is not None and p.implied_population is not None:
        text = (
            f"{whole(incidents.value)} ÷ {fixed(rate.value)} × 1,000 implies a population of "
            f"about {_about(p.implied_population)}"
        )
        if p.implied_population_high is not None:
            text += (
                f" ({_about(p.implied_population_low)} to {_about(p.implied_population_high)} "
                "given the rounding)"
            )
        if p.residents_consistent:
            text += (
                f", which {possessive(r.force_name)} Census 2021 usual residents "
                f"({whole(p.residents)}) fit: a Census-like population."
            )
        elif p.residents is not None:
            text += (
                f", not {possessive(r.force_name)} Census 2021 usual residents "
                f"({whole(p.residents)}): their rate is per another population."
            )
        else:
            text += "."
        out.append(text)
    if incidents is not None and change is not None and p.implied_previous is not None:
        ours = dict(p.our_years)
        text = (
            f"{whole(incidents.value)} ÷ {fixed(1 + change.value / 100, 3)} implies about "
            f"{_about(p.implied_previous, 10)} incidents the year before "
            f"({whole(p.implied_previous_low)} to {whole(p.implied_previous_high)} given the "
            "rounding)"
        )
        if p.matches_previous is not None:
            text += (
                f", the {whole(ours[p.matches_previous])} of {p.matches_previous} in this "
                f"report's data, so theirs is the year after."
            )
        elif p.our_year in ours:
            text += (
                f", not the {whole(ours[p.our_year])} published for {p.our_year}, so theirs is "
                f"not {_next_year(p.our_year)}"
            )
            later = p.matches_year is None and _year_start(p.year) > _year_start(p.our_year) + 1
            text += f": it is {p.year} or later, as published." if later else "."
        else:
            text += "."
        out.append(text)
    if p.same_year:
        out.append(
            f"Their figures and this report's are for the same year, {p.year}; the differences "
            "are of source and population."
        )
    else:
        out.append(
            f"This report's latest use of force year is {p.our_year}, so the two cannot be "
            f"compared directly: theirs is {p.year}."
        )
    return out


def _year_start(year: str) -> int:
    return int(year[:4]) if year[:4].isdigit() else 0


def _next_year(year: str) -> str:
    start = int(year[:4]) + 1
    return f"{start}/{(start + 1) % 100:02d}"


def _about(value: float, unit: int = 100) -> str:
    return whole(round(value / unit) * unit)


def _published_when(pub, year: str) -> str:
    if pub.period_to.endswith("-03") and pub.period_from.endswith("-04"):
        end = int(pub.period_to[:4])
        return f"the year ending 31 March {end} ({year})"
    return year


# ----------------------------------------------------------------------------- findings list


def use_of_force_findings(r) -> list[tuple[str, list[str]]]:
    """Key findings, grouped under sub-headings (the caveats last)."""
    if r.status != "ok":
        return [("Use of force", use_of_force_caveats(r))]
    groups: list[tuple[str, list[str]]] = []
    incidents = [s for s in (incidents_sentence(r), change_sentence(r)) if s]
    groups.append(("Incidents", incidents))
    funnel = funnel_words(r)
    if funnel:
        groups.append((FUNNELS_HEADING, [funnel]))
    ced = [s for s in (ced_sentence(r), *ced_change_sentences(r), summary_only_sentence(r)) if s]
    if ced:
        groups.append(("Taser (CED)", ced))
    ratios = [s for s in (tactics_ratio_sentence(r, g) for g in COMPARED_GROUPS) if s]
    bounds = tactics_bounds_sentence(r, "Black")
    if bounds and ratios:
        ratios.append(bounds)
    national = national_sentence(r)
    if national:
        ratios.append(national)
    if ratios:
        groups.append(("Disproportionality: tactics used", ratios))
    beside = beside_sentences(r)
    if beside:
        groups.append(("Beside the inspectorate", beside))
    notes = use_of_force_caveats(r)
    if notes:
        groups.append(("What the figures cannot show", notes))
    return groups


FINDINGS_HEADING = "Key findings: use of force"


# ----------------------------------------------------------------------------- methods, source


def use_of_force_methods(r) -> str:
    c = conf(r.confidence)
    parts = [
        f"Methods ({c} confidence intervals throughout). Incidents and Taser (CED) uses and "
        "discharges: exact Poisson (Garwood) intervals, for natural variation (the tables are "
        "complete counts, not a sample; incidents can also come in clusters, several officers "
        "reporting one encounter, which the tables cannot show).",
        "Rates: incidents per 1,000 Census 2021 usual residents of the police force area, "
        "exact Poisson intervals; the Home Office divides by ONS mid-year population estimates, "
        "so its rates differ slightly.",
        "Change on the year before: exact conditional Poisson rate ratio (binomial), minus 1. A "
        "change by a factor of 2 or more either way (incidents doubled, or halved) is flagged as "
        "more likely a change in recording than in use, and given no verdict.",
        "Share of Taser uses that were discharges (fired, drive-stun or angled drive-stun): "
        "Wilson score interval; its change on the year before: Newcombe hybrid score interval.",
    ]
    if r.design_effect is not None and r.figure("use_of_force_tactics_ratio_vs_white", "Black"):
        widen = math.sqrt(r.design_effect)
        tactics = r.figure("use_of_force_tactics", ALL)
        incidents = r.figure("use_of_force_incidents", ALL, r.year)
        parts.append(
            "Tactics by ethnic group (Table 16) count tactics, several per incident, so a "
            "Poisson interval is too narrow. Each interval is widened by a design effect: the "
            "variance of a count of tactics over its mean, E[m^2]/E[m] for m tactics per "
            "incident, at the least it can be when every incident has a whole number of tactics "
            f"averaging the force's own tactics per incident ({r.force_name}, {r.year}: "
            f"{whole(tactics.estimate)} tactics in {whole(incidents.estimate)} incidents, "
            f"{fixed(r.tactics_per_incident, 2)} per incident, design effect "
            f"{fixed(r.design_effect, 2)}, so intervals {fixed(widen, 2)} times as wide on the "
            "log scale). Rates: exact Poisson intervals on the effective count (tactics ÷ design "
            "effect); ratios against White: log-scale (Katz) intervals and Wald tests with the "
            "variance multiplied by the design effect. This is the least the tactics alone "
            "require: incidents with more tactics than the average, and people in several "
            "incidents, would widen it further. Bounds: the tactics with no perceived ethnicity "
            "stated all allocated to White, or all to the group. Officer-perceived ethnicity "
            "against Census 2021 residents by self-defined ethnicity."
        )
    if r.figure("use_of_force_incidents_ratio_vs_white_england_and_wales", "Black"):
        parts.append(
            "England and Wales (Table 4, incidents by perceived ethnicity): rate ratio against "
            "White per 1,000 Census 2021 residents of the 43 territorial forces, exact "
            "conditional (binomial) interval, for chance alone."
        )
    if r.funnel is not None and r.funnel.tau2 is not None:
        parts.append(funnel_method_words(r.funnel))
    if r.published is not None:
        parts.append(
            "The inspectorate's figures are shown as published; the population and the year "
            "before they imply are worked back from their own numbers, with the range their "
            "rounding allows."
        )
    return " ".join(parts)


def use_of_force_source(r) -> str:
    years = [y for y in (r.previous_year, r.year) if y]
    return (
        "Home Office, Police use of force statistics, England and Wales: data tables "
        f"({' and '.join(years)}); ONS Census 2021 (TS021)"
    )


# ----------------------------------------------------------------------------- summary, paper


def summary_sentences(r) -> list[str]:
    """At most two headline sentences for the report's summary, each naming its financial year
    (older than the stop-and-search year: said so) and giving its interval."""
    if r is None or r.status != "ok":
        return []
    out = []
    n = r.figure("use_of_force_incidents", ALL, r.year)
    rate = r.figure("use_of_force_rate", ALL, r.year)
    older = f"{int(r.year[:4]) + 1}-03" < r.report_end
    latest = "" if r.year == r.latest_year else " by this report's period"
    when = (
        f"In {r.year}, the latest year of the Home Office's use of force statistics{latest} "
        "(older than this report's stop-and-search year)"
        if older
        else f"In {r.year}"
    )
    first = f"{when}, {r.force_name} recorded {whole(n.estimate)} use of force incidents"
    if rate is not None and rate.estimate is not None:
        d = value_digits(rate, 2)
        first += (
            f", {fixed(rate.estimate, d)} per 1,000 residents "
            f"({ci_words(rate.lower, rate.upper, rate.confidence, '', 2)}; Census 2021 "
            "residents)"
        )
    else:
        first += f" ({count_ci(n)})"
    change = r.figure("use_of_force_change", ALL)
    if change is not None and change.estimate is not None:
        amount, interval = _change_words(change)
        if change.flagged("recording_change"):
            first += (
                f", {amount} than in {r.previous_year} ({interval}), a jump more likely due to a "
                "change in recording than in use"
            )
        elif change.significant:
            kind = "increase" if change.direction == "increase" else "reduction"
            first += (
                f", {amount} than in {r.previous_year} ({interval}): a statistically significant "
                f"{kind}"
            )
        else:
            first += (
                f"; the change on {r.previous_year} ({interval}) is not statistically significant"
            )
    out.append(first + ".")
    black = r.figure("use_of_force_tactics_ratio_vs_white", "Black")
    if black is not None and black.estimate is not None and black.has_interval:
        interval = ci_words(black.lower, black.upper, black.confidence, "", 2, 1.0)
        text = (
            f"In {r.year}, {possessive(r.force_name)} officers used tactics at "
            f"{fixed(black.estimate, 2)} times the rate per 1,000 Black residents that they did "
            f"per 1,000 White residents ({interval}, widened because an incident can involve "
            "several tactics)"
        )
        if black.significant:
            relation = "higher" if black.direction == "increase" else "lower"
            text += f": statistically significantly {relation}."
        else:
            text += ", but the data cannot show that the two rates differ."
        out.append(text)
    return out[:2]


def panel_questions(r) -> list[str]:
    """Questions the Panel may ask, each drawn from a finding of the result (none without
    one), each naming its financial year."""
    if r is None or r.status != "ok":
        return []
    out = []
    name = r.force_name
    change = r.figure("use_of_force_change", ALL)
    before = r.figure("use_of_force_incidents", ALL, r.previous_year)
    now = r.figure("use_of_force_incidents", ALL, r.year)
    if change is not None and change.estimate is not None and before is not None:
        if change.flagged("recording_change"):
            out.append(
                f"Did {name} change how it records use of force between {r.previous_year} and "
                f"{r.year}, when its incidents went from {whole(before.estimate)} to "
                f"{whole(now.estimate)}?"
            )
        elif change.significant and change.direction == "increase":
            amount, _ = _change_words(change)
            out.append(
                f"What explains the rise in use of force incidents in {r.year} ({amount} than "
                f"in {r.previous_year}: {whole(now.estimate)} against {whole(before.estimate)}), "
                "and how much of it reflects fuller recording rather than more force used?"
            )
        elif change.significant:
            amount, _ = _change_words(change)
            out.append(
                f"What explains the fall in use of force incidents in {r.year} ({amount} than "
                f"in {r.previous_year}), and is every use of force still being recorded?"
            )
    f = r.funnel
    if f is not None and f.position and f.position.startswith(("above", "below")):
        side = "above" if f.position.startswith("above") else "below"
        out.append(
            f"Why was {possessive(name)} rate of use of force incidents per 1,000 residents in "
            f"{r.year} {side} the range expected among forces of its size?"
        )
    black = r.figure("use_of_force_tactics_ratio_vs_white", "Black")
    if black is not None and black.significant and black.direction == "increase":
        out.append(
            f"What explains tactics being used at {fixed(black.estimate, 2)} times the White "
            f"rate per 1,000 Black residents in {r.year}, and what does the force's own scrutiny "
            "of those incidents show?"
        )
    share = r.figure("ced_discharge_share_change", ALL)
    if share is not None and share.significant:
        word = "rise" if share.direction == "increase" else "fall"
        out.append(
            f"Why did the share of Taser uses that were discharges {word} between "
            f"{r.previous_year} and {r.year}?"
        )
    uses = r.figure("ced_uses_change", ALL)
    if uses is not None and uses.significant and uses.direction == "increase":
        amount, _ = _change_words(uses)
        out.append(
            f"What explains the rise in Taser uses in {r.year} ({amount} than in "
            f"{r.previous_year})?"
        )
    if r.force in r.summary_only_forces:
        out.append(
            f"Can {name} give the Home Office its Taser uses incident by incident, so that they "
            f"can be broken down by ethnicity (it sent summary figures for {r.year})?"
        )
    p = r.published
    if p is not None and not p.same_year:
        incidents = p.get("use_of_force_incidents")
        figure = f" ({whole(incidents.value)} incidents)" if incidents is not None else ""
        out.append(
            f"Can {name} give the Panel its use of force figures for the years after {r.year}, "
            f"so that the inspectorate's {p.year} figures{figure} can be set beside a series of "
            "the force's own?"
        )
    return out
