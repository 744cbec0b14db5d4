//! `Linear`: golden values, failures, equivariance, gradients, shared vs per-sample weights.

use super::{act, ir, rng, uniform};
use crate::common::config;
use proptest::prelude::*;
use racah_exact::SqrtRational;
use racah_numeric::{Linear, O3Element, PathNormalization, TensorProductError, Tolerance, Weights};

#[test]
fn test_linear_golden() {
    // 2x0e + 1x0e → 1x0e: fan-in 3, c = 1/√3; biases added after the mix
    let lin = Linear::<f64>::with_biases(&ir("2x0e + 1o + 0e"), &ir("0e + 1o")).unwrap();
    assert_eq!(lin.instructions(), &[(0, 0), (1, 1), (2, 0)]);
    assert_eq!(
        lin.path_normalization(0),
        Some(&SqrtRational::sqrt_of_ratio(1, 3).unwrap())
    );
    assert_eq!(lin.biases(), &[true, false]);
    let x = [3.0, 6.0, 1.0, 2.0, 3.0, 9.0];
    let w = [1.0, 2.0, 5.0, -1.0];
    let z = lin.apply(&x, Weights::Shared(&w), Some(&[0.5])).unwrap();
    let s3 = 3f64.sqrt().recip();
    assert!((z[0] - (0.5 + (3.0 + 12.0 - 9.0) * s3)).abs() <= 8.0 * f64::EPSILON);
    assert_eq!(&z[1..], &[5.0, 10.0, 15.0]);
    // path normalisation: 1/√(mul_in · paths)
    let p = Linear::<f64>::with_instructions(
        &ir("2x0e + 3x0e"),
        &ir("0e"),
        vec![(0, 0), (1, 0)],
        vec![false],
        PathNormalization::Path,
    )
    .unwrap();
    assert_eq!(
        p.path_normalization(1),
        Some(&SqrtRational::sqrt_of_ratio(1, 6).unwrap())
    );
    let none = Linear::<f64>::with_instructions(
        &ir("2x0e"),
        &ir("0e"),
        vec![(0, 0)],
        vec![false],
        PathNormalization::None,
    )
    .unwrap();
    assert_eq!(none.path_normalization(0), Some(&SqrtRational::ONE));
    // an output with no input stays 0
    let z = Linear::<f64>::new(&ir("0e"), &ir("0e + 1e"))
        .unwrap()
        .apply(&[2.0], Weights::Shared(&[3.0]), None)
        .unwrap();
    assert_eq!(z, vec![6.0, 0.0, 0.0, 0.0]);
}

#[test]
fn linear_rejects_bad_input() {
    let e = Linear::<f64>::with_instructions(
        &ir("0e"),
        &ir("0e"),
        vec![(0, 1)],
        vec![false],
        PathNormalization::Element,
    )
    .unwrap_err();
    assert_eq!(
        e,
        TensorProductError::IndexOutOfRange {
            instruction: 0,
            field: "i_out",
            index: 1,
            len: 1
        }
    );
    let e = Linear::<f64>::with_instructions(
        &ir("1o"),
        &ir("1o"),
        vec![(0, 0)],
        vec![true],
        PathNormalization::Element,
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "bias on output term 0 (1x1o): only 0e outputs can have a bias"
    );
    let e = Linear::<f64>::with_instructions(
        &ir("0e"),
        &ir("0e"),
        vec![(0, 0)],
        vec![],
        PathNormalization::Element,
    )
    .unwrap_err();
    assert_eq!(
        e,
        TensorProductError::BiasFlags {
            expected: 1,
            got: 0
        }
    );
    assert!(matches!(
        Linear::<f64>::new(&ir("3/2e"), &ir("0e")),
        Err(TensorProductError::HalfIntegerIrrep { .. })
    ));
    let lin = Linear::<f64>::with_biases(&ir("2x0e"), &ir("2x0e")).unwrap();
    let mut out = vec![0.0; 2];
    let shape = |what, expected, got| TensorProductError::ShapeMismatch {
        what,
        expected,
        got,
    };
    assert_eq!(
        lin.forward(&[1.0, 1.0], Weights::Shared(&[1.0; 4]), None, &mut out),
        Err(shape("biases", 2, 0))
    );
    assert_eq!(
        lin.forward(
            &[1.0, 1.0],
            Weights::Shared(&[1.0; 3]),
            Some(&[0.0; 2]),
            &mut out
        ),
        Err(shape("weights", 4, 3))
    );
    assert_eq!(
        lin.forward(
            &[1.0, 1.0],
            Weights::Shared(&[1.0; 4]),
            Some(&[0.0; 2]),
            &mut out[1..]
        ),
        Err(shape("out", 2, 1))
    );
    let (mut gx, mut gw, mut gb) = (vec![0.0; 2], vec![0.0; 4], vec![0.0; 1]);
    let e = lin
        .backward(
            &[1.0, 1.0],
            Weights::Shared(&[1.0; 4]),
            &[1.0, 1.0],
            &mut gx,
            &mut gw,
            &mut gb,
        )
        .unwrap_err();
    assert_eq!(e, shape("biases", 2, 1));
}

