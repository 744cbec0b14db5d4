#!/usr/bin/env python3
"""Per-symbol time of WIGXJPF (f64 3j/6j/9j), through pywigxjpf and through its C library.

Usage (from the repository root, after bench/setup.sh):
    bench/.venv/bin/python bench/wigxjpf_timing.py [--quick] [--no-c] [--no-python]

Two measurements per symbol set:
  * python: pywigxjpf's cffi binding in a tight loop `for r in records: wig6jj(*r)`.
    pywigxjpf has NO bulk interface (its wig6jj_array takes one symbol as an array), so the
    loop is the fastest Python path. Its overhead is measured separately: a Python no-op with
    the same arguments, and a binding call on a trivially-zero symbol (triangle violation,
    returns before any arithmetic). "net" = loop time - trivially-zero call time.
  * C: the WIGXJPF library compiled from the pywigxjpf sdist (downloaded at run time into
    bench/out/wigxjpf-src/, never committed) with bench/wigxjpf_harness.c, looping in C over
    the same records. This is the honest per-symbol figure to compare with Rust.

Sets (doubled spins; "triangle-valid" = every triad satisfies the triangle rule with an
integer sum, i.e. the symbol is not a selection-rule zero):
    six_j_int_j_le_10    all triangle-valid 6j, integer j <= 10            (254 395)
    six_j_all_j_le_10    all triangle-valid 6j, integer and half j <= 10 (1 766 270)
    cg_l_le_10           all CG <l1 m1 l2 m2|L M>, l <= 10, M = m1+m2, |M| <= L, as 3j (72 809)
    nine_j_int_j_le_4    all triangle-valid 9j, integer j <= 4             (109 631)
    nine_j_int_j_le_6    all triangle-valid 9j, integer j <= 6           (2 166 673)
    six_j_racah_large    {1000 1001 999; 1000 1002 1000} (racah's six_j/large symbol)
    six_j_j_1000         {1000 1000 1000; 1000 1000 1000}
    six_j_j_1000_mixed   {999.5 1000.5 1000; 1000.5 999.5 500}
Writes bench/out/wigxjpf_timing.json.
"""

from __future__ import annotations

import argparse
import glob
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tarfile
import time

import numpy as np

from bench_common import HERE, OUT, fmt_ns, machine, table, tool_version, write_json

PYWIGXJPF_VERSION = importlib.metadata.version("pywigxjpf")
C_FLAGS = ["-O3", "-DNDEBUG", "-fwrapv"]  # the flags pip/cffi used for pywigxjpf here (sysconfig)


def tri(a: int, b: int, c: int) -> bool:
    return abs(a - b) <= c <= a + b and (a + b + c) % 2 == 0


def six_j_set(max_two_j: int, integer_only: bool) -> np.ndarray:
    r = range(0, max_two_j + 1, 2) if integer_only else range(max_two_j + 1)
    out = []
    for j1 in r:
        for j2 in r:
            for j3 in r:
                if not tri(j1, j2, j3):
                    continue
                for j4 in r:
                    for j5 in r:
                        if not tri(j4, j5, j3):
                            continue
                        for j6 in r:
                            if tri(j1, j5, j6) and tri(j4, j2, j6):
                                out.append((j1, j2, j3, j4, j5, j6))
    return np.asarray(out, dtype=np.int32)


def cg_set(lmax: int) -> np.ndarray:
    """CG with integer l <= lmax as 3j records (2l1, 2l2, 2L, 2m1, 2m2, -2M)."""
    out = []
    for l1 in range(lmax + 1):
        for l2 in range(lmax + 1):
            for big_l in range(abs(l1 - l2), min(l1 + l2, lmax) + 1):
                for m1 in range(-l1, l1 + 1):
                    for m2 in range(-l2, l2 + 1):
                        if abs(m1 + m2) <= big_l:
                            out.append((2 * l1, 2 * l2, 2 * big_l, 2 * m1, 2 * m2, -2 * (m1 + m2)))
    return np.asarray(out, dtype=np.int32)


def nine_j_set(max_two_j: int) -> np.ndarray:
    r = range(0, max_two_j + 1, 2)
    triads = [(a, b, c) for a in r for b in r for c in r if tri(a, b, c)]
    out = []
    for a, b, c in triads:
        for d, e, f in triads:
            gs = [g for g in r if tri(a, d, g)]
            hs = [h for h in r if tri(b, e, h)]
            is_ = [i for i in r if tri(c, f, i)]
            for g in gs:
                for h in hs:
                    for i in is_:
                        if tri(g, h, i):
                            out.append((a, b, c, d, e, f, g, h, i))
    return np.asarray(out, dtype=np.int32)


