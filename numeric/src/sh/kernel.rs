//! Per-point kernels: values by recurrence into one output row, gradients from the row.
//!
//! The output row doubles as the workspace: degree l is computed from degrees l−1 and l−2 of
//! the same row, which stay in L1 cache, so no scratch memory is needed and writes are
//! contiguous.

use super::coeffs::ShTables;
use crate::Float;

/// Solid harmonics of degrees 0..=l_max at (x, y, z), without the final `Integral` factor.
///
/// `r2` must be x²+y²+z²; with `UNIT` the point is on the unit sphere and `r2` is ignored.
#[inline(always)]
pub(crate) fn values<T: Float, const UNIT: bool>(
    t: &ShTables<T>,
    l_max: usize,
    [x, y, z]: [T; 3],
    r2: T,
    row: &mut [T],
) {
    let row = &mut row[..(l_max + 1) * (l_max + 1)];
    row[0] = T::ONE;
    if l_max == 0 {
        return;
    }
    let c = t.y1;
    row[1] = c * x;
    row[2] = c * y;
    row[3] = c * z;
    // e3nn's y is the polar axis: standard frame (X, Y, Z) = (z, x, y).
    let (sx, sy, sz) = (z, x, y);
    for l in 2..=l_max {
        let (lo, hi) = row.split_at_mut(l * l);
        let cur = &mut hi[..2 * l + 1];
        let p1 = &lo[(l - 1) * (l - 1)..];
        let p2 = &lo[(l - 2) * (l - 2)..(l - 1) * (l - 1)];
        let off = (l - 2) * (l - 2);
        let a = &t.a[off..off + 2 * l - 3];
        let b = &t.b[off..off + 2 * l - 3];
        // m = −(l−2)..=(l−2): three-term recurrence, vectorisable over m.
        let k_max = 2 * l - 3;
        let (dst, y1, y2) = (&mut cur[2..2 + k_max], &p1[1..1 + k_max], &p2[..k_max]);
        if UNIT {
            for k in 0..k_max {
                dst[k] = a[k] * sz * y1[k] - b[k] * y2[k];
            }
        } else {
            for k in 0..k_max {
                dst[k] = a[k] * sz * y1[k] - b[k] * r2 * y2[k];
            }
        }
        // m = ±(l−1): the recurrence with b = 0.
        let e = t.edge[l] * sz;
        cur[1] = e * p1[0];
        cur[2 * l - 1] = e * p1[2 * l - 2];
        // m = ±l: multiply by (X + iY).
        let s = t.sect[l];
        let (ap, bp) = (p1[2 * l - 2], p1[0]);
        cur[2 * l] = s * (sx * ap - sy * bp);
        cur[0] = s * (sx * bp + sy * ap);
    }
}

/// Gradients of one point from its value row, into `grad` (`(dim, 3)` row-major).
///
/// Solid harmonics (`NORMALIZED = false`): ∇S_l = Σ c S_{l−1} (two terms per row).
/// Normalised harmonics, S evaluated at r̂ = r/|r|: ∇[S(r/|r|)] = (∇S(r̂) − l S(r̂) r̂)/|r|,
/// evaluated as Σ c (S_{l−1}(r̂)/|r|) − (l S_l(r̂)/|r|) r̂ (the same arithmetic as the block
/// kernel, so batched and single-point results agree bit for bit).
#[inline(always)]
pub(crate) fn gradients<T: Float, const NORMALIZED: bool>(
    t: &ShTables<T>,
    l_max: usize,
    row: &[T],
    grad: &mut [T],
    unit: [T; 3],
    inv_r: T,
) {
    let dim = (l_max + 1) * (l_max + 1);
    let (row, grad) = (&row[..dim], &mut grad[..3 * dim]);
    // Source values (the padding index `dim` reads 0).
    let src = |s: u32| -> T {
        let v = row.get(s as usize).copied().unwrap_or(T::ZERO);
        if NORMALIZED {
            v * inv_r
        } else {
            v
        }
    };
    let mut lf = T::ZERO;
    for l in 0..=l_max {
        let range = l * l..(l + 1) * (l + 1);
        for k in range {
            let w = if NORMALIZED {
                lf * row[k] * inv_r
            } else {
                T::ZERO
            };
            for a in 0..3 {
                let [(s0, c0), (s1, c1)] = t.grad_pairs[3 * k + a];
                let g = c0 * src(s0) + c1 * src(s1);
                grad[3 * k + a] = if NORMALIZED { g - w * unit[a] } else { g };
            }
        }
        lf += T::ONE;
    }
}

