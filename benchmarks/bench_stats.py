"""Benchmark the vectorised statistics kernels against a plain numpy closed-form floor.

Run:  .venv/bin/python benchmarks/bench_stats.py  [--repeats 7]
Prints a Markdown table (best of several repeats, time.perf_counter) for
1,000,000 Wilson intervals and 100,000 rate ratios, each measured in the same run as the
floor. Not a test: nothing is asserted about speed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import time

import numpy as np

from peelstats.stats import proportion_ci, rate_ratio

Z = 1.959963984540054


def best_of(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def wilson_numpy(x, n):
    p = x / n
    centre = (p + Z * Z / (2 * n)) / (1 + Z * Z / n)
    half = Z / (1 + Z * Z / n) * np.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n))
    return centre - half, centre + half


def katz_numpy(a, na, b, nb):
    rr = (a / na) / (b / nb)
    se = np.sqrt(1 / a + 1 / b)
    return rr, rr * np.exp(-Z * se), rr * np.exp(Z * se)


def exact_scipy(a, na, b, nb, alpha=0.05):
    """Conditional exact limits straight from scipy.stats.beta (no validation, no p-value)."""
    from scipy import stats

    w = na / nb
    pl = stats.beta.ppf(alpha / 2, a, b + 1)
    pu = stats.beta.ppf(1 - alpha / 2, a + 1, b)
    return pl / (1 - pl) / w, pu / (1 - pu) / w


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeats", type=int, default=7)
    args = ap.parse_args()
    rng = np.random.default_rng(2026)
    n = rng.integers(1, 5000, 1_000_000)
    x = rng.binomial(n, 0.3)
    m = 100_000
    a = rng.integers(1, 500, m)
    b = rng.integers(1, 5000, m)
    na = rng.uniform(1e3, 1e5, m)
    nb = rng.uniform(1e4, 1e6, m)
    rows = [
        ("1,000,000 Wilson intervals", "numpy closed form (floor)",
         best_of(lambda: wilson_numpy(x, n), args.repeats)),
        ("1,000,000 Wilson intervals", "proportion_ci(method='wilson')",
         best_of(lambda: proportion_ci(x, n, method="wilson"), args.repeats)),
        ("100,000 rate ratios", "numpy Katz closed form (floor)",
         best_of(lambda: katz_numpy(a, na, b, nb), args.repeats)),
        ("100,000 rate ratios", "rate_ratio(method='log')",
         best_of(lambda: rate_ratio(a, na, b, nb, method="log"), args.repeats)),
        ("100,000 rate ratios", "scipy.stats.beta.ppf exact limits only",
         best_of(lambda: exact_scipy(a, na, b, nb), args.repeats)),
        ("100,000 rate ratios", "rate_ratio(method='exact')",
         best_of(lambda: rate_ratio(a, na, b, nb, method="exact"), args.repeats)),
    ]  # fmt: skip
    floors = {rows[0][0]: rows[0][2], rows[2][0]: rows[2][2]}
    print(f"date: {dt.date.today().isoformat()}, python {platform.python_version()}, "
          f"{os.cpu_count()} cores, {platform.machine()}, best of {args.repeats}")  # fmt: skip
    print()
    print("| workload | implementation | best time (ms) | x floor |")
    print("|---|---|---:|---:|")
    for work, impl, t in rows:
        print(f"| {work} | {impl} | {t * 1000:.1f} | {t / floors[work]:.1f} |")


if __name__ == "__main__":
    main()
