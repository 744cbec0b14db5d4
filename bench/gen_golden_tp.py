#!/usr/bin/env python3
"""Generate e3nn-jax reference outputs (f64) for racah-numeric's TensorProduct and Linear:

    tests/golden/e3nn_tensor_product.json

Cases: a fully connected product (uvw, shared weights), a MACE-style channel-wise product (uvu,
per-sample weights), every connection mode with "norm"/"path" normalisation and path weights
(shared weights) and with the defaults (per-sample weights), and o3.Linear with biases.

Usage (from the repository root, after bench/setup.sh):
    bench/.venv/bin/python bench/gen_golden_tp.py [--out tests/golden]

e3nn-jax's legacy FunctionalTensorProduct with gradient_normalization="path" (its default) puts
sqrt(alpha) in the forward pass, exactly as e3nn (torch) o3.TensorProduct does. Inputs are
seeded normal samples; floats are written with Python's shortest round-trip repr.
"""

from __future__ import annotations

import argparse
import json
import os

import jax

jax.config.update("jax_enable_x64", True)

import e3nn_jax as e3nn  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from e3nn_jax.legacy import FunctionalTensorProduct  # noqa: E402
from e3nn_jax._src.linear import FunctionalLinear  # noqa: E402

from golden_common import command_line, versions  # noqa: E402

BATCH = 3


def fully_connected_instructions(in1, in2, out):
    return [
        (i1, i2, io, "uvw", True, 1.0)
        for i1, (_, ir1) in enumerate(in1)
        for i2, (_, ir2) in enumerate(in2)
        for io, (_, iro) in enumerate(out)
        if iro in ir1 * ir2
    ]


def channel_wise(in1, in2, filter_out):
    """MACE's tp_out_irreps_with_instructions."""
    outs, raw = [], []
    for i1, (mul, ir1) in enumerate(in1):
        for i2, (_, ir2) in enumerate(in2):
            for ir in ir1 * ir2:
                if ir in filter_out:
                    raw.append((i1, i2, len(outs)))
                    outs.append((mul, ir))
    out, p, _ = e3nn.Irreps(outs).sort()
    return out, [(i1, i2, p[k], "uvu", True, 1.0) for i1, i2, k in raw]


def tp_case(name, in1, in2, out, instructions, irrep_norm, path_norm, shared, rng):
    in1, in2, out = e3nn.Irreps(in1), e3nn.Irreps(in2), e3nn.Irreps(out)
    tp = FunctionalTensorProduct(
        in1, in2, out, instructions,
        irrep_normalization=irrep_norm, path_normalization=path_norm,
    )
    numel = sum(int(np.prod(i.path_shape)) for i in tp.instructions if i.has_weight)
    x1 = rng.normal(size=(BATCH, in1.dim))
    x2 = rng.normal(size=(BATCH, in2.dim))
    w = rng.normal(size=(numel,) if shared else (BATCH, numel))

    def one(wi, a, b):
        return tp.left_right(wi, e3nn.IrrepsArray(in1, a), e3nn.IrrepsArray(in2, b)).array

    if shared:
        z = jax.vmap(one, in_axes=(None, 0, 0))(jnp.asarray(w), jnp.asarray(x1), jnp.asarray(x2))
    else:
        z = jax.vmap(one)(jnp.asarray(w), jnp.asarray(x1), jnp.asarray(x2))
    return {
        "name": name,
        "irreps_in1": str(in1),
        "irreps_in2": str(in2),
        "irreps_out": str(out),
        "instructions": [list(i) for i in instructions],
        "irrep_normalization": irrep_norm,
        "path_normalization": path_norm,
        "shared_weights": shared,
        "batch": BATCH,
        "x1": x1.ravel().tolist(),
        "x2": x2.ravel().tolist(),
        "weights": np.asarray(w).ravel().tolist(),
        "out": np.asarray(z).ravel().tolist(),
        "path_weights": [float(i.path_weight) for i in tp.instructions],
    }


