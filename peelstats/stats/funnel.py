"""Funnel-plot control limits for comparing units (forces) against a target."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ._core import (
    MIN_COUNT,
    MIN_N,
    as_array,
    broadcast,
    check_confidence,
    check_method,
    check_not_exceed,
)

_KINDS = ("proportion", "rate")
_FUNNEL_METHODS = ("exact", "normal")
_OVERDISPERSION = (None, "multiplicative", "additive")


@dataclass(frozen=True, eq=False)
class FunnelLimits:
    """Funnel limits: ``lower``/``upper`` have shape (len(levels), len(denominator)).

    ``estimate`` is the target (the centre line); ``phi`` (multiplicative) and ``tau2``
    (additive) are the estimated overdispersion (NaN when not used); ``statistic``/``pvalue``
    are NaN (no test); ``confidence`` is the tuple of levels.
    """

    denominator: np.ndarray
    target: float
    levels: tuple
    lower: np.ndarray
    upper: np.ndarray
    kind: str
    method: str
    overdispersion: str | None
    phi: float
    tau2: float
    per: float
    small_numbers: np.ndarray

    @property
    def estimate(self):
        return self.target

    @property
    def confidence(self):
        return self.levels

    statistic = float("nan")
    pvalue = float("nan")

    def to_frame(self) -> pd.DataFrame:
        """Long tidy frame: one row per (level, denominator)."""
        k = len(self.denominator)
        return pd.DataFrame(
            {
                "denominator": np.tile(self.denominator, len(self.levels)),
                "level": np.repeat(np.asarray(self.levels, float), k),
                "target": self.target,
                "lower": self.lower.ravel(),
                "upper": self.upper.ravel(),
                "kind": self.kind,
                "method": self.method,
                "overdispersion": self.overdispersion or "none",
                "phi": self.phi,
                "tau2": self.tau2,
                "small_numbers": np.tile(self.small_numbers, len(self.levels)),
            }
        )


def _exact_limit(prob, denom, theta, kind):
    """Spiegelhalter (2005, Stat Med 24:1185, appendix A.1.1) interpolated exact limit.

    r_p = smallest r with F(r) >= prob; alpha = (F(r_p) - prob) / (F(r_p) - F(r_p - 1));
    limit = (r_p - alpha) / denom. F is Binomial(denom, theta) or Poisson(denom * theta).
    """
    if kind == "proportion":
        dist = stats.binom(denom, theta)
    else:
        dist = stats.poisson(denom * theta)
    r = dist.ppf(prob)
    f_r, f_r1 = dist.cdf(r), dist.cdf(r - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(f_r > f_r1, (f_r - prob) / (f_r - f_r1), 0.0)
    return np.maximum(r - a, 0.0) / denom


def _z_scores(y, denom, theta, kind):
    """Unit z-scores on the natural scale: (y_i - theta)/s_i with s_i^2 = theta(1-theta)/n_i
    (proportion) or theta/n_i (rate, per unit of denominator)."""
    s = np.sqrt(theta * (1 - theta) / denom) if kind == "proportion" else np.sqrt(theta / denom)
    return (y - theta) / s, s


def estimate_overdispersion(observed, denominator, target, kind="proportion", winsorise=0.1):
    """phi and tau^2 from winsorised z-scores (Spiegelhalter 2005, QSHC 14:347-351).

    z-scores are winsorised at the ``winsorise`` and 1 - ``winsorise`` quantiles (numpy linear
    interpolation; default 10% each tail as Spiegelhalter, PHE and FunnelPlotR); phi = mean of
    squared winsorised z. tau^2 = max(0, (k phi - (k - 1)) / (sum w - sum w^2 / sum w)),
    w = 1/s_i^2 (DerSimonian-Laird form). Hand-written (no statsmodels equivalent).
    """
    y = observed / denominator
    z, s = _z_scores(y, denominator, target, kind)
    lo, hi = np.quantile(z, [winsorise, 1 - winsorise])
    zw = np.clip(z, lo, hi)
    k = len(zw)
    phi = float(np.mean(zw**2))
    w = 1 / s**2
    tau2 = max(0.0, float((k * phi - (k - 1)) / (w.sum() - (w**2).sum() / w.sum())))
    return phi, tau2


def funnel_limits(
    denominator,
    target,
    kind="proportion",
    levels=(0.95, 0.998),
    overdispersion=None,
    observed=None,
    per=1000,
    method="exact",
    grid=None,
    winsorise=0.1,
) -> FunnelLimits:
    """Control limits about ``target`` for units with the given denominators.

    ``kind="proportion"``: ``target`` is a proportion in [0, 1], ``denominator`` the units' n.
    ``kind="rate"``: ``target`` is a rate per ``per`` (e.g. per 1,000), ``denominator`` the
    population; limits are returned per ``per``.
    No overdispersion: ``exact`` = binomial / Poisson limits with Spiegelhalter's (2005)
    interpolation between integer counts (as PHE's funnel tools); ``normal`` = target +/- z s_i.
    ``overdispersion="multiplicative"``: target +/- z sqrt(phi) s_i with phi (set to 1 if
    below 1) from ``estimate_overdispersion``; ``"additive"``: target +/- z sqrt(s_i^2 + tau^2)
    (random effects). Both need ``observed`` (the units' numerators, paired with
    ``denominator``) and use the normal approximation on the natural scale (Spiegelhalter
    2005 QSHC; FunnelPlotR offers transformed scales instead). ``grid`` (optional) gives the
    denominators at which to evaluate limits (e.g. a smooth funnel); default ``denominator``.
    Proportion limits are clipped to [0, 1]; rate limits at 0.
    Verified against scipy binom/poisson quantiles by hand and Spiegelhalter's definitions.
    """
    kind = check_method(kind, _KINDS)
    method = check_method(method, _FUNNEL_METHODS)
    if overdispersion not in _OVERDISPERSION:
        raise ValueError(
            f"overdispersion {overdispersion!r} is not one of: None, 'multiplicative', 'additive'"
        )
    lv = tuple(check_confidence(v, "levels") for v in np.atleast_1d(levels))
    d = np.atleast_1d(as_array("denominator", denominator, minimum=0, strict_min=True))
    scale = float(as_array("per", per, minimum=0, strict_min=True)) if kind == "rate" else 1.0
    theta = float(as_array("target", target, maximum=1 if kind == "proportion" else None))
    theta_u = theta / scale  # per unit of denominator
    phi = tau2 = float("nan")
    if overdispersion is not None:
        if observed is None:
            raise ValueError(f"observed is required for overdispersion={overdispersion!r}")
        y = np.atleast_1d(as_array("observed", observed, integer=kind == "proportion"))
        y, d = broadcast(observed=y, denominator=d)
        if kind == "proportion":
            check_not_exceed("observed", y, "denominator", d)
        phi, tau2 = estimate_overdispersion(y, d, theta_u, kind, winsorise)
    x = d if grid is None else np.atleast_1d(as_array("grid", grid, minimum=0, strict_min=True))
    lower = np.empty((len(lv), len(x)))
    upper = np.empty_like(lower)
    if kind == "proportion":
        s = np.sqrt(theta_u * (1 - theta_u) / x)
    else:
        s = np.sqrt(theta_u / x)
    for i, level in enumerate(lv):  # loop over the (few) levels only; vectorised over units
        q = 0.5 + level / 2
        zq = stats.norm.ppf(q)
        if overdispersion == "multiplicative":
            half = zq * np.sqrt(max(phi, 1.0)) * s
            lo, hi = theta_u - half, theta_u + half
        elif overdispersion == "additive":
            half = zq * np.sqrt(s**2 + tau2)
            lo, hi = theta_u - half, theta_u + half
        elif method == "normal":
            lo, hi = theta_u - zq * s, theta_u + zq * s
        else:
            lo = _exact_limit(1 - q, x, theta_u, kind)
            hi = _exact_limit(q, x, theta_u, kind)
        lo = np.maximum(lo, 0.0)
        hi = np.minimum(hi, 1.0) if kind == "proportion" else hi
        lower[i], upper[i] = lo * scale, hi * scale
    small = x < MIN_N if kind == "proportion" else x * theta_u < MIN_COUNT
    return FunnelLimits(
        denominator=x,
        target=theta,
        levels=lv,
        lower=lower,
        upper=upper,
        kind=kind,
        method=method if overdispersion is None else "normal",
        overdispersion=overdispersion,
        phi=phi,
        tau2=tau2,
        per=scale,
        small_numbers=small,
    )


def funnel_flags(
    observed,
    denominator,
    target,
    kind="proportion",
    levels=(0.95, 0.998),
    overdispersion=None,
    per=1000,
    method="exact",
    winsorise=0.1,
) -> pd.DataFrame:
    """One row per unit: observed, denominator, value (proportion, or rate per ``per``), and
    for each level ``above_<level>`` / ``below_<level>`` (e.g. ``above_0.95``), True when the
    value is strictly outside that level's limit (see ``funnel_limits``)."""
    y = np.atleast_1d(as_array("observed", observed, integer=kind == "proportion"))
    d = np.atleast_1d(as_array("denominator", denominator, minimum=0, strict_min=True))
    y, d = broadcast(observed=y, denominator=d)
    lim = funnel_limits(
        d,
        target,
        kind=kind,
        levels=levels,
        overdispersion=overdispersion,
        observed=y,
        per=per,
        method=method,
        winsorise=winsorise,
    )
    value = y / d * lim.per
    out = {"observed": y, "denominator": d, "value": value}
    for i, level in enumerate(lim.levels):
        out[f"above_{level:g}"] = value > lim.upper[i]
        out[f"below_{level:g}"] = value < lim.lower[i]
    out["small_numbers"] = lim.small_numbers
    return pd.DataFrame(out)
