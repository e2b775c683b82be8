"""Revised data: the manifest of a prepare and the revisions found by the next one."""

from __future__ import annotations

import gzip
import hashlib
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from datahelpers import row, write_month

from peelstats.data import load_manifest, load_revisions
from peelstats.data.prepare import aggregate_searches, provenance_text, read_archive, write_csv
from peelstats.data.revisions import (
    MANIFEST_COLUMNS,
    REVISIONS_COLUMNS,
    compare,
    manifest_from_default,
)
from peelstats.run.cli import cli

BLANK = ""
NFA = "A no further action disposal"


def run(*args: str):
    result = CliRunner().invoke(cli, ["prepare", "-q", *args])
    assert result.exit_code == 0, result.output
    return result


def raw_hashes(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def published(tmp_path) -> Path:
    """durham 2019-01 with two blank outcomes, durham 2019-02 and cleveland 2019-01."""
    root = tmp_path / "archive"
    write_month(root, "2019-01", "durham", [row(Outcome=BLANK), row(Outcome=BLANK), row()])
    write_month(root, "2019-02", "durham", [row(Date="2019-02-03T10:00:00+00:00")])
    write_month(root, "2019-01", "cleveland", [row(), row(), row(Outcome="Arrest")])
    return root


def revise_durham_january(root: Path) -> None:
    """police.uk fills in the two blank outcomes and adds one record."""
    write_month(
        root,
        "2019-01",
        "durham",
        [
            row(Outcome="Arrest"),
            row(Outcome="Arrest"),
            row(),
            row(Outcome="Community resolution", Gender="Female"),
        ],
    )


def test_first_prepare_writes_manifest_and_no_revisions(published, data_dir):
    result = run("--archive", str(published))
    out = data_dir / "processed"
    assert (out / "manifest.csv").is_file()
    assert not (out / "revisions.csv").exists()
    assert "revisions: nothing to compare with" in result.output
    manifest = load_manifest("processed")
    assert list(manifest.columns) == MANIFEST_COLUMNS
    assert manifest[["force", "month"]].values.tolist() == [
        ["cleveland", "2019-01"],
        ["durham", "2019-01"],
        ["durham", "2019-02"],
    ]
    durham = manifest.set_index(["force", "month"]).loc[("durham", "2019-01")]
    assert durham["file"] == "2019-01/2019-01-durham-stop-and-search.csv"
    assert durham["sha256"] == raw_hashes(published)[durham["file"]]
    assert durham["records"] == 3 and durham["blank_outcome"] == 2
    assert durham["searches_unknown"] == 2 and durham["searches_no_further_action"] == 1
    assert load_revisions("processed") is None


def test_revised_month_is_listed_with_counts_before_and_after(published, data_dir):
    run("--archive", str(published))
    revise_durham_january(published)
    raw_before = raw_hashes(published)

    result = run("--archive", str(published))

    assert raw_hashes(published) == raw_before
    revisions = load_revisions("processed")
    assert list(revisions.columns) == REVISIONS_COLUMNS
    assert len(revisions) == 1
    r = revisions.iloc[0]
    assert (r["force"], r["month"], r["change"]) == ("durham", "2019-01", "revised")
    assert (r["records_before"], r["records_after"]) == (3, 4)
    assert (r["blank_outcome_before"], r["blank_outcome_after"]) == (2, 0)
    changes = {c: r[f"{c}_change"] for c in ("arrest", "other_action", "no_further_action")}
    assert changes == {"arrest": 2, "other_action": 1, "no_further_action": 0}
    assert r["unknown_change"] == -2
    assert r["sha256_before"] != r["sha256_after"]
    assert r["sha256_after"] == raw_before["2019-01/2019-01-durham-stop-and-search.csv"]
    assert r["summary"] == (
        "2 outcomes filled in, 1 record added; arrest +2, other_action +1, unknown -2"
    )
    assert (
        "1 month revised since the last prepare: durham 2019-01 (2 outcomes filled in, "
        "1 record added; arrest +2, other_action +1, unknown -2)"
    ) in result.output

    # the tables themselves are rebuilt from the revised archive
    searches = pd.read_parquet(data_dir / "processed" / "searches.parquet")
    january = searches[(searches["force"] == "durham") & (searches["month"] == "2019-01")]
    assert january.groupby("outcome_class")["searches"].sum().to_dict() == {
        "arrest": 2,
        "no_further_action": 1,
        "other_action": 1,
    }
    coverage = pd.read_csv(data_dir / "processed" / "coverage.csv")
    assert coverage.set_index(["force", "month"]).loc[("durham", "2019-01"), "records"] == 4


def test_unchanged_rerun_lists_nothing(published, data_dir):
    run("--archive", str(published))
    result = run("--archive", str(published))
    revisions = load_revisions("processed")
    assert revisions is not None and revisions.empty
    assert list(revisions.columns) == REVISIONS_COLUMNS
    assert "revisions: no month added, removed or revised since the last prepare" in result.output


def test_removed_and_added_months(published, data_dir):
    run("--archive", str(published))
    (published / "2019-02" / "2019-02-durham-stop-and-search.csv").unlink()
    write_month(published, "2019-03", "cleveland", [row(Date="2019-03-05T10:00:00+00:00")])

    result = run("--archive", str(published))

    revisions = load_revisions("processed").set_index(["force", "month"])
    assert revisions["change"].to_dict() == {
        ("cleveland", "2019-03"): "added",
        ("durham", "2019-02"): "removed",
    }
    removed = revisions.loc[("durham", "2019-02")]
    assert removed["records_before"] == 1 and pd.isna(removed["records_after"])
    assert removed["no_further_action_change"] == -1
    assert removed["summary"] == "month withdrawn, had 1 record"
    added = revisions.loc[("cleveland", "2019-03")]
    assert pd.isna(added["records_before"]) and added["records_after"] == 1
    assert added["summary"] == "new month, 1 record"
    assert "1 month added, 1 removed since the last prepare: cleveland 2019-03" in result.output


def test_revisions_compare_with_the_last_prepare_only(published, data_dir):
    run("--archive", str(published))
    revise_durham_january(published)
    run("--archive", str(published))
    assert len(load_revisions("processed")) == 1
    run("--archive", str(published))
    assert load_revisions("processed").empty


def test_same_file_bytes_in_a_zip_is_not_a_revision(published, data_dir, tmp_path):
    import zipfile

    run("--archive", str(published))
    zipped = tmp_path / "archive.zip"
    with zipfile.ZipFile(zipped, "w") as zf:
        for p in published.rglob("*.csv"):
            zf.write(p, p.relative_to(published).as_posix())
    run("--archive", str(zipped))
    assert load_revisions("processed").empty


def test_damaged_manifest_is_a_one_line_error(published, data_dir):
    run("--archive", str(published))
    (data_dir / "processed" / "manifest.csv").write_text("force,month\ndurham,2019-01\n")
    result = CliRunner().invoke(cli, ["prepare", "-q", "--archive", str(published)])
    assert result.exit_code == 2
    assert "manifest.csv" in result.output and "delete it" in result.output
    assert len(result.output.strip().splitlines()) == 1


def write_default_like(archive: Path, folder: Path) -> None:
    """The tables ``prepare --default`` writes that the manifest is rebuilt from."""
    data = read_archive(archive, progress=False)
    folder.mkdir()
    write_csv(aggregate_searches(data.records), folder / "searches.csv.gz")
    write_csv(data.coverage, folder / "coverage.csv")
    (folder / "PROVENANCE.md").write_text(provenance_text(archive, None, None), encoding="utf-8")


def test_default_data_manifest_is_rebuilt_from_its_tables(published, tmp_path):
    folder = tmp_path / "default"
    write_default_like(published, folder)
    rebuilt = manifest_from_default(folder)
    assert rebuilt.equals(read_archive(published, progress=False).manifest())
    assert load_manifest(folder).equals(rebuilt)

    revise_durham_january(published)
    revisions = compare(rebuilt, read_archive(published, progress=False).manifest())
    assert revisions[["force", "month", "change"]].values.tolist() == [
        ["durham", "2019-01", "revised"]
    ]


def test_default_data_written_before_compression_is_still_compared(published, tmp_path):
    """Default data with a plain searches.csv (as committed before the large tables were
    gzipped) still gives the manifest to compare with."""
    folder = tmp_path / "default"
    write_default_like(published, folder)
    gz = manifest_from_default(folder)
    with gzip.open(folder / "searches.csv.gz", "rb") as fh:
        (folder / "searches.csv").write_bytes(fh.read())
    (folder / "searches.csv.gz").unlink()
    assert manifest_from_default(folder).equals(gz)


def test_without_file_hashes_months_are_compared_by_counts(published, tmp_path):
    folder = tmp_path / "default"
    write_default_like(published, folder)
    (folder / "PROVENANCE.md").unlink()  # as for a zipped archive: no per-file hashes
    before = manifest_from_default(folder)
    assert (before["sha256"] == "").all()
    assert compare(before, read_archive(published, progress=False).manifest()).empty
    revise_durham_january(published)
    revisions = compare(before, read_archive(published, progress=False).manifest())
    assert revisions["change"].tolist() == ["revised"]
    assert revisions["sha256_before"].tolist() == [""]


def small_census_and_outcomes(tmp_path: Path) -> tuple[Path, Path]:
    census = tmp_path / "census"
    census.mkdir()
    (census / "TS021-ethnic-group-by-ltla.csv").write_text(
        "Lower Tier Local Authorities Code,Lower Tier Local Authorities,"
        "Ethnic group (20 categories) Code,Ethnic group (20 categories),Observation\n"
        "E06000047,County Durham,13,White: English,100\n"
    )
    (census / "LAD22-CSP22-PFA22-lookup.csv").write_text(
        "LAD22CD,LAD22NM,CSP22CD,CSP22NM,PFA22CD,PFA22NM,ObjectId\n"
        "E06000047,County Durham,E22000001,x,E23000008,Durham,1\n"
    )
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text(
        "financial_year,financial_quarter,force_name,offence_description,offence_group,"
        "offence_subgroup,offence_code,offence_code_expired,outcome_description,outcome_group,"
        "outcome_type,offences,force_outcomes_recorded_in_quarter\n"
        "2017/18,1,Durham,Robbery of personal property,Robbery,Robbery,34B,NA,"
        "Charged/Summonsed,Charged/Summonsed,1,4,NA\n"
    )
    return census, outcomes


def test_default_prepare_reports_revisions_and_writes_no_new_files(published, tmp_path):
    census, outcomes = small_census_and_outcomes(tmp_path)
    out = tmp_path / "default"
    args = ["--archive", str(published), "--census", str(census), "--outcomes", str(outcomes)]
    first = run(*args, "--default", "--out", str(out))
    assert "revisions: nothing to compare with" in first.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        [
            "searches.csv.gz",
            "searched_people.csv.gz",
            "coverage.csv",
            "populations.csv",
            "crime_outcomes.csv.gz",
            "PROVENANCE.md",
            ".peelstats-prepared",  # the marker that lets a later prepare replace the folder
        ]
    )
    assert "revisions: no month added" in run(*args, "--default", "--out", str(out)).output

    revise_durham_january(published)
    again = run(*args, "--default", "--out", str(out))
    assert sorted(p.name for p in out.iterdir()) == names
    assert "1 month revised since the last prepare: durham 2019-01 (2 outcomes filled in" in (
        again.output
    )
    assert "see " not in again.output  # nothing written to the default folder


def test_load_revisions_outside_a_prepared_folder_says_how_to_build(tmp_path):
    from peelstats.errors import InputFileError

    with pytest.raises(InputFileError, match="peelstats prepare"):
        load_revisions(tmp_path)
    with pytest.raises(InputFileError, match="no manifest"):
        load_manifest(tmp_path)
