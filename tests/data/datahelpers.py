"""Helpers that build small, readable police.uk archives for the data-layer tests."""

from __future__ import annotations

from pathlib import Path

from peelstats.data.archive import COLUMNS, HEADER_TEXT

BASE = {
    "Type": "Person search",
    "Date": "2019-01-15T12:00:00+00:00",
    "Part of a policing operation": "False",
    "Policing operation": "",
    "Latitude": "54.7",
    "Longitude": "-1.6",
    "Gender": "Male",
    "Age range": "18-24",
    "Self-defined ethnicity": "White - English/Welsh/Scottish/Northern Irish/British",
    "Officer-defined ethnicity": "White",
    "Legislation": "Misuse of Drugs Act 1971 (section 23)",
    "Object of search": "Controlled drugs",
    "Outcome": "A no further action disposal",
    "Outcome linked to object of search": "False",
    "Removal of more than just outer clothing": "False",
}


def row(**changes: str) -> str:
    """One CSV line: the BASE record with some fields changed (keyword = column, spaces as _)."""
    record = dict(BASE)
    for key, value in changes.items():
        column = {c.replace(" ", "_").replace("-", "_"): c for c in COLUMNS}[key]
        record[column] = value
    return ",".join(_quote(record[c]) for c in COLUMNS)


def _quote(value: str) -> str:
    return f'"{value}"' if any(c in value for c in ',"\n') else value


def write_month(root: Path, month: str, force: str, lines: list[str] | bytes) -> Path:
    """Write YYYY-MM/YYYY-MM-<force>-stop-and-search.csv under root (header added to lines)."""
    folder = root / month
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{month}-{force}-stop-and-search.csv"
    if isinstance(lines, bytes):
        path.write_bytes(lines)
    else:
        path.write_text("\n".join([HEADER_TEXT, *lines]) + "\n", encoding="utf-8", newline="\n")
    return path
