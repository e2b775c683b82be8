"""``prepare``: validate a police.uk archive, normalise it and write the tidy tables.

Outputs are written to a temporary folder beside the target and renamed into place only when
every table has been written, so a failure leaves the previous outputs untouched. Raw inputs are
only read.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from peelstats.config import OGL_ATTRIBUTION
from peelstats.data import normalise
from peelstats.data.archive import (
    COLUMNS,
    LABEL_COLUMNS,
    Archive,
    Checked,
    Entry,
    Parsed,
    Texts,
    read_all,
    validate,
)
from peelstats.data.census import LOOKUP_FILE, TS021_FILE, build_populations
from peelstats.data.outcomes import build_crime_outcomes
from peelstats.data.outfolder import MARKER, MARKER_TEXT, check_out, prepare_lock
from peelstats.data.revisions import build_manifest, compare, previous_manifest
from peelstats.data.safe_csv import csv_text
from peelstats.data.tables import (
    DEFAULT_FILES,
    MANIFEST_FILE,
    PROCESSED_FILES,
    REBUILD_DEFAULT,
    REVISIONS_FILE,
    USE_OF_FORCE_TABLES,
)
from peelstats.data.use_of_force import UseOfForceTables, read_use_of_force
from peelstats.errors import EnvironmentFault
from peelstats.files import (
    atomic_open,
    atomic_write,
    describe_os_error,
    fsync_dir,
    new_work_folder,
    recover_folder,
    swap_folder,
)

SEARCH_KEYS = [
    "force",
    "month",
    "ethnicity_self",
    "ethnicity_officer",
    "outcome_class",
    "linked_find",
    "linked_recorded",
    "object_of_search",
    "legislation_group",
]
BOOL_SEARCH_KEYS = ("linked_find", "linked_recorded")
#: who was searched: the people fields police.uk gives, for the age, gender and strip-search
#: analyses (``searched_people`` table)
PEOPLE_KEYS = [
    "force",
    "month",
    "ethnicity_self",
    "ethnicity_officer",
    "age_range",
    "gender",
    "strip_search",
    "linked_find",
    "linked_recorded",
]
STRIP_SEARCH_VALUES = {"True": "yes", "False": "no", "": normalise.NOT_RECORDED}
COVERAGE_COLUMNS = [
    "force",
    "month",
    "file_present",
    "records",
    "records_after_repair",
    "blank_outcome_share",
    "blank_self_ethnicity_share",
    "blank_officer_ethnicity_share",
    "blank_linked_share",
    "linked_inconsistent",
    "doubled",
    "missing",
]
FLOAT_FORMAT = "%.6f"


@dataclass
class ArchiveData:
    """The validated archive: one row per record after repair, and the coverage table.

    ``sha256`` holds the hash of each entry's bytes as read (same order as ``entries``).
    """

    records: pd.DataFrame
    coverage: pd.DataFrame
    entries: list[Entry]
    sha256: list[str] = field(default_factory=list)
    #: names the archive reader noticed but did not read as given (see :class:`Archive`)
    warnings: list[str] = field(default_factory=list)

    def manifest(self) -> pd.DataFrame:
        """One row per file read: force, month, file, sha256 and summary counts."""
        files = pd.DataFrame(
            {
                "force": [e.force for e in self.entries],
                "month": [e.month for e in self.entries],
                "file": [e.rel for e in self.entries],
                "sha256": self.sha256 or [""] * len(self.entries),
            }
        )
        return build_manifest(self.records, self.coverage, files)


def _month_range(first: str, last: str) -> list[str]:
    return [p.strftime("%Y-%m") for p in pd.period_range(first, last, freq="M")]


def read_archive(path: str | Path, *, progress: bool = True) -> ArchiveData:
    """Read, validate, repair (halve doubled months) and normalise a police.uk archive."""
    archive = Archive(path)
    try:
        entries = archive.entries
        warnings = list(archive.warnings)
        parsed = read_all(archive, progress=progress)
        checked = validate(parsed, entries, Texts(archive))
        parsed.table = None  # the text is no longer needed: free it before building
        _release_memory()
    finally:
        archive.close()
    result = _build(parsed, checked, entries)
    result.sha256 = parsed.sha256
    result.warnings = warnings
    return result


def _release_memory() -> None:
    """Hand the memory pyarrow's pool keeps from freed tables back to the system, so that
    pandas and numpy, which allocate elsewhere, can use it (lowers prepare's peak)."""
    pa.default_memory_pool().release_unused()


def _labels(values: pd.Series, mapping) -> pd.Series:
    """Map a column through a dict or function, category by category; categorical out."""
    fn = mapping.__getitem__ if isinstance(mapping, dict) else mapping
    if not isinstance(values.dtype, pd.CategoricalDtype):
        values = values.astype("category")
    mapped = [fn(c) for c in values.cat.categories]
    uniques = sorted(set(mapped))
    recode = np.array([uniques.index(m) for m in mapped] + [-1], dtype=np.int64)
    codes = recode[values.cat.codes.to_numpy()]
    return pd.Series(pd.Categorical.from_codes(codes, categories=uniques), index=values.index)


def _text(values: pd.Series) -> pd.Series:
    """A label column as published (categorical with sorted categories)."""
    return _labels(values, str)


def _categorical(codes: np.ndarray, dtype: pd.CategoricalDtype) -> pd.Categorical:
    """Codes into distinct values as a pandas categorical (no copy of the text per record)."""
    return pd.Categorical.from_codes(codes, dtype=dtype, validate=False)


def _per_file(values: list[str], file_idx: np.ndarray) -> pd.Series:
    """A text column with one value per file, taken for each record by its file."""
    return pa.array(values, pa.large_string()).take(pa.array(file_idx)).to_pandas()


def _dtype(values: pa.Array) -> pd.CategoricalDtype:
    """The categorical type of a column's distinct values (as text)."""
    return pd.CategoricalDtype(pd.Index(values.to_pandas(), dtype="str"))


def _row_keys(parts: list[tuple[np.ndarray, int]]) -> np.ndarray:
    """One integer per row, equal for two rows exactly when each of their parts is (a part:
    codes in ``range(size)``), as a mixed-radix number, renumbered whenever it would overflow."""
    key = np.zeros(len(parts[0][0]), dtype=np.int64)
    bound = 1
    for codes, size in parts:
        size = max(size, 1)
        if bound > (1 << 62) // size:
            key, uniques = pd.factorize(key)
            bound = max(len(uniques), 1)
        key = key * size + codes
        bound *= size
    return key


def _doubled(
    checked: Checked, file_idx: np.ndarray, records_in_file: np.ndarray
) -> tuple[np.ndarray, np.ndarray | None]:
    """Doubled months: files in which every distinct record appears an even number of times
    (>= 2). Returns whether each file is doubled, and which records to keep (the first half of
    each distinct record's copies, in file order, in a doubled file), or None to keep them all.

    Records are compared field by field (by their codes: equal codes, equal text). Only a file
    with an even, non-zero number of records can be doubled, so only those are compared."""
    n_files = len(records_in_file)
    candidate = (records_in_file > 0) & (records_in_file % 2 == 0)
    rows = np.flatnonzero(candidate[file_idx])
    doubled = np.zeros(n_files, dtype=bool)
    if len(rows) == 0:
        return doubled, None
    files = file_idx[rows]
    parts = [(files, n_files)]
    parts += [(checked.codes[c][rows], len(checked.values[c])) for c in COLUMNS]
    group, _ = pd.factorize(_row_keys(parts))
    multiplicity = np.bincount(group)[group]
    # each copy's number among the copies of its record, in file order
    order = np.argsort(group, kind="stable")
    starts = np.flatnonzero(np.r_[True, group[order][1:] != group[order][:-1]])
    first_of_group = np.repeat(starts, np.diff(np.r_[starts, len(order)]))
    occurrence = np.empty(len(rows), dtype=np.int64)
    occurrence[order] = np.arange(len(order)) - first_of_group
    odd = np.bincount(files, weights=(multiplicity % 2 == 1), minlength=n_files)
    doubled = candidate & (odd == 0)
    if not doubled.any():
        return doubled, None
    keep = np.ones(len(file_idx), dtype=bool)
    keep[rows] = ~doubled[files] | (occurrence < multiplicity // 2)
    return doubled, keep


def _build(parsed: Parsed, checked: Checked, entries: list[Entry]) -> ArchiveData:
    n_files = len(entries)
    file_idx = parsed.file_idx
    records_in_file = np.bincount(file_idx, minlength=n_files)

    doubled, keep = _doubled(checked, file_idx, records_in_file)
    if keep is None:
        codes = checked.codes
    else:
        codes = {c: checked.codes[c][keep] for c in COLUMNS}
        file_idx = file_idx[keep]
    df = pd.DataFrame(
        {c: _categorical(codes[c], _dtype(checked.values[c])) for c in LABEL_COLUMNS},
        copy=False,
    )
    dates = pd.Series(checked.dates.array.take(codes["Date"]))

    def number(column: str) -> pd.Series:
        distinct = checked.numbers[column]
        if distinct is not None:
            return pd.Series(distinct[codes[column]])
        # not a plain numeric column (pandas gives another dtype): parse record by record
        text = checked.values[column].take(pa.array(codes[column]))
        values = text.to_pandas()
        return pd.to_numeric(values.where(values != ""))

    forces = [e.force for e in entries]
    months = [e.month for e in entries]
    outcome_class = _labels(df["Outcome"], normalise.OUTCOME_CLASS)
    linked = _text(df["Outcome linked to object of search"])
    records = pd.DataFrame(
        {
            "force": _per_file(forces, file_idx),
            "month": _per_file(months, file_idx),
            "date": dates,
            "type": _text(df["Type"]),
            "gender": _text(df["Gender"]),
            "age_range": _text(df["Age range"]),
            "ethnicity_self_label": _text(df["Self-defined ethnicity"]),
            "ethnicity_self": _labels(df["Self-defined ethnicity"], normalise.SELF_ETHNICITY),
            "ethnicity_officer": _labels(
                df["Officer-defined ethnicity"], normalise.OFFICER_ETHNICITY
            ),
            "legislation": _text(df["Legislation"]),
            "legislation_group": _labels(df["Legislation"], normalise.legislation_group),
            "object_of_search": _labels(df["Object of search"], normalise.object_of_search),
            "outcome": _text(df["Outcome"]),
            "outcome_class": outcome_class,
            "outcome_linked": linked.map({"True": True, "False": False, "": pd.NA}).astype(
                "boolean"
            ),
            "linked_find": (linked == "True") & outcome_class.isin(["arrest", "other_action"]),
            "linked_recorded": linked != "",
            "part_of_policing_operation": _text(df["Part of a policing operation"]),
            "policing_operation": _text(df["Policing operation"]),
            "latitude": number("Latitude"),
            "longitude": number("Longitude"),
            "removal_of_more_than_outer_clothing": _text(
                df["Removal of more than just outer clothing"]
            ),
        }
    )

    after = np.bincount(file_idx, minlength=n_files)

    def count(mask: pd.Series) -> np.ndarray:
        return np.bincount(file_idx, weights=mask.to_numpy(), minlength=n_files)

    with np.errstate(invalid="ignore", divide="ignore"):
        per_file = pd.DataFrame(
            {
                "force": forces,
                "month": months,
                "file_present": True,
                "records": records_in_file.astype("int64"),
                "records_after_repair": after.astype("int64"),
                "blank_outcome_share": count(df["Outcome"] == "") / after,
                "blank_self_ethnicity_share": count(df["Self-defined ethnicity"] == "") / after,
                "blank_officer_ethnicity_share": count(df["Officer-defined ethnicity"] == "")
                / after,
                "blank_linked_share": count(linked == "") / after,
                "linked_inconsistent": count(
                    (linked == "True") & (outcome_class == "no_further_action")
                ).astype("int64"),
                "doubled": doubled,
            }
        )
    grid = pd.MultiIndex.from_product(
        [sorted(set(forces)), _month_range(min(months), max(months))], names=["force", "month"]
    ).to_frame(index=False)
    coverage = grid.merge(per_file, on=["force", "month"], how="left")
    coverage["file_present"] = coverage["file_present"].fillna(False).astype(bool)
    for column in ("records", "records_after_repair", "linked_inconsistent"):
        coverage[column] = coverage[column].fillna(0).astype("int64")
    coverage["doubled"] = coverage["doubled"].fillna(False).astype(bool)
    coverage["missing"] = ~coverage["file_present"]
    return ArchiveData(records, coverage[COVERAGE_COLUMNS], entries)


def _count_by(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Records counted by ``keys`` (booleans kept, the rest as text) into ``searches``
    (int64), sorted by the keys.

    The counting runs in pyarrow's hash aggregation on the columns as they are (a categorical
    as its codes); a record with a missing key is not counted, as in pandas' ``groupby``."""
    table = pa.Table.from_pandas(frame[keys], preserve_index=False)
    valid = None
    for i, column in enumerate(table.columns):
        if column.null_count:
            present = pc.is_valid(column)
            valid = present if valid is None else pc.and_(valid, present)
        if pa.types.is_string(column.type) or pa.types.is_large_string(column.type):
            table = table.set_column(i, keys[i], pc.dictionary_encode(column))
    if valid is not None:
        table = table.filter(valid)
    counted = table.group_by(keys, use_threads=False).aggregate([([], "count_all")])
    for i, spec in enumerate(counted.schema):
        if pa.types.is_dictionary(spec.type):
            counted = counted.set_column(i, spec.name, counted.column(i).cast(pa.large_string()))
    out = counted.to_pandas().rename(columns={"count_all": "searches"})
    for column in keys:
        out[column] = out[column].astype(bool if column in BOOL_SEARCH_KEYS else "str")
    out["searches"] = out["searches"].astype("int64")
    return out[[*keys, "searches"]].sort_values(keys).reset_index(drop=True)


def aggregate_searches(records: pd.DataFrame) -> pd.DataFrame:
    """Searches by force x month x both ethnicities x outcome class x linked find x linked
    recorded x object x legislation group; sorted, ``searches`` int64."""
    return _count_by(records, SEARCH_KEYS)


def aggregate_people(records: pd.DataFrame) -> pd.DataFrame:
    """Searches by force x month x both ethnicities x age range x gender x strip search
    ('yes', 'no' or 'Not recorded': police.uk's "Removal of more than just outer clothing") x
    linked find x linked recorded; blank age and gender as 'Not recorded'; sorted."""

    def recorded(value: str) -> str:
        return value if value != "" else normalise.NOT_RECORDED

    def strip_search(value: str) -> str:
        return STRIP_SEARCH_VALUES.get(value, normalise.NOT_RECORDED)

    # each mapped category by category (:func:`_labels`), not record by record
    people = records[PEOPLE_KEYS[:4] + ["linked_find", "linked_recorded"]].assign(
        age_range=_labels(records["age_range"], recorded),
        gender=_labels(records["gender"], recorded),
        strip_search=_labels(records["removal_of_more_than_outer_clothing"], strip_search),
    )
    return _count_by(people, PEOPLE_KEYS)


# ---------------------------------------------------------------- writing


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_csv(df: pd.DataFrame, path: Path) -> None:
    """Deterministic CSV: LF endings, fixed float format, booleans as True/False, text cells a
    spreadsheet would run as formulas neutralised (:mod:`peelstats.data.safe_csv`), written
    atomically (:func:`peelstats.files.atomic_open`).

    A ``path`` ending in ``.gz`` gets the same CSV bytes gzip-compressed, with no file name and
    a zero modification time in the gzip header, so that rewriting the same table gives the
    same bytes."""
    path = Path(path)
    text = csv_text(df, index=False, lineterminator="\n", float_format=FLOAT_FORMAT)
    with atomic_open(path, "wb") as fh:
        if path.name.endswith(".gz"):
            with gzip.GzipFile(filename="", mode="wb", fileobj=fh, mtime=0) as gz:
                gz.write(text.encode("utf-8"))
        else:
            fh.write(text.encode("utf-8"))


def write_parquet(df: pd.DataFrame, path: Path) -> None:
    """A parquet table, written atomically."""
    with atomic_open(path, "wb") as fh:
        df.to_parquet(fh, index=False)


def atomic_folder(target: Path, write: Callable[[Path], None], *, exchange: bool = True) -> None:
    """Call ``write(tmp)`` on a fresh folder beside ``target``; on success write the
    :data:`~peelstats.data.outfolder.MARKER` into it and swap it into place
    (:func:`~peelstats.files.swap_folder`). Call while holding ``target``'s lock."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = new_work_folder(target)
    try:
        if (target / ".gitkeep").exists():
            (tmp / ".gitkeep").touch()
        write(tmp)
        atomic_write(tmp / MARKER, MARKER_TEXT)
        os.chmod(tmp, 0o755)
        fsync_dir(tmp)
        swap_folder(tmp, target, use_exchange=exchange)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _input_files(
    archive: Path, census: Path | None, outcomes: Path | None, use_of_force: Path | None = None
) -> list[tuple[str, Path]]:
    files: list[tuple[str, Path]] = []
    if archive.is_dir():
        for e in Archive(archive).entries:
            files.append((f"{archive.name}/{e.rel}", archive / e.rel))
    else:
        files.append((archive.name, archive))
    if census is not None:
        for name in (TS021_FILE, LOOKUP_FILE):
            files.append((f"{census.name}/{name}", census / name))
    if outcomes is not None:
        files.append((f"{outcomes.parent.name}/{outcomes.name}", outcomes))
    if use_of_force is not None:
        for path in _use_of_force_files(use_of_force):
            files.append((f"{use_of_force.name}/{path.name}", path))
    return files


def _use_of_force_files(folder: Path) -> list[Path]:
    """The editions :func:`~peelstats.data.use_of_force.read_use_of_force` reads, in order."""
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() == ".ods" and not p.name.startswith((".", "~")) and not p.is_dir()
    )


def provenance_text(
    archive: Path,
    census: Path | None,
    outcomes: Path | None,
    use_of_force: UseOfForceTables | None = None,
    use_of_force_folder: Path | None = None,
) -> str:
    uof = []
    if use_of_force is not None:
        years = use_of_force.editions["financial_year"].tolist()
        uof = [
            "- Home Office police use of force statistics, England and Wales: data tables of the "
            f"{_editions_words(years)} (where editions overlap, the latest edition's figures for "
            "a year).",
        ]
    lines = [
        "# Provenance of the default data",
        "",
        "Compact tables derived by `peelstats prepare` from public data:",
        "",
        "- police.uk stop-and-search monthly files (data.police.uk archive layout);",
        "- ONS Census 2021 TS021 (ethnic group by lower-tier local authority) and the ONS "
        "LAD22-CSP22-PFA22 lookup (December 2022);",
        "- Home Office crime outcomes open data, financial year 2017/18.",
        *uof,
        "",
        OGL_ATTRIBUTION,
        "",
        "Rebuild (from the project root, with the source files in ../shared/data):",
        "",
        "```",
        REBUILD_DEFAULT,
        "```",
        "",
        "The column definitions are in docs/data.md.",
        "",
        "## Input files (sha256)",
        "",
        "```",
    ]
    for name, path in _input_files(archive, census, outcomes, use_of_force_folder):
        lines.append(f"{sha256(path)}  {name}")
    lines += ["```", ""]
    return "\n".join(lines)


def _editions_words(years: list[str]) -> str:
    """['2018/19', '2019/20'] -> '2018/19 and 2019/20 editions'."""
    listed = ", ".join(years[:-1]) + " and " + years[-1] if len(years) > 1 else years[0]
    return f"{listed} edition{'s' * (len(years) > 1)}"


@dataclass
class PrepareResult:
    out: Path
    files: list[str]
    files_read: int
    records: int
    records_after_repair: int
    doubled: int
    missing: int
    skipped: list[str]
    #: months added, removed or revised since the last prepare into ``out``; None when there
    #: was nothing to compare with (first prepare, or no manifest in the previous output)
    revisions: pd.DataFrame | None = None
    #: warnings about file names and repairs of an interrupted earlier prepare, one line each
    notes: list[str] = field(default_factory=list)
    #: the use of force reader's notes: which edition's figures were kept for a year several
    #: editions give, and what an edition said about forces it could not name, one line each
    use_of_force_notes: list[str] = field(default_factory=list)


def prepare(
    archive: str | Path | None = None,
    census: str | Path | None = None,
    outcomes: str | Path | None = None,
    out: str | Path | None = None,
    *,
    default: bool = False,
    progress: bool = True,
    use_of_force: str | Path | None = None,
) -> PrepareResult:
    """Validate and normalise the inputs and write the tables to ``out`` atomically.

    ``default=False`` writes parquet tables (and coverage.csv) to ``paths().processed``;
    ``default=True`` writes the compact committed CSVs (searches and crime outcomes gzipped,
    :data:`DEFAULT_FILES`) and PROVENANCE.md to ``paths().default`` and needs all three inputs.

    Both compare the files read with those of the last prepare into ``out`` (its manifest, or
    for default data one rebuilt from the tables) and return the months added, removed or
    revised as ``revisions``. ``default=False`` also writes ``manifest.csv`` and, when there was
    something to compare with, ``revisions.csv``; the default folder gets neither.

    ``use_of_force`` (a folder of the Home Office use of force data tables, .ods; default
    ``data/raw/home-office-use-of-force`` when present) adds the use of force tables
    (:data:`~peelstats.data.tables.USE_OF_FORCE_TABLES`), read and validated with the other
    inputs before anything is written; ``notes`` then says which edition's figures were kept
    where editions overlap.
    """
    from peelstats.config import paths
    from peelstats.errors import ParameterError

    p = paths()
    if archive is None:
        candidate = p.raw / "police-uk-archive"
        zipped = p.raw / "police-uk-archive.zip"
        if candidate.exists():
            archive = candidate
        elif zipped.exists():
            archive = zipped
        else:
            raise ParameterError(
                f"no archive given and none at {candidate}: pass --archive PATH (a folder or "
                ".zip of police.uk stop-and-search files, e.g. ../shared/data/police-uk-archive)"
            )
    archive = Path(archive)
    if census is None and (p.raw / "census-2021").is_dir():
        census = p.raw / "census-2021"
    if outcomes is None:
        found = sorted((p.raw / "home-office-outcomes").glob("crime-outcomes-*.csv*"))
        outcomes = found[-1] if found else None
    if use_of_force is None and (p.raw / "home-office-use-of-force").is_dir():
        use_of_force = p.raw / "home-office-use-of-force"
    census = Path(census) if census is not None else None
    outcomes = Path(outcomes) if outcomes is not None else None
    use_of_force = Path(use_of_force) if use_of_force is not None else None
    if default and (census is None or outcomes is None):
        raise ParameterError("--default needs --census and --outcomes as well as --archive")
    given = Path(out) if out is not None else (p.default if default else p.processed)
    inputs = [archive, census, outcomes, use_of_force, p.raw]
    target = check_out(given, inputs)
    # every input is read and validated before the output folder is touched (or locked). The
    # outcomes table is built first, so that the memory its large file needs while it is read
    # is free again for the archive; a problem in it is raised only after the archive and the
    # Census tables have been read, so the archive's problems are still reported first
    crime_outcomes, outcomes_error = None, None
    if outcomes is not None:
        try:
            crime_outcomes = build_crime_outcomes(outcomes)
        except Exception as exc:  # noqa: BLE001 - raised below, after the other inputs
            outcomes_error = exc
        _release_memory()
    data = read_archive(archive, progress=progress)
    populations = build_populations(census) if census is not None else None
    if outcomes_error is not None:
        raise outcomes_error
    uof = read_use_of_force(use_of_force) if use_of_force is not None else None
    with prepare_lock(target, str(given)):
        notes = recover_folder(target)
        check_out(given, inputs)
        result = _write_locked(
            data, populations, crime_outcomes, (archive, census, outcomes), target, default,
            use_of_force=(uof, use_of_force),
        )  # fmt: skip
    result.out = given
    result.notes = notes + result.notes
    result.use_of_force_notes = list(uof.notes) if uof is not None else []
    return result


def _write_locked(
    data: ArchiveData,
    populations: pd.DataFrame | None,
    crime_outcomes: pd.DataFrame | None,
    sources: tuple[Path, Path | None, Path | None],
    target: Path,
    default: bool,
    use_of_force: tuple[UseOfForceTables | None, Path | None] = (None, None),
) -> PrepareResult:
    """Compare with the last prepare into ``target`` and write the tables (lock held)."""
    archive, census, outcomes = sources
    previous = previous_manifest(target)
    manifest = data.manifest()
    revisions = compare(previous, manifest) if previous is not None else None
    searches = aggregate_searches(data.records)
    searched_people = aggregate_people(data.records)
    skipped = [
        name
        for name, t in (("populations", populations), ("crime_outcomes", crime_outcomes))
        if t is None
    ]
    tables = {
        "searches": searches,
        "searched_people": searched_people,
        "coverage": data.coverage,
        "populations": populations,
        "crime_outcomes": crime_outcomes,
    }
    uof, uof_folder = use_of_force
    if uof is not None:
        tables.update({name: getattr(uof, attr) for name, attr in USE_OF_FORCE_TABLES.items()})
    else:
        skipped.append("use_of_force")
    written: list[str] = []

    def write(folder: Path) -> None:
        if default:
            for key, name in DEFAULT_FILES.items():
                if tables.get(key) is not None:  # the use of force tables are optional
                    write_csv(tables[key], folder / name)
                    written.append(name)
            provenance = provenance_text(archive, census, outcomes, uof, uof_folder)
            atomic_write(folder / "PROVENANCE.md", provenance)
            written.append("PROVENANCE.md")
            return
        tables_out = {"records": data.records, **tables}
        for key, name in PROCESSED_FILES.items():
            if tables_out.get(key) is not None:
                write_parquet(tables_out[key], folder / name)
                written.append(name)
        write_csv(data.coverage, folder / "coverage.csv")
        written.append("coverage.csv")
        write_csv(manifest, folder / MANIFEST_FILE)
        written.append(MANIFEST_FILE)
        if revisions is not None:
            write_csv(revisions, folder / REVISIONS_FILE)
            written.append(REVISIONS_FILE)

    try:
        atomic_folder(target, write)
    except OSError as exc:
        raise EnvironmentFault(f"cannot write {target}: {describe_os_error(exc)}") from None
    cov = data.coverage
    return PrepareResult(
        out=target,
        files=written,
        files_read=len(data.entries),
        records=int(cov["records"].sum()),
        records_after_repair=int(cov["records_after_repair"].sum()),
        doubled=int(cov["doubled"].sum()),
        missing=int(cov["missing"].sum()),
        skipped=skipped,
        revisions=revisions,
        notes=list(data.warnings),
    )
