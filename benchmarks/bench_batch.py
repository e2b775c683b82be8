"""Benchmark ``peelstats batch`` against the floor of starting kernels and importing libraries.

Run:  .venv/bin/python benchmarks/bench_batch.py  [--repeats 5] [--serial-forces 3] [--worktree]

Measures, in one run on the committed default data (data/default, 16 forces, one quarter):

1. the batch: ``peelstats batch --forces all --periods 2021Q3 --workers 2 --rerun --no-progress``
   into a temporary folder (wall time), and how many notebooks executed (from each force's
   status.json);
2. the floor: (notebooks executed) x (one kernel start + the notebooks' imports + shutdown) /
   workers, the per-notebook figure being the median of several cycles with jupyter_client;
   the bare kernel start (start, ready, shutdown) is measured too;
3. a serial baseline (``--workers 1``) on a spread of forces, scaled to every notebook;
4. where the time beyond the floor goes: the papermill timings recorded in every executed
   notebook (kernel start, cells, teardown), one force's notebooks run one by one with papermill
   with chart rendering traced inside the kernel (display as SVG, save SVG, save PNG), the same
   notebooks with an immediate kernel shutdown, the HTML export, and the batch's fixed costs
   (fingerprint, all-forces table).

By default the committed tree (``git archive HEAD``) is measured from a temporary copy, so
uncommitted work in progress cannot break or skew the run; ``--worktree`` measures the working
tree instead. Prints a Markdown report. Not a test: nothing is asserted about speed.
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
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
KERNEL_QUIET = ["--IPKernelApp.log_level=CRITICAL"]
IMPORTS = (
    "import pandas, numpy, scipy.stats, statsmodels.api, altair, vl_convert, IPython.display\n"
    "import peelstats.analysis.stop_search, peelstats.report.charts"
)

#: IPython start-up file for the traced runs: times every show_chart call and every
#: altair save (svg / png) inside the kernel, one JSON line per call.
TRACER = r"""
import json as _json, os as _os, time as _time
_trace_path = _os.environ.get("PEELSTATS_BENCH_TRACE")
if _trace_path:
    import altair as _alt
    import peelstats.report.display as _display

    def _log(what, seconds, name=""):
        with open(_trace_path, "a") as fh:
            fh.write(_json.dumps({"what": what, "s": seconds, "name": name}) + "\n")

    _orig_save = _alt.TopLevelMixin.save

    def _timed_save(self, fp, *args, **kwargs):
        t0 = _time.perf_counter()
        out = _orig_save(self, fp, *args, **kwargs)
        _log("save_" + str(fp).rsplit(".", 1)[-1], _time.perf_counter() - t0)
        return out

    _alt.TopLevelMixin.save = _timed_save
    _orig_show = _display.show_chart

    def _timed_show(chart, name, output_dir=None):
        t0 = _time.perf_counter()
        _orig_show(chart, name, output_dir)
        _log("show_chart", _time.perf_counter() - t0, name)

    _display.show_chart = _timed_show
