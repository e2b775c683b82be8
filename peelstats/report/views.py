"""Tables and chart data of results, as text a notebook displays (no statistics here).

Every label follows the run: the confidence level comes from the result, the months from its
coverage. Missing values are an en dash (not applicable) or "not recorded" (a blank field),
never "nan" or 0.
"""

from __future__ import annotations

import pandas as pd

from peelstats.report import wording as w
from peelstats.vocabulary import ALL, GROUPS, REFERENCE_GROUP, UNKNOWN, flag_notes, month_name

DASH = "–"


def _n(value) -> str:
    return DASH if value is None else w.whole(value)


def _rate(value, digits=2) -> str:
    return DASH if value is None else w.fixed(value, digits)


def _share(value) -> str:
    return DASH if value is None else w.pct(value, word=False)


def _group_label(group: str) -> str:
    return {ALL: "All people", UNKNOWN: "Not recorded"}.get(group, group)


def _months_label(coverage) -> str:
    if coverage is None or coverage.complete:
        return ""
    return f" ({len(coverage.present)} of {len(coverage.expected)} months)"


def counts_table(r) -> pd.DataFrame:
    rows = [r.figure("searches", g) for g in [*GROUPS, UNKNOWN, ALL]]
    rows = [f for f in rows if f is not None]
    c = w.conf(r.confidence)
    return pd.DataFrame(
        {
            "Ethnic group": [_group_label(f.group) for f in rows],
            f"Searches{_months_label(r.coverage)}": [_n(f.estimate) for f in rows],
            f"{c} CI (natural variation)": [w.ci_short(f.lower, f.upper, 0) for f in rows],
            "Notes": [flag_notes(f.flags) for f in rows],
        }
    )


def rates_table(r) -> pd.DataFrame:
    rows = [r.figure("search_rate_per_1000", g) for g in [*GROUPS, ALL]]
    rows = [f for f in rows if f is not None]
    c = w.conf(r.confidence)
    months = _months_label(r.coverage)
    per = "Searches per 1,000" + (f"{months}, not annualised" if months else "")
    return pd.DataFrame(
        {
            "Ethnic group": [_group_label(f.group) for f in rows],
            f"Searches{months}": [_n(f.numerator) for f in rows],
            "Residents (Census 2021)": [_n(f.denominator) for f in rows],
            per: [_rate(f.estimate) for f in rows],
            f"{c} CI": [w.ci_short(f.lower, f.upper, 2) for f in rows],
            "Notes": [flag_notes(f.flags) for f in rows],
        }
    )


def ratio_table(r) -> pd.DataFrame:
    rows = [r.figure("search_rate_ratio_vs_white", g) for g in GROUPS if g != REFERENCE_GROUP]
    rows = [f for f in rows if f is not None]
    c = w.conf(r.confidence)
    return pd.DataFrame(
        {
            "Ethnic group": [f.group for f in rows],
            "Searches": [_n(f.numerator) for f in rows],
            "Times as likely as White people": [_rate(f.estimate) for f in rows],
            f"{c} CI": [w.ci_short(f.lower, f.upper, 2) for f in rows],
            "p": [fmt_p(f.p_value) for f in rows],
            f"If unrecorded ethnicity were all White ({c} CI)": [
                _bound(r, "search_rate_ratio_vs_white_min", f.group) for f in rows
            ],
            f"If all in the group ({c} CI)": [
                _bound(r, "search_rate_ratio_vs_white_max", f.group) for f in rows
            ],  # fmt: skip
            "Notes": [flag_notes(f.flags) for f in rows],
        }
    )


def _bound(r, measure: str, group: str) -> str:
    """'1.21 (0.62 to 2.21)': one bound on a ratio with its interval."""
    f = r.figure(measure, group)
    if f is None or f.estimate is None:
        return DASH
    return f"{_rate(f.estimate)} ({w.ci_short(f.lower, f.upper, 2)})"


def fmt_p(value) -> str:
    if value is None:
        return DASH
    return "<0.001" if value < 0.001 else w.fixed(value, 3)


