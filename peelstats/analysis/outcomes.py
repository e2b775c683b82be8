"""Crime outcomes: a force's outcome-type rates against the rest of England and Wales.

``build(outcomes, params)``. Rate of an outcome type = victim-based crimes assigned that
outcome / all victim-based crimes recorded in the year (all outcome types, including "not yet
assigned"), as in HMICFRS PEEL Figure 2. The outcomes data has its own year (its financial
year), which the result names; it is not the report's year.

One judgement per figure: every outcome type is judged on its own funnel plot among the
territorial forces (additive random effects on the arcsine square-root scale), which allows for
the usual variation between forces. With tens of thousands of crimes, a test against the rest of
England and Wales pooled (Newcombe interval, score test) allows for chance alone and finds even
a fraction of a percentage point "significant"; it is kept beside the judgement, for what it
is, never as the judgement.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import pandas as pd

from peelstats import stats
from peelstats.analysis.funnels import FUNNEL_LEVELS, Funnel, funnel_levels, place
from peelstats.analysis.params import Params
from peelstats.analysis.results import Figure, num, register
from peelstats.data import load_crime_outcomes
from peelstats.vocabulary import Methods

CHARGE = 1
CHARGE_LABEL = "1: Charged/summonsed"
#: Outcome types shown, in PEEL Figure 2's groupings (2+3 cautions, 10+21 not in public interest).
OUTCOME_GROUPS: dict[str, tuple[int, ...]] = {
    CHARGE_LABEL: (1,),
    "2 and 3: Caution (youths and adults)": (2, 3),
    "8: Community resolution": (8,),
    "9: Not in the public interest (CPS)": (9,),
    "10 and 21: Not in the public interest (police)": (10, 21),
    "14: Evidential difficulties (suspect not identified; victim does not support)": (14,),
    "15: Evidential difficulties (suspect identified; victim supports)": (15,),
    "16: Evidential difficulties (suspect identified; victim does not support)": (16,),
    "17: Prosecution time limit expired": (17,),
    "18: Investigation complete, no suspect identified": (18,),
    "20: Action taken by another body": (20,),
}


@register
@dataclass(frozen=True)
class OutcomeRow:
    """One outcome type: the force's rate, the rest of England and Wales', the difference.
    ``judged_by`` names the one comparison the report uses for it: 'funnel' or 'rest'."""

    label: str
    force_count: int
    force_total: int
    rate: float | None
    lower: float | None
    upper: float | None
    rest_count: int
    rest_total: int
    rest_rate: float | None
    england_wales_rate: float | None
    difference: float | None
    difference_lower: float | None
    difference_upper: float | None
    p_value: float | None
    significant: bool
    direction: str
    judged_by: str
    #: where the force sits on this outcome type's funnel among the territorial forces
    #: (``Funnel.position``), and the inner limits at its size
    position: str | None = None
    limit_low: float | None = None
    limit_high: float | None = None
    target: float | None = None


@register
@dataclass(frozen=True)
class OutcomesResult:
    section: str
    force: str
    force_name: str
    period: str
    confidence: float
    year: str
    status: str
    victim_based_total: int
    forces: int
    rows: tuple[OutcomeRow, ...]
    charge_funnel: Funnel | None
    figures: tuple[Figure, ...]


_COUNTS: list = []  # [(weak reference to an outcomes table, its counts)]: the last one


def victim_based_counts(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Victim-based crimes per territorial force (rows) and outcome type (columns), plus a
    'total' column. British Transport Police is left out: it is not a territorial force and
    its crime mix is not comparable. The same for every force: counted once per table (the
    loaders hand every report of a process the same table); read it, never change it."""
    if _COUNTS and _COUNTS[0][0]() is outcomes:
        return _COUNTS[0][1]
    table = _victim_based_counts(outcomes)
    _COUNTS[:] = [(weakref.ref(outcomes), table)]
    return table


def _victim_based_counts(outcomes: pd.DataFrame) -> pd.DataFrame:
    from peelstats.data.forces import get_force

    territorial = {f for f in outcomes["force"].unique() if get_force(f).has_population}
    victim = outcomes[outcomes["victim_based"].astype(bool) & outcomes["force"].isin(territorial)]
    table = victim.pivot_table(
        index="force", columns="outcome_type", values="offences", aggfunc="sum", fill_value=0
    )
    table["total"] = table.sum(axis=1)
    return table[table["total"] > 0]


def charge_funnel(table: pd.DataFrame, force: str, levels=FUNNEL_LEVELS) -> Funnel:
    """Charge/summons rate of every territorial force against its victim-based crimes."""
    x = (table[CHARGE] if CHARGE in table.columns else table["total"] * 0).to_numpy(float)
    n = table["total"].to_numpy(float)
    return place("charge_rate", table.index.astype(str), x, n, force, "proportion",
                 absent_reason="no_outcomes", levels=levels)  # fmt: skip


