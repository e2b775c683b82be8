"""The words of the funnel plots: where the force sits among the compared forces, the spread
between forces, the limits at the force's own size, the methods note and the alt text.
"""

from __future__ import annotations

import math

import pandas as pd

from peelstats.report.wording.common import (
    capitalise,
    count_words,
    join_and,
    number_words,
    possessive,
)
from peelstats.report.wording.numbers import _digits_for, _pct_text, conf, fixed, pct

_FUNNEL_WHAT = {
    "search_rate_per_1000": ("rate of stop and search", "per 1,000 residents"),
    "linked_find_rate": ("linked find rate", ""),
    "black_white_ratio": ("ratio of the Black to the White rate of stop and search", ""),
    "charge_rate": ("charge/summons rate", ""),
    "use_of_force_rate": ("rate of use of force incidents", "per 1,000 residents"),
}

_FUNNEL_PLURAL = {
    "search_rate_per_1000": "rates of stop and search",
    "linked_find_rate": "linked find rates",
    "black_white_ratio": "ratios of the Black to the White rate",
    "charge_rate": "charge/summons rates",
    "use_of_force_rate": "rates of use of force incidents",
}

_FUNNEL_ABSENT = {
    "incomplete": "it does not have all 12 months of data for the period",
    "linked_not_recorded": "its linked field is too often blank to compare",
    "too_few_forces": "fewer than 3 forces could be compared",
    "no_outcomes": "the outcomes data has no figures for it",
    "no_population": "it searched no White people, or has no Black residents, in the period",
    "ethnicity_not_recorded": "ethnicity was not recorded for most of its searches",
    "residents_unrepresentative": "its residents are not the people it polices",
    "no_resident_population": "it has no resident population",
    "not_published": "the tables give no figure for it",
}


#: funnels of rates per 1,000 residents
_PER_RESIDENT = ("search_rate_per_1000", "use_of_force_rate")


def _funnel_numbers(measure: str, *values) -> list[str]:
    """Values of one funnel measure written alike (enough decimals to tell them apart)."""
    if measure in _PER_RESIDENT:
        d = _digits_for(*values, base=1)
        return [f"{fixed(v, d)} per 1,000 residents" for v in values]
    if measure == "black_white_ratio":
        d = _digits_for(*values, base=1)
        return [fixed(v, d) for v in values]
    d = _digits_for(*(v * 100 for v in values))
    return [_pct_text(v * 100, d, " percent") for v in values]


def _funnel_value(measure: str, value: float, target: float) -> tuple[str, str]:
    a, b = _funnel_numbers(measure, value, target)
    if measure in _PER_RESIDENT:
        b = b.replace(" per 1,000 residents", "")
    return a, b


def funnel_sentence(funnel, force_name: str, population_words: str) -> str | None:
    """Where the force sits on one funnel plot, in words (one judgement per figure), naming how
    many forces it is compared with: the verdict depends on which forces those are."""
    what, _ = _FUNNEL_WHAT[funnel.measure]
    if funnel.position is None:
        return (
            f"{force_name} is not placed on the funnel plot of the {what}: "
            f"{_FUNNEL_ABSENT.get(funnel.absent, 'it has no comparable figure')}."
        )
    value, target = _funnel_value(funnel.measure, funnel.value, funnel.target)
    position = funnel.position
    levels = sorted(float(v) for v in funnel.levels)
    if position == "within":
        where = (
            f"within the {conf(levels[0])} control limits: consistent with the usual variation "
            "between these forces"
        )
    else:
        side, level = position.split("_")
        where = f"{side} the {conf(level)} control limit"
        if float(level) < levels[-1]:
            where += f" but within the {conf(levels[-1])} limit: worth a closer look"
        else:
            where += ": very unlikely to arise from the usual variation between these forces"
    left_out = ""
    if funnel.excluded:
        why = {
            "linked_find_rate": "left the linked field blank too often to compare",
            "use_of_force_rate": "left out because residents are not the people policed there",
        }.get(funnel.measure, "could not be compared")
        left_out = f" ({count_words(len(funnel.excluded), 'more force')} {why})"
    return (
        f"Among the {funnel.units} {population_words}{left_out}, {possessive(force_name)} {what} "
        f"({value}, against {target} for those forces together) is {where}."
    )


