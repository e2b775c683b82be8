"""Reading, validation and repair of small hand-built archives."""

from __future__ import annotations

import zipfile

import pytest
from datahelpers import row, write_month

from peelstats.data.archive import Archive
from peelstats.data.prepare import aggregate_searches, read_archive
from peelstats.errors import InputFileError

REL = "2019-01/2019-01-durham-stop-and-search.csv"


def read_error(root) -> InputFileError:
    with pytest.raises(InputFileError) as info:
        read_archive(root, progress=False)
    return info.value


def test_valid_archive_counts(archive):
    data = read_archive(archive, progress=False)
    cov = data.coverage.set_index(["force", "month"])
    assert cov.loc[("durham", "2019-01"), "records"] == 2
    assert cov.loc[("cleveland", "2019-01"), "records"] == 3
    # cleveland has no February file: a missing month inside the archive's range
    assert bool(cov.loc[("cleveland", "2019-02"), "missing"])
    assert not bool(cov.loc[("cleveland", "2019-02"), "file_present"])
    assert cov.loc[("cleveland", "2019-02"), "records"] == 0
    assert len(data.coverage) == 4
    assert len(data.records) == 6


def test_zip_archive_reads_like_folder(archive, tmp_path):
    zpath = tmp_path / "archive.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        for p in sorted(archive.rglob("*.csv")):
            z.write(p, f"police-uk/{p.relative_to(archive).as_posix()}")
        z.writestr("police-uk/2019-01/2019-01-durham-street.csv", "Crime ID,Month\n")
    a = read_archive(archive, progress=False)
    b = read_archive(zpath, progress=False)
    assert a.coverage.equals(b.coverage)
    assert aggregate_searches(a.records).equals(aggregate_searches(b.records))


def test_other_files_ignored(archive):
    (archive / "2019-01" / "2019-01-durham-street.csv").write_text("Crime ID,Month\n")
    assert len(Archive(archive).entries) == 3


def test_header_only_file_is_an_empty_month(tmp_path):
    write_month(tmp_path, "2019-01", "durham", [])
    data = read_archive(tmp_path, progress=False)
    cov = data.coverage.iloc[0]
    assert cov["file_present"] and not cov["missing"]
    assert cov["records"] == 0 and cov["records_after_repair"] == 0


def test_doubled_month_is_flagged_and_halved(tmp_path):
    # every distinct record twice, one of them four times (a genuine pair, doubled)
    a, b = row(), row(Outcome="Arrest", Outcome_linked_to_object_of_search="True")
    write_month(tmp_path, "2019-01", "durham", [a, b, a, a, b, a])
    data = read_archive(tmp_path, progress=False)
    cov = data.coverage.iloc[0]
    assert bool(cov["doubled"])
    assert cov["records"] == 6
    assert cov["records_after_repair"] == 3  # a twice (group search kept), b once
    assert (data.records["outcome"] == "A no further action disposal").sum() == 2


def test_identical_records_kept_in_normal_month(tmp_path):
    a, b = row(), row(Outcome="Arrest")
    write_month(tmp_path, "2019-01", "durham", [a, a, a, b])
    cov = read_archive(tmp_path, progress=False).coverage.iloc[0]
    assert not bool(cov["doubled"])
    assert cov["records"] == cov["records_after_repair"] == 4


def test_utc_edge_record_accepted(tmp_path):
    write_month(tmp_path, "2019-05", "durham", [row(Date="2019-04-30T23:00:00+00:00")])
    data = read_archive(tmp_path, progress=False)
    assert data.records["month"].tolist() == ["2019-05"]


