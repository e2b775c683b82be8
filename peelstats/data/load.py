"""Loaders for the analysis layer.

``source`` is ``"default"`` (the committed compact CSVs in ``data/default``; searches and crime
outcomes gzip-compressed), ``"processed"`` (the parquet tables ``peelstats prepare`` writes to
``data/processed``) or a Path to a folder of either kind (parquet is used when present, else
CSV; a default table is read from its plain ``.csv`` when only that is there).
"""

from __future__ import annotations

import functools
import io
import zlib
from pathlib import Path

import pandas as pd

from peelstats.data.inputs import decode, read_input_bytes
from peelstats.data.revisions import previous_manifest, read_revisions
from peelstats.data.safe_csv import restore_frame
from peelstats.data.tables import (
    DEFAULT_FILES,
    MANIFEST_FILE,
    PROCESSED_FILES,
    REBUILD_DEFAULT,
    REVISIONS_FILE,
    USE_OF_FORCE_TABLES,
    table_file,
)
from peelstats.data.tables import source_folder as source_folder
from peelstats.data.tables import source_kind as _folder
from peelstats.data.use_of_force import UseOfForceTables
from peelstats.errors import InputFileError

Source = str | Path

_BOOL = {"True": True, "False": False, "true": True, "false": False}
#: a nullable flag: True, False or blank (not known)
_FLAG = {**_BOOL, "": None}
_CONVERTED = ("bool", "boolean", "float64")
#: dtypes whose blank cell is a missing value (a nullable count: ':' in the Home Office tables)
_BLANK_IS_MISSING = ("float64", "Int64")

_DTYPES: dict[str, dict[str, str]] = {
    "searches": {
        "force": "str",
        "month": "str",
        "ethnicity_self": "str",
        "ethnicity_officer": "str",
        "outcome_class": "str",
        "linked_find": "bool",
        "linked_recorded": "bool",
        "object_of_search": "str",
        "legislation_group": "str",
        "searches": "int64",
    },
    "searched_people": {
        "force": "str",
        "month": "str",
        "ethnicity_self": "str",
        "ethnicity_officer": "str",
        "age_range": "str",
        "gender": "str",
        "strip_search": "str",
        "linked_find": "bool",
        "linked_recorded": "bool",
        "searches": "int64",
    },
    "coverage": {
        "force": "str",
        "month": "str",
        "file_present": "bool",
        "records": "int64",
        "records_after_repair": "int64",
        "blank_outcome_share": "float64",
        "blank_self_ethnicity_share": "float64",
        "blank_officer_ethnicity_share": "float64",
        "blank_linked_share": "float64",
        "linked_inconsistent": "int64",
        "doubled": "bool",
        "missing": "bool",
    },
    "populations": {
        "pfa_code": "str",
        "force": "str",
        "force_name": "str",
        "group": "str",
        "population": "int64",
    },
    "crime_outcomes": {
        "force": "str",
        "force_name": "str",
        "financial_year": "str",
        "outcome_type": "int64",
        "outcome_description": "str",
        "outcome_group": "str",
        "offence_group": "str",
        "victim_based": "bool",
        "offences": "int64",
    },
    "use_of_force_incidents": {
        "force": "str",
        "financial_year": "str",
        "incidents": "Int64",
        "edition": "str",
        "source_sheet": "str",
    },
    "use_of_force_ced": {
        "force": "str",
        "financial_year": "str",
        "measure": "str",
        "count": "Int64",
        "revised": "bool",
        "summary_only": "boolean",
        "edition": "str",
        "source_sheet": "str",
    },
    "use_of_force_tactics": {
        "force": "str",
        "financial_year": "str",
        "tactic": "str",
        "group": "str",
        "tactics": "Int64",
        "edition": "str",
        "source_sheet": "str",
    },
    "use_of_force_national": {
        "financial_year": "str",
        "measure": "str",
        "count": "Int64",
        "edition": "str",
        "source_sheet": "str",
    },
    "use_of_force_national_groups": {
        "financial_year": "str",
        "group": "str",
        "incidents": "Int64",
        "edition": "str",
        "source_sheet": "str",
    },
    "use_of_force_editions": {
        "file": "str",
        "financial_year": "str",
        "sha256": "str",
        "ced_summary_only_forces": "Int64",
    },
}


