"""Census 2021 populations by police force area."""

from __future__ import annotations

import pytest

from peelstats.data.census import build_populations
from peelstats.errors import InputFileError

TS_HEADER = (
    "Lower Tier Local Authorities Code,Lower Tier Local Authorities,"
    "Ethnic group (20 categories) Code,Ethnic group (20 categories),Observation"
)
LOOKUP_HEADER = "LAD22CD,LAD22NM,CSP22CD,CSP22NM,PFA22CD,PFA22NM,ObjectId"


def write_census(folder, ts_rows, lookup_rows):
    folder.mkdir(exist_ok=True)
    (folder / "TS021-ethnic-group-by-ltla.csv").write_text("\n".join([TS_HEADER, *ts_rows]) + "\n")
    (folder / "LAD22-CSP22-PFA22-lookup.csv").write_text(
        "\n".join([LOOKUP_HEADER, *lookup_rows]) + "\n"
    )


def test_small_census_grouping(tmp_path):
    # two districts of Durham PFA; group sums worked by hand
    ts = [
        "E06000047,County Durham,-8,Does not apply,0",
        "E06000047,County Durham,1,Asian: Bangladeshi,10",
        "E06000047,County Durham,5,Asian: Other,5",
        "E06000047,County Durham,6,Black: African,7",
        "E06000047,County Durham,12,Mixed: Other,2",
        "E06000047,County Durham,13,White: English,100",
        "E06000005,Darlington,17,White: Other,50",
        "E06000005,Darlington,19,Other: Any other,3",
    ]
    lookup = [
        "E06000047,County Durham,E22000001,x,E23000008,Durham,1",
        "E06000005,Darlington,E22000002,y,E23000008,Durham,2",
    ]
    write_census(tmp_path / "c", ts, lookup)
    pops = build_populations(tmp_path / "c")
    got = dict(zip(pops["group"], pops["population"], strict=True))
    assert got == {"Asian": 15, "Black": 7, "Mixed": 2, "White": 150, "Other": 3, "all": 177}
    assert set(pops["force"]) == {"durham"}


def test_unknown_code_located(tmp_path):
    write_census(
        tmp_path / "c",
        ["E06000047,County Durham,25,Martian,3"],
        ["E06000047,County Durham,E22000001,x,E23000008,Durham,1"],
    )
    with pytest.raises(InputFileError) as info:
        build_populations(tmp_path / "c")
    assert (info.value.row, info.value.column) == (2, "Ethnic group (20 categories) Code")


def test_durham_check_values(shared_data):
    pops = build_populations(shared_data / "census-2021")
    durham = pops[pops["pfa_code"] == "E23000008"].set_index("group")["population"]
    # check values from the brief (ONS TS021, County Durham + Darlington)
    assert durham["Black"] == 2441
    assert durham["White"] == 607196
    assert durham["all"] == 629863
    assert durham[["Asian", "Black", "Mixed", "White", "Other"]].sum() == 629863


def test_all_43_force_areas(shared_data):
    pops = build_populations(shared_data / "census-2021")
    assert pops["pfa_code"].nunique() == 43
    assert len(pops) == 43 * 6
    assert "btp" not in set(pops["force"])
    assert str(pops["population"].dtype) == "int64"
