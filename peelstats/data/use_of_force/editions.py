"""Recognising an edition and locating its tables: the workbook, its sheets as rows of cells,
the financial year the edition reports (from its publication title) and the sheet holding each
table (found by the subject of its title, never by position)."""

from __future__ import annotations

import io
import numbers
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from peelstats.data.use_of_force.labels import (
    EXPECTED_FILE,
    FIRST_YEAR,
    MAX_CONTENT_BYTES,
    MAX_COUNT,
    NOT_AVAILABLE,
    clean_label,
    fold,
    fy,
    labels_for,
    period_years,
)
from peelstats.errors import InputFileError

# ----------------------------------------------------------------------------- cells


def blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


@dataclass
class Sheet:
    """One sheet as rows of cell values, with the file's name for errors."""

    file: str
    name: str
    rows: list[list[object]]
    title: str = ""
    title_row: int = 0

    def cell(self, row: int, col: int) -> object:
        if 0 <= row < len(self.rows) and 0 <= col < len(self.rows[row]):
            return self.rows[row][col]
        return None

    def text(self, row: int, col: int) -> str:
        value = self.cell(row, col)
        return "" if blank(value) else clean_label(value)[0]

    def blank_row(self, row: int) -> bool:
        return all(blank(v) for v in self.rows[row])

    def error(self, message: str, **where) -> InputFileError:
        error = InputFileError(f"{self.file}, sheet {self.name!r}", message, **where)
        error.sheet = self.name
        return error

    def count(self, row: int, col: int, column: str):
        """The count in a cell: an int, or ``pd.NA`` for ``:``."""
        value = self.cell(row, col)
        expected = "a whole number, or ':' for not available"
        where = {"row": row + 1, "column": column, "expected": expected}
        if blank(value):
            raise self.error("empty cell", **where)
        if isinstance(value, bool):
            raise self.error(f"{value!r} is not a count", **where)
        if isinstance(value, numbers.Integral):
            number = int(value)
        elif isinstance(value, numbers.Real):
            if not float(value).is_integer():
                raise self.error(f"{value!r} is not a whole number", **where)
            number = int(value)
        elif isinstance(value, str):
            text = value.strip()
            if text == NOT_AVAILABLE:
                return pd.NA
            if not re.fullmatch(r"[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+", text):
                raise self.error(f"{text!r} is not a count", **where)
            number = int(text.replace(",", ""))
        else:
            raise self.error(f"{value!r} is not a count", **where)
        if not 0 <= number <= MAX_COUNT:
            raise self.error(f"{number:,} is out of range", **where)
        return number

    def find_row(self, wanted: Iterable[str], rows: Iterable[int]) -> int | None:
        """The first of ``rows`` holding every label in ``wanted``."""
        keys = {fold(w) for w in wanted}
        for row in rows:
            if row < len(self.rows) and keys <= {fold(v) for v in self.rows[row] if not blank(v)}:
                return row
        return None

    def columns(self, row: int) -> dict[str, int]:
        """Folded header text -> column, for one header row (first occurrence)."""
        found: dict[str, int] = {}
        for col, value in enumerate(self.rows[row]):
            if not blank(value):
                found.setdefault(fold(value), col)
        return found

    def header(
        self, anchor: str, required: Iterable[str], *, search: int = 25
    ) -> tuple[int, dict[str, int], dict[str, int]]:
        """The header row (found by ``anchor``), the column of each ``required`` header, and
        every header of that row (folded text -> column)."""
        required = list(required)
        row = self.find_row([anchor], range(min(search, len(self.rows))))
        if row is None:
            raise self.error(
                f"no header row with {anchor!r}",
                expected="a header row " + " | ".join(required),
            )
        at = self.columns(row)
        for name in required:
            if fold(name) not in at:
                raise self.error(
                    "header not found",
                    row=row + 1,
                    column=name,
                    expected="a header row " + " | ".join(required),
                )
        return row, {name: at[fold(name)] for name in required}, at

    def body(self, start: int) -> Iterable[int]:
        """Data rows from ``start`` to the first blank row or the notes."""
        for row in range(start, len(self.rows)):
            if self.blank_row(row):
                return
            first = next(clean_label(v)[0] for v in self.rows[row] if not blank(v))
            if fold(first) in {"notes", "note", "source", "sources"}:
                return
            yield row


