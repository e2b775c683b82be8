"""Executing a job: its notebooks, then report.html, in a work folder swapped into place.

One job = one force x one period. Each applicable notebook is executed (in notebooks/, where
nbval runs it) by an *engine*: :class:`FreshKernels` starts a kernel per notebook through
papermill, as a reviewer's re-run does. The job's tables, results and charts go to its hidden
work folder, the executed notebooks are merged into report.html, and the folder is swapped
into place only when complete (:mod:`peelstats.report.workspace`).
"""

from __future__ import annotations

import os
import shutil
import traceback
from pathlib import Path

import pandas as pd

from peelstats.analysis.schema import ESTIMATE_COLUMNS, write_estimates
from peelstats.report.jobs import Job, JobResult, NotebookOutcome, first_line, parameters
from peelstats.report.notebooks import NOTEBOOKS, NotebookSpec, RunContext
from peelstats.report.workspace import swap_into_place, work_name

#: Kernels stay quiet on stderr (ipykernel otherwise warns about local TCP on every start and
#: logs its own shutdown); errors in cells are kept in the executed notebook.
KERNEL_QUIET = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.enabled=False"]


class FreshKernels:
    """Execute each notebook with papermill in a kernel of its own."""

    name = "fresh kernels"

    def execute(self, spec: NotebookSpec, output: Path, params: dict) -> None:
        import papermill

        papermill.execute_notebook(
            str(spec.path),
            str(output),
            parameters=params,
            cwd=str(spec.path.parent),
            kernel_name="python3",
            extra_arguments=KERNEL_QUIET,
            progress_bar=False,
            log_output=False,
            report_mode=False,
            request_save_on_cell_execute=False,  # written once at the end (and on failure)
            shutdown_kernel="immediate",  # the notebook is finished: no graceful wait
        )

    def close(self) -> None:
        pass


#: Imported once when a warm kernel starts, so no notebook pays for them.
PRELUDE = """
import numpy, pandas, scipy.stats, statsmodels.api, altair, vl_convert, IPython.display
import peelstats.analysis.inspection, peelstats.analysis.outcomes, peelstats.analysis.params
import peelstats.analysis.stop_search, peelstats.report.present
"""
#: Run before every notebook: an empty namespace and history, as a new session has (modules
#: stay imported). Like IPython's %reset, without its full garbage collection each time.
RESET = """
def _peelstats_new_session(ip=get_ipython()):
    for name in [n for n in ip.user_ns if n not in ip.user_ns_hidden and not n.startswith("__")]:
        del ip.user_ns[name]
    ip.history_manager.output_hist.clear()
    ip.history_manager.input_hist_parsed[:] = [""]
    ip.history_manager.input_hist_raw[:] = [""]
    ip.user_ns.update(_="", __="", ___="")
    ip.execution_count = 1
_peelstats_new_session()
"""


class WarmKernels:
    """Execute notebooks one after another in one kernel kept warm between them.

    The kernel is started once (in notebooks/, as papermill and nbval run it) and imports the
    libraries once (``PRELUDE``); before each notebook its namespace is reset to a new session,
    so no notebook sees another's variables. Parameters are injected as papermill does
    (``papermill.parameterize.parameterize_notebook``), so an executed notebook is the one
    papermill would write. After a failure, a dead or timed-out kernel, or ``restart_every``
    notebooks, the kernel is restarted, so a crash fails only its own notebook.
    """

    name = "warm kernel"

    def __init__(self, restart_every: int = 200, cell_timeout: int = 900):
        self.restart_every = restart_every
        self.cell_timeout = cell_timeout
        self.km = None
        self.kc = None
        self.used = 0

    def _start(self) -> None:
        from jupyter_client.manager import AsyncKernelManager

        from peelstats.config import paths

        self.km = AsyncKernelManager(kernel_name="python3")
        _run(self.km.start_kernel, cwd=str(paths().notebooks), extra_arguments=KERNEL_QUIET)
        self.kc = self.km.client()
        self.kc.start_channels()
        _run(self.kc.wait_for_ready, timeout=120)
        self.used = 0
        self._cells([PRELUDE])

    def close(self) -> None:
        """Shut the kernel down (immediately: nothing is left to save)."""
        if self.kc is not None:
            self.kc.stop_channels()
        if self.km is not None:
            try:
                _run(self.km.shutdown_kernel, now=True)
            except Exception:  # noqa: BLE001 - a dead kernel needs no shutdown
                pass
        self.km = self.kc = None

    def _client(self, nb):
        from nbclient import NotebookClient

        client = NotebookClient(
            nb, km=self.km, timeout=self.cell_timeout, kernel_name="python3",
            allow_errors=False, record_timing=False,
        )  # fmt: skip
        client.kc = self.kc
        return client

    def _cells(self, sources: list[str]) -> None:
        import nbformat

        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
        self._client(nb).execute()

    def execute(self, spec: NotebookSpec, output: Path, params: dict) -> None:
        import nbformat
        from papermill.iorw import load_notebook_node
        from papermill.parameterize import parameterize_notebook

        if self.km is None or self.used >= self.restart_every:
            self.close()
            self._start()
        nb = parameterize_notebook(load_notebook_node(str(spec.path)), params)
        try:
            self._cells([RESET])
            self.used += 1
            self._client(nb).execute()
        except BaseException:
            nbformat.write(nb, output)  # the cells run so far, and the error
            self.close()  # a failed notebook never leaves its state to the next one
            raise
        nbformat.write(nb, output)


