//! Testing helpers for crates built on racah (feature `testing`): proptest strategies for
//! spins, admissible symbols, irreps, rotations, O(3) elements and feature arrays, and
//! assertions — equivariance of a map of feature arrays, and closeness in ulps to racah's
//! exact, correctly rounded references.
//!
//! Enable it for tests only:
//!
//! ```toml
//! [dev-dependencies]
//! racah = { version = "0.1", features = ["testing"] }
//! proptest = "1"
//! ```
//!
//! # Examples
//! A downstream test of a hand-written coefficient and an equivariant layer:
//!
//! ```
//! use proptest::prelude::*;
//! use racah::core::Irreps;
//! use racah::exact::Cg;
//! use racah::numeric::{IrrepsArray, Tolerance};
//! use racah::testing::{self, assert_equivariant, assert_ulps_eq};
//!
//! /// The code under test: ⟨1 m 1 −m|0 0⟩ = (−1)^(1−m)/√3, from a float formula.
//! fn my_singlet_cg(m: i64) -> f64 {
//!     let s = if (1 - m) % 2 == 0 { 1.0 } else { -1.0 };
//!     s / 3f64.sqrt()
//! }
//!
//! /// The code under test: the cross product of two vectors (1o ⊗ 1o → 1e).
//! fn cross(x: &IrrepsArray<f64>) -> IrrepsArray<f64> {
//!     let mut out = Vec::new();
//!     for b in 0..x.batch() {
//!         let r = x.row(b);
//!         let (u, v) = (&r[0..3], &r[3..6]);
//!         out.extend([u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]]);
//!     }
//!     IrrepsArray::new("1e".parse().unwrap(), x.batch(), out).unwrap()
//! }
//!
//! proptest!(testing::seeded(7), |(m in -1i64..=1)| {
//!     // within 1 ulp of the correctly rounded exact value
//!     let exact = Cg::from_twice(2, 2 * m, 2, -2 * m, 0, 0).unwrap().value();
//!     assert_ulps_eq(my_singlet_cg(m), &exact, 1);
//! });
//!
//! let irreps: Irreps = "2x1o".parse().unwrap();
//! proptest!(testing::seeded(8), |(x in testing::features(irreps.clone(), 4),
//!                                 g in testing::o3_element())| {
//!     // f(g·x) = g·f(x) to 16 eps (a cross product rounds a few times)
//!     assert_equivariant(cross, &x, &g, Tolerance::scaled::<f64>(16.0));
//! });
//! ```
//!
//! # Convention
//! Rotations act on column vectors (x, y, z); an O(3) element with the inversion acts on an
//! irrep (l, p) by p·D^l(R) (`CONVENTIONS.md#rotations`). ulps are counted from the correctly
//! rounded value of the exact result (`CONVENTIONS.md#rounding`).

use proptest::prelude::*;
use racah_core::Irreps;
use racah_exact::SqrtRational;
use racah_numeric::{IrrepsArray, NumericError, O3Element, Rotation, Tolerance};
use racah_proofs::diagnosis::{check, CheckOptions, Dtype, Table, Tolerances};

pub use racah_core::testing::{
    admissible_nine_j, admissible_six_j, half_int, int_spin, irrep, irreps, ket, parity, seeded,
    spin, su2_irrep, triangle_triple,
};

/// Strategies that produce racah-exact symbols with doubled arguments (`Cg`, `ThreeJ`,
/// `SixJ`, `NineJ`), re-exported from `racah_exact::testing`.
///
/// # Examples
/// ```
/// use proptest::prelude::*;
/// use racah::testing::{self, symbols};
/// proptest!(testing::seeded(3), |(cg in symbols::admissible_cg(6))| {
///     let [j1, j2, j] = cg.twice_j();
///     prop_assert!(j <= j1 + j2);
/// });
/// ```
pub mod symbols {
    pub use racah_exact::testing::*;
}

/// A unit quaternion `[w, x, y, z]` from three numbers in [0, 1), uniform (Haar) on the
/// 3-sphere when they are uniform (Shoemake, Graphics Gems III, 1992).
fn shoemake(u1: f64, u2: f64, u3: f64) -> [f64; 4] {
    let tau = std::f64::consts::TAU;
    let (a, b) = ((1.0 - u1).sqrt(), u1.sqrt());
    let (s2, c2) = (tau * u2).sin_cos();
    let (s3, c3) = (tau * u3).sin_cos();
    [b * c3, a * s2, a * c2, b * s3]
}

