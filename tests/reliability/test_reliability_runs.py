"""Runs that meet hostile data, each other, a killed parent or a bad disk.

- Force ids read from a data table are checked as strictly as those typed on the command line
  before they name a folder: nothing is written outside the output folder.
- Two batches on the same period folder: the second stops with one line naming the folder and
  the process holding it (exit 1); the first completes.
- SIGKILL to the batch's main process alone (what the out-of-memory killer does): its workers
  and kernels die with it and never swap a report in afterwards.
- ``--workers`` is capped at the number of jobs and refused beyond any sane number.
- A read-only or full output folder: one line, exit 1, no traceback, nothing half-written.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from relhelpers import PERIOD, assert_clean_error, copy_data, peelstats, run_env, snapshot

from peelstats.config import PROJECT_ROOT

pytestmark = pytest.mark.slow


def relabelled_data(tmp_path: Path, force: str) -> Path:
    """A copy of the default data in which Cumbria's searches carry ``force`` as their id."""
    data = tmp_path / "prepared"
    shutil.copytree(PROJECT_ROOT / "data" / "default", data)
    for name in ("searches.csv.gz", "coverage.csv"):
        table = pd.read_csv(data / name, dtype=str, keep_default_na=False)
        table.loc[table["force"] == "cumbria", "force"] = force
        table.to_csv(data / name, index=False)
    return data


@pytest.mark.parametrize("bad", ["../../x", "..", "a/b", "Durham", "x" * 80, "-x", "a b"])
def test_force_ids_from_data_never_name_a_path(tmp_path, bad):
    data = relabelled_data(tmp_path, bad)
    out = tmp_path / "deep" / "er" / "outputs"
    proc = peelstats("batch", "--forces", "all", "--periods", PERIOD, "--data", str(data),
                     "--out", str(out), "--no-progress")  # fmt: skip
    assert_clean_error(proc, "force id", "from the searches table", "cannot name an output folder")
    assert not out.exists()
    assert sorted(p.name for p in (tmp_path).iterdir()) == ["prepared"]


