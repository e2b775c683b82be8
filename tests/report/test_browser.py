"""Reports open offline: in headless Chromium, report.html and index.html make no network
request, show their charts as SVG (not a script-loading error) and their key findings."""

from __future__ import annotations

import subprocess
import sys

import pytest
from browser import Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

LOCAL = ("file:", "data:", "about:", "chrome:")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("outputs")
    run = subprocess.run(
        [sys.executable, "-m", "peelstats", "batch", "--forces", "durham,cumbria",
         "--periods", "2021Q3", "--workers", "2", "--no-progress", "--out", str(out)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    return out / "2021Q3"


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
    assert sorted(links) == ["cumbria/report.html", "durham/report.html"]