@dataclass(frozen=True)
class OutcomesData:
    """Home Office crime outcomes by force x outcome type x offence group (one financial
    year)."""

    outcomes: pd.DataFrame

    @classmethod
    def load(cls, source="default") -> OutcomesData:
        return cls(load_crime_outcomes(source))


def build(data: OutcomesData, params: Params) -> OutcomesResult:
    """Each outcome group's rate for the force and for the rest of England and Wales."""
    force, confidence, outcomes = params.force, params.confidence, data.outcomes
    table = victim_based_counts(outcomes)
    year = str(outcomes["financial_year"].iloc[0]) if len(outcomes) else ""
    base = dict(
        section="outcomes", force=force, force_name=params.force_name,
        period=params.period.label, confidence=confidence, year=year,
    )  # fmt: skip
    if force not in table.index:
        return OutcomesResult(
            **base, status="no_data", victim_based_total=0, forces=len(table), rows=(),
            charge_funnel=None, figures=(),
        )  # fmt: skip
    mine, rest, everyone = table.loc[force], table.drop(index=force).sum(), table.sum()
    counts = []
    for label, types in OUTCOME_GROUPS.items():
        present = [t for t in types if t in table.columns]
        counts.append(
            (
                label,
                int(mine[present].sum()) if present else 0,
                int(rest[present].sum()) if present else 0,
                float(everyone[present].sum() / everyone["total"]) if present else 0.0,
            )
        )
    xf = np.array([c[1] for c in counts], float)
    xr = np.array([c[2] for c in counts], float)
    nf, nr = float(mine["total"]), float(rest["total"])
    own = stats.proportion_ci(xf, nf, confidence=confidence)
    other = stats.proportion_ci(xr, nr, confidence=confidence)
    diff = stats.compare_proportions(xr, nr, xf, nf, confidence=confidence)
    rows, figures = [], []
    levels = funnel_levels(confidence)
    for i, (label, _, _, ew) in enumerate(counts):
        sig = bool(np.atleast_1d(diff.significant)[i])
        types = [t for t in OUTCOME_GROUPS[label] if t in table.columns]
        x_all = table[types].sum(axis=1) if types else table["total"] * 0
        funnel = place(f"outcome_{i}", table.index.astype(str), x_all, table["total"], force,
                       "proportion", absent_reason="no_outcomes", levels=levels)  # fmt: skip
        row = OutcomeRow(
            label=label, force_count=int(xf[i]), force_total=int(nf),
            rate=num(np.atleast_1d(own.estimate)[i]), lower=num(np.atleast_1d(own.lower)[i]),
            upper=num(np.atleast_1d(own.upper)[i]), rest_count=int(xr[i]), rest_total=int(nr),
            rest_rate=num(np.atleast_1d(other.estimate)[i]), england_wales_rate=num(ew),
            difference=num(np.atleast_1d(diff.estimate)[i]),
            difference_lower=num(np.atleast_1d(diff.lower)[i]),
            difference_upper=num(np.atleast_1d(diff.upper)[i]),
            p_value=num(np.atleast_1d(diff.pvalue)[i]), significant=sig,
            direction=str(np.atleast_1d(diff.direction)[i]), judged_by="funnel",
            position=funnel.position, limit_low=funnel.limit_low, limit_high=funnel.limit_high,
            target=funnel.target,
        )  # fmt: skip
        rows.append(row)
        flag = ""
        if funnel.position and funnel.position != "within":
            flag = "higher_than_forces" if funnel.position.startswith("above") else (
                "lower_than_forces")  # fmt: skip
        figures.append(
            Figure(
                f"outcome_rate_{year}", label, row.rate, row.lower, row.upper,
                numerator=float(row.force_count), denominator=float(row.force_total),
                method=Methods.OUTCOME_RATE,
                confidence=confidence, p_value=row.p_value, flags=(flag,) if flag else (),
                period_start=_year_start(year), period_end=_year_end(year),
            )
        )  # fmt: skip
    return OutcomesResult(
        **base, status="ok", victim_based_total=int(nf), forces=len(table), rows=tuple(rows),
        charge_funnel=charge_funnel(table, force, funnel_levels(confidence)),
        figures=tuple(figures),
    )  # fmt: skip


def _year_start(year: str) -> str:
    """'2017/18' -> '2017-04' (a financial year starts in April)."""
    return f"{year[:4]}-04" if len(year) >= 4 and year[:4].isdigit() else ""


def _year_end(year: str) -> str:
    return f"{int(year[:4]) + 1}-03" if len(year) >= 4 and year[:4].isdigit() else ""
