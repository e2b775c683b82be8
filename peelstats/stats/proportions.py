"""Single proportions, audit margins and two-proportion comparisons."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint

from ._core import (
    Result,
    as_array,
    broadcast,
    check_confidence,
    check_method,
    check_not_exceed,
    scalarise,
    small_proportion,
    z_value,
)

_PROP_METHODS = {
    "wilson": "wilson",
    "clopper-pearson": "beta",
    "jeffreys": "jeffreys",
    "agresti-coull": "agresti_coull",
    "normal": "normal",
}
_PROP_ALIASES = {"exact": "clopper-pearson", "wald": "normal", "beta": "clopper-pearson"}


def _counts(successes, n, population=None):
    x = as_array("successes", successes, integer=True)
    m = as_array("n", n, integer=True, minimum=0, strict_min=True)
    if population is None:
        x, m = broadcast(successes=x, n=m)
        check_not_exceed("successes", x, "n", m)
        return x, m, None
    pop = as_array("population", population, integer=True, minimum=0, strict_min=True)
    x, m, pop = broadcast(successes=x, n=m, population=pop)
    check_not_exceed("successes", x, "n", m)
    check_not_exceed("n", m, "population", pop)
    return x, m, pop


def fpc(n, population):
    """Finite population correction sqrt((N - n) / (N - 1)); 0 when n == N (a census)."""
    n, population = np.asarray(n, float), np.asarray(population, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        f = np.sqrt((population - n) / (population - 1.0))
    return np.where(population <= n, 0.0, f)


def proportion_ci(successes, n, method="wilson", confidence=0.95, population=None) -> Result:
    """Confidence interval for a binomial proportion ``successes / n``.

    Parameters
    ----------
    successes : int or array_like
        Successes, whole numbers from 0 to ``n``.
    n : int or array_like
        Trials, whole numbers above 0; broadcast with ``successes`` (and ``population``).
    method : {"wilson", "clopper-pearson", "jeffreys", "agresti-coull", "normal"}
        The interval, from statsmodels ``proportion_confint``: Wilson score; Clopper-Pearson
        exact (aliases "exact", "beta"); Jeffreys equal-tailed Beta(x + 1/2, n - x + 1/2), with
        the lower limit set to 0 at x = 0 and the upper to 1 at x = n (Brown, Cai & DasGupta
        2001); Agresti-Coull; normal (Wald, alias "wald"), clipped to [0, 1].
    confidence : float, default 0.95
        Confidence level, strictly between 0 and 1.
    population : int or array_like, optional
        Size N of the population the n records were drawn from without replacement. Each side
        is shrunk about p = x/n by the finite population correction f = sqrt((N - n)/(N - 1)):
        lower' = p - f (p - lower), upper' = p + f (upper - p), so an asymmetric interval stays
        asymmetric and n = N gives a zero-width interval (hand-written: statsmodels has no FPC).

    Returns
    -------
    Result
        ``estimate`` x/n with ``lower`` and ``upper``; ``statistic`` and ``pvalue`` NaN;
        ``small_numbers`` when n < 30 (``normal``: also fewer than 5 successes or failures).

    Raises
    ------
    ValueError
        An unknown method; confidence outside (0, 1); NaN, negative or fractional counts;
        n = 0; successes above n; n above population; shapes that do not broadcast.

    References
    ----------
    Wilson EB (1927) JASA 22:209-212. Clopper CJ, Pearson ES (1934) Biometrika 26:404-413.
    Agresti A, Coull BA (1998) Am Stat 52:119-126. Brown LD, Cai TT, DasGupta A (2001) Stat Sci
    16:101-133. Newcombe RG (1998) Two-sided confidence intervals for the single proportion,
    Stat Med 17:857-872. Verified against Newcombe (1998) Table I, the closed forms written out
    and ``scipy.stats.binomtest(...).proportion_ci``.

    Examples
    --------
    Newcombe (1998) Table I, 81 of 263: Wilson score 0.2553 to 0.3662, Clopper-Pearson 0.2527
    to 0.3676 (as ``scipy.stats.binomtest(81, 263).proportion_ci()``); 0 of 20: Wilson 0 to
    0.1611.

    >>> from peelstats.stats import proportion_ci
    >>> r = proportion_ci(81, 263, method="wilson")
    >>> print(f"{r.estimate:.4f} ({r.lower:.4f} to {r.upper:.4f})")
    0.3080 (0.2553 to 0.3662)
    >>> r = proportion_ci(81, 263, method="clopper-pearson")
    >>> print(f"{r.lower:.4f} to {r.upper:.4f}")
    0.2527 to 0.3676
    >>> r = proportion_ci(0, 20)
    >>> print(f"{r.lower:.4f} to {r.upper:.4f}")
    0.0000 to 0.1611
    """
    method = check_method(method, _PROP_METHODS, _PROP_ALIASES)
    confidence = check_confidence(confidence)
    x, m, pop = _counts(successes, n, population)
    p = x / m
    lo, hi = proportion_confint(x, m, alpha=1 - confidence, method=_PROP_METHODS[method])
    lo, hi = np.asarray(lo, float), np.asarray(hi, float)
    if method == "jeffreys":
        lo = np.where(x == 0, 0.0, lo)
        hi = np.where(x == m, 1.0, hi)
    # clip to [0, 1] and remove float fuzz (statsmodels' Wilson upper at x = n is 1 - 1e-16)
    lo, hi = np.clip(np.minimum(lo, p), 0.0, 1.0), np.clip(np.maximum(hi, p), 0.0, 1.0)
    inputs = {"successes": x, "n": m}
    if pop is not None:
        f = fpc(m, pop)
        lo, hi = p - f * (p - lo), p + f * (hi - p)
        inputs["population"] = pop
    nan = np.full_like(p, np.nan)
    return Result(
        estimate=p,
        lower=lo,
        upper=hi,
        method=method,
        confidence=confidence,
        statistic=nan,
        pvalue=nan,
        small_numbers=small_proportion(x, m, normal_approx=method == "normal"),
        inputs=inputs,
    )


def _wilson_half_width(p, n, z):
    """Half of the Wilson interval's width at proportion p (continuous p allowed)."""
    return z / (1 + z * z / n) * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))


