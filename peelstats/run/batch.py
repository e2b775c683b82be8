"""Batch orchestration: every force x period, in parallel processes, with a summary.

- One run at a time writes a period's folder (:func:`~peelstats.run.workspace.run_lock`).
- The output folder must be writable before any job starts (one line, exit 1 otherwise).
- Shared work (the all-forces comparison) is done once per period, and the period's
  index.html written at the end, both by a warm worker when the batch has its own pool: the
  batch process itself never imports the statistics libraries (about 2 s of CPU a run).
- Jobs run in worker processes; one job's failure never stops the others. Workers die with the
  batch: each asks the kernel to signal it when its parent (the fork server, which exits with
  the batch) dies (Linux ``PR_SET_PDEATHSIG``, :mod:`peelstats.processes`), and checks the
  batch before publishing a report, so a batch killed outright (the OOM killer) leaves no
  worker running or swapping reports in afterwards; what a worker starts (Chromium for the
  PDF) dies with the worker.
- Ctrl-C or SIGTERM cancels pending jobs, stops the running ones and raises
  :class:`BatchInterrupted`; the next run removes stale work and resumes from complete reports
  (same fingerprint).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import threading
from concurrent.futures import as_completed
from contextlib import contextmanager
from pathlib import Path

from peelstats.config import paths
from peelstats.errors import EnvironmentFault, ParameterError
from peelstats.files import describe_os_error
from peelstats.processes import die_with_parent
from peelstats.run.jobs import Job, JobResult, Settings, failed, fingerprint, first_line
from peelstats.run.pool import IsolatingPool, WorkerDied
from peelstats.run.workspace import (
    alive,
    check_writable,
    remove_stale_work,
    run_lock,
)

SHARED_FOLDER = "_shared"
#: Most worker processes a batch starts (more only queue for the same cores).
MAX_WORKERS = 256
WORKER_DIED = (
    "{}: the process running this job was killed (by a crash in a notebook, or from "
    "outside, e.g. out of memory), so it did not complete; run the same command again"
)


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


_PARENT: int | None = None
_ENGINE = "inprocess"


def _worker_init(batch: int | None, engine: str = "inprocess") -> None:
    """Pool workers die on SIGTERM at once, die with the batch (the out-of-memory killer may
    kill the batch alone: its fork server then exits, and the kernel kills the workers, whose
    parent it is), and leave Ctrl-C to the batch, which stops them. They start warm
    (peelstats.run.warmup)."""
    global _PARENT, _ENGINE
    _PARENT, _ENGINE = batch, engine
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent()
    if batch is not None and not alive(batch):  # the batch died before the request
        os._exit(1)
    if engine == "inprocess":
        from peelstats.run.execute import warm_up

        warm_up()


def _warm_up() -> int:
    """A no-op task: submitting one per worker starts every worker at once."""
    return os.getpid()


def _job_entry(job: Job, engine: str = "inprocess") -> JobResult:
    """Run one job in this process with the chosen engine; never raises."""
    from peelstats.run.execute import FreshKernels, InProcess, run_job

    try:
        chosen = InProcess() if engine == "inprocess" else FreshKernels()
        return run_job(job, chosen, parent_pid=_PARENT)
    except OSError as exc:
        return failed(job, describe_os_error(exc))
    except Exception as exc:  # noqa: BLE001 - a crash outside a notebook is one job's failure
        return failed(job, first_line(exc))


def check_workers(workers: int | None, jobs: int) -> int:
    """Workers to start: at most one per job, at most MAX_WORKERS."""
    if workers is None:
        workers = os.cpu_count() or 1
    if workers < 1:
        raise ParameterError(f"--workers must be 1 or more, not {workers}")
    if workers > MAX_WORKERS:
        raise ParameterError(f"--workers must be at most {MAX_WORKERS}, not {workers}")
    return max(1, min(workers, jobs))


def run_batch(
    forces: list[str],
    periods: list[str],
    *,
    workers: int | None = 2,
    source: str = "default",
    definition: str = "self",
    confidence: float = 0.95,
    out_root: Path | None = None,
    progress: bool = True,
    resume: bool = True,
    what: str = "batch",
    engine: str = "inprocess",
    executor=None,
    paper: bool = False,
) -> list[JobResult]:
    """Every force x period in parallel processes, shared work done once per period.

    With ``resume`` (the default), a force x period whose report is complete and was made from
    the same inputs, code and parameters (same fingerprint) is not run again. ``engine`` is
    'inprocess' (notebooks run in the worker's own IPython shell, workers warmed up once) or
    'fresh' (a kernel per notebook, as papermill runs it by default). ``executor``: any
    ``concurrent.futures`` executor to run the jobs on instead of this machine's processes
    (e.g. a Dask cluster's ``Client.get_executor()``); its workers need the same project and
    data at the same paths and a shared filesystem for the outputs.
    """
    out_root = Path(out_root or paths().outputs)
    settings = Settings(source=str(source), definition=definition, confidence=confidence,
                        paper=paper)  # fmt: skip
    jobs_wanted = [Job(f, p, settings, out_root) for p in periods for f in forces]  # checks ids
    workers = check_workers(workers, max(1, len(jobs_wanted)))
    root_created = not out_root.exists()
    check_writable(out_root)
    results: list[JobResult] = []
    period_dirs = [out_root / p for p in periods]
    created = {d for d in period_dirs if not d.exists()}
    try:
        with run_lock(period_dirs, what), _sigterm_as_interrupt():
            _run_jobs(periods, jobs_wanted, results, out_root, settings, workers, progress,
                      resume, engine, executor)  # fmt: skip
    except KeyboardInterrupt as exc:
        name = "SIGTERM" if isinstance(exc, _Terminated) else "SIGINT"
        complete = [r for r in results if r.status in ("succeeded", "skipped")]
        raise BatchInterrupted(name, complete, len(jobs_wanted) - len(complete)) from None
    except OSError as exc:
        raise EnvironmentFault(f"cannot write the outputs: {describe_os_error(exc)}") from None
    except BaseException:
        for folder in created:  # a batch stopped by bad input leaves no empty period folder
            if folder.is_dir() and not any(
                p for p in folder.iterdir() if not p.name.startswith(".peelstats.lock")
            ):
                shutil.rmtree(folder, ignore_errors=True)
        if root_created:  # nor the output folder it made for them, if nothing else is there
            with contextlib.suppress(OSError):
                out_root.rmdir()
        raise
    results.sort(key=lambda r: (r.period, r.force))
    return results


def _shared_entry(period: str, out_root: Path, source: str, definition: str) -> Path:
    """Write the period's all-forces comparison (in a worker, or here)."""
    from peelstats.run.shared import write_shared

    return write_shared(period, out_root / period / SHARED_FOLDER, source, definition)


def _index_entry(period: str, out_root: Path, results: list[JobResult]) -> None:
    """Write the period's index.html (in a worker, or here)."""
    from peelstats.run.index import write_index

    write_index(period, out_root, results)


def _shared_for(periods, out_root: Path, settings: Settings, pool=None) -> dict:
    """Each period's all-forces comparison folder, computed once (by the workers of ``pool``
    when given, the periods side by side). A data error stops the batch (exit 2); any other
    failure, a worker's death included, leaves that period's jobs to compute the comparison
    themselves (None)."""
    from peelstats.errors import PeelstatsError

    def args(period):
        return (period, out_root, settings.source, settings.definition)

    if pool is not None:
        pending = {p: pool.submit(_shared_entry, *args(p)) for p in periods}
    shared = {}
    for period in periods:
        try:
            if pool is None:
                shared[period] = _shared_entry(*args(period))
            else:
                shared[period] = pending[period].result()
        except PeelstatsError:
            raise
        except OSError:
            raise
        except Exception:  # noqa: BLE001 - recorded by each job instead
            shared[period] = None
    return shared


def _write_indexes(periods, out_root: Path, results: list[JobResult], pool=None) -> None:
    """Each period's index.html, by a worker of ``pool`` when given (here if it died)."""
    for period in periods:
        if pool is not None:
            try:
                pool.submit(_index_entry, period, out_root, list(results)).result()
                continue
            except WorkerDied:
                pass
        _index_entry(period, out_root, results)


def _run_jobs(
    periods, jobs, results, out_root, settings, workers, progress, resume, engine, executor
) -> None:
    """Run the jobs, appending each result to ``results`` as it completes."""
    from dataclasses import replace

    from tqdm import tqdm

    stamp = fingerprint(settings)
    for period in periods:
        remove_stale_work(out_root / period, SHARED_FOLDER)
    if resume:
        pending = []
        for job in jobs:
            done = JobResult.from_status(job.final / "status.json")
            if done and done.fingerprint == stamp and done.status in ("succeeded", "skipped"):
                results.append(done)
            else:
                pending.append(job)
        jobs = pending
    if not jobs:
        _write_indexes(periods, out_root, results)
        return
    own_pool = executor is None
    if own_pool:
        executor = IsolatingPool(
            min(workers, len(jobs)), initializer=_worker_init, initargs=(os.getpid(), engine),
            preload=["peelstats.run.warmup"] if engine == "inprocess" else (),
        )  # fmt: skip
        for _ in range(min(workers, len(jobs))):  # workers start and warm up meanwhile
            executor.submit(_warm_up)
    bar = tqdm(total=len(jobs), desc="force x quarter", unit="job", disable=not progress)
    try:
        helper = executor if own_pool else None  # a remote executor's workers: not for this
        shared = _shared_for(periods, out_root, settings, helper)
        jobs = [replace(j, shared_dir=shared[j.period], fingerprint=stamp) for j in jobs]
        futures = {executor.submit(_job_entry, job, engine): job for job in jobs}
        for future in as_completed(futures):
            try:
                res = future.result()
            except WorkerDied as exc:  # only this job: the pool starts another worker
                res = failed(futures[future], WORKER_DIED.format(exc))
            except Exception as exc:  # noqa: BLE001 - a remote executor's own failure
                res = failed(futures[future], first_line(exc))
            results.append(res)
            bar.set_postfix_str(f"{res.force} {res.period}: {res.status}")
            bar.update()
        bar.close()
        _write_indexes(periods, out_root, results, helper)
    except BaseException:
        bar.close()
        if own_pool:
            _stop_pool(executor)
        raise
    if own_pool:
        executor.shutdown(wait=True)


def _stop_pool(pool: IsolatingPool) -> None:
    """Cancel pending jobs, stop the running ones and wait for the workers to exit; a second
    Ctrl-C or SIGTERM meanwhile does not cut this short."""
    shield = threading.current_thread() is threading.main_thread()
    if shield:
        previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        pool.terminate()
    finally:
        if shield:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