def build_sets() -> dict[str, dict]:
    t0 = time.perf_counter()
    sets = {
        "six_j_int_j_le_10": dict(
            kind=6,
            max_two_j=20,
            records=six_j_set(20, True),
            description="all triangle-valid 6j, integer j <= 10",
        ),
        "six_j_all_j_le_10": dict(
            kind=6,
            max_two_j=20,
            records=six_j_set(20, False),
            description="all triangle-valid 6j, integer and half-integer j <= 10",
        ),
        "cg_l_le_10": dict(
            kind=3,
            max_two_j=20,
            records=cg_set(10),
            description="all CG l <= 10 (M = m1+m2, |M| <= L), evaluated as 3j",
        ),
        "nine_j_int_j_le_4": dict(
            kind=9,
            max_two_j=8,
            records=nine_j_set(8),
            description="all triangle-valid 9j, integer j <= 4",
        ),
        "nine_j_int_j_le_6": dict(
            kind=9,
            max_two_j=12,
            records=nine_j_set(12),
            description="all triangle-valid 9j, integer j <= 6",
        ),
        "six_j_racah_large": dict(
            kind=6,
            max_two_j=2004,
            records=np.asarray([(2000, 2002, 1998, 2000, 2004, 2000)], dtype=np.int32),
            description="{1000 1001 999; 1000 1002 1000} (the racah six_j/large bench symbol)",
        ),
        "six_j_j_1000": dict(
            kind=6,
            max_two_j=2000,
            records=np.asarray([(2000,) * 6], dtype=np.int32),
            description="{1000 1000 1000; 1000 1000 1000}",
        ),
        "six_j_j_1000_mixed": dict(
            kind=6,
            max_two_j=2001,
            records=np.asarray([(1999, 2001, 2000, 2001, 1999, 1000)], dtype=np.int32),
            description="{999.5 1000.5 1000; 1000.5 999.5 500}",
        ),
    }
    print(
        f"built symbol sets in {time.perf_counter() - t0:.1f} s: "
        + ", ".join(f"{k} {len(v['records'])}" for k, v in sets.items())
    )
    return sets


# ------------------------------------------------------------------ Python (pywigxjpf)


def time_loop(fn, recs: list[tuple[int, ...]], min_seconds: float) -> float:
    """Best ns per call of `for r in recs: fn(*r)` over repeated sweeps (at least 3)."""
    t0 = time.perf_counter()
    for r in recs:
        fn(*r)
    once = time.perf_counter() - t0
    reps = max(1, int(0.02 / max(once, 1e-9)))  # tiny sets: repeat the list to ~20 ms a sweep
    work = recs * reps
    best = float("inf")
    start = time.perf_counter()
    n_sweeps = 0
    while n_sweeps < 3 or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        for r in work:
            fn(*r)
        best = min(best, time.perf_counter() - t0)
        n_sweeps += 1
    return 1e9 * best / len(work)


def python_timings(sets: dict[str, dict], min_seconds: float) -> dict:
    import pywigxjpf as wig

    wig.wig_table_init(2100, 9)
    wig.wig_temp_init(2100)
    fns = {3: wig.wig3jj, 6: wig.wig6jj, 9: wig.wig9jj}

    def noop(*_a):
        return 0.0

    n = 200_000
    overhead = {
        "python_noop_6_args_ns": time_loop(noop, [(2, 2, 2, 2, 2, 2)] * n, min_seconds),
        "python_noop_9_args_ns": time_loop(noop, [(2,) * 9] * n, min_seconds),
        # triangle violation: WIGXJPF returns 0 before any arithmetic -> binding cost
        "binding_trivial_zero_3j_ns": time_loop(wig.wig3jj, [(2, 2, 10, 0, 0, 0)] * n, min_seconds),
        "binding_trivial_zero_6j_ns": time_loop(wig.wig6jj, [(2, 2, 10, 2, 2, 2)] * n, min_seconds),
        "binding_trivial_zero_9j_ns": time_loop(
            wig.wig9jj, [(2, 2, 10) + (2,) * 6] * n, min_seconds
        ),
    }
    res = {}
    for name, s in sets.items():
        recs = [tuple(int(x) for x in r) for r in s["records"]]
        fn = fns[s["kind"]]
        ns = time_loop(fn, recs, min_seconds)
        checksum = float(sum(fn(*r) for r in recs))
        trivial = overhead[f"binding_trivial_zero_{s['kind']}j_ns"]
        res[name] = {
            "python_ns": ns,
            "python_net_ns": max(ns - trivial, 0.0),
            "python_checksum": checksum,
        }
    wig.wig_temp_free()
    wig.wig_table_free()
    return {"overhead": overhead, "sets": res}


# ------------------------------------------------------------------ C (WIGXJPF from the sdist)


