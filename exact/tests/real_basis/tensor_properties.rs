//! Exact identities of the real coupling tensors: Frobenius norm 1, orthogonality, equivariance,
//! exchange symmetry, agreement with a dense exact reference computation (imaginary parts exactly
//! 0), correct rounding. Exhaustive for small l, seeded proptest up to l = 10.

use proptest::prelude::*;
use racah_core::Spin;
use racah_exact::{
    cg_block, q_matrix, real_cg, real_cg_with, ComplexSqrtSum, FactorialCache, RealCgTensor,
    SqrtRational, SqrtSum,
};
use rug::Float;
use std::collections::BTreeMap;

fn triangle(l1: u32, l2: u32, l3: u32) -> bool {
    l3 >= l1.abs_diff(l2) && l3 <= l1 + l2
}

/// The dense reference: `Σ_{m1,m2} Q1[m1,a] Q2[m2,b] conj(Q3[m1+m2,c]) CG / √(2l3+1)` with exact
/// complex arithmetic over every m (no use of the sparsity of Q).
fn reference(l1: u32, l2: u32, l3: u32) -> Vec<ComplexSqrtSum> {
    let (q1, q2, q3) = (
        q_matrix(l1).unwrap(),
        q_matrix(l2).unwrap(),
        q_matrix(l3).unwrap(),
    );
    let block = cg_block(Spin::int(l1), Spin::int(l2), Spin::int(l3)).unwrap();
    let norm = SqrtRational::sqrt_of_ratio(1, 2 * l3 as u64 + 1).unwrap();
    let [n1, n2, n3] = [l1, l2, l3].map(|l| 2 * l as usize + 1);
    let mut out = vec![ComplexSqrtSum::zero(); n1 * n2 * n3];
    for i1 in 0..n1 {
        for i2 in 0..n2 {
            // k = l3 + m1 + m2
            let k = i1 as i64 + i2 as i64 - l1 as i64 - l2 as i64 + l3 as i64;
            if k < 0 || k >= n3 as i64 {
                continue;
            }
            let k = k as usize;
            let g = ComplexSqrtSum::from(block.get(i1, i2, k) * &norm);
            if g.is_zero() {
                continue;
            }
            for a in 0..n1 {
                for b in 0..n2 {
                    let ab = q1.get(i1, a) * q2.get(i2, b);
                    if ab.is_zero() {
                        continue;
                    }
                    let abg = &ab * &g;
                    for c in 0..n3 {
                        let q = q3.get(k, c);
                        if !q.is_zero() {
                            out[(a * n2 + b) * n3 + c] += &(&abg * &q.conj());
                        }
                    }
                }
            }
        }
    }
    out
}

#[test]
fn real_cg_matches_dense_reference_and_is_real() {
    for l1 in 0..=3u32 {
        for l2 in 0..=3 {
            for l3 in l1.abs_diff(l2)..=(l1 + l2).min(4) {
                let t = real_cg(l1, l2, l3).unwrap();
                let r = reference(l1, l2, l3);
                for (([a, b, c], v), z) in t.iter().zip(&r) {
                    assert!(
                        z.im.is_zero(),
                        "({l1},{l2},{l3})[{a},{b},{c}] im = {}",
                        z.im
                    );
                    assert_eq!(SqrtSum::from(v), z.re, "({l1},{l2},{l3})[{a},{b},{c}]");
                }
            }
        }
    }
}

#[test]
fn real_cg_norm_is_exactly_one() {
    for l1 in 0..=6u32 {
        for l2 in 0..=6 {
            for l3 in 0..=6 {
                let t = real_cg(l1, l2, l3).unwrap();
                let want = if triangle(l1, l2, l3) {
                    SqrtRational::ONE
                } else {
                    SqrtRational::ZERO
                };
                assert_eq!(t.frobenius_norm_squared(), want, "({l1},{l2},{l3})");
            }
        }
    }
}

