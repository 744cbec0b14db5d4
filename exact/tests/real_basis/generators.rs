//! Angular-momentum generators: complex-basis J_z, J_±, and the real (e3nn) L_x, L_y, L_z.
//! Golden values, commutation relations and Casimirs (exact), agreement with the dense formula
//! Q†XQ, and the Wigner D matrices of e3nn-jax rebuilt from exp(α L_y) exp(β L_x) exp(γ L_y).

use crate::json::Json;
use crate::{sr, Mat};
use proptest::prelude::*;
use racah_core::Spin;
use racah_exact::{
    j_minus, j_plus, j_z, q_matrix, real_generators, ComplexMatrix, ComplexSqrtSum, ExactError,
    SparseMatrix, SqrtRational,
};

fn rat(n: i64, d: i64) -> SqrtRational {
    SqrtRational::rational(n, d)
}

#[test]
fn test_complex_generators() {
    // j = 1: J_z = diag(−1, 0, 1), ⟨1 0|J_+|1 −1⟩ = ⟨1 1|J_+|1 0⟩ = √2.
    let one = Spin::int(1);
    let jz = j_z(one).unwrap();
    assert_eq!(
        jz.to_dense(),
        vec![
            rat(-1, 1),
            rat(0, 1),
            rat(0, 1),
            rat(0, 1),
            rat(0, 1),
            rat(0, 1),
            rat(0, 1),
            rat(0, 1),
            rat(1, 1)
        ]
    );
    let jp = j_plus(one).unwrap();
    assert_eq!(
        jp.nonzeros()
            .map(|(r, c, v)| (r, c, v.clone()))
            .collect::<Vec<_>>(),
        vec![(1, 0, sr(1, 2, 1)), (2, 1, sr(1, 2, 1))]
    );
    // j = 3/2: J_+ = √3, 2, √3 below the diagonal; J_− its transpose.
    let j = Spin::from_twice(3);
    let jp = j_plus(j).unwrap();
    assert_eq!(
        [jp.get(1, 0), jp.get(2, 1), jp.get(3, 2)],
        [&sr(1, 3, 1), &rat(2, 1), &sr(1, 3, 1)]
    );
    let jm = j_minus(j).unwrap();
    assert_eq!(*jm.get(0, 1), sr(1, 3, 1));
    assert!(jm.get(1, 0).is_zero());
    assert_eq!(j_z(j).unwrap().to_f64(), {
        let mut d = vec![0.0; 16];
        d[0] = -1.5;
        d[5] = -0.5;
        d[10] = 0.5;
        d[15] = 1.5;
        d
    });
    // J_+ is not antisymmetric, L_y is; f32 is rounded directly (√2 → nearest f32).
    assert!(!jp.is_antisymmetric());
    assert!(real_generators(2).unwrap()[1].is_antisymmetric());
    assert_eq!(j_plus(one).unwrap().to_f32()[3], std::f32::consts::SQRT_2);
    // j = 0: all three are the 1×1 zero matrix.
    for m in [j_z(Spin::ZERO), j_plus(Spin::ZERO), j_minus(Spin::ZERO)] {
        let m = m.unwrap();
        assert_eq!((m.dim(), m.num_nonzeros()), (1, 0));
    }
}

#[test]
fn generators_reject_too_large_spins() {
    let j = Spin::from_twice((1 << 22) + 2);
    for e in [
        j_z(j).unwrap_err(),
        j_plus(j).unwrap_err(),
        j_minus(j).unwrap_err(),
        real_generators((1 << 21) + 1).unwrap_err(),
    ] {
        assert!(matches!(e, ExactError::Overflow { .. }), "{e:?}");
        assert!(e.to_string().contains("2097153"), "{e}");
    }
}

/// [J_z, J_±] = ±J_±, [J_+, J_−] = 2J_z, J_z² + (J_+J_− + J_−J_+)/2 = j(j+1)·1.
fn check_complex(tj: u32) -> Result<(), String> {
    let j = Spin::from_twice(tj);
    let z = Mat::from_sparse(&j_z(j).unwrap());
    let p = Mat::from_sparse(&j_plus(j).unwrap());
    let m = Mat::from_sparse(&j_minus(j).unwrap());
    let neg = rat(-1, 1);
    let ok = z.comm(&p).same(&p)
        && z.comm(&m).same(&m.scale(&neg))
        && p.comm(&m).same(&z.scale(&rat(2, 1)))
        && z.mul(&z)
            .add(&p.mul(&m).add(&m.mul(&p)).scale(&rat(1, 2)))
            .same(&Mat::identity_times(
                j.dim(),
                &rat(tj as i64 * (tj as i64 + 2), 4),
            ));
    ok.then_some(()).ok_or(format!("2j = {tj}"))
}

