"""What each notebook cell shows: one function per part of a section, from a frozen result.

Notebooks call these in order; each shows a heading (with a unique id), its table, its chart
and its sentences, all written by :mod:`peelstats.report.wording` and
:mod:`peelstats.report.views`. Nothing here computes a statistic.
"""

from __future__ import annotations

from pathlib import Path

from peelstats.analysis import results as res
from peelstats.analysis.schema import write_estimates
from peelstats.report import charts, views
from peelstats.report import display as show
from peelstats.report import wording as w
from peelstats.report.wording import audits as wa
from peelstats.report.wording import charts as wc
from peelstats.report.wording import funnels as wf
from peelstats.report.wording import outcomes as wo
from peelstats.report.wording import published as wp
from peelstats.report.wording import quarters as wq
from peelstats.report.wording import search_detail as wd
from peelstats.report.wording import stop_search as ws
from peelstats.report.wording import use_of_force as wu
from peelstats.report.wording import use_of_force_tables as wut
from peelstats.vocabulary import ALL, GROUPS


def save(result, output_dir, name: str) -> None:
    """In report runs: the result as JSON and its figures as tables/<name>.csv."""
    if output_dir is None:
        return
    res.save(result, output_dir, name)
    folder = Path(output_dir) / "tables"
    folder.mkdir(parents=True, exist_ok=True)
    frame = res.figures_frame(result.figures, result.force, result.period, w.method_text)
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
    months = ws.months_note(r)
    if r.population_base != "residents":
        show.show_heading(ws.COUNTS_HEADING.format(months=months), 3, "stop-search-searches")
        show.show_table(ws.counts_table(r), caption=ws.COUNTS_CAPTION)
        return
    show.show_heading(ws.RATES_HEADING.format(months=months), 3, "stop-search-rates")
    show.show_table(ws.rates_table(r), caption=ws.rates_caption(r))
    frame = views.interval_frame(r, "search_rate_per_1000")
    if not frame.empty:
        show.show_chart(
            charts.interval_chart(
                frame, w.chart_title_with_intervals(ws.RATES_WHAT, r.confidence), ws.RATES_UNIT
            ),
            "search_rates",
            output_dir,
            alt_text=w.interval_chart_alt(f"{ws.RATES_WHAT} by ethnic group", r),
        )


def stop_search_ratios(r, output_dir=None) -> None:
    if r.status != "ok" or r.population_base != "residents":
        return
    show.show_heading(ws.RATIOS_HEADING, 3, "stop-search-disproportionality")
    show.show_text(ws.RATIOS_INTRO)
    show.show_table(ws.ratio_table(r), caption=ws.RATIOS_CAPTION)
    frame = views.interval_frame(r, "search_rate_ratio_vs_white")
    if not frame.empty:
        show.show_chart(
            charts.interval_chart(
                frame,
                w.chart_title_with_intervals(ws.RATIOS_WHAT, r.confidence),
                w.TIMES_AS_LIKELY,
                reference=1.0,
            ),
            "rate_ratios",
            output_dir,
            alt_text=w.interval_chart_alt(ws.RATIOS_ALT, r),
        )


def stop_search_outcomes(r, output_dir=None) -> None:
    if r.status != "ok":
        return
    show.show_heading(ws.OUTCOME_TEST_HEADING, 3, "stop-search-outcome-test")
    show.show_text(ws.OUTCOME_TEST_INTRO)
    show.show_table(
        ws.outcome_table(r, "linked_find_rate", ws.LINKED_FINDS), caption=ws.LINKED_CAPTION
    )
    show.show_table(ws.outcome_table(r, "arrest_rate", ws.ARRESTS), caption=ws.ARREST_CAPTION)
    frame = views.interval_frame(r, "linked_find_rate", [*GROUPS, ALL], scale=100)
    if not frame.empty:
        show.show_chart(
            charts.interval_chart(
                frame,
                w.chart_title_with_intervals(ws.LINKED_CHART_WHAT, r.confidence),
                ws.PERCENT_OF_SEARCHES,
                percent=True,
            ),
            "linked_find_rates",
            output_dir,
            alt_text=w.interval_chart_alt(ws.LINKED_CHART_WHAT, r),
        )


