//! `DoubleDouble` (f64x2): arithmetic against MPFR, exact constants, and the kernels run in
//! extended precision (the precision ladder goes below f64).

use crate::common::{config, rng};
use proptest::prelude::*;
use racah_core::Irreps;
use racah_exact::SqrtRational;
use racah_numeric::{
    DoubleDouble as DD, Float, FusionBlock, FusionBlockOptions, IrrepsArray, Linear, Rotation,
    ShNormalization, SphericalHarmonics, TensorProduct, Tolerance, Weights, WignerD,
    WignerDCalculator,
};
use rand::Rng;

/// n values uniform in [−scale, scale).
pub fn uniform(r: &mut impl Rng, n: usize, scale: f64) -> Vec<f64> {
    (0..n)
        .map(|_| scale * ((r.next_u64() >> 11) as f64 / (1u64 << 52) as f64 - 1.0))
        .collect()
}

/// The oracle's precision: +, −, × of double-doubles are exact at 400 bits here.
const PREC: u32 = 400;
/// 2⁻¹⁰⁴, the double-double unit.
const U: f64 = 4.930_380_657_631_324e-32;

fn mp(x: DD) -> rug::Float {
    x.to_rug(PREC)
}

/// |x − exact| / |exact| (absolute if exact = 0), computed at 400 bits.
fn rel_err(x: DD, exact: &rug::Float) -> f64 {
    let d = rug::Float::with_val(PREC, &mp(x) - exact).abs();
    if exact.is_zero() {
        d.to_f64()
    } else {
        (d / exact.clone().abs()).to_f64()
    }
}

/// max |a − b| with the difference formed in double-double.
fn dd_max_diff(a: &[DD], b: &[DD]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(&x, &y)| (x - y).abs().hi)
        .fold(0.0, f64::max)
}

/// A normalised double-double with |hi| ∈ [2^−40, 2^40] and a full-width random `lo`.
fn dd() -> impl Strategy<Value = DD> {
    (-1.0f64..1.0, -40i32..40, -1.0f64..1.0).prop_map(|(m, e, f)| {
        let hi = if m.abs() < 1e-3 { 0.5 } else { m } * 2f64.powi(e);
        DD::new(hi, hi * f * 2f64.powi(-53))
    })
}

/// The rotation matrix of the integer quaternion (a, b, c, d), exactly R·n with
/// n = a² + b² + c² + d² (MATH.md §4).
fn quaternion_matrix_int(q: [i64; 4]) -> ([[i64; 3]; 3], i64) {
    let [w, x, y, z] = q;
    let n = w * w + x * x + y * y + z * z;
    let m = [
        [
            w * w + x * x - y * y - z * z,
            2 * (x * y - w * z),
            2 * (x * z + w * y),
        ],
        [
            2 * (x * y + w * z),
            w * w - x * x + y * y - z * z,
            2 * (y * z - w * x),
        ],
        [
            2 * (x * z - w * y),
            2 * (y * z + w * x),
            w * w - x * x - y * y + z * z,
        ],
    ];
    (m, n)
}

/// The rational rotation of an integer quaternion, entries rounded by `from_ratio`.
fn rational_rotation<T: Float>(q: [i64; 4]) -> [[T; 3]; 3] {
    let (m, n) = quaternion_matrix_int(q);
    m.map(|row| row.map(|v| T::from_ratio(v, n)))
}

fn mat_vec<T: Float>(m: &[[T; 3]; 3], v: [T; 3]) -> [T; 3] {
    m.map(|row| row[0] * v[0] + row[1] * v[1] + row[2] * v[2])
}

/// (⊕ D^l) v for a vector laid out by `irreps` (integer spins, one row).
fn rotate_features<T: Float>(irreps: &Irreps, d: &WignerD<T>, v: &[T]) -> Vec<T> {
    let mut out = vec![T::ZERO; v.len()];
    let mut at = 0;
    for term in irreps.iter() {
        let l = term.irrep.as_l().unwrap();
        let n = 2 * l as usize + 1;
        for _ in 0..term.mul {
            d.apply(l, &v[at..at + n], &mut out[at..at + n]);
            at += n;
        }
    }
    out
}

