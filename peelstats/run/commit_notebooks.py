"""Re-execute the committed notebooks with their default parameters (``make notebooks``).

Reviewers re-run these notebooks with nbval and compare every output with what is committed,
so after an intended change (code or default data) they must be regenerated with this command
and committed. Each notebook is executed with papermill in notebooks/ (where nbval runs it), its
run-specific metadata (timings, papermill bookkeeping) removed so diffs show only real change,
and written back atomically.
"""

from __future__ import annotations

import configparser
import json
import re
import sys
import tempfile
from pathlib import Path

import nbformat

from peelstats.config import paths
from peelstats.files import atomic_write
from peelstats.run.execute import KERNEL_QUIET, papermill_execute
from peelstats.run.notebooks import notebooks

VOLATILE_METADATA = ("papermill", "execution")


def strip_run_metadata(notebook) -> None:
    notebook.metadata.pop("papermill", None)
    for cell in notebook.cells:
        for key in VOLATILE_METADATA:
            cell.metadata.pop(key, None)


def _sanitizers() -> list[tuple[re.Pattern, str]]:
    """The regexes of notebooks/nbval_sanitize.cfg (what is random per run)."""
    parser = configparser.ConfigParser()
    parser.read(paths().notebooks / "nbval_sanitize.cfg")
    return [(re.compile(parser[s]["regex"]), parser[s]["replace"]) for s in parser.sections()]


def _outputs_text(notebook) -> str:
    """All code-cell outputs with run-specific ids sanitised, for comparing two executions."""
    text = json.dumps(
        [cell.get("outputs", []) for cell in notebook.cells if cell.cell_type == "code"],
        sort_keys=True,
    )
    for pattern, replacement in _sanitizers():
        text = pattern.sub(replacement, text)
    return text


def execute_in_place(path: Path) -> bool:
    """Execute and write back; keep the file untouched when only random ids changed.

    Returns True if the notebook's outputs changed.
    """

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / path.name
        papermill_execute(path, out, {}, extra_arguments=KERNEL_QUIET)
        notebook = nbformat.read(out, as_version=4)
    strip_run_metadata(notebook)
    previous = nbformat.read(path, as_version=4)
    same_cells = [c.source for c in previous.cells] == [c.source for c in notebook.cells]
    if same_cells and _outputs_text(previous) == _outputs_text(notebook):
        return False
    text = nbformat.writes(notebook)
    atomic_write(path, text if text.endswith("\n") else text + "\n")
    return True


def main(argv: list[str] | None = None) -> int:
    names = argv if argv else [spec.name for spec in notebooks()]
    for spec in notebooks():
        if spec.name in names:
            changed = execute_in_place(spec.path)
            print(f"{spec.path.name}: {'outputs changed' if changed else 'unchanged'}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
