"""Months as the data layer accepts them: ``YYYY-MM``, from :data:`FIRST_YEAR`, not in the
future."""

from __future__ import annotations

import datetime as dt
import re

#: No police.uk, Census or audit figure is older than this; a year before it (0000, 0019) is a
#: typo, not data.
FIRST_YEAR = 1900
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def current_month() -> str:
    """This month in UTC, ``YYYY-MM``."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m")


def month_problem(text: str, *, future_ok: bool = False) -> str | None:
    """Why ``text`` is not an acceptable month (None when it is)."""
    m = _MONTH.match(text)
    if not m:
        return f"{text!r} is not a month"
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        return f"{text!r} is not a month (month {m.group(2)})"
    if year < FIRST_YEAR:
        return f"{text!r} is not a month (year {m.group(1)})"
    if not future_ok and text > current_month():
        return f"{text!r} is a month in the future"
    return None


EXPECTED = f"a month YYYY-MM from {FIRST_YEAR}-01, not in the future"
