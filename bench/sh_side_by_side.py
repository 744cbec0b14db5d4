#!/usr/bin/env python3
"""racah vs sphericart spherical harmonics, single thread, side by side in one run.

Usage (from the repository root, venv from bench/setup.sh, sphericart installed):
    bench/.venv/bin/python bench/sh_side_by_side.py [--rounds 3] [--points 1024]
        [--l 1,2,4,8,12,16,24,32] [--racah-bin PATH] [--only-grad]

Both sides use the same protocol: uniform points in [-1, 1)^3 (normalised to the unit sphere,
e3nn / sphericart default), an in-cache batch of --points points, outputs allocated once and
reused, best of 60 timed runs of `reps` calls each (reps = 200 000 / (points·dim) for values,
50 000 / (points·dim) with gradients, at least 1); ns per point.
racah: `cargo bench -p racah-numeric --bench sh` with RACAH_SH_SINGLE set (numeric/benches/sh.rs),
or a prebuilt bench binary (--racah-bin, for before/after comparisons).
sphericart: SphericalHarmonics(l)._compute_numpy(xyz, out, dout) into preallocated arrays.
The rounds alternate racah and sphericart; each figure is the best over the rounds, and the
load average (uptime) before each round is printed. RAYON_NUM_THREADS=1 and OMP_NUM_THREADS=1
are forced for both. ratio = sphericart ns / racah ns (> 1: racah has the higher throughput).
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os

os.environ["OMP_NUM_THREADS"] = "1"
os.environ["RAYON_NUM_THREADS"] = "1"

import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def racah(ls: list[int], points: int, binary: str | None) -> dict:
    env = dict(os.environ, RACAH_SH_SINGLE=",".join(map(str, ls)),
               RACAH_SH_SINGLE_POINTS=str(points))
    if binary:
        cmd = [binary, "--bench"]
    else:
        cmd = ["cargo", "bench", "-q", "-p", "racah-numeric", "--bench", "sh"]
    res = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    out = {}
    for line in res.stdout.splitlines():
        if not line.startswith("racah "):
            continue
        f = dict(kv.split("=") for kv in line.split()[1:] if "=" in kv)
        dtype = line.split()[3]
        out[(int(f["grad"]), int(f["l"]), dtype)] = float(f["ns"])
    return out


def sphericart_ns(ls: list[int], points: int, only_grad: bool) -> dict:
    import numpy as np
    import sphericart

    rng = np.random.default_rng(0)
    base = rng.random((points, 3)) * 2 - 1
    out = {}
    for grad in ([1] if only_grad else [0, 1]):
        for l in ls:
            for dtype in (np.float64, np.float32):
                xyz = base.astype(dtype)
                sh = sphericart.SphericalHarmonics(l)
                dim = (l + 1) ** 2
                y = np.empty((points, dim), dtype=dtype)
                dy = np.empty((points, 3, dim), dtype=dtype) if grad else None
                reps = max(1, (50_000 if grad else 200_000) // (points * dim))
                best = 1e9
                for _ in range(60):
                    t = time.perf_counter()
                    for _ in range(reps):
                        sh._compute_numpy(xyz, y, dy, None)
                    best = min(best, (time.perf_counter() - t) / (reps * points))
                out[(grad, l, np.dtype(dtype).name)] = best * 1e9
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--points", type=int, default=1024)
    ap.add_argument("--l", default="1,2,4,8,12,16,24,32")
    ap.add_argument("--racah-bin", default=None)
    ap.add_argument("--only-grad", action="store_true")
    a = ap.parse_args()
    ls = [int(s) for s in a.l.split(",")]
    if not a.racah_bin:  # build first so that compiling is not timed
        subprocess.run(["cargo", "bench", "-q", "-p", "racah-numeric", "--bench", "sh",
                        "--no-run"], cwd=ROOT, check=True)
    import sphericart  # noqa: F401

    best_r: dict = {}
    best_s: dict = {}
    for rnd in range(a.rounds):
        load = os.getloadavg()
        print(f"round {rnd + 1}: load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
              file=sys.stderr)
        for k, v in racah(ls, a.points, a.racah_bin).items():
            best_r[k] = min(v, best_r.get(k, 1e99))
        for k, v in sphericart_ns(ls, a.points, a.only_grad).items():
            best_s[k] = min(v, best_s.get(k, 1e99))
    load = os.getloadavg()
    print(f"single thread, {a.points} points, best of {a.rounds} rounds x 60 runs; "
          f"sphericart {importlib.metadata.version('sphericart')}; load average at end "
          f"{load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(f"{'':10} {'l_max':>5} | {'f64 racah':>10} {'sphericart':>10} {'ratio':>6} | "
          f"{'f32 racah':>10} {'sphericart':>10} {'ratio':>6}")
    for grad in ([1] if a.only_grad else [0, 1]):
        for l in ls:
            cells = []
            for dt in ("float64", "float32"):
                r = best_r.get((grad, l, "f64" if dt == "float64" else "f32"))
                s = best_s.get((grad, l, dt))
                cells.append(f"{r:10.1f} {s:10.1f} {s / r:6.2f}")
            print(f"{'gradients' if grad else 'values':10} {l:5} | {cells[0]} | {cells[1]}")


if __name__ == "__main__":
    main()
