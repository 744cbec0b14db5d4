//! Exact counting (racah_proofs::counting): the counts of MATH.md §2 and §5, and the character
//! formulas against brute-force enumeration of weights and monomials.

use std::collections::BTreeMap;

use proptest::prelude::*;
use racah_core::{testing, Irrep, Irreps, Parity, Spin};
use racah_proofs::counting::{
    cycle_types, multiplicity_in_product, product_character, symmetric_couplings, symmetric_power,
    symmetric_powers, CountingError, MolienSeries, O3Character, MAX_CYCLE_INDEX_N,
};
use rug::Integer;

fn ir(s: &str) -> Irrep {
    s.parse().unwrap()
}

fn irreps(s: &str) -> Irreps {
    s.parse().unwrap()
}

/// `0e + 1o + … + l_max` with parity (−1)^l.
fn harmonics(l_max: u32) -> Irreps {
    Irreps::spherical_harmonics(l_max)
}

// ---------------------------------------------------------------------------------------------
// Brute-force oracles, independent of O3Character: weights are enumerated one basis vector
// (or monomial) at a time; V_j^p has multiplicity w_p(j) − w_p(j+1).

/// (doubled weight, parity) → multiplicity.
type WeightTable = BTreeMap<(i64, Parity), i64>;

fn mult_from_weights(w: &WeightTable, out: Irrep) -> i64 {
    let tj = i64::from(out.j().twice());
    let p = out.parity();
    w.get(&(tj, p)).copied().unwrap_or(0) - w.get(&(tj + 2, p)).copied().unwrap_or(0)
}

/// The basis of V: (doubled weight, parity) per basis vector.
fn basis(v: &Irreps) -> Vec<(i64, Parity)> {
    let mut b = Vec::new();
    for t in v.iter() {
        for _ in 0..t.mul {
            let tj = i64::from(t.irrep.j().twice());
            for w in (-tj..=tj).step_by(2) {
                b.push((w, t.irrep.parity()));
            }
        }
    }
    b
}

/// Weights of Sym^ν(V): the monomials e_{i1} ⋯ e_{iν}, i1 ≤ … ≤ iν, of the basis.
fn brute_sym_weights(v: &Irreps, nu: usize) -> WeightTable {
    let b = basis(v);
    let mut out = WeightTable::new();
    fn rec(
        b: &[(i64, Parity)],
        start: usize,
        left: usize,
        w: i64,
        p: Parity,
        out: &mut WeightTable,
    ) {
        if left == 0 {
            *out.entry((w, p)).or_insert(0) += 1;
            return;
        }
        for i in start..b.len() {
            rec(b, i, left - 1, w + b[i].0, p * b[i].1, out);
        }
    }
    rec(&b, 0, nu, 0, Parity::Even, &mut out);
    out
}

/// Weights of the S_n-invariant polynomials of degree d on n copies of 1o: one invariant per
/// S_n-orbit of monomials, i.e. per multiset of n one-particle monomials z₊^a z₀^b z₋^c
/// (weights +1, 0, −1; parity (−1)^(a+b+c)) of total degree d.
fn brute_molien_weights(n: usize, d: u32) -> WeightTable {
    let mut mono = Vec::new();
    for deg in 0..=d {
        for a in 0..=deg {
            for c in 0..=deg - a {
                mono.push((deg, 2 * (i64::from(a) - i64::from(c))));
            }
        }
    }
    let mut out = WeightTable::new();
    fn rec(
        mono: &[(u32, i64)],
        start: usize,
        left: usize,
        deg: u32,
        w: i64,
        out: &mut WeightTable,
    ) {
        if left == 0 {
            if deg == 0 {
                *out.entry((w, Parity::Even)).or_insert(0) += 1;
            }
            return;
        }
        for i in start..mono.len() {
            if mono[i].0 <= deg {
                rec(mono, i, left - 1, deg - mono[i].0, w + mono[i].1, out);
            }
        }
    }
    rec(&mono, 0, n, d, 0, &mut out);
    if d % 2 == 1 {
        out = out
            .into_iter()
            .map(|((w, _), m)| ((w, Parity::Odd), m))
            .collect();
    }
    out
}

fn all_irreps(max_twice: u32) -> Vec<Irrep> {
    let mut v = Vec::new();
    for tj in 0..=max_twice {
        for p in [Parity::Even, Parity::Odd] {
            v.push(Irrep::new(Spin::from_twice(tj), p));
        }
    }
    v
}

// ---------------------------------------------------------------------------------------------
// Multiplicities in products (MATH.md §2)

