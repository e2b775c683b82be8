"""compare_groups: per-group proportion, Newcombe difference and log risk ratio vs reference."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep

from peelstats.stats import compare_groups, proportion_ci

Z = stats.norm.ppf(0.975)

COLUMNS = [
    "group", "successes", "n", "estimate", "lower", "upper", "difference", "difference_lower",
    "difference_upper", "difference_pvalue", "ratio", "ratio_lower", "ratio_upper",
    "ratio_pvalue", "small_numbers", "method", "confidence",
]  # fmt: skip


def test_frame_columns_and_reference_row():
    r = compare_groups([48, 56, 5], [80, 70, 20], ["White", "Black", "Asian"], "White")
    df = r.to_frame()
    assert list(df.columns[: len(COLUMNS)]) == COLUMNS
    ref = df.set_index("group").loc["White"]
    assert ref.difference == 0 and ref.ratio == 1
    assert np.isnan(ref.difference_pvalue) and np.isnan(ref.ratio_pvalue)
    assert list(df.small_numbers) == [False, False, True]


def test_difference_newcombe_published():
    # Newcombe (1998) Table II (a): 56/70 - 48/80 -> 0.0524, 0.3339
    df = compare_groups([48, 56], [80, 70], ["ref", "g"], "ref").to_frame().set_index("group")
    assert (
        round(df.loc["g", "difference_lower"], 4),
        round(df.loc["g", "difference_upper"], 4),
    ) == (
        0.0524,
        0.3339,
    )
    # p: Pearson chi-square without continuity correction (scipy, independent)
    p = stats.chi2_contingency([[48, 32], [56, 14]], correction=False)[1]
    assert df.loc["g", "difference_pvalue"] == pytest.approx(p)


@pytest.mark.parametrize("x1, n1, x0, n0", [(56, 70, 48, 80), (30, 120, 10, 100), (5, 20, 10, 100)])
def test_ratio_katz_and_statsmodels(x1, n1, x0, n0):
    rr = (x1 / n1) / (x0 / n0)
    se = np.sqrt(1 / x1 - 1 / n1 + 1 / x0 - 1 / n0)  # Katz et al. (1978)
    df = compare_groups([x0, x1], [n0, n1], ["ref", "g"], "ref").to_frame().set_index("group")
    row = df.loc["g"]
    assert (row.ratio, row.ratio_lower, row.ratio_upper) == pytest.approx(
        (rr, rr * np.exp(-Z * se), rr * np.exp(Z * se))
    )
    lo, hi = confint_proportions_2indep(x1, n1, x0, n0, compare="ratio", method="log")
    assert (row.ratio_lower, row.ratio_upper) == pytest.approx((lo, hi))
    assert row.ratio_pvalue == pytest.approx(2 * stats.norm.sf(abs(np.log(rr) / se)))


def test_group_intervals_match_proportion_ci():
    r = compare_groups([3, 30], [40, 200], ["a", "b"], "b", method="clopper-pearson")
    ci = stats.binomtest(3, 40).proportion_ci(method="exact")
    assert (r.lower[0], r.upper[0]) == pytest.approx((ci.low, ci.high))
    assert np.allclose(r.estimate, proportion_ci([3, 30], [40, 200]).estimate)


def test_zero_successes_in_group():
    df = compare_groups([0, 20], [50, 100], ["a", "b"], "b").to_frame().set_index("group")
    assert df.loc["a", "ratio"] == 0
    assert np.isnan(df.loc["a", "ratio_lower"]) and np.isnan(df.loc["a", "ratio_pvalue"])
    assert df.loc["a", "difference_upper"] < 0  # Newcombe still defined


def test_bad_reference_and_groups():
    with pytest.raises(ValueError, match="reference"):
        compare_groups([1, 2], [10, 10], ["a", "b"], "c")
    with pytest.raises(ValueError, match="unique"):
        compare_groups([1, 2], [10, 10], ["a", "a"], "a")
    with pytest.raises(ValueError, match="shapes"):
        compare_groups([1, 2], [10, 10], ["a", "b", "c"], "a")
