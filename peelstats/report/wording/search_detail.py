"""The words of what was searched for and found, strip searches, and age and gender."""

from __future__ import annotations

import pandas as pd

from peelstats.analysis.search_detail import NOT_RECORDED
from peelstats.report.wording.caveats import caveat
from peelstats.report.wording.cells import (
    DASH,
    cell_count,
    cell_number,
    cell_share,
    flag_notes,
    fmt_p,
    group_label,
)
from peelstats.report.wording.common import (
    capitalise,
    coverage_phrase,
    definition_words,
    join_and,
    people,
    possessive,
    year_words,
)
from peelstats.report.wording.numbers import (
    _digits_for,
    _finite,
    ci,
    ci_pct,
    ci_short,
    conf,
    fixed,
    pct,
    pct_digits,
    share_words,
    signed,
    whole,
)
from peelstats.vocabulary import ALL, GROUPS, REFERENCE_GROUP, Caveats

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


def _unrecorded(r, measure: str):
    return next((f for f in r.measure(measure) if f.group == NOT_RECORDED), None)


def _recorded_words(r, measure: str, what: str) -> str:
    """'; 29.9 percent of searches had no age recorded' (or '' when all recorded)."""
    blank = _unrecorded(r, measure)
    if blank is None or not blank.estimate:
        return ""
    return f"; {pct(blank.estimate, 1)} of searches had no {what} recorded"


def _share_with_unrecorded(r, fig_all, fig_recorded, measure: str, what: str, who: str) -> str:
    """A share of all searches, and where the field is often blank, the share of the searches
    that recorded it and the range the blank ones allow, saying whether they could change a
    majority."""
    blank = _unrecorded(r, measure)
    text = f"{pct(fig_all.estimate, 1)} of all searches were of {who}"
    if blank is None or not blank.estimate or blank.estimate < 0.05 or fig_recorded is None:
        return text + f" ({ci_pct(fig_all.lower, fig_all.upper, fig_all.confidence, 1)})"
    high = fig_all.estimate + blank.estimate
    text += (
        f", but {pct(blank.estimate, 1)} had no {what} recorded: of the searches that recorded "
        f"it, {pct(fig_recorded.estimate, 1)} were of {who} "
        f"({ci_pct(fig_recorded.lower, fig_recorded.upper, fig_recorded.confidence, 1)}), and "
        f"with the unrecorded ones the share of all searches could be anywhere from "
        f"{pct(fig_all.estimate, 1)} to {pct(high, 1)}"
    )
    if fig_all.estimate < 0.5 < high:
        text += f", so the data cannot say whether most searches were of {who}"
    return text


def age_gender_sentence(r) -> str | None:
    ages = [f for f in r.measure("searches_by_age") if f.estimate is not None
            and f.group != NOT_RECORDED]  # fmt: skip
    recorded = {f.group: f for f in r.measure("searches_by_age_of_recorded")}
    genders = {f.group: f for f in r.measure("searches_by_gender")}
    genders_recorded = {f.group: f for f in r.measure("searches_by_gender_of_recorded")}
    when = _when(r)
    parts = []
    if ages:
        top = max(ages, key=lambda f: f.estimate)
        young = next((f for f in ages if f.group == "10-17"), None)
        text = (
            f"{capitalise(when)}, the age most often recorded was {top.group}: "
            + _share_with_unrecorded(r, top, recorded.get(top.group), "searches_by_age", "age",
                                     f"people aged {top.group}")
        )  # fmt: skip
        if young is not None and young is not top:
            text += (
                f"; searches of children aged 10 to 17 were {pct(young.estimate, 1)} of all "
                f"searches ({ci_pct(young.lower, young.upper, young.confidence, 1)})"
            )
        parts.append(text + ".")
    elif recorded or r.measure("searches_by_age"):
        parts.append(f"{capitalise(when)}, no age was recorded for any search.")
    male = genders.get("Male")
    if male is not None and male.estimate is not None:
        parts.append(
            capitalise(
                _share_with_unrecorded(r, male, genders_recorded.get("Male"),
                                       "searches_by_gender", "gender", "males")
            ) + "."
        )  # fmt: skip
    elif genders and all(g == NOT_RECORDED for g in genders):
        parts.append("No gender was recorded for any search, so no share by gender can be given.")
    return " ".join(parts) or None


