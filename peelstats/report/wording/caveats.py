"""The sentence of each caveat code (:class:`peelstats.vocabulary.Caveats`)."""

from __future__ import annotations

from peelstats.report.wording.common import (
    capitalise,
    definition_words,
    join_and,
    months_words,
    people,
    possessive,
    year_words,
)
from peelstats.report.wording.numbers import WordingError, share_words, whole
from peelstats.vocabulary import Caveats

# ----------------------------------------------------------------------------- caveats


def caveat(c, result) -> str:
    """The sentence of a caveat code (see peelstats.analysis.*.build)."""
    p = c.params
    name = getattr(result, "force_name", "The force")
    code = c.code
    if code == Caveats.NO_DATA:
        return (
            f"The data has no stop-and-search records for {name} in "
            f"{year_words(result.period)}, so no stop-and-search figures can be given."
        )
    if code == Caveats.MONTHS_MISSING:
        cov = result.coverage
        k = len(cov.present)
        return (
            f"The data has no file for {months_words(cov.missing)}, so the figures for "
            f"{year_words(result.period)} cover {k} of its 12 months "
            f"({months_words(cov.present)}). Counts and rates per 1,000 are for those months "
            "only and are not annualised; they cannot be compared with full years."
        )
    if code == Caveats.MONTHS_REPAIRED:
        return (
            f"The file for {months_words(p['months'])} listed every record twice; each record "
            "was counted once."
        )
    if code == Caveats.OFFICER_DEFINED_VS_CENSUS:
        return (
            "Rates by ethnic group here divide searches by officer-defined ethnicity (the "
            "officer's view) by Census 2021 residents by self-defined ethnicity (how people "
            "describe themselves). The two can differ, so rates and ratios by group are "
            "approximate."
        )
    if code == Caveats.OFFICER_GROUP_NOT_USED:
        groups = join_and(people(g) for g in p["groups"])
        return (
            f"None of {possessive(name)} searches in the data records "
            f"{join_and(p['groups'])} as the officer-defined ethnicity, although some of the "
            f"people searched described themselves as {join_and(p['groups'])}: the force does "
            "not appear to use that officer-defined category, so no rates, ratios or outcome "
            f"comparisons are given for {groups}."
        )
    if code == Caveats.NO_RESIDENT_POPULATION:
        railways = " (it polices the railways)" if result.force == "btp" else ""
        return (
            f"{name} has no resident population{railways}, so rates per 1,000 residents, "
            "ratios between ethnic groups' rates of stop and search, and the funnel plot of "
            "search rates cannot be computed. Counts, the outcome test and the monthly trend "
            "are given."
        )
    if code == Caveats.RESIDENTS_UNREPRESENTATIVE:
        months = p["months"]
        yearly = p["searches"] * 12 / months / p["residents"] * 1000 if months else 0
        return (
            f"{name} has {whole(p['residents'])} residents (Census 2021) but carried out "
            f"{whole(p['searches'])} stop and searches in {months} months, about "
            f"{whole(yearly)} a year per 1,000 residents: the people it polices are mostly not "
            "its residents (workers, commuters and visitors). Rates per resident, and ratios "
            "between ethnic groups' rates, would mislead and are not shown."
        )
    if code == Caveats.ETHNICITY_NOT_RECORDED:
        words = definition_words(p["definition"])
        other = "officer" if p["definition"] == "self" else "self"
        return (
            f"{capitalise(words)} ethnicity was not recorded for {share_words(p['share'])} of "
            "searches, so rates, ratios and outcome comparisons by ethnic group would describe "
            "a small, possibly unrepresentative part of the searches and are not shown. A "
            f"report based on {definition_words(other)} ethnicity may be able to compare "
            "groups, if the force recorded that more fully."
        )
    if code in (Caveats.ETHNICITY_PARTLY_RECORDED, Caveats.ETHNICITY_SOME_UNRECORDED):
        words = definition_words(p["definition"])
        figures = (
            "rate per 1,000 residents and count"
            if getattr(result, "population_base", "") == "residents"
            else "count"
        )
        return (
            f"{capitalise(words)} ethnicity was not recorded for {share_words(p['share'])} of "
            "searches. Those searches count in the total but in no group's figures, so each "
            f"group's {figures} may be understated."
        )
    if code == Caveats.LINKED_NOT_RECORDED:
        return (
            "The force left 'outcome linked to object of search' blank for "
            f"{share_words(p['share'])} of the searches that ended in an arrest or other "
            "action, so its linked find rate cannot be measured and is not shown."
        )
    if code == Caveats.LINKED_LOWER_BOUND:
        return (
            "The force left 'outcome linked to object of search' blank for "
            f"{share_words(p['share'])} of the searches that ended in an arrest or other "
            "action. Those count as not linked, so the linked find rates are lower bounds."
        )
    if code == Caveats.SMALL_SAMPLE:
        return (
            f"The figure for {p['label']} rests on only {whole(p['n'])} records, so its "
            "interval is wide; compare it with other figures only with that in mind."
        )
    raise WordingError(f"no wording for caveat {code!r}")
