"""The ``peelstats`` command line: every subcommand, defined here and nowhere else.

Each command imports what it drives only when it runs, so ``peelstats --help`` and ``peelstats
forces`` answer at once. Every subcommand turns a :class:`~peelstats.errors.PeelstatsError` into
one line on stderr and the error's exit code (2 for bad input, 1 for the environment), with no
traceback; a run in which some forces failed exits 1.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from peelstats import __version__
from peelstats.errors import ParameterError, PeelstatsError
from peelstats.safe_text import terminal_text
from peelstats.vocabulary import DEFAULT_CONFIDENCE, DEFAULT_DEFINITION, DEFINITIONS


class _Group(click.Group):
    """A click group that reports user errors on one line instead of a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PeelstatsError as exc:
            line, code = f"peelstats: error: {terminal_text(str(exc))}", exc.exit_code
        except KeyboardInterrupt:
            line, code = "peelstats: interrupted", 130
        click.echo(line, err=True)
        # the error's traceback can hold pyarrow tables in a reference cycle: collected now,
        # while pyarrow is whole, not at the interpreter's exit, where pyarrow has been seen to
        # abort now and then ("terminate called without an active exception", exit 134;
        # apache/arrow#34314)
        import gc

        gc.collect()
        ctx.exit(code)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="peelstats")
def cli() -> None:
    """Confidence intervals, disproportionality ratios and trend tests for police stop and
    search and inspection audits in England and Wales.

    \b
    Typical use:
      peelstats prepare --archive police-uk-archive.zip   # validate and tidy raw files
      peelstats run --force durham --period 2021Q3        # one force, one quarter
      peelstats batch --forces all --periods latest       # every force
    """


_PATH = click.Path(path_type=Path)


