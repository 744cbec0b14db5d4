//! `Dual<T>`: forward-mode derivatives through every kernel, checked against analytic
//! gradients, exact bilinearity and central differences in double-double.

use crate::common::{config, rng};
use crate::double_double::uniform;
use proptest::prelude::*;
use racah_core::Irreps;
use racah_exact::SqrtRational;
use racah_numeric::{
    DoubleDouble as DD, Dual, Float, FusionBlock, FusionBlockOptions, IrrepsArray, Linear,
    ShNormalization, SphericalHarmonics, TensorProduct, Tolerance, Weights, WignerD,
};

/// x + v·ε for each entry.
fn seed<T: Float>(x: &[T], v: &[T]) -> Vec<Dual<T>> {
    x.iter().zip(v).map(|(&a, &b)| Dual::new(a, b)).collect()
}

fn consts<T: Float>(x: &[T]) -> Vec<Dual<T>> {
    x.iter().map(|&a| Dual::constant(a)).collect()
}

fn dd(v: &[f64]) -> Vec<DD> {
    v.iter().map(|&a| DD::from_f64(a)).collect()
}

fn eps<T: Float>(x: &[Dual<T>]) -> Vec<T> {
    x.iter().map(|d| d.eps).collect()
}

fn re<T: Float>(x: &[Dual<T>]) -> Vec<T> {
    x.iter().map(|d| d.re).collect()
}

/// max |a − b| with the difference formed in `T` (double-double stays exact enough).
fn diff<T: Float>(a: &[T], b: &[T]) -> f64 {
    assert_eq!(a.len(), b.len());
    a.iter()
        .zip(b)
        .map(|(&x, &y)| (x - y).abs().hi())
        .fold(0.0, f64::max)
}

fn max_abs<T: Float>(a: &[T]) -> f64 {
    a.iter().fold(0.0, |m: f64, v| m.max(v.hi().abs()))
}

/// f(x) = tanh(sin(x)·exp(x/3)) + ln(1 + x²) + √(2 + cos x)/(1 + x²), and its derivative.
fn f<T: Float>(x: T) -> T {
    let one = T::ONE;
    let two = T::from_f64(2.0);
    let third = T::from_ratio(1, 3);
    (x.sin() * (x * third).exp()).tanh()
        + (one + x * x).ln()
        + (two + x.cos()).sqrt() / (one + x * x)
}

#[test]
fn test_dual_golden() {
    let x = 0.7f64;
    let v = Dual::variable(x);
    assert_eq!(v.sin().eps, x.cos());
    assert_eq!(v.cos().eps, -x.sin());
    assert_eq!(v.exp().eps, x.exp());
    assert_eq!(v.ln().eps, 1.0 / x);
    assert_eq!(v.tanh().eps, 1.0 - x.tanh() * x.tanh());
    assert_eq!(v.sqrt().eps, 0.5 / x.sqrt());
    assert_eq!((v * v * v).eps, 3.0 * x * x);
    assert_eq!((Dual::constant(1.0) / v).eps, -(1.0 / x) / x);
    assert_eq!((-v).abs().eps, 1.0);
    // constants carry no derivative
    for c in [
        Dual::<f64>::pi(),
        Dual::frac_1_sqrt_4pi(),
        Dual::sqrt_ratio(3, 7),
        Dual::from_ratio(-2, 9),
        Dual::round_exact(&SqrtRational::sqrt_of_ratio(5, 3).unwrap()),
        Dual::exp2i(5),
        Dual::EPSILON,
        Dual::from_f64(0.1),
    ] {
        assert_eq!(c.eps, 0.0);
    }
    assert_eq!(Dual::<f64>::pi().re, std::f64::consts::PI);
    assert_eq!(<Dual<f64> as Float>::NAME, "dual");
    assert_eq!(<Dual<DD> as Float>::EPSILON.re, DD::EPSILON);
    assert_eq!(<Dual<f32> as Float>::MAX_EXP, f32::MAX_EXP);
    assert_eq!(Dual::new(1.5f64, -2.0).to_string(), "1.5 + -2ε");
    assert_eq!(Dual::new(DD::ONE, DD::ZERO).hi(), 1.0);
    // second derivative with nested duals: (x³)'' = 6x
    let x2 = Dual::new(Dual::variable(2.0f64), Dual::constant(1.0));
    let y = x2 * x2 * x2;
    assert_eq!((y.re.re, y.re.eps, y.eps.eps), (8.0, 12.0, 12.0));
    // comparisons by value only
    assert!(Dual::new(1.0f64, 5.0) == Dual::new(1.0, -3.0));
    assert!(Dual::new(1.0f64, 5.0) < Dual::new(2.0, -3.0));
}

