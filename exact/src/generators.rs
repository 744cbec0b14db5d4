//! Exact angular-momentum generators: `J_z`, `J_+`, `J_−` in the complex basis for any spin, and
//! the real antisymmetric `L_x`, `L_y`, `L_z` of the e3nn real basis for integer `l`.

use crate::real_basis::{check_l, q_column, q_unit, UnitSum};
use crate::spins::twice_j;
use crate::{ExactError, SqrtRational};
use racah_core::Spin;

const ZERO: SqrtRational = SqrtRational::ZERO;

/// A square sparse matrix with exact entries, stored as its nonzero `(row, col, value)` triples
/// in row-major order.
///
/// # Examples
/// ```
/// use racah_core::Spin;
/// use racah_exact::{j_plus, SqrtRational};
/// let jp = j_plus(Spin::int(1))?; // ⟨1 m+1|J_+|1 m⟩ = √2
/// assert_eq!(jp.dim(), 3);
/// assert_eq!(*jp.get(1, 0), SqrtRational::sqrt_of_ratio(2, 1)?);
/// assert!(jp.get(0, 1).is_zero());
/// assert_eq!(jp.nonzeros().count(), 2);
/// # Ok::<(), racah_exact::ExactError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SparseMatrix {
    dim: usize,
    /// Sorted by `(row, col)`, no zero values.
    entries: Vec<(usize, usize, SqrtRational)>,
}

impl SparseMatrix {
    /// From `(row, col, value)` triples that are sorted row-major, distinct, in range and nonzero.
    fn from_sorted(dim: usize, entries: Vec<(usize, usize, SqrtRational)>) -> Self {
        debug_assert!(entries
            .windows(2)
            .all(|w| (w[0].0, w[0].1) < (w[1].0, w[1].1)));
        debug_assert!(entries
            .iter()
            .all(|(r, c, v)| *r < dim && *c < dim && !v.is_zero()));
        SparseMatrix { dim, entries }
    }

    /// The number of rows (= columns).
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The entry in row `r`, column `c`.
    ///
    /// # Panics
    /// If `r` or `c` is not below [`dim`](Self::dim).
    #[track_caller]
    pub fn get(&self, r: usize, c: usize) -> &SqrtRational {
        assert!(
            r < self.dim && c < self.dim,
            "index ({r}, {c}) out of a {0}×{0} matrix",
            self.dim
        );
        match self.entries.binary_search_by(|e| (e.0, e.1).cmp(&(r, c))) {
            Ok(p) => &self.entries[p].2,
            Err(_) => &ZERO,
        }
    }

    /// The nonzero entries `(row, col, value)`, row-major.
    pub fn nonzeros(&self) -> impl ExactSizeIterator<Item = (usize, usize, &SqrtRational)> {
        self.entries.iter().map(|(r, c, v)| (*r, *c, v))
    }

    /// The number of nonzero entries.
    pub fn num_nonzeros(&self) -> usize {
        self.entries.len()
    }

    /// The transpose.
    pub fn transpose(&self) -> Self {
        let mut entries: Vec<_> = self
            .entries
            .iter()
            .map(|(r, c, v)| (*c, *r, v.clone()))
            .collect();
        entries.sort_unstable_by_key(|e| (e.0, e.1));
        SparseMatrix::from_sorted(self.dim, entries)
    }

    /// Whether `Aᵀ = −A` exactly.
    pub fn is_antisymmetric(&self) -> bool {
        self.entries.iter().all(|(r, c, v)| *self.get(*c, *r) == -v)
    }

    /// The dense matrix, row-major, exact.
    pub fn to_dense(&self) -> Vec<SqrtRational> {
        let mut out = vec![SqrtRational::ZERO; self.dim * self.dim];
        for (r, c, v) in &self.entries {
            out[r * self.dim + c] = v.clone();
        }
        out
    }

    /// The dense matrix, row-major, each entry correctly rounded to f64
    /// (`CONVENTIONS.md#rounding`).
    pub fn to_f64(&self) -> Vec<f64> {
        let mut out = vec![0.0; self.dim * self.dim];
        for (r, c, v) in &self.entries {
            out[r * self.dim + c] = v.to_f64();
        }
        out
    }

