"""A byte that is not UTF-8 is named by file, row (header = row 1) and column in every file the
data layer reads: audit tables, Census and outcomes files, default and processed tables, the
manifest, revisions and PROVENANCE.md. None is read silently, none gives a traceback."""

from __future__ import annotations

import gzip
import shutil

import pytest

from peelstats.config import PROJECT_ROOT
from peelstats.data.census import LOOKUP_FILE, TS021_FILE, build_populations
from peelstats.data.inputs import decode, read_csv_strict
from peelstats.data.outcomes import build_crime_outcomes
from peelstats.errors import InputFileError

BAD = "\xe9"  # é, written as latin-1: the single byte 0xe9, which is not UTF-8


def error_of(call, *args) -> InputFileError:
    with pytest.raises(InputFileError) as info:
        call(*args)
    assert "\n" not in str(info.value)
    assert "0xe9 is not valid UTF-8" in str(info.value)
    return info.value


# ------------------------------------------------------------------ the decoder itself


@pytest.mark.parametrize(
    ("text", "row", "column"),
    [
        ("a,b,c\n1,2,3\n4,x" + BAD + ",6\n", 3, "b"),
        ('a,b,c\n1,"two, three",' + BAD + "\n", 2, "c"),  # a quoted comma is not a separator
        ('a,b,c\n1,"two\nlines",' + BAD + "\n", 2, "c"),  # the row on which the record starts
        ("a,b,c\r1,2,3\r" + BAD + ",5,6\r", 3, "a"),  # CR-only line ends
        ("\ufeffa,b,c\n\n1,2,3\n7,8," + BAD + "\n", 4, "c"),  # BOM and a blank line
        ("a,b" + BAD + ",c\n1,2,3\n", 1, "B"),  # in the header: named from the expected header
        ("a,b\n1,2\n" + BAD + "\n", 3, "a"),
    ],
)
def test_decode_names_row_and_column(text, row, column):
    data = text.replace("\ufeff", "").encode("latin-1")
    if text.startswith("\ufeff"):
        data = b"\xef\xbb\xbf" + data
    err = error_of(decode, data, "t.csv", ("A", "B", "C"))
    assert (err.file, err.row, err.column) == ("t.csv", row, column)


# ------------------------------------------------------------------ audit tables

AUDIT_HEADER = (
    "force,audit,records_from,records_to,group,grounds_recorded,records_reviewed,sampled_from,"
    "published_percent,published_margin,comparability_note,source"
)


def test_audit_table_names_file_row_and_column(tmp_path):
    from peelstats.data.audits import read_audit_table

    folder = tmp_path / "audits"
    folder.mkdir()
    good = 'durham,PEEL,2022-01,2022-12,all,1,2,,,,"compared, with care",HMICFRS'
    bad = f'durham,PEEL,2022-01,2022-12,all,1,2,,,,"compared, with care",Caf{BAD} HMICFRS'
    lines = [AUDIT_HEADER, *[good] * 5, bad, good]  # the bad byte on row 7, near the end
    (folder / "reasonable_grounds.csv").write_bytes(("\n".join(lines) + "\n").encode("latin-1"))
    err = error_of(read_audit_table, "reasonable_grounds.csv", folder)
    assert (err.file, err.row, err.column) == ("audits/reasonable_grounds.csv", 7, "source")
    assert str(err).startswith("audits/reasonable_grounds.csv, row 7, column 'source': ")


# ------------------------------------------------------------------ Census and outcomes


def write_census(folder, ts: str, lookup: str):
    folder.mkdir()
    (folder / TS021_FILE).write_bytes(ts.encode("latin-1"))
    (folder / LOOKUP_FILE).write_bytes(lookup.encode("latin-1"))
    return folder


TS = (
    "Lower Tier Local Authorities Code,Lower Tier Local Authorities,"
    "Ethnic group (20 categories) Code,Ethnic group (20 categories),Observation\n"
    "E06000047,County Durham,13,White: English,500000\n"
)
LOOKUP = "LAD22CD,LAD22NM,CSP22CD,CSP22NM,PFA22CD,PFA22NM,ObjectId\n"
LOOKUP_ROW = "E06000047,County Durham,E22000001,x,E23000008,Durham,1\n"


@pytest.mark.parametrize(
    ("ts", "lookup", "where"),
    [
        # a value: was read without a word (pyarrow took the column as binary)
        (TS, LOOKUP + LOOKUP_ROW.replace("County", f"C{BAD}unty"), (LOOKUP_FILE, 2, "LAD22NM")),
        # a header name: was a UnicodeDecodeError traceback from pyarrow
        (TS, LOOKUP.replace("LAD22NM", f"LAD22N{BAD}") + LOOKUP_ROW, (LOOKUP_FILE, 1, None)),
        (
            TS.replace("White:", f"Wh{BAD}te:"),
            LOOKUP + LOOKUP_ROW,
            (TS021_FILE, 2, "Ethnic group (20 categories)"),
        ),
    ],
)
def test_census_names_file_row_and_column(tmp_path, ts, lookup, where):
    err = error_of(build_populations, write_census(tmp_path / "c", ts, lookup))
    assert (err.file, err.row, err.column) == where


