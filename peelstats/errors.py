"""Errors a user can act on. The CLI prints them on one line and exits with code 2."""

from __future__ import annotations


class PeelstatsError(Exception):
    """Base class for errors caused by input or arguments rather than by a bug."""

    exit_code = 2


class InputFileError(PeelstatsError):
    """A problem in an input file, located by file, row (1-based, header = row 1) and column."""

    def __init__(
        self,
        file: str,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
    ):
        self.file, self.row, self.column, self.expected = str(file), row, column, expected
        where = [self.file]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        text = f"{', '.join(where)}: {message}"
        if expected:
            text += f" (expected {expected})"
        super().__init__(text)


class ParameterError(PeelstatsError, ValueError):
    """A bad argument or notebook parameter (unknown force, malformed period, ...)."""
