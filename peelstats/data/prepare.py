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
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
from tqdm import tqdm

from peelstats.config import OGL_ATTRIBUTION
from peelstats.data import normalise
from peelstats.data.archive import (
    COLUMNS,
    Archive,
    Entry,
    _decode,
    cr_to_lf,
    parse_file,
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
)
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
        tables = []
        hashes = []
        bar = tqdm(
            archive.files(),
            total=len(entries),
            desc="reading",
            unit="file",
            file=sys.stderr,
            disable=None if progress else True,
        )
        for i, (entry, data) in enumerate(bar):
            hashes.append(hashlib.sha256(data).hexdigest())
            table, _ = parse_file(data, entry.rel)
            n = table.num_rows
            table = table.append_column("file_idx", pa.array(np.full(n, i, np.int32)))
            table = table.append_column("row_in_file", pa.array(np.arange(n, dtype=np.int64)))
            tables.append(table)

        def text_of(f: int) -> str:
            return _decode(cr_to_lf(archive.read_bytes(entries[f])), entries[f].rel)

        df = _to_frame(pa.concat_tables(tables))
        dates = validate(df, entries, _LazyTexts(text_of))
    finally:
        archive.close()
    result = _build(df, dates, entries)
    result.sha256 = hashes
    result.warnings = warnings
    return result


#: columns with few distinct values, dictionary-encoded for fast checks, maps and hashing
_LABEL_COLUMNS = [c for c in COLUMNS if c not in ("Date", "Latitude", "Longitude")]


def _to_frame(table: pa.Table) -> pd.DataFrame:
    for name in _LABEL_COLUMNS:
        i = table.schema.get_field_index(name)
        table = table.set_column(i, name, table.column(name).dictionary_encode())
    return table.to_pandas()


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


class _LazyTexts:
    """List-like access to decoded file texts, read only when an error must be located."""

    def __init__(self, fn: Callable[[int], str]):
        self._fn = fn

    def __getitem__(self, i: int) -> str:
        return self._fn(i)


