"""Read and validate a police.uk stop-and-search archive (a folder or a .zip).

Layout: ``YYYY-MM/YYYY-MM-<force>-stop-and-search.csv``, any forces, any months. Other files
in the archive (street crime, outcomes) are ignored. Every problem raises
:class:`~peelstats.errors.InputFileError` naming the file (path inside the archive), the row
(1-based line number, header = 1), the column and what was expected.

Files are read, hashed and parsed with pyarrow.csv a few at a time in threads (the label columns
straight into dictionary-encoded arrays, the others as text) and validated column-wise on the
combined records: each check looks at a column's distinct values once and finds the first
offending record by its code. Only when a check fails is the file re-read with the csv module
to find the exact line. Whatever finds a problem, the one reported is the first a file-by-file
read would have met.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import sys
import threading
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from tqdm import tqdm

from peelstats.data import normalise
from peelstats.data.inputs import check_regular, decode, read_input_bytes
from peelstats.data.months import EXPECTED as MONTH_EXPECTED
from peelstats.data.months import month_problem
from peelstats.errors import EnvironmentFault, InputFileError

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
#: a name that looks meant as a month file (reported when it does not follow the layout)
_LOOKS_LIKE = re.compile(r"stop\W*and\W*search", re.IGNORECASE)

#: Zip archives: the most bytes the stop-and-search members may hold once decompressed, in all
#: (police.uk's complete archive holds about 1.5 GB of them), and the largest compression ratio
#: accepted for a member over :data:`ZIP_RATIO_MIN_BYTES` (real files compress 5 to 30 times; a
#: zip bomb a thousand times). Each member is read in blocks up to its declared size, never more.
ZIP_MAX_TOTAL_BYTES = 8 << 30
ZIP_MAX_RATIO = 200
ZIP_RATIO_MIN_BYTES = 1 << 20
_ZIP_METHODS = {
    zipfile.ZIP_STORED: "stored",
    zipfile.ZIP_DEFLATED: "deflate",
    zipfile.ZIP_BZIP2: "bzip2",
    zipfile.ZIP_LZMA: "lzma",
}
_READ_BLOCK = 1 << 20


@dataclass(frozen=True)
class Entry:
    """One monthly file of an archive."""

    rel: str  # path inside the archive, with forward slashes
    month: str  # YYYY-MM
    force: str  # police.uk force id


def _canonical(rel: str) -> str:
    """A path inside an archive as peelstats matches it: Unicode NFKC (full-width ``２０１９``
    is ``2019``), each part stripped of surrounding spaces, lower case (``.CSV``, ``Durham``)."""
    parts = [unicodedata.normalize("NFKC", part).strip() for part in rel.split("/")]
    return "/".join(parts).lower()


def _walk(root: Path) -> tuple[list[str], list[str], list[str]]:
    """Files and folders under ``root`` (paths relative to it), following symlinked folders;
    plus warnings for symlinked folders that loop back (visited once only)."""
    files: list[str] = []
    folders: list[str] = []
    warnings: list[str] = []
    seen = {os.path.realpath(root)}

    def on_error(exc: OSError) -> None:
        raise EnvironmentFault(f"cannot list {exc.filename}: {exc.strerror or exc}")

    for current, dirnames, filenames in os.walk(root, followlinks=True, onerror=on_error):
        base = Path(current).relative_to(root)
        keep = []
        for name in sorted(dirnames):
            full = os.path.join(current, name)
            rel = (base / name).as_posix()
            real = os.path.realpath(full)
            if real in seen:
                warnings.append(f"{rel}: a symbolic link back to a folder already read; not read")
                continue
            seen.add(real)
            folders.append(rel)
            keep.append(name)
        dirnames[:] = keep
        files.extend((base / name).as_posix() for name in sorted(filenames))
    return files, folders, warnings


class Archive:
    """A police.uk archive, read-only, from a folder or a zip file.

    File names are matched after Unicode NFKC normalisation, stripping spaces around each part
    and ignoring case, so ``2019-01-durham-stop-and-search.CSV`` is read; symlinked month
    folders are followed. Names that look like stop-and-search files but do not follow the
    layout are listed in :attr:`warnings` (never skipped silently). Anything named like a
    month file that is not a regular file (a folder, a named pipe, a dangling symlink) is an
    error.
    """

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.warnings: list[str] = []
        if not self.path.exists():
            if self.path.is_symlink():
                raise InputFileError(
                    str(path),
                    f"a symbolic link to {os.readlink(self.path)!r}, which does not exist",
                )
            raise InputFileError(
                str(path), "no such archive", expected="a folder or .zip of police.uk files"
            )
        self._zip: zipfile.ZipFile | None = None
        folders: list[str] = []
        if self.path.is_dir():
            names, folders, self.warnings = _walk(self.path)
        else:
            check_regular(self.path, str(path), "a folder or .zip of police.uk files")
            self._zip = _open_zip(self.path)
            names = [n for n in self._zip.namelist() if not n.endswith("/")]
            folders = [n.rstrip("/") for n in self._zip.namelist() if n.endswith("/")]
        for name in folders:
            if _NAME.search(_canonical(name)):
                raise InputFileError(
                    name, "is a folder, not a file", expected="a police.uk CSV file of this name"
                )
        entries = []
        for name in names:
            canonical = _canonical(name)
            m = _NAME.search(canonical)
            if not m:
                if _LOOKS_LIKE.search(canonical) and canonical.endswith(".csv"):
                    self.warnings.append(
                        f"{name}: not read; a month file is named "
                        "YYYY-MM/YYYY-MM-<force>-stop-and-search.csv"
                    )
                continue
            folder_month, month, force = m.groups()
            problem = month_problem(month)
            if problem:
                raise InputFileError(name, f"{problem} in the file name", expected=MONTH_EXPECTED)
            if folder_month != month:
                raise InputFileError(
                    name,
                    f"file for {month} sits in folder {folder_month}",
                    expected=f"{month}/{month}-{force}-stop-and-search.csv",
                )
            if name.split("/")[-2:] != canonical.split("/")[-2:]:
                self.warnings.append(
                    f"{name}: read as {month} {force} (its name differs from "
                    f"{month}/{month}-{force}-stop-and-search.csv in case, spaces or Unicode form)"
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
        if self._zip is not None:
            _check_zip_members(self._zip, [e.rel for e in entries])
        else:
            for e in entries:
                check_regular(self.path / e.rel, e.rel, "a police.uk CSV file")
        self.entries: list[Entry] = entries

    def read_bytes(self, entry: Entry) -> bytes:
        """The raw bytes of one file."""
        if self._zip is not None:
            return _read_member(self._zip, entry.rel)
        return read_input_bytes(self.path / entry.rel, entry.rel, expected="a police.uk CSV file")

    @property
    def is_zip(self) -> bool:
        return self._zip is not None

    def files(self) -> Iterator[tuple[Entry, bytes]]:
        for entry in self.entries:
            yield entry, self.read_bytes(entry)

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


# ---------------------------------------------------------------- zip archives


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile as exc:
        raise InputFileError(
            str(path), f"not a folder or a readable zip file ({exc})", expected="archive"
        ) from None
    except OSError as exc:
        raise EnvironmentFault(f"{path}: cannot be read: {exc.strerror or exc}") from None


def _check_zip_members(zf: zipfile.ZipFile, names: list[str]) -> None:
    """Encryption, compression method, sizes and ratios of the members to be read, from the
    zip's directory, before any member is decompressed."""
    total = 0
    for name in names:
        info = zf.getinfo(name)
        if info.flag_bits & 0x1:
            raise InputFileError(
                name, "the zip member is encrypted", expected="an unencrypted zip archive"
            )
        if info.compress_type not in _ZIP_METHODS:
            raise InputFileError(
                name,
                f"the zip member uses compression method {info.compress_type}, which peelstats "
                "cannot read",
                expected="stored, deflate, bzip2 or lzma",
            )
        total += info.file_size
        if total > ZIP_MAX_TOTAL_BYTES:
            raise InputFileError(
                name,
                f"the stop-and-search files of the zip decompress to more than "
                f"{ZIP_MAX_TOTAL_BYTES:,} bytes (ZIP_MAX_TOTAL_BYTES); not read",
                expected="a police.uk archive (a zip bomb is refused)",
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > ZIP_RATIO_MIN_BYTES and ratio > ZIP_MAX_RATIO:
            raise InputFileError(
                name,
                f"the zip member decompresses {ratio:,.0f} times (more than ZIP_MAX_RATIO = "
                f"{ZIP_MAX_RATIO}); not read",
                expected="a police.uk CSV (a zip bomb is refused)",
            )


def _read_member(zf: zipfile.ZipFile, name: str) -> bytes:
    """One member's bytes, read in blocks up to its declared size (never more), CRC checked."""
    info = zf.getinfo(name)
    limit = info.file_size
    if limit > ZIP_MAX_TOTAL_BYTES:
        raise InputFileError(
            name,
            f"the zip member decompresses to {limit:,} bytes, more than ZIP_MAX_TOTAL_BYTES = "
            f"{ZIP_MAX_TOTAL_BYTES:,}; not read",
            expected="a police.uk archive (a zip bomb is refused)",
        )
    out = io.BytesIO()
    try:
        with zf.open(info) as fh:
            while block := fh.read(min(_READ_BLOCK, limit + 1 - out.tell())):
                out.write(block)
                if out.tell() > limit:
                    raise InputFileError(
                        name,
                        f"the zip member holds more than its declared {limit:,} bytes",
                        expected="a consistent zip archive",
                    )
        # the loop read to the end of the member, where zipfile checks the CRC-32
    except zipfile.BadZipFile as exc:
        reason = "bad CRC-32: the member is corrupt" if "CRC" in str(exc) else f"{exc}"
        raise InputFileError(
            name, f"unreadable zip member ({reason})", expected="a sound zip"
        ) from None
    except NotImplementedError as exc:
        raise InputFileError(
            name, f"unreadable zip member ({exc})", expected="stored, deflate, bzip2 or lzma"
        ) from None
    except RuntimeError as exc:  # encrypted (password required)
        raise InputFileError(
            name, f"unreadable zip member ({exc})", expected="an unencrypted zip archive"
        ) from None
    except (EOFError, zlib.error, OSError) as exc:
        raise InputFileError(
            name, f"unreadable zip member ({type(exc).__name__}: {exc})", expected="a sound zip"
        ) from None
    return out.getvalue()


# ---------------------------------------------------------------- parsing one file


def _decode(data: bytes, rel: str) -> str:
    """A month file's text; a byte that is not UTF-8 is named by row and column."""
    return decode(data, rel, COLUMNS)


def _record_lines(text: str, rel: str = "") -> Iterator[tuple[int, list[str]]]:
    """(first line number, fields) of every record after the header, via the csv module; a
    record the csv module cannot read (a field over its size limit) is an InputFileError."""
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        next(reader, None)
        start = reader.line_num + 1
        for fields in reader:
            yield start, fields
            start = reader.line_num + 1
    except csv.Error as exc:
        raise _csv_error(rel, start, exc) from None


def _csv_error(rel: str, line: int, exc: csv.Error) -> InputFileError:
    limit = csv.field_size_limit()
    if "field larger than field limit" in str(exc):
        return InputFileError(
            rel,
            f"a field longer than {limit:,} characters",
            row=line,
            expected=f"fields of at most {limit:,} characters (the csv module's limit)",
        )
    return InputFileError(rel, f"not readable as CSV ({exc})", row=line, expected="police.uk CSV")


def line_of_record(text: str, index: int, rel: str = "") -> int:
    """The 1-based line number on which data record ``index`` (0-based) starts."""
    for i, (line, _) in enumerate(_record_lines(text, rel)):
        if i == index:
            return line
    return index + 2


def _check_header(text: str, rel: str) -> None:
    if not text.strip():
        raise InputFileError(rel, "empty file (no header)", row=1, expected=HEADER_TEXT)
    limit = csv.field_size_limit()
    if len(text.split("\n", 1)[0]) > limit:
        raise InputFileError(
            rel, f"a header line longer than {limit:,} characters", row=1, expected=HEADER_TEXT
        )
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
    for line, fields in _record_lines(text, rel):
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


#: the columns with few distinct values: parsed straight into dictionary-encoded arrays
LABEL_COLUMNS = [c for c in COLUMNS if c not in ("Date", "Latitude", "Longitude")]
_LABEL_TYPE = pa.dictionary(pa.int32(), pa.string())
_SCHEMA = pa.schema([(c, _LABEL_TYPE if c in LABEL_COLUMNS else pa.string()) for c in COLUMNS])
_READ = pacsv.ReadOptions(skip_rows=1, column_names=COLUMNS, use_threads=False)
_CONVERT = pacsv.ConvertOptions(
    column_types={f.name: f.type for f in _SCHEMA},
    strings_can_be_null=False,
    quoted_strings_can_be_null=False,
)
_PARSE = pacsv.ParseOptions(newlines_in_values=False)
_BOM = b"\xef\xbb\xbf"
_HEADER_BYTES = HEADER_TEXT.encode("ascii")


def parse_file(data: bytes, rel: str) -> pa.Table:
    """Parse one file's bytes into a table of the 15 columns (:data:`_SCHEMA`: the label
    columns dictionary-encoded, the others text).

    A header-only file is a legitimate empty month: a table with no rows. A file that starts
    with the police.uk header line is parsed by pyarrow directly, which also checks that every
    value is UTF-8; any other file, or one pyarrow refuses, is decoded in full, its header
    checked and its rows read by the csv module (:func:`_parse_careful`), which names the
    problem, so every error reads as it did when each file was decoded first. Fields longer
    than the csv module's limit are checked afterwards, for all files at once
    (:func:`_check_field_sizes`).
    """
    data = cr_to_lf(data)
    body = data[3:] if data.startswith(_BOM) else data
    end = body.find(b"\n")
    first = body if end < 0 else body[:end]
    if first.rstrip(b"\r") == _HEADER_BYTES:
        try:
            return _read_csv(body)
        except pa.ArrowInvalid:
            pass
    return _parse_careful(data, rel)


def _read_csv(body: bytes) -> pa.Table:
    return pacsv.read_csv(
        io.BytesIO(body), read_options=_READ, parse_options=_PARSE, convert_options=_CONVERT
    )


def _parse_careful(data: bytes, rel: str) -> pa.Table:
    """:func:`parse_file` for a file that is not plainly well-formed: the whole text decoded
    (a byte that is not UTF-8 named by row), the header checked, then pyarrow, or the csv
    module for quoted line breaks or to name a row with the wrong number of fields."""
    text = _decode(data, rel)
    _check_header(text, rel)
    body = data[3:] if data.startswith(_BOM) else data
    try:
        return _read_csv(body)
    except pa.ArrowInvalid:
        records = [fields for _, fields in _record_lines(text, rel)]
        if any(len(f) != len(COLUMNS) for f in records):
            raise _find_bad_shape(text, rel) from None
        # quoted line breaks inside a value: valid CSV, parsed by the csv module instead
        columns = {c: pa.array([r[i] for r in records], pa.string()) for i, c in enumerate(COLUMNS)}
        return pa.table(
            {
                c: columns[c].dictionary_encode() if c in LABEL_COLUMNS else columns[c]
                for c in COLUMNS
            }
        )


def cr_to_lf(data: bytes) -> bytes:
    """Line ends as LF or CRLF: a file whose lines end in a bare CR (old Mac style) gets LF,
    so that every reader counts the same lines."""
    if b"\r" in data and b"\r" in data.replace(b"\r\n", b""):
        return re.sub(rb"\r(?!\n)", b"\n", data)
    return data


def _check_field_sizes(
    combined: pa.Table, tables: list[pa.Table], entries: list[Entry], texts
) -> None:
    """A field longer than the csv module's limit is refused, naming its file, row and column:
    the csv module (used to locate errors) could not read the file, and no police.uk value is
    near it. The first file in order with such a field is reported (its text, ``texts[i]``,
    decoded only then), and in it the first column and row, as a file-by-file check would."""
    limit = csv.field_size_limit()
    if combined.num_rows == 0:
        return
    # a value's length in bytes bounds its length in characters: most archives stop here
    longest = 0
    for name in COLUMNS:
        column = combined.column(name)
        if pa.types.is_dictionary(column.type):
            column = column.chunk(0).dictionary if column.num_chunks else pa.array([], pa.string())
        longest = max(longest, pc.max(pc.binary_length(column)).as_py() or 0)
    if longest <= limit:
        return
    for i, table in enumerate(tables):
        if table.num_rows == 0:
            continue
        text = texts[i]
        if len(text) <= limit:
            continue
        for name in table.column_names:
            lengths = pc.utf8_length(_plain(table.column(name)))
            if (pc.max(lengths).as_py() or 0) > limit:
                index = int(np.flatnonzero(lengths.to_numpy() > limit)[0])
                raise InputFileError(
                    entries[i].rel,
                    f"a field longer than {limit:,} characters",
                    row=_line_before_limit(text, index),
                    column=name,
                    expected=f"fields of at most {limit:,} characters (the csv module's limit)",
                )


def _plain(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """A column as text (a dictionary-encoded one decoded)."""
    if pa.types.is_dictionary(column.type):
        return column.cast(pa.string())
    return column


def _line_before_limit(text: str, index: int) -> int:
    """The line of record ``index``, found as far as the csv module can read."""
    try:
        return line_of_record(text, index)
    except InputFileError as exc:
        return exc.row or index + 2


# ---------------------------------------------------------------- reading many files


@dataclass
class Parsed:
    """Every record of an archive, column by column, before any check of its values.

    ``table`` holds the 15 columns (:data:`_SCHEMA`; each label column with one dictionary for
    all files), ``file_idx`` each record's file (index into the entries) and ``row_in_file``
    its record number in that file (0-based); ``sha256`` each file's hash as read."""

    table: pa.Table
    file_idx: np.ndarray
    row_in_file: np.ndarray
    sha256: list[str]

    def coded(self, name: str) -> tuple[np.ndarray, pa.Array]:
        """Column ``name`` as codes, one per record, into its distinct values (the codes in the
        integer type pandas keeps for a categorical of that many values)."""
        column = self.table.column(name)
        if not pa.types.is_dictionary(column.type):
            column = pc.dictionary_encode(column)
        # the chunks share one dictionary (unified, or encoded together): only the codes are
        # concatenated
        array = column.combine_chunks()
        dtype = code_dtype(len(array.dictionary))
        codes = array.indices.to_numpy(zero_copy_only=False).astype(dtype, copy=False)
        return codes, array.dictionary


def code_dtype(n: int) -> type:
    """The integer type pandas keeps the codes of a categorical with ``n`` categories in."""
    for dtype in (np.int8, np.int16, np.int32):
        if n < np.iinfo(dtype).max:
            return dtype
    return np.int64


def _load(archive: Archive, progress: bool) -> tuple[list[pa.Table], list[str], Exception | None]:
    """Each file's table and hash in order, up to the first file that fails, and its error."""
    zip_lock = threading.Lock() if archive.is_zip else None

    def load(entry: Entry) -> tuple[str, pa.Table]:
        if zip_lock is not None:
            with zip_lock:
                data = archive.read_bytes(entry)
        else:
            data = archive.read_bytes(entry)
        return hashlib.sha256(data).hexdigest(), parse_file(data, entry.rel)

    tables: list[pa.Table] = []
    hashes: list[str] = []
    with ThreadPoolExecutor(max_workers=_workers()) as pool:
        futures = [pool.submit(load, entry) for entry in archive.entries]
        try:
            for future in tqdm(
                futures,
                desc="reading",
                unit="file",
                file=sys.stderr,
                disable=None if progress else True,
            ):
                try:
                    digest, table = future.result()
                except Exception as exc:  # noqa: BLE001 - the caller raises it in turn
                    return tables, hashes, exc
                hashes.append(digest)
                tables.append(table)
        finally:
            for future in futures:
                future.cancel()
    return tables, hashes, None


def _workers() -> int:
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # pragma: no cover - not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, 8))


def read_all(archive: Archive, *, progress: bool = True) -> Parsed:
    """Read, hash and parse every file of ``archive`` (a few at a time, in threads: hashing and
    pyarrow's parse release the GIL), then check field sizes. The first problem in file order
    is raised, exactly as reading the files one by one would raise it."""
    entries = archive.entries
    tables, hashes, error = _load(archive, progress)
    combined = pa.concat_tables(tables).unify_dictionaries() if tables else _SCHEMA.empty_table()
    # the files before the first one that failed passed every check a file-by-file read made
    _check_field_sizes(combined, tables, entries, Texts(archive))
    if error is not None:
        raise error
    counts = np.array([t.num_rows for t in tables], dtype=np.int64)
    del tables
    starts = np.cumsum(counts) - counts
    file_idx = np.repeat(np.arange(len(counts), dtype=np.int32), counts)
    row_in_file = np.arange(int(counts.sum()), dtype=np.int64) - np.repeat(starts, counts)
    return Parsed(combined, file_idx, row_in_file, hashes)


class Texts:
    """List-like access to decoded file texts, read only when an error must be located."""

    def __init__(self, archive: Archive):
        self._archive = archive

    def __getitem__(self, i: int) -> str:
        entry = self._archive.entries[i]
        return _decode(cr_to_lf(self._archive.read_bytes(entry)), entry.rel)


# ---------------------------------------------------------------- validating many files


def _fail(
    texts,
    entries: list[Entry],
    file_idx: np.ndarray,
    row_in_file: np.ndarray,
    pos: int,
    column: str,
    message: str,
    expected: str,
) -> InputFileError:
    f = int(file_idx[pos])
    line = line_of_record(texts[f], int(row_in_file[pos]), entries[f].rel)
    return InputFileError(entries[f].rel, message, row=line, column=column, expected=expected)


@dataclass
class Checked:
    """The records' values once checked, each column as codes into its distinct values
    (``codes[name]``, ``values[name]``, for all 15 columns), plus the parsed dates and
    coordinates: ``dates`` (UTC, one per distinct ``Date`` value) and ``numbers`` (one per
    distinct ``Latitude`` / ``Longitude`` value, blank as NaN; None when pandas would not give
    a numeric column for them, and the coordinates are then parsed record by record, as
    before)."""

    codes: dict[str, np.ndarray]
    values: dict[str, pa.Array]
    dates: pd.Series
    numbers: dict[str, np.ndarray | None]


def _first(bad_codes: np.ndarray, codes: np.ndarray) -> int:
    """The first record whose code is flagged in ``bad_codes`` (a bool per distinct value)."""
    return int(np.flatnonzero(bad_codes[codes])[0])


def _text_series(values: pa.Array) -> pd.Series:
    """Distinct values as the text column pandas reads them into."""
    return pd.Series(values.to_pandas(), dtype="str")


#: a coordinate as police.uk writes it; pandas reads a column of these (and blanks) as float64
#: whether it may coerce or not
_DECIMAL = r"^-?[0-9]+\.[0-9]+$"


def _coordinates(values: pa.Array, coerced: pd.Series) -> np.ndarray | None:
    """The numbers ``pd.to_numeric`` gives for the distinct ``values`` of a coordinate column
    without coercion (``coerced``: with it), as ``_build`` takes them, or None when that is not
    a numeric array (it may keep the text, e.g. for integers beyond int64 of both signs, or
    raise)."""
    given = pc.not_equal(values, "")
    if pc.all(pc.or_kleene(pc.invert(given), pc.match_substring_regex(values, _DECIMAL))).as_py():
        return coerced.to_numpy()  # every value parsed alike in either mode
    distinct = _text_series(values)
    try:
        num = pd.to_numeric(distinct.where(distinct != ""))
    except (ValueError, TypeError):
        return None
    numeric = isinstance(num.dtype, np.dtype) and num.dtype.kind in "fiu"
    return num.to_numpy() if numeric else None


def validate(parsed: Parsed, entries: list[Entry], texts) -> Checked:
    """Check labels, dates and numbers of the combined records, in that order; each error names
    the first record in file order that fails. Each check looks at a column's distinct values
    once (vectorised: the records only as integer codes)."""
    file_idx, row_in_file = parsed.file_idx, parsed.row_in_file
    codes: dict[str, np.ndarray] = {}
    values: dict[str, pa.Array] = {}
    for column in COLUMNS:
        codes[column], values[column] = parsed.coded(column)

    def fail(pos: int, column: str, message: str, expected: str) -> InputFileError:
        return _fail(texts, entries, file_idx, row_in_file, pos, column, message, expected)

    def value(column: str, pos: int) -> str:
        return values[column][int(codes[column][pos])].as_py()

    for column, allowed in normalise.ALLOWED.items():
        bad = np.array([v not in allowed for v in values[column].to_pylist()], dtype=bool)
        if bad.any():
            pos = _first(bad, codes[column])
            raise fail(
                pos,
                column,
                f"unknown label {value(column, pos)!r}",
                normalise.EXPECTED[column],
            )
    numbers: dict[str, np.ndarray | None] = {}
    for column in ("Latitude", "Longitude"):
        distinct = _text_series(values[column])
        num = pd.to_numeric(distinct.where(distinct != ""), errors="coerce")
        bad = num.isna().to_numpy() & (distinct != "").to_numpy()
        if bad.any():
            pos = _first(bad, codes[column])
            raise fail(
                pos,
                column,
                f"{value(column, pos)!r} is not a number",
                "a decimal number or blank",
            )
        numbers[column] = _coordinates(values[column], num)
    raw = _text_series(values["Date"])
    dates = pd.to_datetime(raw, format="ISO8601", utc=True, errors="coerce")
    bad = dates.isna().to_numpy()
    if bad.any():
        pos = _first(bad, codes["Date"])
        raise fail(
            pos,
            "Date",
            f"unparsable date {value('Date', pos)!r}",
            "an ISO 8601 timestamp such as 2019-01-31T23:00:00+00:00",
        )
    months = np.array([e.month for e in entries])
    month_start = months.astype("datetime64[M]")[file_idx]
    month_end = month_start + np.timedelta64(1, "M")
    start = month_start.astype("datetime64[s]") - EDGE.to_timedelta64().astype("timedelta64[s]")
    d = dates.dt.tz_convert(None).to_numpy()[codes["Date"]]
    bad = (d < start) | (d >= month_end)
    if bad.any():
        pos = int(np.flatnonzero(bad)[0])
        month = months[file_idx[pos]]
        raise fail(
            pos,
            "Date",
            f"date {value('Date', pos)!r} is outside the file's month {month}",
            f"a time in {month} (UTC), or at most {int(EDGE.total_seconds() // 3600)} "
            "hours before it",
        )
    return Checked(codes, values, dates, numbers)
