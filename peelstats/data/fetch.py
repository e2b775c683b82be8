"""``fetch``: download stop-and-search months for one force from the police.uk API.

``https://data.police.uk/api/stops-force?force=<id>&date=YYYY-MM`` returns a JSON list of
stops; each month is written as ``YYYY-MM/YYYY-MM-<force>-stop-and-search.csv`` (the archive
layout, with the CSV columns) under ``data/raw/police-uk-archive``. Requests are spaced
(police.uk allows 15 per second; we send at most 4) and retried with exponential backoff on
connection errors, unusable answers, 429 and 5xx, waiting at least as long as a ``Retry-After``
header asks. An answer is used, and cached as the JSON police.uk sent, only when it is a list of
stops as police.uk documents them (:func:`shape_problem`); else, after the retries, the fetch
stops with one line naming force, month, record and field (exit 1) and nothing is cached. The
whole fetch has a deadline (``--deadline``) that bounds waits and reads alike: a wait that would
pass it, or an answer still arriving when it passes, stops the fetch with one line (exit 1) and
nothing of that month is written. ``--base-url`` replaces the API root. A corrupt or hostile
cached answer stops with one line naming the file (exit 2). The month files are the police.uk
values as published (raw input for ``prepare``), written atomically.
"""

from __future__ import annotations

import csv
import datetime as dt
import email.utils
import functools
import json
import re
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import requests
import urllib3
from tqdm import tqdm

from peelstats.config import paths
from peelstats.data.archive import COLUMNS
from peelstats.data.forces import get_force
from peelstats.data.inputs import read_input_bytes
from peelstats.data.months import EXPECTED as MONTH_EXPECTED
from peelstats.data.months import month_problem
from peelstats.data.safe_csv import rows_text
from peelstats.errors import EnvironmentFault, InputFileError, ParameterError
from peelstats.files import atomic_write

#: the police.uk API root; ``--base-url`` points fetch elsewhere (a mirror, a test server)
BASE_URL = "https://data.police.uk/api"
API = BASE_URL + "/stops-force"
MIN_INTERVAL = 0.25  # seconds between requests
RETRIES = 5
TIMEOUT = 60  # seconds for one request
#: seconds one fetch may take in all, waits and reads included (``--deadline``)
DEADLINE = 3600.0
#: the longest answer read for one month; the largest force's month is a few tens of MB
MAX_ANSWER_BYTES = 256 << 20
_CHUNK = 1 << 16
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class FetchError(EnvironmentFault):
    """The police.uk API did not give a usable answer after retries, or the deadline passed
    (a fault of the network or the server: exit code 1)."""


def months_between(start: str, end: str) -> list[str]:
    """Every month from ``start`` to ``end`` inclusive (both ``YYYY-MM``)."""
    for value, name in ((start, "--from"), (end, "--to")):
        if not isinstance(value, str) or not _MONTH.match(value):
            raise ParameterError(f"{name} must be a month YYYY-MM, got {value!r}")
    if start > end:
        raise ParameterError(f"--from {start} is after --to {end}")
    y, m = int(start[:4]), int(start[5:])
    out = []
    while f"{y:04d}-{m:02d}" <= end:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def stop_to_row(stop: dict) -> list[str]:
    """One API stop as the 15 fields of a police.uk CSV row."""
    location = stop.get("location") or {}
    outcome = stop.get("outcome")
    outcome_object = stop.get("outcome_object") or {}
    if isinstance(outcome_object, dict) and outcome_object.get("name"):
        outcome = outcome_object["name"]
    elif not isinstance(outcome, str):
        outcome = ""
    values = {
        "Type": stop.get("type"),
        "Date": stop.get("datetime"),
        "Part of a policing operation": stop.get("operation"),
        "Policing operation": stop.get("operation_name"),
        "Latitude": location.get("latitude"),
        "Longitude": location.get("longitude"),
        "Gender": stop.get("gender"),
        "Age range": stop.get("age_range"),
        "Self-defined ethnicity": stop.get("self_defined_ethnicity"),
        "Officer-defined ethnicity": stop.get("officer_defined_ethnicity"),
        "Legislation": stop.get("legislation"),
        "Object of search": stop.get("object_of_search"),
        "Outcome": outcome,
        "Outcome linked to object of search": stop.get("outcome_linked_to_object_of_search"),
        "Removal of more than just outer clothing": stop.get("removal_of_more_than_outer_clothing"),
    }
    return [_text(values[c]) for c in COLUMNS]


