"""Quarter by quarter: the last 8 quarters to the end of the report's period, the table an
analyst pastes into the quarterly Panel paper.

For each quarter: searches (Poisson interval), the Black/White rate ratio (exact conditional
interval; Census 2021 residents), the linked find rate and the arrest rate (Wilson score
intervals), with the months the data has. The trend in quarterly searches is tested with
quasi-Poisson regression on the quarter's position (quarters with a missing month keep their
place and are left out of the fit), with the Mann-Kendall test beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from peelstats import stats
from peelstats.analysis.params import Params
from peelstats.analysis.results import Figure, Table, num, register
from peelstats.analysis.searches import (
    ETHNICITY_COLUMN,
    ETHNICITY_UNUSABLE,
    LINKED_LOWER_BOUND,
    LINKED_UNMEASURABLE,
    SearchData,
    coverage_for,
    group_populations,
    population_base,
)
from peelstats.vocabulary import ALL, GROUPS, REFERENCE_GROUP, Methods, month_period

QUARTERS = 8
#: the trend is tested only with at least this many complete quarters
MIN_TREND_QUARTERS = 6


@register
@dataclass(frozen=True)
class QuarterTrend:
    """Trend in quarterly searches: quasi-Poisson % change a quarter and Mann-Kendall."""

    quarters_used: int
    percent_per_quarter: float | None
    lower: float | None
    upper: float | None
    p_value: float | None
    significant: bool
    direction: str
    kendall_p_value: float | None
    confidence: float


@register
@dataclass(frozen=True)
class QuartersResult:
    """The last 8 quarters for one force."""

    section: str
    force: str
    force_name: str
    period: str
    quarters: tuple[str, ...]
    definition: str
    confidence: float
    status: str  # 'ok' or 'no_data'
    population_base: str
    figures: tuple[Figure, ...]
    table: Table | None
    trend: QuarterTrend | None
    #: False when the year's searches mostly have no recorded ethnicity: no ratio is given
    ethnicity_usable: bool = True

    def measure(self, measure: str) -> list[Figure]:
        return [f for f in self.figures if f.measure == measure]


def quarter_label(month: str) -> str:
    p = month_period(month)
    return f"{p.year}Q{(p.month - 1) // 3 + 1}"


def last_quarters(end_month: str, n: int = QUARTERS) -> list[tuple[str, list[str]]]:
    """(label, its 3 months) for the ``n`` quarters ending with ``end_month``'s quarter."""
    end = month_period(end_month)
    out = []
    for k in range(n - 1, -1, -1):
        last = end - 3 * k
        months = [str(last - 2), str(last - 1), str(last)]
        out.append((quarter_label(months[-1]), months))
    return out


def _trend(counts: np.ndarray, complete: np.ndarray, confidence: float) -> QuarterTrend | None:
    used = np.where(complete, counts.astype(float), np.nan)
    n_used = int(np.isfinite(used).sum())
    if n_used < MIN_TREND_QUARTERS or np.nansum(used) == 0:
        return None
    times = np.arange(len(counts))
    glm = stats.trend_test(used, times=times, method="quasi-poisson", confidence=confidence)
    mk = stats.trend_test(used, times=times, method="mann-kendall", confidence=confidence)
    return QuarterTrend(
        quarters_used=n_used, percent_per_quarter=num(glm.estimate), lower=num(glm.lower),
        upper=num(glm.upper), p_value=num(glm.pvalue), significant=bool(glm.significant),
        direction=str(glm.direction), kendall_p_value=num(mk.pvalue), confidence=confidence,
    )  # fmt: skip


