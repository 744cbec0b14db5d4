//! Gradients of the spherical harmonics: golden, finite differences, analytic identities.

use crate::common::{config, point};
use proptest::prelude::*;
use racah_numeric::{Float, ShNormalization, SphericalHarmonics, Tolerance};

fn calc(l_max: u32, norm: ShNormalization, normalize: bool) -> SphericalHarmonics<f64> {
    SphericalHarmonics::new(l_max, norm, normalize).unwrap()
}

fn values_and_grad(sh: &SphericalHarmonics<f64>, p: [f64; 3]) -> (Vec<f64>, Vec<f64>) {
    let (mut y, mut g) = (vec![0.0; sh.dim()], vec![0.0; 3 * sh.dim()]);
    sh.compute_with_gradients(&p, &mut y, &mut g);
    (y, g)
}

#[test]
fn test_sh_gradient_golden_l2() {
    // Hand derivatives of √15 xz, √15 xy, √5/2 (2y²−x²−z²), √15 yz, √15/2 (z²−x²).
    let (s15, s5) = (15f64.sqrt(), 5f64.sqrt());
    let [x, y, z] = [0.5, -1.5, 2.0];
    let want = [
        [s15 * z, 0.0, s15 * x],
        [s15 * y, s15 * x, 0.0],
        [-s5 * x, 2.0 * s5 * y, -s5 * z],
        [0.0, s15 * z, s15 * y],
        [-s15 * x, 0.0, s15 * z],
    ];
    let (_, g) = values_and_grad(&calc(2, ShNormalization::Component, false), [x, y, z]);
    for (k, w) in want.iter().enumerate() {
        for a in 0..3 {
            let got = g[3 * (4 + k) + a];
            assert!(
                Tolerance::scaled::<f64>(4.0).allows(got - w[a], 8.0),
                "Y2[{k}] d{a}"
            );
        }
    }
    // Normalised: ∇(x/|x|)·√3 at (0, 0, 2) is √3/2 (1, 1, 0) on the diagonal.
    let (_, g) = values_and_grad(&calc(1, ShNormalization::Component, true), [0.0, 0.0, 2.0]);
    let h = 3f64.sqrt() / 2.0;
    assert_eq!(&g[3..12], &[h, 0.0, 0.0, 0.0, h, 0.0, 0.0, 0.0, 0.0]);
}

#[test]
fn sh_gradient_rejects_bad_input() {
    // NaN input: values and gradients NaN (no panic); shapes are checked by assertion.
    let sh = calc(2, ShNormalization::Component, true);
    let (y, g) = values_and_grad(&sh, [f64::NAN, 1.0, 0.0]);
    assert!(y.iter().chain(&g).all(|v| v.is_nan()));
    let r = std::panic::catch_unwind(|| {
        sh.compute_with_gradients(&[1.0, 0.0, 0.0], &mut [0.0; 9], &mut [0.0; 26]);
    });
    assert!(r.is_err());
}

/// Five-point central difference of Y along axis a.
fn finite_difference(sh: &SphericalHarmonics<f64>, p: [f64; 3], a: usize, h: f64) -> Vec<f64> {
    let at = |t: f64| {
        let mut q = p;
        q[a] += t;
        sh.compute_point(q)
    };
    let (m2, m1, p1, p2) = (at(-2.0 * h), at(-h), at(h), at(2.0 * h));
    (0..sh.dim())
        .map(|k| (m2[k] - 8.0 * m1[k] + 8.0 * p1[k] - p2[k]) / (12.0 * h))
        .collect()
}

