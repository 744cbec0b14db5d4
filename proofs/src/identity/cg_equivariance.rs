//! [`CgEquivariance`]: every Clebsch–Gordan tensor intertwines the Lie algebra generators.

use crate::identity::acc::ExactSum;
use crate::identity::enumerate::{cg_text, half, projections, spins, triads};
use crate::identity::nine_j_sum::{block, entry};
use crate::identity::{Case, Cases, Failure, Identity};
use racah_exact::SqrtRational;

/// `√((j − m)(j + m + 1))` for doubled `t`, `x` (the `J_+` matrix element; 0 at `m = j`).
fn raise(case: &Case, t: i64, x: i64) -> Result<SqrtRational, Failure> {
    let n = (t - x) * (t + x + 2);
    SqrtRational::sqrt_of_ratio(n.max(0) as u64, 4).map_err(|e| Failure::engine(case, e))
}

/// `√((j + m)(j − m + 1))` for doubled `t`, `x` (the `J_−` matrix element; 0 at `m = −j`).
fn lower(case: &Case, t: i64, x: i64) -> Result<SqrtRational, Failure> {
    raise(case, t, -x)
}

/// Equivariance of every CG tensor `C: V_j1 ⊗ V_j2 → V_J`, `C|m1 m2⟩ = Σ_M ⟨j1 m1 j2 m2|J M⟩|J M⟩`,
/// checked exactly on the generators of su(2) (which is equivalent to commuting with every
/// rotation):
///
/// ```text
/// J_z:  (m1 + m2 − M) ⟨m1 m2|M⟩ = 0
/// J_+:  a1(m1) ⟨m1+1 m2|M⟩ + a2(m2) ⟨m1 m2+1|M⟩ = aJ(M−1) ⟨m1 m2|M−1⟩,  a(m) = √((j−m)(j+m+1))
/// J_−:  b1(m1) ⟨m1−1 m2|M⟩ + b2(m2) ⟨m1 m2−1|M⟩ = bJ(M+1) ⟨m1 m2|M+1⟩,  b(m) = √((j+m)(j−m+1))
/// ```
///
/// for every `m1, m2, M` (out-of-range coefficients are 0). Cases `[2j1, 2j2, 2J]`: every
/// admissible triple with spins `≤ max_twice_j`; the coefficients come from
/// [`racah_exact::cg_block`]. This is the complex (standard) basis.
///
/// # Convention
/// `CONVENTIONS.md#condon-shortley`.
///
/// # Examples
/// ```
/// use racah_proofs::identity::{Case, CgEquivariance, Identity};
/// assert!(CgEquivariance.check(&Case::new([2, 3, 3])).is_ok());
/// ```
///
/// # References
/// Edmonds (1957), §3.1; MATH.md §4.
#[derive(Clone, Copy, Debug, Default)]
pub struct CgEquivariance;

impl Identity for CgEquivariance {
    fn name(&self) -> &'static str {
        "cg-equivariance"
    }

    fn description(&self) -> &'static str {
        "every CG tensor V_j1⊗V_j2 → V_J commutes with J_z, J_+, J_− exactly (standard basis)"
    }

    fn default_bound(&self) -> u32 {
        24
    }

    fn cases(&self, max_twice_j: u32) -> Cases<'_> {
        let n = i64::from(max_twice_j);
        Box::new(spins(n).flat_map(move |a| {
            spins(n).flat_map(move |b| triads(a, b, n).map(move |c| Case::new([a, b, c])))
        }))
    }

    fn check(&self, case: &Case) -> Result<(), Failure> {
        let [a, b, c] = case.array::<3>(3)?;
        // TODO(equivariance): when proofs::equivariance lands, also certify the real-basis
        // (e3nn) tensor of every integer triple with its generator check.
        let bl = block(case, a, b, c)?;
        let at = |x: i64, y: i64, z: i64| entry(&bl, [a, b, c], x, y, z);
        let fail = |what: &str,
                    x: i64,
                    y: i64,
                    z: i64,
                    lhs: &dyn std::fmt::Display,
                    rhs: &dyn std::fmt::Display| {
            Failure::new(
                case,
                format!(
                    "{what} at {} (m1 m2 M = {} {} {})",
                    cg_text(a, x, b, y, c, z),
                    half(x),
                    half(y),
                    half(z)
                ),
                lhs,
                rhs,
            )
        };
        for x in projections(a) {
            for y in projections(b) {
                for z in projections(c) {
                    if x + y != z && !at(x, y, z).is_zero() {
                        return Err(fail("J_z: (m1+m2−M)·CG = 0", x, y, z, at(x, y, z), &"0"));
                    }
                    let mut up = ExactSum::new();
                    up.add(&(&raise(case, a, x)? * at(x + 2, y, z)));
                    up.add(&(&raise(case, b, y)? * at(x, y + 2, z)));
                    let up_rhs = &raise(case, c, z - 2)? * at(x, y, z - 2);
                    if !up.equals(&up_rhs) {
                        return Err(fail("J_+ intertwining", x, y, z, &up, &up_rhs));
                    }
                    let mut down = ExactSum::new();
                    down.add(&(&lower(case, a, x)? * at(x - 2, y, z)));
                    down.add(&(&lower(case, b, y)? * at(x, y - 2, z)));
                    let down_rhs = &lower(case, c, z + 2)? * at(x, y, z + 2);
                    if !down.equals(&down_rhs) {
                        return Err(fail("J_− intertwining", x, y, z, &down, &down_rhs));
                    }
                }
            }
        }
        Ok(())
    }
}
