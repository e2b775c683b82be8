"""Statistical process control charts as in NHS England "Making Data Count" (MDC), following
NHSRplotthedots (the NHS-R community's implementation, ``ptd_spc``) point for point."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._core import as_array, check_method

_CHARTS = ("xmr", "p")
LIMIT = 2.66  # 3 / 1.128: mean moving range to 3 sigma (Wheeler)
SCREEN = 3.267  # moving ranges above 3.267 x their mean are left out of the limits (MDC)


@dataclass(frozen=True, eq=False)
class SPCChart:
    """Per-point centre, limits and special-cause flags (arrays of the series' length).

    Result protocol: ``estimate`` is the centre line, ``lower``/``upper`` the process limits,
    ``method`` the chart type, ``statistic``/``pvalue`` NaN (no test), ``confidence`` NaN
    (3-sigma limits), ``small_numbers`` True for fewer than 15 points (or, p chart, any n below
    30), ``to_frame()``. A missing point (NaN) keeps its place: no moving range spans it and
    no run passes through it. ``phase`` numbers the phases (rebasing); ``baseline`` marks the
    points the limits were computed from.
    """

    value: np.ndarray
    centre: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    sigma: np.ndarray
    beyond_limits: np.ndarray
    shift: np.ndarray
    trend: np.ndarray
    two_of_three: np.ndarray
    special_cause: np.ndarray
    method: str
    n: np.ndarray | None = None
    small_numbers: bool = False
    phase: np.ndarray | None = None
    baseline: np.ndarray | None = None
    special_cause_type: np.ndarray | None = None
    screened: np.ndarray | None = None

    @property
    def estimate(self):
        return self.centre

    statistic = float("nan")
    pvalue = float("nan")
    confidence = float("nan")

    def to_frame(self) -> pd.DataFrame:
        k = len(self.value)
        df = pd.DataFrame(
            {
                "point": np.arange(k),
                "value": self.value,
                "centre": self.centre,
                "lower": self.lower,
                "upper": self.upper,
                "beyond_limits": self.beyond_limits,
                "shift": self.shift,
                "trend": self.trend,
                "two_of_three": self.two_of_three,
                "special_cause": self.special_cause,
                "special_cause_type": self.special_cause_type
                if self.special_cause_type is not None
                else np.where(self.special_cause, "special_cause", "common_cause"),
                "phase": self.phase if self.phase is not None else np.zeros(k, int),
                "baseline": self.baseline if self.baseline is not None else np.ones(k, bool),
                "chart": self.method,
            }
        )
        if self.n is not None:
            df.insert(2, "n", self.n)
        return df


def _runs(ok_code: np.ndarray, length: int) -> np.ndarray:
    """Points in a run of ``length`` or more equal non-zero codes (NaN codes break runs)."""
    out = np.zeros(len(ok_code), dtype=bool)
    i = 0
    while i < len(ok_code):
        c = ok_code[i]
        j = i
        while j + 1 < len(ok_code) and ok_code[j + 1] == c:
            j += 1
        if c != 0 and not np.isnan(c) and j - i + 1 >= length:
            out[i : j + 1] = True
        i = j + 1
    return out


def _trend_runs(values: np.ndarray, length: int) -> np.ndarray:
    """Points in ``length`` or more consecutive points each strictly above (or below) the one
    before (``length - 1`` steps of one sign); an equal value or a missing point breaks it."""
    if len(values) < 2:
        return np.zeros(len(values), dtype=bool)
    step = np.sign(np.diff(values))  # NaN where a point is missing
    run = _runs(step, length - 1)
    return np.r_[run, False] | np.r_[False, run]


def _two_of_three(close: np.ndarray, side: np.ndarray) -> np.ndarray:
    """NHSRplotthedots' rule: in 3 consecutive points, at least 2 close to the limits (beyond
    2 sigma but within the limits) and all 3 on the same side of the centre; the points close
    to the limits are flagged."""
    k = len(close)
    hit = np.zeros(k, dtype=bool)
    for start in range(k - 2):
        window = slice(start, start + 3)
        sides = side[window]
        if np.any(np.isnan(sides)):
            continue
        if close[window].sum() >= 2 and abs(sides.sum()) == 3:
            hit[window] = True
    return hit & close


def _phases(k: int, rebase) -> np.ndarray:
    phase = np.zeros(k, dtype=int)
    for start in sorted({int(r) for r in np.atleast_1d(rebase)}) if rebase is not None else []:
        if not 0 < start < k:
            raise ValueError(f"rebase points must be inside the series (1 to {k - 1}), got {start}")
        phase[start:] += 1
    return phase


def _baseline_mask(phase: np.ndarray, baseline) -> np.ndarray:
    """Which points each phase's limits come from: all, or the first ``baseline`` points of
    each phase (NHSRplotthedots ``fix_after_n_points``), or an explicit boolean mask."""
    k = len(phase)
    if baseline is None:
        return np.ones(k, dtype=bool)
    if isinstance(baseline, (int, np.integer)) and not isinstance(baseline, bool):
        if baseline < 2:
            raise ValueError(f"baseline must be at least 2 points, got {baseline}")
        mask = np.zeros(k, dtype=bool)
        for p in np.unique(phase):
            where = np.flatnonzero(phase == p)
            mask[where[:baseline]] = True
        return mask
    mask = np.asarray(baseline, dtype=bool)
    if mask.shape != (k,):
        raise ValueError(f"baseline must be a number of points or a mask of length {k}")
    return mask


def spc_limits(
    values,
    chart="xmr",
    n=None,
    shift_length=7,
    trend_length=7,
    two_of_three=True,
    screen_outliers=True,
    baseline=None,
    rebase=None,
    times=None,
) -> SPCChart:
    """Process limits and special-cause flags (NHS England/Improvement, "Making Data Count:
    strengthening your decisions", 2019; Wheeler, "Understanding Variation", 1993), as
    NHSRplotthedots computes them.

    ``xmr``: centre = mean; moving ranges mR = |x_i - x_{i-1}| (none across a missing point);
    with ``screen_outliers`` (the MDC default) moving ranges of 3.267 x their mean or more are
    left out and the mean recomputed; limits = centre +/- 2.66 mean mR. ``p``: ``values`` are
    counts of successes, ``n`` their denominators; centre = pooled p, limits p +/- 3
    sqrt(p (1 - p) / n_i) in [0, 1]. ``baseline``: compute the limits from the first
    ``baseline`` points of each phase (or a boolean mask) and hold them for the rest.
    ``rebase``: indices where a new phase starts, each with limits of its own. ``times``:
    each value's position; positions with no value become missing points.
    Rules (NHSRplotthedots ``ptd_special_cause_type``, in this order): beyond a limit
    (strictly); a trend of ``trend_length`` (7) points each strictly above (or below) the one
    before; 2 of 3 points close to a limit (beyond 2 sigma, within the limits) with all 3 on one
    side; a shift of ``shift_length`` (7) points on one side of the centre (a point on the
    centre line breaks it). Every point of a qualifying run is flagged; a missing point breaks
    every run. Hand-written (no Python library implements MDC); verified against
    NHSRplotthedots' test snapshots (tests/stats/test_spc_peers.py).
    """
    chart = check_method(chart, _CHARTS)
    for name, v in (("shift_length", shift_length), ("trend_length", trend_length)):
        if int(v) != v or v < 2:
            raise ValueError(f"{name} must be a whole number of at least 2, got {v!r}")
    raw = np.atleast_1d(np.asarray(values, dtype=float))
    if raw.ndim != 1:
        raise ValueError(f"values must be 1-d, got shape {raw.shape}")
    m_raw = None if n is None else np.atleast_1d(np.asarray(n, dtype=float))
    if times is not None:
        t = np.asarray(as_array("times", times, minimum=None), float)
        if t.shape != raw.shape or np.any(np.diff(t) <= 0) or np.any(t != np.round(t)):
            raise ValueError("times must be increasing whole positions, one per value")
        grid = np.arange(int(t[0]), int(t[-1]) + 1)
        full = np.full(len(grid), np.nan)
        full[(t - t[0]).astype(int)] = raw
        raw = full
        if m_raw is not None:
            mfull = np.full(len(grid), np.nan)
            mfull[(t - t[0]).astype(int)] = m_raw
            m_raw = mfull
    present = ~np.isnan(raw)
    if present.sum() < 2:
        raise ValueError(f"values must have at least 2 points, got {int(present.sum())}")
    as_array("values", raw[present], integer=chart == "p", minimum=0 if chart == "p" else None)
    k = len(raw)
    phase = _phases(k, rebase)
    base = _baseline_mask(phase, baseline) & present
    m = None
    if chart == "xmr":
        if n is not None:
            raise ValueError("n is only used by chart 'p'")
        value = raw
        centre, sigma = np.full(k, np.nan), np.full(k, np.nan)
        lower, upper = np.full(k, np.nan), np.full(k, np.nan)
        screened = np.zeros(k, dtype=bool)
        for p in np.unique(phase):
            idx = np.flatnonzero(phase == p)
            fixed = np.where(base[idx], value[idx], np.nan)
            mean = np.nanmean(fixed)
            mr = np.abs(np.diff(fixed))  # NaN across a missing or non-baseline point
            amr = np.nanmean(mr) if np.any(~np.isnan(mr)) else np.nan
            if screen_outliers and np.isfinite(amr):
                drop = mr >= SCREEN * amr
                screened[idx[1:][drop]] = True
                mr = np.where(drop, np.nan, mr)
                amr = np.nanmean(mr) if np.any(~np.isnan(mr)) else np.nan
            centre[idx] = mean
            sigma[idx] = amr / 1.128
            lower[idx], upper[idx] = mean - LIMIT * amr, mean + LIMIT * amr
        small = int(present.sum()) < 15
    else:
        if m_raw is None:
            raise ValueError("n is required for chart 'p'")
        m = m_raw.copy()
        if m.shape != raw.shape:
            raise ValueError(f"n must have one value per point, got {m.shape} for {raw.shape}")
        mp = as_array("n", m[present], integer=True, minimum=0, strict_min=True)
        if np.any(raw[present] > mp):
            raise ValueError("values must not exceed n")
        value = raw / m
        centre, sigma = np.full(k, np.nan), np.full(k, np.nan)
        for p in np.unique(phase):
            idx = np.flatnonzero(phase == p)
            used = idx[base[idx]]
            pbar = raw[used].sum() / m[used].sum()
            centre[idx] = pbar
            sigma[idx] = np.sqrt(pbar * (1 - pbar) / m[idx])
        lower = np.clip(centre - 3 * sigma, 0, 1)
        upper = np.clip(centre + 3 * sigma, 0, 1)
        screened = np.zeros(k, dtype=bool)
        small = bool(np.any(mp < 30)) or int(present.sum()) < 15
    with np.errstate(invalid="ignore"):
        # differences within a few units in the last place are rounding (the mean of equal
        # values need not equal them exactly): neither beyond a limit nor off the centre
        tol = 8 * np.spacing(np.maximum(np.abs(value), np.abs(centre)))
        beyond = present & ((value - upper > tol) | (lower - value > tol))
        off = value - centre
        side = np.where(present, np.where(np.abs(off) > tol, np.sign(off), 0.0), np.nan)
        close_band = (upper - centre) * 2 / 3
        close = present & ~beyond & (np.abs(value - centre) > close_band)
    shift = np.zeros(k, dtype=bool)
    trend = np.zeros(k, dtype=bool)
    two3 = np.zeros(k, dtype=bool)
    for p in np.unique(phase):  # runs do not cross a rebase
        idx = np.flatnonzero(phase == p)
        shift[idx] = _runs(side[idx], shift_length)
        trend[idx] = _trend_runs(value[idx], trend_length)
        if two_of_three:
            two3[idx] = _two_of_three(close[idx], side[idx])
    special = beyond | shift | trend | two3
    kind = np.full(k, "common_cause", dtype=object)
    labels = [
        (shift, "shift_above", "shift_below"),
        (two3, "two_of_three_above", "two_of_three_below"),
        (trend, "trend_increasing", "trend_decreasing"),
        (beyond, "above_upper_limit", "below_lower_limit"),
    ]
    for flag, up, down in labels:  # later rules take precedence, as ptd_special_cause_type
        if flag is trend:
            steps = np.r_[np.sign(np.diff(value)), np.nan]
            back = np.r_[np.nan, np.sign(np.diff(value))]
            direction = np.where(np.isnan(steps) | ~np.r_[trend[1:], False], back, steps)
            kind = np.where(flag, np.where(direction > 0, up, down), kind)
        else:
            kind = np.where(flag, np.where(side > 0, up, down), kind)
    kind = np.where(present, kind, "missing")
    return SPCChart(
        value=value,
        centre=centre,
        lower=lower,
        upper=upper,
        sigma=sigma,
        beyond_limits=beyond,
        shift=shift,
        trend=trend,
        two_of_three=two3,
        special_cause=special,
        method=chart,
        n=m,
        small_numbers=small,
        phase=phase,
        baseline=base,
        special_cause_type=kind,
        screened=screened,
    )
