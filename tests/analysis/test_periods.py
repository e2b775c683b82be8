"""Reporting periods: 'YYYYQn' = the 12 months ending with that quarter, and the 12 before."""

import pytest

from peelstats.analysis.periods import expand_periods, latest_complete_quarter, parse_period
from peelstats.errors import ParameterError


def test_2021q3_is_october_2020_to_september_2021():
    period = parse_period("2021Q3")
    assert period.months[0] == "2020-10" and period.months[-1] == "2021-09"
    assert len(period.months) == 12
    assert period.previous_months[0] == "2019-10" and period.previous_months[-1] == "2020-09"
    assert period.description == "the year ending 30 September 2021"


def test_q1_crosses_the_year_and_names_the_last_day():
    period = parse_period("2022Q1")
    assert period.months[0] == "2021-04" and period.months[-1] == "2022-03"
    assert period.description == "the year ending 31 March 2022"  # as in the PEEL report


@pytest.mark.parametrize("bad", ["2021Q5", "21Q1", "2021-13", "2021Q0", "", "2021q3x", None, 2021])
def test_malformed_periods_are_refused_with_the_expected_form(bad):
    with pytest.raises(ParameterError, match="expected YYYYQn"):
        parse_period(bad)


def test_latest_complete_quarter_needs_all_three_months():
    months = [f"2021-{m:02d}" for m in range(1, 12)]  # to November 2021
    assert latest_complete_quarter(months) == "2021Q3"
    assert latest_complete_quarter([m for m in months if m != "2021-08"]) == "2021Q2"


def test_expand_ranges_lists_and_latest():
    assert expand_periods("2020Q3:2021Q1", []) == ["2020Q3", "2020Q4", "2021Q1"]
    assert expand_periods("2021Q1,2020Q4,2021Q1", []) == ["2021Q1", "2020Q4"]
    assert expand_periods("latest", ["2021-07", "2021-08", "2021-09"]) == ["2021Q3"]
    with pytest.raises(ParameterError, match="backwards"):
        expand_periods("2021Q1:2020Q1", [])