/// A row of the scratch block of the batched kernel: one (l, m) for `B` points. Every (l, m)
/// is computed for `B` points at once in a `(dim, B)` block (structure of arrays), so the
/// arithmetic vectorises over points and every load reads a whole row stored as a whole.
pub(crate) type Lane<T, const B: usize> = [T; B];

#[inline(always)]
fn lane<T: Float, const B: usize>(f: impl Fn(usize) -> T) -> Lane<T, B> {
    std::array::from_fn(f)
}

/// [`values`] for `B` points at once into `buf` (`dim` lanes).
#[inline(always)]
pub(crate) fn values_block<T: Float, const UNIT: bool, const B: usize>(
    t: &ShTables<T>,
    l_max: usize,
    [x, y, z]: [&Lane<T, B>; 3],
    r2: &Lane<T, B>,
    buf: &mut [Lane<T, B>],
) {
    let buf = &mut buf[..(l_max + 1) * (l_max + 1)];
    buf[0] = [T::ONE; B];
    if l_max == 0 {
        return;
    }
    values_block_one::<T, B>(t, [x, y, z], buf);
    for l in 2..=l_max {
        values_block_degree::<T, UNIT, B>(t, l, [x, y, z], r2, buf);
    }
}

/// Degree 1 of [`values_block`].
#[inline(always)]
pub(crate) fn values_block_one<T: Float, const B: usize>(
    t: &ShTables<T>,
    [x, y, z]: [&Lane<T, B>; 3],
    buf: &mut [Lane<T, B>],
) {
    let c = t.y1;
    buf[1] = lane(|i| c * x[i]);
    buf[2] = lane(|i| c * y[i]);
    buf[3] = lane(|i| c * z[i]);
}

/// Degree `l ≥ 2` of [`values_block`] from degrees l−1 and l−2 already in `buf`.
#[inline(always)]
pub(crate) fn values_block_degree<T: Float, const UNIT: bool, const B: usize>(
    t: &ShTables<T>,
    l: usize,
    [x, y, z]: [&Lane<T, B>; 3],
    r2: &Lane<T, B>,
    buf: &mut [Lane<T, B>],
) {
    let (lo, hi) = buf.split_at_mut(l * l);
    let p1 = &lo[(l - 1) * (l - 1)..];
    let p2 = &lo[(l - 2) * (l - 2)..(l - 1) * (l - 1)];
    values_block_step::<T, UNIT, B>(t, l, [x, y, z], r2, p2, p1, &mut hi[..2 * l + 1]);
}

