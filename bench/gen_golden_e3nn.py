#!/usr/bin/env python3
"""Generate e3nn-jax reference data (f64) for the real basis:

    tests/golden/e3nn_real_cg_l_le_4.json   clebsch_gordan(l1, l2, l3), all admissible l <= 4
    tests/golden/e3nn_sh.json               spherical_harmonics, l = 0..8, 3 normalisations
    tests/golden/e3nn_wigner_d.json         Irrep(l, p).D_from_angles / D_from_matrix, l = 0..6

Usage (from the repository root, after bench/setup.sh):
    bench/.venv/bin/python bench/gen_golden_e3nn.py [--out tests/golden]

JSON has no comments: every file carries a "_meta" object (command, versions, convention, format).
Keys starting with "_" are metadata; loaders skip them. Floats are written with Python's
shortest round-trip repr, so every f64 is reproduced bit-for-bit.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys

import jax
import mpmath as mp

jax.config.update("jax_enable_x64", True)  # golden values must be f64; jax defaults to f32

import e3nn_jax as e3nn  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402

from golden_common import command_line, versions  # noqa: E402

LIBS = ("e3nn-jax", "jax", "jaxlib", "numpy")
EPS = np.finfo(np.float64).eps


def write_json(path: str, obj: dict) -> int:
    with open(path, "w") as fh:
        json.dump(obj, fh, separators=(",", ":"))
        fh.write("\n")
    return os.path.getsize(path)


def meta(description: str, convention: list[str], fmt: list[str], checks: list[str]) -> dict:
    return {
        "description": description,
        "generated_by": command_line(),
        "versions": versions(*LIBS),
        "dtype": "float64 (jax_enable_x64 = True)",
        "convention": convention,
        "format": fmt,
        "checks": checks,
    }


# ------------------------------------------------------------------------ real CG


def worked_examples() -> dict[tuple[int, int, int], dict[tuple[int, int, int], float]]:
    """conventions-reference.md §3.3 worked examples: (l1,l2,l3) -> {index: exact value};
    every index not listed is exactly 0."""
    r3, r6, r10, r30, r70 = (math.sqrt(x) for x in (3, 6, 10, 30, 70))
    ex: dict[tuple[int, int, int], dict[tuple[int, int, int], float]] = {}
    ex[(1, 1, 0)] = {(i, i, 0): 1 / r3 for i in range(3)}
    eps = {}
    for i, j, k in ((0, 1, 2), (1, 2, 0), (2, 0, 1)):
        eps[(i, j, k)] = 1 / r6
        eps[(j, i, k)] = -1 / r6
    ex[(1, 1, 1)] = eps
    c112 = {(1, 1, 2): 2 / r30, (0, 0, 2): -1 / r30, (2, 2, 2): -1 / r30}
    c112 |= {(0, 0, 4): -1 / r10, (2, 2, 4): 1 / r10}
    for idx in ((0, 1, 1), (1, 0, 1), (0, 2, 0), (2, 0, 0), (1, 2, 3), (2, 1, 3)):
        c112[idx] = 1 / r10
    ex[(1, 1, 2)] = c112
    c222 = {(2, 2, 2): 2 / r70}
    for idx in ((0, 0, 2), (4, 4, 2), (0, 2, 0), (2, 0, 0), (2, 4, 4), (4, 2, 4)):
        c222[idx] = -2 / r70
    for idx in ((1, 1, 2), (3, 3, 2), (1, 2, 1), (2, 1, 1), (2, 3, 3), (3, 2, 3)):
        c222[idx] = 1 / r70
    s = math.sqrt(3 / 70)
    for idx in ((0, 1, 3), (0, 3, 1), (1, 0, 3), (1, 3, 0), (3, 0, 1), (3, 1, 0)):
        c222[idx] = s
    for idx in ((1, 1, 4), (1, 4, 1), (4, 1, 1)):
        c222[idx] = -s
    for idx in ((3, 3, 4), (3, 4, 3), (4, 3, 3)):
        c222[idx] = s
    ex[(2, 2, 2)] = c222
    return ex


def real_cg(out_dir: str, lmax: int = 4) -> str:
    data: dict[str, object] = {}
    max_norm_err = 0.0
    triples = 0
    for l1 in range(lmax + 1):
        for l2 in range(lmax + 1):
            for l3 in range(abs(l1 - l2), min(l1 + l2, lmax) + 1):
                c = np.asarray(e3nn.clebsch_gordan(l1, l2, l3), dtype=np.float64)
                assert c.shape == (2 * l1 + 1, 2 * l2 + 1, 2 * l3 + 1)
                max_norm_err = max(max_norm_err, abs(float(np.sum(c * c)) - 1.0))
                data[f"{l1},{l2},{l3}"] = c.tolist()
                triples += 1
    max_ex = 0.0
    for (l1, l2, l3), vals in worked_examples().items():
        c = np.asarray(data[f"{l1},{l2},{l3}"])
        exact = np.zeros_like(c)
        for idx, v in vals.items():
            exact[idx] = v
        err = float(np.max(np.abs(c - exact)))
        max_ex = max(max_ex, err)
        if err > 4 * EPS:
            raise RuntimeError(
                f"real CG {(l1, l2, l3)} differs from the worked example by {err:.3g}"
            )
    if max_norm_err > 8 * EPS:
        raise RuntimeError(f"Frobenius norm off by {max_norm_err:.3g}")
    data = {
        "_meta": meta(
            f"e3nn-jax clebsch_gordan(l1, l2, l3) (real basis), all {triples} triples with"
            f" |l1-l2| <= l3 <= l1+l2, l <= {lmax}",
            [
                "C_real = einsum('ij,kl,mn,ikn->jlm', Q1, Q2, conj(Q3.T), C_su2),"
                " C_su2[j1+m1, j2+m2, j3+m3] = <j1 m1 j2 m2|j3 m3>/sqrt(2 j3+1)"
                " (Condon-Shortley); Q_l = (-i)^l q_l (conventions-reference.md §3.3).",
                "Real index 0..2l in e3nn order; l=1 real basis is (x, y, z); y is the polar axis.",
                "Frobenius norm sum C^2 = 1.",
            ],
            [
                'keys "l1,l2,l3" -> nested list [2l1+1][2l2+1][2l3+1] of f64, C[i][j][k]'
                " with i, j, k the e3nn real indices of l1, l2, l3.",
                "Values are e3nn-jax output as is: entries that are exactly 0 may carry"
                " roundoff of order 1e-17.",
            ],
            [
                f"worked examples (1,1,0), (1,1,1), (1,1,2), (2,2,2) of conventions-reference.md"
                f" §3.3 reproduced to {max_ex:.2e} (limit 4 eps = {4 * EPS:.2e})",
                f"|sum C^2 - 1| <= {max_norm_err:.2e} for every triple",
            ],
        ),
        **data,
    }
    path = os.path.join(out_dir, f"e3nn_real_cg_l_le_{lmax}.json")
    size = write_json(path, data)
    print(
        f"{os.path.basename(path)}: {triples} triples, {size / 1024:.1f} KiB,"
        f" worked examples max err {max_ex:.2e}, norm err {max_norm_err:.2e}"
    )
    return path


# ------------------------------------------------------------------------ spherical harmonics


def sh_points() -> tuple[list[list[float]], list[str]]:
    pts = [
        ([0.0, 1.0, 0.0], "+y pole (e3nn polar axis)"),
        ([0.0, -1.0, 0.0], "-y pole"),
        ([1.0, 0.0, 0.0], "+x axis"),
        ([-1.0, 0.0, 0.0], "-x axis"),
        ([0.0, 0.0, 1.0], "+z axis"),
        ([0.0, 0.0, -1.0], "-z axis"),
        ([1.0, 1.0, 1.0], "diagonal, |r| = sqrt(3)"),
        ([1.0, 2.0, 3.0], "un-normalised (1,2,3)"),
        ([-0.3, 0.7, 2.5], "un-normalised"),
        ([100.0, -50.0, 20.0], "large |r|"),
        ([1e-3, -2e-3, 5e-4], "small |r|"),
        ([0.6, 0.0, 0.8], "equator (y = 0)"),
    ]
    rng = np.random.default_rng(20240611)
    for v in rng.normal(size=(8, 3)):
        pts.append(([float(x) for x in v], "random normal batch (numpy default_rng(20240611))"))
    return [p for p, _ in pts], [d for _, d in pts]


def assoc_legendre(l: int, m: int, ct, st):
    """P_l^m(cos t) without the Condon-Shortley phase, by the standard upward recurrence in l."""
    pmm = mp.mpf(1)
    for k in range(1, m + 1):
        pmm *= (2 * k - 1) * st
    if l == m:
        return pmm
    p_prev, p = pmm, ct * (2 * m + 1) * pmm
    for ll in range(m + 2, l + 1):
        p_prev, p = p, ((2 * ll - 1) * ct * p - (ll + m - 1) * p_prev) / (ll - m)
    return p


def sh_reference(p: list[float], lmax: int, normalize: bool) -> list[float]:
    """Independent 40-digit evaluation, 'component' normalisation, e3nn order.

    e3nn-jax documents that its SH equal the Wikipedia real SH (integral normalisation, no
    Condon-Shortley phase left) evaluated at (X, Y, Z) = (z, x, y): e3nn's y is the polar axis.
    Y_l^m = sqrt(2) N_l^|m| P_l^|m|(cos t) cos(m f) (m > 0), sin(|m| f) (m < 0), N_l^0 P_l(cos t)
    (m = 0), N_l^m = sqrt((2l+1)/(4 pi) (l-m)!/(l+m)!), P without the (-1)^m phase; component
    normalisation multiplies by sqrt(4 pi). Index i = l + m.
    """
    with mp.workdps(40):
        x, y, z = (mp.mpf(v) for v in p)  # exact binary values of the f64 inputs
        big_x, big_y, big_z = z, x, y
        r = mp.sqrt(big_x**2 + big_y**2 + big_z**2)
        ct = big_z / r
        st = mp.sqrt(big_x**2 + big_y**2) / r  # sin(theta) >= 0, no cancellation at the poles
        f = mp.atan2(big_y, big_x)
        out = []
        for l in range(lmax + 1):
            scale = r**l if not normalize else mp.mpf(1)
            for m in range(-l, l + 1):
                am = abs(m)
                n = mp.sqrt((2 * l + 1) * mp.factorial(l - am) / mp.factorial(l + am))
                leg = assoc_legendre(l, am, ct, st)
                if m > 0:
                    v = mp.sqrt(2) * n * leg * mp.cos(m * f)
                elif m < 0:
                    v = mp.sqrt(2) * n * leg * mp.sin(am * f)
                else:
                    v = n * leg
                out.append(float(v * scale))
        return out


def spherical_harmonics(out_dir: str, lmax: int = 8) -> str:
    pts, desc = sh_points()
    x = jnp.asarray(pts, dtype=jnp.float64)
    irreps = e3nn.Irreps.spherical_harmonics(lmax)  # 0e + 1o + 2e + ...
    out: dict[str, object] = {"points": pts, "point_descriptions": desc}
    few = [7, 8, 9, 10, 6]  # un-normalised and small/large points
    out["normalize=False_point_indices"] = few
    ref_true = np.asarray([sh_reference(p, lmax, True) for p in pts])
    ref_false = np.asarray([sh_reference(pts[i], lmax, False) for i in few])
    # per-l factor from 'component' to the other normalisations
    factor = {
        "component": np.ones((lmax + 1) ** 2),
        "norm": np.concatenate(
            [np.full(2 * l + 1, 1 / math.sqrt(2 * l + 1)) for l in range(lmax + 1)]
        ),
        "integral": np.full((lmax + 1) ** 2, 1 / math.sqrt(4 * math.pi)),
    }
    errs: dict[str, list[float]] = {}
    for normalize, idx, ref in ((True, list(range(len(pts))), ref_true), (False, few, ref_false)):
        for normalization in ("component", "norm", "integral"):
            y = np.asarray(
                e3nn.spherical_harmonics(
                    irreps, x[jnp.asarray(idx)], normalize, normalization
                ).array
            )
            out[f"normalize={normalize},normalization={normalization}"] = y.tolist()
            want = ref * factor[normalization]
            scale = np.maximum(np.abs(want), 1.0)
            per_l = []
            for l in range(lmax + 1):
                sl = slice(l * l, (l + 1) ** 2)
                per_l.append(float(np.max(np.abs(y[:, sl] - want[:, sl]) / scale[:, sl])))
            errs[f"normalize={normalize},normalization={normalization}"] = per_l
    out["reference_mpmath,normalize=True,normalization=component"] = ref_true.tolist()
    out["reference_mpmath,normalize=False,normalization=component"] = ref_false.tolist()
    worst = max(max(v) for v in errs.values())
    # e3nn-jax is not exact: its error grows with l (measured ~3e-14 relative at l = 8).
    if worst > 1e-12:
        raise RuntimeError(f"e3nn-jax SH differ from the mpmath reference by {worst:.3g}")
    data = {
        "_meta": meta(
            f"e3nn-jax spherical_harmonics(Irreps.spherical_harmonics({lmax}), points, normalize,"
            " normalization) for l = 0..8, plus an independent 40-digit mpmath reference",
            [
                "Real spherical harmonics, e3nn convention: y is the polar axis, l=1 block is"
                " sqrt(3)*(x, y, z)/|r| in 'component' normalisation; parity (-1)^l.",
                "component: sum_m Y_lm^2 = 2l+1 on the sphere; norm: sum_m Y_lm^2 = 1"
                " (component / sqrt(2l+1)); integral: int_S2 Y_lm^2 = 1 (component / sqrt(4 pi)).",
                "normalize=False: the polynomial |r|^l * Y_lm(r/|r|) (same constants).",
                "e3nn-jax doc: matches Wikipedia's real SH table for normalize=True,"
                " normalization='integral' when called with arguments (y, z, x), i.e."
                " e3nn(x, y, z) = Wikipedia(X=z, Y=x, Z=y).",
            ],
            [
                "points: [n][3] (x, y, z); point_descriptions: [n] strings.",
                "'normalize=True,normalization=N': [n][(lmax+1)^2], column l*l + i for real"
                " index i = l + m, m = -l..l (e3nn order).",
                "'normalize=False,normalization=N': rows for points[normalize=False_point_indices].",
                "'reference_mpmath,...': same layout, mpmath 40 digits rounded once to f64"
                " (formula in bench/gen_golden_e3nn.py sh_reference).",
            ],
            [
                "e3nn-jax vs mpmath reference, max |diff| / max(|ref|, 1) per l = 0..8:",
                *[f"  {k}: " + " ".join(f"{e:.1e}" for e in v) for k, v in errs.items()],
            ],
        ),
        **out,
    }
    path = os.path.join(out_dir, "e3nn_sh.json")
    size = write_json(path, data)
    print(
        f"e3nn_sh.json: {len(pts)} points, l <= {lmax}, {size / 1024:.1f} KiB,"
        f" e3nn-jax vs mpmath max rel err {worst:.2e}"
    )
    return path


# ------------------------------------------------------------------------ Wigner D


def rational_rotation(a: int, b: int, c: int, d: int) -> np.ndarray:
    """Rotation from the integer quaternion (a, b, c, d) (a = scalar part), entries rational."""
    n = a * a + b * b + c * c + d * d
    m = np.array(
        [
            [a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
            [2 * (b * c + a * d), a * a - b * b + c * c - d * d, 2 * (c * d - a * b)],
            [2 * (b * d - a * c), 2 * (c * d + a * b), a * a - b * b - c * c + d * d],
        ],
        dtype=np.float64,
    )
    return m / n


def wigner_d(out_dir: str, lmax: int = 6) -> str:
    angles = [
        (0.0, 0.0, 0.0),
        (math.pi / 2, 0.0, 0.0),
        (0.0, math.pi / 2, 0.0),
        (0.1, 0.2, 0.3),
        (1.3, -0.7, 2.9),
        (math.pi, math.pi / 3, -math.pi / 4),
    ]
    out: dict[str, object] = {"angles": [list(a) for a in angles]}
    rmats = []
    max_d1 = 0.0
    for a, b, g in angles:
        r = np.asarray(e3nn.angles_to_matrix(a, b, g))
        rmats.append(r.tolist())
        d = {}
        for l in range(lmax + 1):
            m = np.asarray(e3nn.Irrep(l, 1).D_from_angles(a, b, g))
            d[str(l)] = m.tolist()
            if l == 1:
                max_d1 = max(max_d1, float(np.max(np.abs(m - r))))
            orth = float(np.max(np.abs(m @ m.T - np.eye(2 * l + 1))))
            if orth > 64 * EPS * (2 * l + 1):
                raise RuntimeError(f"D^{l} not orthogonal at {(a, b, g)}: {orth:.3g}")
        out.setdefault("D_from_angles", []).append(d)
    out["angles_to_matrix"] = rmats

    r_plus = rational_rotation(1, 2, 3, 4)  # det +1, entries k/30
    r_minus = -rational_rotation(2, -1, 1, 3)  # det -1: inversion times a rotation
    mats = [r_plus, r_minus]
    out["matrices"] = [m.tolist() for m in mats]
    out["matrices_description"] = [
        "rotation from integer quaternion (1,2,3,4): R = rot/30, det +1",
        "-R with R from integer quaternion (2,-1,1,3) (R = rot/15): det -1, an improper rotation",
    ]
    from_matrix = []
    for m in mats:
        d = {}
        for l in range(lmax + 1):
            for p, ps in ((1, "e"), (-1, "o")):
                d[f"{l}{ps}"] = np.asarray(e3nn.Irrep(l, p).D_from_matrix(jnp.asarray(m))).tolist()
        from_matrix.append(d)
    out["D_from_matrix"] = from_matrix
    if max_d1 > 4 * EPS:
        raise RuntimeError(f"D^1 != R: {max_d1:.3g}")
    d1o_err = float(np.max(np.abs(np.asarray(from_matrix[1]["1o"]) - r_minus)))
    # tie D to the SH convention: Y^l(R x) = D^l(R) Y^l(x), with parity (-1)^l for det -1
    xs = np.random.default_rng(7).normal(size=(5, 3))
    eq_err = 0.0
    all_r = [(np.asarray(r), None) for r in rmats] + [(m, i) for i, m in enumerate(mats)]
    for k, (r, mi) in enumerate(all_r):
        for l in range(lmax + 1):
            y = np.asarray(e3nn.spherical_harmonics([l], e3nn.IrrepsArray("1o", xs), True).array)
            yr = np.asarray(
                e3nn.spherical_harmonics([l], e3nn.IrrepsArray("1o", xs @ r.T), True).array
            )
            if mi is None:
                dl = np.asarray(out["D_from_angles"][k][str(l)])
            else:
                dl = np.asarray(from_matrix[mi][f"{l}{'e' if l % 2 == 0 else 'o'}"])
            eq_err = max(eq_err, float(np.max(np.abs(yr - y @ dl.T))))
    if eq_err > 1e-12:
        raise RuntimeError(f"Y(Rx) != D(R) Y(x): {eq_err:.3g}")
    if d1o_err > 16 * EPS:
        raise RuntimeError(f"D^1o(R) != R for det -1: {d1o_err:.3g}")
    data = {
        "_meta": meta(
            f"e3nn-jax Irrep(l, p).D_from_angles(alpha, beta, gamma) and D_from_matrix(R), l = 0..{lmax}",
            [
                "e3nn docs: alpha = rotation around Y applied third, beta = around X applied second,"
                " gamma = around Y applied first: R(alpha, beta, gamma) = R_y(alpha) R_x(beta) R_y(gamma)"
                " (angles_to_matrix = matrix_y(alpha) @ matrix_x(beta) @ matrix_y(gamma)).",
                "matrix_x(t) = [[1,0,0],[0,c,-s],[0,s,c]], matrix_y(t) = [[c,0,s],[0,1,0],[-s,0,c]]"
                " (active, right-handed).",
                "D acts on e3nn real components (index 0..2l); D^1(R) = R in the (x, y, z) basis.",
                "D_from_angles(k=0) does not depend on parity (p^k with k = 0).",
                "D_from_matrix(R): d = sign(det R), k = (1-d)/2, D = p^k D(matrix_to_angles(d R)):"
                " an improper R multiplies odd-parity irreps by -1.",
            ],
            [
                "angles: [6][3] (alpha, beta, gamma) radians; angles_to_matrix: [6][3][3].",
                'D_from_angles: [6] objects {"l": [2l+1][2l+1]} (row index = output component).',
                'matrices: [2][3][3]; D_from_matrix: [2] objects {"<l><e|o>": [2l+1][2l+1]}.',
            ],
            [
                f"D^1(alpha, beta, gamma) equals angles_to_matrix to {max_d1:.2e}",
                "every D^l orthogonal to 64 eps (2l+1)",
                f"D^1o(R) = R for the det -1 matrix to {d1o_err:.2e}",
                f"Y^l(R x) = D^l(R) Y^l(x) (e3nn-jax SH, component, l <= {lmax}, 5 random x, all 8"
                f" matrices, parity (-1)^l) to {eq_err:.2e}",
            ],
        ),
        **out,
    }
    path = os.path.join(out_dir, "e3nn_wigner_d.json")
    size = write_json(path, data)
    print(
        f"e3nn_wigner_d.json: {len(angles)} angle triples, 2 matrices, l <= {lmax}, {size / 1024:.1f} KiB"
    )
    return path


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--out", default=os.path.join(here, "..", "tests", "golden"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    real_cg(args.out)
    spherical_harmonics(args.out)
    wigner_d(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