def stop_search_months(r, output_dir=None) -> None:
    if r.status != "ok" or r.spc is None:
        return
    show.show_heading(ws.MONTHLY_HEADING, 3, "stop-search-monthly")
    sentence = w.trend_sentence(r.trend, r.period)
    if sentence:
        show.show_text(sentence)
    spc = r.spc.frame()
    months = [*r.previous_months, *r.months]
    spc = spc.set_index("month").reindex(months).reset_index()
    spc["special_cause"] = spc["special_cause"].fillna(False).astype(bool)
    show.show_chart(
        charts.spc_chart(spc, ws.SPC_TITLE, ws.SPC_UNIT, ws.SPC_LINES),
        "monthly_spc",
        output_dir,
        alt_text=w.spc_chart_alt(spc),
        data=wc.spc_data_table(spc),
    )


def stop_search_funnels(r, output_dir=None) -> None:
    if r.status != "ok" or not r.funnels:
        return
    show.show_heading(wf.FUNNELS_HEADING, 3, "stop-search-funnels")
    show.show_text(wf.FUNNELS_INTRO)
    for funnel in r.funnels:
        sentence = w.funnel_sentence(funnel, r.force_name, wf.COMPARED)
        if funnel.points is not None:
            title, x_title, y_title = wf.CHART_WORDS[funnel.measure]
            points, limits = views.funnel_frames(funnel)
            show.show_chart(
                charts.funnel_chart(points, limits, funnel.target, r.force, title, x_title,
                                    y_title, force_label=r.force_name, kind=funnel.kind,
                                    target_label=wf.TARGET_LABEL),
                f"funnel_{funnel.measure}", output_dir,
                alt_text=w.funnel_chart_alt(funnel, r.force_name, title),
                data=wf.funnel_data_table(funnel, x_title, y_title),
            )  # fmt: skip
        if sentence:
            show.show_text(sentence)
        reach = w.funnel_reach_sentence(funnel, r.force_name)
        if reach:
            show.show_text(reach)


def stop_search_closing(r, output_dir=None) -> None:
    show.show_findings(w.stop_search_findings(r), ws.FINDINGS_HEADING, "stop-search-findings")
    if r.status == "ok":
        show.show_note(w.stop_search_methods(r))
    show.show_source(w.source_line(ws.SOURCE))
    save(r, output_dir, "stop_search")


# ----------------------------------------------------------------------------- inspection


def inspection_opening(*parts) -> None:
    dates = [getattr(p, "published", "") for p in parts if p is not None]
    show.show_heading(w.inspection_heading(dates), 2, "inspection")
    show.show_text(wa.INSPECTION_INTRO)


def reasonable_grounds(r, output_dir=None) -> None:
    if r is None or not r.subjects:
        return
    show.show_heading(w.reasonable_grounds_heading(r), 3, "inspection-reasonable-grounds")
    show.show_table(wa.audit_table(r), caption=wa.REASONABLE_GROUNDS_CAPTION)
    if r.changes:
        show.show_table(wa.change_table(r), caption=wa.REASONABLE_GROUNDS_CHANGE_CAPTION)
    show.show_findings(w.reasonable_grounds_findings(r))
    show.show_note(w.audit_methods(r))
    show.show_source(w.source_line(*r.sources, licence=False))
    save(r, output_dir, "reasonable_grounds")


def crime_data_integrity(r, output_dir=None) -> None:
    if r is None or not r.subjects:
        return
    show.show_heading(w.crime_data_integrity_heading(r), 3, "inspection-crime-data-integrity")
    show.show_table(wa.audit_table(r), caption=wa.CRIME_DATA_INTEGRITY_CAPTION)
    if r.changes:
        show.show_table(wa.change_table(r), caption=wa.CRIME_DATA_INTEGRITY_CHANGE_CAPTION)
    show.show_findings(w.crime_data_integrity_findings(r))
    show.show_note(w.audit_methods(r))
    show.show_source(w.source_line(*r.sources, licence=False))
    save(r, output_dir, "crime_data_integrity")


def published_stop_search(p, output_dir=None) -> None:
    if p is None or not p.rows:
        return
    show.show_heading(w.published_heading(p), 3, "inspection-published-stop-search")
    show.show_table(wp.beside_table(p), caption=wp.BESIDE_CAPTION)
    show.show_findings([w.beside_sentence(b, p.period) for b in p.rows])
    sources = sorted({b.published.source for b in p.rows})
    show.show_source(w.source_line(*sources, licence=False))
    save(p, output_dir, "published_figures")


