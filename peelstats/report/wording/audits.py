"""The words of the inspectorate's record audits (reasonable grounds) and crime data
integrity audits.
"""

from __future__ import annotations

import pandas as pd

from peelstats.report.wording.caveats import caveat
from peelstats.report.wording.cells import DASH, fmt_p
from peelstats.report.wording.common import capitalise, published_words, span_words
from peelstats.report.wording.numbers import (
    as_published,
    ci_pct,
    ci_short,
    conf,
    estimate_and_ci,
    fixed,
    pct,
    signed,
    whole,
)

# ----------------------------------------------------------------------------- audits


def audit_records_words(subject) -> str:
    return span_words(subject.records_from, subject.records_to)


def reasonable_grounds_heading(r) -> str:
    latest = r.subjects[0] if r.subjects else None
    if latest is None:
        return "Reasonable grounds recorded"
    span = audit_records_words(latest)
    return f"Reasonable grounds recorded: the inspectorate's review of records from {span}"


def crime_data_integrity_heading(r) -> str:
    when = f", published {published_words(r.published)}" if r.published else ""
    return f"Crime data integrity: the {r.audit} audit{when}"


def _theirs(subject) -> str:
    return (
        f"{as_published(subject.published_percent)} percent, with its confidence interval of "
        f"+/- {as_published(subject.published_margin)} percentage points (the inspectorate's "
        "own figure, at 95%)"
    )


def change_points(change) -> str:
    """The change in percentage points from the two published figures, when both were
    published (', a fall of 12.3 percentage points (77.2 against 89.5, as published)'), else
    ''."""
    later, earlier = change.later.published_percent, change.earlier.published_percent
    if later is None or earlier is None:
        return ""
    digits = max(_decimals(later), _decimals(earlier))
    gap = later - earlier
    if round(gap, digits) == 0:
        return f" (the same {as_published(later)} percent, as published)"
    way = "rise" if gap > 0 else "fall"
    return (
        f", a {way} of {fixed(abs(gap), max(digits, 1))} percentage points as published "
        f"({as_published(later)} against {as_published(earlier)})"
    )


def _decimals(value: float) -> int:
    text = repr(float(value))
    return 0 if text.endswith(".0") else len(text.partition(".")[2])


def _counts_words(subject, who: str) -> str:
    """'196 of 254 records' or, where the count is the published percent applied to the
    published sample, 'about 196 of 254 records (derived from the published 77.2 percent)'."""
    if subject.count_derived and subject.published_percent is not None:
        return (
            f"about {whole(subject.successes)} of {whole(subject.n)} {who} (a count derived "
            f"from the published {as_published(subject.published_percent)} percent, not "
            "published)"
        )
    return f"{whole(subject.successes)} of {whole(subject.n)} {who}"


def audit_subject_sentence(subject, what: str, unit: str = "records") -> str:
    """One audited proportion. ``what`` completes 'had/were ...' (e.g. 'had reasonable grounds
    recorded'); ``unit`` is what was reviewed: 'records' of people by group (stop and search),
    or 'crimes' of a category (crime data integrity)."""
    if not subject.as_published:
        records = audit_records_words(subject)
        frm = f" from {records}" if records else ""
        if unit == "crimes":
            who = f"crimes ({subject.group})"
        else:
            who = "records" if subject.group == "all" else f"records of {subject.group} people"
        if subject.count_derived and subject.published_percent is not None:
            margin = (
                f", with its confidence interval of +/- "
                f"{as_published(subject.published_margin)} percentage points (at 95%)"
                if subject.published_margin is not None
                else ""
            )
            ours = ci_pct(subject.lower, subject.upper, subject.confidence)
            return (
                f"The inspectorate reviewed {whole(subject.n)} {who}{frm} and estimated that "
                f"{as_published(subject.published_percent)} percent {what}{margin}. That is "
                f"{_counts_words(subject, who)}; from that count, this report's "
                f"{ours.replace(' interval ', ' interval is ', 1)}."
            )
        else:
            text = (
                f"The inspectorate reviewed {whole(subject.n)} {who}{frm}; "
                f"{whole(subject.successes)} of them ({pct(subject.estimate)}; "
                f"{ci_pct(subject.lower, subject.upper, subject.confidence)}) {what}."
            )
        if subject.published_percent is not None and subject.published_margin is not None:
            text += f" The inspectorate published {_theirs(subject)}."
        if subject.fpc_lower is not None:
            text += (
                f" Allowing for the sample being drawn from {whole(subject.sampled_from)} records"
                f", the interval is {ci_short(subject.fpc_lower, subject.fpc_upper, 1, 100)} "
                "percent."
            )
        return text
    subject_words = subject.group
    if subject.published_margin is None:
        return (
            f"The inspectorate published {fixed(subject.published_percent)} percent for "
            f"{subject_words}, with no sample size or margin, so no interval can be given."
        )
    implied = ""
    if subject.weighted:
        implied = (
            " Its sample is weighted and its size was not published, so no sample size can be "
            "inferred from the margin."
        )
    elif subject.implied_n is not None:
        implied = (
            f" Its sample size was not published; the margin implies about "
            f"{whole(subject.implied_n)} (an inference, not a published figure"
            + (f": {subject.sample_note.lower()}" if subject.sample_note else "")
            + ")."
        )
    return f"For {subject_words}, the inspectorate estimated {_theirs(subject)}.{implied}"


