"""How notebooks are executed in a batch: in each worker's own warm shell, isolated.

- No notebook sees another's variables (a variable planted by one is gone in the next).
- A notebook that crashes its process fails only its own job; the pool starts a new worker.
- The in-process engine writes byte-identical tables and the same notebook outputs as a fresh
  Jupyter kernel per notebook (what a reviewer's nbval re-run uses).
- The executor is injectable: a Dask cluster on loopback runs a batch.
- Work folders carry the host's name, and stale-work clean-up leaves another host's alone.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest
from papermill.exceptions import PapermillExecutionError

from peelstats.config import PROJECT_ROOT
from peelstats.run.execute import InProcess
from peelstats.run.pool import IsolatingPool, WorkerDied
from peelstats.run.workspace import host, remove_stale_work, work_name

PERIOD = "2021Q3"


def notebook(path: Path, *sources: str) -> SimpleNamespace:
    cells = [nbformat.v4.new_code_cell("x = 0")]
    cells[0].metadata["tags"] = ["parameters"]
    cells += [nbformat.v4.new_code_cell(s) for s in sources]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return SimpleNamespace(path=path, name=path.stem)


def test_a_variable_planted_by_one_notebook_is_gone_in_the_next(tmp_path):
    engine = InProcess()
    plant = notebook(tmp_path / "plant.ipynb", "planted = 42", "print(planted)")
    look = notebook(tmp_path / "look.ipynb", "print(planted)")
    engine.execute(plant, tmp_path / "out1.ipynb", {"x": 1})
    out = nbformat.read(tmp_path / "out1.ipynb", as_version=4)
    assert out.cells[-1].outputs[0]["text"] == "42\n"
    with pytest.raises(PapermillExecutionError) as error:
        engine.execute(look, tmp_path / "out2.ipynb", {"x": 2})
    assert error.value.ename == "NameError" and "planted" in error.value.evalue


def test_outputs_are_recorded_as_a_kernel_sends_them(tmp_path):
    engine = InProcess()
    nb = notebook(
        tmp_path / "outputs.ipynb",
        "from IPython.display import HTML, display\nprint('a')\nprint('b')\n"
        "display(HTML('<p>x</p>'))\n3 * 7",
        "import sys\nprint('careful', file=sys.stderr)",
    )
    engine.execute(nb, tmp_path / "out.ipynb", {"x": 1})
    cells = nbformat.read(tmp_path / "out.ipynb", as_version=4).cells
    first = cells[-2].outputs
    assert [o["output_type"] for o in first] == ["stream", "display_data", "execute_result"]
    assert first[0]["text"] == "a\nb\n" and first[1]["data"]["text/html"] == "<p>x</p>"
    assert first[2]["data"]["text/plain"] == "21"
    assert cells[-1].outputs[0]["name"] == "stderr" and "careful" in cells[-1].outputs[0]["text"]


def _crash(code):
    os._exit(code)


def _square(x):
    return x * x


def test_a_crash_fails_only_its_own_job():
    pool = IsolatingPool(2)
    try:
        futures = [pool.submit(_square, i) for i in range(3)]
        crash = pool.submit(_crash, 3)
        futures += [pool.submit(_square, i) for i in range(3, 8)]
        with pytest.raises(WorkerDied, match="exit code 3"):
            crash.result(timeout=120)
        assert [f.result(timeout=120) for f in futures] == [i * i for i in range(8)]
    finally:
        pool.shutdown()


def test_errors_in_a_job_reach_its_caller_and_the_worker_lives_on():
    pool = IsolatingPool(1)
    try:
        bad = pool.submit(int, "not a number")
        with pytest.raises(ValueError):
            bad.result(timeout=60)
        assert pool.submit(_square, 9).result(timeout=60) == 81
    finally:
        pool.shutdown()


class _OddError(Exception):
    """Pickles, but cannot be read back (its __init__ wants more than it passes on)."""

    def __init__(self, file, message):
        super().__init__(f"{file}: {message}")


def _raise_odd():
    raise _OddError("a.csv", "bad")


class _OddResult:
    def __init__(self, needed):
        self.needed = needed

    def __reduce__(self):
        return (_OddResult, ())  # read back without its argument: a TypeError in the batch


def _return_odd():
    return _OddResult(1)


def test_what_cannot_be_read_back_fails_its_job_and_the_pool_lives_on():
    """Before, an exception or result the batch could not unpickle stopped the pool's
    dispatcher, and the batch waited for ever."""
    pool = IsolatingPool(1)
    try:
        with pytest.raises(RuntimeError, match="a.csv: bad"):
            pool.submit(_raise_odd).result(timeout=60)
        with pytest.raises(RuntimeError, match="could not be read back"):
            pool.submit(_return_odd).result(timeout=60)
        assert pool.submit(_square, 4).result(timeout=60) == 16
    finally:
        pool.shutdown()


def _run(tmp, kernels):
    out = tmp / kernels
    proc = subprocess.run(
        [sys.executable, "-m", "peelstats", "run", "--force", "durham", "--period", PERIOD,
         "--out", str(out), "--kernels", kernels, "--no-paper"],
        capture_output=True, text=True, cwd=PROJECT_ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return out / PERIOD / "durham"


def _sanitised_outputs(path: Path) -> str:
    import configparser

    nb = nbformat.read(path, as_version=4)
    text = json.dumps(
        [c.get("outputs", []) for c in nb.cells if c.cell_type == "code"], sort_keys=True
    )
    parser = configparser.ConfigParser()
    parser.read(PROJECT_ROOT / "notebooks" / "nbval_sanitize.cfg")
    for section in parser.sections():
        text = re.sub(parser[section]["regex"], parser[section]["replace"], text)
    return text


@pytest.mark.slow
def test_in_process_reports_match_a_fresh_kernel_per_notebook(tmp_path):
    fresh, warm = _run(tmp_path, "fresh"), _run(tmp_path, "inprocess")
    for folder in ("tables", "results"):
        names = sorted(p.name for p in (fresh / folder).iterdir())
        assert names == sorted(p.name for p in (warm / folder).iterdir())
        for name in names:
            a = (fresh / folder / name).read_bytes()
            b = (warm / folder / name).read_bytes()
            assert a == b, name
    for nb in sorted(fresh.glob("*.ipynb")):
        assert _sanitised_outputs(nb) == _sanitised_outputs(warm / nb.name), nb.name


@pytest.mark.slow
def test_a_dask_cluster_on_loopback_runs_a_batch(tmp_path):
    from distributed import LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster:  # fmt: skip
        out = tmp_path / "outputs"
        proc = subprocess.run(
            [sys.executable, "-m", "peelstats", "batch", "--forces", "durham,cumbria",
             "--periods", PERIOD, "--no-progress", "--out", str(out), "--scheduler",
             cluster.scheduler_address],
            capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=900,
        )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    for force in ("durham", "cumbria"):
        status = json.loads((out / PERIOD / force / "status.json").read_text())
        assert status["status"] == "succeeded"
        assert (out / PERIOD / force / "report.html").is_file()


def test_an_unreachable_scheduler_is_one_line(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "peelstats", "batch", "--forces", "durham", "--periods", PERIOD,
         "--out", str(tmp_path / "o"), "--scheduler", "tcp://127.0.0.1:9"],
        capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "--scheduler tcp://127.0.0.1:9: cannot connect" in proc.stderr


def test_work_folders_name_the_host_and_clean_up_spares_other_hosts(tmp_path):
    period = tmp_path / PERIOD
    period.mkdir()
    assert work_name("durham").startswith(f".durham.partial-{host()}-")
    theirs = period / ".durham.partial-some-other-host-1"
    mine_dead = period / f".cumbria.partial-{host()}-999999999"
    for folder in (theirs, mine_dead):
        folder.mkdir()
    removed = remove_stale_work(period)
    assert theirs.is_dir() and not mine_dead.exists() and removed == [mine_dead]
