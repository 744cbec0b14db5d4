//! racah-core: the vocabulary of angular-momentum coupling, with no arithmetic.
//!
//! # Vocabulary
//! - [`HalfInt`], [`Spin`], [`Ket`]: integers and half-integers stored doubled; `Spin` is a
//!   non-negative j, `Ket` a checked |j m⟩.
//! - [`Parity`], [`Irrep`]: O(3) irreps `(j, p)` written `1o`, `2e`, `3/2e` as in e3nn.
//! - [`MulIrrep`], [`Irreps`]: direct sums with multiplicities, `"16x0e+8x1o"`, with e3nn's
//!   grammar and operations (`simplify`, `sort`, `slices`, …).
//! - Selection rules: [`triangle`], [`m_range`], [`couplings`], [`Irrep::tensor`].
//! - Products: [`tensor_product_paths`] / [`tensor_product_irreps`] (e3nn's
//!   `FullTensorProduct`) and [`Irreps::multiplicity_in_product`] for k-fold products.
//! - [`fusion`]: binary coupling trees ([`fusion::FusionTree`]) and their admissible labellings
//!   ([`fusion::LabelledFusionTree`], `((1o,1o)->1e,1o)->0o`).
//! - [`CoreError`]: every structural mistake, with the offending value in the message.
//!
//! A selection-rule zero (a triangle that does not close, a parity that does not match) is
//! never an error here: predicates return `false`, counts return 0.
//!
//! # Tour
//! ```
//! use racah_core::{fusion::FusionTree, tensor_product_irreps, triangle, Irrep, Irreps, Spin};
//! let sh = Irreps::spherical_harmonics(2); // 1x0e+1x1o+1x2e
//! let x: Irreps = "8x0e + 4x1o".parse()?; // e3nn grammar
//! assert_eq!(x.to_string(), "8x0e+4x1o");
//! assert_eq!(tensor_product_irreps(&x, &sh)?.to_string(), "12x0e+16x1o+4x1e+4x2o+12x2e+4x3o");
//! assert!(triangle(Spin::int(1), Spin::int(2), Spin::int(3)));
//! let v: Irrep = "1o".parse()?;
//! let paths = FusionTree::left_associated(3)?.labellings(&[v; 3], "0o".parse()?)?;
//! assert_eq!(paths[0].to_string(), "((1o,1o)->1e,1o)->0o"); // the triple product
//! # Ok::<(), racah_core::CoreError>(())
//! ```
//!
//! Conventions are documented in the repository's `CONVENTIONS.md`.
//!
//! # Features
//! - `testing`: the `testing` module, proptest strategies that construct admissible spins,
//!   kets, 6j/9j symbols and irreps (used by this workspace's tests).

#![forbid(unsafe_code)]

mod error;
pub mod fusion;
mod half_int;
mod irrep;
mod irreps;
mod irreps_parse;
mod parity;
mod product;
mod selection;
#[cfg(feature = "testing")]
pub mod testing;

pub use error::CoreError;
pub use half_int::{HalfInt, Ket, Spin};
pub use irrep::Irrep;
pub use irreps::{Irreps, MulIrrep, SortedIrreps};
pub use parity::Parity;
pub use product::{tensor_product_irreps, tensor_product_paths, Path};
pub use selection::{couplings, m_range, triangle, Couplings, IrrepProduct};
