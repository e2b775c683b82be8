"""Funnel limits: exact binomial/Poisson with Spiegelhalter interpolation, overdispersion."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from peelstats.stats import estimate_overdispersion, funnel_flags, funnel_limits


def interpolated(dist, prob, denom):
    """Spiegelhalter (2005) Stat Med 24:1185 appendix: (r_p - alpha) / n, written per point."""
    r = 0
    while dist.cdf(r) < prob:
        r += 1
    f_r, f_r1 = dist.cdf(r), dist.cdf(r - 1)
    alpha = (f_r - prob) / (f_r - f_r1)
    return (r - alpha) / denom


@pytest.mark.parametrize("n", [20, 100, 1000])
def test_exact_binomial_limits_by_hand(n):
    theta = 0.2
    lim = funnel_limits([n], theta, kind="proportion", levels=(0.95, 0.998))
    for i, level in enumerate((0.95, 0.998)):
        q = 0.5 + level / 2
        d = stats.binom(n, theta)
        assert lim.lower[i, 0] == pytest.approx(max(interpolated(d, 1 - q, n), 0), abs=1e-12)
        assert lim.upper[i, 0] == pytest.approx(interpolated(d, q, n), abs=1e-12)


@pytest.mark.parametrize("pop", [2000, 50_000, 1_000_000])
def test_exact_poisson_rate_limits_agree_with_the_exact_interval(pop):
    """On the limit, a unit's exact (Garwood) interval just reaches the target: above the
    upper limit exactly when its lower exact limit exceeds the expected count (scipy chi2)."""
    target = 5.0  # per 1,000
    lim = funnel_limits([pop], target, kind="rate", per=1000)
    expected = pop * target / 1000
    upper_count = lim.upper[0, 0] * pop / 1000
    assert stats.chi2.ppf(0.025, 2 * upper_count) / 2 == pytest.approx(expected, rel=1e-9)
    lower_count = lim.lower[1, 0] * pop / 1000
    assert stats.chi2.ppf(0.999, 2 * lower_count + 2) / 2 == pytest.approx(expected, rel=1e-9)


def test_issue_example_17_in_10000_against_1_per_1000_is_not_flagged():
    """rate_ci(17, 10,000) exact contains 1 per 1,000, so the funnel must not flag it."""
    from peelstats.stats import rate_ci

    ci = rate_ci(17, 10_000, per=1000)
    assert ci.lower < 1 < ci.upper
    flags = funnel_flags([17], [10_000], 1.0, kind="rate", per=1000)
    assert flags.position()[0] == "within"
    assert stats.chi2.ppf(0.025, 34) / 2 < 10  # by hand: the lower exact count limit, 9.9


def test_limits_approach_normal_for_large_n():
    n = 10**6
    lim = funnel_limits([n], 0.3)
    s = np.sqrt(0.3 * 0.7 / n)
    assert lim.upper[0, 0] == pytest.approx(0.3 + 1.959964 * s, rel=1e-4)
    nl = funnel_limits([n], 0.3, method="normal")
    assert nl.upper[1, 0] == pytest.approx(0.3 + stats.norm.ppf(0.999) * s)


def test_frame_long_form():
    df = funnel_limits([10, 100, 1000], 0.2).to_frame()
    assert len(df) == 6
    for c in ("denominator", "level", "lower", "upper", "target"):
        assert c in df.columns
    assert list(df.level.unique()) == [0.95, 0.998]
    # funnel narrows with the denominator
    for _, g in df.groupby("level"):
        assert np.all(np.diff(g.upper - g.lower) < 0)


def test_overdispersion_phi_and_tau2_by_hand():
    d = np.array([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000.0])
    y = np.array([10, 60, 45, 120, 90, 150, 100, 200, 150, 230.0])
    theta = 0.2
    s = np.sqrt(theta * (1 - theta) / d)
    z = (y / d - theta) / s
    lo, hi = np.quantile(z, [0.1, 0.9])
    zw = np.clip(z, lo, hi)
    phi = np.mean(zw**2)
    w = 1 / s**2
    tau2 = max(0, (10 * phi - 9) / (w.sum() - (w**2).sum() / w.sum()))
    assert tuple(estimate_overdispersion(y, d, theta)) == pytest.approx((phi, tau2))
    m = funnel_limits(d, theta, overdispersion="multiplicative", observed=y)
    assert m.phi == pytest.approx(phi)
    assert m.upper[0] == pytest.approx(theta + 1.959964 * np.sqrt(phi) * s, rel=1e-6)
    a = funnel_limits(d, theta, overdispersion="additive", observed=y, scale="natural")
    assert a.tau2 == pytest.approx(tau2)
    assert a.lower[1] == pytest.approx(
        np.maximum(theta - stats.norm.ppf(0.999) * np.sqrt(s**2 + tau2), 0)
    )


def test_flags():
    df = funnel_flags([5, 20, 45], [100, 100, 100], 0.2).to_frame()
    assert list(df["above_0.95"]) == [False, False, True]
    assert list(df["below_0.95"]) == [True, False, False]
    assert list(df["above_0.998"]) == [False, False, True]


def test_overdispersion_needs_observed():
    with pytest.raises(ValueError, match="observed"):
        funnel_limits([100, 200], 0.2, overdispersion="additive")
    with pytest.raises(ValueError, match="overdispersion"):
        funnel_limits([100, 200], 0.2, overdispersion="both")


def test_rate_overdispersion_and_frames():
    pop = np.array([50_000, 80_000, 120_000, 200_000, 300_000, 450_000, 600_000, 900_000.0])
    counts = np.array([300, 300, 800, 900, 1800, 2000, 3500, 4000.0])
    target = counts.sum() / pop.sum() * 1000
    lim = funnel_limits(pop, target, kind="rate", overdispersion="multiplicative", observed=counts)
    theta = target / 1000
    z = (counts / pop - theta) / np.sqrt(theta / pop)
    lo, hi = np.quantile(z, [0.1, 0.9])
    assert lim.phi == pytest.approx(np.mean(np.clip(z, lo, hi) ** 2))
    df = lim.to_frame()
    assert set(df.level) == {0.95, 0.998} and (df.phi == lim.phi).all()
    flags = funnel_flags(counts, pop, target, kind="rate", overdispersion="multiplicative")
    frame = flags.to_frame()
    assert len(frame) == 8 and "above_0.998" in frame.columns and "p_value" in frame.columns