/// `G[c][c'] = Σ_{a,b} t[a,b,c] u[a,b,c']` as a map (zeros dropped).
fn gram(t: &RealCgTensor, u: &RealCgTensor) -> BTreeMap<(usize, usize), SqrtSum> {
    let mut by_ab: BTreeMap<(usize, usize), Vec<(usize, &SqrtRational)>> = BTreeMap::new();
    for (a, b, c, v) in u.nonzeros() {
        by_ab.entry((a, b)).or_default().push((c, v));
    }
    let mut g: BTreeMap<(usize, usize), SqrtSum> = BTreeMap::new();
    for (a, b, c, v) in t.nonzeros() {
        for (c2, w) in by_ab.get(&(a, b)).map(|x| x.as_slice()).unwrap_or(&[]) {
            *g.entry((c, *c2)).or_default() += &(v * *w);
        }
    }
    g.retain(|_, s| !s.is_zero());
    g
}

/// Σ_{a,b} C[l1,l2,l3][a,b,c] C[l1,l2,l3'][a,b,c'] = δ(l3,l3') δ(c,c') / (2l3+1), exactly.
fn check_orthogonality(l1: u32, l2: u32, l3: u32, l3p: u32) -> Result<(), String> {
    let t = real_cg(l1, l2, l3).unwrap();
    let u = real_cg(l1, l2, l3p).unwrap();
    let g = gram(&t, &u);
    let mut want = BTreeMap::new();
    if l3 == l3p && triangle(l1, l2, l3) {
        for c in 0..2 * l3 as usize + 1 {
            let d = SqrtRational::rational(1, 2 * l3 as i64 + 1);
            want.insert((c, c), SqrtSum::from(d));
        }
    }
    if g == want {
        Ok(())
    } else {
        Err(format!("({l1},{l2}) l3 = {l3}, l3' = {l3p}: {g:?}"))
    }
}

#[test]
fn real_cg_orthogonality_exhaustive() {
    for l1 in 0..=3u32 {
        for l2 in 0..=3 {
            for l3 in 0..=6 {
                for l3p in 0..=6 {
                    check_orthogonality(l1, l2, l3, l3p).unwrap();
                }
            }
        }
    }
}

#[test]
fn real_cg_is_equivariant_exhaustive() {
    for l1 in 0..=4u32 {
        for l2 in 0..=4 {
            for l3 in l1.abs_diff(l2)..=l1 + l2 {
                assert!(
                    real_cg(l1, l2, l3).unwrap().is_equivariant(),
                    "({l1},{l2},{l3})"
                );
            }
        }
    }
}

/// C[l2,l1,l3][b,a,c] = (−1)^(l1+l2−l3) C[l1,l2,l3][a,b,c] (from the CG exchange symmetry), and
/// the cyclic permutation C[l2,l3,l1][b,c,a] = ±C[l1,l2,l3][a,b,c] with one global sign (the
/// invariant trilinear form of norm 1 is unique up to sign).
fn check_permutations(l1: u32, l2: u32, l3: u32) -> Result<(), String> {
    let t = real_cg(l1, l2, l3).unwrap();
    let swapped = real_cg(l2, l1, l3).unwrap();
    let cyclic = real_cg(l2, l3, l1).unwrap();
    let signed = |v: &SqrtRational, s: bool| if s { v.clone() } else { -v };
    let even = (l1 + l2 + l3) % 2 == 0;
    // The global sign of the cyclic permutation, read off the first nonzero entry.
    let cyc_plus = match t.nonzeros().next() {
        Some((a, b, c, v)) => cyclic.get(b, c, a) == v,
        None => true,
    };
    for ([a, b, c], v) in t.iter() {
        if *swapped.get(b, a, c) != signed(v, even) {
            return Err(format!("exchange ({l1},{l2},{l3})[{a},{b},{c}]"));
        }
        if *cyclic.get(b, c, a) != signed(v, cyc_plus) {
            return Err(format!("cyclic ({l1},{l2},{l3})[{a},{b},{c}]"));
        }
    }
    Ok(())
}

#[test]
fn real_cg_permutation_symmetry_exhaustive() {
    for l1 in 0..=4u32 {
        for l2 in 0..=4 {
            for l3 in l1.abs_diff(l2)..=l1 + l2 {
                check_permutations(l1, l2, l3).unwrap();
            }
        }
    }
}