def audit_change_sentence(change, noun: str = "records") -> str:
    """The change between two audits, judged only where they can be compared."""
    earlier = change.earlier
    years = audit_records_words(earlier)
    earlier_words = f"its review of {noun} from {years}" if years else "the previous audit"
    before = (
        as_published(earlier.published_percent)
        if earlier.published_percent is not None
        else fixed(earlier.estimate * 100)
    )
    if change.comparable == "no":
        note = change.comparability_note.strip()
        why = f' In the inspectorate\'s words: "{note}"' if note else ""
        return (
            f"No change from {earlier_words} ({before} percent) is given: the audits cannot "
            f"be compared.{why}"
        )
    if change.comparable != "yes":
        return (
            f"The audit table does not say whether this audit can be compared with "
            f"{earlier_words} ({before} percent), so no change is given."
        )
    if not change.tested:
        text = (
            f"{capitalise(earlier_words)} ({before} percent) published neither its sample size "
            "nor its margin, so whether the figure changed cannot be tested"
        )
        if change.significant_from is not None:
            text += (
                f"; the difference would be statistically significant if that audit had "
                f"sampled at least {whole(change.significant_from)} {noun}"
            )
        return text + "."
    gap, interval = estimate_and_ci(
        change.estimate, change.lower, change.upper, change.confidence, scale=100, null=0.0,
        significant=change.significant, sign=True,
    )  # fmt: skip
    published = change_points(change)
    if published:
        diff = (
            f"{published.removeprefix(', ')}. This report's test of the difference, from the "
            f"sample sizes, gives {gap} percentage points, {interval}"
        )
    else:
        diff = f"difference {gap} percentage points, {interval}"
    if change.significant:
        verdict = {
            "improvement": "a statistically significant improvement",
            "deterioration": "a statistically significant deterioration",
        }[change.verdict]
        text = (
            f"This is {verdict} compared with {earlier_words}, when the figure was {before} "
            f"percent: {diff}."
        )
    else:
        text = (
            f"This is not a statistically significant change compared with {earlier_words}, "
            f"when the figure was {before} percent: {diff}."
        )
    if change.earlier_n == "implied":
        text += (
            f" That audit's sample size was not published: the test uses the about "
            f"{whole(earlier.implied_n)} {noun} its margin implies"
        )
        if change.significant_from is not None and change.significant:
            text += (
                f", and the change is statistically significant for any earlier sample of "
                f"{whole(change.significant_from)} {noun} or more, so the verdict does not "
                "depend on it"
            )
        text += "."
    return text


def reasonable_grounds_findings(r) -> list[str]:
    out = [audit_subject_sentence(s, "had reasonable grounds recorded") for s in r.subjects
           if s.group != "all" or s is r.subjects[0]]  # fmt: skip
    out += [audit_change_sentence(c, "records") for c in r.changes]
    out += [caveat(c, r) for c in r.caveats]
    return out


def crime_data_integrity_findings(r) -> list[str]:
    out = []
    by_label = {c.later.label: c for c in r.changes}
    quoted: set[str] = set()
    for s in r.subjects:
        out.append(audit_subject_sentence(s, "were recorded", unit="crimes"))
        change = by_label.get(s.label)
        if change is None:
            continue
        note = change.comparability_note.strip()
        if change.comparable == "no" and note and note in quoted:
            before = fixed(change.earlier.published_percent if change.earlier.published_percent
                           is not None else change.earlier.estimate * 100)  # fmt: skip
            out.append(
                f"No change from the previous audit ({before} percent) is given, for the same "
                "reason: the audits cannot be compared."
            )
            continue
        quoted.add(note)
        out.append(audit_change_sentence(change, "crimes"))
    return out


