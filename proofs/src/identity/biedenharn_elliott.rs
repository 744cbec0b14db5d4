//! [`BiedenharnElliott`]: the Biedenharn–Elliott identity (pentagon relation) for 6j symbols.

use crate::identity::acc::ExactSum;
use crate::identity::enumerate::{common_triads, halves, odd, six_j_text, spins};
use crate::identity::six_j_orthogonality::six_j_value;
use crate::identity::{Case, Cases, Failure, Identity};
use racah_exact::SqrtRational;

/// The Biedenharn–Elliott identity:
///
/// ```text
/// Σ_x (−1)^(S+x) (2x+1) {a b x; c d p} {c d x; e f q} {e f x; b a r}
///     = {p q r; e a d} {p q r; f b c},        S = a+b+c+d+e+f+p+q+r
/// ```
///
/// Cases `[2a, 2b, 2c, 2d, 2e, 2f, 2p, 2q, 2r]` with spins `≤ max_twice_j` and the six triads
/// `(a d p)`, `(b c p)`, `(c f q)`, `(d e q)`, `(a e r)`, `(b f r)` admissible (otherwise both
/// sides vanish term by term); `(p q r)` is not required, so the cases where the right side is
/// a triangle zero check a cancellation on the left. The sum runs over every x with `(a b x)`,
/// `(c d x)`, `(e f x)` admissible.
///
/// # Convention
/// `CONVENTIONS.md#six-j`.
///
/// # Examples
/// ```
/// use racah_proofs::identity::{BiedenharnElliott, Case, Identity};
/// assert!(BiedenharnElliott.check(&Case::new([2, 2, 2, 2, 2, 2, 2, 2, 2])).is_ok());
/// ```
///
/// # References
/// Biedenharn, J. Math. Phys. 31 (1953) 287; Elliott, Proc. R. Soc. A 218 (1953) 345;
/// Edmonds (1957), eq. (6.2.12).
#[derive(Clone, Copy, Debug, Default)]
pub struct BiedenharnElliott;

impl Identity for BiedenharnElliott {
    fn name(&self) -> &'static str {
        "biedenharn-elliott"
    }

    fn description(&self) -> &'static str {
        "Σ_x (−1)^(S+x) (2x+1) {a b x; c d p}{c d x; e f q}{e f x; b a r} = \
         {p q r; e a d}{p q r; f b c}, S = a+b+c+d+e+f+p+q+r"
    }

    fn default_bound(&self) -> u32 {
        8
    }

    fn cases(&self, max_twice_j: u32) -> Cases<'_> {
        let n = i64::from(max_twice_j);
        Box::new(spins(n).flat_map(move |a| {
            spins(n).flat_map(move |b| {
                spins(n).flat_map(move |c| {
                    spins(n).flat_map(move |d| {
                        spins(n).flat_map(move |e| {
                            spins(n).flat_map(move |f| {
                                common_triads(&[(a, d), (b, c)], n).flat_map(move |p| {
                                    common_triads(&[(c, f), (d, e)], n).flat_map(move |q| {
                                        common_triads(&[(a, e), (b, f)], n)
                                            .map(move |r| Case::new([a, b, c, d, e, f, p, q, r]))
                                    })
                                })
                            })
                        })
                    })
                })
            })
        }))
    }

    fn check(&self, case: &Case) -> Result<(), Failure> {
        let t = case.array::<9>(9)?;
        let [a, b, c, d, e, f, p, q, r] = t;
        let s: i64 = t.iter().sum();
        let mut lhs = ExactSum::new();
        for x in common_triads(&[(a, b), (c, d), (e, f)], i64::MAX) {
            if (s + x) % 2 != 0 {
                return Err(Failure::new(case, "S + x is not an integer", s + x, ""));
            }
            let u = six_j_value(case, [a, b, x, c, d, p])?;
            let v = six_j_value(case, [c, d, x, e, f, q])?;
            let w = six_j_value(case, [e, f, x, b, a, r])?;
            let term = &(&(&u * &v) * &w) * &SqrtRational::from(x + 1);
            lhs.add_signed(&term, odd(s + x));
        }
        let rhs = &six_j_value(case, [p, q, r, e, a, d])? * &six_j_value(case, [p, q, r, f, b, c])?;
        if lhs.equals(&rhs) {
            return Ok(());
        }
        let relation = format!(
            "Biedenharn–Elliott at (a b c d e f p q r) = ({}): Σ_x … = {}{}",
            halves(&t, " "),
            six_j_text([p, q, r, e, a, d]),
            six_j_text([p, q, r, f, b, c])
        );
        Err(Failure::new(case, relation, lhs, rhs))
    }
}
