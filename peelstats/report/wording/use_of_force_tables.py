"""The tables, captions, part headings and chart words of the use of force section (its
sentences are :mod:`peelstats.report.wording.use_of_force`'s). Tactics are labelled "tactics
used", incidents "incidents"; every interval is shown with ends that differ."""

from __future__ import annotations

import pandas as pd

from peelstats.report.wording.cells import DASH
from peelstats.report.wording.funnels import FUNNELS_HEADING
from peelstats.report.wording.numbers import conf, fixed, signed, whole
from peelstats.report.wording.use_of_force import (
    GROUP_LABEL,
    ci_range,
    value_digits,
)
from peelstats.vocabulary import ALL, GROUPS, UNKNOWN

# ----------------------------------------------------------------------------- the section's parts

INCIDENTS_HEADING = "Incidents and the rate per 1,000 residents"
FUNNEL_HEADING = FUNNELS_HEADING
CED_HEADING = "Taser (CED)"
TACTICS_HEADING = "Disproportionality: tactics used by ethnic group"
FUNNEL_TITLE = "Use of force incidents per 1,000 residents, territorial forces"
FUNNEL_SIZE = "residents (Census 2021)"
FUNNEL_VALUE = "incidents per 1,000 residents"
RATIO_UNIT = "times the White rate of tactics used per 1,000 residents"


def ratio_chart_title(r) -> str:
    """Short enough for the chart's width; the year and the widening are in the alt text."""
    return f"Tactics used relative to White, with {conf(r.confidence)} confidence intervals"


def ratio_chart_alt(r) -> str:
    return (
        f"Rate of tactics used per 1,000 residents of each group relative to White residents, "
        f"{r.year} (a dashed line marks 1, the same rate; intervals widened because an incident "
        "can involve several tactics)"
    )


def tactics_intro(r) -> str:
    return (
        "The Home Office's table by force and ethnicity counts tactics used (handcuffing, "
        "restraint, Taser and so on), not incidents or people: one incident can involve several "
        f"tactics ({r.force_name}, {r.year}: {fixed(r.tactics_per_incident, 2)} per incident). "
        "Each group's rate is tactics used per 1,000 Census 2021 residents of that group; the "
        "ratio divides it by the rate for White residents, so 1 means the same rate."
    )


def funnel_chart_title(r) -> str:
    return f"{FUNNEL_TITLE}, {r.year}"


def funnel_alt_title(r) -> str:
    return f"Use of force incidents per 1,000 residents, {r.year}"


def incidents_caption(r) -> str:
    return f"Use of force incidents, {r.previous_year} and {r.year}"


def ced_caption(r) -> str:
    return f"Taser (CED) uses and discharges, {r.previous_year} and {r.year}"


def tactics_caption(r) -> str:
    return f"Tactics used by perceived ethnic group, {r.year} (counts of tactics, not people)"


# ----------------------------------------------------------------------------- tables


def incidents_table(r) -> pd.DataFrame:
    c = conf(r.confidence)
    rows = []
    for year in (r.previous_year, r.year):
        n = r.figure("use_of_force_incidents", ALL, year)
        if n is None:
            continue
        rate = r.figure("use_of_force_rate", ALL, year)
        rows.append(
            {
                "Financial year": year,
                "Incidents": whole(n.estimate),
                f"{c} CI": ci_range(n.lower, n.upper, 0),
                "Per 1,000 residents (Census 2021)": DASH
                if rate is None
                else fixed(rate.estimate, 2),
                f"{c} CI of the rate": DASH
                if rate is None
                else ci_range(rate.lower, rate.upper, 2),
                "Notes": "",
            }
        )
    change = r.figure("use_of_force_change", ALL)
    if change is not None and change.estimate is not None:
        note = (
            "more likely a change in recording"
            if change.flagged("recording_change")
            else ("statistically significant" if change.significant else "not significant")
        )
        rows.append(
            {
                "Financial year": f"Change, {r.previous_year} to {r.year}",
                "Incidents": f"{signed(change.estimate)}%",
                f"{c} CI": ci_range(change.lower, change.upper, 1, 0.0, unit="%"),
                "Per 1,000 residents (Census 2021)": DASH,
                f"{c} CI of the rate": DASH,
                "Notes": note,
            }
        )
    return pd.DataFrame(rows)


def ced_table(r) -> pd.DataFrame:
    c = conf(r.confidence)
    rows = []
    for year in (r.previous_year, r.year):
        uses = r.figure("ced_uses", ALL, year)
        dis = r.figure("ced_discharges", ALL, year)
        if uses is None:
            continue
        share = r.figure("ced_discharge_share", ALL, year)
        rows.append(
            {
                "Financial year": year,
                "Uses": whole(uses.estimate),
                f"{c} CI": ci_range(uses.lower, uses.upper, 0),
                "Discharges": DASH if dis is None else whole(dis.estimate),
                f"{c} CI ": DASH if dis is None else ci_range(dis.lower, dis.upper, 0),
                "Share discharged": DASH
                if share is None
                else f"{fixed(share.estimate * 100, value_digits(share, 1, scale=100))}%",
                f"{c} CI of the share": DASH
                if share is None
                else ci_range(share.lower, share.upper, 1, scale=100, unit="%"),
            }
        )
    return pd.DataFrame(rows)


