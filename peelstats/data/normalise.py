"""Label mappings from police.uk stop-and-search values to the categories peelstats analyses.

Every mapping is an explicit table: a label not in it is an input error (so a new police.uk
wording is noticed, not silently miscounted). docs/data.md lists the tables and the reasons.
"""

from __future__ import annotations

import re

from peelstats.vocabulary import GROUPS, UNKNOWN

ETHNIC_GROUPS = GROUPS
ETHNICITY_VALUES = (*GROUPS, UNKNOWN)
OUTCOME_CLASSES = ("arrest", "other_action", "no_further_action", "unknown")
NOT_RECORDED = "Not recorded"

# Self-defined ethnicity: police.uk prefixes the 16+1 (2011) or 19 (2021) census categories with
# the group name. Both wordings are listed. "Not stated" and blank are Unknown.
_SELF_LABELS: dict[str, list[str]] = {
    "Asian": [
        "Asian/Asian British - Bangladeshi",
        "Asian/Asian British - Chinese",
        "Asian/Asian British - Indian",
        "Asian/Asian British - Pakistani",
        "Asian/Asian British - Any other Asian background",
        "Asian, Asian British or Asian Welsh - Bangladeshi",
        "Asian, Asian British or Asian Welsh - Chinese",
        "Asian, Asian British or Asian Welsh - Indian",
        "Asian, Asian British or Asian Welsh - Pakistani",
        "Asian, Asian British or Asian Welsh - Any other Asian background",
    ],
    "Black": [
        "Black/African/Caribbean/Black British - African",
        "Black/African/Caribbean/Black British - Caribbean",
        "Black/African/Caribbean/Black British - Any other Black/African/Caribbean background",
        "Black, Black British, Black Welsh, Caribbean or African - African",
        "Black, Black British, Black Welsh, Caribbean or African - Caribbean",
        "Black, Black British, Black Welsh, Caribbean or African - Any other Black, Black "
        "British, or Caribbean background",
    ],
    "Mixed": [
        "Mixed/Multiple ethnic groups - White and Asian",
        "Mixed/Multiple ethnic groups - White and Black African",
        "Mixed/Multiple ethnic groups - White and Black Caribbean",
        "Mixed/Multiple ethnic groups - Any other Mixed/Multiple ethnic background",
        "Mixed or Multiple ethnic groups - White and Asian",
        "Mixed or Multiple ethnic groups - White and Black African",
        "Mixed or Multiple ethnic groups - White and Black Caribbean",
        "Mixed or Multiple ethnic groups - Any other Mixed or Multiple ethnic background",
    ],
    "White": [
        "White - English/Welsh/Scottish/Northern Irish/British",
        "White - Irish",
        "White - Gypsy or Irish Traveller",
        "White - Any other White background",
        "White - English, Welsh, Scottish, Northern Irish or British",
        "White - Roma",
    ],
    "Other": [
        "Other ethnic group - Arab",
        "Other ethnic group - Any other ethnic group",
    ],
    UNKNOWN: ["Other ethnic group - Not stated", ""],
}
SELF_ETHNICITY: dict[str, str] = {
    label: group for group, labels in _SELF_LABELS.items() for label in labels
}

#: Officer-defined ethnicity: police.uk publishes the five group names themselves.
OFFICER_ETHNICITY: dict[str, str] = {**{group: group for group in GROUPS}, "": UNKNOWN}

OUTCOME_CLASS: dict[str, str] = {
    # current wording (police.uk since 2017)
    "Arrest": "arrest",
    "A no further action disposal": "no_further_action",
    "Community resolution": "other_action",
    "Khat or Cannabis warning": "other_action",
    "Summons / charged by post": "other_action",
    "Penalty Notice for Disorder": "other_action",
    "Caution (simple or conditional)": "other_action",
    # earlier wording
    "Suspect arrested": "arrest",
    "Nothing found - no further action": "no_further_action",
    "Suspect summonsed to court": "other_action",
    "Offender given penalty notice": "other_action",
    "Offender cautioned": "other_action",
    "Offender given drugs possession warning": "other_action",
    "Local resolution": "other_action",
    # something found, action not recorded: could be an arrest, so not classed
    "Article found - Detailed outcome unavailable": "unknown",
    "": "unknown",
}

TYPES = ("Person search", "Person and Vehicle search", "Vehicle search")
GENDERS = ("Male", "Female", "Other", "")
AGE_RANGES = ("under 10", "10-17", "18-24", "25-34", "over 34", "")
BOOLEANS = ("True", "False", "")

# Legislation: the four powers the Home Office reports separately, then Other / Not recorded.
_LEGISLATION_PATTERNS = [
    (re.compile(r"^Police and Criminal Evidence Act 1984 \(section 1\)$"), "PACE s1"),
    (re.compile(r"^Misuse of Drugs Act 1971 \(section 23\)$"), "Misuse of Drugs Act s23"),
    (re.compile(r"^Firearms Act 1968 \(section 47\)$"), "Firearms Act s47"),
    (re.compile(r"^Criminal Justice and Public Order Act 1994 \(section 60\)$"), "CJPOA s60"),
]
LEGISLATION_GROUPS = (
    "PACE s1",
    "Misuse of Drugs Act s23",
    "Firearms Act s47",
    "CJPOA s60",
    "Other",
    NOT_RECORDED,
)


def legislation_group(label: str) -> str:
    """Group a ``Legislation`` label: the four main powers, ``Other`` or ``Not recorded``."""
    label = label.strip()
    if not label:
        return NOT_RECORDED
    for pattern, group in _LEGISLATION_PATTERNS:
        if pattern.match(label):
            return group
    return "Other"


def object_of_search(label: str) -> str:
    """The ``Object of search`` label as published, blank as ``Not recorded``."""
    return label if label.strip() else NOT_RECORDED


#: column -> allowed labels (a label outside these is an InputFileError)
ALLOWED: dict[str, tuple[str, ...]] = {
    "Type": TYPES,
    "Gender": GENDERS,
    "Age range": AGE_RANGES,
    "Self-defined ethnicity": tuple(SELF_ETHNICITY),
    "Officer-defined ethnicity": tuple(OFFICER_ETHNICITY),
    "Outcome": tuple(OUTCOME_CLASS),
    "Outcome linked to object of search": BOOLEANS,
    "Part of a policing operation": BOOLEANS,
    "Removal of more than just outer clothing": BOOLEANS,
}

#: how the allowed labels are described in an error message
EXPECTED: dict[str, str] = {
    "Type": "one of " + ", ".join(repr(t) for t in TYPES),
    "Gender": "Male, Female, Other or blank",
    "Age range": "under 10, 10-17, 18-24, 25-34, over 34 or blank",
    "Self-defined ethnicity": "a police.uk census-style label such as 'White - Irish' or blank",
    "Officer-defined ethnicity": "Asian, Black, Mixed, White, Other or blank",
    "Outcome": "a police.uk outcome label such as 'Arrest' or 'A no further action disposal'",
    "Outcome linked to object of search": "True, False or blank",
    "Part of a policing operation": "True, False or blank",
    "Removal of more than just outer clothing": "True, False or blank",
}


def linked_find(linked: str, outcome_class: str) -> bool:
    """A find linked to the object of search: linked = True and an arrest or other action."""
    return linked == "True" and outcome_class in ("arrest", "other_action")
