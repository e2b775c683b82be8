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


# Byar's approximation as published by PHEindicatormethods (ukhsa-collaboration/
# PHEindicatormethods @ 093fd28), whose functions follow PHE's "Technical Guide: Confidence
# intervals". tests/testthat/testdata_Byars_Wilson.xlsx, sheet testdata_B_W, the expected
# output of byars_lower / byars_upper (checked by tests/testthat/testByars.R):
# count, confidence, lower, upper.
PHE_BYARS = [
    (65, 0.95, 50.163187710459454, 82.84913854593984),
    (1045, 0.95, 982.5932018073325, 1110.33121298565),
    (1, 0.95, 0.01307213290150435, 5.5637555824752605),
    (65, 0.998, 42.8802614714802, 94.00029084431802),
    (1045, 0.998, 947.9407035610374, 1148.806160988033),
    (10, 0.998, 2.916318374695686, 24.193724927880535),
]


@pytest.mark.parametrize("x, level, lower, upper", PHE_BYARS)
def test_byar_phe_published_limits(x, level, lower, upper):
    r = rate_ci(x, 100_000, per=100_000, method="byar", confidence=level)  # rate = the count
    assert (r.lower, r.upper) == pytest.approx((lower, upper), rel=1e-12)


def test_byar_phe_negative_lower_limit_is_zero():
    # the same sheet: a count of 1 at 99.8% has upper 9.362180217908362 and no lower limit
    # (byars_lower's formula goes negative; PHE returns NA, peelstats the rate's floor, 0)
    r = rate_ci(1, 100_000, per=100_000, method="byar", confidence=0.998)
    assert r.upper == pytest.approx(9.362180217908362, rel=1e-12)
    assert r.lower == 0


# tests/testthat/testdata_Rate.xlsx, sheet testdata_Rate (same commit), the expected output of
# phe_rate per 100,000 where its method column says "Byars" (counts of 10 or more): numerator,
# denominator, lower 95%, upper 95%, lower 99.8%, upper 99.8%.
PHE_RATE_BYARS = [
    (20, 100, 12211.428834875936, 30889.880369197064, 8922.802365144193, 38085.03562504191),
    (9856, 12345, 78269.49058976758, 81430.01654272141, 77375.90543271053, 82354.47277095431),
    (7776456, 7564336677, 102.73196005302074, 102.87648334092832, 102.690317308454,
     102.91817639509068),
    (222, 3215, 6026.574877652674, 7875.729370871851, 5560.737695259853, 8461.04668173341),
    (999, 3456, 27141.30493609052, 30755.833237378414, 26162.147596445768, 31845.604819822653),
    (250, 220, 99984.94738532876, 128631.14487455782, 92710.00554438953, 137651.23772147458),
]  # fmt: skip


@pytest.mark.parametrize("x, pop, lo95, hi95, lo998, hi998", PHE_RATE_BYARS)
def test_byar_phe_rate_test_data(x, pop, lo95, hi95, lo998, hi998):
    for level, lo, hi in ((0.95, lo95, hi95), (0.998, lo998, hi998)):
        r = rate_ci(x, pop, per=100_000, method="byar", confidence=level)
        assert (r.lower, r.upper) == pytest.approx((lo, hi), rel=1e-10)


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