    /// The dense matrix, row-major, each entry correctly rounded to f32 (not via f64).
    pub fn to_f32(&self) -> Vec<f32> {
        let mut out = vec![0.0; self.dim * self.dim];
        for (r, c, v) in &self.entries {
            out[r * self.dim + c] = v.to_f32();
        }
        out
    }
}

/// `√((j − m)(j + m + 1))` for doubled `tj`, `tm` with `|m| ≤ j` (the two factors are split
/// separately, so trial division only sees numbers ≤ 2j + 1).
fn ladder(tj: i64, tm: i64) -> Result<SqrtRational, ExactError> {
    let x = ((tj - tm) / 2) as u64;
    let y = ((tj + tm) / 2 + 1) as u64;
    Ok(&SqrtRational::sqrt_of_ratio(x, 1)? * &SqrtRational::sqrt_of_ratio(y, 1)?)
}

fn check_spin(j: Spin) -> Result<i64, ExactError> {
    twice_j(j.twice() as i64)
}

/// `J_z` in the complex basis of spin `j`: the diagonal matrix of `m`.
///
/// ```text
/// ⟨j m'|J_z|j m⟩ = m δ(m', m)
/// ```
///
/// # Convention
/// Rows and columns are indexed by `j + m`, m = −j first (`CONVENTIONS.md#spins`); Hermitian `J`
/// (physics convention), as in Condon–Shortley (`CONVENTIONS.md#condon-shortley`).
///
/// # Errors
/// [`ExactError::Overflow`] if `2j > 2^22`.
///
/// # Examples
/// ```
/// use racah_core::Spin;
/// use racah_exact::{j_z, SqrtRational};
/// let jz = j_z(Spin::from_twice(3))?; // j = 3/2
/// assert_eq!(*jz.get(0, 0), SqrtRational::rational(-3, 2));
/// assert_eq!(jz.num_nonzeros(), 4);
/// # Ok::<(), racah_exact::ExactError>(())
/// ```
pub fn j_z(j: Spin) -> Result<SparseMatrix, ExactError> {
    let tj = check_spin(j)?;
    let entries = (0..=tj)
        .filter(|&i| 2 * i != tj)
        .map(|i| {
            let v = SqrtRational::rational(2 * i - tj, 2);
            (i as usize, i as usize, v)
        })
        .collect();
    Ok(SparseMatrix::from_sorted(j.dim(), entries))
}

/// The raising operator `J_+ = J_x + i J_y` in the complex basis of spin `j`.
///
/// ```text
/// ⟨j m+1|J_+|j m⟩ = √((j − m)(j + m + 1))
/// ```
///
/// # Convention
/// Condon–Shortley: the matrix elements are non-negative (`CONVENTIONS.md#condon-shortley`).
/// Indices `j + m`, m = −j first: the entry sits in row `j + m + 1`, column `j + m`.
///
/// # Errors
/// [`ExactError::Overflow`] if `2j > 2^22`.
///
/// # Examples
/// ```
/// use racah_core::Spin;
/// use racah_exact::{j_plus, SqrtRational};
/// let jp = j_plus(Spin::from_twice(1))?; // spin 1/2: ⟨½ ½|J_+|½ −½⟩ = 1
/// assert_eq!(*jp.get(1, 0), SqrtRational::ONE);
/// # Ok::<(), racah_exact::ExactError>(())
/// ```
pub fn j_plus(j: Spin) -> Result<SparseMatrix, ExactError> {
    let tj = check_spin(j)?;
    let mut entries = Vec::with_capacity(tj as usize);
    for i in 0..tj {
        entries.push((i as usize + 1, i as usize, ladder(tj, 2 * i - tj)?));
    }
    Ok(SparseMatrix::from_sorted(j.dim(), entries))
}

