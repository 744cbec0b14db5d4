//! Errors of racah-core: structural mistakes in spins, projections, irreps and trees.
//!
//! Messages are lowercase and carry the offending value. A selection-rule zero (for example
//! `m1 + m2 != M` in a Clebsch–Gordan coefficient) is *not* an error: it is the value 0.

use thiserror::Error;

/// Why a value is not a valid spin, projection, irrep or tree.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum CoreError {
    /// The text is not an integer or half-integer (`"2.3"`, `"1/3"`, `"x"`).
    #[error("{input:?} is not a half-integer (write 3, 7/2 or 3.5)")]
    NotHalfInteger {
        /// The text that was given.
        input: String,
    },
    /// A spin (angular momentum j) was negative.
    #[error("spin must be non-negative, got {value}")]
    NegativeSpin {
        /// The offending value, as text (`-1/2`).
        value: String,
    },
    /// |m| > j.
    #[error("projection m = {m} is out of range for j = {j} (need -j <= m <= j)")]
    ProjectionOutOfRange {
        /// The spin.
        j: String,
        /// The projection.
        m: String,
    },
    /// j − m is not an integer (for example j = 1, m = 1/2).
    #[error("j - m must be an integer, got j = {j}, m = {m}")]
    ProjectionParity {
        /// The spin.
        j: String,
        /// The projection.
        m: String,
    },
    /// A value does not fit the doubled-integer representation.
    #[error("spin {value} is too large (twice the spin must fit in 31 bits)")]
    TooLarge {
        /// The offending value, as text.
        value: String,
    },
    /// Three spins violate the triangle condition where a structure requires it.
    #[error("({j1}, {j2}, {j3}) violates the triangle condition")]
    Triangle {
        /// First spin.
        j1: String,
        /// Second spin.
        j2: String,
        /// Third spin.
        j3: String,
    },
    /// A malformed irreps string, fusion-tree string or other textual form.
    #[error("cannot parse {input:?}: {kind} at position {at} (token {token:?})")]
    Parse {
        /// The whole text.
        input: String,
        /// 0-based character position of the bad token.
        at: usize,
        /// The bad token.
        token: String,
        /// What was wrong.
        kind: String,
    },
    /// A structure that is well-formed but not admissible (wrong arity, parity mismatch, …).
    #[error("{0}")]
    Invalid(String),
    /// A count (multiplicity, dimension, number of paths) does not fit its integer type.
    #[error("{what} overflows {ty}")]
    Overflow {
        /// What was being counted, with the inputs that made it overflow.
        what: String,
        /// The integer type that was too small (`u64`, `usize`).
        ty: &'static str,
    },
}
