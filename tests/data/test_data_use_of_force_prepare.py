"""``peelstats prepare --use-of-force``: the use of force tables validated before anything is
written, written by name (parquet, or compact CSV with ``--default``) with their provenance,
loaded back as read, the reader's notes printed; a bad edition is one line naming the file,
sheet, row and column, and the previous output is kept.

Expected figures are those written into the synthetic editions (tests/data/uofhelpers.py).
"""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
from click.testing import CliRunner
from uofhelpers import cell, hampshire_revised, sheets_1718, sheets_1920, write

from peelstats.data import load_use_of_force
from peelstats.data.tables import DEFAULT_FILES, PROCESSED_FILES, USE_OF_FORCE_TABLES
from peelstats.errors import InputFileError
from peelstats.run.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, ["prepare", "-q", *args])


@pytest.fixture
def editions(tmp_path):
    """A folder with a 2017/18 and a 2019/20 edition (Table 13 of 2019/20 revises Hampshire's
    2017/18 row), and a file that is not an edition."""
    folder = tmp_path / "use-of-force"
    folder.mkdir()
    write(folder / "uof-2017-18.ods", sheets_1718())
    write(folder / "uof-2019-20.ods", hampshire_revised(sheets_1920()))
    (folder / "README.txt").write_text("not a table")
    return folder


def test_prepare_writes_the_use_of_force_tables_and_prints_the_notes(archive, data_dir, editions):
    result = run("--archive", str(archive), "--use-of-force", str(editions))
    assert result.exit_code == 0, result.output
    out = data_dir / "processed"
    for table in USE_OF_FORCE_TABLES:
        assert (out / PROCESSED_FILES[table]).is_file(), table
    assert (
        "note: use of force: 2017/18 CED figures taken from the 2019/20 edition, which revises "
        "1 force (Hampshire)" in result.output
    )
    assert "use_of_force not built" not in result.output
    tables = load_use_of_force("processed")
    incidents = tables.incidents.set_index(["force", "financial_year"])["incidents"]
    assert incidents["durham", "2019/20"] == 8000 and incidents["durham", "2017/18"] == 5594
    ced = tables.ced.set_index(["force", "financial_year", "measure"])
    assert ced.loc[("durham", "2019/20", "uses"), "count"] == 348
    assert ced.loc[("durham", "2019/20", "discharges"), "count"] == 47
    assert ced.loc[("hampshire", "2017/18", "uses"), "count"] == 158  # the revised figure
    assert ced.loc[("hampshire", "2019/20", "uses"), "summary_only"]
    assert pd.isna(ced.loc[("durham", "2017/18", "uses"), "summary_only"])
    tactics = tables.tactics_by_ethnicity.set_index(["force", "tactic", "group"])["tactics"]
    assert tactics["durham", "all", "White"] == 300
    assert pd.isna(tactics["hampshire", "ced_discharge", "White"])  # ':' in the table
    ew = tables.england_and_wales.set_index(["financial_year", "measure"])["count"]
    assert ew["2019/20", "incidents"] == 184_623
    assert tables.editions["financial_year"].tolist() == ["2017/18", "2019/20"]


def test_without_use_of_force_prepare_says_how_to_add_it(archive, data_dir):
    result = run("--archive", str(archive))
    assert result.exit_code == 0, result.output
    assert "note: use_of_force not built (pass --use-of-force DIR)" in result.output
    assert load_use_of_force("processed") is None


