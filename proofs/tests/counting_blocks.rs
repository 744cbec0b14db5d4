//! What fusion blocks span (racah_proofs::counting::analyse_block, feature_rank): the MACE
//! symmetric contraction is complete and parsimonious; removing a path makes a block
//! incomplete and duplicating one makes it redundant, with the path named; polynomial features
//! reach the Molien count.

use proptest::prelude::*;
use racah_core::{testing, Irrep, Irreps};
use racah_numeric::{FusionBlock, FusionBlockOptions, LeafOrder, RANK_GAP};
use racah_proofs::counting::{
    analyse_block, feature_rank, symmetric_couplings, CountingError, PolynomialFeatures,
};
use rug::Integer;

fn irreps(s: &str) -> Irreps {
    s.parse().unwrap()
}

fn ir(s: &str) -> Irrep {
    s.parse().unwrap()
}

/// `mul x` each of 0e + 1o + … + l_max.
fn harmonics(l_max: u32, mul: usize) -> Irreps {
    (0..=l_max)
        .map(|l| format!("{mul}x{}", Irrep::harmonic(l)))
        .collect::<Vec<_>>()
        .join("+")
        .parse()
        .unwrap()
}

/// Every output with l ≤ 3, both parities.
fn all_outputs(mul: usize) -> Irreps {
    irreps(&format!(
        "{mul}x0e+{mul}x0o+{mul}x1o+{mul}x1e+{mul}x2e+{mul}x2o+{mul}x3o+{mul}x3e"
    ))
}

fn mace(l_max: u32, nu: usize) -> FusionBlock<f64> {
    FusionBlock::mace_symmetric_contraction(&harmonics(l_max, 1), &all_outputs(1), nu, 1).unwrap()
}

#[test]
fn test_mace_symmetric_contraction_complete_and_parsimonious() {
    for l_max in 0..=3 {
        for nu in 1..=3 {
            for channels in [1, 3] {
                let sc = FusionBlock::<f64>::mace_symmetric_contraction(
                    &harmonics(l_max, channels),
                    &all_outputs(channels),
                    nu,
                    2,
                )
                .unwrap();
                let r = analyse_block(&sc, None).unwrap();
                let what = format!("l_max = {l_max}, nu = {nu}, channels = {channels}");
                assert!(
                    r.is_complete() && r.is_parsimonious() && r.is_consistent(),
                    "{what}: {r}"
                );
                // one path per independent coupling, group by group, and the count is MATH.md's
                for g in &r.groups {
                    assert_eq!(g.paths.len(), g.rank, "{what}");
                    let v = harmonics(l_max, 1);
                    assert_eq!(
                        g.count,
                        symmetric_couplings(&v, g.body_order, g.output).unwrap()
                    );
                }
                assert_eq!(r.num_paths, sc.num_paths());
                assert!(r.min_kept_residual > 1e3 * RANK_GAP, "{what}: {r}");
            }
        }
    }
    // MATH.md §5 through the block: l_max = 2, ν = 3 → 5 / 5 / 6
    let r = analyse_block(&mace(2, 3), None).unwrap();
    let at = |o: &str| {
        r.groups
            .iter()
            .find(|g| g.body_order == 3 && g.output == ir(o))
            .unwrap()
            .rank
    };
    assert_eq!([at("0e"), at("1o"), at("2e")], [5, 5, 6]);
}

#[test]
fn test_removed_path_is_reported_incomplete() {
    let sc = mace(2, 3);
    let n = sc.num_paths();
    for removed in 0..n {
        let selection: Vec<usize> = (0..n).filter(|&p| p != removed).collect();
        let r = analyse_block(&sc, Some(&selection)).unwrap();
        let path = &sc.paths()[removed];
        assert!(!r.is_complete() && r.is_parsimonious(), "{r}");
        assert_eq!(
            r.missing(),
            [(path.body_order(), path.output(), Integer::from(1))],
            "without {path}"
        );
        let text = r.to_string();
        assert!(text.starts_with("incomplete"), "{text}");
        assert!(
            text.contains(&format!("ν={} → {}", path.body_order(), path.output())),
            "{text}"
        );
    }
}

