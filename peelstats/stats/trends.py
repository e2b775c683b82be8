"""Trend tests over ordered periods, each value at its own place in time.

``times`` gives each value's position (e.g. month numbers); a missing period is a gap in
``times``, or NaN in the values, and keeps its place: slopes are per unit of time, not per
value, and the series never closes up over a gap.
"""

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
    "seasonal-mann-kendall",
    "hamed-rao",
)
_TREND_ALIASES = {
    "ca": "cochran-armitage",
    "cochran_armitage": "cochran-armitage",
    "mk": "mann-kendall",
    "mann_kendall": "mann-kendall",
    "seasonal": "seasonal-mann-kendall",
    "seasonal_mann_kendall": "seasonal-mann-kendall",
    "hamed_rao": "hamed-rao",
    "modified-mann-kendall": "hamed-rao",
}
_MK_FAMILY = ("mann-kendall", "seasonal-mann-kendall", "hamed-rao")


@dataclass(frozen=True, eq=False)
class Trend(Result):
    """A trend test: the slope or percentage change with its interval, test and direction.

    Returned by :func:`trend_test`; a :class:`Result` with two more fields.

    Parameters
    ----------
    direction : str
        "increase" or "decrease" when p < 1 - confidence, else "none" (a code, not English).
    estimate_label : str
        What ``estimate`` is, e.g. "Sen's slope per unit of time".

    References
    ----------
    Armitage P (1955) Biometrics 11:375-386.

    Examples
    --------
    R ``?prop.trend.test`` example: p-value = 0.004132, a significant fall in the proportion.

    >>> from peelstats.stats import trend_test
    >>> r = trend_test([83, 90, 129, 70], n=[86, 93, 136, 82], method="cochran-armitage")
    >>> print(f"{r.pvalue:.6f}", r.direction, r.significant)
    0.004132 decrease True
    """

    direction: str = "none"
    estimate_label: str = ""

    @property
    def significant(self) -> bool:
        """Whether ``direction`` is "increase" or "decrease"."""
        return self.direction != "none"

    def to_frame(self):
        """Tidy frame: one row.

        Returns
        -------
        pandas.DataFrame
            :meth:`Result.to_frame`'s columns, then ``direction``, ``significant`` and
            ``estimate_label``.
        """
        df = super().to_frame()
        df["direction"] = self.direction
        df["significant"] = self.significant
        df["estimate_label"] = self.estimate_label
        return df


def _direction(sign, pvalue, confidence):
    """'increase' / 'decrease' when p < 1 - confidence, else 'none' (a code, not English)."""
    if np.isfinite(pvalue) and pvalue < 1 - confidence and sign != 0:
        return "increase" if sign > 0 else "decrease"
    return "none"


def mann_kendall_s(y):
    """Mann-Kendall S = sum_{i<j} sign(y_j - y_i) (y in time order) and its variance with the
    tie correction Var S = [n(n-1)(2n+5) - sum_t t(t-1)(2t+5)] / 18 (t = tied group sizes)."""
    y = np.asarray(y, float)
    n = len(y)
    iu = np.triu_indices(n, k=1)
    s = np.sign(y[None, :] - y[:, None])[iu].sum()
    _, t = np.unique(y, return_counts=True)
    var = (n * (n - 1) * (2 * n + 5) - np.sum(t * (t - 1) * (2 * t + 5))) / 18.0
    return float(s), float(var)


def _mk_z(s: float, var: float) -> float:
    """z = (S - sign(S)) / sqrt(Var S), continuity-corrected; 0 when S = 0 or Var S = 0."""
    if var <= 0 or s == 0:
        return 0.0
    return (s - np.sign(s)) / np.sqrt(var)


def _acf(x: np.ndarray, nlags: int) -> np.ndarray:
    """Sample autocorrelations r_0..r_nlags with the biased (1/n) autocovariance."""
    y = x - x.mean()
    n = len(x)
    acov = np.correlate(y, y, "full")[n - 1 :] / n
    return acov[: nlags + 1] / acov[0] if acov[0] != 0 else acov[: nlags + 1]


