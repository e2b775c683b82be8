"""One force and quarter through papermill, checked against the raw police.uk files and the
Census table recounted here with the csv module, independently of peelstats' data layer.

Durham, 2021Q3 = the 12 months October 2020 to September 2021. Expected intervals are worked
from their closed forms with scipy (exact Poisson: Garwood 1936 via chi-square quantiles;
Wilson 1927).
"""

from __future__ import annotations

import csv
import math
import subprocess
import sys
from collections import Counter

import pandas as pd
import pytest
from scipy import stats as sps

pytestmark = pytest.mark.slow

FORCE, PERIOD = "durham", "2021Q3"
MONTHS = [f"2020-{m:02d}" for m in (10, 11, 12)] + [f"2021-{m:02d}" for m in range(1, 10)]
GROUP_PREFIX = {"White": "White", "Black": "Black", "Asian": "Asian", "Mixed": "Mixed"}
NOT_FOUND = {"A no further action disposal", "Nothing found - no further action"}


def group_of(label: str) -> str:
    if label in ("", "Other ethnic group - Not stated"):
        return "Unknown"
    head = label.split("/")[0].split(" ")[0]
    return GROUP_PREFIX.get(head, "Other")


def recount(shared_data):
    searches, arrests, finds = Counter(), Counter(), Counter()
    for month in MONTHS:
        path = shared_data / "police-uk-archive" / month / f"{month}-{FORCE}-stop-and-search.csv"
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                group = group_of(row["Self-defined ethnicity"])
                outcome = row["Outcome"]
                for key in (group, "all"):
                    searches[key] += 1
                    arrests[key] += outcome == "Arrest"
                    finds[key] += (
                        row["Outcome linked to object of search"] == "True"
                        and outcome not in NOT_FOUND
                        and outcome != ""
                    )
    return searches, arrests, finds


def census(shared_data, pfa="E23000008"):
    lads = set()
    with (shared_data / "census-2021" / "LAD22-CSP22-PFA22-lookup.csv").open(
        encoding="utf-8-sig"
    ) as f:
        lads = {r["LAD22CD"] for r in csv.DictReader(f) if r["PFA22CD"] == pfa}
    codes = {"Asian": range(1, 6), "Black": range(6, 9), "Mixed": range(9, 13),
             "White": range(13, 18), "Other": range(18, 20)}  # fmt: skip
    pop = Counter()
    with (shared_data / "census-2021" / "TS021-ethnic-group-by-ltla.csv").open(
        encoding="utf-8-sig"
    ) as f:
        for r in csv.DictReader(f):
            if r["Lower Tier Local Authorities Code"] in lads:
                code, n = int(r["Ethnic group (20 categories) Code"]), int(r["Observation"])
                pop["all"] += n
                for group, rng in codes.items():
                    if code in rng:
                        pop[group] += n
    return pop


@pytest.fixture(scope="module")
def estimates(shared_data, tmp_path_factory):
    out = tmp_path_factory.mktemp("outputs")
    run = subprocess.run(
        [sys.executable, "-m", "peelstats", "run", "--force", FORCE, "--period", PERIOD,
         "--out", str(out), "--no-paper"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    folder = out / PERIOD / FORCE
    assert (folder / "report.html").is_file()
    assert (folder / "stop_search.ipynb").is_file()
    return pd.read_csv(folder / "tables" / "estimates.csv", keep_default_na=False,
                       na_values=[""])  # fmt: skip


def pick(table, measure, group):
    row = table[(table["measure"] == measure) & (table["group"] == group)]
    assert len(row) == 1, (measure, group)
    return row.iloc[0]


def test_census_check_values(shared_data):
    pop = census(shared_data)
    assert (pop["Black"], pop["White"], pop["all"]) == (2441, 607196, 629863)  # issue's check


def test_searches_and_outcomes_match_the_raw_files(shared_data, estimates):
    searches, arrests, finds = recount(shared_data)
    for group in ("Asian", "Black", "Mixed", "White", "Other", "Unknown", "all"):
        assert pick(estimates, "searches", group)["estimate"] == searches[group], group
        rate = pick(estimates, "arrest_rate", group)
        assert (rate["numerator"], rate["denominator"]) == (arrests[group], searches[group])
        find = pick(estimates, "linked_find_rate", group)
        assert (find["numerator"], find["denominator"]) == (finds[group], searches[group])


def test_rates_per_1000_and_exact_intervals(shared_data, estimates):
    searches, _, _ = recount(shared_data)
    pop = census(shared_data)
    for group in ("Asian", "Black", "Mixed", "White", "Other", "all"):
        row = pick(estimates, "search_rate_per_1000", group)
        x, n = searches[group], pop[group]
        assert row["estimate"] == pytest.approx(x / n * 1000, rel=1e-9)
        lower = sps.chi2.ppf(0.025, 2 * x) / 2 / n * 1000 if x else 0.0
        upper = sps.chi2.ppf(0.975, 2 * x + 2) / 2 / n * 1000
        assert (row["lower"], row["upper"]) == pytest.approx((lower, upper), rel=1e-7)


def test_black_white_ratio_and_exact_conditional_interval(shared_data, estimates):
    searches, _, _ = recount(shared_data)
    pop = census(shared_data)
    row = pick(estimates, "search_rate_ratio_vs_white", "Black")
    b, w = searches["Black"], searches["White"]
    assert row["estimate"] == pytest.approx((b / pop["Black"]) / (w / pop["White"]), rel=1e-9)
    # Clopper-Pearson on b / (b + w), mapped to the ratio (exact conditional method)
    ci = sps.binomtest(b, b + w).proportion_ci(0.95, method="exact")
    factor = pop["White"] / pop["Black"]
    lo, hi = ci.low / (1 - ci.low) * factor, ci.high / (1 - ci.high) * factor
    assert (row["lower"], row["upper"]) == pytest.approx((lo, hi), rel=1e-6)


def test_linked_find_rate_wilson_interval(shared_data, estimates):
    searches, _, finds = recount(shared_data)
    x, n = finds["all"], searches["all"]
    z = sps.norm.ppf(0.975)
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    row = pick(estimates, "linked_find_rate", "all")
    assert (row["lower"], row["upper"]) == pytest.approx((centre - half, centre + half), rel=1e-9)


def test_estimates_schema(estimates):
    assert list(estimates.columns) == [
        "force", "period", "measure", "group", "period_start", "period_end", "months_with_data",
        "months_in_period", "numerator", "denominator", "estimate", "lower", "upper", "method",
        "confidence", "p_value", "flags",
    ]  # fmt: skip
    ours = estimates[estimates["measure"] == "searches"]
    assert set(ours["period_start"]) == {"2020-10"} and set(ours["period_end"]) == {"2021-09"}
    assert set(ours["months_with_data"]) == {12}
    assert set(estimates["force"]) == {FORCE} and set(estimates["period"]) == {PERIOD}
    assert estimates["method"].str.len().min() > 0  # every figure names its method
    for measure in ("searches", "search_rate_per_1000", "search_rate_ratio_vs_white",
                    "arrest_rate", "linked_find_rate"):  # fmt: skip
        assert measure in set(estimates["measure"])
