"""Audit and published-figure tables an analyst keeps in data/raw/audits/ (docs/audits.md).

- ``reasonable_grounds.csv``: stop-and-search record audits (did the record show reasonable
  grounds?), one row per audit x group; counts where known, else the published percent and
  margin.
- ``crime_data_integrity.csv``: crime-recording audits, one row per audit x category.
- ``published_outcomes.csv``: published outcome-type rates (e.g. PEEL Figure 2).
- ``published_figures.csv``: the inspectorate's published stop-and-search figures (searches,
  change, ratio, linked find rate) and use of force figures (incidents, the rate per 1,000, the
  change), shown beside the report's own nearest figures.

Each audit row says whether it can be compared with the previous audit
(``comparable_with_previous``: yes, no, or blank = not stated) and why
(``comparability_note``, in the inspectorate's words where it gave them).

Reading validates every row before anything runs; a bad value raises InputFileError naming
file, row and column and what was expected.
"""

from __future__ import annotations

import csv
import functools
import io
from pathlib import Path

import numpy as np
import pandas as pd

from peelstats.config import paths
from peelstats.data.inputs import decode, read_input_bytes
from peelstats.data.months import FIRST_YEAR, month_problem
from peelstats.errors import InputFileError

#: Largest count accepted (above this a "count" is a typo or an overflow, never a sample).
MAX_COUNT = 10**9
_YES_NO = {"yes": "yes", "no": "no", "y": "yes", "n": "no", "": ""}

SCHEMAS: dict[str, dict] = {
    "reasonable_grounds.csv": {
        "text": ["force", "audit", "records_from", "records_to", "group", "source"],
        "counts": ["grounds_recorded", "records_reviewed", "sampled_from"],
        "percents": ["published_percent", "published_margin"],
        "pair": ("grounds_recorded", "records_reviewed"),
        "months": ["records_from", "records_to"],
        "optional_months": ["published"],
        "optional_text": ["sampled_from_note", "comparability_note"],
        "yes_no": ["comparable_with_previous", "count_derived"],
        "figure": True,
    },
    "crime_data_integrity.csv": {
        "text": ["force", "audit", "category", "source"],
        "counts": ["crimes_recorded", "crimes_reviewed"],
        "percents": ["published_percent", "published_margin"],
        "pair": ("crimes_recorded", "crimes_reviewed"),
        "months": [],
        "optional_months": ["published"],
        "optional_text": ["comparability_note", "sample_note"],
        "yes_no": ["comparable_with_previous", "count_derived", "weighted_sample"],
        "figure": True,
    },
    "published_outcomes.csv": {
        "text": ["force", "period", "outcome_types", "outcome_label", "source"],
        "counts": ["crimes"],
        "percents": ["force_percent", "england_wales_percent"],
        "pair": None,
        "months": [],
        "optional_months": ["published", "period_from", "period_to"],
        "optional_text": [],
        "yes_no": [],
        "required": ["force_percent", "england_wales_percent", "crimes"],
        "figure": False,
    },
    "published_figures.csv": {
        "text": ["force", "measure", "group", "period_from", "period_to", "unit", "source"],
        "counts": [],
        "numbers": ["value"],
        "percents": [],
        "pair": None,
        "months": ["period_from", "period_to"],
        "optional_months": ["published"],
        "optional_text": ["data_source", "population_base", "definition", "quote", "standing"],
        "yes_no": [],
        "required": ["value"],
        "figure": False,
    },
}
#: Measures and units a published_figures.csv row may name.
PUBLISHED_MEASURES = (
    "searches",
    "searches_change_vs_previous_year_percent",
    "search_rate_per_1000",
    "search_rate_ratio_vs_white",
    "linked_find_rate",
    "arrest_rate",
    "use_of_force_incidents",
    "use_of_force_rate",
    "use_of_force_change",
)
PUBLISHED_UNITS = ("count", "percent", "ratio", "rate_per_1000")


def audits_dir() -> Path:
    return paths().raw / "audits"


def _columns(schema) -> list[str]:
    return schema["text"] + schema["counts"] + schema.get("numbers", []) + schema["percents"]


def read_audit_table(name: str, folder: Path | None = None) -> pd.DataFrame:
    """Read and validate one table; counts become nullable integers, percents floats. A table
    is read once per process while its file is unchanged."""
    path = Path(folder or audits_dir()) / name
    try:
        stat = path.stat()
        key = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    except OSError:
        key = None
    return _read_cached(name, str(path), key).copy()


