"""SPC limits and rules as in NHS England "Making Data Count"."""

from __future__ import annotations

import numpy as np
import pytest

from peelstats.stats import spc_limits


def test_xmr_limits_by_hand():
    x = np.array([10, 12, 11, 13, 12, 14, 11, 12.0])
    mr = np.mean(np.abs(np.diff(x)))  # (2+1+2+1+2+3+1)/7 = 12/7
    assert mr == pytest.approx(12 / 7)
    r = spc_limits(x)
    assert r.centre[0] == pytest.approx(x.mean())
    assert r.upper[0] == pytest.approx(x.mean() + 2.66 * 12 / 7)
    assert r.lower[0] == pytest.approx(x.mean() - 2.66 * 12 / 7)
    assert not r.special_cause.any()


def test_p_chart_by_hand():
    x = np.array([10, 12, 8, 30])
    n = np.array([100, 120, 80, 100])
    p = 60 / 400
    r = spc_limits(x, chart="p", n=n)
    assert r.centre[0] == pytest.approx(p)
    assert r.upper == pytest.approx(np.clip(p + 3 * np.sqrt(p * (1 - p) / n), 0, 1))
    assert list(r.beyond_limits) == [False, False, False, True]
    assert "n" in r.to_frame().columns


def test_shift_rule_seven_points():
    x = [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 0, 0, 0, 0, 0, 0, 10, 10, 10, 10, 10]
    # centre = 95 / 25 = 3.8 -> first 14 above, next 6 below, last 5 above
    r = spc_limits(x)
    assert r.shift[:14].all() and not r.shift[14:].any()
    r6 = spc_limits(x, shift_length=6)
    assert r6.shift[14:20].all() and not r6.shift[20:].any()


def test_trend_rule_seven_points():
    x = [3, 1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 3]
    r = spc_limits(x)
    # points 1..7 are 7 strictly increasing values; 7..12 are only 6 decreasing
    assert list(np.flatnonzero(r.trend)) == [1, 2, 3, 4, 5, 6, 7]
    r6 = spc_limits(x, trend_length=6)
    assert list(np.flatnonzero(r6.trend)) == list(range(1, 13))


def test_equal_value_breaks_trend_and_centre_breaks_shift():
    r = spc_limits([1, 2, 3, 3, 4, 5, 6, 7, 0, 0, 0, 0])
    assert not r.trend.any()
    x = [1, 1, 1, 2, 1, 1, 1, 3, 3, 3, 3, 3, 3]  # mean 2: point 3 sits on the centre
    r = spc_limits(x)
    assert not r.shift[:7].any()


def test_beyond_limits_and_frame():
    x = [10, 11, 10, 12, 11, 10, 11, 40]
    r = spc_limits(x)
    assert r.beyond_limits[-1] and r.special_cause[-1]
    df = r.to_frame()
    for c in ("value", "centre", "lower", "upper", "beyond_limits", "shift", "trend",
              "special_cause"):  # fmt: skip
        assert c in df.columns
    assert len(df) == 8


def test_two_of_three():
    """2 of 3 points beyond 2 sigma (within the limits) with all 3 on one side of the centre."""
    x = np.array([10, 11, 10, 11, 10, 11, 10, 11, 12.8, 12.8, 11, 11, 10.0])
    r = spc_limits(x)
    assert not r.beyond_limits[8] and r.two_of_three[8] and r.two_of_three[9]
    assert not r.two_of_three[10]  # on the same side but not close to the limit: not flagged
    assert not spc_limits(x, two_of_three=False).two_of_three.any()
