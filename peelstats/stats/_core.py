"""Validation, result objects and the small-numbers rule shared by every statistics kernel.

Small-numbers rule (the one place it is defined; docs/methods.md repeats it):

* proportions: ``n < 30``; and, for normal-approximation methods (``normal`` single
  proportions, ``wald`` differences), also fewer than 5 successes or fewer than 5 failures;
* counts for rates, rate ratios and trend tests on counts: a count ``< 10``
  (for a ratio: either count);
* ``compare_groups``: a group (or the reference group) with ``n < 30``.

The flag never changes an estimate; it travels with every result so that a report can
suppress or footnote the figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

MIN_N = 30
MIN_CELL = 5
MIN_COUNT = 10


def small_proportion(successes, n, normal_approx: bool = False):
    """Small-numbers flag for a proportion (see module docstring)."""
    flag = np.asarray(n) < MIN_N
    if normal_approx:
        s, m = np.asarray(successes), np.asarray(n)
        flag = flag | (s < MIN_CELL) | ((m - s) < MIN_CELL)
    return flag


def small_count(*counts):
    """Small-numbers flag for counts: any count below MIN_COUNT."""
    flag = np.zeros(np.broadcast(*[np.asarray(c) for c in counts]).shape, dtype=bool)
    for c in counts:
        flag = flag | (np.asarray(c) < MIN_COUNT)
    return flag


# ----------------------------------------------------------------------------- validation


def check_method(method: Any, valid, aliases: dict | None = None) -> str:
    """Return the canonical method name, or raise ValueError listing the valid ones."""
    aliases = aliases or {}
    if isinstance(method, str):
        key = method.strip().lower()
        key = aliases.get(key, key)
        if key in valid:
            return key
    names = ", ".join(repr(v) for v in list(valid) + list(aliases))
    raise ValueError(f"method {method!r} is not one of the valid methods: {names}")


def check_confidence(confidence: Any, name: str = "confidence") -> float:
    """A confidence level strictly between 0 and 1."""
    try:
        c = float(confidence)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number in (0, 1), got {confidence!r}") from None
    if not (0.0 < c < 1.0):
        raise ValueError(f"{name} must be strictly between 0 and 1, got {confidence!r}")
    return c


def z_value(confidence: float) -> float:
    """Two-sided standard normal quantile for a confidence level."""
    return float(stats.norm.ppf(0.5 + confidence / 2.0))


def _where(arr: np.ndarray, mask: np.ndarray) -> str:
    idx = np.argwhere(np.atleast_1d(mask))[0]
    value = np.atleast_1d(arr)[tuple(idx)]
    if arr.ndim == 0:
        return f"value {value:g}"
    at = int(idx[0]) if len(idx) == 1 else tuple(int(i) for i in idx)
    return f"value {value:g} at index {at}"


def as_array(
    name: str,
    value: Any,
    *,
    integer: bool = False,
    minimum: float | None = 0.0,
    strict_min: bool = False,
    maximum: float | None = None,
    allow_inf: bool = False,
) -> np.ndarray:
    """Convert to a float array and check NaN, sign and integrality, naming the argument."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be numeric, got {value!r}") from None
    if arr.size == 0:
        raise ValueError(f"{name} must not be empty")
    bad = np.isnan(arr)
    if bad.any():
        raise ValueError(f"{name} must not contain NaN ({_where(arr, bad)})")
    if not allow_inf:
        bad = np.isinf(arr)
        if bad.any():
            raise ValueError(f"{name} must be finite ({_where(arr, bad)})")
    if minimum is not None:
        bad = arr <= minimum if strict_min else arr < minimum
        if bad.any():
            rel = "greater than" if strict_min else "at least"
            raise ValueError(f"{name} ({_where(arr, bad)}) must be {rel} {minimum:g}")
    if maximum is not None:
        bad = arr > maximum
        if bad.any():
            raise ValueError(f"{name} ({_where(arr, bad)}) must be at most {maximum:g}")
    if integer:
        bad = arr != np.round(arr)
        if bad.any():
            raise ValueError(f"{name} must be whole counts ({_where(arr, bad)} is not)")
    return arr


def broadcast(**arrays: np.ndarray) -> list[np.ndarray]:
    """Broadcast arrays together, or raise ValueError naming the mismatched arguments."""
    try:
        out = np.broadcast_arrays(*arrays.values())
    except ValueError:
        shapes = ", ".join(f"{k} {np.shape(v)}" for k, v in arrays.items())
        raise ValueError(f"shapes do not match: {shapes}") from None
    return [np.array(a, dtype=float) for a in out]


