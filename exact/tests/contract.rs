//! Exact diagram contraction: closed graphs against 6j/9j (exhaustive for small spins), single
//! vertices against CG blocks and e3nn real tensors, fusion trees as isometries, failure cases
//! and seeded properties.

use proptest::prelude::*;
use racah_core::fusion::{Diagram, FusionTree, LabelledFusionTree};
use racah_core::{testing, Irrep, Spin};
use racah_exact::contract::{
    contract, contract_closed, nine_j_graph, tetrahedron, Basis, ContractError, ExactTensor, Leg,
    LegRole,
};
use racah_exact::{cg_block, real_cg, NineJ, SixJ, SqrtRational, SqrtSum};

fn s(t: u32) -> Spin {
    Spin::from_twice(t)
}

fn tri(a: u32, b: u32) -> impl Iterator<Item = u32> {
    (a.abs_diff(b)..=a + b).step_by(2)
}

fn triad(a: u32, b: u32, c: u32) -> bool {
    c <= a + b && c >= a.abs_diff(b) && (a + b + c) % 2 == 0
}

fn int(n: i64) -> SqrtSum {
    SqrtSum::from(SqrtRational::from(n))
}

fn root(n: u64) -> SqrtRational {
    SqrtRational::sqrt_of_ratio(n, 1).unwrap()
}

fn sign(t: u32) -> SqrtRational {
    assert_eq!(t % 2, 0);
    if (t / 2) % 2 == 0 {
        SqrtRational::ONE
    } else {
        SqrtRational::from(-1)
    }
}

fn theta(a: u32, b: u32, c: u32) -> Diagram {
    Diagram::builder()
        .edge_label("a", s(a))
        .edge_label("b", s(b))
        .edge_label("c", s(c))
        .fuse("a", "b", "c")
        .split("c", "a", "b")
        .build()
        .unwrap()
}

#[test]
fn test_theta_graph_is_2c_plus_1() {
    for a in 0..=8 {
        for b in 0..=8 {
            for c in tri(a, b) {
                let v = contract_closed(&theta(a, b, c)).unwrap();
                assert_eq!(v, int(c as i64 + 1), "theta({a}/2, {b}/2, {c}/2)");
            }
        }
    }
}

