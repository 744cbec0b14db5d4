//! The wide (x86-64-v3) clones of the batched kernels give the same bits as the baseline clone
//! (src/dispatch.rs: no contraction, no reassociation, so only the vector width changes).
//!
//! One test function toggles the process-wide switch, so nothing else races with it; other
//! tests running meanwhile are unaffected because both clones agree.

use racah_core::Irreps;
use racah_numeric::{
    force_baseline, instruction_set, Float, FusionBlock, FusionBlockOptions, IrrepsArray,
    LeafOrder, Linear, ShNormalization, SphericalHarmonics, TensorProduct, Weights,
};
use rand::Rng;

use crate::common::rng;

fn ir(s: &str) -> Irreps {
    s.parse().unwrap()
}

fn values<T: Float>(n: usize, seed: u64) -> Vec<T> {
    let mut g = rng(seed);
    (0..n)
        .map(|_| T::from_f64((g.next_u64() >> 11) as f64 / (1u64 << 52) as f64 - 1.0))
        .collect()
}

/// Every dispatched kernel's outputs, as bit patterns (f64 widening is exact).
fn outputs<T: Float>() -> Vec<Vec<u64>> {
    let bits = |v: &[T]| v.iter().map(|x| x.to_f64().to_bits()).collect::<Vec<u64>>();
    let mut all = Vec::new();
    // batches that are not multiples of the chunk sizes (tails) and larger than one chunk
    let n = 301;

    // spherical harmonics: compile-time degrees, the generic degree, and the l > 16 blocks
    for l_max in [2u32, 8, 20] {
        for norm in [true, false] {
            let sh = SphericalHarmonics::<T>::new(l_max, ShNormalization::Component, norm).unwrap();
            let mut xyz = values::<T>(3 * n * 4, 10 + l_max as u64);
            xyz[0] = T::ZERO; // a point through the special-case path
            let pts = xyz.len() / 3;
            let (mut out, mut grad) = (
                vec![T::ZERO; pts * sh.dim()],
                vec![T::ZERO; 3 * pts * sh.dim()],
            );
            sh.compute(&xyz, &mut out);
            all.push(bits(&out));
            sh.compute_with_gradients(&xyz, &mut out, &mut grad);
            all.push(bits(&out));
            all.push(bits(&grad));
        }
    }

    // tensor products: shared weights (GEMM path), per-sample weights, channel-wise; backward
    let x = ir("4x0e + 4x1o + 3x2e");
    let fc = TensorProduct::<T>::fully_connected(&x, &x, &x).unwrap();
    let cw = TensorProduct::<T>::channel_wise(
        &ir("8x0e + 8x1o + 8x2e"),
        &ir("0e + 1o + 2e"),
        &ir("0e + 1o + 2e"),
    )
    .unwrap();
    for (t, tp) in [fc, cw].iter().enumerate() {
        let (x1, x2) = (
            values::<T>(n * tp.dim_in1(), 20 + t as u64),
            values::<T>(n * tp.dim_in2(), 30),
        );
        let w = values::<T>(tp.weight_numel(), 40);
        let wn = values::<T>(n * tp.weight_numel(), 41);
        let g = values::<T>(n * tp.dim_out(), 42);
        for weights in [Weights::Shared(&w[..]), Weights::PerSample(&wn[..])] {
            let mut out = vec![T::ZERO; n * tp.dim_out()];
            tp.forward(&x1, &x2, weights, &mut out).unwrap();
            all.push(bits(&out));
            let (mut g1, mut g2) = (vec![T::ZERO; x1.len()], vec![T::ZERO; x2.len()]);
            let mut gw = vec![
                T::ZERO;
                if matches!(weights, Weights::Shared(_)) {
                    w.len()
                } else {
                    wn.len()
                }
            ];
            tp.backward(&x1, &x2, weights, &g, &mut g1, &mut g2, &mut gw)
                .unwrap();
            all.push(bits(&g1));
            all.push(bits(&g2));
            all.push(bits(&gw));
        }
    }

    // linear map
    let lin = Linear::<T>::new(&ir("8x0e + 8x1o"), &ir("5x0e + 3x1o")).unwrap();
    let xl = values::<T>(n * lin.dim_in(), 50);
    let wl = values::<T>(lin.weight_numel(), 51);
    let mut ol = vec![T::ZERO; n * lin.dim_out()];
    lin.forward(&xl, Weights::Shared(&wl), None, &mut ol)
        .unwrap();
    all.push(bits(&ol));

    // fusion block, with and without prefix sharing
    let fin = ir("6x0e + 6x1o + 6x2e");
    let fb = FusionBlock::<T>::new(
        &fin,
        3,
        &fin,
        FusionBlockOptions::new(LeafOrder::All, false),
    )
    .unwrap();
    let xf = IrrepsArray::new(fin.clone(), n, values::<T>(n * fin.dim(), 60)).unwrap();
    let wf = values::<T>(fb.weight_numel(), 61);
    all.push(bits(fb.forward(&xf, &wf).unwrap().data()));
    all.push(bits(fb.forward_unshared(&xf, &wf).unwrap().data()));
    all
}

#[test]
fn wide_and_baseline_clones_agree_bit_for_bit() {
    eprintln!("dispatch uses {}", instruction_set());
    for (name, wide, base) in [
        ("f32", outputs::<f32>(), {
            force_baseline(true);
            let b = outputs::<f32>();
            force_baseline(false);
            b
        }),
        ("f64", outputs::<f64>(), {
            force_baseline(true);
            let b = outputs::<f64>();
            force_baseline(false);
            b
        }),
    ] {
        assert_eq!(wide.len(), base.len());
        for (k, (a, b)) in wide.iter().zip(&base).enumerate() {
            assert!(!a.is_empty(), "{name}: output {k} is empty");
            let first = a.iter().zip(b).position(|(x, y)| x != y);
            assert_eq!(
                first, None,
                "{name}: output {k} differs between the clones at {first:?}"
            );
        }
    }
}
