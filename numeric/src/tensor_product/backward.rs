//! Backward kernels: gradients with respect to both inputs and the weights.
//!
//! Per path, with `T[k][u,v] = Σ C[i,j,k] x1[u,i] x2[v,j]` (the coefficients carry √α) and
//! `g` the output gradient:
//!
//! ```text
//! ∂W[u,v,w] = Σ_k T[k][u,v] g[w,k]          ∂T[k][u,v] = Σ_w W[u,v,w] g[w,k]
//! ∂x1[u,i] += Σ C[i,j,k] ∂T[k][u,v] x2[v,j]  ∂x2[v,j] += Σ C[i,j,k] ∂T[k][u,v] x1[u,i]
//! ```
//!
//! with the connection pattern of each mode. Shared-weight `Uvw` groups use two matrix
//! products per chunk: `∂W += Aᵀ G` and `∂A = G Bᵀ`.

use super::kernel::{
    add_mul, axpy, dot, transpose_blocks, untranspose_blocks_add, zeroed, Scratch, ROWS_PER_CHUNK,
};
use super::{gemm_rowmajor, ConnectionMode, PathPlan, TensorProduct, Weights};
use crate::dispatch::{dispatch, Wide};
use crate::Float;

/// One chunk of work: its index and its rows of ∂x1, ∂x2 and (per-sample weights) ∂W.
type Job<'a, T> = (usize, (&'a mut [T], (&'a mut [T], &'a mut [T])));

/// Per-thread state of the backward pass.
struct State<T> {
    s: Scratch<T>,
    g_t: Vec<T>,
    gx1t: Vec<T>,
    gx2t: Vec<T>,
    gx1s: Vec<T>,
    gx2s: Vec<T>,
    grad_t: Vec<T>,
    gmat: Vec<T>,
    gamat: Vec<T>,
    /// Shared weights: Σ over this thread's samples (weight_numel), else empty.
    gw: Vec<T>,
    /// Shared weights: one `mul_out × k` accumulator (∂Wᵀ) per GEMM group.
    gw_groups: Vec<Vec<T>>,
}

impl<T: Float> State<T> {
    fn new(tp: &TensorProduct<T>, shared: bool, gemm: bool) -> Self {
        State {
            s: Scratch::new(),
            g_t: Vec::new(),
            gx1t: Vec::new(),
            gx2t: Vec::new(),
            gx1s: Vec::new(),
            gx2s: Vec::new(),
            grad_t: Vec::new(),
            gmat: Vec::new(),
            gamat: Vec::new(),
            gw: if shared {
                vec![T::ZERO; tp.weight_numel]
            } else {
                Vec::new()
            },
            gw_groups: if gemm {
                tp.gemm_groups
                    .iter()
                    .map(|g| vec![T::ZERO; g.k * g.mul_out])
                    .collect()
            } else {
                Vec::new()
            },
        }
    }

    /// The total weight gradient of this state (shared weights).
    fn into_total(mut self, tp: &TensorProduct<T>) -> Vec<T> {
        for (g, acc) in tp.gemm_groups.iter().zip(&self.gw_groups) {
            for &(pi, col) in &g.members {
                let p = &tp.paths[pi];
                let pairs = p.mul1 * p.mul2;
                for q in 0..pairs {
                    for w in 0..g.mul_out {
                        self.gw[p.w_off + q * g.mul_out + w] += acc[w * g.k + col + q];
                    }
                }
            }
        }
        self.gw
    }
}

/// `buf` split into `n` chunks of `rows · row_len` elements (empty chunks when `row_len == 0`).
fn split_rows<T>(buf: &mut [T], row_len: usize, rows: usize, n: usize) -> Vec<&mut [T]> {
    if row_len == 0 {
        return (0..n).map(|_| <&mut [T]>::default()).collect();
    }
    buf.chunks_mut(rows * row_len).collect()
}