def published_outcomes(p, output_dir=None) -> None:
    if p is None or not p.rows:
        return
    show.show_heading(w.published_outcomes_heading(p), 3, "inspection-published-outcomes")
    show.show_table(wp.published_outcomes_table(p), caption=wp.OUTCOMES_CAPTION)
    show.show_findings(w.published_outcomes_findings(p))
    show.show_source(w.source_line(*p.sources, licence=False))
    save(p, output_dir, "published_outcomes")


# ----------------------------------------------------------------------------- outcomes


def outcomes(o, output_dir=None) -> None:
    show.show_heading(w.outcomes_heading(o), 2, "outcomes")
    if o.status != "ok":
        show.show_findings(w.outcomes_findings(o))
        return
    show.show_text(wo.outcomes_intro(o))
    show.show_table(wo.outcome_rates_table(o), caption=wo.outcomes_caption(o))
    f = o.charge_funnel
    if f is not None and f.points is not None:
        points, limits = views.funnel_frames(f)
        show.show_chart(
            charts.funnel_chart(points, limits, f.target, o.force,
                                wf.charge_chart_title(o.year, f.units), wf.CHARGE_SIZE,
                                wf.CHARGE_VALUE, force_label=o.force_name, kind=f.kind,
                                target_label=wf.TARGET_LABEL),
            "funnel_charge_rate", output_dir,
            alt_text=w.funnel_chart_alt(f, o.force_name, wf.charge_alt_title(o.year)),
            data=wf.funnel_data_table(f, wf.CHARGE_SIZE, wf.CHARGE_VALUE),
        )  # fmt: skip
        reach = w.funnel_reach_sentence(f, o.force_name)
        if reach:
            show.show_text(reach)
    show.show_findings(w.outcomes_findings(o), wo.OUTCOMES_FINDINGS_HEADING, "outcomes-findings")
    show.show_note(w.outcomes_methods(o))
    show.show_source(w.source_line(wo.outcomes_source(o)))
    save(o, output_dir, "outcomes")


# ----------------------------------------------------------------------------- use of force


