//! Exact equivariance certificates: every real CG tensor (l ≤ 4) and every fusion-tree
//! contraction of small trees passes; broken entries and wrong parities are rejected with the
//! offending component named.

use proptest::prelude::*;
use racah_core::fusion::{Diagram, FusionTree, LabelledFusionTree};
use racah_core::{Irrep, Parity, Spin};
use racah_exact::contract::{contract, Basis, ExactTensor, Leg};
use racah_exact::{real_cg, SqrtRational, SqrtSum};
use racah_proofs::certificate_exact::Generator;
use racah_proofs::equivariance::{certify, CertificateError};

fn int(n: i64) -> SqrtSum {
    SqrtSum::from(SqrtRational::from(n))
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

fn trees(leaf_choices: &[Irrep], k: usize) -> Vec<LabelledFusionTree> {
    let mut tuples: Vec<Vec<Irrep>> = vec![vec![]];
    for _ in 0..k {
        tuples = tuples
            .into_iter()
            .flat_map(|v| {
                leaf_choices.iter().map(move |&l| {
                    let mut w = v.clone();
                    w.push(l);
                    w
                })
            })
            .collect();
    }
    let mut out = Vec::new();
    for leaves in tuples {
        for o in all_outputs(&leaves) {
            for shape in FusionTree::all_shapes(k).unwrap() {
                out.extend(shape.labellings(&leaves, o).unwrap());
            }
        }
    }
    out
}

/// Legs on which two indices differ.
fn distance(a: &[usize], b: &[usize]) -> usize {
    a.iter().zip(b).filter(|(x, y)| x != y).count()
}

#[test]
fn test_every_real_cg_l_le_4_is_equivariant() {
    let mut n = 0;
    for l1 in 0..=4u32 {
        for l2 in 0..=4u32 {
            for l3 in l1.abs_diff(l2)..=(l1 + l2).min(4) {
                let t = ExactTensor::from_real_cg(&real_cg(l1, l2, l3).unwrap());
                let c = certify(&t).unwrap();
                assert!(c.holds, "({l1}, {l2}, {l3}): {c}");
                let gens: Vec<Generator> = c.checks.iter().map(|c| c.generator).collect();
                assert_eq!(
                    gens,
                    [
                        Generator::Lx,
                        Generator::Ly,
                        Generator::Lz,
                        Generator::Parity
                    ]
                );
                assert!(c.checks[..3].iter().all(|k| k.passed()));
                // L_k ≠ 0 on V_l3 for l3 > 0 and T maps onto V_l3, so L_k T ≠ 0 somewhere
                if l3 > 0 {
                    assert!(c.checks[..3].iter().all(|k| k.components > 0), "{c}");
                }
                n += 1;
            }
        }
    }
    assert_eq!(n, 65);
}

#[test]
fn test_fusion_trees_are_equivariant() {
    let h = Irrep::harmonic;
    // k = 2, 3 with l ≤ 2 and both parities of l = 1; k = 4 with l ≤ 1: real and complex
    let mut all = trees(&[h(0), h(1), h(2), Irrep::l(1, Parity::Even)], 2);
    all.extend(trees(&[h(0), h(1), h(2)], 3));
    all.extend(trees(&[h(0), h(1)], 4));
    assert!(all.len() > 300, "{}", all.len());
    for t in &all {
        let d = Diagram::from(t);
        for basis in [Basis::Complex, Basis::Real] {
            let c = certify(&contract(&d, basis).unwrap()).unwrap();
            assert!(c.holds, "{t} ({basis}): {c}");
        }
    }
    // half-integer spins in the complex basis
    let half = |t: u32| Irrep::new(Spin::from_twice(t), Parity::Even);
    for t in trees(&[half(1), half(2), half(3)], 3) {
        let c = certify(&contract(&Diagram::from(&t), Basis::Complex).unwrap()).unwrap();
        assert!(c.holds, "{t}: {c}");
        let gens: Vec<Generator> = c.checks.iter().map(|c| c.generator).collect();
        assert_eq!(gens, [Generator::Jz, Generator::JPlus, Generator::Parity]);
    }
}

/// Changing any single entry (nonzero or zero) of small tensors breaks the certificate, and
/// the named component is the changed one or differs from it in one leg.
#[test]
fn test_broken_entries_are_rejected() {
    let cases = [
        ExactTensor::from_real_cg(&real_cg(1, 1, 1).unwrap()),
        ExactTensor::from_real_cg(&real_cg(1, 2, 2).unwrap()),
        contract(
            &Diagram::from(&"(1o,1/2e)->3/2o".parse::<LabelledFusionTree>().unwrap()),
            Basis::Complex,
        )
        .unwrap(),
    ];
    for t in cases {
        let shape = t.shape();
        let mut idx = vec![0; shape.len()];
        let mut n = 0;
        loop {
            let mut broken = t.clone();
            let new = t.get(&idx) + &int(1);
            broken.set(&idx, new).unwrap();
            let c = certify(&broken).unwrap();
            assert!(!c.holds, "{} at {idx:?}", t.describe_legs());
            let v = c.violation.as_ref().unwrap();
            assert!(distance(&v.component, &idx) <= 1, "{idx:?}: {c}");
            assert_ne!(v.lhs, v.rhs);
            n += 1;
            // next index
            let mut k = shape.len();
            loop {
                if k == 0 {
                    break;
                }
                k -= 1;
                idx[k] += 1;
                if idx[k] < shape[k] {
                    break;
                }
                idx[k] = 0;
            }
            if idx.iter().all(|&i| i == 0) {
                break;
            }
        }
        assert_eq!(n, shape.iter().product::<usize>());
    }
}

#[test]
fn test_broken_golden() {
    // ⟨1 1 1 −1|1 0⟩-style entry violating m-conservation: J_z names exactly that component
    let t: LabelledFusionTree = "(1o,1o)->1e".parse().unwrap();
    let mut c = contract(&Diagram::from(&t), Basis::Complex).unwrap();
    c.set(&[2, 2, 1], int(1)).unwrap(); // m1 = m2 = 1, M = 0
    let cert = certify(&c).unwrap();
    let v = cert.violation.clone().unwrap();
    assert_eq!(v.generator, Generator::Jz);
    assert_eq!(v.component, vec![2, 2, 1]);
    assert_eq!((v.lhs, v.rhs), (SqrtSum::zero(), int(2))); // M·1 vs (m1 + m2)·1
    assert_eq!(cert.checks[0].violations, 1);
    assert_eq!(
        cert.to_string(),
        "not equivariant (1o, 1o -> 1e; complex): J_z fails at [2, 2, 1]: lhs = 0, rhs = 2"
    );
    let json = serde_json::to_value(&cert).unwrap();
    assert_eq!(json["holds"], false);
    assert_eq!(json["violation"]["generator"], "J_z");
    assert_eq!(json["violation"]["rhs"], "2");
    assert_eq!(json["checks"][1]["generator"], "J_+");
}

#[test]
fn test_wrong_parity_is_rejected() {
    // δ_ij/√3 is an equivariant map 1o ⊗ 1o → 0e; labelled → 0o it must vanish
    let good = ExactTensor::from_real_cg(&real_cg(1, 1, 0).unwrap());
    assert!(certify(&good).unwrap().holds);
    let v = Irrep::harmonic(1);
    let legs = vec![
        Leg::input(v),
        Leg::input(v),
        Leg::output(Irrep::l(0, Parity::Odd)),
    ];
    let entries = good.nonzeros().map(|(i, x)| (i.to_vec(), x.clone()));
    let bad = ExactTensor::from_entries(Basis::Real, legs.clone(), entries).unwrap();
    let c = certify(&bad).unwrap();
    assert!(!c.holds);
    assert!(c.checks[..3].iter().all(|k| k.passed()), "{c}");
    let p = c.checks.last().unwrap();
    assert_eq!(
        (p.generator, p.components, p.violations),
        (Generator::Parity, 3, 3)
    );
    let w = c.violation.unwrap();
    assert_eq!(
        (w.generator, w.component),
        (Generator::Parity, vec![0, 0, 0])
    );
    // the zero tensor with mismatched parity is fine (T must vanish, and it does)
    let zero = ExactTensor::zeros(Basis::Real, legs).unwrap();
    assert!(certify(&zero).unwrap().holds);
}

#[test]
fn certify_rejects_spins_beyond_range() {
    let huge = Leg::input(Spin::from_twice(1 << 23));
    let t = ExactTensor::zeros(Basis::Complex, vec![huge]).unwrap();
    let e = certify(&t).unwrap_err();
    assert!(matches!(e, CertificateError::Exact(_)), "{e}");
    assert!(e.to_string().contains("out of range"), "{e}");
}

fn small_tree() -> impl Strategy<Value = LabelledFusionTree> {
    (2..=3usize)
        .prop_flat_map(|k| {
            (
                proptest::collection::vec(racah_core::testing::su2_irrep(4), k),
                0..FusionTree::all_shapes(k).unwrap().len(),
                any::<prop::sample::Index>(),
                any::<prop::sample::Index>(),
            )
        })
        .prop_filter_map("no labelling", |(leaves, shape, out, pick)| {
            let shape = FusionTree::all_shapes(leaves.len())
                .unwrap()
                .swap_remove(shape);
            let outs = all_outputs(&leaves);
            let all = shape
                .labellings(&leaves, outs[out.index(outs.len())])
                .ok()?;
            (!all.is_empty()).then(|| all[pick.index(all.len())].clone())
        })
}

proptest! {
    #![proptest_config(racah_core::testing::seeded(0x0e9_c0de))]

    #[test]
    fn certify_properties(t in small_tree(), entry in any::<prop::sample::Index>(), k in 1i64..5) {
        let basis = if t.leaves().iter().all(|l| l.j().is_integer()) { Basis::Real } else { Basis::Complex };
        let c = contract(&Diagram::from(&t), basis).unwrap();
        let cert = certify(&c).unwrap();
        prop_assert!(cert.holds, "{}: {}", t, cert);
        // scaling keeps equivariance; breaking one stored entry loses it
        let (idx, v) = c.nonzeros().nth(entry.index(c.num_nonzeros())).unwrap();
        let mut broken = c.clone();
        broken.set(idx, v + &int(k)).unwrap();
        let bc = certify(&broken).unwrap();
        if c.legs().iter().all(|l| l.label.j() == Spin::ZERO) {
            // every map between trivial representations is equivariant
            prop_assert!(bc.holds);
        } else {
            prop_assert!(!bc.holds);
            let w = bc.violation.unwrap();
            prop_assert!(distance(&w.component, idx) <= 1);
        }
    }
}
