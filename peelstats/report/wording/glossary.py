"""The glossary: every technical term the report's text uses, in one plain sentence each.

:data:`GLOSSARY` maps each term to the words that show it is used (matched in the report's text,
case-insensitively, as whole words) and its meaning. A reader test holds every term the text
uses to an entry (tests/report/test_wording_properties.py).
"""

from __future__ import annotations

import html
import re

from peelstats.report.wording.numbers import _finite, conf

#: term -> (patterns that show the text uses it, meaning); the confidence interval's meaning
#: names the run's level and is written by :func:`glossary`
GLOSSARY: dict[str, tuple[tuple[str, ...], str]] = {
    "confidence interval": (("confidence interval", r"\bCI\b"), ""),
    "statistically significant": (
        ("statistically significant", "significance"),
        "A difference is statistically significant when its confidence interval excludes no "
        "difference, so chance alone is an unlikely explanation. It says nothing about whether "
        "the difference matters.",
    ),
    "p-value": (
        (r"\bp\b", "p-value", r"p = ", r"p < "),
        "How often chance alone would give a difference at least as large as the one seen: a "
        "small p (below 0.05) means chance is an unlikely explanation.",
    ),
    "percentage points": (
        ("percentage points", r"\(points\)"),
        "The difference between two percentages: from 20% to 25% is 5 percentage points.",
    ),
    "disproportionality": (
        ("disproportionality", "times as likely"),
        "How much more (or less) often one group is stopped and searched than another, for its "
        "number of residents: a rate ratio above 1 means more often.",
    ),
    "rate ratio": (
        ("rate ratio", "times as likely", "relative to White"),
        "One group's rate of stop and search per 1,000 residents divided by White people's: "
        "2.0 means twice as likely, 1.0 equally likely.",
    ),
    "Census 2021 usual residents": (
        ("usual residents", "Census 2021 residents"),
        "The people the 2021 Census counted as living in the force's area, by the ethnic group "
        "they gave: the population each rate per 1,000 is of.",
    ),
    "self-defined and officer-defined ethnicity": (
        ("self-defined", "officer-defined"),
        "Self-defined ethnicity is how the person searched describes themselves; "
        "officer-defined is how the officer saw them. Census residents describe themselves.",
    ),
    "linked find rate": (
        ("linked find", "found what they were looking for", "found the object"),
        "The share of searches in which officers found what they were looking for: the outcome "
        "was linked to the object of the search and was not 'no further action'.",
    ),
    "outcome test": (
        ("outcome test",),
        "A check of whether searches of one group find what officers were looking for as often "
        "as searches of White people: a lower rate may mean weaker grounds for searching.",
    ),
    "odds ratio": (
        ("odds ratio", "odds of a linked find"),
        "A way of comparing two groups' chances: an odds ratio of 1 means the same chance, below "
        "1 a lower chance for the first group.",
    ),
    "Mantel-Haenszel": (
        ("Mantel-Haenszel",),
        "A method that compares two groups within each kind of search (here, each object of "
        "search) and pools the results, so that a difference in what was searched for does not "
        "masquerade as a difference between groups.",
    ),
    "Breslow-Day test": (
        ("Breslow-Day",),
        "A test of whether the comparison between two groups is the same for every kind of "
        "search, or differs between them.",
    ),
    "Robins-Breslow-Greenland interval": (
        ("Robins-Breslow-Greenland",),
        "The usual confidence interval for a Mantel-Haenszel odds ratio.",
    ),
    "Wilson score interval": (
        ("Wilson",),
        "A confidence interval for a percentage that stays sensible for small numbers and for "
        "percentages near 0 or 100.",
    ),
    "Newcombe interval": (
        ("Newcombe",),
        "A confidence interval for the difference between two percentages, built from each "
        "percentage's Wilson interval.",
    ),
    "Poisson interval": (
        ("Poisson", "Garwood"),
        "A confidence interval for a count or a rate that allows for the chance variation in "
        "how many events happen; 'exact' (Garwood) means it is worked out without an "
        "approximation.",
    ),
    "quasi-Poisson regression": (
        ("quasi-Poisson", "dispersion"),
        "A way of fitting a trend to counts that allows them to vary more from month to month "
        "than chance alone would make them (the dispersion says how much more).",
    ),
    "Mann-Kendall test": (
        ("Mann-Kendall", "uses only the order of the months"),
        "A test of whether a series tends to rise or fall over time that uses only whether "
        "each value is above or below the earlier ones, not their sizes.",
    ),
    "process control chart (XmR)": (
        ("XmR", "process control", "control chart"),
        "A chart of a monthly count with a centre line and limits worked out from the usual "
        "month-to-month change, so that unusual months stand out (NHS 'Making Data Count').",
    ),
    "special cause": (
        ("special cause",),
        "On a process control chart, a point or run of points (beyond the limits, 7 on one "
        "side of the centre line, or 7 rising or falling) unlikely to arise from the usual "
        "month-to-month variation.",
    ),
    "funnel plot": (
        ("funnel plot",),
        "A chart placing each force's figure against its size, with control limits that narrow "
        "as forces get larger; a force outside the limits differs by more than the usual "
        "variation between forces.",
    ),
    "control limits": (
        ("control limit",),
        "The lines on a funnel plot or control chart within which a figure would usually lie; "
        "a 99.8% limit is crossed by chance about once in 500 times.",
    ),
    "random effects": (
        ("random-effects", "random effects", "DerSimonian", "tau ="),
        "Funnel limits that allow for forces really differing from one another, not only for "
        "chance; tau measures how much they differ (DerSimonian-Laird is the usual estimate).",
    ),
    "winsorising": (
        ("winsoris",),
        "Pulling the most extreme values in to the nearest less extreme ones before estimating "
        "a spread, so that one unusual force does not widen everyone's limits.",
    ),
    "log scale and arcsine square-root scale": (
        ("log scale", "arcsine square-root"),
        "Ways of stretching the numbers before drawing limits, so that the limits fit rates "
        "(log) and percentages (arcsine square root) fairly at every size.",
    ),
    "finite population correction": (
        ("finite population correction", "drawn from"),
        "A narrower interval for a sample drawn from a small, known number of records: when "
        "most of them were reviewed, less is left to chance.",
    ),
    "section 60": (
        ("section 60", r"\bs60\b"),
        "A search without reasonable suspicion, allowed in an area for a set time when a senior "
        "officer expects serious violence (Criminal Justice and Public Order Act 1994).",
    ),
    "annualised": (
        ("annualised",),
        "Scaled up to a full year; figures here for part of a year are not, and say so.",
    ),
    "use of force incident": (
        ("use of force incident",),
        "In the Home Office's use of force statistics, a record of force used on a person in one "
        "encounter, made by an officer who used it (where several officers used force, each can "
        "record it); one incident can involve several tactics.",
    ),
    "tactics used": (
        ("tactics used", "tactics per"),
        "The use of force tactics recorded (handcuffing, restraint, Taser and so on), counted "
        "once each: an incident with two tactics counts twice, so tactics are not incidents or "
        "people.",
    ),
    "design effect": (
        ("design effect", "widened because an incident"),
        "How many times larger a count's variance is than if its events were independent; when "
        "events come in clusters (several tactics in one incident) the interval is widened by "
        "it.",
    ),
    "Taser (CED)": (
        ("Taser", r"\bCED\b"),
        "A conducted energy device. A use is any of drawn, aimed, red-dot, arced, drive-stun or "
        "fired, counted once per incident at its highest level; a discharge is fired, "
        "drive-stun or angled drive-stun.",
    ),
}


def _uses(patterns: tuple[str, ...], text: str) -> bool:
    return any(re.search(p if p.startswith(r"\b") or "\\" in p else re.escape(p), text, re.I)
               for p in patterns)  # fmt: skip


def glossary(text: str, confidence: float) -> list[tuple[str, str]]:
    """The entries for the terms that ``text`` uses (the confidence interval always), in the
    order above; the confidence interval's entry speaks of the run's level."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))  # the words a reader sees
    level = conf(confidence)
    times = round(_finite(confidence) * 100, 2)
    out = [
        (
            "confidence interval",
            "The range within which the true value is likely to lie, given the play of chance: "
            f"a {level} confidence interval would contain the true value in {times:g} of 100 "
            "repetitions.",
        )
    ]
    for term, (patterns, meaning) in GLOSSARY.items():
        if term != "confidence interval" and _uses(patterns, text):
            out.append((term, meaning))
    return out
