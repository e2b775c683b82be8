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

    Methods (statsmodels ``proportion_confint``): ``wilson`` (score), ``clopper-pearson``
    (exact, "beta"), ``jeffreys`` (equal-tailed Beta(x+1/2, n-x+1/2); following Brown, Cai &
    DasGupta 2001 the lower limit is set to 0 when x = 0 and the upper to 1 when x = n),
    ``agresti-coull`` and ``normal`` (Wald, clipped to [0, 1]).

    ``population=N`` (sampling without replacement from N records) applies the finite
    population correction f = sqrt((N - n)/(N - 1)) to each side separately, about the point
    estimate p = x/n: lower' = p - f (p - lower), upper' = p + f (upper - p). Asymmetric
    intervals stay asymmetric in the same proportion; n = N gives a zero-width interval.
    statsmodels has no FPC, so this step is hand-written.

    References: Wilson (1927); Clopper & Pearson (1934); Agresti & Coull (1998);
    Brown, Cai & DasGupta (2001); Newcombe (1998) Stat Med 17:857-872.
    Verified against Newcombe (1998) Table I (81/263, 0/20...), hand-written closed forms and
    scipy.stats.binomtest(...).proportion_ci.
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

    ``normal``: z sqrt(p(1-p)/n) (p = 0.5 is the conservative design value).
    ``wilson``: the larger side of the Wilson interval at proportion p.
    ``population=N`` multiplies by the FPC sqrt((N - n)/(N - 1)) (hand-written; not in
    statsmodels). ``estimate`` is the margin; ``lower``/``upper`` are p -/+ margin.
    Reference: Cochran (1977) Sampling Techniques, ch. 4. Verified against hand formulas.
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

    n0 = z^2 p(1-p)/margin^2; with ``population=N``, n = n0 N / (N - 1 + n0) (the exact
    inverse of margin = z sqrt(p(1-p)/n) sqrt((N-n)/(N-1))). ``estimate`` is ceil(n) (never
    more than N); the unrounded n is in ``to_frame()['n_exact']``. Only ``normal`` is offered.
    Reference: Cochran (1977) eq. 4.1-4.3. Verified against hand arithmetic.
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

    ``normal``: n = z^2 p(1-p)/h^2 (observed-p Wald margin); ``design``: n = z^2/(4 h^2)
    (p = 0.5); ``wilson``: the n at which the Wilson interval's mean half-width equals h
    (numerical bisection, hand-written). ``population=N`` inverts the FPC too.
    ``resolution`` is the unit of the last published digit of h (0.001 for "5.3%"); if given,
    ``lower``/``upper`` are the n implied by h + resolution/2 and h - resolution/2, i.e. the
    range of (continuous) n consistent with the rounded figure; otherwise they are NaN.
    ``estimate`` is the continuous n (not rounded). Verified against hand arithmetic and
    the HMICFRS PEEL figures (docs/methods.md).
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
    """Difference of two proportions (group 2 minus group 1) with a verdict."""

    verdict: object = None
    test: str = ""
    significant: object = None
    direction: object = None

    def __post_init__(self):
        super().__post_init__()
        for f in ("verdict", "significant", "direction"):
            object.__setattr__(self, f, scalarise(getattr(self, f)))

    def to_frame(self):
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
    """Difference p2 - p1 of two independent proportions, its interval, test and verdict.

    Interval: ``newcombe`` (hybrid score, Newcombe 1998 method 10 = statsmodels
    ``confint_proportions_2indep(method="newcomb")``), ``wald`` or ``agresti-caffo``.
    ``pvalue``/``statistic``: two-sided score test (pooled z; ``.test`` names it).
    ``significant`` is decided by the interval at ``confidence`` (excludes 0) so it always
    matches the interval shown; ``direction`` is "increase"/"decrease" (p2 above/below p1,
    significant) or "none"; ``verdict`` is the code "improvement"/"deterioration"/"no_change"
    given ``higher_is_better``. Codes, never English: peelstats' wording module writes words.
    At the margin the score-test p-value can disagree with the interval (the two are not
    inversions of each other); ``significant`` records the interval-based decision.
    Verified against Newcombe (1998) Table II worked examples.
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
