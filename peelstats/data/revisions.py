"""What ``prepare`` read, file by file, and what changed since the last ``prepare``.

police.uk revises months after first publishing them (a blank ``Outcome`` later becomes
``Arrest``, records are added or withdrawn). ``prepare`` writes a **manifest** (one row per
force x month file read: its sha256 and summary counts) beside the tables. When the output
folder already holds a manifest from an earlier run, the new manifest is compared with it and
the **revisions** are written: one row per force x month that was added, removed or whose file
changed, with the counts before and after and a short summary.

Counts are per month and net: records carry no id, so a record that was withdrawn and another
that was added cancel out in ``records``; the file hash still marks the month as revised.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from peelstats.data.archive import _NAME as _FILE_NAME
from peelstats.data.inputs import decode, read_input_bytes
from peelstats.data.tables import DEFAULT_FILES, MANIFEST_FILE, table_file
from peelstats.errors import InputFileError

OUTCOME_CLASSES = ["arrest", "other_action", "no_further_action", "unknown"]
#: counts compared between two manifests, in summary order
COUNTS = ["records", "records_after_repair", "blank_outcome"] + [
    f"searches_{c}" for c in OUTCOME_CLASSES
]
MANIFEST_DTYPES: dict[str, str] = {
    "force": "str",
    "month": "str",
    "file": "str",
    "sha256": "str",
    "records": "int64",
    "records_after_repair": "int64",
    "doubled": "bool",
    "blank_outcome": "int64",
    **{f"searches_{c}": "int64" for c in OUTCOME_CLASSES},
}
MANIFEST_COLUMNS = list(MANIFEST_DTYPES)
REVISIONS_DTYPES: dict[str, str] = {
    "force": "str",
    "month": "str",
    "change": "str",
    "records_before": "Int64",
    "records_after": "Int64",
    "blank_outcome_before": "Int64",
    "blank_outcome_after": "Int64",
    **{f"{c}_change": "int64" for c in OUTCOME_CLASSES},
    "sha256_before": "str",
    "sha256_after": "str",
    "summary": "str",
}
REVISIONS_COLUMNS = list(REVISIONS_DTYPES)
CHANGES = ("added", "removed", "revised")
_BOOL = {"True": True, "False": False}


def build_manifest(
    records: pd.DataFrame, coverage: pd.DataFrame, files: pd.DataFrame
) -> pd.DataFrame:
    """One row per file read (columns :data:`MANIFEST_COLUMNS`), sorted by force and month.

    ``records`` and ``coverage`` are those of :class:`~peelstats.data.prepare.ArchiveData`;
    ``files`` has force, month, file (path inside the archive) and sha256. Counts after the
    repair of doubled months except ``records`` (as published).
    """
    present = coverage.loc[
        coverage["file_present"], ["force", "month", "records", "records_after_repair", "doubled"]
    ]
    out = files[["force", "month", "file", "sha256"]].merge(
        present, on=["force", "month"], how="left", validate="one_to_one"
    )
    keys = [records["force"], records["month"]]
    blank = (records["outcome"] == "").groupby(keys, observed=True).sum().rename("blank_outcome")
    by_class = (
        records.groupby([*keys, records["outcome_class"]], observed=True)
        .size()
        .unstack("outcome_class")
        .reindex(columns=OUTCOME_CLASSES)
        .add_prefix("searches_")
    )
    counts = pd.concat([blank, by_class], axis=1)
    counts.index = counts.index.set_names(["force", "month"])
    out = out.merge(counts.reset_index(), on=["force", "month"], how="left")
    for column, dtype in MANIFEST_DTYPES.items():
        if dtype == "int64":
            out[column] = out[column].fillna(0).astype("int64")
    out["doubled"] = out["doubled"].astype(bool)
    return out[MANIFEST_COLUMNS].sort_values(["force", "month"]).reset_index(drop=True)


def _table_bytes(path: Path) -> io.BytesIO:
    """A table peelstats wrote (decompressed when it ends in ``.gz``), checked to be UTF-8: a
    byte that is not is named by row and column, as in every input."""
    data = read_input_bytes(path, str(path))
    decode(data, str(path))
    return io.BytesIO(data)


def read_manifest(path: Path) -> pd.DataFrame | None:
    """The manifest at ``path``, or None when there is none (nothing to compare with)."""
    if not path.is_file():
        return None
    try:
        df = pd.read_csv(
            _table_bytes(path),
            dtype={c: t for c, t in MANIFEST_DTYPES.items() if t != "bool"},
            converters={"doubled": _BOOL.__getitem__},
            keep_default_na=False,
        )
    except (ValueError, KeyError, pd.errors.ParserError) as exc:
        raise InputFileError(
            str(path),
            f"the manifest of the previous prepare cannot be read ({exc}); delete it to prepare "
            "without comparing",
            expected=", ".join(MANIFEST_COLUMNS),
        ) from None
    missing = [c for c in MANIFEST_COLUMNS if c not in df.columns]
    if missing:
        raise InputFileError(
            str(path),
            "missing column in the manifest of the previous prepare; delete it to prepare "
            "without comparing",
            column=missing[0],
            expected=", ".join(MANIFEST_COLUMNS),
        )
    return df[MANIFEST_COLUMNS].astype(MANIFEST_DTYPES)


def previous_manifest(folder: Path) -> pd.DataFrame | None:
    """The manifest of the last ``prepare`` into ``folder``: its ``manifest.csv``, else one
    rebuilt from default data (:func:`manifest_from_default`); None when neither is there."""
    manifest = read_manifest(folder / MANIFEST_FILE)
    return manifest if manifest is not None else manifest_from_default(folder)


_SHA_LINE = re.compile(r"^([0-9a-f]{64})  (.+)$")


def manifest_from_default(folder: Path) -> pd.DataFrame | None:
    """The manifest of committed default data (``prepare --default``), rebuilt from its tables.

    The default folder holds no manifest (its files stay as they were); the counts are taken
    from ``coverage.csv`` and ``searches.csv.gz`` and the file hashes from ``PROVENANCE.md``
    (blank when the archive was a zip, and then months are compared by their counts). None when
    the folder has no default tables.
    """
    coverage_csv = table_file(folder, DEFAULT_FILES["coverage"])
    searches_csv = table_file(folder, DEFAULT_FILES["searches"])
    if not (coverage_csv.is_file() and searches_csv.is_file()):
        return None
    try:
        cov = pd.read_csv(
            _table_bytes(coverage_csv),
            dtype={"force": str, "month": str},
            keep_default_na=False,
            na_values={"blank_outcome_share": [""]},
        )
        cov = cov[cov["file_present"].astype(str) == "True"]
        searches = pd.read_csv(
            _table_bytes(searches_csv),
            usecols=["force", "month", "outcome_class", "searches"],
            dtype={"force": str, "month": str, "outcome_class": str, "searches": "int64"},
            keep_default_na=False,
        )
        after = cov["records_after_repair"].astype("int64")
        out = pd.DataFrame(
            {
                "force": cov["force"],
                "month": cov["month"],
                "records": cov["records"].astype("int64"),
                "records_after_repair": after,
                "doubled": cov["doubled"].astype(str) == "True",
                "blank_outcome": (cov["blank_outcome_share"].fillna(0.0) * after)
                .round()
                .astype("int64"),
            }
        )
    except (ValueError, KeyError, pd.errors.ParserError) as exc:
        raise InputFileError(
            str(folder), f"the previous default data cannot be read to compare with ({exc})"
        ) from None
    by_class = (
        searches.groupby(["force", "month", "outcome_class"])["searches"]
        .sum()
        .unstack("outcome_class")
        .reindex(columns=OUTCOME_CLASSES)
        .add_prefix("searches_")
        .reset_index()
    )
    out = out.merge(by_class, on=["force", "month"], how="left")
    hashes: dict[tuple[str, str], tuple[str, str]] = {}
    provenance = folder / "PROVENANCE.md"
    if provenance.is_file():
        text = decode(read_input_bytes(provenance, str(provenance)), str(provenance), table=False)
        for line in text.splitlines():
            m = _SHA_LINE.match(line)
            name = _FILE_NAME.search(m.group(2)) if m else None
            if name:
                rel = m.group(2).split("/", 1)[1] if "/" in m.group(2) else m.group(2)
                hashes[name.group(2), name.group(3)] = (rel, m.group(1))
    keys = list(zip(out["month"], out["force"], strict=True))
    out["file"] = [
        hashes.get(k, (f"{k[0]}/{k[0]}-{k[1]}-stop-and-search.csv", ""))[0] for k in keys
    ]
    out["sha256"] = [hashes.get(k, ("", ""))[1] for k in keys]
    for column, dtype in MANIFEST_DTYPES.items():
        if dtype == "int64":
            out[column] = out[column].fillna(0).astype("int64")
    out = out[MANIFEST_COLUMNS].astype(MANIFEST_DTYPES)
    return out.sort_values(["force", "month"]).reset_index(drop=True)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _summary(row: pd.Series) -> str:
    if row["change"] == "added":
        return f"new month, {_plural(int(row['records_after']), 'record')}"
    if row["change"] == "removed":
        return f"month withdrawn, had {_plural(int(row['records_before']), 'record')}"
    parts = []
    filled = int(row["blank_outcome_before"]) - int(row["blank_outcome_after"])
    if filled > 0:
        parts.append(f"{_plural(filled, 'outcome')} filled in")
    elif filled < 0:
        parts.append(f"{-filled} more blank {'outcome' if filled == -1 else 'outcomes'}")
    added = int(row["records_after"]) - int(row["records_before"])
    if added > 0:
        parts.append(f"{_plural(added, 'record')} added")
    elif added < 0:
        parts.append(f"{_plural(-added, 'record')} removed")
    if row["doubled_before"] != row["doubled_after"]:
        parts.append("now doubled (halved)" if row["doubled_after"] else "no longer doubled")
    classes = [
        f"{c} {int(row[f'{c}_change']):+d}" for c in OUTCOME_CLASSES if row[f"{c}_change"] != 0
    ]
    text = ", ".join(parts) if parts else "file changed, counts unchanged"
    if classes:
        text += f"; {', '.join(classes)}"
    return text


def compare(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Revisions between two manifests (columns :data:`REVISIONS_COLUMNS`).

    A force x month only in ``after`` is ``added``, only in ``before`` ``removed``; in both with
    a different sha256 ``revised`` (where a hash is unknown: with different counts). Unchanged
    months have no row. ``*_before``/``*_after`` counts are blank where the month did not
    exist; ``<class>_change`` is the change in searches (after repair) with that outcome class.
    """
    merged = before.merge(
        after, on=["force", "month"], how="outer", suffixes=("_before", "_after"), indicator=True
    )
    change = pd.Series(
        np.select(
            [merged["_merge"] == "right_only", merged["_merge"] == "left_only"],
            ["added", "removed"],
            "revised",
        ),
        index=merged.index,
    )
    hashed = (merged["sha256_before"].fillna("") != "") & (merged["sha256_after"].fillna("") != "")
    same_counts = np.logical_and.reduce(
        [(merged[f"{c}_before"] == merged[f"{c}_after"]).to_numpy() for c in COUNTS]
    )
    same = (merged["_merge"] == "both").to_numpy() & np.where(
        hashed, (merged["sha256_before"] == merged["sha256_after"]).to_numpy(), same_counts
    )
    merged = merged.assign(change=change)[~same]
    out = pd.DataFrame({"force": merged["force"], "month": merged["month"]})
    out["change"] = merged["change"]
    for column in ("records", "blank_outcome"):
        for side in ("before", "after"):
            out[f"{column}_{side}"] = merged[f"{column}_{side}"].astype("Int64")
    for c in OUTCOME_CLASSES:
        out[f"{c}_change"] = (
            merged[f"searches_{c}_after"].fillna(0) - merged[f"searches_{c}_before"].fillna(0)
        ).astype("int64")
    for side in ("before", "after"):
        out[f"sha256_{side}"] = merged[f"sha256_{side}"].fillna("").astype(str)
    if len(out):
        flags = merged[["doubled_before", "doubled_after"]].fillna(False).astype(bool)
        out["summary"] = pd.concat([out, flags], axis=1).apply(_summary, axis=1)
    else:
        out["summary"] = pd.Series(dtype="str")
    out = out.sort_values(["force", "month"]).reset_index(drop=True)
    return out[REVISIONS_COLUMNS].astype(REVISIONS_DTYPES)