#[test]
fn test_double_double_golden() {
    // π = 3.141592653589793 + 1.2246467991473532e-16 (the classic double-double π)
    let pi = DD::pi();
    assert_eq!(
        (pi.hi, pi.lo),
        (std::f64::consts::PI, 1.224_646_799_147_353_2e-16)
    );
    // 1/3: lo = 1/3 − fl(1/3) = 2^−54/3 rounded
    let third = DD::from_ratio(1, 3);
    assert_eq!((third.hi, third.lo), (1.0 / 3.0, 1.850_371_707_708_594e-17));
    assert_eq!(DD::sqrt_ratio(9, 4), DD::from_f64(1.5));
    assert_eq!(DD::sqrt_ratio(2, 1).hi, std::f64::consts::SQRT_2);
    assert_eq!(DD::from_f64(2.0).sqrt().hi, std::f64::consts::SQRT_2);
    assert_eq!(DD::exp2i(-3), DD::from_f64(0.125));
    assert_eq!(<DD as Float>::NAME, "f64x2");
    assert_eq!(<DD as Float>::EPSILON.hi, U);
    assert_eq!(DD::from_ratio(-7, 2), DD::from_f64(-3.5));
    assert_eq!(
        format!("{:.30}", DD::ONE.exp()),
        "2.71828182845904523536028747135"
    );
    assert_eq!(DD::pi().to_string(), "3.141592653589793238462643383279506");
    assert_eq!(format!("{:>10.3}", DD::from_ratio(-1, 3)), "  -3.33e-1");
    assert_eq!(format!("{:.5}", DD::pi()), "3.1416");
    // summing ten 0.1s is 1 to within 2 units
    let tenth = DD::from_ratio(1, 10);
    let s: DD = std::iter::repeat_n(tenth, 10).sum();
    assert!((s - DD::ONE).abs().hi <= 2.0 * U);
    assert!(DD::from_ratio(1, 3) < DD::new(1.0 / 3.0, 1.9e-17));
    assert!(DD::from_ratio(1, 3) > DD::from_f64(1.0 / 3.0));
}

#[test]
fn double_double_rejects_bad_input() {
    assert!(DD::from_f64(-2.0).sqrt().hi.is_nan());
    assert!(DD::from_f64(-2.0).ln().hi.is_nan());
    assert_eq!(DD::ZERO.ln().hi, f64::NEG_INFINITY);
    let inf = DD::ONE / DD::ZERO;
    assert!(!inf.is_finite() && inf.hi == f64::INFINITY && inf.lo == 0.0);
    assert!(!(DD::MAX * DD::from_f64(2.0)).is_finite());
    assert!(std::panic::catch_unwind(|| DD::from_ratio(1, 0)).is_err());
    assert!(std::panic::catch_unwind(|| DD::sqrt_ratio(1, 0)).is_err());
    assert!(DD::NAN.max(DD::ONE) == DD::ONE && DD::ONE.max(DD::NAN) == DD::ONE);
}

proptest! {
    #![proptest_config(config(512))]

    /// Each operation is within 4·2⁻¹⁰⁴ of the exact result of its (exact) operands.
    #[test]
    fn double_double_arithmetic_properties(a in dd(), b in dd()) {
        let (x, y) = (mp(a), mp(b));
        let bound = 4.0 * U;
        prop_assert!(rel_err(a + b, &rug::Float::with_val(PREC, &x + &y)) <= bound);
        prop_assert!(rel_err(a - b, &rug::Float::with_val(PREC, &x - &y)) <= bound);
        prop_assert!(rel_err(a * b, &rug::Float::with_val(PREC, &x * &y)) <= bound);
        prop_assert!(rel_err(a / b, &rug::Float::with_val(PREC, &x / &y)) <= bound);
        prop_assert!(rel_err(a.abs().sqrt(), &x.clone().abs().sqrt()) <= bound);
        // normalised: hi is the nearest f64 of the value
        for r in [a + b, a * b, a / b, a.abs().sqrt()] {
            prop_assert_eq!(r.hi, r.hi + r.lo);
        }
        prop_assert_eq!(a < b, x < y);
        prop_assert_eq!(a == b, x == y);
        prop_assert_eq!((-a).hi, -a.hi);
    }

    /// Cancellation: x − (x + tiny) keeps tiny to double-double accuracy.
    #[test]
    fn double_double_cancellation(a in dd(), t in -1.0f64..1.0) {
        let tiny = DD::new(t * a.hi * 1e-20, 0.0);
        let d = (a + tiny) - a;
        prop_assert!((d - tiny).abs().hi <= 4.0 * U * a.hi.abs());
    }

    /// Transcendental functions and exact constants: hi is the nearest f64, and hi + lo is
    /// within 2⁻¹⁰⁵ (relative) of the value at 400 bits.
    #[test]
    fn double_double_functions_properties(a in dd(), n in 1u128..1 << 100, d in 1u128..1 << 100,
                                          p in 1i64..i64::MAX, q in 1i64..i64::MAX) {
        let x = mp(a);
        let half_u = U / 2.0;
        let checks: [(DD, rug::Float); 6] = [
            (a.sin(), x.clone().sin()),
            (a.cos(), x.clone().cos()),
            (a.tanh(), x.clone().tanh()),
            (a.abs().ln(), x.clone().abs().ln()),
            (DD::from_f64(a.hi / 2f64.powi(36)).exp(),
             rug::Float::with_val(PREC, a.hi / 2f64.powi(36)).exp()),
            (DD::from_ratio(p, -q), rug::Float::with_val(PREC, rug::Rational::from((p, -q)))),
        ];
        for (v, exact) in &checks {
            prop_assert_eq!(v.hi, exact.to_f64());
            prop_assert!(rel_err(*v, exact) <= half_u, "{} vs {}", v, exact);
        }
        let s = DD::sqrt_ratio(n, d);
        prop_assert_eq!(s.hi, f64::sqrt_ratio(n, d));
        let q2 = rug::Rational::from((rug::Integer::from(n), rug::Integer::from(d)));
        prop_assert!(rel_err(s, &rug::Float::with_val(PREC, &q2).sqrt()) <= half_u);
    }

    /// round_exact of s·√(p/q): hi = the correctly rounded f64 of racah-exact, error ≤ 2⁻¹⁰⁵.
    #[test]
    fn double_double_round_exact_properties(p in 1u64..1 << 40, q in 1u64..1 << 40,
                                            neg in any::<bool>()) {
        let v = SqrtRational::sqrt_of_ratio(p, q).unwrap();
        let v = if neg { -v } else { v };
        let x = DD::round_exact(&v);
        prop_assert_eq!(x.hi, v.to_f64());
        let exact = rug::Float::with_val(PREC, v.square()).sqrt();
        let exact = if neg { -exact } else { exact };
        prop_assert!(rel_err(x, &exact) <= U / 2.0);
        prop_assert_eq!(DD::round_exact(&SqrtRational::ZERO), DD::ZERO);
    }
}

