"""Police use of force for one force: ``build(data, params)`` from the Home Office use of force
data tables (:func:`peelstats.data.load_use_of_force`), with Census 2021 residents.

The use of force statistics have their own financial year (April to March), older than the
stop-and-search year: the section reports the latest year the tables have that ends no later
than the report's period, names it, and compares it with the year before. Definitions and
methods (docs/methods.md, "Use of force"):

- incidents per 1,000 Census 2021 usual residents of the force area (the Home Office divides by
  mid-year population estimates), exact Poisson (Garwood) intervals; the change on the year
  before as the exact conditional Poisson rate ratio, minus 1;
- a change of a factor of :data:`RECORDING_FACTOR` or more either way (incidents doubled, or
  halved) is flagged as more likely a change in recording than in the use of force, and given
  no verdict (the Metropolitan Police's +112.6% and Gwent's 408 to 6,330 between 2017/18 and
  2018/19 are such jumps);
- the force on a funnel plot of incident rates among the territorial forces (additive random
  effects on the log scale, :func:`peelstats.analysis.funnels.place`);
- Taser (CED): uses and discharges with exact Poisson intervals, the share of uses that were
  discharges (Wilson), its change on the year before (Newcombe), the change in uses (exact
  conditional rate ratio); the forces that sent summary CED figures only, named where the
  tables allow;
- disproportionality from Table 16, which counts TACTICS (several per incident), not incidents
  or people: rates of tactics used per 1,000 residents of each group, and each group's rate
  against White people's, with intervals widened by a design effect (:func:`design_effect`)
  and bounds from the tactics whose ethnicity was not stated; England and Wales incidents by
  group (Table 4) give the national picture on an incidents basis;
- the inspectorate's published figures (``published_figures.csv``) as published, with what
  their own numbers imply (the population a rate was divided by, the year before a change was
  measured from) and which year they are for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from peelstats import stats
from peelstats.analysis.funnels import Funnel, absent_funnel, funnel_levels, place
from peelstats.analysis.params import Params
from peelstats.analysis.published import PublishedFigure, published_row
from peelstats.analysis.results import Caveat, Figure, find, num, register
from peelstats.analysis.searches import population_base
from peelstats.data import load_populations, load_use_of_force
from peelstats.data.use_of_force import NOT_STATED, UseOfForceTables
from peelstats.vocabulary import (
    ALL,
    COMPARED_GROUPS,
    GROUPS,
    REFERENCE_GROUP,
    UNKNOWN,
    Caveats,
    Methods,
)

#: A year-on-year change in incidents by this factor or more, either way (doubled, or halved),
#: is read as a change in recording rather than in the use of force (docs/methods.md).
RECORDING_FACTOR = 2.0
#: The published use of force measures (``published_figures.csv``) this section sets beside its
#: own figures.
PUBLISHED_MEASURES = ("use_of_force_incidents", "use_of_force_rate", "use_of_force_change")
#: A share of CED uses with no level recorded above which the discharge share is not shown.
CED_LEVEL_UNUSABLE = 0.5
SECTION = "use_of_force"


# ----------------------------------------------------------------------------- result types


@register
@dataclass(frozen=True)
class RecordingCheck:
    """The year-on-year change in incidents held to :data:`RECORDING_FACTOR`: ``ratio`` is
    incidents in the year / the year before; ``flagged`` when it is at least ``factor`` or at
    most 1 / ``factor``."""

    year: str
    previous_year: str
    incidents: int
    previous_incidents: int
    ratio: float
    factor: float
    flagged: bool


@register
@dataclass(frozen=True)
class PublishedUseOfForce:
    """The inspectorate's use of force figures as published, and what their numbers imply.

    ``year`` is the financial year the published period is (e.g. '2021/22'). The implied
    population is incidents / rate x 1,000 and the implied year before incidents / (1 +
    change / 100), each with its range from the published rounding (half a unit of the last
    digit shown). ``matches_year`` / ``matches_previous`` name a year of this report's data whose
    incidents equal the published count / fall in the implied year-before range (None: none).
    ``our_years`` are this report's years with the force's incidents.
    """

    figures: tuple[PublishedFigure, ...]
    year: str
    implied_population: float | None
    implied_population_low: float | None
    implied_population_high: float | None
    residents: int | None
    implied_previous: float | None
    implied_previous_low: float | None
    implied_previous_high: float | None
    matches_year: str | None
    matches_previous: str | None
    our_years: tuple[tuple[str, int], ...]
    our_year: str

    def get(self, measure: str) -> PublishedFigure | None:
        return next((f for f in self.figures if f.measure == measure), None)

    @property
    def residents_consistent(self) -> bool | None:
        """Whether Census 2021 residents lie in the implied population's rounding range."""
        if self.residents is None or self.implied_population_low is None:
            return None
        return self.implied_population_low <= self.residents <= self.implied_population_high

    @property
    def same_year(self) -> bool:
        return self.year == self.our_year