/// One path of one sample (see the module docs). `a`, `b`: input terms `[i][u]`, `[j][v]`;
/// `g`: output gradient term `[k][w]`; `ga`, `gb`: input gradient terms (accumulated);
/// `gw`: the path's weight gradient (accumulated), if weighted.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn path_backward<T: Float>(
    p: &PathPlan<T>,
    a: &[T],
    b: &[T],
    w: &[T],
    g: &[T],
    ga: &mut [T],
    gb: &mut [T],
    mut gw: Option<&mut [T]>,
    acc: &mut Vec<T>,
    gt: &mut Vec<T>,
) {
    let (m1, m2, mo, dout) = (p.mul1, p.mul2, p.mul_out, p.d_out);
    match p.mode {
        ConnectionMode::Uvu => {
            let acc = zeroed(acc, dout * m1);
            let gt = zeroed(gt, dout * m1);
            for v in 0..m2 {
                acc.fill(T::ZERO);
                for c in &p.coeffs {
                    let (i, j, k) = (c.i as usize, c.j as usize, c.k as usize);
                    axpy(
                        &mut acc[k * m1..(k + 1) * m1],
                        c.value * b[j * m2 + v],
                        &a[i * m1..(i + 1) * m1],
                    );
                }
                if let Some(gw) = gw.as_deref_mut() {
                    for k in 0..dout {
                        for u in 0..m1 {
                            gw[u * m2 + v] += g[k * m1 + u] * acc[k * m1 + u];
                        }
                    }
                }
                for k in 0..dout {
                    for u in 0..m1 {
                        gt[k * m1 + u] = w[u * m2 + v] * g[k * m1 + u];
                    }
                }
                for c in &p.coeffs {
                    let (i, j, k) = (c.i as usize, c.j as usize, c.k as usize);
                    let gtk = &gt[k * m1..(k + 1) * m1];
                    axpy(&mut ga[i * m1..(i + 1) * m1], c.value * b[j * m2 + v], gtk);
                    gb[j * m2 + v] += c.value * dot(&a[i * m1..(i + 1) * m1], gtk);
                }
            }
        }
        ConnectionMode::Uvv | ConnectionMode::Uvuv => {
            // Uvv: output channel v; Uvuv: output channel u·mul2 + v
            let uvuv = p.mode == ConnectionMode::Uvuv;
            let acc = zeroed(acc, dout * m2);
            let gt = zeroed(gt, dout * m2);
            for u in 0..m1 {
                acc.fill(T::ZERO);
                for c in &p.coeffs {
                    let (i, j, k) = (c.i as usize, c.j as usize, c.k as usize);
                    axpy(
                        &mut acc[k * m2..(k + 1) * m2],
                        c.value * a[i * m1 + u],
                        &b[j * m2..(j + 1) * m2],
                    );
                }
                let o0 = if uvuv { u * m2 } else { 0 };
                let wu = &w[u * m2..(u + 1) * m2];
                for k in 0..dout {
                    let gk = &g[k * mo + o0..k * mo + o0 + m2];
                    if let Some(gw) = gw.as_deref_mut() {
                        add_mul(
                            &mut gw[u * m2..(u + 1) * m2],
                            gk,
                            &acc[k * m2..(k + 1) * m2],
                        );
                    }
                    for ((t, &wv), &gv) in gt[k * m2..(k + 1) * m2].iter_mut().zip(wu).zip(gk) {
                        *t = wv * gv;
                    }
                }
                for c in &p.coeffs {
                    let (i, j, k) = (c.i as usize, c.j as usize, c.k as usize);
                    let gtk = &gt[k * m2..(k + 1) * m2];
                    axpy(&mut gb[j * m2..(j + 1) * m2], c.value * a[i * m1 + u], gtk);
                    ga[i * m1 + u] += c.value * dot(&b[j * m2..(j + 1) * m2], gtk);
                }
            }
        }
        ConnectionMode::Uuu | ConnectionMode::Uuw => {
            let m = m1;
            let acc = zeroed(acc, dout * m);
            for c in &p.coeffs {
                let (i, j, k) = (c.i as usize, c.j as usize, c.k as usize);
                let (ai, bj) = (&a[i * m..(i + 1) * m], &b[j * m..(j + 1) * m]);
                for ((y, &x1), &x2) in acc[k * m..(k + 1) * m].iter_mut().zip(ai).zip(bj) {
                    *y += c.value * x1 * x2;
                }
            }
            let gt = zeroed(gt, dout * m);
            for k in 0..dout {
                if p.mode == ConnectionMode::Uuu {
                    let gk = &g[k * m..(k + 1) * m];
                    if let Some(gw) = gw.as_deref_mut() {
                        add_mul(&mut gw[..m], gk, &acc[k * m..(k + 1) * m]);
                    }
                    add_mul(&mut gt[k * m..(k + 1) * m], &w[..m], gk);
                } else {
                    let gk = &g[k * mo..(k + 1) * mo];
                    for u in 0..m {
                        if let Some(gw) = gw.as_deref_mut() {
                            axpy(&mut gw[u * mo..(u + 1) * mo], acc[k * m + u], gk);
                        }
                        gt[k * m + u] = dot(&w[u * mo..(u + 1) * mo], gk);
                    }
                }
            }
            for c in &p.coeffs {
                let (i, j, k) = (c.i as usize, c.j as usize, c.k as usize);
                let gtk = &gt[k * m..(k + 1) * m];
                for ((y, &x2), &t) in ga[i * m..(i + 1) * m]
                    .iter_mut()
                    .zip(&b[j * m..(j + 1) * m])
                    .zip(gtk)
                {
                    *y += c.value * x2 * t;
                }
                for ((y, &x1), &t) in gb[j * m..(j + 1) * m]
                    .iter_mut()
                    .zip(&a[i * m..(i + 1) * m])
                    .zip(gtk)
                {
                    *y += c.value * x1 * t;
                }
            }
        }
        ConnectionMode::Uvw => {
            let pairs = m1 * m2;
            let acc = zeroed(acc, dout * pairs);
            for c in &p.coeffs {
                let (i, j, k) = (c.i as usize, c.j as usize, c.k as usize);
                let bj = &b[j * m2..(j + 1) * m2];
                for u in 0..m1 {
                    let row = (k * m1 + u) * m2;
                    axpy(&mut acc[row..row + m2], c.value * a[i * m1 + u], bj);
                }
            }
            let gt = zeroed(gt, dout * pairs);
            for k in 0..dout {
                let gk = &g[k * mo..(k + 1) * mo];
                for q in 0..pairs {
                    if let Some(gw) = gw.as_deref_mut() {
                        axpy(&mut gw[q * mo..(q + 1) * mo], acc[k * pairs + q], gk);
                    }
                    gt[k * pairs + q] = dot(&w[q * mo..(q + 1) * mo], gk);
                }
            }
            for c in &p.coeffs {
                let (i, j, k) = (c.i as usize, c.j as usize, c.k as usize);
                let bj = &b[j * m2..(j + 1) * m2];
                for u in 0..m1 {
                    let gtu = &gt[(k * m1 + u) * m2..(k * m1 + u + 1) * m2];
                    ga[i * m1 + u] += c.value * dot(gtu, bj);
                    axpy(&mut gb[j * m2..(j + 1) * m2], c.value * a[i * m1 + u], gtu);
                }
            }
        }
    }
}