#[test]
fn test_duplicated_path_is_reported_redundant() {
    let sc = mace(2, 3);
    let n = sc.num_paths();
    for dup in 0..n {
        let mut selection: Vec<usize> = (0..n).collect();
        selection.push(dup);
        let r = analyse_block(&sc, Some(&selection)).unwrap();
        assert!(r.is_complete() && !r.is_parsimonious(), "{r}");
        let red = r.redundant();
        assert_eq!(red.len(), 1, "{r}");
        let name = sc.paths()[dup].to_string();
        assert_eq!((red[0].index, &red[0].path), (dup, &name));
        assert_eq!(red[0].depends_on, [(dup, name.clone())], "{r}");
        assert!(red[0].residual <= RANK_GAP);
        assert!(
            r.to_string()
                .contains(&format!("redundant path #{dup} {name}")),
            "{r}"
        );
    }
}

#[test]
fn test_unpruned_blocks_are_complete_and_redundant() {
    for (order, l_max) in [
        (LeafOrder::All, 2),
        (LeafOrder::Sorted, 2),
        (LeafOrder::Sorted, 3),
    ] {
        let block = FusionBlock::<f64>::new(
            &harmonics(l_max, 1),
            3,
            &all_outputs(1),
            FusionBlockOptions::new(order, false),
        )
        .unwrap();
        let r = analyse_block(&block, None).unwrap();
        assert!(r.is_complete() && !r.is_parsimonious(), "{r}");
        // the wasted parameters: every path beyond the count
        assert_eq!(
            Integer::from(r.redundant().len()),
            Integer::from(block.num_paths()) - r.count()
        );
        assert!(
            r.max_dropped_residual < 1e-12 && r.min_kept_residual > 1e-4,
            "{r}"
        );
    }
    // a path whose symmetric part vanishes: (1o,1o)->1e on equal copies (x × x = 0)
    let cross = FusionBlock::<f64>::new(
        &irreps("1x1o"),
        2,
        &irreps("1x1e"),
        FusionBlockOptions::default(),
    )
    .unwrap();
    let r = analyse_block(&cross, None).unwrap();
    assert!(r.is_complete() && !r.is_parsimonious(), "{r}");
    assert_eq!(r.redundant()[0].path, "(1o,1o)->1e");
    assert!(r.redundant()[0].depends_on.is_empty());
    assert!(r.to_string().contains("vanishes on equal copies"), "{r}");
}

#[test]
fn analyse_block_rejects_bad_selection() {
    let sc = mace(1, 2);
    let n = sc.num_paths();
    let e = analyse_block(&sc, Some(&[0, n + 3])).unwrap_err();
    assert_eq!(
        e,
        CountingError::PathOutOfRange {
            index: n + 3,
            num_paths: n
        }
    );
    assert!(e.to_string().contains(&(n + 3).to_string()), "{e}");
    // the empty selection is a valid (incomplete) block
    let r = analyse_block(&sc, Some(&[])).unwrap();
    assert_eq!(r.rank(), 0);
    assert!(!r.is_complete());
}

proptest! {
    #![proptest_config(testing::seeded(0xb10c_4a4c))]

    #[test]
    fn analyse_block_properties(
        l_max in 0u32..3,
        nu in 1usize..4,
        keep in proptest::collection::vec(any::<bool>(), 64),
        dup in any::<prop::sample::Index>(),
    ) {
        let block = FusionBlock::<f64>::new(&harmonics(l_max, 1), nu, &all_outputs(1),
            FusionBlockOptions::new(LeafOrder::Sorted, false)).unwrap();
        let mut selection: Vec<usize> =
            (0..block.num_paths()).filter(|&p| keep[p % keep.len()]).collect();
        if !selection.is_empty() {
            selection.push(selection[dup.index(selection.len())]);
        }
        let r = analyse_block(&block, Some(&selection)).unwrap();
        prop_assert!(r.is_consistent(), "{}", r);
        prop_assert_eq!(r.rank() + r.redundant().len(), selection.len());
        // a duplicate is never independent
        prop_assert!(selection.is_empty() || !r.is_parsimonious());
        // adding every path back makes it complete
        let full = analyse_block(&block, None).unwrap();
        prop_assert!(full.is_complete(), "{}", full);
        prop_assert!(r.rank() <= full.rank());
    }
}

