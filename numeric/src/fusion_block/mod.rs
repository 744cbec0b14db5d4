//! Fusion blocks: ν copies of a feature fused channel-wise through left-associated fusion
//! trees, evaluated by sequential pairwise coupling with shared prefixes.
//!
//! ```text
//! B_{L,c} = Σ_{paths p → L} w_{p,c} · Tree_p(A_c, …, A_c),
//! Tree_p = C^{J_{k−1} l_k → L}( … C^{J_2 l_3 → J_3}( C^{l_1 l_2 → J_2}(A_{l_1}, A_{l_2}), A_{l_3}) …, A_{l_k})
//! ```
//! with `C` the exact real-basis coupling tensors of [`racah_exact::real_cg`] (Frobenius norm
//! 1), rounded once to `T` when the block is built.

mod backward;
mod error;
mod evaluate;
#[cfg(test)]
mod flops_tests;
mod parsimony;
mod symmetric_contraction;
mod tree_plan;

use racah_core::{Irrep, Irreps};
use racah_exact::SqrtRational;

pub use error::FusionBlockError;
pub use parsimony::{ParsimonyReport, RANK_GAP};
pub use tree_plan::FusionPath;

use crate::{Float, IrrepsArray};
use evaluate::Kernel;
use tree_plan::{TreePlan, MAX_L};

/// Largest supported correlation (body order).
pub const MAX_CORRELATION: usize = 6;

/// Which leaf orders a fusion block enumerates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum LeafOrder {
    /// Every sequence of input terms (`(0e,1o)` and `(1o,0e)` are different paths).
    All,
    /// Only sequences non-decreasing in term index. Complete for equal copies: a tree over a
    /// permuted leaf sequence is a multilinear map of the same inputs, so it lies in the span of
    /// the labellings of the sorted sequence (they form a basis of that Hom space).
    #[default]
    Sorted,
}

/// Options of [`FusionBlock::new`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct FusionBlockOptions {
    /// Which leaf orders to enumerate.
    pub leaf_order: LeafOrder,
    /// Keep one path per independent symmetric coupling ([`ParsimonyReport`]).
    pub parsimonious: bool,
}

impl FusionBlockOptions {
    /// Options with the given leaf order and parsimony.
    pub fn new(leaf_order: LeafOrder, parsimonious: bool) -> Self {
        FusionBlockOptions {
            leaf_order,
            parsimonious,
        }
    }
}

/// A fusion block of body orders `1..=correlation` over `channels` channels.
///
/// Weights are laid out `[element][path][channel]` (one element unless built by
/// [`FusionBlock::mace_symmetric_contraction`]); input and output are e3nn-layout
/// `(batch, dim)` arrays whose terms all have multiplicity `channels`.
///
/// # Convention
/// Real basis and coupling tensors of e3nn (`CONVENTIONS.md#real-basis`); a path's coupling is
/// the plain real CG tensor (no path normalisation), so `Tree_p` for body order 1 is the
/// identity on its term.
///
/// # Examples
/// ```
/// use racah_numeric::{FusionBlock, FusionBlockOptions, IrrepsArray};
/// let irreps_in = "2x0e+2x1o".parse()?;
/// let block = FusionBlock::<f64>::new(&irreps_in, 3, &"2x0e".parse()?,
///     FusionBlockOptions::default())?;
/// // 0e; (0e,0e)->0e, (1o,1o)->0e; ((0e,0e)->0e,0e)->0e, ((0e,1o)->1o,1o)->0e
/// assert_eq!(block.num_paths(), 5);
/// assert!(block.paths().iter().any(|p| p.to_string() == "((0e,1o)->1o,1o)->0e"));
/// let x = IrrepsArray::new(irreps_in, 1, vec![1.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])?;
/// let w = vec![1.0; block.weight_numel()];
/// let out = block.forward(&x, &w)?;
/// // channel 0: 1 + 1 + 1 = 3; channel 1: 2 + 4 + 8 = 14
/// assert_eq!(out.data(), &[3.0, 14.0]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct FusionBlock<T: Float> {
    irreps_in: Irreps,
    irreps_out: Irreps,
    correlation: usize,
    channels: usize,
    num_elements: usize,
    plan: TreePlan,
    kernel: Kernel<T>,
    parsimony: Option<ParsimonyReport>,
}

