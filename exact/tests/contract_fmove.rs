//! F-moves, 9j moves, braids and canonicalisation, each checked against direct contraction of
//! both sides with `==`: exhaustive for k = 3 and 4 leaves with l ≤ 2 (every shape, output and
//! labelling), plus half-integer and permuted-leaf cases and seeded properties.

use proptest::prelude::*;
use racah_core::fusion::{Diagram, FusionTree, LabelledFusionTree, Node};
use racah_core::{testing, Irrep, Spin};
use racah_exact::contract::{contract, Basis, ExactTensor};
use racah_exact::fmove::{
    braid, f_coefficient, f_move_left, f_move_right, nine_j_coefficient, nine_j_move,
    to_left_associated, FMoveError, TreeCombination,
};
use racah_exact::{SixJ, SqrtRational, SqrtSum};
use std::collections::HashMap;

fn tensor(t: &LabelledFusionTree) -> ExactTensor {
    contract(&Diagram::from(t), Basis::Complex).unwrap()
}

/// Σ c_i T_i contracted, with a cache of the right-hand trees.
fn combination(c: &TreeCombination, cache: &mut HashMap<String, ExactTensor>) -> ExactTensor {
    let (t0, _) = c.terms().first().expect("nonempty combination");
    let mut sum = ExactTensor::zeros(Basis::Complex, tensor(t0).legs().to_vec()).unwrap();
    for (t, coef) in c.terms() {
        let x = cache.entry(t.to_string()).or_insert_with(|| tensor(t));
        sum.add_scaled(x, coef).unwrap();
    }
    sum
}

fn all_outputs(leaves: &[Irrep]) -> Vec<Irrep> {
    let mut reach = vec![leaves[0]];
    for l in &leaves[1..] {
        let mut next: Vec<Irrep> = reach.iter().flat_map(|&a| a * *l).collect();
        next.sort();
        next.dedup();
        reach = next;
    }
    reach
}

fn leaf_tuples(k: usize, max_l: u32) -> Vec<Vec<Irrep>> {
    let mut out = vec![vec![]];
    for _ in 0..k {
        out = out
            .into_iter()
            .flat_map(|v: Vec<Irrep>| {
                (0..=max_l).map(move |l| {
                    let mut w = v.clone();
                    w.push(Irrep::harmonic(l));
                    w
                })
            })
            .collect();
    }
    out
}

/// Every labelling of every shape with k leaves l ≤ max_l: the canonical expansion contracts to
/// the tree's own tensor, and its trees are left-associated and leaf-ordered.
fn check_canonical_exhaustive(k: usize, max_l: u32) -> usize {
    let mut cases = 0;
    let la = FusionTree::left_associated(k).unwrap();
    for leaves in leaf_tuples(k, max_l) {
        let mut cache = HashMap::new();
        for out in all_outputs(&leaves) {
            for shape in FusionTree::all_shapes(k).unwrap() {
                for t in shape.labellings(&leaves, out).unwrap() {
                    let c = to_left_associated(&t).unwrap();
                    assert!(c.terms().iter().all(|(u, _)| *u.tree() == la), "{t}: {c}");
                    assert_eq!(combination(&c, &mut cache), tensor(&t), "{t} = {c}");
                    cases += 1;
                }
            }
        }
    }
    cases
}

#[test]
fn test_canonicalise_k3_l_le_2() {
    assert!(check_canonical_exhaustive(3, 2) > 100);
}

#[test]
fn test_canonicalise_k4_l_le_2() {
    assert!(check_canonical_exhaustive(4, 2) > 1000);
}

/// f_move_right on ((0,1),2) and f_move_left on (0,(1,2)), every labelling with l ≤ 2 and with
/// half-integer spins 2j ≤ 3.
#[test]
fn test_f_moves_k3() {
    let mut leaf_sets = leaf_tuples(3, 2);
    for a in 0..=3u32 {
        for b in 0..=3u32 {
            for c in 0..=3u32 {
                leaf_sets.push(
                    [a, b, c]
                        .map(|t| Irrep::new(Spin::from_twice(t), racah_core::Parity::Even))
                        .to_vec(),
                );
            }
        }
    }
    let left = FusionTree::left_associated(3).unwrap();
    let right = FusionTree::right_associated(3).unwrap();
    let mut cache = HashMap::new();
    let mut n = 0;
    for leaves in leaf_sets {
        for out in all_outputs(&leaves) {
            for t in left.labellings(&leaves, out).unwrap() {
                let c = f_move_right(&t).unwrap();
                assert!(c.terms().iter().all(|(u, _)| *u.tree() == right));
                assert_eq!(combination(&c, &mut cache), tensor(&t), "{t} = {c}");
                n += 1;
            }
            for t in right.labellings(&leaves, out).unwrap() {
                let c = f_move_left(&t).unwrap();
                assert_eq!(combination(&c, &mut cache), tensor(&t), "{t} = {c}");
            }
        }
    }
    assert!(n > 200, "{n}");
}