/// A rotation, Haar-distributed: built from three uniform numbers (Shoemake's construction),
/// so it shrinks toward simpler angles.
///
/// # Examples
/// ```
/// use proptest::prelude::*;
/// use racah::testing;
/// proptest!(testing::seeded(4), |(r in testing::rotation())| {
///     let m = r.matrix();
///     let det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
///         - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
///         + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
///     prop_assert!((det - 1.0).abs() < 1e-12);
/// });
/// ```
pub fn rotation() -> impl Strategy<Value = Rotation> {
    (0.0..1.0f64, 0.0..1.0f64, 0.0..1.0f64).prop_map(|(u1, u2, u3)| {
        // a unit quaternion up to rounding: accepted by from_quaternion's tolerance
        Rotation::from_quaternion(shoemake(u1, u2, u3)).unwrap_or(Rotation::IDENTITY)
    })
}

/// An O(3) element: a Haar-random rotation, composed with the inversion half of the time.
///
/// # Examples
/// ```
/// use proptest::prelude::*;
/// use racah::testing;
/// proptest!(testing::seeded(5), |(g in testing::o3_element())| {
///     let v = g.apply([1.0, 2.0, 3.0]);
///     prop_assert!((v.iter().map(|x| x * x).sum::<f64>() - 14.0).abs() < 1e-12);
/// });
/// ```
pub fn o3_element() -> impl Strategy<Value = O3Element> {
    (rotation(), any::<bool>()).prop_map(|(r, inv)| O3Element::new(r, inv))
}

/// A point with every coordinate in `[-max_abs, max_abs]`.
pub fn point(max_abs: f64) -> impl Strategy<Value = [f64; 3]> {
    let r = -max_abs.abs()..=max_abs.abs();
    [r.clone(), r.clone(), r].prop_map(|p| p)
}

/// A unit vector, uniform on the sphere (the image of e_y under a Haar rotation).
pub fn unit_vector() -> impl Strategy<Value = [f64; 3]> {
    rotation().prop_map(|r| r.apply([0.0, 1.0, 0.0]))
}

/// A batch of `batch` feature vectors laid out by `irreps` (e3nn layout), entries uniform in
/// [−1, 1].
///
/// # Examples
/// ```
/// use proptest::prelude::*;
/// use racah::testing;
/// let irreps: racah::core::Irreps = "4x0e + 2x1o".parse().unwrap();
/// proptest!(testing::seeded(6), |(x in testing::features(irreps.clone(), 3))| {
///     prop_assert_eq!((x.batch(), x.dim()), (3, 10));
/// });
/// ```
pub fn features(irreps: Irreps, batch: usize) -> impl Strategy<Value = IrrepsArray<f64>> {
    let n = irreps.dim() * batch;
    proptest::collection::vec(-1.0..=1.0f64, n).prop_map(move |data| {
        IrrepsArray::new(irreps.clone(), batch, data).expect("data sized by the irreps")
    })
}

/// Irreps drawn as [`irreps`]`(max_l, max_mul, max_len)` with a batch of 1..=`max_batch`
/// feature vectors for them.
pub fn irreps_and_features(
    max_l: u32,
    max_mul: usize,
    max_len: usize,
    max_batch: usize,
) -> impl Strategy<Value = IrrepsArray<f64>> {
    (irreps(max_l, max_mul, max_len), 1..=max_batch.max(1)).prop_flat_map(|(ir, b)| features(ir, b))
}

/// The equivariance error of `f` at `x` under `g`: max |f(g·x) − g·f(x)|.
///
/// # Errors
/// [`NumericError::HalfIntegerIrrep`] if an irreps has half-integer spin (O(3) acts on integer
/// l only), [`NumericError::ShapeMismatch`] if `f(g·x)` and `g·f(x)` differ in size.
///
/// # Examples
/// ```
/// use racah::numeric::{IrrepsArray, O3Element};
/// use racah::testing::equivariance_error;
/// // the norm of a vector is invariant; its first coordinate is not
/// let x = IrrepsArray::new("1o".parse()?, 1, vec![0.3, -0.4, 1.2])?;
/// let g = O3Element::new(racah::numeric::Rotation::from_axis_angle([0.0, 0.0, 1.0], 0.7)?, true);
/// let norm = |a: &IrrepsArray<f64>| {
///     let n = a.row(0).iter().map(|v| v * v).sum::<f64>().sqrt();
///     IrrepsArray::new("0e".parse().unwrap(), 1, vec![n]).unwrap()
/// };
/// assert!(equivariance_error(norm, &x, &g)? < 1e-15);
/// let first = |a: &IrrepsArray<f64>| IrrepsArray::new("0e".parse().unwrap(), 1, vec![a.row(0)[0]]).unwrap();
/// assert!(equivariance_error(first, &x, &g)? > 0.1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn equivariance_error<F>(f: F, x: &IrrepsArray<f64>, g: &O3Element) -> Result<f64, NumericError>
where
    F: Fn(&IrrepsArray<f64>) -> IrrepsArray<f64>,
{
    let lhs = f(&x.transformed(g)?);
    let rhs = f(x).transformed(g)?;
    if lhs.data().len() != rhs.data().len() {
        return Err(NumericError::ShapeMismatch {
            what: "f(g·x) against g·f(x)",
            expected: rhs.data().len(),
            got: lhs.data().len(),
        });
    }
    Ok(Tolerance::max_abs_diff(lhs.data(), rhs.data()))
}

