//! Forward kernels: per-sample sparse contraction with channel-contiguous inner loops, shared
//! weight `Uvw` paths as matrix products per chunk of rows, rayon over chunks.
//!
//! Inside a sample, every term block is transposed from e3nn's `[u][m]` to `[m][u]`, so that
//! each nonzero coefficient drives one `axpy` over a contiguous run of channels; outputs are
//! accumulated in the same transposed layout and transposed back once.

use super::paths::Block;
use super::{gemm_rowmajor, ConnectionMode, GemmGroup, PathPlan, TensorProduct, Weights};
use crate::dispatch::{dispatch, Kernel, Wide};
use crate::Float;

/// Rows per parallel work item.
pub(crate) const ROWS_PER_CHUNK: usize = 64;

/// `y += a·x` (equal lengths).
#[inline(always)]
pub(crate) fn axpy<T: Float>(y: &mut [T], a: T, x: &[T]) {
    for (y, &x) in y.iter_mut().zip(x) {
        *y += a * x;
    }
}

/// `y += a ⊙ x` (element-wise product, equal lengths).
#[inline(always)]
pub(crate) fn add_mul<T: Float>(y: &mut [T], a: &[T], x: &[T]) {
    for ((y, &a), &x) in y.iter_mut().zip(a).zip(x) {
        *y += a * x;
    }
}

