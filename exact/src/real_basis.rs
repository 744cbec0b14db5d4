//! The real (e3nn) basis for integer `l`: the complex→real change of basis `Q_l`, exact complex
//! numbers for its entries, and e3nn's real coupling tensors.
//!
//! ```text
//! Q_l = (−i)^l q,   rows: complex m (index l + m),   columns: real index a = 0 … 2l
//! m < 0:  q[l+m, l+|m|] = 1/√2,        q[l+m, l−|m|] = −i/√2
//! m = 0:  q[l, l] = 1
//! m > 0:  q[l+m, l+|m|] = (−1)^m/√2,   q[l+m, l−|m|] = i(−1)^m/√2
//! ```
//!
//! Column `a` of `Q_l` has its nonzero entries in the rows `m = ±(a − l)` only, and every nonzero
//! entry is `i^k` or `i^k/√2`. That sparsity is what lets [`real_cg`] sum over at most two complex
//! `(m1, m2, m3)` per real entry.
//!
//! # Convention
//! `CONVENTIONS.md#real-basis`, `CONVENTIONS.md#axes`.

mod complex;
mod q_matrix;
mod scaled_cg;
mod tensor;

pub use complex::{ComplexMatrix, ComplexSqrtSum};
pub use q_matrix::q_matrix;
pub(crate) use q_matrix::{q_column, q_unit};
pub use tensor::{real_cg, real_cg_with, RealCgTensor};

/// A Gaussian integer accumulated from powers of `i`: `re + i·im`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct UnitSum {
    pub(crate) re: i32,
    pub(crate) im: i32,
}

impl UnitSum {
    /// Adds `i^k` (k taken mod 4).
    #[inline]
    pub(crate) fn add_power(&mut self, k: i64) {
        match k.rem_euclid(4) {
            0 => self.re += 1,
            1 => self.im += 1,
            2 => self.re -= 1,
            _ => self.im -= 1,
        }
    }
}

/// Largest `l` accepted by the sparse real-basis functions ([`real_cg`], the real generators):
/// the crate-wide spin limit `2l ≤ 2^22`.
pub(crate) const MAX_L: u32 = 1 << 21;

/// Checks `l ≤ MAX_L`.
pub(crate) fn check_l(l: u32) -> Result<i64, crate::ExactError> {
    if l > MAX_L {
        return Err(crate::ExactError::Overflow {
            value: l.to_string(),
            what: "real-basis l is limited to l <= 2^21",
        });
    }
    Ok(l as i64)
}
