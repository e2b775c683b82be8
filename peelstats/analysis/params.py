"""Notebook parameters, validated in each notebook's first cell.

papermill does not validate parameters (an unknown one only logs a warning), so every notebook
passes its parameters here first: an unknown force or a malformed period stops the notebook with
one clear message instead of a traceback deep in the analysis.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from peelstats.errors import ParameterError
from peelstats.vocabulary import DEFINITIONS as _DEFINITIONS
from peelstats.vocabulary import Period, parse_period

DEFINITIONS = tuple(_DEFINITIONS)
RENDERERS = ("html", "svg")


@dataclass(frozen=True)
class Params:
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
    ethnicity_definition: str = "self",
    confidence: float = 0.95,
    chart_renderer: str = "svg",
    data_source: str = "default",
    output_dir: str | None = None,
    all_forces_path: str | None = None,
) -> Params:
    """Check every parameter, enable the chart renderer, and return them normalised."""
    from peelstats.data.forces import get_force
    from peelstats.report.display import use_renderer

    record = get_force(force)
    if ethnicity_definition not in DEFINITIONS:
        raise ParameterError(
            f"ethnicity_definition must be one of {DEFINITIONS}, not {ethnicity_definition!r}"
        )
    if (
        isinstance(confidence, bool)
        or not isinstance(confidence, (int, float))
        or not (0 < confidence < 1)
    ):
        raise ParameterError(f"confidence must be a number between 0 and 1, not {confidence!r}")
    if chart_renderer not in RENDERERS:
        raise ParameterError(f"chart_renderer must be one of {RENDERERS}, not {chart_renderer!r}")
    if data_source not in ("default", "processed") and not Path(data_source).is_dir():
        raise ParameterError(
            f"data_source must be 'default', 'processed' or an existing folder, not {data_source!r}"
        )
    if all_forces_path is not None and not Path(all_forces_path).is_file():
        raise ParameterError(f"all_forces_path {all_forces_path!r} is not a file")
    use_renderer(chart_renderer)
    out = None
    if output_dir is not None:
        out = Path(output_dir)
        (out / "tables").mkdir(parents=True, exist_ok=True)
    return Params(
        force=record.id,
        force_name=record.name,
        period=parse_period(period),
        ethnicity_definition=ethnicity_definition,
        confidence=float(confidence),
        chart_renderer=chart_renderer,
        data_source=data_source,
        output_dir=out,
        all_forces_path=Path(all_forces_path) if all_forces_path else None,
    )
