"""One report.html from the executed notebooks of a job, summary first, glossary last.

The summary (at most six sentences), the "About this report" box and the glossary are written
by :mod:`peelstats.report.wording` from the results the notebooks saved (``results/*.json``);
nothing here computes a figure. Headings carry explicit ids, so the page has one h1 and no
duplicate ids.
"""

from __future__ import annotations

import html
from pathlib import Path

from peelstats import __version__
from peelstats.analysis import results as res
from peelstats.config import OGL_ATTRIBUTION
from peelstats.report import sections
from peelstats.report import wording as w
from peelstats.vocabulary import DEFAULT_CONFIDENCE


def load_results(folder: Path) -> dict:
    """Every result a job's notebooks saved, by name (absent ones left out)."""
    out = {}
    for name in (section.name for section in sections.all_sections()):
        path = Path(folder) / "results" / f"{name}.json"
        if path.is_file():
            out[name] = res.load(path)
    return out


def _options(results: dict, source: str) -> list[str]:
    ss = results.get("stop_search")
    items = []
    if ss is not None:
        items.append(
            f"Period: {w.year_words(ss.period)} ({ss.period}), compared with the year before."
        )
        items.append(
            f"Confidence level: {w.conf(ss.confidence)}, except where a figure is the "
            "inspectorate's own (its published intervals are at 95%)."
        )
        items.append(f"Ethnicity: {w.definition_words(ss.definition)}.")
    if source == "default":
        items.append("Data: the committed default data (police.uk, ONS and Home Office files).")
    elif source == "processed":
        items.append("Data: the data prepared with peelstats prepare.")
    else:
        items.append(f"Data: the prepared data in the folder {Path(source).name!r}.")
    return items


def front_html(force_name: str, period: str, results: dict, skipped, source: str) -> str:
    """The title, the summary and the 'About this report' box."""
    e = html.escape
    title = f"{force_name}: stop and search and inspection findings, {w.year_words(period)}"
    sentences = w.summary(results)
    parts = [f'<h1 id="top">{e(title)}</h1>', '<h2 id="summary">Summary</h2>']
    if sentences:
        parts.append(
            '<ul class="peelstats-summary">'
            + "".join(f"<li>{e(s)}</li>" for s in sentences)
            + "</ul>"
        )
    else:
        parts.append("<p>There are no figures for this force and period.</p>")
    about = _options(results, source)
    for name, reason in skipped:
        about.append(f"Not included: {name.replace('_', ' ')}, because {reason}.")
    parts.append('<h2 id="about">About this report</h2>')
    parts.append(
        '<ul class="peelstats-about">' + "".join(f"<li>{e(a)}</li>" for a in about) + "</ul>"
    )
    parts.append(
        "<p>Each section names the period its figures cover. Every figure comes with its "
        "confidence interval; each section ends with a note of its methods.</p>"
    )
    return "\n".join(parts)


def report_confidence(results: dict) -> float:
    """The confidence level of a report's own intervals: its results', all made with the run's
    level (the default level when there is no result)."""
    levels = {r.confidence for r in results.values() if getattr(r, "confidence", None)}
    return max(levels) if levels else DEFAULT_CONFIDENCE


def back_html(text_of_report: str, results: dict) -> str:
    """The glossary of the terms the report uses (at the confidence level its results carry),
    and the licence line."""
    e = html.escape
    entries = w.glossary(text_of_report, report_confidence(results))
    items = "".join(f"<dt>{e(term.capitalize())}</dt><dd>{e(meaning)}</dd>" for term, meaning
                    in entries)  # fmt: skip
    return (
        f'<h2 id="glossary">Glossary</h2><dl class="peelstats-glossary">{items}</dl>'
        f'<p class="peelstats-source">{e(OGL_ATTRIBUTION)} Produced with peelstats '
        f"{e(__version__)}.</p>"
    )
