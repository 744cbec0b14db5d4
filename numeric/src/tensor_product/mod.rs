//! Clebsch–Gordan tensor products of irreps arrays with learnable channel mixing, as e3nn's
//! `o3.TensorProduct`.
//!
//! For each [`Instruction`] `(i1, i2, i_out, mode)` and each channel connection of its
//! [`ConnectionMode`], the output term receives
//!
//! ```text
//! z[w, k] += √α · Σ_{u,v} W[u,v,w] Σ_{i,j} C[i,j,k] x1[u, i] x2[v, j]
//! ```
//!
//! where `C` is e3nn's real coupling tensor of `(l1, l2, l_out)` (Frobenius norm 1, exact from
//! racah-exact) and `α` the normalisation of [`IrrepNormalization`] and [`PathNormalization`].
//! The products `C[i,j,k]·√α` are computed exactly and rounded once when the plan is built;
//! the kernels only multiply and add.
//!
//! Layout: arrays are row-major `(batch, dim)`; within a row, term `t = (mul, l)` occupies
//! `mul·(2l+1)` entries ordered `[u][m]` (channel-major), as in e3nn.

mod backward;
mod coeffs;
mod error;
mod gemm;
mod instruction;
mod kernel;
mod paths;

pub use coeffs::Coefficient;
pub use error::TensorProductError;
pub use instruction::{
    ConnectionMode, Instruction, IrrepNormalization, PathNormalization, TensorProductOptions,
};
pub use paths::channel_wise_instructions;

pub(crate) use coeffs::round_exact;
pub(crate) use gemm::gemm_rowmajor;
pub(crate) use kernel::{
    axpy, dot, run_chunks, transpose_blocks, untranspose_blocks_add, zeroed, ROWS_PER_CHUNK,
};
pub(crate) use paths::{blocks_of, Block};

use crate::Float;
use racah_core::Irreps;
use racah_exact::SqrtRational;

/// The weights passed to [`TensorProduct::forward`] and [`TensorProduct::backward`] (and to
/// [`Linear`](crate::Linear)).
///
/// # Convention
/// e3nn's `shared_weights`: one weight vector for the whole batch, or one row per sample.
/// Within a row, each weighted instruction's weights follow in instruction order, each in the
/// row-major shape of [`ConnectionMode::weight_shape`] (`CONVENTIONS.md#tensor-products`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Weights<'a, T> {
    /// No weights (only valid when `weight_numel() == 0`).
    None,
    /// `weight_numel` weights used for every sample.
    Shared(&'a [T]),
    /// `(batch, weight_numel)`, row-major: one weight vector per sample.
    PerSample(&'a [T]),
}

impl<'a, T> Weights<'a, T> {
    /// The weight row of `sample` (empty for `None`).
    #[inline]
    pub(crate) fn row(&self, sample: usize, numel: usize) -> &'a [T] {
        match *self {
            Weights::None => &[],
            Weights::Shared(w) => w,
            Weights::PerSample(w) => &w[sample * numel..(sample + 1) * numel],
        }
    }

    /// Checks the length against `numel` and `batch`.
    pub(crate) fn check(&self, numel: usize, batch: usize) -> Result<(), TensorProductError> {
        let (expected, got) = match *self {
            Weights::None => (numel, 0),
            Weights::Shared(w) => (numel, w.len()),
            Weights::PerSample(w) => (numel.saturating_mul(batch), w.len()),
        };
        if expected != got {
            return Err(TensorProductError::ShapeMismatch {
                what: "weights",
                expected,
                got,
            });
        }
        Ok(())
    }
}

