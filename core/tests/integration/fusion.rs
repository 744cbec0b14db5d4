//! Fusion trees: label counts equal for every shape and equal to the weight-count multiplicity;
//! labellings are admissible, distinct, and round-trip through their textual form.

use crate::oracle;
use proptest::prelude::*;
use racah_core::fusion::{FusionTree, LabelledFusionTree};
use racah_core::{testing, Irrep, Irreps};
use std::collections::BTreeSet;

fn check_all_shapes(leaves: &[Irrep], out: Irrep) -> Result<(), TestCaseError> {
    let want = oracle::multiplicity(leaves, out);
    prop_assert_eq!(Irreps::multiplicity_in_product(leaves, out).unwrap(), want);
    for shape in FusionTree::all_shapes(leaves.len()).unwrap() {
        prop_assert_eq!(
            shape.count_paths(leaves, out).unwrap(),
            want,
            "{} {:?}",
            shape,
            leaves
        );
        let all = shape.labellings(leaves, out).unwrap();
        prop_assert_eq!(all.len() as u64, want);
        let texts: BTreeSet<String> = all.iter().map(|t| t.to_string()).collect();
        prop_assert_eq!(texts.len(), all.len(), "labellings are distinct");
        for t in &all {
            prop_assert_eq!(t.tree(), &shape);
            prop_assert_eq!(t.leaves(), leaves);
            prop_assert_eq!(t.output(), out);
            for v in t.vertices() {
                prop_assert!(v.left.couples_to(v.right, v.out), "{}", t);
            }
            let back: LabelledFusionTree = t.to_string().parse().unwrap();
            prop_assert_eq!(&back, t);
            let rebuilt =
                LabelledFusionTree::new(shape.clone(), leaves.to_vec(), t.internal().to_vec(), out)
                    .unwrap();
            prop_assert_eq!(&rebuilt, t);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(testing::seeded(51))]

    /// k ≤ 4 leaves with 2j ≤ 6 (half-integers included), every output the product allows.
    #[test]
    fn label_counts_agree_for_every_shape(
        leaves in proptest::collection::vec(testing::su2_irrep(6), 1..=4),
    ) {
        for out in oracle::candidates(&leaves) {
            check_all_shapes(&leaves, out)?;
        }
    }

    /// Shapes with permuted leaves count the same.
    #[test]
    fn permuted_shapes_count_the_same(
        leaves in proptest::collection::vec(testing::irrep(3), 4),
        out in testing::irrep(6),
    ) {
        let text = "((0,2),(1,3))";
        let n = |i| racah_core::fusion::Node::Leaf(i);
        let c = racah_core::fusion::Node::couple;
        let shape = FusionTree::new(c(c(n(0), n(2)), c(n(1), n(3)))).unwrap();
        prop_assert_eq!(shape.to_string(), text);
        let want = oracle::multiplicity(&leaves, out);
        prop_assert_eq!(shape.count_paths(&leaves, out).unwrap(), want);
        for t in shape.labellings(&leaves, out).unwrap() {
            prop_assert_eq!(&t.to_string().parse::<LabelledFusionTree>().unwrap(), &t);
        }
    }
}

#[test]
fn test_label_counts_exhaustive_small() {
    // every leaf tuple of integer l ≤ 2 (both parities) for k ≤ 3, and natural-parity
    // l ≤ 2 for k = 4; every output
    let irreps: Vec<Irrep> = (0..=2)
        .flat_map(|l| ["e", "o"].map(|p| format!("{l}{p}").parse().unwrap()))
        .collect();
    let mut tuples: Vec<Vec<Irrep>> = vec![vec![]];
    for k in 1..=3 {
        tuples = tuples
            .iter()
            .flat_map(|t| irreps.iter().map(move |&x| [t.clone(), vec![x]].concat()))
            .collect();
        for t in &tuples {
            for out in oracle::candidates(t) {
                check_all_shapes(t, out).unwrap_or_else(|e| panic!("k = {k}: {e}"));
            }
        }
    }
    for code in 0..81u32 {
        let leaves: Vec<Irrep> = (0..4)
            .map(|i| Irrep::harmonic(code / 3u32.pow(i) % 3))
            .collect();
        for out in oracle::candidates(&leaves) {
            check_all_shapes(&leaves, out).unwrap();
        }
    }
}

#[test]
fn test_math_md_examples() {
    let h = Irrep::harmonic;
    let t: LabelledFusionTree = "((1o,1o)->1e,1o)->0o".parse().unwrap();
    assert_eq!(t.to_string(), "((1o,1o)->1e,1o)->0o");
    let shape = FusionTree::left_associated(3).unwrap();
    assert_eq!(
        shape.labellings(&[h(1); 3], "0o".parse().unwrap()).unwrap(),
        vec![t]
    );
    assert!(shape.labellings(&[h(1); 3], h(0)).unwrap().is_empty());
    let two = FusionTree::left_associated(2).unwrap();
    assert_eq!(two.count_paths(&[h(1); 2], h(0)).unwrap(), 1);
}
