"""Acceptance: an edition the reader has never seen (a 2020/21 edition in a drifted layout:
sheets renamed 'Table 12' and shuffled, titles pushed down a row, a line break in a header, a
footnote digit and the Metropolitan Police's full name on force labels, a new table the reader
does not need) goes through ``prepare`` and the use of force section, and every figure the
section gives is the one written into the edition and adds up to its published totals.

The expected figures are the ones written here; the published totals are the edition's own
'Total England and Wales' rows.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from uofhelpers import CED_1920, CED_HEADER, GROUPS_1920, REGION, sheets_1920, write

from peelstats.analysis import use_of_force as uof
from peelstats.analysis.params import validate
from peelstats.config import PROJECT_ROOT
from peelstats.data import load_populations, load_use_of_force
from peelstats.run.cli import cli

YEAR = "2020/21"
INCIDENTS_2021 = {
    "Cleveland": 10_500,
    "Durham": 9_000,
    "City of London": 2_500,
    "Metropolitan": 150_000,
    "Hampshire": 6_000,
}
CED_2021 = {  # drawn, aimed, red-dot, arced, drive stun, fired, angled drive stun, not stated
    "Cleveland": (70, 25, 160, 2, 1, 45, 0, 4),
    "Durham": (60, 30, 210, 3, 1, 50, 1, 9),
    "City of London": (12, 3, 22, 0, 0, 4, 0, 0),
    "Metropolitan": (2500, 1100, 5900, 50, 10, 950, 5, 0),
    "Hampshire": (70, 55, 250, 8, 2, 52, 0, 40),
}
# Table 4 groups: sum to the 178,000 incidents of the five forces
GROUPS_2021 = dict(zip(GROUPS_1920, (144_000, 19_500, 8_000, 3_200, 2_100, 1_200), strict=True))
LABEL = {"Durham": "Durham2", "Metropolitan": "Metropolitan Police Service"}


def _ced(values):
    drawn, aimed, red, arced, stun, fired, angled, stated = values
    non, dis = drawn + aimed + red + arced, stun + fired + angled
    return [non + dis + stated, non, drawn, aimed, red, arced, dis, stun, fired, angled, stated]


def _ced_rows(year, by_force):
    ew = [sum(col) for col in zip(*map(_ced, by_force.values()), strict=True)]
    rows = [[year, "England and Wales", "Total England and Wales", *ew]]
    for region in dict.fromkeys(REGION.values()):
        names = [n for n in by_force if REGION[n] == region]
        rows += [[year, region, LABEL.get(n, n), *_ced(by_force[n])] for n in names]
    return rows


def sheets_2021(total_off_by: int = 0) -> dict[str, list[list]]:
    """The unseen edition (2020/21); ``total_off_by`` breaks Table 12's published total."""
    old = sheets_1920()
    total = sum(INCIDENTS_2021.values())
    title = "Police use of force statistics, England and Wales"
    t12 = [[], ["Table 12. Incidents by police force, year ending March 2021"], ["Contents"], [],
           ["Region", "Police\nforce", "Total"],
           ["England and Wales", "Total England and Wales", total + total_off_by]]  # fmt: skip
    for region in dict.fromkeys(REGION.values()):
        names = [n for n in INCIDENTS_2021 if REGION[n] == region]
        t12.append([region, f"Total {region} ", sum(INCIDENTS_2021[n] for n in names)])
        t12 += [[region, LABEL.get(n, n), INCIDENTS_2021[n]] for n in names]
    t13 = [
        [],
        ["Table 13. Use of CED by type and police force: 1 April 2017 to 31 March 2021"],
        ["Contents"],
        [],
        ["Financial year", "Region", *CED_HEADER, "CED not \nstated"],
    ]
    for row in old["Table_13"][4:]:  # the earlier years, as the 2019/20 edition gave them
        if row and row[0] in ("2017/18", "2018/19", "2019/20"):
            t13.append(row)
    t13 += _ced_rows(YEAR, CED_2021)
    t16 = [list(r) for r in old["Table_16"]]
    t16[0] = [
        "Table 16. Number of times tactics were used, by police force and officer perceived "
        "ethnicity of person involved, year ending March 2021"
    ]
    return {
        "Cover_sheet": [[], [None, f"{title}\nApril 2020 - March 2021"]],
        "Contents": [[f"{title}, 1 April 2020 to 31 March 2021"]],
        "Table 18": [["Table 18. Number of times tactics were used, by officer role"], []],
        "Table 13": t13,
        "Table 12": t12,
        "Table 1": [
            [],
            [
                "Table 1. Number of times tactics were used and total number of incidents in which "
                "they were used, year ending March 2021"
            ],
            ["Contents"],
            [],
            [
                "Type of force",
                "Tactic",
                "Number of times tactic reported",
                "Number of incidents involving tactic",
            ],
            ["Total (excluding not reported)", "Total Tactics", total * 2, total],
        ],  # fmt: skip
        "Table 4": [
            [],
            [
                "Table 4. Number of times tactics were used, by officer perceived ethnicity of "
                "person involved, year ending March 2021"
            ],
            ["Contents"],
            [],
            [None, None, "Perceived ethnicity (Total number of incidents involving group)"],
            [None, None, *GROUPS_2021, "Total number of incidents"],
            [None, None, *GROUPS_2021.values(), total],
        ],  # fmt: skip
        "Table 16": t16,
    }