def audit_methods(r) -> str:
    return (
        f"Methods: where the inspectorate published counts, the interval is ours: a Wilson "
        f"score interval at {conf(r.confidence)}. Where it published only a percent and a "
        '"+/-", the figure and its 95% interval are kept as published, and the sample size '
        "the margin implies (z squared times p(1 - p) over the margin squared) is an inference. "
        "A change between audits is tested (Newcombe hybrid score interval for the "
        "difference; two-sided pooled score test) only where the audit table says the audits "
        "can be compared."
    )


# ----------------------------------------------------------------------------- the section's parts

REASONABLE_GROUNDS_CAPTION = "Records with reasonable grounds recorded"
REASONABLE_GROUNDS_CHANGE_CAPTION = "Change from the previous review"
CRIME_DATA_INTEGRITY_CAPTION = "Crimes recorded"
CRIME_DATA_INTEGRITY_CHANGE_CAPTION = "Change from the previous audit"
INSPECTION_INTRO = (
    "The inspectorate's own figures, each for its own period: they are not figures for this "
    "report's year, and each heading below names the period it covers."
)


# ----------------------------------------------------------------------------- tables


def audit_table(r) -> pd.DataFrame:
    """Audit figures: what, records, estimate, interval and whose it is."""
    rows = []
    for s in r.subjects:
        if s.as_published:
            records = (
                f"not published (about {whole(s.implied_n)} implied by the margin)"
                if s.implied_n is not None
                else "not published"
            )
            interval = (
                f"+/- {fixed(s.published_margin)} points (the inspectorate's, at 95%)"
                if s.published_margin is not None
                else "none published"
            )
        else:
            records = f"{whole(s.successes)} of {whole(s.n)}"
            if s.count_derived:  # the published percent applied to the published sample
                records = f"about {records} (derived from the published percent)"
            interval = f"{ci_short(s.lower, s.upper, 1, 100, '%')} (ours, {conf(s.confidence)})"
        rows.append(
            {
                "Figure": s.label,
                "Records from": span_words(s.records_from, s.records_to) or DASH,
                "Records": records,
                "Estimate": pct(s.estimate, word=False),
                "Confidence interval": interval,
                "Notes": "small sample" if s.small_numbers else "",
            }
        )
    return pd.DataFrame(rows)


def _published_gap(change) -> str:
    """The difference of the two published percents, to the digits they were published with
    (the tested difference may use counts derived or implied from them, so can differ)."""
    later, earlier = change.later.published_percent, change.earlier.published_percent
    if later is None or earlier is None:
        return DASH
    digits = max(_decimals(later), _decimals(earlier), 1)
    return signed(later - earlier, digits)


def change_table(r) -> pd.DataFrame:
    rows = []
    for c in r.changes:
        if c.tested:
            verdict = {
                "improvement": "statistically significant improvement",
                "deterioration": "statistically significant deterioration",
            }.get(c.verdict, "no statistically significant change")
            rows.append(
                {
                    "Comparison": f"{c.later.label} vs {c.earlier.label}",
                    "Difference as published (points)": _published_gap(c),
                    "Difference tested (points)": signed(c.estimate * 100),
                    f"{conf(c.confidence)} CI": ci_short(c.lower, c.upper, 1, 100),
                    "p": fmt_p(c.p_value),
                    "Verdict": verdict,
                    "Notes": "earlier sample size implied" if c.earlier_n == "implied" else "",
                }
            )
        else:
            reason = {
                "no": "not comparable (see below)",
                "": "comparability not stated",
            }.get(c.comparable, "earlier sample size unknown")
            rows.append(
                {
                    "Comparison": f"{c.later.label} vs {c.earlier.label}",
                    "Difference as published (points)": DASH,  # not to be compared
                    "Difference tested (points)": DASH,
                    f"{conf(c.confidence)} CI": DASH,
                    "p": DASH,
                    "Verdict": "none given",
                    "Notes": reason,
                }
            )
    return pd.DataFrame(rows)
