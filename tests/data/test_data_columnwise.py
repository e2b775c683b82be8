"""The column-wise reading, checking and building of prepare's inputs.

Files are parsed a few at a time, each check looks at a column's distinct values once, and the
outcomes are summed by codes; these tests hold the promises that go with it: the problem
reported is the first a file-by-file read would meet, and values parse exactly as pandas parses
them record by record.
"""

from __future__ import annotations

import csv
import gzip

import numpy as np
import pandas as pd
import pytest
from datahelpers import row, write_month

from peelstats.data.archive import HEADER_TEXT
from peelstats.data.outcomes import build_crime_outcomes
from peelstats.data.prepare import prepare, read_archive
from peelstats.errors import InputFileError

JAN = "2019-01/2019-01-durham-stop-and-search.csv"
FEB = "2019-02/2019-02-durham-stop-and-search.csv"


def read_error(root) -> InputFileError:
    with pytest.raises(InputFileError) as info:
        read_archive(root, progress=False)
    return info.value


# ------------------------------------------------------------------ which problem is reported


def test_long_field_in_an_earlier_file_before_a_bad_row_in_a_later_one(tmp_path):
    long = "x" * (csv.field_size_limit() + 1)
    write_month(tmp_path, "2019-01", "durham", [row(), row(Policing_operation=long)])
    write_month(tmp_path, "2019-02", "durham", [row(), row() + ",extra"])
    err = read_error(tmp_path)
    assert (err.file, err.row, err.column) == (JAN, 3, "Policing operation")
    assert "longer than" in str(err)


def test_bad_row_in_an_earlier_file_before_a_long_field_in_a_later_one(tmp_path):
    long = "x" * (csv.field_size_limit() + 1)
    write_month(tmp_path, "2019-01", "durham", [row(), row() + ",extra"])
    write_month(tmp_path, "2019-02", "durham", [row(Policing_operation=long)])
    err = read_error(tmp_path)
    assert (err.file, err.row) == (JAN, 3)
    assert "16 fields" in str(err)


def test_every_file_is_read_before_any_label_is_checked(tmp_path):
    # as before: a file that cannot be read is reported before an unknown label in an
    # earlier file, since labels are checked on the records of all files
    write_month(tmp_path, "2019-01", "durham", [row(Gender="Q")])
    bad = (HEADER_TEXT + "\n" + row() + "\n").encode() + b"\xff\n"
    write_month(tmp_path, "2019-02", "durham", bad)
    err = read_error(tmp_path)
    assert (err.file, err.row) == (FEB, 3)
    assert "UTF-8" in str(err)


def test_first_unknown_label_in_file_order(tmp_path):
    write_month(tmp_path, "2019-01", "durham", [row(), row(), row(Gender="Z")])
    write_month(tmp_path, "2019-02", "durham", [row(Gender="A")])
    err = read_error(tmp_path)
    assert (err.file, err.row, err.column) == (JAN, 4, "Gender")
    assert "'Z'" in str(err)


def test_quoted_line_break_then_bad_coordinate_named_by_line(tmp_path):
    lines = [row(Policing_operation="Op\nSplit"), row(), row(Latitude="north")]
    write_month(tmp_path, "2019-01", "durham", lines)
    err = read_error(tmp_path)
    assert (err.row, err.column) == (5, "Latitude")


# ------------------------------------------------------------------ values as pandas parses them


def test_coordinates_parse_as_pandas_parses_them(tmp_path):
    given = ["54.7", "5.47e1", "", "+54.1", " 54.5", "54.", ".5", "-0.0", "54.7"]
    write_month(tmp_path, "2019-01", "durham", [row(Latitude=v) for v in given])
    got = read_archive(tmp_path, progress=False).records["latitude"]
    text = pd.Series(given, dtype="str")
    expected = pd.to_numeric(text.where(text != ""))
    assert got.dtype == expected.dtype == np.float64
    assert got.equals(expected)


