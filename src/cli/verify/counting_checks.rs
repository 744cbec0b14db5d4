//! Universality bounds by counting (MATH.md §5): exact counts, and the rank of fusion blocks
//! and of the shipped models' product layers against them.

use super::Check;

pub(super) fn checks() -> Vec<Check> {
    vec![Check {
        section: "counting",
        name: "universality",
        description: "completeness and parsimony of fusion blocks (issue 7)",
        run: None,
        identity: None,
    }]
}
