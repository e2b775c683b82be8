"""Stop-and-search estimates for one force and one period.

Joins the data layer (counts by force, month, ethnic group and outcome; Census 2021
populations; the coverage report) to the statistics module. Every function returns a tidy
table; the notebook only calls them and shows the results.

Definitions (docs/methods.md):

- rates per 1,000 use Census 2021 usual residents of the police force area, by the five
  self-defined groups, as the Home Office does; searches whose ethnicity was not recorded count in
  the "all" rate but in no group's rate;
- the linked find rate is the share of searches whose outcome was linked to the object of the
  search and was not "no further action" (the data layer's ``linked_find`` flag);
- change against the previous 12 months compares the months present in both years.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from peelstats import stats
from peelstats.analysis.periods import Period
from peelstats.analysis.schema import estimate_rows, finish
from peelstats.data import load_coverage, load_populations, load_searches

GROUPS = ("Asian", "Black", "Mixed", "White", "Other")
REFERENCE_GROUP = "White"
ETHNICITY_COLUMN = {"self": "ethnicity_self", "officer": "ethnicity_officer"}
DEFINITION_WORDS = {"self": "self-defined", "officer": "officer-defined"}
COUNT_COLUMNS = ["searches", "arrests", "linked_finds", "actions", "actions_linked_blank"]
#: Share of searches ending in action with the linked field blank above which the linked find
#: rate is withheld (it cannot be measured), and above which it is a lower bound and the force
#: is left out of the linked-find funnel (docs/methods.md).
LINKED_UNMEASURABLE = 0.5
#: Share of searches with no recorded ethnicity above which group rates and ratios are withheld,
#: and above which they carry a caveat (docs/methods.md).
ETHNICITY_UNUSABLE = 0.5
ETHNICITY_PARTLY = 0.1
LINKED_LOWER_BOUND = 0.05


@dataclass(frozen=True)
class StopSearchData:
    """The three tables every stop-and-search figure comes from."""

    searches: pd.DataFrame
    populations: pd.DataFrame
    coverage: pd.DataFrame

    @classmethod
    def load(cls, source="default") -> StopSearchData:
        return cls(load_searches(source), load_populations(source), load_coverage(source))

    @property
    def forces(self) -> list[str]:
        return sorted(self.searches["force"].unique())

    @property
    def months(self) -> list[str]:
        return sorted(self.searches["month"].unique())


@dataclass(frozen=True)
class Coverage:
    """Which months of a window a force has, and which were repaired."""

    months: tuple[str, ...]
    present: tuple[str, ...]
    missing: tuple[str, ...]
    repaired: tuple[str, ...]
    caveats: tuple[str, ...] = field(default=())

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def flags(self) -> str:
        return ";".join(
            f
            for f, on in (("incomplete_period", self.missing), ("repaired_months", self.repaired))
            if on
        )


def _month_words(months) -> str:
    return ", ".join(pd.Period(m, freq="M").strftime("%B %Y") for m in months)


def coverage_for(data: StopSearchData, force: str, months) -> Coverage:
    """Months of ``months`` with and without a file for ``force``, and doubled months repaired."""
    table = data.coverage[data.coverage["force"] == force].set_index("month")
    present, missing, repaired = [], [], []
    for month in months:
        row = table.loc[month] if month in table.index else None
        if (
            row is None
            or bool(row.get("missing", False))
            or not bool(row.get("file_present", True))
        ):
            missing.append(month)
            continue
        present.append(month)
        if bool(row.get("doubled", False)):
            repaired.append(month)
    caveats = []
    if missing:
        caveats.append(
            f"No police.uk file was published for {len(missing)} of the {len(months)} months "
            f"({_month_words(missing)}); figures cover the {len(present)} months available."
        )
    if repaired:
        caveats.append(
            f"The police.uk file for {_month_words(repaired)} listed every record twice; "
            "each record was counted once."
        )
    return Coverage(tuple(months), tuple(present), tuple(missing), tuple(repaired), tuple(caveats))


def group_counts(data: StopSearchData, force: str, months, definition: str) -> pd.DataFrame:
    """Searches, arrests and linked finds by ethnic group (the 5 groups, Unknown and all), and
    the searches ending in action (arrest or other) whose linked field was left blank."""
    column = ETHNICITY_COLUMN[definition]
    rows = data.searches[(data.searches["force"] == force) & data.searches["month"].isin(months)]
    action = rows["outcome_class"].isin(["arrest", "other_action"])
    rows = rows.assign(
        arrests=np.where(rows["outcome_class"] == "arrest", rows["searches"], 0),
        linked_finds=np.where(rows["linked_find"], rows["searches"], 0),
        actions=np.where(action, rows["searches"], 0),
        actions_linked_blank=np.where(action & ~rows["linked_recorded"], rows["searches"], 0),
    )
    order = [*GROUPS, "Unknown"]
    counts = rows.groupby(column)[COUNT_COLUMNS].sum().reindex(order, fill_value=0)
    counts.loc["all"] = counts.sum()
    counts.index.name = "group"
    return counts.astype("int64")


def group_populations(data: StopSearchData, force: str) -> pd.Series | None:
    """Census 2021 usual residents by group (and 'all') for the force area; None if it has none."""
    table = data.populations[data.populations["force"] == force]
    if table.empty:
        return None
    return table.set_index("group")["population"].reindex([*GROUPS, "all"]).astype("int64")


def _flags(small, base: str) -> list[str]:
    small = np.atleast_1d(np.asarray(small, dtype=bool))
    return [";".join(f for f in (base, "small_numbers" if s else "") if f) for s in small]


def estimates(
    data: StopSearchData,
    force: str,
    period: Period,
    definition: str = "self",
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Every stop-and-search estimate for a force and period, in the estimates schema."""
    coverage = coverage_for(data, force, period.months)
    counts = group_counts(data, force, coverage.present, definition)
    population = group_populations(data, force)
    base_flags = coverage.flags
    parts = []

    count_ci = stats.rate_ci(counts["searches"].to_numpy(), 1, per=1, confidence=confidence)
    parts.append(
        estimate_rows(
            "searches",
            counts.index.to_numpy(),
            numerator=counts["searches"].to_numpy(),
            estimate=counts["searches"].to_numpy(),
            lower=np.asarray(count_ci.lower),
            upper=np.asarray(count_ci.upper),
            method=f"count; interval: Poisson {count_ci.method} (natural variation)",
            confidence=confidence,
            flags=_flags(count_ci.small_numbers, base_flags),
        )
    )

    if population is not None:
        groups = [*GROUPS, "all"]
        n = counts.loc[groups, "searches"].to_numpy()
        pop = population.loc[groups].to_numpy()
        rate = stats.rate_ci(n, pop, per=1000, confidence=confidence)
        parts.append(
            estimate_rows(
                "search_rate_per_1000",
                groups,
                numerator=n,
                denominator=pop,
                estimate=np.asarray(rate.estimate),
                lower=np.asarray(rate.lower),
                upper=np.asarray(rate.upper),
                method=f"Poisson {rate.method}; Census 2021 usual residents",
                confidence=confidence,
                flags=_flags(rate.small_numbers, base_flags),
            )
        )
        others = [g for g in GROUPS if g != REFERENCE_GROUP]
        ref_n = counts.loc[REFERENCE_GROUP, "searches"]
        ref_pop = population.loc[REFERENCE_GROUP]
        ratio = stats.rate_ratio(
            counts.loc[others, "searches"].to_numpy(),
            population.loc[others].to_numpy(),
            np.full(len(others), ref_n),
            np.full(len(others), ref_pop),
            method="exact",
            confidence=confidence,
        )
        parts.append(
            estimate_rows(
                "search_rate_ratio_vs_white",
                others,
                numerator=counts.loc[others, "searches"].to_numpy(),
                denominator=population.loc[others].to_numpy(),
                estimate=np.asarray(ratio.estimate),
                lower=np.asarray(ratio.lower),
                upper=np.asarray(ratio.upper),
                method=f"rate ratio, {ratio.method}",
                confidence=confidence,
                p_value=np.asarray(ratio.pvalue),
                flags=_flags(ratio.small_numbers, base_flags),
            )
        )

    groups = [*GROUPS, "Unknown", "all"]
    linked = linked_recording(counts)
    for measure, column in (("arrest_rate", "arrests"), ("linked_find_rate", "linked_finds")):
        test = outcome_test(counts, column, confidence)
        table = test.set_index("group").reindex(groups)
        flags = base_flags
        if measure == "linked_find_rate" and linked.status != "recorded":
            flags = ";".join(f for f in (base_flags, f"linked_{linked.status}") if f)
            if linked.status == "not_recorded":  # cannot be measured: withhold, keep the counts
                cols = ["estimate", "lower", "upper", "difference", "difference_lower",
                        "difference_upper", "difference_pvalue"]  # fmt: skip
                table[cols] = np.nan
        parts.append(
            estimate_rows(
                measure,
                groups,
                numerator=table["successes"].to_numpy(),
                denominator=table["n"].to_numpy(),
                estimate=table["estimate"].to_numpy(),
                lower=table["lower"].to_numpy(),
                upper=table["upper"].to_numpy(),
                method=f"proportion, {table['method'].iloc[0]} interval",
                confidence=confidence,
                p_value=np.where(table.index == "all", np.nan, table["difference_pvalue"]),
                flags=_flags(table["small_numbers"].fillna(False).to_numpy(), flags),
            )
        )
        others = [g for g in GROUPS if g != REFERENCE_GROUP]
        diff = table.loc[others]
        parts.append(
            estimate_rows(
                f"{measure}_difference_vs_white",
                others,
                numerator=diff["successes"].to_numpy(),
                denominator=diff["n"].to_numpy(),
                estimate=diff["difference"].to_numpy(),
                lower=diff["difference_lower"].to_numpy(),
                upper=diff["difference_upper"].to_numpy(),
                method="difference in proportions, Newcombe hybrid score interval",
                confidence=confidence,
                p_value=diff["difference_pvalue"].to_numpy(),
                flags=_flags(diff["small_numbers"].fillna(False).to_numpy(), flags),
            )
        )

    parts.append(change_vs_previous_year(data, force, period, confidence))
    frame = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    frame = _withhold_if_ethnicity_unrecorded(frame, ethnicity_recording(counts, definition))
    return finish(frame, force, period.label)