def outcome_table(r, measure: str, label: str) -> pd.DataFrame:
    """The outcome test for one measure: rate by group and the difference against White."""
    c = w.conf(r.confidence)
    groups = [*GROUPS, UNKNOWN, ALL]
    rows = []
    for group in groups:
        rate = r.figure(measure, group)
        if rate is None:
            continue
        diff = r.figure(f"{measure}_difference_vs_white", group)
        not_recorded = rate.flagged("not_recorded")
        if rate.denominator == 0:
            shown, interval = "no searches", DASH
        elif rate.estimate is None:
            shown, interval = ("not recorded" if not_recorded else "not shown"), DASH
        else:
            bound = "at least " if rate.flagged("linked_lower_bound") else ""
            shown = bound + w.pct(rate.estimate, word=False)
            interval = w.ci_short(rate.lower, rate.upper, 1, 100, "%")
        count = "not recorded" if not_recorded else _n(rate.numerator)
        has_diff = diff is not None and diff.estimate is not None
        rows.append(
            {
                "Ethnic group": _group_label(group),
                "Searches": _n(rate.denominator),
                label: count,
                "Rate": shown,
                f"{c} CI": interval,
                "Difference from White (points)": w.signed(diff.estimate * 100)
                if has_diff
                else DASH,
                f"{c} CI of the difference": w.ci_short(diff.lower, diff.upper, 1, 100)
                if has_diff
                else DASH,
                "p": fmt_p(diff.p_value) if has_diff else DASH,
                "Notes": flag_notes(rate.flags),
            }
        )
    return pd.DataFrame(rows)


def interval_frame(r, measure: str, groups=None, scale: float = 1.0) -> pd.DataFrame:
    """Chart rows: group, estimate, lower, upper (scaled), only figures with an interval."""
    rows = []
    for fig in r.figures:
        if fig.measure != measure or (groups is not None and fig.group not in groups):
            continue
        if fig.estimate is None or not fig.has_interval:
            continue
        rows.append(
            {
                "group": _group_label(fig.group),
                "estimate": fig.estimate * scale,
                "lower": fig.lower * scale,
                "upper": fig.upper * scale,
            }
        )
    return pd.DataFrame(rows, columns=["group", "estimate", "lower", "upper"])


def monthly_frame(r) -> pd.DataFrame:
    """The monthly SPC table with the month as a date, for the chart."""
    spc = r.spc.frame()
    spc["date"] = pd.to_datetime(spc["month"])
    return spc


def funnel_frames(funnel):
    return funnel.points.frame(), funnel.limits.frame()


# ----------------------------------------------------------------------------- audits


def audit_table(r) -> pd.DataFrame:
    """Audit figures: what, records, estimate, interval and whose it is."""
    rows = []
    for s in r.subjects:
        if s.as_published:
            records = (
                f"not published (about {w.whole(s.implied_n)} implied by the margin)"
                if s.implied_n is not None
                else "not published"
            )
            interval = (
                f"+/- {w.fixed(s.published_margin)} points (the inspectorate's, at 95%)"
                if s.published_margin is not None
                else "none published"
            )
        else:
            records = f"{w.whole(s.successes)} of {w.whole(s.n)}"
            interval = f"{w.ci_short(s.lower, s.upper, 1, 100, '%')} (ours, {w.conf(s.confidence)})"
        rows.append(
            {
                "Figure": s.label,
                "Records from": w.span_words(s.records_from, s.records_to) or DASH,
                "Records": records,
                "Estimate": w.pct(s.estimate, word=False),
                "Confidence interval": interval,
                "Notes": "small sample" if s.small_numbers else "",
            }
        )
    return pd.DataFrame(rows)


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
                    "Difference (points)": w.signed(c.estimate * 100),
                    f"{w.conf(c.confidence)} CI": w.ci_short(c.lower, c.upper, 1, 100),
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
                    "Difference (points)": DASH,
                    f"{w.conf(c.confidence)} CI": DASH,
                    "p": DASH,
                    "Verdict": "none given",
                    "Notes": reason,
                }
            )
    return pd.DataFrame(rows)


def beside_table(p) -> pd.DataFrame:
    rows = []
    for b in p.rows:
        pub = b.published
        ours = b.ours
        rows.append(
            {
                "Figure": w._PUBLISHED_WHAT[pub.measure]
                + ("" if pub.group in (ALL, "all") else f" ({pub.group})"),
                "Published": w.published_value(pub),
                "Their period": w.published_period(pub),
                "This report": w.our_value(ours) if ours is not None else DASH,
                "Our period": w.months_words(ours.coverage.present)
                if ours is not None and ours.coverage is not None
                else DASH,
                "Differences": ", ".join(b.differences) if b.differences else DASH,
            }
        )
    return pd.DataFrame(rows)