def _hamed_rao_factor(y, slope, confidence, lag):
    """Hamed & Rao (1998) n/n*: 1 + 2/(n(n-1)(n-2)) sum_i (n-i)(n-i-1)(n-i-2) r_i over the
    lags i whose rank autocorrelation r_i is significant at 1 - confidence, up to ``lag``
    (default all lags). The values present, in order, are detrended by Sen's slope times
    their order 1..n (lags count values, not time), as pyMannKendall does."""
    n = len(y)
    ranks = stats.rankdata(y - np.arange(1, n + 1) * slope)
    lags = n - 1 if lag is None else int(lag)
    r = _acf(ranks, lags)
    bound = stats.norm.ppf(1 - (1 - confidence) / 2) / np.sqrt(n)
    total = 0.0
    for i in range(1, lags + 1):
        if abs(r[i]) > bound:
            total += (n - i) * (n - i - 1) * (n - i - 2) * r[i]
    return 1 + 2 / (n * (n - 1) * (n - 2)) * total


def _positions(y, times):
    if times is None:
        return np.arange(len(y), dtype=float)
    t = np.asarray(as_array("times", times, minimum=None), float)
    if t.shape != y.shape:
        raise ValueError(f"times must have one position per value, got {t.shape} for {y.shape}")
    if np.any(np.diff(t) <= 0):
        raise ValueError("times must be strictly increasing")
    return t


