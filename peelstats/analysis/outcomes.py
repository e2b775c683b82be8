"""Crime outcomes: a force's outcome-type rates against the rest of England and Wales.

Rate of an outcome type = victim-based crimes assigned that outcome / all victim-based crimes
recorded in the year (all outcome types, including "not yet assigned"), as in HMICFRS PEEL
Figure 2. The force is compared with the rest of England and Wales (the other forces pooled), so
the two groups are independent; the England and Wales rate including the force is shown beside
it for reference.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from peelstats import stats
from peelstats.analysis.schema import estimate_rows, finish

CHARGE = 1
#: Outcome types shown, in PEEL Figure 2's groupings (2+3 cautions, 10+21 not in public interest).
OUTCOME_GROUPS: dict[str, tuple[int, ...]] = {
    "1: Charged/summonsed": (1,),
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


def victim_based_counts(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Victim-based crimes per territorial force (rows) and outcome type (columns), plus a
    'total' column. British Transport Police is left out: it is not a territorial force and
    its crime mix is not comparable."""
    from peelstats.data.forces import get_force

    territorial = {f for f in outcomes["force"].unique() if get_force(f).has_population}
    victim = outcomes[outcomes["victim_based"].astype(bool) & outcomes["force"].isin(territorial)]
    table = victim.pivot_table(
        index="force", columns="outcome_type", values="offences", aggfunc="sum", fill_value=0
    )
    table["total"] = table.sum(axis=1)
    return table


def outcome_rates(outcomes: pd.DataFrame, force: str, confidence: float = 0.95):
    """Each outcome group's rate for the force and for the rest of England and Wales."""
    table = victim_based_counts(outcomes)
    year = str(outcomes["financial_year"].iloc[0])
    mine = table.loc[force]
    rest = table.drop(index=force).sum()
    everyone = table.sum()
    rows = []
    for label, types in OUTCOME_GROUPS.items():
        present = [t for t in types if t in table.columns]
        x_f = int(mine[present].sum()) if present else 0
        x_r = int(rest[present].sum()) if present else 0
        rows.append(
            {
                "outcome": label,
                "force_count": x_f,
                "force_total": int(mine["total"]),
                "rest_count": x_r,
                "rest_total": int(rest["total"]),
                "ew_rate": (everyone[present].sum() if present else 0) / everyone["total"],
            }
        )
    frame = pd.DataFrame(rows)
    own = stats.proportion_ci(frame["force_count"], frame["force_total"], confidence=confidence)
    other = stats.proportion_ci(frame["rest_count"], frame["rest_total"], confidence=confidence)
    diff = stats.compare_proportions(
        frame["rest_count"],
        frame["rest_total"],
        frame["force_count"],
        frame["force_total"],
        confidence=confidence,
    )
    frame = frame.assign(
        force_rate=np.asarray(own.estimate), force_lower=np.asarray(own.lower),
        force_upper=np.asarray(own.upper), rest_rate=np.asarray(other.estimate),
        rest_lower=np.asarray(other.lower), rest_upper=np.asarray(other.upper),
        difference=np.asarray(diff.estimate), difference_lower=np.asarray(diff.lower),
        difference_upper=np.asarray(diff.upper), p_value=np.asarray(diff.pvalue),
        significant=np.asarray(diff.significant, dtype=bool),
    )  # fmt: skip
    frame.attrs["year"] = year
    return frame


def outcome_estimates(rates: pd.DataFrame, force: str, period_label: str, confidence: float):
    """The outcome rates in the estimates schema (group = outcome type)."""
    year = rates.attrs.get("year", "")
    flags = [
        ("higher" if d > 0 else "lower") + "_than_rest" if s else ""
        for d, s in zip(rates["difference"], rates["significant"], strict=True)
    ]
    force_rows = estimate_rows(
        f"outcome_rate_{year}", rates["outcome"].to_numpy(),
        numerator=rates["force_count"].to_numpy(), denominator=rates["force_total"].to_numpy(),
        estimate=rates["force_rate"].to_numpy(), lower=rates["force_lower"].to_numpy(),
        upper=rates["force_upper"].to_numpy(),
        method="proportion of victim-based crimes, Wilson interval; p: pooled score test "
        "against the rest of England and Wales",
        confidence=confidence, p_value=rates["p_value"].to_numpy(), flags=flags,
    )  # fmt: skip
    return finish(force_rows, force, period_label)


