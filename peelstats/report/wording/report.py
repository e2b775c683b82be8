"""The words around a report's sections: its title, the 'About this report' box and what a
reader is told about parts left out."""

from __future__ import annotations

from peelstats.report.wording.common import definition_words, months_words, year_words
from peelstats.report.wording.numbers import conf

#: a notebook of the report, as a reader would name what it holds
PART_NAMES = {
    "stop_search": "stop and search",
    "inspection": "the inspectorate's findings",
    "outcomes": "crime outcomes",
    "use_of_force": "use of force",
}
NO_FIGURES = "There are no figures for this force and period."
ABOUT_CLOSING = (
    "Each section names the period its figures cover. Every figure comes with its confidence "
    "interval; each section ends with a note of its methods."
)


def report_title(force_name: str, period: str) -> str:
    return f"{force_name}: stop and search and inspection findings, {year_words(period)}"


def _period_item(ss) -> str:
    cov = ss.coverage
    if cov.missing and cov.present:
        return (
            f"Period: {year_words(ss.period)}, of which the data covers {len(cov.present)} of the "
            f"12 months ({months_words(cov.present)}); changes compare those months with the "
            "same months a year earlier."
        )
    return f"Period: {year_words(ss.period)}, compared with the 12 months before."


def _data_item(results: dict) -> str:
    parts = []
    ss = results.get("stop_search")
    if ss is not None:
        parts.append("police.uk's monthly stop-and-search records for the force")
        parts.append("ONS Census 2021 residents by ethnic group")
    outcomes = results.get("outcomes")
    if outcomes is not None and getattr(outcomes, "year", ""):
        parts.append(f"the Home Office's crime outcomes for {outcomes.year}")
    uof = results.get("use_of_force")
    if uof is not None and getattr(uof, "year", ""):
        parts.append(f"the Home Office's use of force statistics for {uof.year}")
    if any(k in results for k in ("reasonable_grounds", "crime_data_integrity",
                                  "published_figures", "published_outcomes")):  # fmt: skip
        parts.append("the inspectorate's published figures")
    if not parts:
        return ""
    listed = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return f"Data: {listed}. Each section names its source."


def about_items(results: dict, skipped: list[tuple[str, str]]) -> list[str]:
    """The 'About this report' items: period, confidence level, ethnicity, data, and each part
    left out with the reason."""
    items = []
    ss = results.get("stop_search")
    if ss is not None:
        items.append(_period_item(ss))
        items.append(
            f"Confidence level: {conf(ss.confidence)}, except where a figure is the "
            "inspectorate's own (its published intervals are at 95%)."
        )
        items.append(
            f"Ethnicity: {definition_words(ss.definition)}"
            + (
                " (how people describe themselves, as the Home Office's rates per 1,000 use)."
                if ss.definition == "self"
                else " (the officer's view; Census residents describe themselves)."
            )
        )
    data = _data_item(results)
    if data:
        items.append(data)
    for name, reason in skipped:
        items.append(f"Not included: {PART_NAMES.get(name, name.replace('_', ' '))}, because "
                     f"{reason}.")  # fmt: skip
    return items
