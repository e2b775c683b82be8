"""Every sentence the wording module can produce claims exactly what its result shows.

Results are generated at random (hypothesis) over what can vary: the interval, whether it
excludes no difference, the direction, the months the data covers, the confidence level, the
comparability of two audits. Each sentence is then held to its numbers: significance claimed
exactly when the result is significant, the right direction, the months named when some are
missing, the run's confidence label, no verdict on audits that cannot be compared, no raw
"nan", "-0.0" or unattributed "+/-".
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from peelstats.analysis.audits import AuditChange, AuditFigure
from peelstats.analysis.funnels import Funnel, funnel_levels
from peelstats.analysis.results import Figure
from peelstats.analysis.stop_search import Trend
from peelstats.report import wording as w
from peelstats.vocabulary import Coverage, parse_period

PERIOD = parse_period("2021Q3")
LEVELS = st.sampled_from([0.8, 0.9, 0.95, 0.99, 0.995, 0.999])


def clean(text: str) -> None:
    """No raw leaks in any sentence."""
    assert "nan" not in text.lower().replace("financial", "").replace("nance", "")
    assert not re.search(r"(?<![\d.])-0\.0+(?!\d*[1-9])\b", text), text
    assert "+nan" not in text and not re.search(r"\binf\b", text)
    for match in re.finditer(r"\+/-", text):
        before = text[: match.start()]
        sentence = before[before.rfind(". ") + 1 :]
        assert "its" in sentence or "inspectorate" in sentence, text


@st.composite
def coverages(draw, months=PERIOD.months):
    present = draw(st.lists(st.sampled_from(months), min_size=1, unique=True))
    return Coverage(tuple(months), tuple(m for m in months if m in present))


@st.composite
def intervals(draw, low, high, null):
    a = draw(st.floats(low, high, allow_nan=False))
    b = draw(st.floats(low, high, allow_nan=False))
    lo, hi = sorted((a, b))
    est = draw(st.floats(lo, hi, allow_nan=False))
    significant = lo > null or hi < null
    direction = ("increase" if lo > null else "decrease") if significant else "none"
    return est, lo, hi, significant, direction


@given(intervals(-60, 60, 0.0), LEVELS, coverages())
def test_change_sentence(interval, level, coverage):
    est, lo, hi, significant, direction = interval
    fig = Figure(
        "searches_change_vs_previous_year_percent", "all", est, lo, hi, confidence=level,
        coverage=coverage, significant=significant, direction=direction,
    )  # fmt: skip
    text = w.change_sentence(fig, PERIOD.label)
    clean(text)
    assert f"{w.conf(level)} confidence interval" in text
    assert ("not a statistically significant change" in text) == (not significant)
    if significant:
        word = "increase" if direction == "increase" else "reduction"
        assert f"a statistically significant {word}" in text
    if not coverage.complete:
        assert f"Over the {len(coverage.present)} month" in text
        assert "with data in both years" in text
    else:
        assert "with data in both years" not in text


@st.composite
def ratio_results(draw):
    est, lo, hi, significant, direction = draw(intervals(0.05, 20, 1.0))
    level = draw(LEVELS)
    coverage = draw(coverages())
    definition = draw(st.sampled_from(["self", "officer"]))
    small = draw(st.booleans())
    fig = Figure(
        "search_rate_ratio_vs_white", draw(st.sampled_from(["Black", "Asian", "Mixed", "Other"])),
        est, lo, hi, numerator=draw(st.integers(1, 5000)), confidence=level,
        flags=("small_numbers",) if small else (), coverage=coverage, significant=significant,
        direction=direction,
    )  # fmt: skip
    return fig, SimpleNamespace(period=PERIOD.label, definition=definition, coverage=coverage)


@given(ratio_results())
def test_ratio_sentence(case):
    fig, r = case
    text = w.ratio_sentence(fig, r)
    clean(text)
    assert f"{w.conf(fig.confidence)} confidence interval" in text
    assert w.definition_words(r.definition) in text
    assert ("not statistically significant" in text) == (not fig.significant)
    if fig.significant:
        assert ("significantly less likely" in text) == (fig.direction == "decrease")
    if fig.coverage.complete:
        assert "the year ending 30 September 2021" in text
        assert "no file" not in text
    else:
        assert f"the {len(fig.coverage.present)} month" in text
        assert "the data has no file for" in text
    assert "numbers are small" not in text  # said once for every small group, not each time
    lo, hi = (
        float(v) for v in re.search(r"confidence interval ([\d.]+) to ([\d.]+)", text).groups()
    )
    if round(fig.lower, 10) != round(fig.upper, 10):  # distinct ends print distinctly
        assert lo != hi
    if fig.lower < 1 < fig.upper or fig.lower > 1 or fig.upper < 1:
        assert (lo > 1 or hi < 1) == bool(fig.significant)  # the printed interval agrees


def test_ratio_with_no_searches_of_the_group_gives_no_ratio():
    fig = Figure("search_rate_ratio_vs_white", "Black", 0.0, 0.0, 0.3, numerator=0,
                 confidence=0.95, coverage=Coverage(PERIOD.months, PERIOD.months))  # fmt: skip
    r = SimpleNamespace(period=PERIOD.label, definition="self", coverage=fig.coverage)
    text = w.ratio_sentence(fig, r)
    assert "no ratio can be given" in text and "times" not in text


@given(coverages(), st.integers(1, 100_000))
def test_searches_sentence_names_the_months_it_covers(coverage, n):
    r = SimpleNamespace(
        period=PERIOD.label, coverage=coverage, force_name="Durham",
        figure=lambda m, g="all": Figure("searches", "all", float(n), coverage=coverage),
    )  # fmt: skip
    text = w.searches_sentence(r)
    clean(text)
    assert w.whole(n) in text
    if coverage.complete:
        assert text.startswith("In the year ending 30 September 2021, Durham carried out")
    else:
        k = len(coverage.present)
        assert f"In the {k} month" in text and "the data has no file for" in text
        assert w.months_words(coverage.missing) in text
        assert "police.uk published" not in text


@given(
    st.floats(0, 1), st.floats(0, 1), intervals(-1, 1, 0.0), LEVELS,
    st.booleans(), st.sampled_from(["linked find rate", "arrest rate"]),
)  # fmt: skip
def test_group_difference_sentence(a, b, diff, level, small, what):
    est, lo, hi, significant, direction = diff
    rate = Figure("linked_find_rate", "Black", a)
    white = Figure("linked_find_rate", "White", b)
    d = Figure("linked_find_rate_difference_vs_white", "Black", est, lo, hi, confidence=level,
               flags=("small_numbers",) if small else (), significant=significant,
               direction=direction)  # fmt: skip
    text = w.group_difference_sentence(rate, white, d, what)
    clean(text)
    assert f"{w.conf(level)} confidence interval" in text
    assert ("not a statistically significant difference" in text) == (not significant)
    mine, theirs = re.findall(r"was (.+?) percent against (.+?) percent", text)[0]
    if abs(a - b) * 100 >= 0.001:
        assert mine != theirs  # two different rates never print the same


@given(intervals(-20, 20, 0.0), st.booleans(), st.sampled_from(["increase", "decrease", "none"]),
       LEVELS, coverages([*PERIOD.previous_months, *PERIOD.months]))  # fmt: skip
def test_trend_sentence(interval, mk_significant, mk_direction, level, coverage):
    est, lo, hi, significant, direction = interval
    trend = Trend(coverage, est, lo, hi, 0.01 if significant else 0.5, significant, direction,
                  2.0, level, 0.01, mk_significant, mk_direction)  # fmt: skip
    text = w.trend_sentence(trend, PERIOD.label)
    clean(text)
    assert f"{w.conf(level)} confidence interval" in text
    assert ("no statistically significant trend" in text) == (not significant)
    if not coverage.complete:
        assert f"Over the {len(coverage.present)} months with data" in text
        assert "the data has no file for" in text


@given(
    st.sampled_from(["above", "below", "within"]), st.booleans(), LEVELS,
    st.floats(0.001, 50), st.floats(0.001, 50),
    st.sampled_from(["search_rate_per_1000", "linked_find_rate"]),
)  # fmt: skip
def test_funnel_sentence_gives_one_judgement(side, outer, level, value, target, measure):
    """The limits named are the funnel's own: the run's level inside, 99.8% outside."""
    if measure == "linked_find_rate":
        value, target = value / 50, target / 50
    levels = funnel_levels(level)
    crossed = levels[-1] if outer else levels[0]
    position = "within" if side == "within" else f"{side}_{crossed:g}"
    funnel = Funnel(measure, 14, (), target, value, position, None, "additive", None, 0.1,
                    levels, None, None)  # fmt: skip
    text = w.funnel_sentence(funnel, "Durham", "forces with a complete year of data")
    clean(text)
    assert (f"within the {w.conf(levels[0])} control limits" in text) == (side == "within")
    if side != "within":
        assert f"{side} the {w.conf(crossed)} control limit" in text
        assert ("worth a closer look" in text) == (crossed < levels[-1])
    if level != 0.95:
        assert "95%" not in text  # the run's level, not the default
    assert "statistically significant" not in text  # the funnel's judgement only


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["search_rate_per_1000", "linked_find_rate", "black_white_ratio"]),
    st.one_of(st.just(0.0), st.floats(0.01, 0.5)), st.floats(0.01, 0.9), st.floats(0.5, 1.5),
    st.floats(1.0, 2.0), st.integers(3, 45), LEVELS,
)  # fmt: skip
def test_funnel_reach_sentence_holds_to_its_numbers(measure, tau, target, lo_f, hi_f, units, level):
    """The spread's words agree with its own printed numbers (a factor is the printed high end
    over the printed low end; percentage points their difference); forces are whole; the limits
    at the force's size are the result's."""
    scale = "sqrt" if measure == "linked_find_rate" else "log"
    kind = "proportion" if measure == "linked_find_rate" else "rate"
    if measure == "search_rate_per_1000":
        target *= 20
    low, high = target * lo_f / 1.6, target * hi_f * 1.2
    spread = (target / 1.3, target * 1.3) if tau > 0 else (None, None)
    funnel = Funnel(
        measure, units, (), target, target, "within", None, "additive", 1.0, tau**2,
        funnel_levels(level), None, None, kind=kind, scale=scale, spread_low=spread[0],
        spread_high=spread[1], limit_low=low, limit_high=high,
        expected_outside=units * 0.05,
    )  # fmt: skip
    text = w.funnel_reach_sentence(funnel, "Durham")
    clean(text)
    assert ("a factor of" in text) == (kind == "rate" and tau > 0)
    if tau > 0:
        lo, hi = (float(v.replace(",", "")) for v in
                  re.search(r"lie between ([\d,.]+)(?: per 1,000 residents| percent)? and "
                            r"([\d,.]+)", text).groups())  # fmt: skip
        if kind == "rate":
            factor = float(re.search(r"a factor of ([\d.]+)", text).group(1))
            assert abs(factor - hi / lo) <= 0.05 + 1e-9
        else:
            apart = float(re.search(r"\(([\d.]+) percentage points apart", text).group(1))
            assert abs(apart - (hi - lo)) < 1e-6 + 0.05
    assert ("Beyond chance" in text) == (tau > 0)
    assert not re.search(r"about \d+\.\d+ (would|of them)", text)  # whole forces
    k = int(units * 0.05 + 0.5)
    said = "seldom put any of them" if k == 0 else f"about {w.number_words(k)} of them outside"
    assert said in text
    assert f"the {w.conf(level)} limits run from" in text
    numbers = [float(v.replace(",", "")) for v in re.findall(r"([\d,]+\.\d+)", text)]
    scale_pct = 100 if measure == "linked_find_rate" else 1
    for bound in (low, high):
        # printed to at least one decimal: within half a unit of the first decimal
        assert any(abs(v - bound * scale_pct) <= 0.0501 for v in numbers), (bound, text)


def test_a_force_off_the_funnel_gets_no_reach_sentence():
    funnel = Funnel("black_white_ratio", 14, ("x",), None, None, None, "no_population",
                    "additive", None, None, (0.95, 0.998), None, None, kind="ratio")  # fmt: skip
    assert w.funnel_reach_sentence(funnel, "Durham") is None
    text = w.funnel_sentence(funnel, "Durham", "forces")
    assert "not placed on the funnel plot" in text and "no Black residents" in text


def _subject(**kw):
    base = dict(
        label="2022 records", group="all", audit="PEEL", published="2023-11",
        records_from="2022-01", records_to="2022-12", successes=196, n=254,
        published_percent=77.2, published_margin=5.0, implied_n=None, estimate=196 / 254,
        lower=0.716, upper=0.819, confidence=0.95, as_published=False, small_numbers=False,
        sampled_from=None, sampled_from_note="", fpc_lower=None, fpc_upper=None,
        sample_note="", source="HMICFRS",
    )  # fmt: skip
    base.update(kw)
    return AuditFigure(**base)


@given(
    st.sampled_from(["yes", "no", ""]), intervals(-0.5, 0.5, 0.0), LEVELS,
    st.sampled_from(["counts", "implied", "unknown"]), st.text(min_size=0, max_size=40),
)  # fmt: skip
def test_audit_change_sentence(comparable, diff, level, earlier_n, note):
    est, lo, hi, significant, direction = diff
    verdict = {"increase": "improvement", "decrease": "deterioration"}.get(direction, "no_change")
    earlier = _subject(label="2020 records", records_from="2020-01", records_to="2020-12",
                       successes=None, n=None, published_percent=89.5, published_margin=5.3,
                       implied_n=128.5, estimate=0.895, as_published=True)  # fmt: skip
    tested = comparable == "yes" and earlier_n != "unknown"
    change = AuditChange(
        "all records", earlier, _subject(confidence=level), comparable, note, tested, earlier_n,
        est if tested else None, lo if tested else None, hi if tested else None,
        0.01 if tested else None, significant if tested else None,
        direction if tested else None, verdict if tested else None, level, None,
    )  # fmt: skip
    text = w.audit_change_sentence(change)
    clean(text)
    if comparable == "no":
        assert "cannot be compared" in text and "statistically significant" not in text
        if note.strip():
            assert "In the inspectorate's words" in text
    elif comparable == "":
        assert "does not say" in text and "statistically significant" not in text
    elif not tested:
        assert "cannot be tested" in text and "is a statistically significant" not in text
    else:
        assert f"{w.conf(level)} confidence interval" in text
        assert ("not a statistically significant change" in text) == (not significant)
        if significant:
            assert f"a statistically significant {verdict}" in text
        if earlier_n == "implied":
            assert "was not published" in text and "implies" in text


@given(st.floats(50, 99.9), st.floats(0.5, 9), st.booleans())
def test_published_audit_figure_keeps_the_inspectorates_margin_as_theirs(pct, margin, weighted):
    s = _subject(successes=None, n=None, published_percent=round(pct, 1),
                 published_margin=round(margin, 1), implied_n=None if weighted else 300.0,
                 estimate=pct / 100, lower=None, upper=None, as_published=True,
                 sample_note="The audit's sample is weighted" if weighted else "",
                 weighted=weighted)  # fmt: skip
    text = w.audit_subject_sentence(s, "were recorded")
    clean(text)
    assert f"+/- {round(margin, 1):.1f} percentage points (the inspectorate's own figure" in text
    assert ("implies about 300 (an inference" in text) == (not weighted)
    assert ("no sample size can be inferred" in text) == weighted


@given(st.integers(1, 500), st.integers(0, 500), LEVELS)
def test_counted_audit_figure_gives_both_limits_never_plus_minus(n, x, level):
    x = min(x, n)
    s = _subject(successes=x, n=n, estimate=x / n, lower=max(0, x / n - 0.1),
                 upper=min(1, x / n + 0.05), confidence=level, published_percent=None,
                 published_margin=None)  # fmt: skip
    text = w.audit_subject_sentence(s, "had reasonable grounds recorded")
    clean(text)
    assert "+/-" not in text
    assert f"{w.conf(level)} confidence interval" in text


def test_a_counted_crime_audit_speaks_of_crimes_not_people():
    s = _subject(group="all crime (excluding fraud)", successes=380, n=400, estimate=0.95,
                 lower=0.924, upper=0.967, published_percent=None, published_margin=None,
                 records_from="", records_to="")  # fmt: skip
    text = w.audit_subject_sentence(s, "were recorded", unit="crimes")
    clean(text)
    assert text.startswith("The inspectorate reviewed 400 crimes (all crime (excluding fraud))")
    assert "people" not in text and "380 of them" in text


@settings(max_examples=200)
@given(st.floats(-1e6, 1e6, allow_nan=False), st.integers(0, 4))
def test_numbers_never_print_minus_zero(x, digits):
    assert not re.fullmatch(r"-0\.?0*", w.fixed(x, digits).replace(",", ""))
    assert w.signed(x, digits) not in ("-0.0", "+0.0", "-0", "+0")


@given(st.floats(1e-9, 0.001), st.floats(1e-9, 0.001))
def test_small_shares_never_print_as_zero_or_the_same_when_different(a, b):
    mine, theirs = w.pct_pair(a, b)
    assert not re.fullmatch(r"0\.0+ percent", mine)
    if abs(a - b) * 100 >= 0.001:
        assert mine != theirs


def test_missing_numbers_are_refused_not_written():
    import pytest

    with pytest.raises(w.WordingError):
        w.fixed(float("nan"))
    with pytest.raises(w.WordingError):
        w.fixed(None)


def test_glossary_speaks_of_the_runs_confidence_level():
    entries = dict(w.glossary("", 0.99))
    assert "99% confidence interval" in entries["confidence interval"]
    assert "95%" not in entries["confidence interval"]


def _default_results(force):
    from peelstats.analysis.params import validate
    from peelstats.report import sections

    p = validate(force, "2021Q3", "self", 0.95, "svg", "default")
    names = ("stop_search", "reasonable_grounds", "crime_data_integrity", "published_figures")
    return {name: sections.compute(name, p) for name in names}


def test_summary_has_at_most_six_short_paragraphs():
    """At most six paragraphs, each our figure and (where published) the inspectorate's: at
    most two sentences, no method names."""
    for force in ("durham", "west-midlands", "humberside", "north-yorkshire"):
        sentences = w.summary(_default_results(force))
        assert 1 <= len(sentences) <= 6
        for s in sentences:
            clean(s)
            assert len(re.findall(r"\.\s+[A-Z]", s.rstrip("."))) <= 1, s
            for method in ("Wilson", "Newcombe", "quasi-Poisson", "phi", "Garwood", "Poisson"):
                assert method not in s


def test_every_result_type_is_frozen():
    """A result read by the wording cannot be changed on the way: assigning to a field of a
    figure raises, and every registered result type (found by importing every analysis module)
    is a frozen dataclass."""
    import dataclasses
    import importlib
    import pkgutil

    import peelstats.analysis as package
    from peelstats.analysis import results

    fig = Figure("searches", "all", 1.0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        fig.estimate = 2.0  # type: ignore[misc]
    for module in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        importlib.import_module(module.name)
    assert len(results._TYPES) >= 10
    thawed = [name for name, cls in results._TYPES.items() if not cls.__dataclass_params__.frozen]
    assert not thawed


NOTE_WORDS = ["small numbers", "months missing", "lower bound (linked field partly blank)",
              "not recorded", "part of the year only"]  # fmt: skip


@given(st.lists(st.lists(st.sampled_from(NOTE_WORDS), unique=True, max_size=3), max_size=9))
@settings(max_examples=200, deadline=None)
def test_a_note_every_row_shares_is_said_once_and_nothing_is_lost(rows):
    import pandas as pd

    from peelstats.report.wording.cells import lift_shared_notes

    frame = pd.DataFrame({"Group": [f"g{i}" for i in range(len(rows))],
                          "Notes": [", ".join(r) for r in rows]})  # fmt: skip
    out, line = lift_shared_notes(frame)
    if len(rows) < 3:
        assert out is frame and line == ""
        return
    common = set.intersection(*(set(r) for r in rows))
    said = (
        set(line.removeprefix("Every row above: ").removesuffix(".").split(", ")) if line else set()
    )
    assert said == common  # said once exactly when every row has it
    kept = out["Notes"] if "Notes" in out else pd.Series([""] * len(rows))
    for original, cell in zip(rows, kept, strict=True):
        left = {n for n in cell.split(", ") if n}
        assert left | said == set(original) and not (left & said)  # nothing lost or doubled
    assert "Notes" in out or not any(set(r) - common for r in rows)
