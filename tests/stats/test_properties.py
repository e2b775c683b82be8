"""Property tests (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from peelstats.stats import compare_proportions, proportion_ci, rate_ci, rate_ratio

PROP_METHODS = ["wilson", "clopper-pearson", "jeffreys", "agresti-coull", "normal"]


@st.composite
def count_and_n(draw, max_n=5000):
    n = draw(st.integers(1, max_n))
    return draw(st.integers(0, n)), n


@settings(max_examples=200, deadline=None)
@given(count_and_n(), st.sampled_from(PROP_METHODS), st.floats(0.5, 0.999))
def test_interval_contains_estimate_within_unit(xn, method, conf):
    x, n = xn
    r = proportion_ci(x, n, method=method, confidence=conf)
    assert 0 <= r.lower <= r.estimate + 1e-12 and r.estimate - 1e-12 <= r.upper <= 1


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 99), st.integers(1, 50), st.sampled_from(PROP_METHODS[:4]))
def test_narrows_as_n_grows(pct, k, method):
    n = np.array([100, 200, 400, 800]) * k
    x = n * pct // 100
    r = proportion_ci(x, n, method=method)
    assert np.all(np.diff(np.asarray(r.upper) - np.asarray(r.lower)) < 0)


@settings(max_examples=100, deadline=None)
@given(count_and_n(), st.integers(1, 10**6))
def test_fpc_never_widens(xn, extra):
    x, n = xn
    a = proportion_ci(x, n, population=n + extra)
    b = proportion_ci(x, n)
    assert b.lower - 1e-12 <= a.lower <= a.estimate <= a.upper <= b.upper + 1e-12


@settings(max_examples=200, deadline=None)
@given(count_and_n(2000), count_and_n(2000), st.sampled_from(["newcombe", "wald", "agresti-caffo"]))
def test_swapping_groups_negates_difference(g1, g2, method):
    a = compare_proportions(*g1, *g2, method=method)
    b = compare_proportions(*g2, *g1, method=method)
    assert np.isclose(a.estimate, -b.estimate, atol=1e-12)
    assert np.isclose(a.lower, -b.upper, atol=1e-9) and np.isclose(a.upper, -b.lower, atol=1e-9)
    assert np.isclose(a.pvalue, b.pvalue)
    assert a.lower <= a.estimate + 1e-12 <= a.upper + 2e-12


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 10**4), st.integers(1, 10**4), st.floats(1, 1e6), st.floats(1, 1e6),
       st.sampled_from(["exact", "log"]))  # fmt: skip
def test_swapping_groups_inverts_ratio(a, b, na, nb, method):
    r1 = rate_ratio(a, na, b, nb, method=method)
    r2 = rate_ratio(b, nb, a, na, method=method)
    assert np.isclose(r1.estimate, 1 / r2.estimate, rtol=1e-9)
    assert np.isclose(r1.lower, 1 / r2.upper, rtol=1e-6)
    assert np.isclose(r1.upper, 1 / r2.lower, rtol=1e-6)
    assert np.isclose(r1.pvalue, r2.pvalue, rtol=1e-6, atol=1e-12)
    assert r1.lower <= r1.estimate <= r1.upper


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**5), st.floats(1, 1e7),
       st.sampled_from(["exact", "byar", "score", "jeffreys", "wald"]))  # fmt: skip
def test_rate_interval_contains_estimate(x, pop, method):
    r = rate_ci(x, pop, method=method)
    assume(np.isfinite(r.upper))
    assert 0 <= r.lower <= r.estimate * (1 + 1e-12) and r.estimate <= r.upper * (1 + 1e-12)
