"""What each notebook cell shows: one function per part of a section, from a frozen result.

Notebooks call these in order; each shows a heading (with a unique id), its table, its chart
and its sentences, all written by :mod:`peelstats.report.wording` and
:mod:`peelstats.report.views`. Nothing here computes a statistic.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from peelstats.analysis import results as res
from peelstats.analysis.schema import write_estimates
from peelstats.report import charts, views
from peelstats.report import display as show
from peelstats.report import wording as w
from peelstats.vocabulary import ALL, GROUPS, REFERENCE_GROUP

OGL = "Contains public sector information licensed under the Open Government Licence v3.0."


def save(result, output_dir, name: str) -> None:
    """In report runs: the result as JSON and its figures as tables/<name>.csv."""
    if output_dir is None:
        return
    res.save(result, output_dir, name)
    folder = Path(output_dir) / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    frame = res.figures_frame(result.figures, result.force, result.period)
    write_estimates(frame, folder / f"{name}.csv")


# ----------------------------------------------------------------------------- stop and search


def stop_search(r, output_dir=None) -> None:
    """The whole stop-and-search section (the notebook shows it part by part, below)."""
    stop_search_opening(r)
    for part in (stop_search_rates, stop_search_ratios, stop_search_outcomes, stop_search_months,
                 stop_search_funnels, stop_search_closing):  # fmt: skip
        part(r, output_dir)


def stop_search_opening(r) -> None:
    show.show_heading(w.stop_search_heading(r), 2, "stop-search")
    if r.status == "no_data":
        show.show_box([w.caveat(c, r) for c in r.caveats], kind="warning")
        return
    show.show_text(w.stop_search_intro(r))
    show.show_box([w.caveat(c, r) for c in r.caveats])


def stop_search_rates(r, output_dir=None) -> None:
    if r.status != "ok":
        return
    months = "" if r.coverage.complete else f" ({len(r.coverage.present)} of 12 months)"
    if r.population_base != "residents":
        show.show_heading(f"Searches by ethnic group{months}", 3, "stop-search-searches")
        show.show_table(views.counts_table(r), caption="Stop and searches by ethnic group")
        return
    show.show_heading(f"Searches and rates per 1,000 residents{months}", 3, "stop-search-rates")
    show.show_table(
        views.rates_table(r),
        caption=f"Stop and searches per 1,000 residents by ethnic group, {w.year_words(r.period)}",
    )
    frame = views.interval_frame(r, "search_rate_per_1000")
    if not frame.empty:
        show.show_chart(
            charts.interval_chart(
                frame,
                f"Searches per 1,000 residents, with {w.conf(r.confidence)} confidence intervals",
                "searches per 1,000 residents",
            ),
            "search_rates",
            output_dir,
            alt_text=w.interval_chart_alt("Searches per 1,000 residents by ethnic group", r),
        )


def stop_search_ratios(r, output_dir=None) -> None:
    if r.status != "ok" or r.population_base != "residents":
        return
    show.show_heading("Disproportionality", 3, "stop-search-disproportionality")
    show.show_text(
        "Each group's rate of stop and search divided by the rate for White people. A ratio "
        "of 1 means equally likely."
    )
    show.show_table(
        views.ratio_table(r), caption="Rate of stop and search relative to White people"
    )
    frame = views.interval_frame(r, "search_rate_ratio_vs_white")
    if not frame.empty:
        show.show_chart(
            charts.interval_chart(
                frame,
                f"Rate relative to White people, with {w.conf(r.confidence)} confidence intervals",
                "times as likely as White people",
                reference=1.0,
            ),
            "rate_ratios",
            output_dir,
            alt_text=w.interval_chart_alt(
                "Rate of stop and search relative to White people, by "
                "ethnic group (a dashed line marks 1, the same rate)",
                r,
            ),
        )


def stop_search_outcomes(r, output_dir=None) -> None:
    if r.status != "ok":
        return
    show.show_heading("The outcome test", 3, "stop-search-outcome-test")
    show.show_text(
        "If searches of one group find what officers were looking for less often, the grounds "
        "for searching that group may be weaker. A linked find is an outcome linked to the "
        'object of the search that is not "no further action".'
    )
    show.show_table(
        views.outcome_table(r, "linked_find_rate", "Linked finds"),
        caption="Linked find rate by ethnic group",
    )
    show.show_table(
        views.outcome_table(r, "arrest_rate", "Arrests"), caption="Arrest rate by ethnic group"
    )
    frame = views.interval_frame(r, "linked_find_rate", [*GROUPS, ALL], scale=100)
    if not frame.empty:
        show.show_chart(
            charts.interval_chart(
                frame,
                f"Linked find rate by ethnic group, with {w.conf(r.confidence)} confidence "
                "intervals",
                "percent of searches",
            ),
            "linked_find_rates",
            output_dir,
            alt_text=w.interval_chart_alt("Linked find rate by ethnic group", r),
        )


def stop_search_months(r, output_dir=None) -> None:
    if r.status != "ok" or r.spc is None:
        return
    show.show_heading("Monthly searches: trend and process control", 3, "stop-search-monthly")
    sentence = w.trend_sentence(r.trend, r.period)
    if sentence:
        show.show_text(sentence)
    spc = r.spc.frame()
    months = [*r.previous_months, *r.months]
    spc = spc.set_index("month").reindex(months).reset_index()
    spc["special_cause"] = spc["special_cause"].fillna(False).astype(bool)
    show.show_chart(
        charts.spc_chart(spc, "Stop and searches a month (XmR chart)", "searches"),
        "monthly_spc",
        output_dir,
        alt_text=w.spc_chart_alt(spc),
        data=views.spc_data_table(spc),
    )


def stop_search_funnels(r, output_dir=None) -> None:
    if r.status != "ok" or not r.funnels:
        return
    show.show_heading("Among all forces", 3, "stop-search-funnels")
    titles = {
        "search_rate_per_1000": ("Searches per 1,000 residents, all forces", "residents",
                                 "searches per 1,000"),
        "linked_find_rate": ("Linked find rate, all forces", "searches", "linked find rate"),
        "black_white_ratio": ("Black/White rate ratio, all forces",
                              "searches of Black people expected at the force's White rate",
                              "Black/White rate ratio"),
    }  # fmt: skip
    for funnel in r.funnels:
        sentence = w.funnel_sentence(funnel, r.force_name, "forces with a complete year of data")
        if funnel.points is not None:
            title, x_title, y_title = titles[funnel.measure]
            points, limits = views.funnel_frames(funnel)
            show.show_chart(
                charts.funnel_chart(points, limits, funnel.target, r.force, title, x_title,
                                    y_title, force_label=r.force_name),
                f"funnel_{funnel.measure}", output_dir,
                alt_text=w.funnel_chart_alt(funnel, r.force_name, title),
                data=views.funnel_data_table(funnel, x_title, y_title),
            )  # fmt: skip
        if sentence:
            show.show_text(sentence)
        reach = w.funnel_reach_sentence(funnel, r.force_name)
        if reach:
            show.show_text(reach)


def stop_search_closing(r, output_dir=None) -> None:
    show.show_findings(w.stop_search_findings(r), "Key findings: stop and search",
                       "stop-search-findings")  # fmt: skip
    if r.status == "ok":
        show.show_note(w.stop_search_methods(r))
    show.show_source(f"Source: police.uk stop and search data; ONS Census 2021 (TS021). {OGL}")
    save(r, output_dir, "stop_search")


# ----------------------------------------------------------------------------- inspection


def inspection_opening(*parts) -> None:
    dates = [getattr(p, "published", "") for p in parts if p is not None]
    show.show_heading(w.inspection_heading(dates), 2, "inspection")
    show.show_text(
        "The inspectorate's own figures, each for its own period: they are not figures for this "
        "report's year, and each heading below names the period it covers."
    )


def reasonable_grounds(r, output_dir=None) -> None:
    if r is None or not r.subjects:
        return
    show.show_heading(w.reasonable_grounds_heading(r), 3, "inspection-reasonable-grounds")
    show.show_table(views.audit_table(r), caption="Records with reasonable grounds recorded")
    if r.changes:
        show.show_table(views.change_table(r), caption="Change from the previous review")
    show.show_findings(w.reasonable_grounds_findings(r))
    show.show_note(w.audit_methods(r))
    show.show_source("Source: " + "; ".join(r.sources))
    save(r, output_dir, "reasonable_grounds")


def crime_data_integrity(r, output_dir=None) -> None:
    if r is None or not r.subjects:
        return
    show.show_heading(w.crime_data_integrity_heading(r), 3, "inspection-crime-data-integrity")
    show.show_table(views.audit_table(r), caption="Crimes recorded")
    if r.changes:
        show.show_table(views.change_table(r), caption="Change from the previous audit")
    show.show_findings(w.crime_data_integrity_findings(r))
    show.show_note(w.audit_methods(r))
    show.show_source("Source: " + "; ".join(r.sources))
    save(r, output_dir, "crime_data_integrity")


def published_stop_search(p, output_dir=None) -> None:
    if p is None or not p.rows:
        return
    show.show_heading(w.published_heading(p), 3, "inspection-published-stop-search")
    show.show_table(views.beside_table(p), caption="Published figures beside this report's")
    show.show_findings([w.beside_sentence(b, p.period) for b in p.rows])
    sources = sorted({b.published.source for b in p.rows})
    show.show_source("Source: " + "; ".join(sources))
    save(p, output_dir, "published_figures")


def published_outcomes(p, output_dir=None) -> None:
    if p is None or not p.rows:
        return
    show.show_heading(w.published_outcomes_heading(p), 3, "inspection-published-outcomes")
    show.show_table(views.published_outcomes_table(p), caption="Published outcome-type rates")
    sentences = [s for s in (w.published_outcome_sentence(row, p) for row in p.rows) if s]
    show.show_findings(sentences)
    show.show_source("Source: " + "; ".join(p.sources))
    save(p, output_dir, "published_outcomes")


# ----------------------------------------------------------------------------- outcomes


def outcomes(o, output_dir=None) -> None:
    show.show_heading(w.outcomes_heading(o), 2, "outcomes")
    if o.status != "ok":
        show.show_findings(w.outcomes_findings(o))
        return
    show.show_text(
        f"{o.force_name}: {w.whole(o.victim_based_total)} victim-based crimes recorded in {o.year}."
    )
    show.show_table(views.outcome_rates_table(o), caption=f"Outcome types, {o.year}")
    f = o.charge_funnel
    if f is not None and f.points is not None:
        points, limits = views.funnel_frames(f)
        show.show_chart(
            charts.funnel_chart(points, limits, f.target, o.force,
                                f"Charge/summons rate, all territorial forces, {o.year}",
                                "victim-based crimes", "charge/summons rate",
                                force_label=o.force_name),
            "funnel_charge_rate", output_dir,
            alt_text=w.funnel_chart_alt(f, o.force_name, f"Charge/summons rate, {o.year}"),
            data=views.funnel_data_table(f, "victim-based crimes", "charge/summons rate"),
        )  # fmt: skip
        reach = w.funnel_reach_sentence(f, o.force_name)
        if reach:
            show.show_text(reach)
    show.show_findings(w.outcomes_findings(o), "Key findings: crime outcomes", "outcomes-findings")
    show.show_note(w.outcomes_methods(o))
    show.show_source(f"Source: Home Office crime outcomes open data, {o.year}. {OGL}")
    save(o, output_dir, "outcomes")


__all__ = ["pd", "REFERENCE_GROUP"]


# ----------------------------------------------------------------------------- search detail


def search_detail(r, output_dir=None) -> None:
    """What officers searched for and found, strip searches, and age and gender."""
    show.show_heading(w.search_detail_heading(r), 2, "search-detail")
    if r.status != "ok":
        show.show_findings(w.search_detail_findings(r))
        return
    notes = w.search_detail_caveats(r)
    if notes:
        show.show_box(notes)
    show.show_heading("Object of search and legislation", 3, "search-detail-objects")
    show.show_table(
        views.share_table(r, "object_share", "Object of search", "linked_find_rate_by_object",
                          "Linked find rate"),
        caption=f"Searches by object of search, {w.year_words(r.period)}",
    )  # fmt: skip
    frame = views.share_frame(r, "object_share")
    if not frame.empty:
        show.show_chart(
            charts.interval_chart(frame, "Share of searches by object of search",
                                  "percent of searches"),
            "object_share", output_dir,
            alt_text=w.interval_chart_alt("Share of searches by object of search", r),
        )  # fmt: skip
    show.show_table(
        views.share_table(r, "legislation_share", "Legislation"),
        caption=f"Searches by legislation, {w.year_words(r.period)}",
    )
    if r.adjusted:
        show.show_heading("The outcome test, allowing for what was searched for", 3,
                          "search-detail-adjusted")  # fmt: skip
        show.show_table(
            views.adjusted_table(r),
            caption="Odds of a linked find against White people's, crude and allowing for the "
            "object of search",
        )
    if any(f.measure == "strip_search_share" for f in r.figures):
        show.show_heading("Strip searches", 3, "search-detail-strip")
        show.show_table(views.strip_table(r), caption="Strip searches by ethnic group")
        show.show_table(views.strip_age_table(r), caption="Strip searches by age range")
    show.show_heading("Age and gender", 3, "search-detail-people")
    show.show_table(views.share_table(r, "searches_by_age", "Age range"),
                    caption="Searches by age range")  # fmt: skip
    show.show_table(views.share_table(r, "searches_by_gender", "Gender"),
                    caption="Searches by gender")  # fmt: skip
    show.show_findings(w.search_detail_findings(r), "Key findings: what was searched for, and "
                       "who", "search-detail-findings")  # fmt: skip
    show.show_note(w.search_detail_methods(r))
    show.show_source(f"Source: police.uk stop and search data. {OGL}")
    save(r, output_dir, "search_detail")


# ----------------------------------------------------------------------------- quarters


def quarters(q, output_dir=None) -> None:
    """The last 8 quarters: table, the Black/White ratio chart and the trend."""
    show.show_heading(w.quarters_heading(q), 2, "quarters")
    if q.status != "ok":
        show.show_findings(w.quarters_sentences(q))
        return
    show.show_table(
        views.quarters_table(q), caption=f"The last 8 quarters, {q.quarters[0]} to {q.quarters[-1]}"
    )
    frame = views.quarters_ratio_frame(q)
    if not frame.empty:
        show.show_chart(
            charts.interval_chart(frame, "Black/White rate ratio by quarter",
                                  "times as likely as White people", reference=1.0),
            "quarters_ratio", output_dir,
            alt_text=w.interval_chart_alt("Black/White rate ratio in each of the last 8 quarters "
                                          "(a dashed line marks 1, the same rate)", q),
        )  # fmt: skip
    show.show_findings(w.quarters_sentences(q), "Key findings: quarter by quarter",
                       "quarters-findings")  # fmt: skip
    show.show_note(w.quarters_methods(q))
    show.show_source(f"Source: police.uk stop and search data; ONS Census 2021 (TS021). {OGL}")
    save(q, output_dir, "quarters")
