"""Text alternatives of the interval and process-control charts."""

from __future__ import annotations

import pandas as pd

from peelstats.report.wording.cells import DASH, cell_count, cell_number
from peelstats.report.wording.common import capitalise, count_words
from peelstats.report.wording.numbers import conf
from peelstats.vocabulary import month_name

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
    gaps = f"; {count_words(missing, 'month')} without data left as gaps" if missing else ""
    if special:
        marked = (
            f"{capitalise(count_words(special, 'month'))} {'is' if special == 1 else 'are'} "
            "marked as a special cause (a diamond, in red)."
        )
    else:
        marked = "No month is a special cause."
    return (
        f"Process control chart (XmR) of stop and searches in each of {len(spc)} months, with "
        f"the centre line and control limits{gaps}. {marked} The numbers behind the chart are "
        "in the table after it."
    )


# ----------------------------------------------------------------------------- tables


def spc_data_table(spc: pd.DataFrame) -> pd.DataFrame:
    """The numbers behind the XmR chart, one row per month."""
    return pd.DataFrame(
        {
            "Month": [month_name(m) for m in spc["month"]],
            "Searches": [cell_count(v) if pd.notna(v) else "no data" for v in spc["value"]],
            "Centre line": [cell_number(v, 1) if pd.notna(v) else DASH for v in spc["centre"]],
            "Lower limit": [cell_number(v, 1) if pd.notna(v) else DASH for v in spc["lower"]],
            "Upper limit": [cell_number(v, 1) if pd.notna(v) else DASH for v in spc["upper"]],
            "Special cause": ["yes" if s else "no" for s in spc["special_cause"]],
        }
    )