AGE_SEX_NOT_STANDARDISED = (
    "Rates per 1,000 residents by age and sex are not given: the Census 2021 table used here "
    "counts residents by ethnic group only, so searches cannot be set against the population "
    "of each age and sex. The age and gender figures are shares of searches, not rates."
)


def search_detail_findings(r) -> list[tuple[str, list[str]]]:
    if r.status != "ok":
        return [("Searches", [caveat(c, r) for c in r.caveats if c.code == Caveats.NO_DATA])]
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
        if c.code == Caveats.MONTHS_MISSING:
            out.append(caveat(c, r))
        elif c.code == Caveats.ETHNICITY_NOT_RECORDED:
            out.append(
                f"{definition_words(r.definition).capitalize()} ethnicity was not recorded for "
                f"{share_words(c.params['share'])} of searches, so no comparison between ethnic "
                "groups is made here."
            )
        elif c.code == Caveats.STRIP_NOT_RECORDED:
            out.append(
                f"The field for the removal of more than outer clothing was blank for "
                f"{share_words(c.params['share'])} of {possessive(r.force_name)} searches, so "
                "strip-search figures are not given."
            )
        elif c.code == Caveats.STRIP_PARTLY_RECORDED:
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


# ----------------------------------------------------------------------------- the section's parts

OBJECTS_HEADING = "Object of search and legislation"
OBJECT = "Object of search"
LEGISLATION = "Legislation"
LINKED_FIND_RATE = "Linked find rate"
OBJECT_SHARE_WHAT = "Share of searches by object of search"
PERCENT_OF_SEARCHES = "percent of searches"


def objects_caption(r) -> str:
    return f"Searches by object of search, {year_words(r.period)}"


def legislation_caption(r) -> str:
    return f"Searches by legislation, {year_words(r.period)}"


ADJUSTED_HEADING = "The outcome test, allowing for what was searched for"
ADJUSTED_CAPTION = (
    "Odds of a linked find against White people's, crude and allowing for the object of search"
)
STRIP_HEADING = "Strip searches"
STRIP_CAPTION = "Strip searches by ethnic group"
STRIP_AGE_CAPTION = "Strip searches by age range"
PEOPLE_HEADING = "Age and gender"
AGE_RANGE = "Age range"
GENDER = "Gender"
AGE_CAPTION = "Searches by age range"
NO_AGE = "No age was recorded for any search in these months, so no shares by age can be given."
NO_GENDER = (
    "No gender was recorded for any search in these months, so no shares by gender can be given."
)


def recorded_any(r, measure: str) -> bool:
    """Whether any search recorded the field (age or gender)."""
    return any(f.group != NOT_RECORDED and f.numerator for f in r.measure(measure))


GENDER_CAPTION = "Searches by gender"
FINDINGS_HEADING = "Key findings: what was searched for, and who"
SOURCE = "police.uk stop and search data"


# ----------------------------------------------------------------------------- tables


