//! Errors of the numeric crate.

/// Why numeric input was rejected.
///
/// Constructors that take user data (rotation matrices, quaternions, angles, shapes) return this
/// error; hot kernels document their shape contract under `# Panics` instead.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum NumericError {
    /// A buffer has the wrong number of elements.
    #[error("shape mismatch for {what}: expected {expected} elements, got {got}")]
    ShapeMismatch {
        /// Which buffer.
        what: &'static str,
        /// The required length.
        expected: usize,
        /// The length that was passed.
        got: usize,
    },
    /// A 3×3 matrix is not orthogonal within the tolerance.
    #[error(
        "matrix {matrix:?} is not orthogonal: max |MᵀM − I| = {deviation:e} exceeds {tolerance:e}"
    )]
    NotOrthogonal {
        /// The matrix, row-major.
        matrix: [[f64; 3]; 3],
        /// The largest entry of |MᵀM − I|.
        deviation: f64,
        /// The accepted deviation.
        tolerance: f64,
    },
    /// An orthogonal matrix has determinant −1 where a proper rotation was required.
    #[error("matrix {matrix:?} has determinant {det}, a rotation needs +1 (use O3Element for −1)")]
    NotProperRotation {
        /// The matrix, row-major.
        matrix: [[f64; 3]; 3],
        /// Its determinant.
        det: f64,
    },
    /// A quaternion is not of unit norm within the tolerance.
    #[error("quaternion {quaternion:?} has norm {norm}, expected 1 within {tolerance:e}")]
    NotUnitQuaternion {
        /// The quaternion `[w, x, y, z]`.
        quaternion: [f64; 4],
        /// Its Euclidean norm.
        norm: f64,
        /// The accepted deviation of the norm from 1.
        tolerance: f64,
    },
    /// A rotation axis is zero (or too small to normalise).
    #[error("rotation axis {axis:?} has zero length")]
    ZeroAxis {
        /// The axis that was passed.
        axis: [f64; 3],
    },
    /// An input value is NaN or infinite.
    #[error("non-finite {what} at index {index}")]
    NonFinite {
        /// Which input.
        what: &'static str,
        /// The position of the first non-finite value.
        index: usize,
    },
    /// The requested degree exceeds what the kernel supports.
    #[error("l_max = {l_max} exceeds the supported maximum {max}")]
    LMaxTooLarge {
        /// The requested maximum degree.
        l_max: u32,
        /// The largest supported maximum degree.
        max: u32,
    },
    /// A degree above the computed `l_max` was requested.
    #[error("degree l = {l} is above l_max = {l_max}")]
    DegreeOutOfRange {
        /// The requested degree.
        l: u32,
        /// The largest computed degree.
        l_max: u32,
    },
    /// An irrep with half-integer spin was passed where an O(3) irrep (integer l) is required.
    #[error("irrep {irrep} has half-integer spin; O(3) acts only on integer l")]
    HalfIntegerIrrep {
        /// The irrep, in e3nn notation.
        irrep: String,
    },
    /// A tensor product or linear map refused its plan or its input.
    #[error(transparent)]
    TensorProduct(#[from] crate::TensorProductError),
    /// A fusion block refused its plan or its input.
    #[error(transparent)]
    FusionBlock(#[from] crate::FusionBlockError),
}