@dataclass(frozen=True)
class EthnicityRecording:
    """How many searches have no recorded ethnicity under the chosen definition."""

    searches: int
    unknown: int
    definition: str

    @property
    def unknown_share(self) -> float:
        return self.unknown / self.searches if self.searches else 0.0

    @property
    def status(self) -> str:
        """'recorded', 'partly_recorded' (over 10% unknown) or 'not_recorded' (over half)."""
        if self.unknown_share > ETHNICITY_UNUSABLE:
            return "not_recorded"
        if self.unknown_share > ETHNICITY_PARTLY:
            return "partly_recorded"
        return "recorded"

    @property
    def caveat(self) -> str | None:
        words = DEFINITION_WORDS[self.definition]
        share = f"{self.unknown_share:.0%}"
        if self.status == "not_recorded":
            other = "officer" if self.definition == "self" else "self"
            return (
                f"{words.capitalize()} ethnicity was not recorded for {share} of searches, so "
                "rates, ratios and outcome comparisons by ethnic group would rest on a small, "
                "unrepresentative part of the searches and are not shown. "
                f"Re-run with {DEFINITION_WORDS[other]} "
                f'ethnicity (ethnicity_definition = "{other}") for a comparison.'
            )
        return None


def ethnicity_recording(counts: pd.DataFrame, definition: str) -> EthnicityRecording:
    return EthnicityRecording(
        int(counts.loc["all", "searches"]), int(counts.loc["Unknown", "searches"]), definition
    )


