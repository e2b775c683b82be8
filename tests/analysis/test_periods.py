"""Reporting periods: 'YYYYQn' = the 12 months ending with that quarter, and the 12 before."""

import pandas as pd
import pytest

from peelstats.analysis.periods import (
    check_periods,
    expand_periods,
    latest_complete_quarter,
    parse_period,
)
from peelstats.errors import ParameterError
from peelstats.report.wording import year_words


def coverage(force_months):
    rows = [(f, m) for f, months in force_months.items() for m in months]
    return pd.DataFrame(rows, columns=["force", "month"]).assign(file_present=True, missing=False)


def months_between(first, last):
    return [str(p) for p in pd.period_range(first, last, freq="M")]


def test_2021q3_is_october_2020_to_september_2021():
    period = parse_period("2021Q3")
    assert period.months[0] == "2020-10" and period.months[-1] == "2021-09"
    assert len(period.months) == 12
    assert period.previous_months[0] == "2019-10" and period.previous_months[-1] == "2020-09"
    assert year_words(period.label) == "the year ending 30 September 2021"


def test_q1_crosses_the_year_and_names_the_last_day():
    period = parse_period("2022Q1")
    assert period.months[0] == "2021-04" and period.months[-1] == "2022-03"
    assert year_words(period.label) == "the year ending 31 March 2022"  # as in the PEEL report


@pytest.mark.parametrize("bad", ["2021Q5", "21Q1", "2021-13", "2021Q0", "", "2021q3x", None, 2021])
def test_malformed_periods_are_refused_with_the_expected_form(bad):
    with pytest.raises(ParameterError, match="expected YYYYQn"):
        parse_period(bad)


def test_latest_complete_period_needs_all_twelve_months_for_some_force():
    months = months_between("2019-01", "2021-11")  # to November 2021
    assert latest_complete_quarter(months) == "2021Q3"
    gap = [m for m in months if m != "2021-08"]
    assert latest_complete_quarter(gap) == "2021Q2"  # every year that holds August lacks it
    table = coverage({"durham": months, "west-midlands": months_between("2019-01", "2021-03")})
    assert latest_complete_quarter(table) == "2021Q3"


def test_periods_beyond_the_data_are_one_clear_line():
    table = coverage({"durham": months_between("2019-01", "2021-11")})
    check_periods(["2019Q4", "2021Q3"], table)
    with pytest.raises(ParameterError) as error:
        check_periods(["2022Q1"], table)
    assert str(error.value) == (
        "period 2022Q1: the data ends in November 2021; the latest complete quarter is 2021Q3"
    )
    with pytest.raises(ParameterError, match="the data begins in January 2019; the earliest"):
        check_periods(["2019Q2"], table)


def test_expand_ranges_lists_and_latest():
    assert expand_periods("2020Q3:2021Q1", []) == ["2020Q3", "2020Q4", "2021Q1"]
    assert expand_periods("2021Q1,2020Q4,2021Q1", []) == ["2021Q1", "2020Q4"]
    assert expand_periods("latest", months_between("2020-10", "2021-09")) == ["2021Q3"]
    with pytest.raises(ParameterError, match="backwards"):
        expand_periods("2021Q1:2020Q1", [])
