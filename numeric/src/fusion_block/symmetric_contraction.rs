//! MACE's symmetric contraction as a fusion block.
//!
//! MACE (Batatia et al. 2022) forms, per channel c and element z of the centre atom,
//! `B_{L,c} = Σ_ν Σ_η w^{(ν)}_{z,η,c} Σ_{lm} U^{(ν)}_{L;η;lm} A_{c,l1m1} ⋯ A_{c,lνmν}` with
//! `U^{(ν)}` the generalised CG tensors of `Sym^ν(V) → V_L` (V = the irreps of one channel of
//! A). Expanding `U^{(ν)}` in left-associated trees, the columns `η` of `U^{(ν)}` span the same
//! space as the symmetrised trees `Tree_p(A, …, A)` of body order ν, so a *parsimonious*
//! fusion block has exactly one path per column η (`num_paths` of body order ν equals the
//! number of MACE's U columns, the multiplicity of L in `Sym^ν(V)`), and its weights are
//! MACE's `w_{z,η,c}` in another basis of the same space. The per-element weights are one
//! `[path][channel]` table per element: the species of a row only selects its table.

use racah_core::Irreps;

use super::{FusionBlock, FusionBlockError, FusionBlockOptions, LeafOrder};
use crate::{Float, IrrepsArray};

impl<T: Float> FusionBlock<T> {
    /// MACE's symmetric contraction: a parsimonious block of body orders `1..=correlation`
    /// (sorted leaves) with one `[path][channel]` weight table per element, so
    /// `weight_numel() = num_elements · num_paths · channels` laid out `[element][path][channel]`.
    ///
    /// # Errors
    /// As [`FusionBlock::new`], and [`FusionBlockError::NoElements`] if `num_elements == 0`.
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::FusionBlock;
    /// let sc = FusionBlock::<f32>::mace_symmetric_contraction(
    ///     &"8x0e+8x1o+8x2e".parse()?, &"8x0e".parse()?, 3, 2)?;
    /// // MATH.md §5: 1 + 3 + 5 independent scalar couplings of Sym^1, Sym^2, Sym^3 (l_max = 2)
    /// assert_eq!(sc.num_paths(), 9);
    /// assert_eq!(sc.weight_numel(), 2 * 9 * 8);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn mace_symmetric_contraction(
        irreps_in: &Irreps,
        irreps_out: &Irreps,
        correlation: usize,
        num_elements: usize,
    ) -> Result<Self, FusionBlockError> {
        Self::build(
            irreps_in,
            correlation,
            irreps_out,
            FusionBlockOptions::new(LeafOrder::Sorted, true),
            num_elements,
        )
    }

    /// `B_b = Σ_p w[species_b][p] ⊙ Tree_p(x_b, …)`: as [`forward`](Self::forward) with the
    /// weight table of each row's element.
    ///
    /// # Errors
    /// [`FusionBlockError::IrrepsMismatch`]; [`FusionBlockError::ShapeMismatch`] if `weights`
    /// does not have [`weight_numel`](Self::weight_numel) entries or `species` is not one per
    /// row; [`FusionBlockError::SpeciesOutOfRange`] for a species `>= num_elements`.
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::{FusionBlock, IrrepsArray};
    /// let irreps = "1x0e".parse()?;
    /// let sc = FusionBlock::<f64>::mace_symmetric_contraction(&irreps, &irreps, 2, 2)?;
    /// let x = IrrepsArray::new(irreps, 2, vec![3.0, 3.0])?;
    /// // element 0: x + x²; element 1: 2x − x²
    /// let out = sc.forward_with_species(&x, &[0, 1], &[1.0, 1.0, 2.0, -1.0])?;
    /// assert_eq!(out.data(), &[12.0, -3.0]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn forward_with_species(
        &self,
        x: &IrrepsArray<T>,
        species: &[usize],
        weights: &[T],
    ) -> Result<IrrepsArray<T>, FusionBlockError> {
        self.check_input(x, weights)?;
        self.check_species(x, species)?;
        let per = self.num_paths() * self.channels;
        Ok(self.run(
            x,
            |r| &weights[species[r] * per..(species[r] + 1) * per],
            true,
        ))
    }

    /// One species per row, each below `num_elements`.
    pub(super) fn check_species(
        &self,
        x: &IrrepsArray<T>,
        species: &[usize],
    ) -> Result<(), FusionBlockError> {
        if species.len() != x.batch() {
            return Err(FusionBlockError::ShapeMismatch {
                what: "species (one per row)",
                expected: x.batch(),
                got: species.len(),
            });
        }
        if let Some((index, &value)) = species
            .iter()
            .enumerate()
            .find(|(_, &s)| s >= self.num_elements)
        {
            return Err(FusionBlockError::SpeciesOutOfRange {
                index,
                value,
                num_elements: self.num_elements,
            });
        }
        Ok(())
    }
}