/// The exact value rounded once to `T` ([`Float::round_exact`]: f32 directly from the exact
/// value, not through f64).
pub(crate) fn round_exact<T: Float>(v: &SqrtRational) -> T {
    T::round_exact(v)
}

fn check_irreps(irreps: &Irreps, what: &'static str) -> Result<usize, FusionBlockError> {
    let first = irreps
        .iter()
        .next()
        .ok_or(FusionBlockError::EmptyIrreps { what })?;
    for t in irreps.iter() {
        check_irrep(t.irrep)?;
        if t.mul != first.mul || t.mul == 0 {
            return Err(FusionBlockError::MixedMultiplicity {
                what,
                irreps: irreps.to_string(),
                term: t.to_string(),
                expected: first.mul,
                got: t.mul,
            });
        }
    }
    Ok(first.mul)
}

fn check_irrep(i: Irrep) -> Result<(), FusionBlockError> {
    let l = i.as_l().ok_or_else(|| FusionBlockError::HalfInteger {
        irrep: i.to_string(),
    })?;
    if l > MAX_L {
        return Err(FusionBlockError::LTooLarge {
            irrep: i.to_string(),
            max: MAX_L,
        });
    }
    Ok(())
}

impl<T: Float> FusionBlock<T> {
    /// Builds the block: enumerates the paths of body orders `1..=correlation` from
    /// `irreps_in` to `irreps_out`, takes their coupling tensors from the exact side, and (with
    /// `options.parsimonious`) keeps one path per independent symmetric coupling.
    ///
    /// # Errors
    /// [`FusionBlockError::EmptyIrreps`], [`FusionBlockError::MixedMultiplicity`] (all input
    /// and output terms must have the same multiplicity, the channel count),
    /// [`FusionBlockError::HalfInteger`], [`FusionBlockError::LTooLarge`],
    /// [`FusionBlockError::BadCorrelation`] (outside `1..=MAX_CORRELATION`),
    /// [`FusionBlockError::TooLarge`] (more than 2^18 trie nodes before pruning).
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::{FusionBlock, FusionBlockOptions, LeafOrder};
    /// let irreps = "4x0e+4x1o+4x2e".parse()?;
    /// let full = FusionBlock::<f32>::new(&irreps, 2, &"4x1o".parse()?,
    ///     FusionBlockOptions::new(LeafOrder::All, false))?;
    /// let lean = FusionBlock::<f32>::new(&irreps, 2, &"4x1o".parse()?,
    ///     FusionBlockOptions::new(LeafOrder::All, true))?;
    /// // 1o; (0e,1o), (1o,0e), (1o,2e), (2e,1o) → 1o; MATH.md §5 counts 2 symmetric
    /// // couplings Sym²(0e+1o+2e) → 1o
    /// assert_eq!((full.num_paths(), lean.num_paths()), (5, 3));
    /// assert_eq!(lean.parsimony().map(|r| (r.before, r.after)), Some((5, 3)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(
        irreps_in: &Irreps,
        correlation: usize,
        irreps_out: &Irreps,
        options: FusionBlockOptions,
    ) -> Result<Self, FusionBlockError> {
        Self::build(irreps_in, correlation, irreps_out, options, 1)
    }

    pub(crate) fn build(
        irreps_in: &Irreps,
        correlation: usize,
        irreps_out: &Irreps,
        options: FusionBlockOptions,
        num_elements: usize,
    ) -> Result<Self, FusionBlockError> {
        let channels = check_irreps(irreps_in, "input")?;
        let out_mul = check_irreps(irreps_out, "output")?;
        if out_mul != channels {
            return Err(FusionBlockError::MixedMultiplicity {
                what: "output",
                irreps: irreps_out.to_string(),
                term: irreps_out.iter().next().expect("nonempty").to_string(),
                expected: channels,
                got: out_mul,
            });
        }
        if correlation == 0 || correlation > MAX_CORRELATION {
            return Err(FusionBlockError::BadCorrelation {
                correlation,
                max: MAX_CORRELATION,
            });
        }
        if num_elements == 0 {
            return Err(FusionBlockError::NoElements { num_elements });
        }
        let sorted = options.leaf_order == LeafOrder::Sorted;
        let mut plan = TreePlan::enumerate(irreps_in, irreps_out, correlation, sorted)?;
        let mut parsimony = None;
        if options.parsimonious {
            let ins: Vec<Irrep> = irreps_in.iter().map(|t| t.irrep).collect();
            let outs: Vec<Irrep> = irreps_out.iter().map(|t| t.irrep).collect();
            let (keep, report) = parsimony::select(&plan, irreps_in);
            plan = plan.restrict(&keep, &ins, &outs);
            parsimony = Some(report);
        }
        let kernel = Kernel::new(
            &plan,
            &irreps_in.iter().map(|t| t.irrep).collect::<Vec<_>>(),
            &irreps_out.iter().map(|t| t.irrep).collect::<Vec<_>>(),
            channels,
        );
        Ok(FusionBlock {
            irreps_in: irreps_in.clone(),
            irreps_out: irreps_out.clone(),
            correlation,
            channels,
            num_elements,
            plan,
            kernel,
            parsimony,
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

    /// The largest body order.
    pub fn correlation(&self) -> usize {
        self.correlation
    }

    /// The number of channels (the common multiplicity).
    pub fn channels(&self) -> usize {
        self.channels
    }

    /// The number of elements (species) with their own weights (1 unless built by
    /// [`FusionBlock::mace_symmetric_contraction`]).
    pub fn num_elements(&self) -> usize {
        self.num_elements
    }

    /// The number of paths.
    pub fn num_paths(&self) -> usize {
        self.plan.paths.len()
    }

    /// The paths, in weight order (by body order, then trie order, then output term).
    pub fn paths(&self) -> &[FusionPath] {
        &self.plan.paths
    }

    /// The number of nodes of the prefix trie (pairwise couplings evaluated per channel and row,
    /// single leaves included).
    pub fn num_trie_nodes(&self) -> usize {
        self.plan.nodes.len()
    }

    /// The number of pairwise couplings an unshared evaluation performs (Σ over paths of body
    /// order − 1), against `num_trie_nodes() − #leaves` with sharing.
    pub fn num_unshared_couplings(&self) -> usize {
        self.plan.paths.iter().map(|p| p.body_order() - 1).sum()
    }

    /// The number of weights: `num_elements · num_paths · channels`.
    pub fn weight_numel(&self) -> usize {
        self.num_elements * self.num_paths() * self.channels
    }

    /// Floating-point operations per row of [`forward`](Self::forward), counted from the
    /// nonzero coupling coefficients (the useful work, used for GFLOP/s figures):
    ///
    /// ```text
    /// flops = Σ_{coupled trie nodes} 3 · nnz(C^{l_parent l_leaf → l}) · channels
    ///       + Σ_{paths} 2 · (2L+1) · channels
    /// ```
    ///
    /// (`node += c·x·y` per nonzero coefficient and channel, `out += w·v` per path component).
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::{FusionBlock, FusionBlockOptions};
    /// let b = FusionBlock::<f32>::new(&"1x1o".parse()?, 2, &"1x0e".parse()?,
    ///     FusionBlockOptions::default())?;
    /// // one node (1o,1o)->0e with 3 nonzero coefficients, one path of dimension 1
    /// assert_eq!(b.flops_per_row(), 3 * 3 + 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn flops_per_row(&self) -> u64 {
        self.kernel.flops_per_row()
    }

    /// Counts before and after the parsimonious selection (`None` without it).
    pub fn parsimony(&self) -> Option<&ParsimonyReport> {
        self.parsimony.as_ref()
    }

    fn check_input(&self, x: &IrrepsArray<T>, weights: &[T]) -> Result<(), FusionBlockError> {
        if x.irreps() != &self.irreps_in {
            return Err(FusionBlockError::IrrepsMismatch {
                expected: self.irreps_in.to_string(),
                got: x.irreps().to_string(),
            });
        }
        if weights.len() != self.weight_numel() {
            return Err(FusionBlockError::ShapeMismatch {
                what: "weights (num_elements × num_paths × channels)",
                expected: self.weight_numel(),
                got: weights.len(),
            });
        }
        Ok(())
    }

    /// `B = Σ_p w_{p,c} Tree_p(x_c, …, x_c)` for every row, with shared prefixes.
    ///
    /// # Errors
    /// [`FusionBlockError::IrrepsMismatch`] if `x` is not laid out by
    /// [`irreps_in`](Self::irreps_in); [`FusionBlockError::ShapeMismatch`] if `weights` does not
    /// have [`weight_numel`](Self::weight_numel) entries (for a MACE block, every row uses
    /// element 0; see [`forward_with_species`](Self::forward_with_species)).
    ///
    /// # Examples
    /// See [`FusionBlock`].
    pub fn forward(
        &self,
        x: &IrrepsArray<T>,
        weights: &[T],
    ) -> Result<IrrepsArray<T>, FusionBlockError> {
        self.check_input(x, weights)?;
        let per = self.num_paths() * self.channels;
        Ok(self.run(x, |_| &weights[..per], true))
    }

    /// As [`forward`](Self::forward), but every path is evaluated on its own (no prefix
    /// sharing), with the same operations in the same order: bit-identical output, more work.
    /// This is the "chained pairwise products" reference.
    ///
    /// # Errors
    /// As [`forward`](Self::forward).
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::{FusionBlock, FusionBlockOptions, IrrepsArray};
    /// let irreps = "1x0e+1x1o".parse()?;
    /// let b = FusionBlock::<f64>::new(&irreps, 3, &irreps, FusionBlockOptions::default())?;
    /// let x = IrrepsArray::new(irreps, 1, vec![0.5, 0.1, -0.7, 0.3])?;
    /// let w: Vec<f64> = (0..b.weight_numel()).map(|i| 1.0 / (1.0 + i as f64)).collect();
    /// assert_eq!(b.forward(&x, &w)?.data(), b.forward_unshared(&x, &w)?.data());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn forward_unshared(
        &self,
        x: &IrrepsArray<T>,
        weights: &[T],
    ) -> Result<IrrepsArray<T>, FusionBlockError> {
        self.check_input(x, weights)?;
        let per = self.num_paths() * self.channels;
        Ok(self.run(x, |_| &weights[..per], false))
    }

    /// Each path's value `Tree_p(x_c, …, x_c)` for row `row` and channel `channel`, unweighted
    /// (length `2L+1` each), evaluated with prefix sharing.
    ///
    /// # Errors
    /// [`FusionBlockError::IrrepsMismatch`]; [`FusionBlockError::ShapeMismatch`] if `row` or
    /// `channel` is out of range (reported as the required count).
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::{FusionBlock, FusionBlockOptions, IrrepsArray};
    /// let irreps = "1x1o".parse()?;
    /// let b = FusionBlock::<f64>::new(&irreps, 2, &"1x0e".parse()?, FusionBlockOptions::default())?;
    /// let x = IrrepsArray::new(irreps, 1, vec![1.0, 2.0, 2.0])?;
    /// let v = b.path_values(&x, 0, 0)?;
    /// assert!((v[0][0] - 9.0 / 3f64.sqrt()).abs() < 1e-14); // |x|²/√3
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn path_values(
        &self,
        x: &IrrepsArray<T>,
        row: usize,
        channel: usize,
    ) -> Result<Vec<Vec<T>>, FusionBlockError> {
        if x.irreps() != &self.irreps_in {
            return Err(FusionBlockError::IrrepsMismatch {
                expected: self.irreps_in.to_string(),
                got: x.irreps().to_string(),
            });
        }
        if row >= x.batch() {
            return Err(FusionBlockError::ShapeMismatch {
                what: "row (batch)",
                expected: x.batch(),
                got: row,
            });
        }
        if channel >= self.channels {
            return Err(FusionBlockError::ShapeMismatch {
                what: "channel (channels)",
                expected: self.channels,
                got: channel,
            });
        }
        Ok(self.kernel.path_values(x.row(row), channel))
    }

    /// Runs the kernel over rows, with per-row weights.
    fn run<'w>(
        &self,
        x: &IrrepsArray<T>,
        weights_of: impl Fn(usize) -> &'w [T] + Sync,
        shared: bool,
    ) -> IrrepsArray<T>
    where
        T: 'w,
    {
        let dim_out = self.irreps_out.dim();
        let mut out = vec![T::ZERO; x.batch() * dim_out];
        self.kernel.forward(x.data(), &mut out, weights_of, shared);
        IrrepsArray::new(self.irreps_out.clone(), x.batch(), out)
            .expect("output buffer has batch × dim entries")
    }
}
