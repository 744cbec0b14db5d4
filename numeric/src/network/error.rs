//! Why a network description or a network input was rejected.

use crate::{FusionBlockError, NumericError, TensorProductError};

/// Errors of [`Network`](super::Network): a malformed description, an input the network cannot
/// take, or a kernel that refused its plan. Every message names the bad value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum NetworkError {
    /// The TOML text does not parse or does not match the schema.
    #[error("malformed network description: {0}")]
    Toml(String),
    /// A field of the description has a bad value.
    #[error("bad value for `{field}` in the network description: {message}")]
    Spec {
        /// The field, dotted (`features.hidden`).
        field: String,
        /// What is wrong, naming the value.
        message: String,
    },
    /// An element symbol is not known.
    #[error("unknown element symbol {0:?} (use symbols H … Kr or atomic numbers)")]
    UnknownElement(String),
    /// An input atom has a species the network was not built for.
    #[error(
        "atom {atom} has atomic number {z}, which the network does not know (it knows {known:?})"
    )]
    UnknownSpecies {
        /// Index of the atom.
        atom: usize,
        /// Its atomic number.
        z: u32,
        /// The atomic numbers the network knows.
        known: Vec<u32>,
    },
    /// Input arrays disagree in length.
    #[error("shape mismatch for {what}: expected {expected}, got {got}")]
    ShapeMismatch {
        /// Which array.
        what: String,
        /// The required length.
        expected: usize,
        /// The length that was passed.
        got: usize,
    },
    /// An input number is NaN or infinite.
    #[error("{what} has a non-finite value {value} at index {index}")]
    NonFinite {
        /// Which array.
        what: String,
        /// Flat index of the first bad value.
        index: usize,
        /// The value.
        value: f64,
    },
    /// The periodic cell is singular.
    #[error("the periodic cell {cell:?} is singular (volume {volume:e})")]
    SingularCell {
        /// The lattice vectors (rows).
        cell: [[f64; 3]; 3],
        /// Its signed volume.
        volume: f64,
    },
    /// Two atoms are closer than the network can handle (they coincide).
    #[error("atoms {i} and {j} coincide (distance {distance:e})")]
    CoincidentAtoms {
        /// First atom.
        i: usize,
        /// Second atom.
        j: usize,
        /// Their distance.
        distance: f64,
    },
    /// A tensor product could not be planned.
    #[error("tensor product in {layer}: {source}")]
    TensorProduct {
        /// The layer.
        layer: String,
        /// The kernel's error.
        source: TensorProductError,
    },
    /// A fusion block could not be planned.
    #[error("fusion block in {layer}: {source}")]
    FusionBlock {
        /// The layer.
        layer: String,
        /// The kernel's error.
        source: FusionBlockError,
    },
    /// Another numeric error.
    #[error(transparent)]
    Numeric(#[from] NumericError),
}
