"""Run the notebooks for one force and period with papermill, and many in parallel.

One job = one force x one period: each applicable notebook is executed with papermill (in its
own kernel, with ``cwd`` = notebooks/ as nbval does), its tidy table and charts go to the job's
folder, and the executed notebooks are merged into report.html. Everything is written into a
temporary folder beside the target and renamed into place at the end, so an interrupted run
never leaves a half-written report. Jobs run in separate processes (papermill is process-safe,
not thread-safe); one job's failure never stops the others.

A batch stopped by Ctrl-C or SIGTERM cancels its pending jobs, stops the running ones (their
hidden work folders are left behind and never read) and raises :class:`BatchInterrupted`; the
next run removes work folders whose process is gone and resumes from the complete reports.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import threading
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from peelstats import __version__
from peelstats.analysis.schema import ESTIMATE_COLUMNS, write_estimates
from peelstats.config import paths
from peelstats.report.notebooks import NOTEBOOKS, NotebookSpec, RunContext

SHARED_FOLDER = "_shared"
#: Kernels stay quiet on stderr (ipykernel otherwise warns about local TCP on every start and
#: logs its own shutdown); errors in cells are kept in the executed notebook.
KERNEL_QUIET = ["--IPKernelApp.log_level=CRITICAL"]
BROKEN_POOL = (
    "a worker process was killed from outside (e.g. out of memory), so this job did not "
    "complete; run the same command again"
)
#: Hidden names of unfinished work, ending in the id of the process that wrote them: a job's
#: work folder, the previous report during the swap, and temporary index and shared files.
_WORK_NAME = re.compile(r"^\.(?P<name>.+)\.(?P<kind>partial|old)-(?P<pid>\d+)$")
_TMP_FILE = re.compile(r"^\.(?:index\.html|all_forces\.csv)\.(?P<pid>\d+)$")


@dataclass
class NotebookOutcome:
    name: str
    status: str  # succeeded | skipped | failed
    reason: str = ""


@dataclass
class JobResult:
    force: str
    period: str
    status: str  # succeeded | skipped | failed
    notebooks: list[NotebookOutcome] = field(default_factory=list)
    fingerprint: str = ""
    reused: bool = False

    @classmethod
    def from_status(cls, path: Path) -> JobResult | None:
        """The result recorded in a job's status.json, or None if unreadable."""
        try:
            data = json.loads(path.read_text())
            data["notebooks"] = [NotebookOutcome(**nb) for nb in data.get("notebooks", [])]
            known = {"force", "period", "status", "notebooks", "fingerprint"}
            return cls(**{k: v for k, v in data.items() if k in known}, reused=True)
        except (OSError, ValueError, TypeError, KeyError):
            return None

    @property
    def first_error(self) -> str:
        for nb in self.notebooks:
            if nb.status == "failed":
                return f"{nb.name}: {nb.reason}"
        return ""


class BatchInterrupted(KeyboardInterrupt):
    """A batch stopped by Ctrl-C or SIGTERM: what was complete, what was not run."""

    def __init__(self, signal_name: str, complete: list[JobResult], not_run: int):
        self.signal_name, self.complete, self.not_run = signal_name, complete, not_run
        self.exit_code = 128 + getattr(signal, signal_name, signal.SIGINT)
        super().__init__(
            f"interrupted by {signal_name}: {len(complete)} job(s) complete, {not_run} not "
            "complete (their reports were not changed); run the same command again to "
            "complete the rest"
        )


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread so it takes the same path as Ctrl-C."""


def _raise_terminated(signum, frame):  # noqa: ARG001 - signal handler signature
    raise _Terminated()


@contextmanager
def _sigterm_as_interrupt():
    """Within the block, SIGTERM raises in the main thread like Ctrl-C (no effect elsewhere)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _worker_init() -> None:
    """Pool workers die on SIGTERM at once (their kernels follow: ipykernel polls its parent)
    and leave Ctrl-C to the batch, which stops them; a worker never prints a traceback."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _alive(pid: int) -> bool:
    """Whether a process runs with this id. A zombie (killed, not yet reaped: orphans of a
    killed batch may stay so when nothing reaps them) does not count."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True  # no /proc (not Linux): trust kill(0)
    return state not in ("Z", "X")


def remove_stale_work(period_dir: Path) -> list[Path]:
    """Remove unfinished work left in ``period_dir`` by processes that no longer run.

    A job's ``.<force>.partial-<pid>`` folder is deleted; a previous report caught mid-swap
    (``.<force>.old-<pid>`` with no ``<force>``) is put back, else deleted; temporary index and
    shared files are deleted. Work of a live process (another batch) is left alone.
    """
    removed: list[Path] = []
    if not period_dir.is_dir():
        return removed
    candidates = list(period_dir.iterdir())
    if (period_dir / SHARED_FOLDER).is_dir():
        candidates += list((period_dir / SHARED_FOLDER).iterdir())
    for entry in sorted(candidates):
        match = _WORK_NAME.match(entry.name) or _TMP_FILE.match(entry.name)
        if not match or (int(match["pid"]) != os.getpid() and _alive(int(match["pid"]))):
            continue
        groups = match.groupdict()
        if groups.get("kind") == "old" and entry.is_dir():
            final = entry.with_name(groups["name"])
            if not final.exists():
                entry.rename(final)
                continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
        removed.append(entry)
    return removed


