"""``peelstats verify FOLDER``: re-execute a report's executed notebooks and compare every
output with the one published.

For a reviewer: each executed notebook in the report folder (e.g. outputs/2021Q3/durham) is
copied to a temporary folder, its injected parameters pointed at a temporary output folder (so
nothing is written into outputs/ and no absolute path of the machine that made the report is
needed), executed with papermill, and every code cell's outputs compared with the published
ones after the sanitisers of notebooks/nbval_sanitize.cfg (what is random per run). A
difference is shown with its two sides labelled "published" and "re-run", as text a reviewer
can read: an HTML output as its headings, paragraphs and table rows (cells separated by " | "),
a chart as its text alternative and a digest of the image; a long line is cut to the part that
differs, with some context, so the changed value is always shown.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
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

    def describe(self, width: int = 400, lines: int = 24) -> str:
        """The difference as a unified diff of the readable outputs, at most ``lines`` lines;
        each changed line cut to about ``width`` characters around what changed."""
        diff = list(
            difflib.unified_diff(
                self.published.splitlines(), self.rerun.splitlines(), "published", "re-run",
                lineterm="", n=0,
            )
        )  # fmt: skip
        shown = _cut_to_changes(diff, width)
        if len(shown) > lines:
            shown = shown[:lines] + [f"... ({len(shown) - lines} more lines of difference)"]
        first = self.source.splitlines()[0] if self.source else ""
        body = "\n".join(shown)
        return f"{self.notebook}, cell {self.cell} ({first}): outputs differ\n{body}"


def _cut_to_changes(diff: list[str], width: int) -> list[str]:
    """Unified-diff lines with each long "-"/"+" line cut to the part where it differs from
    its counterpart on the other side (the n-th removed line of a hunk against its n-th added
    line), with context either side: a changed value deep in a long line is still shown."""
    out: list[str] = []
    removed: list[str] = []
    added: list[str] = []

    def flush():
        for i, line in enumerate(removed):
            other = added[i] if i < len(added) else ""
            out.append("-" + _window(line, other, width))
        for i, line in enumerate(added):
            other = removed[i] if i < len(removed) else ""
            out.append("+" + _window(line, other, width))
        removed.clear()
        added.clear()

    for line in diff:
        if line.startswith("-") and not line.startswith("---"):
            if added:
                flush()
            removed.append(line[1:])
        elif line.startswith("+") and not line.startswith("+++"):
            added.append(line[1:])
        else:
            flush()
            out.append(line[:width])
    flush()
    return out


def _window(line: str, other: str, width: int) -> str:
    """``line`` cut to about ``width`` characters around where it differs from ``other``."""
    if len(line) <= width:
        return line
    start = len(os.path.commonprefix([line, other]))
    end = len(line) - len(os.path.commonprefix([line[start:][::-1], other[start:][::-1]]))
    context = max(20, (width - (end - start)) // 2)
    left = max(0, start - context)
    right = min(len(line), max(end, start + 1) + context)
    if right - left > width + 2 * context:  # a long change: its beginning
        right = left + width
    return ("..." if left else "") + line[left:right] + ("..." if right < len(line) else "")


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
    """The outputs as text a reviewer can read: text/plain, markdown or HTML (as text,
    :func:`_html_lines`), sanitised."""
    lines = []
    for out in outputs:
        data = out.get("data") or {}
        text = out.get("text") or ""
        kind = "text/plain"
        for key in ("text/markdown", "text/html", "text/plain"):
            if key in data:
                value = data[key]
                text = "".join(value) if isinstance(value, list) else str(value)
                kind = key
                break
        text = "".join(text) if isinstance(text, list) else text
        for pattern, replacement in sanitizers:
            text = pattern.sub(replacement, text)
        lines.append("\n".join(_html_lines(text)) if kind == "text/html" else text)
    return "\n".join(lines)


#: elements shown on a line of their own
_BLOCKS = ("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "summary", "figcaption",
           "div", "ul", "ol", "table", "details", "figure", "br", "pre", "blockquote")  # fmt: skip


def _html_lines(html: str) -> list[str]:
    """An HTML output as lines: each table row as its cells separated by " | ", each heading,
    paragraph, list item and caption on a line of its own, each image as its text alternative
    and the first 12 hex digits of the sha256 of its source (so a changed chart shows as a
    changed line, without its bytes)."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for img in soup.find_all("img"):
        digest = hashlib.sha256(str(img.get("src", "")).encode()).hexdigest()[:12]
        img.replace_with(f"\n[image: {img.get('alt', '')} (sha256 {digest})]\n")
    for row in soup.find_all("tr"):
        cells = [" ".join(c.get_text(" ").split()) for c in row.find_all(["th", "td"])]
        row.replace_with(f"\n{' | '.join(cells)}\n")
    for tag in soup.find_all(_BLOCKS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    text = soup.get_text()
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


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
