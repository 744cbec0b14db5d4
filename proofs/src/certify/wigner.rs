//! Wigner D matrices in any element type, from a rotation matrix already in that type, with
//! coefficients that are exact values rounded once.
//!
//! e3nn's real coupling tensor C = C[1, l−1, l] intertwines V_1 ⊗ V_{l−1} with V_l and
//! Σ_{a,ν} C[a,ν,μ] C[a,ν,μ'] = δ_{μμ'}/(2l+1), so with Ĉ = √(2l+1)·C:
//!
//! ```text
//! D^l[μ][μ'] = Σ_{a,ν,a',ν'} Ĉ[a,ν,μ] Ĉ[a',ν',μ'] R[a][a'] D^{l−1}[ν][ν'],   D^0 = 1, D^1 = R
//! ```
//!
//! Each Ĉ entry is an exact `SqrtRational` rounded once to `T`, so D is as accurate as the
//! element type allows (needed for the double-double rung of the ladder).
//!
//! # Convention
//! Real e3nn basis, D^1(R) = R (`CONVENTIONS.md#rotations`, `CONVENTIONS.md#real-basis`).

use racah_exact::{real_cg, ExactError, SqrtRational};
use racah_numeric::Float;

/// The exact couplings Ĉ^l = √(2l+1)·C[1, l−1, l] for l = 2 … l_max, grouped by output μ.
#[derive(Debug, Clone)]
pub(crate) struct Couplings {
    l_max: u32,
    /// `by_mu[l][μ]` = entries `(a, ν, Ĉ[a,ν,μ])`.
    by_mu: Vec<Vec<Vec<(usize, usize, SqrtRational)>>>,
}

impl Couplings {
    /// The couplings for degrees up to `l_max`.
    pub(crate) fn new(l_max: u32) -> Result<Self, ExactError> {
        let mut by_mu = vec![Vec::new(), Vec::new()];
        for l in 2..=l_max {
            let c = real_cg(1, l - 1, l)?;
            let scale = SqrtRational::sqrt_of_ratio(u64::from(2 * l + 1), 1)?;
            let mut rows = vec![Vec::new(); 2 * l as usize + 1];
            for (a, nu, mu, v) in c.nonzeros() {
                rows[mu].push((a, nu, v * &scale));
            }
            by_mu.push(rows);
        }
        Ok(Couplings { l_max, by_mu })
    }

    /// The couplings rounded once to `T`.
    pub(crate) fn rounded<T: Float>(&self) -> RoundedCouplings<T> {
        RoundedCouplings {
            l_max: self.l_max,
            by_mu: self
                .by_mu
                .iter()
                .map(|rows| {
                    rows.iter()
                        .map(|r| {
                            r.iter()
                                .map(|(a, nu, v)| (*a, *nu, T::round_exact(v)))
                                .collect()
                        })
                        .collect()
                })
                .collect(),
        }
    }
}

/// [`Couplings`] in element type `T`.
#[derive(Debug, Clone)]
pub(crate) struct RoundedCouplings<T> {
    l_max: u32,
    by_mu: Vec<Vec<Vec<(usize, usize, T)>>>,
}

impl<T: Float> RoundedCouplings<T> {
    /// The largest degree.
    pub(crate) fn l_max(&self) -> u32 {
        self.l_max
    }

    /// D^l(R) for l = 0 … l_max.
    pub(crate) fn represent(&self, r: &[[T; 3]; 3]) -> Representation<T> {
        let mut blocks: Vec<Vec<T>> = vec![vec![T::ONE]];
        if self.l_max >= 1 {
            blocks.push(r.iter().flatten().copied().collect());
        }
        for l in 2..=self.l_max as usize {
            let n = 2 * l + 1;
            let m = 2 * l - 1;
            let prev = &blocks[l - 1];
            let rows = &self.by_mu[l];
            let mut d = vec![T::ZERO; n * n];
            for (mu, row) in rows.iter().enumerate() {
                for (mu2, row2) in rows.iter().enumerate() {
                    let mut s = T::ZERO;
                    for &(a, nu, c) in row {
                        let mut inner = T::ZERO;
                        for &(a2, nu2, c2) in row2 {
                            inner += c2 * r[a][a2] * prev[nu * m + nu2];
                        }
                        s += c * inner;
                    }
                    d[mu * n + mu2] = s;
                }
            }
            blocks.push(d);
        }
        Representation { blocks }
    }
}

