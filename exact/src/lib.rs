//! racah-exact: exact angular-momentum coupling coefficients, correctly rounded.
//!
//! # Vocabulary
//! - [`SqrtRational`]: an exact `r·√d` (r rational, d square-free): the value of every CG, 3j,
//!   6j, 9j and Racah W coefficient. [`SqrtSum`]: an exact `Σ r_d √d` (sums of such values).
//! - [`Cg`], [`ThreeJ`], [`SixJ`], [`NineJ`], [`RacahW`]: symbols as data. Structure is checked in
//!   `new` / `from_twice` (doubled integers: `3` means 3/2); a selection-rule violation is the
//!   value 0, never an error. `.value()` is exact, `.value_f64()` / `.value_f32()` are correctly
//!   rounded, and symmetry methods return another symbol.
//! - [`FactorialCache`]: prime factorisations of n!, grown on demand; `.value()` uses a
//!   thread-local default, `.value_with(&mut cache)` an explicit one.
//! - [`cg_block`]: all CG coefficients of one `(j1, j2, J)` at once.
//! - [`sqrt_ratio_to_f64`] / [`sqrt_ratio_to_f32`]: correctly rounded `√(p/q)` for machine
//!   integers (what numeric tables are built from).
//!
//! # Tour
//! ```
//! use racah_exact::{Cg, SixJ, SqrtRational};
//! let c = Cg::from_twice(2, 0, 2, 2, 2, 2)?;            // ⟨1 0 1 1|1 1⟩
//! assert_eq!(c.value().to_string(), "-sqrt(2)/2");
//! assert_eq!(c.value_f64(), -std::f64::consts::FRAC_1_SQRT_2);
//! let s = SixJ::from_twice(6, 6, 6, 6, 6, 6)?;         // {3 3 3; 3 3 3}
//! assert_eq!(s.value(), SqrtRational::rational(-1, 14));
//! assert_eq!(s.swap_columns(0, 2)?.value(), s.value()); // symmetries are symbols too
//! assert!(Cg::from_twice(4, 2, 4, 2, 6, 4)?.value().is_zero()); // ⟨2 1 2 1|3 2⟩ = 0
//! # Ok::<(), racah_exact::ExactError>(())
//! ```
//!
//! # How values are computed
//! Racah's single-sum formulas with factorials as prime-exponent vectors: the radicand is read
//! off from odd exponents, so no big number is ever factored. Small arguments (factorials up to
//! 63!) take an allocation-free machine-integer path (i128 sums, checked); larger ones, or any
//! overflow, take the GMP path. Both give the same canonical value (tested exhaustively).
//! Rounding to f64/f32 is done once from the exact value (`CONVENTIONS.md#rounding`).
//!
//! # Features
//! - `testing`: proptest strategies for admissible symbols (the `racah_exact::testing` module).
#![forbid(unsafe_code)]

mod arith;
mod block;
mod cg;
pub mod contract;
mod error;
mod factorial;
mod fast;
pub mod fmove;
mod generators;
mod nine_j;
mod racah_sum;
mod racah_w;
mod real_basis;
mod rounding;
mod six_j;
mod spins;
mod sqrt_rational;
mod sqrt_sum;
mod three_j;

pub use block::{cg_block, cg_block_f64, cg_block_with, CgBlock};
pub use cg::Cg;
pub use contract::{contract, Basis, ExactTensor};
pub use error::ExactError;
pub use factorial::FactorialCache;
pub use generators::{j_minus, j_plus, j_z, real_generators, SparseMatrix};
pub use nine_j::NineJ;
pub use racah_w::RacahW;
pub use real_basis::{
    q_matrix, real_cg, real_cg_with, ComplexMatrix, ComplexSqrtSum, RealCgTensor,
};
pub use rounding::{sqrt_ratio_to_f32, sqrt_ratio_to_f64};
pub use six_j::SixJ;
pub use sqrt_rational::SqrtRational;
pub use sqrt_sum::SqrtSum;
pub use three_j::ThreeJ;

#[cfg(feature = "testing")]
pub mod testing;