def wigxjpf_sources() -> str:
    """Download (once) and unpack the pywigxjpf sdist into bench/out/wigxjpf-src; return its dir."""
    dest = os.path.join(OUT, "wigxjpf-src")
    src_dir = os.path.join(dest, f"pywigxjpf-{PYWIGXJPF_VERSION}")
    if os.path.isdir(os.path.join(src_dir, "src")):
        return src_dir
    os.makedirs(dest, exist_ok=True)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--no-binary",
            ":all:",
            "--no-build-isolation",
            "-q",
            "-d",
            dest,
            f"pywigxjpf=={PYWIGXJPF_VERSION}",
        ],
        check=True,
    )
    (tarball,) = glob.glob(os.path.join(dest, f"pywigxjpf-{PYWIGXJPF_VERSION}.tar.gz"))
    with tarfile.open(tarball) as tf:
        tf.extractall(dest, filter="data")
    return src_dir


def build_harness() -> str:
    cc = shutil.which("cc") or shutil.which("gcc")
    if cc is None:
        raise RuntimeError("no C compiler (cc/gcc) on PATH")
    src = wigxjpf_sources()
    exe = os.path.join(OUT, "wigxjpf_harness")
    lib_sources = [
        os.path.join(src, "src", f)
        for f in ("c_wrap.c", "calc.c", "prime_factor.c", "trivial_zero.c", "wigxjpf_error.c")
    ]
    includes = [f"-I{os.path.join(src, d)}" for d in ("inc", "src", "cfg", "pywigxjpf/pregen")]
    cmd = [
        cc,
        *C_FLAGS,
        "-w",
        *includes,
        os.path.join(HERE, "wigxjpf_harness.c"),
        *lib_sources,
        "-lm",
        "-o",
        exe,
    ]
    subprocess.run(cmd, check=True)
    return exe


def c_timings(sets: dict[str, dict], min_seconds: float) -> dict:
    exe = build_harness()
    res = {}
    for name, s in sets.items():
        path = os.path.join(OUT, f"wigxjpf_records_{name}.bin")
        s["records"].astype("<i4").tofile(path)
        secs = max(min_seconds, 0.2)
        out = subprocess.run(
            [exe, str(s["kind"]), path, str(s["max_two_j"] + 4), str(secs)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        r = json.loads(out)
        res[name] = {
            "c_best_ns": r["best_ns"],
            "c_median_ns": r["median_ns"],
            "c_repeats": r["repeats"],
            "c_checksum": r["checksum"],
        }
        os.remove(path)
    return {
        "cc": tool_version([shutil.which("cc") or "gcc", "--version"]),
        "cflags": " ".join(C_FLAGS),
        "sets": res,
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="shorter repeats (noisier)")
    ap.add_argument("--no-c", action="store_true", help="skip the C harness")
    ap.add_argument("--no-python", action="store_true", help="skip the pywigxjpf loop")
    args = ap.parse_args()
    min_seconds = 0.3 if args.quick else 2.0

    sets = build_sets()
    result = {
        "machine": machine(),
        "pywigxjpf": PYWIGXJPF_VERSION,
        "command": "bench/.venv/bin/python bench/wigxjpf_timing.py"
        + (" --quick" if args.quick else ""),
        "sets": {
            k: {"kind": v["kind"], "count": int(len(v["records"])), "description": v["description"]}
            for k, v in sets.items()
        },
    }
    if not args.no_python:
        py = python_timings(sets, min_seconds)
        result["python_overhead"] = py["overhead"]
        for k, v in py["sets"].items():
            result["sets"][k].update(v)
    if not args.no_c:
        try:
            c = c_timings(sets, min_seconds)
            result["c_compiler"] = c["cc"]
            result["c_flags"] = c["cflags"]
            for k, v in c["sets"].items():
                result["sets"][k].update(v)
        except (RuntimeError, subprocess.CalledProcessError, OSError, ValueError) as e:
            print(f"C harness unavailable: {e}")

    rows = []
    for k, v in result["sets"].items():
        rows.append(
            [
                k,
                v["count"],
                fmt_ns(v.get("python_ns")),
                fmt_ns(v.get("python_net_ns")),
                fmt_ns(v.get("c_best_ns")),
                fmt_ns(v.get("c_median_ns")),
            ]
        )
    print(
        table(
            [
                "set",
                "symbols",
                "pywigxjpf/symbol",
                "pywigxjpf net",
                "C best/symbol",
                "C median/symbol",
            ],
            rows,
        )
    )
    if "python_overhead" in result:
        o = result["python_overhead"]
        print(
            "Python overhead per call: "
            + ", ".join(f"{k.removesuffix('_ns')} {fmt_ns(v)}" for k, v in o.items())
        )
    path = write_json("wigxjpf_timing.json", result)
    print(f"wrote {os.path.relpath(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
