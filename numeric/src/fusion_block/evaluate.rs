//! The batched kernel: sequential pairwise coupling over the prefix trie.
//!
//! Per row, the input terms are transposed to `[component][channel]` so that every coupling
//! entry `C[a,b,k]` updates a contiguous run of channels:
//! `node[k][c] += C[a,b,k] · parent[a][c] · leaf[b][c]`.

use racah_core::Irrep;

use super::round_exact;
use super::tree_plan::TreePlan;
use crate::dispatch::{dispatch, Wide};
use crate::Float;

/// Rows per rayon task.
const ROWS_PER_TASK: usize = 16;

#[derive(Debug, Clone)]
pub(crate) struct Kernel<T: Float> {
    channels: usize,
    /// Per input term: (offset in a row, component dim).
    ins: Vec<(usize, usize)>,
    /// Per output term: (offset in a row, component dim).
    outs: Vec<(usize, usize)>,
    /// Per node: (offset in the scratch, component dim, parent offset, parent dim, leaf offset,
    /// coupling index).
    nodes: Vec<NodeSlot>,
    /// Per input term: its offset in the scratch.
    leaf_off: Vec<usize>,
    /// Scratch length: leaves, nodes, then the transposed output.
    scratch_len: usize,
    out_t_off: usize,
    coefs: Vec<Vec<(usize, usize, usize, T)>>,
    /// Per path: (node offset, node dim, output term, chain of nodes of depth ≥ 2).
    paths: Vec<(usize, usize, usize, Vec<usize>)>,
    dim_in: usize,
    dim_out: usize,
}

#[derive(Debug, Clone, Copy)]
struct NodeSlot {
    off: usize,
    dim: usize,
    coupling: Option<(usize, usize, usize)>, // (parent off, leaf off, coefficient table)
}

fn dims(irreps: &[Irrep], channels: usize) -> Vec<(usize, usize)> {
    let mut off = 0;
    irreps
        .iter()
        .map(|i| {
            let r = (off, i.dim());
            off += i.dim() * channels;
            r
        })
        .collect()
}

impl<T: Float> Kernel<T> {
    pub fn new(plan: &TreePlan, ins: &[Irrep], outs: &[Irrep], channels: usize) -> Self {
        let c = channels;
        let ins_d = dims(ins, c);
        let outs_d = dims(outs, c);
        let dim_in = ins.iter().map(|i| i.dim() * c).sum();
        let dim_out = outs.iter().map(|i| i.dim() * c).sum();
        // leaves first, in the row's own order, so leaf_off[t] = ins_d[t].0
        let leaf_off: Vec<usize> = ins_d.iter().map(|&(o, _)| o).collect();
        let mut next = dim_in;
        let keys: Vec<[u32; 3]> = plan.couplings.keys().copied().collect();
        let coefs = plan
            .couplings
            .values()
            .map(|cp| {
                cp.entries
                    .iter()
                    .map(|(a, b, k, v)| (*a, *b, *k, round_exact::<T>(v)))
                    .collect()
            })
            .collect();
        let mut nodes: Vec<NodeSlot> = Vec::with_capacity(plan.nodes.len());
        for (n, node) in plan.nodes.iter().enumerate() {
            let dim = node.irrep.dim();
            let slot = match node.parent {
                None => NodeSlot {
                    off: leaf_off[node.leaf],
                    dim,
                    coupling: None,
                },
                Some(p) => {
                    let key = plan.coupling_of[n].expect("depth ≥ 2 has a coupling");
                    let idx = keys.binary_search(&key).expect("coupling was built");
                    let s = NodeSlot {
                        off: next,
                        dim,
                        coupling: Some((nodes[p].off, leaf_off[node.leaf], idx)),
                    };
                    next += dim * c;
                    s
                }
            };
            nodes.push(slot);
        }
        let paths = plan
            .paths
            .iter()
            .map(|p| {
                let mut chain = Vec::new();
                let mut n = Some(p.node);
                while let Some(m) = n {
                    if plan.nodes[m].parent.is_some() {
                        chain.push(m);
                    }
                    n = plan.nodes[m].parent;
                }
                chain.reverse();
                let s = nodes[p.node];
                (s.off, s.dim, p.output_term(), chain)
            })
            .collect();
        Kernel {
            channels,
            ins: ins_d,
            outs: outs_d,
            nodes,
            leaf_off,
            out_t_off: next,
            scratch_len: next + dim_out,
            coefs,
            paths,
            dim_in,
            dim_out,
        }
    }