def check_not_exceed(small_name: str, small, big_name: str, big) -> None:
    """Raise e.g. 'successes (value 12 at index 3) must not exceed n (10)'."""
    bad = small > big
    if bad.any():
        idx = tuple(np.argwhere(np.atleast_1d(bad))[0])
        b = np.atleast_1d(big)[idx]
        raise ValueError(f"{small_name} ({_where(small, bad)}) must not exceed {big_name} ({b:g})")


def scalarise(value):
    """0-d arrays become plain Python floats/bools/strs; arrays stay arrays."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return value.item()
    if isinstance(value, np.generic):
        return value.item()
    return value


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True, eq=False)
class Result:
    """A vectorised estimate with its interval and, where defined, its test.

    Returned by :func:`proportion_ci`, :func:`audit_margin`, :func:`sample_size`,
    :func:`implied_sample_size`, :func:`rate_ci`, :func:`rate_ratio` and
    :func:`stratified_odds_ratio`; the base of :class:`Comparison`, :class:`GroupComparison`
    and :class:`Trend`. Frozen. Scalar inputs give plain Python floats and bools; array inputs
    give numpy arrays of the broadcast input shape. Unpacks as ``(statistic, pvalue)`` like
    statsmodels' test results.

    Parameters
    ----------
    estimate, lower, upper : float or ndarray
        The point estimate and its confidence limits.
    method : str
        The canonical name of the method used.
    confidence : float
        The level of ``lower``/``upper``.
    statistic, pvalue : float or ndarray
        The test statistic and its two-sided p-value; NaN where no test applies.
    small_numbers : bool or ndarray of bool
        The small-numbers flag (the rule is in ``peelstats.stats._core``); never changes a figure.
    inputs : dict
        The (broadcast) inputs, which ``to_frame`` puts first.
    extra : dict
        Further columns for ``to_frame``.

    References
    ----------
    Newcombe RG (1998) Stat Med 17:857-872 (the values in the example).

    Examples
    --------
    Newcombe (1998) Table I, Wilson score intervals: 81 of 263, 0.2553 to 0.3662; 15 of 148,
    0.0624 to 0.1605.

    >>> from peelstats.stats import proportion_ci
    >>> r = proportion_ci([81, 15], [263, 148])
    >>> for row in r.to_frame().itertuples():
    ...     print(f"{row.successes:.0f}/{row.n:.0f}: {row.lower:.4f} to {row.upper:.4f}")
    81/263: 0.2553 to 0.3662
    15/148: 0.0624 to 0.1605
    """

    estimate: Any
    lower: Any
    upper: Any
    method: str
    confidence: float
    statistic: Any
    pvalue: Any
    small_numbers: Any
    inputs: dict = field(default_factory=dict, repr=False)
    extra: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        for f in ("estimate", "lower", "upper", "statistic", "pvalue", "small_numbers"):
            object.__setattr__(self, f, scalarise(getattr(self, f)))

    def __iter__(self):
        """Unpack as ``(statistic, pvalue)`` like statsmodels' test results."""
        return iter((self.statistic, self.pvalue))

    def to_frame(self) -> pd.DataFrame:
        """Tidy frame: one row per input element.

        Returns
        -------
        pandas.DataFrame
            The inputs, then ``estimate``, ``lower``, ``upper``, ``method``, ``confidence``,
            ``statistic``, ``p_value``, ``small_numbers`` and any ``extra`` columns.
        """
        shape = np.shape(self.estimate)
        size = int(np.prod(shape)) if shape else 1

        def col(v):
            a = np.asarray(v)
            if a.ndim == 0:
                return np.repeat(a, size)
            return np.broadcast_to(a, shape).ravel()

        data = {k: col(v) for k, v in self.inputs.items()}
        data.update(
            estimate=col(self.estimate).astype(float),
            lower=col(self.lower).astype(float),
            upper=col(self.upper).astype(float),
            method=self.method,
            confidence=self.confidence,
            statistic=col(self.statistic).astype(float),
            p_value=col(self.pvalue).astype(float),
            small_numbers=col(self.small_numbers).astype(bool),
        )
        for k, v in self.extra.items():
            data[k] = col(v) if not isinstance(v, str) else v
        return pd.DataFrame(data)


def result_fields() -> list[str]:
    return [f.name for f in fields(Result)]


def make_result(cls=Result, *, inputs, **kw):
    """Build a result, turning every array attribute into a float/bool of the right shape."""
    return cls(inputs=inputs, **kw)