/// The lowering operator `J_− = J_x − i J_y = J_+ᵀ` in the complex basis of spin `j`.
///
/// ```text
/// ⟨j m−1|J_−|j m⟩ = √((j + m)(j − m + 1))
/// ```
///
/// # Convention
/// As [`j_plus`]: non-negative entries, row `j + m − 1`, column `j + m`.
///
/// # Errors
/// [`ExactError::Overflow`] if `2j > 2^22`.
///
/// # Examples
/// ```
/// use racah_core::Spin;
/// use racah_exact::{j_minus, j_plus};
/// let j = Spin::int(3);
/// assert_eq!(j_minus(j)?, j_plus(j)?.transpose());
/// # Ok::<(), racah_exact::ExactError>(())
/// ```
pub fn j_minus(j: Spin) -> Result<SparseMatrix, ExactError> {
    Ok(j_plus(j)?.transpose())
}

/// One term `coef · i^k · J` of a complex Lie-algebra element.
#[derive(Clone, Copy)]
enum Channel {
    /// `i^k · J_z`.
    Z { k: i64 },
    /// `i^k · J_± / 2` (`delta = ±1`).
    Ladder { delta: i64, k: i64 },
}

/// The complex-basis elements whose real forms are `L_x`, `L_y`, `L_z`:
/// `L_x ← (J_− − J_+)/2`, `L_y ← i J_z`, `L_z ← i (J_+ + J_−)/2`.
const CHANNELS: [&[Channel]; 3] = [
    &[
        Channel::Ladder { delta: 1, k: 2 },
        Channel::Ladder { delta: -1, k: 0 },
    ],
    &[Channel::Z { k: 1 }],
    &[
        Channel::Ladder { delta: 1, k: 1 },
        Channel::Ladder { delta: -1, k: 1 },
    ],
];

/// The real generators `[L_x, L_y, L_z]` of the e3nn real basis of integer spin `l`, exactly:
/// real antisymmetric `(2l+1) × (2l+1)` matrices with `exp(θ L_k)` the rotation by `θ` about the
/// axis `k` (right-handed, active) in the representation `D^l`.
///
/// ```text
/// L_x = Q† (J_− − J_+)/2 Q = Q† (−i J_y) Q
/// L_y = Q† (i J_z) Q
/// L_z = Q† i (J_+ + J_−)/2 Q = Q† (i J_x) Q          (Q = q_matrix(l))
/// [L_x, L_y] = L_z,  [L_y, L_z] = L_x,  [L_z, L_x] = L_y,  L_x² + L_y² + L_z² = −l(l+1)·1
/// D^l(α, β, γ) = exp(α L_y) exp(β L_x) exp(γ L_y)      (e3nn Euler angles)
/// ```
///
/// For `l = 1` these are the standard so(3) generators on `(x, y, z)`, `(L_k)_ij = −ε_kij`,
/// so `D¹(R) = R`. In the complex basis the quantisation axis (`J_z`) is the real y axis (e3nn's
/// polar axis) and the complex components `Q v` carry the complex-conjugate representation
/// `D*`; this is why `L_y = Q†(+i J_z)Q` rather than `−i J_z`. Every entry is a single `r·√d`
/// (the two contributing terms `(m', m)` and `(−m', −m)` have equal magnitude).
///
/// # Convention
/// Identical to e3nn's `so3_generators(l)` and e3nn-jax's `Irrep(l).generators()` (same order
/// x, y, z; checked to 0 in floating point for l ≤ 3) (`CONVENTIONS.md#real-basis`,
/// `CONVENTIONS.md#rotations`).
///
/// # Errors
/// [`ExactError::Overflow`] if `l > 2^21`.
///
/// # Examples
/// ```
/// use racah_exact::{real_generators, SqrtRational};
/// let [lx, ly, lz] = real_generators(1)?;
/// let (one, m1) = (SqrtRational::ONE, SqrtRational::rational(-1, 1));
/// // L_y: z ↦ −x, x ↦ z: exp(θ L_y) = [[cos θ, 0, sin θ], [0, 1, 0], [−sin θ, 0, cos θ]].
/// assert_eq!((ly.get(0, 2), ly.get(2, 0)), (&one, &m1));
/// assert_eq!((lz.get(1, 0), lz.get(0, 1)), (&one, &m1));
/// assert_eq!((lx.get(2, 1), lx.get(1, 2)), (&one, &m1));
/// assert_eq!(ly.num_nonzeros() + lx.num_nonzeros() + lz.num_nonzeros(), 6);
/// # Ok::<(), racah_exact::ExactError>(())
/// ```
pub fn real_generators(l: u32) -> Result<[SparseMatrix; 3], ExactError> {
    let l = check_l(l)?;
    Ok([
        real_generator(l, CHANNELS[0])?,
        real_generator(l, CHANNELS[1])?,
        real_generator(l, CHANNELS[2])?,
    ])
}

