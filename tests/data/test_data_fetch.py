"""fetch, offline: the HTTP session is replaced by recorded answers built here."""

from __future__ import annotations

import io
import json

import pytest
import requests
from click.testing import CliRunner

from peelstats.data.fetch import FetchError, fetch, months_between
from peelstats.data.prepare import read_archive
from peelstats.errors import ParameterError
from peelstats.run.cli import cli

STOP = {
    "age_range": "18-24",
    "outcome": "A no further action disposal",
    "involved_person": True,
    "self_defined_ethnicity": "White - English/Welsh/Scottish/Northern Irish/British",
    "gender": "Male",
    "legislation": "Misuse of Drugs Act 1971 (section 23)",
    "outcome_linked_to_object_of_search": None,
    "datetime": "2022-01-05T14:20:00+00:00",
    "removal_of_more_than_outer_clothing": False,
    "outcome_object": {"id": "bu-no-further-action", "name": "A no further action disposal"},
    "location": {
        "latitude": "54.776",
        "street": {"id": 1, "name": "On, or near X"},
        "longitude": "-1.575",
    },
    "object_of_search": "Controlled drugs",
    "operation": False,
    "officer_defined_ethnicity": "White",
    "type": "Person search",
    "operation_name": None,
}


class Response:
    def __init__(self, status, payload=None):
        self.status_code = status
        self.raw = io.BytesIO(json.dumps(payload).encode())
        self.closed = False

    def close(self):
        self.closed = True


class Session:
    """Answers from a list per month, in order; records every call."""

    def __init__(self, answers):
        self.answers, self.calls = answers, []

    def get(self, url, params, timeout, stream=False):
        self.calls.append(params["date"])
        answer = self.answers[params["date"]].pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def feb_stop():
    return {
        **STOP,
        "datetime": "2022-02-01T09:00:00+00:00",
        "location": None,
        "outcome": "Arrest",
        "outcome_object": {"id": "x", "name": "Arrest"},
        "outcome_linked_to_object_of_search": True,
    }


def test_fetch_writes_archive_layout(tmp_path):
    session = Session(
        {
            "2022-01": [Response(200, [STOP, STOP])],
            "2022-02": [
                Response(500),
                requests.ConnectionError("reset"),
                Response(200, [feb_stop()]),
            ],
            "2022-03": [Response(404)],
        }
    )
    waits = []
    result = fetch(
        "durham",
        "2022-01",
        "2022-03",
        out=tmp_path / "a",
        cache=tmp_path / "c",
        session=session,
        sleep=waits.append,
        progress=False,
    )
    assert result == {"2022-01": 2, "2022-02": 1, "2022-03": None}
    assert session.calls == ["2022-01", "2022-02", "2022-02", "2022-02", "2022-03"]
    assert [w for w in waits if w >= 1] == [1.0, 2.0]  # backoff after each failure
    data = read_archive(tmp_path / "a", progress=False)
    assert data.coverage["records"].tolist() == [2, 1]
    feb = data.records[data.records["month"] == "2022-02"].iloc[0]
    assert feb["outcome_class"] == "arrest" and bool(feb["linked_find"])
    text = (tmp_path / "a/2022-01/2022-01-durham-stop-and-search.csv").read_text()
    assert '"On, or near X"' not in text  # street names are not a CSV column
    assert ",54.776,-1.575," in text


def test_cache_avoids_requests(tmp_path):
    session = Session({"2022-01": [Response(200, [STOP])]})
    kwargs = dict(out=tmp_path / "a", cache=tmp_path / "c", sleep=lambda s: None, progress=False)
    fetch("durham", "2022-01", "2022-01", session=session, **kwargs)
    assert json.loads((tmp_path / "c/durham/2022-01.json").read_text()) == [STOP]
    again = Session({})
    assert fetch("durham", "2022-01", "2022-01", session=again, **kwargs) == {"2022-01": 1}
    assert again.calls == []


def test_gives_up_after_retries(tmp_path):
    session = Session({"2022-01": [Response(503)] * 5})
    with pytest.raises(FetchError, match="HTTP 503"):
        fetch(
            "durham",
            "2022-01",
            "2022-01",
            out=tmp_path,
            cache=tmp_path / "c",
            session=session,
            sleep=lambda s: None,
            progress=False,
        )
    assert not list(tmp_path.glob("2022-01/*.csv"))


def test_requests_are_spaced(tmp_path):
    session = Session({m: [Response(200, [])] for m in ("2022-01", "2022-02")})
    waits = []
    fetch(
        "durham",
        "2022-01",
        "2022-02",
        out=tmp_path,
        cache=tmp_path / "c",
        session=session,
        sleep=waits.append,
        progress=False,
        min_interval=10.0,
    )
    assert len(waits) == 1 and 9 < waits[0] <= 10


def test_months_between():
    assert months_between("2022-11", "2023-02") == ["2022-11", "2022-12", "2023-01", "2023-02"]
    with pytest.raises(ParameterError):
        months_between("2023-02", "2022-11")
    with pytest.raises(ParameterError):
        months_between("2022-13", "2023-01")


def test_cli_rejects_bad_force(tmp_path):
    result = CliRunner().invoke(
        cli,
        [
            "fetch",
            "--force",
            "../etc",
            "--from",
            "2022-01",
            "--to",
            "2022-01",
            "--cache",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "Traceback" not in result.output


def test_a_carriage_return_in_a_fetched_label_is_quoted_and_read_back(tmp_path):
    """With LF line ends the csv module does not quote a lone CR; prepare would end the record
    there (a ragged row, or a label cut in two)."""
    label = "Controlled\rdrugs"
    session = Session({"2022-01": [Response(200, [{**STOP, "object_of_search": label}, STOP])]})
    fetch("durham", "2022-01", "2022-01", out=tmp_path / "a", cache=tmp_path / "c",
          session=session, sleep=lambda s: None, progress=False)  # fmt: skip
    data = read_archive(tmp_path / "a", progress=False)
    labels = data.records["object_of_search"].str.replace("\n", "\r")  # read as LF
    assert sorted(labels) == sorted(["Controlled drugs", label])
