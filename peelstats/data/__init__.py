"""The data layer: read, validate and normalise police.uk, Census and Home Office inputs."""

from peelstats.data.forces import Force, all_forces, get_force
from peelstats.data.load import (
    load_coverage,
    load_crime_outcomes,
    load_manifest,
    load_populations,
    load_revisions,
    load_searched_people,
    load_searches,
    load_use_of_force,
)

__all__ = [
    "Force",
    "all_forces",
    "get_force",
    "load_coverage",
    "load_crime_outcomes",
    "load_manifest",
    "load_populations",
    "load_revisions",
    "load_searched_people",
    "load_searches",
    "load_use_of_force",
]