def chance_outside_words(units: int, expected: float, level_words: str) -> str:
    """How many of ``units`` forces chance alone would put outside the limits, in whole forces:
    'chance alone would put about one of the 14 forces outside the 95% limits'."""
    k = int(math.floor(expected + 0.5))
    if k == 0:
        return (
            f"with {units} forces, chance alone would seldom put any of them outside the "
            f"{level_words} limits"
        )
    return (
        f"with {units} forces, chance alone would put about {number_words(k)} of them outside "
        f"the {level_words} limits, so a force just outside them is worth a closer look, not "
        "proof of a difference"
    )


def spread_words(funnel) -> tuple[str, str, str] | None:
    """The range 19 forces in 20 would lie in beyond chance, as printed, and how far apart its
    ends are in the same words: a factor for rates and ratios (the high end over the low end,
    from the printed numbers), percentage points for proportions."""
    if funnel.spread_low is None or not (funnel.tau2 and funnel.tau2 > 0):
        return None
    lo, hi = _funnel_numbers(funnel.measure, funnel.spread_low, funnel.spread_high)
    lo_n, hi_n = _number_of(lo), _number_of(hi)
    if funnel.kind == "proportion":
        digits = len(lo.split()[0].rstrip("%").partition(".")[2])
        apart = f"{fixed(hi_n - lo_n, digits)} percentage points apart"
    else:
        apart = f"a factor of {fixed(hi_n / lo_n, 1)} from one end to the other"
    return lo, hi, apart


def _number_of(text: str) -> float:
    return float(text.split()[0].replace(",", "").rstrip("%"))


def funnel_reach_sentence(funnel, force_name: str) -> str | None:
    """What the funnel can and cannot flag: the spread between forces beyond chance (the range
    19 forces in 20 would lie in), the inner limits at the force's own size, and how many
    forces chance alone would put outside them, in whole forces. None when the force is not on
    the funnel."""
    if funnel.position is None or funnel.limit_low is None:
        return None
    parts = []
    spread = spread_words(funnel)
    if spread is not None:
        lo, hi, apart = spread
        parts.append(
            f"Beyond chance, these forces' {_FUNNEL_PLURAL[funnel.measure]} differ: 19 forces "
            f"in 20 would lie between {lo} and {hi} ({apart}), and the control limits allow "
            "for that spread."
        )
    elif funnel.tau2 is not None:
        parts.append(
            f"These forces' {_FUNNEL_PLURAL[funnel.measure]} vary no more than chance alone "
            "would make them, so the control limits reflect chance alone."
        )
    low, high = _funnel_numbers(funnel.measure, funnel.limit_low, funnel.limit_high)
    inner = conf(min(float(v) for v in funnel.levels))
    chance = funnel.expected_outside
    chance_words = (
        "; " + chance_outside_words(funnel.units, chance, inner) if chance is not None else ""
    )
    parts.append(
        f"At {possessive(force_name)} size, the {inner} limits run from {low} to {high}: only a "
        f"figure outside that range would be flagged{chance_words}."
    )
    return " ".join(parts)


_SCALE_WORDS = {
    "log": "the log scale",
    "sqrt": "the arcsine square-root scale",
    "natural": "the natural scale",
}


def funnel_method_words(f) -> str:
    """How one funnel's limits were drawn: additive random effects (Spiegelhalter 2005) on the
    stated scale, tau^2 after winsorising 10% at each end, as FunnelPlotR does."""
    what = _FUNNEL_WHAT[f.measure][0]
    base = {
        "search_rate_per_1000": "each force's searches against its residents",
        "linked_find_rate": "each force's linked finds out of its searches",
        "black_white_ratio": (
            "each force's searches of Black people against the number expected at its own "
            "White rate (Black residents x White searches / White residents)"
        ),
        "charge_rate": "each force's charges/summonses out of its victim-based crimes",
        "use_of_force_rate": (
            "each force's use of force incidents against its Census 2021 residents"
        ),
    }[f.measure]
    if f.overdispersion == "additive":
        spread = (
            f"tau = {fixed(math.sqrt(f.tau2), 3)} on {_SCALE_WORDS.get(f.scale, f.scale)}"
            if f.tau2 and f.tau2 > 0
            else "tau = 0: no spread beyond chance"
        )
        how = (
            f"additive random-effects limits on {_SCALE_WORDS.get(f.scale, f.scale)} "
            "(Spiegelhalter 2005; between-force variance by DerSimonian-Laird after "
            f"winsorising 10% at each end, as FunnelPlotR does; {spread})"
        )
    else:
        how = f"limits widened multiplicatively (phi = {fixed(f.phi)})"
    return (
        f"Funnel plot of the {what}: {base}; {join_and(conf(v) for v in sorted(f.levels))} "
        "control limits around the pooled "
        f"value of the {f.units} forces, {how}."
    )


