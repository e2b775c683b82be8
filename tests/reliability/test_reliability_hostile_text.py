"""Text from data that would be a formula in a spreadsheet, or that XML cannot hold, reaches
every output of a run safely.

One module fixture gives Durham an audit group labelled ``=HYPERLINK(...)``, an audit category
and source with control characters (an escape sequence, a vertical tab, NUL) and an object of
search with control characters in its searches table, and runs ``peelstats run`` with the
Panel paper. The run succeeds with every output written; no CSV cell and no spreadsheet cell
is a formula; report.docx, estimates.xlsx and the charts hold the labels with U+FFFD in place
of each control character.
"""

from __future__ import annotations

import csv
import gzip
import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from relhelpers import PERIOD, copy_data, peelstats, run_env

from peelstats.data.safe_csv import needs_quote

pytestmark = pytest.mark.slow

FORMULA = '=HYPERLINK("http://x.example/","click")'
CONTROL = "sexual\x0boffences \x1b[31m\x00"
SHOWN = "sexual\ufffdoffences \ufffd[31m\ufffd"
OBJECT = "Controlled\x0bdrugs\x01"
OBJECT_SHOWN = "Controlled\ufffddrugs\ufffd"


def _relabel(path: Path, column: str, old: str, new: str) -> None:
    raw = path.read_bytes()
    text = (gzip.decompress(raw) if path.suffix == ".gz" else raw).decode("utf-8")
    table = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert (table[column] == old).any(), (path, column, old)
    table.loc[table[column] == old, column] = new
    out = table.to_csv(index=False, lineterminator="\n").encode("utf-8")
    path.write_bytes(gzip.compress(out, mtime=0) if path.suffix == ".gz" else out)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-text")
    data = copy_data(root / "data")
    audits = data / "raw" / "audits"
    _relabel(audits / "reasonable_grounds.csv", "group", "ethnic minority", FORMULA)
    _relabel(audits / "crime_data_integrity.csv", "category", "sexual offences", CONTROL)
    _relabel(data / "default" / "searches.csv.gz", "object_of_search", "Controlled drugs", OBJECT)
    out = root / "outputs"
    proc = peelstats("run", "--force", "durham", "--period", PERIOD, "--out", str(out),
                     env=run_env(data))  # fmt: skip
    return proc, out / PERIOD / "durham"


def test_the_run_succeeds_with_every_output(run):
    proc, folder = run
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "not written" not in proc.stderr, proc.stderr
    for name in ("report.html", "report.docx", "estimates.xlsx", "tables/estimates.csv"):
        assert (folder / name).is_file(), name


def test_no_csv_cell_is_a_formula(run):
    _, folder = run
    for path in sorted((folder / "tables").glob("*.csv")):
        with open(path, newline="", encoding="utf-8") as fh:
            cells = [cell for row in csv.reader(fh) for cell in row]
        live = [c for c in cells if needs_quote(c) and not c.startswith("'")]
        assert not live, (path.name, live)
    estimates = (folder / "tables" / "estimates.csv").read_text(encoding="utf-8")
    assert '"\'=HYPERLINK(""http://x.example/"",""click""), 2022 records"' in estimates


def test_no_spreadsheet_cell_is_a_formula_and_control_characters_are_replaced(run):
    from openpyxl import load_workbook

    _, folder = run
    with zipfile.ZipFile(folder / "estimates.xlsx") as z:
        sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in s for s in sheets)
    book = load_workbook(folder / "estimates.xlsx")
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert f"'{FORMULA}, 2022 records" in texts
    assert any(SHOWN in t for t in texts)


def test_word_paper_holds_the_labels(run):
    from docx import Document

    _, folder = run
    document = Document(str(folder / "report.docx"))
    texts = [p.text for p in document.paragraphs] + [
        c.text for t in document.tables for r in t.rows for c in r.cells
    ]
    assert any(FORMULA in t for t in texts)
    assert any(SHOWN in t for t in texts)
    assert any(OBJECT_SHOWN in t for t in texts)


def test_charts_hold_the_object_of_search(run):
    import xml.dom.minidom

    _, folder = run
    svg = (folder / "charts" / "object_share.svg").read_text(encoding="utf-8")
    xml.dom.minidom.parseString(svg)
    assert OBJECT_SHOWN in svg