def stops_to_csv(stops: list[dict]) -> str:
    """The month's stops as police.uk's CSV (values as published; a CR inside one is quoted)."""
    return rows_text([COLUMNS, *(stop_to_row(s) for s in stops)])


# ---------------------------------------------------------------- the shape of an answer

#: fields police.uk documents as a string or null
_TEXT_FIELDS = (
    "type",
    "datetime",
    "operation_name",
    "gender",
    "age_range",
    "self_defined_ethnicity",
    "officer_defined_ethnicity",
    "legislation",
    "object_of_search",
)
#: fields police.uk documents as true, false or null
_FLAG_FIELDS = (
    "involved_person",
    "operation",
    "outcome_linked_to_object_of_search",
    "removal_of_more_than_outer_clothing",
)
_NOT_STOPS = "not a JSON list of stops"


def _kind(value: object) -> str:
    """What a JSON value is, in words (never the value itself, which may be anything)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return f"a string of {len(value):,} characters" if len(value) > 100 else "a string"
    return "a list" if isinstance(value, list) else "an object"


def _text_problem(name: str, value: object, alternatives: str = "or null") -> str | None:
    """The problem with a field documented as text (None when it is text or null)."""
    limit = csv.field_size_limit()
    if value is None or (isinstance(value, str) and len(value) <= limit):
        return None
    expected = f"a string of at most {limit:,} characters, {alternatives}"
    return f"{name} is {_kind(value)} (expected {expected})"


def _object_problem(name: str, value: object, fields: str) -> str | None:
    if value is None or isinstance(value, dict):
        return None
    return f"{name} is {_kind(value)} (expected an object with {fields}, or null)"


def _stop_problem(stop: object) -> str | None:
    """The problem with one record of an answer (None for a stop as police.uk documents it)."""
    if not isinstance(stop, dict):
        return f"is {_kind(stop)} (expected an object: one stop)"
    for name in _TEXT_FIELDS:
        if problem := _text_problem(repr(name), stop.get(name)):
            return problem
    for name in _FLAG_FIELDS:
        value = stop.get(name)
        if value is not None and not isinstance(value, bool):
            return f"{name!r} is {_kind(value)} (expected true, false or null)"
    outcome = stop.get("outcome")
    if outcome is not False and (problem := _text_problem("'outcome'", outcome, "false or null")):
        return problem
    outcome_object = stop.get("outcome_object")
    if problem := _object_problem("'outcome_object'", outcome_object, "an id and a name"):
        return problem
    for key in ("id", "name"):
        if outcome_object and (
            problem := _text_problem(f"'outcome_object.{key}'", outcome_object.get(key))
        ):
            return problem
    location = stop.get("location")
    if problem := _object_problem("'location'", location, "a latitude and a longitude"):
        return problem
    if location is None:
        return None
    for key in ("latitude", "longitude"):
        if key not in location:
            return f"'location' has no {key!r} (expected a latitude and a longitude)"
        if problem := _text_problem(f"'location.{key}'", location[key]):
            return problem
    street = location.get("street")
    if problem := _object_problem("'location.street'", street, "an id and a name"):
        return problem
    if street and (problem := _text_problem("'location.street.name'", street.get("name"))):
        return problem
    return None


def shape_problem(stops: object) -> str | None:
    """What is wrong with the shape of an answer, naming the record, the field and what was
    expected; None for a list of stops as police.uk documents them: every record an object,
    text fields strings or null, flags true, false or null, ``outcome`` a string, false or
    null, ``outcome_object`` and ``location`` (with its ``street``) objects with the documented
    fields, or null. Fields police.uk may add later are not looked at."""
    if not isinstance(stops, list):
        return f"{_NOT_STOPS} (it is {_kind(stops)})"
    for i, stop in enumerate(stops, start=1):
        if problem := _stop_problem(stop):
            return f"{_NOT_STOPS}: record {i} {problem}"
    return None


def parse_answer(body: bytes) -> tuple[list[dict] | None, str | None]:
    """(the stops, None), or (None, what is wrong) for a body that is not JSON, is nested too
    deeply to read, or is not a list of stops (:func:`shape_problem`)."""
    try:
        stops = json.loads(body)
    except RecursionError:
        return None, "JSON nested too deeply to read (expected a list of stops)"
    except ValueError as exc:  # UnicodeDecodeError included
        return None, f"malformed JSON ({' '.join(str(exc).split())[:200]})"
    problem = shape_problem(stops)
    return (None, problem) if problem else (stops, None)


def _write_atomic(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text)


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (a number of seconds or an HTTP date);
    None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class _Client:
    """Spaced, retried GETs under an overall deadline that bounds every wait and every read."""

    def __init__(
        self,
        session,
        sleep: Callable[[float], None],
        min_interval: float,
        *,
        base_url: str = BASE_URL,
        deadline: float | None = DEADLINE,
    ):
        self.session, self.sleep, self.min_interval = session, sleep, min_interval
        self.url = base_url.rstrip("/") + "/stops-force"
        self.deadline = deadline
        self.end = None if deadline is None else time.monotonic() + deadline
        self._last = -1e9

    def _left(self) -> float | None:
        """Seconds left before the deadline (None: no deadline)."""
        return None if self.end is None else self.end - time.monotonic()

    def _past_deadline(self, what: str) -> FetchError:
        return FetchError(
            f"gave up: {what} when the deadline of {self.deadline:g} s for this fetch passed "
            "(--deadline)"
        )

    def _wait(self, seconds: float, why: str) -> None:
        """Sleep, unless that would pass the deadline (then stop with one line)."""
        if self.end is not None and time.monotonic() + seconds > self.end:
            raise FetchError(
                f"gave up: {why}, and waiting {seconds:g} s more would pass the deadline of "
                f"{self.deadline:g} s for this fetch (--deadline)"
            )
        if seconds > 0:
            self.sleep(seconds)

    def _once(self, params: dict, timeout: float, state: dict) -> tuple[int, dict, bytes | None]:
        """One GET: the status, the headers and, for a 200, the whole body, read in chunks as
        it arrives (unzipped), at most :data:`MAX_ANSWER_BYTES`. Between chunks it counts what
        has arrived in ``state`` and stops once ``state["given_up"]`` is set."""
        response = self.session.get(self.url, params=params, timeout=timeout, stream=True)
        try:
            status = response.status_code
            headers = getattr(response, "headers", None) or {}
            if status != 200:
                return status, headers, None
            raw = response.raw
            if isinstance(raw, urllib3.BaseHTTPResponse):
                read = functools.partial(raw.read1, _CHUNK, decode_content=True)
            else:  # a file-like body, from a session the caller supplied
                read = functools.partial(raw.read1, _CHUNK)
            body = bytearray()
            state["arriving"] = True
            while not state.get("given_up"):
                chunk = read()  # what has arrived, up to _CHUNK bytes
                if not chunk:
                    return status, headers, bytes(body)
                body += chunk
                state["received"] = len(body)
                if len(body) > MAX_ANSWER_BYTES:
                    raise _Unusable(f"longer than {MAX_ANSWER_BYTES:,} bytes (expected one month)")
            return status, headers, None  # given up on: nobody reads this
        finally:
            response.close()

    def _exchange(self, force: str, month: str) -> tuple[int, dict, bytes | None]:
        """:meth:`_once` within the time left. Socket timeouts (no longer than the time left)
        bound each read, but not an answer trickled a byte at a time, nor name resolution; so
        under a deadline the GET runs in a helper thread, which is given up on (and stops at
        its next chunk) when the deadline passes."""
        params = {"force": force, "date": month}
        state: dict = {}
        left = self._left()
        if left is None:
            return self._once(params, TIMEOUT, state)
        timeout = max(0.001, min(TIMEOUT, left))
        done = threading.Event()

        def run() -> None:
            try:
                state["result"] = self._once(params, timeout, state)
            except Exception as exc:  # noqa: BLE001 - raised again in the calling thread
                state["error"] = exc
            finally:
                done.set()

        threading.Thread(target=run, name="peelstats-fetch", daemon=True).start()
        if not done.wait(min(max(0.0, self._left()), threading.TIMEOUT_MAX)):
            state["given_up"] = True
            what = "no answer yet"
            if state.get("arriving"):
                what = f"the answer was still arriving ({state.get('received', 0):,} bytes so far)"
            raise self._past_deadline(f"{force} {month}: {what}")
        if "error" in state:
            raise state["error"]
        return state["result"]

    def get_month(self, force: str, month: str) -> tuple[list[dict], bytes] | None:
        """The month's stops and the answer's bytes, or None when police.uk has no data for it
        (404). An answer that is not a list of stops as police.uk documents them
        (:func:`parse_answer`) is retried like a server error, never returned."""
        delay = 1.0
        problem = "no answer"
        for attempt in range(RETRIES):
            self._wait(self.min_interval - (time.monotonic() - self._last), problem)
            self._last = time.monotonic()
            wait = None
            try:
                status, headers, body = self._exchange(force, month)
            except requests.RequestException as exc:
                problem = _one_line(exc)
            except (urllib3.exceptions.HTTPError, OSError) as exc:  # while reading the body
                problem = f"the answer was cut short ({_one_line(exc)})"
            except _Unusable as exc:
                problem = f"the answer is {exc}"
            else:
                if status == 200:
                    stops, unusable = parse_answer(body)
                    if stops is not None:
                        return stops, body
                    problem = f"the answer is {unusable}"
                elif status == 404:
                    return None
                elif status == 429 or status >= 500:
                    problem = f"HTTP {status}"
                    wait = retry_after(headers.get("Retry-After"))
                    if wait is not None:
                        problem += f" (Retry-After {wait:g} s)"
                else:
                    raise FetchError(f"{self.url} answered HTTP {status} for {force} {month}")
            if attempt < RETRIES - 1:
                self._wait(max(delay, wait or 0.0), f"{force} {month}: {problem}")
                delay *= 2
        raise FetchError(f"{self.url} gave no usable answer for {force} {month}: {problem}")


class _Unusable(Exception):
    """An answer that arrived whole but cannot be used (too long)."""


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:300]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _read_cache(path: Path) -> list[dict]:
    """A cached answer, checked as an answer from the server is; a corrupt or hostile one
    stops with one line naming the file."""
    data = read_input_bytes(path, str(path), expected="a cached police.uk answer (JSON)")
    stops, problem = parse_answer(data)
    if stops is None:
        raise InputFileError(
            str(path),
            f"the cached answer is corrupt: {problem}",
            expected="JSON written by peelstats fetch; delete the file to fetch the month again",
        )
    return stops


def fetch(
    force: str,
    start: str,
    end: str,
    *,
    out: str | Path | None = None,
    cache: str | Path | None = None,
    session=None,
    sleep: Callable[[float], None] = time.sleep,
    min_interval: float = MIN_INTERVAL,
    progress: bool = True,
    base_url: str = BASE_URL,
    deadline: float | None = DEADLINE,
) -> dict[str, int | None]:
    """Download ``start``..``end`` for ``force``; return records per month (None = no data).

    ``base_url`` is the API root (``.../stops-force`` is appended); ``deadline`` bounds the
    whole fetch in seconds (None: no bound). A month in the future is refused."""
    force_id = get_force(force).id
    months = months_between(start, end)
    for value, name in ((start, "--from"), (end, "--to")):
        problem = month_problem(value)
        if problem:
            raise ParameterError(f"{name}: {problem} (expected {MONTH_EXPECTED})")
    if deadline is not None and not deadline > 0:
        raise ParameterError(f"--deadline must be more than 0 seconds, got {deadline!r}")
    if not re.match(r"^https?://[^/\s]+", base_url or ""):
        raise ParameterError(f"--base-url must be an http(s) URL, got {base_url!r}")
    archive = Path(out) if out is not None else paths().raw / "police-uk-archive"
    cache_dir = Path(cache) if cache is not None else paths().raw / "police-uk-api-cache"
    client = _Client(
        session or requests.Session(), sleep, min_interval, base_url=base_url, deadline=deadline
    )
    result: dict[str, int | None] = {}
    bar = tqdm(
        months,
        desc=f"fetching {force_id}",
        unit="month",
        file=sys.stderr,
        disable=None if progress else True,
    )
    try:
        for month in bar:
            cached = cache_dir / force_id / f"{month}.json"
            if cached.exists() or cached.is_symlink():
                stops = _read_cache(cached)
                text = stops_to_csv(stops)
            else:
                got = client.get_month(force_id, month)
                if got is None:
                    result[month] = None
                    continue
                stops, body = got
                text = stops_to_csv(stops)  # before caching: a cached answer converts
                _write_atomic(cached, body)  # the answer as police.uk sent it
            target = archive / month / f"{month}-{force_id}-stop-and-search.csv"
            _write_atomic(target, text)
            result[month] = len(stops)
    except OSError as exc:
        raise EnvironmentFault(
            f"cannot write {exc.filename or archive}: {exc.strerror or exc}"
        ) from None
    return result