@click.command("prepare")
@click.option(
    "--archive",
    type=_PATH,
    help="police.uk archive folder or .zip (default: data/raw/police-uk-archive).",
)
@click.option(
    "--census",
    type=_PATH,
    help="Folder with the Census 2021 TS021 table and the "
    "LAD22-PFA22 lookup (default: data/raw/census-2021 if present).",
)
@click.option("--outcomes", type=_PATH, help="Home Office crime outcomes CSV (.gz allowed).")
@click.option(
    "--use-of-force",
    "use_of_force",
    type=_PATH,
    help="Folder of the Home Office police use of force data tables, one .ods per edition "
    "(default: data/raw/home-office-use-of-force if present).",
)
@click.option(
    "--out",
    type=_PATH,
    help="Output folder (default: data/processed, or data/default with --default).",
)
@click.option(
    "--default",
    "default",
    is_flag=True,
    help="Write the compact committed CSVs and PROVENANCE.md instead of parquet.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def prepare_command(archive, census, outcomes, use_of_force, out, default, quiet) -> None:
    """Validate a police.uk archive and write tidy tables plus a coverage report (and, with
    --census, --outcomes and --use-of-force, the population, crime outcomes and use of force
    tables).

    Also lists the months added, removed or revised since the last prepare into the same
    output folder (manifest.csv and revisions.csv there; see docs/data.md, "Revised data").
    """
    from peelstats.data.prepare import prepare
    from peelstats.data.revisions import one_line
    from peelstats.data.tables import REVISIONS_FILE

    result = prepare(
        archive, census, outcomes, out, default=default, progress=not quiet,
        use_of_force=use_of_force,
    )  # fmt: skip
    click.echo(
        f"read {result.files_read} files, {result.records} records "
        f"({result.records_after_repair} after halving {result.doubled} doubled months); "
        f"{result.missing} force-months missing; wrote {', '.join(result.files)} to {result.out}"
    )
    written = result.out / REVISIONS_FILE if REVISIONS_FILE in result.files else None
    click.echo(one_line(result.revisions, written))
    for name in result.skipped:
        click.echo(f"note: {name} not built (pass {_INPUT_OPTIONS[name]})", err=True)
    for note in result.use_of_force_notes:
        click.echo(f"note: use of force: {note}", err=True)
    for note in result.notes:
        click.echo(f"warning: {note}", err=True)


#: the option that builds each optional table prepare can leave out
_INPUT_OPTIONS = {
    "populations": "--census DIR",
    "crime_outcomes": "--outcomes FILE",
    "use_of_force": "--use-of-force DIR",
}


@click.command("forces")
@click.option(
    "--data",
    "source",
    default="default",
    show_default=True,
    help="Mark the forces with stop-and-search data in this source.",
)
def forces_command(source):
    """List the police forces peelstats knows: id (for --force), name, area code, region."""
    from peelstats.data.forces import all_forces

    with_data = _forces_with_data(source)
    click.echo(f"{'id':<22} {'name':<26} {'area code':<10} {'region':<26} data")
    for force in all_forces():
        click.echo(
            f"{force.id:<22} {force.name:<26} {force.pfa_code or '-':<10} {force.region:<26} "
            f"{'yes' if force.id in with_data else ''}"
        )


def _forces_with_data(source: str) -> set[str]:
    """Forces with stop-and-search records in a data source: from its small coverage table
    (no pandas), else from its searches table; none when neither can be read."""
    from peelstats.data.tables import forces_with_records, source_folder

    try:
        found = forces_with_records(source_folder(source))
    except PeelstatsError:
        return set()
    if found is not None:
        return found
    from peelstats.data import load_searches

    try:
        return set(load_searches(source)["force"].unique())
    except Exception:  # noqa: BLE001 - the list is still useful without data
        return set()


@click.command("fetch")
@click.option("--force", "force", required=True, help="police.uk force id, e.g. durham.")
@click.option("--from", "start", required=True, help="First month, YYYY-MM.")
@click.option("--to", "end", required=True, help="Last month, YYYY-MM.")
@click.option("--cache", type=click.Path(path_type=Path), help="Folder for cached API answers.")
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    help="Archive folder to write into (default data/raw/police-uk-archive).",
)
@click.option(
    "--base-url",
    default=None,
    help="API root; /stops-force is appended (a mirror or a local test server) "
    "[default: https://data.police.uk/api].",
)
@click.option(
    "--deadline",
    type=float,
    default=None,
    help="Seconds the whole fetch may take, waits and reads included; then it stops (exit 1) "
    "[default: 3600].",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def fetch_command(force, start, end, cache, out, base_url, deadline, quiet) -> None:
    """Download stop-and-search months from the police.uk API into the raw archive."""
    from peelstats.data import fetch
    from peelstats.data.forces import find_force

    force = find_force(force).id
    result = fetch.fetch(
        force,
        start,
        end,
        out=out,
        cache=cache,
        progress=not quiet,
        base_url=base_url or fetch.BASE_URL,
        deadline=fetch.DEADLINE if deadline is None else deadline,
    )
    got = {m: n for m, n in result.items() if n is not None}
    none = [m for m, n in result.items() if n is None]
    click.echo(f"{force}: {len(got)} months, {sum(got.values())} records written")
    if none:
        click.echo(f"no data published for: {', '.join(none)}", err=True)


class _Confidence(click.ParamType):
    """A confidence level between 0 and 1; a percentage (95, '95%') is refused in one line that
    gives the fraction (vocabulary.check_confidence's words)."""

    name = "level"

    def convert(self, value, param, ctx):
        from peelstats.vocabulary import check_confidence

        if isinstance(value, str):
            try:
                value = float(value.strip())
            except ValueError:
                pass  # check_confidence names the text (and reads '95%' as a percentage)
        return check_confidence(value, "--confidence")


class _Choice(click.ParamType):
    """One of a few codes, in any case, or one of their other names; anything else is refused
    in one line naming the codes and the closest one."""

    def __init__(self, option: str, choices: dict[str, str], aliases: dict[str, str] = ()):
        self.option, self.choices = option, choices
        self.known = {c: c for c in choices} | {a.lower(): c for a, c in dict(aliases).items()}
        self.name = "|".join(choices)

    def get_metavar(self, param, *args, **kwargs) -> str:
        return f"[{self.name}]"

    def convert(self, value, param, ctx):
        import difflib

        text = str(value).strip().lower()
        if text in self.known:
            return self.known[text]
        close = difflib.get_close_matches(text, list(self.known), n=1, cutoff=0.5)
        hint = f"; did you mean {self.known[close[0]]!r}?" if close else ""
        codes = " or ".join(f"{c!r} ({words})" for c, words in self.choices.items())
        raise ParameterError(f"{self.option} must be {codes}, not {str(value)!r}{hint}")


_CONFIDENCE = click.option(
    "--confidence",
    type=_Confidence(),
    default=DEFAULT_CONFIDENCE,
    show_default=True,
    help="Confidence level, between 0 and 1 (0.95, not 95).",
)
_DEFINITION = click.option(
    "--ethnicity",
    "definition",
    type=_Choice("--ethnicity", DEFINITIONS, {words: code for code, words in DEFINITIONS.items()}),
    default=DEFAULT_DEFINITION,
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
    type=_Choice(
        "--kernels",
        {"inprocess": "each worker's own shell", "fresh": "a new kernel per notebook"},
        {"in-process": "inprocess"},
    ),
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


def _check_paper_settings(forces) -> None:
    """Read panel-paper.toml for every force before any job runs, so a bad setting stops the
    run with one line (file, setting, what was expected)."""
    from peelstats.report.paper_settings import load_paper_settings

    for force in forces:
        load_paper_settings(force)


def _forces(spec: str, source: str) -> list[str]:
    from peelstats.data import load_searches
    from peelstats.data.forces import find_force
    from peelstats.run.jobs import check_job_id

    available = sorted(load_searches(source)["force"].unique())
    if spec.strip().lower() == "all":
        for force in available:  # ids from data name folders: check them as strictly
            check_job_id(force, "2000Q1", where="the searches table")
        return available
    forces = [find_force(f).id for f in spec.split(",") if f.strip()]
    if not forces:
        raise ParameterError("--forces is empty: give 'all' or force ids such as 'durham'")
    return list(dict.fromkeys(forces))


def _one_period(spec: str) -> str:
    """``run --period``: one quarter (``latest`` is resolved once the data are read)."""
    from peelstats.analysis.periods import parse_period

    if ":" in spec or "," in spec:
        raise ParameterError(
            f"--period {spec.strip()!r}: run makes one quarter's report; give one quarter such as "
            "2021Q3 or 'latest' (batch --periods takes a range or a list)"
        )
    return parse_period(spec).label


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
    shown = terminal_text  # reasons and notes may quote data: one line, no escape sequences
    for r in skipped:
        reasons = r.reason or "; ".join(nb.reason for nb in r.notebooks if nb.reason)
        click.echo(f"  skipped {r.force} {r.period}: {shown(reasons)}")
    for r in results:
        for note in r.notes:
            click.echo(f"  note {r.force} {r.period}: {shown(note)}", err=True)
    for r in failed:
        click.echo(f"  FAILED  {r.force} {r.period}: {shown(r.first_error)}", err=True)
        if any(nb.status == "failed" and nb.name != "job" for nb in r.notebooks):
            click.echo(
                f"          executed notebook kept in {out_root / r.period / r.force}", err=True
            )
    for period in sorted({r.period for r in results}):
        click.echo(f"  index: {out_root / period / 'index.html'}")
    return 1 if failed else 0


def _interruptible(ctx: click.Context, run, *args, **kwargs):
    """Call ``run``; Ctrl-C or SIGTERM ends the command with one line and exit 130 or 143."""
    from peelstats.run.batch import BatchInterrupted

    try:
        return run(*args, **kwargs)
    except BatchInterrupted as exc:
        click.echo(f"peelstats: {exc}", err=True)
        ctx.exit(exc.exit_code)


@click.command("run")
@click.option("--force", required=True, help="police.uk force id (any case) or name, e.g. durham.")
@click.option(
    "--period",
    required=True,
    help="Quarter ending the 12 months, e.g. 2021Q3, or 'latest' (the last complete quarter, "
    "as batch takes it).",
)
@_DEFINITION
@_CONFIDENCE
@_DATA
@_OUT
@_KERNELS
@click.option(
    "--paper/--no-paper",
    default=True,
    show_default=True,
    help="Also write the Panel paper: report.docx, estimates.xlsx, report.pdf. With --no-paper "
    "an earlier run's paper is kept if made from the same inputs, code and settings, else left "
    "out (a note says which).",
)
@click.pass_context
def run_command(ctx, force, period, definition, confidence, source, out, kernels, paper):
    """Every applicable notebook for one force and one quarter."""
    from peelstats.analysis.periods import check_periods, expand_periods
    from peelstats.config import paths
    from peelstats.data import load_coverage, load_searches
    from peelstats.data.forces import find_force
    from peelstats.run.batch import run_batch

    force = find_force(force).id
    latest = period.strip().lower() == "latest"
    if not latest:
        period = _one_period(period)
    _check_inputs()
    if paper:
        _check_paper_settings([force])
    load_searches(source)  # a missing or unreadable data table stops here, before any output
    coverage = load_coverage(source)
    if latest:
        period = expand_periods("latest", coverage)[0]  # as batch --periods latest
    check_periods([period], coverage)
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
    help="Also write each Panel paper: report.docx, estimates.xlsx, report.pdf. Without it an "
    "earlier run's paper is kept if made from the same inputs, code and settings.",
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
    from peelstats.run.batch import check_workers, run_batch

    check_workers(workers, 1)
    if kernels == "inprocess" and not scheduler and not dry_run:
        from peelstats.run.pool import prestart

        prestart(["peelstats.run.warmup"])  # imports while the inputs are checked
    _check_inputs()
    force_list = _forces(forces, source)
    if paper:
        _check_paper_settings(force_list)
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
    from peelstats.run.verify import verify

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


for _command in (prepare_command, fetch_command, forces_command, run_command, batch_command,
                 verify_command):  # fmt: skip
    cli.add_command(_command)


def main(argv: list[str] | None = None) -> None:
    """Console entry point: a mistyped command line is one line on stderr, exit 2 (click's own
    form is usage, a blank line and the error)."""
    import errno

    try:
        code = cli.main(args=argv, prog_name="peelstats", standalone_mode=False)
    except click.UsageError as exc:
        where = exc.ctx.command_path if exc.ctx is not None else "peelstats"
        click.echo(f"peelstats: error: {terminal_text(exc.format_message())} (see "
                   f"'{where} --help')", err=True)  # fmt: skip
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        click.echo(f"peelstats: error: {terminal_text(exc.format_message())}", err=True)
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        click.echo("peelstats: interrupted", err=True)
        sys.exit(130)
    except OSError as exc:
        if exc.errno != errno.EPIPE:  # a reader that stopped reading (| head) is not an error
            raise
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - nothing more is written to it
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
