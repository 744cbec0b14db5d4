//! `tensor_product_irreps`, `tensor_product_paths` and `multiplicity_in_product` against the
//! weight-counting oracle.

use crate::oracle;
use proptest::prelude::*;
use racah_core::{
    couplings, tensor_product_irreps, tensor_product_paths, testing, Irrep, Irreps, Spin,
};
use std::collections::BTreeMap;

/// The oracle's decomposition of a ⊗ b: irrep → total multiplicity (non-zero only).
fn oracle_product(a: &Irreps, b: &Irreps) -> BTreeMap<Irrep, usize> {
    let mut out = BTreeMap::new();
    for t1 in a {
        for t2 in b {
            let f = [t1.irrep, t2.irrep];
            for c in oracle::candidates(&f) {
                let m = oracle::multiplicity(&f, c) as usize * t1.mul * t2.mul;
                if m > 0 {
                    *out.entry(c).or_insert(0) += m;
                }
            }
        }
    }
    out
}

proptest! {
    #![proptest_config(testing::seeded(31))]

    #[test]
    fn tensor_product_irreps_matches_weight_counting(
        a in testing::irreps(4, 3, 4),
        b in testing::irreps(4, 3, 4),
    ) {
        let got = tensor_product_irreps(&a, &b).unwrap();
        let map: BTreeMap<Irrep, usize> = got.iter().map(|t| (t.irrep, t.mul)).collect();
        prop_assert_eq!(map.len(), got.len(), "each irrep once: {}", got);
        prop_assert_eq!(&map, &oracle_product(&a, &b));
        // sorted and simplified, and the dimension multiplies
        prop_assert_eq!(&got, &got.regroup());
        prop_assert_eq!(got.dim(), a.dim() * b.dim());
    }

    #[test]
    fn tensor_product_of_su2_irreps_matches_weight_counting(
        x in testing::su2_irrep(9),
        y in testing::su2_irrep(9),
        m in 1usize..4,
    ) {
        let a = Irreps::from(vec![racah_core::MulIrrep::new(m, x)]);
        let b = Irreps::from(y);
        let got = tensor_product_irreps(&a, &b).unwrap();
        let map: BTreeMap<Irrep, usize> = got.iter().map(|t| (t.irrep, t.mul)).collect();
        prop_assert_eq!(map, oracle_product(&a, &b));
    }

    #[test]
    fn tensor_product_paths_properties(
        a in testing::irreps(3, 3, 4),
        b in testing::irreps(3, 3, 4),
        filter in testing::irreps(4, 1, 4),
    ) {
        let (sa, sb) = (a.simplify(), b.simplify());
        let paths = tensor_product_paths(&a, &b, None).unwrap();
        // e3nn order: (i1, i2) lexicographic, then by output spin
        let mut expected = Vec::new();
        for (i, t1) in sa.iter().enumerate() {
            for (j, t2) in sb.iter().enumerate() {
                for out in t1.irrep.tensor(t2.irrep) {
                    expected.push((i, j, out, t1.mul * t2.mul));
                }
            }
        }
        let got: Vec<_> = paths.iter().map(|p| (p.i_in1, p.i_in2, p.out, p.mul)).collect();
        prop_assert_eq!(got, expected);
        for p in &paths {
            prop_assert_eq!((p.in1, p.in2), (sa[p.i_in1].irrep, sb[p.i_in2].irrep));
        }
        // i_out is a permutation that sorts the outputs stably
        let mut by_out: Vec<Option<(Irrep, usize)>> = vec![None; paths.len()];
        for (k, p) in paths.iter().enumerate() {
            prop_assert!(by_out[p.i_out].is_none());
            by_out[p.i_out] = Some((p.out, k));
        }
        let by_out: Vec<(Irrep, usize)> = by_out.into_iter().map(Option::unwrap).collect();
        prop_assert!(by_out.windows(2).all(|w| w[0] < w[1]));
        // filtering keeps the same paths, in the same order, whose output the filter contains
        let kept = tensor_product_paths(&a, &b, Some(&filter)).unwrap();
        let want: Vec<_> = paths
            .iter()
            .filter(|p| filter.contains(p.out))
            .map(|p| (p.i_in1, p.i_in2, p.out))
            .collect();
        let got: Vec<_> = kept.iter().map(|p| (p.i_in1, p.i_in2, p.out)).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn multiplicity_in_product_matches_weight_counting(
        factors in proptest::collection::vec(testing::su2_irrep(6), 0..=5),
    ) {
        for out in oracle::candidates(&factors) {
            prop_assert_eq!(
                Irreps::multiplicity_in_product(&factors, out).unwrap(),
                oracle::multiplicity(&factors, out),
                "{:?} -> {}", factors, out
            );
        }
    }
}

#[test]
fn test_product_exhaustive_small() {
    // every pair of irreps with 2j <= 6, every output: library == oracle
    let irreps: Vec<Irrep> = (0..=6u32)
        .flat_map(|t| ["e", "o"].map(|p| format!("{}{p}", Spin::from_twice(t)).parse().unwrap()))
        .collect();
    for &x in &irreps {
        for &y in &irreps {
            for out in oracle::candidates(&[x, y]) {
                let want = oracle::multiplicity(&[x, y], out);
                let got = Irreps::multiplicity_in_product(&[x, y], out).unwrap();
                assert_eq!(got, want, "{x} x {y} -> {out}");
                assert_eq!(x.couples_to(y, out), want == 1);
                assert_eq!(
                    couplings(x.j(), y.j()).any(|j| j == out.j()),
                    (x * y).any(|c| c.j() == out.j())
                );
            }
        }
    }
}

#[test]
fn tensor_product_rejects_overflowing_multiplicities() {
    let big: Irreps = format!("{}x0e", 1u64 << 40).parse().unwrap();
    let e = tensor_product_irreps(&big, &big).unwrap_err();
    assert!(e.to_string().contains("overflows usize"), "{e}");
}