def linear_case(name, irreps_in, irreps_out, rng):
    irreps_in, irreps_out = e3nn.Irreps(irreps_in), e3nn.Irreps(irreps_out)
    lin = FunctionalLinear(irreps_in, irreps_out, biases=True)
    n_w = sum(int(np.prod(i.path_shape)) for i in lin.instructions if i.i_in != -1)
    n_b = sum(int(np.prod(i.path_shape)) for i in lin.instructions if i.i_in == -1)
    ws = rng.normal(size=(n_w + n_b,))
    x = rng.normal(size=(BATCH, irreps_in.dim))
    z = jax.vmap(lambda a: lin(jnp.asarray(ws), e3nn.IrrepsArray(irreps_in, a)).array)(jnp.asarray(x))
    return {
        "name": name,
        "irreps_in": str(irreps_in),
        "irreps_out": str(irreps_out),
        "batch": BATCH,
        "x": x.ravel().tolist(),
        "weights": ws[:n_w].tolist(),
        "biases": ws[n_w:].tolist(),
        "out": np.asarray(z).ravel().tolist(),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="tests/golden")
    args = ap.parse_args()
    rng = np.random.default_rng(20261125)
    cases = []

    in1, in2, out = "2x0e+2x1o+1x2e", "0e+1o+2e", "2x0e+2x1o+2x2e+1x1e"
    ins = fully_connected_instructions(e3nn.Irreps(in1), e3nn.Irreps(in2), e3nn.Irreps(out))
    cases.append(tp_case("fully_connected", in1, in2, out, ins, "component", "element", True, rng))

    in1, in2 = e3nn.Irreps("3x0e+2x1o+2x2e"), e3nn.Irreps("0e+1o+2e")
    out, ins = channel_wise(in1, in2, [e3nn.Irrep(s) for s in ("0e", "1o", "2e", "1e")])
    cases.append(tp_case("channel_wise", in1, in2, out, ins, "component", "element", False, rng))

    in1, in2 = "2x0e+2x1o+3x1e", "2x1o+3x0e"
    out = "2x1o+2x0e+4x1e+2x2e+3x0o+1x0e+3x1e"
    ins = [
        (0, 0, 0, "uvu", True, 1.0),
        (1, 0, 1, "uuu", True, 0.5),
        (1, 0, 2, "uvuv", True, 1.0),
        (1, 0, 3, "uvv", False, 1.0),
        (2, 1, 6, "uvw", True, 2.0),
        (2, 0, 4, "uvu", True, 1.0),
        (1, 0, 5, "uuw", False, 1.0),
        (1, 0, 1, "uuw", True, 3.0),
    ]
    cases.append(tp_case("all_modes_norm_path", in1, in2, out, ins, "norm", "path", True, rng))
    cases.append(tp_case("all_modes_component_element", in1, in2, out, ins, "component", "element", False, rng))

    linear = [linear_case("linear_biases", "4x0e+2x1o+1x2e+3x0e", "3x0e+2x1o+2x0e+1x1e", rng)]

    data = {
        "_meta": {
            "description": "e3nn-jax FunctionalTensorProduct / FunctionalLinear outputs, float64",
            "generated_by": command_line(),
            "versions": versions("e3nn-jax", "jax", "jaxlib", "numpy"),
            "dtype": "float64 (jax_enable_x64 = True)",
            "convention": [
                "e3nn-jax defaults: gradient_normalization='path' (sqrt(alpha) in the forward"
                " pass, as e3nn torch o3.TensorProduct / o3.Linear).",
                "Arrays are row-major (batch, dim), e3nn layout [u][m] within each term.",
            ],
            "format": [
                "tensor_products: instructions are [i_in1, i_in2, i_out, mode, has_weight,"
                " path_weight]; weights are (weight_numel,) when shared_weights else"
                " (batch, weight_numel); path_weights are e3nn-jax's resulting sqrt(alpha).",
                "linears: biases=True (on every 0e output); weights then biases as e3nn-jax"
                " lays them out.",
            ],
        },
        "tensor_products": cases,
        "linears": linear,
    }
    path = os.path.join(args.out, "e3nn_tensor_product.json")
    with open(path, "w") as fh:
        json.dump(data, fh, separators=(",", ":"))
        fh.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)")


if __name__ == "__main__":
    main()