/// Asserts that `f` commutes with `g` at `x`: max |f(g·x) − g·f(x)| within `tolerance` at the
/// scale of the output (its largest |entry|, at least 1).
///
/// # Panics
/// If the error exceeds the tolerance (the message gives it in eps), is NaN, or
/// [`equivariance_error`] fails.
///
/// # Examples
/// ```
/// use racah::numeric::{IrrepsArray, O3Element, Tolerance};
/// use racah::testing::assert_equivariant;
/// let x = IrrepsArray::new("2x0e".parse()?, 1, vec![1.0, 2.0])?;
/// assert_equivariant(|a: &IrrepsArray<f64>| a.clone(), &x, &O3Element::INVERSION, Tolerance::scaled::<f64>(1.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[track_caller]
pub fn assert_equivariant<F>(f: F, x: &IrrepsArray<f64>, g: &O3Element, tolerance: Tolerance)
where
    F: Fn(&IrrepsArray<f64>) -> IrrepsArray<f64>,
{
    let scale = f(x).data().iter().fold(1.0f64, |m, v| m.max(v.abs()));
    let err = match equivariance_error(&f, x, g) {
        Ok(e) => e,
        Err(e) => panic!("equivariance could not be checked: {e}"),
    };
    assert!(
        !err.is_nan() && tolerance.allows(err, scale),
        "not equivariant: max |f(g·x) − g·f(x)| = {err:e} = {:.1} eps at scale {scale:e} \
         (tolerance {} eps) for g = {g:?}",
        Tolerance::in_eps::<f64>(err),
        tolerance.units()
    );
}

/// The distance in f64 ulps between `actual` and the correctly rounded value of `exact`.
///
/// # Examples
/// ```
/// use racah::exact::SqrtRational;
/// use racah::testing::ulps_from_exact;
/// let third = SqrtRational::rational(1, 3);
/// assert_eq!(ulps_from_exact(1.0 / 3.0, &third), 0);
/// assert_eq!(ulps_from_exact(f64::from_bits((1.0f64 / 3.0).to_bits() + 2), &third), 2);
/// ```
pub fn ulps_from_exact(actual: f64, exact: &SqrtRational) -> u64 {
    Dtype::F64.ulps(actual, exact.to_f64()).unwrap_or(u64::MAX)
}

/// The distance in f32 ulps between `actual` and the correctly rounded f32 value of `exact`
/// (rounded once, not through f64).
pub fn ulps_from_exact_f32(actual: f32, exact: &SqrtRational) -> u64 {
    Dtype::F32
        .ulps(f64::from(actual), f64::from(exact.to_f32()))
        .unwrap_or(u64::MAX)
}

/// Asserts that `actual` is within `max_ulp` f64 ulps of the correctly rounded `exact`.
///
/// # Panics
/// If it is not (or `actual` is NaN), naming both values and the distance.
///
/// # Examples
/// ```
/// use racah::exact::SixJ;
/// use racah::testing::assert_ulps_eq;
/// let v = SixJ::from_twice(2, 2, 2, 2, 2, 2)?.value(); // 1/6
/// assert_ulps_eq(1.0 / 6.0, &v, 0);
/// # Ok::<(), racah::exact::ExactError>(())
/// ```
#[track_caller]
pub fn assert_ulps_eq(actual: f64, exact: &SqrtRational, max_ulp: u64) {
    let u = ulps_from_exact(actual, exact);
    assert!(
        u <= max_ulp,
        "{actual:e} is {u} ulps from the exact {exact} (rounded: {:e}); at most {max_ulp} allowed",
        exact.to_f64()
    );
}

/// Asserts that `actual` is within `max_ulp` f32 ulps of the correctly rounded f32 `exact`.
///
/// # Panics
/// As [`assert_ulps_eq`].
#[track_caller]
pub fn assert_ulps_eq_f32(actual: f32, exact: &SqrtRational, max_ulp: u64) {
    let u = ulps_from_exact_f32(actual, exact);
    assert!(
        u <= max_ulp,
        "{actual:e} is {u} f32 ulps from the exact {exact} (rounded: {:e}); at most {max_ulp} allowed",
        exact.to_f32()
    );
}