def _wilson_sides(p, n, z):
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    h = _wilson_half_width(p, n, z)
    return p - (centre - h), (centre + h) - p


_MARGIN_METHODS = ("normal", "wilson")


def audit_margin(n, population=None, p=0.5, confidence=0.95, method="normal") -> Result:
    """Design margin of error (half-width) of an audit sample of size n.

    Parameters
    ----------
    n : int or array_like
        Sample size, a whole number above 0.
    population : int or array_like, optional
        Size N of the population sampled without replacement; the margin is multiplied by the
        finite population correction sqrt((N - n)/(N - 1)) (hand-written; not in statsmodels).
    p : float or array_like, default 0.5
        Proportion the margin is designed for; 0.5 is the conservative design value.
    confidence : float, default 0.95
        Confidence level, strictly between 0 and 1.
    method : {"normal", "wilson"}
        ``normal``: z sqrt(p (1 - p) / n); ``wilson``: the larger side of the Wilson interval
        at proportion p.

    Returns
    -------
    Result
        ``estimate`` the margin, ``lower``/``upper`` p -/+ margin, ``statistic``/``pvalue``
        NaN, ``small_numbers`` when n < 30.

    Raises
    ------
    ValueError
        An unknown method; confidence outside (0, 1); n not a whole number above 0; p outside
        [0, 1]; n above population; shapes that do not broadcast.

    References
    ----------
    Cochran WG (1977) Sampling Techniques, 3rd ed., Wiley, ch. 4. Krejcie RV, Morgan DW (1970)
    Determining sample size for research activities, Educ Psychol Meas 30:607-610. Verified
    against the formulas written out.

    Examples
    --------
    Krejcie & Morgan's (1970) table gives 278 records from a population of 1,000 (and 384 from
    an unlimited one) for a 5% margin at p = 0.5 and 95%:

    >>> from peelstats.stats import audit_margin
    >>> print(f"{audit_margin(278, population=1000).estimate:.3f}")
    0.050
    >>> print(f"{audit_margin(384).estimate:.3f}")
    0.050
    """
    method = check_method(method, _MARGIN_METHODS)
    confidence = check_confidence(confidence)
    m = as_array("n", n, integer=True, minimum=0, strict_min=True)
    pp = as_array("p", p, minimum=0, maximum=1)
    z = z_value(confidence)
    if population is None:
        m, pp = broadcast(n=m, p=pp)
        f = np.ones_like(m)
        inputs = {"n": m, "p": pp}
    else:
        pop = as_array("population", population, integer=True, minimum=0, strict_min=True)
        m, pp, pop = broadcast(n=m, p=pp, population=pop)
        check_not_exceed("n", m, "population", pop)
        f = fpc(m, pop)
        inputs = {"n": m, "p": pp, "population": pop}
    if method == "normal":
        h = z * np.sqrt(pp * (1 - pp) / m)
    else:
        h = np.maximum(*_wilson_sides(pp, m, z))
    h = h * f
    nan = np.full_like(h, np.nan)
    return Result(
        estimate=h,
        lower=pp - h,
        upper=pp + h,
        method=method,
        confidence=confidence,
        statistic=nan,
        pvalue=nan,
        small_numbers=m < 30,
        inputs=inputs,
    )


