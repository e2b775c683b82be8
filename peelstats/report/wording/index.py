"""The words of the index page of a period: one row per force."""

from __future__ import annotations

from peelstats.report.wording.common import (
    count_words,
    coverage_short,
    definition_words,
    months_words,
    year_words,
)
from peelstats.report.wording.numbers import (
    ci_short,
    conf,
    fixed,
    interval_digits,
    pct,
    signed,
    whole,
)
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
        d = interval_digits(
            change.lower,
            change.upper,
            1,
            null=0.0,
            significant=change.significant,
            estimate=change.estimate,
        )
        cells["change"] = (
            f"{signed(change.estimate, d)}% ({conf(change.confidence)} CI "
            f"{signed(change.lower, d)} to {signed(change.upper, d)}{scope})"
        )
    else:
        cells["change"] = "no earlier year in the data"
    black = r.figure("search_rate_ratio_vs_white", "Black")
    if black is not None and black.estimate is not None and black.has_interval:
        d = interval_digits(
            black.lower,
            black.upper,
            1,
            null=1.0,
            significant=black.significant,
            estimate=black.estimate,
        )
        cells["ratio"] = (
            f"{fixed(black.estimate, d)} ({conf(black.confidence)} CI {fixed(black.lower, d)} to "
            f"{fixed(black.upper, d)})"
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


# ----------------------------------------------------------------------------- the page


def index_title(period: str) -> str:
    return f"Stop and search by force, {year_words(period)}"


def index_intro(counts: dict, labels: str) -> str:
    options = f" Figures in brackets are {labels}." if labels else ""
    return (
        f"{count_words(counts['succeeded'], 'report')} written, {counts['skipped']} skipped, "
        f"{counts['failed']} failed.{options} Searches are counted over the months each force's "
        "data covers: a force with months missing says how many. The change compares searches "
        "with the year before, over the months the data has in both years. The ratio compares "
        "the rate of stop and search per 1,000 Black residents with the rate per 1,000 White "
        "residents (Census 2021 usual residents)."
    )


def shared_note(note: str, forces: int, total: int) -> str:
    """A note that holds for most forces, said once above the table ('For 15 of the 16 forces,
    the inspectorate's findings are not included: ...')."""
    text = note.replace(" not included: ", " are not included: ").replace(
        "for this force", "for these forces"
    )
    return f"For {forces} of the {total} forces, {text}."


INDEX_COLUMNS = ("Force", "Status", "Searches in the period", "Change on the year before",
                 "Black/White rate ratio", "Linked find rate", "Notes")  # fmt: skip
INDEX_CHARTS_HEADING = "Where each force stands"
INDEX_CHARTS_INTRO = (
    "Each chart places every force with a figure on one headline measure, sorted by value, "
    "with its confidence interval as a line. Forces missing from a chart have no figure for "
    "that measure, or (for the rate per 1,000) only part of the year (see their row below). "
    "The numbers behind each chart are in the table after it."
)
#: each headline chart: its title, its axis and what its alt text calls a value
INDEX_CHARTS = {
    "search_rate_per_1000": ("Searches per 1,000 residents", "searches per 1,000 residents"),
    "search_rate_ratio_vs_white": ("Black/White rate ratio", "times as likely as White people"),
    "linked_find_rate": ("Linked find rate", "percent of searches"),
    "searches_change_vs_previous_year_percent": (
        "Change in searches on the year before",
        "percent change",
    ),
}


def index_chart_alt(title: str, rows: int, confidence: str, top: str, bottom: str) -> str:
    return (
        f"Chart: {title} for {rows} forces, sorted from lowest to highest, each with its "
        f"{confidence} confidence interval as a line; the highest is {top} and the lowest "
        f"{bottom}. The numbers behind the chart are in the table after it."
    )
