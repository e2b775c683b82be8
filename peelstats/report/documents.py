"""Every paper output of one report folder, written in one place: the full report as
report.docx and report.pdf (:mod:`peelstats.report.paper`), estimates.xlsx
(:mod:`peelstats.report.spreadsheet`) and the Panel paper (:mod:`peelstats.report.panel_paper`).
One output that cannot be written is a note and never sinks the others; a full disk is raised."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from peelstats.files import write_optional
from peelstats.report.paper import INSTALL_CHROMIUM, write_docx, write_pdf

#: the paper files of a report folder (kept from an earlier run by ``run --no-paper``)
PAPER_FILES = ("report.docx", "estimates.xlsx", "report.pdf", "panel-paper.html",
               "panel-paper.docx", "panel-paper.pdf")  # fmt: skip


def _write_workbook(work: Path, force_name: str, period_words: str, results: dict, settings,
                    confidence: float) -> Path:  # fmt: skip
    from peelstats.report.spreadsheet import write_xlsx

    created = dt.datetime.combine(settings.date, dt.time(9, 0)) if settings.date else None
    return write_xlsx(work / "tables", work / "estimates.xlsx", force_name=force_name,
                      period_words=period_words, results=results, confidence=confidence,
                      created=created, author=settings.organisation)  # fmt: skip


def _since(results: dict, previous: Path | None, period: str, source: str):
    """What moved since the previous quarter's paper, when its results are in ``previous``."""
    if previous is None or not (previous / "results" / "stop_search.json").is_file():
        return None
    from peelstats.analysis import results as res
    from peelstats.analysis import since
    from peelstats.analysis.searches import SearchData
    from peelstats.vocabulary import parse_period

    current = results.get("stop_search")
    previous_result = res.load(previous / "results" / "stop_search.json")
    revised = ()
    try:
        from peelstats.data import load_revisions

        table = load_revisions(source)
        if table is not None and not table.empty and current is not None:
            revised = tuple(sorted(table.loc[table["force"] == current.force, "month"]))
    except Exception:  # noqa: BLE001 - no revisions record (default data keeps none)
        revised = ()
    return since.build(SearchData.load(source), parse_period(period), previous_result, current,
                       current.confidence if current else 0.95, revised)  # fmt: skip


def write_paper(work: Path, force: str, force_name: str, period: str, *,
                previous: Path | None = None, source: str = "default",
                pdf: bool = True) -> list[str]:  # fmt: skip
    """Every paper output for one report folder: the full report as report.docx and
    report.pdf, estimates.xlsx, and the Panel paper (panel-paper.docx and .pdf). ``previous``
    is the folder of the previous quarter's report of the force, for "Since the last paper".
    Returns one line per output that could not be written (the others are still written)."""
    from peelstats.report.assemble import load_results, report_confidence
    from peelstats.report.panel_paper import build_paper, write_panel_paper
    from peelstats.report.paper_settings import PaperSettings, load_paper_settings
    from peelstats.report.wording import year_words
    from peelstats.report.wording.paper import date_words
    from peelstats.report.wording.report import report_title

    notes = []
    try:
        settings = load_paper_settings(force)
    except Exception as exc:  # noqa: BLE001 - checked before the run; here, never fatal
        notes.append(f"panel-paper.toml not used: {exc}")
        settings = PaperSettings()
    results = load_results(work)
    title = report_title(force_name, period)
    period_words = year_words(period)
    report = work / "report.html"
    steps = [
        ("report.docx", lambda: write_docx(report, work / "charts", work / "report.docx", title,
                                           author=settings.organisation, date=settings.date)),
        ("estimates.xlsx", lambda: _write_workbook(work, force_name, period_words, results,
                                                   settings, report_confidence(results))),
    ]  # fmt: skip

    def pdf_step():
        when = settings.date or dt.date.today()
        line = f"Date: {date_words(when)}" if settings.date else f"Printed {date_words(when)}"
        if write_pdf(report, work / "report.pdf", footer=title, date_line=line,
                     flat=True) is None:  # fmt: skip
            notes.append(INSTALL_CHROMIUM)

    if pdf and report.is_file():
        steps.append(("report.pdf", pdf_step))
    write_optional(steps, notes)
    try:
        since = _since(results, previous, period, source)
    except Exception as exc:  # noqa: BLE001 - the paper is written without that paragraph
        notes.append(f"since the last paper not given: {type(exc).__name__}: {exc}")
        since = None
    from peelstats.report.wording.use_of_force import panel_questions

    extra = panel_questions(results.get("use_of_force"))
    paper = build_paper(force_name, period, results, settings, since, extra)
    notes += write_panel_paper(work, paper, pdf=pdf)
    return notes