/// `Σ a·b`, with eight partial sums so the loop vectorises.
#[inline(always)]
pub(crate) fn dot<T: Float>(a: &[T], b: &[T]) -> T {
    let mut acc = [T::ZERO; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let (ra, rb) = (ca.remainder(), cb.remainder());
    for (x, y) in ca.zip(cb) {
        for l in 0..8 {
            acc[l] += x[l] * y[l];
        }
    }
    let mut s = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
    for (&x, &y) in ra.iter().zip(rb) {
        s += x * y;
    }
    s
}

/// Transposes every block of a row from `[u][m]` (e3nn) to `[m][u]`.
#[inline(always)]
pub(crate) fn transpose_blocks<T: Float>(blocks: &[Block], src: &[T], dst: &mut [T]) {
    for &(off, mul, d) in blocks {
        if mul == 1 || d == 1 {
            dst[off..off + mul * d].copy_from_slice(&src[off..off + mul * d]);
            continue;
        }
        for u in 0..mul {
            for i in 0..d {
                dst[off + i * mul + u] = src[off + u * d + i];
            }
        }
    }
}

/// Adds the transposed blocks `src` (`[m][u]`) to `dst` in e3nn's `[u][m]` layout.
#[inline(always)]
pub(crate) fn untranspose_blocks_add<T: Float>(blocks: &[Block], src: &[T], dst: &mut [T]) {
    for &(off, mul, d) in blocks {
        for u in 0..mul {
            for i in 0..d {
                dst[off + u * d + i] += src[off + i * mul + u];
            }
        }
    }
}

/// Writes the transposed blocks `src` (`[m][u]`) to `dst` in e3nn's `[u][m]` layout.
#[inline(always)]
fn untranspose_blocks<T: Float>(blocks: &[Block], src: &[T], dst: &mut [T]) {
    for &(off, mul, d) in blocks {
        if mul == 1 || d == 1 {
            dst[off..off + mul * d].copy_from_slice(&src[off..off + mul * d]);
            continue;
        }
        for u in 0..mul {
            for i in 0..d {
                dst[off + u * d + i] = src[off + i * mul + u];
            }
        }
    }
}

/// Runs `f(scratch, first_row, rows, out_chunk)` over chunks of `rows_per_chunk` rows of
/// `out` (row length `row_len`, possibly 0), in parallel with the `rayon` feature, each chunk
/// through [`dispatch`] (write `f` as `#[inline(always)] |…| …` so the wide clone sees it).
pub(crate) fn run_chunks<T, S, I, F>(
    batch: usize,
    rows_per_chunk: usize,
    out: &mut [T],
    row_len: usize,
    init: I,
    f: F,
) where
    T: Send,
    I: Fn() -> S + Sync + Send,
    F: Fn(&mut S, usize, usize, &mut [T]) + Sync + Send,
{
    let n_chunks = batch.div_ceil(rows_per_chunk);
    let jobs: Vec<(usize, &mut [T])> = if row_len > 0 {
        out.chunks_mut(rows_per_chunk * row_len)
            .enumerate()
            .collect()
    } else {
        (0..n_chunks).map(|c| (c, <&mut [T]>::default())).collect()
    };
    let rows_of = |c: usize| rows_per_chunk.min(batch - c * rows_per_chunk);
    #[cfg(feature = "rayon")]
    {
        use rayon::prelude::*;
        jobs.into_par_iter().for_each_init(init, |s, (c, chunk)| {
            dispatch(Wide(
                #[inline(always)]
                || f(s, c * rows_per_chunk, rows_of(c), chunk),
            ))
        });
    }
    #[cfg(not(feature = "rayon"))]
    {
        let mut s = init();
        for (c, chunk) in jobs {
            dispatch(Wide(
                #[inline(always)]
                || f(&mut s, c * rows_per_chunk, rows_of(c), chunk),
            ));
        }
    }
}

/// Grows `v` to at least `n` elements and returns the first `n`, zeroed.
#[inline(always)]
pub(crate) fn zeroed<T: Float>(v: &mut Vec<T>, n: usize) -> &mut [T] {
    if v.len() < n {
        v.resize(n, T::ZERO);
    }
    let s = &mut v[..n];
    s.fill(T::ZERO);
    s
}

/// Per-thread buffers of the forward pass.
pub(crate) struct Scratch<T> {
    pub(crate) x1t: Vec<T>,
    pub(crate) x2t: Vec<T>,
    pub(crate) x1s: Vec<T>,
    pub(crate) x2s: Vec<T>,
    pub(crate) out_t: Vec<T>,
    pub(crate) acc: Vec<T>,
    pub(crate) a: Vec<T>,
    pub(crate) c: Vec<T>,
}

impl<T: Float> Scratch<T> {
    pub(crate) fn new() -> Self {
        Scratch {
            x1t: Vec::new(),
            x2t: Vec::new(),
            x1s: Vec::new(),
            x2s: Vec::new(),
            out_t: Vec::new(),
            acc: Vec::new(),
            a: Vec::new(),
            c: Vec::new(),
        }
    }
}

/// One path of one sample: adds the path's output to `o` (the output term, transposed
/// `[k][w]`), from `a` = x1 term `[i][u]`, `b` = x2 term `[j][v]`, the path's weights `w`.
#[inline(always)]
pub(crate) fn path_forward<T: Float>(
    p: &PathPlan<T>,
    a: &[T],
    b: &[T],
    w: &[T],
    o: &mut [T],
    acc: &mut Vec<T>,
) {
    let (m1, m2, mo, dout) = (p.mul1, p.mul2, p.mul_out, p.d_out);
    match p.mode {
        ConnectionMode::Uvu => {
            let acc = zeroed(acc, dout * m1);
            for v in 0..m2 {
                if v > 0 {
                    acc.fill(T::ZERO);
                }
                for c in &p.coeffs {
                    let (i, j, k) = (c.i as usize, c.j as usize, c.k as usize);
                    axpy(
                        &mut acc[k * m1..(k + 1) * m1],
                        c.value * b[j * m2 + v],
                        &a[i * m1..(i + 1) * m1],
                    );
                }
                for k in 0..dout {
                    let (ok, ak) = (&mut o[k * m1..(k + 1) * m1], &acc[k * m1..(k + 1) * m1]);
                    if m2 == 1 {
                        add_mul(ok, &w[..m1], ak);
                    } else {
                        for u in 0..m1 {
                            ok[u] += w[u * m2 + v] * ak[u];
                        }
                    }
                }
            }
        }
        ConnectionMode::Uvv => {
            let acc = zeroed(acc, dout * m2);
            for u in 0..m1 {
                if u > 0 {
                    acc.fill(T::ZERO);
                }
                for c in &p.coeffs {
                    let (i, j, k) = (c.i as usize, c.j as usize, c.k as usize);
                    axpy(
                        &mut acc[k * m2..(k + 1) * m2],
                        c.value * a[i * m1 + u],
                        &b[j * m2..(j + 1) * m2],
                    );
                }
                let wu = &w[u * m2..(u + 1) * m2];
                for k in 0..dout {
                    add_mul(&mut o[k * m2..(k + 1) * m2], wu, &acc[k * m2..(k + 1) * m2]);
                }
            }
        }
        ConnectionMode::Uuu => {
            let m = m1;
            let acc = zeroed(acc, dout * m);
            for c in &p.coeffs {
                let (i, j, k) = (c.i as usize, c.j as usize, c.k as usize);
                let (ai, bj) = (&a[i * m..(i + 1) * m], &b[j * m..(j + 1) * m]);
                for ((y, &x1), &x2) in acc[k * m..(k + 1) * m].iter_mut().zip(ai).zip(bj) {
                    *y += c.value * x1 * x2;
                }
            }
            for k in 0..dout {
                add_mul(
                    &mut o[k * m..(k + 1) * m],
                    &w[..m],
                    &acc[k * m..(k + 1) * m],
                );
            }
        }
        ConnectionMode::Uuw => {
            let m = m1;
            let acc = zeroed(acc, dout * m);
            for c in &p.coeffs {
                let (i, j, k) = (c.i as usize, c.j as usize, c.k as usize);
                let (ai, bj) = (&a[i * m..(i + 1) * m], &b[j * m..(j + 1) * m]);
                for ((y, &x1), &x2) in acc[k * m..(k + 1) * m].iter_mut().zip(ai).zip(bj) {
                    *y += c.value * x1 * x2;
                }
            }
            for k in 0..dout {
                let ok = &mut o[k * mo..(k + 1) * mo];
                for u in 0..m {
                    axpy(ok, acc[k * m + u], &w[u * mo..(u + 1) * mo]);
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
            for k in 0..dout {
                let ok = &mut o[k * mo..(k + 1) * mo];
                for (q, &t) in acc[k * pairs..(k + 1) * pairs].iter().enumerate() {
                    axpy(ok, t, &w[q * mo..(q + 1) * mo]);
                }
            }
        }
        ConnectionMode::Uvuv => {
            let acc = zeroed(acc, dout * m2);
            for u in 0..m1 {
                if u > 0 {
                    acc.fill(T::ZERO);
                }
                for c in &p.coeffs {
                    let (i, j, k) = (c.i as usize, c.j as usize, c.k as usize);
                    axpy(
                        &mut acc[k * m2..(k + 1) * m2],
                        c.value * a[i * m1 + u],
                        &b[j * m2..(j + 1) * m2],
                    );
                }
                let wu = &w[u * m2..(u + 1) * m2];
                for k in 0..dout {
                    let ok = &mut o[k * mo + u * m2..k * mo + (u + 1) * m2];
                    add_mul(ok, wu, &acc[k * m2..(k + 1) * m2]);
                }
            }
        }
    }
}

/// Batch rows processed together in registers by [`coupled_sum`].
const LANES: usize = 16;

/// `dst[r] = Σ_n tmp[n][r] · x2[j_n, v][r]` over the coefficients `group` (one output
/// component), `x2` batch-fastest with `mul2` channels. Sums run in the coefficients' order,
/// `LANES` rows at a time in registers, and `dst` is written once.
#[inline(always)]
fn coupled_sum<T: Float>(
    group: &[super::Coefficient<T>],
    tmp: &[T],
    x2: &[T],
    mul2: usize,
    v: usize,
    rows: usize,
    dst: &mut [T],
) {
    let full = rows - rows % LANES;
    let mut r0 = 0;
    while r0 < full {
        let mut acc = [T::ZERO; LANES];
        for (n, c) in group.iter().enumerate() {
            let t = &tmp[n * rows + r0..n * rows + r0 + LANES];
            let s = (c.j as usize * mul2 + v) * rows + r0;
            let y = &x2[s..s + LANES];
            for l in 0..LANES {
                acc[l] += t[l] * y[l];
            }
        }
        dst[r0..r0 + LANES].copy_from_slice(&acc);
        r0 += LANES;
    }
    for r in full..rows {
        let mut acc = T::ZERO;
        for (n, c) in group.iter().enumerate() {
            acc += tmp[n * rows + r] * x2[(c.j as usize * mul2 + v) * rows + r];
        }
        dst[r] = acc;
    }
}

impl<T: Float> TensorProduct<T> {
    /// The weights of path `p` within a weight row (the unit weights when unweighted).
    #[inline]
    pub(crate) fn path_weights<'a>(&'a self, p: &PathPlan<T>, row: &'a [T]) -> &'a [T] {
        if p.has_weight {
            &row[p.w_off..p.w_off + p.w_len]
        } else {
            &self.unit_weights[..p.w_len]
        }
    }

    /// The transposed input rows of a chunk: `s.x1t`, `s.x2t` get `rows` rows each.
    #[inline(always)]
    pub(crate) fn transpose_inputs(
        &self,
        s: &mut Scratch<T>,
        x1: &[T],
        x2: &[T],
        row0: usize,
        rows: usize,
    ) {
        let (d1, d2) = (self.dim1, self.dim2);
        s.x1t.resize(rows * d1, T::ZERO);
        s.x2t.resize(rows * d2, T::ZERO);
        for r in 0..rows {
            let g = row0 + r;
            transpose_blocks(
                &self.blocks1,
                &x1[g * d1..(g + 1) * d1],
                &mut s.x1t[r * d1..(r + 1) * d1],
            );
            transpose_blocks(
                &self.blocks2,
                &x2[g * d2..(g + 1) * d2],
                &mut s.x2t[r * d2..(r + 1) * d2],
            );
        }
    }

    /// The inputs of a chunk in batch-fastest order (for the matrix-product paths):
    /// `x1s[t·rows + r] = x1t[r][t]` with `t` the transposed in-row index `off + i·mul + u`.
    #[inline(always)]
    pub(crate) fn soa_inputs(&self, s: &mut Scratch<T>, rows: usize) {
        let (d1, d2) = (self.dim1, self.dim2);
        s.x1s.resize(rows * d1, T::ZERO);
        s.x2s.resize(rows * d2, T::ZERO);
        for r in 0..rows {
            for t in 0..d1 {
                s.x1s[t * rows + r] = s.x1t[r * d1 + t];
            }
            for t in 0..d2 {
                s.x2s[t * rows + r] = s.x2t[r * d2 + t];
            }
        }
    }

    /// The left factor of a GEMM group for a chunk of `rows` rows, stored `K × m` (column
    /// `q = k·rows + r`, m = d_out·rows):
    ///
    /// ```text
    /// A[col + u·mul2 + v][k·rows + r] = Σ_{i,j} C[i,j,k] x1[r][u,i] x2[r][v,j]
    /// ```
    ///
    /// Inner loops run over the batch index r (contiguous in `x1s`, `x2s` and `A`); each
    /// segment is written once (the coefficients are sorted by k), so no zeroing pass.
    #[inline(always)]
    pub(crate) fn gemm_lhs(
        &self,
        g: &GemmGroup,
        x1s: &[T],
        x2s: &[T],
        rows: usize,
        a: &mut Vec<T>,
        tmp: &mut Vec<T>,
    ) {
        let m = g.d_out * rows;
        if a.len() < g.k * m {
            a.resize(g.k * m, T::ZERO);
        }
        for &(pi, col) in &g.members {
            self.gemm_lhs_member(&self.paths[pi], col, g.d_out, x1s, x2s, rows, a, tmp);
        }
    }

    /// The rows `col..col + mul1·mul2` of a GEMM group's left factor (see
    /// [`TensorProduct::gemm_lhs`]) that belong to path `p`; `a` must hold them.
    #[inline(always)]
    pub(crate) fn gemm_lhs_member(
        &self,
        p: &PathPlan<T>,
        col: usize,
        d_out: usize,
        x1s: &[T],
        x2s: &[T],
        rows: usize,
        a: &mut [T],
        tmp: &mut Vec<T>,
    ) {
        let m = d_out * rows;
        {
            let (m1, m2) = (p.mul1, p.mul2);
            let xa = &x1s[p.off1 * rows..(p.off1 + m1 * p.d1) * rows];
            let xb = &x2s[p.off2 * rows..(p.off2 + m2 * p.d2) * rows];
            let mut written = 0usize;
            for group in p.coeffs.chunk_by(|x, y| x.k == y.k) {
                let k = group[0].k as usize;
                for kz in written..k {
                    // an output component without coefficients (not expected for a triangle)
                    for q in 0..m1 * m2 {
                        a[(col + q) * m + kz * rows..(col + q) * m + (kz + 1) * rows].fill(T::ZERO);
                    }
                }
                written = k + 1;
                let nc = group.len();
                if tmp.len() < nc * rows {
                    tmp.resize(nc * rows, T::ZERO);
                }
                for u in 0..m1 {
                    // tmp[n] = c_n · x1[·][u, i_n]
                    for (n, c) in group.iter().enumerate() {
                        let i = c.i as usize;
                        let x1u = &xa[(i * m1 + u) * rows..(i * m1 + u + 1) * rows];
                        for (t, &x) in tmp[n * rows..(n + 1) * rows].iter_mut().zip(x1u) {
                            *t = c.value * x;
                        }
                    }
                    for v in 0..m2 {
                        let q = (col + u * m2 + v) * m + k * rows;
                        coupled_sum(
                            group,
                            &tmp[..nc * rows],
                            xb,
                            m2,
                            v,
                            rows,
                            &mut a[q..q + rows],
                        );
                    }
                }
            }
            for kz in written..d_out {
                for q in 0..m1 * m2 {
                    a[(col + q) * m + kz * rows..(col + q) * m + (kz + 1) * rows].fill(T::ZERO);
                }
            }
        }
    }

    /// The weights `Bₚ` (`mul1·mul2 × mul_out`) of each member path of each GEMM group, from a
    /// shared weight row.
    pub(crate) fn gemm_rhs_members(&self, w: &[T]) -> Vec<Vec<Vec<T>>> {
        self.gemm_groups
            .iter()
            .map(|g| {
                g.members
                    .iter()
                    .map(|&(pi, _)| {
                        let p = &self.paths[pi];
                        w[p.w_off..p.w_off + p.w_len].to_vec()
                    })
                    .collect()
            })
            .collect()
    }

    /// The stacked weights `B` (`k × mul_out`) of each GEMM group, from a shared weight row.
    pub(crate) fn gemm_rhs(&self, w: &[T]) -> Vec<Vec<T>> {
        self.gemm_groups
            .iter()
            .map(|g| {
                let mut b = Vec::with_capacity(g.k * g.mul_out);
                for &(pi, _) in &g.members {
                    let p = &self.paths[pi];
                    b.extend_from_slice(&w[p.w_off..p.w_off + p.w_len]);
                }
                b
            })
            .collect()
    }
}

/// The forward pass over a checked batch.
pub(crate) fn forward_batch<T: Float>(
    tp: &TensorProduct<T>,
    batch: usize,
    x1: &[T],
    x2: &[T],
    weights: Weights<'_, T>,
    out: &mut [T],
) {
    if batch == 0 || tp.dim_out == 0 {
        return;
    }
    let shared = match weights {
        Weights::Shared(w) if !tp.gemm_groups.is_empty() => Some(tp.gemm_rhs_members(w)),
        _ => None,
    };
    let rows_per_chunk = if shared.is_some() {
        GEMM_ROWS_PER_CHUNK
    } else {
        ROWS_PER_CHUNK
    };
    run_chunks(
        batch,
        rows_per_chunk,
        out,
        tp.dim_out,
        Scratch::new,
        #[inline(always)]
        |s, row0, rows, chunk| {
            ForwardChunk {
                tp,
                x1,
                x2,
                weights,
                shared: shared.as_deref(),
                s,
                row0,
                rows,
                chunk,
            }
            .run()
        },
    );
}

/// Rows per work item when shared-weight paths go through matrix products: larger chunks
/// make longer products (measured best at 128 for `16x0e+16x1o+16x2e`, BENCHMARKS.md).
pub(crate) const GEMM_ROWS_PER_CHUNK: usize = 128;

/// One chunk of rows of the forward pass (run inside [`run_chunks`]' dispatched closure).
struct ForwardChunk<'a, 'b, T: Float> {
    tp: &'a TensorProduct<T>,
    x1: &'a [T],
    x2: &'a [T],
    weights: Weights<'a, T>,
    /// The stacked weights of each GEMM group, when the weights are shared.
    shared: Option<&'a [Vec<Vec<T>>]>,
    s: &'b mut Scratch<T>,
    row0: usize,
    rows: usize,
    chunk: &'b mut [T],
}

impl<T: Float> Kernel for ForwardChunk<'_, '_, T> {
    type Output = ();

    #[inline(always)]
    fn run(self) {
        let ForwardChunk {
            tp,
            x1,
            x2,
            weights,
            shared,
            s,
            row0,
            rows,
            chunk,
        } = self;
        let (numel, dim_out) = (tp.weight_numel, tp.dim_out);
        tp.transpose_inputs(s, x1, x2, row0, rows);
        for r in 0..rows {
            let wrow = weights.row(row0 + r, numel);
            let out_t = zeroed(&mut s.out_t, dim_out);
            let (x1t, x2t) = (
                &s.x1t[r * tp.dim1..(r + 1) * tp.dim1],
                &s.x2t[r * tp.dim2..(r + 1) * tp.dim2],
            );
            for (pi, p) in tp.paths.iter().enumerate() {
                if p.is_empty() || (shared.is_some() && tp.in_gemm[pi]) {
                    continue;
                }
                let a = &x1t[p.off1..p.off1 + p.mul1 * p.d1];
                let b = &x2t[p.off2..p.off2 + p.mul2 * p.d2];
                let o = &mut out_t[p.off_out..p.off_out + p.mul_out * p.d_out];
                path_forward(p, a, b, tp.path_weights(p, wrow), o, &mut s.acc);
            }
            untranspose_blocks(
                &tp.blocks_out,
                out_t,
                &mut chunk[r * dim_out..(r + 1) * dim_out],
            );
        }
        if let Some(rhs) = shared {
            tp.soa_inputs(s, rows);
            for (g, members) in tp.gemm_groups.iter().zip(rhs) {
                let m = rows * g.d_out;
                if s.c.len() < m * g.mul_out {
                    s.c.resize(m * g.mul_out, T::ZERO);
                }
                // one path at a time, so that its slice of A stays in cache for the product
                for (n, (&(pi, _), bmat)) in g.members.iter().zip(members).enumerate() {
                    let p = &tp.paths[pi];
                    let kp = p.mul1 * p.mul2;
                    if s.a.len() < kp * m {
                        s.a.resize(kp * m, T::ZERO);
                    }
                    tp.gemm_lhs_member(p, 0, g.d_out, &s.x1s, &s.x2s, rows, &mut s.a, &mut s.acc);
                    // Cᵀ (mul_out × m) += Bₚᵀ (mul_out × Kₚ) · Aₚ (Kₚ × m)
                    let beta = if n == 0 { T::ZERO } else { T::ONE };
                    gemm_rowmajor((g.mul_out, kp, m), bmat, true, &s.a, false, &mut s.c, beta);
                }
                // Cᵀ[w][k·rows + r] → out[r, off + w·d_out + k]
                for w in 0..g.mul_out {
                    for k in 0..g.d_out {
                        let crow = &s.c[w * m + k * rows..w * m + (k + 1) * rows];
                        for (r, &v) in crow.iter().enumerate() {
                            chunk[r * dim_out + g.off_out + w * g.d_out + k] += v;
                        }
                    }
                }
            }
        }
    }
}
