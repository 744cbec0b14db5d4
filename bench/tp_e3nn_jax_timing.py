#!/usr/bin/env python3
"""CPU throughput of e3nn-jax's tensor products on the two shapes of
numeric/benches/tensor_product.rs, in useful FLOP/s counted exactly as racah's
`TensorProduct::flops_per_sample` (from the nonzero coupling coefficients):

    flops/sample = sum over paths of 3 * nnz * pairs + c * d_out * connections
    (pairs = mul1*mul2, or mul1 for uuw/uuu; connections = number of weights of the path;
     c = 2 for weighted paths, 1 otherwise)

    tp/uvu: 32x0e+32x1o+32x2e (x) 0e+1o+2e -> channel-wise (MACE), per-sample weights
    tp/uvw: 16x0e+16x1o+16x2e (x) same -> same, fully connected, shared weights

Usage (from the repository root, after bench/setup.sh):
    bench/.venv/bin/python bench/tp_e3nn_jax_timing.py [--batch 100000] [--repeats 5]

Runs e3nn-jax's legacy FunctionalTensorProduct (the e3nn o3.TensorProduct semantics) under
jax.jit(jax.vmap(...)) on the CPU; reports the best of `repeats` timed calls after one
warm-up (compile) call.
"""

from __future__ import annotations

import argparse
import time

import jax

jax.config.update("jax_enable_x64", True)  # f64 available; f32 runs use float32 arrays

import e3nn_jax as e3nn  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from e3nn_jax.legacy import FunctionalTensorProduct  # noqa: E402

from golden_common import versions  # noqa: E402


def flops_per_sample(tp: FunctionalTensorProduct) -> int:
    total = 0
    for ins in tp.instructions:
        m1 = tp.irreps_in1[ins.i_in1].mul
        m2 = tp.irreps_in2[ins.i_in2].mul
        mo = tp.irreps_out[ins.i_out].mul
        l1 = tp.irreps_in1[ins.i_in1].ir.l
        l2 = tp.irreps_in2[ins.i_in2].ir.l
        lo = tp.irreps_out[ins.i_out].ir.l
        cg = np.asarray(e3nn.clebsch_gordan(l1, l2, lo))
        nnz = int(np.sum(np.abs(cg) > 1e-10))
        pairs = m1 if ins.connection_mode in ("uuw", "uuu") else m1 * m2
        connections = int(np.prod(ins.path_shape))
        c = 2 if ins.has_weight else 1
        total += 3 * nnz * pairs + c * (2 * lo + 1) * connections
    return total


def channel_wise(in1, in2, filter_out):
    outs, raw = [], []
    for i1, (mul, ir1) in enumerate(in1):
        for i2, (_, ir2) in enumerate(in2):
            for ir in ir1 * ir2:
                if ir in filter_out:
                    raw.append((i1, i2, len(outs)))
                    outs.append((mul, ir))
    out, p, _ = e3nn.Irreps(outs).sort()
    return out, [(i1, i2, p[k], "uvu", True) for i1, i2, k in raw]


def time_tp(tp, batch, per_sample, dtype, repeats, rng):
    numel = sum(int(np.prod(i.path_shape)) for i in tp.instructions if i.has_weight)
    x1 = jnp.asarray(rng.normal(size=(batch, tp.irreps_in1.dim)), dtype=dtype)
    x2 = jnp.asarray(rng.normal(size=(batch, tp.irreps_in2.dim)), dtype=dtype)
    w = jnp.asarray(rng.normal(size=(batch, numel) if per_sample else (numel,)), dtype=dtype)

    def one(wi, a, b):
        return tp.left_right(wi, e3nn.IrrepsArray(tp.irreps_in1, a), e3nn.IrrepsArray(tp.irreps_in2, b)).array

    f = jax.jit(jax.vmap(one, in_axes=(0 if per_sample else None, 0, 0)))
    f(w, x1, x2).block_until_ready()
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        f(w, x1, x2).block_until_ready()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch", type=int, default=100_000)
    ap.add_argument("--repeats", type=int, default=5)
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    print(f"# {versions('e3nn-jax', 'jax', 'jaxlib', 'numpy')}; devices {jax.devices()}")
    print(f"# batch {args.batch}, best of {args.repeats}")

    in1, in2 = e3nn.Irreps("32x0e+32x1o+32x2e"), e3nn.Irreps("0e+1o+2e")
    out, ins = channel_wise(in1, in2, [e3nn.Irrep(s) for s in ("0e", "1o", "2e")])
    uvu = FunctionalTensorProduct(in1, in2, out, ins)
    x = e3nn.Irreps("16x0e+16x1o+16x2e")
    fc_ins = [
        (i1, i2, io, "uvw", True)
        for i1, (_, a) in enumerate(x)
        for i2, (_, b) in enumerate(x)
        for io, (_, o) in enumerate(x)
        if o in a * b
    ]
    uvw = FunctionalTensorProduct(x, x, x, fc_ins)
    for name, tp, per_sample in (("tp/uvu", uvu, True), ("tp/uvw", uvw, False)):
        fps = flops_per_sample(tp)
        for dtype in (jnp.float32, jnp.float64):
            t = time_tp(tp, args.batch, per_sample, dtype, args.repeats, rng)
            gflops = fps * args.batch / t / 1e9
            print(f"{name}/{jnp.dtype(dtype).name}: {t * 1e3:.1f} ms, {fps} flop/sample, {gflops:.2f} GFLOP/s")


if __name__ == "__main__":
    main()