/// The nearest f64 / f32 to an exact value by an independent route: MPFR at 300 bits, rounded
/// once (a 300-bit approximation of an irrational √ cannot straddle a rounding boundary of f64).
fn mpfr_nearest(v: &SqrtRational) -> (f64, f32) {
    if v.is_zero() {
        return (0.0, 0.0);
    }
    let mut x = Float::with_val(300, v.sq_num()) / Float::with_val(300, v.sq_den());
    x.sqrt_mut();
    if v.sign() < 0 {
        x = -x;
    }
    (x.to_f64(), x.to_f32())
}

fn check_views(t: &RealCgTensor) -> Result<(), String> {
    let dense = t.to_dense();
    let (f64s, f32s) = (t.to_f64(), t.to_f32());
    let [n1, n2, n3] = t.shape();
    if dense.len() != n1 * n2 * n3 || t.num_entries() != dense.len() {
        return Err("length".into());
    }
    for (i, ([a, b, c], v)) in t.iter().enumerate() {
        if i != (a * n2 + b) * n3 + c || *t.get(a, b, c) != *v || dense[i] != *v {
            return Err(format!("views disagree at {i}"));
        }
        let (x, y) = mpfr_nearest(v);
        if f64s[i] != x || f32s[i] != y {
            return Err(format!("rounding at {i}: {v}"));
        }
    }
    let nz: Vec<_> = t
        .nonzeros()
        .map(|(a, b, c, v)| (a, b, c, v.clone()))
        .collect();
    let nz_dense: Vec<_> = t
        .iter()
        .filter(|(_, v)| !v.is_zero())
        .map(|([a, b, c], v)| (a, b, c, v.clone()))
        .collect();
    if nz != nz_dense || nz.len() != t.num_nonzeros() {
        return Err("nonzeros".into());
    }
    Ok(())
}

#[test]
fn real_cg_views_and_rounding_exhaustive() {
    for l1 in 0..=4u32 {
        for l2 in 0..=4 {
            for l3 in l1.abs_diff(l2)..=l1 + l2 {
                check_views(&real_cg(l1, l2, l3).unwrap()).unwrap();
            }
        }
    }
}

/// Beyond the machine-integer range (l1 + l2 + l3 > 57) the values take the big-integer route.
#[test]
fn real_cg_beyond_machine_integers() {
    for (l1, l2, l3) in [(10, 20, 28), (30, 2, 29)] {
        let t = real_cg(l1, l2, l3).unwrap();
        assert_eq!(
            t.frobenius_norm_squared(),
            SqrtRational::ONE,
            "({l1},{l2},{l3})"
        );
        assert!(t.is_valid());
        assert!(t.is_equivariant(), "({l1},{l2},{l3})");
        check_permutations(l1, l2, l3).unwrap();
    }
}

/// A triangle `(l1, l2, l3)` with every l ≤ max, constructed (not filtered).
fn triangle_l(max: u32) -> impl Strategy<Value = (u32, u32, u32)> {
    (0..=max, 0..=max)
        .prop_flat_map(move |(a, b)| (Just(a), Just(b), a.abs_diff(b)..=(a + b).min(max)))
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x5EED_00E3),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn real_cg_properties((l1, l2, l3) in triangle_l(10), l3p in 0u32..=10) {
        let t = real_cg(l1, l2, l3).unwrap();
        prop_assert_eq!(t.frobenius_norm_squared(), SqrtRational::ONE);
        prop_assert!(t.is_equivariant());
        prop_assert!(t.is_valid());
        check_orthogonality(l1, l2, l3, l3p).map_err(TestCaseError::fail)?;
        check_permutations(l1, l2, l3).map_err(TestCaseError::fail)?;
        check_views(&t).map_err(TestCaseError::fail)?;
        // An explicit cache gives the same tensor.
        prop_assert_eq!(real_cg_with(l1, l2, l3, &mut FactorialCache::new()).unwrap(), t);
    }
}
