"""Fixtures for `racah check` tests: small tables written by other libraries, in their own
conventions, plus deliberately bad files.

    bench/.venv/bin/python tests/data/check/make_fixtures.py

Deterministic (numpy default_rng seeds). Sources: sympy 1.14, e3nn-jax 0.21 (jax 0.10),
sphericart 2.0.4, scipy 1.17, numpy 2.4. The Rust tests read the committed files only.
"""
from __future__ import annotations

import json
import os
import zipfile
from fractions import Fraction

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))


def path(name: str) -> str:
    return os.path.join(HERE, name)


def spin(twice: int) -> str:
    return str(twice // 2) if twice % 2 == 0 else f"{twice}/2"


def cg_args(n: int):
    """Doubled <j1 m1 j2 m2|J M> arguments with 2j <= n, racah's order."""
    out = []
    for a in range(n + 1):
        for b in range(n + 1):
            for c in range(abs(a - b), min(a + b, n) + 1, 2):
                for ma in range(-a, a + 1, 2):
                    for mb in range(-b, b + 1, 2):
                        if abs(ma + mb) <= c:
                            out.append((a, ma, b, mb, c, ma + mb))
    return out


def sympy_tables():
    from sympy import Rational
    from sympy.physics.wigner import clebsch_gordan, racah

    h = lambda t: Rational(t, 2)  # noqa: E731
    # CG in sympy's argument order clebsch_gordan(j1, j2, J, m1, m2, M), spins as text
    with open(path("cg_sympy_order.csv"), "w") as f:
        f.write("# sympy clebsch_gordan(j1, j2, J, m1, m2, M), columns in sympy's order\n")
        f.write("j1,j2,J,m1,m2,M,value\n")
        for a, ma, b, mb, c, mc in cg_args(2):
            v = float(clebsch_gordan(h(a), h(b), h(c), h(ma), h(mb), h(mc)).evalf(30))
            f.write(",".join(spin(t) for t in (a, b, c, ma, mb, mc)) + f",{v!r}\n")
    # CG in racah's order as float32, doubled int32 arguments
    args = cg_args(3)
    vals = [float(clebsch_gordan(h(a), h(b), h(c), h(ma), h(mb), h(mc)).evalf(30)) for a, ma, b, mb, c, mc in args]
    np.savez(path("cg_f32.npz"), twice_args=np.array(args, dtype=np.int32), values=np.array(vals, dtype=np.float32))
    # sympy racah(a, b, c, d, e, f) = W(a b c d; e f) written in 6j layout {j1 j2 j3; j4 j5 j6}
    rows = []
    for t in np.ndindex(*(3,) * 6):
        j1, j2, j3, j4, j5, j6 = t
        tri = lambda x, y, z: abs(x - y) <= z <= x + y and (x + y + z) % 2 == 0  # noqa: E731
        if tri(j1, j2, j3) and tri(j1, j5, j6) and tri(j4, j2, j6) and tri(j4, j5, j3):
            w = float(racah(h(j1), h(j2), h(j5), h(j4), h(j3), h(j6)).evalf(30))
            rows.append(list(t) + [w])
    with open(path("sixj_racah_w.csv"), "w") as f:
        f.write("# sympy racah(j1, j2, j5, j4, j3, j6) = W(j1 j2 j5 j4; j3 j6), doubled arguments of the 6j\n")
        f.write("tj1,tj2,tj3,tj4,tj5,tj6,value\n")
        for r in rows:
            f.write(",".join(str(x) for x in r[:6]) + f",{r[6]!r}\n")


def e3nn_tables():
    import jax

    jax.config.update("jax_enable_x64", True)
    import e3nn_jax as e3nn

    # su2_clebsch_gordan = CG / sqrt(2J+1), as a doubled-argument table
    args, vals = [], []
    for a, ma, b, mb, c, mc in cg_args(3):
        t = np.asarray(e3nn.su2_clebsch_gordan(a / 2, b / 2, c / 2))
        args.append((a, ma, b, mb, c, mc))
        vals.append(float(t[(a + ma) // 2, (b + mb) // 2, (c + mc) // 2]))
    np.savez(path("cg_su2_e3nn_jax.npz"), twice_args=np.array(args, dtype=np.int64), values=np.array(vals))
    # real coupling tensors l <= 2: float32 .npz, and a transposed JSON
    triples = [(a, b, c) for a in range(3) for b in range(3) for c in range(abs(a - b), min(a + b, 2) + 1)]
    blocks = {f"{a}_{b}_{c}": np.asarray(e3nn.clebsch_gordan(a, b, c), dtype=np.float32) for a, b, c in triples}
    np.savez(path("real_cg_e3nn_jax_f32.npz"), **blocks)
    tr = {"_meta": "e3nn-jax clebsch_gordan(l1, l2, l3).transpose(2, 1, 0): stored as C[k][j][i]"}
    for a, b, c in triples:
        tr[f"{a},{b},{c}"] = np.asarray(e3nn.clebsch_gordan(a, b, c), dtype=np.float64).transpose(2, 1, 0).tolist()
    with open(path("real_cg_transposed.json"), "w") as f:
        json.dump(tr, f)
    # Wigner D of 5 rotations, l = 0..3
    rng = np.random.default_rng(20250101)
    angles = rng.uniform(-np.pi, np.pi, size=(5, 3))
    mats = np.stack([np.asarray(e3nn.angles_to_matrix(*a)) for a in angles])
    ds = {f"D{l}": np.stack([np.asarray(e3nn.Irrep(l, 1).D_from_matrix(m)) for m in mats]) for l in range(4)}
    np.savez(path("wigner_d_e3nn_jax.npz"), rotations=mats, **ds)
    dt = {f"D{l}": np.stack([np.asarray(e3nn.Irrep(l, 1).D_from_angles(*a)).T for a in angles]) for l in (1, 2)}
    np.savez(path("wigner_d_transposed_angles.npz"), angles=angles, **dt)
    # tensor products (legacy FunctionalTensorProduct), fully connected, shared weights
    from e3nn_jax.legacy import FunctionalTensorProduct
    import jax.numpy as jnp

    in1, in2, out = e3nn.Irreps("2x0e+2x1o"), e3nn.Irreps("1x0e+1x1o"), e3nn.Irreps("2x0e+1x1o+1x1e")
    ins = [(i1, i2, io, "uvw", True, 1.0) for i1, (_, a) in enumerate(in1) for i2, (_, b) in enumerate(in2)
           for io, (_, o) in enumerate(out) if o in a * b]
    rng = np.random.default_rng(20250102)
    x1 = rng.normal(size=(4, in1.dim))
    x2 = rng.normal(size=(4, in2.dim))
    for name, irrep_norm in (("tp_uvw.npz", "component"), ("tp_uvw_norm.npz", "norm")):
        tp = FunctionalTensorProduct(in1, in2, out, ins, irrep_normalization=irrep_norm, path_normalization="element")
        numel = sum(int(np.prod(i.path_shape)) for i in tp.instructions if i.has_weight)
        w = np.random.default_rng(20250103).normal(size=(numel,))
        one = lambda a, b: tp.left_right(jnp.asarray(w), e3nn.IrrepsArray(in1, a), e3nn.IrrepsArray(in2, b)).array  # noqa: E731
        z = np.asarray(jax.vmap(one)(jnp.asarray(x1), jnp.asarray(x2)))
        np.savez(path(name), x1=x1, x2=x2, weights=w, out=z)
    # spherical harmonics in float32 (jax's default precision)
    jax.config.update("jax_enable_x64", False)
    pts = np.random.default_rng(20250104).normal(size=(8, 3)).astype(np.float32)
    y = e3nn.spherical_harmonics(e3nn.Irreps.spherical_harmonics(3), jnp.asarray(pts), True, "component").array
    np.savez(path("sh_e3nn_jax_f32.npz"), points=pts, values=np.asarray(y, dtype=np.float32))


def sh_tables():
    import scipy.special
    import sphericart

    pts = np.random.default_rng(20250105).normal(size=(8, 3))
    np.save(path("sh_points.npy"), pts)
    np.save(path("sh_points_fortran.npy"), np.asfortranarray(pts))
    np.save(path("sh_sphericart.npy"), sphericart.SphericalHarmonics(3).compute(pts))
    # real harmonics from scipy's complex Y_l^m (Condon-Shortley phase included) by the
    # "naive" map sqrt(2) Re / Im, which keeps the phase: z polar, orthonormal, (-1)^m
    r = np.linalg.norm(pts, axis=1)
    theta, phi = np.arccos(pts[:, 2] / r), np.arctan2(pts[:, 1], pts[:, 0])
    cols = []
    for l in range(3):
        for m in range(-l, l + 1):
            y = scipy.special.sph_harm_y(l, abs(m), theta, phi)
            cols.append(np.sqrt(2) * y.imag if m < 0 else (y.real if m == 0 else np.sqrt(2) * y.real))
    np.savez(path("sh_scipy_cs.npz"), points=pts, values=np.stack(cols, axis=1))


def bad_files():
    pts = np.load(path("sh_points.npy"))
    raw = open(path("sh_points.npy"), "rb").read()
    with open(path("bad_truncated.npy"), "wb") as f:
        f.write(raw[:-20])
    np.save(path("bad_complex.npy"), pts.astype(np.complex128))
    vals = np.load(path("sh_sphericart.npy")).copy()
    vals[2, 5] = np.nan
    np.savez(path("bad_nan.npz"), points=pts, values=vals)
    np.save(path("bad_points_shape.npy"), np.zeros((8, 4)))
    np.save(path("bad_values_int.npy"), np.zeros((8, 16), dtype=np.int64))
    with open(path("bad_not_npy.npy"), "w") as f:
        f.write("x,y,z\n0,0,1\n")
    np.save(path("bad_object.npy"), np.array([Fraction(1, 2), "x"], dtype=object), allow_pickle=True)
    np.savez(path("bad_truncated.npz"), points=pts, values=vals)
    raw = open(path("bad_truncated.npz"), "rb").read()
    with open(path("bad_truncated.npz"), "wb") as f:
        f.write(raw[: len(raw) // 2])
    assert not zipfile.is_zipfile(path("bad_truncated.npz"))


if __name__ == "__main__":
    sympy_tables()
    e3nn_tables()
    sh_tables()
    bad_files()
    total = sum(os.path.getsize(path(f)) for f in os.listdir(HERE))
    print(f"fixtures written to {HERE} ({total} bytes)")
