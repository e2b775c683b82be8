"""Stop-and-search estimates on small, readable synthetic tables (expected values by hand)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from peelstats.analysis import stop_search as ss
from peelstats.analysis.periods import parse_period

PERIOD = parse_period("2021Q3")  # 2020-10 .. 2021-09, previous 2019-10 .. 2020-09
ALL_MONTHS = [*PERIOD.previous_months, *PERIOD.months]
POP = {"Asian": 10_000, "Black": 2_000, "Mixed": 5_000, "White": 600_000, "Other": 3_000}


def make_data(rows_per_month, months=ALL_MONTHS, missing=(), doubled=()):
    """rows_per_month: list of (ethnicity, outcome_class, linked_find, linked_recorded, n)."""
    records = [
        {"force": "durham", "month": m, "ethnicity_self": eth, "ethnicity_officer": eth,
         "outcome_class": outcome, "linked_find": linked, "linked_recorded": recorded,
         "object_of_search": "Controlled drugs", "legislation_group": "PACE s1", "searches": n}
        for m in months if m not in missing
        for eth, outcome, linked, recorded, n in rows_per_month
    ]  # fmt: skip
    coverage = pd.DataFrame(
        {"force": "durham", "month": months, "file_present": [m not in missing for m in months],
         "missing": [m in missing for m in months], "doubled": [m in doubled for m in months]}
    )  # fmt: skip
    pops = pd.DataFrame(
        [{"pfa_code": "E23000008", "force": "durham", "force_name": "Durham", "group": g,
          "population": n} for g, n in [*POP.items(), ("all", sum(POP.values()) + 1000)]]
    )  # fmt: skip
    return ss.StopSearchData(pd.DataFrame(records), pops, coverage)


BASIC = [
    ("White", "no_further_action", False, True, 40),
    ("White", "arrest", True, True, 10),
    ("Black", "no_further_action", False, True, 3),
    ("Black", "arrest", False, True, 1),
    ("Unknown", "no_further_action", False, True, 5),
]


def pick(table, measure, group):
    return table[(table["measure"] == measure) & (table["group"] == group)].iloc[0]


def test_rates_and_ratio_by_hand():
    table = ss.estimates(make_data(BASIC), "durham", PERIOD)
    white, black = 50 * 12, 4 * 12
    assert pick(table, "searches", "all")["estimate"] == (50 + 4 + 5) * 12
    rate = pick(table, "search_rate_per_1000", "Black")
    assert rate["estimate"] == pytest.approx(black / 2000 * 1000)
    ratio = pick(table, "search_rate_ratio_vs_white", "Black")
    assert ratio["estimate"] == pytest.approx((black / 2000) / (white / 600_000))
    ci = sps.binomtest(black, black + white).proportion_ci(0.95, method="exact")
    assert ratio["lower"] == pytest.approx(ci.low / (1 - ci.low) * 300, rel=1e-6)
    find = pick(table, "linked_find_rate", "White")
    assert (find["numerator"], find["denominator"]) == (120, 600)
    change = pick(table, "searches_change_vs_previous_year_percent", "all")
    assert change["estimate"] == pytest.approx(0.0) and change["lower"] < 0 < change["upper"]


def test_mostly_unknown_ethnicity_withholds_group_figures_but_keeps_counts():
    rows = [*BASIC, ("Unknown", "no_further_action", False, True, 200)]
    table = ss.estimates(make_data(rows), "durham", PERIOD)
    ratio = pick(table, "search_rate_ratio_vs_white", "Black")
    assert np.isnan(ratio["estimate"]) and "ethnicity_not_recorded" in ratio["flags"]
    assert np.isnan(pick(table, "linked_find_rate", "White")["estimate"])
    assert pick(table, "searches", "Black")["estimate"] == 48  # the count stays
    assert not np.isnan(pick(table, "search_rate_per_1000", "all")["estimate"])


@pytest.mark.parametrize(
    "blank, status",
    [(0, "recorded"), (1, "lower_bound"), (30, "not_recorded")],
)
def test_linked_field_blank_among_actions(blank, status):
    rows = [*BASIC, ("White", "arrest", False, False, blank)] if blank else BASIC
    data = make_data(rows)
    counts = ss.group_counts(data, "durham", PERIOD.months, "self")
    assert ss.linked_recording(counts).status == status
    find = pick(ss.estimates(data, "durham", PERIOD), "linked_find_rate", "all")
    if status == "not_recorded":
        assert np.isnan(find["estimate"]) and "linked_not_recorded" in find["flags"]
    elif status == "lower_bound":
        assert "linked_lower_bound" in find["flags"] and not np.isnan(find["estimate"])
    else:
        assert "linked" not in find["flags"]


def test_missing_months_are_caveated_and_change_uses_matched_months():
    data = make_data(BASIC, missing=("2021-08", "2021-09"))
    coverage = ss.coverage_for(data, "durham", PERIOD.months)
    assert coverage.missing == ("2021-08", "2021-09")
    assert "2 of the 12 months" in coverage.caveats[0]
    table = ss.estimates(data, "durham", PERIOD)
    assert "incomplete_period" in pick(table, "searches", "all")["flags"]
    change = pick(table, "searches_change_vs_previous_year_percent", "all")
    assert change["numerator"] == change["denominator"] == 59 * 10  # 10 matched months each
    assert "matched_months_only" in change["flags"]


def test_repaired_months_are_flagged():
    table = ss.estimates(make_data(BASIC, doubled=("2021-01",)), "durham", PERIOD)
    assert "repaired_months" in pick(table, "search_rate_per_1000", "all")["flags"]
