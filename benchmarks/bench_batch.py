"""Benchmark a national ``peelstats batch`` against the in-process floor, in one run.

Run:  .venv/bin/python benchmarks/bench_batch.py [--workers 2] [--data archive|default]
          [--backfill] [--paper] [--fresh]

A national batch is 44 jobs (the 43 territorial forces and British Transport Police) for one
quarter. The data here has 16 forces, so the benchmark builds a national data folder in which
each of the 44 registry ids carries one of the 16 real forces' records (in turn), with the
real Census populations of the 43 force areas (British Transport Police has none). With
``--data archive`` (the default) that folder is made from the real police.uk archive in
../shared/data, prepared by ``peelstats prepare`` (parquet tables, the prepared national
archive); with ``--data default``, from the committed default data. Measured in the same run,
on this machine:

1. **the batch**: ``peelstats batch --forces all --periods 2021Q3 --workers 2 --rerun`` on that
   folder (warm kernels: one per worker), wall time, notebooks executed, and the peak memory of
   the whole process tree (sum of RSS of the batch, its workers and their kernels, sampled);
2. **the in-process floor**: the stop-and-search notebook's own code cells, parameterised as
   papermill would, executed for all 44 forces serially in one warm Python process (imports
   paid once, outside the timing; charts rendered and saved; the all-forces table read from
   the file a batch computes once); the ratio batch / floor is the figure the issue asks for;
3. **the old kernel floor**: (notebooks executed) x (one kernel start + the notebooks' imports
   + shutdown) / workers: what a kernel per notebook costs before any work;
4. with ``--fresh``: the same batch with a fresh kernel per notebook (the previous engine);
5. with ``--backfill``: the national backfill, 8 quarters x 44 forces (2019Q4 to 2021Q3) in one
   batch, against the same in-process floor times 8;
6. with ``--paper``: the same national quarter with the Panel paper (report.docx,
   estimates.xlsx, report.pdf), which batches write only when asked.

Prints a Markdown report (docs/benchmarks.md keeps the figures). Not a test: nothing is
asserted about speed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PERIOD = "2021Q3"
KERNEL_ARGS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.enabled=False"]
IMPORTS = (
    "import numpy, pandas, scipy.stats, statsmodels.api, altair, vl_convert, IPython.display\n"
    "import peelstats.analysis.stop_search, peelstats.report.present"
)

#: The in-process floor: one Python process runs the stop-and-search notebook's code cells for
#: every force, each in a fresh namespace, as papermill would parameterise them.
FLOOR = r"""
import io, json, sys, time, contextlib, tempfile
from pathlib import Path
import nbformat
from papermill.iorw import load_notebook_node
from papermill.parameterize import parameterize_notebook
exec(compile(IMPORTS, "imports", "exec"))
import IPython.display
IPython.display.display = lambda *a, **k: None
import peelstats.report.display as d
d.display = lambda *a, **k: None
forces, data, shared, notebook = json.loads(sys.argv[1])
out = Path(tempfile.mkdtemp())
seconds = {}
for force in forces:
    params = dict(force=force, period="2021Q3", confidence=0.95, ethnicity_definition="self",
                  chart_renderer="svg", data_source=data, output_dir=str(out / force),
                  all_forces_path=shared)
    nb = parameterize_notebook(load_notebook_node(notebook), params)
    cells = [c.source for c in nb.cells if c.cell_type == "code"]
    t0 = time.perf_counter()
    namespace = {}
    try:
        for source in cells:
            exec(compile(source, force, "exec"), namespace)
    except Exception as exc:  # a failing force costs its time in the batch too
        print(f"{force}: {type(exc).__name__}: {exc}", file=sys.stderr)
    seconds[force] = time.perf_counter() - t0
print(json.dumps(seconds))
"""


SHARED = REPO.parent / "shared" / "data"
BACKFILL = "2019Q4:2021Q3"


def prepared_archive(dest: Path) -> Path:
    """The real police.uk archive (16 forces, 35 months) prepared into ``dest`` (parquet)."""
    subprocess.run(
        [sys.executable, "-m", "peelstats", "prepare", "--archive",
         str(SHARED / "police-uk-archive"), "--census", str(SHARED / "census-2021"),
         "--outcomes", str(SHARED / "home-office-outcomes" / "crime-outcomes-2017-18.csv.gz"),
         "--out", str(dest), "--quiet"],
        cwd=REPO, check=True, capture_output=True,
    )  # fmt: skip
    return dest


def national_archive(prepared: Path, dest: Path) -> tuple[Path, list[str]]:
    """44 forces, each carrying one of the prepared real forces' tables, in parquet."""
    import pandas as pd

    from peelstats.data.forces import all_forces

    dest.mkdir(parents=True)
    for name in ("populations.parquet", "crime_outcomes.parquet", ".peelstats-prepared"):
        shutil.copy(prepared / name, dest / name)
    ids = [f.id for f in all_forces()]
    for table in ("searches", "searched_people", "coverage"):
        frame = pd.read_parquet(prepared / f"{table}.parquet")
        real = sorted(frame["force"].unique())
        parts = [frame[frame["force"] == real[i % len(real)]].assign(force=force)
                 for i, force in enumerate(ids)]  # fmt: skip
        national = pd.concat(parts, ignore_index=True)
        national.to_parquet(dest / f"{table}.parquet", index=False)
        if table == "coverage":
            national.to_csv(dest / "coverage.csv", index=False)
    return dest, ids


