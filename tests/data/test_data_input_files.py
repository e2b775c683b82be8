"""Awkward input files: line endings, huge fields, bad months, things that are not files,
truncated gzip, empty or ragged tables, overflowing counts, and month files named oddly."""

from __future__ import annotations

import csv
import gzip
import os
import threading
import unicodedata

import pytest
from datahelpers import row, write_month

from peelstats.data.archive import HEADER_TEXT, Archive
from peelstats.data.census import LOOKUP_FILE, TS021_FILE, build_populations
from peelstats.data.inputs import read_csv_strict, read_input_bytes
from peelstats.data.outcomes import build_crime_outcomes
from peelstats.data.prepare import read_archive
from peelstats.errors import InputFileError

REL = "2019-01/2019-01-durham-stop-and-search.csv"


def read_error(root) -> InputFileError:
    with pytest.raises(InputFileError) as info:
        read_archive(root, progress=False)
    assert "\n" not in str(info.value)
    return info.value


# ------------------------------------------------------------------ line endings, fields


def test_cr_only_line_endings_read(tmp_path):
    body = "\r".join([HEADER_TEXT, row(), row(Outcome="Arrest")]) + "\r"
    write_month(tmp_path, "2019-01", "durham", body.encode())
    data = read_archive(tmp_path, progress=False)
    assert data.records["outcome_class"].tolist() == ["no_further_action", "arrest"]


def test_cr_only_error_line_numbers(tmp_path):
    body = "\r".join([HEADER_TEXT, row(), row(), row(Gender="?")]) + "\r"
    write_month(tmp_path, "2019-01", "durham", body.encode())
    err = read_error(tmp_path)
    assert (err.file, err.row, err.column) == (REL, 4, "Gender")


def test_field_over_the_csv_module_limit(tmp_path):
    huge = "x" * (csv.field_size_limit() + 1)
    write_month(tmp_path, "2019-01", "durham", [row(), row(), row(Policing_operation=huge)])
    err = read_error(tmp_path)
    assert (err.file, err.row, err.column) == (REL, 4, "Policing operation")
    assert "longer than 131,072 characters" in str(err)


def test_field_over_the_limit_with_quoted_line_breaks(tmp_path):
    # the csv-module path (quoted line breaks) meets the limit too
    huge = "x" * (csv.field_size_limit() + 1)
    lines = [row(Policing_operation="Op\nSplit"), row(Policing_operation=huge)]
    write_month(tmp_path, "2019-01", "durham", lines)
    err = read_error(tmp_path)
    assert (err.file, err.row) == (REL, 4)
    assert "longer than" in str(err)


# ------------------------------------------------------------------ months


@pytest.mark.parametrize(
    ("month", "fragment"),
    [
        ("0000-01", "year 0000"),
        ("2019-13", "month 13"),
        ("2019-00", "month 00"),
        ("2099-01", "in the future"),
    ],
)
def test_bad_month_in_file_name(tmp_path, month, fragment):
    folder = tmp_path / month
    folder.mkdir()
    (folder / f"{month}-durham-stop-and-search.csv").write_text(HEADER_TEXT + "\n")
    with pytest.raises(InputFileError) as info:
        Archive(tmp_path)
    assert fragment in str(info.value)
    assert info.value.file == f"{month}/{month}-durham-stop-and-search.csv"


def test_year_0000_in_a_record_date(tmp_path):
    write_month(tmp_path, "2019-01", "durham", [row(Date="0000-01-15T12:00:00+00:00")])
    err = read_error(tmp_path)
    assert (err.row, err.column) == (2, "Date")


#: the header of reasonable_grounds.csv
GROUNDS_COLUMNS = (
    "force,audit,records_from,records_to,group,source,grounds_recorded,records_reviewed,"
    "sampled_from,published_percent,published_margin"
)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [("0000-01", "year 0000"), ("2022-1", "is not a month"), ("2099-01", "in the future")],
)
def test_bad_month_in_an_audit_table(tmp_path, value, fragment):
    from peelstats.data.audits import read_audit_table

    columns = GROUNDS_COLUMNS
    (tmp_path / "reasonable_grounds.csv").write_text(
        f"{columns}\ndurham,PEEL,{value},2022-12,all,x,1,2,,,\n"
    )
    with pytest.raises(InputFileError) as info:
        read_audit_table("reasonable_grounds.csv", tmp_path)
    assert (info.value.row, info.value.column) == (2, "records_from")
    assert fragment in str(info.value)