def test_linked_find_and_inconsistent_count(tmp_path):
    lines = [
        row(Outcome="Arrest", Outcome_linked_to_object_of_search="True"),
        row(Outcome="Arrest", Outcome_linked_to_object_of_search="False"),
        row(Outcome="Community resolution", Outcome_linked_to_object_of_search="True"),
        row(Outcome="A no further action disposal", Outcome_linked_to_object_of_search="True"),
        row(Outcome="", Outcome_linked_to_object_of_search="True"),
    ]
    write_month(tmp_path, "2019-01", "durham", lines)
    data = read_archive(tmp_path, progress=False)
    assert data.records["linked_find"].tolist() == [True, False, True, False, False]
    assert data.coverage.iloc[0]["linked_inconsistent"] == 1
    assert data.coverage.iloc[0]["blank_outcome_share"] == pytest.approx(0.2)


def test_blank_linked_is_not_recorded_rather_than_false(tmp_path):
    # an arrest with the linked field blank: not a linked find, but also not known to be unlinked
    lines = [
        row(Outcome="Arrest", Outcome_linked_to_object_of_search="True"),
        row(Outcome="Arrest", Outcome_linked_to_object_of_search="False"),
        row(Outcome="Arrest", Outcome_linked_to_object_of_search=""),
        row(Outcome="A no further action disposal", Outcome_linked_to_object_of_search=""),
    ]
    write_month(tmp_path, "2019-01", "humberside", lines)
    data = read_archive(tmp_path, progress=False)
    searches = aggregate_searches(data.records)
    arrests = searches[searches["outcome_class"] == "arrest"]
    assert arrests[["linked_find", "linked_recorded", "searches"]].values.tolist() == [
        [False, False, 1],  # blank: unknown
        [False, True, 1],  # False: recorded, no linked find
        [True, True, 1],  # True: a linked find
    ]
    nfa = searches[searches["outcome_class"] == "no_further_action"].iloc[0]
    assert not nfa["linked_find"] and not nfa["linked_recorded"]
    assert data.coverage.iloc[0]["blank_linked_share"] == pytest.approx(2 / 4)


# ------------------------------------------------------------------ bad inputs


@pytest.mark.parametrize(
    ("column", "kwargs", "text"),
    [
        ("Self-defined ethnicity", {"Self_defined_ethnicity": "Martian"}, "Martian"),
        ("Officer-defined ethnicity", {"Officer_defined_ethnicity": "Green"}, "Green"),
        ("Outcome", {"Outcome": "Sent to the moon"}, "Sent to the moon"),
        ("Gender", {"Gender": "M"}, "'M'"),
        ("Age range", {"Age_range": "35+"}, "35+"),
        ("Type", {"Type": "Boat search"}, "Boat search"),
        (
            "Outcome linked to object of search",
            {"Outcome_linked_to_object_of_search": "Yes"},
            "Yes",
        ),
    ],
)
def test_unknown_label(tmp_path, column, kwargs, text):
    write_month(tmp_path, "2019-01", "durham", [row(), row(), row(**kwargs)])
    err = read_error(tmp_path)
    assert (err.file, err.row, err.column) == (REL, 4, column)
    assert text in str(err) and err.expected
    assert "\n" not in str(err)


def test_unparsable_date(tmp_path):
    write_month(tmp_path, "2019-01", "durham", [row(), row(Date="31/01/2019 10:00")])
    err = read_error(tmp_path)
    assert (err.file, err.row, err.column) == (REL, 3, "Date")
    assert "ISO 8601" in err.expected


def test_blank_date(tmp_path):
    write_month(tmp_path, "2019-01", "durham", [row(Date="")])
    err = read_error(tmp_path)
    assert (err.row, err.column) == (2, "Date")


@pytest.mark.parametrize(
    "date",
    ["2019-03-15T10:00:00+00:00", "2019-02-01T00:00:00+00:00", "2018-12-31T18:00:00+00:00"],
)
def test_date_outside_month(tmp_path, date):
    write_month(tmp_path, "2019-01", "durham", [row(), row(Date=date)])
    err = read_error(tmp_path)
    assert (err.file, err.row, err.column) == (REL, 3, "Date")
    assert "outside the file's month 2019-01" in str(err)


