"""Home Office *Police use of force statistics, England and Wales* data tables, read as published.

One ODS file per annual edition (financial years April to March, from 2017/18). Each edition is
placed by its own content: the publication title on its Contents or cover sheet ("... 1 April
2019 to 31 March 2020") gives the financial year it reports, and each table is found by the title
in its first rows ("Table 12. Incidents by police force"), never by sheet position, and its
header row by the header text. Tables read:

- Table 12, incidents by force (``Region | Police force | Total``);
- Table 13, CED (Taser) use by type and force: one year without a ``Financial year`` column in the
  2017/18 edition, cumulative over the years published so far with that column from 2018/19 on
  (later editions revise earlier years; ``(R)`` marks a revised force). The 2017/18 edition's
  Tables 14 and 15 (CED for January to March 2017 and calendar 2016) are legacy and not read;
- Table 1, whose total incidents must equal Table 12's: a separate ``Total number of incidents``
  row in 2017/18, the ``Total Tactics`` row of the ``Number of incidents involving tactic`` column
  from 2018/19 on;
- Table 4, incidents by officer-perceived ethnicity, England and Wales only;
- Table 16, tactics by force and officer-perceived ethnicity (from 2018/19; the 2017/18 edition
  has no by-force tables of age, gender or ethnicity).

Labels are cleaned (``*`` and ``(R)`` markers, line breaks, stray spaces, footnote digits stuck
to a label, ``&`` for "and") and mapped with one map per edition (:data:`EDITION_LABELS`); a
label outside the map is refused, not guessed. ``:`` is "not available" (``pd.NA``). Any other
problem (a table, sheet or header missing or renamed, a bad number, a force that cannot be
placed, figures that do not add up to the published England and Wales total) raises
:class:`~peelstats.errors.InputFileError` naming the file, sheet, row (the spreadsheet's own,
1-based) and column. Nothing is written.
"""

from __future__ import annotations

import hashlib
import io
import numbers
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from peelstats.data.forces import HOME_OFFICE_NAMES, all_forces, force_by_name, get_force
from peelstats.data.inputs import read_input_bytes
from peelstats.errors import InputFileError
from peelstats.vocabulary import GROUPS

#: Perceived ethnicity not recorded ("Not reported", and "Don't know" where listed), kept apart
#: from the five groups so an analysis can bound a rate by it.
NOT_STATED = "Not stated"
GROUP_ORDER: tuple[str, ...] = (*GROUPS, NOT_STATED)
#: Table 13 measures: all CED uses; discharges (fired, drive-stun, angled drive-stun); uses with
#: no level recorded.
CED_MEASURES: tuple[str, ...] = ("uses", "discharges", "not_stated")
#: Rows of Table 16 read, by code: every tactic ("Total Tactics"), CED, CED discharge.
TACTICS: tuple[str, ...] = ("all", "ced", "ced_discharge")
#: England and Wales totals kept (``england_and_wales`` table).
NATIONAL_MEASURES: tuple[str, ...] = ("incidents", "ced_uses", "ced_discharges", "ced_not_stated")
NOT_AVAILABLE = ":"
#: The first financial year of the statistics (an earlier edition cannot be placed).
FIRST_YEAR = 2017
#: Largest count accepted (above this a count is a typo or an overflow).
MAX_COUNT = 10**9
#: Largest ODS file, and largest unpacked ``content.xml``, read (the real ones: 0.5 MB, 10 MB).
MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_CONTENT_BYTES = 512 * 1024 * 1024
_EXPECTED_FILE = "the Home Office's Police use of force statistics data tables (.ods)"
_EW = "England and Wales"


# ----------------------------------------------------------------------------- per-edition maps


@dataclass(frozen=True)
class EditionLabels:
    """How one edition labels what the reader needs: published label -> peelstats code."""

    #: Table 4 and Table 16 column headers -> GROUP_ORDER member.
    ethnic_groups: dict[str, str]
    #: Table 13 column headers by role.
    ced_columns: dict[str, str]
    #: Table 16 row labels by tactic code (empty: the edition has no by-force ethnicity table).
    tactics: dict[str, str]
    #: Table 1: label of the row giving total incidents, and the header of the column holding it
    #: (None: the row's only number).
    incidents_row: str
    incidents_column: str | None


_ETHNIC_2017 = {
    "White": "White",
    "Black (or Black British)": "Black",
    "Asian (or Asian British)": "Asian",
    "Chinese": "Asian",  # as from 2019/20, and as the Census 2021 groups peelstats uses
    "Mixed": "Mixed",
    "Other": "Other",
    "Don't know": NOT_STATED,
    "Not reported": NOT_STATED,
}
_ETHNIC_2019 = {  # Chinese folded into Asian; "Don't know" no longer listed
    "White": "White",
    "Black (or Black British)": "Black",
    "Asian (or Asian British)": "Asian",
    "Mixed": "Mixed",
    "Other": "Other",
    "Not reported": NOT_STATED,
}
_CED_2017 = {
    "uses": "Total",
    "non_discharge": "Total non-discharge",
    "discharges": "Total discharge",
    "drive_stun": "Drive stun",
    "fired": "Fired",
    "angled_drive_stun": "Angled drive stun",
    "not_stated": "Not stated",
}
#: One map per edition, by the financial year it reports. An edition after the last one here is
#: read with the last map, and refused if any label it needs is not in it.
EDITION_LABELS: dict[str, EditionLabels] = {
    "2017/18": EditionLabels(
        ethnic_groups=_ETHNIC_2017,
        ced_columns=_CED_2017,
        tactics={},
        incidents_row="Total number of incidents",
        incidents_column=None,
    ),
    "2018/19": EditionLabels(
        ethnic_groups=_ETHNIC_2017,
        ced_columns=_CED_2017,
        tactics={"all": "Total Tactics", "ced": "CED"},
        incidents_row="Total Tactics",
        incidents_column="Number of incidents involving tactic",
    ),
    "2019/20": EditionLabels(
        ethnic_groups=_ETHNIC_2019,
        ced_columns={**_CED_2017, "not_stated": "CED not stated"},
        tactics={
            "all": "Total Tactics",
            "ced": "CED of which",
            "ced_discharge": "CED discharge",
        },
        incidents_row="Total Tactics",
        incidents_column="Number of incidents involving tactic",
    ),
}


