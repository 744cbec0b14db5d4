//! Spherical harmonics: normalisations, symmetries, special inputs, batching, f32 vs f64.

use crate::common::{config, point, unit_vector};
use proptest::prelude::*;
use racah_numeric::{sh_dim, Float, NumericError, ShNormalization, SphericalHarmonics, Tolerance};

fn calc(l_max: u32, norm: ShNormalization, normalize: bool) -> SphericalHarmonics<f64> {
    SphericalHarmonics::new(l_max, norm, normalize).unwrap()
}

#[test]
fn test_sh_normalizations() {
    // Norm = Component/√(2l+1), Integral = Component/√(4π) (e3nn).
    let p = [0.3, -1.2, 0.4];
    let c = calc(8, ShNormalization::Component, true).compute_point(p);
    let n = calc(8, ShNormalization::Norm, true).compute_point(p);
    let i = calc(8, ShNormalization::Integral, true).compute_point(p);
    let tol = Tolerance::scaled::<f64>(4.0 * 9.0);
    for l in 0..=8u32 {
        for k in (l * l) as usize..((l + 1) * (l + 1)) as usize {
            let k2 = f64::from(2 * l + 1).sqrt();
            assert!(tol.allows(n[k] - c[k] / k2, 1.0), "norm l={l}");
            let fpi = (4.0 * std::f64::consts::PI).sqrt();
            assert!(tol.allows(i[k] - c[k] / fpi, 1.0), "integral l={l}");
        }
    }
    assert_eq!(n[0], 1.0);
    assert_eq!(i[0], f64::frac_1_sqrt_4pi());
}

#[test]
fn test_sh_poles_are_exact_zeros() {
    // On the polar (y) axis only m = 0 survives: Y_l0 = √(2l+1)·(±1)^l, all others exactly 0.
    let l_max = 32u32;
    let sh = calc(l_max, ShNormalization::Component, true);
    for sign in [1.0, -1.0] {
        let y = sh.compute_point([0.0, sign * 3.0, 0.0]);
        for l in 0..=l_max {
            for m in -(l as i32)..=l as i32 {
                let v = y[racah_numeric::lm_index(l, m)];
                if m == 0 {
                    let want = f64::from(2 * l + 1).sqrt() * sign.powi(l as i32);
                    // l steps of the three-term recurrence, values ≤ √65.
                    assert!(
                        Tolerance::scaled::<f64>(4.0 * 33.0).allows(v - want, want),
                        "l={l}"
                    );
                } else {
                    assert_eq!(v, 0.0, "l={l} m={m}");
                }
            }
        }
    }
    // Next to the pole: finite, and close to the pole values.
    let near = sh.compute_point([1e-300, 1.0, -1e-300]);
    assert!(near.iter().all(|v| v.is_finite()));
}

#[test]
fn test_sh_zero_vector() {
    for norm in [
        ShNormalization::Component,
        ShNormalization::Norm,
        ShNormalization::Integral,
    ] {
        for normalize in [true, false] {
            let sh = calc(5, norm, normalize);
            let (mut out, mut grad) = (vec![7.0; 36], vec![7.0; 108]);
            sh.compute_with_gradients(&[0.0, -0.0, 0.0], &mut out, &mut grad);
            let y0 = if norm == ShNormalization::Integral {
                f64::frac_1_sqrt_4pi()
            } else {
                1.0
            };
            assert_eq!(out[0], y0);
            assert!(out[1..].iter().all(|&v| v == 0.0));
            if normalize {
                // gradient of Y(x/|x|) is undefined at 0: defined as 0
                assert!(grad.iter().all(|&v| v == 0.0));
            } else {
                // solid harmonics: ∇Y_1 = y1·I at the origin, degree ≥ 2 vanish
                let y1 = calc(1, norm, false).compute_point([1.0, 0.0, 0.0])[1];
                assert_eq!(&grad[3..12], &[y1, 0.0, 0.0, 0.0, y1, 0.0, 0.0, 0.0, y1]);
                assert!(grad[12..].iter().all(|&v| v == 0.0));
            }
        }
    }
}

