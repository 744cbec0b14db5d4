//! The parts of the certification engine: rational rotations, transformations, the Wigner D
//! it uses, test structures, the ladder's rule and the exact component audits.

use proptest::prelude::*;
use racah_core::Irreps;
use racah_numeric::{DoubleDouble, Float, FusionBlock, FusionBlockOptions, Linear, TensorProduct};
use racah_proofs::certify::*;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

fn quaternion() -> impl Strategy<Value = [i64; 4]> {
    [-20i64..=20, -20i64..=20, -20i64..=20, -20i64..=20]
        .prop_filter("nonzero", |q| q.iter().any(|&x| x != 0))
}

fn mat_mul(a: [[i64; 3]; 3], b: [[i64; 3]; 3]) -> [[i64; 3]; 3] {
    let mut c = [[0; 3]; 3];
    for i in 0..3 {
        for j in 0..3 {
            c[i][j] = (0..3).map(|k| a[i][k] * b[k][j]).sum();
        }
    }
    c
}

fn transpose(a: [[i64; 3]; 3]) -> [[i64; 3]; 3] {
    [0, 1, 2].map(|i| [0, 1, 2].map(|j| a[j][i]))
}

fn det(a: [[i64; 3]; 3]) -> i64 {
    a[0][0] * (a[1][1] * a[2][2] - a[1][2] * a[2][1])
        - a[0][1] * (a[1][0] * a[2][2] - a[1][2] * a[2][0])
        + a[0][2] * (a[1][0] * a[2][1] - a[1][1] * a[2][0])
}

#[test]
fn test_rational_rotation() {
    // (1, 1, 0, 0): a quarter turn about x, y ↦ z
    let r = RationalRotation::new([1, 1, 0, 0]).unwrap();
    assert_eq!(r.numerators(), [[2, 0, 0], [0, 0, -2], [0, 2, 0]]);
    // (1, 2, 2, 4): n = 25, a rotation with no zero entry and no ±1
    let r = RationalRotation::new([1, 2, 2, 4]).unwrap();
    assert_eq!(r.denominator(), 25);
    assert_eq!(r.numerators(), [[-15, -0, 20], [16, -15, 12], [12, 20, 9]]);
    assert_eq!(r.matrix::<f32>()[2][2], 9.0 / 25.0);
    assert_eq!(
        r.matrix::<DoubleDouble>()[1][2],
        DoubleDouble::from_ratio(12, 25)
    );
}

#[test]
fn rational_rotation_rejects_zero_and_overflow() {
    assert!(RationalRotation::new([0; 4]).is_none());
    assert!(RationalRotation::new([1 << 20, 0, 0, 0]).is_none());
    assert!(RationalRotation::new([i64::MAX, 1, 0, 0]).is_none());
}

