//! The fusion block's adjoint pass against forward-mode dual numbers.
//!
//! `Dual<f64>` forward with input `x + ε v` gives the exact directional derivative of the
//! computed block, so `⟨∂L/∂x, v⟩` must equal `⟨g, B(x + εv).eps⟩` (L = ⟨g, B⟩) and likewise
//! for the weights. Both sides are sums of the same products in different orders: with
//! entries in [−1, 1] and coupling entries ≤ 1, a row's products number at most
//! `flops_per_row` and the two sides differ by at most `ε · flops_per_row · batch · scale`.

use crate::common::{config, rng};
use crate::fusion_block::{block, cast, irreps, uniform};
use proptest::prelude::*;
use racah_numeric::{
    Dual, Float, FusionBlock, FusionBlockError, FusionBlockOptions, IrrepsArray, LeafOrder,
    Tolerance,
};

fn dot<T: Float>(a: &[T], b: &[T]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x.to_f64() * y.to_f64()).sum()
}

/// Checks `backward_with_species` in `T` against `Dual<f64>` directional derivatives.
fn check_against_dual<T: Float>(
    input: &str,
    nu: usize,
    output: &str,
    elements: usize,
    batch: usize,
    seed: u64,
) {
    let (i, o) = (irreps(input), irreps(output));
    let opts = FusionBlockOptions::new(LeafOrder::Sorted, true);
    let b = if elements == 1 {
        FusionBlock::<T>::new(&i, nu, &o, opts).unwrap()
    } else {
        FusionBlock::<T>::mace_symmetric_contraction(&i, &o, nu, elements).unwrap()
    };
    let bd = if elements == 1 {
        FusionBlock::<Dual<f64>>::new(&i, nu, &o, opts).unwrap()
    } else {
        FusionBlock::<Dual<f64>>::mace_symmetric_contraction(&i, &o, nu, elements).unwrap()
    };
    let mut r = rng(seed);
    let (din, dout) = (i.dim(), o.dim());
    let x = uniform(&mut r, batch * din);
    let v = uniform(&mut r, batch * din);
    let w = uniform(&mut r, b.weight_numel());
    let u = uniform(&mut r, b.weight_numel());
    let g = uniform(&mut r, batch * dout);
    let species: Vec<usize> = (0..batch).map(|k| k % elements).collect();
    // reverse in T
    let xt = IrrepsArray::new(i.clone(), batch, cast::<T>(&x)).unwrap();
    let (mut gx, mut gw) = (vec![T::ZERO; batch * din], vec![T::ZERO; b.weight_numel()]);
    b.backward_with_species(&xt, &species, &cast(&w), &cast(&g), &mut gx, &mut gw)
        .unwrap();
    // forward mode in Dual<f64>: x + εv, then w + εu
    let dual = |a: &[f64], da: &[f64]| -> Vec<Dual<f64>> {
        a.iter()
            .zip(da)
            .map(|(&a, &d)| Dual { re: a, eps: d })
            .collect()
    };
    let zero = vec![0.0; x.len().max(w.len())];
    let xd = IrrepsArray::new(i.clone(), batch, dual(&x, &v)).unwrap();
    let out = bd
        .forward_with_species(&xd, &species, &dual(&w, &zero[..w.len()]))
        .unwrap();
    let dx_fwd: f64 = out.data().iter().zip(&g).map(|(o, g)| o.eps * g).sum();
    let xd0 = IrrepsArray::new(i.clone(), batch, dual(&x, &zero[..x.len()])).unwrap();
    let out = bd
        .forward_with_species(&xd0, &species, &dual(&w, &u))
        .unwrap();
    let dw_fwd: f64 = out.data().iter().zip(&g).map(|(o, g)| o.eps * g).sum();
    let dx_rev = dot(&gx, &cast::<T>(&v));
    let dw_rev = dot(&gw, &cast::<T>(&u));
    let n = b.flops_per_row() as f64 * batch as f64;
    let what = format!("{input} ν={nu} → {output}, {elements} elements");
    // T rounds x, w, g once more than the reference: that is within the same count
    assert!(
        Tolerance::scaled::<T>(n).allows(dx_rev - dx_fwd, dx_fwd),
        "{what}: ⟨∂L/∂x, v⟩ reverse {dx_rev} vs dual {dx_fwd}"
    );
    assert!(
        Tolerance::scaled::<T>(n).allows(dw_rev - dw_fwd, dw_fwd),
        "{what}: ⟨∂L/∂w, u⟩ reverse {dw_rev} vs dual {dw_fwd}"
    );
}

