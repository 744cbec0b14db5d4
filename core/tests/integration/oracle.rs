//! An independent multiplicity oracle by weight counting, deliberately not shared with the
//! library: the multiplicity of spin L in a product of spins is the number of product states
//! with total M = L minus the number with M = L + 1 (each irrep L contributes exactly one state
//! to every M in −L..=L). O(3) parity: the product has parity Π p_i.

use racah_core::{Irrep, Parity};
use std::collections::BTreeMap;

/// Number of product states per total 2M, for spins given doubled.
pub fn weights(twice_spins: &[u32]) -> BTreeMap<i64, u64> {
    let mut acc = BTreeMap::from([(0i64, 1u64)]);
    for &tj in twice_spins {
        let mut next = BTreeMap::new();
        for (&m, &n) in &acc {
            for k in 0..=tj as i64 {
                *next.entry(m - tj as i64 + 2 * k).or_insert(0) += n;
            }
        }
        acc = next;
    }
    acc
}

/// Multiplicity of `out` in the product of `factors` (the trivial irrep 0e if empty).
pub fn multiplicity(factors: &[Irrep], out: Irrep) -> u64 {
    let p = factors.iter().fold(Parity::Even, |p, f| p * f.parity());
    if p != out.parity() {
        return 0;
    }
    let spins: Vec<u32> = factors.iter().map(|f| f.j().twice()).collect();
    let w = weights(&spins);
    let l = out.j().twice() as i64;
    w.get(&l).copied().unwrap_or(0) - w.get(&(l + 2)).copied().unwrap_or(0)
}

/// Every irrep that can occur in the product (spins up to Σ j, both parities).
pub fn candidates(factors: &[Irrep]) -> Vec<Irrep> {
    let top: u32 = factors.iter().map(|f| f.j().twice()).sum();
    (0..=top)
        .flat_map(|t| {
            [Parity::Odd, Parity::Even].map(|p| Irrep::new(racah_core::Spin::from_twice(t), p))
        })
        .collect()
}

#[test]
fn oracle_matches_known_counts() {
    // shared/design/MATH.md §2 and the dimension identity Σ mult·dim = Π dim
    let h = Irrep::harmonic;
    assert_eq!(multiplicity(&[h(1); 3], h(1)), 3);
    assert_eq!(multiplicity(&[h(3); 4], h(0)), 7);
    assert_eq!(multiplicity(&[h(1); 3], "0o".parse().unwrap()), 1);
    assert_eq!(multiplicity(&[h(1); 3], h(0)), 0);
    let f = [h(2), "3/2e".parse().unwrap(), h(1)];
    let total: u64 = candidates(&f)
        .iter()
        .map(|&c| multiplicity(&f, c) * c.dim() as u64)
        .sum();
    assert_eq!(total, 5 * 4 * 3);
}
