"""The sections of a report, listed once.

Each :class:`Section` names where its data comes from (``load``), how its frozen result is built
(``build(data, params)``, in :mod:`peelstats.analysis`), how a notebook shows it (``present``, in
:mod:`peelstats.report.present`), the notebook it appears in and its sheet of
``estimates.xlsx``. The runner takes its notebooks from here, the report its results and the
spreadsheet its sheets, so a new section is a new analysis module, its wording module and one
:func:`register` line (see docs/architecture.md).

Notebooks call :func:`start` in their first cell (the parameters, validated) and
:func:`compute` or :func:`run` for each section.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from peelstats.analysis import (
    crime_data_integrity,
    outcomes,
    published,
    quarters,
    reasonable_grounds,
    search_detail,
    stop_search,
    use_of_force,
)
from peelstats.analysis import results as res
from peelstats.analysis.funnels import SUMMARY_COLUMNS, all_forces_summary, read_all_forces
from peelstats.analysis.inspection import InspectionData
from peelstats.analysis.params import Params, from_namespace
from peelstats.analysis.searches import SearchData
from peelstats.report import display, present
from peelstats.report.wording import sheets


@dataclass(frozen=True)
class Section:
    """One section of a report (see the module docstring)."""

    name: str
    notebook: str
    load: Callable[[Params], object]
    build: Callable[[object, Params], object]
    present: Callable[[object, Path | None], None]
    sheet: str


_REGISTRY: dict[str, Section] = {}


def register(section: Section) -> Section:
    """Add a section (or replace the one of the same name); report order is the order of
    registration."""
    _REGISTRY[section.name] = section
    return section


def unregister(name: str) -> None:
    _REGISTRY.pop(name, None)


def all_sections() -> tuple[Section, ...]:
    return tuple(_REGISTRY.values())


def get(name: str) -> Section:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"no section {name!r}; known: {', '.join(_REGISTRY)}") from None


def notebook_names() -> tuple[str, ...]:
    """The notebooks of a report, in the order of their first section."""
    return tuple(dict.fromkeys(s.notebook for s in _REGISTRY.values()))


# ----------------------------------------------------------------------------- in a notebook


def start(namespace: dict) -> Params:
    """A notebook's first step: its parameters (read from ``namespace``, the notebook's
    ``globals()``), validated, and its chart renderer enabled."""
    params = from_namespace(namespace)
    display.use_renderer(params.chart_renderer)
    return params


def compute(name: str, params: Params):
    """The section's frozen result: its data loaded and its build run."""
    section = get(name)
    return section.build(section.load(params), params)


def run(name: str, params: Params):
    """Compute the section and show it (a one-cell section); returns the result."""
    result = compute(name, params)
    get(name).present(result, params.output_dir)
    return result


def saved_or_computed(name: str, params: Params, quick: Callable[[Params], object]):
    """A section's result saved earlier in this report run (``results/<name>.json`` in the
    output folder, made with the same force, period and options), else ``quick(params)``."""
    if params.output_dir is not None:
        path = Path(params.output_dir) / "results" / f"{name}.json"
        if path.is_file():
            saved = res.load(path)
            same = (
                getattr(saved, "force", None) == params.force
                and getattr(saved, "period", None) == params.period.label
                and getattr(saved, "definition", None) == params.ethnicity_definition
                and getattr(saved, "confidence", None) == params.confidence
            )
            if same:
                return saved
    return quick(params)


# ----------------------------------------------------------------------------- loaders


def _searches(params: Params) -> SearchData:
    """The force's own rows of the search tables (every section of one force reads only
    those)."""
    return SearchData.load(params.data_source).only(params.force)


def _searches_compared(params: Params) -> SearchData:
    """The searches with the all-forces comparison of the period: the file a batch computed
    once for the quarter, or (a notebook run on its own) computed here from every force."""
    if params.all_forces_path is not None:
        comparison = read_all_forces(params.all_forces_path)
    else:
        every = SearchData.load(params.data_source)
        comparison = all_forces_summary(every, params.period, params.ethnicity_definition)
    return _searches(params).with_comparison(comparison)


def _stop_search_without_comparison(params: Params):
    """This report's own stop-and-search figures (no funnels), to set published ones beside."""
    empty = pd.DataFrame(columns=SUMMARY_COLUMNS)
    return stop_search.build(_searches(params).with_comparison(empty), params)


def _inspection(params: Params) -> InspectionData:
    return InspectionData.load(params.force)


def _inspection_beside(params: Params) -> InspectionData:
    data = _inspection(params)
    if data.rows("published_figures.csv").empty:
        return data
    ours = saved_or_computed("stop_search", params, _stop_search_without_comparison)
    return dataclasses.replace(data, ours=ours)


def _outcomes(params: Params) -> outcomes.OutcomesData:
    return outcomes.OutcomesData.load(params.data_source)


def _use_of_force(params: Params) -> use_of_force.UseOfForceData:
    return use_of_force.UseOfForceData.load(params.data_source, params.force)


for _section in (
    Section("stop_search", "stop_search", _searches_compared, stop_search.build,
            present.stop_search, sheets.STOP_SEARCH),
    Section("quarters", "stop_search", _searches, quarters.build, present.quarters,
            sheets.QUARTERS),
    Section("search_detail", "stop_search", _searches, search_detail.build,
            present.search_detail, sheets.SEARCH_DETAIL),
    Section("reasonable_grounds", "inspection", _inspection, reasonable_grounds.build,
            present.reasonable_grounds, sheets.REASONABLE_GROUNDS),
    Section("crime_data_integrity", "inspection", _inspection, crime_data_integrity.build,
            present.crime_data_integrity, sheets.CRIME_DATA_INTEGRITY),
    Section("published_figures", "inspection", _inspection_beside, published.build_stop_search,
            present.published_stop_search, sheets.PUBLISHED_FIGURES),
    Section("published_outcomes", "inspection", _inspection, published.build_outcomes,
            present.published_outcomes, sheets.PUBLISHED_OUTCOMES),
    Section("outcomes", "outcomes", _outcomes, outcomes.build, present.outcomes,
            sheets.OUTCOMES),
    Section("use_of_force", "use_of_force", _use_of_force, use_of_force.build,
            present.use_of_force, sheets.USE_OF_FORCE),
):  # fmt: skip
    register(_section)
