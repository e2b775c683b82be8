"""Mantel-Haenszel pooled odds ratio against R's documented output.

Reference: R `datasets::UCBAdmissions` with `stats::mantelhaen.test` (R Core Team,
src/library/stats/man/mantelhaen.test.Rd example), which prints "common odds ratio 0.9046968",
"95 percent confidence interval: 0.7719074 1.0603298" and, with `correct = FALSE`,
"Mantel-Haenszel X-squared = 1.5246, df = 1, p-value = 0.2169".
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peelstats.stats import stratified_odds_ratio

# Admitted / rejected by department A-F (UCBAdmissions)
MALE_ADMITTED = [512, 353, 120, 138, 53, 22]
MALE_REJECTED = [313, 207, 205, 279, 138, 351]
FEMALE_ADMITTED = [89, 17, 202, 131, 94, 24]
FEMALE_REJECTED = [19, 8, 391, 244, 299, 317]


def _ucb():
    n_m = np.add(MALE_ADMITTED, MALE_REJECTED)
    n_f = np.add(FEMALE_ADMITTED, FEMALE_REJECTED)
    return stratified_odds_ratio(MALE_ADMITTED, n_m, FEMALE_ADMITTED, n_f)


def test_matches_r_mantelhaen_test_on_ucb_admissions():
    r = _ucb()
    assert r.estimate == pytest.approx(0.9046968, abs=5e-8)
    assert (r.lower, r.upper) == pytest.approx((0.7719074, 1.0603298), abs=5e-8)
    assert r.statistic == pytest.approx(1.5246, abs=5e-5)
    assert r.pvalue == pytest.approx(0.2169, abs=5e-5)


def test_crude_odds_ratio_by_hand_and_heterogeneity_is_detected():
    r = _ucb()
    # 1198 of 2691 men and 557 of 1835 women admitted (R's UCBAdmissions help page)
    assert r.extra["crude"] == pytest.approx((1198 * (1835 - 557)) / ((2691 - 1198) * 557))
    # department A's odds ratio (0.35) differs from the rest: Breslow-Day rejects homogeneity
    assert r.extra["homogeneity_pvalue"] < 0.01 and r.extra["strata"] == 6


def test_uninformative_strata_are_left_out_and_none_gives_nan():
    with_empty = stratified_odds_ratio([5, 0, 3], [10, 0, 3], [2, 4, 1], [10, 8, 1])
    # stratum 2: no searches in group a; stratum 3: every search succeeded
    assert with_empty.extra["strata"] == 1
    none = stratified_odds_ratio([0], [10], [0], [12])
    assert np.isnan(none.estimate) and none.small_numbers


def test_bad_counts_are_refused():
    with pytest.raises(ValueError, match="between 0 and n"):
        stratified_odds_ratio([11], [10], [1], [10])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 60), st.integers(0, 60), st.integers(1, 60),
                          st.integers(0, 60)), min_size=1, max_size=6))  # fmt: skip
def test_swapping_the_groups_inverts_the_odds_ratio(strata):
    na = np.array([s[0] + s[1] for s in strata])
    xa = np.array([s[1] for s in strata]).clip(0, na)
    nb = np.array([s[2] + s[3] for s in strata])
    xb = np.array([s[3] for s in strata]).clip(0, nb)
    ab = stratified_odds_ratio(xa, na, xb, nb)
    ba = stratified_odds_ratio(xb, nb, xa, na)
    if np.isfinite(ab.estimate) and ab.estimate > 0 and np.isfinite(ba.estimate):
        assert ab.estimate * ba.estimate == pytest.approx(1.0)
        assert ab.pvalue == pytest.approx(ba.pvalue)
