//! [`DiagnosisError`]: why a table could not be checked.

use racah_exact::ExactError;
use racah_numeric::NumericError;
use thiserror::Error;

/// Why a table could not be built or checked. Messages name the offending array, entry or
/// value; a table that simply does not match is not an error but a failing
/// [`Report`](super::Report).
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum DiagnosisError {
    /// An array has the wrong shape.
    #[error("{what}: expected shape {expected}, got {got}")]
    Shape {
        /// Which array.
        what: String,
        /// The expected shape, e.g. `(N, 6)`.
        expected: String,
        /// The shape found.
        got: String,
    },
    /// A value is NaN or infinite.
    #[error("{what}: non-finite value {value} at {at}")]
    NonFinite {
        /// Which array.
        what: String,
        /// Where, e.g. `index 17` or `row 3`.
        at: String,
        /// The value.
        value: f64,
    },
    /// A value is not valid where it stands (a spin that is not a half-integer, an unknown
    /// option, a key that is not `l1,l2,l3`, …).
    #[error("{what}: {message}")]
    Invalid {
        /// Which input.
        what: String,
        /// What is wrong, with the value.
        message: String,
    },
    /// The table has no entries.
    #[error("the {kind} table has no entries")]
    Empty {
        /// The kind of table.
        kind: &'static str,
    },
    /// The exact engine refused a value.
    #[error(transparent)]
    Exact(#[from] ExactError),
    /// A numeric kernel refused an input.
    #[error(transparent)]
    Numeric(#[from] NumericError),
    /// The tensor product could not be built.
    #[error("tensor product: {message}")]
    TensorProduct {
        /// The tensor-product error.
        message: String,
    },
}

impl DiagnosisError {
    /// An [`Invalid`](Self::Invalid) error.
    pub fn invalid(what: impl Into<String>, message: impl Into<String>) -> Self {
        DiagnosisError::Invalid {
            what: what.into(),
            message: message.into(),
        }
    }

    /// A [`Shape`](Self::Shape) error.
    pub fn shape(
        what: impl Into<String>,
        expected: impl Into<String>,
        got: impl Into<String>,
    ) -> Self {
        DiagnosisError::Shape {
            what: what.into(),
            expected: expected.into(),
            got: got.into(),
        }
    }
}

/// Checks that every value is finite.
pub(crate) fn check_finite(what: &str, values: &[f64]) -> Result<(), DiagnosisError> {
    match values.iter().position(|v| !v.is_finite()) {
        None => Ok(()),
        Some(i) => Err(DiagnosisError::NonFinite {
            what: what.to_string(),
            at: format!("index {i}"),
            value: values[i],
        }),
    }
}
