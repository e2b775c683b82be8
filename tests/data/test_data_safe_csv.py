"""CSV cells a spreadsheet would run as formulas are neutralised in every CSV prepare writes."""

from __future__ import annotations

import pandas as pd
import pytest
from datahelpers import row, write_month

from peelstats.data.load import load_searches
from peelstats.data.prepare import write_csv
from peelstats.data.safe_csv import neutralise, neutralise_frame, restore, restore_frame


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=x", "''=x"),  # already quoted: one more, so restoring is exact
        ("-", "'-"),
        ("-5", "-5"),  # a number as text is read as that number, not a formula
        ("+1.5", "+1.5"),
        ("-2e3", "-2e3"),
        ("Controlled drugs", "Controlled drugs"),
        ("", ""),
        ("'quoted", "'quoted"),
    ],
)
def test_neutralise_and_restore(value, written):
    assert neutralise(value) == written
    assert restore(written) == value


def test_numbers_and_missing_values_untouched():
    assert neutralise(-5) == -5 and neutralise(-0.5) == -0.5 and neutralise(None) is None
    df = pd.DataFrame({"n": [-5, 3], "x": [-1.5, 2.0], "b": [True, False]})
    assert neutralise_frame(df) is df


def test_frame_round_trip_keeps_categoricals():
    df = pd.DataFrame(
        {
            "t": ["=cmd", "ok", "-5"],
            "c": pd.Categorical(["@x", "y", "@x"]),
            "n": [-1, 2, 3],
        }
    )
    out = neutralise_frame(df)
    assert out["t"].tolist() == ["'=cmd", "ok", "-5"]
    assert out["c"].tolist() == ["'@x", "y", "'@x"]
    assert isinstance(out["c"].dtype, pd.CategoricalDtype)
    assert out["n"].tolist() == [-1, 2, 3]
    assert df["t"].tolist() == ["=cmd", "ok", "-5"]  # the input is not changed
    back = restore_frame(out)
    assert back["t"].tolist() == df["t"].tolist() and back["c"].tolist() == df["c"].tolist()


def test_write_csv_neutralises(tmp_path):
    df = pd.DataFrame({"label": ["=1+1", "-7", "fine"], "count": [-5, 1, 2]})
    write_csv(df, tmp_path / "t.csv")
    assert (tmp_path / "t.csv").read_text() == "label,count\n'=1+1,-5\n-7,1\nfine,2\n"


def test_prepared_default_tables_are_safe_and_load_back(tmp_path, monkeypatch):
    """A hostile free-text label in a police.uk file ends up neutralised in the default CSVs,
    and the loader gives back the label as published."""
    archive = tmp_path / "archive"
    hostile = "=2+5+cmd|' /C calc'!A0"
    write_month(archive, "2019-01", "durham", [row(), row(Object_of_search=hostile)])
    out = tmp_path / "out"
    from peelstats.data.prepare import aggregate_searches, read_archive

    data = read_archive(archive, progress=False)
    out.mkdir()
    write_csv(aggregate_searches(data.records), out / "searches.csv.gz")
    import gzip

    text = gzip.decompress((out / "searches.csv.gz").read_bytes()).decode()
    assert "'=2+5+cmd" in text
    assert not any(line.split(",")[7].startswith("=") for line in text.splitlines()[1:])
    loaded = load_searches(out)
    assert hostile in set(loaded["object_of_search"])


def test_every_to_csv_in_the_data_layer_goes_through_write_csv():
    """The data layer writes CSV only through write_csv, which writes safe_csv.csv_text (the
    one place that calls ``to_csv``, after neutralising)."""
    import re
    from pathlib import Path

    import peelstats.data as package

    for path in Path(package.__file__).parent.glob("*.py"):
        text = path.read_text()
        calls = re.findall(r"\.to_csv\(", text)
        if path.name == "safe_csv.py":
            assert len(calls) == 2 and "df = neutralise_frame(df)" in text
        elif path.name == "prepare.py":
            assert not calls and "text = csv_text(df, " in text
        else:
            assert not calls, path.name


@pytest.mark.parametrize("label", ["a\rb", "\r", "a\r\nb", 'say "\r"', "=x\ry"])
def test_a_carriage_return_inside_a_text_is_quoted_and_reads_back(tmp_path, label):
    """With LF line endings the csv module does not quote a lone CR, and a reader ends the
    record there: the row would split and its columns shift."""
    df = pd.DataFrame({"label": [label, "fine"], "count": [-5, 1.5]})
    write_csv(df, tmp_path / "t.csv")
    text = (tmp_path / "t.csv").read_bytes().decode("utf-8")
    assert text.startswith("label,count\n") and text.endswith('",-5.000000\nfine,1.500000\n')
    back = restore_frame(pd.read_csv(tmp_path / "t.csv"))
    assert back["label"].tolist() == [label, "fine"] and back["count"].tolist() == [-5, 1.5]