#[test]
fn test_sh_tiny_and_huge_vectors() {
    let l_max = 16;
    let sh = calc(l_max, ShNormalization::Component, true);
    let reference = sh.compute_point([1.0, 2.0, 3.0]);
    // subnormal: (1, 2, 3)·2^-1074 has exactly the direction (1, 2, 3)
    let tiny = f64::from_bits(1);
    for s in [
        tiny,
        1e-310,
        1e-200,
        1e-160,
        1e160,
        1e200,
        1e300,
        f64::MAX / 4.0,
    ] {
        let got = sh.compute_point([s, 2.0 * s, 3.0 * s]);
        let err = crate::common::max_diff(&got, &reference);
        assert!(
            Tolerance::scaled::<f64>(16.0).allows(err, 5.8),
            "scale {s:e}: error {err:e}"
        );
    }
    // f32: the direct path would overflow x² beyond 1.8e19 and underflow below 1e-19
    let sh32 = SphericalHarmonics::<f32>::new(l_max, ShNormalization::Component, true).unwrap();
    let r32 = sh32.compute_point([1.0, 2.0, 3.0]);
    for s in [f32::from_bits(1), 1e-30, 1e30, f32::MAX / 4.0] {
        let got = sh32.compute_point([s, 2.0 * s, 3.0 * s]);
        let err = Tolerance::max_abs_diff(&got, &r32);
        assert!(
            Tolerance::scaled::<f32>(16.0).allows(err, 5.8),
            "f32 scale {s:e}: {err:e}"
        );
    }
}

#[test]
fn test_sh_solid_extreme_magnitudes() {
    // Solid harmonics overflow to ±∞ or underflow to 0 only where the true value does; no NaN.
    let sh = calc(4, ShNormalization::Component, false);
    let big = sh.compute_point([1e100, 2e100, 0.0]);
    assert!(big.iter().all(|v| !v.is_nan()));
    assert!(big[16..].iter().any(|v| v.is_infinite())); // |r|^4 ≈ 1e400
    assert_eq!(big[lm(4, 3)], 0.0); // ∝ xyz (z = 0): exactly 0, not ∞·0
    let unit = calc(4, ShNormalization::Component, true).compute_point([1.0, 2.0, 0.0]);
    let r = 5f64.sqrt() * 1e100;
    assert!(Tolerance::scaled::<f64>(16.0).allows(big[2] / r - unit[2], 1.0));
    // 1e-100: |r|^l underflows for l ≥ 4 (as the true value does); below that it is exact
    // up to the recurrence, via the scaled path (r² < 2^-508).
    let small = sh.compute_point([1e-100, 2e-100, 3e-100]);
    let unit = calc(4, ShNormalization::Component, true).compute_point([1.0, 2.0, 3.0]);
    let r = 14f64.sqrt() * 1e-100;
    for l in 0..=4u32 {
        let rl = r.powi(l as i32);
        for k in (l * l) as usize..((l + 1) * (l + 1)) as usize {
            assert!(small[k].is_finite());
            if rl > f64::MIN_POSITIVE * 2f64.powi(53) {
                assert!(
                    Tolerance::scaled::<f64>(32.0).allows(small[k] / rl - unit[k], 3.0),
                    "l={l}"
                );
            } else {
                assert!(small[k].abs() <= 4.0 * rl.max(f64::from_bits(1)), "l={l}");
            }
        }
    }
}

fn lm(l: u32, m: i32) -> usize {
    racah_numeric::lm_index(l, m)
}

#[test]
fn test_sh_non_finite_input_gives_nan_row() {
    let sh = calc(3, ShNormalization::Component, true);
    let mut out = vec![0.0; 32];
    sh.compute(&[f64::NAN, 0.0, 1.0, 1.0, 0.0, 0.0], &mut out);
    assert!(out[..16].iter().all(|v| v.is_nan()));
    assert!(out[16..].iter().all(|v| v.is_finite()));
    let sh = calc(3, ShNormalization::Component, false);
    let y = sh.compute_point([f64::INFINITY, 0.0, 0.0]);
    assert!(y.iter().all(|v| v.is_nan()));
}

