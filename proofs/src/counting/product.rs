//! Multiplicities in tensor products of irreps, from characters.

use racah_core::Irrep;
use rug::Integer;

use super::O3Character;

/// The character of `factors[0] ⊗ … ⊗ factors[k−1]` (the trivial character for no factors).
///
/// ```text
/// χ(θ) = Π_i χ_{j_i}(θ),   χ_j(θ) = sin((2j+1)θ/2) / sin(θ/2),   parity Π_i p_i
/// ```
///
/// # Convention
/// Parity `e`/`o` multiplies (`CONVENTIONS.md#irreps`).
///
/// # Examples
/// ```
/// use racah_proofs::counting::product_character;
/// let v = "1o".parse()?;
/// assert_eq!(product_character(&[v, v, v]).to_string(), "1x0o+3x1o+2x2o+1x3o");
/// # Ok::<(), racah_core::CoreError>(())
/// ```
pub fn product_character(factors: &[Irrep]) -> O3Character {
    factors
        .iter()
        .fold(O3Character::one(), |acc, &f| &acc * &O3Character::irrep(f))
}

/// The multiplicity of `out` in `factors[0] ⊗ … ⊗ factors[k−1]`: the number of labellings of
/// any fusion tree with these leaves and output (MATH.md §2), exact and unbounded.
///
/// This is the character-formula count; `racah_core::Irreps::multiplicity_in_product` counts
/// the same number by iterated Clebsch–Gordan series (in `u64`), and the two are checked
/// against each other in the tests.
///
/// # Convention
/// As [`product_character`]: an output whose parity is not Π p_i has multiplicity 0.
///
/// # Examples
/// ```
/// use racah_proofs::counting::multiplicity_in_product;
/// let l = |s: &str| s.parse().unwrap();
/// // MATH.md §2: (1,2,3,4) → 2: 12; three vectors fuse to the pseudoscalar 0o, not 0e
/// assert_eq!(multiplicity_in_product(&[l("1e"), l("2e"), l("3e"), l("4e")], l("2e")), 12);
/// assert_eq!(multiplicity_in_product(&[l("1o"), l("1o"), l("1o")], l("0o")), 1);
/// assert_eq!(multiplicity_in_product(&[l("1o"), l("1o"), l("1o")], l("0e")), 0);
/// ```
pub fn multiplicity_in_product(factors: &[Irrep], out: Irrep) -> Integer {
    product_character(factors).multiplicity(out)
}
