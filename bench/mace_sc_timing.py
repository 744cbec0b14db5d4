#!/usr/bin/env python3
"""Time mace-torch's SymmetricContraction (mace.modules.symmetric_contraction) on the CPU.

Shapes (the same as racah's criterion group `mace_sc`, numeric/benches/fusion_block.rs):
correlation 3, 32 channels, 3 elements, one-hot species drawn with a fixed seed, input
32x0e+32x1o+32x2e (l_max 2) or 32x0e+32x1o+32x2e+32x3o (l_max 3), output 32x0e or
32x0e+32x1o (the hidden-layer variant). Input layout is MACE's [batch, channel, m].
Forward only, under torch.inference_mode(), float32 and float64, torch.set_num_threads(1) and
(2). Reports the best and median of --repeats timed calls after two warm-up calls.

Two variants of the same module (both mace-torch's own code):
- `e3nn-U` (use_reduced_cg=False, the only one without cuequivariance): U_matrix_nu from
  *every* left-associated tree over every leaf order (mace.tools.cg._wigner_nj), so its columns
  are linearly dependent once the copies are symmetrised: more weights, more work.
- `reduced-U` (use_reduced_cg=True, what MACE models use when the pure-Python `cuequivariance`
  package is installed): U from cuequivariance's reduced symmetric tensor-product basis, one
  column per independent symmetric coupling.

Also records, per variant, output irrep and body order nu, the number of MACE weights (columns
of U_matrix_nu) and the rank of the symmetrised U (the number of independent symmetric
couplings, MATH.md §5), both from a float64 build.

Usage (from the repository root, after `bash bench/setup.sh --with-torch`):
    bench/.venv/bin/python bench/mace_sc_timing.py [--quick] [--batch N] [--repeats R]
        [--threads 1 2] [--dtypes float32 float64] [--variants e3nn-U reduced-U]
Writes bench/out/mace_sc_timing.json and prints a table.
"""

from __future__ import annotations

import argparse
import itertools
import math
import statistics
import sys
import time
import warnings

from bench_common import machine, table, write_json

SHAPES = [
    ("l_max2", "32x0e+32x1o+32x2e", "32x0e"),
    ("l_max2", "32x0e+32x1o+32x2e", "32x0e+32x1o"),
    ("l_max3", "32x0e+32x1o+32x2e+32x3o", "32x0e"),
    ("l_max3", "32x0e+32x1o+32x2e+32x3o", "32x0e+32x1o"),
]
CORRELATION = 3
NUM_ELEMENTS = 3
VARIANTS = {"e3nn-U": False, "reduced-U": True}  # use_reduced_cg


def out_id(irreps) -> str:
    return "+".join(str(ir) for _, ir in irreps)


def symmetric_rank(u, nu: int, lout: int) -> int:
    """Rank of U_nu after symmetrising its nu input indices (columns = MACE weights)."""
    import torch

    t = u.to(torch.float64)
    if lout == 0:  # mace squeezes the (2L+1) = 1 axis
        t = t.unsqueeze(0)
    axes = list(range(1, nu + 1))
    sym = sum(t.permute(0, *perm, nu + 1) for perm in itertools.permutations(axes))
    mat = (sym / math.factorial(nu)).reshape(-1, t.shape[-1])
    return int(torch.linalg.matrix_rank(mat, rtol=1e-9).item())


def build(irreps_in: str, irreps_out: str, dtype, reduced: bool):
    # mace first: it sets TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD, without which e3nn 0.4.4's
    # `from e3nn import o3` fails under torch >= 2.6 (torch.load of its constants.pt)
    import mace.tools.cg as cg
    from mace.modules.symmetric_contraction import SymmetricContraction

    import torch
    from e3nn import o3

    if reduced and not cg.CUET_AVAILABLE:
        raise RuntimeError("reduced-U needs the cuequivariance package (requirements-torch.txt)")

    torch.set_default_dtype(dtype)
    torch.manual_seed(0)
    sc = SymmetricContraction(
        irreps_in=o3.Irreps(irreps_in),
        irreps_out=o3.Irreps(irreps_out),
        correlation=CORRELATION,
        num_elements=NUM_ELEMENTS,
        use_reduced_cg=reduced,
    )
    return sc.eval()


def counts(sc) -> dict:
    """Per output irrep: MACE weights per nu and rank of the symmetrised U per nu."""
    res = {}
    for (_, ir), con in zip(sc.irreps_out, sc.contractions):
        res[str(ir)] = {
            "mace_weights_per_nu": [
                int(con.U_tensors(nu).shape[-1]) for nu in range(1, CORRELATION + 1)
            ],
            "symmetric_rank_per_nu": [
                symmetric_rank(con.U_tensors(nu), nu, ir.l) for nu in range(1, CORRELATION + 1)
            ],
        }
    return res


