"""Inspection audits: a sampled proportion, its interval, and whether it changed.

Two kinds of audit table (peelstats.data.audits): stop-and-search record audits (reasonable
grounds recorded) and crime data integrity audits (crimes correctly recorded). Rows give counts
where the source publishes them; otherwise the published percent and "+/-" margin are kept as
published and the sample size is inferred from them (``stats.implied_sample_size``, normal
reading; docs/methods.md) so that a change can be tested.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from peelstats import stats
from peelstats.analysis.schema import estimate_rows, finish

VERDICT_FLAGS = {"improvement": "improvement", "deterioration": "deterioration"}


@dataclass(frozen=True)
class AuditFigure:
    """One audited proportion, from counts or reconstructed from a published figure."""

    label: str
    successes: float
    n: float
    published_percent: float
    published_margin: float
    from_counts: bool
    population: float = np.nan

    @property
    def proportion(self) -> float:
        if not self.from_counts and not np.isnan(self.published_percent):
            return self.published_percent / 100
        return self.successes / self.n


def audit_figures(
    rows: pd.DataFrame, num: str, den: str, label: Callable[[pd.Series], str]
) -> list[AuditFigure]:
    """Counts where published; else (successes, n) implied by the published percent and margin.

    ``label(row)`` names each figure; it becomes the ``group`` of the estimates table.
    """
    figures = []
    for _, row in rows.iterrows():
        name = label(row)
        pct, margin = row["published_percent"], row["published_margin"]
        population = row.get("sampled_from", pd.NA)
        population = float(population) if not pd.isna(population) else np.nan
        if not pd.isna(row[num]):
            figures.append(
                AuditFigure(name, float(row[num]), float(row[den]), pct, margin, True, population)
            )
        elif not np.isnan(pct) and not np.isnan(margin):
            implied = stats.implied_sample_size(pct / 100, margin / 100, method="normal")
            n = float(np.round(implied.estimate))
            x = float(np.round(pct / 100 * n))
            figures.append(AuditFigure(name, x, n, pct, margin, False, population))
        elif not np.isnan(pct):
            figures.append(AuditFigure(name, np.nan, np.nan, pct, np.nan, False, population))
    return figures


def _published_row(fig: AuditFigure, measure: str, confidence: float) -> pd.DataFrame:
    p = fig.published_percent / 100
    if np.isnan(fig.n):
        return estimate_rows(
            measure, [fig.label], estimate=[p], lower=[np.nan], upper=[np.nan],
            method="as published; neither sample size nor margin published",
            confidence=confidence, flags=["no_interval"],
        )  # fmt: skip
    h = fig.published_margin / 100
    return estimate_rows(
        measure, [fig.label], denominator=[fig.n], estimate=[p], lower=[p - h], upper=[p + h],
        method=f"as published (+/- {fig.published_margin:g}%); sample size not published, "
        f"about {int(fig.n)} implied (normal approximation)",
        confidence=confidence, flags=["implied_sample_size"],
    )  # fmt: skip


def proportion_estimates(figures: list[AuditFigure], measure: str, confidence: float):
    """Wilson intervals from counts, and with the finite population correction where the size
    of the sampled population is known; published figures kept as published."""
    parts = []
    for fig in figures:
        if not fig.from_counts:
            parts.append(_published_row(fig, measure, confidence))
            continue
        result = stats.proportion_ci(fig.successes, fig.n, method="wilson", confidence=confidence)
        flags = ["small_numbers" if result.small_numbers else ""]
        parts.append(
            estimate_rows(
                measure,
                [fig.label],
                numerator=[fig.successes],
                denominator=[fig.n],
                estimate=[result.estimate],
                lower=[result.lower],
                upper=[result.upper],
                method="Wilson score interval",
                confidence=confidence,
                flags=flags,
            )  # fmt: skip
        )
        if not np.isnan(fig.population):
            fpc = stats.proportion_ci(
                fig.successes, fig.n, method="wilson", confidence=confidence,
                population=fig.population,
            )  # fmt: skip
            parts.append(
                estimate_rows(
                    f"{measure}_fpc",
                    [fig.label],
                    numerator=[fig.successes],
                    denominator=[fig.n],
                    estimate=[fpc.estimate],
                    lower=[fpc.lower],
                    upper=[fpc.upper],
                    method="Wilson score interval with finite population correction "
                    f"(sampled from {int(fig.population):,} records)",
                    confidence=confidence,
                    flags=flags,
                )  # fmt: skip
            )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def change(before: AuditFigure, after: AuditFigure, measure: str, confidence: float):
    """Difference after minus before (Newcombe interval, pooled score test) and the verdict."""
    comparison = stats.compare_proportions(
        before.successes, before.n, after.successes, after.n, confidence=confidence
    )
    implied = "" if (before.from_counts and after.from_counts) else "implied_sample_size"
    verdict = VERDICT_FLAGS.get(comparison.verdict, "no_significant_change")
    rows = estimate_rows(
        measure, [f"{after.label} vs {before.label}"], numerator=[after.successes],
        denominator=[after.n], estimate=[comparison.estimate], lower=[comparison.lower],
        upper=[comparison.upper],
        method="difference in proportions (later minus earlier), Newcombe hybrid score "
        "interval; two-sided pooled score test",
        confidence=confidence, p_value=[comparison.pvalue],
        flags=[";".join(f for f in (verdict, implied) if f)],
    )  # fmt: skip
    return rows, comparison


def significance_range(
    before_percent: float, after: AuditFigure, confidence: float, n_max: int = 5000
) -> dict[str, int]:
    """Where the earlier audit's n was not published: test every earlier n from 10 to n_max.

    Returns the smallest earlier sample size from which the change is significant for every
    larger one (``significant_from``), and ``n_max``.
    """
    n = np.arange(10, n_max + 1)
    x = np.round(before_percent / 100 * n)
    comparison = stats.compare_proportions(
        x, n, np.full(n.shape, after.successes), np.full(n.shape, after.n), confidence=confidence
    )
    significant = np.asarray(comparison.significant, dtype=bool)
    not_significant = np.flatnonzero(~significant)
    start = int(n[not_significant[-1]] + 1) if not_significant.size else int(n[0])
    return {"significant_from": start, "n_max": n_max}


def reasonable_grounds_estimates(
    rows: pd.DataFrame, force: str, period_label: str, confidence: float = 0.95
) -> tuple[pd.DataFrame, dict]:
    """The estimates table and the facts the notebook's sentences need."""
    figures = audit_figures(
        rows, "grounds_recorded", "records_reviewed",
        lambda r: (f"{r['group']}, " if r["group"] != "all" else "")
        + f"{r['records_from'][:4]} records",
    )  # fmt: skip
    table = proportion_estimates(figures, "reasonable_grounds_rate", confidence)
    facts: dict = {"figures": figures}
    overall = sorted(
        ((r["records_from"], f) for f, (_, r) in zip(figures, rows.iterrows(), strict=True)
         if r["group"] == "all"),
        key=lambda pair: pair[0],
    )  # fmt: skip
    if len(overall) >= 2:
        before, after = overall[-2][1], overall[-1][1]
        change_rows, comparison = change(before, after, "reasonable_grounds_change", confidence)
        table = pd.concat([table, change_rows], ignore_index=True)
        facts.update(before=before, after=after, comparison=comparison)
        if not before.from_counts:
            facts["range"] = significance_range(before.published_percent, after, confidence)
    return finish(table, force, period_label), facts


