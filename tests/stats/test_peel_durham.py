"""HMICFRS PEEL 2023-25 Durham Constabulary report (shared/seeds/003_ab0a1b4876aafd1c.txt).

Published figures (all 95%):
  stop and search 2022: 196 of 254 records (77.2%) had reasonable grounds, "+/- 5.0 percent";
  "a statistically significant deterioration" from 2020: 89.5% "+/- 5.3 percent" (n unpublished);
  crime data integrity: 96.2% +/- 1.9, 94.2% +/- 4.0, 96.2% +/- 3.2 (samples unpublished).
See docs/methods.md for which reading reproduces which figure.
"""

from __future__ import annotations

import numpy as np
import pytest

from peelstats.stats import audit_margin, compare_proportions, implied_sample_size, proportion_ci


def pct(x, dp=1):
    return round(100 * x, dp)


def test_estimate_77_2():
    assert pct(proportion_ci(196, 254).estimate) == 77.2


def test_plus_minus_5_0_readings():
    p = 196 / 254
    r = proportion_ci(196, 254, method="clopper-pearson")
    # The shorter (upper) side of the Clopper-Pearson interval is the only reading that gives 5.0
    assert pct(r.upper - p) == 5.0
    assert pct(p - r.lower) == 5.7
    # readings that do NOT reproduce it, recorded so the finding is checked:
    assert pct(audit_margin(254, p=p).estimate) == 5.2  # observed-p Wald
    w = proportion_ci(196, 254, method="wilson")
    assert pct((w.upper - w.lower) / 2) == 5.1  # Wilson mean half-width
    assert pct(p - w.lower) == 5.5 and pct(w.upper - p) == 4.7  # Wilson sides
    assert pct(audit_margin(254).estimate) == 6.1  # design p = 0.5
    assert pct((r.upper - r.lower) / 2) == 5.3  # Clopper-Pearson mean half-width
    # Wald with a finite population correction gives 5.0 only if 3,143 <= N <= 5,882 records
    assert pct(audit_margin(254, p=p, population=3143).estimate) == 5.0
    assert pct(audit_margin(254, p=p, population=5882).estimate) == 5.0
    assert pct(audit_margin(254, p=p, population=3142).estimate) == 4.9
    assert pct(audit_margin(254, p=p, population=5883).estimate) == 5.1
    # with N = 2,231 (searches in the year to March 2022, a different period) it gives 4.9
    assert pct(audit_margin(254, p=p, population=2231).estimate) == 4.9


def test_2020_sample_size_implied_by_5_3():
    wald = implied_sample_size(0.895, 0.053, method="normal", resolution=0.001)
    assert (round(wald.lower, 1), round(wald.estimate, 1), round(wald.upper, 1)) == (
        126.1,
        128.5,
        131.0,
    )
    design = implied_sample_size(0.895, 0.053, method="design", resolution=0.001)
    assert 335 < design.lower < design.estimate < design.upper < 349
    wilson = implied_sample_size(0.895, 0.053, method="wilson", resolution=0.001)
    assert 125 < wilson.lower < wilson.estimate < wilson.upper < 140
    # an integer sample that reproduces both 89.5% and +/-5.3 with the Wilson mean half-width:
    r = proportion_ci(119, 133, method="wilson")
    assert pct(r.estimate) == 89.5 and pct((r.upper - r.lower) / 2) == 5.3
    # no integer x/n in n = 126..131 rounds to 89.5%, so the Wald reading has no integer sample
    n = np.arange(126, 132)
    assert not np.any(np.round(1000 * np.round(0.895 * n) / n) == 895)


def test_deterioration_for_every_plausible_2020_sample():
    """Significant deterioration for every 2020 sample size from 55 (smallest n from which it
    holds for all larger n) through the n implied by +/-5.3 under every reading (126-344) and
    on to 1,000, with x = round(0.895 n). One vectorised call."""
    n2020 = np.arange(55, 1001)
    r = compare_proportions(np.round(0.895 * n2020), n2020, 196, 254)
    assert np.all(r.verdict == "deterioration")
    assert np.all(np.asarray(r.upper) < 0) and np.all(np.asarray(r.pvalue) < 0.05)


def test_deterioration_headline_and_boundary():
    r = compare_proportions(round(0.895 * 128.5), 128, 196, 254)
    assert r.verdict == "deterioration"
    assert r.upper < 0 and r.estimate == pytest.approx(196 / 254 - 115 / 128)
    # at n = 54 (x = 48) the interval includes 0: below 55 the verdict is not guaranteed
    assert compare_proportions(48, 54, 196, 254).verdict == "no_change"


CDI = [(0.962, 0.019, 389.0), (0.942, 0.040, 131.2), (0.962, 0.032, 137.1)]


@pytest.mark.parametrize("p, h, n_wald", CDI)
def test_crime_data_integrity_implied_samples(p, h, n_wald):
    r = implied_sample_size(p, h, method="normal")
    assert round(r.estimate, 1) == n_wald
    # round trip: an audit of the implied size reproduces the published margin
    assert pct(audit_margin(round(r.estimate), p=p).estimate) == pct(h)


@pytest.mark.parametrize(
    "x, n, method, published",
    [
        (128, 133, "normal", (96.2, 3.2)),  # Wald reading, CDI violent offences
        (130, 138, "wilson", (94.2, 4.0)),  # Wilson mean half-width, CDI sexual offences
        (376, 391, "wilson", (96.2, 1.9)),  # Wilson mean half-width, CDI all crime
        (356, 370, "normal", (96.2, 1.9)),  # Wald reading, CDI all crime
    ],
)
def test_crime_data_integrity_integer_samples(x, n, method, published):
    r = proportion_ci(x, n, method=method)
    half = (r.upper - r.lower) / 2
    assert (pct(r.estimate), pct(half)) == published
