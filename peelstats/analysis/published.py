"""The inspectorate's published figures, beside the report's own nearest figures.

- ``build_stop_search(data, params)``: published stop-and-search figures
  (``published_figures.csv``: searches, change, Black/White ratio, linked find rate) beside the
  figures this report computes for its own year, with the differences named as data: period,
  source, definition and population base.
- ``build_outcomes(data, params)``: published outcome-type rates (``published_outcomes.csv``,
  e.g. PEEL Figure 2) with Wilson intervals on the counts the published percent and number of
  crimes imply, compared with the published England and Wales rate as a fixed reference.

Published figures keep their own period; none is recomputed or re-labelled with the run's
confidence level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from peelstats import stats
from peelstats.analysis.inspection import InspectionData
from peelstats.analysis.params import Params
from peelstats.analysis.results import Figure, num, register
from peelstats.vocabulary import Methods, month_period

#: The published stop-and-search measures set beside this report's figures here (those of use
#: of force are the use of force section's: :mod:`peelstats.analysis.use_of_force`).
STOP_SEARCH_MEASURES = (
    "searches",
    "searches_change_vs_previous_year_percent",
    "search_rate_per_1000",
    "search_rate_ratio_vs_white",
    "linked_find_rate",
    "arrest_rate",
)
#: What this project's own figures are made from, for naming differences.


@register
@dataclass(frozen=True)
class PublishedFigure:
    """One published figure, as published."""

    measure: str
    group: str
    value: float
    unit: str
    period_from: str
    period_to: str
    published: str
    data_source: str
    population_base: str
    definition: str
    quote: str
    source: str
    #: where the inspectorate placed the force, in its words ("the lowest ... in England and
    #: Wales"), or ""
    standing: str = ""


@register
@dataclass(frozen=True)
class Beside:
    """A published figure beside our nearest one. ``differences`` are codes: 'period' (the
    months differ), 'source' (theirs from another source), 'population_base' (their base is not
    ours: another population, or ours by officer-defined ethnicity); ``overlap`` the months both
    periods share; ``position`` where the published value lies against our interval ('inside',
    'above', 'below', or '' without an interval)."""

    published: PublishedFigure
    ours: Figure | None
    differences: tuple[str, ...]
    overlap: int
    definition: str = "self"
    position: str = ""


@register
@dataclass(frozen=True)
class PublishedStopSearch:
    section: str
    force: str
    force_name: str
    period: str
    published: str
    rows: tuple[Beside, ...]
    figures: tuple[Figure, ...]

    @property
    def status(self) -> str:
        return "ok" if self.rows else "no_data"


def _months(start: str, end: str) -> set[str]:
    a, b = month_period(start), month_period(end)
    return {str(a + k) for k in range((b - a).n + 1)}


def published_row(row: pd.Series) -> PublishedFigure:
    return PublishedFigure(
        measure=row["measure"],
        group=row["group"],
        value=float(row["value"]),
        unit=row["unit"],
        period_from=row["period_from"],
        period_to=row["period_to"],
        published=row.get("published", "") or "",
        data_source=row.get("data_source", "") or "",
        population_base=row.get("population_base", "") or "",
        definition=row.get("definition", "") or "",
        quote=row.get("quote", "") or "",
        source=row["source"],
        standing=row.get("standing", "") or "",
    )


def _position(pub: PublishedFigure, mine: Figure | None) -> str:
    """Where the published value lies against our interval: 'inside', 'above' or 'below' (''
    when ours has no interval or the two are in different units)."""
    if mine is None or not mine.has_interval:
        return ""
    scale = 0.01 if pub.unit == "percent" and pub.measure.endswith("_rate") else 1.0
    least = 0 if pub.unit == "count" else 1
    half = rounding_half_width(pub.value, least) * scale  # a published 2.4 is 2.35 to 2.45
    low, high = pub.value * scale - half, pub.value * scale + half
    if high < mine.lower:
        return "below"
    if low > mine.upper:
        return "above"
    return "inside"


def rounding_half_width(value: float, least: int = 0) -> float:
    """Half the last published digit: 0.05 for 2.4 or 12.7, 0.5 for 2,231 (a figure rounded
    to its printed digits may lie that far either side); ``least`` decimals at the fewest (a
    percent published as 0.0 read back as 0 still had one decimal)."""
    text = repr(float(value))
    decimals = 0 if text.endswith(".0") else len(text.partition(".")[2])
    return 0.5 * 10.0 ** -max(decimals, least)


def build_stop_search(data: InspectionData, params: Params) -> PublishedStopSearch:
    """Each published figure beside the same measure and group of this report's own
    stop-and-search result (``data.ours``, for the report's period), the differences named."""
    rows, ours = data.rows("published_figures.csv"), data.ours
    rows = rows[rows["measure"].isin(STOP_SEARCH_MEASURES)]  # use of force: its own section
    besides, figures = [], []
    for _, row in rows.iterrows():
        pub = published_row(row)
        mine = ours.figure(pub.measure, pub.group) if ours is not None else None
        if mine is not None and mine.estimate is None:
            mine = None
        differences = []
        overlap = 0
        if mine is not None and mine.coverage is not None:
            theirs = _months(pub.period_from, pub.period_to)
            overlap = len(theirs & set(mine.coverage.present))
            if theirs != set(mine.coverage.present):
                differences.append("period")
        if pub.data_source and mine is not None:
            differences.append("source")
        if pub.measure in ("search_rate_ratio_vs_white", "search_rate_per_1000") and (
            mine is not None
            and (
                (pub.population_base and "2021" not in pub.population_base)
                or params.ethnicity_definition != "self"
            )
        ):
            differences.append("population_base")
        besides.append(
            Beside(
                pub,
                mine,
                tuple(differences),
                overlap,
                params.ethnicity_definition,
                _position(pub, mine),
            )  # fmt: skip
        )
        scale = 0.01 if pub.unit == "percent" and pub.measure.endswith("_rate") else 1.0
        figures.append(
            Figure(
                f"published_{pub.measure}", pub.group, pub.value * scale,
                method=Methods.AS_PUBLISHED,
                method_args={"source": pub.source, "data_source": pub.data_source},
                flags=("as_published", "no_interval"), period_start=pub.period_from,
                period_end=pub.period_to,
            )
        )  # fmt: skip
    dates = [b.published.published for b in besides if b.published.published]
    return PublishedStopSearch(
        section="published_figures",
        force=params.force,
        force_name=params.force_name,
        period=params.period.label,
        published=max(dates) if dates else "",
        rows=tuple(besides),
        figures=tuple(figures),
    )


@register
@dataclass(frozen=True)
class PublishedOutcome:
    """A published outcome-type rate with an interval on its implied count (at the run's
    confidence) and how it compares with the published England and Wales rate."""

    outcome_types: str
    outcome_label: str
    force_percent: float
    england_wales_percent: float
    crimes: int
    implied_count: int
    lower: float | None
    upper: float | None
    versus: str  # 'higher', 'lower' or 'not_different'


@register
@dataclass(frozen=True)
class PublishedOutcomes:
    section: str
    force: str
    force_name: str
    period: str
    confidence: float
    period_words: str
    period_from: str
    period_to: str
    published: str
    rows: tuple[PublishedOutcome, ...]
    figures: tuple[Figure, ...]
    sources: tuple[str, ...]

    @property
    def status(self) -> str:
        return "ok" if self.rows else "no_data"


def build_outcomes(data: InspectionData, params: Params) -> PublishedOutcomes:
    """Each published outcome-type rate with a Wilson interval on the counts it implies. A
    published percent is rounded (6.4 may be 6.35 to 6.45; 0.0 may be up to 0.049), so the
    interval runs from the lower limit of the smallest count the rounded percent allows to the
    upper limit of the largest: never narrower than the published figure's own precision. The
    force is higher or lower than England and Wales only where that interval clears the
    published England and Wales rate's own rounding range."""
    rows, confidence = data.rows("published_outcomes.csv"), params.confidence
    out, figures = [], []
    if not rows.empty:
        n = rows["crimes"].astype(float).to_numpy()
        p = rows["force_percent"].to_numpy() / 100
        half = np.array([rounding_half_width(v, 1) for v in rows["force_percent"]]) / 100
        x = np.round(p * n)
        x_low = np.floor(np.clip(p - half, 0, 1) * n)
        x_high = np.minimum(np.ceil(np.clip(p + half, 0, 1) * n), n)
        lower = np.atleast_1d(
            stats.proportion_ci(x_low, n, method="wilson", confidence=confidence).lower
        )
        upper = np.atleast_1d(
            stats.proportion_ci(x_high, n, method="wilson", confidence=confidence).upper
        )
        for i, (_, r) in enumerate(rows.iterrows()):
            ew = r["england_wales_percent"] / 100
            ew_half = rounding_half_width(r["england_wales_percent"], 1) / 100
            versus = (
                "higher"
                if ew + ew_half < lower[i]
                else ("lower" if ew - ew_half > upper[i] else "not_different")
            )
            out.append(
                PublishedOutcome(
                    outcome_types=r["outcome_types"], outcome_label=r["outcome_label"],
                    force_percent=float(r["force_percent"]),
                    england_wales_percent=float(r["england_wales_percent"]),
                    crimes=int(r["crimes"]), implied_count=int(x[i]), lower=num(lower[i]),
                    upper=num(upper[i]), versus=versus,
                )
            )  # fmt: skip
            figures.append(
                Figure(
                    "published_outcome_rate", r["outcome_types"].replace(";", " and "),
                    float(r["force_percent"]) / 100, num(lower[i]), num(upper[i]),
                    numerator=float(x[i]), denominator=float(n[i]),
                    method=Methods.PUBLISHED_IMPLIED,
                    confidence=confidence,
                    flags=("as_published", "count_implied", f"{versus}_than_england_and_wales"
                           if versus != "not_different" else ""),
                    period_start=r.get("period_from", "") or "",
                    period_end=r.get("period_to", "") or "",
                )
            )  # fmt: skip
    first = rows.iloc[0] if not rows.empty else {}
    dates = [d for d in (rows["published"] if "published" in rows else []) if d]
    return PublishedOutcomes(
        section="published_outcomes",
        force=params.force,
        force_name=params.force_name,
        period=params.period.label,
        confidence=confidence,
        period_words=str(first.get("period", "")) if len(rows) else "",
        period_from=str(first.get("period_from", "")) if len(rows) else "",
        period_to=str(first.get("period_to", "")) if len(rows) else "",
        published=max(dates) if dates else "",
        rows=tuple(out),
        figures=tuple(
            Figure(**{**f.__dict__, "flags": tuple(x for x in f.flags if x)}) for f in figures
        ),
        sources=tuple(dict.fromkeys(rows["source"])) if len(rows) else (),
    )