/// `Q† X Q` for `X = Σ channels`, summing only the ≤ 2 nonzero terms of each entry.
fn real_generator(l: i64, channels: &[Channel]) -> Result<SparseMatrix, ExactError> {
    let tj = 2 * l;
    let half = SqrtRational::rational(1, 2);
    // (1/√2)^n for n = 0, 1, 2 Q entries of magnitude 1/√2.
    let q_mag = [
        SqrtRational::ONE,
        SqrtRational::sqrt_of_ratio(1, 2)?,
        half.clone(),
    ];
    // (a, b, power of i, magnitude) of every nonzero term conj(Q[m',a]) X[m',m] Q[m,b].
    let mut terms: Vec<(i64, i64, i64, SqrtRational)> = Vec::new();
    for b in 0..=tj {
        for eb in q_column(l, b) {
            let m = eb.m;
            for ch in channels {
                let (mp, k_x, x) = match *ch {
                    Channel::Z { k } => {
                        if m == 0 {
                            continue;
                        }
                        // m < 0 contributes the sign −1 = i².
                        let k_sign = if m < 0 { 2 } else { 0 };
                        (m, k + k_sign, SqrtRational::rational(m.abs(), 1))
                    }
                    Channel::Ladder { delta, k } => {
                        let mp = m + delta;
                        if mp.abs() > l {
                            continue;
                        }
                        // ⟨m+1|J_+|m⟩ = ladder(m), ⟨m−1|J_−|m⟩ = ladder(−m).
                        let v = ladder(tj, 2 * delta * m)?;
                        (mp, k, &v * &half)
                    }
                };
                let nu = mp.abs();
                let rows: &[i64] = if nu == 0 { &[0] } else { &[-1, 1] };
                for &s in rows {
                    let a = l + s * nu;
                    let Some((ka, ha)) = q_unit(l, mp, a) else {
                        continue;
                    };
                    let n = ha as usize + eb.half as usize;
                    terms.push((a, b, k_x + eb.k - ka, &x * &q_mag[n]));
                }
            }
        }
    }
    terms.sort_unstable_by_key(|t| (t.0, t.1));
    let mut entries = Vec::with_capacity(terms.len());
    let mut i = 0;
    while i < terms.len() {
        let (a, b) = (terms[i].0, terms[i].1);
        let mut u = UnitSum::default();
        let mag = terms[i].3.clone();
        while i < terms.len() && (terms[i].0, terms[i].1) == (a, b) {
            debug_assert_eq!(terms[i].3, mag, "unequal magnitudes at ({a}, {b})");
            u.add_power(terms[i].2);
            i += 1;
        }
        debug_assert_eq!(u.im, 0, "imaginary generator entry at ({a}, {b})");
        let v = match u.re {
            0 => continue,
            r => &mag * &SqrtRational::rational(r as i64, 1),
        };
        entries.push((a as usize, b as usize, v));
    }
    Ok(SparseMatrix::from_sorted(tj as usize + 1, entries))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ladder_values() {
        // ⟨2 1|J_+|2 0⟩ = √6, ⟨3/2 3/2|J_+|3/2 1/2⟩ = √3
        assert_eq!(
            ladder(4, 0).unwrap(),
            SqrtRational::sqrt_of_ratio(6, 1).unwrap()
        );
        assert_eq!(
            ladder(3, 1).unwrap(),
            SqrtRational::sqrt_of_ratio(3, 1).unwrap()
        );
        assert_eq!(ladder(3, 3).unwrap(), SqrtRational::ZERO);
    }
}