/// Degree `l ≥ 2` of [`values_block`] into `cur` (2l+1 lanes) from degrees l−2 (`p2`) and
/// l−1 (`p1`).
#[inline(always)]
pub(crate) fn values_block_step<T: Float, const UNIT: bool, const B: usize>(
    t: &ShTables<T>,
    l: usize,
    [x, y, z]: [&Lane<T, B>; 3],
    r2: &Lane<T, B>,
    p2: &[Lane<T, B>],
    p1: &[Lane<T, B>],
    cur: &mut [Lane<T, B>],
) {
    let (sx, sy, sz) = (z, x, y);
    {
        let off = (l - 2) * (l - 2);
        let k_max = 2 * l - 3;
        let (a, b) = (&t.a[off..off + k_max], &t.b[off..off + k_max]);
        let (dst, y1, y2) = (&mut cur[2..2 + k_max], &p1[1..1 + k_max], &p2[..k_max]);
        for k in 0..k_max {
            let (ak, bk, v1, v2) = (a[k], b[k], &y1[k], &y2[k]);
            dst[k] = if UNIT {
                lane(|i| ak * sz[i] * v1[i] - bk * v2[i])
            } else {
                lane(|i| ak * sz[i] * v1[i] - bk * r2[i] * v2[i])
            };
        }
        let e = t.edge[l];
        let (first, last) = (&p1[0], &p1[2 * l - 2]);
        cur[1] = lane(|i| e * sz[i] * first[i]);
        cur[2 * l - 1] = lane(|i| e * sz[i] * last[i]);
        let s = t.sect[l];
        cur[2 * l] = lane(|i| s * (sx[i] * last[i] - sy[i] * first[i]));
        cur[0] = lane(|i| s * (sx[i] * first[i] + sy[i] * last[i]));
    }
}

/// [`gradients`] for a block: `gbuf` has `3·dim` lanes (row `3k + axis`); `buf` and `sbuf`
/// have `dim + 1` lanes whose last one is zero (`sbuf` is scratch for the scaled sources).
#[inline(always)]
pub(crate) fn gradients_block<T: Float, const NORMALIZED: bool, const B: usize>(
    t: &ShTables<T>,
    l_max: usize,
    buf: &[Lane<T, B>],
    sbuf: &mut [Lane<T, B>],
    gbuf: &mut [Lane<T, B>],
    unit: [&Lane<T, B>; 3],
    inv_r: &Lane<T, B>,
) {
    let dim = (l_max + 1) * (l_max + 1);
    let gbuf = &mut gbuf[..3 * dim];
    let sources: &[Lane<T, B>] = if NORMALIZED {
        // Degrees below l_max are sources; the zero lane at `dim` stays zero.
        let n_src = l_max * l_max;
        for (s, v) in sbuf[..n_src].iter_mut().zip(&buf[..n_src]) {
            *s = lane(|i| v[i] * inv_r[i]);
        }
        sbuf
    } else {
        buf
    };
    let mut lf = T::ZERO;
    for l in 0..=l_max {
        for k in l * l..(l + 1) * (l + 1) {
            let v = &buf[k];
            let w: Lane<T, B> = lane(|i| lf * v[i] * inv_r[i]);
            for a in 0..3 {
                let [(s0, c0), (s1, c1)] = t.grad_pairs[3 * k + a];
                let (v0, v1) = (&sources[s0 as usize], &sources[s1 as usize]);
                let u = unit[a];
                gbuf[3 * k + a] = if NORMALIZED {
                    lane(|i| c0 * v0[i] + c1 * v1[i] - w[i] * u[i])
                } else {
                    lane(|i| c0 * v0[i] + c1 * v1[i])
                };
            }
        }
        lf += T::ONE;
    }
}

/// Transposes a `(rows, B)` block into `B` output rows of length `rows`, times `scale`.
///
/// Pairs of block rows are read together so that two consecutive outputs of a point are
/// written as one unit (a 2×2 transpose per step).
#[inline(always)]
pub(crate) fn scatter_block<T: Float, const B: usize>(
    block: &[Lane<T, B>],
    out: &mut [T],
    scale: T,
) {
    let rows = block.len();
    let out = &mut out[..rows * B];
    let pairs = rows / 2;
    for (i, row) in out.chunks_exact_mut(rows).enumerate() {
        let (head, tail) = row.split_at_mut(2 * pairs);
        for (o, v) in head.chunks_exact_mut(2).zip(block.chunks_exact(2)) {
            o[0] = v[0][i] * scale;
            o[1] = v[1][i] * scale;
        }
        if let (Some(o), Some(v)) = (tail.first_mut(), block.last()) {
            *o = v[i] * scale;
        }
    }
}

