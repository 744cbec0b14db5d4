//! The adjoint (reverse-mode) pass of a fusion block.
//!
//! ```text
//! B = Σ_p w_p ⊙ Tree_p(x)                  ⇒  Tree_p‾ = w_p ⊙ B‾,   w_p‾ = Σ_rows Tree_p ⊙ B‾
//! node[k] = Σ C[a,b,k] parent[a] ⊙ leaf[b]  ⇒  parent‾[a] += C[a,b,k] leaf[b] ⊙ node‾[k]
//!                                              leaf‾[b]   += C[a,b,k] parent[a] ⊙ node‾[k]
//! ```
//!
//! The trie is walked children-first, so every node's adjoint is complete (all its children
//! and paths have contributed) before it is pushed to its parent and leaf; the leaves'
//! adjoints, summed over every place the input term occurs, are `∂L/∂x`.

use super::{FusionBlock, FusionBlockError};
use crate::{Float, IrrepsArray};

impl<T: Float> FusionBlock<T> {
    /// The backward pass of [`forward`](Self::forward): given `grad_out = ∂L/∂B`
    /// (`(batch, irreps_out.dim())`), writes `grad_x = ∂L/∂x` and, unless `grad_weights` is
    /// empty, `∂L/∂w` (summed over rows). Both are overwritten.
    ///
    /// ```text
    /// ∂L/∂x = Σ_p Σ_leaves ∂Tree_p/∂x^T (w_p ⊙ ∂L/∂B)     ∂L/∂w_p = Σ_rows Tree_p(x) ⊙ ∂L/∂B
    /// ```
    ///
    /// # Convention
    /// Same layouts as [`forward`](Self::forward) (`CONVENTIONS.md#real-basis`); weights
    /// `[element][path][channel]`, every row uses element 0.
    ///
    /// # Errors
    /// As [`forward`](Self::forward); [`FusionBlockError::ShapeMismatch`] if `grad_out`,
    /// `grad_x` or a nonempty `grad_weights` does not fit.
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::{FusionBlock, FusionBlockOptions, IrrepsArray};
    /// let irreps = "1x0e".parse()?;
    /// let b = FusionBlock::<f64>::new(&irreps, 3, &irreps, FusionBlockOptions::default())?;
    /// let x = IrrepsArray::new(irreps, 1, vec![2.0])?;
    /// // B = w1 x + w2 x² + w3 x³, dB/dx = w1 + 2 w2 x + 3 w3 x²
    /// let w = [1.0, 0.5, 0.25];
    /// let (mut gx, mut gw) = ([0.0], [0.0; 3]);
    /// b.backward(&x, &w, &[1.0], &mut gx, &mut gw)?;
    /// assert_eq!(gx, [1.0 + 2.0 + 3.0]);
    /// assert_eq!(gw, [2.0, 4.0, 8.0]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn backward(
        &self,
        x: &IrrepsArray<T>,
        weights: &[T],
        grad_out: &[T],
        grad_x: &mut [T],
        grad_weights: &mut [T],
    ) -> Result<(), FusionBlockError> {
        self.check_input(x, weights)?;
        self.check_grads(x, grad_out, grad_x, grad_weights)?;
        let per = self.num_paths() * self.channels;
        let gw = (!grad_weights.is_empty()).then_some(grad_weights);
        self.kernel
            .backward(x.data(), grad_out, grad_x, |_| &weights[..per], gw, |_| 0);
        Ok(())
    }

    /// The backward pass of [`forward_with_species`](Self::forward_with_species): as
    /// [`backward`](Self::backward), with each row's element table; `∂L/∂w` is summed per
    /// element (rows of element z add to the table of z).
    ///
    /// # Convention
    /// As [`backward`](Self::backward).
    ///
    /// # Errors
    /// As [`forward_with_species`](Self::forward_with_species) and
    /// [`backward`](Self::backward).
    ///
    /// # Examples
    /// ```
    /// use racah_numeric::{FusionBlock, IrrepsArray};
    /// let irreps = "1x0e".parse()?;
    /// let sc = FusionBlock::<f64>::mace_symmetric_contraction(&irreps, &irreps, 2, 2)?;
    /// let x = IrrepsArray::new(irreps, 2, vec![3.0, 3.0])?;
    /// // element 0: x + x² (slope 7); element 1: 2x − x² (slope −4)
    /// let w = [1.0, 1.0, 2.0, -1.0];
    /// let (mut gx, mut gw) = ([0.0; 2], [0.0; 4]);
    /// sc.backward_with_species(&x, &[0, 1], &w, &[1.0, 1.0], &mut gx, &mut gw)?;
    /// assert_eq!(gx, [7.0, -4.0]);
    /// assert_eq!(gw, [3.0, 9.0, 3.0, 9.0]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn backward_with_species(
        &self,
        x: &IrrepsArray<T>,
        species: &[usize],
        weights: &[T],
        grad_out: &[T],
        grad_x: &mut [T],
        grad_weights: &mut [T],
    ) -> Result<(), FusionBlockError> {
        self.check_input(x, weights)?;
        self.check_species(x, species)?;
        self.check_grads(x, grad_out, grad_x, grad_weights)?;
        let per = self.num_paths() * self.channels;
        let gw = (!grad_weights.is_empty()).then_some(grad_weights);
        self.kernel.backward(
            x.data(),
            grad_out,
            grad_x,
            |r| &weights[species[r] * per..(species[r] + 1) * per],
            gw,
            |r| species[r],
        );
        Ok(())
    }

    fn check_grads(
        &self,
        x: &IrrepsArray<T>,
        grad_out: &[T],
        grad_x: &[T],
        grad_weights: &[T],
    ) -> Result<(), FusionBlockError> {
        let checks = [
            (
                "grad_out (batch × output dim)",
                x.batch() * self.irreps_out.dim(),
                grad_out.len(),
            ),
            ("grad_x (batch × input dim)", x.data().len(), grad_x.len()),
        ];
        for (what, expected, got) in checks {
            if expected != got {
                return Err(FusionBlockError::ShapeMismatch {
                    what,
                    expected,
                    got,
                });
            }
        }
        if !grad_weights.is_empty() && grad_weights.len() != self.weight_numel() {
            return Err(FusionBlockError::ShapeMismatch {
                what: "grad_weights (num_elements × num_paths × channels, or empty)",
                expected: self.weight_numel(),
                got: grad_weights.len(),
            });
        }
        Ok(())
    }
}
