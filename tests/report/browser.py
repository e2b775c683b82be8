"""A minimal Chrome DevTools Protocol driver for the browser checks: open a page in headless
Chromium, record every network request the page makes, evaluate JavaScript, take a screenshot.

Chromium's own background traffic (update checks) is not the page's: only requests reported on
the page's target, via Network.requestWillBeSent, are recorded.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import websocket

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
    "--window-size=1280,1000",
]


class Page:
    def __init__(self, chromium: str, extra_flags: list[str] | None = None):
        # Chromium's helper processes can still be writing the profile as it shuts down
        self._profile = tempfile.TemporaryDirectory(ignore_cleanup_errors=True)
        self._proc = subprocess.Popen(
            [
                chromium,
                *FLAGS,
                *(extra_flags or []),
                f"--user-data-dir={self._profile.name}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # so close() can stop Chromium's helper processes too
        )
        url = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and url is None:
            line = self._proc.stderr.readline()
            match = re.search(r"DevTools listening on (ws://\S+)", line)
            url = match.group(1) if match else None
        if url is None:
            self.close()
            raise RuntimeError("Chromium did not start its DevTools endpoint")
        self._ws = websocket.create_connection(url, timeout=30)
        self._id = 0
        self.events: list[dict] = []
        target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self._session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        self._call("Network.enable", session=True)
        self._call("Page.enable", session=True)

    def _call(self, method: str, params: dict | None = None, session: bool = False) -> dict:
        self._id += 1
        message = {"id": self._id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = self._session
        self._ws.send(json.dumps(message))
        while True:
            reply = json.loads(self._ws.recv())
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def open(self, path: Path, settle: float = 1.0) -> None:
        self.goto(path.resolve().as_uri(), settle)

    def goto(self, url: str, settle: float = 1.0) -> None:
        self._call("Page.navigate", {"url": url}, session=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if any(e.get("method") == "Page.loadEventFired" for e in self.events):
                break
            self.events.append(json.loads(self._ws.recv()))
        end = time.monotonic() + settle  # late requests (scripts, fonts) would show up here
        self._ws.settimeout(0.2)
        while time.monotonic() < end:
            try:
                self.events.append(json.loads(self._ws.recv()))
            except websocket.WebSocketTimeoutException:
                pass
        self._ws.settimeout(30)

    @property
    def requests(self) -> list[str]:
        return [
            e["params"]["request"]["url"]
            for e in self.events
            if e.get("method") == "Network.requestWillBeSent"
        ]

    def evaluate(self, expression: str):
        result = self._call(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session=True
        )
        return result["result"].get("value")

    def screenshot(self, path: Path, full_page: bool = True) -> None:
        params = {"format": "png", "captureBeyondViewport": full_page}
        data = self._call("Page.captureScreenshot", params, session=True)["data"]
        path.write_bytes(base64.b64decode(data))

    def close(self) -> None:
        try:
            self._ws.close()
        except Exception:  # noqa: BLE001
            pass
        try:
            os.killpg(self._proc.pid, signal.SIGTERM)
            self._proc.wait(10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self._proc.pid, signal.SIGKILL)
            self._proc.wait(10)
        self._profile.cleanup()
