"""Home Office crime outcomes, compact table."""

from __future__ import annotations

import gzip

import pytest

from peelstats.data.outcomes import build_crime_outcomes
from peelstats.errors import InputFileError

HEADER = (
    "financial_year,financial_quarter,force_name,offence_description,offence_group,"
    "offence_subgroup,offence_code,offence_code_expired,outcome_description,outcome_group,"
    "outcome_type,offences,force_outcomes_recorded_in_quarter"
)


def write(path, rows):
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write("\n".join([HEADER, *rows]) + "\n")


def test_sums_over_quarters_and_offences(tmp_path):
    rows = [
        "2017/18,1,Durham,Robbery of personal property,Robbery,Robbery,34B,NA,"
        "Charged/Summonsed,Charged/Summonsed,1,4,NA",
        "2017/18,2,Durham,Robbery of business property,Robbery,Robbery,34A,NA,"
        "Charged/Summonsed,Charged/Summonsed,1,3,NA",
        "2017/18,1,Durham,Possession of cannabis,Drug offences,Possession of drugs,92E,NA,"
        "Charged/Summonsed,Charged/Summonsed,1,5,NA",
        "NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA,NA",
    ]
    write(tmp_path / "o.csv.gz", rows)
    out = build_crime_outcomes(tmp_path / "o.csv.gz")
    assert out[["offence_group", "victim_based", "offences"]].values.tolist() == [
        ["Drug offences", False, 5],
        ["Robbery", True, 7],
    ]
    assert set(out["force"]) == {"durham"}


def test_na_offences_rejected(tmp_path):
    write(tmp_path / "o.csv.gz", ["2017/18,1,Durham,R,Robbery,Robbery,34B,NA,C,C,1,NA,NA"])
    with pytest.raises(InputFileError) as info:
        build_crime_outcomes(tmp_path / "o.csv.gz")
    assert (info.value.row, info.value.column) == (2, "offences")


def test_real_outcomes(shared_data):
    """The compact table against a recount of the raw Home Office file with the csv module:
    every force, outcome type and offence group, and the offences summed over quarters and
    offences, independently of the data layer."""
    import csv
    from collections import Counter

    path = shared_data / "home-office-outcomes" / "crime-outcomes-2017-18.csv.gz"
    forces, types, totals = set(), set(), Counter()
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["force_name"] == "NA":
                continue
            forces.add(row["force_name"])
            types.add(int(row["outcome_type"]))
            totals[(row["force_name"], row["offence_group"])] += int(row["offences"])
    out = build_crime_outcomes(path)
    assert out["force"].nunique() == len(forces)
    assert set(out["outcome_type"]) == types
    assert set(out.loc[~out["victim_based"], "offence_group"]) == {
        "Drug offences",
        "Possession of weapons offences",
        "Public order offences",
        "Miscellaneous crimes against society",
    }  # the Home Office's "crimes against society", not victim-based (PEEL Figure 2 note)
    from peelstats.data.forces import force_by_name

    ours = out.groupby(["force", "offence_group"])["offences"].sum()
    for (name, group), n in totals.items():
        assert ours.loc[(force_by_name(name).id, group)] == n, (name, group)
