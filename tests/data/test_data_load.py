"""Loaders: the committed default data and processed data have the documented shape."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from peelstats.data import load_coverage, load_crime_outcomes, load_populations, load_searches
from peelstats.errors import InputFileError, ParameterError
from peelstats.run.cli import cli

SEARCH_COLUMNS = [
    "force",
    "month",
    "ethnicity_self",
    "ethnicity_officer",
    "outcome_class",
    "linked_find",
    "linked_recorded",
    "object_of_search",
    "legislation_group",
    "searches",
]
ETHNICITY = {"Asian", "Black", "Mixed", "White", "Other", "Unknown"}


def test_default_searches():
    df = load_searches()
    assert list(df.columns) == SEARCH_COLUMNS
    assert str(df["searches"].dtype) == "int64" and df["linked_find"].dtype == bool
    assert df["linked_recorded"].dtype == bool
    assert not (df["linked_find"] & ~df["linked_recorded"]).any()  # a find needs linked = True
    assert set(df["ethnicity_self"]) <= ETHNICITY and set(df["ethnicity_officer"]) <= ETHNICITY
    assert set(df["outcome_class"]) <= {"arrest", "other_action", "no_further_action", "unknown"}
    assert df["month"].str.fullmatch(r"\d{4}-\d{2}").all()
    assert not df.duplicated(SEARCH_COLUMNS[:-1]).any()
    # Durham figures from the source README
    durham = df[df["force"] == "durham"]
    assert durham.loc[durham["month"].str.startswith("2019"), "searches"].sum() == 2171
    assert durham.loc[durham["month"].str.startswith("2020"), "searches"].sum() == 2410


def test_default_coverage_matches_searches():
    cov = load_coverage()
    searches = load_searches()
    assert cov["records_after_repair"].sum() == searches["searches"].sum()
    assert cov.loc[cov["missing"], ["force", "month"]].values.tolist()[0] == ["cumbria", "2021-04"]
    assert cov["file_present"].dtype == bool
    # blank_linked_share is the share of searches with linked_recorded False, force x month
    blank = searches.loc[~searches["linked_recorded"]].groupby(["force", "month"])["searches"]
    present = cov[cov["records_after_repair"] > 0].set_index(["force", "month"])
    expected = blank.sum().reindex(present.index, fill_value=0) / present["records_after_repair"]
    assert present["blank_linked_share"].to_numpy() == pytest.approx(expected.to_numpy(), abs=1e-6)
    # police.uk leaves the field blank in every humberside record: its finds are unknown
    assert (cov.loc[cov["force"] == "humberside", "blank_linked_share"] == 1).all()


def test_default_populations():
    pops = load_populations()
    assert list(pops.columns) == ["pfa_code", "force", "force_name", "group", "population"]
    assert set(pops["group"]) == {"Asian", "Black", "Mixed", "White", "Other", "all"}
    assert pops["force"].nunique() == 43


def test_default_crime_outcomes():
    out = load_crime_outcomes()
    assert out["victim_based"].dtype == bool
    assert str(out["offences"].dtype) == "int64"


def test_processed_source(archive, data_dir):
    assert CliRunner().invoke(cli, ["prepare", "-q", "--archive", str(archive)]).exit_code == 0
    df = load_searches("processed")
    assert list(df.columns) == SEARCH_COLUMNS
    assert df["searches"].sum() == 6
    assert df["linked_recorded"].dtype == bool and df["linked_recorded"].all()
    cov = load_coverage(data_dir / "processed")
    assert cov["records"].sum() == 6
    # every fixture record says linked = False; the missing cleveland month has no share
    assert cov["blank_linked_share"].isna().tolist() == cov["missing"].tolist()
    assert (cov["blank_linked_share"].dropna() == 0).all()


def test_missing_table_names_file_and_command(data_dir):
    with pytest.raises(InputFileError, match="populations.parquet.*peelstats prepare"):
        load_populations("processed")


def test_a_folder_of_csv_tables_missing_one_names_both_forms(tmp_path):
    """A copy of data/default given as --data with a table removed: the message names the
    CSV it also looked for, not only the parquet file of a prepared folder."""
    import shutil

    from peelstats.config import paths

    folder = tmp_path / "copy"
    shutil.copytree(paths().default, folder)
    (folder / "populations.csv").unlink()
    with pytest.raises(InputFileError) as info:
        load_populations(folder)
    assert "populations.parquet: the populations table is missing (nor is populations.csv" in (
        str(info.value)
    )


def test_unknown_source():
    with pytest.raises(ParameterError, match="default"):
        load_searches("latest")


def test_path_source_reads_default_csvs():
    from peelstats.config import paths

    a = load_populations(paths().default)
    b = load_populations("default")
    assert a.equals(b)


def test_default_tables_are_gzipped_deterministically(tmp_path):
    """searches and crime outcomes are gzip-compressed CSV with no file name and no time in the
    header: writing the same table twice gives the same bytes, and it reads back unchanged."""
    import gzip
    import time

    import pandas as pd

    from peelstats.config import paths
    from peelstats.data.prepare import write_csv
    from peelstats.data.tables import DEFAULT_FILES

    assert DEFAULT_FILES["searches"] == "searches.csv.gz"
    assert DEFAULT_FILES["crime_outcomes"] == "crime_outcomes.csv.gz"
    for name in ("searches.csv.gz", "crime_outcomes.csv.gz"):
        head = (paths().default / name).read_bytes()[:10]
        assert head[:3] == b"\x1f\x8b\x08" and head[3] == 0, name  # deflate, no file name
        assert head[4:8] == bytes(4), name  # mtime 0
    df = load_searches().head(500)
    write_csv(df, tmp_path / "a.csv.gz")
    time.sleep(1.1)
    write_csv(df, tmp_path / "b.csv.gz")
    assert (tmp_path / "a.csv.gz").read_bytes() == (tmp_path / "b.csv.gz").read_bytes()
    write_csv(df, tmp_path / "plain.csv")
    with gzip.open(tmp_path / "a.csv.gz", "rb") as fh:
        assert fh.read() == (tmp_path / "plain.csv").read_bytes()
    folder = tmp_path / "folder"
    folder.mkdir()
    write_csv(df, folder / "searches.csv.gz")
    pd.testing.assert_frame_equal(load_searches(folder), df)


def test_plain_csv_default_tables_still_load(tmp_path):
    """A folder of default data written before the large tables were gzipped still loads."""
    from peelstats.config import paths
    from peelstats.data.prepare import write_csv

    df = load_crime_outcomes()
    write_csv(df, tmp_path / "crime_outcomes.csv")
    assert load_crime_outcomes(tmp_path).equals(df)
    assert load_crime_outcomes(paths().default).equals(df)


def test_a_process_reads_each_table_once_however_its_folder_is_spelled():
    """A batch worker reads every table of a report for each force: the tables stay cached
    whichever way the folder is given (a text path or a Path), all of them at once. Before,
    the two spellings were two cache entries and the cache held fewer than a report reads, so
    every force read about 18 tables again (half of a job's time on the national archive)."""
    from peelstats.config import paths
    from peelstats.data.load import _load
    from peelstats.data.tables import DEFAULT_FILES

    folder = paths().default
    first = {table: _load(table, folder) for table in DEFAULT_FILES}
    again = [t for t in DEFAULT_FILES if _load(t, str(folder)) is not first[t]]
    again += [t for t in DEFAULT_FILES if _load(t, folder) is not first[t]]
    assert again == []
