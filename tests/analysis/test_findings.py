"""Key-findings sentences never claim a significance the interval does not show, and always name
the period, the population base and the method."""

from __future__ import annotations

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from peelstats import stats
from peelstats.analysis import findings


def _table(ratio_lower, ratio_upper, change_lower, change_upper):
    rows = [
        ("searches", "all", 1000, 1000, 1000, ""),
        ("searches_change_vs_previous_year_percent", "all",
         (change_lower + change_upper) / 2, change_lower, change_upper, ""),
        ("search_rate_ratio_vs_white", "Black",
         (ratio_lower + ratio_upper) / 2, ratio_lower, ratio_upper, ""),
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["measure", "group", "estimate", "lower", "upper", "flags"])
    frame["confidence"] = 0.95
    frame["p_value"] = 0.5
    frame["numerator"] = 50
    return frame


def _sentences(table):
    return findings.stop_search_findings(
        table, force_name="Durham", period_words="the year ending 30 September 2021",
        previous_words="the year ending 30 September 2020", definition_words="self-defined",
        caveats=[], unknown_share=0.0,
    )  # fmt: skip


interval = st.tuples(
    st.floats(0.05, 20, allow_nan=False), st.floats(0.05, 20, allow_nan=False)
).map(sorted)
change = st.tuples(st.floats(-60, 60), st.floats(-60, 60)).map(sorted)


@given(interval, change)
def test_significance_is_claimed_exactly_when_the_interval_excludes_no_difference(ratio, delta):
    text = " ".join(_sentences(_table(ratio[0], ratio[1], delta[0], delta[1])))
    ratio_sentence = next(s for s in _sentences(_table(*ratio, *delta)) if "Black people" in s)
    ratio_significant = ratio[0] > 1 or ratio[1] < 1
    assert ("not statistically significant" in ratio_sentence) == (not ratio_significant)
    change_significant = delta[0] > 0 or delta[1] < 0
    assert ("This is not a statistically significant change" in text) == (not change_significant)
    # period, population base and method are always named
    assert "the year ending 30 September 2021" in ratio_sentence
    assert "Census 2021" in ratio_sentence and "CI" in ratio_sentence


def test_audit_sentence_in_the_inspectorate_register():
    ci = stats.proportion_ci(196, 254)
    text = findings.audit_sentence(
        "stop and searches sampled",
        ci.estimate,
        ci.lower,
        ci.upper,
        "had reasonable grounds",
        "Wilson score interval",
    )
    assert text.startswith("We estimate that 77.2 percent (with a confidence interval of +/- ")
    assert "Wilson score interval" in text


def test_change_sentence_follows_the_verdict():
    worse = stats.compare_proportions(115, 129, 196, 254)
    assert findings.change_sentence(worse, "the previous audit", 89.5).startswith(
        "This is a statistically significant deterioration compared with the previous audit"
    )
    same = stats.compare_proportions(120, 129, 118, 127)
    assert findings.change_sentence(same, "the previous audit", 93.0).startswith(
        "This is not a statistically significant change"
    )