#[test]
fn sh_rejects_bad_shapes_and_values() {
    let sh = calc(2, ShNormalization::Component, true);
    let mut out = vec![0.0; 9];
    assert_eq!(
        sh.try_compute(&[1.0, 2.0], &mut out),
        Err(NumericError::ShapeMismatch {
            what: "xyz (a multiple of 3)",
            expected: 0,
            got: 2
        })
    );
    assert_eq!(
        sh.try_compute(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], &mut out),
        Err(NumericError::ShapeMismatch {
            what: "out",
            expected: 18,
            got: 9
        })
    );
    assert_eq!(
        sh.try_compute(&[1.0, 2.0, f64::NEG_INFINITY], &mut out),
        Err(NumericError::NonFinite {
            what: "xyz",
            index: 2
        })
    );
    assert_eq!(out, vec![0.0; 9], "out untouched on error");
    let e = SphericalHarmonics::<f64>::new(2000, ShNormalization::Norm, true).unwrap_err();
    assert_eq!(
        e,
        NumericError::LMaxTooLarge {
            l_max: 2000,
            max: 1024
        }
    );
    assert_eq!(
        e.to_string(),
        "l_max = 2000 exceeds the supported maximum 1024"
    );
}

#[test]
#[should_panic(expected = "out has 8 entries")]
fn sh_compute_panics_on_wrong_output_length() {
    calc(2, ShNormalization::Component, true).compute(&[1.0, 2.0, 3.0], &mut [0.0; 8]);
}

#[test]
#[should_panic(expected = "grad has")]
fn sh_compute_panics_on_wrong_gradient_length() {
    let sh = calc(1, ShNormalization::Component, true);
    sh.compute_with_gradients(&[1.0, 2.0, 3.0], &mut [0.0; 4], &mut [0.0; 4]);
}

#[test]
fn sh_batched_equals_pointwise() {
    // 5000 points: threads and the l_max-specialised loops give bit-identical results.
    let mut rng = crate::common::rng(3);
    let xyz: Vec<f64> = (0..15000)
        .map(|_| rand::RngExt::random::<f64>(&mut rng) - 0.5)
        .collect();
    for l_max in [0, 1, 2, 5, 6, 7, 12] {
        for normalize in [true, false] {
            let sh = calc(l_max, ShNormalization::Integral, normalize);
            let mut out = vec![0.0; 5000 * sh.dim()];
            sh.compute(&xyz, &mut out);
            for (p, row) in xyz.chunks(3).zip(out.chunks(sh.dim())).step_by(97) {
                assert_eq!(row, sh.compute_point([p[0], p[1], p[2]]).as_slice());
            }
        }
    }
}

/// Σ_m Y_lm² for each l.
fn degree_norms(y: &[f64], l_max: u32) -> Vec<f64> {
    (0..=l_max)
        .map(|l| {
            y[(l * l) as usize..((l + 1) * (l + 1)) as usize]
                .iter()
                .map(|v| v * v)
                .sum()
        })
        .collect()
}

