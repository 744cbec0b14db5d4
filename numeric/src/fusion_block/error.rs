//! Errors of fusion-block construction and evaluation.

/// Why a fusion block could not be built or evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FusionBlockError {
    /// The input or output irreps are empty.
    #[error("{what} irreps are empty")]
    EmptyIrreps {
        /// `"input"` or `"output"`.
        what: &'static str,
    },
    /// A term's multiplicity differs from the channel count (all terms must have the same
    /// multiplicity, the number of channels).
    #[error(
        "{what} irreps {irreps} mix multiplicities: term {term} has {got}, expected {expected}"
    )]
    MixedMultiplicity {
        /// `"input"` or `"output"`.
        what: &'static str,
        /// The irreps as given.
        irreps: String,
        /// The offending term.
        term: String,
        /// The channel count (the first term's multiplicity, or the input's).
        expected: usize,
        /// The offending multiplicity.
        got: usize,
    },
    /// Fusion blocks couple integer-l irreps only.
    #[error("half-integer irrep {irrep} is not supported in a fusion block")]
    HalfInteger {
        /// The irrep.
        irrep: String,
    },
    /// An irrep's l exceeds the supported bound.
    #[error("irrep {irrep} exceeds the fusion-block bound l <= {max}")]
    LTooLarge {
        /// The irrep.
        irrep: String,
        /// The bound.
        max: u32,
    },
    /// The correlation (body order) is outside `1..=max`.
    #[error("correlation {correlation} is outside 1..={max}")]
    BadCorrelation {
        /// The requested correlation.
        correlation: usize,
        /// The bound.
        max: usize,
    },
    /// The number of elements (species) of a MACE block is 0.
    #[error("num_elements must be at least 1, got {num_elements}")]
    NoElements {
        /// The requested number.
        num_elements: usize,
    },
    /// The enumeration would exceed the supported number of trie nodes.
    #[error("fusion trie would exceed {max} nodes at body order {depth}")]
    TooLarge {
        /// The body order at which the limit was hit.
        depth: usize,
        /// The node limit.
        max: usize,
    },
    /// An input array is laid out by other irreps than the block's.
    #[error("input irreps {got} differ from the block's {expected}")]
    IrrepsMismatch {
        /// The block's input irreps.
        expected: String,
        /// The array's irreps.
        got: String,
    },
    /// A buffer has the wrong length.
    #[error("shape mismatch for {what}: expected {expected} elements, got {got}")]
    ShapeMismatch {
        /// Which buffer.
        what: &'static str,
        /// The required length.
        expected: usize,
        /// The length given.
        got: usize,
    },
    /// A species index is not below the number of elements.
    #[error("species[{index}] = {value} is not below num_elements = {num_elements}")]
    SpeciesOutOfRange {
        /// Position in the batch.
        index: usize,
        /// The species given.
        value: usize,
        /// The block's number of elements.
        num_elements: usize,
    },
    /// The exact side rejected a coefficient request.
    #[error("exact coefficient for ({l1}, {l2}, {l3}) failed: {message}")]
    Exact {
        /// First l.
        l1: u32,
        /// Second l.
        l2: u32,
        /// Coupled l.
        l3: u32,
        /// The exact error's message.
        message: String,
    },
}