#[test]
fn test_multiplicity_in_product() {
    // MATH.md §2 (leaves with parity (−1)^l)
    let cases: [(&[&str], &str, u32); 8] = [
        (&["1o", "1o"], "0e", 1),
        (&["1o", "1o", "1o"], "1o", 3),
        (&["1o", "1o", "1o", "1o"], "0e", 3),
        (&["1o", "2e", "3o", "4e"], "2e", 12),
        (&["2e", "2e", "2e", "2e"], "2e", 16),
        (&["3o", "3o", "3o", "3o"], "0e", 7),
        (&["1o", "1o", "1o"], "0o", 1),
        (&["1o", "1o", "1o"], "0e", 0),
    ];
    for (leaves, out, want) in cases {
        let f: Vec<Irrep> = leaves.iter().map(|s| ir(s)).collect();
        assert_eq!(
            multiplicity_in_product(&f, ir(out)),
            want,
            "{leaves:?} -> {out}"
        );
    }
    assert_eq!(multiplicity_in_product(&[], ir("0e")), 1);
    assert_eq!(multiplicity_in_product(&[], ir("0o")), 0);
    // exact beyond u64: (10e)^⊗40 → 0e overflows racah-core's u64 count
    let big = multiplicity_in_product(&[ir("10e"); 40], ir("0e"));
    assert!(big > u64::MAX, "{big}");
}

#[test]
fn multiplicity_in_product_parity_zero_is_a_value() {
    // a selection-rule zero: parity forbids, no error
    assert_eq!(multiplicity_in_product(&[ir("1o"), ir("1e")], ir("0e")), 0);
    assert_eq!(
        multiplicity_in_product(&[ir("1/2e"), ir("1o")], ir("0e")),
        0
    );
    assert_eq!(
        multiplicity_in_product(&[ir("1/2e"), ir("1/2e")], ir("1/2e")),
        0
    );
}

#[test]
fn product_character_agrees_with_clebsch_gordan_series_exhaustive() {
    // every sequence of up to 3 irreps with 2j ≤ 4 (half-integers included), every output
    let irs = all_irreps(4);
    let mut level: Vec<Vec<Irrep>> = vec![vec![]];
    let mut seqs = level.clone();
    for _ in 0..3 {
        level = level
            .iter()
            .flat_map(|s| irs.iter().map(move |&i| [s.as_slice(), &[i]].concat()))
            .collect();
        seqs.extend(level.iter().cloned());
    }
    let outs = all_irreps(12);
    let mut checked = 0;
    for s in &seqs {
        let chi = product_character(s);
        for &o in &outs {
            let cg = Irreps::multiplicity_in_product(s, o).unwrap();
            assert_eq!(chi.multiplicity(o), cg, "{s:?} -> {o}");
            checked += 1;
        }
    }
    assert_eq!(seqs.len(), 1 + 10 + 100 + 1000);
    assert!(checked > 20_000);
}

proptest! {
    #![proptest_config(testing::seeded(0x000c_04e7))]

    #[test]
    fn multiplicity_in_product_properties(
        f in proptest::collection::vec(testing::su2_irrep(8), 0..5),
        o in testing::su2_irrep(20),
    ) {
        // agrees with the iterated Clebsch–Gordan series of racah-core
        let m = multiplicity_in_product(&f, o);
        prop_assert_eq!(m.clone(), Irreps::multiplicity_in_product(&f, o).unwrap());
        // Σ_L mult·(2L+1) = Π dims, and multiplicities are non-negative
        let chi = product_character(&f);
        let total: Integer = chi.decompose().iter()
            .inspect(|(_, m)| assert!(*m > 0))
            .map(|(i, m)| Integer::from(m * i.dim() as u64)).sum();
        let dims: u64 = f.iter().map(|i| i.dim() as u64).product();
        prop_assert_eq!(total, dims);
        // order does not matter
        let mut r = f.clone();
        r.reverse();
        prop_assert_eq!(multiplicity_in_product(&r, o), m);
    }
}

// ---------------------------------------------------------------------------------------------
// Symmetric powers (MATH.md §5)

