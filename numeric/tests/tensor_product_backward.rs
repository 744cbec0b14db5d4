//! Backward pass against finite differences, and the matrix-product paths against the
//! per-sample ones.
//!
//! The product is linear in each of x1, x2, W separately, so the central difference
//! `(L(x + d) − L(x − d))/2` with `L = ⟨g, TP⟩` equals the directional derivative `⟨∂L/∂x, d⟩`
//! exactly in exact arithmetic, for any step: the comparison has no truncation error and the
//! tolerance is pure rounding, `16 · eps · (n + dim) · S` with `n = max_terms`, `dim` the
//! length of the dot products and `S = Σ|g|·(|TP(x+d)| + |TP(x−d)|) + 1` the size of the
//! summed values.

use super::{batch_for, max_terms, rng, sweep, uniform, weights, Batch};
use racah_numeric::{Float, TensorProduct, Weights};

fn dotp(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn loss(
    tp: &TensorProduct<f64>,
    x1: &[f64],
    x2: &[f64],
    w: Weights<'_, f64>,
    g: &[f64],
) -> (f64, f64) {
    let out = tp.apply(x1, x2, w).unwrap();
    (
        dotp(&out, g),
        out.iter().zip(g).map(|(o, g)| (o * g).abs()).sum(),
    )
}

fn check_fd(name: &str, tp: &TensorProduct<f64>, per_sample: bool, seed: u64) {
    let batch = 5;
    let Batch { x1, x2, w } = batch_for(tp, batch, per_sample, seed);
    let numel = tp.weight_numel();
    let wts = weights(&w, numel, per_sample);
    let mut r = rng(seed ^ 0x5eed);
    let g = uniform(&mut r, batch * tp.dim_out());
    let (mut g1, mut g2, mut gw) = (
        vec![f64::NAN; x1.len()],
        vec![f64::NAN; x2.len()],
        vec![f64::NAN; w.len()],
    );
    tp.backward(&x1, &x2, wts, &g, &mut g1, &mut g2, &mut gw)
        .unwrap();
    let n = (max_terms(tp) + tp.dim_in1() + tp.dim_in2() + numel) as f64;
    let close = |what: &str, fd: f64, an: f64, s: f64| {
        let tol = 16.0 * f64::EPSILON * n * (s + 1.0);
        assert!(
            (fd - an).abs() <= tol,
            "{name}: ∂/∂{what}: finite difference {fd} vs backward {an} (tol {tol:e})"
        );
    };
    let shift = |v: &[f64], d: &[f64], s: f64| {
        v.iter()
            .zip(d)
            .map(|(a, b)| a + s * b)
            .collect::<Vec<f64>>()
    };
    // x1
    let d = uniform(&mut r, x1.len());
    let ((lp, sp), (lm, sm)) = (
        loss(tp, &shift(&x1, &d, 1.0), &x2, wts, &g),
        loss(tp, &shift(&x1, &d, -1.0), &x2, wts, &g),
    );
    close("x1", (lp - lm) / 2.0, dotp(&g1, &d), sp + sm);
    // x2
    let d = uniform(&mut r, x2.len());
    let ((lp, sp), (lm, sm)) = (
        loss(tp, &x1, &shift(&x2, &d, 1.0), wts, &g),
        loss(tp, &x1, &shift(&x2, &d, -1.0), wts, &g),
    );
    close("x2", (lp - lm) / 2.0, dotp(&g2, &d), sp + sm);
    // weights
    if numel > 0 {
        let d = uniform(&mut r, w.len());
        let (wp, wm) = (shift(&w, &d, 1.0), shift(&w, &d, -1.0));
        let ((lp, sp), (lm, sm)) = (
            loss(tp, &x1, &x2, weights(&wp, numel, per_sample), &g),
            loss(tp, &x1, &x2, weights(&wm, numel, per_sample), &g),
        );
        close("W", (lp - lm) / 2.0, dotp(&gw, &d), sp + sm);
    } else {
        assert!(gw.is_empty());
    }
    assert!(
        g1.iter().chain(&g2).chain(&gw).all(|v| v.is_finite()),
        "{name}: gradients overwritten"
    );
}

#[test]
fn backward_matches_finite_differences() {
    for (k, (name, tp)) in sweep().into_iter().enumerate() {
        check_fd(&name, &tp, false, 3 * k as u64);
        check_fd(&name, &tp, true, 3 * k as u64 + 1);
    }
}

#[test]
fn backward_rejects_bad_shapes() {
    let tp = TensorProduct::<f64>::elementwise(&super::ir("2x1o"), &super::ir("2x1o")).unwrap();
    let x = vec![1.0; 6];
    let g = vec![1.0; tp.dim_out()];
    let (mut a, mut b) = (vec![0.0; 6], vec![0.0; 5]);
    let e = tp
        .backward(&x, &x, Weights::None, &g, &mut a, &mut b, &mut [])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "shape mismatch for grad_x2: expected 6 elements, got 5"
    );
    let e = tp
        .backward(&x, &x, Weights::None, &g, &mut a, &mut [0.0; 6], &mut [0.0])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "shape mismatch for grad_weights: expected 0 elements, got 1"
    );
}

