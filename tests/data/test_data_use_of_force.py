"""Home Office police use of force data tables: the real 2018/19 and 2019/20 editions, small
synthetic editions in the published layouts (2017/18 as the README describes it), and hostile
inputs, each refused in one line naming the file, sheet, row and column.

Expected figures are the published ones (the shared data README, or the tables as published),
or for synthetic editions the figures written into them, never the reader's own output.
"""

from __future__ import annotations

import pandas as pd
import pytest
from uofhelpers import cell, hampshire_revised, one_line, sheets_1718, sheets_1920, write

from peelstats.data.forces import all_forces
from peelstats.data.use_of_force import (
    clean_label,
    force_id,
    read_edition,
    read_use_of_force,
)

UOF = "home-office-use-of-force"
FILE_1819 = "police-use-of-force-apr2018-mar2019-hosb3319-tables.ods"
FILE_1920 = "police-use-of-force-apr2019-mar2020-hosb3720-tables.ods"
TERRITORIAL = {f.id for f in all_forces(territorial_only=True)}


# ----------------------------------------------------------------------------- real editions


@pytest.fixture(scope="module")
def real(shared_data):
    return read_use_of_force(shared_data / UOF)


def _incidents(tables, force, year):
    frame = tables.incidents
    return frame.loc[(frame["force"] == force) & (frame["financial_year"] == year), "incidents"]


def _ced(tables, force, year, measure):
    frame = tables.ced
    rows = (frame["force"] == force) & (frame["financial_year"] == year)
    return frame.loc[rows & (frame["measure"] == measure), "count"]


def test_real_published_figures(real):
    """The README's figures: Durham 8,000 (2019/20) and 6,850 (2018/19) incidents; 348 CED uses
    and 47 discharges (Durham 2019/20); England and Wales 491,984 incidents in 2019/20, as Table
    12's total, as the sum of its forces, and as Table 4's incidents by perceived ethnicity."""
    assert _incidents(real, "durham", "2019/20").tolist() == [8000]
    assert _incidents(real, "durham", "2018/19").tolist() == [6850]
    assert _ced(real, "durham", "2019/20", "uses").tolist() == [348]
    assert _ced(real, "durham", "2019/20", "discharges").tolist() == [47]
    ew = real.england_and_wales
    total = ew.loc[(ew["financial_year"] == "2019/20") & (ew["measure"] == "incidents"), "count"]
    assert total.tolist() == [491_984]
    year = real.incidents[real.incidents["financial_year"] == "2019/20"]
    assert int(year["incidents"].sum()) == 491_984
    groups = real.national_incidents_by_ethnicity
    assert int(groups.loc[groups["financial_year"] == "2019/20", "incidents"].sum()) == 491_984


def test_real_every_force_placed(real):
    """All 43 territorial forces, once per year, in every by-force table."""
    for name, years in [
        ("incidents", ["2018/19", "2019/20"]),
        ("ced", ["2017/18", "2018/19", "2019/20"]),
        ("tactics_by_ethnicity", ["2018/19", "2019/20"]),
    ]:
        frame = getattr(real, name)
        assert sorted(frame["financial_year"].unique()) == years, name
        for year in years:
            assert set(frame.loc[frame["financial_year"] == year, "force"]) == TERRITORIAL
    assert not real.incidents.duplicated(["force", "financial_year"]).any()
    assert not real.ced.duplicated(["force", "financial_year", "measure"]).any()
    keys = ["force", "financial_year", "tactic", "group"]
    assert not real.tactics_by_ethnicity.duplicated(keys).any()


def test_real_latest_edition_wins_with_a_note(real, shared_data):
    """Table 13 of both editions gives 2017/18 and 2018/19: the 2019/20 edition's figures are
    kept and each override is one note (the two editions publish the same figures for those
    years; Hampshire's 2017/18 row is marked (R))."""
    ced = real.ced
    for year in ("2017/18", "2018/19", "2019/20"):
        assert set(ced.loc[ced["financial_year"] == year, "edition"]) == {"2019/20"}
    assert set(real.incidents.loc[real.incidents["financial_year"] == "2018/19", "edition"]) == {
        "2018/19"
    }
    assert real.notes[:2] == [
        "2017/18 CED figures taken from the 2019/20 edition; the 2018/19 edition gives the same "
        "figures (the 2019/20 edition marks as revised: Hampshire).",
        "2018/19 CED figures taken from the 2019/20 edition; the 2018/19 edition gives the same "
        "figures.",
    ]
    hampshire = ced[(ced["force"] == "hampshire") & (ced["financial_year"] == "2017/18")]
    assert hampshire["revised"].all() and hampshire["count"].tolist() == [158, 0, 152]
    sums = dict(
        line.split("  ./")[::-1]
        for line in (shared_data / "SHA256SUMS").read_text().splitlines()
        if UOF in line
    )
    editions = real.editions
    assert editions["financial_year"].tolist() == ["2018/19", "2019/20"]
    for file, digest in zip(editions["file"], editions["sha256"], strict=True):
        assert sums[f"{UOF}/{file}"] == digest