def labels_for(financial_year: str) -> EditionLabels | None:
    """The map of the edition reporting ``financial_year`` (the latest earlier map for a later
    edition); None before 2017/18."""
    start = int(financial_year[:4])
    known = [y for y in EDITION_LABELS if int(y[:4]) <= start]
    return EDITION_LABELS[max(known)] if start >= FIRST_YEAR and known else None


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Edition:
    """One edition's tables (schemas as :class:`UseOfForceTables`) and where they came from."""

    file: str
    financial_year: str
    sha256: str
    incidents: pd.DataFrame
    ced: pd.DataFrame
    tactics_by_ethnicity: pd.DataFrame
    national_incidents_by_ethnicity: pd.DataFrame
    england_and_wales: pd.DataFrame
    #: Forces the edition's notes say supplied summary CED data only (None: not said).
    ced_summary_only_forces: int | None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class UseOfForceTables:
    """Every edition combined; for a year several editions give, the latest edition's figures.

    - ``incidents`` (Table 12): force, financial_year, incidents (Int64, NA where ``:``),
      edition, source_sheet. Incidents in which force was used, by force (the 43 territorial
      forces, and British Transport Police where an edition lists it).
    - ``ced`` (Table 13): force, financial_year, measure, count (Int64), revised (bool: ``(R)``),
      summary_only (boolean, NA where the tables do not say), edition, source_sheet. Each CED
      incident counts once, at its highest use. ``uses`` is the table's Total; ``discharges`` its
      "Total discharge", checked to be fired + drive-stun + angled drive-stun, the Home Office's
      discharge; ``not_stated`` uses whose level was not recorded (where, from 2019/20, the uses
      of forces without incident-level data go). ``summary_only`` is True where Table 16 of the
      year's edition marks the force's CED rows ``:`` (not available), and False for the other
      forces when the marked forces are as many as the notes say supplied aggregated CED
      figures only (2019/20: Norfolk, Suffolk, Warwickshire, West Mercia; 4 in the notes). The
      2017/18 and 2018/19 editions say how many forces did so (17, 5), not which: NA.
    - ``tactics_by_ethnicity`` (Table 16): force, financial_year, tactic, group, tactics (Int64),
      edition, source_sheet. Counts TACTICS, not incidents: several tactics can be used in one
      incident, so a group's tactics exceed its incidents. ``tactic`` is ``all`` (Total Tactics,
      excluding tactical communication and not reported), ``ced`` and, where published,
      ``ced_discharge``. Perceived by the officer. No rows for 2017/18 (no by-force table).
    - ``national_incidents_by_ethnicity`` (Table 4): financial_year, group, incidents (Int64),
      edition, source_sheet. Incidents, England and Wales only.
    - ``england_and_wales``: financial_year, measure (``incidents`` from Table 12; ``ced_uses``,
      ``ced_discharges``, ``ced_not_stated`` from Table 13), count, edition, source_sheet.
    - ``editions``: file, financial_year, sha256, ced_summary_only_forces (Int64).

    ``group`` is Asian, Black, Mixed, White, Other or "Not stated". ``notes`` has one plain line
    per override of an earlier edition's figures, and any caveat an edition raised.
    """

    incidents: pd.DataFrame
    ced: pd.DataFrame
    tactics_by_ethnicity: pd.DataFrame
    national_incidents_by_ethnicity: pd.DataFrame
    england_and_wales: pd.DataFrame
    editions: pd.DataFrame
    notes: list[str]


INCIDENT_COLUMNS = ["force", "financial_year", "incidents", "edition", "source_sheet"]
CED_COLUMNS = [
    "force",
    "financial_year",
    "measure",
    "count",
    "revised",
    "summary_only",
    "edition",
    "source_sheet",
]
TACTIC_COLUMNS = [
    "force",
    "financial_year",
    "tactic",
    "group",
    "tactics",
    "edition",
    "source_sheet",
]
NATIONAL_GROUP_COLUMNS = ["financial_year", "group", "incidents", "edition", "source_sheet"]
NATIONAL_COLUMNS = ["financial_year", "measure", "count", "edition", "source_sheet"]
EDITION_COLUMNS = ["file", "financial_year", "sha256", "ced_summary_only_forces"]


# ----------------------------------------------------------------------------- labels


_SPACE = re.compile(r"\s+")
_REVISED = re.compile(r"\(\s*R\s*\)")
_FOOTNOTE = re.compile(r"(?<=[A-Za-z)])(?:[0-9]{1,2}|[\u00b9\u00b2\u00b3\u2070-\u2079]+)$")


def clean_label(value: object) -> tuple[str, bool]:
    """A published label without its markers, and whether it carried ``(R)`` (revised).

    Drops ``*`` and ``(R)`` markers, line breaks and runs of spaces, and footnote digits stuck
    to the end of a word (``Durham2``, not ``Under 11``).
    """
    text = _SPACE.sub(" ", str(value).replace("\u00a0", " ")).strip()
    revised = bool(_REVISED.search(text))
    previous = None
    while text != previous:
        previous = text
        text = _REVISED.sub("", text).strip().strip("*").strip()
        text = _FOOTNOTE.sub("", text).strip()
    return _SPACE.sub(" ", text), revised


def _key(value: object) -> str:
    """A cleaned label folded for comparison: case, ``&``/"and", quotes, hyphens, commas,
    brackets ("Asian (or Asian British)" is "Asian or Asian British")."""
    text = clean_label(value)[0].lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("&", " and ")
    text = re.sub(r"[-\u2013\u2014,()]", " ", text)
    return _SPACE.sub(" ", text).strip()