def _build_hint(kind: str) -> str:
    if kind == "default":
        return f"rebuild it with: {REBUILD_DEFAULT}"
    return (
        "build it with: peelstats prepare --archive PATH [--census DIR] [--outcomes FILE] "
        "[--use-of-force DIR]"
    )


def _load(table: str, source: Source) -> pd.DataFrame:
    """The table, read once per process while its file is unchanged (a batch's warm kernel
    runs many notebooks; each reads the same tables). Callers treat it as read-only."""
    folder, kind = _folder(source)
    parquet = folder / PROCESSED_FILES[table]
    csv = table_file(folder, DEFAULT_FILES[table])
    key = []
    for path in (parquet, csv):
        try:
            stat = path.stat()
            key.append((str(path), stat.st_mtime_ns, stat.st_size))
        except OSError:
            key.append((str(path), None, None))
    return _load_cached(table, folder, kind, tuple(key))


#: every table of a few data folders: a cache smaller than the tables one report reads would
#: evict each table before its next reader and read it again for every force
_CACHED_TABLES = 4 * len(PROCESSED_FILES)


@functools.lru_cache(maxsize=_CACHED_TABLES)
def _load_cached(table: str, folder: Path, kind: str, key: tuple) -> pd.DataFrame:
    """Keyed by the folder (not the source's spelling: 'x/data' and Path('x/data') are one
    folder) and the files' stat, so a changed file is read again."""
    parquet = folder / PROCESSED_FILES[table]
    csv = table_file(folder, DEFAULT_FILES[table])
    dtypes = _DTYPES[table]
    use_parquet = parquet.is_file() and kind != "default"
    if not use_parquet and not csv.is_file():
        if not folder.is_dir():
            what = "a file, not a data folder" if folder.exists() else "no such data folder"
            hint = _build_hint(kind) + (" --out FOLDER" if kind == "folder" else "")
            raise InputFileError(str(folder), f"{what}; {hint}")
        wanted = csv if kind == "default" else parquet
        also = "" if kind == "default" else f" (nor is {csv.name}, the form data/default has)"
        raise InputFileError(
            str(wanted), f"the {table} table is missing{also}; {_build_hint(kind)}"
        )
    path = parquet if use_parquet else csv
    try:
        if use_parquet:
            df = pd.read_parquet(parquet, columns=list(dtypes))
        else:
            bools = [c for c, t in dtypes.items() if t == "bool"]
            flags = [c for c, t in dtypes.items() if t == "boolean"]  # True, False or blank
            data = read_input_bytes(csv, str(csv))
            decode(data, str(csv))  # a byte that is not UTF-8 is named by row and column
            df = pd.read_csv(
                io.BytesIO(data),
                compression=None,  # read_input_bytes has decompressed it
                dtype={c: t for c, t in dtypes.items() if t not in _CONVERTED},
                converters={
                    **{c: _BOOL.__getitem__ for c in bools},
                    **{c: _FLAG.__getitem__ for c in flags},
                },
                keep_default_na=False,
                na_values={c: [""] for c, t in dtypes.items() if t in _BLANK_IS_MISSING},
            )
        missing = [c for c in dtypes if c not in df.columns]
        if missing:
            raise InputFileError(
                str(path), "missing column", column=missing[0], expected=", ".join(dtypes)
            )
        df = df[list(dtypes)].astype(dtypes)
    except pd.errors.EmptyDataError:
        raise InputFileError(str(path), "the file is empty", expected=_expected(dtypes)) from None
    except (ValueError, OverflowError, KeyError, TypeError, EOFError, zlib.error) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputFileError(
            str(path), f"cannot be read as the {table} table: {first}", expected=_expected(dtypes)
        ) from None
    return df if use_parquet else restore_frame(df)


def _expected(dtypes: dict[str, str]) -> str:
    return "a table with columns " + ", ".join(f"{c} ({t})" for c, t in dtypes.items())