/// ((0,1),(2,3)) → ((0,2),(1,3)) by the 9j move, every labelling with l ≤ 2.
#[test]
fn test_nine_j_move_k4() {
    let shape = FusionTree::new(Node::couple(
        Node::couple(Node::Leaf(0), Node::Leaf(1)),
        Node::couple(Node::Leaf(2), Node::Leaf(3)),
    ))
    .unwrap();
    let crossed = FusionTree::new(Node::couple(
        Node::couple(Node::Leaf(0), Node::Leaf(2)),
        Node::couple(Node::Leaf(1), Node::Leaf(3)),
    ))
    .unwrap();
    let mut n = 0;
    for leaves in leaf_tuples(4, 2) {
        let mut cache = HashMap::new();
        for out in all_outputs(&leaves) {
            for t in shape.labellings(&leaves, out).unwrap() {
                let c = nine_j_move(&t).unwrap();
                assert!(c.terms().iter().all(|(u, _)| *u.tree() == crossed));
                assert_eq!(combination(&c, &mut cache), tensor(&t), "{t} = {c}");
                n += 1;
            }
        }
    }
    assert!(n > 500, "{n}");
}

#[test]
fn test_f_move_golden() {
    // ((1o,1o)->1e,1o)->0o = (1o,(1o,1o)->1e)->0o: the triple product (a×b)·c = a·(b×c);
    // (−1)^3 √9 {1 1 1; 1 0 1} = −3 · (−1/3)
    let t: LabelledFusionTree = "((1o,1o)->1e,1o)->0o".parse().unwrap();
    assert_eq!(
        f_move_right(&t).unwrap().to_string(),
        "1 (1o,(1o,1o)->1e)->0o"
    );
    // F(y) = (−1)^4 √(2y+1) {1 1 0; 1 1 y} with {1 1 0; 1 1 y} = (−1)^(2+y)/3
    let one = Spin::int(1);
    assert_eq!(
        f_coefficient([one; 3], one, Spin::int(0), one).unwrap(),
        -SqrtRational::sqrt_of_ratio(1, 3).unwrap()
    );
    assert_eq!(
        SixJ::from_twice(2, 2, 0, 2, 2, 2).unwrap().value(),
        SqrtRational::rational(-1, 3)
    );
    let t: LabelledFusionTree = "((1o,1o)->0e,1o)->1o".parse().unwrap();
    let c = f_move_right(&t).unwrap();
    let text: Vec<String> = c.terms().iter().map(|(u, x)| format!("{x} {u}")).collect();
    assert_eq!(
        text,
        [
            "1/3 (1o,(1o,1o)->0e)->1o",
            "-sqrt(3)/3 (1o,(1o,1o)->1e)->1o",
            "sqrt(5)/3 (1o,(1o,1o)->2e)->1o"
        ]
    );
    // 9j coefficient: {1 1 1; 1 1 1; 1 1 0} · 9
    let z = Spin::int(0);
    assert_eq!(
        nine_j_coefficient([one; 4], [one, one], [one, one], z).unwrap(),
        SqrtRational::rational(1, 2)
    );
    let t: LabelledFusionTree = "(1o,2e)->2o".parse().unwrap();
    assert_eq!(braid(&t).unwrap().to_string(), "-1 (2e[1],1o[0])->2o");
}

#[test]
fn f_move_rejects_wrong_shape() {
    let t: LabelledFusionTree = "(1o,(1o,1o)->1e)->0o".parse().unwrap();
    let e = f_move_right(&t).unwrap_err();
    assert_eq!(
        e.to_string(),
        "f_move_right needs a root of the form ((A,B),C), got (1o,(1o,1o)->1e)->0o"
    );
    let u: LabelledFusionTree = "((1o,1o)->1e,1o)->0o".parse().unwrap();
    assert!(matches!(f_move_left(&u), Err(FMoveError::Shape { .. })));
    assert!(matches!(nine_j_move(&u), Err(FMoveError::Shape { .. })));
    let leaf: LabelledFusionTree = "1o".parse().unwrap();
    assert!(braid(&leaf).is_err());
    assert_eq!(to_left_associated(&leaf).unwrap().to_string(), "1 1o");
    // spins beyond the exact engine's range are an error, not a panic
    let huge = Spin::from_twice(1 << 23);
    assert!(f_coefficient([huge; 3], huge, huge, huge).is_err());
}

