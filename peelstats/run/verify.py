"""``peelstats verify FOLDER``: re-execute a report's executed notebooks and compare every
output with the one published.

For a reviewer: each executed notebook in the report folder (e.g. outputs/2021Q3/durham) is
copied to a temporary folder, its injected parameters pointed at a temporary output folder (so
nothing is written into outputs/ and no absolute path of the machine that made the report is
needed), executed with papermill, and every code cell's outputs compared with the published
ones after the sanitisers of notebooks/nbval_sanitize.cfg (what is random per run). A
difference is shown with its two sides labelled "published" and "re-run".
"""

from __future__ import annotations

import difflib
import json
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from peelstats.errors import ParameterError

#: output keys that differ between runs by design (as nbval's skip list)
SKIP_KEYS = ("metadata", "execution_count", "transient")


@dataclass
class CellDifference:
    notebook: str
    cell: int
    source: str
    published: str
    rerun: str

    def describe(self, width: int = 400) -> str:
        diff = list(
            difflib.unified_diff(
                self.published.splitlines(), self.rerun.splitlines(), "published", "re-run",
                lineterm="", n=0,
            )
        )  # fmt: skip
        body = "\n".join(line[:width] for line in diff[:12])
        first = self.source.splitlines()[0] if self.source else ""
        return f"{self.notebook}, cell {self.cell} ({first}): outputs differ\n{body}"


@dataclass
class Verification:
    folder: Path
    notebooks: list[str] = field(default_factory=list)
    cells: int = 0
    differences: list[CellDifference] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


def _sanitised(outputs, sanitizers) -> str:
    kept = []
    for out in outputs:
        item = {k: v for k, v in out.items() if k not in SKIP_KEYS}
        kept.append(item)
    text = json.dumps(kept, sort_keys=True, indent=1)
    for pattern, replacement in sanitizers:
        text = pattern.sub(replacement, text)
    return text


def _readable(outputs, sanitizers) -> str:
    """The outputs as text a reviewer can read: text/plain, markdown or HTML, sanitised."""
    lines = []
    for out in outputs:
        data = out.get("data") or {}
        text = out.get("text") or ""
        for key in ("text/markdown", "text/html", "text/plain"):
            if key in data:
                value = data[key]
                text = "".join(value) if isinstance(value, list) else str(value)
                break
        for pattern, replacement in sanitizers:
            text = pattern.sub(replacement, text)
        lines.append(text)
    return "\n".join(lines)


def _point_parameters(notebook, out_dir: Path) -> None:
    """Send the run's outputs to ``out_dir`` and let the all-forces table be recomputed (the
    published run's folders are not needed)."""
    for cell in notebook.cells:
        if cell.cell_type == "code" and "injected-parameters" in cell.metadata.get("tags", []):
            lines = []
            for line in cell.source.splitlines():
                if line.startswith("output_dir = "):
                    line = f"output_dir = {str(out_dir)!r}"
                elif line.startswith("all_forces_path = "):
                    line = "all_forces_path = None"
                lines.append(line)
            cell.source = "\n".join(lines)


def verify(folder: str | Path, progress=None) -> Verification:
    """Re-execute and compare every executed notebook in ``folder``."""
    from peelstats.run.commit_notebooks import _sanitizers
    from peelstats.run.execute import KERNEL_QUIET, papermill_execute

    root = Path(folder).expanduser().resolve()
    if not root.is_dir():
        raise ParameterError(f"{folder}: not a folder (expected a report folder such as "
                             "outputs/2021Q3/durham)")  # fmt: skip
    notebooks = sorted(p for p in root.glob("*.ipynb") if not p.name.startswith("."))
    if not notebooks:
        raise ParameterError(f"{folder}: no executed notebooks (*.ipynb) to verify; expected a "
                             "report folder such as outputs/2021Q3/durham")  # fmt: skip
    sanitizers = _sanitizers()
    result = Verification(root)
    for path in notebooks:
        try:
            published = nbformat.read(path, as_version=4)
        except Exception as exc:  # noqa: BLE001 - any unreadable notebook is bad input
            raise ParameterError(f"{path.name}: not a readable notebook ({exc})") from None
        if progress:
            progress(f"re-running {path.name}")
        with tempfile.TemporaryDirectory(prefix="peelstats-verify-") as tmp:
            work = Path(tmp)
            copy = nbformat.from_dict(json.loads(json.dumps(published)))
            _point_parameters(copy, work / "out")
            source = work / path.name
            nbformat.write(copy, source)
            target = work / f"rerun-{path.name}"
            papermill_execute(source, target, {}, extra_arguments=KERNEL_QUIET)
            rerun = nbformat.read(target, as_version=4)
        result.notebooks.append(path.name)
        pub_cells = [c for c in published.cells if c.cell_type == "code"]
        new_cells = [c for c in rerun.cells if c.cell_type == "code"]
        for i, (a, b) in enumerate(zip(pub_cells, new_cells, strict=False), start=1):
            result.cells += 1
            if "injected-parameters" in a.metadata.get("tags", []):
                continue
            if _sanitised(a.get("outputs", []), sanitizers) != _sanitised(
                b.get("outputs", []), sanitizers
            ):
                result.differences.append(
                    CellDifference(path.name, i, a.source, _readable(a.get("outputs", []),
                                   sanitizers), _readable(b.get("outputs", []), sanitizers))
                )  # fmt: skip
    return result