/// SH in double-double agrees with SH in f64 to f64 rounding: 64 eps (a recursion of ≤ 64
/// rounded steps) times the size of the values.
#[test]
fn sh_double_double_matches_f64() {
    let mut r = rng(11);
    for norm in [
        ShNormalization::Component,
        ShNormalization::Norm,
        ShNormalization::Integral,
    ] {
        for normalize in [true, false] {
            let sh64 = SphericalHarmonics::<f64>::new(8, norm, normalize).unwrap();
            let shdd = SphericalHarmonics::<DD>::new(8, norm, normalize).unwrap();
            let xyz = uniform(&mut r, 3 * 40, 1.5);
            let xyz_dd: Vec<DD> = xyz.iter().map(|&v| DD::from_f64(v)).collect();
            let mut a = vec![0.0; 40 * sh64.dim()];
            let mut b = vec![DD::ZERO; 40 * sh64.dim()];
            sh64.compute(&xyz, &mut a);
            shdd.compute(&xyz_dd, &mut b);
            let scale = a.iter().fold(1.0f64, |m, v| m.max(v.abs()));
            let err = a
                .iter()
                .zip(&b)
                .map(|(x, y)| (y.hi - x).abs())
                .fold(0.0, f64::max);
            assert!(
                Tolerance::scaled::<f64>(64.0).allows(err, scale),
                "{norm:?} {err:e}"
            );
            // the addition theorem Σ_m Y_lm(r̂)² = 2l+1 (Component, unit vectors) holds to
            // double-double precision: ~2l+1 squares of size ≤ 2l+1
            if normalize && norm == ShNormalization::Component {
                for row in b.chunks_exact(sh64.dim()) {
                    for l in 0..=8usize {
                        let s: DD = row[l * l..(l + 1) * (l + 1)].iter().map(|&v| v * v).sum();
                        let want = DD::from_f64((2 * l + 1) as f64);
                        assert!((s - want).abs().hi <= 1e-28, "l = {l}: {}", s - want);
                    }
                }
            }
        }
    }
}