def load_searches(source: Source = "default") -> pd.DataFrame:
    """Searches by force, month, ethnicity_self, ethnicity_officer, outcome_class, linked_find,
    linked_recorded, object_of_search, legislation_group; ``searches`` int64 (doubled months
    already halved). ``linked_recorded`` is False where police.uk left ``Outcome linked to
    object of search`` blank: there ``linked_find`` is False but the find is not known."""
    return _load("searches", source)


def load_searched_people(source: Source = "default") -> pd.DataFrame:
    """Searches by force, month, both ethnicities, age_range, gender, strip_search ('yes', 'no'
    or 'Not recorded'), linked_find and linked_recorded; ``searches`` int64. Age and gender
    left blank by police.uk (e.g. vehicle-only searches) are 'Not recorded'."""
    return _load("searched_people", source)


def load_coverage(source: Source = "default") -> pd.DataFrame:
    """Coverage per force x month over the archive's whole month range (see docs/data.md)."""
    return _load("coverage", source)


def load_populations(source: Source = "default") -> pd.DataFrame:
    """Census 2021 usual residents: pfa_code, force, force_name, group, population (int64).

    ``group`` is Asian, Black, Mixed, White, Other or ``all``. British Transport Police has no
    rows: it has no resident population, so no population-based rate exists for it.
    """
    return _load("populations", source)


def load_crime_outcomes(source: Source = "default") -> pd.DataFrame:
    """Home Office crime outcomes by force x outcome type x offence group (see docs/data.md)."""
    return _load("crime_outcomes", source)


def load_use_of_force(source: Source = "default") -> UseOfForceTables | None:
    """The Home Office use of force tables ``prepare --use-of-force`` wrote (see docs/data.md),
    as :class:`~peelstats.data.use_of_force.UseOfForceTables` (``notes`` empty: prepare printed
    them); None when the source has none of them (prepared without ``--use-of-force``). A source
    with some of them but not all is refused, naming the first one missing."""
    folder, kind = _folder(source)
    present = {
        table: (folder / PROCESSED_FILES[table]).is_file()
        or table_file(folder, DEFAULT_FILES[table]).is_file()
        for table in USE_OF_FORCE_TABLES
    }
    if folder.is_dir() and not any(present.values()):
        return None
    missing = [table for table, here in present.items() if not here]
    if folder.is_dir() and missing:
        wanted = DEFAULT_FILES[missing[0]] if kind == "default" else PROCESSED_FILES[missing[0]]
        raise InputFileError(
            str(folder / wanted),
            f"the {missing[0]} table is missing although the other use of force tables are "
            f"here; {_build_hint(kind)}",
        )
    frames = {attr: _load(table, source).copy() for table, attr in USE_OF_FORCE_TABLES.items()}
    return UseOfForceTables(**frames, notes=[])


def load_manifest(source: Source = "processed") -> pd.DataFrame:
    """What the last ``prepare`` read: one row per force x month file with its sha256 and
    counts (see docs/data.md, "Revised data"). For the default data, where no manifest is
    committed, it is rebuilt from ``coverage.csv``, ``searches.csv.gz`` and ``PROVENANCE.md``."""
    folder, kind = _folder(source)
    manifest = previous_manifest(folder)
    if manifest is None:
        raise InputFileError(
            str(folder / MANIFEST_FILE), f"no manifest in this folder; {_build_hint(kind)}"
        )
    return manifest


def load_revisions(source: Source = "processed") -> pd.DataFrame | None:
    """Months added, removed or revised between the previous ``prepare`` into this folder and
    the last one: force, month, change, counts before/after, summary (see docs/data.md).

    An empty table means nothing changed; None means the last prepare had nothing to compare
    with (the first prepare into the folder). Default data keeps no revisions.
    """
    folder, kind = _folder(source)
    path = folder / REVISIONS_FILE
    if path.is_file():
        return read_revisions(path)
    if (folder / MANIFEST_FILE).is_file():
        return None
    raise InputFileError(
        str(path),
        "no revisions here: revisions are written by `peelstats prepare` (without --default) "
        f"from its second run into a folder; {_build_hint(kind)}",
    )