/// The backward pass over a checked batch.
#[allow(clippy::too_many_arguments)]
pub(crate) fn backward_batch<T: Float>(
    tp: &TensorProduct<T>,
    batch: usize,
    x1: &[T],
    x2: &[T],
    weights: Weights<'_, T>,
    grad_out: &[T],
    grad_x1: &mut [T],
    grad_x2: &mut [T],
    grad_weights: &mut [T],
) {
    grad_x1.fill(T::ZERO);
    grad_x2.fill(T::ZERO);
    grad_weights.fill(T::ZERO);
    if batch == 0 {
        return;
    }
    let shared = matches!(weights, Weights::Shared(_));
    let per_sample = matches!(weights, Weights::PerSample(_));
    let rhs = match weights {
        Weights::Shared(w) if !tp.gemm_groups.is_empty() => Some(tp.gemm_rhs(w)),
        _ => None,
    };
    let gemm = rhs.is_some();
    let rows_per = ROWS_PER_CHUNK;
    let n_chunks = batch.div_ceil(rows_per);
    let numel = tp.weight_numel;
    let gx1 = split_rows(grad_x1, tp.dim1, rows_per, n_chunks);
    let gx2 = split_rows(grad_x2, tp.dim2, rows_per, n_chunks);
    let gws = split_rows(
        grad_weights,
        if per_sample { numel } else { 0 },
        rows_per,
        n_chunks,
    );
    let jobs: Vec<Job<'_, T>> = gx1
        .into_iter()
        .zip(gx2.into_iter().zip(gws))
        .enumerate()
        .collect();

    // (`identity` only to place `#[inline(always)]` on the closure, see `crate::dispatch`)
    let work = std::convert::identity(
        #[inline(always)]
        |st: &mut State<T>, (c, (gx1, (gx2, gw_rows))): Job<'_, T>| {
            let row0 = c * rows_per;
            let rows = rows_per.min(batch - row0);
            let (d1, d2, dout) = (tp.dim1, tp.dim2, tp.dim_out);
            tp.transpose_inputs(&mut st.s, x1, x2, row0, rows);
            let gx1t = zeroed(&mut st.gx1t, rows * d1);
            let gx2t = zeroed(&mut st.gx2t, rows * d2);
            for r in 0..rows {
                let n = row0 + r;
                let wrow = weights.row(n, numel);
                let g_t = zeroed(&mut st.g_t, dout);
                transpose_blocks(&tp.blocks_out, &grad_out[n * dout..(n + 1) * dout], g_t);
                let (x1t, x2t) = (
                    &st.s.x1t[r * d1..(r + 1) * d1],
                    &st.s.x2t[r * d2..(r + 1) * d2],
                );
                let (ga_row, gb_row) = (
                    &mut gx1t[r * d1..(r + 1) * d1],
                    &mut gx2t[r * d2..(r + 1) * d2],
                );
                for (pi, p) in tp.paths.iter().enumerate() {
                    if p.is_empty() || (gemm && tp.in_gemm[pi]) {
                        continue;
                    }
                    let gw = if !p.has_weight {
                        None
                    } else if per_sample {
                        Some(&mut gw_rows[r * numel + p.w_off..r * numel + p.w_off + p.w_len])
                    } else {
                        Some(&mut st.gw[p.w_off..p.w_off + p.w_len])
                    };
                    path_backward(
                        p,
                        &x1t[p.off1..p.off1 + p.mul1 * p.d1],
                        &x2t[p.off2..p.off2 + p.mul2 * p.d2],
                        tp.path_weights(p, wrow),
                        &g_t[p.off_out..p.off_out + p.mul_out * p.d_out],
                        &mut ga_row[p.off1..p.off1 + p.mul1 * p.d1],
                        &mut gb_row[p.off2..p.off2 + p.mul2 * p.d2],
                        gw,
                        &mut st.s.acc,
                        &mut st.grad_t,
                    );
                }
            }
            if let Some(rhs) = &rhs {
                tp.soa_inputs(&mut st.s, rows);
                let gx1s = zeroed(&mut st.gx1s, rows * d1);
                let gx2s = zeroed(&mut st.gx2s, rows * d2);
                for ((g, bmat), gwt) in tp.gemm_groups.iter().zip(rhs).zip(&mut st.gw_groups) {
                    let m = rows * g.d_out;
                    tp.gemm_lhs(g, &st.s.x1s, &st.s.x2s, rows, &mut st.s.a, &mut st.s.acc);
                    // Gᵀ[w][k·rows + r] = grad_out[r, off + w·d_out + k]
                    let gt = zeroed(&mut st.gmat, g.mul_out * m);
                    for r in 0..rows {
                        let orow = &grad_out[(row0 + r) * dout + g.off_out
                            ..(row0 + r) * dout + g.off_out + g.mul_out * g.d_out];
                        for w in 0..g.mul_out {
                            for k in 0..g.d_out {
                                gt[w * m + k * rows + r] = orow[w * g.d_out + k];
                            }
                        }
                    }
                    // ∂Wᵀ (mul_out × K) += Gᵀ (mul_out × m) · Aᵀ (m × K)
                    gemm_rowmajor(
                        (g.mul_out, m, g.k),
                        &st.gmat,
                        false,
                        &st.s.a,
                        true,
                        gwt,
                        T::ONE,
                    );
                    // ∂A (K × m) = B (K × mul_out) · Gᵀ (mul_out × m)
                    if st.gamat.len() < g.k * m {
                        st.gamat.resize(g.k * m, T::ZERO);
                    }
                    gemm_rowmajor(
                        (g.k, g.mul_out, m),
                        bmat,
                        false,
                        &st.gmat,
                        false,
                        &mut st.gamat,
                        T::ZERO,
                    );
                    let (xs1, xs2) = (&st.s.x1s, &st.s.x2s);
                    for &(pi, col) in &g.members {
                        let p = &tp.paths[pi];
                        let (m1, m2) = (p.mul1, p.mul2);
                        for c in &p.coeffs {
                            let (i, j, k) = (c.i as usize, c.j as usize, c.k as usize);
                            for u in 0..m1 {
                                let t1 = (p.off1 + i * m1 + u) * rows;
                                for v in 0..m2 {
                                    let t2 = (p.off2 + j * m2 + v) * rows;
                                    let q = (col + u * m2 + v) * m + k * rows;
                                    let da = &st.gamat[q..q + rows];
                                    for r in 0..rows {
                                        let cd = c.value * da[r];
                                        gx1s[t1 + r] += cd * xs2[t2 + r];
                                        gx2s[t2 + r] += cd * xs1[t1 + r];
                                    }
                                }
                            }
                        }
                    }
                }
                for r in 0..rows {
                    for t in 0..d1 {
                        gx1t[r * d1 + t] += gx1s[t * rows + r];
                    }
                    for t in 0..d2 {
                        gx2t[r * d2 + t] += gx2s[t * rows + r];
                    }
                }
            }
            for r in 0..rows {
                untranspose_blocks_add(
                    &tp.blocks1,
                    &gx1t[r * d1..(r + 1) * d1],
                    &mut gx1[r * d1..(r + 1) * d1],
                );
                untranspose_blocks_add(
                    &tp.blocks2,
                    &gx2t[r * d2..(r + 1) * d2],
                    &mut gx2[r * d2..(r + 1) * d2],
                );
            }
        },
    );

    let total: Vec<T> = {
        #[cfg(feature = "rayon")]
        {
            use rayon::prelude::*;
            jobs.into_par_iter()
                .fold(
                    || State::new(tp, shared, gemm),
                    |mut st, job| {
                        dispatch(Wide(
                            #[inline(always)]
                            || work(&mut st, job),
                        ));
                        st
                    },
                )
                .map(|st| st.into_total(tp))
                .reduce(Vec::new, |mut a, b| {
                    if a.is_empty() {
                        return b;
                    }
                    for (x, y) in a.iter_mut().zip(&b) {
                        *x += *y;
                    }
                    a
                })
        }
        #[cfg(not(feature = "rayon"))]
        {
            let mut st = State::new(tp, shared, gemm);
            for job in jobs {
                dispatch(Wide(
                    #[inline(always)]
                    || work(&mut st, job),
                ));
            }
            st.into_total(tp)
        }
    };
    if shared && !total.is_empty() {
        grad_weights.copy_from_slice(&total);
    }
}
