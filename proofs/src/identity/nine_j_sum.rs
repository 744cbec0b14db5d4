//! The 9j symbol against two independent routes: [`NineJSixJSum`] (the sum over products of
//! three 6j) and [`NineJCgContraction`] (the overlap of two coupling schemes of four spins).

use crate::identity::acc::ExactSum;
use crate::identity::enumerate::{admissible_nine_j, common_triads, nine_j_text, projections};
use crate::identity::six_j_orthogonality::six_j_value;
use crate::identity::{Case, Cases, Failure, Identity};
use racah_core::Spin;
use racah_exact::fmove::nine_j_coefficient;
use racah_exact::{cg_block, CgBlock, NineJ, SqrtRational};

/// `{t0 … t8}` (doubled, row-major) for a check of `case`.
pub(crate) fn nine_j_value(case: &Case, t: [i64; 9]) -> Result<SqrtRational, Failure> {
    NineJ::from_twice(t)
        .map(|s| s.value())
        .map_err(|e| Failure::engine(case, e))
}

/// The 9j symbol as a sum over products of three 6j symbols, each 6j evaluated on its own:
///
/// ```text
/// {a b c; d e f; g h i} = Σ_x (−1)^(2x) (2x+1) {a b c; f i x} {d e f; b x h} {g h i; x a d}
/// ```
///
/// The left side is [`NineJ::value`]. racah-exact evaluates the 9j through this same sum
/// internally (with the x-independent triangle factors pulled out and machine-integer fast
/// paths), so this checks that implementation against the textbook sum of separately evaluated
/// 6j symbols; [`NineJCgContraction`] is the independent route. Cases: every 9j with admissible
/// rows and columns and spins `≤ max_twice_j`.
///
/// # Convention
/// `CONVENTIONS.md#nine-j`.
///
/// # Examples
/// ```
/// use racah_proofs::identity::{Case, Identity, NineJSixJSum};
/// assert!(NineJSixJSum.check(&Case::new([2, 4, 6, 6, 4, 2, 4, 2, 6])).is_ok());
/// ```
///
/// # References
/// Edmonds (1957), eq. (6.4.3).
#[derive(Clone, Copy, Debug, Default)]
pub struct NineJSixJSum;

impl Identity for NineJSixJSum {
    fn name(&self) -> &'static str {
        "nine-j-six-j-sum"
    }

    fn description(&self) -> &'static str {
        "{a b c; d e f; g h i} = Σ_x (−1)^(2x) (2x+1) {a b c; f i x}{d e f; b x h}{g h i; x a d}"
    }

    fn default_bound(&self) -> u32 {
        8
    }

    fn cases(&self, max_twice_j: u32) -> Cases<'_> {
        Box::new(admissible_nine_j(i64::from(max_twice_j)).map(Case::new))
    }

    fn check(&self, case: &Case) -> Result<(), Failure> {
        let t = case.array::<9>(9)?;
        let [a, b, c, d, e, f, g, h, i] = t;
        let mut sum = ExactSum::new();
        for x in common_triads(&[(a, i), (b, f), (d, h)], i64::MAX) {
            let u = six_j_value(case, [a, b, c, f, i, x])?;
            let v = six_j_value(case, [d, e, f, b, x, h])?;
            let w = six_j_value(case, [g, h, i, x, a, d])?;
            let term = &(&(&u * &v) * &w) * &SqrtRational::from(x + 1);
            sum.add_signed(&term, x % 2 != 0);
        }
        let value = nine_j_value(case, t)?;
        if sum.equals(&value) {
            return Ok(());
        }
        let relation = format!("{} = Σ_x (−1)^(2x)(2x+1) 6j·6j·6j", nine_j_text(t));
        Err(Failure::new(case, relation, value, sum))
    }
}

/// The 9j symbol as the overlap of two coupling schemes of four spins, contracted from six
/// Clebsch–Gordan coefficients (independent of every 6j code path):
///
/// ```text
/// ⟨((j1 j2)j12, (j3 j4)j34) J M | ((j1 j3)j13, (j2 j4)j24) J M⟩
///   = Σ_{m1 m2 m3} ⟨j1 m1 j2 m2|j12 m12⟩⟨j3 m3 j4 m4|j34 m34⟩⟨j12 m12 j34 m34|J M⟩
///                  ⟨j1 m1 j3 m3|j13 m13⟩⟨j2 m2 j4 m4|j24 m24⟩⟨j13 m13 j24 m24|J M⟩
///   = √((2j12+1)(2j34+1)(2j13+1)(2j24+1)) {j1 j2 j12; j3 j4 j34; j13 j24 J}
/// ```
///
/// with `m4 = M − m1 − m2 − m3` and `M = J`. Cases: every 9j `{a b c; d e f; g h i}` =
/// `{j1 j2 j12; j3 j4 j34; j13 j24 J}` with admissible rows and columns and spins
/// `≤ max_twice_j`. The CG coefficients come from [`racah_exact::cg_block`]; each case also
/// checks that racah-exact's recoupling coefficient
/// ([`racah_exact::fmove::nine_j_coefficient`]) is the same closed form.
///
/// # Convention
/// `CONVENTIONS.md#nine-j`, `CONVENTIONS.md#condon-shortley`.
///
/// # Examples
/// ```
/// use racah_proofs::identity::{Case, Identity, NineJCgContraction};
/// assert!(NineJCgContraction.check(&Case::new([2, 2, 2, 2, 2, 2, 2, 2, 0])).is_ok());
/// ```
///
/// # References
/// Edmonds (1957), eq. (6.4.2).
#[derive(Clone, Copy, Debug, Default)]
pub struct NineJCgContraction;

