//! [`RacahSumRule`]: Racah's sum rule for 6j symbols.

use crate::identity::acc::ExactSum;
use crate::identity::enumerate::{common_triads, four_spins_two_labels, half, odd, six_j_text};
use crate::identity::six_j_orthogonality::six_j_value;
use crate::identity::{Case, Cases, Failure, Identity};
use racah_exact::SqrtRational;

/// Racah's sum rule:
///
/// ```text
/// Σ_x (−1)^(p+q+x) (2x+1) {a b x; c d p} {a b x; d c q} = {a c q; b d p}
/// ```
///
/// Cases `[2a, 2b, 2c, 2d, 2p, 2q]` with spins `≤ max_twice_j` and `(a d p)`, `(b c p)`,
/// `(a c q)`, `(b d q)` admissible (otherwise both sides vanish). The sum runs over every x
/// with `(a b x)` and `(c d x)` admissible.
///
/// # Convention
/// `CONVENTIONS.md#six-j`.
///
/// # Examples
/// ```
/// use racah_proofs::identity::{Case, Identity, RacahSumRule};
/// assert!(RacahSumRule.check(&Case::new([2, 2, 2, 2, 2, 4])).is_ok());
/// ```
///
/// # References
/// Edmonds (1957), eq. (6.2.12); Varshalovich et al. (1988), §9.8.
#[derive(Clone, Copy, Debug, Default)]
pub struct RacahSumRule;

impl Identity for RacahSumRule {
    fn name(&self) -> &'static str {
        "racah-sum-rule"
    }

    fn description(&self) -> &'static str {
        "Σ_x (−1)^(p+q+x) (2x+1) {a b x; c d p}{a b x; d c q} = {a c q; b d p}"
    }

    fn default_bound(&self) -> u32 {
        16
    }

    fn cases(&self, max_twice_j: u32) -> Cases<'_> {
        let n = i64::from(max_twice_j);
        Box::new(
            four_spins_two_labels(
                n,
                |a, b, c, d| [(a, d), (b, c)],
                |a, b, c, d| [(a, c), (b, d)],
            )
            .map(Case::new),
        )
    }

    fn check(&self, case: &Case) -> Result<(), Failure> {
        let [a, b, c, d, p, q] = case.array::<6>(6)?;
        let mut lhs = ExactSum::new();
        for x in common_triads(&[(a, b), (c, d)], i64::MAX) {
            let u = six_j_value(case, [a, b, x, c, d, p])?;
            let v = six_j_value(case, [a, b, x, d, c, q])?;
            let w = SqrtRational::from(x + 1);
            lhs.add_signed(&(&(&u * &v) * &w), odd(p + q + x));
        }
        let rhs = six_j_value(case, [a, c, q, b, d, p])?;
        if lhs.equals(&rhs) {
            return Ok(());
        }
        let [sa, sb, sc, sd, sp, sq] = [a, b, c, d, p, q].map(half);
        let relation = format!(
            "Σ_x (−1)^(p+q+x)(2x+1) {{{sa} {sb} x; {sc} {sd} {sp}}}{{{sa} {sb} x; {sd} {sc} {sq}}} = {}",
            six_j_text([a, c, q, b, d, p])
        );
        Err(Failure::new(case, relation, lhs, rhs))
    }
}
