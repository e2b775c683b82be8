"""Run the notebooks for one force and period with papermill, and many in parallel.

One job = one force x one period: each applicable notebook is executed with papermill (in its
own kernel, with ``cwd`` = notebooks/ as nbval does), its tidy table and charts go to the job's
folder, and the executed notebooks are merged into report.html. Everything is written into a
temporary folder beside the target and renamed into place at the end, so an interrupted run
never leaves a half-written report. Jobs run in separate processes (papermill is process-safe,
not thread-safe); one job's failure never stops the others.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from peelstats import __version__
from peelstats.analysis.schema import ESTIMATE_COLUMNS, write_estimates
from peelstats.config import OGL_ATTRIBUTION, paths
from peelstats.report.notebooks import NOTEBOOKS, NotebookSpec, RunContext

SHARED_FOLDER = "_shared"
#: Kernels stay quiet on stderr (ipykernel otherwise warns about local TCP on every start and
#: logs its own shutdown); errors in cells are kept in the executed notebook.
KERNEL_QUIET = ["--IPKernelApp.log_level=CRITICAL"]


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
    headline: dict[str, str] = field(default_factory=dict)
    fingerprint: str = ""
    reused: bool = False

    @classmethod
    def from_status(cls, path: Path) -> JobResult | None:
        """The result recorded in a job's status.json, or None if unreadable."""
        try:
            data = json.loads(path.read_text())
            data["notebooks"] = [NotebookOutcome(**nb) for nb in data.get("notebooks", [])]
            data.pop("reused", None)
            return cls(**data, reused=True)
        except (OSError, ValueError, TypeError):
            return None

    @property
    def first_error(self) -> str:
        for nb in self.notebooks:
            if nb.status == "failed":
                return f"{nb.name}: {nb.reason}"
        return ""


def _first_line(exc: BaseException) -> str:
    text = getattr(exc, "evalue", None) or str(exc) or type(exc).__name__
    ename = getattr(exc, "ename", None)
    line = str(text).strip().splitlines()[0] if str(text).strip() else ""
    return f"{ename}: {line}" if ename else line


def _execute(spec: NotebookSpec, output: Path, parameters: dict) -> None:
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
            "chart_renderer": "svg",
            "data_source": str(source),
            "output_dir": str(work),
        }
        if spec.name == "stop_search":
            parameters["ethnicity_definition"] = definition
            if shared_dir is not None:
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
        result.headline = headline(estimates)
    if executed:
        title = f"{context.force_name}: stop and search and inspection audits, {period}"
        skipped = [nb for nb in result.notebooks if nb.status != "succeeded"]
        intro = [
            f"# {context.force_name}",
            f"**Stop and search and inspection audit statistics for {context.period_words}.**",
            "",
            "Every figure is given with its confidence interval and the method that produced it."
            + (" Sections not included, and why:" if skipped else ""),
        ]
        intro += [f"- {nb.name.replace('_', ' ')}: {nb.status} ({nb.reason})" for nb in skipped]
        intro += ["", f"*{OGL_ATTRIBUTION} Produced with peelstats {__version__}.*"]
        merged = merge_notebooks("\n".join(intro), executed)
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


def headline(estimates: pd.DataFrame) -> dict[str, str]:
    """Short headline figures for index.html, each with its interval."""

    def row(measure, group):
        hit = estimates[(estimates["measure"] == measure) & (estimates["group"] == group)]
        return None if hit.empty else hit.iloc[0]

    out = {}
    searches = row("searches", "all")
    if searches is not None:
        out["searches"] = f"{int(searches['estimate']):,}"
    change = row("searches_change_vs_previous_year_percent", "all")
    if change is not None:
        out["change"] = (
            f"{change['estimate']:+.1f}% ({change['lower']:+.1f} to {change['upper']:+.1f})"
        )
    ratio = row("search_rate_ratio_vs_white", "Black")
    if ratio is not None and pd.notna(ratio["estimate"]):
        out["black_white_ratio"] = (
            f"{ratio['estimate']:.1f} ({ratio['lower']:.1f} to {ratio['upper']:.1f})"
        )
    elif ratio is not None and "ethnicity_not_recorded" in str(ratio["flags"]):
        out["black_white_ratio"] = "not shown: ethnicity mostly not recorded"
    find = row("linked_find_rate", "all")
    if find is not None and pd.notna(find["estimate"]):
        bound = "at least " if "linked_lower_bound" in str(find["flags"]) else ""
        out["linked_find_rate"] = (
            f"{bound}{find['estimate']:.1%} ({find['lower']:.1%} to {find['upper']:.1%})"
        )
    elif find is not None and "linked_not_recorded" in str(find["flags"]):
        out["linked_find_rate"] = "not shown: linked field mostly blank"
    return out


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
    interrupted batch completes only what is missing.
    """
    from tqdm import tqdm

    from peelstats.report.index import write_index
    from peelstats.report.shared import write_shared

    out_root = Path(out_root or paths().outputs)
    stamp = fingerprint(source, definition, confidence)
    shared = {p: write_shared(p, out_root / p / SHARED_FOLDER, source, definition) for p in periods}
    jobs = [
        dict(
            force=f,
            period=p,
            source=source,
            definition=definition,
            confidence=confidence,
            out_root=out_root,
            shared_dir=shared[p],
            fingerprint=stamp,
        )
        for p in periods
        for f in forces
    ]
    results: list[JobResult] = []
    if resume:
        pending = []
        for job in jobs:
            done = JobResult.from_status(out_root / job["period"] / job["force"] / "status.json")
            if done and done.fingerprint == stamp and done.status in ("succeeded", "skipped"):
                results.append(done)
            else:
                pending.append(job)
        jobs = pending
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = [pool.submit(_job_entry, job) for job in jobs]
        bar = tqdm(total=len(futures), desc="force x quarter", unit="job", disable=not progress)
        for future in as_completed(futures):
            res = future.result()
            results.append(res)
            bar.set_postfix_str(f"{res.force} {res.period}: {res.status}")
            bar.update()
        bar.close()
    results.sort(key=lambda r: (r.period, r.force))
    for period in periods:
        write_index(period, [r for r in results if r.period == period], out_root)
    return results
