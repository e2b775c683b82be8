"""The data layer: read, validate and normalise police.uk, Census and Home Office inputs.

The loaders (pandas) are imported when first used, so that importing the force registry
(``peelstats.data.forces``) stays light for the command line.
"""

from peelstats.data.forces import Force, all_forces, get_force

_LOADERS = (
    "load_coverage",
    "load_crime_outcomes",
    "load_manifest",
    "load_populations",
    "load_revisions",
    "load_searched_people",
    "load_searches",
    "load_use_of_force",
)

__all__ = ["Force", "all_forces", "get_force", *_LOADERS]


def __getattr__(name: str):
    if name in _LOADERS:
        from peelstats.data import load

        return getattr(load, name)
    raise AttributeError(f"module 'peelstats.data' has no attribute {name!r}")
