"""Errors a user can act on. The CLI prints them on one line and exits with the error's
``exit_code``: 2 for bad input or arguments, 1 for a fault of the environment."""

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
        self.message = message
        where = [self.file]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column!r}")
        text = f"{', '.join(where)}: {message}"
        if expected:
            text += f" (expected {expected})"
        super().__init__(text)

    def __reduce__(self):
        """Picklable with its keyword arguments (a batch worker raises it to the batch)."""
        return (_input_file_error, (self.file, self.message, self.row, self.column, self.expected))


def _input_file_error(file, message, row, column, expected) -> InputFileError:
    return InputFileError(file, message, row=row, column=column, expected=expected)


class ParameterError(PeelstatsError, ValueError):
    """A bad argument or notebook parameter (unknown force, malformed period, ...)."""


class EnvironmentFault(PeelstatsError):
    """The machine, not the input, is at fault: a folder cannot be written, another process
    holds it, the network gave no usable answer. The CLI prints one line and exits with code 1."""

    exit_code = 1


class BusyError(EnvironmentFault):
    """Another peelstats process holds the folder this one would write."""
