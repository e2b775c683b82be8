"""Force registry."""

from __future__ import annotations

import pytest

from peelstats.data import all_forces, get_force
from peelstats.errors import ParameterError


def test_registry_has_43_territorial_forces_and_btp():
    forces = all_forces()
    assert len(forces) == 44
    assert len(all_forces(territorial_only=True)) == 43
    codes = [f.pfa_code for f in forces if f.pfa_code]
    assert len(set(codes)) == 43
    assert sum(c.startswith("W15") for c in codes) == 4
    btp = get_force("btp")
    assert btp.pfa_code is None and not btp.has_population


def test_get_force():
    durham = get_force("durham")
    assert (durham.name, durham.full_name, durham.pfa_code) == (
        "Durham",
        "Durham Constabulary",
        "E23000008",
    )
    assert durham.region == "North East" and durham.country == "England"
    assert get_force("dyfed-powys").country == "Wales"
    assert get_force("city-of-london").pfa_code == "E23000034"


def test_unknown_force_suggests_close_matches():
    with pytest.raises(ParameterError, match="did you mean durham"):
        get_force("durhm")


@pytest.mark.parametrize("bad", ["../durham", "durham/x", "Durham", "dur ham", "..", "", "a\\b"])
def test_malformed_ids_rejected(bad):
    with pytest.raises(ParameterError):
        get_force(bad)


def test_pfa_codes_and_names_match_ons_lookup(shared_data):
    import csv

    with open(shared_data / "census-2021" / "LAD22-CSP22-PFA22-lookup.csv", encoding="utf-8") as f:
        lookup = {r["PFA22CD"]: r["PFA22NM"] for r in csv.DictReader(f)}
    ours = {f.pfa_code: f.pfa_name for f in all_forces(territorial_only=True)}
    assert ours == lookup