proptest! {
    #![proptest_config(config(32))]

    #[test]
    fn sh_gradient_matches_finite_differences(
        u in crate::common::unit_vector(),
        r in 0.5f64..2.0,
        l_max in 0u32..=10,
        normalize in any::<bool>(),
        norm in prop_oneof![Just(ShNormalization::Component), Just(ShNormalization::Integral),
                            Just(ShNormalization::Norm)],
    ) {
        let p = u.map(|v| v * r);
        let sh = calc(l_max, norm, normalize);
        let (_, g) = values_and_grad(&sh, p);
        let h = 1e-3;
        for a in 0..3 {
            let fd = finite_difference(&sh, p, a, h);
            for (k, f) in fd.iter().enumerate() {
                let l = (k as f64).sqrt().floor();
                // not an eps bound: the 5-point stencil's truncation error O(h⁴ l⁵) ≤ 1e-7
                // relative to the derivative scale l·√(2l+1)·r^(l−1) (4^(l-1) for r ≤ 2)
                let scale = (l + 1.0) * (2.0 * l + 1.0).sqrt() * r.max(1.0 / r).powf(l);
                prop_assert!((g[3 * k + a] - f).abs() <= 1e-7 * scale,
                    "k={} axis={} analytic {} fd {}", k, a, g[3 * k + a], f);
            }
        }
    }

    #[test]
    fn sh_gradient_identities(p in point(), l_max in 0u32..=32) {
        // Solid harmonics: Euler's identity x·∇S_l = l S_l.
        let (s, gs) = values_and_grad(&calc(l_max, ShNormalization::Component, false), p);
        let r = p.iter().map(|v| v * v).sum::<f64>().sqrt();
        for k in 0..s.len() {
            let l = (k as f64).sqrt().floor();
            let radial: f64 = (0..3).map(|a| p[a] * gs[3 * k + a]).sum();
            // 5 terms per component, 3 components, values ~ √(2l+1) r^l; measured
            // (3000 points, l ≤ 32) ≤ 0.5(l+1) eps at this scale, stated 4(l+1)
            let scale = (l + 1.0) * (2.0 * l + 1.0).sqrt() * r.powf(l);
            prop_assert!(Tolerance::scaled::<f64>(4.0 * (l + 1.0)).allows(radial - l * s[k], scale),
                "k={} {} vs {}", k, radial, l * s[k]);
        }
        // Normalised harmonics: no radial derivative, and Σ_m Y ∇Y = ½∇(2l+1) = 0.
        let (y, gy) = values_and_grad(&calc(l_max, ShNormalization::Component, true), p);
        for l in 0..=l_max as usize {
            let scale = (l as f64 + 1.0) * (2 * l + 1) as f64 / r;
            // measured ≤ 0.7(l+1) eps at this scale, stated 4(l+1)
            let tol = Tolerance::scaled::<f64>(4.0 * (l as f64 + 1.0));
            let mut s = [0.0; 3];
            for k in l * l..(l + 1) * (l + 1) {
                let radial: f64 = (0..3).map(|a| p[a] * gy[3 * k + a]).sum();
                prop_assert!(tol.allows(radial, scale * r));
                for a in 0..3 {
                    s[a] += y[k] * gy[3 * k + a];
                }
            }
            for v in s {
                prop_assert!(tol.allows(v, scale), "l={} Σ Y∇Y = {}", l, v);
            }
        }
    }

    #[test]
    fn sh_gradient_f32_agrees_with_f64(u in crate::common::unit_vector(), l_max in 0u32..=32) {
        let sh64 = calc(l_max, ShNormalization::Component, true);
        let sh32 = SphericalHarmonics::<f32>::new(l_max, ShNormalization::Component, true).unwrap();
        let (_, g64) = values_and_grad(&sh64, u);
        let (mut y32, mut g32) = (vec![0.0f32; sh32.dim()], vec![0.0f32; 3 * sh32.dim()]);
        sh32.compute_with_gradients(&u.map(|v| v as f32), &mut y32, &mut g32);
        for k in 0..sh64.dim() {
            let l = (k as f64).sqrt().floor();
            for a in 0..3 {
                let tol = Tolerance::scaled::<f32>(16.0 * (l + 1.0) * (l + 1.0));
                prop_assert!(tol.allows(f64::from(g32[3 * k + a]) - g64[3 * k + a],
                    (2.0 * l + 1.0).sqrt()), "k={} a={}", k, a);
            }
        }
    }
}

/// Batched gradients against one point at a time, bit for bit, for every kernel: the
/// compile-time degrees, the block kernel (l_max ≤ 11 in f64, ≤ 16 in f32), the fused per-point
/// kernel above, every normalisation, with special points mixed into the blocks.
fn batched_gradients_equal_pointwise<T: Float>() {
    let mut rng = crate::common::rng(11);
    let mut xyz: Vec<T> = (0..3 * 203)
        .map(|_| T::from_f64(rand::RngExt::random::<f64>(&mut rng) - 0.5))
        .collect();
    // zero, tiny, huge, non-finite and axis points inside the blocks
    let special = [
        [0.0, 0.0, 0.0],
        [1e-300, 0.0, -1e-300],
        [1e300, 2e300, 0.0],
        [f64::NAN, 1.0, 0.0],
        [0.0, -2.0, 0.0],
        [3.0, 0.0, 0.0],
    ];
    for (i, p) in special.iter().enumerate() {
        for a in 0..3 {
            xyz[3 * (7 * i + 2) + a] = T::from_f64(p[a]);
        }
    }
    let bits = |v: &[T]| v.iter().map(|x| x.to_f64().to_bits()).collect::<Vec<u64>>();
    let norms = [
        ShNormalization::Component,
        ShNormalization::Norm,
        ShNormalization::Integral,
    ];
    for l_max in [0u32, 3, 6, 7, 11, 12, 16, 17, 20, 32] {
        for (norm, normalize) in norms.iter().flat_map(|&n| [(n, true), (n, false)]) {
            let sh = SphericalHarmonics::<T>::new(l_max, norm, normalize).unwrap();
            let dim = sh.dim();
            let n = xyz.len() / 3;
            let (mut y, mut g) = (vec![T::ZERO; n * dim], vec![T::ZERO; 3 * n * dim]);
            sh.compute_with_gradients(&xyz, &mut y, &mut g);
            let (mut y1, mut g1) = (vec![T::ZERO; dim], vec![T::ZERO; 3 * dim]);
            for j in 0..n {
                sh.compute_with_gradients(&xyz[3 * j..3 * j + 3], &mut y1, &mut g1);
                let what = format!("{} l_max {l_max} {norm:?} {normalize} point {j}", T::NAME);
                assert_eq!(
                    bits(&y[j * dim..(j + 1) * dim]),
                    bits(&y1),
                    "values, {what}"
                );
                assert_eq!(
                    bits(&g[3 * j * dim..3 * (j + 1) * dim]),
                    bits(&g1),
                    "{what}"
                );
            }
        }
    }
}

#[test]
fn sh_gradients_batched_equal_pointwise() {
    batched_gradients_equal_pointwise::<f64>();
    batched_gradients_equal_pointwise::<f32>();
}
