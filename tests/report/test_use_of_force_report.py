"""The use of force section in a real report: ``peelstats run --force durham --period 2021Q3``
on the committed default data puts it in report.html, estimates.csv (the measure names are a
contract), estimates.xlsx and report.docx; the notebook is left out, with its reason, for a force
the tables have no figures for and for data without the tables.

Expected figures are the published ones (Home Office tables: 8,000 incidents in 2019/20, 348
Taser uses, 47 discharges; England and Wales 491,984; the inspectorate's 9,208).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from peelstats.config import paths
from peelstats.run.notebooks import SKIP_RULES, RunContext

PERIOD = "2021Q3"
CONTRACT = (
    "use_of_force_incidents",
    "use_of_force_rate",
    "use_of_force_change",
    "ced_uses",
    "ced_discharges",
    "ced_discharge_share",
    "use_of_force_tactics_ratio_vs_white",
    "use_of_force_tactics_ratio_vs_white_min",
    "use_of_force_tactics_ratio_vs_white_max",
)


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("uof")
    run = subprocess.run(
        [sys.executable, "-m", "peelstats", "run", "--force", "durham", "--period", PERIOD,
         "--data", "default", "--out", str(out)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return out / PERIOD / "durham"


@pytest.mark.slow
def test_the_section_is_in_report_html(report):
    page = BeautifulSoup((report / "report.html").read_text(encoding="utf-8"), "html.parser")
    heading = page.find("h2", id="use-of-force")
    assert heading is not None and "financial year 2019/20" in heading.get_text()
    text = re.sub(r"\s+", " ", page.get_text(" "))
    assert "Durham recorded 8,000 use of force incidents" in text
    assert "Census 2021 usual residents" in text
    assert "348 times" in text and "47 of them discharges" in text
    assert "491,984 use of force incidents" in text
    assert "The inspectorate published 9,208 use of force incidents" in text
    assert "cannot be compared directly" in text
    figure = page.find("figure", id="chart-funnel_use_of_force_rate")
    assert figure is not None and figure.find("img")["alt"].startswith("Funnel plot:")
    assert figure.find("details") is not None  # the data behind the chart
    assert (report / "charts" / "funnel_use_of_force_rate.svg").is_file()
    assert len(page.find_all("h1")) == 1
    ids = [t["id"] for t in page.find_all(id=True)]
    assert len(ids) == len(set(ids))


@pytest.mark.slow
def test_estimates_carry_the_contracted_measures_with_their_periods(report):
    table = pd.read_csv(report / "tables" / "estimates.csv", keep_default_na=False,
                        na_values=[""])  # fmt: skip
    for measure in CONTRACT:
        assert measure in set(table["measure"]), measure
    rows = table[table["measure"] == "use_of_force_incidents"].set_index("period_start")
    assert (
        rows.loc["2019-04", "estimate"] == 8000 and rows.loc["2019-04", "period_end"] == "2020-03"
    )
    assert rows.loc["2018-04", "estimate"] == 6850
    black = table[
        (table["measure"] == "use_of_force_tactics_ratio_vs_white") & (table["group"] == "Black")
    ].iloc[0]
    assert "design effect" in black["method"] and "design_effect" in black["flags"]
    assert {"Black", "Asian", "Mixed", "Other"} <= set(
        table.loc[table["measure"] == "use_of_force_tactics_ratio_vs_white_max", "group"]
    )


@pytest.mark.slow
def test_the_section_has_its_sheet_and_word_headings(report):
    from docx import Document
    from openpyxl import load_workbook

    from peelstats.report.wording import sheets

    book = load_workbook(report / "estimates.xlsx")
    assert "Use of force" in book.sheetnames
    sheet = book["Use of force"]
    header = [cell.value for cell in sheet[1]]
    column = header.index(sheets.COLUMNS["measure"])
    measures = {row[column].value for row in sheet.iter_rows(min_row=2)}
    assert {"use_of_force_rate", "ced_discharge_share"} <= measures
    headings = [p.text for p in Document(report / "report.docx").paragraphs
                if p.style.name.startswith("Heading")]  # fmt: skip
    assert any(h.startswith("Use of force: financial year 2019/20") for h in headings)


def test_the_notebook_is_skipped_where_the_tables_have_no_figures(tmp_path):
    rule = SKIP_RULES["use_of_force"]
    assert rule(RunContext("durham", PERIOD, "default")) is None
    reason = rule(RunContext("btp", PERIOD, "default"))
    assert reason == "the Home Office use of force tables have no figures for this force"
    folder = tmp_path / "data"
    shutil.copytree(paths().default, folder)
    for path in folder.glob("use_of_force_*.csv"):
        path.unlink()
    reason = rule(RunContext("durham", PERIOD, str(folder)))
    assert reason == "the data has no Home Office use of force tables"
