//! Equivariance under O(3): D_out(g) TP(x1, x2) = TP(D1(g) x1, D2(g) x2), parity included,
//! in f64 and f32, for every mode and normalisation.
//!
//! Tolerance: the two sides differ by the rounding of the product (≤ n products summed per
//! component, n = `max_terms`) and of the three rotations (≤ 2l+1 ≤ 5 terms each), on values
//! of size ≤ 1 (inputs uniform in [−1, 1), |D| ≤ 1) times the largest coefficient √(2l+1) ≤ √5:
//! we allow `8 · eps · (n + 15) · √5`. Measured worst cases are ~20× below.

use super::{act, batch_for, max_terms, sweep, to_f32, weights};
use crate::common::config;
use proptest::prelude::*;
use racah_numeric::{O3Element, TensorProduct, Tolerance};

fn check<T: racah_numeric::Float>(
    tp: &TensorProduct<T>,
    g: &O3Element,
    seed: u64,
    per_sample: bool,
    cast: impl Fn(&[f64]) -> Vec<T>,
) -> f64 {
    let batch = 5;
    let b = batch_for(tp, batch, per_sample, seed);
    let w = cast(&b.w);
    let wts = weights(&w, tp.weight_numel(), per_sample);
    let out = tp.apply(&cast(&b.x1), &cast(&b.x2), wts).unwrap();
    let out64: Vec<f64> = out.iter().map(|v| v.to_f64()).collect();
    let lhs = act(tp.irreps_out(), g, &out64);
    let gx1 = act(tp.irreps_in1(), g, &b.x1);
    let gx2 = act(tp.irreps_in2(), g, &b.x2);
    let rhs = tp.apply(&cast(&gx1), &cast(&gx2), wts).unwrap();
    let rhs64: Vec<f64> = rhs.iter().map(|v| v.to_f64()).collect();
    Tolerance::max_abs_diff(&lhs, &rhs64)
}

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn tensor_product_is_equivariant(seed in any::<u64>()) {
        let g = O3Element::random(&mut super::rng(seed));
        for (name, tp) in sweep() {
            let n = max_terms(&tp) as f64 + 15.0;
            let tol64 = 8.0 * f64::EPSILON * n * 5f64.sqrt();
            let err = check(&tp, &g, seed, seed % 2 == 0, |v| v.to_vec());
            prop_assert!(err <= tol64, "{} f64: {:.2} eps·terms", name, err / (f64::EPSILON * n));
            let tp32 = TensorProduct::<f32>::new(tp.irreps_in1(), tp.irreps_in2(), tp.irreps_out(), tp.instructions().to_vec(), tp.options()).unwrap();
            let tol32 = 8.0 * f64::from(f32::EPSILON) * n * 5f64.sqrt();
            let err = check(&tp32, &g, seed, seed % 3 == 0, to_f32);
            prop_assert!(err <= tol32, "{} f32: {:.2} eps·terms", name, err / (f64::from(f32::EPSILON) * n));
        }
    }
}

#[test]
fn parity_is_not_ignored() {
    // 1o ⊗ 1o → 1e (cross product) is equivariant; declaring the output 1o would not be:
    // the inversion maps x × y to (−x) × (−y) = x × y, while a 1o output must flip sign.
    let g = O3Element::INVERSION;
    let tp = TensorProduct::<f64>::full(&super::ir("1o"), &super::ir("1o")).unwrap();
    let (x, y) = ([0.3, -0.2, 0.9], [0.5, 0.1, -0.7]);
    let out = tp.apply(&x, &y, racah_numeric::Weights::None).unwrap();
    let flipped = tp
        .apply(
            &[-0.3, 0.2, -0.9],
            &[-0.5, -0.1, 0.7],
            racah_numeric::Weights::None,
        )
        .unwrap();
    assert_eq!(out, flipped); // every output of 1o ⊗ 1o is even
    let as_odd = act(&super::ir("0o + 1o + 2o"), &g, &out);
    assert!(Tolerance::max_abs_diff(&as_odd, &flipped) > 0.1);
}