@register
@dataclass(frozen=True)
class UseOfForceResult:
    """Everything the use of force section reports, for one force (see the module docstring).

    ``status`` is 'ok', 'no_tables' (the data has no use of force tables), 'no_year' (no year of
    the tables ends by the report's period) or 'no_data' (the tables give no incidents for the
    force). ``year`` is the financial year reported, ``previous_year`` the one before,
    ``latest_year`` the latest the tables have; ``report_end`` the report's last month.
    ``tactics_per_incident`` and ``design_effect`` are the force's, for the year
    (:func:`design_effect`). ``summary_only_forces`` are the forces the year's tables mark as
    having sent summary CED figures only; ``summary_only_count`` how many the edition's notes
    say did (None: not said).
    """

    section: str
    force: str
    force_name: str
    period: str
    confidence: float
    status: str
    year: str
    previous_year: str
    latest_year: str
    report_end: str
    population_base: str
    residents: int | None
    tactics_per_incident: float | None
    design_effect: float | None
    recording: RecordingCheck | None
    summary_only_forces: tuple[str, ...]
    summary_only_count: int | None
    funnel: Funnel | None
    published: PublishedUseOfForce | None
    figures: tuple[Figure, ...]
    caveats: tuple[Caveat, ...]

    def figure(self, measure: str, group: str = ALL, year: str | None = None) -> Figure | None:
        """The figure for a measure and group; for a measure given for two years, the year's
        (or ``year``'s, e.g. the previous year)."""
        if year is None:
            return find(self.figures, measure, group)
        start = year_months(year)[0]
        for fig in self.figures:
            if fig.measure == measure and fig.group == group and fig.period_start == start:
                return fig
        return None

    def caveat(self, code: str) -> Caveat | None:
        return next((c for c in self.caveats if c.code == code), None)


# ----------------------------------------------------------------------------- data


@dataclass(frozen=True)
class UseOfForceData:
    """The use of force tables (None: the source has none), Census 2021 populations, and the
    force's published use of force figures (rows of ``published_figures.csv``)."""

    tables: UseOfForceTables | None
    populations: pd.DataFrame
    published: pd.DataFrame | None = None

    @classmethod
    def load(cls, source="default", force: str | None = None) -> UseOfForceData:
        published = None
        if force is not None:
            from peelstats.data.audits import audit_rows

            rows = audit_rows("published_figures.csv", force)
            published = rows[rows["measure"].isin(PUBLISHED_MEASURES)].reset_index(drop=True)
        return cls(load_use_of_force(source), load_populations(source), published)


# ----------------------------------------------------------------------------- years


def year_start(year: str) -> int:
    return int(year[:4])


def year_label(start: int) -> str:
    return f"{start}/{(start + 1) % 100:02d}"


def year_months(year: str) -> tuple[str, str]:
    """'2019/20' -> ('2019-04', '2020-03')."""
    return f"{year_start(year)}-04", f"{year_start(year) + 1}-03"


def _years(tables: UseOfForceTables) -> list[str]:
    """The financial years the tables give incidents for, in order."""
    known = tables.incidents.dropna(subset=["incidents"])["financial_year"]
    return sorted(set(known), key=year_start)


def choose_year(years: list[str], report_end: str) -> str | None:
    """The latest of ``years`` that ends (in March) no later than the report's last month."""
    fitting = [y for y in years if year_months(y)[1] <= report_end]
    return max(fitting, key=year_start) if fitting else None


# ----------------------------------------------------------------------------- design effect


