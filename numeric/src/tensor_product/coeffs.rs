//! The sparse coefficient tables of a plan: `C[i,j,k]·√α`, computed exactly and rounded once.

use crate::Float;
use racah_exact::{real_cg, RealCgTensor, SqrtRational};
use std::collections::HashMap;

/// One nonzero coefficient `C[i,j,k]·√α` of a path: `i`, `j`, `k` index the components of the
/// first input, second input and output irreps (e3nn real indices `0 … 2l`).
///
/// # Convention
/// `value` is the correctly rounded (nearest, ties to even) value of the exact product of
/// e3nn's real coupling tensor entry and the path's normalisation
/// (`CONVENTIONS.md#rounding`, `CONVENTIONS.md#real-basis`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Coefficient<T> {
    /// Component of the first input.
    pub i: u32,
    /// Component of the second input.
    pub j: u32,
    /// Component of the output.
    pub k: u32,
    /// `C[i,j,k]·√α`, rounded once.
    pub value: T,
}

/// The exact value rounded once to `T` ([`Float::round_exact`]: f32 directly from the exact
/// value, not through f64).
pub(crate) fn round_exact<T: Float>(v: &SqrtRational) -> T {
    T::round_exact(v)
}

/// A cache of exact real coupling tensors for one plan build.
#[derive(Default)]
pub(crate) struct CgCache {
    tensors: HashMap<[u32; 3], RealCgTensor>,
}

impl CgCache {
    /// e3nn's real coupling tensor of `(l1, l2, l3)`.
    pub(crate) fn get(&mut self, l: [u32; 3]) -> Result<&RealCgTensor, racah_exact::ExactError> {
        match self.tensors.entry(l) {
            std::collections::hash_map::Entry::Occupied(e) => Ok(e.into_mut()),
            std::collections::hash_map::Entry::Vacant(e) => {
                Ok(e.insert(real_cg(l[0], l[1], l[2])?))
            }
        }
    }
}

/// The nonzero `C[i,j,k]·√α`, each an exact product rounded once, sorted by `(k, i, j)`.
/// A zero normalisation gives an empty table.
pub(crate) fn path_coefficients<T: Float>(
    cg: &RealCgTensor,
    norm: &SqrtRational,
) -> Vec<Coefficient<T>> {
    if norm.is_zero() {
        return Vec::new();
    }
    let mut out: Vec<Coefficient<T>> = cg
        .nonzeros()
        .map(|(i, j, k, c)| Coefficient {
            i: i as u32,
            j: j as u32,
            k: k as u32,
            value: round_exact::<T>(&(c * norm)),
        })
        .collect();
    out.sort_by_key(|c| (c.k, c.i, c.j));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_path_coefficients() {
        // (1,1,1): ε_ijk/√6; times √3 → ε_ijk/√2
        let cg = real_cg(1, 1, 1).unwrap();
        let norm = SqrtRational::sqrt_of_ratio(3, 1).unwrap();
        let c = path_coefficients::<f64>(&cg, &norm);
        assert_eq!(c.len(), 6);
        assert_eq!((c[0].i, c[0].j, c[0].k), (1, 2, 0));
        assert_eq!(c[0].value, std::f64::consts::FRAC_1_SQRT_2);
        let c32 = path_coefficients::<f32>(&cg, &norm);
        assert_eq!(c32[0].value, std::f32::consts::FRAC_1_SQRT_2);
        assert!(c
            .windows(2)
            .all(|w| (w[0].k, w[0].i, w[0].j) < (w[1].k, w[1].i, w[1].j)));
    }

    #[test]
    fn path_coefficients_of_zero_norm_are_empty() {
        let cg = real_cg(1, 1, 2).unwrap();
        assert!(path_coefficients::<f64>(&cg, &SqrtRational::ZERO).is_empty());
        let not_triangle = real_cg(0, 1, 2).unwrap();
        assert!(path_coefficients::<f64>(&not_triangle, &SqrtRational::ONE).is_empty());
    }

    #[test]
    fn round_exact_is_direct_for_f32() {
        // a value whose f64 rounding lies next to an f32 tie would double-round; compare with
        // the exact rounding for many radicands instead
        for n in 1..200u64 {
            let v = SqrtRational::sqrt_of_ratio(n, 7).unwrap();
            assert_eq!(round_exact::<f32>(&v), v.to_f32());
            assert_eq!(round_exact::<f64>(&v), v.to_f64());
        }
    }
}