def _n_from_n0(n0, population):
    if population is None:
        return n0
    return n0 * population / (population - 1 + n0)


def sample_size(margin, population=None, p=0.5, confidence=0.95, method="normal") -> Result:
    """Smallest audit sample whose normal-approximation margin is at most ``margin``.

    n0 = z^2 p (1 - p) / margin^2; with ``population=N``, n = n0 N / (N - 1 + n0), the exact
    inverse of margin = z sqrt(p (1 - p) / n) sqrt((N - n)/(N - 1)).

    Parameters
    ----------
    margin : float or array_like
        Wanted half-width, above 0 and at most 1 (0.05 for +/- 5 percentage points).
    population : int or array_like, optional
        Size N of the population sampled without replacement.
    p : float or array_like, default 0.5
        Proportion the sample is designed for; 0.5 is the conservative design value.
    confidence : float, default 0.95
        Confidence level, strictly between 0 and 1.
    method : {"normal"}
        The only method offered.

    Returns
    -------
    Result
        ``estimate`` ceil(n) (never more than N); the unrounded n is in
        ``to_frame()["n_exact"]``; ``lower``, ``upper``, ``statistic``, ``pvalue`` NaN;
        ``small_numbers`` when the sample is below 30.

    Raises
    ------
    ValueError
        An unknown method; confidence outside (0, 1); margin not in (0, 1]; p outside [0, 1];
        population not a whole number above 0; shapes that do not broadcast.

    References
    ----------
    Cochran WG (1977) Sampling Techniques, 3rd ed., Wiley, eqs. 4.1-4.3. Krejcie RV, Morgan DW
    (1970) Educ Psychol Meas 30:607-610. Verified against hand arithmetic and Krejcie & Morgan's
    table.

    Examples
    --------
    Cochran's n0 = 1.96^2 x 0.25 / 0.05^2 = 384.16, so 385 records for +/- 5% at 95%; Krejcie &
    Morgan's (1970) table: 80 of 100, 278 of 1,000 and 370 of 10,000.

    >>> from peelstats.stats import sample_size
    >>> print(int(sample_size(0.05).estimate))
    385
    >>> r = sample_size(0.05, population=[100, 1000, 10000])
    >>> print(r.estimate.astype(int).tolist())
    [80, 278, 370]
    """
    method = check_method(method, ("normal",))
    confidence = check_confidence(confidence)
    h = as_array("margin", margin, minimum=0, strict_min=True, maximum=1)
    pp = as_array("p", p, minimum=0, maximum=1)
    z = z_value(confidence)
    if population is None:
        h, pp = broadcast(margin=h, p=pp)
        pop = None
        inputs = {"margin": h, "p": pp}
    else:
        pop = as_array("population", population, integer=True, minimum=0, strict_min=True)
        h, pp, pop = broadcast(margin=h, p=pp, population=pop)
        inputs = {"margin": h, "p": pp, "population": pop}
    n0 = z * z * pp * (1 - pp) / (h * h)
    n_exact = _n_from_n0(n0, pop)
    # guard against float fuzz just above an integer (e.g. 384.0000000001)
    n_req = np.maximum(np.ceil(n_exact - 1e-9), 1.0)
    nan = np.full_like(n_req, np.nan)
    return Result(
        estimate=n_req,
        lower=nan,
        upper=nan,
        method=method,
        confidence=confidence,
        statistic=nan,
        pvalue=nan,
        small_numbers=n_req < 30,
        inputs=inputs,
        extra={"n_exact": n_exact},
    )