def test_fetch_refuses_a_future_month(tmp_path):
    from peelstats.data.fetch import fetch
    from peelstats.errors import ParameterError

    with pytest.raises(ParameterError, match="in the future"):
        fetch("durham", "2099-01", "2099-02", out=tmp_path, cache=tmp_path, progress=False)
    with pytest.raises(ParameterError, match="year 0000"):
        fetch("durham", "0000-01", "0000-01", out=tmp_path, cache=tmp_path, progress=False)


# ------------------------------------------------------------------ things that are not files


def test_dangling_symlink_named_like_a_month_file(tmp_path):
    write_month(tmp_path, "2019-02", "durham", [row(Date="2019-02-03T10:00:00+00:00")])
    (tmp_path / "2019-01").mkdir()
    (tmp_path / REL).symlink_to(tmp_path / "gone.csv")
    with pytest.raises(InputFileError) as info:
        Archive(tmp_path)
    assert info.value.file == REL
    assert "symbolic link" in str(info.value) and "does not exist" in str(info.value)


def test_folder_named_like_a_month_file(tmp_path):
    write_month(tmp_path, "2019-02", "durham", [row(Date="2019-02-03T10:00:00+00:00")])
    (tmp_path / REL).mkdir(parents=True)
    with pytest.raises(InputFileError) as info:
        Archive(tmp_path)
    assert info.value.file == REL and "is a folder" in str(info.value)


def test_fifo_named_like_a_month_file_does_not_hang(tmp_path):
    write_month(tmp_path, "2019-02", "durham", [row(Date="2019-02-03T10:00:00+00:00")])
    (tmp_path / "2019-01").mkdir()
    os.mkfifo(tmp_path / REL)
    outcome: list = []

    def attempt():
        try:
            read_archive(tmp_path, progress=False)
        except InputFileError as exc:
            outcome.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=20)
    if worker.is_alive():  # unblock the reader so the test process can exit, then fail
        with open(tmp_path / REL, "wb"):
            pass
        pytest.fail("reading an archive with a FIFO in it hung")
    (err,) = outcome
    assert err.file == REL and "named pipe (FIFO)" in str(err)


def test_fifo_as_census_file_does_not_hang(tmp_path):
    os.mkfifo(tmp_path / TS021_FILE)
    with pytest.raises(InputFileError, match="named pipe"):
        build_populations(tmp_path)


def test_read_input_bytes_refuses_fifo_even_after_the_check(tmp_path, monkeypatch):
    """The file is checked again after opening (a FIFO put in place after the first check)."""
    from peelstats.data import inputs

    os.mkfifo(tmp_path / "p.csv")
    monkeypatch.setattr(inputs, "check_regular", lambda *a, **k: None)
    with pytest.raises(InputFileError, match="named pipe"):
        read_input_bytes(tmp_path / "p.csv", "p.csv")


# ------------------------------------------------------------------ Census and outcomes


def write_census(folder, ts_text: str | None = None, lookup_text: str | None = None):
    folder.mkdir(exist_ok=True)
    ts = (
        "Lower Tier Local Authorities Code,Lower Tier Local Authorities,"
        "Ethnic group (20 categories) Code,Ethnic group (20 categories),Observation\n"
        "E06000047,County Durham,13,White: English,500000\n"
    )
    lookup = (
        "LAD22CD,LAD22NM,CSP22CD,CSP22NM,PFA22CD,PFA22NM,ObjectId\n"
        "E06000047,County Durham,E22000001,x,E23000008,Durham,1\n"
    )
    (folder / TS021_FILE).write_text(ts if ts_text is None else ts_text)
    (folder / LOOKUP_FILE).write_text(lookup if lookup_text is None else lookup_text)
    return folder


def test_census_sound(tmp_path):
    table = build_populations(write_census(tmp_path / "c"))
    assert table.loc[table["group"] == "all", "population"].tolist() == [500000]


