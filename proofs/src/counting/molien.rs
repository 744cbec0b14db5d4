//! The Molien series of S_n × O(3) acting on n points in R^3: how many independent
//! permutation-invariant, rotation-equivariant polynomials there are in each degree.

use racah_core::{Irrep, Irreps};
use rug::Integer;

use super::{cycle_types, symmetric_powers, CountingError, O3Character, MAX_CYCLE_INDEX_N};

/// Largest truncation degree of a [`MolienSeries`].
pub const MAX_MOLIEN_DEGREE: u32 = MAX_CYCLE_INDEX_N as u32;

/// The graded O(3) character of the S_n-invariant polynomials on (R^3)^n = 1o ⊗ C^n,
/// truncated at `max_degree`.
///
/// ```text
/// Σ_d t^d χ_{P_d^{S_n}}(g) = (1/n!) Σ_{λ ⊢ n} (n!/z_λ) Π_i 1/det(1 − t^{λ_i} g^{λ_i} |_{1o}),
/// 1/det(1 − t^c g^c |_{1o}) = Σ_d t^{cd} ψ^c(χ_{Sym^d(1o)})(g)
/// ```
/// (a c-cycle σ acting with g on c copies of 1o has det(1 − t σ⊗g) = det(1 − t^c g^c)). The
/// coefficient of t^d is a genuine O(3) character; its multiplicity of V_L^p is the number of
/// independent polynomial maps f: (R^3)^n → V_L^p, homogeneous of degree d, with
/// f(σ·r) = f(r) and f(g·r) = D(g) f(r) for g ∈ O(3). Exact integers throughout.
///
/// # Convention
/// Positions are `1o` (odd under inversion), as e3nn's `spherical_harmonics("1o")`
/// (`CONVENTIONS.md#irreps`).
///
/// # Examples
/// ```
/// use racah_proofs::counting::MolienSeries;
/// // one neighbour: |r|^{2k} r^l Y_l is the only equivariant of degree 2k + l
/// let one = MolienSeries::new(1, 4)?;
/// assert_eq!(one.multiplicity(4, "0e".parse()?)?, 1);
/// assert_eq!(one.multiplicity(3, "1o".parse()?)?, 1);
/// assert_eq!(one.multiplicity(4, "1o".parse()?)?, 0);
/// // two neighbours, invariants of degree 2: |r1|² + |r2|², r1·r2
/// assert_eq!(MolienSeries::new(2, 2)?.multiplicity(2, "0e".parse()?)?, 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # References
/// Molien (1897); Stanley, *Invariants of finite groups and their applications to
/// combinatorics*, Bull. AMS 1 (1979).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MolienSeries {
    n: usize,
    max_degree: u32,
    coeffs: Vec<O3Character>,
}

impl MolienSeries {
    /// The series for `n` neighbours, degrees `0..=max_degree`.
    ///
    /// # Errors
    /// [`CountingError::TooLarge`] if `n > MAX_CYCLE_INDEX_N` or
    /// `max_degree > MAX_MOLIEN_DEGREE`.
    ///
    /// # Examples
    /// See [`MolienSeries`].
    pub fn new(n: usize, max_degree: u32) -> Result<Self, CountingError> {
        if max_degree > MAX_MOLIEN_DEGREE {
            return Err(CountingError::TooLarge {
                what: "degree",
                value: max_degree as usize,
                max: MAX_MOLIEN_DEGREE as usize,
            });
        }
        let types = cycle_types(n).map_err(|_| CountingError::TooLarge {
            what: "neighbours",
            value: n,
            max: MAX_CYCLE_INDEX_N,
        })?;
        let dmax = max_degree as usize;
        let vector: Irreps = "1o".parse().expect("valid irreps");
        let sym = symmetric_powers(&vector, dmax)?;
        // F_c(t) = Σ_d t^{cd} ψ^c(Sym^d(1o)), truncated
        let factor = |c: usize| -> Vec<O3Character> {
            let mut f = vec![O3Character::zero(); dmax + 1];
            for (d, s) in sym.iter().enumerate() {
                if c * d <= dmax {
                    f[c * d] = s.adams(c as u32);
                }
            }
            f
        };
        let factors: Vec<Vec<O3Character>> = (0..=n).map(factor).collect();
        let mut total = vec![O3Character::zero(); dmax + 1];
        for t in &types {
            let mut series = vec![O3Character::zero(); dmax + 1];
            series[0] = O3Character::one();
            for &c in &t.parts {
                series = mul_series(&series, &factors[c]);
            }
            for (acc, s) in total.iter_mut().zip(&series) {
                *acc += &s.scaled(&t.class_size);
            }
        }
        let n_fact = Integer::from(Integer::factorial(n as u32));
        let coeffs = total
            .iter()
            .map(|c| {
                c.div_exact(&n_fact)
                    .expect("the Molien average of genuine characters is integral")
            })
            .collect();
        Ok(MolienSeries {
            n,
            max_degree,
            coeffs,
        })
    }