_IMPLIED_METHODS = ("normal", "design", "wilson")


def _implied_n(p, h, z, method, population):
    if method == "normal":
        n0 = z * z * p * (1 - p) / (h * h)
    elif method == "design":
        n0 = z * z * 0.25 / (h * h)
    else:  # wilson: solve mean Wilson half-width(p, n) = h by vectorised bisection on log n
        lo = np.full_like(p * h, np.log(1e-3))
        hi = np.full_like(p * h, np.log(1e9))
        for _ in range(200):
            mid = (lo + hi) / 2
            too_wide = _wilson_half_width(p, np.exp(mid), z) > h
            lo = np.where(too_wide, mid, lo)
            hi = np.where(too_wide, hi, mid)
        n0 = np.exp((lo + hi) / 2)
    return _n_from_n0(n0, population)


def implied_sample_size(
    estimate,
    half_width,
    method="normal",
    confidence=0.95,
    population=None,
    resolution=None,
) -> Result:
    """Sample size implied by a published "estimate (+/- half_width)".

    Parameters
    ----------
    estimate : float or array_like
        The published proportion, in [0, 1].
    half_width : float or array_like
        The published margin, in (0, 1].
    method : {"normal", "design", "wilson"}
        ``normal``: n = z^2 p (1 - p) / h^2 (a Wald margin at the observed p); ``design``:
        n = z^2 / (4 h^2) (p = 0.5); ``wilson``: the n at which the Wilson interval's mean
        half-width equals h (numerical bisection, hand-written).
    confidence : float, default 0.95
        Confidence level, strictly between 0 and 1.
    population : int or array_like, optional
        Size N of the population; the finite population correction is inverted too.
    resolution : float, optional
        Unit of the last published digit of h (0.001 for "5.3%"). If given, ``lower``/``upper``
        are the n implied by h + resolution/2 and h - resolution/2: the range of (continuous) n
        consistent with the rounded figure; otherwise they are NaN.

    Returns
    -------
    Result
        ``estimate`` the continuous n (not rounded), ``lower``/``upper`` as above,
        ``statistic``/``pvalue`` NaN, ``small_numbers`` when n < 30.

    Raises
    ------
    ValueError
        An unknown method; confidence outside (0, 1); estimate outside [0, 1]; half_width not
        in (0, 1]; a non-positive population or resolution; shapes that do not broadcast.

    References
    ----------
    Cochran WG (1977) Sampling Techniques, 3rd ed., Wiley, eq. 4.2. Verified against hand
    arithmetic and the HMICFRS PEEL figures (docs/methods.md).

    Examples
    --------
    A margin of +/- 5% around 50% at 95% implies Cochran's n0 = 1.96^2 / (4 x 0.05^2) = 384.16:

    >>> from peelstats.stats import implied_sample_size
    >>> print(f"{implied_sample_size(0.5, 0.05, method='design').estimate:.0f}")
    384
    """
    method = check_method(method, _IMPLIED_METHODS)
    confidence = check_confidence(confidence)
    p = as_array("estimate", estimate, minimum=0, maximum=1)
    h = as_array("half_width", half_width, minimum=0, strict_min=True, maximum=1)
    z = z_value(confidence)
    arrays = {"estimate": p, "half_width": h}
    pop = None
    if population is not None:
        arrays["population"] = as_array(
            "population", population, integer=True, minimum=0, strict_min=True
        )
    b = broadcast(**arrays)
    p, h = b[0], b[1]
    if population is not None:
        pop = b[2]
    n = _implied_n(p, h, z, method, pop)
    if resolution is None:
        lo = hi = np.full_like(n, np.nan)
    else:
        r = float(as_array("resolution", resolution, minimum=0, strict_min=True))
        lo = _implied_n(p, h + r / 2, z, method, pop)
        hi = np.where(
            h - r / 2 > 0, _implied_n(p, np.maximum(h - r / 2, 1e-12), z, method, pop), np.inf
        )
    inputs = {"published_estimate": p, "half_width": h}
    if pop is not None:
        inputs["population"] = pop
    nan = np.full_like(n, np.nan)
    return Result(
        estimate=n,
        lower=lo,
        upper=hi,
        method=method,
        confidence=confidence,
        statistic=nan,
        pvalue=nan,
        small_numbers=n < 30,
        inputs=inputs,
    )


