//! Fusion blocks: path enumeration (golden), counts against MATH.md §5, parsimony, prefix
//! sharing, MACE's symmetric contraction, and the error cases.

use crate::common::{config, rng};
use proptest::prelude::*;
use racah_core::Irreps;
use racah_numeric::{
    Float, FusionBlock, FusionBlockError, FusionBlockOptions, IrrepsArray, LeafOrder,
    MAX_CORRELATION,
};
use rand::Rng;

pub fn irreps(s: &str) -> Irreps {
    s.parse().unwrap()
}

/// Uniform entries in [−1, 1).
pub fn uniform(rng: &mut impl Rng, n: usize) -> Vec<f64> {
    (0..n)
        .map(|_| (rng.next_u64() >> 11) as f64 / (1u64 << 52) as f64 - 1.0)
        .collect()
}

/// Integers in [−k, k].
pub fn small_ints(rng: &mut impl Rng, n: usize, k: i64) -> Vec<i64> {
    (0..n)
        .map(|_| (rng.next_u64() % (2 * k as u64 + 1)) as i64 - k)
        .collect()
}

pub fn cast<T: Float>(v: &[f64]) -> Vec<T> {
    v.iter().map(|&x| T::from_f64(x)).collect()
}

pub fn block<T: Float>(
    i: &str,
    nu: usize,
    o: &str,
    order: LeafOrder,
    pars: bool,
) -> FusionBlock<T> {
    FusionBlock::new(
        &irreps(i),
        nu,
        &irreps(o),
        FusionBlockOptions::new(order, pars),
    )
    .unwrap()
}

fn strings<T: Float>(b: &FusionBlock<T>) -> Vec<String> {
    b.paths().iter().map(|p| p.to_string()).collect()
}

#[test]
fn test_fusion_block_paths() {
    // (1,1,1) → 1: three labellings (MATH.md §2), plus the body-order-1 identity
    let b = block::<f64>("2x1o", 3, "2x1o", LeafOrder::All, false);
    assert_eq!(
        strings(&b),
        [
            "1o",
            "((1o,1o)->0e,1o)->1o",
            "((1o,1o)->1e,1o)->1o",
            "((1o,1o)->2e,1o)->1o"
        ]
    );
    assert_eq!(b.weight_numel(), 4 * 2);
    assert_eq!(b.channels(), 2);
    assert_eq!(b.correlation(), 3);
    let p = &b.paths()[2];
    assert_eq!((p.body_order(), p.output_term()), (3, 0));
    assert_eq!(p.internal(), &["1e".parse().unwrap()]);
    assert_eq!(p.leaf_terms(), &[0, 0, 0]);
    // three vectors fuse to 0o (the triple product), not to 0e
    let b = block::<f64>("1x1o", 3, "1x0e+1x0o", LeafOrder::All, false);
    assert_eq!(strings(&b), ["(1o,1o)->0e", "((1o,1o)->1e,1o)->0o"]);
    assert_eq!(b.paths()[1].output_term(), 1);
    // leaf orders: All keeps (0e,1o) and (1o,0e), Sorted only the first
    let all = block::<f64>("1x0e+1x1o", 2, "1x1o", LeafOrder::All, false);
    assert_eq!(strings(&all), ["1o", "(0e,1o)->1o", "(1o,0e)->1o"]);
    let sorted = block::<f64>("1x0e+1x1o", 2, "1x1o", LeafOrder::Sorted, false);
    assert_eq!(strings(&sorted), ["1o", "(0e,1o)->1o"]);
    // the trie shares the prefix (1o,1o)->J between the three body-order-3 paths
    let b = block::<f64>("1x1o", 3, "1x1o", LeafOrder::All, false);
    assert_eq!(b.num_trie_nodes(), 1 + 3 + 3);
    assert_eq!(b.num_unshared_couplings(), 6);
}

