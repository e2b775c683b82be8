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
    delay, trickle) tuples, in order; records the path and query of every request. With
    ``trickle`` (seconds) the body, or with ``trickle_head`` the status line and headers too,
    is sent one byte at a time, ``trickle`` seconds apart."""

    def __init__(self):
        self.script: dict[str, list[tuple[int, dict, bytes, float, float, bool]]] = {}
        self.requests: list[tuple[str, dict]] = []
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                api.requests.append((url.path, query))
                status, headers, body, delay, trickle, trickle_head = api.script[query["date"]].pop(
                    0
                )
                time.sleep(delay)
                head = [f"HTTP/1.0 {status} Answer", *(f"{k}: {v}" for k, v in headers.items())]
                head.append(f"Content-Length: {len(body)}")
                head_bytes = ("\r\n".join(head) + "\r\n\r\n").encode()
                try:
                    if not trickle:
                        self.wfile.write(head_bytes + body)
                        return
                    if not trickle_head:
                        self.wfile.write(head_bytes)
                    for byte in (head_bytes if trickle_head else b"") + body:
                        self.wfile.write(bytes([byte]))
                        time.sleep(trickle)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/api"

    def answer(
        self, month, status=200, body=None, headers=None, delay=0.0, trickle=0.0, trickle_head=False
    ):
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        entry = (status, headers or {}, data, delay, trickle, trickle_head)
        self.script.setdefault(month, []).append(entry)


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


# ------------------------------------------------------------------ hostile answers


def fails_cleanly(api, tmp_path, **kwargs) -> str:
    """The fetch stops with one line (exit 1) and writes and caches nothing."""
    with pytest.raises(FetchError) as info:
        go(api, tmp_path, **kwargs)
    message = str(info.value)
    assert "\n" not in message and info.value.exit_code == 1
    assert "durham 2022-01" in message
    assert not (tmp_path / "cache").exists()  # nothing cached from a bad answer
    assert not (tmp_path / "archive").exists()
    return message


def with_fields(**fields):
    return [STOP, {**STOP, **fields}]


#: answer -> fragments of the one line (every record is numbered from 1)
BAD_ANSWERS = {
    "location a string": (
        with_fields(location="On or near X"),
        [
            "record 2",
            "'location' is a string",
            "expected an object with a latitude and a longitude",
        ],
    ),
    "a list of numbers": ([1, 2, 3], ["not a JSON list of stops", "record 1 is a number"]),
    "a list of strings": (["a", "b"], ["record 1 is a string", "expected an object"]),
    "a list of lists": ([[STOP]], ["record 1 is a list"]),
    "an object, not a list": ({"stops": [STOP]}, ["not a JSON list of stops (it is an object)"]),
    "a number for a string": (with_fields(gender=5), ["'gender' is a number", "expected a string"]),
    "an object for a string": (with_fields(type={"a": 1}), ["'type' is an object"]),
    "a string for a flag": (
        with_fields(removal_of_more_than_outer_clothing="yes"),
        ["'removal_of_more_than_outer_clothing' is a string", "expected true, false or null"],
    ),
    "outcome true": (with_fields(outcome=True), ["'outcome' is true", "false or null"]),
    "outcome_object a string": (
        with_fields(outcome_object="Arrest"),
        ["'outcome_object' is a string", "expected an object with an id and a name"],
    ),
    "outcome_object's name a list": (
        with_fields(outcome_object={"id": "x", "name": ["Arrest"]}),
        ["'outcome_object.name' is a list"],
    ),
    "latitude a number": (
        with_fields(location={**STOP["location"], "latitude": 54.7}),
        ["'location.latitude' is a number", "expected a string"],
    ),
    "no longitude": (
        with_fields(location={"latitude": "54.7", "street": None}),
        ["'location' has no 'longitude'"],
    ),
    "street a list": (
        with_fields(location={**STOP["location"], "street": [1]}),
        ["'location.street' is a list"],
    ),
    "a string longer than the csv module reads": (
        with_fields(legislation="x" * 200_000),
        ["'legislation' is a string of 200,000 characters", "at most 131,072 characters"],
    ),
    "not UTF-8": (b'[{"type": "Person s\xe9arch"}]', ["malformed JSON"]),
}


@pytest.mark.parametrize("kind", list(BAD_ANSWERS))
def test_answer_of_the_wrong_shape_is_one_line_and_nothing_is_cached(api, tmp_path, kind):
    body, fragments = BAD_ANSWERS[kind]
    for _ in range(5):
        api.answer("2022-01", body=body)
    message = fails_cleanly(api, tmp_path)
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    assert len(api.requests) == 5  # retried like a server error first


def test_nested_nulls_and_documented_alternatives_are_read(api, tmp_path):
    older = {k: v for k, v in STOP.items() if k != "outcome_object"}  # before outcome_object
    stops = [
        {**STOP, "location": None, "outcome_object": None, "operation": None},
        {**STOP, "location": {"latitude": None, "longitude": None, "street": None}},
        {**older, "outcome": False, "removal_of_more_than_outer_clothing": None},
        {**STOP, "outcome_object": {"id": None, "name": None}, "outcome": "Arrest"},
        {**STOP, "a_field_added_later": {"deep": [[[1]]]}},
    ]
    api.answer("2022-01", body=stops)
    assert go(api, tmp_path) == {"2022-01": 5}
    rows = (tmp_path / "archive/2022-01/2022-01-durham-stop-and-search.csv").read_text()
    lines = rows.splitlines()
    assert len(lines) == 6 and ",Arrest," in lines[4]


def test_json_100000_deep_is_one_line(api, tmp_path):
    deep = b"[" * 100_000 + b"]" * 100_000
    for _ in range(5):
        api.answer("2022-01", body=deep)
    assert "nested too deeply" in fails_cleanly(api, tmp_path)


def test_answer_over_the_size_limit_is_refused(api, tmp_path, monkeypatch):
    from peelstats.data import fetch as fetch_module

    monkeypatch.setattr(fetch_module, "MAX_ANSWER_BYTES", 10_000)
    for _ in range(5):
        api.answer("2022-01", body=[STOP] * 100)
    assert "longer than 10,000 bytes" in fails_cleanly(api, tmp_path)


def test_gzip_encoded_answer_is_read(api, tmp_path):
    import gzip

    api.answer(
        "2022-01",
        body=gzip.compress(json.dumps([STOP, STOP]).encode()),
        headers={"Content-Encoding": "gzip"},
    )
    assert go(api, tmp_path) == {"2022-01": 2}
    cached = json.loads((tmp_path / "cache/durham/2022-01.json").read_bytes())
    assert cached == [STOP, STOP]  # the answer as sent, unzipped


#: cached file content -> fragments of the one line
HOSTILE_CACHES = {
    "location a string (cached by an earlier version)": (
        json.dumps(with_fields(location="On or near X")).encode(),
        ["record 2", "'location' is a string"],
    ),
    "100,000 deep": (b"[" * 100_000 + b"]" * 100_000, ["nested too deeply"]),
    "a list of numbers": (b"[1, 2]", ["record 1 is a number"]),
    "not UTF-8": (b'[{"type": "\xe9"}]', ["malformed JSON"]),
    "empty": (b"", ["malformed JSON"]),
}


@pytest.mark.parametrize("kind", list(HOSTILE_CACHES))
def test_hostile_cached_answer_is_one_line(api, tmp_path, kind):
    content, fragments = HOSTILE_CACHES[kind]
    cached = tmp_path / "cache" / "durham" / "2022-01.json"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(content)
    with pytest.raises(InputFileError) as info:
        go(api, tmp_path)
    message = str(info.value)
    assert "\n" not in message and str(cached) in message and "corrupt" in message
    assert "delete the file" in message
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    assert api.requests == [] and not (tmp_path / "archive").exists()


# ------------------------------------------------------------------ the deadline bounds reads


def test_answer_trickled_a_byte_a_second_stops_at_the_deadline(api, tmp_path):
    api.answer("2022-01", body=b"[" + b" " * 8 + b"]", trickle=1.0)  # 10 s in all
    started = time.monotonic()
    message = fails_cleanly(api, tmp_path, deadline=2.5, sleep=time.sleep)
    assert time.monotonic() - started < 4.5
    assert "still arriving" in message and "deadline of 2.5 s" in message


def test_headers_trickled_a_byte_at_a_time_stop_at_the_deadline(api, tmp_path):
    api.answer("2022-01", body=b"[]", trickle=0.25, trickle_head=True)  # about 9 s in all
    started = time.monotonic()
    message = fails_cleanly(api, tmp_path, deadline=2.0, sleep=time.sleep)
    assert time.monotonic() - started < 4
    assert "no answer yet" in message and "deadline of 2 s" in message


def test_an_answer_that_arrives_in_time_is_read(api, tmp_path):
    api.answer("2022-01", body=b"[" + b" " * 4 + b"]", trickle=0.05)
    assert go(api, tmp_path, deadline=30, sleep=time.sleep) == {"2022-01": 0}


# ------------------------------------------------------------------ the command line


def cli_fails_cleanly(api, tmp_path, *extra) -> str:
    args = ["fetch", "--force", "durham", "--from", "2022-01", "--to", "2022-01", "-q"]
    args += ["--out", str(tmp_path / "a"), "--cache", str(tmp_path / "c")]
    result = CliRunner().invoke(cli, [*args, "--base-url", api.base_url, *extra])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("peelstats: error: "), result.output
    assert not (tmp_path / "a").exists() and not (tmp_path / "c").exists()
    return lines[0]


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (json.dumps(with_fields(location="On or near X")).encode(), "'location' is a string"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
    ids=["location a string", "100,000 deep"],
)
def test_cli_bad_answer_is_one_line_exit_1(api, tmp_path, monkeypatch, body, fragment):
    from peelstats.data import fetch as fetch_module

    monkeypatch.setattr(fetch_module, "RETRIES", 1)  # no backoff waits
    api.answer("2022-01", body=body)
    line = cli_fails_cleanly(api, tmp_path)
    assert "durham 2022-01" in line and fragment in line


def test_cli_trickled_answer_stops_at_the_deadline(api, tmp_path):
    api.answer("2022-01", body=b"[" + b" " * 8 + b"]", trickle=1.0)
    started = time.monotonic()
    line = cli_fails_cleanly(api, tmp_path, "--deadline", "2")
    assert time.monotonic() - started < 4
    assert "durham 2022-01" in line and "deadline of 2 s" in line


def test_cli_hostile_cache_is_one_line_exit_2(api, tmp_path):
    cached = tmp_path / "c" / "durham" / "2022-01.json"
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"[" * 100_000 + b"]" * 100_000)
    args = ["fetch", "--force", "durham", "--from", "2022-01", "--to", "2022-01", "-q"]
    args += ["--out", str(tmp_path / "a"), "--cache", str(tmp_path / "c")]
    result = CliRunner().invoke(cli, [*args, "--base-url", api.base_url])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1 and "nested too deeply" in result.output