/// One instruction turned into a kernel plan: offsets, multiplicities and the exact-then-rounded
/// sparse coefficients `C[i,j,k]·√α`.
#[derive(Debug, Clone)]
pub(crate) struct PathPlan<T> {
    pub(crate) mode: ConnectionMode,
    pub(crate) has_weight: bool,
    pub(crate) mul1: usize,
    pub(crate) mul2: usize,
    pub(crate) mul_out: usize,
    pub(crate) d1: usize,
    pub(crate) d2: usize,
    pub(crate) d_out: usize,
    pub(crate) off1: usize,
    pub(crate) off2: usize,
    pub(crate) off_out: usize,
    /// Offset of this instruction's weights in a weight row (0 when unweighted).
    pub(crate) w_off: usize,
    /// Number of weights of the instruction's shape (also when unweighted: the unit weights).
    pub(crate) w_len: usize,
    /// √α, exact.
    pub(crate) norm: SqrtRational,
    /// Nonzero `C[i,j,k]·√α`, sorted by `(k, i, j)`.
    pub(crate) coeffs: Vec<Coefficient<T>>,
}

impl<T> PathPlan<T> {
    /// Whether the path does no work (a zero multiplicity or a zero coefficient list).
    pub(crate) fn is_empty(&self) -> bool {
        self.coeffs.is_empty() || self.mul1 == 0 || self.mul2 == 0 || self.mul_out == 0
    }
}

/// A group of weighted `Uvw` paths into the same output term, evaluated as one GEMM per batch
/// chunk when the weights are shared.
#[derive(Debug, Clone)]
pub(crate) struct GemmGroup {
    /// `(path index, first column)`; path `p` owns columns `col..col + mul1·mul2`.
    pub(crate) members: Vec<(usize, usize)>,
    /// Total columns Σ mul1·mul2.
    pub(crate) k: usize,
    pub(crate) d_out: usize,
    pub(crate) mul_out: usize,
    pub(crate) off_out: usize,
}

/// A Clebsch–Gordan tensor product `x1 ⊗ x2 → z` of irreps arrays with learnable weights: a
/// plan of sparse, pre-scaled coefficients built once from exact values, and batched f32/f64
/// kernels (forward and backward) over it.
///
/// ```text
/// z[w, k] = Σ_paths √α_path Σ_{connections (u,v)→w} W[u,v,w] Σ_{i,j} C[i,j,k] x1[u,i] x2[v,j]
/// ```
///
/// # Convention
/// e3nn's `o3.TensorProduct` (and e3nn-jax's `FunctionalTensorProduct` with its default
/// `gradient_normalization = "path"`): the same instructions, weight layout, output layout,
/// normalisation constants and real coupling tensors, so outputs agree with e3nn up to rounding
/// (`CONVENTIONS.md#tensor-products`, `CONVENTIONS.md#real-basis`). Input/output variances
/// (`in1_var`, …) are not supported; they are 1.
///
/// # Examples
/// ```
/// use racah_core::Irreps;
/// use racah_numeric::{TensorProduct, Weights};
/// let x: Irreps = "0e + 1o".parse()?;
/// let tp = TensorProduct::<f64>::full(&x, &x)?;
/// assert_eq!(tp.irreps_out().to_string(), "1x0e+1x0e+1x1o+1x1o+1x1e+1x2e");
/// let v = [0.0, 1.0, 2.0, 3.0]; // 0e = 0, 1o = (1, 2, 3)
/// let z = tp.apply(&v, &v, Weights::None)?;
/// // 1o ⊗ 1o → 0e: C = δ/√3 and α = 2·0 + 1 (component normalisation), so z = x·y/√3
/// assert!((z[1] - 14.0 / 3f64.sqrt()).abs() < 1e-14);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct TensorProduct<T> {
    irreps_in1: Irreps,
    irreps_in2: Irreps,
    irreps_out: Irreps,
    instructions: Vec<Instruction>,
    options: TensorProductOptions,
    paths: Vec<PathPlan<T>>,
    dim1: usize,
    dim2: usize,
    dim_out: usize,
    weight_numel: usize,
    /// Ones, as long as the largest unweighted instruction's weight shape.
    unit_weights: Vec<T>,
    gemm_groups: Vec<GemmGroup>,
    /// `in_gemm[p]`: path `p` belongs to a GEMM group (used with shared weights).
    in_gemm: Vec<bool>,
    blocks1: Vec<paths::Block>,
    blocks2: Vec<paths::Block>,
    blocks_out: Vec<paths::Block>,
}

