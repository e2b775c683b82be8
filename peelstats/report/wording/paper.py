"""The words of the Panel paper (panel-paper.docx and .pdf) and of the full report's Word
document: the heading block, Purpose, Background, key findings, what moved since the last paper,
the questions the Panel may wish to ask, the Recommendation and the appendix line.

Every finding is a paragraph of the report's summary (with the inspectorate's figures beside
ours); every question is drawn from a finding of this force's results, never a fixed list.
"""

from __future__ import annotations

import re

import pandas as pd

from peelstats.report.wording.cells import DASH
from peelstats.report.wording.common import (
    join_and,
    months_words,
    people,
    possessive,
    year_words,
)
from peelstats.report.wording.numbers import (
    as_published,
    ci_short,
    conf,
    estimate_and_ci,
    fixed,
    pct,
    share_words,
    whole,
)
from peelstats.report.wording.published import published_period, published_value
from peelstats.report.wording.summary import summary
from peelstats.vocabulary import ALL, COMPARED_GROUPS

#: at most this many questions, and at least this many
MOST_QUESTIONS, FEWEST_QUESTIONS = 6, 3
SETTINGS_HINT = "set {setting} in panel-paper.toml"
HEADING_LABELS = {
    "panel": "Panel",
    "date": "Date",
    "report_of": "Report of",
    "contact": "Contact officer",
}


def paper_title(force_name: str, period: str) -> str:
    return f"Stop and search in {force_name}: {year_words(period)}"


def date_words(date) -> str:
    return f"{date.day} {date.strftime('%B %Y')}"


def heading_block(settings) -> list[tuple[str, str]]:
    """(label, value) rows of the heading block; a missing setting says what to fill in."""

    def value(name: str) -> str:
        given = getattr(settings, name)
        if name == "date" and given:
            return date_words(given)
        return given or f"not set ({SETTINGS_HINT.format(setting=name)})"

    contact = ", ".join(
        v for v in (settings.contact_officer, settings.job_title, settings.telephone,
                    settings.email) if v
    )  # fmt: skip
    if not contact:
        contact = (
            "not set (set contact_officer, job_title, telephone and email in panel-paper.toml)"
        )
    return [
        (HEADING_LABELS["panel"], value("panel")),
        (HEADING_LABELS["date"], value("date")),
        (HEADING_LABELS["report_of"], value("report_of")),
        (HEADING_LABELS["contact"], contact),
    ]


def purpose(force_name: str, period: str) -> str:
    return (
        f"To inform the Panel how {force_name} used stop and search in {year_words(period)}: "
        "how often, whether some ethnic groups were searched more often than others, what "
        "searches found, and what the inspectorate's latest findings say, each figure with its "
        "confidence interval."
    )


def background(results: dict) -> str:
    ss = results.get("stop_search")
    parts = []
    if ss is not None:
        cov = ss.coverage
        if cov.missing and cov.present:
            months = (
                f"The data covers {len(cov.present)} of the 12 months ({months_words(cov.present)}"
                f"; police.uk has no file for {months_words(cov.missing)}), so its figures are "
                "for those months only."
            )
        elif not cov.present:
            months = "The data has no stop-and-search records for this period."
        else:
            months = f"The data covers all 12 months ({months_words(cov.present)})."
        parts.append(
            f"This paper draws on police.uk's records of every stop and search by {ss.force_name} "
            f"in {year_words(ss.period)}. {months} Rates per 1,000 use Census 2021 residents of "
            f"the force area by {'self' if ss.definition == 'self' else 'officer'}-defined "
            "ethnicity; changes compare the same months a year earlier; the force is compared "
            "with the other forces in the data that have a complete year."
        )
    extra = []
    if any(k in results for k in ("reasonable_grounds", "crime_data_integrity")):
        extra.append("the inspectorate's latest audits")
    o = results.get("outcomes")
    if o is not None and getattr(o, "year", ""):
        extra.append(f"the Home Office's crime outcomes for {o.year}")
    u = results.get("use_of_force")
    if u is not None and getattr(u, "year", ""):
        extra.append(f"the Home Office's use of force statistics for {u.year}")
    if extra:
        parts.append(f"It also sets out {join_and(extra)}, each for its own period.")
    level = conf(ss.confidence) if ss is not None else "95%"
    parts.append(
        f"Intervals are {level} confidence intervals: the range the true figure is likely to "
        "lie in, given the play of chance."
    )
    return " ".join(parts)


