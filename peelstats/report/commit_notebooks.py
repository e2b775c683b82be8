"""Re-execute the committed notebooks with their default parameters (``make notebooks``).

Reviewers re-run these notebooks with nbval and compare every output with what is committed,
so after an intended change (code or default data) they must be regenerated with this command
and committed. Each notebook is executed with papermill in notebooks/ (where nbval runs it), its
run-specific metadata (timings, papermill bookkeeping) removed so diffs show only real change,
and written back atomically.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import nbformat

from peelstats.report.notebooks import NOTEBOOKS
from peelstats.report.runner import KERNEL_QUIET

VOLATILE_METADATA = ("papermill", "execution")


def strip_run_metadata(notebook) -> None:
    notebook.metadata.pop("papermill", None)
    for cell in notebook.cells:
        for key in VOLATILE_METADATA:
            cell.metadata.pop(key, None)


def execute_in_place(path: Path) -> None:
    import papermill

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / path.name
        papermill.execute_notebook(
            str(path),
            str(out),
            cwd=str(path.parent),
            kernel_name="python3",
            extra_arguments=KERNEL_QUIET,
            progress_bar=False,
        )
        notebook = nbformat.read(out, as_version=4)
    strip_run_metadata(notebook)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    nbformat.write(notebook, partial)
    partial.replace(path)


def main(argv: list[str] | None = None) -> int:
    names = argv if argv else [spec.name for spec in NOTEBOOKS]
    for spec in NOTEBOOKS:
        if spec.name in names:
            print(f"executing {spec.path.name}", flush=True)
            execute_in_place(spec.path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
