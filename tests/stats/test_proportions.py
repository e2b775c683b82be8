"""Single proportions, FPC, audit margins and two-proportion comparisons.

Expected values come from publications (source beside each) or from formulas written out here
independently of peelstats (scipy distributions, closed forms); never from peelstats itself.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from peelstats.stats import (
    audit_margin,
    compare_proportions,
    implied_sample_size,
    proportion_ci,
    sample_size,
)

Z = stats.norm.ppf(0.975)


def wilson_by_hand(x, n, z=Z):
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


# Newcombe (1998) Stat Med 17:857-872, Table I: (x, n, method 1 Wald, method 3 Wilson score,
# method 5 Clopper-Pearson exact), 4 d.p. Newcombe prints Wald limits below 0 as "<0";
# peelstats clips the Wald interval to [0, 1], so those are 0 here.
NEWCOMBE_TABLE_I = [
    (81, 263, (0.2522, 0.3638), (0.2553, 0.3662), (0.2527, 0.3676)),
    (15, 148, (0.0527, 0.1500), (0.0624, 0.1605), (0.0578, 0.1617)),
    (0, 20, (0.0, 0.0), (0.0, 0.1611), (0.0, 0.1684)),
    (1, 29, (0.0, 0.1009), (0.0061, 0.1718), (0.0009, 0.1776)),
]


@pytest.mark.parametrize("x, n, wald, score, exact", NEWCOMBE_TABLE_I)
def test_newcombe_table_i(x, n, wald, score, exact):
    for method, expected in (("normal", wald), ("wilson", score), ("clopper-pearson", exact)):
        r = proportion_ci(x, n, method=method)
        assert round(r.lower, 4) == pytest.approx(expected[0], abs=1e-12), method
        assert round(r.upper, 4) == pytest.approx(expected[1], abs=1e-12), method


@pytest.mark.parametrize("x, n", [(0, 10), (10, 10), (196, 254), (3, 7), (81, 263)])
def test_wilson_closed_form(x, n):
    lo, hi = wilson_by_hand(x, n)  # Wilson (1927) formula written out
    r = proportion_ci(x, n, method="wilson")
    assert r.lower == pytest.approx(max(lo, 0), abs=1e-12)
    assert r.upper == pytest.approx(min(hi, 1), abs=1e-12)


@pytest.mark.parametrize("x, n", [(0, 10), (10, 10), (196, 254), (1, 29), (50, 100)])
def test_clopper_pearson_matches_scipy_binomtest(x, n):
    ref = stats.binomtest(x, n).proportion_ci(0.95, method="exact")  # independent implementation
    r = proportion_ci(x, n, method="clopper-pearson")
    assert (r.lower, r.upper) == pytest.approx((ref.low, ref.high), abs=1e-10)


@pytest.mark.parametrize("x, n", [(0, 10), (10, 10), (196, 254), (3, 7), (81, 263)])
def test_jeffreys_beta_quantiles(x, n):
    # Brown, Cai & DasGupta (2001) s.4.1.2: Beta(x+1/2, n-x+1/2) quantiles, 0 at x=0, 1 at x=n
    lo = 0.0 if x == 0 else stats.beta.ppf(0.025, x + 0.5, n - x + 0.5)
    hi = 1.0 if x == n else stats.beta.ppf(0.975, x + 0.5, n - x + 0.5)
    r = proportion_ci(x, n, method="jeffreys")
    assert (r.lower, r.upper) == pytest.approx((lo, hi), abs=1e-10)


@pytest.mark.parametrize("x, n", [(0, 10), (10, 10), (196, 254), (3, 7)])
def test_agresti_coull_closed_form(x, n):
    # Agresti & Coull (1998): n~ = n + z^2, p~ = (x + z^2/2)/n~, p~ +/- z sqrt(p~(1-p~)/n~)
    nt = n + Z * Z
    pt = (x + Z * Z / 2) / nt
    h = Z * np.sqrt(pt * (1 - pt) / nt)
    r = proportion_ci(x, n, method="agresti-coull")
    assert (r.lower, r.upper) == pytest.approx((max(pt - h, 0), min(pt + h, 1)), abs=1e-10)


@pytest.mark.parametrize("x, n", [(5, 10), (196, 254), (81, 263)])
def test_normal_closed_form(x, n):
    p = x / n
    h = Z * np.sqrt(p * (1 - p) / n)
    r = proportion_ci(x, n, method="normal")
    assert (r.lower, r.upper) == pytest.approx((p - h, p + h), abs=1e-12)


def test_vectorised_shapes_and_frame():
    r = proportion_ci([0, 5, 10], [10, 10, 10])
    assert np.shape(r.estimate) == (3,) and np.shape(r.small_numbers) == (3,)
    df = r.to_frame()
    for col in [
        "successes",
        "n",
        "estimate",
        "lower",
        "upper",
        "method",
        "confidence",
        "statistic",
        "p_value",
        "small_numbers",
    ]:
        assert col in df.columns
    assert len(df) == 3
    s = proportion_ci(5, 10)
    assert isinstance(s.estimate, float) and isinstance(s.small_numbers, bool)
    assert float(s.estimate) == 0.5
    with pytest.raises(AttributeError):
        s.estimate = 1.0  # frozen


def test_other_confidence_level():
    z = stats.norm.ppf(0.995)
    lo, hi = wilson_by_hand(81, 263, z)
    r = proportion_ci(81, 263, confidence=0.99)
    assert (r.lower, r.upper) == pytest.approx((lo, hi), abs=1e-12)


# ---------------------------------------------------------------- finite population correction


@pytest.mark.parametrize("x, n, N", [(196, 254, 2000), (0, 50, 400), (45, 50, 51), (10, 30, 10**6)])
def test_fpc_scales_each_side_about_estimate(x, n, N):
    f = np.sqrt((N - n) / (N - 1))
    lo, hi = wilson_by_hand(x, n)
    p = x / n
    r = proportion_ci(x, n, population=N)
    assert r.lower == pytest.approx(p - f * (p - lo), abs=1e-12)
    assert r.upper == pytest.approx(p + f * (hi - p), abs=1e-12)
    assert r.to_frame()["population"].iloc[0] == N
    if n == 254:
        # worked by hand: f = sqrt(1746/1999) = 0.934578
        assert f == pytest.approx(0.934578, abs=1e-6)


def test_fpc_census_has_zero_width_and_large_population_no_effect():
    r = proportion_ci(30, 100, population=100)
    assert r.lower == r.upper == 0.3
    big = proportion_ci(30, 100, population=10**12)
    plain = proportion_ci(30, 100)
    assert (big.lower, big.upper) == pytest.approx((plain.lower, plain.upper), abs=1e-9)


# ---------------------------------------------------------------- margins and sample sizes


def test_audit_margin_design_and_fpc():
    # classic design margin, p = 0.5, n = 384: 1.96*sqrt(.25/384) = 0.0500 (Cochran 1977)
    assert audit_margin(384).estimate == pytest.approx(Z * np.sqrt(0.25 / 384), abs=1e-12)
    assert round(audit_margin(384).estimate, 3) == 0.050
    f = np.sqrt((1000 - 278) / 999)
    assert audit_margin(278, population=1000).estimate == pytest.approx(
        Z * np.sqrt(0.25 / 278) * f, abs=1e-12
    )
    assert audit_margin(254, p=196 / 254).estimate == pytest.approx(
        Z * np.sqrt(196 / 254 * 58 / 254 / 254), abs=1e-12
    )


def test_sample_size_textbook_values():
    # 5% margin, p = .5, 95%: 384.16 -> 385 (Cochran 1977 eq. 4.2)
    assert sample_size(0.05).estimate == 385
    # with N = 1000: 277.7 -> 278 (Krejcie & Morgan 1970 table: N=1000 -> 278)
    assert sample_size(0.05, population=1000).estimate == 278
    # 3% margin: 1067.1 -> 1068
    assert sample_size(0.03).estimate == 1068


def test_sample_size_inverts_audit_margin():
    for N in (500, 2231, 10**6):
        n = sample_size(0.05, population=N).estimate
        assert audit_margin(int(n), population=N).estimate <= 0.05
        assert audit_margin(int(n) - 1, population=N).estimate > 0.05


def test_implied_sample_size_closed_forms():
    assert implied_sample_size(0.5, 0.05, method="design").estimate == pytest.approx(
        Z**2 / (4 * 0.05**2)
    )
    assert implied_sample_size(0.9, 0.05).estimate == pytest.approx(Z**2 * 0.09 / 0.0025)
    # Wilson: at the implied n the Wilson half-width (continuous p) equals h
    n = implied_sample_size(0.772, 0.05, method="wilson").estimate
    lo, hi = wilson_by_hand(0.772 * n, n)
    assert (hi - lo) / 2 == pytest.approx(0.05, abs=1e-9)
    r = implied_sample_size(0.895, 0.053, resolution=0.001)
    assert r.lower == pytest.approx(Z**2 * 0.895 * 0.105 / 0.0535**2)
    assert r.upper == pytest.approx(Z**2 * 0.895 * 0.105 / 0.0525**2)


# ---------------------------------------------------------------- two proportions


def newcombe_by_hand(x1, n1, x2, n2):
    """Newcombe (1998) method 10 for p2 - p1, from Wilson limits written out."""
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson_by_hand(x1, n1)
    l2, u2 = wilson_by_hand(x2, n2)
    d = p2 - p1
    return d - np.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2), d + np.sqrt(
        (u2 - p2) ** 2 + (p1 - l1) ** 2
    )


# Newcombe (1998) Table II, method 10 (hybrid score), published to 4 d.p.: p2 - p1
NEWCOMBE_TABLE_II = [
    ((48, 80, 56, 70), (0.0524, 0.3339)),  # (a) 56/70 - 48/80
    ((3, 10, 9, 10), (0.1705, 0.8090)),  # (b) 9/10 - 3/10
    ((0, 29, 5, 56), (-0.0381, 0.1926)),  # (d) 5/56 - 0/29
    ((0, 20, 0, 10), (-0.1611, 0.2775)),  # (e) 0/10 - 0/20
    ((0, 20, 10, 10), (0.6791, 1.0000)),  # (f) 10/10 - 0/20
]


@pytest.mark.parametrize("args, expected", NEWCOMBE_TABLE_II)
def test_newcombe_table_ii(args, expected):
    r = compare_proportions(*args)
    assert (round(r.lower, 4), round(r.upper, 4)) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("args", [(2, 7, 6, 7), (48, 80, 56, 70), (229, 256, 196, 254)])
def test_newcombe_hand_formula(args):
    lo, hi = newcombe_by_hand(*args)
    r = compare_proportions(*args)
    assert (r.lower, r.upper) == pytest.approx((lo, hi), abs=1e-10)


@pytest.mark.parametrize("args", [(48, 80, 56, 70), (3, 10, 9, 10), (20, 100, 10, 100)])
def test_wald_and_agresti_caffo_closed_forms(args):
    x1, n1, x2, n2 = args
    d = x2 / n2 - x1 / n1
    se = np.sqrt(x1 / n1 * (1 - x1 / n1) / n1 + x2 / n2 * (1 - x2 / n2) / n2)
    r = compare_proportions(*args, method="wald")
    assert (r.lower, r.upper) == pytest.approx((max(d - Z * se, -1), min(d + Z * se, 1)))
    # Agresti & Caffo (2000): add one success and one failure to each group
    q1, q2 = (x1 + 1) / (n1 + 2), (x2 + 1) / (n2 + 2)
    se = np.sqrt(q1 * (1 - q1) / (n1 + 2) + q2 * (1 - q2) / (n2 + 2))
    r = compare_proportions(*args, method="agresti-caffo")
    dd = q2 - q1
    assert (r.lower, r.upper) == pytest.approx((max(dd - Z * se, -1), min(dd + Z * se, 1)))


@pytest.mark.parametrize("args", [(48, 80, 56, 70), (3, 10, 9, 10), (229, 256, 196, 254)])
def test_pvalue_is_pearson_chi_square(args):
    x1, n1, x2, n2 = args
    table = [[x1, n1 - x1], [x2, n2 - x2]]
    chi2, p, _, _ = stats.chi2_contingency(table, correction=False)
    r = compare_proportions(*args)
    assert r.pvalue == pytest.approx(p, rel=1e-9)
    assert r.statistic**2 == pytest.approx(chi2, rel=1e-9)
    assert "score" in r.test


def test_verdict_direction():
    up = compare_proportions(10, 100, 40, 100)
    assert up.verdict == "improvement" and up.direction == "increase" and up.significant
    down = compare_proportions(40, 100, 10, 100)
    assert down.direction == "decrease" and down.verdict == "deterioration"
    assert compare_proportions(10, 100, 40, 100, higher_is_better=False).verdict == "deterioration"
    flat = compare_proportions(10, 100, 12, 100)
    assert flat.verdict == "no_change" and flat.direction == "none" and not flat.significant
    v = compare_proportions([10, 10], [100, 100], [40, 12], [100, 100]).verdict
    assert list(v) == [
        "improvement",
        "no_change",
    ]


def test_audit_margin_wilson_is_larger_side():
    for n, p in ((254, 196 / 254), (100, 0.1), (50, 0.5)):
        lo, hi = wilson_by_hand(p * n, n)
        assert audit_margin(n, p=p, method="wilson").estimate == pytest.approx(max(p - lo, hi - p))
