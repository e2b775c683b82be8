"""The one tidy schema of every ``tables/estimates.csv`` (documented in docs/outputs.md).

Rows come from the figures of frozen results (``peelstats.analysis.results.Figure.row``):
each names the months it is about (``period_start``, ``period_end``) and, where months apply,
how many of them the data has (``months_with_data`` of ``months_in_period``).
"""

from __future__ import annotations

import pandas as pd

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


def write_estimates(frame: pd.DataFrame, path) -> None:
    """Write an estimates table deterministically (fixed float format, LF line endings)."""
    frame = frame.reindex(columns=ESTIMATE_COLUMNS)
    frame = frame.astype({"months_with_data": "Int64", "months_in_period": "Int64"})
    frame.to_csv(path, index=False, float_format="%.10g", lineterminator="\n")