def test_whole_number_coordinates_stay_integers(tmp_path):
    write_month(tmp_path, "2019-01", "durham", [row(Latitude="54"), row(Latitude="55")])
    got = read_archive(tmp_path, progress=False).records["latitude"]
    assert got.dtype == np.int64
    assert got.tolist() == [54, 55]


def test_dates_keep_their_precision(tmp_path):
    dates = ["2019-01-15T12:00:00.123456789+00:00", "2019-01-15T12:00:00+01:00"]
    write_month(tmp_path, "2019-01", "durham", [row(Date=d) for d in dates])
    got = read_archive(tmp_path, progress=False).records["date"]
    expected = pd.to_datetime(pd.Series(dates), format="ISO8601", utc=True)
    assert got.dtype == expected.dtype
    assert got.equals(expected)


# ------------------------------------------------------------------ doubled months


def test_shuffled_doubled_month_keeps_the_first_copies_in_file_order(tmp_path):
    a, b, c = row(Gender="Male"), row(Gender="Female"), row(Gender="Other")
    write_month(tmp_path, "2019-01", "durham", [b, a, a, c, b, c, a, a])
    data = read_archive(tmp_path, progress=False)
    assert bool(data.coverage["doubled"].iloc[0])
    assert data.records["gender"].tolist() == ["Female", "Male", "Male", "Other"]


def test_month_with_one_record_once_is_not_doubled(tmp_path):
    a, b = row(Gender="Male"), row(Gender="Female")
    write_month(tmp_path, "2019-01", "durham", [a, a, b, b, a, b, a, row(Gender="Other")])
    data = read_archive(tmp_path, progress=False)
    assert not data.coverage["doubled"].iloc[0]
    assert len(data.records) == 8


# ------------------------------------------------------------------ outcomes

HEADER = (
    "financial_year,financial_quarter,force_name,offence_description,offence_group,"
    "offence_subgroup,offence_code,offence_code_expired,outcome_description,outcome_group,"
    "outcome_type,offences,force_outcomes_recorded_in_quarter"
)


def outcome(kind: str = "1", offences: str = "4", description: str = "R") -> str:
    return (
        f'2017/18,1,Durham,"{description}",Robbery,Robbery,34B,NA,Charged/Summonsed,'
        f"Charged/Summonsed,{kind},{offences},NA"
    )


def test_outcome_types_written_differently_are_one_type(tmp_path):
    # a quoted line break sends the file to the csv module, which keeps "07" as written
    rows = [outcome("07", "2", "a\nb"), outcome("7", "3"), outcome("1", "5")]
    (tmp_path / "o.csv").write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    out = build_crime_outcomes(tmp_path / "o.csv")
    assert out[["outcome_type", "offences"]].values.tolist() == [[1, 5], [7, 5]]


def test_outcome_error_row_after_a_skipped_all_na_row(tmp_path):
    rows = [outcome(), ",".join(["NA"] * 13), outcome(offences="many")]
    with gzip.open(tmp_path / "o.csv.gz", "wt", encoding="utf-8") as fh:
        fh.write("\n".join([HEADER, *rows]) + "\n")
    with pytest.raises(InputFileError) as info:
        build_crime_outcomes(tmp_path / "o.csv.gz")
    assert (info.value.row, info.value.column) == (4, "offences")


def test_archive_problem_reported_before_an_outcomes_problem(tmp_path, shared_data):
    archive = tmp_path / "archive"
    write_month(archive, "2019-01", "durham", [row(Gender="Q")])
    (tmp_path / "o.csv").write_text(HEADER + "\n" + outcome(offences="x") + "\n")
    census = shared_data / "census-2021"
    with pytest.raises(InputFileError) as info:
        prepare(archive, census, tmp_path / "o.csv", out=tmp_path / "out", progress=False)
    assert info.value.file == JAN
    write_month(archive, "2019-01", "durham", [row()])
    with pytest.raises(InputFileError) as info:
        prepare(archive, census, tmp_path / "o.csv", out=tmp_path / "out", progress=False)
    assert (info.value.file, info.value.column) == ("o.csv", "offences")
    assert not (tmp_path / "out").exists()