def share_table(r, measure: str, label: str, rate_measure: str | None = None,
                rate_label: str = "") -> pd.DataFrame:  # fmt: skip
    """Each category's share of searches with its interval (and, optionally, a rate per
    category from ``rate_measure``, e.g. the linked find rate by object)."""
    c = conf(r.confidence)
    rows = [f for f in r.figures if f.measure == measure]
    data = {
        label: [f.group for f in rows],
        "Searches": [cell_count(f.numerator) for f in rows],
        "Share": [cell_share(f.estimate) for f in rows],
        f"Share, {c} CI": [
            ci_short(f.lower, f.upper, 1, 100, "%", estimate=f.estimate) for f in rows
        ],
    }
    recorded = {f.group: f for f in r.figures if f.measure == f"{measure}_of_recorded"}
    blank = next((f for f in rows if f.group == NOT_RECORDED), None)
    if recorded and blank is not None and blank.estimate:
        got = [recorded.get(f.group) for f in rows]
        data["Share of those recorded"] = [cell_share(g.estimate) if g else DASH for g in got]
        data[f"Of those recorded, {c} CI"] = [
            ci_short(g.lower, g.upper, 1, 100, "%", estimate=g.estimate) if g else DASH for g in got
        ]
    if rate_measure:
        rates = {f.group: f for f in r.figures if f.measure == rate_measure}
        got = [rates.get(f.group) for f in rows]
        data[rate_label] = [cell_share(g.estimate) if g else DASH for g in got]
        data[f"{rate_label}, {c} CI"] = [
            ci_short(g.lower, g.upper, 1, 100, "%") if g else DASH for g in got
        ]
        notes = [
            flag_notes((*f.flags, *(g.flags if g else ()))) for f, g in zip(rows, got, strict=True)
        ]
    else:
        notes = [flag_notes(f.flags) for f in rows]
    data["Notes"] = notes
    return pd.DataFrame(data)


def adjusted_table(r) -> pd.DataFrame:
    c = conf(r.confidence)
    rows = list(r.adjusted)
    return pd.DataFrame(
        {
            "Ethnic group": [a.group for a in rows],
            "Searches": [cell_count(a.searches) for a in rows],
            "Odds ratio against White, crude": [cell_number(a.crude) for a in rows],
            "Allowing for the object (Mantel-Haenszel)": [cell_number(a.estimate) for a in rows],
            f"{c} CI": [ci_short(a.lower, a.upper, 2) for a in rows],
            "p": [fmt_p(a.p_value) for a in rows],
            "Same across objects? (Breslow-Day p)": [fmt_p(a.homogeneity_p_value) for a in rows],
        }
    )


def strip_table(r) -> pd.DataFrame:
    c = conf(r.confidence)
    share = {f.group: f for f in r.figures if f.measure == "strip_search_share"}
    found = {f.group: f for f in r.figures if f.measure == "strip_search_linked_find_rate"}
    order = [g for g in [*GROUPS, ALL] if g in share]
    return pd.DataFrame(
        {
            "Ethnic group": [group_label(g) for g in order],
            "Searches recording the field": [cell_count(share[g].denominator) for g in order],
            "Strip searches": [cell_count(share[g].numerator) for g in order],
            "Share": [cell_share(share[g].estimate) for g in order],
            f"Share, {c} CI": [
                ci_short(share[g].lower, share[g].upper, 1, 100, "%") for g in order
            ],  # fmt: skip
            "Linked find rate of strip searches": [
                cell_share(found[g].estimate) if g in found else DASH for g in order
            ],
            f"Linked find rate, {c} CI": [
                ci_short(found[g].lower, found[g].upper, 1, 100, "%") if g in found else DASH
                for g in order
            ],
            "Notes": [flag_notes(share[g].flags) for g in order],
        }
    )


def strip_age_table(r) -> pd.DataFrame:
    c = conf(r.confidence)
    rows = [f for f in r.figures if f.measure == "strip_search_share_by_age"]
    return pd.DataFrame(
        {
            "Age range": [f.group for f in rows],
            "Searches recording the field": [cell_count(f.denominator) for f in rows],
            "Strip searches": [cell_count(f.numerator) for f in rows],
            "Share": [cell_share(f.estimate) for f in rows],
            f"{c} CI": [ci_short(f.lower, f.upper, 1, 100, "%") for f in rows],
            "Notes": [flag_notes(f.flags) for f in rows],
        }
    )