#[test]
fn test_symmetric_couplings_math_md() {
    // MATH.md §5: Sym^ν(0e + 1o + … + l_max) → 0e / 1o / 2e
    let table: [(u32, usize, [u32; 3]); 5] = [
        (1, 2, [2, 1, 1]),
        (1, 3, [2, 2, 1]),
        (1, 4, [3, 2, 2]),
        (2, 2, [3, 2, 3]),
        (2, 3, [5, 5, 6]),
    ];
    for (l_max, nu, want) in table {
        let v = harmonics(l_max);
        let got: Vec<Integer> = ["0e", "1o", "2e"]
            .iter()
            .map(|o| symmetric_couplings(&v, nu, ir(o)).unwrap())
            .collect();
        assert_eq!(got, want, "l_max = {l_max}, nu = {nu}");
    }
    // Sym^1 is V itself; Sym^0 the trivial representation
    assert_eq!(
        symmetric_power(&harmonics(2), 1).unwrap(),
        O3Character::from_irreps(&harmonics(2))
    );
    assert_eq!(
        symmetric_power(&harmonics(2), 0).unwrap(),
        O3Character::one()
    );
    // the triple product: Sym³(1o) has no 0o (it is antisymmetric)
    assert_eq!(symmetric_couplings(&irreps("1o"), 3, ir("0o")).unwrap(), 0);
    assert_eq!(
        symmetric_couplings(&irreps("3x1o"), 3, ir("0o")).unwrap(),
        1
    );
    // empty V: Sym^ν(0) = 0 for ν ≥ 1
    assert!(symmetric_power(&Irreps::default(), 3).unwrap().is_zero());
}

