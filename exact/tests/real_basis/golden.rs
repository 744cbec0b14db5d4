//! Golden values: the worked examples of conventions-reference.md §3.3 (exact, `==`), the
//! e3nn-jax table `tests/golden/e3nn_real_cg_l_le_4.json`, the matrix Q_l, and failure cases.

use crate::json::Json;
use crate::sr;
use racah_exact::{
    q_matrix, real_cg, real_generators, ComplexSqrtSum, ExactError, RealCgTensor, SqrtRational,
};
use std::collections::BTreeMap;

/// Checks every entry of `t`: the listed ones exactly, all others 0.
fn assert_entries(t: &RealCgTensor, listed: &[((usize, usize, usize), SqrtRational)]) {
    let want: BTreeMap<_, _> = listed.iter().cloned().collect();
    assert_eq!(
        want.len(),
        listed.len(),
        "duplicate index in the expected list"
    );
    for ([a, b, c], v) in t.iter() {
        let expected = want.get(&(a, b, c)).cloned().unwrap_or(SqrtRational::ZERO);
        assert_eq!(*v, expected, "{:?}[{a},{b},{c}]", t.l());
    }
    assert_eq!(t.num_nonzeros(), listed.len());
}

#[test]
fn test_real_cg_1_1_0() {
    // C[i,j,0] = δij/√3
    let t = real_cg(1, 1, 0).unwrap();
    let d = sr(1, 1, 3);
    assert_entries(
        &t,
        &[
            ((0, 0, 0), d.clone()),
            ((1, 1, 0), d.clone()),
            ((2, 2, 0), d),
        ],
    );
}

#[test]
fn test_real_cg_1_1_1() {
    // C[i,j,k] = εijk/√6, C[0,1,2] = +1/√6
    let t = real_cg(1, 1, 1).unwrap();
    let (p, m) = (sr(1, 1, 6), sr(-1, 1, 6));
    assert_entries(
        &t,
        &[
            ((0, 1, 2), p.clone()),
            ((1, 2, 0), p.clone()),
            ((2, 0, 1), p),
            ((1, 0, 2), m.clone()),
            ((0, 2, 1), m.clone()),
            ((2, 1, 0), m),
        ],
    );
}

#[test]
fn test_real_cg_1_1_2() {
    let t = real_cg(1, 1, 2).unwrap();
    let s10 = sr(1, 1, 10);
    assert_entries(
        &t,
        &[
            ((1, 1, 2), sr(1, 4, 30)),
            ((0, 0, 2), sr(-1, 1, 30)),
            ((2, 2, 2), sr(-1, 1, 30)),
            ((0, 0, 4), sr(-1, 1, 10)),
            ((2, 2, 4), sr(1, 1, 10)),
            ((0, 1, 1), s10.clone()),
            ((1, 0, 1), s10.clone()),
            ((0, 2, 0), s10.clone()),
            ((2, 0, 0), s10.clone()),
            ((1, 2, 3), s10.clone()),
            ((2, 1, 3), s10),
        ],
    );
}

#[test]
fn test_real_cg_2_2_2() {
    let t = real_cg(2, 2, 2).unwrap();
    let mut listed = vec![((2, 2, 2), sr(1, 4, 70))];
    for i in [
        (0, 0, 2),
        (4, 4, 2),
        (0, 2, 0),
        (2, 0, 0),
        (2, 4, 4),
        (4, 2, 4),
    ] {
        listed.push((i, sr(-1, 4, 70)));
    }
    for i in [
        (1, 1, 2),
        (3, 3, 2),
        (1, 2, 1),
        (2, 1, 1),
        (2, 3, 3),
        (3, 2, 3),
    ] {
        listed.push((i, sr(1, 1, 70)));
    }
    for i in [
        (0, 1, 3),
        (0, 3, 1),
        (1, 0, 3),
        (1, 3, 0),
        (3, 0, 1),
        (3, 1, 0),
    ] {
        listed.push((i, sr(1, 3, 70)));
    }
    for i in [(1, 1, 4), (1, 4, 1), (4, 1, 1)] {
        listed.push((i, sr(-1, 3, 70)));
    }
    for i in [(3, 3, 4), (3, 4, 3), (4, 3, 3)] {
        listed.push((i, sr(1, 3, 70)));
    }
    assert_entries(&t, &listed);
}