def _force_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for force in all_forces():
        for name in (force.id, force.name, force.full_name, force.pfa_name):
            if name:
                keys[_key(name)] = force.id
    for name, force_id in HOME_OFFICE_NAMES.items():
        keys[_key(name)] = force_id
    keys.update(
        {
            _key("Metropolitan"): "metropolitan",
            _key("Metropolitan Police Service"): "metropolitan",
            _key("Hampshire and Isle of Wight"): "hampshire",
            _key("BTP"): "btp",
        }
    )
    return keys


_FORCE_KEYS = _force_keys()


def force_id(name: object) -> str | None:
    """The peelstats id of a force as the Home Office tables name it, or None.

    ``Metropolitan``, ``Metropolitan Police Service``, ``Devon & Cornwall``, ``Avon and
    Somerset*``, ``Durham(R)``, ``Durham2``, ``London, City of`` and ``British Transport Police``
    are all placed.
    """
    label = clean_label(name)[0]
    found = force_by_name(label)
    return found.id if found is not None else _FORCE_KEYS.get(_key(label))


def _is_total(label: str) -> bool:
    return _key(label).startswith("total ")


def _is_national(label: str) -> bool:
    return _key(label) in {"total england and wales", "england and wales"}


# ----------------------------------------------------------------------------- periods


_YEAR = re.compile(r"^(\d{4})\s*(?:/|-|\u2013|to)\s*(\d{2}|\d{4})$")
_RANGE = re.compile(
    r"(?:\d{1,2}\s+)?apr(?:il)?\s*(\d{4})\s*(?:to|-|\u2013|\u2014)\s*(?:\d{1,2}\s+)?mar(?:ch)?\s*(\d{4})",
    re.IGNORECASE,
)
_YEAR_ENDING = re.compile(r"year\s+ending\s+(?:\d{1,2}\s+)?march\s+(\d{4})", re.IGNORECASE)


def _fy(start: int) -> str:
    return f"{start}/{(start + 1) % 100:02d}"


def _financial_year(value: object) -> str | None:
    """``2017/18`` from ``2017/18``, ``2017-18``, ``2017 to 2018``, ``Year ending March 2018``;
    None if not a year."""
    text = clean_label(value)[0]
    match = _YEAR.match(text)
    if not match:
        years = _period(text)
        return years[0] if years is not None and len(years) == 1 else None
    start, end = int(match.group(1)), int(match.group(2))
    return _fy(start) if end in (start + 1, (start + 1) % 100) else None


def _period(text: str) -> list[str] | None:
    """The financial years an April-to-March period names (None if it names none)."""
    match = _RANGE.search(text)
    if match:
        first, last = int(match.group(1)), int(match.group(2))
        return [_fy(y) for y in range(first, last)] if last > first else None
    match = _YEAR_ENDING.search(text)
    return [_fy(int(match.group(1)) - 1)] if match else None


# ----------------------------------------------------------------------------- cells


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    return isinstance(value, str) and not value.strip()


@dataclass
class _Sheet:
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
        return "" if _blank(value) else clean_label(value)[0]

    def blank_row(self, row: int) -> bool:
        return all(_blank(v) for v in self.rows[row])

    def error(self, message: str, **where) -> InputFileError:
        error = InputFileError(f"{self.file}, sheet {self.name!r}", message, **where)
        error.sheet = self.name
        return error

    def count(self, row: int, col: int, column: str):
        """The count in a cell: an int, or ``pd.NA`` for ``:``."""
        value = self.cell(row, col)
        expected = "a whole number, or ':' for not available"
        where = {"row": row + 1, "column": column, "expected": expected}
        if _blank(value):
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
        keys = {_key(w) for w in wanted}
        for row in rows:
            if row < len(self.rows) and keys <= {_key(v) for v in self.rows[row] if not _blank(v)}:
                return row
        return None

    def columns(self, row: int) -> dict[str, int]:
        """Folded header text -> column, for one header row (first occurrence)."""
        found: dict[str, int] = {}
        for col, value in enumerate(self.rows[row]):
            if not _blank(value):
                found.setdefault(_key(value), col)
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
            if _key(name) not in at:
                raise self.error(
                    "header not found",
                    row=row + 1,
                    column=name,
                    expected="a header row " + " | ".join(required),
                )
        return row, {name: at[_key(name)] for name in required}, at

    def body(self, start: int) -> Iterable[int]:
        """Data rows from ``start`` to the first blank row or the notes."""
        for row in range(start, len(self.rows)):
            if self.blank_row(row):
                return
            first = next(clean_label(v)[0] for v in self.rows[row] if not _blank(v))
            if _key(first) in {"notes", "note", "source", "sources"}:
                return
            yield row


# ----------------------------------------------------------------------------- the workbook


def _open(name: str, data: bytes) -> pd.ExcelFile:
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
            expected=_EXPECTED_FILE,
        ) from None
    if mimetype != "application/vnd.oasis.opendocument.spreadsheet":
        raise InputFileError(
            name, f"an OpenDocument file of type {mimetype!r}", expected=_EXPECTED_FILE
        )
    if content > MAX_CONTENT_BYTES:
        raise InputFileError(
            name,
            f"unpacks to {content:,} bytes, more than peelstats reads",
            expected=_EXPECTED_FILE,
        )
    try:
        return pd.ExcelFile(io.BytesIO(data), engine="odf")
    except Exception as exc:  # odfpy and its XML parser raise many kinds
        raise InputFileError(
            name,
            f"not a readable OpenDocument spreadsheet ({type(exc).__name__}: {exc})",
            expected=_EXPECTED_FILE,
        ) from None


def _read_sheet(book: pd.ExcelFile, file: str, sheet: str, nrows: int | None = None) -> _Sheet:
    try:
        frame = pd.read_excel(
            book, sheet_name=sheet, header=None, dtype=object, keep_default_na=False, nrows=nrows
        )
    except Exception as exc:  # a damaged sheet
        raise InputFileError(
            f"{file}, sheet {sheet!r}",
            f"cannot be read ({type(exc).__name__}: {exc})",
            expected=_EXPECTED_FILE,
        ) from None
    return _Sheet(file, sheet, frame.to_numpy(dtype=object).tolist())