/// Sym^ν(V) → 0e / 1o / 2e, V = 0e + 1o + … (MATH.md §5).
#[test]
fn parsimonious_counts_match_character_counts() {
    let cases: [(&str, usize, [usize; 3]); 5] = [
        ("1x0e+1x1o", 2, [2, 1, 1]),
        ("1x0e+1x1o", 3, [2, 2, 1]),
        ("1x0e+1x1o", 4, [3, 2, 2]),
        ("1x0e+1x1o+1x2e", 2, [3, 2, 3]),
        ("1x0e+1x1o+1x2e", 3, [5, 5, 6]),
    ];
    for (v, nu, want) in cases {
        for order in [LeafOrder::Sorted, LeafOrder::All] {
            if order == LeafOrder::All && nu == 4 {
                continue; // 4^4 leaf sequences: covered by Sorted
            }
            let b = block::<f64>(v, nu, "1x0e+1x1o+1x2e", order, true);
            let got: Vec<usize> = (0..3)
                .map(|o| {
                    b.paths()
                        .iter()
                        .filter(|p| p.output_term() == o && p.body_order() == nu)
                        .count()
                })
                .collect();
            assert_eq!(got, want, "{v} ν={nu} {order:?}");
            let r = b.parsimony().unwrap();
            assert_eq!(r.after, b.num_paths());
            assert!(r.before >= r.after);
            // the numerical rank decision has a wide gap
            eprintln!("{v} ν={nu} {order:?}: {r:?}");
            assert!(r.min_kept_residual > 1e-4, "{v} ν={nu}: {r:?}");
            assert!(r.max_dropped_residual < 1e-10, "{v} ν={nu}: {r:?}");
        }
    }
}

#[test]
fn parsimony_drops_vanishing_triple_product() {
    // (x × x) · x = 0 for equal copies: Sym³(1o) has no 0o
    let full = block::<f64>("1x1o", 3, "1x0o", LeafOrder::All, false);
    assert_eq!(full.num_paths(), 1);
    let lean = block::<f64>("1x1o", 3, "1x0o", LeafOrder::All, true);
    assert_eq!(lean.num_paths(), 0);
    assert_eq!(lean.weight_numel(), 0);
    let r = lean.parsimony().unwrap();
    assert_eq!((r.before, r.after), (1, 0));
    let x = IrrepsArray::new(irreps("1x1o"), 1, vec![0.3, 0.1, -0.2]).unwrap();
    assert_eq!(lean.forward(&x, &[]).unwrap().data(), &[0.0]);
    // MACE-sized input: counts before → after
    let full = block::<f32>("8x0e+8x1o+8x2e", 3, "8x0e+8x1o+8x2e", LeafOrder::All, false);
    let lean = block::<f32>("8x0e+8x1o+8x2e", 3, "8x0e+8x1o+8x2e", LeafOrder::All, true);
    let sorted = block::<f32>(
        "8x0e+8x1o+8x2e",
        3,
        "8x0e+8x1o+8x2e",
        LeafOrder::Sorted,
        false,
    );
    // (1+1+1) + (3+2+3) + (5+5+6) = 27 independent paths (MATH.md §5)
    assert_eq!(lean.num_paths(), 27);
    assert_eq!(lean.parsimony().unwrap().before, full.num_paths());
    assert!(full.num_paths() > sorted.num_paths() && sorted.num_paths() > 27);
    eprintln!(
        "8x0e+8x1o+8x2e ν=3: All {} paths, Sorted {}, parsimonious {}",
        full.num_paths(),
        sorted.num_paths(),
        lean.num_paths()
    );
}

fn shared_matches_unshared<T: Float>(b: &FusionBlock<T>, seed: u64, batch: usize) {
    let mut r = rng(seed);
    let x = cast::<T>(&uniform(&mut r, batch * b.irreps_in().dim()));
    let w = cast::<T>(&uniform(&mut r, b.weight_numel()));
    let x = IrrepsArray::new(b.irreps_in().clone(), batch, x).unwrap();
    let shared = b.forward(&x, &w).unwrap();
    let unshared = b.forward_unshared(&x, &w).unwrap();
    // same operations in the same order: bit-identical
    assert_eq!(shared.data(), unshared.data());
}

#[test]
fn prefix_sharing_is_bit_identical() {
    for (i, o, nu) in [
        ("3x0e+3x1o+3x2e", "3x0e+3x1o+3x2e", 3),
        ("2x0e+2x1o", "2x0e+2x1o+2x1e", 4),
    ] {
        let b64 = block::<f64>(i, nu, o, LeafOrder::All, false);
        shared_matches_unshared(&b64, 1, 37);
        let b32 = block::<f32>(i, nu, o, LeafOrder::Sorted, true);
        shared_matches_unshared(&b32, 2, 37);
        assert!(b64.num_unshared_couplings() > b64.num_trie_nodes() / 2);
    }
}

