//! Irreps grammar and e3nn operations: properties over random irreps.

use proptest::prelude::*;
use racah_core::{testing, CoreError, Irrep, Irreps, MulIrrep};
use std::collections::BTreeMap;

/// Random spacing around the tokens of a canonical irreps string, and dropped `1x`.
fn noisy(x: &Irreps, spaces: &[usize]) -> String {
    let mut s = String::new();
    for (i, t) in x.iter().enumerate() {
        let sp = |k: usize| " ".repeat(spaces.get(4 * i + k).copied().unwrap_or(0));
        if i > 0 {
            s += &format!("{}+", sp(0));
        }
        if t.mul == 1 && spaces.get(4 * i + 1).is_some_and(|&n| n % 2 == 0) {
            s += &format!("{}{}", sp(2), t.irrep);
        } else {
            s += &format!("{}{}{}x{}{}", sp(1), t.mul, sp(2), sp(3), t.irrep);
        }
    }
    s
}

proptest! {
    #![proptest_config(testing::seeded(41))]

    #[test]
    fn irreps_parse_print_round_trip(
        x in testing::irreps(6, 20, 6),
        spaces in proptest::collection::vec(0usize..3, 24),
    ) {
        let text = x.to_string();
        prop_assert_eq!(&text.parse::<Irreps>().unwrap(), &x);
        prop_assert!(!text.contains(' '));
        prop_assert_eq!(&noisy(&x, &spaces).parse::<Irreps>().unwrap(), &x);
        for t in &x {
            prop_assert_eq!(t.to_string().parse::<MulIrrep>().unwrap(), *t);
        }
    }

    #[test]
    fn irreps_operations_are_consistent(x in testing::irreps(4, 3, 8)) {
        // simplify: idempotent, keeps dimension and counts, no zero or adjacent duplicates
        let s = x.simplify();
        prop_assert_eq!(&s.simplify(), &s);
        prop_assert_eq!(s.dim(), x.dim());
        prop_assert!(s.iter().all(|t| t.mul > 0));
        prop_assert!(s.as_slice().windows(2).all(|w| w[0].irrep != w[1].irrep));
        prop_assert_eq!(
            &x.remove_zero_multiplicities(),
            &x.iter().copied().filter(|t| t.mul > 0).collect::<Irreps>()
        );
        // sort: a stable permutation with its inverse
        let sorted = x.sort();
        prop_assert_eq!(sorted.irreps.len(), x.len());
        for i in 0..x.len() {
            prop_assert_eq!(sorted.irreps[sorted.p[i]], x[i]);
            prop_assert_eq!(sorted.inv[sorted.p[i]], i);
        }
        for w in sorted.inv.windows(2) {
            let (a, b) = (x[w[0]].irrep, x[w[1]].irrep);
            prop_assert!(a < b || (a == b && w[0] < w[1]));
        }
        // regroup = total counts per irrep
        let mut counts: BTreeMap<Irrep, usize> = BTreeMap::new();
        for t in &x {
            *counts.entry(t.irrep).or_insert(0) += t.mul;
        }
        counts.retain(|_, m| *m > 0);
        let regrouped: BTreeMap<Irrep, usize> =
            x.regroup().iter().map(|t| (t.irrep, t.mul)).collect();
        prop_assert_eq!(&regrouped, &counts);
        for (&ir, &m) in &counts {
            prop_assert_eq!(x.count(ir), m);
            prop_assert!(x.contains(ir));
        }
        prop_assert_eq!(x.num_irreps(), counts.values().sum::<usize>());
        prop_assert_eq!(x.lmax(), counts.keys().map(|ir| ir.j()).max());
        // slices tile 0..dim in order
        let sl = x.slices();
        prop_assert_eq!(sl.len(), x.len());
        let mut at = 0;
        for (r, t) in sl.iter().zip(&x) {
            prop_assert_eq!(r.start, at);
            prop_assert_eq!(r.len(), t.dim());
            at = r.end;
        }
        prop_assert_eq!(at, x.dim());
        // concatenation
        let doubled = &x + &x;
        prop_assert_eq!(doubled.len(), 2 * x.len());
        prop_assert_eq!(doubled.dim(), 2 * x.dim());
    }

    #[test]
    fn irreps_parse_never_panics(s in "[0-9x+eoy/. -]{0,12}") {
        match s.parse::<Irreps>() {
            Ok(x) => prop_assert_eq!(x.to_string().parse::<Irreps>().unwrap(), x),
            Err(CoreError::Parse { input, at, .. }) => {
                prop_assert_eq!(&input, &s);
                prop_assert!(at < s.chars().count().max(1));
            }
            Err(e) => prop_assert!(false, "unexpected error kind {e:?}"),
        }
    }
}

#[test]
fn test_spherical_harmonics_irreps() {
    assert_eq!(Irreps::spherical_harmonics(0).to_string(), "1x0e");
    assert_eq!(Irreps::spherical_harmonics(2).to_string(), "1x0e+1x1o+1x2e");
    let e = Irreps::spherical_harmonics_with_parity(2, racah_core::Parity::Even);
    assert_eq!(e.to_string(), "1x0e+1x1e+1x2e");
    assert_eq!(Irreps::spherical_harmonics(7).dim(), 64);
}