def outcome_rates_table(o) -> pd.DataFrame:
    c = w.conf(o.confidence)
    rows = []
    for row in o.rows:
        d = w.pct_digits(row.rate, row.rest_rate, row.lower, row.upper)
        mine, rest = w.pct(row.rate, d, word=False), w.pct(row.rest_rate, d, word=False)
        dd = max(1, w.pct_digits(row.difference, row.difference_lower, row.difference_upper)
                 if row.difference else 1)  # fmt: skip
        judged = "funnel plot (below)" if row.judged_by == "funnel" else (
            "higher" if row.significant and row.direction == "increase"
            else "lower" if row.significant else "not different")  # fmt: skip
        rows.append(
            {
                "Outcome type": row.label,
                "Force": mine,
                f"{c} CI": w.ci_short(row.lower, row.upper, d, 100, "%"),
                "Rest of England and Wales": rest,
                "Difference (points)": w.signed(row.difference * 100, dd),
                "p": fmt_p(row.p_value),
                "Judgement": judged,
            }
        )
    return pd.DataFrame(rows)


def published_outcomes_table(p) -> pd.DataFrame:
    c = w.conf(p.confidence)
    return pd.DataFrame(
        {
            "Outcome types": [r.outcome_types.replace(";", " and ") for r in p.rows],
            "Outcome": [r.outcome_label for r in p.rows],
            "Force (published)": [f"{w.fixed(r.force_percent)}%" for r in p.rows],
            f"{c} CI (implied count)": [w.ci_short(r.lower, r.upper, 2, 100, "%") for r in p.rows],
            "England and Wales (published)": [
                f"{w.fixed(r.england_wales_percent)}%" for r in p.rows
            ],
            "Force against England and Wales": [r.versus.replace("_", " ") for r in p.rows],
        }
    )


# ----------------------------------------------------------------------------- search detail


def share_table(r, measure: str, label: str, rate_measure: str | None = None,
                rate_label: str = "") -> pd.DataFrame:  # fmt: skip
    """Each category's share of searches with its interval (and, optionally, a rate per
    category from ``rate_measure``, e.g. the linked find rate by object)."""
    c = w.conf(r.confidence)
    rows = [f for f in r.figures if f.measure == measure]
    data = {
        label: [f.group for f in rows],
        "Searches": [_n(f.numerator) for f in rows],
        "Share": [_share(f.estimate) for f in rows],
        f"Share, {c} CI": [w.ci_short(f.lower, f.upper, 1, 100, "%") for f in rows],
    }
    if rate_measure:
        rates = {f.group: f for f in r.figures if f.measure == rate_measure}
        got = [rates.get(f.group) for f in rows]
        data[rate_label] = [_share(g.estimate) if g else DASH for g in got]
        data[f"{rate_label}, {c} CI"] = [
            w.ci_short(g.lower, g.upper, 1, 100, "%") if g else DASH for g in got
        ]
        notes = [
            flag_notes((*f.flags, *(g.flags if g else ()))) for f, g in zip(rows, got, strict=True)
        ]
    else:
        notes = [flag_notes(f.flags) for f in rows]
    data["Notes"] = notes
    return pd.DataFrame(data)


def adjusted_table(r) -> pd.DataFrame:
    c = w.conf(r.confidence)
    rows = list(r.adjusted)
    return pd.DataFrame(
        {
            "Ethnic group": [a.group for a in rows],
            "Searches": [_n(a.searches) for a in rows],
            "Odds ratio against White, crude": [_rate(a.crude) for a in rows],
            "Allowing for the object (Mantel-Haenszel)": [_rate(a.estimate) for a in rows],
            f"{c} CI": [w.ci_short(a.lower, a.upper, 2) for a in rows],
            "p": [fmt_p(a.p_value) for a in rows],
            "Same across objects? (Breslow-Day p)": [fmt_p(a.homogeneity_p_value) for a in rows],
        }
    )


def strip_table(r) -> pd.DataFrame:
    c = w.conf(r.confidence)
    share = {f.group: f for f in r.figures if f.measure == "strip_search_share"}
    found = {f.group: f for f in r.figures if f.measure == "strip_search_linked_find_rate"}
    order = [g for g in [*GROUPS, ALL] if g in share]
    return pd.DataFrame(
        {
            "Ethnic group": [_group_label(g) for g in order],
            "Searches recording the field": [_n(share[g].denominator) for g in order],
            "Strip searches": [_n(share[g].numerator) for g in order],
            "Share": [_share(share[g].estimate) for g in order],
            f"Share, {c} CI": [
                w.ci_short(share[g].lower, share[g].upper, 1, 100, "%") for g in order
            ],  # fmt: skip
            "Linked find rate of strip searches": [
                _share(found[g].estimate) if g in found else DASH for g in order
            ],
            f"Linked find rate, {c} CI": [
                w.ci_short(found[g].lower, found[g].upper, 1, 100, "%") if g in found else DASH
                for g in order
            ],
            "Notes": [flag_notes(share[g].flags) for g in order],
        }
    )


