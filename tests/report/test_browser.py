"""Reports open offline: in headless Chromium, report.html and index.html make no network
request, show their charts as SVG (not a script-loading error) and their key findings."""

from __future__ import annotations

import pytest
from browser import Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LOCAL = ("file:", "data:", "about:", "chrome:")


@pytest.fixture(scope="module")
def report(out):
    """The shared batch's period folder (tests/report/conftest.py)."""
    return out / "main" / "2021Q3"


@pytest.fixture()
def page(chromium):
    page = Page(chromium)
    yield page
    page.close()


def test_report_opens_offline_with_charts_and_findings(report, page, tmp_path):
    page.open(report / "durham" / "report.html")
    remote = [url for url in page.requests if not url.startswith(LOCAL)]
    assert remote == []
    # charts are SVG embedded in the page, and every one of them decoded and drew
    charts = "[...document.images].filter(i => i.src.startsWith('data:image/svg+xml'))"
    assert page.evaluate(f"{charts}.length") >= 6
    assert page.evaluate(f"{charts}.every(i => i.complete && i.naturalWidth > 300)")
    assert page.evaluate("document.querySelectorAll('script').length") == 0
    text = page.evaluate("document.body.innerText")
    assert "Key findings" in text and text.index("Summary") < text.index("Key findings")
    assert "statistically significant deterioration" in text  # the reasonable-grounds audit
    assert "Error" not in text and "Traceback" not in text
    page.screenshot(tmp_path / "report.png")
    assert (tmp_path / "report.png").stat().st_size > 50_000


def test_index_opens_offline_and_links_every_force(report, page):
    page.open(report / "index.html")
    assert [url for url in page.requests if not url.startswith(LOCAL)] == []
    links = page.evaluate("[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))")
    forces = ("cumbria", "durham", "humberside", "north-yorkshire", "west-midlands")
    assert sorted(links) == [f"{f}/report.html" for f in forces]


# Accessibility (WCAG 2.1 AA): axe-core, the engine of the axe browser tools, run inside the
# page in headless Chromium; axe.min.js comes from the axe-core-python package (locked).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe(page, path):
    import importlib.resources

    axe = importlib.resources.files("axe_core_python").joinpath("axe.min.js").read_text()
    page.open(path)
    page.evaluate(axe)
    page.evaluate(
        "window.__axe = null; axe.run(document, {runOnly: {type: 'tag', values: "
        f"{AXE_TAGS!r}}}}}).then(r => {{ window.__axe = r.violations.map(v => "
        "({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
        "; })"
    )
    import time

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        found = page.evaluate("window.__axe")
        if found is not None:
            return found
        time.sleep(0.2)
    raise AssertionError("axe-core did not finish within 60 s")


@pytest.mark.parametrize("name", ["durham/report.html", "index.html", "durham/panel-paper.html"])
def test_axe_core_finds_no_wcag_21_aa_violations(report, page, name):
    assert _axe(page, report / name) == []


def test_every_chart_has_a_text_alternative_and_its_numbers(report, page):
    page.open(report / "durham" / "report.html")
    alts = page.evaluate("[...document.images].map(i => i.getAttribute('alt') || '')")
    assert alts and all(len(a) > 40 and "No description" not in a for a in alts)
    # funnels and the process-control chart carry the numbers behind them as a table
    tables = page.evaluate(
        "[...document.querySelectorAll('figure details table')].map(t => t.rows.length)"
    )
    assert len(tables) >= 4 and all(rows > 3 for rows in tables)


def test_one_h1_unique_ids_captions_and_no_anchor_link_text(report, page):
    page.open(report / "durham" / "report.html")
    assert page.evaluate("document.querySelectorAll('h1').length") == 1
    ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
    assert len(ids) == len(set(ids))
    assert page.evaluate("[...document.querySelectorAll('table')].every(t => t.caption)")
    assert "¶" not in page.evaluate("document.body.innerText")
