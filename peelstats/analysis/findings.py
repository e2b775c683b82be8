"""Key findings: plain-English sentences generated from estimate tables.

Written in the inspectorate's register ("We estimate ... (with a confidence interval of +/- ...
percent)", "This is a statistically significant deterioration ..."). A sentence never claims a
significance the test did not find, and always names the period, the population base and the
method; caveats travel with the figures they qualify.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

ARTICLE_GROUP = {
    "Asian": "Asian people",
    "Black": "Black people",
    "Mixed": "people of Mixed ethnicity",
    "White": "White people",
    "Other": "people of Other ethnicity",
    "Unknown": "people whose ethnicity was not recorded",
    "all": "all people",
}


def pct(p: float, digits: int = 1) -> str:
    """0.7717 -> '77.2 percent'."""
    return f"{p * 100:.{digits}f} percent"


def ci_pct(lower: float, upper: float, confidence: float, digits: int = 1) -> str:
    low, high = f"{lower * 100:.{digits}f}", f"{upper * 100:.{digits}f}"
    return f"{confidence:.0%} confidence interval {low} to {high} percent"


def _num(value: float, digits: int) -> str:
    text = f"{value:.{digits}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text  # no "-0.0"


def ci_plain(lower: float, upper: float, confidence: float, digits: int = 1) -> str:
    return f"{confidence:.0%} CI {_num(lower, digits)} to {_num(upper, digits)}"


def hmicfrs_margin(estimate: float, lower: float, upper: float) -> str:
    """'+/- 5.0 percent' style margin: the larger of the two sides, so it never understates."""
    return f"+/- {max(estimate - lower, upper - estimate) * 100:.1f} percent"


def _row(table: pd.DataFrame, measure: str, group: str):
    hit = table[(table["measure"] == measure) & (table["group"] == group)]
    return None if hit.empty else hit.iloc[0]


def _significant(row) -> bool:
    return bool(
        row is not None and not np.isnan(row["p_value"]) and (row["lower"] > 0 or row["upper"] < 0)
    )


def stop_search_findings(
    table: pd.DataFrame,
    *,
    force_name: str,
    period_words: str,
    previous_words: str,
    definition_words: str,
    caveats: list[str],
    unknown_share: float,
    trend=None,
    funnel_position: str | None = None,
) -> list[str]:
    """Sentences for the stop-and-search notebook, from its estimates table."""
    out: list[str] = []
    total = _row(table, "searches", "all")
    change = _row(table, "searches_change_vs_previous_year_percent", "all")
    if total is not None:
        count = f"{int(total['estimate']):,}"
        sentence = f"In {period_words}, {force_name} carried out {count} stop and searches."
        if change is not None:
            direction = "an increase" if change["estimate"] > 0 else "a reduction"
            ci = ci_plain(change["lower"], change["upper"], change["confidence"])
            verdict = (
                "This is a statistically significant "
                + ("increase." if change["estimate"] > 0 else "reduction.")
                if change["lower"] > 0 or change["upper"] < 0
                else "This is not a statistically significant change."
            )
            months = (
                " (over the months published in both years)"
                if "matched_months_only" in change["flags"]
                else ""
            )
            sentence += (
                f" This was {direction} of {abs(change['estimate']):.1f} percent ({ci} percent; "
                f"exact Poisson rate ratio) compared with {previous_words}{months}. {verdict}"
            )
        out.append(sentence)
    for group in ("Black", "Asian", "Mixed", "Other"):
        ratio = _row(table, "search_rate_ratio_vs_white", group)
        if ratio is None or np.isnan(ratio["estimate"]):
            continue
        who = ARTICLE_GROUP[group]
        ci = ci_plain(ratio["lower"], ratio["upper"], ratio["confidence"])
        if ratio["numerator"] == 0:
            out.append(
                f"No stop and searches of {who} ({definition_words} ethnicity) were recorded in "
                f"{period_words}, so no ratio can be given; this may reflect how ethnicity was "
                "recorded rather than who was searched."
            )
        elif ratio["lower"] > 1:
            out.append(
                f"Based on Census 2021 populations and {definition_words} ethnicity, {who} were "
                f"{ratio['estimate']:.1f} times ({ci}) as likely as White people to be stopped "
                f"and searched in {period_words}. This difference is statistically significant."
            )
        elif ratio["upper"] < 1:
            out.append(
                f"Based on Census 2021 populations and {definition_words} ethnicity, {who} were "
                f"{ratio['estimate']:.1f} times ({ci}) as likely as White people to be stopped "
                f"and searched in {period_words}: statistically significantly less likely."
            )
        else:
            out.append(
                f"Based on Census 2021 populations and {definition_words} ethnicity, the rate of "
                f"stop and search of {who} was {ratio['estimate']:.1f} times that of White people "
                f"({ci}) in {period_words}; the data cannot show a difference from White people "
                "(not statistically significant)."
                + (" The numbers are small." if "small_numbers" in ratio["flags"] else "")
            )
    find = _row(table, "linked_find_rate", "all")
    if find is not None and not np.isnan(find["estimate"]):
        bound = "linked_lower_bound" in str(find["flags"])
        out.append(
            f"Officers found the object they were looking for (a linked find) in "
            f"{'at least ' if bound else ''}{pct(find['estimate'])} of searches "
            f"({ci_pct(find['lower'], find['upper'], find['confidence'])}; Wilson score interval)"
            + (" — a lower bound, because the linked field was often left blank." if bound else ".")
        )
        for group in ("Black", "Asian", "Mixed", "Other"):
            diff = _row(table, "linked_find_rate_difference_vs_white", group)
            rate = _row(table, "linked_find_rate", group)
            white = _row(table, "linked_find_rate", "White")
            if diff is None or rate is None or white is None or np.isnan(diff["estimate"]):
                continue
            words = (
                f"The linked find rate for searches of {ARTICLE_GROUP[group]} was "
                f"{pct(rate['estimate'])} against {pct(white['estimate'])} "
                f"for White people (difference {diff['estimate'] * 100:+.1f} percentage points, "
                f"{diff['confidence']:.0%} CI {diff['lower'] * 100:+.1f} to "
                f"{diff['upper'] * 100:+.1f}; Newcombe interval)"
            )
            if diff["lower"] > 0 or diff["upper"] < 0:
                words += ": a statistically significant difference."
            else:
                words += ": not a statistically significant difference."
            if "small_numbers" in diff["flags"]:
                words += " The numbers are small, so the interval is wide."
            out.append(words)
    if trend is not None:
        out.append(trend)
    if funnel_position:
        out.append(funnel_position)
    withheld = "ethnicity_not_recorded" in " ".join(table["flags"].astype(str))
    if unknown_share > 0 and not withheld:
        out.append(
            f"{definition_words.capitalize()} ethnicity was not recorded for {pct(unknown_share)} "
            "of searches; these count in the total but in no ethnic group's rate, so group rates "
            "may be understated."
        )
    out.extend(caveats)
    return out


def trend_sentence(poisson, kendall, months_words: str) -> str:
    """The monthly trend in plain words (Poisson regression, with Mann-Kendall beside it)."""
    ci = ci_plain(poisson.lower, poisson.upper, poisson.confidence)
    agree = kendall.significant == poisson.significant
    if not poisson.significant:
        verdict = "there is no statistically significant trend"
    else:
        verdict = (
            f"a statistically significant {'increase' if poisson.estimate > 0 else 'decrease'}"
        )
    return (
        f"Over {months_words}, monthly searches changed by {poisson.estimate:+.1f} percent a "
        f"month ({ci} percent; quasi-Poisson regression): {verdict}. The Mann-Kendall test "
        f"{'agrees' if agree else 'disagrees'} (p = {kendall.pvalue:.3f})."
    )


def audit_sentence(
    subject: str, estimate: float, lower: float, upper: float, period: str, method: str
) -> str:
    """'We estimate that 77.2 percent (with a confidence interval of +/- 5.0 percent) of ...'."""
    return (
        f"We estimate that {pct(estimate)} (with a confidence interval of "
        f"{hmicfrs_margin(estimate, lower, upper)}; {lower * 100:.1f} to {upper * 100:.1f} "
        f"percent, {method}) of {subject} {period}."
    )


def change_sentence(comparison, earlier_words: str, earlier_percent: float) -> str:
    """'This is a statistically significant deterioration compared with ...'."""
    ci = (
        f"difference {comparison.estimate * 100:+.1f} percentage points, "
        f"{comparison.confidence:.0%} CI {comparison.lower * 100:+.1f} to "
        f"{comparison.upper * 100:+.1f}; Newcombe interval, score test p = {comparison.pvalue:.3f}"
    )
    if comparison.verdict == "no_change":
        return (
            f"This is not a statistically significant change compared with {earlier_words}, "
            f"when the figure was {earlier_percent:.1f} percent ({ci})."
        )
    return (
        f"This is a statistically significant {comparison.verdict} compared with {earlier_words}, "
        "when the figure was "
        f"{earlier_percent:.1f} percent ({ci})."
    )


def _month_range(first: str, last: str) -> str:
    """'2022-01', '2022-12' -> 'January to December 2022'."""
    import pandas as pd

    a, b = pd.Period(first, freq="M"), pd.Period(last, freq="M")
    if a.year == b.year:
        return f"{a.strftime('%B')} to {b.strftime('%B %Y')}"
    return f"{a.strftime('%B %Y')} to {b.strftime('%B %Y')}"


def reasonable_grounds_findings(rows, facts: dict, confidence: float) -> list[str]:
    """Key findings of a stop-and-search record audit, in the inspectorate's register."""
    from peelstats import stats

    out = []
    for fig, (_, row) in zip(facts["figures"], rows.iterrows(), strict=True):
        if not fig.from_counts:
            continue
        ci = stats.proportion_ci(fig.successes, fig.n, method="wilson", confidence=confidence)
        who = (
            "stop and searches"
            if row["group"] == "all"
            else (f"stop and searches of {row['group']} people")
        )
        sentence = audit_sentence(
            f"{who} sampled ({int(fig.successes)} of {int(fig.n)} records)", ci.estimate,
            ci.lower, ci.upper,
            f"from {_month_range(row['records_from'], row['records_to'])} had reasonable grounds "
            "recorded", "Wilson score interval",
        )  # fmt: skip
        if not np.isnan(fig.published_margin):
            sentence += (
                f" The inspectorate published {fig.published_percent:.1f} percent +/- "
                f"{fig.published_margin:.1f} percent; docs/methods.md shows which interval "
                "readings reproduce that margin."
            )
        out.append(sentence)
        if fig.n < 30:
            out.append(
                f"Caution: the figure for {who} rests on only {int(fig.n)} records, so its "
                "interval is wide."
            )
    if "comparison" in facts:
        before = facts["before"]
        out.append(
            change_sentence(facts["comparison"], "the previous audit", before.proportion * 100)
        )
        if "range" in facts:
            out.append(
                f"The previous audit's sample size was not published; the change is statistically "
                f"significant for any previous sample of {facts['range']['significant_from']} "
                "records or more, so this conclusion does not depend on it."
            )
    return out


