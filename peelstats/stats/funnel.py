"""Funnel-plot control limits for comparing units (forces) against a target.

Three kinds of figure:

- ``proportion``: x successes of n (target a proportion);
- ``rate``: x events in a population n, per ``per`` (target a rate per ``per``);
- ``ratio``: observed O against expected E (a standardised ratio O/E, target usually 1).

Limits without overdispersion follow UK public-health practice: ``wilson-score`` for
proportions (PHEindicatormethods inverts the Wilson score interval: the limits are
target +/- z sqrt(target (1 - target) / n)), ``exact`` binomial limits with Spiegelhalter's
interpolation for proportions, and for rates and ratios ``exact`` Poisson limits whose flags
agree with the exact (Garwood) interval of each unit's own count, as PHEindicatormethods'
funnels do. ``exact-expected`` is FunnelPlotR's unadjusted standardised-ratio funnel (the exact
interval of the expected count). With many units that differ for reasons beyond chance,
``overdispersion="additive"`` gives Spiegelhalter's (2005) random-effects limits on a
transformed scale with tau^2 estimated after 10% winsorisation or truncation, as FunnelPlotR
and the NHS SHMI do (log scale for rates and ratios, arcsine square root for proportions);
``"multiplicative"`` widens limits by sqrt(phi).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from ._core import (
    MIN_COUNT,
    MIN_N,
    as_array,
    broadcast,
    check_confidence,
    check_method,
    check_not_exceed,
)
from .overdispersion import (
    _FUNNEL_METHODS,
    _KINDS,
    _OVERDISPERSION,
    _SCALES,
    _back,
    _default_scale,
    _target_per_unit,
    _transform,
    _widening,
    estimate_overdispersion,
)

# ----------------------------------------------------------------------------- exact Poisson


def _shape_solving(target_prob, expected):
    """a with P(Gamma(a, 1) <= E) = target_prob (the regularised lower incomplete gamma is
    decreasing in a); vectorised bisection on log a."""
    e = np.asarray(expected, float)
    lo = np.full_like(e, np.log(1e-12))
    hi = np.log(np.maximum(e, 1.0) * 10 + 100)
    hi = np.broadcast_to(hi, e.shape).astype(float)
    for _ in range(200):
        mid = (lo + hi) / 2
        too_small = special.gammainc(np.exp(mid), e) > target_prob  # a too small: prob too high
        lo = np.where(too_small, mid, lo)
        hi = np.where(too_small, hi, mid)
    return np.exp((lo + hi) / 2)


def _exact_poisson_limits(expected, level):
    """Counts (lower, upper) at which a unit with expected count E sits on the limit: the
    count whose exact (Garwood) interval just reaches E. Upper: L(O) = E, i.e.
    P(Gamma(O) <= E) = a/2; lower: U(O) = E, i.e. P(Gamma(O + 1) <= E) = 1 - a/2."""
    alpha = 1 - level
    upper = _shape_solving(alpha / 2, expected)
    lower = _shape_solving(1 - alpha / 2, expected) - 1
    return np.maximum(lower, 0.0), upper


def _byar_or_exact_ci(count, level):
    """PHEindicatormethods' interval of a count: exact (chi-square) below 10, Byar's
    approximation from 10 (funnel_ratio_significance)."""
    from .rates import byar_limits

    x = np.asarray(count, float)
    z = stats.norm.ppf(0.5 + level / 2)
    a = 1 - level
    with np.errstate(invalid="ignore"):
        ex_lo = np.where(x > 0, stats.chi2.ppf(a / 2, 2 * x) / 2, 0.0)
    ex_hi = stats.chi2.ppf(1 - a / 2, 2 * x + 2) / 2
    by_lo, by_hi = byar_limits(x, z)
    small = x < 10
    return np.where(small, ex_lo, by_lo), np.where(small, ex_hi, by_hi)


def _exact_ci(count, level):
    a = 1 - level
    x = np.asarray(count, float)
    with np.errstate(invalid="ignore"):
        lo = np.where(x > 0, stats.chi2.ppf(a / 2, 2 * x) / 2, 0.0)
    return lo, stats.chi2.ppf(1 - a / 2, 2 * x + 2) / 2


# ----------------------------------------------------------------------------- limits


def _exact_binomial_limit(prob, denom, theta):
    """Spiegelhalter (2005, Stat Med 24:1185, appendix A.1.1) interpolated exact limit:
    r_p = smallest r with F(r) >= prob; alpha = (F(r_p) - prob) / (F(r_p) - F(r_p - 1));
    limit = (r_p - alpha) / n with F Binomial(n, theta)."""
    dist = stats.binom(denom, theta)
    r = dist.ppf(prob)
    f_r, f_r1 = dist.cdf(r), dist.cdf(r - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        a = np.where(f_r > f_r1, (f_r - prob) / (f_r - f_r1), 0.0)
    return np.maximum(r - a, 0.0) / denom


@dataclass(frozen=True, eq=False)
class FunnelLimits:
    """Funnel limits at each denominator, for each level.

    Returned by :func:`funnel_limits`. Follows the result protocol: ``estimate`` is the target
    (the centre line), ``confidence`` the levels, ``statistic``/``pvalue`` NaN (no test),
    ``small_numbers`` per denominator, ``to_frame()``.

    Parameters
    ----------
    denominator : ndarray
        Where the limits were evaluated.
    target : float
        The centre line (per ``per`` for rates).
    levels : tuple of float
        The levels, one row of ``lower``/``upper`` each.
    lower, upper : ndarray
        Limits of shape (len(levels), len(denominator)).
    kind, method : str
        As passed to :func:`funnel_limits` (``method`` is "normal" with overdispersion).
    overdispersion : str or None
        "additive", "multiplicative" or None.
    phi, tau2 : float
        The overdispersion used (NaN when none).
    per : float
        The unit of rate limits (1 for proportions and ratios).
    small_numbers : ndarray of bool
        n below 30 (proportions) or an expected count below 10.
    scale : str
        The scale the limits were computed on.
    n_units : int
        The units the overdispersion came from.

    References
    ----------
    Spiegelhalter DJ (2005) Stat Med 24:1185-1202.

    Examples
    --------
    FunnelPlotR's 99.8% Poisson limits (tests/testthat/test-poisson_limits.R, commit 9020d49)
    at expected counts 15, 20 and 30: 0.3862650, 0.4479107, 0.5289724.

    >>> from peelstats.stats import funnel_limits
    >>> lim = funnel_limits([15, 20, 30], 1.0, kind="ratio", method="exact-expected")
    >>> rows = lim.to_frame().query("level == 0.998")
    >>> print(" ".join(f"{v:.7f}" for v in rows.lower))
    0.3862650 0.4479107 0.5289724
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
    scale: str = "natural"
    n_units: int = 0

    @property
    def estimate(self):
        return self.target

    @property
    def confidence(self):
        return self.levels

    statistic = float("nan")
    pvalue = float("nan")

    def between_unit_factor(self, level: float = 0.95) -> float | None:
        """exp(z tau) on the log scale (see Overdispersion.between_unit_factor)."""
        if self.scale != "log" or not np.isfinite(self.tau2):
            return None
        return float(np.exp(stats.norm.ppf(0.5 + level / 2) * np.sqrt(self.tau2)))

    def between_unit_range(self, sd: float = 1.0) -> tuple[float, float] | None:
        """The target +/- ``sd`` x tau on the limits' scale, back-transformed (per ``per`` for
        rates): the spread of the units' underlying values beyond chance. None without an
        additive tau^2."""
        if self.overdispersion != "additive" or not np.isfinite(self.tau2):
            return None
        theta = self.target / (self.per if self.kind == "rate" else 1.0)
        _, t, _ = _transform(self.kind, self.scale, np.array([theta]), theta, np.array([1.0]))
        half = sd * np.sqrt(self.tau2)
        scale = self.per if self.kind == "rate" else 1.0
        lo, hi = _back(self.kind, self.scale, np.array([t - half, t + half])) * scale
        return float(lo), float(hi)

    def expected_outside(self, level: float) -> float:
        """How many of the units would fall outside ``level`` limits by chance alone."""
        return self.n_units * (1 - level)

    def to_frame(self) -> pd.DataFrame:
        """Long tidy frame: one row per (level, denominator).

        Returns
        -------
        pandas.DataFrame
            ``denominator``, ``level``, ``target``, ``lower``, ``upper``, ``kind``,
            ``method``, ``overdispersion``, ``scale``, ``phi``, ``tau2``, ``small_numbers``.
        """
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
                "scale": self.scale,
                "phi": self.phi,
                "tau2": self.tau2,
                "small_numbers": np.tile(self.small_numbers, len(self.levels)),
            }
        )


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
    scale=None,
    trim="winsorise",
    trim_fraction=0.1,
    winsorise=None,
) -> FunnelLimits:
    """Funnel-plot control limits about ``target`` at each denominator.

    Parameters
    ----------
    denominator : array_like
        The units' n (proportion), population (rate) or expected count E (ratio), above 0.
    target : float
        The centre line: a proportion, a rate per ``per`` or a ratio (usually 1).
    kind : {"proportion", "rate", "ratio"}
        What a unit's value ``observed / denominator`` is.
    levels : sequence of float, default (0.95, 0.998)
        The limits' levels, each strictly between 0 and 1.
    overdispersion : {None, "additive", "multiplicative"}
        None: limits from ``method``. ``additive``: Spiegelhalter's random-effects limits
        theta' +/- z sqrt(s^2 + tau^2) on ``scale``, back-transformed (FunnelPlotR's and the NHS
        SHMI's method); ``multiplicative``: theta' +/- z sqrt(max(phi, 1)) s. phi and tau^2 come
        from :func:`estimate_overdispersion` (``trim``, ``trim_fraction``).
    observed : array_like, optional
        The units' observed values; needed with ``overdispersion``.
    per : float, default 1000
        The unit of a rate target and of rate limits.
    method : {"exact", "normal", "wilson-score", "exact-expected", "byar"}
        Without overdispersion: ``exact`` (proportions: binomial with Spiegelhalter's
        interpolation; rates and ratios: the count whose exact Garwood interval just reaches
        the expected count, so a unit is outside exactly when its own exact interval excludes
        the target, as PHEindicatormethods); ``wilson-score`` (proportions: target +/-
        z sqrt(target (1 - target) / n), PHEindicatormethods' inverted Wilson interval);
        ``normal`` (target +/- z s); ``exact-expected`` (rates and ratios: the exact interval of
        the expected count, FunnelPlotR's unadjusted limits); ``byar`` (limits as ``exact``;
        :func:`funnel_flags` then uses PHE's exact-below-10 / Byar interval).
    grid : array_like, optional
        Denominators to evaluate the limits at instead (e.g. for a smooth funnel).
    scale : {"natural", "log", "sqrt"}, optional
        Scale of overdispersed limits; default log for rates and ratios, arcsine square root
        ("sqrt") for proportions with ``additive``, natural otherwise.
    trim, trim_fraction, winsorise
        Trimming of the z-scores, as :func:`estimate_overdispersion`.

    Returns
    -------
    FunnelLimits
        ``lower``/``upper`` of shape (len(levels), len(denominator)); proportion limits kept in
        [0, 1], others at 0 or above; rate limits per ``per``.

    Raises
    ------
    ValueError
        An unknown kind, method, overdispersion or scale; ``wilson-score`` for rates or ratios
        or ``exact-expected`` for proportions; levels outside (0, 1); denominators or grid not
        above 0; a target outside its range; ``observed`` missing with overdispersion; the
        errors of :func:`estimate_overdispersion`.

    References
    ----------
    Spiegelhalter DJ (2005) Stat Med 24:1185-1202 (appendix A.1.1 for the interpolated exact
    limits); Qual Saf Health Care 14:347-351. Verified against PHEindicatormethods' and
    FunnelPlotR's test data (tests/stats/test_peers.py).

    Examples
    --------
    FunnelPlotR's unadjusted Poisson limits (tests/testthat/test-poisson_limits.R, commit
    9020d49) at expected counts 15, 20 and 30: 95% 0.5596924, 0.6108260, 0.6746958 to 1.649348,
    1.544419, 1.427562.

    >>> from peelstats.stats import funnel_limits
    >>> lim = funnel_limits([15, 20, 30], 1.0, kind="ratio", method="exact-expected")
    >>> print(" ".join(f"{v:.7f}" for v in lim.lower[0]))
    0.5596924 0.6108260 0.6746958
    >>> print(" ".join(f"{v:.6f}" for v in lim.upper[0]))
    1.649348 1.544419 1.427562

    PHEindicatormethods' proportion funnel (tests/testthat/testdata_funnel_prop_outputs.csv,
    commit 093fd28) at n = 68 about 80.642448%: 71.251689% to 90.033207% (95%), 65.836243% to
    95.448652% (99.8%).

    >>> lim = funnel_limits([68], 0.80642448, kind="proportion", method="wilson-score")
    >>> for level, lo, hi in zip(lim.levels, lim.lower[:, 0], lim.upper[:, 0]):
    ...     print(f"{level}: {100 * lo:.5f} {100 * hi:.5f}")
    0.95: 71.25169 90.03321
    0.998: 65.83624 95.44865
    """
    kind = check_method(kind, _KINDS)
    method = check_method(method, _FUNNEL_METHODS)
    if overdispersion not in _OVERDISPERSION:
        raise ValueError(
            f"overdispersion {overdispersion!r} is not one of: None, 'multiplicative', 'additive'"
        )
    scale = check_method(scale or _default_scale(kind, overdispersion), _SCALES)
    if method == "wilson-score" and kind != "proportion":
        raise ValueError("method 'wilson-score' is for proportions; rates and ratios: 'exact'")
    if method == "exact-expected" and kind == "proportion":
        raise ValueError("method 'exact-expected' is for rates and ratios")
    lv = tuple(check_confidence(v, "levels") for v in np.atleast_1d(levels))
    d = np.atleast_1d(as_array("denominator", denominator, minimum=0, strict_min=True))
    per_value = float(as_array("per", per, minimum=0, strict_min=True)) if kind == "rate" else 1.0
    theta = _target_per_unit(kind, target, per)
    phi = tau2 = float("nan")
    n_units = 0
    if overdispersion is not None:
        if observed is None:
            raise ValueError(f"observed is required for overdispersion={overdispersion!r}")
        od = estimate_overdispersion(
            observed, d, target, kind=kind, scale=scale, trim=trim, trim_fraction=trim_fraction,
            per=per, winsorise=winsorise,
        )  # fmt: skip
        phi, tau2, n_units = od.phi, od.tau2, od.n_units
    elif observed is not None:
        n_units = len(np.atleast_1d(observed))
    else:
        n_units = len(d)
    x = d if grid is None else np.atleast_1d(as_array("grid", grid, minimum=0, strict_min=True))
    lower = np.empty((len(lv), len(x)))
    upper = np.empty_like(lower)
    for i, level in enumerate(lv):  # loop over the (few) levels only; vectorised over units
        zq = stats.norm.ppf(0.5 + level / 2)
        if overdispersion is not None:
            _, t, s = _transform(kind, scale, np.full(len(x), theta), theta, x)
            half = zq * (np.sqrt(s**2 + tau2) if overdispersion == "additive"
                         else np.sqrt(_widening(phi)) * s)  # fmt: skip
            lo, hi = _back(kind, scale, t - half), _back(kind, scale, t + half)
        elif method in ("normal", "wilson-score"):
            _, t, s = _transform(kind, "natural", np.full(len(x), theta), theta, x)
            lo, hi = t - zq * s, t + zq * s
        elif kind == "proportion":
            lo = _exact_binomial_limit(1 - (0.5 + level / 2), x, theta)
            hi = _exact_binomial_limit(0.5 + level / 2, x, theta)
        elif method == "exact-expected":
            e = theta * x
            e_lo, e_hi = _exact_ci(e, level)
            lo, hi = e_lo / x, e_hi / x
        else:
            c_lo, c_hi = _exact_poisson_limits(theta * x, level)
            lo, hi = c_lo / x, c_hi / x
        lo = np.maximum(lo, 0.0)
        hi = np.minimum(hi, 1.0) if kind == "proportion" else hi
        lower[i], upper[i] = lo * per_value, hi * per_value
    small = x < MIN_N if kind == "proportion" else x * theta < MIN_COUNT
    return FunnelLimits(
        denominator=x,
        target=float(target) if kind != "rate" else theta * per_value,
        levels=lv,
        lower=lower,
        upper=upper,
        kind=kind,
        method=method if overdispersion is None else "normal",
        overdispersion=overdispersion,
        phi=phi,
        tau2=tau2,
        per=per_value,
        small_numbers=small,
        scale=scale if overdispersion is not None else "natural",
        n_units=n_units,
    )


