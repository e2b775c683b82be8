"""Executing a job: its notebooks, then report.html, in a work folder swapped into place.

One job = one force x one period. Each applicable notebook is executed with papermill (in
notebooks/, where nbval runs it) by an *engine*:

- :class:`InProcess` (batches): the worker's own IPython shell, through papermill's engine API
  (:mod:`peelstats.run.inprocess`); workers are forked after the libraries are imported
  and warmed up (``PRELUDE``), so a notebook pays neither a kernel start nor imports;
- :class:`FreshKernels`: a new kernel per notebook, as a reviewer's re-run does.

The job's tables, results and charts go to its hidden work folder, the executed notebooks are
merged into report.html, and the folder is swapped into place only when complete
(:mod:`peelstats.run.workspace`).
"""

from __future__ import annotations

import os
import shutil
import traceback
from pathlib import Path

import pandas as pd

from peelstats.analysis.schema import ESTIMATE_COLUMNS, read_estimates, write_estimates
from peelstats.run.jobs import Job, JobResult, NotebookOutcome, first_line, parameters
from peelstats.run.notebooks import NotebookSpec, RunContext, notebooks
from peelstats.run.workspace import alive, swap_into_place, work_name
from peelstats.vocabulary import previous_quarter

#: Kernels stay quiet on stderr (ipykernel otherwise warns about local TCP on every start and
#: logs its own shutdown); errors in cells are kept in the executed notebook.
KERNEL_QUIET = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.enabled=False"]


def papermill_execute(notebook: Path, output: Path, params: dict, **engine):
    """papermill's ``execute_notebook`` as every run calls it: in the notebook's folder (where
    nbval runs it), quiet, the executed notebook written once at the end (and on failure);
    ``engine`` adds the engine's own arguments. Returns the executed notebook (as written)."""
    import papermill

    return papermill.execute_notebook(
        str(notebook),
        str(output),
        parameters=params,
        cwd=str(Path(notebook).parent),
        kernel_name="python3",
        progress_bar=False,
        log_output=False,
        report_mode=False,
        request_save_on_cell_execute=False,
        **engine,
    )


class FreshKernels:
    """Execute each notebook with papermill in a kernel of its own."""

    name = "fresh kernels"

    def execute(self, spec: NotebookSpec, output: Path, params: dict):
        return papermill_execute(
            spec.path, output, params,
            extra_arguments=KERNEL_QUIET,
            shutdown_kernel="immediate",  # the notebook is finished: no graceful wait
        )  # fmt: skip

    def close(self) -> None:
        pass


class InProcess:
    """Execute each notebook with papermill in this process's own IPython shell (the
    ``peelstats-inprocess`` papermill engine, :mod:`peelstats.run.inprocess`): no kernel
    to start, no imports to repeat, nothing sent over a socket. Used by batch workers, which
    are forked from the batch once it has imported the libraries (``PRELUDE``); a crash in a
    notebook ends only that worker's current job (see :mod:`peelstats.run.pool`)."""

    name = "in-process"

    def execute(self, spec: NotebookSpec, output: Path, params: dict):
        from peelstats.run.inprocess import register

        return papermill_execute(spec.path, output, params, engine_name=register())

    def close(self) -> None:
        pass


def warm_up(imports_only: bool = False) -> None:
    """Import the libraries (``IMPORTS``) and, unless ``imports_only``, start the chart
    renderer and model code once (``PRELUDE``), in this process."""
    code = IMPORTS if imports_only else PRELUDE
    exec(compile(code, "peelstats-prelude", "exec"), {})


#: Imported once by a batch's fork server, before any worker is forked (imports only: a
#: library that starts threads, such as vl-convert's JavaScript runtime, must not be started
#: before a fork, or the child waits for threads it does not have).
IMPORTS = """
import numpy, pandas, scipy.stats, statsmodels.api, vl_convert, IPython.display
import nbformat, papermill, nbconvert
import peelstats.report.sections, peelstats.report.present, peelstats.run.inprocess
peelstats.run.inprocess.shell()
"""
#: Run once in each worker after it starts: the first chart and the first model fit, so no
#: notebook pays for starting them.
PRELUDE = (
    IMPORTS
    + """
from peelstats.report.charts import render as _render
from peelstats.stats import trend_test as _trend_test
_render({"data": {"values": [{"x": 1}, {"x": 2}]}, "mark": "point",
         "encoding": {"x": {"field": "x", "type": "quantitative"}}})
_trend_test([5, 7, 6, 9], method="quasi-poisson")
del _render, _trend_test
"""
)


