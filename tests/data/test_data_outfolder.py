"""The folder prepare writes: what it refuses to replace, the swap, recovery and the lock."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest
from click.testing import CliRunner

from peelstats.data.outfolder import MARKER, prepare_lock
from peelstats.data.prepare import prepare
from peelstats.errors import BusyError, ParameterError
from peelstats.files import atomic_open, atomic_write, recover_folder, swap_folder
from peelstats.run.cli import cli


def run(*args: str):
    return CliRunner().invoke(cli, ["prepare", "-q", *args])


def one_line_error(result, code: int = 2) -> str:
    assert result.exit_code == code, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("peelstats: error: "), result.output
    assert "Traceback" not in result.output
    return lines[0]


def tree(folder):
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


# ------------------------------------------------------------------ what --out may be


def test_out_folder_without_marker_is_refused(archive, data_dir, tmp_path):
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_text("years of work")
    line = one_line_error(run("--archive", str(archive), "--out", str(out)))
    assert str(out) in line and MARKER in line and "did not write" in line
    assert tree(out) == {"thesis.docx": b"years of work"}


def test_out_is_the_archive_itself(archive, data_dir):
    before = tree(archive)
    line = one_line_error(run("--archive", str(archive), "--out", str(archive)))
    assert "is the input" in line
    assert tree(archive) == before


def test_out_is_the_zip_archive_file(archive, data_dir, tmp_path):
    import zipfile

    zpath = tmp_path / "archive.zip"
    with zipfile.ZipFile(zpath, "w") as z:
        for p in archive.rglob("*.csv"):
            z.write(p, p.relative_to(archive).as_posix())
    before = zpath.read_bytes()
    line = one_line_error(run("--archive", str(zpath), "--out", str(zpath)))
    assert "is a file" in line
    assert zpath.read_bytes() == before


def test_out_contains_an_input(archive, data_dir, tmp_path):
    # the archive lives in tmp_path: replacing tmp_path would delete it
    line = one_line_error(run("--archive", str(archive), "--out", str(tmp_path)))
    assert "contains the input" in line
    assert archive.is_dir()


def test_out_inside_an_input(archive, data_dir):
    line = one_line_error(run("--archive", str(archive), "--out", str(archive / "prepared")))
    assert "inside the input" in line
    assert not (archive / "prepared").exists()


def test_out_is_the_census_folder_or_outcomes_file(archive, data_dir, tmp_path):
    census = tmp_path / "census"
    census.mkdir()
    line = one_line_error(
        run("--archive", str(archive), "--census", str(census), "--out", str(census))
    )
    assert "is the input" in line
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text("x\n")
    line = one_line_error(
        run("--archive", str(archive), "--outcomes", str(outcomes), "--out", str(outcomes))
    )
    assert "is a file" in line
    assert outcomes.read_text() == "x\n"


def test_out_through_a_symlink_to_the_archive(archive, data_dir, tmp_path):
    link = tmp_path / "link"
    link.symlink_to(archive)
    line = one_line_error(run("--archive", str(archive), "--out", str(link)))
    assert "is the input" in line


def test_out_is_a_file(archive, data_dir, tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("keep")
    line = one_line_error(run("--archive", str(archive), "--out", str(target)))
    assert "is a file, not a folder" in line
    assert target.read_text() == "keep"


def test_out_holding_raw_data_is_refused(archive, data_dir):
    (data_dir / "raw").mkdir()
    line = one_line_error(run("--archive", str(archive), "--out", str(data_dir)))
    assert "contains the input" in line


def test_empty_folder_and_marked_folder_are_replaced(archive, data_dir, tmp_path):
    out = tmp_path / "prepared"
    out.mkdir()
    assert run("--archive", str(archive), "--out", str(out)).exit_code == 0
    assert (out / MARKER).is_file()
    (out / "stale.txt").write_text("from an older prepare")
    assert run("--archive", str(archive), "--out", str(out)).exit_code == 0
    assert not (out / "stale.txt").exists()  # the folder is replaced as a whole


def test_refusal_through_the_api_is_a_parameter_error(archive, tmp_path):
    with pytest.raises(ParameterError, match="did not write"):
        (tmp_path / "x").mkdir()
        (tmp_path / "x" / "a").write_text("a")
        prepare(archive, out=tmp_path / "x", progress=False)


# ------------------------------------------------------------------ the swap and recovery


def test_swap_by_exchange_and_by_renames(tmp_path):
    for exchange in (True, False):
        target = tmp_path / f"t{exchange}"
        target.mkdir()
        (target / "a").write_text("old")
        work = tmp_path / f".t{exchange}.new-1-x"
        work.mkdir()
        (work / "a").write_text("new")
        swap_folder(work, target, use_exchange=exchange)
        assert (target / "a").read_text() == "new"
        assert sorted(p.name for p in tmp_path.iterdir() if str(exchange) in p.name) == [
            f"t{exchange}"
        ]


def test_sigkill_between_the_two_renames_leaves_a_recoverable_state(tmp_path):
    """A process killed (SIGKILL) between ``target -> .old`` and ``.new -> target`` of the
    two-rename swap: the target is absent, the previous folder is parked; recovery restores it."""
    target = tmp_path / "prepared"
    target.mkdir()
    (target / "manifest.csv").write_text("previous")
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from peelstats import files

        target = Path({str(target)!r})
        work = files.new_work_folder(target)
        (work / "manifest.csv").write_text("new")
        real_rename = Path.rename

        def rename(self, dst):
            if ".new-" in self.name:  # the second rename: die before it happens
                os.kill(os.getpid(), signal.SIGKILL)
            return real_rename(self, dst)

        Path.rename = rename
        files.swap_folder(work, target, use_exchange=False)
        """
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert proc.returncode == -9, proc.stderr
    assert not target.exists()
    names = sorted(p.name for p in tmp_path.iterdir())
    assert [n.split("-")[0] for n in names] == [".prepared.new", ".prepared.old"], names

    notes = recover_folder(target)
    assert (target / "manifest.csv").read_text() == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prepared"]
    assert notes[0].startswith("put back")