def _build(df: pd.DataFrame, dates: pd.Series, entries: list[Entry]) -> ArchiveData:
    n_files = len(entries)
    file_idx = df["file_idx"].to_numpy()
    records_in_file = np.bincount(file_idx, minlength=n_files)

    # doubled months: every distinct record appears an even number of times (>= 2)
    row_hash = pd.util.hash_pandas_object(df[COLUMNS], index=False).to_numpy()
    keys = pd.DataFrame({"f": file_idx, "h": row_hash})
    grouped = keys.groupby(["f", "h"], sort=False)
    multiplicity = grouped["h"].transform("size").to_numpy()
    occurrence = grouped.cumcount().to_numpy()
    odd = np.bincount(file_idx, weights=(multiplicity % 2 == 1), minlength=n_files)
    doubled = (records_in_file > 0) & (odd == 0)
    keep = ~doubled[file_idx] | (occurrence < multiplicity // 2)
    df = df[keep].reset_index(drop=True)
    dates = dates[keep].reset_index(drop=True)
    file_idx = df["file_idx"].to_numpy()

    forces = np.array([e.force for e in entries])
    months = np.array([e.month for e in entries])
    outcome_class = _labels(df["Outcome"], normalise.OUTCOME_CLASS)
    linked = _text(df["Outcome linked to object of search"])
    records = pd.DataFrame(
        {
            "force": forces[file_idx],
            "month": months[file_idx],
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
            "latitude": pd.to_numeric(df["Latitude"].where(df["Latitude"] != "")),
            "longitude": pd.to_numeric(df["Longitude"].where(df["Longitude"] != "")),
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
    (int64), sorted by the keys."""
    out = frame.groupby(keys, as_index=False, sort=False, observed=True).size()
    out = out.rename(columns={"size": "searches"})
    for column in keys:
        out[column] = out[column].astype(bool if column in BOOL_SEARCH_KEYS else "str")
    out["searches"] = out["searches"].astype("int64")
    return out.sort_values(keys).reset_index(drop=True)


def aggregate_searches(records: pd.DataFrame) -> pd.DataFrame:
    """Searches by force x month x both ethnicities x outcome class x linked find x linked
    recorded x object x legislation group; sorted, ``searches`` int64."""
    return _count_by(records, SEARCH_KEYS)


def aggregate_people(records: pd.DataFrame) -> pd.DataFrame:
    """Searches by force x month x both ethnicities x age range x gender x strip search
    ('yes', 'no' or 'Not recorded': police.uk's "Removal of more than just outer clothing") x
    linked find x linked recorded; blank age and gender as 'Not recorded'; sorted."""

    def text(column: str) -> pd.Series:
        return records[column].astype(str)

    people = records[PEOPLE_KEYS[:4] + ["linked_find", "linked_recorded"]].assign(
        age_range=text("age_range").replace("", normalise.NOT_RECORDED),
        gender=text("gender").replace("", normalise.NOT_RECORDED),
        strip_search=text("removal_of_more_than_outer_clothing")
        .map(STRIP_SEARCH_VALUES)
        .fillna(normalise.NOT_RECORDED),
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
    archive: Path, census: Path | None, outcomes: Path | None
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
    return files


def provenance_text(archive: Path, census: Path | None, outcomes: Path | None) -> str:
    lines = [
        "# Provenance of the default data",
        "",
        "Compact tables derived by `peelstats prepare` from public data:",
        "",
        "- police.uk stop-and-search monthly files (data.police.uk archive layout);",
        "- ONS Census 2021 TS021 (ethnic group by lower-tier local authority) and the ONS "
        "LAD22-CSP22-PFA22 lookup (December 2022);",
        "- Home Office crime outcomes open data, financial year 2017/18.",
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
    for name, path in _input_files(archive, census, outcomes):
        lines.append(f"{sha256(path)}  {name}")
    lines += ["```", ""]
    return "\n".join(lines)


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


def prepare(
    archive: str | Path | None = None,
    census: str | Path | None = None,
    outcomes: str | Path | None = None,
    out: str | Path | None = None,
    *,
    default: bool = False,
    progress: bool = True,
) -> PrepareResult:
    """Validate and normalise the inputs and write the tables to ``out`` atomically.

    ``default=False`` writes parquet tables (and coverage.csv) to ``paths().processed``;
    ``default=True`` writes the compact committed CSVs (searches and crime outcomes gzipped,
    :data:`DEFAULT_FILES`) and PROVENANCE.md to ``paths().default`` and needs all three inputs.

    Both compare the files read with those of the last prepare into ``out`` (its manifest, or
    for default data one rebuilt from the tables) and return the months added, removed or
    revised as ``revisions``. ``default=False`` also writes ``manifest.csv`` and, when there was
    something to compare with, ``revisions.csv``; the default folder gets neither.
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
    census = Path(census) if census is not None else None
    outcomes = Path(outcomes) if outcomes is not None else None
    if default and (census is None or outcomes is None):
        raise ParameterError("--default needs --census and --outcomes as well as --archive")
    given = Path(out) if out is not None else (p.default if default else p.processed)
    inputs = [archive, census, outcomes, p.raw]
    target = check_out(given, inputs)
    # every input is read and validated before the output folder is touched (or locked)
    data = read_archive(archive, progress=progress)
    populations = build_populations(census) if census is not None else None
    crime_outcomes = build_crime_outcomes(outcomes) if outcomes is not None else None
    with prepare_lock(target, str(given)):
        notes = recover_folder(target)
        check_out(given, inputs)
        result = _write_locked(
            data, populations, crime_outcomes, (archive, census, outcomes), target, default
        )
    result.out = given
    result.notes = notes + result.notes
    return result


def _write_locked(
    data: ArchiveData,
    populations: pd.DataFrame | None,
    crime_outcomes: pd.DataFrame | None,
    sources: tuple[Path, Path | None, Path | None],
    target: Path,
    default: bool,
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
    written: list[str] = []

    def write(folder: Path) -> None:
        if default:
            for key, name in DEFAULT_FILES.items():
                write_csv(tables[key], folder / name)
                written.append(name)
            atomic_write(folder / "PROVENANCE.md", provenance_text(archive, census, outcomes))
            written.append("PROVENANCE.md")
            return
        tables_out = {"records": data.records, **tables}
        for key, name in PROCESSED_FILES.items():
            if tables_out[key] is not None:
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
