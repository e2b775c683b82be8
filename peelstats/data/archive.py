"""Read and validate a police.uk stop-and-search archive (a folder or a .zip).

Layout: ``YYYY-MM/YYYY-MM-<force>-stop-and-search.csv``, any forces, any months. Other files
in the archive (street crime, outcomes) are ignored. Every problem raises
:class:`~peelstats.errors.InputFileError` naming the file (path inside the archive), the row
(1-based line number, header = 1), the column and what was expected.

Files are parsed with pyarrow.csv (all columns as text) and validated column-wise; only when a
check fails is the file re-read with the csv module to find the exact line.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from peelstats.data import normalise
from peelstats.errors import InputFileError

COLUMNS = [
    "Type",
    "Date",
    "Part of a policing operation",
    "Policing operation",
    "Latitude",
    "Longitude",
    "Gender",
    "Age range",
    "Self-defined ethnicity",
    "Officer-defined ethnicity",
    "Legislation",
    "Object of search",
    "Outcome",
    "Outcome linked to object of search",
    "Removal of more than just outer clothing",
]
HEADER_TEXT = ",".join(COLUMNS)

#: Timestamps are UTC; under UK summer time a search at 00:xx local on the 1st is dated 23:xx on
#: the last day of the previous month and published in this month's file. Allowed edge:
EDGE = pd.Timedelta(hours=3)

_NAME = re.compile(r"(?:^|/)(\d{4}-\d{2})/(\d{4}-\d{2})-([a-z0-9-]+)-stop-and-search\.csv$")
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


@dataclass(frozen=True)
class Entry:
    """One monthly file of an archive."""

    rel: str  # path inside the archive, with forward slashes
    month: str  # YYYY-MM
    force: str  # police.uk force id


class Archive:
    """A police.uk archive, read-only, from a folder or a zip file."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        if not self.path.exists():
            raise InputFileError(
                str(path), "no such archive", expected="a folder or .zip of police.uk files"
            )
        self._zip: zipfile.ZipFile | None = None
        if self.path.is_dir():
            names = [p.relative_to(self.path).as_posix() for p in self.path.rglob("*.csv")]
        elif zipfile.is_zipfile(self.path):
            self._zip = zipfile.ZipFile(self.path)
            names = [n for n in self._zip.namelist() if not n.endswith("/")]
        else:
            raise InputFileError(str(path), "not a folder or a zip file", expected="archive")
        entries = []
        for name in names:
            m = _NAME.search(name)
            if not m:
                continue
            folder_month, month, force = m.groups()
            if not _MONTH.match(month):
                raise InputFileError(name, f"month {month!r} in the file name is not valid")
            if folder_month != month:
                raise InputFileError(
                    name,
                    f"file for {month} sits in folder {folder_month}",
                    expected=f"{month}/{month}-{force}-stop-and-search.csv",
                )
            entries.append(Entry(name, month, force))
        if not entries:
            raise InputFileError(
                str(path),
                "no stop-and-search files found",
                expected="files named YYYY-MM/YYYY-MM-<force>-stop-and-search.csv",
            )
        entries.sort(key=lambda e: (e.month, e.force, e.rel))
        seen: dict[tuple[str, str], str] = {}
        for e in entries:
            if (e.month, e.force) in seen:
                raise InputFileError(
                    e.rel, f"second file for {e.force} {e.month} (first: {seen[e.month, e.force]})"
                )
            seen[e.month, e.force] = e.rel
        self.entries: list[Entry] = entries

    def read_bytes(self, entry: Entry) -> bytes:
        """The raw bytes of one file."""
        if self._zip is not None:
            return self._zip.read(entry.rel)
        return (self.path / entry.rel).read_bytes()

    def files(self) -> Iterator[tuple[Entry, bytes]]:
        for entry in self.entries:
            yield entry, self.read_bytes(entry)

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


# ---------------------------------------------------------------- parsing one file