def strip_age_table(r) -> pd.DataFrame:
    c = w.conf(r.confidence)
    rows = [f for f in r.figures if f.measure == "strip_search_share_by_age"]
    return pd.DataFrame(
        {
            "Age range": [f.group for f in rows],
            "Searches recording the field": [_n(f.denominator) for f in rows],
            "Strip searches": [_n(f.numerator) for f in rows],
            "Share": [_share(f.estimate) for f in rows],
            f"{c} CI": [w.ci_short(f.lower, f.upper, 1, 100, "%") for f in rows],
            "Notes": [flag_notes(f.flags) for f in rows],
        }
    )


def share_frame(r, measure: str) -> pd.DataFrame:
    """Chart data: share per category with its interval, in percent."""
    rows = [f for f in r.figures if f.measure == measure and f.estimate is not None]
    return pd.DataFrame(
        {
            "group": [f.group for f in rows],
            "estimate": [f.estimate * 100 for f in rows],
            "lower": [f.lower * 100 for f in rows],
            "upper": [f.upper * 100 for f in rows],
        }
    )


# ----------------------------------------------------------------------------- quarters


def quarters_table(q) -> pd.DataFrame:
    c = w.conf(q.confidence)
    by = {}
    for f in q.figures:
        by.setdefault(f.group, {})[f.measure] = f
    rows = []
    for label in q.quarters:
        figs = by.get(label, {})
        n = figs.get("searches_in_quarter")
        ratio = figs.get("search_rate_ratio_vs_white_in_quarter")
        find = figs.get("linked_find_rate_in_quarter")
        arrest = figs.get("arrest_rate_in_quarter")
        cov = n.coverage if n is not None else None
        notes = set()
        for f in (n, ratio, find, arrest):
            if f is not None:
                notes.update(f.flags)
        rows.append(
            {
                "Quarter": label,
                "Months with data": f"{len(cov.present)} of 3" if cov else DASH,
                "Searches": _n(n.estimate) if n is not None else DASH,
                "Black/White ratio": _rate(ratio.estimate) if ratio else DASH,
                f"Ratio, {c} CI": w.ci_short(ratio.lower, ratio.upper, 2) if ratio else DASH,
                "Linked find rate": _share(find.estimate) if find else DASH,
                f"Find rate, {c} CI": w.ci_short(find.lower, find.upper, 1, 100, "%")
                if find else DASH,
                "Arrest rate": _share(arrest.estimate) if arrest else DASH,
                f"Arrest rate, {c} CI": w.ci_short(arrest.lower, arrest.upper, 1, 100, "%")
                if arrest else DASH,
                "Notes": flag_notes(sorted(notes)),
            }
        )  # fmt: skip
    return pd.DataFrame(rows)


def quarters_ratio_frame(q) -> pd.DataFrame:
    rows = [f for f in q.figures if f.measure == "search_rate_ratio_vs_white_in_quarter"
            and f.estimate is not None and f.lower is not None]  # fmt: skip
    return pd.DataFrame(
        {
            "group": [f.group for f in rows],
            "estimate": [f.estimate for f in rows],
            "lower": [f.lower for f in rows],
            "upper": [f.upper for f in rows],
        }
    )


# ----------------------------------------------------------------------------- chart data


def spc_data_table(spc: pd.DataFrame) -> pd.DataFrame:
    """The numbers behind the XmR chart, one row per month."""
    return pd.DataFrame(
        {
            "Month": [month_name(m) for m in spc["month"]],
            "Searches": [_n(v) if pd.notna(v) else "no data" for v in spc["value"]],
            "Centre line": [_rate(v, 1) if pd.notna(v) else DASH for v in spc["centre"]],
            "Lower limit": [_rate(v, 1) if pd.notna(v) else DASH for v in spc["lower"]],
            "Upper limit": [_rate(v, 1) if pd.notna(v) else DASH for v in spc["upper"]],
            "Special cause": ["yes" if s else "no" for s in spc["special_cause"]],
        }
    )


def funnel_data_table(funnel, x_title: str, y_title: str) -> pd.DataFrame:
    """The numbers behind a funnel plot: each force's value and size."""
    points = funnel.points.frame().sort_values("denominator")
    percent = funnel.kind == "proportion"
    return pd.DataFrame(
        {
            "Force": [_force_name(f) for f in points["force"]],
            w.capitalise(x_title): [
                w.fixed(v, 0 if float(v).is_integer() else 1) for v in points["denominator"]
            ],
            w.capitalise(y_title): [
                w.pct(v, word=False) if percent else w.fixed(v, 2) for v in points["value"]
            ],
        }
    )


def _force_name(force: str) -> str:
    from peelstats.data.forces import get_force

    try:
        return get_force(force).name
    except Exception:  # an id outside the force list: shown as it is
        return str(force)
