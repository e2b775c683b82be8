"""Text alternatives of the interval and process-control charts."""

from __future__ import annotations

from peelstats.report.wording.numbers import conf

# ----------------------------------------------------------------------------- chart text


def interval_chart_alt(what: str, r) -> str:
    """Text alternative of an interval chart whose numbers are in the table above it."""
    return (
        f"Chart: {what}, each point with its {conf(r.confidence)} confidence interval as a "
        "line. The numbers are in the table above."
    )


def spc_chart_alt(spc) -> str:
    """Text alternative of the XmR chart: what it shows and how many special causes."""
    present = spc.dropna(subset=["value"])
    special = int(present["special_cause"].sum())
    missing = len(spc) - len(present)
    gaps = f"; {missing} month{'s' if missing != 1 else ''} without data left as gaps" if missing \
        else ""  # fmt: skip
    return (
        f"Process control chart (XmR) of stop and searches in each of {len(spc)} months, with "
        f"the centre line and control limits{gaps}. {special} month"
        f"{'s are' if special != 1 else ' is'} marked as a special cause (a diamond, in red). "
        "The data behind the chart follows it."
    )
