"""Audit analysis against the published HMICFRS PEEL Durham figures (November 2023) and hand
arithmetic; the committed audit tables are the inputs."""

import math

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import confint_proportions_2indep

from peelstats.analysis import audits
from peelstats.data.audits import audit_rows, audits_dir, read_audit_table
from peelstats.errors import InputFileError

Z = 1.959963984540054  # scipy.stats.norm.ppf(0.975)


@pytest.fixture(scope="module")
def reasonable_grounds():
    rows = audit_rows("reasonable_grounds.csv", "durham")
    return audits.reasonable_grounds_estimates(rows, "durham", "2021Q3")


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


def test_finite_population_correction_narrows_the_interval(reasonable_grounds):
    table, _ = reasonable_grounds
    plain = table[table.measure == "reasonable_grounds_rate"].iloc[0]
    fpc = table[table.measure == "reasonable_grounds_rate_fpc"].iloc[0]
    width, width_fpc = plain.upper - plain.lower, fpc.upper - fpc.lower
    # half-widths scale by sqrt((N - n) / (N - 1)) with N = 2,231 searches, n = 254
    assert width_fpc / width == pytest.approx(math.sqrt((2231 - 254) / 2230), rel=1e-6)


def test_2020_sample_size_implied_by_89_5_plus_minus_5_3(reasonable_grounds):
    _, facts = reasonable_grounds
    # n = z^2 p (1 - p) / h^2 = 3.8415 * 0.895 * 0.105 / 0.053^2 = 128.5 -> 129 (by hand)
    assert facts["before"].n == 129
    assert facts["before"].successes == round(0.895 * 129)


def test_deterioration_is_significant_under_every_plausible_2020_sample(reasonable_grounds):
    _, facts = reasonable_grounds
    assert facts["comparison"].verdict == "deterioration"  # HMICFRS
    start = facts["range"]["significant_from"]

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
    table, facts = audits.integrity_estimates(rows, "durham", "2021Q3")
    row = table[(table.measure == "crime_recording_rate") & table.group.str.startswith(category)]
    assert row.estimate.iloc[0] == pytest.approx(percent / 100)
    assert row.upper.iloc[0] - row.estimate.iloc[0] == pytest.approx(margin / 100)
    assert row.denominator.iloc[0] == n_by_hand
    fact = next(f for f in facts if f["category"] == category)
    assert fact["assumed"] and "assumed_sample_size" in table["flags"].str.cat()


@pytest.mark.parametrize(
    "column, value, message",
    [
        ("grounds_recorded", "-3", "not a count"),
        ("grounds_recorded", "2.5", "not a count"),
        ("grounds_recorded", "300", "exceeds records_reviewed"),
        ("records_reviewed", "0", "is 0"),
        ("published_percent", "120", "not a percentage"),
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


def test_implied_counts_are_whole_numbers():
    rows = audit_rows("crime_data_integrity.csv", "durham")
    _, facts = audits.integrity_estimates(rows, "durham", "2021Q3")
    for fact in facts:
        assert float(fact["before"].successes).is_integer()
        assert np.isfinite(fact["comparison"].pvalue)
