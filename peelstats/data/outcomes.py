"""Compact Home Office crime outcomes table (financial year open data, e.g. 2017/18).

Sums ``offences`` over quarters and offence codes to force x outcome type x offence group.
``victim_based`` follows the ONS split: every offence group except the "other crimes against
society" groups (drug offences, possession of weapons, public order, miscellaneous crimes
against society). ``NA`` marks a missing value; a row with every field ``NA`` is skipped.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from peelstats.data.forces import force_by_name
from peelstats.data.inputs import read_table_strict
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


class _Coded:
    """A text column as codes, one per row, into its distinct values."""

    def __init__(self, column: pa.ChunkedArray):
        array = column.combine_chunks().dictionary_encode()
        self.codes = array.indices.to_numpy(zero_copy_only=False)
        self.dictionary: pa.Array = array.dictionary
        self.values: list[str] = self.dictionary.to_pylist()

    def first(self, flagged: list[bool] | np.ndarray) -> int | None:
        """The first row whose value is flagged (one flag per distinct value), or None."""
        flagged = np.asarray(flagged, dtype=bool)
        if not flagged.any():
            return None
        return int(np.flatnonzero(flagged[self.codes])[0])


def build_crime_outcomes(path: str | Path) -> pd.DataFrame:
    """The compact outcomes table (columns :data:`COLUMNS`), sorted, offences int64.

    Every check and the sums run column-wise on the parsed table (pyarrow compute, numpy): the
    text columns are dictionary-encoded once, each check looks at their distinct values and
    finds the first offending row by its code, and the sums group the rows by their codes."""
    path = Path(path)
    name = path.name
    if not path.exists() and not path.is_symlink():
        raise InputFileError(str(path), "file not found", expected="Home Office outcomes CSV")
    table, rows = read_table_strict(path, name, _NEEDED, expected="UTF-8 CSV (gzip allowed)")
    if table.num_rows == 0:
        raise InputFileError(name, "no data rows", row=2, expected="one row per force x offence")

    # a row with every field NA is skipped; ``index`` maps the rows kept to their record numbers
    all_na = pc.equal(table.column(0), "NA")
    for column in table.columns[1:]:
        if not pc.any(all_na).as_py():
            break
        all_na = pc.and_(all_na, pc.equal(column, "NA"))
    table = table.select(_NEEDED)
    index = np.arange(table.num_rows)
    if pc.any(all_na).as_py():
        kept = pc.invert(all_na)
        index = index[kept.to_numpy(zero_copy_only=False)]
        table = table.filter(kept)
    del all_na

    def row_of(i: int) -> int:
        """The line of row ``i`` of those kept."""
        record = int(index[i])
        return rows[record] if rows is not None else record + 2

    text = table.column("offences").combine_chunks()
    coded = {c: _Coded(table.column(c)) for c in _NEEDED if c != "offences"}
    del table
    for column in _NEEDED:
        if column == "offences":
            i = pc.index(pc.is_in(text, value_set=pa.array(["NA", ""])), True).as_py()
            pos = i if i >= 0 else None
        else:
            pos = coded[column].first([v in ("NA", "") for v in coded[column].values])
        if pos is not None:
            raise InputFileError(
                name,
                "missing value",
                row=row_of(pos),
                column=column,
                expected="a value (not NA)",
            )
    bad = pc.invert(pc.match_substring_regex(text, _COUNT))
    offences = pc.cast(pc.if_else(bad, "0", text), pa.int64())
    bad = pc.or_(bad, pc.greater(pc.abs(offences), MAX_COUNT))
    i = pc.index(bad, True).as_py()
    if i >= 0:
        raise InputFileError(
            name,
            f"{text[i].as_py()!r} is not a count",
            row=row_of(i),
            column="offences",
            expected=f"a whole number from -{MAX_COUNT:,} to {MAX_COUNT:,}",
        )
    del text, bad
    groups = coded["offence_group"]
    unknown = sorted(set(groups.values) - NOT_VICTIM_BASED - VICTIM_BASED)
    if unknown:
        raise InputFileError(
            name,
            f"unknown offence group {unknown[0]!r}",
            row=row_of(groups.first([v == unknown[0] for v in groups.values])),
            column="offence_group",
            expected="an ONS offence group",
        )
    forces = {}
    names = coded["force_name"]
    for force_name in sorted(set(names.values)):
        force = force_by_name(force_name)
        if force is None:
            raise InputFileError(
                name,
                f"unknown force {force_name!r}",
                row=row_of(names.first([v == force_name for v in names.values])),
                column="force_name",
                expected="a police force name",
            )
        forces[force_name] = force.id
    outcome_type = _outcome_types(coded["outcome_type"], name, row_of)
    keys = [
        "force_name",
        "financial_year",
        "outcome_type",
        "outcome_description",
        "outcome_group",
        "offence_group",
    ]
    # the rows summed by their codes (groups in order of first appearance, as pandas' groupby
    # with sort=False gives them); then each group's codes back to values
    codes = {k: coded[k].codes for k in keys}
    distinct = {k: coded[k].dictionary.to_pandas() for k in keys}
    codes["outcome_type"], distinct["outcome_type"] = outcome_type
    frame = pd.DataFrame(codes).assign(offences=offences.to_numpy())
    del codes, coded, offences
    summed = frame.groupby(keys, as_index=False, sort=False)["offences"].sum()
    out = pd.DataFrame(
        {k: distinct[k].take(summed[k].to_numpy()).reset_index(drop=True) for k in keys}
    ).assign(offences=summed["offences"].to_numpy())
    out["force"] = out["force_name"].map(forces)
    out["victim_based"] = out["offence_group"].isin(VICTIM_BASED)
    out = out.sort_values(["force", "financial_year", "outcome_type", "offence_group"])
    return out[COLUMNS].reset_index(drop=True)


#: a count as the Home Office writes it, and an outcome type number (anchored as pandas'
#: ``str.fullmatch`` anchors a pattern for pyarrow's regular expressions)
_COUNT = r"^(-?[0-9]{1,10})$"
_OUTCOME_TYPE = r"^(-?[0-9]{1,6})$"


def _outcome_types(coded: _Coded, name: str, row_of) -> tuple[np.ndarray, pd.Series]:
    """Outcome type numbers as codes (one per row) into their distinct numbers ("07" and "7"
    are one number), or an error naming the first row that does not hold one."""
    plain = pc.match_substring_regex(coded.dictionary, _OUTCOME_TYPE).to_numpy(zero_copy_only=False)
    pos = coded.first(~plain)
    if pos is not None:
        raise InputFileError(
            name,
            f"{coded.values[coded.codes[pos]]!r} is not an outcome type",
            row=row_of(pos),
            column="outcome_type",
            expected="a Home Office outcome type number such as 1 or 18",
        )
    numbers = pc.cast(coded.dictionary, pa.int64()).to_numpy()
    distinct, number_code = np.unique(numbers, return_inverse=True)
    return number_code[coded.codes], pd.Series(distinct, dtype="int64")
