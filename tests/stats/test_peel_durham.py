"""HMICFRS PEEL 2023-25 Durham Constabulary report (shared/seeds/003_ab0a1b4876aafd1c.txt).

Published figures (all 95%):
  stop and search 2022: 196 of 254 records (77.2%) had reasonable grounds, "+/- 5.0 percent";
  "a statistically significant deterioration" from 2020: 89.5% "+/- 5.3 percent" (n unpublished);
  crime data integrity: 96.2% +/- 1.9, 94.2% +/- 4.0, 96.2% +/- 3.2 (samples unpublished).

Each reading of a "+/-" is worked here from its definition with scipy (Clopper-Pearson from beta
quantiles, Wald and Wilson from their closed forms, the finite population correction and the
implied sample size by hand), then peelstats is checked against it; the published figures are
the expected values of the rounding. docs/methods.md records which reading reproduces which.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats as sps

from peelstats.stats import audit_margin, compare_proportions, implied_sample_size, proportion_ci

Z = sps.norm.ppf(0.975)
X, N = 196, 254
P = X / N


def pct(x, dp=1):
    return round(100 * x, dp)


def wilson(x, n, z=Z):
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return centre - half, centre + half


def test_estimate_77_2():
    assert pct(proportion_ci(X, N).estimate) == 77.2  # published: 77.2 percent


def test_clopper_pearson_shorter_side_is_the_published_5_0():
    lo, hi = sps.beta.ppf(0.025, X, N - X + 1), sps.beta.ppf(0.975, X + 1, N - X)
    r = proportion_ci(X, N, method="clopper-pearson")
    assert (r.lower, r.upper) == pytest.approx((lo, hi), rel=1e-12)
    assert pct(hi - P) == 5.0  # published "+/- 5.0": reproduced
    assert pct(P - lo) == 5.7


def test_readings_that_do_not_give_5_0():
    wald = Z * math.sqrt(P * (1 - P) / N)
    assert audit_margin(N, p=P).estimate == pytest.approx(wald, rel=1e-12)
    assert pct(wald) == 5.2
    lo, hi = wilson(X, N)
    w = proportion_ci(X, N, method="wilson")
    assert (w.lower, w.upper) == pytest.approx((lo, hi), rel=1e-12)
    assert (pct((hi - lo) / 2), pct(P - lo), pct(hi - P)) == (5.1, 5.5, 4.7)
    assert pct(audit_margin(N).estimate) == pct(Z * math.sqrt(0.25 / N)) == 6.1  # p = 0.5


@pytest.mark.parametrize("population, published", [(3142, 4.9), (3143, 5.0), (5882, 5.0),
                                                     (5883, 5.1), (2231, 4.9)])  # fmt: skip
def test_wald_with_finite_population_correction(population, published):
    """Wald x sqrt((N_pop - n) / (N_pop - 1)): 5.0 only for 3,143 to 5,882 records sampled from
    (2,231, the searches of the year to March 2022, gives 4.9)."""
    by_hand = Z * math.sqrt(P * (1 - P) / N) * math.sqrt((population - N) / (population - 1))
    r = audit_margin(N, p=P, population=population)
    assert r.estimate == pytest.approx(by_hand, rel=1e-12)
    assert pct(by_hand) == published


def test_2020_sample_size_implied_by_5_3():
    """n = z^2 p (1 - p) / h^2 with p = 0.895, h = 0.053, and the range of n that rounds to
    5.3 (h from 0.0525 to 0.0535), worked by hand."""
    n = lambda h: Z * Z * 0.895 * 0.105 / h**2  # noqa: E731
    wald = implied_sample_size(0.895, 0.053, method="normal", resolution=0.001)
    assert (wald.estimate, wald.lower, wald.upper) == pytest.approx(
        (n(0.053), n(0.0535), n(0.0525)), rel=1e-12
    )
    assert (round(wald.lower, 1), round(wald.estimate, 1), round(wald.upper, 1)) == (
        126.1, 128.5, 131.0)  # fmt: skip
    design = implied_sample_size(0.895, 0.053, method="design")
    assert design.estimate == pytest.approx(Z * Z * 0.25 / 0.053**2, rel=1e-12)
    # an integer sample that reproduces both 89.5% and +/- 5.3 with the Wilson mean half-width
    lo, hi = wilson(119, 133)
    assert pct(119 / 133) == 89.5 and pct((hi - lo) / 2) == 5.3
    # no integer x / n with n from 126 to 131 rounds to 89.5%: the Wald reading has no sample
    sizes = np.arange(126, 132)
    assert not np.any(np.round(1000 * np.round(0.895 * sizes) / sizes) == 895)


def _newcombe(x1, n1, x2, n2):
    """Newcombe (1998) method 10, written out: p2 - p1 with Wilson limits of each."""
    l1, u1 = wilson(x1, n1)
    l2, u2 = wilson(x2, n2)
    p1, p2 = x1 / n1, x2 / n2
    d = p2 - p1
    return (
        d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2),
        d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2),
    )


@pytest.mark.parametrize("n2020", [55, 128, 129, 344, 1000])
def test_deterioration_for_every_plausible_2020_sample(n2020):
    """The published "statistically significant deterioration" holds for every 2020 sample
    from 55 records (the Newcombe interval, written out, lies below 0)."""
    x2020 = round(0.895 * n2020)
    lo, hi = _newcombe(x2020, n2020, X, N)
    assert hi < 0
    r = compare_proportions(x2020, n2020, X, N)
    assert (r.lower, r.upper) == pytest.approx((lo, hi), rel=1e-9)
    assert r.verdict == "deterioration"


def test_below_55_the_verdict_is_not_guaranteed():
    lo, hi = _newcombe(48, 54, X, N)
    assert lo < 0 < hi
    assert compare_proportions(48, 54, X, N).verdict == "no_change"


CDI = [(0.962, 0.019), (0.942, 0.040), (0.962, 0.032)]


@pytest.mark.parametrize("p, h", CDI)
def test_crime_data_integrity_implied_samples(p, h):
    r = implied_sample_size(p, h, method="normal")
    by_hand = Z * Z * p * (1 - p) / h**2
    assert r.estimate == pytest.approx(by_hand, rel=1e-12)
    # round trip: a sample of that size gives the published margin back (Wald, by hand)
    assert pct(Z * math.sqrt(p * (1 - p) / round(by_hand))) == pct(h)
