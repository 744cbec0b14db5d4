//! Errors of racah-exact.
//!
//! Messages are lowercase and name the offending value. A selection-rule zero (triangle, parity of
//! a triad sum, `m1 + m2 != M`, `|m| > j` inside a symbol) is never an error: it is the value 0.

use racah_core::CoreError;
use thiserror::Error;

/// Why an exact number or a coupling symbol could not be built.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum ExactError {
    /// A structural error in a spin or projection (negative spin, `j - m` not an integer, …).
    #[error(transparent)]
    Core(#[from] CoreError),
    /// A rational with denominator zero, or a division by an exact zero.
    #[error("division by zero: {numerator}/0")]
    DivisionByZero {
        /// The numerator, as text.
        numerator: String,
    },
    /// A square root of a negative rational was requested.
    #[error("square root of the negative number {value}")]
    NegativeRadicand {
        /// The offending value, as text.
        value: String,
    },
    /// `from_parts(r, d)` was given a radicand that is not a positive square-free integer.
    #[error("radicand {value} is not a positive square-free integer")]
    NotSquareFree {
        /// The offending radicand, as text.
        value: String,
    },
    /// The input of `sqrt_of_rational` has a numerator or denominator of 2^64 or more, which
    /// would need the factorisation of a big integer.
    #[error(
        "cannot take the square root of {value}: numerator and denominator must be below 2^64"
    )]
    TooLargeToFactor {
        /// The offending value, as text.
        value: String,
    },
    /// A doubled-integer argument or an intermediate sum does not fit the integer types used.
    #[error("argument {value} is out of range ({what})")]
    Overflow {
        /// The offending value, as text.
        value: String,
        /// Which quantity overflowed.
        what: &'static str,
    },
    /// An index (row, column, …) passed to a symmetry method is out of range.
    #[error("index {index} is out of range (must be < {bound})")]
    IndexOutOfRange {
        /// The offending index.
        index: usize,
        /// The exclusive upper bound.
        bound: usize,
    },
}
