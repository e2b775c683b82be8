"""Stop and search for one force and one 12-month period: ``build(data, params)``.

Joins the data layer (searches by force, month, ethnic group and outcome; Census 2021
populations; the coverage report; the all-forces comparison of the period) to the statistics
module, and returns a frozen :class:`StopSearchResult`. Notebooks display it;
:mod:`peelstats.report.wording` writes its sentences. Definitions (docs/methods.md):

- every figure covers the months the data has of the period (``Coverage``); a count or a rate
  over part of a year says so and is not annualised;
- rates per 1,000 use Census 2021 usual residents of the police force area by self-defined
  ethnic group, as the Home Office does; searches with no recorded ethnicity count in the rate
  for all people but in no group's;
- the linked find rate is the share of searches whose outcome was linked to the object of the
  search and was not "no further action"; a blank linked field is unknown, not "not found";
- the change on the year before compares the months present in both years.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from peelstats import stats
from peelstats.analysis.funnels import Funnel, all_forces_summary, funnel_levels, funnels
from peelstats.analysis.params import Params
from peelstats.analysis.results import Caveat, Figure, Table, find, num, register
from peelstats.analysis.searches import (
    Recording,
    SearchData,
    coverage_for,
    ethnicity_recording,
    group_counts,
    group_populations,
    linked_recording,
    matched_months,
    officer_groups_not_used,
    population_base,
)
from peelstats.vocabulary import (
    ALL,
    GROUPS,
    REFERENCE_GROUP,
    UNKNOWN,
    Caveats,
    Coverage,
    Methods,
    Period,
)

BY_GROUP_MEASURES = (
    "search_rate_per_1000",
    "search_rate_ratio_vs_white",
    "search_rate_ratio_vs_white_min",
    "search_rate_ratio_vs_white_max",
    "arrest_rate",
    "arrest_rate_difference_vs_white",
    "linked_find_rate",
    "linked_find_rate_difference_vs_white",
)
# ----------------------------------------------------------------------------- result types


@register
@dataclass(frozen=True)
class Trend:
    """The monthly trend in searches over the 24 months of the comparison (months without
    data keep their place in time). Quasi-Poisson: % change a month; Mann-Kendall beside it."""

    coverage: Coverage
    estimate: float | None
    lower: float | None
    upper: float | None
    p_value: float | None
    significant: bool
    direction: str
    dispersion: float | None
    confidence: float
    kendall_p_value: float | None
    kendall_significant: bool
    kendall_direction: str


@register
@dataclass(frozen=True)
class StopSearchResult:
    """Everything the stop-and-search section reports, for one force and period."""

    section: str
    force: str
    force_name: str
    period: str
    months: tuple[str, ...]
    previous_months: tuple[str, ...]
    definition: str
    confidence: float
    status: str  # 'ok' or 'no_data'
    coverage: Coverage
    previous_coverage: Coverage
    population_base: str  # 'residents', 'none' or 'unrepresentative'
    ethnicity: Recording | None
    linked: Recording | None
    figures: tuple[Figure, ...]
    monthly: Table | None
    trend: Trend | None
    spc: Table | None
    funnels: tuple[Funnel, ...]
    caveats: tuple[Caveat, ...]

    def figure(self, measure: str, group: str = ALL) -> Figure | None:
        return find(self.figures, measure, group)

    @property
    def headline(self) -> tuple[Figure, ...]:
        """The figures an index row or a summary leads with (those that exist)."""
        keys = [
            ("searches", ALL),
            ("searches_change_vs_previous_year_percent", ALL),
            ("search_rate_ratio_vs_white", "Black"),
            ("linked_find_rate", ALL),
        ]
        return tuple(f for f in (self.figure(m, g) for m, g in keys) if f is not None)


# ----------------------------------------------------------------------------- figures


def _flags(*parts) -> tuple[str, ...]:
    out: list[str] = []
    for part in parts:
        if not part:
            continue
        out.extend([part] if isinstance(part, str) else list(part))
    return tuple(dict.fromkeys(out))


def _small(value) -> bool:
    return bool(np.any(value))


def _count_figures(counts, coverage, confidence) -> list[Figure]:
    groups = [*GROUPS, UNKNOWN, ALL]
    n = counts.loc[groups, "searches"].to_numpy()
    ci = stats.rate_ci(n, 1, per=1, confidence=confidence)
    out = []
    for i, group in enumerate(groups):
        out.append(
            Figure(
                "searches",
                group,
                float(n[i]),
                num(np.atleast_1d(ci.lower)[i]),
                num(np.atleast_1d(ci.upper)[i]),
                numerator=float(n[i]),
                method=Methods.COUNT_POISSON,
                method_args={"interval": ci.method},
                confidence=confidence,
                flags=_flags(
                    coverage.flags, "small_numbers" if np.atleast_1d(ci.small_numbers)[i] else ""
                ),
                coverage=coverage,
            )
        )
    return out


def _rate_figures(counts, population, coverage, confidence, extra_flags) -> list[Figure]:
    groups = [*GROUPS, ALL]
    n = counts.loc[groups, "searches"].to_numpy()
    pop = population.loc[groups].to_numpy()
    rate = stats.rate_ci(n, pop, per=1000, confidence=confidence)
    part = "part_year" if coverage.missing else ""
    out = []
    for i, group in enumerate(groups):
        out.append(
            Figure(
                "search_rate_per_1000",
                group,
                num(np.atleast_1d(rate.estimate)[i]),
                num(np.atleast_1d(rate.lower)[i]),
                num(np.atleast_1d(rate.upper)[i]),
                numerator=float(n[i]),
                denominator=float(pop[i]),
                method=Methods.RATE_POISSON,
                method_args={"interval": rate.method},
                confidence=confidence,
                flags=_flags(
                    coverage.flags,
                    part,
                    extra_flags if group != ALL else (),
                    "small_numbers" if np.atleast_1d(rate.small_numbers)[i] else "",
                ),
                coverage=coverage,
            )
        )
    return out


def _ratio_figures(counts, population, coverage, confidence, extra_flags) -> list[Figure]:
    others = [g for g in GROUPS if g != REFERENCE_GROUP]
    a = counts.loc[others, "searches"].to_numpy()
    pa = population.loc[others].to_numpy()
    ref_n, ref_pop = counts.loc[REFERENCE_GROUP, "searches"], population.loc[REFERENCE_GROUP]
    ratio = stats.rate_ratio(
        a, pa, np.full(len(others), ref_n), np.full(len(others), ref_pop),
        method="exact", confidence=confidence,
    )  # fmt: skip
    out = []
    for i, group in enumerate(others):
        lo, hi = num(np.atleast_1d(ratio.lower)[i]), num(np.atleast_1d(ratio.upper)[i])
        est = num(np.atleast_1d(ratio.estimate)[i])
        sig = None
        if lo is not None and hi is not None and est is not None:
            sig = bool(lo > 1 or hi < 1)
        direction = None if sig is None else ("none" if not sig else ("increase" if lo > 1 else
                                                                        "decrease"))  # fmt: skip
        out.append(
            Figure(
                "search_rate_ratio_vs_white",
                group,
                est,
                lo,
                hi,
                numerator=float(a[i]),
                denominator=float(pa[i]),
                method=Methods.RATE_RATIO,
                method_args={"interval": ratio.method},
                confidence=confidence,
                p_value=num(np.atleast_1d(ratio.pvalue)[i]),
                flags=_flags(
                    coverage.flags,
                    extra_flags,
                    "small_numbers" if np.atleast_1d(ratio.small_numbers)[i] else "",
                ),
                coverage=coverage,
                significant=sig,
                direction=direction,
            )
        )
    return out


def _bound_figures(counts, population, coverage, confidence, extra_flags) -> list[Figure]:
    """Bounds on each ratio against White from the searches with no recorded ethnicity: all of
    them allocated to White (``_min``: the lowest the ratio could be) or all to the group
    (``_max``: the highest). Allocating them in proportion to the recorded groups leaves the
    ratio as it is. Each bound with its exact conditional interval."""
    unknown = int(counts.loc[UNKNOWN, "searches"])
    others = [g for g in GROUPS if g != REFERENCE_GROUP]
    ref_n, ref_pop = int(counts.loc[REFERENCE_GROUP, "searches"]), population.loc[REFERENCE_GROUP]
    out = []
    for suffix, add_group, add_white in (("min", 0, unknown), ("max", unknown, 0)):
        a = counts.loc[others, "searches"].to_numpy() + add_group
        pa = population.loc[others].to_numpy()
        ratio = stats.rate_ratio(
            a, pa, np.full(len(others), ref_n + add_white), np.full(len(others), ref_pop),
            method="exact", confidence=confidence,
        )  # fmt: skip
        for i, group in enumerate(others):
            out.append(
                Figure(
                    f"search_rate_ratio_vs_white_{suffix}", group,
                    num(np.atleast_1d(ratio.estimate)[i]), num(np.atleast_1d(ratio.lower)[i]),
                    num(np.atleast_1d(ratio.upper)[i]), numerator=float(a[i]),
                    denominator=float(pa[i]),
                    method=Methods.RATE_RATIO_BOUND,
                    method_args={
                        "unknown": unknown,
                        "allocated_to": REFERENCE_GROUP if suffix == "min" else group,
                    },
                    confidence=confidence,
                    flags=_flags(coverage.flags, extra_flags, "unknown_ethnicity_allocated"),
                    coverage=coverage,
                )
            )  # fmt: skip
    return out


def _outcome_figures(counts, column, measure, coverage, confidence, flags) -> list[Figure]:
    """The outcome test: a proportion of searches per group, each compared with White."""
    groups = [*GROUPS, UNKNOWN, ALL]
    table = counts.loc[groups]
    usable = table["searches"] > 0
    by_group = {}
    if usable.any() and usable.get(REFERENCE_GROUP, False):
        result = stats.compare_groups(
            table.loc[usable, column].to_numpy(),
            table.loc[usable, "searches"].to_numpy(),
            groups=list(table.index[usable]),
            reference=REFERENCE_GROUP,
            confidence=confidence,
        ).to_frame()
        by_group = {r["group"]: r for _, r in result.iterrows()}
    elif usable.any():
        single = stats.proportion_ci(
            table.loc[usable, column].to_numpy(),
            table.loc[usable, "searches"].to_numpy(),
            confidence=confidence,
        ).to_frame()
        single["group"] = list(table.index[usable])
        by_group = {r["group"]: r for _, r in single.iterrows()}
    rates, diffs = [], []
    for group in groups:
        row = by_group.get(group)
        n = int(table.loc[group, "searches"])
        x = int(table.loc[group, column])
        small = bool(row is not None and row["small_numbers"]) or n < stats.MIN_N
        rates.append(
            Figure(
                measure,
                group,
                num(row["estimate"]) if row is not None else None,
                num(row["lower"]) if row is not None else None,
                num(row["upper"]) if row is not None else None,
                numerator=float(x),
                denominator=float(n),
                method=Methods.PROPORTION,
                confidence=confidence,
                p_value=(
                    num(row.get("difference_pvalue"))
                    if row is not None and group not in (ALL, UNKNOWN)
                    else None
                ),
                flags=_flags(coverage.flags, flags, "small_numbers" if small else ""),
                coverage=coverage,
            )
        )
        if group in (REFERENCE_GROUP, ALL, UNKNOWN) or group not in GROUPS:
            continue
        if row is None or "difference" not in row:
            diffs.append(
                Figure(
                    f"{measure}_difference_vs_white", group, None, numerator=float(x),
                    denominator=float(n), method=Methods.DIFFERENCE, confidence=confidence,
                    flags=_flags(coverage.flags, flags, "small_numbers"), coverage=coverage,
                )
            )  # fmt: skip
            continue
        lo, hi = num(row["difference_lower"]), num(row["difference_upper"])
        sig = bool(lo is not None and hi is not None and (lo > 0 or hi < 0))
        diffs.append(
            Figure(
                f"{measure}_difference_vs_white",
                group,
                num(row["difference"]),
                lo,
                hi,
                numerator=float(x),
                denominator=float(n),
                method=Methods.DIFFERENCE,
                confidence=confidence,
                p_value=num(row["difference_pvalue"]),
                flags=_flags(coverage.flags, flags, "small_numbers" if small else ""),
                coverage=coverage,
                significant=sig,
                direction=("increase" if lo > 0 else "decrease") if sig else "none",
            )
        )
    return rates + diffs


def _withhold(fig: Figure, flag: str) -> Figure:
    """The figure with estimate, interval and test blanked (counts kept) and a flag."""
    from dataclasses import replace

    return replace(
        fig,
        estimate=None,
        lower=None,
        upper=None,
        p_value=None,
        significant=None,
        direction=None,
        flags=_flags(fig.flags, flag),
    )


def change_vs_previous_year(
    data: SearchData, force: str, period: Period, confidence: float
) -> Figure | None:
    """Percentage change in searches on the previous 12 months, over months present in both
    (exact conditional Poisson rate ratio, minus 1)."""
    now = coverage_for(data, force, period.months)
    before = coverage_for(data, force, period.previous_months)
    matched_now, matched_before = matched_months(now, before, period)
    if not matched_now:
        return None
    current_n = int(group_counts(data, force, matched_now, "self").loc[ALL, "searches"])
    previous_n = int(group_counts(data, force, matched_before, "self").loc[ALL, "searches"])
    if current_n + previous_n == 0:
        return None
    ratio = stats.rate_ratio(current_n, 1, previous_n, 1, method="exact", confidence=confidence)
    est, lo, hi = (num((float(v) - 1) * 100) for v in (ratio.estimate, ratio.lower, ratio.upper))
    sig = bool(lo is not None and hi is not None and (lo > 0 or hi < 0))
    matched = Coverage(
        tuple(period.months),
        tuple(matched_now),
        tuple(m for m in now.repaired if m in matched_now),
    )
    return Figure(
        "searches_change_vs_previous_year_percent",
        ALL,
        est,
        lo,
        hi,
        numerator=float(current_n),
        denominator=float(previous_n),
        method=Methods.CHANGE_POISSON,
        method_args={"interval": ratio.method},
        confidence=confidence,
        p_value=num(ratio.pvalue),
        flags=_flags(
            "matched_months_only" if len(matched_now) < 12 else "",
            "repaired_months" if (now.repaired or before.repaired) else "",
            "small_numbers" if _small(ratio.small_numbers) else "",
        ),
        coverage=matched,
        significant=sig if est is not None else None,
        direction=(("increase" if lo > 0 else "decrease") if sig else "none")
        if est is not None
        else None,
    )


# ----------------------------------------------------------------------------- months


def monthly_series(data: SearchData, force: str, period: Period) -> pd.DataFrame:
    """Searches and linked finds per month over the 24 months of the comparison, one row per
    month with data; ``position`` is the month's place in the 24 (gaps keep their place)."""
    months = [*period.previous_months, *period.months]
    coverage = coverage_for(data, force, months)
    rows = data.searches[(data.searches["force"] == force) & data.searches["month"].isin(months)]
    rows = rows.assign(linked_finds=np.where(rows["linked_find"], rows["searches"], 0))
    series = (
        rows.groupby("month")[["searches", "linked_finds"]]
        .sum()
        .reindex(list(coverage.present), fill_value=0)
    )
    series.index.name = "month"
    series = series.reset_index()
    series["position"] = [months.index(m) for m in series["month"]]
    series["in_period"] = series["month"].isin(period.months)
    return series.astype({"searches": "int64", "linked_finds": "int64", "position": "int64"})