proptest! {
    #![proptest_config(racah_core::testing::seeded(0xce27_0001))]

    /// N Nᵀ = n² I and det N = n³ exactly: R is a proper rotation.
    #[test]
    fn rational_rotation_properties(q in quaternion()) {
        let r = RationalRotation::new(q).unwrap();
        let n = r.denominator();
        let nn = r.numerators();
        prop_assert_eq!(mat_mul(nn, transpose(nn)), [[n * n, 0, 0], [0, n * n, 0], [0, 0, n * n]]);
        prop_assert_eq!(det(nn), n * n * n);
        // rounded once: each entry within half an ulp of num/n
        let m = r.matrix::<f64>();
        for (row, nrow) in m.iter().zip(nn) {
            for (x, k) in row.iter().zip(nrow) {
                prop_assert!((x * n as f64 - k as f64).abs() <= f64::EPSILON * n as f64);
            }
        }
    }

    /// D^l(R) of the engine maps the solid harmonic of x to that of R x (l = 1, 2), is a
    /// homomorphism and is orthogonal, within 64 ε × (2l+1)² terms.
    #[test]
    fn representation_properties(q1 in quaternion(), q2 in quaternion(),
                                 x in prop::array::uniform3(-2.0f64..2.0)) {
        let (r1, r2) = (RationalRotation::new(q1).unwrap(), RationalRotation::new(q2).unwrap());
        let (m1, m2) = (r1.matrix::<f64>(), r2.matrix::<f64>());
        let d1 = Representation::from_matrix(3, &m1).unwrap();
        let d2 = Representation::from_matrix(3, &m2).unwrap();
        let m12: [[f64; 3]; 3] = [0, 1, 2].map(|i| [0, 1, 2].map(|j| (0..3).map(|k| m1[i][k] * m2[k][j]).sum()));
        let d12 = Representation::from_matrix(3, &m12).unwrap();
        for l in 0..=3u32 {
            let n = 2 * l as usize + 1;
            let tol = 64.0 * f64::EPSILON * (n * n) as f64;
            let (a, b, ab) = (d1.block(l).unwrap(), d2.block(l).unwrap(), d12.block(l).unwrap());
            for i in 0..n {
                for j in 0..n {
                    let prod: f64 = (0..n).map(|k| a[i * n + k] * b[k * n + j]).sum();
                    prop_assert!((prod - ab[i * n + j]).abs() <= tol, "l={} D(R1)D(R2)", l);
                    let gram: f64 = (0..n).map(|k| a[i * n + k] * a[j * n + k]).sum();
                    let id = if i == j { 1.0 } else { 0.0 };
                    prop_assert!((gram - id).abs() <= tol, "l={} orthogonality", l);
                }
            }
        }
        // Y2(R x) = D²(R) Y2(x), e3nn's l = 2 basis (CONVENTIONS.md#axes)
        let y2 = |v: [f64; 3]| {
            let [x, y, z] = v;
            let s3 = 3f64.sqrt();
            [s3 * x * z, s3 * x * y, y * y - 0.5 * (x * x + z * z), s3 * y * z,
             0.5 * s3 * (z * z - x * x)]
        };
        let rx = [0, 1, 2].map(|i| (0..3).map(|k| m1[i][k] * x[k]).sum::<f64>());
        let (yx, yrx) = (y2(x), y2(rx));
        let d = d1.block(2).unwrap();
        for i in 0..5 {
            let dy: f64 = (0..5).map(|k| d[i * 5 + k] * yx[k]).sum();
            prop_assert!((dy - yrx[i]).abs() <= 64.0 * 25.0 * f64::EPSILON * 16.0);
        }
    }

    /// p^k D^l(R): a reflection of a row flips exactly the odd irreps relative to the
    /// rotation; permutations permute per-atom rows; translations change nothing.
    #[test]
    fn transform_properties(q in quaternion(), seed in any::<u64>()) {
        let r = RationalRotation::new(q).unwrap();
        let irreps: Irreps = "0e+0o+1o+1e+2e".parse().unwrap();
        let rep = Representation::from_matrix(2, &r.matrix::<f64>()).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let row: Vec<f64> = (0..irreps.dim()).map(|i| (i as f64 + 1.0) / 7.0).collect();
        let rot = Transform::Rotation(r).apply_row(&irreps, &row, None, &rep, "x").unwrap();
        let refl = Transform::Reflection(r).apply_row(&irreps, &row, None, &rep, "x").unwrap();
        let mut off = 0;
        for t in irreps.iter() {
            let sign = f64::from(t.irrep.parity().sign());
            for k in off..off + t.dim() {
                prop_assert_eq!(refl[k], sign * rot[k]);
            }
            off += t.dim();
        }
        // 3 atoms of per-atom rows
        let rows: Vec<f64> = (0..3 * irreps.dim()).map(|i| i as f64).collect();
        let p = Transform::random(TransformKind::Permutation, 3, &mut rng);
        let Transform::Permutation(perm) = &p else { unreachable!() };
        prop_assert!(perm.iter().enumerate().any(|(i, &j)| i != j));
        let permuted = p.apply_row(&irreps, &rows, Some(3), &rep, "x").unwrap();
        let d = irreps.dim();
        for (i, &j) in perm.iter().enumerate() {
            prop_assert_eq!(&permuted[i * d..(i + 1) * d], &rows[j * d..(j + 1) * d]);
        }
        let t = Transform::random(TransformKind::Translation, 3, &mut rng);
        prop_assert_eq!(t.apply_row(&irreps, &rows, Some(3), &rep, "x").unwrap(), rows);
    }
}

