"""Census 2021 usual residents by the five ethnic groups for every police force area.

Built from ONS TS021 (ethnic group, 20 categories, by lower-tier local authority) and the ONS
LAD22 -> CSP22 -> PFA22 lookup. Codes 1-5 Asian, 6-8 Black, 9-12 Mixed, 13-17 White,
18-19 Other; -8 "Does not apply" is 0 for usual residents and is dropped.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from peelstats.data.forces import all_forces
from peelstats.data.inputs import read_csv_strict
from peelstats.errors import InputFileError
from peelstats.vocabulary import ALL, GROUPS

TS021_FILE = "TS021-ethnic-group-by-ltla.csv"
LOOKUP_FILE = "LAD22-CSP22-PFA22-lookup.csv"

#: TS021 category codes of each group (1-5 Asian, 6-8 Black, 9-12 Mixed, 13-17 White, 18-19
#: Other), in the vocabulary's group order
_CODES_OF_GROUP = dict(zip(GROUPS, (range(1, 6), range(6, 9), range(9, 13), range(13, 18),
                                    range(18, 20)), strict=True))  # fmt: skip
_GROUP_OF_CODE = {code: group for group, codes in _CODES_OF_GROUP.items() for code in codes}
GROUP_ORDER = [*GROUPS, ALL]

_TS021_COLUMNS = {
    "Lower Tier Local Authorities Code": "lad",
    "Ethnic group (20 categories) Code": "code",
    "Observation": "population",
}


#: Largest count accepted (above this a "count" is a typo or an overflow, never a population).
MAX_COUNT = 10**9
_COUNT = re.compile(r"^[0-9]+$")


def _read(path: Path, columns: list[str]) -> tuple[pd.DataFrame, list[int] | None]:
    if not path.exists() and not path.is_symlink():
        raise InputFileError(str(path), "file not found", expected=f"the ONS file {path.name}")
    return read_csv_strict(path, path.name, columns, expected=f"the ONS file {path.name}")


def _row(rows: list[int] | None, i: int) -> int:
    """The line of record ``i`` (0-based)."""
    return rows[i] if rows is not None else i + 2


#: the forms of a valid TS021 code and count that need no closer look
_PLAIN_CODE = r"^(-8|[1-9]|1[0-9])$"
_PLAIN_COUNT = r"^[0-9]{1,10}$"


def _check_codes_and_counts(ts: pd.DataFrame, rows: list[int] | None) -> None:
    """Every ethnic group code is -8 or 1-19 and every population a count up to
    :data:`MAX_COUNT`; the first row that is not is named (its code checked before its count).

    The plain forms are recognised column-wise; only the rows with another form (none in the
    published table) are looked at one by one."""
    if not ts.columns.is_unique:  # a repeated column: every row looked at, as always
        for i, (code, pop) in enumerate(zip(ts["code"], ts["population"], strict=True)):
            _check_row(i, code, pop, rows)
        return
    code, pop = pa.array(ts["code"]), pa.array(ts["population"])
    plain = pc.and_(
        pc.match_substring_regex(code, _PLAIN_CODE), pc.match_substring_regex(pop, _PLAIN_COUNT)
    )
    count = pc.cast(pc.if_else(plain, pop, "0"), pa.int64())
    plain = pc.and_(plain, pc.less_equal(count, MAX_COUNT)).to_numpy(zero_copy_only=False)
    for i in np.flatnonzero(~plain):
        _check_row(int(i), ts["code"].iat[i], ts["population"].iat[i], rows)


def _check_row(i: int, code: str, pop: str, rows: list[int] | None) -> None:
    if not code.lstrip("-").isdigit() or int(code) not in {-8, *_GROUP_OF_CODE}:
        raise InputFileError(
            TS021_FILE,
            f"unknown ethnic group code {code!r}",
            row=_row(rows, i),
            column="Ethnic group (20 categories) Code",
            expected="-8 or 1-19",
        )
    if not _COUNT.match(pop) or int(pop) > MAX_COUNT:
        raise InputFileError(
            TS021_FILE,
            f"{pop!r} is not a count",
            row=_row(rows, i),
            column="Observation",
            expected=f"a whole number from 0 to {MAX_COUNT:,}",
        )


def build_populations(census_dir: str | Path) -> pd.DataFrame:
    """Population table: pfa_code, force, force_name, group, population (int64).

    ``group`` is Asian, Black, Mixed, White, Other and ``all`` (the sum). British Transport Police
    has no resident population and no rows.
    """
    folder = Path(census_dir)
    ts, rows = _read(folder / TS021_FILE, list(_TS021_COLUMNS))
    lookup, lookup_rows = _read(folder / LOOKUP_FILE, ["LAD22CD", "PFA22CD", "PFA22NM"])
    if ts.empty:
        raise InputFileError(TS021_FILE, "no data rows", row=2, expected="one row per LA x group")
    if lookup.empty:
        raise InputFileError(LOOKUP_FILE, "no data rows", row=2, expected="one row per LA")
    ts = ts[list(_TS021_COLUMNS)].rename(columns=_TS021_COLUMNS).reset_index(drop=True)
    _check_codes_and_counts(ts, rows)
    ts["code"] = ts["code"].astype(int)
    ts["population"] = ts["population"].astype("int64")
    dna = ts[ts["code"] == -8]
    if (dna["population"] != 0).any():
        raise InputFileError(
            TS021_FILE,
            "'Does not apply' is not 0",
            column="Observation",
            row=_row(rows, int(dna.index[dna["population"] != 0][0])),
            expected="0",
        )
    ts = ts[ts["code"] != -8]
    ts["group"] = ts["code"].map(_GROUP_OF_CODE)
    lad_to_pfa = lookup.drop_duplicates("LAD22CD").set_index("LAD22CD")["PFA22CD"]
    ts["pfa_code"] = ts["lad"].map(lad_to_pfa)
    unmatched = ts[ts["pfa_code"].isna()]
    if len(unmatched):
        raise InputFileError(
            TS021_FILE,
            f"local authority {unmatched['lad'].iat[0]!r} is not in {LOOKUP_FILE}",
            row=_row(rows, int(unmatched.index[0])),
            column="Lower Tier Local Authorities Code",
            expected="a LAD22 code",
        )
    by_group = ts.groupby(["pfa_code", "group"], as_index=False)["population"].sum()
    total = by_group.groupby("pfa_code", as_index=False)["population"].sum().assign(group=ALL)
    table = pd.concat([by_group, total], ignore_index=True)
    forces = {f.pfa_code: f for f in all_forces(territorial_only=True)}
    unknown = sorted(set(table["pfa_code"]) - set(forces))
    if unknown:
        raise InputFileError(
            LOOKUP_FILE,
            f"police force area {unknown[0]} is not in the registry",
            column="PFA22CD",
            expected="one of the 43 PFA codes",
        )
    table["force"] = table["pfa_code"].map(lambda c: forces[c].id)
    table["force_name"] = table["pfa_code"].map(lambda c: forces[c].name)
    table["group"] = pd.Categorical(table["group"], GROUP_ORDER)
    table = table.sort_values(["force", "group"]).reset_index(drop=True)
    table["group"] = table["group"].astype(str)
    table["population"] = table["population"].astype("int64")
    return table[["pfa_code", "force", "force_name", "group", "population"]]
