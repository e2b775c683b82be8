"""Property tests (hypothesis) for funnels, SPC, trends and group comparisons: invariants that
hold for any input, whatever the numbers."""

from __future__ import annotations

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from peelstats.stats import (
    compare_groups,
    funnel_flags,
    funnel_limits,
    rate_ci,
    spc_limits,
    trend_test,
)

LEVELS = st.sampled_from([(0.95, 0.998), (0.9, 0.99), (0.8, 0.95)])


@settings(max_examples=150, deadline=None)
@given(st.integers(0, 400), st.floats(100, 1e6), st.floats(0.05, 50), LEVELS)
def test_exact_rate_flag_agrees_with_the_exact_interval(count, pop, target, levels):
    """Outside the funnel exactly when the unit's exact interval excludes the target."""
    assume(count <= pop)
    flags = funnel_flags([count], [pop], target, kind="rate", per=1000, levels=levels)
    for i, level in enumerate(levels):
        ci = rate_ci(count, pop, per=1000, confidence=level)
        assert bool(flags.above[i, 0]) == (ci.lower > target)
        assert bool(flags.below[i, 0]) == (ci.upper < target)


@st.composite
def units(draw, kind="proportion"):
    k = draw(st.integers(5, 30))
    n = np.array(draw(st.lists(st.integers(20, 100_000), min_size=k, max_size=k)), float)
    p = np.array(draw(st.lists(st.floats(0.02, 0.9), min_size=k, max_size=k)))
    x = np.round(n * p)
    return x, n


@settings(max_examples=80, deadline=None)
@given(units(), st.sampled_from(["multiplicative", "additive"]), LEVELS)
def test_funnels_nest_and_contain_the_target(xn, od, levels):
    x, n = xn
    target = x.sum() / n.sum()
    grid = np.geomspace(n.min(), n.max(), 20)
    lim = funnel_limits(n, target, overdispersion=od, observed=x, grid=grid, levels=levels)
    assert np.all(lim.lower[0] <= target + 1e-12) and np.all(lim.upper[0] >= target - 1e-12)
    assert np.all(lim.lower[1] <= lim.lower[0] + 1e-12)  # wider level, wider limits
    assert np.all(lim.upper[1] >= lim.upper[0] - 1e-12)
    assert np.all((lim.lower >= 0) & (lim.upper <= 1))
    flags = funnel_flags(x, n, target, overdispersion=od, levels=levels)
    assert not np.any(flags.above[1] & ~flags.above[0])  # outside 99.8% implies outside 95%
    assert not np.any(flags.above & flags.below)


@settings(max_examples=80, deadline=None)
@given(units(), LEVELS)
def test_additive_limits_are_at_least_as_wide_as_without_overdispersion(xn, levels):
    x, n = xn
    target = x.sum() / n.sum()
    plain = funnel_limits(n, target, method="normal", levels=levels, scale="sqrt")
    extra = funnel_limits(n, target, overdispersion="additive", observed=x, levels=levels)
    assert extra.tau2 >= 0
    # on the arcsine scale the limits only widen by tau^2 >= 0
    plain_sqrt = funnel_limits(n, target, overdispersion="additive", observed=x, levels=levels,
                               trim_fraction=0.0)  # fmt: skip
    assert plain_sqrt.tau2 >= 0 and plain.lower.shape == extra.lower.shape


@settings(max_examples=60, deadline=None)
@given(units("ratio"))
def test_phi_is_invariant_to_the_order_of_units(xn):
    x, n = xn
    from peelstats.stats import estimate_overdispersion

    order = np.random.default_rng(0).permutation(len(x))
    a = estimate_overdispersion(x, n, x.sum() / n.sum())
    b = estimate_overdispersion(x[order], n[order], x.sum() / n.sum())
    assert np.isclose(a.phi, b.phi, equal_nan=True) and np.isclose(a.tau2, b.tau2)


