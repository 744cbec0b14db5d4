//! The complex→real change of basis `Q_l = (−i)^l q` of e3nn.

use super::complex::{ComplexMatrix, ComplexSqrtSum};
use crate::{ExactError, SqrtRational};

/// One nonzero entry of `Q_l`: `Q[l + m, a] = i^k` (`half = false`) or `i^k/√2` (`half = true`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct QEntry {
    /// The complex projection m (row `l + m`).
    pub(crate) m: i64,
    /// The power of `i`, in `0..4`.
    pub(crate) k: i64,
    /// Whether the magnitude is `1/√2` (otherwise 1).
    pub(crate) half: bool,
}

/// `Q_l[l + m, a]` as `(k, half)` (see [`QEntry`]), or `None` when that entry is 0.
///
/// Column `a` (`μ = a − l`, `ν = |μ|`) is nonzero in the rows `m = ±ν` only:
///
/// ```text
/// μ = 0:  q[m=0]  = 1                           → k = 0
/// μ > 0:  q[m=−ν] = 1/√2,   q[m=+ν] = (−1)^ν/√2  → k = 0,  2ν
/// μ < 0:  q[m=−ν] = −i/√2,  q[m=+ν] = i(−1)^ν/√2 → k = 3,  1 + 2ν
/// ```
///
/// and `Q = (−i)^l q = i^(3l) q` adds `3l` to `k`.
#[inline]
pub(crate) fn q_unit(l: i64, m: i64, a: i64) -> Option<(i64, bool)> {
    let mu = a - l;
    let nu = mu.abs();
    if m.abs() != nu || nu > l {
        return None;
    }
    let k = match (mu.signum(), m < 0) {
        (0, _) => 0,
        (1, true) => 0,
        (1, false) => 2 * nu,
        (_, true) => 3,
        (_, false) => 1 + 2 * nu,
    };
    Some(((k + 3 * l).rem_euclid(4), nu != 0))
}

/// The nonzero entries of column `a` of `Q_l`: one (`a = l`) or two (rows `m = −ν`, `+ν`).
#[inline]
pub(crate) fn q_column(l: i64, a: i64) -> impl Iterator<Item = QEntry> {
    let nu = (a - l).abs();
    let ms: &[i64] = if nu == 0 { &[0] } else { &[-1, 1] };
    ms.iter().filter_map(move |&s| {
        let m = s * nu;
        q_unit(l, m, a).map(|(k, half)| QEntry { m, k, half })
    })
}

/// Largest `l` for the dense [`q_matrix`]: `(2l+1)² ≤ 2^22` exact entries.
const MAX_DENSE_L: u32 = 1023;

/// The complex→real change of basis `Q_l` of e3nn, exactly: a `(2l+1) × (2l+1)` unitary matrix
/// with rows indexed by the complex projection (`l + m`, m = −l first) and columns by the real
/// index `a = 0 … 2l`.
///
/// ```text
/// Q_l = (−i)^l q
/// m < 0:  q[l+m, l+|m|] = 1/√2,        q[l+m, l−|m|] = −i/√2
/// m = 0:  q[l, l] = 1
/// m > 0:  q[l+m, l+|m|] = (−1)^m/√2,   q[l+m, l−|m|] = i(−1)^m/√2
/// ```
///
/// A real vector `v` (e3nn components) has complex components `Q_l v`. The factor `(−i)^l`
/// makes every coupling tensor in this basis real ([`real_cg`](crate::real_cg)).
///
/// # Convention
/// e3nn's `change_basis_real_to_complex(l)`, identical in e3nn and e3nn-jax
/// (`CONVENTIONS.md#real-basis`). The l = 1 real basis is (x, y, z) with y the polar axis
/// (`CONVENTIONS.md#axes`).
///
/// # Errors
/// [`ExactError::Overflow`] if `l > 1023` (the dense matrix would have more than 2^22 entries;
/// the sparse functions [`real_cg`](crate::real_cg) and
/// [`real_generators`](crate::real_generators) do not build it).
///
/// # Examples
/// ```
/// use racah_exact::{q_matrix, ComplexSqrtSum, SqrtRational};
/// let q = q_matrix(1)?;
/// let h = SqrtRational::sqrt_of_ratio(1, 2)?;
/// // Q_1 = −i q: row m = −1 is (−1/√2, 0, −i/√2), row m = 0 is (0, −i, 0).
/// assert_eq!(*q.get(0, 0), ComplexSqrtSum::from(-&h));
/// assert_eq!(*q.get(0, 2), ComplexSqrtSum::i_pow_times(3, &h));
/// assert_eq!(*q.get(1, 1), ComplexSqrtSum::i_pow_times(3, &SqrtRational::ONE));
/// assert!(q.is_unitary());
/// # Ok::<(), racah_exact::ExactError>(())
/// ```
pub fn q_matrix(l: u32) -> Result<ComplexMatrix, ExactError> {
    if l > MAX_DENSE_L {
        return Err(ExactError::Overflow {
            value: l.to_string(),
            what: "the dense q_matrix is limited to l <= 1023",
        });
    }
    let li = l as i64;
    let n = 2 * l as usize + 1;
    let half = SqrtRational::sqrt_of_ratio(1, 2)?;
    let mut out = ComplexMatrix::zeros(n);
    for a in 0..=2 * li {
        for e in q_column(li, a) {
            let mag = if e.half { &half } else { &SqrtRational::ONE };
            out.set(
                (li + e.m) as usize,
                a as usize,
                ComplexSqrtSum::i_pow_times(e.k, mag),
            );
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn q_unit_matches_the_table() {
        // l = 1, Q = −i q: row m=−1: (−1/√2, 0, −i/√2); m=0: (0, −i, 0); m=1: (−1/√2, 0, i/√2).
        assert_eq!(q_unit(1, -1, 0), Some((2, true)));
        assert_eq!(q_unit(1, -1, 2), Some((3, true)));
        assert_eq!(q_unit(1, 0, 1), Some((3, false)));
        assert_eq!(q_unit(1, 1, 0), Some((2, true)));
        assert_eq!(q_unit(1, 1, 2), Some((1, true)));
        assert_eq!(q_unit(1, 0, 0), None);
        assert_eq!(q_unit(1, 1, 1), None);
        for l in 0..6 {
            for a in 0..=2 * l {
                let col: Vec<_> = q_column(l, a).collect();
                assert_eq!(col.len(), if a == l { 1 } else { 2 });
            }
        }
    }
}
