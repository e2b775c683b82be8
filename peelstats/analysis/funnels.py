"""The comparison across forces: the all-forces summary of a period, computed once per quarter
(:func:`all_forces_summary`), and a force placed on each funnel plot among the compared forces
(one frozen :class:`Funnel` per measure).

Limits are Spiegelhalter's (2005) additive random-effects limits, as FunnelPlotR draws them:
log scale for rates and ratios of counts, arcsine square root for proportions, tau^2 after 10%
winsorisation (:func:`peelstats.stats.funnel_limits`). The result carries what the words need:
the spread between forces beyond chance (tau, back-transformed), the limits at the force's own
size (what a force of that size would need to be flagged) and how many forces chance alone
would put outside the inner limits. The inner limit is the run's confidence level (95% by
default), the outer the conventional 99.8% (:func:`funnel_levels`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.stats import norm as stats_norm

from peelstats import stats
from peelstats.analysis.results import Table, num, register
from peelstats.analysis.searches import (
    ALL,
    SearchData,
    coverage_for,
    ethnicity_recording,
    group_counts,
    group_populations,
    linked_recording,
    population_base,
)
from peelstats.data.safe_csv import restore_frame
from peelstats.vocabulary import DEFAULT_CONFIDENCE, Period

OUTER_LEVEL = 0.998


def funnel_levels(confidence: float = DEFAULT_CONFIDENCE) -> tuple[float, ...]:
    """The control limits a funnel draws: the run's confidence level and the conventional outer
    99.8% (PHE's "3 sigma"); the run's level alone when it is 99.8% or above."""
    inner = float(confidence)
    return (inner, OUTER_LEVEL) if inner < OUTER_LEVEL else (inner,)


FUNNEL_LEVELS = funnel_levels()
OVERDISPERSION = "additive"
#: the share of forces whose underlying values the spread in words covers (19 in 20)
SPREAD_SHARE = 0.95
MIN_UNITS = 3


@register
@dataclass(frozen=True)
class Funnel:
    """One funnel plot: the force among the compared forces.

    ``position`` is where the force's value sits: 'above_0.998', 'above_0.95', 'within',
    'below_0.95', 'below_0.998', or None when the force is not on the funnel (``absent``
    says why: 'incomplete', 'no_population', 'linked_not_recorded', 'too_few_forces',
    'no_outcomes'). ``kind`` is 'rate' (per 1,000), 'proportion' or 'ratio'; ``scale`` the
    scale of the limits; ``spread_low``/``spread_high`` the range within which 95% of the forces'
    underlying values would lie beyond chance: the target +/- 1.96 tau, back-transformed (None
    without overdispersion); ``limit_low``/``limit_high`` the inner limits (the lowest of
    ``levels``) at the force's own denominator; ``expected_outside`` how many of the ``units``
    would fall outside the inner limits by chance alone.
    """

    measure: str
    units: int
    excluded: tuple[str, ...]
    target: float | None
    value: float | None
    position: str | None
    absent: str | None
    overdispersion: str
    phi: float | None
    tau2: float | None
    levels: tuple[float, ...]
    points: Table | None
    limits: Table | None
    kind: str = "rate"
    scale: str = "log"
    spread_low: float | None = None
    spread_high: float | None = None
    limit_low: float | None = None
    limit_high: float | None = None
    expected_outside: float | None = None


def absent_funnel(measure: str, kind: str, units: int, excluded, reason: str,
                  levels=FUNNEL_LEVELS) -> Funnel:  # fmt: skip
    """A funnel the force is not placed on, with the reason code."""
    return Funnel(
        measure, units, tuple(excluded), None, None, None, reason, OVERDISPERSION, None, None,
        tuple(float(v) for v in levels), None, None, kind=kind,
    )  # fmt: skip


def _position(flags: pd.Series, levels) -> str:
    position = "within"
    for level in sorted(levels):
        for side in ("above", "below"):
            if bool(flags.get(f"{side}_{level:g}", False)):
                position = f"{side}_{level:g}"
    return position


def place(
    measure: str,
    ids,
    observed,
    denominator,
    force: str,
    kind: str,
    *,
    per: float = 1000,
    excluded=(),
    absent_reason: str = "incomplete",
    excluded_reason: str = "linked_not_recorded",
    levels=FUNNEL_LEVELS,
) -> Funnel:
    """``force`` on the funnel of ``observed``/``denominator`` across ``ids``.

    kind 'rate': value per ``per`` of the denominator; 'proportion': observed out of the
    denominator; 'ratio': observed over an expected count (the denominator), the target being
    sum(observed) / sum(expected). Fewer than 3 units: no funnel ('too_few_forces'). A force
    not among ``ids`` is not placed: ``excluded_reason`` when it is in ``excluded`` (left out
    for this measure), ``absent_reason`` otherwise (e.g. not in the compared forces at all).
    """
    ids = pd.Series(list(ids), dtype=str).reset_index(drop=True)
    x = np.asarray(observed, float)
    n = np.asarray(denominator, float)
    keep = n > 0
    ids, x, n = ids[keep].reset_index(drop=True), x[keep], n[keep]
    if len(ids) < MIN_UNITS:
        return absent_funnel(measure, kind, len(ids), excluded, "too_few_forces", levels)
    inner = min(float(v) for v in levels)
    levels = tuple(levels)
    every = _funnel_of_all(kind, float(per), levels, tuple(ids), x.tobytes(), n.tobytes())
    mine = every.points[every.points["force"] == force]
    position = value = limit_low = limit_high = None
    absent = None
    if mine.empty:
        absent = excluded_reason if force in excluded else absent_reason
    else:
        row = mine.iloc[0]
        value = float(row["value"])
        position = _position(row, levels)
        own_size = [float(n[(ids == force).to_numpy()][0])]
        own = stats.funnel_limits(
            n, every.target, observed=x, grid=own_size, **{**every.common, "levels": (inner,)}
        )
        limit_low, limit_high = float(own.lower[0, 0]), float(own.upper[0, 0])
    limits = every.limits
    return Funnel(
        measure=measure,
        units=len(ids),
        excluded=tuple(excluded),
        target=every.target,
        value=value,
        position=position,
        absent=absent,
        overdispersion=OVERDISPERSION,
        phi=num(limits.phi),
        tau2=num(limits.tau2),
        levels=tuple(float(v) for v in levels),
        points=every.points_table,
        limits=every.limits_table,
        kind=kind,
        scale=limits.scale,
        spread_low=None if every.spread is None else every.spread[0],
        spread_high=None if every.spread is None else every.spread[1],
        limit_low=limit_low,
        limit_high=limit_high,
        expected_outside=float(limits.expected_outside(inner)),
    )


@dataclass(frozen=True)
class _EveryForce:
    """What a funnel is for every force alike (see :func:`_funnel_of_all`)."""

    target: float
    common: dict
    limits: object  # stats.FunnelLimits
    points: pd.DataFrame
    points_table: Table
    limits_table: Table
    spread: tuple[float, float] | None


@functools.lru_cache(maxsize=64)
def _funnel_of_all(kind: str, per: float, levels: tuple, ids: tuple, x: bytes, n: bytes):
    """What a funnel is for every force alike: its target, limits, every force's flags, and
    the tables and spread a result carries. Computed once per process for the same inputs
    (each force of a period has the same funnels; only its own place differs). The results
    are shared: read them, never change them."""
    x, n = np.frombuffer(x, float).copy(), np.frombuffer(n, float).copy()
    scale_factor = per if kind == "rate" else 1.0
    target = float(x.sum() / n.sum() * scale_factor)
    common = dict(kind=kind, levels=levels, overdispersion=OVERDISPERSION,
                  per=per if kind == "rate" else 1000)  # fmt: skip
    grid = np.unique(np.geomspace(n.min() * 0.5, n.max() * 1.5, 60))
    limits = stats.funnel_limits(n, target, observed=x, grid=grid, **common)
    flags = stats.funnel_flags(x, n, target, **common).to_frame().reset_index(drop=True)
    points = pd.concat([pd.DataFrame({"force": pd.Series(ids, dtype=str)}), flags], axis=1)
    spread = limits.between_unit_range(sd=float(stats_norm.ppf(0.5 + SPREAD_SHARE / 2)))
    lim = limits.to_frame()[["denominator", "level", "lower", "upper"]]
    return _EveryForce(
        target, common, limits, points,
        points_table=Table.from_frame(points[["force", "observed", "denominator", "value"]]),
        limits_table=Table.from_frame(lim),
        spread=spread,
    )  # fmt: skip


# ----------------------------------------------------------------------------- all forces

SUMMARY_COLUMNS = [
    "force",
    "searches",
    "linked_finds",
    "arrests",
    "population",
    "black_searches",
    "white_searches",
    "black_population",
    "white_population",
    "linked_status",
    "ethnicity_status",
]


def all_forces_summary(data: SearchData, period: Period, definition: str = "self") -> pd.DataFrame:
    """One row per force with a complete year and a resident population (columns fixed, so an
    empty summary is still a readable table)."""
    rows = []
    for force in data.forces:
        coverage = coverage_for(data, force, period.months)
        population = group_populations(data, force)
        if not coverage.complete or population is None:
            continue
        counts = group_counts(data, force, period.months, definition)
        if population_base(force, population, int(counts.loc[ALL, "searches"]), 12) != (
            "residents"
        ):
            continue
        rows.append(
            {
                "force": force,
                "searches": int(counts.loc[ALL, "searches"]),
                "linked_finds": int(counts.loc[ALL, "linked_finds"]),
                "arrests": int(counts.loc[ALL, "arrests"]),
                "population": int(population.loc[ALL]),
                "black_searches": int(counts.loc["Black", "searches"]),
                "white_searches": int(counts.loc["White", "searches"]),
                "black_population": int(population.loc["Black"]),
                "white_population": int(population.loc["White"]),
                "linked_status": linked_recording(counts).status,
                "ethnicity_status": ethnicity_recording(counts).status,
            }
        )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def read_all_forces(path) -> pd.DataFrame:
    """The all-forces summary written once per period by a batch (its text as it was before
    the writer neutralised it, :mod:`peelstats.data.safe_csv`)."""
    types = {"force": str, "linked_status": str, "ethnicity_status": str}
    frame = restore_frame(pd.read_csv(path, dtype=types))
    return frame.reindex(columns=SUMMARY_COLUMNS)


def funnels(summary: pd.DataFrame, force: str, levels=FUNNEL_LEVELS) -> tuple[Funnel, ...]:
    """The force on each funnel among every force with a complete year: the search rate per
    1,000 residents, the linked find rate (forces with the linked field recorded) and the
    Black/White rate ratio (forces with ethnicity mostly recorded; observed searches of Black
    people against those expected at the force's own White rate: Black residents x White
    searches / White residents)."""
    ids = summary["force"].astype(str)
    out = [
        place("search_rate_per_1000", ids, summary["searches"], summary["population"], force,
              "rate", per=1000, levels=levels),
    ]  # fmt: skip
    recorded = summary[summary["linked_status"] == "recorded"]
    excluded = tuple(sorted(set(ids) - set(recorded["force"].astype(str))))
    out.append(
        place("linked_find_rate", recorded["force"], recorded["linked_finds"],
              recorded["searches"], force, "proportion", excluded=excluded, levels=levels)
    )  # fmt: skip
    unrecorded = summary["ethnicity_status"].astype(str) == "not_recorded"
    ethnicity_unrecorded = set(summary.loc[unrecorded, "force"].astype(str))
    white = summary[
        (summary["white_searches"] > 0) & (summary["black_population"] > 0) & ~unrecorded
    ]
    expected = (
        white["black_population"].to_numpy(float)
        * white["white_searches"].to_numpy(float)
        / white["white_population"].to_numpy(float)
    )
    left_out = tuple(sorted(set(ids) - set(white["force"].astype(str))))
    out.append(
        place("black_white_ratio", white["force"], white["black_searches"], expected, force,
              "ratio", excluded=left_out, levels=levels,
              excluded_reason="ethnicity_not_recorded" if force in ethnicity_unrecorded
              else "no_population")
    )  # fmt: skip
    return tuple(out)
