//! [`NineJOrthogonality`]: orthogonality of 9j symbols.

use crate::identity::acc::ExactSum;
use crate::identity::enumerate::{half, spins, triad, triads};
use crate::identity::nine_j_sum::nine_j_value;
use crate::identity::{Case, Cases, Failure, Identity};
use racah_exact::SqrtRational;

/// Orthogonality of 9j symbols:
///
/// ```text
/// Σ_{c f} (2c+1)(2f+1)(2g+1)(2h+1) {a b c; d e f; g h j} {a b c; d e f; g' h' j} = δ_gg' δ_hh'
/// ```
///
/// Cases `[2a, 2b, 2d, 2e, 2j, 2g, 2h, 2g', 2h']` with spins `≤ max_twice_j` and the triads
/// `(a d g)`, `(b e h)`, `(g h j)`, `(a d g')`, `(b e h')`, `(g' h' j)` admissible (otherwise
/// both sides vanish term by term). The sum runs over every `c` of `a ⊗ b` and `f` of
/// `d ⊗ e` with `(c f j)` admissible.
///
/// # Convention
/// `CONVENTIONS.md#nine-j`.
///
/// # Examples
/// ```
/// use racah_proofs::identity::{Case, Identity, NineJOrthogonality};
/// assert!(NineJOrthogonality.check(&Case::new([2, 2, 2, 2, 2, 2, 2, 0, 2])).is_ok());
/// ```
///
/// # References
/// Edmonds (1957), eq. (6.4.6).
#[derive(Clone, Copy, Debug, Default)]
pub struct NineJOrthogonality;

impl Identity for NineJOrthogonality {
    fn name(&self) -> &'static str {
        "nine-j-orthogonality"
    }

    fn description(&self) -> &'static str {
        "Σ_{c f} (2c+1)(2f+1)(2g+1)(2h+1) {a b c; d e f; g h j}{a b c; d e f; g' h' j} = δ_gg' δ_hh'"
    }

    fn default_bound(&self) -> u32 {
        6
    }

    fn cases(&self, max_twice_j: u32) -> Cases<'_> {
        let n = i64::from(max_twice_j);
        let gh = move |a: i64, b: i64, d: i64, e: i64, j: i64| {
            triads(a, d, n).flat_map(move |g| {
                triads(b, e, n).filter_map(move |h| triad(g, h, j).then_some((g, h)))
            })
        };
        Box::new(spins(n).flat_map(move |a| {
            spins(n).flat_map(move |b| {
                spins(n).flat_map(move |d| {
                    spins(n).flat_map(move |e| {
                        spins(n).flat_map(move |j| {
                            gh(a, b, d, e, j).flat_map(move |(g, h)| {
                                gh(a, b, d, e, j)
                                    .map(move |(g2, h2)| Case::new([a, b, d, e, j, g, h, g2, h2]))
                            })
                        })
                    })
                })
            })
        }))
    }

    fn check(&self, case: &Case) -> Result<(), Failure> {
        let [a, b, d, e, j, g, h, g2, h2] = case.array::<9>(9)?;
        let mut lhs = ExactSum::new();
        for c in triads(a, b, i64::MAX) {
            for f in triads(d, e, i64::MAX) {
                if !triad(c, f, j) {
                    continue;
                }
                let u = nine_j_value(case, [a, b, c, d, e, f, g, h, j])?;
                if u.is_zero() {
                    continue;
                }
                let v = nine_j_value(case, [a, b, c, d, e, f, g2, h2, j])?;
                let w = SqrtRational::from((c + 1) * (f + 1) * (g + 1) * (h + 1));
                lhs.add(&(&(&u * &v) * &w));
            }
        }
        let rhs = if g == g2 && h == h2 {
            SqrtRational::ONE
        } else {
            SqrtRational::ZERO
        };
        if lhs.equals(&rhs) {
            return Ok(());
        }
        let [a, b, d, e, j, g, h, g2, h2] = [a, b, d, e, j, g, h, g2, h2].map(half);
        let relation = format!(
            "Σ_(c f) (2c+1)(2f+1)(2g+1)(2h+1) {{{a} {b} c; {d} {e} f; {g} {h} {j}}}\
             {{{a} {b} c; {d} {e} f; {g2} {h2} {j}}} = δ_gg' δ_hh'"
        );
        Err(Failure::new(case, relation, lhs, rhs))
    }
}
