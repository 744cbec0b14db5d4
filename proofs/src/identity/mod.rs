//! The identity catalogue: exact identities of angular-momentum coupling, each checked with `==`
//! over *every* argument up to a bound on the doubled spins.
//!
//! An [`Identity`] has a kebab-case name, a description with its formula, a default bound, a
//! deterministic case enumerator ([`Identity::cases`], whose order, and so each case's index,
//! is stable) and a check ([`Identity::check`]) that compares both sides exactly and returns a
//! [`Failure`] naming the arguments and both sides when they differ. [`catalogue`] lists the
//! built-in identities; [`run`] checks one of them in parallel, optionally on one shard of its
//! cases, and returns an [`IdentityReport`](crate::prove_report::IdentityReport).
//!
//! | name | relation |
//! |---|---|
//! | `cg-orthogonality` | Σ_{m1 m2} ⟨j1 m1 j2 m2\|J M⟩⟨j1 m1 j2 m2\|J' M⟩ = δ_JJ' |
//! | `cg-completeness` | Σ_{J M} ⟨j1 m1 j2 m2\|J M⟩⟨j1 m1' j2 m2'\|J M⟩ = δ_m1m1' δ_m2m2' |
//! | `three-j-symmetries` | the 12 column-permutation and m → −m symmetries of 3j |
//! | `six-j-symmetries` | the 144 symmetries of 6j (tetrahedral × Regge), generated |
//! | `six-j-orthogonality` | Σ_x (2x+1)(2y+1) {a b x; c d y}{a b x; c d y'} = δ_yy' |
//! | `racah-sum-rule` | Σ_x (−1)^(p+q+x) (2x+1) {a b x; c d p}{a b x; d c q} = {a c q; b d p} |
//! | `biedenharn-elliott` | Σ_x (−1)^(S+x) (2x+1) {a b x; c d p}{c d x; e f q}{e f x; b a r} = {p q r; e a d}{p q r; f b c} |
//! | `nine-j-six-j-sum` | 9j = Σ_x (−1)^(2x) (2x+1) 6j·6j·6j against the symbol's own value |
//! | `nine-j-cg-contraction` | 9j against the overlap of two coupling schemes of four spins (six CG) |
//! | `nine-j-symmetries` | the 72 symmetries of 9j, generated |
//! | `nine-j-orthogonality` | Σ_{c f} (2c+1)(2f+1)(2g+1)(2h+1) 9j·9j' = δ_gg' δ_hh' |
//! | `f-move` | ⟨((j1 j2)j12 j3) J M\|(j1 (j2 j3)j23) J M⟩ by CG contraction = phase·√·6j |
//! | `wigner-eckart` | ⟨j m'\|T^k_q\|j m⟩ = ⟨j m k q\|j m'⟩·R for tensor operators coupled from J |
//! | `cg-equivariance` | every CG tensor intertwines J_z, J_+ and J_− exactly |
//!
//! # Convention
//! All spins and projections are doubled integers (`CONVENTIONS.md#spins`); symbols follow
//! `CONVENTIONS.md#condon-shortley`, `#six-j` and `#nine-j`.
//!
//! # Examples
//! ```
//! use racah_proofs::identity::{self, Identity};
//! let six_j = identity::find("six-j-symmetries")?;
//! for case in six_j.cases(2) {
//!     assert!(six_j.check(&case).is_ok());
//! }
//! # Ok::<(), racah_proofs::identity::UnknownIdentity>(())
//! ```

mod acc;
mod biedenharn_elliott;
mod case;
mod cg_equivariance;
mod cg_orthogonality;
mod enumerate;
mod f_move;
mod failure;
mod nine_j_orthogonality;
mod nine_j_sum;
mod nine_j_symmetries;
mod racah_sum_rule;
mod runner;
mod six_j_orthogonality;
mod six_j_symmetries;
mod three_j_symmetries;
mod wigner_eckart;

