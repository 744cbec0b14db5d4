#!/usr/bin/env python3
"""Side-by-side: racah-numeric criterion SH benches ("sh/f64", "sh/f32", id "l_max"/N) vs
sphericart (bench/out/sphericart_timing.json), plus e3nn-jax tensor products next to any
racah "tensor_product*" criterion ids.

Usage (from the repository root, after bench/setup.sh):
    bench/.venv/bin/python bench/compare_numeric.py            # read existing results
    bench/.venv/bin/python bench/compare_numeric.py --run      # run sphericart_timing.py and
        cargo bench -p racah-numeric --bench sh -- --warm-up-time 1 --measurement-time 3 first
Writes bench/out/compare_numeric.json.
"""

from __future__ import annotations

import argparse
import subprocess
import sys

from bench_common import HERE, fmt_ns, machine, read_json, table, tool_version, write_json
from criterion_results import bench_targets, load_all, run_cargo_bench

L_MAX = (2, 4, 8, 16)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--run", action="store_true", help="run sphericart_timing.py and cargo bench first"
    )
    ap.add_argument("--quick", action="store_true", help="pass --quick to sphericart_timing.py")
    args = ap.parse_args()

    if args.run:
        subprocess.run(
            [sys.executable, f"{HERE}/sphericart_timing.py"] + (["--quick"] if args.quick else []),
            check=False,
        )
        if "sh" in bench_targets("racah-numeric"):
            run_cargo_bench(
                "racah-numeric", "sh", ["--warm-up-time", "1", "--measurement-time", "3"]
            )
        else:
            print("bench target racah-numeric/sh: not found")

    crit = load_all()
    sc = read_json("sphericart_timing.json")
    sc_rows = sc["results"] if sc else []

    def sphericart_ns(dtype: str, l_max: int, threads: int, mode_prefix: str) -> float | None:
        for r in sc_rows:
            if (
                r["dtype"] == dtype
                and r["l_max"] == l_max
                and r["threads"] == threads
                and r["mode"].startswith(mode_prefix)
            ):
                return 1e9 * r["best_s"] / r["points"]
        return None

    threads = sorted({r["threads"] for r in sc_rows}) or [1]
    rows, out = [], []
    for t, dtype in (("f64", "float64"), ("f32", "float32")):
        for l_max in L_MAX:
            r = crit.get(f"sh/{t}/l_max/{l_max}")
            rg = crit.get(f"sh/{t}/l_max_with_gradients/{l_max}")
            racah = r["ns_per_element"] if r else None
            row = [t, l_max, fmt_ns(racah), fmt_ns(rg["ns_per_element"]) if rg else "not found"]
            rec = dict(
                dtype=t,
                l_max=l_max,
                racah_ns_per_point=racah,
                racah_points=r["elements"] if r else None,
                racah_with_gradients_ns_per_point=rg["ns_per_element"] if rg else None,
            )
            for th in threads:
                k = sphericart_ns(dtype, l_max, th, "kernel")
                a = sphericart_ns(dtype, l_max, th, "compute")
                row += [fmt_ns(k), fmt_ns(a), f"{racah / k:.2f}" if racah and k else "-"]
                rec[f"sphericart_kernel_{th}t_ns_per_point"] = k
                rec[f"sphericart_compute_{th}t_ns_per_point"] = a
            rows.append(row)
            out.append(rec)
    headers = ["dtype", "l_max", "racah/point", "racah+grad/point"]
    for th in threads:
        headers += [
            f"sphericart kernel {th}t",
            f"sphericart compute() {th}t",
            f"racah/kernel {th}t",
        ]
    print(table(headers, rows))
    if sc is None:
        print("sphericart results not found: run bench/sphericart_timing.py")
    else:
        pts = {r["points"] for r in sc_rows}
        rp = {o["racah_points"] for o in out if o["racah_points"]}
        print(
            f"points per call: sphericart {sorted(pts)}, racah {sorted(rp) or 'n/a'}"
            " (RACAH_BENCH_POINTS sets racah's); racah threads: see the bench (rayon)."
        )

    # tensor products: e3nn-jax figures next to any racah tensor_product ids
    ej = read_json("e3nn_jax_timing.json")
    tp_ids = sorted(k for k in crit if k.split("/")[0].startswith("tensor_product"))
    if ej:
        print("\ne3nn-jax (f32, jit, CPU):")
        print(
            table(
                ["case", "impl", "batch", "ns/item", "useful GFLOP/s"],
                [
                    [
                        r["case"],
                        r["impl"],
                        r["batch"],
                        fmt_ns(1e9 / r["items_per_s"]),
                        f"{r['useful_gflops']:.2f}",
                    ]
                    for r in ej["results"]
                ],
            )
        )
    if tp_ids:
        print("racah tensor_product criterion ids:")
        print(
            table(
                ["id", "elements", "mean", "per element"],
                [
                    [
                        k,
                        crit[k]["elements"] or "-",
                        fmt_ns(crit[k]["mean_ns"]),
                        fmt_ns(crit[k]["ns_per_element"]) if crit[k]["elements"] else "-",
                    ]
                    for k in tp_ids
                ],
            )
        )
    else:
        print("racah tensor_product criterion ids: not found")

    path = write_json(
        "compare_numeric.json",
        {
            "machine": machine(),
            "rustc": tool_version(["rustc", "--version"]),
            "sh": out,
            "sphericart": sc,
            "e3nn_jax": ej,
            "racah_tensor_product": {k: crit[k] for k in tp_ids},
        },
    )
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