/// The precision ladder reaches below f64: D(R)·Y(x) = Y(Rx) for rational rotations of integer
/// quaternions and rational points, with R and x rounded by `from_ratio`, holds to 1e-28 in
/// double-double, while f64 only reaches ~1e-16.
#[test]
fn wigner_d_times_sh_is_sh_of_rotated_point_in_double_double() {
    let l_max = 6;
    let shdd = SphericalHarmonics::<DD>::new(l_max, ShNormalization::Component, true).unwrap();
    let sh64 = SphericalHarmonics::<f64>::new(l_max, ShNormalization::Component, true).unwrap();
    let calc = WignerDCalculator::new(l_max).unwrap();
    let mut worst_dd = 0.0f64;
    let mut worst_64 = 0.0f64;
    let quats = [
        [1, 2, 3, 4],
        [5, -1, 2, 7],
        [-3, 11, 0, 2],
        [2, 2, 1, -13],
        [17, 3, -5, 8],
    ];
    let points = [[3, -5, 7, 11], [1, 1, 1, 3], [-13, 2, 9, 17], [4, -4, 1, 7]];
    for q in quats {
        let m_dd = rational_rotation::<DD>(q);
        let m_64 = rational_rotation::<f64>(q);
        let d_dd = WignerD::from_matrix_in(l_max, m_dd).unwrap();
        let d_64 = calc.compute_from_matrix(m_64);
        for [a, b, c, den] in points {
            let x_dd = [a, b, c].map(|v| DD::from_ratio(v, den));
            let x_64 = [a, b, c].map(|v| f64::from_ratio(v, den));
            let mut lhs = vec![DD::ZERO; shdd.dim()];
            d_dd.apply_sh(&shdd.compute_point(x_dd), &mut lhs);
            let rhs = shdd.compute_point(mat_vec(&m_dd, x_dd));
            worst_dd = worst_dd.max(dd_max_diff(&lhs, &rhs));
            let mut lhs = vec![0.0; sh64.dim()];
            d_64.apply_sh(&sh64.compute_point(x_64), &mut lhs);
            let rhs = sh64.compute_point(mat_vec(&m_64, x_64));
            worst_64 = worst_64.max(Tolerance::max_abs_diff(&lhs, &rhs));
        }
    }
    assert!(
        worst_dd <= 1e-28,
        "double-double equivariance error {worst_dd:e}"
    );
    assert!(
        worst_64 > 1e-17,
        "f64 error {worst_64:e} suspiciously small"
    );
    assert!(worst_dd < worst_64 * 1e-10);
}

proptest! {
    #![proptest_config(config(24))]

    /// The same for random integer quaternions: every D^l is orthogonal and D·Y(x) = Y(Rx),
    /// both to 1e-28.
    #[test]
    fn wigner_d_double_double_properties(q in prop::array::uniform4(-30i64..30),
                                         x in prop::array::uniform3(-50i64..50)) {
        prop_assume!(q.iter().any(|&v| v != 0) && x.iter().any(|&v| v != 0));
        let l_max = 4;
        let m = rational_rotation::<DD>(q);
        let d = WignerD::from_matrix_in(l_max, m).unwrap();
        for l in 0..=l_max {
            let n = 2 * l as usize + 1;
            let b = d.block(l);
            for i in 0..n {
                for j in 0..n {
                    let dot: DD = (0..n).map(|k| b[i * n + k] * b[j * n + k]).sum();
                    let want = if i == j { DD::ONE } else { DD::ZERO };
                    prop_assert!((dot - want).abs().hi <= 1e-28);
                }
            }
        }
        let sh = SphericalHarmonics::<DD>::new(l_max, ShNormalization::Norm, true).unwrap();
        let xd = x.map(|v| DD::from_ratio(v, 7));
        let mut lhs = vec![DD::ZERO; sh.dim()];
        d.apply_sh(&sh.compute_point(xd), &mut lhs);
        prop_assert!(dd_max_diff(&lhs, &sh.compute_point(mat_vec(&m, xd))) <= 1e-28);
    }
}

/// `compute_from_matrix::<f64>` is the same recursion with the same coefficients as `compute`:
/// bit-identical; in double-double it agrees with f64 to f64 rounding.
#[test]
fn compute_from_matrix_matches_compute() {
    let calc = WignerDCalculator::new(8).unwrap();
    let mut r = rng(5);
    for _ in 0..5 {
        let rot = Rotation::random(&mut r);
        let a = calc.compute::<f64>(&rot);
        let b = calc.compute_from_matrix(rot.matrix());
        assert_eq!(a, b);
        let c = calc.compute_from_matrix(rot.matrix().map(|row| row.map(DD::from_f64)));
        for l in 0..=8 {
            let err = a
                .block(l)
                .iter()
                .zip(c.block(l))
                .map(|(x, y)| (y.hi - x).abs())
                .fold(0.0, f64::max);
            // one rounding per recursion level and ≤ 25 products each
            assert!(Tolerance::scaled::<f64>(25.0 * f64::from(l + 1)).allows(err, 1.0));
        }
    }
    let bad = [[1.0, 0.1, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]].map(|r| r.map(DD::from_f64));
    assert!(WignerD::from_matrix_in(2, bad).is_err());
    assert!(WignerD::<DD>::from_matrix_in(600, rational_rotation(q1())).is_err());
}

