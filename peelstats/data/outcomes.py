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
    if not path.is_file():
        raise InputFileError(str(path), "file not found", expected="Home Office outcomes CSV")
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError:
        raise InputFileError(name, "not UTF-8 text", expected="UTF-8 CSV (gzip allowed)") from None
    missing = [c for c in _NEEDED if c not in df.columns]
    if missing:
        raise InputFileError(
            name, "missing column", row=1, column=missing[0], expected=", ".join(_NEEDED)
        )
    all_na = (df == "NA").all(axis=1)
    df = df[~all_na]
    for column in _NEEDED:
        bad = (df[column] == "NA") | (df[column] == "")
        if bad.any():
            raise InputFileError(
                name,
                "missing value",
                row=int(df.index[bad][0]) + 2,
                column=column,
                expected="a value (not NA)",
            )
    bad = ~df["offences"].str.fullmatch(r"-?\d+")
    if bad.any():
        raise InputFileError(
            name,
            f"{df['offences'][bad].iat[0]!r} is not a count",
            row=int(df.index[bad][0]) + 2,
            column="offences",
            expected="a whole number (negative allowed)",
        )
    groups = set(df["offence_group"])
    unknown = sorted(groups - NOT_VICTIM_BASED - VICTIM_BASED)
    if unknown:
        pos = int(df.index[df["offence_group"] == unknown[0]][0]) + 2
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
            pos = int(df.index[df["force_name"] == force_name][0]) + 2
            raise InputFileError(
                name,
                f"unknown force {force_name!r}",
                row=pos,
                column="force_name",
                expected="a police force name",
            )
        forces[force_name] = force.id
    df = df.assign(
        offences=df["offences"].astype("int64"), outcome_type=df["outcome_type"].astype("int64")
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
