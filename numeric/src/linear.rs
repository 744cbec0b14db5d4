//! [`Linear`]: equivariant linear maps between irreps arrays (e3nn's `o3.Linear`), mixing the
//! channels of equal irreps.

use crate::tensor_product::{
    gemm_rowmajor, run_chunks, transpose_blocks, untranspose_blocks_add, zeroed, Block,
    ROWS_PER_CHUNK,
};
use crate::{Float, PathNormalization, TensorProductError, Weights};
use racah_core::Irreps;
use racah_exact::SqrtRational;

#[derive(Debug, Clone)]
struct LinearPath<T> {
    mul_in: usize,
    mul_out: usize,
    d: usize,
    off_in: usize,
    off_out: usize,
    w_off: usize,
    norm: SqrtRational,
    coef: T,
}

/// An equivariant linear layer: for every instruction `(i_in, i_out)` between terms of the
/// same irrep, the output channels are a learned mix of the input channels,
///
/// ```text
/// z[i_out][w, k] = Σ_{(i_in → i_out)} c_path Σ_u W_path[u, w] x[i_in][u, k]  (+ b[w] for biased 0e)
/// c_path = 1/√(fan-in),   fan-in = Σ_{ins → i_out} mul_in  (PathNormalization::Element)
/// ```
///
/// # Convention
/// e3nn's `o3.Linear` / e3nn-jax's `FunctionalLinear` with `gradient_normalization = "path"`:
/// default instructions connect every input term to every output term with the same irrep;
/// weights are laid out instruction by instruction, each `(mul_in, mul_out)` row-major; biases
/// (only on `0e` outputs) follow the output order, one per channel
/// (`CONVENTIONS.md#tensor-products`). The constants `c_path` are exact `√(1/n)` rounded once.
///
/// # Examples
/// ```
/// use racah_numeric::{Linear, Weights};
/// let lin = Linear::<f64>::new(&"2x0e + 1o".parse()?, &"0e + 2x1o".parse()?)?;
/// assert_eq!(lin.weight_numel(), 2 * 1 + 1 * 2);
/// let x = [1.0, 2.0, 0.0, 1.0, 0.0]; // 0e channels (1, 2); 1o = (0, 1, 0)
/// let w = [1.0, 1.0, 3.0, -1.0];
/// let z = lin.apply(&x, Weights::Shared(&w), None)?;
/// let r2 = 2f64.sqrt();
/// assert!((z[0] - 3.0 / r2).abs() < 1e-15);          // (1·1 + 2·1)/√2
/// assert_eq!(&z[1..], &[0.0, 3.0, 0.0, 0.0, -1.0, 0.0]); // fan-in 1
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Linear<T> {
    irreps_in: Irreps,
    irreps_out: Irreps,
    instructions: Vec<(usize, usize)>,
    biases: Vec<bool>,
    paths: Vec<LinearPath<T>>,
    /// `(offset in the output row, mul, offset in the bias vector)` of each biased term.
    bias_blocks: Vec<(usize, usize, usize)>,
    blocks_in: Vec<Block>,
    blocks_out: Vec<Block>,
    dim_in: usize,
    dim_out: usize,
    weight_numel: usize,
    bias_numel: usize,
}

impl<T: Float> Linear<T> {
    /// e3nn's default: every input term connected to every output term with the same irrep,
    /// no biases, element normalisation.
    ///
    /// # Errors
    /// [`TensorProductError::HalfIntegerIrrep`], [`TensorProductError::Overflow`].
    pub fn new(irreps_in: &Irreps, irreps_out: &Irreps) -> Result<Self, TensorProductError> {
        let instructions = default_instructions(irreps_in, irreps_out);
        let biases = vec![false; irreps_out.len()];
        Self::with_instructions(
            irreps_in,
            irreps_out,
            instructions,
            biases,
            PathNormalization::Element,
        )
    }

