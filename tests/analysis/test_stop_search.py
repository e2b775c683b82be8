"""Stop-and-search results on small, readable synthetic tables (expected values by hand)."""

from __future__ import annotations

import pandas as pd
import pytest
from scipy import stats as sps

from peelstats.analysis import params as params_module
from peelstats.analysis import stop_search as ss
from peelstats.analysis.funnels import SUMMARY_COLUMNS, all_forces_summary, funnels, read_all_forces
from peelstats.analysis.results import dumps, loads
from peelstats.analysis.searches import SearchData, officer_groups_not_used
from peelstats.vocabulary import parse_period

PERIOD = parse_period("2021Q3")  # 2020-10 .. 2021-09, previous 2019-10 .. 2020-09
ALL_MONTHS = [*PERIOD.previous_months, *PERIOD.months]
POP = {"Asian": 10_000, "Black": 2_000, "Mixed": 5_000, "White": 600_000, "Other": 3_000}


def make_data(rows_per_month, months=ALL_MONTHS, missing=(), doubled=(), force="durham",
              population=True):  # fmt: skip
    """rows_per_month: list of (ethnicity, outcome_class, linked_find, linked_recorded, n)."""
    records = [
        {"force": force, "month": m, "ethnicity_self": eth, "ethnicity_officer": eth,
         "outcome_class": outcome, "linked_find": linked, "linked_recorded": recorded,
         "object_of_search": "Controlled drugs", "legislation_group": "PACE s1", "searches": n}
        for m in months if m not in missing
        for eth, outcome, linked, recorded, n in rows_per_month
    ]  # fmt: skip
    coverage = pd.DataFrame(
        {"force": force, "month": months, "file_present": [m not in missing for m in months],
         "missing": [m in missing for m in months], "doubled": [m in doubled for m in months]}
    )  # fmt: skip
    pops = pd.DataFrame(
        [{"pfa_code": "E23000008", "force": force, "force_name": force, "group": g,
          "population": n} for g, n in [*POP.items(), ("all", sum(POP.values()) + 1000)]]
        if population else [],
        columns=["pfa_code", "force", "force_name", "group", "population"],
    )  # fmt: skip
    return SearchData(pd.DataFrame(records), pops, coverage)


BASIC = [
    ("White", "no_further_action", False, True, 40),
    ("White", "arrest", True, True, 10),
    ("Black", "no_further_action", False, True, 3),
    ("Black", "arrest", False, True, 1),
    ("Unknown", "no_further_action", False, True, 5),
]


def params(force="durham", definition="self", confidence=0.95):
    return params_module.validate(force, "2021Q3", definition, confidence, "svg", "default")


def build(data, **kw):
    return ss.build(data, params(**kw))


def test_rates_and_ratio_by_hand():
    r = build(make_data(BASIC))
    white, black = 50 * 12, 4 * 12
    assert r.figure("searches").estimate == (50 + 4 + 5) * 12
    assert r.figure("search_rate_per_1000", "Black").estimate == pytest.approx(black / 2000 * 1000)
    ratio = r.figure("search_rate_ratio_vs_white", "Black")
    assert ratio.estimate == pytest.approx((black / 2000) / (white / 600_000))
    ci = sps.binomtest(black, black + white).proportion_ci(0.95, method="exact")
    assert ratio.lower == pytest.approx(ci.low / (1 - ci.low) * 300, rel=1e-6)
    assert ratio.significant is (ratio.lower > 1 or ratio.upper < 1)
    find = r.figure("linked_find_rate", "White")
    assert (find.numerator, find.denominator) == (120, 600)
    change = r.figure("searches_change_vs_previous_year_percent")
    assert change.estimate == pytest.approx(0.0) and change.lower < 0 < change.upper
    assert change.significant is False and change.direction == "none"


def test_result_round_trips_through_json():
    r = build(make_data(BASIC, missing=("2021-08",)))
    again = loads(dumps(r))
    assert again == r
    assert dumps(again) == dumps(r)


def test_mostly_unknown_ethnicity_withholds_group_figures_but_keeps_counts():
    rows = [*BASIC, ("Unknown", "no_further_action", False, True, 200)]
    r = build(make_data(rows))
    ratio = r.figure("search_rate_ratio_vs_white", "Black")
    assert ratio.estimate is None and "ethnicity_not_recorded" in ratio.flags
    assert r.figure("linked_find_rate", "White").estimate is None
    assert r.figure("searches", "Black").estimate == 48  # the count stays
    assert r.figure("search_rate_per_1000", "all").estimate is not None
    assert "ethnicity_not_recorded" in {c.code for c in r.caveats}