def monthly_trend(series: pd.DataFrame, months, confidence: float) -> Trend | None:
    """Quasi-Poisson regression of monthly searches (% change a month) and Mann-Kendall, each
    month at its own place in time (a month without data is a gap, not a closed-up step)."""
    if len(series) < 3 or series["searches"].sum() == 0:
        return None
    y = series["searches"].to_numpy()
    times = series["position"].to_numpy()
    glm = stats.trend_test(y, times=times, method="quasi-poisson", confidence=confidence)
    mk = stats.trend_test(y, times=times, method="mann-kendall", confidence=confidence)
    return Trend(
        coverage=Coverage(tuple(months), tuple(series["month"])),
        estimate=num(glm.estimate),
        lower=num(glm.lower),
        upper=num(glm.upper),
        p_value=num(glm.pvalue),
        significant=bool(glm.significant),
        direction=glm.direction,
        dispersion=num((glm.inputs or {}).get("dispersion")),
        confidence=confidence,
        kendall_p_value=num(mk.pvalue),
        kendall_significant=bool(mk.significant),
        kendall_direction=mk.direction,
    )


def monthly_spc(series: pd.DataFrame) -> pd.DataFrame | None:
    """XmR limits and special-cause flags for monthly searches (NHS Making Data Count)."""
    if len(series) < 2:
        return None
    spc = stats.spc_limits(series["searches"].to_numpy(), chart="xmr").to_frame()
    spc.insert(0, "month", series["month"].to_numpy())
    return spc[["month", "value", "centre", "lower", "upper", "special_cause"]]


