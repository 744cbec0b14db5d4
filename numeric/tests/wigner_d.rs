//! Wigner D: golden blocks, equivariance with the harmonics up to l = 32, group laws, O(3).

use crate::common::{config, o3_element, rotation, unit_vector};
use proptest::prelude::*;
use racah_core::{Irrep, Parity};
use racah_numeric::{
    lm_index, NumericError, O3Element, Rotation, ShNormalization, SphericalHarmonics, Tolerance,
    WignerD, WignerDCalculator,
};

fn sh(l_max: u32) -> SphericalHarmonics<f64> {
    SphericalHarmonics::new(l_max, ShNormalization::Component, true).unwrap()
}

/// max |DᵀD − I| of one block.
fn orthogonality_defect(d: &[f64], n: usize) -> f64 {
    let mut worst: f64 = 0.0;
    for i in 0..n {
        for j in 0..n {
            let s: f64 = (0..n).map(|k| d[k * n + i] * d[k * n + j]).sum();
            worst = worst.max((s - if i == j { 1.0 } else { 0.0 }).abs());
        }
    }
    worst
}

fn matmul(a: &[f64], b: &[f64], n: usize) -> Vec<f64> {
    let mut c = vec![0.0; n * n];
    for i in 0..n {
        for k in 0..n {
            for j in 0..n {
                c[i * n + j] += a[i * n + k] * b[k * n + j];
            }
        }
    }
    c
}

#[test]
fn test_wigner_d_golden() {
    // D^1 = R exactly; identity gives identity blocks.
    let r = Rotation::from_euler_angles(0.3, -1.2, 2.5).unwrap();
    let d = WignerD::<f64>::new(6, &r).unwrap();
    assert_eq!(d.block(1), r.matrix().concat().as_slice());
    let id = WignerD::<f64>::new(6, &Rotation::IDENTITY).unwrap();
    for l in 0..=6u32 {
        let n = 2 * l as usize + 1;
        for i in 0..n {
            for j in 0..n {
                let want = if i == j { 1.0 } else { 0.0 };
                assert!((id.block(l)[i * n + j] - want).abs() <= 4.0 * f64::EPSILON);
            }
        }
    }
    // R_y(π/2): (x, y, z) ↦ (z, y, −x). With Y_2 ∝ (xz, xy, 2y²−x²−z², yz, z²−x²):
    // Y_2(Rx) = (−xz, yz, ·, −xy, −(z²−x²)), so D^2 is the signed permutation below.
    let d = WignerD::<f64>::from_euler_angles(2, std::f64::consts::FRAC_PI_2, 0.0, 0.0).unwrap();
    #[rustfmt::skip]
    let want = [
        -1.0, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 1.0, 0.0,
        0.0, 0.0, 1.0, 0.0, 0.0,
        0.0, -1.0, 0.0, 0.0, 0.0,
        0.0, 0.0, 0.0, 0.0, -1.0,
    ];
    for (g, w) in d.block(2).iter().zip(want) {
        assert!((g - w).abs() <= 4.0 * f64::EPSILON, "{g} vs {w}");
    }
    // R_x(π/2): (x, y, z) ↦ (x, −z, y). Y_2(Rx) = √15 (xy, −xz, ·, −yz, ·) and
    // 2z²−x²−y² = −½(2y²−x²−z²) + (3/2)(z²−x²), y²−x² = ½(2y²−x²−z²) + ½(z²−x²):
    let d =
        WignerD::<f64>::from_axis_angle(2, [1.0, 0.0, 0.0], std::f64::consts::FRAC_PI_2).unwrap();
    let h = 3f64.sqrt() / 2.0;
    #[rustfmt::skip]
    let want = [
        0.0, 1.0, 0.0, 0.0, 0.0,
        -1.0, 0.0, 0.0, 0.0, 0.0,
        0.0, 0.0, -0.5, 0.0, h,
        0.0, 0.0, 0.0, -1.0, 0.0,
        0.0, 0.0, h, 0.0, 0.5,
    ];
    for (g, w) in d.block(2).iter().zip(want) {
        assert!((g - w).abs() <= 8.0 * f64::EPSILON, "{g} vs {w}");
    }
}