_TITLE = re.compile(r"^table\s*([0-9]+[a-z]?)\s*[.:]?\s*(.*)$", re.IGNORECASE)
#: A table's sheet is named for its number: Table_12, Table 12, Table12 or 12.
_SHEET_NAME = re.compile(r"(?:table)?[\s_-]*0*([0-9]+[a-z]?)")


def _title(sheet: _Sheet) -> tuple[int, str] | None:
    """The row and text of the ``Table N. ...`` title in the sheet's first rows."""
    for row in range(min(6, len(sheet.rows))):
        for value in sheet.rows[row][:3]:
            if isinstance(value, str) and _TITLE.match(clean_label(value)[0]):
                return row, clean_label(value)[0]
    return None


_PERIOD_SUFFIX = re.compile(
    r"\s*[:,]?\s*(?:year ending .*|(?:\d{1,2} )?april \d{4} .*)$", re.IGNORECASE
)


@dataclass(frozen=True)
class _Role:
    """A table the reader needs, recognised by the subject of its title (the title without its
    number and its April-to-March period)."""

    what: str  # as the Home Office titles it
    number: str  # its number in the editions seen, for messages only
    ethnicity: bool = False  # a "..., by ... perceived ethnicity" table

    def matches(self, title: str, year: str) -> bool:
        text = _key(_PERIOD_SUFFIX.sub("", _TITLE.match(title).group(2)))
        if self.ethnicity:
            by_force = "police force" in text
            return (
                text.startswith("number of times tactics were used")
                and "perceived ethnicity" in text
                and by_force == ("police force" in _key(self.what))
            )
        if self.number == "1":
            return text.startswith("number of times tactics were used") and " by " not in text
        years = _period(title)  # a cumulative table must end with the edition's year
        return text == _key(self.what) and (years is None or years[-1] == year)


_T1 = _Role("Number of times tactics were used", "1")
_T4 = _Role("Number of times tactics were used, by officer perceived ethnicity", "4", True)
_T12 = _Role("Incidents by police force", "12")
# the 2017/18 edition's Tables 14-15 ("...: January to March 2017", "...: January to December
# 2016 revisions") are other subjects
_T13 = _Role("Use of CED by type and police force", "13")
_T16 = _Role(
    "Number of times tactics were used, by police force and officer perceived ethnicity", "16", True
)


def _edition_year(name: str, book: pd.ExcelFile, heads: dict[str, _Sheet]) -> str:
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
                    years = _period(clean_label(value)[0])
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
    named = _period(name)
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
            expected=f"an edition from {_fy(FIRST_YEAR)} on",
        )
    return year


def _locate(name: str, heads: dict[str, _Sheet], role: _Role, year: str) -> str | None:
    """The one sheet whose title is the role's table (None if no sheet's is)."""
    hits = []
    for sheet in heads.values():
        title = _title(sheet)
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
    row, title = _title(sheet)
    number = _TITLE.match(title).group(1).lower()
    named = _SHEET_NAME.fullmatch(sheet.name.strip().lower())
    if named is None or named.group(1) != number:
        raise sheet.error(
            f"holds {title[:60]!r} but is not named for it",
            row=row + 1,
            expected=f"the sheet of Table {number} to be named 'Table_{number}'",
        )
    return sheet.name


def _need(name: str, heads: dict[str, _Sheet], role: _Role, year: str) -> str:
    sheet = _locate(name, heads, role, year)
    if sheet is None:
        raise InputFileError(
            name,
            f"no sheet holds Table {role.number} ({role.what}) of the {year} edition",
            expected=f"a sheet 'Table_{role.number}' titled 'Table {role.number}. {role.what} ...'",
        )
    return sheet


# ----------------------------------------------------------------------------- the tables


def _place_force(sheet: _Sheet, row: int, col: int, column: str) -> tuple[str | None, bool]:
    """(force id, revised) of a data row; (None, _) for a regional subtotal; E&W as _EW."""
    value = sheet.cell(row, col)
    if _blank(value):
        raise sheet.error("no force named", row=row + 1, column=column, expected="a police force")
    label, revised = clean_label(value)
    if _is_national(label):
        return _EW, revised
    if _is_total(label):
        return None, revised
    found = force_id(label)
    if found is None:
        raise sheet.error(
            f"unknown force {label!r}",
            row=row + 1,
            column=column,
            expected="one of the 43 forces of England and Wales, or British Transport Police",
        )
    return found, revised


def _check_sum(sheet: _Sheet, row: int, column: str, total, parts: list, what: str) -> None:
    """The England and Wales figure must be the sum of the forces' (with or without BTP)."""
    values = [v for _, v in parts]
    if total is pd.NA or any(v is pd.NA for v in values):
        return
    territorial = sum(v for f, v in parts if f != "btp")
    if total not in (sum(values), territorial):
        raise sheet.error(
            f"England and Wales {what} {total:,} is not the sum of the forces' ({sum(values):,})",
            row=row + 1,
            column=column,
            expected="the published total to equal the sum of the forces' figures",
        )


def _read_incidents(sheet: _Sheet, year: str, edition: str) -> tuple[list, list, int]:
    """Table 12: rows per force, the England and Wales row, and that total."""
    head, at, _ = sheet.header("Police force", ["Police force", "Total"])
    forces: dict[str, tuple[int, object]] = {}
    national = None
    for row in sheet.body(head + 1):
        force, _ = _place_force(sheet, row, at["Police force"], "Police force")
        if force is None:
            continue
        value = sheet.count(row, at["Total"], "Total")
        if force == _EW:
            national = (row, value)
        elif force in forces:
            raise sheet.error(
                f"{force} appears twice (first at row {forces[force][0] + 1})",
                row=row + 1,
                column="Police force",
                expected="one row per force",
            )
        else:
            forces[force] = (row, value)
    if not forces:
        raise sheet.error("no force rows", row=head + 2, expected="one row per force")
    if national is None:
        raise sheet.error("no England and Wales row", expected="a 'Total England and Wales' row")
    _check_sum(
        sheet,
        national[0],
        "Total",
        national[1],
        [(f, v) for f, (_, v) in forces.items()],
        "incidents",
    )
    rows = [[f, year, v, edition, sheet.name] for f, (_, v) in forces.items()]
    ew = [[year, "incidents", national[1], edition, sheet.name]]
    return rows, ew, national[1]


