"""Audit tables an analyst keeps in data/raw/audits/ (schemas in docs/data.md).

- ``reasonable_grounds.csv``: stop-and-search record audits (did the record show reasonable
  grounds?), one row per audit x group; counts where known, else the published percent and margin.
- ``crime_data_integrity.csv``: crime-recording audits, one row per audit x category.
- ``published_outcomes.csv``: published outcome-type rates (e.g. PEEL Figure 2).

Reading validates every row; a bad value raises InputFileError naming file, row and column.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from peelstats.config import paths
from peelstats.errors import InputFileError

SCHEMAS = {
    "reasonable_grounds.csv": {
        "text": ["force", "audit", "records_from", "records_to", "group", "source"],
        "counts": ["grounds_recorded", "records_reviewed", "sampled_from"],
        "percents": ["published_percent", "published_margin"],
        "pair": ("grounds_recorded", "records_reviewed"),
        "optional_text": ["sampled_from_note"],
    },
    "crime_data_integrity.csv": {
        "text": ["force", "audit", "category", "source"],
        "counts": ["crimes_recorded", "crimes_reviewed"],
        "percents": ["published_percent", "published_margin"],
        "pair": ("crimes_recorded", "crimes_reviewed"),
        "optional_text": [],
    },
    "published_outcomes.csv": {
        "text": ["force", "period", "outcome_types", "outcome_label", "source"],
        "counts": ["crimes"],
        "percents": ["force_percent", "england_wales_percent"],
        "pair": None,
        "optional_text": [],
    },
}


def audits_dir() -> Path:
    return paths().raw / "audits"


def read_audit_table(name: str, folder: Path | None = None) -> pd.DataFrame:
    """Read and validate one audit table; counts become nullable integers, percents floats."""
    schema = SCHEMAS[name]
    path = Path(folder or audits_dir()) / name
    label = f"{path.parent.name}/{path.name}"
    if not path.is_file():
        raise InputFileError(
            label,
            "audit table not found",
            expected=f"a CSV with columns "
            f"{', '.join(schema['text'] + schema['counts'] + schema['percents'])}",
        )
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputFileError(label, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except pd.errors.ParserError as exc:
        raise InputFileError(label, f"not a readable CSV: {exc}") from None
    missing = [c for c in schema["text"] + schema["counts"] + schema["percents"] if c not in raw]
    if missing:
        raise InputFileError(label, f"missing column(s) {', '.join(missing)}", row=1)
    out = raw.copy()
    for column in schema["counts"]:
        values = []
        for i, text in enumerate(raw[column].str.strip(), start=2):
            if text == "":
                values.append(pd.NA)
                continue
            try:
                number = float(text)
            except ValueError:
                number = np.nan
            if not np.isfinite(number) or number < 0 or not number.is_integer():
                raise InputFileError(
                    label,
                    f"{text!r} is not a count",
                    row=i,
                    column=column,
                    expected="a whole number of 0 or more, or blank",
                )
            values.append(int(number))
        out[column] = pd.array(values, dtype="Int64")
    for column in schema["percents"]:
        values = []
        for i, text in enumerate(raw[column].str.strip(), start=2):
            try:
                number = float(text) if text else np.nan
            except ValueError:
                number = -1.0
            if text and not (0 <= number <= 100):
                raise InputFileError(
                    label,
                    f"{text!r} is not a percentage",
                    row=i,
                    column=column,
                    expected="a number from 0 to 100, or blank",
                )
            values.append(number)
        out[column] = np.asarray(values, dtype=float)
    if schema["pair"]:
        num, den = schema["pair"]
        for i, (a, b) in enumerate(zip(out[num], out[den], strict=True), start=2):
            if pd.isna(a) != pd.isna(b):
                raise InputFileError(
                    label,
                    f"{num} and {den} must both be given or both blank",
                    row=i,
                    column=num if pd.isna(a) else den,
                )
            if not pd.isna(b) and b == 0:
                raise InputFileError(
                    label, f"{den} is 0", row=i, column=den, expected="at least one record reviewed"
                )
            if not pd.isna(a) and a > b:
                raise InputFileError(
                    label,
                    f"{num} ({a}) exceeds {den} ({b})",
                    row=i,
                    column=num,
                    expected=f"at most {den}",
                )
    for column in schema["optional_text"]:
        if column not in out:
            out[column] = ""
    return out


def audit_rows(name: str, force: str, folder: Path | None = None) -> pd.DataFrame:
    """The rows of one audit table for one force (empty if the force has none)."""
    table = read_audit_table(name, folder)
    return table[table["force"] == force].reset_index(drop=True)
