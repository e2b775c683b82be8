"""Benchmark ``prepare`` of a national archive against pyarrow's parse of the same files.

Run:  .venv/bin/python benchmarks/bench_prepare.py [--repeat 5] [--data ../shared/data]

The real archive holds 16 forces, so the script builds a **national archive** in a temporary
folder: each of the 43 territorial forces of the registry (sorted by id) carries, in turn, one
of the 16 real forces' monthly files, copied unchanged under its own name (the first 11 real
forces serve three ids each, the last 5 two), with the months and gaps each real force has.
Beside it ``prepare`` reads the real Census 2021 tables and Home Office crime outcomes, as
``make default-data`` does. Measured in the same run, each in a fresh Python process (imports
paid before the clock starts), alternating, ``--repeat`` times:

1. **the floor**: ``pyarrow.csv.read_csv`` with default options (type inference, threads) of
   every file ``prepare`` reads (the archive's monthly files, the two Census tables and the
   gzipped outcomes file), one call per file, the tables kept;
2. **prepare**: ``peelstats.data.prepare.prepare(archive, census, outcomes, out=...)``: read,
   check, repair and normalise the archive, build the populations and outcomes tables, compare
   with the last prepare and write the parquet tables, the coverage and the manifest
   atomically (fsync) into a fresh folder;
3. **pandas loop** (reference only): ``pandas.read_csv`` of the archive's monthly files with the
   default engine, then ``concat``; no checks;
4. with ``--baseline DIR``: the same ``prepare`` imported from another checkout of the project
   (``git worktree add DIR <commit>``), so that an earlier version is timed in the same rounds,
   under the same load, as this one and the floor.

Reports the median and range of the wall times, the median CPU time (user + system, all
threads: the floor parses on pyarrow's thread pool, prepare parses its files on one thread per
core), the ratio prepare / floor (of the medians, and the median of the per-round ratios:
each round runs both back to back, so the ratio is less noisy than either time on a shared
machine), each process's peak resident memory (``ru_maxrss``, the largest over the rounds,
imports included), and the machine's load average before and after the rounds (how shared it
was). Prints Markdown; the figures are kept in docs/benchmarks.md. Not a test: nothing is
asserted about speed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUTCOMES = "home-office-outcomes/crime-outcomes-2017-18.csv.gz"
_NAME = "-stop-and-search.csv"

#: each child prints {"seconds": wall time of the work, "cpu": its CPU time (user + system, all
#: threads), "rows": ..., "peak": ru_maxrss bytes}
_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
kind, archive, census, outcomes, out = sys.argv[1:6]
archive, census, outcomes = Path(archive), Path(census), Path(outcomes)
months = sorted(archive.glob("*/*-stop-and-search.csv"))
if kind == "floor":
    import pyarrow.csv as pacsv
    files = [*months, *sorted(census.glob("*.csv")), outcomes]
    c0, t0 = cpu(), time.perf_counter()
    tables = [pacsv.read_csv(p) for p in files]
    seconds, cpu_seconds = time.perf_counter() - t0, cpu() - c0
    rows = sum(t.num_rows for t in tables[: len(months)])
elif kind == "pandas":
    import pandas as pd
    c0, t0 = cpu(), time.perf_counter()
    frame = pd.concat([pd.read_csv(p) for p in months], ignore_index=True)
    seconds, cpu_seconds = time.perf_counter() - t0, cpu() - c0
    rows = len(frame)
else:
    from peelstats.data.prepare import prepare
    c0, t0 = cpu(), time.perf_counter()
    result = prepare(archive, census, outcomes, out=Path(out), progress=False)
    seconds, cpu_seconds = time.perf_counter() - t0, cpu() - c0
    rows = result.records
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": seconds, "cpu": cpu_seconds, "rows": rows, "peak": peak}))
"""

KINDS = {
    "floor": "pyarrow.csv.read_csv per file, same files (floor)",
    "baseline": "peelstats prepare, baseline checkout",
    "prepare": "peelstats prepare (check, repair, normalise, outcomes, write)",
    "pandas": "pandas.read_csv per monthly file + concat (no checks)",
}


def national_archive(real: Path, dest: Path) -> tuple[int, int]:
    """The 43 territorial forces, each carrying one real force's files; (files, forces)."""
    from peelstats.data.forces import all_forces

    by_force: dict[str, list[Path]] = {}
    for path in sorted(real.glob(f"*/*{_NAME}")):
        force = path.name[len("YYYY-MM-") : -len(_NAME)]
        by_force.setdefault(force, []).append(path)
    sources = sorted(by_force)
    ids = [f.id for f in all_forces(territorial_only=True)]
    n = 0
    for i, force in enumerate(ids):
        for path in by_force[sources[i % len(sources)]]:
            month = path.parent.name
            (dest / month).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest / month / f"{month}-{force}{_NAME}")
            n += 1
    return n, len(ids)


