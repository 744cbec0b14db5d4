//! racah-core: the vocabulary of angular-momentum coupling, with no arithmetic.
//!
//! - [`HalfInt`], [`Spin`], [`Ket`]: integers and half-integers stored doubled.
//! - [`Parity`], [`Irrep`]: O(3) irreps `(l, p)` written `1o`, `2e` as in e3nn.
//!
//! Conventions are documented in the repository's `CONVENTIONS.md`.

#![forbid(unsafe_code)]

mod error;
mod half_int;
mod irrep;
mod parity;

pub use error::CoreError;
pub use half_int::{HalfInt, Ket, Spin};
pub use irrep::Irrep;
pub use parity::Parity;