#[test]
fn forward_is_linear_in_weights_per_path() {
    // a one-hot weight picks out one path's value for one channel
    let b = block::<f64>(
        "2x0e+2x1o+2x2e",
        3,
        "2x0e+2x1o+2x2e",
        LeafOrder::Sorted,
        false,
    );
    let mut r = rng(5);
    let x = IrrepsArray::new(
        b.irreps_in().clone(),
        2,
        uniform(&mut r, 2 * b.irreps_in().dim()),
    )
    .unwrap();
    let slices = b.irreps_out().slices();
    for (p, path) in b.paths().iter().enumerate() {
        let mut w = vec![0.0; b.weight_numel()];
        w[p * 2 + 1] = 1.0;
        let out = b.forward(&x, &w).unwrap();
        let vals = b.path_values(&x, 1, 1).unwrap();
        let d = path.output().dim();
        let start = slices[path.output_term()].start + d; // channel 1
        assert_eq!(&out.row(1)[start..start + d], &vals[p][..], "{path}");
    }
}

#[test]
fn test_mace_symmetric_contraction() {
    let sc = FusionBlock::<f64>::mace_symmetric_contraction(
        &irreps("4x0e+4x1o+4x2e"),
        &irreps("4x0e+4x1o"),
        3,
        3,
    )
    .unwrap();
    // MATH.md §5, l_max = 2: 0e: 1 + 3 + 5, 1o: 1 + 2 + 5
    assert_eq!(sc.num_paths(), 17);
    assert_eq!(sc.num_elements(), 3);
    assert_eq!(sc.weight_numel(), 3 * 17 * 4);
    let mut r = rng(9);
    let batch = 7;
    let x = IrrepsArray::new(sc.irreps_in().clone(), batch, uniform(&mut r, batch * 36)).unwrap();
    let w = uniform(&mut r, sc.weight_numel());
    let species = [2, 0, 1, 1, 2, 0, 0];
    let out = sc.forward_with_species(&x, &species, &w).unwrap();
    // each row equals a plain block evaluated with that element's table
    let plain = block::<f64>("4x0e+4x1o+4x2e", 3, "4x0e+4x1o", LeafOrder::Sorted, true);
    assert_eq!(plain.paths(), sc.paths());
    let per = 17 * 4;
    for (b, &z) in species.iter().enumerate() {
        let row = IrrepsArray::new(x.irreps().clone(), 1, x.row(b).to_vec()).unwrap();
        let want = plain.forward(&row, &w[z * per..(z + 1) * per]).unwrap();
        assert_eq!(out.row(b), want.data());
    }
    // forward uses element 0
    let all0 = sc.forward_with_species(&x, &[0; 7], &w).unwrap();
    assert_eq!(all0.data(), sc.forward(&x, &w).unwrap().data());
}

