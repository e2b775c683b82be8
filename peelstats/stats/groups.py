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
    """Per-group proportions with difference and ratio against a reference group.

    Returned by :func:`compare_groups`; a :class:`Result` (one element per group) with these
    fields too.

    Parameters
    ----------
    groups : tuple
        The group labels, in input order.
    reference : object
        The reference group's label.
    difference, difference_lower, difference_upper, difference_pvalue : ndarray
        Group minus reference proportion, its Newcombe interval and score-test p.
    ratio, ratio_lower, ratio_upper, ratio_pvalue : ndarray
        Group over reference proportion, its Katz log interval and Wald p.

    References
    ----------
    Newcombe RG (1998) Stat Med 17:873-890. Katz D et al. (1978) Biometrics 34:469-474.

    Examples
    --------
    Newcombe (1998) Table II (a) and (b), each against its own reference: 56/70 - 48/80 is
    0.0524 to 0.3339; 9/10 - 3/10 is 0.1705 to 0.8090.

    >>> from peelstats.stats import compare_groups
    >>> df = compare_groups([48, 56, 3], [80, 70, 10], ["a", "b", "c"], reference="a").to_frame()
    >>> print(f"{df.difference_lower[1]:.4f} to {df.difference_upper[1]:.4f}")
    0.0524 to 0.3339
    >>> df = compare_groups([3, 9], [10, 10], ["a", "b"], reference="a").to_frame()
    >>> print(f"{df.difference_lower[1]:.4f} to {df.difference_upper[1]:.4f}")
    0.1705 to 0.8090
    """

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
        """Tidy frame: one row per group.

        Returns
        -------
        pandas.DataFrame
            ``group``, the counts, the proportion and its interval, the difference and ratio
            against the reference with their intervals and p-values, ``small_numbers``,
            ``method``, ``confidence`` and ``is_reference``.
        """
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
    """The outcome test: a proportion per group, each compared with a reference group.

    Parameters
    ----------
    successes : array_like
        Successes per group (whole numbers from 0 to ``n``), one dimension.
    n : array_like
        Trials per group, above 0.
    groups : sequence
        Unique labels, one per group.
    reference : object
        The label of the reference group.
    method : {"wilson", "clopper-pearson", "jeffreys", "agresti-coull", "normal"}
        The interval of each group's proportion, as :func:`proportion_ci`.
    confidence : float, default 0.95
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    GroupComparison
        Always array-valued, one element per group. Against the reference: ``difference``
        (group - reference) with Newcombe's hybrid score interval (statsmodels
        ``confint_proportions_2indep(method="newcomb")``) and the pooled score-test p; ``ratio``
        (group / reference) with the Katz log interval, log RR +/- z se with
        se^2 = 1/x1 - 1/n1 + 1/x0 - 1/n0 (written by hand so zeros can be handled; equal to
        statsmodels ``confint_proportions_2indep(compare="ratio", method="log")``) and the Wald p
        on log RR, NaN when either count is 0. The reference row has difference 0, ratio 1 and
        NaN p-values. ``small_numbers``: the group or the reference has n < 30.

    Raises
    ------
    ValueError
        As :func:`proportion_ci`; also labels that do not match the counts, repeated labels, or
        a reference that is not one of the groups.

    References
    ----------
    Newcombe RG (1998) Stat Med 17:873-890. Katz D, Baptista J, Azen SP, Pike MC (1978)
    Obtaining confidence intervals for the risk ratio in cohort studies, Biometrics 34:469-474.
    Verified against Newcombe (1998) Table II, the Katz interval written out and statsmodels.

    Examples
    --------
    Newcombe (1998) Table II (a): 56/70 against 48/80, difference 0.2000 with interval 0.0524 to
    0.3339; risk ratio 0.8 / 0.6 = 1.3333.

    >>> from peelstats.stats import compare_groups
    >>> r = compare_groups([48, 56], [80, 70], groups=["reference", "other"], reference="reference")
    >>> print(f"{r.difference[1]:.4f} ({r.difference_lower[1]:.4f} to {r.difference_upper[1]:.4f})")
    0.2000 (0.0524 to 0.3339)
    >>> print(f"{r.ratio[1]:.4f}")
    1.3333
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
    """Mantel-Haenszel odds ratio of a success in group a against group b, pooled over strata.

    Parameters
    ----------
    x_a, n_a : array_like
        Successes and trials of group a, one element per stratum.
    x_b, n_b : array_like
        Successes and trials of group b, one element per stratum.
    confidence : float, default 0.95
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    Result
        ``estimate``/``lower``/``upper``: the pooled odds ratio and its Robins-Breslow-Greenland
        interval; ``statistic``/``pvalue``: the Mantel-Haenszel test of a common odds ratio of
        1, without continuity correction; ``extra`` holds ``homogeneity_pvalue`` (Breslow-Day
        test that the odds ratio is the same in every stratum, with Tarone's adjustment),
        ``crude`` (the odds ratio with strata merged) and ``strata`` (the strata used). Strata
        where either group has no trials, or where nobody (or everybody) succeeded, carry no
        information and are left out; with none left, estimate, interval and test are NaN.
        ``small_numbers`` when any of the four pooled cells is below 5. Library: statsmodels
        ``StratifiedTable``.

    Raises
    ------
    ValueError
        Confidence outside (0, 1), or successes outside 0 to n in a stratum.

    References
    ----------
    Mantel N, Haenszel W (1959) JNCI 22:719-748. Robins J, Breslow N, Greenland S (1986)
    Biometrics 42:311-323. Breslow NE, Day NE (1980) Statistical Methods in Cancer Research,
    vol. I, IARC. Tarone RE (1985) Biometrika 72:91-95. Verified against R
    ``mantelhaen.test(UCBAdmissions)``.

    Examples
    --------
    R's ``mantelhaen.test(UCBAdmissions)`` (its help page example): common odds ratio
    0.9046968, 95% interval 0.7719074 to 1.0603298; with ``correct = FALSE``,
    X-squared = 1.5246, p = 0.2169.

    >>> from peelstats.stats import stratified_odds_ratio
    >>> men_admitted, men_rejected = [512, 353, 120, 138, 53, 22], [313, 207, 205, 279, 138, 351]
    >>> women_admitted, women_rejected = [89, 17, 202, 131, 94, 24], [19, 8, 391, 244, 299, 317]
    >>> men = [a + r for a, r in zip(men_admitted, men_rejected)]
    >>> women = [a + r for a, r in zip(women_admitted, women_rejected)]
    >>> r = stratified_odds_ratio(men_admitted, men, women_admitted, women)
    >>> print(f"{r.estimate:.7f} ({r.lower:.7f} to {r.upper:.7f})")
    0.9046968 (0.7719074 to 1.0603298)
    >>> print(f"{r.statistic:.4f} {r.pvalue:.4f}")
    1.5246 0.2169
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