def findings(results: dict) -> list[str]:
    """At most six numbered paragraphs: the report's summary."""
    return summary(results)


# ----------------------------------------------------------------------------- at a glance

GLANCE_CAPTION = "Key figures at a glance"
GLANCE_COLUMNS = ("Figure", "This report", "Confidence interval", "The inspectorate's figure")


def _published(results: dict, measure: str, group: str = ALL) -> str:
    p = results.get("published_figures")
    if p is None:
        return DASH
    for b in p.rows:
        if b.published.measure == measure and b.published.group == group:
            return f"{published_value(b.published)} ({published_period(b.published)})"
    return DASH


def glance_table(results: dict) -> pd.DataFrame | None:
    ss = results.get("stop_search")
    if ss is None or ss.status != "ok":
        return None
    rows = []
    total = ss.figure("searches", ALL)
    rows.append(("Stop and searches", whole(total.estimate), DASH,
                 _published(results, "searches")))  # fmt: skip
    change = ss.figure("searches_change_vs_previous_year_percent", ALL)
    if change is not None and change.estimate is not None:
        shown, interval = estimate_and_ci(change.estimate, change.lower, change.upper,
                                          change.confidence, null=0.0,
                                          significant=change.significant, sign=True)  # fmt: skip
        rows.append(("Change on the year before (percent)", shown,
                     interval.split("interval ", 1)[1],
                     _published(results, "searches_change_vs_previous_year_percent")))  # fmt: skip
    black = ss.figure("search_rate_ratio_vs_white", "Black")
    if black is not None and black.estimate is not None and black.has_interval:
        shown, interval = estimate_and_ci(black.estimate, black.lower, black.upper,
                                          black.confidence, null=1.0,
                                          significant=black.significant)  # fmt: skip
        rows.append(("Black people, times as likely as White people to be searched", shown,
                     interval.split("interval ", 1)[1],
                     _published(results, "search_rate_ratio_vs_white", "Black")))  # fmt: skip
    find = ss.figure("linked_find_rate", ALL)
    if find is not None and find.estimate is not None:
        rows.append(("Linked find rate", pct(find.estimate, word=False),
                     ci_short(find.lower, find.upper, 1, 100, "%", estimate=find.estimate),
                     _published(results, "linked_find_rate")))  # fmt: skip
    rg = results.get("reasonable_grounds")
    if rg is not None and rg.subjects and rg.subjects[0].published_percent is not None:
        s = rg.subjects[0]
        margin = (
            f" (+/- {as_published(s.published_margin)} percentage points, at 95%)"
            if s.published_margin is not None
            else ""
        )
        rows.append(("Records with reasonable grounds recorded (the inspectorate's audit)",
                     DASH, DASH, f"{as_published(s.published_percent)}%{margin}"))  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(GLANCE_COLUMNS))
    frame.columns = [*GLANCE_COLUMNS[:2], f"{conf(ss.confidence)} confidence interval",
                     GLANCE_COLUMNS[3]]  # fmt: skip
    return frame


# ----------------------------------------------------------------------------- since the last paper

SINCE_HEADING = "Since the last paper"


def since_paragraphs(since) -> list[str]:
    """What moved beyond chance since the previous quarter's paper, and what revisions changed."""
    if since is None:
        return []
    prev = year_words(since.previous_period)
    out = []
    gained = _quarter(since.gained)
    lost = _quarter(since.lost)
    moved = [m for m in since.moved if m.tested and m.significant]
    steady = [m for m in since.moved if m.tested and not m.significant]
    lead = (
        f"The last paper covered {prev}. This one adds {gained} and drops {lost}, so the change "
        "between the two papers is the difference between those two quarters."
    )
    parts = [lead]
    for m in moved:
        parts.append(_moved_words(m, gained, lost) + ": a change beyond chance.")
    if steady:
        names = join_and(_MEASURE_WORDS[m.measure] for m in steady)
        detail = "; ".join(_moved_words(m, gained, lost) for m in steady)
        parts.append(f"The {names} did not move beyond chance between those quarters ({detail}).")
    out.append(" ".join(parts))
    for r in since.revised:
        out.append(
            f"police.uk has revised its data for {months_words(r.months)} since the last paper: "
            f"its count of {whole(r.published)} stop and searches for {prev} is now "
            f"{whole(r.now)} on the revised data."
        )
    return out