# ----------------------------------------------------------------------------- flags


@dataclass(frozen=True, eq=False)
class FunnelFlags:
    """Each unit against the funnel: its value, its limits and whether it is outside.

    Returned by :func:`funnel_flags`. Follows the result protocol: ``estimate`` the units'
    values, ``lower``/``upper`` their limits at the first level, ``statistic`` the z-score on
    the funnel's scale (NaN for exact methods), ``pvalue`` its two-sided p, ``confidence`` the
    levels; ``to_frame()`` one row per unit.

    Parameters
    ----------
    observed, denominator : ndarray
        The units' inputs.
    value : ndarray
        observed / denominator (per ``per`` for rates).
    target : float
        The centre line.
    levels : tuple of float
        The levels.
    limits_lower, limits_upper : ndarray
        Each unit's limits, shape (levels, units).
    above, below : ndarray of bool
        Whether each unit is strictly above or below each level's limit, shape (levels, units).
    z : ndarray
        The z-score on the funnel's scale.
    method : str
        The method of the limits.
    overdispersion : str or None
        As passed to :func:`funnel_flags`.
    small_numbers : ndarray of bool
        Per unit, as :class:`FunnelLimits`.

    References
    ----------
    Spiegelhalter DJ (2005) Stat Med 24:1185-1202.

    Examples
    --------
    PHEindicatormethods' proportion funnel (tests/testthat/testdata_funnel_prop_inputs.csv,
    commit 093fd28): against 80.642448%, 35078.488 of 41980 is "High (0.001)" and 50050.7443 of
    61921 "Not significant".

    >>> from peelstats.stats import funnel_flags
    >>> f = funnel_flags([35078.488, 50050.7443], [41980, 61921], 0.8064244786,
    ...                  kind="proportion", method="wilson-score")
    >>> df = f.to_frame()
    >>> print(df["above_0.998"].tolist(), df["below_0.95"].tolist())
    [True, False] [False, False]
    """

    observed: np.ndarray
    denominator: np.ndarray
    value: np.ndarray
    target: float
    levels: tuple
    limits_lower: np.ndarray
    limits_upper: np.ndarray
    above: np.ndarray
    below: np.ndarray
    z: np.ndarray
    method: str
    overdispersion: str | None
    small_numbers: np.ndarray

    @property
    def estimate(self):
        return self.value

    @property
    def lower(self):
        return self.limits_lower[0]

    @property
    def upper(self):
        return self.limits_upper[0]

    @property
    def confidence(self):
        return self.levels

    @property
    def statistic(self):
        return self.z

    @property
    def pvalue(self):
        return 2 * stats.norm.sf(np.abs(self.z))

    def position(self) -> np.ndarray:
        """Each unit's position: 'above_<level>' / 'below_<level>' for the widest level it is
        outside, else 'within'."""
        out = np.full(len(self.value), "within", dtype=object)
        for i, level in sorted(enumerate(self.levels), key=lambda p: p[1]):
            out = np.where(self.above[i], f"above_{level:g}", out)
            out = np.where(self.below[i], f"below_{level:g}", out)
        return out

    def to_frame(self) -> pd.DataFrame:
        """Tidy frame: one row per unit.

        Returns
        -------
        pandas.DataFrame
            ``observed``, ``denominator``, ``value``, ``above_<level>`` and
            ``below_<level>`` for each level (e.g. ``above_0.95``), ``z``, ``p_value``,
            ``small_numbers``.
        """
        out = {"observed": self.observed, "denominator": self.denominator, "value": self.value}
        for i, level in enumerate(self.levels):
            out[f"above_{level:g}"] = self.above[i]
            out[f"below_{level:g}"] = self.below[i]
        out["z"] = self.z
        out["p_value"] = self.pvalue
        out["small_numbers"] = self.small_numbers
        return pd.DataFrame(out)