def test_default_data_gets_compact_csvs_and_their_provenance(archive, tmp_path, editions):
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
    out = tmp_path / "default"
    inputs = ["--archive", str(archive), "--census", str(census), "--outcomes", str(outcomes)]
    result = run(*inputs, "--use-of-force", str(editions), "--default", "--out", str(out))
    assert result.exit_code == 0, result.output
    for table in USE_OF_FORCE_TABLES:
        assert (out / DEFAULT_FILES[table]).is_file(), table
    text = (out / "use_of_force_incidents.csv").read_text()
    assert text.splitlines()[0] == "force,financial_year,incidents,edition,source_sheet"
    assert "durham,2019/20,8000,2019/20,Table_12" in text.splitlines()
    provenance = (out / "PROVENANCE.md").read_text()
    assert "police use of force statistics" in provenance
    for name in ("uof-2017-18.ods", "uof-2019-20.ods"):
        digest = hashlib.sha256((editions / name).read_bytes()).hexdigest()
        assert f"{digest}  use-of-force/{name}" in provenance
    assert "README.txt" not in provenance
    tables = load_use_of_force(out)
    assert tables.ced["summary_only"].dtype == "boolean"
    assert str(tables.tactics_by_ethnicity["tactics"].dtype) == "Int64"


def _break(kind: str, sheets: dict) -> tuple[str, str]:
    """One hostile change to a 2019/20 edition, and the start of the line expected."""
    if kind == "missing table":
        del sheets["Table_12"]
        return "bad.ods", "bad.ods: no sheet holds Table 12 (Incidents by police force)"
    if kind == "renamed sheet":
        sheets["Incidents"] = sheets.pop("Table_12")
        return "bad.ods", "bad.ods, sheet 'Incidents', row 1: holds 'Table 12."
    if kind == "renamed header":
        header, number = cell(sheets, "Table_13", "Total discharge")
        header[header.index("Total discharge")] = "Discharges"
        return "bad.ods", (
            f"bad.ods, sheet 'Table_13', row {number}, column 'Total discharge': header not found"
        )
    if kind == "bad number":
        row, number = cell(sheets, "Table_12", "Durham")
        row[2] = "8,0O0"
        return "bad.ods", f"bad.ods, sheet 'Table_12', row {number}, column 'Total': '8,0O0'"
    if kind == "unknown force":
        row, number = cell(sheets, "Table_16", "Durham")
        row[0] = "Durham and Darlington"
        return "bad.ods", (
            f"bad.ods, sheet 'Table_16', row {number}, column 'Police force': unknown force"
        )
    if kind == "total":
        row, number = cell(sheets, "Table_12", "Total England and Wales")
        row[2] -= 1
        return "bad.ods", f"bad.ods, sheet 'Table_12', row {number}, column 'Total': England"
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind",
    ["missing table", "renamed sheet", "renamed header", "bad number", "unknown force", "total"],
)
def test_a_bad_edition_is_one_line_and_nothing_is_written(kind, archive, data_dir, tmp_path):
    good = tmp_path / "good"
    good.mkdir()
    write(good / "good.ods", sheets_1920())
    assert run("--archive", str(archive), "--use-of-force", str(good)).exit_code == 0
    out = data_dir / "processed"
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = tmp_path / "bad"
    bad.mkdir()
    sheets = sheets_1920()
    name, expected = _break(kind, sheets)
    write(bad / name, sheets)
    result = run("--archive", str(archive), "--use-of-force", str(bad))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"peelstats: error: {expected}"), lines
    assert "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_folder_that_is_not_one_is_one_line(archive, data_dir, tmp_path):
    result = run("--archive", str(archive), "--use-of-force", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        f"peelstats: error: {tmp_path / 'nowhere'}: not a folder (expected a folder of the Home "
        "Office's Police use of force statistics data tables (.ods))"
    ]
    assert not any((data_dir / "processed").iterdir())


def test_a_partly_written_source_is_refused_naming_the_missing_table(archive, data_dir, editions):
    assert run("--archive", str(archive), "--use-of-force", str(editions)).exit_code == 0
    folder = data_dir / "processed"
    copy = data_dir / "copy"
    copy.mkdir()
    for path in folder.iterdir():
        if path.name != PROCESSED_FILES["use_of_force_ced"]:
            (copy / path.name).write_bytes(path.read_bytes())
    with pytest.raises(InputFileError) as info:
        load_use_of_force(copy)
    assert "use_of_force_ced.parquet: the use_of_force_ced table is missing" in str(info.value)