/// Start of degree d in a padded source row: each degree occupies 2d+5 entries, its 2d+1
/// values between two zeros on either side, so that every gradient term of degree d+1 reads
/// a value or a zero without a branch.
#[inline(always)]
pub(crate) const fn pad_offset(d: usize) -> usize {
    d * d + 4 * d
}

/// Entries of a padded source row for degrees 0..=l_max (zeros included).
pub(crate) const fn pad_len(l_max: usize) -> usize {
    pad_offset(l_max + 1)
}

/// Writes the values `value(l² + μ)` of degrees 0..=l_max, times `inv_r` if `NORMALIZED`,
/// into the interior of the padded row `spad`; the padding is left as it is (zero).
#[inline(always)]
pub(crate) fn fill_padded<T: Float, const NORMALIZED: bool>(
    l_max: usize,
    value: impl Fn(usize) -> T,
    inv_r: T,
    spad: &mut [T],
) {
    for d in 0..=l_max {
        fill_padded_degree::<T, NORMALIZED>(d, &value, inv_r, spad);
    }
}

/// Degree `d` of [`fill_padded`].
#[inline(always)]
pub(crate) fn fill_padded_degree<T: Float, const NORMALIZED: bool>(
    d: usize,
    value: impl Fn(usize) -> T,
    inv_r: T,
    spad: &mut [T],
) {
    let dst = &mut spad[pad_offset(d) + 2..pad_offset(d) + 2 * d + 3];
    for (mu, s) in dst.iter_mut().enumerate() {
        let v = value(d * d + mu);
        *s = if NORMALIZED { v * inv_r } else { v };
    }
}

/// Gradients of one point from its padded source row ([`fill_padded`]) into `grad`
/// (`(dim, 3)` row-major), vectorised over m within each degree.
///
/// With S the (scaled) values of degree l−1 and s_μ = S_l[μ]/|r|:
///
/// ```text
/// ∂x[μ] = gxa_μ S[2l−μ] + gxb_μ S[2l−2−μ] − (l s_μ) x̂
/// ∂y[μ] = gy_μ S[μ−1]                     − (l s_μ) ŷ
/// ∂z[μ] = gza_μ S[μ] + gzb_μ S[μ−2]       − (l s_μ) ẑ
/// ```
///
/// (the last terms only for normalised harmonics; see [`ShTables::gxa`]). The same function
/// serves batches and single points, so both agree bit for bit.
#[inline(always)]
pub(crate) fn gradients_padded<T: Float, const NORMALIZED: bool>(
    t: &ShTables<T>,
    l_max: usize,
    spad: &[T],
    grad: &mut [T],
    [ux, uy, uz]: [T; 3],
) {
    grad[..3].fill(T::ZERO);
    for l in 1..=l_max {
        gradient_degree::<T, NORMALIZED>(t, l, spad, grad, [ux, uy, uz]);
    }
}

/// Degree `l ≥ 1` of [`gradients_padded`]: needs degrees l−1 and l of `spad`.
#[inline(always)]
pub(crate) fn gradient_degree<T: Float, const NORMALIZED: bool>(
    t: &ShTables<T>,
    l: usize,
    spad: &[T],
    grad: &mut [T],
    u: [T; 3],
) {
    let n = 2 * l + 1;
    let p = &spad[pad_offset(l - 1)..pad_offset(l - 1) + n + 2];
    let cur = &spad[pad_offset(l) + 2..pad_offset(l) + 2 + n];
    let g = &mut grad[3 * l * l..3 * (l * l + n)];
    gradient_step::<T, NORMALIZED>(t, l, p, cur, g, u);
}