def charge_funnel(outcomes: pd.DataFrame, levels=(0.95, 0.998)):
    """Charge/summons rate of every force against its victim-based crimes, with funnel limits
    widened for overdispersion (multiplicative, Spiegelhalter 2005).

    Returns (points, limits frame, target, phi).
    """
    table = victim_based_counts(outcomes)
    x = (table[CHARGE] if CHARGE in table.columns else table["total"] * 0).to_numpy()
    n = table["total"].to_numpy()
    target = x.sum() / n.sum()
    grid = np.unique(np.geomspace(n.min() * 0.5, n.max() * 1.5, 120).round())
    limits = stats.funnel_limits(
        n, target, kind="proportion", levels=levels, overdispersion="multiplicative",
        observed=x, grid=grid,
    )  # fmt: skip
    flags = stats.funnel_flags(
        x, n, target, kind="proportion", levels=levels, overdispersion="multiplicative"
    )
    points = pd.concat([pd.DataFrame({"force": table.index}), flags.reset_index(drop=True)], axis=1)
    return points, limits.to_frame(), target, float(limits.phi)


def funnel_sentence(
    points: pd.DataFrame, target: float, phi: float, force: str, force_name: str, year: str
) -> str:
    """Where the force's charge/summons rate sits on the funnel, in words."""
    mine = points[points["force"] == force]
    if mine.empty:
        return f"{force_name} has no outcomes data for {year}."
    row = mine.iloc[0]
    if row["above_0.998"] or row["below_0.998"]:
        where = f"{'above' if row['above_0.998'] else 'below'} the 99.8% limit"
    elif row["above_0.95"] or row["below_0.95"]:
        where = f"{'above' if row['above_0.95'] else 'below'} the 95% limit (within 99.8%)"
    else:
        where = "within the 95% limits"
    return (
        f"In {year}, {force_name} charged or summonsed {row['value']:.1%} of victim-based crimes, "
        f"against {target:.1%} for the {len(points)} forces together: {where} of the funnel "
        f"(limits widened for overdispersion between forces, phi = {phi:.1f})."
    )


def outcome_findings(rates: pd.DataFrame, force_name: str) -> list[str]:
    """One sentence per outcome type that differs significantly from the rest of E&W."""
    year = rates.attrs.get("year", "")
    out = []
    for _, r in rates.iterrows():
        if not r["significant"]:
            continue
        side = "higher" if r["difference"] > 0 else "lower"
        out.append(
            f"In {year}, {r['force_rate']:.1%} of {force_name}'s victim-based crimes were "
            f"assigned outcome {r['outcome']} ({r['force_lower']:.1%} to {r['force_upper']:.1%}, "
            f"Wilson), statistically significantly {side} than the rest of England and Wales "
            f"({r['rest_rate']:.1%}; difference {r['difference'] * 100:+.1f} points, "
            f"{r['difference_lower'] * 100:+.1f} to {r['difference_upper'] * 100:+.1f}, Newcombe)."
        )
    quiet = [r["outcome"] for _, r in rates.iterrows() if not r["significant"]]
    if quiet:
        out.append(
            f"For outcome types {', '.join(q.split(':')[0] for q in quiet)}, the force's rate is "
            "not statistically significantly different from the rest of England and Wales."
        )
    return out


def published_comparison(published: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Published force rates (e.g. PEEL Figure 2) with Wilson intervals on the implied counts,
    compared with the published England and Wales rate treated as a fixed reference."""
    n = published["crimes"].astype(float).to_numpy()
    p = published["force_percent"].to_numpy() / 100
    x = np.round(p * n)
    ci = stats.proportion_ci(x, n, method="wilson", confidence=confidence)
    ew = published["england_wales_percent"].to_numpy() / 100
    lower, upper = np.asarray(ci.lower), np.asarray(ci.upper)
    return published.assign(
        implied_count=x, lower=lower, upper=upper,
        versus=np.where(ew < lower, "higher", np.where(ew > upper, "lower", "not different")),
    )  # fmt: skip


def published_findings(published: pd.DataFrame, confidence: float = 0.95) -> list[str]:
    if published.empty:
        return []
    table = published_comparison(published, confidence)
    out = []
    for _, r in table.iterrows():
        if r["versus"] == "not different":
            continue
        out.append(
            f"In the {r['period']}, {r['force_percent']:.1f} percent ({r['lower']:.1%} to "
            f"{r['upper']:.1%}, Wilson, on the {int(r['crimes']):,} crimes published) were "
            f"assigned outcome {r['outcome_types'].replace(';', ' and ')} ({r['outcome_label']}), "
            f"statistically significantly {r['versus']} than the England and Wales rate of "
            f"{r['england_wales_percent']:.1f} percent."
        )
    return out