    /// `node[k][c] = Σ C[a,b,k] · parent[a][c] · leaf[b][c]` into its scratch slot.
    #[inline(always)]
    fn compute_node(&self, n: usize, s: &mut [T]) {
        let c = self.channels;
        let slot = self.nodes[n];
        let (po, lo, idx) = slot.coupling.expect("only coupled nodes are computed");
        let (head, tail) = s.split_at_mut(slot.off);
        let dst = &mut tail[..slot.dim * c];
        dst.fill(T::ZERO);
        for &(a, b, k, coef) in &self.coefs[idx] {
            let x = &head[po + a * c..po + (a + 1) * c];
            let y = &head[lo + b * c..lo + (b + 1) * c];
            let d = &mut dst[k * c..(k + 1) * c];
            for ((d, &x), &y) in d.iter_mut().zip(x).zip(y) {
                *d += coef * x * y;
            }
        }
    }

    #[inline(always)]
    fn load_row(&self, x: &[T], s: &mut [T]) {
        let c = self.channels;
        for (t, &(off, d)) in self.ins.iter().enumerate() {
            let lo = self.leaf_off[t];
            for ch in 0..c {
                for k in 0..d {
                    s[lo + k * c + ch] = x[off + ch * d + k];
                }
            }
        }
    }

    #[inline(always)]
    fn compute_all(&self, s: &mut [T]) {
        for n in 0..self.nodes.len() {
            if self.nodes[n].coupling.is_some() {
                self.compute_node(n, s);
            }
        }
    }

    /// One row: `out = Σ_p w_p ⊙ Tree_p(x)`.
    #[inline(always)]
    fn row(&self, x: &[T], w: &[T], out: &mut [T], s: &mut [T], shared: bool) {
        let c = self.channels;
        self.load_row(x, s);
        if shared {
            self.compute_all(s);
        }
        s[self.out_t_off..self.out_t_off + self.dim_out].fill(T::ZERO);
        for (p, (off, dim, o, chain)) in self.paths.iter().enumerate() {
            if !shared {
                for &n in chain {
                    self.compute_node(n, s);
                }
            }
            let oo = self.out_t_off + self.outs[*o].0;
            let wp = &w[p * c..(p + 1) * c];
            for k in 0..*dim {
                let (head, tail) = s.split_at_mut(self.out_t_off);
                let src = &head[off + k * c..off + (k + 1) * c];
                let dst = &mut tail[oo - self.out_t_off + k * c..oo - self.out_t_off + (k + 1) * c];
                for ((d, &v), &w) in dst.iter_mut().zip(src).zip(wp) {
                    *d += w * v;
                }
            }
        }
        for &(off, d) in &self.outs {
            for ch in 0..c {
                for k in 0..d {
                    out[off + ch * d + k] = s[self.out_t_off + off + k * c + ch];
                }
            }
        }
    }

