"""Since the last paper: what moved beyond chance since the previous quarter's paper, and which
of its figures police.uk's revisions have changed.

Two rolling years a quarter apart share nine months, so the year's figures cannot be tested
against each other as if independent. What differs between them is one quarter gained and one
lost (the same quarter a year earlier), so a headline figure moved beyond chance when the quarter
gained differs beyond chance from the quarter lost: searches by an exact conditional Poisson rate
ratio, the linked find rate by a Newcombe interval for the difference. Figures of the previous
paper are read from its saved results; the same figures recomputed on today's data show what
police.uk's revisions changed (:func:`peelstats.data.load_revisions` names the months).
"""

from __future__ import annotations

from dataclasses import dataclass

from peelstats import stats
from peelstats.analysis.results import num, register
from peelstats.analysis.searches import SearchData, coverage_for, group_counts
from peelstats.vocabulary import ALL, Period


@register
@dataclass(frozen=True)
class Moved:
    """One headline figure: the previous paper's value and this one's, and whether the quarter
    gained differs from the quarter lost beyond chance (``tested`` False when it cannot say)."""

    measure: str
    previous: float | None
    current: float | None
    gained: float | None
    lost: float | None
    lower: float | None
    upper: float | None
    confidence: float
    tested: bool
    significant: bool
    direction: str


@register
@dataclass(frozen=True)
class Revised:
    """A figure of the previous paper that today's data gives differently."""

    measure: str
    published: float
    now: float
    months: tuple[str, ...]


@register
@dataclass(frozen=True)
class SinceResult:
    force: str
    previous_period: str
    period: str
    gained: str
    lost: str
    moved: tuple[Moved, ...]
    revised: tuple[Revised, ...]


def _quarter_months(label: str) -> tuple[str, ...]:
    year, q = int(label[:4]), int(label[-1])
    return tuple(f"{year}-{m:02d}" for m in range(3 * q - 2, 3 * q + 1))


def build(data: SearchData, period: Period, previous_result, current_result,
          confidence: float, revised_months=()) -> SinceResult | None:  # fmt: skip
    """What moved since the paper of the quarter before (``previous_result``, its saved
    stop-and-search result) to this one (``current_result``), on ``data``; None without both."""
    ok = ("ok", "ok")
    if previous_result is None or current_result is None:
        return None
    if (getattr(previous_result, "status", ""), getattr(current_result, "status", "")) != ok:
        return None
    force = previous_result.force
    gained = period.label
    year, q = int(gained[:4]), int(gained[-1])
    lost = f"{year - 1}Q{q}"
    new, old = _quarter_months(gained), _quarter_months(lost)
    cov_new = coverage_for(data, force, new)
    cov_old = coverage_for(data, force, old)
    counts_new = group_counts(data, force, cov_new.present, "self")
    counts_old = group_counts(data, force, cov_old.present, "self")
    moved = []
    complete = cov_new.complete and cov_old.complete

    def previous(measure: str) -> float | None:
        fig = previous_result.figure(measure, ALL)
        return None if fig is None else fig.estimate

    def current(measure: str) -> float | None:
        fig = current_result.figure(measure, ALL)
        return None if fig is None else fig.estimate

    # searches: the year's total moved by (gained - lost)
    a, b = int(counts_new.loc[ALL, "searches"]), int(counts_old.loc[ALL, "searches"])
    prev = previous("searches")
    if complete and a + b > 0:
        rr = stats.rate_ratio(a, 1, b, 1, method="exact", confidence=confidence)
        lo, hi = num((float(rr.lower) - 1) * 100), num((float(rr.upper) - 1) * 100)
        sig = lo is not None and hi is not None and (lo > 0 or hi < 0)
        moved.append(Moved("searches", prev, current("searches"), a, b, lo, hi, confidence,
                           True, bool(sig),
                           ("increase" if lo > 0 else "decrease") if sig else "none"))  # fmt: skip
    # the linked find rate: the quarter gained against the quarter lost
    xa, xb = int(counts_new.loc[ALL, "linked_finds"]), int(counts_old.loc[ALL, "linked_finds"])
    if complete and a > 0 and b > 0:
        diff = stats.compare_proportions(xb, b, xa, a, confidence=confidence)
        lo, hi = num(diff.lower), num(diff.upper)
        sig = bool(diff.significant)
        moved.append(Moved("linked_find_rate", previous("linked_find_rate"),
                           current("linked_find_rate"), xa / a, xb / b, lo, hi, confidence,
                           True, sig,
                           str(diff.direction) if sig else "none"))  # fmt: skip
    revised = []
    if revised_months:
        before = previous("searches")
        now = int(group_counts(data, force, coverage_for(
            data, force, previous_result.months).present, "self").loc[ALL, "searches"])  # fmt: skip
        affected = tuple(m for m in revised_months if m in set(previous_result.months))
        if before is not None and affected and int(round(before)) != now:
            revised.append(Revised("searches", float(before), float(now), affected))
    return SinceResult(force, previous_result.period, period.label, gained, lost, tuple(moved),
                       tuple(revised))  # fmt: skip
