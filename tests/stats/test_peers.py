"""peelstats agrees with the methods UK indicator analysts already trust, on those packages' own
test values (each cited with repository, path and commit).

- PHEindicatormethods (ukhsa-collaboration/PHEindicatormethods @ 093fd28):
  tests/testthat/testdata_funnel_prop_outputs.csv, testdata_funnel_prop_inputs.csv,
  testdata_funnel_ratio_outputs.csv, testdata_funnel_ratio_inputs.csv,
  testdata_funnel_rate_outputs.csv (checked by tests/testthat/testFunnels.R).
- FunnelPlotR (nhs-r-community/FunnelPlotR @ 9020d49): tests/testthat/test-poisson_limits.R,
  test-classes_methods.R; its additive (SHMI) limits have no test values there, so they are
  worked by hand from its R/od_adjustment.R, R/funnel_plot.R and R/calculate_limits.R.
- NHSRplotthedots (nhs-r-community/NHSRplotthedots @ 050b07d):
  tests/testthat/_snaps/ptd_spc_standard.md, _snaps/ptd_spc.md,
  tests/testthat/test-ptd_calculate_point_type.R, test-ptd_spc_standard.R.
- pyMannKendall (mmhs013/pyMannKendall @ ec2e3ab): tests/test_pymannkendall.py (its values
  checked against R modifiedmk, fume, rkt and trend).

Documented conventions that differ are in docs/methods.md ("Where peelstats and its peers
differ"); none of them is exercised here.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from peelstats.stats import (
    estimate_overdispersion,
    funnel_flags,
    funnel_limits,
    spc_limits,
    trend_test,
)
from peelstats.stats.spc import _trend_runs, _two_of_three

NAN = np.nan
PHE_POSITION = {
    "above_0.998": "High (0.001)",
    "above_0.95": "High (0.025)",
    "below_0.998": "Low (0.001)",
    "below_0.95": "Low (0.025)",
    "within": "Not significant",
}

# ----------------------------------------------------------------------------- PHE funnels

#: testdata_funnel_prop_outputs.csv: Population, Lower2s, Upper2s, Lower3s, Upper3s (percent),
#: baseline 80.642448 percent
PHE_PROPORTION_LIMITS = [
    (1, 3.204264, 100, 0, 100),
    (2, 25.885383, 100, 0, 100),
    (3, 35.933491, 100, 10.150815, 100),
    (9, 54.82972, 100, 39.944085, 100),
    (68, 71.251689, 90.033207, 65.836243, 95.448652),
    (1531, 78.663349, 82.621547, 77.522045, 83.76285),
    (110000, 80.408963, 80.875933, 80.274317, 81.010578),
]


@pytest.mark.parametrize("row", PHE_PROPORTION_LIMITS)
def test_phe_proportion_funnel_limits_invert_the_wilson_interval(row):
    n, lo95, hi95, lo998, hi998 = row
    lim = funnel_limits([n], 0.80642448, kind="proportion", method="wilson-score")
    got = [lim.lower[0, 0], lim.upper[0, 0], lim.lower[1, 0], lim.upper[1, 0]]
    assert np.array(got) * 100 == pytest.approx([lo95, hi95, lo998, hi998], abs=1e-6)


#: testdata_funnel_prop_inputs.csv (first 11 rows): numerator, denominator, significance, against
#: the pooled proportion of all 303 rows, 0.8064244786 (the outputs' baseline, 80.642448%)
PHE_PROPORTION_FLAGS = [
    (35078.4880, 41980, "High (0.001)"),
    (24803.6256, 31824, "Low (0.001)"),
    (50050.7443, 61921, "Not significant"),
    (48686.4364, 59804, "High (0.001)"),
    (35795.6324, 45449, "Low (0.001)"),
    (66969.6742, 80002, "High (0.001)"),
    (48514.4460, 64755, "Low (0.001)"),
    (70670.2858, 93122, "Low (0.001)"),
    (26029.3176, 33708, "Low (0.001)"),
    (22506.3828, 25932, "High (0.001)"),
    (20619.5552, 25852, "Low (0.001)"),
]


def test_phe_proportion_significance():
    x, n, expected = zip(*PHE_PROPORTION_FLAGS, strict=True)
    flags = funnel_flags(x, n, 0.8064244786, kind="proportion", method="wilson-score")
    assert [PHE_POSITION[p] for p in flags.position()] == list(expected)


#: testdata_funnel_ratio_outputs.csv: observed events, and the expected events at which that
#: count sits on the lower 95%, upper 95%, lower 99.8% and upper 99.8% limits
PHE_RATIO_LIMITS = [
    (1, 5.571644585, 0.025317898, 9.233410143, 0.001000547),
    (9, 17.08479966, 4.11537405, 22.65737951, 2.452425215),
    (70, 88.44079461, 54.5684461, 99.90930868, 46.96282314),
    (684, 737.2376756, 633.6939776, 768.7368323, 606.0208883),
    (716, 770.4222128, 664.5083011, 802.60414, 636.1521174),
]


@pytest.mark.parametrize("row", PHE_RATIO_LIMITS)
def test_phe_exact_poisson_ratio_funnel(row):
    observed, e_lo95, e_hi95, e_lo998, e_hi998 = row
    for e, side, level in ((e_lo95, "lower", 0), (e_hi95, "upper", 0), (e_lo998, "lower", 1),
                           (e_hi998, "upper", 1)):  # fmt: skip
        lim = funnel_limits([e], 1.0, kind="ratio")
        # PHE finds E by bisection to about 1e-7 of its variable: agreement to 1e-5
        assert getattr(lim, side)[level, 0] == pytest.approx(observed / e, rel=1e-5)


#: testdata_funnel_ratio_inputs.csv (first 15 rows): observed, expected, significance
PHE_RATIO_FLAGS = [
    (8, 6.239860227, "Not significant"),
    (151, 106.4429719, "High (0.001)"),
    (159, 232.9329036, "Low (0.001)"),
    (191, 184.0963855, "Not significant"),
    (124, 183.894409, "Low (0.001)"),
    (220, 249.8012944, "Not significant"),
    (150, 119.5695496, "High (0.025)"),
    (0, 240.6273499, "Low (0.001)"),
    (182, 196.799308, "Not significant"),
    (151, 204.6070461, "Low (0.001)"),
    (206, 139.4719025, "High (0.001)"),
    (141, 106.7211626, "High (0.001)"),
    (113, 96.14566494, "Not significant"),
    (129, 127.9000595, "Not significant"),
    (121, 162.3289509, "Low (0.001)"),
]


@pytest.mark.parametrize("method", ["exact", "byar"])
def test_phe_ratio_significance(method):
    o, e, expected = zip(*PHE_RATIO_FLAGS, strict=True)
    flags = funnel_flags(o, e, 1.0, kind="ratio", method=method)
    assert [PHE_POSITION[p] for p in flags.position()] == list(expected)


#: testdata_funnel_rate_outputs.csv (dsr per 100,000, 3 years): events, population (1 year)
#: on the lower 95% limit, that limit, population on the upper 95% limit, that limit;
#: baseline 116.1720835 per 100,000
PHE_RATE_LIMITS = [
    (1, 1598.675694, 20.85059119, 7.264481402, 4588.535848),
    (9, 4902.152951, 61.19760093, 1180.827018, 254.0592274),
    (52, 19566.11366, 88.58853442, 11143.26175, 155.5499074),
    (1360, 411529.9259, 110.158048, 369759.5622, 122.6021934),
]


@pytest.mark.parametrize("row", PHE_RATE_LIMITS)
def test_phe_rate_funnel(row):
    _, pop_lo, lo, pop_hi, hi = row
    low = funnel_limits([pop_lo * 3], 116.1720835, kind="rate", per=1e5)
    high = funnel_limits([pop_hi * 3], 116.1720835, kind="rate", per=1e5)
    assert low.lower[0, 0] == pytest.approx(lo, rel=1e-5)
    assert high.upper[0, 0] == pytest.approx(hi, rel=1e-5)


# ----------------------------------------------------------------------------- FunnelPlotR


#: FunnelPlotR's test data (test-classes_methods.R, test-funnel_plot.R): observed and expected
FPR_NUM = [100, 150, 180, 80, 120, 225]
FPR_DENOM = [108, 112, 165, 95, 100, 220]


def test_funnelplotr_phi_for_its_example_data():
    """test-classes_methods.R: phi(funnel_plot(dt, num, denom, group)) == 2.948033 (standardised
    ratios, SHMI method: log scale, 10% truncation)."""
    od = estimate_overdispersion(FPR_NUM, FPR_DENOM, 1.0, kind="ratio", scale="log",
                                 trim="truncate")  # fmt: skip
    assert round(od.phi, 6) == 2.948033


def test_funnelplotr_unadjusted_poisson_limits():
    """test-poisson_limits.R: calculate_limits(number_seq = c(15, 20, 30), target = 1)."""
    lim = funnel_limits([15, 20, 30], 1.0, kind="ratio", method="exact-expected")
    assert np.round(lim.lower[0], 7) == pytest.approx([0.5596924, 0.6108260, 0.6746958])
    assert np.round(lim.upper[0], 6) == pytest.approx([1.649348, 1.544419, 1.427562])
    assert np.round(lim.lower[1], 7) == pytest.approx([0.3862650, 0.4479107, 0.5289724])
    assert np.round(lim.upper[1], 6) == pytest.approx([2.082907, 1.902094, 1.702771])


def shmi_by_hand(observed, expected, trim_by=0.1):
    """FunnelPlotR's SHMI overdispersion for standardised ratios, written out step by step from
    its R/od_adjustment.R and R/funnel_plot.R (@ 9020d49): Spiegelhalter (2005) Stat Med
    24:1185 and QSHC 14:347, with tau2 in the DerSimonian-Laird form."""
    o, e = np.asarray(observed, float), np.asarray(expected, float)
    # transformed_zscore(): Y = log(O / E), s = 1 / sqrt(E), target 0, so z = sqrt(E) log(O / E)
    z = np.sqrt(e) * np.log(o / e)
    # truncation(): k = 1 / trim_by groups; sp = floor(rank(z) * k / (n + 1)) with average ranks
    # for ties; a unit is dropped when sp is 0 or k - 1 (the lowest and the highest group)
    k = 1 / trim_by
    sp = np.floor(stats.rankdata(z, method="average") * k / (len(z) + 1))
    keep = (sp > 0) & (sp < k - 1)
    # phi_func(): phi = sum(z^2) / n over the n units kept
    n = int(keep.sum())
    phi = np.sum(z[keep] ** 2) / n
    # tau_func() over the kept units' s (1 / s^2 = E): 0 when n phi < n - 1, else
    # max(0, (n phi - (n - 1)) / (sum 1/s^2 - sum (1/s^2)^2 / sum 1/s^2))
    w = e[keep]
    if n * phi < n - 1:
        tau2 = 0.0
    else:
        tau2 = max(0.0, (n * phi - (n - 1)) / (w.sum() - (w**2).sum() / w.sum()))
    return sp, keep, phi, tau2


def test_funnelplotr_additive_limits_on_the_log_scale():
    """calculate_limits() for SR data, SHMI method: exp(-/+ z sqrt(1 / E + tau2)) around a target
    of 1 with FunnelPlotR's constants z = 1.959964 and 3.090232, and tau2 from its SHMI method
    worked by hand on its test data."""
    sp, keep, phi, tau2 = shmi_by_hand(FPR_NUM, FPR_DENOM)
    # by hand: the z ranks are 2, 6, 4, 1, 5, 3, so sp = floor(rank x 10 / 7) = 2, 8, 5, 1, 7, 4:
    # six units are too few for the truncation to drop any. phi = 2.948033 (FunnelPlotR's own
    # test value); sum E = 800, sum E^2 = 118858, so
    # tau2 = (6 x 2.948033 - 5) / (800 - 118858 / 800) = 12.688199 / 651.4275 = 0.0194775
    assert sp.tolist() == [2, 8, 5, 1, 7, 4] and keep.all()
    assert round(phi, 6) == 2.948033
    assert tau2 == pytest.approx(0.0194775, abs=5e-8)
    lim = funnel_limits(FPR_DENOM, 1.0, kind="ratio", overdispersion="additive", observed=FPR_NUM,
                        trim="truncate")  # fmt: skip
    assert lim.scale == "log"
    assert lim.tau2 == pytest.approx(tau2, rel=1e-9)
    e = np.asarray(FPR_DENOM, float)
    for row, z in ((0, 1.959964), (1, 3.090232)):
        half = z * np.sqrt(1 / e + tau2)
        assert lim.lower[row] == pytest.approx(np.exp(-half), rel=1e-6)
        assert lim.upper[row] == pytest.approx(np.exp(half), rel=1e-6)
    # e.g. E = 108: sqrt(1/108 + 0.0194775) = 0.169519; 95% exp(-/+ 0.332252) = 0.717307 and
    # 1.394104; 99.8% exp(-/+ 0.523854) = 0.592234 and 1.688523
    assert (lim.lower[0, 0], lim.upper[0, 0]) == pytest.approx((0.717307, 1.394104), abs=1e-6)
    assert (lim.lower[1, 0], lim.upper[1, 0]) == pytest.approx((0.592234, 1.688523), abs=1e-6)


def test_funnelplotr_truncation_leaves_out_the_extreme_groups():
    """The SHMI truncation where it bites: with 12 units sp = floor(rank x 10 / 13) is 0 for the
    lowest z and 9 for the highest, and both units are left out of phi and tau2."""
    num = FPR_NUM + [60, 300, 90, 140, 45, 210]
    den = FPR_DENOM + [50, 240, 100, 150, 70, 200]
    sp, keep, phi, tau2 = shmi_by_hand(num, den)
    # 300 of 240 (z = sqrt(240) log 1.25 = 3.457) and 45 of 70 (z = -3.697) are dropped
    assert sp.tolist() == [3, 8, 6, 1, 7, 4, 6, 9, 2, 3, 0, 5]
    assert np.flatnonzero(~keep).tolist() == [7, 10]
    # by hand over the ten kept: phi = 2.165044, tau2 = (10 phi - 9) / (sum E - sum E^2 / sum E)
    # = 12.650439 / 1150.8785 = 0.0109920
    assert (phi, tau2) == pytest.approx((2.165044, 0.0109920), abs=5e-7)
    od = estimate_overdispersion(num, den, 1.0, kind="ratio", scale="log", trim="truncate")
    assert od.used.tolist() == keep.tolist()
    assert (od.phi, od.tau2) == pytest.approx((phi, tau2), rel=1e-9)
    lim = funnel_limits(den, 1.0, kind="ratio", overdispersion="additive", observed=num,
                        trim="truncate")  # fmt: skip
    assert lim.upper[0] == pytest.approx(np.exp(1.959964 * np.sqrt(1 / np.asarray(den) + tau2)),
                                         rel=1e-6)  # fmt: skip


# ----------------------------------------------------------------------------- NHSRplotthedots

#: set.seed(123); rnorm(20) in R, the data of test-ptd_spc_standard.R
RNORM_123 = np.array([
    -0.56047565, -0.23017749, 1.55870831, 0.07050839, 0.12928774, 1.71506499, 0.46091621,
    -1.26506123, -0.68685285, -0.44566197, 1.22408180, 0.35981383, 0.40077145, 0.11068272,
    -0.55584113, 1.78691314, 0.49785048, -1.96661716, 0.70135590, -0.47279141,
])  # fmt: skip


def test_plotthedots_xmr_limits_snapshots():
    """_snaps/ptd_spc_standard.md: mean_col, lpl, upl for r1 (the data), r2 (y[15] = 10, outliers
    screened) and r3 (not screened)."""
    r1 = spc_limits(RNORM_123)
    assert (r1.centre[0], r1.lower[0], r1.upper[0]) == pytest.approx(
        (0.1416238, -3.01138, 3.294627), abs=5e-7
    )
    y = RNORM_123.copy()
    y[14] = 10
    r2 = spc_limits(y)
    assert (r2.centre[0], r2.lower[0], r2.upper[0]) == pytest.approx(
        (0.6694159, -2.383666, 3.722497), abs=5e-7
    )
    r3 = spc_limits(y, screen_outliers=False)
    assert (r3.lower[0], r3.upper[0]) == pytest.approx((-4.596625, 5.935457), abs=5e-7)
    assert not r1.special_cause.any()  # _snaps/ptd_spc.md: 20 common cause points


def test_plotthedots_facets_snapshot():
    """_snaps/ptd_spc.md, facet_field: two facets of 10 points, each with its own limits."""
    a, b = spc_limits(RNORM_123[:10]), spc_limits(RNORM_123[10:])
    assert (a.centre[0], a.lower[0], a.upper[0]) == pytest.approx((0.0746, -2.60, 2.75), abs=6e-3)
    assert (b.centre[0], b.lower[0], b.upper[0]) == pytest.approx((0.209, -3.28, 3.70), abs=6e-3)
    # the same with rebasing: a new phase at point 10 has limits of its own
    r = spc_limits(RNORM_123, rebase=[10])
    assert (r.centre[0], r.centre[10]) == pytest.approx((a.centre[0], b.centre[0]))
    assert (r.upper[0], r.upper[10]) == pytest.approx((a.upper[0], b.upper[0]))


def test_plotthedots_fixed_baseline_changes_the_limits():
    """test-ptd_spc_standard.R: fix_after_n_points = 12 changes lpl and upl."""
    fixed = spc_limits(RNORM_123, baseline=12)
    plain = spc_limits(RNORM_123)
    assert fixed.lower[0] != plain.lower[0] and fixed.upper[0] != plain.upper[0]
    assert fixed.centre[0] == pytest.approx(RNORM_123[:12].mean())


def test_plotthedots_two_in_three_needs_one_side():
    """test-ptd_spc_standard.R: symmetrical data with two successive points close to the limits
    on opposite sides of the mean are common cause."""
    data = np.tile([1.0, -1.0], 8)
    data[14], data[15] = 5.5, -5.5
    r = spc_limits(data)
    assert not r.special_cause[-2:].any()


@pytest.mark.parametrize(
    "close, side, expected",
    [  # ptd_two_in_three + ptd_part_of_two_in_three (test-ptd_calculate_point_type.R)
        ([1, 0, 1], [1, 1, 1], [1, 0, 1]),
        ([0, 1, 1], [1, 1, 1], [0, 1, 1]),
        ([1, 1, 0], [1, 1, 1], [1, 1, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [1] * 7, [0, 0, 1, 0, 1, 0, 0]),
        ([1, 0, 0, 1], [1, 1, 1, 1], [0, 0, 0, 0]),
        ([1, 0, 0, 1, 1], [1] * 5, [0, 0, 0, 1, 1]),
        ([1, 0, 1], [1, -1, 1], [0, 0, 0]),
        ([0, 0, 1, 0, 1, 0, 0], [1, -1, 1, -1, 1, -1, 1], [0] * 7),
    ],
)
def test_plotthedots_two_in_three_rule(close, side, expected):
    got = _two_of_three(np.array(close, bool), np.array(side, float))
    assert got.astype(int).tolist() == expected


@pytest.mark.parametrize(
    "values, expected",
    [  # ptd_seven_point_trend + ptd_part_of_seven_trend (test-ptd_calculate_point_type.R)
        (list(range(1, 7)), [0] * 6),
        ([1, 2, 3, 3, 4, 5, 6], [0] * 7),
        (list(range(1, 8)), [1] * 7),
        ([2, *range(1, 8), 3], [0, 1, 1, 1, 1, 1, 1, 1, 0]),
        (list(range(7, 0, -1)), [1] * 7),
    ],
)
def test_plotthedots_seven_point_trend(values, expected):
    assert _trend_runs(np.array(values, float), 7).astype(int).tolist() == expected


# ----------------------------------------------------------------------------- pyMannKendall

ARBITRARY = np.array(
    [
        32.0,
        20.0,
        25.0,
        189.0,
        240.0,
        193.0,
        379.0,
        278.0,
        301.0,
        0.0,
        0.0,
        82.0,
        0.0,
        4.0,
        NAN,
        NAN,
        121.0,
        234.0,
        360.0,
        262.0,
        120.0,
        30.0,
        11.0,
        1.0,
        7.0,
        3.0,
        31.0,
        31.0,
        355.0,
        102.0,
        248.0,
        274.0,
        308.0,
        NAN,
        5.0,
        26.0,
        11.0,
        16.0,
        6.0,
        48.0,
        388.0,
        539.0,
        431.0,
        272.0,
        404.0,
        186.0,
        0.0,
        2.0,
        0.0,
        4.0,
        1.0,
        54.0,
        272.0,
        459.0,
        235.0,
        164.0,
        365.0,
        135.0,
        2.0,
        NAN,
        NAN,
        4.0,
        0.0,
        128.0,
        210.0,
        163.0,
        446.0,
        225.0,
        462.0,
        467.0,
        19.0,
        13.0,
        0.0,
        3.0,
        17.0,
        132.0,
        178.0,
        338.0,
        525.0,
        623.0,
        145.0,
        31.0,
        19.0,
        3.0,
        0.0,
        29.0,
        25.0,
        87.0,
        259.0,
        756.0,
        486.0,
        180.0,
        292.0,
        43.0,
        92.0,
        1.0,
        0.0,
        16.0,
        2.0,
        0.0,
        130.0,
        253.0,
        594.0,
        111.0,
        273.0,
        30.0,
        0.0,
        4.0,
        0.0,
        27.0,
        24.0,
        41.0,
        292.0,
        378.0,
        499.0,
        265.0,
        320.0,
        227.0,
        4.0,
        0.0,
        4.0,
        14.0,
        8.0,
        48.0,
        416.0,
        240.0,
        404.0,
        207.0,
        733.0,
        105.0,
        0.0,
        112.0,
        0.0,
        14.0,
        0.0,
        30.0,
        140.0,
        202.0,
        289.0,
        159.0,
        424.0,
        106.0,
        3.0,
        0.0,
        65.0,
        3.0,
        14.0,
        58.0,
        268.0,
        466.0,
        432.0,
        266.0,
        240.0,
        95.0,
        1.0,
        0.0,
        10.0,
        26.0,
        4.0,
        114.0,
        94.0,
        289.0,
        173.0,
        208.0,
        263.0,
        156.0,
        5.0,
        0.0,
        16.0,
        16.0,
        14.0,
        0.0,
        111.0,
        475.0,
        534.0,
        432.0,
        471.0,
        117.0,
        70.0,
        1.0,
        3.0,
        28.0,
        7.0,
        401.0,
        184.0,
        283.0,
        338.0,
        171.0,
        335.0,
        176.0,
        0.0,
        0.0,
        10.0,
        11.0,
        9.0,
        140.0,
        102.0,
        208.0,
        298.0,
        245.0,
        220.0,
        29.0,
        2.0,
        27.0,
        10.0,
        13.0,
        26.0,
        84.0,
        143.0,
        367.0,
        749.0,
        563.0,
        283.0,
        353.0,
        10.0,
        0.0,
        0.0,
        0.0,
        0.0,
        9.0,
        246.0,
        265.0,
        343.0,
        429.0,
        168.0,
        133.0,
        17.0,
        0.0,
        18.0,
        35.0,
        76.0,
        158.0,
        272.0,
        250.0,
        190.0,
        289.0,
        466.0,
        84.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        22.0,
        217.0,
        299.0,
        185.0,
        115.0,
        344.0,
        203.0,
        8.0,
        NAN,
        NAN,
        0.0,
        5.0,
        284.0,
        123.0,
        254.0,
        476.0,
        496.0,
        326.0,
        27.0,
        20.0,
        0.0,
        4.0,
        53.0,
        72.0,
        113.0,
        214.0,
        364.0,
        219.0,
        220.0,
        156.0,
        264.0,
        0.0,
        13.0,
        0.0,
        0.0,
        45.0,
        90.0,
        137.0,
        638.0,
        529.0,
        261.0,
        206.0,
        251.0,
        0.0,
        0.0,
        5.0,
        9.0,
        58.0,
        72.0,
        138.0,
        130.0,
        471.0,
        328.0,
        356.0,
        523.0,
        0.0,
        1.0,
        0.0,
        0.0,
        12.0,
        143.0,
        193.0,
        184.0,
        192.0,
        138.0,
        174.0,
        69.0,
        1.0,
        0.0,
        0.0,
        18.0,
        25.0,
        28.0,
        92.0,
        732.0,
        320.0,
        256.0,
        302.0,
        131.0,
        15.0,
        0.0,
        27.0,
        0.0,
        22.0,
        20.0,
        213.0,
        393.0,
        474.0,
        374.0,
        109.0,
        159.0,
        0.0,
        0.0,
        0.0,
        3.0,
        3.0,
        49.0,
        205.0,
        128.0,
        194.0,
        570.0,
        169.0,
        89.0,
        0.0,
        0.0,
        0.0,
        0.0,
        0.0,
        26.0,
        185.0,
        286.0,
        92.0,
        225.0,
        244.0,
        190.0,
        3.0,
        20.0,
    ]
)


def test_pymannkendall_original_test():
    r = trend_test(ARBITRARY, method="mann-kendall")
    assert r.inputs["S"] == -1959.0
    assert r.inputs["var_S"] == pytest.approx(4889800.333333333, rel=1e-12)
    assert r.statistic == pytest.approx(-0.8854562842589916, rel=1e-12)
    assert r.pvalue == pytest.approx(0.37591058740506833, rel=1e-9)
    assert r.inputs["tau"] == pytest.approx(-0.03153167653875869, rel=1e-12)
    assert r.estimate == pytest.approx(-0.006369426751592357, rel=1e-12)  # sens_slope
    assert r.direction == "none"


@pytest.mark.parametrize(
    "lag, var_s, z, p, direction",
    [
        (None, 259723.81316716125, -3.8419950613710894, 0.00012203829241275166, "decrease"),
        (3, 14228919.889368296, -0.5190709455046154, 0.6037112685123898, "none"),
    ],
)
def test_pymannkendall_hamed_rao(lag, var_s, z, p, direction):
    r = trend_test(ARBITRARY, method="hamed-rao", lag=lag)
    assert r.inputs["var_S"] == pytest.approx(var_s, rel=1e-9)
    assert r.statistic == pytest.approx(z, rel=1e-9)
    assert r.pvalue == pytest.approx(p, rel=1e-6)
    assert r.direction == direction


def test_pymannkendall_seasonal_test():
    r = trend_test(ARBITRARY, method="seasonal-mann-kendall", period=12)
    assert r.inputs["S"] == -399.0
    assert r.inputs["var_S"] == pytest.approx(34702.333333333336, rel=1e-12)
    assert r.statistic == pytest.approx(-2.136504114534638, rel=1e-12)
    assert r.pvalue == pytest.approx(0.03263834596177739, rel=1e-9)
    assert r.inputs["tau"] == pytest.approx(-0.0794979079497908, rel=1e-12)
    # seasonal_sens_slope is per cycle (-0.08695652173913043); ours is per unit of time
    assert r.estimate * 12 == pytest.approx(-0.08695652173913043, rel=1e-12)
    assert r.direction == "decrease"


def test_pymannkendall_perfect_trend():
    x = np.arange(360.0)
    r = trend_test(x, method="mann-kendall")
    assert r.inputs["S"] == 64620.0 and r.inputs["tau"] == 1.0 and r.estimate == 1.0
    s = trend_test(x, method="seasonal-mann-kendall", period=12)
    assert s.inputs["S"] == 5220.0 and s.inputs["tau"] == 1.0
