"""The words of the crime outcomes section (Home Office open data)."""

from __future__ import annotations

import pandas as pd

from peelstats.report.wording.cells import fmt_p
from peelstats.report.wording.common import join_and, number_words, plural, possessive
from peelstats.report.wording.funnels import funnel_method_words, funnel_sentence
from peelstats.report.wording.numbers import (
    ci_short,
    conf,
    fixed,
    pct,
    pct_digits,
    signed,
    whole,
)

# ----------------------------------------------------------------------------- outcomes


def older_data_words(year: str, report_period: str) -> str:
    """How much older a financial year's data is than a report's year: 'data about four years
    older than this report's year' ('' when the year cannot be read)."""
    from peelstats.vocabulary import month_period, parse_period

    if len(year) < 4 or not year[:4].isdigit():
        return "an earlier year's data"
    fy_end = month_period(f"{int(year[:4]) + 1}-03")
    gap = (month_period(parse_period(report_period).end) - fy_end).n / 12
    years = int(gap + 0.5)
    if years < 1:
        return "data for a year that overlaps this report's"
    return f"data about {number_words(years)} {plural(years, 'year')} older than this report's year"


def outcomes_heading(r, report_period: str | None = None) -> str:
    older = older_data_words(r.year, report_period or r.period)
    return f"Crime outcomes: financial year {r.year} (Home Office open data; {older})"


def _side(row) -> str:
    return "higher" if row.position.startswith("above") else "lower"


def outcome_sentence(row, r) -> str | None:
    """One judgement per outcome type, on its funnel among the territorial forces: only a rate
    outside the usual variation between forces is worth a sentence."""
    if row.position in (None, "within") or row.rate is None:
        return None
    d = pct_digits(row.rate, row.target, row.limit_low, row.limit_high)
    level = row.position.split("_")[1]
    return (
        f"In {r.year}, {pct(row.rate, d)} of {possessive(r.force_name)} victim-based crimes were "
        f"assigned outcome {row.label}, {_side(row)} than the usual variation between the "
        f"{r.forces} territorial forces allows ({conf(float(level))} limits at its size: "
        f"{pct(row.limit_low, d)} to {pct(row.limit_high, d)}; {pct(row.target, d)} for the "
        "forces together)."
    )


def chance_only_sentence(r) -> str | None:
    """Why the test against the rest of England and Wales is not the judgement: with so many
    crimes it finds even small differences, so the size that matters is the usual variation
    between forces, which the funnel plots measure."""
    tested = [row for row in r.rows if row.p_value is not None]
    flagged = [row for row in tested if row.significant]
    if not flagged:
        return None
    smallest = min(flagged, key=lambda row: abs(row.difference or 0))
    gap = abs(smallest.difference or 0) * 100
    outside = [row for row in r.rows if row.position not in (None, "within")]
    return (
        f"With {whole(r.victim_based_total)} victim-based crimes, chance alone explains almost "
        f"no difference from the rest of England and Wales, so a test against it finds "
        f"{len(flagged)} of the {len(tested)} outcome types different, one of them by only "
        f"{fixed(gap, 1 if gap >= 0.1 else 2)} percentage points. What matters is whether "
        f"{r.force_name} differs by more than forces usually differ, which the funnel plots "
        f"measure: by that measure {number_words(len(outside))} of the {len(r.rows)} outcome "
        f"types {'stands' if len(outside) == 1 else 'stand'} out."
    )


def outcomes_findings(r) -> list[str]:
    if r.status == "no_data":
        return [f"The outcomes data ({r.year}) has no figures for {r.force_name}."]
    out = [s for s in (outcome_sentence(row, r) for row in r.rows) if s]
    quiet = [row.label.split(":")[0] for row in r.rows if row.position == "within"]
    if quiet:
        kind = "outcome type" if len(quiet) == 1 else "outcome types"
        out.append(
            f"For {kind} {join_and(quiet)}, {possessive(r.force_name)} rate is within the usual "
            "variation between forces."
        )
    reconcile = chance_only_sentence(r)
    if reconcile:
        out.append(reconcile)
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
        "type is judged on its own funnel plot among the territorial forces (additive "
        "random-effects limits on the arcsine square-root scale, as for the charge/summons rate "
        "below); the test against the rest of England and Wales pooled (Newcombe hybrid score "
        "interval; pooled score test) allows for chance alone and is shown beside it, not used "
        f"as the judgement.{funnel}"
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
        if row.position is None:
            judged = "not placed"
        elif row.position == "within":
            judged = "within the usual variation between forces"
        else:
            judged = f"{_side(row)} than the usual variation between forces"
        rows.append(
            {
                "Outcome type": row.label,
                "Force": mine,
                f"{c} CI": ci_short(row.lower, row.upper, d, 100, "%", estimate=row.rate),
                "Rest of England and Wales": rest,
                "Difference (points)": signed(row.difference * 100, dd),
                "p (chance only)": fmt_p(row.p_value),
                "Among the forces (funnel plot)": judged,
            }
        )
    return pd.DataFrame(rows)