/// Shared weights take the matrix-product paths (forward and backward); per-sample weights
/// equal to the shared ones take the per-sample paths. Both must agree, and the shared weight
/// gradient is the sum of the per-sample ones.
fn shared_vs_per_sample<T: Float>(
    tp: &TensorProduct<T>,
    cast: impl Fn(&[f64]) -> Vec<T>,
    eps: f64,
) {
    let batch = 70;
    let b = batch_for(tp, batch, false, 7);
    let numel = tp.weight_numel();
    let rows: Vec<f64> = b.w.iter().copied().cycle().take(batch * numel).collect();
    let (x1, x2, w, wr) = (cast(&b.x1), cast(&b.x2), cast(&b.w), cast(&rows));
    let a = tp.apply(&x1, &x2, Weights::Shared(&w)).unwrap();
    let p = tp.apply(&x1, &x2, Weights::PerSample(&wr)).unwrap();
    let n = max_terms(tp) as f64;
    let d = |u: &[T], v: &[T]| racah_numeric::Tolerance::max_abs_diff(u, v);
    let scale = 4.0 * eps * n * 2.0;
    assert!(d(&a, &p) <= scale, "forward: {:e}", d(&a, &p));
    let g = cast(&uniform(&mut rng(8), batch * tp.dim_out()));
    let mk = |n: usize| vec![T::ZERO; n];
    let (mut s1, mut s2, mut sw) = (mk(x1.len()), mk(x2.len()), mk(numel));
    let (mut p1, mut p2, mut pw) = (mk(x1.len()), mk(x2.len()), mk(batch * numel));
    tp.backward(&x1, &x2, Weights::Shared(&w), &g, &mut s1, &mut s2, &mut sw)
        .unwrap();
    tp.backward(
        &x1,
        &x2,
        Weights::PerSample(&wr),
        &g,
        &mut p1,
        &mut p2,
        &mut pw,
    )
    .unwrap();
    let dims = (tp.dim_in1() + tp.dim_in2() + tp.dim_out()) as f64;
    assert!(
        d(&s1, &p1) <= 4.0 * eps * (n + dims) * 4.0,
        "∂x1: {:e}",
        d(&s1, &p1)
    );
    assert!(
        d(&s2, &p2) <= 4.0 * eps * (n + dims) * 4.0 * 8.0,
        "∂x2: {:e}",
        d(&s2, &p2)
    );
    let mut summed = vec![0.0; numel];
    for row in pw.chunks(numel) {
        for (s, v) in summed.iter_mut().zip(row) {
            *s += v.to_f64();
        }
    }
    let sw64: Vec<f64> = sw.iter().map(|v| v.to_f64()).collect();
    let err = racah_numeric::Tolerance::max_abs_diff(&sw64, &summed);
    assert!(
        err <= 4.0 * eps * (batch as f64 + dims) * 4.0,
        "∂W: {err:e}"
    );
}

#[test]
fn matrix_product_paths_match_per_sample_paths() {
    let x = super::ir("8x0e + 8x1o + 6x2e");
    let tp = TensorProduct::<f64>::fully_connected(&x, &super::ir("7x0e + 1o + 2x2e"), &x).unwrap();
    shared_vs_per_sample(&tp, |v| v.to_vec(), f64::EPSILON);
    let tp32 =
        TensorProduct::<f32>::fully_connected(&x, &super::ir("7x0e + 1o + 2x2e"), &x).unwrap();
    shared_vs_per_sample(&tp32, super::to_f32, f64::from(f32::EPSILON));
    // and the gradients of the matrix-product path against finite differences
    check_fd("fully connected, GEMM", &tp, false, 11);
}
