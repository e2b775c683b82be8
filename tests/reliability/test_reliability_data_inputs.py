"""``peelstats prepare`` end to end on hostile inputs and output folders: one line on stderr,
exit 2 (bad input) or 1 (environment), no traceback, nothing written, inputs unchanged.

The data layer's own tests (tests/data/test_data_input_files.py, test_data_zip.py,
test_data_outfolder.py) check each kind through the Python API; here each goes through the
command line in a subprocess, as a user would meet it.
"""

from __future__ import annotations

import gzip
import os
import struct
import zipfile

import pytest
from datahelpers import row, write_month
from relhelpers import assert_clean_error, peelstats, snapshot

from peelstats.data.archive import HEADER_TEXT

REL = "2019-01/2019-01-durham-stop-and-search.csv"
TS021 = "TS021-ethnic-group-by-ltla.csv"
LOOKUP = "LAD22-CSP22-PFA22-lookup.csv"


def _zip(tmp_path, **patch) -> list[str]:
    path = tmp_path / "in" / "archive.zip"
    path.parent.mkdir()
    body = ("\n".join([HEADER_TEXT, row(), row(Outcome="Arrest")]) + "\n").encode()
    if patch.get("bomb"):
        body = HEADER_TEXT.encode() + b"\n" + b"0" * (4 << 20)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(REL, body)
    data = bytearray(path.read_bytes())
    if patch.get("flags"):
        for signature, at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
            i = data.find(signature)
            struct.pack_into("<H", data, i + at, struct.unpack_from("<H", data, i + at)[0] | 1)
    if patch.get("crc"):
        i = data.find(b"PK\x01\x02")
        crc_at = i + 16
        struct.pack_into("<I", data, crc_at, struct.unpack_from("<I", data, crc_at)[0] ^ 1)
        j = data.find(b"PK\x03\x04")
        struct.pack_into("<I", data, j + 14, struct.unpack_from("<I", data, j + 14)[0] ^ 1)
    path.write_bytes(bytes(data))
    return ["--archive", str(path)]


def _archive(tmp_path) -> os.PathLike:
    root = tmp_path / "in" / "archive"
    write_month(root, "2019-02", "durham", [row(Date="2019-02-03T10:00:00+00:00")])
    return root


def _with(tmp_path, make) -> list[str]:
    root = _archive(tmp_path)
    make(root)
    return ["--archive", str(root)]


def _census(tmp_path, ts: str | bytes, lookup: str) -> list[str]:
    root = _archive(tmp_path)
    census = tmp_path / "in" / "census"
    census.mkdir()
    if isinstance(ts, bytes):  # bytes that need not be UTF-8
        (census / TS021).write_bytes(ts)
    else:
        (census / TS021).write_text(ts)
    (census / LOOKUP).write_text(lookup)
    return ["--archive", str(root), "--census", str(census)]


def _outcomes(tmp_path, data: bytes) -> list[str]:
    root = _archive(tmp_path)
    path = tmp_path / "in" / "outcomes.csv.gz"
    path.write_bytes(data)
    return ["--archive", str(root), "--outcomes", str(path)]


OUTCOMES = (
    "financial_year,financial_quarter,force_name,offence_description,offence_group,"
    "offence_subgroup,offence_code,outcome_description,outcome_group,outcome_type,offences\n"
    + "2017/18,1,Durham,Burglary,Theft offences,Burglary,28E,Charged/Summonsed,"
    "Charged/Summonsed,1,4\n" * 3000
)
TS_HEADER = "Lower Tier Local Authorities Code,Ethnic group (20 categories) Code,Observation\n"
LOOKUP_OK = "LAD22CD,PFA22CD,PFA22NM\nE06000047,E23000008,Durham\n"


def _month_named(month):
    def make(root):
        (root / month).mkdir()
        (root / month / f"{month}-durham-stop-and-search.csv").write_text(HEADER_TEXT + "\n")

    return make


