"""The names of the tables ``prepare`` writes and the loaders read.

``prepare --default`` writes compact CSVs (the two large ones gzip-compressed, the small ones
plain so that their diffs stay readable) into ``data/default``; ``prepare`` writes parquet tables
into ``data/processed`` (or ``--out``), with the manifest of what it read and the revisions since
the previous prepare.
"""

from __future__ import annotations

from pathlib import Path

#: file names of the tables, by output kind
PROCESSED_FILES = {
    "records": "stop_search.parquet",
    "searches": "searches.parquet",
    "searched_people": "searched_people.parquet",
    "coverage": "coverage.parquet",
    "populations": "populations.parquet",
    "crime_outcomes": "crime_outcomes.parquet",
}
#: the committed default tables
DEFAULT_FILES = {
    "searches": "searches.csv.gz",
    "searched_people": "searched_people.csv.gz",
    "coverage": "coverage.csv",
    "populations": "populations.csv",
    "crime_outcomes": "crime_outcomes.csv.gz",
}
#: what prepare read, file by file, and what changed since the previous prepare
MANIFEST_FILE = "manifest.csv"
REVISIONS_FILE = "revisions.csv"

REBUILD_DEFAULT = (
    "peelstats prepare --archive ../shared/data/police-uk-archive "
    "--census ../shared/data/census-2021 "
    "--outcomes ../shared/data/home-office-outcomes/crime-outcomes-2017-18.csv.gz --default"
)


def table_file(folder: Path, name: str) -> Path:
    """``folder / name``; for a gzipped table (``x.csv.gz``) that is not there, the plain
    ``x.csv`` when that is (default data written before its large tables were compressed)."""
    path = folder / name
    if name.endswith(".gz") and not path.is_file():
        plain = folder / name.removesuffix(".gz")
        if plain.is_file():
            return plain
    return path