#[test]
fn dual_rejects_bad_input() {
    // non-differentiable or singular points give infinities, not panics or silent zeros
    let zero = Dual::variable(0.0f64);
    assert!(!zero.sqrt().is_finite());
    assert_eq!(Dual::constant(0.0f64).sqrt().eps, 0.0);
    assert!(!zero.ln().is_finite());
    assert!(!(Dual::constant(1.0f64) / zero).is_finite());
    assert!(!Dual::new(1.0f64, f64::NAN).is_finite());
    assert!(Dual::<f64>::NAN.max(Dual::ONE) == Dual::ONE);
    assert!(std::panic::catch_unwind(|| Dual::<f64>::from_ratio(1, 0)).is_err());
    assert!(std::panic::catch_unwind(|| Dual::<DD>::sqrt_ratio(1, 0)).is_err());
}

proptest! {
    #![proptest_config(config(128))]

    /// f'(x) by Dual<f64> and Dual<DD> against a central difference of f in double-double:
    /// (f(x+h) − f(x−h))/2h with h = 2⁻³⁴ is off by ≈ h²|f'''|/6 + 2⁻¹⁰⁴|f|/h < 1e-19·C.
    #[test]
    fn dual_properties(x in -3.0f64..3.0) {
        let h = DD::exp2i(-34);
        let xd = DD::from_f64(x);
        let fd = (f(xd + h) - f(xd - h)) / (h + h);
        let d64 = f(Dual::variable(x));
        let ddd = f(Dual::variable(xd));
        prop_assert_eq!(d64.re, f(x));
        prop_assert_eq!(ddd.re, f(xd));
        let scale = fd.hi.abs().max(1.0);
        // f64: ~20 operations, each with relative error eps, on values of size ≤ 4 (measured
        // ≤ 2.3 eps)
        prop_assert!(Tolerance::scaled::<f64>(16.0).allows(d64.eps - fd.hi, scale));
        prop_assert!((ddd.eps - fd).abs().hi <= 1e-19 * scale, "{} vs {}", ddd.eps, fd);
        // the same in f32
        let d32 = f(Dual::variable(x as f32));
        prop_assert!(Tolerance::scaled::<f32>(16.0).allows(f64::from(d32.eps) - fd.hi, scale));
    }
}

/// d/dx_a of the harmonics by Dual<f64> equals `compute_with_gradients` (two formulas for the
/// same derivative: the kernel's recursion differentiated vs the five-term gradient rule);
/// bound 64·eps (recursions of ≤ 2·l_max + 5 rounded steps; measured ≤ 4.3 eps) relative to
/// the largest gradient.
#[test]
fn sh_dual_matches_analytic_gradients() {
    let mut r = rng(3);
    let l_max = 6;
    for norm in [
        ShNormalization::Component,
        ShNormalization::Norm,
        ShNormalization::Integral,
    ] {
        for normalize in [true, false] {
            let sh = SphericalHarmonics::<f64>::new(l_max, norm, normalize).unwrap();
            let shd = SphericalHarmonics::<Dual<f64>>::new(l_max, norm, normalize).unwrap();
            let shdd = SphericalHarmonics::<Dual<DD>>::new(l_max, norm, normalize).unwrap();
            let n = 20;
            let xyz = uniform(&mut r, 3 * n, 1.5);
            let dim = sh.dim();
            let (mut y, mut g) = (vec![0.0; n * dim], vec![0.0; 3 * n * dim]);
            sh.compute_with_gradients(&xyz, &mut y, &mut g);
            let scale = max_abs(&g);
            for a in 0..3 {
                let v: Vec<f64> = (0..3 * n)
                    .map(|i| f64::from(u8::from(i % 3 == a)))
                    .collect();
                let mut out = vec![Dual::ZERO; n * dim];
                shd.compute(&seed(&xyz, &v), &mut out);
                let ga: Vec<f64> = (0..n * dim).map(|i| g[3 * i + a]).collect();
                let err = diff(&eps(&out), &ga);
                let units = 64.0;
                assert!(
                    Tolerance::scaled::<f64>(units).allows(err, scale),
                    "{norm:?} {err:e}"
                );
                assert_eq!(re(&out), y);
                // Dual<DD> agrees with both to f64 rounding of the f64 gradient
                let mut out_dd = vec![Dual::ZERO; n * dim];
                shdd.compute(&seed(&dd(&xyz), &dd(&v)), &mut out_dd);
                let g_dd: Vec<f64> = eps(&out_dd).iter().map(|v| v.hi).collect();
                assert!(Tolerance::scaled::<f64>(units).allows(diff(&g_dd, &ga), scale));
            }
        }
    }
}

