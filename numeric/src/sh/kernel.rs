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
    let c = t.y1;
    buf[1] = lane(|i| c * x[i]);
    buf[2] = lane(|i| c * y[i]);
    buf[3] = lane(|i| c * z[i]);
    let (sx, sy, sz) = (z, x, y);
    for l in 2..=l_max {
        let (lo, hi) = buf.split_at_mut(l * l);
        let cur = &mut hi[..2 * l + 1];
        let p1 = &lo[(l - 1) * (l - 1)..];
        let p2 = &lo[(l - 2) * (l - 2)..(l - 1) * (l - 1)];
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
