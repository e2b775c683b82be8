"""Crime outcome rates, recounted here from the Home Office open-data file with the csv module
(independently of the data layer), and the published PEEL Figure 2 comparison worked by hand."""

from __future__ import annotations

import csv
import gzip
import math
from collections import Counter

import pandas as pd
import pytest

from peelstats.analysis import outcomes as oc
from peelstats.analysis.inspection import InspectionData
from peelstats.analysis.params import validate
from peelstats.analysis.published import build_outcomes

NOT_VICTIM_BASED = {
    "Drug offences",
    "Possession of weapons offences",
    "Public order offences",
    "Miscellaneous crimes against society",
}
Z = 1.959963984540054


def wilson(x, n):
    p = x / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / (1 + Z * Z / n)
    return centre - half, centre + half


def test_durham_charge_rate_and_rest_of_england_and_wales(shared_data):
    charged, total = Counter(), Counter()
    path = shared_data / "home-office-outcomes" / "crime-outcomes-2017-18.csv.gz"
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            force, group = row["force_name"], row["offence_group"]
            if force in ("NA", "British Transport Police") or group in NOT_VICTIM_BASED:
                continue
            n = 0 if row["offences"] == "NA" else int(row["offences"])
            total[force] += n
            if row["outcome_type"] == "1":
                charged[force] += n
    params = validate("durham", "2021Q3", "self", 0.95, "svg", "default")
    result = oc.build(oc.OutcomesData.load(), params)
    row = next(r for r in result.rows if r.label == "1: Charged/summonsed")
    assert (row.force_count, row.force_total) == (charged["Durham"], total["Durham"])
    rest_x = sum(v for k, v in charged.items() if k != "Durham")
    rest_n = sum(v for k, v in total.items() if k != "Durham")
    assert (row.rest_count, row.rest_total) == (rest_x, rest_n)
    assert (row.lower, row.upper) == pytest.approx(
        wilson(charged["Durham"], total["Durham"]), rel=1e-9
    )
    # one judgement per figure: the charge rate is judged on the funnel, not against the rest
    assert row.judged_by == "funnel" and result.charge_funnel.position is not None


def test_published_figure_2_against_england_and_wales():
    published = pd.DataFrame(
        {
            "force_percent": [6.4, 0.0, 35.8],
            "england_wales_percent": [4.6, 0.0, 40.9],
            "crimes": [51315, 51315, 51315],
            "outcome_types": ["1", "9", "18"],
            "outcome_label": ["a", "b", "c"],
            "period": "year ending 31 December 2022",
            "source": "HMICFRS",
        }
    )
    params = validate("durham", "2021Q3", "self", 0.95, "svg", "default")
    rows = build_outcomes(
        InspectionData("durham", {"published_outcomes.csv": published}), params
    ).rows
    # a published 6.4% is 6.35% to 6.45%: 3,258 to 3,310 of 51,315 crimes (worked by hand), so
    # the interval runs from the first count's lower limit to the second's upper limit
    low, high = wilson(3258, 51315)[0], wilson(3310, 51315)[1]
    assert (rows[0].lower, rows[0].upper) == pytest.approx((low, high), rel=1e-9)
    # a published 0.0% may be up to 0.05%: 0 to 26 crimes, never an interval of 0.00 to 0.01%
    assert rows[1].lower == 0 and rows[1].upper == pytest.approx(wilson(26, 51315)[1], rel=1e-9)
    # 4.6% is below Durham's interval, 40.9% above it; 0.0% vs 0.0% is no difference
    assert [r.versus for r in rows] == ["higher", "not_different", "lower"]