#[test]
fn test_transform_apply_input() {
    let rep = Representation::<f64>::from_matrix(
        1,
        &RationalRotation::new([1, 0, 0, 1]).unwrap().matrix(),
    )
    .unwrap();
    let x = CertInput {
        positions: vec![[1.0, 0.0, 0.0], [0.0, 0.5, 0.25]],
        species: vec![1, 8],
        cell: Some([[4.0, 0.0, 0.0], [0.0, 4.0, 0.0], [0.0, 0.0, 4.0]]),
        features: Some(vec![0.5, 1.0, 2.0, 3.0, -0.5, 0.0, 0.0, 1.0]),
    };
    let irreps: Irreps = "0e+1o".parse().unwrap();
    // (1, 0, 0, 1): a quarter turn about z, x ↦ y
    let r = Transform::Rotation(RationalRotation::new([1, 0, 0, 1]).unwrap());
    let y = r.apply_input(&x, Some(&irreps), &rep).unwrap();
    assert_eq!(y.positions, vec![[0.0, 1.0, 0.0], [-0.5, 0.0, 0.25]]);
    assert_eq!(y.cell.unwrap()[0], [0.0, 4.0, 0.0]);
    assert_eq!(
        y.features.unwrap(),
        vec![0.5, -2.0, 1.0, 3.0, -0.5, 0.0, 0.0, 1.0]
    );
    // reflection: positions and cell vectors inverted, the 0e feature unchanged
    let f = Transform::Reflection(RationalRotation::new([1, 0, 0, 1]).unwrap());
    let y = f.apply_input(&x, Some(&irreps), &rep).unwrap();
    assert_eq!(y.positions[0], [0.0, -1.0, 0.0]);
    assert_eq!(y.features.unwrap()[..4], [0.5, 2.0, -1.0, -3.0]);
    // permutation: species and features move with the atoms
    let p = Transform::Permutation(vec![1, 0]);
    let y = p.apply_input(&x, Some(&irreps), &rep).unwrap();
    assert_eq!(y.species, vec![8, 1]);
    assert_eq!(y.features.unwrap()[..4], [-0.5, 0.0, 0.0, 1.0]);
    // translation by (4096, −2048, 1)·2⁻¹²
    let t = Transform::Translation([4096, -2048, 1]);
    let y = t.apply_input(&x, Some(&irreps), &rep).unwrap();
    assert_eq!(y.positions[0], [2.0, -0.5, DYADIC_STEP]);
    assert_eq!(y.cell, x.cell);
}

#[test]
fn transform_rejects_bad_shapes() {
    let rep = Representation::<f64>::from_matrix(
        1,
        &RationalRotation::new([1, 0, 0, 1]).unwrap().matrix(),
    )
    .unwrap();
    let x = CertInput {
        positions: vec![[1.0, 0.0, 0.0], [0.0, 0.5, 0.25]],
        species: vec![1, 8],
        cell: None,
        features: Some(vec![1.0; 3]),
    };
    let irreps: Irreps = "0e+1o".parse().unwrap();
    let e = Transform::Permutation(vec![0, 0])
        .apply_input(
            &CertInput {
                features: None,
                ..x.clone()
            },
            None,
            &rep,
        )
        .unwrap_err();
    assert!(e.message.contains("[0, 0]"), "{e}");
    let e = Transform::Translation([0; 3])
        .apply_input(&x, Some(&irreps), &rep)
        .unwrap_err();
    assert!(e.message.contains("3 values"), "{e}");
    let e = Transform::Translation([0; 3])
        .apply_input(&x, None, &rep)
        .unwrap_err();
    assert!(e.message.contains("no feature irreps"), "{e}");
    let big: Irreps = "2e".parse().unwrap();
    let e = Transform::Rotation(RationalRotation::new([1, 0, 0, 1]).unwrap())
        .apply_row(&big, &[0.0; 5], None, &rep, "quadrupole")
        .unwrap_err();
    assert!(
        e.message.contains("quadrupole") && e.message.contains("l_max 1"),
        "{e}"
    );
    let half: Irreps = "1/2e".parse().unwrap();
    let e = Transform::Rotation(RationalRotation::new([1, 0, 0, 1]).unwrap())
        .apply_row(&half, &[0.0; 2], None, &rep, "spinor")
        .unwrap_err();
    assert!(e.message.contains("half-integer"), "{e}");
}