proptest! {
    #![proptest_config(config(64))]

    #[test]
    fn sh_component_norm_is_2l_plus_1(u in point(), l_max in 0u32..=32) {
        let sh = calc(l_max, ShNormalization::Component, true);
        let y = sh.compute_point(u);
        for (l, s) in degree_norms(&y, l_max).into_iter().enumerate() {
            let want = (2 * l + 1) as f64;
            // Relative error of Σ Y²: the unit vector is off by ~eps in length, which Y_l
            // feels l times, plus l recurrence steps. Measured (2000 points, l ≤ 32)
            // ≤ 0.55(l+1)² eps; stated 2(l+1)².
            let tol = Tolerance::scaled::<f64>(2.0 * ((l + 1) * (l + 1)) as f64);
            prop_assert!(tol.allows(s - want, want),
                "l={} sum={} ", l, s);
        }
    }

    #[test]
    fn sh_norm_normalization_has_unit_degrees(u in point(), l_max in 0u32..=32) {
        let y = calc(l_max, ShNormalization::Norm, true).compute_point(u);
        for (l, s) in degree_norms(&y, l_max).into_iter().enumerate() {
            let tol = Tolerance::scaled::<f64>(2.0 * ((l + 1) * (l + 1)) as f64);
            prop_assert!(tol.allows(s - 1.0, 1.0));
        }
    }

    #[test]
    fn sh_parity_is_exact(u in point(), l_max in 0u32..=32, normalize in any::<bool>()) {
        // Y(−x) = (−1)^l Y(x), bit for bit: every operation is odd/even-symmetric.
        let sh = calc(l_max, ShNormalization::Component, normalize);
        let (a, b) = (sh.compute_point(u), sh.compute_point(u.map(|v| -v)));
        for l in 0..=l_max {
            let s = if l % 2 == 0 { 1.0 } else { -1.0 };
            for k in (l * l) as usize..((l + 1) * (l + 1)) as usize {
                prop_assert_eq!(b[k], s * a[k]);
            }
        }
    }

    #[test]
    fn sh_solid_is_r_power_l_times_normalized(p in point(), l_max in 0u32..=16) {
        let solid = calc(l_max, ShNormalization::Component, false).compute_point(p);
        let unit = calc(l_max, ShNormalization::Component, true).compute_point(p);
        let r = p.iter().map(|v| v * v).sum::<f64>().sqrt();
        for l in 0..=l_max {
            let rl = r.powi(l as i32);
            for k in (l * l) as usize..((l + 1) * (l + 1)) as usize {
                // both sides ~ l recurrence steps on values ≤ √(2l+1); measured
                // ≤ 6.6(l+1) eps at l = 16; stated 2(l+1)²
                let tol = Tolerance::scaled::<f64>(2.0 * ((l + 1) * (l + 1)) as f64);
                prop_assert!(tol.allows(solid[k] / rl - unit[k], f64::from(2 * l + 1).sqrt()),
                    "l={} k={} {} vs {}", l, k, solid[k] / rl, unit[k]);
            }
        }
    }

    #[test]
    fn sh_f32_agrees_with_f64(u in unit_vector(), l_max in 0u32..=32) {
        let y64 = calc(l_max, ShNormalization::Component, true).compute_point(u);
        let sh32 = SphericalHarmonics::<f32>::new(l_max, ShNormalization::Component, true).unwrap();
        let y32 = sh32.compute_point(u.map(|v| v as f32));
        for l in 0..=l_max {
            for k in (l * l) as usize..((l + 1) * (l + 1)) as usize {
                // f32 rounding of the input (1 eps) amplified by the degree (≈ l), plus the
                // recurrence; measured ≤ 6.9(l+1) f32 eps at scale √(2l+1) for l ≤ 32;
                // stated 2(l+1)².
                let tol = Tolerance::scaled::<f32>(2.0 * ((l + 1) * (l + 1)) as f64);
                prop_assert!(tol.allows(f64::from(y32[k]) - y64[k], f64::from(2 * l + 1).sqrt()),
                    "l={} k={}", l, k);
            }
        }
    }
}

#[test]
fn sh_dims() {
    for l in [0u32, 1, 4, 32] {
        assert_eq!(calc(l, ShNormalization::Component, true).dim(), sh_dim(l));
    }
}

/// Large f64 batches of degree ≥ 8 take the point-by-point path (output beyond the cache); it
/// gives the same bits as the 8-point blocks used for small batches, for every normalisation.
#[test]
fn large_batches_equal_small_batches_bit_for_bit() {
    for l_max in [8u32, 16] {
        for (norm, normalize) in [
            (ShNormalization::Component, true),
            (ShNormalization::Integral, true),
            (ShNormalization::Norm, false),
        ] {
            let sh = calc(l_max, norm, normalize);
            let dim = sh.dim();
            let n = (4 << 20) / (8 * dim) + 1000; // output just above the 4 MiB switch
            let mut g = crate::common::rng(l_max as u64);
            let xyz: Vec<f64> = (0..3 * n)
                .map(|_| (rand::RngExt::random::<f64>(&mut g) - 0.5) * 3.0)
                .collect();
            let mut big = vec![0.0; n * dim];
            sh.compute(&xyz, &mut big);
            let small_n = 1000; // 8 KB-ish chunks: the block path
            let mut small = vec![0.0; small_n * dim];
            for start in [0, n - small_n] {
                sh.compute(&xyz[3 * start..3 * (start + small_n)], &mut small);
                let bits = |v: &[f64]| v.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                assert_eq!(
                    bits(&big[start * dim..(start + small_n) * dim]),
                    bits(&small),
                    "l_max {l_max} {norm:?} normalize {normalize}, rows from {start}"
                );
            }
        }
    }
}