def _run(function, *args, **kwargs):
    """Call one of jupyter_client's coroutine functions from synchronous code."""
    from jupyter_core.utils import run_sync

    return run_sync(function)(*args, **kwargs)


def run_job(job: Job, engine=None, parent_pid: int | None = None) -> JobResult:
    """Execute every applicable notebook of ``job`` and swap its report into place.

    ``parent_pid``: when given (pool workers), the report is not swapped in if that process
    has gone (a batch killed from outside leaves its work hidden, never half-published).
    """

    engine = engine or FreshKernels()
    final = job.final
    work = final.with_name(work_name(job.force))
    shutil.rmtree(work, ignore_errors=True)
    try:
        return _run_in(work, final, job, engine, parent_pid)
    except OSError:
        shutil.rmtree(work, ignore_errors=True)  # a full disk leaves nothing half-written
        raise


def _run_in(work: Path, final: Path, job: Job, engine, parent_pid) -> JobResult:
    import nbformat

    (work / "tables").mkdir(parents=True)
    context = RunContext(force=job.force, period=job.period, source=job.settings.source)
    result = JobResult(force=job.force, period=job.period, status="skipped",
                       fingerprint=job.fingerprint)  # fmt: skip
    executed = []
    for spec in NOTEBOOKS:
        reason = spec.skip_reason(context)
        if reason:
            result.notebooks.append(NotebookOutcome(spec.name, "skipped", reason))
            continue
        output = work / f"{spec.name}.ipynb"
        try:
            engine.execute(spec, output, parameters(job, spec.name, work))
            result.notebooks.append(NotebookOutcome(spec.name, "succeeded"))
            executed.append(nbformat.read(output, as_version=4))
        except OSError:
            raise  # the disk or the folder, not the notebook: the job fails as a whole
        except Exception as exc:  # noqa: BLE001 - any failure is recorded, never fatal
            result.notebooks.append(NotebookOutcome(spec.name, "failed", first_line(exc)))
            if output.exists():
                output.rename(work / f"{spec.name}.failed.ipynb")
            else:
                (work / f"{spec.name}.error.txt").write_text(traceback.format_exc())
    result.settle()
    write_report(work, job, context, result, executed)
    (work / "status.json").write_text(result.to_json())
    if parent_pid is not None and os.getppid() != parent_pid:
        shutil.rmtree(work, ignore_errors=True)  # the batch is gone: publish nothing
        raise SystemExit(1)
    swap_into_place(work, final)
    return result


def write_report(work: Path, job: Job, context: RunContext, result: JobResult, executed) -> None:
    """estimates.csv from the sections' tables, and report.html from the executed notebooks:
    summary first (from the saved results), glossary last."""
    tables = [pd.read_csv(t) for t in sorted((work / "tables").glob("*.csv"))]
    if tables:
        estimates = pd.concat(tables, ignore_index=True).reindex(columns=ESTIMATE_COLUMNS)
        write_estimates(estimates, work / "tables" / "estimates.csv")
    if not executed:
        return
    from peelstats.report.assemble import back_html, front_html, load_results
    from peelstats.report.html import export_html, merge_notebooks, text_of

    results = load_results(work)
    skipped = [(nb.name, nb.reason) for nb in result.notebooks if nb.status == "skipped"]
    front = front_html(context.force_name, job.period, results, skipped, str(job.settings.source))
    text = front + "".join(text_of(nb) for nb in executed)
    merged = merge_notebooks(front, executed, back_html(text, job.settings.confidence))
    title = f"{context.force_name}: stop and search and inspection findings, {job.period}"
    (work / "report.html").write_text(export_html(merged, title), encoding="utf-8")