/// The CG block of doubled `(a, b, c)` for a check of `case`.
pub(crate) fn block(case: &Case, a: i64, b: i64, c: i64) -> Result<CgBlock, Failure> {
    let spin = |t: i64| {
        u32::try_from(t)
            .map(Spin::from_twice)
            .map_err(|_| Failure::engine(case, "spin out of range"))
    };
    cg_block(spin(a)?, spin(b)?, spin(c)?).map_err(|e| Failure::engine(case, e))
}

/// `⟨j1 m1 j2 m2|J M⟩` from the block of `(j1, j2, J)` (doubled spins `tj`), 0 outside the
/// block's range.
pub(crate) fn entry(b: &CgBlock, tj: [i64; 3], m1: i64, m2: i64, m: i64) -> &SqrtRational {
    const ZERO: &SqrtRational = &SqrtRational::ZERO;
    if m1.abs() > tj[0] || m2.abs() > tj[1] || m.abs() > tj[2] {
        return ZERO;
    }
    let idx = |t: i64, x: i64| ((t + x) / 2) as usize;
    b.get(idx(tj[0], m1), idx(tj[1], m2), idx(tj[2], m))
}

impl Identity for NineJCgContraction {
    fn name(&self) -> &'static str {
        "nine-j-cg-contraction"
    }

    fn description(&self) -> &'static str {
        "Σ_{m} six CG (two coupling schemes of four spins) = √((2j12+1)(2j34+1)(2j13+1)(2j24+1)) \
         {j1 j2 j12; j3 j4 j34; j13 j24 J}"
    }

    fn default_bound(&self) -> u32 {
        6
    }

    fn cases(&self, max_twice_j: u32) -> Cases<'_> {
        Box::new(admissible_nine_j(i64::from(max_twice_j)).map(Case::new))
    }

    fn check(&self, case: &Case) -> Result<(), Failure> {
        let t = case.array::<9>(9)?;
        let [a, b, c, d, e, f, g, h, i] = t;
        let blocks = [
            ([a, b, c], block(case, a, b, c)?),
            ([d, e, f], block(case, d, e, f)?),
            ([c, f, i], block(case, c, f, i)?),
            ([a, d, g], block(case, a, d, g)?),
            ([b, e, h], block(case, b, e, h)?),
            ([g, h, i], block(case, g, h, i)?),
        ];
        let m = i;
        let mut lhs = ExactSum::new();
        for m1 in projections(a) {
            for m2 in projections(b) {
                for m3 in projections(d) {
                    let m4 = m - m1 - m2 - m3;
                    if m4.abs() > e {
                        continue;
                    }
                    let ms = [
                        (m1, m2, m1 + m2),
                        (m3, m4, m3 + m4),
                        (m1 + m2, m3 + m4, m),
                        (m1, m3, m1 + m3),
                        (m2, m4, m2 + m4),
                        (m1 + m3, m2 + m4, m),
                    ];
                    let mut term = SqrtRational::ONE;
                    for ((tj, bl), (x, y, z)) in blocks.iter().zip(ms) {
                        term *= entry(bl, *tj, x, y, z);
                        if term.is_zero() {
                            break;
                        }
                    }
                    lhs.add(&term);
                }
            }
        }
        let norm = SqrtRational::sqrt_of_ratio(((c + 1) * (f + 1) * (g + 1) * (h + 1)) as u64, 1)
            .map_err(|e| Failure::engine(case, e))?;
        let rhs = &norm * &nine_j_value(case, t)?;
        let spin = |x: i64| Spin::from_twice(x as u32);
        let coefficient = nine_j_coefficient(
            [a, b, d, e].map(spin),
            [spin(c), spin(f)],
            [spin(g), spin(h)],
            spin(i),
        )
        .map_err(|e| Failure::engine(case, e))?;
        if coefficient != rhs {
            let relation = format!(
                "racah_exact::fmove::nine_j_coefficient = √((2j12+1)(2j34+1)(2j13+1)(2j24+1)) {}",
                nine_j_text(t)
            );
            return Err(Failure::new(case, relation, coefficient, rhs));
        }
        if lhs.equals(&rhs) {
            return Ok(());
        }
        let relation = format!(
            "six-CG overlap (M = J) = √((2j12+1)(2j34+1)(2j13+1)(2j24+1)) {}",
            nine_j_text(t)
        );
        Err(Failure::new(case, relation, lhs, rhs))
    }
}