    /// The default instructions with a bias on every `0e` output term (e3nn's `biases=True`).
    ///
    /// # Errors
    /// As [`Linear::new`].
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::Linear;
    /// let lin = Linear::<f32>::with_biases(&"4x0e + 1o".parse()?, &"3x0e + 1o + 2x0e".parse()?)?;
    /// assert_eq!(lin.bias_numel(), 5);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_biases(
        irreps_in: &Irreps,
        irreps_out: &Irreps,
    ) -> Result<Self, TensorProductError> {
        let instructions = default_instructions(irreps_in, irreps_out);
        let biases = irreps_out.iter().map(|t| t.irrep.is_scalar()).collect();
        Self::with_instructions(
            irreps_in,
            irreps_out,
            instructions,
            biases,
            PathNormalization::Element,
        )
    }

    /// Explicit instructions `(i_in, i_out)`, bias flags (one per output term) and path
    /// normalisation.
    ///
    /// ```text
    /// Element: c = 1/√(Σ_{ins' → i_out} mul_in')   Path: c = 1/√(mul_in · #{ins' → i_out})   None: c = 1
    /// ```
    ///
    /// (c = 1 when the divisor is 0).
    ///
    /// # Errors
    /// [`TensorProductError::IndexOutOfRange`], [`TensorProductError::LinearIrrepMismatch`],
    /// [`TensorProductError::BiasFlags`], [`TensorProductError::BiasOnNonScalar`],
    /// [`TensorProductError::HalfIntegerIrrep`], [`TensorProductError::Overflow`].
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::{Linear, PathNormalization, TensorProductError};
    /// let (a, b) = ("0e + 1o".parse()?, "1o".parse()?);
    /// let err = Linear::<f64>::with_instructions(&a, &b, vec![(0, 0)], vec![false],
    ///                                            PathNormalization::Element);
    /// assert!(matches!(err, Err(TensorProductError::LinearIrrepMismatch { instruction: 0, .. })));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_instructions(
        irreps_in: &Irreps,
        irreps_out: &Irreps,
        instructions: Vec<(usize, usize)>,
        biases: Vec<bool>,
        path_normalization: PathNormalization,
    ) -> Result<Self, TensorProductError> {
        let (blocks_in, dim_in) = crate::tensor_product::blocks_of(irreps_in, "irreps_in")?;
        let (blocks_out, dim_out) = crate::tensor_product::blocks_of(irreps_out, "irreps_out")?;
        for (n, &(i_in, i_out)) in instructions.iter().enumerate() {
            for (field, index, len) in [
                ("i_in", i_in, irreps_in.len()),
                ("i_out", i_out, irreps_out.len()),
            ] {
                if index >= len {
                    return Err(TensorProductError::IndexOutOfRange {
                        instruction: n,
                        field,
                        index,
                        len,
                    });
                }
            }
            let (a, b) = (irreps_in[i_in].irrep, irreps_out[i_out].irrep);
            if a != b {
                return Err(TensorProductError::LinearIrrepMismatch {
                    instruction: n,
                    ir_in: a.to_string(),
                    ir_out: b.to_string(),
                });
            }
        }
        if biases.len() != irreps_out.len() {
            return Err(TensorProductError::BiasFlags {
                expected: irreps_out.len(),
                got: biases.len(),
            });
        }
        let mut bias_blocks = Vec::new();
        let mut bias_numel = 0usize;
        for (term, (&b, t)) in biases.iter().zip(irreps_out.iter()).enumerate() {
            if !b {
                continue;
            }
            if !t.irrep.is_scalar() {
                return Err(TensorProductError::BiasOnNonScalar {
                    term,
                    mul_irrep: t.to_string(),
                });
            }
            bias_blocks.push((blocks_out[term].0, t.mul, bias_numel));
            bias_numel += t.mul;
        }
        let overflow = |what: &str| TensorProductError::Overflow {
            what: what.to_string(),
        };
        let mut paths = Vec::with_capacity(instructions.len());
        let mut weight_numel = 0usize;
        for &(i_in, i_out) in &instructions {
            let (ti, to) = (irreps_in[i_in], irreps_out[i_out]);
            let same: Vec<usize> = instructions
                .iter()
                .filter(|x| x.1 == i_out)
                .map(|x| irreps_in[x.0].mul)
                .collect();
            let fan_in = match path_normalization {
                PathNormalization::Element => {
                    same.iter().try_fold(0u64, |a, &m| a.checked_add(m as u64))
                }
                PathNormalization::Path => (ti.mul as u64).checked_mul(same.len() as u64),
                PathNormalization::None => Some(1),
            }
            .ok_or_else(|| overflow("linear fan-in"))?;
            let norm = SqrtRational::sqrt_of_ratio(1, fan_in.max(1)).map_err(|e| {
                TensorProductError::Exact {
                    instruction: paths.len(),
                    message: e.to_string(),
                }
            })?;
            let w_len = ti
                .mul
                .checked_mul(to.mul)
                .ok_or_else(|| overflow("linear weights"))?;
            paths.push(LinearPath {
                mul_in: ti.mul,
                mul_out: to.mul,
                d: ti.irrep.dim(),
                off_in: blocks_in[i_in].0,
                off_out: blocks_out[i_out].0,
                w_off: weight_numel,
                coef: crate::tensor_product::round_exact::<T>(&norm),
                norm,
            });
            weight_numel = weight_numel
                .checked_add(w_len)
                .ok_or_else(|| overflow("weight_numel"))?;
        }
        Ok(Linear {
            irreps_in: irreps_in.clone(),
            irreps_out: irreps_out.clone(),
            instructions,
            biases,
            paths,
            bias_blocks,
            blocks_in,
            blocks_out,
            dim_in,
            dim_out,
            weight_numel,
            bias_numel,
        })
    }

    /// The input irreps.
    pub fn irreps_in(&self) -> &Irreps {
        &self.irreps_in
    }

    /// The output irreps.
    pub fn irreps_out(&self) -> &Irreps {
        &self.irreps_out
    }

    /// The instructions `(i_in, i_out)`, in weight order.
    pub fn instructions(&self) -> &[(usize, usize)] {
        &self.instructions
    }

    /// The bias flags, one per output term.
    pub fn biases(&self) -> &[bool] {
        &self.biases
    }

    /// The number of weights per sample.
    pub fn weight_numel(&self) -> usize {
        self.weight_numel
    }

    /// The number of biases.
    pub fn bias_numel(&self) -> usize {
        self.bias_numel
    }

    /// The dimension of an input row.
    pub fn dim_in(&self) -> usize {
        self.dim_in
    }

    /// The dimension of an output row.
    pub fn dim_out(&self) -> usize {
        self.dim_out
    }

    /// The exact normalisation `c` of an instruction, or `None` if out of range.
    ///
    /// # Examples
    /// ```
    /// use racah_exact::SqrtRational;
    /// use racah_numeric::Linear;
    /// let lin = Linear::<f64>::new(&"3x1o + 5x1o".parse()?, &"1o".parse()?)?;
    /// assert_eq!(lin.path_normalization(1), Some(&SqrtRational::sqrt_of_ratio(1, 8)?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn path_normalization(&self, instruction: usize) -> Option<&SqrtRational> {
        self.paths.get(instruction).map(|p| &p.norm)
    }

    fn batch_of(&self, x: &[T], out_len: usize) -> usize {
        x.len()
            .checked_div(self.dim_in)
            .or_else(|| out_len.checked_div(self.dim_out))
            .unwrap_or(0)
    }

    fn check(
        &self,
        batch: usize,
        x: &[T],
        out_len: usize,
        weights: &Weights<'_, T>,
        biases: Option<&[T]>,
    ) -> Result<(), TensorProductError> {
        let check = |what, dim: usize, got: usize| {
            let expected = dim.saturating_mul(batch);
            if expected != got {
                return Err(TensorProductError::ShapeMismatch {
                    what,
                    expected,
                    got,
                });
            }
            Ok(())
        };
        check("x", self.dim_in, x.len())?;
        check("out", self.dim_out, out_len)?;
        weights.check(self.weight_numel, batch)?;
        let got = biases.map_or(0, <[T]>::len);
        if got != self.bias_numel {
            return Err(TensorProductError::ShapeMismatch {
                what: "biases",
                expected: self.bias_numel,
                got,
            });
        }
        Ok(())
    }

    /// `out ← Linear(x)` for a batch, row-major `(batch, dim)`; the batch size is
    /// `x.len() / dim_in()`. Shared weights run as one matrix product per instruction and
    /// chunk of rows.
    ///
    /// # Errors
    /// [`TensorProductError::ShapeMismatch`] if a buffer does not fit (biases: exactly
    /// `bias_numel()` values, `None` only when there are none).
    pub fn forward(
        &self,
        x: &[T],
        weights: Weights<'_, T>,
        biases: Option<&[T]>,
        out: &mut [T],
    ) -> Result<(), TensorProductError> {
        let batch = self.batch_of(x, out.len());
        self.check(batch, x, out.len(), &weights, biases)?;
        if batch == 0 || self.dim_out == 0 {
            return Ok(());
        }
        let packed: Option<Vec<Vec<T>>> = match weights {
            Weights::Shared(w) => Some(
                self.paths
                    .iter()
                    .map(|p| w[p.w_off..p.w_off + p.mul_in * p.mul_out].to_vec())
                    .collect(),
            ),
            _ => None,
        };
        let (din, dout, numel) = (self.dim_in, self.dim_out, self.weight_numel);
        run_chunks(
            batch,
            ROWS_PER_CHUNK,
            out,
            dout,
            LinScratch::<T>::default,
            #[inline(always)]
            |s, row0, rows, chunk| {
                chunk.fill(T::ZERO);
                match &packed {
                    Some(packed) => {
                        for (p, bmat) in self.paths.iter().zip(packed) {
                            let (mi, mo, d) = (p.mul_in, p.mul_out, p.d);
                            if mi == 0 || mo == 0 {
                                continue;
                            }
                            // A[(k, r), u] = x[r, off + u·d + k]
                            let m = d * rows;
                            let a = zeroed(&mut s.a, m * mi);
                            for r in 0..rows {
                                let xr = &x[(row0 + r) * din + p.off_in..];
                                for u in 0..mi {
                                    for k in 0..d {
                                        a[(k * rows + r) * mi + u] = xr[u * d + k];
                                    }
                                }
                            }
                            if s.c.len() < m * mo {
                                s.c.resize(m * mo, T::ZERO);
                            }
                            gemm_rowmajor((m, mi, mo), &s.a, false, bmat, false, &mut s.c, T::ZERO);
                            for r in 0..rows {
                                let orow =
                                    &mut chunk[r * dout + p.off_out..r * dout + p.off_out + mo * d];
                                for k in 0..d {
                                    let crow = &s.c[(k * rows + r) * mo..(k * rows + r + 1) * mo];
                                    for (w, &v) in crow.iter().enumerate() {
                                        orow[w * d + k] += p.coef * v;
                                    }
                                }
                            }
                        }
                    }
                    None => {
                        for r in 0..rows {
                            let n = row0 + r;
                            let wrow = weights.row(n, numel);
                            let xt = zeroed(&mut s.xt, din);
                            transpose_blocks(&self.blocks_in, &x[n * din..(n + 1) * din], xt);
                            let ot = zeroed(&mut s.ot, dout);
                            for p in &self.paths {
                                let (mi, mo) = (p.mul_in, p.mul_out);
                                let w = &wrow[p.w_off..p.w_off + mi * mo];
                                for k in 0..p.d {
                                    let o = &mut ot[p.off_out + k * mo..p.off_out + (k + 1) * mo];
                                    for u in 0..mi {
                                        let xv = p.coef * xt[p.off_in + k * mi + u];
                                        crate::tensor_product::axpy(
                                            o,
                                            xv,
                                            &w[u * mo..(u + 1) * mo],
                                        );
                                    }
                                }
                            }
                            untranspose_blocks_add(
                                &self.blocks_out,
                                ot,
                                &mut chunk[r * dout..(r + 1) * dout],
                            );
                        }
                    }
                }
                if let Some(b) = biases {
                    for r in 0..rows {
                        for &(off, mul, boff) in &self.bias_blocks {
                            for (o, &bv) in chunk[r * dout + off..r * dout + off + mul]
                                .iter_mut()
                                .zip(&b[boff..boff + mul])
                            {
                                *o += bv;
                            }
                        }
                    }
                }
            },
        );
        Ok(())
    }

    /// [`forward`](Self::forward) into a new vector.
    ///
    /// # Errors
    /// As [`forward`](Self::forward).
    pub fn apply(
        &self,
        x: &[T],
        weights: Weights<'_, T>,
        biases: Option<&[T]>,
    ) -> Result<Vec<T>, TensorProductError> {
        let batch = x.len().checked_div(self.dim_in).unwrap_or(0);
        let mut out = vec![T::ZERO; batch.saturating_mul(self.dim_out)];
        self.forward(x, weights, biases, &mut out)?;
        Ok(out)
    }

    /// Gradients of `L` given `grad_out = ∂L/∂out`: `∂L/∂x`, `∂L/∂W` (summed over the batch
    /// for shared weights, per row otherwise) and `∂L/∂b` (summed over the batch). All are
    /// overwritten.
    ///
    /// ```text
    /// ∂x[u,k] = Σ c W[u,w] g[w,k]    ∂W[u,w] = Σ_k c x[u,k] g[w,k]    ∂b[w] = g[w]
    /// ```
    ///
    /// # Errors
    /// [`TensorProductError::ShapeMismatch`] if a buffer does not fit.
    pub fn backward(
        &self,
        x: &[T],
        weights: Weights<'_, T>,
        grad_out: &[T],
        grad_x: &mut [T],
        grad_weights: &mut [T],
        grad_biases: &mut [T],
    ) -> Result<(), TensorProductError> {
        let batch = self.batch_of(x, grad_out.len());
        let biases_len = (self.bias_numel > 0).then_some(&grad_biases[..]);
        self.check(batch, x, grad_out.len(), &weights, biases_len)?;
        let wlen = match weights {
            Weights::None => 0,
            Weights::Shared(w) | Weights::PerSample(w) => w.len(),
        };
        for (what, expected, got) in [
            ("grad_x", x.len(), grad_x.len()),
            ("grad_weights", wlen, grad_weights.len()),
        ] {
            if expected != got {
                return Err(TensorProductError::ShapeMismatch {
                    what,
                    expected,
                    got,
                });
            }
        }
        grad_weights.fill(T::ZERO);
        grad_biases.fill(T::ZERO);
        let (din, dout, numel) = (self.dim_in, self.dim_out, self.weight_numel);
        let per_sample = matches!(weights, Weights::PerSample(_));
        let mut shared_gw = vec![T::ZERO; if per_sample { 0 } else { wlen }];
        self.input_adjoint(batch, weights, grad_out, grad_x);
        let mut xt = Vec::new();
        let mut gt = Vec::new();
        for n in 0..batch {
            let xt = zeroed(&mut xt, din);
            transpose_blocks(&self.blocks_in, &x[n * din..(n + 1) * din], xt);
            let gt = zeroed(&mut gt, dout);
            transpose_blocks(&self.blocks_out, &grad_out[n * dout..(n + 1) * dout], gt);
            let gw: &mut [T] = if per_sample {
                &mut grad_weights[n * numel..(n + 1) * numel]
            } else {
                &mut shared_gw
            };
            for p in &self.paths {
                let (mi, mo) = (p.mul_in, p.mul_out);
                for k in 0..p.d {
                    let g = &gt[p.off_out + k * mo..p.off_out + (k + 1) * mo];
                    for u in 0..mi {
                        let xi = p.off_in + k * mi + u;
                        crate::tensor_product::axpy(
                            &mut gw[p.w_off + u * mo..p.w_off + (u + 1) * mo],
                            p.coef * xt[xi],
                            g,
                        );
                    }
                }
            }
            for &(off, mul, boff) in &self.bias_blocks {
                for (gb, &g) in grad_biases[boff..boff + mul]
                    .iter_mut()
                    .zip(&grad_out[n * dout + off..n * dout + off + mul])
                {
                    *gb += g;
                }
            }
        }
        if !per_sample {
            grad_weights.copy_from_slice(&shared_gw);
        }
        Ok(())
    }

    /// The input adjoint alone, `∂L/∂x` given `grad_out = ∂L/∂out` (overwritten): what
    /// [`backward`](Self::backward) puts in `grad_x`, bit for bit, without computing the
    /// weight and bias gradients (and without needing `x`). Rows run in parallel.
    ///
    /// ```text
    /// ∂x[u,k] = Σ_w c W[u,w] g[w,k]
    /// ```
    ///
    /// # Errors
    /// [`TensorProductError::ShapeMismatch`] if `grad_out` is not a whole number of output rows,
    /// `grad_x` does not have as many input rows, or `weights` does not fit.
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::{Linear, Weights};
    /// let lin = Linear::<f64>::new(&"2x1o".parse()?, &"1x1o".parse()?)?;
    /// let w = [0.5, -1.0];
    /// let g = [1.0, 2.0, 3.0]; // one row of ∂L/∂out
    /// let mut gx = [0.0; 6];
    /// lin.backward_input(Weights::Shared(&w), &g, &mut gx)?;
    /// let c = std::f64::consts::FRAC_1_SQRT_2; // element normalisation: 1/√fan-in, rounded once
    /// assert_eq!(gx, [0.5 * c, 1.0 * c, 1.5 * c, -c, -2.0 * c, -3.0 * c]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn backward_input(
        &self,
        weights: Weights<'_, T>,
        grad_out: &[T],
        grad_x: &mut [T],
    ) -> Result<(), TensorProductError> {
        let batch = grad_out
            .len()
            .checked_div(self.dim_out)
            .or_else(|| grad_x.len().checked_div(self.dim_in))
            .unwrap_or(0);
        for (what, dim, got) in [
            ("grad_out", self.dim_out, grad_out.len()),
            ("grad_x", self.dim_in, grad_x.len()),
        ] {
            let expected = dim.saturating_mul(batch);
            if expected != got {
                return Err(TensorProductError::ShapeMismatch {
                    what,
                    expected,
                    got,
                });
            }
        }
        weights.check(self.weight_numel, batch)?;
        self.input_adjoint(batch, weights, grad_out, grad_x);
        Ok(())
    }

    /// `grad_x ← ∂L/∂x` over a checked batch, in parallel over chunks of rows.
    fn input_adjoint(
        &self,
        batch: usize,
        weights: Weights<'_, T>,
        grad_out: &[T],
        grad_x: &mut [T],
    ) {
        let (din, dout, numel) = (self.dim_in, self.dim_out, self.weight_numel);
        grad_x.fill(T::ZERO);
        if batch == 0 || din == 0 {
            return;
        }
        run_chunks(
            batch,
            ROWS_PER_CHUNK,
            grad_x,
            din,
            LinScratch::<T>::default,
            #[inline(always)]
            |s, row0, rows, chunk| {
                for r in 0..rows {
                    let n = row0 + r;
                    let wrow = weights.row(n, numel);
                    let gt = zeroed(&mut s.ot, dout);
                    transpose_blocks(&self.blocks_out, &grad_out[n * dout..(n + 1) * dout], gt);
                    let gxt = zeroed(&mut s.xt, din);
                    for p in &self.paths {
                        let (mi, mo) = (p.mul_in, p.mul_out);
                        let w = &wrow[p.w_off..p.w_off + mi * mo];
                        for k in 0..p.d {
                            let g = &gt[p.off_out + k * mo..p.off_out + (k + 1) * mo];
                            for u in 0..mi {
                                let xi = p.off_in + k * mi + u;
                                gxt[xi] += p.coef
                                    * crate::tensor_product::dot(&w[u * mo..(u + 1) * mo], g);
                            }
                        }
                    }
                    untranspose_blocks_add(
                        &self.blocks_in,
                        gxt,
                        &mut chunk[r * din..(r + 1) * din],
                    );
                }
            },
        );
    }
}

#[derive(Default)]
struct LinScratch<T> {
    xt: Vec<T>,
    ot: Vec<T>,
    a: Vec<T>,
    c: Vec<T>,
}

fn default_instructions(irreps_in: &Irreps, irreps_out: &Irreps) -> Vec<(usize, usize)> {
    let mut v = Vec::new();
    for (i, a) in irreps_in.iter().enumerate() {
        for (o, b) in irreps_out.iter().enumerate() {
            if a.irrep == b.irrep {
                v.push((i, o));
            }
        }
    }
    v
}
