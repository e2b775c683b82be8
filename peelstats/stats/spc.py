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
    """A control chart: per-point centre, limits and special-cause flags.

    Returned by :func:`spc_limits`. Follows the result protocol: ``estimate`` is the centre
    line, ``lower``/``upper`` the process limits, ``method`` the chart type,
    ``statistic``/``pvalue`` NaN (no test), ``confidence`` NaN (3-sigma limits), ``to_frame()``.

    Parameters
    ----------
    value : ndarray
        The plotted values (``p``: proportions), NaN where a point is missing.
    centre, lower, upper, sigma : ndarray
        Centre line, process limits and sigma at each point.
    beyond_limits, shift, trend, two_of_three, special_cause : ndarray of bool
        The rules' flags and their union.
    method : str
        "xmr" or "p".
    n : ndarray, optional
        Denominators (``p`` chart).
    small_numbers : bool
        Fewer than 15 points, or (``p``) any n below 30.
    phase : ndarray of int, optional
        Phase of each point (rebasing).
    baseline : ndarray of bool, optional
        The points the limits were computed from.
    special_cause_type : ndarray of str, optional
        Per point: "common_cause", "missing", "above_upper_limit", "below_lower_limit",
        "shift_above"/"shift_below", "trend_increasing"/"trend_decreasing" or
        "two_of_three_above"/"two_of_three_below".
    screened : ndarray of bool, optional
        Points whose moving range was screened out of the limits.

    References
    ----------
    NHS England and NHS Improvement (2019) Making Data Count.

    Examples
    --------
    NHSRplotthedots' facet snapshot (tests/testthat/_snaps/ptd_spc.md, commit 050b07d): the
    first ten of R's ``set.seed(123); rnorm(20)`` have mean 0.0746 and limits -2.60 to 2.75.

    >>> from peelstats.stats import spc_limits
    >>> y = [-0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499,
    ...      0.46091621, -1.26506123, -0.68685285, -0.44566197]
    >>> df = spc_limits(y).to_frame()
    >>> print(f"{df.centre[0]:.4f} {df.lower[0]:.2f} {df.upper[0]:.2f}", set(df.special_cause_type))
    0.0746 -2.60 2.75 {'common_cause'}
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
        """The centre line (the result protocol's estimate)."""
        return self.centre

    statistic = float("nan")
    pvalue = float("nan")
    confidence = float("nan")

    def to_frame(self) -> pd.DataFrame:
        """Tidy frame: one row per point.

        Returns
        -------
        pandas.DataFrame
            ``point``, ``value`` (and ``n``), ``centre``, the limits, each rule's flag,
            ``special_cause``, ``special_cause_type``, ``phase``, ``baseline`` and ``chart``.
        """
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
    """Process limits and special-cause flags of a statistical process control chart.

    As NHS England's "Making Data Count" (MDC) and NHSRplotthedots (``ptd_spc``) compute them,
    point for point. Hand-written: no Python library implements MDC.

    Parameters
    ----------
    values : array_like
        One value per point in time order (``p``: successes); NaN is a missing point, which
        keeps its place: no moving range spans it and no run passes through it.
    chart : {"xmr", "p"}
        ``xmr``: centre = mean; moving ranges mR = abs(x_i - x_{i-1}); limits = centre +/-
        2.66 mean mR. ``p``: centre = pooled p, limits p +/- 3 sqrt(p (1 - p) / n_i) in [0, 1].
    n : array_like, optional
        Denominators, one per point; required for ``p``, refused for ``xmr``.
    shift_length, trend_length : int, default 7
        Points in a shift (on one side of the centre; a point on the centre breaks it) and in
        a trend (each strictly above, or below, the one before).
    two_of_three : bool, default True
        Flag 2 of 3 points close to a limit (beyond 2 sigma, within the limits) with all 3 on
        one side.
    screen_outliers : bool, default True
        Leave moving ranges of 3.267 x their mean or more out of the limits and recompute the
        mean (the MDC default; ``xmr`` only).
    baseline : int or array_like of bool, optional
        Compute the limits from the first ``baseline`` points of each phase (NHSRplotthedots
        ``fix_after_n_points``), or from a mask, and hold them for the rest.
    rebase : int or array_like of int, optional
        Indices where a new phase starts, each with limits of its own; runs do not cross.
    times : array_like of int, optional
        Each value's whole-number position; positions with no value become missing points.

    Returns
    -------
    SPCChart
        Per point: centre, limits, sigma, the rule flags, ``special_cause`` and
        ``special_cause_type``. Rules in NHSRplotthedots' order (``ptd_special_cause_type``):
        beyond a limit (strictly), trend, two of three, shift; every point of a qualifying run
        is flagged.

    Raises
    ------
    ValueError
        An unknown chart; shift or trend length not a whole number of at least 2; values not
        1-d, fewer than 2 points, or (``p``) not whole numbers from 0; ``n`` missing for
        ``p``, given for ``xmr``, of another length, not whole numbers above 0, or below the
        successes; ``times`` not increasing whole positions; a rebase point outside the
        series; a baseline of fewer than 2 points or a mask of another length.

    References
    ----------
    NHS England and NHS Improvement (2019) Making Data Count: strengthening your decisions.
    Wheeler DJ (1993) Understanding Variation, SPC Press. Verified against NHSRplotthedots'
    test snapshots (tests/stats/test_peers.py).

    Examples
    --------
    NHSRplotthedots' snapshot (tests/testthat/_snaps/ptd_spc_standard.md, commit 050b07d) for
    R's ``set.seed(123); rnorm(20)``: mean 0.1416238, limits -3.01138 and 3.294627, all 20
    points common cause.

    >>> from peelstats.stats import spc_limits
    >>> y = [-0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499,
    ...      0.46091621, -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383,
    ...      0.40077145, 0.11068272, -0.55584113, 1.78691314, 0.49785048, -1.96661716,
    ...      0.70135590, -0.47279141]
    >>> c = spc_limits(y)
    >>> print(f"{c.centre[0]:.7f} {c.lower[0]:.5f} {c.upper[0]:.6f}", c.special_cause.any())
    0.1416238 -3.01138 3.294627 False

    The same with point 15 set to 10: screened, 0.6694159, -2.383666 and 3.722497; not
    screened, -4.596625 and 5.935457.

    >>> y[14] = 10
    >>> c = spc_limits(y)
    >>> print(f"{c.centre[0]:.7f} {c.lower[0]:.6f} {c.upper[0]:.6f}")
    0.6694159 -2.383666 3.722497
    >>> c = spc_limits(y, screen_outliers=False)
    >>> print(f"{c.lower[0]:.6f} {c.upper[0]:.6f}")
    -4.596625 5.935457
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