def test_real_ethnic_groups_mapped_per_edition(real):
    """2018/19 lists Chinese (978) and Don't know (14,010) apart: Chinese is folded into Asian
    (27,070) and Don't know joins Not reported (1,385) as Not stated; 2019/20 already folds."""
    groups = real.national_incidents_by_ethnicity
    by = groups.set_index(["financial_year", "group"])["incidents"]
    assert by["2018/19", "Asian"] == 27_070 + 978
    assert by["2018/19", "Not stated"] == 14_010 + 1_385
    assert by["2019/20", "Asian"] == 34_716
    assert by["2019/20", "Not stated"] == 12_559
    assert list(groups["group"].unique()) == [
        "Asian",
        "Black",
        "Mixed",
        "White",
        "Other",
        "Not stated",
    ]
    tactics = real.tactics_by_ethnicity
    durham = tactics[
        (tactics["force"] == "durham")
        & (tactics["financial_year"] == "2018/19")
        & (tactics["tactic"] == "all")
    ].set_index("group")["tactics"]
    assert durham["Asian"] == 67 + 15 and int(durham.sum()) == 8540  # Table 16, Total Tactics


def test_real_summary_only_forces(real):
    """The 2019/20 notes say 4 forces gave aggregated CED figures only; Table 16 marks the CED
    rows of Norfolk, Suffolk, Warwickshire and West Mercia ':'. Earlier editions name none."""
    ced = real.ced
    year = ced[(ced["financial_year"] == "2019/20") & (ced["measure"] == "uses")]
    flagged = set(year.loc[year["summary_only"].fillna(False).astype(bool), "force"])
    assert flagged == {"norfolk", "suffolk", "warwickshire", "west-mercia"}
    assert year["summary_only"].notna().all()
    assert ced.loc[ced["financial_year"] != "2019/20", "summary_only"].isna().all()
    assert real.editions["ced_summary_only_forces"].tolist() == [5, 4]


