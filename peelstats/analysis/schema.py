"""The one tidy schema of every ``tables/estimates.csv`` (documented in docs/outputs.md).

Rows come from the figures of frozen results (``peelstats.analysis.results.Figure.row``):
each names the months it is about (``period_start``, ``period_end``) and, where months apply,
how many of them the data has (``months_with_data`` of ``months_in_period``).

Text from data (an audit's group or category label) reaches these tables, so a cell a
spreadsheet would run as a formula is written with a leading quote
(:mod:`peelstats.data.safe_csv`, the rule every CSV peelstats writes follows);
:func:`read_estimates` gives the text back exactly.
"""

from __future__ import annotations

import pandas as pd

from peelstats.data.safe_csv import csv_text, restore_frame

ESTIMATE_COLUMNS = [
    "force",
    "period",
    "measure",
    "group",
    "period_start",
    "period_end",
    "months_with_data",
    "months_in_period",
    "numerator",
    "denominator",
    "estimate",
    "lower",
    "upper",
    "method",
    "confidence",
    "p_value",
    "flags",
]


_MONTH_COUNTS = ("months_with_data", "months_in_period")


def write_estimates(frame: pd.DataFrame, path) -> None:
    """Write an estimates table deterministically (fixed float format, LF line endings, text a
    spreadsheet would run as a formula neutralised)."""
    frame = frame.reindex(columns=ESTIMATE_COLUMNS)
    # the two month counts as nullable integers (a whole-frame astype copies every column)
    frame = frame.assign(**{c: frame[c].astype("Int64") for c in _MONTH_COUNTS})
    text = csv_text(frame, index=False, float_format="%.10g", lineterminator="\n")
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def read_estimates(path, **read_csv) -> pd.DataFrame:
    """An estimates table written by :func:`write_estimates`, its text as it was before
    neutralising (``read_csv``'s arguments as given)."""
    return restore_frame(pd.read_csv(path, **read_csv))