# ----------------------------------------------------------------------------- two groups

_DIFF_METHODS = {"newcombe": "newcomb", "wald": "wald", "agresti-caffo": "agresti-caffo"}
_DIFF_ALIASES = {"newcomb": "newcombe", "score-hybrid": "newcombe"}


@dataclass(frozen=True, eq=False)
class Comparison(Result):
    """Difference of two proportions (group 2 minus group 1) with a verdict.

    Returned by :func:`compare_proportions`; a :class:`Result` with four more fields.

    Parameters
    ----------
    verdict : str or ndarray of str
        "improvement", "deterioration" or "no_change" (codes, not English).
    test : str
        The name of the test behind ``statistic`` and ``pvalue``.
    significant : bool or ndarray of bool
        Whether the interval excludes 0.
    direction : str or ndarray of str
        "increase", "decrease" or "none".

    References
    ----------
    Newcombe RG (1998) Stat Med 17:873-890.

    Examples
    --------
    Newcombe (1998) Table II (a) and (b): 56/70 - 48/80 is 0.0524 to 0.3339 and 9/10 - 3/10 is
    0.1705 to 0.8090, both above 0.

    >>> from peelstats.stats import compare_proportions
    >>> r = compare_proportions([48, 3], [80, 10], [56, 9], [70, 10])
    >>> for lo, hi, v in zip(r.lower, r.upper, r.verdict):
    ...     print(f"{lo:.4f} to {hi:.4f} {v}")
    0.0524 to 0.3339 improvement
    0.1705 to 0.8090 improvement
    """

    verdict: object = None
    test: str = ""
    significant: object = None
    direction: object = None

    def __post_init__(self):
        super().__post_init__()
        for f in ("verdict", "significant", "direction"):
            object.__setattr__(self, f, scalarise(getattr(self, f)))

    def to_frame(self):
        """Tidy frame: one row per input element.

        Returns
        -------
        pandas.DataFrame
            :meth:`Result.to_frame`'s columns, then ``test``, ``significant``, ``verdict`` and
            ``direction``.
        """
        df = super().to_frame()
        df["test"] = self.test
        df["significant"] = np.atleast_1d(self.significant).ravel()
        df["verdict"] = np.atleast_1d(self.verdict).ravel()
        df["direction"] = np.atleast_1d(self.direction).ravel()
        return df


def pooled_z_test(x1, n1, x2, n2):
    """Two-sided score (pooled two-proportion z) test of p1 == p2; z for p2 - p1.

    z = (p2 - p1) / sqrt(pbar (1 - pbar) (1/n1 + 1/n2)); z**2 is Pearson's chi-square without
    continuity correction (= statsmodels test_proportions_2indep(method="score",
    correction=False)). When pbar is 0 or 1 the groups are identical: z = 0, p = 1.
    """
    pbar = (x1 + x2) / (n1 + n2)
    se = np.sqrt(pbar * (1 - pbar) * (1 / n1 + 1 / n2))
    with np.errstate(divide="ignore", invalid="ignore"):
        zstat = np.where(se > 0, (x2 / n2 - x1 / n1) / se, 0.0)
    return zstat, 2 * stats.norm.sf(np.abs(zstat))


def _verdict(lower, upper, higher_is_better):
    """Codes, not words: direction 'increase'/'decrease'/'none' and verdict
    'improvement'/'deterioration'/'no_change' (the wording module turns them into English)."""
    up = lower > 0
    down = upper < 0
    better_up = np.asarray(higher_is_better, dtype=bool)
    improve = np.where(better_up, up, down)
    worse = np.where(better_up, down, up)
    verdict = np.where(improve, "improvement", np.where(worse, "deterioration", "no_change"))
    direction = np.where(up, "increase", np.where(down, "decrease", "none"))
    return verdict.astype(object), direction.astype(object), up | down


