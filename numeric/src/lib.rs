//! racah-numeric: f32/f64 kernels for O(3)-equivariant models, with every coefficient taken
//! from an exact value and rounded once.
//!
//! Vocabulary:
//! - [`SphericalHarmonics`]: batched real spherical harmonics Y_lm (e3nn convention: y is the
//!   polar axis, Y_1 ∝ (x, y, z)), solid harmonics and analytic gradients; normalisations
//!   [`ShNormalization`].
//! - [`Rotation`], [`O3Element`]: SO(3) and O(3) elements from matrices, quaternions, e3nn
//!   Euler angles ([`angles_to_matrix`], [`matrix_to_angles`]) or axis–angle; Haar sampling.
//! - [`WignerD`]: the real-basis Wigner D matrices with Y(R x) = D(R) Y(x) and D^1(R) = R;
//!   [`O3Element::d_irrep`] for parity-carrying irreps.
//! - [`IrrepsArray`]: a batch of features laid out by an `Irreps` (row-major, e3nn layout).
//! - Layout helpers [`lm_index`], [`sh_dim`]; [`Tolerance`] for stating numeric error in
//!   units of machine epsilon; the element trait [`Float`] (f32, f64).
//!
//! A tour:
//! ```
//! use racah_numeric::{Rotation, ShNormalization, SphericalHarmonics, Tolerance, WignerD};
//! use rand::SeedableRng;
//! let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(0);
//! let sh = SphericalHarmonics::<f64>::new(4, ShNormalization::Component, true)?;
//! let r = Rotation::random(&mut rng);
//! let d = WignerD::<f64>::new(4, &r)?;
//! let x = [0.1, 0.7, -0.2];
//! let mut rotated = vec![0.0; sh.dim()];
//! d.apply_sh(&sh.compute_point(x), &mut rotated);
//! let err = Tolerance::max_abs_diff(&rotated, &sh.compute_point(r.apply(x)));
//! assert!(Tolerance::scaled::<f64>(64.0).allows(err, 3.0));
//! # Ok::<(), racah_numeric::NumericError>(())
//! ```
//!
//! Conventions are documented in the repository's `CONVENTIONS.md`.
//!
//! # Features
//! - `rayon` (default): batched kernels split large batches over rayon's thread pool.

#![deny(unsafe_code)] // two exceptions: `dispatch` (a `#[target_feature]` clone), `stream`

mod approx;
mod dispatch;
mod error;
mod float;
mod fusion_block;
mod layout;
mod linear;
pub mod network;
mod rotation;
mod sh;
mod stream;
mod tensor_product;
mod wigner_d;

pub use approx::Tolerance;
pub use dispatch::{force_baseline, instruction_set};
pub use error::NumericError;
pub use float::{DoubleDouble, Dual, Float};
pub use fusion_block::{
    FusionBlock, FusionBlockError, FusionBlockOptions, FusionPath, LeafOrder, ParsimonyReport,
    MAX_CORRELATION, RANK_GAP,
};
pub use layout::{checked_lm_index, lm_from_index, lm_index, sh_dim, IrrepsArray};
pub use linear::Linear;
pub use rotation::{angles_to_matrix, matrix_to_angles, O3Element, Rotation};
pub use sh::{ShNormalization, SphericalHarmonics};
pub use stream::{llc_bytes, StoreMode};
pub use tensor_product::{
    channel_wise_instructions, Coefficient, ConnectionMode, Instruction, IrrepNormalization,
    PathNormalization, TensorProduct, TensorProductError, TensorProductOptions, Weights,
};
pub use wigner_d::{WignerD, WignerDCalculator};