@pytest.mark.parametrize(
    "blank, status", [(0, "recorded"), (1, "lower_bound"), (30, "not_recorded")]
)
def test_linked_field_blank_among_actions(blank, status):
    rows = [*BASIC, ("White", "arrest", False, False, blank)] if blank else BASIC
    r = build(make_data(rows))
    assert r.linked.status == status
    find = r.figure("linked_find_rate", "all")
    if status == "not_recorded":
        # a blank field is not a zero: no rate, and the count is marked not recorded
        assert find.estimate is None and "linked_not_recorded" in find.flags
        assert "not_recorded" in find.flags
    elif status == "lower_bound":
        assert "linked_lower_bound" in find.flags and find.estimate is not None
    else:
        assert not any(f.startswith("linked") for f in find.flags)


def test_missing_months_are_coverage_and_change_uses_matched_months():
    r = build(make_data(BASIC, missing=("2021-08", "2021-09")))
    assert r.coverage.missing == ("2021-08", "2021-09")
    assert len(r.coverage.present) == 10
    total = r.figure("searches")
    assert "incomplete_period" in total.flags and total.coverage == r.coverage
    assert "part_year" in r.figure("search_rate_per_1000").flags  # not annualised
    change = r.figure("searches_change_vs_previous_year_percent")
    assert change.numerator == change.denominator == 59 * 10  # 10 matched months each
    assert "matched_months_only" in change.flags and len(change.coverage.present) == 10
    assert "months_missing" in {c.code for c in r.caveats}


def test_trend_keeps_the_place_of_a_missing_month():
    r = build(make_data(BASIC, missing=("2020-06",)))
    assert len(r.trend.coverage.present) == 23 and r.trend.coverage.missing == ("2020-06",)
    series = r.monthly.frame()
    assert list(series["position"])[7:10] == [7, 9, 10]  # the gap keeps its place


def test_repaired_months_are_flagged():
    r = build(make_data(BASIC, doubled=("2021-01",)))
    assert "repaired_months" in r.figure("search_rate_per_1000", "all").flags


def test_no_records_in_the_period_is_no_data_not_zeros():
    r = build(make_data(BASIC, months=PERIOD.previous_months))
    assert r.status == "no_data" and r.figures == ()
    assert [c.code for c in r.caveats] == ["no_data"]


def test_no_resident_population_gives_counts_and_no_rates():
    r = build(make_data(BASIC, force="btp", population=False), force="btp")
    assert r.population_base == "none"
    assert r.figure("search_rate_per_1000") is None
    assert r.figure("search_rate_ratio_vs_white", "Black") is None
    assert r.figure("searches").estimate == 59 * 12
    assert r.funnels == ()
    assert "no_resident_population" in {c.code for c in r.caveats}


def test_residents_who_are_not_the_people_policed_withhold_rates():
    r = build(make_data(BASIC, force="city-of-london"), force="city-of-london")
    assert r.population_base == "unrepresentative"
    assert r.figure("search_rate_per_1000") is None
    # the same rule catches an implausible rate anywhere: 2,000 a month in 625,000 residents
    heavy = [*BASIC, ("White", "no_further_action", False, True, 6000)]
    assert build(make_data(heavy)).population_base == "unrepresentative"


def test_officer_defined_ethnicity_is_caveated_against_census_populations():
    r = build(make_data(BASIC), definition="officer")
    assert "officer_defined_vs_census" in {c.code for c in r.caveats}
    assert "officer_defined_vs_census" in r.figure("search_rate_ratio_vs_white", "Black").flags