def test_log_ratio_rothman_worked_example():
    """Rothman KJ, Epidemiology: An Introduction, 2nd ed. (Oxford University Press, 2012),
    ch. 9, Table 9-2 (Feychting et al.): cancer in 136 of 22,050 person-years among the totally
    blind and 1,709 of 127,650 among the severely visually impaired. The book's worked example
    gives the rate ratio 0.46 with 90% limits 0.40 and 0.53 from
    exp(ln IRR +/- Z sqrt(1/a + 1/b))."""
    r = rate_ratio(136, 22_050, 1_709, 127_650, method="katz", confidence=0.90)
    assert r.method == "log"
    assert round(r.estimate, 2) == 0.46
    assert (round(r.lower, 2), round(r.upper, 2)) == (0.40, 0.53)
    # The book's arithmetic carried to more places, by hand:
    # IRR = (136 / 22050) / (1709 / 127650) = 0.0061678 / 0.0133882 = 0.460690
    # SE(ln IRR) = sqrt(1/136 + 1/1709) = sqrt(0.00735294 + 0.00058514) = 0.0890959
    # 90% (Z = 1.644854): Z SE = 0.146550, limits 0.460690 exp(-/+ 0.146550) = 0.397890, 0.533402
    # Wald z = ln 0.460690 / 0.0890959 = -0.775029 / 0.0890959 = -8.6988
    assert r.estimate == pytest.approx(0.460690, abs=5e-7)
    assert (r.lower, r.upper) == pytest.approx((0.397890, 0.533402), abs=1e-6)
    assert r.statistic == pytest.approx(-8.6988, abs=5e-5)
    assert r.pvalue == pytest.approx(2 * stats.norm.sf(8.6988), rel=1e-3)  # two-sided Wald p
    # 95% (Z = 1.959964): Z SE = 0.174625, limits 0.460690 exp(-/+ 0.174625) = 0.386875, 0.548590
    r95 = rate_ratio(136, 22_050, 1_709, 127_650, method="log")
    assert (r95.lower, r95.upper) == pytest.approx((0.386875, 0.548590), abs=1e-6)


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


# ----------------------------------------------------------------------------- design effect


def test_design_effect_of_one_changes_nothing():
    for method in ("exact", "byar", "score"):
        plain = rate_ci([0, 3, 48], 1000, method=method)
        same = rate_ci([0, 3, 48], 1000, method=method, design_effect=1)
        np.testing.assert_array_equal(plain.lower, same.lower)
        np.testing.assert_array_equal(plain.upper, same.upper)
    plain = rate_ratio(30, 1000, 90, 5000, method="log")
    same = rate_ratio(30, 1000, 90, 5000, method="log", design_effect=1)
    assert (plain.lower, plain.upper, plain.pvalue) == (same.lower, same.upper, same.pvalue)


def test_design_effect_rate_is_garwood_on_the_effective_count():
    """Garwood limits of x / D (scipy chi-square quantiles), times D."""
    x, d = 150, 1.5
    lo = stats.chi2.ppf(0.025, 2 * x / d) / 2 * d
    hi = stats.chi2.ppf(0.975, 2 * x / d + 2) / 2 * d
    r = rate_ci(x, 2000, per=1000, design_effect=d)
    assert r.lower == pytest.approx(lo / 2, rel=1e-12)
    assert r.upper == pytest.approx(hi / 2, rel=1e-12)
    assert r.estimate == pytest.approx(75.0)


def test_design_effect_widens_the_log_ratio_by_its_square_root():
    """Katz interval by hand: log RR +/- z sqrt(D (1/a + 1/b))."""
    a, na, b, nb, d = 140, 2441, 9721, 607196, 1.41
    rr = (a / na) / (b / nb)
    half = stats.norm.ppf(0.975) * np.sqrt(d * (1 / a + 1 / b))
    r = rate_ratio(a, na, b, nb, method="log", design_effect=d)
    assert r.lower == pytest.approx(rr * np.exp(-half), rel=1e-12)
    assert r.upper == pytest.approx(rr * np.exp(half), rel=1e-12)
    plain = rate_ratio(a, na, b, nb, method="log")
    widening = np.log(r.upper / r.lower) / np.log(plain.upper / plain.lower)
    assert widening == pytest.approx(np.sqrt(d), rel=1e-12)
    assert r.pvalue > plain.pvalue


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: rate_ci(5, 100, design_effect=0.5), "design_effect"),
        (lambda: rate_ratio(5, 100, 6, 100, design_effect=2), "method='log'"),
        (lambda: rate_ratio(5, 100, 6, 100, method="log", design_effect=0.9), "design_effect"),
    ],
)
def test_design_effect_refused_where_it_cannot_apply(call, message):
    with pytest.raises(ValueError, match=message):
        call()