impl<T: Float> TensorProduct<T> {
    /// The first input's irreps.
    pub fn irreps_in1(&self) -> &Irreps {
        &self.irreps_in1
    }

    /// The second input's irreps.
    pub fn irreps_in2(&self) -> &Irreps {
        &self.irreps_in2
    }

    /// The output irreps.
    pub fn irreps_out(&self) -> &Irreps {
        &self.irreps_out
    }

    /// The instructions, in the order their weights are laid out.
    pub fn instructions(&self) -> &[Instruction] {
        &self.instructions
    }

    /// The normalisation options.
    pub fn options(&self) -> TensorProductOptions {
        self.options
    }

    /// The dimension of one row of the first input.
    pub fn dim_in1(&self) -> usize {
        self.dim1
    }

    /// The dimension of one row of the second input.
    pub fn dim_in2(&self) -> usize {
        self.dim2
    }

    /// The dimension of one output row.
    pub fn dim_out(&self) -> usize {
        self.dim_out
    }

    /// The number of weights per sample (e3nn's `weight_numel`).
    pub fn weight_numel(&self) -> usize {
        self.weight_numel
    }

    /// The range of instruction `instruction`'s weights within a weight row, or `None` if it
    /// is unweighted or out of range.
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::TensorProduct;
    /// let tp = TensorProduct::<f32>::fully_connected(
    ///     &"2x0e + 1o".parse()?, &"0e".parse()?, &"3x0e + 1o".parse()?)?;
    /// assert_eq!(tp.weight_range(0), Some(0..6)); // 0e ⊗ 0e → 0e: (2, 1, 3)
    /// assert_eq!(tp.weight_range(1), Some(6..7)); // 1o ⊗ 0e → 1o: (1, 1, 1)
    /// assert_eq!(tp.weight_numel(), 7);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn weight_range(&self, instruction: usize) -> Option<std::ops::Range<usize>> {
        let p = self.paths.get(instruction)?;
        p.has_weight.then(|| p.w_off..p.w_off + p.w_len)
    }

    /// The weight shape of an instruction (e3nn's `path_shape`), or `None` if out of range.
    pub fn weight_shape(&self, instruction: usize) -> Option<Vec<usize>> {
        let p = self.paths.get(instruction)?;
        Some(p.mode.weight_shape(p.mul1, p.mul2, p.mul_out))
    }

    /// The exact normalisation √α of an instruction (the factor multiplying its coupling
    /// tensor), or `None` if out of range.
    ///
    /// ```text
    /// α = f_irrep / f_path · path_weight
    /// ```
    ///
    /// with `f_irrep` from [`IrrepNormalization`] and `f_path` from [`PathNormalization`].
    ///
    /// # Examples
    /// ```
    /// use racah_exact::SqrtRational;
    /// use racah_numeric::TensorProduct;
    /// let tp = TensorProduct::<f64>::fully_connected(
    ///     &"4x1o".parse()?, &"1o".parse()?, &"2x0e".parse()?)?;
    /// // component: α = (2·0+1) / (4·1) (fan-in mul1·mul2)
    /// assert_eq!(tp.path_normalization(0), Some(&SqrtRational::sqrt_of_ratio(1, 4)?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn path_normalization(&self, instruction: usize) -> Option<&SqrtRational> {
        self.paths.get(instruction).map(|p| &p.norm)
    }

    /// The nonzero coefficients `C[i,j,k]·√α` of an instruction, each the correctly rounded
    /// value of the exact product, sorted by `(k, i, j)`; `None` if out of range.
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::TensorProduct;
    /// let tp = TensorProduct::<f64>::full(&"1o".parse()?, &"1o".parse()?)?;
    /// let c = tp.path_coefficients(1).unwrap(); // 1o ⊗ 1o → 1e: ε_ijk/√6 · √3 = ε_ijk/√2
    /// assert_eq!(c.len(), 6);
    /// assert_eq!(c[0].value.abs(), std::f64::consts::FRAC_1_SQRT_2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn path_coefficients(&self, instruction: usize) -> Option<&[Coefficient<T>]> {
        self.paths.get(instruction).map(|p| p.coeffs.as_slice())
    }

    /// Fault injection for certification tests: scales coefficient `index` of path
    /// `instruction` by `1 + relative` (after rounding), so that the product is no longer
    /// equivariant. Never used by racah's own models unless a description asks for a defect.
    ///
    /// # Errors
    /// [`TensorProductError::IndexOutOfRange`] if the instruction or the coefficient does not
    /// exist.
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::TensorProduct;
    /// let x = "1o".parse()?;
    /// let mut tp = TensorProduct::<f64>::full(&x, &x)?;
    /// let before = tp.path_coefficients(1).unwrap()[0].value;
    /// tp.perturb_coefficient(1, 0, 1e-6)?;
    /// assert_ne!(tp.path_coefficients(1).unwrap()[0].value, before);
    /// assert!(tp.perturb_coefficient(9, 0, 1e-6).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn perturb_coefficient(
        &mut self,
        instruction: usize,
        index: usize,
        relative: f64,
    ) -> Result<(), TensorProductError> {
        let len = self.paths.len();
        let path = self
            .paths
            .get_mut(instruction)
            .ok_or(TensorProductError::IndexOutOfRange {
                instruction,
                field: "instruction",
                index: instruction,
                len,
            })?;
        let n = path.coeffs.len();
        let c = path
            .coeffs
            .get_mut(index)
            .ok_or(TensorProductError::IndexOutOfRange {
                instruction,
                field: "coefficient",
                index,
                len: n,
            })?;
        c.value *= T::ONE + T::from_f64(relative);
        Ok(())
    }

    /// The useful floating-point operations of one forward sample, counted from the nonzero
    /// coefficients.
    ///
    /// ```text
    /// Σ_paths  3 · nnz · pairs  +  c · d_out · connections
    /// ```
    ///
    /// with `pairs` the input channel pairs (`mul1·mul2`, or `mul1` for `Uuw`/`Uuu`),
    /// `connections` the weight entries of the shape (`mul1·mul2·mul_out` for `Uvw`, …),
    /// `nnz` the nonzero coefficients, and `c = 2` (multiply by a weight and add) for weighted
    /// and `c = 1` (add) for unweighted paths: the work of contracting each pair with the
    /// coupling tensor (`x1·x2`, `·C`, `+`) and then mixing channels.
    pub fn flops_per_sample(&self) -> u64 {
        self.paths
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| {
                let pairs = match p.mode {
                    ConnectionMode::Uuw | ConnectionMode::Uuu => p.mul1,
                    _ => p.mul1 * p.mul2,
                } as u64;
                let connections: u64 = p
                    .mode
                    .weight_shape(p.mul1, p.mul2, p.mul_out)
                    .iter()
                    .product::<usize>() as u64;
                let c = if p.has_weight { 2 } else { 1 };
                3 * p.coeffs.len() as u64 * pairs + c * p.d_out as u64 * connections
            })
            .sum()
    }

    /// The batch size implied by the input lengths, checked against every buffer.
    fn batch_of(
        &self,
        x1: &[T],
        x2: &[T],
        out_len: usize,
        weights: &Weights<'_, T>,
    ) -> Result<usize, TensorProductError> {
        let batch = x1
            .len()
            .checked_div(self.dim1)
            .or_else(|| x2.len().checked_div(self.dim2))
            .or_else(|| out_len.checked_div(self.dim_out))
            .unwrap_or(0);
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
        check("x1", self.dim1, x1.len())?;
        check("x2", self.dim2, x2.len())?;
        check("out", self.dim_out, out_len)?;
        weights.check(self.weight_numel, batch)?;
        Ok(batch)
    }

    /// The forward pass: `out ← x1 ⊗_W x2` for a batch, row-major `(batch, dim)`.
    ///
    /// The batch size is `x1.len() / dim_in1()`. With the `rayon` feature, batches are split
    /// over the thread pool in chunks of rows. Weighted `Uvw` paths with shared weights run as
    /// one matrix product per output term and chunk.
    ///
    /// # Errors
    /// [`TensorProductError::ShapeMismatch`] if a buffer's length does not fit the batch size
    /// (`weights` included: `Weights::None` is accepted only when `weight_numel() == 0`).
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::{TensorProduct, Weights};
    /// let tp = TensorProduct::<f32>::channel_wise(
    ///     &"2x0e + 2x1o".parse()?, &"0e + 1o".parse()?, &"0e + 1o".parse()?)?;
    /// assert_eq!(tp.irreps_out().to_string(), "2x0e+2x0e+2x1o+2x1o");
    /// let (x1, x2) = (vec![1.0; 8], vec![1.0; 4]);
    /// let w = vec![1.0; tp.weight_numel()];
    /// let mut out = vec![0.0; tp.dim_out()];
    /// tp.forward(&x1, &x2, Weights::Shared(&w), &mut out)?;
    /// assert_eq!(out[0], 1.0); // 0e ⊗ 0e → 0e: C = 1, α = 1 (the only path into term 0)
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn forward(
        &self,
        x1: &[T],
        x2: &[T],
        weights: Weights<'_, T>,
        out: &mut [T],
    ) -> Result<(), TensorProductError> {
        let batch = self.batch_of(x1, x2, out.len(), &weights)?;
        kernel::forward_batch(self, batch, x1, x2, weights, out);
        Ok(())
    }

    /// [`forward`](Self::forward) into a new vector of length `batch · dim_out()`.
    ///
    /// # Errors
    /// As [`forward`](Self::forward).
    pub fn apply(
        &self,
        x1: &[T],
        x2: &[T],
        weights: Weights<'_, T>,
    ) -> Result<Vec<T>, TensorProductError> {
        let batch = x1
            .len()
            .checked_div(self.dim1)
            .or_else(|| x2.len().checked_div(self.dim2))
            .unwrap_or(0);
        let n = batch
            .checked_mul(self.dim_out)
            .ok_or_else(|| TensorProductError::Overflow {
                what: "output length".into(),
            })?;
        let mut out = vec![T::ZERO; n];
        self.forward(x1, x2, weights, &mut out)?;
        Ok(out)
    }

    /// [`forward`](Self::forward) on [`IrrepsArray`](crate::IrrepsArray)s, checking that
    /// their irreps are the product's inputs.
    ///
    /// # Errors
    /// [`TensorProductError::IrrepsMismatch`] naming the input whose irreps differ; otherwise
    /// as [`forward`](Self::forward) (wrapped in [`NumericError`](crate::NumericError)).
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::{IrrepsArray, TensorProduct, Weights};
    /// let x: racah_core::Irreps = "0e + 1o".parse()?;
    /// let tp = TensorProduct::<f64>::full(&x, &x)?;
    /// let a = IrrepsArray::new(x.clone(), 1, vec![0.0, 1.0, 2.0, 3.0])?;
    /// let z = tp.forward_arrays(&a, &a, Weights::None)?;
    /// assert_eq!(z.irreps(), tp.irreps_out());
    /// let wrong = IrrepsArray::new("4x0e".parse()?, 1, vec![0.0; 4])?;
    /// assert!(tp.forward_arrays(&wrong, &a, Weights::None).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn forward_arrays(
        &self,
        x1: &crate::IrrepsArray<T>,
        x2: &crate::IrrepsArray<T>,
        weights: Weights<'_, T>,
    ) -> Result<crate::IrrepsArray<T>, crate::NumericError> {
        for (what, got, expected) in [
            ("x1", x1.irreps(), &self.irreps_in1),
            ("x2", x2.irreps(), &self.irreps_in2),
        ] {
            if got != expected {
                return Err(TensorProductError::IrrepsMismatch {
                    what,
                    expected: expected.to_string(),
                    got: got.to_string(),
                }
                .into());
            }
        }
        let out = self.apply(x1.data(), x2.data(), weights)?;
        crate::IrrepsArray::new(self.irreps_out.clone(), x1.batch(), out)
    }

    /// The backward pass: given `grad_out = ∂L/∂out`, writes `∂L/∂x1`, `∂L/∂x2` and `∂L/∂W`.
    ///
    /// ```text
    /// ∂L/∂x1[u,i] = Σ √α W C[i,j,k] x2[v,j] g[w,k]     ∂L/∂x2[v,j] = Σ √α W C[i,j,k] x1[u,i] g[w,k]
    /// ∂L/∂W[u,v,w] = Σ_k Σ √α C[i,j,k] x1[u,i] x2[v,j] g[w,k]
    /// ```
    ///
    /// The gradients are overwritten, not accumulated. `grad_weights` has the shape of the
    /// weights: `weight_numel()` (summed over the batch) for [`Weights::Shared`],
    /// `(batch, weight_numel())` for [`Weights::PerSample`], empty for [`Weights::None`].
    ///
    /// # Errors
    /// [`TensorProductError::ShapeMismatch`] if a buffer does not fit the batch size.
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::{TensorProduct, Weights};
    /// let tp = TensorProduct::<f64>::elementwise(&"1o".parse()?, &"1o".parse()?)?;
    /// // 1o ⊗ 1o → 0e + 1e + 2e; the 0e output is x·y/√3
    /// let (x, y) = ([1.0, 2.0, 3.0], [4.0, 5.0, 6.0]);
    /// let mut g = vec![0.0; tp.dim_out()];
    /// g[0] = 1.0;
    /// let (mut gx, mut gy) = ([0.0; 3], [0.0; 3]);
    /// tp.backward(&x, &y, Weights::None, &g, &mut gx, &mut gy, &mut [])?;
    /// let s = 3f64.sqrt();
    /// assert!(gx.iter().zip(&y).all(|(a, b)| (a - b / s).abs() < 1e-15));
    /// assert!(gy.iter().zip(&x).all(|(a, b)| (a - b / s).abs() < 1e-15));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn backward(
        &self,
        x1: &[T],
        x2: &[T],
        weights: Weights<'_, T>,
        grad_out: &[T],
        grad_x1: &mut [T],
        grad_x2: &mut [T],
        grad_weights: &mut [T],
    ) -> Result<(), TensorProductError> {
        let batch = self.batch_of(x1, x2, grad_out.len(), &weights)?;
        let check = |what, expected: usize, got: usize| {
            if expected != got {
                return Err(TensorProductError::ShapeMismatch {
                    what,
                    expected,
                    got,
                });
            }
            Ok(())
        };
        check("grad_x1", x1.len(), grad_x1.len())?;
        check("grad_x2", x2.len(), grad_x2.len())?;
        let gw_len = match weights {
            Weights::None => 0,
            Weights::Shared(w) | Weights::PerSample(w) => w.len(),
        };
        check("grad_weights", gw_len, grad_weights.len())?;
        backward::backward_batch(
            self,
            batch,
            x1,
            x2,
            weights,
            grad_out,
            grad_x1,
            grad_x2,
            grad_weights,
        );
        Ok(())
    }
}