fn signature(periodic: bool) -> ModelSignature {
    ModelSignature {
        name: "s".into(),
        species: vec![1, 6, 8],
        input_features: Some("0e+1o".parse().unwrap()),
        outputs: vec![],
        precisions: vec![Precision::F64],
        periodic,
    }
}

proptest! {
    #![proptest_config(racah_core::testing::seeded(0xce27_0002))]

    /// Dyadic coordinates (exact in f32), species from the model, the minimum distance
    /// between atoms and periodic images, and seeded reproducibility.
    #[test]
    fn random_structure_properties(seed in any::<u64>(), atoms in 1usize..12, periodic in any::<bool>()) {
        let spec = StructureSpec { atoms, periodic, ..StructureSpec::default() };
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let s = random_structure(&signature(true), &spec, &mut rng).unwrap();
        prop_assert_eq!(s.positions.len(), atoms);
        prop_assert_eq!(s.cell.is_some(), periodic);
        for v in s.positions.iter().flatten().chain(s.cell.iter().flatten().flatten()) {
            prop_assert_eq!((v / DYADIC_STEP).fract(), 0.0);
            prop_assert_eq!(f64::from(*v as f32), *v);
        }
        prop_assert!(s.species.iter().all(|z| [1, 6, 8].contains(z)));
        prop_assert_eq!(s.features.as_ref().unwrap().len(), atoms * 4);
        for i in 0..atoms {
            for j in 0..i {
                let d: f64 = (0..3).map(|k| (s.positions[i][k] - s.positions[j][k]).powi(2)).sum();
                prop_assert!(d.sqrt() >= spec.min_distance);
            }
        }
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        prop_assert_eq!(random_structure(&signature(true), &spec, &mut rng).unwrap(), s);
    }
}

#[test]
fn random_structure_rejects_bad_specs() {
    let mut rng = ChaCha8Rng::seed_from_u64(0);
    let sig = signature(false);
    let no_species = ModelSignature {
        species: vec![],
        ..sig.clone()
    };
    let e = random_structure(&no_species, &StructureSpec::default(), &mut rng).unwrap_err();
    assert!(e.message.contains("no species"), "{e}");
    for spec in [
        StructureSpec {
            atoms: 0,
            ..StructureSpec::default()
        },
        StructureSpec {
            density: 0.0,
            ..StructureSpec::default()
        },
        StructureSpec {
            min_distance: f64::NAN,
            ..StructureSpec::default()
        },
    ] {
        assert!(random_structure(&sig, &spec, &mut rng).is_err(), "{spec:?}");
    }
    // too dense to place: 40 atoms 3 Å apart at 1 atom/Å³
    let dense = StructureSpec {
        atoms: 40,
        min_distance: 3.0,
        density: 1.0,
        periodic: false,
    };
    let e = random_structure(&sig, &dense, &mut rng).unwrap_err();
    assert!(e.message.contains("could not place 40 atoms"), "{e}");
    // a model without a cell never gets a periodic structure
    let s = random_structures(
        &sig,
        &StructureSpec {
            periodic: true,
            ..StructureSpec::default()
        },
        4,
        1,
    )
    .unwrap();
    assert!(s.iter().all(|x| x.cell.is_none()));
}

