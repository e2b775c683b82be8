"""Benchmark one force's work in a warm process, beside its floor, in one run.

Run:  .venv/bin/python benchmarks/bench_force.py [--force durham] [--repeats 9]
          [--data archive|default] [--baseline OTHER_CHECKOUT] [--paper]

In one warm Python process (the libraries imported and the chart renderer started, as in a
batch worker), on the national data of ``bench_batch.py`` (the prepared real archive, each of
the 44 forces carrying one real force's records), with the all-forces comparison computed once
beforehand as a batch does:

1. **one force's work**: every notebook of the force's report executed by the in-process engine
   (stop and search, outcomes, inspection), report.html and estimates.csv written, exactly as a
   batch job (``run_job``); median wall and CPU seconds of ``--repeats`` runs;
2. **the floor**: the statistics alone: every section's result computed for the force (data
   loaded from the process's cache, each ``build`` run), nothing shown or written;
3. **its charts**: the force's charts rendered once each to SVG (vl-convert), the part of (1)
   that is drawing;
4. with ``--paper``: the Panel paper written from that report: report.docx (its charts
   rasterised to PNG then), estimates.xlsx, report.pdf (headless Chromium);
5. with ``--baseline``: (1) and (2) again for another checkout of peelstats (its package on
   PYTHONPATH, the same libraries), in its own process, in the same run.

Prints a Markdown table. Not a test: nothing is asserted about speed.
"""

from __future__ import annotations

import argparse
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
PERIOD = "2021Q3"
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _timed(fn, repeats: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``repeats`` calls (CPU: this process, all threads)."""
    walls, cpus = [], []
    for _ in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
    return statistics.median(walls), statistics.median(cpus)


def child(data: str, force: str, repeats: int, paper: bool) -> dict:
    """The measurements, in this (warm) process."""
    sys.modules.setdefault("rfc3987_syntax", None)  # as the batch's fork server does
    from peelstats.run.execute import InProcess, run_job, warm_up
    from peelstats.run.jobs import Job, Settings
    from peelstats.run.shared import write_shared

    warm_up()
    import contextlib
    import io

    from peelstats.analysis.params import validate
    from peelstats.report import charts, sections

    out = Path(tempfile.mkdtemp(prefix="bench-force-"))
    try:
        shared = write_shared(PERIOD, out / PERIOD / "_shared", data)
        job = Job(force, PERIOD, Settings(source=data), out, shared_dir=shared)
        engine = InProcess()
        run_job(job, engine)  # the first run fills the process's table cache
        result: dict = {}
        result["work"] = _timed(lambda: run_job(job, engine), repeats)
        params = validate(force, PERIOD, "self", 0.95, "svg", data, None,
                          str(shared / "all_forces.csv"))  # fmt: skip

        def statistics_only():
            for section in sections.all_sections():
                section.build(section.load(params), params)

        result["floor"] = _timed(statistics_only, repeats)
        specs = []
        real_render = charts.render
        stand_in = "<svg/>" if hasattr(charts, "to_png") else ("<svg/>", b"")  # older: (svg, png)
        charts.render = lambda spec: specs.append(spec) or stand_in
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                for section in sections.all_sections():
                    section.present(section.build(section.load(params), params), None)
        finally:
            charts.render = real_render
        result["charts"] = _timed(lambda: [real_render(s) for s in specs], repeats)
        result["chart_count"] = len(specs)
        if paper:
            result["paper"] = _paper(out / PERIOD / force, force)
        return result
    finally:
        shutil.rmtree(out, ignore_errors=True)


def _paper(report: Path, force: str) -> dict:
    from peelstats.data.forces import get_force
    from peelstats.report.assemble import load_results, report_confidence
    from peelstats.report.paper import write_docx, write_pdf
    from peelstats.report.spreadsheet import write_xlsx

    name = get_force(force).name
    title = f"{name}: bench"
    results = load_results(report)
    timings = {
        "report.docx": _timed(lambda: write_docx(report / "report.html", report / "charts",
                                                 report / "bench.docx", title), 3),
        "estimates.xlsx": _timed(lambda: write_xlsx(
            report / "tables", report / "bench.xlsx", force_name=name, period_words="the year",
            results=results, confidence=report_confidence(results)), 3),
        "report.pdf": _timed(lambda: write_pdf(report / "report.html", report / "bench.pdf"), 3),
    }  # fmt: skip
    return {k: v[0] for k, v in timings.items()}


def measure(repo: Path, data: str, force: str, repeats: int, paper: bool) -> dict:
    """Run :func:`child` in a new process for the checkout ``repo``."""
    env = {**os.environ}
    if repo != REPO:
        env["PYTHONPATH"] = str(repo)
    code = (
        f"import sys, json; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
        f"import bench_force as b; print(json.dumps(b.child({data!r}, {force!r}, {repeats}, "
        f"{paper})))"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=repo / "notebooks", env=env,
                          capture_output=True, text=True)  # fmt: skip
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--force", default="durham")
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--data", choices=["archive", "default"], default="archive")
    parser.add_argument("--baseline", type=Path, default=None)
    parser.add_argument("--paper", action="store_true")
    args = parser.parse_args()
    from bench_batch import national_archive, national_data, prepared_archive

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        if args.data == "archive":
            data, _ = national_archive(prepared_archive(tmp / "prepared"), tmp / "national")
        else:
            data, _ = national_data(tmp / "national")
        runs = []
        if args.baseline is not None:
            runs.append((f"baseline ({args.baseline.name})",
                         measure(args.baseline.resolve(), str(data), args.force, args.repeats,
                                 False)))  # fmt: skip
        runs.append(("this tree", measure(REPO, str(data), args.force, args.repeats, args.paper)))
    lines = [
        f"One force's work ({args.force}, {PERIOD}, warm process), median of {args.repeats}, "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, on "
        f"the national {'prepared archive' if args.data == 'archive' else 'default data'}.",
        "",
        "| tree | measure | wall (s) | CPU (s) | wall x floor |",
        "|---|---|---:|---:|---:|",
    ]
    for name, r in runs:
        floor = r["floor"][0]
        lines += [
            f"| {name} | all notebooks and the report | {r['work'][0]:.2f} | {r['work'][1]:.2f} "
            f"| {r['work'][0] / floor:.1f} |",
            f"| {name} | floor: every section's statistics | {floor:.2f} | {r['floor'][1]:.2f} "
            "| 1.0 |",
            f"| {name} | its {r['chart_count']} charts rendered once each | {r['charts'][0]:.2f} "
            f"| {r['charts'][1]:.2f} | {r['charts'][0] / floor:.1f} |",
        ]
        for what, wall in r.get("paper", {}).items():
            lines.append(f"| {name} | {what} (median of 3) | {wall:.2f} | | |")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
