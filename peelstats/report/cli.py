"""``peelstats run`` and ``peelstats batch``: execute the notebooks into outputs/."""

from __future__ import annotations

from pathlib import Path

import click

from peelstats.errors import ParameterError

_CONFIDENCE = click.option(
    "--confidence", type=float, default=0.95, show_default=True, help="Confidence level."
)
_DEFINITION = click.option(
    "--ethnicity",
    "definition",
    type=click.Choice(["self", "officer"]),
    default="self",
    show_default=True,
    help="Self-defined (as the Home Office's rates per 1,000) or officer-defined ethnicity.",
)
_DATA = click.option(
    "--data",
    "source",
    default="default",
    show_default=True,
    help="'default' (committed data), 'processed' (after `peelstats prepare`), or a folder.",
)
_KERNELS = click.option(
    "--kernels",
    type=click.Choice(["inprocess", "fresh"]),
    default="inprocess",
    show_default=True,
    help="inprocess: notebooks run with papermill in each worker's own warm IPython shell "
    "(a new namespace for each); fresh: a new Jupyter kernel for every notebook.",
)
_OUT = click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Output folder [default: outputs/].",
)


def _check_inputs() -> None:
    """Read every audit table once before any notebook runs, so a bad value stops the run with
    one message (file, row, column) instead of failing inside each force's notebook."""
    from peelstats.data.audits import check_all

    check_all()