#[test]
fn wigner_d_rejects_bad_input() {
    let skew = [[1.0, 0.2, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
    assert!(matches!(
        WignerD::<f64>::from_matrix(2, skew),
        Err(NumericError::NotOrthogonal { .. })
    ));
    let mirror = [[-1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
    assert!(matches!(
        WignerD::<f64>::from_matrix(2, mirror),
        Err(NumericError::NotProperRotation { det, .. }) if det == -1.0
    ));
    assert!(matches!(
        WignerD::<f64>::from_quaternion(2, [1.0, 0.1, 0.0, 0.0]),
        Err(NumericError::NotUnitQuaternion { .. })
    ));
    assert_eq!(
        WignerD::<f64>::from_euler_angles(2, 0.0, f64::NAN, 0.0),
        Err(NumericError::NonFinite {
            what: "Euler angles",
            index: 1
        })
    );
    assert_eq!(
        WignerD::<f64>::from_axis_angle(2, [0.0; 3], 1.0),
        Err(NumericError::ZeroAxis { axis: [0.0; 3] })
    );
    assert_eq!(
        WignerD::<f64>::new(600, &Rotation::IDENTITY),
        Err(NumericError::LMaxTooLarge {
            l_max: 600,
            max: 512
        })
    );
    let d = WignerD::<f64>::new(2, &Rotation::IDENTITY).unwrap();
    assert_eq!(
        d.try_block(3),
        Err(NumericError::DegreeOutOfRange { l: 3, l_max: 2 })
    );
    let half: Irrep = "1/2e".parse().unwrap();
    assert_eq!(
        O3Element::IDENTITY.d_irrep::<f64>(half),
        Err(NumericError::HalfIntegerIrrep {
            irrep: "1/2e".into()
        })
    );
    assert!(std::panic::catch_unwind(|| d.block(3).len()).is_err());
}

#[test]
fn wigner_d_f32_is_rounded_f64() {
    let r = Rotation::random(&mut crate::common::rng(11));
    let calc = WignerDCalculator::new(8).unwrap();
    let (a, b) = (calc.compute::<f64>(&r), calc.compute::<f32>(&r));
    for l in 0..=8 {
        for (x, y) in a.block(l).iter().zip(b.block(l)) {
            assert_eq!(*x as f32, *y);
        }
    }
}

#[test]
fn wigner_d_dense_and_apply() {
    let r = Rotation::random(&mut crate::common::rng(5));
    let d = WignerD::<f64>::new(3, &r).unwrap();
    let dense = d.to_dense();
    let v: Vec<f64> = (0..16).map(|i| (i as f64).sin()).collect();
    let mut out = vec![0.0; 16];
    d.apply_sh(&v, &mut out);
    for i in 0..16 {
        let want: f64 = (0..16).map(|j| dense[i * 16 + j] * v[j]).sum();
        assert!((out[i] - want).abs() <= 1e-15);
    }
    assert_eq!(dense[lm_index(2, 1) * 16 + lm_index(3, 0)], 0.0);
}

/// Seeded sweep to l = 32. Measured worst cases (8 rotations): |DᵀD − I| ≤ 1.8(l+1) eps
/// (57 eps at l = 32); |D Y(x) − Y(Rx)| ≤ 1.4(l+1) eps·√(2l+1).
#[test]
fn wigner_d_sweep_l32() {
    let l_max = 32u32;
    let calc = WignerDCalculator::new(l_max).unwrap();
    let sh = sh(l_max);
    let mut rng = crate::common::rng(99);
    let (mut worst_orth, mut worst_eq) = (vec![0.0f64; 33], vec![0.0f64; 33]);
    for _ in 0..8 {
        let r = Rotation::random(&mut rng);
        let d = calc.compute::<f64>(&r);
        let x = racah_numeric::Rotation::random(&mut rng).apply([0.0, 0.0, 1.0]);
        let (y, yr) = (sh.compute_point(x), sh.compute_point(r.apply(x)));
        let mut dy = vec![0.0; y.len()];
        d.apply_sh(&y, &mut dy);
        for l in 0..=l_max as usize {
            let n = 2 * l + 1;
            worst_orth[l] = worst_orth[l].max(orthogonality_defect(d.block(l as u32), n));
            let range = l * l..(l + 1) * (l + 1);
            worst_eq[l] = worst_eq[l].max(crate::common::max_diff(&dy[range.clone()], &yr[range]));
        }
    }
    for l in 0..=l_max as usize {
        let n = (2 * l + 1) as f64;
        // D^l is l steps of a recursion that adds ≈ 2 eps each: stated 4(l+1) eps.
        let orth_eps = Tolerance::in_eps::<f64>(worst_orth[l]);
        assert!(
            orth_eps <= 4.0 * (l as f64 + 1.0),
            "l={l}: |DᵀD − I| = {orth_eps} eps"
        );
        // D·Y against Y(Rx): both sides l recursion steps, at scale √n: 4(l+1) eps·√n.
        let eq_eps = Tolerance::in_eps::<f64>(worst_eq[l]) / n.sqrt();
        assert!(
            eq_eps <= 4.0 * (l as f64 + 1.0),
            "l={l}: |DY − Y(R·)| = {eq_eps} eps·√n"
        );
        if l % 8 == 0 {
            eprintln!("l={l}: orthogonality {orth_eps:.1} eps, equivariance {eq_eps:.1} eps·√n");
        }
    }
}

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn wigner_d_equivariance(r in rotation(), x in unit_vector(), l_max in 0u32..=32) {
        let d = WignerD::<f64>::new(l_max, &r).unwrap();
        let sh = sh(l_max);
        let (y, yr) = (sh.compute_point(x), sh.compute_point(r.apply(x)));
        let mut dy = vec![0.0; y.len()];
        d.apply_sh(&y, &mut dy);
        for l in 0..=l_max as usize {
            let n = (2 * l + 1) as f64;
            // measured ≤ 1.4(l+1) eps·√n (wigner_d_sweep_l32); stated 4(l+1)
            let tol = Tolerance::scaled::<f64>(4.0 * (l as f64 + 1.0));
            for k in l * l..(l + 1) * (l + 1) {
                prop_assert!(tol.allows(dy[k] - yr[k], n.sqrt()), "l={} k={}", l, k);
            }
        }
    }

    #[test]
    fn wigner_d_group_laws(r1 in rotation(), r2 in rotation(), l in 0u32..=16) {
        let calc = WignerDCalculator::new(l).unwrap();
        let (d1, d2) = (calc.compute::<f64>(&r1), calc.compute::<f64>(&r2));
        let d12 = calc.compute::<f64>(&r1.compose(&r2));
        let dinv = calc.compute::<f64>(&r1.inverse());
        let n = 2 * l as usize + 1;
        let prod = matmul(d1.block(l), d2.block(l), n);
        // measured ≤ 0.8(l+1) eps (200 pairs, l ≤ 16); stated 4(l+1)
        let tol = Tolerance::scaled::<f64>(4.0 * (l + 1) as f64);
        for i in 0..n {
            for j in 0..n {
                prop_assert!(tol.allows(prod[i * n + j] - d12.block(l)[i * n + j], 1.0));
                // D(Rᵀ) = D(R)ᵀ
                prop_assert!(tol.allows(dinv.block(l)[i * n + j] - d1.block(l)[j * n + i], 1.0));
            }
        }
        prop_assert!(orthogonality_defect(d1.block(l), n) <= tol.absolute());
    }

    #[test]
    fn wigner_d_constructors_agree(r in rotation(), l in 0u32..=8) {
        let base = WignerD::<f64>::new(l, &r).unwrap();
        let [a, b, c] = r.to_euler_angles();
        let q = r.to_quaternion();
        let angle = 2.0 * q[0].clamp(-1.0, 1.0).acos();
        let others = [
            WignerD::<f64>::from_matrix(l, r.matrix()).unwrap(),
            WignerD::<f64>::from_quaternion(l, q).unwrap(),
            WignerD::<f64>::from_euler_angles(l, a, b, c).unwrap(),
            WignerD::<f64>::from_axis_angle(l, [q[1], q[2], q[3]], angle).unwrap(),
        ];
        let tol = Tolerance::scaled::<f64>(64.0 * (l + 1) as f64);
        for o in &others {
            // axis-angle from a quaternion near the identity loses the axis: skip tiny angles
            if angle < 1e-6 { continue; }
            let diff = crate::common::max_diff(base.block(l), o.block(l));
            prop_assert!(tol.allows(diff, 1.0), "diff {}", diff);
        }
    }

    #[test]
    fn wigner_d_o3_parity(g in o3_element(), x in unit_vector(), l in 0u32..=12, odd in any::<bool>()) {
        // Y_l(g x) = D_(l, (−1)^l)(g) Y_l(x); a pseudo-tensor (l, −(−1)^l) gets the opposite sign.
        let sh = sh(l);
        let gx = g.apply(x);
        let (y, ygx) = (sh.compute_point(x), sh.compute_point(gx));
        let p = if odd { Parity::Odd } else { Parity::Even };
        let d = g.d_irrep::<f64>(Irrep::l(l, p)).unwrap();
        let n = 2 * l as usize + 1;
        let natural = Parity::of_harmonic(l) == p;
        let flip = if g.inversion && !natural { -1.0 } else { 1.0 };
        let tol = Tolerance::scaled::<f64>(((l + 1) as usize * n) as f64);
        for i in 0..n {
            let dy: f64 = (0..n).map(|j| d[i * n + j] * y[l as usize * l as usize + j]).sum();
            prop_assert!(tol.allows(dy - flip * ygx[l as usize * l as usize + i], (n as f64).sqrt()));
        }
    }
}

#[test]
fn test_irreps_array_transformed() {
    // pseudo-vector 1e: invariant sign under inversion; vector 1o flips; scalar 0o flips.
    let irreps: racah_core::Irreps = "1x0o + 1x1e + 2x1o".parse().unwrap();
    let data: Vec<f64> = (1..=10).map(f64::from).collect();
    let a = racah_numeric::IrrepsArray::new(irreps, 1, data.clone()).unwrap();
    let t = a.transformed(&O3Element::INVERSION).unwrap();
    let want: Vec<f64> = data
        .iter()
        .enumerate()
        .map(|(i, v)| if (1..4).contains(&i) { *v } else { -v })
        .collect();
    assert_eq!(t.data(), want.as_slice());
    let half =
        racah_numeric::IrrepsArray::new("1x1/2e".parse().unwrap(), 1, vec![0.0f64; 2]).unwrap();
    assert!(matches!(
        half.transformed(&O3Element::IDENTITY),
        Err(NumericError::HalfIntegerIrrep { .. })
    ));
}

proptest! {
    #![proptest_config(config(16))]

    #[test]
    fn irreps_array_sh_equivariance(g in o3_element(), x in unit_vector(), l_max in 0u32..=12) {
        let sh = sh(l_max);
        let y = sh.compute_array(&x).unwrap().transformed(&g).unwrap();
        let y_gx = sh.compute_array(&g.apply(x)).unwrap();
        for l in 0..=l_max as usize {
            let n = (2 * l + 1) as f64;
            let tol = Tolerance::scaled::<f64>(4.0 * (l as f64 + 1.0));
            for k in l * l..(l + 1) * (l + 1) {
                prop_assert!(tol.allows(y.data()[k] - y_gx.data()[k], n.sqrt()));
            }
        }
    }
}