def _wait_for(predicate, timeout=120.0, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return False


def test_a_second_batch_on_the_same_folder_stops_with_one_line(tmp_path):
    data = copy_data(tmp_path / "data")
    out = tmp_path / "outputs"
    args = [sys.executable, "-m", "peelstats", "batch", "--forces", "cumbria,durham",
            "--periods", PERIOD, "--no-progress", "--out", str(out)]  # fmt: skip
    env = {**os.environ, **run_env(data)}
    first = subprocess.Popen(args, env=env, cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert _wait_for(lambda: (out / PERIOD / ".peelstats.lock.pid").exists())
        second = peelstats("batch", "--forces", "cumbria", "--periods", PERIOD, "--no-progress",
                           "--out", str(out), env=run_env(data))  # fmt: skip
        assert second.returncode == 1, second.stderr
        assert "Traceback" not in second.stderr
        line = second.stderr.strip()
        assert line.startswith("peelstats: error: another peelstats batch is writing ")
        assert f"{PERIOD} (pid {first.pid})" in line and len(second.stderr.splitlines()) == 1
    finally:
        stdout, stderr = first.communicate(timeout=600)
    assert first.returncode == 0, stderr
    assert "failed" not in (out / PERIOD / "index.html").read_text().split("<tbody>")[1]


def _descendants(pid: int) -> set[int]:
    found, frontier = set(), {pid}
    while frontier:
        nxt = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) in frontier and fields[0] not in ("Z", "X"):
                    nxt.add(int(stat.parent.name))
        nxt -= found
        found |= nxt
        frontier = nxt
    return found


def test_killing_the_main_process_alone_takes_its_workers_with_it(tmp_path):
    data = copy_data(tmp_path / "data")
    out = tmp_path / "outputs"
    args = [sys.executable, "-m", "peelstats", "batch", "--forces",
            "cumbria,dyfed-powys,north-yorkshire,durham", "--periods", PERIOD, "--workers", "2",
            "--no-progress", "--out", str(out)]  # fmt: skip
    batch = subprocess.Popen(args, env={**os.environ, **run_env(data)}, cwd=PROJECT_ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    partial = lambda: list((out / PERIOD).glob(".*.partial-*")) if (out / PERIOD).is_dir() else []  # noqa: E731
    assert _wait_for(lambda: len(partial()) >= 1)
    children = _descendants(batch.pid)
    assert children, "the batch has started its workers"
    os.kill(batch.pid, signal.SIGKILL)  # the main process only, as the OOM killer does
    batch.wait()
    assert _wait_for(lambda: not any(Path(f"/proc/{p}").exists() and _alive(p) for p in children),
                     timeout=30)  # fmt: skip
    before = sorted(p.name for p in (out / PERIOD).iterdir() if not p.name.startswith("."))
    time.sleep(5)  # nothing swaps a report in afterwards
    after = sorted(p.name for p in (out / PERIOD).iterdir() if not p.name.startswith("."))
    assert after == before


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


@pytest.mark.parametrize("workers", ["100000", "99999999999999999999"])
def test_absurd_worker_counts_are_refused(tmp_path, workers):
    proc = peelstats("batch", "--forces", "durham", "--periods", PERIOD, "--workers", workers,
                     "--out", str(tmp_path / "out"))  # fmt: skip
    assert_clean_error(proc, "--workers must be at most")
    assert not (tmp_path / "out").exists()


def test_workers_are_capped_at_the_number_of_jobs(tmp_path):
    from peelstats.run.batch import check_workers

    assert check_workers(64, 1) == 1 and check_workers(2, 44) == 2 and check_workers(None, 1) == 1


@contextlib.contextmanager
def _tmpfs(path: Path, size: str):
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
                             capture_output=True)  # fmt: skip
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


def test_a_read_only_output_folder_is_one_line_exit_1(tmp_path):
    with _tmpfs(tmp_path / "ro", "1m") as folder:
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        proc = peelstats("run", "--force", "durham", "--period", PERIOD, "--out", str(folder))
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr and len(proc.stderr.splitlines()) == 1
        assert "cannot write to" in proc.stderr and "read-only" in proc.stderr.lower()


def test_a_full_disk_fails_the_job_with_one_line_and_leaves_nothing_half_written(tmp_path):
    with _tmpfs(tmp_path / "small", "400k") as folder:
        proc = peelstats("run", "--force", "durham", "--period", PERIOD, "--out", str(folder))
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr
        assert "the disk is full" in proc.stderr
        visible = [p for p in (folder / PERIOD).iterdir() if not p.name.startswith(".")]
        assert not (folder / PERIOD / "durham").exists(), visible
        assert not list((folder / PERIOD).glob(".durham.partial-*"))


def _used(folder: Path) -> int:
    stat = os.statvfs(folder)
    return (stat.f_blocks - stat.f_bfree) * stat.f_frsize


def _blocks(path: Path) -> int:
    return sum(p.stat().st_blocks * 512 for p in [path, *path.rglob("*")] if p.is_file())


PAPER = ("report.docx", "estimates.xlsx", "report.pdf")


def test_a_full_disk_while_the_paper_is_written_keeps_the_earlier_report_and_paper(tmp_path):
    """The disk fills while the second run writes report.docx: the job fails with one line and
    the first run's report, Word, spreadsheet and PDF stay as they were."""
    with _tmpfs(tmp_path / "disk", "64m") as folder:
        first = peelstats("run", "--force", "durham", "--period", PERIOD, "--out", str(folder))
        assert first.returncode == 0, first.stderr
        report = folder / PERIOD / "durham"
        before = snapshot(report)
        assert all(name in before for name in PAPER if name != "report.pdf")
        job = _blocks(report) - sum(_blocks(report / n) for n in PAPER if (report / n).exists())
        room = _used(folder) + job + (report / "report.docx").stat().st_size // 2
        subprocess.run(["mount", "-o", f"remount,size={room}", str(folder)], check=True)

        second = peelstats("run", "--force", "durham", "--period", PERIOD, "--out", str(folder))
        assert second.returncode == 1, second.stdout + second.stderr
        assert "Traceback" not in second.stderr and "the disk is full" in second.stderr
        assert "not written" not in second.stderr  # not a note: the job failed
        assert snapshot(report) == before
        assert not list((folder / PERIOD).glob(".durham.*"))


FAKE_CHROMIUM = """#!/bin/sh
# stands in for Chromium: says where it runs, then never opens its DevTools endpoint
echo $$ > "{pidfile}"
exec sleep 600
"""


def test_killing_the_main_process_mid_job_leaves_no_process_of_the_batch(tmp_path):
    """kill -9 of the batch's main process alone while a job is busy (here: printing its PDF,
    with a Chromium that hangs): the fork server, the resource tracker, the workers and the
    Chromium they started all die within seconds, and no report is published."""
    data = copy_data(tmp_path / "data")
    out = tmp_path / "outputs"
    pidfile = tmp_path / "chromium.pid"
    chromium = tmp_path / "chromium"
    chromium.write_text(FAKE_CHROMIUM.format(pidfile=pidfile))
    chromium.chmod(0o755)
    args = [
        sys.executable,
        "-m",
        "peelstats",
        "batch",
        "--forces",
        "cumbria,dyfed-powys",
        "--periods",
        PERIOD,
        "--workers",
        "2",
        "--paper",
        "--no-progress",
        "--out",
        str(out),
    ]
    (tmp_path / "tmp").mkdir()  # Chromium's profile, which a killed batch cannot remove
    env = {**os.environ, **run_env(data), "PEELSTATS_CHROMIUM": str(chromium),
           "TMPDIR": str(tmp_path / "tmp")}  # fmt: skip
    log = tmp_path / "batch.log"
    with open(log, "wb") as sink:
        batch = subprocess.Popen(args, env=env, cwd=PROJECT_ROOT, stdout=sink, stderr=sink)
    tree: set[int] = set()
    try:
        started = _wait_for(
            lambda: (pidfile.exists() and pidfile.read_text().strip()) or batch.poll() is not None,
            timeout=300,
        )
        assert started and batch.poll() is None, log.read_text(errors="replace")[-3000:]
        time.sleep(0.5)  # the fake Chromium has replaced itself with sleep
        tree = _descendants(batch.pid)
        fake = int(pidfile.read_text())
        assert fake in tree, "the Chromium a worker started belongs to the batch's tree"
        assert len(tree) >= 4  # fork server, resource tracker, workers, Chromium
        os.kill(batch.pid, signal.SIGKILL)  # the main process only, as the OOM killer does
        batch.wait()
        gone = _wait_for(lambda: not [p for p in tree if _alive(p)], timeout=15)
        assert gone, [(p, Path(f"/proc/{p}/cmdline").read_bytes()[:80]) for p in tree if _alive(p)]
    finally:  # whatever outlived the batch (before the fix, all of it) is not left running
        for pid in tree | _descendants(batch.pid) | {batch.pid}:
            if _alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        batch.wait()
    visible = sorted(p.name for p in (out / PERIOD).iterdir() if not p.name.startswith("."))
    assert visible == ["_shared"]  # no report, no index: nothing was published
    time.sleep(3)
    assert sorted(p.name for p in (out / PERIOD).iterdir() if not p.name.startswith(".")) == (
        visible
    )


def test_run_takes_latest_as_batch_does_and_a_force_in_any_case(tmp_path):
    """`run --period latest` is the quarter `batch --periods latest` takes (it was refused as
    not a quarter), and `--force Durham` is durham (it was refused as not lower-case)."""
    batch = peelstats("batch", "--forces", "durham", "--periods", "latest", "--dry-run")
    latest = batch.stdout.split()[0]
    out = tmp_path / "out"
    run = peelstats("run", "--force", "Durham", "--period", "latest", "--no-paper",
                    "--out", str(out))  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stdout.startswith("peelstats: 1 succeeded, 0 skipped, 0 failed")
    assert (out / latest / "durham" / "report.html").is_file()
    assert [p.name for p in out.iterdir()] == [latest]


def test_a_force_with_no_stop_and_search_data_is_skipped_with_the_reason(tmp_path):
    """Kent has no stop-and-search records in the data: its job is skipped (not succeeded),
    with the reason in status.json, the summary line and the index; its report still says so
    and gives its crime outcomes."""
    import json

    out = tmp_path / "out"
    batch = peelstats("batch", "--forces", "durham,kent", "--periods", PERIOD, "--workers", "2",
                      "--no-progress", "--out", str(out))  # fmt: skip
    assert batch.returncode == 0, batch.stderr
    assert "Traceback" not in batch.stderr
    reason = (
        "no stop-and-search data: the data has no stop-and-search records for Kent in the year "
        "ending 30 September 2021"
    )
    assert batch.stdout.startswith("peelstats: 1 succeeded, 1 skipped, 0 failed")
    assert f"  skipped kent {PERIOD}: {reason}\n" in batch.stdout
    status = json.loads((out / PERIOD / "kent" / "status.json").read_text())
    assert status["status"] == "skipped" and status["reason"] == reason
    durham = json.loads((out / PERIOD / "durham" / "status.json").read_text())
    assert durham["status"] == "succeeded" and durham["reason"] == ""
    index = (out / PERIOD / "index.html").read_text(encoding="utf-8")
    row = next(r for r in index.split("<tr>") if ">Kent<" in r)
    assert "skipped" in row and reason in row
    report = (out / PERIOD / "kent" / "report.html").read_text(encoding="utf-8")
    assert "The data has no stop-and-search records for Kent" in report
    assert 'id="outcomes"' in report


def test_no_paper_keeps_the_earlier_paper_made_from_the_same_inputs(tmp_path):
    """`run --no-paper` after `run` keeps report.docx, estimates.xlsx and report.pdf (they were
    deleted silently), with a note; after a change of settings they no longer match the
    report, so they are left out, with a note saying why."""
    out = tmp_path / "out"
    folder = out / PERIOD / "cumbria"
    first = peelstats("run", "--force", "cumbria", "--period", PERIOD, "--out", str(out))
    assert first.returncode == 0, first.stderr
    paper = {n: (folder / n).read_bytes() for n in PAPER if (folder / n).is_file()}
    assert {"report.docx", "estimates.xlsx"} <= set(paper)

    again = peelstats("run", "--force", "cumbria", "--period", PERIOD, "--no-paper", "--out",
                      str(out))  # fmt: skip
    assert again.returncode == 0, again.stderr
    assert {n: (folder / n).read_bytes() for n in paper} == paper
    notes = [line for line in again.stderr.splitlines() if "kept the earlier run's" in line]
    assert len(notes) == 1 and "report.docx" in notes[0] and "--paper" in notes[0], again.stderr
    assert "Traceback" not in again.stderr

    other = peelstats("run", "--force", "cumbria", "--period", PERIOD, "--no-paper",
                      "--confidence", "0.9", "--out", str(out))  # fmt: skip
    assert other.returncode == 0, other.stderr
    assert not any((folder / n).exists() for n in PAPER)
    notes = [line for line in other.stderr.splitlines() if "left out" in line]
    assert len(notes) == 1 and "would not match this report" in notes[0], other.stderr


def test_a_batch_starts_under_a_deep_temporary_folder(tmp_path):
    """A Unix socket path is at most 107 bytes: under a TMPDIR this deep the fork server could
    not listen, and the batch stopped with a traceback ("AF_UNIX path too long")."""
    deep = tmp_path / ("t" * 60) / ("u" * 60)
    deep.mkdir(parents=True)
    env = {**os.environ, "TMPDIR": str(deep)}
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "peelstats", "batch", "--forces", "cumbria,durham", "--periods",
         PERIOD, "--workers", "2", "--no-progress", "--out", str(out)],
        capture_output=True, text=True, env=env, cwd=PROJECT_ROOT,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stdout.startswith("peelstats: 2 succeeded, 0 skipped, 0 failed")