#[test]
fn test_ladder_verdict() {
    use Precision::*;
    let e = |p: Precision, k: f64| (p, k * p.epsilon());
    assert_eq!(
        ladder_verdict(&[e(F32, 10.0), e(F64, 10.0), e(Extended, 10.0)], 4096.0),
        Verdict::Roundoff
    );
    // amplified roundoff above the threshold that still shrinks in proportion to ε
    assert_eq!(
        ladder_verdict(&[e(F64, 1e5), e(Extended, 1e5)], 4096.0),
        Verdict::Roundoff
    );
    // f32 and f64 only: a floor at 1e-6
    assert_eq!(
        ladder_verdict(&[(F32, 1e-6), (F64, 1e-6)], 4096.0),
        Verdict::SymmetryBreak
    );
    assert_eq!(
        ladder_verdict(&[(F64, 1e-6), (Extended, f64::INFINITY)], 4096.0),
        Verdict::SymmetryBreak
    );
    assert_eq!(ladder_verdict(&[], 4096.0), Verdict::Inconclusive);
    // order of the input does not matter
    assert_eq!(
        ladder_verdict(&[(Extended, 1e-6), (F64, 1e-6)], 4096.0),
        Verdict::SymmetryBreak
    );
    assert_eq!(Verdict::SymmetryBreak.to_string(), "symmetry break");
}

proptest! {
    #![proptest_config(racah_core::testing::seeded(0xce27_0003))]

    /// Errors proportional to ε are roundoff; a floor above the top rung's threshold is a
    /// symmetry break.
    #[test]
    fn ladder_verdict_properties(k in 0.0f64..1e6, floor in 1e-20f64..1.0) {
        let prop: Vec<(Precision, f64)> =
            Precision::LADDER.iter().map(|&p| (p, k * p.epsilon())).collect();
        prop_assert_eq!(ladder_verdict(&prop, 4096.0), Verdict::Roundoff);
        let flat: Vec<(Precision, f64)> =
            Precision::LADDER.iter().map(|&p| (p, floor.max(k * p.epsilon()))).collect();
        prop_assert_eq!(ladder_verdict(&flat, 4096.0), Verdict::SymmetryBreak);
    }
}

fn tp_audits_hold<T: Float>() {
    let x: Irreps = "0e + 1o + 2e".parse().unwrap();
    let tp = TensorProduct::<T>::full(&x, &"1o+1e".parse().unwrap()).unwrap();
    let audits = audit_tensor_product("tp", &tp);
    assert_eq!(audits.len(), tp.instructions().len());
    for a in &audits {
        assert!(a.holds, "{}: {a:?}", T::NAME);
        assert!(a.detail.contains("equivariant"), "{}", a.detail);
    }
}

#[test]
fn test_audit_tensor_product() {
    tp_audits_hold::<f32>();
    tp_audits_hold::<f64>();
    let tp = TensorProduct::<f64>::full(&"1o".parse().unwrap(), &"1o".parse().unwrap()).unwrap();
    let a = audit_tensor_product("interaction 2", &tp);
    assert_eq!(a[1].layer, "interaction 2");
    assert_eq!(a[1].component, "tensor product path 1 (Uvuv): 1o ⊗ 1o → 1e");
}

#[test]
fn audit_tensor_product_rounds_double_double_coefficients_once() {
    tp_audits_hold::<DoubleDouble>();
}

#[test]
fn audit_tensor_product_names_a_perturbed_entry() {
    for (path, index) in [(0, 0), (1, 3), (2, 7)] {
        let mut tp =
            TensorProduct::<f64>::full(&"1o".parse().unwrap(), &"1o".parse().unwrap()).unwrap();
        tp.perturb_coefficient(path, index, 1e-6).unwrap();
        let c = tp.path_coefficients(path).unwrap()[index];
        let audits = audit_tensor_product("product", &tp);
        let bad: Vec<_> = audits.iter().filter(|a| !a.holds).collect();
        assert_eq!(bad.len(), 1, "{audits:?}");
        assert!(bad[0]
            .component
            .starts_with(&format!("tensor product path {path} ")));
        let entry = format!("coefficient ({}, {}, {})", c.i, c.j, c.k);
        assert!(bad[0].detail.contains(&entry), "{}", bad[0].detail);
    }
    // a change below f64 resolution is caught in double-double
    let mut tp =
        TensorProduct::<DoubleDouble>::full(&"1o".parse().unwrap(), &"1o".parse().unwrap())
            .unwrap();
    tp.perturb_coefficient(2, 1, 1e-25).unwrap();
    let audits = audit_tensor_product("p", &tp);
    assert!(
        !audits[2].holds && audits.iter().filter(|a| a.holds).count() == 2,
        "{audits:?}"
    );
    // even a one-ulp change is caught in f32
    let mut tp =
        TensorProduct::<f32>::full(&"1o".parse().unwrap(), &"2e".parse().unwrap()).unwrap();
    tp.perturb_coefficient(0, 0, f64::from(f32::EPSILON))
        .unwrap();
    assert!(!audit_tensor_product("p", &tp)[0].holds);
}

