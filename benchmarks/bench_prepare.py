"""Benchmark ``prepare`` over the real police.uk archive against two baselines.

- prepare: ``peelstats.data.prepare.prepare`` (read, validate, repair, normalise, aggregate,
  write parquet atomically), archive only;
- pandas loop: ``pandas.read_csv`` per file (default engine) then ``concat``, no validation;
- pyarrow floor: ``pyarrow.csv.read_csv`` per file (default options), the raw parse alone.

All three run in one process on the same files, best of N repeats. ``--write-docs`` replaces
the "## prepare" section of docs/benchmarks.md with the results.

    python benchmarks/bench_prepare.py [--archive ../shared/data/police-uk-archive] [--repeat 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from peelstats.config import paths
from peelstats.data.prepare import prepare


def files_of(archive: Path) -> list[Path]:
    return sorted(archive.glob("*/*-stop-and-search.csv"))


def run_prepare(archive: Path) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        result = prepare(archive, out=Path(tmp) / "processed", progress=False)
    return result.records


def run_pandas(archive: Path) -> int:
    frames = [pd.read_csv(p) for p in files_of(archive)]
    return len(pd.concat(frames, ignore_index=True))


def run_pyarrow(archive: Path) -> int:
    tables = [pacsv.read_csv(p) for p in files_of(archive)]
    return sum(t.num_rows for t in tables)


def measure(fn, archive: Path, repeat: int) -> tuple[list[float], int]:
    times, rows = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        rows = fn(archive)
        times.append(time.perf_counter() - start)
    return times, rows


def section(results: dict[str, tuple[list[float], int]], n_files: int, repeat: int) -> str:
    floor = min(results["pyarrow.csv.read_csv per file (floor)"][0])
    lines = [
        "## prepare",
        "",
        f"`benchmarks/bench_prepare.py`, {dt.date.today().isoformat()}: {n_files} police.uk "
        f"files (about 75 MB), best and median of {repeat} runs in one process.",
        f"Machine: {os.cpu_count()} cores, {platform.system()} {platform.machine()}, Python "
        f"{platform.python_version()}, pandas {pd.__version__}, pyarrow {pa.__version__}.",
        "",
        "| method | rows | best (s) | median (s) | × floor |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, (times, rows) in results.items():
        lines.append(
            f"| {name} | {rows:,} | {min(times):.2f} | {statistics.median(times):.2f} | "
            f"{min(times) / floor:.1f} |"
        )
    lines += [
        "",
        "`prepare` does more than either baseline: it checks every label, date and coordinate,",
        "detects doubled months, normalises, aggregates, and writes the parquet tables",
        "(one row per record plus the aggregates). The floor is pyarrow's parse with default",
        "options (type inference, threads); the pandas loop uses pandas' default engine and",
        "infers types, with no checks.",
        "",
    ]
    return "\n".join(lines)


def write_docs(text: str) -> Path:
    path = paths().docs / "benchmarks.md"
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    lines = old.splitlines(keepends=True)
    out, skipping, replaced = [], False, False
    for line in lines:
        if line.rstrip("\n") == "## prepare":
            skipping, replaced = True, True
            out.append(text if text.endswith("\n") else text + "\n")
            continue
        if skipping and line.startswith("## "):
            skipping = False
            out.append("\n")
        if not skipping:
            out.append(line)
    if not replaced:
        body = "".join(out).rstrip("\n") + "\n\n"
        out = [body, text]
    path.write_text("".join(out).rstrip("\n") + "\n", encoding="utf-8", newline="\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive", type=Path, default=paths().shared_data / "police-uk-archive")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--write-docs", action="store_true")
    args = parser.parse_args(argv)
    if not args.archive.is_dir():
        print(f"no archive at {args.archive}: pass --archive", file=sys.stderr)
        return 2
    n_files = len(files_of(args.archive))
    runs = {
        "pyarrow.csv.read_csv per file (floor)": run_pyarrow,
        "pandas.read_csv per file + concat": run_pandas,
        "peelstats prepare (validate, normalise, write)": run_prepare,
    }
    run_pyarrow(args.archive)  # warm the file cache
    results = {name: measure(fn, args.archive, args.repeat) for name, fn in runs.items()}
    text = section(results, n_files, args.repeat)
    print(text)
    if args.write_docs:
        print(f"wrote {write_docs(text)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
