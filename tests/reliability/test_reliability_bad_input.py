"""Bad input stops a command with one clear line (what and where), exit code 2, no traceback,
and nothing written to processed data or outputs.

Each case drives the real command line in a subprocess. The data layer's own tests
(tests/data/test_data_archive.py) locate every kind of bad archive file through the Python API;
here the same kinds go end to end through ``peelstats prepare``.
"""

from __future__ import annotations

import pytest
from datahelpers import row, write_month
from relhelpers import PERIOD, assert_clean_error, peelstats, snapshot

from peelstats.data.archive import HEADER_TEXT

REL = "2019-01/2019-01-durham-stop-and-search.csv"
STREET_HEADER = (
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,"
    "Crime type,Last outcome category,Context"
)


def _lines(*rows: str) -> bytes:
    return ("\n".join([HEADER_TEXT, *rows]) + "\n").encode()


#: kind -> (file content, fragments the one-line message must contain)
BAD_FILES = {
    "truncated": (
        "\n".join([HEADER_TEXT, row(), row()[:40]]).encode(),  # cut mid-record, no newline
        ["row 3", "truncated"],
    ),
    "semicolon delimiter": (
        _lines(row()).replace(b",", b";"),
        ["row 1", "separated by ';', not commas"],
    ),
    "tab delimiter": (
        _lines(row()).replace(b",", b"\t"),
        ["row 1", "separated by '\\t', not commas"],
    ),
    "street-crime file": (
        f"{STREET_HEADER}\nabc,2019-01,Durham Constabulary,Durham Constabulary,-1.5,54.7,"
        "On or near X,E01000001,Durham 001A,Burglary,Under investigation,\n".encode(),
        ["row 1", "column 'Crime ID'", "not a stop-and-search header"],
    ),
    "non-UTF-8 bytes": (
        _lines(row()) + row(Policing_operation="Op \xe9").encode("latin-1") + b"\n",
        ["row 3", "column 'Policing operation'", "UTF-8"],
    ),
    "date after the month": (
        _lines(row(), row(Date="2019-02-01T00:00:00+00:00")),
        ["row 3", "column 'Date'", "outside the file's month 2019-01"],
    ),
    "date before the month": (
        _lines(row(Date="2018-12-30T12:00:00+00:00")),
        ["row 2", "column 'Date'", "outside the file's month 2019-01"],
    ),
    "unknown self-defined ethnicity": (
        _lines(row(), row(Self_defined_ethnicity="Martian")),
        ["row 3", "column 'Self-defined ethnicity'", "'Martian'"],
    ),
    "unknown officer-defined ethnicity": (
        _lines(row(Officer_defined_ethnicity="Green")),
        ["row 2", "column 'Officer-defined ethnicity'", "'Green'"],
    ),
    "unknown outcome": (
        _lines(row(), row(), row(Outcome="Sent to the moon")),
        ["row 4", "column 'Outcome'", "'Sent to the moon'"],
    ),
    "empty file": (b"", ["row 1", "empty file"]),
}


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_prepare_rejects_bad_file(kind, tmp_path, data_copy):
    content, fragments = BAD_FILES[kind]
    archive = tmp_path / "archive"
    write_month(archive, "2019-02", "cleveland", [row(Date="2019-02-02T10:00:00+00:00")])
    write_month(archive, "2019-01", "durham", content)
    (data_copy / "processed" / "keep.txt").write_text("previous output\n")
    before = {"data": snapshot(data_copy), "archive": snapshot(archive)}
    out = tmp_path / "prepared"

    proc = peelstats(
        "prepare", "-q", "--archive", str(archive), "--out", str(out),
        env={"PEELSTATS_DATA_DIR": str(data_copy)},
    )  # fmt: skip

    assert_clean_error(proc, REL, *fragments)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive", "data"]  # no temp folder
    assert {"data": snapshot(data_copy), "archive": snapshot(archive)} == before


def _edit_audit(data_dir, name: str, old: str | None, new: str | bytes) -> None:
    path = data_dir / "raw" / "audits" / name
    if old is None:  # the whole file
        path.write_text(new, encoding="utf-8")
        return
    text = path.read_text(encoding="utf-8")
    assert old in text
    if isinstance(new, bytes):  # bytes that need not be UTF-8
        path.write_bytes(text.encode("utf-8").replace(old.encode("utf-8"), new, 1))
        return
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


