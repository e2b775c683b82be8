"""panel-paper.toml: the committed example reads as documented, a force's table overrides the
top level, and every bad value is one line naming the file, the setting and what was expected
(also on the command line, before any job runs)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest

from peelstats.config import paths
from peelstats.errors import InputFileError
from peelstats.report.paper_settings import SETTINGS, load_paper_settings


def test_the_committed_example_reads_and_a_force_table_overrides():
    example = paths().root / "panel-paper.example.toml"
    durham = load_paper_settings("durham", example)
    assert durham.panel == "Durham Police and Crime Panel"
    assert durham.date == dt.date(2026, 12, 10)
    assert durham.organisation and not durham.missing()
    assert load_paper_settings("kent", example).panel == "Police and Crime Panel"


def test_an_absent_file_leaves_everything_to_fill_in(tmp_path):
    settings = load_paper_settings("durham", tmp_path / "panel-paper.toml")
    assert settings.missing() == list(SETTINGS)
    from peelstats.report.wording.paper import heading_block

    block = dict(heading_block(settings))
    assert block["Panel"] == "not set (set panel in panel-paper.toml)"
    assert "set contact_officer" in block["Contact officer"]


@pytest.mark.parametrize(
    "content, words",
    [
        ('date = "next week"\n', "'date' is not a date"),
        ("date = 12\n", "'date' is not a date"),
        ('pannel = "x"\n', "unknown setting 'pannel'"),
        ("panel = 3\n", "'panel' is not text"),
        ('panel = "Durham\\u0007Panel"\n', "control character"),
        ('panel = "x\n', "not a readable TOML file"),
        ('[force.durham]\nemial = "a@b"\n', "unknown setting [force.durham] 'emial'"),
        ("force = 3\n", "'force' is not a table"),
        (f'panel = "{"x" * 400}"\n', "400 characters long"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_setting(tmp_path, content, words):
    path = tmp_path / "panel-paper.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        load_paper_settings("durham", path)
    message = str(info.value)
    assert message.startswith("panel-paper.toml") and words in message
    assert "\n" not in message


def test_a_byte_that_is_not_utf8_is_one_line(tmp_path):
    path = tmp_path / "panel-paper.toml"
    path.write_bytes(b'panel = "Durham \xe9"\n')
    with pytest.raises(InputFileError, match="not valid UTF-8"):
        load_paper_settings("durham", path)


def test_the_command_line_stops_before_any_job(tmp_path):
    path = tmp_path / "panel-paper.toml"
    path.write_text('date = "soon"\n', encoding="utf-8")
    env = {**os.environ, "PEELSTATS_PAPER_SETTINGS": str(path)}
    run = subprocess.run(
        [sys.executable, "-m", "peelstats", "run", "--force", "durham", "--period", "2021Q3",
         "--out", str(tmp_path / "out")], capture_output=True, text=True, env=env,
    )  # fmt: skip
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "'date' is not a date" in lines[0] and "Traceback" not in run.stderr
    assert not (tmp_path / "out" / "2021Q3" / "durham").exists()
