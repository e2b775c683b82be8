"""Audit analysis against the published HMICFRS PEEL Durham figures (November 2023) and hand
arithmetic; the committed audit tables are the inputs."""

import math

import pandas as pd
import pytest
from statsmodels.stats.proportion import confint_proportions_2indep

from peelstats.analysis import crime_data_integrity
from peelstats.analysis import reasonable_grounds as rg_module
from peelstats.analysis.inspection import InspectionData
from peelstats.analysis.params import validate
from peelstats.analysis.results import figures_frame
from peelstats.data.audits import audit_rows, audits_dir, read_audit_table
from peelstats.errors import InputFileError

Z = 1.959963984540054  # scipy.stats.norm.ppf(0.975)
PARAMS = validate("durham", "2021Q3", "self", 0.95, "svg", "default")


def _rg(rows) -> InspectionData:
    return InspectionData("durham", {"reasonable_grounds.csv": rows})


def _cdi(rows) -> InspectionData:
    return InspectionData("durham", {"crime_data_integrity.csv": rows})


def facts_and_table(result):
    return figures_frame(result.figures, "durham", "2021Q3"), result


@pytest.fixture(scope="module")
def reasonable_grounds():
    return facts_and_table(
        rg_module.build(_rg(audit_rows("reasonable_grounds.csv", "durham")), PARAMS)
    )


def test_2022_estimate_is_the_published_77_2_percent(reasonable_grounds):
    table, _ = reasonable_grounds
    row = table[(table.measure == "reasonable_grounds_rate") & (table.group == "2022 records")]
    assert round(row.estimate.iloc[0] * 100, 1) == 77.2  # HMICFRS: "77.2 percent"
    # Wilson interval written out by hand (Wilson 1927)
    p, n = 196 / 254, 254
    centre = (p + Z**2 / (2 * n)) / (1 + Z**2 / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2)) / (1 + Z**2 / n)
    assert row.lower.iloc[0] == pytest.approx(centre - half, abs=1e-9)
    assert row.upper.iloc[0] == pytest.approx(centre + half, abs=1e-9)


def test_finite_population_correction_narrows_the_interval():
    rows = audit_rows("reasonable_grounds.csv", "durham")
    rows.loc[0, "sampled_from"] = 2231
    result = rg_module.build(_rg(rows), PARAMS)
    table = figures_frame(result.figures, "durham", "2021Q3")
    plain = table[table.measure == "reasonable_grounds_rate"].iloc[0]
    fpc = table[table.measure == "reasonable_grounds_rate_fpc"].iloc[0]
    width, width_fpc = plain.upper - plain.lower, fpc.upper - fpc.lower
    # half-widths scale by sqrt((N - n) / (N - 1)) with N = 2,231 searches, n = 254
    assert width_fpc / width == pytest.approx(math.sqrt((2231 - 254) / 2230), rel=1e-6)


def test_2020_sample_size_implied_by_89_5_plus_minus_5_3(reasonable_grounds):
    _, result = reasonable_grounds
    change = result.changes[0]
    # n = z^2 p (1 - p) / h^2 = 3.8415 * 0.895 * 0.105 / 0.053^2 = 128.5 (by hand)
    assert change.earlier.implied_n == pytest.approx(Z**2 * 0.895 * 0.105 / 0.053**2)
    assert change.earlier.n is None and change.earlier_n == "implied"
    # the test uses 115 of 129 (round(0.895 * 129)): difference 196/254 - 115/129
    assert change.estimate == pytest.approx(196 / 254 - 115 / 129)


def test_deterioration_is_significant_under_every_plausible_2020_sample(reasonable_grounds):
    _, result = reasonable_grounds
    change = result.changes[0]
    assert change.comparable == "yes" and change.tested
    assert change.verdict == "deterioration"  # HMICFRS: "a statistically significant deterioration"
    start = change.significant_from

    # the boundary found independently with statsmodels' Newcombe interval
    def significant(n):
        low, high = confint_proportions_2indep(
            196, 254, round(0.895 * n), n, method="newcomb", compare="diff"
        )
        return high < 0 or low > 0

    assert significant(start) and not significant(start - 1)
    assert all(significant(n) for n in range(start, 2000, 37))
    assert start < 129  # the implied sample is well inside the significant range


def test_ethnic_minority_sample_of_14_is_flagged_small(reasonable_grounds):
    table, _ = reasonable_grounds
    row = table[table.group == "ethnic minority, 2022 records"].iloc[0]
    assert (row.numerator, row.denominator) == (11, 14)
    assert "small_numbers" in row["flags"]


