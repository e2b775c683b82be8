"""A Panel member can repeat every sentence: real reports (Durham, West Midlands, Humberside,
Cumbria and North Yorkshire at 95%; Durham, West Midlands and Cumbria at 99% with
officer-defined ethnicity; British Transport Police and the City of London) read whole, in
HTML, Word, PDF and the spreadsheet, for each kind of fault a careful reader found.

Expected words come from the inspectorate's report (../shared/seeds/003) and from arithmetic on
the numbers each sentence prints, never from the code's own output.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from reporthelpers import PERIOD, soup, text

pytestmark = pytest.mark.slow
FORCES = ("durham", "west-midlands", "humberside", "cumbria", "north-yorkshire")
OPTIONS = ("durham", "west-midlands", "cumbria")


def pages(out, relabelled=None):
    """Every report.html of the shared runs, with its name."""
    found = [(f"{f} 95%", out / "main" / PERIOD / f / "report.html") for f in FORCES]
    found += [(f"{f} 99% officer", out / "options" / PERIOD / f / "report.html") for f in OPTIONS]
    if relabelled is not None:
        found += [(f, relabelled / f / "report.html") for f in ("btp", "city-of-london")]
    return found


def every_text(out, relabelled=None):
    return [(name, text(path)) for name, path in pages(out, relabelled)]


def summary_items(path: Path) -> list[str]:
    return [li.get_text(" ", strip=True) for li in
            soup(path).find("ul", class_="peelstats-summary").find_all("li")]  # fmt: skip


NUMBER = r"[-+]?\d[\d,]*(?:\.\d+)?"


# 1. the inspectorate's headline figures in the summary --------------------------------------------


def test_the_summary_sets_the_inspectorates_headline_figures_beside_ours(out):
    items = summary_items(out / "main" / PERIOD / "durham" / "report.html")
    said = " ".join(items)
    ratio = next(i for i in items if i.startswith("Black people were"))
    assert "2.4 times as likely" in ratio and "theirs lies inside this report's" in ratio
    assert "0.7 to 2.6" in ratio  # 2.4 lies inside 0.7 to 2.6
    find = next(i for i in items if "found what they were looking for" in i)
    assert "12.7 percent" in find and "the lowest linked find rate in England and Wales" in find
    assert "year ending 31 March 2022" in find
    assert re.search(r"77\.2 percent.*89\.5 percent", said)
    assert "Population base: theirs Census 2021; ours Census 2021" not in text(
        out / "main" / PERIOD / "durham" / "report.html"
    )


def test_a_difference_is_named_only_where_there_is_one(out):
    page = text(out / "main" / PERIOD / "durham" / "report.html")
    for theirs, ours in re.findall(r"population base \(theirs ([^;]+); ours ([^)]+)\)", page):
        assert theirs.strip() != ours.strip()
    officer = text(out / "options" / PERIOD / "durham" / "report.html")
    assert "population base (theirs Census 2021; ours Census 2021 residents by officer-defined" in (
        officer
    )  # a real difference: ours is officer-defined


# 2. spread in words agrees with the numbers beside it ---------------------------------------------


def test_the_spread_between_forces_agrees_with_its_own_numbers(out):
    checked = 0
    for name, page in every_text(out):
        for lo, hi, factor in re.findall(
            rf"lie between ({NUMBER})[^,()]*? and ({NUMBER})[^()]*?\(a factor of ({NUMBER})",
            page,
        ):
            lo_v, hi_v = float(lo.replace(",", "")), float(hi.replace(",", ""))
            assert abs(hi_v / lo_v - float(factor)) <= 0.06 + 0.05 * hi_v / lo_v, (name, lo, hi)
            checked += 1
        for lo, hi, apart in re.findall(
            rf"lie between ({NUMBER}) percent and ({NUMBER}) percent \(({NUMBER}) percentage "
            "points apart", page,
        ):  # fmt: skip
            assert abs(float(hi) - float(lo) - float(apart)) < 0.051, (name, lo, hi, apart)
            checked += 1
    assert checked >= 5


# 3. forces are counted in whole numbers -----------------------------------------------------------


def test_no_fraction_of_a_force(out):
    for name, page in every_text(out):
        assert not re.search(r"about \d+\.\d+ would", page), name
        assert not re.search(r"\d+\.\d+ (?:of them|forces?)\b", page), name


# 4. "all forces" that are not all -----------------------------------------------------------------


def test_no_all_forces_where_the_data_holds_some(out):
    for name, page in every_text(out):
        assert "all forces" not in page.lower(), name
        assert "Among all forces" not in page
    page = text(out / "main" / PERIOD / "durham" / "report.html")
    assert "The verdicts depend on which forces are compared" in page
    assert re.search(r"Among the \d+ forces", page)


# 5. precision that hides or invents a result ------------------------------------------------------


def _intervals(page: str):
    return re.findall(rf"({NUMBER})(%?) to ({NUMBER})\2(?![\d.])", page)


def test_no_shown_interval_has_equal_ends(out, relabelled):
    for name, page in every_text(out, relabelled):
        for lo, _, hi in _intervals(page):
            assert lo != hi, (name, f"{lo} to {hi}")


def test_a_significant_verdict_is_never_beside_an_interval_that_shows_no_difference(out):
    for name, page in every_text(out):
        for sentence in re.split(r"(?<=[.!?])\s+", page):
            if "statistically significant" not in sentence or "not statistically" in sentence:
                continue
            if "times" in sentence:  # a ratio: the interval must clear 1
                for lo, _, hi in _intervals(sentence):
                    lo_v, hi_v = float(lo.replace(",", "")), float(hi.replace(",", ""))
                    if 0 < lo_v and hi_v < 50:
                        assert not (lo_v <= 1.0 <= hi_v), (name, sentence)


def test_a_published_zero_is_not_given_a_false_precision(out):
    page = text(out / "main" / PERIOD / "durham" / "report.html")
    assert "0.00 to 0.01%" not in page
    assert not re.search(r"0\.0 to 0\.0%", page)


# 6. derived numbers and units ---------------------------------------------------------------------


def test_derived_counts_and_units_are_labelled(out):
    page = text(out / "main" / PERIOD / "durham" / "report.html")
    items = " ".join(summary_items(out / "main" / PERIOD / "durham" / "report.html"))
    assert "+/- 1.9 percentage points" in items and "+/- 1.9 percent)" not in items
    assert "about 196 of 254 records (a count derived from the published 77.2 percent" in page
    assert "a fall of 12.3 percentage points as published (77.2 against 89.5)" in page
    assert "about 389" not in page  # a weighted sample implies no size
    assert "weighted" in page


def test_the_audit_tables_label_a_derived_count_and_give_the_published_difference(out):
    """In the tables too: the 2022 count is the published 77.2% of 254 (derived, not
    published), and the change is given as published (77.2 - 89.5 = -12.3, the inspectorate's
    figures) beside the tested difference, which uses the implied earlier sample."""
    soup = BeautifulSoup((out / "main" / PERIOD / "durham" / "report.html").read_text(
        encoding="utf-8"), "html.parser")  # fmt: skip
    tables = {t.caption.get_text(strip=True): t for t in soup.find_all("table") if t.caption}
    records = tables["Records with reasonable grounds recorded"].get_text(" ")
    assert "about 196 of 254 (derived from the published percent)" in records
    change = tables["Change from the previous review"]
    head = [th.get_text(strip=True) for th in change.find("thead").find_all("th")]
    row = [c.get_text(strip=True) for c in change.find("tbody").find("tr").find_all(["th", "td"])]
    cells = dict(zip(head, row, strict=True))
    assert cells["Difference as published (points)"] == "-12.3"
    assert cells["Difference tested (points)"] != "-12.3"  # from the implied sample: said so
    assert cells["Notes"] == "earlier sample size implied"


# 7. large numbers and old data --------------------------------------------------------------------


def test_large_number_significance_is_reconciled_with_the_funnels(out):
    page = text(out / "main" / PERIOD / "durham" / "report.html")
    assert "chance alone explains almost no difference from the rest of England and Wales" in page
    assert "What matters is whether Durham differs by more than forces usually differ" in page
    assert "statistically significantly higher than the rest of England and Wales" not in page
    assert "data about four years older than this report's year" in page


# 8. shares that ignore what was not recorded ------------------------------------------------------


def test_a_share_says_how_much_was_not_recorded(out):
    page = text(out / "main" / PERIOD / "cumbria" / "report.html")
    males = rf"{NUMBER} percent of all searches were of males.*?\.(?!\d)"
    sentence = re.search(males, page).group(0)
    blank = re.search(rf"({NUMBER}) percent had no gender recorded", sentence)
    assert blank and float(blank.group(1)) > 30
    assert "of the searches that recorded it" in sentence
    low, high = re.search(rf"anywhere from ({NUMBER}) percent to ({NUMBER}) percent",
                          sentence).groups()  # fmt: skip
    share = float(re.search(rf"({NUMBER}) percent of all searches", sentence).group(1))
    assert float(low) == share and abs(float(high) - share - float(blank.group(1))) < 0.11


# 9. things a Panel should not read ----------------------------------------------------------------

CODES = ("small_numbers", "higher_than_rest", "officer_group_not_used", "not_recorded",
         "ethnicity_not_recorded", "linked_lower_bound", "part_year")  # fmt: skip


def test_no_command_line_developer_words_raw_codes_or_python_english(out, relabelled):
    for name, page in every_text(out, relabelled):
        for phrase in ("--ethnicity", "--confidence", "committed default data",
                       "prepared data in the folder", "peelstats prepare"):  # fmt: skip
            assert phrase not in page, (name, phrase)
        assert not re.search(r"\b20\d\dQ[1-4]\b", page), (name, re.findall(r".{40}20\d\dQ\d", page))
        for code in CODES:
            assert code not in page, (name, code)
        assert not re.search(r"\b1 (?:complete quarters|months|searches|forces)\b", page), name
        assert " ." not in page.replace(" ...", ""), name


def test_rates_are_not_called_understated_where_no_rates_are_given(relabelled):
    page = text(relabelled / "btp" / "report.html")
    assert "rate per 1,000 residents and count may be understated" not in page


def test_about_a_part_year_says_the_same_months_a_year_earlier(out):
    page = text(out / "main" / PERIOD / "west-midlands" / "report.html")
    about = page.split("About this report", 1)[1].split("Each section names", 1)[0]
    assert "compared with the 12 months before" not in about
    assert "the same months a year earlier" in about


# 10. alt text promises only what is there ---------------------------------------------------------


def test_the_numbers_behind_each_chart_are_in_word_and_pdf_too(out):
    import pypdfium2 as pdfium
    from docx import Document

    folder = out / "main" / PERIOD / "durham"
    html = soup(folder / "report.html")
    promised = [img for img in html.find_all("img") if "table after it" in img.get("alt", "")]
    assert promised
    captions = [p.text for p in Document(str(folder / "report.docx")).paragraphs
                if p.text.startswith("Data behind the chart")]  # fmt: skip
    assert len(captions) >= len(promised)
    pdf = pdfium.PdfDocument(str(folder / "report.pdf"))
    printed = " ".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert printed.count("Data behind the chart") >= len(promised)


# 11. a glossary that covers the words used --------------------------------------------------------


def test_every_technical_term_used_is_in_the_glossary(out, relabelled):
    from peelstats.report.wording.glossary import GLOSSARY, _uses

    for name, path in pages(out, relabelled):
        page = soup(path)
        glossary = page.find("dl", class_="peelstats-glossary")
        defined = {dt.get_text(strip=True).lower() for dt in glossary.find_all("dt")}
        glossary.decompose()
        body = re.sub(r"\s+", " ", page.get_text(" "))
        for term, (patterns, _) in GLOSSARY.items():
            if _uses(patterns, body):
                assert term.lower() in defined, (name, term)
    for term in ("Mantel-Haenszel", "Breslow-Day", "XmR", "quasi-Poisson", "Mann-Kendall",
                 "odds ratio", "arcsine square-root", "Wilson", "control limit",
                 "disproportionality"):  # fmt: skip
        assert any(_uses(p, term) for p, _ in GLOSSARY.values()), term


def test_the_word_glossary_is_not_empty(out):
    from docx import Document

    paragraphs = [
        p.text for p in Document(str(out / "main" / PERIOD / "durham" / "report.docx")).paragraphs
    ]
    at = paragraphs.index("Glossary")
    assert paragraphs[at + 1] == "Confidence interval" and len(paragraphs[at + 2]) > 40


# 12. a spreadsheet an analyst can paste from ------------------------------------------------------


def test_the_spreadsheet_has_force_units_and_no_codes(out):
    from openpyxl import load_workbook

    book = load_workbook(out / "main" / PERIOD / "durham" / "estimates.xlsx")
    assert book.sheetnames[0] == "About"
    assert {"Trends", "Funnel plots"} <= set(book.sheetnames)
    about = " ".join(str(c.value) for row in book["About"].iter_rows() for c in row)
    assert "Open Government Licence" in about
    sheet = book["Stop and search"]
    header = [c.value for c in sheet[1]]
    for column in ("Force", "Unit", "p-value", "Notes"):
        assert column in header
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    unit, measure, estimate = header.index("Unit"), header.index("Measure"), header.index(
        "Estimate")  # fmt: skip
    for row in rows:
        assert row[header.index("Force")] == "Durham"
        assert row[unit]
        if "difference" in row[measure] and row[estimate] is not None:
            assert row[unit] == "percentage points" and abs(row[estimate]) > 0.5  # points, not 0-1
        p = row[header.index("p-value")]
        assert p is None or "e-" not in str(p)
        for code in CODES:
            assert code not in str(row[header.index("Notes")] or "")


# 13. charts that agree with their words -----------------------------------------------------------


def test_every_image_of_every_page_has_its_own_alt_text(out):
    """report.html is written without nbconvert's last pass, which gave an image without alt
    text the placeholder "No description has been provided for this image"."""
    for name, path in pages(out):
        for img in soup(path).find_all("img"):
            alt = img.get("alt", "")
            assert len(alt) > 20 and "No description" not in alt, (name, img.get("src", "")[:40])


def test_no_alt_text_marks_a_force_that_is_not_on_the_plot(out):
    for name, path in pages(out):
        for img in soup(path).find_all("img"):
            alt = img.get("alt", "")
            if "is not placed on the funnel plot" in alt:
                assert "marked in red" not in alt, name


def test_no_table_repeats_one_note_in_every_row(out):
    """A note every row of a table shares is said once under the table (Cleveland's quarters
    said "lower bound (linked field partly blank)" eight times, in a column that wrapped each
    row onto five lines)."""
    for page in sorted((out / "main" / PERIOD).glob("*/report.html")):
        for table in soup(page).find_all("table"):
            head = [th.get_text(strip=True) for th in table.select("thead th")]
            if "Notes" not in head:
                continue
            rows = table.select("tbody tr")
            cells = [r.find_all(["th", "td"])[head.index("Notes")].get_text(strip=True)
                     for r in rows]  # fmt: skip
            if len(rows) >= 3:
                shared = set.intersection(*({n for n in c.split(", ") if n} for c in cells))
                assert not shared, (page.parent.name, table.caption, shared)
