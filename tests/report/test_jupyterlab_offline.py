"""Charts render in JupyterLab without a network: JupyterLab serves the committed notebook,
headless Chromium opens it with every host but the local server unreachable, and the charts
(offline SVG images) are drawn; a screenshot is kept for the reviewer."""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from browser import Page

from peelstats.config import PROJECT_ROOT

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    root = tmp_path_factory.mktemp("lab")
    shutil.copy(PROJECT_ROOT / "notebooks" / "stop_search.ipynb", root / "stop_search.ipynb")
    port, token = _free_port(), secrets.token_hex(16)
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(root / ".config"),
        "JUPYTER_DATA_DIR": str(root / ".data"),
        "JUPYTER_RUNTIME_DIR": str(root / ".rt"),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
         "--allow-root", "--LabApp.news_url=",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    else:
        os.killpg(proc.pid, 15)
        pytest.fail("JupyterLab did not start within 90 s")
    yield f"{url}/lab/tree/stop_search.ipynb?token={token}"
    os.killpg(proc.pid, 15)
    proc.wait(20)


def test_charts_render_in_jupyterlab_with_no_network(lab, chromium, tmp_path):
    page = Page(chromium, extra_flags=["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"])
    try:
        page.goto(lab, settle=5.0)
        charts = (
            "[...document.querySelectorAll('.jp-OutputArea img')]"
            ".filter(i => i.src.startsWith('data:image/svg+xml'))"
        )
        deadline = time.monotonic() + 90
        drawn = 0
        while time.monotonic() < deadline:
            drawn = page.evaluate(f"{charts}.filter(i => i.complete && i.naturalWidth > 300)"
                                  ".length") or 0  # fmt: skip
            if drawn >= 3:
                break
            time.sleep(1)
        text = page.evaluate("document.body.innerText") or ""
        page.evaluate(f"{charts}[0] && {charts}[0].scrollIntoView()")
        time.sleep(1)
        page.screenshot(tmp_path / "jupyterlab.png", full_page=False)
        assert drawn >= 3, f"charts drawn: {drawn}"
        assert "Error loading script" not in text
        assert (tmp_path / "jupyterlab.png").stat().st_size > 30_000
    finally:
        page.close()
