"""Quasi-Poisson and quasi-binomial trends: the Poisson/binomial GLM with standard errors
inflated by sqrt(Pearson chi-square / residual df), checked against that formula worked from an
independent statsmodels fit (McCullagh & Nelder 1989, s.4.5)."""

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats as sps

from peelstats.stats import trend_test

COUNTS = np.array([196, 129, 145, 161, 135, 171, 287, 340, 172, 189, 184, 206,
                   173, 182, 212, 156, 157, 199, 142, 192, 155, 195, 170, 140])  # fmt: skip


def _by_hand(y, family, n=None):
    t = sm.add_constant(np.arange(len(y), dtype=float))
    endog = y if n is None else np.column_stack([y, n - y])
    fit = sm.GLM(endog, t, family=family).fit()
    phi = max(fit.pearson_chi2 / fit.df_resid, 1.0)
    beta, se = fit.params[1], fit.bse[1] * np.sqrt(phi)
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
        (est, lo, hi, p), rel=1e-9
    )
    plain = trend_test(COUNTS, method="poisson")
    assert plain.estimate == pytest.approx(result.estimate)
    assert (result.upper - result.lower) > (plain.upper - plain.lower)


def test_quasi_binomial_matches_the_formula():
    n = COUNTS * 4
    x = np.round(COUNTS * 0.9).astype(int)
    est, lo, hi, p = _by_hand(x, sm.families.Binomial(), n)
    result = trend_test(x, n=n, method="quasi-binomial")
    assert (result.estimate, result.lower, result.upper, result.pvalue) == pytest.approx(
        (est, lo, hi, p), rel=1e-9
    )


def test_underdispersed_series_is_not_narrowed():
    y = np.array([100, 101, 102, 103, 104, 105, 106])  # far less variable than Poisson
    quasi, plain = trend_test(y, method="quasi-poisson"), trend_test(y, method="poisson")
    assert quasi.lower == pytest.approx(plain.lower) and quasi.upper == pytest.approx(plain.upper)