def use_of_force(u, output_dir=None) -> None:
    """The use of force section: incidents and the rate, the funnel of all forces, Taser (CED),
    tactics used by ethnic group, England and Wales, the inspectorate's figures beside ours."""
    show.show_heading(wu.use_of_force_heading(u), 2, "use-of-force")
    if u.status != "ok":
        show.show_box(wu.use_of_force_caveats(u), kind="warning")
        show.show_source(w.source_line(wu.use_of_force_source(u)))
        save(u, output_dir, "use_of_force")
        return
    show.show_text(wu.use_of_force_intro(u))
    show.show_box(wu.use_of_force_caveats(u))
    show.show_heading(wut.INCIDENTS_HEADING, 3, "use-of-force-incidents")
    show.show_table(wut.incidents_table(u), caption=wut.incidents_caption(u))
    f = u.funnel
    if f is not None and f.points is not None:
        show.show_heading(wut.FUNNEL_HEADING, 3, "use-of-force-funnel")
        points, limits = views.funnel_frames(f)
        show.show_chart(
            charts.funnel_chart(points, limits, f.target, u.force, wut.funnel_chart_title(u),
                                wut.FUNNEL_SIZE, wut.FUNNEL_VALUE, force_label=u.force_name,
                                kind=f.kind, target_label=wf.TARGET_LABEL),
            "funnel_use_of_force_rate", output_dir,
            alt_text=w.funnel_chart_alt(f, u.force_name, wut.funnel_alt_title(u)),
            data=wf.funnel_data_table(f, wut.FUNNEL_SIZE, wut.FUNNEL_VALUE),
        )  # fmt: skip
        for sentence in (wu.funnel_words(u), w.funnel_reach_sentence(f, u.force_name)):
            if sentence:
                show.show_text(sentence)
    if u.figure("ced_uses", year=u.year) is not None:
        show.show_heading(wut.CED_HEADING, 3, "use-of-force-ced")
        show.show_table(wut.ced_table(u), caption=wut.ced_caption(u))
    if u.figure("use_of_force_tactics") is not None:
        show.show_heading(wut.TACTICS_HEADING, 3, "use-of-force-tactics")
        show.show_text(wut.tactics_intro(u))
        show.show_table(wut.tactics_table(u), caption=wut.tactics_caption(u))
        frame = views.interval_frame(u, "use_of_force_tactics_ratio_vs_white")
        if not frame.empty:
            show.show_chart(
                charts.interval_chart(frame, wut.ratio_chart_title(u), wut.RATIO_UNIT,
                                      reference=1.0),
                "use_of_force_tactics_ratio", output_dir,
                alt_text=w.interval_chart_alt(wut.ratio_chart_alt(u), u),
            )  # fmt: skip
    if u.figure("use_of_force_incidents_england_and_wales") is not None:
        show.show_heading(wut.NATIONAL_HEADING, 3, "use-of-force-england-and-wales")
        show.show_table(wut.national_table(u), caption=wut.national_caption(u))
    if u.published is not None:
        show.show_heading(wu.beside_heading(u.published), 3, "use-of-force-inspectorate")
        show.show_table(wut.beside_table(u), caption=wut.BESIDE_CAPTION)
    show.show_findings(wu.use_of_force_findings(u), wu.FINDINGS_HEADING, "use-of-force-findings")
    show.show_note(wu.use_of_force_methods(u))
    sources = [wu.use_of_force_source(u)]
    if u.published is not None:
        sources += sorted({p.source for p in u.published.figures})
    show.show_source(w.source_line(*sources))
    save(u, output_dir, "use_of_force")


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
    show.show_heading(wd.OBJECTS_HEADING, 3, "search-detail-objects")
    show.show_table(
        wd.share_table(r, "object_share", wd.OBJECT, "linked_find_rate_by_object",
                          wd.LINKED_FIND_RATE),
        caption=wd.objects_caption(r),
    )  # fmt: skip
    frame = views.share_frame(r, "object_share")
    if not frame.empty:
        show.show_chart(
            charts.interval_chart(frame, wd.OBJECT_SHARE_WHAT, wd.PERCENT_OF_SEARCHES,
                                  percent=True),
            "object_share", output_dir,
            alt_text=w.interval_chart_alt(wd.OBJECT_SHARE_WHAT, r),
        )  # fmt: skip
    show.show_table(
        wd.share_table(r, "legislation_share", wd.LEGISLATION),
        caption=wd.legislation_caption(r),
    )
    if r.adjusted:
        show.show_heading(wd.ADJUSTED_HEADING, 3, "search-detail-adjusted")
        show.show_table(wd.adjusted_table(r), caption=wd.ADJUSTED_CAPTION)
    if any(f.measure == "strip_search_share" for f in r.figures):
        show.show_heading(wd.STRIP_HEADING, 3, "search-detail-strip")
        show.show_table(wd.strip_table(r), caption=wd.STRIP_CAPTION)
        show.show_table(wd.strip_age_table(r), caption=wd.STRIP_AGE_CAPTION)
    show.show_heading(wd.PEOPLE_HEADING, 3, "search-detail-people")
    if wd.recorded_any(r, "searches_by_age"):
        show.show_table(wd.share_table(r, "searches_by_age", wd.AGE_RANGE),
                        caption=wd.AGE_CAPTION)  # fmt: skip
    else:
        show.show_text(wd.NO_AGE)
    if wd.recorded_any(r, "searches_by_gender"):
        show.show_table(wd.share_table(r, "searches_by_gender", wd.GENDER),
                        caption=wd.GENDER_CAPTION)  # fmt: skip
    else:
        show.show_text(wd.NO_GENDER)
    show.show_findings(w.search_detail_findings(r), wd.FINDINGS_HEADING, "search-detail-findings")
    show.show_note(w.search_detail_methods(r))
    show.show_source(w.source_line(wd.SOURCE))
    save(r, output_dir, "search_detail")


# ----------------------------------------------------------------------------- quarters


def quarters(q, output_dir=None) -> None:
    """The last 8 quarters: table, the Black/White ratio chart and the trend."""
    show.show_heading(w.quarters_heading(q), 2, "quarters")
    if q.status != "ok":
        show.show_findings(w.quarters_sentences(q))
        return
    show.show_table(wq.quarters_table(q), caption=wq.quarters_caption(q))
    frame = views.quarters_ratio_frame(q)
    if not frame.empty:
        show.show_chart(
            charts.interval_chart(frame, wq.QUARTERS_CHART_TITLE, w.TIMES_AS_LIKELY,
                                  reference=1.0),
            "quarters_ratio", output_dir,
            alt_text=w.interval_chart_alt(wq.QUARTERS_CHART_ALT, q),
        )  # fmt: skip
    show.show_findings(w.quarters_sentences(q), wq.QUARTERS_FINDINGS_HEADING, "quarters-findings")
    show.show_note(w.quarters_methods(q))
    show.show_source(w.source_line(wq.QUARTERS_SOURCE))
    save(q, output_dir, "quarters")
