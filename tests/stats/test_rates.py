"""Poisson rates and rate ratios against published tables and independent scipy routes."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from peelstats.stats import rate_ci, rate_ratio

Z = stats.norm.ppf(0.975)


# Exact Poisson limits for a count (Garwood 1936; e.g. Sahai & Khurshid 1993 table; the
# "rule of 3.69" for 0): count -> (lower, upper), 95%
GARWOOD = [(0, (0.0, 3.689)), (1, (0.0253, 5.5716)), (10, (4.7954, 18.3904))]


@pytest.mark.parametrize("x, expected", GARWOOD)
def test_exact_published_limits(x, expected):
    r = rate_ci(x, 1000, per=1000, method="exact")  # rate per 1,000 of 1,000 = the count
    assert round(r.lower, 4) == pytest.approx(expected[0], abs=1e-3 if x == 0 else 1e-12)
    assert round(r.upper, 3 if x == 0 else 4) == pytest.approx(expected[1], abs=1e-12)


@pytest.mark.parametrize("x, pop", [(0, 5000), (7, 12345), (9208, 630_000)])
def test_exact_chi_square_route(x, pop):
    lo = 0.0 if x == 0 else stats.chi2.ppf(0.025, 2 * x) / 2
    hi = stats.chi2.ppf(0.975, 2 * x + 2) / 2
    r = rate_ci(x, pop, per=1000, method="exact")
    assert (r.lower, r.upper) == pytest.approx((lo / pop * 1000, hi / pop * 1000), rel=1e-9)
    assert r.estimate == pytest.approx(x / pop * 1000)


@pytest.mark.parametrize("x", [0, 3, 10, 250])
def test_byar_hand_formula(x):
    # Byar's approximation as in PHE "Technical Guide: Confidence intervals" (2018)
    lo = 0.0 if x == 0 else x * (1 - 1 / (9 * x) - Z / (3 * np.sqrt(x))) ** 3
    hi = (x + 1) * (1 - 1 / (9 * (x + 1)) + Z / (3 * np.sqrt(x + 1))) ** 3
    r = rate_ci(x, 100_000, per=100_000, method="byar")
    assert (r.lower, r.upper) == pytest.approx((lo, hi), rel=1e-12, abs=1e-12)


def test_byar_close_to_exact_for_large_counts():
    r_b = rate_ci(500, 1e5, method="byar")
    r_e = rate_ci(500, 1e5, method="exact")
    assert (r_b.lower, r_b.upper) == pytest.approx((r_e.lower, r_e.upper), rel=2e-3)


@pytest.mark.parametrize("x", [4, 25, 100])
def test_wald_score_jeffreys_closed_forms(x):
    r = rate_ci(x, 1, per=1, method="wald")
    assert (r.lower, r.upper) == pytest.approx((x - Z * np.sqrt(x), x + Z * np.sqrt(x)))
    # score: solve (x - m)^2 = z^2 m  ->  m = x + z^2/2 +/- z sqrt(x + z^2/4)
    r = rate_ci(x, 1, per=1, method="score")
    c, h = x + Z * Z / 2, Z * np.sqrt(x + Z * Z / 4)
    assert (r.lower, r.upper) == pytest.approx((c - h, c + h))
    r = rate_ci(x, 1, per=1, method="jeffreys")
    g = stats.gamma
    assert (r.lower, r.upper) == pytest.approx((g.ppf(0.025, x + 0.5), g.ppf(0.975, x + 0.5)))


def test_zero_count_all_methods():
    for m in ("exact", "byar", "wald", "score", "jeffreys"):
        r = rate_ci(0, 1000, method=m)
        assert r.estimate == 0 and r.lower == 0 and r.upper >= 0 and r.small_numbers


def test_vectorised_rate():
    r = rate_ci([5, 50, 500], [1000, 10_000, 100_000], per=1000)
    assert np.allclose(r.estimate, 5.0)
    w = np.asarray(r.upper) - np.asarray(r.lower)
    assert np.all(np.diff(w) < 0)
    assert list(r.small_numbers) == [True, False, False]


# ---------------------------------------------------------------- rate ratios


def test_exact_ratio_matches_r_poisson_test():
    # R ?poisson.test example: poisson.test(c(11, 6+8+7), c(800, 1083+1050+878))
    # rate ratio 1.971488, 95% CI 0.8584264 4.2772659, p-value 0.07967 (R's "minlike" p)
    r = rate_ratio(11, 800, 21, 1083 + 1050 + 878, method="exact")
    assert round(r.estimate, 6) == 1.971488
    assert (round(r.lower, 7), round(r.upper, 7)) == (0.8584264, 4.2772659)
    # our p is the central p (doubled smaller tail); R's minlike p is scipy's binomtest p
    p0 = 800 / (800 + 3011)
    central = 2 * min(
        stats.binomtest(11, 32, p0, alternative="less").pvalue,
        stats.binomtest(11, 32, p0, alternative="greater").pvalue,
    )
    assert r.pvalue == pytest.approx(central, rel=1e-9)
    assert round(stats.binomtest(11, 32, p0).pvalue, 5) == 0.07967


@pytest.mark.parametrize(
    "a, na, b, nb", [(30, 1000, 10, 1000), (5, 200, 40, 9000), (120, 5e4, 800, 9e5)]
)
def test_exact_ratio_via_scipy_binomtest(a, na, b, nb):
    ci = stats.binomtest(a, a + b).proportion_ci(0.95, method="exact")
    w = na / nb
    r = rate_ratio(a, na, b, nb, method="exact")
    assert r.lower == pytest.approx(ci.low / (1 - ci.low) / w, rel=1e-9)
    assert r.upper == pytest.approx(ci.high / (1 - ci.high) / w, rel=1e-9)
    p0 = na / (na + nb)
    lt = stats.binomtest(a, a + b, p0, alternative="less").pvalue
    gt = stats.binomtest(a, a + b, p0, alternative="greater").pvalue
    assert r.pvalue == pytest.approx(min(1, 2 * min(lt, gt)), rel=1e-9)


@pytest.mark.parametrize(
    "a, na, b, nb", [(30, 1000, 10, 1000), (5, 200, 40, 9000), (11, 800, 21, 3011)]
)
def test_log_ratio_katz_closed_form(a, na, b, nb):
    rr = (a / na) / (b / nb)
    se = np.sqrt(1 / a + 1 / b)
    r = rate_ratio(a, na, b, nb, method="katz")
    assert (r.estimate, r.lower, r.upper) == pytest.approx(
        (rr, rr * np.exp(-Z * se), rr * np.exp(Z * se))
    )
    assert r.pvalue == pytest.approx(2 * stats.norm.sf(abs(np.log(rr) / se)))
    assert r.method == "log"


def test_ratio_zero_counts():
    r = rate_ratio(0, 100, 5, 100)
    assert r.estimate == 0 and r.lower == 0 and np.isfinite(r.upper)
    # upper: CP upper for 0/5 is 1 - 0.025^(1/5)
    pu = 1 - 0.025 ** (1 / 5)
    assert r.upper == pytest.approx(pu / (1 - pu))
    r = rate_ratio(5, 100, 0, 100)
    assert r.estimate == np.inf and r.upper == np.inf and r.lower > 0
    r = rate_ratio(0, 100, 0, 100)
    assert np.isnan(r.estimate) and r.lower == 0 and r.upper == np.inf and r.pvalue == 1
    r = rate_ratio(0, 100, 5, 100, method="log")
    assert np.isnan(r.lower) and np.isnan(r.upper) and np.isnan(r.pvalue) and r.small_numbers


def test_small_numbers_rule_for_ratio():
    r = rate_ratio([9, 10, 50], [100] * 3, [50, 10, 9], [100] * 3)
    assert list(r.small_numbers) == [True, False, True]