def compare_proportions(
    x1, n1, x2, n2, method="newcombe", higher_is_better=True, confidence=0.95
) -> Comparison:
    """Difference p2 - p1 of two independent proportions, with its interval, test and verdict.

    Parameters
    ----------
    x1, n1 : int or array_like
        Successes and trials in group 1 (the baseline, e.g. the earlier inspection).
    x2, n2 : int or array_like
        Successes and trials in group 2.
    method : {"newcombe", "wald", "agresti-caffo"}
        The interval for p2 - p1: Newcombe's hybrid score (method 10; aliases "newcomb",
        "score-hybrid"), Wald, or Agresti-Caffo, from statsmodels
        ``confint_proportions_2indep``.
    higher_is_better : bool or array_like, default True
        Whether an increase is an improvement (decides ``verdict``).
    confidence : float, default 0.95
        Confidence level, strictly between 0 and 1.

    Returns
    -------
    Comparison
        ``estimate`` p2 - p1 with ``lower``/``upper``; ``statistic``/``pvalue`` the two-sided
        score test (pooled z; z^2 is Pearson's chi-square without continuity correction;
        ``test`` names it). ``significant`` is decided by the interval (it excludes 0), so it
        always matches the interval shown; at the margin the score p can disagree, the two not
        being inversions of each other. ``direction`` is the code "increase"/"decrease"/"none"
        and ``verdict`` "improvement"/"deterioration"/"no_change" given ``higher_is_better``
        (codes, never English: the wording module writes words). ``small_numbers`` when either
        group is flagged as in :func:`proportion_ci`.

    Raises
    ------
    ValueError
        An unknown method; confidence outside (0, 1); NaN, negative or fractional counts;
        n1 or n2 = 0; x1 above n1 or x2 above n2; shapes that do not broadcast.

    References
    ----------
    Newcombe RG (1998) Interval estimation for the difference between independent proportions:
    comparison of eleven methods, Stat Med 17:873-890. Agresti A, Caffo B (2000) Am Stat
    54:280-288. Verified against Newcombe (1998) Table II and
    ``scipy.stats.chi2_contingency(correction=False)``.

    Examples
    --------
    Newcombe (1998) Table II, example (a): 56/70 - 48/80 = 0.2000, method 10 interval 0.0524 to
    0.3339; Pearson's chi-square without correction gives p = 0.0080
    (``scipy.stats.chi2_contingency([[48, 32], [56, 14]], correction=False)``).

    >>> from peelstats.stats import compare_proportions
    >>> r = compare_proportions(48, 80, 56, 70)
    >>> print(f"{r.estimate:.4f} ({r.lower:.4f} to {r.upper:.4f}), p = {r.pvalue:.4f}")
    0.2000 (0.0524 to 0.3339), p = 0.0080
    >>> print(r.direction, r.verdict)
    increase improvement
    """
    method = check_method(method, _DIFF_METHODS, _DIFF_ALIASES)
    confidence = check_confidence(confidence)
    a1 = as_array("x1", x1, integer=True)
    m1 = as_array("n1", n1, integer=True, minimum=0, strict_min=True)
    a2 = as_array("x2", x2, integer=True)
    m2 = as_array("n2", n2, integer=True, minimum=0, strict_min=True)
    a1, m1, a2, m2 = broadcast(x1=a1, n1=m1, x2=a2, n2=m2)
    check_not_exceed("x1", a1, "n1", m1)
    check_not_exceed("x2", a2, "n2", m2)
    lo, hi = confint_proportions_2indep(
        a2, m2, a1, m1, method=_DIFF_METHODS[method], compare="diff", alpha=1 - confidence
    )
    lo, hi = np.asarray(lo, float) * np.ones_like(a1), np.asarray(hi, float) * np.ones_like(a1)
    lo, hi = np.clip(lo, -1, 1), np.clip(hi, -1, 1)
    zstat, pval = pooled_z_test(a1, m1, a2, m2)
    verdict, direction, sig = _verdict(lo, hi, higher_is_better)
    small = small_proportion(a1, m1, method == "wald") | small_proportion(a2, m2, method == "wald")
    return Comparison(
        estimate=a2 / m2 - a1 / m1,
        lower=lo,
        upper=hi,
        method=method,
        confidence=confidence,
        statistic=zstat,
        pvalue=pval,
        small_numbers=small,
        inputs={"x1": a1, "n1": m1, "x2": a2, "n2": m2},
        verdict=verdict if verdict.ndim else verdict.item(),
        direction=direction if direction.ndim else direction.item(),
        test="score (pooled two-proportion z; z^2 = Pearson chi-square, no continuity correction)",
        significant=sig,
    )