def _read_total_incidents(sheet: _Sheet, labels: EditionLabels) -> tuple[int, object]:
    """Table 1's total incidents (row, value)."""
    wanted = _key(labels.incidents_row)
    row = next(
        (r for r in range(len(sheet.rows)) if wanted in {_key(v) for v in sheet.rows[r]}), None
    )
    if row is None:
        raise sheet.error(
            f"no {labels.incidents_row!r} row",
            expected=f"a row labelled {labels.incidents_row!r} giving the total incidents",
        )
    if labels.incidents_column is None:
        cols = [c for c, v in enumerate(sheet.rows[row]) if not _blank(v) and _key(v) != wanted]
        if len(cols) != 1:
            raise sheet.error(
                "no single total",
                row=row + 1,
                column=labels.incidents_row,
                expected="one number: the total incidents",
            )
        return row, sheet.count(row, cols[0], labels.incidents_row)
    header = sheet.find_row([labels.incidents_column], range(row))
    if header is None:
        raise sheet.error(
            "header not found",
            column=labels.incidents_column,
            expected=f"a column {labels.incidents_column!r} above the {labels.incidents_row!r} row",
        )
    col = sheet.columns(header)[_key(labels.incidents_column)]
    return row, sheet.count(row, col, labels.incidents_column)


def _group_columns(sheet: _Sheet, row: int, first: int, labels: EditionLabels) -> dict[str, int]:
    """Published group label -> column in a header row, every label checked against the map."""
    known = {_key(k): k for k in labels.ethnic_groups}
    totals = {"total", "total number of incidents", "number of times tactic reported"}
    totals |= {"total incidents per tactic", "number of incidents"}
    found: dict[str, int] = {}
    for col in range(first, len(sheet.rows[row])):
        value = sheet.cell(row, col)
        if _blank(value):
            continue
        key = _key(value)
        if key in known:
            found[known[key]] = col
        elif key not in totals:
            raise sheet.error(
                f"unknown ethnic group {clean_label(value)[0]!r}",
                row=row + 1,
                column=clean_label(value)[0],
                expected="the groups of this edition: " + ", ".join(labels.ethnic_groups),
            )
    for label in labels.ethnic_groups:
        if label not in found:
            raise sheet.error(
                "ethnic group column not found",
                row=row + 1,
                column=label,
                expected="the groups of this edition: " + ", ".join(labels.ethnic_groups),
            )
    return found


def _by_group(sheet: _Sheet, row: int, columns: dict[str, int], labels: EditionLabels) -> dict:
    """Counts in one row summed to peelstats groups (NA if any part is NA)."""
    out: dict[str, object] = {}
    for label, col in columns.items():
        group = labels.ethnic_groups[label]
        value = sheet.count(row, col, label)
        if group in out:
            out[group] = pd.NA if out[group] is pd.NA or value is pd.NA else out[group] + value
        else:
            out[group] = value
    return {g: out[g] for g in GROUP_ORDER if g in out}


def _read_national_groups(
    sheet: _Sheet, labels: EditionLabels, year: str, edition: str, total: object
) -> list:
    """Table 4: incidents by perceived ethnicity, England and Wales."""
    anchor = next(iter(labels.ethnic_groups))
    head = sheet.find_row(labels.ethnic_groups, range(min(20, len(sheet.rows))))
    if head is None:
        head = sheet.find_row([anchor], range(min(20, len(sheet.rows))))
    if head is None:
        raise sheet.error(
            "no header row of ethnic groups",
            expected="a header row " + " | ".join(labels.ethnic_groups),
        )
    first = min(c for c, v in enumerate(sheet.rows[head]) if _key(v) == _key(anchor))
    columns = _group_columns(sheet, head, first, labels)
    row = next(
        (
            r
            for r in range(head + 1, min(head + 4, len(sheet.rows)))
            if all(not _blank(sheet.cell(r, c)) for c in columns.values())
        ),
        None,
    )
    if row is None:
        raise sheet.error(
            "no row of incidents by group below the header",
            row=head + 2,
            expected="the total number of incidents involving each group",
        )
    label = " ".join(sheet.text(row, c) for c in range(first)).strip()
    if label and not _key(label).startswith("total number of incidents"):
        raise sheet.error(
            f"{label!r} is not the incidents by group row",
            row=row + 1,
            expected="'Total number of incidents involving group' (or no label)",
        )
    groups = _by_group(sheet, row, columns, labels)
    last = max(columns.values())
    extra = [c for c in range(last + 1, len(sheet.rows[row])) if not _blank(sheet.cell(row, c))]
    values = list(groups.values())
    if len(extra) > 1:
        raise sheet.error(
            "more than one total", row=row + 1, expected="the groups' incidents and one total"
        )
    if not any(v is pd.NA for v in values):
        published = [("Total number of incidents", extra[0])] if extra else []
        for column, col in published:
            stated = sheet.count(row, col, column)
            if stated is not pd.NA and stated != sum(values):
                raise sheet.error(
                    f"the groups sum to {sum(values):,}, not the stated {stated:,}",
                    row=row + 1,
                    column=column,
                    expected="the published total to equal the sum of the groups",
                )
        if total is not pd.NA and total != sum(values):
            raise sheet.error(
                f"the groups sum to {sum(values):,}, not the {total:,} incidents of Table 12",
                row=row + 1,
                expected="incidents by group to add up to the total incidents",
            )
    return [[year, g, n, edition, sheet.name] for g, n in groups.items()]


