"""Small synthetic editions of the Home Office police use of force data tables, in the published
layouts (2017/18 as the shared data README describes it; 2019/20), written as ODS, for the
reader's and prepare's tests. The figures written into them are the tests' expected values."""

from __future__ import annotations

import pandas as pd
import pytest

from peelstats.errors import InputFileError

# (region, name as published, incidents, CED rows by year: drawn, aimed, red-dot, arced,
# drive stun, fired, angled drive stun, not stated)
CED_1718 = {
    "Cleveland": (43, 86, 38, 0, 0, 21, 0, 3),
    "Durham": (21, 20, 135, 0, 2, 46, 0, 12),
    "City of London": (26, 5, 39, 0, 1, 5, 0, 0),
    "Metropolitan": (1490, 569, 2443, 21, 17, 383, 28, 0),
    "Hampshire": (93, 17, 161, 5, 1, 51, 1, 0),
}
CED_1718_REVISED = {**CED_1718, "Hampshire": (3, 0, 3, 0, 0, 0, 0, 152)}
CED_1819 = {
    "Cleveland": (54, 10, 153, 1, 0, 31, 0, 0),
    "Durham": (58, 21, 164, 1, 1, 51, 0, 8),
    "City of London": (17, 4, 24, 1, 0, 3, 0, 0),
    "Metropolitan": (1960, 834, 3863, 35, 15, 673, 16, 0),
    "Hampshire": (12, 7, 46, 3, 0, 17, 0, 124),
}
CED_1920 = {
    "Cleveland": (60, 20, 150, 3, 1, 40, 0, 5),
    "Durham": (57, 32, 199, 2, 0, 47, 0, 11),
    "City of London": (10, 2, 20, 0, 0, 3, 0, 0),
    "Metropolitan": (2381, 1092, 5613, 47, 12, 920, 3, 0),
    "Hampshire": (62, 51, 246, 9, 1, 50, 0, 61),
}
REGION = {
    "Cleveland": "North East",
    "Durham": "North East",
    "City of London": "London",
    "Metropolitan": "London",
    "Hampshire": "South East",
}
INCIDENTS = {
    "2017/18": {
        "Cleveland": 6315,
        "Durham": 5594,
        "City of London": 1148,
        "Metropolitan": 61016,
        "Hampshire": 4917,
    },
    "2019/20": {
        "Cleveland": 11048,
        "Durham": 8000,
        "City of London": 2951,
        "Metropolitan": 157705,
        "Hampshire": 4919,
    },
}
GROUPS_1718 = {  # Table 4; sums to the 78,990 incidents of the five forces
    "White": 60000,
    "Black (or Black British)": 9000,
    "Asian (or Asian British)": 4000,
    "Chinese": 190,
    "Mixed": 2000,
    "Other": 1800,
    "Don't know": 1500,
    "Not reported": 500,
}
GROUPS_1920 = {  # sums to 184,623
    "White": 150000,
    "Black (or Black British)": 20000,
    "Asian (or Asian British)": 8000,
    "Mixed": 3000,
    "Other": 2000,
    "Not reported": 1623,
}


def _ced_row(values):
    drawn, aimed, red, arced, stun, fired, angled, stated = values
    non, dis = drawn + aimed + red + arced, stun + fired + angled
    return [non + dis + stated, non, drawn, aimed, red, arced, dis, stun, fired, angled, stated]


def _ced_block(rows, year=None):
    """Table 13 rows: England and Wales, each region's total, then its forces."""
    lead = [] if year is None else [year]
    ew = [sum(col) for col in zip(*map(_ced_row, rows.values()), strict=True)]
    out = [[*lead, "England and Wales", "*Total England and Wales", *ew]]
    for region in dict.fromkeys(REGION.values()):
        names = [n for n in rows if REGION[n] == region]
        total = [sum(col) for col in zip(*(_ced_row(rows[n]) for n in names), strict=True)]
        out.append([*lead, region, f"*Total {region} ", *total])
        out += [[*lead, region, name, *_ced_row(rows[name])] for name in names]
    return out