@pytest.mark.parametrize("below", ["", "sub"])
def test_an_output_folder_that_is_a_file_is_named_so(tmp_path, below):
    """--out naming a file (or a folder under a file) said 'File exists' or 'Not a directory',
    with the path shown as '../../..' from the current folder."""
    taken = tmp_path / "taken"
    taken.write_text("x")
    out = taken / below if below else taken
    run = subprocess.run(
        [sys.executable, "-m", "peelstats", "run", "--force", "durham", "--period", PERIOD,
         "--no-paper", "--out", str(out)],
        capture_output=True, text=True, cwd=PROJECT_ROOT,
    )  # fmt: skip
    assert "Traceback" not in run.stderr
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("peelstats: error: ")
    if below:  # found when the folder is made
        assert run.returncode == 1
        assert lines[0] == (f"peelstats: error: cannot write to {out}: it, or a folder above "
                            "it, is a file, not a folder")  # fmt: skip
    else:  # refused with the arguments
        assert run.returncode == 2 and f"'{out}' is a file" in lines[0]
    assert taken.read_text() == "x"


LIGHT_PARENT = """
import sys
from peelstats.run.cli import main
try:
    main()
finally:
    heavy = sorted(m for m in ("scipy", "statsmodels", "nbformat", "nbconvert") if m in sys.modules)
    print("heavy modules in the batch process:", heavy, file=sys.stderr)
"""