# ----------------------------------------------------------------------------- build


def build(data: SearchData, params: Params) -> StopSearchResult:
    """Every stop-and-search figure for ``params.force`` and ``params.period``.

    The force is placed among all forces on the comparison ``data`` carries (computed once per
    quarter by a batch; here, only when the data has none).
    """
    force, period = params.force, params.period
    definition, confidence = params.ethnicity_definition, params.confidence
    coverage = coverage_for(data, force, period.months)
    previous = coverage_for(data, force, period.previous_months)
    counts = group_counts(data, force, coverage.present, definition)
    total = int(counts.loc[ALL, "searches"])
    base = dict(
        section="stop_search",
        force=force,
        force_name=params.force_name,
        period=period.label,
        months=tuple(period.months),
        previous_months=tuple(period.previous_months),
        definition=definition,
        confidence=confidence,
        coverage=coverage,
        previous_coverage=previous,
    )
    population = group_populations(data, force)
    pop_base = population_base(force, population, total, len(coverage.present))
    if coverage.empty or total == 0:
        return StopSearchResult(
            **base, status="no_data", population_base=pop_base, ethnicity=None, linked=None,
            figures=(), monthly=None, trend=None, spc=None, funnels=(),
            caveats=(Caveat(Caveats.NO_DATA, {"months_with_files": len(coverage.present)}),),
        )  # fmt: skip

    ethnicity = ethnicity_recording(counts)
    linked = linked_recording(counts)
    caveats: list[Caveat] = []
    if coverage.missing:
        caveats.append(
            Caveat(Caveats.MONTHS_MISSING, {"missing": list(coverage.missing), "expected": 12})
        )
    if coverage.repaired:
        caveats.append(Caveat(Caveats.MONTHS_REPAIRED, {"months": list(coverage.repaired)}))
    group_flags: tuple[str, ...] = ()
    if definition == "officer" and pop_base == "residents":
        group_flags = ("officer_defined_vs_census",)
        caveats.append(Caveat(Caveats.OFFICER_DEFINED_VS_CENSUS))
    unused = officer_groups_not_used(data, force) if definition == "officer" else ()
    if unused:
        caveats.append(Caveat(Caveats.OFFICER_GROUP_NOT_USED, {"groups": list(unused)}))
    if pop_base == "none":
        caveats.append(Caveat(Caveats.NO_RESIDENT_POPULATION))
    elif pop_base == "unrepresentative":
        caveats.append(
            Caveat(
                Caveats.RESIDENTS_UNREPRESENTATIVE,
                {
                    "residents": int(population.loc[ALL]),
                    "searches": total,
                    "months": len(coverage.present),
                },
            )
        )
    if ethnicity.status == "recorded" and ethnicity.blank:
        caveats.append(
            Caveat(
                Caveats.ETHNICITY_SOME_UNRECORDED,
                {"share": ethnicity.share, "definition": definition},
            )
        )
    if ethnicity.status != "recorded":
        caveats.append(
            Caveat(
                Caveats.ETHNICITY_STATUS[ethnicity.status],
                {"share": ethnicity.share, "definition": definition},
            )
        )
    if linked.status != "recorded":
        caveats.append(Caveat(Caveats.LINKED_STATUS[linked.status], {"share": linked.share}))

    figures: list[Figure] = _count_figures(counts, coverage, confidence)
    if pop_base == "residents":
        figures += _rate_figures(counts, population, coverage, confidence, group_flags)
        figures += _ratio_figures(counts, population, coverage, confidence, group_flags)
        if int(counts.loc[UNKNOWN, "searches"]) > 0:
            figures += _bound_figures(counts, population, coverage, confidence, group_flags)
    linked_flag = {"not_recorded": "linked_not_recorded", "lower_bound": "linked_lower_bound"}
    figures += _outcome_figures(counts, "arrests", "arrest_rate", coverage, confidence, ())
    finds = _outcome_figures(
        counts, "linked_finds", "linked_find_rate", coverage, confidence,
        linked_flag.get(linked.status, ""),
    )  # fmt: skip
    if linked.status == "not_recorded":
        finds = [_withhold(f, "not_recorded") for f in finds]
    figures += finds
    if ethnicity.status == "not_recorded":
        figures = [
            _withhold(f, "ethnicity_not_recorded")
            if f.measure in BY_GROUP_MEASURES and f.group not in (ALL, UNKNOWN)
            else f
            for f in figures
        ]
    elif unused:
        figures = [
            _withhold(f, "officer_group_not_used")
            if f.measure in BY_GROUP_MEASURES and f.group in unused
            else f
            for f in figures
        ]
    change = change_vs_previous_year(data, force, period, confidence)
    if change is not None:
        figures.append(change)

    series = monthly_series(data, force, period)
    months24 = [*period.previous_months, *period.months]
    trend = monthly_trend(series, months24, confidence)
    spc = monthly_spc(series)
    comparison = data.comparison
    if comparison is None:
        comparison = all_forces_summary(data, period, definition)
    force_funnels = (
        funnels(comparison, force, funnel_levels(confidence)) if pop_base == "residents" else ()
    )
    return StopSearchResult(
        **base,
        status="ok",
        population_base=pop_base,
        ethnicity=ethnicity,
        linked=linked,
        figures=tuple(figures),
        monthly=Table.from_frame(series),
        trend=trend,
        spc=Table.from_frame(spc) if spc is not None else None,
        funnels=force_funnels,
        caveats=tuple(caveats),
    )