def design_effect(tactics: float, incidents: float) -> tuple[float | None, float | None]:
    """Tactics per incident ``r`` and the design effect of a count of tactics.

    Tactics come in clusters, one cluster per incident: a compound Poisson count T = m_1 + ...
    + m_N with N ~ Poisson, whose variance is E[m^2] / E[m] times its mean (Kish 1965's design
    effect). The tables give the mean number of tactics per incident, r = E[m] (the force's
    Total Tactics over its incidents), not their spread, so the design effect is set to the
    least it can be with whole numbers of tactics averaging r: every incident with floor(r) or
    ceil(r) tactics, Var(m) = f (1 - f) with f = r - floor(r), design effect r + f (1 - f) / r
    (hand-written). Never below 1; (None, None) without tactics or incidents.
    """
    if not incidents or not tactics or incidents <= 0 or tactics <= 0:
        return None, None
    r = tactics / incidents
    if r <= 1:
        return r, 1.0
    f = r - math.floor(r)
    return r, r + f * (1 - f) / r


# ----------------------------------------------------------------------------- figures


def _one(result, i: int):
    return num(np.atleast_1d(result)[i])


def _verdict(lower, upper, null: float) -> tuple[bool | None, str | None]:
    if lower is None or upper is None:
        return None, None
    significant = bool(lower > null or upper < null)
    return significant, ("increase" if lower > null else "decrease") if significant else "none"


def _flags(*parts) -> tuple[str, ...]:
    out: list[str] = []
    for part in parts:
        out.extend([part] if isinstance(part, str) else list(part or ()))
    return tuple(dict.fromkeys(f for f in out if f))


def _count(measure, group, n, year, confidence, flags=(), method=Methods.COUNT_POISSON,
           deff: float | None = None) -> Figure:  # fmt: skip
    """A count with its Poisson interval (natural variation), widened by ``deff`` if given."""
    ci = stats.rate_ci(n, 1, per=1, confidence=confidence, design_effect=deff or 1.0)
    start, end = year_months(year)
    args = {"interval": ci.method}
    if deff is not None:
        args["design_effect"] = deff
    return Figure(
        measure, group, float(n), _one(ci.lower, 0), _one(ci.upper, 0), numerator=float(n),
        method=method, method_args=args, confidence=confidence,
        flags=_flags(flags, "small_numbers" if bool(np.any(ci.small_numbers)) else ""),
        period_start=start, period_end=end,
    )  # fmt: skip


def _change(measure, now, before, year, previous, confidence, flags=()) -> Figure:
    """Percentage change on the year before: exact conditional Poisson rate ratio, minus 1."""
    ratio = stats.rate_ratio(now, 1, before, 1, method="exact", confidence=confidence)
    est, lo, hi = (num((float(v) - 1) * 100) for v in (ratio.estimate, ratio.lower, ratio.upper))
    significant, direction = _verdict(lo, hi, 0.0)
    if "recording_change" in flags:
        significant, direction = None, None  # no verdict: see RecordingCheck
    start, end = year_months(year)
    return Figure(
        measure, ALL, est, lo, hi, numerator=float(now), denominator=float(before),
        method=Methods.CHANGE_POISSON, method_args={"interval": ratio.method, "previous": previous},
        confidence=confidence, p_value=num(ratio.pvalue),
        flags=_flags(flags, "small_numbers" if bool(np.any(ratio.small_numbers)) else ""),
        period_start=start, period_end=end, significant=significant, direction=direction,
    )  # fmt: skip


def _incidents(tables: UseOfForceTables, force: str, year: str) -> int | None:
    frame = tables.incidents
    rows = frame[(frame["force"] == force) & (frame["financial_year"] == year)]
    return (
        None if rows.empty or pd.isna(rows["incidents"].iloc[0]) else int(rows["incidents"].iloc[0])
    )


def _ced(tables: UseOfForceTables, force: str, year: str) -> tuple[dict, bool | None]:
    """The force's CED counts for a year (measure -> int or None) and its summary_only flag."""
    frame = tables.ced
    rows = frame[(frame["force"] == force) & (frame["financial_year"] == year)]
    counts = {
        m: (None if pd.isna(c) else int(c)) for m, c in zip(rows["measure"], rows["count"],
                                                            strict=True)
    }  # fmt: skip
    flag = rows["summary_only"].dropna()
    return counts, (bool(flag.iloc[0]) if len(flag) else None)