/// The tensor product is bilinear: d/dt TP(x + t v, y) = TP(v, y), and linear in the weights:
/// d/dt TP_{w + t u}(x, y) = TP_u(x, y). Dual<f64> within 64 eps (sums of ≤ 64 terms of size
/// ≤ 4; the eps part repeats the f64 operations, measured 0), Dual<DD> within 1e-28.
#[test]
fn tensor_product_dual_is_bilinear_derivative() {
    let mut r = rng(8);
    let irreps: Irreps = "2x0e+2x1o+1x2e".parse().unwrap();
    let tp = TensorProduct::<f64>::full(&irreps, &irreps).unwrap();
    let tpd = TensorProduct::<Dual<f64>>::full(&irreps, &irreps).unwrap();
    let tpdd = TensorProduct::<DD>::full(&irreps, &irreps).unwrap();
    let tpddd = TensorProduct::<Dual<DD>>::full(&irreps, &irreps).unwrap();
    let batch = 3;
    let n = batch * irreps.dim();
    let (x, v, y) = (
        uniform(&mut r, n, 1.0),
        uniform(&mut r, n, 1.0),
        uniform(&mut r, n, 1.0),
    );
    let z = tpd
        .apply(&seed(&x, &v), &consts(&y), Weights::None)
        .unwrap();
    let want = tp.apply(&v, &y, Weights::None).unwrap();
    assert!(Tolerance::scaled::<f64>(8.0).allows(diff(&eps(&z), &want), 4.0));
    assert_eq!(re(&z), tp.apply(&x, &y, Weights::None).unwrap());
    let z = tpddd
        .apply(&seed(&dd(&x), &dd(&v)), &consts(&dd(&y)), Weights::None)
        .unwrap();
    let want = tpdd.apply(&dd(&v), &dd(&y), Weights::None).unwrap();
    assert!(diff(&eps(&z), &want) <= 1e-28);

    // weights, with GEMM groups (shared uvw weights)
    let tpw = TensorProduct::<f64>::fully_connected(&irreps, &irreps, &irreps).unwrap();
    let tpwd = TensorProduct::<Dual<f64>>::fully_connected(&irreps, &irreps, &irreps).unwrap();
    let (w, u) = (
        uniform(&mut r, tpw.weight_numel(), 1.0),
        uniform(&mut r, tpw.weight_numel(), 1.0),
    );
    let wd = seed(&w, &u);
    let z = tpwd
        .apply(&consts(&x), &consts(&y), Weights::Shared(&wd))
        .unwrap();
    let want = tpw.apply(&x, &y, Weights::Shared(&u)).unwrap();
    assert!(Tolerance::scaled::<f64>(8.0).allows(diff(&eps(&z), &want), 4.0));
}

/// Linear maps are their own derivative: d/dt L(x + t v) = L(v).
#[test]
fn linear_dual_is_linear() {
    let mut r = rng(13);
    let irreps: Irreps = "8x0e+8x1o+4x2e".parse().unwrap();
    let lin = Linear::<f64>::new(&irreps, &irreps).unwrap();
    let lind = Linear::<Dual<f64>>::new(&irreps, &irreps).unwrap();
    let batch = 4;
    let n = batch * irreps.dim();
    let (x, v) = (uniform(&mut r, n, 1.0), uniform(&mut r, n, 1.0));
    let w = uniform(&mut r, lin.weight_numel(), 1.0);
    let z = lind
        .apply(&seed(&x, &v), Weights::Shared(&consts(&w)), None)
        .unwrap();
    let want = lin.apply(&v, Weights::Shared(&w), None).unwrap();
    // fan-in ≤ 8 products, normalised by 1/√fan-in
    assert!(Tolerance::scaled::<f64>(4.0).allows(diff(&eps(&z), &want), 3.0));
}