proptest! {
    #![proptest_config(config(16))]

    /// Equivariance, gradients against central differences (exact for a linear map, so the
    /// tolerance is rounding only: 16·eps·(terms + dim)), and shared weights (matrix product
    /// path) against equal per-sample weights.
    #[test]
    fn linear_properties(seed in any::<u64>()) {
        let (a, b) = (ir("8x0e + 6x1o + 2x2e + 3x0e"), ir("7x0e + 8x1o + 1x1e + 3x2e"));
        let lin = Linear::<f64>::with_biases(&a, &b).unwrap();
        let mut r = rng(seed);
        let batch = 40;
        let x = uniform(&mut r, batch * lin.dim_in());
        let w = uniform(&mut r, lin.weight_numel());
        let bias = uniform(&mut r, lin.bias_numel());
        let out = lin.apply(&x, Weights::Shared(&w), Some(&bias)).unwrap();
        let g = O3Element::random(&mut r);
        let lhs = act(&b, &g, &out);
        let rhs = lin.apply(&act(&a, &g, &x), Weights::Shared(&w), Some(&bias)).unwrap();
        let tol = Tolerance::scaled::<f64>(8.0 * (11.0 + 5.0 + 5.0));
        prop_assert!(tol.allows(Tolerance::max_abs_diff(&lhs, &rhs), 4.0));
        // per-sample weights (rows equal to w) take the per-sample path
        let rows: Vec<f64> = w.iter().copied().cycle().take(batch * w.len()).collect();
        let per = lin.apply(&x, Weights::PerSample(&rows), Some(&bias)).unwrap();
        prop_assert!(Tolerance::scaled::<f64>(8.0 * 11.0).allows(Tolerance::max_abs_diff(&out, &per), 4.0));
        // gradients
        let gout = uniform(&mut r, out.len());
        let (mut gx, mut gw, mut gb) = (vec![0.0; x.len()], vec![0.0; w.len()], vec![0.0; bias.len()]);
        lin.backward(&x, Weights::Shared(&w), &gout, &mut gx, &mut gw, &mut gb).unwrap();
        let l = |x: &[f64], w: &[f64], b: &[f64]| -> f64 {
            lin.apply(x, Weights::Shared(w), Some(b)).unwrap().iter().zip(&gout).map(|(o, g)| o * g).sum()
        };
        let dotp = |u: &[f64], v: &[f64]| -> f64 { u.iter().zip(v).map(|(p, q)| p * q).sum() };
        let shift = |v: &[f64], d: &[f64], s: f64| v.iter().zip(d).map(|(p, q)| p + s * q).collect::<Vec<f64>>();
        let size = (out.len() as f64) * 8.0;
        let tol = 16.0 * f64::EPSILON * (11.0 + batch as f64 + out.len() as f64) * size;
        let d = uniform(&mut r, x.len());
        let fd = (l(&shift(&x, &d, 1.0), &w, &bias) - l(&shift(&x, &d, -1.0), &w, &bias)) / 2.0;
        prop_assert!((fd - dotp(&gx, &d)).abs() <= tol, "∂x {} {}", fd, dotp(&gx, &d));
        let d = uniform(&mut r, w.len());
        let fd = (l(&x, &shift(&w, &d, 1.0), &bias) - l(&x, &shift(&w, &d, -1.0), &bias)) / 2.0;
        prop_assert!((fd - dotp(&gw, &d)).abs() <= tol, "∂W {} {}", fd, dotp(&gw, &d));
        let d = uniform(&mut r, bias.len());
        let fd = (l(&x, &w, &shift(&bias, &d, 1.0)) - l(&x, &w, &shift(&bias, &d, -1.0))) / 2.0;
        prop_assert!((fd - dotp(&gb, &d)).abs() <= tol, "∂b {} {}", fd, dotp(&gb, &d));
        // per-sample weight gradients sum to the shared one
        let mut gwp = vec![0.0; rows.len()];
        lin.backward(&x, Weights::PerSample(&rows), &gout, &mut gx, &mut gwp, &mut gb).unwrap();
        let mut summed = vec![0.0; w.len()];
        for row in gwp.chunks(w.len()) {
            for (s, v) in summed.iter_mut().zip(row) {
                *s += v;
            }
        }
        prop_assert!(Tolerance::scaled::<f64>(8.0 * batch as f64).allows(Tolerance::max_abs_diff(&summed, &gw), 16.0));
    }
}