def _read_ced(sheet: _Sheet, labels: EditionLabels, year: str, edition: str) -> tuple:
    """Table 13: CED uses, discharges and not stated by force and year; England and Wales."""
    cols = labels.ced_columns
    head, at, every = sheet.header("Police force", ["Police force", *cols.values()])
    fy_col = every.get(_key("Financial year"))
    title_years = _period(sheet.title)
    if fy_col is None and (title_years is None or len(title_years) != 1):
        raise sheet.error(
            "no 'Financial year' column and the title names no single financial year",
            row=sheet.title_row + 1,
            expected="a 'Financial year' column, or a title such as '... 1 April 2017 to 31 "
            "March 2018'",
        )
    rows, ew, seen = [], [], {}
    parts: dict[str, list] = {}
    national: dict[str, tuple[int, dict]] = {}
    current_year = None
    for row in sheet.body(head + 1):
        if fy_col is not None:
            cell = sheet.cell(row, fy_col)
            if not _blank(cell):
                current_year = _financial_year(cell)
                if current_year is None or int(current_year[:4]) > int(year[:4]):
                    raise sheet.error(
                        f"{clean_label(cell)[0]!r} is not a financial year of this edition",
                        row=row + 1,
                        column="Financial year",
                        expected=f"a year such as 2017/18, up to {year}",
                    )
            if current_year is None:
                raise sheet.error(
                    "empty cell", row=row + 1, column="Financial year", expected="a year"
                )
            row_year = current_year
        else:
            row_year = title_years[0]
        force, revised = _place_force(sheet, row, at["Police force"], "Police force")
        if force is None:
            continue
        value = {role: sheet.count(row, at[header], header) for role, header in cols.items()}
        _check_ced_row(sheet, row, value, cols)
        if force == _EW:
            national[row_year] = (row, value)
            continue
        if (force, row_year) in seen:
            raise sheet.error(
                f"{force} appears twice for {row_year} (first at row {seen[force, row_year]})",
                row=row + 1,
                column="Police force",
                expected="one row per force and year",
            )
        seen[force, row_year] = row + 1
        parts.setdefault(row_year, []).append((force, value))
        for measure in CED_MEASURES:
            rows.append(
                [force, row_year, measure, value[measure], revised, pd.NA, edition, sheet.name]
            )
    if not rows:
        raise sheet.error("no force rows", row=head + 2, expected="one row per force")
    for row_year in parts:
        if row_year not in national:
            raise sheet.error(
                f"no England and Wales row for {row_year}",
                expected="a 'Total England and Wales' row for each year",
            )
        row, value = national[row_year]
        for measure in CED_MEASURES:
            header = cols[measure]
            forces = [(f, v[measure]) for f, v in parts[row_year]]
            _check_sum(sheet, row, header, value[measure], forces, f"CED {header}")
            ew.append([row_year, f"ced_{measure}", value[measure], edition, sheet.name])
    return rows, ew


def _check_ced_row(sheet: _Sheet, row: int, value: dict, cols: dict[str, str]) -> None:
    """Discharge = drive stun + fired + angled drive stun; total = the three kinds of use."""
    checks = [
        ("discharges", ["drive_stun", "fired", "angled_drive_stun"]),
        ("uses", ["non_discharge", "discharges", "not_stated"]),
    ]
    for whole, roles in checks:
        if any(value[r] is pd.NA for r in [whole, *roles]):
            continue
        total = sum(value[r] for r in roles)
        if value[whole] != total:
            raise sheet.error(
                f"{value[whole]:,} is not {' + '.join(cols[r] for r in roles)} ({total:,})",
                row=row + 1,
                column=cols[whole],
                expected="the table's own sum",
            )


def _read_tactics(sheet: _Sheet, labels: EditionLabels, year: str, edition: str) -> tuple:
    """Table 16: tactics by force and perceived ethnicity, for the tactics in the map.

    Returns the rows and, per force, whether any of its CED rows holds ``:`` (not available
    incident by incident: by level or by ethnicity).
    """
    head = sheet.find_row(["Police force", "Tactic"], range(min(25, len(sheet.rows))))
    if head is None:
        raise sheet.error(
            "no header row with 'Police force' and 'Tactic'",
            expected="a header row Police force | Type of force | Tactic | <groups>",
        )
    at = sheet.columns(head)
    force_col, tactic_col = at[_key("Police force")], at[_key("Tactic")]
    columns = _group_columns(sheet, head, max(force_col, tactic_col) + 1, labels)
    wanted = {_key(label): code for code, label in labels.tactics.items()}
    found: dict[tuple[str, str], int] = {}
    totals: dict[str, dict] = {}
    parts: dict[str, list] = {}
    rows: list = []
    unavailable: dict[str, bool] = {}
    force = None
    for row in sheet.body(head + 1):
        if not _blank(sheet.cell(row, force_col)):
            force, _ = _place_force(sheet, row, force_col, "Police force")
        elif force is None:
            _place_force(sheet, row, force_col, "Police force")  # raises: no force named
        code = wanted.get(_key(sheet.cell(row, tactic_col)))
        if code is None or force is None:
            continue
        if (force, code) in found:
            raise sheet.error(
                f"a second {labels.tactics[code]!r} row for {force} (first at row "
                f"{found[force, code]})",
                row=row + 1,
                column="Tactic",
                expected="one row per force and tactic",
            )
        found[force, code] = row + 1
        groups = _by_group(sheet, row, columns, labels)
        if code.startswith("ced") and force != _EW:
            marked = any(v is pd.NA for v in groups.values())
            unavailable[force] = unavailable.get(force, False) or marked
        if force == _EW:
            totals[code] = {"row": row, "groups": groups}
            continue
        parts.setdefault(code, []).append((force, groups))
        for group, n in groups.items():
            rows.append([force, year, code, group, n, edition, sheet.name])
    forces = {f for f, _ in found if f != _EW}
    for code, label in labels.tactics.items():
        for f in sorted(forces):
            if (f, code) not in found:
                raise sheet.error(
                    f"no {label!r} row for {get_force(f).name}",
                    column="Tactic",
                    expected=f"a {label!r} row for every force",
                )
    if not forces:
        raise sheet.error("no force rows", row=head + 2, expected="one block of rows per force")
    if "all" in totals:
        national = totals["all"]
        first = {}
        for label in columns:
            first.setdefault(labels.ethnic_groups[label], label)
        for group, label in first.items():
            _check_sum(
                sheet,
                national["row"],
                label,
                national["groups"][group],
                [(f, g[group]) for f, g in parts["all"]],
                f"{labels.tactics['all']} ({group})",
            )
    return rows, unavailable