@pytest.mark.parametrize(
    ("which", "text", "fragments"),
    [
        ("ts", "", ["empty"]),
        ("lookup", "", ["empty"]),
        (
            "ts",
            "Lower Tier Local Authorities Code,Ethnic group (20 categories) Code,Observation\n",
            ["no data rows"],
        ),
        (
            "ts",
            "Lower Tier Local Authorities Code,Ethnic group (20 categories) Code,Observation\n"
            "E06000047,13,5\nE06000047,14\n",
            ["row 3", "2 fields where the header has 3"],
        ),
        (
            "ts",
            "Lower Tier Local Authorities Code,Ethnic group (20 categories) Code,Observation\n"
            "E06000047,13,5,9\n",
            ["row 2", "4 fields where the header has 3"],
        ),
        (
            "ts",
            "Lower Tier Local Authorities Code,Ethnic group (20 categories) Code,Observation\n"
            "E06000047,13,10000000000000000000\n",
            ["row 2", "column 'Observation'", "is not a count"],
        ),
        (
            "lookup",
            "LAD22CD,PFA22CD,PFA22NM\nE06000047,E23000008\n",
            ["row 2", "2 fields where the header has 3"],
        ),
        (
            "ts",
            "Lower Tier Local Authorities Code,Ethnic group (20 categories) Code,Observation,"
            "Observation\nE06000047,13,100,200\n",
            ["row 1", "column 'Observation'", "appears 2 times"],
        ),
    ],
)
def test_census_bad(tmp_path, which, text, fragments):
    kwargs = {"ts_text": text} if which == "ts" else {"lookup_text": text}
    with pytest.raises(InputFileError) as info:
        build_populations(write_census(tmp_path / "c", **kwargs))
    message = str(info.value)
    assert (TS021_FILE if which == "ts" else LOOKUP_FILE) in message
    for fragment in fragments:
        assert fragment in message
    assert "\n" not in message


OUTCOMES_HEADER = (
    "financial_year,financial_quarter,force_name,offence_description,offence_group,"
    "offence_subgroup,offence_code,outcome_description,outcome_group,outcome_type,offences\n"
)
OUTCOMES_ROW = (
    "2017/18,1,Durham,Burglary,Theft offences,Burglary,28E,Charged/Summonsed,"
    "Charged/Summonsed,1,{n}\n"
)


def write_outcomes(path, text: str, gz: bool = False):
    data = text.encode()
    path.write_bytes(gzip.compress(data, mtime=0) if gz else data)
    return path


def test_outcomes_sound(tmp_path):
    path = write_outcomes(tmp_path / "o.csv.gz", OUTCOMES_HEADER + OUTCOMES_ROW.format(n=4), True)
    assert build_crime_outcomes(path)["offences"].tolist() == [4]


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("", ["empty"]),
        (OUTCOMES_HEADER, ["no data rows"]),
        (OUTCOMES_HEADER + "2017/18,1,Durham\n", ["row 2", "3 fields where the header has 11"]),
        (
            OUTCOMES_HEADER + OUTCOMES_ROW.format(n=1) + OUTCOMES_ROW.format(n="1,2"),
            ["row 3", "12 fields where the header has 11"],
        ),
        (
            OUTCOMES_HEADER + OUTCOMES_ROW.format(n="10000000000000000000"),
            ["row 2", "column 'offences'", "is not a count"],
        ),
        (
            OUTCOMES_HEADER + OUTCOMES_ROW.format(n="1e19"),
            ["row 2", "column 'offences'", "is not a count"],
        ),
        (  # a needed column named twice (it was a KeyError from pyarrow, with a traceback)
            OUTCOMES_HEADER.replace("offence_subgroup", "offences") + OUTCOMES_ROW.format(n=4),
            ["row 1", "column 'offences'", "appears 2 times"],
        ),
    ],
)
def test_outcomes_bad(tmp_path, text, fragments):
    with pytest.raises(InputFileError) as info:
        build_crime_outcomes(write_outcomes(tmp_path / "o.csv", text))
    for fragment in fragments:
        assert fragment in str(info.value)
    assert "\n" not in str(info.value)