    /// All rows; `weights_of(row)` gives that row's `[path][channel]` weights.
    pub fn forward<'w>(
        &self,
        x: &[T],
        out: &mut [T],
        weights_of: impl Fn(usize) -> &'w [T] + Sync,
        shared: bool,
    ) where
        T: 'w,
    {
        if self.dim_out == 0 {
            return;
        }
        let chunk = ROWS_PER_TASK * self.dim_out;
        let task = |s: &mut Vec<T>, (i, rows): (usize, &mut [T])| {
            dispatch(Wide(
                #[inline(always)]
                || {
                    for (r, o) in rows.chunks_mut(self.dim_out).enumerate() {
                        let row = i * ROWS_PER_TASK + r;
                        let xr = &x[row * self.dim_in..(row + 1) * self.dim_in];
                        self.row(xr, weights_of(row), o, s, shared);
                    }
                },
            ))
        };
        let init = || vec![T::ZERO; self.scratch_len];
        #[cfg(feature = "rayon")]
        {
            use rayon::prelude::*;
            out.par_chunks_mut(chunk)
                .enumerate()
                .for_each_init(init, task);
        }
        #[cfg(not(feature = "rayon"))]
        {
            let mut s = init();
            out.chunks_mut(chunk)
                .enumerate()
                .for_each(|job| task(&mut s, job));
        }
    }

    /// One row of the adjoint: re-evaluates the nodes into `s`, then pushes `g = ∂L/∂out`
    /// back through the paths and the trie (children before parents) into `sb`, and writes
    /// `∂L/∂x` into `gx`; with `gw` nonempty, adds `∂L/∂w` for this row's weights to it.
    ///
    /// ```text
    /// node‾[k] += w_p ⊙ out‾[k]              w‾_p += Σ_k node[k] ⊙ out‾[k]
    /// parent‾[a] += C[a,b,k] · leaf[b] ⊙ node‾[k]    leaf‾[b] += C[a,b,k] · parent[a] ⊙ node‾[k]
    /// ```
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn row_backward(
        &self,
        x: &[T],
        w: &[T],
        g: &[T],
        gx: &mut [T],
        gw: &mut [T],
        s: &mut [T],
        sb: &mut [T],
    ) {
        let c = self.channels;
        self.load_row(x, s);
        self.compute_all(s);
        sb.fill(T::ZERO);
        for &(off, d) in &self.outs {
            for ch in 0..c {
                for k in 0..d {
                    sb[self.out_t_off + off + k * c + ch] = g[off + ch * d + k];
                }
            }
        }
        let want_w = !gw.is_empty();
        for (p, (off, dim, o, _)) in self.paths.iter().enumerate() {
            let oo = self.out_t_off + self.outs[*o].0;
            let wp = &w[p * c..(p + 1) * c];
            for k in 0..*dim {
                let (head, tail) = sb.split_at_mut(self.out_t_off);
                let src = &tail[oo - self.out_t_off + k * c..oo - self.out_t_off + (k + 1) * c];
                let dst = &mut head[off + k * c..off + (k + 1) * c];
                for ((d, &gv), &wv) in dst.iter_mut().zip(src).zip(wp) {
                    *d += wv * gv;
                }
                if want_w {
                    let val = &s[off + k * c..off + (k + 1) * c];
                    for ((gwv, &v), &gv) in gw[p * c..(p + 1) * c].iter_mut().zip(val).zip(src) {
                        *gwv += v * gv;
                    }
                }
            }
        }
        for slot in self.nodes.iter().rev() {
            let Some((po, lo, idx)) = slot.coupling else {
                continue;
            };
            // coupled nodes live after every leaf and after their parent, so the node's own
            // adjoint is disjoint from (and complete before) the parent and leaf adjoints
            let (head, tail) = sb.split_at_mut(slot.off);
            let nb = &tail[..slot.dim * c];
            for &(a, b, k, coef) in &self.coefs[idx] {
                let nk = &nb[k * c..(k + 1) * c];
                let xa = &s[po + a * c..po + (a + 1) * c];
                let yb = &s[lo + b * c..lo + (b + 1) * c];
                for ch in 0..c {
                    let t = coef * nk[ch];
                    head[po + a * c + ch] += t * yb[ch];
                    head[lo + b * c + ch] += t * xa[ch];
                }
            }
        }
        for (t, &(off, d)) in self.ins.iter().enumerate() {
            let lo = self.leaf_off[t];
            for ch in 0..c {
                for k in 0..d {
                    gx[off + ch * d + k] = sb[lo + k * c + ch];
                }
            }
        }
    }

    /// The adjoint of [`forward`](Self::forward) over all rows: `gx = ∂L/∂x` (overwritten)
    /// from `g = ∂L/∂out`. With `weight_grads` (`[element][path][channel]`, overwritten), each
    /// row's `∂L/∂w` is added to the table of its element `element_of(row)`: summed within a
    /// chunk of rows, then over chunks in order, so the result does not depend on scheduling.
    pub fn backward<'w>(
        &self,
        x: &[T],
        g: &[T],
        gx: &mut [T],
        weights_of: impl Fn(usize) -> &'w [T] + Sync,
        weight_grads: Option<&mut [T]>,
        element_of: impl Fn(usize) -> usize + Sync,
    ) where
        T: 'w,
    {
        if self.dim_in == 0 {
            return;
        }
        gx.fill(T::ZERO);
        let per = self.paths.len() * self.channels;
        let want_w = weight_grads.is_some() && per > 0;
        let num_w = weight_grads.as_ref().map_or(0, |w| w.len());
        let chunk = ROWS_PER_TASK * self.dim_in;
        let n_chunks = gx.len().div_ceil(chunk);
        // one weight-gradient table per chunk, summed afterwards in chunk order (deterministic)
        let mut partial = vec![T::ZERO; if want_w { n_chunks * num_w } else { 0 }];
        let init = || {
            (
                vec![T::ZERO; self.scratch_len],
                vec![T::ZERO; self.scratch_len],
                vec![T::ZERO; per],
            )
        };
        let task = |st: &mut (Vec<T>, Vec<T>, Vec<T>),
                    (i, (rows, part)): (usize, (&mut [T], &mut [T]))| {
            dispatch(Wide(
                #[inline(always)]
                || {
                    let (s, sb, gw_row) = st;
                    for (r, gxr) in rows.chunks_mut(self.dim_in).enumerate() {
                        let row = i * ROWS_PER_TASK + r;
                        let xr = &x[row * self.dim_in..(row + 1) * self.dim_in];
                        let gr = &g[row * self.dim_out..(row + 1) * self.dim_out];
                        let gw: &mut [T] = if want_w {
                            gw_row.fill(T::ZERO);
                            gw_row
                        } else {
                            &mut []
                        };
                        self.row_backward(xr, weights_of(row), gr, gxr, gw, s, sb);
                        if want_w {
                            let e = element_of(row);
                            for (d, &v) in part[e * per..(e + 1) * per].iter_mut().zip(gw.iter()) {
                                *d += v;
                            }
                        }
                    }
                },
            ))
        };
        let parts: Vec<&mut [T]> = if want_w {
            partial.chunks_mut(num_w).collect()
        } else {
            (0..n_chunks).map(|_| &mut [][..]).collect()
        };
        #[cfg(feature = "rayon")]
        {
            use rayon::prelude::*;
            gx.par_chunks_mut(chunk)
                .zip(parts)
                .enumerate()
                .for_each_init(init, task);
        }
        #[cfg(not(feature = "rayon"))]
        {
            let mut st = init();
            gx.chunks_mut(chunk)
                .zip(parts)
                .enumerate()
                .for_each(|job| task(&mut st, job));
        }
        if let Some(out) = weight_grads {
            out.fill(T::ZERO);
            if want_w {
                for part in partial.chunks(num_w) {
                    for (o, &v) in out.iter_mut().zip(part) {
                        *o += v;
                    }
                }
            }
        }
    }

    /// Floating-point operations of one row of the shared forward pass, counted from the
    /// nonzero coupling coefficients: `3·nnz·C` per coupled node (`d += c·x·y`) plus
    /// `2·(2L+1)·C` per path (`d += w·v`).
    pub fn flops_per_row(&self) -> u64 {
        let c = self.channels as u64;
        let nodes: u64 = self
            .nodes
            .iter()
            .filter_map(|n| n.coupling)
            .map(|(_, _, idx)| 3 * self.coefs[idx].len() as u64 * c)
            .sum();
        let paths: u64 = self.paths.iter().map(|p| 2 * p.1 as u64 * c).sum();
        nodes + paths
    }

    /// Each path's node value for one channel of one row.
    pub fn path_values(&self, x: &[T], channel: usize) -> Vec<Vec<T>> {
        let c = self.channels;
        let mut s = vec![T::ZERO; self.scratch_len];
        self.load_row(x, &mut s);
        self.compute_all(&mut s);
        self.paths
            .iter()
            .map(|(off, dim, _, _)| (0..*dim).map(|k| s[off + k * c + channel]).collect())
            .collect()
    }
}
