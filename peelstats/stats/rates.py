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


def rate_ci(count, population, per=1000, method="exact", confidence=0.95) -> Result:
    """Rate ``count / population * per`` with a Poisson confidence interval.

    ``exact``: Garwood (1936) chi-square limits chi2(a/2, 2x)/2, chi2(1-a/2, 2x+2)/2
    (statsmodels ``confint_poisson(method="exact-c")``); ``byar``: Byar's approximation
    (hand-written, as PHE); ``wald``, ``score``, ``jeffreys``: statsmodels ``confint_poisson``.
    A count of 0 gives estimate 0, lower 0 and a positive upper limit (wald: [0, 0]).
    Verified against scipy.stats.chi2 quantiles, Byar formula by hand and published PHE values.
    """
    method = check_method(method, _RATE_METHODS, _RATE_ALIASES)
    confidence = check_confidence(confidence)
    x = as_array("count", count, integer=True)
    pop = as_array("population", population, minimum=0, strict_min=True)
    scale = as_array("per", per, minimum=0, strict_min=True)
    x, pop = broadcast(count=x, population=pop)
    scale = float(scale) if scale.ndim == 0 else scale
    if method == "byar":
        lo, hi = byar_limits(x, z_value(confidence))
    else:
        lo, hi = confint_poisson(
            x, np.ones_like(x), method=_RATE_METHODS[method], alpha=1 - confidence
        )
        lo, hi = np.asarray(lo, float), np.asarray(hi, float)
    lo = np.where(x == 0, 0.0, np.maximum(lo, 0.0))
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
        inputs={"count": x, "population": pop, "per": np.broadcast_to(scale, x.shape)},
    )


_RATIO_METHODS = ("exact", "log")
_RATIO_ALIASES = {"katz": "log", "wald": "log", "conditional": "exact"}


def rate_ratio(count_a, pop_a, count_b, pop_b, method="exact", confidence=0.95) -> Result:
    """Rate ratio (rate a / rate b), e.g. a disproportionality ratio, with interval and p.

    ``exact`` (hand-written, vectorised): conditional on m = a + b, a ~ Binomial(m, pi) with
    pi = RR w / (1 + RR w), w = pop_a / pop_b. Clopper-Pearson limits (pl, pu) for pi give
    RR limits pl/(1-pl)/w, pu/(1-pu)/w. p-value: central exact test of RR = 1, i.e.
    min(1, 2 min(P[A <= a], P[A >= a])) with A ~ Binomial(m, pop_a/(pop_a+pop_b)) -- the test
    the Clopper-Pearson interval inverts, as R exactci::poisson.exact (tsmethod="central").
    (R's stats::poisson.test and scipy.stats.binomtest use the "minlike" two-sided p, which can
    be smaller.) Zeros: a = 0 gives estimate 0, lower 0; b = 0 gives estimate and upper inf;
    a = b = 0 gives estimate NaN, interval [0, inf], p = 1.

    ``log`` (Katz / log-normal Wald): log RR +/- z sqrt(1/a + 1/b); Wald p from
    z = log RR / sqrt(1/a + 1/b). No continuity correction: a zero count gives NaN interval,
    statistic and p (and small_numbers True).

    statistic: a for exact, z for log. Verified against scipy.stats.beta/binom by hand, and
    R exactci/rateratio.test style worked examples (tests/stats/test_rates.py).
    """
    method = check_method(method, _RATIO_METHODS, _RATIO_ALIASES)
    confidence = check_confidence(confidence)
    a = as_array("count_a", count_a, integer=True)
    na = as_array("pop_a", pop_a, minimum=0, strict_min=True)
    b = as_array("count_b", count_b, integer=True)
    nb = as_array("pop_b", pop_b, minimum=0, strict_min=True)
    a, na, b, nb = broadcast(count_a=a, pop_a=na, count_b=b, pop_b=nb)
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
            se = np.sqrt(1 / a + 1 / b)
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
        inputs={"count_a": a, "pop_a": na, "count_b": b, "pop_b": nb},
    )