def test_the_batch_process_leaves_the_statistics_to_its_workers(tmp_path):
    """The all-forces comparison and index.html are made by a warm worker, so the batch process
    itself never imports the statistics or notebook libraries (they cost it about 2 s of CPU,
    in every run and every batch)."""
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-c", LIGHT_PARENT, "run", "--force", "durham", "--period", PERIOD,
         "--out", str(out), "--no-paper"],
        capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=300,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "heavy modules in the batch process: []" in proc.stderr
    assert (out / PERIOD / "_shared" / "all_forces.csv").is_file()
    index = (out / PERIOD / "index.html").read_text(encoding="utf-8")
    assert "Durham" in index


def test_a_data_error_met_by_a_worker_is_one_line(tmp_path):
    """The all-forces comparison is read by a worker: a table it cannot read still stops the
    run with one line naming the file (the error crosses from the worker intact)."""
    folder = tmp_path / "data"
    shutil.copytree(PROJECT_ROOT / "data" / "default", folder)
    (table,) = folder.glob("searched_people.csv*")
    table.write_bytes(b"\x1f\x8b\x08\x00 this is not gzip")
    out = tmp_path / "out"
    proc = peelstats("run", "--force", "durham", "--period", PERIOD, "--data", str(folder),
                     "--out", str(out), "--no-paper")  # fmt: skip
    assert_clean_error(proc, table.name)
    assert not out.exists()  # not even an empty _shared folder, or the output folder itself
