"""Shared fixtures.

Tests that need the real source data (../shared/data) or a browser skip with a stated reason
when it is absent on a user's machine. Under CI (CI=true) a missing resource is a failure,
not a skip, so CI proves what it claims to.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from peelstats.config import paths

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, reason: str) -> None:
    """Skip (or, under CI, fail) when a test's outside resource is missing."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI must run this test but: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The folder of real police.uk, Census and Home Office files, or skip with the reason."""
    folder = paths().shared_data
    require(
        (folder / "SHA256SUMS").is_file(),
        f"the real source data is not at {folder} (set PEELSTATS_SHARED_DATA to use it)",
    )
    return folder


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of a headless-capable Chromium, or skip with the reason."""
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    require(exe is not None, "no Chromium on PATH (Debian package 'chromium')")
    return exe