    /// The number of neighbours n.
    pub fn neighbours(&self) -> usize {
        self.n
    }

    /// The truncation degree.
    pub fn max_degree(&self) -> u32 {
        self.max_degree
    }

    /// The O(3) character of the invariant polynomials of degree `degree`.
    ///
    /// # Errors
    /// [`CountingError::DegreeOutOfRange`] if `degree > max_degree`.
    ///
    /// # Examples
    /// ```
    /// use racah_proofs::counting::MolienSeries;
    /// // degree 1, one neighbour: r itself
    /// assert_eq!(MolienSeries::new(1, 1)?.character(1)?.to_string(), "1x1o");
    /// # Ok::<(), racah_proofs::counting::CountingError>(())
    /// ```
    pub fn character(&self, degree: u32) -> Result<&O3Character, CountingError> {
        self.coeffs
            .get(degree as usize)
            .ok_or(CountingError::DegreeOutOfRange {
                degree,
                max_degree: self.max_degree,
            })
    }

    /// The number of independent equivariant polynomials of degree exactly `degree` with
    /// values in `out`.
    ///
    /// # Errors
    /// [`CountingError::DegreeOutOfRange`] if `degree > max_degree`.
    ///
    /// # Examples
    /// See [`MolienSeries`].
    pub fn multiplicity(&self, degree: u32, out: Irrep) -> Result<Integer, CountingError> {
        Ok(self.character(degree)?.multiplicity(out))
    }

    /// The number of independent equivariant polynomials of degree `≤ degree` with values in
    /// `out` (the dimension of that space of polynomial maps).
    ///
    /// # Errors
    /// [`CountingError::DegreeOutOfRange`] if `degree > max_degree`.
    ///
    /// # Examples
    /// ```
    /// use racah_proofs::counting::MolienSeries;
    /// // one neighbour, invariants of degree ≤ 4: 1, |r|², |r|⁴
    /// assert_eq!(MolienSeries::new(1, 4)?.cumulative(4, "0e".parse()?)?, 3);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cumulative(&self, degree: u32, out: Irrep) -> Result<Integer, CountingError> {
        self.character(degree)?;
        Ok((0..=degree)
            .map(|d| self.coeffs[d as usize].multiplicity(out))
            .sum())
    }
}

/// The product of two power series in t, truncated at the shorter length.
fn mul_series(a: &[O3Character], b: &[O3Character]) -> Vec<O3Character> {
    let len = a.len().min(b.len());
    let mut out = vec![O3Character::zero(); len];
    for (i, x) in a.iter().enumerate().take(len) {
        if x.is_zero() {
            continue;
        }
        for (j, y) in b.iter().enumerate().take(len - i) {
            if !y.is_zero() {
                out[i + j] += &(x * y);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_total_dimension_counts_orbits_n2() {
        // dim P_d^{S_2}(R^6) = (dim P_d(R^6) + [d even] dim P_{d/2}(R^3)) / 2
        let m = MolienSeries::new(2, 6).unwrap();
        for d in 0..=6u32 {
            let full = Integer::from(Integer::binomial_u(d + 5, 5));
            let fixed = if d % 2 == 0 {
                Integer::from(Integer::binomial_u(d / 2 + 2, 2))
            } else {
                Integer::new()
            };
            assert_eq!(
                m.character(d).unwrap().dim(),
                (full + fixed) / 2u32,
                "d = {d}"
            );
        }
    }

    #[test]
    fn molien_rejects_out_of_range() {
        assert!(matches!(
            MolienSeries::new(2, MAX_MOLIEN_DEGREE + 1),
            Err(CountingError::TooLarge { what: "degree", .. })
        ));
        assert!(matches!(
            MolienSeries::new(100, 2),
            Err(CountingError::TooLarge {
                what: "neighbours",
                value: 100,
                ..
            })
        ));
        let m = MolienSeries::new(1, 2).unwrap();
        let e = m.multiplicity(3, Irrep::harmonic(0)).unwrap_err();
        assert_eq!(
            e,
            CountingError::DegreeOutOfRange {
                degree: 3,
                max_degree: 2
            }
        );
        assert!(e.to_string().contains('3'));
    }
}