def run_job(job: Job, engine=None, parent_pid: int | None = None) -> JobResult:
    """Execute every applicable notebook of ``job`` and swap its report into place.

    ``parent_pid``: when given (pool workers: the batch's pid), the report is not swapped in
    if that process has gone (a batch killed from outside leaves its work hidden).
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
    for spec in notebooks():
        reason = spec.skip_reason(context)
        if reason:
            result.notebooks.append(NotebookOutcome(spec.name, "skipped", reason))
            continue
        output = work / f"{spec.name}.ipynb"
        try:
            notebook = engine.execute(spec, output, parameters(job, spec.path, work))
            result.notebooks.append(NotebookOutcome(spec.name, "succeeded"))
            # the executed notebook as written (an engine that returns none: read it back)
            executed.append(notebook if notebook is not None else nbformat.read(output, 4))
        except OSError:
            raise  # the disk or the folder, not the notebook: the job fails as a whole
        except Exception as exc:  # noqa: BLE001 - any failure is recorded, never fatal
            result.notebooks.append(NotebookOutcome(spec.name, "failed", first_line(exc)))
            if output.exists():
                output.rename(work / f"{spec.name}.failed.ipynb")
            else:
                (work / f"{spec.name}.error.txt").write_text(traceback.format_exc())
    result.settle()
    _skip_without_data(work, context, result)
    write_report(work, job, context, result, executed)
    _keep_earlier_paper(final, work, job, result)
    (work / "status.json").write_text(result.to_json())
    if parent_pid is not None and not alive(parent_pid):
        shutil.rmtree(work, ignore_errors=True)  # the batch is gone: publish nothing
        raise SystemExit(1)
    swap_into_place(work, final)
    return result


def _skip_without_data(work: Path, context: RunContext, result: JobResult) -> None:
    """A force whose data has no stop-and-search records in the period is skipped, with the
    reason in status.json, the summary line and the index, not counted as succeeded. Its
    report is still written: the stop-and-search section says there is no data, and the other
    sections (inspection findings, crime outcomes) are given as usual."""
    from peelstats.analysis import results as res
    from peelstats.report.wording import no_data_reason

    path = work / "results" / "stop_search.json"
    if result.status != "succeeded" or not path.is_file():
        return
    try:
        status = res.load(path).status
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return
    if status == "no_data":
        result.status = "skipped"
        result.reason = no_data_reason(context.force_name, context.period)


def _keep_earlier_paper(final: Path, work: Path, job: Job, result: JobResult) -> None:
    """The earlier run's Panel paper files that this run does not write (``run --no-paper``,
    ``batch`` without ``--paper``, or an output left out with a note) are kept when that run
    was made from the same inputs, code and settings (the same fingerprint): they are what
    ``--paper`` would write again. Made from anything else they would not match the new report,
    so they are left out. Either way a note says which files and why."""
    from peelstats.report.documents import PAPER_FILES

    earlier = [n for n in PAPER_FILES if (final / n).is_file() and not (work / n).exists()]
    if not earlier:
        return
    names = ", ".join(earlier[:-1]) + (" and " if len(earlier) > 1 else "") + earlier[-1]
    before = JobResult.from_status(final / "status.json")
    if before is None or not job.fingerprint or before.fingerprint != job.fingerprint:
        result.notes.append(
            f"the earlier run's {names} left out: made from other inputs, code or settings, "
            "they would not match this report (--paper writes the paper again)"
        )
        return
    for name in earlier:
        try:
            os.link(final / name, work / name)  # the writers replace files, never change them
        except OSError:
            shutil.copy2(final / name, work / name)
    result.notes.append(
        f"kept the earlier run's {names}, made from the same inputs, code and settings "
        "(--paper writes the paper again)"
    )


def write_report(work: Path, job: Job, context: RunContext, result: JobResult, executed) -> None:
    """estimates.csv from the sections' tables, and report.html from the executed notebooks:
    summary first (from the saved results), glossary last."""
    tables = [read_estimates(t) for t in sorted((work / "tables").glob("*.csv"))]
    if tables:
        estimates = pd.concat(tables, ignore_index=True).reindex(columns=ESTIMATE_COLUMNS)
        write_estimates(estimates, work / "tables" / "estimates.csv")
    if not executed:
        return
    from peelstats.report.assemble import back_html, front_html, load_results
    from peelstats.report.html import export_html, merge_notebooks, text_of
    from peelstats.report.wording.report import report_title

    results = load_results(work)
    skipped = [(nb.name, nb.reason) for nb in result.notebooks if nb.status == "skipped"]
    front = front_html(context.force_name, job.period, results, skipped)
    text = front + "".join(text_of(nb) for nb in executed)
    merged = merge_notebooks(front, executed, back_html(text, results))
    title = report_title(context.force_name, job.period)
    (work / "report.html").write_text(export_html(merged, title), encoding="utf-8")
    if job.settings.paper:
        from peelstats.report.documents import write_paper

        previous = job.out_root / previous_quarter(job.period) / job.force
        result.notes.extend(
            write_paper(
                work,
                job.force,
                context.force_name,
                job.period,
                previous=previous,
                source=str(job.settings.source),
                pdf=True,
            )  # fmt: skip
        )