"""


def snapshot_head(dest: Path) -> Path:
    """The committed tree (code, notebooks, default data) extracted into dest."""
    dest.mkdir(parents=True)
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", "HEAD"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def kernel_cycle(code: str | None) -> dict[str, float]:
    """Start a kernel, wait until ready, optionally run code, shut it down (graceful)."""
    from jupyter_client import KernelManager

    t0 = time.perf_counter()
    km = KernelManager(kernel_name="python3")
    km.start_kernel(extra_arguments=KERNEL_QUIET)
    kc = km.blocking_client()
    kc.start_channels()
    kc.wait_for_ready(timeout=120)
    t1 = time.perf_counter()
    if code is not None:
        reply = kc.execute_interactive(code, timeout=300, output_hook=lambda msg: None)
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"kernel cell failed: {reply['content']}")
    t2 = time.perf_counter()
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    t3 = time.perf_counter()
    return {"start": t1 - t0, "cell": t2 - t1, "shutdown": t3 - t2, "total": t3 - t0}


def median_cycles(code: str | None, repeats: int) -> dict[str, float]:
    runs = [kernel_cycle(code) for _ in range(repeats)]
    return {k: statistics.median(r[k] for r in runs) for k in runs[0]}


#: The CLI with every papermill run told to shut its kernel down immediately (SIGKILL once the
#: last cell has finished) instead of nbclient's default graceful shutdown: an experiment, the
#: project's code is not changed. Pool workers are forked from this process and inherit it.
IMMEDIATE_CLI = """
import functools, sys
import papermill
_execute = papermill.execute_notebook
papermill.execute_notebook = functools.partial(_execute, shutdown_kernel="immediate")
from peelstats.cli import main
sys.argv[0] = "peelstats"
main()
"""


def run_cli(root: Path, args: list[str], immediate: bool = False) -> float:
    launcher = ["-c", IMMEDIATE_CLI] if immediate else ["-m", "peelstats"]
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, *launcher, *args], cwd=root, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"peelstats {' '.join(args)} exited {proc.returncode}:\n{proc.stderr}")
    return elapsed


def executed_counts(period_dir: Path) -> dict[str, int]:
    """Notebooks per status over every force's status.json (executed = succeeded + failed)."""
    counts = {"succeeded": 0, "failed": 0, "skipped": 0, "jobs": 0}
    for status in sorted(period_dir.glob("*/status.json")):
        counts["jobs"] += 1
        for nb in json.loads(status.read_text())["notebooks"]:
            if nb["name"] != "job":
                counts[nb["status"]] += 1
    counts["executed"] = counts["succeeded"] + counts["failed"]
    return counts


def _ts(text: str) -> float:
    return dt.datetime.fromisoformat(text).timestamp()


def papermill_split(paths: list[Path]) -> dict[str, float]:
    """Summed papermill timings of executed notebooks: kernel start (notebook start to first
    cell), cells, and teardown (last cell to notebook end: shutdown and final write)."""
    import nbformat

    out = {"notebooks": 0, "duration": 0.0, "start": 0.0, "cells": 0.0, "teardown": 0.0}
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        meta = nb.metadata.get("papermill", {})
        cells = [c.metadata["papermill"] for c in nb.cells if c.metadata.get("papermill", {})]
        cells = [c for c in cells if c.get("start_time") and c.get("end_time")]
        if not meta.get("duration") or not cells:
            continue
        out["notebooks"] += 1
        out["duration"] += meta["duration"]
        out["start"] += _ts(cells[0]["start_time"]) - _ts(meta["start_time"])
        out["cells"] += sum(c["duration"] or 0.0 for c in cells)
        out["teardown"] += _ts(meta["end_time"]) - _ts(cells[-1]["end_time"])
    return out


