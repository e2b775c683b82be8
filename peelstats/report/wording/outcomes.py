"""The words of the crime outcomes section (Home Office open data)."""

from __future__ import annotations

import pandas as pd

from peelstats.report.wording.cells import fmt_p
from peelstats.report.wording.common import join_and, possessive
from peelstats.report.wording.funnels import funnel_method_words, funnel_sentence
from peelstats.report.wording.numbers import ci_pct, ci_short, conf, pct, pct_digits, signed, whole

# ----------------------------------------------------------------------------- outcomes


def outcomes_heading(r) -> str:
    return (
        f"Crime outcomes: financial year {r.year} (Home Office open data; the latest year of "
        "outcomes data here, not the report's year)"
    )


def outcome_sentence(row, r) -> str | None:
    """One judgement per figure: the charge rate is judged on the funnel (elsewhere); other
    outcome types against the rest of England and Wales, allowing for chance only."""
    if row.judged_by != "rest" or not row.significant or row.rate is None:
        return None
    d = pct_digits(row.rate, row.rest_rate, row.lower, row.upper)
    mine, theirs = pct(row.rate, d), pct(row.rest_rate, d)
    side = "higher" if row.direction == "increase" else "lower"
    return (
        f"In {r.year}, {mine} of {possessive(r.force_name)} victim-based crimes were assigned "
        f"outcome {row.label} ({ci_pct(row.lower, row.upper, r.confidence, d)}): statistically "
        f"significantly {side} than the rest of England and Wales ({theirs}), a comparison that "
        "allows for chance alone, not for the usual differences between forces."
    )


def outcomes_findings(r) -> list[str]:
    if r.status == "no_data":
        return [f"The outcomes data ({r.year}) has no figures for {r.force_name}."]
    out = [s for s in (outcome_sentence(row, r) for row in r.rows) if s]
    quiet = [
        row.label.split(":")[0] for row in r.rows if row.judged_by == "rest" and not row.significant
    ]
    if quiet:
        kind = "outcome type" if len(quiet) == 1 else "outcome types"
        out.append(
            f"For {kind} {join_and(quiet)}, {possessive(r.force_name)} rate is not statistically "
            "significantly different from the rest of England and Wales."
        )
    if r.charge_funnel is not None:
        out.append(
            funnel_sentence(r.charge_funnel, r.force_name, f"territorial forces in {r.year}")
        )
    return out


def outcomes_methods(r) -> str:
    funnel = ""
    if r.charge_funnel is not None and r.charge_funnel.tau2 is not None:
        funnel = " " + funnel_method_words(r.charge_funnel)
    return (
        "Methods: rate = victim-based crimes assigned the outcome / all victim-based crimes "
        f"recorded in the year; Wilson score intervals ({conf(r.confidence)}). Each outcome "
        "type but the charge/summons rate is compared with the rest of England and Wales "
        "pooled (Newcombe hybrid score interval; pooled score test). The charge/summons rate is "
        f"judged on a funnel plot among the territorial forces.{funnel}"
    )


# ----------------------------------------------------------------------------- the section's parts


def outcomes_intro(o) -> str:
    return (
        f"{o.force_name}: {whole(o.victim_based_total)} victim-based crimes recorded in {o.year}."
    )


def outcomes_caption(o) -> str:
    return f"Outcome types, {o.year}"


OUTCOMES_FINDINGS_HEADING = "Key findings: crime outcomes"


def outcomes_source(o) -> str:
    return f"Home Office crime outcomes open data, {o.year}"


# ----------------------------------------------------------------------------- tables


def outcome_rates_table(o) -> pd.DataFrame:
    c = conf(o.confidence)
    rows = []
    for row in o.rows:
        d = pct_digits(row.rate, row.rest_rate, row.lower, row.upper)
        mine, rest = pct(row.rate, d, word=False), pct(row.rest_rate, d, word=False)
        dd = max(1, pct_digits(row.difference, row.difference_lower, row.difference_upper)
                 if row.difference else 1)  # fmt: skip
        judged = "funnel plot (below)" if row.judged_by == "funnel" else (
            "higher" if row.significant and row.direction == "increase"
            else "lower" if row.significant else "not different")  # fmt: skip
        rows.append(
            {
                "Outcome type": row.label,
                "Force": mine,
                f"{c} CI": ci_short(row.lower, row.upper, d, 100, "%"),
                "Rest of England and Wales": rest,
                "Difference (points)": signed(row.difference * 100, dd),
                "p": fmt_p(row.p_value),
                "Judgement": judged,
            }
        )
    return pd.DataFrame(rows)