type Move = fn(&LabelledFusionTree) -> Result<TreeCombination, FMoveError>;

/// A random tree of any shape with the leaves in random order.
fn permuted_tree(
    max_twice: u32,
    min_k: usize,
    max_k: usize,
) -> impl Strategy<Value = LabelledFusionTree> {
    (min_k..=max_k)
        .prop_flat_map(move |k| {
            (
                proptest::collection::vec(testing::su2_irrep(max_twice), k),
                Just((0..k).collect::<Vec<usize>>()).prop_shuffle(),
                0..FusionTree::all_shapes(k).unwrap().len(),
                any::<prop::sample::Index>(),
                any::<prop::sample::Index>(),
            )
        })
        .prop_filter_map(
            "no admissible labelling",
            |(leaves, perm, shape, out, pick)| {
                let k = leaves.len();
                let shape = FusionTree::all_shapes(k).unwrap().swap_remove(shape);
                fn relabel(n: &Node, p: &[usize]) -> Node {
                    match n {
                        Node::Leaf(i) => Node::Leaf(p[*i]),
                        Node::Couple(l, r) => Node::couple(relabel(l, p), relabel(r, p)),
                    }
                }
                let tree = FusionTree::new(relabel(shape.root(), &perm)).unwrap();
                let outs = all_outputs(&leaves);
                let out = outs[out.index(outs.len())];
                let all = tree.labellings(&leaves, out).ok()?;
                (!all.is_empty()).then(|| all[pick.index(all.len())].clone())
            },
        )
}

proptest! {
    #![proptest_config(testing::seeded(0x0f_0e_0e))]

    #[test]
    fn to_left_associated_properties(t in permuted_tree(4, 1, 4)) {
        let c = to_left_associated(&t).unwrap();
        let mut cache = HashMap::new();
        prop_assert_eq!(combination(&c, &mut cache), tensor(&t), "{} = {}", t, c);
        // orthonormal basis: Σ c_i² = 1
        let norm = c.terms().iter().fold(SqrtSum::zero(), |acc, (_, x)| &acc + &(x * x));
        prop_assert_eq!(norm, SqrtSum::from(SqrtRational::ONE));
        // a left-associated ordered tree is its own expansion
        for (u, _) in c.terms() {
            let again = to_left_associated(u).unwrap();
            prop_assert_eq!(again.terms(), &[(u.clone(), SqrtSum::from(SqrtRational::ONE))][..]);
        }
    }

    #[test]
    fn f_move_properties(t in permuted_tree(4, 3, 3)) {
        // right then left (or left then right) is the identity
        let (first, second): (Move, Move) =
            if matches!(t.tree().root(), Node::Couple(l, _) if matches!(**l, Node::Couple(..))) {
                (f_move_right, f_move_left)
            } else {
                (f_move_left, f_move_right)
            };
        let c = first(&t).unwrap();
        let mut back: HashMap<String, SqrtSum> = HashMap::new();
        for (u, x) in c.terms() {
            for (v, y) in second(u).unwrap().terms() {
                *back.entry(v.to_string()).or_default() += &(x * y);
            }
        }
        back.retain(|_, v| !v.is_zero());
        let want: HashMap<String, SqrtSum> =
            HashMap::from([(t.to_string(), SqrtSum::from(SqrtRational::ONE))]);
        prop_assert_eq!(back, want);
    }

    #[test]
    fn nine_j_move_properties(
        leaves in proptest::collection::vec(testing::su2_irrep(4), 4),
        out in any::<prop::sample::Index>(),
        pick in any::<prop::sample::Index>(),
    ) {
        let shape = FusionTree::new(Node::couple(
            Node::couple(Node::Leaf(0), Node::Leaf(1)),
            Node::couple(Node::Leaf(2), Node::Leaf(3)),
        ))
        .unwrap();
        let outs = all_outputs(&leaves);
        let all = shape.labellings(&leaves, outs[out.index(outs.len())]).unwrap();
        prop_assume!(!all.is_empty());
        let t = &all[pick.index(all.len())];
        // the 9j move is an involution: applied twice it gives the tree back
        let mut back: HashMap<String, SqrtSum> = HashMap::new();
        for (u, x) in nine_j_move(t).unwrap().terms() {
            for (v, y) in nine_j_move(u).unwrap().terms() {
                *back.entry(v.to_string()).or_default() += &(x * y);
            }
        }
        back.retain(|_, v| !v.is_zero());
        prop_assert_eq!(back, HashMap::from([(t.to_string(), SqrtSum::from(SqrtRational::ONE))]));
    }
}
