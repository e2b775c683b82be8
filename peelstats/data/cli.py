"""Command-line commands of the data layer: ``prepare`` and ``fetch``."""

from __future__ import annotations

from pathlib import Path

import click

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
def prepare_command(archive, census, outcomes, out, default, quiet) -> None:
    """Validate a police.uk archive and write tidy tables plus a coverage report.

    Also lists the months added, removed or revised since the last prepare into the same
    output folder (manifest.csv and revisions.csv there; see docs/data.md, "Revised data").
    """
    from peelstats.data.prepare import prepare
    from peelstats.data.revisions import one_line
    from peelstats.data.tables import REVISIONS_FILE

    result = prepare(archive, census, outcomes, out, default=default, progress=not quiet)
    click.echo(
        f"read {result.files_read} files, {result.records} records "
        f"({result.records_after_repair} after halving {result.doubled} doubled months); "
        f"{result.missing} force-months missing; wrote {', '.join(result.files)} to {result.out}"
    )
    written = result.out / REVISIONS_FILE if REVISIONS_FILE in result.files else None
    click.echo(one_line(result.revisions, written))
    for name in result.skipped:
        click.echo(f"note: {name} not built (pass --census / --outcomes)", err=True)
    for note in result.notes:
        click.echo(f"warning: {note}", err=True)


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
    from peelstats.data import load_searches
    from peelstats.data.forces import all_forces

    try:
        with_data = set(load_searches(source)["force"].unique())
    except Exception:  # noqa: BLE001 - the list is still useful without data
        with_data = set()
    click.echo(f"{'id':<22} {'name':<26} {'area code':<10} {'region':<26} data")
    for force in all_forces():
        click.echo(
            f"{force.id:<22} {force.name:<26} {force.pfa_code or '-':<10} {force.region:<26} "
            f"{'yes' if force.id in with_data else ''}"
        )


COMMANDS = [prepare_command, forces_command]

try:  # fetch is optional
    from peelstats.data.fetch import fetch_command

    COMMANDS.append(fetch_command)
except ImportError:  # pragma: no cover
    pass