#[test]
fn symmetric_power_rejects_too_large_nu() {
    let e = symmetric_power(&harmonics(1), MAX_CYCLE_INDEX_N + 1).unwrap_err();
    assert!(matches!(e, CountingError::TooLarge { value, .. } if value == MAX_CYCLE_INDEX_N + 1));
    assert!(
        e.to_string().contains(&(MAX_CYCLE_INDEX_N + 1).to_string()),
        "{e}"
    );
    assert!(cycle_types(MAX_CYCLE_INDEX_N).is_ok());
    let e = symmetric_powers(&harmonics(1), 1000).unwrap_err();
    assert!(
        matches!(
            e,
            CountingError::TooLarge {
                what: "nu",
                value: 1000,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn symmetric_power_agrees_with_explicit_symmetric_tensors_exhaustive() {
    // every V with at most 3 terms from {0e, 0o, 1/2e, 1o, 1e, 3/2o, 2e, 3o}, ν ≤ 4
    let pool = ["0e", "0o", "1/2e", "1o", "1e", "3/2o", "2e", "3o"];
    let mut vs = vec![String::new()];
    for a in 0..pool.len() {
        vs.push(pool[a].to_string());
        for b in a..pool.len() {
            vs.push(format!("{}+{}", pool[a], pool[b]));
            for c in b..pool.len() {
                vs.push(format!("{}+{}+{}", pool[a], pool[b], pool[c]));
            }
        }
    }
    let outs = all_irreps(24);
    let mut checked = 0;
    for v in &vs {
        let v: Irreps = v.parse().unwrap_or_default();
        let max_nu = if v.dim() > 12 { 3 } else { 4 };
        for nu in 0..=max_nu {
            let chi = symmetric_power(&v, nu).unwrap();
            let brute = brute_sym_weights(&v, nu);
            for &o in &outs {
                assert_eq!(
                    chi.multiplicity(o),
                    mult_from_weights(&brute, o),
                    "Sym^{nu}({v}) -> {o}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 35_000, "{checked}");
}

proptest! {
    #![proptest_config(testing::seeded(0x05e4_90e7))]

    #[test]
    fn symmetric_power_properties(v in testing::irreps(3, 2, 3), nu in 0usize..5) {
        let chi = symmetric_power(&v, nu).unwrap();
        // dim Sym^ν(V) = C(dim V + ν − 1, ν), every multiplicity ≥ 0
        let want = if v.dim() == 0 {
            Integer::from(u32::from(nu == 0))
        } else {
            Integer::from(Integer::binomial_u((v.dim() + nu - 1) as u32, nu as u32))
        };
        prop_assert_eq!(chi.dim(), want);
        prop_assert!(chi.decompose().iter().all(|(_, m)| *m > 0));
        // Sym^ν(V ⊕ W) = ⊕_k Sym^k(V) ⊗ Sym^{ν−k}(W), with W = 0e: Sym^ν(V+0e) = Σ_k Sym^k(V)
        let mut with_scalar = v.clone();
        with_scalar.push(racah_core::MulIrrep::new(1, ir("0e")));
        let mut sum = O3Character::zero();
        for k in 0..=nu {
            sum += &symmetric_power(&v, k).unwrap();
        }
        prop_assert_eq!(symmetric_power(&with_scalar, nu).unwrap(), sum);
        // the cycle index summed over cycle types equals Newton's recursion
        prop_assert_eq!(&symmetric_powers(&v, nu).unwrap()[nu], &chi);
        // ν ≤ 2 against the direct formula Sym² = (χ(g)² + χ(g²))/2
        if nu == 2 {
            let c = O3Character::from_irreps(&v);
            let twice = &(&c * &c) + &c.adams(2);
            prop_assert_eq!(twice.div_exact(&Integer::from(2)).unwrap(), chi);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Molien series of S_n × O(3)

#[test]
fn test_molien_counts() {
    // n = 2, invariants: degree 2: |r1|²+|r2|², r1·r2; degree 3: none (odd);
    // degree 4: 4 (|r1|⁴+|r2|⁴, |r1|²|r2|², (r1·r2)², (|r1|²+|r2|²)(r1·r2))
    let m = MolienSeries::new(2, 6).unwrap();
    let inv: Vec<Integer> = (0..=6)
        .map(|d| m.multiplicity(d, ir("0e")).unwrap())
        .collect();
    assert_eq!(inv, [1, 0, 2, 0, 4, 0, 6]);
    // the pseudoscalar of two vectors needs three: none for n = 2, (r1×r2)·r3 for n = 3
    assert_eq!(m.cumulative(6, ir("0o")).unwrap(), 0);
    let m3 = MolienSeries::new(3, 3).unwrap();
    assert_eq!(m3.multiplicity(3, ir("0o")).unwrap(), 0); // antisymmetric under S_3
                                                          // n = 1: exactly the A_{k,l} = |r|^{2k} r^l Y_l
    let one = MolienSeries::new(1, 8).unwrap();
    for d in 0..=8u32 {
        for l in 0..=9u32 {
            for p in [Parity::Even, Parity::Odd] {
                let want = u32::from(l <= d && (d - l) % 2 == 0 && p == Parity::of_harmonic(l));
                assert_eq!(one.multiplicity(d, Irrep::l(l, p)).unwrap(), want);
            }
        }
    }
    assert_eq!(one.neighbours(), 1);
    assert_eq!(one.max_degree(), 8);
}

#[test]
fn molien_rejects_bad_degree_and_size() {
    let m = MolienSeries::new(2, 3).unwrap();
    assert!(matches!(
        m.cumulative(4, ir("0e")),
        Err(CountingError::DegreeOutOfRange {
            degree: 4,
            max_degree: 3
        })
    ));
    assert!(matches!(
        MolienSeries::new(MAX_CYCLE_INDEX_N + 1, 2),
        Err(CountingError::TooLarge { .. })
    ));
}

#[test]
fn molien_agrees_with_monomial_orbits_exhaustive() {
    let outs = all_irreps(16);
    for n in 0..=4usize {
        let max_d = if n <= 2 { 8 } else { 6 };
        let m = MolienSeries::new(n, max_d).unwrap();
        for d in 0..=max_d {
            let brute = brute_molien_weights(n, d);
            for &o in &outs {
                assert_eq!(
                    m.multiplicity(d, o).unwrap(),
                    mult_from_weights(&brute, o),
                    "n = {n}, d = {d}, L = {o}"
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(testing::seeded(0x0030_11e4))]

    #[test]
    fn molien_properties(n in 1usize..6, d in 0u32..7, l in 0u32..5) {
        let m = MolienSeries::new(n, d).unwrap();
        let chi = m.character(d).unwrap();
        // only parity (−1)^d occurs; everything decomposes with multiplicities ≥ 0
        prop_assert!(chi.decompose().iter().all(|(i, c)| *c > 0 && i.parity() == Parity::of_harmonic(d)));
        // stable in n once n ≥ d (products of power sums of total degree d are independent)
        if n >= d as usize {
            let big = MolienSeries::new(d as usize + 2, d).unwrap();
            prop_assert_eq!(big.multiplicity(d, Irrep::harmonic(l)).unwrap(),
                            m.multiplicity(d, Irrep::harmonic(l)).unwrap());
        }
        // one neighbour is Sym^d(1o)
        if n == 1 {
            prop_assert_eq!(chi, &symmetric_power(&irreps("1o"), d as usize).unwrap());
        }
        // cumulative is the sum of degrees
        let cum: Integer = (0..=d).map(|e| m.multiplicity(e, Irrep::harmonic(l)).unwrap()).sum();
        prop_assert_eq!(m.cumulative(d, Irrep::harmonic(l)).unwrap(), cum);
    }
}
