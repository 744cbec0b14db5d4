//! Regression checks of other people's tables and kernels against racah, with a diagnosis of
//! the convention a mismatching table is written in (the engine of `racah check`).
//!
//! # Vocabulary
//! - A [`Table`] holds observed values (CG, 3j, 6j, 9j: [`SymbolTable`]; real coupling
//!   tensors: [`RealCgTable`]; spherical harmonics: [`ShTable`]; Wigner D: [`WignerDTable`];
//!   tensor products: [`TpTable`]), racah's reference for them, and the [`Dimension`]s in
//!   which a convention can differ from racah's (argument order, normalisation, basis, …).
//! - [`check`] compares a table with the reference ([`Comparison`]: max absolute and relative
//!   error, an ulp histogram in the table's [`Dtype`], the worst cases with their arguments),
//!   decides pass/fail by [`Tolerances`] (`max_ulp` or `atol`), and for a failing table runs
//!   the [`Diagnosis`]: racah's values are transformed by every combination of conventions,
//!   simplest first, and the [`Verdict`] names those that match every entry — or says that
//!   none does, and the table is wrong.
//! - The exact kinds (cg, 3j, 6j, 9j, real-cg) are referenced exactly and correctly rounded;
//!   sh, wigner-d and tp by racah's f64 kernels (so their default tolerances are looser).
//! - [`text`] reads JSON and CSV tables; `.npy`/`.npz` reading lives in the `racah` CLI.
//!
//! # Tour
//! ```
//! use racah_proofs::diagnosis::{check, CheckOptions, Dtype, SymbolKind, SymbolTable, Verdict};
//! // a CG table written with sympy's argument order clebsch_gordan(j1, j2, J, m1, m2, M)
//! let rows = vec![vec![2, 2, 4, 2, 0, 2], vec![2, 2, 2, 0, 2, 2]]; // <1 1 1 0|2 1>, <1 0 1 1|1 1>
//! let values = vec![0.5f64.sqrt(), -(0.5f64.sqrt())];
//! let table = SymbolTable::new(SymbolKind::Cg, &rows, values, Dtype::F64)?;
//! let report = check(&table, &CheckOptions::default())?;
//! assert!(!report.passed);
//! let Verdict::OtherConvention { matches } = report.diagnosis.unwrap().verdict else { panic!() };
//! assert_eq!(matches[0].name(), "argument-order=sympy");
//! # Ok::<(), racah_proofs::diagnosis::DiagnosisError>(())
//! ```
//!
//! # Convention
//! racah's conventions are those of `CONVENTIONS.md`; each [`Choice`] describes its
//! alternative with a formula.

mod compare;
mod dtype;
mod engine;
mod error;
mod json;
mod real_cg;
mod sh;
mod symbols;
pub mod text;
mod tp;
mod wigner_d;

pub use compare::{Comparison, Missing, Tolerances, UlpBucket, UlpHistogram, WorstCase};
pub use dtype::Dtype;
pub use engine::{
    check, numeric_tolerances, CheckOptions, Choice, ConventionMatch, Diagnosis, Dimension,
    Reference, Report, Table, Verdict,
};
pub use error::DiagnosisError;
pub use real_cg::{RealCgBlock, RealCgTable};
pub use sh::ShTable;
pub use symbols::{SymbolKind, SymbolTable};
pub use text::{
    named_arrays_from_json, real_cg_block, real_cg_table_from_json, symbol_table_from_csv,
    symbol_table_from_json, ArgUnits,
};
pub use tp::{TpData, TpSpec, TpTable};
pub use wigner_d::{Rotations, WignerDTable};
