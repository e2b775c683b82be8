"""The prepare command: exit codes, one-line errors, atomic replacement of outputs."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
from click.testing import CliRunner
from datahelpers import row, write_month

from peelstats.run.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, ["prepare", "-q", *args])


def test_prepare_writes_processed_tables(archive, data_dir):
    result = run("--archive", str(archive))
    assert result.exit_code == 0, result.output
    out = data_dir / "processed"
    for name in ("stop_search.parquet", "searches.parquet", "coverage.parquet", "coverage.csv"):
        assert (out / name).is_file()
    searches = pd.read_parquet(out / "searches.parquet")
    assert searches["searches"].sum() == 6
    assert "populations not built" in result.output
    # no work folder left; the prepare lock file stays (see peelstats.data.outfolder)
    leftovers = [p.name for p in data_dir.iterdir() if p.name.startswith(".processed")]
    assert leftovers == [".processed.lock"]


def test_prepare_default_archive_location(archive, data_dir):
    import shutil

    shutil.copytree(archive, data_dir / "raw" / "police-uk-archive")
    assert run().exit_code == 0


def test_prepare_without_archive_says_what_to_pass(data_dir):
    result = run()
    assert result.exit_code == 2
    assert "--archive" in result.output


def test_bad_input_exits_2_on_one_line_and_keeps_previous_output(archive, data_dir):
    assert run("--archive", str(archive)).exit_code == 0
    out = data_dir / "processed"
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    write_month(
        archive,
        "2019-02",
        "cleveland",
        [row(Date="2019-02-02T00:00:00+00:00"), row(Gender="Unknown")],
    )
    result = run("--archive", str(archive))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert lines == [
        "peelstats: error: 2019-02/2019-02-cleveland-stop-and-search.csv, row 3, "
        "column 'Gender': unknown label 'Unknown' (expected Male, Female, Other or blank)"
    ]
    assert "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_subprocess_error_has_no_traceback(tmp_path, data_dir):
    write_month(tmp_path / "a", "2019-01", "durham", b"Crime ID,Month,Reported by\n")
    proc = subprocess.run(
        [sys.executable, "-m", "peelstats", "prepare", "-q", "--archive", str(tmp_path / "a")],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.count("\n") == 1
    assert "2019-01/2019-01-durham-stop-and-search.csv, row 1, column 'Crime ID'" in proc.stderr


def test_failed_write_leaves_previous_output(archive, data_dir, monkeypatch):
    from peelstats.data import prepare as prep

    assert run("--archive", str(archive)).exit_code == 0
    out = data_dir / "processed"
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def boom(df, path):
        raise OSError("disk full")

    monkeypatch.setattr(prep, "write_csv", boom)
    result = run("--archive", str(archive))
    assert result.exit_code != 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert sorted(p.name for p in data_dir.iterdir()) == [".processed.lock", "processed"]


def test_gitkeep_survives(archive, data_dir):
    (data_dir / "processed" / ".gitkeep").touch()
    assert run("--archive", str(archive)).exit_code == 0
    assert (data_dir / "processed" / ".gitkeep").exists()


def test_default_needs_all_inputs(archive, data_dir):
    result = run("--archive", str(archive), "--default")
    assert result.exit_code == 2
    assert "--census and --outcomes" in result.output