CED_HEADER = [
    "Police force",
    "Total",
    "Total non-discharge",
    "Drawn ",
    "Aimed",
    "Red-dot",
    "Arced",
    "Total discharge",
    "Drive stun",
    "Fired",
    "Angled drive stun",
]


def _incidents_table(title, year):
    rows = [[title], ["Contents"], [], ["Region", "Police force", "Total"]]
    counts = INCIDENTS[year]
    rows.append(["England and Wales", "Total England and Wales", sum(counts.values())])
    for region in dict.fromkeys(REGION.values()):
        names = [n for n in counts if REGION[n] == region]
        rows.append([region, f"Total {region} ", sum(counts[n] for n in names)])
        rows += [[region, n, counts[n]] for n in names]
    return rows + [[], ["Notes"], ["These figures do not represent all police use of force."]]


def sheets_1718() -> dict[str, list[list]]:
    """An edition in the 2017/18 layout the README describes: 15 tables; Table 1 has one column
    and total incidents in a separate row; Table 13 covers the year only, with no Financial year
    column; Tables 14-15 legacy CED tables; no by-force tables of age, gender or ethnicity."""
    total = sum(INCIDENTS["2017/18"].values())
    title = "Police use of force statistics, England and Wales"
    sheets = {
        "Cover_sheet": [[], [None, title], [None, "Tables - 01 to 15"]],
        "Contents": [
            [f"{title}, 1 April 2017 to 31 March 2018"],
            ["Table", "Title", "Period covered"],
            [1, "Number of times tactics were used", "Year ending 31 March 2018"],
        ],
        "Table_1": [
            ["Table 1. Number of times tactics were used"],
            ["Contents"],
            [],
            ["Total number of incidents", None, total],
            [],
            ["Type of force", "Tactic", "Total"],
            ["Restraint", "Total Restraint", 60000],
            ["Less lethal weapons", "CED, of which", 6000],
            [],
            ["Notes"],
            [
                "All 43 forces provided figures on police use of CEDs in 2017-18. However, 17 "
                "police forces provided the Home Office with summary data on CED use."
            ],
        ],
        "Table_4": [
            [
                "Table 4. Number of times tactics were used, by officer perceived ethnicity of "
                "subject"
            ],
            ["Contents"],
            [],
            [None, None, "Perceived ethnicity"],
            [None, None, *GROUPS_1718],
            ["Total number of incidents involving group", None, *GROUPS_1718.values()],
            [],
            ["Type of force", "Tactic", *[None] * 8, None, "Total incidents per tactic"],
            ["Restraint", "Total Restraint", *[1000] * 8, None, 8000],
        ],
        "Table_12": _incidents_table("Table 12. Incidents by police force", "2017/18"),
        "Table_13": [
            ["Table 13. Use of CED by type and police force: 1 April 2017 to 31 March 2018"],
            ["Contents"],
            [],
            ["Region", *CED_HEADER, "Not stated"],
            *_ced_block(CED_1718),
            [],
            ["Notes"],
        ],
    }
    for number, period in [(14, "January to March 2017"), (15, "January to December 2016")]:
        decoy = {n: tuple(v * 2 for v in values) for n, values in CED_1718.items()}
        sheets[f"Table_{number}"] = [
            [f"Table {number}. Use of CED by type and police force: {period}"],
            ["Contents"],
            [],
            ["Region", *CED_HEADER, "Not stated"],
            *_ced_block(decoy),
        ]
    return sheets