def run(
    kind: str, archive: Path, census: Path, outcomes: Path, out: Path, tree: Path = REPO
) -> dict:
    """One measurement in a fresh process, importing peelstats from ``tree``."""
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, kind, str(archive), str(census), str(outcomes), str(out)],
        cwd=tree,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"{kind} failed:\n{proc.stderr[-3000:]}")
    shutil.rmtree(out, ignore_errors=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _commit(tree: Path) -> str:
    proc = subprocess.run(
        ["git", "-C", str(tree), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    return proc.stdout.strip() or "?"


def report(
    results: dict[str, list[dict]],
    n_files: int,
    n_forces: int,
    size: int,
    names: dict[str, str],
    load: tuple[float, float],
) -> str:
    floor = [r["seconds"] for r in results["floor"]]
    rounds = len(floor)
    lines = [
        f"Measured {dt.date.today().isoformat()}: national archive of {n_files:,} files "
        f"({n_forces} forces, {size / 2**20:.0f} MB, {results['prepare'][0]['rows']:,} "
        f"records), {rounds} rounds. Machine: {os.cpu_count()} cores, {platform.system()} "
        f"{platform.machine()}, Python {platform.python_version()}; load average (1 min) "
        f"{load[0]:.1f} before the rounds, {load[1]:.1f} after.",
        "",
        "| method | median (s) | range (s) | CPU, median (s) | peak memory (MB) |",
        "|---|---:|---:|---:|---:|",
    ]
    for kind, name in names.items():
        if kind not in results:
            continue
        times = [r["seconds"] for r in results[kind]]
        cpu = statistics.median(r["cpu"] for r in results[kind])
        peak = max(r["peak"] for r in results[kind]) / 2**20
        lines.append(
            f"| {name} | {statistics.median(times):.2f} | {min(times):.2f}-{max(times):.2f} | "
            f"{cpu:.2f} | {peak:,.0f} |"
        )
    lines.append("")
    for kind in ("baseline", "prepare"):
        if kind not in results:
            continue
        times = [r["seconds"] for r in results[kind]]
        ratios = [t / f for t, f in zip(times, floor, strict=True)]
        label = "prepare" if kind == "prepare" else "baseline prepare"
        lines.append(
            f"Ratio {label} / floor: {statistics.median(times) / statistics.median(floor):.1f} "
            f"(medians); per round: median {statistics.median(ratios):.1f}, range "
            f"{min(ratios):.1f}-{max(ratios):.1f}."
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from peelstats.config import paths

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=paths().shared_data)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas loop")
    parser.add_argument(
        "--baseline", type=Path, help="another checkout whose prepare is timed in the same rounds"
    )
    args = parser.parse_args(argv)
    real = args.data / "police-uk-archive"
    census = args.data / "census-2021"
    outcomes = args.data / OUTCOMES
    if not (real.is_dir() and census.is_dir() and outcomes.is_file()):
        print(f"no real data under {args.data}: pass --data", file=sys.stderr)
        return 2
    names = dict(KINDS)
    trees = {kind: REPO for kind in KINDS}
    if args.baseline is not None:
        trees["baseline"] = args.baseline.resolve()
        names["baseline"] = f"peelstats prepare, baseline checkout {_commit(args.baseline)}"
        names["prepare"] = f"{KINDS['prepare']}, this checkout {_commit(REPO)}"
    kinds = [
        k
        for k in KINDS
        if not (k == "pandas" and args.no_pandas) and not (k == "baseline" and not args.baseline)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        archive = Path(tmp) / "police-uk-archive"
        n_files, n_forces = national_archive(real, archive)
        size = sum(p.stat().st_size for p in archive.glob(f"*/*{_NAME}"))
        out = Path(tmp) / "processed"
        run("floor", archive, census, outcomes, out)  # warm the file cache
        load_before = os.getloadavg()[0]
        results: dict[str, list[dict]] = {k: [] for k in kinds}
        for _ in range(args.repeat):
            for kind in kinds:
                child = "prepare" if kind == "baseline" else kind
                results[kind].append(run(child, archive, census, outcomes, out, trees[kind]))
    load = (load_before, os.getloadavg()[0])
    print(report(results, n_files, n_forces, size, names, load))
    return 0


if __name__ == "__main__":
    sys.exit(main())
