"""Notebook parameters, validated in each notebook's first cell.

papermill does not validate parameters (an unknown one only logs a warning), so every notebook
passes its parameters here first: an unknown force or a malformed period stops the notebook with
one clear message instead of a traceback deep in the analysis. The parameters and their defaults
are :data:`peelstats.vocabulary.PARAMETERS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from peelstats.errors import ParameterError
from peelstats.vocabulary import (
    DEFINITIONS,
    PARAMETERS,
    RENDERERS,
    Period,
    check_confidence,
    parse_period,
)


@dataclass(frozen=True)
class Params:
    """The validated parameters every section's ``build(data, params)`` takes."""

    force: str
    force_name: str
    period: Period
    ethnicity_definition: str
    confidence: float
    chart_renderer: str
    data_source: str
    output_dir: Path | None
    all_forces_path: Path | None


def validate(
    force: str,
    period: str,
    ethnicity_definition: str = PARAMETERS["ethnicity_definition"],
    confidence: float = PARAMETERS["confidence"],
    chart_renderer: str = PARAMETERS["chart_renderer"],
    data_source: str = PARAMETERS["data_source"],
    output_dir: str | None = None,
    all_forces_path: str | None = None,
) -> Params:
    """Check every parameter and return them normalised (ParameterError naming the bad one)."""
    from peelstats.data.forces import get_force

    record = get_force(force)
    if ethnicity_definition not in DEFINITIONS:
        raise ParameterError(
            f"ethnicity_definition must be one of {tuple(DEFINITIONS)}, "
            f"not {ethnicity_definition!r}"
        )
    confidence = check_confidence(confidence)
    if chart_renderer not in RENDERERS:
        raise ParameterError(f"chart_renderer must be one of {RENDERERS}, not {chart_renderer!r}")
    if data_source not in ("default", "processed") and not Path(data_source).is_dir():
        raise ParameterError(
            f"data_source must be 'default', 'processed' or an existing folder, not {data_source!r}"
        )
    if all_forces_path is not None and not Path(all_forces_path).is_file():
        raise ParameterError(f"all_forces_path {all_forces_path!r} is not a file")
    out = None
    if output_dir is not None:
        out = Path(output_dir)
        (out / "tables").mkdir(parents=True, exist_ok=True)
    return Params(
        force=record.id,
        force_name=record.name,
        period=parse_period(period),
        ethnicity_definition=ethnicity_definition,
        confidence=confidence,
        chart_renderer=chart_renderer,
        data_source=data_source,
        output_dir=out,
        all_forces_path=Path(all_forces_path) if all_forces_path else None,
    )


def from_namespace(namespace: dict) -> Params:
    """Validate the parameters a notebook declared, read from its namespace (``globals()``):
    each name of :data:`~peelstats.vocabulary.PARAMETERS` the notebook defines."""
    given = {name: namespace[name] for name in PARAMETERS if name in namespace}
    missing = [name for name in ("force", "period") if name not in given]
    if missing:
        raise ParameterError(f"the notebook does not set {', '.join(missing)}")
    return validate(**given)