def _population(populations: pd.DataFrame, force: str) -> pd.Series | None:
    table = populations[populations["force"] == force]
    if table.empty:
        return None
    return table.set_index("group")["population"].reindex([*GROUPS, ALL]).astype("int64")


def _incident_figures(n, n_before, year, previous, pop, confidence, recording) -> list[Figure]:
    out = [_count("use_of_force_incidents", ALL, n, year, confidence)]
    if n_before is not None:
        out.append(_count("use_of_force_incidents", ALL, n_before, previous, confidence))
    if pop is not None:
        for count, when in ((n, year), (n_before, previous)):
            if count is None:
                continue
            rate = stats.rate_ci(count, int(pop.loc[ALL]), per=1000, confidence=confidence)
            start, end = year_months(when)
            out.append(
                Figure(
                    "use_of_force_rate", ALL, _one(rate.estimate, 0), _one(rate.lower, 0),
                    _one(rate.upper, 0), numerator=float(count),
                    denominator=float(pop.loc[ALL]), method=Methods.USE_OF_FORCE_RATE,
                    method_args={"interval": rate.method}, confidence=confidence,
                    period_start=start, period_end=end,
                )
            )  # fmt: skip
    if n_before is not None and n + n_before > 0:
        flags = ("recording_change",) if recording is not None and recording.flagged else ()
        out.append(_change("use_of_force_change", n, n_before, year, previous, confidence, flags))
    return out


def _ced_figures(now, before, year, previous, confidence, summary_only) -> list[Figure]:
    """CED uses and discharges for both years, the discharge share and the changes."""
    out: list[Figure] = []
    flag = "ced_summary_only" if summary_only else ""
    for counts, when, flags in ((now, year, flag), (before, previous, "")):
        if counts is None:
            continue
        for measure, key in (("ced_uses", "uses"), ("ced_discharges", "discharges")):
            if counts.get(key) is not None:
                out.append(_count(measure, ALL, counts[key], when, confidence, flags))
    shares = {}
    for counts, when, flags in ((now, year, flag), (before, previous, "")):
        if counts is None or not counts.get("uses") or counts.get("discharges") is None:
            continue
        uses, discharges = counts["uses"], counts["discharges"]
        if (counts.get("not_stated") or 0) / uses > CED_LEVEL_UNUSABLE:
            continue  # most uses have no level recorded: no share
        ci = stats.proportion_ci(discharges, uses, confidence=confidence)
        start, end = year_months(when)
        out.append(
            Figure(
                "ced_discharge_share", ALL, _one(ci.estimate, 0), _one(ci.lower, 0),
                _one(ci.upper, 0), numerator=float(discharges), denominator=float(uses),
                method=Methods.PROPORTION, confidence=confidence,
                flags=_flags(flags, "small_numbers" if bool(np.any(ci.small_numbers)) else ""),
                period_start=start, period_end=end,
            )
        )  # fmt: skip
        shares[when] = (discharges, uses)
    if year in shares and previous in shares:
        (x2, n2), (x1, n1) = shares[year], shares[previous]
        diff = stats.compare_proportions(x1, n1, x2, n2, confidence=confidence)
        lo, hi = _one(diff.lower, 0), _one(diff.upper, 0)
        significant, direction = _verdict(lo, hi, 0.0)
        start, end = year_months(year)
        out.append(
            Figure(
                "ced_discharge_share_change", ALL, _one(diff.estimate, 0), lo, hi,
                numerator=float(x2), denominator=float(n2), method=Methods.SHARE_CHANGE,
                method_args={"previous": previous}, confidence=confidence,
                p_value=_one(diff.pvalue, 0),
                flags=_flags(flag, "small_numbers" if bool(np.any(diff.small_numbers)) else ""),
                period_start=start, period_end=end, significant=significant,
                direction=direction,
            )
        )  # fmt: skip
    if now and before and now.get("uses") is not None and before.get("uses") is not None:
        if now["uses"] + before["uses"] > 0:
            out.append(
                _change("ced_uses_change", now["uses"], before["uses"], year, previous,
                        confidence, (flag,))
            )  # fmt: skip
    return out