@pytest.mark.parametrize(
    "category, percent, margin, n_by_hand",
    [
        # n = z^2 p (1 - p) / h^2, worked by hand from the published figures
        ("all crime (excluding fraud)", 96.2, 1.9, 389),
        ("sexual offences", 94.2, 4.0, 131),
        ("violent offences", 96.2, 3.2, 137),
    ],
)
def test_crime_data_integrity_keeps_published_figures(category, percent, margin, n_by_hand):
    rows = audit_rows("crime_data_integrity.csv", "durham")
    result = crime_data_integrity.build(_cdi(rows), PARAMS)
    table = figures_frame(result.figures, "durham", "2021Q3")
    row = table[(table.measure == "crime_recording_rate") & table.group.str.startswith(category)]
    assert row.estimate.iloc[0] == pytest.approx(percent / 100)
    assert row.upper.iloc[0] - row.estimate.iloc[0] == pytest.approx(margin / 100)
    assert row.confidence.iloc[0] == 0.95  # the inspectorate's interval keeps its level
    assert pd.isna(row.denominator.iloc[0])  # an implied sample size is not a published count
    subject = next(s for s in result.subjects if s.group == category)
    # the audit's sample is weighted (its table says so): a margin implies no sample size
    assert subject.weighted and subject.implied_n is None
    assert "implied_sample_size" not in row["flags"].iloc[0]
    # were it a simple random sample, the margin would imply the size worked by hand
    simple = rows.assign(weighted_sample="", sample_note="")
    plain = crime_data_integrity.build(_cdi(simple), PARAMS)
    subject = next(s for s in plain.subjects if s.group == category)
    assert round(subject.implied_n) == n_by_hand


def test_crime_data_integrity_gives_no_verdict_the_inspectorate_ruled_out():
    """PEEL 2023-25 Durham: "we can no longer compare the findings from this audit to those
    from previous audits" (the Home Office Counting Rules changed)."""
    result = crime_data_integrity.build(
        _cdi(audit_rows("crime_data_integrity.csv", "durham")), PARAMS
    )
    assert len(result.changes) == 3
    for change in result.changes:
        assert change.comparable == "no" and not change.tested
        assert change.verdict is None and change.significant is None
        assert "can no longer compare" in change.comparability_note


def test_a_change_is_not_judged_when_the_table_does_not_say_the_audits_compare():
    rows = audit_rows("reasonable_grounds.csv", "durham")
    rows.loc[rows["records_from"] == "2022-01", "comparable_with_previous"] = ""
    change = rg_module.build(_rg(rows), PARAMS).changes[0]
    assert change.comparable == "" and not change.tested and change.verdict is None


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("grounds_recorded", "-3", "not a count"),
        ("grounds_recorded", "2.5", "not a count"),
        ("grounds_recorded", "300", "exceeds records_reviewed"),
        ("records_reviewed", "0", "is 0"),
        ("published_percent", "120", "not a percentage"),
        ("grounds_recorded", "1e19", "not a count"),
        ("published_margin", "0", "a margin of 0"),
        ("records_from", "2022-13", "not a month"),
        ("audit", " ", "blank"),
        ("source", "", "blank"),
        ("sampled_from", "10", "smaller than records_reviewed"),
        ("comparable_with_previous", "maybe", "not yes or no"),
        ("force", "../../x", "force"),
    ],
)
def test_bad_audit_values_name_file_row_and_column(tmp_path, column, value, message):
    source = pd.read_csv(audits_dir() / "reasonable_grounds.csv", dtype=str, keep_default_na=False)
    source.loc[0, column] = value
    source.to_csv(tmp_path / "reasonable_grounds.csv", index=False)
    with pytest.raises(InputFileError, match=message) as error:
        read_audit_table("reasonable_grounds.csv", tmp_path)
    text = str(error.value)
    assert "reasonable_grounds.csv" in text and "row 2" in text and column in text


def test_missing_audit_file_says_what_is_expected(tmp_path):
    with pytest.raises(InputFileError, match="expected a CSV with columns"):
        read_audit_table("crime_data_integrity.csv", tmp_path)


def test_a_row_with_neither_counts_nor_percent_is_refused(tmp_path):
    source = pd.read_csv(audits_dir() / "reasonable_grounds.csv", dtype=str, keep_default_na=False)
    source.loc[2, "published_percent"] = ""
    source.loc[2, "published_margin"] = ""
    source.to_csv(tmp_path / "reasonable_grounds.csv", index=False)
    with pytest.raises(InputFileError, match="row 4.*neither counts nor a published percent"):
        read_audit_table("reasonable_grounds.csv", tmp_path)


def test_an_empty_audit_file_is_refused(tmp_path):
    (tmp_path / "reasonable_grounds.csv").write_text("")
    with pytest.raises(InputFileError, match="the file is empty"):
        read_audit_table("reasonable_grounds.csv", tmp_path)
