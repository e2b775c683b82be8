"""Every kind of bad input raises a ValueError that names the argument."""

from __future__ import annotations

import numpy as np
import pytest

from peelstats.stats import (
    audit_margin,
    compare_proportions,
    funnel_limits,
    implied_sample_size,
    proportion_ci,
    rate_ci,
    rate_ratio,
    sample_size,
    spc_limits,
    trend_test,
)


def test_successes_exceed_n_message():
    with pytest.raises(ValueError) as e:
        proportion_ci([1, 2, 3, 12], [10, 10, 10, 10])
    assert str(e.value) == "successes (value 12 at index 3) must not exceed n (10)"


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: proportion_ci(-1, 10), "successes"),
        (lambda: proportion_ci(3, -10), "n"),
        (lambda: rate_ci(-2, 100), "count"),
        (lambda: rate_ratio(1, -5, 1, 5), "pop_a"),
    ],
)
def test_negatives(call, match):
    with pytest.raises(ValueError, match=match):
        call()


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: proportion_ci(2.5, 10), "successes must be whole counts"),
        (lambda: proportion_ci(2, 10.5), "n must be whole counts"),
        (lambda: rate_ci(2.5, 100), "count must be whole counts"),
        (lambda: compare_proportions(1, 10, 1.2, 10), "x2 must be whole counts"),
    ],
)
def test_non_integers(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_n_zero():
    with pytest.raises(ValueError, match=r"n \(value 0\) must be greater than 0"):
        proportion_ci(0, 0)
    with pytest.raises(ValueError, match="n1"):
        compare_proportions(0, 0, 1, 2)
    with pytest.raises(ValueError, match="population"):
        rate_ci(1, 0)


def test_population_less_than_n():
    with pytest.raises(ValueError, match=r"n \(value 50\) must not exceed population \(40\)"):
        proportion_ci(10, 50, population=40)
    with pytest.raises(ValueError, match="population"):
        audit_margin(50, population=40)


@pytest.mark.parametrize("conf", [0, 1, 1.5, -0.1, "high"])
def test_confidence_outside_unit_interval(conf):
    with pytest.raises(ValueError, match="confidence"):
        proportion_ci(1, 10, confidence=conf)
    with pytest.raises(ValueError, match="confidence"):
        rate_ratio(1, 10, 1, 10, confidence=conf)


def test_mismatched_shapes():
    with pytest.raises(ValueError, match=r"shapes do not match: successes \(3,\), n \(2,\)"):
        proportion_ci([1, 2, 3], [10, 10])
    with pytest.raises(ValueError, match="shapes do not match"):
        rate_ratio([1, 2], [10, 10, 10], 1, 10)


def test_nan():
    with pytest.raises(
        ValueError, match=r"successes must not contain NaN \(value nan at index 1\)"
    ):
        proportion_ci([1, np.nan], [10, 10])
    with pytest.raises(ValueError, match="count"):
        rate_ci(np.nan, 10)
    # a missing point is allowed (it keeps its place), but not a chart of one point
    with pytest.raises(ValueError, match="at least 2 points"):
        spc_limits([1, np.nan, np.nan])


@pytest.mark.parametrize(
    "call",
    [
        lambda: proportion_ci(1, 10, method="wald-ish"),
        lambda: compare_proportions(1, 10, 2, 10, method="fisher"),
        lambda: rate_ci(1, 10, method="poisson"),
        lambda: rate_ratio(1, 10, 1, 10, method="score"),
        lambda: trend_test([1, 2, 3], method="linear"),
        lambda: funnel_limits([10], 0.2, kind="odds"),
        lambda: spc_limits([1, 2, 3], chart="c"),
        lambda: audit_margin(10, method="t"),
        lambda: sample_size(0.05, method="wilson"),
        lambda: implied_sample_size(0.5, 0.05, method="exact"),
    ],
)
def test_unknown_method_lists_valid_ones(call):
    with pytest.raises(ValueError, match="valid methods"):
        call()


def test_proportion_method_message_lists_all():
    with pytest.raises(ValueError) as e:
        proportion_ci(1, 10, method="bogus")
    for m in ("wilson", "clopper-pearson", "jeffreys", "agresti-coull", "normal"):
        assert repr(m) in str(e.value)
