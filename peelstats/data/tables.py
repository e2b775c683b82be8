"""The names of the tables ``prepare`` writes and the loaders read.

``prepare --default`` writes compact CSVs (the large ones gzip-compressed, the small ones
plain so that their diffs stay readable) into ``data/default``; ``prepare`` writes parquet tables
into ``data/processed`` (or ``--out``), with the manifest of what it read and the revisions since
the previous prepare.
"""

from __future__ import annotations

import csv
from pathlib import Path

from peelstats.config import paths
from peelstats.errors import ParameterError

#: file names of the tables, by output kind
PROCESSED_FILES = {
    "records": "stop_search.parquet",
    "searches": "searches.parquet",
    "searched_people": "searched_people.parquet",
    "coverage": "coverage.parquet",
    "populations": "populations.parquet",
    "crime_outcomes": "crime_outcomes.parquet",
    "use_of_force_incidents": "use_of_force_incidents.parquet",
    "use_of_force_ced": "use_of_force_ced.parquet",
    "use_of_force_tactics": "use_of_force_tactics.parquet",
    "use_of_force_national": "use_of_force_national.parquet",
    "use_of_force_national_groups": "use_of_force_national_groups.parquet",
    "use_of_force_editions": "use_of_force_editions.parquet",
}
#: the committed default tables
DEFAULT_FILES = {
    "searches": "searches.csv.gz",
    "searched_people": "searched_people.csv.gz",
    "coverage": "coverage.csv",
    "populations": "populations.csv",
    "crime_outcomes": "crime_outcomes.csv.gz",
    "use_of_force_incidents": "use_of_force_incidents.csv",
    "use_of_force_ced": "use_of_force_ced.csv",
    "use_of_force_tactics": "use_of_force_tactics.csv",
    "use_of_force_national": "use_of_force_national.csv",
    "use_of_force_national_groups": "use_of_force_national_groups.csv",
    "use_of_force_editions": "use_of_force_editions.csv",
}
#: the use of force tables (``prepare --use-of-force``; optional: written only when given), by
#: table name -> the attribute of :class:`~peelstats.data.use_of_force.UseOfForceTables`
USE_OF_FORCE_TABLES = {
    "use_of_force_incidents": "incidents",
    "use_of_force_ced": "ced",
    "use_of_force_tactics": "tactics_by_ethnicity",
    "use_of_force_national": "england_and_wales",
    "use_of_force_national_groups": "national_incidents_by_ethnicity",
    "use_of_force_editions": "editions",
}
#: what prepare read, file by file, and what changed since the previous prepare
MANIFEST_FILE = "manifest.csv"
REVISIONS_FILE = "revisions.csv"

REBUILD_DEFAULT = (
    "peelstats prepare --archive ../shared/data/police-uk-archive "
    "--census ../shared/data/census-2021 "
    "--outcomes ../shared/data/home-office-outcomes/crime-outcomes-2017-18.csv.gz "
    "--use-of-force ../shared/data/home-office-use-of-force --default"
)


def source_kind(source: str | Path) -> tuple[Path, str]:
    """The folder a data source reads from and its kind: 'default', 'processed' or 'folder'."""
    if isinstance(source, Path):
        return source, "folder"
    if source == "default":
        return paths().default, "default"
    if source == "processed":
        return paths().processed, "processed"
    if isinstance(source, str) and ("/" in source or "\\" in source):
        return Path(source), "folder"
    raise ParameterError(
        f"unknown data source {source!r}: use 'default', 'processed' or a Path to a folder"
    )


def source_folder(source: str | Path) -> Path:
    """The folder a data source ('default', 'processed' or a path) reads from."""
    return source_kind(source)[0]


def table_file(folder: Path, name: str) -> Path:
    """``folder / name``; for a gzipped table (``x.csv.gz``) that is not there, the plain
    ``x.csv`` when that is (default data written before its large tables were compressed)."""
    path = folder / name
    if name.endswith(".gz") and not path.is_file():
        plain = folder / name.removesuffix(".gz")
        if plain.is_file():
            return plain
    return path


def forces_with_records(folder: Path) -> set[str] | None:
    """The forces with at least one record in the coverage table of a data folder (those the
    searches table has rows for), read from its ``coverage.csv`` with the csv module; None when
    the folder has no readable coverage.csv with the columns needed."""
    path = folder / DEFAULT_FILES["coverage"]
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            forces = set()
            for row in csv.DictReader(handle):
                if int(row["records_after_repair"]) > 0:
                    forces.add(row["force"])
            return forces
    except (OSError, KeyError, TypeError, ValueError, csv.Error):
        return None