/// A fusion block of body order 3 is a cubic polynomial in x: its Dual derivative matches a
/// central difference in double-double (h = 2⁻³⁴: error h²|f'''|/6 + 2⁻¹⁰⁴|f|/h ≲ 1e-20·C).
#[test]
fn fusion_block_dual_matches_double_double_central_difference() {
    let mut r = rng(17);
    let irreps: Irreps = "2x0e+2x1o+2x2e".parse().unwrap();
    let out: Irreps = "2x0e+2x1o+2x2e".parse().unwrap();
    let opts = FusionBlockOptions::default();
    let fbd = FusionBlock::<Dual<f64>>::new(&irreps, 3, &out, opts).unwrap();
    let fbdd = FusionBlock::<DD>::new(&irreps, 3, &out, opts).unwrap();
    let fbddd = FusionBlock::<Dual<DD>>::new(&irreps, 3, &out, opts).unwrap();
    let batch = 2;
    let n = batch * irreps.dim();
    let (x, v) = (uniform(&mut r, n, 1.0), uniform(&mut r, n, 1.0));
    let w = uniform(&mut r, fbdd.weight_numel(), 1.0);
    fn arr<T: Float>(irreps: &Irreps, batch: usize, d: Vec<T>) -> IrrepsArray<T> {
        IrrepsArray::new(irreps.clone(), batch, d).unwrap()
    }

    let h = DD::exp2i(-34);
    let (xd, vd) = (dd(&x), dd(&v));
    let shifted = |s: DD| {
        arr(
            &irreps,
            batch,
            xd.iter().zip(&vd).map(|(&a, &b)| a + s * b).collect(),
        )
    };
    let plus = fbdd.forward(&shifted(h), &dd(&w)).unwrap();
    let minus = fbdd.forward(&shifted(-h), &dd(&w)).unwrap();
    let fd: Vec<DD> = plus
        .data()
        .iter()
        .zip(minus.data())
        .map(|(&p, &m)| (p - m) / (h + h))
        .collect();
    let scale = max_abs(&fd).max(1.0);

    let z = fbd
        .forward(&arr(&irreps, batch, seed(&x, &v)), &consts(&w))
        .unwrap();
    let fd_hi: Vec<f64> = fd.iter().map(|d| d.hi).collect();
    // ≤ 3 chained couplings of ≤ 25 terms each, summed over the paths (measured 1 eps)
    assert!(Tolerance::scaled::<f64>(16.0).allows(diff(&eps(z.data()), &fd_hi), scale));
    let z = fbddd
        .forward(&arr(&irreps, batch, seed(&xd, &vd)), &consts(&dd(&w)))
        .unwrap();
    let err = diff(&eps(z.data()), &fd);
    assert!(
        err <= 1e-19 * scale,
        "Dual<DD> vs central difference: {err:e}"
    );
}

/// d/dθ D(R(θ)) for a rotation about a fixed axis, by Dual<DD> through
/// `WignerD::from_matrix_in`, against a central difference of D in double-double.
#[test]
fn wigner_d_dual_matches_central_difference() {
    fn rot<T: Float>(th: T) -> [[T; 3]; 3] {
        // Rodrigues about n = (2, 3, 6)/7: R = I + sin θ K + (1 − cos θ) K²
        let n = [2, 3, 6].map(|k| T::from_ratio(k, 7));
        let k = [
            [T::ZERO, -n[2], n[1]],
            [n[2], T::ZERO, -n[0]],
            [-n[1], n[0], T::ZERO],
        ];
        let (s, c) = (th.sin(), T::ONE - th.cos());
        std::array::from_fn(|i| {
            std::array::from_fn(|j| {
                let k2: T = (0..3).map(|m| k[i][m] * k[m][j]).sum();
                let id = if i == j { T::ONE } else { T::ZERO };
                id + s * k[i][j] + c * k2
            })
        })
    }
    let l_max = 4;
    let th = DD::from_ratio(7, 10);
    let d = WignerD::from_matrix_in(l_max, rot(Dual::variable(th))).unwrap();
    let h = DD::exp2i(-34);
    let plus = WignerD::from_matrix_in(l_max, rot(th + h)).unwrap();
    let minus = WignerD::from_matrix_in(l_max, rot(th - h)).unwrap();
    for l in 0..=l_max {
        let fd: Vec<DD> = plus
            .block(l)
            .iter()
            .zip(minus.block(l))
            .map(|(&p, &m)| (p - m) / (h + h))
            .collect();
        let got = eps(d.block(l));
        // h²·l³/6 ≈ 3e-21·l³ truncation plus 2⁻¹⁰⁴/h ≈ 1e-21 roundoff
        assert!(diff(&got, &fd) <= 1e-18, "l = {l}: {:e}", diff(&got, &fd));
        let re_part: Vec<DD> = re(d.block(l));
        assert_eq!(
            re_part,
            WignerD::from_matrix_in(l_max, rot(th)).unwrap().block(l)
        );
    }
    // Dual<f64> agrees to f64 rounding
    let d64 = WignerD::from_matrix_in(l_max, rot(Dual::variable(0.7f64))).unwrap();
    let got: Vec<f64> = eps(d64.block(l_max));
    let want: Vec<f64> = eps(d.block(l_max)).iter().map(|v| v.hi).collect();
    // ≤ 25 products per recursion level (measured 4 eps)
    assert!(Tolerance::scaled::<f64>(32.0).allows(diff(&got, &want), f64::from(l_max)));
}
