"""Search detail, unknown-ethnicity bounds and quarters: invariants and hand-checked cases."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peelstats.analysis import params, quarters, search_detail, stop_search
from peelstats.analysis.results import Figure, find
from peelstats.analysis.searches import SearchData
from peelstats.report import wording as w


def _params(force, period="2021Q3"):
    return params.validate(force, period, "self", 0.95, "svg", "default", None, None)


@pytest.mark.parametrize("force", ["durham", "cumbria", "avon-and-somerset"])
def test_bounds_bracket_the_ratio(force):
    r = stop_search.build(SearchData.load("default"), _params(force))
    for f in r.figures:
        if f.measure != "search_rate_ratio_vs_white" or f.estimate is None:
            continue
        low = r.figure("search_rate_ratio_vs_white_min", f.group)
        high = r.figure("search_rate_ratio_vs_white_max", f.group)
        assert low.estimate <= f.estimate + 1e-12 <= high.estimate + 2e-12
        # by hand: all unrecorded to White adds them to White's count only
        unknown = r.figure("searches", "Unknown").numerator
        white = r.figure("searches", "White").numerator
        assert low.numerator == f.numerator and high.numerator == f.numerator + unknown
        assert low.estimate == pytest.approx(f.estimate * white / (white + unknown))


def test_one_object_gives_the_crude_odds_ratio():
    rows = pd.DataFrame(
        {
            "ethnicity_self": ["Black", "Black", "White", "White"],
            "object_of_search": ["Controlled drugs"] * 4,
            "linked_find": [True, False, True, False],
            "searches": [3, 7, 20, 30],
        }
    )
    (black,) = search_detail.adjusted_outcome_test(rows, "ethnicity_self", 0.95)
    assert black.estimate == pytest.approx((3 * 30) / (7 * 20))  # ad / bc
    assert black.crude == pytest.approx(black.estimate) and black.strata == 1


def test_a_quarter_without_files_is_no_data_not_zero():
    r = quarters.build(SearchData.load("default"), _params("west-midlands"))
    empty = [f for f in r.measure("searches_in_quarter") if f.flagged("no_data")]
    # West Midlands' files stop at March 2021 (../shared/data/README.md): the two quarters after
    assert [f.group for f in empty] == ["2021Q2", "2021Q3"]
    assert all(f.estimate is None and f.numerator is None for f in empty)
    (said,) = [s for s in w.quarters_sentences(r) if "no file" in s]
    assert said.startswith("The data has no file for any month of")
    assert "so no figures are given for those quarters" in said


def test_last_quarters_are_eight_consecutive_quarters():
    got = quarters.last_quarters("2021-09")
    assert [label for label, _ in got] == [
        "2019Q4", "2020Q1", "2020Q2", "2020Q3", "2020Q4", "2021Q1", "2021Q2", "2021Q3",
    ]  # fmt: skip
    assert got[0][1] == ["2019-10", "2019-11", "2019-12"]


def _fig(measure, est, lo, hi, n=10.0):
    return Figure(measure, "Black", est, lo, hi, numerator=n, confidence=0.95)


@settings(max_examples=200, deadline=None)
@given(*(st.floats(0.05, 20) for _ in range(3)), *(st.floats(1.05, 3) for _ in range(3)))
def test_bounds_sentence_says_the_conclusion_could_change_exactly_when_it_can(a, b, c, x, y, z):
    lo, mid, hi = sorted([a, b, c])
    figs = [
        _fig("search_rate_ratio_vs_white", mid, mid / x, mid * x),
        _fig("search_rate_ratio_vs_white_min", lo, lo / y, lo * y),
        _fig("search_rate_ratio_vs_white_max", hi, hi / z, hi * z),
        Figure("searches", "Unknown", 40.0, numerator=40.0),
    ]
    r = SimpleNamespace(figure=lambda m, g="all": find(figs, m, g))
    text = w.bounds_sentence(r, "Black")

    def verdict(est, f):
        return "above" if est / f > 1 else ("below" if est * f < 1 else "unclear")

    verdicts = {verdict(mid, x), verdict(lo, y), verdict(hi, z)}
    assert ("could change the conclusion" in text) == (len(verdicts) > 1)
    assert "Shared out in proportion" in text and "40 searches" in text


def test_every_result_type_loads_in_a_fresh_process(tmp_path):
    """A report is assembled from saved results by a process that never imported the
    analysis modules: each result type must be found by name."""
    import subprocess
    import sys

    from peelstats.analysis import results as res

    p = _params("durham")
    data = SearchData.load("default")
    res.save(quarters.build(data, p), tmp_path, "quarters")
    res.save(search_detail.build(SearchData.load("default"), p), tmp_path,
             "search_detail")  # fmt: skip
    res.save(stop_search.build(data, p), tmp_path, "stop_search")
    code = (
        "import sys; from pathlib import Path; from peelstats.analysis import results as r; "
        "[r.load(p) for p in sorted(Path(sys.argv[1]).glob('results/*.json'))]"
    )
    run = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                         text=True)  # fmt: skip
    assert run.returncode == 0, run.stderr


def test_mostly_unrecorded_ethnicity_withholds_every_group_comparison():
    """West Midlands' officer-defined ethnicity is blank for most searches: the new sections
    make no comparison between groups either (the stop-and-search section's rule)."""
    p = params.validate("west-midlands", "2021Q3", "officer", 0.95, "svg", "default", None, None)
    detail = search_detail.build(SearchData.load("default"), p)
    assert detail.adjusted == ()
    groups = {f.group for f in detail.figures if f.measure.startswith("strip_search")}
    assert groups <= {"all", "under 10", "10-17", "18-24", "25-34", "over 34", "Not recorded"}
    by_quarter = quarters.build(SearchData.load("default"), p)
    assert not by_quarter.measure("search_rate_ratio_vs_white_in_quarter")
    assert "no comparison between ethnic groups" in " ".join(w.quarters_sentences(by_quarter))


def test_s60_change_compares_only_months_with_data_in_both_years():
    """West Midlands has no file for April to September 2021: its s60 change compares October
    2020 to March 2021 with October 2019 to March 2020, counted here from the searches table."""
    searches = SearchData.load("default").searches
    mine = searches[searches["force"] == "west-midlands"]
    now = [f"{y}-{m:02d}" for y, m in [(2020, 10), (2020, 11), (2020, 12)]] + [
        f"2021-{m:02d}" for m in (1, 2, 3)
    ]
    before = [f"{int(m[:4]) - 1}{m[4:]}" for m in now]

    def counts(months):
        rows = mine[mine["month"].isin(months)]
        s60 = rows.loc[rows["legislation_group"] == search_detail.S60, "searches"].sum()
        return int(s60), int(rows["searches"].sum())

    (s_now, n_now), (s_before, n_before) = counts(now), counts(before)
    r = search_detail.build(SearchData.load("default"),
                            _params("west-midlands"))  # fmt: skip
    change = r.figure("s60_share_change_vs_previous_year")
    assert (change.numerator, change.denominator) == (s_now, n_now)
    assert change.estimate == pytest.approx(s_now / n_now - s_before / n_before)
    assert "matched_months_only" in change.flags
    sentence = w.s60_sentence(r)
    assert "on the year before over the months with data in both years" in sentence