def tactics_table(r) -> pd.DataFrame:
    """Tactics used by group, per 1,000 residents and against White, each with its widened
    interval (estimate and interval in one cell, so the table fits a printed page)."""
    c = conf(r.confidence)
    rows = []
    for group in [*GROUPS, UNKNOWN, ALL]:
        n = r.figure("use_of_force_tactics", group)
        if n is None:
            continue
        rate = r.figure("use_of_force_tactics_rate", group)
        rows.append(
            {
                "Perceived ethnic group": GROUP_LABEL.get(group, group),
                "Tactics used": whole(n.estimate),
                "Residents (Census 2021)": DASH if rate is None else whole(rate.denominator),
                f"Per 1,000 residents ({c} CI, widened)": _with_interval(rate, 2),
                f"Times the White rate ({c} CI, widened)": _bound(
                    r, "use_of_force_tactics_ratio_vs_white", group
                ),
                f"If not stated were all White ({c} CI)": _bound(
                    r, "use_of_force_tactics_ratio_vs_white_min", group
                ),
                f"If all in the group ({c} CI)": _bound(
                    r, "use_of_force_tactics_ratio_vs_white_max", group
                ),
            }
        )
    return pd.DataFrame(rows)


def _with_interval(fig, digits: int) -> str:
    """'57.35 (46.62 to 69.82)'."""
    if fig is None or fig.estimate is None or not fig.has_interval:
        return DASH
    return f"{fixed(fig.estimate, digits)} ({ci_range(fig.lower, fig.upper, digits)})"


def _bound(r, measure: str, group: str) -> str:
    f = r.figure(measure, group)
    if f is None or f.estimate is None or not f.has_interval:
        return DASH
    return f"{fixed(f.estimate, 2)} ({ci_range(f.lower, f.upper, 2, 1.0)})"


def national_table(r) -> pd.DataFrame:
    """England and Wales incidents by perceived ethnic group (Table 4), an incidents basis."""
    c = conf(r.confidence)
    rows = []
    for group in [*GROUPS, UNKNOWN, ALL]:
        n = r.figure("use_of_force_incidents_england_and_wales", group)
        if n is None:
            continue
        ratio = r.figure("use_of_force_incidents_ratio_vs_white_england_and_wales", group)
        rows.append(
            {
                "Perceived ethnic group": GROUP_LABEL.get(group, group),
                "Incidents": whole(n.estimate),
                f"{c} CI": ci_range(n.lower, n.upper, 0),
                "Times the White rate per 1,000 residents": DASH
                if ratio is None
                else fixed(ratio.estimate, 2),
                f"{c} CI of the ratio": DASH
                if ratio is None
                else ci_range(ratio.lower, ratio.upper, 2, 1.0),
            }
        )
    return pd.DataFrame(rows)


NATIONAL_HEADING = "England and Wales: incidents by perceived ethnic group"


def national_caption(r) -> str:
    return f"England and Wales: use of force incidents by perceived ethnic group, {r.year}"


def beside_table(r) -> pd.DataFrame:
    """Published figure | the inspectorate's (their year, as published) | this report's (its
    year, with its interval)."""
    p = r.published
    c = conf(r.confidence)
    rows = []
    ours = {
        "use_of_force_incidents": r.figure("use_of_force_incidents", ALL, r.year),
        "use_of_force_rate": r.figure("use_of_force_rate", ALL, r.year),
        "use_of_force_change": r.figure("use_of_force_change", ALL),
    }
    labels = {
        "use_of_force_incidents": "Use of force incidents",
        "use_of_force_rate": "Incidents per 1,000 residents",
        "use_of_force_change": "Change on the year before",
    }
    for f in p.figures:
        mine = ours.get(f.measure)
        if f.measure == "use_of_force_incidents":
            theirs = whole(f.value)
            own = (
                DASH
                if mine is None
                else f"{whole(mine.estimate)} ({ci_range(mine.lower, mine.upper, 0)})"
            )
        elif f.measure == "use_of_force_rate":
            theirs = f"{fixed(f.value)} per 1,000 {f.population_base or 'population'}"
            own = DASH if mine is None or mine.estimate is None else (
                f"{fixed(mine.estimate, 2)} ({ci_range(mine.lower, mine.upper, 2)}), per 1,000 "
                "Census 2021 residents"
            )  # fmt: skip
        else:
            theirs = f"{signed(f.value)} percent"
            own = DASH if mine is None or mine.estimate is None else (
                f"{signed(mine.estimate)} percent ({ci_range(mine.lower, mine.upper, 1, 0.0)}) "
                f"on {r.previous_year}"
            )  # fmt: skip
        rows.append(
            {
                "Figure": labels.get(f.measure, f.measure),
                f"The inspectorate ({p.year}, as published)": theirs,
                f"This report ({p.our_year}, {c} CI)": own,
            }
        )
    return pd.DataFrame(rows)


BESIDE_CAPTION = "The inspectorate's figures and this report's, each for its own year"