# ----------------------------------------------------------------------------- one edition


_SUMMARY_NOTE = re.compile(
    r"(\d+)\s+police\s+forces\s+(?:provided\s+the\s+home\s+office\s+with\s+summary\s+data|"
    r"were\s+not\s+able\s+to\s+provide\s+incident\s+level\s+data)",
    re.IGNORECASE,
)


def _summary_note(sheets: Iterable[_Sheet]) -> int | None:
    """How many forces the notes say supplied summary CED data only."""
    for sheet in sheets:
        for values in sheet.rows:
            for value in values:
                if isinstance(value, str):
                    match = _SUMMARY_NOTE.search(_SPACE.sub(" ", value))
                    if match:
                        return int(match.group(1))
    return None


def _frame(rows: list, columns: list[str], counts: str | None) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=columns)
    if counts is not None:
        frame[counts] = pd.array(frame[counts].tolist(), dtype="Int64")
    text = {"force", "financial_year", "measure", "tactic", "group", "edition", "source_sheet"}
    for column in text.intersection(columns):
        frame[column] = frame[column].astype("str")
    return frame


def _order(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Deterministic row order: by key, groups/measures/tactics in their published order."""
    ranks = {
        "group": {g: i for i, g in enumerate(GROUP_ORDER)},
        "measure": {m: i for i, m in enumerate((*CED_MEASURES, *NATIONAL_MEASURES))},
        "tactic": {t: i for i, t in enumerate(TACTICS)},
    }

    def key(column: pd.Series) -> pd.Series:
        return column.map(ranks[column.name]) if column.name in ranks else column

    return frame.sort_values(keys, key=key, kind="stable").reset_index(drop=True)


def read_edition(path: str | Path) -> Edition:
    """One edition of the Home Office use of force data tables (ODS), placed by its content."""
    path = Path(path)
    name = path.name
    data = read_input_bytes(path, name, expected=_EXPECTED_FILE, limit=MAX_FILE_BYTES)
    book = _open(name, data)
    heads = {s: _read_sheet(book, name, s, nrows=12) for s in book.sheet_names}
    year = _edition_year(name, book, heads)
    labels = labels_for(year)

    def sheet(role: _Role, required: bool = True) -> _Sheet | None:
        found = _need(name, heads, role, year) if required else _locate(name, heads, role, year)
        if found is None:
            return None
        out = _read_sheet(book, name, found)
        out.title_row, out.title = _title(out)
        return out

    notes: list[str] = []
    t12 = sheet(_T12)
    incidents, national, total = _read_incidents(t12, year, year)
    t1 = sheet(_T1)
    row, stated = _read_total_incidents(t1, labels)
    if stated is not pd.NA and total is not pd.NA and stated != total:
        raise t1.error(
            f"{stated:,} incidents, but Table 12 ({t12.name}) gives {total:,}",
            row=row + 1,
            column=labels.incidents_column or labels.incidents_row,
            expected="the same total incidents in both tables",
        )
    t4 = sheet(_T4)
    groups = _read_national_groups(t4, labels, year, year, total)
    t13 = sheet(_T13)
    ced, ced_national = _read_ced(t13, labels, year, year)
    tactics: list = []
    unavailable: dict[str, bool] = {}
    if labels.tactics:
        t16 = sheet(_T16)
        tactics, unavailable = _read_tactics(t16, labels, year, year)
    summary = _summary_note([t13, t1])
    flags = _summary_flags(year, summary, unavailable, notes)
    for row in ced:
        if row[1] == year:
            row[5] = flags.get(row[0], pd.NA)
    ced_frame = _frame(ced, CED_COLUMNS, "count")
    ced_frame["revised"] = ced_frame["revised"].astype(bool)
    ced_frame["summary_only"] = pd.array(ced_frame["summary_only"].tolist(), dtype="boolean")
    return Edition(
        file=name,
        financial_year=year,
        sha256=hashlib.sha256(data).hexdigest(),
        incidents=_order(_frame(incidents, INCIDENT_COLUMNS, "incidents"), ["force"]),
        ced=_order(ced_frame, ["force", "financial_year", "measure"]),
        tactics_by_ethnicity=_order(
            _frame(tactics, TACTIC_COLUMNS, "tactics"), ["force", "tactic", "group"]
        ),
        national_incidents_by_ethnicity=_order(
            _frame(groups, NATIONAL_GROUP_COLUMNS, "incidents"), ["group"]
        ),
        england_and_wales=_order(
            _frame(national + ced_national, NATIONAL_COLUMNS, "count"),
            ["financial_year", "measure"],
        ),
        ced_summary_only_forces=summary,
        notes=notes,
    )


# ----------------------------------------------------------------------------- every edition


def _summary_flags(
    year: str, summary: int | None, unavailable: dict[str, bool], notes: list[str]
) -> dict[str, bool]:
    """summary_only per force for the edition's own year, where the tables say.

    Table 16 marks a force's CED rows ``:`` where its CED data are not available incident by
    incident. Those forces are flagged; the others are flagged False only when the marked forces
    are as many as the notes say supplied summary data (else they are not known: NA).
    """
    marked = {f for f, m in unavailable.items() if m}
    if summary is None:
        return dict.fromkeys(marked, True)
    if len(marked) == summary:
        return {f: f in marked for f in unavailable}
    notes.append(
        f"The {year} edition says {summary} forces supplied summary CED data only"
        + (
            f"; its Table 16 marks {len(marked)} ({_names(marked)})."
            if marked
            else ", without naming them."
        )
    )
    return dict.fromkeys(marked, True)


# ----------------------------------------------------------------------------- every edition


#: Per table: what a note calls it, its key, its value, and the block an edition replaces whole.
_TABLES = {
    "incidents": ("incident", ["force", "financial_year"], "incidents", ["financial_year"]),
    "ced": ("CED", ["force", "financial_year", "measure"], "count", ["financial_year"]),
    "tactics_by_ethnicity": (
        "tactics by ethnicity",
        ["force", "financial_year", "tactic", "group"],
        "tactics",
        ["financial_year"],
    ),
    "national_incidents_by_ethnicity": (
        "incidents by ethnicity",
        ["financial_year", "group"],
        "incidents",
        ["financial_year"],
    ),
    # noted with the table each measure totals
    "england_and_wales": (
        None,
        ["financial_year", "measure"],
        "count",
        ["financial_year", "measure"],
    ),
}


def _names(forces: Iterable[str]) -> str:
    return ", ".join(get_force(f).name if f != _EW else _EW for f in sorted(forces))


def _changed(old: pd.DataFrame, new: pd.DataFrame, keys: list[str], value: str) -> set[str]:
    """Forces (or England and Wales) whose figures differ between two editions' rows."""
    merged = old[[*keys, value]].merge(
        new[[*keys, value]], on=keys, how="outer", suffixes=("_old", "_new"), indicator=True
    )
    a, b = merged[f"{value}_old"], merged[f"{value}_new"]
    differs = (merged["_merge"] != "both") | (a.isna() != b.isna()) | (a.fillna(-1) != b.fillna(-1))
    if "force" not in keys:
        return {_EW} if differs.any() else set()
    return set(merged.loc[differs, "force"])


def _override_note(
    year: str, what: str, winner: str, loser: str, changed: set[str], marked: list[str]
) -> str:
    """One plain line: which edition's figures for a year were kept, and what it revises."""
    if changed:
        forces = sorted(f for f in changed if f != _EW)
        parts = [f"{len(forces)} force{'s' * (len(forces) != 1)} ({_names(forces)})"] * bool(forces)
        parts += ["the England and Wales total"] * (_EW in changed)
        text = (
            f"{year} {what} figures taken from the {winner} edition, which revises "
            f"{' and '.join(parts)} against the {loser} edition"
        )
    else:
        text = (
            f"{year} {what} figures taken from the {winner} edition; the {loser} edition gives "
            "the same figures"
        )
    if marked:
        text += f" (the {winner} edition marks as revised: {_names(marked)})"
    return text + "."


def _combine(editions: list[Edition]) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Each table over every edition, the latest edition winning each block; override notes."""
    tables: dict[str, pd.DataFrame] = {}
    notes: list[str] = []
    national = pd.concat([e.england_and_wales for e in editions], ignore_index=True)
    for attr, (what, keys, value, block) in _TABLES.items():
        table = pd.concat([getattr(e, attr) for e in editions], ignore_index=True)
        keep = []
        for part_key, part in table.groupby(block, sort=True):
            year = part_key[0]
            winner = max(part["edition"], key=lambda y: int(y[:4]))
            new = part[part["edition"] == winner]
            keep.append(new)
            for loser in sorted(set(part["edition"]) - {winner}) if what else []:
                old = part[part["edition"] == loser]
                changed = _changed(old, new, keys, value)
                marked: list[str] = []
                if attr == "ced":
                    ced = national[
                        (national["financial_year"] == year)
                        & national["measure"].str.startswith("ced_")
                    ]
                    both = ["financial_year", "measure"]
                    changed |= _changed(
                        ced[ced["edition"] == loser], ced[ced["edition"] == winner], both, "count"
                    )
                    marked = sorted(set(new.loc[new["revised"], "force"]))
                notes.append(_override_note(year, what, winner, loser, changed, marked))
        frame = pd.concat(keep, ignore_index=True) if keep else table
        tables[attr] = _restore(_order(frame, keys), attr)
    return tables, notes


def read_use_of_force(folder: str | Path) -> UseOfForceTables:
    """Every edition (``*.ods``) in ``folder``, combined; other files are ignored.

    Where editions overlap for a year (Table 13 is cumulative), the latest edition's figures for
    that year are kept, whole, and ``notes`` says so, one line per override.
    """
    folder = Path(folder)
    expected = f"a folder of {_EXPECTED_FILE}"
    if not folder.is_dir():
        raise InputFileError(str(folder), "not a folder", expected=expected)
    files = sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() == ".ods" and not p.name.startswith((".", "~")) and not p.is_dir()
    )
    if not files:
        raise InputFileError(str(folder), "no .ods files", expected=expected)
    editions: dict[str, Edition] = {}
    for path in files:
        edition = read_edition(path)
        if edition.financial_year in editions:
            raise InputFileError(
                edition.file,
                f"is the {edition.financial_year} edition, as "
                f"{editions[edition.financial_year].file} is",
                expected="one file per edition",
            )
        editions[edition.financial_year] = edition
    ordered = [editions[y] for y in sorted(editions)]
    tables, notes = _combine(ordered)
    for edition in ordered:
        notes.extend(edition.notes)
    flags = {}  # summary_only comes from the edition reporting the year
    for edition in ordered:
        own = edition.ced[edition.ced["financial_year"] == edition.financial_year]
        for force, flag in zip(own["force"], own["summary_only"], strict=True):
            flags[force, edition.financial_year] = flag
    ced = tables["ced"]
    keys = zip(ced["force"], ced["financial_year"], strict=True)
    ced["summary_only"] = pd.array([flags.get(k, pd.NA) for k in keys], dtype="boolean")
    listing = pd.DataFrame(
        [[e.file, e.financial_year, e.sha256, e.ced_summary_only_forces] for e in ordered],
        columns=EDITION_COLUMNS,
    )
    listing["ced_summary_only_forces"] = pd.array(
        listing["ced_summary_only_forces"].tolist(), dtype="Int64"
    )
    return UseOfForceTables(**tables, editions=listing, notes=notes)


def _restore(frame: pd.DataFrame, attr: str) -> pd.DataFrame:
    """Plain dtypes after concatenation (counts Int64, flags bool/boolean)."""
    frame = frame.copy()
    for column in ("incidents", "count", "tactics"):
        if column in frame:
            frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
    if attr == "ced":
        frame["revised"] = frame["revised"].astype(bool)
        frame["summary_only"] = pd.array(frame["summary_only"].tolist(), dtype="boolean")
    return frame