/// `backward_input` is `backward`'s `grad_x`, bit for bit, over several row chunks, for shared
/// and per-sample weights and with biases; it rejects buffers that do not fit.
#[test]
fn linear_backward_input_matches_backward() {
    let lin = Linear::<f64>::new(&ir("8x0e + 5x1o + 3x2e"), &ir("4x0e + 6x1o + 2x2e")).unwrap();
    let n = 301; // five chunks of 64 rows, the last one partial
    let mut g = rng(7);
    let x = uniform(&mut g, n * lin.dim_in());
    let gout = uniform(&mut g, n * lin.dim_out());
    let w = uniform(&mut g, lin.weight_numel());
    let wn = uniform(&mut g, n * lin.weight_numel());
    for weights in [Weights::Shared(&w[..]), Weights::PerSample(&wn[..])] {
        let mut gx = vec![0.0; x.len()];
        let mut gw = vec![
            0.0;
            if matches!(weights, Weights::Shared(_)) {
                w.len()
            } else {
                wn.len()
            }
        ];
        let mut gb = vec![0.0; lin.bias_numel()];
        lin.backward(&x, weights, &gout, &mut gx, &mut gw, &mut gb)
            .unwrap();
        let mut gx_only = vec![f64::NAN; x.len()]; // overwritten, not accumulated
        lin.backward_input(weights, &gout, &mut gx_only).unwrap();
        assert!(gx.iter().any(|&v| v != 0.0));
        assert_eq!(
            gx.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
            gx_only.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
        );
    }
    let mut gx = vec![0.0; x.len()];
    assert_eq!(
        lin.backward_input(Weights::Shared(&w), &gout[1..], &mut gx)
            .unwrap_err(),
        TensorProductError::ShapeMismatch {
            what: "grad_out",
            expected: (n - 1) * lin.dim_out(),
            got: n * lin.dim_out() - 1
        }
    );
    assert_eq!(
        lin.backward_input(Weights::Shared(&w), &gout, &mut gx[1..])
            .unwrap_err(),
        TensorProductError::ShapeMismatch {
            what: "grad_x",
            expected: n * lin.dim_in(),
            got: n * lin.dim_in() - 1
        }
    );
    assert!(lin
        .backward_input(Weights::Shared(&w[1..]), &gout, &mut gx)
        .is_err());
}
