"""Back-tests against the real archive in ../shared/data (skipped when it is absent)."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from peelstats.data.prepare import aggregate_searches, prepare, read_archive

pytestmark = [pytest.mark.shared, pytest.mark.slow]


@pytest.fixture(scope="module")
def real(shared_data):
    return read_archive(shared_data / "police-uk-archive", progress=False)


def recount(path: Path) -> dict[str, object]:
    """Independent count of one file with the csv module."""
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    n = len(rows)
    multiplicity = Counter(tuple(r.values()) for r in rows)
    doubled = n > 0 and all(v % 2 == 0 for v in multiplicity.values())
    after = n // 2 if doubled else n
    return {
        "records": n,
        "records_after_repair": after,
        "doubled": doubled,
        "blank_outcome": sum(r["Outcome"] == "" for r in rows),
        "blank_linked": sum(r["Outcome linked to object of search"] == "" for r in rows),
        "linked_inconsistent": sum(
            r["Outcome linked to object of search"] == "True"
            and r["Outcome"]
            in ("A no further action disposal", "Nothing found - no further action")
            for r in rows
        ),
    }


def test_coverage_matches_raw_files(real, shared_data):
    root = shared_data / "police-uk-archive"
    files = {
        (p.parent.name, p.name[8:].removesuffix("-stop-and-search.csv")): p
        for p in root.glob("*/*-stop-and-search.csv")
    }
    assert len(files) == 551
    cov = real.coverage.set_index(["force", "month"])
    assert int(cov["file_present"].sum()) == 551
    searches = aggregate_searches(real.records)
    recorded = searches[searches["linked_recorded"]].groupby(["force", "month"])["searches"].sum()
    for (month, force), path in files.items():
        expected = recount(path)
        got = cov.loc[(force, month)]
        assert got["records"] == expected["records"], (force, month)
        assert got["records_after_repair"] == expected["records_after_repair"], (force, month)
        assert bool(got["doubled"]) == expected["doubled"], (force, month)
        assert got["linked_inconsistent"] == expected["linked_inconsistent"], (force, month)
        assert got["blank_outcome_share"] == pytest.approx(
            expected["blank_outcome"] / expected["records"]
        )
        assert got["blank_linked_share"] == pytest.approx(
            expected["blank_linked"] / expected["records"]
        ), (force, month)
        linked_recorded = expected["records"] - expected["blank_linked"]
        if expected["doubled"]:
            linked_recorded //= 2
        assert recorded.get((force, month), 0) == linked_recorded, (force, month)
    assert int(cov["records"].sum()) == sum(recount(p)["records"] for p in files.values())


def test_missing_months_match_readme(real):
    cov = real.coverage
    missing = cov.loc[cov["missing"], ["force", "month"]].values.tolist()
    expected = [["cumbria", "2021-04"]] + [["west-midlands", f"2021-{m:02d}"] for m in range(4, 12)]
    assert missing == expected
    assert cov["force"].nunique() == 16 and cov["month"].nunique() == 35


def test_durham_yearly_records(real):
    cov = real.coverage
    durham = cov[cov["force"] == "durham"]
    assert durham.loc[durham["month"].str.startswith("2019"), "records"].sum() == 2171
    assert durham.loc[durham["month"].str.startswith("2020"), "records"].sum() == 2410


def test_default_data_rebuilds_byte_for_byte(shared_data, tmp_path):
    committed = Path(__file__).resolve().parents[2] / "data" / "default"
    out = tmp_path / "default"
    prepare(
        shared_data / "police-uk-archive",
        shared_data / "census-2021",
        shared_data / "home-office-outcomes" / "crime-outcomes-2017-18.csv.gz",
        out,
        default=True,
        progress=False,
        use_of_force=shared_data / "home-office-use-of-force",
    )
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(p.name for p in committed.iterdir())
    for name in names:
        assert (out / name).read_bytes() == (committed / name).read_bytes(), name


def test_provenance_hashes_match_sha256sums(shared_data):
    committed = Path(__file__).resolve().parents[2] / "data" / "default" / "PROVENANCE.md"
    text = committed.read_text(encoding="utf-8")
    sums = {}
    for line in (shared_data / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        sums[name.removeprefix("./")] = digest
    listed = [ln.split("  ") for ln in text.splitlines() if len(ln) > 66 and ln[64:66] == "  "]
    assert len(listed) == 551 + 3 + 2  # archive files, census, outcomes, use of force
    for digest, name in listed:
        assert sums[name] == digest, name
    assert "Open Government Licence v3.0" in text
