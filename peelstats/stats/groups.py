"""The outcome test: a proportion per group compared with a reference group."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep

from ._core import MIN_N, Result, check_confidence, z_value
from .proportions import pooled_z_test, proportion_ci


@dataclass(frozen=True, eq=False)
class GroupComparison(Result):
    """Per-group proportions with difference and ratio against a reference group."""

    groups: object = None
    reference: object = None
    difference: object = None
    difference_lower: object = None
    difference_upper: object = None
    difference_pvalue: object = None
    ratio: object = None
    ratio_lower: object = None
    ratio_upper: object = None
    ratio_pvalue: object = None

    def to_frame(self) -> pd.DataFrame:
        df = pd.DataFrame(
            {
                "group": list(self.groups),
                "successes": self.inputs["successes"],
                "n": self.inputs["n"],
                "estimate": self.estimate,
                "lower": self.lower,
                "upper": self.upper,
                "difference": self.difference,
                "difference_lower": self.difference_lower,
                "difference_upper": self.difference_upper,
                "difference_pvalue": self.difference_pvalue,
                "ratio": self.ratio,
                "ratio_lower": self.ratio_lower,
                "ratio_upper": self.ratio_upper,
                "ratio_pvalue": self.ratio_pvalue,
                "small_numbers": self.small_numbers,
                "method": self.method,
                "confidence": self.confidence,
                "is_reference": [g == self.reference for g in self.groups],
            }
        )
        return df


def compare_groups(
    successes, n, groups, reference, method="wilson", confidence=0.95
) -> GroupComparison:
    """Proportion per group (interval by ``method``, see proportion_ci) and, against the
    reference group: difference (group - reference; Newcombe hybrid score interval,
    statsmodels ``confint_proportions_2indep(method="newcomb")``; p from the pooled score z
    test) and risk ratio (group / reference; Katz log method written by hand so zeros can be
    handled: log RR +/- z se, se^2 = 1/x1 - 1/n1 + 1/x0 - 1/n0, equal to statsmodels
    ``confint_proportions_2indep(compare="ratio", method="log")``; p from the Wald z on
    log RR; NaN interval and p if either count is 0).
    The reference row has difference 0, ratio 1, p-values NaN. ``small_numbers``: the
    group or the reference has n < 30. Always array-valued (one element per group).
    Verified against Newcombe (1998) and hand-written Katz log RR interval.
    """
    prop = proportion_ci(successes, n, method=method, confidence=confidence)
    confidence = check_confidence(confidence)
    x = np.atleast_1d(np.asarray(prop.inputs["successes"], float))
    m = np.atleast_1d(np.asarray(prop.inputs["n"], float))
    g = np.atleast_1d(np.asarray(groups, dtype=object))
    if g.ndim != 1 or x.ndim != 1 or len(g) != len(x):
        raise ValueError(
            f"shapes do not match: groups {np.shape(groups)}, successes {np.shape(successes)}"
        )
    labels = pd.Series(g)
    if labels.duplicated().any():
        raise ValueError(f"groups must be unique, {labels[labels.duplicated()].iloc[0]!r} repeats")
    hits = np.flatnonzero(labels == reference)
    if len(hits) != 1:
        raise ValueError(f"reference {reference!r} is not one of the groups {list(g)}")
    r = hits[0]
    x0, n0 = np.full_like(x, x[r]), np.full_like(m, m[r])
    alpha = 1 - confidence
    d_lo, d_hi = confint_proportions_2indep(x, m, x0, n0, method="newcomb", alpha=alpha)
    d_lo, d_hi = np.broadcast_to(d_lo, x.shape).copy(), np.broadcast_to(d_hi, x.shape).copy()
    _, d_p = pooled_z_test(x0, n0, x, m)
    z = z_value(confidence)
    with np.errstate(divide="ignore", invalid="ignore"):
        rr = (x / m) / (x0 / n0)
        ok = (x > 0) & (x0 > 0)
        se = np.sqrt(1 / x - 1 / m + 1 / x0 - 1 / n0)
        r_lo = np.where(ok, rr * np.exp(-z * se), np.nan)
        r_hi = np.where(ok, rr * np.exp(z * se), np.nan)
        with np.errstate(all="ignore"):
            zr = np.where(ok & (se > 0), np.log(rr) / se, np.nan)
        r_p = 2 * stats.norm.sf(np.abs(zr))
    diff = x / m - x0 / n0
    diff[r], d_lo[r], d_hi[r], d_p[r] = 0.0, 0.0, 0.0, np.nan
    rr[r], r_lo[r], r_hi[r], r_p[r] = 1.0, 1.0, 1.0, np.nan
    small = (m < MIN_N) | (n0 < MIN_N)
    return GroupComparison(
        estimate=np.atleast_1d(prop.estimate),
        lower=np.atleast_1d(prop.lower),
        upper=np.atleast_1d(prop.upper),
        method=prop.method,
        confidence=confidence,
        statistic=np.full_like(x, np.nan),
        pvalue=np.full_like(x, np.nan),
        small_numbers=small,
        inputs={"successes": x, "n": m},
        groups=tuple(g.tolist()),
        reference=reference,
        difference=diff,
        difference_lower=d_lo,
        difference_upper=d_hi,
        difference_pvalue=d_p,
        ratio=rr,
        ratio_lower=r_lo,
        ratio_upper=r_hi,
        ratio_pvalue=r_p,
    )


__all__ = ["GroupComparison", "compare_groups"]