/// Asserts that a whole table (see [`racah_proofs::diagnosis`]) matches racah within
/// `tolerances` (`None`: the table's defaults).
///
/// # Panics
/// If it does not, with the full report: errors, worst cases and the diagnosis of the
/// convention the table is in; or if the check itself fails (bad table).
///
/// # Examples
/// ```
/// use racah::proofs::diagnosis::{Dtype, SymbolKind, SymbolTable};
/// use racah::testing::assert_table_matches;
/// // ⟨1/2 1/2 1/2 −1/2|1 0⟩ = 1/√2
/// let t = SymbolTable::new(SymbolKind::Cg, &[vec![1, 1, 1, -1, 2, 0]], vec![0.5f64.sqrt()], Dtype::F64)?;
/// assert_table_matches(&t, None);
/// # Ok::<(), racah::proofs::diagnosis::DiagnosisError>(())
/// ```
#[track_caller]
pub fn assert_table_matches(table: &dyn Table, tolerances: Option<Tolerances>) {
    let options = CheckOptions {
        tolerances,
        ..CheckOptions::default()
    };
    let report = match check(table, &options) {
        Ok(r) => r,
        Err(e) => panic!("the table could not be checked: {e}"),
    };
    assert!(report.passed, "the table does not match racah:\n{report}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use racah_exact::Cg;
    use racah_proofs::diagnosis::{SymbolKind, SymbolTable};

    #[test]
    fn test_shoemake() {
        // u = 0: (0, 0, 1, 0)·… — unit norm for any input
        for u in [[0.0, 0.0, 0.0], [0.3, 0.7, 0.1], [0.999, 0.5, 0.25]] {
            let q = shoemake(u[0], u[1], u[2]);
            assert!((q.iter().map(|x| x * x).sum::<f64>() - 1.0).abs() < 1e-15);
        }
    }

    #[test]
    #[should_panic(expected = "ulps from the exact")]
    fn assert_ulps_eq_rejects_far_values() {
        let v = Cg::from_twice(2, 0, 2, 0, 0, 0).unwrap().value(); // −1/√3
        assert_ulps_eq(-0.5773, &v, 4);
    }

    #[test]
    #[should_panic(expected = "not equivariant")]
    fn assert_equivariant_rejects_a_non_equivariant_map() {
        let x = IrrepsArray::new("1o".parse().unwrap(), 1, vec![0.3, -0.4, 1.2]).unwrap();
        let g = O3Element::new(
            Rotation::from_axis_angle([0.0, 0.0, 1.0], 0.5).unwrap(),
            false,
        );
        let first = |a: &IrrepsArray<f64>| {
            IrrepsArray::new("0e".parse().unwrap(), 1, vec![a.row(0)[0]]).unwrap()
        };
        assert_equivariant(first, &x, &g, Tolerance::scaled::<f64>(64.0));
    }

    #[test]
    #[should_panic(expected = "value=su2-cg")]
    fn assert_table_matches_names_the_convention() {
        // e3nn-jax's su2_clebsch_gordan = CG/√(2J+1)
        let rows = vec![vec![1, 1, 1, -1, 2, 0], vec![2, 2, 2, 0, 4, 2]];
        let v = vec![0.5f64.sqrt() / 3f64.sqrt(), 0.5f64.sqrt() / 5f64.sqrt()];
        let t = SymbolTable::new(SymbolKind::Cg, &rows, v, Dtype::F64).unwrap();
        assert_table_matches(&t, None);
    }

    proptest! {
        #![proptest_config(seeded(21))]

        #[test]
        fn rotations_are_proper_and_o3_elements_mix(r in rotation(), g in o3_element(), p in point(2.0)) {
            let v = r.apply(p);
            let n = |x: [f64; 3]| x.iter().map(|c| c * c).sum::<f64>();
            prop_assert!((n(v) - n(p)).abs() <= 1e-13 * n(p).max(1.0));
            let w = g.apply(p);
            prop_assert!((n(w) - n(p)).abs() <= 1e-13 * n(p).max(1.0));
        }

        #[test]
        fn features_fit_their_irreps(x in irreps_and_features(3, 3, 4, 5)) {
            prop_assert_eq!(x.data().len(), x.batch() * x.irreps().dim());
            prop_assert!(x.data().iter().all(|v| v.abs() <= 1.0));
            prop_assert!((1..=5).contains(&x.batch()));
        }

        #[test]
        fn unit_vectors_have_norm_one(u in unit_vector()) {
            prop_assert!((u.iter().map(|c| c * c).sum::<f64>() - 1.0).abs() < 1e-14);
        }

        #[test]
        fn ulps_from_exact_counts_steps(cg in symbols::admissible_cg(8), k in 0u64..5) {
            let v = cg.value();
            let f = v.to_f64();
            // k steps away from zero (for 0.0: toward the positive subnormals)
            let moved = f64::from_bits(f.to_bits() + k);
            prop_assert_eq!(ulps_from_exact(moved, &v), k);
            prop_assert_eq!(ulps_from_exact_f32(v.to_f32(), &v), 0);
        }
    }
}