def _decode(data: bytes, rel: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        start = data.rfind(b"\n", 0, exc.start) + 1
        field = data[start : exc.start].count(b",")  # approximate: quoted commas are rare
        column = COLUMNS[field] if field < len(COLUMNS) else None
        raise InputFileError(
            rel,
            f"byte 0x{data[exc.start]:02x} is not valid UTF-8",
            row=line,
            column=column,
            expected="UTF-8 text",
        ) from None
    return text.removeprefix("\ufeff")


def _record_lines(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, fields) of every record after the header, via the csv module."""
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader, None)
    start = reader.line_num + 1
    for fields in reader:
        yield start, fields
        start = reader.line_num + 1


def line_of_record(text: str, index: int) -> int:
    """The 1-based line number on which data record ``index`` (0-based) starts."""
    for i, (line, _) in enumerate(_record_lines(text)):
        if i == index:
            return line
    return index + 2


def _check_header(text: str, rel: str) -> None:
    if not text.strip():
        raise InputFileError(rel, "empty file (no header)", row=1, expected=HEADER_TEXT)
    first = next(csv.reader(io.StringIO(text.split("\n", 1)[0].rstrip("\r"))), [])
    if first == COLUMNS:
        return
    line = text.split("\n", 1)[0].rstrip("\r")
    for delimiter in (";", "\t", "|"):
        if len(first) == 1 and line.split(delimiter) == COLUMNS:
            raise InputFileError(
                rel,
                f"fields are separated by {delimiter!r}, not commas",
                row=1,
                expected="a comma-separated police.uk file",
            )
    for i, name in enumerate(first):
        if i >= len(COLUMNS) or name != COLUMNS[i]:
            break
    else:
        i = len(first)
    got = ",".join(first)
    raise InputFileError(
        rel,
        f"not a stop-and-search header: {got[:60]!r}{'...' if len(got) > 60 else ''}",
        row=1,
        column=first[i] if i < len(first) else COLUMNS[i],
        expected=f"column {i + 1} {COLUMNS[i] if i < len(COLUMNS) else '(none)'!r} "
        "of the police.uk stop-and-search header",
    )


def _find_bad_shape(text: str, rel: str) -> InputFileError:
    truncated = not text.endswith("\n")
    for line, fields in _record_lines(text):
        if len(fields) != len(COLUMNS):
            n = len(fields)
            column = COLUMNS[n] if n < len(COLUMNS) else None
            what = "truncated row" if truncated and n < len(COLUMNS) else "wrong number of fields"
            return InputFileError(
                rel,
                f"{what}: {n} fields",
                row=line,
                column=column,
                expected=f"{len(COLUMNS)} comma-separated fields",
            )
    return InputFileError(rel, "could not be parsed as CSV", expected="police.uk CSV")


_READ = pacsv.ReadOptions(skip_rows=1, column_names=COLUMNS, use_threads=False)
_CONVERT = pacsv.ConvertOptions(
    column_types={c: pa.string() for c in COLUMNS},
    strings_can_be_null=False,
    quoted_strings_can_be_null=False,
)
_PARSE = pacsv.ParseOptions(newlines_in_values=False)


def parse_file(data: bytes, rel: str) -> tuple[pa.Table, str]:
    """Decode and parse one file's bytes: (table of 15 text columns, decoded text).

    A header-only file is a legitimate empty month: a table with no rows.
    """
    text = _decode(data, rel)
    _check_header(text, rel)
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        table = pacsv.read_csv(
            io.BytesIO(body), read_options=_READ, parse_options=_PARSE, convert_options=_CONVERT
        )
    except pa.ArrowInvalid:
        records = [fields for _, fields in _record_lines(text)]
        if any(len(f) != len(COLUMNS) for f in records):
            raise _find_bad_shape(text, rel) from None
        # quoted line breaks inside a value: valid CSV, parsed by the csv module instead
        table = pa.table(
            {c: pa.array([r[i] for r in records], pa.string()) for i, c in enumerate(COLUMNS)}
        )
    return table, text


# ---------------------------------------------------------------- validating many files


def _fail(
    texts: list[str],
    entries: list[Entry],
    file_idx: np.ndarray,
    row_in_file: np.ndarray,
    pos: int,
    column: str,
    message: str,
    expected: str,
) -> InputFileError:
    f = int(file_idx[pos])
    line = line_of_record(texts[f], int(row_in_file[pos]))
    return InputFileError(entries[f].rel, message, row=line, column=column, expected=expected)


def validate(df: pd.DataFrame, entries: list[Entry], texts: list[str]) -> pd.Series:
    """Check labels, dates and numbers of the combined records; return the parsed UTC dates.

    ``df`` holds the 15 text columns plus ``file_idx`` and ``row_in_file``.
    """
    file_idx = df["file_idx"].to_numpy()
    row_in_file = df["row_in_file"].to_numpy()
    for column, allowed in normalise.ALLOWED.items():
        values = df[column]
        uniques = pd.unique(values)
        bad = [u for u in uniques if u not in allowed]
        if bad:
            pos = int(np.flatnonzero(values.isin(bad).to_numpy())[0])
            raise _fail(
                texts,
                entries,
                file_idx,
                row_in_file,
                pos,
                column,
                f"unknown label {values.iat[pos]!r}",
                normalise.EXPECTED[column],
            )
    for column in ("Latitude", "Longitude"):
        values = df[column]
        num = pd.to_numeric(values.where(values != ""), errors="coerce")
        bad = num.isna().to_numpy() & (values != "").to_numpy()
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            raise _fail(
                texts,
                entries,
                file_idx,
                row_in_file,
                pos,
                column,
                f"{values.iat[pos]!r} is not a number",
                "a decimal number or blank",
            )
    raw = df["Date"]
    dates = pd.to_datetime(raw, format="ISO8601", utc=True, errors="coerce")
    bad = dates.isna().to_numpy()
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        raise _fail(
            texts,
            entries,
            file_idx,
            row_in_file,
            pos,
            "Date",
            f"unparsable date {raw.iat[pos]!r}",
            "an ISO 8601 timestamp such as 2019-01-31T23:00:00+00:00",
        )
    months = np.array([e.month for e in entries])
    month_start = months.astype("datetime64[M]")[file_idx]
    month_end = month_start + np.timedelta64(1, "M")
    start = month_start.astype("datetime64[s]") - EDGE.to_timedelta64().astype("timedelta64[s]")
    d = dates.dt.tz_convert(None).to_numpy()
    bad = (d < start) | (d >= month_end)
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        month = months[file_idx[pos]]
        raise _fail(
            texts,
            entries,
            file_idx,
            row_in_file,
            pos,
            "Date",
            f"date {raw.iat[pos]!r} is outside the file's month {month}",
            f"a time in {month} (UTC), or at most {int(EDGE.total_seconds() // 3600)} "
            "hours before it",
        )
    return dates