def run(*args: str):
    return CliRunner().invoke(cli, ["prepare", "-q", *args])


@pytest.fixture
def editions(tmp_path):
    folder = tmp_path / "use-of-force"
    folder.mkdir()
    write(folder / "a.ods", sheets_1920())
    write(folder / "b.ods", sheets_2021())
    return folder


def test_an_unseen_edition_is_read_and_held_to_its_published_totals(archive, data_dir, editions):
    result = run("--archive", str(archive), "--use-of-force", str(editions))
    assert result.exit_code == 0, result.output
    assert "note: use of force: 2019/20 CED figures taken from the 2020/21 edition" in (
        result.output
    )
    tables = load_use_of_force("processed")
    incidents = tables.incidents[tables.incidents["financial_year"] == YEAR]
    by_force = dict(zip(incidents["force"], incidents["incidents"], strict=True))
    assert by_force == {
        "cleveland": 10_500, "durham": 9_000, "city-of-london": 2_500,
        "metropolitan": 150_000, "hampshire": 6_000,
    }  # fmt: skip
    ew = tables.england_and_wales.set_index(["financial_year", "measure"])["count"]
    assert ew[YEAR, "incidents"] == sum(INCIDENTS_2021.values()) == sum(by_force.values())
    ced = tables.ced[tables.ced["financial_year"] == YEAR].set_index(["force", "measure"])
    assert ced.loc[("durham", "uses"), "count"] == sum(CED_2021["Durham"]) == 364
    assert ced.loc[("durham", "discharges"), "count"] == 1 + 50 + 1
    assert ew[YEAR, "ced_uses"] == sum(sum(v) for v in CED_2021.values())
    groups = tables.national_incidents_by_ethnicity
    groups = groups[groups["financial_year"] == YEAR]
    assert int(groups["incidents"].sum()) == sum(INCIDENTS_2021.values())

    committed = PROJECT_ROOT / "data" / "default"  # Census 2021 residents, as committed
    data = uof.UseOfForceData(tables, load_populations(committed), None)
    section = uof.build(data, validate("durham", "2021Q1"))  # the year ending March 2021
    assert (section.year, section.previous_year) == (YEAR, "2019/20")
    assert section.figure("use_of_force_incidents", year=YEAR).estimate == 9_000
    assert section.figure("use_of_force_incidents", year="2019/20").estimate == 8_000
    change = section.figure("use_of_force_change")
    assert change.estimate == pytest.approx((9000 / 8000 - 1) * 100)
    assert section.figure("ced_uses", year=YEAR).estimate == 364
    assert section.figure("ced_uses", year="2019/20").estimate == sum(CED_1920["Durham"])
    national = section.figure("use_of_force_incidents_england_and_wales")
    assert national.estimate == sum(INCIDENTS_2021.values())


def test_an_unseen_edition_that_does_not_add_up_is_refused(archive, data_dir, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    write(folder / "b.ods", sheets_2021(total_off_by=7))
    result = run("--archive", str(archive), "--use-of-force", str(folder))
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        "peelstats: error: b.ods, sheet 'Table 12', row 6, column 'Total': England and Wales "
        "incidents 178,007 is not the sum of the forces' (178,000)"
    )
    assert not any((data_dir / "processed").iterdir())