@settings(max_examples=100, deadline=None)
@given(
    # values at a precision shifting by 100 keeps (data are counts and rates, not 1e-38)
    st.lists(
        st.floats(-1e4, 1e4, allow_nan=False).map(lambda x: round(x, 3)), min_size=3, max_size=60
    ),
    st.booleans(),
)
def test_spc_limits_bracket_the_centre_and_flags_are_consistent(values, screen):
    v = np.array(values)
    r = spc_limits(v, screen_outliers=screen)
    ok = np.isfinite(r.lower)
    assert np.all(r.lower[ok] <= r.centre[ok] + 1e-9) and np.all(r.upper[ok] >= r.centre[ok] - 1e-9)
    tol = 8 * np.spacing(np.maximum(np.abs(v), np.abs(r.centre)))
    assert np.array_equal(r.beyond_limits, (v - r.upper > tol) | (r.lower - v > tol))
    assert np.array_equal(r.special_cause, r.beyond_limits | r.shift | r.trend | r.two_of_three)
    # the limits move with the data: shifting every value shifts the chart
    s = spc_limits(v + 100.0, screen_outliers=screen)
    assert np.allclose(s.centre, r.centre + 100) and np.array_equal(
        s.special_cause, r.special_cause
    )


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1000, allow_nan=False), min_size=4, max_size=40),
       st.integers(1, 5))  # fmt: skip
def test_a_missing_point_keeps_its_place(values, gap):
    """A point removed and marked missing: no run passes through the gap, and positions after
    it are unchanged."""
    v = np.array(values)
    assume(gap < len(v) - 1)
    holed = v.copy()
    holed[gap] = np.nan
    r = spc_limits(holed)
    assert not r.special_cause[gap] and r.special_cause_type[gap] == "missing"
    assert len(r.value) == len(v)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(0, 500), min_size=5, max_size=40), st.floats(0.8, 0.99))
def test_trend_direction_follows_the_sign_and_significance(counts, conf):
    y = np.array(counts, float)
    for method in ("mann-kendall", "hamed-rao"):
        r = trend_test(y, method=method, confidence=conf)
        assert r.significant == (r.pvalue < 1 - conf and r.inputs["S"] != 0)
        if r.significant:
            assert (r.direction == "increase") == (r.inputs["S"] > 0)
        flipped = trend_test(y[::-1], method=method, confidence=conf)
        assert flipped.inputs["S"] == -r.inputs["S"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 500), min_size=6, max_size=30), st.integers(0, 3))
def test_times_scale_the_slope_but_not_the_test(counts, extra):
    """Spacing the periods k apart divides the Sen slope by k and leaves S and p alone."""
    y = np.array(counts, float)
    k = extra + 1
    a = trend_test(y, method="mann-kendall")
    b = trend_test(y, method="mann-kendall", times=np.arange(len(y)) * k)
    assert a.inputs["S"] == b.inputs["S"] and np.isclose(a.pvalue, b.pvalue)
    assert np.isclose(b.estimate * k, a.estimate)


@st.composite
def groups(draw):
    k = draw(st.integers(2, 6))
    n = np.array(draw(st.lists(st.integers(1, 2000), min_size=k, max_size=k)), float)
    x = np.array([draw(st.integers(0, int(m))) for m in n], float)
    return x, n


@settings(max_examples=150, deadline=None)
@given(groups(), st.floats(0.8, 0.999))
def test_compare_groups_invariants(xn, conf):
    x, n = xn
    names = [f"g{i}" for i in range(len(x))]
    r = compare_groups(x, n, names, "g0", confidence=conf)
    assert r.difference[0] == 0 and r.ratio[0] == 1 and np.isnan(r.difference_pvalue[0])
    assert np.all(r.difference_lower <= r.difference + 1e-12)
    assert np.all(r.difference + 1e-12 >= r.difference_lower)
    assert np.all(r.difference <= r.difference_upper + 1e-12)
    assert np.allclose(r.difference, x / n - x[0] / n[0])
    assert np.all((r.lower >= 0) & (r.upper <= 1))
    # a group compared with itself under another name shows no difference
    same = compare_groups(np.r_[x[0], x[0]], np.r_[n[0], n[0]], ["a", "b"], "a", confidence=conf)
    assert same.difference[1] == 0 and same.difference_lower[1] <= 0 <= same.difference_upper[1]