def integrity_findings(facts: list[dict], confidence: float = 0.95) -> list[str]:
    """Key findings of a crime data integrity audit (counts where published, else the published
    figure and margin)."""
    from peelstats import stats

    out = []
    for fact in facts:
        now = fact["now"]
        subject = (
            "all reported crime" if fact["category"].startswith("all crime") else fact["category"]
        )
        if now.from_counts:
            ci = stats.proportion_ci(now.successes, now.n, method="wilson", confidence=confidence)
            out.append(audit_sentence(
                f"{subject} ({int(now.successes)} of {int(now.n)} crimes sampled)", ci.estimate,
                ci.lower, ci.upper, "were recorded", "Wilson score interval",
            ))  # fmt: skip
        elif np.isnan(now.n):
            out.append(
                f"{now.published_percent:.1f} percent of {subject} were recorded (as published; "
                "no sample size or margin was published, so no interval can be given)."
            )
        else:
            p, h = now.published_percent / 100, now.published_margin / 100
            out.append(audit_sentence(
                subject, p, p - h, p + h, "were recorded",
                f"as published; about {int(now.n)} crimes sampled, implied",
            ))  # fmt: skip
        if "comparison" in fact:
            text = change_sentence(fact["comparison"], "the previous audit",
                                   fact["before"].proportion * 100)  # fmt: skip
            if fact.get("assumed"):
                text += " (The previous audit's sample size was not published and is assumed "
                text += "equal to the latest one's.)"
            out.append(text)
    return out