#: kind -> (build the arguments in tmp_path, exit code, fragments of the one line)
CASES = {
    "zip member with a bad CRC": (lambda t: _zip(t, crc=True), 2, [REL, "bad CRC-32"]),
    "encrypted zip member": (lambda t: _zip(t, flags=True), 2, [REL, "encrypted"]),
    "zip bomb": (lambda t: _zip(t, bomb=True), 2, [REL, "zip bomb"]),
    "FIFO named like a month file": (
        lambda t: _with(t, lambda r: ((r / "2019-01").mkdir(), os.mkfifo(r / REL))),
        2,
        [REL, "named pipe (FIFO)"],
    ),
    "dangling symlink": (
        lambda t: _with(t, lambda r: ((r / "2019-01").mkdir(), (r / REL).symlink_to(r / "x"))),
        2,
        [REL, "symbolic link", "does not exist"],
    ),
    "folder named like a CSV": (
        lambda t: _with(t, lambda r: (r / REL).mkdir(parents=True)),
        2,
        [REL, "is a folder"],
    ),
    "field over the csv limit": (
        lambda t: _with(
            t, lambda r: write_month(r, "2019-01", "durham", [row(Policing_operation="x" * 200000)])
        ),
        2,
        [REL, "row 2", "longer than 131,072 characters"],
    ),
    "year 0000": (
        lambda t: _with(t, _month_named("0000-01")),
        2,
        ["0000-01/0000-01-durham", "year 0000"],
    ),
    "month in the future": (
        lambda t: _with(t, _month_named("2099-01")),
        2,
        ["2099-01/2099-01-durham", "in the future"],
    ),
    "empty Census table": (lambda t: _census(t, "", LOOKUP_OK), 2, [TS021, "empty"]),
    "ragged Census table": (
        lambda t: _census(t, TS_HEADER + "E06000047,13,5\nE06000047,14\n", LOOKUP_OK),
        2,
        [TS021, "row 3", "2 fields where the header has 3"],
    ),
    "Census count of 1e19": (
        lambda t: _census(t, TS_HEADER + "E06000047,13,10000000000000000000\n", LOOKUP_OK),
        2,
        [TS021, "row 2", "column 'Observation'", "is not a count"],
    ),
    "truncated gzip": (
        lambda t: _outcomes(t, gzip.compress(OUTCOMES.encode())[:-200]),
        2,
        ["outcomes.csv.gz", "truncated"],
    ),
    "empty outcomes file": (
        lambda t: _outcomes(t, gzip.compress(b"")),
        2,
        ["outcomes.csv.gz", "empty"],
    ),
    # was a UnicodeDecodeError traceback (pyarrow had taken the column as binary)
    "outcomes value that is not UTF-8": (
        lambda t: _outcomes(
            t, gzip.compress(OUTCOMES.encode() + OUTCOMES.splitlines()[1].encode() + b"\xe9\n")
        ),
        2,
        ["outcomes.csv.gz", "row 3002", "column 'offences'", "byte 0xe9 is not valid UTF-8"],
    ),
    # was a UnicodeDecodeError traceback
    "Census header that is not UTF-8": (
        lambda t: _census(
            t, TS_HEADER.replace("Code,", "C\xf6de,", 1).encode("latin-1"), LOOKUP_OK
        ),
        2,
        [TS021, "row 1", "byte 0xf6 is not valid UTF-8"],
    ),
}


@pytest.mark.parametrize("kind", list(CASES))
def test_prepare_refuses_hostile_input(kind, tmp_path, data_copy):
    make, code, fragments = CASES[kind]
    args = make(tmp_path)
    inputs = tmp_path / "in"
    before = {"data": snapshot(data_copy), "in": snapshot(inputs)}
    out = tmp_path / "prepared"

    proc = peelstats(
        "prepare", "-q", *args, "--out", str(out),
        env={"PEELSTATS_DATA_DIR": str(data_copy)}, timeout=120,
    )  # fmt: skip

    assert proc.returncode == code
    assert_clean_error(proc, *fragments)
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "in"]  # nothing else written
    assert {"data": snapshot(data_copy), "in": snapshot(inputs)} == before


def _own_folder(tmp_path, archive):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("years of work")
    return folder


def _a_file(tmp_path, archive):
    path = tmp_path / "f.txt"
    path.write_text("x")
    return path


#: --out kind -> (make the folder from tmp_path and the archive, fragments)
OUTS = {
    "a folder prepare did not write": (_own_folder, ["did not write"]),
    "the archive itself": (lambda t, a: a, ["is the input"]),
    "a folder holding the archive": (lambda t, a: t / "in", ["contains the input"]),
    "a folder inside the archive": (lambda t, a: a / "2019-02" / "out", ["inside the input"]),
    "a file": (_a_file, ["is a file"]),
}


@pytest.mark.parametrize("kind", list(OUTS))
def test_prepare_refuses_out(kind, tmp_path, data_copy):
    make, fragments = OUTS[kind]
    archive = _archive(tmp_path)
    out = make(tmp_path, archive)
    before = snapshot(tmp_path)

    proc = peelstats(
        "prepare", "-q", "--archive", str(archive), "--out", str(out),
        env={"PEELSTATS_DATA_DIR": str(data_copy)},
    )  # fmt: skip

    assert_clean_error(proc, str(out), *fragments)
    assert snapshot(tmp_path) == before