/// Every entry of every triple `l ≤ 4` against e3nn-jax 0.21 (float64).
///
/// Tolerance: 2·eps absolute (entries satisfy |C| ≤ 1). e3nn-jax's own error for l ≤ 4 is
/// ≤ 1.45e-16 ≈ 0.65 eps against an extended-precision evaluation of the same formula
/// (conventions-reference.md §3.3); ours is correctly rounded, ≤ 0.5 ulp ≤ 0.5 eps. The sum,
/// 1.15 eps, is below 2 eps. Exactly-zero entries may carry e3nn-jax roundoff of order 1e-17, so
/// the zero pattern is compared with a 1e-15 threshold (every nonzero |C| here is ≥ 0.01).
#[test]
fn test_real_cg_matches_e3nn_jax_golden() {
    let text = std::fs::read_to_string(crate::golden_path("e3nn_real_cg_l_le_4.json")).unwrap();
    let json = Json::parse(&text);
    let eps = f64::EPSILON;
    let (mut max_err, mut entries, mut equal_bits, mut triples) = (0.0f64, 0, 0, 0);
    for (key, value) in json.as_obj() {
        if key == "_meta" {
            continue;
        }
        let l: Vec<u32> = key.split(',').map(|s| s.parse().unwrap()).collect();
        let t = real_cg(l[0], l[1], l[2]).unwrap();
        let theirs = value.flatten();
        let ours = t.to_f64();
        assert_eq!(ours.len(), theirs.len(), "{key}");
        for (i, (x, y)) in ours.iter().zip(&theirs).enumerate() {
            let err = (x - y).abs();
            assert!(
                err <= 2.0 * eps,
                "{key} flat {i}: ours {x:e}, e3nn-jax {y:e}"
            );
            assert_eq!(*x == 0.0, y.abs() < 1e-15, "{key} flat {i}: zero pattern");
            max_err = max_err.max(err);
            equal_bits += (x == y) as usize;
            entries += 1;
        }
        triples += 1;
    }
    // Every triangle triple with l ≤ 4 is in the file.
    let mut expected = 0;
    for a in 0..=4i32 {
        for b in 0..=4i32 {
            expected += ((a - b).abs()..=(a + b).min(4)).count();
        }
    }
    assert_eq!((triples, expected), (65, 65));
    eprintln!(
        "e3nn-jax l<=4: {triples} triples, {entries} entries, {equal_bits} bit-identical, \
         max |diff| = {max_err:e} = {:.3} eps",
        max_err / eps
    );
}

#[test]
fn test_q_matrix() {
    assert_eq!(*q_matrix(0).unwrap().get(0, 0), ComplexSqrtSum::one());
    // Q_1 = −i q = [[−1/√2, 0, −i/√2], [0, −i, 0], [−1/√2, 0, i/√2]]
    let h = sr(1, 1, 2);
    let c = |k: i64, v: &SqrtRational| ComplexSqrtSum::i_pow_times(k, v);
    let one = SqrtRational::ONE;
    let z = ComplexSqrtSum::zero();
    let want = [
        [c(2, &h), z.clone(), c(3, &h)],
        [z.clone(), c(3, &one), z.clone()],
        [c(2, &h), z, c(1, &h)],
    ];
    let q = q_matrix(1).unwrap();
    for (r, row) in want.iter().enumerate() {
        for (col, v) in row.iter().enumerate() {
            assert_eq!(q.get(r, col), v, "Q_1[{r},{col}]");
        }
    }
    // Q_2 = −q: q[0, 4] = 1/√2 (m = −2, a = l + 2), q[0, 0] = −i/√2, q[4, 0] = i/√2, q[2, 2] = 1.
    let q2 = q_matrix(2).unwrap();
    assert_eq!(*q2.get(0, 4), c(2, &h));
    assert_eq!(*q2.get(0, 0), c(1, &h));
    assert_eq!(*q2.get(4, 0), c(3, &h));
    assert_eq!(*q2.get(2, 2), c(2, &one));
    assert!(q2.get(1, 4).is_zero());
}

#[test]
fn q_matrix_is_unitary_exactly() {
    for l in 0..=8 {
        let q = q_matrix(l).unwrap();
        assert_eq!(q.dim(), 2 * l as usize + 1);
        assert!(q.is_unitary(), "l = {l}");
    }
    // A non-unitary matrix is detected.
    let mut q = q_matrix(2).unwrap();
    q.set(0, 0, ComplexSqrtSum::one());
    assert!(!q.is_unitary());
}

#[test]
fn real_basis_rejects_out_of_range() {
    let big = (1u32 << 21) + 1;
    for e in [
        real_cg(big, 0, big).unwrap_err(),
        real_generators(big).unwrap_err(),
    ] {
        assert!(matches!(e, ExactError::Overflow { .. }), "{e:?}");
        assert!(e.to_string().contains("2097153"), "{e}");
    }
    // Too many entries for one block: (601)³ > 2^26.
    assert!(matches!(
        real_cg(300, 300, 300),
        Err(ExactError::Overflow { .. })
    ));
    let e = q_matrix(1024).unwrap_err();
    assert!(e.to_string().contains("1024"), "{e}");
}

#[test]
fn real_cg_of_a_non_triangle_is_zero_not_an_error() {
    for (l1, l2, l3) in [(1, 1, 3), (0, 2, 1), (5, 1, 2), (3, 0, 4)] {
        let t = real_cg(l1, l2, l3).unwrap();
        assert!(t.is_zero());
        assert_eq!(
            t.shape(),
            [
                2 * l1 as usize + 1,
                2 * l2 as usize + 1,
                2 * l3 as usize + 1
            ]
        );
        assert!(t.to_f64().iter().all(|&x| x == 0.0));
        assert_eq!(t.frobenius_norm_squared(), SqrtRational::ZERO);
        assert_eq!(t.nonzeros().count(), 0);
        assert!(t.is_equivariant());
    }
}

#[test]
#[should_panic(expected = "out of shape")]
fn real_cg_get_out_of_range_panics() {
    let _ = real_cg(1, 1, 2).unwrap().get(0, 3, 0);
}
