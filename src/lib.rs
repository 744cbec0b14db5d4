//! racah: exact angular-momentum coupling coefficients and certified O(3)-equivariant kernels.
//!
//! This facade re-exports the workspace crates:
//! - [`core`] (`racah-core`): spins, parity, irreps, selection rules, fusion trees;
//! - [`exact`] (`racah-exact`): exact CG, 3j, 6j, 9j, Racah W and the real (e3nn) basis;
//! - [`numeric`] (`racah-numeric`): f32/f64 kernels built from the exact coefficients;
//! - [`proofs`] (`racah-proofs`): identity proofs, equivariance certificates, counting.
//!
//! Conventions: see `CONVENTIONS.md` at the repository root.

#![forbid(unsafe_code)]

pub use racah_core as core;
pub use racah_exact as exact;
pub use racah_numeric as numeric;
pub use racah_proofs as proofs;

#[cfg(feature = "testing")]
pub mod testing;