/// Degree `l ≥ 1` of [`gradients_padded`] into `g` (`3(2l+1)` entries) from the padded
/// degree l−1 `p` (2l+3 entries) and the scaled values of degree l `cur` (2l+1 entries).
#[inline(always)]
pub(crate) fn gradient_step<T: Float, const NORMALIZED: bool>(
    t: &ShTables<T>,
    l: usize,
    p: &[T],
    cur: &[T],
    g: &mut [T],
    [ux, uy, uz]: [T; 3],
) {
    let lf = T::from_f64(l as f64);
    {
        let n = 2 * l + 1;
        let (p, cur, g) = (&p[..n + 2], &cur[..n], &mut g[..3 * n]);
        let (p0, p1, p2) = (&p[..n], &p[1..n + 1], &p[2..n + 2]);
        let k = l * l;
        let (cxa, cxb, cy) = (&t.gxa[k..k + n], &t.gxb[k..k + n], &t.gy[k..k + n]);
        let (cza, czb) = (&t.gza[k..k + n], &t.gzb[k..k + n]);
        for (mu, o) in g.chunks_exact_mut(3).enumerate() {
            let r = n - 1 - mu;
            let gx = cxa[mu] * p2[r] + cxb[mu] * p0[r];
            let gy = cy[mu] * p1[mu];
            let gz = cza[mu] * p2[mu] + czb[mu] * p0[mu];
            if NORMALIZED {
                let w = lf * cur[mu];
                o[0] = gx - w * ux;
                o[1] = gy - w * uy;
                o[2] = gz - w * uz;
            } else {
                o[0] = gx;
                o[1] = gy;
                o[2] = gz;
            }
        }
    }
}