/// Points for the store-mode checks: random coordinates in [-1.5, 1.5)³ with the special
/// inputs sprinkled in (zero, NaN, ∞, tiny and huge vectors), so that blocks with irregular
/// points are recomputed into the staging rows too.
fn mixed_points<T: Float>(n: usize, seed: u64) -> Vec<T> {
    let mut g = crate::common::rng(seed);
    let mut xyz: Vec<T> = (0..3 * n)
        .map(|_| T::from_f64((rand::RngExt::random::<f64>(&mut g) - 0.5) * 3.0))
        .collect();
    let specials = [
        [0.0, 0.0, 0.0],
        [f64::NAN, 1.0, 0.0],
        [f64::INFINITY, 0.0, 2.0],
        [1e-30, -2e-30, 3e-30],
        [1e30, 2e30, -1e30],
    ];
    for (k, s) in specials.iter().enumerate() {
        let j = (k * 977 + 13) % n;
        for a in 0..3 {
            xyz[3 * j + a] = T::from_f64(s[a]);
        }
    }
    xyz
}

/// Every store mode gives the same bits, also into a destination that is not aligned to a
/// cache line (an offset slice), for values and gradients, every kernel route (row by row,
/// blocks, fused gradients, point by point), f32 and f64, unit and solid harmonics.
fn store_modes_agree<T: Float>() {
    use racah_numeric::StoreMode;
    let bits = |v: &[T]| v.iter().map(|x| x.to_f64().to_bits()).collect::<Vec<_>>();
    for l_max in [0u32, 2, 3, 4, 8, 12, 18] {
        for (norm, normalize) in [
            (ShNormalization::Component, true),
            (ShNormalization::Integral, false),
        ] {
            let n = 2 * 1024 + 37; // three rayon tasks, a partial block at the end
            let xyz = mixed_points::<T>(n, u64::from(l_max));
            let base = SphericalHarmonics::<T>::new(l_max, norm, normalize).unwrap();
            let dim = base.dim();
            let mut want = vec![T::ZERO; n * dim];
            let mut want_g = vec![T::ZERO; 3 * n * dim];
            base.clone()
                .with_store_mode(StoreMode::Cached)
                .compute_with_gradients(&xyz, &mut want, &mut want_g);
            let mut want_v = vec![T::ZERO; n * dim];
            base.clone()
                .with_store_mode(StoreMode::Cached)
                .compute(&xyz, &mut want_v);
            for mode in [StoreMode::NonTemporal, StoreMode::Auto] {
                let sh = base.clone().with_store_mode(mode);
                for offset in [0usize, 3] {
                    let mut out = vec![T::ZERO; n * dim + offset + 5];
                    let mut grad = vec![T::ZERO; 3 * n * dim + offset + 7];
                    sh.compute_with_gradients(
                        &xyz,
                        &mut out[offset..offset + n * dim],
                        &mut grad[offset..offset + 3 * n * dim],
                    );
                    let what = format!("l_max {l_max} {norm:?} {normalize} {mode:?} +{offset}");
                    assert_eq!(bits(&out[offset..offset + n * dim]), bits(&want), "{what}");
                    assert_eq!(
                        bits(&grad[offset..offset + 3 * n * dim]),
                        bits(&want_g),
                        "{what} (gradients)"
                    );
                    assert!(out[..offset].iter().all(|v| *v == T::ZERO), "{what}");
                    assert!(
                        out[offset + n * dim..].iter().all(|v| *v == T::ZERO),
                        "{what}"
                    );
                    let mut vals = vec![T::ZERO; n * dim + offset];
                    sh.compute(&xyz, &mut vals[offset..]);
                    assert_eq!(bits(&vals[offset..]), bits(&want_v), "{what} (values)");
                }
            }
            // and the single-point kernel agrees with the batches
            for j in [0usize, 13, 990, n - 1] {
                let p = [xyz[3 * j], xyz[3 * j + 1], xyz[3 * j + 2]];
                assert_eq!(
                    bits(&base.compute_point(p)),
                    bits(&want_v[j * dim..(j + 1) * dim]),
                    "l_max {l_max} point {j}"
                );
            }
        }
    }
}

#[test]
fn store_modes_give_the_same_bits() {
    store_modes_agree::<f64>();
    store_modes_agree::<f32>();
}