def _tactics(tables: UseOfForceTables, force: str, year: str) -> pd.Series | None:
    """Tactics used (Total Tactics) by group (the five, Unknown for not stated), or None."""
    frame = tables.tactics_by_ethnicity
    rows = frame[
        (frame["force"] == force) & (frame["financial_year"] == year) & (frame["tactic"] == "all")
    ]
    if rows.empty or rows["tactics"].isna().any():
        return None
    by = rows.set_index("group")["tactics"].astype("int64")
    by = by.rename(index={NOT_STATED: UNKNOWN}).reindex([*GROUPS, UNKNOWN], fill_value=0)
    return by


def _tactics_figures(tactics, pop, year, deff, confidence) -> list[Figure]:
    """Tactics used by group, per 1,000 residents, and each compared group against White (with
    bounds from the tactics whose ethnicity was not stated), every interval widened by ``deff``."""
    start, end = year_months(year)
    flags = ("design_effect", "officer_defined_vs_census")
    out = []
    total = int(tactics.sum())
    for group in [*GROUPS, UNKNOWN, ALL]:
        n = total if group == ALL else int(tactics.loc[group])
        out.append(_count("use_of_force_tactics", group, n, year, confidence,
                          flags if group != ALL else ("design_effect",),
                          method=Methods.TACTICS_COUNT, deff=deff))  # fmt: skip
    groups = [*GROUPS, ALL]
    n = np.array([total if g == ALL else int(tactics.loc[g]) for g in groups])
    residents = pop.loc[groups].to_numpy()
    rate = stats.rate_ci(n, residents, per=1000, confidence=confidence, design_effect=deff)
    for i, group in enumerate(groups):
        out.append(
            Figure(
                "use_of_force_tactics_rate", group, _one(rate.estimate, i), _one(rate.lower, i),
                _one(rate.upper, i), numerator=float(n[i]), denominator=float(residents[i]),
                method=Methods.TACTICS_RATE,
                method_args={"interval": rate.method, "design_effect": deff},
                confidence=confidence,
                flags=_flags(flags if group != ALL else ("design_effect",),
                             "small_numbers" if bool(np.atleast_1d(rate.small_numbers)[i])
                             else ""),
                period_start=start, period_end=end,
            )
        )  # fmt: skip
    white, white_pop = int(tactics.loc[REFERENCE_GROUP]), int(pop.loc[REFERENCE_GROUP])
    if white == 0 or white_pop == 0:
        return out
    unknown = int(tactics.loc[UNKNOWN])
    others = list(COMPARED_GROUPS)
    versions = [("", 0, 0)]
    if unknown > 0:
        versions += [("_min", 0, unknown), ("_max", unknown, 0)]
    for suffix, add_group, add_white in versions:
        a = np.array([int(tactics.loc[g]) for g in others]) + add_group
        pa = pop.loc[others].to_numpy()
        ratio = stats.rate_ratio(
            a, pa, white + add_white, white_pop, method="log", confidence=confidence,
            design_effect=deff,
        )  # fmt: skip
        for i, group in enumerate(others):
            lo, hi = _one(ratio.lower, i), _one(ratio.upper, i)
            significant, direction = _verdict(lo, hi, 1.0)
            args = {"design_effect": deff}
            if suffix:
                to = REFERENCE_GROUP if suffix == "_min" else group
                args.update(unknown=unknown, allocated_to=to)
            out.append(
                Figure(
                    f"use_of_force_tactics_ratio_vs_white{suffix}", group,
                    _one(ratio.estimate, i), lo, hi, numerator=float(a[i]),
                    denominator=float(pa[i]),
                    method=Methods.TACTICS_RATIO_BOUND if suffix else Methods.TACTICS_RATIO,
                    method_args=args, confidence=confidence,
                    p_value=None if suffix else _one(ratio.pvalue, i),
                    flags=_flags(flags, "unknown_ethnicity_allocated" if suffix else "",
                                 "small_numbers" if bool(np.atleast_1d(ratio.small_numbers)[i])
                                 else ""),
                    period_start=start, period_end=end,
                    significant=None if suffix else significant,
                    direction=None if suffix else direction,
                )
            )  # fmt: skip
    return out