def test_next_prepare_recovers_an_interrupted_swap_and_keeps_revision_history(
    archive, data_dir, tmp_path
):
    out = tmp_path / "prepared"
    assert run("--archive", str(archive), "--out", str(out)).exit_code == 0
    previous = tree(out)
    # the state a kill -9 between the two renames leaves (process 999999 is long gone)
    out.rename(tmp_path / ".prepared.old-999999")
    half = tmp_path / ".prepared.new-999999-abc"
    half.mkdir()
    (half / "searches.parquet").write_bytes(b"half-written")

    from datahelpers import row, write_month

    write_month(archive, "2019-03", "durham", [row(Date="2019-03-03T10:00:00+00:00")])
    result = run("--archive", str(archive), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert "warning: put back" in result.output
    # compared with the restored previous output: its manifest was kept
    assert "1 month added since the last prepare: durham 2019-03" in result.output
    assert (out / "revisions.csv").is_file()
    assert not [p for p in tmp_path.iterdir() if ".old-" in p.name or ".new-" in p.name]
    assert set(previous) <= set(tree(out)) | {"revisions.csv"}


def test_recover_folder_states(tmp_path):
    target = tmp_path / "out"
    # 1. nothing to do
    assert recover_folder(target) == []
    # 2. target absent, old parked: put back; a stray new removed
    (tmp_path / ".out.old-99").mkdir()
    (tmp_path / ".out.old-99" / "manifest.csv").write_text("m")
    (tmp_path / ".out.new-99-q").mkdir()
    notes = recover_folder(target)
    assert (target / "manifest.csv").read_text() == "m"
    assert len(notes) == 2 and notes[0].startswith("put back")
    # 3. target present and a stale old (killed after the 2nd rename): old removed, target kept
    (tmp_path / ".out.old-98").mkdir()
    recover_folder(target)
    assert (target / "manifest.csv").read_text() == "m"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
    # 4. other folders that merely look alike are left alone
    (tmp_path / ".outer.old-1").mkdir()
    (tmp_path / ".out.old-x").mkdir()
    recover_folder(target)
    assert (tmp_path / ".outer.old-1").exists() and (tmp_path / ".out.old-x").exists()


def test_failed_write_never_leaves_the_folder_absent(archive, data_dir, tmp_path, monkeypatch):
    from peelstats.data import prepare as prep

    out = tmp_path / "prepared"
    assert run("--archive", str(archive), "--out", str(out)).exit_code == 0
    before = tree(out)

    def no_space(df, path):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(prep, "write_csv", no_space)
    line = one_line_error(run("--archive", str(archive), "--out", str(out)), code=1)
    assert "the disk is full" in line
    assert tree(out) == before


# ------------------------------------------------------------------ the lock


def test_second_prepare_stops_while_the_lock_is_held(archive, data_dir, tmp_path):
    out = tmp_path / "prepared"
    with prepare_lock(out.resolve()):
        line = one_line_error(run("--archive", str(archive), "--out", str(out)), code=1)
    assert line == (
        f"peelstats: error: another peelstats prepare is writing {out} (pid {os.getpid()})"
    )
    assert not out.exists()
    assert run("--archive", str(archive), "--out", str(out)).exit_code == 0  # released


def test_lock_held_by_another_process(archive, tmp_path):
    out = tmp_path / "prepared"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(
                f"""
                import sys, time
                from pathlib import Path
                from peelstats.data.outfolder import prepare_lock
                with prepare_lock(Path({str(out)!r})):
                    print("held", flush=True)
                    time.sleep(60)
                """
            ),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        proc = subprocess.run(
            [sys.executable, "-m", "peelstats", "prepare", "-q"]
            + ["--archive", str(archive), "--out", str(out)],
            capture_output=True,
            text=True,
            env={**os.environ, "PEELSTATS_DATA_DIR": str(tmp_path / "data")},
        )
    finally:
        holder.kill()
        holder.wait()
    assert proc.returncode == 1
    assert proc.stderr == (
        f"peelstats: error: another peelstats prepare is writing {out} (pid {holder.pid})\n"
    )
    assert proc.stdout == ""
    assert not out.exists()


def test_lock_is_a_busy_error(tmp_path):
    with prepare_lock(tmp_path / "x"), pytest.raises(BusyError) as info:
        with prepare_lock(tmp_path / "x"):
            pass
    assert info.value.exit_code == 1


# ------------------------------------------------------------------ atomic file writes


def test_atomic_write_replaces_whole_file(tmp_path):
    path = tmp_path / "t.csv"
    atomic_write(path, "a\n")
    atomic_write(path, b"b\n")
    assert path.read_bytes() == b"b\n"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_atomic_open_failure_keeps_the_old_file(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("old\n")
    with pytest.raises(RuntimeError), atomic_open(path, "w") as fh:
        fh.write("half")
        raise RuntimeError("killed mid-write")
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["t.csv"]


def test_atomic_open_fsyncs_before_the_rename(tmp_path, monkeypatch):
    calls = []
    real_fsync, real_replace = os.fsync, os.replace
    monkeypatch.setattr(os, "fsync", lambda fd: (calls.append("fsync"), real_fsync(fd)))
    monkeypatch.setattr(os, "replace", lambda a, b: (calls.append("replace"), real_replace(a, b)))
    atomic_write(tmp_path / "t", "x")
    assert calls[:2] == ["fsync", "replace"]


def test_prepare_writes_every_table_atomically(archive, data_dir, monkeypatch):
    from peelstats.data import prepare as prep

    opened = []
    real = prep.atomic_open

    def spy(path, mode="wb", **kw):
        opened.append(path.name)
        return real(path, mode, **kw)

    monkeypatch.setattr(prep, "atomic_open", spy)
    assert run("--archive", str(archive)).exit_code == 0
    written = {p.name for p in (data_dir / "processed").iterdir()} - {MARKER}
    assert written <= set(opened)
