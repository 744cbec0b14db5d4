//! [`Failure`]: a case where the two sides of an identity differ.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A case where an identity does not hold: the arguments, the relation that was compared and
/// both sides as exact text.
///
/// # Examples
/// ```
/// use racah_proofs::identity::{Case, Failure};
/// let f = Failure::new(&Case::new([2, 2, 2, 2, 2, 2]), "{1 1 1; 1 1 1} = image 3", "1/6", "-1/6");
/// assert_eq!(f.to_string(), "2 2 2 2 2 2: {1 1 1; 1 1 1} = image 3: lhs 1/6, rhs -1/6");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// The case's arguments (doubled), as in its canonical text.
    pub arguments: String,
    /// The relation compared, with the arguments in the usual notation (`{1 1 1; 1 1 1}`).
    pub relation: String,
    /// The left-hand side, exact.
    pub lhs: String,
    /// The right-hand side, exact.
    pub rhs: String,
}

impl Failure {
    /// A failure of `relation` at `case` with the two sides `lhs` and `rhs`.
    pub fn new(
        case: impl fmt::Display,
        relation: impl Into<String>,
        lhs: impl fmt::Display,
        rhs: impl fmt::Display,
    ) -> Failure {
        Failure {
            arguments: case.to_string(),
            relation: relation.into(),
            lhs: lhs.to_string(),
            rhs: rhs.to_string(),
        }
    }

    /// A case the exact engine refused (the error text stands as the left-hand side).
    pub fn engine(case: impl fmt::Display, error: impl fmt::Display) -> Failure {
        Failure::new(case, "evaluation error", error, "")
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: lhs {}, rhs {}",
            self.arguments, self.relation, self.lhs, self.rhs
        )
    }
}

impl std::error::Error for Failure {}