def test_real_truncated_file(shared_data, tmp_path):
    data = (shared_data / UOF / FILE_1920).read_bytes()
    (tmp_path / FILE_1920).write_bytes(data[: len(data) // 2])
    error = one_line(read_edition, tmp_path / FILE_1920)
    assert error.startswith(f"{FILE_1920}: not a readable OpenDocument spreadsheet")


# ----------------------------------------------------------------------------- synthetic editions


def test_synthetic_2017_18_layout(tmp_path):
    edition = read_edition(write(tmp_path / "edition.ods", sheets_1718()))
    assert edition.financial_year == "2017/18"
    incidents = edition.incidents.set_index("force")["incidents"]
    assert incidents.to_dict() == {
        "city-of-london": 1148,
        "cleveland": 6315,
        "durham": 5594,
        "hampshire": 4917,
        "metropolitan": 61016,
    }
    ced = edition.ced.set_index(["force", "measure"])["count"]
    assert (ced["durham", "uses"], ced["durham", "discharges"]) == (236, 48)
    assert (ced["hampshire", "uses"], ced["hampshire", "not_stated"]) == (329, 0)
    assert set(edition.ced["financial_year"]) == {"2017/18"}
    assert set(edition.ced["source_sheet"]) == {"Table_13"}  # not the legacy Tables 14-15
    groups = edition.national_incidents_by_ethnicity.set_index("group")["incidents"]
    assert groups.to_dict() == {
        "Asian": 4190,
        "Black": 9000,
        "Mixed": 2000,
        "White": 60000,
        "Other": 1800,
        "Not stated": 2000,
    }
    ew = edition.england_and_wales.set_index("measure")["count"]
    assert ew["incidents"] == 78_990 and ew["ced_uses"] == 191 + 236 + 76 + 4951 + 329
    assert edition.tactics_by_ethnicity.empty
    assert edition.ced_summary_only_forces == 17
    assert edition.ced["summary_only"].isna().all()


def test_synthetic_2019_20_layout(tmp_path):
    edition = read_edition(write(tmp_path / "edition.ods", hampshire_revised(sheets_1920())))
    assert edition.financial_year == "2019/20"
    ced = edition.ced.set_index(["force", "financial_year", "measure"])
    assert ced.loc[("durham", "2019/20", "uses"), "count"] == 348
    assert ced.loc[("durham", "2019/20", "discharges"), "count"] == 47
    assert ced.loc[("metropolitan", "2018/19", "uses"), "count"] == 7396
    assert ced.loc[("hampshire", "2017/18", "uses"), "revised"]
    year = edition.ced[(edition.ced["financial_year"] == "2019/20")]
    flagged = set(year.loc[year["summary_only"].astype(bool), "force"])
    assert flagged == {"hampshire", "city-of-london"}
    tactics = edition.tactics_by_ethnicity.set_index(["force", "tactic", "group"])["tactics"]
    assert tactics["durham", "all", "White"] == 300 and tactics["durham", "ced", "Asian"] == 1
    assert pd.isna(tactics["hampshire", "ced_discharge", "White"])
    assert edition.notes == []


def test_editions_combined_latest_wins(tmp_path):
    folder = tmp_path / "uof"
    folder.mkdir()
    write(folder / "a.ods", sheets_1718())
    write(folder / "b.ods", hampshire_revised(sheets_1920()))
    (folder / "README.txt").write_text("not a table")
    tables = read_use_of_force(folder)
    assert tables.editions["financial_year"].tolist() == ["2017/18", "2019/20"]
    assert tables.notes == [
        "2017/18 CED figures taken from the 2019/20 edition, which revises 1 force (Hampshire) "
        "and the England and Wales total against the 2017/18 edition (the 2019/20 edition "
        "marks as revised: Hampshire).",
        "The 2017/18 edition says 17 forces supplied summary CED data only, without naming them.",
    ]
    ced = tables.ced.set_index(["force", "financial_year", "measure"])
    assert ced.loc[("hampshire", "2017/18", "uses"), "count"] == 158
    assert ced.loc[("hampshire", "2017/18", "uses"), "edition"] == "2019/20"
    assert ced.loc[("durham", "2017/18", "uses"), "count"] == 236
    incidents = tables.incidents.set_index(["force", "financial_year"])
    assert incidents.loc[("durham", "2017/18"), "edition"] == "2017/18"
    assert incidents.loc[("durham", "2019/20"), "incidents"] == 8000
    assert tables.ced["summary_only"].dtype == "boolean"
    assert str(tables.incidents["incidents"].dtype) == "Int64"
    again = read_use_of_force(folder)
    for name in ["incidents", "ced", "tactics_by_ethnicity", "england_and_wales", "editions"]:
        pd.testing.assert_frame_equal(getattr(tables, name), getattr(again, name))


def test_not_available_is_missing(tmp_path):
    sheets = sheets_1920()
    row, _ = cell(sheets, "Table_12", "Durham")
    row[2] = ":"
    edition = read_edition(write(tmp_path / "e.ods", sheets))
    value = edition.incidents.set_index("force").loc["durham", "incidents"]
    assert pd.isna(value)


@pytest.mark.parametrize(
    "label, expected",
    [
        ("Metropolitan Police Service", "metropolitan"),
        ("Metropolitan", "metropolitan"),
        ("Devon & Cornwall ", "devon-and-cornwall"),
        ("Avon and Somerset*", "avon-and-somerset"),
        ("Durham(R)", "durham"),
        ("Hampshire (R)", "hampshire"),
        ("Durham2", "durham"),
        ("London, City of", "city-of-london"),
        ("British Transport Police", "btp"),
        ("Dyfed-Powys", "dyfed-powys"),
        ("North\nYorkshire", "north-yorkshire"),
        ("Total North East ", None),
        ("Durhamshire", None),
    ],
)
def test_force_names(label, expected):
    assert force_id(label) == expected


def test_clean_label():
    assert clean_label("CED not \nstated") == ("CED not stated", False)
    assert clean_label("*Total England and Wales") == ("Total England and Wales", False)
    assert clean_label("Hampshire (R)") == ("Hampshire", True)
    assert clean_label("Under 11 \nyears") == ("Under 11 years", False)


# ----------------------------------------------------------------------------- hostile inputs


def test_missing_sheet(tmp_path):
    sheets = sheets_1920()
    del sheets["Table_12"]
    error = one_line(read_edition, write(tmp_path / "e.ods", sheets))
    assert error.startswith("e.ods: no sheet holds Table 12 (Incidents by police force)")


def test_renamed_sheet(tmp_path):
    sheets = sheets_1920()
    sheets["Incidents"] = sheets.pop("Table_12")
    error = one_line(read_edition, write(tmp_path / "e.ods", sheets))
    assert error.startswith(
        "e.ods, sheet 'Incidents', row 1: holds 'Table 12. Incidents by police force, year "
        "ending March 2020' but is not named for it"
    )


def test_renamed_header(tmp_path):
    sheets = sheets_1920()
    header, number = cell(sheets, "Table_13", "Total discharge")
    header[header.index("Total discharge")] = "Discharges"
    error = one_line(read_edition, write(tmp_path / "e.ods", sheets))
    assert error.startswith(
        f"e.ods, sheet 'Table_13', row {number}, column 'Total discharge': header not found"
    )


def test_bad_number(tmp_path):
    sheets = sheets_1920()
    row, number = cell(sheets, "Table_12", "Durham")
    row[2] = "12a"
    error = one_line(read_edition, write(tmp_path / "e.ods", sheets))
    assert error.startswith(
        f"e.ods, sheet 'Table_12', row {number}, column 'Total': '12a' is not a count"
    )


def test_fractional_and_negative_numbers(tmp_path):
    for bad, message in [(12.5, "12.5 is not a whole number"), (-3, "-3 is out of range")]:
        sheets = sheets_1920()
        row, number = cell(sheets, "Table_13", "Durham")
        row[3] = bad
        error = one_line(read_edition, write(tmp_path / "e.ods", sheets))
        assert f"sheet 'Table_13', row {number}, column 'Total': {message}" in error


def test_unknown_force(tmp_path):
    sheets = sheets_1920()
    row, number = cell(sheets, "Table_16", "Durham")
    row[0] = "Durhamshire"
    error = one_line(read_edition, write(tmp_path / "e.ods", sheets))
    assert error.startswith(
        f"e.ods, sheet 'Table_16', row {number}, column 'Police force': unknown force 'Durhamshire'"
    )


def test_unknown_ethnic_group(tmp_path):
    sheets = sheets_1920()
    header, number = cell(sheets, "Table_4", "Mixed")
    header[header.index("Mixed")] = "Mixed or multiple"
    error = one_line(read_edition, write(tmp_path / "e.ods", sheets))
    assert error.startswith(
        f"e.ods, sheet 'Table_4', row {number}, column 'Mixed or multiple': unknown ethnic group"
    )


def test_total_that_does_not_add_up(tmp_path):
    sheets = sheets_1920()
    row, number = cell(sheets, "Table_12", "Total England and Wales")
    row[2] += 1
    error = one_line(read_edition, write(tmp_path / "e.ods", sheets))
    assert error.startswith(f"e.ods, sheet 'Table_12', row {number}, column 'Total': England")


def test_discharges_not_the_sum_of_their_kinds(tmp_path):
    sheets = sheets_1920()
    row, number = cell(sheets, "Table_13", "Durham")
    row[11] += 1  # Fired
    error = one_line(read_edition, write(tmp_path / "e.ods", sheets))
    assert f"sheet 'Table_13', row {number}, column 'Total discharge'" in error


def test_corrupt_files(tmp_path):
    data = write(tmp_path / "good.ods", sheets_1920()).read_bytes()
    (tmp_path / "cut.ods").write_bytes(data[: len(data) // 3])
    error = one_line(read_edition, tmp_path / "cut.ods")
    assert error.startswith("cut.ods: not a readable OpenDocument spreadsheet")
    (tmp_path / "text.ods").write_text("Region,Police force,Total\n")
    assert one_line(read_edition, tmp_path / "text.ods").startswith("text.ods: not a readable")


def test_edition_that_cannot_be_placed(tmp_path):
    sheets = sheets_1920()
    sheets["Contents"] = [["Police use of force statistics, England and Wales"]]
    sheets["Cover_sheet"] = [["Police use of force statistics"]]
    error = one_line(read_edition, write(tmp_path / "e.ods", sheets))
    assert error.startswith(
        "e.ods, sheet 'Contents': cannot tell which financial year this edition reports"
    )
    sheets["Contents"] = [["Police use of force statistics, 1 April 2016 to 31 March 2017"]]
    error = one_line(read_edition, write(tmp_path / "e.ods", sheets))
    assert error.startswith("e.ods, sheet 'Contents', row 1: reports 2016/17, before the")
    other = {"Sheet1": [["Recorded crime by police force area"], ["Region", "Force", "Total"]]}
    error = one_line(read_edition, write(tmp_path / "other.ods", other))
    assert error.startswith("other.ods, sheet 'Sheet1': not a Police use of force statistics")


def test_file_name_contradicting_the_contents(tmp_path):
    path = write(tmp_path / "police-use-of-force-apr2018-mar2019-tables.ods", sheets_1920())
    error = one_line(read_edition, path)
    assert "the file name says 2018/19 but its title" in error


def test_empty_folder_and_duplicates(tmp_path):
    assert one_line(read_use_of_force, tmp_path).endswith(
        ": no .ods files (expected a folder of the Home Office's Police use of force "
        "statistics data tables (.ods))"
    )
    (tmp_path / "notes.csv").write_text("a,b\n")
    assert "no .ods files" in one_line(read_use_of_force, tmp_path)
    write(tmp_path / "a.ods", sheets_1920())
    write(tmp_path / "b.ods", sheets_1920())
    assert one_line(read_use_of_force, tmp_path).startswith(
        "b.ods: is the 2019/20 edition, as a.ods is"
    )
