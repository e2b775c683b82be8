"""``fetch``: download stop-and-search months for one force from the police.uk API.

``https://data.police.uk/api/stops-force?force=<id>&date=YYYY-MM`` returns a JSON list of
stops; each month is written as ``YYYY-MM/YYYY-MM-<force>-stop-and-search.csv`` (the archive
layout, with the CSV columns) under ``data/raw/police-uk-archive``. Responses are cached as
JSON, requests are spaced (police.uk allows 15 per second; we send at most 4) and retried with
exponential backoff on connection errors, malformed answers, 429 and 5xx, waiting at least as
long as a ``Retry-After`` header asks. The whole fetch has a deadline (``--deadline``); a wait
that would pass it stops the fetch with one line (exit 1). ``--base-url`` replaces the API root.
A corrupt cached answer stops with one line naming the file (exit 2). The month files are the
police.uk values as published (raw input for ``prepare``), written atomically.
"""

from __future__ import annotations

import csv
import datetime as dt
import email.utils
import io
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests
from tqdm import tqdm

from peelstats.config import paths
from peelstats.data.archive import COLUMNS
from peelstats.data.forces import get_force
from peelstats.data.inputs import read_input_bytes
from peelstats.data.months import EXPECTED as MONTH_EXPECTED
from peelstats.data.months import month_problem
from peelstats.errors import EnvironmentFault, InputFileError, ParameterError
from peelstats.files import atomic_write

#: the police.uk API root; ``--base-url`` points fetch elsewhere (a mirror, a test server)
BASE_URL = "https://data.police.uk/api"
API = BASE_URL + "/stops-force"
MIN_INTERVAL = 0.25  # seconds between requests
RETRIES = 5
TIMEOUT = 60  # seconds for one request
#: seconds one fetch may take in all, waits included (``--deadline``)
DEADLINE = 3600.0
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
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(stop_to_row(s) for s in stops)
    return buffer.getvalue()


def _write_atomic(path: Path, text: str) -> None:
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
    """Spaced, retried GETs under an overall deadline."""

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

    def _wait(self, seconds: float, why: str) -> None:
        """Sleep, unless that would pass the deadline (then stop with one line)."""
        if self.end is not None and time.monotonic() + seconds > self.end:
            raise FetchError(
                f"gave up: {why}, and waiting {seconds:g} s more would pass the deadline of "
                f"{self.deadline:g} s for this fetch (--deadline)"
            )
        if seconds > 0:
            self.sleep(seconds)

    def get_json(self, force: str, month: str) -> list[dict] | None:
        """The month's stops, or None when police.uk has no data for it (404)."""
        delay = 1.0
        problem = "no answer"
        for attempt in range(RETRIES):
            self._wait(self.min_interval - (time.monotonic() - self._last), problem)
            self._last = time.monotonic()
            timeout = TIMEOUT
            if self.end is not None:
                timeout = max(0.001, min(TIMEOUT, self.end - time.monotonic()))
            wait = None
            try:
                response = self.session.get(
                    self.url, params={"force": force, "date": month}, timeout=timeout
                )
            except requests.RequestException as exc:
                problem = f"{type(exc).__name__}: {exc}"
            else:
                status = response.status_code
                if status == 200:
                    try:
                        data = response.json()
                    except ValueError as exc:
                        problem = f"the answer is malformed JSON ({exc})"
                    else:
                        if isinstance(data, list) and all(isinstance(d, dict) for d in data):
                            return data
                        problem = "the answer is not a JSON list of stops"
                elif status == 404:
                    return None
                elif status == 429 or status >= 500:
                    problem = f"HTTP {status}"
                    headers = getattr(response, "headers", None) or {}
                    wait = retry_after(headers.get("Retry-After"))
                    if wait is not None:
                        problem += f" (Retry-After {wait:g} s)"
                else:
                    raise FetchError(f"{self.url} answered HTTP {status} for {force} {month}")
            if attempt < RETRIES - 1:
                self._wait(max(delay, wait or 0.0), f"{force} {month}: {problem}")
                delay *= 2
        raise FetchError(f"{self.url} gave no usable answer for {force} {month}: {problem}")


def _read_cache(path: Path) -> list[dict]:
    """A cached answer; a corrupt one stops with one line naming the file."""
    data = read_input_bytes(path, str(path), expected="a cached police.uk answer (JSON)")
    try:
        stops = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputFileError(
            str(path),
            f"the cached answer is corrupt ({exc})",
            expected="JSON written by peelstats fetch; delete the file to fetch the month again",
        ) from None
    if not isinstance(stops, list) or not all(isinstance(d, dict) for d in stops):
        raise InputFileError(
            str(path),
            "the cached answer is not a JSON list of stops",
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
            else:
                stops = client.get_json(force_id, month)
                if stops is None:
                    result[month] = None
                    continue
                _write_atomic(cached, json.dumps(stops, sort_keys=True))
            target = archive / month / f"{month}-{force_id}-stop-and-search.csv"
            _write_atomic(target, stops_to_csv(stops))
            result[month] = len(stops)
    except OSError as exc:
        raise EnvironmentFault(
            f"cannot write {exc.filename or archive}: {exc.strerror or exc}"
        ) from None
    return result
