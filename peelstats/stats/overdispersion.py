"""Overdispersion between units for funnel plots, and the scales its limits are drawn on.

With many units (forces) that differ for reasons beyond chance, :func:`estimate_overdispersion`
measures that spread: the multiplicative factor phi (the mean squared z-score) and the additive
between-unit variance tau^2 (DerSimonian-Laird on a transformed scale after 10% winsorisation or
truncation of the z-scores), as FunnelPlotR and the NHS SHMI do (Spiegelhalter 2005, Stat Med
24:1185). :mod:`peelstats.stats.funnel` draws limits with them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ._core import as_array, broadcast, check_method, check_not_exceed

_KINDS = ("proportion", "rate", "ratio")
_FUNNEL_METHODS = ("exact", "normal", "wilson-score", "exact-expected", "byar")
_OVERDISPERSION = (None, "multiplicative", "additive")
_SCALES = ("natural", "log", "sqrt")
_TRIMS = ("winsorise", "truncate")
_TRIM_ALIASES = {"winsorize": "winsorise", "winsorisation": "winsorise", "truncation": "truncate"}


# ----------------------------------------------------------------------------- transforms


def _unit_value(x, d, kind):
    """Per unit of denominator: x/n (proportion, rate per 1) or O/E (ratio)."""
    return x / d


def _transform(kind: str, scale: str, value, theta, d):
    """(y, theta', s): the value and target on the scale, and the within-unit SE there.

    proportion: natural y = p, s = sqrt(theta (1 - theta) / n); sqrt (arcsine square root)
    y = asin(sqrt(p)), s = 1 / (2 sqrt(n)).
    rate (theta per unit of denominator) and ratio (O/E, theta the target ratio): the
    expected count is E = theta n (rate) or theta E (ratio); natural y = value,
    s = theta / sqrt(E); log y = log(value), s = 1 / sqrt(E) (a zero count is taken as 0.5);
    sqrt y = sqrt(value), s = sqrt(theta) / (2 sqrt(E)).
    """
    value = np.asarray(value, float)
    d = np.asarray(d, float)
    if kind == "proportion":
        if scale == "natural":
            return value, theta, np.sqrt(theta * (1 - theta) / d)
        if scale == "sqrt":
            return (
                np.arcsin(np.sqrt(np.clip(value, 0, 1))),
                float(np.arcsin(np.sqrt(theta))),
                1 / (2 * np.sqrt(d)),
            )
        raise ValueError("scale 'log' is not offered for proportions: use 'natural' or 'sqrt'")
    expected = theta * d
    if scale == "natural":
        return value, theta, theta / np.sqrt(expected)
    if scale == "log":
        with np.errstate(divide="ignore"):
            safe = np.where(value > 0, value, 0.5 / d)
        return np.log(safe), float(np.log(theta)), 1 / np.sqrt(expected)
    return np.sqrt(value), float(np.sqrt(theta)), np.sqrt(theta) / (2 * np.sqrt(expected))


def _back(kind: str, scale: str, v):
    v = np.asarray(v, float)
    if scale == "natural":
        return v
    if scale == "log":
        return np.exp(v)
    if kind == "proportion":
        return np.sin(np.clip(v, 0, np.pi / 2)) ** 2
    return np.clip(v, 0, None) ** 2


def _default_scale(kind: str, overdispersion) -> str:
    if overdispersion == "additive":
        return "sqrt" if kind == "proportion" else "log"
    return "natural"


# ----------------------------------------------------------------------------- overdispersion


@dataclass(frozen=True, eq=False)
class Overdispersion:
    """Spiegelhalter's (2005) overdispersion of units against a target.

    Returned by :func:`estimate_overdispersion`; unpacks as ``(phi, tau2)``.

    Parameters
    ----------
    phi : float
        The mean squared (winsorised or truncated) z-score; ``estimate`` too.
    tau2 : float
        The between-unit variance on ``scale``.
    z : ndarray
        The units' z-scores before trimming (NaN where a unit carries no information).
    used : ndarray of bool
        The units that entered phi (all informative units, when winsorising).
    kind, scale, trim : str
        As passed to :func:`estimate_overdispersion`.
    trim_fraction : float
        The fraction trimmed at each end.

    References
    ----------
    Spiegelhalter DJ (2005) Stat Med 24:1185-1202.

    Examples
    --------
    FunnelPlotR's test value for its six standardised ratios: phi = 2.948033.

    >>> from peelstats.stats import estimate_overdispersion
    >>> phi, tau2 = estimate_overdispersion(
    ...     [100, 150, 180, 80, 120, 225], [108, 112, 165, 95, 100, 220], 1.0, kind="ratio",
    ...     scale="log", trim="truncate")
    >>> print(f"{phi:.6f}")
    2.948033
    """

    phi: float
    tau2: float
    z: np.ndarray
    used: np.ndarray
    kind: str
    scale: str
    trim: str
    trim_fraction: float

    def __iter__(self):
        return iter((self.phi, self.tau2))

    @property
    def estimate(self):
        return self.phi

    @property
    def n_units(self) -> int:
        return int(len(self.z))

    @property
    def n_used(self) -> int:
        return int(np.sum(self.used))

    def between_unit_factor(self, level: float = 0.95) -> float | None:
        """On the log scale: exp(z tau), the factor within which about ``level`` of units'
        underlying values lie around the target once chance is set aside (e.g. 1.5: units
        differ from the average by up to a factor of about 1.5). None on other scales."""
        if self.scale != "log":
            return None
        return float(np.exp(stats.norm.ppf(0.5 + level / 2) * np.sqrt(self.tau2)))

    def to_frame(self) -> pd.DataFrame:
        """Tidy frame: one row per unit.

        Returns
        -------
        pandas.DataFrame
            ``z``, ``used``, and ``phi``, ``tau2``, ``scale``, ``trim`` repeated.
        """
        return pd.DataFrame(
            {"z": self.z, "used": self.used, "phi": self.phi, "tau2": self.tau2,
             "scale": self.scale, "trim": self.trim}
        )  # fmt: skip


def _trimmed(z: np.ndarray, trim: str, fraction: float):
    """(z used for phi, mask of units used). Winsorise: clip at the fraction and 1 - fraction
    quantiles (R type 7, numpy linear). Truncate: FunnelPlotR/SHMI ranking into 1/fraction
    groups, dropping the lowest and highest group."""
    if trim == "winsorise":
        lo, hi = np.quantile(z, [fraction, 1 - fraction])
        return np.clip(z, lo, hi), np.ones(len(z), dtype=bool)
    groups = 1 / fraction
    ranks = stats.rankdata(z, method="average")
    sp = np.floor(ranks * groups / (len(z) + 1))
    keep = (sp > 0) & (sp < groups - 1)
    return z[keep], keep


def estimate_overdispersion(
    observed,
    denominator,
    target,
    kind="proportion",
    scale="natural",
    trim="winsorise",
    trim_fraction=0.1,
    per=1000,
    winsorise=None,
) -> Overdispersion:
    """Overdispersion phi and between-unit variance tau^2 of units against a target.

    z_i = (y_i - theta') / s_i on ``scale`` (see :func:`funnel_limits`); the z are trimmed;
    phi = mean of the used z^2; tau^2 = 0 if k phi < k - 1, else
    (k phi - (k - 1)) / (sum w - sum w^2 / sum w), w = 1 / s_i^2 over the k units used
    (DerSimonian-Laird form, as FunnelPlotR ``tau_func``). Hand-written: no Python library
    offers it.

    Parameters
    ----------
    observed : array_like
        Each unit's successes (proportion), events (rate) or observed count O (ratio).
    denominator : array_like
        Each unit's n, population or expected count E, above 0.
    target : float
        A proportion, a rate per ``per`` or a ratio (usually 1).
    kind : {"proportion", "rate", "ratio"}
        What ``observed / denominator`` is.
    scale : {"natural", "log", "sqrt"}
        The scale of the z-scores: log (rates and ratios; a zero count taken as 0.5) or
        arcsine square root ("sqrt", proportions) for additive limits.
    trim : {"winsorise", "truncate"}
        ``winsorise``: clip z at the ``trim_fraction`` and 1 - ``trim_fraction`` quantiles
        (every unit kept); ``truncate``: FunnelPlotR's SHMI method, ranking the units into
        1 / ``trim_fraction`` groups and dropping the lowest and the highest.
    trim_fraction : float, default 0.1
        From 0 (no trimming) to 0.49.
    per : float, default 1000
        The unit of a rate target.
    winsorise : float, optional
        The earlier keyword: a winsorising fraction.

    Returns
    -------
    Overdispersion
        ``phi``, ``tau2``, the units' ``z`` before trimming and ``used`` (the units in phi);
        unpacks as ``(phi, tau2)``. Units with no sampling variance under the target (a target
        of 0, or 0 or 1 for a proportion on the natural scale) are left out.

    Raises
    ------
    ValueError
        An unknown kind, scale or trim; trim_fraction outside [0, 0.49]; NaN, negative or
        infinite observed; denominators not above 0; observed above denominator for a
        proportion; a target outside its range; shapes that do not broadcast.

    References
    ----------
    Spiegelhalter DJ (2005) Funnel plots for comparing institutional performance, Stat Med
    24:1185-1202; Handling over-dispersion of performance indicators, Qual Saf Health Care
    14:347-351. DerSimonian R, Laird N (1986) Control Clin Trials 7:177-188. Verified against
    FunnelPlotR's test value and the SHMI method worked by hand (tests/stats/test_peers.py).

    Examples
    --------
    FunnelPlotR's test (tests/testthat/test-classes_methods.R, commit 9020d49):
    ``phi(funnel_plot(dt, num, denom, group))`` is 2.948033 for its six standardised ratios.

    >>> from peelstats.stats import estimate_overdispersion
    >>> od = estimate_overdispersion([100, 150, 180, 80, 120, 225], [108, 112, 165, 95, 100, 220],
    ...                              1.0, kind="ratio", scale="log", trim="truncate")
    >>> print(f"{od.phi:.6f}", od.n_used)
    2.948033 6
    """
    kind = check_method(kind, _KINDS)
    scale = check_method(scale, _SCALES)
    trim = check_method(trim, _TRIMS, _TRIM_ALIASES)
    if winsorise is not None:  # the earlier keyword
        trim, trim_fraction = "winsorise", winsorise
    fraction = float(as_array("trim_fraction", trim_fraction, minimum=0, maximum=0.49))
    y_obs = np.atleast_1d(as_array("observed", observed))
    d = np.atleast_1d(as_array("denominator", denominator, minimum=0, strict_min=True))
    y_obs, d = broadcast(observed=y_obs, denominator=d)
    if kind == "proportion":
        check_not_exceed("observed", y_obs, "denominator", d)
    theta = _target_per_unit(kind, target, per)
    y, t, s = _transform(kind, scale, _unit_value(y_obs, d, kind), theta, d)
    # a unit with no sampling variance under the target (a target of 0, or 0/1 for a
    # proportion on the natural scale) carries no information about spread: left out
    informative = np.isfinite(s) & (s > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(informative, (y - t) / np.where(informative, s, 1.0), np.nan)
    zi = z[informative]
    if fraction > 0 and len(zi):
        zt, kept = _trimmed(zi, trim, fraction)
    else:
        zt, kept = zi, np.ones(len(zi), bool)
    used = np.zeros(len(z), bool)
    used[np.flatnonzero(informative)[kept]] = True
    k = len(zt)
    phi = float(np.mean(zt**2)) if k else float("nan")
    w = 1 / s[used] ** 2
    denom_w = (w.sum() - (w**2).sum() / w.sum()) if k else 0.0
    if k < 2 or k * phi < k - 1 or not denom_w > 0:
        tau2 = 0.0
    else:
        tau2 = max(0.0, float((k * phi - (k - 1)) / denom_w))
    return Overdispersion(phi, tau2, z, used, kind, scale, trim, fraction)


def _widening(phi: float) -> float:
    """Multiplicative widening factor: phi when it exceeds 1; 1 when phi is below 1 or could
    not be estimated (no unit with sampling variance)."""
    return max(phi, 1.0) if np.isfinite(phi) else 1.0


def _target_per_unit(kind: str, target, per) -> float:
    theta = float(as_array("target", target, minimum=0, strict_min=kind != "proportion",
                           maximum=1 if kind == "proportion" else None))  # fmt: skip
    if kind == "rate":
        theta /= float(as_array("per", per, minimum=0, strict_min=True))
    return theta