def _withhold_if_ethnicity_unrecorded(frame: pd.DataFrame, recording: EthnicityRecording):
    """Blank every by-group rate, ratio and comparison (keeping the counts) when ethnicity is
    mostly unknown: they would describe a small, unrepresentative part of the searches."""
    if recording.status != "not_recorded":
        return frame
    by_group = frame["measure"].isin(
        [
            "search_rate_per_1000",
            "search_rate_ratio_vs_white",
            "arrest_rate",
            "arrest_rate_difference_vs_white",
            "linked_find_rate",
            "linked_find_rate_difference_vs_white",
        ]
    ) & ~frame["group"].isin(["all", "Unknown"])
    frame.loc[by_group, ["estimate", "lower", "upper", "p_value"]] = np.nan
    frame.loc[by_group, "flags"] = [
        ";".join(f for f in (flags, "ethnicity_not_recorded") if f)
        for flags in frame.loc[by_group, "flags"]
    ]
    return frame


@dataclass(frozen=True)
class LinkedRecording:
    """How completely a force filled in 'Outcome linked to object of search' when it acted."""

    actions: int
    blank: int

    @property
    def blank_share(self) -> float:
        return self.blank / self.actions if self.actions else 0.0

    @property
    def status(self) -> str:
        """'recorded', 'lower_bound' (some blanks) or 'not_recorded' (mostly blank)."""
        if self.blank_share > LINKED_UNMEASURABLE:
            return "not_recorded"
        if self.blank_share > LINKED_LOWER_BOUND:
            return "lower_bound"
        return "recorded"

    @property
    def caveat(self) -> str | None:
        share = f"{self.blank_share:.0%}"
        if self.status == "not_recorded":
            return (
                f"The force left 'outcome linked to object of search' blank for {share} of the "
                "searches that ended in an arrest or other action, so its linked find rate "
                "cannot be measured and is not shown."
            )
        if self.status == "lower_bound":
            return (
                f"The force left 'outcome linked to object of search' blank for {share} of the "
                "searches that ended in an arrest or other action; its linked find rate counts "
                "those as not linked, so it is a lower bound."
            )
        return None