#[test]
fn complex_generators_commutation_exhaustive() {
    for tj in 0..=12 {
        check_complex(tj).unwrap();
    }
}

#[test]
fn real_generators_for_l1_are_the_standard_so3_generators() {
    // (L_k)_ij = −ε_kij on (x, y, z), so exp(θ L_k) is the rotation by θ about axis k.
    let gens = real_generators(1).unwrap();
    for (k, g) in gens.iter().enumerate() {
        for i in 0..3 {
            for j in 0..3 {
                let eps = if i == j || j == k || i == k {
                    0
                } else if (k, i, j) == (0, 1, 2) || (k, i, j) == (1, 2, 0) || (k, i, j) == (2, 0, 1)
                {
                    1
                } else {
                    -1
                };
                assert_eq!(*g.get(i, j), rat(-eps, 1), "L_{k}[{i},{j}]");
            }
        }
    }
}

/// Antisymmetry, [L_x, L_y] = L_z (cyclic), L_x² + L_y² + L_z² = −l(l+1)·1, exactly.
fn check_real(l: u32) -> Result<(), String> {
    let gens = real_generators(l).unwrap();
    if !gens.iter().all(SparseMatrix::is_antisymmetric) {
        return Err(format!("l = {l}: not antisymmetric"));
    }
    let [x, y, z] = gens.map(|g| Mat::from_sparse(&g));
    let ok = x.comm(&y).same(&z) && y.comm(&z).same(&x) && z.comm(&x).same(&y);
    let casimir = x.mul(&x).add(&y.mul(&y)).add(&z.mul(&z));
    let want = Mat::identity_times(2 * l as usize + 1, &rat(-(l as i64) * (l as i64 + 1), 1));
    (ok && casimir.same(&want))
        .then_some(())
        .ok_or(format!("l = {l}"))
}

#[test]
fn real_generators_identities_exhaustive() {
    for l in 0..=8 {
        check_real(l).unwrap();
    }
}

/// A sparse real matrix times `i^k · s` as a dense complex matrix.
fn complex(m: &SparseMatrix, k: i64, s: &SqrtRational) -> ComplexMatrix {
    let mut out = ComplexMatrix::zeros(m.dim());
    for (r, c, v) in m.nonzeros() {
        out.set(r, c, ComplexSqrtSum::i_pow_times(k, &(v * s)));
    }
    out
}

fn add(a: &ComplexMatrix, b: &ComplexMatrix) -> ComplexMatrix {
    let n = a.dim();
    let data = (0..n * n)
        .map(|i| a.get(i / n, i % n) + b.get(i / n, i % n))
        .collect();
    ComplexMatrix::from_row_major(n, data)
}

#[test]
fn real_generators_equal_dense_q_formula() {
    // L_x = Q†(J_− − J_+)/2 Q, L_y = Q†(i J_z)Q, L_z = Q† i(J_+ + J_−)/2 Q, computed densely.
    let h = rat(1, 2);
    for l in 0..=4 {
        let j = Spin::int(l);
        let (jz, jp, jm) = (j_z(j).unwrap(), j_plus(j).unwrap(), j_minus(j).unwrap());
        let xs = [
            add(&complex(&jm, 0, &h), &complex(&jp, 2, &h)),
            complex(&jz, 1, &SqrtRational::ONE),
            add(&complex(&jp, 1, &h), &complex(&jm, 1, &h)),
        ];
        let q = q_matrix(l).unwrap();
        let gens = real_generators(l).unwrap();
        for (k, (x, g)) in xs.iter().zip(&gens).enumerate() {
            let d = q.adjoint().matmul(x).matmul(&q);
            for r in 0..d.dim() {
                for c in 0..d.dim() {
                    let e = d.get(r, c);
                    assert!(e.is_real(), "l = {l}, generator {k}: imaginary ({r},{c})");
                    assert_eq!(e.re, g.get(r, c).into(), "l = {l}, generator {k} ({r},{c})");
                }
            }
        }
    }
}

