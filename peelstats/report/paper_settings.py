"""The heading block of every Panel paper: ``panel-paper.toml``, filled in once by an analyst.

A small TOML file at the project root (or where ``PEELSTATS_PAPER_SETTINGS`` points), with the
Panel or meeting, the date of the paper, who reports, a contact officer and the organisation
(the author of the documents). Any of them may be set per force under ``[force.<id>]``. A
committed example, ``panel-paper.example.toml``, shows every setting. Where the file or a
setting is absent, the paper says plainly what to fill in; a bad value stops the run with one
line naming the file, the setting and what was expected.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from peelstats.config import paths
from peelstats.errors import InputFileError

FILE_NAME = "panel-paper.toml"
#: the settings a file may give, and what each holds
SETTINGS = {
    "panel": "the Panel or meeting the paper is for",
    "date": "the date of the paper, as YYYY-MM-DD",
    "report_of": "who the paper is the report of",
    "organisation": "the organisation the documents are by (their author)",
    "contact_officer": "the contact officer's name",
    "job_title": "the contact officer's job title",
    "telephone": "the contact officer's telephone number",
    "email": "the contact officer's email address",
}
_LONGEST = 300


@dataclass(frozen=True)
class PaperSettings:
    """The heading block of a paper; '' (or None for the date) where not set."""

    panel: str = ""
    date: dt.date | None = None
    report_of: str = ""
    organisation: str = ""
    contact_officer: str = ""
    job_title: str = ""
    telephone: str = ""
    email: str = ""
    #: the file the settings came from, or None when there is none
    source: str | None = None

    def missing(self) -> list[str]:
        """The settings not filled in, in the file's order."""
        return [name for name in SETTINGS if not getattr(self, name)]


def settings_path() -> Path:
    return Path(os.environ.get("PEELSTATS_PAPER_SETTINGS") or paths().root / FILE_NAME)


def _check(label: str, where: str, name: str, value) -> object:
    if name not in SETTINGS:
        raise InputFileError(
            label, f"unknown setting {where}{name!r}",
            expected="one of " + ", ".join(SETTINGS) + ", or a [force.<id>] table",
        )  # fmt: skip
    if name == "date":
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value.strip())
            except ValueError:
                value = None
        if not isinstance(value, dt.date):
            raise InputFileError(
                label, f"setting {where}'date' is not a date",
                expected="a date as YYYY-MM-DD, e.g. date = 2026-12-10",
            )  # fmt: skip
        return value
    if not isinstance(value, str):
        raise InputFileError(
            label, f"setting {where}{name!r} is not text", expected=f"quoted text: {SETTINGS[name]}"
        )
    text = value.strip()
    bad = next((ch for ch in text if ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0), None)
    if bad is not None:
        raise InputFileError(
            label, f"setting {where}{name!r} holds a control character (code {ord(bad)})",
            expected="plain text on one line",
        )  # fmt: skip
    if len(text) > _LONGEST:
        raise InputFileError(
            label, f"setting {where}{name!r} is {len(text)} characters long",
            expected=f"at most {_LONGEST}",
        )  # fmt: skip
    return text


def load_paper_settings(force: str, path: Path | None = None) -> PaperSettings:
    """The settings for ``force``: the file's top level, overridden by its ``[force.<id>]``
    table. An absent file gives empty settings (the paper says what to fill in)."""
    path = Path(path) if path is not None else settings_path()
    if not path.is_file():
        return PaperSettings()
    label = path.name
    try:
        data = tomllib.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputFileError(label, f"byte {exc.start} is not valid UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputFileError(label, f"not a readable TOML file: {exc}") from None
    values: dict[str, object] = {}
    per_force = data.pop("force", {})
    if not isinstance(per_force, dict):
        raise InputFileError(label, "'force' is not a table", expected="[force.<id>] tables")
    for name, value in data.items():
        values[name] = _check(label, "", name, value)
    for force_id, table in per_force.items():
        if not isinstance(table, dict):
            raise InputFileError(label, f"[force.{force_id}] is not a table")
        for name, value in table.items():
            checked = _check(label, f"[force.{force_id}] ", name, value)
            if force_id == force:
                values[name] = checked
    known = {f.name for f in fields(PaperSettings)}
    return PaperSettings(**{k: v for k, v in values.items() if k in known}, source=str(path))
