"""Labels of the Home Office use of force tables: constants, the per-edition label maps, label
cleaning and folding, force names, and financial years and April-to-March periods."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from peelstats.data.forces import HOME_OFFICE_NAMES, all_forces, force_by_name, get_force
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
EXPECTED_FILE = "the Home Office's Police use of force statistics data tables (.ods)"
EW = "England and Wales"


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


# ----------------------------------------------------------------------------- labels


SPACE = re.compile(r"\s+")
_REVISED = re.compile(r"\(\s*R\s*\)")
_FOOTNOTE = re.compile(r"(?<=[A-Za-z)])(?:[0-9]{1,2}|[\u00b9\u00b2\u00b3\u2070-\u2079]+)$")


def clean_label(value: object) -> tuple[str, bool]:
    """A published label without its markers, and whether it carried ``(R)`` (revised).

    Drops ``*`` and ``(R)`` markers, line breaks and runs of spaces, and footnote digits stuck
    to the end of a word (``Durham2``, not ``Under 11``).
    """
    text = SPACE.sub(" ", str(value).replace("\u00a0", " ")).strip()
    revised = bool(_REVISED.search(text))
    previous = None
    while text != previous:
        previous = text
        text = _REVISED.sub("", text).strip().strip("*").strip()
        text = _FOOTNOTE.sub("", text).strip()
    return SPACE.sub(" ", text), revised


def fold(value: object) -> str:
    """A cleaned label folded for comparison: case, ``&``/"and", quotes, hyphens, commas,
    brackets ("Asian (or Asian British)" is "Asian or Asian British")."""
    text = clean_label(value)[0].lower()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("&", " and ")
    text = re.sub(r"[-\u2013\u2014,()]", " ", text)
    return SPACE.sub(" ", text).strip()


def _force_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for force in all_forces():
        for name in (force.id, force.name, force.full_name, force.pfa_name):
            if name:
                keys[fold(name)] = force.id
    for name, force_id in HOME_OFFICE_NAMES.items():
        keys[fold(name)] = force_id
    keys.update(
        {
            fold("Metropolitan"): "metropolitan",
            fold("Metropolitan Police Service"): "metropolitan",
            fold("Hampshire and Isle of Wight"): "hampshire",
            fold("BTP"): "btp",
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
    return found.id if found is not None else _FORCE_KEYS.get(fold(label))


def is_total(label: str) -> bool:
    return fold(label).startswith("total ")


def is_national(label: str) -> bool:
    return fold(label) in {"total england and wales", "england and wales"}


# ----------------------------------------------------------------------------- periods


_YEAR = re.compile(r"^(\d{4})\s*(?:/|-|\u2013|to)\s*(\d{2}|\d{4})$")
_RANGE = re.compile(
    r"(?:\d{1,2}\s+)?apr(?:il)?\s*(\d{4})\s*(?:to|-|\u2013|\u2014)\s*(?:\d{1,2}\s+)?mar(?:ch)?\s*(\d{4})",
    re.IGNORECASE,
)
_YEAR_ENDING = re.compile(r"year\s+ending\s+(?:\d{1,2}\s+)?march\s+(\d{4})", re.IGNORECASE)


def fy(start: int) -> str:
    return f"{start}/{(start + 1) % 100:02d}"


def financial_year_of(value: object) -> str | None:
    """``2017/18`` from ``2017/18``, ``2017-18``, ``2017 to 2018``, ``Year ending March 2018``;
    None if not a year."""
    text = clean_label(value)[0]
    match = _YEAR.match(text)
    if not match:
        years = period_years(text)
        return years[0] if years is not None and len(years) == 1 else None
    start, end = int(match.group(1)), int(match.group(2))
    return fy(start) if end in (start + 1, (start + 1) % 100) else None


def period_years(text: str) -> list[str] | None:
    """The financial years an April-to-March period names (None if it names none)."""
    match = _RANGE.search(text)
    if match:
        first, last = int(match.group(1)), int(match.group(2))
        return [fy(y) for y in range(first, last)] if last > first else None
    match = _YEAR_ENDING.search(text)
    return [fy(int(match.group(1)) - 1)] if match else None


def force_names(forces: Iterable[str]) -> str:
    return ", ".join(get_force(f).name if f != EW else EW for f in sorted(forces))
