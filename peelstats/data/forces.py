"""Registry of the 43 territorial police forces of England and Wales plus British Transport Police.

Force ids are the ones police.uk uses in file names and its API (``durham``, ``metropolitan``,
``btp``). PFA codes are the ONS December 2022 police force area codes (PFA22CD).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from peelstats.errors import ParameterError

_ID_PATTERN = re.compile(r"^[a-z0-9-]+$")


@dataclass(frozen=True)
class Force:
    """One force. ``pfa_code`` is None and ``has_population`` False for British Transport Police."""

    id: str
    name: str
    full_name: str
    pfa_code: str | None
    pfa_name: str | None
    region: str
    country: str

    @property
    def has_population(self) -> bool:
        """Whether a resident population (and so a population-based rate) exists for the force."""
        return self.pfa_code is not None


_NE, _NW, _YH = "North East", "North West", "Yorkshire and The Humber"
_EM, _WM, _EE = "East Midlands", "West Midlands", "East of England"
_LON, _SE, _SW, _WAL = "London", "South East", "South West", "Wales"

# id, short name, full name, PFA22CD, PFA22NM, region
_TABLE = [
    (
        "avon-and-somerset",
        "Avon and Somerset",
        "Avon and Somerset Constabulary",
        "E23000036",
        "Avon and Somerset",
        _SW,
    ),
    ("bedfordshire", "Bedfordshire", "Bedfordshire Police", "E23000026", "Bedfordshire", _EE),
    (
        "cambridgeshire",
        "Cambridgeshire",
        "Cambridgeshire Constabulary",
        "E23000023",
        "Cambridgeshire",
        _EE,
    ),
    ("cheshire", "Cheshire", "Cheshire Constabulary", "E23000006", "Cheshire", _NW),
    (
        "city-of-london",
        "City of London",
        "City of London Police",
        "E23000034",
        "London, City of",
        _LON,
    ),
    ("cleveland", "Cleveland", "Cleveland Police", "E23000013", "Cleveland", _NE),
    ("cumbria", "Cumbria", "Cumbria Constabulary", "E23000002", "Cumbria", _NW),
    ("derbyshire", "Derbyshire", "Derbyshire Constabulary", "E23000018", "Derbyshire", _EM),
    (
        "devon-and-cornwall",
        "Devon and Cornwall",
        "Devon and Cornwall Police",
        "E23000035",
        "Devon & Cornwall",
        _SW,
    ),
    ("dorset", "Dorset", "Dorset Police", "E23000039", "Dorset", _SW),
    ("durham", "Durham", "Durham Constabulary", "E23000008", "Durham", _NE),
    ("dyfed-powys", "Dyfed-Powys", "Dyfed-Powys Police", "W15000004", "Dyfed-Powys", _WAL),
    ("essex", "Essex", "Essex Police", "E23000028", "Essex", _EE),
    (
        "gloucestershire",
        "Gloucestershire",
        "Gloucestershire Constabulary",
        "E23000037",
        "Gloucestershire",
        _SW,
    ),
    (
        "greater-manchester",
        "Greater Manchester",
        "Greater Manchester Police",
        "E23000005",
        "Greater Manchester",
        _NW,
    ),
    ("gwent", "Gwent", "Gwent Police", "W15000002", "Gwent", _WAL),
    (
        "hampshire",
        "Hampshire",
        "Hampshire and Isle of Wight Constabulary",
        "E23000030",
        "Hampshire",
        _SE,
    ),
    (
        "hertfordshire",
        "Hertfordshire",
        "Hertfordshire Constabulary",
        "E23000027",
        "Hertfordshire",
        _EE,
    ),
    ("humberside", "Humberside", "Humberside Police", "E23000012", "Humberside", _YH),
    ("kent", "Kent", "Kent Police", "E23000032", "Kent", _SE),
    ("lancashire", "Lancashire", "Lancashire Constabulary", "E23000003", "Lancashire", _NW),
    (
        "leicestershire",
        "Leicestershire",
        "Leicestershire Police",
        "E23000021",
        "Leicestershire",
        _EM,
    ),
    ("lincolnshire", "Lincolnshire", "Lincolnshire Police", "E23000020", "Lincolnshire", _EM),
    ("merseyside", "Merseyside", "Merseyside Police", "E23000004", "Merseyside", _NW),
    (
        "metropolitan",
        "Metropolitan Police",
        "Metropolitan Police Service",
        "E23000001",
        "Metropolitan Police",
        _LON,
    ),
    ("norfolk", "Norfolk", "Norfolk Constabulary", "E23000024", "Norfolk", _EE),
    ("north-wales", "North Wales", "North Wales Police", "W15000001", "North Wales", _WAL),
    (
        "north-yorkshire",
        "North Yorkshire",
        "North Yorkshire Police",
        "E23000009",
        "North Yorkshire",
        _YH,
    ),
    (
        "northamptonshire",
        "Northamptonshire",
        "Northamptonshire Police",
        "E23000022",
        "Northamptonshire",
        _EM,
    ),
    ("northumbria", "Northumbria", "Northumbria Police", "E23000007", "Northumbria", _NE),
    (
        "nottinghamshire",
        "Nottinghamshire",
        "Nottinghamshire Police",
        "E23000019",
        "Nottinghamshire",
        _EM,
    ),
    ("south-wales", "South Wales", "South Wales Police", "W15000003", "South Wales", _WAL),
    (
        "south-yorkshire",
        "South Yorkshire",
        "South Yorkshire Police",
        "E23000011",
        "South Yorkshire",
        _YH,
    ),
    ("staffordshire", "Staffordshire", "Staffordshire Police", "E23000015", "Staffordshire", _WM),
    ("suffolk", "Suffolk", "Suffolk Constabulary", "E23000025", "Suffolk", _EE),
    ("surrey", "Surrey", "Surrey Police", "E23000031", "Surrey", _SE),
    ("sussex", "Sussex", "Sussex Police", "E23000033", "Sussex", _SE),
    ("thames-valley", "Thames Valley", "Thames Valley Police", "E23000029", "Thames Valley", _SE),
    ("warwickshire", "Warwickshire", "Warwickshire Police", "E23000017", "Warwickshire", _WM),
    ("west-mercia", "West Mercia", "West Mercia Police", "E23000016", "West Mercia", _WM),
    ("west-midlands", "West Midlands", "West Midlands Police", "E23000014", "West Midlands", _WM),
    (
        "west-yorkshire",
        "West Yorkshire",
        "West Yorkshire Police",
        "E23000010",
        "West Yorkshire",
        _YH,
    ),
    ("wiltshire", "Wiltshire", "Wiltshire Police", "E23000038", "Wiltshire", _SW),
]

_FORCES: dict[str, Force] = {
    fid: Force(fid, name, full, code, pfa_name, region, "Wales" if code[0] == "W" else "England")
    for fid, name, full, code, pfa_name, region in _TABLE
}
_FORCES["btp"] = Force(
    "btp",
    "British Transport Police",
    "British Transport Police",
    None,
    None,
    "National (railways)",
    "England, Wales and Scotland",
)

#: Home Office data names forces by these names where they differ from ``Force.name``.
HOME_OFFICE_NAMES = {"London, City of": "city-of-london", "Metropolitan Police": "metropolitan"}


def all_forces(*, territorial_only: bool = False) -> list[Force]:
    """Every force in the registry, sorted by id (BTP excluded when ``territorial_only``)."""
    forces = sorted(_FORCES.values(), key=lambda f: f.id)
    return [f for f in forces if f.has_population] if territorial_only else forces


def force_ids() -> list[str]:
    """Sorted police.uk ids of every force in the registry."""
    return sorted(_FORCES)


def check_force_id(force_id: object) -> str:
    """Return ``force_id`` if it is shaped like a police.uk id, else raise ParameterError."""
    if not isinstance(force_id, str) or not force_id:
        raise ParameterError(f"force id must be a non-empty string, got {force_id!r}")
    if "/" in force_id or "\\" in force_id or ".." in force_id:
        raise ParameterError(f"force id {force_id!r} must not contain path separators or '..'")
    if not _ID_PATTERN.match(force_id):
        raise ParameterError(
            f"force id {force_id!r} may contain only lower-case letters, digits and '-'"
        )
    return force_id


def get_force(force_id: str) -> Force:
    """The registry entry for a force id; ParameterError naming close matches if unknown."""
    check_force_id(force_id)
    try:
        return _FORCES[force_id]
    except KeyError:
        close = difflib.get_close_matches(force_id, list(_FORCES), n=3, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise ParameterError(
            f"unknown force id {force_id!r}{hint} (peelstats forces lists them)"
        ) from None


def find_force(text: str) -> Force:
    """The force a user means on the command line: its police.uk id in any case (``Durham``,
    ``DURHAM``: ids are lower-case and no two differ only in case, so there is no doubt which
    is meant), or its name (``West Midlands``, ``Durham Constabulary``). Anything else is a
    ParameterError naming close matches; a path separator or ``..`` is refused as by
    :func:`check_force_id`."""
    if not isinstance(text, str) or not text.strip():
        return get_force(text)  # the error for an empty id
    text = text.strip()
    if "/" in text or "\\" in text or ".." in text:
        check_force_id(text)
    key = text.lower()
    if key in _FORCES:
        return _FORCES[key]
    named = force_by_name(text)
    if named is not None:
        return named
    dashed = re.sub(r"[\s_]+", "-", key)
    if dashed in _FORCES:
        return _FORCES[dashed]
    close = difflib.get_close_matches(dashed, list(_FORCES), n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    raise ParameterError(f"unknown force id {text!r}{hint} (peelstats forces lists them)")


def force_by_name(name: str) -> Force | None:
    """The force whose short name, PFA name or Home Office name is ``name``, or None."""
    if name in HOME_OFFICE_NAMES:
        return _FORCES[HOME_OFFICE_NAMES[name]]
    key = name.replace("&", "and").lower()
    for force in _FORCES.values():
        names = {force.name, force.full_name, force.pfa_name or ""}
        if key in {n.replace("&", "and").lower() for n in names}:
            return force
    return None
