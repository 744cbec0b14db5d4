//! [`ThreeJSymmetries`]: column permutations and m → −m of the 3j symbol.

use crate::identity::enumerate::{halves, odd, projections, spins, triads};
use crate::identity::{Case, Cases, Failure, Identity};
use racah_exact::ThreeJ;

/// The six permutations of three columns, with their parity (`true` = odd).
const PERMUTATIONS: [([usize; 3], bool); 6] = [
    ([0, 1, 2], false),
    ([1, 2, 0], false),
    ([2, 0, 1], false),
    ([1, 0, 2], true),
    ([0, 2, 1], true),
    ([2, 1, 0], true),
];

/// The twelve symmetries of the 3j symbol: every column permutation, with and without m → −m.
///
/// ```text
/// (j_σ1 j_σ2 j_σ3; ±m_σ1 ±m_σ2 ±m_σ3) = ε · (j1 j2 j3; m1 m2 m3),
/// ε = (−1)^(j1+j2+j3) if σ is odd xor the m's are negated, else 1
/// ```
///
/// Cases `[2j1, 2j2, 2j3, 2m1, 2m2, 2m3]`: every triangle-admissible triple with spins
/// `≤ max_twice_j` and every `m1, m2` with `m3 = −m1 − m2` in range (other arguments are
/// selection-rule zeros on both sides). Each case checks the 11 non-trivial images.
///
/// # Convention
/// `CONVENTIONS.md#three-j`.
///
/// # Examples
/// ```
/// use racah_proofs::identity::{Case, Identity, ThreeJSymmetries};
/// assert!(ThreeJSymmetries.check(&Case::new([2, 2, 2, 2, -2, 0])).is_ok());
/// ```
///
/// # References
/// Edmonds (1957), eqs. (3.7.5)–(3.7.6).
#[derive(Clone, Copy, Debug, Default)]
pub struct ThreeJSymmetries;

impl Identity for ThreeJSymmetries {
    fn name(&self) -> &'static str {
        "three-j-symmetries"
    }

    fn description(&self) -> &'static str {
        "(j_σ1 j_σ2 j_σ3; ±m_σ) = (−1)^((j1+j2+j3)·[σ odd xor −m]) (j1 j2 j3; m1 m2 m3), 12 symmetries"
    }

    fn default_bound(&self) -> u32 {
        30
    }

    fn cases(&self, max_twice_j: u32) -> Cases<'_> {
        let n = i64::from(max_twice_j);
        Box::new(spins(n).flat_map(move |a| {
            spins(n).flat_map(move |b| {
                triads(a, b, n).flat_map(move |c| {
                    projections(a).flat_map(move |x| {
                        projections(b).filter_map(move |y| {
                            let z = -x - y;
                            (z.abs() <= c).then(|| Case::new([a, b, c, x, y, z]))
                        })
                    })
                })
            })
        }))
    }

    fn check(&self, case: &Case) -> Result<(), Failure> {
        let t = case.array::<6>(3)?;
        let (tj, tm) = ([t[0], t[1], t[2]], [t[3], t[4], t[5]]);
        let three_j = |j: [i64; 3], m: [i64; 3]| {
            ThreeJ::from_twice(j[0], j[1], j[2], m[0], m[1], m[2])
                .map(|s| s.value())
                .map_err(|e| Failure::engine(case, e))
        };
        let v = three_j(tj, tm)?;
        let flip = odd(tj[0] + tj[1] + tj[2]);
        for (p, odd_perm) in PERMUTATIONS {
            for negate in [false, true] {
                if p == [0, 1, 2] && !negate {
                    continue;
                }
                let j = p.map(|k| tj[k]);
                let m = p.map(|k| if negate { -tm[k] } else { tm[k] });
                let w = three_j(j, m)?;
                let want = if flip && (odd_perm != negate) {
                    -&v
                } else {
                    v.clone()
                };
                if w != want {
                    let relation = format!(
                        "({}; {}) = ±({}; {})",
                        halves(&j, " "),
                        halves(&m, " "),
                        halves(&tj, " "),
                        halves(&tm, " ")
                    );
                    return Err(Failure::new(case, relation, w, want));
                }
            }
        }
        Ok(())
    }
}
