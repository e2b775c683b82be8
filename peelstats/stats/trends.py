"""Trend tests over ordered periods (periods are the input order 0, 1, 2, ...)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.contingency_tables import Table

from ._core import (
    Result,
    as_array,
    broadcast,
    check_confidence,
    check_method,
    check_not_exceed,
    small_count,
    small_proportion,
    z_value,
)

_TREND_METHODS = (
    "cochran-armitage",
    "poisson",
    "quasi-poisson",
    "binomial",
    "quasi-binomial",
    "mann-kendall",
)
_TREND_ALIASES = {
    "ca": "cochran-armitage",
    "cochran_armitage": "cochran-armitage",
    "mk": "mann-kendall",
    "mann_kendall": "mann-kendall",
}


@dataclass(frozen=True, eq=False)
class Trend(Result):
    """A trend test: estimate (slope/percentage change) with interval, test and direction."""

    direction: str = "none"
    estimate_label: str = ""

    @property
    def significant(self) -> bool:
        return self.direction != "none"

    def to_frame(self):
        df = super().to_frame()
        df["direction"] = self.direction
        df["significant"] = self.significant
        df["estimate_label"] = self.estimate_label
        return df


def _direction(estimate, pvalue, confidence, null=0.0):
    """'increase' / 'decrease' when p < 1 - confidence, else 'none' (a code, not English)."""
    if np.isfinite(pvalue) and pvalue < 1 - confidence:
        return "increase" if estimate > null else "decrease"
    return "none"


def mann_kendall_s(y):
    """Mann-Kendall S = sum_{i<j} sign(y_j - y_i) and its variance with the tie correction
    Var S = [n(n-1)(2n+5) - sum_t t(t-1)(2t+5)] / 18 (t = sizes of tied groups)."""
    y = np.asarray(y, float)
    n = len(y)
    iu = np.triu_indices(n, k=1)
    s = np.sign(y[None, :] - y[:, None])[iu].sum()
    _, t = np.unique(y, return_counts=True)
    var = (n * (n - 1) * (2 * n + 5) - np.sum(t * (t - 1) * (2 * t + 5))) / 18.0
    return float(s), float(var)


def trend_test(
    counts_or_successes, n=None, exposure=None, method=None, confidence=0.95, times=None
) -> Trend:
    """Test for a monotone trend over ordered periods 0, 1, 2, ... (the input order).

    ``cochran-armitage`` (successes with n): scores 0..k-1; b = sum x_i (s_i - sbar) / Sxx
    (Sxx = sum n_i (s_i - sbar)^2, sbar = n-weighted mean score) is the estimate (change in
    proportion per period, least-squares slope); z = b / sqrt(pbar(1-pbar)/Sxx) (textbook form,
    z^2 = R prop.trend.test chi-square); interval b +/- z_c sqrt(pbar(1-pbar)/Sxx).
    Computed with statsmodels ``Table.test_ordinal_association`` whose z is rescaled by
    sqrt(N/(N-1)) to the textbook form (statsmodels uses the permutation variance).
    ``poisson`` (counts, optional ``exposure`` as log offset) and ``binomial`` (successes with
    n, logit link) statsmodels GLMs on period: estimate = (exp(beta) - 1) * 100, the
    percentage change per period in the rate (poisson) or in the odds (binomial), with Wald
    interval and p-value; statistic = Wald z. ``quasi-poisson`` / ``quasi-binomial``: the
    same fits with the dispersion estimated by Pearson chi-square / residual df
    (statsmodels ``fit(scale="X2")``; McCullagh & Nelder 1989 s.4.5), so standard errors are
    multiplied by sqrt(phi): the choice for monthly counts that vary more than Poisson
    (the dispersion is never taken below 1). No events at all (or, binomial, every trial a
    success) gives NaN estimate, interval and p.
    ``mann-kendall`` (any series, hand-written from scipy pieces): S with the tie-corrected
    variance (see ``mann_kendall_s``), z = (S - sign(S))/sqrt(Var S) (continuity correction),
    two-sided normal p; estimate = Sen's slope (scipy.stats.theilslopes, whose interval uses
    the untied variance at ``confidence``). Exact ties contribute sign 0 to S.
    ``direction``: "increase"/"decrease" when p < 1 - confidence, else "none";
    ``significant`` is ``direction != "none"``.
    References: Armitage (1955) Biometrics 11:375; Agresti (2002) s.5.3.5; Mann (1945),
    Kendall (1975), Sen (1968); Hirsch et al. (1982) for the tie variance.
    ``times`` (optional) gives each value's position (e.g. month numbers with gaps where a month
    has no data); by default the positions are 0, 1, 2, ... Periods with n = 0
    (cochran-armitage, binomial) are dropped; the others keep their position as score.
    Verified against R prop.trend.test's documented example and hand-worked S/variance.
    """
    method = check_method(method, _TREND_METHODS, _TREND_ALIASES)
    confidence = check_confidence(confidence)
    integer = method != "mann-kendall"
    y = as_array(
        "counts_or_successes", counts_or_successes, integer=integer, minimum=0 if integer else None
    )
    if y.ndim != 1 or len(y) < 3:
        raise ValueError(f"counts_or_successes must be 1-d with at least 3 periods, got {y.shape}")
    k = len(y)
    if times is None:
        t = np.arange(k, dtype=float)
    else:  # each value's position in time: a missing period is a gap, not a closed-up step
        t = as_array("times", times, minimum=None)
        if t.shape != y.shape:
            raise ValueError(f"times must have one position per value, got {t.shape} for {y.shape}")
        if np.any(np.diff(t) <= 0):
            raise ValueError("times must be strictly increasing")
        t = t - t[0]
    z = z_value(confidence)
    inputs = {"periods": k}
    m = None
    if method in ("cochran-armitage", "binomial", "quasi-binomial"):
        if n is None:
            raise ValueError(f"n is required for method {method!r}")
        m = as_array("n", n, integer=True, minimum=0)
        y, m = broadcast(counts_or_successes=y, n=m)
        check_not_exceed("successes", y, "n", m)
        # periods with n = 0 carry no information: drop them but keep the others' positions
        keep = m > 0
        if keep.sum() < 2:
            raise ValueError("n must be positive in at least 2 periods")
        y, m, t = y[keep], m[keep], t[keep]
        inputs.update(successes=int(y.sum()), n=int(m.sum()))
        small = bool(np.any(small_proportion(y, m)))
    elif n is not None:
        raise ValueError(f"n is not used by method {method!r}")
    if method in ("poisson", "quasi-poisson"):
        inputs["count"] = int(y.sum())
        small = bool(np.any(small_count(y)))
    if method == "mann-kendall":
        small = k < 10
    if method == "cochran-armitage":
        total, pbar = m.sum(), y.sum() / m.sum()
        sbar = np.sum(m * t) / total
        sxx = np.sum(m * (t - sbar) ** 2)
        b = np.sum(y * (t - sbar)) / sxx
        se = np.sqrt(pbar * (1 - pbar) / sxx)
        if se > 0:
            res = Table(np.column_stack([m - y, y]), shift_zeros=False).test_ordinal_association(
                row_scores=t, col_scores=np.array([0.0, 1.0])
            )
            # statsmodels: permutation variance; its sign depends on table orientation
            zstat = np.sign(b) * abs(float(res.zscore)) * np.sqrt(total / (total - 1))
            pval = 2 * stats.norm.sf(abs(zstat))
        else:
            zstat, pval = 0.0, 1.0
        est, lo, hi = b, b - z * se, b + z * se
        label = "change in proportion per period (least-squares slope)"
    elif method in ("poisson", "binomial", "quasi-poisson", "quasi-binomial"):
        quasi = method.startswith("quasi-")
        X = sm.add_constant(t)
        if method.endswith("poisson"):
            offset = None
            if exposure is not None:
                e = as_array("exposure", exposure, minimum=0, strict_min=True)
                y, e = broadcast(counts_or_successes=y, exposure=e)
                offset = np.log(e)
            model = sm.GLM(y, X, family=sm.families.Poisson(), offset=offset)
            label = "percentage change in rate per period"
        else:
            if exposure is not None:
                raise ValueError("exposure is only used by methods 'poisson' and 'quasi-poisson'")
            model = sm.GLM(np.column_stack([y, m - y]), X, family=sm.families.Binomial())
            label = "percentage change in odds per period"
        degenerate = y.sum() == 0 or (method.endswith("binomial") and np.all(y == m))
        if degenerate:  # no events (or all successes): the slope is not estimable
            est = lo = hi = zstat = pval = float("nan")
        else:
            fit = model.fit()
            beta, se = float(fit.params[1]), float(fit.bse[1])
            if quasi:
                phi = max(float(fit.pearson_chi2) / float(fit.df_resid), 1.0)
                se *= np.sqrt(phi)
                inputs["dispersion"] = phi
            zstat = beta / se
            pval = float(2 * stats.norm.sf(abs(zstat)))
            est = (np.exp(beta) - 1) * 100
            lo, hi = (np.exp(beta - z * se) - 1) * 100, (np.exp(beta + z * se) - 1) * 100
    else:
        s, var = mann_kendall_s(y)
        zstat = (s - np.sign(s)) / np.sqrt(var) if var > 0 else 0.0
        pval = 2 * stats.norm.sf(abs(zstat))
        ts = stats.theilslopes(y, t, alpha=confidence)
        est, lo, hi = float(ts.slope), float(ts.low_slope), float(ts.high_slope)
        inputs["S"] = s
        inputs["var_S"] = var
        label = "Sen's slope per period"
    null = 0.0
    return Trend(
        estimate=float(est),
        lower=float(lo),
        upper=float(hi),
        method=method,
        confidence=confidence,
        statistic=float(zstat),
        pvalue=float(pval),
        small_numbers=small,
        inputs=inputs,
        direction=_direction(est, pval, confidence, null),
        estimate_label=label,
    )
