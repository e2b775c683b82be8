"""Trend tests: Cochran-Armitage, Poisson/binomial GLM, Mann-Kendall."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from peelstats.stats import trend_test

Z = stats.norm.ppf(0.975)


def ca_by_hand(x, n):
    """Armitage (1955) textbook z with scores 0..k-1 (= R prop.trend.test)."""
    x, n = np.asarray(x, float), np.asarray(n, float)
    s = np.arange(len(x))
    N, pbar = n.sum(), x.sum() / n.sum()
    sbar = (n * s).sum() / N
    t = (x * (s - sbar)).sum()
    var = pbar * (1 - pbar) * (n * (s - sbar) ** 2).sum()
    return t / np.sqrt(var)


def test_cochran_armitage_r_prop_trend_test():
    # R ?prop.trend.test: smokers <- c(83, 90, 129, 70); patients <- c(86, 93, 136, 82)
    # prop.trend.test(smokers, patients): X-squared = 8.2249, df = 1, p-value = 0.004132
    r = trend_test([83, 90, 129, 70], n=[86, 93, 136, 82], method="cochran-armitage")
    assert round(r.statistic**2, 4) == 8.2249
    assert round(r.pvalue, 6) == 0.004132
    assert r.direction == "decrease" and r.statistic < 0


@pytest.mark.parametrize(
    "x, n",
    [([5, 10, 15, 20], [50, 50, 50, 50]), ([30, 28, 35, 40, 31], [100, 90, 120, 110, 95]),
     ([1, 0, 3, 2, 6], [20, 20, 20, 20, 20])],
)  # fmt: skip
def test_cochran_armitage_hand_formula(x, n):
    r = trend_test(x, n=n, method="cochran-armitage")
    zz = ca_by_hand(x, n)
    assert r.statistic == pytest.approx(zz, rel=1e-9)
    assert r.pvalue == pytest.approx(2 * stats.norm.sf(abs(zz)), rel=1e-9)
    # estimate: weighted least-squares slope of p_i on period
    p = np.asarray(x) / np.asarray(n)
    slope = np.polyfit(np.arange(len(x)), p, 1, w=np.sqrt(n))[0]
    assert r.estimate == pytest.approx(slope, rel=1e-9)


@pytest.mark.filterwarnings("ignore::statsmodels.tools.sm_exceptions.PerfectSeparationWarning")
def test_poisson_glm_exact_doubling():
    # counts 10, 20, 40, 80 fit exactly with beta = log 2: +100% per period.
    # Var(beta) = 1 / sum mu_i (t_i - tbar_w)^2 with mu the fitted counts (Fisher information)
    y = np.array([10, 20, 40, 80.0])
    t = np.arange(4)
    tbar = (y * t).sum() / y.sum()
    se = 1 / np.sqrt((y * (t - tbar) ** 2).sum())
    r = trend_test(y, method="poisson")
    assert r.estimate == pytest.approx(100.0)
    assert r.lower == pytest.approx((np.exp(np.log(2) - Z * se) - 1) * 100)
    assert r.upper == pytest.approx((np.exp(np.log(2) + Z * se) - 1) * 100)
    assert r.statistic == pytest.approx(np.log(2) / se)
    assert r.direction == "increase"


@pytest.mark.filterwarnings("ignore::statsmodels.tools.sm_exceptions.PerfectSeparationWarning")
def test_poisson_glm_exposure_offset():
    # rates constant at 1 per 100: no trend whatever the counts do
    exposure = np.array([1000, 2000, 4000, 8000.0])
    r = trend_test(exposure / 100, exposure=exposure, method="poisson")
    assert r.estimate == pytest.approx(0.0, abs=1e-8)
    assert r.pvalue == pytest.approx(1.0)
    assert r.direction == "none"
    # halving rate per period with constant exposure: -50%
    r = trend_test([80, 40, 20, 10], exposure=[5, 5, 5, 5], method="poisson")
    assert r.estimate == pytest.approx(-50.0)


@pytest.mark.filterwarnings("ignore::statsmodels.tools.sm_exceptions.PerfectSeparationWarning")
def test_binomial_glm_exact_odds_doubling():
    # odds 1/4, 1/2, 1, 2 with n = 90: successes 18, 30, 45, 60 -> +100% odds per period
    n = np.array([90, 90, 90, 90.0])
    x = np.array([18, 30, 45, 60.0])
    p = x / n
    t = np.arange(4)
    w = n * p * (1 - p)
    tbar = (w * t).sum() / w.sum()
    se = 1 / np.sqrt((w * (t - tbar) ** 2).sum())
    r = trend_test(x, n=n, method="binomial")
    assert r.estimate == pytest.approx(100.0)
    assert r.upper == pytest.approx((np.exp(np.log(2) + Z * se) - 1) * 100)
    assert "odds" in r.estimate_label


def mk_by_hand(y):
    n = len(y)
    s = sum(np.sign(y[j] - y[i]) for i in range(n) for j in range(i + 1, n))
    _, t = np.unique(y, return_counts=True)
    var = (n * (n - 1) * (2 * n + 5) - sum(tt * (tt - 1) * (2 * tt + 5) for tt in t)) / 18
    zz = (s - np.sign(s)) / np.sqrt(var)
    return s, var, zz


@pytest.mark.parametrize(
    "y",
    [[1, 3, 2, 5, 4, 6, 6], [10, 9, 9, 7, 8, 5, 4, 4, 2, 1], [3.2, 3.1, 3.3, 3.0, 3.2, 3.1]],
)
def test_mann_kendall_hand(y):
    s, var, zz = mk_by_hand(y)
    r = trend_test(y, method="mann-kendall")
    fr = r.to_frame()
    assert fr.S.iloc[0] == s and fr.var_S.iloc[0] == pytest.approx(var)
    assert r.statistic == pytest.approx(zz)
    assert r.pvalue == pytest.approx(2 * stats.norm.sf(abs(zz)))
    slopes = [(y[j] - y[i]) / (j - i) for i in range(len(y)) for j in range(i + 1, len(y))]
    assert r.estimate == pytest.approx(np.median(slopes))  # Sen (1968)


def test_mann_kendall_worked_values():
    # 1..10 strictly increasing: S = 45, Var = 10*9*25/18 = 125, z = 44/sqrt(125) = 3.9355
    r = trend_test(np.arange(1, 11), method="mann-kendall")
    assert r.statistic == pytest.approx(44 / np.sqrt(125))
    assert r.estimate == 1.0 and r.direction == "increase"
    # one tie pair in n=4 ([1,2,2,3]): S = 5, Var = (4*3*13 - 2*1*9)/18 = 7.6667
    r = trend_test([1, 2, 2, 3], method="mann-kendall")
    assert r.to_frame().var_S.iloc[0] == pytest.approx(138 / 18)
    assert r.statistic == pytest.approx(4 / np.sqrt(138 / 18))


def test_trend_method_required_and_arguments():
    with pytest.raises(ValueError, match="cochran-armitage"):
        trend_test([1, 2, 3])
    with pytest.raises(ValueError, match="n is required"):
        trend_test([1, 2, 3], method="binomial")
    with pytest.raises(ValueError, match="at least 3"):
        trend_test([1, 2], method="poisson")


def test_periods_with_no_trials_are_dropped_keeping_positions():
    # scores 0, 2, 3 for the periods that have searches (Armitage formula with those scores)
    x, n, s = np.array([5, 10, 15.0]), np.array([50, 50, 50.0]), np.array([0, 2, 3.0])
    N, pbar = n.sum(), x.sum() / n.sum()
    sbar = (n * s).sum() / N
    zz = (x * (s - sbar)).sum() / np.sqrt(pbar * (1 - pbar) * (n * (s - sbar) ** 2).sum())
    r = trend_test([5, 0, 10, 15], n=[50, 0, 50, 50], method="cochran-armitage")
    assert r.statistic == pytest.approx(zz)
    b = trend_test([5, 0, 10, 15], n=[50, 0, 50, 50], method="binomial")
    assert np.isfinite(b.estimate)


def test_glm_without_events_is_nan():
    r = trend_test([0, 0, 0, 0], method="poisson")
    assert np.isnan(r.estimate) and np.isnan(r.pvalue) and r.direction == "none"
    r = trend_test([5, 5, 5], n=[5, 5, 5], method="binomial")
    assert np.isnan(r.estimate)


def _ml_fit(negloglik, mu_weights):
    """Maximise a 2-parameter log-likelihood with scipy.optimize (independent of statsmodels);
    SE of the slope from the Fisher information sum w_i [1, t_i][1, t_i]^T at the optimum."""
    from scipy.optimize import minimize

    res = minimize(negloglik, x0=np.zeros(2), method="BFGS", options={"gtol": 1e-10})
    w, t = mu_weights(res.x)
    info = np.array([[w.sum(), (w * t).sum()], [(w * t).sum(), (w * t * t).sum()]])
    return res.x[1], np.sqrt(np.linalg.inv(info)[1, 1])


@pytest.mark.parametrize(
    "y, exposure",
    [([12, 15, 11, 19, 22, 25], None), ([30, 42, 38, 55, 61], [1.0, 1.2, 1.1, 1.5, 1.4])],
)
def test_poisson_glm_against_scipy_ml(y, exposure):
    y = np.asarray(y, float)
    t = np.arange(len(y))
    off = np.zeros_like(y) if exposure is None else np.log(exposure)

    def nll(b):
        eta = b[0] + b[1] * t + off
        return -(y * eta - np.exp(eta)).sum()

    beta, se = _ml_fit(nll, lambda b: (np.exp(b[0] + b[1] * t + off), t))
    r = trend_test(y, exposure=exposure, method="poisson")
    assert r.estimate == pytest.approx((np.exp(beta) - 1) * 100, rel=1e-5)
    assert r.statistic == pytest.approx(beta / se, rel=1e-5)


@pytest.mark.parametrize(
    "x, n", [([20, 25, 31, 30, 40], [100, 100, 110, 90, 105]), ([5, 9, 4, 12], [40, 50, 35, 60])]
)
def test_binomial_glm_against_scipy_ml(x, n):
    x, n = np.asarray(x, float), np.asarray(n, float)
    t = np.arange(len(x))

    def nll(b):
        eta = b[0] + b[1] * t
        return -(x * eta - n * np.log1p(np.exp(eta))).sum()

    def weights(b):
        p = 1 / (1 + np.exp(-(b[0] + b[1] * t)))
        return n * p * (1 - p), t

    beta, se = _ml_fit(nll, weights)
    r = trend_test(x, n=n, method="binomial")
    assert r.estimate == pytest.approx((np.exp(beta) - 1) * 100, rel=1e-5)
    assert r.statistic == pytest.approx(beta / se, rel=1e-5)


def test_times_keep_a_gap_in_its_place():
    """With a missing period, the GLM slope is per period of time, not per value: an exactly
    log-linear series with one period missing still gives its true rate of change."""
    t = np.array([0, 1, 2, 4, 5, 6, 7], dtype=float)  # period 3 has no data
    y = np.round(1000 * 1.1**t)
    r = trend_test(y, times=t, method="poisson")
    assert r.estimate == pytest.approx(10.0, abs=0.05)  # 10% a period, by construction
    closed = trend_test(y, method="poisson")  # without times the gap closes up
    assert closed.estimate > 11
    with pytest.raises(ValueError, match="times"):
        trend_test(y, times=t[::-1], method="poisson")