@functools.lru_cache(maxsize=32)
def _read_cached(name: str, path_text: str, key) -> pd.DataFrame:
    schema = SCHEMAS[name]
    path = Path(path_text)
    label = f"{path.parent.name}/{path.name}"
    expected = f"a CSV with columns {', '.join(_columns(schema))}"
    if not path.exists() and not path.is_symlink():
        raise InputFileError(label, "audit table not found", expected=expected)
    text = decode(read_input_bytes(path, label, expected=expected), label)
    try:
        raw = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except pd.errors.EmptyDataError:
        raise InputFileError(label, "the file is empty", expected=expected) from None
    except (pd.errors.ParserError, ValueError, OverflowError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputFileError(label, f"not a readable CSV: {first}") from None
    raw.columns = [str(c).strip() for c in raw.columns]
    missing = [c for c in _columns(schema) if c not in raw]
    if missing:
        raise InputFileError(label, f"missing column(s) {', '.join(missing)}", row=1)
    header = [c.strip() for c in next(csv.reader(io.StringIO(text)), [])]
    repeated = [c for c in _columns(schema) if header.count(c) > 1]
    if repeated:  # pandas would silently read the first and rename the others
        raise InputFileError(
            label,
            f"the column appears {header.count(repeated[0])} times in the header",
            row=1,
            column=repeated[0],
            expected="each column once",
        )
    out = raw.copy()
    for column in schema["text"]:
        for i, text in enumerate(raw[column], start=2):
            if not str(text).strip():
                raise InputFileError(
                    label, "blank", row=i, column=column, expected="a value in every row"
                )
        out[column] = raw[column].str.strip()
    for column in schema["counts"]:
        out[column] = _counts(raw[column], label, column)
    for column in schema.get("numbers", []):
        out[column] = _numbers(raw[column], label, column)
    for column in schema["percents"]:
        out[column] = _percents(raw[column], label, column)
    for column in schema["months"] + schema["optional_months"]:
        if column not in out:
            out[column] = ""
            continue
        optional = column in schema["optional_months"]
        for i, text in enumerate(out[column].str.strip(), start=2):
            problem = month_problem(text) if (text or not optional) else None
            if problem:
                raise InputFileError(
                    label, problem, row=i, column=column,
                    expected=f"YYYY-MM from {FIRST_YEAR}-01 to this month, e.g. 2022-01"
                    + (", or blank" if optional else ""),
                )  # fmt: skip
        out[column] = out[column].str.strip()
    for column in schema["optional_text"]:
        out[column] = out[column].str.strip() if column in out else ""
    for column in schema["yes_no"]:
        if column not in out:
            out[column] = ""
            continue
        values = []
        for i, text in enumerate(out[column].str.strip().str.lower(), start=2):
            if text not in _YES_NO:
                raise InputFileError(
                    label, f"{text!r} is not yes or no", row=i, column=column,
                    expected="yes, no, or blank (not stated)",
                )  # fmt: skip
            values.append(_YES_NO[text])
        out[column] = values
    _check_rows(out, schema, label, name)
    return out


def _counts(column: pd.Series, label: str, name: str):
    values = []
    for i, text in enumerate(column.str.strip(), start=2):
        if text == "":
            values.append(pd.NA)
            continue
        try:
            number = float(text)
        except (ValueError, OverflowError):
            number = np.nan
        if not np.isfinite(number) or number < 0 or not number.is_integer() or number > MAX_COUNT:
            raise InputFileError(
                label, f"{text!r} is not a count", row=i, column=name,
                expected=f"a whole number from 0 to {MAX_COUNT:,}, or blank",
            )  # fmt: skip
        values.append(int(number))
    return pd.array(values, dtype="Int64")


def _numbers(column: pd.Series, label: str, name: str):
    values = []
    for i, text in enumerate(column.str.strip(), start=2):
        try:
            number = float(text) if text else np.nan
        except (ValueError, OverflowError):
            number = np.inf
        if text and (not np.isfinite(number) or abs(number) > MAX_COUNT):
            raise InputFileError(
                label, f"{text!r} is not a number", row=i, column=name,
                expected="a number such as 2231, -6.2 or 2.4",
            )  # fmt: skip
        values.append(number)
    return np.asarray(values, dtype=float)


def _percents(column: pd.Series, label: str, name: str):
    values = []
    for i, text in enumerate(column.str.strip(), start=2):
        try:
            number = float(text) if text else np.nan
        except (ValueError, OverflowError):
            number = -1.0
        if text and not (0 <= number <= 100):
            raise InputFileError(
                label, f"{text!r} is not a percentage", row=i, column=name,
                expected="a number from 0 to 100, or blank",
            )  # fmt: skip
        values.append(number)
    return np.asarray(values, dtype=float)


def _check_rows(out: pd.DataFrame, schema: dict, label: str, name: str) -> None:
    """Checks across columns: everything a notebook would otherwise trip over later."""
    for column in schema.get("required", []):
        for i, value in enumerate(out[column], start=2):
            if pd.isna(value):
                raise InputFileError(label, "blank", row=i, column=column, expected="a value")
    if "crimes" in schema["counts"]:
        for i, value in enumerate(out["crimes"], start=2):
            if value == 0:
                raise InputFileError(
                    label, "0 crimes", row=i, column="crimes", expected="the number of crimes"
                )
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
    if schema["figure"]:
        num, den = schema["pair"]
        for i, (_, row) in enumerate(out.iterrows(), start=2):
            has_counts = not pd.isna(row[den])
            pct, margin = row["published_percent"], row["published_margin"]
            if not has_counts and np.isnan(pct):
                raise InputFileError(
                    label, "neither counts nor a published percent", row=i, column=num,
                    expected=f"{num} and {den}, or published_percent (with published_margin)",
                )  # fmt: skip
            if not np.isnan(margin) and np.isnan(pct):
                raise InputFileError(
                    label, "a margin without a percent", row=i, column="published_percent",
                    expected="the published percent the margin belongs to",
                )  # fmt: skip
            if not np.isnan(margin) and margin <= 0:
                raise InputFileError(
                    label, f"a margin of {margin:g}", row=i, column="published_margin",
                    expected="a margin above 0 (a sample always has one), or blank",
                )  # fmt: skip
        if "sampled_from" in out:
            for i, (n, pop) in enumerate(zip(out[den], out["sampled_from"], strict=True), start=2):
                if not pd.isna(pop) and not pd.isna(n) and pop < n:
                    raise InputFileError(
                        label, f"sampled_from ({pop}) is smaller than {den} ({n})", row=i,
                        column="sampled_from", expected=f"at least {den}: the sample's population",
                    )  # fmt: skip
        if "records_from" in out:
            for i, (a, b) in enumerate(zip(out["records_from"], out["records_to"], strict=True), 2):
                if a > b:
                    raise InputFileError(
                        label, f"records_from ({a}) is after records_to ({b})", row=i,
                        column="records_from", expected="a month no later than records_to",
                    )  # fmt: skip
    if name == "published_figures.csv":
        for i, (_, row) in enumerate(out.iterrows(), start=2):
            if row["measure"] not in PUBLISHED_MEASURES:
                raise InputFileError(
                    label, f"unknown measure {row['measure']!r}", row=i, column="measure",
                    expected=", ".join(PUBLISHED_MEASURES),
                )  # fmt: skip
            if row["unit"] not in PUBLISHED_UNITS:
                raise InputFileError(
                    label, f"unknown unit {row['unit']!r}", row=i, column="unit",
                    expected=", ".join(PUBLISHED_UNITS),
                )  # fmt: skip
            if row["period_from"] > row["period_to"]:
                raise InputFileError(
                    label, "period_from is after period_to", row=i, column="period_from",
                    expected="a month no later than period_to",
                )  # fmt: skip
    if "force" in out:
        from peelstats.data.forces import check_force_id

        for i, force in enumerate(out["force"], start=2):
            try:
                check_force_id(force)
            except Exception as exc:  # noqa: BLE001 - re-raised with the row and column
                raise InputFileError(
                    label, str(exc), row=i, column="force",
                    expected="a police.uk force id such as durham (see `peelstats forces`)",
                ) from None  # fmt: skip


def audit_rows(name: str, force: str, folder: Path | None = None) -> pd.DataFrame:
    """The rows of one table for one force (empty if the force has none). A missing
    ``published_figures.csv`` (an optional table) reads as empty."""
    path = Path(folder or audits_dir()) / name
    if name == "published_figures.csv" and not (path.exists() or path.is_symlink()):
        return pd.DataFrame(columns=_columns(SCHEMAS[name]) + SCHEMAS[name]["optional_text"])
    table = read_audit_table(name, folder)
    return table[table["force"] == force].reset_index(drop=True)


def check_all(folder: Path | None = None) -> None:
    """Read every table that exists (published_figures.csv is optional) so a bad value stops a
    run before any notebook runs."""
    base = Path(folder or audits_dir())
    for name in SCHEMAS:
        if name == "published_figures.csv" and not (
            (base / name).exists() or (base / name).is_symlink()
        ):
            continue
        read_audit_table(name, folder)