def funnel_chart_alt(funnel, force_name: str, title: str) -> str:
    """Text alternative of a funnel plot: what it plots and where the force sits (marked only
    when it is on the plot)."""
    where = funnel_sentence(funnel, force_name, "forces compared") or ""
    marked = (
        f"{force_name} is the red circle, named in the legend. "
        if funnel.position is not None
        else ""
    )
    return (
        f"Funnel plot: {title}. Each force's value is plotted against its size, with "
        f"{join_and(conf(v) for v in sorted(funnel.levels))} control limits around the value "
        f"of the {funnel.units} forces compared, together. {marked}{where} The numbers behind "
        "the chart are in the table after it."
    )


# ----------------------------------------------------------------------------- the section's parts

FUNNELS_HEADING = "Compared with other forces"
FUNNELS_INTRO = (
    "Each funnel plot compares the force with the other forces in the data that have a complete "
    "year, and the field the measure needs; the number compared is given with each plot. The "
    "verdicts depend on which forces are compared: against a different set, they could differ."
)
#: who the stop-and-search funnels compare
COMPARED = "forces with a complete year of data"
#: each funnel's chart title, x-axis (size) and y-axis (value)
CHART_WORDS = {
    "search_rate_per_1000": (
        "Searches per 1,000 residents, forces compared",
        "residents",
        "searches per 1,000",
    ),
    "linked_find_rate": ("Linked find rate, forces compared", "searches", "linked find rate"),
    "black_white_ratio": (
        "Black/White rate ratio, forces compared",
        "searches of Black people expected at the force's White rate",
        "Black/White rate ratio",
    ),
}
#: the legend's name for the line at the value of the forces compared, together
TARGET_LABEL = "the forces compared, together"
CHARGE_SIZE = "victim-based crimes"
CHARGE_VALUE = "charge/summons rate"


def charge_chart_title(year: str, units: int) -> str:
    return f"Charge/summons rate, the {units} territorial forces compared, {year}"


def charge_alt_title(year: str) -> str:
    return f"Charge/summons rate, {year}"


# ----------------------------------------------------------------------------- tables


def funnel_data_table(funnel, x_title: str, y_title: str) -> pd.DataFrame:
    """The numbers behind a funnel plot: each force's value and size."""
    points = funnel.points.frame().sort_values("denominator")
    percent = funnel.kind == "proportion"
    return pd.DataFrame(
        {
            "Force": [_force_name(f) for f in points["force"]],
            capitalise(x_title): [
                fixed(v, 0 if float(v).is_integer() else 1) for v in points["denominator"]
            ],
            capitalise(y_title): [
                pct(v, word=False) if percent else fixed(v, 2) for v in points["value"]
            ],
        }
    )


def _force_name(force: str) -> str:
    from peelstats.data.forces import get_force

    try:
        return get_force(force).name
    except Exception:  # an id outside the force list: shown as it is
        return str(force)


def funnel_what(funnel) -> str:
    """The measure a funnel plots: 'rate of stop and search'."""
    return _FUNNEL_WHAT.get(funnel.measure, (funnel.measure.replace("_", " "), ""))[0]


def funnel_position_words(funnel) -> str:
    """Where the force sits on a funnel, in a few words (a table cell)."""
    if funnel.position is None:
        return "not placed: " + _FUNNEL_ABSENT.get(funnel.absent, "no comparable figure")
    if funnel.position == "within":
        return f"within the {conf(min(funnel.levels))} limits"
    side, level = funnel.position.split("_")
    return f"{side} the {conf(float(level))} limit"
