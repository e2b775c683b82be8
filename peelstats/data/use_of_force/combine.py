"""Every edition combined: for a year several editions give, the latest edition's figures, and
one plain note per override."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from peelstats.data.use_of_force.labels import EW, EXPECTED_FILE, force_names
from peelstats.data.use_of_force.tables import (
    EDITION_COLUMNS,
    Edition,
    order_rows,
    read_edition,
)
from peelstats.errors import InputFileError


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


def _changed(old: pd.DataFrame, new: pd.DataFrame, keys: list[str], value: str) -> set[str]:
    """Forces (or England and Wales) whose figures differ between two editions' rows."""
    merged = old[[*keys, value]].merge(
        new[[*keys, value]], on=keys, how="outer", suffixes=("_old", "_new"), indicator=True
    )
    a, b = merged[f"{value}_old"], merged[f"{value}_new"]
    differs = (merged["_merge"] != "both") | (a.isna() != b.isna()) | (a.fillna(-1) != b.fillna(-1))
    if "force" not in keys:
        return {EW} if differs.any() else set()
    return set(merged.loc[differs, "force"])


def _override_note(
    year: str, what: str, winner: str, loser: str, changed: set[str], marked: list[str]
) -> str:
    """One plain line: which edition's figures for a year were kept, and what it revises."""
    if changed:
        forces = sorted(f for f in changed if f != EW)
        plural = "s" * (len(forces) != 1)
        parts = [f"{len(forces)} force{plural} ({force_names(forces)})"] * bool(forces)
        parts += ["the England and Wales total"] * (EW in changed)
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
        text += f" (the {winner} edition marks as revised: {force_names(marked)})"
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
        tables[attr] = _restore(order_rows(frame, keys), attr)
    return tables, notes


def read_use_of_force(folder: str | Path) -> UseOfForceTables:
    """Every edition (``*.ods``) in ``folder``, combined; other files are ignored.

    Where editions overlap for a year (Table 13 is cumulative), the latest edition's figures for
    that year are kept, whole, and ``notes`` says so, one line per override.
    """
    folder = Path(folder)
    expected = f"a folder of {EXPECTED_FILE}"
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
