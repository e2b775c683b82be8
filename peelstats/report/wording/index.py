"""The words of the index page of a period: one row per force."""

from __future__ import annotations

from peelstats.report.wording.common import (
    coverage_short,
    definition_words,
    months_words,
    year_words,
)
from peelstats.report.wording.numbers import ci_short, conf, fixed, pct, signed, whole
from peelstats.vocabulary import ALL

# ----------------------------------------------------------------------------- index


def index_cells(r) -> dict[str, str]:
    """The index row of a force, from its saved stop-and-search result."""
    if r is None:
        return {}
    if r.status == "no_data":
        text = f"no stop-and-search data for {year_words(r.period)}"
        return {"searches": text, "change": "–", "ratio": "–", "linked": "–", "coverage": ""}
    total = r.figure("searches", ALL)
    cells = {"searches": whole(total.estimate)}
    cov = coverage_short(r.coverage)
    cells["coverage"] = (
        f"months missing: the data has no file for {months_words(r.coverage.missing)}; figures "
        f"cover {cov}"
        if cov
        else ""
    )
    if cov:
        cells["searches"] += f" ({len(r.coverage.present)} of 12 months)"
    change = r.figure("searches_change_vs_previous_year_percent", ALL)
    if change is not None and change.estimate is not None:
        scope = "" if change.coverage is None or change.coverage.complete else (
            f"; {len(change.coverage.present)} matched months")  # fmt: skip
        cells["change"] = (
            f"{signed(change.estimate)}% ({conf(change.confidence)} CI {signed(change.lower)} "
            f"to {signed(change.upper)}{scope})"
        )
    else:
        cells["change"] = "no earlier year in the data"
    black = r.figure("search_rate_ratio_vs_white", "Black")
    if black is not None and black.estimate is not None and black.has_interval:
        cells["ratio"] = (
            f"{fixed(black.estimate)} ({conf(black.confidence)} CI {fixed(black.lower)} to "
            f"{fixed(black.upper)})"
        )
    elif black is not None and black.flagged("ethnicity_not_recorded"):
        cells["ratio"] = "not shown: ethnicity mostly not recorded"
    elif black is not None and black.numerator == 0:
        cells["ratio"] = "no searches of Black people recorded"
    elif r.population_base == "none":
        cells["ratio"] = "not computable: no resident population"
    elif r.population_base == "unrepresentative":
        cells["ratio"] = "not shown: residents are not the people policed"
    else:
        cells["ratio"] = "–"
    find = r.figure("linked_find_rate", ALL)
    if find is not None and find.estimate is not None:
        bound = "at least " if find.flagged("linked_lower_bound") else ""
        cells["linked"] = (
            f"{bound}{pct(find.estimate, word=False)} ({conf(find.confidence)} CI "
            f"{ci_short(find.lower, find.upper, 1, 100, '%')})"
        )
    elif r.linked is not None and r.linked.status == "not_recorded":
        cells["linked"] = "not shown: linked field mostly blank"
    else:
        cells["linked"] = "–"
    return cells


def run_labels(results) -> str:
    """'95% confidence intervals; self-defined ethnicity' from the results of a run (the
    distinct options, when runs with different options share a folder)."""
    levels = sorted({conf(r.confidence) for r in results if r is not None})
    definitions = sorted({definition_words(r.definition) for r in results if r is not None})
    if not levels:
        return ""
    return f"{' and '.join(levels)} confidence intervals; {' and '.join(definitions)} ethnicity"