def _national_figures(tables, populations, year, confidence) -> list[Figure]:
    """England and Wales incidents (Table 12's total) and incidents by group (Table 4), and
    each compared group's rate of incidents per 1,000 residents against White people's (the
    Census 2021 residents of the 43 territorial forces), where the tables give them."""
    start, end = year_months(year)
    out = []
    ew = tables.england_and_wales
    total = ew[(ew["financial_year"] == year) & (ew["measure"] == "incidents")]["count"].dropna()
    if len(total):
        out.append(_count("use_of_force_incidents_england_and_wales", ALL, int(total.iloc[0]),
                          year, confidence))  # fmt: skip
    groups = tables.national_incidents_by_ethnicity
    rows = groups[groups["financial_year"] == year].dropna(subset=["incidents"])
    if rows.empty:
        return out
    by = rows.set_index("group")["incidents"].astype("int64").rename(index={NOT_STATED: UNKNOWN})
    for group in [*GROUPS, UNKNOWN]:
        if group in by.index:
            out.append(_count("use_of_force_incidents_england_and_wales", group,
                              int(by.loc[group]), year, confidence))  # fmt: skip
    from peelstats.data.forces import all_forces

    territorial = {f.id for f in all_forces(territorial_only=True)}
    if not territorial <= set(populations["force"]) or REFERENCE_GROUP not in by.index:
        return out
    pop = populations[populations["force"].isin(territorial)].groupby("group")["population"].sum()
    others = [g for g in COMPARED_GROUPS if g in by.index]
    ratio = stats.rate_ratio(
        by.loc[others].to_numpy(), pop.loc[others].to_numpy(), int(by.loc[REFERENCE_GROUP]),
        int(pop.loc[REFERENCE_GROUP]), method="exact", confidence=confidence,
    )  # fmt: skip
    for i, group in enumerate(others):
        lo, hi = _one(ratio.lower, i), _one(ratio.upper, i)
        significant, direction = _verdict(lo, hi, 1.0)
        out.append(
            Figure(
                "use_of_force_incidents_ratio_vs_white_england_and_wales", group,
                _one(ratio.estimate, i), lo, hi, numerator=float(by.loc[group]),
                denominator=float(pop.loc[group]), method=Methods.RATE_RATIO,
                method_args={"interval": ratio.method}, confidence=confidence,
                p_value=_one(ratio.pvalue, i), flags=("officer_defined_vs_census",),
                period_start=start, period_end=end, significant=significant,
                direction=direction,
            )
        )  # fmt: skip
    return out


# ----------------------------------------------------------------------------- funnel


def rate_funnel(tables, populations, force: str, year: str, levels) -> Funnel:
    """The force among the territorial forces on the funnel of incidents per 1,000 Census 2021
    residents in ``year`` (forces whose residents are not the people they police left out)."""
    frame = tables.incidents
    rows = frame[(frame["financial_year"] == year)].dropna(subset=["incidents"])
    ids, x, n, left_out = [], [], [], []
    for f, incidents in zip(rows["force"], rows["incidents"], strict=True):
        pop = _population(populations, f)
        base = population_base(f, pop, int(incidents), 12)
        if base != "residents":
            left_out.append(f)
            continue
        ids.append(f)
        x.append(float(incidents))
        n.append(float(pop.loc[ALL]))
    pop = _population(populations, force)
    reason = {"none": "no_resident_population", "unrepresentative": "residents_unrepresentative"}
    mine = _incidents(tables, force, year)
    excluded_reason = reason.get(
        population_base(force, pop, mine or 0, 12), "no_resident_population"
    )
    if len(ids) < 3:
        return absent_funnel("use_of_force_rate", "rate", len(ids), left_out, "too_few_forces",
                             levels)  # fmt: skip
    return place("use_of_force_rate", ids, x, n, force, "rate", per=1000,
                 excluded=tuple(sorted(left_out)), absent_reason="not_published",
                 excluded_reason=excluded_reason, levels=levels)  # fmt: skip


# ----------------------------------------------------------------------------- published


