"""The committed notebooks carry their outputs: nbval compares a re-run with what is committed,
so a notebook committed without outputs would pass nbval whatever it computes."""

from __future__ import annotations

import nbformat
import pytest

from peelstats.config import paths
from peelstats.run.notebooks import notebooks


@pytest.mark.parametrize("spec", notebooks(), ids=lambda s: s.name)
def test_every_presenting_cell_is_committed_with_its_outputs(spec):
    notebook = nbformat.read(paths().notebooks / f"{spec.name}.ipynb", as_version=4)
    presenting = [
        c
        for c in notebook.cells
        if c.cell_type == "code" and ("present." in c.source or "sections.run(" in c.source)
    ]
    assert presenting, f"{spec.name}: no cell presents a result"
    empty = [c.source.splitlines()[0] for c in presenting if not c.get("outputs")]
    assert not empty, f"{spec.name}: committed without outputs: {empty} (run make notebooks)"
