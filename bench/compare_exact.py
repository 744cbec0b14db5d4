#!/usr/bin/env python3
"""Side-by-side: racah-exact criterion benches vs WIGXJPF (C and pywigxjpf) and e3nn-jax.

Usage (from the repository root, after bench/setup.sh):
    bench/.venv/bin/python bench/compare_exact.py [--reuse-wigxjpf] [--no-cargo] [--quick]

Steps:
  1. bench/wigxjpf_timing.py (skipped with --reuse-wigxjpf: reads bench/out/wigxjpf_timing.json)
  2. cargo bench -p racah-exact --bench {six_j,cg,nine_j[,real_cg]} -- --warm-up-time 1
     --measurement-time 3   (skipped with --no-cargo; missing bench targets are reported)
  3. reads target/criterion/<group>/<id>/new/{estimates,benchmark}.json (mean point estimate,
     Throughput::Elements) and prints a table with per-symbol times and ratios.
Writes bench/out/compare_exact.json.

Expected criterion ids: six_j/{f64_all_j_le_10, exact_all_j_le_10, f64_j_1000}, cg/f64_all_l_le_10,
nine_j/f64_all_j_le_6, real_cg/l_le_10. Every other id in those groups is listed too.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

from bench_common import HERE, fmt_ns, machine, read_json, table, tool_version, write_json
from criterion_results import bench_targets, load_all, run_cargo_bench

PACKAGE = "racah-exact"
BENCHES = ["six_j", "cg", "nine_j", "real_basis", "real_cg"]  # missing targets are reported
GROUPS = ("six_j", "cg", "nine_j", "real_cg")

# (racah criterion ids, first found wins; candidate WIGXJPF sets, the one with the same element
# count wins, else the first; what is compared). The first id of each is the name the brief
# asked for, the next ones the names the benches use now.
PAIRS = [
    (
        ["six_j/f64_all_j_le_10", "six_j/f64/j_max/10"],
        ["six_j_int_j_le_10", "six_j_all_j_le_10"],
        "f64",
    ),
    (
        ["six_j/exact_all_j_le_10", "six_j/exact/j_max/10"],
        ["six_j_int_j_le_10", "six_j_all_j_le_10"],
        "exact vs f64",
    ),
    (
        ["six_j/f64_j_1000", "six_j/large/f64_j/1000"],
        ["six_j_racah_large", "six_j_j_1000", "six_j_j_1000_mixed"],
        "f64",
    ),
    (["six_j/large/exact_j/1000"], ["six_j_racah_large", "six_j_j_1000"], "exact vs f64"),
    (["cg/f64_all_l_le_10", "cg/f64/l_max/10"], ["cg_l_le_10"], "f64 (WIGXJPF: 3j)"),
    (["cg/exact/l_max/10"], ["cg_l_le_10"], "exact vs f64"),
    (["cg/block_f64/l_max/10"], ["cg_l_le_10"], "block f64 vs f64"),
    (["nine_j/f64/j_max/4"], ["nine_j_int_j_le_4"], "f64"),
    (["nine_j/f64_all_j_le_6", "nine_j/f64/j_max/6"], ["nine_j_int_j_le_6"], "f64"),
    (["nine_j/exact/j_max/4"], ["nine_j_int_j_le_4"], "exact vs f64"),
    (["nine_j/exact/j_max/6"], ["nine_j_int_j_le_6"], "exact vs f64"),
]


def e3nn_real_cg_l_le_10(min_seconds: float) -> dict | None:
    """Time e3nn-jax building every real CG tensor l1, l2, l3 <= 10 (uncached)."""
    try:
        from e3nn_jax._src import so3
    except ImportError:
        return None
    fn = so3._clebsch_gordan.__wrapped__  # bypass functools.cache
    triples = [
        (a, b, c)
        for a in range(11)
        for b in range(11)
        for c in range(abs(a - b), min(a + b, 10) + 1)
    ]
    coeffs = sum((2 * a + 1) * (2 * b + 1) * (2 * c + 1) for a, b, c in triples)
    t0 = time.perf_counter()
    fn(10, 10, 10)
    single = time.perf_counter() - t0
    best = float("inf")
    start = time.perf_counter()
    n = 0
    while n < 1 or (n < 3 and time.perf_counter() - start < min_seconds):  # one pass is ~1 min
        t0 = time.perf_counter()
        for t in triples:
            fn(*t)
        best = min(best, time.perf_counter() - t0)
        n += 1
    return {
        "triples": len(triples),
        "dense_coefficients": coeffs,
        "total_ns": best * 1e9,
        "single_10_10_10_ns": single * 1e9,
    }


def pick_set(wx: dict, candidates: list[str], elements: int | None) -> tuple[str | None, str]:
    sets = wx.get("sets", {}) if wx else {}
    avail = [c for c in candidates if c in sets]
    if not avail:
        return None, "no WIGXJPF figure"
    for c in avail:
        if elements is not None and sets[c]["count"] == elements:
            return c, "same set"
    if elements is None:
        return avail[0], "racah element count unknown"
    return avail[0], f"SETS DIFFER: racah {elements} elements, WIGXJPF {sets[avail[0]]['count']}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--reuse-wigxjpf", action="store_true")
    ap.add_argument("--no-cargo", action="store_true")
    ap.add_argument("--quick", action="store_true", help="pass --quick to wigxjpf_timing.py")
    ap.add_argument(
        "--no-e3nn", action="store_true", help="skip timing e3nn-jax real CG (about 1 min)"
    )
    args = ap.parse_args()

    if not args.reuse_wigxjpf or read_json("wigxjpf_timing.json") is None:
        cmd = [sys.executable, f"{HERE}/wigxjpf_timing.py"] + (["--quick"] if args.quick else [])
        subprocess.run(cmd, check=False)
    wx = read_json("wigxjpf_timing.json") or {}

    ran = {}
    if not args.no_cargo:
        targets = bench_targets(PACKAGE)
        for b in BENCHES:
            if b not in targets:
                print(f"bench target {PACKAGE}/{b}: not found")
                ran[b] = "not found"
                continue
            ok = run_cargo_bench(PACKAGE, b, ["--warm-up-time", "1", "--measurement-time", "3"])
            ran[b] = "ok" if ok else "failed"

    crit = load_all()
    rows, out_rows, used = [], [], set()
    for rids, candidates, kind in PAIRS:
        rid = next((i for i in rids if i in crit), rids[-1])
        r = crit.get(rid)
        used.update(rids)
        elements = r["elements"] if r else None
        set_name, note = pick_set(wx, candidates, elements)
        s = wx.get("sets", {}).get(set_name, {}) if set_name else {}
        racah_ns = r["ns_per_element"] if r else None
        c_ns = s.get("c_best_ns")
        py_ns = s.get("python_ns")
        ratio_c = f"{racah_ns / c_ns:.2f}" if racah_ns and c_ns else "-"
        ratio_py = f"{racah_ns / py_ns:.2f}" if racah_ns and py_ns else "-"
        if r is None:
            note = "racah bench not found (" + " / ".join(rids) + ")"
        rows.append(
            [
                rid,
                kind,
                elements if elements is not None else "-",
                fmt_ns(racah_ns),
                set_name or "-",
                fmt_ns(c_ns),
                fmt_ns(py_ns),
                ratio_c,
                ratio_py,
                note,
            ]
        )
        out_rows.append(
            dict(
                racah_id=rid,
                kind=kind,
                racah_elements=elements,
                racah_ns_per_symbol=racah_ns,
                wigxjpf_set=set_name,
                wigxjpf_c_best_ns=c_ns,
                pywigxjpf_ns=py_ns,
                note=note,
            )
        )
    print()
    print(
        table(
            [
                "racah id",
                "compares",
                "symbols",
                "racah/symbol (mean)",
                "WIGXJPF set",
                "WIGXJPF C (best)",
                "pywigxjpf",
                "racah/C",
                "racah/py",
                "note",
            ],
            rows,
        )
    )

    # real CG tensors vs e3nn-jax: one (10,10,10) tensor, and every tensor with l <= 10
    e3 = None if args.no_e3nn else e3nn_real_cg_l_le_10(1.0 if args.quick else 3.0)
    single = crit.get("real_cg/l_le_10")
    every = crit.get("real_cg/all_l_le_10")
    used.update({"real_cg/l_le_10", "real_cg/all_l_le_10"})
    if e3 is None:
        print()
        print(
            table(
                ["real CG (e3nn basis)", "racah exact (mean)"],
                [
                    [
                        "one tensor (10,10,10)",
                        fmt_ns(single["mean_ns"]) if single else "not found",
                    ],
                    [
                        "every tensor l <= 10 (671 triples)",
                        fmt_ns(every["mean_ns"]) if every else "not found",
                    ],
                ],
            )
        )
    else:
        print()
        rows_cg = [
            [
                "one tensor (10,10,10)",
                fmt_ns(single["mean_ns"]) if single else "not found",
                fmt_ns(e3["single_10_10_10_ns"]),
                f"{single['mean_ns'] / e3['single_10_10_10_ns']:.3g}" if single else "-",
            ],
            [
                f"every tensor l <= 10 ({e3['triples']} triples)",
                fmt_ns(every["mean_ns"]) if every else "not found",
                fmt_ns(e3["total_ns"]),
                f"{every['mean_ns'] / e3['total_ns']:.3g}" if every else "-",
            ],
        ]
        print(
            table(
                [
                    "real CG (e3nn basis)",
                    "racah exact (mean)",
                    "e3nn-jax clebsch_gordan, uncached, f64",
                    "racah/e3nn-jax",
                ],
                rows_cg,
            )
        )

    others = sorted(k for k in crit if k.split("/")[0] in GROUPS and k not in used)
    if others:
        print("\nother racah-exact criterion ids:")
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
                    for k in others
                ],
            )
        )
    oh = wx.get("python_overhead")
    if oh:
        print("\npywigxjpf call overhead: " + ", ".join(f"{k} {fmt_ns(v)}" for k, v in oh.items()))
        print(
            "(pywigxjpf has no bulk API; for 6j/3j at j <= 10 the Python call costs about as much as"
            " the symbol itself; compare racah with the C column.)"
        )

    path = write_json(
        "compare_exact.json",
        {
            "machine": machine(),
            "rustc": tool_version(["rustc", "--version"]),
            "cargo_benches": ran,
            "pairs": out_rows,
            "e3nn_jax_real_cg_l_le_10": e3,
            "racah_real_cg_10_10_10": single,
            "racah_real_cg_all_l_le_10": every,
            "other_ids": {k: crit[k] for k in others},
            "wigxjpf": wx,
        },
    )
    print(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
