"""Reporting periods.

A period is named by its last quarter, as analysts and Panels speak of it: ``"2021Q3"`` means the
12 months ending with that quarter (October 2020 to September 2021), compared with the 12 months
before (October 2019 to September 2020).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from peelstats.errors import ParameterError

_PERIOD = re.compile(r"^(?P<year>\d{4})Q(?P<quarter>[1-4])$")
_MONTH_NAMES = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip


@dataclass(frozen=True)
class Period:
    """The 12 months ending with a quarter, and the 12 months before them."""

    label: str
    months: tuple[str, ...]
    previous_months: tuple[str, ...]

    @property
    def start(self) -> str:
        return self.months[0]

    @property
    def end(self) -> str:
        return self.months[-1]

    @property
    def description(self) -> str:
        """E.g. 'the year ending 30 September 2021'."""
        end = pd.Period(self.end, freq="M")
        return f"the year ending {end.days_in_month} {_MONTH_NAMES[end.month - 1]} {end.year}"

    @property
    def end_words(self) -> str:
        """E.g. '30 September 2021'."""
        end = pd.Period(self.end, freq="M")
        return f"{end.days_in_month} {_MONTH_NAMES[end.month - 1]} {end.year}"

    @property
    def previous_description(self) -> str:
        end = pd.Period(self.previous_months[-1], freq="M")
        return f"the year ending {end.days_in_month} {_MONTH_NAMES[end.month - 1]} {end.year}"


def parse_period(text: str) -> Period:
    """Parse ``"YYYYQn"`` into a :class:`Period`; anything else raises ParameterError."""
    if not isinstance(text, str) or not _PERIOD.match(text.strip()):
        raise ParameterError(
            f"period {text!r} is not a quarter: expected YYYYQn with n from 1 to 4, e.g. '2021Q3'"
        )
    match = _PERIOD.match(text.strip())
    year, quarter = int(match["year"]), int(match["quarter"])
    end = pd.Period(year=year, month=3 * quarter, freq="M")
    months = tuple(str(end - k) for k in range(11, -1, -1))
    previous = tuple(str(end - 12 - k) for k in range(11, -1, -1))
    return Period(label=f"{year}Q{quarter}", months=months, previous_months=previous)


def quarter_of(month: str) -> str:
    """The quarter label ('2021Q3') containing a month ('2021-08')."""
    period = pd.Period(month, freq="M")
    return f"{period.year}Q{(period.month - 1) // 3 + 1}"


def latest_complete_quarter(months: list[str] | pd.Series) -> str:
    """The last quarter all of whose three months appear in ``months``."""
    present = set(months)
    if not present:
        raise ParameterError("no months of data: cannot choose a latest quarter")
    for month in sorted(present, reverse=True):
        period = pd.Period(month, freq="M")
        if period.month % 3 == 0 and {str(period - 2), str(period - 1), str(period)} <= present:
            return quarter_of(month)
    raise ParameterError("no complete quarter in the data (every quarter lacks a month)")


def expand_periods(spec: str, months: list[str] | pd.Series) -> list[str]:
    """Expand a batch ``--periods`` value: 'latest', one quarter, a range 'A:B', or a comma list."""
    spec = spec.strip()
    if spec == "latest":
        return [latest_complete_quarter(months)]
    labels: list[str] = []
    for part in spec.split(","):
        part = part.strip()
        if ":" in part:
            first, last = (parse_period(p) for p in part.split(":", 1))
            start = pd.Period(first.end, freq="M")
            stop = pd.Period(last.end, freq="M")
            if stop < start:
                raise ParameterError(f"period range {part!r} runs backwards")
            while start <= stop:
                labels.append(quarter_of(str(start)))
                start += 3
        else:
            labels.append(parse_period(part).label)
    return list(dict.fromkeys(labels))