def _check_confidence(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ParameterError(f"--confidence must be between 0 and 1 (exclusive), not {confidence}")
    return confidence


def _forces(spec: str, source: str) -> list[str]:
    from peelstats.data import load_searches
    from peelstats.data.forces import get_force
    from peelstats.report.jobs import check_job_id

    available = sorted(load_searches(source)["force"].unique())
    if spec.strip() == "all":
        for force in available:  # ids from data name folders: check them as strictly
            check_job_id(force, "2000Q1", where="the searches table")
        return available
    forces = [get_force(f.strip()).id for f in spec.split(",") if f.strip()]
    if not forces:
        raise ParameterError("--forces is empty: give 'all' or force ids such as 'durham'")
    return list(dict.fromkeys(forces))


def _summarise(results, out_root: Path) -> int:
    succeeded = [r for r in results if r.status == "succeeded"]
    skipped = [r for r in results if r.status == "skipped"]
    failed = [r for r in results if r.status == "failed"]
    click.echo(
        f"peelstats: {len(succeeded)} succeeded, {len(skipped)} skipped, {len(failed)} failed "
        f"(reports under {out_root})"
    )
    reused = sum(r.reused for r in results)
    if reused:
        click.echo(f"  {reused} already complete from the same inputs and code: not run again")
    for r in skipped:
        reasons = "; ".join(nb.reason for nb in r.notebooks if nb.reason)
        click.echo(f"  skipped {r.force} {r.period}: {reasons}")
    for r in results:
        for note in r.notes:
            click.echo(f"  note {r.force} {r.period}: {note}", err=True)
    for r in failed:
        click.echo(f"  FAILED  {r.force} {r.period}: {r.first_error}", err=True)
        if any(nb.status == "failed" and nb.name != "job" for nb in r.notebooks):
            click.echo(
                f"          executed notebook kept in {out_root / r.period / r.force}", err=True
            )
    for period in sorted({r.period for r in results}):
        click.echo(f"  index: {out_root / period / 'index.html'}")
    return 1 if failed else 0


def _interruptible(ctx: click.Context, run, *args, **kwargs):
    """Call ``run``; Ctrl-C or SIGTERM ends the command with one line and exit 130 or 143."""
    from peelstats.report.batch import BatchInterrupted

    try:
        return run(*args, **kwargs)
    except BatchInterrupted as exc:
        click.echo(f"peelstats: {exc}", err=True)
        ctx.exit(exc.exit_code)


@click.command("run")
@click.option("--force", required=True, help="police.uk force id, e.g. durham.")
@click.option("--period", required=True, help="Quarter ending the 12 months, e.g. 2021Q3.")
@_DEFINITION
@_CONFIDENCE
@_DATA
@_OUT
@_KERNELS
@click.option(
    "--paper/--no-paper",
    default=True,
    show_default=True,
    help="Also write the Panel paper: report.docx, estimates.xlsx, report.pdf.",
)
@click.pass_context
def run_command(ctx, force, period, definition, confidence, source, out, kernels, paper):
    """Every applicable notebook for one force and one quarter."""
    from peelstats.analysis.periods import check_periods, parse_period
    from peelstats.config import paths
    from peelstats.data import load_coverage, load_searches
    from peelstats.data.forces import get_force
    from peelstats.report.batch import run_batch

    force = get_force(force).id
    period = parse_period(period).label
    _check_confidence(confidence)
    _check_inputs()
    load_searches(source)  # a missing or unreadable data table stops here, before any output
    check_periods([period], load_coverage(source))
    out_root = (out or paths().outputs).resolve()
    results = _interruptible(
        ctx,
        run_batch,
        [force],
        [period],
        workers=1,
        source=source,
        definition=definition,
        confidence=confidence,
        out_root=out_root,
        progress=False,
        resume=False,
        what="run",
        engine=kernels,
        paper=paper,
    )
    ctx.exit(_summarise(results, out_root))


@click.command("batch")
@click.option(
    "--forces",
    default="all",
    show_default=True,
    help="'all' (every force in the data) or a comma-separated list of force ids.",
)
@click.option(
    "--periods",
    default="latest",
    show_default=True,
    help="'latest' (last complete quarter), a quarter, a range 2020Q1:2021Q3, or a list.",
)
@click.option(
    "--workers", type=int, default=None, help="Parallel processes [default: number of cores]."
)
@click.option("--dry-run", is_flag=True, help="List the force x quarter jobs and stop.")
@click.option(
    "--rerun",
    is_flag=True,
    help="Run every job again, even those already complete from the same inputs and code.",
)
@click.option("--no-progress", is_flag=True, help="No progress bar.")
@_DEFINITION
@_CONFIDENCE
@_DATA
@_OUT
@_KERNELS
@click.option(
    "--scheduler",
    default=None,
    metavar="ADDRESS",
    help="Run the jobs on a Dask cluster (e.g. tcp://10.0.0.5:8786) instead of local processes; "
    "its workers need this project and data at the same paths and the outputs on a shared "
    "filesystem (docs/cluster.md).",
)
@click.option(
    "--paper",
    is_flag=True,
    help="Also write each Panel paper: report.docx, estimates.xlsx, report.pdf.",
)
@click.pass_context
def batch_command(
    ctx,
    forces,
    periods,
    workers,
    dry_run,
    rerun,
    no_progress,
    definition,
    confidence,
    source,
    out,
    kernels,
    scheduler,
    paper,
):
    """Every force x quarter, in parallel processes, with a summary at the end.

    A failing force or quarter does not stop the others; the exit code is 1 if any failed.
    """
    from peelstats.analysis.periods import check_periods, expand_periods
    from peelstats.config import paths
    from peelstats.data import load_coverage
    from peelstats.report.batch import run_batch

    _check_confidence(confidence)
    from peelstats.report.batch import check_workers

    check_workers(workers, 1)
    if kernels == "inprocess" and not scheduler and not dry_run:
        from peelstats.report.pool import prestart

        prestart(["peelstats.report.warmup"])  # imports while the inputs are checked
    _check_inputs()
    force_list = _forces(forces, source)
    coverage = load_coverage(source)
    period_list = expand_periods(periods, coverage)
    check_periods(period_list, coverage)
    out_root = (out or paths().outputs).resolve()
    if dry_run:
        for period in period_list:
            for force in force_list:
                click.echo(f"{period} {force} -> {out_root / period / force}")
        ctx.exit(0)
    executor = _dask_executor(scheduler) if scheduler else None
    results = _interruptible(
        ctx,
        run_batch,
        force_list,
        period_list,
        workers=workers,
        engine=kernels,
        executor=executor,
        source=source,
        definition=definition,
        confidence=confidence,
        out_root=out_root,
        progress=not no_progress,
        resume=not rerun,
        paper=paper,
    )
    ctx.exit(_summarise(results, out_root))


def _dask_executor(address: str):
    """A concurrent.futures executor on a Dask cluster (one thread per worker expected)."""
    try:
        from distributed import Client
    except ImportError:  # pragma: no cover - distributed is in the lock
        raise ParameterError("--scheduler needs the 'distributed' package") from None
    try:
        client = Client(address, timeout="10s")
    except OSError as exc:
        raise ParameterError(f"--scheduler {address}: cannot connect ({exc})") from None
    return client.get_executor()


@click.command("verify")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.pass_context
def verify_command(ctx, folder):
    """Re-execute a report's notebooks and compare every output with the published one.

    FOLDER is a report folder, e.g. outputs/2021Q3/durham. Nothing is written into it; a
    difference is shown with its sides labelled "published" and "re-run". Exit 0 when every
    output matches, 1 when any differs.
    """
    from peelstats.report.verify import verify

    result = verify(folder, progress=lambda text: click.echo(f"peelstats: {text}", err=True))
    for difference in result.differences:
        click.echo(difference.describe())
    verdict = "every output matches" if result.ok else (
        f"{len(result.differences)} cell(s) differ"
    )  # fmt: skip
    click.echo(
        f"peelstats verify: {len(result.notebooks)} notebooks, {result.cells} code cells "
        f"re-run: {verdict}"
    )
    ctx.exit(0 if result.ok else 1)


COMMANDS = [run_command, batch_command, verify_command]
