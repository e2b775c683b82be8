"""The use of force section against published figures and hand calculations.

Expected values come from outside the code: the Home Office tables as published (the shared
data README: Durham 8,000 incidents in 2019/20 and 6,850 in 2018/19, 348 CED uses and 47
discharges; England and Wales 491,984 incidents), Census 2021 residents summed here from the raw
ONS files, scipy's chi-square and beta quantiles, and closed forms worked by hand. The recording
flag is held to the Metropolitan Police's +112.6% and Gwent's 408 to 6,330 between 2017/18 and
2018/19 (published figures; 2017/18 is not in the shared files, so a small data set is built
from them).
"""

from __future__ import annotations

import csv
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from peelstats.analysis import use_of_force as uof
from peelstats.analysis.params import validate
from peelstats.data import load_populations
from peelstats.data.use_of_force import (
    CED_COLUMNS,
    EDITION_COLUMNS,
    INCIDENT_COLUMNS,
    NATIONAL_COLUMNS,
    NATIONAL_GROUP_COLUMNS,
    TACTIC_COLUMNS,
    UseOfForceTables,
    read_use_of_force,
)
from peelstats.report.wording import method_text
from peelstats.report.wording import use_of_force as wu
from peelstats.vocabulary import Methods

Z = stats.norm.ppf(0.975)


@pytest.fixture(scope="module")
def real(shared_data):
    """The section for Durham, 2021Q3, from the real Home Office editions in ../shared/data (and
    the inspectorate's published figures of data/raw/audits)."""
    tables = read_use_of_force(shared_data / "home-office-use-of-force")
    published = uof.UseOfForceData.load("default", "durham").published
    data = uof.UseOfForceData(tables, load_populations("default"), published)
    return uof.build(data, validate("durham", "2021Q3"))


