"""Search-detail and quarterly figures recounted from the raw police.uk files.

The recount reads Durham's monthly CSVs in ../shared/data with the csv module and counts by
hand, independently of peelstats' prepare and analysis code; the figures the report builds
from the committed default data must match it exactly.
"""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from peelstats.analysis import params, quarters, search_detail
from peelstats.analysis.searches import SearchData
from peelstats.vocabulary import parse_period

FORCE, PERIOD = "durham", "2021Q3"


@pytest.fixture(scope="module")
def raw_records(shared_data):
    archive = shared_data / "police-uk-archive"
    records = {}
    for month in parse_period(PERIOD).months + (
        "2019-10",
        "2019-11",
        "2019-12",
        "2020-01",
        "2020-02",
        "2020-03",
        "2020-04",
        "2020-05",
        "2020-06",
        "2020-07",
        "2020-08",
        "2020-09",
    ):
        path = archive / month / f"{month}-{FORCE}-stop-and-search.csv"
        with open(path, newline="", encoding="utf-8-sig") as fh:
            records[month] = list(csv.DictReader(fh))
    return records


@pytest.fixture(scope="module")
def built():
    p = params.validate(FORCE, PERIOD, "self", 0.95, "svg", "default", None, None)
    detail = search_detail.build(SearchData.load("default"), p)
    by_quarter = quarters.build(SearchData.load("default"), p)
    return detail, by_quarter


def _year(raw_records):
    return [r for m in parse_period(PERIOD).months for r in raw_records[m]]


def _counts(result, measure):
    return {f.group: int(f.numerator) for f in result.measure(measure)}


def test_object_shares_match_the_raw_files(raw_records, built):
    detail, _ = built
    year = _year(raw_records)
    expected = Counter(r["Object of search"] or "Not recorded" for r in year)
    assert _counts(detail, "object_share") == dict(expected)
    for f in detail.measure("object_share"):
        assert f.denominator == len(year)
        assert f.lower <= f.estimate <= f.upper


def test_s60_share_matches_the_raw_files(raw_records, built):
    detail, _ = built
    year = _year(raw_records)
    s60 = sum("section 60" in r["Legislation"] and "Criminal Justice and Public Order" in
              r["Legislation"] for r in year)  # fmt: skip
    fig = detail.figure("s60_share")
    assert (fig.numerator, fig.denominator) == (s60, len(year))


def test_strip_searches_by_group_and_age_match_the_raw_files(raw_records, built):
    detail, _ = built
    year = [r for r in _year(raw_records)
            if r["Removal of more than just outer clothing"] in ("True", "False")]  # fmt: skip
    strip = [r for r in year if r["Removal of more than just outer clothing"] == "True"]
    fig = detail.figure("strip_search_share", "all")
    assert (fig.numerator, fig.denominator) == (len(strip), len(year))
    by_age = Counter(r["Age range"] or "Not recorded" for r in year)
    got = {f.group: int(f.denominator) for f in detail.measure("strip_search_share_by_age")}
    assert got == dict(by_age)
    white = [r for r in year if r["Self-defined ethnicity"].startswith("White")]
    fig = detail.figure("strip_search_share", "White")
    assert fig.denominator == len(white)


def test_age_and_gender_match_the_raw_files(raw_records, built):
    detail, _ = built
    year = _year(raw_records)
    assert _counts(detail, "searches_by_age") == dict(
        Counter(r["Age range"] or "Not recorded" for r in year)
    )
    assert _counts(detail, "searches_by_gender") == dict(
        Counter(r["Gender"] or "Not recorded" for r in year)
    )


def test_quarterly_searches_match_the_raw_files(raw_records, built):
    _, by_quarter = built
    got = {f.group: int(f.estimate) for f in by_quarter.measure("searches_in_quarter")}
    for label, months in quarters.last_quarters(parse_period(PERIOD).end):
        assert got[label] == sum(len(raw_records[m]) for m in months), label
