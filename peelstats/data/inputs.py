"""Opening input files safely: regular files only, bounded reads, strict CSV.

Every input is opened without blocking and checked with ``fstat`` to be a regular file before a
byte is read, so a named pipe (FIFO) or a device named like a data file cannot hang ``prepare``;
a dangling symbolic link, a folder named like a file and a missing file each give one line. A
gzip-compressed input is decompressed in blocks up to :data:`MAX_INPUT_BYTES`, never more, and a
truncated or corrupt stream is reported as such. :func:`read_csv_strict` reads a CSV with the
csv module and checks that every record has as many fields as the header, naming the row.
"""

from __future__ import annotations

import csv
import errno
import gzip
import io
import os
import stat
import zlib
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from peelstats.errors import EnvironmentFault, InputFileError

#: Largest input read into memory, after decompression (1 GiB). The largest real input, the
#: Home Office outcomes file, is about 60 MB once decompressed; a gzip "bomb" stops here.
MAX_INPUT_BYTES = 1 << 30
_BLOCK = 1 << 20


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def not_regular(path: Path, label: str, expected: str = "a regular file") -> InputFileError | None:
    """The error for ``path`` if it is not a readable regular file (following symlinks)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            target = os.readlink(path)
            return InputFileError(
                label, f"a symbolic link to {target!r}, which does not exist", expected=expected
            )
        return InputFileError(label, "file not found", expected=expected)
    except OSError as exc:
        return InputFileError(label, f"cannot be read: {exc.strerror or exc}", expected=expected)
    if not stat.S_ISREG(st.st_mode):
        return InputFileError(label, f"is {_kind(st.st_mode)}, not a file", expected=expected)
    return None


def check_regular(path: Path, label: str, expected: str = "a regular file") -> None:
    error = not_regular(path, label, expected)
    if error is not None:
        raise error


def _open_regular(path: Path, label: str, expected: str) -> int:
    check_regular(path, label, expected)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except PermissionError:
        raise EnvironmentFault(f"{label}: permission denied reading the file") from None
    except OSError as exc:
        if exc.errno in (errno.ENXIO, errno.ENOENT, errno.EISDIR):
            raise InputFileError(label, "not a regular file", expected=expected) from None
        raise EnvironmentFault(f"{label}: cannot be read: {exc.strerror or exc}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):  # replaced between the check and the open
        os.close(fd)
        raise InputFileError(label, f"is {_kind(mode)}, not a file", expected=expected)
    return fd


def read_input_bytes(
    path: str | Path, label: str, *, expected: str = "a regular file", limit: int | None = None
) -> bytes:
    """The bytes of a regular file (decompressed when its name ends in ``.gz``), at most
    ``limit`` (default :data:`MAX_INPUT_BYTES`) of them."""
    path = Path(path)
    limit = MAX_INPUT_BYTES if limit is None else limit
    fd = _open_regular(path, label, expected)
    with os.fdopen(fd, "rb") as raw:
        if path.name.endswith(".gz"):
            return _gunzip(raw, label, limit)
        size = os.fstat(raw.fileno()).st_size
        if size > limit:
            raise InputFileError(
                label, f"{size:,} bytes, more than the {limit:,} peelstats reads", expected=expected
            )
        try:
            return raw.read()
        except OSError as exc:
            raise EnvironmentFault(f"{label}: cannot be read: {exc.strerror or exc}") from None


def _gunzip(raw, label: str, limit: int) -> bytes:
    out = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=raw, mode="rb") as gz:
            while block := gz.read(_BLOCK):
                out.write(block)
                if out.tell() > limit:
                    raise InputFileError(
                        label,
                        f"decompresses to more than {limit:,} bytes (the most peelstats reads)",
                        expected="a gzip-compressed CSV of a sensible size",
                    )
    except EOFError:
        raise InputFileError(
            label,
            "the gzip stream is truncated (the file was cut short)",
            expected="a complete .gz file",
        ) from None
    except (gzip.BadGzipFile, zlib.error) as exc:
        raise InputFileError(
            label, f"not a valid gzip file ({exc})", expected="a gzip-compressed CSV"
        ) from None
    return out.getvalue()


def decode(data: bytes, label: str, columns: Sequence[str] = (), *, table: bool = True) -> str:
    """UTF-8 text (a leading byte-order mark dropped), or an error naming the first byte that
    is not UTF-8 by row and column (:func:`locate`); by line only when the text is not a CSV
    table (``table=False``)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if table:
            row, column = locate(data, exc.start, columns)
        else:
            row, column = data[: exc.start].count(b"\n") + 1, None
        raise InputFileError(
            label,
            f"byte 0x{data[exc.start]:02x} is not valid UTF-8",
            row=row,
            column=column,
            expected="UTF-8 text",
        ) from None
    return text.removeprefix("\ufeff")


