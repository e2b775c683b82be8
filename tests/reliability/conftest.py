"""Fixtures of the reliability tests (helpers in relhelpers.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
# relhelpers beside this file; the data-layer helpers that build small police.uk archives
# (tests/data/datahelpers.py) are reused rather than copied
for folder in (HERE, HERE.parent / "data"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

from relhelpers import copy_data  # noqa: E402


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of data/ (raw, default, empty processed) to point PEELSTATS_DATA_DIR at."""
    return copy_data(tmp_path / "data")
