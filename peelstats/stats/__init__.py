"""Statistics kernels for peelstats: counts in, intervals and tests out.

Knows nothing about police data. Every function validates its inputs (ValueError naming the
argument), takes ``method=`` as an explicit string and returns a frozen result object with
``to_frame()``. See docs/methods.md for methods, references and the small-numbers rule.
"""

from ._core import MIN_CELL, MIN_COUNT, MIN_N, Result
from .funnel import FunnelLimits, funnel_flags, funnel_limits
from .groups import GroupComparison, compare_groups, stratified_odds_ratio
from .overdispersion import Overdispersion, estimate_overdispersion
from .proportions import (
    Comparison,
    audit_margin,
    compare_proportions,
    implied_sample_size,
    proportion_ci,
    sample_size,
)
from .rates import rate_ci, rate_ratio
from .spc import SPCChart, spc_limits
from .trends import Trend, trend_test

__all__ = [
    "MIN_CELL",
    "MIN_COUNT",
    "MIN_N",
    "Comparison",
    "FunnelLimits",
    "GroupComparison",
    "Overdispersion",
    "Result",
    "SPCChart",
    "Trend",
    "audit_margin",
    "compare_groups",
    "compare_proportions",
    "estimate_overdispersion",
    "funnel_flags",
    "funnel_limits",
    "implied_sample_size",
    "proportion_ci",
    "stratified_odds_ratio",
    "rate_ci",
    "rate_ratio",
    "sample_size",
    "spc_limits",
    "trend_test",
]