def locate(data: bytes, at: int, columns: Sequence[str] = ()) -> tuple[int, str | None]:
    """The row and column of the CSV field holding byte ``at`` of ``data``, whose bytes before
    ``at`` are UTF-8: the line on which that record starts (header = row 1, quoted line breaks
    and CR-only line ends counted as the csv module counts them), and the column named by the
    file's header, or by ``columns`` (the expected header) where the byte is in the header."""
    before = data[:at].decode("utf-8", errors="replace").removeprefix("\ufeff")
    # a marker in place of the byte: the last record read is the one holding the byte
    reader = csv.reader(io.StringIO(before + "x", newline=""))
    records = 0
    header: list[str] = list(columns)
    fields: list[str] = []
    row = start = 1
    try:
        for record in reader:
            if record:
                if records == 1:  # the header is complete: it names the columns
                    header = fields
                records += 1
                fields, row = record, start
            start = reader.line_num + 1
    except csv.Error:  # a field over the csv module's limit before the byte: count lines
        return data[:at].count(b"\n") + 1, None
    index = len(fields) - 1
    return row, header[index] if 0 <= index < len(header) else None


def _fast(data: bytes):
    """The table parsed by pyarrow when the file is plainly well-formed, else None (then the
    csv module reads it and names the problem)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    # blank, or a bare CR: both tests read the bytes without copying them
    if body.isspace() or not body:
        return None
    if b"\r" in body and b"\r" in body.replace(b"\r\n", b""):
        return None
    try:
        first = pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(use_threads=True),
            parse_options=pacsv.ParseOptions(newlines_in_values=False, ignore_empty_lines=False),
            convert_options=pacsv.ConvertOptions(
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
                column_types=None,
                auto_dict_encode=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    # pyarrow reads a column holding bytes that are not UTF-8 as binary, and keeps a header
    # name that is not UTF-8 as bytes: then decode() names the byte
    if any(pa.types.is_binary(t) or pa.types.is_large_binary(t) for t in first.schema.types):
        return None
    try:
        names = first.column_names
    except UnicodeDecodeError:
        return None
    if len(set(names)) != len(names):
        return None
    table = first.cast(pa.schema([(n, pa.string()) for n in first.column_names]), safe=False)
    limit = csv.field_size_limit()
    for column in table.columns:
        if len(column) and (pc.max(pc.utf8_length(column)).as_py() or 0) > limit:
            return None
    return table


def read_table_strict(
    path: str | Path, label: str, columns: list[str], *, expected: str = "a UTF-8 CSV"
):
    """:func:`read_csv_strict` as a pyarrow table of text columns (no pandas copy of the text):
    the table, and the line on which each record starts or None."""
    import pyarrow as pa

    data = read_input_bytes(path, label, expected=expected)
    table = _fast(data)
    if table is not None:
        _check_columns(table.column_names, label, columns)
        return table, None
    header, records, lines = _read_records(data, label, columns)
    arrays = [pa.array([r[i] for r in records], pa.string()) for i in range(len(header))]
    return pa.Table.from_arrays(arrays, names=header), lines


def read_csv_strict(
    path: str | Path, label: str, columns: list[str], *, expected: str = "a UTF-8 CSV"
) -> tuple[pd.DataFrame, list[int] | None]:
    """A CSV as text columns, plus the line on which each record starts (header = row 1), or
    None for "record i starts on line i + 2" (a file with no quoted line breaks or blank lines).

    Stops with one line naming file and row for a byte that is not UTF-8 (and its column), an
    empty file, a missing column, a record with more or fewer fields than the header, or a
    field longer than the csv module's limit.
    Blank lines are skipped.
    """
    data = read_input_bytes(path, label, expected=expected)
    table = _fast(data)
    if table is not None:
        _check_columns(table.column_names, label, columns)
        return table.to_pandas(), None
    header, records, lines = _read_records(data, label, columns)
    df = (
        pd.DataFrame.from_records(records, columns=header)
        if records
        else pd.DataFrame({c: pd.Series(dtype=object) for c in header})
    )
    return df, lines


def _check_columns(header: list[str], label: str, columns: list[str]) -> None:
    """Every column needed is in the header, once (a repeated one would be ambiguous)."""
    missing = [c for c in columns if c not in header]
    if missing:
        raise InputFileError(
            label, "missing column", row=1, column=missing[0], expected=", ".join(columns)
        )
    repeated = [c for c in columns if list(header).count(c) > 1]
    if repeated:
        raise InputFileError(
            label,
            f"the column appears {list(header).count(repeated[0])} times in the header",
            row=1,
            column=repeated[0],
            expected="each of " + ", ".join(columns) + " once",
        )


def _read_records(
    data: bytes, label: str, columns: list[str]
) -> tuple[list[str], list[list[str]], list[int]]:
    """The header, records and their first lines, read by the csv module (blank lines
    skipped), with the checks :func:`read_csv_strict` promises."""
    text = decode(data, label)
    if not text.strip():
        raise InputFileError(label, "the file is empty", row=1, expected=", ".join(columns))
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[list[str]] = []
    lines: list[int] = []
    start = 1
    try:
        header = next(reader)
        width = len(header)
        _check_columns(header, label, columns)
        start = reader.line_num + 1
        for fields in reader:
            if fields:
                if len(fields) != width:
                    raise InputFileError(
                        label,
                        f"{len(fields)} fields where the header has {width}",
                        row=start,
                        expected=f"{width} comma-separated fields",
                    )
                records.append(fields)
                lines.append(start)
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputFileError(
            label,
            f"not readable as CSV ({exc})",
            row=start,
            expected=f"fields of at most {csv.field_size_limit():,} characters, quotes closed",
        ) from None
    return header, records, lines