def traced_notebooks(
    force: str, period: str, out: Path, shared: Path, trace_dir: Path, shutdown: str
) -> list[dict]:
    """Run one force's applicable notebooks one by one, as run_job does, timing each."""
    from peelstats.report.notebooks import NOTEBOOKS, RunContext
    from peelstats.report.runner import _execute

    context = RunContext(force=force, period=period)
    rows = []
    out.mkdir(parents=True, exist_ok=True)
    for spec in NOTEBOOKS:
        if spec.skip_reason(context):
            continue
        parameters = {
            "force": force,
            "period": period,
            "confidence": 0.95,
            "chart_renderer": "svg",
            "data_source": "default",
            "output_dir": str(out),
        }
        if spec.name == "stop_search":
            parameters["ethnicity_definition"] = "self"
            parameters["all_forces_path"] = str(shared / "all_forces.csv")
        trace = trace_dir / f"{spec.name}.{shutdown}.jsonl"
        os.environ["PEELSTATS_BENCH_TRACE"] = str(trace)
        output = out / f"{spec.name}.ipynb"
        t0 = time.perf_counter()
        _execute(spec, output, parameters, shutdown_kernel=shutdown)
        wall = time.perf_counter() - t0
        os.environ.pop("PEELSTATS_BENCH_TRACE", None)
        calls = (
            [json.loads(line) for line in trace.read_text().splitlines()] if trace.exists() else []
        )
        shows = [c["s"] for c in calls if c["what"] == "show_chart"]
        svg = sum(c["s"] for c in calls if c["what"] == "save_svg")
        png = sum(c["s"] for c in calls if c["what"] == "save_png")
        split = papermill_split([output])
        rows.append(
            {
                "name": spec.name,
                "wall": wall,
                "charts": len(shows),
                "chart_total": sum(shows),
                "display": sum(shows) - svg - png,
                "svg": svg,
                "png": png,
                "first_chart": shows[0] if shows else 0.0,
                "cells": split["cells"],
                "start": split["start"],
                "teardown": split["teardown"],
                "output": output,
            }
        )
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--period", default="2021Q3")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--repeats", type=int, default=5, help="kernel cycles per floor figure")
    ap.add_argument(
        "--serial-forces",
        type=int,
        default=3,
        help="forces (spread over the list) in the workers=1 baseline; 0 = all",
    )
    ap.add_argument("--diag-force", default="durham", help="force whose notebooks are traced")
    ap.add_argument("--worktree", action="store_true", help="measure the working tree, not HEAD")
    args = ap.parse_args()
    started = time.perf_counter()
    load0 = ", ".join(f"{x:.1f}" for x in os.getloadavg())

    tmp = Path(tempfile.mkdtemp(prefix="bench_batch-"))
    try:
        if args.worktree:
            root, tree = REPO, "working tree"
        else:
            root = snapshot_head(tmp / "tree")
            commit = subprocess.run(
                ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            tree = f"commit {commit} (git archive HEAD)"
        # Every process (CLI, pool workers, kernels) imports peelstats from `root`, and uses its
        # committed data/default and notebooks (paths derive from the package's location).
        for var in ("PEELSTATS_DATA_DIR", "PEELSTATS_OUTPUTS_DIR"):
            os.environ.pop(var, None)
        os.environ["PYTHONPATH"] = str(root) + os.pathsep + os.environ.get("PYTHONPATH", "")
        sys.path.insert(0, str(root))
        ipython_dir = tmp / "ipython"
        (ipython_dir / "profile_default" / "startup").mkdir(parents=True)
        (ipython_dir / "profile_default" / "startup" / "00-bench-trace.py").write_text(TRACER)

        import peelstats

        assert Path(peelstats.__file__).resolve().parent == (root / "peelstats").resolve()

        # -- floor -------------------------------------------------------------------------
        print("warming up (one kernel with the imports, not counted)...", file=sys.stderr)
        kernel_cycle(IMPORTS)
        print(
            f"floor: {args.repeats} bare kernel cycles, {args.repeats} with imports",
            file=sys.stderr,
        )
        loads = {"floor": os.getloadavg()[0]}
        bare = median_cycles(None, args.repeats)
        full = median_cycles(IMPORTS, args.repeats)
        loads["batch"] = os.getloadavg()[0]

        # -- batch -------------------------------------------------------------------------
        period = args.period
        batch_out = tmp / "batch"
        cmd = [
            "batch",
            "--forces",
            "all",
            "--periods",
            period,
            "--workers",
            str(args.workers),
            "--rerun",
            "--no-progress",
            "--out",
            str(batch_out),
        ]
        print("batch: peelstats " + " ".join(cmd[:-2]) + " --out <tmp>", file=sys.stderr)
        batch_wall = run_cli(root, cmd)
        counts = executed_counts(batch_out / period)
        executed = counts["executed"]
        floor = executed * full["total"] / args.workers
        nb_paths = sorted(
            p for p in (batch_out / period).glob("*/*.ipynb") if not p.parent.name.startswith("_")
        )
        split = papermill_split(nb_paths)

        loads["immediate"] = os.getloadavg()[0]
        now_out = tmp / "immediate"
        print("batch again, kernels shut down immediately (experiment)", file=sys.stderr)
        now_wall = run_cli(root, [*cmd[:-1], str(now_out)], immediate=True)
        now_counts = executed_counts(now_out / period)
        same = sum(
            (now_out / period / p.parent.parent.name / "tables" / "estimates.csv").is_file()
            and (now_out / period / p.parent.parent.name / "tables" / "estimates.csv").read_bytes()
            == p.read_bytes()
            and sorted(c.name for c in (p.parent.parent / "charts").glob("*"))
            == sorted(
                c.name for c in (now_out / period / p.parent.parent.name / "charts").glob("*")
            )
            for p in (batch_out / period).glob("*/tables/estimates.csv")
        )
        n_tables = len(list((batch_out / period).glob("*/tables/estimates.csv")))
        loads["traced"] = os.getloadavg()[0]
        # -- fixed costs of a batch, outside the notebooks ----------------------------------
        from peelstats.report.runner import fingerprint
        from peelstats.report.shared import write_shared

        dry = run_cli(root, ["batch", "--forces", "all", "--periods", period, "--dry-run"])
        t0 = time.perf_counter()
        fingerprint("default", "self", 0.95)
        t_fp = time.perf_counter() - t0
        t0 = time.perf_counter()
        write_shared(period, tmp / "shared", "default", "self")
        t_shared = time.perf_counter() - t0

        # -- one force's notebooks, traced ----------------------------------------------------
        print(
            f"traced: {args.diag_force}'s notebooks one by one (graceful, then immediate shutdown)",
            file=sys.stderr,
        )
        os.environ["IPYTHONDIR"] = str(ipython_dir)
        shared = batch_out / period / "_shared"
        diag = traced_notebooks(
            args.diag_force, period, tmp / "diag" / "graceful", shared, tmp, "graceful"
        )
        diag_now = traced_notebooks(
            args.diag_force, period, tmp / "diag" / "immediate", shared, tmp, "immediate"
        )
        os.environ.pop("IPYTHONDIR", None)

        import nbformat

        from peelstats.report.html import export_html, merge_notebooks

        executed_nbs = [nbformat.read(r["output"], as_version=4) for r in diag]
        merged = merge_notebooks(f"# {args.diag_force}", executed_nbs)
        t0 = time.perf_counter()
        export_html(merged, args.diag_force)
        t_html_first = time.perf_counter() - t0
        t0 = time.perf_counter()
        export_html(merged, args.diag_force)
        t_html = time.perf_counter() - t0

        # -- serial baseline -------------------------------------------------------------------
        forces = sorted(p.parent.name for p in (batch_out / period).glob("*/status.json"))
        if args.serial_forces and args.serial_forces < len(forces):
            step = len(forces) / args.serial_forces
            subset = [forces[int(i * step)] for i in range(args.serial_forces)]
        else:
            subset = forces
        serial_out = tmp / "serial"
        loads["serial"] = os.getloadavg()[0]
        print(f"serial: --workers 1 on {len(subset)} forces: {', '.join(subset)}", file=sys.stderr)
        serial_wall = run_cli(
            root,
            [
                "batch",
                "--forces",
                ",".join(subset),
                "--periods",
                period,
                "--workers",
                "1",
                "--rerun",
                "--no-progress",
                "--out",
                str(serial_out),
            ],
        )
        serial_counts = executed_counts(serial_out / period)
        serial_full = serial_wall * executed / max(1, serial_counts["executed"])
        total_run = time.perf_counter() - started
        load1 = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    # -- report ------------------------------------------------------------------------------
    import altair
    import jupyter_client
    import papermill
    import vl_convert

    n = max(1, split["notebooks"])
    print(
        f"\n`benchmarks/bench_batch.py`, {dt.date.today().isoformat()}, {tree}. Machine: "
        f"{os.cpu_count()} cores, {platform.system()} {platform.machine()}, Python "
        f"{platform.python_version()}, papermill {papermill.__version__}, jupyter_client "
        f"{jupyter_client.__version__}, altair {altair.__version__}, vl-convert "
        f"{vl_convert.__version__}. Load average before / after: {load0} / {load1}; 1-minute "
        f"load as each phase began: {', '.join(f'{k} {v:.1f}' for k, v in loads.items())}. Whole "
        f"benchmark: {total_run:.0f} s. Reproduce with:\n"
    )
    print("    .venv/bin/python benchmarks/bench_batch.py\n")
    print(
        f"Batch: {counts['jobs']} force x quarter jobs ({period}), {executed} notebooks executed "
        f"({counts['succeeded']} succeeded, {counts['failed']} failed), {counts['skipped']} "
        f"skipped as not applicable.\n"
    )
    print("| measure | seconds | × floor |")
    print("|---|---:|---:|")
    rows = [
        (
            f"bare kernel cycle (start, ready, shutdown), median of {args.repeats}",
            bare["total"],
            False,
        ),
        (
            f"kernel cycle + notebook imports (per-notebook floor), median of {args.repeats}",
            full["total"],
            False,
        ),
        (
            f"floor: {executed} notebooks × {full['total']:.2f} s / {args.workers} workers",
            floor,
            True,
        ),
        (f"**batch, --workers {args.workers}**", batch_wall, True),
        (
            f"batch, --workers {args.workers}, kernels shut down immediately (experiment; "
            f"{now_counts['executed']} notebooks, {now_counts['failed']} failed)",
            now_wall,
            True,
        ),
        (
            f"serial baseline, --workers 1 ({serial_counts['executed']} notebooks in "
            f"{serial_wall:.1f} s, scaled to {executed})",
            serial_full,
            True,
        ),
    ]
    for label, value, with_ratio in rows:
        ratio = f"{value / floor:.2f}" if with_ratio else ""
        print(f"| {label} | {value:.1f} | {ratio} |")
    print(
        f"\nbatch / floor = **{batch_wall / floor:.2f}**; parallel speed-up "
        f"{serial_full / batch_wall:.2f}× (serial estimate / batch).\n"
    )
    print(
        f"Immediate kernel shutdown: estimates.csv byte-identical and the same chart files for "
        f"{same} of {n_tables} jobs with tables.\n"
    )
    print(
        f"Floor cycle split (median): start {full['start']:.2f} s, imports {full['cell']:.2f} s, "
        f"shutdown {full['shutdown']:.2f} s; bare: start {bare['start']:.2f} s, shutdown "
        f"{bare['shutdown']:.2f} s.\n"
    )
    print(
        f"Inside the batch (papermill timings of {split['notebooks']} executed notebooks, "
        f"{args.workers} at a time, mean per notebook): kernel start {split['start'] / n:.2f} s, "
        f"cells {split['cells'] / n:.2f} s (imports included), teardown "
        f"{split['teardown'] / n:.2f} s, total {split['duration'] / n:.2f} s. "
        f"Sum of notebook time / workers = {split['duration'] / args.workers:.1f} s; the rest of "
        f"the wall time ({batch_wall - split['duration'] / args.workers:.1f} s) is outside "
        f"notebooks: CLI start and input checks ({dry:.1f} s for --dry-run), fingerprint "
        f"{t_fp:.2f} s, all-forces table {t_shared:.2f} s, worker start, HTML export "
        f"({t_html:.2f} s per job, {t_html_first:.2f} s the first in a process), index, "
        f"and uneven job sizes at the end.\n"
    )
    print(
        f"One force ({args.diag_force}) notebook by notebook with papermill, one at a "
        f"time (charts traced in the kernel: save SVG, display that SVG, save PNG):\n"
    )
    print(
        "| notebook | wall (s) | − floor (s) | cells (s) | charts | display SVG (s) | "
        "save SVG (s) | save PNG (s) | first chart (s) | teardown (s) | wall, immediate "
        "shutdown (s) |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r, r_now in zip(diag, diag_now, strict=True):
        print(
            f"| {r['name']} | {r['wall']:.2f} | {r['wall'] - full['total']:.2f} | "
            f"{r['cells']:.2f} | {r['charts']} | {r['display']:.2f} | {r['svg']:.2f} | "
            f"{r['png']:.2f} | {r['first_chart']:.2f} | {r['teardown']:.2f} | "
            f"{r_now['wall']:.2f} |"
        )
    tot = {
        k: sum(r[k] for r in diag)
        for k in ("wall", "charts", "display", "svg", "png", "teardown", "cells")
    }
    print(
        f"| **total** | {tot['wall']:.2f} | {tot['wall'] - len(diag) * full['total']:.2f} | "
        f"{tot['cells']:.2f} | {tot['charts']} | {tot['display']:.2f} | {tot['svg']:.2f} | "
        f"{tot['png']:.2f} | | {tot['teardown']:.2f} | "
        f"{sum(r['wall'] for r in diag_now):.2f} |"
    )


if __name__ == "__main__":
    main()