def test_street_crime_file(tmp_path):
    header = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location"
    write_month(tmp_path, "2019-01", "durham", f"{header}\nabc,2019-01,Durham\n".encode())
    err = read_error(tmp_path)
    assert (err.file, err.row, err.column) == (REL, 1, "Crime ID")
    assert "not a stop-and-search header" in str(err)


def test_empty_file(tmp_path):
    write_month(tmp_path, "2019-01", "durham", b"")
    err = read_error(tmp_path)
    assert (err.file, err.row) == (REL, 1)
    assert "empty file" in str(err)


def test_row_with_fewer_fields(tmp_path):
    short = ",".join(row().split(",")[:9])
    write_month(tmp_path, "2019-01", "durham", [row(), row(), short, row()])
    err = read_error(tmp_path)
    assert (err.file, err.row, err.column) == (REL, 4, "Officer-defined ethnicity")
    assert "9 fields" in str(err)


def test_truncated_file(tmp_path):
    from peelstats.data.archive import HEADER_TEXT

    body = "\n".join([HEADER_TEXT, row(), row()[:40]])  # cut mid-record, no final newline
    write_month(tmp_path, "2019-01", "durham", body.encode())
    err = read_error(tmp_path)
    assert (err.file, err.row) == (REL, 3)
    assert "truncated" in str(err)


def test_non_utf8_bytes(tmp_path):
    from peelstats.data.archive import HEADER_TEXT

    bad = row(Policing_operation="Op X").replace("Op X", "Op \xe9").encode("latin-1")
    body = (HEADER_TEXT + "\n" + row() + "\n").encode() + bad + b"\n"
    write_month(tmp_path, "2019-01", "durham", body)
    err = read_error(tmp_path)
    assert (err.file, err.row, err.column) == (REL, 3, "Policing operation")
    assert "UTF-8" in str(err)


def test_bad_latitude(tmp_path):
    write_month(tmp_path, "2019-01", "durham", [row(Latitude="north")])
    err = read_error(tmp_path)
    assert (err.row, err.column) == (2, "Latitude")


def test_quoted_line_break_is_located_by_record(tmp_path):
    lines = [row(Policing_operation="Op\nSplit"), row(Gender="X")]
    write_month(tmp_path, "2019-01", "durham", lines)
    err = read_error(tmp_path)
    assert (err.row, err.column) == (4, "Gender")  # the record after the two-line one


def test_file_in_wrong_month_folder(tmp_path):
    folder = tmp_path / "2019-02"
    folder.mkdir()
    (folder / "2019-01-durham-stop-and-search.csv").write_text("x")
    with pytest.raises(InputFileError, match="sits in folder 2019-02"):
        Archive(tmp_path)


def test_no_stop_and_search_files(tmp_path):
    with pytest.raises(InputFileError, match="no stop-and-search files"):
        Archive(tmp_path)


def test_raw_files_not_modified(archive):
    before = {p: p.read_bytes() for p in archive.rglob("*.csv")}
    read_archive(archive, progress=False)
    assert {p: p.read_bytes() for p in archive.rglob("*.csv")} == before


def test_crlf_and_bom_accepted(tmp_path):
    from peelstats.data.archive import HEADER_TEXT

    body = "\ufeff" + "\r\n".join([HEADER_TEXT, row(), row(Outcome="Arrest")]) + "\r\n"
    write_month(tmp_path, "2019-01", "durham", body.encode("utf-8"))
    data = read_archive(tmp_path, progress=False)
    assert data.records["outcome_class"].tolist() == ["no_further_action", "arrest"]


def test_crlf_error_line_numbers(tmp_path):
    from peelstats.data.archive import HEADER_TEXT

    body = "\r\n".join([HEADER_TEXT, row(), row(Gender="?")]) + "\r\n"
    write_month(tmp_path, "2019-01", "durham", body.encode("utf-8"))
    err = read_error(tmp_path)
    assert (err.row, err.column) == (3, "Gender")