@pytest.fixture(scope="module")
def durham_residents(shared_data) -> int:
    """Durham's Census 2021 usual residents, summed here from TS021 and the PFA lookup."""
    census = shared_data / "census-2021"
    with open(census / "LAD22-CSP22-PFA22-lookup.csv", encoding="utf-8-sig", newline="") as fh:
        areas = {r["LAD22CD"] for r in csv.DictReader(fh) if r["PFA22CD"] == "E23000008"}
    with open(census / "TS021-ethnic-group-by-ltla.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    code = next(k for k in rows[0] if k.endswith("Authorities Code"))
    return sum(int(r["Observation"]) for r in rows if r[code] in areas)


def garwood(x: int, alpha: float = 0.05) -> tuple[float, float]:
    return stats.chi2.ppf(alpha / 2, 2 * x) / 2, stats.chi2.ppf(1 - alpha / 2, 2 * x + 2) / 2


# ----------------------------------------------------------------------------- Durham, real


def test_durham_incidents_and_the_year(real):
    assert (real.status, real.year, real.previous_year, real.latest_year) == (
        "ok",
        "2019/20",
        "2018/19",
        "2019/20",
    )
    now = real.figure("use_of_force_incidents", year="2019/20")
    before = real.figure("use_of_force_incidents", year="2018/19")
    assert (now.estimate, before.estimate) == (8000, 6850)
    assert (now.period_start, now.period_end) == ("2019-04", "2020-03")
    assert (now.lower, now.upper) == pytest.approx(garwood(8000), rel=1e-9)
    assert real.caveat("use_of_force_older_year") is not None  # older than 2021Q3's year


def test_durham_rate_per_1000_census_residents_with_its_interval(real, durham_residents):
    rate = real.figure("use_of_force_rate", year="2019/20")
    assert rate.denominator == durham_residents == 629_863
    assert rate.estimate == pytest.approx(8000 / durham_residents * 1000, rel=1e-12)
    lo, hi = garwood(8000)
    assert rate.lower == pytest.approx(lo / durham_residents * 1000, rel=1e-9)
    assert rate.upper == pytest.approx(hi / durham_residents * 1000, rel=1e-9)
    assert rate.method == Methods.USE_OF_FORCE_RATE
    words = method_text(rate)
    assert "Census 2021 usual residents" in words and "mid-year" in words
    sentence = wu.incidents_sentence(real)
    assert "12.70 incidents per 1,000 residents (95% confidence interval 12.42 to 12.98" in sentence
    assert "Census 2021 usual residents" in sentence and "mid-year" in sentence


def test_durham_change_on_2018_19_with_its_interval_and_verdict(real):
    """Exact conditional interval by hand: Clopper-Pearson for 8,000 of 14,850 (scipy beta)."""
    change = real.figure("use_of_force_change")
    assert change.estimate == pytest.approx((8000 / 6850 - 1) * 100, rel=1e-12)
    lo = stats.beta.ppf(0.025, 8000, 6850 + 1)
    hi = stats.beta.ppf(0.975, 8000 + 1, 6850)
    assert change.lower == pytest.approx((lo / (1 - lo) - 1) * 100, rel=1e-9)
    assert change.upper == pytest.approx((hi / (1 - hi) - 1) * 100, rel=1e-9)
    assert change.significant and change.direction == "increase"
    assert not change.flagged("recording_change") and not real.recording.flagged
    assert wu.change_sentence(real) == (
        "Incidents in 2019/20 were 16.8 percent more than in 2018/19 (6,850 incidents; 95% "
        "confidence interval 13.1 to 20.6 percent more): a statistically significant increase."
    )


def test_durham_taser_uses_discharges_and_share(real):
    uses = real.figure("ced_uses", year="2019/20")
    discharges = real.figure("ced_discharges", year="2019/20")
    assert (uses.estimate, discharges.estimate) == (348, 47)
    share = real.figure("ced_discharge_share", year="2019/20")
    p, n = 47 / 348, 348
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    assert (share.lower, share.upper) == pytest.approx((centre - half, centre + half), rel=1e-9)
    assert real.figure("ced_discharge_share_change").method == Methods.SHARE_CHANGE
    assert real.summary_only_forces == ("norfolk", "suffolk", "warwickshire", "west-mercia")
    assert "Norfolk, Suffolk, Warwickshire and West Mercia" in wu.summary_only_sentence(real)


def test_durham_black_white_tactics_ratio_has_a_widened_interval(real):
    """Table 16, Durham 2019/20: 140 tactics used (Black), 9,721 (White), 10,084 in all, in
    8,000 incidents; Census 2021: 2,441 Black and 607,196 White residents. The design effect
    is r + f(1 - f)/r for r = 10,084/8,000 tactics per incident, f its fractional part; the
    interval is the Katz log interval with its variance multiplied by it."""
    r = 10_084 / 8000
    f = r - math.floor(r)
    deff = r + f * (1 - f) / r
    assert real.design_effect == pytest.approx(deff, rel=1e-12)
    assert real.design_effect == pytest.approx(1.4133, abs=1e-4)
    fig = real.figure("use_of_force_tactics_ratio_vs_white", "Black")
    ratio = (140 / 2441) / (9721 / 607_196)
    plain = Z * math.sqrt(1 / 140 + 1 / 9721)
    widened = plain * math.sqrt(deff)
    assert fig.estimate == pytest.approx(ratio, rel=1e-12)
    assert (fig.lower, fig.upper) == pytest.approx(
        (ratio * math.exp(-widened), ratio * math.exp(widened)), rel=1e-9
    )
    # wider than the Poisson interval by the stated factor, sqrt(design effect), on the log scale
    factor = math.log(fig.upper / fig.lower) / (2 * plain)
    assert factor == pytest.approx(math.sqrt(deff), rel=1e-9)
    assert fig.method == Methods.TACTICS_RATIO and fig.flagged("design_effect")
    assert "design effect 1.41" in method_text(fig)
    methods = wu.use_of_force_methods(real)
    assert "design effect 1.41" in methods and "1.19 times as wide" in methods
    sentence = wu.tactics_ratio_sentence(real, "Black")
    assert "tactics per 1,000 Black residents" in sentence and "people" not in sentence


def test_england_and_wales_incidents(real):
    total = real.figure("use_of_force_incidents_england_and_wales")
    assert total.estimate == 491_984
    black = real.figure("use_of_force_incidents_england_and_wales", "Black")
    assert black.estimate == 80_394  # Table 4, as published


def test_the_inspectorates_figures_beside_ours_say_which_year(real):
    """9,208 = 14.6 per 1,000 (+10.8%): 9,208 / 14.6 is about 630,700 (Census-like), and
    9,208 / 1.108 about 8,310, not 2019/20's 8,000: theirs is 2021/22."""
    result = real
    p = result.published
    assert p.year == "2021/22" and p.our_year == "2019/20" and not p.same_year
    assert p.implied_population == pytest.approx(9208 / 14.6 * 1000)
    assert round(p.implied_population, -2) == 630_700
    assert p.residents_consistent  # 629,863 within 9,208/14.65 to 9,208/14.55 thousand
    assert p.implied_previous == pytest.approx(9208 / 1.108)
    assert round(p.implied_previous, -1) == 8310
    assert p.matches_previous is None and p.matches_year is None
    words = " ".join(wu.beside_sentences(result))
    assert "about 630,700" in words and "about 8,310" in words
    assert "not the 8,000 published for 2019/20" in words
    assert "cannot be compared directly" in words and "2021/22" in words
    published = {f.measure: f for f in result.figures if f.measure.startswith("published_")}
    assert published["published_use_of_force_incidents"].estimate == 9208
    assert published["published_use_of_force_rate"].estimate == 14.6
    assert published["published_use_of_force_change"].estimate == 10.8


# ----------------------------------------------------------------------------- recording change


def _tables(incidents: dict, years=("2017/18", "2018/19")) -> UseOfForceTables:
    """A small data set: incidents by force and year as published, nothing else."""
    rows = [
        [force, year, n, year, "Table_12"]
        for force, by_year in incidents.items()
        for year, n in zip(years, by_year, strict=True)
    ]
    frame = pd.DataFrame(rows, columns=INCIDENT_COLUMNS)
    frame["incidents"] = frame["incidents"].astype("Int64")

    def empty(columns):
        return pd.DataFrame(columns=columns)

    return UseOfForceTables(
        incidents=frame,
        ced=empty(CED_COLUMNS),
        tactics_by_ethnicity=empty(TACTIC_COLUMNS),
        national_incidents_by_ethnicity=empty(NATIONAL_GROUP_COLUMNS),
        england_and_wales=empty(NATIONAL_COLUMNS),
        editions=empty(EDITION_COLUMNS),
        notes=[],
    )


# published: Metropolitan 61,016 -> 129,729 (+112.6%); Gwent 408 -> 6,330; Durham 5,594 ->
# 6,850; Cleveland 6,315 -> 7,011 (a usual rise)
PUBLISHED = {
    "metropolitan": (61_016, 129_729),
    "gwent": (408, 6330),
    "durham": (5594, 6850),
    "cleveland": (6315, 7011),
}


@pytest.mark.parametrize("force", ["metropolitan", "gwent"])
def test_a_jump_is_flagged_as_a_change_in_recording_not_a_significant_increase(force):
    data = uof.UseOfForceData(_tables(PUBLISHED), load_populations("default"), None)
    result = uof.build(data, validate(force, "2019Q1"))  # 2018/19 ends by March 2019
    assert (result.year, result.previous_year) == ("2018/19", "2017/18")
    before, after = PUBLISHED[force]
    change = result.figure("use_of_force_change")
    assert change.estimate == pytest.approx((after / before - 1) * 100, rel=1e-12)
    if force == "metropolitan":
        assert round(change.estimate, 1) == 112.6
    assert change.flagged("recording_change") and result.recording.flagged
    assert change.significant is None and change.direction is None  # no verdict
    assert change.lower > 0  # the interval alone would call it significant
    words = wu.change_sentence(result)
    assert "more likely due to a change in how use of force was recorded" in words
    assert "a statistically significant increase" not in words
    summary = " ".join(wu.summary_sentences(result))
    assert "change in recording" in summary and "statistically significant increase" not in summary
    questions = wu.panel_questions(result)
    assert any("change how it records use of force" in q for q in questions)
    assert not any("What explains the rise in use of force incidents" in q for q in questions)


@pytest.mark.parametrize("force", ["durham", "cleveland"])
def test_a_usual_rise_gets_its_verdict(force):
    data = uof.UseOfForceData(_tables(PUBLISHED), load_populations("default"), None)
    result = uof.build(data, validate(force, "2019Q1"))
    change = result.figure("use_of_force_change")
    assert not change.flagged("recording_change")
    assert change.significant and change.direction == "increase"
    assert "a statistically significant increase" in wu.change_sentence(result)


def test_a_halving_is_flagged_too():
    data = uof.UseOfForceData(
        _tables({"durham": (6850, 3000), "cleveland": (6315, 7011), "gwent": (5000, 5100)}),
        load_populations("default"),
        None,
    )
    result = uof.build(data, validate("durham", "2019Q1"))
    assert result.recording.flagged and result.recording.ratio == pytest.approx(3000 / 6850)


# ----------------------------------------------------------------------------- the year, status


def test_the_year_is_the_latest_ending_by_the_report_period():
    years = ["2017/18", "2018/19", "2019/20"]
    assert uof.choose_year(years, "2021-09") == "2019/20"
    assert uof.choose_year(years, "2020-03") == "2019/20"
    assert uof.choose_year(years, "2019-12") == "2018/19"
    assert uof.choose_year(years, "2018-02") is None


def test_no_tables_no_year_and_no_figures_are_statuses_not_errors():
    populations = load_populations("default")
    none = uof.build(uof.UseOfForceData(None, populations), validate("durham", "2021Q3"))
    assert none.status == "no_tables" and none.figures == ()
    data = uof.UseOfForceData(_tables(PUBLISHED), populations)
    early = uof.build(data, validate("durham", "2017Q4"))  # 2017/18 ends in March 2018
    assert early.status == "no_year"
    btp = uof.build(data, validate("btp", "2019Q1"))
    assert btp.status == "no_data"
    for result in (none, early, btp):
        assert wu.summary_sentences(result) == [] and wu.panel_questions(result) == []
        assert wu.use_of_force_findings(result)[0][1]  # says why, in words


@pytest.mark.parametrize(
    "tactics, incidents, expected",
    [(8000, 8000, 1.0), (7000, 8000, 1.0), (12_000, 8000, 1.5 + 0.25 / 1.5), (16_000, 8000, 2.0)],
)
def test_design_effect_by_hand(tactics, incidents, expected):
    assert uof.design_effect(tactics, incidents)[1] == pytest.approx(expected)
    assert uof.design_effect(0, 8000) == (None, None)


def test_words_never_call_tactics_or_incidents_people(real):
    sentences = [s for _, group in wu.use_of_force_findings(real) for s in group]
    sentences += wu.summary_sentences(real) + wu.panel_questions(real)
    counted = [
        s
        for s in sentences
        if ("tactics" in s or "incidents" in s) and "people" in s and "not incidents or people"
        not in s and "people in several incidents" not in s and "people policed" not in s
        and "the people it polices" not in s
    ]  # fmt: skip
    assert counted == []
    assert len(wu.summary_sentences(real)) <= 2
    for sentence in wu.summary_sentences(real):
        assert "2019/20" in sentence and "confidence interval" in sentence
    assert "Census 2021" in wu.summary_sentences(real)[0]


def test_every_interval_shown_has_unequal_ends(real):
    from peelstats.report.wording import use_of_force_tables as wt

    frames = [wt.incidents_table(real), wt.ced_table(real), wt.tactics_table(real),
              wt.national_table(real), wt.beside_table(real)]  # fmt: skip
    cells = [str(v) for frame in frames for v in frame.to_numpy().ravel()]
    sentences = [s for _, group in wu.use_of_force_findings(real) for s in group]
    import re

    for text in cells + sentences:
        for a, b in re.findall(r"([-+]?[\d,]+(?:\.\d+)?)%? to ([-+]?[\d,]+(?:\.\d+)?)", text):
            assert a != b, text
    assert np.isfinite(real.design_effect)