_MEASURE_WORDS = {"searches": "number of searches", "linked_find_rate": "linked find rate"}


def _quarter(label: str) -> str:
    from peelstats.report.wording.quarters import quarter_words

    return quarter_words(label)


def _moved_words(m, gained: str, lost: str) -> str:
    if m.measure == "searches":
        return (
            f"{whole(m.gained)} searches in {gained} against {whole(m.lost)} in {lost}, "
            f"{conf(m.confidence)} confidence interval for the change "
            f"{ci_short(m.lower, m.upper, 1, 1, ' percent', null=0.0, significant=m.significant)}"
        )
    interval = ci_short(m.lower, m.upper, 1, 100, " percentage points", null=0.0,
                        significant=m.significant)  # fmt: skip
    return (
        f"a linked find rate of {pct(m.gained)} in {gained} against {pct(m.lost)} in {lost}, "
        f"{conf(m.confidence)} confidence interval for the difference {interval}"
    )


# ----------------------------------------------------------------------------- questions

QUESTIONS_HEADING = "Questions the Panel may wish to ask"


def _outcome_words(label: str) -> str:
    """'10 and 21: Not in the public interest (police)' -> 'outcomes 10 and 21 (not in the
    public interest, police)': the codes a reader can find in the table, with their names."""
    codes, _, name = label.partition(":")
    name = re.sub(r"\s*\(([^)]*)\)", r", \1", name.strip())
    noun = "outcomes" if " and " in codes else "outcome"
    return f"{noun} {codes.strip()} ({name[:1].lower()}{name[1:]})" if name else f"{noun} {codes}"