def time_forward(sc, batch: int, repeats: int, threads: int, dtype) -> dict:
    import torch

    torch.set_num_threads(threads)
    gen = torch.Generator().manual_seed(1)
    channels = sc.irreps_in[0].mul
    dim = sum(ir.dim for _, ir in sc.irreps_in)
    x = (torch.rand((batch, channels, dim), generator=gen, dtype=torch.float64) - 0.5).to(dtype)
    species = torch.randint(0, NUM_ELEMENTS, (batch,), generator=gen)
    y = torch.nn.functional.one_hot(species, NUM_ELEMENTS).to(dtype)
    times = []
    with torch.inference_mode():
        for _ in range(2):
            out = sc(x, y)
        for _ in range(repeats):
            t0 = time.perf_counter()
            out = sc(x, y)
            times.append(time.perf_counter() - t0)
    assert out.shape == (batch, sum(m * ir.dim for m, ir in sc.irreps_out))
    return {"best_s": min(times), "median_s": statistics.median(times), "repeats": repeats}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="batch 1000, 3 repeats")
    ap.add_argument("--batch", type=int, default=10_000)
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--dtypes", nargs="+", default=["float32", "float64"])
    ap.add_argument("--variants", nargs="+", default=list(VARIANTS), choices=list(VARIANTS))
    args = ap.parse_args()
    if args.quick:
        args.batch, args.repeats = 1000, 3

    warnings.filterwarnings("ignore")
    try:
        import mace.tools.cg as cg
        import torch
        import e3nn
    except ImportError as e:
        print(f"mace-torch not installed ({e}); run `bash bench/setup.sh --with-torch`")
        return 1
    from importlib.metadata import version

    variants = [v for v in args.variants if not VARIANTS[v] or cg.CUET_AVAILABLE]
    if variants != args.variants:
        print("cuequivariance not installed: skipping reduced-U", file=sys.stderr)
    paths: dict = {v: {} for v in variants}
    for v in variants:
        for lid, irreps_in, irreps_out in SHAPES:
            sc = build(irreps_in, irreps_out, torch.float64, VARIANTS[v])
            paths[v][f"{lid}/{out_id(sc.irreps_out)}"] = counts(sc)
    results, rows = [], []
    for v, dname, (lid, irreps_in, irreps_out) in itertools.product(variants, args.dtypes, SHAPES):
        dtype = getattr(torch, dname)
        t0 = time.perf_counter()
        sc = build(irreps_in, irreps_out, dtype, VARIANTS[v])
        build_s = time.perf_counter() - t0
        sid = f"{lid}/{out_id(sc.irreps_out)}"
        for th in args.threads:
            r = time_forward(sc, args.batch, args.repeats, th, dtype)
            r.update(
                id=sid,
                variant=v,
                irreps_in=irreps_in,
                irreps_out=irreps_out,
                dtype=dname,
                threads=th,
                batch=args.batch,
                build_s=build_s,
            )
            results.append(r)
            rows.append(
                [
                    v,
                    sid,
                    dname,
                    th,
                    f"{r['best_s'] * 1e3:.2f} ms",
                    f"{r['median_s'] * 1e3:.2f} ms",
                    f"{1e6 * r['best_s'] / args.batch:.2f} µs",
                ]
            )
            print(" | ".join(str(c) for c in rows[-1]), file=sys.stderr, flush=True)
    print(table(["variant", "shape", "dtype", "threads", "best", "median", "per node"], rows))
    print()
    prow = []
    for v, sid, per_ir in ((v, s, p) for v in paths for s, p in paths[v].items()):
        for ir, c in per_ir.items():
            prow.append(
                [
                    v,
                    sid,
                    ir,
                    "/".join(map(str, c["mace_weights_per_nu"])),
                    "/".join(map(str, c["symmetric_rank_per_nu"])),
                ]
            )
    print(
        table(["variant", "shape", "output", "MACE weights nu=1/2/3", "rank of symmetrised U"], prow)
    )
    path = write_json(
        "mace_sc_timing.json",
        {
            "machine": machine(),
            "versions": {
                "torch": torch.__version__,
                "mace-torch": version("mace-torch"),
                "e3nn": e3nn.__version__,
                "cuequivariance": version("cuequivariance") if cg.CUET_AVAILABLE else None,
            },
            "correlation": CORRELATION,
            "num_elements": NUM_ELEMENTS,
            "results": results,
            "paths": paths,
        },
    )
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
