"""The glossary: every technical term the report's text uses, in one plain sentence each."""

from __future__ import annotations

from peelstats.report.wording.numbers import _finite, conf

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


def glossary(text: str, confidence: float) -> list[tuple[str, str]]:
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