/// [`values_block`] fused with [`gradients_padded`] of each of the `B` points, degree by
/// degree, so that the stores of the gradient rows (the bulk of the memory traffic) overlap
/// the arithmetic of the next degree's values, and the working set stays small: `buf` holds
/// three degrees of values (at least 3(2l_max+1) lanes), `spad` two padded degrees per point
/// (at least 2B(2l_max+5) entries). `grad` receives the `B` gradient rows (`3·dim` each) and
/// `out` the `B` value rows (`dim` each) times `scale`, as [`scatter_block`] writes them.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
pub(crate) fn values_gradients_block<T: Float, const NORMALIZED: bool, const B: usize>(
    t: &ShTables<T>,
    l_max: usize,
    xyz: [&Lane<T, B>; 3],
    r2: &Lane<T, B>,
    unit: [&Lane<T, B>; 3],
    inv_r: &Lane<T, B>,
    buf: &mut [Lane<T, B>],
    spad: &mut [T],
    out: &mut [T],
    scale: T,
    grad: &mut [T],
) {
    let dim = (l_max + 1) * (l_max + 1);
    let gdim = 3 * dim;
    let m = 2 * l_max + 1;
    let slot = 2 * l_max + 5;
    let (s0, rest) = buf.split_at_mut(m);
    let (s1, rest) = rest.split_at_mut(m);
    let s2 = &mut rest[..m];
    for l in 0..=l_max {
        let (cur, p1, p2) = match l % 3 {
            0 => (&mut *s0, &*s2, &*s1),
            1 => (&mut *s1, &*s0, &*s2),
            _ => (&mut *s2, &*s1, &*s0),
        };
        match l {
            0 => cur[0] = [T::ONE; B],
            1 => {
                let c = t.y1;
                cur[0] = lane(|i| c * xyz[0][i]);
                cur[1] = lane(|i| c * xyz[1][i]);
                cur[2] = lane(|i| c * xyz[2][i]);
            }
            _ => values_block_step::<T, NORMALIZED, B>(t, l, xyz, r2, p2, p1, cur),
        }
        let cur = &*cur;
        let n = 2 * l + 1;
        let rows = spad
            .chunks_exact_mut(2 * slot)
            .zip(out.chunks_exact_mut(dim))
            .zip(grad.chunks_exact_mut(gdim));
        for (i, ((sp, o), g)) in rows.enumerate().take(B) {
            let (sa, sb) = sp.split_at_mut(slot);
            let (sc, sp) = if l % 2 == 0 { (sa, &*sb) } else { (sb, &*sa) };
            // degree l between two zeros; the slot held degree l − 2 or an earlier block
            let dst = &mut sc[2..n + 4];
            for ((s, o), v) in dst.iter_mut().zip(&mut o[l * l..l * l + n]).zip(&cur[..n]) {
                *o = v[i] * scale;
                *s = if NORMALIZED { v[i] * inv_r[i] } else { v[i] };
            }
            dst[n] = T::ZERO;
            dst[n + 1] = T::ZERO;
            if l == 0 {
                g[..3].fill(T::ZERO);
            } else {
                let u = [unit[0][i], unit[1][i], unit[2][i]];
                let gl = &mut g[3 * l * l..3 * (l * l + n)];
                gradient_step::<T, NORMALIZED>(t, l, &sp[..n + 2], &sc[2..n + 2], gl, u);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ShNormalization;

    /// The per-point kernel vectorised over m against the pair kernel: the same terms in
    /// the same order, except that l·Y_l/|r| is rounded as l·(Y_l/|r|) instead of (l·Y_l)/|r|.
    /// Solid harmonics: equal. Normalised: within 4 eps of the magnitude of the terms
    /// (two roundings of the radial term, one of the sum).
    #[test]
    fn padded_gradients_agree_with_the_pair_kernel() {
        let l_max = 32;
        let t = ShTables::<f64>::new(l_max, ShNormalization::Norm);
        let dim = (l_max + 1) * (l_max + 1);
        let mut spad = vec![0.0; pad_len(l_max)];
        let (mut row, mut g_pairs, mut g_pad) =
            (vec![0.0; dim + 1], vec![0.0; 3 * dim], vec![0.0; 3 * dim]);
        for (i, p) in [
            [0.3, -0.2, 0.9],
            [-1.0, 0.25, 0.5],
            [0.0, 1.0, 0.0],
            [2.0, 1.0, -3.0],
        ]
        .into_iter()
        .enumerate()
        {
            let r2: f64 = p.iter().map(|v| v * v).sum();
            // solid harmonics
            values::<f64, false>(&t, l_max, p, r2, &mut row);
            gradients::<f64, false>(&t, l_max, &row, &mut g_pairs, [1.0; 3], 1.0);
            fill_padded::<f64, false>(l_max, |k| row[k], 1.0, &mut spad);
            gradients_padded::<f64, false>(&t, l_max, &spad, &mut g_pad, [1.0; 3]);
            assert_eq!(g_pairs, g_pad, "point {i}");
            // normalised harmonics
            let inv_r = 1.0 / r2.sqrt();
            let u = p.map(|v| v * inv_r);
            values::<f64, true>(&t, l_max, u, 1.0, &mut row);
            gradients::<f64, true>(&t, l_max, &row, &mut g_pairs, u, inv_r);
            fill_padded::<f64, true>(l_max, |k| row[k], inv_r, &mut spad);
            gradients_padded::<f64, true>(&t, l_max, &spad, &mut g_pad, u);
            for k in 0..dim {
                let l = (k as f64).sqrt().floor();
                for a in 0..3 {
                    let [(s0, c0), (s1, c1)] = t.grad_pairs[3 * k + a];
                    let src = |s: u32| row.get(s as usize).map_or(0.0, |v| v * inv_r);
                    let mag = (c0 * src(s0)).abs()
                        + (c1 * src(s1)).abs()
                        + (l * row[k] * inv_r * u[a]).abs();
                    let d = (g_pairs[3 * k + a] - g_pad[3 * k + a]).abs();
                    assert!(
                        d <= 4.0 * f64::EPSILON * mag,
                        "point {i} k {k} axis {a}: {d}"
                    );
                }
            }
        }
    }
}
