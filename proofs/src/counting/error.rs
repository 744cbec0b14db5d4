//! Errors of exact counting and rank analysis.

use racah_numeric::{FusionBlockError, NumericError};
use thiserror::Error;

/// Why a count or a rank analysis could not be made. A count of zero (a selection rule) is a
/// value, never an error.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum CountingError {
    /// A symmetric power or a number of neighbours whose cycle index is too large to sum.
    #[error("{what} = {value} is too large for exact counting (at most {max})")]
    TooLarge {
        /// What was too large (`"nu"`, `"neighbours"`, `"degree"`, or the degree n of S_n).
        what: &'static str,
        /// The value given.
        value: usize,
        /// The largest value accepted.
        max: usize,
    },
    /// A degree beyond the truncation of a Molien series.
    #[error("degree {degree} is beyond the series' maximum degree {max_degree}")]
    DegreeOutOfRange {
        /// The degree asked for.
        degree: u32,
        /// The degree the series was truncated at.
        max_degree: u32,
    },
    /// A path index (of a selection of a block's paths) that the block does not have.
    #[error("path index {index} is out of range (the block has {num_paths} paths)")]
    PathOutOfRange {
        /// The index given.
        index: usize,
        /// The number of paths of the block.
        num_paths: usize,
    },
    /// A block whose inputs are not the polynomial features it is evaluated on.
    #[error("block input irreps {got} do not match the polynomial features {expected}")]
    FeaturesMismatch {
        /// The irreps of the features (one channel).
        expected: String,
        /// The block's input irreps.
        got: String,
    },
    /// An argument the computation cannot work with (no samples, neighbours that do not fit in
    /// the cutoff ball, a model without species), named with its value and the reason.
    #[error("{what} = {value}: {reason}")]
    InvalidArgument {
        /// The argument (`"samples"`, `"neighbours"`, `"species"`).
        what: &'static str,
        /// Its value, as given.
        value: String,
        /// Why it cannot be used.
        reason: String,
    },
    /// A network could not be built or planned (the network error's message).
    #[error("network: {0}")]
    Network(String),
    /// The fusion block rejected its input.
    #[error("fusion block: {0}")]
    FusionBlock(#[from] FusionBlockError),
    /// A numeric kernel rejected its input.
    #[error("numeric: {0}")]
    Numeric(#[from] NumericError),
}
