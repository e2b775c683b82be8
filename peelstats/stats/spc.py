"""Statistical process control charts as in NHS England "Making Data Count" (MDC)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._core import as_array, broadcast, check_method, check_not_exceed

_CHARTS = ("xmr", "p")


@dataclass(frozen=True, eq=False)
class SPCChart:
    """Per-point centre, limits and special-cause flags (arrays of the series' length).

    ``estimate`` is the centre line, ``lower``/``upper`` the process limits; ``method`` is the
    chart type; ``statistic``/``pvalue`` are NaN (no test); ``confidence`` is NaN (3-sigma).
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

    @property
    def estimate(self):
        return self.centre

    statistic = float("nan")
    pvalue = float("nan")
    confidence = float("nan")

    def to_frame(self) -> pd.DataFrame:
        df = pd.DataFrame(
            {
                "point": np.arange(len(self.value)),
                "value": self.value,
                "centre": self.centre,
                "lower": self.lower,
                "upper": self.upper,
                "beyond_limits": self.beyond_limits,
                "shift": self.shift,
                "trend": self.trend,
                "two_of_three": self.two_of_three,
                "special_cause": self.special_cause,
                "chart": self.method,
            }
        )
        if self.n is not None:
            df.insert(2, "n", self.n)
        return df


def _run_flags(code, length):
    """Flag points in runs of >= length consecutive equal non-zero codes (vectorised)."""
    code = np.asarray(code)
    if code.size == 0:
        return np.zeros(0, dtype=bool)
    starts = np.r_[True, code[1:] != code[:-1]]
    run_id = np.cumsum(starts) - 1
    lengths = np.bincount(run_id)
    return (code != 0) & (lengths[run_id] >= length)


def spc_limits(
    values,
    chart="xmr",
    n=None,
    shift_length=7,
    trend_length=7,
    two_of_three=False,
) -> SPCChart:
    """Process limits and special-cause flags (NHS England/Improvement, "Making Data Count:
    strengthening your decisions", 2019; Wheeler, "Understanding Variation", 1993).

    ``xmr``: centre = mean; mR-bar = mean |x_i - x_{i-1}|; limits = mean +/- 2.66 mR-bar
    (sigma = mR-bar / 1.128). ``p``: ``values`` are counts of successes, ``n`` their
    denominators; value = x_i/n_i, centre = pooled p = sum x / sum n, limits
    p +/- 3 sqrt(p(1-p)/n_i) clipped to [0, 1].
    Rules (MDC): beyond_limits = a point strictly above the upper or below the lower limit;
    shift = a run of ``shift_length`` (7) or more consecutive points on the same side of the
    centre line (a point exactly on the centre line breaks the run); trend = ``trend_length``
    (7) or more consecutive points each strictly higher (or each strictly lower) than the one
    before (an equal value breaks the run); optional two_of_three = 2 of 3 consecutive points
    beyond 2 sigma on the same side (flagged points are the ones beyond 2 sigma).
    Every point in a qualifying run is flagged. special_cause = any flag.
    Hand-written (no statsmodels equivalent); verified against worked examples by hand.
    """
    chart = check_method(chart, _CHARTS)
    for name, v in (("shift_length", shift_length), ("trend_length", trend_length)):
        if int(v) != v or v < 2:
            raise ValueError(f"{name} must be a whole number of at least 2, got {v!r}")
    integer = chart == "p"
    x = np.atleast_1d(as_array("values", values, integer=integer, minimum=0 if integer else None))
    if x.ndim != 1 or len(x) < 2:
        raise ValueError(f"values must be 1-d with at least 2 points, got shape {x.shape}")
    m = None
    if chart == "xmr":
        if n is not None:
            raise ValueError("n is only used by chart 'p'")
        value = x
        centre = np.full_like(x, x.mean())
        mr = np.abs(np.diff(x)).mean()
        sigma = np.full_like(x, mr / 1.128)
        lower, upper = centre - 2.66 * mr, centre + 2.66 * mr
        small = len(x) < 15
    else:
        if n is None:
            raise ValueError("n is required for chart 'p'")
        m = np.atleast_1d(as_array("n", n, integer=True, minimum=0, strict_min=True))
        x, m = broadcast(values=x, n=m)
        check_not_exceed("values", x, "n", m)
        value = x / m
        p = x.sum() / m.sum()
        centre = np.full_like(x, p)
        sigma = np.sqrt(p * (1 - p) / m)
        lower, upper = np.clip(p - 3 * sigma, 0, 1), np.clip(p + 3 * sigma, 0, 1)
        small = bool(np.any(m < 30)) or len(x) < 15
    beyond = (value > upper) | (value < lower)
    side = np.sign(value - centre)
    shift = _run_flags(side, shift_length)
    step = np.sign(np.diff(value))
    # a run of k equal-sign steps covers k + 1 points: need k >= trend_length - 1
    step_run = _run_flags(step, trend_length - 1)
    trend = np.r_[step_run, False] | np.r_[False, step_run]
    if two_of_three:
        out2 = np.where(value > centre + 2 * sigma, 1, np.where(value < centre - 2 * sigma, -1, 0))
        flag = np.zeros_like(beyond)
        for s in (1, -1):
            hit = (out2 == s).astype(int)
            win = np.convolve(hit, np.ones(3, dtype=int), mode="valid") >= 2  # window starts
            cover = np.zeros(len(x), dtype=bool)
            for j in range(3):  # loop over the 3 window offsets only
                cover[j : j + len(win)] |= win
            flag |= cover & (out2 == s)
        two3 = flag
    else:
        two3 = np.zeros_like(beyond)
    special = beyond | shift | trend | two3
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
    )
