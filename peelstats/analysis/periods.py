"""Which reporting periods the data can answer for.

A period is named by its last quarter (``"2021Q3"`` = October 2020 to September 2021); the type
and parser live in :mod:`peelstats.vocabulary`. A period can be reported only if at least one
force has every one of its 12 months in the data: a period past the data's end (the inspection's
own year, say) stops with one line naming where the data ends and the latest period it can
answer for, instead of a report built on nothing.
"""

from __future__ import annotations

import pandas as pd

from peelstats.errors import ParameterError
from peelstats.vocabulary import (
    Period,
    month_name,
    month_period,
    parse_period,
    quarter_of,
    quarters_in,
)

__all__ = [
    "Period",
    "parse_period",
    "quarter_of",
    "latest_complete_quarter",
    "expand_periods",
    "months_by_force",
    "complete_periods",
    "check_periods",
]


def months_by_force(coverage: pd.DataFrame) -> dict[str, set[str]]:
    """The months with a file for each force, from the coverage table."""
    present = coverage
    if "file_present" in coverage:
        present = coverage[coverage["file_present"].astype(bool)]
    if "missing" in present:
        present = present[~present["missing"].astype(bool)]
    return {f: set(g["month"]) for f, g in present.groupby("force")}


def complete_periods(coverage: pd.DataFrame) -> list[str]:
    """Every quarter label ending 12 months that at least one force has in full, in order."""
    out: set[str] = set()
    for months in months_by_force(coverage).values():
        for label in quarters_in(months):
            if set(parse_period(label).months) <= months:
                out.add(label)
    return sorted(out, key=lambda q: parse_period(q).end)


def _data_span(coverage: pd.DataFrame) -> tuple[str, str] | None:
    months = sorted({m for ms in months_by_force(coverage).values() for m in ms})
    return (months[0], months[-1]) if months else None


def latest_complete_quarter(coverage_or_months) -> str:
    """The latest quarter ending 12 months that some force has in full.

    Accepts the coverage table, or (for a single series) a list of months.
    """
    if isinstance(coverage_or_months, pd.DataFrame):
        periods = complete_periods(coverage_or_months)
    else:
        periods = [
            q for q in quarters_in(coverage_or_months) if set(parse_period(q).months) <= set(
                coverage_or_months)
        ]  # fmt: skip
    if not periods:
        raise ParameterError(
            "no 12-month period is complete in the data: every possible year lacks a month"
        )
    return periods[-1]


def check_periods(labels: list[str], coverage: pd.DataFrame) -> None:
    """Stop with one line if a period has no force with all 12 of its months in the data."""
    complete = complete_periods(coverage)
    span = _data_span(coverage)
    bad = [label for label in labels if label not in complete]
    if not bad:
        return
    if span is None or not complete:
        raise ParameterError("the data has no complete 12-month period for any force")
    first, last = span
    latest, earliest = complete[-1], complete[0]
    period = parse_period(bad[0])
    which = f"period {bad[0]}" if len(bad) == 1 else f"periods {', '.join(bad)}"
    if month_period(period.end) > month_period(last):
        reason = f"the data ends in {month_name(last)}; the latest complete quarter is {latest}"
    elif month_period(period.start) < month_period(first):
        reason = (
            f"the data begins in {month_name(first)}; the earliest quarter ending a full "
            f"year of data is {earliest}"
        )
    else:
        reason = (
            f"no force has all 12 months from {month_name(period.start)} to "
            f"{month_name(period.end)} in the data; complete periods run from {earliest} to "
            f"{latest}"
        )
    raise ParameterError(f"{which}: {reason}")


def expand_periods(spec: str, coverage_or_months) -> list[str]:
    """Expand a batch ``--periods`` value: 'latest', one quarter, a range 'A:B', or a comma list."""
    spec = spec.strip()
    if spec.lower() == "latest":
        return [latest_complete_quarter(coverage_or_months)]
    labels: list[str] = []
    for part in spec.split(","):
        part = part.strip()
        if ":" in part:
            first, last = (parse_period(p) for p in part.split(":", 1))
            start = month_period(first.end)
            stop = month_period(last.end)
            if stop < start:
                raise ParameterError(f"period range {part!r} runs backwards")
            while start <= stop:
                labels.append(quarter_of(str(start)))
                start += 3
        else:
            labels.append(parse_period(part).label)
    return list(dict.fromkeys(labels))
