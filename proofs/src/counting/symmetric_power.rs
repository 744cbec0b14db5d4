//! Symmetric powers Sym^ν(V) of O(3) representations by the cycle index (Pólya).

use racah_core::{Irrep, Irreps};
use rug::Integer;

use super::{cycle_types, CountingError, O3Character, MAX_CYCLE_INDEX_N};

/// The character of Sym^ν(V), by Pólya's cycle index of S_ν with p_k = ψ^k χ_V:
///
/// ```text
/// χ_{Sym^ν V}(g) = (1/ν!) Σ_{λ ⊢ ν} (ν!/z_λ) Π_i χ_V(g^{λ_i}),
/// ```
/// where g^k for g = I·R_θ is I^{k mod 2}·R_{kθ} ([`O3Character::adams`]). The division by
/// ν! is exact (checked).
///
/// # Convention
/// `V` is `⊕ mul·irrep` (multiplicities respected): for a fusion block, V is one channel
/// (`CONVENTIONS.md#irreps`).
///
/// # Errors
/// [`CountingError::TooLarge`] if `nu > MAX_CYCLE_INDEX_N`.
///
/// # Examples
/// ```
/// use racah_proofs::counting::symmetric_power;
/// // Sym²(1o) = 0e + 2e (the antisymmetric 1e is missing)
/// assert_eq!(symmetric_power(&"1o".parse()?, 2)?.to_string(), "1x0e+1x2e");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # References
/// Pólya (1937); Macdonald, *Symmetric Functions and Hall Polynomials*, I.2 (h_n in power sums).
pub fn symmetric_power(v: &Irreps, nu: usize) -> Result<O3Character, CountingError> {
    let types = cycle_types(nu).map_err(|_| CountingError::TooLarge {
        what: "nu",
        value: nu,
        max: MAX_CYCLE_INDEX_N,
    })?;
    let chi = O3Character::from_irreps(v);
    let adams: Vec<O3Character> = (0..=nu as u32).map(|k| chi.adams(k)).collect();
    let mut sum = O3Character::zero();
    for t in &types {
        let mut term = O3Character::one();
        for &c in &t.parts {
            term = &term * &adams[c];
        }
        sum += &term.scaled(&t.class_size);
    }
    let n_fact = Integer::from(Integer::factorial(nu as u32));
    Ok(sum
        .div_exact(&n_fact)
        .expect("the cycle index of a genuine representation has integer coefficients"))
}

/// The characters of Sym^0(V), …, Sym^ν(V) at once, by Newton's identity for the complete
/// symmetric functions (the cycle index summed recursively):
///
/// ```text
/// k · χ_{Sym^k V} = Σ_{i=1}^{k} ψ^i(χ_V) · χ_{Sym^{k−i} V},     χ_{Sym^0 V} = 1
/// ```
/// (each division by k is exact and checked). Equal to [`symmetric_power`] term by term (tested)
/// and cheaper when every power up to ν is wanted.
///
/// # Convention
/// As [`symmetric_power`].
///
/// # Errors
/// [`CountingError::TooLarge`] if `nu > MAX_CYCLE_INDEX_N`.
///
/// # Examples
/// ```
/// use racah_proofs::counting::{symmetric_power, symmetric_powers};
/// let v = "0e+1o".parse()?;
/// let all = symmetric_powers(&v, 4)?;
/// assert_eq!(all.len(), 5);
/// assert_eq!(all[4], symmetric_power(&v, 4)?);
/// assert_eq!(all[2].to_string(), "2x0e+1x1o+1x2e"); // MATH.md §5: 2 / 1 / 1
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn symmetric_powers(v: &Irreps, nu: usize) -> Result<Vec<O3Character>, CountingError> {
    if nu > MAX_CYCLE_INDEX_N {
        return Err(CountingError::TooLarge {
            what: "nu",
            value: nu,
            max: MAX_CYCLE_INDEX_N,
        });
    }
    let chi = O3Character::from_irreps(v);
    let adams: Vec<O3Character> = (0..=nu as u32).map(|k| chi.adams(k)).collect();
    let mut h = vec![O3Character::one()];
    for k in 1..=nu {
        let mut sum = O3Character::zero();
        for i in 1..=k {
            sum += &(&adams[i] * &h[k - i]);
        }
        h.push(
            sum.div_exact(&Integer::from(k))
                .expect("Newton's identity for a genuine representation is integral"),
        );
    }
    Ok(h)
}

/// The number of independent symmetric couplings Sym^ν(V) → `out`: the multiplicity of `out`
/// in [`symmetric_power`]. A fusion block of body order ν over V is complete for `out` when its
/// paths of order ν span this many independent maps (MATH.md §5).
///
/// # Convention
/// As [`symmetric_power`]; parity is respected (three `1o` couple to `0o`, not `0e`).
///
/// # Errors
/// [`CountingError::TooLarge`] if `nu > MAX_CYCLE_INDEX_N`.
///
/// # Examples
/// ```
/// use racah_proofs::counting::symmetric_couplings;
/// // MATH.md §5, l_max = 2, ν = 3: 5 / 5 / 6 couplings to 0e / 1o / 2e
/// let v = "0e+1o+2e".parse()?;
/// let counts: Vec<_> = ["0e", "1o", "2e"].iter()
///     .map(|l| symmetric_couplings(&v, 3, l.parse().unwrap()).unwrap())
///     .collect();
/// assert_eq!(counts, [5, 5, 6]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn symmetric_couplings(v: &Irreps, nu: usize, out: Irrep) -> Result<Integer, CountingError> {
    Ok(symmetric_power(v, nu)?.multiplicity(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_symmetric_power_dimension() {
        // dim Sym^ν(V) = C(dim V + ν − 1, ν)
        let v: Irreps = "0e+1o+2e".parse().unwrap();
        for nu in 0..=6usize {
            let want = Integer::from(Integer::binomial_u(9 + nu as u32 - 1, nu as u32));
            assert_eq!(symmetric_power(&v, nu).unwrap().dim(), want, "nu = {nu}");
        }
    }

    #[test]
    fn symmetric_power_rejects_large_nu() {
        let v: Irreps = "1o".parse().unwrap();
        assert!(matches!(
            symmetric_power(&v, 1000),
            Err(CountingError::TooLarge {
                what: "nu",
                value: 1000,
                ..
            })
        ));
    }
}