def linked_recording(counts: pd.DataFrame) -> LinkedRecording:
    return LinkedRecording(
        int(counts.loc["all", "actions"]), int(counts.loc["all", "actions_linked_blank"])
    )


def outcome_test(counts: pd.DataFrame, column: str, confidence: float) -> pd.DataFrame:
    """The outcome test: a proportion of searches per group, each compared with White."""
    groups = [*GROUPS, "Unknown", "all"]
    table = counts.loc[groups]
    usable = table["searches"] > 0
    result = stats.compare_groups(
        table.loc[usable, column].to_numpy(),
        table.loc[usable, "searches"].to_numpy(),
        groups=list(table.index[usable]),
        reference=REFERENCE_GROUP,
        confidence=confidence,
    ).to_frame()
    return result.set_index("group").reindex(groups).reset_index()


def change_vs_previous_year(
    data: StopSearchData, force: str, period: Period, confidence: float = 0.95
) -> pd.DataFrame:
    """Percentage change in searches on the previous 12 months, over months present in both."""
    now = coverage_for(data, force, period.months)
    before = coverage_for(data, force, period.previous_months)
    matched_now, matched_before = [], []
    for current, previous in zip(period.months, period.previous_months, strict=True):
        if current in now.present and previous in before.present:
            matched_now.append(current)
            matched_before.append(previous)
    if not matched_now:
        return pd.DataFrame()
    current_n = int(group_counts(data, force, matched_now, "self").loc["all", "searches"])
    previous_n = int(group_counts(data, force, matched_before, "self").loc["all", "searches"])
    ratio = stats.rate_ratio(current_n, 1, previous_n, 1, method="exact", confidence=confidence)
    flags = ";".join(
        f
        for f in (
            "matched_months_only" if len(matched_now) < 12 else "",
            "repaired_months" if (now.repaired or before.repaired) else "",
            "small_numbers" if bool(np.any(ratio.small_numbers)) else "",
        )
        if f
    )
    return estimate_rows(
        "searches_change_vs_previous_year_percent",
        ["all"],
        numerator=[current_n],
        denominator=[previous_n],
        estimate=[(float(ratio.estimate) - 1) * 100],
        lower=[(float(ratio.lower) - 1) * 100],
        upper=[(float(ratio.upper) - 1) * 100],
        method=f"Poisson rate ratio (this year / previous year), {ratio.method}",
        confidence=confidence,
        p_value=[float(ratio.pvalue)],
        flags=[flags],
    )


def monthly_series(data: StopSearchData, force: str, period: Period) -> pd.DataFrame:
    """Searches, arrests and linked finds per month over the 24 months of the comparison."""
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
    series["in_period"] = series["month"].isin(period.months)
    return series.astype({"searches": "int64", "linked_finds": "int64"})


def monthly_trend(series: pd.DataFrame, confidence: float = 0.95) -> dict[str, object]:
    """Trend tests on the monthly series: quasi-Poisson GLM % change per month (monthly counts
    vary more than Poisson), Mann-Kendall, and Cochran-Armitage for the linked find rate."""
    poisson = stats.trend_test(
        series["searches"].to_numpy(), method="quasi-poisson", confidence=confidence
    )
    kendall = stats.trend_test(
        series["searches"].to_numpy(), method="mann-kendall", confidence=confidence
    )
    finds = stats.trend_test(
        series["linked_finds"].to_numpy(),
        n=series["searches"].to_numpy(),
        method="cochran-armitage",
        confidence=confidence,
    )
    return {"poisson": poisson, "mann_kendall": kendall, "find_rate": finds}


def monthly_spc(series: pd.DataFrame) -> pd.DataFrame:
    """XmR limits and special-cause flags for monthly searches (NHS Making Data Count)."""
    spc = stats.spc_limits(series["searches"].to_numpy(), chart="xmr").to_frame()
    spc.insert(0, "month", series["month"].to_numpy())
    return spc