def build(data: SearchData, params: Params) -> QuartersResult:
    """The last 8 quarters to the end of ``params.period`` for ``params.force``."""
    force, period = params.force, params.period
    definition, confidence = params.ethnicity_definition, params.confidence
    column = ETHNICITY_COLUMN[definition]
    quarters = last_quarters(period.end)
    labels = tuple(q for q, _ in quarters)
    rows = data.searches[data.searches["force"] == force]
    population = group_populations(data, force)
    year_total = int(rows.loc[rows["month"].isin(period.months), "searches"].sum())
    year_cov = coverage_for(data, force, period.months)
    pop_base = population_base(force, population, year_total, len(year_cov.present))
    in_year = rows[rows["month"].isin(year_cov.present)]
    unknown = int(in_year.loc[~in_year[column].isin(GROUPS), "searches"].sum())
    ethnicity_usable = year_total > 0 and unknown / year_total <= ETHNICITY_UNUSABLE
    common = dict(
        section="quarters", force=force, force_name=params.force_name, period=period.label,
        quarters=labels, definition=definition, confidence=confidence, population_base=pop_base,
        ethnicity_usable=ethnicity_usable,
    )  # fmt: skip
    if rows.empty:
        return QuartersResult(**common, status="no_data", figures=(), table=None, trend=None)
    figures: list[Figure] = []
    table_rows = []
    counts, complete = [], []
    for label, months in quarters:
        cov = coverage_for(data, force, months)
        q = rows[rows["month"].isin(cov.present)]
        n = int(q["searches"].sum())
        counts.append(n)
        complete.append(cov.complete)
        flags = tuple(dict.fromkeys([*cov.flags, *(["part_quarter"] if cov.missing else [])]))
        span = dict(period_start=months[0], period_end=months[-1], coverage=cov)
        if not cov.present:  # no file for any of its months: nothing is known, not zero
            figures.append(
                Figure("searches_in_quarter", label, None, method=Methods.COUNT, flags=("no_data",),
                       **span)
            )  # fmt: skip
            table_rows.append({"quarter": label, "months_with_data": 0, "searches": None})
            continue
        ci = stats.rate_ci(n, 1, per=1, confidence=confidence)
        figures.append(
            Figure("searches_in_quarter", label, float(n), num(ci.lower), num(ci.upper),
                   numerator=float(n), method=Methods.COUNT_POISSON,
                   method_args={"interval": ci.method}, confidence=confidence, flags=flags, **span)
        )  # fmt: skip
        row = {"quarter": label, "months_with_data": len(cov.present), "searches": n}
        if pop_base == "residents" and ethnicity_usable and n > 0:
            by = q.groupby(column)["searches"].sum()
            black, white = int(by.get("Black", 0)), int(by.get(REFERENCE_GROUP, 0))
            if white > 0:
                rr = stats.rate_ratio(black, int(population.loc["Black"]), white,
                                      int(population.loc[REFERENCE_GROUP]), method="exact",
                                      confidence=confidence)  # fmt: skip
                fig = Figure(
                    "search_rate_ratio_vs_white_in_quarter", label, num(rr.estimate),
                    num(rr.lower), num(rr.upper), numerator=float(black),
                    denominator=float(population.loc["Black"]),
                    method=Methods.QUARTER_RATE_RATIO, confidence=confidence,
                    flags=(*flags, *(["small_numbers"] if rr.small_numbers else [])), **span,
                )  # fmt: skip
                figures.append(fig)
                row.update(ratio=fig.estimate, ratio_lower=fig.lower, ratio_upper=fig.upper)
        action = q["outcome_class"].isin(["arrest", "other_action"])
        actions = int(q.loc[action, "searches"].sum())
        blank = int(q.loc[action & ~q["linked_recorded"], "searches"].sum())
        blank_share = blank / actions if actions else 0.0
        linked_flag = (
            "linked_not_recorded" if blank_share > LINKED_UNMEASURABLE
            else "linked_lower_bound" if blank_share > LINKED_LOWER_BOUND else None
        )  # fmt: skip
        for measure, mask, extra in (
            ("linked_find_rate_in_quarter", q["linked_find"], linked_flag),
            ("arrest_rate_in_quarter", q["outcome_class"] == "arrest", None),
        ):
            if n == 0 or extra == "linked_not_recorded":
                continue
            x = int(q.loc[mask, "searches"].sum())
            p = stats.proportion_ci(x, n, confidence=confidence)
            figures.append(
                Figure(measure, label, num(p.estimate), num(p.lower), num(p.upper),
                       numerator=float(x), denominator=float(n),
                       method=Methods.PROPORTION, confidence=confidence,
                       flags=(*flags, *([extra] if extra else []),
                              *(["small_numbers"] if p.small_numbers else [])), **span)
            )  # fmt: skip
            key = measure.replace("_in_quarter", "")
            row.update({key: num(p.estimate), f"{key}_lower": num(p.lower),
                        f"{key}_upper": num(p.upper)})  # fmt: skip
            if extra:
                row[f"{key}_note"] = "lower bound"
        table_rows.append(row)
    trend = _trend(np.array(counts), np.array(complete), confidence)
    frame = pd.DataFrame(table_rows)
    return QuartersResult(
        **common, status="ok", figures=tuple(figures), table=Table.from_frame(frame), trend=trend
    )


__all__ = ["QuartersResult", "build", "last_quarters", "quarter_label", "ALL"]
