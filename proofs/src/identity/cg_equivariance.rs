//! [`CgEquivariance`]: every Clebsch–Gordan tensor intertwines the Lie algebra generators.

use crate::equivariance::certify;
use crate::identity::acc::ExactSum;
use crate::identity::enumerate::{cg_text, half, projections, spins, triads};
use crate::identity::nine_j_sum::{block, entry};
use crate::identity::{Case, Cases, Failure, Identity};
use racah_exact::{real_cg, ExactTensor, SqrtRational};

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
/// [`racah_exact::cg_block`] (complex, standard basis). For integer triples the real-basis
/// (e3nn) tensor [`racah_exact::real_cg`] is also certified with
/// [`crate::equivariance::certify`] (commutation with the real generators L_x, L_y, L_z).
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
        "every CG tensor V_j1⊗V_j2 → V_J commutes with J_z, J_+, J_− exactly (standard basis); \
         integer ones also with L_x, L_y, L_z in the real (e3nn) basis"
    }

    fn default_bound(&self) -> u32 {
        20
    }

    fn cases(&self, max_twice_j: u32) -> Cases<'_> {
        let n = i64::from(max_twice_j);
        Box::new(spins(n).flat_map(move |a| {
            spins(n).flat_map(move |b| triads(a, b, n).map(move |c| Case::new([a, b, c])))
        }))
    }

    fn check(&self, case: &Case) -> Result<(), Failure> {
        let [a, b, c] = case.array::<3>(3)?;
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
        if a % 2 == 0 && b % 2 == 0 && c % 2 == 0 {
            real_basis(case, [a, b, c].map(|t| (t / 2) as u32))?;
        }
        Ok(())
    }
}

/// The real-basis (e3nn) tensor of integer `(l1, l2, L)`, certified by
/// [`crate::equivariance::certify`] (commutation with L_x, L_y, L_z).
fn real_basis(case: &Case, [l1, l2, l]: [u32; 3]) -> Result<(), Failure> {
    let tensor = real_cg(l1, l2, l).map_err(|e| Failure::engine(case, e))?;
    let cert =
        certify(&ExactTensor::from_real_cg(&tensor)).map_err(|e| Failure::engine(case, e))?;
    if cert.holds {
        return Ok(());
    }
    let relation = format!("real-basis CG ({l1}, {l2}, {l}) commutes with L_x, L_y, L_z");
    match &cert.violation {
        Some(v) => Err(Failure::new(
            case,
            format!("{relation}: {} at {:?}", v.generator, v.component),
            &v.lhs,
            &v.rhs,
        )),
        None => Err(Failure::new(case, relation, cert, "")),
    }
}