fn q1() -> [i64; 4] {
    [1, 2, 3, 4]
}

/// TensorProduct, Linear and FusionBlock run in double-double, agree with f64 to f64 rounding,
/// and are equivariant to 1e-28 under a rational rotation.
#[test]
fn kernels_run_in_double_double_and_are_equivariant_below_f64() {
    let mut r = rng(21);
    let irreps: Irreps = "2x0e+2x1o+2x2e".parse().unwrap();
    let dim = irreps.dim();
    let x64 = uniform(&mut r, dim, 1.0);
    let y64 = uniform(&mut r, dim, 1.0);
    let to_dd = |v: &[f64]| v.iter().map(|&a| DD::from_f64(a)).collect::<Vec<DD>>();
    let (x, y) = (to_dd(&x64), to_dd(&y64));
    let m = rational_rotation::<DD>([3, -1, 4, 1]);
    let d = WignerD::from_matrix_in(4, m).unwrap();

    // tensor product
    let tp64 = TensorProduct::<f64>::full(&irreps, &irreps).unwrap();
    let tp = TensorProduct::<DD>::full(&irreps, &irreps).unwrap();
    let z64 = tp64.apply(&x64, &y64, Weights::None).unwrap();
    let z = tp.apply(&x, &y, Weights::None).unwrap();
    let err = z64
        .iter()
        .zip(&z)
        .map(|(a, b)| (b.hi - a).abs())
        .fold(0.0, f64::max);
    assert!(
        Tolerance::scaled::<f64>(64.0).allows(err, 4.0),
        "tp {err:e}"
    );
    let zr = tp
        .apply(
            &rotate_features(&irreps, &d, &x),
            &rotate_features(&irreps, &d, &y),
            Weights::None,
        )
        .unwrap();
    let rz = rotate_features(tp.irreps_out(), &d, &z);
    assert!(
        dd_max_diff(&zr, &rz) <= 1e-28,
        "tp equivariance {:e}",
        dd_max_diff(&zr, &rz)
    );

    // linear
    let lin64 = Linear::<f64>::new(&irreps, &irreps).unwrap();
    let lin = Linear::<DD>::new(&irreps, &irreps).unwrap();
    let w64 = uniform(&mut r, lin.weight_numel(), 1.0);
    let w = to_dd(&w64);
    let a64 = lin64.apply(&x64, Weights::Shared(&w64), None).unwrap();
    let a = lin.apply(&x, Weights::Shared(&w), None).unwrap();
    let err = a64
        .iter()
        .zip(&a)
        .map(|(p, q)| (q.hi - p).abs())
        .fold(0.0, f64::max);
    assert!(
        Tolerance::scaled::<f64>(8.0).allows(err, 2.0),
        "linear {err:e}"
    );
    let ar = lin
        .apply(&rotate_features(&irreps, &d, &x), Weights::Shared(&w), None)
        .unwrap();
    assert!(dd_max_diff(&ar, &rotate_features(&irreps, &d, &a)) <= 1e-28);

    // fusion block (body order 3)
    let out: Irreps = "2x0e+2x1o".parse().unwrap();
    let fb64 = FusionBlock::<f64>::new(&irreps, 3, &out, FusionBlockOptions::default()).unwrap();
    let fb = FusionBlock::<DD>::new(&irreps, 3, &out, FusionBlockOptions::default()).unwrap();
    let wf64 = uniform(&mut r, fb.weight_numel(), 1.0);
    let wf = to_dd(&wf64);
    let b64 = fb64
        .forward(
            &IrrepsArray::new(irreps.clone(), 1, x64.clone()).unwrap(),
            &wf64,
        )
        .unwrap();
    let b = fb
        .forward(
            &IrrepsArray::new(irreps.clone(), 1, x.clone()).unwrap(),
            &wf,
        )
        .unwrap();
    let err = b64
        .data()
        .iter()
        .zip(b.data())
        .map(|(p, q)| (q.hi - p).abs())
        .fold(0.0, f64::max);
    assert!(
        Tolerance::scaled::<f64>(256.0).allows(err, 4.0),
        "fusion {err:e}"
    );
    let xr = IrrepsArray::new(irreps.clone(), 1, rotate_features(&irreps, &d, &x)).unwrap();
    let br = fb.forward(&xr, &wf).unwrap();
    let rb = rotate_features(&out, &d, b.data());
    assert!(dd_max_diff(br.data(), &rb) <= 1e-28, "fusion equivariance");
}