def funnel_flags(
    observed,
    denominator,
    target,
    kind="proportion",
    levels=(0.95, 0.998),
    overdispersion=None,
    per=1000,
    method="exact",
    scale=None,
    trim="winsorise",
    trim_fraction=0.1,
    winsorise=None,
) -> FunnelFlags:
    """Each unit against the funnel limits at its own denominator.

    A unit is above or below a level's limit strictly. With rates and ratios and method
    ``exact``, a unit is outside exactly when its exact (Garwood) interval excludes the target,
    so the flag agrees with the interval a report prints beside it (``byar``:
    PHEindicatormethods' exact-below-10 / Byar interval instead).

    Parameters
    ----------
    observed : array_like
        Each unit's successes, events or observed count (whole numbers for the exact methods
        without overdispersion).
    denominator : array_like
        Each unit's n, population or expected count, above 0.
    target, kind, levels, overdispersion, per, method, scale, trim, trim_fraction, winsorise
        As :func:`funnel_limits`.

    Returns
    -------
    FunnelFlags
        Per unit: ``value`` (per ``per`` for rates), the limits at its denominator, ``above`` and
        ``below`` of shape (levels, units), and ``z`` on the funnel's scale (NaN for the exact
        methods); ``position()`` names the widest level each unit is outside.

    Raises
    ------
    ValueError
        As :func:`funnel_limits`; also fractional observed counts for the exact methods and
        observed above denominator for a proportion.

    References
    ----------
    Spiegelhalter DJ (2005) Stat Med 24:1185-1202. Verified against PHEindicatormethods' test
    data (tests/stats/test_peers.py).

    Examples
    --------
    PHEindicatormethods' ratio funnel (tests/testthat/testdata_funnel_ratio_inputs.csv, commit
    093fd28): 8 observed of 6.24 expected "Not significant", 151 of 106.44 "High (0.001)", 159
    of 232.93 "Low (0.001)", 150 of 119.57 "High (0.025)".

    >>> from peelstats.stats import funnel_flags
    >>> f = funnel_flags([8, 151, 159, 150], [6.239860227, 106.4429719, 232.9329036, 119.5695496],
    ...                  1.0, kind="ratio")
    >>> print(f.position().tolist())
    ['within', 'above_0.998', 'below_0.998', 'above_0.95']
    """
    kind = check_method(kind, _KINDS)
    method = check_method(method, _FUNNEL_METHODS)
    whole = overdispersion is None and method in ("exact", "byar")  # exact methods count
    y = np.atleast_1d(as_array("observed", observed, integer=whole))
    d = np.atleast_1d(as_array("denominator", denominator, minimum=0, strict_min=True))
    y, d = broadcast(observed=y, denominator=d)
    if kind == "proportion":
        check_not_exceed("observed", y, "denominator", d)
    lim = funnel_limits(
        d, target, kind=kind, levels=levels, overdispersion=overdispersion, observed=y, per=per,
        method=method, scale=scale, trim=trim, trim_fraction=trim_fraction, winsorise=winsorise,
    )  # fmt: skip
    value = y / d * lim.per
    theta = _target_per_unit(kind, target, per)
    above = np.zeros((len(lim.levels), len(y)), dtype=bool)
    below = np.zeros_like(above)
    exact_counts = overdispersion is None and kind != "proportion" and method in ("exact", "byar")
    for i, level in enumerate(lim.levels):
        if exact_counts:
            expected = theta * d
            ci = _byar_or_exact_ci if method == "byar" else _exact_ci
            lo, hi = ci(y, level)
            above[i] = lo > expected
            below[i] = hi < expected
        else:
            above[i] = value > lim.upper[i]
            below[i] = value < lim.lower[i]
    if overdispersion is not None or method in ("normal", "wilson-score"):
        used_scale = lim.scale if overdispersion is not None else "natural"
        yy, t, s = _transform(kind, used_scale, y / d, theta, d)
        if overdispersion == "additive":
            s = np.sqrt(s**2 + lim.tau2)
        elif overdispersion == "multiplicative":
            s = s * np.sqrt(_widening(lim.phi))
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(s > 0, (yy - t) / np.where(s > 0, s, 1.0), np.nan)
    else:
        z = np.full(len(y), np.nan)
    return FunnelFlags(
        observed=y, denominator=d, value=value, target=lim.target, levels=lim.levels,
        limits_lower=lim.lower, limits_upper=lim.upper, above=above, below=below, z=z,
        method=lim.method, overdispersion=overdispersion, small_numbers=lim.small_numbers,
    )  # fmt: skip