#: kind -> (table, text replaced, replacement, fragments of the message)
BAD_AUDITS = {
    "negative count": (
        "reasonable_grounds.csv", ",196,254,", ",-196,254,",
        ["row 2", "column 'grounds_recorded'", "'-196' is not a count"],
    ),
    "non-integer count": (
        "reasonable_grounds.csv", ",196,254,", ",196,254.5,",
        ["row 2", "column 'records_reviewed'", "'254.5' is not a count"],
    ),
    "text for a count": (
        "reasonable_grounds.csv", ",196,254,", ",196,many,",
        ["row 2", "column 'records_reviewed'", "'many' is not a count"],
    ),
    "successes > n": (
        "reasonable_grounds.csv", ",196,254,", ",296,254,",
        ["row 2", "column 'grounds_recorded'", "exceeds records_reviewed"],
    ),
    "zero reviewed": (
        "reasonable_grounds.csv", ",11,14,", ",0,0,",
        ["row 3", "column 'records_reviewed'", "records_reviewed is 0"],
    ),
    "percent above 100": (
        "crime_data_integrity.csv", ",96.2,1.9,", ",962,1.9,",
        ["row 2", "column 'published_percent'", "'962' is not a percentage"],
    ),
    "negative count in outcomes": (
        "published_outcomes.csv", ",51315,", ",-51315,",
        ["row 2", "column 'crimes'", "is not a count"],
    ),
    # rows that passed the up-front check and then failed inside a notebook
    "no counts and no percent": (
        "reasonable_grounds.csv", ",89.5,5.3,", ",,,",
        ["row 4", "column 'grounds_recorded'", "neither counts nor a published percent"],
    ),
    "0% +/- 0": (
        "crime_data_integrity.csv", ",96.2,1.9,", ",0,0,",
        ["row 2", "column 'published_margin'", "a margin of 0"],
    ),
    "blank text field": (
        "reasonable_grounds.csv", "durham,PEEL 2023-25,", "durham, ,",
        ["row 2", "column 'audit'", "blank"],
    ),
    "sampled_from smaller than reviewed": (
        "reasonable_grounds.csv", ",196,254,,", ",196,254,10,",
        ["row 2", "column 'sampled_from'", "smaller than records_reviewed"],
    ),
    "malformed month": (
        "reasonable_grounds.csv", ",2022-01,2022-12,all,", ",2022-13,2022-12,all,",
        ["row 2", "column 'records_from'", "'2022-13' is not a month"],
    ),
    "count of 1e19": (
        "reasonable_grounds.csv", ",196,254,", ",1e19,254,",
        ["row 2", "column 'grounds_recorded'", "'1e19' is not a count"],
    ),
    "empty audit file": ("crime_data_integrity.csv", None, "", ["the file is empty"]),
    "force id shaped like a path": (
        "reasonable_grounds.csv", "durham,PEEL 2023-25,", "../../x,PEEL 2023-25,",
        ["row 2", "column 'force'"],
    ),
    "comparability neither yes nor no": (
        "crime_data_integrity.csv", ",96.2,1.9,no,", ",96.2,1.9,perhaps,",
        ["row 2", "column 'comparable_with_previous'", "not yes or no"],
    ),
    "byte that is not UTF-8, near the end": (
        "crime_data_integrity.csv", ',92.7,,,,,"Durham Constabulary,',
        b',92.7,,,,,"Durham Constabul\xe9ry,',
        ["row 7", "column 'source'", "byte 0xe9 is not valid UTF-8"],
    ),
    "published figure with an unknown measure": (
        "published_figures.csv", "durham,searches,all,", "durham,searchez,all,",
        ["row 2", "column 'measure'", "unknown measure 'searchez'"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("command", ["batch", "run"])
@pytest.mark.parametrize("kind", list(BAD_AUDITS))
def test_run_rejects_bad_audit_table(kind, command, tmp_path, data_copy):
    table, old, new, fragments = BAD_AUDITS[kind]
    _edit_audit(data_copy, table, old, new)
    before = snapshot(data_copy)
    out = tmp_path / "outputs"
    args = (
        ["batch", "--forces", "durham", "--periods", PERIOD]
        if command == "batch"
        else ["run", "--force", "durham", "--period", PERIOD]
    )

    proc = peelstats(*args, "--out", str(out), env={"PEELSTATS_DATA_DIR": str(data_copy)})

    assert_clean_error(proc, f"audits/{table}", *fragments)
    assert not out.exists()
    assert snapshot(data_copy) == before


#: arguments -> fragments of the message
BAD_ARGUMENTS = {
    "unknown force": (["run", "--force", "nowhere"], ["unknown force id 'nowhere'"]),
    "close misspelling": (["run", "--force", "durhma"], ["did you mean durham"]),
    "force with ..": (["run", "--force", ".."], ["force id '..'", "path separators or '..'"]),
    "force with /": (["run", "--force", "../../etc"], ["force id '../../etc'"]),
    "force with \\": (["run", "--force", "durham\\x"], ["path separators"]),
    "force list with ..": (["batch", "--forces", "durham,../x"], ["force id '../x'"]),
    "period 2021Q5": (["run", "--period", "2021Q5"], ["period '2021Q5' is not a quarter"]),
    "period 21Q1": (["run", "--period", "21Q1"], ["period '21Q1' is not a quarter"]),
    "period 2021-13": (["run", "--period", "2021-13"], ["period '2021-13' is not a quarter"]),
    "batch period 2021Q5": (["batch", "--periods", "2021Q5"], ["'2021Q5' is not a quarter"]),
    "batch range 2021-13:2021Q3": (
        ["batch", "--periods", "2021-13:2021Q3"],
        ["'2021-13' is not a quarter"],
    ),
    "backwards range": (["batch", "--periods", "2021Q3:2020Q1"], ["runs backwards"]),
    "confidence 2": (["run", "--confidence", "2"], ["--confidence must be between 0 and 1"]),
    "confidence 95": (["run", "--confidence", "95"], ["--confidence", "for 95% give 0.95"]),
    "confidence 95%": (["run", "--confidence", "95%"], ["not '95%'", "for 95% give 0.95"]),
    "confidence 99.8 (batch)": (["batch", "--confidence", "99.8"], ["for 99.8% give 0.998"]),
    "confidence not a number": (["run", "--confidence", "high"], ["such as 0.95, not 'high'"]),
    "ethnicity near miss": (
        ["run", "--ethnicity", "offcer"],
        ["--ethnicity must be 'self' (self-defined) or 'officer'", "did you mean 'officer'?"],
    ),
    "ethnicity near miss (batch)": (["batch", "--ethnicity", "slef"], ["did you mean 'self'?"]),
    "kernels near miss": (["batch", "--kernels", "fersh"], ["--kernels", "did you mean 'fresh'?"]),
    "run with a period range": (
        ["run", "--period", "2020Q1:2021Q3"],
        ["--period '2020Q1:2021Q3': run makes one quarter's report", "batch --periods"],
    ),
    "force name near miss": (
        ["run", "--force", "West Midland"],
        ["unknown force id 'West Midland'", "did you mean west-midlands"],
    ),
    "workers 0": (["batch", "--workers", "0"], ["--workers must be 1 or more"]),
    "missing data folder": (
        ["run", "--data", "{tmp}/no-such-folder"],
        ["no-such-folder", "no such data folder"],
    ),
    "missing data folder (batch)": (
        ["batch", "--data", "{tmp}/no-such-folder"],
        ["no-such-folder", "no such data folder"],
    ),
    "data is a file": (["run", "--data", "{tmp}/a-file"], ["a-file", "a file, not a data folder"]),
}


@pytest.mark.parametrize("kind", list(BAD_ARGUMENTS))
def test_bad_arguments(kind, tmp_path, data_copy):
    args, fragments = BAD_ARGUMENTS[kind]
    (tmp_path / "a-file").write_text("not a folder\n", encoding="utf-8")
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    if args[0] == "run":
        args += [] if "--force" in args else ["--force", "durham"]
        args += [] if "--period" in args else ["--period", PERIOD]
    else:
        args += [] if "--forces" in args else ["--forces", "durham"]
        args += [] if "--periods" in args else ["--periods", PERIOD]
    out = tmp_path / "outputs"
    before = snapshot(data_copy)

    proc = peelstats(
        *args, "--out", str(out),
        env={"PEELSTATS_DATA_DIR": str(data_copy), "PEELSTATS_OUTPUTS_DIR": str(tmp_path / "o2")},
    )  # fmt: skip

    assert_clean_error(proc, *fragments)
    assert not out.exists()
    assert not (tmp_path / "o2").exists()
    assert snapshot(data_copy) == before
