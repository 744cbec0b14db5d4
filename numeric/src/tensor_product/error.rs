//! Why a tensor product or linear layer was rejected.

/// Why a [`TensorProduct`](crate::TensorProduct) or [`Linear`](crate::Linear) could not be
/// built, or why its input buffers were rejected.
///
/// Every variant names the offending instruction or buffer and the values involved.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum TensorProductError {
    /// An instruction refers to a term that does not exist.
    #[error("instruction {instruction}: {field} = {index} is out of range ({len} terms)")]
    IndexOutOfRange {
        /// The position of the instruction.
        instruction: usize,
        /// Which index (`"i_in1"`, `"i_in2"`, `"i_out"`, `"i_in"`).
        field: &'static str,
        /// The index that was passed.
        index: usize,
        /// The number of terms of that irreps.
        len: usize,
    },
    /// A connection-mode name that is not one of `uvw`, `uvu`, `uvv`, `uuw`, `uuu`, `uvuv`.
    #[error("unknown connection mode {mode:?} (expected uvw, uvu, uvv, uuw, uuu or uvuv)")]
    UnknownMode {
        /// The name that was passed.
        mode: String,
    },
    /// An irreps term has half-integer spin; O(3) tensor products need integer `l`.
    #[error("{which} term {term} ({mul_irrep}) has half-integer spin; O(3) needs integer l")]
    HalfIntegerIrrep {
        /// Which irreps (`"irreps_in1"`, …).
        which: &'static str,
        /// The position of the term.
        term: usize,
        /// The term, e.g. `"2x3/2e"`.
        mul_irrep: String,
    },
    /// The output irrep is not in the product of the input irreps (triangle or parity).
    #[error("instruction {instruction}: {out} is not in {in1} ⊗ {in2} (triangle or parity)")]
    Selection {
        /// The position of the instruction.
        instruction: usize,
        /// The first input irrep.
        in1: String,
        /// The second input irrep.
        in2: String,
        /// The output irrep.
        out: String,
    },
    /// The multiplicities do not fit the connection mode.
    #[error(
        "instruction {instruction}: mode {mode} needs {rule}, got multiplicities \
         {mul1} ⊗ {mul2} → {mul_out}"
    )]
    Multiplicity {
        /// The position of the instruction.
        instruction: usize,
        /// The connection mode, e.g. `"uvu"`.
        mode: &'static str,
        /// The rule that failed, e.g. `"mul_out = mul1"`.
        rule: &'static str,
        /// Multiplicity of the first input term.
        mul1: usize,
        /// Multiplicity of the second input term.
        mul2: usize,
        /// Multiplicity of the output term.
        mul_out: usize,
    },
    /// The mode needs weights but the instruction has none (e3nn: `uvw` is always weighted).
    #[error("instruction {instruction}: mode {mode} needs has_weight = true")]
    MissingWeight {
        /// The position of the instruction.
        instruction: usize,
        /// The connection mode.
        mode: &'static str,
    },
    /// A path weight that is negative, not finite, or outside the exactly supported range.
    #[error(
        "instruction {instruction}: path weight {value} must be finite, ≥ 0 and within \
         2^±120 (with odd mantissa times dimension factor below 2^64)"
    )]
    PathWeight {
        /// The position of the instruction.
        instruction: usize,
        /// The path weight that was passed.
        value: f64,
    },
    /// An exact coefficient could not be computed.
    #[error("instruction {instruction}: exact coefficient failed: {message}")]
    Exact {
        /// The position of the instruction.
        instruction: usize,
        /// The error from racah-exact.
        message: String,
    },
    /// A size computation overflowed `usize`.
    #[error("{what} overflows usize")]
    Overflow {
        /// What was being computed.
        what: String,
    },
    /// The two inputs of an element-wise product have different numbers of irreps.
    #[error(
        "element-wise product needs inputs with the same number of irreps, got {num1} and {num2}"
    )]
    ElementwiseMismatch {
        /// `irreps_in1.num_irreps()`.
        num1: usize,
        /// `irreps_in2.num_irreps()`.
        num2: usize,
    },
    /// A linear-layer instruction connects different irreps.
    #[error("linear instruction {instruction}: input {ir_in} and output {ir_out} differ")]
    LinearIrrepMismatch {
        /// The position of the instruction.
        instruction: usize,
        /// The input irrep.
        ir_in: String,
        /// The output irrep.
        ir_out: String,
    },
    /// A bias was requested on a non-scalar output (only `0e` may carry a bias).
    #[error("bias on output term {term} ({mul_irrep}): only 0e outputs can have a bias")]
    BiasOnNonScalar {
        /// The output term.
        term: usize,
        /// The term, e.g. `"4x1o"`.
        mul_irrep: String,
    },
    /// The list of bias flags does not have one entry per output term.
    #[error("biases: expected {expected} flags (one per output term), got {got}")]
    BiasFlags {
        /// The number of output terms.
        expected: usize,
        /// The number of flags passed.
        got: usize,
    },
    /// A buffer has the wrong number of elements.
    #[error("shape mismatch for {what}: expected {expected} elements, got {got}")]
    ShapeMismatch {
        /// Which buffer (`"x1"`, `"weights"`, …).
        what: &'static str,
        /// The required length.
        expected: usize,
        /// The length that was passed.
        got: usize,
    },
    /// An [`IrrepsArray`](crate::IrrepsArray) laid out by other irreps than the plan's input.
    #[error("irreps mismatch for {what}: the plan takes {expected}, got {got}")]
    IrrepsMismatch {
        /// Which input.
        what: &'static str,
        /// The plan's irreps.
        expected: String,
        /// The array's irreps.
        got: String,
    },
}
