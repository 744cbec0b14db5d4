#!/usr/bin/env python3
"""sphericart (numpy API, CPU) spherical-harmonics throughput in points per second.

Usage (from the repository root, after bench/setup.sh):
    bench/.venv/bin/python bench/sphericart_timing.py [--quick] [--points 1000000] [--threads 1 2]

Measures sphericart.SphericalHarmonics(l_max).compute(xyz) (real SH normalised on the unit
sphere, no gradients) on --points seeded random points (numpy default_rng(42), normal in R^3),
f64 and f32, l_max 2, 4, 8, 16. sphericart parallelises with OpenMP; each thread count runs in
its own process with OMP_NUM_THREADS set. compute() allocates its output array every call,
as the Python API requires: "compute() (allocates output)" includes that (page faults dominate
at large l_max); "kernel (preallocated output)" calls the private _compute_numpy into a reused
buffer, the figure to compare with racah's SphericalHarmonics::compute(&xyz, &mut out).
Writes bench/out/sphericart_timing.json.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import subprocess
import sys
import time

from bench_common import fmt_ns, machine, table, write_json

L_MAX = (2, 4, 8, 16)


def best_median(fn, min_seconds: float) -> tuple[float, float, int]:
    times = []
    start = time.perf_counter()
    while len(times) < 3 or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[0], times[len(times) // 2], len(times)


def child(points: int, min_seconds: float) -> list[dict]:
    import numpy as np
    import sphericart

    rng = np.random.default_rng(42)
    xyz64 = rng.normal(size=(points, 3))
    rows = []
    for dtype in (np.float64, np.float32):
        xyz = np.ascontiguousarray(xyz64.astype(dtype))
        for l_max in L_MAX:
            calc = sphericart.SphericalHarmonics(l_max)
            ref = calc.compute(xyz)  # warm-up
            assert ref.shape == (points, (l_max + 1) ** 2) and ref.dtype == dtype
            modes = {"compute() (allocates output)": lambda: calc.compute(xyz)}
            # kernel only, into a reused buffer, like racah's `compute(&xyz, &mut out)`;
            # uses sphericart's private _compute_numpy (what compute() calls after allocating)
            if hasattr(calc, "_compute_numpy"):
                buf = np.empty_like(ref)
                calc._compute_numpy(xyz, buf, None, None)
                assert np.array_equal(buf, ref)
                modes["kernel (preallocated output)"] = lambda: calc._compute_numpy(
                    xyz, buf, None, None
                )
            del ref
            for mode, fn in modes.items():
                best, med, n = best_median(fn, min_seconds)
                rows.append(
                    dict(
                        dtype=np.dtype(dtype).name,
                        l_max=l_max,
                        points=points,
                        mode=mode,
                        best_s=best,
                        median_s=med,
                        repeats=n,
                        points_per_s=points / best,
                    )
                )
            modes.clear()
            buf = None
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--threads", type=int, nargs="*", default=[1, os.cpu_count() or 1])
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    min_seconds = 0.5 if args.quick else 3.0

    if args.child:
        print(json.dumps(child(args.points, min_seconds)))
        return 0

    results = []
    for t in sorted(set(args.threads)):
        env = dict(os.environ, OMP_NUM_THREADS=str(t))
        cmd = [sys.executable, os.path.abspath(__file__), "--child", "--points", str(args.points)]
        if args.quick:
            cmd.append("--quick")
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True).stdout
        for r in json.loads(out.strip().splitlines()[-1]):
            r["threads"] = t
            results.append(r)

    print(
        table(
            [
                "dtype",
                "l_max",
                "threads",
                "mode",
                "points",
                "best",
                "median",
                "Mpoints/s",
                "ns/point",
            ],
            [
                [
                    r["dtype"],
                    r["l_max"],
                    r["threads"],
                    r["mode"],
                    r["points"],
                    fmt_ns(r["best_s"] * 1e9),
                    fmt_ns(r["median_s"] * 1e9),
                    f"{r['points_per_s'] / 1e6:.2f}",
                    f"{1e9 / r['points_per_s']:.1f}",
                ]
                for r in results
            ],
        )
    )
    path = write_json(
        "sphericart_timing.json",
        {
            "machine": machine(),
            "sphericart": importlib.metadata.version("sphericart"),
            "command": "bench/.venv/bin/python bench/sphericart_timing.py"
            + (" --quick" if args.quick else ""),
            "what": "SphericalHarmonics(l_max).compute(xyz), numpy CPU, unit-sphere normalised, no gradients",
            "results": results,
        },
    )
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
