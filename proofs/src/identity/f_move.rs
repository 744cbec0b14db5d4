//! [`FMove`]: the recoupling (F-move) of three spins as an identity between tree contractions.

use crate::identity::acc::ExactSum;
use crate::identity::enumerate::{
    common_triads, half, odd, projections, six_j_text, spins, triads,
};
use crate::identity::nine_j_sum::{block, entry};
use crate::identity::six_j_orthogonality::six_j_value;
use crate::identity::{Case, Cases, Failure, Identity};
use racah_core::Spin;
use racah_exact::fmove::f_coefficient;
use racah_exact::SqrtRational;

/// The F-move between the coupling trees `((j1 j2)j12, j3)J` and `(j1, (j2 j3)j23)J`, as the
/// overlap of the two tree contractions against the 6j closed form:
///
/// ```text
/// Σ_{m1 m2} ⟨j1 m1 j2 m2|j12 m12⟩⟨j12 m12 j3 m3|J M⟩ ⟨j2 m2 j3 m3|j23 m23⟩⟨j1 m1 j23 m23|J M⟩
///   = (−1)^(j1+j2+j3+J) √((2j12+1)(2j23+1)) {j1 j2 j12; j3 J j23}      for every M
/// ```
///
/// (`m3 = M − m1 − m2`). Cases `[2j1, 2j2, 2j3, 2j12, 2j23, 2J]`: every admissible labelling
/// of both trees with spins `≤ max_twice_j`; each case checks all `2J+1` projections `M` (the
/// overlap is independent of M), and that racah-exact's F-matrix entry
/// ([`racah_exact::fmove::f_coefficient`]) is the same closed form. The CG coefficients come
/// from [`racah_exact::cg_block`].
///
/// # Convention
/// `CONVENTIONS.md#fusion-trees`, `CONVENTIONS.md#six-j`.
///
/// # Examples
/// ```
/// use racah_proofs::identity::{Case, FMove, Identity};
/// assert!(FMove.check(&Case::new([2, 2, 2, 2, 4, 2])).is_ok());
/// ```
///
/// # References
/// Edmonds (1957), eq. (6.1.5).
#[derive(Clone, Copy, Debug, Default)]
pub struct FMove;

impl Identity for FMove {
    fn name(&self) -> &'static str {
        "f-move"
    }

    fn description(&self) -> &'static str {
        "⟨((j1 j2)j12 j3) J M|(j1 (j2 j3)j23) J M⟩ by CG contraction = (−1)^(j1+j2+j3+J) \
         √((2j12+1)(2j23+1)) {j1 j2 j12; j3 J j23}, every M"
    }

    fn default_bound(&self) -> u32 {
        10
    }

    fn cases(&self, max_twice_j: u32) -> Cases<'_> {
        let n = i64::from(max_twice_j);
        Box::new(spins(n).flat_map(move |a| {
            spins(n).flat_map(move |b| {
                spins(n).flat_map(move |c| {
                    triads(a, b, n).flat_map(move |ab| {
                        triads(b, c, n).flat_map(move |bc| {
                            common_triads(&[(ab, c), (a, bc)], n)
                                .map(move |j| Case::new([a, b, c, ab, bc, j]))
                        })
                    })
                })
            })
        }))
    }

    fn check(&self, case: &Case) -> Result<(), Failure> {
        let [a, b, c, ab, bc, j] = case.array::<6>(6)?;
        // Left tree ((a b)ab, c)j and right tree (a, (b c)bc)j.
        let b_ab = block(case, a, b, ab)?;
        let b_abc = block(case, ab, c, j)?;
        let b_bc = block(case, b, c, bc)?;
        let b_abc2 = block(case, a, bc, j)?;
        let norm = SqrtRational::sqrt_of_ratio(((ab + 1) * (bc + 1)) as u64, 1)
            .map_err(|e| Failure::engine(case, e))?;
        let six = six_j_value(case, [a, b, ab, c, j, bc])?;
        // A nonzero 6j has admissible triads, which make j1+j2+j3+J an integer.
        if !six.is_zero() && (a + b + c + j) % 2 != 0 {
            return Err(Failure::new(
                case,
                "j1+j2+j3+J is not an integer",
                a + b + c + j,
                "",
            ));
        }
        let mut rhs = &norm * &six;
        if odd(a + b + c + j) {
            rhs = -rhs;
        }
        // racah-exact's F-matrix entry must be the same number.
        let spin = |t: i64| Spin::from_twice(t as u32);
        let f = f_coefficient([spin(a), spin(b), spin(c)], spin(j), spin(ab), spin(bc))
            .map_err(|e| Failure::engine(case, e))?;
        if f != rhs {
            let relation = format!(
                "racah_exact::fmove::f_coefficient = (−1)^(j1+j2+j3+J) √((2j12+1)(2j23+1)) {}",
                six_j_text([a, b, ab, c, j, bc])
            );
            return Err(Failure::new(case, relation, f, rhs));
        }
        for m in projections(j) {
            let mut lhs = ExactSum::new();
            for m1 in projections(a) {
                for m2 in projections(b) {
                    let m3 = m - m1 - m2;
                    if m3.abs() > c {
                        continue;
                    }
                    let left = entry(&b_ab, [a, b, ab], m1, m2, m1 + m2)
                        * entry(&b_abc, [ab, c, j], m1 + m2, m3, m);
                    if left.is_zero() {
                        continue;
                    }
                    let right = entry(&b_bc, [b, c, bc], m2, m3, m2 + m3)
                        * entry(&b_abc2, [a, bc, j], m1, m2 + m3, m);
                    lhs.add(&(&left * &right));
                }
            }
            if !lhs.equals(&rhs) {
                let relation = format!(
                    "<(({} {}){} {}) {} {}|({} ({} {}){}) {} {}> = phase·√·{}",
                    half(a),
                    half(b),
                    half(ab),
                    half(c),
                    half(j),
                    half(m),
                    half(a),
                    half(b),
                    half(c),
                    half(bc),
                    half(j),
                    half(m),
                    six_j_text([a, b, ab, c, j, bc])
                );
                return Err(Failure::new(case, relation, lhs, rhs));
            }
        }
        Ok(())
    }
}
