"""Jobs: one force x one period, its settings, its notebooks' parameters and its result.

A job's force id and period may come from data (``batch --forces all`` reads them from the
prepared searches table), so both are checked against one strict pattern before they name any
path (:func:`check_job_id`), and every path a job writes is checked to lie inside the output
folder (:func:`inside`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from peelstats import __version__
from peelstats.config import paths
from peelstats.errors import ParameterError
from peelstats.vocabulary import DEFAULT_CONFIDENCE, DEFAULT_DEFINITION, PARAMETERS

#: Force ids and period labels that may name a folder: police.uk ids, 'YYYYQn' quarters.
_FORCE_ID = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
_PERIOD_ID = re.compile(r"^\d{4}Q[1-4]$")


def check_job_id(force: object, period: object, where: str = "") -> tuple[str, str]:
    """The (force, period) pair if both may name a folder, else ParameterError naming them."""
    origin = f" (from {where})" if where else ""
    if not isinstance(force, str) or not _FORCE_ID.match(force):
        raise ParameterError(
            f"force id {force!r}{origin} cannot name an output folder: expected lower-case "
            "letters, digits and '-' (a police.uk id such as durham)"
        )
    if not isinstance(period, str) or not _PERIOD_ID.match(period):
        raise ParameterError(
            f"period {period!r}{origin} cannot name an output folder: expected YYYYQn"
        )
    return force, period


def inside(root: Path, path: Path) -> Path:
    """``path`` if it lies inside ``root`` (after resolving links), else ParameterError."""
    resolved_root = Path(root).resolve()
    resolved = Path(path).resolve()
    if resolved != resolved_root and resolved_root not in resolved.parents:
        raise ParameterError(f"{path} would lie outside the output folder {root}")
    return path


@dataclass(frozen=True)
class Settings:
    """What every job of a run shares: the data, the ethnicity definition, the confidence."""

    source: str = "default"
    definition: str = DEFAULT_DEFINITION
    confidence: float = DEFAULT_CONFIDENCE
    #: write the Panel paper (report.docx, estimates.xlsx, report.pdf) beside report.html
    paper: bool = False


@dataclass(frozen=True)
class Job:
    force: str
    period: str
    settings: Settings
    out_root: Path
    shared_dir: Path | None = None
    fingerprint: str = ""

    def __post_init__(self):
        check_job_id(self.force, self.period)

    @property
    def final(self) -> Path:
        return inside(self.out_root, self.out_root / self.period / self.force)


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
    fingerprint: str = ""
    reused: bool = False
    #: one line per optional output that could not be written (e.g. no Chromium for the PDF)
    notes: list[str] = field(default_factory=list)
    #: why the job as a whole is skipped (a force with no stop-and-search data in the period)
    reason: str = ""

    @classmethod
    def from_status(cls, path: Path) -> JobResult | None:
        """The result recorded in a job's status.json, or None if unreadable."""
        try:
            data = json.loads(Path(path).read_text())
            data["notebooks"] = [NotebookOutcome(**nb) for nb in data.get("notebooks", [])]
            known = {"force", "period", "status", "notebooks", "fingerprint", "notes", "reason"}
            return cls(**{k: v for k, v in data.items() if k in known}, reused=True)
        except (OSError, ValueError, TypeError, KeyError):
            return None

    def to_json(self) -> str:
        data = asdict(self)
        data.pop("reused", None)
        return json.dumps(data, indent=2, sort_keys=True) + "\n"

    @property
    def first_error(self) -> str:
        for nb in self.notebooks:
            if nb.status == "failed":
                return f"{nb.name}: {nb.reason}"
        return ""

    def settle(self) -> None:
        """The job's status from its notebooks'."""
        statuses = {nb.status for nb in self.notebooks}
        self.status = (
            "failed"
            if "failed" in statuses
            else ("succeeded" if "succeeded" in statuses else "skipped")
        )


def failed(job: Job, reason: str) -> JobResult:
    return JobResult(
        force=job.force,
        period=job.period,
        status="failed",
        notebooks=[NotebookOutcome("job", "failed", reason)],
    )


@functools.lru_cache(maxsize=32)
def _declared(notebook: str, mtime_ns: int) -> tuple[str, ...]:
    from papermill import inspect_notebook

    return tuple(inspect_notebook(notebook))


def declared_parameters(notebook: Path) -> tuple[str, ...]:
    """The parameters a notebook declares in its ``parameters`` cell (papermill's
    ``inspect_notebook``, read once per file version)."""
    return _declared(str(notebook), Path(notebook).stat().st_mtime_ns)


def parameters(job: Job, notebook: Path, work: Path) -> dict:
    """The papermill parameters of one notebook of a job: of the run's values (report runs: svg
    charts, outputs written to the job's work folder, the period's all-forces comparison), those
    the notebook declares."""
    values = {
        "force": job.force,
        "period": job.period,
        "confidence": job.settings.confidence,
        "ethnicity_definition": job.settings.definition,
        "chart_renderer": "svg",
        "data_source": str(job.settings.source),
        "output_dir": str(work),
    }
    if job.shared_dir is not None:
        values["all_forces_path"] = str(job.shared_dir / "all_forces.csv")
    unknown = set(values) - set(PARAMETERS)
    if unknown:  # pragma: no cover - the vocabulary lists every parameter a run passes
        raise ValueError(f"parameters not in the vocabulary: {sorted(unknown)}")
    declared = declared_parameters(notebook)
    return {name: value for name, value in values.items() if name in declared}


def fingerprint(settings: Settings) -> str:
    """sha256 of everything a report depends on: the data tables, the audit CSVs, the
    notebooks, the package's code and templates, the Panel paper's settings
    (panel-paper.toml) and the run's parameters."""
    from peelstats.data.load import source_folder
    from peelstats.report.paper_settings import settings_path

    root = paths()
    files = sorted(source_folder(settings.source).glob("*.*"))
    files += sorted((root.raw / "audits").glob("*.csv"))
    files += sorted(root.notebooks.glob("*.ipynb"))
    package = Path(__file__).resolve().parents[1]
    files += sorted(p for p in package.rglob("*")
                    if p.suffix in {".py", ".j2", ".json", ".csv", ".docx"})  # fmt: skip
    files.append(settings_path())
    key = f"{__version__}|{settings.source}|{settings.definition}|{settings.confidence}"
    digest = hashlib.sha256(key.encode())
    for path in files:
        if not path.is_file():
            continue
        digest.update(str(path.name).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def first_line(exc: BaseException) -> str:
    """The first line of an error (papermill's ename: evalue for a cell error)."""
    text = getattr(exc, "evalue", None) or str(exc) or type(exc).__name__
    ename = getattr(exc, "ename", None)
    line = str(text).strip().splitlines()[0] if str(text).strip() else ""
    return f"{ename}: {line}" if ename else line
