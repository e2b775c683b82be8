"""The one tidy schema of every ``tables/estimates.csv`` (documented in docs/outputs.md)."""

from __future__ import annotations

import numpy as np
import pandas as pd

ESTIMATE_COLUMNS = [
    "force",
    "period",
    "measure",
    "group",
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


def estimate_rows(
    measure: str,
    group,
    *,
    numerator=np.nan,
    denominator=np.nan,
    estimate,
    lower,
    upper,
    method: str,
    confidence: float,
    p_value=np.nan,
    flags="",
) -> pd.DataFrame:
    """Rows of the estimates schema for one measure (force and period are filled in later)."""
    frame = pd.DataFrame(
        {
            "measure": measure,
            "group": group,
            "numerator": numerator,
            "denominator": denominator,
            "estimate": estimate,
            "lower": lower,
            "upper": upper,
            "method": method,
            "confidence": confidence,
            "p_value": p_value,
            "flags": flags,
        },
        index=range(len(np.atleast_1d(group))),
    )
    return frame


def finish(frame: pd.DataFrame, force: str, period: str) -> pd.DataFrame:
    """Stamp force and period, order the columns, and sort rows for byte-identical output."""
    frame = frame.copy()
    frame["force"] = force
    frame["period"] = period
    frame["flags"] = frame["flags"].fillna("")
    return frame[ESTIMATE_COLUMNS].reset_index(drop=True)


def write_estimates(frame: pd.DataFrame, path) -> None:
    """Write an estimates table deterministically (fixed float format, LF line endings)."""
    frame.to_csv(path, index=False, float_format="%.10g", lineterminator="\n")