#[test]
fn test_audit_linear() {
    let lin = Linear::<f64>::new(
        &"2x0e + 1o + 2e".parse().unwrap(),
        &"0e + 3x1o".parse().unwrap(),
    )
    .unwrap();
    let a = audit_linear("readout", &lin);
    assert_eq!(a.len(), lin.instructions().len());
    assert!(a.iter().all(|x| x.holds), "{a:?}");
    assert_eq!(a[0].component, "linear instruction 0: 0e → 0e");
    assert!(a[1].detail.contains("Schur"));
}

#[test]
fn test_audit_fusion_block() {
    let block = FusionBlock::<f64>::new(
        &"0e+1o+2e".parse().unwrap(),
        3,
        &"0e+1o".parse().unwrap(),
        FusionBlockOptions::default(),
    )
    .unwrap();
    let a = audit_fusion_block("product 1", &block);
    assert_eq!(a.len(), block.num_paths());
    assert!(
        a.iter().all(|x| x.holds),
        "{:?}",
        a.iter().find(|x| !x.holds)
    );
    // body order 3 paths are contracted exactly
    assert!(a.iter().any(|x| x.component.contains("((") && x.holds));
    assert!(a.iter().any(|x| x.detail.starts_with("identity on")));
    assert!(a
        .iter()
        .any(|x| x.detail.contains("every vertex admissible")));
}

#[test]
fn audits_are_reported_verbatim() {
    struct Audited;
    impl CertifiableModel for Audited {
        fn signature(&self) -> ModelSignature {
            ModelSignature {
                outputs: vec![OutputSpec {
                    name: "e".into(),
                    irreps: "0e".parse().unwrap(),
                    per_atom: false,
                }],
                input_features: None,
                ..signature(false)
            }
        }
        fn evaluate<T: Float>(&self, x: &CertInput<T>) -> Result<CertOutput<T>, ModelError> {
            let n = T::from_ratio(x.positions.len() as i64, 1);
            Ok(CertOutput {
                outputs: vec![vec![n]],
                layers: vec![],
            })
        }
        fn component_audits(&self) -> Vec<ComponentAudit> {
            let mut tp =
                TensorProduct::<f64>::full(&"1o".parse().unwrap(), &"1o".parse().unwrap()).unwrap();
            tp.perturb_coefficient(2, 0, 1e-6).unwrap();
            audit_tensor_product("interaction 1", &tp)
        }
    }
    let r = certify(&Audited, &CertifyOptions::default()).unwrap();
    assert_eq!(r.audits, Audited.component_audits());
    assert!(r.rows.iter().all(|x| x.pass));
    assert!(!r.pass);
    assert_eq!(r.failed_audits().count(), 1);
    assert!(
        r.to_string()
            .contains("FAIL interaction 1: tensor product path 2"),
        "{r}"
    );
}

/// The engine's D (built from e3nn's real CG tensors) and racah-numeric's (built from the
/// harmonics' gradient rule) are independent constructions; they agree in double-double to
/// 64 ε × (2l+1)² terms.
#[test]
fn representation_agrees_with_numeric_wigner_d_in_double_double() {
    let r = RationalRotation::new([3, -1, 4, 1]).unwrap();
    let m = r.matrix::<DoubleDouble>();
    let ours = Representation::from_matrix(4, &m).unwrap();
    let theirs = racah_numeric::WignerDCalculator::new(4)
        .unwrap()
        .compute_from_matrix(m);
    for l in 0..=4u32 {
        let n = f64::from(2 * l + 1);
        let tol = 64.0 * n * n * Precision::Extended.epsilon();
        for (a, b) in ours.block(l).unwrap().iter().zip(theirs.block(l)) {
            assert!((*a - *b).abs().to_f64() <= tol, "l = {l}: {a} vs {b}");
        }
    }
}
