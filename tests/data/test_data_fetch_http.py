"""fetch against a fake police.uk API served on the loopback interface (no outside network)."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from click.testing import CliRunner
from test_data_fetch import STOP

from peelstats.data.fetch import FetchError, fetch, retry_after
from peelstats.errors import InputFileError
from peelstats.run.cli import cli


class FakeAPI:
    """A local HTTP server answering each month from a script of (status, headers, body,
    delay) tuples, in order; records the path and query of every request."""

    def __init__(self):
        self.script: dict[str, list[tuple[int, dict, bytes, float]]] = {}
        self.requests: list[tuple[str, dict]] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                api.requests.append((url.path, query))
                status, headers, body, delay = api.script[query["date"]].pop(0)
                time.sleep(delay)
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api"

    def answer(self, month, status=200, body=None, headers=None, delay=0.0):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.script.setdefault(month, []).append((status, headers or {}, data, delay))


@pytest.fixture
def api(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server = FakeAPI()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def go(api, tmp_path, start="2022-01", end="2022-01", **kwargs):
    kwargs.setdefault("sleep", lambda s: None)
    return fetch(
        "durham",
        start,
        end,
        out=tmp_path / "archive",
        cache=tmp_path / "cache",
        progress=False,
        base_url=api.base_url,
        min_interval=0,
        **kwargs,
    )


def test_base_url_is_used(api, tmp_path):
    api.answer("2022-01", body=[STOP])
    assert go(api, tmp_path) == {"2022-01": 1}
    assert api.requests == [("/api/stops-force", {"force": "durham", "date": "2022-01"})]
    assert (tmp_path / "archive/2022-01/2022-01-durham-stop-and-search.csv").is_file()


def test_retry_after_seconds_is_honoured(api, tmp_path):
    api.answer("2022-01", status=429, headers={"Retry-After": "7"}, body={})
    api.answer("2022-01", body=[STOP])
    waits = []
    assert go(api, tmp_path, sleep=waits.append) == {"2022-01": 1}
    assert 7.0 in waits  # not the 1 s backoff


def test_retry_after_http_date():
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == pytest.approx(10)
    assert retry_after("12") == 12.0
    assert retry_after(None) is None and retry_after("soon") is None


def test_retry_after_past_the_deadline_stops_at_once(api, tmp_path):
    api.answer("2022-01", status=503, headers={"Retry-After": "120"}, body={})
    started = time.monotonic()
    with pytest.raises(FetchError) as info:
        go(api, tmp_path, deadline=30)
    assert time.monotonic() - started < 10
    assert "deadline of 30 s" in str(info.value) and "Retry-After 120 s" in str(info.value)
    assert info.value.exit_code == 1
    assert len(api.requests) == 1


def test_slow_server_meets_the_overall_deadline(api, tmp_path):
    for _ in range(5):
        api.answer("2022-01", body=[STOP], delay=3.0)
    started = time.monotonic()
    with pytest.raises(FetchError, match="deadline"):
        go(api, tmp_path, deadline=1.0, sleep=time.sleep)
    assert time.monotonic() - started < 5
    assert not (tmp_path / "archive").exists()


def test_malformed_json_is_one_clear_error(api, tmp_path):
    for _ in range(5):
        api.answer("2022-01", body=b'[{"type": "Person search",')
    with pytest.raises(FetchError) as info:
        go(api, tmp_path)
    assert "durham 2022-01" in str(info.value) and "malformed JSON" in str(info.value)
    assert "\n" not in str(info.value)
    assert not (tmp_path / "cache").exists()  # nothing cached from a bad answer


def test_json_that_is_not_a_list_of_stops(api, tmp_path):
    for _ in range(5):
        api.answer("2022-01", body=[1, 2, 3])
    with pytest.raises(FetchError, match="not a JSON list of stops"):
        go(api, tmp_path)


def test_corrupt_cache_is_one_clear_error(api, tmp_path):
    cached = tmp_path / "cache" / "durham" / "2022-01.json"
    cached.parent.mkdir(parents=True)
    cached.write_text('[{"type": ')
    with pytest.raises(InputFileError) as info:
        go(api, tmp_path)
    assert str(cached) in str(info.value) and "corrupt" in str(info.value)
    assert "delete the file" in str(info.value)
    assert api.requests == []


def test_cache_that_is_not_a_list(api, tmp_path):
    cached = tmp_path / "cache" / "durham" / "2022-01.json"
    cached.parent.mkdir(parents=True)
    cached.write_text('{"a": 1}')
    with pytest.raises(InputFileError, match="not a JSON list of stops"):
        go(api, tmp_path)


def test_cli_options_and_exit_codes(api, tmp_path):
    api.answer("2022-01", status=503, headers={"Retry-After": "600"}, body={})
    common = ["fetch", "--force", "durham", "--from", "2022-01", "--to", "2022-01", "-q"]
    paths = ["--out", str(tmp_path / "a"), "--cache", str(tmp_path / "c")]
    result = CliRunner().invoke(
        cli, [*common, *paths, "--base-url", api.base_url, "--deadline", "5"]
    )
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("peelstats: error: gave up: durham 2022-01")

    (tmp_path / "c" / "durham").mkdir(parents=True)
    (tmp_path / "c" / "durham" / "2022-01.json").write_text("{")
    result = CliRunner().invoke(cli, [*common, *paths, "--base-url", api.base_url])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and "corrupt" in result.output

    result = CliRunner().invoke(cli, [*common, *paths, "--base-url", "ftp://x"])
    assert result.exit_code == 2 and "--base-url" in result.output