def _first_line(exc: BaseException) -> str:
    text = getattr(exc, "evalue", None) or str(exc) or type(exc).__name__
    ename = getattr(exc, "ename", None)
    line = str(text).strip().splitlines()[0] if str(text).strip() else ""
    return f"{ename}: {line}" if ename else line


def _execute(
    spec: NotebookSpec, output: Path, parameters: dict, shutdown_kernel: str = "immediate"
) -> None:
    """Execute one notebook with papermill, in notebooks/ (where nbval runs it)."""
    import papermill

    papermill.execute_notebook(
        str(spec.path),
        str(output),
        parameters=parameters,
        cwd=str(spec.path.parent),
        kernel_name="python3",
        extra_arguments=KERNEL_QUIET,
        progress_bar=False,
        log_output=False,
        report_mode=False,
        # written once at the end (and on failure, with the error); not after every cell
        request_save_on_cell_execute=False,
        # the notebook is finished: no need to wait for a graceful kernel shutdown
        shutdown_kernel=shutdown_kernel,
    )


def run_job(
    force: str,
    period: str,
    *,
    source: str = "default",
    definition: str = "self",
    confidence: float = 0.95,
    out_root: Path | None = None,
    shared_dir: Path | None = None,
    fingerprint: str = "",
) -> JobResult:
    """Execute every applicable notebook for one force and period into outputs/<period>/<force>."""
    import nbformat

    from peelstats.report.html import export_html, merge_notebooks

    out_root = Path(out_root or paths().outputs)
    final = out_root / period / force
    work = out_root / period / f".{force}.partial-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    (work / "tables").mkdir(parents=True)
    context = RunContext(force=force, period=period, source=source)
    result = JobResult(force=force, period=period, status="skipped", fingerprint=fingerprint)
    executed = []
    for spec in NOTEBOOKS:
        reason = spec.skip_reason(context)
        if reason:
            result.notebooks.append(NotebookOutcome(spec.name, "skipped", reason))
            continue
        output = work / f"{spec.name}.ipynb"
        parameters = {
            "force": force,
            "period": period,
            "confidence": confidence,
            "ethnicity_definition": definition,
            "chart_renderer": "svg",
            "data_source": str(source),
            "output_dir": str(work),
        }
        if spec.name == "stop_search" and shared_dir is not None:
            parameters["all_forces_path"] = str(shared_dir / "all_forces.csv")
        try:
            _execute(spec, output, parameters)
            result.notebooks.append(NotebookOutcome(spec.name, "succeeded"))
            executed.append(nbformat.read(output, as_version=4))
        except Exception as exc:  # noqa: BLE001 - any failure is recorded, never fatal
            result.notebooks.append(NotebookOutcome(spec.name, "failed", _first_line(exc)))
            if output.exists():
                output.rename(work / f"{spec.name}.failed.ipynb")
            else:
                (work / f"{spec.name}.error.txt").write_text(traceback.format_exc())

    statuses = {nb.status for nb in result.notebooks}
    result.status = (
        "failed"
        if "failed" in statuses
        else ("succeeded" if "succeeded" in statuses else "skipped")
    )
    tables = [pd.read_csv(t) for t in sorted((work / "tables").glob("*.csv"))]
    if tables:
        estimates = pd.concat(tables, ignore_index=True)[ESTIMATE_COLUMNS]
        write_estimates(estimates, work / "tables" / "estimates.csv")
    if executed:
        from peelstats.report.assemble import back_html, front_html, load_results
        from peelstats.report.html import text_of

        results = load_results(work)
        skipped = [(nb.name, nb.reason) for nb in result.notebooks if nb.status == "skipped"]
        front = front_html(context.force_name, period, results, skipped, str(source))
        body = merge_notebooks(front, executed)
        merged = merge_notebooks(front, executed, back_html(text_of(body), confidence))
        title = f"{context.force_name}: stop and search and inspection findings, {period}"
        (work / "report.html").write_text(export_html(merged, title), encoding="utf-8")
    (work / "status.json").write_text(json.dumps(asdict(result), indent=2, sort_keys=True) + "\n")
    _swap_into_place(work, final)
    return result


def _swap_into_place(work: Path, final: Path) -> None:
    """Replace ``final`` with ``work`` by renames, so readers never see a half-written folder."""
    old = final.with_name(f".{final.name}.old-{os.getpid()}")
    if final.exists():
        final.rename(old)
    work.rename(final)
    shutil.rmtree(old, ignore_errors=True)


