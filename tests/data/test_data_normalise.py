"""Label mappings."""

from __future__ import annotations

from peelstats.data import normalise as n


def test_self_ethnicity_groups():
    m = n.SELF_ETHNICITY
    assert m["White - English/Welsh/Scottish/Northern Irish/British"] == "White"
    assert m["Black/African/Caribbean/Black British - African"] == "Black"
    assert m["Mixed/Multiple ethnic groups - White and Asian"] == "Mixed"
    assert m["Asian/Asian British - Chinese"] == "Asian"
    assert m["Other ethnic group - Arab"] == "Other"
    assert m["Other ethnic group - Not stated"] == "Unknown"
    assert m[""] == "Unknown"
    assert set(m.values()) == set(n.ETHNICITY_VALUES)


def test_officer_ethnicity():
    assert n.OFFICER_ETHNICITY[""] == "Unknown"
    assert set(n.OFFICER_ETHNICITY.values()) == set(n.ETHNICITY_VALUES)


def test_outcome_classes():
    c = n.OUTCOME_CLASS
    assert c["A no further action disposal"] == c["Nothing found - no further action"]
    assert c["Nothing found - no further action"] == "no_further_action"
    assert c["Arrest"] == c["Suspect arrested"] == "arrest"
    for label in (
        "Summons / charged by post",
        "Caution (simple or conditional)",
        "Community resolution",
        "Khat or Cannabis warning",
        "Penalty Notice for Disorder",
        "Offender given drugs possession warning",
    ):
        assert c[label] == "other_action"
    assert c[""] == "unknown"


def test_legislation_groups():
    g = n.legislation_group
    assert g("Police and Criminal Evidence Act 1984 (section 1)") == "PACE s1"
    assert g("Misuse of Drugs Act 1971 (section 23)") == "Misuse of Drugs Act s23"
    assert g("Firearms Act 1968 (section 47)") == "Firearms Act s47"
    assert g("Criminal Justice and Public Order Act 1994 (section 60)") == "CJPOA s60"
    assert g("Deer Act 1991 (section 12)") == "Other"
    assert g("") == "Not recorded"


def test_object_of_search():
    assert n.object_of_search("Firearms") == "Firearms"
    assert n.object_of_search("") == "Not recorded"


def test_linked_find_definition():
    assert n.linked_find("True", "arrest") and n.linked_find("True", "other_action")
    assert not n.linked_find("True", "no_further_action")
    assert not n.linked_find("True", "unknown")
    assert not n.linked_find("False", "arrest") and not n.linked_find("", "arrest")