/// Every admissible {j1 j2 j12; j3 J j23} with all 2j ≤ 6: the tetrahedron equals
/// (2J+1) (−1)^(j1+j2+j3+J) √((2j12+1)(2j23+1)) {j1 j2 j12; j3 J j23}.
#[test]
fn test_tetrahedron_is_six_j_for_2j_le_6() {
    const MAX: u32 = 6;
    let mut cases = 0;
    for j1 in 0..=MAX {
        for j2 in 0..=MAX {
            for j12 in tri(j1, j2).filter(|&x| x <= MAX) {
                for j3 in 0..=MAX {
                    for j in tri(j12, j3).filter(|&x| x <= MAX) {
                        for j23 in tri(j2, j3).filter(|&x| x <= MAX && triad(j1, x, j)) {
                            let d =
                                tetrahedron([s(j1), s(j2), s(j3)], s(j), s(j12), s(j23)).unwrap();
                            let got = contract_closed(&d).unwrap();
                            let six = SixJ::from_twice(
                                j1 as i64, j2 as i64, j12 as i64, j3 as i64, j as i64, j23 as i64,
                            )
                            .unwrap()
                            .value();
                            let want = &(&(&SqrtRational::from(j as i64 + 1)
                                * &sign(j1 + j2 + j3 + j))
                                * &root((j12 as u64 + 1) * (j23 as u64 + 1)))
                                * &six;
                            assert_eq!(
                                got,
                                SqrtSum::from(want),
                                "{{{j1} {j2} {j12}; {j3} {j} {j23}}} (doubled)"
                            );
                            cases += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(cases > 1000, "{cases}");
}

fn nine_j_check(t: [u32; 9]) {
    let [j1, j2, j12, j3, j4, j34, j13, j24, j] = t;
    let d = nine_j_graph(
        [s(j1), s(j2), s(j3), s(j4)],
        [s(j12), s(j34)],
        [s(j13), s(j24)],
        s(j),
    )
    .unwrap();
    let got = contract_closed(&d).unwrap();
    let nine = NineJ::from_twice(t.map(|x| x as i64)).unwrap().value();
    let norm =
        &root((j12 as u64 + 1) * (j34 as u64 + 1)) * &root((j13 as u64 + 1) * (j24 as u64 + 1));
    let want = &(&SqrtRational::from(j as i64 + 1) * &norm) * &nine;
    assert_eq!(got, SqrtSum::from(want), "9j {t:?} (doubled)");
}

/// Every admissible 9j with all 2j ≤ 4 (integer and half-integer): the 9j graph equals
/// (2J+1) √((2j12+1)(2j34+1)(2j13+1)(2j24+1)) {j1 j2 j12; j3 j4 j34; j13 j24 J}.
#[test]
fn test_nine_j_graph_is_nine_j_for_2j_le_4() {
    const MAX: u32 = 4;
    let mut cases = 0;
    for j1 in 0..=MAX {
        for j2 in 0..=MAX {
            for j3 in 0..=MAX {
                for j4 in 0..=MAX {
                    for j12 in tri(j1, j2).filter(|&x| x <= MAX) {
                        for j34 in tri(j3, j4).filter(|&x| x <= MAX) {
                            for j13 in tri(j1, j3).filter(|&x| x <= MAX) {
                                for j24 in tri(j2, j4).filter(|&x| x <= MAX) {
                                    for j in
                                        tri(j12, j34).filter(|&x| x <= MAX && triad(j13, j24, x))
                                    {
                                        nine_j_check([j1, j2, j12, j3, j4, j34, j13, j24, j]);
                                        cases += 1;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    assert!(cases > 500, "{cases}");
}

#[test]
fn test_nine_j_graph_golden() {
    // {1 2 3; 3 2 1; 2 1 3} = −4√70/11025 (conventions-reference §3.4)
    nine_j_check([2, 4, 6, 6, 4, 2, 4, 2, 6]);
    // {3 3 2; 3 3 2; 3 3 2} = 17√6/4410
    nine_j_check([6, 6, 4, 6, 6, 4, 6, 6, 4]);
}

#[test]
fn test_single_vertex_is_cg_block() {
    for a in 0..=6 {
        for b in 0..=6 {
            for c in tri(a, b) {
                let t: LabelledFusionTree =
                    format!("({}e,{}e)->{}e", s(a), s(b), s(c)).parse().unwrap();
                let got = contract(&Diagram::from(&t), Basis::Complex).unwrap();
                let block = cg_block(s(a), s(b), s(c)).unwrap();
                assert_eq!(got.shape(), block.shape().to_vec());
                let want: Vec<(Vec<usize>, SqrtSum)> = block
                    .nonzeros()
                    .map(|(i, k, l, v)| (vec![i, k, l], SqrtSum::from(v)))
                    .collect();
                let got_nz: Vec<(Vec<usize>, SqrtSum)> = got
                    .nonzeros()
                    .map(|(i, v)| (i.to_vec(), v.clone()))
                    .collect();
                assert_eq!(got_nz, want, "({a} {b} {c})/2");
            }
        }
    }
}

/// A single fusion vertex in the real basis is √(2l3+1) times e3nn's real coupling tensor.
#[test]
fn test_single_vertex_real_basis_is_e3nn_times_norm() {
    for l1 in 0..=4u32 {
        for l2 in 0..=4u32 {
            for l3 in l1.abs_diff(l2)..=(l1 + l2).min(4) {
                let t = LabelledFusionTree::new(
                    FusionTree::left_associated(2).unwrap(),
                    vec![Irrep::harmonic(l1), Irrep::harmonic(l2)],
                    vec![],
                    Irrep::l(l3, Irrep::harmonic(l1 + l2).parity()),
                )
                .unwrap();
                let got = contract(&Diagram::from(&t), Basis::Real).unwrap();
                let e3nn = real_cg(l1, l2, l3).unwrap();
                let norm = root(2 * l3 as u64 + 1);
                let want: Vec<(Vec<usize>, SqrtSum)> = e3nn
                    .nonzeros()
                    .map(|(a, b, c, v)| (vec![a, b, c], SqrtSum::from(v * &norm)))
                    .collect();
                let got_nz: Vec<(Vec<usize>, SqrtSum)> = got
                    .nonzeros()
                    .map(|(i, v)| (i.to_vec(), v.clone()))
                    .collect();
                assert_eq!(got_nz, want, "({l1}, {l2}, {l3})");
            }
        }
    }
}

#[test]
fn test_triple_product_tree() {
    // ((1o,1o)->1e,1o)->0o in the real basis: √3 ε_ijk/√6 · δ_kl/√3 = ε_ijl/√6
    let t: LabelledFusionTree = "((1o,1o)->1e,1o)->0o".parse().unwrap();
    let got = contract(&Diagram::from(&t), Basis::Real).unwrap();
    assert_eq!(got.shape(), vec![3, 3, 3, 1]);
    assert_eq!(got.num_nonzeros(), 6);
    let e = SqrtSum::from(SqrtRational::sqrt_of_ratio(1, 6).unwrap());
    assert_eq!(*got.get(&[0, 1, 2, 0]), e);
    assert_eq!(*got.get(&[1, 0, 2, 0]), -e.clone());
    assert_eq!(*got.get(&[2, 0, 1, 0]), e);
    let f = got.to_f64();
    assert_eq!(f[5], e.to_f64()); // flat index of [0, 1, 2, 0]
    assert_eq!(f.len(), 27);
}

#[test]
fn test_identity_wire_and_tadpole() {
    let one: LabelledFusionTree = "3/2e".parse().unwrap();
    let w = contract(&Diagram::from(&one), Basis::Complex).unwrap();
    assert_eq!(w.shape(), vec![4, 4]);
    assert_eq!(w.num_nonzeros(), 4);
    assert!((0..4).all(|i| *w.get(&[i, i]) == int(1)));
    let wr = contract(
        &Diagram::from(&"2o".parse::<LabelledFusionTree>().unwrap()),
        Basis::Real,
    )
    .unwrap();
    assert!((0..5).all(|i| *wr.get(&[i, i]) == int(1)) && wr.num_nonzeros() == 5);
    // a tadpole: fuse a, b -> a with b open: Σ_m ⟨a m b 0|a m⟩ for b = 1 is Σ m/√(a(a+1)) = 0
    let d = Diagram::builder()
        .edge("a", "1")
        .edge("b", "1")
        .fuse("a", "b", "a")
        .input("b")
        .build()
        .unwrap();
    assert!(contract(&d, Basis::Complex).unwrap().is_zero());
    // b = 0: Σ_m ⟨a m 0 0|a m⟩ = 2a + 1
    let d = Diagram::builder()
        .edge("a", "2")
        .edge("b", "0")
        .fuse("a", "b", "a")
        .input("b")
        .build()
        .unwrap();
    assert_eq!(*contract(&d, Basis::Complex).unwrap().get(&[0]), int(5));
}

#[test]
fn contract_rejects_bad_input() {
    let t: LabelledFusionTree = "(1/2e,1/2e)->1e".parse().unwrap();
    let e = contract(&Diagram::from(&t), Basis::Real).unwrap_err();
    assert_eq!(
        e.to_string(),
        "edge \"l0\" has spin 1/2: the real basis needs integer spins"
    );
    let e = contract_closed(&Diagram::from(&t)).unwrap_err();
    assert!(
        matches!(
            e,
            ContractError::NotClosed {
                inputs: 2,
                outputs: 1
            }
        ),
        "{e}"
    );
    // closed diagrams with internal half-integers are fine in the real basis (no open legs)
    let d = theta(1, 1, 2);
    assert_eq!(contract(&d, Basis::Real).unwrap().scalar(), Some(int(3)));
    // tetrahedron with a bad triad is a diagram error naming the vertex
    let e = tetrahedron([s(2); 3], s(2), s(6), s(2)).unwrap_err();
    assert!(
        e.to_string().contains("vertex 0 (fuse j1, j2 -> j12)"),
        "{e}"
    );
    // tensors
    let h = Leg::input(s(1));
    let e = ExactTensor::zeros(Basis::Real, vec![h]).unwrap_err();
    assert!(e.to_string().contains("leg 0 has spin 1/2"), "{e}");
    let mut t = ExactTensor::zeros(Basis::Complex, vec![h]).unwrap();
    let e = t.set(&[2], int(1)).unwrap_err();
    assert_eq!(e.to_string(), "index [2] is out of shape [2]");
    assert!(t.try_get(&[0, 0]).is_err());
    let u = ExactTensor::zeros(Basis::Complex, vec![Leg::output(s(1))]).unwrap();
    let e = t.add_scaled(&u, &int(1)).unwrap_err();
    assert!(
        e.to_string()
            .contains("(1/2 -> ; complex) and ( -> 1/2; complex)"),
        "{e}"
    );
}

#[test]
#[should_panic(expected = "out of shape")]
fn exact_tensor_get_panics_out_of_shape() {
    let t = ExactTensor::zeros(Basis::Complex, vec![Leg::input(s(2))]).unwrap();
    let _ = t.get(&[3]);
}

/// A labelled tree T: V_l1 ⊗ … → V_L is a co-isometry: Σ_i T[i, o] T[i, o'] = δ_oo'.
fn check_coisometry(t: &ExactTensor) -> Result<(), TestCaseError> {
    let n = t.rank();
    let dim_out = t.shape()[n - 1];
    let mut gram = vec![vec![SqrtSum::zero(); dim_out]; dim_out];
    let entries: Vec<_> = t.nonzeros().collect();
    for (i, a) in &entries {
        for (k, b) in &entries {
            if i[..n - 1] == k[..n - 1] {
                gram[i[n - 1]][k[n - 1]] += &(*a * *b);
            }
        }
    }
    for (o, row) in gram.iter().enumerate() {
        for (p, g) in row.iter().enumerate() {
            let want = if o == p { int(1) } else { SqrtSum::zero() };
            prop_assert_eq!(g, &want, "gram[{}][{}]", o, p);
        }
    }
    Ok(())
}

fn labelled_tree(max_l: u32, max_k: usize) -> impl Strategy<Value = LabelledFusionTree> {
    (1..=max_k)
        .prop_flat_map(move |k| {
            (
                proptest::collection::vec(testing::su2_irrep(2 * max_l), k),
                0..FusionTree::all_shapes(k).unwrap().len(),
                any::<prop::sample::Index>(),
                any::<prop::sample::Index>(),
            )
        })
        .prop_filter_map("no admissible labelling", |(leaves, shape, out, pick)| {
            let k = leaves.len();
            let tree = FusionTree::all_shapes(k).unwrap().swap_remove(shape);
            // an output reachable from the leaves
            let mut reach = vec![leaves[0]];
            for l in &leaves[1..] {
                let mut next: Vec<Irrep> = reach.iter().flat_map(|&a| a * *l).collect();
                next.sort();
                next.dedup();
                reach = next;
            }
            let out = reach[out.index(reach.len())];
            let all = tree.labellings(&leaves, out).ok()?;
            (!all.is_empty()).then(|| all[pick.index(all.len())].clone())
        })
}

proptest! {
    #![proptest_config(testing::seeded(0x00c0_7ac7))]

    #[test]
    fn contract_properties(t in labelled_tree(2, 4)) {
        let d = Diagram::from(&t);
        let c = contract(&d, Basis::Complex).unwrap();
        // m-conservation: Σ m_in = m_out on every nonzero entry
        let legs = c.legs().to_vec();
        for (idx, _) in c.nonzeros() {
            let mut tm: i64 = 0;
            for (i, leg) in idx.iter().zip(&legs) {
                let m2 = 2 * *i as i64 - leg.label.j().twice() as i64;
                tm += if leg.role == LegRole::Input { m2 } else { -m2 };
            }
            prop_assert_eq!(tm, 0, "{:?}", idx);
        }
        check_coisometry(&c)?;
        // correctly rounded dense view agrees with the exact entries
        let f = c.to_f64();
        let shape = c.shape();
        for (idx, v) in c.nonzeros() {
            let flat = idx.iter().zip(&shape).fold(0, |a, (i, n)| a * n + i);
            prop_assert_eq!(f[flat], v.to_f64());
        }
        if t.leaves().iter().all(|l| l.j().is_integer()) {
            let r = contract(&d, Basis::Real).unwrap();
            check_coisometry(&r)?;
        }
    }

    #[test]
    fn theta_properties([a, b, c] in testing::triangle_triple(24)) {
        let v = contract_closed(&theta(a.twice(), b.twice(), c.twice())).unwrap();
        prop_assert_eq!(v, int(c.twice() as i64 + 1));
    }

    #[test]
    fn tetrahedron_properties(six in testing::admissible_six_j(12)) {
        let [j1, j2, j12, j3, j, j23] = six;
        let got = contract_closed(&tetrahedron([j1, j2, j3], j, j12, j23).unwrap()).unwrap();
        let t = |x: Spin| x.twice() as i64;
        let value = SixJ::new([j1, j2, j12], [j3, j, j23]).unwrap().value();
        let want = &(&(&SqrtRational::from(t(j) + 1) * &sign((t(j1) + t(j2) + t(j3) + t(j)) as u32))
            * &root(j12.dim() as u64 * j23.dim() as u64)) * &value;
        prop_assert_eq!(got, SqrtSum::from(want));
    }
}

proptest! {
    // larger graphs: fewer cases
    #![proptest_config(ProptestConfig { cases: 48, ..testing::seeded(0x09) })]

    #[test]
    fn nine_j_graph_properties(t in testing::admissible_nine_j(8)) {
        nine_j_check(t.map(|x| x.twice()));
    }
}