def _published(data: UseOfForceData, tables, force, population, our_year) -> (
    PublishedUseOfForce | None
):  # fmt: skip
    """The published figures beside this report's years, with what their numbers imply."""
    rows = data.published
    if rows is None or rows.empty:
        return None
    figures = tuple(published_row(r) for _, r in rows.iterrows())
    by = {f.measure: f for f in figures}
    first = figures[0]
    year = _financial_year_of(first.period_from, first.period_to)
    incidents = by.get("use_of_force_incidents")
    rate = by.get("use_of_force_rate")
    change = by.get("use_of_force_change")
    ours = []
    for y in _years(tables):
        n = _incidents(tables, force, y)
        if n is not None:
            ours.append((y, n))
    implied = low = high = None
    if incidents is not None and rate is not None and rate.value > 0:
        half = _half_unit(rate.value)
        implied = incidents.value / rate.value * 1000
        low = incidents.value / (rate.value + half) * 1000
        high = incidents.value / (rate.value - half) * 1000 if rate.value > half else None
    before = b_low = b_high = None
    matches_previous = None
    if incidents is not None and change is not None and change.value > -100:
        half = _half_unit(change.value)
        before = incidents.value / (1 + change.value / 100)
        b_low = incidents.value / (1 + (change.value + half) / 100)
        b_high = incidents.value / (1 + (change.value - half) / 100)
        matches_previous = next((y for y, n in ours if b_low <= n <= b_high), None)
    matches_year = None
    if incidents is not None:
        matches_year = next((y for y, n in ours if n == int(round(incidents.value))), None)
    residents = int(population.loc[ALL]) if population is not None else None
    return PublishedUseOfForce(
        figures=figures, year=year, implied_population=implied, implied_population_low=low,
        implied_population_high=high, residents=residents, implied_previous=before,
        implied_previous_low=b_low, implied_previous_high=b_high, matches_year=matches_year,
        matches_previous=matches_previous, our_years=tuple(ours), our_year=our_year,
    )  # fmt: skip


def _half_unit(value: float) -> float:
    """Half a unit of the last digit a published value shows (14.6 -> 0.05, 9208 -> 0.5)."""
    text = f"{value:.10g}"
    digits = len(text.split(".")[1]) if "." in text else 0
    return 0.5 * 10**-digits


def _financial_year_of(start: str, end: str) -> str:
    """'2021-04', '2022-03' -> '2021/22'; another span is named by its months."""
    if start.endswith("-04") and end.endswith("-03") and int(end[:4]) == int(start[:4]) + 1:
        return year_label(int(start[:4]))
    return f"{start} to {end}"


def _published_figures(published: PublishedUseOfForce | None) -> list[Figure]:
    if published is None:
        return []
    out = []
    for f in published.figures:
        out.append(
            Figure(
                f"published_{f.measure}", f.group, f.value, method=Methods.AS_PUBLISHED,
                method_args={"source": f.source, "data_source": f.data_source},
                flags=("as_published", "no_interval"), period_start=f.period_from,
                period_end=f.period_to,
            )
        )  # fmt: skip
    return out


# ----------------------------------------------------------------------------- build


