//! Tests of [`FusionBlock::flops_per_row`]: hand-counted golden values and the bound against an
//! independent recount of the unshared cost from the exact coupling tensors.

use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use racah_core::{Irrep, Irreps, MulIrrep, Parity};
use racah_exact::real_cg;

use super::{FusionBlock, FusionBlockOptions, LeafOrder};

fn irreps(s: &str) -> Irreps {
    s.parse().unwrap()
}

fn l(i: Irrep) -> u32 {
    i.as_l().unwrap()
}

fn nnz(l1: u32, l2: u32, l3: u32) -> u64 {
    real_cg(l1, l2, l3).unwrap().nonzeros().count() as u64
}

/// Σ over paths of their cost evaluated alone: `3·nnz·C` per pairwise coupling of the chain
/// plus `2·(2L+1)·C` for the weighting.
fn unshared_flops(b: &FusionBlock<f64>) -> u64 {
    let c = b.channels() as u64;
    b.paths()
        .iter()
        .map(|p| {
            let mut acc = l(p.leaves()[0]);
            let mut f = 0;
            for (k, leaf) in p.leaves().iter().enumerate().skip(1) {
                let j = if k + 1 == p.leaves().len() {
                    l(p.output())
                } else {
                    l(p.internal()[k - 1])
                };
                f += 3 * nnz(acc, l(*leaf), j) * c;
                acc = j;
            }
            f + 2 * u64::from(2 * l(p.output()) + 1) * c
        })
        .sum()
}

#[test]
fn test_flops_per_row() {
    // 0e; (0e,0e)->0e (1 nonzero); (1o,1o)->0e (3 nonzeros): 3·(1+3) + 2·3·1
    let b = FusionBlock::<f64>::new(
        &irreps("1x0e+1x1o"),
        2,
        &irreps("1x0e"),
        FusionBlockOptions::new(LeafOrder::Sorted, true),
    )
    .unwrap();
    assert_eq!(b.num_paths(), 3);
    assert_eq!(b.flops_per_row(), 18);
    // channels scale every term
    let b4 = FusionBlock::<f32>::new(
        &irreps("4x0e+4x1o"),
        2,
        &irreps("4x0e"),
        FusionBlockOptions::new(LeafOrder::Sorted, true),
    )
    .unwrap();
    assert_eq!(b4.flops_per_row(), 4 * 18);
    // (1o,1o)->1e shares nothing with a second block output: 1o alone, 2·3
    let v = FusionBlock::<f64>::new(
        &irreps("1x1o"),
        1,
        &irreps("1x1o"),
        FusionBlockOptions::default(),
    )
    .unwrap();
    assert_eq!(v.flops_per_row(), 6);
}

fn small_irreps(max_l: u32, max_terms: usize) -> impl Strategy<Value = Irreps> {
    prop::collection::btree_set(0..=max_l, 1..=max_terms).prop_map(|ls| {
        let mut ir = Irreps::default();
        for l in ls {
            ir.push(MulIrrep::new(2, Irrep::l(l, Parity::of_harmonic(l))));
        }
        ir
    })
}

proptest! {
    #![proptest_config(Config {
        cases: 24,
        rng_seed: RngSeed::Fixed(0x666c_6f70),
        ..Config::default()
    })]

    /// Prefix sharing never costs more than evaluating each path alone, and at body order ≤ 2
    /// with distinct output irreps no node is shared, so the counts are equal.
    #[test]
    fn flops_per_row_properties(
        input in small_irreps(2, 3),
        output in small_irreps(2, 2),
        correlation in 1usize..=3,
        order in prop_oneof![Just(LeafOrder::Sorted), Just(LeafOrder::All)],
        parsimonious in any::<bool>(),
    ) {
        let b = FusionBlock::<f64>::new(
            &input,
            correlation,
            &output,
            FusionBlockOptions::new(order, parsimonious),
        )
        .unwrap();
        let unshared = unshared_flops(&b);
        prop_assert!(b.flops_per_row() <= unshared);
        if correlation <= 2 {
            prop_assert_eq!(b.flops_per_row(), unshared);
        }
        prop_assert_eq!(b.flops_per_row() == 0, b.num_paths() == 0);
    }
}
