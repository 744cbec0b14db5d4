#!/usr/bin/env python3
"""e3nn-jax tensor-product throughput on CPU (f32, jit-compiled, warm).

Usage (from the repository root, after bench/setup.sh):
    bench/.venv/bin/python bench/e3nn_jax_timing.py [--quick] [--batch-uvu 100000] [--batch-fc 10000]

Cases:
  * channel-wise (uvu, NequIP style): "32x0e+32x1o+32x2e" (x) "0e+1o+2e" -> every admissible
    path (19 paths, outputs up to 4e), one weight per (edge, path, channel):
      - legacy: e3nn_jax.legacy.FunctionalTensorProduct(..., "uvu", weights) vmapped over the batch
      - tp*w:   e3nn.tensor_product(x1, x2) then multiply by the per-edge weights
    also filtered to outputs "0e+1o+2e" (MACE style), legacy only.
  * fully connected (uvw): "16x0e+16x1o+16x2e" (x) same -> same, weights shared by the batch:
      - legacy: e3nn_jax.legacy.FunctionalFullyConnectedTensorProduct vmapped over the batch

Useful FLOPs (the same count is meant for the racah benches), from the nonzero real CG
coefficients nnz(l1,l2,l3) = #{|C| > 1e-12} of e3nn.clebsch_gordan:
  uvu path: mul1 * (3 * nnz + (2 l3 + 1))            # x1*x2*C, accumulate; scale by the weight
  uvw path: 3 * nnz * mul1 * mul2 + 2 * mul1 * mul2 * mul3 * (2 l3 + 1)
XLA uses every core it sees (2 here); jax's default dtype is f32.
Writes bench/out/e3nn_jax_timing.json.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import sys
import time

import jax
import jax.numpy as jnp
import numpy as np

import e3nn_jax as e3nn
from e3nn_jax.legacy import FunctionalFullyConnectedTensorProduct, FunctionalTensorProduct

from bench_common import fmt_ns, machine, table, write_json


def nnz(l1: int, l2: int, l3: int) -> int:
    return int(np.sum(np.abs(e3nn.clebsch_gordan(l1, l2, l3)) > 1e-12))


def time_fn(fn, args, min_seconds: float) -> tuple[float, float, int]:
    """(best, median) seconds per call of a jitted fn, after a compile + warm-up call."""
    jax.block_until_ready(fn(*args))
    jax.block_until_ready(fn(*args))
    times = []
    start = time.perf_counter()
    while len(times) < 5 or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        jax.block_until_ready(fn(*args))
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[0], times[len(times) // 2], len(times)


def uvu_case(batch: int, filter_out: str | None, min_seconds: float, key) -> list[dict]:
    irreps1 = e3nn.Irreps("32x0e+32x1o+32x2e")
    irreps2 = e3nn.Irreps("0e+1o+2e")
    allowed = None if filter_out is None else list(e3nn.Irreps(filter_out))
    allowed = None if allowed is None else [mir.ir for mir in allowed]
    out_list, instr, flops = [], [], 0
    for i1, (mul1, ir1) in enumerate(irreps1):
        for i2, (_, ir2) in enumerate(irreps2):
            for ir_out in ir1 * ir2:
                if allowed is not None and ir_out not in allowed:
                    continue
                instr.append((i1, i2, len(out_list), "uvu", True))
                out_list.append((mul1, ir_out))
                flops += mul1 * (3 * nnz(ir1.l, ir2.l, ir_out.l) + (2 * ir_out.l + 1))
    irreps_out = e3nn.Irreps(out_list)
    tp = FunctionalTensorProduct(irreps1, irreps2, irreps_out, instr)
    k1, k2, k3 = jax.random.split(key, 3)
    x1 = e3nn.normal(irreps1, k1, (batch,), dtype=jnp.float32)
    x2 = e3nn.normal(irreps2, k2, (batch,), dtype=jnp.float32)
    n_w = sum(int(np.prod(i.path_shape)) for i in tp.instructions)
    w = jax.random.normal(k3, (batch, n_w), dtype=jnp.float32)

    @jax.jit
    def legacy(w, x1, x2):
        return jax.vmap(lambda w, a, b: tp.left_right(w, a, b).array)(w, x1, x2)

    name = "uvu " + ("all paths" if filter_out is None else f"-> {filter_out}")
    rows = []
    best, med, n = time_fn(legacy, (w, x1, x2), min_seconds)
    rows.append(
        dict(
            case=name,
            impl="legacy FunctionalTensorProduct (vmap)",
            batch=batch,
            paths=len(instr),
            flops_per_item=flops,
            best_s=best,
            median_s=med,
            repeats=n,
        )
    )

    if filter_out is None:
        # tensor_product(x1, x2) then one weight per (edge, output channel)
        probe = e3nn.tensor_product(x1[:1], x2[:1], regroup_output=False)
        comp = np.concatenate(
            [
                np.repeat(np.arange(mul) + off, ir.dim)
                for (mul, ir), off in zip(
                    probe.irreps, np.cumsum([0] + [m for m, _ in probe.irreps])[:-1]
                )
            ]
        )
        wt = jax.random.normal(k3, (batch, int(comp.max()) + 1), dtype=jnp.float32)
        comp = jnp.asarray(comp)

        @jax.jit
        def tp_w(wt, x1, x2):
            y = e3nn.tensor_product(x1, x2, regroup_output=False).array
            return y * wt[:, comp]

        best, med, n = time_fn(tp_w, (wt, x1, x2), min_seconds)
        rows.append(
            dict(
                case=name,
                impl="tensor_product * per-edge weights",
                batch=batch,
                paths=len(instr),
                flops_per_item=flops,
                best_s=best,
                median_s=med,
                repeats=n,
            )
        )
    return rows


def fc_case(batch: int, min_seconds: float, key) -> list[dict]:
    irreps = e3nn.Irreps("16x0e+16x1o+16x2e")
    tp = FunctionalFullyConnectedTensorProduct(irreps, irreps, irreps)
    flops = 0
    for ins in tp.instructions:
        mul1, ir1 = irreps[ins.i_in1]
        mul2, ir2 = irreps[ins.i_in2]
        mul3, ir3 = irreps[ins.i_out]
        flops += 3 * nnz(ir1.l, ir2.l, ir3.l) * mul1 * mul2 + 2 * mul1 * mul2 * mul3 * ir3.dim
    k1, k2, k3 = jax.random.split(key, 3)
    x1 = e3nn.normal(irreps, k1, (batch,), dtype=jnp.float32)
    x2 = e3nn.normal(irreps, k2, (batch,), dtype=jnp.float32)
    ws = [
        jax.random.normal(jax.random.fold_in(k3, i), ins.path_shape, dtype=jnp.float32)
        for i, ins in enumerate(tp.instructions)
    ]

    @jax.jit
    def legacy(ws, x1, x2):
        return jax.vmap(lambda a, b: tp.left_right(ws, a, b).array)(x1, x2)

    best, med, n = time_fn(legacy, (ws, x1, x2), min_seconds)
    return [
        dict(
            case="uvw fully connected",
            impl="legacy FunctionalFullyConnectedTensorProduct (vmap)",
            batch=batch,
            paths=len(tp.instructions),
            flops_per_item=flops,
            best_s=best,
            median_s=med,
            repeats=n,
        )
    ]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--batch-uvu", type=int, default=100_000)
    ap.add_argument("--batch-fc", type=int, default=10_000)
    args = ap.parse_args()
    min_seconds = 1.0 if args.quick else 5.0
    key = jax.random.PRNGKey(20240611)

    rows = []
    rows += uvu_case(args.batch_uvu, None, min_seconds, key)
    rows += uvu_case(args.batch_uvu, "0e+1o+2e", min_seconds, key)
    rows += fc_case(args.batch_fc, min_seconds, key)
    for r in rows:
        r["items_per_s"] = r["batch"] / r["best_s"]
        r["useful_gflops"] = r["flops_per_item"] * r["batch"] / r["best_s"] / 1e9

    print(
        table(
            [
                "case",
                "impl",
                "batch",
                "paths",
                "kFLOP/item",
                "best",
                "median",
                "items/s",
                "GFLOP/s",
            ],
            [
                [
                    r["case"],
                    r["impl"],
                    r["batch"],
                    r["paths"],
                    f"{r['flops_per_item'] / 1e3:.1f}",
                    fmt_ns(r["best_s"] * 1e9),
                    fmt_ns(r["median_s"] * 1e9),
                    f"{r['items_per_s']:.3g}",
                    f"{r['useful_gflops']:.2f}",
                ]
                for r in rows
            ],
        )
    )
    path = write_json(
        "e3nn_jax_timing.json",
        {
            "machine": machine(),
            "versions": {d: importlib.metadata.version(d) for d in ("e3nn-jax", "jax", "jaxlib")},
            "dtype": "float32",
            "devices": [str(d) for d in jax.devices()],
            "command": "bench/.venv/bin/python bench/e3nn_jax_timing.py"
            + (" --quick" if args.quick else ""),
            "flop_count": {
                "uvu_path": "mul1 * (3 * nnz(C) + (2 l3 + 1))",
                "uvw_path": "3 * nnz(C) * mul1 * mul2 + 2 * mul1 * mul2 * mul3 * (2 l3 + 1)",
            },
            "results": rows,
        },
    )
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