/// D^l(R), l = 0 … l_max, each a row-major (2l+1)×(2l+1) block.
#[derive(Debug, Clone)]
pub struct Representation<T> {
    blocks: Vec<Vec<T>>,
}

impl<T: Float> Representation<T> {
    /// D^l(R) for l = 0 … `l_max` of a rotation matrix given in `T`.
    ///
    /// # Errors
    /// An [`ExactError`] if `l_max` is beyond the exact engine's range.
    ///
    /// # Examples
    /// ```
    /// use racah_proofs::certify::{RationalRotation, Representation};
    /// let r = RationalRotation::new([1, 2, 2, 4]).unwrap();
    /// let d = Representation::from_matrix(2, &r.matrix::<f64>())?;
    /// assert_eq!(d.block(1).unwrap()[1], r.matrix::<f64>()[0][1]); // D¹ = R
    /// let d2 = d.block(2).unwrap(); // orthogonal: row 0 has unit norm
    /// assert!((d2[..5].iter().map(|x| x * x).sum::<f64>() - 1.0).abs() < 1e-15);
    /// assert!(d.block(3).is_none());
    /// # Ok::<(), racah_exact::ExactError>(())
    /// ```
    pub fn from_matrix(l_max: u32, r: &[[T; 3]; 3]) -> Result<Self, ExactError> {
        Ok(Couplings::new(l_max)?.rounded::<T>().represent(r))
    }

    /// The identity representation up to `l_max` (for transformations without a rotation).
    pub(crate) fn identity(l_max: u32) -> Self {
        let blocks = (0..=l_max as usize)
            .map(|l| {
                let n = 2 * l + 1;
                (0..n * n)
                    .map(|i| if i % (n + 1) == 0 { T::ONE } else { T::ZERO })
                    .collect()
            })
            .collect();
        Representation { blocks }
    }

    /// The largest degree.
    pub fn l_max(&self) -> u32 {
        self.blocks.len() as u32 - 1
    }

    /// D^l as a row-major block, or `None` beyond `l_max`.
    pub fn block(&self, l: u32) -> Option<&[T]> {
        self.blocks.get(l as usize).map(Vec::as_slice)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::certify::RationalRotation;
    use racah_numeric::{DoubleDouble, WignerD};

    #[test]
    fn matches_numeric_wigner_d_in_f64() {
        let r = RationalRotation::new([3, -1, 2, 5]).unwrap();
        let m = r.matrix::<f64>();
        let ours = Couplings::new(4).unwrap().rounded::<f64>().represent(&m);
        let theirs = WignerD::<f64>::from_matrix(4, m).unwrap();
        for l in 0..=4 {
            let a = ours.block(l).unwrap();
            let b = theirs.block(l);
            // 64 ε × (2l+1)² terms of the recursion
            let tol = 64.0 * f64::EPSILON * f64::from((2 * l + 1) * (2 * l + 1));
            for (x, y) in a.iter().zip(b) {
                assert!((x - y).abs() <= tol, "l = {l}: {x} vs {y}");
            }
        }
    }

    #[test]
    fn is_orthogonal_in_double_double() {
        let r = RationalRotation::new([2, 1, -3, 1]).unwrap();
        let rep = Couplings::new(3)
            .unwrap()
            .rounded::<DoubleDouble>()
            .represent(&r.matrix());
        let d = rep.block(3).unwrap();
        let n = 7;
        for i in 0..n {
            for j in 0..n {
                let s: DoubleDouble = (0..n).map(|k| d[i * n + k] * d[j * n + k]).sum();
                let want = if i == j { 1.0 } else { 0.0 };
                // 64 ε_dd × 49 terms
                let err = (s - DoubleDouble::from_f64(want)).abs().to_f64();
                assert!(err < 64.0 * 49.0 * 2f64.powi(-104), "({i},{j}): {err:e}");
            }
        }
        assert!(rep.block(4).is_none());
        assert_eq!(rep.l_max(), 3);
    }
}
