"""Benchmark the command line's quick answers beside their floor, in one run.

Run:  .venv/bin/python benchmarks/bench_cli.py [--repeats 9] [--baseline OTHER_CHECKOUT] [--run]

Each command is started afresh ``--repeats`` times, alternating with the others, and its wall
and CPU seconds (the child's user + system time) are taken; the table gives the medians:

- ``peelstats --help`` and ``peelstats forces`` (the default data);
- the floor: ``python -c "import click"``, an interpreter that starts and loads the command-line
  library and nothing else;
- with ``--baseline``: the same two commands from another checkout of peelstats (its package on
  PYTHONPATH, the same libraries);
- with ``--run``: one force's report from a fresh start, ``peelstats run --force durham
  --period 2021Q3 --no-paper`` on the default data into a new folder (what an analyst waits for,
  and what most end-to-end tests pay), beside its floor: an interpreter that starts and imports
  the libraries a worker needs (``peelstats.run.execute.IMPORTS``), which a run cannot avoid;
  only wall time is given for these (the CPU of the workers is not all counted as the
  command's).

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


_IMPORTS_ONLY = (
    "import sys; sys.modules.setdefault('rfc3987_syntax', None); "
    "from peelstats.run.execute import warm_up; warm_up(imports_only=True)"
)


class _RunCommand(list):
    """``peelstats run`` into a new output folder each time it is used."""

    def __init__(self, scratch: Path):
        super().__init__()
        self.scratch, self.count = scratch, 0

    def __iter__(self):
        self.count += 1
        out = self.scratch / f"run-{id(self)}-{self.count}"
        return iter([sys.executable, "-m", "peelstats", "run", "--force", "durham", "--period",
                     "2021Q3", "--no-paper", "--out", str(out)])  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--baseline", type=Path, default=None)
    parser.add_argument("--run", action="store_true", help="also time `peelstats run`")
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
    if args.run:
        import tempfile

        scratch = Path(tempfile.mkdtemp(prefix="bench-cli-"))
        trees = [("this tree", env, REPO)]
        if args.baseline is not None:
            trees.append((f"baseline ({base.name})", base_env, base))
        runs["floor of a run: a Python that imports a worker's libraries"] = (
            [sys.executable, "-c", _IMPORTS_ONLY], env, REPO)  # fmt: skip
        for label, e, cwd in trees:
            runs[f"{label}: peelstats run --force durham --no-paper"] = (
                _RunCommand(scratch), e, cwd)  # fmt: skip
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
    run_floor = "floor of a run: a Python that imports a worker's libraries"
    for name, values in times.items():
        wall = statistics.median(w for w, _ in values)
        cpu = statistics.median(c for _, c in values)
        if "peelstats run" in name:
            base = statistics.median(w for w, _ in times[run_floor])
            lines.append(f"| {name} | {wall:.2f} | | {wall / base:.1f} x the run floor |")
        elif name == run_floor:
            lines.append(f"| {name} | {wall:.2f} | {cpu:.2f} | 1.0 (run floor) |")
        else:
            lines.append(f"| {name} | {wall:.2f} | {cpu:.2f} | {wall / floor:.1f} |")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
