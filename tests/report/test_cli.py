"""The command line: subcommands present, force list, dry run, one-line errors."""

from __future__ import annotations

import subprocess
import sys

import pytest


def peelstats(*args):
    return subprocess.run(
        [sys.executable, "-m", "peelstats", *args], capture_output=True, text=True
    )


def test_help_lists_every_subcommand():
    out = peelstats("--help").stdout
    for command in ("prepare", "fetch", "run", "batch", "forces"):
        assert command in out


def test_forces_lists_the_registry_and_marks_data():
    lines = peelstats("forces").stdout.splitlines()
    durham = next(line for line in lines if line.startswith("durham "))
    assert "Durham" in durham and "E23000008" in durham and durham.rstrip().endswith("yes")
    assert len(lines) == 1 + 44  # header + 43 territorial forces + British Transport Police


def test_batch_dry_run_lists_every_force_for_the_latest_quarter():
    run = peelstats("batch", "--dry-run")
    assert run.returncode == 0
    jobs = run.stdout.splitlines()
    assert len(jobs) == 16 and all(j.startswith("2021Q3 ") for j in jobs)


def test_unknown_force_is_one_line_exit_2_with_a_suggestion():
    run = peelstats("run", "--force", "durhm", "--period", "2021Q3")
    assert run.returncode == 2
    assert run.stderr.strip().count("\n") == 0 and "did you mean durham" in run.stderr
    assert "Traceback" not in run.stderr


def test_force_ids_are_read_in_any_case_and_by_name():
    """police.uk ids are lower-case and no two differ only in case: 'Durham' can only mean
    durham, and the force's name means it too; the folder is named with the id."""
    run = peelstats("batch", "--forces", "Durham,WEST-MIDLANDS,Thames Valley", "--periods",
                    "2021Q3", "--dry-run")  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert [line.split()[1] for line in run.stdout.splitlines()] == [
        "durham", "west-midlands", "thames-valley"
    ]  # fmt: skip


def test_choices_are_read_in_any_case_and_by_their_words():
    run = peelstats("batch", "--forces", "durham", "--ethnicity", "Officer-Defined", "--kernels",
                    "FRESH", "--periods", "LATEST", "--dry-run")  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("2021Q3 durham ")


def test_reasons_and_notes_from_data_reach_the_terminal_as_one_plain_line(capsys, tmp_path):
    """A failure reason or note may quote data: an escape sequence must not act on the
    terminal, and a line break must not split the line."""
    from peelstats.run.cli import _summarise
    from peelstats.run.jobs import JobResult, NotebookOutcome

    hostile = "label \x1b[2J\x1b[31mred\nsecond line\x07"
    results = [
        JobResult("durham", "2021Q3", "failed", [NotebookOutcome("inspection", "failed",
                  f"ValueError: {hostile}")], notes=[f"report.docx not written: {hostile}"]),
        JobResult("kent", "2021Q3", "skipped", reason=hostile),
    ]  # fmt: skip
    assert _summarise(results, tmp_path) == 1
    out, err = capsys.readouterr()
    for text in (out, err):
        assert "\x1b" not in text and "\x07" not in text
    assert "label \ufffd[2J\ufffd[31mred second line\ufffd" in out + err
    assert len([line for line in err.splitlines() if "FAILED" in line]) == 1


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("runn",), "No such command 'runn'. Did you mean 'run'?"),
        (("run", "--bogus"), "No such option '--bogus'"),
        (("batch", "--workers", "x"), "'x' is not a valid integer"),
        (("run", "--force"), "'--force' requires an argument"),
    ],
)
def test_a_mistyped_command_line_is_one_line_exit_2(args, fragment):
    """click's own form is three lines (usage, a blank line, the error); here it is one line,
    naming where the help is."""
    run = peelstats(*args)
    assert run.returncode == 2 and run.stdout == ""
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("peelstats: error: ")
    assert fragment in lines[0] and "--help" in lines[0]