// ---------------------------------------------------------------------------------------------
// Features on configurations against the Molien series

#[test]
fn test_feature_rank_reaches_molien() {
    let d = 4;
    let f = PolynomialFeatures::up_to_degree(d).unwrap();
    let out = irreps("1x0e+1x0o+1x1o+1x1e+1x2e+1x3o+1x4e");
    let block =
        FusionBlock::<f64>::new(f.irreps(), d as usize, &out, FusionBlockOptions::default())
            .unwrap();
    for n in 1..=4 {
        let r = feature_rank(&block, &f, n, d).unwrap();
        assert!(r.is_complete() && r.is_consistent(), "n = {n}: {r}");
        assert!(
            r.min_kept_residual > 1e-3 && r.max_dropped_residual < 1e-12,
            "{r}"
        );
        assert_eq!(r.rows.len(), d as usize * out.len());
    }
    // n = 3, degree ≤ 4 invariants: 1 + 2 + 0 + 6 without the constant
    let r = feature_rank(&block, &f, 3, d).unwrap();
    assert_eq!(r.cumulative_rank(4, 0), 8);
    assert_eq!(r.cumulative_rank(4, 1), 0); // no pseudoscalar of degree ≤ 4 (the triple product is antisymmetric in S_3)
}

#[test]
fn test_feature_rank_of_a_shallow_block_is_incomplete() {
    // body order ≤ 2 misses r1 ⊗ r1 ⊗ r1-type vectors of degree 3 (three neighbours: 4 of them)
    let f = PolynomialFeatures::up_to_degree(3).unwrap();
    let block = FusionBlock::<f64>::new(
        f.irreps(),
        2,
        &irreps("1x1o"),
        FusionBlockOptions::default(),
    )
    .unwrap();
    let r = feature_rank(&block, &f, 3, 3).unwrap();
    assert!(!r.is_complete() && r.is_consistent(), "{r}");
    let row = r.rows.iter().find(|row| row.degree == 3).unwrap();
    assert_eq!((row.molien.clone(), row.rank), (Integer::from(4), 3), "{r}");
    // one neighbour needs no products at all
    assert!(feature_rank(&block, &f, 1, 3).unwrap().is_complete());
}

#[test]
fn feature_rank_rejects_mismatched_block() {
    let f = PolynomialFeatures::up_to_degree(2).unwrap();
    let block = FusionBlock::<f64>::new(
        &irreps("1x0e+1x1o"),
        2,
        &irreps("1x0e"),
        FusionBlockOptions::default(),
    )
    .unwrap();
    let e = feature_rank(&block, &f, 2, 2).unwrap_err();
    assert!(matches!(e, CountingError::FeaturesMismatch { .. }), "{e}");
    assert!(e.to_string().contains("1x0e+1x1o"), "{e}");
    let ok = FusionBlock::<f64>::new(
        f.irreps(),
        2,
        &irreps("1x0e"),
        FusionBlockOptions::default(),
    )
    .unwrap();
    assert!(matches!(
        feature_rank(&ok, &f, 99, 2),
        Err(CountingError::TooLarge { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..testing::seeded(0x0fea_70e5) })]

    #[test]
    fn feature_rank_properties(n in 1usize..5, d in 1u32..4, nu in 1usize..4) {
        let f = PolynomialFeatures::up_to_degree(d).unwrap();
        let block = FusionBlock::<f64>::new(f.irreps(), nu, &irreps("1x0e+1x1o+1x2e"),
            FusionBlockOptions::default()).unwrap();
        let r = feature_rank(&block, &f, n, d).unwrap();
        prop_assert!(r.is_consistent(), "{}", r);
        // body order ≥ degree reaches every invariant polynomial
        if nu >= d as usize {
            prop_assert!(r.is_complete(), "{}", r);
        }
        prop_assert!(r.rows.iter().all(|row| row.rank <= row.paths));
    }
}