def _tactics_rows(force, base, unavailable):
    """Table 16 rows for one force: Total Tactics, a restraint row, CED and its levels."""
    groups = [base * 10, base * 3, base * 2, base, base, base]
    ced = [base, 2, 1, 1, 0, 1]
    dis = [v // 2 for v in ced]
    rows = [
        [force, "Total (excluding not reported)", "*Total Tactics", *groups, sum(groups)],
        [force, "Restraint", "*Total Restraint", *[v // 2 for v in groups], None],
        [force, "Less lethal weapons", "CED of which", *ced, sum(ced)],
    ]
    if unavailable:
        rows += [[force, "Less lethal weapons", level, *[":"] * 7] for level in ["CED discharge"]]
    else:
        rows += [[force, "Less lethal weapons", "CED discharge", *dis, sum(dis)]]
    rows[1][-1] = sum(rows[1][3:9])
    return rows


def sheets_1920() -> dict[str, list[list]]:
    """An edition in the 2019/20 layout (Table 13 cumulative from 2017/18, Hampshire's 2017/18
    row revised; Table 16 by force and ethnicity; six ethnic groups)."""
    total = sum(INCIDENTS["2019/20"].values())
    title = "Police use of force statistics, England and Wales"
    forces = {"Cleveland": 40, "Durham": 30, "City of London": 5, "Metropolitan": 600}
    forces["Hampshire"] = 20
    t16 = []
    for name, base in forces.items():
        t16 += _tactics_rows(name, base, unavailable=name in {"Hampshire", "City of London"})
    ew = [sum(r[i] for r in t16 if r[2] == "*Total Tactics") for i in range(3, 10)]
    return {
        "Cover_sheet": [[], [None, f"{title}\nApril 2019 - March 2020"]],
        "Contents": [[f"{title}, 1 April 2019 to 31 March 2020"]],
        "Table_1": [
            [
                "Table 1. Number of times tactics were used and total number of incidents in "
                "which they were used, year ending March 2020"
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
            [],
            ["Notes"],
            [
                "Whilst all 43 forces provided figures on police use of CEDs in 2019-20, 2 police "
                "forces were not able to provide incident level data by level of CED use."
            ],
        ],
        "Table_4": [
            [
                "Table 4. Number of times tactics were used, by officer perceived ethnicity of "
                "person involved, year ending March 2020"
            ],
            ["Contents"],
            [],
            [None, None, "Perceived ethnicity (Total number of incidents involving group)"],
            [None, None, *GROUPS_1920, "Total number of incidents"],
            [None, None, *GROUPS_1920.values(), total],
            ["Type of force", "Tactic", *[None] * 6, "Number of times tactic reported"],
        ],
        "Table_12": _incidents_table(
            "Table 12. Incidents by police force, year ending March 2020", "2019/20"
        ),
        "Table_13": [
            ["Table 13. Use of CED by type and police force: 1 April 2017 to 31 March 2020"],
            ["Contents"],
            [],
            ["Financial year", "Region", *CED_HEADER, "CED not \nstated"],
            *[
                row
                for year, rows in [
                    ("2017/18", CED_1718_REVISED),
                    ("2018/19", CED_1819),
                    ("2019/20", CED_1920),
                ]
                for row in _ced_block(rows, year)
            ],
            [],
            ["Notes"],
            ["(R) shows where figures have been revised since the December 2018 publication"],
        ],
        "Table_16": [
            [
                "Table 16. Number of times tactics were used, by police force and officer "
                "perceived ethnicity of person involved, year ending March 2020"
            ],
            ["Contents"],
            [],
            ["Total number of incidents involving group", None, None, "Perceived ethnicity"],
            [
                "Police force",
                "Type of force",
                "Tactic",
                *GROUPS_1920,
                "Number of times tactic reported",
            ],
            ["Total England and Wales", "Total", "*Total Tactics", *ew],
            *t16,
            [],
            ["Notes"],
            [": = not available."],
        ],
    }


def hampshire_revised(sheets):
    """Mark Hampshire's revised 2017/18 row (R), as the Home Office does."""
    for row in sheets["Table_13"]:
        if row[:1] == ["2017/18"] and len(row) > 2 and row[2] == "Hampshire":
            row[2] = "Hampshire (R)"
    return sheets


def write(path, sheets):
    with pd.ExcelWriter(path, engine="odf") as writer:
        for name, rows in sheets.items():
            width = max((len(r) for r in rows), default=1)
            frame = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in rows])
            frame.to_excel(writer, sheet_name=name, header=False, index=False)
    return path


def one_line(function, *args) -> str:
    with pytest.raises(InputFileError) as info:
        function(*args)
    text = str(info.value)
    assert "\n" not in text and "Traceback" not in text
    return text


def cell(sheets, sheet, match):
    """(row list, 1-based row) of the first row of ``sheet`` whose cells include ``match``."""
    for number, row in enumerate(sheets[sheet], start=1):
        if match in row:
            return row, number
    raise AssertionError(match)