// ---- numeric: Wigner D of e3nn-jax from the exact generators ----

type Dense = Vec<Vec<f64>>;

fn matmul(a: &Dense, b: &Dense) -> Dense {
    let n = a.len();
    (0..n)
        .map(|i| {
            (0..n)
                .map(|j| (0..n).map(|k| a[i][k] * b[k][j]).sum())
                .collect()
        })
        .collect()
}

/// exp(θ L) by scaling and squaring with a 24-term Taylor series (‖θL/2^s‖ ≤ 1/2).
fn expm(l: &[f64], n: usize, theta: f64) -> Dense {
    let norm: f64 = (0..n)
        .map(|i| (0..n).map(|j| (theta * l[i * n + j]).abs()).sum::<f64>())
        .fold(0.0, f64::max);
    let s = if norm > 0.5 {
        (norm / 0.5).log2().ceil() as i32
    } else {
        0
    };
    let a: Dense = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| theta * l[i * n + j] / 2f64.powi(s))
                .collect()
        })
        .collect();
    let mut term: Dense = (0..n)
        .map(|i| (0..n).map(|j| (i == j) as u8 as f64).collect())
        .collect();
    let mut sum = term.clone();
    for k in 1..=24 {
        term = matmul(&term, &a);
        for row in &mut term {
            for x in row.iter_mut() {
                *x /= k as f64;
            }
        }
        for i in 0..n {
            for j in 0..n {
                sum[i][j] += term[i][j];
            }
        }
    }
    for _ in 0..s {
        sum = matmul(&sum, &sum);
    }
    sum
}

/// D^l(α, β, γ) = exp(α L_y) exp(β L_x) exp(γ L_y) against e3nn-jax `D_from_angles`, l ≤ 6.
///
/// Tolerance 256·eps·(2l+1): each factor is a scaled-and-squared Taylor exponential (≤ 7
/// squarings of an orthogonal (2l+1)-matrix, each adding ≲ (2l+1) eps), two more products, and
/// e3nn-jax's own D, which it checks orthogonal to 64 eps (2l+1).
#[test]
fn wigner_d_from_generators_matches_e3nn_jax() {
    let text = std::fs::read_to_string(crate::golden_path("e3nn_wigner_d.json")).unwrap();
    let json = Json::parse(&text);
    let angles = json.get("angles").as_arr();
    let ds = json.get("D_from_angles").as_arr();
    let mut worst = 0.0f64;
    for l in 0..=6u32 {
        let n = 2 * l as usize + 1;
        let [lx, ly, _] = real_generators(l).unwrap().map(|g| g.to_f64());
        let tol = 256.0 * f64::EPSILON * n as f64;
        for (ang, d) in angles.iter().zip(ds) {
            let ang = ang.flatten();
            let want = d.get(&l.to_string()).flatten();
            let got = matmul(
                &matmul(&expm(&ly, n, ang[0]), &expm(&lx, n, ang[1])),
                &expm(&ly, n, ang[2]),
            );
            for i in 0..n {
                for j in 0..n {
                    let err = (got[i][j] - want[i * n + j]).abs();
                    assert!(
                        err <= tol,
                        "l = {l}, angles {ang:?}, [{i}][{j}]: error {err:e}"
                    );
                    worst = worst.max(err / (f64::EPSILON * n as f64));
                }
            }
        }
    }
    eprintln!("D from generators vs e3nn-jax: worst error {worst:.2} eps·(2l+1)");
}

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        rng_seed: proptest::test_runner::RngSeed::Fixed(0x5EED_09E4),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config(32))]

    #[test]
    fn complex_generators_properties(tj in 0u32..=60) {
        check_complex(tj).map_err(TestCaseError::fail)?;
        let j = Spin::from_twice(tj);
        prop_assert_eq!(j_minus(j).unwrap(), j_plus(j).unwrap().transpose());
        prop_assert_eq!(j_z(j).unwrap().num_nonzeros(), (tj as usize + 1) - (tj % 2 == 0) as usize);
    }

    #[test]
    fn real_generators_properties(l in 0u32..=40) {
        check_real(l).map_err(TestCaseError::fail)?;
    }
}