# ----------------------------------------------------------------------------- the workbook


def open_workbook(name: str, data: bytes) -> pd.ExcelFile:
    """The ODS workbook, or one line saying why it cannot be read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
            content = archive.getinfo("content.xml").file_size
            if content <= MAX_CONTENT_BYTES and archive.testzip() is not None:
                raise zipfile.BadZipFile("a damaged member")
    except (zipfile.BadZipFile, KeyError, EOFError, OSError, ValueError) as exc:
        raise InputFileError(
            name,
            f"not a readable OpenDocument spreadsheet (truncated or corrupt: {exc})",
            expected=EXPECTED_FILE,
        ) from None
    if mimetype != "application/vnd.oasis.opendocument.spreadsheet":
        raise InputFileError(
            name, f"an OpenDocument file of type {mimetype!r}", expected=EXPECTED_FILE
        )
    if content > MAX_CONTENT_BYTES:
        raise InputFileError(
            name,
            f"unpacks to {content:,} bytes, more than peelstats reads",
            expected=EXPECTED_FILE,
        )
    try:
        return pd.ExcelFile(io.BytesIO(data), engine="odf")
    except Exception as exc:  # odfpy and its XML parser raise many kinds
        raise InputFileError(
            name,
            f"not a readable OpenDocument spreadsheet ({type(exc).__name__}: {exc})",
            expected=EXPECTED_FILE,
        ) from None


def read_sheet(book: pd.ExcelFile, file: str, sheet: str, nrows: int | None = None) -> Sheet:
    try:
        frame = pd.read_excel(
            book, sheet_name=sheet, header=None, dtype=object, keep_default_na=False, nrows=nrows
        )
    except Exception as exc:  # a damaged sheet
        raise InputFileError(
            f"{file}, sheet {sheet!r}",
            f"cannot be read ({type(exc).__name__}: {exc})",
            expected=EXPECTED_FILE,
        ) from None
    return Sheet(file, sheet, frame.to_numpy(dtype=object).tolist())


TITLE = re.compile(r"^table\s*([0-9]+[a-z]?)\s*[.:]?\s*(.*)$", re.IGNORECASE)
#: A table's sheet is named for its number: Table_12, Table 12, Table12 or 12.
_SHEET_NAME = re.compile(r"(?:table)?[\s_-]*0*([0-9]+[a-z]?)")


def title_of(sheet: Sheet) -> tuple[int, str] | None:
    """The row and text of the ``Table N. ...`` title in the sheet's first rows."""
    for row in range(min(6, len(sheet.rows))):
        for value in sheet.rows[row][:3]:
            if isinstance(value, str) and TITLE.match(clean_label(value)[0]):
                return row, clean_label(value)[0]
    return None


_PERIOD_SUFFIX = re.compile(
    r"\s*[:,]?\s*(?:year ending .*|(?:\d{1,2} )?april \d{4} .*)$", re.IGNORECASE
)


@dataclass(frozen=True)
class Role:
    """A table the reader needs, recognised by the subject of its title (the title without its
    number and its April-to-March period)."""

    what: str  # as the Home Office titles it
    number: str  # its number in the editions seen, for messages only
    ethnicity: bool = False  # a "..., by ... perceived ethnicity" table

    def matches(self, title: str, year: str) -> bool:
        text = fold(_PERIOD_SUFFIX.sub("", TITLE.match(title).group(2)))
        if self.ethnicity:
            by_force = "police force" in text
            return (
                text.startswith("number of times tactics were used")
                and "perceived ethnicity" in text
                and by_force == ("police force" in fold(self.what))
            )
        if self.number == "1":
            return text.startswith("number of times tactics were used") and " by " not in text
        years = period_years(title)  # a cumulative table must end with the edition's year
        return text == fold(self.what) and (years is None or years[-1] == year)