OUTCOMES = (
    "financial_year,financial_quarter,force_name,offence_description,offence_group,"
    "offence_subgroup,offence_code,outcome_description,outcome_group,outcome_type,offences\n"
)
OUTCOMES_ROW = (
    "2017/18,1,Durham,Burglary,Theft offences,Burglary,28E,Charged/Summonsed,"
    "Charged/Summonsed,1,4\n"
)


@pytest.mark.parametrize("gz", [False, True])
def test_outcomes_value_is_named_not_read(tmp_path, gz):
    bad = OUTCOMES_ROW.replace("Theft offences", f"Theft offenc{BAD}s")
    data = (OUTCOMES + OUTCOMES_ROW * 3 + bad + OUTCOMES_ROW).encode("latin-1")
    path = tmp_path / ("o.csv.gz" if gz else "o.csv")
    path.write_bytes(gzip.compress(data) if gz else data)
    err = error_of(build_crime_outcomes, path)
    assert (err.file, err.row, err.column) == (path.name, 5, "offence_group")


def test_strict_reader_far_down_a_large_file(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(b"a,b,c\n" + b"1,xyz,3\n" * 300_000 + b"4,caf\xe9,6\n")
    err = error_of(read_csv_strict, path, "t.csv", ["a"])
    assert (err.row, err.column) == (300_002, "b")


# ------------------------------------------------------------------ tables peelstats wrote


@pytest.fixture
def default_copy(tmp_path):
    folder = tmp_path / "d"
    shutil.copytree(PROJECT_ROOT / "data" / "default", folder)
    return folder


def _spoil_line(path, line: int, old: bytes, new: bytes) -> None:
    lines = path.read_bytes().split(b"\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_bytes(b"\n".join(lines))


def test_default_table(default_copy):
    from peelstats.data.load import load_coverage

    path = default_copy / "coverage.csv"
    force = path.read_bytes().split(b"\n")[5].split(b",")[0]
    _spoil_line(path, 6, force, force[:2] + b"\xe9" + force[3:])
    err = error_of(load_coverage, default_copy)
    assert (err.file, err.row, err.column) == (str(path), 6, "force")


def test_default_searches_table_is_named_when_rebuilding_the_manifest(default_copy):
    from peelstats.data.load import load_manifest

    path = default_copy / "searches.csv.gz"
    lines = gzip.decompress(path.read_bytes()).split(b"\n")
    lines[2] = lines[2].replace(b",", b",\xe9", 1)
    path.write_bytes(gzip.compress(b"\n".join(lines)))
    err = error_of(load_manifest, default_copy)
    assert (err.file, err.row) == (str(path), 3)


def test_provenance_with_a_bad_byte_is_one_line(default_copy):
    """Was a UnicodeDecodeError traceback."""
    from peelstats.data.load import load_manifest

    path = default_copy / "PROVENANCE.md"
    text = path.read_bytes()
    path.write_bytes(text + b"\nNotes: caf\xe9\n")
    err = error_of(load_manifest, default_copy)
    assert (err.file, err.row) == (str(path), text.count(b"\n") + 2)


def _prepared(tmp_path):
    """A processed folder from two prepares, so it holds a manifest and revisions."""
    from datahelpers import row, write_month

    from peelstats.data.prepare import prepare

    archive = tmp_path / "archive"
    write_month(archive, "2019-01", "durham", [row(), row(Outcome="Arrest")])
    out = tmp_path / "p"
    prepare(archive=archive, out=out, progress=False)
    write_month(archive, "2019-01", "durham", [row(), row(), row(Outcome="Arrest")])
    prepare(archive=archive, out=out, progress=False)
    return out


def test_manifest_and_revisions(tmp_path, data_dir):
    from peelstats.data.load import load_manifest, load_revisions

    out = _prepared(tmp_path)
    assert len(load_revisions(out)) == 1
    _spoil_line(out / "manifest.csv", 2, b"durham", b"durh\xe9m")
    err = error_of(load_manifest, out)
    assert (err.file, err.row, err.column) == (str(out / "manifest.csv"), 2, "force")
    _spoil_line(out / "revisions.csv", 2, b"durham", b"durh\xe9m")
    err = error_of(load_revisions, out)
    assert (err.file, err.row, err.column) == (str(out / "revisions.csv"), 2, "force")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [(b"", "the file is empty"), (b'force,month\n"durham,2019-01\n', "cannot be read")],
)
def test_unreadable_revisions_are_one_line(tmp_path, data_dir, text, fragment):
    """Was a pandas traceback."""
    from peelstats.data.load import load_revisions

    out = _prepared(tmp_path)
    (out / "revisions.csv").write_bytes(text)
    with pytest.raises(InputFileError) as info:
        load_revisions(out)
    assert str(out / "revisions.csv") in str(info.value) and fragment in str(info.value)
    assert "\n" not in str(info.value)