def trend_test(
    counts_or_successes,
    n=None,
    exposure=None,
    method=None,
    confidence=0.95,
    times=None,
    period=12,
    lag=None,
) -> Trend:
    """Test for a monotone trend, each value at its position in ``times``.

    Parameters
    ----------
    counts_or_successes : array_like
        One value per period, in time order: counts (``poisson``, ``quasi-poisson``),
        successes (``cochran-armitage``, ``binomial``, ``quasi-binomial``, with ``n``) or any
        numbers (the Mann-Kendall family). NaN marks a missing period: it is left out and the
        others keep their place. At least 3 periods need a value.
    n : array_like, optional
        Trials per period, for the proportion methods only; periods with n = 0 are left out.
    exposure : array_like, optional
        Population or person-time per period, the log offset of ``poisson``/``quasi-poisson``.
    method : str
        Required, one of:

        - ``cochran-armitage`` (aliases "ca", "cochran_armitage"): scores = times;
          b = sum x_i (s_i - sbar) / Sxx, Sxx = sum n_i (s_i - sbar)^2, is the change in
          proportion per unit of time; z = b / sqrt(pbar (1 - pbar) / Sxx) (the textbook form,
          z^2 = R ``prop.trend.test``; statsmodels ``Table.test_ordinal_association`` uses
          N - 1 and is rescaled); interval b +/- z_c se.
        - ``poisson`` and ``binomial`` (logit): statsmodels GLMs on time; estimate
          (exp(beta) - 1) x 100, the % change per unit of time in the rate or the odds, with
          Wald interval and p. ``quasi-poisson``/``quasi-binomial``: the same fits with the
          Pearson dispersion (statsmodels ``fit(scale="X2")``), never taken below 1.
        - ``mann-kendall`` (alias "mk"): S over the values in time order, tie-corrected
          variance, z = (S - sign S) / sqrt(Var S), two-sided normal p; estimate Sen's slope per
          unit of time, median of (y_j - y_i) / (t_j - t_i) (scipy ``theilslopes``).
        - ``hamed-rao`` (alias "modified-mann-kendall"): Mann-Kendall with Var S multiplied by
          Hamed & Rao's n/n* for autocorrelation (ranks of the series detrended by Sen's slope;
          lags up to ``lag`` counted where significant at 1 - confidence), as pyMannKendall
          ``hamed_rao_modification_test`` and R modifiedmk ``mmkh``.
        - ``seasonal-mann-kendall`` (alias "seasonal"): S and Var S summed over the seasons
          (position modulo ``period``), each season's values compared only with each other;
          estimate the seasonal Sen slope per unit of time (median within-season slope).
    confidence : float, default 0.95
        Confidence level, strictly between 0 and 1; also the level of ``direction``.
    times : array_like, optional
        Each value's position, strictly increasing (default 0, 1, 2, ...); a gap is a missing
        period and slopes are per unit of time.
    period : int, default 12
        Season length for ``seasonal-mann-kendall``.
    lag : int, optional
        Largest lag for ``hamed-rao`` (default all).

    Returns
    -------
    Trend
        ``estimate`` (slope or % change, named by ``estimate_label``) with ``lower``/``upper``
        (NaN for the seasonal test), ``statistic`` z, two-sided ``pvalue``, ``direction``
        "increase"/"decrease" when p < 1 - confidence, else "none"; ``inputs`` holds the
        periods used and, per method, S, Var S, Kendall's tau or the dispersion.
        ``small_numbers``: any period flagged as a proportion or count, or (Mann-Kendall family)
        fewer than 10 periods.

    Raises
    ------
    ValueError
        An unknown or missing method; confidence outside (0, 1); fewer than 3 periods with a
        value; fractional or negative counts; ``n`` missing for a proportion method or given
        to another; successes above n; ``times`` not strictly increasing or of another length;
        ``exposure`` with a binomial method.

    References
    ----------
    Armitage P (1955) Biometrics 11:375-386. McCullagh P, Nelder JA (1989) Generalized Linear
    Models, 2nd ed., s.4.5. Mann HB (1945) Econometrica 13:245-259. Kendall MG (1975) Rank
    Correlation Methods. Sen PK (1968) JASA 63:1379-1389. Hamed KH, Rao AR (1998) J Hydrol
    204:182-196. Hirsch RM, Slack JR, Smith RA (1982) Water Resour Res 18:107-121. Verified
    against R ``prop.trend.test``'s documented example, statsmodels GLM fits and pyMannKendall's
    test values (tests/stats).

    Examples
    --------
    R ``?prop.trend.test``: ``prop.trend.test(c(83, 90, 129, 70), c(86, 93, 136, 82))`` gives
    X-squared = 8.2249, p-value = 0.004132.

    >>> from peelstats.stats import trend_test
    >>> r = trend_test([83, 90, 129, 70], n=[86, 93, 136, 82], method="cochran-armitage")
    >>> print(f"{r.statistic ** 2:.4f} {r.pvalue:.6f} {r.direction}")
    8.2249 0.004132 decrease

    pyMannKendall's test of a perfect trend (tests/test_pymannkendall.py, commit ec2e3ab):
    360 rising values give S = 64620 and tau = 1.

    >>> r = trend_test(list(range(360)), method="mann-kendall")
    >>> print(r.inputs["S"], r.inputs["tau"], r.estimate, r.direction)
    64620.0 1.0 1.0 increase
    """
    method = check_method(method, _TREND_METHODS, _TREND_ALIASES)
    confidence = check_confidence(confidence)
    integer = method not in _MK_FAMILY
    raw = np.atleast_1d(np.asarray(counts_or_successes, dtype=float))
    if raw.ndim != 1:
        raise ValueError(f"counts_or_successes must be 1-d, got shape {raw.shape}")
    present = ~np.isnan(raw)
    t_all = _positions(raw, times)
    y = as_array("counts_or_successes", raw[present], integer=integer,
                 minimum=0 if integer else None) if present.any() else raw[present]  # fmt: skip
    t = t_all[present]
    if len(y) < 3:
        raise ValueError(
            f"counts_or_successes must have at least 3 periods with a value, got {len(y)}"
        )
    t = t - t[0]
    k = len(y)
    z = z_value(confidence)
    inputs = {"periods": k}
    m = None
    if method in ("cochran-armitage", "binomial", "quasi-binomial"):
        if n is None:
            raise ValueError(f"n is required for method {method!r}")
        m_all = np.atleast_1d(np.asarray(n, dtype=float))
        if m_all.shape != raw.shape:
            raise ValueError(f"n must have one value per period, got {m_all.shape}")
        m = as_array("n", m_all[present], integer=True, minimum=0)
        y, m = broadcast(counts_or_successes=y, n=m)
        check_not_exceed("successes", y, "n", m)
        keep = m > 0  # periods with n = 0 carry no information; the others keep their place
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
    if method in _MK_FAMILY:
        small = k < 10
    sign = 0.0
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
            # statsmodels: permutation variance (N - 1); its sign depends on the orientation
            zstat = np.sign(b) * abs(float(res.zscore)) * np.sqrt(total / (total - 1))
            pval = 2 * stats.norm.sf(abs(zstat))
        else:
            zstat, pval = 0.0, 1.0
        est, lo, hi = b, b - z * se, b + z * se
        sign = np.sign(b)
        label = "change in proportion per unit of time (least-squares slope)"
    elif method in ("poisson", "binomial", "quasi-poisson", "quasi-binomial"):
        quasi = method.startswith("quasi-")
        X = sm.add_constant(t)
        if method.endswith("poisson"):
            offset = None
            if exposure is not None:
                e_all = np.atleast_1d(np.asarray(exposure, dtype=float))
                e = as_array("exposure", e_all[present] if e_all.shape == raw.shape else e_all,
                             minimum=0, strict_min=True)  # fmt: skip
                y, e = broadcast(counts_or_successes=y, exposure=e)
                offset = np.log(e)
            model = sm.GLM(y, X, family=sm.families.Poisson(), offset=offset)
            label = "percentage change in rate per unit of time"
        else:
            if exposure is not None:
                raise ValueError("exposure is only used by methods 'poisson' and 'quasi-poisson'")
            model = sm.GLM(np.column_stack([y, m - y]), X, family=sm.families.Binomial())
            label = "percentage change in odds per unit of time"
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
            sign = np.sign(beta)
    elif method == "seasonal-mann-kendall":
        season = np.mod(np.round(t_all[present] - t_all[present][0]), period).astype(int)
        s = var = pairs = 0.0
        slopes = []
        for g in np.unique(season):
            yg, tg = y[season == g], t[season == g]
            if len(yg) < 2:
                continue
            sg, vg = mann_kendall_s(yg)
            s, var, pairs = s + sg, var + vg, pairs + len(yg) * (len(yg) - 1) / 2
            iu = np.triu_indices(len(yg), k=1)
            slopes.append((yg[iu[1]] - yg[iu[0]]) / (tg[iu[1]] - tg[iu[0]]))
        zstat = _mk_z(s, var)
        pval = 2 * stats.norm.sf(abs(zstat))
        est = float(np.median(np.concatenate(slopes))) if slopes else float("nan")
        lo = hi = float("nan")
        inputs.update(S=s, var_S=var, tau=s / pairs if pairs else float("nan"), period=period)
        sign = np.sign(s)
        label = "seasonal Sen's slope per unit of time"
    else:
        s, var = mann_kendall_s(y)
        ts = stats.theilslopes(y, t, alpha=confidence)
        if method == "hamed-rao":
            factor = _hamed_rao_factor(y, float(ts.slope), confidence, lag)
            inputs["variance_factor"] = factor
            var = var * factor
        zstat = _mk_z(s, var)
        pval = 2 * stats.norm.sf(abs(zstat))
        est, lo, hi = float(ts.slope), float(ts.low_slope), float(ts.high_slope)
        inputs.update(S=s, var_S=var, tau=s / (k * (k - 1) / 2), intercept=float(ts.intercept))
        sign = np.sign(s)
        label = "Sen's slope per unit of time"
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
        direction=_direction(sign, pval, confidence),
        estimate_label=label,
    )
