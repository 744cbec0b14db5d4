#!/usr/bin/env python3
"""Side-by-side: racah's MACE symmetric contraction (criterion group
`mace_sc/{f32,f64}/threads_{1,2}`, numeric/benches/fusion_block.rs) against mace-torch's
SymmetricContraction (bench/mace_sc_timing.py), with ratios, GFLOP/s and a path-count check.

Same shapes on both sides: correlation 3, 32 channels, 3 elements, batch 10^4, input
32x0e+32x1o+32x2e(+32x3o), output 32x0e or 32x0e+32x1o.

GFLOP/s are *useful* FLOPs, counted from the nonzero real-CG coefficients of racah's
parsimonious trees (`FusionBlock::flops_per_row`: 3·nnz·C per coupled trie node plus
2·(2L+1)·C per path), for both sides: the same count divided by each side's time, so the
GFLOP/s ratio is the time ratio. mace-torch does more arithmetic (dense U tensors).

Checks, per output irrep L and body order nu:
1. counts: racah's number of paths equals the rank of mace-torch's symmetrised U_nu (both
   variants, MATH.md §5) and, when the `racah` binary is built, `racah count --irreps V --nu 3`;
2. span: racah's unweighted path values on one channel of 40 seeded inputs (written by the
   bench to bench/out/racah_mace_sc_meta.json) and mace-torch's U_nu columns contracted with
   the same inputs, x ↦ Σ U[m, a1..aν, η] x_a1 ⋯ x_aν (float64 build), span the same space:
   rank R = rank M = rank [R M], and the largest residual of a unit-norm column of M projected
   onto span R (and vice versa) is rounding-sized. So the two blocks differ only by an
   invertible change of weights per (element, channel, L, nu).

Usage (from the repository root, after `bash bench/setup.sh --with-torch`):
    bench/.venv/bin/python bench/compare_mace.py            # read existing results
    bench/.venv/bin/python bench/compare_mace.py --run      # run both benches first:
        RAYON_NUM_THREADS={1,2} cargo bench -p racah-numeric --bench fusion_block -- mace_sc \
            --warm-up-time 1 --measurement-time 3
        bench/.venv/bin/python bench/mace_sc_timing.py
Writes bench/out/compare_mace.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

from bench_common import HERE, ROOT, machine, read_json, table, write_json
from criterion_results import load_all, target_dir

DTYPES = (("f32", "float32"), ("f64", "float64"))


def run(args: argparse.Namespace) -> None:
    for th in (1, 2):
        cmd = [
            "cargo", "bench", "-p", "racah-numeric", "--bench", "fusion_block", "--",
            "mace_sc", "--warm-up-time", "1", "--measurement-time", "3",
        ]
        print(f"$ RAYON_NUM_THREADS={th} " + " ".join(cmd), flush=True)
        subprocess.run(cmd, cwd=ROOT, env={**os.environ, "RAYON_NUM_THREADS": str(th)}, check=False)
    cmd = [sys.executable, f"{HERE}/mace_sc_timing.py"] + (["--quick"] if args.quick else [])
    print("$ " + " ".join(cmd), flush=True)
    subprocess.run(cmd, check=False)


def racah_count(irreps_in: str) -> dict | None:
    """`racah count --irreps V --nu 3 --json` (V = one channel), if the binary is built."""
    for profile in ("release", "debug"):
        exe = os.path.join(target_dir(), profile, "racah")
        if os.path.exists(exe):
            break
    else:
        return None
    v = "+".join("1x" + t.split("x", 1)[1] for t in irreps_in.split("+"))
    try:
        out = subprocess.run(
            [exe, "count", "--irreps", v, "--nu", "3", "--json"],
            capture_output=True, text=True, check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    return {r["nu"]: r["multiplicities"] for r in json.loads(out)["rows"]}


def span_check(meta: dict) -> tuple[bool, list[list[object]]]:
    """Compare racah's path functions with mace-torch's U columns on the same inputs."""
    import numpy as np
    import torch
    from mace_sc_timing import VARIANTS, build

    try:
        import mace.tools.cg as cg
    except ImportError:
        return False, [["mace-torch not installed"]]
    ok, rows = True, []
    for s in meta["shapes"]:
        sc_data = s["span_check"]
        x = torch.tensor(sc_data["inputs"], dtype=torch.float64)
        for v, reduced in VARIANTS.items():
            if reduced and not cg.CUET_AVAILABLE:
                continue
            sc = build(s["irreps_in"], s["irreps_out"], torch.float64, reduced)
            for (_, ir), con in zip(sc.irreps_out, sc.contractions):
                for nu in range(1, 4):
                    u = con.U_tensors(nu)
                    if ir.l == 0:
                        u = u.unsqueeze(0)
                    # contract the last input index with x, nu times (the same sample s)
                    f = torch.einsum("m...ap,sa->sm...p", u, x)
                    for _ in range(nu - 1):
                        f = torch.einsum("sm...ap,sa->sm...p", f, x)
                    mm = f.reshape(-1, f.shape[-1]).numpy()
                    rr = np.array(
                        [
                            p["values"]
                            for p in sc_data["paths"]
                            if p["output"] == str(ir) and p["body_order"] == nu
                        ]
                    ).T
                    res = span_residuals(rr, mm)
                    good = res["rank_r"] == res["rank_m"] == res["rank_rm"] and res["max_res"] < 1e-10
                    ok &= good
                    rows.append(
                        [
                            s["id"], v, str(ir), nu, rr.shape[1], mm.shape[1],
                            f"{res['rank_r']}/{res['rank_m']}/{res['rank_rm']}",
                            f"{res['max_res']:.1e}", "yes" if good else "NO",
                        ]
                    )
    return ok, rows


def span_residuals(r, m) -> dict:
    """Ranks of R, M, [R M] and the largest residual of a unit column of one projected onto
    the span of the other."""
    import numpy as np

    def unit(a):
        # a column whose symmetric part vanishes (e.g. a tree through (1o,1o)->1e, the cross
        # product x × x = 0) evaluates to rounding noise: drop it instead of normalising the
        # noise up to a unit vector
        n = np.linalg.norm(a, axis=0)
        keep = n > 1e-9 * n.max()
        return a[:, keep] / n[keep]

    def rank(a):
        if a.shape[1] == 0:
            return 0
        sv = np.linalg.svd(a, compute_uv=False)
        return int((sv > 1e-9 * sv[0]).sum())

    def basis(a):
        q, sv, _ = np.linalg.svd(a, full_matrices=False)
        return q[:, : int((sv > 1e-9 * sv[0]).sum())]

    r, m = unit(r), unit(m)
    res = 0.0
    for a, b in ((r, m), (m, r)):
        q = basis(b)
        res = max(res, float(np.abs(a - q @ (q.T @ a)).max()))
    return dict(rank_r=rank(r), rank_m=rank(m), rank_rm=rank(np.hstack([r, m])), max_res=res)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--run", action="store_true", help="run cargo bench and mace_sc_timing.py first")
    ap.add_argument("--quick", action="store_true", help="pass --quick to mace_sc_timing.py")
    args = ap.parse_args()
    if args.run:
        run(args)

    crit = load_all()
    mace = read_json("mace_sc_timing.json")
    meta = read_json("racah_mace_sc_meta.json")
    if mace is None or meta is None:
        print("missing bench/out/mace_sc_timing.json or racah_mace_sc_meta.json: use --run")
        return 1
    flops = {s["id"]: s["flops_per_row"] for s in meta["shapes"]}

    # path counts: racah paths == rank of MACE's symmetrised U == exact count
    ok, crows = True, []
    for s in meta["shapes"]:
        exact = racah_count(s["irreps_in"])
        for ir, per_nu in s["paths_per_output_and_body_order"].items():
            ex = [exact[nu][ir] for nu in (1, 2, 3)] if exact else None
            for v, per_shape in mace["paths"].items():
                m = per_shape.get(s["id"], {}).get(ir)
                rank = m["symmetric_rank_per_nu"] if m else None
                same = rank == per_nu and (ex is None or ex == per_nu)
                ok &= same
                crows.append(
                    [
                        s["id"], ir, "/".join(map(str, per_nu)),
                        "/".join(map(str, ex)) if ex else "not built", v,
                        "/".join(map(str, m["mace_weights_per_nu"])) if m else "not found",
                        "/".join(map(str, rank)) if rank else "not found",
                        "yes" if same else "NO",
                    ]
                )
    print(
        table(
            [
                "shape", "output", "racah paths ν=1/2/3", "racah count", "mace variant",
                "MACE weights", "rank of symmetrised U", "agree",
            ],
            crows,
        )
    )
    print()
    span_ok, srows = span_check(meta)
    print(
        table(
            [
                "shape", "mace variant", "L", "ν", "racah paths", "MACE columns",
                "rank R/M/[R M]", "max residual", "same span",
            ],
            srows,
        )
    )
    print()
    ok &= span_ok

    rows, recs = [], []
    variants = list(mace["paths"])
    for t, dname in DTYPES:
        for s in meta["shapes"]:
            sid = s["id"]
            for th in (1, 2):
                r = crit.get(f"mace_sc/{t}/threads_{th}/{sid}")
                rn = r["ns_per_element"] if r else None
                mn = {}
                for v in variants:
                    m = next(
                        (
                            x
                            for x in mace["results"]
                            if x["id"] == sid
                            and x["dtype"] == dname
                            and x["threads"] == th
                            and x.get("variant", "e3nn-U") == v
                        ),
                        None,
                    )
                    mn[v] = 1e9 * m["best_s"] / m["batch"] if m else None
                found = [x for x in mn.values() if x]
                best = min(found) if found else None
                ratio = best / rn if rn and best else None
                row = [sid, t, th, f"{rn / 1e3:.2f} µs" if rn else "not found"]
                row += [f"{mn[v] / 1e3:.2f} µs" if mn[v] else "not found" for v in variants]
                row += [
                    f"{flops[sid] / rn:.2f}" if rn else "-",
                    f"{flops[sid] / best:.3f}" if best else "-",
                    f"{ratio:.1f}×" if ratio else "-",
                ]
                rows.append(row)
                recs.append(
                    dict(
                        id=sid, dtype=t, threads=th, racah_ns_per_row=rn,
                        mace_ns_per_row=mn, flops_per_row=flops[sid], ratio_vs_faster_mace=ratio,
                    )
                )
    print(
        table(
            ["shape", "dtype", "threads", "racah / node"]
            + [f"mace {v} / node" for v in variants]
            + ["racah GFLOP/s", "faster mace GFLOP/s", "faster mace / racah"],
            rows,
        )
    )
    path = write_json(
        "compare_mace.json",
        {
            "machine": machine(),
            "versions": mace.get("versions"),
            "load": os.getloadavg(),
            "paths_agree": ok,
            "results": recs,
        },
    )
    print(f"\npath counts agree: {ok}\nwrote {path}")
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
