"""The words of the crime outcomes section (Home Office open data)."""

from __future__ import annotations

from peelstats.report.wording.common import join_and, possessive
from peelstats.report.wording.funnels import funnel_method_words, funnel_sentence
from peelstats.report.wording.numbers import ci_pct, conf, pct, pct_digits

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
