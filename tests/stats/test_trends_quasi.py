"""Quasi-Poisson and quasi-binomial trends against statsmodels' own quasi-likelihood fit,
``GLM(...).fit(scale="X2")`` (the Pearson chi-square / residual df dispersion; McCullagh &
Nelder 1989, s.4.5), which peelstats does not call."""

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats as sps

from peelstats.stats import trend_test

COUNTS = np.array([196, 129, 145, 161, 135, 171, 287, 340, 172, 189, 184, 206,
                   173, 182, 212, 156, 157, 199, 142, 192, 155, 195, 170, 140])  # fmt: skip


def _by_hand(y, family, n=None):
    t = sm.add_constant(np.arange(len(y), dtype=float))
    if n is None:
        fit = sm.GLM(y, t, family=family).fit(scale="X2")
    else:  # proportions with var_weights = n: statsmodels' X2 scale of a two-column binomial
        # endog ignores the number of trials, so the weighted form is the reference
        fit = sm.GLM(y / n, t, family=family, var_weights=n).fit(scale="X2")
    assert fit.scale > 1
    beta, se = fit.params[1], fit.bse[1]
    z = sps.norm.ppf(0.975)
    return (
        (np.exp(beta) - 1) * 100,
        (np.exp(beta - z * se) - 1) * 100,
        (np.exp(beta + z * se) - 1) * 100,
        2 * sps.norm.sf(abs(beta / se)),
    )


def test_quasi_poisson_widens_the_interval_by_the_pearson_dispersion():
    est, lo, hi, p = _by_hand(COUNTS, sm.families.Poisson())
    result = trend_test(COUNTS, method="quasi-poisson")
    assert (result.estimate, result.lower, result.upper, result.pvalue) == pytest.approx(
        (est, lo, hi, p), rel=1e-7
    )
    plain = trend_test(COUNTS, method="poisson")
    assert plain.estimate == pytest.approx(result.estimate)
    assert (result.upper - result.lower) > (plain.upper - plain.lower)


def test_quasi_binomial_matches_the_formula():
    n = np.full(len(COUNTS), 800)  # a share that varies far more than binomial
    x = COUNTS
    est, lo, hi, p = _by_hand(x, sm.families.Binomial(), n)
    result = trend_test(x, n=n, method="quasi-binomial")
    assert (result.estimate, result.lower, result.upper, result.pvalue) == pytest.approx(
        (est, lo, hi, p),
        rel=1e-6,  # two IRLS fits: agreement to their tolerance
    )


def test_underdispersed_series_is_not_narrowed():
    y = np.array([100, 101, 102, 103, 104, 105, 106])  # far less variable than Poisson
    quasi, plain = trend_test(y, method="quasi-poisson"), trend_test(y, method="poisson")
    assert quasi.lower == pytest.approx(plain.lower) and quasi.upper == pytest.approx(plain.upper)