def all_forces_summary(
    data: StopSearchData, period: Period, definition: str = "self"
) -> pd.DataFrame:
    """One row per force with a complete year: searches, population, linked finds, rates."""
    rows = []
    for force in data.forces:
        coverage = coverage_for(data, force, period.months)
        population = group_populations(data, force)
        if not coverage.complete or population is None:
            continue
        counts = group_counts(data, force, period.months, definition)
        rows.append(
            {
                "force": force,
                "searches": int(counts.loc["all", "searches"]),
                "linked_finds": int(counts.loc["all", "linked_finds"]),
                "arrests": int(counts.loc["all", "arrests"]),
                "population": int(population.loc["all"]),
                "black_searches": int(counts.loc["Black", "searches"]),
                "white_searches": int(counts.loc["White", "searches"]),
                "black_population": int(population.loc["Black"]),
                "white_population": int(population.loc["White"]),
                "linked_status": linked_recording(counts).status,
            }
        )
    return pd.DataFrame(rows)


def funnel_tables(summary: pd.DataFrame, levels=(0.95, 0.998)) -> dict[str, dict]:
    """Funnel data for the linked find rate and the search rate per 1,000 across forces.

    Limits are widened for overdispersion between forces (multiplicative, Spiegelhalter 2005):
    forces differ for reasons beyond chance, and unadjusted limits would flag most of them.
    Per measure: ``points`` (each force's value and flags), ``limits`` (long frame over a grid of
    denominators), ``target`` (the pooled value of all forces shown) and ``phi``.
    """
    out: dict[str, dict] = {}
    if summary.empty:
        return out
    specs = {
        "linked_find_rate": ("linked_finds", "searches", "proportion"),
        "search_rate_per_1000": ("searches", "population", "rate"),
    }
    for name, (num, den, kind) in specs.items():
        units = summary
        if name == "linked_find_rate":  # only forces whose linked find rate can be measured
            units = summary[summary["linked_status"] == "recorded"]
            if len(units) < 3:
                continue
        x, n = units[num].to_numpy(), units[den].to_numpy()
        scale = 1000.0 if kind == "rate" else 1.0
        target = x.sum() / n.sum() * scale
        grid = np.unique(np.geomspace(n.min() * 0.5, n.max() * 1.5, 120).round())
        common = dict(kind=kind, levels=levels, overdispersion="multiplicative")
        limits = stats.funnel_limits(n, target, observed=x, grid=grid, **common)
        flags = stats.funnel_flags(x, n, target, **common)
        points = pd.concat(
            [units[["force"]].reset_index(drop=True), flags.reset_index(drop=True)], axis=1
        )
        out[name] = {
            "points": points,
            "limits": limits.to_frame(),
            "target": float(target),
            "phi": float(limits.phi),
            "excluded": sorted(set(summary["force"]) - set(units["force"])),
        }
    return out


FUNNEL_WORDS = {
    "search_rate_per_1000": ("rate of stop and search", "{:.2f} per 1,000 residents"),
    "linked_find_rate": ("linked find rate", "{:.1%}"),
}


def funnel_position(funnels: dict[str, dict], force: str, force_name: str) -> str | None:
    """Where the force sits on each funnel, in words (None if it is not among the forces)."""
    sentences = []
    for name, funnel in funnels.items():
        points = funnel["points"]
        mine = points[points["force"] == force]
        if mine.empty:
            continue
        row = mine.iloc[0]
        what, fmt = FUNNEL_WORDS[name]
        if row.get("above_0.998", False) or row.get("below_0.998", False):
            side = "above" if row.get("above_0.998", False) else "below"
            where = (
                f"{side} the 99.8% limit: a value this far from the average is very unlikely "
                "by chance"
            )
        elif row.get("above_0.95", False) or row.get("below_0.95", False):
            side = "above" if row.get("above_0.95", False) else "below"
            where = f"{side} the 95% limit but within the 99.8% limit: worth a closer look"
        else:
            where = "within the 95% limits: consistent with the average of these forces"
        left_out = funnel.get("excluded") or []
        among = f"Among the {len(points)} forces with a complete year of data"
        if left_out:
            among += (
                f" and the linked field recorded ({len(left_out)} others left it blank too often "
                "to be compared)"
            )
        sentences.append(
            f"{among}, {force_name}'s {what} "
            f"({fmt.format(row['value'])}, against {fmt.format(funnel['target'])} for the forces "
            f"together) is {where} (funnel limits widened for overdispersion, phi = "
            f"{funnel['phi']:.1f})."
        )
    return " ".join(sentences) if sentences else None
