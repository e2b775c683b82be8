"""Every path peelstats uses, derived from the package's own location.

Code behaves the same whether papermill (which starts kernels in the caller's folder),
nbval (which starts them in the notebook's folder), pytest or a user at a shell starts it,
from any working directory.

Environment variables exist for tests and for analysts with their own layout:

- ``PEELSTATS_DATA_DIR``: use this folder instead of ``<project>/data`` (it holds ``raw/``,
  ``processed/`` and ``default/``);
- ``PEELSTATS_SHARED_DATA``: where the real source files live
  (default ``<project>/../shared/data``);
- ``PEELSTATS_OUTPUTS_DIR``: use this folder instead of ``<project>/outputs``;
- ``PEELSTATS_NOTEBOOKS_DIR``: run the notebooks of this folder instead of
  ``<project>/notebooks`` (an analyst's own copies, or a test's).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parent

#: Attribution line required by the Open Government Licence v3.0 wherever derived figures ship.
OGL_ATTRIBUTION = (
    "Contains public sector information licensed under the Open Government Licence v3.0."
)


@dataclass(frozen=True)
class Paths:
    """The project's folders. Build with :func:`paths`; every field is absolute."""

    root: Path
    data: Path
    raw: Path
    processed: Path
    default: Path
    outputs: Path
    notebooks: Path
    docs: Path
    shared_data: Path


def paths() -> Paths:
    """Return the project's folders, honouring the ``PEELSTATS_*`` overrides above."""
    data = Path(os.environ.get("PEELSTATS_DATA_DIR") or PROJECT_ROOT / "data").resolve()
    shared = Path(
        os.environ.get("PEELSTATS_SHARED_DATA") or PROJECT_ROOT.parent / "shared" / "data"
    ).resolve()
    outputs = Path(os.environ.get("PEELSTATS_OUTPUTS_DIR") or PROJECT_ROOT / "outputs").resolve()
    return Paths(
        root=PROJECT_ROOT,
        data=data,
        raw=data / "raw",
        processed=data / "processed",
        default=data / "default",
        outputs=outputs,
        notebooks=Path(
            os.environ.get("PEELSTATS_NOTEBOOKS_DIR") or PROJECT_ROOT / "notebooks"
        ).resolve(),
        docs=PROJECT_ROOT / "docs",
        shared_data=shared,
    )
