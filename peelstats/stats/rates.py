"""Poisson rates per head of population and rate ratios (disproportionality)."""

from __future__ import annotations

import numpy as np
from scipy import stats
from statsmodels.stats.rates import confint_poisson

from ._core import Result, as_array, broadcast, check_confidence, check_method, small_count, z_value

_RATE_METHODS = {
    "exact": "exact-c",
    "byar": None,
    "wald": "wald",
    "score": "score",
    "jeffreys": "jeffreys",
}
_RATE_ALIASES = {"garwood": "exact", "exact-c": "exact", "byars": "byar"}


def byar_limits(count, z):
    """Byar's approximation to the exact Poisson limits for a count (hand-written).

    lower = x (1 - 1/(9x) - z/(3 sqrt x))^3, upper = (x+1) (1 - 1/(9(x+1)) + z/(3 sqrt(x+1)))^3,
    lower = 0 when x = 0. As in PHE/OHID "Technical Guide: Confidence intervals" and the R
    package PHEindicatormethods (byars_lower/byars_upper). statsmodels has no Byar method.
    """
    x = np.asarray(count, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        lo = x * (1 - 1 / (9 * x) - z / (3 * np.sqrt(x))) ** 3
    lo = np.where(x > 0, lo, 0.0)
    x1 = x + 1
    hi = x1 * (1 - 1 / (9 * x1) + z / (3 * np.sqrt(x1))) ** 3
    return lo, hi


def rate_ci(
    count, population, per=1000, method="exact", confidence=0.95, design_effect=1.0
) -> Result:
    """Rate ``count / population * per`` with a Poisson confidence interval.

    Parameters
    ----------
    count : int or array_like
        Events, whole numbers from 0.
    population : float or array_like
        Population (or person-time) at risk, above 0; broadcast with ``count``.
    per : float or array_like, default 1000
        The rate is per this many of the population.
    method : {"exact", "byar", "wald", "score", "jeffreys"}
        ``exact``: Garwood (1936) chi-square limits chi2(a/2, 2x)/2, chi2(1 - a/2, 2x + 2)/2
        (statsmodels ``confint_poisson(method="exact-c")``; aliases "garwood", "exact-c");
        ``byar``: Byar's approximation (hand-written, as PHE; alias "byars"); ``wald``,
        ``score``, ``jeffreys``: statsmodels ``confint_poisson``.
    confidence : float, default 0.95
        Confidence level, strictly between 0 and 1.
    design_effect : float or array_like, default 1
        Variance inflation (at least 1) for counts more variable than Poisson, such as events
        that come in clusters (variance = design_effect x mean). The interval is the method's
        interval for the effective count ``count / design_effect``, scaled back by
        ``design_effect`` (hand-written: the effective-count approach of Kish (1965), as Korn
        and Graubard (1998) use it for Clopper-Pearson intervals); 1 leaves it unchanged.

    Returns
    -------
    Result
        ``estimate`` the rate with ``lower``/``upper`` (per ``per``); a count of 0 gives
        estimate 0, lower 0 and a positive upper limit (wald: [0, 0]); ``statistic``/``pvalue``
        NaN; ``small_numbers`` when the count is below 10.

    Raises
    ------
    ValueError
        An unknown method; confidence outside (0, 1); NaN, negative or fractional counts; a
        population or ``per`` not above 0; a design effect below 1; shapes that do not
        broadcast.

    References
    ----------
    Garwood F (1936) Fiducial limits for the Poisson distribution, Biometrika 28:437-442.
    Kish L (1965) Survey Sampling, Wiley (design effect, effective sample size). Korn EL,
    Graubard BI (1998) Confidence intervals for proportions with small expected number of
    positive counts estimated from survey data, Survey Methodology 24:193-201.
    Breslow NE, Day NE (1987) Statistical Methods in Cancer Research, vol. II, IARC (Byar's
    approximation). PHE/OHID Technical Guide: Confidence intervals. Verified against
    published exact limits, ``scipy.stats.chi2`` quantiles and PHEindicatormethods' test data.

    Examples
    --------
    Garwood's exact 95% limits for a count of 10 are 4.7954 and 18.3904 (published tables;
    ``scipy.stats.chi2.ppf(0.025, 20) / 2`` and ``scipy.stats.chi2.ppf(0.975, 22) / 2``).

    >>> from peelstats.stats import rate_ci
    >>> r = rate_ci(10, 1000)
    >>> print(f"{r.estimate:.0f} per 1,000 ({r.lower:.4f} to {r.upper:.4f})")
    10 per 1,000 (4.7954 to 18.3904)

    PHEindicatormethods' ``phe_rate`` test data (tests/testthat/testdata_Rate.xlsx, commit
    093fd28): 65 events in 100, per 100,000, Byar 50163.19 to 82849.14.

    >>> r = rate_ci(65, 100, per=100_000, method="byar")
    >>> print(f"{r.estimate:.0f} ({r.lower:.2f} to {r.upper:.2f})")
    65000 (50163.19 to 82849.14)

    With a design effect of 2, a count of 20 is worth an effective 10: Garwood's limits for 10
    (4.7954 and 18.3904, above), doubled.

    >>> r = rate_ci(20, 1000, design_effect=2)
    >>> print(f"{r.estimate:.0f} per 1,000 ({r.lower:.3f} to {r.upper:.3f})")
    20 per 1,000 (9.591 to 36.781)
    """
    method = check_method(method, _RATE_METHODS, _RATE_ALIASES)
    confidence = check_confidence(confidence)
    x = as_array("count", count, integer=True)
    pop = as_array("population", population, minimum=0, strict_min=True)
    scale = as_array("per", per, minimum=0, strict_min=True)
    deff = as_array("design_effect", design_effect, minimum=1)
    x, pop, deff = broadcast(count=x, population=pop, design_effect=deff)
    scale = float(scale) if scale.ndim == 0 else scale
    effective = x / deff
    if method == "byar":
        lo, hi = byar_limits(effective, z_value(confidence))
    else:
        lo, hi = confint_poisson(
            effective, np.ones_like(x), method=_RATE_METHODS[method], alpha=1 - confidence
        )
        lo, hi = np.asarray(lo, float), np.asarray(hi, float)
    lo = np.where(x == 0, 0.0, np.maximum(lo, 0.0)) * deff
    hi = hi * deff
    k = scale / pop
    nan = np.full_like(x, np.nan)
    return Result(
        estimate=x * k,
        lower=lo * k,
        upper=hi * k,
        method=method,
        confidence=confidence,
        statistic=nan,
        pvalue=nan,
        small_numbers=small_count(x),
        inputs={
            "count": x,
            "population": pop,
            "per": np.broadcast_to(scale, x.shape),
            "design_effect": deff,
        },
    )


_RATIO_METHODS = ("exact", "log")
_RATIO_ALIASES = {"katz": "log", "wald": "log", "conditional": "exact"}


def rate_ratio(
    count_a, pop_a, count_b, pop_b, method="exact", confidence=0.95, design_effect=1.0
) -> Result:
    """Rate ratio (rate a / rate b), e.g. a disproportionality ratio, with interval and p.

    Parameters
    ----------
    count_a, pop_a : array_like
        Events (whole numbers from 0) and population (above 0) of group a, the numerator.
    count_b, pop_b : array_like
        Events and population of group b, the comparator.
    method : {"exact", "log"}
        ``exact`` (hand-written, vectorised; alias "conditional"): conditional on m = a + b,
        a ~ Binomial(m, pi) with pi = RR w / (1 + RR w), w = pop_a / pop_b; the Clopper-Pearson
        limits (pl, pu) for pi give RR limits pl/(1 - pl)/w, pu/(1 - pu)/w. The p-value is the
        central exact test of RR = 1, min(1, 2 min(P[A <= a], P[A >= a])) with
        A ~ Binomial(m, pop_a/(pop_a + pop_b)): the test the Clopper-Pearson interval inverts,
        as R exactci ``poisson.exact`` (tsmethod="central"). R ``stats::poisson.test`` and
        ``scipy.stats.binomtest`` use the "minlike" p, which can be smaller.
        ``log`` (Katz / log-normal Wald; aliases "katz", "wald"): log RR +/- z sqrt(1/a + 1/b),
        Wald p from z = log RR / sqrt(1/a + 1/b), no continuity correction.
    confidence : float, default 0.95
        Confidence level, strictly between 0 and 1.
    design_effect : float or array_like, default 1
        Variance inflation (at least 1) for counts more variable than Poisson (``log`` only):
        the variance of log RR becomes design_effect x (1/a + 1/b), so the interval is
        sqrt(design_effect) times as wide on the log scale and z shrinks by that factor
        (hand-written; Kish 1965; quasi-Poisson variance, McCullagh and Nelder 1989, sec. 4.5).

    Returns
    -------
    Result
        ``estimate`` the rate ratio with ``lower``/``upper``; ``statistic`` a (exact) or z
        (log); ``pvalue`` two-sided; ``small_numbers`` when either count is below 10.
        Exact zeros: a = 0 gives estimate 0, lower 0; b = 0 gives estimate and upper inf;
        a = b = 0 gives estimate NaN, interval [0, inf], p = 1. Log: a zero count gives NaN
        interval, statistic and p.

    Raises
    ------
    ValueError
        An unknown method; confidence outside (0, 1); NaN, negative or fractional counts;
        populations not above 0; a design effect below 1, or other than 1 with ``exact``;
        shapes that do not broadcast.

    References
    ----------
    Clopper CJ, Pearson ES (1934) Biometrika 26:404-413. Rothman KJ (2012) Epidemiology: An
    Introduction, 2nd ed., Oxford University Press, ch. 9. Kish L (1965) Survey Sampling,
    Wiley. McCullagh P, Nelder JA (1989) Generalized Linear Models, 2nd ed., Chapman and Hall.
    Verified against R ``poisson.test``'s documented example, ``scipy.stats.binomtest`` and
    Rothman's worked example.

    Examples
    --------
    R ``?poisson.test``: ``poisson.test(c(11, 6 + 8 + 7), c(800, 1083 + 1050 + 878))`` gives
    rate ratio 1.971488, 95% interval 0.8584264 to 4.2772659.

    >>> from peelstats.stats import rate_ratio
    >>> r = rate_ratio(11, 800, 21, 1083 + 1050 + 878)
    >>> print(f"{r.estimate:.6f} ({r.lower:.7f} to {r.upper:.7f})")
    1.971488 (0.8584264 to 4.2772659)

    Rothman (2012) Table 9-2: cancer in 136 of 22,050 person-years among the blind against
    1,709 of 127,650 among the severely visually impaired: rate ratio 0.46, 90% limits 0.40 to
    0.53.

    >>> r = rate_ratio(136, 22_050, 1_709, 127_650, method="log", confidence=0.90)
    >>> print(f"{r.estimate:.2f} ({r.lower:.2f} to {r.upper:.2f})")
    0.46 (0.40 to 0.53)

    A design effect of 4 doubles the log-scale half-width: 0.46 x (0.40/0.46)^2 to
    0.46 x (0.53/0.46)^2, worked by hand from the unrounded limits.

    >>> r = rate_ratio(136, 22_050, 1_709, 127_650, method="log", confidence=0.90,
    ...                design_effect=4)
    >>> print(f"{r.estimate:.2f} ({r.lower:.2f} to {r.upper:.2f})")
    0.46 (0.34 to 0.62)
    """
    method = check_method(method, _RATIO_METHODS, _RATIO_ALIASES)
    confidence = check_confidence(confidence)
    a = as_array("count_a", count_a, integer=True)
    na = as_array("pop_a", pop_a, minimum=0, strict_min=True)
    b = as_array("count_b", count_b, integer=True)
    nb = as_array("pop_b", pop_b, minimum=0, strict_min=True)
    deff = as_array("design_effect", design_effect, minimum=1)
    if method == "exact" and np.any(deff != 1):
        raise ValueError("design_effect other than 1 needs method='log'")
    a, na, b, nb, deff = broadcast(count_a=a, pop_a=na, count_b=b, pop_b=nb, design_effect=deff)
    alpha = 1 - confidence
    w = na / nb
    with np.errstate(divide="ignore", invalid="ignore"):
        est = (a / na) / (b / nb)
        est = np.where((a == 0) & (b == 0), np.nan, est)
        if method == "exact":
            m = a + b
            pl = np.where(a > 0, stats.beta.ppf(alpha / 2, a, b + 1), 0.0)
            pu = np.where(b > 0, stats.beta.ppf(1 - alpha / 2, a + 1, b), 1.0)
            lo = np.where(m > 0, pl / (1 - pl) / w, 0.0)
            hi = np.where(pu < 1, pu / (1 - pu) / w, np.inf)
            p0 = na / (na + nb)
            pval = np.minimum(
                1.0, 2 * np.minimum(stats.binom.cdf(a, m, p0), stats.binom.sf(a - 1, m, p0))
            )
            pval = np.where(m > 0, pval, 1.0)
            stat = a
        else:
            se = np.sqrt(deff * (1 / a + 1 / b))
            ok = (a > 0) & (b > 0)
            z = z_value(confidence)
            lo = np.where(ok, est * np.exp(-z * se), np.nan)
            hi = np.where(ok, est * np.exp(z * se), np.nan)
            stat = np.where(ok, np.log(est) / se, np.nan)
            pval = 2 * stats.norm.sf(np.abs(stat))
    return Result(
        estimate=est,
        lower=lo,
        upper=hi,
        method=method,
        confidence=confidence,
        statistic=np.asarray(stat, float),
        pvalue=pval,
        small_numbers=small_count(a, b),
        inputs={"count_a": a, "pop_a": na, "count_b": b, "pop_b": nb, "design_effect": deff},
    )