def fingerprint(source: str, definition: str, confidence: float) -> str:
    """sha256 of everything a report depends on: the data tables, the audit CSVs, the
    notebooks, the package's code and templates, and the run's parameters."""
    from peelstats.data.load import source_folder

    root = paths()
    files = sorted(source_folder(source).glob("*.*"))
    files += sorted((root.raw / "audits").glob("*.csv"))
    files += sorted(root.notebooks.glob("*.ipynb"))
    package = Path(__file__).resolve().parents[1]
    files += sorted(p for p in package.rglob("*") if p.suffix in {".py", ".j2", ".json", ".csv"})
    digest = hashlib.sha256(f"{__version__}|{source}|{definition}|{confidence}".encode())
    for path in files:
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _job_entry(kwargs: dict) -> JobResult:
    try:
        return run_job(**kwargs)
    except Exception as exc:  # noqa: BLE001 - a crash outside a notebook is still one job's failure
        return JobResult(
            force=kwargs["force"],
            period=kwargs["period"],
            status="failed",
            notebooks=[NotebookOutcome("job", "failed", _first_line(exc))],
        )


def run_batch(
    forces: list[str],
    periods: list[str],
    *,
    workers: int = 2,
    source: str = "default",
    definition: str = "self",
    confidence: float = 0.95,
    out_root: Path | None = None,
    progress: bool = True,
    resume: bool = True,
) -> list[JobResult]:
    """Every force x period in parallel processes, shared work done once per period.

    With ``resume`` (the default), a force x period whose report is complete and was made from
    the same inputs, code and parameters (same fingerprint) is not run again, so re-running an
    interrupted batch completes only what is missing. Ctrl-C or SIGTERM stops the batch (pending
    jobs cancelled, running ones stopped) and raises :class:`BatchInterrupted`.
    """
    out_root = Path(out_root or paths().outputs)
    results: list[JobResult] = []
    total = len(forces) * len(periods)
    try:
        with _sigterm_as_interrupt():
            settings = dict(source=source, definition=definition, confidence=confidence)
            _run_jobs(forces, periods, results, out_root, settings, workers, progress, resume)
    except KeyboardInterrupt as exc:
        name = "SIGTERM" if isinstance(exc, _Terminated) else "SIGINT"
        complete = [r for r in results if r.status in ("succeeded", "skipped")]
        raise BatchInterrupted(name, complete, total - len(complete)) from None
    results.sort(key=lambda r: (r.period, r.force))
    from peelstats.report.index import write_index

    for period in periods:
        write_index(period, out_root)
    return results


def _shared_for(period: str, out_root: Path, source: str, definition: str) -> Path | None:
    """The period's all-forces comparison, computed once. A data error stops the batch (exit
    2) without leaving an empty period folder; any other failure leaves each job to compute the
    comparison itself, so it is recorded as that job's failure."""
    from peelstats.errors import PeelstatsError
    from peelstats.report.shared import write_shared

    period_dir = out_root / period
    created = not period_dir.exists()
    try:
        return write_shared(period, period_dir / SHARED_FOLDER, source, definition)
    except PeelstatsError:
        if created:
            shutil.rmtree(period_dir, ignore_errors=True)
        raise
    except Exception:  # noqa: BLE001 - recorded by each job instead
        return None


def _run_jobs(forces, periods, results, out_root, settings, workers, progress, resume) -> None:
    """Run the jobs, appending each result to ``results`` as it completes."""
    from tqdm import tqdm

    stamp = fingerprint(**settings)
    for period in periods:
        remove_stale_work(out_root / period)
    source, definition = settings["source"], settings["definition"]
    shared = {p: _shared_for(p, out_root, source, definition) for p in periods}
    jobs = [
        dict(
            force=f,
            period=p,
            **settings,
            out_root=out_root,
            shared_dir=shared[p],
            fingerprint=stamp,
        )
        for p in periods
        for f in forces
    ]
    if resume:
        pending = []
        for job in jobs:
            done = JobResult.from_status(out_root / job["period"] / job["force"] / "status.json")
            if done and done.fingerprint == stamp and done.status in ("succeeded", "skipped"):
                results.append(done)
            else:
                pending.append(job)
        jobs = pending
    pool = ProcessPoolExecutor(max_workers=max(1, workers), initializer=_worker_init)
    bar = tqdm(total=len(jobs), desc="force x quarter", unit="job", disable=not progress)
    try:
        futures = {pool.submit(_job_entry, job): job for job in jobs}
        for future in as_completed(futures):
            try:
                res = future.result()
            except BrokenProcessPool:
                # a worker was killed from outside (e.g. out of memory): every job not yet
                # complete is recorded as failed, and the batch ends with the others kept
                job = futures[future]
                res = JobResult(
                    force=job["force"],
                    period=job["period"],
                    status="failed",
                    notebooks=[NotebookOutcome("job", "failed", BROKEN_POOL)],
                )
            results.append(res)
            bar.set_postfix_str(f"{res.force} {res.period}: {res.status}")
            bar.update()
    except BaseException:
        bar.close()
        _stop_pool(pool)
        raise
    bar.close()
    pool.shutdown(wait=True)


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel pending jobs, stop the running ones and wait for the workers to exit; a second
    Ctrl-C or SIGTERM meanwhile does not cut this short."""
    shield = threading.current_thread() is threading.main_thread()
    if shield:
        previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        # the pool's own list of its worker processes: there is no public accessor
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=30)
        pool.shutdown(wait=True)
    finally:
        if shield:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