def test_an_officer_defined_category_the_force_never_uses_is_not_compared():
    """Mixed searched (self-defined) but never recorded as officer-defined Mixed: with officer-
    defined ethnicity its zero is how the force records, so Mixed figures are withheld with a
    caveat; with self-defined ethnicity they stay; Black (recorded both ways) is untouched."""
    data = make_data(BASIC + [("Mixed", "no_further_action", False, True, 2)])
    rows = data.searches
    rows.loc[rows["ethnicity_self"] == "Mixed", "ethnicity_officer"] = "White"
    officer = ss.build(data, params(definition="officer"))
    assert officer_groups_not_used(data, "durham") == ("Mixed",)
    caveat = [c for c in officer.caveats if c.code == "officer_group_not_used"]
    assert caveat and caveat[0].params["groups"] == ["Mixed"]
    for measure in ("search_rate_per_1000", "search_rate_ratio_vs_white", "arrest_rate"):
        mixed = officer.figure(measure, "Mixed")
        assert mixed.estimate is None and "officer_group_not_used" in mixed.flags
        assert officer.figure(measure, "Black").estimate is not None
    self_defined = ss.build(data, params(definition="self"))
    assert self_defined.figure("search_rate_ratio_vs_white", "Mixed").estimate is not None
    assert "officer_group_not_used" not in {c.code for c in self_defined.caveats}


def test_confidence_travels_with_every_figure():
    r = build(make_data(BASIC), confidence=0.99)
    assert {f.confidence for f in r.figures} == {0.99}
    assert r.trend.confidence == 0.99


def test_empty_all_forces_table_reads_back(tmp_path):
    empty = all_forces_summary(make_data(BASIC, missing=("2021-01",)), PERIOD)
    assert empty.empty and list(empty.columns) == SUMMARY_COLUMNS
    empty.to_csv(tmp_path / "all.csv", index=False)
    again = read_all_forces(tmp_path / "all.csv")
    assert again.empty and list(again.columns) == SUMMARY_COLUMNS


def _summary(rows):
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)


def test_a_force_off_a_funnel_gets_its_own_reason():
    """A force absent from the compared forces (an incomplete year) is 'incomplete' on every
    funnel; one compared but left out of one measure gets that measure's reason."""
    rows = [
        [f"f{i}", 1000 + 50 * i, 100 + i, 90, 100_000 + 5000 * i, 40 + i, 800, 5000, 90_000,
         "recorded", "recorded"]
        for i in range(5)
    ]  # fmt: skip
    rows.append(["nowhite", 900, 90, 80, 110_000, 30, 0, 4000, 95_000, "not_recorded",
                 "recorded"])  # fmt: skip
    # ethnicity mostly unrecorded: a wild ratio that must neither be placed nor move the funnel
    rows.append(["unrecorded", 900, 90, 80, 110_000, 300, 5, 4000, 95_000, "recorded",
                 "not_recorded"])  # fmt: skip
    summary = _summary(rows)
    absent = {f.measure: f.absent for f in funnels(summary, "incomplete-force")}
    assert absent == dict.fromkeys(
        ["search_rate_per_1000", "linked_find_rate", "black_white_ratio"], "incomplete"
    )
    mine = {f.measure: (f.position is not None, f.absent) for f in funnels(summary, "nowhite")}
    assert mine == {
        "search_rate_per_1000": (True, None),
        "linked_find_rate": (False, "linked_not_recorded"),
        "black_white_ratio": (False, "no_population"),
    }
    ratio = {f.measure: f for f in funnels(summary, "unrecorded")}["black_white_ratio"]
    assert (ratio.position, ratio.absent) == (None, "ethnicity_not_recorded")
    assert ratio.units == 5 and set(ratio.excluded) == {"nowhite", "unrecorded"}
    assert "unrecorded" not in {row[0] for row in ratio.points.rows}


def test_a_forces_cut_is_made_once_and_never_shared_with_other_tables():
    """`SearchData.only` keeps each force's cut of the same tables (every section of a report
    cuts them again); tables that are new objects get their own cut, and a change a caller
    makes to its cut stays in it."""
    import pandas as pd

    from peelstats.analysis.searches import SearchData

    def data(n):
        frame = pd.DataFrame({"force": ["a", "b", "a"], "searches": [n, 2, 3]})
        return SearchData(frame, frame.copy(), frame.copy(), frame.copy())

    first = data(1)
    from peelstats.analysis import searches

    searches._CUTS.clear()
    one, two = first.only("a"), first.only("a")
    assert len(searches._CUTS) == 1 and list(one.searches["searches"]) == [1, 3]
    assert list(two.searches["searches"]) == [1, 3]
    other = data(9).only("a")
    assert len(searches._CUTS) == 2 and list(other.searches["searches"]) == [9, 3]
    one.searches.loc[one.searches.index[0], "searches"] = 100
    assert list(first.only("a").searches["searches"]) == [1, 3]
    assert list(first.searches["searches"]) == [1, 2, 3]