pub use biedenharn_elliott::BiedenharnElliott;
pub use case::{Case, MAX_ARGS};
pub use cg_equivariance::CgEquivariance;
pub use cg_orthogonality::{CgCompleteness, CgOrthogonality};
pub use f_move::FMove;
pub use failure::Failure;
pub use nine_j_orthogonality::NineJOrthogonality;
pub use nine_j_sum::{NineJCgContraction, NineJSixJSum};
pub use nine_j_symmetries::{nine_j_symmetry_group, NineJMap, NineJSymmetries};
pub use racah_sum_rule::RacahSumRule;
pub use runner::{run, RunConfig};
pub use six_j_orthogonality::SixJOrthogonality;
pub use six_j_symmetries::{six_j_symmetry_group, SixJMap, SixJSymmetries};
pub use three_j_symmetries::ThreeJSymmetries;
pub use wigner_eckart::WignerEckart;

use thiserror::Error;

/// A lazily enumerated, deterministic sequence of cases.
pub type Cases<'a> = Box<dyn Iterator<Item = Case> + Send + 'a>;

/// One exact identity, checked case by case.
///
/// Implementations enumerate their cases in a fixed order (a case's position is its index, used
/// for sharding and for the enumeration hash) and compare both sides with `==` in exact
/// arithmetic.
pub trait Identity: Send + Sync {
    /// Kebab-case name, e.g. `six-j-symmetries`.
    fn name(&self) -> &'static str;

    /// One line: what is compared with what, with the formula.
    fn description(&self) -> &'static str;

    /// The bound on doubled spins used when none is given (chosen so that the whole catalogue
    /// runs in a few minutes in a release build on 2 cores).
    fn default_bound(&self) -> u32;

    /// Every case with all free doubled spins `≤ max_twice_j`, in a deterministic order.
    fn cases(&self, max_twice_j: u32) -> Cases<'_>;

    /// Checks one case exactly.
    ///
    /// # Errors
    /// A [`Failure`] naming the arguments, the relation and both sides when they differ (or
    /// when the case is malformed: wrong number of arguments, negative spins).
    fn check(&self, case: &Case) -> Result<(), Failure>;
}

/// An identity name that is not in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown identity `{name}`; valid names: {valid}")]
#[non_exhaustive]
pub struct UnknownIdentity {
    /// The name that was asked for.
    pub name: String,
    /// The valid names, comma-separated.
    pub valid: String,
}

static CATALOGUE: [&dyn Identity; 14] = [
    &CgOrthogonality,
    &CgCompleteness,
    &ThreeJSymmetries,
    &SixJSymmetries,
    &SixJOrthogonality,
    &RacahSumRule,
    &BiedenharnElliott,
    &NineJSixJSum,
    &NineJCgContraction,
    &NineJSymmetries,
    &NineJOrthogonality,
    &FMove,
    &WignerEckart,
    &CgEquivariance,
];

/// Every built-in identity, in the order `racah prove` runs them.
///
/// # Examples
/// ```
/// let names: Vec<_> = racah_proofs::identity::catalogue().iter().map(|i| i.name()).collect();
/// assert!(names.contains(&"biedenharn-elliott"));
/// ```
pub fn catalogue() -> &'static [&'static dyn Identity] {
    &CATALOGUE
}

/// The built-in identity called `name`.
///
/// # Errors
/// [`UnknownIdentity`], listing the valid names, if there is none.
///
/// # Examples
/// ```
/// use racah_proofs::identity;
/// assert_eq!(identity::find("f-move")?.name(), "f-move");
/// let err = identity::find("six-j-symetries").map(|i| i.name()).unwrap_err();
/// assert!(err.to_string().contains("six-j-symmetries"));
/// # Ok::<(), identity::UnknownIdentity>(())
/// ```
pub fn find(name: &str) -> Result<&'static dyn Identity, UnknownIdentity> {
    CATALOGUE
        .iter()
        .copied()
        .find(|i| i.name() == name)
        .ok_or_else(|| UnknownIdentity {
            name: name.to_string(),
            valid: CATALOGUE
                .iter()
                .map(|i| i.name())
                .collect::<Vec<_>>()
                .join(", "),
        })
}
