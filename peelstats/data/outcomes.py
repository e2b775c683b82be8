"""Compact Home Office crime outcomes table (financial year open data, e.g. 2017/18).

Sums ``offences`` over quarters and offence codes to force x outcome type x offence group.
``victim_based`` follows the ONS split: every offence group except the "other crimes against
society" groups (drug offences, possession of weapons, public order, miscellaneous crimes
against society). ``NA`` marks a missing value; a row with every field ``NA`` is skipped.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from peelstats.data.forces import force_by_name
from peelstats.data.inputs import read_csv_strict
from peelstats.errors import InputFileError

NOT_VICTIM_BASED = frozenset(
    {
        "Drug offences",
        "Possession of weapons offences",
        "Public order offences",
        "Miscellaneous crimes against society",
    }
)
VICTIM_BASED = frozenset(
    {
        "Violence against the person",
        "Sexual offences",
        "Robbery",
        "Theft offences",
        "Criminal damage and arson",
    }
)
COLUMNS = [
    "force",
    "force_name",
    "financial_year",
    "outcome_type",
    "outcome_description",
    "outcome_group",
    "offence_group",
    "victim_based",
    "offences",
]
#: Largest count accepted, either sign (above this a count is a typo or an overflow).
MAX_COUNT = 10**9
_NEEDED = [
    "financial_year",
    "force_name",
    "offence_group",
    "outcome_description",
    "outcome_group",
    "outcome_type",
    "offences",
]


def build_crime_outcomes(path: str | Path) -> pd.DataFrame:
    """The compact outcomes table (columns :data:`COLUMNS`), sorted, offences int64."""
    path = Path(path)
    name = path.name
    if not path.exists() and not path.is_symlink():
        raise InputFileError(str(path), "file not found", expected="Home Office outcomes CSV")
    df, rows = read_csv_strict(path, name, _NEEDED, expected="UTF-8 CSV (gzip allowed)")
    if df.empty:
        raise InputFileError(name, "no data rows", row=2, expected="one row per force x offence")

    def row_of(i) -> int:
        return rows[int(i)] if rows is not None else int(i) + 2

    all_na = (df == "NA").all(axis=1)
    df = df[~all_na]
    for column in _NEEDED:
        bad = (df[column] == "NA") | (df[column] == "")
        if bad.any():
            raise InputFileError(
                name,
                "missing value",
                row=row_of(df.index[bad][0]),
                column=column,
                expected="a value (not NA)",
            )
    bad = ~df["offences"].str.fullmatch(r"-?[0-9]{1,10}")
    bad |= ~bad & (df["offences"].where(~bad, "0").astype("int64").abs() > MAX_COUNT)
    if bad.any():
        raise InputFileError(
            name,
            f"{df['offences'][bad].iat[0]!r} is not a count",
            row=row_of(df.index[bad][0]),
            column="offences",
            expected=f"a whole number from -{MAX_COUNT:,} to {MAX_COUNT:,}",
        )
    groups = set(df["offence_group"])
    unknown = sorted(groups - NOT_VICTIM_BASED - VICTIM_BASED)
    if unknown:
        pos = row_of(df.index[df["offence_group"] == unknown[0]][0])
        raise InputFileError(
            name,
            f"unknown offence group {unknown[0]!r}",
            row=pos,
            column="offence_group",
            expected="an ONS offence group",
        )
    forces = {}
    for force_name in sorted(set(df["force_name"])):
        force = force_by_name(force_name)
        if force is None:
            pos = row_of(df.index[df["force_name"] == force_name][0])
            raise InputFileError(
                name,
                f"unknown force {force_name!r}",
                row=pos,
                column="force_name",
                expected="a police force name",
            )
        forces[force_name] = force.id
    df = df.assign(
        offences=df["offences"].astype("int64"), outcome_type=_outcome_types(df, name, row_of)
    )
    keys = [
        "force_name",
        "financial_year",
        "outcome_type",
        "outcome_description",
        "outcome_group",
        "offence_group",
    ]
    out = df.groupby(keys, as_index=False, sort=False)["offences"].sum()
    out["force"] = out["force_name"].map(forces)
    out["victim_based"] = out["offence_group"].isin(VICTIM_BASED)
    out = out.sort_values(["force", "financial_year", "outcome_type", "offence_group"])
    return out[COLUMNS].reset_index(drop=True)


def _outcome_types(df: pd.DataFrame, name: str, row_of) -> pd.Series:
    bad = ~df["outcome_type"].str.fullmatch(r"-?[0-9]{1,6}")
    if bad.any():
        raise InputFileError(
            name,
            f"{df['outcome_type'][bad].iat[0]!r} is not an outcome type",
            row=row_of(df.index[bad][0]),
            column="outcome_type",
            expected="a Home Office outcome type number such as 1 or 18",
        )
    return df["outcome_type"].astype("int64")
