"""``fetch``: download stop-and-search months for one force from the police.uk API.

``https://data.police.uk/api/stops-force?force=<id>&date=YYYY-MM`` returns a JSON list of
stops; each month is written as ``YYYY-MM/YYYY-MM-<force>-stop-and-search.csv`` (the archive
layout, with the CSV columns) under ``data/raw/police-uk-archive``. Responses are cached as
JSON, requests are spaced (police.uk allows 15 per second; we send at most 4) and retried with
exponential backoff on connection errors, 429 and 5xx.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import click
import requests
from tqdm import tqdm

from peelstats.config import paths
from peelstats.data.archive import COLUMNS
from peelstats.data.forces import get_force
from peelstats.errors import ParameterError, PeelstatsError

API = "https://data.police.uk/api/stops-force"
MIN_INTERVAL = 0.25  # seconds between requests
RETRIES = 5
TIMEOUT = 60
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


class FetchError(PeelstatsError):
    """The police.uk API did not give a usable answer after retries."""


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
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


class _Client:
    """Spaced, retried GETs."""

    def __init__(self, session, sleep: Callable[[float], None], min_interval: float):
        self.session, self.sleep, self.min_interval = session, sleep, min_interval
        self._last = -1e9

    def get_json(self, force: str, month: str) -> list[dict] | None:
        """The month's stops, or None when police.uk has no data for it (404)."""
        delay = 1.0
        problem = ""
        for attempt in range(RETRIES):
            wait = self.min_interval - (time.monotonic() - self._last)
            if wait > 0:
                self.sleep(wait)
            self._last = time.monotonic()
            try:
                response = self.session.get(
                    API, params={"force": force, "date": month}, timeout=TIMEOUT
                )
            except requests.RequestException as exc:
                problem = f"{type(exc).__name__}: {exc}"
            else:
                if response.status_code == 200:
                    try:
                        data = response.json()
                    except ValueError:
                        problem = "the answer is not JSON"
                    else:
                        if isinstance(data, list):
                            return data
                        problem = "the answer is not a JSON list of stops"
                elif response.status_code == 404:
                    return None
                elif response.status_code == 429 or response.status_code >= 500:
                    problem = f"HTTP {response.status_code}"
                else:
                    raise FetchError(
                        f"police.uk answered HTTP {response.status_code} for {force} {month}"
                    )
            if attempt < RETRIES - 1:
                self.sleep(delay)
                delay *= 2
        raise FetchError(f"police.uk gave no usable answer for {force} {month}: {problem}")


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
) -> dict[str, int | None]:
    """Download ``start``..``end`` for ``force``; return records per month (None = no data)."""
    force_id = get_force(force).id
    months = months_between(start, end)
    archive = Path(out) if out is not None else paths().raw / "police-uk-archive"
    cache_dir = Path(cache) if cache is not None else paths().raw / "police-uk-api-cache"
    client = _Client(session or requests.Session(), sleep, min_interval)
    result: dict[str, int | None] = {}
    bar = tqdm(
        months,
        desc=f"fetching {force_id}",
        unit="month",
        file=sys.stderr,
        disable=None if progress else True,
    )
    for month in bar:
        cached = cache_dir / force_id / f"{month}.json"
        if cached.is_file():
            stops = json.loads(cached.read_text(encoding="utf-8"))
        else:
            stops = client.get_json(force_id, month)
            if stops is None:
                result[month] = None
                continue
            _write_atomic(cached, json.dumps(stops, sort_keys=True))
        target = archive / month / f"{month}-{force_id}-stop-and-search.csv"
        _write_atomic(target, stops_to_csv(stops))
        result[month] = len(stops)
    return result


@click.command("fetch")
@click.option("--force", "force", required=True, help="police.uk force id, e.g. durham.")
@click.option("--from", "start", required=True, help="First month, YYYY-MM.")
@click.option("--to", "end", required=True, help="Last month, YYYY-MM.")
@click.option("--cache", type=click.Path(path_type=Path), help="Folder for cached API answers.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Archive folder to write into (default data/raw/police-uk-archive).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def fetch_command(force, start, end, cache, out, quiet) -> None:
    """Download stop-and-search months from the police.uk API into the raw archive."""
    result = fetch(force, start, end, out=out, cache=cache, progress=not quiet)
    got = {m: n for m, n in result.items() if n is not None}
    none = [m for m, n in result.items() if n is None]
    click.echo(f"{force}: {len(got)} months, {sum(got.values())} records written")
    if none:
        click.echo(f"no data published for: {', '.join(none)}", err=True)
