"""Inspection audits: a sampled proportion, its interval, and whether it changed.

Shared by :mod:`peelstats.analysis.reasonable_grounds` and
:mod:`peelstats.analysis.crime_data_integrity`. Rows give counts where the source publishes them
(our interval: Wilson, at the run's confidence); otherwise the published percent and "+/-"
margin are kept as published (the inspectorate's interval, at 95%) and the sample size the
margin implies is an inference, labelled as one (``stats.implied_sample_size``, normal reading;
docs/methods.md).

A change between two audits is tested only where the audit table says the two can be compared
(``comparable_with_previous`` = yes). Where it says no (the counting rules changed, say), no
verdict is given and the reason is kept in the inspectorate's words; where it says nothing, no
verdict is given either.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from peelstats import stats
from peelstats.analysis.results import Caveat, Figure, num, register
from peelstats.vocabulary import Methods

#: HMICFRS publishes its "+/-" margins at 95% confidence.
#: the level of the inspectorate's published "+/-" margins (its reports say 95%)
PUBLISHED_CONFIDENCE = 0.95
#: Earlier sample sizes tried when the earlier audit's size is unknown.
SIGNIFICANCE_RANGE_MAX = 5000


@register
@dataclass(frozen=True)
class AuditFigure:
    """One audited proportion.

    ``estimate``/``lower``/``upper`` at ``confidence``: ours (Wilson, from published counts) or,
    where only a percent and margin were published, theirs (``as_published``, 95%).
    ``implied_n`` is the sample size a published margin implies: an inference, not a fact.
    """

    label: str
    group: str
    audit: str
    published: str
    records_from: str
    records_to: str
    successes: int | None
    n: int | None
    published_percent: float | None
    published_margin: float | None
    implied_n: float | None
    estimate: float | None
    lower: float | None
    upper: float | None
    confidence: float
    as_published: bool
    small_numbers: bool
    sampled_from: int | None
    sampled_from_note: str
    fpc_lower: float | None
    fpc_upper: float | None
    sample_note: str
    source: str


@register
@dataclass(frozen=True)
class AuditChange:
    """A change between two audits of the same thing (later minus earlier).

    ``comparable`` is what the audit table says ('yes', 'no', '' = not stated) and
    ``comparability_note`` why. ``tested`` is True only when comparable is 'yes' and both
    sample sizes are known or implied; then ``estimate``/``lower``/``upper`` (difference in
    proportions), ``p_value``, ``significant``, ``direction`` and ``verdict`` hold the result.
    ``earlier_n`` is 'counts', 'implied' (from the published margin) or 'unknown';
    ``significant_from`` is the smallest earlier sample size from which the change is
    significant for every larger one (where the earlier size is not published).
    """

    label: str
    earlier: AuditFigure
    later: AuditFigure
    comparable: str
    comparability_note: str
    tested: bool
    earlier_n: str
    estimate: float | None
    lower: float | None
    upper: float | None
    p_value: float | None
    significant: bool | None
    direction: str | None
    verdict: str | None
    confidence: float
    significant_from: int | None


@register
@dataclass(frozen=True)
class AuditResult:
    """An audit section: its figures, its changes, and the estimates rows."""

    section: str
    force: str
    force_name: str
    period: str
    confidence: float
    audit: str
    published: str
    subjects: tuple[AuditFigure, ...]
    changes: tuple[AuditChange, ...]
    figures: tuple[Figure, ...]
    sources: tuple[str, ...]
    caveats: tuple[Caveat, ...]

    @property
    def status(self) -> str:
        return "ok" if self.subjects else "no_data"


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def audit_figure(row: pd.Series, label: str, group: str, counts: tuple[str, str], confidence):
    """One audited proportion from an audit-table row."""
    num_col, den_col = counts
    x, n = _int(row.get(num_col)), _int(row.get(den_col))
    pct, margin = num(row.get("published_percent")), num(row.get("published_margin"))
    sampled_from = _int(row.get("sampled_from"))
    implied = None
    if x is None and pct is not None and margin is not None:
        implied = float(
            stats.implied_sample_size(pct / 100, margin / 100, method="normal").estimate
        )
    common = dict(
        label=label,
        group=group,
        audit=str(row.get("audit", "")),
        published=str(row.get("published", "") or ""),
        records_from=str(row.get("records_from", "") or ""),
        records_to=str(row.get("records_to", "") or ""),
        successes=x,
        n=n,
        published_percent=pct,
        published_margin=margin,
        implied_n=implied,
        sampled_from=sampled_from,
        sampled_from_note=str(row.get("sampled_from_note", "") or ""),
        sample_note=str(row.get("sample_note", "") or ""),
        source=str(row.get("source", "")),
    )
    if x is not None:
        ci = stats.proportion_ci(x, n, method="wilson", confidence=confidence)
        fpc_lo = fpc_hi = None
        if sampled_from is not None:
            fpc = stats.proportion_ci(
                x, n, method="wilson", confidence=confidence, population=sampled_from
            )
            fpc_lo, fpc_hi = num(fpc.lower), num(fpc.upper)
        return AuditFigure(
            **common, estimate=num(ci.estimate), lower=num(ci.lower), upper=num(ci.upper),
            confidence=confidence, as_published=False, small_numbers=bool(ci.small_numbers),
            fpc_lower=fpc_lo, fpc_upper=fpc_hi,
        )  # fmt: skip
    p = pct / 100
    lo = hi = None
    if margin is not None:
        lo, hi = max(0.0, p - margin / 100), min(1.0, p + margin / 100)
    return AuditFigure(
        **common, estimate=p, lower=lo, upper=hi, confidence=PUBLISHED_CONFIDENCE,
        as_published=True, small_numbers=bool(implied is not None and implied < stats.MIN_N),
        fpc_lower=None, fpc_upper=None,
    )  # fmt: skip


def _counts_for_test(fig: AuditFigure) -> tuple[float, float] | None:
    """(successes, n) for a test: published counts, else implied by the margin, else None."""
    if fig.successes is not None:
        return float(fig.successes), float(fig.n)
    if fig.implied_n is not None:
        n = float(np.round(fig.implied_n))
        return float(np.round(fig.published_percent / 100 * n)), n
    return None


def significance_from(earlier_percent: float, later: tuple[float, float], confidence) -> int | None:
    """Smallest earlier sample size n (10..SIGNIFICANCE_RANGE_MAX) from which the change is
    significant for every larger n; None if it is not significant at the largest."""
    n = np.arange(10, SIGNIFICANCE_RANGE_MAX + 1)
    x = np.round(earlier_percent / 100 * n)
    comparison = stats.compare_proportions(
        x, n, np.full(n.shape, later[0]), np.full(n.shape, later[1]), confidence=confidence
    )
    significant = np.asarray(comparison.significant, dtype=bool)
    if not significant[-1]:
        return None
    not_significant = np.flatnonzero(~significant)
    return int(n[not_significant[-1]] + 1) if not_significant.size else int(n[0])


def audit_change(
    label: str, earlier: AuditFigure, later: AuditFigure, comparable: str, note: str, confidence
) -> AuditChange:
    """Test the change only where the audits are comparable and both sizes are known/implied."""
    before, after = _counts_for_test(earlier), _counts_for_test(later)
    earlier_n = (
        "counts" if earlier.successes is not None
        else ("implied" if earlier.implied_n is not None else "unknown")
    )  # fmt: skip
    blank = dict(
        estimate=None, lower=None, upper=None, p_value=None, significant=None, direction=None,
        verdict=None,
    )  # fmt: skip
    significant_from = None
    if comparable == "yes" and after is not None and earlier.successes is None:
        significant_from = significance_from(earlier.published_percent, after, confidence)
    if comparable != "yes" or before is None or after is None:
        return AuditChange(
            label, earlier, later, comparable, note, False, earlier_n, **blank,
            confidence=confidence, significant_from=significant_from,
        )  # fmt: skip
    result = stats.compare_proportions(*before, *after, confidence=confidence)
    return AuditChange(
        label, earlier, later, comparable, note, True, earlier_n,
        estimate=num(result.estimate), lower=num(result.lower), upper=num(result.upper),
        p_value=num(result.pvalue), significant=bool(result.significant),
        direction=str(result.direction), verdict=str(result.verdict), confidence=confidence,
        significant_from=significant_from,
    )  # fmt: skip


def figure_rows(subject: AuditFigure, measure: str) -> list[Figure]:
    """The estimates rows of one audited proportion (and its FPC variant)."""
    period = dict(period_start=subject.records_from, period_end=subject.records_to)
    if subject.as_published:
        flags = ["as_published", "published_confidence"]
        if subject.lower is None:
            flags = ["as_published", "no_interval"]
        args = {"margin": subject.published_margin, "implied_n": subject.implied_n}
        if subject.implied_n is not None:
            flags.append("implied_sample_size")
        return [
            Figure(
                measure, subject.label, subject.estimate, subject.lower, subject.upper,
                method=Methods.AS_PUBLISHED, method_args=args, confidence=subject.confidence,
                flags=tuple(flags), **period,
            )
        ]  # fmt: skip
    small = ("small_numbers",) if subject.small_numbers else ()
    rows = [
        Figure(
            measure, subject.label, subject.estimate, subject.lower, subject.upper,
            numerator=float(subject.successes), denominator=float(subject.n),
            method=Methods.PROPORTION, confidence=subject.confidence,
            flags=small, **period,
        )
    ]  # fmt: skip
    if subject.fpc_lower is not None:
        rows.append(
            Figure(
                f"{measure}_fpc", subject.label, subject.estimate, subject.fpc_lower,
                subject.fpc_upper, numerator=float(subject.successes),
                denominator=float(subject.n),
                method=Methods.PROPORTION_FPC,
                method_args={"sampled_from": subject.sampled_from},
                confidence=subject.confidence, flags=small, **period,
            )
        )  # fmt: skip
    return rows


def change_row(change: AuditChange, measure: str) -> Figure:
    """The estimates row of a change: the result where tested, else blank with the reason."""
    label = f"{change.later.label} vs {change.earlier.label}"
    period = dict(period_start=change.later.records_from, period_end=change.later.records_to)
    if not change.tested:
        reason = {"no": "not_comparable", "": "comparability_unknown"}.get(
            change.comparable, "earlier_size_unknown"
        )
        return Figure(
            measure, label, None, method=Methods.NO_TEST, method_args={"reason": reason},
            confidence=change.confidence,
            flags=(reason,), **period,
        )  # fmt: skip
    flags = [{"improvement": "improvement", "deterioration": "deterioration"}.get(
        change.verdict, "no_significant_change")]  # fmt: skip
    if change.earlier_n == "implied" or change.later.successes is None:
        flags.append("implied_sample_size")
    return Figure(
        measure, label, change.estimate, change.lower, change.upper,
        numerator=float(change.later.successes) if change.later.successes is not None else None,
        denominator=float(change.later.n) if change.later.n is not None else None,
        method=Methods.DIFFERENCE_AUDITS,
        confidence=change.confidence, p_value=change.p_value, flags=tuple(flags),
        significant=change.significant, direction=change.direction, **period,
    )  # fmt: skip
