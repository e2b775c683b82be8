"""Chart data of results: the tidy frames the charts draw (no statistics here; labels from
:mod:`peelstats.report.wording`)."""

from __future__ import annotations

import pandas as pd

from peelstats.report.wording.cells import group_label
from peelstats.report.wording.quarters import quarter_short


def interval_frame(r, measure: str, groups=None, scale: float = 1.0) -> pd.DataFrame:
    """Chart rows: group, estimate, lower, upper (scaled), only figures with an interval."""
    rows = []
    for fig in r.figures:
        if fig.measure != measure or (groups is not None and fig.group not in groups):
            continue
        if fig.estimate is None or not fig.has_interval:
            continue
        rows.append(
            {
                "group": group_label(fig.group),
                "estimate": fig.estimate * scale,
                "lower": fig.lower * scale,
                "upper": fig.upper * scale,
            }
        )
    return pd.DataFrame(rows, columns=["group", "estimate", "lower", "upper"])


def monthly_frame(r) -> pd.DataFrame:
    """The monthly SPC table with the month as a date, for the chart."""
    spc = r.spc.frame()
    spc["date"] = pd.to_datetime(spc["month"])
    return spc


def funnel_frames(funnel):
    return funnel.points.frame(), funnel.limits.frame()


def share_frame(r, measure: str) -> pd.DataFrame:
    """Chart data: share per category with its interval, in percent."""
    rows = [f for f in r.figures if f.measure == measure and f.estimate is not None]
    return pd.DataFrame(
        {
            "group": [f.group for f in rows],
            "estimate": [f.estimate * 100 for f in rows],
            "lower": [f.lower * 100 for f in rows],
            "upper": [f.upper * 100 for f in rows],
        }
    )


def quarters_ratio_frame(q) -> pd.DataFrame:
    rows = [f for f in q.figures if f.measure == "search_rate_ratio_vs_white_in_quarter"
            and f.estimate is not None and f.lower is not None]  # fmt: skip
    return pd.DataFrame(
        {
            "group": [quarter_short(f.group) for f in rows],
            "estimate": [f.estimate for f in rows],
            "lower": [f.lower for f in rows],
            "upper": [f.upper for f in rows],
        }
    )