def integrity_estimates(
    rows: pd.DataFrame, force: str, period_label: str, confidence: float = 0.95
) -> tuple[pd.DataFrame, list[dict]]:
    """Crime data integrity: each category's estimate, and the change from the earlier audit.

    Where the earlier audit published no margin, its sample size is taken to be the one implied
    for the latest audit of the same category (flagged ``assumed_sample_size``).
    """
    parts, facts = [], []
    audits = list(dict.fromkeys(rows["audit"]))
    latest = audits[0]
    for category in dict.fromkeys(rows["category"]):
        cat = rows[rows["category"] == category]
        figures = audit_figures(
            cat, "crimes_recorded", "crimes_reviewed", lambda r: f"{r['category']} ({r['audit']})"
        )
        by_audit = dict(zip(cat["audit"], figures, strict=True))
        now = by_audit.get(latest)
        if now is None:
            continue
        parts.append(proportion_estimates([now], "crime_recording_rate", confidence))
        fact = {"category": category, "now": now}
        earlier = [a for a in audits if a != latest and a in by_audit]
        if earlier and not np.isnan(now.n):
            before = by_audit[earlier[0]]
            assumed = bool(np.isnan(before.n))
            if assumed:
                x = float(np.round(before.published_percent / 100 * now.n))
                before = AuditFigure(
                    before.label, x, now.n, before.published_percent, np.nan, False
                )
            change_rows, comparison = change(before, now, "crime_recording_change", confidence)
            if assumed:
                change_rows["flags"] = change_rows["flags"].str.replace(
                    "implied_sample_size", "assumed_sample_size"
                )
            parts.append(change_rows)
            fact.update(before=before, comparison=comparison, assumed=assumed)
        facts.append(fact)
    return finish(pd.concat(parts, ignore_index=True), force, period_label), facts