def national_data(dest: Path) -> tuple[Path, list[str]]:
    """44 forces, each carrying one of the real forces' records, in the default-data format."""
    import pandas as pd

    from peelstats.data.forces import all_forces

    shutil.copytree(REPO / "data" / "default", dest)
    searches = pd.read_csv(dest / "searches.csv.gz", dtype=str, keep_default_na=False)
    coverage = pd.read_csv(dest / "coverage.csv", dtype=str, keep_default_na=False)
    people = pd.read_csv(dest / "searched_people.csv.gz", dtype=str, keep_default_na=False)
    real = sorted(searches["force"].unique())
    ids = [f.id for f in all_forces()]
    s_parts, c_parts, p_parts = [], [], []
    for i, force in enumerate(ids):
        source = real[i % len(real)]
        s_parts.append(searches[searches["force"] == source].assign(force=force))
        c_parts.append(coverage[coverage["force"] == source].assign(force=force))
        p_parts.append(people[people["force"] == source].assign(force=force))
    pd.concat(s_parts).to_csv(dest / "searches.csv.gz", index=False)
    pd.concat(c_parts).to_csv(dest / "coverage.csv", index=False)
    pd.concat(p_parts).to_csv(dest / "searched_people.csv.gz", index=False)
    return dest, ids


def tree_rss(root: int) -> int:
    """Sum of RSS (bytes) of a process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(
                line.split(":", 1) for line in status.read_text().splitlines() if ":" in line
            )
        except OSError:
            continue
        pid = int(status.parent.name)
        children.setdefault(int(fields.get("PPid", "0").strip() or 0), []).append(pid)
        rss[pid] = int(fields.get("VmRSS", "0 kB").split()[0]) * 1024
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def run_batch(data: Path, out: Path, workers: int, engine: str, periods: str = PERIOD,
              paper: bool = False, repo: Path = REPO) -> dict:  # fmt: skip
    env = {**os.environ, "PEELSTATS_BENCH": "1"}
    if repo != REPO:  # another checkout's package, with this environment's libraries
        env["PYTHONPATH"] = str(repo)
    cmd = [
        sys.executable, "-m", "peelstats", "batch", "--forces", "all", "--periods", periods,
        "--workers", str(workers), "--rerun", "--no-progress", "--data", str(data),
        "--out", str(out), "--kernels", engine, *(["--paper"] if paper else []),
    ]  # fmt: skip
    peak = [0]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=repo, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip
    done = threading.Event()

    def sample():
        while not done.is_set():
            peak[0] = max(peak[0], tree_rss(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - t0
    done.set()
    sampler.join()
    import json

    notebooks = 0
    for status in out.glob("*/*/status.json"):
        notebooks += sum(nb["status"] != "skipped" for nb in json.loads(status.read_text())[
            "notebooks"])  # fmt: skip
    return {"wall": wall, "returncode": proc.returncode, "notebooks": notebooks,
            "peak_rss": peak[0], "summary": stdout.strip().splitlines()[:1],
            "stderr": stderr.strip()[-500:]}  # fmt: skip


def in_process_floor(data: Path, forces: list[str], shared: Path) -> dict[str, float]:
    import json

    notebook = str(REPO / "notebooks" / "stop_search.ipynb")
    code = FLOOR.replace("exec(compile(IMPORTS", f"IMPORTS = {IMPORTS!r}\nexec(compile(IMPORTS")
    proc = subprocess.run(
        [sys.executable, "-c", code, json.dumps([forces, str(data), str(shared), notebook])],
        cwd=REPO / "notebooks", capture_output=True, text=True,
    )  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-2000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def kernel_cycle() -> float:
    """Start a kernel, import the notebooks' libraries, shut it down."""
    from jupyter_client import KernelManager

    t0 = time.perf_counter()
    km = KernelManager(kernel_name="python3")
    km.start_kernel(extra_arguments=KERNEL_ARGS, cwd=str(REPO / "notebooks"))
    kc = km.blocking_client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    reply = kc.execute_interactive(IMPORTS, timeout=300, output_hook=lambda msg: None)
    assert reply["content"]["status"] == "ok", reply["content"]
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--data",
        choices=["archive", "default"],
        default="archive",
        help="national data from the prepared real archive or the default data",
    )
    parser.add_argument("--backfill", action="store_true", help="also 8 quarters x 44 forces")
    parser.add_argument("--paper", action="store_true", help="also a quarter with --paper")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="another checkout of peelstats (e.g. the previous release) whose "
                        "batch is timed on the same data in the same run")  # fmt: skip
    parser.add_argument("--fresh", action="store_true", help="also time fresh kernels")
    parser.add_argument("--kernel-cycles", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.data == "archive":
            data, forces = national_archive(prepared_archive(tmp / "prepared"), tmp / "national")
        else:
            data, forces = national_data(tmp / "national")
        baseline = None
        if args.baseline is not None:
            baseline = run_batch(data, tmp / "baseline", args.workers, "inprocess",
                                 repo=args.baseline.resolve())  # fmt: skip
        warm = run_batch(data, tmp / "warm", args.workers, "inprocess")
        shared = tmp / "warm" / PERIOD / "_shared" / "all_forces.csv"
        floor = in_process_floor(data, forces, shared)
        backfill = None
        if args.backfill:
            backfill = run_batch(data, tmp / "backfill", args.workers, "inprocess", BACKFILL)
        paper = None
        if args.paper:
            paper = run_batch(data, tmp / "paper", args.workers, "inprocess", paper=True)
        cycle = statistics.median(kernel_cycle() for _ in range(args.kernel_cycles))
        fresh = run_batch(data, tmp / "fresh", args.workers, "fresh") if args.fresh else None
    floor_total = sum(floor.values())
    kernel_floor = warm["notebooks"] * cycle / args.workers
    source = ("the prepared national archive" if args.data == "archive"
              else "the national default data")  # fmt: skip
    lines = [
        f"Measured {dt.date.today().isoformat()} on {platform.machine()}, {os.cpu_count()} "
        f"cores, Python {platform.python_version()}: {len(forces)} jobs (43 forces and British "
        f"Transport Police), {PERIOD}, --workers {args.workers}, on {source}.",
        "",
        "| measure | seconds | x floor |",
        "|---|---:|---:|",
    ]
    if baseline:
        lines.append(
            f"| baseline batch ({args.baseline.name}; wall; {baseline['notebooks']} notebooks) "
            f"| {baseline['wall']:.1f} | {baseline['wall'] / floor_total:.2f} |"
        )
    lines += [
        f"| **batch, in-process engine** (wall; {warm['notebooks']} notebooks) | "
        f"**{warm['wall']:.1f}** | **{warm['wall'] / floor_total:.2f}** |",
        f"| in-process floor: the stop-and-search notebook's code, all {len(forces)} forces "
        f"serially in one warm process | {floor_total:.1f} | 1.00 |",
        f"| old kernel floor: {warm['notebooks']} notebooks x (kernel start + imports "
        f"{cycle:.2f} s) / {args.workers} workers | {kernel_floor:.1f} | "
        f"{kernel_floor / floor_total:.2f} |",
    ]
    if backfill:
        lines.append(
            f"| backfill {BACKFILL}, 8 x {len(forces)} jobs (wall; {backfill['notebooks']} "
            f"notebooks), against 8 x the floor | {backfill['wall']:.1f} | "
            f"{backfill['wall'] / (8 * floor_total):.2f} |"
        )
    if paper:
        lines.append(
            f"| batch with --paper (wall; report.docx, estimates.xlsx, report.pdf for each "
            f"force) | {paper['wall']:.1f} | {paper['wall'] / floor_total:.2f} |"
        )
        lines.append(f"| the Panel paper's own cost (difference) | "
                     f"{paper['wall'] - warm['wall']:.1f} | |")  # fmt: skip
    if fresh:
        lines.append(
            f"| batch, fresh kernel per notebook (wall; {fresh['notebooks']} notebooks) | "
            f"{fresh['wall']:.1f} | {fresh['wall'] / floor_total:.2f} |"
        )
    peaks = [("batch", warm)] + [(n, r) for n, r in (("backfill", backfill), ("paper", paper),
                                                     ("baseline", baseline)) if r]  # fmt: skip
    lines += [
        "",
        "Peak memory of the process tree (batch, workers): "
        + ", ".join(f"{name} {r['peak_rss'] / 2**30:.2f} GiB" for name, r in peaks)
        + ".",
        f"In-process floor per force: median {statistics.median(floor.values()):.2f} s, "
        f"max {max(floor.values()):.2f} s.",
    ]
    for name, r in peaks:
        lines.append(f"{name} exit code {r['returncode']}: {' '.join(r['summary'])}")
        if r["returncode"] not in (0, 1):
            lines.append(f"stderr: {r['stderr']}")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
