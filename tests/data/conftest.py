"""Fixtures of the data-layer tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from datahelpers import row, write_month


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """An empty PEELSTATS_DATA_DIR so nothing touches the project's data folder."""
    folder = tmp_path / "data"
    (folder / "processed").mkdir(parents=True)
    monkeypatch.setenv("PEELSTATS_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def archive(tmp_path) -> Path:
    """A valid two-force, two-month archive."""
    root = tmp_path / "archive"
    write_month(root, "2019-01", "durham", [row(), row(Outcome="Arrest")])
    write_month(root, "2019-02", "durham", [row(Date="2019-02-03T10:00:00+00:00")])
    write_month(root, "2019-01", "cleveland", [row(), row(), row()])
    return root