def test_truncated_gzip(tmp_path):
    whole = gzip.compress((OUTCOMES_HEADER + OUTCOMES_ROW.format(n=4) * 2000).encode())
    path = tmp_path / "o.csv.gz"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InputFileError, match="gzip stream is truncated"):
        build_crime_outcomes(path)


def test_corrupt_gzip(tmp_path):
    path = tmp_path / "o.csv.gz"
    path.write_bytes(b"\x1f\x8b\x08\x00garbage-garbage-garbage")
    with pytest.raises(InputFileError, match="gzip"):
        build_crime_outcomes(path)


def test_gzip_bomb_bounded(tmp_path, monkeypatch):
    from peelstats.data import inputs

    path = tmp_path / "o.csv.gz"
    path.write_bytes(gzip.compress(b"a" * 100_000))
    monkeypatch.setattr(inputs, "MAX_INPUT_BYTES", 10_000)
    with pytest.raises(InputFileError, match="more than 10,000 bytes"):
        read_input_bytes(path, "o.csv.gz")


def test_strict_reader_rows_with_quoted_line_breaks(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text('a,b\n"x\ny",1\n\nz,2,3\n')
    with pytest.raises(InputFileError) as info:
        read_csv_strict(path, "t.csv", ["a"])
    assert info.value.row == 5  # the record after a two-line one and a blank line


def test_empty_audit_file(tmp_path):
    from peelstats.data.audits import read_audit_table

    (tmp_path / "reasonable_grounds.csv").write_text("")
    with pytest.raises(InputFileError, match="the file is empty"):
        read_audit_table("reasonable_grounds.csv", tmp_path)


def test_audit_count_of_1e19(tmp_path):
    from peelstats.data.audits import read_audit_table

    columns = GROUNDS_COLUMNS
    (tmp_path / "reasonable_grounds.csv").write_text(
        f"{columns}\ndurham,PEEL,2022-01,2022-12,all,x,1e19,2,,,\n"
    )
    with pytest.raises(InputFileError, match="'1e19' is not a count"):
        read_audit_table("reasonable_grounds.csv", tmp_path)


def test_audit_column_named_twice(tmp_path):
    """pandas would read the first 'published_percent' and silently rename the second."""
    from peelstats.data.audits import read_audit_table

    columns = GROUNDS_COLUMNS + ",published_percent"
    (tmp_path / "reasonable_grounds.csv").write_text(
        f"{columns}\ndurham,PEEL,2022-01,2022-12,all,x,196,254,,77.2,5.0,89.5\n"
    )
    with pytest.raises(InputFileError) as info:
        read_audit_table("reasonable_grounds.csv", tmp_path)
    message = str(info.value)
    assert "row 1" in message and "column 'published_percent'" in message
    assert "appears 2 times" in message and "\n" not in message


def test_default_table_with_an_overflowing_count(tmp_path):
    import shutil

    from peelstats.config import PROJECT_ROOT
    from peelstats.data.load import load_coverage

    folder = tmp_path / "d"
    shutil.copytree(PROJECT_ROOT / "data" / "default", folder)
    text = (folder / "coverage.csv").read_text().splitlines()
    fields = text[1].split(",")
    fields[3] = "10000000000000000000"  # records
    text[1] = ",".join(fields)
    (folder / "coverage.csv").write_text("\n".join(text) + "\n")
    with pytest.raises(InputFileError) as info:
        load_coverage(folder)
    assert "coverage.csv" in str(info.value) and "\n" not in str(info.value)


# ------------------------------------------------------------------ odd month-file names


def test_upper_case_extension_is_read_and_named(tmp_path):
    path = write_month(tmp_path, "2019-01", "durham", [row()])
    path.rename(path.with_suffix(".CSV"))
    archive = Archive(tmp_path)
    assert [(e.month, e.force) for e in archive.entries] == [("2019-01", "durham")]
    assert any("2019-01-durham-stop-and-search.CSV" in w for w in archive.warnings)


def test_surrounding_spaces_and_unicode_form_are_read_and_named(tmp_path):
    a = write_month(tmp_path, "2019-01", "durham", [row()])
    a.rename(a.with_name(" 2019-01-durham-stop-and-search.csv\u00a0"))
    b = write_month(tmp_path, "2019-01", "cleveland", [row()])
    wide = "2019-01-cleveland-stop-and-search.\uff43\uff53\uff56"  # full-width "csv"
    assert unicodedata.normalize("NFKC", wide) == b.name
    b.rename(b.with_name(wide))
    archive = Archive(tmp_path)
    assert sorted((e.month, e.force) for e in archive.entries) == [
        ("2019-01", "cleveland"),
        ("2019-01", "durham"),
    ]
    warned = " ".join(archive.warnings)
    assert " 2019-01-durham-stop-and-search.csv\u00a0: read as 2019-01 durham" in warned
    assert f"{wide}: read as 2019-01 cleveland" in warned
    assert len(read_archive(tmp_path, progress=False).records) == 2


def test_unicode_hyphens_are_named_in_a_warning(tmp_path):
    write_month(tmp_path, "2019-01", "durham", [row()])
    odd = "2019-01-durham-stop\u2010and\u2010search.csv"  # typographic hyphens
    (tmp_path / "2019-01" / odd).write_text(HEADER_TEXT + "\n")
    archive = Archive(tmp_path)
    assert len(archive.entries) == 1
    assert any(w.startswith(f"2019-01/{odd}: not read") for w in archive.warnings)


def test_names_differing_only_in_case_are_a_second_file(tmp_path):
    path = write_month(tmp_path, "2019-01", "durham", [row()])
    (path.parent / "2019-01-durham-stop-and-search.CSV").write_bytes(path.read_bytes())
    with pytest.raises(InputFileError, match="second file for durham 2019-01"):
        Archive(tmp_path)


def test_symlinked_month_folder_is_read(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    write_month(elsewhere, "2019-01", "durham", [row(), row()])
    root = tmp_path / "archive"
    write_month(root, "2019-02", "durham", [row(Date="2019-02-03T10:00:00+00:00")])
    (root / "2019-01").symlink_to(elsewhere / "2019-01", target_is_directory=True)
    data = read_archive(root, progress=False)
    assert data.coverage.set_index("month")["records"].to_dict() == {"2019-01": 2, "2019-02": 1}


def test_symlink_loop_is_named_not_followed_forever(tmp_path):
    write_month(tmp_path, "2019-01", "durham", [row()])
    (tmp_path / "2019-01" / "again").symlink_to(tmp_path, target_is_directory=True)
    archive = Archive(tmp_path)
    assert len(archive.entries) == 1
    assert any("again" in w and "already read" in w for w in archive.warnings)


def test_near_miss_names_are_named_in_a_warning(tmp_path):
    write_month(tmp_path, "2019-01", "durham", [row()])
    (tmp_path / "2019-01" / "2019-1-durham-stop-and-search.csv").write_text("x")
    (tmp_path / "stop-and-search-durham-2019-02.csv").write_text("x")
    archive = Archive(tmp_path)
    assert len(archive.entries) == 1
    warned = " ".join(archive.warnings)
    assert "2019-01/2019-1-durham-stop-and-search.csv: not read" in warned
    assert "stop-and-search-durham-2019-02.csv: not read" in warned


def test_warnings_reach_the_command_line(tmp_path, data_dir):
    from click.testing import CliRunner

    from peelstats.run.cli import cli

    path = write_month(tmp_path / "a", "2019-01", "durham", [row()])
    path.rename(path.with_suffix(".CSV"))
    result = CliRunner().invoke(cli, ["prepare", "-q", "--archive", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    assert "warning: 2019-01/2019-01-durham-stop-and-search.CSV: read as 2019-01 durham" in (
        result.output
    )


def test_an_input_file_error_survives_pickling():
    """A batch worker raises it to the batch process: file, row, column and text intact."""
    import pickle

    from peelstats.errors import InputFileError

    error = InputFileError("a.csv", "not a number", row=7, column="searches", expected="a count")
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is InputFileError and str(back) == str(error)
    assert (back.file, back.row, back.column, back.expected) == ("a.csv", 7, "searches", "a count")