def panel_questions(results: dict, extra=()) -> list[str]:
    """3 to 6 questions, each drawn from a finding of these results (most important first);
    ``extra`` adds questions another section drew from its own findings."""
    ss = results.get("stop_search")
    asked: list[str] = []
    if ss is not None and ss.status == "ok":
        name = ss.force_name
        when = year_words(ss.period)
        change = ss.figure("searches_change_vs_previous_year_percent", ALL)
        if change is not None and change.significant:
            way = "rise" if change.direction == "increase" else "fall"
            asked.append(
                f"What explains the {way} of {fixed(abs(change.estimate))} percent in stop and "
                f"searches in {when}, and is it what the force intended?"
            )
        black = ss.figure("search_rate_ratio_vs_white", "Black")
        if black is not None and black.estimate is not None:
            if black.significant and black.direction == "increase":
                asked.append(
                    f"Black people were {fixed(black.estimate)} times as likely as White people "
                    f"to be searched in {when}: what does the force know about why, and what is "
                    "it doing about it?"
                )
            elif not black.significant and black.numerator is not None:
                asked.append(
                    f"With {whole(black.numerator)} searches of Black people a year, the data "
                    "cannot show whether they are searched more often than White people: how "
                    "will the force know whether they are?"
                )
        find = ss.figure("linked_find_rate", ALL)
        p = results.get("published_figures")
        differs = [b for b in (p.rows if p is not None else ())
                   if b.published.measure == "linked_find_rate"
                   and b.position in ("above", "below")]  # fmt: skip
        placed = {f.measure: f for f in ss.funnels}
        for f in ss.funnels:
            if f.measure == "linked_find_rate" and differs and find is not None:
                continue  # asked with the inspectorate's own figure below, in one question
            if f.position not in (None, "within"):
                side = "above" if f.position.startswith("above") else "below"
                what = {
                    "search_rate_per_1000": "rate of stop and search",
                    "linked_find_rate": "linked find rate",
                    "black_white_ratio": "ratio of the Black to the White rate of search",
                }.get(f.measure, f.measure)
                asked.append(
                    f"{possessive(name)} {what} is {side} the range expected among the "
                    f"{f.units} forces compared: what explains the difference?"
                )
        if find is not None:
            funnel = placed.get("linked_find_rate")
            among = ""
            if funnel is not None and funnel.position not in (None, "within"):
                side = "above" if funnel.position.startswith("above") else "below"
                among = f", {side} the range expected among the {funnel.units} forces compared"
            for b in differs:
                asked.append(
                    f"This report finds a linked find rate of {pct(find.estimate)}{among}; "
                    f"the inspectorate published {published_value(b.published)} for "
                    f"{published_period(b.published)}"
                    + (f", {b.published.standing}" if b.published.standing else "")
                    + ": which figure does the force use, and why do they differ?"
                )
        if ss.ethnicity is not None and ss.ethnicity.share >= 0.1:
            asked.append(
                f"Ethnicity was not recorded for {share_words(ss.ethnicity.share)} of searches: "
                "what is the force doing to record it, so that fairness can be checked?"
            )
        if ss.linked is not None and ss.linked.status != "recorded":
            asked.append(
                f"The force left the linked outcome blank for {share_words(ss.linked.share)} of "
                "searches that ended in action: how will it measure what its searches find?"
            )
        small = [
            f for f in (ss.figure("search_rate_ratio_vs_white", g) for g in COMPARED_GROUPS)
            if f is not None and f.flagged("small_numbers") and f.group != "Black"
        ]  # fmt: skip
        if small and len(asked) < FEWEST_QUESTIONS:
            asked.append(
                f"Searches of {join_and(people(f.group) for f in small)} are too few to show "
                "whether they are searched more or less often than White people: how does the "
                "force look at fairness for them?"
            )
        if ss.spc is not None and len(asked) < FEWEST_QUESTIONS:
            frame = ss.spc.frame()
            special = frame[frame["special_cause"].astype(bool)]["month"].tolist()
            if special:
                asked.append(
                    f"Searches were unusually high or low in {months_words(special)} (special "
                    "causes on the process control chart): what happened then?"
                )
    rg = results.get("reasonable_grounds")
    if rg is not None:
        for c in rg.changes:
            if c.tested and c.significant and c.verdict == "deterioration":
                asked.append(
                    "The inspectorate found reasonable grounds recorded on "
                    f"{as_published(c.later.published_percent or c.later.estimate * 100)} "
                    "percent of records, a statistically significant deterioration from "
                    f"{as_published(c.earlier.published_percent or c.earlier.estimate * 100)} "
                    "percent: what has the force changed since, and how does it check the "
                    "grounds recorded now?"
                )
    o = results.get("outcomes")
    if o is not None and getattr(o, "rows", ()):
        outside = [r for r in o.rows if r.position not in (None, "within")]
        if outside:
            labels = join_and(_outcome_words(r.label) for r in outside)
            asked.append(
                f"In {o.year} the force's rates of {labels} were outside the "
                "usual variation between forces: are they still, and why?"
            )
    asked += list(extra)
    ordered = list(dict.fromkeys(asked))
    return ordered[:MOST_QUESTIONS]


# ----------------------------------------------------------------------------- the rest

RECOMMENDATION_HEADING = "Recommendation"
APPENDICES_HEADING = "Appendices"
PURPOSE_HEADING = "Purpose"
BACKGROUND_HEADING = "Background"
FINDINGS_HEADING = "Key findings"


def recommendation(force_name: str, period: str) -> str:
    return (
        f"The Panel is asked to note this report on {possessive(force_name)} use of stop and "
        f"search in {year_words(period)}, and to consider the questions above."
    )


def appendix_line() -> str:
    return (
        "Appendix A: the full statistical report, with every figure's interval and method "
        "(report.pdf and report.docx). Appendix B: every figure as a spreadsheet "
        "(estimates.xlsx)."
    )


def footer_words(title: str) -> str:
    """The footer beside the page numbers."""
    return title