T1 = Role("Number of times tactics were used", "1")
T4 = Role("Number of times tactics were used, by officer perceived ethnicity", "4", True)
T12 = Role("Incidents by police force", "12")
# the 2017/18 edition's Tables 14-15 ("...: January to March 2017", "...: January to December
# 2016 revisions") are other subjects
T13 = Role("Use of CED by type and police force", "13")
T16 = Role(
    "Number of times tactics were used, by police force and officer perceived ethnicity", "16", True
)


def edition_year(name: str, book: pd.ExcelFile, heads: dict[str, Sheet]) -> str:
    """The financial year the edition reports, from its publication title."""
    where = next((s for s in book.sheet_names if "content" in s.lower()), book.sheet_names[0])
    expected = (
        "a Contents or cover sheet titled 'Police use of force statistics, England and Wales, "
        "1 April YYYY to 31 March YYYY'"
    )
    found: dict[str, tuple[str, int]] = {}
    titled = False
    for sheet in heads.values():
        for row, values in enumerate(sheet.rows):
            for value in values:
                if isinstance(value, str) and "use of force statistics" in value.lower():
                    titled = True
                    years = period_years(clean_label(value)[0])
                    if years is not None and len(years) == 1:
                        found.setdefault(years[0], (sheet.name, row + 1))
    if not found:
        message = (
            "cannot tell which financial year this edition reports"
            if titled
            else "not a Police use of force statistics data table"
        )
        raise InputFileError(f"{name}, sheet {where!r}", message, expected=expected)
    if len(found) > 1:
        (y1, (s1, r1)), (y2, (s2, r2)) = sorted(found.items())[:2]
        raise InputFileError(
            f"{name}, sheet {s2!r}",
            f"reports {y2} but sheet {s1!r} row {r1} says {y1}",
            row=r2,
            expected="one financial year per edition",
        )
    year, (sheet_name, row) = next(iter(found.items()))
    named = period_years(name)
    if named is not None and named != [year]:
        raise InputFileError(
            name,
            f"the file name says {named[0]} but its title (sheet {sheet_name!r}, row {row}) "
            f"says {year}",
            expected="a file holding the edition its name says",
        )
    if labels_for(year) is None:
        raise InputFileError(
            f"{name}, sheet {sheet_name!r}",
            f"reports {year}, before the statistics began",
            row=row,
            expected=f"an edition from {fy(FIRST_YEAR)} on",
        )
    return year


def locate(name: str, heads: dict[str, Sheet], role: Role, year: str) -> str | None:
    """The one sheet whose title is the role's table (None if no sheet's is)."""
    hits = []
    for sheet in heads.values():
        title = title_of(sheet)
        if title is not None and role.matches(title[1], year):
            hits.append(sheet.name)
    if len(hits) > 1:
        raise InputFileError(
            name,
            f"sheets {', '.join(repr(h) for h in hits)} all hold {role.what!r}",
            expected=f"one sheet titled 'Table {role.number}. {role.what}'",
        )
    if not hits:
        return None
    sheet = heads[hits[0]]
    row, title = title_of(sheet)
    number = TITLE.match(title).group(1).lower()
    named = _SHEET_NAME.fullmatch(sheet.name.strip().lower())
    if named is None or named.group(1) != number:
        raise sheet.error(
            f"holds {title[:60]!r} but is not named for it",
            row=row + 1,
            expected=f"the sheet of Table {number} to be named 'Table_{number}'",
        )
    return sheet.name


def need(name: str, heads: dict[str, Sheet], role: Role, year: str) -> str:
    sheet = locate(name, heads, role, year)
    if sheet is None:
        raise InputFileError(
            name,
            f"no sheet holds Table {role.number} ({role.what}) of the {year} edition",
            expected=f"a sheet 'Table_{role.number}' titled 'Table {role.number}. {role.what} ...'",
        )
    return sheet