#[test]
fn fusion_block_rejects_bad_input() {
    let opts = FusionBlockOptions::default();
    let new = |i: &Irreps, nu, o: &Irreps| FusionBlock::<f64>::new(i, nu, o, opts).unwrap_err();
    let one = irreps("2x0e");
    assert_eq!(
        new(&Irreps::default(), 2, &one),
        FusionBlockError::EmptyIrreps { what: "input" }
    );
    assert_eq!(
        new(&one, 2, &Irreps::default()),
        FusionBlockError::EmptyIrreps { what: "output" }
    );
    let e = new(&irreps("2x0e+3x1o"), 2, &one);
    assert!(matches!(
        e,
        FusionBlockError::MixedMultiplicity {
            got: 3,
            expected: 2,
            ..
        }
    ));
    assert!(e.to_string().contains("3x1o"), "{e}");
    let e = new(&one, 2, &irreps("3x0e"));
    assert!(matches!(
        e,
        FusionBlockError::MixedMultiplicity { what: "output", .. }
    ));
    let e = new(&irreps("2x1/2e"), 2, &one);
    assert!(matches!(e, FusionBlockError::HalfInteger { .. }));
    assert!(e.to_string().contains("1/2e"), "{e}");
    let e = new(&irreps("2x13e"), 2, &one);
    assert!(matches!(e, FusionBlockError::LTooLarge { max: 12, .. }));
    for nu in [0, MAX_CORRELATION + 1] {
        assert_eq!(
            new(&one, nu, &one),
            FusionBlockError::BadCorrelation {
                correlation: nu,
                max: MAX_CORRELATION
            }
        );
    }
    assert_eq!(
        FusionBlock::<f32>::mace_symmetric_contraction(&one, &one, 2, 0).unwrap_err(),
        FusionBlockError::NoElements { num_elements: 0 }
    );

    let b = FusionBlock::<f64>::mace_symmetric_contraction(&one, &one, 2, 2).unwrap();
    let x = IrrepsArray::new(one.clone(), 3, vec![1.0; 6]).unwrap();
    let w = vec![1.0; b.weight_numel()];
    let other = IrrepsArray::new(irreps("1x0e+1x0e"), 3, vec![1.0; 6]).unwrap();
    let e = b.forward(&other, &w).unwrap_err();
    assert!(matches!(e, FusionBlockError::IrrepsMismatch { .. }));
    assert!(e.to_string().contains("1x0e+1x0e"), "{e}");
    let e = b.forward(&x, &w[1..]).unwrap_err();
    assert!(matches!(
        e,
        FusionBlockError::ShapeMismatch {
            expected: 8,
            got: 7,
            ..
        }
    ));
    assert!(b.forward_unshared(&x, &[]).is_err());
    let e = b.forward_with_species(&x, &[0, 1], &w).unwrap_err();
    assert!(matches!(
        e,
        FusionBlockError::ShapeMismatch {
            expected: 3,
            got: 2,
            ..
        }
    ));
    let e = b.forward_with_species(&x, &[0, 1, 2], &w).unwrap_err();
    assert_eq!(
        e,
        FusionBlockError::SpeciesOutOfRange {
            index: 2,
            value: 2,
            num_elements: 2
        }
    );
    assert!(e.to_string().contains("species[2] = 2"), "{e}");
    assert!(b.path_values(&x, 3, 0).is_err());
    assert!(b.path_values(&x, 0, 2).is_err());
    assert!(b.path_values(&other, 0, 0).is_err());
}

proptest! {
    #![proptest_config(config(24))]

    /// Properties: sharing is bit-identical; scaling the input by 2 scales a body-order-k path
    /// by exactly 2^k (powers of two are exact in binary floating point).
    #[test]
    fn fusion_block_properties(seed in any::<u64>(), nu in 1usize..=3, lmax in 0u32..=2, pars: bool) {
        let i: Vec<String> = (0..=lmax).map(|l| format!("2x{l}{}", if l % 2 == 0 { "e" } else { "o" })).collect();
        let i = i.join("+");
        let b = block::<f64>(&i, nu, &i, LeafOrder::All, pars);
        shared_matches_unshared(&b, seed, 3);
        let mut r = rng(seed);
        let x = uniform(&mut r, b.irreps_in().dim());
        let x1 = IrrepsArray::new(b.irreps_in().clone(), 1, x.clone()).unwrap();
        let x2 = IrrepsArray::new(b.irreps_in().clone(), 1, x.iter().map(|v| 2.0 * v).collect()).unwrap();
        for c in 0..2 {
            let v1 = b.path_values(&x1, 0, c).unwrap();
            let v2 = b.path_values(&x2, 0, c).unwrap();
            for ((p, a), bb) in b.paths().iter().zip(&v1).zip(&v2) {
                let f = (1u32 << p.body_order()) as f64;
                let scaled: Vec<f64> = a.iter().map(|v| v * f).collect();
                prop_assert_eq!(&scaled, bb, "{}", p);
            }
        }
    }
}

#[test]
fn trie_sizes_of_the_bench_block() {
    for pars in [false, true] {
        let b = block::<f32>(
            "32x0e+32x1o+32x2e",
            3,
            "32x0e+32x1o+32x2e",
            LeafOrder::Sorted,
            pars,
        );
        // sharing never does more couplings than the unshared chains
        assert!(b.num_trie_nodes() - 3 <= b.num_unshared_couplings());
        eprintln!(
            "bench block (parsimonious: {pars}): {} paths, {} trie nodes, {} unshared couplings",
            b.num_paths(),
            b.num_trie_nodes(),
            b.num_unshared_couplings()
        );
    }
}

#[test]
fn fusion_block_rejects_oversized_enumeration() {
    let e = FusionBlock::<f32>::new(
        &irreps("1x0e+1x1o+1x2e+1x3o+1x4e+1x5o"),
        MAX_CORRELATION,
        &irreps("1x0e"),
        FusionBlockOptions::new(LeafOrder::All, false),
    )
    .unwrap_err();
    assert!(matches!(e, FusionBlockError::TooLarge { .. }), "{e}");
}