def build(data: UseOfForceData, params: Params) -> UseOfForceResult:
    """Every use of force figure for ``params.force``, for the latest financial year of the
    tables that ends no later than the report's period (see the module docstring)."""
    force, confidence = params.force, params.confidence
    report_end = params.period.end
    tables = data.tables
    base = dict(
        section=SECTION, force=force, force_name=params.force_name, period=params.period.label,
        confidence=confidence, report_end=report_end, tactics_per_incident=None,
        design_effect=None, recording=None, funnel=None,
    )  # fmt: skip
    if tables is None:
        return UseOfForceResult(
            **base, status="no_tables", year="", previous_year="", latest_year="",
            population_base="", residents=None, summary_only_forces=(), summary_only_count=None,
            published=None, figures=(), caveats=(Caveat(Caveats.NO_USE_OF_FORCE_TABLES),),
        )  # fmt: skip
    years = _years(tables)
    latest = years[-1] if years else ""
    year = choose_year(years, report_end)
    if year is None:
        return UseOfForceResult(
            **base, status="no_year", year="", previous_year="", latest_year=latest,
            population_base="", residents=None, summary_only_forces=(), summary_only_count=None,
            published=None, figures=(),
            caveats=(Caveat(Caveats.USE_OF_FORCE_NO_YEAR, {"first": years[0] if years else ""}),),
        )  # fmt: skip
    previous = year_label(year_start(year) - 1)
    population = _population(data.populations, force)
    n = _incidents(tables, force, year)
    published = _published(data, tables, force, population, year)
    summary_only, summary_count = _summary_only(tables, year)
    common = dict(
        year=year, previous_year=previous, latest_year=latest, published=published,
        summary_only_forces=summary_only, summary_only_count=summary_count,
    )  # fmt: skip
    if n is None:
        return UseOfForceResult(
            **base, **common, status="no_data", population_base="", residents=None,
            figures=tuple(_published_figures(published)),
            caveats=(Caveat(Caveats.USE_OF_FORCE_NOT_PUBLISHED, {"year": year}),),
        )  # fmt: skip
    pop_base = population_base(force, population, n, 12)
    residents = int(population.loc[ALL]) if population is not None else None
    caveats: list[Caveat] = []
    if year_months(year)[1] < report_end:
        caveats.append(Caveat(Caveats.USE_OF_FORCE_OLDER_YEAR, {"year": year, "latest": latest}))
    if pop_base == "none":
        caveats.append(Caveat(Caveats.NO_RESIDENT_POPULATION))
    elif pop_base == "unrepresentative":
        caveats.append(
            Caveat(Caveats.RESIDENTS_UNREPRESENTATIVE, {"residents": residents, "incidents": n})
        )
    n_before = _incidents(tables, force, previous)
    recording = None
    if n_before:
        ratio = n / n_before
        flagged = ratio >= RECORDING_FACTOR or ratio <= 1 / RECORDING_FACTOR
        recording = RecordingCheck(year, previous, n, n_before, ratio, RECORDING_FACTOR, flagged)
        if flagged:
            caveats.append(Caveat(Caveats.RECORDING_CHANGE, {"ratio": ratio}))
    rate_pop = population if pop_base == "residents" else None
    figures = _incident_figures(n, n_before, year, previous, rate_pop, confidence, recording)
    now, force_summary = _ced(tables, force, year)
    before, _ = _ced(tables, force, previous)
    figures += _ced_figures(now or None, before or None, year, previous, confidence,
                            force_summary)  # fmt: skip
    if force_summary:
        caveats.append(Caveat(Caveats.CED_SUMMARY_ONLY, {"year": year}))
    if now and now.get("not_stated"):
        caveats.append(
            Caveat(Caveats.CED_LEVEL_NOT_STATED, {"not_stated": now["not_stated"],
                                                  "uses": now.get("uses")})
        )  # fmt: skip
    tactics = _tactics(tables, force, year)
    per_incident = deff = None
    if tactics is not None:
        per_incident, deff = design_effect(float(tactics.sum()), float(n))
    if tactics is None:
        caveats.append(Caveat(Caveats.TACTICS_NOT_PUBLISHED, {"year": year}))
    elif pop_base == "residents" and deff is not None:
        figures += _tactics_figures(tactics, population, year, deff, confidence)
        caveats.append(
            Caveat(Caveats.TACTICS_NOT_PEOPLE, {"per_incident": per_incident, "deff": deff})
        )
        caveats.append(Caveat(Caveats.OFFICER_PERCEIVED_VS_CENSUS))
    figures += _national_figures(tables, data.populations, year, confidence)
    figures += _published_figures(published)
    funnel = None
    if pop_base == "residents":
        funnel = rate_funnel(tables, data.populations, force, year, funnel_levels(confidence))
    return UseOfForceResult(
        **{**base, "tactics_per_incident": per_incident, "design_effect": deff,
           "recording": recording, "funnel": funnel},
        **common, status="ok", population_base=pop_base, residents=residents,
        figures=tuple(figures), caveats=tuple(caveats),
    )  # fmt: skip


def _summary_only(tables: UseOfForceTables, year: str) -> tuple[tuple[str, ...], int | None]:
    """Forces the year's tables mark as having sent summary CED figures only, and how many the
    year's edition says did (None where it does not say, or the edition is not in the data)."""
    ced = tables.ced
    rows = ced[(ced["financial_year"] == year) & (ced["measure"] == "uses")]
    named = tuple(sorted(rows.loc[rows["summary_only"].fillna(False).astype(bool), "force"]))
    editions = tables.editions
    said = editions.loc[editions["financial_year"] == year, "ced_summary_only_forces"].dropna()
    return named, (int(said.iloc[0]) if len(said) else None)