def read_revisions(path: Path) -> pd.DataFrame:
    """A revisions table written by ``prepare``."""
    ints = [c for c, t in REVISIONS_DTYPES.items() if t in ("int64", "Int64")]
    try:
        df = pd.read_csv(
            _table_bytes(path),
            dtype={c: "str" for c in REVISIONS_COLUMNS if c not in ints},
            keep_default_na=False,
            na_values={c: [""] for c in ints},
        )
    except pd.errors.EmptyDataError:
        raise InputFileError(
            str(path), "the file is empty", expected=", ".join(REVISIONS_COLUMNS)
        ) from None
    except (ValueError, OverflowError, pd.errors.ParserError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise InputFileError(
            str(path),
            f"cannot be read as a revisions table: {first}",
            expected=", ".join(REVISIONS_COLUMNS),
        ) from None
    missing = [c for c in REVISIONS_COLUMNS if c not in df.columns]
    if missing:
        raise InputFileError(
            str(path), "missing column", column=missing[0], expected=", ".join(REVISIONS_COLUMNS)
        )
    return df[REVISIONS_COLUMNS].astype(REVISIONS_DTYPES)


def one_line(revisions: pd.DataFrame | None, file: Path | None = None, *, limit: int = 5) -> str:
    """A one-line account of the revisions for the CLI (``file``: where they were written)."""
    if revisions is None:
        return "revisions: nothing to compare with (no earlier prepare in the output folder)"
    if revisions.empty:
        return "revisions: no month added, removed or revised since the last prepare"
    counts = revisions["change"].value_counts()
    order = [c for c in ("revised", "added", "removed") if c in counts]
    head = ", ".join(f"{counts[c]} {c}" for c in order[1:])
    first = order[0]
    n = int(counts[first])
    lead = f"{_plural(n, 'month')} {first}"
    if head:
        lead += f", {head}"
    ranked = revisions.assign(_o=revisions["change"].map({c: i for i, c in enumerate(order)}))
    ranked = ranked.sort_values(["_o", "force", "month"], kind="stable")
    items = [f"{r.force} {r.month} ({r.summary})" for r in ranked.head(limit).itertuples()]
    more = len(ranked) - limit
    tail = f", and {more} more" if more > 0 else ""
    if file is not None:
        tail += f" (see {file})"
    return f"{lead} since the last prepare: {', '.join(items)}{tail}"
