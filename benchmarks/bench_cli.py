"""Benchmark the command line's quick answers beside their floor, in one run.

Run:  .venv/bin/python benchmarks/bench_cli.py [--repeats 9] [--baseline OTHER_CHECKOUT]

Each command is started afresh ``--repeats`` times, alternating with the others, and its wall
and CPU seconds (the child's user + system time) are taken; the table gives the medians:

- ``peelstats --help`` and ``peelstats forces`` (the default data);
- the floor: ``python -c "import click"``, an interpreter that starts and loads the command-line
  library and nothing else;
- with ``--baseline``: the same two commands from another checkout of peelstats (its package on
  PYTHONPATH, the same libraries).

Not a test: nothing is asserted about speed.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def timed(cmd: list[str], env: dict, cwd: Path) -> tuple[float, float]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=cwd, check=True, capture_output=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--baseline", type=Path, default=None)
    args = parser.parse_args()
    env = dict(os.environ)
    runs = {
        "floor: python -c 'import click'": ([sys.executable, "-c", "import click"], env, REPO),
        "peelstats --help": ([sys.executable, "-m", "peelstats", "--help"], env, REPO),
        "peelstats forces": ([sys.executable, "-m", "peelstats", "forces"], env, REPO),
    }
    if args.baseline is not None:
        base = args.baseline.resolve()
        base_env = {**env, "PYTHONPATH": str(base)}
        for what in ("--help", "forces"):
            runs[f"baseline ({base.name}): peelstats {what}"] = (
                [sys.executable, "-m", "peelstats", what],
                base_env,
                base,
            )
    for cmd, e, cwd in runs.values():  # once each first: files in the page cache
        subprocess.run(cmd, env=e, cwd=cwd, check=True, capture_output=True)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
    for _ in range(args.repeats):
        for name, (cmd, e, cwd) in runs.items():
            times[name].append(timed(cmd, e, cwd))
    floor = statistics.median(w for w, _ in times["floor: python -c 'import click'"])
    lines = [
        f"Command line, median of {args.repeats} fresh starts each (alternated), "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.",
        "",
        "| command | wall (s) | CPU (s) | wall x floor |",
        "|---|---:|---:|---:|",
    ]
    for name, values in times.items():
        wall = statistics.median(w for w, _ in values)
        cpu = statistics.median(c for _, c in values)
        lines.append(f"| {name} | {wall:.2f} | {cpu:.2f} | {wall / floor:.1f} |")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
