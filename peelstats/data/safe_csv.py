"""CSV and spreadsheet cells that a spreadsheet will not run as formulas ("CSV injection").

The one safe-cell rule of every CSV and spreadsheet peelstats writes: the data layer's tables
(``write_csv`` in :mod:`peelstats.data.prepare`), every ``tables/*.csv`` and
``tables/estimates.csv`` of a report (:func:`peelstats.analysis.schema.write_estimates`), the
batch's ``_shared/all_forces.csv`` and every text cell of ``estimates.xlsx``
(:func:`spreadsheet_value`).

A spreadsheet opening a CSV treats a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and,
in some, a tab or a carriage return) as a formula, so text from data such as
``=HYPERLINK("http://...")`` could run when an analyst opens a table. Every CSV peelstats
writes passes its text cells through :func:`neutralise`, which prefixes such a cell with a
single quote (``'=HYPERLINK(...)``), the form spreadsheets show as plain text.

Rules:

- only text is changed: numeric, boolean and date columns are written as they are, and a text
  cell that is a plain number (``-5``, ``+1.5``, ``-2e3``) is left alone, since a spreadsheet
  reads it as that number, not as a formula;
- the change can be undone: a text cell that already starts with quotes followed by a trigger
  character gets one more quote, so :func:`restore` (used by the loaders) gives back exactly
  the original text.

Use :func:`neutralise_frame` on a DataFrame before ``to_csv`` (or :func:`csv_text`, which
does both), :func:`neutralise_row` for the ``csv`` module, :func:`restore_frame` after reading
such a file back, and :func:`spreadsheet_value` for a cell written with openpyxl (which would
otherwise store a text starting with ``=`` as a live formula).
"""

from __future__ import annotations

import csv
import io
import re

import pandas as pd

from peelstats.safe_text import xml_text

#: first characters that make a spreadsheet treat a cell as a formula
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_FIRST = [*TRIGGERS, "'"]
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")


def _triggered(text: str) -> bool:
    return text.lstrip("'").startswith(TRIGGERS)


def needs_quote(text: str) -> bool:
    """Whether :func:`neutralise` prefixes ``text`` with a quote."""
    if not _triggered(text):
        return False
    return text.startswith("'") or not _NUMBER.match(text)


def neutralise(value):
    """``value`` with a ``'`` in front when it is text a spreadsheet would run as a formula;
    anything else (numbers, missing values, plain numbers as text) unchanged."""
    if isinstance(value, str) and needs_quote(value):
        return "'" + value
    return value


def restore(value):
    """Undo :func:`neutralise` (for text read back from a CSV peelstats wrote)."""
    if isinstance(value, str) and value.startswith("'") and needs_quote(value[1:]):
        return value[1:]
    return value


def _text_columns(df: pd.DataFrame) -> list[int]:
    """Positions of the columns that can hold text (object, string or categorical)."""
    return [
        i
        for i, dtype in enumerate(df.dtypes)
        if pd.api.types.is_object_dtype(dtype)
        or pd.api.types.is_string_dtype(dtype)
        or isinstance(dtype, pd.CategoricalDtype)
    ]


_FIRST_CHARS = frozenset(_FIRST)


def _apply(df: pd.DataFrame, fn) -> pd.DataFrame:
    """``df`` with ``fn`` applied to the text cells it can change (those starting with a
    trigger or a quote); ``df`` itself when it changes none. One plain pass over each text
    column's values: most tables here are small, where pandas' own string methods cost more
    in overhead than the pass, and the large ones are read once per process."""
    out = None
    for position in _text_columns(df):
        values = df.iloc[:, position]
        if isinstance(values.dtype, pd.CategoricalDtype):
            categories = [fn(c) for c in values.cat.categories]
            if categories == list(values.cat.categories):
                continue
            values = values.cat.rename_categories(categories)
        else:
            cells = values.to_numpy(dtype=object)
            changed = {}
            for row, cell in enumerate(cells):
                if isinstance(cell, str) and cell[:1] in _FIRST_CHARS:
                    new = fn(cell)
                    if new != cell:
                        changed[row] = new
            if not changed:
                continue
            cells = cells.copy()
            for row, new in changed.items():
                cells[row] = new
            values = pd.Series(cells, index=values.index, name=values.name, dtype=object)
        if out is None:
            out = df.copy()
        out.isetitem(position, values)
    return df if out is None else out


def neutralise_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell passed through :func:`neutralise` (``df`` itself
    when nothing needs it)."""
    return _apply(df, neutralise)


def restore_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` with every text cell passed through :func:`restore`."""
    return _apply(df, restore)


def neutralise_row(row) -> list:
    """A row for ``csv.writer`` with its text cells neutralised."""
    return [neutralise(v) for v in row]


#: a quoted field, or a line break outside one
_QUOTED_OR_CRLF = re.compile(r'"(?:[^"]|"")*"|\r\n')


def _has_cr(df: pd.DataFrame) -> bool:
    for position in _text_columns(df):
        values = df.iloc[:, position]
        if isinstance(values.dtype, pd.CategoricalDtype):
            cells = values.cat.categories.to_numpy(dtype=object)
        else:
            cells = values.to_numpy(dtype=object)
        if any(isinstance(cell, str) and "\r" in cell for cell in cells):
            return True
    return False


def _lf_row_ends(text: str) -> str:
    """CSV text written with CRLF row ends, with those ends (never a line break inside a quoted
    field) made LF."""
    return _QUOTED_OR_CRLF.sub(lambda m: "\n" if m.group(0) == "\r\n" else m.group(0), text)


def rows_text(rows) -> str:
    """Rows for the ``csv`` module as CSV text with LF row ends, a field holding a carriage
    return quoted (the module quotes only the characters of its own line ending). Cells are
    written as given: for raw files kept as published (``fetch``'s month files)."""
    rows = [list(r) for r in rows]
    cr = any(isinstance(v, str) and "\r" in v for r in rows for v in r)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n" if cr else "\n").writerows(rows)
    return _lf_row_ends(buffer.getvalue()) if cr else buffer.getvalue()


def csv_text(df: pd.DataFrame, **to_csv) -> str:
    """``df`` as CSV text with its text cells neutralised (``to_csv``'s arguments as given).

    With LF line endings a text holding a carriage return is quoted too (the csv module quotes
    only the characters of its own line ending, and a reader would end the record at the CR).
    """
    df = neutralise_frame(df)
    if to_csv.get("lineterminator") != "\n" or not _has_cr(df):
        return df.to_csv(**to_csv)
    return _lf_row_ends(df.to_csv(**{**to_csv, "lineterminator": "\r\n"}))  # CRs quoted


def spreadsheet_value(value):
    """A value for a spreadsheet cell: text neutralised as in a CSV (so ``=HYPERLINK(...)`` is
    written ``'=HYPERLINK(...)``) and with the characters XML cannot hold replaced
    (:func:`peelstats.safe_text.xml_text`); numbers and missing values unchanged. Write the
    cell as text (openpyxl: ``cell.data_type = "s"``) so nothing is read as a formula."""
    if isinstance(value, str):
        return xml_text(neutralise(value))
    return value
