"""The names of the tables ``prepare`` writes and the loaders read.

``prepare --default`` writes compact CSVs (the large ones gzip-compressed, the small ones
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


def table_file(folder: Path, name: str) -> Path:
    """``folder / name``; for a gzipped table (``x.csv.gz``) that is not there, the plain
    ``x.csv`` when that is (default data written before its large tables were compressed)."""
    path = folder / name
    if name.endswith(".gz") and not path.is_file():
        plain = folder / name.removesuffix(".gz")
        if plain.is_file():
            return plain
    return path
