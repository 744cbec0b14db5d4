//! Orthogonality of Clebsch–Gordan coefficients, both kinds: [`CgOrthogonality`] (sum over the
//! projections) and [`CgCompleteness`] (sum over the coupled spin).

use crate::identity::acc::ExactSum;
use crate::identity::enumerate::{half, projections, spins, triads};
use crate::identity::{Case, Cases, Failure, Identity};
use racah_exact::{Cg, SqrtRational};

fn cg(case: &Case, t: [i64; 6]) -> Result<SqrtRational, Failure> {
    Cg::from_twice(t[0], t[1], t[2], t[3], t[4], t[5])
        .map(|c| c.value())
        .map_err(|e| Failure::engine(case, e))
}

fn delta(yes: bool) -> SqrtRational {
    if yes {
        SqrtRational::ONE
    } else {
        SqrtRational::ZERO
    }
}

/// First orthogonality relation of CG coefficients:
///
/// ```text
/// Σ_{m1 m2} ⟨j1 m1 j2 m2|J M⟩ ⟨j1 m1 j2 m2|J' M'⟩ = δ_JJ' δ_MM'
/// ```
///
/// Cases `[2j1, 2j2, 2J, 2J', 2M]`: every triangle-admissible `J, J'` and every `M` with
/// `|M| ≤ min(J, J')`, all spins `≤ max_twice_j`. `M' = M` throughout: for `M' ≠ M` every term
/// has a factor that vanishes by the selection rule `m1 + m2 = M`. The sum runs over `m1`,
/// with `m2 = M − m1`.
///
/// # Convention
/// `CONVENTIONS.md#condon-shortley`.
///
/// # Examples
/// ```
/// use racah_proofs::identity::{Case, CgOrthogonality, Identity};
/// assert!(CgOrthogonality.check(&Case::new([2, 2, 2, 4, 0])).is_ok()); // J = 1, J' = 2
/// ```
///
/// # References
/// Edmonds (1957), eq. (3.5.4).
#[derive(Clone, Copy, Debug, Default)]
pub struct CgOrthogonality;

impl Identity for CgOrthogonality {
    fn name(&self) -> &'static str {
        "cg-orthogonality"
    }

    fn description(&self) -> &'static str {
        "Σ_{m1 m2} ⟨j1 m1 j2 m2|J M⟩⟨j1 m1 j2 m2|J' M⟩ = δ_JJ' (sum over projections)"
    }

    fn default_bound(&self) -> u32 {
        24
    }

    fn cases(&self, max_twice_j: u32) -> Cases<'_> {
        let n = i64::from(max_twice_j);
        Box::new(spins(n).flat_map(move |a| {
            spins(n).flat_map(move |b| {
                triads(a, b, n).flat_map(move |c| {
                    triads(a, b, n).flat_map(move |c2| {
                        projections(c.min(c2)).map(move |z| Case::new([a, b, c, c2, z]))
                    })
                })
            })
        }))
    }

    fn check(&self, case: &Case) -> Result<(), Failure> {
        let [a, b, c, c2, z] = case.array::<5>(4)?;
        let mut lhs = ExactSum::new();
        for x in projections(a) {
            let y = z - x;
            if y.abs() > b {
                continue;
            }
            let u = cg(case, [a, x, b, y, c, z])?;
            let v = cg(case, [a, x, b, y, c2, z])?;
            lhs.add(&(&u * &v));
        }
        let rhs = delta(c == c2);
        if lhs.equals(&rhs) {
            return Ok(());
        }
        let relation = format!(
            "Σ_m1 <{a} m1 {b} M-m1|{c} {z}><{a} m1 {b} M-m1|{c2} {z}> = δ_JJ' (M = {z})",
            a = half(a),
            b = half(b),
            c = half(c),
            c2 = half(c2),
            z = half(z)
        );
        Err(Failure::new(case, relation, lhs, rhs))
    }
}

/// Second orthogonality (completeness) relation of CG coefficients:
///
/// ```text
/// Σ_{J M} ⟨j1 m1 j2 m2|J M⟩ ⟨j1 m1' j2 m2'|J M⟩ = δ_m1m1' δ_m2m2'
/// ```
///
/// Cases `[2j1, 2j2, 2m1, 2m2, 2m1', 2m2']` with `m1 + m2 = m1' + m2'` (otherwise every term
/// vanishes by the selection rule), spins `≤ max_twice_j`. The sum runs over every `J` of
/// `j1 ⊗ j2` (up to `j1 + j2`, beyond the bound when needed) with `M = m1 + m2`.
///
/// # Convention
/// `CONVENTIONS.md#condon-shortley`.
///
/// # Examples
/// ```
/// use racah_proofs::identity::{Case, CgCompleteness, Identity};
/// assert!(CgCompleteness.check(&Case::new([1, 1, 1, -1, -1, 1])).is_ok());
/// ```
///
/// # References
/// Edmonds (1957), eq. (3.5.5).
#[derive(Clone, Copy, Debug, Default)]
pub struct CgCompleteness;

impl Identity for CgCompleteness {
    fn name(&self) -> &'static str {
        "cg-completeness"
    }

    fn description(&self) -> &'static str {
        "Σ_{J M} ⟨j1 m1 j2 m2|J M⟩⟨j1 m1' j2 m2'|J M⟩ = δ_m1m1' δ_m2m2' (sum over coupled spins)"
    }

    fn default_bound(&self) -> u32 {
        18
    }

    fn cases(&self, max_twice_j: u32) -> Cases<'_> {
        let n = i64::from(max_twice_j);
        Box::new(spins(n).flat_map(move |a| {
            spins(n).flat_map(move |b| {
                projections(a).flat_map(move |x| {
                    projections(b).flat_map(move |y| {
                        projections(a).filter_map(move |x2| {
                            let y2 = x + y - x2;
                            (y2.abs() <= b).then(|| Case::new([a, b, x, y, x2, y2]))
                        })
                    })
                })
            })
        }))
    }

    fn check(&self, case: &Case) -> Result<(), Failure> {
        let [a, b, x, y, x2, y2] = case.array::<6>(2)?;
        let z = x + y;
        let mut lhs = ExactSum::new();
        for c in triads(a, b, i64::MAX) {
            if z.abs() > c {
                continue;
            }
            let u = cg(case, [a, x, b, y, c, z])?;
            let v = cg(case, [a, x2, b, y2, c, z])?;
            lhs.add(&(&u * &v));
        }
        let rhs = delta(x == x2 && y == y2);
        if lhs.equals(&rhs) {
            return Ok(());
        }
        let relation = format!(
            "Σ_J <{a} {x} {b} {y}|J {z}><{a} {x2} {b} {y2}|J {z}> = δ δ",
            a = half(a),
            b = half(b),
            x = half(x),
            y = half(y),
            x2 = half(x2),
            y2 = half(y2),
            z = half(z)
        );
        Err(Failure::new(case, relation, lhs, rhs))
    }
}
