//! [`SixJOrthogonality`]: orthogonality of 6j symbols.

use crate::identity::acc::ExactSum;
use crate::identity::enumerate::{common_triads, four_spins_two_labels, half, CouplingPairs};
use crate::identity::{Case, Cases, Failure, Identity};
use racah_exact::{SixJ, SqrtRational};

/// `{t0 t1 t2; t3 t4 t5}` (doubled) for a check of `case`.
pub(crate) fn six_j_value(case: &Case, t: [i64; 6]) -> Result<SqrtRational, Failure> {
    SixJ::from_twice(t[0], t[1], t[2], t[3], t[4], t[5])
        .map(|s| s.value())
        .map_err(|e| Failure::engine(case, e))
}

/// Orthogonality of 6j symbols:
///
/// ```text
/// Σ_x (2x+1)(2y+1) {a b x; c d y} {a b x; c d y'} = δ_yy'
/// ```
///
/// Cases `[2a, 2b, 2c, 2d, 2y, 2y']` with spins `≤ max_twice_j` and `(a d y)`, `(c b y)`,
/// `(a d y')`, `(c b y')` admissible (otherwise both sides vanish term by term). The sum runs
/// over every x with `(a b x)` and `(c d x)` admissible, up to `min(a+b, c+d)`.
///
/// # Convention
/// `CONVENTIONS.md#six-j`.
///
/// # Examples
/// ```
/// use racah_proofs::identity::{Case, Identity, SixJOrthogonality};
/// assert!(SixJOrthogonality.check(&Case::new([2, 2, 2, 2, 0, 4])).is_ok());
/// ```
///
/// # References
/// Edmonds (1957), eq. (6.2.9).
#[derive(Clone, Copy, Debug, Default)]
pub struct SixJOrthogonality;

impl Identity for SixJOrthogonality {
    fn name(&self) -> &'static str {
        "six-j-orthogonality"
    }

    fn description(&self) -> &'static str {
        "Σ_x (2x+1)(2y+1) {a b x; c d y}{a b x; c d y'} = δ_yy'"
    }

    fn default_bound(&self) -> u32 {
        18
    }

    fn cases(&self, max_twice_j: u32) -> Cases<'_> {
        let n = i64::from(max_twice_j);
        let pairs: CouplingPairs = |a, b, c, d| [(a, d), (c, b)];
        Box::new(four_spins_two_labels(n, pairs, pairs).map(Case::new))
    }

    fn check(&self, case: &Case) -> Result<(), Failure> {
        let [a, b, c, d, y, y2] = case.array::<6>(6)?;
        let mut lhs = ExactSum::new();
        for x in common_triads(&[(a, b), (c, d)], i64::MAX) {
            let u = six_j_value(case, [a, b, x, c, d, y])?;
            let v = six_j_value(case, [a, b, x, c, d, y2])?;
            let w = SqrtRational::from((x + 1) * (y + 1));
            lhs.add(&(&(&u * &v) * &w));
        }
        let rhs = if y == y2 {
            SqrtRational::ONE
        } else {
            SqrtRational::ZERO
        };
        if lhs.equals(&rhs) {
            return Ok(());
        }
        let [a, b, c, d, ys, y2s] = [a, b, c, d, y, y2].map(half);
        let relation =
            format!("Σ_x (2x+1)(2y+1) {{{a} {b} x; {c} {d} {ys}}}{{{a} {b} x; {c} {d} {y2s}}} = δ");
        Err(Failure::new(case, relation, lhs, rhs))
    }
}