#[test]
fn test_fusion_block_backward() {
    // (1o,1o) → 0e: B = w |x|²/√3, so ∂B/∂x = 2w x/√3 and ∂B/∂w = |x|²/√3
    let b = block::<f64>("1x1o", 2, "1x0e", LeafOrder::Sorted, true);
    assert_eq!(b.num_paths(), 1);
    let x = IrrepsArray::new(irreps("1x1o"), 1, vec![1.0, 2.0, 2.0]).unwrap();
    let (mut gx, mut gw) = ([0.0; 3], [0.0]);
    b.backward(&x, &[0.5], &[1.0], &mut gx, &mut gw).unwrap();
    let s3 = 3f64.sqrt();
    for (a, e) in gx.iter().zip([1.0 / s3, 2.0 / s3, 2.0 / s3]) {
        assert!((a - e).abs() <= 2.0 * f64::EPSILON, "{a} vs {e}");
    }
    assert!((gw[0] - 9.0 / s3).abs() <= 8.0 * f64::EPSILON);
    // without weight gradients: the same input gradient
    let mut gx2 = [0.0; 3];
    b.backward(&x, &[0.5], &[1.0], &mut gx2, &mut []).unwrap();
    assert_eq!(gx, gx2);
}

#[test]
fn fusion_block_backward_rejects_bad_buffers() {
    let b = block::<f64>("2x0e+2x1o", 2, "2x0e", LeafOrder::Sorted, true);
    let x = IrrepsArray::new(irreps("2x0e+2x1o"), 2, vec![0.5; 16]).unwrap();
    let w = vec![1.0; b.weight_numel()];
    let (mut gx, mut gw) = (vec![0.0; 16], vec![0.0; b.weight_numel()]);
    let err = b.backward(&x, &w, &[1.0; 3], &mut gx, &mut gw).unwrap_err();
    assert!(
        matches!(
            err,
            FusionBlockError::ShapeMismatch {
                expected: 4,
                got: 3,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().contains('3'), "{err}");
    let err = b
        .backward(&x, &w, &[1.0; 4], &mut gx[..15], &mut gw)
        .unwrap_err();
    assert!(matches!(
        err,
        FusionBlockError::ShapeMismatch {
            expected: 16,
            got: 15,
            ..
        }
    ));
    let err = b
        .backward(&x, &w, &[1.0; 4], &mut gx, &mut gw[..1])
        .unwrap_err();
    assert!(matches!(
        err,
        FusionBlockError::ShapeMismatch { got: 1, .. }
    ));
    let err = b
        .backward(&x, &w[..1], &[1.0; 4], &mut gx, &mut gw)
        .unwrap_err();
    assert!(matches!(
        err,
        FusionBlockError::ShapeMismatch { got: 1, .. }
    ));
    let wrong = IrrepsArray::new(irreps("2x0e+2x1e"), 2, vec![0.5; 16]).unwrap();
    let err = b
        .backward(&wrong, &w, &[1.0; 4], &mut gx, &mut gw)
        .unwrap_err();
    assert!(matches!(err, FusionBlockError::IrrepsMismatch { .. }));
    let sc =
        FusionBlock::<f64>::mace_symmetric_contraction(&irreps("2x0e+2x1o"), &irreps("2x0e"), 2, 2)
            .unwrap();
    let w = vec![1.0; sc.weight_numel()];
    let err = sc
        .backward_with_species(&x, &[0, 2], &w, &[1.0; 4], &mut gx, &mut [])
        .unwrap_err();
    assert!(
        matches!(
            err,
            FusionBlockError::SpeciesOutOfRange {
                index: 1,
                value: 2,
                ..
            }
        ),
        "{err}"
    );
    let err = sc
        .backward_with_species(&x, &[0], &w, &[1.0; 4], &mut gx, &mut [])
        .unwrap_err();
    assert!(matches!(
        err,
        FusionBlockError::ShapeMismatch {
            expected: 2,
            got: 1,
            ..
        }
    ));
}

#[test]
fn fusion_block_backward_matches_dual_on_network_blocks() {
    // the blocks of the example networks (MACE's product basis, one table per species)
    check_against_dual::<f64>("8x0e+8x1o+8x2e", 3, "8x0e+8x1o+8x2e", 4, 5, 1);
    check_against_dual::<f64>("8x0e+8x1o+8x2e", 3, "8x0e+8x1o", 2, 40, 2);
    check_against_dual::<f32>("4x0e+4x1o+4x1e+4x2e", 2, "4x0e+4x1o+4x1e+4x2e", 3, 7, 3);
}

proptest! {
    #![proptest_config(config(24))]

    #[test]
    fn fusion_block_backward_properties(
        seed in any::<u64>(), nu in 1usize..=4, lmax in 0u32..=2, mul in 1usize..=3,
        elements in 1usize..=3, batch in 1usize..=20,
    ) {
        let input: Vec<String> = (0..=lmax)
            .map(|l| format!("{mul}x{l}{}", if l % 2 == 0 { 'e' } else { 'o' }))
            .collect();
        let input = input.join("+");
        let output = format!("{mul}x0e+{mul}x1o");
        check_against_dual::<f64>(&input, nu, &output, elements, batch, seed);
        check_against_dual::<f32>(&input, nu, &output, elements, batch, seed);
    }
}
