"""The outcome test: a proportion per group compared with a reference group."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep

from ._core import MIN_N, Result, check_confidence, make_result, z_value
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


def stratified_odds_ratio(x_a, n_a, x_b, n_b, confidence=0.95) -> Result:
    """Mantel-Haenszel odds ratio of a success in group a against group b, pooled over strata
    (one element per stratum), with statsmodels' ``StratifiedTable``.

    estimate/lower/upper: the pooled odds ratio and its Robins-Breslow-Greenland interval;
    statistic/pvalue: the Mantel-Haenszel test of a common odds ratio of 1; ``extra`` holds
    ``homogeneity_pvalue`` (Breslow-Day test that the odds ratio is the same in every stratum,
    with Tarone's adjustment), ``crude`` (the odds ratio with strata merged) and ``strata`` (the
    strata used). Strata where either group has no searches, or where nobody (or everybody)
    succeeded, carry no information and are left out. Fewer than one informative stratum:
    NaN. References: Mantel & Haenszel (1959) JNCI 22:719; Robins, Breslow & Greenland (1986)
    Biometrics 42:311; Breslow & Day (1980), Tarone (1985). Library: statsmodels.
    """
    from statsmodels.stats.contingency_tables import StratifiedTable

    confidence = check_confidence(confidence)
    arrays = [np.atleast_1d(np.asarray(v, float)) for v in (x_a, n_a, x_b, n_b)]
    xa, na, xb, nb = np.broadcast_arrays(*arrays)
    if np.any((xa < 0) | (xb < 0)) or np.any(xa > na) or np.any(xb > nb):
        raise ValueError("successes must lie between 0 and n in every stratum")
    total = xa + xb
    keep = (na > 0) & (nb > 0) & (total > 0) & (total < na + nb)
    inputs = {"successes_a": xa.sum(), "n_a": na.sum(), "successes_b": xb.sum(), "n_b": nb.sum()}
    nan = float("nan")
    with np.errstate(divide="ignore", invalid="ignore"):
        crude = float((xa.sum() * (nb.sum() - xb.sum())) / ((na.sum() - xa.sum()) * xb.sum()))
    extra = {"homogeneity_pvalue": nan, "crude": crude, "strata": int(keep.sum())}
    small = bool(min(xa.sum(), xb.sum(), (na - xa).sum(), (nb - xb).sum()) < 5)
    if keep.sum() == 0:
        return make_result(
            inputs=inputs, estimate=nan, lower=nan, upper=nan, statistic=nan, pvalue=nan,
            method="Mantel-Haenszel", confidence=confidence, small_numbers=True, extra=extra,
        )  # fmt: skip
    tables = np.stack(
        [
            np.stack([xa[keep], na[keep] - xa[keep]], axis=-1),
            np.stack([xb[keep], nb[keep] - xb[keep]], axis=-1),
        ],
        axis=0,
    )  # 2 x K x 2
    # StratifiedTable takes 2 x 2 x K: rows group a/b, columns success/failure, strata last
    table = StratifiedTable(np.transpose(tables, (0, 2, 1)))
    lo, hi = table.oddsratio_pooled_confint(alpha=1 - confidence)
    null = table.test_null_odds(correction=False)
    homogeneity = table.test_equal_odds(adjust=True) if keep.sum() > 1 else None
    extra["homogeneity_pvalue"] = float(homogeneity.pvalue) if homogeneity is not None else nan
    return make_result(
        inputs=inputs, estimate=float(table.oddsratio_pooled), lower=float(lo), upper=float(hi),
        statistic=float(null.statistic), pvalue=float(null.pvalue), method="Mantel-Haenszel",
        confidence=confidence, small_numbers=small, extra=extra,
    )  # fmt: skip
